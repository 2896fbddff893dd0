/**
 * Generic Routing Encapsulation: RFC 2784 / RFC 1701 (version 0, with key and sequence number of RFC 2890)
 * and the enhanced GRE of PPTP (RFC 2637, version 1).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Offset (optional)       |  C or R
 * |                         Key (optional)                        |  K (v1: payload length, call id)
 * |                 Sequence Number (optional)                    |  S
 * |             Acknowledgment Number (optional, v1)              |  A
 * ```
 *
 * Rules that are easy to miss: the checksum and offset words are both present when either C or R is set; R
 * (RFC 1701 source routing, deprecated) is followed by a list of source route entries that this module does
 * not walk, so a header with R set is reported without its payload. The Protocol Type is an EtherType
 * (0x6558, Transparent Ethernet Bridging, carries a whole Ethernet frame).
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";
import { ETHERTYPE_NAMES } from "./_ethertypes.ts";

const F = { flags: 0, proto: 2, end: 4 } as const;

/** Length of the fixed part of the header: 4 bytes. */
export const GRE_BASE_LEN: number = F.end;

/** Bits of the first 16-bit word. */
export const GreFlag = {
  CHECKSUM: 0x8000,
  ROUTING: 0x4000,
  KEY: 0x2000,
  SEQUENCE: 0x1000,
  STRICT_ROUTE: 0x0800,
  ACK: 0x0080,
} as const;

/** A decoded GRE header; optional fields are null when absent (or, in a cut header, not reached). */
export interface GreHeader {
  /** Version (low 3 bits of the first word): 0 GRE, 1 enhanced GRE (PPTP). */
  readonly version: number;
  /** The whole first word (flags, recursion, version). */
  readonly flags: number;
  /** Protocol Type (an EtherType), or null when the header stops before it. */
  readonly protocol: number | null;
  /** Checksum word (C or R set). */
  readonly checksum: number | null;
  /** Offset word (C or R set). */
  readonly offset: number | null;
  /** Key (K set); in version 1 the payload length (high half) and call id (low half). */
  readonly key: number | null;
  /** Sequence number (S set). */
  readonly seq: number | null;
  /** Acknowledgment number (version 1, A set). */
  readonly ack: number | null;
  /** Bytes of header read (the payload starts here when `complete`). */
  readonly hdrLen: number;
}

/** What {@link walkGre} found. */
export interface GreWalk {
  /** The header, or null when not even the first word is there. */
  header: GreHeader | null;
  /** Every field the flags announce was present. */
  complete: boolean;
  /** Why the header is incomplete, or null. */
  error: WireError | null;
}

/**
 * Reads a GRE header field by field, stopping at the first one that is not there: a cut header still
 * yields the fields before the cut (tcpdump prints those before its ` [|gre]`).
 *
 * @param b the bytes from the GRE header on
 * @param length how many bytes the IP header says the GRE packet has (defaults to `b.length`)
 * @returns the header read so far, whether it is complete, and why not
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkGre } from "./gre.ts";
 * const w = walkGre(new Uint8Array([0x20, 0x00, 0x08, 0x00, 0, 0, 0, 5]));
 * assert(w.complete && w.header?.protocol === 0x0800 && w.header.key === 5 && w.header.hdrLen === 8);
 * assert(!walkGre(new Uint8Array([0x20, 0x00, 0x08, 0x00])).complete);
 * ```
 */
export function walkGre(b: Uint8Array, length: number = b.length): GreWalk {
  const have = Math.min(b.length, length);
  if (have < 2) return { header: null, complete: false, error: shortError("gre", 2, have) };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = dv.getUint16(F.flags);
  const h = {
    version: flags & 7,
    flags,
    protocol: null as number | null,
    checksum: null as number | null,
    offset: null as number | null,
    key: null as number | null,
    seq: null as number | null,
    ack: null as number | null,
    hdrLen: 2,
  };
  const cut = (need: number) => ({ header: h, complete: false, error: shortError("gre", need, have) });
  if (have < F.end) return cut(F.end);
  h.protocol = dv.getUint16(F.proto);
  h.hdrLen = F.end;
  let at = F.end;
  const v0 = h.version === 0;
  if (v0 && (flags & (GreFlag.CHECKSUM | GreFlag.ROUTING))) {
    if (have < at + 2) return cut(at + 2);
    h.checksum = dv.getUint16(at);
    if (have < at + 4) return cut(at + 4);
    h.offset = dv.getUint16(at + 2);
    h.hdrLen = at += 4;
  }
  if (flags & GreFlag.KEY) {
    if (have < at + 4) return cut(at + 4);
    h.key = dv.getUint32(at);
    h.hdrLen = at += 4;
  }
  if (flags & GreFlag.SEQUENCE) {
    if (have < at + 4) return cut(at + 4);
    h.seq = dv.getUint32(at);
    h.hdrLen = at += 4;
  }
  if (!v0 && (flags & GreFlag.ACK)) {
    if (have < at + 4) return cut(at + 4);
    h.ack = dv.getUint32(at);
    h.hdrLen = at += 4;
  }
  return { header: h, complete: true, error: null };
}

const FLAG_TEXT: [number, string][] = [
  [GreFlag.CHECKSUM, "checksum present"],
  [GreFlag.ROUTING, "routing present"],
  [GreFlag.KEY, "key present"],
  [GreFlag.SEQUENCE, "sequence# present"],
  [GreFlag.STRICT_ROUTE, "source routing present"],
  [GreFlag.ACK, "ack present"],
];

/** Options of {@link formatGre}. */
export interface GreFormatOptions {
  /** `-e`: name the protocol type. */
  link?: boolean;
  /** `-v`: the flags and the checksum. */
  verbose?: boolean;
  /** The GRE packet's length from the IP header. */
  length: number;
}

/**
 * tcpdump's text for a GRE header, up to and including `, length N` (the caller adds `: ` and the payload),
 * or ending in ` [|gre]` when the header is cut.
 *
 * @param w what {@link walkGre} returned
 * @param o output options and the length
 * @returns e.g. `GREv0, key=0x5, length 36`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatGre, walkGre } from "./gre.ts";
 * const w = walkGre(new Uint8Array([0x20, 0x00, 0x08, 0x00, 0, 0, 0, 5]));
 * assert(formatGre(w, { length: 36 }) === "GREv0, key=0x5, length 36");
 * assert(formatGre(w, { length: 36, link: true }) === "GREv0, key=0x5, proto IPv4 (0x0800), length 36");
 * ```
 */
export function formatGre(w: GreWalk, o: GreFormatOptions): string {
  const h = w.header;
  if (!h) return " [|gre]";
  let s = `GREv${h.version}`;
  if (h.version > 1) return s + " ERROR: unknown-version";
  if (o.verbose) {
    const f = FLAG_TEXT.filter(([bit]) => h.flags & bit).map(([, t]) => t);
    s += `, Flags [${f.length ? f.join(", ") : "none"}]`;
  }
  if (h.version === 0) {
    if (h.checksum !== null && o.verbose) s += `, sum 0x${h.checksum.toString(16)}`;
    if (h.offset !== null) s += `, off 0x${h.offset.toString(16)}`;
    if (h.key !== null) s += `, key=0x${h.key.toString(16)}`;
    if (h.seq !== null) s += `, seq ${h.seq}`;
  } else {
    if (h.key !== null) s += `, call ${h.key & 0xffff}`;
    if (h.seq !== null) s += `, seq ${h.seq}`;
    if (h.ack !== null) s += `, ack ${h.ack}`;
  }
  if (!w.complete || h.protocol === null) return s + " [|gre]";
  if (h.version === 1 && !(h.flags & GreFlag.SEQUENCE)) s += ", no-payload";
  if (o.link) {
    s += `, proto ${ETHERTYPE_NAMES[h.protocol] ?? "unknown"} (0x${
      h.protocol.toString(16).padStart(4, "0")
    })`;
  }
  return s + `, length ${o.length}`;
}
