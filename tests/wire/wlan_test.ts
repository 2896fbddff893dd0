/**
 * IEEE 802.11 (link type 105) and radiotap + 802.11 (127) as tcpdump 4.99.3 prints them, over hand-built
 * frames: radiotap fields one by one and together, their alignment, extended presence words, radiotap and
 * vendor namespaces, unknown fields, the FCS and data-pad flags; data frames of every subtype and ToDS/FromDS
 * combination carrying IPv4, IPv6, ARP, LLC and SNAP payloads; protected frames; management frames with
 * their elements; control frames; unknown types. Every frame whole and cut at every length, compared with
 * tcpdump packet by packet, with `-x` telling where tcpdump's dump starts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { wlanText } from "../../lib/wire/_wlan.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";
import { Rng } from "./_rand.ts";
import { A1, A2, A4, bytes, data as dot11Data, fc, le16, le32, mgmt, zeros } from "./_dot11.ts";

const BCAST = hex("ffffffffffff");

/** A data frame (tests/wire/_dot11.ts) with QoS control 0x0007 in QoS subtypes. */
const data = (sub: number, flags: number, body: Uint8Array) => dot11Data(sub, flags, body, 0x0007);

const UDP = emitIpv4(
  { src: "10.0.0.1", dst: "10.0.0.2", proto: 17, id: 1 },
  emitUdp({ srcPort: 1, dstPort: 2 }, text("hi"), { src: "10.0.0.1", dst: "10.0.0.2" }),
);
const UDP6 = emitIpv6(
  { src: "fe80::1", dst: "ff02::1", proto: 17 },
  emitUdp({ srcPort: 1, dstPort: 2 }, zeros(2)),
);
const ARP = hex("0001 0800 0604 0001 001122334455 0a000001 000000000000 0a000002");
const snap = (type: number, payload: Uint8Array) => cat(hex("aaaa03 000000"), le16(type).reverse(), payload);

/** An element: id, length, value. */
const ie = (id: number, value: Uint8Array) => cat(bytes(id, value.length), value);
const RATES = ie(1, hex("82848b960c121824"));
const beaconBody = (cap: number, ...ies: Uint8Array[]) =>
  cat(hex("0102030405060708"), le16(100), le16(cap), ...ies);

/** A radiotap header holding these presence words and field bytes (laid out by the caller). */
const radiotap = (words: number[], fields: Uint8Array, frame: Uint8Array) =>
  cat(bytes(0, 0), le16(4 + 4 * words.length + fields.length), ...words.map(le32), fields, frame);

/** A radiotap header with the fields of `bits` in order, each aligned to its size from the header start. */
function rt(
  fields: [bit: number, align: number, value: Uint8Array][],
  frame: Uint8Array,
  extra: number[] = [],
) {
  let present = 0, body: Uint8Array = zeros(0);
  const start = 8 + 4 * extra.length;
  for (const [bit, align, value] of fields) {
    present |= 1 << bit;
    const at = start + body.length;
    body = cat(body, zeros((align - (at % align)) % align), value);
  }
  return radiotap([(present | (extra.length ? 1 << 31 : 0)) >>> 0, ...extra], body, frame);
}

const ACK = cat(fc(1, 13), le16(0), A1);
const TSFT: [number, number, Uint8Array] = [0, 8, cat(le32(123456), le32(1))];
const FLAGS_SP: [number, number, Uint8Array] = [1, 1, bytes(0x02)];
const RATE: [number, number, Uint8Array] = [2, 1, bytes(22)];
const chan = (
  freq: number,
  flags: number,
): [number, number, Uint8Array] => [3, 2, cat(le16(freq), le16(flags))];
const SIGNAL: [number, number, Uint8Array] = [5, 1, bytes(0xd8)];
const NOISE: [number, number, Uint8Array] = [6, 1, bytes(0xa6)];
const ANTENNA: [number, number, Uint8Array] = [11, 1, bytes(1)];
const COMMON = [TSFT, FLAGS_SP, RATE, chan(2437, 0xa0), SIGNAL, NOISE, ANTENNA];
const mcs = (known: number, flags: number, index: number): [number, number, Uint8Array] => [
  19,
  1,
  bytes(known, flags, index),
];

/** 802.11 frames (no radiotap header) tcpdump prints in full. */
const DOT11: Uint8Array[] = [
  // Data: every ToDS/FromDS combination, QoS, CF subtypes, IPv6, ARP, null frames, protected frames.
  ...[0, 1, 2, 3].map((ds) => data(0, ds, snap(0x0800, UDP))),
  data(8, 0, snap(0x0800, UDP)),
  data(8, 3, snap(0x0800, UDP)),
  data(1, 2, snap(0x0800, UDP)),
  data(2, 1, snap(0x0800, UDP)),
  data(3, 0, snap(0x0800, UDP)),
  data(11, 1, snap(0x0800, UDP)),
  data(0, 0x18, snap(0x86dd, UDP6)),
  data(0, 1, snap(0x0806, ARP)),
  data(4, 1, zeros(0)),
  data(12, 3, zeros(0)),
  data(7, 0, zeros(0)),
  data(0, 0x41, hex("010203 40 00000000 aabbccdd")),
  data(8, 0x42, hex("ffeedd c0 00000000")),
  data(0, 0xf5, snap(0x0800, UDP)),
  // Management frames and their elements.
  mgmt(8, beaconBody(0x0411, ie(0, text("myssid")), RATES, ie(3, bytes(6)), ie(5, hex("00010000")))),
  mgmt(
    8,
    beaconBody(
      0x0012,
      ie(0, hex("41 01 7f c1 00 42")),
      ie(1, zeros(0)),
      ie(1, hex("0c")),
      ie(3, hex("0101")),
    ),
  ),
  mgmt(
    8,
    beaconBody(
      0x0001,
      ie(221, hex("0050f2")),
      ie(4, hex("010203040506")),
      ie(16, text("x")),
      ie(0, zeros(0)),
    ),
  ),
  mgmt(8, beaconBody(0x0001, ie(0, text("first")), ie(0, text("second")), ie(3, bytes(1)), ie(3, bytes(2)))),
  mgmt(8, beaconBody(0x0001, ie(0, zeros(33)))),
  mgmt(8, beaconBody(0x0001, ie(1, zeros(17)))),
  mgmt(8, beaconBody(0x0001, ie(0, text("trailing")), bytes(0))),
  mgmt(8, beaconBody(0x0001, ie(0, text("over")), bytes(7, 9, 1))),
  mgmt(4, cat(ie(0, zeros(0)), ie(1, hex("02040b16")))),
  mgmt(4, zeros(0), 0, BCAST),
  mgmt(5, beaconBody(0x0010, ie(0, text("resp")), RATES, ie(3, bytes(11)))),
  mgmt(0, cat(le16(0x0001), le16(10), ie(0, text("assoc")), RATES)),
  mgmt(1, cat(le16(0x0011), le16(0), le16(0xc005), RATES)),
  mgmt(3, cat(le16(0x0001), le16(17), le16(0x0001))),
  mgmt(1, cat(le16(0x0001), le16(200), le16(0x0001))),
  mgmt(2, cat(le16(0x0001), le16(10), A4, ie(0, text("re")))),
  ...[[0, 1, 0], [0, 2, 0], [1, 1, 0], [1, 2, 0], [1, 3, 15], [1, 4, 0], [2, 1, 1], [3, 2, 0], [0, 0x11, 300]]
    .map(([alg, seq, st]) => mgmt(11, cat(le16(alg), le16(seq), le16(st)))),
  mgmt(11, cat(le16(1), le16(2), le16(0), ie(16, text("challenge")))),
  ...[0, 1, 7, 13, 46, 66, 67, 0xffff].map((r) => mgmt(12, le16(r))),
  ...[3, 45].map((r) => mgmt(10, le16(r))),
  mgmt(9, zeros(0)),
  ...[[0, 4], [1, 1], [2, 2], [3, 0], [3, 1], [3, 2], [3, 3], [7, 0], [7, 1], [7, 2], [13, 5], [13, 11], [
    14,
    1,
  ]]
    .map(([c, a]) => mgmt(13, bytes(c, a, 9))),
  ...[[14, 2], [15, 0], [15, 3], [15, 6], [127, 8], [99, 5], [4, 1]].map(([c, a]) => mgmt(13, bytes(c, a))),
  ...[6, 7, 14, 15].map((s) => mgmt(s, hex("0102"))),
  mgmt(11, hex("01020304 0506"), 0x40),
  mgmt(8, beaconBody(0x0001), 0x1c),
  // Control frames.
  cat(fc(1, 7), le16(5), A1, le16(0x00d4), le32(0x12345678)),
  cat(fc(1, 8), le16(5), A1, A2, le16(0x0004), le16(0x1230)),
  cat(fc(1, 9), le16(5), A1, A2, zeros(12)),
  cat(fc(1, 10, 0x10), le16(0xc001), A1, A2),
  cat(fc(1, 11), le16(500), A1, A2),
  cat(fc(1, 12, 0x08), le16(30), A1),
  ACK,
  cat(fc(1, 14), le16(0), BCAST, A2),
  cat(fc(1, 15), le16(0), BCAST, A2),
  ...[0, 3, 6].map((s) => cat(fc(1, s), le16(0), A1, A2)),
  // Reserved frame type.
  cat(fc(3, 2), le16(0), A1, A2),
];

/** Data frames whose LLC payload tcpdump cannot dissect: it dumps them unless -x/-X/-q. */
const UNDISSECTED: Uint8Array[] = [
  data(0, 1, snap(0x88b5, hex("0102030405"))),
  data(0, 1, cat(hex("aaaa03 00000c 2000"), zeros(4))),
  data(0, 1, hex("424203 0000 00")),
  data(0, 1, hex("f0f0 0010 0102")),
  data(0, 1, hex("aaaa03 0000")),
  data(0, 1, hex("aa")),
];

/** Radiotap headers in front of 802.11 frames. */
const RADIOTAP: Uint8Array[] = [
  rt(COMMON, data(0, 1, snap(0x0800, UDP))),
  rt(COMMON, mgmt(8, beaconBody(0x0411, ie(0, text("myssid")), RATES, ie(3, bytes(6))))),
  rt(COMMON, ACK),
  // Every field alone, at an offset that needs alignment after a one-byte field.
  ...[
    TSFT,
    chan(5180, 0x140),
    [4, 1, bytes(3, 7)],
    [7, 2, le16(513)],
    [8, 2, le16(0xfffe)],
    [9, 1, bytes(0xfe)],
    [10, 1, bytes(0xf6)],
    [12, 1, bytes(40)],
    [13, 1, bytes(200)],
    [14, 2, le16(3)],
    [18, 4, cat(le32(0x20140), le16(5200), bytes(40, 30))],
    [20, 4, cat(le32(7), le16(0x3f), bytes(1, 0))],
    [21, 2, cat(le16(0x0045), bytes(0x04, 4), hex("91 00 22 01"), bytes(0x09, 5), le16(0x1234))],
  ].map((f) => rt([FLAGS_SP, f as [number, number, Uint8Array]], ACK)),
  // Rates: the MCS range of the Rate field, and ordinary ones.
  ...[0x80, 0x8f, 0x90, 0xff, 1, 0].map((r) => rt([[2, 1, bytes(r)]], ACK)),
  // Channel flags tcpdump names (and CHANNEL skipped when XCHANNEL is there, 11n with MCS).
  ...[0x0000, 0x00a0, 0x0480, 0x00c0, 0x4140, 0x8140, 0x40c0, 0x80c0, 0x0880, 0x0150, 0x0090, 0x0e0]
    .map((flags) => rt([chan(2412, flags)], ACK)),
  rt([chan(2412, 0xa0), [18, 4, cat(le32(0x100a0), le16(2417), bytes(2, 30))]], ACK),
  rt([chan(2412, 0xa0), mcs(7, 1, 7)], ACK),
  ...[[0x10140, 0], [0x20140, 0], [0x40140, 0], [0x60140, 0], [0x100a0, 1]].map(([f, m]) =>
    rt([[18, 4, cat(le32(f), le16(5180), bytes(36, 30))], ...(m ? [mcs(7, 0, 1)] : [])], ACK)
  ),
  // MCS: what is known, bandwidth and guard interval, index past the table.
  ...[
    [0x07, 0, 0],
    [0x07, 4, 7],
    [0x07, 1, 15],
    [0x07, 5, 32],
    [0x06, 1, 32],
    [0x03, 0, 76],
    [0x05, 4, 3],
    [0x02, 1, 31],
    [0x02, 0, 77],
    [0x07, 3, 200],
    [0x7f, 0x7f, 12],
    [0x3d, 0x2a, 9],
    [0x38, 0x58, 0],
    [0x00, 0xff, 0xff],
  ].map(([k, f, i]) => rt([mcs(k, f, i)], ACK)),
  ...[0, 8, 16, 24, 40, 52, 64, 70].map((i) => rt([mcs(7, 0, i)], ACK)),
  ...[4, 17, 33, 45, 61, 75].map((i) => rt([mcs(7, 5, i)], ACK)),
  // VHT: users, coding, bandwidth names (25 and past the table).
  ...[[0x44, 0x04, 0, 0x0f], [0x40, 0, 11, 0], [0x40, 0, 25, 2], [0x40, 0, 26, 0], [0x44, 0, 31, 0]].map((
    [k, f, bw, coding],
  ) => rt([[21, 2, cat(le16(k), bytes(f, bw), hex("91 a2 03 10"), bytes(coding, 0), le16(0))]], ACK)),
  // Fields tcpdump cannot size stop the header's printing; a field past the header's end is cut.
  ...[15, 16, 17, 22, 28].map((bit) => rt([FLAGS_SP, [bit, 1, bytes(1, 2, 3, 4)], RATE], ACK)),
  radiotap([0x07], bytes(0, 0, 0, 0, 0, 0, 0, 0, 2), ACK),
  radiotap([0x09], bytes(0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x6c), ACK),
  radiotap([0x26], bytes(2, 4, 0x6c, 0, 0x6c), ACK),
  radiotap([0x200000], hex("0000 00 00"), ACK),
  // Extended presence words: radiotap fields in a second word, namespace switches, vendor namespaces.
  radiotap([0x80000002, 0x00000001], hex("02 00 00 00 00 00 00 00"), ACK),
  radiotap([0xa0000002, 0x00000006], hex("02 00 0c 00"), ACK),
  radiotap([0xc0000002, 0x80000001, 0x00000004], hex("10 00 001122 05 0400 aabbccdd 16"), cat(ACK, zeros(4))),
  radiotap([0xc0000002, 0xa0000003, 0x00000004], hex("10 00 001122 05 0400 aabbccdd 16"), cat(ACK, zeros(4))),
  radiotap([0xc0000002, 0x20000001, 0x00000004], hex("00 00 001122 05 0800 aabbccdd 16"), ACK),
  radiotap([0xc0000002, 0x20000001, 0x00000004], hex("00 00 001122 05 0000 16"), ACK),
  radiotap([0xc0000002, 0x00000001], hex("00 00 0011"), ACK),
  radiotap([0xc0000002, 0x00000001], hex("00 00 001122"), ACK),
  radiotap([0x40000002, 0x00000004], hex("00 00 001122 05 0400"), ACK),
  radiotap([0x60000002], hex("00"), ACK),
  radiotap([0x80000000, 0x80000000, 0x00000004], hex("16"), ACK),
  radiotap([0x80000000, 0x80000000], zeros(0), ACK),
  radiotap([0x00000000], zeros(0), ACK),
  // FCS (stripped), bad FCS, fragmentation, CFP, WEP and data-pad flags.
  rt([[1, 1, bytes(0x10)]], cat(ACK, hex("01020304"))),
  rt([[1, 1, bytes(0x50)]], cat(data(8, 1, snap(0x0800, UDP)), hex("01020304"))),
  rt([[1, 1, bytes(0x10)]], hex("d400")),
  rt([[1, 1, bytes(0x10)]], hex("d4000000")),
  rt([[1, 1, bytes(0x10)]], hex("d4000000 0011")),
  rt([[1, 1, bytes(0x0d)]], ACK),
  rt([[1, 1, bytes(0x20)]], cat(ACK, zeros(2))),
  rt([[1, 1, bytes(0x20)]], cat(data(8, 1, zeros(2)), snap(0x0800, UDP))),
  rt([[1, 1, bytes(0x30)]], cat(data(8, 3, zeros(0)), snap(0x0800, UDP), zeros(4))),
  rt([FLAGS_SP, [1, 1, bytes(0)]], ACK),
  // Radiotap headers that do not fit.
  hex("00 00 0700 00000000 d4000000"),
  hex("00 00 ff00 00000000 d4000000"),
  hex("00 00 0800 00000080"),
  hex("00 00 0c00 00000080 00000080 d400"),
];

/** Every frame whole, then cut at every length inside it. */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((d) => ({ data: d }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-e"], ["-v"], ["-e", "-v"], ["-q"], ["-e", "-vv"]];
const HEX_FLAGS = [["-x"], ["-e", "-x"], ["-v", "-x"]];

const o = { verbosity: 0, link: false, quiet: false, network: () => null };
const at = (f: Uint8Array, linktype = 105, flags: { link?: boolean; verbosity?: number } = {}) =>
  summarize(new PacketDecoder().decode(f, linktype), {
    link: flags.link,
    verbose: (flags.verbosity ?? 0) > 0,
    verbosity: flags.verbosity,
  });

Deno.test("golden: tcpdump's 802.11 and radiotap text", () => {
  assert.equal(
    at(RADIOTAP[0], 127),
    "4295090752us tsft short preamble 11.0 Mb/s 2437 MHz 11b -40dBm signal -90dBm noise antenna 1 " +
      "IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 2",
  );
  assert.equal(
    at(DOT11[3], 105, { link: true, verbosity: 1 }),
    "44us RA:00:11:22:33:44:55 TA:66:77:88:99:aa:bb DA:de:ad:be:ef:00:01 SA:02:00:00:00:00:04 " +
      "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), " +
      "ethertype IPv4 (0x0800), length 30: (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), " +
      "length 30)\n    10.0.0.1.1 > 10.0.0.2.2: UDP, length 2",
  );
  assert.equal(
    at(mgmt(8, beaconBody(0x0011, ie(0, text("net")), RATES, ie(3, bytes(6))))),
    "Beacon (net) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY",
  );
  assert.equal(
    at(mgmt(12, le16(7))),
    "DeAuthentication (66:77:88:99:aa:bb): Class 3 frame received from nonassociated STA",
  );
  assert.equal(at(data(0, 0x41, hex("010203 40 00000000"))), "Data IV:30201 Pad 0 KeyID 1");
  assert.equal(
    at(cat(fc(1, 8), le16(5), A1, A2, le16(4), le16(0x1230))),
    "BAR RA:00:11:22:33:44:55 TA:66:77:88:99:aa:bb CTL(4) SEQ(4656) ",
  );
  assert.equal(
    at(rt([mcs(7, 5, 7)], ACK), 127),
    "150.0 Mb/s MCS 7 40 MHz short GI Acknowledgment RA:00:11:22:33:44:55 ",
  );
  assert.equal(at(rt([[1, 1, bytes(0x10)]], hex("d400")), 127), " [|802.11]");
  assert.equal(at(mgmt(8, zeros(4))), "Beacon [|802.11]");
  assert.equal(at(cat(fc(1, 3), le16(0), A1)), "unknown 802.11 ctrl frame subtype (3)");
});

Deno.test("wlanText: the header length tcpdump's -x dumps from", () => {
  const p = (f: Uint8Array, radiotap = false) => wlanText(f, f.length, { ...o, radiotap });
  assert.equal(p(ACK).hdrLen, 10);
  assert.equal(p(data(8, 3, snap(0x0800, UDP))).hdrLen, 32 + 8);
  assert.equal(p(rt([FLAGS_SP], ACK), true).hdrLen, 9 + 10);
  assert.equal(p(cat(fc(3, 0), zeros(8))).hdrLen, 0);
  assert.equal(p(hex("d4")).hdrLen, 1);
  // A payload printer's long jump is passed on.
  const jump = wlanText(data(0, 0, snap(0x0800, UDP)), 60, {
    ...o,
    radiotap: false,
    network: () => ({ text: "IP [|ip]", jump: true }),
  });
  assert.deepEqual(jump, { text: "IP [|ip]", jump: true, hdrLen: 32 });
  // No input throws.
  for (const f of [...DOT11, ...RADIOTAP, ...UNDISSECTED]) {
    for (let n = 0; n <= f.length; n++) {
      for (const radiotap of [false, true]) {
        for (const link of [false, true]) {
          assert.equal(typeof wlanText(f.subarray(0, n), f.length, { ...o, radiotap, link }).text, "string");
        }
      }
    }
  }
});

testIf(
  "802.11 frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(DOT11);
    assert.equal(await compareFramesWithTcpdump(frames, [...FLAGS, ...HEX_FLAGS], 105), frames.length * 9);
  },
);

testIf(
  "radiotap + 802.11 frames print as tcpdump prints them, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(RADIOTAP);
    assert.equal(await compareFramesWithTcpdump(frames, [...FLAGS, ...HEX_FLAGS], 127), frames.length * 9);
  },
);

testIf("802.11 data frames behind radiotap, whole and cut", needCommands("tcpdump"), async () => {
  const frames = withCuts(DOT11.map((f) => rt([FLAGS_SP, RATE, chan(2412, 0xa0)], f)));
  assert.equal(await compareFramesWithTcpdump(frames, [[], ["-e", "-x"]], 127), frames.length * 2);
});

testIf(
  "LLC payloads tcpdump cannot dissect (-x and -q: no default print)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(UNDISSECTED);
    const flags = [["-x"], ["-e", "-x"], ["-q"], ["-q", "-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags, 105), frames.length * flags.length);
  },
);

testIf(
  "radiotap MCS rates for every index, bandwidth and guard interval; every VHT bandwidth",
  needCommands("tcpdump"),
  async () => {
    const frames = [
      ...Array.from({ length: 80 * 4 }, (_, k) => rt([mcs(7, [0, 4, 1, 5][k % 4], k >> 2)], ACK)),
      ...Array.from(
        { length: 32 },
        (_, bw) =>
          rt([[21, 2, cat(le16(0x44), bytes(4, bw), hex("10 00 00 00"), bytes(0, 0), le16(0))]], ACK),
      ),
    ].map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(frames, [[]], 127), frames.length);
  },
);

/** Seeded random frames: any type, subtype and flags, random bodies, SNAP payloads, random radiotap words. */
function randomFrames(seed: number, n: number): { bare: Frame[]; radio: Frame[] } {
  const r = new Rng(seed), bare: Frame[] = [], radio: Frame[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.pick([0, 0, 1, 2, 2, 3]), flags = r.int(256);
    let body = r.bytes(r.pick([0, 2, 4, 8, 10, 16, 20, 24, 26, 30, 32, 40, 60]));
    if (type === 2 && r.bool()) {
      const ethertype = r.pick([0x0800, 0x86dd, 0x0806, 0x88b5]);
      body = cat(r.bytes(r.pick([22, 24, 28, 30])), snap(ethertype, r.bytes(r.int(40))));
    }
    const f = cat(bytes((r.int(16) << 4) | (type << 2), flags), body);
    bare.push({ data: f });
    const mask = r.pick([0x003f7fff, 0x00207fff, 0x0000000f, 0xe03f7fff, 0x20000006]);
    const words = [(r.u32() & mask) >>> 0];
    if (words[0] & 0x80000000) words.push((r.u32() & 0x603f7fff) >>> 0);
    const full = radiotap(words, r.bytes(r.int(40)), f);
    const cut = r.int(4) === 0 ? 1 + r.int(full.length - 1) : full.length;
    radio.push({ data: full.slice(0, cut), len: full.length });
  }
  return { bare, radio };
}

testIf(
  "seeded random 802.11 and radiotap frames print as tcpdump prints them",
  needCommands("tcpdump"),
  async () => {
    const { bare, radio } = randomFrames(7, 1500);
    const flags = [["-x"], ["-e", "-v", "-x"], ["-q", "-e"]];
    assert.equal(await compareFramesWithTcpdump(bare, flags, 105), bare.length * flags.length);
    assert.equal(await compareFramesWithTcpdump(radio, flags, 127), radio.length * flags.length);
  },
);

testIf(
  "what a data frame's SNAP header carries besides IP: ARP, EAPOL and MPLS print as tcpdump prints them",
  needCommands("tcpdump"),
  async () => {
    const eapolKey = cat(hex("0103 005f 02"), zeros(94));
    const mpls = cat(hex("00005140"), UDP);
    const bodies = [snap(0x0806, ARP), snap(0x888e, eapolKey), snap(0x8847, mpls), snap(0x8848, mpls)];
    const frames: Frame[] = [];
    for (const body of bodies) {
      for (const f of [data(0, 1, body), data(8, 2, body)]) {
        for (let n = 24; n <= f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
        const r = rt(COMMON, f);
        frames.push({ data: r });
      }
    }
    const n105 = await compareFramesWithTcpdump(
      frames.filter((f) => f.data[0] !== 0),
      [[], ["-v"], ["-e"], ["-x"]],
      105,
    );
    const n127 = await compareFramesWithTcpdump(
      frames.filter((f) => f.data[0] === 0),
      [[], ["-v"], ["-e"], ["-x"]],
      127,
    );
    assert(n105 > 100 && n127 >= 8, `${n105} and ${n127} compared`);
  },
);
