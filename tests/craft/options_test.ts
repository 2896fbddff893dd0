/**
 * `parseInjectArgs`: hping3-style flags become layer specs and a plan; every bad value is a UsageError.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseHexBytes, parseInjectArgs, parseTcpFlags, UsageError } from "../../lib/craft/mod.ts";
import { PacketDecoder, type TcpLayer } from "../../lib/wire/mod.ts";
import { L2_UDP_ARGS } from "./_args.ts";

const dec = new PacketDecoder();

Deno.test("parseInjectArgs() builds a TCP SYN with flags, ports, window, TTL and options", () => {
  const p = parseInjectArgs([
    "tcp",
    "--dst",
    "127.0.0.1",
    "--sport",
    "4000",
    "--dport",
    "80",
    "--flags",
    "SA",
    "--seq",
    "7",
    "--ack",
    "9",
    "--win",
    "512",
    "--ttl",
    "9",
    "--id",
    "77",
    "--df",
    "--tos",
    "16",
    "--mss",
    "1400",
    "--wscale",
    "7",
    "--sack-perm",
    "--timestamp",
    "--payload",
    "hi",
  ]);
  assert.equal(p.layer, 3);
  assert.equal(p.family, 4);
  const r = dec.decode(p.frames[0], 101);
  const ip = r.layers[0] as { ttl: number; id: number; df: boolean; tos: number };
  assert.deepEqual([ip.ttl, ip.id, ip.df, ip.tos], [9, 77, true, 16]);
  const t = r.layers[1] as TcpLayer;
  assert.deepEqual([t.srcPort, t.dstPort, t.flags, t.seq, t.ack, t.window], [4000, 80, 0x12, 7, 9, 512]);
  assert.deepEqual(t.options.filter((o) => o.kind > 1).map((o) => o.kind), [2, 3, 4, 8]);
  assert.equal(new TextDecoder().decode(r.payload), "hi");
});

Deno.test("parseInjectArgs() varies the probes: ICMP sequence, source port and IP id per packet", () => {
  const icmp = parseInjectArgs(["icmp", "--dst", "127.0.0.1", "-c", "3"]);
  assert.equal(icmp.frames.length, 3);
  const seqs = icmp.frames.map((f) => (dec.decode(f, 101).layers[1] as { rest: number }).rest & 0xffff);
  assert.deepEqual(seqs, [0, 1, 2]);
  const udp = parseInjectArgs(["udp", "--dst", "::1", "--dport", "9", "-c", "2"]);
  assert.equal(udp.family, 6);
  const ports = udp.frames.map((f) => (dec.decode(f, 101).layers[1] as { srcPort: number }).srcPort);
  assert.equal(ports[1], ports[0] + 1);
});

Deno.test("parseInjectArgs() pads or cuts the payload to --data-len and reads --payload-file", () => {
  const p = parseInjectArgs([
    "udp",
    "--dst",
    "127.0.0.1",
    "--dport",
    "9",
    "--payload-hex",
    "aabb",
    "--data-len",
    "5",
  ]);
  assert.deepEqual([...dec.decode(p.frames[0], 101).payload], [0xaa, 0xbb, 0, 0, 0]);
  const f = parseInjectArgs(["udp", "--dst", "127.0.0.1", "--dport", "9", "--payload-file", "x"], {
    readFile: () => new Uint8Array([7, 7]),
  });
  assert.deepEqual([...dec.decode(f.frames[0], 101).payload], [7, 7]);
});

Deno.test("parseInjectArgs() makes layer 2 frames with -i and MACs, ARP requests, and raw bytes", () => {
  const l2 = parseInjectArgs([...L2_UDP_ARGS]);
  assert.equal(l2.layer, 2);
  assert.deepEqual(dec.decode(l2.frames[0], 1).layers.map((l) => l.layer), ["eth", "ipv4", "udp"]);
  const arp = parseInjectArgs([
    "arp",
    "-i",
    "lo",
    "--src-mac",
    "02:00:00:00:00:01",
    "--src",
    "10.0.0.1",
    "--dst",
    "10.0.0.2",
  ]);
  assert.deepEqual(dec.decode(arp.frames[0], 1).layers.map((l) => l.layer), ["eth", "arp"]);
  const raw = parseInjectArgs([
    "raw",
    "--hex",
    "45 00 00 14 00 00 00 00 40 fd 00 00 7f 00 00 01 7f 00 00 01",
  ]);
  assert.equal(raw.layer, 3);
  assert.equal(raw.frames[0].length, 20);
});

Deno.test("parseInjectArgs() reads the pacing, dry-run and replay options", () => {
  const p = parseInjectArgs([
    "icmp",
    "--dst",
    "127.0.0.1",
    "--flood",
    "--duration",
    "0.5",
    "--dry-run",
    "-w",
    "x.pcap",
  ]);
  assert.ok(p.flood && p.dryRun && p.durationMs === 500 && p.write === "x.pcap");
  const r = parseInjectArgs([
    "replay",
    "f.pcap",
    "-i",
    "lo",
    "--pps",
    "100",
    "--loop",
    "3",
    "udp",
    "port",
    "9",
  ]);
  assert.deepEqual([r.replay?.file, r.replay?.pps, r.replay?.loop, r.replay?.filter], [
    "f.pcap",
    100,
    3,
    "udp port 9",
  ]);
});

Deno.test("parseTcpFlags() and parseHexBytes() accept their forms and name a bad character", () => {
  assert.equal(parseTcpFlags("FSRPAUEC"), 0xff);
  assert.equal(parseTcpFlags("s."), 0x12);
  assert.throws(() => parseTcpFlags("SX"), /unknown flag letter "X"/);
  assert.deepEqual([...parseHexBytes("de:ad be-ef")], [0xde, 0xad, 0xbe, 0xef]);
  assert.throws(() => parseHexBytes("abc"), UsageError);
  assert.throws(() => parseHexBytes("zz"), UsageError);
});

const BAD: [string[], RegExp][] = [
  [[], /missing command/],
  [["ping"], /unknown command "ping"/],
  [["icmp"], /missing --dst/],
  [["icmp", "--dst", "127.0.0.300"], /"127.0.0.300" is not an IPv4 address/],
  [["icmp6", "--dst", "::g"], /not an IPv6 address/],
  [["tcp", "--dst", "127.0.0.1", "--dport", "65536"], /--dport: "65536" is not an integer in 0..65535/],
  [["tcp", "--dst", "127.0.0.1", "--dport", "-1"], /--dport/],
  [["tcp", "--dst", "127.0.0.1"], /missing --dport/],
  [["tcp", "--dst", "127.0.0.1", "--dport", "1", "--flags", "SQ"], /unknown flag letter "Q"/],
  [["tcp", "--dst", "127.0.0.1", "--dport", "1", "--bogus"], /bogus/],
  [["icmp", "--dst", "127.0.0.1", "--ttl", "256"], /--ttl/],
  [["icmp", "--dst", "127.0.0.1", "--rate", "10", "--flood", "-c", "1"], /exclude each other/],
  [["icmp", "--dst", "127.0.0.1", "--flood"], /needs a bound/],
  [["icmp", "--dst", "127.0.0.1", "--dry-run"], /needs -w/],
  [["icmp", "--dst", "127.0.0.1", "-c", "0"], /--count/],
  [["icmp", "--dst", "127.0.0.1", "--rate", "fast"], /--rate/],
  [["icmp", "--dst", "::1"], /icmp is IPv4/],
  [["icmp6", "--dst", "127.0.0.1"], /"127.0.0.1" is not an IPv6 address/],
  [["udp", "--dst", "10.1.2.3", "--dport", "9"], /--src ADDR needed/],
  [["udp", "-i", "lo", "--dst-mac", "zz:00:00:00:00:00", "--dst", "127.0.0.1", "--dport", "9"], /not a MAC/],
  [["arp", "--dst", "10.0.0.1"], /needs -i/],
  [["raw"], /--hex HEX or --file/],
  [["raw", "--hex", "00 11"], /IPv4 or IPv6 packet/],
  [["raw", "--file", "/nonexistent"], /cannot read/],
  [["udp", "--dst", "127.0.0.1", "--dport", "9", "--payload", "a", "--payload-hex", "bb"], /exclude/],
  [["replay"], /missing FILE/],
  [["replay", "f.pcap"], /needs -i/],
  [["replay", "f.pcap", "-i", "lo", "--pps", "1", "--topspeed"], /exclude each other/],
  [["replay", "f.pcap", "-i", "lo", "--loop", "0"], /--loop/],
];

for (const [argv, msg] of BAD) {
  Deno.test(`parseInjectArgs() refuses ${JSON.stringify(argv.join(" "))} with a UsageError`, () => {
    assert.throws(
      () => parseInjectArgs(argv, { readFile: (p) => Deno.readFileSync(p) }),
      (e: unknown) => e instanceof UsageError && msg.test(e.message) && !e.message.includes("\n"),
    );
  });
}

Deno.test("parseInjectArgs() takes the destination as the last argument, as hping3 and ping do", () => {
  const a = parseInjectArgs(["tcp", "127.0.0.1", "--dport", "80", "--flags", "S"]);
  const b = parseInjectArgs(["tcp", "--dst", "127.0.0.1", "--dport", "80", "--flags", "S"]);
  assert.deepEqual(a.frames, b.frames);
  const six = parseInjectArgs(["icmp6", "::1"]);
  assert.equal(dec.decode(six.frames[0], 101).layers[0].layer, "ipv6");
  assert.equal(parseInjectArgs(["udp", "127.0.0.2", "--dst", "127.0.0.2", "--dport", "9"]).frames.length, 1);
  assert.throws(() => parseInjectArgs(["icmp", "127.0.0.1", "--dst", "127.0.0.2"]), /two destinations/);
  assert.throws(() => parseInjectArgs(["icmp", "127.0.0.1", "extra"]), /unexpected argument "extra"/);
  assert.throws(
    () => parseInjectArgs(["raw", "127.0.0.1", "--hex", "45"]),
    /unexpected argument "127.0.0.1"/,
  );
  assert.throws(() => parseInjectArgs(["icmp", "not-an-address"]), UsageError);
});
