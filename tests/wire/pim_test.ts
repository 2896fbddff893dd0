/**
 * PIM (IP protocol 103): tcpdump 4.99's text over hand-built PIMv2 messages on IPv4 and IPv6 (every Hello
 * option, Register with carried IPv4/IPv6 packets and null-registers, Register-Stop, Join/Prune, Graft and
 * Graft-ACK with groups and sources, Bootstrap, Assert, C-RP-Adv, type 9, DF Election, unknown types, the
 * RFC 2117 address encoding, other versions, correct, incorrect and unverified checksums, the IPv6
 * pseudo-header of a routing header's final destination), whole, cut at every length inside the message
 * (`-x` tells tcpdump's long jumps from its own checks) and shortened on the wire.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6, Ipv6ExtType } from "../../lib/wire/ipv6.ts";
import { parseIpv6Address } from "../../lib/wire/address.ts";
import { internetChecksum, pseudoHeaderV6 } from "../../lib/wire/checksum.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { pimText } from "../../lib/wire/_pim.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
const v4 = (a: string) => Uint8Array.from(a.split("."), Number);
const v6 = parseIpv6Address;

const SRC4 = "10.0.0.1", ALL_PIM4 = "224.0.0.13", RP4 = "10.9.9.9";
const SRC6 = "fe80::1", ALL_PIM6 = "ff02::d";

/** Where the message goes: IPv4 addresses, or IPv6 ones (`sumDst`: the routing header's final one). */
interface To {
  src: string;
  dst: string;
  sumDst?: string;
}
const TO4: To = { src: SRC4, dst: ALL_PIM4 }, TO_RP: To = { src: SRC4, dst: RP4 };
const TO6: To = { src: SRC6, dst: ALL_PIM6 };
const isV6 = (to: To) => to.src.includes(":");

interface PimOptions {
  version?: number;
  reserved?: number;
  /** The checksum to carry; default: computed over `sumLen` bytes (default all). */
  sum?: number;
  sumLen?: number;
}

/** A PIM message for `to`: version/type, reserved byte, checksum, body. */
function pim(to: To, type: number, body: Uint8Array, o: PimOptions = {}): Uint8Array {
  const m = cat(bytes(((o.version ?? 2) << 4) | type, o.reserved ?? 0), u16(0), body);
  let sum = o.sum;
  if (sum === undefined) {
    const n = o.sumLen ?? m.length;
    const initial = isV6(to) ? pseudoHeaderV6(v6(to.src), v6(to.sumDst ?? to.dst), 103, n) : 0;
    sum = internetChecksum(m.subarray(0, n), initial);
  }
  m.set(u16(sum), 2);
  return m;
}

/** The frame: Ethernet, IPv4 or IPv6 (`ext`: its extension headers), the message. */
function frame(
  to: To,
  message: Uint8Array,
  ext: Parameters<typeof emitIpv6>[0]["extHeaders"] = [],
): Uint8Array {
  if (isV6(to)) {
    const ip = emitIpv6({ src: to.src, dst: to.dst, proto: 103, hopLimit: 1, extHeaders: ext }, message);
    return emitEthernet({ src: "00:11:22:33:44:55", dst: "33:33:00:00:00:0d", ethertype: 0x86dd }, ip);
  }
  const ip = emitIpv4({ src: to.src, dst: to.dst, proto: 103, ttl: 1, id: 1 }, message);
  return emitEthernet({ src: "00:11:22:33:44:55", dst: "01:00:5e:00:00:0d", ethertype: 0x0800 }, ip);
}

/** A hello option: type, length (default the value's), value. */
const opt = (type: number, value: Uint8Array, len = value.length) => cat(u16(type), u16(len), value);
/** Encoded unicast, group and source addresses (family 1 for a dotted quad, 2 for IPv6). */
const family = (a: string) => a.includes(":") ? bytes(2, 0) : bytes(1, 0);
const addr = (a: string) => a.includes(":") ? v6(a) : v4(a);
const eu = (a: string) => cat(family(a), addr(a));
const eg = (a: string, mask = a.includes(":") ? 128 : 32, flags = 0) =>
  cat(family(a), bytes(flags, mask), addr(a));
const es = (a: string, mask = a.includes(":") ? 128 : 32, flags = 4) =>
  cat(family(a), bytes(flags, mask), addr(a));

const HELLO_OPTIONS = cat(
  opt(1, u16(105)),
  opt(2, cat(u16(0x8000 | 500), u16(2500))),
  opt(19, u32(1)),
  opt(20, u32(0xdeadbeef)),
  opt(21, bytes(1, 60, 0, 0)),
  opt(22, zeros(0)),
  opt(24, cat(eu("10.0.0.2"), eu("10.0.0.3"))),
  opt(99, bytes(1, 2, 3)),
  opt(100, hex("000102030405060708090a0b0c0d0e0f1011")),
);

/** A packet a Register carries. */
const INNER_UDP = emitIpv4(
  { src: "192.168.1.1", dst: "239.1.1.1", proto: 17, ttl: 5, id: 1 },
  emitUdp(
    { srcPort: 1000, dstPort: 2000 },
    text("hello"),
    { src: "192.168.1.1", dst: "239.1.1.1" },
  ),
);
const INNER_ICMP = emitIpv4(
  { src: "1.1.1.1", dst: "239.1.1.1", proto: 1, id: 7 },
  emitIcmpv4({ type: 8, id: 1, seq: 2 }, text("abcd")),
);
const INNER_V6 = emitIpv6(
  { src: "2001:db8::1", dst: "ff3e::1", proto: 17 },
  emitUdp({ srcPort: 1, dstPort: 2 }, text("x"), { src: "2001:db8::1", dst: "ff3e::1" }),
);
const NULL_HEADER = emitIpv4({ src: "192.168.1.1", dst: "239.1.1.1", proto: 0, ttl: 5 });
/** Register: flags, then the packet; its checksum over the 8-byte header unless `whole`. */
const register = (to: To, flags: number, inner: Uint8Array, o: PimOptions = {}) =>
  pim(to, 1, cat(u32(flags), inner), { sumLen: 8, ...o });
const setByte = (b: Uint8Array, at: number, v: number) => {
  const c = b.slice();
  c[at] = v;
  return c;
};

const JOIN_BODY = cat(
  bytes(0, 2),
  u16(210),
  eg("239.1.1.1"),
  u16(2),
  u16(1),
  es("192.168.1.1"),
  es("10.0.0.0", 8, 7),
  es("1.1.1.1", 32, 0xff),
  eg("239.2.2.2", 16, 1),
  u16(0),
  u16(1),
  es("0.0.0.0", 0, 0),
);
const JOIN_V6 = cat(
  eu("fe80::fe"),
  bytes(0, 1),
  u16(3600),
  eg("ff3e::1"),
  u16(1),
  u16(1),
  es("2001:db8::1"),
  es("2001:db8::", 64, 5),
);
/** RFC 2117 addresses (reserved byte 4): no family or encoding bytes. */
const JOIN_2117 = cat(
  v4("10.0.0.254"),
  bytes(0, 1),
  u16(60),
  bytes(0, 32),
  v4("239.1.1.1"),
  u16(1),
  u16(0),
  bytes(4, 32),
);

const BOOTSTRAP = cat(
  u16(0x1234),
  bytes(30, 100),
  eu("10.0.0.1"),
  eg("224.0.0.0", 4),
  bytes(2, 2, 0, 0),
  eu("10.0.0.5"),
  u16(150),
  bytes(1, 0),
  eu("10.0.0.6"),
  u16(150),
  bytes(2, 0),
  eg("239.0.0.0", 8),
  bytes(1, 1, 0, 0),
  eu("10.0.0.7"),
  u16(0),
  bytes(3, 0),
);
const CRP = cat(bytes(2, 192), u16(150), eu("10.0.0.5"), eg("239.0.0.0", 8), eg("224.0.0.0", 4));
const DF = (subtype: number, rest: Uint8Array = zeros(0)) =>
  pim(TO4, 10, cat(eu("10.0.0.100"), u32(100), u32(10), rest), { reserved: subtype << 4 });

/** Messages on IPv4 and IPv6 (no IPv6 packet inside a Register: see WIRE_SHORT). */
const MESSAGES: [To, Uint8Array][] = [
  // Hello: every option, then wrong, zero and odd checksums.
  [TO4, pim(TO4, 0, HELLO_OPTIONS)],
  [TO4, pim(TO4, 0, HELLO_OPTIONS, { sum: 0x1234 })],
  [TO4, pim(TO4, 0, HELLO_OPTIONS, { sum: 0 })],
  [
    TO4,
    pim(
      TO4,
      0,
      cat(
        opt(18, zeros(0)),
        opt(18, u32(7)),
        opt(21, bytes(2, 0, 1, 2)),
        opt(65001, eu("1.2.3.4")),
        opt(1, u16(0xffff)),
      ),
    ),
  ],
  [TO4, pim(TO4, 0, cat(opt(21, bytes(1, 0, 0, 0)), opt(1, u16(0)), opt(2, u32(1000))))],
  // Wrong option lengths end the message.
  ...[[1, 3], [2, 2], [18, 3], [19, 2], [20, 2], [21, 2]].map(([t, n]): [To, Uint8Array] => [
    TO4,
    pim(TO4, 0, cat(opt(t, zeros(n)), opt(1, u16(1)))),
  ]),
  // An option longer than the message, a header cut short, empty messages.
  [TO4, pim(TO4, 0, cat(opt(1, u16(1)), opt(20, u32(1)).subarray(0, 6)))],
  [TO4, pim(TO4, 0, bytes(0, 1, 0))],
  [TO4, pim(TO4, 0, zeros(0))],
  [TO4, pim(TO4, 0, zeros(0), { reserved: 0x21 })],
  // Address lists: an unknown family, IPv6, a short address, one running into the next option.
  [TO4, pim(TO4, 0, opt(24, cat(eu("1.2.3.4"), bytes(3, 0, 1, 2))))],
  [TO4, pim(TO4, 0, opt(24, cat(eu("1.2.3.4"), eu("2001:db8::1"), bytes(2, 1))))],
  [TO4, pim(TO4, 0, opt(24, eu("1.2.3.4").subarray(0, 4)))],
  [TO4, pim(TO4, 0, cat(opt(24, eu("1.2.3.4").subarray(0, 4)), opt(1, u16(5))))],
  [TO4, pim(TO4, 0, opt(24, v4("1.2.3.4")), { reserved: 4 })],
  [TO4, pim(TO4, 0, opt(24, v4("1.2.3.4")), { reserved: 5 })],
  [TO4, pim(TO4, 0, opt(24, zeros(16)), { reserved: 0x10 })],
  [TO6, pim(TO6, 0, cat(HELLO_OPTIONS, opt(24, eu("fe80::2"))))],
  [TO6, pim(TO6, 0, HELLO_OPTIONS, { sum: 1 })],
  // Register: checksums over the header, over the whole message, wrong; flags; carried packets.
  [TO_RP, register(TO_RP, 0, INNER_UDP)],
  [TO_RP, register(TO_RP, 0, INNER_UDP, { sumLen: 8 + INNER_UDP.length })],
  [TO_RP, register(TO_RP, 0x80000000, INNER_UDP, { sum: 0x1111 })],
  [TO_RP, register(TO_RP, 0x40000000, NULL_HEADER)],
  [TO_RP, register(TO_RP, 0xc0000000, zeros(20))],
  [TO_RP, register(TO_RP, 0x40000000, cat(zeros(12), v4("10.1.1.1"), v4("239.2.2.2")))],
  [TO_RP, register(TO_RP, 1, INNER_ICMP)],
  [TO_RP, register(TO_RP, 0, hex("70"), { sum: 0 })],
  [TO_RP, register(TO_RP, 0, zeros(0))],
  [TO_RP, pim(TO_RP, 1, bytes(0, 0), { sumLen: 8 })],
  [TO_RP, register(TO_RP, 0, setByte(INNER_UDP, 0, 0x44))],
  [TO_RP, register(TO_RP, 0, setByte(setByte(INNER_UDP, 2, 0), 3, 10))],
  [TO_RP, register(TO_RP, 0, INNER_UDP.subarray(0, 30))],
  // Register-Stop.
  [TO_RP, pim(TO_RP, 2, cat(eg("239.1.1.1"), eu("192.168.1.1")))],
  [TO_RP, pim(TO_RP, 2, cat(eg("239.1.1.0", 24, 0x81), eu("192.168.1.1")))],
  [TO_RP, pim(TO_RP, 2, cat(bytes(0, 32), v4("239.1.1.1"), v4("192.168.1.1")), { reserved: 4 })],
  [TO6, pim(TO6, 2, cat(eg("ff3e::1"), eu("2001:db8::1")))],
  // Join/Prune, Graft, Graft-ACK.
  [TO4, pim(TO4, 3, cat(eu("10.0.0.254"), JOIN_BODY))],
  [TO4, pim(TO4, 3, cat(eu("10.0.0.254"), bytes(0, 0), u16(0xffff)))],
  [
    TO4,
    pim(TO4, 3, cat(eu("10.0.0.254"), bytes(0, 3), u16(10), eg("239.1.1.1"), u16(5), u16(0), es("1.1.1.1"))),
  ],
  [TO4, pim(TO4, 3, cat(bytes(1, 1), v4("10.0.0.254"), JOIN_BODY))],
  [TO4, pim(TO4, 3, cat(bytes(9, 0), v4("10.0.0.254"), JOIN_BODY))],
  [TO4, pim(TO4, 3, JOIN_2117, { reserved: 4 })],
  [TO4, pim(TO4, 6, cat(eu("10.0.0.254"), JOIN_BODY))],
  [TO4, pim(TO4, 7, JOIN_BODY)],
  [TO6, pim(TO6, 3, JOIN_V6)],
  // Bootstrap.
  [TO4, pim(TO4, 4, BOOTSTRAP)],
  [TO4, pim(TO4, 4, cat(u16(1), bytes(126, 0), eu("2001:db8::1")))],
  [
    TO4,
    pim(
      TO4,
      4,
      cat(u16(1), bytes(30, 1), eu("10.0.0.1"), eg("224.0.0.0", 4), bytes(3, 3, 0, 0), eu("10.0.0.5")),
    ),
  ],
  [TO4, pim(TO4, 4, cat(u16(1), bytes(30, 1), eu("10.0.0.1"), eg("224.0.0.0", 4), bytes(1, 1, 0)))],
  // Assert, also on IPv6 behind a routing header: the checksum takes its final destination.
  [TO4, pim(TO4, 5, cat(eg("239.1.1.1"), eu("192.168.1.1"), u32(0x80000065), u32(20)))],
  [TO4, pim(TO4, 5, cat(eg("239.1.1.1"), eu("192.168.1.1"), u32(0x65), u32(20)))],
  [TO4, pim(TO4, 5, cat(eg("239.1.1.1"), eu("192.168.1.1"), u32(0x65)))],
  // Candidate-RP-Advertisement.
  [TO_RP, pim(TO_RP, 8, CRP)],
  [TO_RP, pim(TO_RP, 8, cat(bytes(0, 0), u16(0), eu("10.0.0.5")))],
  [TO_RP, pim(TO_RP, 8, cat(bytes(5, 1), u16(65535), eu("10.0.0.5"), eg("239.0.0.0", 8)))],
  // Type 9 (State Refresh) as tcpdump reads it, and as RFC 3973 lays it out.
  [TO4, pim(TO4, 9, cat(eu("192.168.1.1"), eg("239.1.1.1"), eu("10.0.0.1"), u16(60)))],
  [
    TO4,
    pim(
      TO4,
      9,
      cat(
        eg("239.1.1.1"),
        eu("192.168.1.1"),
        eu("10.0.0.1"),
        u32(0x80000064),
        u32(10),
        bytes(200, 64, 0x80, 60),
      ),
    ),
  ],
  // DF Election: every subtype.
  [TO4, DF(1)],
  [TO4, DF(2)],
  [TO4, DF(3, cat(eu("10.0.0.2"), u32(5), u32(6), u16(1000)))],
  [TO4, DF(4, cat(eu("10.0.0.2"), u32(5), u32(6)))],
  [TO4, DF(7)],
  [TO4, DF(3, cat(eu("10.0.0.2"), u32(5), u32(6)))],
  // Other types, other versions, lengths too short for the header.
  [TO4, pim(TO4, 11, zeros(8))],
  [TO4, pim(TO4, 15, zeros(8))],
  [TO4, pim(TO4, 0, zeros(8), { version: 1 })],
  [TO4, pim(TO4, 0, zeros(8), { version: 3 })],
  [TO4, pim(TO4, 0, zeros(8), { version: 0 })],
  [TO4, bytes(0x20)],
  [TO4, bytes(0x20, 0)],
  [TO4, bytes(0x20, 0, 0)],
  [TO4, bytes(0x20, 4, 0)],
];

const ROUTED: To = { src: "2001:db8::9", dst: "2001:db8::a", sumDst: "2001:db8::ff" };
const RH0 = [{
  type: Ipv6ExtType.ROUTING,
  nextHeader: 103,
  data: cat(bytes(0, 1), zeros(4), v6("2001:db8::ff")),
}];
const REGISTER6: To = { src: "2001:db8::9", dst: "2001:db8::a" };

/** Frames with what they carry whole; cut and shortened below. */
const FRAMES: Uint8Array[] = [
  ...MESSAGES.map(([to, m]) => frame(to, m)),
  frame(ROUTED, pim(ROUTED, 5, cat(eg("ff3e::1"), eu("2001:db8::1"), u32(1), u32(2))), RH0),
  frame(ROUTED, pim(ROUTED, 5, cat(eg("ff3e::1"), eu("2001:db8::1"), u32(1), u32(2)), { sum: 0xbeef }), RH0),
];

/** Whole only: a Register of IPv6 (netkit does not print IPv6's `truncated-ip6` when shortened). */
const WHOLE_ONLY: Uint8Array[] = [
  frame(TO_RP, register(TO_RP, 0, INNER_V6)),
  frame(REGISTER6, register(REGISTER6, 0, INNER_V6)),
  frame(REGISTER6, register(REGISTER6, 0, INNER_V6, { sumLen: 8 + INNER_V6.length })),
  frame(REGISTER6, register(REGISTER6, 0, INNER_V6, { sum: 0xffff })),
  // Ethernet padding after the message.
  cat(frame(TO4, pim(TO4, 0, opt(1, u16(30)))), zeros(12)),
];

/** Where the message starts in a frame: after Ethernet and the IP header (and IPv6's extensions). */
const messageAt = (f: Uint8Array) =>
  f[12] === 0x08 ? 14 + (f[14] & 0x0f) * 4 : 14 + 40 + (f[20] === 43 ? 24 : 0);

/** Every frame whole, then cut by the capture at every length inside the message. */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = messageAt(f); n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

/** Every message of `MESSAGES` shortened on the wire: its first n bytes, the IP header saying so. */
function wireShort(): Frame[] {
  const out: Frame[] = [];
  for (const [to, m] of MESSAGES) {
    for (let n = 0; n < m.length; n++) out.push({ data: frame(to, m.subarray(0, n)) });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-x"]];

const d = new PacketDecoder();
const at = (f: Uint8Array, verbosity = 0) => summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity });
/** The text from `PIMv` on. */
const body = (f: Uint8Array, verbosity: number) => {
  const s = at(f, verbosity);
  return s.slice(s.indexOf("PIMv"));
};

Deno.test("golden: tcpdump's PIMv2 text", () => {
  const hello = frame(TO4, pim(TO4, 0, HELLO_OPTIONS));
  assert.equal(at(hello), "IP 10.0.0.1 > 224.0.0.13: PIMv2, Hello, length 91");
  assert.equal(
    body(hello, 1),
    "PIMv2, length 91\n\tHello, cksum 0xd2c2 (correct)" +
      "\n\t  Hold Time Option (1), length 2, Value: 1m45s" +
      "\n\t  LAN Prune Delay Option (2), length 4, Value: " +
      "\n\t    T-bit=1, LAN delay 500ms, Override interval 2500ms" +
      "\n\t  DR Priority Option (19), length 4, Value: 1" +
      "\n\t  Generation ID Option (20), length 4, Value: 0xdeadbeef" +
      "\n\t  State Refresh Capability Option (21), length 4, Value: v1, interval 1m" +
      "\n\t  Bi-Directional Capability Option (22), length 0, Value: " +
      "\n\t  Address List Option (24), length 12, Value: " +
      "\n\t  Unknown Option (99), length 3, Value: " +
      "\n\t    0x0000:  0102 03" +
      "\n\t  Unknown Option (100), length 18, Value: " +
      "\n\t    0x0000:  0001 0203 0405 0607 0809 0a0b 0c0d 0e0f" +
      "\n\t    0x0010:  1011",
  );
  assert.ok(
    body(hello, 2).includes(
      "Address List Option (24), length 12, Value: \n\t    10.0.0.2\n\t    10.0.0.3\n\t    0x0000:  0100 0a00",
    ),
  );
  assert.equal(
    body(frame(TO4, pim(TO4, 3, cat(eu("10.0.0.254"), JOIN_BODY))), 1),
    "PIMv2, length 70\n\tJoin / Prune, cksum 0x0ffd (correct), upstream-neighbor: 10.0.0.254" +
      "\n\t  2 group(s), holdtime: 3m30s" +
      "\n\t    group #1: 239.1.1.1, joined sources: 2, pruned sources: 1" +
      "\n\t      joined source #1: 192.168.1.1(S)" +
      "\n\t      joined source #2: 10.0.0.0/8(SWR)" +
      "\n\t      pruned source #1: 1.1.1.1(SWR+0xf8)" +
      "\n\t    group #2: 239.2.2.2/16(0x01), joined sources: 0, pruned sources: 1" +
      "\n\t      pruned source #1: 0.0.0.0/0",
  );
  assert.equal(
    body(frame(TO_RP, register(TO_RP, 0x80000000, INNER_UDP, { sum: 0x1111 })), 1),
    "PIMv2, length 41\n\tRegister, cksum 0x1111 (incorrect), Flags [ Border ]" +
      "\n\tIP (tos 0x0, ttl 5, id 1, offset 0, flags [none], proto UDP (17), length 33)" +
      "\n    192.168.1.1.1000 > 239.1.1.1.2000: UDP, length 5",
  );
  assert.equal(
    body(frame(TO_RP, register(TO_RP, 0x40000000, cat(zeros(12), v4("10.1.1.1"), v4("239.2.2.2")))), 1),
    "PIMv2, length 28\n\tRegister, cksum 0x9eff (correct), Flags [ Null ]\n\tIP-Null-header 10.1.1.1 > 239.2.2.2",
  );
  assert.equal(
    body(frame(TO4, pim(TO4, 4, BOOTSTRAP)), 1).split("\n\t")[1],
    "Bootstrap, cksum 0xa417 (correct) tag=1234 hashmlen=30 BSRprio=100 BSR=10.0.0.1 (group0: 224.0.0.0/4 " +
      "RPcnt=2 FRPcnt=2 RP0=10.0.0.5,holdtime=2m30s,prio=1 RP1=10.0.0.6,holdtime=2m30s,prio=2) (group1: " +
      "239.0.0.0/8 RPcnt=1 FRPcnt=1 RP0=10.0.0.7,holdtime=0s,prio=3)",
  );
  assert.equal(
    body(frame(TO_RP, pim(TO_RP, 8, CRP)), 1).split("\n\t")[1],
    "Candidate RP Advertisement, cksum 0xf896 (correct) prefix-cnt=2 prio=192 holdtime=2m30s RP=10.0.0.5 " +
      "Group0=239.0.0.0/8 Group1=224.0.0.0/4",
  );
  assert.equal(
    body(frame(TO6, pim(TO6, 2, cat(eg("ff3e::1"), eu("2001:db8::1")))), 1),
    "PIMv2, length 42\n\tRegister Stop, cksum 0xae62 (correct) group=ff3e::1 source=2001:db8::1",
  );
  assert.equal(
    body(frame(TO4, DF(3, cat(eu("10.0.0.2"), u32(5), u32(6), u16(1000)))), 1),
    "PIMv2, length 34\n\tDF Election, cksum 0xbb08 (correct)" +
      "\n\t  Backoff, rpa=10.0.0.100 sender pref=100 sender metric=10" +
      "\n\t  offer addr=10.0.0.2 offer pref=5 offer metric=6 interval 1000ms",
  );
  assert.equal(
    body(frame(TO4, pim(TO4, 15, zeros(8))), 1),
    "PIMv2, length 12\n\tUnknown Type, cksum 0xd0ff (correct) [type 15]",
  );
  assert.equal(at(frame(TO4, pim(TO4, 0, zeros(8), { version: 1 })), 1).split(": ")[1], "PIMv1, length 12");
  assert.equal(body(frame(TO4, bytes(0x20, 0, 0)), 1), "PIMv2, length 3\n\tHello[length 3 < 4] (invalid)");
});

Deno.test("pimText: reads past the capture are long jumps, tcpdump's own checks are not", () => {
  const ip = { src: v4(SRC4), dst: v4(ALL_PIM4) };
  const m = pim(TO4, 0, cat(opt(1, u16(105)), opt(20, u32(9))));
  assert.deepEqual(pimText(m.subarray(0, 0), m.length, { verbosity: 0, ip }), {
    text: " [|pim]",
    jump: true,
  });
  assert.deepEqual(pimText(m.subarray(0, 1), m.length, { verbosity: 0, ip }), {
    text: "PIMv2, Hello, length 18",
    jump: false,
  });
  // The option's type is read by a GET macro; its value is checked by ND_TCHECK_LEN first.
  assert.deepEqual(pimText(m.subarray(0, 12), m.length, { verbosity: 1, ip }), {
    text: "PIMv2, length 18\n\tHello, cksum 0xdf72 (unverified)" +
      "\n\t  Hold Time Option (1), length 2, Value: 1m45s [|pimv2]",
    jump: true,
  });
  assert.deepEqual(pimText(m.subarray(0, 14), m.length, { verbosity: 1, ip }), {
    text: "PIMv2, length 18\n\tHello, cksum 0xdf72 (unverified)" +
      "\n\t  Hold Time Option (1), length 2, Value: 1m45s" +
      "\n\t  Generation ID Option (20), length 4, Value:  [|pimv2]",
    jump: false,
  });
  // IPv6: the checksum takes the pseudo-header.
  const ip6 = { src: v6(SRC6), dst: v6(ALL_PIM6) };
  const m6 = pim(TO6, 0, opt(1, u16(105)));
  assert.match(pimText(m6, m6.length, { verbosity: 1, ip: ip6 }).text, /\(correct\)/);
  assert.match(pimText(m6, m6.length, { verbosity: 1, ip }).text, /\(incorrect\)/);
  // A Register hands its packet to the caller's printer when it gives one.
  const r = register(TO_RP, 0, INNER_UDP);
  const seen: number[] = [];
  const out = pimText(r, r.length, {
    verbosity: 1,
    ip: { src: v4(SRC4), dst: v4(RP4) },
    datagram: (b, n) => (seen.push(b.length, n), { text: "INNER", jump: true }),
  });
  assert.deepEqual(out, {
    text: "PIMv2, length 41\n\tRegister, cksum 0xdeff (correct), Flags [ none ]\n\tINNER",
    jump: true,
  });
  assert.deepEqual(seen, [33, 33]);
  // No input throws, at any verbosity.
  for (const f of [...FRAMES, ...WHOLE_ONLY]) {
    const p = f.subarray(messageAt(f));
    for (let n = 0; n <= p.length; n++) {
      for (const v of [0, 1, 2, 3]) {
        assert.equal(typeof pimText(p.subarray(0, n), p.length, { verbosity: v, ip }).text, "string");
        assert.equal(typeof pimText(p.subarray(0, n), n, { verbosity: v, ip }).text, "string");
      }
    }
  }
});

testIf(
  "PIM messages print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = [...withCuts(FRAMES), ...WHOLE_ONLY.map((data) => ({ data }))];
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "PIM messages shortened on the wire print as tcpdump prints them",
  needCommands("tcpdump"),
  async () => {
    const frames = wireShort();
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "PIM with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = [...withCuts(FRAMES), ...wireShort()];
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
