/**
 * The UDP printers tcpdump 4.99 picks by port that came late to netkit (AFS's RX on 7000-7009, timed on 525,
 * vat on 3456) and the media printers of `-T rtp`, `-T rtcp` and `-T vat`: seeded random datagrams of each,
 * whole and cut by the capture, compared with tcpdump line for line, plain and with -v, -vv and -vvv.
 *
 * Not compared: the first data packet of an AFS call to a service port (tcpdump decodes the AFS call inside;
 * netkit prints its RX header only, see `_rx.ts`).
 */
import assert from "node:assert/strict";
import { needCommands, testIf } from "../_helpers.ts";
import { rxText } from "../../lib/wire/_rx.ts";
import { timedText } from "../../lib/wire/_timed.ts";
import { rtcpText, rtpText, vatText } from "../../lib/wire/_rtp.ts";
import { bcmLiText } from "../../lib/wire/_bcm_li.ts";
import { autoRpText } from "../../lib/wire/_autorp.ts";
import { vqpText } from "../../lib/wire/_vqp.ts";
import { wbText } from "../../lib/wire/_wb.ts";
import { aodvText } from "../../lib/wire/_aodv.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { udp4, udp6 } from "./_udp.ts";

const TCPDUMP = needCommands("tcpdump");
const VERBOSITY = [[], ["-v"], ["-vv"], ["-vvv"]];
const be32 = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** Each frame, and a copy cut at a random point past the UDP header one time in five. */
function withCuts(r: Rng, frames: Uint8Array[]): Frame[] {
  return frames.map((f) => {
    const cut = r.int(5) === 0 ? 42 + r.int(f.length - 41) : f.length;
    return { data: f.subarray(0, cut), len: f.length };
  });
}

/** A datagram between an ephemeral port and `port`, either way, over IPv4 or IPv6. */
function datagram(r: Rng, port: number, payload: number[]): Uint8Array {
  const p = new Uint8Array(payload);
  return r.bool() ? udp4(40000 + r.int(2), port, p) : udp6(port, 40001, p);
}

Deno.test("rxText: the header's type and fields, an ack's ranges, the short packet", () => {
  const ack = new Uint8Array(28 + 18 + 6 + 3);
  ack[20] = 2;
  ack.set(be32(10), 28 + 4);
  ack[28 + 16] = 1;
  ack[28 + 17] = 6;
  ack.set([1, 1, 1, 0, 1, 0], 46);
  assert.equal(
    rxText(ack, ack.length, 0).text,
    " rx ack first 10 serial 0 reason ack requested acked 10-12,14 nacked 13,15 (55)",
  );
  assert.equal(
    rxText(ack.subarray(0, 50), ack.length, 0).text,
    " rx ack first 10 serial 0 reason ack requested [|ack] (55)",
  );
  assert.equal(rxText(ack.subarray(0, 27), 27, 1).text, " [|rx] (27)");
  const data = new Uint8Array(40);
  data.set([0, 0, 0, 2], 12);
  data[20] = 1;
  data[21] = 0x21;
  assert.equal(
    rxText(data, 40, 2).text,
    " rx data cid 00000000 call# 0 seq 2 ser 0 <client-init>,<jumbogram> (40)",
  );
});

Deno.test("timedText, vatText, rtpText, rtcpText: tcpdump's text for a few hand-made packets", () => {
  const settime = new Uint8Array(20);
  settime.set([5, 1, 0, 9, ...be32(-2 >>> 0), ...be32(250000), 0x68, 0x6f, 0x73, 0x74, 0]);
  assert.equal(timedText(settime).text, "TSP_SETTIME vers 1 seq 9 time -1.750000 name host");
  assert.equal(vatText(new Uint8Array([0x68, 0x65]), 12).text, "udp/vt 12 101 / 26");
  assert.equal(vatText(new Uint8Array(4), 4).text, "udp/vat, length 4 < 8");
  const rtp = new Uint8Array([0x90, 0x9f, 0, 7, 0, 0, 0, 9, 0, 0, 0, 3, 0xbe, 0xde, 0, 0, 0x12, 0x34, 0, 0]);
  assert.equal(rtpText(rtp, rtp.length, false).text, "udp/rtp 8 c31 +* 7 9");
  assert.equal(rtpText(rtp, rtp.length, true).text, "udp/rtp 8 c31 +* 7 9 3 0x1234");
  const sr = new Uint8Array([
    0x81,
    200,
    0,
    12,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    2,
    0x80,
    0,
    0,
    0,
    0,
    0,
    0,
    3,
    0,
    0,
    0,
    4,
  ]);
  const block = [0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0x20, 0, 0, 1, 0, 0];
  const compound = new Uint8Array([...sr, 0, 0, 0, 5, ...block, 0x80, 203, 0, 1, 0, 0, 0, 1]);
  assert.equal(rtcpText(compound, false).text, " sr @2.50 3 4p 5b 6l 7s 8j @0.12+1.00 bye 8");
  assert.equal(rtcpText(compound.subarray(0, 30), false).text, " sr @2.50 3 4p 5b [|rtcp]");
});

testIf("RX on ports 7000-7009 prints as tcpdump prints it", TCPDUMP, async () => {
  const r = new Rng(7000);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 300; k++) {
    const port = 7000 + r.int(10);
    const type = r.pick([1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 0, 200]);
    let flags = r.int(64);
    const seq = r.pick([0, 2, 3, r.int(1 << 30)]);
    // The first data packet of a call (seq 1, client-init) carries an AFS call netkit does not decode.
    if (type === 1 && seq === 1) flags &= ~1;
    const pl = [...r.bytes(12), ...be32(seq), ...r.bytes(4), type, flags, r.int(256), r.int(4), 0, 0];
    pl.push(r.int(256), r.int(256));
    if (type === 2 || r.int(3) === 0) {
      const nAcks = r.pick([0, 1, 3, 10, 255, r.int(256)]);
      pl.push(...r.bytes(16), r.int(12), nAcks);
      pl.push(...Array.from({ length: nAcks }, () => r.int(5) === 0 ? 2 : r.int(2)), 0, 0, 0);
      pl.push(...r.bytes(r.int(20)));
    } else pl.push(...r.bytes(r.int(40)));
    frames.push(datagram(r, port, r.int(10) === 0 ? pl.slice(0, r.int(28)) : pl));
  }
  // Text to an RX port (a service on port 7000 that is not AFS).
  frames.push(udp4(40000, 7000, new TextEncoder().encode("hello world\n")));
  assert.equal(await compareFramesWithTcpdump(withCuts(r, frames), VERBOSITY), 301 * 4);
});

testIf("timed (525) and vat (3456) print as tcpdump prints them", TCPDUMP, async () => {
  const r = new Rng(525);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 200; k++) {
    const pl = [r.pick([0, 1, 2, 5, 22, 23, 24, 3, 25, 200]), r.int(256), r.int(256), r.int(256)];
    const sec = r.pick([0, -1, -5, 1, 1000, -2147483648, r.int(1 << 30) - (1 << 29)]);
    const usec = r.pick([0, 1, 999999, 1000000, 1500000, -1, r.int(1000000)]);
    pl.push(...be32(sec >>> 0), ...be32(usec >>> 0));
    pl.push(...Array.from({ length: r.int(20) }, () => r.pick([0x61, 0x62, 0x2e, 0x01, 0xc3, 0x7f])));
    if (r.int(3)) pl.push(0);
    pl.push(...r.bytes(r.int(300)));
    frames.push(datagram(r, 525, pl.slice(0, r.int(8) === 0 ? r.int(pl.length) : pl.length)));
  }
  for (let k = 0; k < 100; k++) {
    const pl = [...r.bytes(r.int(16))];
    if (pl.length >= 2 && r.bool()) {
      pl[0] &= 0x0f;
      pl[1] &= 0x9f;
    }
    // vat is picked by the destination port only.
    frames.push(udp4(40000, 3456, new Uint8Array(pl)));
  }
  frames.push(udp4(3456, 40000, new Uint8Array(8)));
  assert.equal(await compareFramesWithTcpdump(withCuts(r, frames), VERBOSITY.slice(0, 2)), 301 * 2);
});

testIf("-T rtp, -T rtcp and -T vat print as tcpdump -T prints them", TCPDUMP, async () => {
  const r = new Rng(5004);
  const rtp: Uint8Array[] = [], rtcp: Uint8Array[] = [];
  for (let k = 0; k < 200; k++) {
    const pl = [...r.bytes(r.int(60))];
    if (pl.length) pl[0] = r.pick([0x80, 0x90, 0x40, 0xc0, r.int(256)]);
    if (pl.length > 1 && r.bool()) pl[1] = r.pick([0, 0x80, 0x1f, 0x9f, 0x08, 0x80 | r.int(128)]);
    if (pl.length > 12 && r.bool()) pl.splice(12, 2, r.int(2) ? 0 : 0x80, r.int(4));
    if (pl.length > 14 && r.bool()) pl.splice(14, 2, 0, r.int(6));
    rtp.push(datagram(r, 5004, pl));
  }
  for (let k = 0; k < 200; k++) {
    const pl: number[] = [];
    for (let j = 1 + r.int(3); j > 0; j--) {
      const pt = r.pick([200, 201, 202, 203, 204, 205]), cnt = r.pick([0, 1, 2, 3, r.int(32)]);
      const body = [...r.bytes(4)];
      if (pt === 200) body.push(...r.bytes(20));
      if (pt === 200 || pt === 201) {
        for (let c = 0; c < Math.min(cnt, 4); c++) {
          body.push(...r.bytes(16), 0, r.int(4), r.pick([0, 0x20, 0x80]), 0, ...r.bytes(4));
        }
      }
      if (pt === 202 || pt === 203) body.push(...r.bytes(r.int(5) * 4));
      const words = body.length / 4 + (r.int(4) === 0 ? r.int(3) - 1 : 0);
      pl.push(0x80 | cnt, pt, (words >> 8) & 255, words & 255, ...body);
    }
    rtcp.push(datagram(r, 5005, pl));
  }
  const v = [[], ["-v"]];
  let n = 0;
  n += await compareFramesWithTcpdump(withCuts(r, rtp), v.map((f) => [...f, "-T", "rtp"]));
  n += await compareFramesWithTcpdump(withCuts(r, rtcp), v.map((f) => [...f, "-T", "rtcp"]));
  n += await compareFramesWithTcpdump(withCuts(r, rtp), v.map((f) => [...f, "-T", "vat"]));
  assert.equal(n, 200 * 2 * 3);
});

testIf(
  "Broadcom's LI shim (from port 49152) and the packet it carries print as tcpdump prints them",
  TCPDUMP,
  async () => {
    const r = new Rng(49152);
    const frames: Uint8Array[] = [];
    const ip4 = udp4(1, 2, new TextEncoder().encode("abc")).subarray(14);
    const ip6 = udp6(1, 2, new TextEncoder().encode("abc")).subarray(14);
    const ether = udp4(3, 4, new Uint8Array(10));
    for (let k = 0; k < 150; k++) {
      const type = r.pick([0, 4, 5, 6, 7, 8, 15]);
      const shim = ((r.int(8) << 29) | (type << 25) | (r.int(8) << 22) | r.int(1 << 22)) >>> 0;
      const inner = r.pick([[...ip4], [...ip6], [...ether], [...r.bytes(r.int(30))]]);
      const pl = [...be32(shim), ...inner];
      // BFD's control port, where a session's source port is often 49152, and others.
      frames.push(
        udp4(
          49152,
          r.pick([3784, 514, 1812, 40000]),
          new Uint8Array(pl.slice(0, r.int(6) ? pl.length : r.int(6))),
        ),
      );
    }
    // A BFD control packet from 49152: its first word read as a shim.
    frames.push(
      udp4(49152, 3784, new Uint8Array([0x20, 0xc0, 0x03, 0x18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0])),
    );
    const flags = [[], ["-v"], ["-vv"], ["-e"], ["-v", "-e"]];
    assert.equal(await compareFramesWithTcpdump(withCuts(r, frames), flags), 151 * flags.length);
  },
);

testIf("Cisco auto-RP (496) and VQP (1589) print as tcpdump prints them", TCPDUMP, async () => {
  const r = new Rng(496);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 200; k++) {
    const pl = [r.pick([0x11, 0x12, 0x13, 0]), r.int(4), r.int(2) ? 0 : r.int(256), r.int(256), 0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      pl.push(...r.bytes(4), r.int(4) === 0 ? r.int(256) : r.int(4));
      const n = r.int(4);
      pl.push(n);
      for (let e = 0; e < n; e++) pl.push(r.int(4) === 0 ? r.int(256) : r.int(4), r.int(33), ...r.bytes(4));
    }
    frames.push(datagram(r, 496, pl.slice(0, r.int(3) ? pl.length : r.int(pl.length))));
  }
  for (let k = 0; k < 200; k++) {
    const pl = [r.int(8) ? 1 : r.int(3), r.int(6), r.pick([0, 3, 4, 5, 9]), r.int(6), ...r.bytes(4)];
    for (let j = 0; j < 5; j++) {
      const t = r.pick([0x0c01, 0x0c02, 0x0c03, 0x0c04, 0x0c05, 0x0c06, 0x0c08, 0x0c07, 0, 0x12345678]);
      const len = r.pick([0, 4, 6, r.int(12)]);
      pl.push(
        ...be32(t),
        0,
        len,
        ...Array.from({ length: len }, () => r.pick([0x41, 0x42, 0, 1, 0xc1, r.int(256)])),
      );
    }
    frames.push(datagram(r, 1589, pl.slice(0, r.int(3) ? pl.length : r.int(pl.length))));
  }
  assert.equal(await compareFramesWithTcpdump(withCuts(r, frames), VERBOSITY), 400 * 4);
});

testIf("the whiteboard (to 4567, and -T wb) prints as tcpdump prints it", TCPDUMP, async () => {
  const r = new Rng(4567);
  const frames: Uint8Array[] = [];
  const small = () => r.int(3) === 0 ? r.int(256) : r.int(4);
  for (let k = 0; k < 300; k++) {
    const pl = [...r.bytes(10), r.pick([0, 1, 2, 3, 4, 5, 6, 7, 9]), r.int(3) ? 0 : r.int(256)];
    if (pl[10] === 1) {
      pl.push(...r.bytes(24), 0, r.int(4), 0, 0);
      for (let j = 0; j < 4; j++) pl.push(...r.bytes(8));
      pl.push(0x61, 0x62, r.int(2) ? 0 : 0xc3, 0x63);
    } else if (pl[10] === 7) {
      pl.push(0, 0, 0, r.int(4));
      for (let j = 0; j < 4; j++) {
        pl.push(...r.bytes(12), r.int(3), 0, 0, 0);
        for (let e = 0; e < 3; e++) pl.push(...r.bytes(8));
      }
    } else {
      // Drawing operations from ss to es, SKIP and HOLE ones with their own sequence numbers.
      const ss = small(), es = ss + r.int(5) - 1;
      pl.push(...r.bytes(8), ...be32(ss), ...be32(es >>> 0));
      for (let j = 0; j < 6; j++) {
        pl.push(...be32((ss + r.int(4) - 1) >>> 0), 0, r.int(6), 0, r.pick([2, 3, 9, 14, 15, 99]));
        pl.push(...r.bytes(r.int(6)));
      }
    }
    frames.push(udp4(40000, 4567, new Uint8Array(pl.slice(0, r.int(3) ? pl.length : r.int(pl.length)))));
  }
  const cut = withCuts(r, frames);
  let n = await compareFramesWithTcpdump(cut, VERBOSITY);
  n += await compareFramesWithTcpdump(cut.slice(0, 50), [["-T", "wb"], ["-v", "-T", "wb"]]);
  assert.equal(n, 300 * 4 + 100);
});

testIf("AODV (654, and -T aodv) prints as tcpdump prints it, over IPv4 and IPv6", TCPDUMP, async () => {
  const r = new Rng(654);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 300; k++) {
    const pl = [r.pick([1, 2, 3, 4, 16, 17, 18, 19, 0, 99, 0x81]), r.int(256), r.int(256)];
    pl.push(r.pick([0, 1, 2, 5, r.int(256)]), ...r.bytes(44));
    // An extension after the fixed part: HELLO (good and bad lengths) or another.
    if (r.bool()) pl.push(r.pick([1, 1, 2]), r.pick([0, 3, 4, 6]), ...r.bytes(4));
    pl.push(...r.bytes(r.int(30)));
    frames.push(datagram(r, 654, pl.slice(0, r.int(3) ? pl.length : r.int(pl.length))));
  }
  const cut = withCuts(r, frames);
  let n = await compareFramesWithTcpdump(cut, VERBOSITY.slice(0, 2));
  n += await compareFramesWithTcpdump(cut.slice(0, 50), [["-T", "aodv"]]);
  assert.equal(n, 300 * 2 + 50);
});

Deno.test("these printers never throw: random bytes, lengths above and below what was captured", () => {
  const r = new Rng(0xbad);
  for (let k = 0; k < 4000; k++) {
    const p = r.bytes(r.int(80));
    if (p.length > 10 && r.bool()) p[10] = r.int(8); // wb's types
    if (p.length > 20 && r.bool()) p[20] = r.int(3); // RX's data and ack
    if (p.length && r.bool()) p[0] = r.pick([1, 2, 3, 16, 17, 18, 0x11, 0x12]);
    const len = r.bool() ? p.length : r.int(p.length + 16);
    for (const v of [0, 1, 2, 3]) {
      const all = [
        rxText(p, len, v),
        timedText(p),
        vatText(p, len),
        rtpText(p, len, v > 0),
        rtcpText(p, v > 0),
        bcmLiText(p, len, v > 0),
        autoRpText(p, len),
        vqpText(p, len, v),
        wbText(p, len, v > 0),
        aodvText(p, len, v > 1),
      ];
      for (const t of all) assert.equal(typeof t.text, "string");
    }
  }
});
