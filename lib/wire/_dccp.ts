/**
 * Private: DCCP (IP protocol 33, RFC 4340) as tcpdump 4.99 prints it (print-dccp.c), over IPv4 and IPv6.
 *
 * ```text
 * generic header: sport (2) | dport (2) | data offset (1, words) | CCVal (4 bits) CsCov (4 bits) | checksum (2)
 *                 | reserved (3 bits) type (4 bits) X (1 bit) | X=0: seq (3)  X=1: reserved (1) seq (6)
 * then by type:   Request: service code (4); Response: ack subheader (8) service code (4); Reset: ack
 *                 subheader (8) code (1) data (3); Data: nothing; every other type: ack subheader (8)
 * ack subheader:  X=0: reserved (1) ack (3) [+ 4 bytes tcpdump still requires]; X=1: reserved (2) ack (6)
 * then options up to the data offset, then the application data
 * ```
 *
 * tcpdump prints the addresses with the ports itself (after IPv6 extension headers too), then `DCCP`:
 *
 * ```text
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP DCCP-Request (service=42)
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP DCCP-Reset (code=no_connection) (ack=73588229205)
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP (CCVal 0, CsCov 0, cksum 0x1188 (correct)) DCCP-Request (service=42) (-v)
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP (CCVal 15, CsCov 2, cksum 0x7dfe (incorrect -> 0x7dee)) DCCP-DataAck
 *   (ack=73588229205) seq 78187493530 <nop, mandatory, slowreceiver, Option 3, Option 31, nop, nop, nop> (-vv)
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP (CCVal 0, CsCov 0) DCCP-Ack (ack=73588229205) seq 78187493530
 *   <timestamp 123456,  [|dccp]                                                             (-vv, cut)
 * 10.0.0.1.5001 > 10.0.0.2.5002: DCCP 3                                                            (-q)
 * ```
 *
 * - The type: `DCCP-Request (service=N) `, `DCCP-Response (service=N) `, `DCCP-Reset (code=name) ` (codes
 *   0-11 by name, others `invalid`), `DCCP-Data `, `DCCP-Ack `, ..., `unknown-type-N ` for 10-15; then, for
 *   all but Data and Request, `(ack=N) ` (types 10-15 included, read without a length check).
 * - `-v`: `(CCVal c, CsCov s` and, when the whole packet was captured, `, cksum 0x1234 ` with `(correct)` or
 *   `(incorrect -> 0x5678)`, the checksum over the pseudo-header and the bytes CsCov covers; then `)`.
 * - `-vv`: `seq N`, then the options between the type's fixed part and the data offset, `<a, b, c>`: names
 *   (`nop`, `mandatory`, `slowreceiver`, `change_l` ... `data_checksum`, `Option N`, `CCID option N`) with
 *   their values; a length below 2 (`... optlen too short`) or past the data offset (`... optlen goes past
 *   header length`) ends the list.
 * - `-q`: `DCCP N`, N the length after the data offset as an unsigned 32-bit number, with ` [bad hdr
 *   length 20 - too long, > 19]` when the data offset passes the packet.
 * - A packet shorter than its header prints `truncated-dccp - 3 bytes missing!` (no addresses), one shorter
 *   than its type's fixed part `truncated-DCCP-Ack - 4 bytes missing!` after the addresses (and the `-v`
 *   part). Outside `-q` the data after the header is neither counted nor shown; `-q` prints nothing else (no
 *   `-v` part).
 * - Truncation: the header, the Request, Response and Reset parts and each option are checked before
 *   they are printed (` [|dccp]`, no addresses for a header not captured; after an option, the list still
 *   closes: ` [|dccp]>`); the ack number of the other types and an option's type and length bytes are read
 *   without a check, a long jump.
 *
 * @module
 */
import type { Printed } from "./_text.ts";
import type { PseudoHeader } from "./_l4.ts";
import { pseudoSum } from "./_l4.ts";
import { fold, sum } from "./checksum.ts";

/** What the text needs from the carrying IP header and the options. */
export interface DccpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** `src > dst: ` (tcpdump does not print them for DCCP: even a header not captured is the mark alone). */
  addrs: string;
  /** `src.sport > dst.dport: ` for these ports. */
  ports: (sport: number, dport: number) => string;
  /** The carrying header's addresses, for the checksum's pseudo-header (the final destination for IPv6). */
  ip: PseudoHeader;
  /** tcpdump's `-q`: the length after the header alone. */
  quiet?: boolean;
}

/** The generic header's offsets; the basic header is 12 bytes (X=0) or 16 (X=1). */
const F = {
  sport: 0,
  dport: 2,
  doff: 4,
  ccvalCscov: 5,
  checksum: 6,
  typeX: 8,
  seqShort: 9,
  seqLong: 10,
} as const;
const BASIC_SHORT = 12, BASIC_LONG = 16;
const IPPROTO_DCCP = 33;
const MARK = " [|dccp]";

const TYPES = [
  "DCCP-Request",
  "DCCP-Response",
  "DCCP-Data",
  "DCCP-Ack",
  "DCCP-DataAck",
  "DCCP-CloseReq",
  "DCCP-Close",
  "DCCP-Reset",
  "DCCP-Sync",
  "DCCP-SyncAck",
];
const REQUEST = 0, RESPONSE = 1, DATA = 2, RESET = 7;
/** Bytes each type adds after the basic header (what tcpdump requires of the length). */
const TYPE_EXTRA = [4, 12, 0, 8, 8, 8, 8, 12, 8, 8];

const RESET_CODES = [
  "unspecified",
  "closed",
  "aborted",
  "no_connection",
  "packet_error",
  "option_error",
  "mandatory_error",
  "connection_refused",
  "bad_service_code",
  "too_busy",
  "bad_init_cookie",
  "aggression_penalty",
];
const FEATURES = [
  "reserved",
  "ccid",
  "allow_short_seqno",
  "sequence_window",
  "ecn_incapable",
  "ack_ratio",
  "send_ack_vector",
  "send_ndp_count",
  "minimum checksum coverage",
  "check data checksum",
];
const OPTIONS: Record<number, string> = {
  0: "nop",
  1: "mandatory",
  2: "slowreceiver",
  32: "change_l",
  33: "confirm_l",
  34: "change_r",
  35: "confirm_r",
  36: "initcookie",
  37: "ndp_count",
  38: "ack_vector0",
  39: "ack_vector1",
  40: "data_dropped",
  41: "timestamp",
  42: "timestamp_echo",
  43: "elapsed_time",
  44: "data_checksum",
};

/** Thrown by a read past the captured bytes: tcpdump's long jump. */
class Jump {}

/** A big-endian unsigned number of `n` bytes at `at` (up to 6: exact in a double), or a {@link Jump}. */
function be(p: Uint8Array, at: number, n: number): number {
  if (at + n > p.length) throw new Jump();
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 256 + p[at + k];
  return v;
}

/** A byte, or a {@link Jump}. */
const byte = (p: Uint8Array, at: number) => be(p, at, 1);

const hex2 = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const hex4 = (n: number) => "0x" + n.toString(16).padStart(4, "0");

/**
 * The `cksum ...` note: the sum over the pseudo-header (with the whole length) and the bytes CsCov covers,
 * the carried value included when covered; a non-zero result shows the value tcpdump's in_cksum_shouldbe
 * derives.
 */
function checksumNote(p: Uint8Array, length: number, ip: PseudoHeader): string {
  const carried = (p[F.checksum] << 8) | p[F.checksum + 1];
  const cscov = p[F.ccvalCscov] & 0xf;
  const cov = cscov === 0 ? length : Math.min(length, (p[F.doff] + cscov - 1) * 4);
  const computed = ~fold(sum(p.subarray(0, cov), pseudoSum(ip, IPPROTO_DCCP, length))) & 0xffff;
  const s = `cksum ${hex4(carried)} `;
  if (computed === 0) return s + "(correct)";
  let should = carried + computed;
  should = (should & 0xffff) + (should >>> 16);
  should = (should & 0xffff) + (should >>> 16);
  return s + `(incorrect -> ${hex4(should)})`;
}

/** An option's name as tcpdump's table gives it. */
const optionName = (t: number) => OPTIONS[t] ?? `Option ${t}`;

/**
 * One option at `at` with `left` bytes of header left: its text and its length, 0 to end the list (a bad
 * length, or the option not captured: then the text ends in the mark).
 */
function option(p: Uint8Array, at: number, left: number, out: { s: string }): number {
  const t = byte(p, at);
  const name = t >= 128 ? `CCID option ${t}` : optionName(t);
  let len = 1;
  if (t >= 32) {
    len = byte(p, at + 1);
    if (len < 2) {
      out.s += `${name} optlen too short`;
      return 0;
    }
  }
  if (left < len) {
    out.s += `${name} optlen goes past header length`;
    return 0;
  }
  if (at + len > p.length) {
    out.s += MARK;
    return 0;
  }
  out.s += name;
  const v = p.subarray(at + 2, at + len);
  if (t >= 128) {
    if (len === 4) out.s += ` ${be(p, at + 2, 2)}`;
    else if (len === 6) out.s += ` ${be(p, at + 2, 4)}`;
    return len;
  }
  switch (t) {
    case 32:
    case 33:
    case 34:
    case 35:
      if (len < 3) {
        out.s += " optlen too short";
        return len;
      }
      if (v[0] < FEATURES.length) {
        out.s += ` ${FEATURES[v[0]]}` + [...v.subarray(1)].map((b) => ` ${b}`).join("");
      }
      break;
    case 36:
    case 38:
    case 39:
    case 40:
      if (len > 2) out.s += ` 0x${hex2(v)}`;
      break;
    case 37:
      out.s += [...v].map((b) => ` ${b}`).join("");
      break;
    case 41:
      out.s += len === 6 ? ` ${be(p, at + 2, 4)}` : " [optlen != 6]";
      break;
    case 42:
      if (len === 6) out.s += ` ${be(p, at + 2, 4)}`;
      else if (len === 8) out.s += ` ${be(p, at + 2, 4)} (elapsed time ${be(p, at + 6, 2)})`;
      else if (len === 10) out.s += ` ${be(p, at + 2, 4)} (elapsed time ${be(p, at + 6, 4)})`;
      else out.s += " [optlen != 6 or 8 or 10]";
      break;
    case 43:
      if (len === 6) out.s += ` ${be(p, at + 2, 4)}`;
      else if (len === 4) out.s += ` ${be(p, at + 2, 2)}`;
      else out.s += " [optlen != 4 or 6]";
      break;
    case 44:
      if (len > 2) out.s += ` ${hex2(v)}`;
      break;
  }
  return len;
}

/**
 * tcpdump's text for a DCCP packet, including its addresses and ports (`src.sport > dst.dport: `).
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dccpText } from "./_dccp.ts";
 * // A Request with 48-bit sequence numbers and service code 42.
 * const p = new Uint8Array([0x13, 0x89, 0x13, 0x8a, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 42]);
 * const c = {
 *   verbosity: 2,
 *   addrs: "a > b: ",
 *   ports: (s: number, d: number) => `a.${s} > b.${d}: `,
 *   ip: { src: "10.0.0.1", dst: "10.0.0.2" },
 * };
 * assert.deepEqual(dccpText(p, p.length, c), {
 *   text: "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0, cksum 0x0000 (incorrect -> 0xbe83)) " +
 *     "DCCP-Request (service=42) seq 7",
 *   jump: false,
 * });
 * ```
 */
export function dccpText(p: Uint8Array, length: number, c: DccpContext): Printed {
  const out = { s: "" };
  try {
    return { text: dccp(p, length, c, out), jump: false };
  } catch (e) {
    if (!(e instanceof Jump)) throw e;
    return { text: out.s + MARK, jump: true };
  }
}

function dccp(p: Uint8Array, length: number, c: DccpContext, out: { s: string }): string {
  // The 12 bytes that hold the X bit are checked before the length: a short packet's bytes were not captured.
  if (p.length < BASIC_SHORT) return MARK;
  if (length < BASIC_SHORT) return `truncated-dccp - ${BASIC_SHORT - length} bytes missing!`;
  const x = (p[F.typeX] & 1) !== 0;
  let fixed = x ? BASIC_LONG : BASIC_SHORT;
  if (length < fixed) return `truncated-dccp - ${fixed - length} bytes missing!`;
  if (p.length < fixed) return MARK;
  const hlen = p[F.doff] * 4;
  out.s = c.ports((p[F.sport] << 8) | p[F.sport + 1], (p[F.dport] << 8) | p[F.dport + 1]) + "DCCP";
  if (c.quiet) {
    out.s += ` ${(length - hlen) >>> 0}`;
    if (hlen > length) out.s += ` [bad hdr length ${hlen} - too long, > ${length}]`;
    return out.s;
  }
  if (c.verbosity > 0) {
    out.s += ` (CCVal ${p[F.ccvalCscov] >> 4}, CsCov ${p[F.ccvalCscov] & 0xf}`;
    if (p.length >= length) out.s += ", " + checksumNote(p, length, c.ip);
    out.s += ")";
  }
  out.s += " ";
  const type = (p[F.typeX] >> 1) & 0xf;
  const name = TYPES[type] ?? `unknown-type-${type}`;
  if (type < TYPES.length) {
    fixed += TYPE_EXTRA[type];
    if (length < fixed) return out.s + `truncated-${name} - ${fixed - length} bytes missing!`;
  }
  const basic = x ? BASIC_LONG : BASIC_SHORT;
  if (type === REQUEST || type === RESPONSE || type === RESET) {
    // These three check their part was captured before printing it.
    if (p.length < fixed) return out.s + MARK;
    if (type === RESET) {
      out.s += `${name} (code=${RESET_CODES[p[basic + 8]] ?? "invalid"}) `;
    } else out.s += `${name} (service=${be(p, fixed - 4, 4)}) `;
  } else out.s += `${name} `;
  if (type !== DATA && type !== REQUEST) {
    out.s += `(ack=${x ? be(p, basic + 2, 6) : be(p, basic + 1, 3)}) `;
  }
  if (c.verbosity < 2) return out.s;
  out.s += `seq ${x ? be(p, F.seqLong, 6) : be(p, F.seqShort, 3)}`;
  if (hlen > fixed) {
    out.s += " <";
    let at = fixed, left = hlen - fixed;
    for (;;) {
      const len = option(p, at, left, out);
      if (len === 0 || left <= len) break;
      left -= len;
      at += len;
      out.s += ", ";
    }
    out.s += ">";
  }
  return out.s;
}
