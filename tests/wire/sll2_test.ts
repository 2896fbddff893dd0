import assert from "node:assert/strict";
import { frame, wireCode } from "./_fx.ts";
import {
  emitSll2,
  formatSll2,
  parseSll2,
  SLL2_HEADER_LEN,
  Sll2Frame,
  sll2HeaderLen,
} from "../../lib/wire/sll2.ts";

Deno.test("Sll2Frame getters read a captured cooked v2 header", () => {
  const f = new Sll2Frame(frame("sll2_ipv4_udp"));
  assert.deepEqual([f.protocol, f.ifindex, f.arphrdType, f.packetType, f.addrLen], [0x0800, 1, 772, 0, 6]);
  assert.equal(f.payload()[0], 0x45);
});

Deno.test("Sll2Frame setters: a 32-bit interface index and a one-byte packet type", () => {
  const g = Sll2Frame.unchecked(new Uint8Array(20));
  g.ifindex = 0xffffffff;
  g.packetType = 3;
  g.addrLen = 9;
  g.addr = new Uint8Array(9).fill(1);
  assert.deepEqual([g.ifindex, g.packetType, g.addr.length], [0xffffffff, 3, 8]);
});

Deno.test("parseSll2() rejects fewer than 20 bytes", () => {
  assert.throws(() => parseSll2(new Uint8Array(19)), wireCode("WIRE_SHORT"));
});

Deno.test("emitSll2() rebuilds the captured header; formatSll2()", () => {
  const c = frame("sll2_ipv4_udp");
  assert.deepEqual(emitSll2(parseSll2(c), c.subarray(20)), c);
  assert.equal(SLL2_HEADER_LEN, sll2HeaderLen());
  assert.equal(formatSll2(parseSll2(c)), "ifindex 1 HOST 00:00:00:00:00:00 ethertype 0x0800");
});
