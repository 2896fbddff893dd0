/**
 * Private: the 8-byte header ICMP (RFC 792) and ICMPv6 (RFC 4443 section 2.1) share, and the view part that
 * reads and writes it. Each version's file adds what differs: validation's layer name, the checksum (ICMPv6
 * covers a pseudo-header), the type tables and the emitter.
 *
 * ```text
 * |     Type      |     Code      |          Checksum             |
 * |                 rest of header (4 bytes, per type)            |
 * ```
 *
 * @module
 */
import { WireView } from "./_view.ts";

/** Field offsets of the common header; `end` is its length. */
export const ICMP_FIELDS = { type: 0, code: 1, checksum: 2, rest: 4, end: 8 } as const;
const F = ICMP_FIELDS;

/** The fields of the common header, as both versions' header objects carry them. */
export interface IcmpHeaderFields {
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  readonly rest: number;
}

/**
 * Getters and setters of the common header, `payload()` and `header()`. A subclass validates the length
 * (at least {@link ICMP_FIELDS}.end bytes) before any getter is used.
 */
export abstract class IcmpView<H extends IcmpHeaderFields> extends WireView {
  /** Type. */
  get type(): number {
    return this.b[F.type];
  }
  set type(x: number) {
    this.b[F.type] = x;
  }
  /** Code. */
  get code(): number {
    return this.b[F.code];
  }
  set code(x: number) {
    this.b[F.code] = x;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return this.u16(F.checksum);
  }
  set checksum(x: number) {
    this.v.setUint16(F.checksum, x);
  }
  /** The rest-of-header word. */
  get rest(): number {
    return this.u32(F.rest);
  }
  set rest(x: number) {
    this.v.setUint32(F.rest, x >>> 0);
  }
  /** Echo (and ICMPv4 timestamp) identifier: the high half of `rest`. */
  get id(): number {
    return this.u16(F.rest);
  }
  set id(x: number) {
    this.v.setUint16(F.rest, x);
  }
  /** Echo (and ICMPv4 timestamp) sequence number: the low half of `rest`. */
  get seq(): number {
    return this.u16(F.rest + 2);
  }
  set seq(x: number) {
    this.v.setUint16(F.rest + 2, x);
  }
  /**
   * Returns the body after the 8-byte header (a view).
   *
   * @returns the body after the 8-byte header (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): H {
    return { type: this.type, code: this.code, checksum: this.checksum, rest: this.rest } as H;
  }
}

/**
 * The one-line text both versions print: the type's name, the code, and id/seq for echo-like types.
 *
 * @param name the type's name
 * @param h the header
 * @param echo whether `rest` holds an identifier and a sequence number
 * @returns e.g. "ECHO_REQUEST code 0, id 1, seq 2"
 */
export function formatIcmpHeader(name: string, h: IcmpHeaderFields, echo: boolean): string {
  return `${name} code ${h.code}` + (echo ? `, id ${h.rest >>> 16}, seq ${h.rest & 0xffff}` : "");
}
