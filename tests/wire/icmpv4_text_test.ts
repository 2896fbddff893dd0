/**
 * ICMP (IPv4) as tcpdump 4.99.3 prints it beyond echo and the common errors: every type it names, messages
 * cut inside their header or their quoted datagram (which tcpdump ends with a check and `[|icmp]`, or with
 * a long jump that makes -x dump the whole frame), timestamp replies, router advertisements, address mask
 * replies, and -v's checksum complaint and quoted datagram. Compared with tcpdump, whole and cut at every
 * length, with and without -v and -x.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const A = { src: "1.1.1.1", dst: "2.2.2.2" };
const Q = { src: "3.3.3.3", dst: "4.4.4.4" };
const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const quoted = emitIpv4({ ...Q, proto: 17 }, emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(0), Q));
const frame = (icmp: Uint8Array) =>
  emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto: 1 }, icmp));
/** An ICMP message with the given 4 header bytes after the checksum; checksum right unless `bad`. */
const msg = (type: number, code: number, rest: number, body: Uint8Array, bad = false) => {
  const m = emitIcmpv4({ type, code, rest }, body);
  if (bad) m[2] ^= 0x55;
  return frame(m);
};

/** Errors with a quoted datagram, queries and replies, named and unnamed types. */
const TYPES: [number, number][] = [
  [3, 0],
  [3, 2],
  [3, 3],
  [3, 4],
  [3, 13],
  [4, 0],
  [5, 1],
  [8, 0],
  [0, 0],
  [9, 0],
  [10, 0],
  [11, 0],
  [11, 1],
  [12, 0],
  [12, 1],
  [13, 0],
  [14, 0],
  [15, 0],
  [16, 0],
  [17, 0],
  [18, 0],
  [6, 0],
  [99, 3],
];

const ts = (...ms: number[]) => cat(...ms.map((x) => hex(x.toString(16).padStart(8, "0"))));
const FRAMES: Uint8Array[] = [
  ...TYPES.map(([t, c]) => msg(t, c, 0x05000000, quoted)),
  ...TYPES.map(([t, c]) => msg(t, c, 0x05000000, quoted, true)),
  // Timestamps: past 24 hours, the top bit set.
  msg(14, 0, 0x00050006, ts(1000, 86_400_000 + 2000, 0x80000000 + 3000)),
  msg(13, 0, 0x00050006, ts(0, 0, 0)),
  // Router advertisements: lifetimes under a minute, an hour, and more; entries of size 2, and another size.
  msg(9, 0, 0x0202001e, hex("0a000001 00000005 0a000002 00000100")),
  msg(9, 0, 0x01020e10, hex("0a000001 ffffffff")),
  msg(9, 0, 0x0102ffff, hex("0a000001 00000000")),
  msg(9, 0, 0x03020258, hex("0a000001 00000005")),
  msg(9, 0, 0x01030100, hex("0a000001 00000005 00000000")),
  msg(18, 0, 0x00010002, hex("ffffff00")),
  msg(17, 0, 0x00010002, hex("00000000")),
  // A parameter problem pointing into the quote; a quote too short for an IP header.
  msg(12, 0, 0x14000000, quoted),
  msg(11, 0, 0, quoted.subarray(0, 12)),
  msg(3, 1, 0, quoted.subarray(0, 24)),
];

const FLAGS = [[], ["-v"], ["-vv"], ["-e"], ["-x"], ["-v", "-x"]];

Deno.test("golden: tcpdump's ICMP text for timestamp replies, router advertisements and cut headers", () => {
  const d = new PacketDecoder();
  const line = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), o);
  assert.equal(
    line(FRAMES[TYPES.length * 2]),
    "IP 1.1.1.1 > 2.2.2.2: ICMP time stamp reply id 5 seq 6: org 00:00:01.000, recv 24:00:02.000, " +
      "xmit 596:31:26.648, length 20",
  );
  assert.equal(
    line(FRAMES[TYPES.length * 2 + 2]),
    "IP 1.1.1.1 > 2.2.2.2: ICMP router advertisement lifetime 30 2: {10.0.0.1 5} {10.0.0.2 256}, length 24",
  );
  assert.equal(
    line(FRAMES[TYPES.length * 2 + 3]),
    "IP 1.1.1.1 > 2.2.2.2: ICMP router advertisement lifetime 1:00:00 1: {10.0.0.1 4294967295}, length 16",
  );
  const pp = FRAMES[TYPES.findIndex(([t, c]) => t === 12 && c === 1)];
  assert.equal(
    line(pp.subarray(0, 36), { wireLen: pp.length }),
    "IP 1.1.1.1 > 2.2.2.2: ICMP parameter problem - code 1, length 36",
  );
  const tx = FRAMES[TYPES.findIndex(([t]) => t === 11)];
  assert.equal(line(tx.subarray(0, 60), { wireLen: tx.length }), "IP 1.1.1.1 > 2.2.2.2:  [|icmp]");
  assert.match(
    line(FRAMES[TYPES.length], { verbose: true }),
    /length 36 \(wrong icmp cksum [0-9a-f]+ \(->[0-9a-f]+\)!\)\n\t/,
  );
});

testIf(
  "ICMP messages print as tcpdump prints them, whole and cut at every length, -v and -x included",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const f of [...FRAMES.slice(0, TYPES.length), ...FRAMES.slice(TYPES.length * 2)]) {
      for (let n = 34; n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);
