/**
 * Interoperability with the reference tools: tcpdump and tshark read what netkit writes and see the same
 * packets; netkit reads what tcpdump, tshark and editcap write and sees what tshark sees.
 */
import assert from "node:assert/strict";
import { needCommands, needNetRaw, repoPath, run, testIf } from "../_helpers.ts";
import { type PcapRecord, readPacketsSync } from "../../lib/pcap/reader.ts";
import { encodePcap, encodePcapng, type PcapWriteRecord } from "../../lib/pcap/writer.ts";

const CORPUS = repoPath("tests/fixtures/corpus");
const TSHARK_FIELDS = ["frame.time_epoch", "frame.len", "frame.cap_len"];

function pad9(n: number): string {
  return String(n).padStart(9, "0");
}

/** What tshark prints for a record with {@link TSHARK_FIELDS}. */
function tsharkRow(
  p: { tsSec?: number; tsNsec?: number; len?: number; caplen?: number; data: Uint8Array },
): string {
  return `${p.tsSec ?? 0}.${pad9(p.tsNsec ?? 0)}|${p.len ?? p.data.length}|${p.caplen ?? p.data.length}`;
}

async function tshark(file: string, fields = TSHARK_FIELDS, extra: string[] = []): Promise<string[]> {
  const args = ["-r", file, "-T", "fields", "-E", "separator=|", ...extra];
  for (const f of fields) args.push("-e", f);
  const r = await run("tshark", args, { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `tshark -r ${file}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** `tcpdump -r file -tt -n` timestamps (first word of each line), at the given precision. */
async function tcpdumpTimes(file: string, nano: boolean): Promise<string[]> {
  const args = ["-r", file, "-tt", "-n"];
  if (nano) args.push("--time-stamp-precision=nano");
  const r = await run("tcpdump", args, { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `tcpdump -r ${file}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => l.split(" ")[0]);
}

async function withTemp<T>(suffix: string, fn: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ prefix: `netkit_pcap_${Deno.pid}_`, suffix });
  try {
    return await fn(path);
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

/** Records of a corpus file, copied so they outlive the file's bytes being reused. */
function corpus(name: string, limit = Infinity): PcapRecord[] {
  return [...readPacketsSync(Deno.readFileSync(`${CORPUS}/${name}`))].slice(0, limit);
}

// Varied timestamps: the corpus's, plus odd nanoseconds so a lost digit would show.
function withOddTimes(recs: PcapRecord[]): PcapWriteRecord[] {
  return recs.map((p, i) => ({ ...p, tsSec: p.tsSec + i * 3, tsNsec: (i * 7919 * 104729) % 1e9 }));
}

const NEED_PEERS = needCommands("tshark", "tcpdump", "editcap");

testIf(
  "tcpdump and tshark read netkit's pcap (µs and ns, both byte orders) packet for packet",
  NEED_PEERS,
  async () => {
    const recs = withOddTimes(corpus("mixed.pcap", 1500));
    for (const byteOrder of ["little", "big"] as const) {
      for (const nanosecond of [false, true]) {
        await withTemp(".pcap", async (path) => {
          await Deno.writeFile(path, encodePcap(recs, { byteOrder, nanosecond }));
          const ours = [...readPacketsSync(await Deno.readFile(path))];
          const label = `${byteOrder} ${nanosecond ? "ns" : "µs"}`;
          assert.deepEqual(await tshark(path), ours.map(tsharkRow), label);
          const want = ours.map((p) =>
            `${p.tsSec}.${nanosecond ? pad9(p.tsNsec) : pad9(p.tsNsec).slice(0, 6)}`
          );
          assert.deepEqual(await tcpdumpTimes(path, nanosecond), want, label);
          assert.equal(ours.length, 1500);
        });
      }
    }
  },
);

testIf(
  "tshark reads netkit's pcapng: interfaces, link types, directions, comments, both byte orders",
  NEED_PEERS,
  async () => {
    const eth = corpus("udp.pcap");
    const sll = corpus("sll.pcap");
    const recs: PcapWriteRecord[] = [];
    for (let i = 0; i < 10; i++) {
      const fromSll = i % 3 === 2;
      const src = fromSll ? sll[i % sll.length] : eth[i % eth.length];
      recs.push({
        ...src,
        tsSec: 1700000000 + i,
        tsNsec: i * 99_999_999 + 7,
        ifName: fromSll ? "any" : i % 2 ? "eth0" : "eth1",
        direction: i % 4 === 0 ? undefined : i % 4 === 1 ? "in" : "out",
        comment: i === 5 ? "five" : undefined,
      });
    }
    const fields = [
      ...TSHARK_FIELDS,
      "frame.interface_name",
      "frame.packet_flags_direction",
      "frame.comment",
    ];
    for (const byteOrder of ["little", "big"] as const) {
      for (const nanosecond of [false, true]) {
        await withTemp(".pcapng", async (path) => {
          await Deno.writeFile(path, encodePcapng(recs, { byteOrder, nanosecond }));
          const ours = [...readPacketsSync(await Deno.readFile(path))];
          const want = ours.map((p) =>
            [
              tsharkRow(p),
              p.ifName,
              p.direction === undefined ? "" : p.direction === "in" ? "0x00000001" : "0x00000002",
              p.comment ?? "",
            ].join("|")
          );
          assert.deepEqual(await tshark(path, fields), want, `${byteOrder} ${nanosecond ? "ns" : "µs"}`);
          assert.equal(ours.filter((p) => p.linktype === 113).length, 3);
        });
      }
    }
  },
);

testIf("tcpdump reads netkit's single-interface pcapng", NEED_PEERS, async () => {
  const recs = withOddTimes(corpus("tcp.pcap"));
  await withTemp(".pcapng", async (path) => {
    await Deno.writeFile(
      path,
      encodePcapng(recs.map((r) => ({ ...r, ifName: "eth0" })), { nanosecond: true }),
    );
    const ours = [...readPacketsSync(await Deno.readFile(path))];
    assert.deepEqual(await tcpdumpTimes(path, true), ours.map((p) => `${p.tsSec}.${pad9(p.tsNsec)}`));
  });
});

testIf(
  "netkit reads what editcap and tcpdump write (pcapng, nanosecond pcap, pcap) as tshark does",
  NEED_PEERS,
  async () => {
    const conversions: [string, string, string[]][] = [
      ["mixed.pcap", "editcap", ["-F", "pcapng"]],
      ["mixed.pcap", "editcap", ["-F", "nsecpcap"]],
      ["two_interfaces.pcapng", "editcap", ["-F", "pcapng"]],
      ["nanosecond.pcap", "editcap", ["-F", "pcapng"]],
      ["snaplen64.pcap", "editcap", ["-F", "pcapng"]],
      ["sll2.pcap", "editcap", ["-F", "pcap"]],
      ["big_endian_nano.pcap", "editcap", ["-F", "pcap"]],
      ["two_interfaces.pcapng", "editcap", ["-F", "pcapng", "-T", "rawip"]], // tshark rewriting the link type
      ["dns.pcap", "tcpdump", []],
      ["mixed.pcap", "tcpdump", ["tcp or arp"]],
    ];
    for (const [name, tool, args] of conversions) {
      await withTemp(".out", async (path) => {
        const src = `${CORPUS}/${name}`;
        const r = tool === "editcap"
          ? await run("editcap", [...args, src, path], { timeoutMs: 30_000 })
          : await run("tcpdump", ["-r", src, "-w", path, ...args], { timeoutMs: 30_000 });
        assert.equal(r.code, 0, `${tool} ${args.join(" ")} ${name}: ${r.stderr}`);
        const reader = readPacketsSync(await Deno.readFile(path));
        const ours = [...reader];
        assert.deepEqual(ours.map(tsharkRow), await tshark(path), `${tool} ${args.join(" ")} ${name}`);
        assert.equal(reader.truncated, false);
        if (args.includes("pcapng")) assert.equal(reader.format, "pcapng");
        if (args.includes("nsecpcap")) assert.equal(reader.nanosecond, true);
        if (tool === "editcap" && name === "two_interfaces.pcapng" && !args.includes("-T")) {
          assert.deepEqual(ours.map((p) => p.ifName), ["eth0", "any", "eth0", "eth0"]);
          assert.deepEqual(ours.map((p) => p.direction), ["out", "in", undefined, "in"]);
          assert.equal(ours[0].comment, "outbound on eth0");
        }
      });
    }
  },
);

/**
 * Captures `count` UDP datagrams sent to a fresh port on 127.0.0.1 with a live capture tool, then checks that
 * netkit reads its file as tshark does.
 */
async function liveCapture(tool: "tcpdump" | "tshark", suffix: string): Promise<void> {
  const count = 5;
  const receiver = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (receiver.addr as Deno.NetAddr).port;
  try {
    await capture(tool, suffix, port, count);
  } finally {
    receiver.close();
  }
}

async function capture(
  tool: "tcpdump" | "tshark",
  suffix: string,
  port: number,
  count: number,
): Promise<void> {
  await withTemp(suffix, async (path) => {
    const args = tool === "tcpdump"
      ? ["-i", "lo", "-n", "-U", "-c", String(count), "-w", path, `udp and dst port ${port}`]
      : ["-i", "lo", "-c", String(count), "-w", path, "-f", `udp and dst port ${port}`];
    const child = new Deno.Command("timeout", {
      args: ["20", tool, ...args],
      stdout: "null",
      stderr: "piped",
    })
      .spawn();
    const stderr: string[] = [];
    try {
      // Wait (bounded) until the tool says it is capturing, so no datagram is sent before it listens.
      const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      const ready = /listening on|Capturing on/;
      const deadline = Date.now() + 15_000;
      while (!ready.test(stderr.join("")) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        stderr.push(value);
      }
      assert.match(stderr.join(""), ready, `${tool} did not start: ${stderr.join("")}`);
      const sender = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
      // Send until the tool has its count and exits (it may miss nothing, but a noisy machine could delay it);
      // bounded to 40 datagrams and the 20 s timeout above.
      const done = child.status;
      let exited = false;
      done.then(() => exited = true);
      for (let i = 0; i < 40 && !exited; i++) {
        await sender.send(new TextEncoder().encode(`netkit ${i}`), {
          transport: "udp",
          hostname: "127.0.0.1",
          port,
        });
        await new Promise((r) => setTimeout(r, i < count ? 10 : 200));
      }
      // Drain the rest of stderr so the pipe closes.
      for (;;) {
        const { done: eof } = await reader.read();
        if (eof) break;
      }
      const status = await done;
      assert.equal(status.code, 0, `${tool} exit ${status.code}: ${stderr.join("")}`);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }
    const bytes = await Deno.readFile(path);
    const reader = readPacketsSync(bytes);
    const ours = [...reader];
    assert.equal(ours.length, count);
    assert.equal(reader.format, tool === "tcpdump" ? "pcap" : "pcapng");
    assert.deepEqual(ours.map(tsharkRow), await tshark(path));
    for (const p of ours) {
      assert.equal(p.linktype, 1); // lo is Ethernet-framed
      assert.match(new TextDecoder().decode(p.data.subarray(42)), /^netkit \d+$/);
    }
    if (tool === "tshark") assert.equal(ours[0].ifName, "lo");
  });
}

const NEED_LIVE = needNetRaw() ?? needCommands("tcpdump", "tshark", "timeout");

testIf(
  "netkit reads a live tcpdump -w capture on lo as tshark does",
  NEED_LIVE,
  () => liveCapture("tcpdump", ".pcap"),
);

testIf(
  "netkit reads a live tshark -w (pcapng) capture on lo as tshark does",
  NEED_LIVE,
  () => liveCapture("tshark", ".pcapng"),
);

testIf(
  "netkit reads every corpus file as tshark does (time, length, captured length)",
  NEED_PEERS,
  async () => {
    const manifest: Record<string, { error?: string }> = JSON.parse(
      await Deno.readTextFile(`${CORPUS}/manifest.json`),
    );
    for (const [name, m] of Object.entries(manifest)) {
      if (m.error) continue;
      const path = `${CORPUS}/${name}`;
      const args = [
        "-r",
        path,
        "-T",
        "fields",
        "-E",
        "separator=|",
        ...TSHARK_FIELDS.flatMap((f) => ["-e", f]),
      ];
      const r = await run("tshark", args, { timeoutMs: 50_000 });
      // tshark exits non-zero after the whole packets of a truncated file ("cut short in the middle").
      assert.equal(r.code !== 0, name.startsWith("truncated"), `${name}: ${r.stderr}`);
      const theirs = r.stdout.split("\n").filter((l) => l !== "");
      assert.deepEqual(corpus(name).map(tsharkRow), theirs, name);
    }
  },
);
