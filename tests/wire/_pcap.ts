/**
 * Test helpers: write frames to a classic pcap with lib/pcap (so tcpdump and tshark can read them) and split
 * tcpdump's output into one entry per packet.
 *
 * @module
 */

import assert from "node:assert/strict";
import { encodePcap } from "../../lib/pcap/mod.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { PacketDecoder, type PacketType } from "../../lib/wire/decoder.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { type HexdumpMode, tcpdumpHexdump } from "../../lib/wire/hexdump.ts";
import { run } from "../_helpers.ts";

/** A frame for {@link pcapBytes}: its bytes and, when cut, the original length. */
export interface Frame {
  data: Uint8Array;
  len?: number;
}

/**
 * A little-endian microsecond pcap holding the frames, timestamps 1700000000 + i seconds (so every packet
 * has its own time in tcpdump's and tshark's output).
 *
 * @param linktype the file's link type
 * @param frames the frames
 * @returns the file's bytes
 */
export function pcapBytes(linktype: number, frames: Frame[]): Uint8Array {
  return encodePcap(frames.map((f, i) => ({ tsSec: 1700000000 + i, data: f.data, len: f.len })), {
    linktype,
  });
}

/**
 * Splits `tcpdump -r` output (with timestamps) into packets: a line with a timestamp starts a packet and
 * loses the timestamp; every other line (a tab or 4 spaces in front, a carried frame's line after VXLAN's
 * newline, or an empty line) is appended with "\n".
 *
 * @param text tcpdump's stdout
 * @returns one string per packet
 */
export function tcpdumpPackets(text: string): string[] {
  const out: string[] = [];
  // Empty lines belong to the packet before them (a printer may end a line twice); the output's last
  // newline does not start a line.
  for (const line of text.replace(/\n$/, "").split("\n")) {
    if (line === "" && out.length === 0) continue;
    const m = /^\d\d:\d\d:\d\d\.\d+ /.exec(line);
    if (m === null && out.length > 0) {
      out[out.length - 1] += "\n" + line;
      continue;
    }
    out.push(m === null ? line : line.slice(m[0].length));
  }
  return out;
}

/**
 * `tcpdump -n FLAGS -r FILE`, one entry per packet (see {@link tcpdumpPackets}).
 *
 * @param file the pcap file
 * @param flags more flags
 * @returns tcpdump's lines for each packet
 */
export async function tcpdumpRead(file: string, flags: string[]): Promise<string[]> {
  const r = await run("tcpdump", ["-n", ...flags, "-r", file], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  return tcpdumpPackets(r.stdout);
}

/**
 * Reads a pcap file with `tcpdump -n FLAGS -r FILE` and with netkit's summarizer (the same `-e`, `-q`, `-v`)
 * and asserts the two agree packet by packet.
 *
 * @param file the pcap file
 * @param flags tcpdump's flags (`-e`, `-q`, `-S`, `-K`, `-M SECRET`, `-T TYPE`, `-v`, `-vv`, ... are mirrored in netkit's
 *   options)
 * @param expected what of tcpdump's lines for one packet netkit must print (default: all of them)
 * @returns the number of packets compared
 */
export async function compareWithTcpdump(
  file: string,
  flags: string[],
  expected: (tcpdumpLines: string) => string = (w) => w,
): Promise<number> {
  const want = await tcpdumpRead(file, flags);
  const verbosity = flags.filter((f) => /^-v+$/.test(f)).reduce((n, f) => n + f.length - 1, 0);
  // Without -x/-X tcpdump follows what it cannot dissect with a hex dump (its default print): so does netkit.
  const dumpUndecoded = !flags.some((f) => /^-[xX]+$/.test(f));
  const o = {
    link: flags.includes("-e"),
    quiet: flags.includes("-q"),
    verbose: verbosity > 0,
    verbosity,
    dumpUndecoded,
    absolute: flags.includes("-S"),
    noChecksums: flags.includes("-K"),
    tcpSecret: flags.includes("-M") ? flags[flags.indexOf("-M") + 1] : undefined,
    packetType: flags.includes("-T") ? flags[flags.indexOf("-T") + 1] as PacketType : undefined,
  };
  const d = new PacketDecoder(), s = new PacketSummarizer(o);
  d.packetType = o.packetType;
  const recs = [...readPacketsSync(Deno.readFileSync(file))];
  assert.equal(recs.length, want.length, file);
  // -x, -X, -xx, -XX: the dump follows the line as the sniffer prints it.
  const hex = flags.find((f) => /^-(x|xx|X|XX)$/.test(f))?.slice(1) as HexdumpMode | undefined;
  recs.forEach((rec, i) => {
    const r = d.decode(rec.data, rec.linktype);
    let got = s.summarize(r, rec.len);
    if (hex) {
      const dump = tcpdumpHexdump(rec.data, r, hex, got, s.lastCutByLongJump, s.lastLinkLen);
      if (dump !== "") got += "\n" + dump;
    }
    assert.equal(got, expected(want[i]), `${file.split("/").pop()} ${flags.join(" ")} #${i + 1}`);
  });
  return recs.length;
}

/**
 * Writes the frames to a temporary pcap and compares netkit's summaries with tcpdump's under each flag set
 * ({@link compareWithTcpdump}).
 *
 * @param frames the frames
 * @param flagSets tcpdump's flags, one run per entry
 * @param linktype the file's link type (default Ethernet)
 * @returns the number of packets compared (frames x flag sets)
 */
export async function compareFramesWithTcpdump(
  frames: Frame[],
  flagSets: string[][],
  linktype = 1,
): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-tcpdump-" });
  try {
    const file = `${dir}/f.pcap`;
    Deno.writeFileSync(file, pcapBytes(linktype, frames));
    let n = 0;
    for (const flags of flagSets) n += await compareWithTcpdump(file, flags);
    return n;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * tshark's values of `fields` for each frame (`tshark -n -T fields -E occurrence=a`): per frame, per field,
 * every occurrence in order (the outermost first; none: an empty list).
 *
 * @param frames the frames
 * @param fields tshark field names
 * @param linktype the file's link type (default Ethernet)
 * @returns one row per frame
 */
export async function tsharkFields(frames: Frame[], fields: string[], linktype = 1): Promise<string[][][]> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-tshark-" });
  try {
    const file = `${dir}/f.pcap`;
    Deno.writeFileSync(file, pcapBytes(linktype, frames));
    const args = [
      "-n",
      "-r",
      file,
      "-T",
      "fields",
      "-E",
      "occurrence=a",
      ...fields.flatMap((f) => ["-e", f]),
    ];
    const t = await run("tshark", args, { timeoutMs: 60_000 });
    assert.equal(t.code, 0, t.stderr);
    const rows = t.stdout.replace(/\n$/, "").split("\n");
    assert.equal(rows.length, frames.length);
    return rows.map((r) => r.split("\t").map((v) => (v === "" ? [] : v.split(","))));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
