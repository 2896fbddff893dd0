import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitVlan,
  formatVlan,
  parseVlan,
  VLAN_TAG_LEN,
  vlanHeaderLen,
  VlanTag,
} from "../../lib/wire/vlan.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { frame } from "./_fx.ts";

Deno.test("VlanTag getters read a captured 802.1Q tag", () => {
  const t = new VlanTag(layerBytes("vlan_udp", "vlan"));
  assert.equal(t.id, 100);
  assert.equal(t.pcp, 1);
  assert.equal(t.dei, false);
  assert.equal(t.ethertype, 0x0800);
});

Deno.test("stacked tags: 802.1ad outer 0x88a8 then 802.1Q", () => {
  const r = new PacketDecoder().decode(frame("qinq_udp"), 1);
  const tags = r.layers.filter((l) => l.layer === "vlan");
  assert.deepEqual(tags.map((t) => t.layer === "vlan" && [t.tpid, t.id]), [[0x88a8, 200], [0x8100, 100]]);
});

Deno.test("VlanTag setters keep the other bits", () => {
  const t = VlanTag.unchecked(new Uint8Array(4));
  t.id = 4095;
  t.pcp = 7;
  t.dei = true;
  assert.deepEqual([t.id, t.pcp, t.dei], [4095, 7, true]);
  t.id = 1;
  assert.deepEqual([t.id, t.pcp, t.dei], [1, 7, true]);
  t.dei = false;
  assert.deepEqual([t.id, t.pcp, t.dei], [1, 7, false]);
});

Deno.test("parseVlan() rejects fewer than 4 bytes", () => {
  assert.throws(() => parseVlan(new Uint8Array(3)), wireCode("WIRE_SHORT"));
});

Deno.test("emitVlan() and formatVlan()", () => {
  const b = emitVlan({ pcp: 5, dei: true, id: 20, ethertype: 0x86dd }, new Uint8Array(2));
  assert.equal(b.length, VLAN_TAG_LEN + 2);
  assert.equal(vlanHeaderLen(), 4);
  assert.equal(formatVlan(parseVlan(b)), "vlan 20, p 5, DEI");
});
