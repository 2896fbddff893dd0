/**
 * ISAKMP/IKE (UDP 500, 7500, 8500) and RFC 3948 NAT traversal (UDP 4500) as tcpdump 4.99 prints them, over
 * hand-built datagrams: IKEv1 main, aggressive, quick and informational exchanges (SA with proposals and
 * transforms for ISAKMP, AH, ESP and IPComp and every attribute tcpdump names, KE, every ID type, CERT, CR,
 * HASH, SIG, NONCE, notifications of both DOIs and every range, DELETE, VID, encrypted bodies), IKEv2
 * IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL (SA/proposal/transform of every type, KE,
 * IDi/IDr of every type, CERT, CERTREQ, AUTH, Nonce, every Notify type tcpdump names and the ranges, Delete,
 * VID, TSi/TSr, SK, CP, EAP, critical bits), other versions and exchange types, bad and short lengths,
 * NAT keep-alives, non-ESP markers and ESP; whole and cut at every length of the UDP payload, compared with
 * tcpdump packet by packet (default, -v to -vvvv; -x tells its long jumps from its own checks). The
 * initiator-cookie memory (I/R/?) is compared on a conversation through the printer with its context.
 *
 * @module
 */
import assert from "node:assert/strict";
import { IsakmpCookies, isakmpText, natTraversalText } from "../../lib/wire/_isakmp.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { parseIpv4Address, parseIpv6Address } from "../../lib/wire/address.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const b = (...x: number[]) => new Uint8Array(x);
const u16 = (n: number) => b((n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const str = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** `n` bytes counting up from `from`. */
const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, k) => (from + k) & 255);
const zero8 = new Uint8Array(8);

type Opts = { len?: number; crit?: number; np?: number };
type Item = [number, Uint8Array, Opts?];
/** A generic payload header (next payload, critical, length) and its body. */
const payload = (np: number, body: Uint8Array, o: Opts = {}) =>
  cat(b(np, o.crit ?? 0), u16(o.len ?? body.length + 4), body);
/** A chain of payloads of the given types (each names the next): the first type and the bytes. */
const chain = (...items: Item[]): [number, Uint8Array] => [
  items.length ? items[0][0] : 0,
  cat(...items.map(([_, body, o], k) => payload(o?.np ?? items[k + 1]?.[0] ?? 0, body, o))),
];

let cookies = 0x100;
/** A fresh initiator cookie for every message, so that tcpdump's cookie memory sees each once. */
const cookie = () => cat(u32(0xc0c0c0c0), u32(cookies++));
interface Head {
  ick?: Uint8Array;
  rck?: Uint8Array;
  np?: number;
  ver?: number;
  etype: number;
  flags?: number;
  msgid?: number;
  len?: number;
}
/** An ISAKMP message: the header (IKEv1 unless `ver`) and a payload chain; the length counts them all. */
const msg = (h: Head, ...items: Item[]) => {
  const [np, body] = chain(...items);
  const head = b(h.np ?? np, h.ver ?? 0x10, h.etype, h.flags ?? 0);
  return cat(
    h.ick ?? cookie(),
    h.rck ?? zero8,
    head,
    u32(h.msgid ?? 0),
    u32(h.len ?? 28 + body.length),
    body,
  );
};
const V2 = 0x20;
/** A basic (TV) and a variable (TLV) data attribute. */
const tv = (t: number, v: number) => cat(u16(0x8000 | t), u16(v));
const tlv = (t: number, d: Uint8Array) => cat(u16(t), u16(d.length), d);

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const A = { src: "10.0.0.1", dst: "10.0.0.2" };
const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const udp4 = (sp: number, dp: number, data: Uint8Array, a = A) =>
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ ...a, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, a)),
  );
const udp6 = (sp: number, dp: number, data: Uint8Array, a = A6) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...a, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, a)),
  );
const ike = (m: Uint8Array) => udp4(500, 500, m);
/**
 * A datagram whose UDP length leaves `short` bytes of the IP payload outside it (and a wrong checksum: a
 * zero one makes tcpdump print `[no cksum]` with -vv on cut frames, which netkit's UDP line does not).
 */
const shortUdp = (sp: number, dp: number, data: Uint8Array, short: number) => {
  const f = udp4(sp, dp, data);
  const ulen = 8 + data.length - short;
  f[38] = ulen >> 8, f[39] = ulen & 0xff, f[40] = 0x12, f[41] = 0x34;
  return f;
};

// IKEv1.

/** Two IKE transforms using every Oakley attribute tcpdump names, values named and not. */
const IKE_TRANSFORMS: Item[] = [
  [3, cat(b(1, 1, 0, 0), tv(1, 5), tv(2, 2), tv(3, 1), tv(4, 2), tv(11, 1), tlv(12, u32(86400)))],
  [
    3,
    cat(
      b(2, 1, 0, 0),
      ...[[1, 7], [14, 256], [2, 4], [3, 3], [4, 14], [5, 2], [11, 2], [12, 1000], [13, 1], [15, 1]].map(
        ([t, v]) => tv(t, v),
      ),
      ...[[16, 9], [17, 2], [4, 18], [4, 19], [1, 9], [30, 1], [2, 6], [3, 5], [5, 3], [1, 8]].map(([t, v]) =>
        tv(t, v)
      ),
      tlv(6, seq(3)),
      tlv(7, b()),
      tlv(8, b(2)),
      tlv(9, b(5)),
      tlv(10, b(7)),
    ),
  ],
  [3, cat(b(3, 2, 0, 0), tv(1, 1))],
];
const ikeSa = (sit = 1) =>
  cat(
    u32(1),
    u32(sit),
    sit !== 1 ? u32(7) : b(),
    chain([2, cat(b(1, 1, 0, 3), chain(...IKE_TRANSFORMS)[1])])[1],
  );
const VENDOR_ID = hex("4a131c81070358455c5728f20e95452f");

/** An ESP proposal (every IPsec attribute), an AH one, an IPComp one. */
const IPSEC_SA = cat(
  u32(1),
  u32(1),
  chain(
    [
      2,
      cat(
        b(1, 3, 4, 2),
        u32(0xdeadbeef),
        chain(
          [3, cat(b(1, 12, 0, 0), tv(1, 1), tlv(2, u32(3600)), tv(3, 2), tv(4, 1), tv(5, 2), tv(6, 128))],
          [
            3,
            cat(b(2, 3, 0, 0), tv(7, 4), tv(8, 3), tlv(9, b(1, 2)), tv(4, 2), tv(5, 4), tv(1, 2), tv(3, 18)),
          ],
        )[1],
      ),
    ],
    [2, cat(b(2, 2, 4, 1), u32(0xdeadbef0), chain([3, cat(b(1, 3, 0, 0), tv(5, 1))])[1])],
    [
      2,
      cat(b(3, 4, 2, 2), u16(0x1234), chain([3, cat(b(1, 2, 0, 0), tv(1, 1))], [3, cat(b(2, 9, 0, 0))])[1]),
    ],
    [2, cat(b(4, 2, 0, 1), chain([3, cat(b(1, 8, 0, 0))])[1])],
    [2, cat(b(5, 9, 0, 1), chain([3, cat(b(1, 77, 0, 0), tv(1, 1), tlv(5, seq(2)))])[1])],
  )[1],
);

/** Identification payloads of every type tcpdump decodes, with good and too short data. */
const IDS: Uint8Array[] = [
  cat(b(1, 17, 1, 0xf4), b(192, 168, 0, 1)),
  cat(b(1, 0, 0, 0), b(1, 2, 3)),
  cat(b(2, 0, 0, 0), str("vpn.example.com")),
  cat(b(3, 0, 0, 0), str("me@x\x01\xff")),
  cat(b(4, 6, 0, 80), b(10, 1, 0, 0, 255, 255, 255, 0)),
  cat(b(4, 0, 0, 0), b(1, 2, 3, 4)),
  cat(b(5, 0, 0, 0), hex("20010db8000000000000000000000001")),
  cat(b(5, 0, 0, 0), b(1)),
  cat(b(6, 0, 0, 0), hex("20010db8000000000000000000000000ffffffffffffffff0000000000000000")),
  cat(b(6, 0, 0, 0), b(1, 2)),
  cat(b(7, 0, 0, 0), b(10, 1, 0, 0, 10, 1, 0, 255)),
  cat(b(7, 0, 0, 0), b(1, 2, 3)),
  cat(b(8, 0, 0, 0), hex("20010db800000000000000000000000120010db80000000000000000000000ff")),
  cat(b(8, 0, 0, 0), b(0)),
  cat(b(9, 0, 0, 0), seq(30)),
  cat(b(10, 0, 0, 0), seq(3)),
  cat(b(11, 0, 0, 0), str("key")),
  cat(b(0, 0, 0, 0), seq(5)),
  cat(b(12, 255, 0xff, 0xff), seq(5)),
  b(1, 0, 0, 0),
  b(1, 0, 0),
];

/** A notification: DOI, protocol, SPI, type, data. */
const notify = (doi: number, proto: number, type: number, spi: Uint8Array, data: Uint8Array): Item => [
  11,
  cat(u32(doi), b(proto, spi.length), u16(type), spi, data),
];
const del = (doi: number, proto: number, spiSize: number, n: number, data: Uint8Array): Item => [
  12,
  cat(u32(doi), b(proto, spiSize), u16(n), data),
];
const v1 = (...items: Item[]) => ike(msg({ etype: 2 }, ...items));

/**
 * An all-zero initiator cookie is found in tcpdump's memory while some of its 20 slots are still unused
 * (all zero), so it prints `?`: these go first, before 20 other exchanges are recorded.
 */
const ZERO_COOKIE: Uint8Array[] = [
  ike(msg({ ick: zero8, etype: 2 }, [13, seq(4)])),
  ike(msg({ ick: zero8, rck: seq(8, 1), etype: 2 }, [10, seq(4)])),
];

const IKEV1: Uint8Array[] = [
  // Main mode, aggressive mode (situation with secrecy: `ident=`), encrypted bodies.
  ike(msg({ etype: 2 }, [1, ikeSa()], [13, VENDOR_ID], [13, VENDOR_ID])),
  ike(
    msg(
      { etype: 4 },
      [1, ikeSa(3)],
      [4, seq(128)],
      [10, seq(20, 7)],
      [5, IDS[0]],
      [5, IDS[2]],
      [13, str("vendor-id")],
    ),
  ),
  ike(msg({ etype: 32, msgid: 0x12345678, flags: 1 }, [8, seq(20)], [1, seq(40)])),
  ike(msg({ etype: 5, msgid: 0x12345678, flags: 3, rck: seq(8, 1) }, [8, seq(20)])),
  ike(msg({ etype: 1, flags: 2 }, [10, seq(8)])),
  ike(msg({ etype: 3, flags: 4 }, [10, seq(8)])),
  ike(msg({ etype: 33, flags: 0xf8 }, [10, seq(8)])),
  ike(msg({ etype: 0, msgid: 1 }, [10, seq(8)])),
  ike(msg({ etype: 6 }, [10, seq(8)])),
  ike(msg({ etype: 255, ver: 0x1f }, [10, seq(8)])),
  // Quick mode in the clear: hash, ESP/AH/IPComp SA, nonce, KE, subnet and range IDs.
  ike(
    msg(
      { etype: 32, msgid: 0x01020304, rck: seq(8, 9) },
      [8, seq(20)],
      [1, IPSEC_SA],
      [10, seq(16)],
      [4, seq(64)],
      [5, IDS[4]],
      [5, IDS[10]],
    ),
  ),
  // Every ID type (phase 1 and 2 alike).
  ike(msg({ etype: 2, rck: seq(8, 3) }, ...IDS.map((d): Item => [5, d]))),
  ike(msg({ etype: 32, msgid: 9 }, ...IDS.map((d): Item => [5, d]))),
  // Certificates, requests, hash, signature, nonce, vendor ID.
  ike(
    msg(
      { etype: 2, msgid: 5 },
      [6, cat(b(4), seq(40))],
      [6, cat(b(1))],
      [7, cat(b(11), seq(2))],
      [7, b(10)],
      [6, b(0)],
      [8, seq(20)],
      [9, seq(32)],
      [10, seq(4)],
      [10, seq(40)],
      [13, seq(4)],
    ),
  ),
  // Notifications: IPsec DOI (every range, SPI, data, responder lifetime, replay status) and another DOI.
  v1(
    notify(1, 1, 24578, seq(16), b()),
    notify(1, 2, 24577, b(), u32(0)),
    notify(1, 3, 24577, seq(4), u32(1)),
    notify(1, 1, 24576, seq(4), cat(tv(11, 1), tlv(12, u32(3600)), tv(11, 2), tv(12, 100), tv(99, 1))),
    notify(1, 1, 24576, b(), cat(tv(11, 1), u16(12), u16(20))),
    notify(1, 3, 14, b(), seq(8)),
    notify(1, 3, 8192, b(), seq(3)),
    notify(1, 3, 8193, b(), b()),
    notify(1, 3, 16384, b(), b()),
    notify(1, 3, 16385, b(), b()),
    notify(1, 3, 24579, b(), b()),
    notify(1, 0, 40000, b(), b()),
    notify(1, 7, 31, b(), b()),
    notify(1, 4, 30, b(), b()),
  ),
  v1(
    notify(2, 3, 14, b(), seq(8)),
    notify(0, 1, 9000, seq(4), b()),
    notify(0, 1, 16384, b(), b()),
    notify(0, 1, 16390, b(), b()),
    notify(0, 1, 24576, b(), b()),
    notify(0, 1, 40000, b(), b()),
    [13, seq(4)],
  ),
  v1(...Array.from({ length: 31 }, (_, t) => notify(1, 1, t, b(), b()))),
  v1(notify(1, 2, 24577, b(), b(1, 2))),
  v1(notify(1, 1, 14, b(), b())),
  // Deletes: SPIs listed, another DOI, zero-sized SPIs, more SPIs than bytes.
  v1(del(1, 3, 4, 2, seq(8)), del(5, 9, 16, 1, seq(16)), del(1, 1, 0, 3, b()), del(1, 3, 4, 9, seq(8))),
  // SA oddities: another DOI, situation 0, an attribute longer than its transform, a cut proposal, a
  // proposal of 2 bytes, no proposal, an IKEv2 payload number and SK inside IKEv1.
  v1([1, cat(u32(2), u32(7), seq(8))], [13, seq(4)]),
  v1([1, cat(u32(1), u32(0), seq(4), chain([2, cat(b(1, 9, 0, 1), chain([3, cat(b(1, 3, 0, 0))])[1])])[1])]),
  v1([
    1,
    cat(
      u32(1),
      u32(6),
      u32(0),
      chain([2, cat(b(1, 1, 0, 1), chain([3, cat(b(1, 1, 0, 0), tv(1, 1), u16(2), u16(40), seq(4))])[1])])[1],
    ),
  ], [13, seq(4)]),
  v1([1, cat(u32(1), u32(1), chain([2, cat(b(1, 1, 2, 1), seq(2), chain([3, b(1, 0, 0, 0)])[1])])[1]), {
    len: 100,
  }]),
  v1([1, cat(u32(1), u32(1), payload(0, cat(b(1, 1, 0, 1), payload(0, b(1, 1, 0, 0)), payload(0, b()))))]),
  v1([1, cat(u32(1), u32(1))]),
  v1([1, cat(u32(1), u32(1), payload(0, b(), { len: 2 }))], [13, seq(4)]),
  v1([46, seq(8)], [48, seq(3)], [49, seq(2)], [20, seq(4)], [10, seq(4)]),
  // Payload lengths of 0, 2 and longer than the message; a length field that is not the UDP length.
  v1([10, seq(4)], [13, seq(4), { len: 0 }]),
  v1([10, seq(4)], [13, seq(4), { len: 2 }]),
  v1([10, seq(4), { len: 300 }]),
  ike(msg({ etype: 2, len: 999 }, [13, seq(4)])),
  // Other ports, a UDP length shorter than the IP payload, a message shorter than its header.
  udp4(7500, 1234, msg({ etype: 2 }, [13, seq(4)])),
  udp4(1234, 8500, msg({ etype: 2 }, [13, seq(4)])),
  shortUdp(500, 500, msg({ etype: 2 }, [10, seq(8)]), 6),
  ike(seq(27)),
  ike(b()),
  udp6(500, 500, msg({ etype: 2 }, [1, ikeSa()], [10, seq(12)])),
];

// IKEv2.

const tr = (type: number, id: number, ...attrs: Uint8Array[]) => cat(b(type, 0), u16(id), ...attrs);
const prop = (no: number, proto: number, spi: Uint8Array, ...ts: Item[]) =>
  cat(b(no, proto, spi.length, ts.length), spi, chain(...ts)[1]);
/** Transforms of every type, ids named and not, with attributes. */
const TRANSFORMS: Item[] = [
  [3, tr(1, 12, tv(14, 128))],
  [3, tr(1, 3)],
  [3, tr(1, 20, tv(14, 256), tv(1, 5))],
  [3, tr(2, 2)],
  [3, tr(2, 4)],
  [3, tr(2, 7)],
  [3, tr(3, 2)],
  [3, tr(3, 5)],
  [3, tr(3, 12)],
  [3, tr(4, 2)],
  [3, tr(4, 14)],
  [3, tr(4, 0)],
  [3, tr(4, 19)],
  [3, tr(5, 0)],
  [3, tr(5, 1)],
  [3, tr(5, 2)],
  [3, tr(6, 1, tlv(3, b(1, 2)))],
  [3, tr(0, 9)],
];
const SA2 = chain(
  [2, prop(1, 1, b(), ...TRANSFORMS)],
  [2, prop(2, 3, u32(0x01020304), [3, tr(1, 12, tv(14, 128))], [3, tr(3, 2)], [3, tr(5, 0)])],
  [2, prop(3, 2, u32(5), [3, tr(3, 2)])],
)[1];
const RCK = seq(8, 50);
const init = (o: Partial<Head> = {}) =>
  msg(
    { ver: V2, etype: 34, flags: 8, ...o },
    [33, SA2],
    [34, cat(u16(14), u16(0), seq(32))],
    [40, seq(32)],
    [41, cat(b(0, 0), u16(16388), seq(20))],
    [41, cat(b(0, 0), u16(16389), seq(20))],
    [43, str("strongSwan\x01")],
  );
const NOTIFY_TYPES = [
  1,
  4,
  5,
  7,
  9,
  11,
  14,
  17,
  24,
  34,
  35,
  36,
  37,
  39,
  16384,
  16385,
  16386,
  16387,
  16388,
  16389,
];
NOTIFY_TYPES.push(16390, 16391, 16392, 16393, 16394, 16395, 2, 8191, 8192, 16383, 16396, 40959, 40960, 65535);
/** An IKE SA_INIT with a malformed SA body. */
const sa2 = (body: Uint8Array, o: Opts = {}) => ike(msg({ ver: V2, etype: 34 }, [33, body, o], [40, seq(4)]));

const IKEV2: Uint8Array[] = [
  ike(init()),
  udp4(500, 500, init({ flags: 0x20, rck: RCK }), { src: "10.0.0.2", dst: "10.0.0.1" }),
  udp6(500, 500, init()),
  // IKE_AUTH: encrypted (over port 4500 too), then its payloads in the clear.
  udp4(
    4500,
    4500,
    cat(u32(0), msg({ ver: V2, etype: 35, flags: 8, msgid: 1, rck: RCK }, [46, seq(80), { np: 35 }])),
  ),
  ike(msg({ ver: V2, etype: 35, flags: 0x28, msgid: 1, rck: RCK }, [46, seq(80), { np: 36, crit: 0x80 }])),
  ike(
    msg(
      { ver: V2, etype: 35, flags: 8, msgid: 1, rck: RCK },
      [35, cat(b(1, 0, 0, 0), b(10, 0, 0, 1))],
      [36, cat(b(2, 0, 0, 0), str("peer.example\x7f"))],
      [35, cat(b(3, 0, 0, 0), str("a@b"))],
      [36, cat(b(5, 0, 0, 0), seq(16))],
      [35, cat(b(9, 0, 0, 0), seq(12))],
      [36, cat(b(10, 0, 0, 0), seq(3))],
      [35, cat(b(11, 0, 0, 0), seq(3))],
      [36, cat(b(4, 0, 0, 0), seq(3))],
      [37, cat(b(4), seq(30))],
      [38, cat(b(4), seq(20))],
      [39, cat(b(1, 0, 0, 0), seq(40))],
      [39, cat(b(2, 0, 0, 0), seq(20))],
      [39, cat(b(9, 0, 0, 0), seq(2))],
      [41, cat(b(3, 4), u16(16384), u32(7))],
      [44, cat(b(1, 0, 0, 0), b(7, 0, 0, 16), u16(0), u16(65535), b(10, 0, 0, 0, 10, 0, 0, 255))],
      [45, seq(24)],
      [47, cat(b(1, 0, 0, 0), u16(1), u16(0))],
      [48, cat(b(1, 5), u16(5), b(1))],
      [42, cat(b(1, 0), u16(0))],
      [41, cat(b(3, 4), u16(16391), u32(9))],
      [33, SA2, { crit: 0x80 }],
      [34, cat(u16(99), u16(0), seq(8)), { crit: 0x80 }],
      [40, seq(8), { crit: 0x80 }],
      [43, seq(6), { crit: 0x80 }],
      [37, seq(3), { crit: 0x80 }],
    ),
  ),
  // INFORMATIONAL: every notify type tcpdump names and each range; cookies long and short.
  ike(
    msg(
      { ver: V2, etype: 37, flags: 0x20, msgid: 7, rck: RCK },
      ...NOTIFY_TYPES.map((
        t,
        k,
      ): Item => [41, cat(b(k % 5, k % 3 ? 4 : 0), u16(t), k % 3 ? u32(k) : b(), seq(k % 4))]),
    ),
  ),
  ike(msg({ ver: V2, etype: 37, flags: 0x20, msgid: 7, rck: RCK }, [41, cat(b(1, 0), u16(16390), seq(40))])),
  ike(msg({ ver: V2, etype: 37, flags: 0x20, msgid: 7, rck: RCK }, [41, cat(b(1, 0), u16(16390), seq(10))])),
  ike(msg({ ver: V2, etype: 37, msgid: 8, rck: RCK }, [42, cat(b(3, 4), u16(2), seq(8))])),
  // CREATE_CHILD_SA.
  ike(
    msg(
      { ver: V2, etype: 36, flags: 0x18, msgid: 2, rck: RCK },
      [33, SA2],
      [40, seq(16)],
      [34, cat(u16(2), u16(0), seq(16))],
      [44, seq(8)],
      [45, seq(8)],
    ),
  ),
  // Other versions and exchange types, the E flag, IKEv1 payloads inside IKEv2.
  ike(msg({ ver: 0x30, etype: 34 }, [1, seq(8)])),
  ike(msg({ ver: 0x21, etype: 99, flags: 0xff }, [1, seq(8)])),
  ike(msg({ ver: V2, etype: 33, flags: 1 }, [40, seq(8)])),
  ike(
    msg(
      { ver: V2, etype: 34 },
      [
        1,
        cat(u32(1), u32(1), chain([2, cat(b(1, 1, 0, 1), chain([3, cat(b(1, 1, 0, 0), tv(1, 1))])[1])])[1]),
      ],
      [13, seq(4)],
      [99, seq(4)],
      [20, seq(4)],
    ),
  ),
  // Bad lengths: the header's, a payload of 4, short KE/ID/AUTH, longer than the message.
  ike(msg({ ver: V2, etype: 34, len: 999 }, [40, seq(8)])),
  ike(msg({ ver: V2, etype: 34 }, [40, seq(8)], [41, b(0, 0, 0), { len: 4 }], [40, seq(8)])),
  ike(msg({ ver: V2, etype: 34 }, [34, seq(2)], [35, seq(2)], [39, seq(3)], [43, b()], [40, seq(2)])),
  ike(msg({ ver: V2, etype: 34 }, [35, seq(1)], [39, seq(1)])),
  ike(msg({ ver: V2, etype: 34 }, [40, seq(8), { len: 200 }])),
  // SA bodies tcpdump stops in: a transform longer than its proposal, a proposal longer than the SA,
  // lengths of 4, an SPI larger than the proposal, other payload types in the lists, attributes longer
  // than their transform, an SA of 6 and of 7 bytes.
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(0, tr(1, 12), { len: 40 })))),
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(0, tr(1, 12))), { len: 60 })),
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(0, tr(1, 12), { len: 4 })))),
  sa2(payload(0, b(1, 1, 0, 1), { len: 4 })),
  sa2(payload(0, cat(b(1, 1, 20, 1), seq(4), payload(0, tr(1, 12))))),
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(7, tr(1, 12)), payload(0, seq(4))))),
  sa2(cat(payload(5, cat(b(1, 1, 0, 1), payload(0, tr(1, 12)))), payload(0, seq(4)))),
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(0, cat(tr(1, 12), tlv(14, seq(10))))))),
  sa2(
    cat(
      payload(0, cat(b(1, 1, 0, 1), payload(0, cat(tr(1, 12), u16(14), u16(10), seq(2))))),
      payload(0, seq(8)),
    ),
  ),
  sa2(payload(0, cat(b(1, 1, 0, 2), payload(3, cat(tr(1, 12), b(0x80))), payload(0, tr(3, 2))))),
  sa2(payload(0, cat(b(1, 1, 0, 1), payload(0, tr(1, 12)))), { len: 6 }),
  sa2(b(1, 2, 3)),
];

// RFC 3948 on port 4500.
const NATT: Uint8Array[] = [
  udp4(4500, 4500, b(0xff)),
  udp4(4500, 1234, b(0xfe)),
  udp4(4500, 4500, b(0xff, 0xff)),
  udp4(4500, 4500, b(0, 0, 0)),
  udp4(4500, 4500, b(0, 0, 0, 0)),
  udp4(4500, 4500, cat(u32(0), seq(20))),
  udp4(4500, 4500, cat(u32(0), msg({ etype: 5, msgid: 9 }, notify(1, 1, 24578, b(), b())))),
  udp4(4500, 4500, cat(u32(0), msg({ etype: 2, len: 7 }, [13, seq(4)]))),
  udp4(1234, 4500, cat(u32(0x100), seq(30))),
  udp4(4500, 4500, cat(u32(0x1000), u32(5))),
  udp4(4500, 4500, cat(u32(0x1000), u32(5), b(1))),
  udp6(4500, 4500, cat(u32(0xffffffff), u32(0xffffffff), seq(16))),
  shortUdp(4500, 4500, cat(u32(0x1000), u32(5), seq(8)), 4),
];

/** The UDP payload cut at every length (the IP and UDP headers whole). */
function cuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = [];
  for (const f of frames) {
    const start = f[12] === 0x86 ? 62 : 42;
    for (let n = start; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-vvv"], ["-vvvv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-x"]];

const ALL = [...ZERO_COOKIE, ...IKEV1, ...IKEV2, ...NATT];
/** The zero-cookie frames whole and cut, then the others whole and cut. */
const FRAMES: Frame[] = [ZERO_COOKIE, [...IKEV1, ...IKEV2, ...NATT]].flatMap((fs) => [
  ...fs.map((data) => ({ data })),
  ...cuts(fs),
]);

Deno.test("golden: tcpdump's ISAKMP text", () => {
  const at = (f: Uint8Array, v: number) => isakmpText(f.subarray(42), f.length - 42, v)?.text;
  const m = msg(
    { ick: hex("0102030405060708"), etype: 2 },
    [
      1,
      cat(
        u32(1),
        u32(1),
        chain([2, cat(b(1, 1, 0, 1), chain([3, cat(b(1, 1, 0, 0), tv(1, 5), tv(2, 2))])[1])])[1],
      ),
    ],
    [10, seq(24)],
  );
  assert.equal(at(ike(m), 0), "isakmp: phase 1 I ident");
  assert.equal(
    at(ike(m), 2),
    "isakmp 1.0 msgid 00000000 cookie 0102030405060708->0000000000000000: phase 1 I ident:" +
      "\n    (sa: doi=ipsec situation=identity" +
      "\n        (p: #1 protoid=isakmp transform=1" +
      "\n            (t: #1 id=ike (type=enc value=3des)(type=hash value=sha1))))" +
      // -vv: the first 10 bytes and the rest up to 20 (of the capture, not of the payload).
      "\n    (nonce: n len=24  data=(00010203040506070809...0a0b0c0d0e0f1011121314151617))",
  );
  const v2 = msg(
    { ick: hex("0102030405060708"), ver: V2, etype: 34, flags: 8 },
    [34, cat(u16(14), u16(0), seq(4))],
    [41, cat(b(0, 0), u16(16388), seq(20))],
    [46, seq(8)],
  );
  assert.equal(at(ike(v2), 0), "isakmp: parent_sa ikev2_init[I]");
  assert.equal(
    at(ike(v2), 1),
    "isakmp 2.0 msgid 00000000: parent_sa ikev2_init[I]:" +
      "\n    (v2ke: len=4 group=modp2048)" +
      "\n    (n: prot_id=#0 type=16388(nat_detection_source_ip))" +
      "\n    (v2e: len=8)",
  );
  const q = msg({ ick: hex("0102030405060708"), rck: RCK, etype: 32, msgid: 0x1234, flags: 1 }, [8, seq(20)]);
  assert.equal(
    at(ike(q), 1),
    "isakmp 1.0 msgid 00001234: phase 2/others ? oakley-quick[E]: [encrypted hash]",
  );
  const nat = (d: Uint8Array) => natTraversalText(d, d.length, 0)?.text;
  assert.equal(nat(b(0xff)), "isakmp-nat-keep-alive");
  assert.equal(nat(b(0, 0)), " [|isakmp_rfc3948]");
  assert.equal(nat(cat(u32(0), q)), "NONESP-encap: isakmp: phase 2/others ? oakley-quick[E]");
  assert.equal(nat(cat(u32(0x1000), u32(5), seq(40))), "UDP-encap: ESP(spi=0x00001000,seq=0x5), length 48");
  assert.equal(nat(cat(u32(0x1000), u32(5))), "UDP-encap:  [|esp]");
});

Deno.test("isakmpText: tcpdump's own checks against its long jumps", () => {
  const m = msg({ ick: seq(8), etype: 2 }, [10, seq(8)], [13, seq(4)]);
  assert.deepEqual(isakmpText(m.subarray(0, 27), m.length, 1), { text: " [|isakmp]", jump: false });
  // The second payload's header: checked before it is read.
  assert.deepEqual(isakmpText(m.subarray(0, 43), m.length, 1), {
    text: "isakmp 1.0 msgid 00000000: phase 1 I ident:\n    (nonce: n len=8) [|vid]",
    jump: false,
  });
  // A replay status of 2 bytes: its 4 are read unchecked, past the capture.
  const r = msg({ ick: seq(8), etype: 2 }, notify(1, 2, 24577, b(), b(1, 2)));
  assert.deepEqual(isakmpText(r, r.length, 1), {
    text:
      "isakmp 1.0 msgid 00000000: phase 1 I ident:\n    (n: doi=ipsec proto=ipsec-ah type=REPLAY-STATUS status=(" +
      " [|isakmp]",
    jump: true,
  });
  // No input throws, at any verbosity, cut anywhere.
  for (const f of ALL) {
    for (let n = 42; n <= f.length; n++) {
      for (const v of [0, 1, 2, 3, 4]) {
        assert(isakmpText(f.subarray(42, n), f.length - 42, v) !== null);
        assert(natTraversalText(f.subarray(42, n), f.length - 42, v) !== null);
      }
    }
  }
});

Deno.test("IsakmpCookies: I for the initiator, R for the responder, ? for others and unknown cookies", () => {
  const c = new IsakmpCookies();
  const ip = (src: string, dst: string) => ({ src: parseIpv4Address(src), dst: parseIpv4Address(dst) });
  const ck = seq(8, 1), r = seq(8, 9);
  assert.equal(c.side(ck, zero8, ip("10.0.0.1", "10.0.0.2")), "I");
  assert.equal(c.side(ck, r, ip("10.0.0.2", "10.0.0.1")), "R");
  assert.equal(c.side(ck, r, ip("10.0.0.1", "10.0.0.2")), "I");
  assert.equal(c.side(ck, r, ip("10.0.0.3", "10.0.0.1")), "?");
  assert.equal(c.side(seq(8, 20), r, ip("10.0.0.1", "10.0.0.2")), "?");
  assert.equal(c.side(zero8, zero8, ip("10.0.0.1", "10.0.0.2")), "?");
  const v6 = { src: parseIpv6Address("2001:db8::2"), dst: parseIpv6Address("2001:db8::1") };
  assert.equal(c.side(ck, r, v6), "?");
  c.clear();
  assert.equal(c.side(ck, r, ip("10.0.0.2", "10.0.0.1")), "?");
});

/** The text after `sport > dport: ` in tcpdump's lines for each frame. */
async function tcpdumpTexts(frames: Uint8Array[], flags: string[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-isakmp-" });
  try {
    const file = `${dir}/f.pcap`;
    Deno.writeFileSync(file, pcapBytes(1, frames.map((data) => ({ data }))));
    return (await tcpdumpRead(file, flags)).map((l) =>
      l.replace(/^[^]*?\.\d+ > \S+\.\d+: (\[udp sum ok\] )?/, "")
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

testIf(
  "IKEv1's I/R/? follows tcpdump's memory of 20 initiators (IPv4 and IPv6, port 4500 too)",
  needCommands("tcpdump"),
  async () => {
    const B = { src: "10.0.0.2", dst: "10.0.0.1" }, C = { src: "10.0.0.3", dst: "10.0.0.1" };
    const B6 = { src: "2001:db8::2", dst: "2001:db8::1" };
    const ck = (n: number) => cat(u32(0xabcdef00), u32(n));
    const m = (ick: Uint8Array, rck = zero8) => msg({ ick, rck, etype: 2 }, [13, seq(4)]);
    const conv: [{ src: string; dst: string }, Uint8Array, boolean?][] = [
      [A, m(ck(1))],
      [B, m(ck(1), RCK)],
      [A, m(ck(1), RCK)],
      [C, m(ck(1), RCK)],
      [C, m(ck(1))],
      [A6, m(ck(2))],
      [B6, m(ck(2), RCK)],
      [A, m(ck(2), RCK)],
      [B6, m(ck(2)), true],
      [B, m(ck(1)), true],
      [A, m(zero8)],
      ...Array.from(
        { length: 22 },
        (_, k): [{ src: string; dst: string }, Uint8Array] => [k % 2 ? A : A6, m(ck(100 + k))],
      ),
      [A, m(zero8)],
      [B, m(ck(1), RCK)],
      [B, m(ck(119), RCK)],
      [A, m(ck(1))],
      [B, m(zero8, RCK)],
      [A, m(zero8, RCK)],
    ];
    const frames = conv.map(([a, d, nat]) => {
      const data = nat ? cat(u32(0), d) : d;
      const port = nat ? 4500 : 500;
      return a.src.includes(":") ? udp6(port, port, data, a) : udp4(port, port, data, a);
    });
    for (const v of [0, 1]) {
      const want = await tcpdumpTexts(frames, v ? ["-v"] : []);
      const cache = new IsakmpCookies();
      conv.forEach(([a, d, nat], i) => {
        const six = a.src.includes(":");
        const parse = six ? parseIpv6Address : parseIpv4Address;
        const ctx = { ip: { src: parse(a.src), dst: parse(a.dst) }, cookies: cache };
        const data = nat ? cat(u32(0), d) : d;
        const got = (nat ? natTraversalText : isakmpText)(data, data.length, v, ctx)?.text;
        assert.equal(got, want[i], `#${i + 1}`);
      });
    }
  },
);

testIf(
  "ISAKMP datagrams print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    assert.equal(await compareFramesWithTcpdump(FRAMES, FLAGS), FRAMES.length * FLAGS.length);
  },
);

testIf(
  "ISAKMP with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    assert.equal(await compareFramesWithTcpdump(FRAMES, HEX_FLAGS), FRAMES.length * HEX_FLAGS.length);
  },
);
