/**
 * IPv4 (RFC 791).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |      TOS      |          Total Length         |
 * |         Identification        |R|D|M|   Fragment Offset (x8)  |
 * |      TTL      |    Protocol   |        Header Checksum        |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options (IHL*4 - 20)                       |
 * ```
 *
 * - IHL counts 32-bit words: 5..15, so the header is 20..60 bytes.
 * - The fragment offset field counts 8-byte units; this API speaks bytes (`fragOffset`), and a byte offset
 *   that is not a multiple of 8 cannot be sent.
 * - The total length bounds the payload: Ethernet padding after it is not payload.
 * - Parsing does not verify the checksum (outgoing captures carry offloaded checksums); use
 *   {@link ipv4ChecksumValid}. Emit computes it unless given, a wrong one included.
 *
 * @module
 */
import { formatIpv4Address, toAddressBytes } from "./address.ts";
import { internetChecksum } from "./checksum.ts";
import { shortError, truncatedError, WireError, WireErrorCode } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";

const F = {
  verIhl: 0,
  tos: 1,
  totalLen: 2,
  id: 4,
  flagsFrag: 6,
  ttl: 8,
  proto: 9,
  checksum: 10,
  src: 12,
  dst: 16,
  end: 20,
} as const;

/** Minimum IPv4 header length: 20 bytes. */
export const IPV4_MIN_HEADER_LEN: number = F.end;

/** IP protocol numbers (IANA) this package knows. */
export const IpProtocol = {
  HOPOPT: 0,
  ICMP: 1,
  IGMP: 2,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  IPV6_NONXT: 59,
  IPV6_OPTS: 60,
  SCTP: 132,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param value an IP protocol number
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ipProtocolName } from "./ipv4.ts";
 * assert(ipProtocolName(17) === "UDP");
 * ```
 */
export function ipProtocolName(value: number): string {
  return enumName(IpProtocol, value);
}

/** A decoded IPv4 header. Addresses and options are views. */
export interface Ipv4Header {
  /** Header length in bytes (IHL * 4). */
  readonly hdrLen: number;
  /** Type of service (DSCP and ECN). */
  readonly tos: number;
  /** Total length of the datagram. */
  readonly totalLen: number;
  /** Identification. */
  readonly id: number;
  /** The reserved ("evil") flag bit. */
  readonly reserved: boolean;
  /** Don't fragment. */
  readonly df: boolean;
  /** More fragments. */
  readonly mf: boolean;
  /** Fragment offset in bytes (field * 8). */
  readonly fragOffset: number;
  /** Time to live. */
  readonly ttl: number;
  /** Upper-layer protocol. */
  readonly proto: number;
  /** Checksum as carried (or to send). */
  readonly checksum: number;
  /** Source address. */
  readonly src: Uint8Array;
  /** Destination address. */
  readonly dst: Uint8Array;
  /** Option bytes, padding included (hdrLen - 20 bytes). */
  readonly options: Uint8Array;
}

/**
 * A view over an IPv4 packet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, Ipv4Packet } from "./ipv4.ts";
 * const p = new Ipv4Packet(emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, new Uint8Array(8)));
 * assert(p.totalLen === 28 && p.payload().length === 8 && p.checksumValid());
 * ```
 */
export class Ipv4Packet extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the packet (may carry link padding after the total length)
   * @param checked validate first (default)
   * @throws {WireError} on any failure of {@link check}, WIRE_TRUNCATED included
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
  static unchecked(bytes: Uint8Array): Ipv4Packet {
    return new Ipv4Packet(bytes, false);
  }
  /**
   * Returns null, WIRE_TRUNCATED (header usable, total length beyond the buffer) or a header error.
   *
   * @returns null, WIRE_TRUNCATED (header usable, total length beyond the buffer) or a header error
   */
  check(): WireError | null {
    const n = this.b.length;
    if (n < F.end) return shortError("ipv4", F.end, n);
    if (this.version !== 4) {
      return new WireError("ipv4", WireErrorCode.BAD_VERSION, `version ${this.version}, expected 4`, 0);
    }
    const hl = this.hdrLen;
    if (hl < F.end) return new WireError("ipv4", WireErrorCode.BAD_LENGTH, `header length ${hl} < 20`, 0);
    const tl = this.totalLen;
    // An impossible total length is the packet's fault, whatever was captured.
    if (tl < hl) {
      return new WireError(
        "ipv4",
        WireErrorCode.BAD_LENGTH,
        `total length ${tl} < header length ${hl}`,
        F.totalLen,
      );
    }
    if (n < hl) return shortError("ipv4", hl, n);
    return tl > n ? truncatedError("ipv4", tl, n) : null;
  }
  /** Version nibble. */
  get version(): number {
    return this.b[F.verIhl] >> 4;
  }
  set version(x: number) {
    this.b[F.verIhl] = (this.b[F.verIhl] & 0x0f) | (x << 4);
  }
  /** Header length in bytes. */
  get hdrLen(): number {
    return (this.b[F.verIhl] & 0x0f) * 4;
  }
  set hdrLen(x: number) {
    this.b[F.verIhl] = (this.b[F.verIhl] & 0xf0) | ((x >> 2) & 0x0f);
  }
  /** Type of service (DSCP << 2 | ECN). */
  get tos(): number {
    return this.b[F.tos];
  }
  set tos(x: number) {
    this.b[F.tos] = x;
  }
  /** Total length field. */
  get totalLen(): number {
    return this.u16(F.totalLen);
  }
  set totalLen(x: number) {
    this.v.setUint16(F.totalLen, x);
  }
  /** Identification. */
  get id(): number {
    return this.u16(F.id);
  }
  set id(x: number) {
    this.v.setUint16(F.id, x);
  }
  /** Reserved flag. */
  get reserved(): boolean {
    return (this.b[F.flagsFrag] & 0x80) !== 0;
  }
  set reserved(x: boolean) {
    this.b[F.flagsFrag] = (this.b[F.flagsFrag] & ~0x80) | (x ? 0x80 : 0);
  }
  /** Don't fragment. */
  get df(): boolean {
    return (this.b[F.flagsFrag] & 0x40) !== 0;
  }
  set df(x: boolean) {
    this.b[F.flagsFrag] = (this.b[F.flagsFrag] & ~0x40) | (x ? 0x40 : 0);
  }
  /** More fragments. */
  get mf(): boolean {
    return (this.b[F.flagsFrag] & 0x20) !== 0;
  }
  set mf(x: boolean) {
    this.b[F.flagsFrag] = (this.b[F.flagsFrag] & ~0x20) | (x ? 0x20 : 0);
  }
  /** Fragment offset in bytes. */
  get fragOffset(): number {
    return (this.u16(F.flagsFrag) & 0x1fff) * 8;
  }
  set fragOffset(bytes: number) {
    if (bytes % 8 !== 0 || bytes < 0 || bytes > 0x1fff * 8) {
      throw new RangeError(`fragment offset ${bytes} is not a multiple of 8 in 0..65528`);
    }
    this.v.setUint16(F.flagsFrag, (this.u16(F.flagsFrag) & 0xe000) | (bytes / 8));
  }
  /** Time to live. */
  get ttl(): number {
    return this.b[F.ttl];
  }
  set ttl(x: number) {
    this.b[F.ttl] = x;
  }
  /** Upper-layer protocol. */
  get proto(): number {
    return this.b[F.proto];
  }
  set proto(x: number) {
    this.b[F.proto] = x;
  }
  /** Header checksum as carried. */
  get checksum(): number {
    return this.u16(F.checksum);
  }
  set checksum(x: number) {
    this.v.setUint16(F.checksum, x);
  }
  /** Source address (a view). */
  get src(): Uint8Array {
    return this.b.subarray(F.src, F.src + 4);
  }
  set src(a: Uint8Array) {
    this.b.set(a.subarray(0, 4), F.src);
  }
  /** Destination address (a view). */
  get dst(): Uint8Array {
    return this.b.subarray(F.dst, F.dst + 4);
  }
  set dst(a: Uint8Array) {
    this.b.set(a.subarray(0, 4), F.dst);
  }
  /** Option bytes (a view). */
  get options(): Uint8Array {
    return this.b.subarray(F.end, this.hdrLen);
  }
  /**
   * Returns the computed header checksum (over the header with the field zeroed).
   *
   * @returns the computed header checksum (over the header with the field zeroed)
   */
  computeChecksum(): number {
    const hl = this.hdrLen;
    const saved = this.checksum;
    this.checksum = 0;
    const c = internetChecksum(this.b.subarray(0, hl));
    this.checksum = saved;
    return c;
  }
  /** Writes the computed checksum. */
  fillChecksum(): void {
    this.checksum = this.computeChecksum();
  }
  /**
   * Returns true when the carried checksum is correct.
   *
   * @returns true when the carried checksum is correct
   */
  checksumValid(): boolean {
    return internetChecksum(this.b.subarray(0, this.hdrLen)) === 0;
  }
  /**
   * Returns the payload up to the total length, clamped to the buffer (a view).
   *
   * @returns the payload up to the total length, clamped to the buffer (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(this.hdrLen, Math.min(this.totalLen, this.b.length));
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): Ipv4Header {
    return {
      hdrLen: this.hdrLen,
      tos: this.tos,
      totalLen: this.totalLen,
      id: this.id,
      reserved: this.reserved,
      df: this.df,
      mf: this.mf,
      fragOffset: this.fragOffset,
      ttl: this.ttl,
      proto: this.proto,
      checksum: this.checksum,
      src: this.src,
      dst: this.dst,
      options: this.options,
    };
  }
}

/**
 * Parses an IPv4 header.
 *
 * @param bytes the packet
 * @returns the header
 * @throws {WireError} WIRE_SHORT, WIRE_BAD_VERSION, WIRE_BAD_LENGTH, WIRE_TRUNCATED
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, parseIpv4 } from "./ipv4.ts";
 * const h = parseIpv4(emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 1, df: true }));
 * assert(h.df && h.ttl === 64 && h.totalLen === 20);
 * ```
 */
export function parseIpv4(bytes: Uint8Array): Ipv4Header {
  return new Ipv4Packet(bytes).header();
}

/** Fields for {@link emitIpv4}; everything but the addresses and protocol has a default. */
export interface Ipv4Init {
  /** Source address. */
  src: Uint8Array | string;
  /** Destination address. */
  dst: Uint8Array | string;
  /** Upper-layer protocol. */
  proto: number;
  /** Type of service (DSCP and ECN). */
  tos?: number;
  /** Default: header plus payload length. */
  totalLen?: number;
  /** Identification. */
  id?: number;
  /** The reserved (evil) flag bit. */
  reserved?: boolean;
  /** Don't fragment. */
  df?: boolean;
  /** More fragments. */
  mf?: boolean;
  /** In bytes, a multiple of 8. */
  fragOffset?: number;
  /** Default 64. */
  ttl?: number;
  /** Default: computed. */
  checksum?: number;
  /** Padded with zeros (EOL) to a multiple of 4. */
  options?: Uint8Array;
  /** Default: 20 + padded options length. */
  hdrLen?: number;
}

/**
 * Builds an IPv4 packet: header and payload in one buffer of the exact size.
 *
 * @param h fields
 * @param payload the upper-layer bytes
 * @returns the packet
 * @throws {RangeError} options over 40 bytes or a fragment offset not a multiple of 8
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, Ipv4Packet } from "./ipv4.ts";
 * const bad = emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 6, checksum: 0xdead });
 * assert(!new Ipv4Packet(bad).checksumValid());
 * ```
 */
export function emitIpv4(h: Ipv4Init, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opts = h.options ?? new Uint8Array(0);
  const optLen = (opts.length + 3) & ~3;
  if (optLen > 40) throw new RangeError(`IPv4 options of ${opts.length} bytes exceed 40`);
  const hl = F.end + optLen;
  const out = new Uint8Array(hl + payload.length);
  const p = Ipv4Packet.unchecked(out);
  p.version = 4;
  p.hdrLen = h.hdrLen ?? hl;
  p.tos = h.tos ?? 0;
  p.totalLen = h.totalLen ?? out.length;
  p.id = h.id ?? 0;
  p.reserved = h.reserved ?? false;
  p.df = h.df ?? false;
  p.mf = h.mf ?? false;
  p.fragOffset = h.fragOffset ?? 0;
  p.ttl = h.ttl ?? 64;
  p.proto = h.proto;
  p.src = toAddressBytes(h.src, 4);
  p.dst = toAddressBytes(h.dst, 4);
  out.set(opts, F.end);
  out.set(payload, hl);
  if (h.checksum !== undefined) p.checksum = h.checksum;
  else {
    p.checksum = 0;
    p.checksum = internetChecksum(out.subarray(0, hl));
  }
  return out;
}

/**
 * The header length from the first byte.
 *
 * @param bytes at least 1 byte of IPv4
 * @returns IHL * 4
 * @throws {WireError} WIRE_SHORT on an empty buffer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ipv4HeaderLen } from "./ipv4.ts";
 * assert(ipv4HeaderLen(new Uint8Array([0x46])) === 24);
 * ```
 */
export function ipv4HeaderLen(bytes: Uint8Array): number {
  if (bytes.length < 1) throw shortError("ipv4", 1, 0);
  return (bytes[0] & 0x0f) * 4;
}

/**
 * Checks the header checksum of a packet.
 *
 * @param bytes an IPv4 packet whose header fits
 * @returns true when the checksum is correct
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, ipv4ChecksumValid } from "./ipv4.ts";
 * assert(ipv4ChecksumValid(emitIpv4({ src: "1.2.3.4", dst: "5.6.7.8", proto: 17 })));
 * ```
 */
export function ipv4ChecksumValid(bytes: Uint8Array): boolean {
  return Ipv4Packet.unchecked(bytes).checksumValid();
}

/** One IPv4 option: `type` and its data (without type and length bytes; empty for EOL and NOP). */
export interface Ipv4Option {
  /** Type. */
  readonly type: number;
  /** The bytes after the kind/type and length bytes. */
  readonly data: Uint8Array;
}

/**
 * Walks option bytes. EOL ends the list (and is returned); a length below 2 or past the end is an error.
 *
 * @param opts the option bytes of a header
 * @returns the options in order
 * @throws {WireError} WIRE_BAD_OPTION
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIpv4Options } from "./ipv4.ts";
 * const o = parseIpv4Options(new Uint8Array([1, 0x94, 4, 0, 0, 0]));
 * assert(o.length === 3 && o[1].type === 0x94 && o[2].type === 0);
 * ```
 */
export function parseIpv4Options(opts: Uint8Array): Ipv4Option[] {
  const out: Ipv4Option[] = [];
  for (let i = 0; i < opts.length;) {
    const t = opts[i];
    if (t === 0 || t === 1) {
      out.push({ type: t, data: opts.subarray(i + 1, i + 1) });
      i++;
      if (t === 0) break;
      continue;
    }
    if (i + 1 >= opts.length) {
      throw new WireError("ipv4", WireErrorCode.BAD_OPTION, `option ${t} lacks a length`, 20 + i);
    }
    const len = opts[i + 1];
    if (len < 2 || i + len > opts.length) {
      throw new WireError("ipv4", WireErrorCode.BAD_OPTION, `option ${t} has length ${len}`, 20 + i);
    }
    out.push({ type: t, data: opts.subarray(i + 2, i + len) });
    i += len;
  }
  return out;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "10.0.0.1 > 10.0.0.2: proto 17, ttl 64, id 0, length 28, flags [DF]"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, formatIpv4, parseIpv4 } from "./ipv4.ts";
 * const s = formatIpv4(parseIpv4(emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17, df: true })));
 * assert(s === "10.0.0.1 > 10.0.0.2: proto 17, ttl 64, id 0, length 20, flags [DF]");
 * ```
 */
export function formatIpv4(h: Ipv4Header): string {
  const flags = [h.reserved ? "rsvd" : "", h.df ? "DF" : "", h.mf ? "+" : ""].filter((x) => x).join("");
  return `${formatIpv4Address(h.src)} > ${
    formatIpv4Address(h.dst)
  }: proto ${h.proto}, ttl ${h.ttl}, id ${h.id}, length ${h.totalLen}` +
    (h.fragOffset ? `, offset ${h.fragOffset}` : "") + `, flags [${flags || "none"}]`;
}
