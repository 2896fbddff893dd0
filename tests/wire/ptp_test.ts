/**
 * PTP (IEEE 1588) over Ethernet (EtherType 0x88f7, also behind an 802.1Q tag) and over UDP (ports 319 and
 * 320, IPv4 and IPv6): tcpdump 4.99's text over hand-built frames (version 2 with every message type, flag,
 * control value and the transportSpecific bit, reserved message types, version 1, other version bytes,
 * messages shorter than the header on the wire, a UDP length shorter than the datagram, PTP's port against
 * every other port tcpdump's UDP printer tests), whole and cut at every length, compared packet by packet;
 * with `-x`, whether the dump starts at the frame or at the IP header tells tcpdump's long jumps from its own
 * checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { ptpText } from "../../lib/wire/_ptp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);

const MAC = { src: "00:11:22:33:44:55", dst: "01:1b:19:00:00:00" };
const V4 = { src: "10.0.0.1", dst: "224.0.1.129" };
const V6 = { src: "fe80::1", dst: "ff02::6b" };
const EVENT = 319, GENERAL = 320;

const eth = (...parts: Uint8Array[]) => emitEthernet({ ...MAC, ethertype: 0x88f7 }, cat(...parts));
/** An Ethernet/IPv4/UDP frame; `ulen`: a UDP length shorter than the data (checksum then 0). */
const udp4 = (sp: number, dp: number, data: Uint8Array, ulen?: number) => {
  const u = emitUdp(
    { srcPort: sp, dstPort: dp, length: ulen === undefined ? undefined : ulen + 8 },
    data,
    V4,
  );
  if (ulen !== undefined) u[6] = u[7] = 0;
  return emitEthernet(
    { ...MAC, dst: "01:00:5e:00:01:81", ethertype: 0x0800 },
    emitIpv4({ ...V4, proto: 17 }, u),
  );
};
const udp6 = (sp: number, dp: number, data: Uint8Array) =>
  emitEthernet(
    { ...MAC, dst: "33:33:00:00:00:6b", ethertype: 0x86dd },
    emitIpv6({ ...V6, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, data, V6)),
  );

interface Header {
  /** The whole first byte (transportSpecific and message type); default 0x10 | type. */
  first?: number;
  version?: number;
  flags?: number;
  control?: number;
  interval?: number;
  /** The header's length field; default the message's. */
  length?: number;
}
/** A PTP message: the 34-byte common header, then `body`. */
const ptp = (type: number, body: Uint8Array, h: Header = {}) =>
  cat(
    bytes(h.first ?? (0x10 | type), h.version ?? 2),
    u16(h.length ?? 34 + body.length),
    bytes(4, 0x55),
    u16(h.flags ?? 0x0208),
    hex("00123456789a 0102 deadbeef 0011223344556677 0003 004d"),
    bytes(h.control ?? 0, h.interval ?? 0xfd),
    body,
  );
/** A timestamp: 48-bit seconds, 32-bit nanoseconds. */
const TS = hex("011f71fb04cb 3b9ac9ff");
/** A port identity: clock identity and port number. */
const PORT_ID = hex("aabbccddeeff0011 0009");
const ANNOUNCE = cat(TS, hex("0025 11 80 06 21 4e5d 81 0102030405060708 0002 a0"));
const MANAGEMENT = cat(PORT_ID, hex("05040fee 0001 0002"));

/** Every message type tcpdump knows, with its body; two reserved types. */
const MESSAGES: [number, Uint8Array][] = [
  [0x0, TS],
  [0x1, TS],
  [0x2, cat(TS, PORT_ID)],
  [0x3, cat(TS, PORT_ID)],
  [0x8, TS],
  [0x9, cat(TS, PORT_ID)],
  [0xa, cat(TS, PORT_ID)],
  [0xb, ANNOUNCE],
  [0xc, PORT_ID],
  [0xd, MANAGEMENT],
  [0x4, TS],
  [0xf, TS],
];
const SYNC = ptp(0, TS);

/** Other UDP ports against PTP's: those whose dissector tcpdump tries before PTP's. */
const EARLIER_PORTS = [
  69,
  67,
  68,
  520,
  500,
  7500,
  8500,
  4500,
  161,
  162,
  123,
  1701,
  521,
  546,
  547,
  1645,
  1812,
  1646,
  1813,
  1700,
  3799,
  6343,
  5060,
  514,
  4789,
  6081,
  6635,
];
/** Ports tcpdump tests only as a destination (VAT, whiteboard, HSRP, BFD): PTP takes them as a source. */
const DESTINATION_ONLY = [3456, 4567, 1985, 3784, 4784, 6784, 3785];

const FRAMES: Uint8Array[] = [
  ...MESSAGES.map(([t, body]) => eth(ptp(t, body))),
  // Each flag bit alone, tcpdump's "unknown" mask, all and none.
  ...[0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000]
    .map((flags) => eth(ptp(0, TS, { flags }))),
  eth(ptp(0, TS, { flags: 0x18c0 })),
  eth(ptp(0, TS, { flags: 0xffff })),
  eth(ptp(0, TS, { flags: 0 })),
  // Control values, log intervals, the transportSpecific nibble, a header length that lies.
  ...[1, 2, 3, 4, 5, 6, 0xff].map((control) => eth(ptp(8, TS, { control, interval: control }))),
  eth(ptp(0, TS, { first: 0x00 })),
  eth(ptp(0xb, ANNOUNCE, { first: 0xeb })),
  eth(ptp(0x9, cat(TS, PORT_ID), { length: 2 })),
  eth(ptp(0xb, ANNOUNCE.subarray(0, 12))),
  eth(ptp(0xd, PORT_ID)),
  eth(ptp(0x2, TS)),
  // Version 1, other version bytes (tcpdump prints the whole byte).
  eth(ptp(0, TS, { version: 1 })),
  eth(ptp(0, TS, { version: 0 })),
  eth(ptp(0, TS, { version: 3 })),
  eth(ptp(0, TS, { version: 0x12 })),
  eth(ptp(0, TS, { version: 0xff })),
  // Shorter than the header on the wire; nothing at all.
  eth(SYNC.subarray(0, 33)),
  eth(SYNC.subarray(0, 34)),
  eth(hex("1002")),
  eth(),
  // Behind a VLAN tag.
  emitEthernet({ ...MAC, ethertype: 0x8100 }, cat(hex("0064 88f7"), ptp(0xb, ANNOUNCE))),
  // Over UDP: event and general ports, IPv6, a short message, a UDP length shorter than the datagram.
  udp4(EVENT, EVENT, SYNC),
  udp4(GENERAL, GENERAL, ptp(0xb, ANNOUNCE)),
  udp4(GENERAL, GENERAL, ptp(0xd, MANAGEMENT)),
  udp4(EVENT, EVENT, ptp(0x3, cat(TS, PORT_ID)), 40),
  udp4(EVENT, EVENT, ptp(0x3, cat(TS, PORT_ID)), 30),
  udp4(EVENT, EVENT, SYNC.subarray(0, 20)),
  udp4(EVENT, EVENT, ptp(0, TS, { version: 1 })),
  udp6(EVENT, EVENT, ptp(0x9, cat(TS, PORT_ID))),
  udp6(GENERAL, 12345, ptp(0xc, PORT_ID)),
];

/** PTP's ports against the others, both ways: who wins shows where tcpdump tries PTP. */
const ORDER_FRAMES: Uint8Array[] = [
  ...EARLIER_PORTS.flatMap((p, k) => {
    const ours = k & 1 ? GENERAL : EVENT;
    return [udp4(ours, p, SYNC), udp4(p, ours, SYNC)];
  }),
  ...DESTINATION_ONLY.map((p, k) => udp4(p, k & 1 ? GENERAL : EVENT, SYNC)),
  // HSRP and BFD (which netkit prints) as destinations do come first.
  ...[1985, 3784, 4784, 6784, 3785].map((p, k) => udp4(k & 1 ? GENERAL : EVENT, p, SYNC)),
  udp4(EVENT, 49152, SYNC),
  udp4(GENERAL, 49152, SYNC),
];

const FLAGS = [[], ["-v"], ["-vv"], ["-e"], ["-q"]];
const HEX_FLAGS = [["-x"], ["-v", "-X"]];

/** Every frame whole, then cut at every length inside it (the link header too). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const HEADER_TEXT = ", domain : 4, reserved1 : 85, Flags [timescale, two step], NS correction : 78187493530" +
  ", sub NS correction : 258, reserved2 : 3735928559, clock identity : 0x11223344556677, port id : 3, seq id : 77";

Deno.test("golden: tcpdump's PTP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  assert.equal(
    at(eth(SYNC)),
    "PTPv2, v1 compat : yes, msg type : sync msg, length : 44" + HEADER_TEXT +
      ", control : 0 (Sync), log message interval : 253" +
      ", originTimeStamp : 1234567890123 seconds, 999999999 nanoseconds",
  );
  assert.equal(
    at(udp4(GENERAL, GENERAL, ptp(0xb, ANNOUNCE, { first: 0x0b, control: 5 })), 2).split("\n")[1],
    "    10.0.0.1.320 > 224.0.1.129.320: [udp sum ok] PTPv2, v1 compat : no, msg type : announce msg, length : 64" +
      HEADER_TEXT +
      ", control : 5 (Other), log message interval : 253, originTimeStamp : 1234567890123 seconds " +
      "999999999 nanoseconds, origin cur utc :37, rsvd : 17, gm priority_1 : 128, gm clock class : 6, gm clock " +
      "accuracy : 33, gm clock variance : 20061, gm priority_2 : 129, gm clock id : 0x102030405060708, steps " +
      "removed : 2, time source : 0xa0",
  );
  assert.equal(
    at(eth(ptp(0xd, MANAGEMENT, { control: 4 }))).split("log message interval : 253")[1],
    ", port identity : 0xaabbccddeeff0011, port id : 9, , start boundary hops  170, , boundary hops  170" +
      ", , flags  0xaa, , reserved  0xaa",
  );
  assert.equal(
    at(eth(ptp(0x3, cat(TS, PORT_ID), { flags: 0x18c7 }))).split("Flags ")[1].split(", NS")[0],
    "[l1 61, l1 59, utc reasonable, profile specific 1, unknown]",
  );
  assert.equal(at(eth(ptp(0, TS, { version: 1 }))), "PTPv1 (not implemented)");
  assert.equal(at(eth(ptp(0, TS, { version: 0x12 }))), "PTPv18");
  assert.equal(at(eth(SYNC.subarray(0, 33))), " [length 33 < 34] (invalid)");
  assert.match(at(udp4(3456, EVENT, SYNC)), /^IP 10\.0\.0\.1\.3456 > 224\.0\.1\.129\.319: PTPv2, /);
  assert.match(at(udp4(EVENT, 6635, SYNC)), /^IP 10\.0\.0\.1\.319 > 224\.0\.1\.129\.6635: MPLS /);
});

Deno.test("ptpText: reads past the capture are long jumps, the header length check is not", () => {
  assert.deepEqual(ptpText(SYNC.subarray(0, 1), 44, 0), { text: " [|ptp]", jump: true });
  assert.deepEqual(ptpText(SYNC.subarray(0, 4), 44, 0), {
    text: "PTPv2, v1 compat : yes, msg type : sync msg, length : 44 [|ptp]",
    jump: true,
  });
  assert.equal(ptpText(SYNC.subarray(0, 38), 44, 0)?.text.endsWith(", originTimeStamp : [|ptp]"), true);
  assert.deepEqual(ptpText(SYNC.subarray(0, 2), 20, 0), { text: " [length 20 < 34] (invalid)", jump: false });
  assert.deepEqual(ptpText(new Uint8Array(0), 0, 2), { text: " [length 0 < 34] (invalid)", jump: false });
  // No cut throws, at any verbosity.
  for (const [t, body] of MESSAGES) {
    const m = ptp(t, body);
    for (let n = 0; n <= m.length; n++) {
      for (const v of [0, 1, 2]) assert(ptpText(m.subarray(0, n), m.length, v) !== null);
    }
  }
});

testIf(
  "PTP frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "PTP with -x/-X: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);

testIf(
  "PTP's UDP ports lose to every port tcpdump's UDP printer tests before them, and win otherwise",
  needCommands("tcpdump"),
  async () => {
    const flags = [[], ["-v"], ["-vv"], ["-x"], ["-e"]];
    const frames = ORDER_FRAMES.map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
