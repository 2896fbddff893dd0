/**
 * UDP (RFC 768; RFC 8200 section 8.1 for IPv6).
 *
 * ```text
 * |     Source Port (2)     |   Destination Port (2)   |
 * |       Length (2)        |      Checksum (2)        |
 * ```
 *
 * - Length covers header and data; below 8 is impossible.
 * - Over IPv4 a checksum of 0 means "none"; a checksum that computes to 0 is therefore sent as 0xffff
 *   (RFC 768). Over IPv6 the checksum is mandatory and the same 0 -> 0xffff rule applies.
 * - The checksum covers a pseudo-header of the enclosing IP addresses: pass them explicitly.
 *
 * @module
 */
import { shortError, truncatedError, WireError, WireErrorCode } from "./errors.ts";
import { throwIf, WireView } from "./_view.ts";
import { isIpv6Pseudo, type PseudoHeader, transportChecksum, transportChecksumValid } from "./_l4.ts";

export type { PseudoHeader } from "./_l4.ts";

const F = { srcPort: 0, dstPort: 2, length: 4, checksum: 6, end: 8 } as const;
const PROTO_UDP = 17;

/** UDP header length: 8 bytes. */
export const UDP_HEADER_LEN: number = F.end;

/** A decoded UDP header. */
export interface UdpHeader {
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Length field. */
  readonly length: number;
  /** Checksum as carried (or to send). */
  readonly checksum: number;
}

/**
 * A view over a UDP datagram.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitUdp, UdpPacket } from "./udp.ts";
 * const u = new UdpPacket(emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(3)));
 * assert(u.length === 11 && u.payload().length === 3);
 * ```
 */
export class UdpPacket extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the datagram
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT, WIRE_BAD_LENGTH, WIRE_TRUNCATED
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
  static unchecked(bytes: Uint8Array): UdpPacket {
    return new UdpPacket(bytes, false);
  }
  /**
   * Returns null, WIRE_TRUNCATED (length beyond the buffer) or a header error.
   *
   * @returns null, WIRE_TRUNCATED (length beyond the buffer) or a header error
   */
  check(): WireError | null {
    const n = this.b.length;
    if (n < F.end) return shortError("udp", F.end, n);
    const l = this.length;
    if (l < F.end) return new WireError("udp", WireErrorCode.BAD_LENGTH, `length ${l} < 8`, F.length);
    return l > n ? truncatedError("udp", l, n) : null;
  }
  /** Source port. */
  get srcPort(): number {
    return this.u16(F.srcPort);
  }
  set srcPort(x: number) {
    this.v.setUint16(F.srcPort, x);
  }
  /** Destination port. */
  get dstPort(): number {
    return this.u16(F.dstPort);
  }
  set dstPort(x: number) {
    this.v.setUint16(F.dstPort, x);
  }
  /** Length field. */
  get length(): number {
    return this.u16(F.length);
  }
  set length(x: number) {
    this.v.setUint16(F.length, x);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return this.u16(F.checksum);
  }
  set checksum(x: number) {
    this.v.setUint16(F.checksum, x);
  }
  /**
   * Returns data up to the length field, clamped to the buffer (a view).
   *
   * @returns data up to the length field, clamped to the buffer (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end, Math.max(F.end, Math.min(this.length, this.b.length)));
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): UdpHeader {
    return { srcPort: this.srcPort, dstPort: this.dstPort, length: this.length, checksum: this.checksum };
  }
}

/**
 * Parses a UDP header.
 *
 * @param bytes the datagram
 * @returns the header
 * @throws {WireError} WIRE_SHORT, WIRE_BAD_LENGTH, WIRE_TRUNCATED
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitUdp, parseUdp } from "./udp.ts";
 * assert(parseUdp(emitUdp({ srcPort: 5353, dstPort: 53 })).dstPort === 53);
 * ```
 */
export function parseUdp(bytes: Uint8Array): UdpHeader {
  return new UdpPacket(bytes).header();
}

/** Fields for {@link emitUdp}. */
export interface UdpInit {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Default: 8 + payload length. */
  length?: number;
  /** Default: computed from `pseudo`, or 0 ("none") without it. */
  checksum?: number;
}

/**
 * The UDP checksum of a datagram whose checksum field is zero or will be ignored.
 *
 * @param bytes the datagram (header and data; its checksum field is treated as zero)
 * @param pseudo the enclosing IP addresses
 * @returns the value to send: never 0 (a computed 0 is 0xffff)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitUdp, udpChecksum } from "./udp.ts";
 * const d = emitUdp({ srcPort: 1, dstPort: 2 });
 * assert(udpChecksum(d, { src: "127.0.0.1", dst: "127.0.0.1" }) !== 0);
 * ```
 */
export function udpChecksum(bytes: Uint8Array, pseudo: PseudoHeader): number {
  const c = transportChecksum(bytes, pseudo, PROTO_UDP, F.checksum);
  // RFC 768: an all-zero computed checksum is transmitted as all ones.
  return c === 0 ? 0xffff : c;
}

/**
 * Verifies a datagram's checksum. Over IPv4 a zero checksum ("none") is valid.
 *
 * @param bytes the datagram
 * @param pseudo the enclosing IP addresses
 * @returns true when valid
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitUdp, udpChecksumValid } from "./udp.ts";
 * const p = { src: "::1", dst: "::1" };
 * assert(udpChecksumValid(emitUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(1), p), p));
 * ```
 */
export function udpChecksumValid(bytes: Uint8Array, pseudo: PseudoHeader): boolean {
  const carried = (bytes[F.checksum] << 8) | bytes[F.checksum + 1];
  if (carried === 0) return !isIpv6Pseudo(pseudo);
  return transportChecksumValid(bytes, pseudo, PROTO_UDP);
}

/**
 * Builds a datagram in one buffer of the exact size.
 *
 * @param h fields
 * @param payload data
 * @param pseudo the enclosing IP addresses; with them the checksum is computed unless given
 * @returns the datagram
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitUdp, parseUdp } from "./udp.ts";
 * const d = emitUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, new Uint8Array(4), { src: "10.0.0.1", dst: "10.0.0.2" });
 * assert(parseUdp(d).checksum === 0 && d.length === 12);
 * ```
 */
export function emitUdp(
  h: UdpInit,
  payload: Uint8Array = new Uint8Array(0),
  pseudo?: PseudoHeader,
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const u = UdpPacket.unchecked(out);
  u.srcPort = h.srcPort;
  u.dstPort = h.dstPort;
  u.length = h.length ?? out.length;
  out.set(payload, F.end);
  u.checksum = h.checksum ?? (pseudo ? udpChecksum(out, pseudo) : 0);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 8
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { udpHeaderLen } from "./udp.ts";
 * assert(udpHeaderLen() === 8);
 * ```
 */
export function udpHeaderLen(): number {
  return F.end;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "5353 > 53: UDP, length 21"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUdp } from "./udp.ts";
 * assert(formatUdp({ srcPort: 5353, dstPort: 53, length: 29, checksum: 0 }) === "5353 > 53: UDP, length 21");
 * ```
 */
export function formatUdp(h: UdpHeader): string {
  return `${h.srcPort} > ${h.dstPort}: UDP, length ${Math.max(0, h.length - F.end)}`;
}
