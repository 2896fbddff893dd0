/**
 * Geneve, Generic Network Virtualization Encapsulation (RFC 8926): a packet of any EtherType (an Ethernet
 * frame for 0x6558, Transparent Ethernet Bridging) carried in UDP to port 6081, with options. Open vSwitch,
 * OVN and cloud load balancers use it.
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options                    |
 * ```
 *
 * Each option: class (2 bytes), type (1; its top bit "critical"), 3 reserved bits and a length in 4-byte
 * words (5 bits), then the data.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";

/** The fixed header's length: 8 bytes. */
export const GENEVE_HEADER_LEN = 8;
/** The IANA port (RFC 8926 section 3.3). */
export const GENEVE_PORT = 6081;
/** Transparent Ethernet Bridging: the payload is an Ethernet frame. */
export const GENEVE_PROTO_TEB = 0x6558;

/** A Geneve header. */
export interface GeneveHeader {
  /** Version (0 is the only one defined). */
  readonly version: number;
  /** The options' length in bytes (the header's 6-bit field times 4). */
  readonly optLen: number;
  /** O: an OAM packet. */
  readonly oam: boolean;
  /** C: critical options are present. */
  readonly critical: boolean;
  /** The payload's EtherType. */
  readonly protocol: number;
  /** The 24-bit Virtual Network Identifier. */
  readonly vni: number;
}

/**
 * Reads a Geneve header (not its options).
 *
 * @param b the bytes from the Geneve header on
 * @returns the header, or a {@link WireError} when fewer than 8 bytes are there
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGeneve } from "./geneve.ts";
 * const h = parseGeneve(new Uint8Array([0x01, 0x40, 0x65, 0x58, 0, 0x12, 0x34, 0]));
 * assert.deepEqual(h, { version: 0, optLen: 4, oam: false, critical: true, protocol: 0x6558, vni: 0x1234 });
 * ```
 */
export function parseGeneve(b: Uint8Array): GeneveHeader | WireError {
  if (b.length < GENEVE_HEADER_LEN) return shortError("geneve", GENEVE_HEADER_LEN, b.length);
  return {
    version: b[0] >> 6,
    optLen: (b[0] & 0x3f) * 4,
    oam: (b[1] & 0x80) !== 0,
    critical: (b[1] & 0x40) !== 0,
    protocol: (b[2] << 8) | b[3],
    vni: (b[4] << 16) | (b[5] << 8) | b[6],
  };
}

/** Fields of {@link emitGeneve}; unset ones take their usual values. */
export interface GeneveFields {
  /** VNI, 0 to 2^24 - 1. */
  vni: number;
  /** The payload's EtherType; default 0x6558 (an Ethernet frame). */
  protocol?: number;
  /** O flag. */
  oam?: boolean;
  /** C flag. */
  critical?: boolean;
  /** Options, already encoded (a multiple of 4 bytes, at most 252). */
  options?: Uint8Array;
}

/**
 * Builds a Geneve header, its options and `payload`, in one buffer of the exact size.
 *
 * @param h the fields
 * @param payload the packet carried
 * @returns the bytes
 * @throws {RangeError} for a VNI out of range or options that are not a multiple of 4 bytes up to 252
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitGeneve } from "./geneve.ts";
 * assert.deepEqual([...emitGeneve({ vni: 5, protocol: 0x0800 })], [0, 0, 8, 0, 0, 0, 5, 0]);
 * ```
 */
export function emitGeneve(h: GeneveFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opts = h.options ?? new Uint8Array(0);
  if (!Number.isInteger(h.vni) || h.vni < 0 || h.vni > 0xffffff) throw new RangeError(`VNI ${h.vni}`);
  if (opts.length % 4 !== 0 || opts.length > 252) {
    throw new RangeError(`Geneve options of ${opts.length} bytes`);
  }
  const proto = h.protocol ?? GENEVE_PROTO_TEB;
  const out = new Uint8Array(GENEVE_HEADER_LEN + opts.length + payload.length);
  out[0] = opts.length / 4;
  out[1] = (h.oam ? 0x80 : 0) | (h.critical ? 0x40 : 0);
  out[2] = proto >> 8;
  out[3] = proto & 0xff;
  out[4] = h.vni >>> 16;
  out[5] = (h.vni >>> 8) & 0xff;
  out[6] = h.vni & 0xff;
  out.set(opts, GENEVE_HEADER_LEN);
  out.set(payload, GENEVE_HEADER_LEN + opts.length);
  return out;
}

/** tcpdump's names of option classes (format_opt_class). */
function optClass(c: number): string {
  const named: Record<number, string> = {
    0x0100: "Linux",
    0x0101: "Open vSwitch",
    0x0102: "Open Virtual Networking (OVN)",
    0x0103: "In-band Network Telemetry (INT)",
    0x0104: "VMware",
  };
  return named[c] ?? (c <= 0xff ? "Standard" : c >= 0xfff0 ? "Experimental" : "Unknown");
}

const FLAG_NAMES: [number, string][] = [
  [0x80, "O"],
  [0x40, "C"],
  [0x20, "R1"],
  [0x10, "R2"],
  [0x08, "R3"],
  [0x04, "R4"],
  [0x02, "R5"],
  [0x01, "R6"],
];

/**
 * tcpdump 4.99's text for a Geneve header and its options (geneve_print), up to the packet it carries:
 * `Geneve, Flags [OC], vni 0x1234, options [8 bytes]`; with -e the protocol (`, proto TEB (0x6558)`),
 * with -v each option (class, type, length), with -vv their data. `payload` says the carried packet's text
 * follows (after `: `, or a newline and a tab with -v); otherwise the text is all there is (a datagram
 * shorter than a header, another version, options longer than the datagram, or a cut: ` [|geneve]`).
 *
 * @param b the captured bytes from the Geneve header on
 * @param length the UDP payload's length
 * @param o `link` (-e), `verbosity` (0 without -v), and the names tcpdump gives EtherTypes
 * @returns the text, whether the carried packet follows, and whether the text ends by a long jump (an
 *   option's fields read past the capture)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { geneveText } from "./geneve.ts";
 * const h = new Uint8Array([0, 0, 0x65, 0x58, 0, 0, 5, 0]);
 * assert.deepEqual(geneveText(h, 50, { link: false, verbosity: 0, ethertypeName: () => "TEB" }), {
 *   text: "Geneve, Flags [none], vni 0x5: ",
 *   payload: true,
 *   jump: false,
 * });
 * ```
 */
export function geneveText(
  b: Uint8Array,
  length: number,
  o: { link: boolean; verbosity: number; ethertypeName: (t: number) => string | undefined },
): { text: string; payload: boolean; jump: boolean } {
  let s = "Geneve";
  if (length < GENEVE_HEADER_LEN) {
    return { text: `${s} [length ${length} < 8] (invalid)`, payload: false, jump: false };
  }
  // tcpdump checks the header, then the options, against the capture (no long jump).
  const cut = () => ({ text: s + " [|geneve]", payload: false, jump: false });
  if (b.length < GENEVE_HEADER_LEN) return cut();
  const version = b[0] >> 6;
  if (version !== 0) return { text: `${s} ERROR: unknown-version ${version}`, payload: false, jump: false };
  const flags = b[1], proto = (b[2] << 8) | b[3], vni = (b[4] << 16) | (b[5] << 8) | b[6];
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n).join("");
  s += `, Flags [${names || "none"}], vni 0x${vni.toString(16)}`;
  if (b[7]) s += `, rsvd 0x${b[7].toString(16)}`;
  if (o.link) {
    s += `, proto ${o.ethertypeName(proto) ?? "unknown"} (0x${proto.toString(16).padStart(4, "0")})`;
  }
  const optLen = (b[0] & 0x3f) * 4, left = length - GENEVE_HEADER_LEN;
  if (left < optLen) {
    return { text: `${s} truncated-geneve - ${optLen - left} bytes missing`, payload: false, jump: false };
  }
  if (b.length < GENEVE_HEADER_LEN + optLen) return cut();
  if (optLen > 0) {
    s += ", options [";
    if (o.verbosity > 0) {
      // Offsets into `b`: an option's fields may be read past the options (into the payload).
      const end = GENEVE_HEADER_LEN + optLen;
      let sep = "";
      for (let at = GENEVE_HEADER_LEN; at < end;) {
        s += sep;
        sep = ", ";
        if (at + 4 > b.length) return cut();
        const c = (b[at] << 8) | b[at + 1], type = b[at + 2], len = 4 + (b[at + 3] & 0x1f) * 4;
        s += `class ${optClass(c)} (0x${c.toString(16)}) type 0x${type.toString(16)}${
          type & 0x80 ? "(C)" : ""
        } len ${len}`;
        if (len > end - at) {
          s += " [bad length]";
          break;
        }
        if (o.verbosity > 1 && len > 4) {
          s += " data";
          for (let k = at + 4; k < at + len; k += 4) {
            const w = ((b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3]) >>> 0;
            s += ` ${w.toString(16).padStart(8, "0")}`;
          }
        }
        at += len;
      }
    } else s += `${optLen} bytes`;
    s += "]";
  }
  return { text: s + (o.verbosity > 0 ? "\n\t" : ": "), payload: true, jump: false };
}
