import assert from "node:assert/strict";
import {
  combine,
  fold,
  internetChecksum,
  pseudoHeaderV4,
  pseudoHeaderV6,
  sum,
} from "../../lib/wire/checksum.ts";
import { emitUdp, parseUdp, udpChecksum, udpChecksumValid } from "../../lib/wire/udp.ts";
import { emitTcp, tcpChecksumValid } from "../../lib/wire/tcp.ts";
import { parseIpv4Address, parseIpv6Address } from "../../lib/wire/address.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";

Deno.test("internetChecksum() matches the RFC 1071 section 3 example", () => {
  const b = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(fold(sum(b)), 0xddf2);
  assert.equal(internetChecksum(b), 0x220d);
});

Deno.test("sum() pads an odd trailing byte as the high byte of a word (RFC 1071 4.1)", () => {
  assert.equal(sum(new Uint8Array([0xab])), 0xab00);
  assert.equal(internetChecksum(new Uint8Array([0x12, 0x34, 0x56])), ~(0x1234 + 0x5600) & 0xffff);
});

Deno.test("fold() carries the end-around carry until 16 bits remain", () => {
  assert.equal(fold(0xffff + 0xffff), 0xffff); // 0x1fffe -> 0xfffe + 1
  assert.equal(fold(0x2fffd), 0xffff);
  assert.equal(fold(0xffff * 70000), fold(fold(0xffff * 35000) * 2));
});

Deno.test("sum() stays exact over buffers whose word total exceeds 32 bits", () => {
  const big = new Uint8Array(1 << 20).fill(0xff);
  assert.equal(fold(sum(big)), 0xffff);
  assert.equal(internetChecksum(big), 0);
});

Deno.test("combine() of two halves equals the sum of the whole at an even split", () => {
  const b = new Uint8Array(101).map((_, i) => (i * 37) & 0xff);
  assert.equal(combine(sum(b.subarray(0, 40)), sum(b.subarray(40))), fold(sum(b)));
});

Deno.test("a packet carrying its checksum sums to 0xffff", () => {
  const b = new Uint8Array([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const c = internetChecksum(b);
  b[10] = c >> 8;
  b[11] = c & 0xff;
  assert.equal(fold(sum(b)), 0xffff);
});

Deno.test("pseudo-headers need addresses of the right size", () => {
  assert.throws(() => pseudoHeaderV4(new Uint8Array(16), new Uint8Array(4), 17, 8), RangeError);
  assert.throws(() => pseudoHeaderV6(new Uint8Array(4), new Uint8Array(16), 17, 8), RangeError);
});

Deno.test("pseudoHeaderV6() carries a 32-bit upper-layer length", () => {
  const z = new Uint8Array(16);
  assert.equal(fold(pseudoHeaderV6(z, z, 17, 0x10008)), fold(1 + 8 + 17));
});

Deno.test("UDP: a checksum that computes to 0 is sent as 0xffff (RFC 768)", () => {
  // Find a payload whose checksum computes to zero: the complement of the rest's sum, in 2 bytes.
  const p = { src: "10.0.0.1", dst: "10.0.0.2" };
  const base = emitUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(2), p);
  const partial = fold(
    sum(base, pseudoHeaderV4(parseIpv4Address(p.src), parseIpv4Address(p.dst), 17, base.length)),
  );
  const fill = ~partial & 0xffff; // makes the folded sum 0xffff, so the computed checksum is 0
  const d = emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array([fill >> 8, fill & 0xff]), p);
  assert.equal(parseUdp(d).checksum, 0xffff);
  assert.equal(udpChecksum(d, p), 0xffff);
  assert.ok(udpChecksumValid(d, p));
});

Deno.test("UDP over IPv4: checksum 0 means none and is valid", () => {
  const p = { src: "10.0.0.1", dst: "10.0.0.2" };
  assert.ok(udpChecksumValid(emitUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(3), p), p));
});

Deno.test("UDP over IPv6: checksum 0 is invalid (the checksum is mandatory)", () => {
  const p = { src: parseIpv6Address("::1"), dst: parseIpv6Address("::1") };
  assert.equal(
    udpChecksumValid(emitUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(3), p), p),
    false,
  );
  assert.ok(udpChecksumValid(emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(3), p), p));
});

Deno.test("UDP and TCP over an odd length verify after emission", () => {
  const p = { src: "192.0.2.1", dst: "198.51.100.7" };
  assert.ok(udpChecksumValid(emitUdp({ srcPort: 53, dstPort: 5353 }, new Uint8Array([1, 2, 3, 4, 5]), p), p));
  assert.ok(tcpChecksumValid(emitTcp({ srcPort: 80, dstPort: 1 }, new Uint8Array([9, 8, 7]), p), p));
});

Deno.test("emit with a forced wrong checksum keeps it and verification fails", () => {
  const p = { src: "10.0.0.1", dst: "10.0.0.2" };
  const d = emitUdp({ srcPort: 1, dstPort: 2, checksum: 0x1234 }, new Uint8Array(4), p);
  assert.equal(parseUdp(d).checksum, 0x1234);
  assert.equal(udpChecksumValid(d, p), false);
  assert.equal(
    tcpChecksumValid(emitTcp({ srcPort: 1, dstPort: 2, checksum: 0xbeef }, new Uint8Array(0), p), p),
    false,
  );
});

/**
 * A frame whose checksum at `at` comes out as zero: `make(w)` builds it with a 16-bit word `w` the checksum
 * covers; with `w` equal to the checksum computed for `w = 0`, the sum becomes 0xffff and its complement 0.
 * Then the checksum is overwritten with a wrong value.
 */
function zeroSumFrame(make: (w: number) => Uint8Array, at: number): Uint8Array {
  const f0 = make(0);
  const f = make((f0[at] << 8) | f0[at + 1]);
  assert.ok(((f[at] << 8) | f[at + 1]) % 0xffff === 0);
  f[at] = 0x12;
  f[at + 1] = 0x34;
  return f;
}

testIf(
  "a wrong checksum whose right value is zero shows as 0xffff, as tcpdump's in_cksum_shouldbe does",
  needCommands("tcpdump"),
  async () => {
    const A = { src: "10.0.0.1", dst: "10.0.0.2" }, A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
    const MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
    const v4 = (proto: number, l4: Uint8Array, id = 1) =>
      emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto, id }, l4));
    const frames = [
      // TCP (its checksum), the IPv4 header (by its id), ICMP (by its id), ICMPv6 (by its data).
      zeroSumFrame(
        (w) => v4(6, emitTcp({ srcPort: 1, dstPort: 2 }, new Uint8Array([w >> 8, w & 255]), A)),
        50,
      ),
      zeroSumFrame((w) => v4(17, emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(0), A), w), 24),
      zeroSumFrame((w) => v4(1, emitIcmpv4({ type: 8, id: w, seq: 1 })), 36),
      zeroSumFrame(
        (w) =>
          emitEthernet(
            { ...MAC, ethertype: 0x86dd },
            emitIpv6({ ...A6, proto: 58 }, emitIcmpv6({ type: 128 }, new Uint8Array([w >> 8, w & 255]), A6)),
          ),
        56,
      ),
    ].map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(frames, [["-v"]]), 4);
  },
);

testIf(
  "-vv: an IPv4 UDP datagram without a checksum says [no cksum], whole or cut by the snapshot length",
  needCommands("tcpdump"),
  async () => {
    const A = { src: "10.0.0.1", dst: "10.0.0.2" };
    const f = emitEthernet(
      { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02", ethertype: 0x0800 },
      emitIpv4(
        { ...A, proto: 17 },
        emitUdp({ srcPort: 1000, dstPort: 2000, checksum: 0 }, new Uint8Array(40)),
      ),
    );
    const frames: Frame[] = [{ data: f }];
    for (let n = 34; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    const flags = [["-v"], ["-vv"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);

testIf(
  "-K: no IPv4 header, TCP or UDP checksum notes (good, bad or absent); ICMP's and ICMPv6's stay, as in tcpdump",
  needCommands("tcpdump"),
  async () => {
    const A = { src: "10.0.0.1", dst: "10.0.0.2" }, A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
    const MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
    const v4 = (proto: number, l4: Uint8Array, checksum?: number) =>
      emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto, checksum }, l4));
    const v6 = (proto: number, l4: Uint8Array) =>
      emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...A6, proto }, l4));
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    const frames = [
      v4(6, emitTcp({ srcPort: 1000, dstPort: 2000, flags: 0x18 }, data, A)),
      v4(6, emitTcp({ srcPort: 1000, dstPort: 2000, flags: 0x18, checksum: 0x1234 }, data, A)),
      v4(6, emitTcp({ srcPort: 1000, dstPort: 2000, flags: 0x02 }, new Uint8Array(0), A), 0xbeef),
      v4(17, emitUdp({ srcPort: 1000, dstPort: 2000 }, data, A)),
      v4(17, emitUdp({ srcPort: 1000, dstPort: 2000, checksum: 0x1234 }, data, A)),
      v4(17, emitUdp({ srcPort: 1000, dstPort: 2000, checksum: 0 }, data)),
      v4(1, emitIcmpv4({ type: 8, id: 1, seq: 1, checksum: 0x1234 })),
      v6(6, emitTcp({ srcPort: 1000, dstPort: 2000, flags: 0x18 }, data, A6)),
      v6(6, emitTcp({ srcPort: 1000, dstPort: 2000, flags: 0x18, checksum: 0x1234 }, data, A6)),
      v6(17, emitUdp({ srcPort: 1000, dstPort: 2000 }, data, A6)),
      v6(17, emitUdp({ srcPort: 1000, dstPort: 2000, checksum: 0x1234 }, data, A6)),
      v6(58, emitIcmpv6({ type: 128, checksum: 0x1234 }, data, A6)),
      v6(58, emitIcmpv6({ type: 128 }, data, A6)),
    ].map((data) => ({ data }));
    const flags = [["-v"], ["-v", "-K"], ["-vv", "-K"], ["-vvv", "-K", "-x"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
