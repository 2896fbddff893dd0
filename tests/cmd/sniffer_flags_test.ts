/**
 * tcpdump's output and file flags beyond the basics: `-A`/`-AA` (the packet as text), `-#` (numbered lines),
 * `-l` (a line at a time), `-F` (the filter from a file), `--count`, `--print` with `-w`,
 * `--time-stamp-precision`/`--micro`/`--nano`, `--immediate-mode`, `--version`. tcpdump is the oracle where
 * it prints the same thing: the corpus and hand-built frames whose payloads hold text, carriage returns and
 * line feeds in every position, cut frames, and frames whose link header is cut.
 *
 * @module
 */
import assert from "node:assert/strict";
import { needCommands, needNetRaw, run, testIf } from "../_helpers.ts";
import { cleanUp, CORPUS, sendUdp, sniff, spawnLive, statusWithin } from "./_sniffer.ts";
import { buildPacket } from "../../lib/craft/build.ts";
import { encodePcap, readPacketsSync } from "../../lib/pcap/mod.ts";
import { Sniffer } from "../../lib/capture/sniffer.ts";
import { asciiDump } from "../../lib/wire/hexdump.ts";
import { NETKIT_VERSION } from "../../lib/usage.ts";
import { text } from "../_bytes.ts";

const TCPDUMP = needCommands("tcpdump");
const RAW = needNetRaw() ?? TCPDUMP;
const MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };

function tcp(payload: Uint8Array, flags = 0x18): Uint8Array {
  return buildPacket([
    { layer: "eth", ...MAC },
    { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2" },
    { layer: "tcp", srcPort: 40000, dstPort: 80, seq: 1, ack: 1, flags },
    { layer: "raw", data: payload },
  ]);
}

function udp(payload: Uint8Array): Uint8Array {
  return buildPacket([
    { layer: "eth", ...MAC },
    { layer: "ipv6", src: "2001:db8::1", dst: "2001:db8::2" },
    { layer: "udp", srcPort: 5000, dstPort: 6000 },
    { layer: "raw", data: payload },
  ]);
}

/** Payloads with carriage returns and line feeds in every position tcpdump's -A treats apart. */
const PAYLOADS = [
  "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x\r\n\r\n",
  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
  "a\rb",
  "a\r",
  "a\rb\r",
  "ab\r\r",
  "\r",
  "\r\r",
  "\r\r\r",
  "\n\r\n\r",
  "tab\there space 0x7f:\x7f high:\u00ff end",
  "x\r\ry\r\nz",
  "",
].map(text);

function frames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of PAYLOADS) out.push(tcp(p), udp(p));
  out.push(tcp(new Uint8Array(0), 0x02)); // a SYN: no payload
  return out;
}

/** Records of a pcap: whole frames, frames cut to a caplen (also inside the link header), one per second. */
function records(all: Uint8Array[]) {
  const recs = all.map((data, i) => ({ tsSec: 1700000000 + i, tsUsec: 1000 * i, data, len: data.length }));
  for (const [i, cut] of [[0, 60], [0, 20], [1, 70], [2, 10], [3, 14], [4, 0]]) {
    const f = all[i];
    recs.push({ tsSec: 1700000100 + recs.length, tsUsec: 0, data: f.subarray(0, cut), len: f.length });
  }
  return recs;
}

function tempPcap(recs: ReturnType<typeof records>): { dir: string; file: string } {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffflags-${Deno.pid}-` });
  const file = `${dir}/t.pcap`;
  Deno.writeFileSync(file, encodePcap(recs, { linktype: 1 }));
  return { dir, file };
}

const FLAG_SETS = [
  ["-A"],
  ["-AA"],
  ["-#"],
  ["-#", "-A", "-e"],
  ["-A", "-x"],
  ["-A", "-X"],
  ["-AA", "-v"],
  ["-#", "-tt", "-q", "-AA"],
  ["-A", "-c", "3"],
];

testIf("-A, -AA and -# print what tcpdump prints, over text payloads and cut frames", TCPDUMP, async () => {
  const { dir, file } = tempPcap(records(frames()));
  try {
    for (const flags of FLAG_SETS) {
      const want = await run("tcpdump", ["-n", "-r", file, ...flags]);
      assert.equal(want.code, 0, want.stderr);
      const got = await sniff(["-n", "-r", file, ...flags]);
      assert.equal(got.code, 0, got.err);
      assert.equal(got.out, want.stdout, flags.join(" "));
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

testIf("-A, -AA and -# over the corpus equal tcpdump's", TCPDUMP, async () => {
  let files = 0;
  for (const e of Deno.readDirSync(CORPUS)) {
    if (!e.name.endsWith(".pcap") || e.name.startsWith("bad_")) continue;
    const f = `${CORPUS}/${e.name}`;
    for (const flags of [["-A"], ["-AA", "-#"]]) {
      const want = await run("tcpdump", ["-n", "-r", f, ...flags]);
      if (want.code !== 0) continue; // files tcpdump refuses are other tests' business
      assert.equal((await sniff(["-n", "-r", f, ...flags])).out, want.stdout, `${e.name} ${flags.join(" ")}`);
    }
    files++;
  }
  assert(files >= 10, `${files} files compared`);
});

Deno.test("-A golden: tcpdump's text rules, without tcpdump", async () => {
  assert.equal(asciiDump(text("GET /\r\nHost: a\r\n\r\n")), "GET /\nHost: a\n\n");
  // A carriage return prints as "." only with more than one byte after it and no line feed next.
  assert.equal(asciiDump(text("a\rbc")), "a.bc");
  assert.equal(asciiDump(text("a\rb")), "ab");
  assert.equal(asciiDump(text("a\r")), "a");
  assert.equal(asciiDump(Uint8Array.of(0x09, 0x20, 0x00, 0x7f, 0x80, 0x21, 0x7e)), "\t ...!~");
  const f = udp(text("hi\r\n"));
  const { dir, file } = tempPcap([{ tsSec: 0, tsUsec: 0, data: f, len: f.length }]);
  try {
    const line = "IP6 2001:db8::1.5000 > 2001:db8::2.6000: UDP, length 4";
    const a = await sniff(["-t", "-#", "-A", "-r", file]);
    assert.equal(a.out, `    1  ${line}\n${asciiDump(f.subarray(14))}\n`);
    assert(a.out.endsWith("hi\n\n"));
    const aa = await sniff(["-t", "-AA", "-r", file]);
    assert.equal(aa.out, `${line}\n${asciiDump(f)}\n`);
    // -x wins over -A, as in tcpdump.
    const x = await sniff(["-t", "-A", "-x", "-r", file]);
    assert(x.out.startsWith(`${line}\n\t0x0000:  6000 0000`), x.out);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-# numbers the packets printed (after the filter), -c counts the same", async () => {
  const r = await sniff(["-#", "-t", "-c", "2", "-r", `${CORPUS}/dns.pcap`, "udp"]);
  assert.equal(r.code, 0);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert(lines[0].startsWith("    1  IP "), lines[0]);
  assert(lines[1].startsWith("    2  IP "), lines[1]);
});

testIf(
  "--count prints only the number of packets, as tcpdump; with -w it still writes",
  TCPDUMP,
  async () => {
    const f = `${CORPUS}/dns.pcap`;
    for (const args of [[], ["udp"], ["-c", "3"], ["tcp"]]) {
      const want = await run("tcpdump", ["-n", "--count", "-r", f, ...args]);
      const got = await sniff(["--count", "-r", f, ...args]);
      assert.equal(got.code, 0, got.err);
      assert.equal(got.out, want.stdout, args.join(" "));
      assert.match(got.out, /^\d+ packets?\n$/);
    }
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffcount-${Deno.pid}-` });
    try {
      const got = await sniff(["--count", "-r", f, "-w", `${dir}/c.pcap`, "udp"]);
      assert.equal(got.code, 0, got.err);
      const n = Number(got.out.split(" ")[0]);
      assert(n > 0);
      assert.equal([...readPacketsSync(Deno.readFileSync(`${dir}/c.pcap`))].length, n);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

Deno.test("--print with -w prints each packet and writes the same file as -w alone", async () => {
  const f = `${CORPUS}/tcp.pcap`;
  const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffprint-${Deno.pid}-` });
  try {
    const plain = await sniff(["-r", f, "-w", `${dir}/a.pcap`, "tcp"]);
    const both = await sniff(["-r", f, "-w", `${dir}/b.pcap`, "--print", "tcp"]);
    assert.equal(plain.code + both.code, 0, plain.err + both.err);
    assert.equal(plain.out, "");
    assert.equal(both.out, (await sniff(["-r", f, "tcp"])).out);
    assert(both.out.length > 0);
    assert.deepEqual(Deno.readFileSync(`${dir}/b.pcap`), Deno.readFileSync(`${dir}/a.pcap`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-F reads the filter from a file, with # comments; a filter on the line is ignored, with a warning", async () => {
  const f = `${CORPUS}/dns.pcap`;
  const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffF-${Deno.pid}-` });
  try {
    Deno.writeFileSync(`${dir}/f`, text("# DNS answers only\nudp and # the transport\n  src port 53\n"));
    const want = await sniff(["-r", f, "udp", "and", "src", "port", "53"]);
    const got = await sniff(["-r", f, "-F", `${dir}/f`]);
    assert.equal(got.code, 0, got.err);
    assert.equal(got.out, want.out);
    assert(want.out.length > 0 && want.out !== (await sniff(["-r", f])).out);
    const ignored = await sniff(["-r", f, "-F", `${dir}/f`, "tcp"]);
    assert.equal(ignored.out, want.out);
    assert.match(ignored.err, /^sniffer: warning: -F given, ignoring the expression "tcp"\n/);
    // A NUL ends the text; an empty file is no filter.
    Deno.writeFileSync(`${dir}/nul`, Uint8Array.of(...text("udp and src port 53"), 0, ...text(" garbage (")));
    assert.equal((await sniff(["-r", f, "-F", `${dir}/nul`])).out, want.out);
    Deno.writeFileSync(`${dir}/empty`, new Uint8Array(0));
    assert.equal((await sniff(["-r", f, "-F", `${dir}/empty`])).out, (await sniff(["-r", f])).out);
    const missing = await sniff(["-r", f, "-F", `${dir}/nope`]);
    assert.deepEqual([missing.code, missing.err], [1, `sniffer: ${dir}/nope: No such file or directory\n`]);
    Deno.writeFileSync(`${dir}/bad`, text("udp and\n"));
    const bad = await sniff(["-r", f, "-F", `${dir}/bad`]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^sniffer: filter: /);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

testIf("--time-stamp-precision, --micro and --nano print as tcpdump's", TCPDUMP, async () => {
  const f = `${CORPUS}/big_endian_nano.pcap`;
  for (
    const flags of [
      ["--time-stamp-precision", "nano"],
      ["--time-stamp-precision=micro"],
      ["--nano"],
      ["--micro"],
      ["--nano", "--time-stamp-precision=nano"],
    ]
  ) {
    const want = await run("tcpdump", ["-n", "-r", f, ...flags]);
    assert.equal(want.code, 0, want.stderr);
    assert.equal((await sniff(["-r", f, ...flags])).out, want.stdout, flags.join(" "));
  }
});

Deno.test("usage errors of the new flags: one line, exit 2", async () => {
  const f = `${CORPUS}/dns.pcap`;
  for (
    const args of [
      ["--time-stamp-precision", "pico", "-r", f],
      ["--nano", "--micro", "-r", f],
      ["--print", "-r", f],
      ["--print", "-w", "-", "-r", f],
      ["--count", "--json", "-r", f],
      ["-F"],
    ]
  ) {
    const r = await sniff(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /^sniffer: [^\n]*\(see --help\)\n$/, args.join(" "));
  }
});

Deno.test("--version names netkit's version, which is deno.json's", async () => {
  const r = await sniff(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`^sniffer \\(netkit\\) version ${NETKIT_VERSION.replaceAll(".", "\\.")}\n`));
  const cfg = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  assert.equal(NETKIT_VERSION, cfg.version);
});

Deno.test("-l hands each packet's line over at once (one write per packet), without it lines go in batches", async () => {
  const count = async (lineBuffered: boolean, json = false) => {
    let writes = 0;
    const bytes = Deno.readFileSync(`${CORPUS}/tcp.pcap`);
    const s = new Sniffer({
      read: { source: new Blob([bytes]).stream(), name: "tcp.pcap" },
      lineBuffered,
      json,
      stdout: () => writes++,
      stderr: () => {},
    });
    const r = await s.run();
    return { writes, captured: r.captured };
  };
  const l = await count(true);
  const batched = await count(false);
  assert(l.captured > 3);
  assert.equal(l.writes, l.captured);
  assert(batched.writes < batched.captured, `${batched.writes} writes for ${batched.captured} packets`);
  const json = await count(true, true);
  assert.equal(json.writes, json.captured, "--json -l: a write per record");
});

testIf(
  "process: live -A -# -l on lo prints each datagram's text as it comes; --print -w writes it too",
  RAW,
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-snifflive-${Deno.pid}-` });
    const port = 21000 + (Deno.pid % 20000);
    const live = await spawnLive([
      "-i",
      "lo",
      "-l",
      "-#",
      "-A",
      "--print",
      "-w",
      `${dir}/p.pcap`,
      "-c",
      "3",
      "udp",
      "dst",
      "port",
      String(port),
    ]);
    try {
      assert(live.listening, "the sniffer started");
      await sendUdp(port, 3);
      const st = await statusWithin(live.child, 20_000);
      const out = new TextDecoder().decode(await new Response(live.child.stdout).arrayBuffer());
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      const heads = out.split("\n").filter((l) => / IP 127\.0\.0\.1\.\d+ > /.test(l));
      assert.deepEqual(heads.map((l) => l.slice(0, 7)), ["    1  ", "    2  ", "    3  "], out);
      assert.match(out, new RegExp(`127\\.0\\.0\\.1\\.${port}: UDP, length 1\n`));
      assert.equal([...readPacketsSync(Deno.readFileSync(`${dir}/p.pcap`))].length, 3);
    } finally {
      cleanUp(dir, live.child);
    }
  },
);

testIf(
  "process: -i N captures on the N-th interface of -D's list, as tcpdump; past the end is exit 2",
  RAW,
  async () => {
    const list = (await sniff(["-D"])).out.trimEnd().split("\n");
    const n = list.findIndex((l) => /^\d+\.lo /.test(l)) + 1;
    assert(n > 0, list.join("\n"));
    const bad = await sniff(["-i", String(list.length + 1), "-c", "1"]);
    assert.deepEqual(
      [bad.code, bad.err],
      [2, `sniffer: invalid interface index ${list.length + 1}: -D lists ${list.length} (see --help)\n`],
    );
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffidx-${Deno.pid}-` });
    const port = 23000 + (Deno.pid % 20000);
    const live = await spawnLive(["-i", String(n), "-c", "1", "udp", "port", String(port)]);
    try {
      assert(live.listening, "the sniffer started");
      await sendUdp(port, 1);
      const st = await statusWithin(live.child, 20_000);
      const out = new TextDecoder().decode(await new Response(live.child.stdout).arrayBuffer());
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(err, /listening on lo, link-type EN10MB/);
      assert.match(out, new RegExp(`127\\.0\\.0\\.1\\.${port}: UDP, length 1\n$`));
    } finally {
      cleanUp(dir, live.child);
    }
  },
);

Deno.test("-L lists an interface's link types in tcpdump's words; -y must name one of them (ignored with -r)", async () => {
  // On stderr, as tcpdump prints it.
  const lo = await sniff(["-L", "-i", "lo"]);
  assert.deepEqual([lo.code, lo.out, lo.err], [
    0,
    "",
    "Data link types for lo (use option -y to set):\n  EN10MB (Ethernet)\n",
  ]);
  const any = await sniff(["-L"]);
  assert.equal(any.err, "Data link types for any (use option -y to set):\n  LINUX_SLL2 (Linux cooked v2)\n");
  const missing = await sniff(["-L", "-i", `nk${Deno.pid}x`]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^sniffer: no interface "nk\d+x"; interfaces: .*\blo\b/);
  const unknown = await sniff(["-i", "lo", "-y", "FOO", "-d"]);
  assert.deepEqual([unknown.code, unknown.err], [2, "sniffer: invalid data link type FOO (see --help)\n"]);
  const other = await sniff(["-i", "lo", "-y", "LINUX_SLL", "-d"]);
  assert.deepEqual(
    [other.code, other.err],
    [1, "sniffer: LINUX_SLL is not one of the link types of this interface (EN10MB)\n"],
  );
  const ok = await sniff(["-i", "lo", "-y", "en10mb", "-d", "ip"]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^\(000\) ldh {6}\[12\]\n/);
  const file = await sniff(["-r", `${CORPUS}/dns.pcap`, "-y", "LINUX_SLL", "-c", "1"]);
  assert.equal(file.code, 0, file.err);
});

testIf(
  "-J lists lo's time stamp types as tcpdump does; -j: host, another type warns, a bad one is refused",
  TCPDUMP,
  async () => {
    const want = await run("tcpdump", ["-J", "-i", "lo"]);
    const got = await sniff(["-J", "-i", "lo"]);
    assert.equal(got.code, 0, got.err);
    assert.deepEqual([got.out, got.err], [want.stdout, want.stderr]); // on stderr, as tcpdump's
    const linkTypes = await run("tcpdump", ["-L", "-i", "lo"]);
    assert.equal((await sniff(["-L", "-i", "lo"])).err, linkTypes.stderr);
    const missing = await sniff(["-J", "-i", "no-such-if"]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^sniffer: no interface "no-such-if"; interfaces: lo/);
    // -d on lo captures nothing: the warning comes first, as tcpdump's does.
    const other = await sniff(["-j", "adapter", "-i", "lo", "-d", "ip"]);
    assert.equal(other.code, 0, other.err);
    assert.match(
      other.err,
      /^sniffer: warning: time stamp type 'adapter' is not supported on lo: using host/,
    );
    assert.equal((await sniff(["-j", "host", "-i", "lo", "-d", "ip"])).err, "");
    // Reading a file, -j does not matter (tcpdump ignores it).
    const file = await sniff(["-j", "adapter", "-r", `${CORPUS}/udp.pcap`]);
    assert.equal(file.code, 0);
    assert.doesNotMatch(file.err, /time stamp type/);
    const bad = await sniff(["-j", "gps", "-i", "lo"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^sniffer: invalid time stamp type gps \(host, .*\) \(see --help\)\n$/);
  },
);
