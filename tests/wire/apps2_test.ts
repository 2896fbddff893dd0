/**
 * TFTP, syslog, SNMP (UDP) and VRRP (IP protocol 112) summaries. Golden lines (printed by tcpdump 4.99.3 for
 * the same bytes, and checked against the installed tcpdump again when there is one); where scapy and
 * tcpdump are installed, packets generated now with scapy are compared with `tcpdump -n` line by line
 * (default, -e, -q, -v), whole and cut at every length past the IPv4 header; and where tcpdump is
 * installed, datagrams to and from every port check that tcpdump's port order picks the same dissector.
 */
import assert from "node:assert/strict";
import { needCommands, needScapy, run, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, compareWithTcpdump, type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer, summarize, type SummaryOptions } from "../../lib/wire/summary.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { internetChecksum } from "../../lib/wire/checksum.ts";
import { tftpText } from "../../lib/wire/_tftp.ts";
import { syslogText } from "../../lib/wire/_syslog.ts";
import { snmpText } from "../../lib/wire/_snmp.ts";
import { vrrpText } from "../../lib/wire/_vrrp.ts";

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const v4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const udp4 = (sp: number, dp: number, data: Uint8Array) =>
  emitIpv4({ ...v4, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, v4));
/** A datagram whose UDP length covers only `ulen` payload bytes of the `data` the IP packet carries. */
const udp4Short = (sp: number, dp: number, data: Uint8Array, ulen: number) => {
  const f = udp4(sp, dp, data);
  f[24] = (ulen + 8) >> 8, f[25] = (ulen + 8) & 0xff;
  f[26] = f[27] = 0; // no checksum
  return f;
};
const vrrpTo = { src: "10.0.0.1", dst: "224.0.0.18" };
const vrrp4 = (msg: Uint8Array, ttl = 255) => emitIpv4({ ...vrrpTo, proto: 112, ttl }, msg);
const a6 = { src: "fe80::1", dst: "ff02::12" };
const vrrp6 = (msg: Uint8Array, hopLimit = 255) => emitIpv6({ ...a6, proto: 112, hopLimit }, msg);
/** A VRRP message with its checksum filled (v2: over the message; v3 over IPv4: with the pseudo-header). */
const withSum = (m: Uint8Array, pseudo = 0) => {
  const c = internetChecksum(m, pseudo);
  m[6] = c >> 8, m[7] = c & 0xff;
  return m;
};
// 10.0.0.1 + 224.0.0.18 + protocol 112 + length 12, summed as 16-bit words.
const V3_PSEUDO = 0x0a00 + 0x0001 + 0xe000 + 0x0012 + 112 + 12;

/** SNMP messages (hex), written with a BER encoder; each line's text below. */
const SNMP = {
  get: "302602010104067075626c6963a01902011c020100020100300e300c06082b060102010101000500",
  next:
    "3039020100040770726976617465a12b0201050201000201003020300e060a2b060104018f650405000500300e060a2b06010201" +
    "0202010a010500",
  resp: "302f02010104067075626c6963a22202011c0201000201003017301506082b0601020101010004094c696e757820626f78",
  err: "302602010104067075626c6963a21902011c020102020101300e300c06082b060102010101000500",
  bulk: "302502010104067075626c6963a51802010902010002010a300d300b06072b0601020102020500",
  trap:
    "303902010004067075626c6963a42c060a2b06010401bf0803020a40040a000001020106020101430164300f300d06082b0601" +
    "0201010300430164",
  v2trap:
    "304002010104067075626c6963a7330201010201000201003028300d06082b060102010103004301643017060a2b0601060301" +
    "0104010006092b0601060301010501",
  v3:
    "3068020103300f02023039020300ffe3040103020103042d302b040480001f88020103020204b0040475736572040c00000000" +
    "0000000000000000040811111111111111113023040480001f880400a01902014d020100020100300e300c06082b06010201010100" +
    "0500",
  v1bulk: "302502010004067075626c6963a51802010902010002010a300d300b06072b0601020102020500",
  // An OID arc of 2^31: tcpdump keeps it in a C int.
  oid: "302b02010104067075626c6963a21e0201010201000201003013301106082b0601020101010006058880808000",
};

/** One golden: the frame (raw IPv4/IPv6, link type 101), tcpdump's line, the options, the captured length. */
type Golden = [frame: Uint8Array, line: string, o?: SummaryOptions, snap?: number];

const P = "IP 10.0.0.1.40000 > 10.0.0.2.";
const R = "IP 10.0.0.1.69 > 10.0.0.2.40000: ";
const Q = "IP 10.0.0.1.161 > 10.0.0.2.40000: ";
const V = "IP 10.0.0.1 > 224.0.0.18: ";
const rrq = text("\0\x01file.txt\0octet\0");
const auth = withSum(hex("2107 3201 0101 0000 0a0000fe 7365637265740000"));

const GOLDEN: Golden[] = [
  // TFTP
  [udp4(40000, 69, rrq), `${P}69: TFTP, length 17, RRQ "file.txt" octet`],
  [
    udp4(40000, 69, text("\0\x02file.txt\0netascii\0blksize\x001428\0tsize\x000\0")),
    `${P}69: TFTP, length 41, WRQ "file.txt" netascii blksize 1428 tsize 0`,
  ],
  [udp4(69, 40000, text("\0\x06blksize\x001428\0")), `${R}TFTP, length 15, OACK blksize 1428`],
  [udp4(69, 40000, text("\0\x06\0\0blksize\0")), `${R}TFTP, length 12, OACK blksize`],
  [udp4(69, 40000, cat(hex("0003 0005"), new Uint8Array(20))), `${R}TFTP, length 24, DATA block 5`],
  [udp4(69, 40000, hex("0004 ffff")), `${R}TFTP, length 4, ACK block 65535`],
  [udp4(69, 40000, hex("0004 00")), `${R}TFTP, length 3, ACK [|tftp]`],
  [
    udp4(69, 40000, text("\0\x05\0\x01File not found\0")),
    `${R}TFTP, length 19, ERROR ENOTFOUND "File not found"`,
  ],
  // Unknown error codes: tcpdump's format string carries a quote of its own.
  [udp4(69, 40000, text("\0\x05\0\x08opt\0")), `${R}TFTP, length 8, ERROR tftp-err-#8 " "opt"`],
  [udp4(69, 40000, hex("0005 0009")), `${R}TFTP, length 4, ERROR tftp-err-#9 " [|tftp]`],
  [udp4(69, 40000, text("\0\x05\0\x01no nul")), `${R}TFTP, length 10, ERROR ENOTFOUND "no nul" [|tftp]`],
  [udp4(69, 40000, hex("0007")), `${R}TFTP, length 2, tftp-#7`],
  [udp4(69, 40000, hex("00")), `${R}TFTP, length 1 [|tftp]`],
  [udp4(69, 40000, new Uint8Array(0)), `${R}TFTP, length 0 [|tftp]`],
  [udp4(40000, 69, text("\0\x01file\0")), `${P}69: TFTP, length 7, RRQ "file" [|tftp]`],
  [
    udp4(40000, 69, text("\0\x01fi\x01\x7f\x80\xffle\0oct\0\0\0x\0")),
    `${P}69: TFTP, length 19, RRQ "fi^A^?M-^@M-^?le" oct x`,
  ],
  [udp4(40000, 69, text("\0\x01a\0b\0c")), `${P}69: TFTP, length 7, RRQ "a" b c [|tftp]`],
  // The capture cut inside the file name; then a UDP length shorter than what the IP packet carries.
  [udp4(40000, 69, rrq), `${P}69: TFTP, length 17, RRQ "file" [|tftp]`, {}, 34],
  [udp4Short(40000, 69, rrq, 12), `${P}69: TFTP, length 12, RRQ "file.txt" o [|tftp]`],
  // Syslog
  [udp4(40000, 514, text("<133>hello")), `${P}514: SYSLOG local0.notice, length: 10`],
  [
    udp4(40000, 514, text("<133>hello\x01\xe9")),
    `${P}514: SYSLOG, length: 12\n\tFacility local0 (16), Severity notice (5)\n\tMsg: hello^AM-i`,
    { verbose: true },
  ],
  [udp4(40000, 514, text("<999>")), `${P}514: SYSLOG unknown (124).debug, length: 5`],
  [udp4(40000, 514, text("<>")), `${P}514: SYSLOG kernel.emergency, length: 2`],
  [udp4(40000, 514, text("<1234>x")), `${P}514:  (invalid)`],
  [udp4(40000, 514, text("x<13>")), `${P}514:  (invalid)`],
  [udp4(40000, 514, text("<13")), `${P}514:  [|syslog]`],
  [udp4(40000, 514, new Uint8Array(0)), `${P}514:  [|syslog]`],
  // tcpdump reads the priority past the UDP length, up to the IP payload's end.
  [udp4Short(40000, 514, text("<1>xx"), 2), `${P}514: SYSLOG kernel.alert, length: 2`],
  // Port order: TFTP, SNMP before syslog; BCM-LI tests only the source port, VAT only the destination.
  [udp4(69, 514, rrq), `IP 10.0.0.1.69 > 10.0.0.2.514: TFTP, length 17, RRQ "file.txt" octet`],
  [udp4(514, 49152, text("<13>x")), `IP 10.0.0.1.514 > 10.0.0.2.49152: SYSLOG user.notice, length: 5`],
  [udp4(3456, 514, text("<13>x")), `IP 10.0.0.1.3456 > 10.0.0.2.514: SYSLOG user.notice, length: 5`],
  // SNMP
  [udp4(40000, 161, hex(SNMP.get)), `${P}161:  GetRequest(25)  .1.3.6.1.2.1.1.1.0`],
  [
    udp4(40000, 161, hex(SNMP.get)),
    `${P}161:  { SNMPv2c { GetRequest(25) R=28  .1.3.6.1.2.1.1.1.0 } } `,
    { verbose: true },
  ],
  [
    udp4(40000, 161, hex(SNMP.next)),
    `${P}161:  C="private" GetNextRequest(43)  .1.3.6.1.4.1.2021.4.5.0 .1.3.6.1.2.1.2.2.1.10.1`,
  ],
  [udp4(161, 40000, hex(SNMP.resp)), `${Q} GetResponse(34)  .1.3.6.1.2.1.1.1.0="Linux box"`],
  [udp4(161, 40000, hex(SNMP.err)), `${Q} GetResponse(25)  noSuchName@1 .1.3.6.1.2.1.1.1.0=`],
  [udp4(40000, 161, hex(SNMP.bulk)), `${P}161:  GetBulk(24)  N=0 M=10 .1.3.6.1.2.1.2.2`],
  [udp4(40000, 161, hex(SNMP.v1bulk)), `${P}161:  GetBulk(24) [v2 PDU in v1 message]`],
  [
    udp4(40000, 162, hex(SNMP.trap)),
    `${P}162:  Trap(44)  .1.3.6.1.4.1.8072.3.2.10 10.0.0.1 enterpriseSpecific s=1 100 .1.3.6.1.2.1.1.3.0=100`,
  ],
  [
    udp4(40000, 162, hex(SNMP.v2trap)),
    `${P}162:  V2Trap(51)  .1.3.6.1.2.1.1.3.0=100 .1.3.6.1.6.3.1.1.4.1.0=.1.3.6.1.6.3.1.1.5.1`,
  ],
  [
    udp4(40000, 161, hex(SNMP.v3)),
    `${P}161:  F=ap U="user" E=_80_00_1f_88 C="" GetRequest(25)  .1.3.6.1.2.1.1.1.0`,
  ],
  [
    udp4(40000, 161, hex(SNMP.v3)),
    `${P}161:  { SNMPv3 { F=ap } { USM B=3 T=1200 U="user" } { ScopedPDU E=_80_00_1f_88 C="" ` +
    `{ GetRequest(25) R=77  .1.3.6.1.2.1.1.1.0 } } } `,
    { verbose: true },
  ],
  [udp4(161, 40000, hex(SNMP.oid)), `${Q} GetResponse(30)  .1.3.6.1.2.1.1.1.0=.4241280205.4294967288`],
  [udp4(40000, 161, text("<133>hello")), `${P}161:  [len8<asnlen49]`],
  [udp4(40000, 161, new Uint8Array(0)), `${P}161:  [nothing to parse]`],
  // tcpdump checks that a SEQUENCE's whole contents were captured before it looks inside: any cut of a
  // message reads the same.
  [udp4(40000, 161, hex(SNMP.get)), `${P}161:   [|snmp]`, {}, 28 + 30],
  [udp4(40000, 161, hex(SNMP.get)), `${P}161:   [|snmp]`, {}, 28 + 1],
  // VRRP
  [
    vrrp4(withSum(hex("2101 6401 0001 0000 0a0000fe 0000000000000000"))),
    `${V}VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 20`,
  ],
  [
    vrrp4(withSum(hex("2101 6401 0001 0000 0a0000fe 0000000000000000")), 64),
    `${V}VRRPv2, Advertisement, (ttl 64), vrid 1, prio 100, authtype none, intvl 1s, length 20`,
  ],
  [
    vrrp4(hex("21ff ff01 07ff 0000 0a0000fe 0000000000000000"), 0),
    `${V}VRRPv2, Advertisement, (ttl 0), vrid 255, prio 255, authtype #7, intvl 255s, length 20`,
  ],
  [
    vrrp4(auth),
    `${V}VRRPv2, Advertisement, vrid 7, prio 50, authtype simple, intvl 1s, length 20, addrs: 10.0.0.254 ` +
    `auth "secret"`,
    { verbose: true },
  ],
  [
    vrrp4(hex("2101 6402 0001 1234 0a0000fe 0a0000fd")),
    "IP (tos 0x0, ttl 255, id 0, offset 0, flags [none], proto VRRP (112), length 36)\n    " +
    `10.0.0.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 16, (bad vrrp cksum 1234), ` +
    "addrs(2): 10.0.0.254,10.0.0.253",
    { verbose: true },
  ],
  [
    vrrp4(withSum(hex("3105 c801 0064 0000 0a0000fe"), V3_PSEUDO)),
    `${V}VRRPv3, Advertisement, vrid 5, prio 200, intvl 100cs, length 12`,
  ],
  [
    vrrp6(hex("3105 c801 0fff 0000 fe8000000000000000000000000000fe")),
    "IP6 fe80::1 > ff02::12: VRRPv3, Advertisement, vrid 5, prio 200, intvl 4095cs, length 24",
  ],
  [
    vrrp6(hex("3105 c801 0fff 0000 fe8000000000000000000000000000fe"), 1),
    "IP6 fe80::1 > ff02::12: VRRPv3, Advertisement, (ttl 1), vrid 5, prio 200, intvl 4095cs, length 24",
  ],
  [vrrp4(hex("2201")), `${V}VRRPv2, unknown type (2)`],
  [vrrp4(hex("11010203")), `${V}VRRPv1, Advertisement`],
  [vrrp4(hex("21010203")), `${V}VRRPv2, Advertisement, vrid 1, prio 2 [|vrrp]`],
  [vrrp4(hex("2101020304")), `${V}VRRPv2, Advertisement, vrid 1, prio 2, authtype #4 [|vrrp]`],
  [vrrp4(new Uint8Array(0)), `${V}VRRP [|vrrp]`],
  [vrrp4(auth), `${V}VRRPv2, Advertisement, vrid 7, prio 50, authtype simple [|vrrp]`, {}, 25],
];

/** Without the `-v` IP header, for the goldens that leave it out (those with no `\n    `). */
const noIpHeader = (line: string, want: string) =>
  want.includes("\n    ") ? line : line.replace(/^(IP6?) \((?:[^()]|\([^()]*\))*\)(?:\n {4}| )/, "$1 ");

Deno.test("golden: TFTP, syslog, SNMP and VRRP lines as tcpdump prints them", () => {
  const d = new PacketDecoder();
  for (const [frame, want, o = {}, snap = frame.length] of GOLDEN) {
    const got = summarize(d.decode(frame.subarray(0, snap), 101), { ...o, wireLen: frame.length });
    assert.equal(noIpHeader(got, want), want);
  }
});

Deno.test("a port tcpdump gives another dissector first gets that dissector", () => {
  const d = new PacketDecoder();
  const line = (f: Uint8Array) => summarize(d.decode(f, 101));
  // Broadcom LI (source port), VAT (destination port) and AFS's RX come before syslog.
  assert.equal(line(udp4(514, 3456, text("<13>x"))), "IP 10.0.0.1.514 > 10.0.0.2.3456: udp/vt 5 49 / 15");
  assert.equal(line(udp4(514, 7001, text("<13>x"))), "IP 10.0.0.1.514 > 10.0.0.2.7001:  [|rx] (5)");
  assert.equal(
    line(udp4(49152, 514, text("<13>x"))),
    "IP 10.0.0.1.49152 > 10.0.0.2.514: BCM-LI-SHIM: direction unused, pkt-type unknown, pkt-subtype unknown, li-id 3224382",
  );
  // So do HSRP (to its port), which reads "<13>x" as version 60, and SIP, which shows only its name for
  // what is neither a request nor a response.
  assert.equal(line(udp4(514, 1985, text("<13>x"))), "IP 10.0.0.1.514 > 10.0.0.2.1985: HSRPv60");
  assert.equal(line(udp4(5060, 514, text("<13>x"))), "IP 10.0.0.1.5060 > 10.0.0.2.514: SIP");
  // A SUN RPC call to NFS is tried before any port (what follows the xid is not a real call).
  const rpcCall = cat(hex("00000001 00000000"), rrq);
  assert.equal(
    line(udp4(69, 2049, rpcCall)),
    "IP 10.0.0.1.69 > 10.0.0.2.2049: NFS request xid 1 25 proc-1668572532",
  );
  assert.match(line(udp4(2049, 69, rpcCall)), /TFTP, length 25/);
  // -q: tcpdump's plain line, and VRRP unchanged.
  assert.equal(summarize(d.decode(udp4(40000, 69, rrq), 101), { quiet: true }), `${P}69: UDP, length 17`);
  assert.match(summarize(d.decode(vrrp4(hex("2201")), 101), { quiet: true }), /VRRPv2, unknown type \(2\)$/);
});

Deno.test("the dissectors never throw: random and mutated payloads, every prefix", () => {
  const rng = new Rng(0x5eed);
  const seeds = [
    rrq,
    text("\0\x05\0\x01File not found\0"),
    text("<133>hello"),
    auth,
    ...Object.values(SNMP).map(hex),
  ];
  const ip = { src: new Uint8Array(4), dst: new Uint8Array(4) };
  for (let k = 0; k < 3000; k++) {
    const b = rng.bool() ? rng.bytes(rng.int(64)) : rng.pick(seeds).slice();
    for (let m = rng.int(4); m > 0 && b.length; m--) b[rng.int(b.length)] = rng.u32() & 0xff;
    const len = rng.bool() ? b.length : rng.int(b.length + 8);
    for (const v of [false, true]) {
      for (const s of [tftpText(b, len), syslogText(b, len, v), snmpText(b, len, v)]) {
        assert.equal(typeof s, "string");
      }
      assert.match(vrrpText(b, len, { ttl: 255, verbose: v, ip }), /^VRRP/);
    }
  }
  const d = new PacketDecoder();
  for (const [frame] of GOLDEN) {
    for (let n = 0; n <= frame.length; n++) {
      for (const o of [{}, { verbose: true }, { link: true }]) {
        assert.equal(
          typeof summarize(d.decode(frame.subarray(0, n), 101), { ...o, wireLen: frame.length }),
          "string",
        );
      }
    }
  }
});

/** Packets for the comparison with tcpdump, written by scapy (with a small BER encoder for SNMP). */
const SCAPY = String.raw`
import sys
from scapy.all import *
from scapy.layers.vrrp import VRRP, VRRPv3
out = sys.argv[1]
mac = "00:11:22:33:44:55"
E = lambda: Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
A = lambda: E()/IP(src="10.0.0.1", dst="10.0.0.2")
A6 = lambda: E()/IPv6(src="2001:db8::1", dst="2001:db8::2")
def U(sp, dp, raw, ulen=None, ip=A):
    return ip()/UDP(sport=sp, dport=dp, len=ulen)/(raw if isinstance(raw, Packet) else Raw(raw))

tftp = []
T = lambda raw, sp=40000, dp=69, **k: tftp.append(U(sp, dp, raw, **k))
T(b"\x00\x01file.txt\x00octet\x00")
T(b"\x00\x02file.txt\x00netascii\x00blksize\x001428\x00tsize\x000\x00")
T(b"\x00\x01boot/pxelinux.0\x00octet\x00tsize\x000\x00blksize\x001456\x00", ip=A6)
for raw in [b"\x00\x06blksize\x001428\x00", b"\x00\x06\x00\x00blksize\x00", b"\x00\x06", b"\x00\x06x",
            b"\x00\x03\x00\x05" + b"x" * 20, b"\x00\x03\xff\xff", b"\x00\x03\x00", b"\x00\x04\x00\x05",
            b"\x00\x04\x00\x00\x00\x00", b"\x00\x05\x01\x00oops\x00", b"\x00\x05\x00\x09", b"\x00\x05\x00\x01no nul",
            b"\x00\x05\x00\x01\x00", b"\x00\x05\x00"]:
    T(raw, sp=69, dp=40000)
for code in range(10):
    T(b"\x00\x05" + bytes([0, code]) + b"message %d\x00" % code, sp=69, dp=40000)
for op in [0, 7, 0x100, 0xffff]:
    T(op.to_bytes(2, "big") + b"abc\x00")
for raw in [b"\x00", b"", b"\x00\x01", b"\x00\x01\x00", b"\x00\x01file", b"\x00\x01file\x00", b"\x00\x01file\x00oct",
            b"\x00\x01fi\x01\x7f\x80\xff\x1ble\x00oct\xe9t\x00\x00\x00x\x00", b"\x00\x01a\x00b\x00c", b"\x00\x01a\x00b\x00c\x00d",
            b"\x00\x01file.txt\x00octet\x00" + b"\x00" * 10]:
    T(raw)
T(b"\x00\x01file.txt\x00octet\x00", ulen=8 + 12)
T(b"\x00\x04\x00\x07", ulen=8 + 3)
tftp.append(A()/UDP(sport=40000, dport=69)/Raw(b"\x00\x01file.txt\x00octet\x00"))
tftp[-1][IP].flags = 1
for sp, dp in [(69, 67), (69, 161), (123, 69), (69, 514), (520, 69)]:
    T(b"\x00\x01f\x00octet\x00", sp=sp, dp=dp)
wrpcap(out + "/tftp.pcap", tftp)

sl = []
S = lambda raw, sp=40000, dp=514, **k: sl.append(U(sp, dp, raw, **k))
for pri in [0, 1, 13, 14, 30, 38, 86, 133, 134, 135, 158, 165, 191, 192, 255, 999]:
    S(b"<%d>Nov 14 12:00:00 host app[1]: message %d" % (pri, pri))
S(b"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed", ip=A6)
for raw in [b"<1234>x", b"<12a>x", b"<>x", b"<>", b"<", b"<1", b"<13", b"<133", b"<133>", b"x<13>", b"", b" <13>", b"<-1>",
            b"<007>z", b"<0013>z", b"<13>ctl\x01\x09\x0a\x7f high\x80\xc3\xa9\xff nul\x00end", b"<13>tail" + b"\x00" * 30]:
    S(raw)
S(b"<1>xx", ulen=10)
S(b"<13>abc", ulen=8)
S(b"<13>abcdef", ulen=8 + 5)
for sp, dp in [(514, 40000), (514, 161), (69, 514), (514, 49152), (3456, 514), (1985, 514)]:
    S(b"<13>ports", sp=sp, dp=dp)
wrpcap(out + "/syslog.pcap", sl)

vr = []
V4 = lambda ttl=255, **k: E()/IP(src="10.0.0.1", dst="224.0.0.18", ttl=ttl, **k)
V6 = lambda hlim=255: E()/IPv6(src="fe80::1", dst="ff02::12", hlim=hlim)
w = lambda s: int.from_bytes(s, "big")
vr.append(V4()/VRRP(vrid=1, priority=100, addrlist=["10.0.0.254"]))
vr.append(V4(ttl=64)/VRRP(vrid=1, priority=100, addrlist=["10.0.0.254"]))
vr.append(V4(ttl=1)/VRRP(vrid=255, priority=255, adv=255, addrlist=["10.0.0.254"]))
vr.append(V4()/VRRP(vrid=7, priority=0, authtype=1, auth1=w(b"secr"), auth2=w(b"et\x00\x00"), addrlist=["10.0.0.254", "10.0.0.253"]))
vr.append(V4()/VRRP(vrid=7, priority=50, authtype=1, auth1=w(b"pass"), auth2=w(b"word"), addrlist=["10.0.0.254"]))
vr.append(V4()/VRRP(vrid=7, priority=50, authtype=1, auth1=w(b"\x01\x80ab"), auth2=0, addrlist=["10.0.0.254"]))
vr.append(V4()/VRRP(vrid=7, priority=50, authtype=2, addrlist=["10.0.0.254"]))
vr.append(V4()/VRRP(vrid=7, priority=50, authtype=9, addrlist=[]))
vr.append(V4()/VRRP(vrid=7, priority=50, addrlist=["10.0.0.%d" % i for i in range(1, 6)]))
vr.append(V4()/VRRP(vrid=7, priority=50, chksum=0x1234, addrlist=["10.0.0.254"]))
vr.append(V4()/VRRP(vrid=7, priority=50, ipcount=3, addrlist=["10.0.0.254"]))
vr.append(V4()/VRRPv3(vrid=5, priority=200, ipcount=1, adv=100, addrlist=["10.0.0.254"]))
vr.append(V4(ttl=1)/VRRPv3(vrid=5, priority=200, ipcount=2, adv=0xfff, res=0xf, addrlist=["10.0.0.254", "10.0.0.1"]))
vr.append(V4()/VRRPv3(vrid=5, priority=200, ipcount=1, adv=100, chksum=0xbeef, addrlist=["10.0.0.254"]))
vr.append(V6()/VRRPv3(vrid=5, priority=200, ipcount=1, adv=4095, addrlist=["fe80::fe"]))
vr.append(V6(hlim=64)/VRRPv3(vrid=9, priority=1, ipcount=2, adv=300, addrlist=["fe80::fe", "2001:db8::fe"]))
vr.append(V6()/VRRPv3(vrid=9, priority=1, ipcount=1, adv=300, chksum=1, addrlist=["fe80::fe"]))
vr.append(V6()/IPv6ExtHdrHopByHop()/VRRPv3(vrid=5, priority=200, ipcount=1, adv=4095, addrlist=["fe80::fe"]))
vr.append(V6()/VRRP(vrid=1, priority=100, addrlist=["10.0.0.254"]))
for raw in [b"", b"\x21", b"\x21\x01", b"\x21\x01\x02", b"\x21\x01\x02\x03", b"\x21\x01\x02\x03\x04", b"\x31\x01\x02\x03\x04",
            b"\x22\x01", b"\x11\x01\x02\x03", b"\x41\x01", b"\x01", b"\xf1", b"\x20", b"\x2f\x00\x00\x00"]:
    vr.append(V4(proto=112)/Raw(raw))
vr.append(V4(flags=1)/VRRP(vrid=1, priority=100, addrlist=["10.0.0.254"]))
vr.append(V4(frag=1, proto=112)/Raw(b"\x21\x01\x02\x03\x04"))
vr.append(E()/IP(src="192.168.0.1", dst="192.168.0.2")/GRE()/IP(src="10.0.0.1", dst="224.0.0.18", ttl=255)/VRRP(vrid=1, addrlist=["10.0.0.254"]))
wrpcap(out + "/vrrp.pcap", vr)

sn = []
def Q(x, sp=40000, dp=161, ip=A, ulen=None):
    sn.append(U(sp, dp, x, ulen=ulen, ip=ip))
def L(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b
def tlv(tag, body): return bytes([tag]) + L(len(body)) + body
def INT(v):
    n = 1
    while not (-(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1))): n += 1
    return tlv(2, v.to_bytes(n, "big", signed=True))
def STR(s): return tlv(4, s if isinstance(s, bytes) else s.encode())
def OID(s):
    a = [int(x) for x in s.split(".")]
    body = b""
    for v in [a[0] * 40 + a[1]] + a[2:]:
        enc = [v & 0x7f]; v >>= 7
        while v: enc.insert(0, 0x80 | (v & 0x7f)); v >>= 7
        body += bytes(enc)
    return tlv(6, body)
NULL = b"\x05\x00"
def SEQ(*xs): return tlv(0x30, b"".join(xs))
def VB(oid, val=NULL): return SEQ(OID(oid), val)
def PDU(tag, rid, es, ei, vbs): return tlv(0xa0 + tag, INT(rid) + INT(es) + INT(ei) + SEQ(*vbs))
def MSG(ver, comm, pdu): return SEQ(INT(ver), STR(comm), pdu)
sys1 = "1.3.6.1.2.1.1.1.0"
Q(SNMP(community="public", PDU=SNMPget(id=28, varbindlist=[SNMPvarbind(oid=sys1)])))
Q(SNMP(community="public", PDU=SNMPresponse(id=28, varbindlist=[SNMPvarbind(oid=sys1, value=ASN1_STRING("Linux box 5.10"))])), sp=161, dp=40000)
Q(SNMP(version=0, community="private", PDU=SNMPnext(id=5, varbindlist=[SNMPvarbind(oid="1.3.6.1.4.1.2021.4.5.0"), SNMPvarbind(oid="1.3.6.1.2.1.2.2.1.10.1")])))
Q(SNMP(community="public", PDU=SNMPset(id=7, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.1.5.0", value=ASN1_INTEGER(42)), SNMPvarbind(oid="1.3.6.1.2.1.1.6.0", value=ASN1_STRING("lab"))])))
Q(SNMP(version=0, community="public", PDU=SNMPtrapv1(enterprise="1.3.6.1.4.1.8072.3.2.10", agent_addr="10.0.0.1", generic_trap=6, specific_trap=1, time_stamp=100, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.1.3.0", value=ASN1_TIME_TICKS(100))])), dp=162)
for g in range(8):
    Q(SNMP(version=0, community="public", PDU=SNMPtrapv1(enterprise="1.3.6.1.4.1.9", agent_addr="192.168.1.1", generic_trap=g, specific_trap=g % 2, time_stamp=12345)), dp=162)
Q(SNMP(community="public", PDU=SNMPtrapv1(enterprise="1.3.6.1.4.1.9", agent_addr="10.0.0.1", time_stamp=0)), dp=162)
Q(SNMP(community="public", PDU=SNMPtrapv2(id=1, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.1.3.0", value=ASN1_TIME_TICKS(100)), SNMPvarbind(oid="1.3.6.1.6.3.1.1.4.1.0", value=ASN1_OID("1.3.6.1.6.3.1.1.5.1"))])), dp=162)
Q(SNMP(community="public", PDU=SNMPinform(id=2, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.1.3.0", value=ASN1_TIME_TICKS(5))])), dp=162)
Q(SNMP(community="public", PDU=SNMPbulk(id=9, non_repeaters=0, max_repetitions=10, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.2.2")])))
Q(SNMP(version=0, community="public", PDU=SNMPbulk(id=9, non_repeaters=1, max_repetitions=5, varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.2.2")])))
Q(SNMP(version=0, community="public", PDU=SNMPtrapv2(id=9)))
Q(SNMP(version=0, community="public", PDU=SNMPinform(id=9)))
for es, ei in [(2, 1), (0, 3), (5, 0), (18, 2), (19, 1), (-1, 1), (200, 0)]:
    Q(SNMP(community="public", PDU=SNMPresponse(id=1, error=es, error_index=ei, varbindlist=[SNMPvarbind(oid=sys1)])), sp=161, dp=40000)
for es, ei in [(1, 0), (0, 1), (2, 2)]:
    Q(SNMP(community="public", PDU=SNMPget(id=1, error=es, error_index=ei, varbindlist=[SNMPvarbind(oid=sys1)])))
Q(SNMP(community="", PDU=SNMPget(id=-5, varbindlist=[])))
Q(SNMP(community="pub\x01lic\xff", PDU=SNMPget(id=2**31 - 1, varbindlist=[SNMPvarbind(oid=sys1)])))
Q(SNMP(community="publi", PDU=SNMPget(id=0, varbindlist=[SNMPvarbind(oid=sys1)])))
Q(SNMP(community="publicc", PDU=SNMPget(id=0, varbindlist=[SNMPvarbind(oid=sys1)])), ip=A6)
vals = [INT(-1), INT(-129), INT(2**31 - 1), tlv(0x41, (2**32 - 1).to_bytes(5, "big")), tlv(0x42, b"\x07"), tlv(0x43, b"\x00"),
        tlv(0x46, b"\x00" + b"\xff" * 8), tlv(0x40, bytes([1, 2, 3, 4])), OID("1.3.6.1.4.1.99999.1"), STR(b"\x00\x01\xff"),
        STR(""), NULL, STR("with space ~"), OID("2.999.3"), OID("0.39")]
Q(MSG(1, "public", PDU(2, 3, 0, 0, [VB("1.3.6.1.2.1.%d" % i, v) for i, v in enumerate(vals)])), sp=161, dp=40000)
R = lambda *vbs: MSG(1, "public", PDU(2, 1, 0, 0, vbs))
for val in [b"\x80\x00", b"\x81\x00", b"\x82\x00", b"\x83\x00", b"\x84\x00", b"\x01\x01\xff", b"\x03\x02\x00\xaa", b"\x44\x02\xab\xcd",
            b"\x45\x01\x00", b"\xc0\x01\x07", b"\xc1\x01\x07", b"\x31\x00", b"\x61\x00", b"\xe0\x00", b"\x40\x03\x01\x02\x03", b"\x40\x00",
            b"\x41\x05\x01\x00\x00\x00\x01", b"\x46\x0a\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", b"\x02\x06\x01\x02\x03\x04\x05\x06",
            b"\x02\x00", b"\x06\x00", b"\x06\x03\x2b\x86\x8d", b"\x06\x02\xff\x7f", b"\x06\x05\x8f\xff\xff\xff\x7f", b"\x06\x01\x78",
            b"\x06\x05\x88\x80\x80\x80\x00", b"\x06\x06\x8f\xff\xff\xff\x57\x01", b"\x06\x02\x81\x00", b"\x06\x03\x2b\x06\x81",
            b"\x1f\x02\x01\x05", b"\x1f\x85\x03\x00", b"\x3f\x81\x01\x00", b"\x30\x02\x05\x00", b"\x12\x01\x41", b"\x04\x81\x03abc",
            b"\x04\x82\x00\x03abc", b"\x04\x80", b"\x04\x85\x00\x00\x00\x00\x03abc", b"\x0f\x00"]:
    Q(R(SEQ(OID(sys1), val)), sp=161, dp=40000)
G = lambda *vbs: MSG(1, "public", PDU(0, 1, 0, 0, vbs))
for x in [G(VB(sys1, INT(5))), G(VB(sys1, STR("x"))), G(SEQ(INT(5), NULL)), G(INT(5)), G(VB(sys1), VB("1.3.6.1.2.1.1.2.0")),
          MSG(1, "public", PDU(0, 1, 0, 0, [])[:-2] + INT(3))]:
    Q(x)
for raw in [b"", b"\x30", b"\x30\x00", b"\x31\x00", b"\x02\x01\x00", b"\x30\x03\x02\x01\x05", b"\x30\x03\x02\x01\x02", b"\x30\x03\x04\x01\x01",
            b"\x30\x05\x02\x01\x00\x02\x00", b"\x30\x06\x02\x01\x00\x02\x01\x00", b"\x30\x08\x02\x01\x00\x04\x00\x02\x01\x00",
            b"\x30\x07\x02\x01\x00\x04\x00\xa0\x00", b"\x30\x07\x02\x01\x00\x04\x00\x30\x00", b"\x30\x09\x02\x01\x00\x04\x00\xa9\x02\x05\x00",
            b"\x30\x7f", b"\x30\x84\xff\xff\xff\xff", b"\x30\x88\x00\x00\x00\x01\x00\x00\x00\x03\x02\x01\x00", b"\x30\x81",
            b"\x30\x83\x00\x00", b"\xff\x80\x80", b"\x1f\x80", b"\x1f", b"\x30\x03\x02\x01\x01\x00\x00\x00", b"\x30\x80\x02\x01\x00"]:
    Q(raw)
Q(MSG(1, "public", PDU(0, 1, 0, 0, [VB(sys1)])) + b"\x00\x00")
Q(MSG(1, "public", PDU(0, 1, 0, 0, [VB(sys1)]) + b"\x00"))
Q(MSG(1, "public", tlv(0xa0, INT(1) + INT(0) + INT(0) + SEQ(VB(sys1)) + b"\x05\x00")))
agent = tlv(0x40, b"\x0a\x00\x00\x01")
for body in [OID("1.3.6.1.4.1.9") + tlv(0x40, b"\x01\x02\x03") + INT(0) + INT(0) + tlv(0x43, b"\x01"), INT(1), OID("1.3.6.1.4.1.9") + STR("x"),
             OID("1.3.6.1.4.1.9") + agent + STR("x"), OID("1.3.6.1.4.1.9") + agent + INT(1) + STR("x"),
             OID("1.3.6.1.4.1.9") + agent + INT(1) + INT(0) + INT(5), OID("1.3.6.1.4.1.9") + agent + INT(-3) + INT(0) + tlv(0x41, b"\x05") + SEQ()]:
    Q(MSG(0, "public", tlv(0xa4, body)))
for x in [MSG(2, "public", PDU(0, 1, 0, 0, [VB(sys1)])), MSG(-1, "public", PDU(0, 1, 0, 0, [VB(sys1)])), SEQ(STR("x")), SEQ(INT(1), INT(5))]:
    Q(x)
Q(MSG(1, "public", PDU(0, 1, 0, 0, [VB(sys1)])), sp=162, dp=40000)
def V3(flags, model=3, user="user", engine=b"\x80\x00\x1f\x88\x04test", scoped=None, usm=None, extra_hdr=b""):
    hdr = tlv(0x30, INT(12345) + INT(65507) + STR(bytes([flags])) + INT(model) + extra_hdr)
    if usm is None:
        usm = SEQ(STR(engine), INT(3), INT(1200), STR(user), STR(b"\x00" * 12 if flags & 1 else b""), STR(b"\x11" * 8 if flags & 2 else b""))
    if scoped is None:
        scoped = SEQ(STR(engine), STR(""), PDU(0, 77, 0, 0, [VB(sys1)]))
    return SEQ(INT(3), hdr, STR(usm), scoped)
Q(V3(4, user="", engine=b"", scoped=SEQ(STR(b""), STR(""), PDU(0, 1, 0, 0, []))))
for f in [5, 0, 1, 2, 8, 0x80]:
    Q(V3(f))
Q(V3(3, scoped=STR(b"\x04\x82\x12\x34" + b"\xaa" * 20)))
Q(V3(7, user="admin user", scoped=SEQ(STR(b"\x80\x00"), STR("ctx"), PDU(8, 1, 0, 0, [VB("1.3.6.1.6.3.15.1.1.4.0", tlv(0x41, b"\x07"))]))), sp=161, dp=40000)
Q(V3(4, model=1))
Q(V3(4, model=2))
Q(V3(4, extra_hdr=NULL))
for usm in [SEQ(STR(b"e"), INT(1), INT(2), STR("u"), STR(b""), STR(b"")) + b"\x00\x00", SEQ(STR(b"e"), INT(1), INT(2), STR("u"), STR(b""), STR(b""), NULL),
            INT(3), SEQ(INT(1)), SEQ(STR(b"e"), STR(b"x")), SEQ(STR(b"e"), INT(1), STR(b"x")), SEQ(STR(b"e"), INT(1), INT(2), INT(3)),
            SEQ(STR(b"e"), INT(1), INT(2), STR("u"), INT(3)), SEQ(STR(b"e"), INT(1), INT(2), STR("u"), STR(b""), INT(3)),
            SEQ(STR(b"e"), INT(1), INT(2), STR(b"\x01u"), STR(b""), STR(b""))]:
    Q(V3(4, usm=usm))
for scoped in [SEQ(INT(1)), SEQ(STR(b"e"), INT(1)), SEQ(STR(b"e"), STR(b"\xffctx"), PDU(4, 1, 0, 0, [])),
               SEQ(STR(b"e"), STR(b"c"), tlv(0xa4, OID("1.3.6.1.4.1.9") + agent + INT(6) + INT(3) + tlv(0x43, b"\x05") + SEQ()))]:
    Q(V3(4, scoped=scoped))
for x in [SEQ(INT(3), INT(5)), SEQ(INT(3), SEQ(STR(b"x"))), SEQ(INT(3), SEQ(INT(1), STR(b"x"))), SEQ(INT(3), SEQ(INT(1), INT(2), INT(3))),
          SEQ(INT(3), SEQ(INT(1), INT(2), STR(b"\x04\x05"))), SEQ(INT(3), SEQ(INT(1), INT(2), STR(b"\x04"), STR(b"x"))),
          SEQ(INT(3), SEQ(INT(1), INT(2), STR(b"\x04"), INT(3)), INT(4))]:
    Q(x)
m = bytes(SNMP(community="public", PDU=SNMPget(id=28, varbindlist=[SNMPvarbind(oid=sys1)])))
Q(m, ulen=8 + 10)
Q(m, ulen=8 + len(m) - 1)
Q(m + b"\x00" * 4)
for sp, dp in [(161, 123), (514, 162), (162, 161), (161, 546)]:
    Q(m, sp=sp, dp=dp)
wrpcap(out + "/snmp.pcap", sn)

# Not swept: the UDP length shorter than the IP payload for the older dissectors (their reads go on to the
# IP end too), RIP and RIPng shorter than what this package names; then datagrams quoted in ICMP errors.
more = []
boot = bytes(BOOTP(chaddr=mac2str(mac))/DHCP(options=[("message-type", "discover"), "end"]))
for n in [0, 1, 2, 30, 40]:
    more.append(U(68, 67, boot, ulen=8 + n))
for n in [0, 1, 5]:
    more.append(U(123, 123, bytes(NTP(version=4, mode=3)), ulen=8 + n))
for n in [0, 2]:
    more.append(U(546, 547, b"\x01\x00\x00\x01", ulen=8 + n, ip=A6))
for n in [0, 1, 2, 3]:
    more.append(U(520, 520, b"\x01\x02\x00\x00" + bytes(20), ulen=8 + n))
for raw in [b"", b"\x01", b"\x01\x02\x00"]:
    more.append(U(520, 520, raw))
    more.append(U(521, 521, raw[:1], ip=A6))
inner = [IP(src="10.0.0.1", dst="224.0.0.18", ttl=255)/VRRP(vrid=1, addrlist=["10.0.0.254"]),
         IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=40000, dport=161)/SNMP(PDU=SNMPget(varbindlist=[SNMPvarbind(oid=sys1)])),
         IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=40000, dport=69)/Raw(b"\x00\x01file.txt\x00octet\x00"),
         IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=40000, dport=514)/Raw(b"<13>hello")]
wrpcap(out + "/more.pcap", more)
quoted = []
for x in inner:
    for n in [28, 40, 100]:
        quoted.append(E()/IP(src="10.0.0.9", dst="10.0.0.1")/ICMP(type=3, code=3)/Raw(bytes(x)[:n]))
for n in [40, 44, 60]:
    quoted.append(E()/IPv6(src="fe80::9", dst="fe80::1")/ICMPv6DestUnreach()/Raw(bytes(IPv6(src="fe80::1", dst="ff02::12")/VRRP(vrid=1, addrlist=["10.0.0.254"]))[:n]))
wrpcap(out + "/quoted.pcap", quoted)
`;
import { cat, hex } from "../_bytes.ts";

/** Compares every packet of a file, all of tcpdump's lines for each. */
const compare = (file: string, flags: string[]) => compareWithTcpdump(file, flags);

/** Every packet cut at every length from the end of an Ethernet + IPv4 header on (as with `-s N`). */
function sweep(file: string, to: string): void {
  const recs = [...readPacketsSync(Deno.readFileSync(file))];
  const frames: Frame[] = [];
  for (const r of recs) {
    for (let n = 34; n < r.data.length; n++) frames.push({ data: r.data.slice(0, n), len: r.len });
  }
  Deno.writeFileSync(to, pcapBytes(recs[0].linktype, frames));
}

testIf("golden lines are what the installed tcpdump prints", needCommands("tcpdump"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "netkit-apps2-" });
  try {
    for (const verbose of [false, true]) {
      const set = GOLDEN.filter(([, , o]) => !!o?.verbose === verbose);
      const file = `${dir}/golden.pcap`;
      Deno.writeFileSync(
        file,
        pcapBytes(101, set.map(([f, , , snap = f.length]) => ({ data: f.slice(0, snap), len: f.length }))),
      );
      const want = await tcpdumpRead(file, verbose ? ["-v"] : []);
      set.forEach(([, line], i) => assert.equal(noIpHeader(want[i], line), line));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

testIf(
  "summaries match tcpdump on scapy-made TFTP, syslog, SNMP and VRRP packets, whole, cut and quoted",
  needCommands("tcpdump") ?? needScapy(),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-apps2-" });
    try {
      await Deno.writeTextFile(`${dir}/gen.py`, SCAPY);
      const g = await run("/usr/bin/python3", [`${dir}/gen.py`, dir], { timeoutMs: 120_000 });
      assert.equal(g.code, 0, g.stderr);
      let n = 0;
      for (const name of ["tftp", "syslog", "vrrp", "snmp"]) {
        const file = `${dir}/${name}.pcap`;
        for (const flags of [[], ["-e"], ["-q"], ["-v"]]) n += await compare(file, flags);
        sweep(file, `${dir}/${name}_cut.pcap`);
        for (const flags of [[], ["-v"]]) n += await compare(`${dir}/${name}_cut.pcap`, flags);
      }
      for (const flags of [[], ["-e"]]) n += await compare(`${dir}/more.pcap`, flags);
      // tcpdump prints the datagram an ICMP error quotes with -v only.
      for (const flags of [[], ["-v"]]) n += await compare(`${dir}/quoted.pcap`, flags);
      assert.ok(n > 20000, `compared ${n}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testIf(
  "tcpdump's port order: every port against TFTP's, SNMP's and syslog's",
  needCommands("tcpdump"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-apps2-" });
    const d = new PacketDecoder(), s = new PacketSummarizer();
    try {
      const cases: [number, Uint8Array, RegExp][] = [
        [69, rrq, /: TFTP, /],
        [161, hex(SNMP.get), /: {2}GetRequest/],
        [514, text("<133>hello"), /: SYSLOG /],
      ];
      for (const [port, payload, mark] of cases) {
        const base = udp4(0, 0, payload);
        for (const toApp of [true, false]) {
          const frames = Array.from({ length: 65536 }, (_, other) => {
            const f = base.slice();
            const [sp, dp] = toApp ? [other, port] : [port, other];
            f[20] = sp >> 8, f[21] = sp & 0xff, f[22] = dp >> 8, f[23] = dp & 0xff;
            return { data: f };
          });
          const file = `${dir}/ports.pcap`;
          Deno.writeFileSync(file, pcapBytes(101, frames));
          const want = await tcpdumpRead(file, []);
          assert.equal(want.length, frames.length);
          frames.forEach((f, other) => {
            const got = s.summarize(d.decode(f.data, 101), f.data.length);
            const where = `port ${port} ${toApp ? "from" : "to"} ${other}`;
            assert.equal(mark.test(got), mark.test(want[other]), `${where}: ${want[other]} / ${got}`);
            if (mark.test(got)) assert.equal(got, want[other], where);
          });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testIf(
  "a UDP length past the IP payload: tcpdump's bad length, both lengths without the UDP header, -q too",
  needCommands("tcpdump"),
  async () => {
    const data = new Uint8Array(40).fill(0x78);
    // Ports with no dissector, DNS (which -q does not decode), NFS, TFTP and syslog, either way round.
    const frames: Frame[] = [9999, 53, 2049, 69, 514].flatMap((port) => [
      { data: udp4Short(1000, port, data, 92) },
      { data: udp4Short(port, 1000, data, 92) },
    ]);
    const n = await compareFramesWithTcpdump(frames, [[], ["-q"], ["-v"], ["-vv"]], 101);
    assert(n >= frames.length * 4, `${n} compared`);
  },
);
