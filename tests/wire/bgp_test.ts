/**
 * BGP over TCP port 179: tcpdump 4.99's text over hand-built segments (OPEN with every capability it decodes
 * and some it does not, KEEPALIVE, UPDATE with every path attribute it decodes, MP_REACH/MP_UNREACH for the
 * address families it knows, NOTIFICATION codes and shutdown communications, ROUTE-REFRESH, unknown types,
 * lengths that do not add up, several messages in a segment, a message split across segments), whole and
 * cut at every length, compared line by line with `-x` (where the dump starts tells a long jump from
 * tcpdump's own checks).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitTcp, TcpFlag } from "../../lib/wire/tcp.ts";
import { bgpText } from "../../lib/wire/_bgp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const b = (...v: number[]) => new Uint8Array(v);
const u16 = (n: number) => b(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const EMPTY = new Uint8Array(0);

/** A message: marker, length (header included, unless given), type, body. */
const msg = (type: number, body: Uint8Array = EMPTY, len?: number) =>
  cat(new Uint8Array(16).fill(0xff), u16(len ?? body.length + 19), b(type), body);
const KEEPALIVE = msg(4);

/** OPEN: version 4, my AS, hold time, BGP ID, optional parameters (their length unless given). */
const open = (as: number, hold: number, id: string, params: Uint8Array, optLen?: number, version = 4) =>
  msg(1, cat(b(version), u16(as), u16(hold), hex(id), b(optLen ?? params.length), params));
const param = (type: number, v: Uint8Array, len?: number) => cat(b(type, len ?? v.length), v);
const cap = (code: number, v: Uint8Array = EMPTY, len?: number) => cat(b(code, len ?? v.length), v);
const caps = (...c: Uint8Array[]) => param(2, cat(...c));

/** A path attribute: flags, type, length (2 bytes with the extended-length flag 0x10), value. */
const attr = (flags: number, type: number, v: Uint8Array, len?: number) =>
  flags & 0x10 ? cat(b(flags, type), u16(len ?? v.length), v) : cat(b(flags, type, len ?? v.length), v);

/** UPDATE: withdrawn routes, path attributes, NLRI (the two lengths unless given). */
const update = (
  withdrawn: Uint8Array,
  attrs: Uint8Array,
  nlri: Uint8Array = EMPTY,
  wlen?: number,
  alen?: number,
) => msg(2, cat(u16(wlen ?? withdrawn.length), withdrawn, u16(alen ?? attrs.length), attrs, nlri));

const notification = (major: number, minor: number, data: Uint8Array = EMPTY) =>
  msg(3, cat(b(major, minor), data));

const ORIGIN = attr(0x40, 1, b(0));
const NEXT_HOP = attr(0x40, 3, hex("0a000001"));
const V6 = "20010db8000000000000000000000001";
const LL = "fe800000000000000211223344556677";

/** An MP_REACH_NLRI value: AFI, SAFI, next hop, SNPAs (none unless given), NLRI. */
const mpReach = (afi: number, safi: number, nh: Uint8Array, nlri: Uint8Array, snpa: Uint8Array = b(0)) =>
  attr(0x90, 14, cat(u16(afi), b(safi, nh.length), nh, snpa, nlri));
const mpUnreach = (afi: number, safi: number, nlri: Uint8Array = EMPTY) =>
  attr(0x90, 15, cat(u16(afi), b(safi), nlri));

const v4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const v6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const ETH = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const PA = TcpFlag.PSH | TcpFlag.ACK;

/** An Ethernet/IPv4/TCP segment carrying `data`, to port 179 unless from it. */
const seg = (data: Uint8Array, sport = 179, dport = 52000, seq = 1000) =>
  emitEthernet(
    { ...ETH, ethertype: 0x0800 },
    emitIpv4(
      { ...v4, proto: 6 },
      emitTcp({ srcPort: sport, dstPort: dport, seq, ack: 7, flags: PA }, data, v4),
    ),
  );
const seg6 = (data: Uint8Array) =>
  emitEthernet(
    { ...ETH, ethertype: 0x86dd },
    emitIpv6(
      { ...v6, proto: 6 },
      emitTcp({ srcPort: 40001, dstPort: 179, seq: 5, ack: 9, flags: PA }, data, v6),
    ),
  );

const TYPICAL_OPEN = open(
  65001,
  180,
  "0a000001",
  caps(
    cap(1, hex("00010001")),
    cap(1, hex("00020001")),
    cap(128),
    cap(2),
    cap(70),
    cap(65, u32(4200000001)),
    cap(64, hex("4078 00010180 00020100")),
    cap(69, hex("00010103 00020101")),
    cap(6),
    cap(73, cat(b(7), text("router1"), b(11), text("example.net"))),
    cap(71),
  ),
);

const TYPICAL_UPDATE = update(
  EMPTY,
  cat(
    ORIGIN,
    attr(0x40, 2, hex("0203 0000fde9 0000fdea 00010000")),
    NEXT_HOP,
    attr(0x80, 4, u32(0)),
    attr(0x40, 5, u32(100)),
    attr(0xc0, 8, hex("fde90064 ffffff01 00010002")),
  ),
  hex("18c0a801 10ac10 08 0a 20 01020304"),
);

const V6_UPDATE = update(
  EMPTY,
  cat(
    attr(0x40, 1, b(2)),
    attr(0x50, 2, hex("0201 0000fde9")),
    mpReach(2, 1, hex(V6 + LL), hex("40 20010db800010000 30 20010db80002 00 80" + V6)),
  ),
);

/** Extended communities: every type with a printer, and some without. */
const EXT_COMMS = attr(
  0xd0,
  16,
  hex(
    "0002 fde9 00000064" + "0102 0a000001 0064" + "0202 0001fde9 0005" + "0003 fde9 00000001" +
      "0103 0a000001 0002" + "0203 0001fde9 0007" + "000a fde9 00000003" + "f10a 0a000002 0009" +
      "010b 0a000003 000a" + "4004 fde9 4b7f0000" + "4004 fde9 3f800000" + "4004 fde9 00000000" +
      "4004 fde9 7f800000" + "4004 fde9 ff800001" + "4004 fde9 7fffffff" + "4004 fde9 7f7fffff" +
      "4004 0000 3d000000" + "4004 fde9 00000001" + "4004 fde9 45f42400" + "4004 fde9 46b71b00" +
      "4004 fde9 bf800000" + "4004 fde9 7fc00000" +
      "0005 0a000004 0000" + "0105 0a000005 0000" + "0205 01020304 0506" + "8005 0a000006 0000" +
      "0107 0a000007 0000" + "8001 0a000008 0000" + "0306 00000000 0101" + "0306 00000001 0500" +
      "8000 00000002 0700" + "0306 00000003 8100" + "0306 00000004 0401" + "800a 13 80 05dc 0000" +
      "800a ff 00 0100 0000" + "0009 fde9 00000000" + "030c 00000000 0008" + "030c 00000000 00ff" +
      "8800 00000000 0000" + "8805 01020304 0506" + "0000 01020304 0506" + "c0ff 01020304 0506" +
      "4001 aabbccdd eeff",
  ),
);

/** Every path attribute of an IPv4 UPDATE in one message, withdrawn routes and NLRI too. */
const ALL_ATTRS = update(
  hex("180a0100 20 0a000001 00 0f 0a02"),
  cat(
    attr(0x40, 1, b(1)),
    attr(0x50, 2, hex("0202 fde9 fdea 0101 fdeb 0302 0001 0002 0401 0003")),
    NEXT_HOP,
    attr(0x80, 4, u32(4294967295)),
    attr(0x40, 5, u32(0)),
    attr(0x40, 6, EMPTY),
    attr(0xc0, 7, hex("fde9 0a000009")),
    attr(0xc0, 8, hex("ffffff01 ffffff02 ffffff03 0000ffff ffff0000 ffffff04")),
    attr(0x80, 9, hex("01010101")),
    attr(0x80, 10, hex("02020202 03030303 04040404")),
    EXT_COMMS,
    attr(0xc0, 17, hex("0202 0001000a 0001000b 0101 fffffffe")),
    attr(0xc0, 18, hex("0001000a 0a00000a")),
    attr(0xc0, 32, hex("0001000a 00000001 00000002 ffffffff ffffffff ffffffff")),
    attr(0xc0, 11, hex("0001")),
    attr(0xe0, 99, hex("0102030405")),
    attr(0x07, 250, EMPTY),
    attr(0xff, 255, hex("ab")),
  ),
  hex("18c0a801 1010 00"),
);

/** Attributes whose length does not fit their type. */
const BAD_ATTRS = update(
  EMPTY,
  cat(
    attr(0x40, 1, b(0, 0)),
    attr(0x40, 1, b(7)),
    attr(0x40, 2, hex("020100")),
    attr(0x40, 2, EMPTY),
    attr(0x40, 3, hex("0a0000")),
    attr(0x80, 4, hex("0000")),
    attr(0x40, 5, hex("0000000000")),
    attr(0x40, 6, b(1)),
    attr(0xc0, 7, hex("fde90a00")),
    attr(0xc0, 7, hex("0001fde90a000001")),
    attr(0xc0, 18, hex("fde90a000001")),
    attr(0xc0, 8, hex("000100")),
    attr(0x80, 9, hex("01")),
    attr(0x80, 10, hex("020202")),
    attr(0xc0, 16, hex("0002fde900")),
    attr(0xc0, 32, EMPTY),
    attr(0xc0, 32, hex("00000001")),
    attr(0x40, 2, hex("0501 fde9")),
    attr(0x40, 2, hex("0203 0001 0002")),
    attr(0x00, 1, b(2)),
    attr(0x00, 99, b(2)),
  ),
);

const FRAMES: Uint8Array[] = [
  seg(TYPICAL_OPEN),
  seg(KEEPALIVE, 52000, 179),
  seg(TYPICAL_UPDATE),
  seg(V6_UPDATE),
  seg(notification(6, 2, cat(b(27), text("maintenance, back in 10 min")))),
  seg6(cat(TYPICAL_OPEN, KEEPALIVE)),
  // Several messages in one segment, and a message split over two.
  seg(cat(KEEPALIVE, KEEPALIVE, TYPICAL_UPDATE, KEEPALIVE)),
  seg(cat(KEEPALIVE, TYPICAL_UPDATE.subarray(0, 40))),
  seg(cat(TYPICAL_UPDATE.subarray(40), KEEPALIVE)),
  seg(cat(KEEPALIVE, ALL_ATTRS.subarray(0, 18))),
  seg(cat(KEEPALIVE, new Uint8Array(16).fill(0xff), b(0))),
  seg(cat(KEEPALIVE, new Uint8Array(15).fill(0xff))),
  seg(cat(hex("00ff01"), new Uint8Array(20).fill(0xff), b(0, 19, 4))),
  seg(cat(KEEPALIVE, msg(99, EMPTY).subarray(0, 30), b(0))),
  seg(hex("0102030405")),
  // Ethernet padding after the IP datagram is not read: a marker at its end finds no length.
  cat(seg(new Uint8Array(16).fill(0xff)), hex("0013 04 0000")),
  cat(seg(hex("00")), new Uint8Array(16).fill(0xff), hex("0013 04")),
  // Header lengths below 19, and a message of an unknown type that claims more than was sent.
  seg(msg(4, EMPTY, 18)),
  seg(cat(KEEPALIVE, msg(4, EMPTY, 0))),
  seg(msg(4, hex("0000"), 19)),
  seg(msg(4, hex("0102 0304"))),
  seg(msg(7, hex("0102 0304 05"))),
  seg(msg(0, EMPTY)),
  seg(msg(255, new Uint8Array(40).map((_, i) => i))),
  seg(msg(2, EMPTY, 60)),
  // OPEN: capabilities tcpdump decodes, others, and malformed ones.
  seg(
    open(23456, 90, "c0a80001", cat(caps(cap(1, hex("00010001"))), caps(cap(2)), caps(cap(65, u32(65536))))),
  ),
  seg(open(
    65535,
    0,
    "ffffffff",
    caps(
      cap(1, hex("0002 00 04")),
      cap(1, hex("0001 00 80")),
      cap(1, hex("0003 00 85 ff")),
      cap(1, hex("00c4 00 41")),
      cap(1, hex("0019 00 41")),
      cap(1, hex("1234 00 09")),
      cap(8, hex("00010401 00020402 01")),
      cap(64, hex("0000")),
      cap(64, hex("8fff 00010100 0002017f 0001")),
      cap(69, hex("00010100 00010104 0002 01")),
      cap(3, hex("0001000101")),
      cap(4),
      cap(5, hex("000100010002")),
      cap(67, hex("01")),
      cap(68),
      cap(0),
      cap(255, new Uint8Array(20).map((_, i) => i)),
    ),
  )),
  seg(open(1, 3, "01020304", caps(cap(1, hex("0001"))))),
  seg(open(1, 3, "01020304", cat(caps(cap(64, hex("80"))), caps(cap(65, hex("0001")))))),
  seg(open(1, 3, "01020304", cat(caps(cap(69)), caps(cap(2))))),
  seg(open(1, 3, "01020304", cat(param(1, hex("0102")), param(9, EMPTY), caps(cap(2))))),
  seg(open(1, 3, "01020304", cat(caps(cap(2)), param(2, hex("0200"), 9)))),
  seg(open(1, 3, "01020304", caps(cap(2), cap(65, u32(7), 6)))),
  seg(cat(open(1, 3, "01020304", caps(cap(2)), 9), KEEPALIVE)),
  seg(open(1, 3, "01020304", caps(cap(2)), 40)),
  seg(open(1, 3, "01020304", EMPTY, 0, 3)),
  seg(msg(1, hex("04 0001 0003 01020304"))),
  seg(cat(msg(1, hex("04 0001 0003 01020304")), KEEPALIVE)),
  seg(open(1, 3, "01020304", caps(cap(65, u32(9), 60)))),
  seg(open(1, 3, "01020304", caps(cap(65, u32(9)), cap(2, EMPTY, 9)))),
  // UPDATE: every attribute, lengths that do not fit, flags.
  seg(ALL_ATTRS),
  seg(BAD_ATTRS),
  seg(update(EMPTY, EMPTY)),
  seg(update(EMPTY, cat(attr(0x40, 1, b(0)), attr(0x00, 3, hex("0a000001"))), hex("00"))),
  seg(update(hex("00"), EMPTY)),
  seg(update(hex("00"), EMPTY, EMPTY, 1)),
  seg(update(hex("1801"), EMPTY)),
  seg(update(hex("21 0a000000 00"), EMPTY)),
  seg(update(hex("18 0a0a0a 00"), EMPTY, hex("21 0a000000"))),
  seg(update(hex("19 0a0a0a80 1f ffffffff"), EMPTY, hex("09 ff 0f ffff 17 ffffff"))),
  seg(update(hex("18 0a0a"), EMPTY)),
  seg(update(EMPTY, EMPTY, hex("18 0a0a"))),
  seg(update(hex("18 0a0a0a"), EMPTY, EMPTY, 40)),
  seg(update(EMPTY, ORIGIN, EMPTY, undefined, 40)),
  seg(update(EMPTY, cat(ORIGIN, b(0x40)))),
  seg(update(EMPTY, cat(ORIGIN, b(0x50, 2, 0)))),
  seg(update(EMPTY, cat(ORIGIN, attr(0x40, 3, hex("0a000001"), 9)))),
  seg(update(EMPTY, cat(ORIGIN, attr(0x40, 3, hex("0a000001"), 9)), hex("0a0b0c0d0e"))),
  seg(cat(update(EMPTY, cat(ORIGIN, attr(0x40, 2, hex("0209 fde9")))), KEEPALIVE, KEEPALIVE)),
  seg(update(EMPTY, attr(0x40, 2, hex("0209 fde9")))),
  seg(update(EMPTY, attr(0x40, 2, hex("0201 0001 0201 0002 0101")))),
  seg(update(EMPTY, attr(0x40, 2, hex("0201 00010000 0202 00020000 00030000")))),
  seg(update(EMPTY, attr(0x40, 2, hex("0200 0200")))),
  seg(update(EMPTY, attr(0x50, 17, hex("0201 000a")))),
  seg(update(EMPTY, attr(0x40, 2, hex("0000 0a0b")))),
  seg(update(EMPTY, attr(0xc0, 8, hex("fde90001 fde90002")))),
  // ADD-PATH (RFC 7911) withdrawn routes and NLRI, and NLRI that only look like it.
  seg(update(hex("00000001 18 0a0000 00000002 00"), ORIGIN, hex("00000005 18 c0a801 00000006 20 01020304"))),
  seg(update(hex("00000001 18 0a00"), EMPTY)),
  seg(update(EMPTY, EMPTY, hex("00000001 18 0a0000 00"))),
  seg(update(EMPTY, EMPTY, hex("00 00 00 00 00"))),
  seg(update(hex("00 00 00 00 00"), EMPTY)),
  // MP_REACH_NLRI and MP_UNREACH_NLRI.
  seg(update(EMPTY, mpUnreach(2, 1))),
  seg(update(EMPTY, mpUnreach(1, 1))),
  seg(update(EMPTY, mpUnreach(2, 1, hex("40 20010db800010000 80" + V6)))),
  seg(update(EMPTY, mpUnreach(1, 2, hex("18 e00001")))),
  seg(update(EMPTY, mpUnreach(1, 128, hex("70 000011 0000fde900000001 0a0001")))),
  seg(update(EMPTY, mpReach(1, 1, hex("0a000001"), hex("18 c0a801 10 ac10")))),
  seg(update(EMPTY, mpReach(1, 2, hex("0a000001 0a000002"), hex("04 e0")))),
  seg(update(EMPTY, mpReach(1, 1, hex("0a0000"), hex("18 c0a801")))),
  seg(update(EMPTY, mpReach(2, 1, hex(V6), hex("81 00")))),
  seg(update(EMPTY, mpReach(2, 2, hex(V6 + "00"), hex("08 ff")))),
  seg(update(EMPTY, mpReach(2, 1, hex(V6), hex("40 20010db8"), hex("02 03 aabbcc 00")))),
  seg(update(EMPTY, mpReach(2, 1, hex(V6), EMPTY, hex("01 09 aabbcc")))),
  seg(update(EMPTY, mpReach(2, 1, hex(V6), hex("00000001 40 20010db800000001 00000002 00")))),
  seg(update(EMPTY, mpReach(1, 1, hex("0a000001"), hex("00000001 18 0a0000 00000007 00")))),
  seg(update(EMPTY, mpReach(1, 4, hex("0a000001"), hex("38 000641 0a0b0c 38 000640 0a0b 10 0001")))),
  seg(update(EMPTY, mpReach(2, 4, hex(V6), hex("58 000c81 20010db80001 90 00")))),
  seg(update(
    EMPTY,
    mpReach(
      1,
      128,
      hex("0000000000000000 0a000001"),
      hex(
        "70 000011 0000fde900000064 0a0001 78 000020 00010a0000010005 0a000200 60 000031 00020001fde90007 50",
      ),
    ),
  )),
  seg(update(
    EMPTY,
    mpReach(
      2,
      128,
      hex("0000000000000000" + V6),
      hex("88 000011 0003000000000001 20010db80001 98 000021 0000000100000001 20010db800010002"),
    ),
  )),
  seg(update(EMPTY, mpReach(1, 128, hex("0a000001"), hex("20 000011")))),
  seg(update(
    EMPTY,
    mpReach(
      1,
      132,
      hex("0a000001"),
      hex(
        "00 20 0000fde9 60 0000fde9 0002fde900000064 58 0000fde9 0102 0a000001 00 50 0001fde9 0202 0000fde9" +
          "2c 0000fde9 0002 0f 10 0000fde9 00 61",
      ),
    ),
  )),
  seg(update(
    EMPTY,
    mpReach(1, 66, hex("0a000001"), hex("80 0000fde900000001 0a000001 e8000001 70 00")),
  )),
  seg(update(
    EMPTY,
    mpReach(
      1,
      5,
      hex("0a000001"),
      hex(
        "01 0c 0000fde900000001 0a000001" + "02 0c 0001 0a000001 0002 0000fde9" +
          "03 16 0000fde900000002 20 0a000002 20 e8000001 0a000003" +
          "05 0e 0000fde900000003 20 0a000004 00" +
          "06 16 0000fde900000004 0000fde9 20 0a000005 20 e8000002" +
          "07 0c 0000fde900000005 0000fde9 00 00" +
          "04 02 abcd" + "09 00" + "01 0d 0000fde900000001 0a000001 ff",
      ),
    ),
  )),
  seg(update(
    EMPTY,
    mpReach(
      25,
      65,
      hex("0a000001"),
      hex(
        "0013 0000fde900000001 0001 0000 0003e8 01 0008 a5" + "000c 0000fde900000002 0a000002" +
          "0011 0000fde900000001 0001 0000 0003e8 00" +
          "0019 0000fde900000003 0002 0001 000641 01 000b ffe0" + "0010 0000fde900000004 0001",
      ),
    ),
  )),
  ...[
    "001a 0000fde900000001 0001 0002 000641 02 0010 01 0004 f0 0000 00 0000",
    "0014 0001 0a000001 0005 0001 0002 000641 01 0008 ab cd",
    "0013 0002 0001fde9 0007 0001 0002 000641 01 0010 ab",
    "0012 0002 0001fde9 0007 0001 0002 000641 09 0000",
    "0076 0000fde900000001 0001 0002 000641 01 0320" + "5a".repeat(100),
    "0073 0000fde900000001 0001 0002 000641 01 0308" + "5a".repeat(97),
    "0040 0000fde900000001 0001 0002 000641 07 0001 08 0002 09 0003 0a 0004 0b 0005 0c 0006 0d 0007 0e 0008 0f0009",
  ].map((nlri) => seg(update(EMPTY, mpReach(196, 128, hex("0a000001"), hex(nlri))))),
  seg(update(
    EMPTY,
    mpReach(
      1,
      5,
      hex("0a000001"),
      hex(
        "07 2e 0002fffffffeffff ffffffff 80" + "ff".repeat(16) + "80" + "fe".repeat(16) +
          "01 06 0000fde900000001",
      ),
    ),
  )),
  seg(update(EMPTY, mpReach(3, 1, hex("47000580ffff0000000001"), hex("28 49000102 03040506 0708")))),
  seg(
    update(
      EMPTY,
      mpReach(3, 128, hex("0000fde900000001 47000601 0a000001"), hex("60 000011 0000fde900000001 49")),
    ),
  ),
  seg(update(
    EMPTY,
    mpReach(3, 128, hex("0000fde900000001 350000" + V6), EMPTY),
  )),
  seg(update(EMPTY, mpReach(99, 1, hex("01020304"), hex("0a0b")))),
  seg(update(EMPTY, mpReach(1, 200, hex("01020304"), hex("0a0b")))),
  seg(update(EMPTY, mpUnreach(16388, 70, hex("0102")))),
  seg(update(EMPTY, attr(0x90, 14, hex("0002")))),
  seg(update(EMPTY, attr(0x90, 14, hex("000201")))),
  seg(update(EMPTY, attr(0x90, 14, hex("000201 10 20010db8")))),
  seg(update(EMPTY, attr(0x90, 14, cat(hex("000201 10"), hex(V6))))),
  seg(update(EMPTY, attr(0x90, 15, hex("0002")))),
  seg(update(EMPTY, attr(0x90, 15, EMPTY))),
  // Other attributes tcpdump decodes.
  seg(update(
    EMPTY,
    cat(
      attr(0xc0, 22, hex("01 04 000641 0a000001 00000007")),
      attr(0xc0, 22, hex("00 02 000000 0a000002 00000008")),
      attr(0xc0, 22, hex("00 03 000000 0a000003 e8000001")),
      attr(0xc0, 22, hex("00 04 000000 0a000004 e8000002")),
      attr(0xc0, 22, hex("00 06 000000 0a000005")),
      attr(0xc0, 22, hex("00 09 000000 0102")),
      attr(0x80, 26, hex("01 000b 00000000000003e8 02 0005 abcd")),
      attr(0x80, 26, hex("01 0003")),
      attr(
        0xc0,
        128,
        cat(u32(65001), ORIGIN, attr(0x50, 2, hex("0201 fde9")), attr(0x00, 9, hex("01020304"))),
      ),
      attr(0xc0, 128, cat(u32(65001), hex("40"))),
      attr(0xc0, 128, cat(u32(65001), hex("50 01 00"))),
      attr(0xc0, 128, cat(u32(65001), hex("40 01 05 00"))),
    ),
  )),
  seg(update(EMPTY, attr(0xc0, 22, hex("00 07 000000 0a000006")))),
  seg(update(EMPTY, attr(0x80, 26, hex("01 000a 00000000000003")))),
  seg(update(EMPTY, attr(0xc0, 128, hex("0000fde9 00")))),
  seg(update(EMPTY, attr(0xc0, 128, hex("0000")))),
  seg(update(EMPTY, [...Array(12)].reduce<Uint8Array>((v, _, i) => attr(0xd0, 128, cat(u32(i), v)), ORIGIN))),
  // NOTIFICATION: every code, subcodes, maximum prefixes, shutdown communications.
  ...[[1, 1], [1, 2], [1, 3], [1, 0], [2, 1], [2, 2], [2, 3], [2, 4], [2, 5], [2, 6], [2, 7], [2, 8]].map(
    ([x, y]) => seg(notification(x, y)),
  ),
  ...[[3, 1], [3, 11], [3, 12], [4, 0], [5, 0], [5, 3], [5, 4], [6, 0], [6, 3], [6, 5], [6, 6], [6, 7], [
    6,
    8,
  ]]
    .map(([x, y]) => seg(notification(x, y))),
  ...[[7, 1], [7, 2], [7, 3], [7, 4], [7, 5], [8, 1], [0, 0], [255, 255]].map(([x, y]) =>
    seg(notification(x, y))
  ),
  seg(notification(6, 1, hex("00010100 0003e8"))),
  seg(notification(6, 1, hex("00020100 0003e8 ff"))),
  seg(notification(6, 1, hex("000201"))),
  seg(notification(6, 2, b(0))),
  seg(notification(6, 4, hex("00 abcd"))),
  seg(notification(6, 4, hex("05 68656c6c6f 0102"))),
  seg(notification(6, 2, hex("06 68656c6c6f"))),
  seg(notification(6, 2, cat(b(6), text("h\u00e9\x01\x7f")))),
  seg(notification(6, 2, cat(b(255), new Uint8Array(255).fill(0x61)))),
  seg(notification(6, 2, cat(b(255), new Uint8Array(255).fill(0x62), hex("0102")))),
  seg(notification(6, 2, cat(b(128), new Uint8Array(128).fill(0x63)))),
  seg(notification(2, 2, hex("fde9"))),
  seg(msg(3, b(6))),
  seg(cat(msg(3, b(6), 20), b(2))),
  seg(msg(3, EMPTY)),
  // ROUTE-REFRESH, Enhanced Route Refresh (RFC 7313) subtypes, too short.
  seg(msg(5, hex("0001 00 01"))),
  seg(cat(msg(5, hex("0002 01 01")), msg(5, hex("0002 02 01")), msg(5, hex("0019 00 41 00")))),
  seg(msg(5, hex("0001 00"))),
  seg(cat(msg(5, hex("0001 00"), 22), b(9))),
  seg(msg(5, hex("1234 00 99"))),
];

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"]];

/** Where the TCP data starts in a frame built by {@link seg} or {@link seg6}. */
const dataAt = (f: Uint8Array) => (f[12] === 0x86 ? 74 : 54);
const data = (f: Uint8Array) => f.subarray(dataAt(f));
const text1 = (m: Uint8Array, verbosity = 1) => bgpText(m, m.length, { verbosity }).text;

Deno.test("golden: tcpdump's BGP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 1) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity });
  assert.equal(
    at(FRAMES[1], 0),
    "IP 10.0.0.1.52000 > 10.0.0.2.179: Flags [P.], seq 1000:1019, ack 7, win 65535, length 19: BGP",
  );
  assert.equal(
    at(FRAMES[1]).split("\n").slice(1).join("\n"),
    [
      "    10.0.0.1.52000 > 10.0.0.2.179: Flags [P.], cksum 0xc7e1 (correct), seq 1000:1019, ack 7, win 65535, " +
      "length 19: BGP",
      "\tKeepalive Message (4), length: 19",
    ].join("\n"),
  );
  assert.equal(
    text1(data(FRAMES[0])),
    [
      ": BGP",
      "\tOpen Message (1), length: 103",
      "\t  Version 4, my AS 65001, Holdtime 180s, ID 10.0.0.1",
      "\t  Optional parameters, length: 74",
      "\t    Option Capabilities Advertisement (2), length: 72",
      "\t      Multiprotocol Extensions (1), length: 4",
      "\t\tAFI IPv4 (1), SAFI Unicast (1)",
      "\t      Multiprotocol Extensions (1), length: 4",
      "\t\tAFI IPv6 (2), SAFI Unicast (1)",
      "\t      Route Refresh (Cisco) (128), length: 0",
      "\t      Route Refresh (2), length: 0",
      "\t      Enhanced Route Refresh (70), length: 0",
      "\t\tno decoder for Capability 70",
      "\t      32-Bit AS Number (65), length: 4",
      "\t\t 4 Byte AS 4200000001",
      "\t      Graceful Restart (64), length: 10",
      "\t\tRestart Flags: [none], Restart Time 120s",
      "\t\t  AFI IPv4 (1), SAFI Unicast (1), Forwarding state preserved: yes",
      "\t\t  AFI IPv6 (2), SAFI Unicast (1), Forwarding state preserved: no",
      "\t      Multiple Paths (69), length: 8",
      "\t\tAFI IPv4 (1), SAFI Unicast (1), Send/Receive: Both",
      "\t\tAFI IPv6 (2), SAFI Unicast (1), Send/Receive: Receive",
      "\t      Unknown (6), length: 0",
      "\t\tno decoder for Capability 6",
      "\t      Unknown (73), length: 20",
      "\t\tno decoder for Capability 73",
      "\t\t0x0000:  0772 6f75 7465 7231 0b65 7861 6d70 6c65",
      "\t\t0x0010:  2e6e 6574",
      "\t      Long-lived Graceful Restart (71), length: 0",
    ].join("\n"),
  );
  // -vv follows each capability with its bytes.
  assert.ok(text1(data(FRAMES[0]), 2).includes("\n\t\t 4 Byte AS 4200000001\n\t\t0x0000:  fa56 ea01\n"));
  // A 4-byte AS_PATH (a 2-byte reading does not fit the attribute), communities, the well-known one by name.
  assert.equal(
    text1(data(FRAMES[2])),
    [
      ": BGP",
      "\tUpdate Message (2), length: 94",
      "\t  Origin (1), length: 1, Flags [T]: IGP",
      "\t  AS Path (2), length: 14, Flags [T]: 65001 65002 65536 ",
      "\t  Next Hop (3), length: 4, Flags [T]: 10.0.0.1",
      "\t  Multi Exit Discriminator (4), length: 4, Flags [O]: 0",
      "\t  Local Preference (5), length: 4, Flags [T]: 100",
      "\t  Community (8), length: 12, Flags [OT]: 65001:100,  NO_EXPORT1:2",
      "\t  Updated routes:",
      "\t    192.168.1.0/24",
      "\t    172.16.0.0/16",
      "\t    10.0.0.0/8",
      "\t    1.2.3.4/32",
    ].join("\n"),
  );
  assert.equal(
    text1(data(FRAMES[3])),
    [
      ": BGP",
      "\tUpdate Message (2), length: 112",
      "\t  Origin (1), length: 1, Flags [T]: Incomplete",
      "\t  AS Path (2), length: 6, Flags [TE]: 65001 ",
      "\t  Multi-Protocol Reach NLRI (14), length: 71, Flags [OE]: ",
      "\t    AFI: IPv6 (2), SAFI: Unicast (1)",
      "\t    nexthop: 2001:db8::1, fe80::211:2233:4455:6677, nh-length: 32, no SNPA",
      "\t      2001:db8:1::/64",
      "\t      2001:db8:2::/48",
      "\t      ::/0",
      "\t      2001:db8::1/128",
    ].join("\n"),
  );
  assert.equal(
    text1(data(FRAMES[4])),
    ": BGP\n\tNotification Message (3), length: 49, Cease (6), subcode Administrative Shutdown (2), " +
      'Shutdown Communication (length: 27): "maintenance, back in 10 min"',
  );
  assert.equal(
    text1(notification(5, 2)),
    ": BGP\n\tNotification Message (3), length: 21, " +
      "Finite State Machine Error (5) subcode In OpenConfirm State (2)",
  );
  assert.equal(
    text1(update(EMPTY, mpUnreach(2, 1))),
    ": BGP\n\tUpdate Message (2), length: 30\n\t  Multi-Protocol Unreach NLRI (15), length: 3, Flags [OE]: " +
      "\n\t    AFI: IPv6 (2), SAFI: Unicast (1)\n\t      End-of-Rib Marker (empty NLRI)",
  );
  assert.equal(
    text1(update(EMPTY, EMPTY)),
    ": BGP\n\tUpdate Message (2), length: 23\n\t  End-of-Rib Marker (empty NLRI)",
  );
  // The link bandwidth is a float printed with %.3f: glibc rounds a tie to even, and prints a NaN's sign.
  const bw = (v: string) => text1(update(EMPTY, attr(0xc0, 16, hex("4004fde9" + v)))).split(": ").at(-1);
  assert.deepEqual(
    ["4b7f0000", "45f42400", "46b71b00", "bf800000", "7f800000", "ff800001", "7fc00000"].map(bw),
    ["133.693 Mbps", "0.062 Mbps", "0.188 Mbps", "-0.000 Mbps", "inf Mbps", "-nan Mbps", "nan Mbps"],
  );
});

Deno.test("bgpText: a message running past the capture ends the scan; a read past it is a long jump", () => {
  const v1 = { verbosity: 1 };
  // The second message is cut: tcpdump names its type and stops, without a jump.
  assert.deepEqual(bgpText(data(FRAMES[7]), 200, v1), {
    text: ": BGP\n\tKeepalive Message (4), length: 19\n[|BGP Update]",
    jump: false,
  });
  // Skipped bytes before a marker, a marker with no length: tcpdump's own checks.
  assert.deepEqual(bgpText(hex("0102 ffff"), 4, v1), { text: ": BGP", jump: false });
  assert.deepEqual(bgpText(cat(b(1), KEEPALIVE), 20, v1), {
    text: ": BGP [|bgp]\n\tKeepalive Message (4), length: 19",
    jump: false,
  });
  assert.deepEqual(bgpText(KEEPALIVE.subarray(0, 18), 19, v1), { text: ": BGP [|bgp]", jump: false });
  assert.deepEqual(bgpText(msg(4, EMPTY, 3), 19, v1), {
    text: ": BGP\nmessage length 3 < 19 (invalid)",
    jump: false,
  });
  // MP_REACH_NLRI reads a prefix against the attribute's whole length: past the message, past the capture.
  const m = update(EMPTY, mpReach(1, 1, hex("0a000001"), hex("18 c0a8")));
  assert.deepEqual(bgpText(m, m.length, v1), {
    text:
      ": BGP\n\tUpdate Message (2), length: 39\n\t  Multi-Protocol Reach NLRI (14), length: 12, Flags [OE]: " +
      "\n\t    AFI: IPv4 (1), SAFI: Unicast (1)\n\t    nexthop: 10.0.0.1, nh-length: 4, no SNPA [|bgp]",
    jump: true,
  });
  // The same with a byte more captured after the message: the prefix is printed from it.
  assert.equal(bgpText(cat(m, b(1)), m.length + 1, v1).text.split("\n").at(-1), "\t      192.168.1.0/24");
  // An AS_PATH segment longer than its attribute is checked, not a jump.
  const a = update(EMPTY, attr(0x40, 2, hex("0209 fde9")));
  assert.deepEqual(bgpText(a, a.length, v1), {
    text: ": BGP\n\tUpdate Message (2), length: 30\n\t  AS Path (2), length: 4, Flags [T]:  [|bgp]",
    jump: false,
  });
});

Deno.test("bgpText never throws, whatever the bytes and wherever they are cut", () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const inputs = FRAMES.map(data);
  for (let k = 0; k < 2000; k++) {
    const m = inputs[rnd(inputs.length)].slice();
    for (let j = 0; j < 1 + rnd(6); j++) m[rnd(m.length)] = rnd(256);
    inputs.push(m);
  }
  for (const m of inputs) {
    for (let n = 0; n <= m.length; n += 1 + (m.length >> 5)) {
      for (const verbosity of [0, 1, 2, 3]) bgpText(m.subarray(0, n), m.length, { verbosity });
    }
  }
});

testIf(
  "BGP segments print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const f of FRAMES) {
      for (let n = dataAt(f); n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);

testIf(
  "BGP segments with seeded random damage print as tcpdump prints them",
  needCommands("tcpdump"),
  async () => {
    let seed = 2024;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const frames: Frame[] = [];
    const v4Frames = FRAMES.filter((f) => f[12] === 0x08);
    for (let k = 0; k < 3000; k++) {
      const m = Array.from(data(v4Frames[rnd(v4Frames.length)]));
      for (let j = 0; j < 1 + rnd(4); j++) {
        const at = rnd(m.length + 1);
        switch (rnd(4)) {
          case 0:
            m[rnd(m.length)] = rnd(256);
            break;
          case 1:
            m.splice(at, 0, ...[0, 1, 2].slice(0, 1 + rnd(3)).map(() => rnd(256)));
            break;
          case 2:
            m.splice(at, 1 + rnd(3));
            break;
          default:
            m[rnd(m.length)] = [0, 1, 2, 3, 4, 0x10, 0x20, 0x7f, 0x80, 0xff][rnd(10)];
        }
      }
      const f = seg(new Uint8Array(m));
      const cut = rnd(3) === 0 ? 54 + rnd(m.length + 1) : f.length;
      frames.push(cut < f.length ? { data: f.slice(0, cut), len: f.length } : { data: f });
    }
    await compareFramesWithTcpdump(frames, [["-v"], ["-vv"], ["-v", "-x"]]);
  },
);
