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
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump } from "./_pcap.ts";
import { hex } from "../_bytes.ts";

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

/** Ethernet + IPv4 (these options) + a UDP, TCP or IGMP header, or a later fragment. */
function withOptions(options: Uint8Array, proto = 17, fragOffset = 0): Uint8Array {
  const l4 = proto === 17
    ? hex("0001 0002 0008 0000")
    : proto === 6
    ? new Uint8Array(20)
    : hex("1600 0000 ef010101");
  return emitEthernet(
    { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02", ethertype: 0x0800 },
    emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto, options, fragOffset, ttl: 1 }, l4),
  );
}

const OPTION_FRAMES = [
  withOptions(hex("94040000"), 2), // router alert
  withOptions(hex("94040005"), 2), // with a value
  withOptions(hex("9402 0000"), 2), // RA shorter than 4
  withOptions(hex("01 070b04 01010101 02020202")), // NOP, RR with one hop recorded
  withOptions(hex("830b08 01010101 02020202 00")), // LSRR, pointer past both
  withOptions(hex("890a05 01010101 020202 00 00")), // SSRR of a bad length
  withOptions(hex("070702 01010101")), // RR with a bad pointer
  withOptions(hex("44100500 00000001 00000002 00000003"), 6), // timestamps only
  withOptions(hex("44 0c 0d 01 01010101 00000001"), 6), // TS+ADDR
  withOptions(hex("8208 0000 0000 0000")), // security
  withOptions(hex("9e04 aabb")), // unknown
  withOptions(hex("00 000000")), // EOL
  withOptions(hex("0101 0101")), // NOPs
  withOptions(hex("0701 0000")), // a length under 2
  withOptions(hex("07 20 04 00")), // a length past the header
  withOptions(hex("94040000"), 17, 80), // a later fragment
];

testIf(
  "IPv4 options print as tcpdump prints them, whole and cut inside the header, with -v and -x",
  needCommands("tcpdump"),
  async () => {
    const frames: { data: Uint8Array; len?: number }[] = OPTION_FRAMES.map((data) => ({ data }));
    // Cut from the fixed header's end to the options' end: the header is printed, then stops.
    for (const f of OPTION_FRAMES) {
      const hl = (f[14] & 0xf) * 4;
      for (let n = 34; n < 14 + hl; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-x"], ["-v", "-x"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);

testIf(
  "every IP protocol number is named in -v's header line as tcpdump names it",
  needCommands("tcpdump"),
  async () => {
    // Later fragments: the header line and ip-proto-N, whatever the protocol.
    const frames = Array.from({ length: 256 }, (_, proto) => ({
      data: emitEthernet(
        { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02", ethertype: 0x0800 },
        emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto, fragOffset: 800 }, new Uint8Array(8)),
      ),
    }));
    assert.equal(await compareFramesWithTcpdump(frames, [["-v"]]), 256);
  },
);
