/**
 * IEEE 802.1Q VLAN tags (TPID 0x8100) and 802.1ad service tags (TPID 0x88a8, "QinQ"; also 0x9100 and 0x9200).
 *
 * ```text
 * preceding EtherType = 0x8100 or 0x88a8, then:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | PCP |D|        VLAN ID        |     inner EtherType / TPID    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * The view covers the 4 bytes after the TPID: tag control information and the next EtherType. Tags stack: an
 * inner EtherType of 0x8100 or 0x88a8 means another tag follows (the decoder walks them).
 *
 * @module
 */
import { shortError, WireError } from "./errors.ts";
import { throwIf, WireView } from "./_view.ts";

const F = { tci: 0, ethertype: 2, end: 4 } as const;

/** VLAN tag length after the TPID: 4 bytes. */
export const VLAN_TAG_LEN: number = F.end;

/**
 * Whether an EtherType announces a VLAN tag, as tcpdump 4.99 reads them: 0x8100 (802.1Q), 0x88a8 (802.1ad),
 * and the pre-standard QinQ types 0x9100 and 0x9200.
 *
 * @param ethertype the EtherType
 * @returns true for a tag protocol identifier
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isVlanTpid } from "./vlan.ts";
 * assert(isVlanTpid(0x9100) && !isVlanTpid(0x0800));
 * ```
 */
export function isVlanTpid(ethertype: number): boolean {
  return ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100 || ethertype === 0x9200;
}

/** A decoded tag. */
export interface VlanHeader {
  /** Priority code point, 0-7. */
  readonly pcp: number;
  /** Drop eligible indicator (formerly CFI). */
  readonly dei: boolean;
  /** VLAN identifier, 0-4095. */
  readonly id: number;
  /** The EtherType that follows. */
  readonly ethertype: number;
}

/**
 * A view over a VLAN tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VlanTag } from "./vlan.ts";
 * const t = new VlanTag(new Uint8Array([0x20, 0x64, 0x08, 0x00]));
 * assert(t.id === 100 && t.pcp === 1 && t.ethertype === 0x0800);
 * ```
 */
export class VlanTag extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the tag and what follows
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT below 4 bytes
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
  static unchecked(bytes: Uint8Array): VlanTag {
    return new VlanTag(bytes, false);
  }
  /**
   * Returns null when the 4 bytes are present.
   *
   * @returns null when the 4 bytes are present
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("vlan", F.end, this.b.length) : null;
  }
  /** Priority code point. */
  get pcp(): number {
    return this.b[F.tci] >> 5;
  }
  set pcp(x: number) {
    this.b[F.tci] = (this.b[F.tci] & 0x1f) | ((x & 7) << 5);
  }
  /** Drop eligible indicator. */
  get dei(): boolean {
    return (this.b[F.tci] & 0x10) !== 0;
  }
  set dei(x: boolean) {
    this.b[F.tci] = (this.b[F.tci] & ~0x10) | (x ? 0x10 : 0);
  }
  /** VLAN id. */
  get id(): number {
    return this.u16(F.tci) & 0x0fff;
  }
  set id(x: number) {
    this.v.setUint16(F.tci, (this.u16(F.tci) & 0xf000) | (x & 0x0fff));
  }
  /** Next EtherType. */
  get ethertype(): number {
    return this.u16(F.ethertype);
  }
  set ethertype(x: number) {
    this.v.setUint16(F.ethertype, x);
  }
  /**
   * Returns the bytes after the tag (a view).
   *
   * @returns the bytes after the tag (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): VlanHeader {
    return { pcp: this.pcp, dei: this.dei, id: this.id, ethertype: this.ethertype };
  }
}

/**
 * Parses a tag.
 *
 * @param bytes the 4 bytes after the TPID, and more
 * @returns the tag
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitVlan, parseVlan } from "./vlan.ts";
 * assert(parseVlan(emitVlan({ pcp: 3, dei: false, id: 42, ethertype: 0x86dd })).id === 42);
 * ```
 */
export function parseVlan(bytes: Uint8Array): VlanHeader {
  return new VlanTag(bytes).header();
}

/**
 * Builds a tag followed by a payload.
 *
 * @param h the fields (pcp and dei default to 0/false)
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitVlan } from "./vlan.ts";
 * assert(emitVlan({ id: 5, ethertype: 0x0800 }).length === 4);
 * ```
 */
export function emitVlan(
  h: { pcp?: number; dei?: boolean; id: number; ethertype: number },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const t = VlanTag.unchecked(out);
  t.pcp = h.pcp ?? 0;
  t.dei = h.dei ?? false;
  t.id = h.id;
  t.ethertype = h.ethertype;
  out.set(payload, F.end);
  return out;
}

/**
 * Returns the tag length, 4.
 *
 * @returns the tag length, 4
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vlanHeaderLen } from "./vlan.ts";
 * assert(vlanHeaderLen() === 4);
 * ```
 */
export function vlanHeaderLen(): number {
  return F.end;
}

/**
 * Text of a tag, in tcpdump's `-e` words.
 *
 * @param h the tag
 * @returns e.g. "vlan 100, p 1"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatVlan } from "./vlan.ts";
 * assert(formatVlan({ pcp: 1, dei: false, id: 100, ethertype: 0x800 }) === "vlan 100, p 1");
 * ```
 */
export function formatVlan(h: VlanHeader): string {
  return `vlan ${h.id}, p ${h.pcp}${h.dei ? ", DEI" : ""}`;
}
