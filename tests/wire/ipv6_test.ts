import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitIpv6,
  formatIpv6,
  ipv6HeaderLen,
  Ipv6Packet,
  parseIpv6,
  walkIpv6Extensions,
} from "../../lib/wire/ipv6.ts";
import { formatIpv6Address } from "../../lib/wire/address.ts";

Deno.test("Ipv6Packet getters read a captured header with a flow label", () => {
  const p = new Ipv6Packet(layerBytes("ipv6_tcp", "ipv6"));
  assert.deepEqual([p.version, p.trafficClass, p.flowLabel, p.payloadLen, p.nextHeader, p.hopLimit], [
    6,
    0,
    0x12345,
    20,
    6,
    64,
  ]);
  assert.equal(formatIpv6Address(p.src), "2001:db8::1");
  assert.equal(p.payload().length, 20);
});

Deno.test("the extension walk lists the headers and the final protocol", () => {
  const h = parseIpv6(layerBytes("ipv6_hbh_dst_udp", "ipv6"));
  assert.deepEqual(h.extHeaders.map((e) => e.type), [0, 60]);
  assert.equal(h.nextHeader, 0);
  assert.equal(h.proto, 17);
  assert.equal(h.hdrLen, 56);
  const f = parseIpv6(layerBytes("ipv6_frag_first", "ipv6"));
  assert.deepEqual([f.extHeaders[0].id, f.extHeaders[0].mf, f.extHeaders[0].fragOffset, f.proto], [
    7,
    true,
    0,
    58,
  ]);
  // After a later fragment the walk stops: what follows is not a header.
  const later = parseIpv6(layerBytes("ipv6_frag_later", "ipv6"));
  assert.deepEqual([later.extHeaders[0].fragOffset, later.proto, later.hdrLen], [16, 58, 48]);
});

Deno.test("Ipv6Packet setters keep neighbouring bits", () => {
  const p = Ipv6Packet.unchecked(new Uint8Array(40));
  p.version = 6;
  p.flowLabel = 0xfffff;
  p.trafficClass = 0xab;
  assert.deepEqual([p.version, p.trafficClass, p.flowLabel], [6, 0xab, 0xfffff]);
  p.flowLabel = 1;
  assert.deepEqual([p.version, p.trafficClass, p.flowLabel], [6, 0xab, 1]);
});

Deno.test("parseIpv6() rejects short, wrong-version, overlong and cut-extension packets", () => {
  const good = emitIpv6({ src: "::1", dst: "::1", proto: 17, extHeaders: [{ type: 0 }] }, new Uint8Array(8));
  assert.throws(() => parseIpv6(good.subarray(0, 39)), wireCode("WIRE_SHORT"));
  const v4 = good.slice();
  v4[0] = 0x40;
  assert.throws(() => parseIpv6(v4), wireCode("WIRE_BAD_VERSION"));
  assert.throws(() => parseIpv6(good.subarray(0, 50)), wireCode("WIRE_TRUNCATED"));
  const cut = good.slice();
  cut[41] = 5; // hop-by-hop claims 48 bytes
  assert.throws(() => parseIpv6(cut), wireCode("WIRE_SHORT"));
  const w = walkIpv6Extensions(cut, 0);
  assert.equal(w.error?.code, "WIRE_SHORT");
  assert.equal(w.extHeaders.length, 0);
  assert.throws(
    () => emitIpv6({ src: "::1", dst: "::1", proto: 17, extHeaders: [{ type: 44, fragOffset: 3 }] }),
    RangeError,
  );
});

Deno.test("emitIpv6() pads options headers to 8 bytes and AH to 4; formatIpv6()", () => {
  const b = emitIpv6({
    src: "::1",
    dst: "::2",
    proto: 6,
    extHeaders: [{ type: 60, data: new Uint8Array(7) }, { type: 51 }],
  });
  assert.equal(ipv6HeaderLen(b), 40 + 16 + 12);
  const h = parseIpv6(b);
  assert.deepEqual(h.extHeaders.map((e) => e.length), [16, 12]);
  assert.equal(formatIpv6(h), "::1 > ::2: next 60, proto 6, hlim 64, payload 28, ext [60,51]");
});
