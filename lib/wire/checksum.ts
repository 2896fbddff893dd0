/**
 * The Internet checksum (RFC 1071, RFC 1624) and the IPv4/IPv6 pseudo-headers (RFC 768, RFC 793, RFC 8200
 * section 8.1).
 *
 * - {@link sum} adds 16-bit big-endian words into an unfolded accumulator; an odd trailing byte counts as the
 *   high byte of a word padded with zero (RFC 1071 section 4.1). Sum separate pieces only at even offsets, or
 *   the byte order of the pieces after an odd one shifts.
 * - {@link fold} folds the carries back in until 16 bits remain (end-around carry).
 * - {@link combine} adds two partial sums.
 * - {@link internetChecksum} is the one's complement of the folded sum, the value written on the wire.
 * - Pseudo-headers take their addresses explicitly: a layer never hides where its addresses came from.
 *
 * Verifying: the folded sum over a packet that carries a correct checksum is 0xffff.
 *
 * @module
 */

/**
 * Adds the bytes as 16-bit big-endian words to `initial`, without folding.
 *
 * @param bytes the data
 * @param initial a previous partial sum
 * @returns the unfolded sum (a non-negative integer, exact up to 2^53)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sum } from "./checksum.ts";
 * assert(sum(new Uint8Array([0x00, 0x01, 0xf2])) === 0x0001 + 0xf200);
 * ```
 */
export function sum(bytes: Uint8Array, initial = 0): number {
  let acc = initial;
  const n = bytes.length & ~1;
  // Fold periodically so the accumulator stays exact even for huge buffers.
  for (let i = 0; i < n; i += 2) {
    acc += (bytes[i] << 8) | bytes[i + 1];
    if (acc > 0x7fffffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  }
  if (bytes.length & 1) acc += bytes[bytes.length - 1] << 8;
  return acc;
}

/**
 * Folds the carries of an accumulated sum into 16 bits (end-around carry).
 *
 * @param acc an unfolded sum
 * @returns the 16-bit one's complement sum (not inverted)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fold } from "./checksum.ts";
 * assert(fold(0x1fffe) === 0xffff);
 * ```
 */
export function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return acc;
}

/**
 * Adds two partial sums (each from {@link sum} or a pseudo-header function) and folds.
 *
 * @param a a partial sum
 * @param b another partial sum
 * @returns the folded 16-bit sum
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { combine } from "./checksum.ts";
 * assert(combine(0xffff, 0x0001) === 0x0001);
 * ```
 */
export function combine(a: number, b: number): number {
  return fold(fold(a) + fold(b));
}

/**
 * The Internet checksum of `bytes` plus an optional partial sum (e.g. a pseudo-header).
 *
 * @param bytes the data, with its checksum field zeroed when computing
 * @param initial a partial sum to include
 * @returns the 16-bit value to write on the wire
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { internetChecksum } from "./checksum.ts";
 * // RFC 1071 section 3 example words: 0001 f203 f4f5 f6f7 sum to 0xddf2, checksum 0x220d.
 * const b = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
 * assert(internetChecksum(b) === 0x220d);
 * ```
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~fold(sum(bytes, initial)) & 0xffff;
}

/**
 * The partial sum of the IPv4 pseudo-header (RFC 793 section 3.1): source, destination, zero, protocol,
 * upper-layer length.
 *
 * @param src 4-byte source address
 * @param dst 4-byte destination address
 * @param protocol IP protocol number (6 TCP, 17 UDP)
 * @param length upper-layer length (header plus data)
 * @returns an unfolded partial sum
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pseudoHeaderV4 } from "./checksum.ts";
 * const a = new Uint8Array([127, 0, 0, 1]);
 * assert(pseudoHeaderV4(a, a, 17, 8) === 2 * (0x7f00 + 0x0001) + 17 + 8);
 * ```
 */
export function pseudoHeaderV4(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  if (src.length !== 4 || dst.length !== 4) throw new RangeError(`IPv4 pseudo-header needs 4-byte addresses`);
  return sum(src) + sum(dst) + (protocol & 0xff) + (length & 0xffff);
}

/**
 * The partial sum of the IPv6 pseudo-header (RFC 8200 section 8.1): source, destination, 32-bit upper-layer
 * length, 24 zero bits, next header.
 *
 * @param src 16-byte source address
 * @param dst 16-byte destination address (the final one when a routing header is present)
 * @param nextHeader upper-layer protocol (6, 17, 58)
 * @param length upper-layer length
 * @returns an unfolded partial sum
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pseudoHeaderV6 } from "./checksum.ts";
 * const lo = new Uint8Array(16); lo[15] = 1;
 * assert(pseudoHeaderV6(lo, lo, 58, 8) === 2 + 58 + 8);
 * ```
 */
export function pseudoHeaderV6(src: Uint8Array, dst: Uint8Array, nextHeader: number, length: number): number {
  if (src.length !== 16 || dst.length !== 16) {
    throw new RangeError(`IPv6 pseudo-header needs 16-byte addresses`);
  }
  return sum(src) + sum(dst) + Math.floor(length / 0x10000) + (length & 0xffff) + (nextHeader & 0xff);
}
