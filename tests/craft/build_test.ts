/**
 * `buildPacket`: exact sizes, defaults taken from the next layer, lengths and checksums filled (checked with
 * lib/wire's validators), RFC edge cases, overrides and deliberately wrong checksums.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildPacket, type LayerSpec } from "../../lib/craft/mod.ts";
import {
  emitTcp,
  Icmpv4Packet,
  Icmpv6Packet,
  Ipv4Packet,
  PacketDecoder,
  tcpChecksumValid,
  udpChecksumValid,
} from "../../lib/wire/mod.ts";

const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];

Deno.test("buildPacket() stacks Ethernet, IPv4, TCP with options and payload into one exact-size buffer", () => {
  const pkt = buildPacket([
    { layer: "eth", src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" },
    { layer: "ipv4", ...V4, ttl: 7, id: 99, df: true },
    { layer: "tcp", srcPort: 1234, dstPort: 80, flags: 0x02, seq: 1000, options: [{ kind: 2, mss: 1460 }] },
    { layer: "raw", data: new Uint8Array([1, 2, 3]) },
  ]);
  assert.equal(pkt.length, 14 + 20 + 24 + 3);
  assert.equal(pkt.buffer.byteLength, pkt.length);
  assert.equal(u16(pkt, 12), 0x0800);
  const ip = new Ipv4Packet(pkt.subarray(14));
  assert.equal(ip.proto, 6);
  assert.equal(ip.totalLen, 20 + 24 + 3);
  assert.equal(ip.ttl, 7);
  assert.ok(ip.df);
  assert.ok(ip.checksumValid());
  assert.ok(tcpChecksumValid(pkt.subarray(34), V4));
  const r = new PacketDecoder().decode(pkt, 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "ipv4", "tcp"]);
  assert.deepEqual([...r.payload], [1, 2, 3]);
});

Deno.test("buildPacket() matches lib/wire's per-layer emitter byte for byte", () => {
  const tcp = { srcPort: 5, dstPort: 6, seq: 7, flags: 0x12, options: [{ kind: 4 }] };
  const pkt = buildPacket([{ layer: "ipv6", ...V6 }, { layer: "tcp", ...tcp }]);
  assert.deepEqual(pkt.subarray(40), emitTcp(tcp, new Uint8Array(0), V6));
});

Deno.test("buildPacket() fills IPv6 payload length and the UDP and ICMPv6 checksums with the v6 pseudo-header", () => {
  const udp = buildPacket([{ layer: "ipv6", ...V6 }, { layer: "udp", srcPort: 1, dstPort: 2 }, {
    layer: "raw",
    data: new Uint8Array(5),
  }]);
  assert.equal(u16(udp, 4), 13);
  assert.equal(udp[6], 17);
  assert.equal(u16(udp, 44), 13);
  assert.ok(udpChecksumValid(udp.subarray(40), V6));
  const icmp6 = buildPacket([{ layer: "ipv6", ...V6 }, { layer: "icmp6", type: 128, id: 1, seq: 2 }]);
  assert.equal(icmp6[6], 58);
  assert.ok(new Icmpv6Packet(icmp6.subarray(40)).checksumValid(V6));
});

Deno.test("buildPacket() sends a computed UDP checksum of 0 as 0xffff (RFC 768)", () => {
  const layers = (data: Uint8Array): LayerSpec[] => [{ layer: "ipv4", ...V4 }, {
    layer: "udp",
    srcPort: 1,
    dstPort: 2,
  }, { layer: "raw", data }];
  // Adding the checksum of a datagram as a data word makes the new sum all ones, so the checksum 0.
  const c = u16(buildPacket(layers(new Uint8Array(2))), 26);
  const zero = buildPacket(layers(new Uint8Array([c >> 8, c & 0xff])));
  assert.equal(u16(zero, 26), 0xffff);
  assert.ok(udpChecksumValid(zero.subarray(20), V4));
});

Deno.test("buildPacket() writes an overridden checksum as given, and a bad one that always fails", () => {
  const given = buildPacket([{ layer: "ipv4", ...V4, checksum: 0xbeef }, {
    layer: "udp",
    srcPort: 1,
    dstPort: 2,
    checksum: 0,
  }]);
  assert.equal(u16(given, 10), 0xbeef);
  assert.equal(u16(given, 26), 0);
  for (const t of ["tcp", "udp", "icmp"] as const) {
    const spec: LayerSpec = t === "icmp"
      ? { layer: "icmp", type: 8, badChecksum: true }
      : { layer: t, srcPort: 1, dstPort: 2, badChecksum: true };
    const bad = buildPacket([{ layer: "ipv4", ...V4 }, spec]);
    const seg = bad.subarray(20);
    if (t === "tcp") assert.ok(!tcpChecksumValid(seg, V4));
    if (t === "udp") assert.ok(!udpChecksumValid(seg, V4) && u16(seg, 6) !== 0);
    if (t === "icmp") assert.ok(!new Icmpv4Packet(seg).checksumValid());
    assert.ok(new Ipv4Packet(bad).checksumValid(), "only the asked layer is wrong");
  }
  const badIp = buildPacket([{ layer: "ipv4", ...V4, badChecksum: true }, { layer: "icmp", type: 8 }]);
  assert.ok(!new Ipv4Packet(badIp).checksumValid());
  assert.ok(new Icmpv4Packet(badIp.subarray(20)).checksumValid());
});

Deno.test("buildPacket() keeps overridden lengths, even impossible ones", () => {
  const p = buildPacket([{ layer: "ipv4", ...V4, totalLen: 1000 }, {
    layer: "udp",
    srcPort: 1,
    dstPort: 2,
    length: 3,
  }]);
  assert.equal(p.length, 28);
  assert.equal(u16(p, 2), 1000);
  assert.equal(u16(p, 24), 3);
  assert.ok(new Ipv4Packet(p, false).checksumValid(), "the checksum covers the overridden length");
});

Deno.test("buildPacket() chains types: Ethernet to VLAN to ARP, IPv4 in IPv6, raw after IP", () => {
  const arp = buildPacket([
    { layer: "eth", dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:01" },
    { layer: "vlan", id: 42 },
    { layer: "arp", op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" },
  ]);
  assert.equal(arp.length, 14 + 4 + 28);
  assert.equal(u16(arp, 12), 0x8100);
  assert.equal(u16(arp, 16), 0x0806);
  const r = new PacketDecoder().decode(arp, 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "vlan", "arp"]);
  const tunnel = buildPacket([{ layer: "ipv6", ...V6 }, { layer: "ipv4", ...V4 }, {
    layer: "icmp",
    type: 8,
  }]);
  assert.equal(tunnel[6], 4);
  assert.equal(tunnel[40 + 9], 1);
  const raw = buildPacket([{ layer: "ipv4", ...V4 }, { layer: "raw", data: new Uint8Array(4) }]);
  assert.equal(raw[9], 253, "RFC 3692 experimental protocol when nothing says otherwise");
});

Deno.test("buildPacket() leaves a transport checksum 0 without an enclosing IP layer", () => {
  const t = buildPacket([{ layer: "tcp", srcPort: 1, dstPort: 2 }]);
  assert.equal(u16(t, 16), 0);
});

Deno.test("buildPacket() rejects an unknown layer and an address that does not parse", () => {
  assert.throws(() => buildPacket([{ layer: "sctp" } as unknown as LayerSpec]), TypeError);
  assert.throws(() => buildPacket([{ layer: "ipv4", src: "10.0.0.300", dst: "10.0.0.1" }]));
});

Deno.test("buildPacket() round-trips seeded random headers through the decoder", () => {
  let s = 12345;
  const rnd = (n: number) => (s = (s * 1103515245 + 12345) % 2147483648) % n;
  const d = new PacketDecoder();
  for (let i = 0; i < 200; i++) {
    const sport = rnd(65536), dport = rnd(65536), seq = rnd(2 ** 31), ttl = 1 + rnd(255), len = rnd(64);
    const v6 = rnd(2) === 1;
    const udp = rnd(2) === 1;
    const pkt = buildPacket([
      v6 ? { layer: "ipv6", ...V6, hopLimit: ttl } : { layer: "ipv4", ...V4, ttl, id: rnd(65536) },
      udp
        ? { layer: "udp", srcPort: sport, dstPort: dport }
        : { layer: "tcp", srcPort: sport, dstPort: dport, seq },
      { layer: "raw", data: new Uint8Array(len).fill(i) },
    ]);
    const r = d.decode(pkt, 101);
    const t = r.layers[1] as { srcPort: number; dstPort: number; seq?: number };
    assert.equal(t.srcPort, sport);
    assert.equal(t.dstPort, dport);
    if (!udp) assert.equal(t.seq, seq);
    assert.equal(r.payload.length, len);
    assert.ok(!r.truncated && !r.malformed);
    const pseudo = v6 ? V6 : V4;
    const seg = pkt.subarray(v6 ? 40 : 20);
    assert.ok(udp ? udpChecksumValid(seg, pseudo) : tcpChecksumValid(seg, pseudo));
  }
});
