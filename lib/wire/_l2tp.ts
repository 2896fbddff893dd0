/**
 * Private: L2TP version 2 (RFC 2661) over UDP port 1701 as tcpdump 4.99 prints it (print-l2tp.c), with the
 * PPP frame a data message carries (print-ppp.c's ppp_print).
 *
 * ```text
 * flags and version (2): T L x x S x O P x x x x | version (4 bits)
 * [length (2), if L] | tunnel id (2) | session id (2) | [Ns (2) | Nr (2), if S] | [offset size (2), pad, if O]
 * control message (T): AVPs: M H reserved (4 bits) | length (10 bits) | vendor id (2) | type (2) | value
 * ```
 *
 * tcpdump starts with a space: ` l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) *PROTO_VER(1.0)
 * *FRAMING_CAP(S) *HOST_NAME(lac) *ASSND_TUN_ID(1)`, the flags in brackets, the tunnel and session ids,
 * the sequence numbers, then each AVP: `*` when mandatory, `?` when hidden (its value then reads `???`),
 * its name (or `AVP-#77`) and its value decoded as RFC 2661 section 4.4 says (message types, result and
 * error codes with their message, protocol version, framing and bearer capabilities as `A`/`S`/`D`, tie
 * breaker, numbers, strings, octets in hex, Q.931 cause, call errors, ACCM, proxy authentication, RFC 3145's
 * PPP disconnect cause), `AVP too short` for one shorter than its value; a vendor AVP is
 * `VENDOR0009:ATTR0001(0102)`. An empty control message is ` ZLB`. A data message prints the PPP frame in
 * braces: ` l2tp:[](1/2) {IP 10.1.1.1 > 10.1.1.2: ICMP echo request, ...}` (the address and control bytes
 * and a compressed protocol field are read as ppp_print reads them; control protocols, PAP, CHAP, MLPPP,
 * compressed data and unknown protocols (named, then a hex dump) are printed here, IP, IPv6, MPLS, IPX and
 * OSI by the caller's printer). Version 1 (L2F) prints ` l2f:` alone, any other version ` Unknown Version,
 * neither L2F(1) nor L2TP(2)`; -v changes only what the PPP frame prints.
 *
 * Checks tcpdump makes print ` Length N larger than packet`, ` Length N smaller than header length`,
 * ` No length` (a control message without L); an AVP shorter than its 6-byte header, longer than the
 * message or not captured whole prints ` [|l2tp]` after its space and ends the list; offset padding not
 * captured prints ` [|l2tp]`. A header field read past the captured bytes is tcpdump's long jump
 * (` [|l2tp]`, or ` [|ppp]` inside the PPP frame, where the closing brace is then missing).
 *
 * Not covered: `-e`, with which ppp_print names the protocol and pppd's direction (the sniffer's caller
 * does not pass -e here); IPX, OSI and BAP inside PPP without a caller's printer (printed as
 * `IPX (0x002b), length N`).
 *
 * @module
 */
import { hexLines } from "./_nd.ts";
import { pppCtrlText } from "./_ppp_ctrl.ts";
import { Cut, type Out, type Printed, textChar, u16, u32, u8 } from "./_text.ts";
import { pppProtocolName } from "./ppp.ts";

/**
 * What netkit's sniffer prints for a network packet carried in PPP, as tcpdump's handle_ppp would (its
 * ip_print, ip6_print, mpls_print, ipx_print, isoclns_print): null for a protocol it does not print.
 *
 * @param protocol the PPP protocol (0x0021, 0x002f or 0x0800: IPv4; 0x0057 or 0x86dd: IPv6; 0x0281 and
 *   0x0283: MPLS; 0x002b and 0x8137: IPX; 0x0023: OSI)
 * @param bytes the captured bytes after the protocol field
 * @param length their length on the wire
 */
export type PppNetworkPrinter = (protocol: number, bytes: Uint8Array, length: number) => Printed | null;

const FLAG_T = 0x8000, FLAG_L = 0x4000, FLAG_S = 0x0800, FLAG_O = 0x0200, FLAG_P = 0x0100;
const AVP_M = 0x8000, AVP_H = 0x4000, AVP_LEN = 0x03ff, AVP_HEADER = 6;

const MESSAGE_TYPES: Record<number, string> = {
  1: "SCCRQ",
  2: "SCCRP",
  3: "SCCCN",
  4: "StopCCN",
  6: "HELLO",
  7: "OCRQ",
  8: "OCRP",
  9: "OCCN",
  10: "ICRQ",
  11: "ICRP",
  12: "ICCN",
  14: "CDN",
  15: "WEN",
  16: "SLI",
};

const AVP_NAMES = (
  "MSGTYPE RESULT_CODE PROTO_VER FRAMING_CAP BEARER_CAP TIE_BREAKER FIRM_VER HOST_NAME VENDOR_NAME " +
  "ASSND_TUN_ID RECV_WIN_SIZE CHALLENGE Q931_CC CHALLENGE_RESP ASSND_SESS_ID CALL_SER_NUM MINIMUM_BPS " +
  "MAXIMUM_BPS BEARER_TYPE FRAMING_TYPE PACKET_PROC_DELAY CALLED_NUMBER CALLING_NUMBER SUB_ADDRESS " +
  "TX_CONN_SPEED PHY_CHANNEL_ID INI_RECV_LCP LAST_SENT_LCP LAST_RECV_LCP PROXY_AUTH_TYPE PROXY_AUTH_NAME " +
  "PROXY_AUTH_CHAL PROXY_AUTH_ID PROXY_AUTH_RESP CALL_ERRORS ACCM RANDOM_VECTOR PRIVATE_GRP_ID " +
  "RX_CONN_SPEED SEQ_REQUIRED"
).split(" ");
const PPP_DISCON_CC = 46;

const AUTH_TYPES = ["Reserved", "Textual", "CHAP", "PAP", "No Auth", "MS-CHAPv1"];
const DIRECTIONS = ["global error", "at peer", "at local"];

/** AVP types by how their value prints. */
const STRINGS = new Set([7, 8, 21, 22, 23, 30, 37]);
const OCTETS = new Set([11, 26, 27, 28, 31, 33, 36]);
const SHORTS = new Set([6, 9, 10, 14]);
const LONGS = new Set([15, 16, 17, 24, 25, 38]);

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex4 = (x: number) => x.toString(16).padStart(4, "0");

/** An AVP's value: its bytes inside the message (all captured) and how many. */
interface Value {
  p: Uint8Array;
  at: number;
  n: number;
}

const text = (v: Value, at: number, n: number) => {
  let s = "";
  for (let k = 0; k < n; k++) s += textChar(v.p[at + k]);
  return s;
};
const octets = (v: Value, at: number, n: number) => Array.from(v.p.subarray(at, at + n), hex2).join("");

/** `A` then `S` (framing) or `A` then `D` (bearer) for the low two bits of a 32-bit value. */
function bits(v: Value, second: string): string {
  if (v.n < 4) return "AVP too short";
  const x = u32(v.p, v.at);
  return (x & 2 ? "A" : "") + (x & 1 ? second : "");
}

/** The call errors or ACCM AVP: 2 reserved bytes, then 32-bit fields, each printed while there is room. */
function fields(v: Value, names: string[], hex: boolean): string {
  if (v.n < 2) return "AVP too short";
  let s = "";
  for (let k = 0; k < names.length; k++) {
    if (v.n - 2 - 4 * k < 4) return s + "AVP too short";
    const x = u32(v.p, v.at + 2 + 4 * k);
    s += `${names[k]}=${hex ? x.toString(16).padStart(8, "0") : x} `;
  }
  return s;
}

/** An IETF AVP's value as tcpdump decodes it (`""` for a type it only names). */
function value(type: number, v: Value): string {
  const { p, at, n } = v;
  const short = (min: number, f: () => string) => (n < min ? "AVP too short" : f());
  if (STRINGS.has(type)) return text(v, at, n);
  if (OCTETS.has(type)) return octets(v, at, n);
  if (SHORTS.has(type)) return short(2, () => `${u16(p, at)}`);
  if (LONGS.has(type)) return short(4, () => `${u32(p, at)}`);
  switch (type) {
    case 0:
      return short(2, () => MESSAGE_TYPES[u16(p, at)] ?? `MSGTYPE-#${u16(p, at)}`);
    case 1: {
      if (n < 2) return "AVP too short";
      let s = `${u16(p, at)}`;
      if (n === 2) return s;
      if (n < 4) return s + " AVP too short";
      s += `/${u16(p, at + 2)}`;
      return n === 4 ? s : `${s} ${text(v, at + 4, n - 4)}`;
    }
    case 2:
      return short(2, () => `${p[at]}.${p[at + 1]}`);
    case 3:
    case 19:
      return bits(v, "S");
    case 4:
    case 18:
      return bits(v, "D");
    case 5:
      return short(8, () => octets(v, at, 8));
    case 12:
      return short(3, () => `${u16(p, at)}, ${hex2(p[at + 2])}${n > 3 ? ` ${text(v, at + 3, n - 3)}` : ""}`);
    case 13:
      return short(16, () => octets(v, at, 16));
    case 20:
      return "obsolete";
    case 29:
      return short(2, () => AUTH_TYPES[u16(p, at)] ?? `AuthType-#${u16(p, at)}`);
    case 32:
      return short(2, () => `${p[at + 1]}`);
    case 34:
      return fields(v, ["CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout", "AlignErr"], false);
    case 35:
      return fields(v, ["send", "recv"], true);
    case PPP_DISCON_CC:
      return short(5, () => {
        const d = p[at + 4];
        const s = `${hex4(u16(p, at))}, ${hex4(u16(p, at + 2))} ${DIRECTIONS[d] ?? `Direction-#${d}`}`;
        return n > 5 ? `${s} ${text(v, at + 5, n - 5)}` : s;
      });
  }
  return "";
}

/**
 * One AVP at `at` with `room` bytes of the message left: its text, and its length (0: tcpdump gave up on
 * it, after printing ` [|l2tp]`).
 */
function avp(o: Out, p: Uint8Array, at: number, room: number): number {
  o.s += " ";
  const head = u16(p, at);
  const len = head & AVP_LEN;
  if (len < AVP_HEADER || len > room || at + len > p.length) {
    o.s += " [|l2tp]";
    return 0;
  }
  if (head & AVP_M) o.s += "*";
  if (head & AVP_H) o.s += "?";
  const vendor = u16(p, at + 2), type = u16(p, at + 4);
  const v: Value = { p, at: at + AVP_HEADER, n: len - AVP_HEADER };
  if (vendor) o.s += `VENDOR${hex4(vendor)}:ATTR${hex4(type)}(${octets(v, v.at, v.n)})`;
  else {
    const name = type === PPP_DISCON_CC ? "PPP_DISCON_CC" : AVP_NAMES[type] ?? `AVP-#${type}`;
    o.s += `${name}(${head & AVP_H ? "???" : value(type, v)})`;
  }
  return len;
}

/** The PPP protocols a caller's printer may take. */
const NETWORK = new Set([0x0021, 0x002f, 0x0800, 0x0057, 0x86dd, 0x0281, 0x0283, 0x002b, 0x8137, 0x0023]);

/** The PPP frame's printing: the text, -v level, the caller's printer, whether ppp_print has started. */
interface Ppp {
  o: Out;
  v: number;
  network?: PppNetworkPrinter;
  inPpp: boolean;
  /** `-e`: ppp_print names the protocol and the frame's length first. */
  link: boolean;
}

/** Thrown when a printer called for the PPP payload already ended its text with its long jump's mark. */
class Jumped {}

/** MLPPP (RFC 1990) with a 12-bit sequence number, as handle_mlppp prints it. */
function mlppp(f: Ppp, b: Uint8Array, at: number, length: number): void {
  // With -e the name came with the protocol number.
  if (!f.link) f.o.s += "MLPPP, ";
  if (length < 2 || at + 2 > b.length) {
    f.o.s += "[|mlppp]";
    return;
  }
  const flags = [b[at] & 0x80 ? "begin" : "", b[at] & 0x40 ? "end" : ""].filter((x) => x).join(", ");
  f.o.s += `seq 0x${(u16(b, at) & 0xfff).toString(16).padStart(3, "0")}, Flags [${
    flags || "none"
  }], length ${length}`;
}

/** handle_ppp: what follows the protocol field, `at` in `b`, `length` bytes of it on the wire. */
function handlePpp(f: Ppp, protocol: number, b: Uint8Array, at: number, length: number): void {
  if ((protocol & 0xff00) === 0x7e00) return hdlc(f, b, at - 1, length);
  const rest = b.subarray(Math.min(at, b.length));
  const ctrl = pppCtrlText(protocol, rest, length, f.v, "ppp");
  if (ctrl) {
    f.o.s += ctrl.text;
    if (ctrl.jump) throw new Jumped();
    return;
  }
  if (protocol === 0x003d) return mlppp(f, b, at, length);
  if (protocol === 0xc02d) return; // BAP: tcpdump's handle_bap prints nothing
  if (protocol === 0x00fd) {
    f.o.s += "compressed PPP data";
    return;
  }
  const name = pppProtocolName(protocol);
  if (NETWORK.has(protocol)) {
    const t = f.network?.(protocol, rest, length);
    if (t) {
      f.o.s += t.text;
      if (t.jump) throw new Jumped();
    } else f.o.s += `${name ?? "IPX"} (0x${hex4(protocol)}), length ${length}`;
    return;
  }
  f.o.s += `${name ?? `unknown PPP protocol (0x${hex4(protocol)})`} ${hexLines(b, at, length, "\n\t")}`;
}

/**
 * ppp_hdlc: a protocol field starting 0x7e is taken for RFC 1662 framing; tcpdump un-escapes every
 * captured byte from `at` (0x7d, then the next byte xor 0x20) and guesses again: IP, IPv6, ff 03 and a
 * protocol, or a protocol.
 */
function hdlc(f: Ppp, b: Uint8Array, at: number, length: number): void {
  if (at >= b.length || length === 0) return;
  const out: number[] = [];
  for (let k = at; k < b.length; k++) {
    let c = b[k];
    if (c === 0x7d) {
      if (k + 1 >= b.length) break;
      c = b[++k] ^ 0x20;
    }
    out.push(c);
  }
  const u = Uint8Array.from(out), n = u.length;
  if (n < 1) {
    f.o.s += " [|ppp]";
    return;
  }
  if (u[0] === 0x21 || u[0] === 0x57) return handlePpp(f, u[0], u, 1, n - 1);
  if (n < 2) {
    f.o.s += " [|ppp]";
    return;
  }
  let protocol = u16(u, 0), from = 2;
  if (protocol === 0xff03) {
    if (n < 4) {
      f.o.s += " [|ppp]";
      return;
    }
    protocol = u16(u, 2);
    from = 4;
  }
  if ((protocol & 0xff00) === 0x7e00) f.o.s += `(protocol 0x${hex4(protocol)} invalid)`;
  else handlePpp(f, protocol, u, from, n - from);
}

/** ppp_print: the address and control bytes (ff 03, or pppd's 00/01 03) skipped, a 1- or 2-byte protocol. */
function pppFrame(f: Ppp, b: Uint8Array, at: number, length: number): void {
  f.inPpp = true;
  const whole = length;
  if (length < 2) {
    f.o.s += " [|ppp]";
    return;
  }
  const head = u16(b, at);
  if (head === 0xff03 || head === 0x0003 || head === 0x0103) {
    // pppd's direction in place of the address (with -e).
    if (f.link && head !== 0xff03) f.o.s += head === 0x0003 ? "In  " : "Out ";
    at += 2;
    length -= 2;
  }
  if (length < 2) {
    f.o.s += " [|ppp]";
    return;
  }
  let protocol: number;
  if (u8(b, at) & 1) {
    protocol = b[at];
    at++;
    length--;
  } else {
    protocol = u16(b, at);
    at += 2;
    length -= 2;
  }
  if (f.link) {
    // -e: the protocol's name and the frame's length; a protocol without a name stops there.
    const name = pppProtocolName(protocol);
    f.o.s += `${name ?? "unknown"} (0x${hex4(protocol)}), length ${whole}`;
    if (!name) return;
    f.o.s += ": ";
  }
  handlePpp(f, protocol, b, at, length);
}

/** l2tp_print. */
function l2tp(o: Out, p: Uint8Array, length: number, f: Ppp): void {
  const head = u16(p, 0);
  const version = head & 0xf;
  if (version === 1) {
    o.s += " l2f:";
    return;
  }
  if (version !== 2) {
    o.s += " Unknown Version, neither L2F(1) nor L2TP(2)";
    return;
  }
  o.s += " l2tp:[";
  for (
    const [bit, c] of [[FLAG_T, "T"], [FLAG_L, "L"], [FLAG_S, "S"], [FLAG_O, "O"], [FLAG_P, "P"]] as const
  ) {
    if (head & bit) o.s += c;
  }
  o.s += "]";
  let at = 2;
  let l2tpLen = 0;
  if (head & FLAG_L) {
    l2tpLen = u16(p, at);
    at += 2;
  }
  o.s += `(${u16(p, at)}/`;
  o.s += `${u16(p, at + 2)})`;
  at += 4;
  if (head & FLAG_S) {
    o.s += `Ns=${u16(p, at)},`;
    o.s += `Nr=${u16(p, at + 2)}`;
    at += 4;
  }
  if (head & FLAG_O) {
    const pad = u16(p, at);
    if (at + 2 + pad > p.length) {
      o.s += " [|l2tp]";
      return;
    }
    at += 2 + pad;
  }
  if (head & FLAG_L) {
    if (length < l2tpLen) {
      o.s += ` Length ${l2tpLen} larger than packet`;
      return;
    }
    length = l2tpLen;
  }
  if (length < at) {
    o.s += ` Length ${length} smaller than header length`;
    return;
  }
  if (head & FLAG_T) {
    if (!(head & FLAG_L)) {
      o.s += " No length";
      return;
    }
    if (length === at) o.s += " ZLB";
    while (at < length) {
      const n = avp(o, p, at, length - at);
      if (n === 0) break;
      at += n;
    }
    return;
  }
  o.s += " {";
  pppFrame(f, p, at, length - at);
  o.s += "}";
}

/**
 * tcpdump's text for an L2TP datagram: what follows `sport > dport: ` (it starts with a space).
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s (only the PPP frame a data message carries
 *   prints more)
 * @param network prints an IP, IPv6, MPLS, IPX or OSI packet a data message's PPP frame carries, as the
 *   sniffer prints one (without it, a short placeholder: `IP (0x0021), length 84`)
 * @param link `-e`: the PPP frame's protocol name and length before it
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); never null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { l2tpText } from "./_l2tp.ts";
 * // A control message (T, L, S) with one AVP: Message Type, mandatory, Hello.
 * const hello = new Uint8Array([0xc8, 2, 0, 20, 0, 1, 0, 0, 0, 3, 0, 4, 0x80, 8, 0, 0, 0, 0, 0, 6]);
 * assert.deepEqual(l2tpText(hello, 20, 0), { text: " l2tp:[TLS](1/0)Ns=3,Nr=4 *MSGTYPE(HELLO)", jump: false });
 * // A data message carrying an LCP Echo-Request.
 * const echo = new Uint8Array([0, 2, 0, 1, 0, 2, 0xff, 3, 0xc0, 0x21, 9, 1, 0, 8, 0xaa, 0xbb, 0xcc, 0xdd]);
 * assert.equal(l2tpText(echo, 18, 0)?.text, " l2tp:[](1/2) {LCP, Echo-Request (0x09), id 1, length 10}");
 * ```
 */
export function l2tpText(
  p: Uint8Array,
  length: number,
  verbosity: number,
  network?: PppNetworkPrinter,
  link = false,
): Printed | null {
  const o: Out = { s: "" };
  const f: Ppp = { o, v: verbosity, network, inPpp: false, link };
  try {
    l2tp(o, p, length, f);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Jumped) return { text: o.s, jump: true };
    if (!(e instanceof Cut)) throw e;
    // Inside the PPP frame tcpdump's current protocol is "ppp".
    return { text: `${o.s} [|${f.inPpp ? "ppp" : "l2tp"}]`, jump: true };
  }
}
