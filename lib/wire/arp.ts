/**
 * ARP (RFC 826). Fixed 8-byte part, then sender/target hardware and protocol addresses whose lengths come
 * from `hlen`/`plen` (6 and 4 for Ethernet/IPv4, but any value is data).
 *
 * ```text
 * | htype (2) | ptype (2) | hlen (1) | plen (1) | op (2) |
 * | sha (hlen) | spa (plen) | tha (hlen) | tpa (plen) |
 * ```
 *
 * @module
 */
import { formatHexColon, formatIpv4Address, toAddressBytes } from "./address.ts";
import { shortError, WireError } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";

const F = { htype: 0, ptype: 2, hlen: 4, plen: 5, op: 6, addrs: 8 } as const;

/** ARP operation codes (RFC 826, RFC 903). */
export const ArpOperation = { REQUEST: 1, REPLY: 2, RARP_REQUEST: 3, RARP_REPLY: 4 } as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param value an operation
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arpOperationName } from "./arp.ts";
 * assert(arpOperationName(2) === "REPLY");
 * ```
 */
export function arpOperationName(value: number): string {
  return enumName(ArpOperation, value, 4);
}

/** A decoded ARP packet. Addresses are views. */
export interface ArpHeader {
  /** Hardware type (1 Ethernet). */
  readonly htype: number;
  /** Protocol type (0x0800 IPv4). */
  readonly ptype: number;
  /** Hardware address length. */
  readonly hlen: number;
  /** Protocol address length. */
  readonly plen: number;
  /** Operation (1 request, 2 reply). */
  readonly op: number;
  /** Sender hardware address. */
  readonly sha: Uint8Array;
  /** Sender protocol address. */
  readonly spa: Uint8Array;
  /** Target hardware address. */
  readonly tha: Uint8Array;
  /** Target protocol address. */
  readonly tpa: Uint8Array;
}

/**
 * A view over an ARP packet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArpPacket, emitArp } from "./arp.ts";
 * const p = new ArpPacket(emitArp({ op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" }));
 * assert(p.op === 1 && p.headerLen === 28);
 * ```
 */
export class ArpPacket extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the packet
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT when the addresses do not fit
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
  static unchecked(bytes: Uint8Array): ArpPacket {
    return new ArpPacket(bytes, false);
  }
  /**
   * Returns null when the fixed part and all four addresses fit.
   *
   * @returns null when the fixed part and all four addresses fit
   */
  check(): WireError | null {
    if (this.b.length < F.addrs) return shortError("arp", F.addrs, this.b.length);
    const n = this.headerLen;
    return this.b.length < n ? shortError("arp", n, this.b.length) : null;
  }
  /** Total length: 8 + 2 * (hlen + plen). */
  get headerLen(): number {
    return F.addrs + 2 * (this.hlen + this.plen);
  }
  /** Hardware type (1 Ethernet). */
  get htype(): number {
    return this.u16(F.htype);
  }
  set htype(x: number) {
    this.v.setUint16(F.htype, x);
  }
  /** Protocol type (0x0800 IPv4). */
  get ptype(): number {
    return this.u16(F.ptype);
  }
  set ptype(x: number) {
    this.v.setUint16(F.ptype, x);
  }
  /** Hardware address length. */
  get hlen(): number {
    return this.b[F.hlen];
  }
  set hlen(x: number) {
    this.b[F.hlen] = x;
  }
  /** Protocol address length. */
  get plen(): number {
    return this.b[F.plen];
  }
  set plen(x: number) {
    this.b[F.plen] = x;
  }
  /** Operation. */
  get op(): number {
    return this.u16(F.op);
  }
  set op(x: number) {
    this.v.setUint16(F.op, x);
  }
  #at(i: number): number {
    // Offsets of sha, spa, tha, tpa in order.
    const h = this.hlen, p = this.plen;
    return F.addrs + [0, h, h + p, 2 * h + p][i];
  }
  /** Sender hardware address (a view). */
  get sha(): Uint8Array {
    return this.b.subarray(this.#at(0), this.#at(0) + this.hlen);
  }
  set sha(a: Uint8Array) {
    this.b.set(a.subarray(0, this.hlen), this.#at(0));
  }
  /** Sender protocol address (a view). */
  get spa(): Uint8Array {
    return this.b.subarray(this.#at(1), this.#at(1) + this.plen);
  }
  set spa(a: Uint8Array) {
    this.b.set(a.subarray(0, this.plen), this.#at(1));
  }
  /** Target hardware address (a view). */
  get tha(): Uint8Array {
    return this.b.subarray(this.#at(2), this.#at(2) + this.hlen);
  }
  set tha(a: Uint8Array) {
    this.b.set(a.subarray(0, this.hlen), this.#at(2));
  }
  /** Target protocol address (a view). */
  get tpa(): Uint8Array {
    return this.b.subarray(this.#at(3), this.#at(3) + this.plen);
  }
  set tpa(a: Uint8Array) {
    this.b.set(a.subarray(0, this.plen), this.#at(3));
  }
  /**
   * Returns bytes after the packet (Ethernet padding), a view.
   *
   * @returns bytes after the packet (Ethernet padding), a view
   */
  payload(): Uint8Array {
    return this.b.subarray(this.headerLen);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): ArpHeader {
    return {
      htype: this.htype,
      ptype: this.ptype,
      hlen: this.hlen,
      plen: this.plen,
      op: this.op,
      sha: this.sha,
      spa: this.spa,
      tha: this.tha,
      tpa: this.tpa,
    };
  }
}

/**
 * Parses an ARP packet.
 *
 * @param bytes the packet
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitArp, parseArp } from "./arp.ts";
 * assert(parseArp(emitArp({ op: 2, sha: "02:00:00:00:00:02", spa: "10.0.0.2", tha: "02:00:00:00:00:01", tpa: "10.0.0.1" })).op === 2);
 * ```
 */
export function parseArp(bytes: Uint8Array): ArpHeader {
  return new ArpPacket(bytes).header();
}

/** Fields for {@link emitArp}; Ethernet/IPv4 defaults, addresses as bytes or text. */
export interface ArpInit {
  /** Hardware type (1 Ethernet). */
  htype?: number;
  /** Protocol type (0x0800 IPv4). */
  ptype?: number;
  /** Hardware address length. */
  hlen?: number;
  /** Protocol address length. */
  plen?: number;
  /** Operation (1 request, 2 reply). */
  op: number;
  /** Sender hardware address. */
  sha: Uint8Array | string;
  /** Sender protocol address. */
  spa: Uint8Array | string;
  /** Target hardware address. */
  tha?: Uint8Array | string;
  /** Target protocol address. */
  tpa: Uint8Array | string;
}

/**
 * Builds an ARP packet (Ethernet/IPv4 by default; `tha` defaults to zeros).
 *
 * @param h fields
 * @returns the exact-size packet
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitArp } from "./arp.ts";
 * assert(emitArp({ op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" }).length === 28);
 * ```
 */
export function emitArp(h: ArpInit): Uint8Array {
  const addr = (a: Uint8Array | string | undefined, n: number, kind: "hw" | "proto") => {
    if (a === undefined) return new Uint8Array(n);
    if (typeof a === "string") return toAddressBytes(a, kind === "hw" ? 6 : n === 16 ? 16 : 4);
    return a;
  };
  const hlen = h.hlen ?? (typeof h.sha === "string" ? 6 : h.sha.length);
  const plen = h.plen ?? (typeof h.spa === "string" ? (h.spa.includes(":") ? 16 : 4) : h.spa.length);
  const out = new Uint8Array(F.addrs + 2 * (hlen + plen));
  const p = ArpPacket.unchecked(out);
  p.htype = h.htype ?? 1;
  p.ptype = h.ptype ?? 0x0800;
  p.hlen = hlen;
  p.plen = plen;
  p.op = h.op;
  p.sha = addr(h.sha, hlen, "hw");
  p.spa = addr(h.spa, plen, "proto");
  p.tha = addr(h.tha, hlen, "hw");
  p.tpa = addr(h.tpa, plen, "proto");
  return out;
}

/**
 * The ARP packet length from the first 8 bytes.
 *
 * @param bytes at least 6 bytes of ARP
 * @returns 8 + 2 * (hlen + plen)
 * @throws {WireError} WIRE_SHORT under 6 bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arpHeaderLen } from "./arp.ts";
 * assert(arpHeaderLen(new Uint8Array([0, 1, 8, 0, 6, 4])) === 28);
 * ```
 */
export function arpHeaderLen(bytes: Uint8Array): number {
  if (bytes.length < F.op) throw shortError("arp", F.op, bytes.length);
  return F.addrs + 2 * (bytes[F.hlen] + bytes[F.plen]);
}

/**
 * One-line text in tcpdump's words (Ethernet/IPv4; other sizes in hex).
 *
 * @param h the header
 * @returns e.g. "Request who-has 10.0.0.2 tell 10.0.0.1"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitArp, formatArp, parseArp } from "./arp.ts";
 * const h = parseArp(emitArp({ op: 1, sha: "02:00:00:00:00:01", spa: "10.0.0.1", tpa: "10.0.0.2" }));
 * assert(formatArp(h) === "Request who-has 10.0.0.2 tell 10.0.0.1");
 * ```
 */
export function formatArp(h: ArpHeader): string {
  const pa = (a: Uint8Array) => a.length === 4 ? formatIpv4Address(a) : formatHexColon(a);
  switch (h.op) {
    case ArpOperation.REQUEST:
      return `Request who-has ${pa(h.tpa)} tell ${pa(h.spa)}`;
    case ArpOperation.REPLY:
      return `Reply ${pa(h.spa)} is-at ${formatHexColon(h.sha)}`;
    default:
      return `${arpOperationName(h.op)} ${pa(h.spa)} > ${pa(h.tpa)}`;
  }
}
