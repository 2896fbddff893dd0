/**
 * IPsec and IP compression as tcpdump 4.99 prints them: the authentication header (RFC 4302) over IPv4 (an
 * `ah` layer, then the protected protocol) and IPv6 (an extension header), ESP (RFC 4303) without keys and
 * IPComp (RFC 3173): hand-built packets whole and cut at every length, at each verbosity and with `-x`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitTcp } from "../../lib/wire/tcp.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, tsharkFields } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const A = { src: "10.0.0.1", dst: "10.0.0.2" }, A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const MAC = { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
const v4 = (proto: number, payload: Uint8Array) =>
  emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto }, payload));
const v6 = (proto: number, payload: Uint8Array) =>
  emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...A6, proto }, payload));
/** An authentication header: next header, reserved, SPI, sequence, a 12-byte ICV (or `icv`). */
const ah = (next: number, reserved = 0, icv = hex("0102030405060708090a0b0c")) =>
  cat(
    new Uint8Array([next, (12 + icv.length) / 4 - 2, reserved >> 8, reserved & 255]),
    hex("00000100 00000003"),
    icv,
  );

const TCP = emitTcp({ srcPort: 1000, dstPort: 80, seq: 1, flags: 0x02, window: 512 });
const UDP = emitUdp({ srcPort: 1000, dstPort: 53 }, new Uint8Array(4));
const PACKETS = [
  v4(51, cat(ah(6), TCP)),
  v4(51, cat(ah(17, 0x1234), UDP)),
  v4(51, cat(ah(1, 0, new Uint8Array(0)), emitIcmpv4({ type: 8, id: 1, seq: 2 }))),
  v4(51, cat(ah(50), hex("00001000 00000005 00"))), // AH, then ESP
  v4(51, cat(ah(99), hex("00112233"))), // a protocol tcpdump does not decode
  v6(51, cat(ah(17), UDP)),
  v4(50, hex("00001000 00000005 0011223344556677")),
  v4(108, cat(hex("0600 0001"), new Uint8Array(20))),
  v6(108, cat(hex("1100 abcd"), new Uint8Array(8))),
];

Deno.test("decoder: IPv4's authentication header is an ah layer, then the protected protocol; JSON names it", () => {
  const r = new PacketDecoder().decode(PACKETS[0], 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "ipv4", "ah", "tcp"]);
  const rec = jsonRecord(r, { n: 1, ts: 0, len: PACKETS[0].length, caplen: PACKETS[0].length });
  assert.deepEqual(rec.layers[2], { layer: "ah", spi: 0x100, seq: 3, nextHeader: 6 });
  assert.equal(
    summarize(r),
    "IP 10.0.0.1 > 10.0.0.2: AH(spi=0x00000100,seq=0x3,icv=0x0102030405060708090a0b0c): 1000 > 80: " +
      "Flags [S], seq 1, win 512, length 0",
  );
  // Cut inside the header: no ah layer, and the text stops where tcpdump's reads do.
  const cut = new PacketDecoder().decode(PACKETS[0].subarray(0, 34 + 10), 1);
  assert.deepEqual(cut.layers.map((l) => l.layer), ["eth", "ipv4"]);
  assert.match(summarize(cut, { wireLen: PACKETS[0].length }), /AH\(spi=0x00000100, \[\|ah\]$/);
});

testIf(
  "AH, ESP and IPComp print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = PACKETS.map((data) => ({ data }));
    for (const f of PACKETS) {
      const ipEnd = f[12] === 0x08 ? 34 : 54;
      for (let n = ipEnd; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-x"], ["-v", "-x"], ["-q"], ["-e"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);

testIf(
  "the ah layer's fields agree with tshark's dissection",
  needCommands("tshark"),
  async () => {
    const frames = PACKETS.filter((p) => p[12] === 0x08 && p[14 + 9] === 51);
    const rows = await tsharkFields(frames.map((data) => ({ data })), ["ah.spi", "ah.sequence", "ip.proto"]);
    const d = new PacketDecoder();
    frames.forEach((f, k) => {
      const rec = jsonRecord(d.decode(f, 1), { n: 1, ts: 0, len: f.length, caplen: f.length });
      const ah = rec.layers.find((l) => l.layer === "ah");
      assert.ok(ah);
      assert.equal(Number(rows[k][0][0]), ah.spi);
      assert.equal(Number(rows[k][1][0]), ah.seq);
    });
  },
);
