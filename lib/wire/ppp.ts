/**
 * PPP and Cisco HDLC framing as pcap stores it: LINKTYPE_PPP (9), LINKTYPE_PPP_HDLC (50, libpcap's
 * DLT_PPP_SERIAL) and LINKTYPE_C_HDLC (104). RFC 1661 (PPP), RFC 1662 (HDLC-like framing).
 *
 * ```text
 * PPP (9):        [ff 03] protocol (1 or 2)   address/control optional (ACFC); a protocol whose
 *                                             first byte is odd is 1 byte long (PFC)
 * PPP_HDLC (50):  ff 03 protocol (2)          or a Cisco HDLC frame (first byte 0x0f or 0x8f)
 * C_HDLC (104):   address (1) control (1) protocol (2, an EtherType)
 * ```
 *
 * Rules tcpdump 4.99 follows and this file mirrors:
 * - LINKTYPE_PPP: fewer than 4 captured bytes is a cut header. pppd writes 0x00 ("in") or 0x01 ("out")
 *   instead of 0xff in front of the control byte; those pairs are skipped too.
 * - LINKTYPE_PPP_HDLC does not compress: after ff 03 come 2 protocol bytes.
 * - Protocol 0x0021 (and, as an old convention, 0x0800 and VJ-uncompressed 0x002f) carries IPv4; 0x0057
 *   (and 0x86dd) IPv6. Cisco HDLC carries EtherTypes.
 *
 * @module
 */
import { shortError, WireError, WireErrorCode } from "./errors.ts";
import { throwIf, WireView } from "./_view.ts";

/** Byte positions. PPP's protocol position depends on the frame; these are the uncompressed ones. */
const F = { address: 0, control: 1, protocol: 2, end: 4 } as const;

/** Minimum PPP header tcpdump reads (PPP_HDRLEN) and the Cisco HDLC header length: 4 bytes. */
export const PPP_MIN_CAPTURE: number = F.end;

/** PPP address byte of an HDLC-framed packet. */
export const PPP_ADDRESS = 0xff;
/** PPP control byte (unnumbered information). */
export const PPP_CONTROL = 0x03;

/** Cisco HDLC address bytes. */
export const ChdlcAddress = { UNICAST: 0x0f, BROADCAST: 0x8f } as const;

/** PPP protocol numbers (assigned numbers, RFC 1661 section 2). */
export const PppProtocol = {
  IP: 0x0021,
  OSI: 0x0023,
  IPX: 0x002b,
  VJC: 0x002d,
  VJNC: 0x002f,
  IPV6: 0x0057,
  COMP: 0x00fd,
  MPLS_UCAST: 0x0281,
  MPLS_MCAST: 0x0283,
  IPCP: 0x8021,
  IPV6CP: 0x8057,
  MPLSCP: 0x8281,
  CCP: 0x80fd,
  LCP: 0xc021,
  PAP: 0xc023,
  LQM: 0xc025,
  BACP: 0xc02b,
  BAP: 0xc02d,
  CHAP: 0xc223,
  EAP: 0xc227,
} as const;

/** tcpdump's names of PPP protocols (its `ppptype2str`). */
const PROTO_TEXT: Readonly<Record<number, string>> = {
  0x0021: "IP",
  0x0023: "OSI",
  0x0025: "NS",
  0x0027: "DECNET",
  0x0029: "APPLE",
  0x002b: "IPX",
  0x002d: "VJC IP",
  0x002f: "VJNC IP",
  0x0031: "BRPDU",
  0x0033: "STII",
  0x0035: "VINES",
  0x003d: "MLPPP",
  0x0057: "IP6",
  0x00fd: "Compressed",
  0x0201: "HELLO",
  0x0231: "LUXCOM",
  0x0233: "SNS",
  0x0281: "MPLS",
  0x0283: "MPLS",
  0x8021: "IPCP",
  0x8023: "OSICP",
  0x8025: "NSCP",
  0x8027: "DECNETCP",
  0x8029: "APPLECP",
  0x802b: "IPXCP",
  0x8033: "STIICP",
  0x8035: "VINESCP",
  0x8057: "IP6CP",
  0x80fd: "CCP",
  0x8281: "MPLSCP",
  0xc021: "LCP",
  0xc023: "PAP",
  0xc025: "LQM",
  0xc027: "SPAP",
  0xc02b: "BACP",
  0xc02d: "BAP",
  0xc03d: "MLPPP-CP",
  0xc123: "Old-SPAP",
  0xc223: "CHAP",
  0xc227: "EAP",
};

/**
 * tcpdump's name of a PPP protocol, or null when it has none.
 *
 * @param protocol the protocol number
 * @returns e.g. "IP", "IP6", "LCP", or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppProtocolName } from "./ppp.ts";
 * assert(pppProtocolName(0x57) === "IP6" && pppProtocolName(0x1234) === null);
 * ```
 */
export function pppProtocolName(protocol: number): string | null {
  return PROTO_TEXT[protocol] ?? null;
}

/**
 * The network layer a PPP protocol number carries, as tcpdump dispatches it.
 *
 * @param protocol the PPP protocol
 * @returns 4, 6, or 0 for anything else
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppIpVersion } from "./ppp.ts";
 * assert(pppIpVersion(0x21) === 4 && pppIpVersion(0x86dd) === 6 && pppIpVersion(0xc021) === 0);
 * ```
 */
export function pppIpVersion(protocol: number): 0 | 4 | 6 {
  if (protocol === PppProtocol.IP || protocol === PppProtocol.VJNC || protocol === 0x0800) return 4;
  if (protocol === PppProtocol.IPV6 || protocol === 0x86dd) return 6;
  return 0;
}

/** A decoded PPP header. */
export interface PppHeader {
  /** Address byte (0xff; pppd's 0x00 in / 0x01 out) when an address/control pair is present, else null. */
  readonly address: number | null;
  /** Control byte when present, else null. */
  readonly control: number | null;
  /** Protocol number. */
  readonly protocol: number;
  /** Header length: 1 to 4 bytes. */
  readonly hdrLen: number;
}

/** A decoded Cisco HDLC header. */
export interface ChdlcHeader {
  /** Address: 0x0f unicast, 0x8f broadcast. */
  readonly address: number;
  /** Control byte. */
  readonly control: number;
  /** Protocol (an EtherType). */
  readonly protocol: number;
}

/**
 * A view over a PPP header. `serial` selects LINKTYPE_PPP_HDLC's fixed form (ff 03 and 2 protocol bytes);
 * otherwise LINKTYPE_PPP's, with optional address/control and protocol compression.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PppFrame } from "./ppp.ts";
 * const f = new PppFrame(new Uint8Array([0xff, 0x03, 0x21, 0x45]));
 * assert(f.protocol === 0x21 && f.hdrLen === 3 && f.payload().length === 1);
 * ```
 */
export class PppFrame extends WireView {
  #serial: boolean;
  /**
   * Wraps the bytes, validating them first unless `checked` is false.
   *
   * @param bytes the frame
   * @param checked validate first (default)
   * @param serial LINKTYPE_PPP_HDLC framing
   * @throws {WireError} WIRE_SHORT below 4 bytes; WIRE_BAD_VALUE for a serial frame without ff 03
   */
  constructor(bytes: Uint8Array, checked = true, serial = false) {
    super(bytes);
    this.#serial = serial;
    if (checked) throwIf(this.check());
  }
  /**
   * A view that skips validation, for writing into a buffer of the right size.
   *
   * @param bytes the buffer
   * @param serial LINKTYPE_PPP_HDLC framing
   * @returns the view
   */
  static unchecked(bytes: Uint8Array, serial = false): PppFrame {
    return new PppFrame(bytes, false, serial);
  }
  /**
   * Points the view at new bytes and framing without validating them.
   *
   * @param bytes the new bytes
   * @param serial LINKTYPE_PPP_HDLC framing
   * @returns this view
   */
  resetFraming(bytes: Uint8Array, serial: boolean): this {
    this.#serial = serial;
    return this.reset(bytes);
  }
  /**
   * Returns null when the header can be read (4 captured bytes, as tcpdump requires).
   *
   * @returns null when the header can be read
   */
  check(): WireError | null {
    if (this.b.length < F.end) return shortError("ppp", F.end, this.b.length);
    if (this.#serial && this.b[F.address] !== PPP_ADDRESS) {
      return new WireError("ppp", WireErrorCode.BAD_VALUE, `address 0x${this.b[0].toString(16)}`, 0);
    }
    return null;
  }
  /** Whether an address/control pair comes first. */
  get hasAddressControl(): boolean {
    if (this.#serial) return true;
    const a = this.b[F.address];
    return this.b[F.control] === PPP_CONTROL && (a === PPP_ADDRESS || a === 0x00 || a === 0x01);
  }
  /** Address byte, or null without an address/control pair. */
  get address(): number | null {
    return this.hasAddressControl ? this.b[F.address] : null;
  }
  /** Control byte, or null without an address/control pair. */
  get control(): number | null {
    return this.hasAddressControl ? this.b[F.control] : null;
  }
  /** Where the protocol field starts. */
  get #protoAt(): number {
    return this.hasAddressControl ? F.protocol : 0;
  }
  /** Whether the protocol field is compressed to 1 byte (an odd first byte; never on PPP_HDLC). */
  get #compressed(): boolean {
    return !this.#serial && (this.b[this.#protoAt] & 1) === 1;
  }
  /** Protocol number. */
  get protocol(): number {
    const at = this.#protoAt;
    return this.#compressed ? this.b[at] : this.u16(at);
  }
  /** Header length in bytes. */
  get hdrLen(): number {
    return this.#protoAt + (this.#compressed ? 1 : 2);
  }
  /**
   * Returns the bytes after the header (a view).
   *
   * @returns the bytes after the header (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(this.hdrLen);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   */
  header(): PppHeader {
    return { address: this.address, control: this.control, protocol: this.protocol, hdrLen: this.hdrLen };
  }
}

/**
 * A view over a Cisco HDLC header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChdlcFrame } from "./ppp.ts";
 * const f = new ChdlcFrame(new Uint8Array([0x0f, 0, 0x08, 0]));
 * assert(f.protocol === 0x0800 && f.address === 0x0f);
 * ```
 */
export class ChdlcFrame extends WireView {
  /**
   * Wraps the bytes, validating them first unless `checked` is false.
   *
   * @param bytes the frame
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
  static unchecked(bytes: Uint8Array): ChdlcFrame {
    return new ChdlcFrame(bytes, false);
  }
  /**
   * Returns null when the 4-byte header is present.
   *
   * @returns null when the 4-byte header is present
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("chdlc", F.end, this.b.length) : null;
  }
  /** Address byte. */
  get address(): number {
    return this.b[F.address];
  }
  set address(x: number) {
    this.b[F.address] = x;
  }
  /** Control byte. */
  get control(): number {
    return this.b[F.control];
  }
  set control(x: number) {
    this.b[F.control] = x;
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
  header(): ChdlcHeader {
    return { address: this.address, control: this.control, protocol: this.protocol };
  }
}

/**
 * Parses a PPP header (LINKTYPE_PPP, or LINKTYPE_PPP_HDLC with `serial`).
 *
 * @param bytes the frame
 * @param serial LINKTYPE_PPP_HDLC framing
 * @returns the header
 * @throws {WireError} WIRE_SHORT, WIRE_BAD_VALUE
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePpp } from "./ppp.ts";
 * assert(parsePpp(new Uint8Array([0x00, 0x57, 0x60, 0])).protocol === 0x57);
 * assert(parsePpp(new Uint8Array([0xff, 0x03, 0x00, 0x21]), true).hdrLen === 4);
 * ```
 */
export function parsePpp(bytes: Uint8Array, serial = false): PppHeader {
  return new PppFrame(bytes, true, serial).header();
}

/**
 * Reads the PPP header at the start of a frame that has no link framing of its own (PPPoE's session stage),
 * as tcpdump's ppp_print does: an optional address/control pair (ff 03, or pppd's 00 03 / 01 03 for in and
 * out), then a protocol field of 1 byte when its first byte is odd (RFC 1661's compression), else 2.
 *
 * @param b the bytes from the PPP header on
 * @returns the header, or a {@link WireError} (WIRE_SHORT) when the protocol field was not captured
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPppHeader } from "./ppp.ts";
 * assert.deepEqual(readPppHeader(new Uint8Array([0xff, 3, 0x21, 0x45])), {
 *   address: 0xff, control: 3, protocol: 0x21, hdrLen: 3,
 * });
 * ```
 */
export function readPppHeader(b: Uint8Array): PppHeader | WireError {
  // tcpdump reads two bytes first, whatever they turn out to be.
  if (b.length < 2) return shortError("ppp", 2, b.length);
  let at = 0, address: number | null = null, control: number | null = null;
  if (b[1] === PPP_CONTROL && (b[0] === PPP_ADDRESS || b[0] === 0x00 || b[0] === 0x01)) {
    address = b[0];
    control = PPP_CONTROL;
    at = 2;
  }
  const need = at + (b.length > at && (b[at] & 1) === 1 ? 1 : 2);
  if (b.length < need) return shortError("ppp", need, b.length);
  const protocol = need === at + 1 ? b[at] : (b[at] << 8) | b[at + 1];
  return { address, control, protocol, hdrLen: need };
}

/**
 * Parses a Cisco HDLC header.
 *
 * @param bytes the frame
 * @returns the header
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChdlc } from "./ppp.ts";
 * assert(parseChdlc(new Uint8Array([0x8f, 0, 0x86, 0xdd])).protocol === 0x86dd);
 * ```
 */
export function parseChdlc(bytes: Uint8Array): ChdlcHeader {
  return new ChdlcFrame(bytes).header();
}

/**
 * Builds a PPP header plus payload: ff 03 and the 2-byte protocol unless told otherwise.
 *
 * @param h the protocol; `addressControl` false drops ff 03 (ACFC); `compress` writes an odd protocol
 *   below 0x100 as 1 byte (PFC)
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitPpp } from "./ppp.ts";
 * assert(emitPpp({ protocol: 0x21 }).join() === "255,3,0,33");
 * assert(emitPpp({ protocol: 0x21, addressControl: false, compress: true }).join() === "33");
 * ```
 */
export function emitPpp(
  h: { protocol: number; addressControl?: boolean; compress?: boolean },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const ac = h.addressControl ?? true;
  const short = h.compress === true && h.protocol < 0x100 && (h.protocol & 1) === 1;
  const hdr = (ac ? 2 : 0) + (short ? 1 : 2);
  const out = new Uint8Array(hdr + payload.length);
  let at = 0;
  if (ac) {
    out[at++] = PPP_ADDRESS;
    out[at++] = PPP_CONTROL;
  }
  if (!short) out[at++] = h.protocol >> 8;
  out[at++] = h.protocol & 0xff;
  out.set(payload, hdr);
  return out;
}

/**
 * Builds a Cisco HDLC header plus payload.
 *
 * @param h fields; `address` defaults to unicast (0x0f), `control` to 0
 * @param payload what follows
 * @returns the bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitChdlc } from "./ppp.ts";
 * assert(emitChdlc({ protocol: 0x0800 }).join() === "15,0,8,0");
 * ```
 */
export function emitChdlc(
  h: { address?: number; control?: number; protocol: number },
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(F.end + payload.length);
  const f = ChdlcFrame.unchecked(out);
  f.address = h.address ?? ChdlcAddress.UNICAST;
  f.control = h.control ?? 0;
  f.protocol = h.protocol;
  out.set(payload, F.end);
  return out;
}

/**
 * The header length of a PPP frame (1 to 4), or of Cisco HDLC (4).
 *
 * @param h a decoded header
 * @returns the bytes before the payload
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppHeaderLen } from "./ppp.ts";
 * assert(pppHeaderLen({ address: null, control: null, protocol: 0x21, hdrLen: 1 }) === 1);
 * ```
 */
export function pppHeaderLen(h: PppHeader | ChdlcHeader): number {
  return "hdrLen" in h ? h.hdrLen : F.end;
}

/**
 * tcpdump's `-e` text of a PPP header: `IP (0x0021), length 32` (pppd's direction first: `In  `, `Out `).
 *
 * @param h the header
 * @param length the frame's length on the wire
 * @returns the text; a protocol tcpdump cannot name reads `unknown (0x....)`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPpp } from "./ppp.ts";
 * const h = { address: 0xff, control: 3, protocol: 0xc021, hdrLen: 4 };
 * assert(formatPpp(h, 8) === "LCP (0xc021), length 8");
 * ```
 */
export function formatPpp(h: PppHeader, length: number): string {
  const dir = h.control === PPP_CONTROL
    ? (h.address === 0x00 ? "In  " : h.address === 0x01 ? "Out " : "")
    : "";
  const p = `0x${h.protocol.toString(16).padStart(4, "0")}`;
  return `${dir}${pppProtocolName(h.protocol) ?? "unknown"} (${p}), length ${length}`;
}

/**
 * Text of a Cisco HDLC header's address: `unicast`, `bcast` or `0x..`.
 *
 * @param h the header
 * @returns the address as tcpdump names it
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatChdlc } from "./ppp.ts";
 * assert(formatChdlc({ address: 0x8f, control: 0, protocol: 0x800 }) === "bcast");
 * ```
 */
export function formatChdlc(h: ChdlcHeader): string {
  if (h.address === ChdlcAddress.UNICAST) return "unicast";
  if (h.address === ChdlcAddress.BROADCAST) return "bcast";
  return `0x${h.address.toString(16).padStart(2, "0")}`;
}
