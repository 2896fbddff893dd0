/**
 * BSD loopback headers: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108).
 *
 * ```text
 * +-----------------------------+
 * |  address family (4)         |  NULL: the capturing host's byte order; LOOP: network order
 * +-----------------------------+  4 bytes, then the packet
 * ```
 *
 * The family is an `AF_*` value of the *capturing* BSD, which is not the reader's: IPv4 is 2 everywhere,
 * IPv6 is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly) or 30 (Darwin). Linux's `AF_INET6` (10)
 * is none of them, and tcpdump does not read 10 as IPv6.
 *
 * Byte order: a file says nothing about the order of this word, so tcpdump (4.99, both link types) reads it
 * in its own host order (little-endian here) and swaps it when the upper 16 bits are not zero (no family
 * is that large). {@link LoopbackFrame.family} applies the same rule, for NULL and LOOP alike.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";
import { throwIf, WireView } from "./_view.ts";

const F = { family: 0, end: 4 } as const;

/** Loopback header length: 4 bytes. */
export const LOOPBACK_HEADER_LEN: number = F.end;

/** BSD address families tcpdump names (its `bsd_af_values`). */
export const BsdAf = {
  INET: 2,
  ISO: 7,
  APPLETALK: 16,
  IPX: 23,
  INET6_BSD: 24,
  INET6_FREEBSD: 28,
  INET6_DARWIN: 30,
} as const;

const AF_TEXT: Readonly<Record<number, string>> = {
  [BsdAf.INET]: "IPv4",
  [BsdAf.ISO]: "ISO",
  [BsdAf.APPLETALK]: "Appletalk",
  [BsdAf.IPX]: "IPX",
  [BsdAf.INET6_BSD]: "IPv6",
  [BsdAf.INET6_FREEBSD]: "IPv6",
  [BsdAf.INET6_DARWIN]: "IPv6",
};

/**
 * tcpdump's name of a BSD address family, or null when it has none.
 *
 * @param family the family as {@link LoopbackFrame.family} reads it
 * @returns "IPv4", "IPv6", "ISO", "Appletalk", "IPX" or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsdAfName } from "./loopback.ts";
 * assert(bsdAfName(30) === "IPv6" && bsdAfName(10) === null);
 * ```
 */
export function bsdAfName(family: number): string | null {
  return AF_TEXT[family] ?? null;
}

/**
 * Whether a family is one of the BSD `AF_INET6` values (24, 28, 30).
 *
 * @param family the family
 * @returns true for 24, 28 and 30
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBsdInet6 } from "./loopback.ts";
 * assert(isBsdInet6(28) && !isBsdInet6(10));
 * ```
 */
export function isBsdInet6(family: number): boolean {
  return family === BsdAf.INET6_BSD || family === BsdAf.INET6_FREEBSD || family === BsdAf.INET6_DARWIN;
}

/** A decoded loopback header. */
export interface LoopbackHeader {
  /** Address family, byte order resolved as tcpdump resolves it. */
  readonly family: number;
}

/**
 * A view over a NULL/LOOP header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LoopbackFrame } from "./loopback.ts";
 * const f = new LoopbackFrame(new Uint8Array([2, 0, 0, 0, 0x45]));
 * assert(f.family === 2 && f.payload().length === 1);
 * ```
 */
export class LoopbackFrame extends WireView {
  /**
   * Wraps the bytes, validating the length first unless `checked` is false.
   *
   * @param bytes the frame
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT below 4 bytes
   */
  constructor(bytes: Uint8Array, checked = true) {
    super(bytes);
    if (checked) throwIf(this.check());
  }
  /**
   * A view that skips validation, for writing into a buffer of the right size.
   *
   * @param bytes the buffer
   * @returns the view
   */
  static unchecked(bytes: Uint8Array): LoopbackFrame {
    return new LoopbackFrame(bytes, false);
  }
  /**
   * Returns null when the 4-byte header is present.
   *
   * @returns null when the 4-byte header is present
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("null", F.end, this.b.length) : null;
  }
  /** The family word as stored, read big-endian. */
  get rawFamily(): number {
    return this.u32(F.family);
  }
  /** The family: read little-endian, swapped when its upper 16 bits are set (tcpdump's rule). */
  get family(): number {
    const le = this.v.getUint32(F.family, true);
    return (le & 0xffff0000) !== 0 ? this.rawFamily : le;
  }
  /**
   * Writes the family in the given byte order (NULL: the writer's host order; LOOP: "big").
   *
   * @param family the AF_* value
   * @param byteOrder "little" or "big"
   */
  setFamily(family: number, byteOrder: "little" | "big"): void {
    this.v.setUint32(F.family, family >>> 0, byteOrder === "little");
  }
  /**
   * Returns the bytes after the header (a view).
   *
   * @returns the bytes after the header (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): LoopbackHeader {
    return { family: this.family };
  }
}

/**
 * Parses a NULL/LOOP header.
 *
 * @param bytes the frame
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLoopback } from "./loopback.ts";
 * assert(parseLoopback(new Uint8Array([0, 0, 0, 24])).family === 24);
 * ```
 */
export function parseLoopback(bytes: Uint8Array): LoopbackHeader {
  return new LoopbackFrame(bytes).header();
}

/**
 * Builds a loopback header plus payload.
 *
 * @param h the family and the byte order to store it in (default "little", a NULL capture on x86;
 *   use "big" for LINKTYPE_LOOP)
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitLoopback } from "./loopback.ts";
 * assert(emitLoopback({ family: 2, byteOrder: "big" }).join() === "0,0,0,2");
 * ```
 */
export function emitLoopback(
  h: { family: number; byteOrder?: "little" | "big" },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  LoopbackFrame.unchecked(out).setFamily(h.family, h.byteOrder ?? "little");
  out.set(payload, F.end);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 4
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loopbackHeaderLen } from "./loopback.ts";
 * assert(loopbackHeaderLen() === 4);
 * ```
 */
export function loopbackHeaderLen(): number {
  return F.end;
}

/**
 * tcpdump's text of the header (`-e`, or the line of a family it does not decode).
 *
 * @param h the header
 * @param length the frame's length on the wire
 * @param quiet `-q`'s shorter form
 * @returns e.g. "AF IPv4 (2), length 32: " or, quiet, "IPv4, length 32: "
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatLoopback } from "./loopback.ts";
 * assert(formatLoopback({ family: 99 }, 32) === "AF Unknown (99), length 32: ");
 * assert(formatLoopback({ family: 99 }, 32, true) === "Unknown AF 99, length 32: ");
 * ```
 */
export function formatLoopback(h: LoopbackHeader, length: number, quiet = false): string {
  const name = bsdAfName(h.family);
  const af = quiet ? name ?? `Unknown AF ${h.family}` : `AF ${name ?? "Unknown"} (${h.family})`;
  return `${af}, length ${length}: `;
}
