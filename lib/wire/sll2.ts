/**
 * Linux "cooked" capture header v2 (LINKTYPE_LINUX_SLL2 = 276), libpcap 1.10's `-i any` default.
 *
 * ```text
 * +---------------------------+
 * |  protocol (2, BE)         |  EtherType
 * |  reserved (2, MBZ)        |
 * |  interface index (4)      |
 * |  ARPHRD type (2)          |
 * |  packet type (1)          |  0 host ... 4 outgoing
 * |  address length (1)       |
 * |  address (8, zero padded) |
 * +---------------------------+  20 bytes
 * ```
 *
 * @module
 */
import { shortError, WireError } from "./errors.ts";
import { formatSll } from "./sll.ts";
import { throwIf, WireView } from "./_view.ts";

const F = {
  protocol: 0,
  reserved: 2,
  ifindex: 4,
  arphrdType: 8,
  packetType: 10,
  addrLen: 11,
  addr: 12,
  end: 20,
} as const;

/** SLL2 header length: 20 bytes. */
export const SLL2_HEADER_LEN: number = F.end;

/** A decoded SLL v2 header. `addr` is a view of min(addrLen, 8) bytes. */
export interface Sll2Header {
  /** Protocol of the payload (an EtherType). */
  readonly protocol: number;
  /** Interface index. */
  readonly ifindex: number;
  /** ARPHRD_* type of the interface (1 Ethernet, 772 loopback). */
  readonly arphrdType: number;
  /** Packet type: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  readonly packetType: number;
  /** Link-layer address length as sent. */
  readonly addrLen: number;
  /** Link-layer address bytes (at most 8). */
  readonly addr: Uint8Array;
}

/**
 * A view over an SLL v2 header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Sll2Frame } from "./sll2.ts";
 * assert(new Sll2Frame(new Uint8Array(20)).ifindex === 0);
 * ```
 */
export class Sll2Frame extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the frame
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT below 20 bytes
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
  static unchecked(bytes: Uint8Array): Sll2Frame {
    return new Sll2Frame(bytes, false);
  }
  /**
   * Returns null when the 20-byte header is present.
   *
   * @returns null when the 20-byte header is present
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("sll2", F.end, this.b.length) : null;
  }
  /** Protocol (EtherType). */
  get protocol(): number {
    return this.u16(F.protocol);
  }
  set protocol(x: number) {
    this.v.setUint16(F.protocol, x);
  }
  /** Interface index. */
  get ifindex(): number {
    return this.u32(F.ifindex);
  }
  set ifindex(x: number) {
    this.v.setUint32(F.ifindex, x);
  }
  /** ARPHRD_* type. */
  get arphrdType(): number {
    return this.u16(F.arphrdType);
  }
  set arphrdType(x: number) {
    this.v.setUint16(F.arphrdType, x);
  }
  /** Packet type (direction). */
  get packetType(): number {
    return this.b[F.packetType];
  }
  set packetType(x: number) {
    this.b[F.packetType] = x;
  }
  /** Address length as sent. */
  get addrLen(): number {
    return this.b[F.addrLen];
  }
  set addrLen(x: number) {
    this.b[F.addrLen] = x;
  }
  /** Stored address bytes (a view of at most 8). */
  get addr(): Uint8Array {
    return this.b.subarray(F.addr, F.addr + Math.min(this.addrLen, 8));
  }
  set addr(a: Uint8Array) {
    this.b.fill(0, F.addr, F.addr + 8);
    this.b.set(a.subarray(0, 8), F.addr);
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
  header(): Sll2Header {
    return {
      protocol: this.protocol,
      ifindex: this.ifindex,
      arphrdType: this.arphrdType,
      packetType: this.packetType,
      addrLen: this.addrLen,
      addr: this.addr,
    };
  }
}

/**
 * Parses an SLL v2 header.
 *
 * @param bytes the frame
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitSll2, parseSll2 } from "./sll2.ts";
 * const h = parseSll2(emitSll2({ protocol: 0x86dd, ifindex: 1, arphrdType: 772, packetType: 0, addr: new Uint8Array(6) }));
 * assert(h.ifindex === 1 && h.addrLen === 6);
 * ```
 */
export function parseSll2(bytes: Uint8Array): Sll2Header {
  return new Sll2Frame(bytes).header();
}

/**
 * Builds an SLL v2 header plus payload.
 *
 * @param h fields; `addrLen` defaults to `addr.length`
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitSll2 } from "./sll2.ts";
 * assert(emitSll2({ protocol: 0x800, ifindex: 2, arphrdType: 1, packetType: 4, addr: new Uint8Array(6) }).length === 20);
 * ```
 */
export function emitSll2(
  h: {
    protocol: number;
    ifindex: number;
    arphrdType: number;
    packetType: number;
    addrLen?: number;
    addr: Uint8Array;
  },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const f = Sll2Frame.unchecked(out);
  f.protocol = h.protocol;
  f.ifindex = h.ifindex;
  f.arphrdType = h.arphrdType;
  f.packetType = h.packetType;
  f.addrLen = h.addrLen ?? h.addr.length;
  f.addr = h.addr;
  out.set(payload, F.end);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 20
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sll2HeaderLen } from "./sll2.ts";
 * assert(sll2HeaderLen() === 20);
 * ```
 */
export function sll2HeaderLen(): number {
  return F.end;
}

/**
 * Text of a header.
 *
 * @param h the header
 * @returns e.g. "ifindex 1 OUTGOING 00:00:00:00:00:00 ethertype 0x0800"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSll2 } from "./sll2.ts";
 * const s = formatSll2({ protocol: 0x800, ifindex: 1, arphrdType: 772, packetType: 0, addrLen: 1, addr: new Uint8Array(1) });
 * assert(s === "ifindex 1 HOST 00 ethertype 0x0800");
 * ```
 */
export function formatSll2(h: Sll2Header): string {
  // The same words as v1 (its header's fields are a subset of these), after the interface index.
  return `ifindex ${h.ifindex} ${formatSll(h)}`;
}
