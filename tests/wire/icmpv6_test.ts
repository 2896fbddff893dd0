import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitIcmpv6,
  emitNdpOptions,
  formatIcmpv6,
  icmpv6HeaderLen,
  Icmpv6Packet,
  icmpv6TypeName,
  isIcmpv6Error,
  parseIcmpv6,
  parseNdp,
  walkNdpOptions,
} from "../../lib/wire/icmpv6.ts";
import { formatIpv6Address, formatMac } from "../../lib/wire/address.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { hex } from "../_bytes.ts";

const pseudo = (src: string, dst: string) => ({ src, dst });

Deno.test("Icmpv6Packet getters and checksum on a captured echo", () => {
  const p = new Icmpv6Packet(layerBytes("icmpv6_echo_request", "icmpv6"));
  assert.deepEqual([p.type, p.code, p.id, p.seq], [128, 0, 1, 2]);
  assert.ok(p.checksumValid(pseudo("2001:db8::1", "2001:db8::2")));
  assert.equal(p.checksumValid(pseudo("2001:db8::1", "2001:db8::3")), false);
});

Deno.test("parseNdp() reads NS, NA (flags), RS and RA (options) from captured messages", () => {
  const ns = parseNdp(layerBytes("icmpv6_ns", "icmpv6"))!;
  assert.equal(formatIpv6Address(ns.target!), "fe80::2");
  assert.equal(formatMac(ns.options[0].data), "02:00:00:00:00:01");
  const na = parseNdp(layerBytes("icmpv6_na", "icmpv6"))!;
  assert.deepEqual([na.router, na.solicited, na.override], [false, true, true]);
  const rs = parseNdp(layerBytes("icmpv6_rs", "icmpv6"))!;
  assert.deepEqual(rs.options.map((o) => o.type), [1]);
  const ra = parseNdp(layerBytes("icmpv6_ra", "icmpv6"))!;
  assert.deepEqual([ra.curHopLimit, ra.managed, ra.other, ra.routerLifetime], [64, true, false, 1800]);
  assert.deepEqual(ra.options.map((o) => [o.type, o.length]), [[3, 4], [5, 1]]);
  assert.equal(parseNdp(layerBytes("icmpv6_echo_request", "icmpv6")), null);
});

Deno.test("ND options: a zero length or an overrun is an error", () => {
  assert.equal(walkNdpOptions(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])).error?.code, "WIRE_BAD_OPTION");
  assert.equal(walkNdpOptions(new Uint8Array([1, 2, 0, 0, 0, 0, 0, 0])).error?.code, "WIRE_BAD_OPTION");
  assert.equal(walkNdpOptions(new Uint8Array([1])).error?.code, "WIRE_BAD_OPTION");
  const ns = layerBytes("icmpv6_ns", "icmpv6").slice();
  ns[25] = 0;
  assert.throws(() => parseNdp(ns), wireCode("WIRE_BAD_OPTION"));
  assert.throws(() => parseNdp(ns.subarray(0, 20)), wireCode("WIRE_SHORT"));
  assert.throws(() => parseNdp(ns.subarray(0, 4)), wireCode("WIRE_SHORT"));
});

Deno.test("errors quote the packet; too-big carries the MTU", () => {
  const m = parseIcmpv6(layerBytes("icmpv6_too_big", "icmpv6"));
  assert.ok(isIcmpv6Error(m.type));
  assert.equal(m.rest, 1280);
  assert.equal(icmpv6TypeName(1), "DEST_UNREACHABLE");
});

Deno.test("emitIcmpv6() computes the checksum with the pseudo-header; setters; short input", () => {
  const p = pseudo("fe80::1", "ff02::2");
  const rs = emitIcmpv6(
    { type: 133 },
    new Uint8Array([0, 0, 0, 0, ...emitNdpOptions([{ type: 1, data: new Uint8Array(6) }])]),
    p,
  );
  const v = new Icmpv6Packet(rs);
  assert.ok(v.checksumValid(p));
  v.code = 1;
  assert.equal(v.checksumValid(p), false);
  assert.equal(parseIcmpv6(emitIcmpv6({ type: 4, pointer: 40 })).rest, 40);
  assert.throws(() => parseIcmpv6(new Uint8Array(7)), wireCode("WIRE_SHORT"));
  assert.equal(icmpv6HeaderLen(), 8);
  assert.equal(
    formatIcmpv6(parseIcmpv6(layerBytes("icmpv6_echo_reply", "icmpv6"))),
    "ECHO_REPLY code 0, id 1, seq 2",
  );
});

testIf(
  "errors and echo, whole and cut inside their 8-byte header, print what tcpdump reads before it runs out",
  needCommands("tcpdump"),
  async () => {
    const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
    const Q = { src: "2001:db8::3", dst: "2001:db8::4" };
    // Quoting UDP (ports), TCP (ports) and ICMPv6 (none: a port unreachable ends in the mark).
    const quotes = [
      emitIpv6({ ...Q, proto: 17 }, hex("03e8 0035 000c 0000 00000000")),
      emitIpv6({ ...Q, proto: 6 }, hex("03e8 0050 00000000 00000000 5000 ffff 00000000")),
      emitIpv6({ ...Q, proto: 58 }, new Uint8Array(8)),
    ];
    const types: [number, number][] = [
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((code) => [1, code] as [number, number]),
      [2, 0],
      [3, 0],
      [3, 1],
      [3, 2],
      [4, 0],
      [4, 1],
      [4, 3],
      [128, 0],
      [129, 0],
    ];
    const frames: Frame[] = [];
    for (const [type, code] of types) {
      for (const quoted of quotes) {
        const msg = emitIcmpv6({ type, code, id: 5, seq: 7 }, quoted, A6);
        const f = emitEthernet(
          { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb", ethertype: 0x86dd },
          emitIpv6({ ...A6, proto: 58 }, msg),
        );
        frames.push({ data: f });
        for (let n = 54; n < 62; n++) frames.push({ data: f.slice(0, n), len: f.length });
      }
    }
    const flags = [[], ["-v"], ["-x"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
