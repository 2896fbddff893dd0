/**
 * A flow key for spreading packets over parallel senders while keeping each conversation in order: the same
 * number for both directions of a conversation, computed the way a NIC's receive-side scaling does by
 * default (Linux `ethtool -n IFACE rx-flow-hash`): addresses and ports for TCP, addresses only for UDP and
 * every other IP protocol (so a fragmented datagram stays with its own flow), the two MAC addresses for what
 * is not IP. Up to two VLAN tags (802.1Q, 802.1ad) are looked through. Reads the bytes only; never throws.
 *
 * @module
 */

const ETH_HLEN = 14;
const ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_VLAN = 0x8100, ETHERTYPE_QINQ = 0x88a8;
const TCP = 6;

/** FNV-1a over `n` bytes of `p` from `at`, continued from `h`. */
function fnv(p: Uint8Array, at: number, n: number, h = 0x811c9dc5): number {
  for (let i = 0; i < n; i++) h = Math.imul(h ^ p[at + i], 0x01000193);
  return h >>> 0;
}

/** One endpoint's hash: `alen` address bytes at `a`, then the 2-byte port at `port` (if any). */
function endpoint(p: Uint8Array, a: number, alen: number, port: number): number {
  const h = fnv(p, a, alen);
  return port < 0 ? h : fnv(p, port, 2, h);
}

/** Two endpoints combined so that the order does not matter, then mixed with the protocol. */
function symmetric(x: number, y: number, proto: number): number {
  let h = (x ^ y) >>> 0;
  h = Math.imul(h ^ (h >>> 16) ^ proto, 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The flow key of an Ethernet frame: equal for both directions of a conversation.
 *
 * @param f the frame, from its Ethernet header
 * @returns an unsigned 32-bit key
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ethernetFlowKey } from "./flow.ts";
 * const frame = (src: number, dst: number) => {
 *   const f = new Uint8Array(34);
 *   f[12] = 0x08, f[14] = 0x45, f[23] = 17;
 *   f.set([10, 0, 0, src], 26), f.set([10, 0, 0, dst], 30);
 *   return f;
 * };
 * assert.equal(ethernetFlowKey(frame(1, 2)), ethernetFlowKey(frame(2, 1)));
 * assert.notEqual(ethernetFlowKey(frame(1, 2)), ethernetFlowKey(frame(1, 3)));
 * ```
 */
export function ethernetFlowKey(f: Uint8Array): number {
  if (f.length < ETH_HLEN) return fnv(f, 0, f.length);
  let at = 12;
  let type = (f[at] << 8) | f[at + 1];
  for (let tags = 0; tags < 2 && (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ); tags++) {
    if (f.length < at + 6) break;
    at += 4;
    type = (f[at] << 8) | f[at + 1];
  }
  const l3 = at + 2;
  if (type === ETHERTYPE_IPV4 && f.length >= l3 + 20 && f[l3] >> 4 === 4) {
    const ihl = (f[l3] & 0x0f) * 4;
    const proto = f[l3 + 9];
    const fragment = (((f[l3 + 6] & 0x3f) << 8) | f[l3 + 7]) !== 0;
    const l4 = l3 + ihl;
    const ports = proto === TCP && !fragment && ihl >= 20 && f.length >= l4 + 4;
    return symmetric(
      endpoint(f, l3 + 12, 4, ports ? l4 : -1),
      endpoint(f, l3 + 16, 4, ports ? l4 + 2 : -1),
      proto,
    );
  }
  if (type === ETHERTYPE_IPV6 && f.length >= l3 + 40 && f[l3] >> 4 === 6) {
    // The ports only when TCP follows the fixed header directly: an extension header chain may hold a
    // fragment header, and the flow must not change with it.
    const next = f[l3 + 6];
    const l4 = l3 + 40;
    const ports = next === TCP && f.length >= l4 + 4;
    return symmetric(
      endpoint(f, l3 + 8, 16, ports ? l4 : -1),
      endpoint(f, l3 + 24, 16, ports ? l4 + 2 : -1),
      next,
    );
  }
  return symmetric(fnv(f, 0, 6), fnv(f, 6, 6), type & 0xff);
}
