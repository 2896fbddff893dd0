/**
 * NSH (RFC 8300, behind VXLAN-GPE's next protocol 4 and EtherType 0x894f) and LISP control messages (UDP port
 * 4342): tcpdump 4.99's text over hand-built frames, whole and cut at every length, compared line by line
 * with `-x` included (where the dump starts tells a long jump from tcpdump's own checks).
 *
 * NSH: MD types 1, 2 (TLVs of every padding, the length's top bit), reserved, experimental and unknown; every
 * next protocol (IPv4, IPv6, Ethernet, NSH and MPLS, which tcpdump does not follow, unknown); versions other
 * than 0; lengths too short, too long, wrong for the MD type; TLVs past the headers.
 *
 * LISP: Map-Register and Map-Notify with every flag, authentication data of every size, records with IPv4,
 * IPv6 and other EIDs, locators of each AFI and every flag, xTR-ID and Site-ID, trailing data, a record count
 * of 0, an offset that wraps at 64 KiB; the other types by name.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { tcpdumpHexdump } from "../../lib/wire/hexdump.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { nshText } from "../../lib/wire/_nsh.ts";
import { lispText } from "../../lib/wire/_lisp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";
import { MAC, udp4, udp6 } from "./_udp.ts";

const B = { src: "192.168.1.1", dst: "192.168.1.2" };
const IN_MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };

const u16 = (n: number) => new Uint8Array([(n >> 8) & 255, n & 255]);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));

// ---------------------------------------------------------------------------------------------------------
// NSH

const innerIp4 = emitIpv4({ ...B, proto: 1 }, emitIcmpv4({ type: 8, id: 7, seq: 1 }, text("hi")));
const innerIp6 = emitIpv6(
  { src: "fe80::1", dst: "fe80::2", proto: 58 },
  emitIcmpv6({ type: 128, id: 1, seq: 2 }, new Uint8Array(4), { src: "fe80::1", dst: "fe80::2" }),
);
const innerEther = emitEthernet({ ...IN_MAC, ethertype: 0x0800 }, innerIp4);

/** An NSH header: version/flags/TTL, length in words, MD type byte, next protocol, SPI, SI, context. */
function nsh(
  o: { ver?: number; flags?: number; ttl?: number; words?: number; md?: number; next?: number },
  context: Uint8Array = new Uint8Array(0),
  spi = 0x123456,
  si = 0xff,
): Uint8Array {
  const ver = o.ver ?? 0,
    flags = o.flags ?? 0,
    ttl = o.ttl ?? 63,
    words = o.words ?? 2 + (context.length >> 2);
  const base = (ver << 30) | (flags << 28) | (ttl << 22) | (words << 16);
  return cat(
    u16(base >>> 16),
    new Uint8Array([o.md ?? 1, o.next ?? 1]),
    u32(((spi << 8) | si) >>> 0),
    context,
  );
}

/** MD type 2 TLV: class, type, length (the value's bytes unless given), value, zero padding to 4 bytes. */
const tlv = (cls: number, type: number, value: Uint8Array, len = value.length) =>
  cat(u16(cls), new Uint8Array([type, len]), value, new Uint8Array((4 - (value.length & 3)) & 3));

const CTX4 = hex("00010203 04050607 08090a0b 0c0d0e0f");
const MD2 = cat(
  tlv(0x0101, 1, hex("")),
  tlv(0xffff, 255, hex("de")),
  tlv(2, 3, hex("deadbeef")),
  tlv(3, 4, hex("0102030405")),
);

const gpe = (next: number) => cat(hex("0c000000"), hex("00001000")).map((b, i) => (i === 3 ? next : b));
/** NSH behind VXLAN-GPE over IPv4 (UDP 4790), or behind EtherType 0x894f. */
const overGpe = (n: Uint8Array, udpLength?: number) => udp4(40000, 4790, cat(gpe(4), n), udpLength);
const overEther = (n: Uint8Array) => emitEthernet({ ...MAC, ethertype: 0x894f }, n);

/** NSH headers with what they carry (IPv4, IPv6 or nothing tcpdump follows). */
const NSH_IP: Uint8Array[] = [
  cat(nsh({ md: 1, next: 1 }, CTX4), innerIp4),
  cat(nsh({ md: 1, next: 2, flags: 2, ttl: 0 }, CTX4), innerIp6),
  cat(nsh({ md: 2, next: 1, flags: 3, ttl: 1 }, MD2), innerIp4),
  cat(nsh({ md: 2, next: 2, flags: 1 }), innerIp6),
  // The length's top bit is not the TLV's length; a TLV running past the headers; the MD byte's high bits.
  cat(nsh({ md: 2, next: 1 }, tlv(7, 8, hex("aabb"), 0x82)), innerIp4),
  cat(nsh({ md: 2, next: 1 }, cat(tlv(7, 8, hex("aabbcc")), tlv(9, 9, hex("01"), 9))), innerIp4),
  cat(nsh({ md: 0xf2, next: 1 }, tlv(1, 1, hex("ff"))), innerIp4),
  // MD type 1 with a length other than 6 (invalid at -vvv only); MD types tcpdump does not print.
  cat(nsh({ md: 1, next: 1 }), innerIp4),
  cat(nsh({ md: 1, next: 1 }, hex("11111111 22222222 33333333 44444444 55555555")), innerIp4),
  cat(nsh({ md: 0, next: 1 }, hex("01020304")), innerIp4),
  cat(nsh({ md: 0xf, next: 2 }, hex("01020304")), innerIp6),
  cat(nsh({ md: 5, next: 1 }, hex("01020304")), innerIp4),
  // Next protocols tcpdump names but does not follow, and unknown ones.
  cat(nsh({ next: 4 }, CTX4), nsh({ next: 1 }, CTX4), innerIp4),
  cat(nsh({ next: 5 }, CTX4), hex("0001f140")),
  cat(nsh({ next: 0 }, CTX4), innerIp4),
  cat(nsh({ next: 0x09 }), innerIp4),
  cat(nsh({ next: 0xfe }), innerIp4),
  cat(nsh({ next: 0xff }), innerIp4),
  // Versions other than 0 stop after `NSH, `.
  cat(nsh({ ver: 1 }, CTX4), innerIp4),
  cat(nsh({ ver: 3, next: 9 }), innerIp4),
  // Lengths: fewer than two words, more words than the packet, an inner packet cut short by its header's
  // length, and nothing after the headers.
  cat(nsh({ words: 0 }), innerIp4),
  cat(nsh({ words: 1 }), innerIp4),
  cat(nsh({ words: 63 }), innerIp4),
  cat(nsh({ md: 1, next: 1 }, CTX4), innerIp4.subarray(0, 24)),
  nsh({ md: 1, next: 1 }, CTX4),
  // SPI and SI of every width.
  cat(nsh({ next: 1 }, new Uint8Array(0), 0, 0), innerIp4),
  cat(nsh({ next: 1 }, new Uint8Array(0), 0xffffff, 1), innerIp4),
];

/** NSH carrying Ethernet: the inner frame's MAC header shows with -e only. */
const NSH_ETHER: Uint8Array[] = [
  cat(nsh({ md: 1, next: 3 }, CTX4), innerEther),
  cat(nsh({ md: 2, next: 3 }, MD2), innerEther),
  cat(nsh({ md: 2, next: 3 }), innerEther.subarray(0, 10)),
  nsh({ md: 2, next: 3 }),
];

const NSH_FRAMES: Uint8Array[] = [
  ...NSH_IP.map((n) => overGpe(n)),
  ...NSH_IP.map(overEther),
  // Over IPv6; the UDP length shorter than the datagram, and too short for NSH's 8 bytes.
  udp6(40000, 4790, cat(gpe(4), NSH_IP[0])),
  overGpe(NSH_IP[0], 8 + 8 + 8 + 16 + 20),
  overGpe(NSH_IP[0], 8 + 8 + 6),
  // Behind Ethernet: padded to 60 bytes, and frames (not padded) of 6 and 7 bytes of NSH.
  emitEthernet({ ...MAC, ethertype: 0x894f }, cat(nsh({ next: 1 }), innerIp4, new Uint8Array(8))),
  overEther(nsh({ next: 1 }).subarray(0, 6)),
  overEther(nsh({ next: 1 }).subarray(0, 7)),
];

const NSH_ETHER_FRAMES: Uint8Array[] = [
  ...NSH_ETHER.map((n) => overGpe(n)),
  ...NSH_ETHER.map(overEther),
  // The inner frame padded to 60 bytes.
  emitEthernet({ ...MAC, ethertype: 0x894f }, cat(nsh({ next: 3 }), innerEther, new Uint8Array(10))),
];

/** Every frame, then every one of them cut at every length (the captured length short of the wire's). */
function withCuts(frames: Uint8Array[], from = 14): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = from; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-vvv"], ["-e"], ["-q"], ["-x"], ["-vvv", "-x"], ["-e", "-v"]];

// ---------------------------------------------------------------------------------------------------------
// LISP

/** A Map-Register (type 3) or Map-Notify (4) header: first word, nonce, key id, authentication data. */
const lispHeader = (first: number, records: number, keyId: number, auth: Uint8Array, authLen = auth.length) =>
  cat(u32(((first & 0xffffff00) | records) >>> 0), hex("0123456789abcdef"), u16(keyId), u16(authLen), auth);

/** An EID record: TTL, locator count, mask length, ACT/A byte, map version (with its reserved bits), EID. */
const record = (
  ttl: number,
  locators: Uint8Array[],
  mask: number,
  act: number,
  version: number,
  afi: number,
  eid: Uint8Array,
  count = locators.length,
) => cat(u32(ttl), new Uint8Array([count, mask, act, 0]), u16(version), u16(afi), eid, ...locators);

/** A locator: priorities and weights, flags, AFI, address. */
const locator = (
  prio: number,
  weight: number,
  mp: number,
  mw: number,
  flags: number,
  afi: number,
  a: Uint8Array,
) => cat(new Uint8Array([prio, weight, mp, mw]), u16(flags), u16(afi), a);

const V4 = hex("c0000201"), V4B = hex("0a010000");
const V6 = hex("20010db8000000000000000000000001"), V6B = hex("20010db8ffff00000000000000000000");
const XTR = cat(hex("00112233445566778899aabbccddeeff"), hex("fedcba9876543210"));
const SHA1 = new Uint8Array(20).map((_, i) => 0xa0 + i);

const REGISTER = 0x30000000, NOTIFY = 0x40000000;
const ZERO_RECORDS = lispHeader(REGISTER, 0, 0, hex(""));
const SHORT = hex("30000001 00000000 000000");

const LISP: Uint8Array[] = [
  // Map-Register, every flag, SHA1, two records (an IPv4 EID with IPv4 and IPv6 locators, an IPv6 EID),
  // xTR-ID and a Site-ID above 2^53.
  cat(
    lispHeader(REGISTER | 0x0f000100, 2, 1, SHA1),
    record(
      1440,
      [locator(1, 100, 255, 0, 0x0007, 1, V4), locator(2, 50, 1, 1, 0xfff8, 2, V6)],
      16,
      0x10,
      0xf001,
      1,
      V4B,
    ),
    record(0xffffffff, [locator(0, 0, 0, 0, 0x0001, 1, V4)], 48, 0xe0, 0x0fff, 2, V6B),
    XTR,
  ),
  // No flags, no authentication, every action with and without the A bit.
  ...[0x00, 0x30, 0x40, 0x70, 0x80, 0xa0, 0xd0, 0xff].map((act) =>
    cat(lispHeader(REGISTER, 1, 0, hex("")), record(60, [locator(1, 1, 1, 1, 2, 1, V4)], 24, act, 1, 1, V4B))
  ),
  // SHA256, an unknown key id, odd and long authentication data.
  cat(lispHeader(REGISTER | 0x100, 1, 2, new Uint8Array(32).fill(0x5a)), record(1, [], 0, 0, 0, 1, V4B)),
  cat(lispHeader(REGISTER, 1, 7, hex("abcdef")), record(1, [], 32, 0, 0, 1, V4B)),
  // Map-Notify with I and R, and with the Map-Register bits (which it does not name).
  cat(
    lispHeader(NOTIFY | 0x0c000000, 1, 1, SHA1),
    record(10, [locator(3, 4, 5, 6, 4, 2, V6)], 128, 0, 0, 2, V6),
    XTR,
  ),
  cat(lispHeader(NOTIFY | 0x03000100, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B)),
  // Bytes after the records without the I bit; an I bit without the 24 bytes.
  cat(lispHeader(NOTIFY, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B), hex("0102030405")),
  cat(lispHeader(REGISTER, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B), new Uint8Array(37).fill(0x33)),
  cat(lispHeader(REGISTER | 0x02000000, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B), XTR.subarray(0, 23)),
  cat(lispHeader(NOTIFY | 0x08000000, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B)),
  // A record count of 0 (invalid), more records than the message holds, fewer.
  ZERO_RECORDS,
  cat(lispHeader(REGISTER, 0, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B)),
  cat(lispHeader(REGISTER, 3, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B)),
  cat(lispHeader(REGISTER, 1, 0, hex("")), record(10, [], 8, 0, 0, 1, V4B), record(11, [], 9, 0, 0, 1, V4)),
  // An EID of another AFI (LCAF) ends the text; a locator of another AFI prints nothing and takes no bytes.
  cat(lispHeader(REGISTER, 2, 0, hex("")), record(10, [], 8, 0, 0, 16387, hex("0000000000000000"))),
  cat(
    lispHeader(REGISTER, 1, 0, hex("")),
    record(10, [locator(1, 2, 3, 4, 1, 0, hex(""))], 8, 0, 0, 1, V4B),
    V4,
  ),
  cat(lispHeader(REGISTER, 1, 0, hex("")), record(10, [locator(1, 2, 3, 4, 1, 3, V4)], 8, 0, 0, 1, V4B)),
  // More locators than the message holds.
  cat(lispHeader(REGISTER, 1, 0, hex("")), record(10, [locator(1, 2, 3, 4, 1, 1, V4)], 8, 0, 0, 1, V4B, 5)),
  cat(lispHeader(REGISTER, 1, 0, hex("")), record(10, [locator(1, 2, 3, 4, 1, 2, V4)], 8, 0, 0, 1, V4B)),
  // Authentication data longer than the message; long enough to wrap tcpdump's 16-bit offset back to 8.
  cat(lispHeader(REGISTER, 1, 1, hex("aabb"), 100), record(10, [], 8, 0, 0, 1, V4B)),
  cat(lispHeader(REGISTER, 1, 1, hex("aabb"), 0xfff8), hex("0000000a 00080000 0000 0001"), V4B),
  // The other types: the name alone (whatever follows).
  ...[0, 1, 2, 5, 8, 15].map((t) => cat(u32(t << 28), new Uint8Array(20).fill(0x11))),
  // Less than the 16-byte header.
  SHORT,
  hex(""),
];

const LISP_FRAMES: Uint8Array[] = [
  ...LISP.map((m) => udp4(4342, 4342, m)),
  udp4(4342, 50000, LISP[0]),
  udp4(50000, 4342, LISP[2]),
  udp6(4342, 4342, LISP[0]),
  udp6(60000, 4342, LISP[14]),
  // The UDP length ends the message before the IP payload does: the loop stops at the UDP length, the trailing
  // data and xTR-ID read on to the IP payload's end.
  udp4(4342, 4342, LISP[0], 8 + 16 + 20 + 12),
  udp4(4342, 4342, LISP[14], 8 + 16 + 12),
];

// ---------------------------------------------------------------------------------------------------------

Deno.test("golden: tcpdump's NSH text behind VXLAN-GPE and EtherType 0x894f", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), o);
  const head = "NSH, flags [none], service-path-id 0x123456, service-index 0xff";
  assert.equal(
    at(overEther(NSH_IP[0])),
    `${head}: IP 192.168.1.1 > 192.168.1.2: ICMP echo request, id 7, seq 1, length 10`,
  );
  assert.equal(
    at(overGpe(NSH_IP[2])),
    "IP 10.0.0.1.40000 > 10.0.0.2.4790: VXLAN-GPE, flags [IP], vni 16: NSH, flags [O], " +
      "service-path-id 0x123456, service-index 0xff: IP 192.168.1.1 > 192.168.1.2: ICMP echo request, " +
      "id 7, seq 1, length 10",
  );
  assert.equal(
    at(overEther(NSH_IP[2]), { verbose: true, verbosity: 3 }),
    "NSH, ver 0, flags [O], TTL 1, length 10, md type 2, next-protocol IPv4, service-path-id 0x123456, " +
      "service-index 0xff" +
      "\n        TLV Class 257, Type 1, Len 0" +
      "\n        TLV Class 65535, Type 255, Len 1\n            Value: 0xde" +
      "\n        TLV Class 2, Type 3, Len 4\n            Value: 0xde:ad:be:ef" +
      "\n        TLV Class 3, Type 4, Len 5\n            Value: 0x01:02:03:04:05" +
      "\n    IP (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto ICMP (1), length 30)" +
      "\n    192.168.1.1 > 192.168.1.2: ICMP echo request, id 7, seq 1, length 10",
  );
  assert.equal(
    at(overEther(NSH_IP[0]), { verbose: true, verbosity: 3 }).split("\n").slice(0, 3).join("\n"),
    "NSH, ver 0, flags [none], TTL 63, length 6, md type 1, next-protocol IPv4, service-path-id 0x123456, " +
      "service-index 0xff\n        Context[00]: 0x00010203\n        Context[01]: 0x04050607",
  );
  assert.equal(at(overEther(NSH_IP[12])), `${head}: ERROR: unknown-next-protocol`);
  assert.equal(at(overEther(NSH_IP[18]), { verbose: true, verbosity: 2 }), "NSH, ver 1, ");
  assert.equal(
    at(overEther(NSH_IP[22]), { verbose: true, verbosity: 2 }),
    "NSH, ver 0, flags [none], next-protocol IPv4,  (too many headers for packet length 38) (invalid)",
  );
  assert.equal(
    at(overEther(NSH_IP[7]), { verbose: true, verbosity: 3 }).includes(
      "service-index 0xff (invalid length for the MD type) (invalid)",
    ),
    true,
  );
  assert.equal(at(overEther(nsh({ next: 1 }).subarray(0, 6))), " (packet length 6 < 8) (invalid)");
});

Deno.test("nshText: cut headers are long jumps; the separator ends the text when a packet follows", () => {
  const h = nsh({ md: 2, next: 2 }, tlv(1, 2, hex("aabbcc")));
  assert.deepEqual(nshText(h, h.length + 40, 0), {
    text: "NSH, flags [none], service-path-id 0x123456, service-index 0xff: ",
    jump: false,
    next: 2,
    hdrLen: 16,
  });
  assert.equal(nshText(h, h.length + 40, 1).text.endsWith("0xff\n    "), true);
  assert.deepEqual(nshText(h.subarray(0, 14), h.length, 3), {
    text:
      "NSH, ver 0, flags [none], TTL 63, length 4, md type 2, next-protocol IPv6, service-path-id 0x123456, " +
      "service-index 0xff\n        TLV Class 1, Type 2, Len 3\n            Value: 0xaa:bb [|nsh]",
    jump: true,
    next: null,
    hdrLen: 0,
  });
  // The padding is checked after the value is printed; without -vvv the context headers are checked whole.
  assert.equal(nshText(h.subarray(0, 15), h.length, 3).text.endsWith("Value: 0xaa:bb:cc [|nsh]"), true);
  assert.equal(
    nshText(h.subarray(0, 15), h.length, 0).text,
    "NSH, flags [none], service-path-id 0x123456, " +
      "service-index 0xff [|nsh]",
  );
  assert.deepEqual(nshText(h.subarray(0, 3), h.length, 0), {
    text: " [|nsh]",
    jump: true,
    next: null,
    hdrLen: 0,
  });
  assert.deepEqual(nshText(h.subarray(0, 6), h.length, 0), {
    text: "NSH, flags [none],  [|nsh]",
    jump: true,
    next: null,
    hdrLen: 0,
  });
  assert.deepEqual(nshText(h, 7, 0), {
    text: " (packet length 7 < 8) (invalid)",
    jump: false,
    next: null,
    hdrLen: 0,
  });
});

Deno.test("golden: tcpdump's LISP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), o);
  const v = { verbose: true, verbosity: 1 };
  const ip = "IP 10.0.0.1.4342 > 10.0.0.2.4342: ";
  assert.equal(
    at(LISP_FRAMES[0]),
    `${ip}LISP-Map-Register, 2 record(s),\n EID 10.1.0.0/16, 2 locator(s) LOC 192.0.2.1 LOC 2001:db8::1` +
      "\n EID 2001:db8:ffff::/48, 1 locator(s) LOC 192.0.2.1" +
      "\n    xTR-ID: 0x0000:  0011 2233 4455 6677 8899 aabb ccdd eeff\n    SITE-ID: 18364758544493064720",
  );
  assert.equal(
    at(LISP_FRAMES[0], v).replace(/^IP \(.*\n/, ""),
    "    10.0.0.1.4342 > 10.0.0.2.4342: LISP-Map-Register, flags [P-Proxy-Map-Reply, S-LISP-SEC-Capable, " +
      "I-xTR-ID-Present, R-Build-For-RTR, M-Want-Map-Notify]," +
      "\n    2 record(s), Authentication SHA1," +
      "\n    Authentication-Data: 0x0000:  a0a1 a2a3 a4a5 a6a7 a8a9 aaab acad aeaf" +
      "\n    Authentication-Data: 0x0010:  b0b1 b2b3" +
      "\n      Record TTL 1440, Authoritative, No-Action, Map Version: 1, EID 10.1.0.0/16, 2 locator(s)" +
      "\n        LOC 192.0.2.1" +
      "\n          Priority/Weight 1/100, Multicast Priority/Weight 255/0, flags [Local-Locator, RLoc-Probed, " +
      "Reachable]," +
      "\n        LOC 2001:db8::1" +
      "\n          Priority/Weight 2/50, Multicast Priority/Weight 1/1, flags [none]," +
      "\n      Record TTL 4294967295, Non-Authoritative, unknown, Map Version: 4095, EID 2001:db8:ffff::/48, " +
      "1 locator(s)\n        LOC 192.0.2.1" +
      "\n          Priority/Weight 0/0, Multicast Priority/Weight 0/0, flags [Reachable]," +
      "\n    xTR-ID: 0x0000:  0011 2233 4455 6677 8899 aabb ccdd eeff\n    SITE-ID: 18364758544493064720",
  );
  assert.equal(at(udp4(4342, 4342, ZERO_RECORDS)), `${ip}LISP-Map-Register, 0 record(s), (invalid)`);
  assert.equal(
    at(udp4(4342, 4342, cat(hex("10000000"), new Uint8Array(12))), v).split("\n")[1],
    "    10.0.0.1.4342 > 10.0.0.2.4342: LISP-Map-Request,",
  );
  assert.equal(at(udp4(4342, 4342, hex("90000000 00000000 00000000 00000000"))), `${ip}unknown-type-9,`);
  assert.equal(at(udp4(4342, 4342, SHORT)), `${ip} [|lisp]`);
});

Deno.test("lispText: tcpdump's checks and its long jumps", () => {
  const m = LISP[0];
  // A record header not captured whole: the check, no jump; an EID cut short: a jump.
  assert.deepEqual(lispText(m.subarray(0, 47), m.length, 0), {
    text: "LISP-Map-Register, 2 record(s), [|lisp]",
    jump: false,
  });
  assert.deepEqual(lispText(m.subarray(0, 51), m.length, 0), {
    text: "LISP-Map-Register, 2 record(s),\n [|lisp]",
    jump: true,
  });
  // A locator cut in its address: the check again.
  assert.deepEqual(lispText(m.subarray(0, 62), m.length, 0), {
    text: "LISP-Map-Register, 2 record(s),\n EID 10.1.0.0/16, 2 locator(s) [|lisp]",
    jump: false,
  });
  // Authentication data past the capture: what was captured of it, then a jump.
  assert.deepEqual(lispText(m.subarray(0, 19), m.length, 1), {
    text:
      "LISP-Map-Register, flags [P-Proxy-Map-Reply, S-LISP-SEC-Capable, I-xTR-ID-Present, R-Build-For-RTR, " +
      "M-Want-Map-Notify],\n    2 record(s), Authentication SHA1,\n    Authentication-Data: 0x0000:  a0a1 a2 [|lisp]",
    jump: true,
  });
  assert.deepEqual(lispText(m.subarray(0, 15), m.length, 0), { text: " [|lisp]", jump: false });
  // The xTR-ID cut: invalid, not truncated.
  assert.equal(
    lispText(m.subarray(0, m.length - 1), m.length, 0)?.text.endsWith("192.0.2.1 (invalid)"),
    true,
  );
});

testIf(
  "NSH frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const n = await compareFramesWithTcpdump(withCuts(NSH_FRAMES), FLAGS);
    assert.ok(n > 10000, `${n}`);
  },
);

// summary.ts's nsh() decoded NSH's Ethernet frames as raw packets of link type 1 (and printed nothing of
// them): this comparison runs once it prints them as ether_print does.
const carriesEthernet = summarize(new PacketDecoder().decode(overEther(NSH_ETHER[0]), 1), {}).endsWith(
  "length 10",
);

/**
 * Whether `-x` dumps a frame whose Ethernet header behind NSH's EtherType 0x894f is cut (tcpdump dumps from
 * NSH; hexdump.ts took the ` [|ether]` for the outer header's and dumped nothing).
 */
function dumpsCutInnerEthernet(): boolean {
  const f = overEther(NSH_ETHER[3]), r = new PacketDecoder().decode(f, 1);
  return tcpdumpHexdump(f, r, "x", summarize(r, {}), false) !== "";
}

testIf(
  "NSH carrying Ethernet prints as tcpdump prints it, whole and cut at every length",
  carriesEthernet ? needCommands("tcpdump") : "summary.ts's nsh() does not print NSH's Ethernet frames yet",
  async () => {
    const frames = withCuts(NSH_ETHER_FRAMES);
    let n = await compareFramesWithTcpdump(frames, FLAGS.filter((f) => !f.includes("-x")));
    // With -x, until hexdump.ts dumps them: only the frames whose inner Ethernet header is whole, or that
    // come over VXLAN-GPE.
    const innerCut = (f: Frame) => {
      const line = summarize(new PacketDecoder().decode(f.data, 1), {});
      return line.startsWith("NSH") && line.endsWith(" [|ether]");
    };
    const dumpable = dumpsCutInnerEthernet() ? frames : frames.filter((f) => !innerCut(f));
    n += await compareFramesWithTcpdump(dumpable, FLAGS.filter((f) => f.includes("-x")));
    assert.ok(n > 1000, `${n}`);
  },
);

testIf(
  "LISP control messages print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const n = await compareFramesWithTcpdump(withCuts(LISP_FRAMES, 42), [
      [],
      ["-v"],
      ["-vv"],
      ["-x"],
      ["-v", "-x"],
      ["-e"],
      ["-q"],
    ]);
    assert.ok(n > 10000, `${n}`);
  },
);
