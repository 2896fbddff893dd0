/**
 * Round trips for every codec: `parse(emit(h))` equals `h` for seeded random headers, and
 * `emit(parse(b))` equals `b` for every layer of every fixture packet.
 */
import assert from "node:assert/strict";
import { Rng } from "./_rand.ts";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { emitEthernet, parseEthernet } from "../../lib/wire/ethernet.ts";
import { emitVlan, parseVlan } from "../../lib/wire/vlan.ts";
import { emitSll, parseSll } from "../../lib/wire/sll.ts";
import { emitSll2, parseSll2 } from "../../lib/wire/sll2.ts";
import { emitArp, parseArp } from "../../lib/wire/arp.ts";
import { emitIpv4, parseIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6, type Ipv6ExtInit, parseIpv6 } from "../../lib/wire/ipv6.ts";
import { emitIcmpv4, parseIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitIcmpv6, parseIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { emitTcp, parseTcp, type TcpOption, tcpOptionsLen } from "../../lib/wire/tcp.ts";
import { emitUdp, parseUdp } from "../../lib/wire/udp.ts";
import { emitDns, parseDns } from "../../lib/wire/dns.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";

const N = 300;

Deno.test("parseEthernet(emitEthernet(h)) equals h for random headers", () => {
  const r = new Rng(1);
  for (let i = 0; i < N; i++) {
    const h = { dst: r.bytes(6), src: r.bytes(6), ethertype: r.int(0x10000) };
    assert.deepEqual(parseEthernet(emitEthernet(h, r.bytes(r.int(8)))), h);
  }
});

Deno.test("parseVlan(emitVlan(h)) equals h for random tags", () => {
  const r = new Rng(2);
  for (let i = 0; i < N; i++) {
    const h = { pcp: r.int(8), dei: r.bool(), id: r.int(4096), ethertype: r.int(0x10000) };
    assert.deepEqual(parseVlan(emitVlan(h)), h);
  }
});

Deno.test("parseSll/parseSll2(emit(h)) equal h for random headers", () => {
  const r = new Rng(3);
  for (let i = 0; i < N; i++) {
    const addrLen = r.int(12);
    const h = {
      packetType: r.int(5),
      arphrdType: r.int(0x10000),
      addrLen,
      addr: r.bytes(Math.min(addrLen, 8)),
      protocol: r.int(0x10000),
    };
    assert.deepEqual(parseSll(emitSll(h)), h);
    const h2 = {
      protocol: r.int(0x10000),
      ifindex: r.u32(),
      arphrdType: r.int(0x10000),
      packetType: r.int(256),
      addrLen: r.int(9),
      addr: new Uint8Array(0),
    };
    const full = { ...h2, addr: r.bytes(h2.addrLen) };
    assert.deepEqual(parseSll2(emitSll2(full)), full);
  }
});

Deno.test("parseArp(emitArp(h)) equals h for random packets of any address sizes", () => {
  const r = new Rng(4);
  for (let i = 0; i < N; i++) {
    const hlen = r.int(9), plen = r.int(17);
    const h = {
      htype: r.int(0x10000),
      ptype: r.int(0x10000),
      hlen,
      plen,
      op: r.int(0x10000),
      sha: r.bytes(hlen),
      spa: r.bytes(plen),
      tha: r.bytes(hlen),
      tpa: r.bytes(plen),
    };
    assert.deepEqual(parseArp(emitArp(h)), h);
  }
});

Deno.test("parseIpv4(emitIpv4(h)) equals h for random headers, options and checksums", () => {
  const r = new Rng(5);
  for (let i = 0; i < N; i++) {
    const options = r.bytes(4 * r.int(11));
    const payload = r.bytes(r.int(40));
    const hdrLen = 20 + options.length;
    const h = {
      hdrLen,
      tos: r.int(256),
      totalLen: hdrLen + payload.length,
      id: r.int(0x10000),
      reserved: r.bool(),
      df: r.bool(),
      mf: r.bool(),
      fragOffset: 8 * r.int(0x2000),
      ttl: r.int(256),
      proto: r.int(256),
      checksum: r.int(0x10000),
      src: r.bytes(4),
      dst: r.bytes(4),
      options,
    };
    assert.deepEqual(parseIpv4(emitIpv4(h, payload)), h);
  }
});

Deno.test("parseIpv6(emitIpv6(h)) equals h for random headers and extension chains", () => {
  const r = new Rng(6);
  const upper = [6, 17, 58, 59, 253];
  for (let i = 0; i < N; i++) {
    const exts: Ipv6ExtInit[] = [];
    const n = r.int(4);
    for (let k = 0; k < n; k++) {
      const type = r.pick([0, 43, 60, 44, 51]);
      if (type === 44) {
        exts.push({ type, fragOffset: k === n - 1 ? 8 * r.int(0x2000) : 0, mf: r.bool(), id: r.u32() });
      } else if (type === 51) exts.push({ type, data: r.bytes(10 + 4 * r.int(3)) });
      else exts.push({ type, data: r.bytes(6 + 8 * r.int(3)) });
    }
    const proto = r.pick(upper);
    const h0 = parseIpv6(
      emitIpv6({
        src: r.bytes(16),
        dst: r.bytes(16),
        proto,
        trafficClass: r.int(256),
        flowLabel: r.int(0x100000),
        hopLimit: r.int(256),
        extHeaders: exts,
      }, r.bytes(r.int(30))),
    );
    // The parsed header is a complete description: emitting it gives the same header back.
    const again = parseIpv6(
      emitIpv6({ ...h0, extHeaders: h0.extHeaders }, new Uint8Array(h0.payloadLen - (h0.hdrLen - 40))),
    );
    assert.deepEqual(again, h0);
    assert.equal(h0.proto, proto);
    assert.deepEqual(h0.extHeaders.map((e) => e.type), exts.map((e) => e.type));
  }
});

Deno.test("parseIcmpv4/parseIcmpv6(emit(h)) equal h for random headers", () => {
  const r = new Rng(7);
  for (let i = 0; i < N; i++) {
    const h = { type: r.int(256), code: r.int(256), checksum: r.int(0x10000), rest: r.u32() };
    assert.deepEqual(parseIcmpv4(emitIcmpv4(h, r.bytes(r.int(20)))), h);
    assert.deepEqual(parseIcmpv6(emitIcmpv6(h, r.bytes(r.int(20)))), h);
  }
});

function randomTcpOptions(r: Rng): TcpOption[] {
  const opts: TcpOption[] = [];
  let len = 0;
  for (let k = r.int(6); k > 0; k--) {
    const pick = r.int(8);
    let o: TcpOption, n: number;
    if (pick === 0) [o, n] = [{ kind: 1 }, 1];
    else if (pick === 1) [o, n] = [{ kind: 2, mss: r.int(0x10000) }, 4];
    else if (pick === 2) [o, n] = [{ kind: 3, shift: r.int(256) }, 3];
    else if (pick === 3) [o, n] = [{ kind: 4 }, 2];
    else if (pick === 4) [o, n] = [{ kind: 8, tsval: r.u32(), tsecr: r.u32() }, 10];
    else if (pick === 5) {
      const blocks = Array.from({ length: 1 + r.int(2) }, () => [r.u32(), r.u32()] as const);
      [o, n] = [{ kind: 5, blocks }, 2 + 8 * blocks.length];
    } else {
      const data = r.bytes(r.int(5));
      [o, n] = [{ kind: 9 + r.int(240), data }, 2 + data.length];
    }
    if (len + n > 36) break;
    opts.push(o);
    len += n;
  }
  // Pad with NOPs to a multiple of 4 so the parsed list has no trailing EOL of padding.
  while (len % 4) {
    opts.push({ kind: 1 });
    len++;
  }
  return opts;
}

Deno.test("parseTcp(emitTcp(h)) equals h for random headers and options", () => {
  const r = new Rng(8);
  for (let i = 0; i < N; i++) {
    const options = randomTcpOptions(r);
    const h = {
      srcPort: r.int(0x10000),
      dstPort: r.int(0x10000),
      seq: r.u32(),
      ack: r.u32(),
      flags: r.int(0x1000),
      window: r.int(0x10000),
      checksum: r.int(0x10000),
      urgent: r.int(0x10000),
      options,
    };
    const b = emitTcp(h, r.bytes(r.int(20)));
    const full = { ...h, hdrLen: 20 + tcpOptionsLen(options) };
    assert.deepEqual(parseTcp(b), full);
    assert.deepEqual(parseTcp(emitTcp(full, b.subarray(full.hdrLen))), full);
  }
});

Deno.test("parseUdp(emitUdp(h)) equals h for random headers", () => {
  const r = new Rng(9);
  for (let i = 0; i < N; i++) {
    const payload = r.bytes(r.int(30));
    const h = {
      srcPort: r.int(0x10000),
      dstPort: r.int(0x10000),
      length: 8 + payload.length,
      checksum: r.int(0x10000),
    };
    assert.deepEqual(parseUdp(emitUdp(h, payload)), h);
  }
});

Deno.test("parseDns(emitDns(h)) equals h for random messages", () => {
  const r = new Rng(10);
  const label = () =>
    Array.from({ length: 1 + r.int(10) }, () => "abcdefghijklmnopqrstuvwxyz0123456789-"[r.int(37)]).join("");
  const name = () => Array.from({ length: 1 + r.int(4) }, label).join(".") + ".";
  for (let i = 0; i < N; i++) {
    const question = r.int(5) === 0
      ? null
      : { name: r.int(10) === 0 ? "." : name(), qtype: r.int(0x10000), qclass: r.int(0x10000) };
    const answers = Array.from({ length: question ? r.int(3) : 0 }, () => ({
      name: name(),
      type: r.pick([1, 28, 16, 99]),
      class: 1,
      ttl: r.u32(),
      rdata: r.bytes(r.int(20)),
    }));
    const h = {
      id: r.int(0x10000),
      qr: r.bool(),
      opcode: r.int(16),
      aa: r.bool(),
      tc: r.bool(),
      rd: r.bool(),
      ra: r.bool(),
      z: r.bool(),
      ad: r.bool(),
      cd: r.bool(),
      rcode: r.int(16),
      qdcount: question ? 1 : 0,
      ancount: answers.length,
      nscount: 0,
      arcount: 0,
      question,
      answers,
    };
    assert.deepEqual(parseDns(emitDns(h)), h);
  }
});

Deno.test("emit(parse(b)) equals b for every layer of every fixture", () => {
  const d = new PacketDecoder();
  let checked = 0;
  for (const f of FIXTURES) {
    const frame = fixtureBytes(f);
    const res = d.decode(frame, f.linktype);
    res.layers.forEach((l, i) => {
      const start = res.offsets[i];
      // Each layer's bytes: from its start to the end of the enclosing packet as the frame holds it.
      const rest = frame.subarray(start);
      let out: Uint8Array | null = null;
      let want = rest;
      switch (l.layer) {
        case "eth":
          out = emitEthernet(l, rest.subarray(14));
          break;
        case "vlan":
          out = emitVlan(l, rest.subarray(4));
          break;
        case "sll":
          out = emitSll(l, rest.subarray(16));
          break;
        case "sll2":
          out = emitSll2(l, rest.subarray(20));
          break;
        case "arp":
          want = rest.subarray(0, 8 + 2 * (l.hlen + l.plen));
          out = emitArp(l);
          break;
        case "ipv4":
          want = rest.subarray(0, Math.min(l.totalLen, rest.length));
          out = emitIpv4(l, want.subarray(l.hdrLen));
          break;
        case "ipv6":
          want = rest.subarray(0, Math.min(40 + l.payloadLen, rest.length));
          out = emitIpv6(l, want.subarray(l.hdrLen));
          break;
        case "icmp":
          want = rest.subarray(0, 8 + l.body.length);
          out = emitIcmpv4(l, l.body);
          break;
        case "icmpv6":
          want = rest.subarray(0, 8 + l.body.length);
          out = emitIcmpv6(l, l.body);
          break;
        case "tcp":
          want = rest.subarray(0, Math.min(l.hdrLen + l.payloadLen, rest.length));
          out = emitTcp(l, want.subarray(l.hdrLen));
          break;
        case "udp":
          want = rest.subarray(0, Math.min(l.length, rest.length));
          out = emitUdp(l, want.subarray(8));
          break;
      }
      if (out && res.quotedAt < 0) {
        assert.deepEqual(out, want, `${f.name}: layer ${i} (${l.layer})`);
        checked++;
      }
    });
  }
  assert.ok(checked > 100, `only ${checked} layers checked`);
});
