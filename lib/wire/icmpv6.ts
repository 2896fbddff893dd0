/**
 * ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861).
 *
 * ```text
 * |     Type      |     Code      |          Checksum             |
 * |                 rest of header (4 bytes, per type)            |
 * |   body ...
 * ```
 *
 * - Errors (types 1-4) quote as much of the offending packet as fits in the minimum MTU; the decoder decodes
 *   it as further layers. Type 2 carries the MTU in `rest`, type 4 a pointer.
 * - Echo (128/129): `rest` = identifier and sequence.
 * - ND: RS 133, RA 134 (hop limit, M/O flags, router lifetime in `rest`; reachable and retrans timers in the
 *   body), NS 135 and NA 136 (target address; NA flags R/S/O in `rest`), redirect 137. Options follow as
 *   type, length in 8-byte units, data; a zero length is invalid (RFC 4861 section 4.6) and ends the walk.
 * - The checksum covers the IPv6 pseudo-header: pass the addresses explicitly.
 *
 * @module
 */
import { shortError, WireError, WireErrorCode } from "./errors.ts";
import { enumName, throwIf } from "./_view.ts";
import { formatIcmpHeader, ICMP_FIELDS, IcmpView } from "./_icmp.ts";
import { type PseudoHeader, transportChecksum, transportChecksumValid } from "./_l4.ts";

const F = ICMP_FIELDS;
/** Body layouts of ND messages, offsets from the start of the ICMPv6 message. */
const ND = {
  raReachable: 8,
  raRetrans: 12,
  raOptions: 16,
  target: 8,
  nsOptions: 24,
  redirDest: 24,
  redirOptions: 40,
} as const;
const PROTO_ICMPV6 = 58;

/** ICMPv6 header length: 8 bytes. */
export const ICMPV6_HEADER_LEN: number = F.end;

/** ICMPv6 types (IANA). */
export const Icmpv6Type = {
  DEST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAMETER_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  MLD_QUERY: 130,
  MLD_REPORT: 131,
  MLD_DONE: 132,
  ROUTER_SOLICITATION: 133,
  ROUTER_ADVERTISEMENT: 134,
  NEIGHBOR_SOLICITATION: 135,
  NEIGHBOR_ADVERTISEMENT: 136,
  REDIRECT: 137,
  MLDV2_REPORT: 143,
} as const;

/** ND option types (RFC 4861 section 4.6, RFC 8106). */
export const NdpOptionType = {
  SOURCE_LL_ADDR: 1,
  TARGET_LL_ADDR: 2,
  PREFIX_INFO: 3,
  REDIRECTED_HEADER: 4,
  MTU: 5,
  RDNSS: 25,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param t an ICMPv6 type
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { icmpv6TypeName } from "./icmpv6.ts";
 * assert(icmpv6TypeName(135) === "NEIGHBOR_SOLICITATION");
 * ```
 */
export function icmpv6TypeName(t: number): string {
  return enumName(Icmpv6Type, t);
}

/**
 * Returns true for the error types 1-4 (their body quotes a packet).
 *
 * @param t an ICMPv6 type
 * @returns true for the error types 1-4 (their body quotes a packet)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isIcmpv6Error } from "./icmpv6.ts";
 * assert(isIcmpv6Error(1) && !isIcmpv6Error(128));
 * ```
 */
export function isIcmpv6Error(t: number): boolean {
  return t >= 1 && t <= 4;
}

/** A decoded ICMPv6 header. */
export interface Icmpv6Header {
  /** Type. */
  readonly type: number;
  /** Code. */
  readonly code: number;
  /** Checksum as carried (or to send). */
  readonly checksum: number;
  /** The 4 type-specific header bytes as an unsigned number. */
  readonly rest: number;
}

/** One ND option: `length` in 8-byte units as on the wire, `data` the bytes after type and length. */
export interface NdpOption {
  /** Type. */
  readonly type: number;
  /** Length field. */
  readonly length: number;
  /** The bytes after the kind/type and length bytes. */
  readonly data: Uint8Array;
}

/** The ND part of an RS/RA/NS/NA/redirect message. */
export interface NdpMessage {
  /** Type. */
  readonly type: number;
  /** NS, NA, redirect: the target address (a view). */
  readonly target?: Uint8Array;
  /** Redirect: the destination address (a view). */
  readonly destination?: Uint8Array;
  /** NA: router, solicited, override. */
  readonly router?: boolean;
  /** Solicited flag (NA). */
  readonly solicited?: boolean;
  /** Override flag (NA). */
  readonly override?: boolean;
  /** RA fields. */
  readonly curHopLimit?: number;
  /** Managed address configuration flag (RA). */
  readonly managed?: boolean;
  /** Other configuration flag (RA). */
  readonly other?: boolean;
  /** Router lifetime in seconds (RA). */
  readonly routerLifetime?: number;
  /** Reachable time in ms (RA). */
  readonly reachableTime?: number;
  /** Retransmission timer in ms (RA). */
  readonly retransTimer?: number;
  /** Options. */
  readonly options: readonly NdpOption[];
}

/**
 * A view over an ICMPv6 message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv6, Icmpv6Packet } from "./icmpv6.ts";
 * const p = { src: "::1", dst: "::1" };
 * const m = new Icmpv6Packet(emitIcmpv6({ type: 128, id: 7, seq: 1 }, new Uint8Array(4), p));
 * assert(m.id === 7 && m.checksumValid(p));
 * ```
 */
export class Icmpv6Packet extends IcmpView<Icmpv6Header> {
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
  static unchecked(bytes: Uint8Array): Icmpv6Packet {
    return new Icmpv6Packet(bytes, false);
  }
  /**
   * Returns null when the 8-byte header fits.
   *
   * @returns null when the 8-byte header fits
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("icmpv6", F.end, this.b.length) : null;
  }
  /**
   * Returns true when the checksum is correct.
   *
   * @param pseudo the enclosing IPv6 addresses
   * @returns true when the checksum is correct
   */
  checksumValid(pseudo: PseudoHeader): boolean {
    return transportChecksumValid(this.b, pseudo, PROTO_ICMPV6);
  }
}

/**
 * Parses an ICMPv6 header.
 *
 * @param bytes the message
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv6, parseIcmpv6 } from "./icmpv6.ts";
 * assert(parseIcmpv6(emitIcmpv6({ type: 2, mtu: 1280 })).rest === 1280);
 * ```
 */
export function parseIcmpv6(bytes: Uint8Array): Icmpv6Header {
  return new Icmpv6Packet(bytes).header();
}

/** The result of {@link walkNdpOptions}. */
export interface NdpOptionsWalk {
  /** Options. */
  options: NdpOption[];
  /** The error, or null. */
  error: WireError | null;
}

/**
 * Walks ND options without throwing; a zero length or an overrun stops the walk with an error.
 *
 * @param b the option bytes
 * @param base offset of `b` inside the ICMPv6 message, for error offsets
 * @returns options and error
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkNdpOptions } from "./icmpv6.ts";
 * const w = walkNdpOptions(new Uint8Array([1, 1, 2, 0, 0, 0, 0, 1]));
 * assert(w.error === null && w.options[0].data.length === 6);
 * ```
 */
export function walkNdpOptions(b: Uint8Array, base = 0): NdpOptionsWalk {
  const options: NdpOption[] = [];
  for (let i = 0; i < b.length;) {
    if (i + 2 > b.length) {
      return {
        options,
        error: new WireError("icmpv6", WireErrorCode.BAD_OPTION, "option lacks a length", base + i),
      };
    }
    const len = b[i + 1];
    if (len === 0 || i + len * 8 > b.length) {
      return {
        options,
        error: new WireError(
          "icmpv6",
          WireErrorCode.BAD_OPTION,
          `option ${b[i]} has length ${len * 8}`,
          base + i,
        ),
      };
    }
    options.push({ type: b[i], length: len, data: b.subarray(i + 2, i + len * 8) });
    i += len * 8;
  }
  return { options, error: null };
}

/**
 * Decodes the ND body of an RS/RA/NS/NA/redirect message.
 *
 * @param bytes the ICMPv6 message
 * @returns the ND fields and options, or null when the type is not ND
 * @throws {WireError} WIRE_SHORT when the fixed ND part is cut, WIRE_BAD_OPTION on a bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv6, emitNdpOptions, parseNdp } from "./icmpv6.ts";
 * import { parseIpv6Address } from "./address.ts";
 * const body = new Uint8Array(16 + 8);
 * body.set(parseIpv6Address("fe80::2"), 0);
 * body.set(emitNdpOptions([{ type: 1, data: new Uint8Array([2, 0, 0, 0, 0, 1]) }]), 16);
 * const nd = parseNdp(emitIcmpv6({ type: 135 }, body));
 * assert(nd !== null && nd.target![15] === 2 && nd.options[0].type === 1);
 * ```
 */
export function parseNdp(bytes: Uint8Array): NdpMessage | null {
  const r = walkNdp(bytes);
  if (r === null) return null;
  throwIf(r.error);
  return r.message;
}

/**
 * Like {@link parseNdp} but never throws: returns what could be read and the first error.
 *
 * @param bytes the ICMPv6 message
 * @returns null when not ND; else the message (null when the fixed part is cut) and an error or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkNdp } from "./icmpv6.ts";
 * const r = walkNdp(new Uint8Array([135, 0, 0, 0, 0, 0, 0, 0]));
 * assert(r !== null && r.message === null && r.error?.code === "WIRE_SHORT");
 * ```
 */
export function walkNdp(bytes: Uint8Array): { message: NdpMessage | null; error: WireError | null } | null {
  if (bytes.length < F.end) return { message: null, error: shortError("icmpv6", F.end, bytes.length) };
  const t = bytes[F.type];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number) => bytes.length < n ? shortError("icmpv6", n, bytes.length) : null;
  let fixed: Omit<NdpMessage, "options">;
  let optAt: number;
  switch (t) {
    case Icmpv6Type.ROUTER_SOLICITATION:
      fixed = { type: t };
      optAt = F.end;
      break;
    case Icmpv6Type.ROUTER_ADVERTISEMENT: {
      const e = need(ND.raOptions);
      if (e) return { message: null, error: e };
      fixed = {
        type: t,
        curHopLimit: bytes[F.rest],
        managed: (bytes[F.rest + 1] & 0x80) !== 0,
        other: (bytes[F.rest + 1] & 0x40) !== 0,
        routerLifetime: v.getUint16(F.rest + 2),
        reachableTime: v.getUint32(ND.raReachable),
        retransTimer: v.getUint32(ND.raRetrans),
      };
      optAt = ND.raOptions;
      break;
    }
    case Icmpv6Type.NEIGHBOR_SOLICITATION:
    case Icmpv6Type.NEIGHBOR_ADVERTISEMENT: {
      const e = need(ND.nsOptions);
      if (e) return { message: null, error: e };
      const target = bytes.subarray(ND.target, ND.target + 16);
      fixed = t === Icmpv6Type.NEIGHBOR_SOLICITATION ? { type: t, target } : {
        type: t,
        target,
        router: (bytes[F.rest] & 0x80) !== 0,
        solicited: (bytes[F.rest] & 0x40) !== 0,
        override: (bytes[F.rest] & 0x20) !== 0,
      };
      optAt = ND.nsOptions;
      break;
    }
    case Icmpv6Type.REDIRECT: {
      const e = need(ND.redirOptions);
      if (e) return { message: null, error: e };
      fixed = {
        type: t,
        target: bytes.subarray(ND.target, ND.target + 16),
        destination: bytes.subarray(ND.redirDest, ND.redirDest + 16),
      };
      optAt = ND.redirOptions;
      break;
    }
    default:
      return null;
  }
  const w = walkNdpOptions(bytes.subarray(optAt), optAt);
  return { message: { ...fixed, options: w.options }, error: w.error };
}

/**
 * Encodes ND options, padding each to a multiple of 8 bytes.
 *
 * @param opts options; `data` is everything after type and length
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitNdpOptions } from "./icmpv6.ts";
 * assert(emitNdpOptions([{ type: 1, data: new Uint8Array(6) }]).length === 8);
 * ```
 */
export function emitNdpOptions(opts: readonly { type: number; data: Uint8Array }[]): Uint8Array {
  const lens = opts.map((o) => (2 + o.data.length + 7) & ~7);
  const out = new Uint8Array(lens.reduce((a, b) => a + b, 0));
  let i = 0;
  opts.forEach((o, k) => {
    out[i] = o.type;
    out[i + 1] = lens[k] / 8;
    out.set(o.data, i + 2);
    i += lens[k];
  });
  return out;
}

/** Fields for {@link emitIcmpv6}; `rest` wins over its named parts. */
export interface Icmpv6Init {
  /** Type. */
  type: number;
  /** Code. */
  code?: number;
  /** Default: computed with `pseudo`, else 0. */
  checksum?: number;
  /** The 4 type-specific header bytes as an unsigned number. */
  rest?: number;
  /** Identification. */
  id?: number;
  /** Sequence number. */
  seq?: number;
  /** Next-hop MTU. */
  mtu?: number;
  /** Pointer to the offending octet (parameter problem). */
  pointer?: number;
}

/**
 * Builds an ICMPv6 message in one buffer of the exact size.
 *
 * @param h fields
 * @param body the body (echo data, ND fields and options, quoted packet)
 * @param pseudo the enclosing IPv6 addresses; with them the checksum is computed unless given
 * @returns the message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIcmpv6, Icmpv6Packet } from "./icmpv6.ts";
 * const p = { src: "fe80::1", dst: "ff02::1" };
 * assert(new Icmpv6Packet(emitIcmpv6({ type: 133 }, new Uint8Array(4), p)).checksumValid(p));
 * ```
 */
export function emitIcmpv6(
  h: Icmpv6Init,
  body: Uint8Array = new Uint8Array(0),
  pseudo?: PseudoHeader,
): Uint8Array {
  const out = new Uint8Array(F.end + body.length);
  const p = Icmpv6Packet.unchecked(out);
  p.type = h.type;
  p.code = h.code ?? 0;
  if (h.rest !== undefined) p.rest = h.rest;
  else if (h.mtu !== undefined) p.rest = h.mtu;
  else if (h.pointer !== undefined) p.rest = h.pointer;
  else {
    p.id = h.id ?? 0;
    p.seq = h.seq ?? 0;
  }
  out.set(body, F.end);
  p.checksum = h.checksum ??
    (pseudo ? transportChecksum(out, pseudo, PROTO_ICMPV6, F.checksum) : 0);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 8
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { icmpv6HeaderLen } from "./icmpv6.ts";
 * assert(icmpv6HeaderLen() === 8);
 * ```
 */
export function icmpv6HeaderLen(): number {
  return F.end;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "ECHO_REQUEST code 0, id 7, seq 1"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIcmpv6 } from "./icmpv6.ts";
 * assert(formatIcmpv6({ type: 128, code: 0, checksum: 0, rest: 0x00070001 }) === "ECHO_REQUEST code 0, id 7, seq 1");
 * ```
 */
export function formatIcmpv6(h: Icmpv6Header): string {
  return formatIcmpHeader(icmpv6TypeName(h.type), h, h.type === 128 || h.type === 129);
}
