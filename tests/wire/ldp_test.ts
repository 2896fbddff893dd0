/**
 * LDP (TCP and UDP port 646), MSDP (TCP port 639) and RPKI-Router (TCP port 323) as tcpdump 4.99.3 prints
 * them, over hand-built Ethernet/IPv4 and IPv6 frames.
 *
 * - LDP: hello (link and targeted, IPv4 and IPv6 transport addresses, configuration sequence number),
 *   initialization (common, fault-tolerant, ATM and Frame Relay session parameters), keepalive, address and
 *   address withdraw (IPv4, IPv6 and other families), label mapping, request, withdraw, release and abort
 *   with FEC elements of every type tcpdump knows (wildcard, IPv4/IPv6 prefixes of every odd length, host
 *   address, Martini VC with its interface parameters) and unknown ones, generic, ATM and Frame Relay
 *   labels, hop count, path vector, MTU, notification with status, unknown messages and TLVs, U and F bits,
 *   several PDUs in one segment, malformed versions and lengths (too short, past the message, past the
 *   segment, wrapping at 16 bits).
 * - MSDP: SA, SA-Response with entries and carried data, SA-Request, keepalive, notification, unknown types,
 *   lengths that do not add up, several messages in one segment.
 * - RPKI-Router: every PDU type of 4.99.3, router key and unknown types, versions 1 and 2, error reports with
 *   encapsulated PDUs (nested twice) and text, wrong lengths, lengths that wrap at 32 bits.
 *
 * Each frame is compared whole and cut at every length of its data with `[]`, `-v`, `-vv`, `-x` and
 * `-v -x` (whether the dump starts at the frame or at the IP header tells tcpdump's long jumps from its own
 * checks).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitTcp, TcpFlag } from "../../lib/wire/tcp.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import type { Printed } from "../../lib/wire/_text.ts";
import { ldpText, msdpText, rpkiRtrText } from "../../lib/wire/_ldp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" }, V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
/** Ethernet + IPv4/IPv6 headers in front of the TCP or UDP header. */
const IP4 = 14 + 20, IP6 = 14 + 40;

interface Carrier {
  /** IPv6 instead of IPv4. */
  v6?: boolean;
  /** The UDP length field, when not the datagram's. */
  udpLength?: number;
  /** The server's port is the source. */
  reply?: boolean;
}

/** A PSH/ACK segment to (or from) `port` carrying `data`. */
function tcp(port: number, data: Uint8Array, o: Carrier = {}): Uint8Array {
  const ports = o.reply ? { srcPort: port, dstPort: 40000 } : { srcPort: 40000, dstPort: port };
  const a = o.v6 ? V6 : V4;
  const seg = emitTcp({ ...ports, seq: 1, ack: 1, flags: TcpFlag.PSH | TcpFlag.ACK }, data, a);
  if (o.v6) return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...a, proto: 6 }, seg));
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...a, proto: 6 }, seg));
}

/** A datagram from port 646 (to 646 unless `reply` sends it to an ephemeral port). */
function udp(data: Uint8Array, o: Carrier = {}): Uint8Array {
  const a = o.v6 ? V6 : V4;
  const d = emitUdp({ srcPort: 646, dstPort: o.reply ? 40000 : 646, length: o.udpLength }, data, a);
  if (o.v6) return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...a, proto: 17 }, d));
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...a, proto: 17 }, d));
}

const be16 = (v: number) => new Uint8Array([v >> 8, v & 0xff]);
const be32 = (v: number) => new Uint8Array([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const bytes = (...b: number[]) => new Uint8Array(b);

// ---------------------------------------------------------------------------------------------------------
// LDP builders

/** A TLV: type (U and F bits included), length (the value's unless given), value. */
const tlv = (type: number, value: Uint8Array, len?: number) =>
  cat(be16(type), be16(len ?? value.length), value);
/** A message: type (U bit included), length (the ID and TLVs unless given), message ID, TLVs. */
const msg = (type: number, id: number, tlvs: Uint8Array[], len?: number) => {
  const body = cat(...tlvs);
  return cat(be16(type), be16(len ?? body.length + 4), be32(id), body);
};
/** A PDU: version, length (LSR ID, label space and messages unless given), LSR ID, label space, messages. */
const pdu = (
  msgs: Uint8Array[],
  o: { len?: number; version?: number; lsr?: string; space?: number } = {},
) => {
  const body = cat(...msgs);
  return cat(
    be16(o.version ?? 1),
    be16(o.len ?? body.length + 6),
    hex(o.lsr ?? "0a000001"),
    be16(o.space ?? 0),
    body,
  );
};

const hello = (hold: number, flags: number) => tlv(0x0400, cat(be16(hold), be16(flags)));
const fec = (...elements: Uint8Array[]) => tlv(0x0100, cat(...elements));
const prefix4 = (plen: number, addr: string) => cat(hex("02 0001"), bytes(plen), hex(addr));
const prefix6 = (plen: number, addr: string) => cat(hex("02 0002"), bytes(plen), hex(addr));
const label = (n: number) => tlv(0x0200, be32(n));
/** A Martini VC element: PW type (control word bit included), info length, group ID, VC ID, parameters. */
const martini = (pw: number, info: number, group: number, rest: Uint8Array) =>
  cat(bytes(0x80), be16(pw), bytes(info), be32(group), rest);
const V6A = "20010db8000000000000000000000001";

const HELLO = pdu([msg(0x0100, 1, [hello(15, 0), tlv(0x0401, hex("0a000001")), tlv(0x0402, be32(7))])]);
const KEEPALIVE = pdu([msg(0x0201, 4, [])]);
const STATUS = pdu([
  msg(0x0001, 16, [tlv(0x0300, hex("8000000a 00000000 0000")), tlv(0x0300, hex("40000019 12345678"))]),
]);
const INIT = pdu([
  msg(0x8200, 3, [
    tlv(0x0500, hex("0001 00b4 0000 05dc 0a000002 0000")),
    tlv(0x4503, hex("000f 0000 00001388 0001d4c0")),
  ]),
]);
const VC = pdu([
  msg(0x0400, 10, [
    fec(
      martini(
        0x8005,
        4 + 10 + 4,
        7,
        cat(
          be32(42),
          cat(hex("03 0a"), text("vc"), bytes(0x09, 0xc1, 0x7f, 0x00), text("ok")),
          hex("0c 04 07 00"),
        ),
      ),
    ),
    label(1000),
  ]),
]);
const SHORTS = pdu([
  msg(0x0100, 60, [tlv(0x0400, hex("000f00")), fec(hex("80 0001 04 00000001 000000")), hello(5, 0)]),
]);
const PAST = pdu([
  msg(0x0100, 22, [hello(15, 0), tlv(0x0401, hex("0a000001"), 8)]),
  msg(0x0100, 23, [hello(5, 0)]),
]);
const UNKNOWN = pdu([
  msg(0xbe00, 17, [tlv(0x3e00, hex("0102"))]),
  msg(0x0100, 19, [tlv(0x3fff, hex("aabbcc"))]),
]);

const LDP: Uint8Array[] = [
  HELLO,
  KEEPALIVE,
  STATUS,
  INIT,
  VC,
  SHORTS,
  PAST,
  UNKNOWN,
  // Hello: link and targeted, transport addresses, a configuration sequence number, U and F bits.
  pdu([msg(0x8100, 0xfedcba98, [hello(45, 0xc000), tlv(0x8403, hex(V6A)), tlv(0x4401, hex("c0a80001"))])], {
    lsr: "c0a80001",
    space: 65535,
  }),
  pdu([msg(0x0100, 2, [hello(0xffff, 0x8000), tlv(0xc402, be32(0xffffffff))])]),
  // Initialization: common session (both flag settings), fault-tolerant, ATM and Frame Relay parameters.
  pdu([
    msg(0x0200, 3, [
      tlv(0x0500, hex("0001 00b4 0000 05dc 0a000002 0000")),
      tlv(0x0500, hex("0001 ffff c0ff 1000 0a000002 0001")),
      tlv(0x0503, hex("8000 0000 00000000 00000000")),
      tlv(0x0503, hex("000f 0000 00001388 0001d4c0")),
      tlv(0x0503, hex("800a 0000 00000001 00000000 ab")),
      tlv(0x0501, hex("00000000 00200000 00200000")),
      tlv(0x0502, hex("00000000 00000010 00000400")),
    ]),
  ]),
  // Keepalive alone (above: too short for tcpdump to print anything), then two messages in one PDU.
  pdu([msg(0x0201, 4, []), msg(0x0201, 5, [])]),
  // Address and Address Withdraw: IPv4 (with 2 bytes left over), IPv6, NSAP, an unknown family, none.
  pdu([
    msg(0x0300, 6, [
      tlv(0x0101, hex("0001 0a000001 0a000002 c0a80101 ffff")),
      tlv(0x0101, cat(hex("0002"), hex(V6A), hex("fe800000000000000000000000000001"))),
      tlv(0x0101, hex("0003 01020304")),
      tlv(0x0101, hex("03e7")),
      tlv(0x0101, hex("0001")),
    ]),
  ]),
  pdu([msg(0x0301, 7, [tlv(0x0101, hex("0001 0a000003"))])]),
  // Label Mapping: FEC elements of every kind, labels, hop count, path vector, MTU, a request message ID.
  pdu([
    msg(0x0400, 8, [
      fec(hex("01")),
      fec(prefix4(24, "0a0001")),
      fec(prefix4(0, "")),
      fec(prefix4(32, "ffffffff")),
      fec(prefix4(17, "c0a8ff")),
      fec(prefix4(9, "ffff")),
      fec(prefix4(33, "0a000000 00")),
      label(3),
      label(0xfff12345),
      tlv(0x0103, bytes(5)),
      tlv(0x0104, hex("0a000001 0a000002")),
      tlv(0x0601, be16(1500)),
      tlv(0x0600, be32(9)),
      tlv(0x0201, hex("0001 0020")),
      tlv(0x0202, hex("00000010")),
    ]),
  ]),
  pdu([
    msg(0x0400, 9, [
      fec(prefix6(64, "20010db800000001")),
      fec(prefix6(128, V6A)),
      fec(prefix6(3, "ff")),
      fec(prefix6(0, "")),
      fec(prefix6(129, V6A)),
      fec(hex("02 0003 08 0a")),
      fec(hex("03 0001 04 0a000001")),
      fec(hex("05 0102")),
      fec(hex("")),
      label(16),
    ]),
  ]),
  // A prefix past its TLV: 4.99.3 takes it for a cut capture and stops there.
  pdu([msg(0x0400, 50, [fec(prefix4(24, "0a00")), label(1)])]),
  pdu([msg(0x0400, 51, [fec(prefix6(64, "20010db8")), label(1)])]),
  pdu([msg(0x0400, 52, [fec(hex("02 0001")), label(1)])]),
  pdu([msg(0x0400, 53, [fec(hex("02 00")), label(1)])]),
  // Martini VC: no VC info, interface parameters of every kind, info lengths that do not add up.
  pdu([
    msg(0x0400, 10, [
      fec(martini(0x8005, 0, 100, hex(""))),
      fec(martini(0x0004, 4, 1, be32(1000))),
      fec(martini(
        0x8005,
        4 + 4 + 10 + 4 + 4 + 6,
        7,
        cat(
          be32(42),
          hex("01 04 05dc"),
          cat(hex("03 0a"), text("vc"), bytes(0x09, 0xc1, 0x7f, 0x00), text("ok")),
          hex("0c 04 07 07"),
          hex("0c 04 f8 f8"),
          hex("22 06 0102 0304"),
        ),
      )),
      fec(martini(0x0040, 4 + 4, 1, cat(be32(2), hex("0c 04 00 00")))),
      fec(martini(0x7fff, 4 + 5, 1, cat(be32(3), hex("01 02 0c 01 99")))),
      fec(martini(0x0019, 4 + 6, 1, cat(be32(4), hex("01 08 0000 0000 0000")))),
      fec(martini(0x0001, 4 + 3, 1, cat(be32(5), hex("01 02 00")))),
      fec(martini(0x0001, 2, 1, be32(6))),
      fec(martini(0x0001, 3, 1, be32(8))),
      fec(martini(0x0001, 4 + 8, 1, cat(be32(7), hex("01 04 05dc")))),
      fec(martini(0x0001, 5, 1, hex("000000"))),
      fec(martini(0x0001, 0, 1, hex(""))),
      fec(hex("80 0001 00 0000")),
      label(17),
    ]),
  ]),
  // Every pseudowire type tcpdump names, and two it does not.
  pdu([
    msg(
      0x0400,
      11,
      [...Array.from({ length: 0x1a }, (_, k) => k), 0x40, 0x41, 0x1a].map((k) =>
        fec(martini(k, 0, k, hex("")))
      ),
    ),
  ]),
  // Label Request, Withdraw, Release, Abort Request: 4.99.3 decodes the withdraw only.
  pdu([
    msg(0x0401, 12, [fec(prefix4(8, "0a")), tlv(0x0103, bytes(1))]),
    msg(0x0402, 13, [fec(hex("01")), label(20)]),
    msg(0x0403, 14, [fec(prefix4(8, "0a")), label(21)]),
    msg(0x0404, 15, [fec(prefix4(8, "0a")), tlv(0x0600, be32(12))]),
  ]),
  // Notification: status (every flag), extended status, returned PDU and message.
  pdu([
    msg(0x0001, 16, [
      tlv(0x0300, hex("8000000a 00000000 0000")),
      tlv(0x0300, hex("40000019 12345678 0100")),
      tlv(0x0300, hex("3fffffff 00000001")),
      tlv(0x0300, hex("00000000 00000000 00")),
      tlv(0x0301, be32(5)),
      tlv(0x0302, hex("0001 0012 0a000001 0000")),
      tlv(0x0303, hex("0100 0004 00000001")),
    ]),
  ]),
  // Unknown messages (vendor-private, experimental, any) and TLVs; U bits; an empty message.
  pdu([
    msg(0xbe00, 17, [tlv(0x3e00, hex("0102"))]),
    msg(0x3f00, 18, [hex("0001020304050607 08090a0b0c0d0e0f 1011")]),
    msg(0x0100, 19, [tlv(0x3fff, hex("aabbcc")), tlv(0xffff, hex("")), tlv(0x0000, bytes(1, 2, 3, 4, 5))]),
    msg(0x0200, 20, []),
  ]),
  // Values too short for their TLV type.
  pdu([
    msg(0x0100, 21, [
      tlv(0x0400, hex("000f00")),
      tlv(0x0401, hex("0a0000")),
      tlv(0x0403, hex("20010db8")),
      tlv(0x0402, hex("")),
      tlv(0x0101, hex("00")),
      tlv(0x0500, hex("0001 00b4 0000 05dc 0a000002 00")),
      tlv(0x0200, hex("000001")),
      tlv(0x0300, hex("00000001 000000")),
      tlv(0x0503, hex("8000 0000 00000000 000000")),
      tlv(0x0601, hex("05")),
      tlv(0x0100, hex("")),
      fec(hex("02 00")),
      fec(hex("80 0001 04 0000")),
      fec(hex("80 0001 04 00000001 000000")),
      fec(hex("80 0001 0c 00000001 00000002 0104")),
      label(1),
    ]),
  ]),
  // A TLV past its message (the rest of the message is skipped), a message with 1-3 bytes after its TLVs.
  pdu([msg(0x0100, 24, [hello(15, 0), hex("040100")]), msg(0x0300, 25, [hex("01")])]),
  // Wrong version; PDU and message lengths too short.
  pdu([msg(0x0100, 26, [hello(15, 0)])], { version: 2 }),
  pdu([msg(0x0100, 27, [hello(15, 0)])], { version: 0 }),
  pdu([msg(0x0100, 28, [hello(15, 0)])], { len: 5 }),
  pdu([msg(0x0100, 29, [hello(15, 0)])], { len: 6 }),
  pdu([msg(0x0100, 30, [hello(15, 0)], 3), hex("00000000")]),
  pdu([msg(0x0100, 31, [hello(15, 0)], 4), hex("00000000")]),
  // A message longer than its PDU (the 16-bit count wraps and tcpdump reads on); a PDU longer than the data.
  cat(pdu([msg(0x0100, 32, [hello(15, 0)])], { len: 10 }), hex("0a000001 00000000")),
  pdu([msg(0x0100, 33, [hello(15, 0)])], { len: 30 }),
  pdu([msg(0x0100, 34, [hello(15, 0)], 14)]),
  // Several PDUs in one segment; a bad one in the middle; bytes after the last.
  cat(
    pdu([msg(0x0201, 35, [])]),
    pdu([msg(0x0100, 36, [hello(15, 0)])]),
    pdu([msg(0x0300, 37, [tlv(0x0101, hex("0001 0a000001"))])]),
  ),
  cat(pdu([msg(0x0201, 38, [])]), pdu([msg(0x0201, 39, [])], { version: 9 }), pdu([msg(0x0201, 40, [])])),
  cat(pdu([msg(0x0100, 41, [hello(15, 0)])]), hex("0001 0006 0a000001")),
  cat(pdu([msg(0x0100, 42, [hello(15, 0)])]), hex("0001 0006 0a000001 0000 0201 0004 0000 0000 01")),
  cat(pdu([msg(0x0100, 43, [hello(15, 0)])]), hex("0001 0040 0a000001 0000 0201 0004 0000 0000 01")),
];

// ---------------------------------------------------------------------------------------------------------
// MSDP builders

/** An MSDP message: type, length (the whole message unless given), value. */
const msdp = (type: number, value: Uint8Array, len?: number) =>
  cat(bytes(type), be16(len ?? value.length + 3), value);
/** A source-active entry: reserved, prefix length, group, source. */
const entry = (group: string, source: string) => cat(hex("000000 20"), hex(group), hex(source));
/** The IPv4/UDP packet an SA can carry. */
const CARRIED = emitIpv4(
  { src: "10.1.1.1", dst: "239.1.1.1", proto: 17, ttl: 5 },
  emitUdp({ srcPort: 5000, dstPort: 5001 }, text("data"), { src: "10.1.1.1", dst: "239.1.1.1" }),
);
const sa = (
  type: number,
  entries: Uint8Array[],
  data: Uint8Array = new Uint8Array(0),
  count = entries.length,
) => msdp(type, cat(bytes(count), hex("0a000009"), ...entries, data));

/** SAs with a whole packet after their entries, and more messages after them. */
const WITH_DATA = [
  sa(1, [entry("ef010101", "0a010101")], CARRIED),
  cat(sa(1, [], CARRIED), msdp(4, hex("")), sa(3, [entry("ef010101", "0a010101")], CARRIED)),
];

const MSDP: Uint8Array[] = [
  sa(1, [entry("ef010101", "0a010101"), entry("ef010102", "0a010102")]),
  sa(3, [entry("ef010101", "0a010101")]),
  sa(1, []),
  ...WITH_DATA,
  sa(3, [entry("ef010101", "0a010101")], hex("4500")),
  msdp(2, hex("00 e0000001")),
  msdp(2, hex("00 e0000001 abcd")),
  msdp(2, hex("00 e00000")),
  msdp(2, hex("")),
  msdp(4, hex("")),
  msdp(4, hex("0102")),
  msdp(5, hex("80000000")),
  msdp(6, hex("01")),
  msdp(7, hex("")),
  cat(msdp(4, hex("")), msdp(2, hex("00 e0000002")), msdp(9, hex("ff")), msdp(0, hex("")), msdp(4, hex(""))),
  cat(msdp(4, hex("")), hex("04")),
  cat(msdp(4, hex("")), hex("0400")),
  cat(msdp(4, hex("")), msdp(4, hex(""), 2)),
  cat(msdp(4, hex("")), msdp(4, hex(""), 9)),
  msdp(1, hex(""), 3),
  msdp(1, hex("00 0a00"), 6),
  msdp(1, hex("02 0a000009"), 8),
  sa(1, [entry("ef010101", "0a010101")], new Uint8Array(0), 3),
  // The first message decides whether the segment is MSDP at all.
  msdp(0, hex("")),
  msdp(8, hex("")),
  msdp(4, hex(""), 2),
  msdp(4, hex(""), 1501),
  msdp(4, hex("0000")),
  msdp(255, hex("00")),
];

// ---------------------------------------------------------------------------------------------------------
// RPKI-Router builders

/** A PDU: version, type, session ID or error code, length (the whole PDU unless given), body. */
const rpki = (type: number, session: number, body: Uint8Array, o: { len?: number; version?: number } = {}) =>
  cat(bytes(o.version ?? 0, type), be16(session), be32(o.len ?? body.length + 8), body);
const v4prefix = rpki(4, 0, cat(hex("01 18 20 00 0a000000"), be32(65000)));
const v6prefix = rpki(
  6,
  0,
  cat(hex("00 30 40 00"), hex("20010db8000000000000000000000000"), be32(4200000000)),
);
/** An error report: encapsulated PDU, text. */
const errorReport = (
  code: number,
  inner: Uint8Array,
  message: Uint8Array,
  o: { encLen?: number; textLen?: number } = {},
) => rpki(10, code, cat(be32(o.encLen ?? inner.length), inner, be32(o.textLen ?? message.length), message));

const RPKI: Uint8Array[] = [
  rpki(0, 1, be32(5)),
  rpki(1, 0xabcd, be32(0xffffffff)),
  rpki(2, 0, hex("")),
  rpki(3, 0x1234, hex("")),
  v4prefix,
  v6prefix,
  rpki(7, 2, be32(77)),
  rpki(8, 0, hex("")),
  errorReport(5, v4prefix, text("bad prefix")),
  errorReport(1, hex(""), hex("")),
  errorReport(99, rpki(1, 3, be32(4)), hex("")),
  errorReport(0, hex(""), cat(text("tab\there"), bytes(0xff, 0x00, 0x0a))),
  errorReport(7, errorReport(6, v6prefix, text("inner")), text("outer")),
  errorReport(4, rpki(2, 0, hex(""), { version: 1 }), text("v1")),
  errorReport(3, rpki(2, 0, hex(""), { len: 4 }), hex("")),
  errorReport(3, hex("0002"), hex("")),
  // Router key (RFC 8210, unknown to 4.99.3), other unknown types; versions 1 and 2.
  rpki(9, 0, cat(hex("0102030405060708090a0b0c0d0e0f1011121314"), be32(65001), hex("3059301306072a86"))),
  rpki(5, 0, hex("")),
  rpki(255, 0, hex("00112233")),
  rpki(0, 1, be32(5), { version: 1 }),
  cat(rpki(2, 0, hex("")), rpki(2, 0, hex(""), { version: 2 }), rpki(2, 0, hex(""))),
  // Lengths: fewer bytes than a header, under 8, over the segment, wrong for the type.
  hex("00 02 0000"),
  cat(rpki(2, 0, hex("")), hex("00 02 00")),
  rpki(2, 0, hex(""), { len: 7 }),
  rpki(2, 0, hex(""), { len: 16 }),
  rpki(0, 1, be32(5), { len: 8 }),
  rpki(0, 1, cat(be32(5), be32(6))),
  rpki(1, 1, hex("0000")),
  rpki(7, 1, hex("")),
  rpki(2, 0, be32(0)),
  rpki(3, 1, be32(0)),
  rpki(8, 0, hex("00")),
  rpki(4, 0, cat(hex("01 18 20 00 0a000000"), be32(65000), hex("00"))),
  rpki(6, 0, hex("00 30 40 00 20010db8")),
  rpki(10, 0, hex("000000")),
  rpki(10, 0, hex("00000000")),
  errorReport(0, v4prefix, hex(""), { encLen: 40 }),
  errorReport(0, hex(""), text("abc"), { textLen: 4 }),
  errorReport(0, hex(""), text("abc"), { encLen: 0xfffffffc }),
  errorReport(0, hex(""), text("abc"), { textLen: 0xfffffffe }),
  // Several PDUs in one segment, as a cache sends them.
  cat(rpki(3, 9, hex("")), v4prefix, v6prefix, rpki(7, 9, be32(10))),
];

// ---------------------------------------------------------------------------------------------------------

/** Each frame whole, then cut at every length from its IP header on (`from`: the data's start). */
function cuts(frames: Uint8Array[], from: number, step = 1): Frame[] {
  const out: Frame[] = [];
  for (const f of frames) {
    out.push({ data: f });
    for (let n = from; n < f.length; n += step) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"], ["-vv", "-x"]];

/** LDP over TCP to and from port 646, IPv4 and IPv6, and over UDP. */
function ldpFrames(): Frame[] {
  return [
    ...cuts(LDP.map((p) => tcp(646, p)), IP4 + 20),
    ...cuts([HELLO, KEEPALIVE, INIT].map((p) => udp(p)), IP4 + 8),
    ...cuts([udp(VC, { v6: true }), tcp(646, INIT, { v6: true, reply: true })], IP6, 3),
    ...[STATUS, UNKNOWN].map((p) => ({ data: udp(p, { reply: true }) })),
    // A UDP length shorter than the IP payload: tcpdump's length is the UDP one.
    ...[8 + 26, 8 + 30].map((n) => ({ data: udp(HELLO, { udpLength: n }) })),
    // Bytes after the IP packet (an Ethernet trailer): -vv's dump past the last message stops at the packet.
    ...[tcp(646, HELLO), udp(HELLO), udp(UNKNOWN)].map((f) => ({ data: cat(f, hex("deadbeef")) })),
  ];
}

testIf(
  "LDP prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = ldpFrames();
    assert.equal(await compareFramesWithTcpdump(f, FLAGS), f.length * FLAGS.length);
  },
);

testIf(
  "MSDP prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = [
      ...cuts(MSDP.map((p) => tcp(639, p)), IP4 + 20),
      ...cuts([tcp(639, MSDP[0], { v6: true, reply: true })], IP6 + 20),
      // More than 1400 bytes: the length is shown without -v too.
      { data: tcp(639, cat(msdp(5, new Uint8Array(1420)), msdp(4, hex("")))) },
    ];
    // -vv prints the carried packet through summary.ts: those frames are compared below.
    const flags = FLAGS.filter((s) => !s.includes("-vv"));
    assert.equal(await compareFramesWithTcpdump(f, flags), f.length * flags.length);
    const plain = f.filter((x) => !hasData(x.data));
    assert.equal(await compareFramesWithTcpdump(plain, [["-vv"], ["-vv", "-x"]]), plain.length * 2);
  },
);

/** Whether the frame's MSDP SA carries data (its -vv text depends on the caller's `datagram`). */
function hasData(frame: Uint8Array): boolean {
  const d = frame.subarray(IP4 + 20);
  return frame[12] === 0x08 && (d[0] === 1 || d[0] === 3) && d.length >= 4 &&
    ((d[1] << 8) | d[2]) > 8 + d[3] * 12;
}

testIf(
  "RPKI-Router prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = [
      ...cuts(RPKI.map((p) => tcp(323, p)), IP4 + 20),
      ...cuts([tcp(323, RPKI[RPKI.length - 1], { v6: true, reply: true })], IP6 + 20, 2),
    ];
    assert.equal(await compareFramesWithTcpdump(f, FLAGS), f.length * FLAGS.length);
  },
);

/** What tcpdump prints after `length N` for each frame with these flags (one line per packet joined). */
async function tcpdumpTails(frames: Frame[], flags: string[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-msdp-" });
  try {
    Deno.writeFileSync(`${dir}/f.pcap`, pcapBytes(1, frames));
    return (await tcpdumpRead(`${dir}/f.pcap`, flags)).map((s) =>
      s.replace(/^[\s\S]*?length \d+(?=: msdp)/, "")
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A stand-in for summary.ts's printer of carried packets: raw IPv4 through netkit's summarizer at -vv, the
 * length tcpdump gives ip_print as the packet's length on the wire.
 */
function datagram(b: Uint8Array, n: number): Printed {
  const s = new PacketSummarizer({ verbose: true, verbosity: 2, absolute: true });
  return { text: s.summarize(new PacketDecoder().decode(b, 101), n), jump: s.lastCutByLongJump };
}

testIf(
  "MSDP -vv prints the packet an SA carries through the caller's datagram, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const frames = cuts(MSDP.map((m) => tcp(639, m)).filter(hasData), IP4 + 20);
    assert.ok(frames.length > 100);
    const want = await tcpdumpTails(frames, ["-vv"]);
    let exact = 0;
    frames.forEach((f, i) => {
      const data = f.data.subarray(IP4 + 20), len = (f.len ?? f.data.length) - IP4 - 20;
      const got = msdpText(data, len, 2, datagram)?.text ?? "";
      if (!want[i].includes("[|ip]")) {
        assert.equal(got, want[i], `frame ${i}`);
        exact++;
      } else {
        // A carried packet cut or broken in its IP header: how it prints is the caller's business (summary.ts's
        // raw IP printer, not this test's stand-in); up to it the text is ours.
        const own = got.slice(0, got.indexOf(" [w/data] ") + 10);
        assert.ok(own.length > 10 && want[i].startsWith(own), `frame ${i}: ${want[i]} / ${own}`);
      }
    });
    assert.ok(exact >= 50, `${exact} compared exactly`);
  },
);

/** The TLV header line of a type with neither U nor F bit. */
const head = (name: string, type: string, len: number) =>
  `\n\t    ${name} TLV (0x${type}), length: ${len}, Flags: [ignore and don't forward if unknown]`;

Deno.test("LDP golden text: hello, initialization, label mapping with a Martini VC, notification", () => {
  assert.deepEqual(ldpText(HELLO, HELLO.length, 0), {
    text: "LDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 38",
    jump: false,
  });
  assert.equal(
    ldpText(HELLO, HELLO.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 38" +
      "\n\t  Hello Message (0x0100), length: 28, Message ID: 0x00000001, Flags: [ignore if unknown]" +
      head("Common Hello Parameters", "0400", 4) + "\n\t      Hold Time: 15s, Flags: [Link Hello]" +
      head("IPv4 Transport Address", "0401", 4) + "\n\t      IPv4 Transport Address: 10.0.0.1" +
      head("Configuration Sequence Number", "0402", 4) + "\n\t      Sequence Number: 7",
  );
  assert.equal(
    ldpText(INIT, INIT.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 48" +
      "\n\t  Initialization Message (0x0200), length: 38, Message ID: 0x00000003, " +
      "Flags: [continue processing if unknown]" +
      head("Common Session Parameters", "0500", 14) +
      "\n\t      Version: 1, Keepalive: 180s, Flags: [Downstream Unsolicited, Loop Detection Disabled]" +
      "\n\t    Fault-Tolerant Session Parameters TLV (0x0503), length: 12, Flags: [ignore and do forward if unknown]" +
      "\n\t      Flags: [No Reconnect, Save State, All-Label Protection, Sequence Numbered Label Checkpoint, " +
      "Re-Learn State], Reconnect Timeout: 5000ms, Recovery Time: 120000ms",
  );
  assert.equal(
    ldpText(VC, VC.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 52" +
      "\n\t  Label Mapping Message (0x0400), length: 42, Message ID: 0x0000000a, Flags: [ignore if unknown]" +
      head("FEC", "0100", 26) +
      "\n\t      Martini VC FEC (0x80): Ethernet, control word, group-ID 7, VC-ID 42, VC-info-length: 18" +
      "\n\t\tInterface Parameter: Description (0x03), len 10: vc^IM-A^?^@ok" +
      "\n\t\tInterface Parameter: VCCV (0x0c), len 4" +
      "\n\t\t  Control Channels (0x07) = [PWE3 control word, MPLS Router Alert Label, MPLS inner label TTL = 1]" +
      "\n\t\t  CV Types (0x00) = [none]" +
      head("Generic Label", "0200", 4) + "\n\t      Label: 1000",
  );
  assert.equal(
    ldpText(STATUS, STATUS.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 40" +
      "\n\t  Notification Message (0x0001), length: 30, Message ID: 0x00000010, Flags: [ignore if unknown]" +
      head("Status", "0300", 10) + "\n\t      Status: 0x0a, Flags: [Fatal error and don't forward]" +
      head("Status", "0300", 8) +
      "\n\t      Status: 0x19, Flags: [Advisory Notification and do forward], causing Message ID: 0x12345678",
  );
});

Deno.test("LDP golden text: -vv dumps, malformed lengths, cut data", () => {
  // -vv: no dump of an unknown TLV, a dump of each message from its ID's end (4 bytes past it).
  assert.equal(
    ldpText(UNKNOWN, UNKNOWN.length, 2)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 35" +
      "\n\t  Unknown Message (0x3e00), length: 10, Message ID: 0x00000011, Flags: [continue processing if unknown]" +
      "\n\t  0x0000:  3e00 0002 0102 0100 000b" +
      "\n\t  Hello Message (0x0100), length: 11, Message ID: 0x00000013, Flags: [ignore if unknown]" +
      head("Unknown", "3fff", 3) + "\n\t  0x0000:  3fff 0003 aabb cc",
  );
  // A PDU and a message header: 18 bytes are not enough for tcpdump to print anything.
  assert.deepEqual(ldpText(KEEPALIVE, KEEPALIVE.length, 1), { text: "", jump: false });
  assert.equal(
    ldpText(SHORTS, SHORTS.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 44" +
      "\n\t  Hello Message (0x0100), length: 34, Message ID: 0x0000003c, Flags: [ignore if unknown]" +
      head("Common Hello Parameters", "0400", 3) + " [tlv length 3 < 4] (invalid)" +
      head("FEC", "0100", 11) + "\n\t      Martini VC FEC (0x80) [tlv length 10 < 11] (invalid)" +
      head("Common Hello Parameters", "0400", 4) + "\n\t      Hold Time: 5s, Flags: [Link Hello]",
  );
  assert.ok(
    (ldpText(PAST, PAST.length, 1)?.text ?? "").includes(
      "Hold Time: 15s, Flags: [Link Hello]\n\t\t TLV contents go past end of message" +
        "\n\t  Hello Message (0x0100), length: 12,",
    ),
  );
  const bad = (o: { len?: number; version?: number }, v: number) => {
    const p = pdu([msg(0x0100, 1, [hello(15, 0)])], o);
    return ldpText(p, p.length, v)?.text;
  };
  assert.equal(bad({ version: 2 }, 0), "LDP version 2 packet not supported");
  assert.equal(bad({ version: 0 }, 1), "\n\tLDP version 0 packet not supported");
  assert.equal(bad({ len: 5 }, 1), "\n\tLDP, pdu-length: 5 (too short, < 6)");
  assert.equal(
    bad({ len: 30 }, 1),
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30" +
      "\n\t  Hello Message (0x0100), length: 12, Message ID: 0x00000001, Flags: [ignore if unknown]" +
      head("Common Hello Parameters", "0400", 4) + "\n\t      Hold Time: 15s, Flags: [Link Hello] [|ldp]",
  );
  const short = pdu([msg(0x0100, 1, [], 3), hex("00000000")]);
  assert.equal(
    ldpText(short, short.length, 1)?.text,
    "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 18\n\t  Hello Message (0x0100), length: 3 (too short, < 4)",
  );
  const two = cat(HELLO, HELLO);
  assert.match(ldpText(two, two.length - 1, 1)?.text ?? "", / \[remaining length 41 < 42\] \(invalid\)$/);
  // Cut: tcpdump's long jump.
  assert.deepEqual(ldpText(HELLO.subarray(0, 9), HELLO.length, 0), { text: " [|ldp]", jump: true });
  assert.deepEqual(ldpText(HELLO.subarray(0, 20), HELLO.length, 1), {
    text: "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 38" +
      "\n\t  Hello Message (0x0100), length: 28, Message ID: 0x00000001, Flags: [ignore if unknown] [|ldp]",
    jump: true,
  });
  // A prefix past its TLV is taken for a cut capture too.
  const past = pdu([msg(0x0400, 1, [fec(prefix4(24, "0a00")), label(1)])]);
  assert.deepEqual(ldpText(past, past.length, 1), {
    text: "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 32" +
      "\n\t  Label Mapping Message (0x0400), length: 22, Message ID: 0x00000001, Flags: [ignore if unknown]" +
      head("FEC", "0100", 6) + "\n\t      Prefix FEC (0x02) [|ldp]",
    jump: true,
  });
});

Deno.test("MSDP golden text", () => {
  const m = (p: Uint8Array, v = 0) => msdpText(p, p.length, v);
  const two = sa(1, [entry("ef010101", "0a010101"), entry("ef010102", "0a010102")]);
  assert.deepEqual(m(two), { text: ": msdp SA 2 entries", jump: false });
  assert.equal(m(two, 1)?.text, ": msdp [len 32] SA 2 entries");
  const data = sa(3, [entry("ef010101", "0a010101")], CARRIED);
  assert.equal(m(data, 1)?.text, ": msdp [len 52] SA-Response 1 entries [w/data]");
  // -vv: the caller prints the packet; without a printer nothing follows the space.
  assert.equal(m(data, 2)?.text, ": msdp [len 52] SA-Response 1 entries [w/data] ");
  assert.equal(
    msdpText(data, data.length, 2, (b, n) => ({ text: `<${b.length} ${n}>`, jump: false }))?.text,
    ": msdp [len 52] SA-Response 1 entries [w/data] <32 32>",
  );
  assert.deepEqual(msdpText(data, data.length, 2, () => ({ text: "IP [|ip]", jump: true })), {
    text: ": msdp [len 52] SA-Response 1 entries [w/data] IP [|ip]",
    jump: true,
  });
  assert.equal(m(msdp(2, hex("00 e0000001 abcd")))?.text, ": msdp SA-Request for 224.0.0.1");
  assert.equal(m(msdp(4, hex("0102")))?.text, ": msdp Keepalive[len=5] ");
  assert.equal(
    m(cat(msdp(4, hex("")), msdp(5, hex("00")), msdp(9, hex("ff")), hex("0400")), 1)?.text,
    ": msdp [len 3] Keepalive [len 4] Notification [len 4] [type=9 len=4] [|msdp]",
  );
  // Not MSDP at all: tcpdump's mark, not a long jump.
  assert.deepEqual(m(msdp(8, hex(""))), { text: ": msdp [|msdp]", jump: false });
  assert.deepEqual(m(msdp(4, hex(""), 1501)), { text: ": msdp [|msdp]", jump: false });
  assert.equal(
    m(cat(msdp(5, new Uint8Array(1420)), msdp(4, hex(""))))?.text,
    ": msdp [len 1423] Notification Keepalive",
  );
  // Cut: the long jump.
  assert.deepEqual(msdpText(hex("02 0008 00 e0"), 8, 0), { text: ": msdp SA-Request [|msdp]", jump: true });
  assert.deepEqual(msdpText(hex("01"), 8, 0), { text: ": msdp [|msdp]", jump: true });
});

Deno.test("RPKI-Router golden text", () => {
  const r = (p: Uint8Array, v = 1) => rpkiRtrText(p, p.length, v);
  assert.deepEqual(r(v4prefix, 0), { text: ", RPKI-RTR", jump: false });
  assert.equal(
    r(cat(rpki(0, 1, be32(5)), v6prefix))?.text,
    "\n\tRPKI-RTRv0, Serial Notify PDU (0), length: 12\n\t  Session ID: 0x0001, Serial: 5" +
      "\n\tRPKI-RTRv0, IPV6 Prefix PDU (6), length: 32" +
      "\n\t  IPv6 Prefix 2001:db8::/48-64, origin-as 4200000000, flags 0x00",
  );
  assert.equal(
    r(errorReport(5, v4prefix, text("bad prefix")))?.text,
    "\n\tRPKI-RTRv0, Error Report PDU (10), length: 46" +
      "\n\t  Error code: Unsupported PDU Type (5), Encapsulated PDU length: 20" +
      "\n\t    -----encapsulated PDU-----" +
      "\n\tRPKI-RTRv0, IPV4 Prefix PDU (4), length: 20" +
      "\n\t    IPv4 Prefix 10.0.0.0/24-32, origin-as 65000, flags 0x01" +
      "\n\t  Error text: bad prefix",
  );
  // -vv dumps every PDU; -v only unknown ones.
  assert.equal(
    r(rpki(3, 0x1234, hex("")), 2)?.text,
    "\n\tRPKI-RTRv0, Cache Response PDU (3), length: 8\n\t  Session ID: 0x1234\n\t  0x0000:  0003 1234 0000 0008",
  );
  assert.equal(
    r(rpki(9, 0, hex("0102")))?.text,
    "\n\tRPKI-RTRv0, Unknown PDU (9), length: 10\n\t  0x0000:  0009 0000 0000 000a 0102",
  );
  // Version 1 is unknown to 4.99.3 and takes the rest of the segment.
  assert.equal(
    r(cat(rpki(2, 0, hex(""), { version: 1 }), rpki(2, 0, hex(""))))?.text,
    "\n\tRPKI-RTRv1 (unknown)",
  );
  assert.equal(r(hex("00 02 0000"))?.text, "(4 bytes is too few to decode) (invalid)");
  assert.equal(
    r(rpki(0, 1, be32(5), { len: 8 }))?.text,
    "\n\tRPKI-RTRv0, Serial Notify PDU (0), length: 8 (invalid)",
  );
  assert.deepEqual(rpkiRtrText(rpki(0, 1, be32(5)).subarray(0, 10), 12, 1), {
    text: "\n\tRPKI-RTRv0, Serial Notify PDU (0), length: 12 [|rpki_rtr]",
    jump: true,
  });
});

Deno.test("the printers never throw on random bytes", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let k = 0; k < 3000; k++) {
    const p = Uint8Array.from({ length: rnd() % 80 }, () => rnd() & 0xff);
    if (p.length > 4 && k % 3 === 0) p.set([0, 1], 0);
    const n = p.length + (rnd() % 8);
    for (const v of [0, 1, 2]) {
      ldpText(p, n, v);
      msdpText(p, n, v);
      rpkiRtrText(p, n, v);
    }
  }
});
