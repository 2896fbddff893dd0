import assert from "node:assert/strict";
import { frame, wireCode } from "./_fx.ts";
import {
  emitEthernet,
  ETHERNET_HEADER_LEN,
  EthernetFrame,
  ethernetHeaderLen,
  etherTypeName,
  formatEthernet,
  parseEthernet,
} from "../../lib/wire/ethernet.ts";
import { parseMac } from "../../lib/wire/address.ts";

Deno.test("EthernetFrame getters read captured bytes", () => {
  const f = new EthernetFrame(frame("arp_request"));
  assert.deepEqual(f.src, parseMac("02:00:00:00:00:01"));
  assert.deepEqual(f.dst, parseMac("ff:ff:ff:ff:ff:ff"));
  assert.equal(f.ethertype, 0x0806);
  assert.equal(f.payload().length, 28);
});

Deno.test("EthernetFrame setters write in place, on a subarray too", () => {
  const buf = new Uint8Array(20);
  const f = EthernetFrame.unchecked(buf.subarray(3, 17));
  f.ethertype = 0x86dd;
  f.src = parseMac("aa:bb:cc:dd:ee:ff");
  f.dst = parseMac("01:02:03:04:05:06");
  assert.equal(buf[15], 0x86);
  assert.equal(buf[16], 0xdd);
  assert.deepEqual(parseEthernet(buf.subarray(3)).src, parseMac("aa:bb:cc:dd:ee:ff"));
  assert.equal(f.reset(frame("tcp_syn")).ethertype, 0x0800);
});

Deno.test("parseEthernet() rejects fewer than 14 bytes with WIRE_SHORT", () => {
  assert.throws(() => parseEthernet(new Uint8Array(13)), wireCode("WIRE_SHORT"));
  assert.throws(() => new EthernetFrame(new Uint8Array(0)), wireCode("WIRE_SHORT"));
  assert.equal(EthernetFrame.unchecked(new Uint8Array(3)).check()?.code, "WIRE_SHORT");
});

Deno.test("emitEthernet() builds the exact frame and formats it", () => {
  const b = emitEthernet(
    { dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:01", ethertype: 0x0806 },
    frame("arp_request").subarray(14),
  );
  assert.deepEqual(b, frame("arp_request"));
  assert.equal(ETHERNET_HEADER_LEN, 14);
  assert.equal(ethernetHeaderLen(), 14);
  assert.equal(formatEthernet(parseEthernet(b)), "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 0x0806");
  assert.equal(etherTypeName(0x0800), "IPV4");
  assert.equal(etherTypeName(0xbeef), "unknown(0xbeef)");
});
