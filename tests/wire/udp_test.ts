import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitUdp,
  formatUdp,
  parseUdp,
  UDP_HEADER_LEN,
  udpChecksum,
  udpChecksumValid,
  udpHeaderLen,
  UdpPacket,
} from "../../lib/wire/udp.ts";

Deno.test("UdpPacket getters read a captured datagram; checksum 0 on IPv4 is valid", () => {
  const u = new UdpPacket(layerBytes("udp_checksum_zero", "udp"));
  assert.deepEqual([u.srcPort, u.dstPort, u.length, u.checksum], [1000, 2000, 12, 0]);
  assert.equal(new TextDecoder().decode(u.payload()), "zero");
  assert.ok(udpChecksumValid(u.bytes, { src: "10.0.0.1", dst: "10.0.0.2" }));
});

Deno.test("UdpPacket setters and the checksum of a captured DNS query over IPv6", () => {
  const b = layerBytes("dns_query_v6", "udp");
  const p = { src: "::1", dst: "::1" };
  assert.ok(udpChecksumValid(b, p));
  assert.equal(udpChecksum(b, p), parseUdp(b).checksum);
  const u = new UdpPacket(b.slice());
  u.dstPort = 54;
  assert.equal(udpChecksumValid(u.bytes, p), false);
});

Deno.test("parseUdp() rejects short buffers, lengths under 8, and lengths beyond the buffer", () => {
  const b = emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(4));
  assert.throws(() => parseUdp(b.subarray(0, 7)), wireCode("WIRE_SHORT"));
  const low = b.slice();
  low[5] = 7;
  assert.throws(() => parseUdp(low), wireCode("WIRE_BAD_LENGTH"));
  assert.throws(() => parseUdp(b.subarray(0, 11)), wireCode("WIRE_TRUNCATED"));
  // The view still reads the header and clamps the payload.
  const v = UdpPacket.unchecked(b.subarray(0, 11));
  assert.equal(v.check()?.code, "WIRE_TRUNCATED");
  assert.equal(v.payload().length, 3);
});

Deno.test("emitUdp() rebuilds a captured datagram; formatUdp()", () => {
  const b = layerBytes("dns_query_v4", "udp");
  const h = parseUdp(b);
  assert.deepEqual(
    emitUdp({ srcPort: h.srcPort, dstPort: h.dstPort }, b.subarray(8), { src: "10.0.0.1", dst: "10.0.0.53" }),
    b,
  );
  assert.equal(UDP_HEADER_LEN, udpHeaderLen());
  assert.equal(formatUdp(h), "40000 > 53: UDP, length 33");
});
