/**
 * Private: Telnet (TCP port 23, RFC 854/855) and RESP, Redis's serialization protocol (TCP port 6379), as
 * tcpdump 4.99.3 prints them (print-telnet.c, print-resp.c): the text that follows `length N` on the TCP line.
 *
 * Telnet: tcpdump prints only the commands (`IAC cmd [option]`) a segment starts with, in brackets:
 *
 * ```text
 * length 6 [telnet DO TERMINAL TYPE, DO TSPEED]
 * length 8 [telnet SB AUTHENTICATION IS KERBEROS_V4 0x2 SE]
 * length 7                                    (plain data: nothing, at any verbosity)
 * ```
 *
 * - The walk stops silently at the first byte that is not IAC (data before, between or after commands),
 *   at a command byte below 236 (EOF), at an `IAC` or `IAC cmd` cut by the segment's end, and at an
 *   `IAC SB` whose `IAC SE` is missing (unless the segment's last byte is an IAC: tcpdump then takes the
 *   missing SE as present, prints ` SE`, and runs off the data: ` [|telnet]`).
 * - Options 0-39 have names, others are `0x28`; a subnegotiation prints its first byte as a qualifier
 *   (IS/SEND/INFO; AUTHENTICATION's and ENCRYPT's own command and type names), the rest in hex (`%#x`, so
 *   a zero byte is `0`), then ` SE`.
 * - A read past the captured bytes ends the text with ` [|telnet]` by a long jump, without the `]`.
 * - Not covered: `-X` with `-vvv`, where tcpdump prints each command beside its hex bytes (the printer is
 *   not told about `-X`).
 *
 * RESP: every message of the segment (pipelining) in turn after `: RESP`, each string quoted:
 *
 * ```text
 * length 14: RESP "PING"                          (*1\r\n$4\r\nPING\r\n)
 * length 5: RESP "OK"                             (+OK\r\n)
 * length 5: RESP null                             ($-1\r\n)
 * length 9: RESP "GET" "k" [|resp]                (an element missing)
 * ```
 *
 * - Simple strings, errors and integers print their text up to CR LF, without the type byte; bulk strings
 *   their bytes (`empty` for `$0`); arrays only their elements (`empty`, `null`). A line that starts with
 *   no type byte is an inline command, printed up to CR or LF.
 * - A bad length prints `invalid`, `length too large` or `length negative and not -1` and the walk goes on
 *   after the bytes the length took.
 * - Bytes print as tcpdump shows text (`M-`, `^`). Running out of the segment, or of the captured bytes
 *   where tcpdump checks first, ends the text with ` [|resp]`; a read past the captured bytes where tcpdump
 *   does not check first is a long jump. Verbosity changes nothing.
 *
 * @module
 */
import { Cut, type Printed, textChar, u8 } from "./_text.ts";

/** The options. */
export interface TcpAppContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

// ---------------------------------------------------------------------------------------------- Telnet

const IAC = 255, SB = 250, SE = 240;
/** The lowest command byte tcpdump knows (EOF); the names run from it to DONT. */
const CMD_FIRST = 236;
const COMMANDS = [
  "EOF",
  "SUSP",
  "ABORT",
  "EOR",
  "SE",
  "NOP",
  "DMARK",
  "BRK",
  "IP",
  "AO",
  "AYT",
  "EC",
  "EL",
  "GA",
  "SB",
  "WILL",
  "WONT",
  "DO",
  "DONT",
];
/** Option names, by option number (0-39). */
const OPTIONS = [
  "BINARY",
  "ECHO",
  "RCP",
  "SUPPRESS GO AHEAD",
  "NAME",
  "STATUS",
  "TIMING MARK",
  "RCTE",
  "NAOL",
  "NAOP",
  "NAOCRD",
  "NAOHTS",
  "NAOHTD",
  "NAOFFD",
  "NAOVTS",
  "NAOVTD",
  "NAOLFD",
  "EXTEND ASCII",
  "LOGOUT",
  "BYTE MACRO",
  "DATA ENTRY TERMINAL",
  "SUPDUP",
  "SUPDUP OUTPUT",
  "SEND LOCATION",
  "TERMINAL TYPE",
  "END OF RECORD",
  "TACACS UID",
  "OUTPUT MARKING",
  "TTYLOC",
  "3270 REGIME",
  "X.3 PAD",
  "NAWS",
  "TSPEED",
  "LFLOW",
  "LINEMODE",
  "XDISPLOC",
  "OLD-ENVIRON",
  "AUTHENTICATION",
  "ENCRYPT",
  "NEW-ENVIRON",
];
const AUTHENTICATION = 37, ENCRYPT = 38;
/** A subnegotiation's first byte: the qualifier; AUTHENTICATION and ENCRYPT add a type byte. */
const QUALIFIERS = ["IS", "SEND", "INFO"];
const AUTH_COMMANDS = ["IS", "SEND", "REPLY", "NAME"];
const AUTH_TYPES = [
  "NULL",
  "KERBEROS_V4",
  "KERBEROS_V5",
  "SPX",
  "MINK",
  "SRP",
  "RSA",
  "SSL",
  undefined,
  undefined,
  "LOKI",
  "SSA",
  "KEA_SJ",
  "KEA_SJ_INTEG",
  "DSS",
  "NTLM",
];
const ENC_COMMANDS = [
  "IS",
  "SUPPORT",
  "REPLY",
  "START",
  "END",
  "REQUEST-START",
  "REQUEST-END",
  "END_KEYID",
  "DEC_KEYID",
];
const ENC_TYPES = [
  "NULL",
  "DES_CFB64",
  "DES_OFB64",
  "DES3_CFB64",
  "DES3_OFB64",
  undefined,
  "CAST5_40_CFB64",
  "CAST5_40_OFB64",
  "CAST128_CFB64",
  "CAST128_OFB64",
];

/** C's `%#x`: `0x` in front of any value but 0. */
const hexNum = (x: number) => x === 0 ? "0" : "0x" + x.toString(16);
const nameOr = (table: readonly (string | undefined)[], x: number) => table[x] ?? hexNum(x);

/**
 * One command at `at` (an IAC): its text and the bytes it takes, or undefined where tcpdump gives up
 * quietly. `length` counts the segment's bytes from `at`; a byte past the captured ones throws a
 * {@link Cut}. The bytes taken can exceed `length` (an SB closed by a last IAC and no SE).
 */
function telnetCommand(
  p: Uint8Array,
  at: number,
  length: number,
): { text: string; size: number } | undefined {
  let sp = at;
  const fetch = () => {
    if (length < 1) return -1;
    length--;
    return u8(p, sp++);
  };
  if (fetch() !== IAC) return undefined;
  const c = fetch();
  if (c < 0) return undefined;
  if (c === IAC) return { text: "IAC IAC", size: 2 };
  if (c < CMD_FIRST) return undefined;
  const name = COMMANDS[c - CMD_FIRST];
  if (c < SB) return { text: name, size: 2 };
  const x = fetch();
  if (x < 0) return undefined;
  let text = `${name} ${x < OPTIONS.length ? OPTIONS[x] : hexNum(x)}`;
  if (c !== SB) return { text, size: sp - at };
  // The subnegotiation runs to IAC SE; without one, tcpdump still goes on when the last byte is an IAC.
  let end = sp;
  while (length > end + 1 - sp) {
    if (u8(p, end) === IAC && u8(p, end + 1) === SE) break;
    end++;
  }
  if (u8(p, end) !== IAC) return undefined;
  if (end > sp) {
    if (x === AUTHENTICATION || x === ENCRYPT) {
      const auth = x === AUTHENTICATION;
      text += " " + nameOr(auth ? AUTH_COMMANDS : ENC_COMMANDS, fetch());
      if (end > sp) text += " " + nameOr(auth ? AUTH_TYPES : ENC_TYPES, fetch());
    } else {
      text += " " + nameOr(QUALIFIERS, fetch());
    }
  }
  while (end > sp) text += " " + hexNum(fetch());
  return { text: text + " SE", size: sp + 2 - at };
}

/**
 * tcpdump's text for the data of a TCP segment to or from port 23: what follows `length N`.
 *
 * @param p the segment's captured data (no more than `length`)
 * @param length the data's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. ` [telnet DO TERMINAL TYPE, DO TSPEED]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { telnetText } from "./_telnet.ts";
 * const data = new Uint8Array([255, 253, 24, 255, 253, 32]);
 * assert.deepEqual(telnetText(data, 6, { verbosity: 0 }), {
 *   text: " [telnet DO TERMINAL TYPE, DO TSPEED]",
 *   jump: false,
 * });
 * // Cut after the first command: tcpdump runs off the captured bytes.
 * assert.deepEqual(telnetText(data.subarray(0, 3), 6, { verbosity: 0 }), {
 *   text: " [telnet DO TERMINAL TYPE [|telnet]",
 *   jump: true,
 * });
 * ```
 */
export function telnetText(p: Uint8Array, length: number, c: TcpAppContext): Printed {
  void c; // Only -X with -vvv changes the text, and the printer is not told about -X.
  let text = "", at = 0;
  try {
    // tcpdump's length is unsigned: past a command that overran the segment it is never 0 again.
    for (let left = length; left !== 0 && u8(p, at) === IAC;) {
      const cmd = telnetCommand(p, at, left);
      if (cmd === undefined) break;
      text += (text === "" ? " [telnet " : ", ") + cmd.text;
      at += cmd.size;
      left = (left - cmd.size) >>> 0;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: text + " [|telnet]", jump: true };
  }
  return { text: text === "" ? "" : text + "]", jump: false };
}

// ------------------------------------------------------------------------------------------------ RESP

const CR = 0x0d, LF = 0x0a;
const INT_MAX = 0x7fffffff;
/** What the length reader returns besides a length: tcpdump's codes. */
const NULL = -1, TRUNCATED = -2, TOO_LARGE = -3, NEGATIVE = -4, INVALID = -5;
const LENGTH_ERRORS: Record<number, string> = {
  [NULL]: " null",
  [TOO_LARGE]: " length too large",
  [NEGATIVE]: " length negative and not -1",
};

/** The walk over one segment: the bytes and the text so far. A failed parse returns -1 (tcpdump's trunc). */
class Resp {
  text = ": RESP";
  constructor(readonly p: Uint8Array) {}

  /** One message at `at` with `length` bytes left: the bytes it took, or -1. */
  parse(at: number, length: number): number {
    if (length < 1) return -1;
    switch (u8(this.p, at)) {
      case 0x2b: // + simple string
      case 0x2d: // - error
      case 0x3a: // : integer
        return this.line(at, length);
      case 0x24: // $ bulk string
        return this.bulk(at, length);
      case 0x2a: // * array
        return this.array(at, length);
      default:
        return this.inline(at, length);
    }
  }

  /** ` "text"` for `n` bytes from `at` (all captured: tcpdump checked first). */
  segment(at: number, n: number): void {
    let s = ' "';
    for (let k = at; k < at + n; k++) s += textChar(this.p[k]);
    this.text += s + '"';
  }

  /**
   * Where the CR LF at or after `at` starts within `length` bytes, or -1; tcpdump checks that both bytes
   * were captured before it reads them, so a capture's end is no long jump here.
   */
  findCrLf(at: number, length: number): number {
    for (;; at++, length--) {
      if (length < 2 || at + 2 > this.p.length) return -1;
      if (this.p[at] === CR && this.p[at + 1] === LF) return at;
    }
  }

  /** `+`, `-` or `:`: the text up to CR LF. */
  line(at: number, length: number): number {
    const end = this.findCrLf(at + 1, length - 1);
    if (end < 0) return -1;
    this.segment(at + 1, end - at - 1);
    return end - at + 2;
  }

  /** `$`: a length, CR LF, that many bytes, CR LF (or the first CR LF after them). */
  bulk(at: number, length: number): number {
    const n = this.length(at + 1, length - 1);
    let k = n.end, left = length - (k - at);
    if (n.value < 0) {
      if (n.value === TRUNCATED) return -1;
      this.text += LENGTH_ERRORS[n.value] ?? " invalid";
      return k - at;
    }
    if (n.value === 0) this.text += " empty";
    else {
      if (left < n.value || k + n.value > this.p.length) return -1;
      this.segment(k, n.value);
      k += n.value, left -= n.value;
    }
    const end = this.findCrLf(k, left);
    return end < 0 ? -1 : end + 2 - at;
  }

  /** `*`: a count, CR LF, that many messages. */
  array(at: number, length: number): number {
    const n = this.length(at + 1, length - 1);
    let k = n.end, left = length - (k - at);
    if (n.value > 0) {
      for (let i = 0; i < n.value; i++) {
        const r = this.parse(k, left);
        if (r < 0) return -1;
        k += r, left -= r;
      }
      return k - at;
    }
    if (n.value === TRUNCATED) return -1;
    this.text += n.value === 0 ? " empty" : LENGTH_ERRORS[n.value] ?? " invalid";
    return k - at;
  }

  /** Past CR and LF bytes from `at`: where they end, or -1 when none came before the end of data. */
  skipCrLf(at: number, length: number): number {
    for (let found = false;; at++, length--) {
      if (length === 0 || at >= this.p.length) return found ? at : -1;
      if (this.p[at] !== CR && this.p[at] !== LF) return at;
      found = true;
    }
  }

  /** An inline command: leading CRs and LFs skipped, the text up to CR or LF, and the CRs and LFs after. */
  inline(at: number, length: number): number {
    const start = this.skipCrLf(at, length);
    if (start < 0) return -1;
    let k = start, left = length - (start - at);
    for (;; k++, left--) {
      if (left < 1) return -1;
      const c = u8(this.p, k);
      if (c === CR || c === LF) break;
    }
    this.segment(start, k - start);
    return this.skipCrLf(k, left) - at;
  }

  /**
   * A decimal length (`-1` for null) and its CR LF at `at`: the value or one of tcpdump's negative codes,
   * and where tcpdump goes on from (after the first bad byte for {@link INVALID}).
   */
  length(at: number, length: number): { value: number; end: number } {
    if (length === 0) return { value: TRUNCATED, end: at };
    const neg = u8(this.p, at) === 0x2d;
    if (neg) at++, length--;
    let value = 0, digits = false, tooLarge = false;
    for (;; at++, length--) {
      if (length === 0) return { value: TRUNCATED, end: at };
      const c = u8(this.p, at);
      if (c < 0x30 || c > 0x39) {
        if (!digits) return { value: INVALID, end: at + 1 };
        break;
      }
      const d = c - 0x30;
      // tcpdump's int: a value that would pass INT_MAX stops growing and is flagged.
      if (value > Math.floor(INT_MAX / 10)) tooLarge = true;
      else {
        value *= 10;
        if (value === Math.floor(INT_MAX / 10) * 10 && d > INT_MAX % 10) tooLarge = true;
        else value += d;
      }
      digits = true;
    }
    if (u8(this.p, at) !== CR) return { value: INVALID, end: at + 1 };
    at++, length--;
    if (length === 0) return { value: TRUNCATED, end: at };
    if (u8(this.p, at) !== LF) return { value: INVALID, end: at + 1 };
    at++;
    if (neg) return { value: tooLarge || value !== 1 ? NEGATIVE : NULL, end: at };
    return { value: tooLarge ? TOO_LARGE : value, end: at };
  }
}

/**
 * tcpdump's text for the data of a TCP segment to or from port 6379: what follows `length N`.
 *
 * @param p the segment's captured data (no more than `length`)
 * @param length the data's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `: RESP "PING"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { respText } from "./_telnet.ts";
 * const data = new TextEncoder().encode("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
 * assert.deepEqual(respText(data, data.length, { verbosity: 0 }), { text: ': RESP "GET" "k"', jump: false });
 * // The second element is missing from the segment.
 * assert.deepEqual(respText(data.subarray(0, 13), 13, { verbosity: 0 }), {
 *   text: ': RESP "GET" [|resp]',
 *   jump: false,
 * });
 * ```
 */
export function respText(p: Uint8Array, length: number, c: TcpAppContext): Printed {
  void c; // tcpdump's RESP printer ignores the verbosity.
  const r = new Resp(p);
  try {
    for (let at = 0, left = length; left > 0;) {
      const n = r.parse(at, left);
      if (n < 0) return { text: r.text + " [|resp]", jump: false };
      at += n, left -= n;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: r.text + " [|resp]", jump: true };
  }
  return { text: r.text, jump: false };
}
