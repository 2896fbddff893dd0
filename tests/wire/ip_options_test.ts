/**
 * IP header details under `-v`, compared with tcpdump 4.99 reading the same file: the ECN codepoint after
 * IPv4's TOS, IPv4 options (traceroute, bad lengths, a length byte past the options, source routes whose
 * last hop the transport checksum covers), and IPv6 hop-by-hop and destination options (their errors,
 * which tcpdump prints even without `-v`, and a hop-by-hop header out of place), in seeded random packets
 * cut at random lengths.
 */
import assert from "node:assert/strict";
import { internetChecksum } from "../../lib/wire/checksum.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";

const ETH4 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
const ETH6 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd];
const SRC6 = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const DST6 = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

/** Random transport bytes: a TCP header of 20 bytes, a UDP length that fits. */
function transport(r: Rng, proto: number): Uint8Array {
  const b = r.bytes(Math.max(r.int(40), proto === 6 ? 20 : 8));
  if (proto === 6) b[12] = 0x50;
  if (proto === 17) b[4] = 0, b[5] = b.length;
  return b;
}

function ipv4(r: Rng, tos: number, options: number[], proto: number): Uint8Array {
  const hl = 20 + options.length;
  const body = transport(r, proto);
  const ip = new Uint8Array(hl + body.length);
  ip[0] = 0x40 | (hl / 4), ip[1] = tos, ip[2] = ip.length >> 8, ip[3] = ip.length & 0xff;
  ip[4] = r.int(256), ip[6] = r.pick([0, 0x40, 0x20]), ip[8] = 1 + r.int(255), ip[9] = proto;
  ip.set([10, 0, 0, 1], 12), ip.set([10, 0, 0, 2], 16), ip.set(options, 20);
  const c = internetChecksum(ip.subarray(0, hl));
  ip[10] = c >> 8, ip[11] = c & 0xff;
  ip.set(body, hl);
  return new Uint8Array([...ETH4, ...ip]);
}

/** Random IPv4 options: the named kinds with plausible lengths, now and then a wrong one. */
function ipv4Options(r: Rng): number[] {
  const opts: number[] = [];
  const want = 4 * r.int(11);
  while (opts.length < want) {
    const kind = r.pick([0, 1, 7, 68, 130, 131, 137, 148, 133, 136, 25, 82, 99]);
    if (kind <= 1) {
      opts.push(kind);
      continue;
    }
    const route = kind === 7 || kind === 131 || kind === 137;
    let len = kind === 148 ? 4 : route ? 3 + 4 * r.int(4) : kind === 68 ? 4 + 4 * r.int(4) : 2 + r.int(10);
    if (r.int(6) === 0) len = r.int(12);
    const value = [...r.bytes(Math.max(0, len - 2))];
    if (route) value[0] = 4 + 4 * r.int(3);
    if (kind === 68) value[0] = 5 + 4 * r.int(2), value[1] = r.pick([0, 1, 3, 0x11]);
    opts.push(kind, len, ...value);
  }
  return opts.slice(0, want);
}

/** An IPv6 packet with random hop-by-hop, destination, routing and fragment headers in random order. */
function ipv6(r: Rng, proto: number): Uint8Array {
  const types = Array.from({ length: r.int(4) }, () => r.pick([0, 43, 44, 60]));
  const parts: Uint8Array[] = [];
  types.forEach((type, e) => {
    const next = e + 1 < types.length ? types[e + 1] : proto;
    let h: Uint8Array;
    if (type === 44) {
      h = r.bytes(8);
      h[0] = next, h[1] = 0;
      if (r.bool()) h[2] = 0, h[3] = r.pick([0, 1, 8]);
    } else {
      const routing = type === 43 ? r.pick([0, 2, 4, 3]) : -1;
      // A segment routing header with no segment sends tcpdump's checksum past its end: left out.
      const len8 = routing === 4 ? 2 : r.int(3);
      h = r.bytes(8 * (len8 + 1));
      h[0] = next, h[1] = len8;
      if (routing >= 0) h[2] = routing, h[3] = r.int(4);
      else {
        // Options: pad1, padn, router alert, jumbo, unknown ones, with right and wrong lengths.
        let at = 2;
        while (at < h.length) {
          const t = r.pick([0, 1, 5, 0xc2, 4, 0x3e, 99]);
          const l = Math.min(
            t === 5 && r.bool() ? 2 : t === 0xc2 && r.bool() ? 4 : r.int(6),
            h.length - at - 2,
          );
          if (t === 0 || l < 0) {
            h[at++] = 0;
            continue;
          }
          h[at] = t, h[at + 1] = l;
          at += 2 + l;
        }
      }
    }
    parts.push(h);
  });
  const body = transport(r, proto);
  const extLen = parts.reduce((n, x) => n + x.length, 0);
  const ip = new Uint8Array(40 + extLen + body.length);
  const pl = extLen + body.length;
  ip[0] = 0x60, ip[4] = pl >> 8, ip[5] = pl & 0xff, ip[6] = types.length ? types[0] : proto, ip[7] = 64;
  ip.set(SRC6, 8), ip.set(DST6, 24);
  let at = 40;
  for (const x of parts) ip.set(x, at), at += x.length;
  ip.set(body, at);
  return new Uint8Array([...ETH6, ...ip]);
}

Deno.test("ip -v: IPv4's TOS names its ECN codepoint, as tcpdump", async () => {
  const r = new Rng(1);
  const frames: Frame[] = [0x00, 0x01, 0x02, 0x03, 0xb8, 0xb9, 0xba, 0xbb].map((tos) => ({
    data: ipv4(r, tos, [], 17),
  }));
  assert.equal(await compareFramesWithTcpdump(frames, [["-v"]]), 8);
});

Deno.test("ip -v: random IPv4 options and IPv6 extension headers, cut anywhere, print as tcpdump's", async () => {
  const r = new Rng(0x1b0e);
  const frames: Frame[] = [];
  for (let k = 0; k < 500; k++) {
    const proto = r.pick([6, 17, 1, 58, 2, 132, 50, 51]);
    const data = r.bool()
      ? ipv4(r, r.int(256), ipv4Options(r), proto === 58 ? 1 : proto)
      : ipv6(r, proto === 1 ? 58 : proto);
    const cut = r.int(4) === 0 ? 14 + r.int(data.length - 14) : data.length;
    frames.push({ data: data.subarray(0, cut), len: data.length });
  }
  assert.equal(await compareFramesWithTcpdump(frames, [[], ["-v"], ["-vv"]]), 1500);
});
