/**
 * IEEE 802.2 Logical Link Control, with the SNAP extension (RFC 1042), as found in IEEE 802.3 frames (an
 * Ethernet frame whose type field is a length, below 0x0600).
 *
 * ```text
 * +--------+--------+----------------+ - - - - - - - - - - - - - - +
 * |  DSAP  |  SSAP  | control (1-2)  |  SNAP: OUI (3)  |  PID (2)  |
 * +--------+--------+----------------+ - - - - - - - - - - - - - - +
 * ```
 *
 * Rules that are easy to miss: the low bit of the DSAP is Individual/Group and that of the SSAP
 * Command/Response, so a SAP is compared with the bit cleared; the control field is one byte for U frames
 * (low two bits 11) and two bytes, little-endian, for I and S frames; a SNAP header follows only DSAP = SSAP =
 * 0xAA with control 0x03 (UI), and with OUI 000000 its PID is an EtherType. Spanning tree BPDUs travel with
 * DSAP = SSAP = 0x42.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";

const F = { dsap: 0, ssap: 1, control: 2, end: 3, oui: 0, pid: 3, snapEnd: 5 } as const;

/** SAPs (with the I/G and C/R bit cleared) this package acts on. */
export const LlcSap = {
  NULL: 0x00,
  IP: 0x06,
  STP: 0x42,
  SNAP: 0xaa,
  IPX: 0xe0,
  NETBEUI: 0xf0,
  ISO_NS: 0xfe,
} as const;

/** The control value of an Unnumbered Information frame. */
export const LLC_UI = 0x03;

/** A decoded LLC header. */
export interface LlcHeader {
  /** Destination SAP, as sent (bit 0: group address). */
  readonly dsap: number;
  /** Source SAP, as sent (bit 0: response). */
  readonly ssap: number;
  /** Control field: one byte for U frames, two (read little-endian) for I and S frames. */
  readonly control: number;
  /** LLC header length: 3 or 4. */
  readonly hdrLen: number;
  /** The frame announces a SNAP header (DSAP = SSAP = SNAP, UI). */
  readonly snap: boolean;
  /** SNAP organization code, or null (no SNAP header, or one cut short). */
  readonly oui: number | null;
  /** SNAP protocol id (an EtherType when the OUI is 0), or null. */
  readonly pid: number | null;
}

/** What {@link walkLlc} found. */
export interface LlcWalk {
  /** The header, or null when the LLC header itself is cut. */
  header: LlcHeader | null;
  /** Offset of what follows the LLC (and SNAP) header. */
  offset: number;
  /** Why the walk stopped early, or null. */
  error: WireError | null;
}

/**
 * The length of an LLC header from its first bytes.
 *
 * @param control the first control byte
 * @returns 3 for a U frame, 4 for I and S frames
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { llcHeaderLen } from "./llc.ts";
 * assert(llcHeaderLen(0x03) === 3 && llcHeaderLen(0x00) === 4);
 * ```
 */
export function llcHeaderLen(control: number): number {
  return (control & 3) === 3 ? F.end : F.end + 1;
}

/**
 * Reads an LLC header and, when announced, its SNAP header.
 *
 * @param b the bytes after the 802.3 header (cut to its length field)
 * @returns the header, the payload offset and why the walk stopped, if it did
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkLlc } from "./llc.ts";
 * const w = walkLlc(new Uint8Array([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, 0x45]));
 * assert(w.header?.snap && w.header.oui === 0 && w.header.pid === 0x0800 && w.offset === 8);
 * assert(walkLlc(new Uint8Array([0x42, 0x42])).header === null);
 * ```
 */
export function walkLlc(b: Uint8Array): LlcWalk {
  if (b.length < F.end) return { header: null, offset: 0, error: shortError("llc", F.end, b.length) };
  const dsap = b[F.dsap], ssap = b[F.ssap];
  const hdrLen = llcHeaderLen(b[F.control]);
  if (b.length < hdrLen) return { header: null, offset: 0, error: shortError("llc", hdrLen, b.length) };
  const control = hdrLen === F.end ? b[F.control] : b[F.control] | (b[F.control + 1] << 8);
  const snap = (dsap & 0xfe) === LlcSap.SNAP && (ssap & 0xfe) === LlcSap.SNAP && control === LLC_UI;
  if (!snap) {
    return {
      header: { dsap, ssap, control, hdrLen, snap, oui: null, pid: null },
      offset: hdrLen,
      error: null,
    };
  }
  const s = b.subarray(hdrLen);
  if (s.length < F.snapEnd) {
    return {
      header: { dsap, ssap, control, hdrLen, snap, oui: null, pid: null },
      offset: hdrLen,
      error: shortError("snap", F.snapEnd, s.length),
    };
  }
  const oui = (s[F.oui] << 16) | (s[F.oui + 1] << 8) | s[F.oui + 2];
  const pid = (s[F.pid] << 8) | s[F.pid + 1];
  return { header: { dsap, ssap, control, hdrLen, snap, oui, pid }, offset: hdrLen + F.snapEnd, error: null };
}
