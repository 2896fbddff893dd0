import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitIcmpv4,
  formatIcmpv4,
  icmpv4HeaderLen,
  Icmpv4Packet,
  icmpv4TypeName,
  isIcmpv4Error,
  parseIcmpv4,
} from "../../lib/wire/icmpv4.ts";
import { parseIpv4 } from "../../lib/wire/ipv4.ts";

Deno.test("Icmpv4Packet getters read a captured echo request", () => {
  const p = new Icmpv4Packet(layerBytes("icmp_echo_request", "icmp"));
  assert.deepEqual([p.type, p.code, p.id, p.seq, p.payload().length], [8, 0, 1, 1, 56]);
  assert.ok(p.checksumValid());
  assert.equal(icmpv4TypeName(p.type), "ECHO_REQUEST");
});

Deno.test("an error quotes the offending IP header and 8 bytes; the MTU sits in rest", () => {
  const p = new Icmpv4Packet(layerBytes("icmp_frag_needed", "icmp"));
  assert.ok(isIcmpv4Error(p.type));
  assert.equal(p.rest & 0xffff, 1400);
  const quoted = p.payload();
  assert.equal(quoted.length, 28);
  assert.throws(() => parseIpv4(quoted), wireCode("WIRE_TRUNCATED"));
});

Deno.test("Icmpv4Packet setters and a forced checksum", () => {
  const b = emitIcmpv4({ type: 8, id: 1, seq: 1 });
  const p = new Icmpv4Packet(b);
  p.seq = 2;
  assert.equal(p.checksumValid(), false);
  assert.equal(parseIcmpv4(emitIcmpv4({ type: 0, checksum: 0xdead })).checksum, 0xdead);
  assert.equal(parseIcmpv4(emitIcmpv4({ type: 5, gateway: new Uint8Array([10, 0, 0, 1]) })).rest, 0x0a000001);
  assert.equal(parseIcmpv4(emitIcmpv4({ type: 12, pointer: 20 })).rest >>> 24, 20);
});

Deno.test("parseIcmpv4() rejects fewer than 8 bytes", () => {
  assert.throws(() => parseIcmpv4(new Uint8Array(7)), wireCode("WIRE_SHORT"));
  assert.equal(icmpv4HeaderLen(), 8);
  assert.equal(
    formatIcmpv4(parseIcmpv4(layerBytes("icmp_echo_reply", "icmp"))),
    "ECHO_REPLY code 0, id 1, seq 1",
  );
});
