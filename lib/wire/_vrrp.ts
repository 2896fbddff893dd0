/**
 * tcpdump's text for VRRP (IP protocol 112): version 2 (RFC 3768, IPv4) and version 3 (RFC 5798, IPv4 and
 * IPv6).
 *
 * ```text
 * version (4 bits) | type (4 bits) | vrid (1) | priority (1) | address count (1) |
 * v2: auth type (1) | advertisement interval, s (1)       | checksum (2) | addresses | v2: auth data (8)
 * v3: reserved (4 bits) | max advertisement interval, cs (12 bits)
 * ```
 *
 * - Default: `VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 20`,
 *   `VRRPv3, Advertisement, vrid 5, prio 200, intvl 100cs, length 12`; `length` is the IP payload's.
 * - RFC 3768 requires a TTL (hop limit) of 255: tcpdump prints any other as `, (ttl 64)` after the type,
 *   in every mode.
 * - Another version or type stops after `VRRPv1, Advertisement` / `VRRPv2, unknown type (2)`; an unknown
 *   auth type is `#7`.
 * - `-v` adds a wrong checksum (`, (bad vrrp cksum 1234)`; v2 over the message alone, v3 with the IP
 *   pseudo-header, checked only when the whole message was captured), the addresses
 *   (`, addrs: 10.0.0.254` or `, addrs(2): a,b`, IPv4 or IPv6 by the carrying header) and a v2 simple
 *   password (` auth "secret"`).
 * - A field past the captured bytes ends the text with ` [|vrrp]`; tcpdump names the protocol first, so an
 *   empty message reads `VRRP [|vrrp]`.
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { internetChecksum } from "./checksum.ts";
import { type PseudoHeader, transportChecksumValid } from "./_l4.ts";
import { Cut, type Out, textChar, u16, u8 } from "./_text.ts";

const ADVERTISEMENT = 1;
const AUTH = ["none", "simple", "ah"];
const AUTH_SIMPLE = 1;
const ADDRS_AT = 8;

/** What the text needs from the carrying IP header. */
export interface VrrpContext {
  /** Its TTL or hop limit. */
  ttl: number;
  /** `-v`: checksum, addresses and password. */
  verbose?: boolean;
  /** Its addresses: 4 bytes (IPv4) or 16 (IPv6, the final destination); the v3 checksum needs them. */
  ip: PseudoHeader & { src: Uint8Array; dst: Uint8Array };
}

/**
 * The text for a VRRP message.
 *
 * @param p the captured message (up to the IP payload's end)
 * @param length the IP payload length
 * @param c the carrying header's TTL and addresses, and `-v`
 * @returns the text after the addresses
 */
export function vrrpText(p: Uint8Array, length: number, c: VrrpContext): string {
  const o: Out = { s: "VRRP" };
  try {
    body(o, p, length, c);
    return o.s;
  } catch (e) {
    if (e instanceof Cut) return o.s + " [|vrrp]";
    throw e;
  }
}

function body(o: Out, p: Uint8Array, length: number, c: VrrpContext): void {
  const version = u8(p, 0) >> 4, type = p[0] & 0x0f;
  o.s += `v${version}, ${type === ADVERTISEMENT ? "Advertisement" : `unknown type (${type})`}`;
  if (c.ttl !== 255) o.s += `, (ttl ${c.ttl})`;
  if (version < 2 || version > 3 || type !== ADVERTISEMENT) return;
  // tcpdump reads both bytes before printing either.
  const vrid = u8(p, 1), prio = u8(p, 2);
  o.s += `, vrid ${vrid}, prio ${prio}`;
  const auth = version === 2 ? u8(p, 4) : 0;
  if (version === 2) {
    o.s += `, authtype ${AUTH[auth] ?? `#${auth}`}`;
    o.s += `, intvl ${u8(p, 5)}s, length ${length}`;
  } else {
    const intvl = ((u8(p, 4) & 0x0f) << 8) | u8(p, 5);
    o.s += `, intvl ${intvl}cs, length ${length}`;
  }
  if (!c.verbose) return;
  const count = u8(p, 3);
  if (p.length >= length) {
    const msg = p.subarray(0, length);
    const ok = version === 2 ? internetChecksum(msg) === 0 : transportChecksumValid(msg, c.ip, 112);
    if (!ok) o.s += `, (bad vrrp cksum ${u16(p, 6).toString(16)})`;
  }
  o.s += count > 1 ? `, addrs(${count}):` : ", addrs:";
  const v6 = c.ip.src.length === 16, size = v6 ? 16 : 4;
  let at = ADDRS_AT;
  for (let k = 0; k < count; k++, at += size) {
    u8(p, at + size - 1);
    o.s += (k ? "," : " ") + (v6 ? formatIpv6Address(p, at) : formatIpv4Address(p, at));
  }
  if (version === 2 && auth === AUTH_SIMPLE) {
    // RFC 3768 5.3.10: the password is NUL-padded to 8 bytes.
    o.s += ' auth "';
    for (let k = 0; k < 8; k++) {
      const b = u8(p, at + k);
      if (b === 0) break;
      o.s += textChar(b);
    }
    o.s += '"';
  }
}
