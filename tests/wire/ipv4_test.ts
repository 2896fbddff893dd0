import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitIpv4,
  formatIpv4,
  ipProtocolName,
  ipv4ChecksumValid,
  ipv4HeaderLen,
  Ipv4Packet,
  parseIpv4,
  parseIpv4Options,
} from "../../lib/wire/ipv4.ts";
import { formatIpv4Address } from "../../lib/wire/address.ts";

Deno.test("Ipv4Packet getters read a captured header", () => {
  const p = new Ipv4Packet(layerBytes("tcp_syn", "ipv4"));
  assert.deepEqual(
    [p.version, p.hdrLen, p.tos, p.totalLen, p.id, p.df, p.mf, p.fragOffset, p.ttl, p.proto],
    [4, 20, 0, 60, 0, true, false, 0, 64, 6],
  );
  assert.equal(formatIpv4Address(p.src), "127.0.0.1");
  assert.ok(p.checksumValid());
  assert.equal(p.payload().length, 40);
});

Deno.test("fragments: offset in bytes, MF, and the options of a captured RR header", () => {
  const first = new Ipv4Packet(layerBytes("ipv4_frag_first", "ipv4"));
  assert.deepEqual([first.mf, first.fragOffset, first.id], [true, 0, 4242]);
  const last = new Ipv4Packet(layerBytes("ipv4_frag_last", "ipv4"));
  assert.deepEqual([last.mf, last.fragOffset], [false, 64]);
  const rr = parseIpv4(layerBytes("ipv4_options_rr", "ipv4"));
  assert.equal(rr.hdrLen, 32);
  const opts = parseIpv4Options(rr.options);
  assert.deepEqual(opts.map((o) => o.type), [7, 0]);
  assert.equal(opts[0].data.length, 9);
});

Deno.test("Ipv4Packet setters; fragment offsets must be multiples of 8", () => {
  const b = emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, new Uint8Array(8));
  const p = new Ipv4Packet(b);
  p.fragOffset = 1480;
  p.mf = true;
  p.df = false;
  p.reserved = true;
  p.ttl = 1;
  assert.deepEqual([p.fragOffset, p.mf, p.df, p.reserved, p.ttl], [1480, true, false, true, 1]);
  assert.equal(p.checksumValid(), false);
  p.fillChecksum();
  assert.ok(ipv4ChecksumValid(b));
  assert.throws(() => (p.fragOffset = 100), RangeError);
  assert.throws(() => emitIpv4({ src: "1.1.1.1", dst: "1.1.1.1", proto: 1, fragOffset: 12 }), RangeError);
  assert.throws(
    () => emitIpv4({ src: "1.1.1.1", dst: "1.1.1.1", proto: 1, options: new Uint8Array(41) }),
    RangeError,
  );
});

Deno.test("parseIpv4() rejects impossible lengths with stable codes", () => {
  const good = emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, new Uint8Array(8));
  assert.throws(() => parseIpv4(good.subarray(0, 19)), wireCode("WIRE_SHORT"));
  const v6 = good.slice();
  v6[0] = 0x65;
  assert.throws(() => parseIpv4(v6), wireCode("WIRE_BAD_VERSION"));
  const ihl = good.slice();
  ihl[0] = 0x44;
  assert.throws(() => parseIpv4(ihl), wireCode("WIRE_BAD_LENGTH"));
  const tl = good.slice();
  tl[3] = 19;
  assert.throws(() => parseIpv4(tl), wireCode("WIRE_BAD_LENGTH"));
  assert.throws(() => parseIpv4(good.subarray(0, 27)), wireCode("WIRE_TRUNCATED"));
  const big = good.slice();
  big[0] = 0x4f; // 60-byte header, total length 28: impossible, whatever was captured
  assert.throws(() => parseIpv4(big), wireCode("WIRE_BAD_LENGTH"));
  assert.throws(() => ipv4HeaderLen(new Uint8Array(0)), wireCode("WIRE_SHORT"));
  assert.throws(() => parseIpv4Options(new Uint8Array([7])), wireCode("WIRE_BAD_OPTION"));
  assert.throws(() => parseIpv4Options(new Uint8Array([7, 1, 0, 0])), wireCode("WIRE_BAD_OPTION"));
});

Deno.test("payload() stops at the total length: Ethernet padding is not payload", () => {
  const b = new Uint8Array(46);
  b.set(emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, new Uint8Array(8)));
  assert.equal(new Ipv4Packet(b).payload().length, 8);
});

Deno.test("emitIpv4() computes the checksum unless given; formatIpv4(); names", () => {
  const b = layerBytes("tcp_syn", "ipv4");
  const h = parseIpv4(b);
  assert.deepEqual(emitIpv4({ ...h, checksum: undefined }, b.subarray(20)), b);
  assert.equal(formatIpv4(h), "127.0.0.1 > 127.0.0.1: proto 6, ttl 64, id 0, length 60, flags [DF]");
  assert.equal(ipProtocolName(6), "TCP");
  assert.equal(ipProtocolName(253), "unknown(0xfd)");
});
