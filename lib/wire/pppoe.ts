/**
 * PPPoE, PPP over Ethernet (RFC 2516): EtherType 0x8863 for the discovery stage (PADI, PADO, PADR, PADS,
 * PADT, each a list of tags) and 0x8864 for the session stage (a PPP frame: protocol field, payload).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |           payload             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * Rules that are easy to miss: LENGTH counts the payload only, not the 6-byte header, and Ethernet padding
 * follows it in short frames; the session stage's code is 0, and tcpdump (like the kernel) tells the stages
 * by the code, not by the EtherType; a discovery tag is type, length, value, and tag 0 (End-Of-List) ends the
 * list. VER and TYPE are both 1.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";

/** The header's length: 6 bytes. */
export const PPPOE_HEADER_LEN = 6;

/** PPPoE codes (RFC 2516 section 5); 0 is a session-stage packet. */
export const PppoeCode = {
  SESSION: 0x00,
  PADI: 0x09,
  PADO: 0x07,
  PADR: 0x19,
  PADS: 0x65,
  PADT: 0xa7,
} as const;

/** Discovery tag types (RFC 2516 appendix A; 0x0120 from RFC 4638). */
export const PppoeTag = {
  END_OF_LIST: 0x0000,
  SERVICE_NAME: 0x0101,
  AC_NAME: 0x0102,
  HOST_UNIQ: 0x0103,
  AC_COOKIE: 0x0104,
  VENDOR_SPECIFIC: 0x0105,
  RELAY_SESSION_ID: 0x0110,
  PPP_MAX_PAYLOAD: 0x0120,
  SERVICE_NAME_ERROR: 0x0201,
  AC_SYSTEM_ERROR: 0x0202,
  GENERIC_ERROR: 0x0203,
} as const;

/** tcpdump's names of the codes (an empty name for the session stage). */
const CODE_NAMES: Readonly<Record<number, string>> = {
  0x00: "",
  0x09: "PADI",
  0x07: "PADO",
  0x19: "PADR",
  0x65: "PADS",
  0xa7: "PADT",
};

/** tcpdump's names of the tags. */
const TAG_NAMES: Readonly<Record<number, string>> = {
  0x0000: "EOL",
  0x0101: "Service-Name",
  0x0102: "AC-Name",
  0x0103: "Host-Uniq",
  0x0104: "AC-Cookie",
  0x0105: "Vendor-Specific",
  0x0110: "Relay-Session-ID",
  0x0120: "PPP-Max-Payload",
  0x0201: "Service-Name-Error",
  0x0202: "AC-System-Error",
  0x0203: "Generic-Error",
};

/** A PPPoE header. */
export interface PppoeHeader {
  /** VER, 1. */
  readonly version: number;
  /** TYPE, 1. */
  readonly type: number;
  /** CODE: one of {@link PppoeCode}, 0 in the session stage. */
  readonly code: number;
  /** SESSION_ID (0 until PADS assigns one). */
  readonly session: number;
  /** LENGTH: of the payload, in bytes. */
  readonly length: number;
}

/**
 * Reads a PPPoE header.
 *
 * @param b the bytes from the PPPoE header on
 * @returns the header, or a {@link WireError} when fewer than 6 bytes are there
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePppoe } from "./pppoe.ts";
 * const h = parsePppoe(new Uint8Array([0x11, 0x09, 0, 0, 0, 4]));
 * assert.deepEqual(h, { version: 1, type: 1, code: 9, session: 0, length: 4 });
 * ```
 */
export function parsePppoe(b: Uint8Array): PppoeHeader | WireError {
  if (b.length < PPPOE_HEADER_LEN) return shortError("pppoe", PPPOE_HEADER_LEN, b.length);
  return {
    version: b[0] >> 4,
    type: b[0] & 0xf,
    code: b[1],
    session: (b[2] << 8) | b[3],
    length: (b[4] << 8) | b[5],
  };
}

/** Fields of {@link emitPppoe}; unset ones take their usual values. */
export interface PppoeFields {
  /** CODE; default 0 (session stage). */
  code?: number;
  /** SESSION_ID; default 0. */
  session?: number;
  /** VER; default 1. */
  version?: number;
  /** TYPE; default 1. */
  type?: number;
  /** LENGTH; default the payload's length (set it only to build a wrong one). */
  length?: number;
}

const u16ok = (x: number) => Number.isInteger(x) && x >= 0 && x <= 0xffff;
const u8ok = (x: number) => Number.isInteger(x) && x >= 0 && x <= 0xff;
const u4ok = (x: number) => Number.isInteger(x) && x >= 0 && x <= 0xf;

/**
 * Builds a PPPoE header followed by `payload` (tags from {@link emitPppoeTags}, or a PPP frame: protocol
 * field and payload), in one buffer of the exact size.
 *
 * @param h the fields
 * @param payload what follows the header
 * @returns the bytes
 * @throws {RangeError} for a field out of range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitPppoe } from "./pppoe.ts";
 * assert.deepEqual([...emitPppoe({ session: 0x11 }, new Uint8Array([0, 0x21]))], [0x11, 0, 0, 0x11, 0, 2, 0, 0x21]);
 * ```
 */
export function emitPppoe(h: PppoeFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const version = h.version ?? 1, type = h.type ?? 1, code = h.code ?? 0, session = h.session ?? 0;
  const length = h.length ?? payload.length;
  if (!u4ok(version) || !u4ok(type)) throw new RangeError(`PPPoE version/type ${version}/${type}`);
  if (!u8ok(code)) throw new RangeError(`PPPoE code ${code}`);
  if (!u16ok(session) || !u16ok(length)) throw new RangeError(`PPPoE session/length ${session}/${length}`);
  const out = new Uint8Array(PPPOE_HEADER_LEN + payload.length);
  out[0] = (version << 4) | type;
  out[1] = code;
  out[2] = session >> 8;
  out[3] = session & 0xff;
  out[4] = length >> 8;
  out[5] = length & 0xff;
  out.set(payload, PPPOE_HEADER_LEN);
  return out;
}

/** One discovery tag. */
export interface PppoeTagValue {
  /** Tag type, one of {@link PppoeTag} or another. */
  readonly type: number;
  /** Its value (a string is written as UTF-8). */
  readonly value: Uint8Array | string;
}

/**
 * Builds a discovery stage's tag list.
 *
 * @param tags the tags, in order
 * @returns the bytes
 * @throws {RangeError} for a type or value length out of range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitPppoeTags, PppoeTag } from "./pppoe.ts";
 * const b = emitPppoeTags([{ type: PppoeTag.SERVICE_NAME, value: "" }, { type: PppoeTag.HOST_UNIQ, value: "ab" }]);
 * assert.deepEqual([...b], [1, 1, 0, 0, 1, 3, 0, 2, 0x61, 0x62]);
 * ```
 */
export function emitPppoeTags(tags: readonly PppoeTagValue[]): Uint8Array {
  const values = tags.map((t) => typeof t.value === "string" ? new TextEncoder().encode(t.value) : t.value);
  const out = new Uint8Array(values.reduce((n, v) => n + 4 + v.length, 0));
  let at = 0;
  tags.forEach((t, k) => {
    const v = values[k];
    if (!u16ok(t.type) || !u16ok(v.length)) throw new RangeError(`PPPoE tag ${t.type}, ${v.length} bytes`);
    out[at] = t.type >> 8;
    out[at + 1] = t.type & 0xff;
    out[at + 2] = v.length >> 8;
    out[at + 3] = v.length & 0xff;
    out.set(v, at + 4);
    at += 4 + v.length;
  });
  return out;
}

/**
 * tcpdump's name of a PPPoE code: `PADI`, ..., `""` for the session stage, `PAD-xx` for others.
 *
 * @param code the code
 * @returns the name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppoeCodeName } from "./pppoe.ts";
 * assert(pppoeCodeName(0xa7) === "PADT" && pppoeCodeName(0x33) === "PAD-33");
 * ```
 */
export function pppoeCodeName(code: number): string {
  return CODE_NAMES[code] ?? `PAD-${code.toString(16)}`;
}

/** tcpdump prints at most this many characters of a tag value as text (its MAXTAGPRINT - 1). */
const TAG_TEXT_MAX = 79;

/**
 * The start of tcpdump 4.99's text for a PPPoE packet (pppoe_print), up to what the payload adds:
 * `PPPoE PADI [Service-Name]`, `PPPoE  [ses 0x11] ` then the PPP frame's text. A discovery packet's tags
 * are all here: a readable value in quotes (79 characters at most, `.` for the rest), other values in hex;
 * ` [|pppoe]` where a tag was cut by the capture. Too short a packet is ` (length N < 6) (invalid)`.
 *
 * @param b the captured bytes from the PPPoE header on
 * @param length their length on the wire
 * @returns the text; for a session-stage packet how many bytes of PPP frame tcpdump reads (its LENGTH, but
 *   no more than the wire holds), -1 when nothing follows; and whether the capture cut what tcpdump read
 *   (its -x then dumps the whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppoeText } from "./pppoe.ts";
 * const b = new Uint8Array([0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0]);
 * assert.deepEqual(pppoeText(b, b.length), { text: "PPPoE PADI [Service-Name]", ppp: -1, cut: false });
 * ```
 */
export function pppoeText(b: Uint8Array, length: number): { text: string; ppp: number; cut: boolean } {
  if (length < PPPOE_HEADER_LEN) return { text: ` (length ${length} < 6) (invalid)`, ppp: -1, cut: false };
  if (b.length < PPPOE_HEADER_LEN) return { text: " [|pppoe]", ppp: -1, cut: true };
  const rest = length - PPPOE_HEADER_LEN;
  const ver = b[0] >> 4, type = b[0] & 0xf, code = b[1], session = (b[2] << 8) | b[3];
  let plen = (b[4] << 8) | b[5];
  let s = "";
  if (ver !== 1) s += ` [ver ${ver}]`;
  if (type !== 1) s += ` [type ${type}]`;
  s += `PPPoE ${pppoeCodeName(code)}`;
  if (code === PppoeCode.PADI && plen > 1484 - PPPOE_HEADER_LEN) s += ` [len ${plen}!]`;
  if (plen > rest) {
    s += ` [len ${plen} > ${rest}!]`;
    plen = rest;
  }
  if (session) s += ` [ses 0x${session.toString(16)}]`;
  if (code === PppoeCode.SESSION) return { text: s + " ", ppp: plen, cut: false };
  const end = PPPOE_HEADER_LEN + plen;
  let tag = 0xffff;
  for (let at = PPPOE_HEADER_LEN; tag !== 0 && at < end;) {
    if (at + 4 > b.length) return { text: s + " [|pppoe]", ppp: -1, cut: true };
    tag = (b[at] << 8) | b[at + 1];
    const tlen = (b[at + 2] << 8) | b[at + 3];
    at += 4;
    const name = TAG_NAMES[tag] ?? `TAG-0x${tag.toString(16)}`;
    if (tlen === 0) {
      s += ` [${name}]`;
      continue;
    }
    if (at + tlen > b.length) return { text: s + " [|pppoe]", ppp: -1, cut: true };
    let text = "", printable = 0;
    for (let k = at; k < at + tlen && k - at < TAG_TEXT_MAX; k++) {
      const c = b[k];
      if (c >= 0x20 && c < 0x7f) {
        text += String.fromCharCode(c);
        printable++;
      } else text += ".";
    }
    if (printable > text.length - printable) s += ` [${name} "${text}"]`;
    else {
      let hex = "";
      for (let k = at; k < at + tlen; k++) hex += b[k].toString(16).padStart(2, "0").toUpperCase();
      s += ` [${name} 0x${hex}]`;
    }
    at += tlen;
  }
  return { text: s, ppp: -1, cut: false };
}
