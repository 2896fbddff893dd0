/**
 * The decoder's layers for IEEE 802.11 (link type 105) and radiotap + 802.11 (127): `radiotap` and `wlan`,
 * then an unprotected data frame's `llc` layer and what it carries.
 *
 * - Golden tests on hand-built frames: radiotap fields, their alignment, extended presence words, radiotap
 *   and vendor namespaces, fields that cannot be placed; the FCS and data-pad flags; the addresses of every
 *   ToDS/FromDS combination and control subtype; QoS and HT control; frames without an LLC header.
 * - Every frame cut at every length: no throw, and `truncated` except where a cut cannot be seen (802.11 has
 *   no length field).
 * - The text output and the `-x` start for 105/127 are what they were before the decoder had layers for them.
 * - Field parity with tshark on frames made by scapy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type DecodeResult, PacketDecoder } from "../../lib/wire/decoder.ts";
import { formatJson, type JsonLayer, jsonRecord } from "../../lib/wire/json.ts";
import { networkOffset, tcpdumpHexdump } from "../../lib/wire/hexdump.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { walkRadiotap, walkWlan } from "../../lib/wire/wlan.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { needCommands, needScapy, run, SCAPY_PYTHON, testIf } from "../_helpers.ts";
import { cat, hex } from "../_bytes.ts";
import { A1, A2, bytes, data, fc, le16, le32, mgmt, zeros } from "./_dot11.ts";

const [M1, M2, M3, M4] = ["00:11:22:33:44:55", "66:77:88:99:aa:bb", "de:ad:be:ef:00:01", "02:00:00:00:00:04"];

const IP = { src: "10.0.0.1", dst: "10.0.0.2" };
const UDP = emitIpv4({ ...IP, proto: 17, id: 1 }, emitUdp({ srcPort: 1000, dstPort: 2000 }, hex("6869"), IP));
const ARP = hex("0001 0800 0604 0001 66778899aabb 0a000001 000000000000 0a000002");
const EAPOL = cat(hex("0203 005f 02"), zeros(95));
const snap = (type: number, payload: Uint8Array) => cat(hex("aaaa03 000000"), le16(type).reverse(), payload);

/** An element: id, length, value. */
const ie = (id: number, value: Uint8Array) => cat(bytes(id, value.length), value);
const SSID = ie(0, hex("6d7973736964")), RATES = ie(1, hex("82848b96"));
const BEACON = mgmt(8, cat(zeros(8), le16(100), le16(0x0411), SSID, RATES, ie(3, bytes(6))));

const RTS = cat(fc(1, 11), le16(500), A1, A2);
const CTS = cat(fc(1, 12), le16(30), A1);
const ACK = cat(fc(1, 13), le16(0), A1);
/** A compressed block ack: BA control (type 2), starting sequence control, an 8-byte bitmap. */
const BA = cat(fc(1, 9), le16(0), A1, A2, le16(0x0005), le16(0x0100), hex("ff00000000000000"));
const BAR = cat(fc(1, 8), le16(0), A1, A2, le16(0x0004), le16(0x0100));
const PS_POLL = cat(fc(1, 10), le16(0xc001), A1, A2);
const CF_END = cat(fc(1, 14), le16(0), hex("ffffffffffff"), A2);

/** A radiotap header holding these presence words and field bytes (laid out by the caller). */
const radiotap = (words: number[], fields: Uint8Array, frame: Uint8Array) =>
  cat(bytes(0, 0), le16(4 + 4 * words.length + fields.length), ...words.map(le32), fields, frame);

/** A radiotap header with the fields of `bits` in order, each aligned from the header's start. */
function rt(fields: [bit: number, align: number, value: Uint8Array][], frame: Uint8Array): Uint8Array {
  let present = 0, body: Uint8Array = zeros(0);
  for (const [bit, align, value] of fields) {
    present |= 1 << bit;
    body = cat(body, zeros((align - ((8 + body.length) % align)) % align), value);
  }
  return radiotap([present >>> 0], body, frame);
}
const TSFT: [number, number, Uint8Array] = [0, 8, cat(le32(123456), le32(1))];
const FLAGS = (f: number): [number, number, Uint8Array] => [1, 1, bytes(f)];
const RATE: [number, number, Uint8Array] = [2, 1, bytes(22)];
const CHANNEL: [number, number, Uint8Array] = [3, 2, cat(le16(2437), le16(0xa0))];
const SIGNAL: [number, number, Uint8Array] = [5, 1, bytes(0xd8)];
const NOISE: [number, number, Uint8Array] = [6, 1, bytes(0xa6)];
const ANTENNA: [number, number, Uint8Array] = [11, 1, bytes(1)];
const COMMON = [TSFT, FLAGS(0x02), RATE, CHANNEL, SIGNAL, NOISE, ANTENNA];
/** Any 4 bytes: the decoder does not check the FCS. */
const FCS = hex("0a0b0c0d");

const d = new PacketDecoder();
const layersOf = (f: Uint8Array, linktype: number) => {
  const r = d.decode(f, linktype);
  return jsonRecord(r, { n: 1, ts: 0, len: f.length, caplen: f.length });
};
const names = (f: Uint8Array, linktype: number) => layersOf(f, linktype).layers.map((l) => l.layer).join();
const wlanOf = (f: Uint8Array, linktype = 105) =>
  layersOf(f, linktype).layers.find((l) => l.layer === "wlan")!;
const radiotapOf = (f: Uint8Array) => layersOf(f, 127).layers[0];

Deno.test("radiotap + 802.11 data frame: every layer's JSON", () => {
  const f = rt(COMMON, data(0, 1, snap(0x0800, UDP)));
  const j = layersOf(f, 127);
  assert.deepEqual(j.layers, [
    {
      layer: "radiotap",
      version: 0,
      length: 25,
      present: 0x86f,
      tsft: 0x1_0001_e240,
      flags: 2,
      rate: 22,
      channelFreq: 2437,
      channelFlags: 0xa0,
      signal: -40,
      noise: -90,
      antenna: 1,
    },
    {
      layer: "wlan",
      type: 2,
      subtype: 0,
      flags: 1,
      toDs: true,
      fromDs: false,
      protected: false,
      retry: false,
      duration: 44,
      addr1: M1,
      addr2: M2,
      addr3: M3,
      addr4: null,
      seq: 0x456,
      qos: null,
      src: M2,
      dst: M3,
      bssid: M1,
    },
    { layer: "llc", dsap: 0xaa, ssap: 0xaa, control: 3, oui: 0, pid: 0x0800 },
    {
      layer: "ipv4",
      src: "10.0.0.1",
      dst: "10.0.0.2",
      proto: 17,
      ttl: 64,
      totalLen: 30,
      id: 1,
      df: false,
      mf: false,
      fragOffset: 0,
      hdrLen: 20,
    },
    { layer: "udp", srcPort: 1000, dstPort: 2000, length: 10 },
  ]);
  assert.equal(j.truncated || j.malformed, false);
  const r = d.decode(f, 127);
  assert.deepEqual(r.offsets, [0, 25, 49, 57, 77]);
  assert.equal(r.payload.length, 2);
});

Deno.test("802.11 addresses: src, dst and bssid by ToDS/FromDS, addr4 only with both", () => {
  const want = [
    [M2, M1, M3, null],
    [M2, M3, M1, null],
    [M3, M1, M2, null],
    [M4, M3, null, M4],
  ];
  for (let ds = 0; ds < 4; ds++) {
    const w = wlanOf(data(0, ds, snap(0x0800, UDP)));
    assert.deepEqual([w.src, w.dst, w.bssid, w.addr4], want[ds], `ds ${ds}`);
    assert.deepEqual([w.toDs, w.fromDs], [(ds & 1) === 1, (ds & 2) === 2]);
    assert.deepEqual([w.addr1, w.addr2, w.addr3], [M1, M2, M3]);
    assert.equal(names(data(0, ds, snap(0x0800, UDP)), 105), "wlan,llc,ipv4,udp");
  }
  const b = wlanOf(BEACON);
  assert.deepEqual([b.type, b.subtype, b.src, b.dst, b.bssid, b.seq, b.duration], [
    0,
    8,
    M2,
    M1,
    M3,
    0x123,
    314,
  ]);
});

Deno.test("802.11 control frames: one or two addresses, no sequence number, PS-Poll's and CF-End's BSSID", () => {
  const cases: [Uint8Array, number, (string | null)[], number | null][] = [
    [RTS, 11, [M1, M2, null], 500],
    [CTS, 12, [M1, null, null], 30],
    [ACK, 13, [M1, null, null], 0],
    [BA, 9, [M1, M2, null], 0],
    [BAR, 8, [M1, M2, null], 0],
    // A PS-Poll's duration/ID field is its association id (1 here, with bits 14 and 15 set).
    [PS_POLL, 10, [M1, M2, M1], null],
    [cat(fc(1, 10), le16(0xc000), A1, A2), 10, [M1, M2, M1], 0x4000],
    [CF_END, 14, ["ff:ff:ff:ff:ff:ff", M2, M2], 0],
  ];
  for (const [f, sub, [a1, a2, bssid], duration] of cases) {
    const j = layersOf(f, 105);
    assert.equal(j.truncated || j.malformed, false, `${sub}`);
    assert.deepEqual(j.layers, [{
      layer: "wlan",
      type: 1,
      subtype: sub,
      flags: 0,
      toDs: false,
      fromDs: false,
      protected: false,
      retry: false,
      duration,
      addr1: a1,
      addr2: a2,
      addr3: null,
      addr4: null,
      seq: null,
      qos: null,
      src: null,
      dst: null,
      bssid,
    }]);
  }
});

Deno.test("QoS data: the QoS field (+2), the HT control (+4) with the order bit, then LLC", () => {
  const qos = data(8, 1, snap(0x0800, UDP), 0x0006);
  assert.equal(names(qos, 105), "wlan,llc,ipv4,udp");
  assert.equal(wlanOf(qos).qos, 6);
  assert.equal(d.decode(qos, 105).offsets[1], 26);
  const htc = data(8, 0x81, snap(0x0800, UDP), 0x0006, hex("11223344"));
  assert.equal(names(htc, 105), "wlan,llc,ipv4,udp");
  assert.equal(d.decode(htc, 105).offsets[1], 30);
  // The order bit in a non-QoS data frame is "strictly ordered": no HT control.
  assert.equal(d.decode(data(0, 0x81, snap(0x0800, UDP)), 105).offsets[1], 24);
  // Four addresses and QoS: 32 bytes.
  const wds = data(8, 3, snap(0x86dd, zeros(0)));
  assert.equal(d.decode(wds, 105).offsets[1], 32);
  assert.equal(wlanOf(wds).qos, 5);
  // A management frame with the order bit has an HT control too.
  const m = mgmt(4, cat(hex("01020304"), SSID), 0x80);
  assert.equal(layersOf(m, 105).truncated, false);
  assert.equal(walkWlan(m).offset, 28);
});

Deno.test("data frames without an LLC header: null, QoS null, protected, A-MSDU; EAPOL and ARP after SNAP", () => {
  assert.equal(names(data(4, 0x11, zeros(0)), 105), "wlan");
  assert.equal(names(data(12, 1, zeros(0)), 105), "wlan");
  const prot = data(0, 0x41, hex("010203 20 00000000 aabbccddeeff0011"));
  assert.equal(names(prot, 105), "wlan");
  assert.equal(wlanOf(prot).protected, true);
  assert.equal(d.decode(prot, 105).payload.length, 16);
  assert.equal(names(data(8, 1, snap(0x0800, UDP), 0x0080), 105), "wlan");
  assert.equal(names(data(0, 2, snap(0x888e, EAPOL)), 105), "wlan,llc");
  assert.equal(names(data(8, 1, snap(0x0806, ARP)), 105), "wlan,llc,arp");
  for (const f of [data(4, 0x11, zeros(0)), prot, data(0, 2, snap(0x888e, EAPOL))]) {
    const j = layersOf(f, 105);
    assert.equal(j.truncated || j.malformed, false);
  }
  // Retry: the flag and the flags byte.
  const w = wlanOf(data(0, 8, snap(0x0800, UDP)));
  assert.deepEqual([w.retry, w.flags], [true, 8]);
});

Deno.test("radiotap: fields aligned from the header's start; absent ones null", () => {
  // Two presence words: the fields start at 12, TSFT is aligned to 16, the flags and rate follow it.
  const two = cat(zeros(4), le32(7), le32(0), bytes(0x10, 12));
  const a = radiotapOf(radiotap([0x80000007, 0], two, cat(ACK, FCS)));
  assert.deepEqual([a.length, a.flags, a.tsft, a.rate, a.signal, a.channelFreq], [
    26,
    0x10,
    7,
    12,
    null,
    null,
  ]);
  assert.equal(layersOf(radiotap([0x80000007, 0], two, cat(ACK, FCS)), 127).truncated, false);
  // The channel after a one-byte field: aligned to 2.
  const c = radiotapOf(rt([FLAGS(0), CHANNEL], ACK));
  assert.deepEqual([c.length, c.channelFreq, c.channelFlags], [14, 2437, 0xa0]);
  // FHSS (bit 4) is aligned to 2 as radiotap defines it (tcpdump reads it as two bytes at any offset).
  const h = radiotapOf(radiotap([0x32], hex("02 ee 0307 d8"), ACK));
  assert.deepEqual([h.flags, h.signal], [2, -40]);
  // No fields at all.
  const e = layersOf(radiotap([0], zeros(0), ACK), 127);
  assert.deepEqual(e.layers[0], {
    layer: "radiotap",
    version: 0,
    length: 8,
    present: 0,
    tsft: null,
    flags: null,
    rate: null,
    channelFreq: null,
    channelFlags: null,
    signal: null,
    noise: null,
    antenna: null,
  });
  assert.equal(e.layers[1].subtype, 13);
  // A TSFT past 2^53 is not exact as a number: null.
  assert.equal(radiotapOf(radiotap([1], cat(zeros(0), le32(0), le32(0x00200000)), ACK)).tsft, null);
  assert.equal(radiotapOf(radiotap([1], cat(le32(0xffffffff), le32(0x001fffff)), ACK)).tsft, 2 ** 53 - 1);
});

Deno.test("radiotap: extended presence words, a second radiotap namespace, vendor namespaces, unknown fields", () => {
  // Word 0: flags, signal, radiotap namespace next, extension; word 1: signal and antenna of antenna 0.
  const ns = radiotapOf(radiotap([0xa0000022, 0x00000820], hex("10 c0 b0 01"), cat(ACK, FCS)));
  assert.deepEqual([ns.present, ns.flags, ns.signal, ns.antenna], [0xa0000022, 0x10, -64, 1]);
  // A signal only in the second namespace is still found.
  assert.equal(radiotapOf(radiotap([0xa0000002, 0x00000020], hex("00 b5"), ACK)).signal, -75);
  // A vendor namespace: its announcement (aligned to 2), then its 3 bytes skipped; then radiotap again.
  const v = radiotapOf(
    radiotap([0xc0000002, 0xa0000001, 0x00000020], hex("02 00 001122 05 0300 aabbcc c4"), ACK),
  );
  assert.deepEqual([v.length, v.flags, v.signal], [28, 2, -60]);
  // A TLV list (bit 28) cannot be placed: the fields before it are read, the frame follows the length.
  const t = layersOf(radiotap([0x10000004], hex("0c 000000 00000000"), ACK), 127);
  assert.deepEqual([t.layers[0].rate, t.layers[1].subtype, t.truncated, t.malformed], [12, 13, false, false]);
  // Nor can a bit past the table: the fields before it still count.
  const u = layersOf(radiotap([0x80000002, 0x00000004], hex("02 00"), ACK), 127);
  assert.deepEqual([u.layers[0].flags, u.layers[0].rate, u.truncated || u.malformed], [2, null, false]);
});

Deno.test("radiotap flags: FCS at the end is not payload; data pad rounds the 802.11 header up to 4", () => {
  const f = rt([FLAGS(0x10)], cat(data(0, 1, snap(0x0800, UDP)), FCS));
  const r = d.decode(f, 127);
  assert.equal(r.layers.map((l) => l.layer).join(), "radiotap,wlan,llc,ipv4,udp");
  assert.equal(r.truncated || r.malformed, false);
  assert.equal(r.payloadOffset + r.payload.length, f.length - 4);
  // The FCS of a control frame.
  const ack = d.decode(rt([FLAGS(0x10)], cat(ACK, FCS)), 127);
  assert.equal(ack.truncated || ack.malformed, false);
  assert.equal(ack.payload.length, 0);
  // Less than an FCS after the header: cut.
  assert.equal(d.decode(rt([FLAGS(0x10)], hex("d400")), 127).truncated, true);
  // Data pad: a QoS header (26 bytes) is followed by 2 bytes of padding; with HT control (30), by 2 again.
  const pad = d.decode(rt([FLAGS(0x20)], cat(data(8, 1, zeros(0)), zeros(2), snap(0x0800, UDP))), 127);
  assert.equal(pad.layers.map((l) => l.layer).join(), "radiotap,wlan,llc,ipv4,udp");
  assert.equal(pad.offsets[2] - pad.offsets[1], 28);
  const htc = cat(data(8, 0x81, zeros(0), 5, hex("11223344")), zeros(2), snap(0x0800, UDP));
  assert.equal(d.decode(rt([FLAGS(0x30)], cat(htc, FCS)), 127).offsets[2], 9 + 32);
  // Without the flag the same bytes are no LLC header.
  const nopad = d.decode(rt([FLAGS(0)], cat(data(8, 1, zeros(0)), zeros(2), snap(0x0800, UDP))), 127);
  assert.equal(nopad.layers.map((l) => l.layer).join(), "radiotap,wlan,llc");
});

Deno.test("impossible headers are malformed, cut ones truncated; the decode goes on where it can", () => {
  const flags = (f: Uint8Array, lt = 127) => {
    const r = d.decode(f, lt);
    return [r.layers.map((l) => l.layer).join(), r.truncated, r.malformed];
  };
  assert.deepEqual(flags(cat(hex("01 00 0800 00000000"), ACK)), ["", false, true]); // radiotap version 1
  assert.deepEqual(flags(cat(hex("00 00 0700 00000000"), ACK)), ["", false, true]); // length < 8
  assert.deepEqual(flags(hex("00 00 0800 0000")), ["", true, false]); // cut in the fixed part
  assert.deepEqual(flags(hex("00 00 2000 00000000 d4")), ["radiotap", true, false]); // cut inside
  // The presence words or a field past the header's own length: malformed, the frame still read.
  assert.deepEqual(flags(cat(hex("00 00 0800 00000080"), ACK)), ["radiotap,wlan", false, true]);
  assert.deepEqual(flags(radiotap([1], zeros(4), ACK)), ["radiotap,wlan", false, true]);
  assert.equal(radiotapOf(radiotap([0x21], hex("00"), ACK)).signal, null);
  // 802.11 protocol version 1: not this layout.
  assert.deepEqual(flags(cat(bytes(0x09), ACK.subarray(1)), 105), ["", false, true]);
  // Too short for the header its type needs, or for a control frame's fixed fields: cut.
  assert.deepEqual(flags(hex("d4"), 105), ["", true, false]);
  assert.deepEqual(flags(RTS.subarray(0, 12), 105), ["wlan", true, false]);
  assert.equal(wlanOf(RTS.subarray(0, 12)).addr2, null);
  assert.deepEqual(flags(BA.subarray(0, 20), 105), ["wlan", true, false]);
  // A management element that does not fit, a protected body shorter than its security header.
  assert.deepEqual(flags(BEACON.subarray(0, BEACON.length - 1), 105), ["wlan", true, false]);
  assert.deepEqual(flags(data(0, 0x41, hex("01020304")), 105), ["wlan", true, false]);
  // An IPv4 header cut behind 802.11 (no length field) is cut, not impossible.
  assert.deepEqual(flags(data(0, 1, snap(0x0800, UDP)).subarray(0, 40), 105), ["wlan,llc", true, false]);
  // The walkers alone.
  assert.equal(walkRadiotap(zeros(3)).header, null);
  assert.equal(walkWlan(zeros(3)).header, null);
});

/** Frames of both link types for the sweeps and the text check. */
const CORPUS: [Uint8Array, number][] = [
  ...[0, 1, 2, 3].map((ds): [Uint8Array, number] => [data(0, ds, snap(0x0800, UDP)), 105]),
  [data(8, 1, snap(0x0800, UDP)), 105],
  [data(8, 0x83, snap(0x0800, UDP), 7, hex("11223344")), 105],
  [data(0, 1, snap(0x0806, ARP)), 105],
  [data(8, 2, snap(0x888e, EAPOL)), 105],
  [data(0, 0x41, hex("010203 20 00000000 aabbccddeeff0011")), 105],
  [data(4, 0x11, zeros(0)), 105],
  [data(12, 1, zeros(0)), 105],
  [BEACON, 105],
  [mgmt(4, cat(SSID, RATES)), 105],
  [mgmt(0, cat(le16(1), le16(10), SSID, RATES)), 105],
  [mgmt(12, le16(7)), 105],
  [RTS, 105],
  [CTS, 105],
  [ACK, 105],
  [BA, 105],
  [BAR, 105],
  [PS_POLL, 105],
  [CF_END, 105],
  [rt(COMMON, data(0, 1, snap(0x0800, UDP))), 127],
  [rt([FLAGS(0x12), RATE], cat(data(8, 2, snap(0x0800, UDP)), FCS)), 127],
  [rt([FLAGS(0x10)], cat(BEACON, FCS)), 127],
  [rt([FLAGS(0x10), SIGNAL], cat(RTS, FCS)), 127],
  [rt([FLAGS(0x30)], cat(data(8, 3, zeros(0)), snap(0x0800, UDP), FCS)), 127],
  [rt([CHANNEL, SIGNAL, ANTENNA], ACK), 127],
  [radiotap([0xa0000022, 0x00000820], hex("10 c0 b0 01"), cat(CTS, FCS)), 127],
  [radiotap([0xc0000002, 0xa0000001, 0x00000020], hex("02 00 001122 05 0300 aabbcc c4"), BA), 127],
];

/**
 * Cuts the decoder cannot see, relative to the 802.11 frame (without FCS): 802.11 has no length field, so a
 * cut that leaves a frame of a possible length is invisible. That is after a management frame's element,
 * inside an encrypted body past its security header, and past a SNAP header whose EtherType the decoder
 * does not read (EAPOL).
 */
function invisibleCut(frame: Uint8Array, at: number): boolean {
  const w = walkWlan(frame);
  const h = w.header!;
  if (h.type === 0 && at >= w.offset) {
    const fixed = h.subtype === 8 ? 12 : h.subtype === 0 ? 4 : h.subtype === 12 ? 2 : 0;
    let e = w.offset + fixed;
    while (e < at) e += 2 + frame[e + 1];
    return e === at;
  }
  if (h.protected) return at >= w.offset + 8;
  return h.type === 2 && frame[w.offset + 6] === 0x88 && frame[w.offset + 7] === 0x8e && at >= w.offset + 8;
}

Deno.test("every frame cut at every length: no throw, flagged truncated unless the cut cannot be seen", () => {
  let flagged = 0, invisible = 0;
  for (const [f, linktype] of CORPUS) {
    const whole = d.decode(f, linktype);
    assert.equal(
      whole.truncated || whole.malformed,
      false,
      `whole ${formatJson(whole, { n: 0, ts: 0, len: 0, caplen: 0 })}`,
    );
    const rtLen = linktype === 127 ? f[2] | (f[3] << 8) : 0;
    const fcs = linktype === 127 && (whole.layers[0] as { flags: number | null }).flags! & 0x10 ? 4 : 0;
    const frame = f.subarray(rtLen, f.length - fcs);
    for (let n = 0; n < f.length; n++) {
      const r = d.decode(f.subarray(0, n), linktype);
      const rec = jsonRecord(r, { n: 1, ts: 0, len: f.length, caplen: n });
      assert.equal(formatJson(r, { n: 1, ts: 0, len: f.length, caplen: n }), JSON.stringify(rec));
      assert.equal(r.malformed, false, `${linktype} [0:${n}] of ${f.length}: ${r.error?.message}`);
      if (r.truncated) flagged++;
      else {
        const at = n - rtLen - fcs;
        assert.ok(at >= 0 && invisibleCut(frame, at), `${linktype} [0:${n}] of ${f.length} not flagged`);
        invisible++;
      }
    }
  }
  assert.ok(flagged > 1200 && invisible < 150, `${flagged} flagged, ${invisible} invisible`);
});

Deno.test("random and mutated 802.11 and radiotap bytes never make the decoder throw", () => {
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < 20000; i++) {
    const [base, linktype] = CORPUS[rand(CORPUS.length)];
    const f = i % 4 === 0
      ? new Uint8Array(rand(80)).map(() => rand(256))
      : base.slice(0, rand(base.length + 1));
    for (let k = rand(4); k > 0 && f.length; k--) f[rand(f.length)] = rand(256);
    const r = d.decode(f, i % 8 === 0 ? 232 - linktype : linktype);
    JSON.stringify(jsonRecord(r, { n: i, ts: 0, len: f.length, caplen: f.length }));
    assert.equal(formatJson(r, { n: i, ts: 0, len: f.length, caplen: f.length }).startsWith('{"n":'), true);
  }
});

/** The decoder's result as it was before it had layers for 802.11: no layer, the whole frame as payload. */
function layerless(r: DecodeResult): DecodeResult {
  return { ...r, layers: [], offsets: [], payload: r.frame, payloadOffset: 0 };
}

Deno.test("the text, -x's start and networkOffset for 105/127 are what they were without the layers", () => {
  const opts = [{}, { link: true }, { verbose: true, verbosity: 1 }, {
    link: true,
    verbose: true,
    verbosity: 2,
  }];
  let n = 0;
  for (const [f, linktype] of CORPUS) {
    for (let cut = 0; cut <= f.length; cut++) {
      const frame = f.subarray(0, cut);
      const r = d.decode(frame, linktype);
      for (const o of opts) {
        const a = new PacketSummarizer(o), b = new PacketSummarizer(o);
        for (const wire of [undefined, f.length]) {
          const line = a.summarize(r, wire);
          assert.equal(line, b.summarize(layerless(r), wire));
          assert.equal(a.lastLinkLen, b.lastLinkLen);
          assert.equal(
            tcpdumpHexdump(frame, r, "x", line, a.lastCutByLongJump, a.lastLinkLen),
            tcpdumpHexdump(frame, layerless(r), "x", line, b.lastCutByLongJump, b.lastLinkLen),
          );
          n++;
        }
      }
      assert.equal(networkOffset(r), networkOffset(layerless(r)));
    }
  }
  assert.ok(n > 10000, `${n}`);
});

/** The scapy script: 802.11 frames bare (b.pcap, link type 105) and behind radiotap headers (r.pcap, 127). */
const SCAPY = String.raw`
import struct, sys, zlib
from scapy.all import *
from scapy.layers.dot11 import *
from scapy.layers.eap import EAPOL
out = sys.argv[1]
A1, A2, A3, A4 = "00:11:22:33:44:55", "66:77:88:99:aa:bb", "de:ad:be:ef:00:01", "02:00:00:00:00:04"
BC = "ff:ff:ff:ff:ff:ff"
ip = IP(src="10.0.0.1", dst="10.0.0.2", id=7)/UDP(sport=1000, dport=2000)/b"hi"
ip6 = IPv6(src="fe80::1", dst="2001:db8::2")/TCP(sport=3000, dport=80, flags="S", seq=1)
arp = ARP(op=2, psrc="10.0.0.1", pdst="10.0.0.2", hwsrc=A2, hwdst=A1)
eapol = EAPOL(version=2, type=3)/(b"\x02" + bytes(94))
def D(sub, ds, body, sc=0x1230, flags=0):
    a4 = A4 if ds == 3 else None
    return Dot11(type=2, subtype=sub, FCfield=ds | flags, ID=44, addr1=A1, addr2=A2, addr3=A3, addr4=a4, SC=sc)/body
snap = lambda p: LLC()/SNAP()/p
pk = []
for ds in range(4):
    for p in (ip, ip6, arp, eapol):
        pk.append(D(0, ds, snap(p), sc=0x100 * ds + 0x10))
        pk.append(D(8, ds, Dot11QoS(TID=ds + 1)/snap(p)))
# QoS with an HT control (order bit), retry, power management, more data.
pk.append(D(8, 1, Dot11QoS(TID=6)/Raw(b"\x01\x02\x03\x04")/snap(ip), flags=0x80))
pk.append(D(8, 2, Dot11QoS(TID=6)/Raw(b"\x0c\x00\x00\x00")/snap(ip6), flags=0x80 | 0x08))
pk.append(D(0, 1, snap(ip), flags=0x10 | 0x20))
# Protected (CCMP header and ciphertext), null function, QoS null.
pk.append(D(0, 1, Raw(b"\x01\x00\x00\x20\x00\x00\x00\x00" + bytes(30)), flags=0x40))
pk.append(D(8, 2, Dot11QoS()/Raw(b"\x05\x00\x00\x60\x00\x00\x00\x00" + bytes(20)), flags=0x40))
pk.append(D(4, 1, b"", flags=0x10))
pk.append(D(12, 1, Dot11QoS(TID=3)))
# Management: beacon, probe request and response, association request and response, deauth, auth.
M = lambda sub, body, a1=A1, a3=A3: Dot11(type=0, subtype=sub, ID=314, addr1=a1, addr2=A2, addr3=a3, SC=0x550)/body
rates = Dot11Elt(ID=1, info=b"\x82\x84\x8b\x96")
pk.append(M(8, Dot11Beacon(cap=0x411)/Dot11Elt(ID=0, info=b"myssid")/rates/Dot11Elt(ID=3, info=b"\x06"), BC))
pk.append(M(4, Dot11ProbeReq()/Dot11Elt(ID=0, info=b"")/rates, BC, BC))
pk.append(M(5, Dot11ProbeResp(cap=0x11)/Dot11Elt(ID=0, info=b"x")/rates))
pk.append(M(0, Dot11AssoReq(cap=1, listen_interval=10)/Dot11Elt(ID=0, info=b"assoc")/rates))
pk.append(M(1, Dot11AssoResp(cap=1, AID=0xc001)/rates))
pk.append(M(12, Dot11Deauth(reason=7)))
pk.append(M(11, Dot11Auth(algo=0, seqnum=1, status=0)))
# Control: RTS, CTS, ACK, block ack (compressed), block ack request, PS-Poll, CF-End.
C = lambda sub, a2=None, body=b"", dur=0: Dot11(type=1, subtype=sub, ID=dur, addr1=A1, addr2=a2)/Raw(body)
pk.append(C(11, A2, dur=0x01f4))
pk.append(C(12, dur=0x1e00))
pk.append(C(13))
pk.append(C(9, A2, b"\x05\x00\x10\x00" + b"\xff" + bytes(7)))
pk.append(C(8, A2, b"\x04\x00\x10\x00"))
pk.append(C(10, A2, dur=0x01c0))
pk.append(Dot11(type=1, subtype=14, addr1=BC, addr2=A2))
wrpcap(out + "/b.pcap", pk, linktype=105)

# Radiotap headers, each over every frame in turn; the FCS flag with the frame's real FCS after it.
R = [
    (False, lambda: RadioTap(present="TSFT+Flags+Rate+Channel+dBm_AntSignal+dBm_AntNoise+Antenna",
                             mac_timestamp=123456789012, Flags=0x02, Rate=22, ChannelFrequency=2437,
                             ChannelFlags=0xa0, dBm_AntSignal=-40, dBm_AntNoise=-90, Antenna=1)),
    (True, lambda: RadioTap(present="Flags+Rate+Channel+dBm_AntSignal", Flags=0x10, Rate=108,
                            ChannelFrequency=5180, ChannelFlags=0x140, dBm_AntSignal=-61)),
    (True, lambda: RadioTap(present="Flags", Flags=0x12)),
    (False, lambda: RadioTap(present="Rate+dBm_AntSignal", Rate=2, dBm_AntSignal=-90)),
    (False, lambda: RadioTap()),
    (False, lambda: RadioTap(present="TSFT+Channel", mac_timestamp=2**40 + 5, ChannelFrequency=2412,
                             ChannelFlags=0xa0)),
    # The channel aligned to 2 after the flags byte.
    (True, lambda: RadioTap(present="Flags+Channel+dBm_AntSignal", Flags=0x10, ChannelFrequency=2462,
                            ChannelFlags=0xa0, dBm_AntSignal=-50)),
    # Two presence words (radiotap namespace again): flags and signal, then antenna 1's signal and index.
    (True, lambda: bytes.fromhex("0000 1000 220000a0 20080000 10 c0 b0 01")),
    # A vendor namespace (announcement aligned to 2, 3 bytes skipped), then the radiotap one: a signal.
    (False, lambda: bytes.fromhex("0000 1c00 020000c0 010000a0 20000000 02 00 001122 05 0300 aabbcc c4")),
]
rt = []
for i, p in enumerate(pk):
    fcs, make = R[i % len(R)]
    h = raw(make())
    b = raw(p)
    if fcs:
        b += struct.pack("<I", zlib.crc32(b) & 0xffffffff)
    rt.append(RadioTap(h + b))
wrpcap(out + "/r.pcap", rt, linktype=127)
`;

type Norm = (v: string) => string;
const num: Norm = (v) => String(Number(v));
const low: Norm = (v) => v.toLowerCase();
/** Our values of a field for one packet: one per occurrence, in order (none: an empty list). */
type Ours = (layers: JsonLayer[]) => unknown[];
const field =
  (layer: string, key: string, f: (x: unknown, l: JsonLayer) => unknown = (x) => x): Ours => (ls) =>
    ls.filter((l) => l.layer === layer).map((l) => l[key] === null ? null : f(l[key], l)).filter((x) =>
      x !== null
    );
const bit = (x: unknown) => (x ? 1 : 0);

/** tshark field, how to read its values, ours, and whether only its first occurrence counts. */
const FIELDS: [string, Norm, Ours, boolean?][] = [
  ["radiotap.version", num, field("radiotap", "version")],
  ["radiotap.length", num, field("radiotap", "length")],
  ["radiotap.present.word", num, field("radiotap", "present"), true],
  ["radiotap.flags", num, field("radiotap", "flags")],
  ["radiotap.datarate", num, field("radiotap", "rate", (x) => (x as number) / 2)],
  ["radiotap.channel.freq", num, field("radiotap", "channelFreq")],
  ["radiotap.channel.flags", num, field("radiotap", "channelFlags")],
  ["radiotap.dbm_antsignal", num, field("radiotap", "signal"), true],
  ["radiotap.dbm_antnoise", num, field("radiotap", "noise"), true],
  ["radiotap.antenna", num, field("radiotap", "antenna"), true],
  ["radiotap.mactime", (v) => v, field("radiotap", "tsft")],
  ["wlan.fc.type", num, field("wlan", "type")],
  ["wlan.fc.subtype", num, field("wlan", "subtype")],
  ["wlan.flags", num, field("wlan", "flags")],
  ["wlan.fc.tods", num, field("wlan", "toDs", bit)],
  ["wlan.fc.fromds", num, field("wlan", "fromDs", bit)],
  ["wlan.fc.protected", num, field("wlan", "protected", bit)],
  ["wlan.fc.retry", num, field("wlan", "retry", bit)],
  ["wlan.duration", num, field("wlan", "duration")],
  ["wlan.ra", low, field("wlan", "addr1")],
  // tshark names a CF-End's second address its BSSID only.
  [
    "wlan.ta",
    low,
    field("wlan", "addr2", (x, l) => (l.type === 1 && (l.subtype as number) >= 14 ? null : x)),
  ],
  ["wlan.sa", low, field("wlan", "src")],
  ["wlan.da", low, field("wlan", "dst")],
  ["wlan.bssid", low, field("wlan", "bssid")],
  ["wlan.seq", num, field("wlan", "seq")],
  ["wlan.qos", num, field("wlan", "qos")],
  ["llc.dsap", num, field("llc", "dsap")],
  ["llc.ssap", num, field("llc", "ssap")],
  ["llc.control", num, field("llc", "control")],
  ["llc.type", num, field("llc", "pid")],
  ["ip.src", low, field("ipv4", "src")],
  ["ip.dst", low, field("ipv4", "dst")],
  ["ip.id", num, field("ipv4", "id")],
  ["ipv6.src", low, field("ipv6", "src")],
  ["ipv6.dst", low, field("ipv6", "dst")],
  ["udp.srcport", num, field("udp", "srcPort")],
  ["udp.dstport", num, field("udp", "dstPort")],
  ["tcp.srcport", num, field("tcp", "srcPort")],
  ["tcp.dstport", num, field("tcp", "dstPort")],
  ["tcp.seq_raw", num, field("tcp", "seq")],
  ["arp.opcode", num, field("arp", "op")],
  ["arp.src.proto_ipv4", low, field("arp", "spa")],
];

testIf(
  "802.11 and radiotap fields match tshark's on scapy-made frames of both link types",
  needCommands("tshark") ?? needScapy(),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-wlan-" });
    try {
      await Deno.writeTextFile(`${dir}/gen.py`, SCAPY);
      const g = await run(SCAPY_PYTHON, [`${dir}/gen.py`, dir], { timeoutMs: 120_000 });
      assert.equal(g.code, 0, g.stderr);
      let compared = 0, packets = 0;
      for (const [file, linktype] of [["b.pcap", 105], ["r.pcap", 127]] as const) {
        const path = `${dir}/${file}`;
        const names = [...FIELDS.map(([n]) => n), "wlan.addr", "_ws.malformed"];
        const args = [
          "-n",
          "-r",
          path,
          "-T",
          "fields",
          "-E",
          "occurrence=a",
          ...names.flatMap((n) => ["-e", n]),
        ];
        const t = await run("tshark", args, { timeoutMs: 60_000 });
        assert.equal(t.code, 0, t.stderr);
        const rows = t.stdout.replace(/\n$/, "").split("\n").map((r) => r.split("\t"));
        const recs = [...readPacketsSync(Deno.readFileSync(path))];
        assert.equal(rows.length, recs.length);
        assert.ok(recs.length > 40);
        recs.forEach((rec, i) => {
          assert.equal(rec.linktype, linktype);
          const r = d.decode(rec.data, rec.linktype);
          const j = jsonRecord(r, { n: i + 1, ts: 0, len: rec.len, caplen: rec.caplen });
          const where = `${file} #${i + 1}`;
          const row = rows[i];
          FIELDS.forEach(([name, norm, ours, first], k) => {
            let want = row[k] === "" ? [] : row[k].split(",").map(norm);
            if (first) want = want.slice(0, 1);
            const got = ours(j.layers).map((x) => norm(String(x)));
            assert.deepEqual(got, want, `${where} ${name}`);
            compared += want.length;
          });
          // Every address the header holds (tshark lists each once).
          const addrs = row[FIELDS.length] === "" ? [] : row[FIELDS.length].split(",");
          const w = j.layers.find((l) => l.layer === "wlan")!;
          const mine = [w.addr1, w.addr2, w.addr3, w.addr4].filter((a) => a !== null);
          assert.deepEqual(new Set(mine), new Set(addrs), `${where} wlan.addr`);
          // What tshark reads whole, so do we.
          if (row[FIELDS.length + 1] === "") assert.equal(j.truncated || j.malformed, false, where);
          packets++;
        });
      }
      assert.ok(packets > 80 && compared > 1500, `${packets} packets, ${compared} values`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
