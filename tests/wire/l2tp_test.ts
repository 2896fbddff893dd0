/**
 * L2TP (UDP 1701) as tcpdump 4.99 prints it, over hand-built datagrams: every control message type, every
 * AVP tcpdump decodes (with good values and too short ones), hidden, vendor, unknown and optional AVPs, AVP
 * lengths below the header, past the message and past the capture, every flag (T, L, S, O, P), a zero
 * length body (ZLB), missing, short and long lengths, offset padding, L2F and other versions, and data
 * messages carrying PPP (address and control bytes or not, pppd's direction bytes, compressed protocol
 * fields, LCP, IPCP, CCP, PAP, CHAP, MLPPP, BAP, compressed data, unknown protocols, RFC 1662 escapes);
 * whole and cut at every length of the UDP payload, compared with tcpdump packet by packet (default, -v,
 * -vv; -x tells its long jumps from its own checks). PPP frames carrying IP or IPv6 need the sniffer's own
 * printer: they are compared through l2tpText with one built from netkit's summarizer.
 *
 * @module
 */
import assert from "node:assert/strict";
import { l2tpText, type PppNetworkPrinter } from "../../lib/wire/_l2tp.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const b = (...x: number[]) => new Uint8Array(x);
const u16 = (n: number) => b((n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const str = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, k) => (from + k) & 255);

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const A = { src: "10.0.0.1", dst: "10.0.0.2" };
const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const udp4 = (sp: number, dp: number, data: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, A)),
  );
const udp6 = (sp: number, dp: number, data: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...A6, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, A6)),
  );
const l2 = (d: Uint8Array) => udp4(1701, 1701, d);

/** An AVP: mandatory unless told, hidden, a vendor, a length other than its size. */
const avp = (
  type: number,
  v: Uint8Array,
  o: { m?: boolean; h?: boolean; vendor?: number; len?: number } = {},
) =>
  cat(
    u16((o.m === false ? 0 : 0x8000) | (o.h ? 0x4000 : 0) | (o.len ?? v.length + 6)),
    u16(o.vendor ?? 0),
    u16(type),
    v,
  );
/** A control message (T, L and S by default): the header's fields, then the AVPs. */
const ctl = (
  avps: Uint8Array[],
  o: { flags?: number; ns?: number; nr?: number; len?: number; ver?: number } = {},
) => {
  const body = cat(...avps);
  const flags = o.flags ?? 0xc800;
  const len = flags & 0x4000 ? u16(o.len ?? 12 + body.length) : b();
  const ns = flags & 0x0800 ? cat(u16(o.ns ?? 0), u16(o.nr ?? 0)) : b();
  return cat(u16(flags | (o.ver ?? 2)), len, u16(1), u16(0), ns, body);
};
const type = (t: number) => avp(0, u16(t));
/** A data message (no flags unless told) on tunnel 1, session 2, carrying `ppp`. */
const data = (ppp: Uint8Array, flags = 0x0002, extra: Uint8Array = b()) =>
  l2(cat(u16(flags), extra, u16(1), u16(2), ppp));

const CONTROL: Uint8Array[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 300].map((t) =>
    l2(ctl([type(t)], { ns: t, nr: t + 1 }))
  ),
  l2(ctl([
    type(1),
    avp(2, b(1, 0)),
    avp(3, u32(3)),
    avp(4, u32(3)),
    avp(5, seq(8)),
    avp(6, u16(0x0680)),
    avp(7, str("lac.example")),
    avp(8, str("Vendor\x01\xff")),
    avp(9, u16(77)),
    avp(10, u16(4)),
  ])),
  l2(ctl([
    type(2),
    avp(11, seq(16)),
    avp(13, seq(16)),
    avp(3, u32(1)),
    avp(4, u32(2)),
    avp(3, u32(2)),
    avp(4, u32(1)),
    avp(3, u32(0)),
    avp(4, u32(0xfffffffc)),
  ])),
  l2(ctl([
    type(4),
    avp(1, u16(1)),
    avp(1, cat(u16(2), u16(6))),
    avp(1, cat(u16(2), u16(6), str("bye now"))),
    avp(1, b(1)),
    avp(1, b(0, 2, 0)),
    avp(9, u16(3)),
  ])),
  l2(ctl([
    type(10),
    avp(14, u16(9)),
    avp(15, u32(123456)),
    avp(18, u32(1)),
    avp(18, u32(2)),
    avp(18, u32(3)),
    avp(21, str("5551212")),
    avp(22, str("5553434")),
    avp(23, str("sub")),
    avp(25, u32(7)),
    avp(12, cat(u16(16), b(0x1f))),
    avp(12, cat(u16(16), b(2), str("cause"))),
    avp(12, b(1, 2)),
  ])),
  l2(ctl([
    type(12),
    avp(24, u32(64000)),
    avp(19, u32(1)),
    avp(19, u32(2)),
    avp(20, b()),
    avp(26, seq(10)),
    avp(27, seq(6)),
    avp(28, seq(4)),
    ...[1, 2, 3, 4, 5, 0, 9].map((t) => avp(29, u16(t))),
    avp(30, str("user")),
    avp(31, seq(8)),
    avp(32, u16(0x1234)),
    avp(33, seq(16)),
    avp(38, u32(128000)),
    avp(39, b()),
    avp(16, u32(9600)),
    avp(17, u32(1000000)),
  ])),
  l2(ctl([
    type(14),
    avp(1, cat(u16(3), u16(0))),
    avp(46, cat(u16(1), u16(0xc021), b(0))),
    avp(46, cat(u16(2), u16(0x8021), b(1), str("peer"))),
    avp(46, cat(u16(2), u16(0x8021), b(2))),
    avp(46, cat(u16(2), u16(0x8021), b(7))),
    avp(46, seq(4)),
  ])),
  l2(ctl([
    type(15),
    avp(34, cat(u16(0), u32(1), u32(2), u32(3), u32(4), u32(5), u32(6))),
    avp(34, cat(u16(0), u32(1), u32(2))),
    avp(34, b(0)),
    avp(34, cat(u16(0), u32(1), u32(2), u32(3), u32(4), u32(5), b(1, 2))),
  ])),
  l2(ctl([
    type(16),
    avp(35, cat(u16(0), u32(0xffffffff), u32(0x1234))),
    avp(35, cat(u16(0), u32(0xffffffff))),
    avp(35, b(1)),
    avp(36, seq(16)),
    avp(37, str("grp")),
  ])),
  // Values too short for every AVP that has a minimum.
  l2(ctl(
    [[0, 1], [2, 1], [3, 3], [4, 0], [5, 7], [6, 1], [9, 0], [10, 1], [13, 15], [14, 0], [15, 3], [16, 0], [
      17,
      0,
    ]]
      .concat([[18, 0], [19, 0], [24, 0], [25, 0], [29, 1], [32, 1], [38, 1]])
      .map(([t, n]) => avp(t, seq(n))),
  )),
  // Hidden, vendor, unknown and optional AVPs.
  l2(ctl([
    type(1),
    avp(7, seq(8), { h: true }),
    avp(0, u16(1), { h: true, m: false }),
    avp(1, seq(6), { vendor: 9 }),
    avp(40, seq(3)),
    avp(45, b()),
    avp(99, seq(2), { m: false }),
    avp(1, b(), { vendor: 311, h: true }),
  ])),
  // AVP lengths: below the header, past the message, the largest, with reserved bits set.
  l2(ctl([type(1), avp(7, seq(8), { len: 5 }), type(2)])),
  l2(ctl([type(1), avp(7, seq(8), { len: 40 })])),
  l2(ctl([type(1), avp(7, seq(8), { len: 0x3ff })])),
  l2(ctl([type(1), avp(7, seq(8), { len: 0x3c00 | 14 })])),
  // Headers: ZLB with and without S, no L, lengths longer and shorter than the message, offset and
  // priority, L2F, versions 3 and 0.
  l2(ctl([])),
  l2(ctl([], { flags: 0xc000 })),
  l2(ctl([type(6)], { flags: 0x8800 })),
  l2(ctl([type(6)], { len: 200 })),
  l2(ctl([type(6)], { len: 6 })),
  l2(ctl([type(6)], { len: 14 })),
  l2(cat(u16(0xca02), u16(22), u16(1), u16(2), u16(3), u16(4), u16(2), b(0, 0), type(6))),
  l2(cat(u16(0xcb02), u16(20), u16(1), u16(2), u16(3), u16(4), type(6))),
  l2(cat(u16(0x0001), seq(10))),
  l2(cat(u16(0xc803), seq(10))),
  l2(cat(u16(0x0000), seq(10))),
  l2(cat(u16(0xffff), seq(10))),
  udp6(1701, 1701, ctl([type(1), avp(7, str("v6"))])),
  udp4(1701, 1702, ctl([type(6)])),
  udp4(1234, 1701, b(0)),
  udp4(1234, 1701, b()),
];

/** PPP frames tcpdump prints without another protocol's printer. */
const PPP_FRAMES = [
  "80fd01020004",
  "12340102030405060708090a0b0c0d0e0f101112",
  "0003c021010100080102030400",
  "0103c021090100080000ffff",
  "00",
  "ff03",
  "ff0300",
  "ff03c02109010008aabbccdd",
  "ff03802101010010030a000001810600000000",
  "ff0300fd0001",
  "fd0001",
  "ff03003d0001",
  "ff03003dc0010203",
  "ff03003d4fff",
  "ff03003d80",
  "ff03c02d0102",
  "ff03c0230101000a03616263",
  "ff03c2230101000e04aabbccdd6e616d65",
  "ff03c02701020304",
  "ff038057010100040000",
  "ff037e21",
  "ff037d21",
  "ff037eff7d23c02109010008aabbccdd",
  "ff037eff7d",
  "ff037e00ff",
  "ff037eff037eab",
  "ff037e57",
  "ff037eff03",
  "ff037e7d",
  "ff03c021",
  "ff03c02109",
  "c021",
];
const DATA: Uint8Array[] = [
  ...PPP_FRAMES.map((h) => data(hex(h))),
  // With L (right, too long), with S, with O (no padding, 5 bytes of it).
  data(hex("ff03c02109010008aabbccdd"), 0x4802, u16(22)),
  data(hex("ff03c02109010008aabbccdd"), 0x4002, u16(14)),
  data(hex("ff03c02109010008aabbccdd"), 0x4002, u16(18)),
  data(hex("ff03c02109010008aabbccdd"), 0x0802, u32(0x00050006)),
  data(hex("ff03c02109010008aabbccdd"), 0x0a02, u16(0)),
  data(hex("ff03c02109010008aabbccdd"), 0x0b02, u16(5)),
];

const inner4 = emitIpv4(
  { src: "10.1.1.1", dst: "10.1.1.2", proto: 17 },
  emitUdp({ srcPort: 1000, dstPort: 2000 }, seq(12), { src: "10.1.1.1", dst: "10.1.1.2" }),
);
const inner6 = emitIpv6(
  { src: "fe80::1", dst: "fe80::2", proto: 17 },
  emitUdp({ srcPort: 1000, dstPort: 2000 }, seq(4), { src: "fe80::1", dst: "fe80::2" }),
);
const ICMP = hex("450000540000000040017c0c0a0101010a010102080000000001000100");
/** Data messages carrying IP: with and without address/control, compressed, old numbers, escaped, cut. */
const NETWORK: Uint8Array[] = [
  data(cat(hex("ff030021"), inner4)),
  data(cat(hex("21"), inner4)),
  data(cat(hex("0057"), inner6)),
  data(cat(hex("ff030800"), inner4)),
  data(cat(hex("ff0386dd"), inner6)),
  data(cat(hex("002f"), inner4)),
  data(cat(hex("ff037e21"), inner4)),
  data(cat(hex("0021"), ICMP)),
  // MPLS (a label, bottom of stack) over IPv4; the wrong IP version for the protocol number.
  data(cat(hex("0281 000101ff"), inner4)),
  data(cat(hex("0021"), inner6)),
  data(cat(hex("0057"), inner4, new Uint8Array(20))),
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
const ALL = [...CONTROL, ...DATA];
const FRAMES: Frame[] = [...ALL.map((d) => ({ data: d })), ...cuts(ALL)];

Deno.test("golden: tcpdump's L2TP text", () => {
  const at = (f: Uint8Array, v = 0) => l2tpText(f.subarray(42), f.length - 42, v)?.text;
  assert.equal(
    at(
      l2(
        ctl([type(1), avp(2, b(1, 0)), avp(3, u32(3)), avp(7, str("lac")), avp(9, u16(77))], {
          ns: 0,
          nr: 0,
        }),
      ),
    ),
    " l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) *PROTO_VER(1.0) *FRAMING_CAP(AS) *HOST_NAME(lac) *ASSND_TUN_ID(77)",
  );
  assert.equal(
    at(l2(ctl([type(14), avp(1, cat(u16(2), u16(6), str("bye"))), avp(46, cat(u16(2), u16(0x8021), b(1)))]))),
    " l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(CDN) *RESULT_CODE(2/6 bye) *PPP_DISCON_CC(0002, 8021 at peer)",
  );
  assert.equal(
    at(l2(ctl([avp(7, seq(3), { h: true }), avp(1, seq(2), { vendor: 9, m: false }), avp(50, b())]))),
    " l2tp:[TLS](1/0)Ns=0,Nr=0 *?HOST_NAME(???) VENDOR0009:ATTR0001(0001) *AVP-#50()",
  );
  assert.equal(at(l2(ctl([]))), " l2tp:[TLS](1/0)Ns=0,Nr=0 ZLB");
  assert.equal(
    at(l2(ctl([type(1), avp(7, seq(8), { len: 5 })]))),
    " l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ)  [|l2tp]",
  );
  assert.equal(
    at(l2(ctl([type(6)], { len: 200 }))),
    " l2tp:[TLS](1/0)Ns=0,Nr=0 Length 200 larger than packet",
  );
  assert.equal(at(l2(cat(u16(0xc803), seq(10)))), " Unknown Version, neither L2F(1) nor L2TP(2)");
  assert.equal(
    at(data(hex("ff03c02109010008aabbccdd")), 1),
    " l2tp:[](1/2) {LCP, Echo-Request (0x09), id 1, length 10\n\tencoded length 8 (=Option(s) length 4)" +
      "\n\t  Magic-Num 0xaabbccdd}",
  );
  assert.equal(at(data(hex("ff03003d8001"))), " l2tp:[](1/2) {MLPPP, seq 0x001, Flags [begin], length 2}");
  assert.equal(at(data(hex("1234aabb"))), " l2tp:[](1/2) {unknown PPP protocol (0x1234) \n\t0x0000:  aabb}");
  // Without the sniffer's printer, an IP packet is only named.
  assert.equal(at(data(cat(hex("0021"), ICMP))), " l2tp:[](1/2) {IP (0x0021), length 29}");
  const net: PppNetworkPrinter = (p, bytes, n) => ({ text: `<${p} ${bytes.length} ${n}>`, jump: false });
  const f = data(cat(hex("ff037e7d01"), ICMP));
  assert.equal(l2tpText(f.subarray(42), f.length - 42, 0, net)?.text, " l2tp:[](1/2) {<33 29 29>}");
});

Deno.test("l2tpText: tcpdump's own checks against its long jumps", () => {
  const m = ctl([type(6)]).subarray(0, 7);
  assert.deepEqual(l2tpText(m.subarray(0, 1), 20, 0), { text: " [|l2tp]", jump: true });
  assert.deepEqual(l2tpText(m, 20, 0), { text: " l2tp:[TLS](1/ [|l2tp]", jump: true });
  // An AVP not captured whole: tcpdump's own check.
  const a = ctl([type(6), avp(7, str("host"))]);
  assert.deepEqual(l2tpText(a.subarray(0, a.length - 1), a.length, 0), {
    text: " l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(HELLO)  [|l2tp]",
    jump: false,
  });
  // In the PPP frame: its protocol field cut, and a control protocol's own long jump.
  const d = data(hex("ff03c02109010008aabbccdd")).subarray(42);
  assert.deepEqual(l2tpText(d.subarray(0, 9), d.length, 0), { text: " l2tp:[](1/2) { [|ppp]", jump: true });
  assert.deepEqual(l2tpText(d.subarray(0, 16), d.length, 1), {
    text:
      " l2tp:[](1/2) {LCP, Echo-Request (0x09), id 1, length 10\n\tencoded length 8 (=Option(s) length 4) [|ppp]",
    jump: true,
  });
  const jumped: PppNetworkPrinter = () => ({ text: "IP [|ip]", jump: true });
  const ip = data(cat(hex("0021"), ICMP)).subarray(42);
  assert.deepEqual(l2tpText(ip, ip.length, 0, jumped), { text: " l2tp:[](1/2) {IP [|ip]", jump: true });
  // No input throws, at any verbosity, cut anywhere.
  for (const f of [...ALL, ...NETWORK]) {
    for (let n = 42; n <= f.length; n++) {
      for (const v of [0, 1, 2]) assert(l2tpText(f.subarray(42, n), f.length - 42, v) !== null);
    }
  }
});

testIf(
  "L2TP datagrams print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const flags = [[], ["-v"], ["-vv"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(FRAMES, flags), FRAMES.length * flags.length);
  },
);

testIf(
  "L2TP with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const flags = [["-x"], ["-v", "-x"]];
    assert.equal(await compareFramesWithTcpdump(FRAMES, flags), FRAMES.length * flags.length);
  },
);

testIf(
  "L2TP data carrying IPv4, IPv6 and MPLS prints the carried packet as the sniffer does, as tcpdump does",
  needCommands("tcpdump"),
  async () => {
    // Whole, and cut at every length inside the carried packet.
    const frames: Frame[] = NETWORK.map((data) => ({ data }));
    for (const f of NETWORK) {
      for (let n = 50; n < f.length; n += 3) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-vv"], ["-x"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
