import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  arpHeaderLen,
  arpOperationName,
  ArpPacket,
  emitArp,
  formatArp,
  parseArp,
} from "../../lib/wire/arp.ts";
import { formatIpv4Address, formatMac } from "../../lib/wire/address.ts";

Deno.test("ArpPacket getters read a captured reply", () => {
  const p = new ArpPacket(layerBytes("arp_reply", "arp"));
  assert.equal(p.op, 2);
  assert.equal(arpOperationName(p.op), "REPLY");
  assert.equal(formatMac(p.sha), "02:00:00:00:00:02");
  assert.equal(formatIpv4Address(p.spa), "10.0.0.2");
  assert.equal(formatMac(p.tha), "02:00:00:00:00:01");
  assert.equal(formatIpv4Address(p.tpa), "10.0.0.1");
  assert.equal(p.headerLen, 28);
});

Deno.test("ArpPacket setters write the variable-position addresses", () => {
  const p = ArpPacket.unchecked(new Uint8Array(8 + 2 * (2 + 3)));
  p.hlen = 2;
  p.plen = 3;
  p.tpa = new Uint8Array([7, 8, 9]);
  p.sha = new Uint8Array([1, 2]);
  assert.deepEqual([...p.bytes.subarray(8)], [1, 2, 0, 0, 0, 0, 0, 7, 8, 9]);
});

Deno.test("parseArp() rejects a packet whose addresses do not fit", () => {
  assert.throws(() => parseArp(new Uint8Array(7)), wireCode("WIRE_SHORT"));
  const b = emitArp({ op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" });
  assert.throws(() => parseArp(b.subarray(0, 27)), wireCode("WIRE_SHORT"));
  assert.throws(() => arpHeaderLen(new Uint8Array(5)), wireCode("WIRE_SHORT"));
});

Deno.test("emitArp() rebuilds the captured request; formatArp()", () => {
  const b = layerBytes("arp_request", "arp");
  assert.deepEqual(emitArp({ op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" }), b);
  assert.equal(arpHeaderLen(b), 28);
  assert.equal(formatArp(parseArp(b)), "Request who-has 10.0.0.2 tell 10.0.0.1");
  assert.equal(formatArp(parseArp(layerBytes("arp_reply", "arp"))), "Reply 10.0.0.2 is-at 02:00:00:00:00:02");
  assert.equal(arpOperationName(99), "unknown(0x0063)");
});
