/**
 * The sniffer library: tcpdump parity on the corpus (text for each output flag), the JSON schema, `-c`,
 * filters on files, `-w` round trips read back by netkit, tcpdump and tshark, corrupt and truncated files,
 * and live captures on lo while netkit's echo server talks to a client.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  formatInterfaceList,
  formatStats,
  parseSnifferArgs,
  Sniffer,
  type SnifferOptions,
  type SnifferResult,
  UsageError,
} from "../../lib/capture/sniffer.ts";
import { FilterSyntaxError } from "../../lib/filter/errors.ts";
import { PcapError, readPacketsSync } from "../../lib/pcap/reader.ts";
import { encodePcap, encodePcapng } from "../../lib/pcap/writer.ts";
import { serveEcho } from "../../lib/echo/serve.ts";
import { needCommands, needNetRaw, repoPath, run, testIf } from "../_helpers.ts";
import { sniffFile } from "./_sniff.ts";
import { cat, hex } from "../_bytes.ts";

const CORPUS = repoPath("tests/fixtures/corpus");
const TCPDUMP = needCommands("tcpdump");
const RAW = needNetRaw();
const td = new TextDecoder();

/** Files tcpdump cannot read whole (corrupt, or mixed link types) are tested on their own. */
const NOT_FOR_PARITY = new Set([
  "bad_caplen.pcap",
  "bad_magic.pcap",
  "two_interfaces.pcapng",
  "two_sections_mixed_endian.pcapng",
]);

/** Where lib/wire's text differs from tcpdump 4.99 today on a corpus file, per flag set (none at present). */
const KNOWN_DIFF: Record<string, string[]> = {
  "": [],
  "-e": [],
  "-v": [],
  "-vv": [],
  "-vvv": [],
  "-q": [],
  "-tt": [],
  "-x": [],
  "-X": [],
  "-xx": [],
  "-XX": [],
};

function corpusFiles(): string[] {
  return [...Deno.readDirSync(CORPUS)].map((e) => e.name).filter((n) => /\.pcap(ng)?$/.test(n)).sort();
}

for (const flags of Object.keys(KNOWN_DIFF)) {
  testIf(`text output equals tcpdump -n ${flags} -r on the corpus`, TCPDUMP, async () => {
    const argv = flags === "" ? [] : [flags];
    let compared = 0;
    for (const name of corpusFiles()) {
      if (NOT_FOR_PARITY.has(name) || KNOWN_DIFF[flags].includes(name.replace(/\.pcap(ng)?$/, ""))) continue;
      const path = `${CORPUS}/${name}`;
      const mine = await sniffFile(argv, Deno.readFileSync(path));
      const ref = await run("tcpdump", ["-n", ...argv, "-r", path]);
      assert.equal(mine.out, ref.stdout, `${name} with ${flags || "no flags"}`);
      compared++;
    }
    assert(compared >= 15, `compared ${compared} files`);
  });
}

Deno.test("the startup line names the file, link type and snap length like tcpdump's", async () => {
  const s = await sniffFile(["-c", "1"], Deno.readFileSync(`${CORPUS}/sll2.pcap`));
  assert.equal(
    s.err[0],
    "reading from file f, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144",
  );
  assert.equal(s.err[1], "Warning: interface names might be incorrect");
});

Deno.test("-tttt, -ttt, -t and --nano format the time column as tcpdump does", async () => {
  const bytes = Deno.readFileSync(`${CORPUS}/udp.pcap`);
  const lines = async (a: string[]) => (await sniffFile(a, bytes)).out.split("\n");
  const tz = Deno.env.get("TZ");
  Deno.env.set("TZ", "UTC");
  try {
    assert.match((await lines(["-tttt"]))[1], /^2023-11-14 22:13:20\.001000 IP /);
    assert.match((await lines(["--nano"]))[0], /^22:13:20\.000000000 IP /);
  } finally {
    if (tz === undefined) Deno.env.delete("TZ");
    else Deno.env.set("TZ", tz);
  }
  const delta = await lines(["-ttt"]);
  assert.match(delta[0], /^ 00:00:00\.000000 IP /);
  assert.match(delta[1], /^ 00:00:00\.001000 IP /);
  assert.match((await lines(["-t"]))[0], /^IP 10\.0\.0\.1/);
});

Deno.test("--json prints one object per packet with the documented schema", async () => {
  const bytes = Deno.readFileSync(`${CORPUS}/mixed.pcap`);
  const s = await sniffFile(["--json"], bytes);
  const recs = s.out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(recs.length, [...readPacketsSync(bytes)].length);
  recs.forEach((r, i) => {
    assert.equal(r.n, i + 1);
    assert.equal(typeof r.ts, "number");
    assert(Number.isInteger(r.len) && Number.isInteger(r.caplen) && r.caplen <= r.len);
    assert(Array.isArray(r.layers) && r.layers.every((l: { layer: unknown }) => typeof l.layer === "string"));
    assert.equal(typeof r.truncated, "boolean");
    assert.equal(typeof r.malformed, "boolean");
  });
  const tcp = recs.flatMap((r) => r.layers).find((l) => l.layer === "tcp");
  assert(tcp, "mixed.pcap has TCP");
  for (const k of ["srcPort", "dstPort", "seq", "ack", "flags", "window", "hdrLen", "payloadLen"]) {
    assert.equal(typeof tcp[k], "number", k);
  }
});

testIf(
  "--json ts is the capture's exact decimal time, as tshark's frame.time_epoch (µs and ns pcap, pcapng)",
  needCommands("tshark"),
  async () => {
    const recs = [...readPacketsSync(Deno.readFileSync(`${CORPUS}/mixed.pcap`))].slice(0, 400).map((
      p,
      i,
    ) => ({
      ...p,
      tsSec: 1700000000 + 7 * i,
      // Odd fractions, round ones and zero, so a lost or extra digit would show.
      tsNsec: i % 5 === 0 ? 0 : i % 5 === 1 ? 100_000_000 * (i % 10) : (i * 7919 * 104729) % 1e9,
    }));
    const dir = await Deno.makeTempDir({ prefix: "netkit_jsonts_" });
    try {
      for (
        const [name, bytes] of [
          ["us.pcap", encodePcap(recs, { nanosecond: false })],
          ["ns.pcap", encodePcap(recs, { nanosecond: true })],
          ["ns.pcapng", encodePcapng(recs, { nanosecond: true })],
        ] as const
      ) {
        const path = `${dir}/${name}`;
        await Deno.writeFile(path, bytes);
        const s = await sniffFile(["--json"], bytes);
        const ours = s.out.trimEnd().split("\n").map((l) => /"ts":([^,]*),/.exec(l)![1]);
        const r = await run("tshark", ["-r", path, "-T", "fields", "-e", "frame.time_epoch"]);
        assert.equal(r.code, 0, r.stderr);
        // tshark pads to nine digits; JSON's number has no trailing zeros.
        const want = r.stdout.trimEnd().split("\n").map((t) => t.replace(/0+$/, "").replace(/\.$/, ""));
        assert.equal(ours.length, recs.length, name);
        assert.deepEqual(ours, want, name);
        assert(ours.some((t) => /\.\d{9}$/.test(t)) === name.startsWith("ns"), `${name}: nine digits`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("--json carries the interface name and direction of pcapng records", async () => {
  const s = await sniffFile(["--json"], Deno.readFileSync(`${CORPUS}/two_interfaces.pcapng`));
  const recs = s.out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert(recs.some((r) => typeof r.ifname === "string" && r.ifname.length > 0));
});

Deno.test("-c stops after that many packets", async () => {
  const s = await sniffFile(["-c", "3", "-t"], Deno.readFileSync(`${CORPUS}/tcp.pcap`));
  assert.equal(s.out.trimEnd().split("\n").length, 3);
  assert.equal(s.result.captured, 3);
});

/**
 * Expressions where netkit's filter dialect and libpcap 1.10 agree. They differ on IPv6 with extension
 * headers: netkit walks them (`tcp`, `udp`, `tcp[...]` match behind a hop-by-hop header), libpcap does not.
 */
const FILTER_PARITY: [string, string][] = [
  ["mixed.pcap", "ip and tcp"],
  ["mixed.pcap", "ip6"],
  ["mixed.pcap", "arp or icmp"],
  ["mixed.pcap", "vlan"],
  ["dns.pcap", "tcp[tcpflags] & tcp-syn != 0"],
  ["dns.pcap", "udp and not port 53"],
];

testIf("a filter on a file keeps what tcpdump keeps", TCPDUMP, async () => {
  let kept = 0;
  for (const [file, expr] of FILTER_PARITY) {
    const path = `${CORPUS}/${file}`;
    const mine = await sniffFile(expr.split(" "), Deno.readFileSync(path));
    const ref = await run("tcpdump", ["-n", "-r", path, expr]);
    assert.equal(mine.out, ref.stdout, `${file}: ${expr}`);
    kept += mine.result.captured;
  }
  assert(kept > 1000, `${kept}`);
});

Deno.test("a filter finds TCP behind IPv6 extension headers (where libpcap's code does not)", async () => {
  const s = await sniffFile(["-t", "ip6", "and", "tcp"], Deno.readFileSync(`${CORPUS}/mixed.pcap`));
  assert.match(s.out, /^IP6 \S+ > \S+: HBH \d+ > \d+: Flags \[S\]/m);
});

testIf(
  "a filter on a BSD loopback (NULL) file reads the family in the file's byte order, as tcpdump does",
  TCPDUMP,
  async () => {
    const { encodePcap } = await import("../../lib/pcap/writer.ts");
    const { emitIpv4 } = await import("../../lib/wire/ipv4.ts");
    const ip = emitIpv4({ src: "1.2.3.4", dst: "5.6.7.8", proto: 17 }, new Uint8Array(8));
    const dir = await Deno.makeTempDir({ prefix: "netkit-null-" });
    try {
      for (const byteOrder of ["little", "big"] as const) {
        // The family word (AF_INET = 2) as the capturing host wrote it: in the file's byte order.
        const fam = new Uint8Array(4);
        new DataView(fam.buffer).setUint32(0, 2, byteOrder === "little");
        const frame = new Uint8Array([...fam, ...ip]);
        const bytes = encodePcap([{ tsSec: 1, data: frame }], { linktype: 0, byteOrder });
        const path = `${dir}/${byteOrder}.pcap`;
        await Deno.writeFile(path, bytes);
        for (const expr of ["ip", "ip6", "udp"]) {
          const mine = await sniffFile([expr], bytes);
          const ref = await run("tcpdump", ["-n", "-r", path, expr]);
          assert.equal(mine.out, ref.stdout, `${byteOrder}-endian file: ${expr}`);
          assert.equal(mine.result.captured, expr === "ip6" ? 0 : 1, `${byteOrder}: ${expr}`);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testIf(
  "-e and -e -q on cooked (SLL, SLL2) and VLAN captures print what tcpdump prints",
  TCPDUMP,
  async () => {
    for (const file of ["sll.pcap", "sll2.pcap", "mixed.pcap"]) {
      for (const flags of [["-e"], ["-e", "-q"]]) {
        const path = `${CORPUS}/${file}`;
        const mine = await sniffFile(flags, Deno.readFileSync(path));
        const ref = await run("tcpdump", ["-n", ...flags, "-r", path]);
        const want = ref.stdout.split("\n");
        const got = mine.out.split("\n");
        // mixed.pcap also holds frames tcpdump decodes further than netkit (see KNOWN_DIFF): compare the
        // cooked and VLAN lines only there.
        const keep = (l: string) => file !== "mixed.pcap" || / 802\.1Q/.test(l);
        assert.deepEqual(got.filter(keep), want.filter(keep), `${file} ${flags.join(" ")}`);
      }
    }
  },
);

Deno.test("a bad filter throws FilterSyntaxError before reading", async () => {
  await assert.rejects(
    sniffFile(["tcp", "port", "x"], Deno.readFileSync(`${CORPUS}/tcp.pcap`)),
    FilterSyntaxError,
  );
});

Deno.test("-d prints the program for the file's link type and stops", async () => {
  const s = await sniffFile(["-d", "ip"], Deno.readFileSync(`${CORPUS}/tcp.pcap`));
  assert.match(s.out, /^\(000\) ldh {6}\[12\]\n/);
  assert.equal(s.result.captured, 0);
  const raw = await sniffFile(["-ddd", "ip"], Deno.readFileSync(`${CORPUS}/raw_ip.pcap`));
  assert.match(raw.out, /^\d+\n/);
});

Deno.test("a corrupt file throws PcapError; a truncated one yields every whole packet and a warning", async () => {
  await assert.rejects(sniffFile([], Deno.readFileSync(`${CORPUS}/bad_magic.pcap`)), PcapError);
  await assert.rejects(sniffFile([], Deno.readFileSync(`${CORPUS}/bad_caplen.pcap`)), PcapError);
  const s = await sniffFile(["-t"], Deno.readFileSync(`${CORPUS}/truncated_record.pcap`));
  assert.equal(s.out.trimEnd().split("\n").length, 4);
  assert(s.result.truncated && /truncated/.test(s.result.warning ?? ""));
});

/** Runs -r FILE -w into memory and returns the written bytes. */
async function rewrite(path: string, argv: string[], format: "pcap" | "pcapng"): Promise<Uint8Array> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let closed = false;
  await sniffFile(argv, Deno.readFileSync(path), {
    write: {
      format,
      open: () => ({ write: (c) => void chunks.push(c.slice()), close: () => void (closed = true) }),
    },
  });
  assert(closed, "the destination is closed");
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

type SnapRecord = { data: Uint8Array; len: number };

/** A classic pcap with this header snaplen and records (caplen may exceed it, as some writers do). */
function pcapWithSnaplen(snaplen: number, records: SnapRecord[]): Uint8Array {
  const head = new Uint8Array(24);
  const h = new DataView(head.buffer);
  h.setUint32(0, 0xa1b2c3d4, true);
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setUint32(16, snaplen, true);
  h.setUint32(20, 1, true);
  return cat(
    head,
    ...records.flatMap((r, i) => {
      const rh = new Uint8Array(16);
      const v = new DataView(rh.buffer);
      v.setUint32(0, 1700000000 + i, true);
      v.setUint32(8, r.data.length, true);
      v.setUint32(12, r.len, true);
      return [rh, r.data];
    }),
  );
}

/** A little-endian pcapng file: one interface of this snaplen (Ethernet), then enhanced packet blocks. */
function pcapngWithSnaplen(snaplen: number, records: SnapRecord[]): Uint8Array {
  const block = (type: number, body: Uint8Array) => {
    const b = new Uint8Array(12 + ((body.length + 3) & ~3));
    const v = new DataView(b.buffer);
    v.setUint32(0, type, true);
    v.setUint32(4, b.length, true);
    b.set(body, 8);
    v.setUint32(b.length - 4, b.length, true);
    return b;
  };
  const shb = new Uint8Array(16);
  new DataView(shb.buffer).setUint32(0, 0x1a2b3c4d, true);
  new DataView(shb.buffer).setUint16(4, 1, true);
  new DataView(shb.buffer).setBigInt64(8, -1n, true);
  const idb = new Uint8Array(8);
  new DataView(idb.buffer).setUint16(0, 1, true);
  new DataView(idb.buffer).setUint32(4, snaplen, true);
  return cat(
    block(0x0a0d0d0a, shb),
    block(1, idb),
    ...records.map((r, i) => {
      const body = new Uint8Array(20 + r.data.length);
      const v = new DataView(body.buffer);
      // Microseconds (the default resolution) since 1970.
      const us = BigInt(1700000000 + i) * 1000000n;
      v.setUint32(4, Number(us >> 32n), true);
      v.setUint32(8, Number(us & 0xffffffffn), true);
      v.setUint32(12, r.data.length, true);
      v.setUint32(16, r.len, true);
      body.set(r.data, 20);
      return block(6, body);
    }),
  );
}

/**
 * Files of snapshot lengths 40 and 0 holding a whole 53-byte ping and one captured to 30 bytes, read by
 * netkit and by tcpdump: the text and -x equal, the file line's snapshot length, and -w's file byte for byte.
 * `refuses40`: libpcap refuses the 53-byte record of the snaplen-40 file (pcapng) rather than cutting it.
 */
async function compareSnaplens(
  ext: string,
  build: (snaplen: number, records: SnapRecord[]) => Uint8Array,
  refuses40: boolean,
): Promise<void> {
  const ping = hex(
    "66778899aabb001122334455080045000028000100004001f7cc0101010102020202080055aa000100010000000000000000000000",
  );
  const dir = await Deno.makeTempDir({ prefix: "netkit-snaplen-" });
  try {
    for (const snaplen of [40, 0]) {
      const bytes = build(snaplen, [{ data: ping, len: ping.length }, {
        data: ping.slice(0, 30),
        len: ping.length,
      }]);
      const path = `${dir}/s${snaplen}.${ext}`;
      Deno.writeFileSync(path, bytes);
      const refused = refuses40 && snaplen === 40;
      for (const argv of [[], ["-x"]]) {
        const ref = await run("tcpdump", ["-n", ...argv, "-r", path]);
        if (refused) {
          // The first record (53 bytes) is refused: nothing printed, libpcap's message, exit 1.
          assert.equal(ref.code, 1);
          assert.match(ref.stderr, /invalid packet capture length 53, bigger than snaplen of 40/);
          await assert.rejects(
            sniffFile(["-n", ...argv], bytes),
            /invalid packet capture length 53, bigger than snaplen of 40/,
          );
          continue;
        }
        const mine = await sniffFile(["-n", ...argv], bytes);
        assert.equal(mine.out, ref.stdout, `snaplen ${snaplen} ${argv.join(" ")}`);
        assert.equal(
          mine.err[0],
          `reading from file f, link-type EN10MB (Ethernet), snapshot length ${snaplen || 262144}`,
        );
      }
      if (refused) continue;
      const theirs = `${dir}/t${snaplen}.pcap`;
      assert.equal((await run("tcpdump", ["-r", path, "-w", theirs])).code, 0);
      assert.deepEqual(await rewrite(path, [], "pcap"), Deno.readFileSync(theirs), `-w, snaplen ${snaplen}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

testIf(
  "a record captured longer than the file's snapshot length is cut to it, and a snaplen of 0 reads as " +
    "262144, as libpcap does: the text, -x and the -w file equal tcpdump's",
  needCommands("tcpdump"),
  () => compareSnaplens("pcap", pcapWithSnaplen, false),
);

testIf(
  "a pcapng file's first interface gives the snapshot length as libpcap reads it: 0 reads as 262144, and a " +
    "record captured longer than it stops the reading with libpcap's error; the text, -x and -w equal tcpdump's",
  needCommands("tcpdump"),
  () => compareSnaplens("pcapng", pcapngWithSnaplen, true),
);

Deno.test("-w writes the packets it read, bytes and timestamps intact, in pcap and pcapng", async () => {
  const path = `${CORPUS}/nanosecond.pcap`;
  const orig = [...readPacketsSync(Deno.readFileSync(path))];
  for (const format of ["pcap", "pcapng"] as const) {
    const back = [...readPacketsSync(await rewrite(path, ["--nano"], format))];
    assert.equal(back.length, orig.length);
    back.forEach((p, i) => {
      assert.deepEqual(p.data, orig[i].data);
      assert.equal(p.tsNsec, orig[i].tsNsec);
      assert.equal(p.len, orig[i].len);
    });
  }
});

testIf(
  "tcpdump and tshark read what -w wrote and see the same packets",
  needCommands("tcpdump", "tshark"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniff-${Deno.pid}-` });
    try {
      const src = `${CORPUS}/dns.pcap`;
      const ref = await run("tcpdump", ["-n", "-r", src]);
      for (const format of ["pcap", "pcapng"] as const) {
        const out = `${dir}/out.${format}`;
        Deno.writeFileSync(out, await rewrite(src, [], format));
        assert.equal((await run("tcpdump", ["-n", "-r", out])).stdout, ref.stdout, format);
        const ts = await run("tshark", ["-n", "-r", out, "-T", "fields", "-e", "frame.len"]);
        assert.equal(ts.code, 0, ts.stderr);
        assert.equal(ts.stdout.trim().split("\n").length, ref.stdout.trim().split("\n").length);
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

Deno.test("parseSnifferArgs reads tcpdump's flags and refuses bad ones", () => {
  const c = parseSnifferArgs(["-XX", "-vv", "-tttt", "-Q", "in", "-s", "0", "-B", "4096", "-w", "x.pcapng"]);
  assert(c.kind === "run");
  assert.equal(c.options.hex, "XX");
  assert.equal(c.options.timestamps, "date");
  assert.equal(c.options.snaplen, 262144);
  assert.equal(c.options.bufferSize, 4096 * 1024);
  assert.equal(c.writeFormat, "pcapng");
  assert.equal(parseSnifferArgs(["-D"]).kind, "list");
  for (
    const bad of [["-c", "0"], ["-c", "x"], ["-Q", "up"], ["--bogus"], ["-s", "-1"], [
      "--format",
      "txt",
      "-w",
      "a",
    ]]
  ) {
    assert.throws(() => parseSnifferArgs(bad), UsageError, bad.join(" "));
  }
});

Deno.test("formatStats and formatInterfaceList follow tcpdump's wording", () => {
  assert.equal(formatStats({ captured: 2 }), "2 packets captured");
  const base = { flags: 0, promisc: false, mtu: 1500, hatype: 1, mac: "", addresses: [] };
  const list = formatInterfaceList([
    { ...base, index: 1, name: "lo", up: true, running: true, loopback: true },
    { ...base, index: 2, name: "dummy9", up: false, running: false, loopback: false },
    { ...base, index: 3, name: "eth0", up: true, running: true, loopback: false },
  ]);
  assert.equal(
    list,
    "1.eth0 [Up, Running, Connected]\n2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n" +
      "3.lo [Up, Running, Loopback]\n4.dummy9 [none]",
  );
});

// ----------------------------------------------------------------------------------------------------------
// Live, on lo.

interface Live {
  sniffer: Sniffer;
  done: Promise<SnifferResult>;
  text: () => string;
  err: string[];
  stop: AbortController;
}

/** Starts a live sniffer and resolves once it is listening. */
async function startLive(opts: Partial<SnifferOptions>): Promise<Live> {
  let out = "";
  const err: string[] = [];
  const stop = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<void>();
  const sniffer = new Sniffer({
    stdout: (b) => out += td.decode(b),
    stderr: (l) => (err.push(l), l.startsWith("listening on") && resolve()),
    signal: stop.signal,
    ...opts,
  });
  const done = sniffer.run();
  await Promise.race([listening, done]);
  return { sniffer, done, text: () => out, err, stop };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

/** One TCP conversation with the echo server: connect, send `msg`, read the echo, close. */
async function echoOnce(port: number, msg: string): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(msg));
    const buf = new Uint8Array(msg.length);
    let got = 0;
    while (got < msg.length) {
      const n = await conn.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    assert.equal(td.decode(buf), msg);
  } finally {
    conn.close();
  }
}

testIf(
  "live on lo: the echo conversation's handshake, data and close, in order, with lengths",
  RAW,
  async () => {
    await using server = await serveEcho({ hostname: "127.0.0.1", port: 0, graceMs: 100 });
    const port = server.addr.port;
    const live = await startLive({ interface: "lo", filter: `tcp port ${port}`, timestamps: "none" });
    try {
      await echoOnce(port, "hello netkit!");
      await until(() =>
        (live.text().match(/Flags \[F/g) ?? []).length >= 2 && /ack \d+, win/.test(live.text())
      );
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      live.stop.abort();
    }
    const r = await live.done;
    const lines = live.text().trimEnd().split("\n");
    const c = `127.0.0.1.(\\d+)`;
    assert.match(
      lines[0],
      new RegExp(`^IP ${c} > 127\\.0\\.0\\.1\\.${port}: Flags \\[S\\], seq \\d+, win \\d+, .*length 0$`),
    );
    assert.match(
      lines[1],
      new RegExp(`^IP 127\\.0\\.0\\.1\\.${port} > ${c}: Flags \\[S\\.\\], seq \\d+, ack \\d+,`),
    );
    assert.match(lines[2], /Flags \[\.\], ack 1, win \d+, .*length 0$/);
    const data = lines.findIndex((l) =>
      new RegExp(`> 127\\.0\\.0\\.1\\.${port}: Flags \\[P\\.\\], seq 1:14, ack 1,.* length 13$`).test(l)
    );
    const echo = lines.findIndex((l) =>
      new RegExp(`^IP 127\\.0\\.0\\.1\\.${port} > .*Flags \\[P\\.\\], seq 1:14,.* length 13$`).test(l)
    );
    const fin = lines.findIndex((l) => /Flags \[F\.\]/.test(l));
    assert(data > 2 && echo > data && fin > echo, lines.join("\n"));
    assert.equal(r.captured, lines.length);
    assert(r.received! >= r.captured && r.dropped === 0, JSON.stringify(r));
    assert.equal(
      live.err.at(-1),
      "listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes",
    );
  },
);

testIf("live: -c stops the capture by itself", RAW, async () => {
  const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (rx.addr as Deno.NetAddr).port;
  const live = await startLive({ interface: "lo", filter: `udp port ${port}`, count: 3, json: true });
  try {
    const end = Date.now() + 5000;
    let ended = false;
    live.done.finally(() => ended = true);
    for (let i = 0; i < 200 && !ended && Date.now() < end; i++) {
      await rx.send(new Uint8Array(5), { transport: "udp", hostname: "127.0.0.1", port });
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await live.done;
    assert.equal(r.captured, 3);
    const recs = live.text().trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(recs.map((x) => x.n), [1, 2, 3]);
    assert(recs.every((x) => x.ifname === "lo" && x.dir === "in" && x.layers.at(-1).layer === "udp"));
  } finally {
    live.stop.abort();
    await live.done.catch(() => {});
    rx.close();
  }
});

testIf(
  "live -i any: pcapng has an interface block named lo; pcap has SLL2 records tcpdump prints",
  RAW,
  async () => {
    await using server = await serveEcho({ hostname: "127.0.0.1", port: 0, graceMs: 100 });
    const port = server.addr.port;
    const files: Record<string, Uint8Array<ArrayBuffer>[]> = { pcap: [], pcapng: [] };
    const lives = await Promise.all((["pcap", "pcapng"] as const).map((format) =>
      startLive({
        interface: "any",
        filter: `tcp port ${port}`,
        write: {
          format,
          open: () => ({ write: (c) => void files[format].push(c.slice()), close: () => {} }),
        },
      })
    ));
    try {
      await echoOnce(port, "any interface");
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      for (const l of lives) l.stop.abort();
    }
    const results = await Promise.all(lives.map((l) => l.done));
    const ng = readPacketsSync(new Uint8Array(await new Blob(files.pcapng).arrayBuffer()));
    const ngPackets = [...ng];
    assert(ngPackets.length >= 8 && ngPackets.length === results[1].captured, `${ngPackets.length}`);
    assert(ng.interfaces.some((i) => i.name === "lo" && i.linktype === 1));
    assert(ngPackets.every((p) => p.ifName === "lo" && p.direction === "in"));
    const pcapBytes = new Uint8Array(await new Blob(files.pcap).arrayBuffer());
    const pc = readPacketsSync(pcapBytes);
    const pcPackets = [...pc];
    assert.equal(pc.linktype, 276);
    assert(pcPackets.length >= 8);
    if (TCPDUMP === undefined) {
      const dir = Deno.makeTempDirSync({ prefix: `netkit-sniff-${Deno.pid}-` });
      try {
        Deno.writeFileSync(`${dir}/any.pcap`, pcapBytes);
        const t = await run("tcpdump", ["-n", "-r", `${dir}/any.pcap`]);
        const lines = t.stdout.trimEnd().split("\n");
        assert.equal(lines.length, pcPackets.length);
        assert(lines.every((l) => / lo {4}In {2}IP 127\.0\.0\.1\./.test(l)), t.stdout);
        assert.match(lines[0], /Flags \[S\]/);
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    }
  },
);

testIf(
  "live -i any text: the time, then the interface and direction columns as tcpdump prints them",
  RAW,
  async () => {
    const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const port = (rx.addr as Deno.NetAddr).port;
    const live = await startLive({ interface: "any", filter: `udp dst port ${port}`, count: 2 });
    try {
      let ended = false;
      live.done.finally(() => ended = true);
      const end = Date.now() + 5000;
      for (let i = 0; i < 100 && !ended && Date.now() < end; i++) {
        await rx.send(new Uint8Array(1), { transport: "udp", hostname: "127.0.0.1", port });
        await new Promise((r) => setTimeout(r, 10));
      }
      await live.done;
      const lines = live.text().trimEnd().split("\n");
      assert.equal(lines.length, 2);
      const re = new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} lo {4}In {2}IP 127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.${port}: UDP, length 1$`,
      );
      for (const l of lines) assert.match(l, re);
      assert.equal(
        live.err.at(-1),
        "listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes",
      );
    } finally {
      live.stop.abort();
      await live.done.catch(() => {});
      rx.close();
    }
  },
);
