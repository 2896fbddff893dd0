/**
 * RADIUS (UDP 1645, 1812, 1646, 1813, 1700, 3799) as tcpdump 4.99 prints it, over hand-built frames: every
 * code, every attribute type tcpdump has (and unknown ones) with every named value, tunnel tags, vendor
 * attributes for every vendor tcpdump names, EAP messages of each kind, IPv6 addresses and prefixes, RFC 5580
 * location attributes, ARAP and Error-Cause values, wrong value lengths, bogus attribute lengths, header
 * lengths below 20 and past the datagram, IPv6 once; whole and cut at every length, compared packet by
 * packet with and without `-v`/`-vv`; with `-x`, whether the dump starts at the frame or at the IP header
 * tells tcpdump's long jumps from its own checks.
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
import { radiusText } from "../../lib/wire/_radius.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
const AUTH = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

/** An Ethernet/IPv4/UDP frame; `ulen` makes the UDP length cover fewer bytes than the IP packet carries. */
function udp4(data: Uint8Array, dport = 1812, sport = 40000, ulen?: number): Uint8Array {
  const d = emitUdp(
    { srcPort: sport, dstPort: dport, length: ulen === undefined ? undefined : ulen + 8 },
    data,
    V4,
  );
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...V4, proto: 17 }, d));
}
const udp6 = (data: Uint8Array, dport = 1812) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...V6, proto: 17 }, emitUdp({ srcPort: 40000, dstPort: dport }, data, V6)),
  );

/** An attribute: type, length (default: the value's + 2), value. */
const attr = (type: number, value: Uint8Array | string = zeros(0), len?: number) => {
  const v = typeof value === "string" ? text(value) : value;
  return cat(bytes(type, len ?? v.length + 2), v);
};
/** A RADIUS packet: code, identifier, length (default: the real one), authenticator, attributes. */
const radius = (code: number, attrs: Uint8Array[] = [], o: { id?: number; len?: number } = {}) => {
  const body = cat(...attrs);
  return cat(bytes(code, o.id ?? 7), u16(o.len ?? 20 + body.length), AUTH, body);
};
const rad = (code: number, attrs: Uint8Array[] = [], o: { id?: number; len?: number; port?: number } = {}) =>
  udp4(radius(code, attrs, o), o.port);

/** Attribute `type` with each 32-bit value from 0 to `max` (a frame each 40 values). */
const enumFrames = (type: number, max: number, tagged = false) => {
  const out: Uint8Array[] = [];
  for (let from = 0; from <= max; from += 40) {
    const attrs: Uint8Array[] = [];
    for (let v = from; v <= Math.min(max, from + 39); v++) {
      attrs.push(attr(type, u32(tagged ? v | (v << 24) : v)));
    }
    out.push(rad(2, attrs));
  }
  return out;
};

const VENDORS = [
  0,
  5,
  9,
  11,
  42,
  61,
  74,
  161,
  166,
  193,
  255,
  307,
  311,
  429,
  529,
  1584,
  1991,
  2180,
  2352,
  2636,
  2637,
  2937,
  3054,
  3076,
  3085,
  3199,
  3224,
  3309,
  3414,
  3561,
  3902,
  4329,
  4491,
  4874,
  5263,
  5535,
  5806,
  5925,
  5948,
  5951,
  6490,
  6618,
  6728,
  7951,
  8164,
  8744,
  10415,
  10529,
  10704,
  10923,
  11665,
  11862,
  12356,
  12951,
  13745,
  14122,
  16787,
  20942,
  26866,
  32622,
  35632,
  46098,
  1,
  12,
  99999,
  0xffffffff,
];

/** An EAP packet in an EAP-Message: code, id, length (default: the real one), data. */
const eap = (code: number, data: Uint8Array = zeros(0), len?: number) =>
  attr(79, cat(bytes(code, 3), u16(len ?? data.length + 4), data));
/** The EAP TLS-style flags byte and the rest. */
const eapType = (type: number, ...rest: Uint8Array[]) => cat(bytes(type), ...rest);
/** An NTP timestamp. */
const ntp = (sec: number, frac = 0) => cat(u32(sec), u32(frac));

const ABCD = text("ABCD");

const FRAMES: Uint8Array[] = [
  // Every code tcpdump names, and some it does not; other ports; a different id.
  ...[1, 2, 3, 4, 5, 11, 12, 13, 40, 41, 42, 43, 44, 45, 255, 0, 6, 14, 46, 254].map((c) =>
    rad(c, [attr(1, "alice")])
  ),
  ...[1645, 1646, 1700, 1813, 3799].map((port) => rad(4, [attr(44, "sess")], { port, id: 0xab })),
  udp4(radius(1, [attr(1, "bob")]), 40000, 1812),
  udp6(radius(43, [attr(95, hex("20010db8000000000000000000000001")), attr(97, hex("0040 20010db8 0001"))])),
  // Every attribute type with the same 4-byte value, 64 a frame.
  ...[0, 64, 128, 192].map((from) => rad(1, Array.from({ length: 64 }, (_, k) => attr(from + k, ABCD)))),
  // Every attribute type with a value of 1, 16 and 0 bytes.
  ...[0, 128].map((from) => rad(1, Array.from({ length: 128 }, (_, k) => attr(from + k, bytes(0x31))))),
  ...[0, 64, 128, 192].map((from) =>
    rad(1, Array.from({ length: 64 }, (_, k) => attr(from + k, hex("20010db8000000000000000000000001"))))
  ),
  rad(1, Array.from({ length: 130 }, (_, k) => attr(k))),
  // Strings: unprintable bytes, a NUL inside, a first byte above 0x1f for the tagged ones.
  rad(1, [
    attr(1, hex("62 6f 62 01 7f 80 ff 20 7e")),
    attr(18, hex("48 69 00 57 6f")),
    attr(11, hex("00 41")),
  ]),
  rad(
    2,
    [66, 67, 81, 82, 90, 91].flatMap((
      t,
    ) => [attr(t, "\x00x"), attr(t, "\x01x"), attr(t, "\x1fx"), attr(t, " x")]),
  ),
  rad(2, [
    attr(69, hex("00 1234 7077")),
    attr(69, hex("05 ffff 7077")),
    attr(69, hex("1f 0000")),
    attr(69, hex("20 0001 41")),
    attr(69, hex("ff 0001")),
    attr(69, hex("01 02")),
    attr(69, hex("01")),
  ]),
  rad(2, [
    attr(58, hex("31 76 6c 61 6e")),
    attr(58, hex("32 76")),
    attr(58, hex("33 76")),
    attr(58, hex("00")),
  ]),
  // Numbers: every named value of each enumerated attribute and some past the names.
  ...enumFrames(6, 21),
  ...enumFrames(7, 9),
  ...enumFrames(10, 5),
  ...enumFrames(13, 5),
  ...enumFrames(15, 10),
  ...enumFrames(29, 3),
  ...enumFrames(40, 17),
  ...enumFrames(45, 6),
  ...enumFrames(49, 25),
  ...enumFrames(57, 4),
  ...enumFrames(61, 45),
  ...enumFrames(64, 15, true),
  ...enumFrames(65, 17, true),
  ...enumFrames(72, 6),
  ...enumFrames(76, 3),
  rad(2, [
    attr(64, hex("00ffffff")),
    attr(65, hex("ff000001")),
    attr(6, u32(0xffffffff)),
    attr(61, u32(0x80000000)),
  ]),
  // Special numbers: NAS Select, times, AppleTalk, tagged preference, VLAN ids.
  rad(4, [
    attr(23, u32(0xfffffffe)),
    attr(23, u32(0xffffffff)),
    attr(23, u32(7)),
    ...[27, 28, 41, 46, 85].flatMap((t) =>
      [0, 1, 59, 60, 61, 3599, 3600, 3661, 86399, 360000, 0xffffffff].map((v) => attr(t, u32(v)))
    ),
    attr(37, u32(0)),
    attr(37, u32(9)),
    attr(38, u32(0)),
    attr(38, u32(0xffffffff)),
    attr(83, hex("00000005")),
    attr(83, hex("1f ffffff")),
    attr(83, hex("ff 000001")),
    attr(56, hex("31 00000a")),
    attr(56, hex("32 000fff")),
    attr(56, hex("00 000001")),
    attr(5, u32(0xffffffff)),
    attr(12, u32(1500)),
  ]),
  // Addresses, IPv4 and IPv6, and their special values; wrong lengths.
  rad(1, [
    ...[4, 8, 9, 14].flatMap((t) => [
      attr(t, hex("0a000009")),
      attr(t, hex("ffffffff")),
      attr(t, hex("fffffffe")),
      attr(t, hex("00000000")),
    ]),
    attr(4, hex("0a0000")),
    attr(8, hex("0a00000900")),
    attr(95, hex("fe800000000000000000000000000001")),
    attr(98, zeros(16)),
    attr(95, hex("fe80")),
    attr(98, zeros(17)),
  ]),
  // IPv6 prefixes: every length of prefix field, a prefix length past 128, longer than its bytes.
  rad(1, [
    ...[97, 123].flatMap((t) =>
      Array.from(
        { length: 18 },
        (_, n) => attr(t, cat(bytes(0, n * 8), hex("20010db8aabbccddeeff112233445566").subarray(0, n))),
      )
    ),
    attr(97, bytes(0, 129)),
    attr(97, bytes(0, 255, 1, 2)),
    attr(123, bytes(0, 64, 0x20, 1)),
    attr(97, bytes(0)),
    attr(97, zeros(19)),
  ]),
  // MIP6-Home-Link-Prefix, MIP6-Feature-Vector.
  rad(2, [
    attr(125, cat(bytes(64), hex("20010db8000000010000000000000000"))),
    attr(125, cat(bytes(128), zeros(16))),
    attr(125, cat(bytes(129), zeros(16))),
    attr(125, zeros(16)),
    attr(125, zeros(18)),
    attr(124, zeros(8)),
    attr(124, hex("ffffffffffffffff")),
    attr(124, hex("0000aa0000000001")),
    attr(124, hex("0003550000000002")),
    attr(124, zeros(7)),
    attr(124, zeros(9)),
  ]),
  // Time: Event-Timestamp, in local time (tcpdump, run by the test, shares the test's time zone).
  rad(4, [
    attr(55, u32(0)),
    attr(55, u32(1000000000)),
    attr(55, u32(1700000000)),
    attr(55, u32(0x7fffffff)),
    attr(55, u32(0xffffffff)),
    attr(55, zeros(3)),
    attr(55, zeros(5)),
  ]),
  // RFC 5580: Operator-Name, Location-Information, Location-Data, Basic-Location-Policy-Rules.
  rad(11, [
    ...[0x30, 0x31, 0x32, 0x33, 0x34, 0].map((ns) => attr(126, cat(bytes(ns), text("example.com")))),
    attr(126, hex("31 00 01 ff 7f")),
    attr(126, bytes(0x31)),
    attr(127, cat(u16(1), bytes(0, 0), ntp(0), ntp(0), text("gps"))),
    attr(127, cat(u16(65535), bytes(1, 1), ntp(3913056000, 0x80000000), ntp(100, 1), zeros(1))),
    attr(127, cat(u16(2), bytes(2, 2), ntp(1, 0xffffffff), ntp(0xffffffff), text("x\x00\x7f"))),
    attr(127, zeros(20)),
    attr(128, cat(u16(1), text("loc"))),
    attr(128, cat(u16(258), Uint8Array.from({ length: 40 }, (_, k) => 0x10 + k * 3))),
    attr(128, cat(u16(3), hex("20 21 7e 7f 00"))),
    attr(128, zeros(2)),
    attr(129, cat(u16(0), ntp(0))),
    attr(129, cat(u16(0xffff), ntp(3913056000), text("note"))),
    attr(129, cat(u16(0x8001), ntp(5), text("\x01"))),
    attr(129, zeros(9)),
  ]),
  // ARAP and Error-Cause.
  rad(2, [
    attr(70, Uint8Array.from({ length: 16 }, (_, k) => k * 16 + k)),
    attr(70, zeros(15)),
    attr(71, cat(bytes(1, 8), hex("01020304 a0b0c0d0 0f0e0d0c"))),
    attr(71, cat(bytes(0, 255), zeros(12))),
    attr(71, zeros(13)),
    attr(84, hex("0102030405060708")),
    attr(84, hex("01020304050607080910")),
    attr(84, zeros(7)),
    ...[201, 202, 401, 402, 403, 404, 405, 406, 407, 501, 502, 503, 504, 505, 506, 507, 508, 509, 0, 1, 510]
      .map((v) => attr(101, u32(v))),
    attr(101, zeros(5)),
  ]),
  // Vendor-Specific: every vendor tcpdump names, and unknown ones.
  rad(1, VENDORS.slice(0, 33).map((v) => attr(26, u32(v)))),
  rad(1, VENDORS.slice(33).map((v) => attr(26, cat(u32(v), bytes(1, 3, 0x41))))),
  // Vendor attributes: several, empty, unprintable, bogus lengths, a short Vendor-Specific.
  rad(1, [
    attr(26, cat(u32(9), bytes(1, 6), text("abcd"), bytes(2, 2), bytes(3, 5, 0x00, 0x7f, 0x80))),
    attr(26, cat(u32(311), bytes(1, 1))),
    attr(26, cat(u32(311), bytes(1, 0, 5))),
    attr(26, cat(u32(2636), bytes(1, 9, 1))),
    attr(26, cat(u32(9), bytes(1, 3, 0x41), bytes(9))),
    attr(26, u32(1)),
    attr(26, text("ab")),
    attr(26, text("abc")),
  ]),
  // EAP: identity, notification, NAK, MD5, TLS, TTLS, FAST, SIM, AKA, success, failure, unknown, fragments.
  rad(11, [
    eap(2, eapType(1, text("user\x01"))),
    eap(2, eapType(1)),
    eap(1, eapType(1, text("ab\x00cd"))),
    eap(1, eapType(2, text("note"))),
    eap(1, eapType(2)),
    eap(2, eapType(3, bytes(4, 13, 99))),
    eap(2, eapType(3)),
    eap(1, eapType(4, bytes(16), zeros(16))),
    eap(1, eapType(13, bytes(0x20))),
    eap(1, eapType(13, bytes(0xe0), u32(1234))),
    eap(1, eapType(13, bytes(0x80), u16(1))),
    eap(1, eapType(13)),
    eap(2, eapType(21, bytes(0x01))),
    eap(2, eapType(21, bytes(0x87), u32(70000))),
    eap(2, eapType(43, bytes(0x41))),
    eap(2, eapType(43)),
    eap(1, eapType(18, bytes(10), zeros(2))),
    eap(1, eapType(23, bytes(3))),
    eap(1, eapType(23)),
    eap(3),
    eap(4),
    eap(5, bytes(1, 2)),
    eap(1, eapType(254, zeros(7))),
    eap(1, eapType(99)),
    eap(1, eapType(1, text("x")), 99),
    eap(1, zeros(0), 3),
  ]),
  rad(11, [attr(79, bytes(1)), attr(1, "next")]),
  rad(11, [attr(79, bytes(2, 9)), attr(1, "n")]),
  rad(11, [attr(79, bytes(2, 9, 0)), attr(3, bytes(0x41))]),
  rad(11, [attr(79, bytes(2, 9, 0)), attr(0, zeros(0), 3)]),
  rad(11, [attr(79, bytes(2))]),
  rad(11, [attr(79, bytes(1, 2, 0))]),
  // Attribute lengths: below 2, past the packet, exactly to its end; a byte left over.
  rad(1, [attr(1, "a"), bytes(1, 0), attr(2, "z")]),
  rad(1, [attr(1, "a"), bytes(4, 1)]),
  rad(1, [attr(1, "a"), bytes(4, 7, 1, 2, 3)]),
  rad(1, [attr(1, "a"), bytes(18)]),
  rad(1, [attr(1, "a"), attr(26, cat(u32(9), bytes(1, 4)), 8)]),
  // Header lengths: below 20, 20, shorter than the attributes, longer than the datagram.
  rad(1, [attr(1, "alice")], { len: 19 }),
  rad(1, [attr(1, "alice")], { len: 0 }),
  rad(1, [attr(1, "alice")], { len: 20 }),
  rad(1, [attr(1, "alice"), attr(5, u32(1))], { len: 27 }),
  rad(1, [attr(1, "alice"), attr(5, u32(1))], { len: 26 }),
  rad(1, [attr(1, "alice")], { len: 200 }),
  rad(1, [attr(1, "alice")], { len: 0xffff }),
  rad(12),
  // A UDP length shorter than what the IP packet carries; one shorter than the RADIUS header.
  udp4(radius(1, [attr(1, "alice"), attr(5, u32(1))]), 1812, 40000, 27),
  udp4(radius(1, [attr(1, "alice"), attr(5, u32(1))]), 1812, 40000, 25),
  udp4(radius(1, [attr(1, "alice")]), 1812, 40000, 10),
  // Fewer than 20 bytes.
  ...[0, 1, 4, 19].map((n) => udp4(radius(1).subarray(0, n))),
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

Deno.test("golden: tcpdump's RADIUS text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const f = rad(1, [
    attr(1, "alice"),
    attr(4, hex("0a000009")),
    attr(6, u32(2)),
    attr(27, u32(3661)),
    attr(64, hex("01000003")),
    attr(26, cat(u32(9), bytes(1, 6), text("abcd"))),
    eap(2, eapType(1, text("user"))),
    attr(80, new Uint8Array(16).fill(0x9d)),
  ]);
  assert.equal(at(f), "IP 10.0.0.1.40000 > 10.0.0.2.1812: RADIUS, Access-Request (1), id: 0x07 length: 92");
  assert.equal(
    at(f, 1).split("\n").slice(1).join("\n"),
    "    10.0.0.1.40000 > 10.0.0.2.1812: RADIUS, length: 92" +
      "\n\tAccess-Request (1), id: 0x07, Authenticator: 00112233445566778899aabbccddeeff" +
      "\n\t  User-Name Attribute (1), length: 7, Value: alice" +
      "\n\t  NAS-IP-Address Attribute (4), length: 6, Value: 10.0.0.9" +
      "\n\t  Service-Type Attribute (6), length: 6, Value: Framed" +
      "\n\t  Session-Timeout Attribute (27), length: 6, Value: 01:01:01 hours" +
      "\n\t  Tunnel-Type Attribute (64), length: 6, Value: Tag[1] L2TP" +
      "\n\t  Vendor-Specific Attribute (26), length: 12, Value: Vendor: Cisco (9)" +
      "\n\t    Vendor Attribute: 1, Length: 4, Value: abcd" +
      "\n\t  EAP-Message Attribute (79), length: 11, Value: Response (2), id 3, len 9" +
      "\n\t\t Type Identity (1), Identity: user" +
      "\n\t  Message-Authenticator Attribute (80), length: 18, Value: ................",
  );
  assert.equal(
    at(rad(2, [attr(4, hex("0a0000")), attr(2, "secret")]), 2).split("\n").slice(3).join("\n"),
    "\t  NAS-IP-Address Attribute (4), length: 5, Value: ERROR: length 3 != 4" +
      "\n\t    0x0000:  0a00 00" +
      "\n\t  User-Password Attribute (2), length: 8, Value: " +
      "\n\t    0x0000:  7365 6372 6574",
  );
  assert.equal(
    at(rad(1, [attr(1, "a"), bytes(4, 1)]), 1).split("\n").pop(),
    "\t  NAS-IP-Address Attribute (4), length: 1 (bogus, must be >= 2)",
  );
  // Event-Timestamp is local time (as ctime shows it): the literal holds where the zone is UTC.
  const utc = new Date(1e12).getTimezoneOffset() === 0;
  assert.equal(
    at(rad(4, [attr(55, u32(1000000000)), attr(97, hex("0040 20010db8"))]), 1).split("\n").slice(3).join(
      "\n",
    ).replace(/Value: .* 2001\n/, utc ? "$&" : "Value: Sun Sep  9 01:46:40 2001\n"),
    "\t  Event-Timestamp Attribute (55), length: 6, Value: Sun Sep  9 01:46:40 2001" +
      "\n\t  Framed-IPv6-Prefix Attribute (97), length: 8, Value: 2001:db8::/64 (inconsistent prefix length)",
  );
  assert.equal(at(rad(1, [], { len: 19 })), "IP 10.0.0.1.40000 > 10.0.0.2.1812:  [|radius]");
});

Deno.test("radiusText: reads past the capture are long jumps, tcpdump's own checks are not", () => {
  const p = radius(1, [attr(1, "alice"), attr(5, u32(12)), attr(26, cat(u32(9), bytes(1, 3, 0x41)))]);
  const cut = (n: number, v = 1) => radiusText(p.subarray(0, n), p.length, v);
  assert.deepEqual(cut(19, 0), { text: " [|radius]", jump: false });
  // A string not wholly captured: tcpdump's check, then the next attribute's header is missing too.
  assert.deepEqual(
    cut(25)?.text.split("\n").pop(),
    "\t  User-Name Attribute (1), length: 7, Value:  [|radius] [|radius]",
  );
  assert.equal(cut(25)?.jump, false);
  // A number read unchecked: a long jump.
  assert.deepEqual(cut(31)?.jump, true);
  assert.equal(cut(31)?.text.split("\n").pop(), "\t  NAS-Port Attribute (5), length: 6, Value:  [|radius]");
  // The vendor id read unchecked; a vendor attribute checked.
  assert.equal(cut(36)?.jump, true);
  assert.deepEqual(cut(41)?.text.endsWith("Vendor: Cisco (9) [|radius]"), true);
  assert.equal(cut(41)?.jump, false);
  // No input throws, at any verbosity.
  for (const f of FRAMES) {
    const data = f.subarray(42);
    for (let n = 0; n <= data.length; n++) {
      for (const v of [0, 1, 2]) assert(radiusText(data.subarray(0, n), data.length, v) !== null);
    }
  }
});

testIf(
  "RADIUS frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);

testIf(
  "RADIUS with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    const n = await compareFramesWithTcpdump(frames, HEX_FLAGS);
    assert.equal(n, frames.length * HEX_FLAGS.length);
  },
);
