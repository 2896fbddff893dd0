/**
 * IGMP (IP protocol 2) as tcpdump 4.99 prints it, over hand-built frames: v1/v2/v3 queries (every max
 * response code form, groups, sources, wrong lengths), v1/v2 reports and leaves, v3 reports with every record
 * type, mtrace and its response, DVMRP (every message type, probes, route reports, neighbour lists, malformed
 * lengths), PIMv1 (every message type, one-line and multi-group join/prune), unknown types, wrong checksums,
 * TTLs other than 1, with and without the Router Alert option and with Ethernet padding; whole and cut at every
 * length, compared packet by packet; with `-x`, whether the dump starts at the frame or at the IP header tells
 * tcpdump's long jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { internetChecksum } from "../../lib/wire/checksum.ts";
import { igmpText } from "../../lib/wire/_igmp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
/** An IPv4 address's bytes. */
const a = (s: string) => Uint8Array.from(s.split("."), Number);
const ALL_ONES = a("255.255.255.255");

interface Carry {
  /** The IPv4 TTL (default 1). */
  ttl?: number;
  /** Carry the Router Alert option (default true). */
  ra?: boolean;
  /** The checksum to write instead of the right one. */
  cksum?: number;
  /** Ethernet padding after the datagram. */
  pad?: number;
  dst?: string;
}

/** An IGMP message in IPv4 in Ethernet, its checksum filled in unless `o.cksum` is given. */
function igmp(msg: Uint8Array, o: Carry = {}): Uint8Array {
  const m = msg.slice();
  if (m.length >= 4) {
    m.set(u16(0), 2);
    m.set(u16(o.cksum ?? internetChecksum(m)), 2);
  }
  const dst = o.dst ?? "224.0.0.1";
  const ip = emitIpv4({
    src: "10.0.0.1",
    dst,
    proto: 2,
    ttl: o.ttl ?? 1,
    options: o.ra === false ? undefined : hex("94040000"),
  }, m);
  return emitEthernet(
    { src: "00:11:22:33:44:55", dst: "01:00:5e:00:00:01", ethertype: 0x0800 },
    cat(ip, zeros(o.pad ?? 0)),
  );
}

/** The 8-byte IGMP header: type, code, checksum (filled later), group. */
const head = (type: number, code: number, group = "0.0.0.0") => cat(bytes(type, code), u16(0), a(group));

/** A v3 query: max response code, group, S and QRV, QQIC, sources. */
const v3query = (
  mrc: number,
  group: string,
  sources: string[],
  sqrv = 0x02,
  qqic = 125,
  nsrcs = sources.length,
) => cat(head(0x11, mrc, group), bytes(sqrv, qqic), u16(nsrcs), ...sources.map(a));

/** A v3 report group record: type, group, sources (aux data length ignored by tcpdump). */
const record = (type: number, group: string, sources: string[], nsrcs = sources.length, aux = 0) =>
  cat(bytes(type, aux), u16(nsrcs), a(group), ...sources.map(a));
const v3report = (records: Uint8Array[], n = records.length) =>
  cat(bytes(0x22, 0), u16(0), u16(0), u16(n), ...records);

/** mtrace (0x1f) or mresp (0x1e): hops, group, source, destination, response address, ttl, query id. */
const mtrace = (type: number, raddr: string, ttl = 32, qid = 0x123456) =>
  cat(head(type, 8, "239.1.1.1"), a("10.0.0.9"), a("10.0.9.9"), a(raddr), bytes(ttl), u32(qid).subarray(1));

/** DVMRP: the code and the version in the group field (minor, major), then the body. */
const dvmrp = (code: number, ...body: Uint8Array[]) =>
  cat(bytes(0x13, code), u16(0), bytes(0, 0, 0xff, 3), ...body);

/** A DVMRP route report block: the three mask bytes, then (origin bytes, metric) pairs. */
const route = (mask: number[], ...origins: number[][]) =>
  cat(bytes(...mask), ...origins.map((o) => bytes(...o)));

/** A DVMRP Neighbors2 entry: local address, metric, threshold, flags, neighbours. */
const nbr2 = (local: string, flags: number, nbrs: string[], n = nbrs.length) =>
  cat(a(local), bytes(1, 2, flags, n), ...nbrs.map(a));

/** PIMv1: type, then 8 header bytes (version in byte 4's high nibble) and the body. */
const pim = (type: number, body: Uint8Array, version = 1) =>
  cat(bytes(0x14, type), u16(0), bytes(version << 4, 0, 0, 0), body);

/** A PIMv1 join/prune body: upstream, hold, groups. */
const jp = (hold: number, groups: Uint8Array[], n = groups.length) =>
  cat(a("10.0.0.254"), u16(0), u16(hold), bytes(0, 0, 0, n), ...groups);
const jpGroup = (group: string, mask: Uint8Array, joins: Uint8Array[], prunes: Uint8Array[]) =>
  cat(a(group), mask, u16(joins.length), u16(prunes.length), ...joins, ...prunes);
const jpSource = (flags: number, bits: number, src: string) => cat(bytes(flags, bits), a(src));

const FRAMES: Uint8Array[] = [
  // Queries v1 and v2: general, group-specific, response times, lengths other than 8.
  igmp(head(0x11, 0)),
  igmp(head(0x11, 100)),
  igmp(head(0x11, 10, "239.1.1.1")),
  igmp(head(0x11, 255, "224.0.0.251"), { ttl: 64 }),
  igmp(head(0x11, 0, "239.1.1.1")),
  igmp(cat(head(0x11, 100), bytes(0))),
  igmp(cat(head(0x11, 0), bytes(0, 0))),
  igmp(cat(head(0x11, 20, "239.1.1.1"), bytes(1, 2, 3))),
  // v3 queries: every max response code form, S/QRV/QQIC, sources, wrong lengths and counts.
  igmp(v3query(100, "0.0.0.0", [])),
  igmp(v3query(100, "0.0.0.0", ["10.0.0.2"])),
  ...[0, 1, 25, 99, 101, 127, 128, 0x8f, 0x90, 0xa5, 0xc0, 0xd7, 0xff].map((mrc) =>
    igmp(v3query(mrc, "239.1.1.1", mrc & 1 ? ["10.0.0.2"] : []))
  ),
  igmp(v3query(100, "239.1.1.1", ["10.0.0.2", "10.0.0.3", "192.168.1.1"], 0x0f, 255)),
  igmp(v3query(10, "239.1.1.1", ["10.0.0.2", "10.0.0.3"], 0x08, 0x85, 3)),
  igmp(v3query(10, "239.1.1.1", [], 0, 0, 0xffff)),
  igmp(cat(v3query(100, "239.1.1.1", ["10.0.0.2"]), bytes(9))),
  igmp(cat(v3query(100, "239.1.1.1", []), bytes(9, 9))),
  igmp(cat(v3query(100, "239.1.1.1", []), bytes(9, 9, 9))),
  igmp(cat(v3query(100, "0.0.0.0", []), bytes(9, 9, 9))),
  // Reports and leaves, with and without the Router Alert option, other TTLs and destinations.
  igmp(head(0x12, 0, "239.1.1.1"), { ra: false }),
  igmp(cat(head(0x12, 0, "239.1.1.1"), zeros(4))),
  igmp(head(0x16, 0, "239.2.2.2"), { dst: "239.2.2.2" }),
  igmp(cat(head(0x16, 0, "239.2.2.2"), zeros(4)), { ttl: 2 }),
  igmp(head(0x17, 0, "239.2.2.2"), { dst: "224.0.0.2" }),
  igmp(head(0x17, 7, "0.0.0.0"), { ttl: 255, ra: false, dst: "10.0.0.2" }),
  // v3 reports: every record type, unknown ones, sources, counts beyond the message, wrong lengths.
  igmp(v3report([record(1, "239.1.1.1", [])]), { dst: "224.0.0.22" }),
  igmp(
    v3report([
      record(1, "239.1.1.1", ["10.0.0.2"]),
      record(2, "239.1.1.2", []),
      record(3, "239.1.1.3", ["10.0.0.2", "10.0.0.3"]),
      record(4, "239.1.1.4", []),
      record(5, "239.1.1.5", ["10.1.1.1"]),
      record(6, "239.1.1.6", ["10.1.1.1", "10.2.2.2", "10.3.3.3"]),
    ]),
    { dst: "224.0.0.22" },
  ),
  igmp(
    v3report([record(0, "239.1.1.1", []), record(7, "239.1.1.2", ["1.2.3.4"]), record(255, "239.1.1.3", [])]),
  ),
  igmp(v3report([record(2, "239.1.1.1", [], 0, 1)])),
  igmp(v3report([record(2, "239.1.1.1", [])], 3)),
  igmp(v3report([record(2, "239.1.1.1", ["10.0.0.2"], 5)])),
  igmp(v3report([record(2, "239.1.1.1", ["10.0.0.2"]), record(1, "239.1.1.2", ["10.0.0.3"], 2)])),
  igmp(v3report([])),
  igmp(v3report([], 0)),
  igmp(cat(v3report([record(1, "239.1.1.1", [])]), bytes(0))),
  igmp(cat(v3report([record(1, "239.1.1.1", [])]), bytes(0, 0))),
  igmp(v3report([], 0).subarray(0, 6)),
  // mtrace and its response: multicast and unicast response addresses, too short, extra response blocks.
  igmp(mtrace(0x1f, "224.0.1.32"), { dst: "10.0.9.9" }),
  igmp(mtrace(0x1f, "10.0.0.1", 5, 1)),
  igmp(mtrace(0x1e, "239.255.255.255", 255, 0xffffff)),
  igmp(cat(mtrace(0x1e, "10.0.0.1"), zeros(28))),
  igmp(mtrace(0x1f, "224.0.1.32").subarray(0, 23)),
  igmp(mtrace(0x1e, "224.0.1.32").subarray(0, 20)),
  // DVMRP: probes (genid, neighbours, leftovers), route reports of every width, neighbour lists, prune,
  // graft, graft ack, the "ask" messages, unknown codes, too short.
  igmp(dvmrp(1, u32(0xdeadbeef))),
  igmp(dvmrp(1, u32(7), a("10.0.0.2"), a("10.0.0.3"))),
  igmp(dvmrp(1, u32(7), a("10.0.0.2"), bytes(1, 2))),
  igmp(dvmrp(1, bytes(1, 2))),
  igmp(dvmrp(1)),
  igmp(
    dvmrp(
      2,
      route([0, 0, 0], [10, 1], [11, 0x82]),
      route([255, 0, 0], [10, 1, 3], [10, 2, 0x84]),
      route([255, 255, 0], [10, 1, 2, 5], [192, 168, 1, 0x90]),
      route([255, 255, 255], [10, 1, 2, 3, 0xff]),
    ),
  ),
  igmp(dvmrp(2, route([255, 255, 0], [10, 1, 2, 5], [192, 168]))),
  igmp(dvmrp(2, route([255, 0, 0], [10, 1, 0x81]), bytes(255, 0))),
  igmp(dvmrp(2, route([0, 0, 0]))),
  igmp(dvmrp(3)),
  igmp(dvmrp(4, a("10.0.0.1"), bytes(3, 1, 2), a("10.0.0.2"), a("10.0.0.3"), a("10.0.5.1"), bytes(1, 1, 0))),
  igmp(dvmrp(4, a("10.0.0.1"), bytes(3, 1, 2), a("10.0.0.2"), bytes(9, 9))),
  igmp(dvmrp(4, a("10.0.0.1"), bytes(3, 1))),
  igmp(dvmrp(5)),
  igmp(
    dvmrp(
      6,
      nbr2("10.0.0.1", 0x01, ["10.0.0.2"]),
      nbr2("10.0.0.1", 0x02 | 0x10, ["10.0.0.3", "10.0.0.4"]),
      nbr2("10.0.0.1", 0x20 | 0x40, []),
      nbr2("10.0.0.1", 0xff, ["10.0.0.5"]),
    ),
  ),
  igmp(dvmrp(6, nbr2("10.0.0.1", 0, ["10.0.0.2"], 3))),
  igmp(dvmrp(6, nbr2("10.0.0.1", 0, ["10.0.0.2"]), bytes(1, 2, 3))),
  igmp(dvmrp(6, nbr2("10.0.0.1", 0, ["10.0.0.2"]), bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))),
  igmp(dvmrp(7, a("10.0.0.9"), a("239.1.1.1"), u32(7200))),
  igmp(dvmrp(7, a("10.0.0.9"), a("239.1.1.1"), u32(0))),
  igmp(dvmrp(7, a("10.0.0.9"), a("239.1.1.1"), u32(0xffffffff))),
  igmp(dvmrp(8, a("10.0.0.9"), a("239.1.1.1"))),
  igmp(dvmrp(9, a("10.0.0.9"), a("239.1.1.1"))),
  igmp(dvmrp(0, zeros(4))),
  igmp(dvmrp(10)),
  igmp(dvmrp(255, zeros(8))),
  igmp(bytes(0x13, 1, 0, 0, 0, 0)),
  // PIMv1: query modes and hold time, register, register-stop, RP-reachable, assert, join/prune (one line
  // and groups), graft, graft ack, unknown type, another version.
  ...[0x00, 0x10, 0x20, 0x30, 0xf0].map((mode, k) => igmp(pim(0, cat(bytes(mode, 0), u16(105 + k * 4000))))),
  igmp(pim(0, zeros(0))),
  igmp(pim(0, bytes(0x10))),
  igmp(pim(1, cat(hex("45000014 00000000 4011 0000"), a("10.0.0.9"), a("239.1.1.1"), zeros(8)))),
  igmp(pim(1, zeros(19))),
  igmp(pim(2, cat(a("239.1.1.1"), a("10.0.0.9")))),
  igmp(pim(4, cat(a("239.1.1.1"), a("255.255.0.0"), a("10.0.0.254"), u16(0), u16(270)))),
  igmp(pim(4, cat(a("239.1.1.1"), ALL_ONES, a("10.0.0.254"), u16(0), u16(0)))),
  igmp(pim(5, cat(a("239.1.1.1"), a("255.255.255.0"), a("10.0.0.9"), u32(0x80000064), u32(20)))),
  igmp(pim(5, cat(a("239.1.1.1"), ALL_ONES, a("10.0.0.9"), u32(5), u32(0xffffffff)))),
  igmp(pim(3, jp(180, [jpGroup("239.1.1.1", ALL_ONES, [jpSource(1, 0x80 | 0x40 | 32, "10.0.0.9")], [])]))),
  igmp(pim(3, jp(210, [jpGroup("239.1.1.1", a("255.255.0.0"), [], [jpSource(0, 24, "10.0.0.0")])]))),
  igmp(pim(6, jp(0, [jpGroup("239.1.1.1", ALL_ONES, [jpSource(0, 0x40 | 0x3f, "10.0.0.9")], [])]), 2)),
  igmp(
    pim(
      7,
      jp(60, [
        jpGroup("239.1.1.1", ALL_ONES, [jpSource(1, 32, "10.0.0.9"), jpSource(0, 0xc0 | 8, "10.0.0.0")], []),
        jpGroup("239.1.1.2", a("255.255.255.0"), [], [jpSource(1, 0x40 | 32, "10.0.0.8")]),
        jpGroup("239.1.1.3", ALL_ONES, [], []),
      ]),
    ),
  ),
  igmp(pim(3, jp(60, [jpGroup("239.1.1.1", ALL_ONES, [jpSource(1, 32, "10.0.0.9")], [])], 3))),
  igmp(pim(3, cat(jp(60, [jpGroup("239.1.1.1", ALL_ONES, [], [])]).subarray(0, 14), bytes(1, 2, 3)))),
  igmp(pim(3, cat(jp(60, [], 1).subarray(0, 10)))),
  igmp(pim(3, a("10.0.0.254"))),
  igmp(pim(3, a("10.0.0.254"), 2)),
  igmp(pim(4, zeros(15), 3)),
  igmp(pim(3, zeros(0))),
  igmp(pim(3, zeros(0)).subarray(0, 6)),
  igmp(pim(9, zeros(8))),
  igmp(pim(0, bytes(0x20, 0, 0, 30), 0)),
  // Unknown types; nothing at all; bad checksums; Ethernet padding; odd lengths.
  igmp(head(0x00, 0)),
  igmp(head(0x10, 0, "239.1.1.1")),
  igmp(cat(head(0x23, 1), zeros(9))),
  igmp(head(0xff, 0xff, "255.255.255.255")),
  igmp(new Uint8Array(0)),
  igmp(bytes(0x16)),
  igmp(bytes(0x42, 0, 1)),
  igmp(head(0x16, 0, "239.1.1.1"), { cksum: 0x1234 }),
  igmp(head(0x11, 100), { cksum: 0 }),
  igmp(v3report([record(1, "239.1.1.1", ["10.0.0.2"])]), { cksum: 0xabcd }),
  igmp(dvmrp(1, u32(7)), { cksum: 0xffff }),
  igmp(pim(0, bytes(0, 0, 0, 30)), { cksum: 1 }),
  igmp(head(0x16, 0, "239.1.1.1"), { pad: 18, ra: false }),
  igmp(head(0x12, 0, "239.1.1.1"), { pad: 14, cksum: 0x1234 }),
];

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"]];

/** The first byte of the IPv4 options (Router Alert) in a frame from {@link igmp}. */
const OPTIONS_AT = 34;

/**
 * Every frame whole, then cut at every length inside it (the link and IP headers too), except inside the
 * IPv4 options: the IPv4 printer's text for a cut option is not IGMP's, and is not what this file tests.
 */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    const optionsEnd = 14 + (f[14] & 0x0f) * 4;
    for (let n = 1; n < f.length; n++) {
      if (n >= OPTIONS_AT && n < optionsEnd) continue;
      out.push({ data: f.slice(0, n), len: f.length });
    }
  }
  return out;
}

Deno.test("golden: tcpdump's IGMP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) => {
    const s = summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
    return (verbosity > 0 ? s.split("\n    ")[1] : s).split(": ").slice(1).join(": ");
  };
  assert.equal(at(igmp(head(0x11, 0))), "igmp query v1");
  assert.equal(at(igmp(head(0x11, 10, "239.1.1.1"))), "igmp query v2 [max resp time 10] [gaddr 239.1.1.1]");
  assert.equal(at(igmp(cat(head(0x11, 100), bytes(0)))), "igmp query v2 [len 9]");
  assert.equal(at(igmp(v3query(100, "0.0.0.0", []))), "igmp query v3");
  assert.equal(
    at(igmp(v3query(0x8f, "239.1.1.1", ["10.0.0.2", "10.0.0.3"]))),
    "igmp query v3 [max resp time 24.8s] [gaddr 239.1.1.1, 2 source(s)]",
  );
  assert.equal(
    at(igmp(v3query(0xd7, "239.1.1.1", ["10.0.0.2"])), 2),
    "igmp query v3 [max resp time 9m48s] [gaddr 239.1.1.1 { 10.0.0.2 }]",
  );
  assert.equal(
    at(igmp(v3query(1, "239.1.1.1", [], 0, 0, 5))),
    "igmp query v3 [max resp time 0.1s] [gaddr 239.1.1.1 [invalid number of sources]]",
  );
  assert.equal(at(igmp(cat(v3query(100, "239.1.1.1", []), bytes(9)))), "igmp query v3 [invalid len 13]");
  assert.equal(at(igmp(head(0x12, 0, "239.1.1.1"))), "igmp v1 report 239.1.1.1");
  assert.equal(at(igmp(cat(head(0x16, 0, "239.1.1.1"), zeros(4)))), "igmp v2 report 239.1.1.1");
  assert.equal(at(igmp(head(0x17, 0, "239.1.1.1")), 1), "igmp leave 239.1.1.1");
  const report = v3report([record(4, "239.1.1.1", []), record(9, "239.1.1.2", ["10.0.0.2", "10.0.0.3"])]);
  assert.equal(at(igmp(report)), "igmp v3 report, 2 group record(s)");
  assert.equal(
    at(igmp(report), 1),
    "igmp v3 report, 2 group record(s) [gaddr 239.1.1.1 to_ex, 0 source(s)]" +
      " [gaddr 239.1.1.2  [v3-report-#9], 2 source(s)]",
  );
  assert.equal(
    at(igmp(report), 2),
    "igmp v3 report, 2 group record(s) [gaddr 239.1.1.1 to_ex { }]" +
      " [gaddr 239.1.1.2  [v3-report-#9] { 10.0.0.2 10.0.0.3 }]",
  );
  assert.equal(
    at(igmp(mtrace(0x1f, "224.0.1.32"))),
    "mtrace 1193046: 10.0.0.9 to 10.0.9.9 reply-to 224.0.1.32 with-ttl 32",
  );
  assert.equal(at(igmp(mtrace(0x1e, "10.0.0.2"))), "mresp 1193046: 10.0.0.9 to 10.0.9.9 reply-to 10.0.0.2");
  assert.equal(at(igmp(dvmrp(1, u32(7), a("10.0.0.2"))), 1), "igmp dvmrp Probe genid 7");
  assert.equal(
    at(igmp(dvmrp(1, u32(7), a("10.0.0.2"))), 2),
    "igmp dvmrp Probe\n\tgenid 7\n\tneighbor 10.0.0.2",
  );
  assert.equal(
    at(igmp(dvmrp(2, route([255, 0, 0], [10, 1, 0x81]))), 2),
    "igmp dvmrp Report\n\tMask 255.255.0.0\n\t  10.1.0.0 metric 1",
  );
  assert.equal(
    at(igmp(dvmrp(6, nbr2("10.0.0.1", 0x41, ["10.0.0.2"])))),
    "igmp dvmrp Neighbors2 (v 3.255): [10.0.0.1 -> 10.0.0.2 (1/2/tunnel/querier)]",
  );
  assert.equal(
    at(igmp(dvmrp(7, a("10.0.0.9"), a("239.1.1.1"), u32(7260)))),
    "igmp dvmrp Prune src 10.0.0.9 grp 239.1.1.1 timer 2h1m",
  );
  assert.equal(
    at(igmp(dvmrp(4, a("10.0.0.1"), bytes(3, 1)))),
    "igmp dvmrp Neighbors(old) [length 6 < 7] (invalid)",
  );
  assert.equal(at(igmp(pim(0, bytes(0x10, 0, 0, 105))), 1), "igmp pimv1 Query Sparse-mode (Hold-time 1m45s)");
  assert.equal(
    at(igmp(pim(3, jp(210, [jpGroup("239.1.1.1", ALL_ONES, [jpSource(1, 0xc0 | 32, "10.0.0.9")], [])]))), 1),
    "igmp pimv1 Join/Prune RPF 10.0.0.254 Hold 3m30sJoin (10.0.0.9/32, 239.1.1.1) Sparse WC RP",
  );
  assert.equal(at(igmp(pim(9, zeros(8), 2))), "igmp pimv1 [type 9] [v2]");
  assert.equal(at(igmp(head(0x23, 0))), "igmp-35");
  assert.equal(
    at(igmp(head(0x16, 0, "239.1.1.1"), { cksum: 0x1234 }), 1),
    "igmp v2 report 239.1.1.1 bad igmp cksum 1234!",
  );
  assert.equal(at(igmp(head(0x16, 0, "239.1.1.1"), { cksum: 0x1234 })), "igmp v2 report 239.1.1.1");
});

Deno.test("igmpText: reads past the capture are long jumps, tcpdump's own length checks are not", () => {
  const c = { verbosity: 1, ttl: 1 };
  assert.deepEqual(igmpText(bytes(), 8, c), { text: " [|igmp]", jump: true });
  assert.deepEqual(igmpText(head(0x11, 0).subarray(0, 7), 8, c), {
    text: "igmp query v1 [|igmp]",
    jump: true,
  });
  assert.deepEqual(igmpText(head(0x17, 0).subarray(0, 7), 8, c), { text: " [|igmp]", jump: true });
  assert.deepEqual(igmpText(dvmrp(1, u32(7)).subarray(0, 10), 12, c), {
    text: "igmp dvmrp Probe  [|dvmrp]",
    jump: true,
  });
  assert.deepEqual(igmpText(pim(1, zeros(20)).subarray(0, 20), 28, c), {
    text: "igmp pimv1 Register [|pimv1]",
    jump: false,
  });
  assert.deepEqual(igmpText(mtrace(0x1f, "10.0.0.1").subarray(0, 20), 20, { ...c, verbosity: 0 }), {
    text: " [invalid len 20]",
    jump: false,
  });
  // -q and IPv6 come before any read.
  assert.deepEqual(igmpText(bytes(), 8, { ...c, quiet: true }), { text: "igmp", jump: false });
  assert.deepEqual(igmpText(head(0x16, 0), 8, { ...c, quiet: true, ipVersion: 6 }), {
    text: "[IGMP requires IPv4] (invalid)",
    jump: false,
  });
  // No cut throws, at any verbosity.
  for (const f of FRAMES) {
    const p = f.subarray(38);
    for (let n = 0; n <= p.length; n++) {
      for (const v of [0, 1, 2, 3]) {
        assert.equal(typeof igmpText(p.subarray(0, n), p.length, { verbosity: v, ttl: 1 }).text, "string");
      }
    }
  }
});

testIf(
  "IGMP frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "IGMP with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
