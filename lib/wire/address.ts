/**
 * Address formatting and parsing: MAC (lower-case, colon separated), IPv4 dotted quad, IPv6 in RFC 5952
 * canonical form:
 *
 * - leading zeros of each group dropped, lower-case hex;
 * - the longest run of two or more zero groups becomes `::`; on a tie the leftmost run; a single zero group is
 *   written `0`, never `::`;
 * - an IPv4-mapped address (`::ffff:0:0/96`) ends in dotted quad: `::ffff:192.0.2.1`.
 *
 * Formatting reads from a byte view at an offset so a decoder never copies an address it does not print.
 *
 * @module
 */
import { WireError, WireErrorCode } from "./errors.ts";

function badValue(layer: string, text: string): WireError {
  return new WireError(layer, WireErrorCode.BAD_VALUE, `cannot parse ${JSON.stringify(text)}`, 0);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Formats 6 bytes as a MAC address.
 *
 * @param b the bytes
 * @param offset where the address starts
 * @returns e.g. "aa:bb:cc:00:11:22"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatMac } from "./address.ts";
 * assert(formatMac(new Uint8Array([0xaa, 0xbb, 0xcc, 0, 0x11, 0x22])) === "aa:bb:cc:00:11:22");
 * ```
 */
export function formatMac(b: Uint8Array, offset = 0): string {
  return `${HEX[b[offset]]}:${HEX[b[offset + 1]]}:${HEX[b[offset + 2]]}:${HEX[b[offset + 3]]}:${
    HEX[b[offset + 4]]
  }:${HEX[b[offset + 5]]}`;
}

/**
 * Formats any number of bytes as colon-separated lower-case hex (hardware addresses of other lengths).
 *
 * @param b the bytes
 * @returns e.g. "01:02"; "" for no bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatHexColon } from "./address.ts";
 * assert(formatHexColon(new Uint8Array([1, 2])) === "01:02");
 * ```
 */
export function formatHexColon(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (i ? ":" : "") + HEX[b[i]];
  return s;
}

/**
 * Parses a MAC address written with `:` or `-` separators (either case).
 *
 * @param text e.g. "AA-BB-CC-00-11-22"
 * @returns 6 bytes
 * @throws {WireError} WIRE_BAD_VALUE for anything else
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMac } from "./address.ts";
 * assert(parseMac("aa:bb:cc:00:11:22")[0] === 0xaa);
 * ```
 */
export function parseMac(text: string): Uint8Array {
  const m =
    /^([0-9a-fA-F]{1,2})([:-])([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})$/
      .exec(text);
  if (!m) throw badValue("mac", text);
  return new Uint8Array([m[1], m[3], m[4], m[5], m[6], m[7]].map((h) => parseInt(h, 16)));
}

/**
 * Formats 4 bytes as a dotted quad.
 *
 * @param b the bytes
 * @param offset where the address starts
 * @returns e.g. "127.0.0.1"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIpv4Address } from "./address.ts";
 * assert(formatIpv4Address(new Uint8Array([127, 0, 0, 1])) === "127.0.0.1");
 * ```
 */
export function formatIpv4Address(b: Uint8Array, offset = 0): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/**
 * Parses a dotted-quad IPv4 address (four decimal parts 0-255, no leading zeros beyond "0").
 *
 * @param text e.g. "10.0.0.1"
 * @returns 4 bytes
 * @throws {WireError} WIRE_BAD_VALUE otherwise
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIpv4Address } from "./address.ts";
 * assert(parseIpv4Address("10.0.0.1")[3] === 1);
 * ```
 */
export function parseIpv4Address(text: string): Uint8Array {
  const parts = text.split(".");
  if (parts.length !== 4) throw badValue("ipv4", text);
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) throw badValue("ipv4", text);
    out[i] = Number(p);
  }
  return out;
}

/**
 * Formats 16 bytes as an IPv6 address in RFC 5952 form (IPv4-mapped and IPv4-compatible addresses end in
 * a dotted quad, as inet_ntop writes them).
 *
 * @param b the bytes
 * @param offset where the address starts
 * @returns e.g. "2001:db8::1", "::ffff:192.0.2.1", "::192.0.2.1"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIpv6Address, parseIpv6Address } from "./address.ts";
 * assert(formatIpv6Address(parseIpv6Address("2001:0db8:0:0:1:0:0:1")) === "2001:db8::1:0:0:1");
 * assert(formatIpv6Address(parseIpv6Address("2001:db8:0:1:1:1:1:1")) === "2001:db8:0:1:1:1:1:1");
 * ```
 */
export function formatIpv6Address(b: Uint8Array, offset = 0): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[offset + 2 * i] << 8) | b[offset + 2 * i + 1];
  // IPv4-mapped (RFC 5952 section 5).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIpv4Address(b, offset + 12)}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    // Strictly longer: the leftmost run wins a tie.
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(":");
  // An IPv4-compatible address (six leading zero groups, then not 0:x): a dotted quad, as inet_ntop and
  // tcpdump write it (::1 and ::5 stay hex: their run is seven groups long).
  if (bestStart === 0 && bestLen === 6) return `::${formatIpv4Address(b, offset + 12)}`;
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(":");
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(":");
  return `${head}::${tail}`;
}

/**
 * Parses an IPv6 address in any RFC 4291 text form (with `::`, with a trailing dotted quad; no zone).
 *
 * @param text e.g. "fe80::1", "::ffff:10.0.0.1"
 * @returns 16 bytes
 * @throws {WireError} WIRE_BAD_VALUE otherwise
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIpv6Address } from "./address.ts";
 * assert(parseIpv6Address("::1")[15] === 1);
 * ```
 */
export function parseIpv6Address(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let s = text;
  const words: number[] = [];
  let tailV4: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(":");
  if (lastColon >= 0 && s.indexOf(".", lastColon) > 0) {
    tailV4 = parseIpv4Address(s.slice(lastColon + 1));
    s = s.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = s.indexOf("::");
  if (dbl !== s.lastIndexOf("::") && dbl >= 0) throw badValue("ipv6", text);
  const parseGroups = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").map((h) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) throw badValue("ipv6", text);
      return parseInt(h, 16);
    });
  };
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (head.length + tail.length > 7) throw badValue("ipv6", text);
    words.push(...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    words.push(...parseGroups(s));
    if (words.length !== 8) throw badValue("ipv6", text);
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  if (tailV4) out.set(tailV4, 12);
  return out;
}

/**
 * Formats an IPv4 (4 bytes) or IPv6 (16 bytes) address.
 *
 * @param b the address bytes
 * @returns its text form
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIpAddress } from "./address.ts";
 * assert(formatIpAddress(new Uint8Array([10, 0, 0, 1])) === "10.0.0.1");
 * ```
 */
export function formatIpAddress(b: Uint8Array): string {
  return b.length === 4 ? formatIpv4Address(b) : formatIpv6Address(b);
}

/**
 * Accepts an address as bytes or text and returns bytes of the expected length.
 *
 * @param a bytes or text
 * @param len 4, 6 or 16
 * @returns the bytes
 * @throws {RangeError} when bytes have the wrong length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toAddressBytes } from "./address.ts";
 * assert(toAddressBytes("10.0.0.1", 4)[0] === 10);
 * ```
 */
export function toAddressBytes(a: Uint8Array | string, len: 4 | 6 | 16): Uint8Array {
  if (typeof a === "string") {
    return len === 4 ? parseIpv4Address(a) : len === 6 ? parseMac(a) : parseIpv6Address(a);
  }
  if (a.length !== len) throw new RangeError(`address must be ${len} bytes, got ${a.length}`);
  return a;
}
