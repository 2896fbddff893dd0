/**
 * DNS as tcpdump 4.99 prints it (`lib/wire/_dns_text.ts`), over hand-built messages: queries and responses
 * with every opcode, rcode and flag, several questions, every rdata type tcpdump formats (A, AAAA, A6, NS,
 * CNAME, PTR, DNAME, MX, TXT, SRV, SOA, URI, UNSPECA, TSIG, OPT with every EDNS option it names) and some it
 * only names, classes, multicast DNS (QU/QM, cache flush), extended rcodes, bit-string and bad labels, names
 * too long, compression pointers (forward, self, chains), records running past their data, over UDP on IPv4
 * and IPv6 and over TCP (good and wrong length prefixes), whole and cut at every length, compared with
 * tcpdump at `-v` to `-vvv` and with `-x` (where the dump starts tells a long jump from tcpdump's checks).
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
import { emitTcp } from "../../lib/wire/tcp.ts";
import { dnsText } from "../../lib/wire/_dns_text.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.53", dst: "10.0.0.1" };
const V6 = { src: "fe80::1", dst: "ff02::fb" };

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const ip4 = (a: string) => Uint8Array.from(a.split("."), Number);

/** A name in labels; "." is the root. */
const name = (s: string) =>
  s === "."
    ? bytes(0)
    : cat(...s.replace(/\.$/, "").split(".").map((l) => cat(bytes(l.length), text(l))), bytes(0));
const nm = (n: string | Uint8Array) => typeof n === "string" ? name(n) : n;
/** The header: id 0x1234, flags, counts. */
const hdr = (flags: number, qd = 0, an = 0, ns = 0, ar = 0) =>
  cat(u16(0x1234), u16(flags), u16(qd), u16(an), u16(ns), u16(ar));
const q = (n: string | Uint8Array, type = 1, cls = 1) => cat(nm(n), u16(type), u16(cls));
const rr = (n: string | Uint8Array, type: number, rdata: Uint8Array, cls = 1, ttl = 300) =>
  cat(nm(n), u16(type), u16(cls), u32(ttl), u16(rdata.length), rdata);
/** An EDNS option. */
const opt = (code: number, data: Uint8Array) => cat(u16(code), u16(data.length), data);
/** An OPT record: UDP size, DO, options. */
const edns = (options: Uint8Array, size = 4096, ttl = 0x8000) => rr(".", 41, options, size, ttl);

/** A pointer to the question's name (offset 12). */
const C = hex("c00c");
const QN = q("www.example.com");

function udp4(m: Uint8Array, sp = 53, dp = 40000): Uint8Array {
  return emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ ...V4, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, m, V4)),
  );
}
function udp6(m: Uint8Array, port = 5353): Uint8Array {
  return emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...V6, proto: 17 }, emitUdp({ srcPort: port, dstPort: port }, m, V6)),
  );
}
/** A TCP segment from port 53 carrying the message after its length (`prefix` overrides the length). */
function tcp4(m: Uint8Array, prefix = m.length): Uint8Array {
  const seg = emitTcp(
    { srcPort: 53, dstPort: 40000, seq: 1, ack: 1, flags: 0x18, window: 8192 },
    cat(u16(prefix), m),
    V4,
  );
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...V4, proto: 6 }, seg));
}

const ANSWERS = [
  rr(C, 1, ip4("93.184.216.34")),
  rr(C, 28, hex("20010db8000000000000000000000001")),
  rr(C, 5, cat(name("cdn").subarray(0, 4), C)),
  rr(C, 15, cat(u16(10), bytes(2), text("mx"), C)),
  rr(C, 16, cat(bytes(5), text("hello"), bytes(0), bytes(3, 1, 0xff, 0x7f))),
  rr(C, 33, cat(u16(10), u16(5), u16(5060), bytes(3), text("sip"), C)),
  rr(
    C,
    6,
    cat(
      bytes(2),
      text("ns"),
      C,
      bytes(5),
      text("admin"),
      C,
      u32(2024010101),
      u32(7200),
      u32(3600),
      u32(1209600),
      u32(300),
    ),
  ),
  rr(C, 12, cat(bytes(4), text("host"), C)),
  rr(C, 2, cat(bytes(3), text("ns1"), C)),
  rr(C, 39, cat(bytes(1), text("d"), C)),
  // MB, MG, MR, MINFO, HINFO: tcpdump names them only.
  rr(C, 7, cat(bytes(1), text("m"), C)),
  rr(C, 8, cat(bytes(1), text("g"), C)),
  rr(C, 9, cat(bytes(1), text("r"), C)),
  rr(C, 14, cat(bytes(1), text("r"), C, bytes(1), text("e"), C)),
  rr(C, 13, cat(bytes(3), text("x86"), bytes(5), text("Linux"))),
  // A6: a prefix and its name, a whole address, the prefix alone, a bad prefix length.
  rr(C, 38, cat(bytes(64, 0, 1, 2, 3, 4, 5, 6, 7), bytes(1), text("p"), C)),
  rr(C, 38, cat(bytes(0), hex("000102030405060708090a0b0c0d0e0f"))),
  rr(C, 38, cat(bytes(128, 1), text("p"), C)),
  rr(C, 38, bytes(129)),
  rr(C, 104, text("raw text\0")),
  rr(C, 256, cat(u16(10), u16(1), text("https://x/"))),
  rr(C, 249, new Uint8Array(10)),
  rr(C, 48, hex("01010308 abababababab")),
  rr(
    C,
    250,
    cat(name("hmac-md5.sig-alg.reg.int"), hex("00005f000000 012c 0004 61626364 1234 0000 0000")),
    255,
    0,
  ),
  // Classes, and times to live for -vvv.
  rr(C, 1, ip4("10.1.1.1"), 3, 93784),
  rr(C, 1, ip4("10.1.1.2"), 4, 0),
  rr(C, 1, ip4("10.1.1.3"), 254, 31536000 * 2 + 1),
  rr(C, 1, ip4("10.1.1.4"), 0x8001, 0xffffffff),
];

/** One response per four answers. */
const RESPONSES = Array.from(
  { length: Math.ceil(ANSWERS.length / 4) },
  (_, i) => cat(hdr(0x8580, 1, Math.min(4, ANSWERS.length - 4 * i)), QN, ...ANSWERS.slice(4 * i, 4 * i + 4)),
);

const EDNS_OPTIONS = [
  opt(8, hex("0001 18 00 0a0000")),
  opt(8, hex("0002 40 10 20010db800000000")),
  opt(8, hex("0001 21 00 0102030405")),
  opt(8, hex("0001 18 21 010203")),
  opt(8, hex("0001 10 00 010203")),
  opt(8, hex("0003 00 00")),
  opt(8, hex("0001 00 00")),
  opt(8, hex("00")),
  opt(3, text("ns1")),
  opt(10, new Uint8Array(8).fill(1)),
  opt(10, new Uint8Array(40).fill(2)),
  opt(10, new Uint8Array(41).fill(3)),
  opt(10, new Uint8Array(15).fill(4)),
  opt(11, hex("1235")),
  opt(11, hex("000102")),
  opt(9, hex("00000e10")),
  opt(9, hex("00000e1000")),
  opt(12, new Uint8Array(7)),
  opt(14, hex("000100020003")),
  opt(14, hex("000100")),
  opt(5, hex("0001020305060708 0a0c0d0e0f10 11 fcfdfeff")),
  opt(6, hex("0001020304 05")),
  opt(7, hex("0100")),
  opt(13, name("x.y")),
  opt(13, hex("4108ff00")),
  opt(13, hex("01")),
  opt(13, hex("017ac000")),
  opt(1, hex("0102")),
  opt(2, hex("03")),
  opt(4, hex("dead")),
  opt(15, hex("04")),
  opt(16, hex("05")),
  opt(17, hex("06")),
  opt(999, hex("ab")),
  opt(0, hex("")),
  opt(3, hex("")),
];

const MESSAGES: Uint8Array[] = [
  // Queries: plain, two questions with CD, EDNS with a cookie, an inverse query, an update with a TSIG, odd
  // header bits, more counts than records, classes, the root.
  cat(hdr(0x0100, 1), QN),
  cat(hdr(0x0110, 2), QN, q(cat(bytes(3), text("foo"), C), 28)),
  cat(hdr(0x0100, 1, 0, 0, 1), QN, edns(opt(10, new Uint8Array(8).fill(1)))),
  cat(hdr(0x0900, 1, 1), QN, rr(C, 1, ip4("1.2.3.4"))),
  cat(hdr(0x0900, 0, 2), rr("a.b", 1, ip4("1.2.3.4")), rr("a.b", 1, ip4("1.2.3.5"))),
  cat(
    hdr(0x2800, 1, 0, 1, 1),
    q("example.com", 6),
    rr(C, 1, ip4("1.2.3.4"), 255, 0),
    rr(
      ".",
      250,
      cat(
        name("hmac-sha256"),
        hex("00005f000000012c0020"),
        new Uint8Array(32).fill(0xaa),
        hex("123400000000"),
      ),
      255,
      0,
    ),
  ),
  hdr(0x06cf),
  cat(hdr(0x7fff, 3, 2, 1, 1), QN, QN, QN),
  cat(hdr(0x0100, 1), q("x", 1, 3)),
  cat(hdr(0x0100, 1), q("x", 1, 4)),
  cat(hdr(0x0100, 1), q("x", 255, 255)),
  cat(hdr(0x0100, 1), q("x", 12, 42)),
  cat(hdr(0x0100, 1), q(".", 2)),
  cat(hdr(0x0100, 1), q("x", 104)),
  cat(hdr(0x0100, 1), q("x", 65)),
  cat(hdr(0x0100, 1, 1, 1, 1), QN, ANSWERS[0], ANSWERS[1], ANSWERS[2]),
  cat(hdr(0x0100, 1, 2, 2, 2), QN, ANSWERS[0], ANSWERS[1]),
  // Responses: every answer type, authority and additional sections, an NXDOMAIN with its SOA.
  ...RESPONSES,
  cat(
    hdr(0x8183, 1, 0, 1),
    QN,
    rr(
      name("example.com"),
      6,
      cat(
        bytes(2),
        text("ns"),
        hex("c01d"),
        bytes(5),
        text("admin"),
        hex("c01d"),
        u32(1),
        u32(2),
        u32(3),
        u32(4),
        u32(5),
      ),
    ),
  ),
  cat(
    hdr(0x8000, 1, 1, 1, 2),
    QN,
    ANSWERS[0],
    rr(C, 2, cat(bytes(2), text("ns"), C)),
    rr(cat(bytes(2), text("ns"), C), 1, ip4("1.1.1.1")),
    edns(cat(opt(3, text("ns1")), opt(12, new Uint8Array(5)), opt(8, hex("00011800c0a801"))), 1232),
  ),
  // Every flag and opcode, rcodes 0 to 15.
  ...Array.from(
    { length: 16 },
    (_, i) => cat(hdr(0x8000 | (i << 11) | ((i * 0x35) & 0x7f0) | i, 1, 1), QN, ANSWERS[0]),
  ),
  // Extended rcodes from the OPT record: BadVers, Resp17 and Resp21 (tcpdump's table has no space), BadCookie,
  // beyond its table.
  ...[16, 17, 21, 23, 24, 255, 4095].map((rc) =>
    cat(hdr(0x8000 | (rc & 15), 1, 0, 0, 1), QN, edns(new Uint8Array(0), 512, (rc >> 4) << 24))
  ),
  // EDNS options, each followed by NSID; an option longer than the record; records too short for an option.
  ...EDNS_OPTIONS.map((o) => cat(hdr(0x8180, 1, 0, 0, 1), QN, edns(cat(o, opt(3, bytes(1)))))),
  cat(hdr(0x8180, 1, 0, 0, 1), QN, edns(opt(3, hex("010203"))).subarray(0, -3), hex("0003")),
  cat(hdr(0x8180, 1, 0, 0, 1), QN, edns(bytes(0))),
  cat(hdr(0x8180, 1, 0, 0, 1), QN, edns(hex("000300"))),
  cat(hdr(0x8180, 0, 0, 0, 1), edns(bytes(0), 1400, 0)),
  // Names: bit-string labels, a forward pointer, a pointer to itself, chains, bad label types, too long.
  cat(hdr(0x0100, 1), hex("410cabcd 03616263 00"), u16(1), u16(1)),
  cat(hdr(0x0100, 1), hex("4100"), new Uint8Array(32).map((_, i) => i), bytes(0), u16(1), u16(1)),
  cat(hdr(0x0100, 1), hex("4103e000"), u16(1), u16(1)),
  cat(hdr(0x8000, 0, 1), rr(hex("410cabcd0361626300"), 1, ip4("1.2.3.4"))),
  cat(hdr(0x8000, 0, 1), rr(hex("03616263 4104f0 00"), 1, ip4("1.2.3.4"))),
  cat(hdr(0x0100, 1), hex("0161c040"), u16(1), u16(1)),
  cat(hdr(0x0100, 1), C, u16(1), u16(1)),
  cat(hdr(0x8000, 1, 1), QN, rr(hex("017ac020"), 1, ip4("1.2.3.4"))),
  cat(hdr(0x8000, 1, 1), QN, rr(hex("017ac00c"), 5, hex("c021"))),
  cat(hdr(0x8000, 1, 2), QN, rr(hex("017ac00c"), 5, hex("c023")), rr(hex("c02d"), 1, ip4("1.2.3.4"))),
  cat(hdr(0x8000, 0, 1), rr(cat(hex("80"), new Uint8Array(20).fill(0x78), bytes(0)), 1, ip4("1.2.3.4"))),
  cat(hdr(0x8000, 0, 1), rr(cat(hex("01617f"), new Uint8Array(20).fill(0x79), bytes(0)), 1, ip4("1.2.3.4"))),
  cat(hdr(0x0100, 1), cat(hex("01618000"), new Uint8Array(128).fill(0x78), bytes(0)), u16(1), u16(1)),
  cat(hdr(0x0100, 1), hex("036101620000010001")),
  cat(hdr(0x0100, 1), q(Array(4).fill("b".repeat(63)).join("."))),
  cat(hdr(0x0100, 1), q(Array(6).fill("c".repeat(50)).join("."))),
  cat(hdr(0x0100, 1), q([..."ddd"].map(() => "d".repeat(63)).join(".") + "." + "d".repeat(62))),
  cat(hdr(0x8000, 1, 1), QN, rr(C, 5, q(Array(5).fill("e".repeat(60)).join(".")).subarray(0, -4))),
  // Records whose data is too short or runs past the message.
  cat(
    hdr(0x8180, 1, 5),
    QN,
    rr(C, 38, cat(bytes(0x80, 1), text("p"), C)),
    rr(C, 38, bytes(0x7f, 0xff, 1, 0x71, 0)),
    rr(C, 38, bytes(0x81)),
    rr(C, 1, bytes(1, 2)),
    rr(C, 28, new Uint8Array(15).fill(1)),
  ),
  cat(hdr(0x8180, 1, 2), QN, rr(C, 16, hex("056162")), rr(C, 16, bytes()), text("cdefghijkl")),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 256, hex("000100"))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 256, hex("0001")), text("xyz")),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 250, bytes(0))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 15, bytes(0))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 33, hex("000100"))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 6, new Uint8Array(12))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 6, bytes(0, 0))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 38, hex("000102")), new Uint8Array(14)),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 38, hex("000102"))),
  cat(hdr(0x8180, 1, 1), QN, rr(C, 1, ip4("1.2.3.4")).subarray(0, -6)),
  cat(hdr(0x8180, 2, 3), QN, QN, ANSWERS[0]),
  cat(hdr(0x8180, 1, 1, 2, 2), QN, ANSWERS[0]),
  cat(hdr(0x8180, 65535, 65535), QN),
  cat(hdr(0x8180, 0, 1), hex("03616263")),
  cat(hdr(0x8180, 0, 1), hex("c0")),
  hdr(0x8180),
  hdr(0x0000),
  // Shorter than the header.
  hex("1234 8180 0001 0000 0000 00"),
  hex("12"),
  new Uint8Array(0),
];

/** Multicast DNS: QU and QM questions, cache-flush records, an OPT's size without the flush bit. */
const MDNS: Uint8Array[] = [
  cat(hdr(0x0000, 2), q("_http._tcp.local", 12, 0x8001), q("x.local", 1, 0x0001)),
  cat(hdr(0x0000, 1), q("x.local", 28, 0x8003)),
  cat(
    hdr(0x8400, 0, 2, 0, 1),
    rr("_http._tcp.local", 12, cat(bytes(1), text("x"), C)),
    rr("x.local", 1, ip4("10.0.0.9"), 0x8001),
    rr(".", 41, bytes(), 0x85a0, 0x8000),
  ),
  cat(hdr(0x8400, 0, 1), rr("x.local", 16, hex("0474787476"), 0x8004)),
  ...MESSAGES.slice(17, 20),
];

/** TCP: a good prefix, wrong prefixes, a segment of one byte and a prefix alone. */
const TCP_FRAMES: Uint8Array[] = [
  ...[MESSAGES[0], RESPONSES[0], MESSAGES[5], MESSAGES[7]].map((m) => tcp4(m)),
  tcp4(RESPONSES[1], RESPONSES[1].length + 1),
  tcp4(RESPONSES[1], RESPONSES[1].length - 1),
  tcp4(hex("0102030405"), 5),
  tcp4(hex(""), 0),
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4(
      { ...V4, proto: 6 },
      emitTcp({ srcPort: 53, dstPort: 40000, seq: 1, ack: 1, flags: 0x18 }, bytes(0), V4),
    ),
  ),
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4(
      { ...V4, proto: 6 },
      emitTcp({ srcPort: 40000, dstPort: 53, seq: 1, ack: 1, flags: 0x18 }, bytes(7), V4),
    ),
  ),
];

const FRAMES: Uint8Array[] = [
  ...MESSAGES.map((m) => udp4(m)),
  udp4(MESSAGES[0], 40000, 53),
  ...MDNS.map((m) => udp6(m)),
  // DNS on port 53 over IPv6.
  udp6(RESPONSES[0], 53),
  ...TCP_FRAMES,
];

const FLAGS = [[], ["-v"], ["-vv"], ["-vvv"], ["-x"], ["-vv", "-x"]];

const d = new PacketDecoder();
/** netkit's text after `src > dst: ` (and the UDP checksum's note). */
const line = (f: Uint8Array, verbosity = 0) => {
  const s = summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity }).split("\n").at(-1)!;
  return s.replace(/^.*? > \S+: (\[udp sum ok\] )?/, "");
};

Deno.test("golden: tcpdump's DNS text", () => {
  assert.equal(line(FRAMES[0]), "4660+ A? www.example.com. (33)");
  assert.equal(
    line(FRAMES[2], 2),
    "4660+ [1au] A? www.example.com. ar: . OPT UDPsize=4096 DO [COOKIE 0101010101010101] (56)",
  );
  const r0 = FRAMES[MESSAGES.indexOf(RESPONSES[0])];
  assert.equal(
    line(r0),
    "4660* 4/0/0 A 93.184.216.34, AAAA 2001:db8::1, CNAME cdn.www.example.com., MX mx.www.example.com. 10 (114)",
  );
  assert.equal(
    line(r0, 3),
    "4660* q: A? www.example.com. 4/0/0 www.example.com. [5m] A 93.184.216.34, www.example.com. [5m] AAAA " +
      "2001:db8::1, www.example.com. [5m] CNAME cdn.www.example.com., www.example.com. [5m] MX mx.www.example.com. " +
      "10 (114)",
  );
  const at = (i: number, v = 0) => line(FRAMES[MESSAGES.indexOf(RESPONSES[i])], v);
  assert.equal(
    at(1),
    '4660* 4/0/0 TXT "hello" "" "^AM-^?^?", SRV sip.www.example.com.:5060 10 5, SOA, PTR host.www.example.com. (144)',
  );
  assert.match(
    at(1, 1),
    / SOA ns\.www\.example\.com\. admin\.www\.example\.com\. 2024010101 7200 3600 1209600 300,/,
  );
  assert.equal(at(2), "4660* 4/0/0 NS ns1.www.example.com., DNAME d.www.example.com., MB, MG (99)");
  assert.equal(at(3), "4660* 4/0/0 MR, MINFO, HINFO, A6 64 ::1:203:405:607 p.www.example.com. (116)");
  assert.equal(
    at(4),
    "4660* 4/0/0 A6 0 1:203:405:607:809:a0b:c0d:e0f, A6 p.www.example.com., A6 129(bad plen), UNSPECAraw text^@ (113)",
  );
  assert.equal(at(5), "4660* 4/0/0 URI 10 1 https://x/, TKEY, DNSKEY, ANY TSIG (161)");
  assert.match(
    at(5, 1),
    / ANY TSIG hmac-md5\.sig-alg\.reg\.int\. fudge=300 maclen=4 origid=4660 error=0 otherlen=0 \(161\)$/,
  );
  assert.equal(
    at(6, 3),
    "4660* q: A? www.example.com. 4/0/0 www.example.com. CHAOS [1d2h3m4s] A 10.1.1.1, www.example.com. HS [0s] A " +
      "10.1.1.2, www.example.com. (Class 254) [2y1s] A 10.1.1.3, www.example.com. (Class 32769) [136y10w6h28m15s] A " +
      "10.1.1.4 (97)",
  );
  const mdns = FRAMES[MESSAGES.length + 1 + 2];
  assert.equal(
    line(mdns, 2),
    "4660*- [0q] 2/0/1 _http._tcp.local. PTR x._http._tcp.local., x.local. (Cache flush) A 10.0.0.9 ar: . " +
      "(Cache flush) OPT UDPsize=1440 DO (78)",
  );
  // Short messages, bad pointers and labels.
  assert.equal(line(FRAMES[MESSAGES.length - 3]), "domain [length 11 < 12] (invalid)");
  assert.equal(
    line(FRAMES[MESSAGES.findIndex((m) => m.length === 18 && m[12] === 0xc0)]),
    "4660+ A? <BAD PTR> [|domain]",
  );
});

Deno.test("dnsText: tcpdump's checks end in [|domain]; reads past the capture are its long jump", () => {
  const c = { mdns: false, overTcp: false, verbosity: 1 };
  const m = cat(hdr(0x8180, 1, 1), QN, rr(C, 1, ip4("1.2.3.4")));
  assert.deepEqual(dnsText(m, m.length, c), {
    text: "4660 1/0/0 www.example.com. A 1.2.3.4 (49)",
    jump: false,
  });
  assert.deepEqual(dnsText(m.subarray(0, 46), m.length, c), {
    text: "4660 1/0/0 www.example.com. A [|domain]",
    jump: false,
  });
  assert.deepEqual(dnsText(m.subarray(0, 10), m.length, c), { text: " [|domain]", jump: false });
  // A bit-string label is read byte by byte: a cut one jumps.
  const b = cat(hdr(0x8000, 0, 1), hex("4120ab"));
  assert.deepEqual(dnsText(b, 40, c), { text: "4660- [0q] 1/0/0 \\[xab [|domain]", jump: true });
  // A6's address and URI's numbers are read without a check first.
  const a6 = cat(hdr(0x8180, 1, 1), QN, rr(C, 38, hex("000102")));
  assert.deepEqual(dnsText(a6, a6.length, c), {
    text: "4660 1/0/0 www.example.com. A6 [|domain]",
    jump: true,
  });
  // Over TCP: the length prefix, read before any check.
  const t = { mdns: false, overTcp: true, verbosity: 0 };
  assert.deepEqual(dnsText(bytes(0), 61, t), { text: " [|domain]", jump: true });
  assert.deepEqual(dnsText(bytes(0), 1, t), { text: " [DNS over TCP: length 1 < 2] (invalid)", jump: false });
  assert.deepEqual(dnsText(cat(u16(60), m), m.length + 2, t), {
    text: " [prefix length(60) != length(49)] (invalid)",
    jump: false,
  });
  assert.deepEqual(dnsText(cat(u16(49), m).subarray(0, 8), m.length + 2, t), {
    text: "  [|domain]",
    jump: false,
  });
  assert.deepEqual(dnsText(cat(u16(5), hex("0102030405")), 7, t), {
    text: " domain [length 5 < 12] (invalid)",
    jump: false,
  });
});

Deno.test("dnsText reads on to the IP payload's end, past a UDP length that says less, as tcpdump does", () => {
  const c = { mdns: false, overTcp: false, verbosity: 0 };
  const m = cat(hdr(0x8180, 1, 2), QN, rr(C, 1, ip4("1.2.3.4")), rr(C, 1, ip4("5.6.7.8")));
  assert.deepEqual(dnsText(m, 12, c), { text: "4660 2/0/0 A 1.2.3.4, A 5.6.7.8 (12)", jump: false });
  assert.deepEqual(dnsText(m, 5, c), { text: "domain [length 5 < 12] (invalid)", jump: false });
});

Deno.test("dnsText never throws: every prefix and random mutations of every message, every verbosity", () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  for (const m of [...MESSAGES, ...MDNS]) {
    for (let k = 0; k < 40; k++) {
      const x = m.slice();
      for (let j = 0; j < 4 && x.length; j++) x[rnd(x.length)] = [0, 1, 0x41, 0xc0, 0x80, rnd(256)][rnd(6)];
      for (let v = 0; v < 4; v++) {
        for (const mdns of [false, true]) {
          const n = rnd(x.length + 1);
          dnsText(x.subarray(0, n), x.length, { mdns, overTcp: false, verbosity: v });
          dnsText(cat(u16(x.length), x).subarray(0, n + 2), x.length + 2, {
            mdns,
            overTcp: true,
            verbosity: v,
          });
        }
      }
    }
  }
});

testIf(
  "DNS messages print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const f of FRAMES) {
      // From the end of the UDP or TCP header on: shorter cuts belong to those printers.
      const from = f[12] === 0x86 ? 62 : f[23] === 6 ? 54 : 42;
      for (let n = from; n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);
