/**
 * The OSI network layer (802.3 LLC SAP 0xFE, PPP protocol 0x0023): IS-IS, ES-IS and CLNP as tcpdump 4.99.3
 * prints them, over hand-built PDUs: IS-IS header checks, every PDU type, every TLV and sub-TLV tcpdump
 * decodes (and unknown ones, with `-vv` dumps), LSP and checksum-TLV checksums right, wrong and unverified,
 * lengths that do not add up; ES-IS hellos and redirects with their options; CLNP data, segments, options,
 * error reports carrying the original packet; IPv4 and IPv6 behind their NLPIDs; unknown NLPIDs. Every frame
 * whole and cut at every length, compared packet by packet, with `-x` (where the dump starts tells a long
 * jump from tcpdump's own checks).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { osiText } from "../../lib/wire/_osi.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes((n >> 8) & 255, n & 255);
const u24 = (n: number) => bytes((n >> 16) & 255, (n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
const ip = (s: string) => bytes(...s.split(".").map(Number));
/** An IEEE single-precision float (bandwidths in bytes per second). */
const f32 = (x: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x);
  return b;
};

/** An 802.3 frame with LLC DSAP/SSAP 0xFE, UI: the 802.3 length counts the LLC header; padded to 60. */
function llc(pdu: Uint8Array): Uint8Array {
  const body = cat(hex("fefe03"), pdu);
  const f = cat(hex("0180c2000014 001122334455"), u16(body.length), body);
  return f.length < 60 ? cat(f, zeros(60 - f.length)) : f;
}
/** A PPP frame (link type 9) with protocol 0x0023. */
const ppp = (pdu: Uint8Array) => cat(hex("ff030023"), pdu);

/** A TLV (or sub-TLV): type, length, value. */
const tlv = (type: number, ...v: Uint8Array[]) => {
  const b = cat(...v);
  return cat(bytes(type, b.length & 255), b);
};

const SYS1 = hex("172016001001"), SYS2 = hex("172016001002");
const LSPID = cat(SYS1, hex("0000"));

/** ISO 8473's checksum bytes for a checksum field at `off` in `b` (zero there). */
function fletcher(b: Uint8Array, off: number): [number, number] {
  let c0 = 0, c1 = 0;
  for (const x of b) {
    c0 = (c0 + x) % 255;
    c1 = (c1 + c0) % 255;
  }
  let x = ((b.length - off - 1) * c0 - c1) % 255;
  if (x <= 0) x += 255;
  let y = (510 - c0 - x) % 255;
  if (y === 0) y = 255;
  return [x, y];
}

interface IsisOptions {
  fixed?: number;
  version?: number;
  idLength?: number;
  pduVersion?: number;
  maxArea?: number;
  /** The PDU length field (default: the PDU's length). */
  pduLength?: number;
  /** An LSP's checksum: computed, computed and spoilt, or this value (default 0, unverified). */
  checksum?: "right" | "wrong" | number;
}

/** Each PDU type's own header size, and where its PDU length field is in it. */
const HEADER: Record<number, [number, number]> = {
  15: [19, 9],
  16: [19, 9],
  17: [12, 9],
  18: [19, 0],
  20: [19, 0],
  24: [25, 0],
  25: [25, 0],
  26: [9, 0],
  27: [9, 0],
};

/** An IS-IS PDU: the common header, the type's own header, the TLVs. */
function isis(type: number, header: Uint8Array, tlvs: Uint8Array[] = [], o: IsisOptions = {}): Uint8Array {
  const [size, lengthAt] = HEADER[type] ?? [header.length, -1];
  const pdu = cat(
    bytes(
      0x83,
      o.fixed ?? 8 + size,
      o.version ?? 1,
      o.idLength ?? 0,
      type,
      o.pduVersion ?? 1,
      0,
      o.maxArea ?? 0,
    ),
    header,
    ...tlvs,
  );
  if (lengthAt >= 0) pdu.set(u16(o.pduLength ?? pdu.length), 8 + lengthAt);
  if (type === 18 || type === 20) {
    if (o.checksum === "right" || o.checksum === "wrong") {
      const [x, y] = fletcher(pdu.subarray(12, o.pduLength ?? pdu.length), 12);
      pdu[24] = x, pdu[25] = o.checksum === "wrong" ? y ^ 1 : y;
    } else if (o.checksum !== undefined) pdu.set(u16(o.checksum), 24);
  }
  return pdu;
}

const lanHeader = (circuit = 1, prio = 64) =>
  cat(bytes(circuit), SYS1, u16(30), u16(0), bytes(prio), SYS2, bytes(1));
const ptpHeader = (circuit = 3) => cat(bytes(circuit), SYS1, u16(30), u16(0), bytes(7));
const lspHeader = (typeBlock = 3) => cat(u16(0), u16(1199), LSPID, u32(5), u16(0), bytes(typeBlock));
const csnpHeader = () => cat(u16(0), SYS1, bytes(0), zeros(8), hex("ffffffffffffffff"));
const psnpHeader = () => cat(u16(0), SYS1, bytes(0));
/** An L2 LSP with a right checksum. */
const lsp = (tlvs: Uint8Array[], o: IsisOptions = {}, typeBlock = 3) =>
  isis(20, lspHeader(typeBlock), tlvs, { checksum: "right", ...o });
const lan = (tlvs: Uint8Array[], o: IsisOptions = {}) => isis(15, lanHeader(), tlvs, o);
/** A TLV that ends an LSP, to show where tcpdump carries on. */
const END = tlv(137, text("z"));

/** An extended IS reachability neighbor: node ID, metric, sub-TLVs. */
const extIs = (metric: number, ...subs: Uint8Array[]) => {
  const s = cat(...subs);
  return cat(SYS2, bytes(0), u24(metric), bytes(s.length), s);
};
/** An extended IPv4 prefix: metric, status byte (flags and bit length), prefix, sub-TLVs. */
const extIp = (metric: number, bits: number, prefix: Uint8Array, flags = 0, subs?: Uint8Array) =>
  cat(u32(metric), bytes(flags | bits), prefix, subs ? cat(bytes(subs.length), subs) : zeros(0));
/** An IPv6 prefix: metric, flags, bit length, prefix, sub-TLVs. */
const extIp6 = (metric: number, bits: number, prefix: Uint8Array, flags = 0, subs?: Uint8Array) =>
  cat(u32(metric), bytes(flags, bits), prefix, subs ? cat(bytes(subs.length), subs) : zeros(0));

/** An LAN hello with a checksum TLV holding the right checksum. */
function checksummedHello(): Uint8Array {
  const p = lan([tlv(12, u16(0)), tlv(137, text("abc"))]);
  const [x, y] = fletcher(p, 29);
  p[29] = x, p[30] = y;
  return p;
}

const ISIS: Uint8Array[] = [
  // Every PDU type.
  lan([
    tlv(1, hex("03490001")),
    tlv(129, hex("cc8e")),
    tlv(132, hex("0a000001")),
    tlv(6, hex("001122334466")),
    tlv(8, zeros(10)),
  ]),
  isis(16, lanHeader(2, 0x85), [tlv(240, hex("00"))]),
  isis(17, ptpHeader(3), [tlv(240, hex("02 00000001"), SYS2, hex("00000002"))]),
  isis(17, ptpHeader(7), [tlv(240, hex("01 00000001"))]),
  lsp([tlv(1, hex("03490001")), tlv(137, text("r1"))]),
  lsp([tlv(137, text("r1"))], { checksum: "wrong" }),
  lsp([tlv(137, text("r1"))], { checksum: 0 }),
  isis(18, lspHeader(0xff), [], { checksum: "right" }),
  isis(24, csnpHeader(), [tlv(9, u16(1000), LSPID, u32(3), u16(0x1234))]),
  isis(27, psnpHeader(), [tlv(9, u16(1000), LSPID, u32(3), u16(0x1234))]),
  // The common header: versions, ID lengths, header lengths, areas; each type's wrong fixed length.
  lan([END], { version: 2 }),
  lan([END], { idLength: 4 }),
  lan([END], { idLength: 6, maxArea: 3 }),
  lan([END], { pduVersion: 3 }),
  lan([END], { fixed: 200 }),
  lan([END], { fixed: 7 }),
  lan([END], { maxArea: 255 }),
  lan([END], { fixed: 26 }),
  isis(17, ptpHeader(), [END], { fixed: 21 }),
  isis(18, lspHeader(), [END], { fixed: 28 }),
  isis(24, csnpHeader(), [END], { fixed: 32 }),
  isis(26, psnpHeader(), [END], { fixed: 18 }),
  isis(5, hex("0102030405")),
  isis(0x2f, hex("01020304"), [], { fixed: 8 }),
  // PDU length fields smaller and larger than the PDU, smaller than the header; the LSP flags.
  isis(15, lanHeader(9), [END], { pduLength: 30 }),
  lan([END], { pduLength: 20 }),
  lan([END], { pduLength: 1000 }),
  isis(17, ptpHeader(), [END], { pduLength: 10 }),
  lsp([END], { pduLength: 30 }),
  lsp([END], { pduLength: 10 }),
  lsp([END], { pduLength: 26 }, 0xfc),
  lsp([END], {}, 0x7e),
  lsp([END], {}, 0x0a),
  isis(25, csnpHeader(), [END], { pduLength: 33 }),
  isis(26, psnpHeader(), [END], { pduLength: 5 }),
  // A TLV header cut by the PDU's end, a TLV longer than the PDU; no TLVs; headers cut short.
  lan([tlv(137, text("abc")), bytes(1)]),
  lan([tlv(137, text("abc")), bytes(1, 9, 1)]),
  lan([hex("0105 0349000100 0000")]),
  lan([]),
  hex("83"),
  hex("831b01000f0100"),
  lan([END], { version: 0 }).subarray(0, 9),
  // Areas, IS reachability, ES neighbors, partition DIS, prefix neighbors.
  lsp([
    tlv(1, hex("03490001 0d490001111122223333444455 00")),
    tlv(1, hex("05 490001")),
    tlv(1, hex("15"), zeros(21)),
    tlv(2, hex("00"), hex("0a 80 80 80"), SYS2, bytes(1), hex("4a 05 46 87"), SYS1, bytes(2)),
    tlv(2, hex("05"), hex("0a 80 80 80"), SYS2),
    tlv(3, hex("0a 80 80 80"), SYS2, hex("0a 01 02 03"), SYS1),
    tlv(4, SYS1, SYS2),
    tlv(4, SYS1, bytes(1)),
    tlv(5, hex("0a808080"), hex("0a 4900011111"), hex("04 4900"), hex("01")),
    tlv(5, hex("0a808080"), hex("10 4900")),
    tlv(5, hex("0a80")),
  ]),
  // IS neighbors, instance IDs, LSP entries, buffer size, padding, TLVs without a decoder, an unknown one.
  lsp([
    tlv(6, hex("001122334455 00aabbccddee")),
    tlv(6, hex("001122334455 00aa")),
    tlv(7, hex("0001")),
    tlv(7, hex("0001 0002")),
    tlv(7, hex("0001 0002 0003 00")),
    tlv(9, u16(1000), LSPID, u32(3), u16(0x1234), u16(5)),
    tlv(9, zeros(15)),
    tlv(14, u16(1492)),
    tlv(14, bytes(1)),
    tlv(8),
    tlv(42, hex("0102030405")),
    tlv(66, zeros(17)),
    tlv(133, hex("01")),
    tlv(176, hex("aa")),
    tlv(177),
    tlv(99, hex("01020304")),
  ]),
  // Authentication: simple (with a NUL, with unprintable bytes), HMAC-MD5, generic, private, unknown.
  lsp([
    tlv(10, bytes(1), text("secret")),
    tlv(10, bytes(54), hex("00112233445566778899aabbccddeeff")),
    tlv(10, bytes(54), hex("0011223344")),
    tlv(10, bytes(3), u16(7), hex("a1a2a3")),
    tlv(10, bytes(3), hex("07")),
    tlv(10, bytes(255), hex("01020304")),
    tlv(10, bytes(99), hex("0102")),
    tlv(10),
    tlv(10, bytes(1), hex("41 00 42")),
    tlv(10, bytes(1), hex("01 7f 80 c1 20")),
  ]),
  isis(16, lanHeader(), [tlv(10, bytes(54), hex("00112233445566778899aabbccddeeff"))]),
  // Checksum TLV (zero, wrong, right, short); purge originator.
  checksummedHello(),
  lsp([
    tlv(12, u16(0)),
    tlv(12, u16(0x1234)),
    tlv(12, bytes(1)),
    tlv(13, bytes(0)),
    tlv(13, bytes(1), SYS1),
    tlv(13, bytes(2), SYS1, SYS2),
    tlv(13, bytes(2), SYS1, hex("0102")),
    tlv(13, bytes(1), hex("0102")),
    tlv(13),
  ]),
  // Old-style IP reachability (contiguous and other masks, metrics), protocols, IDRP, addresses, TE router
  // ID, hostnames, IPv6 addresses.
  lsp([
    tlv(
      128,
      hex("0a808080"),
      ip("10.1.0.0"),
      ip("255.255.0.0"),
      hex("4a05c607"),
      ip("10.2.3.0"),
      ip("255.0.255.0"),
    ),
    tlv(130, hex("8a808080"), ip("192.168.1.1"), ip("255.255.255.255"), hex("00808080"), zeros(8)),
    tlv(129, hex("cc 8e 81 55")),
    tlv(129),
    tlv(131, hex("02"), u16(65001)),
    tlv(131, hex("02 01")),
    tlv(131, hex("01 aabbcc")),
    tlv(131, hex("07")),
    tlv(131),
    tlv(132, ip("10.0.0.1"), ip("10.0.0.2")),
    tlv(132, ip("10.0.0.1"), bytes(1)),
    tlv(134, ip("1.2.3.4")),
    tlv(134, hex("010203")),
    tlv(137, text("router-1.example")),
    tlv(137, hex("61 01 80 ff 00 62")),
    tlv(232, hex("20010db8000000000000000000000001"), hex("fe800000000000000000000000000001")),
    tlv(232, hex("20010db8")),
  ]),
  // An IP reachability TLV too short for its entry ends the PDU.
  lsp([tlv(128, hex("0a808080"), ip("10.1.0.0"), ip("255.255.0.0"), hex("0a")), END]),
  // Extended IPv4 reachability with every sub-TLV; bad bit lengths; prefixes and sub-TLVs overrunning.
  lsp([
    tlv(
      135,
      extIp(10, 24, hex("0a0000")),
      extIp(0xffffffff, 0, zeros(0), 0x80),
      extIp(1, 32, hex("01020304")),
    ),
    tlv(
      135,
      extIp(
        10,
        24,
        hex("0a0001"),
        0x40,
        cat(
          tlv(1, u32(100), u32(200)),
          tlv(2, hex("0102030405060708")),
          tlv(3, hex("40 00 00000064")),
          tlv(3, hex("e8 01 001388")),
          tlv(117, u32(5)),
          tlv(9, hex("abcd")),
        ),
      ),
    ),
    tlv(135, extIp(10, 33, zeros(5))),
    END,
  ]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000"), 0x40, hex("03 04 08 00 0001"))), END]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000"), 0x40, hex("03 05 00 00 000001"))), END]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000"), 0x40, hex("03 00"))), END]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000"), 0x40, hex("05 08 0102"))), END]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000")), u16(1)), END]),
  lsp([tlv(135, extIp(10, 24, hex("0a00")))]),
  lsp([tlv(135, extIp(10, 24, hex("0a0000"), 0x40, hex("01 04 00000001")), hex("aabb")), END]),
  lsp([tlv(135, u32(1), bytes(0x58), hex("0a0000"), bytes(3), hex("01 04 00000001 0203 aabbcc")), END]),
  // IPv6 reachability, multi-topology IPv4/IPv6 reachability, multi-topology IDs.
  lsp([
    tlv(
      236,
      extIp6(10, 64, hex("20010db800000000")),
      extIp6(20, 128, hex("20010db8000000000000000000000001"), 0xc0),
    ),
    tlv(236, extIp6(10, 48, hex("20010db80001"), 0x20, tlv(1, u32(7)))),
    tlv(236, extIp6(10, 129, zeros(17))),
  ]),
  lsp([tlv(236, extIp6(10, 64, hex("20010db8")))]),
  lsp([
    tlv(235, hex("0000"), extIp(10, 24, hex("0a0000"))),
    tlv(235, hex("4002"), extIp(10, 8, hex("0a"), 0x40, tlv(2, hex("0102030405060708")))),
    tlv(237, hex("8002"), extIp6(10, 64, hex("20010db800000000"))),
    tlv(237, hex("0fff"), extIp6(10, 0, zeros(0), 0x40)),
    tlv(229, hex("0000 8002 4003 0fff 0005")),
    tlv(229, hex("0002 00")),
    tlv(229, hex("00")),
    tlv(235, hex("00")),
  ]),
  // Extended IS reachability: every TE sub-TLV, bandwidths of every kind, IS alias.
  lsp([
    tlv(
      22,
      extIs(10),
      extIs(
        0xffffff,
        tlv(3, u32(0xff)),
        tlv(4, u32(1), u32(2)),
        tlv(5, u32(9)),
        tlv(6, ip("10.0.0.1")),
        tlv(8, ip("10.0.0.2")),
        tlv(9, f32(125000000)),
        tlv(10, f32(1.5e8)),
        tlv(18, u24(100)),
        tlv(19, u16(5)),
        tlv(19, u16(0x10)),
        tlv(20, hex("0a 07")),
        tlv(29, hex("000064 05 0102")),
      ),
    ),
    tlv(
      22,
      extIs(
        1,
        tlv(11, ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => f32(i * 1e6))),
        tlv(22, hex("00"), f32(1e9), f32(2e9)),
        tlv(12, hex("fe"), f32(1e3), hex("0102")),
        tlv(22),
      ),
    ),
    tlv(24, SYS2, bytes(0, 0), SYS1, bytes(1, 2), tlv(250)),
  ]),
  // Interface switching capability (PSC, TSC, L2SC with a dump, FSC, odd bandwidths), LAN adjacency SIDs.
  lsp([
    tlv(22, extIs(1, tlv(21, hex("01 02 0000"), ...Array(8).fill(f32(1e7)), f32(1e4), u16(1500)))),
    tlv(22, extIs(1, tlv(21, hex("64 05 0000"), ...Array(8).fill(f32(1e7)), f32(1e4), hex("01 00 0000")))),
    tlv(22, extIs(1, tlv(21, hex("33 02 0000"), ...Array(8).fill(f32(1e7)), hex("abcd")))),
    tlv(22, extIs(1, tlv(21, hex("c8 09 0000"), ...Array(8).fill(f32(1e7))))),
    tlv(22, extIs(1, tlv(21, hex("02 01 0000"), ...Array(8).fill(f32(-1)), f32(NaN)))),
    tlv(22, extIs(1, tlv(32, hex("30 05"), SYS2, u24(1000)), tlv(32, hex("c0 00"), SYS2, u32(7)))),
    tlv(22, extIs(1, tlv(32, hex("20 00"), SYS2, u32(7)))),
    tlv(
      22,
      extIs(1, tlv(9, f32(Infinity)), tlv(9, f32(1e-40)), tlv(9, hex("7fc00000")), tlv(9, hex("ff800000"))),
    ),
    tlv(22, extIs(1, tlv(99, hex("0102")))),
  ]),
  lsp([tlv(22, extIs(1, tlv(32, hex("30 05"), SYS2.subarray(0, 4), hex("0102"))))]),
  lsp([tlv(22, extIs(1, tlv(21, hex("01 02 0000"), zeros(32))))]),
  // Extended IS reachability whose lengths do not add up; multi-topology IS reachability.
  lsp([
    tlv(22, SYS2, bytes(0), u24(1), bytes(5), hex("0304 0000")),
    tlv(22, SYS2, bytes(0), u24(1), bytes(1), hex("03")),
    tlv(22, SYS2, bytes(0), u24(1), bytes(9), hex("0304 00000000 0304")),
    tlv(22, SYS2, bytes(0), u24(1), bytes(2), hex("0304 00000000")),
  ]),
  lsp([tlv(22, SYS2, bytes(0), u24(1)), tlv(22, SYS2)]),
  lsp([tlv(22, SYS2, bytes(0), u24(1), bytes(1), hex("0304")), END]),
  lsp([tlv(22, SYS2, bytes(0), u24(1), bytes(10), hex("0306 00000000")), END]),
  lsp([tlv(22, SYS2, bytes(0), u24(1), bytes(6), hex("0b04 00000000")), END]),
  lsp([tlv(22, SYS2, bytes(0), u24(1), bytes(40), tlv(11, zeros(32)), hex("0304 00000001")), END]),
  lsp([tlv(22, SYS2, bytes(0), u24(1), bytes(2), hex("0300"), hex("aa")), END]),
  lsp([tlv(222, hex("0002"), extIs(3, tlv(6, ip("1.1.1.1")))), tlv(222, hex("00"))]),
  lsp([tlv(24, SYS2, bytes(0), bytes(0)), tlv(24, SYS2), tlv(222, hex("0002")), END]),
  // Shared risk link groups, restart signaling, point-to-point adjacency, hello sequence numbers.
  lsp([
    tlv(138, SYS2, bytes(0), bytes(1), ip("10.0.0.1"), ip("10.0.0.2"), u32(1), u32(2)),
    tlv(138, SYS2, bytes(0), bytes(0), ip("10.0.0.1")),
    tlv(138, SYS2, bytes(0), bytes(0), ip("10.0.0.1"), ip("10.0.0.2"), hex("01")),
    tlv(138, SYS2),
    tlv(211, hex("01")),
    tlv(211, hex("06"), u16(30)),
    tlv(211, hex("00"), u16(30), SYS2),
    tlv(211, hex("07"), u16(30), hex("01")),
    tlv(211),
    tlv(240, hex("00")),
    tlv(240, hex("01 00000001")),
    tlv(240, hex("02 00000001"), SYS2),
    tlv(240, hex("05 00000001"), SYS2, u32(9)),
    tlv(240),
    tlv(241, u32(123456)),
    tlv(241, u16(1)),
  ]),
  lsp([tlv(240, hex("00 00000001"), SYS2.subarray(0, 3))]),
  // Router capability with SR sub-TLVs; vendor private.
  lsp([
    tlv(242, ip("1.1.1.1"), hex("03")),
    tlv(
      242,
      ip("1.1.1.1"),
      hex("00"),
      tlv(
        2,
        hex("c0 000064"),
        hex("01 03 003e80"),
        hex("01 04 00003e80"),
        hex("01 02 0102"),
        hex("05 02 abcd"),
      ),
      tlv(19, hex("01")),
    ),
    tlv(242, ip("1.1.1.1")),
    tlv(242, ip("1.1.1.1"), hex("01"), tlv(2, hex("40 000064"), hex("01 09 00"))),
    tlv(250, hex("00000c"), hex("0102030405")),
    tlv(250, hex("123456")),
    tlv(250, hex("1234")),
  ]),
  lsp([
    tlv(242, hex("01010101 00"), hex("02 09 00 000001 01 03")),
    tlv(242, hex("01010101 00"), hex("02 02 80 00"), hex("aa bb cc")),
    END,
  ]),
  // SPB: port capability (BVID, digest, MCID) and MT capability (instance, service identifiers).
  lsp([
    tlv(143, u16(0x1002), tlv(6, u32(0x0080c201), u16(0x0648), u32(0x0080c202), u16(0x0658))),
    tlv(143, u16(0x0001), tlv(5, hex("b5"), ...Array(8).fill(u32(0xdeadbeef)))),
    tlv(143, u16(0x0001), tlv(6, u32(1))),
    tlv(143, u16(0x0001), tlv(5, hex("00"))),
    tlv(143, u16(0x0001), tlv(9, hex("00")), hex("00")),
    tlv(143, u16(0x0001), hex("0605 00")),
    tlv(143, u16(1)),
  ]),
  lsp([
    tlv(
      143,
      u16(0x0001),
      tlv(
        4,
        hex("00"),
        text("name-one"),
        zeros(24),
        u16(7),
        zeros(16),
        hex("01"),
        text("aux"),
        zeros(29),
        u16(8),
        zeros(16),
      ),
    ),
    tlv(
      144,
      u16(0x8001),
      tlv(1, hex("8000 001122334455"), u32(10), u16(32768), hex("00 01 23 45"), bytes(2)),
    ),
    tlv(144, u16(0x0001), tlv(1, zeros(18), hex("02 e0 00000001 064065 40 00000002 0c8000"))),
    tlv(144, u16(0x0001), tlv(3, hex("001122334455"), u16(0x1064), u32(0xc0000064), u32(0x00000065))),
    tlv(144, u16(0x0001), tlv(1, zeros(18))),
    tlv(144, u16(0x0001), tlv(3, zeros(7))),
    tlv(144, u16(0x0001), tlv(1, zeros(18), hex("03"), zeros(8))),
    tlv(144, u16(0x0001), tlv(9, hex("01")), hex("01")),
    tlv(144, u16(1)),
  ]),
  lsp([
    tlv(143, u16(1), hex("0609 00000001 0001")),
    tlv(143, u16(1), hex("0606 00000001 00")),
    tlv(143, u16(1), hex("0404"), zeros(4)),
    tlv(144, u16(1), hex("0109"), zeros(4)),
    tlv(144, u16(1), hex("0304"), zeros(4)),
    tlv(144, u16(1), hex("0313"), zeros(19)),
    tlv(143, u16(1), hex("0505"), zeros(5)),
    END,
  ]),
];

/** An ES-IS PDU: header (its checksum computed when asked), then the rest. */
function esis(type: number, rest: Uint8Array, o: { li?: number; version?: number; checksum?: boolean } = {}) {
  const pdu = cat(bytes(0x82, 0, o.version ?? 1, 0, type), u16(30), u16(0), rest);
  pdu[1] = o.li ?? pdu.length;
  if (o.checksum) {
    const [x, y] = fletcher(pdu.subarray(0, pdu[1]), 7);
    pdu[7] = x, pdu[8] = y;
  }
  return pdu;
}
const NSAP1 = hex("49000111112222333300"), NSAP2 = hex("49000144445555666600");
/** A length-prefixed address. */
const net = (b: Uint8Array) => cat(bytes(b.length), b);

const ESIS: Uint8Array[] = [
  esis(4, net(NSAP1)),
  esis(4, net(NSAP1), { checksum: true }),
  esis(4, cat(net(NSAP1), hex("c6 02 0258")), { checksum: true }),
  esis(2, cat(bytes(2), net(NSAP1), net(NSAP2))),
  esis(2, cat(bytes(3), net(NSAP1), net(NSAP2))),
  esis(2, bytes(0)),
  // Redirects: Ethernet SNPA, other SNPA, none and no NET (then an option), cut short.
  esis(6, cat(net(NSAP2), bytes(6), hex("001122334455"), net(NSAP1))),
  esis(6, cat(net(NSAP2), bytes(3), hex("aabbcc"), bytes(0))),
  esis(6, cat(net(NSAP2), bytes(0), bytes(0), hex("8101cc"))),
  esis(6, cat(net(NSAP2), bytes(0))),
  esis(6, net(NSAP2)),
  esis(6, bytes(0)),
  // Options: protocols (the next option is read from inside it), configuration time, the undecoded ones.
  esis(4, cat(net(NSAP1), hex("81 03 cc 8e 81 c6 02 0258"))),
  esis(4, cat(net(NSAP1), hex("81 02 cc 8e c6 02 0258 c5 01 05"))),
  esis(4, cat(net(NSAP1), hex("c6 01 05"))),
  esis(4, cat(net(NSAP1), hex("c3 02 0102 cd 01 05 e1 02 ffff e2 01 ff 99 00"))),
  esis(4, cat(net(NSAP1), hex("c3 09 0102"))),
  esis(4, cat(net(NSAP1), hex("c3"))),
  // Length indicators too long and too short, addresses too long, another version, unknown types.
  esis(4, net(NSAP1), { li: 30 }),
  esis(4, cat(bytes(30), NSAP1)),
  esis(4, bytes(0)),
  esis(4, zeros(0), { li: 10 }),
  esis(4, zeros(2), { li: 10 }),
  esis(4, net(NSAP1), { version: 2 }),
  esis(9, net(NSAP1)),
  esis(0x1f, hex("0102030405")),
  hex("8203"),
  hex("82"),
  hex("820a01"),
  esis(4, net(NSAP1), { li: 0 }).subarray(0, 12),
];

/** A CLNP PDU: fixed header, destination and source addresses, segment part, options, data. */
function clnp(
  type: number,
  o: {
    li?: number;
    version?: number;
    checksum?: boolean;
    segment?: Uint8Array;
    options?: Uint8Array;
    data?: Uint8Array;
  } = {},
): Uint8Array {
  const header = cat(
    bytes(0x81, 0, o.version ?? 1, 20, type),
    u32(0),
    net(NSAP2),
    net(NSAP1),
    o.segment ?? zeros(0),
    o.options ?? zeros(0),
  );
  header[1] = o.li ?? header.length;
  const pdu = cat(header, o.data ?? zeros(0));
  pdu.set(u16(pdu.length), 5);
  if (o.checksum) {
    const [x, y] = fletcher(pdu.subarray(0, header.length), 7);
    pdu[7] = x, pdu[8] = y;
  }
  return pdu;
}
const DATA = clnp(0x1c, { data: hex("0102030405") });

const CLNP: Uint8Array[] = [
  DATA,
  clnp(0x9c, { checksum: true, segment: hex("1234 0000 0040"), data: hex("aabb") }),
  // Options: priority, QoS of each scope, security, padding, source routes and route records, unknown.
  clnp(0x3c, {
    checksum: true,
    options: hex("cd 01 0e c3 01 ff c3 01 40 c3 01 80 c5 02 c0 07 cc 03 000000"),
  }),
  clnp(0x3c, { options: hex("c8 0e 00 03 04 49000102 05 4900010203"), data: hex("00") }),
  clnp(0x3c, { options: hex("cb 06 01 01 02 4900 00") }),
  clnp(0x3c, { options: hex("c8 02 01 00 cb 02 07 09") }),
  clnp(0x3c, { options: hex("cb 05 00 02 09 4900 00") }),
  clnp(0x1c, { options: hex("99 03 010203") }),
  // Error reports with the original packet and every discard reason; an echo response; other types.
  clnp(0x01, { options: hex("c1 02 8001"), data: DATA }),
  clnp(0x01, {
    options: hex("c1 01 00 c1 01 23 c1 01 91 c1 01 a1 c1 01 b4 c1 01 c0 c1 01 f3 c1 01 1f"),
    data: hex("ff00"),
  }),
  clnp(0x1f, { data: DATA }),
  clnp(0x01),
  clnp(0x1e, { data: hex("0102") }),
  clnp(0x1d),
  clnp(0x15, { data: hex("01") }),
  // Options too short or too long; a segment part that does not fit; bad length indicators; a version.
  clnp(0x1c, { options: hex("c8 01 00") }),
  clnp(0x1c, { options: hex("cd 00") }),
  clnp(0x1c, { options: hex("c3 00") }),
  clnp(0x1c, { options: hex("c5 01 00") }),
  clnp(0x1c, { options: hex("c1 00") }),
  clnp(0x1c, { options: hex("cd 05 00") }),
  clnp(0x1c, { options: hex("cd") }),
  clnp(0x9c, { segment: hex("1234") }),
  clnp(0x1c, { li: 8 }),
  clnp(0x1c, { li: 200 }),
  clnp(0x1c, { version: 2 }),
  clnp(0x1c, { li: 9 }),
  clnp(0x1c, { li: 10 }),
  clnp(0x1c, { li: 21 }),
  hex("810b 01 14 1c 000b 0000 0000"),
  hex("810d 01 14 1c 000b 0000 00 00 02 aa"),
  hex("8115 01 14 1c 000b 0000 00 00 15"),
  hex("81"),
];

const OTHER: Uint8Array[] = [
  // IPv4 and IPv6 behind their NLPIDs, cut ones too.
  hex("cc 4500001c 0001 0000 4011 0000 0a000001 0a000002 0035 0035 0008 0000"),
  hex("cc 4500001c 0001 0000 4001 f8d2 0a000001 0a000002 0800 f7ff 0000 0000"),
  hex(
    "8e 6000000000080000 fe800000000000000000000000000001 ff020000000000000000000000000001 0035 0035 0008 0000",
  ),
  hex("cc 45"),
  hex("8e"),
  // NULL, unknown NLPIDs.
  hex("00 0102"),
  hex("00"),
  hex("55 01020304"),
  hex("55"),
  hex("85 0102"),
];

const PDUS = [...ISIS, ...ESIS, ...CLNP, ...OTHER];
const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-x"]];

/** Every frame whole, then cut at every length from the LLC header's end on (the PDU's first byte too). */
function withCuts(frames: Uint8Array[], from: number): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = from; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

/** netkit's line for an 802.3 frame. */
const line = (pdu: Uint8Array, verbosity = 0, link = false) =>
  summarize(new PacketDecoder().decode(llc(pdu), 1), {
    verbose: verbosity > 0,
    verbosity,
    link,
    dumpUndecoded: true,
  });

/** Whether the hooks in summary.ts and _llc_text.ts pass `link` (-e) on to osiText yet. */

Deno.test("golden: tcpdump's IS-IS, ES-IS and CLNP text", () => {
  const hello = ISIS[0], csnp = ISIS[8];
  assert.equal(
    line(hello),
    "IS-IS, L1 Lan IIH, src-id 1720.1600.1001, lan-id 1720.1600.1002.01, prio 64, length 63",
  );
  assert.equal(
    line(hello, 1),
    "IS-IS, length 63" +
      "\n\tL1 Lan IIH, hlen: 27, v: 1, pdu-v: 1, sys-id-len: 6 (0), max-area: 3 (0)" +
      "\n\t  source-id: 1720.1600.1001,  holding time: 30s, Flags: [Level 1 only]" +
      "\n\t  lan-id:    1720.1600.1002.01, Priority: 64, PDU length: 63" +
      "\n\t    Area address(es) TLV #1, length: 4" +
      "\n\t      Area address (length: 3): 49.0001" +
      "\n\t    Protocols supported TLV #129, length: 2" +
      "\n\t      NLPID(s): IPv4 (0xcc), IPv6 (0x8e)" +
      "\n\t    IPv4 Interface address(es) TLV #132, length: 4" +
      "\n\t      IPv4 interface address: 10.0.0.1" +
      "\n\t    IS Neighbor(s) TLV #6, length: 6" +
      "\n\t      SNPA: 0011.2233.4466" +
      "\n\t    Padding TLV #8, length: 10",
  );
  assert.equal(
    line(csnp, 2),
    "IS-IS, length 51" +
      "\n\tL1 CSNP, hlen: 33, v: 1, pdu-v: 1, sys-id-len: 6 (0), max-area: 3 (0)" +
      "\n\t0x0000:  8321 0100 1801 0000" +
      "\n\t  source-id:    1720.1600.1001.00, PDU length: 51" +
      "\n\t  start lsp-id: 0000.0000.0000.00-00" +
      "\n\t  end lsp-id:   ffff.ffff.ffff.ff-ff" +
      "\n\t  0x0000:  0033 1720 1600 1001 0000 0000 0000 0000" +
      "\n\t  0x0010:  00ff ffff ffff ffff ff" +
      "\n\t    LSP entries TLV #9, length: 16" +
      "\n\t      lsp-id: 1720.1600.1001.00-00, seq: 0x00000003, lifetime:  1000s, chksum: 0x1234" +
      "\n\t      0x0000:  03e8 1720 1600 1001 0000 0000 0003 1234",
  );
  const ext = lsp([
    tlv(22, extIs(10, tlv(6, ip("10.0.0.1")), tlv(9, f32(125000000)))),
    tlv(135, extIp(10, 24, hex("0a0000"))),
  ]);
  assert.equal(
    line(ext, 1),
    "IS-IS, length 62" +
      "\n\tL2 LSP, hlen: 27, v: 1, pdu-v: 1, sys-id-len: 6 (0), max-area: 3 (0)" +
      "\n\t  lsp-id: 1720.1600.1001.00-00, seq: 0x00000005, lifetime:  1199s" +
      "\n\t  chksum: 0x90b9 (correct), PDU length: 62, Flags: [ L2 IS ]" +
      "\n\t    Extended IS Reachability TLV #22, length: 23" +
      "\n\t      IS Neighbor: 1720.1600.1002.00, Metric: 10, sub-TLVs present (12)" +
      "\n\t        IPv4 interface address subTLV #6, length: 4, 10.0.0.1" +
      "\n\t        Maximum link bandwidth subTLV #9, length: 4, 1000.000 Mbps" +
      "\n\t    Extended IPv4 Reachability TLV #135, length: 8" +
      "\n\t      IPv4 prefix:        10.0.0.0/24, Distribution: up, Metric: 10",
  );
  assert.match(
    line(lsp([END], { checksum: "wrong" }), 1),
    /chksum: 0x[0-9a-f]{4} \(incorrect should be 0x[0-9a-f]{4}\)/,
  );
  assert.equal(line(ESIS[0]), "ES-IS, ISH, length 20");
  assert.equal(
    line(ESIS[2], 1),
    "ES-IS, length 24\n\tISH (4), v: 1, checksum: 0xce2f (correct), holding time: 30s, length indicator: 24" +
      "\n\t  NET (length: 10): 49.0001.1111.2222.3333.00" +
      "\n\t  ES Configuration Time Option #198, length 2, value: 600s",
  );
  assert.equal(line(DATA), "CLNP, 49.0001.1111.2222.3333.00 > 49.0001.4444.5555.6666.00, Data, length 36");
  assert.equal(
    line(CLNP[8], 1),
    "CLNP, length 71" +
      "\n\tError Report PDU, hlen: 35, v: 1, lifetime: 10.0s, Segment PDU length: 71, checksum: 0x0000 (unverified)" +
      "\n\tFlags [none]" +
      "\n\tsource address (length 10): 49.0001.1111.2222.3333.00" +
      "\n\tdest   address (length 10): 49.0001.4444.5555.6666.00" +
      "\n\t  Discard Reason Option #193, length 2, value: " +
      "\n\t    Class: Address Error (0x8), Destination address unreachable (0x0)" +
      "\n\t-----original packet-----" +
      "\n\tCLNP, length 36" +
      "\n\tData PDU, hlen: 31, v: 1, lifetime: 10.0s, Segment PDU length: 36, checksum: 0x0000 (unverified)" +
      "\n\tFlags [none]" +
      "\n\tsource address (length 10): 49.0001.1111.2222.3333.00" +
      "\n\tdest   address (length 10): 49.0001.4444.5555.6666.00" +
      "\n\t  undecoded non-header data, length 5" +
      "\n\t  0x0000:  0102 0304 05",
  );
  assert.equal(line(hex("55 01020304")), "OSI NLPID 0x55 unknown, length: 5\n\t0x0000:  5501 0203 04");
});

Deno.test("osiText: -e names the NLPID first and leaves out the protocol's name", () => {
  const e = (p: Uint8Array, verbosity = 0) => osiText(p, p.length, { verbosity, link: true })?.text;
  assert.equal(e(ISIS[9]), "OSI NLPID IS-IS (0x83): L2 PSNP, src-id 1720.1600.1001.00, length 35");
  assert.equal(e(ESIS[0]), "OSI NLPID ES-IS (0x82): ISH, length 20");
  assert.equal(
    e(DATA),
    "OSI NLPID CLNP (0x81): 49.0001.1111.2222.3333.00 > 49.0001.4444.5555.6666.00, Data, length 36",
  );
  assert.equal(e(hex("00 01")), "OSI NLPID NULL (0x00): length: 2");
  assert.equal(e(hex("55 01")), "OSI NLPID Unknown (0x55): length: 2\n\t0x0000:  5501");
  assert.match(e(ISIS[9], 1) ?? "", /^OSI NLPID IS-IS \(0x83\): length 35\n\tL2 PSNP, /);
});

Deno.test("osiText: reads past the capture are long jumps, tcpdump's own length checks are not", () => {
  const at = (p: Uint8Array, n: number, verbosity = 1) => osiText(p.subarray(0, n), p.length, { verbosity });
  // The IS-IS headers are checked whole first: no jump.
  assert.deepEqual(at(ISIS[0], 5), { text: " [|isis]", jump: false });
  assert.deepEqual(at(ISIS[0], 20), {
    text:
      "IS-IS, length 63\n\tL1 Lan IIH, hlen: 27, v: 1, pdu-v: 1, sys-id-len: 6 (0), max-area: 3 (0) [|isis]",
    jump: false,
  });
  // A TLV header is checked, its value read.
  const hostname = lsp([tlv(137, text("router"))]);
  assert.equal(at(hostname, 28)?.jump, false);
  assert.deepEqual(at(hostname, 31)?.jump, true);
  assert.match(at(hostname, 31)?.text ?? "", /Hostname: ro \[\|isis\]$/);
  // An IS neighbor's 6 bytes are checked before they are read.
  assert.deepEqual(at(ISIS[0], 60)?.jump, false);
  // ES-IS checks each address before it reads it.
  assert.deepEqual(at(ESIS[0], 12, 0), { text: "ES-IS, ISH, length 20", jump: false });
  assert.deepEqual(at(ESIS[0], 12), {
    text:
      "ES-IS, length 20\n\tISH (4), v: 1, checksum: 0x0000 (unverified), holding time: 30s, length indicator: 20" +
      " [|esis]",
    jump: false,
  });
  assert.deepEqual(at(DATA, 4), { text: " [|clnp]", jump: false });
  assert.deepEqual(osiText(zeros(0), 5, { verbosity: 0 }), { text: " [|isoclns]", jump: true });
  // An 802.3 frame's padding is not the PDU's: the length bounds the captured bytes.
  assert.deepEqual(osiText(cat(hex("8209010000"), zeros(40)), 5, { verbosity: 1 }), {
    text: "ES-IS [|esis]",
    jump: false,
  });
  // Q.933 and PPP behind OSI are left to the caller, as is an IP packet without a printer.
  assert.equal(osiText(hex("08 0102"), 3, { verbosity: 0 }), null);
  assert.equal(osiText(hex("cf c021"), 3, { verbosity: 0 }), null);
  assert.equal(osiText(hex("cc 45"), 2, { verbosity: 0 }), null);
  assert.deepEqual(
    osiText(hex("cc 45"), 2, { verbosity: 0, link: true, network: () => ({ text: "IP", jump: true }) }),
    { text: "OSI NLPID IPv4 (0xcc): IP", jump: true },
  );
});

Deno.test("osiText: no input throws, at any verbosity", () => {
  let seed = 1;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  for (const p of PDUS) {
    for (let k = 0; k < 20; k++) {
      const m = p.slice();
      for (let j = 0; j < 3; j++) m[rand() % m.length] = rand() & 255;
      for (const verbosity of [0, 1, 2]) {
        for (const n of [m.length, rand() % (m.length + 1)]) {
          osiText(m.subarray(0, n), m.length, { verbosity });
        }
      }
    }
  }
});

testIf(
  "OSI PDUs over 802.3 print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(PDUS.map(llc), 17);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "OSI PDUs over 802.3 cut at every length: -x dumps the frame after a long jump, the PDU otherwise",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(PDUS.map(llc), 17);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);

testIf(
  "OSI PDUs over PPP print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts([...ISIS.slice(0, 12), ...ESIS.slice(0, 6), ...CLNP.slice(0, 10)].map(ppp), 4);
    const flags = [...FLAGS, ...HEX_FLAGS];
    assert.equal(await compareFramesWithTcpdump(frames, flags, 9), frames.length * flags.length);
  },
);

testIf(
  "osiText with link: true prints what tcpdump -e prints after the LLC header",
  needCommands("tcpdump"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-osi-" });
    try {
      const file = `${dir}/e.pcap`;
      const frames = withCuts(PDUS.map(llc), 17);
      Deno.writeFileSync(file, pcapBytes(1, frames));
      for (const verbosity of [0, 1, 2]) {
        const want = await tcpdumpRead(file, ["-e", ...(verbosity ? ["-" + "v".repeat(verbosity)] : [])]);
        frames.forEach((f, i) => {
          const cut = want[i].indexOf("ctrl 0x03: ");
          // Frames cut inside the LLC header print no OSI text.
          if (cut < 0) return;
          const pdu = f.data.subarray(17), len = (f.data[12] << 8 | f.data[13]) - 3;
          const got = osiText(pdu, len, {
            verbosity,
            link: true,
            network: () => ({
              text: want[i].slice(cut + 11 + "OSI NLPID IPv4 (0xcc): ".length),
              jump: false,
            }),
          });
          assert.equal(got?.text, want[i].slice(cut + 11), `-e -v${verbosity} #${i + 1}`);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testIf(
  "OSI PDUs print as tcpdump -e prints them, over 802.3 and PPP",
  needCommands("tcpdump"),
  async () => {
    const flags = [["-e"], ["-e", "-v"], ["-e", "-vv", "-x"]];
    const frames = withCuts(PDUS.map(llc), 17);
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
    const pppFrames = withCuts([...ISIS.slice(0, 12), ...ESIS.slice(0, 6), ...CLNP.slice(0, 10)].map(ppp), 4);
    assert.equal(await compareFramesWithTcpdump(pppFrames, flags, 9), pppFrames.length * flags.length);
  },
);
