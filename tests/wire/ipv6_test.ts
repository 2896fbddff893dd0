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
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

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

/** Ethernet + IPv6 whose payload is `ext` (extension headers, next header first) and then `l4`. */
function v6Frame(firstNext: number, ext: Uint8Array, l4: Uint8Array): Uint8Array {
  return emitEthernet(
    { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02", ethertype: 0x86dd },
    emitIpv6({ src: "2001:db8::1", dst: "2001:db8::2", proto: firstNext }, cat(ext, l4)),
  );
}
const UDP0 = hex("0001 0002 0008 0000");
const ADDRS = hex("20010db8000000000000000000000003 20010db8000000000000000000000004");

const EXT_FRAMES = [
  v6Frame(43, cat(hex("11 04 00 02 00000000"), ADDRS), UDP0), // type 0, two addresses
  v6Frame(43, cat(hex("11 02 02 01 00000005"), ADDRS.subarray(0, 16)), UDP0), // type 2, reserved set
  v6Frame(43, cat(hex("11 04 04 01 01 ff 121a"), ADDRS), UDP0), // segment routing, flags and tag
  v6Frame(43, cat(hex("11 04 04 01 00 00 0000"), ADDRS), UDP0), // segment routing, no flags
  v6Frame(43, cat(hex("11 02 03 01 00000000"), ADDRS.subarray(0, 16)), UDP0), // RPL: unknown to tcpdump
  v6Frame(43, cat(hex("11 03 00 01 00000000"), ADDRS.subarray(0, 24)), UDP0), // odd length
  v6Frame(44, hex("11 00 0001 00000005"), UDP0), // first fragment
  v6Frame(44, hex("11 00 0010 00000005"), UDP0), // a later fragment
  v6Frame(0, hex("11 00 0104 00000000"), UDP0), // hop-by-hop
  v6Frame(60, hex("06 00 0104 00000000"), new Uint8Array(20)), // destination options, then TCP
];

testIf(
  "IPv6 extension headers print as tcpdump prints them, whole and cut inside, and short on the wire",
  needCommands("tcpdump"),
  async () => {
    const frames: { data: Uint8Array; len?: number }[] = EXT_FRAMES.map((data) => ({ data }));
    for (const f of EXT_FRAMES) {
      // Cut by the snapshot length (the wire length kept), then short on the wire itself.
      for (let n = 54; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
      for (let n = 54; n < f.length; n += 3) frames.push({ data: f.subarray(0, n) });
    }
    const flags = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
