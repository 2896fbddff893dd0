import assert from "node:assert/strict";
import { frame, wireCode } from "./_fx.ts";
import {
  emitSll,
  formatSll,
  parseSll,
  SLL_HEADER_LEN,
  SllFrame,
  sllHeaderLen,
  sllPacketTypeName,
} from "../../lib/wire/sll.ts";

Deno.test("SllFrame getters read a captured cooked v1 header", () => {
  const f = new SllFrame(frame("sll_ipv4_tcp"));
  assert.equal(f.packetType, 4);
  assert.equal(sllPacketTypeName(f.packetType), "OUTGOING");
  assert.equal(sllPacketTypeName(9), "unknown(0x09)");
  assert.equal(f.arphrdType, 772);
  assert.equal(f.addrLen, 6);
  assert.equal(f.addr.length, 6);
  assert.equal(f.protocol, 0x0800);
  assert.equal(f.payload()[0], 0x45);
});

Deno.test("SllFrame setters; an address longer than 8 keeps its length but 8 bytes", () => {
  const f = SllFrame.unchecked(new Uint8Array(16));
  f.addrLen = 10;
  f.addr = new Uint8Array(10).fill(7);
  assert.equal(f.addrLen, 10);
  assert.equal(f.addr.length, 8);
  f.packetType = 1;
  f.protocol = 0x86dd;
  assert.deepEqual([f.packetType, f.protocol], [1, 0x86dd]);
});

Deno.test("parseSll() rejects fewer than 16 bytes", () => {
  assert.throws(() => parseSll(new Uint8Array(15)), wireCode("WIRE_SHORT"));
});

Deno.test("emitSll() rebuilds the captured header; formatSll()", () => {
  const b = frame("sll_ipv4_tcp");
  assert.deepEqual(emitSll(parseSll(b), b.subarray(16)), b);
  assert.equal(SLL_HEADER_LEN, sllHeaderLen());
  assert.equal(formatSll(parseSll(b)), "OUTGOING 00:00:00:00:00:00 ethertype 0x0800");
});
