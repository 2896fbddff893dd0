/**
 * Private: tcpdump's text for EAPOL, 802.1X's EAP over LAN (EtherType 0x888e; print-eap.c as tcpdump
 * 4.99.3 prints it), and the EAP packet (RFC 3748) it carries.
 *
 * ```text
 * EAPOL: | version (1) | type (1) | body length (2) | body ...
 * EAP:   | code (1) | identifier (1) | length (2) | type (1, requests and responses) | type data ...
 * ```
 *
 * tcpdump's rules:
 * - The first line is `NAME (type) vVERSION, len BODYLENGTH`; only `-v` goes further, and only into an EAP
 *   packet (type 0): the Start, Logoff, Key and ASF alert types print nothing more.
 * - The EAP length must equal the EAPOL body length (else `EAP fragment?`); an EAP packet of length 0 ends
 *   in ` [|eap]`, one below 4 is `(too short for EAP header)`, a request or response below 5
 *   `(too short for EAP request/response)`; each type's data has its own `(too short for ...)`.
 * - The EAP packet must be captured whole (` [|eap]` otherwise). Everything it prints lies inside it, so the
 *   only reads that can fail are the EAPOL header (` [|eap]`) and the EAP header (` [|eap]` after a long
 *   jump: tcpdump's `-x` then dumps the whole frame).
 * - Identity and Notification text stops at a NUL; bytes show as tcpdump shows them (`^A`, `M-^@`).
 *
 * @module
 */
import { textChar } from "./_text.ts";

const CUT = " [|eap]";

/** Offsets in the EAPOL header, then in the EAP packet from its start. */
const F = {
  version: 0,
  type: 1,
  bodyLength: 2,
  body: 4,
  code: 0,
  id: 1,
  length: 2,
  eapType: 4,
  data: 5,
} as const;
const EAP_HEADER_LEN = 4;
/** The EAP header and type byte (requests and responses). */
const EAP_TYPED_LEN = 5;
/** The TLS-style flags byte and the 4-byte TLS message length it may announce. */
const TLS_FLAGS_LEN = 6;
const TLS_WITH_LENGTH_LEN = 10;

const EAPOL_TYPES: Record<number, string> = {
  0: "EAP packet",
  1: "EAPOL start",
  2: "EAPOL logoff",
  3: "EAPOL key",
  4: "Encapsulated ASF alert",
};
const EAPOL_PACKET = 0;

/** EAP codes (RFC 3748), shared with RADIUS's EAP-Message. */
export const CODES: Record<number, string> = { 1: "Request", 2: "Response", 3: "Success", 4: "Failure" };
const REQUEST = 1, RESPONSE = 2;

/** EAP types as tcpdump's print-eap.c names them. */
export const TYPES: Record<number, string> = {
  0: "No proposed",
  1: "Identity",
  2: "Notification",
  3: "Nak",
  4: "MD5-challenge",
  5: "OTP",
  6: "GTC",
  13: "TLS",
  18: "SIM",
  21: "TTLS",
  23: "AKA",
  43: "FAST",
  254: "Expanded types",
  255: "Experimental",
};
/** The EAP types whose data tcpdump prints. */
export const T = {
  identity: 1,
  notification: 2,
  nak: 3,
  tls: 13,
  sim: 18,
  ttls: 21,
  aka: 23,
  fast: 43,
} as const;

/** EAP-TLS/TTLS/FAST flag bits in tcpdump's order; L announces the 4-byte length. */
export const TLS_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x80, "L bit"],
  [0x40, "More fragments bit"],
  [0x20, "Start bit"],
];
const TLS_L_BIT = 0x80;
const TLS_VERSION_MASK = 0x07;

/** EAP-SIM (RFC 4186) and EAP-AKA (RFC 4187) subtypes, one table for both as tcpdump has it. */
export const SIM_AKA_SUBTYPES: Record<number, string> = {
  1: "Challenge",
  2: "Auth reject",
  4: "Sync failure",
  5: "Identity",
  10: "Start",
  11: "Challenge",
  12: "Notification",
  13: "Reauth",
  14: "Client error",
};

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const named = (t: Record<number, string>, v: number) => `${t[v] ?? "unknown"} (${v})`;

/**
 * tcpdump's text for an EAPOL frame.
 *
 * @param b the captured bytes after the link header
 * @param length their length on the wire
 * @param verbosity how many -v (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null to print it as an undecoded EtherType
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eapolText } from "./_eapol.ts";
 * const frame = new Uint8Array([1, 0, 0, 5, 1, 1, 0, 5, 1]); // EAP Request, Identity
 * assert.equal(eapolText(frame, 9, 0)?.text, "EAP packet (0) v1, len 5");
 * assert.equal(eapolText(frame.subarray(0, 6), 9, 1)?.jump, true);
 * ```
 */
export function eapolText(
  b: Uint8Array,
  length: number,
  verbosity: number,
): { text: string; jump: boolean } | null {
  // tcpdump's EAPOL printer takes no length: only what was captured counts.
  void length;
  if (b.length < F.body) return { text: CUT, jump: false };
  const type = b[F.type];
  const bodyLength = (b[F.bodyLength] << 8) | b[F.bodyLength + 1];
  const head = `${named(EAPOL_TYPES, type)} v${b[F.version]}, len ${bodyLength}`;
  if (verbosity < 1 || type !== EAPOL_PACKET) return { text: head, jump: false };
  if (bodyLength === 0) return { text: head + CUT, jump: false };
  const eap = b.subarray(F.body);
  // The code and the length are read before anything is checked: a cut EAP header is a long jump.
  if (eap.length < EAP_HEADER_LEN) return { text: `${head}, ${CUT}`, jump: true };
  return { text: `${head}, ${eapPacket(eap, bodyLength)}`, jump: false };
}

/** The EAP packet, its header wholly captured; `expected` is the length EAPOL announced. */
function eapPacket(p: Uint8Array, expected: number): string {
  const code = p[F.code];
  const len = (p[F.length] << 8) | p[F.length + 1];
  // Probably a fragment: tcpdump does not look further.
  if (len !== expected) return "EAP fragment?";
  const s = `${named(CODES, code)}, id ${p[F.id]}, len ${len}`;
  if (len < EAP_HEADER_LEN) return s + " (too short for EAP header)";
  if (p.length < len) return s + CUT;
  if (code !== REQUEST && code !== RESPONSE) return s;
  if (len < EAP_TYPED_LEN) return s + " (too short for EAP request/response)";
  const type = p[F.eapType];
  return `${s}\n\t\t Type ${named(TYPES, type)}${typeData(p, type, len)}`;
}

/** What follows the type of a request or response, `p` captured up to `len` at least. */
function typeData(p: Uint8Array, type: number, len: number): string {
  switch (type) {
    case T.identity:
      return len > EAP_TYPED_LEN ? `, Identity: ${text(p, F.data, len)}` : "";
    case T.notification:
      return len > EAP_TYPED_LEN
        ? `, Notification: ${text(p, F.data, len)}`
        : " (too short for EAP Notification request/response)";
    case T.nak: {
      if (len <= EAP_TYPED_LEN) return " (too short for EAP Legacy NAK request/response)";
      // The authentication types the peer would accept instead, one byte each.
      const wanted: string[] = [];
      for (let at = F.data; at < len; at++) wanted.push(` ${named(TYPES, p[at])}`);
      return wanted.join(",");
    }
    case T.tls:
    case T.ttls:
    case T.fast: {
      const what = type === T.fast ? "FAST" : "TLS/TTLS";
      if (len < TLS_FLAGS_LEN) return ` (too short for EAP ${what} request/response)`;
      const flags = p[F.data];
      let s = type === T.tls ? "" : ` ${type === T.ttls ? "TTLS" : "FAST"}v${flags & TLS_VERSION_MASK}`;
      const names = TLS_FLAGS.filter(([bit]) => flags & bit).map(([, n]) => n);
      s += ` flags [${names.length ? names.join(", ") : "none"}] 0x${hex2(flags)}`;
      if (!(flags & TLS_L_BIT)) return s;
      if (len < TLS_WITH_LENGTH_LEN) return s + ` (too short for EAP ${what} request/response with length)`;
      const at = F.data + 1;
      return s + `, len ${((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0}`;
    }
    case T.sim:
    case T.aka: {
      if (len < TLS_FLAGS_LEN) return " (too short for EAP SIM/AKA request/response)";
      const sub = p[F.data];
      return ` subtype [${SIM_AKA_SUBTYPES[sub] ?? "unknown"}] 0x${hex2(sub)}`;
    }
    default:
      return "";
  }
}

/** The bytes from `at` to `end` as tcpdump prints text, stopping at a NUL. */
function text(p: Uint8Array, at: number, end: number): string {
  let s = "";
  for (; at < end && p[at] !== 0; at++) s += textChar(p[at]);
  return s;
}
