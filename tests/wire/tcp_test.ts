import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  emitTcp,
  formatTcp,
  formatTcpOptions,
  parseTcp,
  tcpChecksum,
  tcpChecksumValid,
  TcpFlag,
  tcpFlagsText,
  tcpHeaderLen,
  tcpOptionKindName,
  TcpPacket,
  walkTcpOptions,
} from "../../lib/wire/tcp.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump } from "./_pcap.ts";

Deno.test("TcpPacket getters read a captured SYN and its options", () => {
  const t = new TcpPacket(layerBytes("tcp_syn", "tcp"));
  assert.deepEqual([t.srcPort, t.dstPort, t.seq, t.ack, t.hdrLen, t.flags, t.window], [
    53034,
    8000,
    123,
    0,
    40,
    2,
    65495,
  ]);
  const h = t.header();
  assert.equal(formatTcpOptions(h.options), "mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7");
  assert.ok(
    tcpChecksumValid(layerBytes("tcp_syn", "tcp").subarray(0, 40), { src: "127.0.0.1", dst: "127.0.0.1" }),
  );
});

Deno.test("SACK blocks, EOL, and unknown options are kept", () => {
  const s = parseTcp(layerBytes("tcp_sack", "tcp"));
  assert.deepEqual(s.options[2].blocks, [[200, 300], [400, 500]]);
  const u = parseTcp(layerBytes("tcp_unknown_opt", "tcp"));
  assert.deepEqual(u.options.map((o) => o.kind), [253, 1, 0]);
  assert.deepEqual([...u.options[0].data!], [0x12, 0x34]);
  // A known kind with the wrong length is kept raw, not dropped.
  const odd = walkTcpOptions(new Uint8Array([2, 3, 9, 1]));
  assert.deepEqual(odd.options[0], { kind: 2, data: new Uint8Array([9]) });
  assert.equal(tcpOptionKindName(2), "MSS");
});

Deno.test("malformed options stop the walk with WIRE_BAD_OPTION", () => {
  assert.equal(walkTcpOptions(new Uint8Array([2])).error?.code, "WIRE_BAD_OPTION");
  assert.equal(walkTcpOptions(new Uint8Array([8, 1, 0, 0])).error?.code, "WIRE_BAD_OPTION");
  assert.equal(walkTcpOptions(new Uint8Array([8, 10, 0, 0])).error?.code, "WIRE_BAD_OPTION");
  const b = emitTcp({ srcPort: 1, dstPort: 2, options: [{ kind: 2, mss: 1 }] });
  b[21] = 0;
  assert.throws(() => parseTcp(b), wireCode("WIRE_BAD_OPTION"));
});

Deno.test("parseTcp() rejects short buffers and impossible data offsets", () => {
  const b = emitTcp({ srcPort: 1, dstPort: 2, options: [{ kind: 4 }] });
  assert.throws(() => parseTcp(b.subarray(0, 19)), wireCode("WIRE_SHORT"));
  assert.throws(() => parseTcp(b.subarray(0, 23)), wireCode("WIRE_SHORT"));
  const low = b.slice();
  low[12] = 0x40;
  assert.throws(() => parseTcp(low), wireCode("WIRE_BAD_LENGTH"));
  assert.throws(() => tcpHeaderLen(new Uint8Array(12)), wireCode("WIRE_SHORT"));
  assert.throws(() => emitTcp({ srcPort: 1, dstPort: 2, options: Array(41).fill({ kind: 1 }) }), RangeError);
});

Deno.test("TcpPacket setters: flags keep the data offset, the reserved bits are kept", () => {
  const t = new TcpPacket(emitTcp({ srcPort: 1, dstPort: 2, options: [{ kind: 4 }] }));
  t.flags = TcpFlag.AE | TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR;
  assert.equal(t.hdrLen, 24);
  assert.equal(t.flags, 0x1c2);
  assert.equal(tcpFlagsText(t.flags), "SEWe");
  t.seq = 0xffffffff;
  t.ack = -1;
  assert.deepEqual([t.seq, t.ack], [0xffffffff, 0xffffffff]);
});

Deno.test("emitTcp() rebuilds a captured segment with its checksum; formatTcp()", () => {
  const b = layerBytes("tcp_data", "tcp");
  const h = parseTcp(b);
  const p = { src: "127.0.0.1", dst: "127.0.0.1" };
  assert.deepEqual(emitTcp({ ...h, checksum: undefined }, b.subarray(h.hdrLen), p), b);
  assert.equal(tcpChecksum(b, p), h.checksum);
  assert.equal(formatTcp(h), "53034 > 8000: Flags [P.], seq 124, ack 9001, win 512");
});

testIf(
  "the reserved bits and AE before the flags byte are not shown, as tcpdump 4.99.3 reads the flags byte alone",
  needCommands("tcpdump"),
  async () => {
    const A = { src: "10.0.0.1", dst: "10.0.0.2" };
    const frames = [0x50, 0x51, 0x5e, 0x5f].map((offsetByte) => {
      const seg = emitTcp(
        { srcPort: 1, dstPort: 2, flags: 0x18, seq: 5, ack: 9, window: 100 },
        new Uint8Array(0),
        A,
      );
      seg[12] = offsetByte;
      return {
        data: emitEthernet(
          { src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02", ethertype: 0x0800 },
          emitIpv4({ ...A, proto: 6 }, seg),
        ),
      };
    });
    assert.equal(await compareFramesWithTcpdump(frames, [[], ["-S"], ["-v"]]), 12);
  },
);
