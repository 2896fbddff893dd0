/**
 * Ethernet II frames (IEEE 802.3 with an EtherType, RFC 894).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 destination MAC (6 bytes)                     |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+      source MAC (6 bytes)     +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         EtherType             |  payload ...
 * ```
 *
 * A type below 0x0600 is an 802.3 length, not an EtherType; it is kept as data. The FCS is not part of a
 * captured frame. Short frames are padded to 60 bytes on the wire; the padding stays in the payload (the IP
 * layer trims it by its total length).
 *
 * @module
 */
import { formatMac, toAddressBytes } from "./address.ts";
import { shortError, WireError } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";

const F = { dst: 0, src: 6, ethertype: 12, end: 14 } as const;

/** Ethernet header length: 14 bytes. */
export const ETHERNET_HEADER_LEN: number = F.end;

/** EtherType values this package knows (IEEE registry). */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  LLDP: 0x88cc,
  MPLS: 0x8847,
  PPPOE_SESSION: 0x8864,
} as const;

/**
 * The name of an EtherType.
 *
 * @param value the EtherType
 * @returns e.g. "IPV4" or "unknown(0x1234)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { etherTypeName } from "./ethernet.ts";
 * assert(etherTypeName(0x86dd) === "IPV6");
 * assert(etherTypeName(0x1234) === "unknown(0x1234)");
 * ```
 */
export function etherTypeName(value: number): string {
  return enumName(EtherType, value, 4);
}

/** A decoded Ethernet II header. Addresses are views into the frame: copy them to keep them. */
export interface EthernetHeader {
  /** Destination address. */
  readonly dst: Uint8Array;
  /** Source address. */
  readonly src: Uint8Array;
  /** The EtherType that follows. */
  readonly ethertype: number;
}

/** Fields for {@link emitEthernet}: addresses as bytes or text. */
export interface EthernetInit {
  /** Destination address. */
  dst: Uint8Array | string;
  /** Source address. */
  src: Uint8Array | string;
  /** The EtherType that follows. */
  ethertype: number;
}

/**
 * A view over an Ethernet II frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EthernetFrame } from "./ethernet.ts";
 * const f = new EthernetFrame(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45]));
 * assert(f.ethertype === 0x0800 && f.payload().length === 1);
 * ```
 */
export class EthernetFrame extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the frame
   * @param checked validate first (default); false is for emission into a buffer being filled
   * @throws {WireError} when checked and the frame is shorter than 14 bytes
   */
  constructor(bytes: Uint8Array, checked = true) {
    super(bytes);
    if (checked) throwIf(this.check());
  }

  /**
   * A view without validation, for writing into a buffer of the right size.
   *
   * @param bytes the buffer
   * @returns the view
   */
  static unchecked(bytes: Uint8Array): EthernetFrame {
    return new EthernetFrame(bytes, false);
  }

  /**
   * Returns null when the 14-byte header is present, else a WIRE_SHORT error.
   *
   * @returns null when the 14-byte header is present, else a WIRE_SHORT error
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("eth", F.end, this.b.length) : null;
  }

  /** Destination MAC (a view). */
  get dst(): Uint8Array {
    return this.b.subarray(F.dst, F.dst + 6);
  }
  set dst(a: Uint8Array) {
    this.b.set(a.subarray(0, 6), F.dst);
  }
  /** Source MAC (a view). */
  get src(): Uint8Array {
    return this.b.subarray(F.src, F.src + 6);
  }
  set src(a: Uint8Array) {
    this.b.set(a.subarray(0, 6), F.src);
  }
  /** EtherType (or 802.3 length when below 0x0600). */
  get ethertype(): number {
    return this.u16(F.ethertype);
  }
  set ethertype(x: number) {
    this.v.setUint16(F.ethertype, x);
  }
  /**
   * Returns the bytes after the header (a view, valid as long as the frame's buffer).
   *
   * @returns the bytes after the header (a view, valid as long as the frame's buffer)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end);
  }
  /**
   * Returns the header as a plain object.
   *
   * @returns the header as a plain object
   */
  header(): EthernetHeader {
    return { dst: this.dst, src: this.src, ethertype: this.ethertype };
  }
}

/**
 * Parses an Ethernet II header.
 *
 * @param bytes the frame
 * @returns the header
 * @throws {WireError} WIRE_SHORT below 14 bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitEthernet, parseEthernet } from "./ethernet.ts";
 * const b = emitEthernet({ dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:01", ethertype: 0x0806 });
 * assert(parseEthernet(b).ethertype === 0x0806);
 * ```
 */
export function parseEthernet(bytes: Uint8Array): EthernetHeader {
  return new EthernetFrame(bytes).header();
}

/**
 * Builds a frame: header plus payload, in one buffer of the exact size.
 *
 * @param h the header fields
 * @param payload bytes after the header
 * @returns the frame
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitEthernet } from "./ethernet.ts";
 * const b = emitEthernet({ dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:01", ethertype: 0x0800 }, new Uint8Array(2));
 * assert(b.length === 16);
 * ```
 */
export function emitEthernet(h: EthernetInit, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const f = EthernetFrame.unchecked(out);
  f.dst = toAddressBytes(h.dst, 6);
  f.src = toAddressBytes(h.src, 6);
  f.ethertype = h.ethertype;
  out.set(payload, F.end);
  return out;
}

/**
 * The Ethernet header length (always 14).
 *
 * @returns 14
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ethernetHeaderLen } from "./ethernet.ts";
 * assert(ethernetHeaderLen() === 14);
 * ```
 */
export function ethernetHeaderLen(): number {
  return F.end;
}

/**
 * One-line text of a header.
 *
 * @param h the header
 * @returns e.g. "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 0x0806"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitEthernet, formatEthernet, parseEthernet } from "./ethernet.ts";
 * const h = parseEthernet(emitEthernet({ dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:01", ethertype: 0x0806 }));
 * assert(formatEthernet(h) === "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 0x0806");
 * ```
 */
export function formatEthernet(h: EthernetHeader): string {
  return `${formatMac(h.src)} > ${formatMac(h.dst)}, ethertype 0x${
    h.ethertype.toString(16).padStart(4, "0")
  }`;
}
