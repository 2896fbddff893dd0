/**
 * The ICMPv6 messages lib/wire/_icmp6.ts prints (all but errors, echo and neighbour discovery): tcpdump
 * 4.99's text for multicast listener queries and reports (MLDv1, MLDv2 with records and sources), router
 * renumbering, node information queries and replies, inverse ND, home agent and mobile prefix messages,
 * RPL, mtrace and unknown types, over hand-built and scapy-built messages with odd contents, whole and cut
 * at every length, with and without -v, -e, -q and hex dumps (messages shorter than their 8-byte header
 * too: their `-v` checksum note, or the jump reading it in fewer than 4 bytes, comes from summary.ts).
 * Golden texts run without tcpdump.
 *
 * @module
 */
import assert from "node:assert/strict";
import { icmp6Text } from "../../lib/wire/_icmp6.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv6, type Ipv6ExtInit } from "../../lib/wire/ipv6.ts";
import { internetChecksum, pseudoHeaderV6 } from "../../lib/wire/checksum.ts";
import { parseIpv6Address } from "../../lib/wire/address.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const SRC = parseIpv6Address("fe80::1"), DST = parseIpv6Address("ff02::16");
const MAC = { src: "00:11:22:33:44:55", dst: "33:33:00:00:00:16" };

/** An ICMPv6 message from hex digits, its checksum (when it has one) computed for SRC > DST. */
function msg(digits: string): Uint8Array {
  const m = hex(digits);
  if (m.length >= 4) {
    m[2] = m[3] = 0;
    const c = internetChecksum(m, pseudoHeaderV6(SRC, DST, 58, m.length));
    m[2] = c >> 8;
    m[3] = c & 0xff;
  }
  return m;
}
const eth = (ip: Uint8Array) => emitEthernet({ ...MAC, ethertype: 0x86dd }, ip);
/** The message in IPv6 (hop limit 1, as MLD's) in Ethernet; `payloadLen` overrides the IPv6 length. */
const frame = (m: Uint8Array, payloadLen?: number, extHeaders?: Ipv6ExtInit[]) =>
  eth(emitIpv6({ src: SRC, dst: DST, proto: 58, hopLimit: 1, payloadLen, extHeaders }, m));

const h8 = (n: number) => n.toString(16).padStart(2, "0");
const h16 = (n: number) => n.toString(16).padStart(4, "0");
const a6 = (s: string) => [...parseIpv6Address(s)].map(h8).join("");
const ascii = (s: string) => [...s].map((c) => h8(c.charCodeAt(0))).join("");
/** DNS labels (no terminating root). */
const labels = (...ls: string[]) => ls.map((l) => h8(l.length) + ascii(l)).join("");
/** `n` addresses 2001:db8::1, ::2, ... (or under another prefix). */
const addrs = (n: number, base = "2001:db8::") =>
  Array.from({ length: n }, (_, i) => a6(`${base}${(i + 1).toString(16)}`)).join("");
/** An MLDv2 group record: type, aux data length (in 4-byte words), source count, group, sources, aux. */
const record = (type: number, group: string, sources = 0, aux = "") =>
  h8(type) + h8(aux.length / 8) + h16(sources) + a6(group) + addrs(sources) + aux;
const NONCE = "0102 0304 0506 0708";

// Messages the golden tests use as well.
const MLD2_REPORT = "8f00 0000 0000 0007" + record(1, "ff3e::1", 2) + record(2, "ff3e::2") +
  record(3, "ff3e::3", 1) + record(4, "ff3e::4") + record(5, "ff3e::5", 3) + record(6, "ff3e::6", 1) +
  record(7, "ff3e::7");
const MLD2_QUERY = "8200 0000 8abc 0000" + a6("ff3e::8000:1") + "0f 8f 0003" + addrs(3);
const RENUMBER = "8a00 0000 0000 0001 00f8 0064 0000 0000" + "010b 05 30 30 40 0000" + a6("2001:db8::") +
  "40 30 c0 80 ffffffff 00000e10 80000000" + a6("2001:db8:1::") +
  "40 30 00 00 00000e10 ffffffff c0000000" + a6("2001:db8:2::");
const NI_NAME = "8b01 0000 0002 0000" + NONCE + labels("host", "example", "com") + "00";
const NI_ADDRS = "8c00 0000 0003 007f" + NONCE + "00000e10" + a6("2001:db8::1") + "ffffffff" + a6("fe80::1");
const DIO = "9b01 0000 01 f0 0100 98 07 00 00" + a6("fd00::1") + "00" + "0102 0000" +
  "040e 00 08 0c 0a 07 00 0001 0000 ffff 0000" + "0808 30 18 ffffffff fd00" + "7703 010203";
const UNKNOWN = "9400 0000 0001 ffff 0001 0000";

/** Whole messages of 8 bytes or more, in plain IPv6. */
const MESSAGES: string[] = [
  // MLDv1: queries, report, done, a report with bytes after it; a query of 24 bytes is MLDv1.
  "8200 0000 2710 0000" + a6("::"),
  "8200 0000 03e8 0000" + a6("ff02::1:ff00:1"),
  "8300 0000 0000 0000" + a6("ff02::fb"),
  "8400 0000 0000 0000" + a6("ff02::fb"),
  "8300 0000 ffff 1234" + a6("ff05::1:3") + "0102030405060708",
  // Queries of neither version's length.
  "8200 0000 0000 0000" + a6("ff02::1").slice(0, 24),
  "8200 0000 0000 0000",
  "8200 0000 0000 0000" + a6("ff02::1").slice(0, 36),
  // MLDv2 queries: both float forms of the response code and QQIC, S flag, QRV, sources, too many sources.
  "8200 0000 2710 0000" + a6("::") + "02 7d 0000",
  MLD2_QUERY,
  "8200 0000 7fff 0000" + a6("ff3e::8000:1") + "08 ff 0002" + addrs(2),
  "8200 0000 ffff 0000" + a6("ff3e::8000:2") + "f5 80 0005" + addrs(2),
  "8200 0000 0001 0000" + a6("ff02::1") + "00 00 0000 abcd",
  "8200 0000 0001 0000" + a6("ff02::1") + "02 7f ffff",
  // MLDv2 reports: none, every record type and unknown ones, many sources, too few records or sources,
  // aux data (which tcpdump does not step over), a record cut inside its group.
  "8f00 0000 0000 0000",
  MLD2_REPORT,
  "8f00 0000 0000 0002" + record(0, "ff02::1:3") + record(255, "ff02::fb", 20),
  "8f00 0000 0000 0003" + record(4, "ff02::1:3"),
  "8f00 0000 0000 0001" + record(1, "ff02::1:3", 2).slice(0, 40 + 32 + 16),
  "8f00 0000 0000 0002" + record(2, "ff02::1:3", 1, "0011223344556677") + record(1, "ff05::2"),
  "8f00 0000 0000 0001" + record(2, "ff02::1:3").slice(0, 30),
  // Router renumbering: a command with two use parts, each match code, match lengths that are no
  // multiple of 4 past 3, a use part missing, a result with a reserved field, reset, unknown code, short.
  RENUMBER,
  "8a00 0000 0000 0002 0100 0000 0000 0000" + "0203 00 00 00 00 0000" + a6("::"),
  "8a00 0000 0000 0002 0140 ffff 0000 0000" + "0307 01 40 40 40 0000" + a6("fec0::") +
  "40 40 00 00 00000000 00300000 00000000" + a6("::ffff:10.0.0.1"),
  "8a00 0000 0000 0002 0100 0000 0000 0000" + "0905 00 00 00 00 0000" + a6("2001:db8::"),
  "8a00 0000 0000 0002 0100 0000 0000 0000" + "0102 00 00 00 00 0000" + a6("2001:db8::"),
  "8a00 0000 0000 0002 0100 0000 0000 0000" + "0107 00 00 00 00 0000" + a6("2001:db8::"),
  "8a01 0000 ffff ffff 0220 0001 1234 5678" + "0002 01 40 00000001" + a6("2001:db8::"),
  "8aff 0000 0000 0003 0000 0000 0000 0000",
  "8a07 0000 0000 0004 0808 0000 0000 0001",
  "8a00 0000 0000 0005 0000 0000",
  // Node information queries: KAME who-are-you, noop, supported qtypes, the 03 draft, each subject kind
  // (IPv6 of the right and wrong sizes, names, a Pascal string, odd bytes, IPv4), unknown qtype and code.
  "8b00 0000 0000 0000 0102 0304",
  "8b00 0000 0000 0000" + NONCE,
  "8b01 0000 0000 0000" + NONCE + a6("2001:db8::1"),
  "8b00 0000 0001 0001" + NONCE,
  "8b00 0000 0001 0002" + NONCE,
  "8b00 0000 0002 0000" + NONCE,
  "8b00 0000 0002 0000" + NONCE + a6("2001:db8::1"),
  "8b00 0000 0002 0000" + NONCE + a6("2001:db8::1").slice(0, 28),
  NI_NAME,
  "8b01 0000 0002 0000" + NONCE + labels("host", "example") + "0000",
  "8b01 0000 0002 0000" + NONCE + labels("host") + "05ab",
  "8b01 0000 0002 0000" + NONCE + "0a" + ascii("host.local"),
  "8b01 0000 0002 0000" + NONCE + "04 68017374 03 6578c3",
  "8b02 0000 0003 003e" + NONCE + "0a000001",
  "8b02 0000 0004 0000" + NONCE + "0a0000",
  "8b05 0000 0003 007f" + NONCE + "0a000001",
  "8b00 0000 0009 0000" + NONCE + a6("::1"),
  // Replies: success with each qtype (names with a TTL, a Pascal string, a bad label; addresses with
  // flags), refused, unknown, an unknown code, an unknown qtype.
  "8c00 0000 0000 0000" + NONCE,
  "8c00 0000 0000 0000" + NONCE + "0000",
  "8c00 0000 0001 0001" + NONCE + "0000 000f",
  "8c00 0000 0002 0001" + NONCE + "0000 0e10" + labels("host", "example", "com") + "00",
  "8c00 0000 0002 0000" + NONCE + "0000 0e10" + "0a" + ascii("host.local"),
  "8c00 0000 0002 0000" + NONCE + "0000 0e10" + labels("host") + "40" + ascii("x"),
  NI_ADDRS + "0000",
  "8c00 0000 0003 0000" + NONCE,
  "8c01 0000 0002 0000" + NONCE,
  "8c01 0000 0002 0000" + NONCE + "0000",
  "8c02 0000 0002 0000" + NONCE,
  "8c02 0000 0002 0000" + NONCE + "00",
  "8c03 0000 0002 0000" + NONCE,
  "8c00 0000 0009 0000" + NONCE,
  // Inverse ND; home agent discovery (a reply ending inside an address); mobile prefix solicitation and
  // advertisements (options as neighbour discovery prints them, a zero-length one).
  "8d00 0000 0000 0000 0101 001122334455 0201 001122334466",
  "8e00 0000 0000 0000",
  "9000 0000 1234 0000",
  "9100 0000 1234 0000" + a6("2001:db8::1") + a6("2001:db8::2"),
  "9100 0000 abcd 0000" + a6("2001:db8::1") + "00112233",
  "9100 0000 abcd 0000",
  "9200 0000 4321 0000",
  "9300 0000 4321 c000 0304 40c0 ffffffff ffffffff 00000000" + a6("2001:db8:1::"),
  "9300 0000 4321 8000 0101 001122334455",
  "9300 0000 4321 4000 0100 001122334455",
  "9300 0000 4321 0000",
  // Certification path solicitation and advertisement, multicast router advertisement: unknown to tcpdump.
  UNKNOWN,
  "9500 0000 0001 0001 0000 0000 0102 0304 0506",
  "9700 0014 0002 0003",
  // RPL: DIS; DIO with options (and every MOP, an option running past the message, too short); DAO without
  // and with a DODAGID; DAO-ACK with and without; secured; unknown codes.
  "9b00 0000 0000 0000",
  DIO,
  "9b01 0000 01 f0 0100 08 07 00 00" + a6("fd00::1"),
  "9b01 0000 01 f0 0100 08 07 00 00" + a6("fd00::1").slice(0, 20),
  "9b01 0000 01 f0 0100 3b 07 00 00" + a6("fd00::1") + "0110 0000",
  "9b01 0000 01 f0 0100 10 07 00 00" + a6("fd00::1") + "01",
  "9b02 0000 01 80 00 05 0512 0080" + a6("fd00::2") + "0604 00 00 00 ff",
  "9b02 0000 01 40 00 06" + a6("fd00::1") + "0512 0080" + a6("fd00::2"),
  "9b02 0000 01 40 00 06" + a6("fd00::1").slice(0, 16),
  "9b03 0000 01 80 07 00" + a6("fd00::1"),
  "9b03 0000 01 00 07 00 0000",
  "9b03 0000 01 80 07 00 0000",
  "9b80 0000 0000 0000",
  "9b8a 0000 0000 0000",
  "9b05 0000 0000 0000",
  // mtrace: named, printed as unknown.
  "c800 0000 0000 0000 0102 0304",
  "c900 1f00 e000 0001" + a6("2001:db8::1") + a6("2001:db8::2") + a6("ff3e::1") + "0000 0000",
  // Unknown types, of odd and even lengths.
  "0000 0000 0000 0000",
  "0500 0000 0102 0304 05",
  "7f01 0000 0000 0000" + ascii("0123456789abcdefghijklmnopqrstuvw"),
  "9600 0000 0000 0000",
  "9a00 0000 0000 0000 01",
  "9cff 0000 0000 0000 0102",
  "c7ff 0000 0000 0000",
  "ca00 0000 0000 0000 0102 0304",
  "ff00 0000 0000 0000 0102 0304 0506 0708",
  // Made by scapy 2.5 (ICMPv6MLQuery2, ICMPv6MLReport2, ICMPv6MLQuery, ICMPv6NIQueryName/NOOP/IPv6/IPv4,
  // ICMPv6NIReplyName/IPv6/Refuse, ICMPv6HAADRequest/Reply, ICMPv6MPSol, ICMPv6MPAdv with a prefix,
  // ICMPv6MRD_Advertisement, ICMPv6ND_INDSol/INDAdv with link-layer options).
  "8200932a07d00000ff3e00000000000000000000800000010a3c000220010db800000000000000000000000120010db8" +
  "000000000000000000000002",
  "8f00d4ed0000000204000000ff0200000000000000000001ff00000101000003ff3e000000000000000000000000123420010db8" +
  "00000000000000000000001020010db800000000000000000000001120010db8000000000000000000000012",
  "820059022710000000000000000000000000000000000000",
  "8b006872000200000102030405060708fe800000000000000000000000000001",
  "8b01e580000000006162636465666768000000",
  "8b019dd60003003e616263646566676803777777076578616d706c6503636f6d00",
  "8b02db790004000061626364656667680a000001",
  "8c0081b400020000616263646566676800000e1004686f7374076578616d706c6503636f6d00",
  "8c00a9d100030000616263646566676800000e1020010db80000000000000000000000010000003cfe80000000000000000000" +
  "0000000001",
  "8c01e483000000006162636465666768",
  "9000dfed12348000",
  "9100805b1234800020010db800000000000000000000010020010db8000000000000000000000200",
  "9200701b00070000",
  "93007cd300078000030440c0ffffffffffffffff0000000020010db800aa00000000000000000000",
  "97146a8f007d0002",
  "8d00a4cc0000000001010011223344550201001122334466",
  "8e000b6f000000000201001122334466",
];

const ROUTER_ALERT: Ipv6ExtInit = { type: 0, data: hex("05020000 0100") };
const REPORT = msg("8f00 0000 0000 0002" + record(4, "ff02::1:3") + record(1, "ff3e::1", 2));

/** Frames tcpdump reads the same with and without -v. */
const FRAMES: Uint8Array[] = [
  ...MESSAGES.map((m) => frame(msg(m))),
  // As MLD is sent: behind a hop-by-hop header with a router alert.
  frame(REPORT, undefined, [ROUTER_ALERT]),
  frame(msg("8300 0000 0000 0000" + a6("ff02::fb")), undefined, [ROUTER_ALERT]),
  frame(msg("8200 0000 2710 0000" + a6("::") + "02 7d 0000"), undefined, [ROUTER_ALERT]),
  // In fragments: the first (printed to its end, no checksum), a later one (not printed), tiny first ones.
  frame(REPORT.slice(0, 40), undefined, [{ type: 44, mf: true, id: 7 }]),
  frame(REPORT.slice(40), undefined, [{ type: 44, fragOffset: 40, id: 7 }]),
  frame(msg("9b"), undefined, [{ type: 44, mf: true, id: 8 }]),
  frame(msg("9b01 0000"), undefined, [{ type: 44, mf: true, id: 8 }]),
  // An IPv6 length shorter than what follows: the message ends there (the rest is padding).
  frame(msg("8a00 0000 0000 0001 0000 0000 0000 0000"), 12),
  frame(msg("8f00 0000 0000 0001" + record(1, "ff02::1:3", 2)), 40),
  frame(msg("8200 0000 0001 0000" + a6("ff02::1") + "02 7f 0001" + a6("::1")), 28),
  frame(msg(DIO), 30),
  frame(msg(NI_ADDRS), 36),
  cat(frame(msg("8c00 0000 0003 0000" + NONCE)), hex("0000 0e10")),
];

/** Messages shorter than the 8-byte header, whole. */
const SHORT: Uint8Array[] = [
  frame(msg("9800 0000")),
  frame(msg("9900 0000")),
  frame(msg("9b02 0000 01 c0")),
  frame(msg("8f00 0000")),
  frame(msg("8200 0000")),
  frame(msg("8b00 00")),
  frame(msg("9b")),
  frame(msg("c8 00")),
  frame(msg("ff 00 0000 00")),
  cat(frame(msg("9800 0000")), new Uint8Array(2)),
];

/**
 * Each frame whole and cut at every length from its ICMPv6 message on (after the IPv6 header and, when its
 * next header is not ICMPv6, the one 8-byte extension header these frames have). Not cut: a first fragment
 * before its message's first byte, which tcpdump's fragment printer ends without asking for the message.
 */
const withCuts = (frames: Uint8Array[]): Frame[] => [
  ...frames.map((data) => ({ data })),
  ...frames.flatMap((f) => {
    const start = f[20] === 58 ? 54 : f[20] === 44 ? 63 : 62;
    return Array.from(
      { length: f.length - start },
      (_, k) => ({ data: f.slice(0, start + k), len: f.length }),
    );
  }),
];

const text = (digits: string, verbosity: number, cut?: number) => {
  const m = msg(digits);
  return icmp6Text(m.subarray(0, cut), m.length, verbosity);
};

Deno.test("icmp6Text() leaves errors, echo and neighbour discovery to its callers", () => {
  for (const type of [1, 2, 3, 4, 128, 129, 133, 134, 135, 136, 137]) {
    assert.equal(icmp6Text(msg(h8(type) + "00 0000 0000 0000"), 8, 1), null, `type ${type}`);
    assert.equal(icmp6Text(new Uint8Array([type]), 8, 0), null, `type ${type} cut`);
  }
  assert.equal(icmp6Text(new Uint8Array(0), 8, 0), null);
});

Deno.test("golden: MLD queries and reports at each verbosity", () => {
  assert.deepEqual(text("8300 0000 0000 0000" + a6("ff02::fb"), 0), {
    text: "ICMP6, multicast listener reportmax resp delay: 0 addr: ff02::fb, length 24",
    jump: false,
  });
  // MLDv1 cut short: tcpdump prints nothing of it, and no mark.
  assert.deepEqual(text("8300 0000 0000 0000" + a6("ff02::fb"), 0, 23), {
    text: "ICMP6, multicast listener report, length 24",
    jump: false,
  });
  assert.equal(
    text(MLD2_QUERY, 0)?.text,
    "ICMP6, multicast listener query v2 [gaddr ff3e::8000:1, 3 source(s)], length 76",
  );
  assert.equal(
    text(MLD2_QUERY, 2)?.text,
    "ICMP6, multicast listener query v2 [max resp delay=54752] [gaddr ff3e::8000:1 sflag robustness=7 qqi=248 " +
      "{ 2001:db8::1 2001:db8::2 2001:db8::3 }]",
  );
  // Cut inside the second source: the first is printed, then the jump.
  assert.deepEqual(text(MLD2_QUERY, 2, 50), {
    text:
      "ICMP6, multicast listener query v2 [max resp delay=54752] [gaddr ff3e::8000:1 sflag robustness=7 qqi=248 " +
      "{ 2001:db8::1 [|icmp6]",
    jump: true,
  });
  assert.equal(
    text("8200 0000 0000 0000", 1)?.text,
    "ICMP6, multicast listener query unknown-version (len 8) ",
  );
  assert.equal(
    text(MLD2_REPORT, 0)?.text,
    "ICMP6, multicast listener report v2, 7 group record(s), length 260",
  );
  assert.equal(
    text(MLD2_REPORT, 1)?.text,
    "ICMP6, multicast listener report v2, 7 group record(s) [gaddr ff3e::1 is_in, 2 source(s)] " +
      "[gaddr ff3e::2 is_ex, 0 source(s)] [gaddr ff3e::3 to_in, 1 source(s)] [gaddr ff3e::4 to_ex, 0 source(s)] " +
      "[gaddr ff3e::5 allow, 3 source(s)] [gaddr ff3e::6 block, 1 source(s)] [gaddr ff3e::7  [v2-report-#7], 0 source(s)]",
  );
  assert.equal(
    text("8f00 0000 0000 0001" + record(1, "ff02::1:3", 2).slice(0, 88), 2)?.text,
    "ICMP6, multicast listener report v2, 1 group record(s) [gaddr ff02::1:3 is_in [invalid number of sources 2]",
  );
});

Deno.test("golden: router renumbering, node information, home agent, mobile prefix", () => {
  assert.equal(
    text(RENUMBER, 0)?.text,
    "ICMP6, router renumbering, command, seq=1 match(add,2001:db8::/48) use(V,2001:db8:1::/64/48) " +
      "use(VP,2001:db8:2::/64/48), length 104",
  );
  assert.equal(
    text(RENUMBER, 2)?.text,
    "ICMP6, router renumbering, command, seq=1[TRASP,seg=0,maxdelay=100]\n" +
      "\tmatch(add,ord=5,min=48,max=64,2001:db8::/48)\n" +
      "\tuse(V,mask=0xc0,raflags=0x80,vltime=infty,pltime=3600,2001:db8:1::/64/48)\n" +
      "\tuse(VP,mask=0x0,raflags=0x0,vltime=3600,pltime=infty,2001:db8:2::/64/48)",
  );
  // A use part not all captured: tcpdump's own check, no jump, and the length still follows.
  assert.deepEqual(text(RENUMBER, 0, 80), {
    text:
      "ICMP6, router renumbering, command, seq=1 match(add,2001:db8::/48) use(V,2001:db8:1::/64/48) [|icmp6], " +
      "length 104",
    jump: false,
  });
  assert.equal(
    text(NI_NAME, 1)?.text,
    'ICMP6, who-are-you request node information query (DNS name, subject=DNS name, "host.example.com.")',
  );
  assert.equal(
    text(NI_ADDRS, 0)?.text,
    "ICMP6, who-are-you reply node information reply (node addresses 2001:db8::1(3600) fe80::1(4294967295) " +
      "[aGSLCAT]), length 56",
  );
  // A reply not all captured: marked, not printed.
  assert.deepEqual(text(NI_ADDRS, 0, 30), {
    text: "ICMP6, who-are-you reply [|icmp6], length 56",
    jump: false,
  });
  assert.equal(
    text("8b00 0000 0000 0000 0102 0304", 0)?.text,
    "ICMP6, who-are-you request who-are-you request, length 12",
  );
  assert.equal(
    text("9100 0000 1234 0000" + a6("2001:db8::1") + a6("2001:db8::2"), 1)?.text,
    "ICMP6, ha discovery reply, length 40, id 0x1234, 2001:db8::1, 2001:db8::2",
  );
  assert.deepEqual(text("9100 0000 abcd 0000" + a6("2001:db8::1") + "00112233", 1), {
    text: "ICMP6, ha discovery reply, length 28, id 0xabcd, 2001:db8::1 [|icmp6]",
    jump: true,
  });
  assert.equal(
    text("9300 0000 4321 c000 0304 40c0 ffffffff ffffffff 00000000" + a6("2001:db8:1::"), 2)?.text,
    "ICMP6, mobile router advertisement, length 40, id 0x4321 MO\n" +
      "\t  prefix info option (3), length 32 (4): 2001:db8:1::/64, Flags [onlink, auto], valid time infinity, " +
      "pref. time infinity\n" +
      "\t    0x0000:  40c0 ffff ffff ffff ffff 0000 0000 2001\n" +
      "\t    0x0010:  0db8 0001 0000 0000 0000 0000 0000",
  );
  assert.equal(text("9000 0000 1234 0000", 0)?.text, "ICMP6, ha discovery request, id 0x1234, length 8");
  assert.equal(text("8d00 0000 0000 0000", 1)?.text, "ICMP6, inverse neighbor solicitation");
});

Deno.test("golden: RPL, mtrace and unknown types", () => {
  assert.equal(text(DIO, 0)?.text, "ICMP6, RPL, (CLR)DODAG Information Object, length 64");
  assert.equal(
    text(DIO, 3)?.text,
    "ICMP6, RPL, (CLR)DODAG Information Object [dagid:fd00::1,seq:7,instance:1,rank:256,grounded," +
      "mop:storing-multicast,prf:0] opt:pad1 opt:padN len:4  0x0000:  0000 opt:config len:16  0x0000:  0008 0c0a " +
      "0700 0001 0000 ffff 0000 opt:destprefix len:10  0x0000:  3018 ffff ffff fd00 opt:subopt:119 len:5  " +
      "0x0000:  0102 03",
  );
  assert.equal(
    text("9b01 0000 01 f0 0100 08 07 00 00" + a6("fd00::1").slice(0, 20), 1)?.text,
    "ICMP6, RPL, (CLR)DODAG Information Object [length 18 < 24] (invalid)",
  );
  assert.equal(
    text("9b02 0000 01 40 00 06" + a6("fd00::1") + "0512 0080" + a6("fd00::2"), 2)?.text,
    "ICMP6, RPL, (CLR)Destination Advertisement Object [dagid:fd00::1,seq:6,instance:1,Dagid,40] " +
      "opt:rpltarget len:20 ",
  );
  assert.equal(text("9b80 0000 0000 0000", 1)?.text, "ICMP6, RPL, (SEC) [worktodo]");
  assert.deepEqual(text(UNKNOWN, 0), {
    text: "ICMP6, unknown icmp6 type (148), length 12\n\t0x0000:  9400 6e1c 0001 ffff 0001 0000",
    jump: false,
  });
  assert.equal(text(UNKNOWN, 2)?.text, "ICMP6, unknown icmp6 type (148), length 12");
  assert.equal(
    text("c800 0000 0000 0000 0102 03", 0)?.text.split("\n")[0],
    "ICMP6, mtrace response, length 11",
  );
  // Only the type captured: the code's read jumps.
  assert.deepEqual(icmp6Text(hex("9b"), 8, 0), { text: "ICMP6, RPL [|icmp6]", jump: true });
});

Deno.test("golden: whole lines through the decoder and summarizer", () => {
  const d = new PacketDecoder();
  const line = (f: Uint8Array, verbosity = 0, wireLen = f.length) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, link: false, wireLen });
  assert.equal(
    line(frame(REPORT, undefined, [ROUTER_ALERT])),
    "IP6 fe80::1 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 80",
  );
  assert.equal(
    line(frame(msg(UNKNOWN)), 1),
    "IP6 (hlim 1, next-header ICMPv6 (58) payload length: 12) fe80::1 > ff02::16: [icmp6 sum ok] " +
      "ICMP6, unknown icmp6 type (148), length 12\n\t0x0000:  9400 6e1c 0001 ffff 0001 0000",
  );
  assert.equal(
    // Cut by the snapshot length: the frame was longer on the wire.
    line(frame(msg(DIO)).subarray(0, 70), 1, frame(msg(DIO)).length),
    "IP6 (hlim 1, next-header ICMPv6 (58) payload length: 64) fe80::1 > ff02::16: ICMP6, RPL, " +
      "(CLR)DODAG Information Object [|icmp6]",
  );
});

Deno.test("every message cut at every length prints without throwing, at every verbosity", () => {
  const d = new PacketDecoder();
  for (const f of [...FRAMES, ...SHORT]) {
    for (let n = 0; n <= f.length; n++) {
      for (const verbosity of [0, 1, 2, 3]) {
        summarize(d.decode(f.subarray(0, n), 1), { verbose: verbosity > 0, verbosity, link: true });
      }
    }
  }
  for (const m of MESSAGES) {
    const b = msg(m);
    for (let n = 1; n <= b.length; n++) {
      for (const v of [0, 1, 2, 3]) assert.notEqual(icmp6Text(b.subarray(0, n), b.length, v), null, m);
    }
  }
});

testIf(
  "ICMPv6 informational messages print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const flags = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-vvv"], ["-x"], ["-e", "-vv"], ["-X", "-v"]];
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
    const short = withCuts(SHORT);
    assert.equal(await compareFramesWithTcpdump(short, flags), short.length * flags.length);
  },
);

testIf(
  "a router advertisement's flags, the IPv6-only flag (RFC 8925) among them, as tcpdump -v",
  needCommands(
    "tcpdump",
  ),
  async () => {
    // Flags bytes: none, M O H and the preference bits, IPv6-only alone, every bit.
    const ras = ["00", "e8", "02", "ff"].map((f) => frame(msg(`8600 0000 40${f} 0708 0000 0001 0000 0002`)));
    assert.match(summarize(new PacketDecoder().decode(ras[2], 1), { verbose: true }), /Flags \[ipv6 only\]/);
    const frames = ras.map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(frames, [["-v"], ["-vv"]]), 8);
  },
);
