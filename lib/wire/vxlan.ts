/**
 * VXLAN, Virtual eXtensible Local Area Network (RFC 7348): an Ethernet frame carried in UDP, to port 4789
 * (IANA; Linux's `ip link add type vxlan` defaults to it with `dstport 4789`).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * Rules that are easy to miss: the I flag (0x08) says the VNI is valid and must be set; receivers ignore the
 * reserved bits, so a header with other bits set still carries a frame (tcpdump prints it as it is, its
 * flags in hex, and "invalid" for the names when I is clear). Either port 4789 selects VXLAN in tcpdump, not only the destination: replies from a VTEP
 * come from a random source port to 4789, but some implementations answer from 4789.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";

/** The header's length: 8 bytes. */
export const VXLAN_HEADER_LEN = 8;
/** The IANA port (RFC 7348 section 5). */
export const VXLAN_PORT = 4789;
/** The I flag: the VNI is valid. */
export const VXLAN_FLAG_I = 0x08;

/** A VXLAN header. */
export interface VxlanHeader {
  /** The flags byte (0x08, I, in a well-formed header). */
  readonly flags: number;
  /** The 24-bit VXLAN Network Identifier. */
  readonly vni: number;
}

/**
 * Reads a VXLAN header.
 *
 * @param b the bytes from the VXLAN header on
 * @returns the header, or a {@link WireError} when fewer than 8 bytes are there
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseVxlan } from "./vxlan.ts";
 * const h = parseVxlan(new Uint8Array([0x08, 0, 0, 0, 0, 0, 100, 0]));
 * assert.deepEqual(h, { flags: 8, vni: 100 });
 * ```
 */
export function parseVxlan(b: Uint8Array): VxlanHeader | WireError {
  if (b.length < VXLAN_HEADER_LEN) return shortError("vxlan", VXLAN_HEADER_LEN, b.length);
  return { flags: b[0], vni: (b[4] << 16) | (b[5] << 8) | b[6] };
}

/** Fields of {@link emitVxlan}; unset ones take their usual values. */
export interface VxlanFields {
  /** Flags byte; default 0x08 (I). */
  flags?: number;
  /** VNI, 0 to 2^24 - 1. */
  vni: number;
}

/**
 * Builds a VXLAN header followed by `payload` (an Ethernet frame), in one buffer of the exact size.
 *
 * @param h the fields
 * @param payload the frame carried
 * @returns the bytes
 * @throws {RangeError} for a VNI or flags byte out of range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitVxlan } from "./vxlan.ts";
 * assert.deepEqual([...emitVxlan({ vni: 0x010203 }, new Uint8Array([9]))], [8, 0, 0, 0, 1, 2, 3, 0, 9]);
 * ```
 */
export function emitVxlan(h: VxlanFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const flags = h.flags ?? VXLAN_FLAG_I;
  if (!Number.isInteger(h.vni) || h.vni < 0 || h.vni > 0xffffff) throw new RangeError(`VNI ${h.vni}`);
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) throw new RangeError(`VXLAN flags ${flags}`);
  const out = new Uint8Array(VXLAN_HEADER_LEN + payload.length);
  out[0] = flags;
  out[4] = h.vni >>> 16;
  out[5] = (h.vni >>> 8) & 0xff;
  out[6] = h.vni & 0xff;
  out.set(payload, VXLAN_HEADER_LEN);
  return out;
}

/**
 * tcpdump 4.99's text for a VXLAN header (vxlan_print), up to the frame it carries: `VXLAN, flags [I] (0x08),
 * vni 100` and a newline when the whole header is there (`frame` true: the carried frame's text follows).
 * `invalid` stands in place of I when that flag is clear (the only flag tcpdump names). A datagram too short
 * for a header is `VXLAN (invalid)`; a header cut by the capture ends with ` [|vxlan]` where tcpdump's next
 * read failed.
 *
 * @param b the captured bytes from the VXLAN header on
 * @param length the UDP payload's length (as sent)
 * @returns the text, and whether the carried frame's text follows
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vxlanText } from "./vxlan.ts";
 * assert.deepEqual(vxlanText(new Uint8Array([8, 0, 0, 0, 0, 0, 100, 0]), 50), {
 *   text: "VXLAN, flags [I] (0x08), vni 100\n",
 *   frame: true,
 * });
 * ```
 */
export function vxlanText(b: Uint8Array, length: number): { text: string; frame: boolean } {
  if (length < VXLAN_HEADER_LEN) return { text: "VXLAN (invalid)", frame: false };
  if (b.length < 1) return { text: "VXLAN [|vxlan]", frame: false };
  const flags = b[0];
  let s = `VXLAN, flags [${flags & VXLAN_FLAG_I ? "I" : "invalid"}] (0x${
    flags.toString(16).padStart(2, "0")
  }), `;
  if (b.length < 7) return { text: s + " [|vxlan]", frame: false };
  s += `vni ${(b[4] << 16) | (b[5] << 8) | b[6]}\n`;
  // The last reserved byte is read before the frame.
  if (b.length < VXLAN_HEADER_LEN) return { text: s + " [|vxlan]", frame: false };
  return { text: s, frame: true };
}

/** VXLAN-GPE's port (draft-ietf-nvo3-vxlan-gpe): a VXLAN header whose fourth byte names the payload. */
export const VXLAN_GPE_PORT = 4790;

/** VXLAN-GPE's next protocols tcpdump prints: IPv4, IPv6, Ethernet and NSH. */
export const VxlanGpeNext = { IPV4: 1, IPV6: 2, ETHERNET: 3, NSH: 4 } as const;

/**
 * tcpdump 4.99's text for a VXLAN-GPE header (vxlan_gpe_print), up to what it carries:
 * `VXLAN-GPE, flags [IP], vni 1: ` (a newline and four spaces instead of `: ` with -v). `next` is the
 * next protocol when the carried packet's text follows, null when the text is all there is (too short, an
 * unknown next protocol, or a cut: tcpdump's ` [|vxlan_gpe]`, a long jump).
 *
 * @param b the captured bytes from the header on
 * @param length the UDP payload's length
 * @param verbose `-v`
 * @returns the text, the next protocol or null, and whether the text ends by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vxlanGpeText } from "./vxlan.ts";
 * assert.deepEqual(vxlanGpeText(new Uint8Array([0x0c, 0, 0, 1, 0, 0, 1, 0]), 40, false), {
 *   text: "VXLAN-GPE, flags [IP], vni 1: ",
 *   next: 1,
 *   jump: false,
 * });
 * ```
 */
export function vxlanGpeText(
  b: Uint8Array,
  length: number,
  verbose: boolean,
): { text: string; next: number | null; jump: boolean } {
  let s = "VXLAN-GPE, ";
  if (length < VXLAN_HEADER_LEN) {
    return { text: `${s} (len ${length} < 8) (invalid)`, next: null, jump: false };
  }
  const cut = () => ({ text: s + " [|vxlan_gpe]", next: null, jump: true });
  if (b.length < 1) return cut();
  const names = [[0x08, "I"], [0x04, "P"], [0x02, "B"], [0x01, "O"]] as const;
  s += `flags [${names.filter(([bit]) => b[0] & bit).map(([, n]) => n).join("") || "none"}], `;
  // The next protocol, the VNI and the reserved byte are read before the VNI is printed.
  if (b.length < VXLAN_HEADER_LEN) return cut();
  s += `vni ${(b[4] << 16) | (b[5] << 8) | b[6]}${verbose ? "\n    " : ": "}`;
  const next = b[3];
  if (next < 1 || next > 4) {
    return { text: s + "ERROR: unknown-next-protocol (invalid)", next: null, jump: false };
  }
  return { text: s, next, jump: false };
}
