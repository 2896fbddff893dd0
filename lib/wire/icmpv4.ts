/**
 * ICMP for IPv4 (RFC 792, RFC 1191 for the next-hop MTU).
 *
 * ```text
 * |     Type      |     Code      |          Checksum             |
 * |                 rest of header (4 bytes, per type)            |
 * |   body: echo data, or for errors the original IP header + 8 bytes of its payload ...
 * ```
 *
 * `rest` is kept whole; `id`/`seq` (echo, timestamp, info), `mtu` (fragmentation needed), `gateway`
 * (redirect) and `pointer` (parameter problem) are read from it. The checksum covers the whole message with
 * no pseudo-header. For the error types ({@link isIcmpv4Error}) the body quotes the offending datagram; the
 * decoder decodes it as further layers.
 *
 * @module
 */
import { internetChecksum } from "./checksum.ts";
import { shortError, WireError } from "./errors.ts";
import { enumName, throwIf } from "./_view.ts";
import { formatIcmpHeader, ICMP_FIELDS, IcmpView } from "./_icmp.ts";

const F = ICMP_FIELDS;

/** ICMP header length: 8 bytes. */
export const ICMPV4_HEADER_LEN: number = F.end;

/** ICMP types (IANA). */
export const Icmpv4Type = {
  ECHO_REPLY: 0,
  DEST_UNREACHABLE: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  ROUTER_ADVERTISEMENT: 9,
  ROUTER_SOLICITATION: 10,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
  TIMESTAMP: 13,
  TIMESTAMP_REPLY: 14,
  INFO_REQUEST: 15,
  INFO_REPLY: 16,
  ADDRESS_MASK_REQUEST: 17,
  ADDRESS_MASK_REPLY: 18,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param t an ICMP type
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { icmpv4TypeName } from "./icmpv4.ts";
 * assert(icmpv4TypeName(8) === "ECHO_REQUEST");
 * ```
 */
export function icmpv4TypeName(t: number): string {
  return enumName(Icmpv4Type, t);
}

/**
 * Returns true when the body quotes an offending datagram (3, 4, 5, 11, 12).
 *
 * @param t an ICMP type
 * @returns true when the body quotes an offending datagram (3, 4, 5, 11, 12)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isIcmpv4Error } from "./icmpv4.ts";
 * assert(isIcmpv4Error(11) && !isIcmpv4Error(8));
 * ```
 */
export function isIcmpv4Error(t: number): boolean {
  return t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
}

/** A decoded ICMP header. */
export interface Icmpv4Header {
  /** Type. */
  readonly type: number;
  /** Code. */
  readonly code: number;
  /** Checksum as carried (or to send). */
  readonly checksum: number;
  /** The 4 type-specific bytes as an unsigned number. */
  readonly rest: number;
}

/**
 * A view over an ICMP message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv4, Icmpv4Packet } from "./icmpv4.ts";
 * const p = new Icmpv4Packet(emitIcmpv4({ type: 8, id: 1, seq: 2 }, new Uint8Array(4)));
 * assert(p.id === 1 && p.seq === 2 && p.checksumValid());
 * ```
 */
export class Icmpv4Packet extends IcmpView<Icmpv4Header> {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the message
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT under 8 bytes
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
  static unchecked(bytes: Uint8Array): Icmpv4Packet {
    return new Icmpv4Packet(bytes, false);
  }
  /**
   * Returns null when the 8-byte header fits.
   *
   * @returns null when the 8-byte header fits
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("icmp", F.end, this.b.length) : null;
  }
  /**
   * Returns true when the checksum over the message is correct.
   *
   * @returns true when the checksum over the message is correct
   */
  checksumValid(): boolean {
    return internetChecksum(this.b) === 0;
  }
}

/**
 * Parses an ICMP header.
 *
 * @param bytes the message
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv4, parseIcmpv4 } from "./icmpv4.ts";
 * assert(parseIcmpv4(emitIcmpv4({ type: 3, code: 4, mtu: 1400 })).rest === 1400);
 * ```
 */
export function parseIcmpv4(bytes: Uint8Array): Icmpv4Header {
  return new Icmpv4Packet(bytes).header();
}

/** Fields for {@link emitIcmpv4}; `rest` wins over the named parts of it. */
export interface Icmpv4Init {
  /** Type. */
  type: number;
  /** Code. */
  code?: number;
  /** Default: computed. */
  checksum?: number;
  /** The 4 type-specific header bytes as an unsigned number. */
  rest?: number;
  /** Identification. */
  id?: number;
  /** Sequence number. */
  seq?: number;
  /** Next-hop MTU. */
  mtu?: number;
  /** Gateway address (redirect). */
  gateway?: Uint8Array;
  /** Pointer to the offending octet (parameter problem). */
  pointer?: number;
}

/**
 * Builds an ICMP message in one buffer of the exact size, checksum computed unless given.
 *
 * @param h fields
 * @param body echo data or the quoted datagram
 * @returns the message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv4 } from "./icmpv4.ts";
 * assert(emitIcmpv4({ type: 0, id: 9, seq: 1 }, new Uint8Array(56)).length === 64);
 * ```
 */
export function emitIcmpv4(h: Icmpv4Init, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(F.end + body.length);
  const p = Icmpv4Packet.unchecked(out);
  p.type = h.type;
  p.code = h.code ?? 0;
  if (h.rest !== undefined) p.rest = h.rest;
  else if (h.gateway) out.set(h.gateway.subarray(0, 4), F.rest);
  else if (h.mtu !== undefined) p.rest = h.mtu & 0xffff;
  else if (h.pointer !== undefined) p.rest = (h.pointer & 0xff) * 0x1000000;
  else {
    p.id = h.id ?? 0;
    p.seq = h.seq ?? 0;
  }
  out.set(body, F.end);
  p.checksum = h.checksum ?? internetChecksum(out);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 8
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { icmpv4HeaderLen } from "./icmpv4.ts";
 * assert(icmpv4HeaderLen() === 8);
 * ```
 */
export function icmpv4HeaderLen(): number {
  return F.end;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "ECHO_REQUEST code 0, id 1, seq 2"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIcmpv4 } from "./icmpv4.ts";
 * assert(formatIcmpv4({ type: 8, code: 0, checksum: 0, rest: 0x00010002 }) === "ECHO_REQUEST code 0, id 1, seq 2");
 * ```
 */
export function formatIcmpv4(h: Icmpv4Header): string {
  return formatIcmpHeader(
    icmpv4TypeName(h.type),
    h,
    h.type === 0 || h.type === 8 || h.type === 13 || h.type === 14,
  );
}
