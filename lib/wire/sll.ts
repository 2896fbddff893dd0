/**
 * Linux "cooked" capture header v1 (LINKTYPE_LINUX_SLL = 113), what libpcap writes for `-i any`.
 *
 * ```text
 * +---------------------------+
 * |  packet type (2, BE)      |  0 host, 1 broadcast, 2 multicast, 3 otherhost, 4 outgoing
 * |  ARPHRD type (2)          |  1 Ethernet, 772 loopback, ...
 * |  address length (2)       |
 * |  address (8, zero padded) |
 * |  protocol (2)             |  an EtherType for most ARPHRD types
 * +---------------------------+  16 bytes
 * ```
 *
 * An address length above 8 is legal on the wire; only the first 8 bytes are stored.
 *
 * @module
 */
import { formatHexColon } from "./address.ts";
import { shortError, WireError } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";

const F = { packetType: 0, arphrdType: 2, addrLen: 4, addr: 6, protocol: 14, end: 16 } as const;

/** SLL header length: 16 bytes. */
export const SLL_HEADER_LEN: number = F.end;

/** `sll_pkttype` values (linux/if_packet.h). */
export const SllPacketType = {
  HOST: 0,
  BROADCAST: 1,
  MULTICAST: 2,
  OTHERHOST: 3,
  OUTGOING: 4,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param value a packet type
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sllPacketTypeName } from "./sll.ts";
 * assert(sllPacketTypeName(4) === "OUTGOING");
 * ```
 */
export function sllPacketTypeName(value: number): string {
  return enumName(SllPacketType, value);
}

/** A decoded SLL v1 header. `addr` is a view of min(addrLen, 8) bytes. */
export interface SllHeader {
  /** Packet type: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  readonly packetType: number;
  /** ARPHRD_* type of the interface (1 Ethernet, 772 loopback). */
  readonly arphrdType: number;
  /** Link-layer address length as sent. */
  readonly addrLen: number;
  /** Link-layer address bytes (at most 8). */
  readonly addr: Uint8Array;
  /** Protocol of the payload (an EtherType). */
  readonly protocol: number;
}

/**
 * A view over an SLL v1 header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SllFrame } from "./sll.ts";
 * const f = new SllFrame(new Uint8Array(16));
 * assert(f.packetType === 0 && f.payload().length === 0);
 * ```
 */
export class SllFrame extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the frame
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT below 16 bytes
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
  static unchecked(bytes: Uint8Array): SllFrame {
    return new SllFrame(bytes, false);
  }
  /**
   * Returns null when the 16-byte header is present.
   *
   * @returns null when the 16-byte header is present
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("sll", F.end, this.b.length) : null;
  }
  /** Packet type (direction). */
  get packetType(): number {
    return this.u16(F.packetType);
  }
  set packetType(x: number) {
    this.v.setUint16(F.packetType, x);
  }
  /** ARPHRD_* type of the interface. */
  get arphrdType(): number {
    return this.u16(F.arphrdType);
  }
  set arphrdType(x: number) {
    this.v.setUint16(F.arphrdType, x);
  }
  /** Link-layer address length as sent (may exceed 8). */
  get addrLen(): number {
    return this.u16(F.addrLen);
  }
  set addrLen(x: number) {
    this.v.setUint16(F.addrLen, x);
  }
  /** The stored address bytes (a view of at most 8). */
  get addr(): Uint8Array {
    return this.b.subarray(F.addr, F.addr + Math.min(this.addrLen, 8));
  }
  set addr(a: Uint8Array) {
    this.b.fill(0, F.addr, F.addr + 8);
    this.b.set(a.subarray(0, 8), F.addr);
  }
  /** Protocol (EtherType). */
  get protocol(): number {
    return this.u16(F.protocol);
  }
  set protocol(x: number) {
    this.v.setUint16(F.protocol, x);
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
  header(): SllHeader {
    return {
      packetType: this.packetType,
      arphrdType: this.arphrdType,
      addrLen: this.addrLen,
      addr: this.addr,
      protocol: this.protocol,
    };
  }
}

/**
 * Parses an SLL v1 header.
 *
 * @param bytes the frame
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitSll, parseSll } from "./sll.ts";
 * const h = parseSll(emitSll({ packetType: 4, arphrdType: 772, addr: new Uint8Array(6), protocol: 0x800 }));
 * assert(h.addrLen === 6 && h.protocol === 0x800);
 * ```
 */
export function parseSll(bytes: Uint8Array): SllHeader {
  return new SllFrame(bytes).header();
}

/**
 * Builds an SLL v1 header plus payload.
 *
 * @param h fields; `addrLen` defaults to `addr.length`
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitSll } from "./sll.ts";
 * assert(emitSll({ packetType: 0, arphrdType: 1, addr: new Uint8Array(6), protocol: 0x800 }).length === 16);
 * ```
 */
export function emitSll(
  h: { packetType: number; arphrdType: number; addrLen?: number; addr: Uint8Array; protocol: number },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const f = SllFrame.unchecked(out);
  f.packetType = h.packetType;
  f.arphrdType = h.arphrdType;
  f.addrLen = h.addrLen ?? h.addr.length;
  f.addr = h.addr;
  f.protocol = h.protocol;
  out.set(payload, F.end);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 16
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sllHeaderLen } from "./sll.ts";
 * assert(sllHeaderLen() === 16);
 * ```
 */
export function sllHeaderLen(): number {
  return F.end;
}

/**
 * Text of a header.
 *
 * @param h the header
 * @returns e.g. "OUTGOING 00:00:00:00:00:00 ethertype 0x0800"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSll } from "./sll.ts";
 * const s = formatSll({ packetType: 4, arphrdType: 772, addrLen: 0, addr: new Uint8Array(0), protocol: 0x800 });
 * assert(s === "OUTGOING  ethertype 0x0800");
 * ```
 */
export function formatSll(h: SllHeader): string {
  return `${sllPacketTypeName(h.packetType)} ${formatHexColon(h.addr)} ethertype 0x${
    h.protocol.toString(16).padStart(4, "0")
  }`;
}
