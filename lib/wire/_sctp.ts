/**
 * Private: SCTP (IP protocol 132, RFC 9260) as tcpdump 4.99 prints it (print-sctp.c), with the payload
 * printers it calls for DATA chunks: M3UA (RFC 4666, print-m3ua.c) and ForCES (RFC 5810, print-forces.c).
 *
 * ```text
 * common header: source port (2) | destination port (2) | verification tag (4) | checksum (4)
 * each chunk:    type (1) | flags (1) | length (2, header included, padding not) | value | pad to 4
 * ```
 *
 * tcpdump's SCTP printer prints the addresses and ports itself (`10.0.0.1.5000 > 10.0.0.2.5001: sctp`, the
 * addresses after IPv6 extension headers too, unlike TCP and UDP), `[ForCES HP]` for a ForCES port, then
 * one `(n) [NAME] ...` per chunk, separated by `, `; with `-vv` each chunk is on its own line instead
 * (`\n\t1) [NAME] ...`). It names the chunks of RFC 2960 and the old drafts, no others:
 *
 * - `[DATA]`: flags `(U)(B)(E)` then ` `, `[TSN: 1] [SID: 2] [SSEQ 3] [PPID M3UA] ` (a PPID it does not name
 *   as `0x1234`). The payload: ForCES (ports 6704-6706, or PPIDs 21-23) at every verbosity; at `-vv` M3UA
 *   (PPID 3), any other as `[Payload:` and tcpdump's hex-and-ASCII dump `]` (`[Payload]` under `-x`/`-q`).
 * - `[INIT]`, `[INIT ACK]`: `[init tag: 1] [rwnd: 2] [OS: 3] [MIS: 4] [init TSN: 5] `; tcpdump prints none of
 *   their parameters at any verbosity.
 * - `[SACK]`: `[cum ack 1] [a_rwnd 2] [#gap acks 1] [#dup tsns 1] `, then at every verbosity one line per gap
 *   block (`\n\t\t[gap ack block #1: start = 3, end = 4] `, offsets added to the cumulative TSN) and per
 *   duplicate TSN (`\n\t\t[dup TSN #1: 7] `), while the chunk has bytes for them.
 * - `[HB REQ]`, `[HB ACK]`, `[ABORT]`, `[SHUTDOWN]`, `[SHUTDOWN ACK]`, `[OP ERR]`, `[COOKIE ECHO]`,
 *   `[COOKIE ACK]`, `[ECN ECHO]`, `[ECN CWR]`, `[SHUTDOWN COMPLETE]`, `[FOR CUM TSN]` (0xc0), `[REL CTRL]`
 *   (0xc1) and `[REL CTRL ACK]` (0xc2): the name alone. Everything else, I-DATA, AUTH, ASCONF (0xc1 prints
 *   as REL CTRL), ASCONF-ACK, RE-CONFIG, PAD included, is `[Unknown chunk type: 0x40] `.
 * - Errors: a packet shorter than the header is `truncated-sctp - 4 bytes missing!` with no addresses;
 *   `[Bad chunk length 0, < size of chunk descriptor]` and `[chunk descriptor cut off at end of packet]`
 *   end the list; a DATA, INIT or SACK chunk too short for its fields prints `bogus chunk length 8]` and
 *   ends the packet's text.
 * - Truncation: tcpdump checks that each chunk and its padding were captured before printing it, so a cut
 *   packet ends in ` [|sctp]` (a check, not a long jump); a header not captured prints the mark alone
 *   (`IP  [|sctp]`: no addresses). An M3UA parameter running past the capture is a long jump (` [|m3ua]`);
 *   ForCES reads past the chunk (into the padding and the next chunks): a header not captured is its own
 *   check (` [|forces]`, then SCTP goes on), a hex dump past the capture a long jump.
 *
 * `-q` changes nothing but the payload dump; `-v` only ForCES's text.
 *
 * ForCES (every message type and TLV print-forces.c prints, `-v` to `-vvvv`) ends lines with newlines of its
 * own, so tcpdump's output has empty lines, and netkit's text has them too.
 *
 * @module
 */
import { Cut, type Printed, u16, u8 } from "./_text.ts";
import { hexdump } from "./hexdump.ts";

/** What the text needs from the carrying IP header and the options. */
export interface SctpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** `src.sport > dst.dport: ` for these ports (the addresses always: after IPv6 extension headers too). */
  ports: (sport: number, dport: number) => string;
  /**
   * Whether tcpdump's default print (the hex-and-ASCII dump of a payload it does not dissect) is on: it is
   * off under `-x`/`-X`/`-q`. Default true.
   */
  defaultPrint?: boolean;
}

const HEADER = 12;
const CHUNK_HEADER = 4;
const DATA_HEADER = 12;
const INIT_HEADER = 16;
const SACK_HEADER = 12;

const DATA = 0x00, INIT = 0x01, INIT_ACK = 0x02, SACK = 0x03;
const UNORDERED = 0x04, BEGINNING = 0x02, END = 0x01;

const CHUNK_NAMES: Record<number, string> = {
  0x00: "DATA",
  0x01: "INIT",
  0x02: "INIT ACK",
  0x03: "SACK",
  0x04: "HB REQ",
  0x05: "HB ACK",
  0x06: "ABORT",
  0x07: "SHUTDOWN",
  0x08: "SHUTDOWN ACK",
  0x09: "OP ERR",
  0x0a: "COOKIE ECHO",
  0x0b: "COOKIE ACK",
  0x0c: "ECN ECHO",
  0x0d: "ECN CWR",
  0x0e: "SHUTDOWN COMPLETE",
  0xc0: "FOR CUM TSN",
  0xc1: "REL CTRL",
  0xc2: "REL CTRL ACK",
};

const PPID_M3UA = 3;
const PPID_NAMES = [
  "",
  "ISDN Q.921",
  "M2UA",
  "M3UA",
  "SUA",
  "M2PA",
  "V5.2",
  "H.248",
  "BICC",
  "TALI",
  "DUA",
  "ASAP",
  "ENRP",
  "H.323",
  "Q.IPC",
  "SIMCO",
  "DDPSC",
  "DDPSSC",
  "S1AP",
  "RUA",
  "HNBAP",
  "ForCES HP",
  "ForCES MP",
  "ForCES LP",
  "SBc-AP",
  "NBAP",
  "",
  "X2AP",
];
/** ForCES' SCTP ports (high, medium and low priority channels) and PPIDs, in the same order. */
const FORCES_PORTS = [6704, 6705, 6706];
const FORCES_PPIDS = [21, 22, 23];
const FORCES_CHANNELS = ["ForCES HP", "ForCES MP", "ForCES LP"];

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

/** The text so far, and the protocol tcpdump names in its truncation mark. */
interface State {
  s: string;
  proto: string;
}

/**
 * tcpdump's text for an SCTP packet, including its addresses and ports.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `10.0.0.1.5000 > 10.0.0.2.5001: sctp (1) [INIT] ...`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sctpText } from "./_sctp.ts";
 * const p = new Uint8Array([
 *   0x13, 0x88, 0x13, 0x89, 0, 0, 0, 1, 0, 0, 0, 0, // ports 5000 > 5001, tag, checksum
 *   0x0b, 0, 0, 4, // COOKIE ACK
 *   0x0e, 0, 0, 4, // SHUTDOWN COMPLETE
 * ]);
 * const c = { verbosity: 0, ports: (s: number, d: number) => `a.${s} > b.${d}: ` };
 * assert.deepEqual(sctpText(p, p.length, c), {
 *   text: "a.5000 > b.5001: sctp (1) [COOKIE ACK] , (2) [SHUTDOWN COMPLETE] ",
 *   jump: false,
 * });
 * assert.equal(sctpText(p.subarray(0, 14), p.length, c).text, "a.5000 > b.5001: sctp [|sctp]");
 * ```
 */
export function sctpText(p: Uint8Array, length: number, c: SctpContext): Printed {
  const st: State = { s: "", proto: "sctp" };
  try {
    packet(st, p, length, c);
    return { text: st.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: st.s + ` [|${st.proto}]`, jump: true };
    throw e;
  }
}

function packet(st: State, p: Uint8Array, length: number, c: SctpContext): void {
  if (length < HEADER) {
    st.s += `truncated-sctp - ${HEADER - length} bytes missing!`;
    return;
  }
  if (p.length < HEADER) {
    st.s += " [|sctp]";
    return;
  }
  const sport = u16(p, 0), dport = u16(p, 2);
  st.s += c.ports(sport, dport) + "sctp";
  let forces = false;
  for (const port of [sport, dport]) {
    const k = FORCES_PORTS.indexOf(port);
    if (k >= 0) {
      st.s += `[${FORCES_CHANNELS[k]}]`;
      forces = true;
    }
  }
  const v = c.verbosity;
  let sep = v >= 2 ? "\n\t" : " (";
  let at = HEADER, remaining = length - HEADER;
  for (let n = 1; remaining !== 0; n++) {
    if (remaining < CHUNK_HEADER) {
      st.s += `${sep}${n}) [chunk descriptor cut off at end of packet]`;
      return;
    }
    if (at + CHUNK_HEADER > p.length) {
      st.s += " [|sctp]";
      return;
    }
    const type = p[at], flags = p[at + 1], chunkLength = u16(p, at + 2);
    if (chunkLength < CHUNK_HEADER) {
      st.s += `${sep}${n}) [Bad chunk length ${chunkLength}, < size of chunk descriptor]`;
      return;
    }
    // tcpdump then checks that `remaining` is no less than the padding (never false: it is 4 or more here),
    // and that the whole chunk was captured, which catches a chunk longer than the packet too.
    const align = (4 - chunkLength % 4) % 4;
    if (at + chunkLength > p.length) {
      st.s += " [|sctp]";
      return;
    }
    st.s += `${sep}${n}) [${CHUNK_NAMES[type] ?? `Unknown chunk type: 0x${type.toString(16)}`}] `;
    const body = at + CHUNK_HEADER, bodyLength = chunkLength - CHUNK_HEADER;
    const bogus = () => st.s += `bogus chunk length ${chunkLength}]`;
    switch (type) {
      case DATA: {
        if (flags & UNORDERED) st.s += "(U)";
        if (flags & BEGINNING) st.s += "(B)";
        if (flags & END) st.s += "(E)";
        if (flags & (UNORDERED | BEGINNING | END)) st.s += " ";
        if (bodyLength < DATA_HEADER) return void bogus();
        const ppid = u32(p, body + 8);
        st.s += `[TSN: ${u32(p, body)}] [SID: ${u16(p, body + 4)}] [SSEQ ${u16(p, body + 6)}] `;
        st.s += `[PPID ${PPID_NAMES[ppid] || `0x${ppid.toString(16)}`}] `;
        if (FORCES_PPIDS.includes(ppid)) forces = true;
        const size = bodyLength - DATA_HEADER;
        if (size === 0) return void bogus();
        const payload = body + DATA_HEADER;
        if (forces) {
          st.proto = "forces";
          forcesText(st, p, payload, size, v);
          st.proto = "sctp";
        } else if (v >= 2) {
          if (ppid === PPID_M3UA) {
            st.proto = "m3ua";
            m3uaText(st, p, payload, size);
            st.proto = "sctp";
          } else {
            st.s += "[Payload";
            if (c.defaultPrint !== false) st.s += ":\n" + hexdump(p.subarray(payload, payload + size), true);
            st.s += "]";
          }
        }
        break;
      }
      case INIT:
      case INIT_ACK:
        if (bodyLength < INIT_HEADER) return void bogus();
        st.s += `[init tag: ${u32(p, body)}] [rwnd: ${u32(p, body + 4)}] [OS: ${u16(p, body + 8)}] ` +
          `[MIS: ${u16(p, body + 10)}] [init TSN: ${u32(p, body + 12)}] `;
        break;
      case SACK: {
        if (bodyLength < SACK_HEADER) return void bogus();
        const cum = u32(p, body), gaps = u16(p, body + 8), dups = u16(p, body + 10);
        st.s += `[cum ack ${cum}] [a_rwnd ${u32(p, body + 4)}] [#gap acks ${gaps}] [#dup tsns ${dups}] `;
        let left = bodyLength - SACK_HEADER, q = body + SACK_HEADER;
        for (let k = 1; left !== 0 && k <= gaps; k++, q += 4, left -= 4) {
          if (left < 4) return void bogus();
          const start = (cum + u16(p, q)) >>> 0, end = (cum + u16(p, q + 2)) >>> 0;
          st.s += `\n\t\t[gap ack block #${k}: start = ${start}, end = ${end}] `;
        }
        for (let k = 1; left !== 0 && k <= dups; k++, q += 4, left -= 4) {
          if (left < 4) return void bogus();
          st.s += `\n\t\t[dup TSN #${k}: ${u32(p, q)}] `;
        }
        break;
      }
    }
    at += chunkLength;
    remaining -= chunkLength;
    if (v < 2) sep = ", (";
    if (align !== 0) {
      if (at + align > p.length) {
        st.s += " [|sctp]";
        return;
      }
      at += align;
      remaining -= align;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// M3UA (print-m3ua.c), at -vv for PPID 3.

const M3UA_HEADER = 8;
const M3UA_CLASSES: Record<number, [string, string[]]> = {
  0: ["Management", ["Error", "Notify"]],
  1: ["Transfer", ["", "Data"]],
  2: ["SS7", [
    "",
    "Destination Unavailable",
    "Destination Available",
    "Destination State Audit",
    "Signalling Congestion",
    "Destination User Part Unavailable",
    "Destination Restricted",
  ]],
  3: ["ASP", [
    "",
    "Up",
    "Down",
    "Heartbeat",
    "Up Acknowledgement",
    "Down Acknowledgement",
    "Heartbeat Acknowledgement",
  ]],
  4: ["ASP", ["", "Active", "Inactive", "Active Acknowledgement", "Inactive Acknowledgement"]],
  9: ["Routing Key Management", [
    "",
    "Registration Request",
    "Registration Response",
    "Deregistration Request",
    "Deregistration Response",
  ]],
};
const M3UA_PARAMS: Record<number, string> = {
  0x0004: "INFO String",
  0x0006: "Routing Context",
  0x0007: "Diagnostic Info",
  0x0009: "Heartbeat Data",
  0x000b: "Traffic Mode Type",
  0x000c: "Error Code",
  0x000d: "Status",
  0x0011: "ASP Identifier",
  0x0012: "Affected Point Code",
  0x0013: "Correlation ID",
  0x0200: "Network Appearance",
  0x0204: "User/Cause",
  0x0205: "Congestion Indications",
  0x0206: "Concerned Destination",
  0x0207: "Routing Key",
  0x0208: "Registration Result",
  0x0209: "Deregistration Result",
  0x020a: "Local Routing Key Identifier",
  0x020b: "Destination Point Code",
  0x020c: "Service Indicators",
  0x020e: "Originating Point Code List",
  0x0210: "Protocol Data",
  0x0212: "Registration Status",
  0x0213: "Deregistration Status",
};
/** Parameters tcpdump shows as a 32-bit value (which it reads from the parameter's header: its bug). */
const M3UA_NUMERIC = new Set([0x0006, 0x0013, 0x0200]);
const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** An M3UA message of `size` bytes at `at` (the DATA chunk's payload, all of it captured). */
function m3uaText(st: State, p: Uint8Array, at: number, size: number): void {
  if (size < M3UA_HEADER) {
    st.s += " (invalid)";
    return;
  }
  if (u8(p, at) !== 1) return;
  const cls = u8(p, at + 2), type = u8(p, at + 3);
  const known = M3UA_CLASSES[cls];
  st.s += "\n\t\t" + (known ? known[0] : `Unknown message class ${cls}`);
  if (known) st.s += ` ${known[1][type] || `Unknown (0x${hex2(type)})`} Message`;
  const len = u32(p, at + 4);
  if (len !== size) {
    st.s += `\n\t\t\t@@@@@@ Corrupted length ${len} of message @@@@@@`;
    return;
  }
  const start = at + M3UA_HEADER, end = at + len;
  for (let q = start; q < end;) {
    if (q + 4 > end) {
      st.s += " (invalid)";
      return;
    }
    const tag = u16(p, q);
    st.s += `\n\t\t\t${M3UA_PARAMS[tag] ?? `Unknown Parameter (0x${tag.toString(16).padStart(4, "0")})`}: `;
    const plen = u16(p, q + 2);
    if (plen < 4) {
      st.s += " (invalid)";
      return;
    }
    const align = (4 - (q + plen - start) % 4) % 4;
    // tcpdump checks the parameter and its padding are captured, with a long jump when not.
    if (q + plen + align > p.length) throw new Cut();
    if (!M3UA_NUMERIC.has(tag)) st.s += `(length ${plen})`;
    else if (plen - 4 < 4) st.s += " (invalid)";
    else st.s += "0x" + u32(p, q).toString(16).padStart(8, "0");
    q += plen + align;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ForCES (print-forces.c): for ForCES ports or PPIDs, at every verbosity. tcpdump reads through the whole
// captured packet here (past the chunk into its padding and the next chunks); its own checks print
// ` [|forces]` and fail the message, which it then dumps whole.

const FORCES_HEADER = 24;
const TLV_HEADER = 4;
const ILV_HEADER = 8;

const ZERO_TTLV = 0x01, ZERO_MORE_TTLV = 0x02, ONE_MORE_TTLV = 0x04;
const TTLV_T1 = ONE_MORE_TTLV | 0x10, TTLV_T2 = ONE_MORE_TTLV | 0xf0;

/** An operation's bit in a message's mask of allowed operations (operations 1-14). */
const op = (n: number) => 1 << (n - 1);
const SET = 1, SET_PROP = 2, SET_RESP = 3, SET_PROP_RESP = 4, DEL = 5, DEL_RESP = 6, GET = 7, GET_PROP = 8;
const GET_RESP = 9, GET_PROP_RESP = 10, REPORT = 11, COMMIT = 12, RCOMMIT = 13, RTRCOMP = 14;
/** Path data bits, which tcpdump keeps in the same mask as the operations. */
const FULLD = 0x1, SPARD = 0x2, RESTV = 0x4, KEYIN = 0x8, APPND = 0x10, TRNG = 0x20;
const OP_MAX = RTRCOMP;

const TLV_PATH_DATA = 0x0110, TLV_KEYINFO = 0x0111, TLV_FULLDATA = 0x0112;
const TLV_SPARSEDATA = 0x0113, TLV_RESULT = 0x0114, TLV_METADATA = 0x0115, TLV_REDIRECTDATA = 0x0116;

type ForcesPrint = (f: Forces, at: number, len: number, mask: number, indent: number) => number;

/** A message type: its flags for the top-level TLVs, the operations it allows, its name and printer. */
interface MessageType {
  flags: number;
  ops: number;
  name: string;
  print: ForcesPrint | null;
}

/** tcpdump's state while printing one ForCES message. */
interface Forces {
  st: State;
  p: Uint8Array;
  v: number;
}

/** tcpdump's `tok2str` with no format: the name, or `#` and the value as a signed int. */
function tok(names: Record<number, string>, n: number): string {
  return names[n] ?? `#${n | 0}`;
}

const hex = (n: number) => n.toString(16);

/** tcpdump's indentation: `indent` spaces, the first replaced by a newline with `nl`. */
function indentText(indent: number, nl: boolean): string {
  indent = Math.min(indent, 255);
  return nl ? "\n" + " ".repeat(Math.max(0, indent - 1)) : " ".repeat(Math.max(0, indent));
}

/** Rounded up to 4 bytes. */
const align4 = (n: number) => (n + 3) & ~3;

/**
 * tcpdump's `hex_print`: `ident` then `0x0000: ` before each 16 bytes, then ` 0102` per 2 bytes; bytes past
 * the capture are a long jump after what was captured.
 */
function hexPrint(f: Forces, ident: string, at: number, len: number): void {
  const have = Math.max(0, f.p.length - at), n = Math.min(len, have);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    if (i % 16 === 0) f.st.s += `${ident}0x${i.toString(16).padStart(4, "0")}: `;
    f.st.s += ` ${hex2(f.p[at + i])}${hex2(f.p[at + i + 1])}`;
  }
  if (n & 1) {
    if (i % 16 === 0) f.st.s += `${ident}0x${i.toString(16).padStart(4, "0")}: `;
    f.st.s += ` ${hex2(f.p[at + i])}`;
  }
  if (len > have) throw new Cut();
}

const TLV_NAMES: Record<number, string> = {
  0x0000: "Invalid TLV",
  0x0001: "REDIRECT TLV",
  0x0010: "ASResult TLV",
  0x0011: "ASTreason TLV",
  0x1000: "LFBselect TLV",
  0x0110: "PATH-DATA TLV",
  0x0111: "KEYINFO TLV",
  0x0112: "FULLDATA TLV",
  0x0113: "SPARSEDATA TLV",
  0x0114: "RESULT TLV",
  0x0115: "METADATA TLV",
  0x0116: "REDIRECTDATA TLV",
};
const TLV_ERRORS: Record<number, string> = {
  1: "Invalid total length",
  2: "xLV too short",
  3: "xLV too long",
  4: "data padding missing",
};
const RESULTS: Record<number, string> = Object.fromEntries([
  ...[
    "SUCCESS",
    "INVALID HEADER",
    "LENGTH MISMATCH",
    "VERSION MISMATCH",
    "INVALID DESTINATION PID",
    "LFB UNKNOWN",
    "LFB NOT FOUND",
    "LFB INSTANCE ID NOT FOUND",
    "INVALID PATH",
    "COMPONENT DOES NOT EXIST",
    "EXISTS ALREADY",
    "NOT FOUND",
    "READ ONLY",
    "INVALID ARRAY CREATION",
    "VALUE OUT OF RANGE",
    "CONTENTS TOO LONG",
    "INVALID PARAMETERS",
    "INVALID MESSAGE TYPE",
    "INVALID FLAGS",
    "INVALID TLV",
    "EVENT ERROR",
    "NOT SUPPORTED",
    "MEMORY ERROR",
    "INTERNAL ERROR",
  ].entries(),
  [0xff, "UNSPECIFIED ERROR"],
]);
const LFB_NAMES: Record<number, string> = { 0: "Invalid TLV", 1: "FEObj LFB", 2: "FEProtoObj LFB" };

/** A TLV of length `tlvl` where `rlen` bytes remain: 0, or why not (tcpdump's `tlv_valid`). */
function tlvValid(tlvl: number, rlen: number): number {
  if (rlen < TLV_HEADER) return 1;
  if (tlvl < TLV_HEADER) return 2;
  if (tlvl > rlen) return 3;
  if (rlen < align4(tlvl)) return 4;
  return 0;
}

/** The same for an ILV at `at` (tcpdump's `ilv_valid`, which reads its length only when needed). */
function ilvValid(f: Forces, at: number, rlen: number): number {
  if (rlen < ILV_HEADER) return 1;
  const len = u32(f.p, at + 4);
  if (len < ILV_HEADER) return 2;
  if (len > rlen) return 3;
  if (rlen < align4(len)) return 4;
  return 0;
}

/** A top-level TLV type tcpdump accepts. */
function topTlvValid(t: number): boolean {
  return t === 1 || t === 0x1000 || t === 0x10 || t === 0x11 || (t >= 0x110 && t <= 0x116);
}

/** tcpdump's own capture check inside ForCES: ` [|forces]` and a failure, not a long jump. */
function captured(f: Forces, at: number, n: number): boolean {
  if (at + n <= f.p.length) return true;
  f.st.s += " [|forces]";
  return false;
}

function prestlv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const dlen = len - TLV_HEADER;
  if (dlen !== 4) {
    f.st.s += `illegal RESULT-TLV: ${dlen >>> 0} bytes!\n`;
    return -1;
  }
  if (!captured(f, at + TLV_HEADER, 4)) return -1;
  const result = u8(f.p, at + TLV_HEADER);
  if (result >= 0x18 && result <= 0xfe) {
    f.st.s += `illegal reserved result code: 0x${hex(result)}!\n`;
    return -1;
  }
  if (f.v >= 3) {
    f.st.s += `${indentText(indent, false)}  Result: ${tok(RESULTS, result)} (code 0x${hex(result)})\n`;
  }
  return 0;
}

function fdatatlv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const rlen = (len - TLV_HEADER) >>> 0;
  if (!captured(f, at, TLV_HEADER)) return -1;
  if (u16(f.p, at) !== TLV_FULLDATA) {
    f.st.s += "Error: expecting FULLDATA!\n";
    return -1;
  }
  if (f.v >= 3) {
    const ib = indentText(indent + 2, true);
    f.st.s += `${ib.slice(1)}[`;
    hexPrint(f, ib, at + TLV_HEADER, rlen);
    f.st.s += `\n${ib.slice(1)}]`;
  }
  return 0;
}

function sdatailv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  if (len < ILV_HEADER) {
    f.st.s += "Error: BAD SPARSEDATA-TLV!\n";
    return -1;
  }
  let rlen = len;
  indent += 1;
  while (rlen !== 0) {
    const ib = indentText(indent, true);
    const bad = ilvValid(f, at, rlen);
    if (bad) {
      f.st.s += `Error: ${TLV_ERRORS[bad]}, rlen ${rlen}\n`;
      return -1;
    }
    if (f.v >= 3) {
      const ilvl = u32(f.p, at + 4);
      f.st.s += `\n${ib.slice(1)} ILV: type ${hex(u32(f.p, at))} length ${ilvl}\n`;
      hexPrint(f, "\t\t[", at + ILV_HEADER, ilvl - ILV_HEADER);
    }
    const step = align4(u32(f.p, at + 4));
    rlen -= step;
    at += step;
  }
  return 0;
}

function sdatatlv(f: Forces, at: number, len: number, mask: number, indent: number): number {
  const rlen = (len - TLV_HEADER) >>> 0;
  if (!captured(f, at, TLV_HEADER)) return -1;
  if (u16(f.p, at) !== TLV_SPARSEDATA) {
    f.st.s += "Error: expecting SPARSEDATA!\n";
    return -1;
  }
  return sdatailv(f, at + TLV_HEADER, rlen, mask, indent);
}

function pkeyitlv(f: Forces, at: number, len: number, mask: number, indent: number): number {
  const data = at + TLV_HEADER, key = data + 4;
  f.st.s += `${indentText(indent, false)}Keyinfo: Key 0x${hex(u32(f.p, data))}\n`;
  const type = u16(f.p, key), tll = u16(f.p, key + 2);
  const bad = tlvValid(tll, len);
  if (bad) {
    f.st.s += `${TLV_ERRORS[bad]} TLV type 0x${hex(type)} len ${tll}\n`;
    return -1;
  }
  return fdatatlv(f, key + TLV_HEADER, tll, mask, indent);
}

/** The path data types tcpdump prints inside a PATH-DATA TLV: name, expected bit, printer. */
const PATH_DATA: Record<number, [string, number, ForcesPrint]> = {
  [TLV_KEYINFO]: ["KEYINFO TLV", 0, pkeyitlv],
  [TLV_FULLDATA]: ["FULLDATA TLV", FULLD, fdatatlv],
  [TLV_SPARSEDATA]: ["SPARSEDATA TLV", SPARD, sdatatlv],
  [TLV_RESULT]: ["RESULT TLV", RESTV, prestlv],
  [TLV_PATH_DATA]: ["Inner PATH-DATA TLV", 0, recpdoptlv],
};

const PATH_DESC = 12;

/** The IDs and the data after them; the bytes left, or -1. */
function pdatacnt(f: Forces, at: number, len: number, ids: number, mask: number, indent: number): number {
  const ib = indentText(indent, false), p = f.p;
  if (mask & APPND && f.v >= 3) f.st.s += `${ib}TABLE APPEND\n`;
  for (let i = 0; i < ids; i++) {
    if (!captured(f, at, 4)) return -1;
    if (len < 4) {
      f.st.s += " [|forces]";
      return -1;
    }
    const id = u32(p, at);
    if (f.v >= 3) f.st.s += `${ib}ID#${String(i + 1).padStart(2, "0")}: ${id}\n`;
    len -= 4;
    at += 4;
  }
  if (mask & TRNG) {
    if (len < PATH_DESC) {
      f.st.s += `pathlength ${len} with key/range too short ${PATH_DESC}\n`;
      return -1;
    }
    const start = u32(p, at + 4), end = u32(p, at + 8);
    at += 12;
    len -= 12;
    if (f.v >= 3) f.st.s += `${ib}Table range: [${start},${end}]\n`;
  }
  if (mask & KEYIN) {
    if (len < PATH_DESC) {
      f.st.s += `pathlength ${len} with key/range too short ${PATH_DESC}\n`;
      return -1;
    }
    const keyTlv = at + 4;
    at += 8;
    len -= 8;
    let tll = u16(p, keyTlv + 2);
    if (tll < TLV_HEADER) {
      f.st.s += `key content length ${tll} < ${TLV_HEADER}\n`;
      return -1;
    }
    tll -= TLV_HEADER;
    if (len < tll) {
      f.st.s += "key content too short\n";
      return -1;
    }
    at += tll;
    len -= tll;
  }
  if (len) {
    const type = u16(p, at), tlvl = u16(p, at + 2);
    const bad = tlvValid(tlvl, len);
    let known = false;
    if (bad) {
      f.st.s += `${TLV_ERRORS[bad]} Outstanding bytes ${len} for TLV type 0x${hex(type)} TLV len ${tlvl}\n`;
    } else {
      const tll = tlvl - TLV_HEADER, aln = align4(tlvl);
      let pad = 0;
      if (aln > tlvl) {
        if (aln > len) {
          f.st.s += `Invalid padded pathdata TLV type 0x${hex(type)} len ${tlvl} missing ${
            aln - len
          } pad bytes\n`;
        } else pad = aln - tlvl;
      }
      const ops = PATH_DATA[type];
      if (ops) {
        known = true;
        if (f.v >= 3 && type !== TLV_PATH_DATA) {
          f.st.s += `${ib}  ${ops[0]} (Length ${tlvl} DataLen ${tll}${pad ? ` pad ${pad}` : ""} Bytes)\n`;
        }
        if (type !== TLV_PATH_DATA) {
          if (mask & KEYIN) {
            if (type !== TLV_KEYINFO) f.st.s += "Based on flags expected KEYINFO TLV!\n";
          } else if (!(mask & ops[1])) {
            f.st.s += `Illegal DATA encoding for type 0x${hex(type)} programmed ${hex(ops[1])} got ${
              hex(mask)
            }\n`;
          }
        }
        if (ops[2](f, at, tll + pad + TLV_HEADER, mask, indent + 2) === -1) return -1;
        len -= TLV_HEADER + pad + tll;
      } else {
        f.st.s += `Invalid path data content type 0x${hex(type)} len ${tlvl}\n`;
      }
    }
    if (!known && tlvl) {
      hexPrint(f, "Bad Data val\n\t  [", at, len);
      f.st.s += "]\n";
      return -1;
    }
  }
  return len;
}

function pdata(f: Forces, at: number, len: number, mask: number, indent: number): number {
  const ib = indentText(indent, false), p = f.p;
  if (!captured(f, at, 4)) return -1;
  if (len < 4) {
    f.st.s += " [|forces]";
    return -1;
  }
  const pflags = u16(p, at), ids = u16(p, at + 2);
  if (f.v >= 3) f.st.s += `\n${ib}Pathdata: Flags 0x${hex(pflags)} ID count ${ids}\n`;
  if (pflags & 1) mask |= KEYIN;
  if (pflags & 2) mask |= TRNG;
  if (pflags & 4) mask |= APPND;
  at += 4;
  len -= 4;
  if (len < ids * 4) {
    f.st.s += `\t\t\ttruncated IDs expected ${ids * 4}B got ${len}B\n`;
    hexPrint(f, "\t\t\tID Data[", at, len);
    f.st.s += "]\n";
    return -1;
  }
  if (mask & TRNG && mask & KEYIN) {
    f.st.s += "\t\t\tIllegal to have both Table ranges and keys\n";
    return -1;
  }
  const more = pdatacnt(f, at, len, ids, mask, indent);
  if (more > 0) return recpdoptlv(f, at + len - more, more, mask, indent + 1);
  return 0;
}

function genoptlv(f: Forces, at: number, len: number, mask: number, indent: number): number {
  const type = u16(f.p, at), tlvl = u16(f.p, at + 2);
  const bad = tlvValid(tlvl, len);
  f.st.s += `genoptlvprint - ${tok(TLV_NAMES, type)} TLV type 0x${hex(type)} len ${tlvl}\n`;
  if (bad) {
    f.st.s += `\t\t\tInvalid ForCES TLV type=${hex(type)}`;
    return -1;
  }
  if (!topTlvValid(type)) {
    f.st.s += `#0 TLV type 0x${hex(type)} len ${tlvl}\n`;
    return -1;
  }
  if (f.v >= 3) {
    f.st.s += `${indentText(indent, false)}${tok(TLV_NAMES, type)}, length ${tlvl} (data length ${
      tlvl - TLV_HEADER
    } Bytes)`;
  }
  return pdata(f, at + TLV_HEADER, tlvl - TLV_HEADER, mask, indent + 1);
}

function recpdoptlv(f: Forces, at: number, len: number, mask: number, indent: number): number {
  while (len !== 0) {
    const tlvl = u16(f.p, at + 2);
    if (tlvValid(tlvl, len)) break;
    const type = u16(f.p, at);
    if (f.v >= 3) {
      f.st.s += `${indentText(indent, false)}${tok(TLV_NAMES, type)}, length ${tlvl} (data encapsulated ${
        tlvl - TLV_HEADER
      } Bytes)`;
    }
    if (pdata(f, at + TLV_HEADER, tlvl - TLV_HEADER, mask, indent + 1) === -1) return -1;
    const step = align4(u16(f.p, at + 2));
    len -= step;
    at += step;
  }
  if (len) {
    f.st.s += `\n\t\tMessy PATHDATA TLV header, type (0x${hex(u16(f.p, at))})\n\t\texcess of ${
      (len - u16(f.p, at + 2)) >>> 0
    } Bytes `;
    return -1;
  }
  return 0;
}

function invoptlv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const ib = indentText(indent, true);
  if (f.v >= 3) {
    f.st.s += `${ib.slice(1)}Data[`;
    hexPrint(f, ib, at, len);
    f.st.s += `${ib}]\n`;
  }
  return -1;
}

/** The operation TLVs: name, allowed path data bits, printer (types 0 and past 14 are the first). */
const OPERATIONS: [string, number, ForcesPrint | null][] = [
  ["Invalid OPTLV", 0, invoptlv],
  [" Set", FULLD | SPARD, recpdoptlv],
  [" SetProp", FULLD | SPARD, recpdoptlv],
  [" SetResp", RESTV, recpdoptlv],
  [" SetPropResp", RESTV, recpdoptlv],
  [" Del", 0, recpdoptlv],
  [" DelResp", RESTV, recpdoptlv],
  [" Get", 0, recpdoptlv],
  [" GetProp", 0, recpdoptlv],
  [" GetResp", FULLD | SPARD | RESTV, recpdoptlv],
  [" GetPropResp", FULLD | RESTV, recpdoptlv],
  [" Report", FULLD | SPARD, recpdoptlv],
  [" Commit", 0, null],
  [" RCommit", RESTV, genoptlv],
  [" RTRCOMP", 0, null],
];

function opValid(op: number, mask: number): boolean {
  if (op === 0) return false;
  if (op <= OP_MAX) return ((1 << (op - 1)) & mask) !== 0;
  return op >= 0x8000;
}

function otlv(f: Forces, at: number, indent: number): void {
  const type = u16(f.p, at), length = u16(f.p, at + 2), tll = length - TLV_HEADER;
  const ops = OPERATIONS[type > OP_MAX ? 0 : type];
  if (f.v >= 3) f.st.s += `${indentText(indent, false)}Oper TLV ${ops[0]}(0x${hex(type)}) length ${length}\n`;
  if (tll < 8) {
    f.st.s += `\t\tOper TLV ${ops[0]}(0x${hex(type)}) length ${length}\n`;
    f.st.s += `\t\tTruncated data size ${tll} minimum required 8\n`;
    invoptlv(f, at + TLV_HEADER, tll, ops[1], indent);
    return;
  }
  ops[2]?.(f, at + TLV_HEADER, tll, ops[1], indent + 1);
}

function lfbselect(f: Forces, at: number, len: number, mask: number, indent: number): number {
  const ib = indentText(indent, false);
  const dlen = len - TLV_HEADER;
  if (dlen <= 12) {
    f.st.s += `\n\t\ttruncated lfb selector: ${12 - dlen} bytes missing! `;
    return -1;
  }
  let rlen = dlen - 8;
  if (!captured(f, at, 8)) return -1;
  if (f.v >= 3) {
    const cls = u32(f.p, at);
    f.st.s += `\n${ib}${tok(LFB_NAMES, cls)}(Classid ${hex(cls)}) instance ${hex(u32(f.p, at + 4))}\n`;
  }
  let o = at + 8;
  indent += 1;
  while (rlen !== 0) {
    const type = u16(f.p, o), tlvl = u16(f.p, o + 2);
    if (tlvValid(tlvl, rlen)) break;
    if (opValid(type, mask)) otlv(f, o, indent);
    else {
      if (f.v < 3) f.st.s += "\n";
      f.st.s += `\t\tINValid oper-TLV type 0x${hex(type)} length ${tlvl} for this ForCES message\n`;
      invoptlv(f, o, rlen, 0, indent);
    }
    const step = align4(u16(f.p, o + 2));
    rlen -= step;
    o += step;
  }
  if (rlen) {
    f.st.s += `\n\t\tMessy oper TLV header, type (0x${hex(u16(f.p, o))})\n\t\texcess of ${
      (rlen - u16(f.p, o + 2)) >>> 0
    } Bytes `;
    return -1;
  }
  return 0;
}

function asttlv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const ib = indentText(indent, false), dlen = len - TLV_HEADER;
  if (dlen !== 4) {
    f.st.s += `illegal ASTresult-TLV: ${dlen} bytes!\n`;
    return -1;
  }
  const code = u32(f.p, at);
  if (code > 255) {
    f.st.s += `illegal ASTresult result code: ${code}!\n`;
    return -1;
  }
  if (f.v >= 3) {
    const why = [
      "Normal Teardown",
      "Loss of Heartbeats",
      "Out of bandwidth",
      "Out of Memory",
      "Application Crash",
    ];
    f.st.s += `Teardown reason:\n${ib}${why[code] ?? "Unknown Teardown reason"}(${hex(code)})\n${ib}`;
  }
  return 0;
}

function asrtlv(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const ib = indentText(indent, false), dlen = len - TLV_HEADER;
  if (dlen !== 4) {
    f.st.s += `illegal ASRresult-TLV: ${dlen} bytes!\n`;
    return -1;
  }
  const code = u32(f.p, at);
  if (code > 3) {
    f.st.s += `illegal ASRresult result code: ${code}!\n`;
    return -1;
  }
  if (f.v >= 3) {
    const what = ["Success ", "FE ID invalid ", "permission denied "][code] ?? "Unknown ";
    f.st.s += `\n${ib}${what}(${hex(code)})\n${ib}`;
  }
  return 0;
}

function metatlv(f: Forces, at: number, len: number, indent: number): void {
  let rlen = len - TLV_HEADER;
  f.st.s += `\n${indentText(indent, false)} METADATA length ${rlen}\n`;
  while (rlen !== 0) {
    if (ilvValid(f, at, rlen)) break;
    const ilvl = u32(f.p, at + 4);
    f.st.s += `${indentText(indent + 1, false)}MetaID 0x${hex(u32(f.p, at))} length ${ilvl}\n`;
    if (f.v >= 3) {
      hexPrint(f, "\t\t[", at + ILV_HEADER, ilvl - ILV_HEADER);
      f.st.s += " ]\n";
    }
    const step = align4(u32(f.p, at + 4));
    rlen -= step;
    at += step;
  }
}

function reddata(f: Forces, at: number, len: number, indent: number): void {
  const rlen = len - TLV_HEADER;
  f.st.s += `\n${indentText(indent, false)} Redirect Data length ${rlen}\n`;
  if (f.v >= 3) {
    f.st.s += "\t\t[";
    hexPrint(f, "\n\t\t", at, rlen);
    f.st.s += "\n\t\t]";
  }
}

function redirect(f: Forces, at: number, len: number, _mask: number, indent: number): number {
  const dlen = len - TLV_HEADER;
  if (dlen <= 8) {
    f.st.s += `\n\t\ttruncated Redirect TLV: ${8 - dlen} bytes missing! `;
    return -1;
  }
  let rlen = dlen;
  indent += 1;
  while (rlen !== 0) {
    const type = u16(f.p, at), tlvl = u16(f.p, at + 2);
    if (tlvValid(tlvl, rlen)) {
      f.st.s += "Bad Redirect data\n";
      break;
    }
    if (type === TLV_METADATA) metatlv(f, at + TLV_HEADER, tlvl, indent);
    else if (type === TLV_REDIRECTDATA) reddata(f, at + TLV_HEADER, tlvl, indent);
    else f.st.s += `Unknown REDIRECT TLV 0x${hex(type)} len ${tlvl}\n`;
    const step = align4(u16(f.p, at + 2));
    rlen -= step;
    at += step;
  }
  if (rlen) {
    f.st.s += `\n\t\tMessy Redirect TLV header, type (0x${hex(u16(f.p, at))})\n\t\texcess of ${
      (rlen - u16(f.p, at + 2)) >>> 0
    } Bytes `;
    return -1;
  }
  return 0;
}

const MESSAGES: Record<number, MessageType> = {
  0x01: { flags: ZERO_MORE_TTLV | 0x20, ops: op(REPORT), name: "Association Setup", print: lfbselect },
  0x02: { flags: TTLV_T1, ops: 0, name: "Association TearDown", print: asttlv },
  0x03: {
    flags: TTLV_T2,
    ops: op(SET) | op(SET_PROP) | op(DEL) | op(COMMIT) | op(RTRCOMP),
    name: "Config",
    print: lfbselect,
  },
  0x04: { flags: TTLV_T2, ops: op(GET) | op(GET_PROP), name: "Query", print: lfbselect },
  0x05: { flags: TTLV_T1, ops: op(REPORT), name: "Event Notification", print: lfbselect },
  0x06: { flags: TTLV_T2, ops: 0, name: "Packet Redirect", print: redirect },
  0x0f: { flags: ZERO_TTLV, ops: 0, name: "HeartBeat", print: null },
  0x11: { flags: TTLV_T1, ops: 0, name: "Association Response", print: asrtlv },
  0x13: {
    flags: TTLV_T2,
    ops: op(SET_RESP) | op(SET_PROP_RESP) | op(DEL_RESP) | op(RCOMMIT),
    name: "Config Response",
    print: lfbselect,
  },
  0x14: { flags: TTLV_T2, ops: op(GET_RESP) | op(GET_PROP_RESP), name: "Query Response", print: lfbselect },
};

function forcesType(f: Forces, at: number, mlen: number, m: MessageType): number {
  let rlen = mlen - FORCES_HEADER;
  if (rlen > TLV_HEADER) {
    if (m.flags & ZERO_TTLV) {
      f.st.s += `<0x${hex(m.flags)}>Illegal Top level TLV!\n`;
      return -1;
    }
  } else {
    if (m.flags & ZERO_MORE_TTLV) return 0;
    if (m.flags & ONE_MORE_TTLV) {
      f.st.s += "\tTop level TLV Data missing!\n";
      return -1;
    }
  }
  if (m.flags & ZERO_TTLV || !m.print) return 0;
  let left = m.flags >> 4;
  let t = at + FORCES_HEADER;
  while (rlen !== 0) {
    const type = u16(f.p, t), tlvl = u16(f.p, t + 2);
    if (tlvValid(tlvl, rlen)) break;
    if (!topTlvValid(type)) {
      f.st.s += `\n\tInvalid ForCES Top TLV type=0x${hex(type)}`;
      return -1;
    }
    if (f.v >= 3) {
      f.st.s += `\t${tok(TLV_NAMES, type)}, length ${tlvl} (data length ${tlvl - TLV_HEADER} Bytes)`;
    }
    if (m.print(f, t + TLV_HEADER, tlvl, m.ops, 9) < 0) return -1;
    const step = align4(u16(f.p, t + 2));
    rlen -= step;
    t += step;
    if (--left <= 0) break;
  }
  if (rlen) {
    f.st.s += `\tMess TopTLV header: min ${TLV_HEADER}, total ${rlen} advertised ${u16(f.p, t + 2)} `;
    return -1;
  }
  return 0;
}

function forcesNode(n: number): string {
  if (n <= 0x3fffffff) return "FE";
  if (n <= 0x7fffffff) return "CE";
  if (n >= 0xc0000000 && n <= 0xffffffef) return "AllMulticast";
  if (n === 0xfffffffd) return "AllCEsBroadcast";
  if (n === 0xfffffffe) return "AllFEsBroadcast";
  if (n === 0xffffffff) return "AllBroadcast";
  return "ForCESreserved";
}

function tomValid(t: number): boolean {
  return t > 0 && !(t >= 0x7 && t <= 0xe) && t !== 0x10 && t <= 0x14;
}

/** A ForCES message of `len` bytes at `at` (the DATA chunk's payload). */
function forcesText(st: State, p: Uint8Array, at: number, len: number, v: number): void {
  const f: Forces = { st, p, v };
  if (!captured(f, at, FORCES_HEADER)) return;
  const tom = p[at + 1];
  let ok = false;
  if (!tomValid(tom)) st.s += `Invalid ForCES message type ${tom}\n`;
  else if (!MESSAGES[tom]) st.s += `\n\tUnknown ForCES message type=0x${hex(tom)}`;
  else ok = message(f, at, len, MESSAGES[tom]);
  if (!ok) {
    hexPrint(f, "\n\t[", at, len);
    st.s += "\n\t]";
  } else if (v >= 4) {
    st.s += "\n\t  Raw ForCES message\n\t [";
    hexPrint(f, "\n\t ", at, len);
    st.s += "\n\t ]";
  }
}

/** The header's text and the message's TLVs; false where tcpdump goes on to dump the message. */
function message(f: Forces, at: number, len: number, m: MessageType): boolean {
  const p = f.p, mlen = u16(p, at + 2) * 4;
  f.st.s += `\n\tForCES ${m.name} `;
  if (mlen < FORCES_HEADER || mlen !== len) {
    f.st.s += `Illegal ForCES pkt len - min ${FORCES_HEADER}, total recvd ${len}, advertised ${mlen} `;
    return false;
  }
  const flags = u32(p, at + 20);
  if (f.v >= 1) {
    const sid = u32(p, at + 4), did = u32(p, at + 8), hi = u32(p, at + 12), lo = u32(p, at + 16);
    const cor = hi ? hex(hi) + lo.toString(16).padStart(8, "0") : hex(lo);
    f.st.s += `\n\tForCES Version ${p[at] >> 4} len ${mlen}B flags 0x${flags.toString(16).padStart(8, "0")} `;
    f.st.s += `\n\tSrcID 0x${hex(sid)}(${forcesNode(sid)}) DstID 0x${hex(did)}(${forcesNode(did)}) ` +
      `Correlator 0x${cor}`;
  }
  if (f.v >= 2) {
    const ack = flags >>> 30, pri = (flags >>> 27) & 7, rs1 = (flags >>> 24) & 7, em = (flags >>> 22) & 3;
    const at2 = (flags >>> 21) & 1, tp = (flags >>> 19) & 3, rs2 = flags & 0x7ffff;
    const ACKS = ["NoACK", "SuccessACK", "FailureACK", "AlwaysACK"];
    const EMS = ["EMReserved", "execute-all-or-none", "execute-until-failure", "continue-execute-on-failure"];
    const ATS = ["Standalone", "2PCtransaction"];
    const TPS = ["StartofTransaction", "MiddleofTransaction", "EndofTransaction", "abort"];
    f.st.s += `\n\tForCES flags:\n\t  ${ACKS[ack]}(0x${hex(ack)}), prio=${pri}, ${EMS[em]}(0x${hex(em)}),` +
      `\n\t  ${ATS[at2]}(0x${hex(at2)}), ${TPS[tp]}(0x${hex(tp)})\n` +
      `\t  Extra flags: rsv(b5-7) 0x${hex(rs1)} rsv(b13-31) 0x${hex(rs2)}\n`;
  }
  return forcesType(f, at, mlen, m) >= 0;
}
