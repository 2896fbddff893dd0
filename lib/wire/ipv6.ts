/**
 * IPv6 (RFC 8200) and its extension headers.
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                  Source Address (16 bytes)                    |
 * |               Destination Address (16 bytes)                  |
 * ```
 *
 * Extension headers walked: hop-by-hop options (0), routing (43), fragment (44, always 8 bytes), destination
 * options (60) and AH (51, length in 4-byte units minus 2). The walk stops at the first other value (the
 * upper-layer protocol, 59 "no next header" included) and after a fragment header whose offset is not zero:
 * what follows a non-first fragment is not a header.
 *
 * @module
 */
import { formatIpv6Address, toAddressBytes } from "./address.ts";
import { shortError, truncatedError, WireError, WireErrorCode } from "./errors.ts";
import { throwIf, WireView } from "./_view.ts";

const F = { verTcFlow: 0, payloadLen: 4, nextHeader: 6, hopLimit: 7, src: 8, dst: 24, end: 40 } as const;
/** Fragment header offsets (RFC 8200 section 4.5). */
const FRAG = { next: 0, reserved: 1, offsetFlags: 2, id: 4, end: 8 } as const;

/** IPv6 fixed header length: 40 bytes. */
export const IPV6_HEADER_LEN: number = F.end;

/** Extension header numbers the walk understands. */
export const Ipv6ExtType = { HOP_BY_HOP: 0, ROUTING: 43, FRAGMENT: 44, AH: 51, DEST_OPTS: 60 } as const;

/**
 * Returns true when the walk treats it as an extension header.
 *
 * @param t a next-header value
 * @returns true when the walk treats it as an extension header
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isIpv6Extension } from "./ipv6.ts";
 * assert(isIpv6Extension(44) && !isIpv6Extension(6));
 * ```
 */
export function isIpv6Extension(t: number): boolean {
  return t === 0 || t === 43 || t === 44 || t === 51 || t === 60;
}

/** One extension header. `data` is a view of its bytes after the next-header and length bytes. */
export interface Ipv6ExtHeader {
  /** Type. */
  readonly type: number;
  /** Next header. */
  readonly nextHeader: number;
  /** Whole length in bytes. */
  readonly length: number;
  /** The bytes after the kind/type and length bytes. */
  readonly data: Uint8Array;
  /** Fragment header only: offset in bytes. */
  readonly fragOffset?: number;
  /** Fragment header only: more fragments. */
  readonly mf?: boolean;
  /** Fragment header only: identification. */
  readonly id?: number;
}

/** A decoded IPv6 header with its extension headers. */
export interface Ipv6Header {
  /** Traffic class. */
  readonly trafficClass: number;
  /** Flow label (20 bits). */
  readonly flowLabel: number;
  /** Payload length. */
  readonly payloadLen: number;
  /** The fixed header's next header (the first extension header or the upper layer). */
  readonly nextHeader: number;
  /** Hop limit. */
  readonly hopLimit: number;
  /** Source address. */
  readonly src: Uint8Array;
  /** Destination address. */
  readonly dst: Uint8Array;
  /** Extension headers in order. */
  readonly extHeaders: readonly Ipv6ExtHeader[];
  /** The upper-layer protocol after the extension headers. */
  readonly proto: number;
  /** 40 plus the extension headers' lengths. */
  readonly hdrLen: number;
}

/** Result of {@link walkIpv6Extensions}. */
export interface Ipv6Walk {
  /** Extension headers in order. */
  extHeaders: Ipv6ExtHeader[];
  /** Upper-layer protocol. */
  proto: number;
  /** Offset of the upper-layer header from the start of the IPv6 packet. */
  offset: number;
  /** Set when an extension header does not fit; the list holds those before it. */
  error: WireError | null;
}

/**
 * Walks the extension headers after the fixed header, without throwing.
 *
 * @param bytes the IPv6 packet (clamped to what was captured)
 * @param first the fixed header's next header
 * @returns the list, the upper-layer protocol, its offset, and an error if one did not fit
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6, walkIpv6Extensions } from "./ipv6.ts";
 * const p = emitIpv6({ src: "::1", dst: "::1", proto: 17, extHeaders: [{ type: 0 }, { type: 44, fragOffset: 0, mf: true, id: 7 }] });
 * const w = walkIpv6Extensions(p, p[6]);
 * assert(w.proto === 17 && w.offset === 56 && w.extHeaders[1].id === 7);
 * ```
 */
export function walkIpv6Extensions(bytes: Uint8Array, first: number): Ipv6Walk {
  const ext: Ipv6ExtHeader[] = [];
  let t = first, off: number = F.end;
  // Each header is at least 8 bytes, so the loop ends; bound it anyway against absurd chains.
  for (let guard = 0; isIpv6Extension(t) && guard < 64; guard++) {
    if (off + 2 > bytes.length) {
      return { extHeaders: ext, proto: t, offset: off, error: shortError("ipv6", off + 2, bytes.length) };
    }
    const next = bytes[off];
    let len: number;
    if (t === Ipv6ExtType.FRAGMENT) len = FRAG.end;
    else if (t === Ipv6ExtType.AH) len = (bytes[off + 1] + 2) * 4;
    else len = (bytes[off + 1] + 1) * 8;
    if (off + len > bytes.length) {
      return { extHeaders: ext, proto: t, offset: off, error: shortError("ipv6", off + len, bytes.length) };
    }
    const data = bytes.subarray(off + 2, off + len);
    if (t === Ipv6ExtType.FRAGMENT) {
      const of = (bytes[off + FRAG.offsetFlags] << 8) | bytes[off + FRAG.offsetFlags + 1];
      const id =
        ((bytes[off + 4] << 24) | (bytes[off + 5] << 16) | (bytes[off + 6] << 8) | bytes[off + 7]) >>> 0;
      const fragOffset = of & 0xfff8;
      ext.push({ type: t, nextHeader: next, length: len, data, fragOffset, mf: (of & 1) === 1, id });
      off += len;
      t = next;
      if (fragOffset !== 0) break;
      continue;
    }
    ext.push({ type: t, nextHeader: next, length: len, data });
    off += len;
    t = next;
  }
  return { extHeaders: ext, proto: t, offset: off, error: null };
}

/**
 * A view over an IPv6 packet's fixed header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6, Ipv6Packet } from "./ipv6.ts";
 * const p = new Ipv6Packet(emitIpv6({ src: "::1", dst: "::1", proto: 58 }, new Uint8Array(8)));
 * assert(p.payloadLen === 8 && p.nextHeader === 58 && p.hopLimit === 64);
 * ```
 */
export class Ipv6Packet extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the packet
   * @param checked validate first (default)
   * @throws {WireError} on any failure of {@link check}
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
  static unchecked(bytes: Uint8Array): Ipv6Packet {
    return new Ipv6Packet(bytes, false);
  }
  /**
   * Returns null, WIRE_TRUNCATED (payload length beyond the buffer) or a header error.
   *
   * @returns null, WIRE_TRUNCATED (payload length beyond the buffer) or a header error
   */
  check(): WireError | null {
    const n = this.b.length;
    if (n < F.end) return shortError("ipv6", F.end, n);
    if (this.version !== 6) {
      return new WireError("ipv6", WireErrorCode.BAD_VERSION, `version ${this.version}, expected 6`, 0);
    }
    const total = F.end + this.payloadLen;
    return total > n ? truncatedError("ipv6", total, n) : null;
  }
  /** Version nibble. */
  get version(): number {
    return this.b[0] >> 4;
  }
  set version(x: number) {
    this.b[0] = (this.b[0] & 0x0f) | (x << 4);
  }
  /** Traffic class. */
  get trafficClass(): number {
    return (this.u16(0) >> 4) & 0xff;
  }
  set trafficClass(x: number) {
    this.v.setUint16(0, (this.u16(0) & 0xf00f) | ((x & 0xff) << 4));
  }
  /** Flow label (20 bits). */
  get flowLabel(): number {
    return this.u32(F.verTcFlow) & 0xfffff;
  }
  set flowLabel(x: number) {
    this.v.setUint32(F.verTcFlow, ((this.u32(F.verTcFlow) & 0xfff00000) | (x & 0xfffff)) >>> 0);
  }
  /** Payload length (extension headers included). */
  get payloadLen(): number {
    return this.u16(F.payloadLen);
  }
  set payloadLen(x: number) {
    this.v.setUint16(F.payloadLen, x);
  }
  /** Next header of the fixed header. */
  get nextHeader(): number {
    return this.b[F.nextHeader];
  }
  set nextHeader(x: number) {
    this.b[F.nextHeader] = x;
  }
  /** Hop limit. */
  get hopLimit(): number {
    return this.b[F.hopLimit];
  }
  set hopLimit(x: number) {
    this.b[F.hopLimit] = x;
  }
  /** Source address (a view). */
  get src(): Uint8Array {
    return this.b.subarray(F.src, F.src + 16);
  }
  set src(a: Uint8Array) {
    this.b.set(a.subarray(0, 16), F.src);
  }
  /** Destination address (a view). */
  get dst(): Uint8Array {
    return this.b.subarray(F.dst, F.dst + 16);
  }
  set dst(a: Uint8Array) {
    this.b.set(a.subarray(0, 16), F.dst);
  }
  /**
   * Returns the packet up to 40 + payload length, clamped to the buffer (a view).
   *
   * @returns the packet up to 40 + payload length, clamped to the buffer (a view)
   */
  packet(): Uint8Array {
    return this.b.subarray(0, Math.min(F.end + this.payloadLen, this.b.length));
  }
  /**
   * Returns everything after the fixed header up to the payload length, clamped (a view).
   *
   * @returns everything after the fixed header up to the payload length, clamped (a view)
   */
  payload(): Uint8Array {
    return this.packet().subarray(F.end);
  }
  /**
   * Returns the header object, extension headers walked.
   *
   * @returns the header object, extension headers walked
   * @throws {WireError} when an extension header does not fit
   */
  header(): Ipv6Header {
    const w = walkIpv6Extensions(this.packet(), this.nextHeader);
    throwIf(w.error);
    return this.headerFrom(w);
  }
  /**
   * Returns the header object built from it.
   *
   * @param w a walk of this packet
   * @returns the header object built from it
   */
  headerFrom(w: Ipv6Walk): Ipv6Header {
    return {
      trafficClass: this.trafficClass,
      flowLabel: this.flowLabel,
      payloadLen: this.payloadLen,
      nextHeader: this.nextHeader,
      hopLimit: this.hopLimit,
      src: this.src,
      dst: this.dst,
      extHeaders: w.extHeaders,
      proto: w.proto,
      hdrLen: w.offset,
    };
  }
}

/**
 * Parses an IPv6 header and walks its extension headers.
 *
 * @param bytes the packet
 * @returns the header
 * @throws {WireError} WIRE_SHORT, WIRE_BAD_VERSION, WIRE_TRUNCATED
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6, parseIpv6 } from "./ipv6.ts";
 * const h = parseIpv6(emitIpv6({ src: "fe80::1", dst: "ff02::1", proto: 58, extHeaders: [{ type: 0 }] }));
 * assert(h.nextHeader === 0 && h.proto === 58 && h.extHeaders.length === 1 && h.hdrLen === 48);
 * ```
 */
export function parseIpv6(bytes: Uint8Array): Ipv6Header {
  return new Ipv6Packet(bytes).header();
}

/** An extension header to emit: `data` is the body after the 2 leading bytes (zero padded to fit). */
export interface Ipv6ExtInit {
  /** Type. */
  type: number;
  /** Next header. */
  nextHeader?: number;
  /** The bytes after the kind/type and length bytes. */
  data?: Uint8Array;
  /** Fragment offset in bytes. */
  fragOffset?: number;
  /** More fragments. */
  mf?: boolean;
  /** Identification. */
  id?: number;
}

/** Fields for {@link emitIpv6}. */
export interface Ipv6Init {
  /** Source address. */
  src: Uint8Array | string;
  /** Destination address. */
  dst: Uint8Array | string;
  /** The upper-layer protocol. */
  proto: number;
  /** Traffic class. */
  trafficClass?: number;
  /** Flow label (20 bits). */
  flowLabel?: number;
  /** Default: computed. */
  payloadLen?: number;
  /** Default: the first extension header's type, or `proto`. */
  nextHeader?: number;
  /** Hop limit. */
  hopLimit?: number;
  /** Extension headers in order. */
  extHeaders?: readonly Ipv6ExtInit[];
}

function extLen(e: Ipv6ExtInit): number {
  const body = e.data?.length ?? 0;
  if (e.type === Ipv6ExtType.FRAGMENT) return FRAG.end;
  if (e.type === Ipv6ExtType.AH) return Math.max(12, (2 + body + 3) & ~3);
  return Math.max(8, (2 + body + 7) & ~7);
}

/**
 * Builds an IPv6 packet with its extension headers, in one buffer of the exact size.
 *
 * @param h fields
 * @param payload the upper-layer bytes
 * @returns the packet
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6 } from "./ipv6.ts";
 * assert(emitIpv6({ src: "::1", dst: "::1", proto: 6 }, new Uint8Array(20)).length === 60);
 * ```
 */
export function emitIpv6(h: Ipv6Init, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const exts = h.extHeaders ?? [];
  const lens = exts.map(extLen);
  const extTotal = lens.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(F.end + extTotal + payload.length);
  const p = Ipv6Packet.unchecked(out);
  p.version = 6;
  p.trafficClass = h.trafficClass ?? 0;
  p.flowLabel = h.flowLabel ?? 0;
  p.payloadLen = h.payloadLen ?? extTotal + payload.length;
  p.nextHeader = h.nextHeader ?? (exts.length ? exts[0].type : h.proto);
  p.hopLimit = h.hopLimit ?? 64;
  p.src = toAddressBytes(h.src, 16);
  p.dst = toAddressBytes(h.dst, 16);
  let off: number = F.end;
  exts.forEach((e, i) => {
    const len = lens[i];
    out[off] = e.nextHeader ?? (i + 1 < exts.length ? exts[i + 1].type : h.proto);
    if (e.type === Ipv6ExtType.FRAGMENT) {
      if (e.data) out.set(e.data.subarray(0, 6), off + 2);
      else {
        const fo = e.fragOffset ?? 0;
        if (fo % 8 !== 0 || fo < 0 || fo > 0xfff8) {
          throw new RangeError(`fragment offset ${fo} is not a multiple of 8`);
        }
        const v = new DataView(out.buffer, off);
        v.setUint16(FRAG.offsetFlags, fo | (e.mf ? 1 : 0));
        v.setUint32(FRAG.id, (e.id ?? 0) >>> 0);
      }
    } else {
      out[off + 1] = e.type === Ipv6ExtType.AH ? len / 4 - 2 : len / 8 - 1;
      if (e.data) out.set(e.data, off + 2);
    }
    off += len;
  });
  out.set(payload, off);
  return out;
}

/**
 * The length of the fixed header plus extension headers.
 *
 * @param bytes an IPv6 packet
 * @returns the upper-layer offset
 * @throws {WireError} when the fixed header or an extension header does not fit
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6, ipv6HeaderLen } from "./ipv6.ts";
 * assert(ipv6HeaderLen(emitIpv6({ src: "::1", dst: "::1", proto: 6, extHeaders: [{ type: 60 }] })) === 48);
 * ```
 */
export function ipv6HeaderLen(bytes: Uint8Array): number {
  return parseIpv6(bytes).hdrLen;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "::1 > ::1: next 0, proto 58, hlim 64, payload 8, ext [0]"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv6, formatIpv6, parseIpv6 } from "./ipv6.ts";
 * assert(formatIpv6(parseIpv6(emitIpv6({ src: "::1", dst: "::1", proto: 17 }))) === "::1 > ::1: next 17, proto 17, hlim 64, payload 0, ext []");
 * ```
 */
export function formatIpv6(h: Ipv6Header): string {
  return `${formatIpv6Address(h.src)} > ${
    formatIpv6Address(h.dst)
  }: next ${h.nextHeader}, proto ${h.proto}, hlim ${h.hopLimit}, payload ${h.payloadLen}, ext [${
    h.extHeaders.map((e) => e.type).join(",")
  }]`;
}
