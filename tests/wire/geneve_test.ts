/**
 * Geneve (RFC 8926) over UDP port 6081: the codec, the decoder's `geneve` layer and what follows it, the
 * JSON record, tcpdump's text (header, flags, options by class with their data at -vv, -e's protocol, every
 * payload type) whole and cut at every length, and tshark's view of the same frames.
 *
 * @module
 */
import assert from "node:assert/strict";
import { emitGeneve, parseGeneve } from "../../lib/wire/geneve.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitArp } from "../../lib/wire/arp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, tsharkFields } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const A = { src: "10.0.0.1", dst: "10.0.0.2" }, A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const B = { src: "192.168.0.1", dst: "192.168.0.2" };
const MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
const IN_MAC = { src: "02:00:00:00:00:0a", dst: "02:00:00:00:00:0b" };

/** Ethernet + IPv4 + UDP to 6081 around a Geneve message. */
const udp4 = (g: Uint8Array, sp = 40000, dp = 6081) =>
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, g, A)),
  );
const udp6 = (g: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...A6, proto: 17 }, emitUdp({ srcPort: 40000, dstPort: 6081 }, g, A6)),
  );

const icmp = emitIpv4({ ...B, proto: 1 }, emitIcmpv4({ type: 8, id: 7, seq: 1 }, hex("68656c6c6f")));
const frame = emitEthernet({ ...IN_MAC, ethertype: 0x0800 }, icmp);
const arp = emitEthernet(
  { src: IN_MAC.src, dst: "ff:ff:ff:ff:ff:ff", ethertype: 0x0806 },
  emitArp({ op: 1, sha: IN_MAC.src, spa: B.src, tha: "00:00:00:00:00:00", tpa: B.dst }),
);
const icmp6 = emitIpv6({ src: "::1", dst: "::2", proto: 58 }, hex("8000 0000 0001 0001"));
/** An option: class, type, data (a multiple of 4 bytes). */
const opt = (cls: number, type: number, data: Uint8Array = new Uint8Array(0)) =>
  cat(new Uint8Array([cls >> 8, cls & 255, type, data.length / 4]), data);

const PACKETS = [
  udp4(emitGeneve({ vni: 0x1234 }, frame)),
  udp4(emitGeneve({ vni: 5, protocol: 0x0800, oam: true, critical: true }, icmp)),
  udp4(emitGeneve({ vni: 6, protocol: 0x86dd }, icmp6)),
  udp4(emitGeneve({ vni: 7 }, arp)),
  udp4(emitGeneve({ vni: 8, protocol: 0x8847 }, cat(hex("000101ff"), icmp))),
  udp4(emitGeneve({ vni: 9, protocol: 0x0806 }, arp.subarray(14))),
  udp4(emitGeneve({ vni: 10, protocol: 0x1234 }, hex("aabbccdd"))), // a protocol tcpdump does not know
  udp4(emitGeneve({ vni: 11, protocol: 0x8100 }, hex("0001 0800"))), // one it names but does not print
  udp4(
    emitGeneve({
      vni: 0xffffff,
      options: cat(
        opt(0x0102, 0x03, hex("aabbccdd")),
        opt(0x0000, 0x80),
        opt(0x0100, 1, hex("01020304 05060708")),
        opt(0x0101, 2),
        opt(0x0103, 3),
        opt(0x0104, 4),
        opt(0x0200, 5),
        opt(0xfff5, 6),
      ),
    }, frame),
  ),
  udp4(emitGeneve({ vni: 12, options: opt(0x0102, 1, hex("00000001")) }, frame)),
  udp4(cat(hex("0200 6558 000001 00"), hex("0102 01 05 00000000"), frame)), // an option longer than the rest
  udp4(cat(hex("4000 6558 000001 00"), frame)), // version 1
  udp4(cat(hex("0000 6558 000001 7f"), frame)), // reserved byte set
  udp4(cat(hex("0040 6558 000001 00"), frame)), // reserved flag bits
  udp4(cat(hex("3f00 6558 000001 00"), frame.subarray(0, 20))), // options longer than the datagram
  udp4(hex("0000 6558 0000")), // shorter than a header
  udp4(emitGeneve({ vni: 13 }, frame), 6081, 4789), // VXLAN's port comes first in tcpdump's order
  udp4(emitGeneve({ vni: 14 }, frame), 500, 6081), // and ISAKMP's
  udp6(emitGeneve({ vni: 15 }, frame)),
];

Deno.test("parseGeneve/emitGeneve: fields, round trip, short input, bad values", () => {
  const g = emitGeneve({
    vni: 0xabcdef,
    protocol: 0x86dd,
    oam: true,
    critical: true,
    options: opt(0x102, 1),
  });
  assert.deepEqual(parseGeneve(g), {
    version: 0,
    optLen: 4,
    oam: true,
    critical: true,
    protocol: 0x86dd,
    vni: 0xabcdef,
  });
  assert.equal("code" in parseGeneve(g.subarray(0, 7)), true);
  assert.throws(() => emitGeneve({ vni: 1 << 24 }), RangeError);
  assert.throws(() => emitGeneve({ vni: 1, options: new Uint8Array(3) }), RangeError);
});

Deno.test("decoder: a geneve layer, then what it carries; JSON names it; every cut decodes without throwing", () => {
  const d = new PacketDecoder();
  const r = d.decode(PACKETS[0], 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "ipv4", "udp", "geneve", "eth", "ipv4", "icmp"]);
  const rec = jsonRecord(r, { n: 1, ts: 0, len: PACKETS[0].length, caplen: PACKETS[0].length });
  assert.deepEqual(rec.layers[3], {
    layer: "geneve",
    vni: 0x1234,
    protocol: 0x6558,
    oam: false,
    critical: false,
    optLen: 0,
  });
  assert.deepEqual(d.decode(PACKETS[2], 1).layers.map((l) => l.layer).slice(3), ["geneve", "ipv6", "icmpv6"]);
  assert.equal(
    summarize(d.decode(PACKETS[1], 1)),
    "IP 10.0.0.1.40000 > 10.0.0.2.6081: Geneve, Flags [OC], vni 0x5: IP 192.168.0.1 > 192.168.0.2: " +
      "ICMP echo request, id 7, seq 1, length 13",
  );
  for (const p of PACKETS) for (let n = 0; n <= p.length; n++) d.decode(p.subarray(0, n), 1);
});

testIf(
  "Geneve prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = PACKETS.map((data) => ({ data }));
    for (const k of [0, 1, 8, 4]) {
      const f = PACKETS[k];
      for (let n = 42; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-vv"], ["-e"], ["-q"], ["-x"], ["-v", "-x"], ["-e", "-v"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);

testIf(
  "the geneve layer agrees with tshark's dissection",
  needCommands("tshark"),
  async () => {
    const frames = PACKETS.slice(0, 10);
    const rows = await tsharkFields(frames.map((data) => ({ data })), ["geneve.vni", "geneve.proto_type"]);
    const d = new PacketDecoder();
    frames.forEach((f, k) => {
      const g = d.decode(f, 1).layers.find((l) => l.layer === "geneve");
      assert.ok(g && g.layer === "geneve");
      assert.equal(Number(rows[k][0][0]), g.vni);
      assert.equal(Number(rows[k][1][0]), g.protocol);
    });
  },
);
