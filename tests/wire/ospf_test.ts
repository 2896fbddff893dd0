/**
 * OSPF (IP protocol 89): OSPFv2 over IPv4 and OSPFv3 over IPv6 as tcpdump 4.99 prints them, over hand-built
 * frames: every packet type (Hello with DR/BDR and neighbours, Database Description with LSA headers, LS
 * Request, LS Update with router, network, summary, ASBR summary, external, NSSA, multicast group and opaque
 * TE/Grace/Router Information LSAs, LS Ack), the three authentication types (MD5 with its digest stripped and
 * an LLS block after it), the LLS data block, OSPFv3's LSAs (router, network, inter-area prefix and router,
 * AS external, link, intra-area prefix, NSSA, grace, TE) and its LLS and authentication trailers, unknown
 * types and versions, header lengths that disagree with the payload, and malformed LSAs and TLVs; whole and
 * cut at every length, compared packet by packet with `-v`/`-vv`, and with `-x`, where whether the dump starts
 * at the frame or at the IP header tells tcpdump's long jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { ospfText } from "../../lib/wire/_ospf.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const b = (...x: number[]) => new Uint8Array(x);
const u16 = (n: number) => b((n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const a4 = (s: string) => Uint8Array.from(s.split(".").map(Number));
const zeros = (n: number) => new Uint8Array(n);
/** A big-endian IEEE single (TE bandwidths are bytes per second as floats). */
const f32 = (x: number) => {
  const d = new DataView(new ArrayBuffer(4));
  d.setFloat32(0, x);
  return new Uint8Array(d.buffer);
};

/** An Ethernet + IPv4 frame to AllSPFRouters carrying the OSPF packet. */
const frame4 = (payload: Uint8Array) =>
  emitEthernet(
    { src: "00:11:22:33:44:55", dst: "01:00:5e:00:00:05", ethertype: 0x0800 },
    emitIpv4({ src: "10.0.0.1", dst: "224.0.0.5", proto: 89, ttl: 1 }, payload),
  );
/** An Ethernet + IPv6 frame to ff02::5 carrying the OSPF packet. */
const frame6 = (payload: Uint8Array) =>
  emitEthernet(
    { src: "00:11:22:33:44:55", dst: "33:33:00:00:00:05", ethertype: 0x86dd },
    emitIpv6({ src: "fe80::1", dst: "ff02::5", proto: 89, hopLimit: 1 }, payload),
  );

// ---- OSPFv2 builders

interface V2 {
  version?: number;
  /** The header's packet length (default: header + body). */
  len?: number;
  router?: string;
  area?: string;
  auth?: number;
  authData?: Uint8Array;
  /** What follows the packet: an MD5 digest, an LLS block. */
  trailer?: Uint8Array;
}
/** An OSPFv2 packet: the 24-byte header, the body, the trailer. */
const v2 = (type: number, body: Uint8Array, o: V2 = {}) =>
  cat(
    b(o.version ?? 2, type),
    u16(o.len ?? 24 + body.length),
    a4(o.router ?? "1.1.1.1"),
    a4(o.area ?? "0.0.0.0"),
    u16(0),
    u16(o.auth ?? 0),
    o.authData ?? zeros(8),
    body,
    o.trailer ?? zeros(0),
  );
interface Lsh {
  age?: number;
  opts?: number;
  seq?: number;
  /** The LSA length (default: header + body). */
  len?: number;
  adv?: string;
}
/** An OSPFv2 LSA header; the id is a dotted quad or a number (an opaque type and id). */
const lsh2 = (type: number, id: string | number, bodyLen: number, o: Lsh = {}) =>
  cat(
    u16(o.age ?? 30),
    b(o.opts ?? 0x22, type),
    typeof id === "string" ? a4(id) : u32(id),
    a4(o.adv ?? "2.2.2.2"),
    u32(o.seq ?? 0x80000001),
    u16(0xabcd),
    u16(o.len ?? 20 + bodyLen),
  );
const lsa2 = (type: number, id: string | number, body: Uint8Array, o: Lsh = {}) =>
  cat(lsh2(type, id, body.length, o), body);
/** A Hello body: mask, interval 10, options, priority 1, dead interval 40, DR, BDR, neighbours. */
const hello2 = (opts: number, dr: string, bdr: string, ...nbrs: string[]) =>
  cat(a4("255.255.255.0"), u16(10), b(opts, 1), u32(40), a4(dr), a4(bdr), ...nbrs.map(a4));
/** A DD body: MTU, options, flags, sequence, LSA headers. */
const dd2 = (mtu: number, opts: number, flags: number, ...lsas: Uint8Array[]) =>
  cat(u16(mtu), b(opts, flags), u32(0x1234abcd), ...lsas);
const lsu2 = (count: number, ...lsas: Uint8Array[]) => cat(u32(count), ...lsas);
/** A router link: id, data, type, TOS 0 metric, further (topology, metric) pairs. */
const link = (id: string, data: string, type: number, metric: number, ...tos: [number, number][]) =>
  cat(a4(id), a4(data), b(type, tos.length), u16(metric), ...tos.map(([t, m]) => cat(b(t, 0), u16(m))));
const rtr2 = (flags: number, ...links: Uint8Array[]) => cat(b(flags, 0), u16(links.length), ...links);
/** A TLV padded to 4 bytes; its length field is the value's unless given. */
const tlv = (type: number, value: Uint8Array, len = value.length) =>
  cat(u16(type), u16(len), value, zeros((4 - (value.length % 4)) % 4));

const ROUTER = lsa2(
  1,
  "2.2.2.2",
  rtr2(
    0x03,
    link("3.3.3.3", "10.0.0.2", 1, 10),
    link("10.0.1.0", "10.0.1.1", 2, 20),
    link("10.0.2.0", "255.255.255.0", 3, 30, [1, 5], [2, 65535]),
    link("4.4.4.4", "10.0.0.9", 4, 40),
  ),
);
const NETWORK = lsa2(2, "10.0.1.1", cat(a4("255.255.255.0"), a4("2.2.2.2"), a4("3.3.3.3")));
const SUMMARY = lsa2(3, "10.9.0.0", cat(a4("255.255.0.0"), u32(100), u32(0x01000200), u32(0x05ffffff)));
const ASBR = lsa2(4, "5.5.5.5", cat(a4("0.0.0.0"), u32(0x00000300)));
const EXTERNAL = lsa2(
  5,
  "192.168.0.0",
  cat(a4("255.255.255.0"), u32(0x80000014), a4("10.0.0.5"), a4("0.0.0.7"), u32(0x01ffffff), zeros(8)),
);
const NSSA = lsa2(7, "172.16.0.0", cat(a4("255.240.0.0"), u32(0x00000001), a4("0.0.0.0"), a4("0.0.1.0")));
const GROUP = lsa2(6, "224.1.1.1", cat(u32(1), a4("2.2.2.2"), u32(2), a4("10.0.1.1"), u32(9), a4("1.2.3.4")));
const mbits = (...x: number[]) => cat(...x.map((m) => f32((m * 1e6) / 8)));
/** Every TE Link sub-TLV tcpdump decodes; the Shared Risk Link Group last (tcpdump steps over it twice). */
const TE = lsa2(
  10,
  0x01000001,
  cat(
    tlv(1, a4("2.2.2.2")),
    tlv(
      2,
      cat(
        tlv(1, b(1)),
        tlv(2, a4("3.3.3.3")),
        tlv(3, a4("10.0.0.1")),
        tlv(4, a4("10.0.0.2")),
        tlv(5, u32(10)),
        tlv(6, mbits(1000)),
        tlv(7, mbits(500)),
        tlv(8, mbits(10, 20, 30, 40, 50, 60, 70, 80)),
        tlv(9, u32(0xff)),
        tlv(11, cat(u32(7), u32(9))),
        tlv(14, b(0x12, 0, 0, 0)),
        tlv(15, cat(b(1, 2, 0, 0), mbits(1, 2, 3, 4, 5, 6, 7, 8))),
        tlv(17, cat(b(1, 0, 0, 0), mbits(100, 2.5))),
        tlv(99, b(1, 2, 3)),
        tlv(16, cat(u32(1), u32(2))),
      ),
    ),
  ),
);
const GRACE = lsa2(
  9,
  0x03000000,
  cat(tlv(1, u32(120)), tlv(2, b(1)), tlv(3, a4("10.0.0.1")), tlv(9, b(1, 2, 3, 4, 5))),
);
const RI = lsa2(10, 0x04000000, cat(tlv(1, u32(0x30)), tlv(7, b(9, 9))));
const OPAQUE_OTHER = lsa2(11, 0x07000005, hex("0102030405060708090a0b0c0d0e0f1011"));
const HELLO = v2(1, hello2(0x02, "10.0.0.1", "10.0.0.2", "2.2.2.2", "3.3.3.3"), { area: "0.0.0.1" });

/** The packets routers send, and each LSA and option tcpdump decodes. */
const V4: Uint8Array[] = [
  frame4(HELLO),
  frame4(v2(1, hello2(0x00, "0.0.0.0", "0.0.0.0"))),
  frame4(v2(1, hello2(0xff, "0.0.0.0", "10.0.0.3"))),
  frame4(v2(2, dd2(1500, 0x42, 0x07))),
  frame4(v2(2, dd2(0, 0x00, 0x08, lsh2(1, "2.2.2.2", 40), lsh2(11, 0x0a000003, 8), lsh2(5, "1.0.0.0", 16)))),
  frame4(
    v2(
      3,
      cat(
        cat(u32(1), a4("2.2.2.2"), a4("2.2.2.2")),
        cat(u32(10), u32(0x04000001), a4("3.3.3.3")),
        cat(u32(42), a4("1.1.1.1"), a4("9.9.9.9")),
      ),
    ),
  ),
  frame4(v2(4, lsu2(1, ROUTER))),
  frame4(v2(4, lsu2(3, NETWORK, SUMMARY, ASBR))),
  frame4(v2(4, lsu2(4, EXTERNAL, NSSA, GROUP, OPAQUE_OTHER))),
  frame4(v2(4, lsu2(1, TE))),
  frame4(v2(4, lsu2(2, GRACE, RI))),
  frame4(v2(5, cat(lsh2(1, "2.2.2.2", 40), lsh2(2, "10.0.1.1", 12, { age: 3600 }), lsh2(9, 0x03000000, 4)))),
  // Authentication: simple (unprintable bytes, a NUL), MD5 (the digest after the packet), unknown.
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { auth: 1, authData: text("secret\x01\x7f") })),
  frame4(
    v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), {
      auth: 1,
      authData: cat(text("ab\xff"), b(0), text("defg")),
    }),
  ),
  frame4(
    v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), {
      auth: 2,
      authData: hex("0000 01 10 00000005"),
      trailer: zeros(16).fill(0xaa),
    }),
  ),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { auth: 7 })),
  // Unknown types, another version, header lengths shorter and longer than the payload.
  frame4(v2(0, zeros(4))),
  frame4(v2(9, zeros(4))),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { version: 3 })),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { len: 40 })),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { len: 60 })),
  // LLS after a Hello and a DD with the L option; after MD5's digest.
  frame4(
    v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), {
      trailer: cat(
        u16(0xfff6),
        u16(3),
        tlv(1, u32(3)),
        tlv(2, cat(u32(77), zeros(16))),
        tlv(5, b(1, 2, 3, 4)),
      ),
    }),
  ),
  frame4(
    v2(2, dd2(1500, 0x52, 0x07), {
      trailer: cat(u16(0x1111), u16(2), u16(1), u16(8), u32(1), u32(2), u16(2), u16(4), u32(5)),
    }),
  ),
  frame4(
    v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), {
      auth: 2,
      authData: hex("0000 07 10 12345678"),
      trailer: cat(
        zeros(16).fill(0xcc),
        u16(0xfff6),
        u16(3),
        tlv(1, u32(1)),
        tlv(2, cat(u32(77), zeros(16))),
      ),
    }),
  ),
];

/** A TE LSA with one Link TLV of these sub-TLVs, then a network LSA. */
const lsuTe = (...subs: Uint8Array[]) =>
  frame4(v2(4, lsu2(2, lsa2(10, 0x01000002, tlv(2, cat(...subs))), NETWORK)));
/** An opaque LSA of this type with these TLVs, then a network LSA. */
const lsuOpaque = (type: number, id: number, ...tlvs: Uint8Array[]) =>
  frame4(v2(4, lsu2(2, lsa2(type, id, cat(...tlvs)), NETWORK)));
const HELLO_MD5 = { auth: 2, authData: hex("0000 07 10 12345678") };

/** What tcpdump complains about, and where its quirks show. */
const V4_MALFORMED: Uint8Array[] = [
  // TE sub-TLVs of the wrong length, zero type or length, longer than the TLV.
  lsuTe(tlv(9, b(1, 2))),
  lsuTe(tlv(2, b(1, 2, 3, 4, 5, 6))),
  lsuTe(tlv(3, b(1, 2))),
  lsuTe(tlv(6, b(1))),
  lsuTe(tlv(8, u32(1))),
  lsuTe(tlv(17, b(1))),
  lsuTe(tlv(17, b(1, 0, 0, 0, 5, 6))),
  lsuTe(tlv(17, zeros(40))),
  lsuTe(tlv(5, b(1))),
  lsuTe(tlv(14, b(1))),
  lsuTe(tlv(15, zeros(8))),
  lsuTe(tlv(1, b(1, 2))),
  lsuTe(tlv(16, b(1, 2))),
  lsuTe(tlv(0, u32(1))),
  lsuTe(tlv(3, zeros(0))),
  lsuTe(tlv(3, a4("1.2.3.4"), 12)),
  lsuTe(tlv(1, b(2)), b(0, 3)),
  // Bandwidths: NaN, -NaN, infinities, -0, the largest float (overflows to inf), a subnormal, a tie (0.0625).
  lsuTe(
    tlv(
      8,
      cat(
        cat(u32(0x7fc00000), u32(0xffc00000), u32(0x7f800000), u32(0xff800000)),
        cat(u32(0x80000000), u32(0x7f7fffff), u32(0x00000001), mbits(0.0625)),
      ),
    ),
  ),
  lsuTe(
    tlv(6, mbits(1.0625)),
    tlv(7, f32(-3.3e9)),
    tlv(17, cat(b(254, 0, 0, 0), f32(1e30), f32(123.456), mbits(0.0005), mbits(0.0015))),
    tlv(
      15,
      cat(b(200, 11, 0, 0), f32(3e38), f32(1e-40), mbits(2.5, 3.5), f32(7e5), f32(8e5), f32(9e5), f32(1)),
    ),
    tlv(16, zeros(0), 0),
  ),
  // TE TLVs: a short router address, a TLV longer than the LSA, bytes left over, a short Link TLV.
  lsuOpaque(10, 0x01000002, tlv(1, b(1, 2)), tlv(5, b(1, 2, 3))),
  lsuOpaque(10, 0x01000002, tlv(7, b(1, 2, 3)), tlv(2, zeros(0), 40)),
  lsuOpaque(10, 0x01000002, tlv(1, a4("9.9.9.9")), u16(1)),
  lsuOpaque(10, 0x01000002, tlv(7, b(1, 2, 3))),
  lsuOpaque(10, 0x01000002, tlv(2, tlv(1, b(1)), 6)),
  lsuOpaque(10, 0x01000002, tlv(2, cat(tlv(1, b(1)), b(0, 0)), 10)),
  frame4(v2(4, lsu2(1, lsa2(10, 0x01000002, tlv(2, tlv(1, b(1))))))),
  // Grace TLVs of the wrong length, a zero type, longer than the LSA, cut inside the LSA.
  lsuOpaque(9, 0x03000000, tlv(1, b(1, 2))),
  lsuOpaque(9, 0x03000000, tlv(2, u32(1))),
  lsuOpaque(9, 0x03000000, tlv(3, b(1))),
  lsuOpaque(9, 0x03000000, tlv(1, u32(1)), tlv(2, b(9)), tlv(0, u32(1))),
  lsuOpaque(9, 0x03000000, tlv(1, u32(1), 12)),
  lsuOpaque(9, 0x03000000, tlv(2, b(1)), u16(2)),
  lsuOpaque(9, 0x03000000, tlv(2, b(1)).subarray(0, 5)),
  lsuOpaque(9, 0x03000000, tlv(5, b(1, 2, 3, 4, 5, 6, 7)).subarray(0, 11)),
  frame4(v2(4, lsu2(1, lsa2(9, 0x03000000, tlv(1, u32(1)), { len: 40 })))),
  // Router Information: a short capability TLV, bytes left over, no capability, a 2-byte TLV then another LSA.
  lsuOpaque(11, 0x04000001, tlv(1, b(1, 2))),
  lsuOpaque(11, 0x04000001, tlv(1, u32(0xffffffff)), u16(7)),
  lsuOpaque(11, 0x04000001, tlv(1, u32(0))),
  lsuOpaque(10, 0x04000000, tlv(1, u32(0x30)), tlv(7, b(1, 2))),
  lsuOpaque(10, 0x04000000, tlv(1, u32(0x30)), tlv(7, u32(5), 9)),
  // tcpdump 4.99.3 steps over a Router Information TLV without its padding.
  lsuOpaque(10, 0x04000000, tlv(7, b(1, 2, 3)), tlv(1, u32(0x30))),
  lsuOpaque(10, 0x04000000, tlv(7, b(1, 2, 3)).subarray(0, 7), tlv(1, u32(0x30)), b(0)),
  // Router LSAs: every flag, no link (tcpdump still wants one), an unknown link type, unknown topologies.
  frame4(v2(4, lsu2(1, lsa2(1, "2.2.2.2", rtr2(0x9f))))),
  frame4(v2(4, lsu2(2, lsa2(1, "2.2.2.2", rtr2(0x00)), NETWORK))),
  frame4(
    v2(
      4,
      lsu2(
        2,
        lsa2(1, "2.2.2.2", rtr2(0x20, link("1.1.1.1", "2.2.2.2", 7, 1), link("1.1.1.1", "2.2.2.2", 1, 1))),
        NETWORK,
      ),
    ),
  ),
  frame4(
    v2(
      4,
      lsu2(
        2,
        lsa2(1, "2.2.2.2", cat(b(0, 0), u16(3), link("1.1.1.1", "2.2.2.2", 3, 1, [9, 9], [0, 1], [127, 4]))),
        NETWORK,
      ),
    ),
  ),
  // Short summary, ASBR, external, NSSA, network and group LSAs; LSA types tcpdump does not know.
  frame4(
    v2(
      4,
      lsu2(3, lsa2(3, "1.0.0.0", a4("255.0.0.0")), lsa2(4, "1.0.0.0", zeros(4)), lsa2(0, "1.0.0.0", b(1))),
    ),
  ),
  frame4(
    v2(
      4,
      lsu2(3, lsa2(8, "1.0.0.0", b(1, 2, 3, 4, 5)), lsa2(12, "1.0.0.0", b(1)), lsa2(200, "1.0.0.0", b())),
    ),
  ),
  frame4(v2(4, lsu2(2, lsa2(5, "1.0.0.0", cat(a4("255.0.0.0"), u32(5))), NETWORK))),
  frame4(v2(4, lsu2(2, lsa2(7, "1.0.0.0", a4("255.0.0.0")), NETWORK))),
  frame4(v2(4, lsu2(2, lsa2(2, "1.0.0.0", cat(a4("255.0.0.0"), b(1, 2))), NETWORK))),
  frame4(v2(4, lsu2(2, lsa2(6, "1.0.0.0", cat(u32(1))), NETWORK))),
  // LS Update counts: none, fewer or more than the LSAs; a bogus LSA length; LSAs past the packet length.
  frame4(v2(4, lsu2(0))),
  frame4(v2(4, lsu2(0, NETWORK))),
  frame4(v2(4, lsu2(5, NETWORK))),
  frame4(v2(4, lsu2(2, lsh2(2, "1.0.0.0", 0, { len: 3 }), NETWORK))),
  frame4(v2(4, lsu2(2, NETWORK, NETWORK), { len: 40 })),
  frame4(v2(4, lsu2(1))),
  // Bogus LSA header lengths in a DD and an Ack; Ack headers past the packet length.
  frame4(
    v2(2, dd2(0, 0, 1, lsh2(1, "2.2.2.2", 40), lsh2(1, "2.2.2.2", 0, { len: 0 }), lsh2(1, "2.2.2.2", 40))),
  ),
  frame4(v2(2, dd2(0, 0, 8, lsh2(1, "2.2.2.2", 40), lsh2(11, 0x0a000003, 8)), { len: 40 })),
  frame4(v2(5, cat(lsh2(1, "2.2.2.2", 40), lsh2(2, "10.0.1.1", 0, { len: 19 }), lsh2(9, 0x03000000, 4)))),
  frame4(v2(5, lsh2(1, "2.2.2.2", 40), { len: 30 })),
  // LS Requests: a partial entry, a short header length, opaque and unknown types.
  frame4(v2(3, cat(u32(1), a4("2.2.2.2"), a4("2.2.2.2"), u32(10)))),
  frame4(v2(3, cat(u32(1), a4("2.2.2.2"), a4("2.2.2.2"), u32(10)), { len: 30 })),
  frame4(v2(3, cat(u32(9), u32(0x01000005), a4("3.3.3.3"), u32(11), u32(0x09ffffff), a4("3.3.3.3")))),
  // Hellos: a neighbour cut by the header length, a header shorter than the body, a byte pair left over.
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0", "2.2.2.2", "3.3.3.3"), { len: 46 })),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0", "2.2.2.2", "3.3.3.3"), { len: 10 })),
  frame4(v2(1, cat(hello2(0x02, "10.0.0.1", "0.0.0.0", "2.2.2.2"), b(1, 2)))),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { area: "255.255.255.255", router: "0.0.0.0" })),
  // MD5: no LLS after the digest, no digest, a longer digest, payloads shorter than the digest.
  frame4(v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), { ...HELLO_MD5, trailer: zeros(16) })),
  frame4(v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), HELLO_MD5)),
  frame4(
    v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), {
      auth: 2,
      authData: hex("0000 07 30 12345678"),
      trailer: zeros(30),
    }),
  ),
  frame4(v2(1, b(), { ...HELLO_MD5, len: 24 })),
  frame4(v2(1, b(), { ...HELLO_MD5, len: 24 }).subarray(0, 16)),
  frame4(v2(9, b(), { auth: 2 }).subarray(0, 17)),
  frame4(v2(1, zeros(20), { auth: 2, len: 30 }).subarray(0, 40)),
  // LLS: too short, unknown and wrong-length TLVs, no L option, not a Hello or DD, OOB resync.
  frame4(v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), { trailer: b(0xff) })),
  frame4(
    v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), {
      trailer: cat(u16(1), u16(2), u16(1), u16(1), b(1, 2, 3, 4, 5)),
    }),
  ),
  frame4(
    v2(1, hello2(0x12, "10.0.0.1", "0.0.0.0"), { trailer: cat(u16(1), u16(2), u16(2), u16(4), u32(9)) }),
  ),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { trailer: cat(u16(1), u16(2)) })),
  frame4(v2(5, lsh2(1, "2.2.2.2", 40), { trailer: cat(u16(1), u16(2)) })),
  frame4(v2(2, dd2(0, 0x10, 0), { trailer: cat(u16(1), u16(2), u16(1), u16(4), u32(0xfc)) })),
  // Simple passwords: control, DEL and high bytes; all eight bytes.
  frame4(
    v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), {
      auth: 1,
      authData: b(0x7f, 0x1b, 0x7e, 0x20, 0xff, 0xa0, 97, 98),
    }),
  ),
  frame4(v2(2, dd2(0, 0x02, 0), { auth: 1, authData: text("12345678") })),
  // An OSPFv3 packet over IPv4; version 1, with an unknown auth type.
  frame4(cat(b(3, 1), u16(36), a4("1.1.1.1"), zeros(8), u32(5), u32(0x01000013), u16(10), u16(40), zeros(8))),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { version: 1 })),
  frame4(v2(1, hello2(0x02, "10.0.0.1", "0.0.0.0"), { version: 1, auth: 5 })),
];

// ---- OSPFv3 builders

interface V3 {
  version?: number;
  len?: number;
  router?: string;
  area?: string;
  instance?: number;
  /** What follows the packet: LLS, the authentication trailer. */
  trailer?: Uint8Array;
}
/** An OSPFv3 packet: the 16-byte header, the body, the trailer. */
const v3 = (type: number, body: Uint8Array, o: V3 = {}) =>
  cat(
    b(o.version ?? 3, type),
    u16(o.len ?? 16 + body.length),
    a4(o.router ?? "1.1.1.1"),
    a4(o.area ?? "0.0.0.0"),
    u16(0),
    b(o.instance ?? 0, 0),
    body,
    o.trailer ?? zeros(0),
  );
/** An OSPFv3 LSA header: the type carries the U bit and scope. */
const lsh3 = (type: number, id: string, bodyLen: number, o: Lsh = {}) =>
  cat(
    u16(o.age ?? 30),
    u16(type),
    a4(id),
    a4(o.adv ?? "2.2.2.2"),
    u32(o.seq ?? 0x80000001),
    u16(0xabcd),
    u16(o.len ?? 20 + bodyLen),
  );
const lsa3 = (type: number, id: string, body: Uint8Array, o: Lsh = {}) =>
  cat(lsh3(type, id, body.length, o), body);
/** A Hello body: interface id 5, priority 1 and options, intervals 10 and 40, DR, BDR, neighbours. */
const hello3 = (opts: number, dr: string, bdr: string, ...nbrs: string[]) =>
  cat(u32(5), u32(0x01000000 | opts), u16(10), u16(40), a4(dr), a4(bdr), ...nbrs.map(a4));
const dd3 = (opts: number, flags: number, ...lsas: Uint8Array[]) =>
  cat(u32(opts), u16(1500), b(0, flags), u32(0x42), ...lsas);
/** A prefix: length, options, metric (or referenced LS type), as many address words as the length needs. */
const pfx = (plen: number, opt: number, metric: number, addr: string) =>
  cat(b(plen, opt), u16(metric), hex(addr.padEnd(32, "0")).subarray(0, Math.ceil(plen / 32) * 4));
const link3 = (type: number, metric: number, ifid: number, nifid: number, nrid: string) =>
  cat(b(type, 0), u16(metric), u32(ifid), u32(nifid), a4(nrid));
const R3 = lsa3(
  0x2001,
  "0.0.0.0",
  cat(
    u32(0x07000033),
    link3(1, 10, 5, 6, "3.3.3.3"),
    link3(2, 20, 5, 7, "4.4.4.4"),
    link3(4, 30, 8, 9, "5.5.5.5"),
  ),
);
const N3 = lsa3(0x2002, "0.0.0.5", cat(u32(0x13), a4("2.2.2.2"), a4("3.3.3.3")));
const IAP3 = lsa3(0x2003, "0.0.0.1", cat(u32(0x10000064), pfx(64, 0, 0, "20010db80001")));
const IAR3 = lsa3(0x2004, "0.0.0.2", cat(u32(0x13), u32(50), a4("6.6.6.6")));
const ASE3 = lsa3(
  0x4005,
  "0.0.0.3",
  cat(
    u32(0x83000014),
    pfx(48, 0x08, 0x0100, "20010db80002"),
    hex("20010db8000000000000000000000009"),
    a4("0.0.0.42"),
    a4("0.0.0.77"),
  ),
);
const ASE3_PLAIN = lsa3(0x4005, "0.0.0.4", cat(u32(0x00000001), pfx(0, 0, 0, "")));
const LINK3 = lsa3(
  0x0008,
  "0.0.0.5",
  cat(
    u32(0x01000013),
    hex("fe800000000000000000000000000001"),
    u32(2),
    pfx(64, 0, 0, "20010db80001"),
    pfx(128, 0x02, 0, "20010db8000100000000000000000001"),
  ),
);
const INTRA3 = lsa3(
  0x2009,
  "0.0.0.6",
  cat(
    cat(u16(2), u16(0x2001), a4("0.0.0.0"), a4("2.2.2.2")),
    pfx(64, 0, 10, "20010db80001"),
    pfx(96, 0x01, 20, "20010db80002"),
  ),
);
const NSSA3 = lsa3(0x2007, "0.0.0.7", cat(u32(0x00000001), pfx(0, 0, 0, "")));
const GRACE3 = lsa3(0x000b, "0.0.0.0", cat(tlv(1, u32(60)), tlv(2, b(2))));
const HELLO3 = v3(1, hello3(0x13, "1.1.1.1", "2.2.2.2", "2.2.2.2", "3.3.3.3"));
/** An LLS block (an extended options TLV) and an HMAC authentication trailer. */
const LLS_AT = cat(
  cat(u16(0xfff6), u16(12), tlv(1, u32(1))),
  cat(u16(1), u16(32), u16(0), u16(9), u32(0), u32(17), zeros(16).fill(0xbb)),
);

const V6: Uint8Array[] = [
  frame6(HELLO3),
  frame6(v3(1, hello3(0x00, "0.0.0.0", "0.0.0.0"), { instance: 1, area: "0.0.0.1" })),
  frame6(v3(2, dd3(0x13, 0x17))),
  frame6(
    v3(
      2,
      dd3(
        0x13,
        0x00,
        lsh3(0x2001, "0.0.0.0", 40),
        lsh3(0x0008, "0.0.0.5", 40),
        lsh3(0x4005, "0.0.0.1", 12),
        lsh3(0xa00e, "0.0.0.1", 0),
        lsh3(0x6001, "0.0.0.1", 0),
      ),
    ),
  ),
  frame6(
    v3(
      3,
      cat(
        u16(0),
        u16(0x2001),
        a4("0.0.0.0"),
        a4("2.2.2.2"),
        u16(0),
        u16(0x2009),
        a4("0.0.0.1"),
        a4("3.3.3.3"),
      ),
    ),
  ),
  frame6(v3(4, cat(u32(3), R3, N3, IAP3))),
  frame6(v3(4, cat(u32(4), IAR3, ASE3, ASE3_PLAIN, LINK3))),
  frame6(v3(4, cat(u32(3), INTRA3, NSSA3, GRACE3))),
  frame6(v3(5, cat(lsh3(0x2001, "0.0.0.0", 40), lsh3(0x2002, "0.0.0.5", 12)))),
  frame6(v3(0, zeros(4))),
  frame6(v3(7, zeros(4))),
  frame6(v3(1, hello3(0x13, "1.1.1.1", "0.0.0.0"), { version: 2 })),
  frame6(v3(1, hello3(0x13, "1.1.1.1", "0.0.0.0"), { len: 80 })),
  frame6(v3(1, hello3(0x613, "1.1.1.1", "0.0.0.0"), { trailer: LLS_AT })),
  frame6(
    v3(5, lsh3(0x2001, "0.0.0.0", 40), {
      trailer: cat(u16(3), u16(20), u16(0), u16(1), u32(1), u32(2), u32(0xdeadbeef)),
    }),
  ),
];

/** An LS Update of this LSA and a network LSA. */
const lsu3 = (lsa: Uint8Array) => frame6(v3(4, cat(u32(2), lsa, N3)));
const helloL = (trailer: Uint8Array) => frame6(v3(1, hello3(0x213, "1.1.1.1", "0.0.0.0"), { trailer }));

const V6_MALFORMED: Uint8Array[] = [
  // LSA header lengths below 20 (tcpdump prints them as 64-bit unsigned), headers past the packet length.
  frame6(
    v3(2, dd3(0x13, 0x00, lsh3(0x2001, "0.0.0.0", 0, { len: 5 }), lsh3(0x2001, "0.0.0.0", 0, { len: 0 }))),
  ),
  frame6(v3(2, dd3(0x13, 0x00, lsh3(0x2001, "0.0.0.0", 0), b(1, 2, 3)))),
  frame6(v3(5, cat(lsh3(0x2001, "0.0.0.0", 40), b(1, 2, 3)))),
  frame6(v3(3, cat(u16(0), u16(0x2001), a4("0.0.0.0"), a4("2.2.2.2"), b(1, 2)))),
  // Router and network LSAs: an unknown link type, short links and options.
  lsu3(lsa3(0x2001, "0.0.0.0", cat(u32(0), link3(9, 1, 1, 1, "1.1.1.1")))),
  lsu3(lsa3(0x2001, "0.0.0.0", cat(u32(0), b(1, 2, 3, 4)))),
  lsu3(lsa3(0x2001, "0.0.0.0", b(1, 2))),
  lsu3(lsa3(0x2002, "0.0.0.0", cat(u32(0), b(1, 2)))),
  lsu3(lsa3(0x2002, "0.0.0.0", b(1))),
  // Prefixes: longer than 128, every option, fewer words than the length needs, cut, no metric.
  lsu3(lsa3(0x2003, "0.0.0.0", cat(u32(1), b(129, 0, 0, 0)))),
  lsu3(lsa3(0x2003, "0.0.0.0", cat(u32(1), pfx(128, 0xff, 1, "20010db8")))),
  lsu3(lsa3(0x2003, "0.0.0.0", cat(u32(1), b(64, 0, 0, 0, 1, 2, 3, 4)))),
  lsu3(lsa3(0x2003, "0.0.0.0", cat(u32(1), b(64, 0)))),
  lsu3(lsa3(0x2003, "0.0.0.0", b(1, 2))),
  // AS external: a forwarding address, a tag and a referenced id that do not fit; the low byte of the type.
  lsu3(lsa3(0x4005, "0.0.0.0", cat(u32(0x02000000), pfx(0, 0, 0, ""), b(1, 2)))),
  lsu3(lsa3(0x4005, "0.0.0.0", cat(u32(0x01000000), pfx(0, 0, 0, ""), b(1, 2)))),
  lsu3(lsa3(0x4005, "0.0.0.0", cat(u32(0), pfx(0, 0, 0x0200, ""), b(1, 2)))),
  lsu3(lsa3(0x4005, "0.0.0.0", cat(u32(0), pfx(0, 0, 0x0002, "")))),
  lsu3(lsa3(0x4005, "0.0.0.0", b(1))),
  lsu3(lsa3(0x4005, "0.0.0.0", cat(u32(0), b(1)))),
  // Link LSAs: with area scope (dumped), short, more prefixes than there are.
  lsu3(lsa3(0x2008, "0.0.0.0", cat(u32(0), b(1)))),
  lsu3(lsa3(0x0008, "0.0.0.0", b(1))),
  lsu3(lsa3(0x0008, "0.0.0.0", cat(u32(0x05000001), zeros(8)))),
  lsu3(lsa3(0x0008, "0.0.0.0", cat(u32(0x05000001), zeros(16), u32(3), pfx(0, 0, 0, "")))),
  // Intra-area prefix LSAs: short, no prefix, more prefixes than there are.
  lsu3(lsa3(0x2009, "0.0.0.0", b(1))),
  lsu3(lsa3(0x2009, "0.0.0.0", cat(u16(1), u16(0x2002), a4("0.0.0.9")))),
  lsu3(lsa3(0x2009, "0.0.0.0", cat(u16(0), u16(0x2002), a4("0.0.0.9"), a4("3.3.3.3")))),
  lsu3(
    lsa3(
      0x2009,
      "0.0.0.0",
      cat(u16(3), u16(0x2002), a4("0.0.0.9"), a4("3.3.3.3"), pfx(32, 0, 1, "20010db8")),
    ),
  ),
  // Grace and TE through the OSPFv2 printers; a grace LSA with area scope; LSAs past the packet length.
  lsu3(lsa3(0x000b, "0.0.0.0", tlv(1, b(1)))),
  lsu3(lsa3(0x000a, "0.0.0.0", cat(tlv(1, a4("1.2.3.4")), tlv(2, cat(tlv(5, u32(3)), tlv(99, b(1))))))),
  lsu3(lsa3(0x000a, "0.0.0.0", tlv(1, b(1)))),
  frame6(
    v3(4, cat(u32(2), lsa3(0x200b, "0.0.0.0", b(1, 2, 3)), lsa3(0x2001, "0.0.0.0", zeros(4), { len: 10 }))),
  ),
  lsu3(lsa3(0x2002, "0.0.0.0", zeros(4), { len: 60 })),
  // LS Update counts; header lengths shorter than the body.
  frame6(v3(4, cat(u32(0), N3))),
  frame6(v3(4, cat(u32(9), N3))),
  frame6(v3(4, cat(u32(1), N3), { len: 30 })),
  frame6(v3(4, cat(u32(1), N3), { len: 18 })),
  frame6(v3(1, hello3(0x13, "1.1.1.1", "0.0.0.0"), { len: 10 })),
  frame6(v3(1, hello3(0x13, "1.1.1.1", "0.0.0.0", "2.2.2.2"), { len: 38 })),
  frame6(v3(1, cat(hello3(0x13, "1.1.1.1", "0.0.0.0"), b(1, 2)))),
  // Trailers: LLS too short, with a bad length, cut; authentication trailers too short or too long.
  helloL(b(1, 2)),
  helloL(cat(u16(1), u16(3))),
  helloL(cat(u16(1), u16(9), u32(0))),
  helloL(cat(u16(1), u16(4), b(1, 2, 3))),
  helloL(cat(u16(1), u16(4), u16(1), u16(40), zeros(12))),
  helloL(cat(u16(1), u16(4), u16(1), u16(8), zeros(12))),
  frame6(v3(2, dd3(0x213, 0), { trailer: cat(u16(1), u16(8), u32(5)) })),
  frame6(v3(3, b(), { trailer: cat(u16(1), u16(8), u32(5)) })),
  frame6(v3(3, b(), { trailer: cat(u16(1), u16(17), zeros(14)) })),
];

/** Each frame whole, then cut after every byte of its headers and OSPF packet. */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = [];
  for (const f of frames) {
    out.push({ data: f });
    for (let n = 14; n < f.length; n++) out.push({ data: f.subarray(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-vv", "-x"]];

Deno.test("golden: tcpdump's OSPFv2 and OSPFv3 text", () => {
  const d = new PacketDecoder();
  assert.equal(summarize(d.decode(V4[0], 1)), "IP 10.0.0.1 > 224.0.0.5: OSPFv2, Hello, length 52");
  assert.equal(summarize(d.decode(V6[0], 1)), "IP6 fe80::1 > ff02::5: OSPFv3, Hello, length 44");
  const v4 = { verbosity: 1, ipVersion: 4 } as const, v6 = { verbosity: 2, ipVersion: 6 } as const;
  assert.equal(
    ospfText(HELLO, HELLO.length, v4).text,
    "OSPFv2, Hello, length 52\n\tRouter-ID 1.1.1.1, Area 0.0.0.1, Authentication Type: none (0)" +
      "\n\tOptions [External]\n\t  Hello Timer 10s, Dead Timer 40s, Mask 255.255.255.0, Priority 1" +
      "\n\t  Designated Router 10.0.0.1, Backup Designated Router 10.0.0.2\n\t  Neighbor List:" +
      "\n\t    2.2.2.2\n\t    3.3.3.3",
  );
  const lsu = v2(4, lsu2(2, ROUTER, SUMMARY));
  assert.equal(
    ospfText(lsu, lsu.length, v4).text,
    "OSPFv2, LS-Update, length 144\n\tRouter-ID 1.1.1.1, Backbone Area, Authentication Type: none (0), 2 LSAs" +
      "\n\t  LSA #1\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 30s, length 60" +
      "\n\t    Router LSA (1), LSA-ID: 2.2.2.2\n\t    Options: [External, Demand Circuit]" +
      "\n\t    Router LSA Options: [ABR, ASBR]" +
      "\n\t      Neighbor Router-ID: 3.3.3.3, Interface Address: 10.0.0.2\n\t\ttopology default (0), metric 10" +
      "\n\t      Neighbor Network-ID: 10.0.1.0, Interface Address: 10.0.1.1\n\t\ttopology default (0), metric 20" +
      "\n\t      Stub Network: 10.0.2.0, Mask: 255.255.255.0\n\t\ttopology default (0), metric 30" +
      "\n\t\ttopology multicast (1), metric 5\n\t\ttopology management (2), metric 65535" +
      "\n\t      Virtual Link: Neighbor Router-ID: 4.4.4.4, Interface Address: 10.0.0.9" +
      "\n\t\ttopology default (0), metric 40" +
      "\n\t  LSA #2\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 30s, length 16" +
      "\n\t    Summary LSA (3), LSA-ID: 10.9.0.0\n\t    Options: [External, Demand Circuit]\n\t    Mask 255.255.0.0" +
      "\n\t\ttopology default (0) metric 100\n\t\ttopology multicast (1) metric 512" +
      "\n\t\ttopology Unknown (5) metric 16777215",
  );
  // With MD5 the 16-byte digest is not counted.
  const md5 = v2(1, hello2(2, "10.0.0.1", "0.0.0.0"), { ...HELLO_MD5, trailer: zeros(16) });
  assert.equal(
    ospfText(md5, md5.length, v4).text.split("\n").slice(0, 3).join("\n"),
    "OSPFv2, Hello, length 44\n\tRouter-ID 1.1.1.1, Backbone Area, Authentication Type: MD5 (2)" +
      "\n\tKey-ID: 7, Auth-Length: 16, Crypto Sequence Number: 0x12345678",
  );
  const lsu3 = v3(4, cat(u32(2), ASE3, LINK3));
  assert.equal(
    ospfText(lsu3, lsu3.length, v6).text,
    "OSPFv3, LS-Update, length 156\n\tRouter-ID 1.1.1.1, Backbone Area" +
      "\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 30s, length 40" +
      "\n\t    External LSA (5), Domain Wide Scope, LSA-ID 0.0.0.3" +
      "\n\t     Flags [External Type 2, Forwarding, Tag] metric 20" +
      "\n\t\t2001:db8:2::/48, Options [Propagate], metric 256 forward 2001:db8::9 tag 0.0.0.42 RefLSID: 0.0.0.77" +
      "\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 30s, length 56" +
      "\n\t    Link LSA (8), Link Local Scope, LSA-ID 0.0.0.5\n\t      Options [V6, External, Router]" +
      "\n\t      Priority 1, Link-local address fe80::1, Prefixes 2:\n\t\t2001:db8:1::/64, metric 0" +
      "\n\t\t2001:db8:1::1/128, Options [Local address], metric 0",
  );
  const trailer = v3(1, hello3(0x613, "1.1.1.1", "0.0.0.0"), { trailer: LLS_AT });
  assert.equal(
    ospfText(trailer, trailer.length, v6).text.split("\n").slice(-3).join("\n"),
    "\tLLS Checksum 0xfff6, Data Length 12" +
      "\n\tAuthentication Type HMAC, Length 32, SAID 9, CSN 0x00000000:00000011" +
      "\n\tAuthentication Data 0x0000:  bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb",
  );
});

Deno.test("ospfText: reads past the capture are long jumps, tcpdump's own checks are not", () => {
  const v = (verbosity: number, ipVersion: 4 | 6 = 4) => ({ verbosity, ipVersion });
  assert.deepEqual(ospfText(HELLO.subarray(0, 15), HELLO.length, v(0)), { text: " [|ospf2]", jump: true });
  assert.deepEqual(ospfText(HELLO.subarray(0, 16), HELLO.length, v(1)), {
    text: "OSPFv2, Hello, length 52\n\tRouter-ID 1.1.1.1, Area 0.0.0.1 [|ospf2]",
    jump: true,
  });
  assert.deepEqual(ospfText(HELLO.subarray(0, 16), HELLO.length, v(0)), {
    text: "OSPFv2, Hello, length 52",
    jump: false,
  });
  // A payload shorter than the MD5 digest wraps the length around.
  const md5 = v2(1, b(), { ...HELLO_MD5, len: 24 });
  assert.equal(ospfText(md5, 24, v(0)).text, "OSPFv2, Hello, length 8");
  assert.equal(ospfText(md5.subarray(0, 16), 17, v(0)).text, " [|ospf2]");
  assert.equal(ospfText(md5.subarray(0, 16), 40, v(0)).text, " [|ospf2]");
  assert.equal(ospfText(md5.subarray(0, 20), 8, v(0)).text, "OSPFv2, Hello, length 4294967288");
  // OSPFv3: an LSA header past the packet length is tcpdump's own check.
  const ack = v3(5, cat(lsh3(0x2001, "0.0.0.0", 40), b(1, 2, 3)));
  assert.deepEqual(ospfText(ack, ack.length, v(2, 6)), {
    text: "OSPFv3, LS-Ack, length 39\n\tRouter-ID 1.1.1.1, Backbone Area" +
      "\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 30s, length 40" +
      "\n\t    Router LSA (1), Area Local Scope, LSA-ID 0.0.0.0 [|ospf3]",
    jump: false,
  });
  assert.deepEqual(ospfText(HELLO3.subarray(0, 30), HELLO3.length, v(1, 6)), {
    text: "OSPFv3, Hello, length 44\n\tRouter-ID 1.1.1.1, Backbone Area\n\tOptions [V6, External, Router]" +
      "\n\t  Hello Timer 10s, Dead Timer 40s, Interface-ID 0.0.0.5, Priority 1 [|ospf3]",
    jump: true,
  });
  // No cut of any frame throws, at any verbosity.
  for (
    const [frames, ip, ipVersion] of [[[...V4, ...V4_MALFORMED], 34, 4], [
      [...V6, ...V6_MALFORMED],
      54,
      6,
    ]] as const
  ) {
    for (const f of frames) {
      for (let n = ip; n <= f.length; n++) {
        for (const verbosity of [0, 1, 2]) {
          assert.equal(
            typeof ospfText(f.subarray(ip, n), f.length - ip, { verbosity, ipVersion }).text,
            "string",
          );
        }
      }
    }
  }
});

testIf(
  "OSPFv2 frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(V4);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "OSPFv3 frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(V6);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "malformed OSPF packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts([...V4_MALFORMED, ...V6_MALFORMED]);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "OSPF with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts([...V4, ...V6, ...V4_MALFORMED, ...V6_MALFORMED]);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
