/**
 * RIP (UDP 520) and RIPng (UDP 521) as tcpdump 4.99 prints them, over hand-built frames: every command,
 * versions 0 to 3, RIPv1 entries of each family with and without must-be-zero bytes, RIPv2 routes (tags,
 * masks that are and are not prefixes, next hops), simple password, RFC 4822 authentication header and
 * trailer, unknown authentication, entries not whole; RIPng requests (the whole-table request included) and
 * responses, tags and metrics, lengths that are not a whole number of entries, other versions and commands;
 * a UDP length shorter than the IP payload. Whole and cut at every length, compared packet by packet with and
 * without `-v`/`-vv`; with `-x`, whether the dump starts at the frame or at the IP header tells tcpdump's long
 * jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { ripngText, ripText } from "../../lib/wire/_rip.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const V4 = { src: "10.0.0.1", dst: "224.0.0.9" };
const V6 = { src: "fe80::1", dst: "ff02::9" };
const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
const ip = (s: string) => Uint8Array.from(s.split("."), Number);

/** An Ethernet/IPv4/UDP frame; `ulen` makes the UDP length cover fewer bytes than the IP packet carries. */
function udp4(data: Uint8Array, o: { sport?: number; dport?: number; ulen?: number } = {}): Uint8Array {
  const length = o.ulen === undefined ? undefined : o.ulen + 8;
  const d = emitUdp({ srcPort: o.sport ?? 520, dstPort: o.dport ?? 520, length }, data, V4);
  return emitEthernet(
    { src: "00:11:22:33:44:55", dst: "01:00:5e:00:00:09", ethertype: 0x0800 },
    emitIpv4({ ...V4, proto: 17, ttl: 1 }, d),
  );
}
function udp6(data: Uint8Array, o: { sport?: number; dport?: number; ulen?: number } = {}): Uint8Array {
  const length = o.ulen === undefined ? undefined : o.ulen + 8;
  const d = emitUdp({ srcPort: o.sport ?? 521, dstPort: o.dport ?? 521, length }, data, V6);
  return emitEthernet(
    { src: "00:11:22:33:44:55", dst: "33:33:00:00:00:09", ethertype: 0x86dd },
    emitIpv6({ ...V6, proto: 17, hopLimit: 255 }, d),
  );
}

/** A RIP datagram: command, version, entries. */
const rip = (cmd: number, version: number, ...entries: Uint8Array[]) =>
  cat(bytes(cmd, version, 0, 0), ...entries);
/** An RFC 1058 entry; `mbz` fills the must-be-zero bytes (2, then 8). */
const v1 = (family: number, dest: string, metric: number, mbz: Uint8Array = zeros(10)) =>
  cat(u16(family), mbz.subarray(0, 2), ip(dest), mbz.subarray(2, 10), u32(metric));
/** An RFC 2453 entry. */
const v2 = (family: number, tag: number, dest: string, mask: string, hop: string, metric: number) =>
  cat(u16(family), u16(tag), ip(dest), ip(mask), ip(hop), u32(metric));
const route = (dest = "10.1.0.0", mask = "255.255.0.0", metric = 1) =>
  v2(2, 0, dest, mask, "0.0.0.0", metric);
/** An authentication entry: 0xffff, the type, the data. */
const auth = (type: number, data: Uint8Array) => cat(u16(0xffff), u16(type), data);
/** An RFC 4822 authentication header. */
const cryptoHeader = (len: number, key: number, dataLen: number, seq: number, mbz = 0) =>
  cat(u16(len), bytes(key, dataLen), u32(seq), u32(mbz), u32(mbz));

/** A RIPng datagram: command, version, entries. */
const ripng = (cmd: number, version: number, ...entries: Uint8Array[]) =>
  cat(bytes(cmd, version, 0, 0), ...entries);
/** A RIPng entry. */
const rte = (prefix: string, tag: number, plen: number, metric: number) =>
  cat(hex(prefix), u16(tag), bytes(plen, metric));
const P1 = "20010db8000000000000000000000000", P2 = "20010db8000100000000000000000000", ANY = "0".repeat(32);

const FAMILIES = [0, 1, 6, 7, 16, 23, 24, 28, 30, 99, 0xfffe];

const RIP_FRAMES: Uint8Array[] = [
  // Every command, both versions.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 255].flatMap((c) => [rip(c, 1, v1(2, "10.1.0.0", 1)), rip(c, 2, route())]),
  // Version 0 (a hex dump), 3 and 255 (unknown to requests and responses).
  rip(2, 0, v1(2, "10.1.0.0", 1)),
  rip(0, 0),
  ...[3, 255].flatMap((v) => [rip(1, v, route()), rip(2, v, route()), rip(4, v)]),
  // RIPv1: the whole-table request, routes, every family, must-be-zero bytes set, an entry not whole.
  rip(1, 1, v1(0, "0.0.0.0", 16)),
  rip(2, 1, v1(2, "10.1.0.0", 1), v1(2, "192.168.255.255", 16), v1(2, "0.0.0.0", 0xffffffff)),
  rip(2, 1, ...FAMILIES.map((f) => v1(f, "10.3.0.0", 3))),
  rip(
    2,
    1,
    v1(2, "10.4.0.0", 4, hex("0001 0000000000000000")),
    v1(2, "10.5.0.0", 5, hex("0000 0000000100000000")),
  ),
  rip(2, 1, v1(0, "10.6.0.0", 6, hex("0000 0000000000000001")), v1(2, "10.7.0.0", 7)),
  rip(2, 1, v1(2, "10.1.0.0", 1), bytes(0, 2, 0)),
  rip(2, 1, bytes(0, 2, 0, 0, 10)),
  rip(1, 1),
  // RIPv2 routes: tags, masks (prefixes and not), next hops, every family.
  rip(
    2,
    2,
    v2(2, 0x1234, "10.1.0.0", "255.255.0.0", "10.0.0.254", 1),
    v2(0, 0, "0.0.0.0", "0.0.0.0", "0.0.0.0", 16),
    v2(2, 0xffff, "192.168.100.128", "255.255.255.128", "0.0.0.0", 15),
    v2(2, 1, "1.0.0.0", "255.0.255.0", "1.2.3.4", 2),
    v2(2, 2, "255.255.255.255", "255.255.255.255", "255.255.255.255", 0),
    v2(2, 3, "10.0.0.0", "128.0.0.0", "0.0.0.1", 3),
  ),
  rip(2, 2, ...FAMILIES.map((f) => v2(f, 7, "10.3.0.0", "255.255.0.0", "0.0.0.0", 3))),
  rip(1, 2, v2(0, 0, "0.0.0.0", "0.0.0.0", "0.0.0.0", 16)),
  // Simple passwords: NUL-terminated, all 16 bytes, unprintable, empty.
  rip(2, 2, auth(2, cat(text("secret"), zeros(10))), route()),
  rip(2, 2, auth(2, text("0123456789abcdef")), route()),
  rip(2, 2, auth(2, cat(hex("01 7f 80 ff 41"), zeros(11))), route()),
  rip(2, 2, auth(2, zeros(16))),
  // RFC 4822: the header, routes, the trailer to the end; the header too short; unknown types.
  rip(2, 2, auth(3, cryptoHeader(44, 1, 16, 7)), route(), auth(1, new Uint8Array(16).fill(0xab))),
  rip(2, 2, auth(3, cryptoHeader(0xffff, 255, 20, 0xffffffff, 1)), auth(1, zeros(20))),
  rip(2, 2, route(), auth(3, cryptoHeader(24, 1, 16, 1).subarray(0, 10))),
  rip(2, 2, auth(1, zeros(0))),
  rip(2, 2, auth(1, hex("0102030405"))),
  rip(2, 2, auth(9, hex("abababababab")), route()),
  rip(2, 2, auth(0, zeros(16)), route()),
  // Entries not whole: a route, an unknown family (which prints and then counts as 20 bytes), a header.
  rip(2, 2, route(), route().subarray(0, 6)),
  rip(2, 2, route(), v2(10, 0, "1.0.0.0", "255.0.0.0", "0.0.0.0", 1).subarray(0, 10)),
  rip(2, 2, route(), bytes(0, 2, 0)),
  rip(1, 2),
  // Trace on with a file name; fewer than 4 bytes.
  rip(3, 1, text("/tmp/trace\0")),
  ...[0, 1, 2, 3].map((n) => rip(2, 1).subarray(0, n)),
];

const RIPNG_FRAMES: Uint8Array[] = [
  // Requests: the whole table, one entry that is not the whole-table request, several.
  ripng(1, 1, rte(ANY, 0, 0, 16)),
  ripng(1, 1, rte(ANY, 0, 0, 15)),
  ripng(1, 1, rte(P1, 0, 0, 16)),
  ripng(1, 1, rte(ANY, 1, 0, 16)),
  ripng(1, 1, rte(P1, 5, 64, 1), rte(P2, 0, 48, 0)),
  ripng(1, 1, rte(ANY, 0, 0, 16), bytes(1)),
  ripng(1, 1, rte(P1, 5, 64, 1), bytes(1, 2, 3)),
  ripng(1, 1),
  // Responses: tags, metrics, prefix lengths past 128; a length not a multiple of 20.
  ripng(2, 1, rte(P1, 5, 64, 1), rte(P2, 0, 48, 0), rte(ANY, 0xffff, 255, 255), rte(P1, 0, 128, 16)),
  ripng(2, 1, rte(P1, 5, 64, 1), bytes(1, 2, 3)),
  ripng(2, 1, rte(P1, 5, 64, 1), zeros(19)),
  ripng(2, 1),
  // Other commands and versions; fewer than 4 bytes.
  ...[0, 3, 255].map((c) => ripng(c, 1, rte(ANY, 0, 0, 16))),
  ...[0, 2, 255].map((v) => ripng(2, v, rte(P1, 0, 64, 1))),
  ...[0, 1, 2, 3].map((n) => ripng(1, 1).subarray(0, n)),
];

const FRAMES: Uint8Array[] = [
  ...RIP_FRAMES.map((d) => udp4(d)),
  // One port only, either way.
  udp4(rip(2, 2, route()), { sport: 40000 }),
  udp4(rip(2, 2, route()), { dport: 40000 }),
  // A UDP length that covers less than the IP payload carries (tcpdump counts the entries by it).
  udp4(rip(2, 1, v1(2, "10.1.0.0", 1), v1(2, "10.2.0.0", 2)), { ulen: 24 }),
  udp4(rip(2, 2, route(), route()), { ulen: 30 }),
  udp4(rip(2, 2, auth(2, text("0123456789abcdef"))), { ulen: 8 }),
  udp4(rip(2, 2, auth(1, zeros(10)), route()), { ulen: 10 }),
  udp4(rip(2, 1, v1(2, "10.1.0.0", 1)), { ulen: 3 }),
  ...RIPNG_FRAMES.map((d) => udp6(d)),
  udp6(ripng(2, 1, rte(P1, 5, 64, 1), rte(P2, 0, 48, 2)), { ulen: 24 }),
  udp6(ripng(1, 1, rte(ANY, 0, 0, 16)), { ulen: 3 }),
  // RIPng over IPv4 (tcpdump goes by the port).
  udp4(ripng(2, 1, rte(P1, 5, 64, 1)), { sport: 521, dport: 521 }),
];

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-x"]];

/** Every frame whole, then cut at every length inside it. */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

Deno.test("golden: tcpdump's RIP and RIPng text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const v2f = udp4(
    rip(
      2,
      2,
      auth(2, cat(text("secret"), zeros(10))),
      v2(2, 0x1234, "10.1.0.0", "255.255.0.0", "10.0.0.254", 1),
      v2(0, 0, "0.0.0.0", "0.0.0.0", "0.0.0.0", 16),
      v2(2, 0, "1.0.0.0", "255.0.255.0", "0.0.0.0", 15),
    ),
  );
  assert.equal(at(v2f), "IP 10.0.0.1.520 > 224.0.0.9.520: RIPv2, Response, length: 84");
  assert.equal(
    at(v2f, 1).split("\n").slice(1).join("\n"),
    "    10.0.0.1.520 > 224.0.0.9.520: " +
      "\n\tRIPv2, Response, length: 84, routes: 4 or less" +
      "\n\t  Simple Text Authentication data: secret" +
      "\n\t  AFI IPv4,        10.1.0.0/16, tag 0x1234, metric: 1, next-hop: 10.0.0.254" +
      "\n\t  AFI 0,         0.0.0.0/0 , tag 0x0000, metric: 16, next-hop: self" +
      "\n\t  AFI IPv4,         1.0.0.0/-1, tag 0x0000, metric: 15, next-hop: self",
  );
  assert.equal(
    at(udp4(rip(2, 1, v1(2, "10.1.0.0", 1), v1(7, "10.3.0.0", 3))), 2).split("\n").slice(2).join("\n"),
    "\tRIPv1, Response, length: 44, routes: 2" +
      "\n\t  10.1.0.0, metric: 1" +
      "\n\t AFI ISO, " +
      "\n\t  0x0000:  0a03 0000 0000 0000 0000 0000 0000 0003" +
      "\n\t0x0000:  0201 0000 0002 0000 0a01 0000 0000 0000" +
      "\n\t0x0010:  0000 0000 0000 0001 0007 0000 0a03 0000" +
      "\n\t0x0020:  0000 0000 0000 0000 0000 0003",
  );
  assert.equal(at(udp4(rip(2, 0))), "IP 10.0.0.1.520 > 224.0.0.9.520: RIPv0\n\t0x0000:  0200 0000");
  const resp = udp6(ripng(2, 1, rte(P1, 5, 64, 1), rte(P2, 0, 48, 0)));
  assert.equal(
    at(resp),
    "IP6 fe80::1.521 > ff02::9.521:  ripng-resp 2: 2001:db8::/64 [5] (1) 2001:db8:1::/48",
  );
  assert.equal(
    at(resp, 2).split("\n").slice(1).join("\n"),
    "\t2001:db8::/64 [5] (1)\n\t2001:db8:1::/48",
  );
  assert.equal(at(udp6(ripng(1, 1, rte(ANY, 0, 0, 16)))), "IP6 fe80::1.521 > ff02::9.521:  ripng-req dump");
  assert.equal(at(udp6(ripng(2, 2))), "IP6 fe80::1.521 > ff02::9.521:  [vers 2] (invalid)");
});

Deno.test("ripText and ripngText: tcpdump's own checks are not long jumps, its reads past the capture are", () => {
  const r = rip(2, 1, v1(2, "10.1.0.0", 1), v1(2, "10.2.0.0", 2));
  assert.deepEqual(ripText(r.subarray(0, 3), r.length, 0), { text: " [|rip]", jump: false });
  assert.deepEqual(ripText(r.subarray(0, 20), r.length, 1), {
    text: "\n\tRIPv1, Response, length: 44, routes: 2 [|rip]",
    jump: false,
  });
  // A password without a NUL in the captured bytes: read on past them.
  const pw = rip(2, 2, auth(2, text("0123456789abcdef")));
  assert.deepEqual(ripText(pw.subarray(0, 12), pw.length, 1), {
    text:
      "\n\tRIPv2, Response, length: 24, routes: 1 or less\n\t  Simple Text Authentication data: 0123 [|rip]",
    jump: true,
  });
  const n = ripng(2, 1, rte(P1, 5, 64, 1));
  assert.deepEqual(ripngText(n.subarray(0, 1), n.length, 0), { text: " [|ripng]", jump: true });
  assert.deepEqual(ripngText(n.subarray(0, 23), n.length, 0), {
    text: " ripng-resp 1: 2001:db8::/64 [5] [|ripng]",
    jump: true,
  });
  assert.deepEqual(ripngText(n.subarray(0, 3), 3, 0), { text: " (invalid)", jump: false });
  // No input throws, at any verbosity.
  for (const f of [...RIP_FRAMES, ...RIPNG_FRAMES]) {
    for (let k = 0; k <= f.length; k++) {
      for (const v of [0, 1, 2]) {
        assert(ripText(f.subarray(0, k), f.length, v) !== null);
        assert(ripngText(f.subarray(0, k), f.length, v) !== null);
      }
    }
  }
});

testIf(
  "RIP and RIPng frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "RIP and RIPng with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
