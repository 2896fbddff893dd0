/**
 * VXLAN (RFC 7348, UDP port 4789): the codec's standard set, the decoder's layers and JSON, and tcpdump 4.99's
 * text over hand-built packets (inner IPv4, IPv6, ARP, VLAN, 802.3, unknown EtherTypes, a VXLAN inside a
 * VXLAN; either port; ports of earlier dissectors on the other side; short and odd headers), whole and cut
 * at every length, compared line by line. The same comparison covers GRE's transparent bridging, which shares
 * the inner Ethernet printer.
 *
 * @module
 */
import assert from "node:assert/strict";
import { emitVxlan, parseVxlan, VXLAN_HEADER_LEN, vxlanText } from "../../lib/wire/vxlan.ts";
import { WireError } from "../../lib/wire/errors.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitVlan } from "../../lib/wire/vlan.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitTcp } from "../../lib/wire/tcp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { emitArp } from "../../lib/wire/arp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, tsharkFields } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex, text } from "../_bytes.ts";
import { A, A6, MAC, udp4, udp6 } from "./_udp.ts";

const B = { src: "192.168.1.1", dst: "192.168.1.2" };
const IN_MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };

const innerIcmp = emitEthernet(
  { ...IN_MAC, ethertype: 0x0800 },
  emitIpv4({ ...B, proto: 1 }, emitIcmpv4({ type: 8, id: 7, seq: 1 }, text("hello"))),
);
const innerArp = emitEthernet(
  { src: IN_MAC.src, dst: "ff:ff:ff:ff:ff:ff", ethertype: 0x0806 },
  emitArp({ op: 1, sha: IN_MAC.src, spa: B.src, tha: "00:00:00:00:00:00", tpa: B.dst }),
);
const innerIcmp6 = emitEthernet(
  { ...IN_MAC, ethertype: 0x86dd },
  emitIpv6(
    { src: "fe80::1", dst: "fe80::2", proto: 58 },
    emitIcmpv6({ type: 128, id: 1, seq: 2 }, new Uint8Array(4), {
      src: "fe80::1",
      dst: "fe80::2",
    }),
  ),
);
const innerVlanTcp = emitEthernet(
  { ...IN_MAC, ethertype: 0x8100 },
  emitVlan(
    { id: 42, pcp: 3, ethertype: 0x0800 },
    emitIpv4(
      { ...B, proto: 6 },
      emitTcp({ srcPort: 40000, dstPort: 22, seq: 1000, flags: 0x02, window: 64240 }, undefined, B),
    ),
  ),
);
/** 802.3 with LLC (spanning tree's SAPs) and a few bytes tcpdump cannot dissect. */
const innerDot3 = cat(hex("0180c2000000 020000000001 0007"), hex("424203"), hex("00000000"));
const innerUnknown = emitEthernet({ ...IN_MAC, ethertype: 0x88b5 }, text("netkit"));
const innerUdpDns = emitEthernet(
  { ...IN_MAC, ethertype: 0x0800 },
  emitIpv4(
    { ...B, proto: 17 },
    emitUdp(
      { srcPort: 5000, dstPort: 53 },
      hex("1234 0100 0001 0000 0000 0000 076578616d706c6503636f6d00 0001 0001"),
      B,
    ),
  ),
);

const vx = (inner: Uint8Array, vni = 100, flags?: number) => emitVxlan({ vni, flags }, inner);

const PACKETS: Uint8Array[] = [
  udp4(40000, 4789, vx(innerIcmp)),
  udp4(4789, 40000, vx(innerArp, 0)),
  udp4(4789, 4789, vx(innerIcmp6, 0xffffff)),
  udp4(40001, 4789, vx(innerVlanTcp, 7, 0x0c)),
  udp4(40002, 4789, vx(innerDot3, 8, 0x00)),
  udp4(40003, 4789, vx(innerUnknown, 9, 0xff)),
  udp4(40004, 4789, vx(innerUdpDns)),
  // A VXLAN frame inside a VXLAN frame.
  udp4(
    40005,
    4789,
    vx(
      emitEthernet(
        { ...IN_MAC, ethertype: 0x0800 },
        emitIpv4({ ...B, proto: 17 }, emitUdp({ srcPort: 1, dstPort: 4789 }, vx(innerIcmp, 5), B)),
      ),
    ),
  ),
  udp6(40006, 4789, vx(innerIcmp)),
  // Short: no header, part of one, a header and no frame, part of a frame.
  udp4(40007, 4789, new Uint8Array(0)),
  udp4(40008, 4789, hex("08000000")),
  udp4(40009, 4789, hex("08000000 000064")),
  udp4(40010, 4789, vx(new Uint8Array(0))),
  udp4(40011, 4789, vx(innerIcmp.subarray(0, 10))),
  udp4(40012, 4789, vx(innerIcmp.subarray(0, 14))),
  udp4(40013, 4789, vx(innerIcmp.subarray(0, 30))),
  // The UDP length says less than the IP packet holds: the frame ends where UDP says.
  udp4(40014, 4789, cat(vx(innerIcmp), hex("deadbeef")), 8 + 8 + innerIcmp.length),
  // Earlier dissectors in tcpdump's order win on the other port: DNS, NTP, syslog.
  udp4(53, 4789, hex("1234 0100 0001 0000 0000 0000 076578616d706c6503636f6d00 0001 0001")),
  udp4(4789, 123, vx(innerIcmp)),
  udp4(514, 4789, vx(innerIcmp)),
  // A first fragment: the frame goes on in later fragments.
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4(
      { ...A, proto: 17, mf: true },
      emitUdp({ srcPort: 40015, dstPort: 4789, length: 2000 }, vx(innerIcmp), A),
    ),
  ),
];

/** Each packet whole, and those given cut at every length from the UDP header on. */
function withCuts(frames: Uint8Array[], cutsOf: number[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const k of cutsOf) {
    const f = frames[k];
    for (let n = 34; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-v"], ["-x"]];

Deno.test("parseVxlan/emitVxlan: fields, round trip over random headers, short input, bad values", () => {
  const b = emitVxlan({ vni: 0xabcdef, flags: 0x08 }, hex("0102"));
  assert.deepEqual([...b], [0x08, 0, 0, 0, 0xab, 0xcd, 0xef, 0, 1, 2]);
  assert.deepEqual(parseVxlan(b), { flags: 8, vni: 0xabcdef });
  const rng = new Rng(4789);
  for (let i = 0; i < 500; i++) {
    const h = { flags: rng.int(256), vni: rng.int(1 << 24) };
    assert.deepEqual(parseVxlan(emitVxlan(h)), h);
  }
  for (let n = 0; n < VXLAN_HEADER_LEN; n++) {
    const e = parseVxlan(new Uint8Array(n));
    assert(e instanceof WireError && e.layer === "vxlan" && e.code === "WIRE_SHORT", `${n} bytes`);
  }
  assert.throws(() => emitVxlan({ vni: 1 << 24 }), RangeError);
  assert.throws(() => emitVxlan({ vni: -1 }), RangeError);
  assert.throws(() => emitVxlan({ vni: 1, flags: 256 }), RangeError);
  assert.deepEqual(vxlanText(emitVxlan({ vni: 100 }), 8), {
    text: "VXLAN, flags [I] (0x08), vni 100\n",
    frame: true,
  });
  assert.equal(vxlanText(emitVxlan({ vni: 0, flags: 4 }), 8).text, "VXLAN, flags [invalid] (0x04), vni 0\n");
  assert.deepEqual(vxlanText(new Uint8Array(8), 7), { text: "VXLAN (invalid)", frame: false });
  assert.equal(vxlanText(new Uint8Array(0), 8).text, "VXLAN [|vxlan]");
  assert.equal(vxlanText(hex("08000000 0000"), 8).text, "VXLAN, flags [I] (0x08),  [|vxlan]");
  assert.equal(vxlanText(hex("08000000 000064"), 8).text, "VXLAN, flags [I] (0x08), vni 100\n [|vxlan]");
});

Deno.test("decoder: a vxlan layer, then the frame it carries; JSON names it; every cut decodes without throwing", () => {
  const d = new PacketDecoder();
  const r = d.decode(PACKETS[0], 1);
  assert.equal(r.layers.map((l) => l.layer).join(), "eth,ipv4,udp,vxlan,eth,ipv4,icmp");
  assert(!r.truncated && !r.malformed);
  const j = jsonRecord(r, { n: 1, ts: 0, len: PACKETS[0].length, caplen: PACKETS[0].length });
  assert.deepEqual(j.layers[3], { layer: "vxlan", flags: 8, vni: 100 });
  assert.deepEqual(j.layers[4], { layer: "eth", src: IN_MAC.src, dst: IN_MAC.dst, ethertype: 0x0800 });
  // The frame ends where the UDP length says.
  const t = d.decode(PACKETS[16], 1);
  assert.equal(t.layers.map((l) => l.layer).join(), "eth,ipv4,udp,vxlan,eth,ipv4,icmp");
  assert(!t.truncated && !t.malformed);
  // A first fragment's frame is decoded as far as it goes, with no flag.
  const f = d.decode(PACKETS[PACKETS.length - 1], 1);
  assert.equal(f.layers.map((l) => l.layer).join(), "eth,ipv4,udp,vxlan,eth,ipv4,icmp");
  assert(!f.truncated && !f.malformed);
  // Too short for a header: plain UDP data, not an error.
  const s = d.decode(PACKETS[10], 1);
  assert.equal(s.layers.map((l) => l.layer).join(), "eth,ipv4,udp");
  assert(!s.truncated && !s.malformed);
  for (const p of PACKETS) {
    for (let n = 0; n < p.length; n++) {
      const c = d.decode(p.subarray(0, n), 1);
      assert(c.truncated || c.malformed || n >= p.length - 4, `a cut at ${n} is flagged`);
      summarize(c, { verbose: true, verbosity: 2, link: true, dumpUndecoded: true });
    }
  }
});

Deno.test("golden: tcpdump's VXLAN line, a newline, then the carried frame", () => {
  const d = new PacketDecoder();
  assert.equal(
    summarize(d.decode(PACKETS[0], 1)),
    "IP 10.0.0.1.40000 > 10.0.0.2.4789: VXLAN, flags [I] (0x08), vni 100\n" +
      "IP 192.168.1.1 > 192.168.1.2: ICMP echo request, id 7, seq 1, length 13",
  );
  assert.equal(
    summarize(d.decode(PACKETS[1], 1), { link: true }),
    "00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype IPv4 (0x0800), length 92: " +
      "10.0.0.1.4789 > 10.0.0.2.40000: VXLAN, flags [I] (0x08), vni 0\n" +
      "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: " +
      "Request who-has 192.168.1.2 tell 192.168.1.1, length 28",
  );
  assert.equal(summarize(d.decode(PACKETS[9], 1)), "IP 10.0.0.1.40007 > 10.0.0.2.4789: VXLAN (invalid)");
});

testIf(
  "VXLAN and GRE-bridged frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const gre = (inner: Uint8Array) =>
      emitEthernet(
        { ...MAC, ethertype: 0x0800 },
        emitIpv4({ ...A, proto: 47 }, cat(hex("0000 6558"), inner)),
      );
    const greFrames = [innerIcmp, innerArp, innerVlanTcp, innerDot3, innerUnknown, innerIcmp6].map(gre);
    const frames = withCuts([...PACKETS, ...greFrames], [0, 1, 3, 4, 5, PACKETS.length + 2]);
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);

testIf(
  "the vxlan layer and the layers of the frame it carries agree with tshark's dissection",
  needCommands("tshark"),
  async () => {
    // Packets carrying a whole frame (4789 on either side, a header there); tshark's fields list each
    // occurrence of a field in order, the outer one first.
    const frames = PACKETS.filter((p) => {
      const r = new PacketDecoder().decode(p, 1);
      return r.layers.some((l) => l.layer === "vxlan") &&
        !r.truncated && !r.malformed;
    });
    assert(frames.length >= 10);
    const fields = ["vxlan.vni", "eth.src", "eth.type", "ip.src", "ip.proto", "ipv6.src"];
    const rows = await tsharkFields(frames.map((data) => ({ data })), fields);
    const d = new PacketDecoder();
    let compared = 0;
    frames.forEach((p, k) => {
      const ls = jsonRecord(d.decode(p, 1), { n: 1, ts: 0, len: p.length, caplen: p.length }).layers;
      const of = (layer: string, field: string) =>
        ls.filter((l) => l.layer === layer).map((l) => String(l[field]));
      const ours = [
        of("vxlan", "vni"),
        of("eth", "src"),
        of("eth", "ethertype").map((x) => `0x${Number(x).toString(16).padStart(4, "0")}`),
        of("ipv4", "src"),
        of("ipv4", "proto"),
        of("ipv6", "src"),
      ];
      const theirs = rows[k];
      // tshark hands a datagram with 4789 on one side to the other side's dissector when it knows that
      // port (NTP, syslog), and does not look inside a fragment before reassembly: nothing to compare.
      if (theirs[0].length === 0) return;
      compared++;
      // tshark names no EtherType for an 802.3 frame (its length field is not one): compare the typed ones.
      ours[2] = ours[2].filter((x) => parseInt(x, 16) >= 0x600);
      assert.deepEqual(ours, theirs.map((v) => v.map((x) => x.toLowerCase())), `packet ${k + 1}`);
    });
    assert(compared >= 10, `${compared} compared`);
  },
);

/** A VXLAN-GPE datagram (port 4790): flags, next protocol, VNI, then the payload. */
const gpe = (flags: number, next: number, payload: Uint8Array, sp = 40000, dp = 4790) =>
  udp4(sp, dp, cat(new Uint8Array([flags, 0, 0, next, 0, 0, 7, 0]), payload));

const GPE = [
  gpe(0x0c, 1, emitIpv4({ ...B, proto: 1 }, emitIcmpv4({ type: 8, id: 7, seq: 1 }, text("hello")))),
  gpe(0x0c, 2, emitIpv6({ ...A6, proto: 58 }, hex("8000 0000 0001 0001"))),
  gpe(0x0c, 3, innerIcmp),
  gpe(0x08, 3, innerArp),
  gpe(0xff, 9, hex("00112233")), // every flag, a next protocol tcpdump does not know
  gpe(0x00, 1, emitIpv4({ ...B, proto: 1 }, emitIcmpv4({ type: 0, id: 7, seq: 1 }))),
  udp4(40000, 4790, hex("0c00 0001 00")), // shorter than a header
];

Deno.test("decoder: VXLAN-GPE gives a vxlan-gpe layer, then IPv4, IPv6 or a frame by its next protocol", () => {
  const d = new PacketDecoder();
  assert.deepEqual(d.decode(GPE[0], 1).layers.map((l) => l.layer).slice(3), ["vxlan-gpe", "ipv4", "icmp"]);
  assert.deepEqual(d.decode(GPE[2], 1).layers.map((l) => l.layer).slice(3), [
    "vxlan-gpe",
    "eth",
    "ipv4",
    "icmp",
  ]);
  const rec = jsonRecord(d.decode(GPE[1], 1), { n: 1, ts: 0, len: GPE[1].length, caplen: GPE[1].length });
  assert.deepEqual(rec.layers[3], { layer: "vxlan-gpe", flags: 0x0c, next: 2, vni: 7 });
});

testIf(
  "VXLAN-GPE prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: { data: Uint8Array; len?: number }[] = GPE.map((data) => ({ data }));
    for (const f of GPE.slice(0, 4)) {
      for (let n = 42; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-e"], ["-q"], ["-x"], ["-v", "-x"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);

testIf(
  "port 8472 (Linux's VXLAN port) prints as tcpdump's OTV, with the frame it carries, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const otv = [
      udp4(40000, 8472, vx(innerIcmp, 1)),
      udp4(8472, 40000, vx(innerArp, 0)),
      udp6(8472, 8472, vx(innerIcmp6, 0xffffff)),
      udp4(40000, 8472, vx(innerVlanTcp, 42)),
      udp4(40000, 8472, vx(innerDot3, 7)),
      udp4(40000, 8472, vx(innerUnknown, 7)),
      udp4(40000, 8472, cat(hex("44 123456 abcdef 00"), innerUdpDns)),
      udp4(40000, 8472, hex("08000001")),
      udp4(40000, 8472, new Uint8Array(0)),
    ];
    const frames = withCuts(otv, [0, 3, 6]);
    // Not vacuous: the carried frame is decoded (the vxlan layer the JSON shows), not left as UDP data.
    const layers = new PacketDecoder().decode(otv[0], 1).layers.map((l) => l.layer);
    assert.deepEqual(layers.slice(3), ["vxlan", "eth", "ipv4", "icmp"]);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);
