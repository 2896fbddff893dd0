/**
 * Private: the control connection of the Point-to-Point Tunneling Protocol (RFC 2637; TCP port 1723) as
 * tcpdump 4.99 prints it (print-pptp.c).
 *
 * Every control message starts with the same 12 bytes, then a body of its own:
 *
 * ```text
 * | length (2) | PPTP message type (2) | magic cookie 0x1a2b3c4d (4) | control message type (2) | reserved (2) |
 * ```
 *
 * tcpdump's text, after `length N`:
 * - `: pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(AS) BEARER_CAP(DA) MAX_CHAN(0) FIRM_REV(1)
 *   HOSTNAME(host) VENDOR(vendor)`: the type (`NOT_DEFINED` for 0, `UNKNOWN_CTRL_MSGTYPE(16)` past 15, with
 *   no body), then each field of the body in order, `[ERROR: reserved=N must be zero]` for a reserved field
 *   that is not; strings stop at a NUL or at their size (64 bytes; 128 for CDN's call statistics; OCRQ's and
 *   ICRQ's numbers at their length field too), bytes shown as tcpdump shows text (`^A`, `M-^@`).
 * - Result and error codes as numbers, `RESULT_CODE(1)`, `ERR_CODE(0)`; with `-v` also by name,
 *   `RESULT_CODE(1:Successful channel establishment)`, `ERR_CODE(0:None)`, `REASON(1:None)` (`?` unknown).
 * - Bearer and framing types by letter: `BEARER_TYPE(A|D|Any|?)`, `FRAME_TYPE(A|S|E|?)`.
 * - `-v` adds the header first: ` Length=156 CTRL-MSG Magic-Cookie=1a2b3c4d` (`MGMT-MSG` for 2,
 *   `UNKNOWN-MSG-TYPE` otherwise). A wrong cookie is flagged at every verbosity:
 *   ` UNEXPECTED Magic-Cookie!!(deadbeef) Magic-Cookie=deadbeef`.
 *
 * Only the first message of a segment is printed, whatever its length field says (tcpdump does not look at
 * it), and bytes after it are ignored. tcpdump reads every field with its checked reads: a field past the
 * captured bytes ends the text with ` [|pptp]` by a long jump, after whatever was printed of it (a string
 * cut in the middle keeps its first characters).
 *
 * Not covered: PPTP's data channel, which is GRE (IP protocol 47), printed elsewhere.
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar, u16, u8 } from "./_text.ts";

const CUT = " [|pptp]";
const MAGIC_COOKIE = 0x1a2b3c4d;

/** Header field offsets; the body starts after it. */
const H = { length: 0, msgType: 2, magicCookie: 4, ctrlMsgType: 8, reserved: 10 } as const;
const HEADER_LEN = 12;

const MESSAGE_TYPES = [
  "NOT_DEFINED",
  "SCCRQ",
  "SCCRP",
  "StopCCRQ",
  "StopCCRP",
  "ECHORQ",
  "ECHORP",
  "OCRQ",
  "OCRP",
  "ICRQ",
  "ICRP",
  "ICCN",
  "CCRQ",
  "CDN",
  "WEN",
  "SLI",
];
const T = {
  SCCRQ: 1,
  SCCRP: 2,
  StopCCRQ: 3,
  StopCCRP: 4,
  ECHORQ: 5,
  ECHORP: 6,
  OCRQ: 7,
  OCRP: 8,
  ICRQ: 9,
  ICRP: 10,
  ICCN: 11,
  CCRQ: 12,
  CDN: 13,
  WEN: 14,
  SLI: 15,
} as const;

const ERROR_CODES: Record<number, string> = {
  0: "None",
  1: "Not-Connected",
  2: "Bad-Format",
  3: "Bad-Value",
  4: "No-Resource",
  5: "Bad-Call-ID",
  6: "PAC-Error",
};
const STOP_REASONS: Record<number, string> = { 1: "None", 2: "Stop-Protocol", 3: "Stop-Local-Shutdown" };
const ECHO_RESULTS = { 1: "OK", 2: "General Error" };
/** Result code names by the message that carries them. */
const RESULTS: Record<number, Record<number, string>> = {
  [T.SCCRP]: {
    1: "Successful channel establishment",
    2: "General error",
    3: "Command channel already exists",
    4: "Requester is not authorized to establish a command channel",
    5: "The protocol version of the requester is not supported",
  },
  [T.StopCCRP]: ECHO_RESULTS,
  [T.ECHORP]: ECHO_RESULTS,
  [T.OCRP]: {
    1: "Connected",
    2: "General Error",
    3: "No Carrier",
    4: "Busy",
    5: "No Dial Tone",
    6: "Time-out",
    7: "Do Not Accept",
  },
  [T.ICRP]: { 1: "Connect", 2: "General Error", 3: "Do Not Accept" },
  [T.CDN]: { 1: "Lost Carrier", 2: "General Error", 3: "Admin Shutdown", 4: "Request" },
};
const BEARER_TYPES: Record<number, string> = { 1: "A", 2: "D", 3: "Any" };
const FRAMING_TYPES: Record<number, string> = { 1: "A", 2: "S", 3: "E" };

/** WAN-Error-Notify's counters, in order. */
const WEN_COUNTERS = [
  "CRC_ERR",
  "FRAMING_ERR",
  "HARDWARE_OVERRUN",
  "BUFFER_OVERRUN",
  "TIMEOUT_ERR",
  "ALIGN_ERR",
];

/** A host or vendor name, a sub-address: 64 bytes. */
const NAME_LEN = 64;
const CALL_STATS_LEN = 128;

/**
 * tcpdump's text for the data of a TCP segment to or from port 1723: what follows `length N`.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pptpText } from "./_pptp.ts";
 * // An Echo-Request, identifier 7.
 * const echo = new Uint8Array([0, 16, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 5, 0, 0, 0, 0, 0, 7]);
 * assert.deepEqual(pptpText(echo, 16, 0), { text: ": pptp CTRL_MSGTYPE=ECHORQ ID(7)", jump: false });
 * assert.equal(
 *   pptpText(echo, 16, 1).text,
 *   ": pptp Length=16 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=ECHORQ ID(7)",
 * );
 * assert.deepEqual(pptpText(echo.subarray(0, 14), 16, 0), { text: ": pptp CTRL_MSGTYPE=ECHORQ [|pptp]", jump: true });
 * ```
 */
export function pptpText(p: Uint8Array, length: number, verbosity: number): Printed {
  void length; // tcpdump prints the first message from its captured bytes alone.
  const o: Out = { s: ": pptp" };
  try {
    pptp(new Reader(o, p, verbosity > 0));
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

/** Reads the fields of one message in order, appending their text to `o`; a read past the capture cuts. */
class Reader {
  /** Where the next field of the body starts. */
  at = HEADER_LEN;
  constructor(readonly o: Out, readonly p: Uint8Array, readonly verbose: boolean) {}

  u8(): number {
    return u8(this.p, this.at++);
  }
  u16(): number {
    const v = u16(this.p, this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    const v = u32(this.p, this.at);
    this.at += 4;
    return v;
  }
  /** ` NAME(value)` of a 16-bit field. */
  n16(name: string): void {
    this.o.s += ` ${name}(${this.u16()})`;
  }
  /** ` NAME(value)` of a 32-bit field. */
  n32(name: string): void {
    this.o.s += ` ${name}(${this.u32()})`;
  }
  reserved8(): void {
    const r = this.u8();
    if (r) this.o.s += ` [ERROR: reserved=${r} must be zero]`;
  }
  reserved16(): void {
    const r = this.u16();
    if (r) this.o.s += ` [ERROR: reserved=${r} must be zero]`;
  }
  /** A code, by name as well with `-v`. */
  code(label: string, names: Record<number, string>): void {
    const c = this.u8();
    this.o.s += ` ${label}(${c}${this.verbose ? `:${names[c] ?? "?"}` : ""})`;
  }
  /** ` LABEL(text)`: a string of `size` bytes, of which up to `max` are shown, stopping at a NUL. */
  string(label: string, size: number, max = size): void {
    this.o.s += ` ${label}(`;
    for (let k = 0; k < max; k++) {
      const c = u8(this.p, this.at + k);
      if (c === 0) break;
      this.o.s += textChar(c);
    }
    this.o.s += ")";
    this.at += size;
  }
  protoVersion(): void {
    const v = this.u16();
    this.o.s += ` PROTO_VER(${v >> 8}.${v & 0xff})`;
  }
  framingCapabilities(): void {
    this.o.s += " FRAME_CAP(";
    const f = this.u32();
    this.o.s += `${f & 1 ? "A" : ""}${f & 2 ? "S" : ""})`;
  }
  bearerCapabilities(): void {
    const b = this.u32();
    this.o.s += ` BEARER_CAP(${b & 2 ? "D" : ""}${b & 1 ? "A" : ""})`;
  }
  bearerType(): void {
    this.o.s += ` BEARER_TYPE(${BEARER_TYPES[this.u32()] ?? "?"})`;
  }
  framingType(): void {
    this.o.s += ` FRAME_TYPE(${FRAMING_TYPES[this.u32()] ?? "?"})`;
  }
}

function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

function pptp(r: Reader): void {
  const o = r.o, p = r.p;
  if (r.verbose) {
    o.s += ` Length=${u16(p, H.length)}`;
    const t = u16(p, H.msgType);
    o.s += t === 1 ? " CTRL-MSG" : t === 2 ? " MGMT-MSG" : " UNKNOWN-MSG-TYPE";
  }
  const cookie = u32(p, H.magicCookie), hex = cookie.toString(16).padStart(8, "0");
  if (cookie !== MAGIC_COOKIE) o.s += ` UNEXPECTED Magic-Cookie!!(${hex})`;
  if (r.verbose || cookie !== MAGIC_COOKIE) o.s += ` Magic-Cookie=${hex}`;
  const type = u16(p, H.ctrlMsgType);
  o.s += type < MESSAGE_TYPES.length
    ? ` CTRL_MSGTYPE=${MESSAGE_TYPES[type]}`
    : ` UNKNOWN_CTRL_MSGTYPE(${type})`;
  const reserved = u16(p, H.reserved);
  if (reserved) o.s += ` [ERROR: reserved=${reserved} must be zero]`;
  body(r, type);
}

/** The fields of each message's body, in order (RFC 2637 section 2). */
function body(r: Reader, type: number): void {
  const results = RESULTS[type] ?? {};
  switch (type) {
    case T.SCCRQ:
    case T.SCCRP:
      r.protoVersion();
      if (type === T.SCCRQ) r.reserved16();
      else r.code("RESULT_CODE", results), r.code("ERR_CODE", ERROR_CODES);
      r.framingCapabilities();
      r.bearerCapabilities();
      r.n16("MAX_CHAN");
      r.n16("FIRM_REV");
      r.string("HOSTNAME", NAME_LEN);
      r.string("VENDOR", NAME_LEN);
      return;
    case T.StopCCRQ:
      r.code("REASON", STOP_REASONS);
      r.reserved8();
      r.reserved16();
      return;
    case T.StopCCRP:
      r.code("RESULT_CODE", results);
      r.code("ERR_CODE", ERROR_CODES);
      r.reserved16();
      return;
    case T.ECHORQ:
      r.n32("ID");
      return;
    case T.ECHORP:
      r.n32("ID");
      r.code("RESULT_CODE", results);
      r.code("ERR_CODE", ERROR_CODES);
      r.reserved16();
      return;
    case T.OCRQ: {
      r.n16("CALL_ID");
      r.n16("CALL_SER_NUM");
      r.n32("MIN_BPS");
      r.n32("MAX_BPS");
      r.bearerType();
      r.framingType();
      r.n16("RECV_WIN");
      r.n16("PROC_DELAY");
      const phone = r.u16();
      r.o.s += ` PHONE_NO_LEN(${phone})`;
      r.reserved16();
      r.string("PHONE_NO", NAME_LEN, Math.min(NAME_LEN, phone));
      r.string("SUB_ADDR", NAME_LEN);
      return;
    }
    case T.OCRP:
      r.n16("CALL_ID");
      r.n16("PEER_CALL_ID");
      r.code("RESULT_CODE", results);
      r.code("ERR_CODE", ERROR_CODES);
      r.n16("CAUSE_CODE");
      r.n32("CONN_SPEED");
      r.n16("RECV_WIN");
      r.n16("PROC_DELAY");
      r.n32("PHY_CHAN_ID");
      return;
    case T.ICRQ: {
      r.n16("CALL_ID");
      r.n16("CALL_SER_NUM");
      r.bearerType();
      r.n32("PHY_CHAN_ID");
      const dialed = r.u16();
      r.o.s += ` DIALED_NO_LEN(${dialed})`;
      const dialing = r.u16();
      r.o.s += ` DIALING_NO_LEN(${dialing})`;
      r.string("DIALED_NO", NAME_LEN, Math.min(NAME_LEN, dialed));
      r.string("DIALING_NO", NAME_LEN, Math.min(NAME_LEN, dialing));
      r.string("SUB_ADDR", NAME_LEN);
      return;
    }
    case T.ICRP:
      r.n16("CALL_ID");
      r.n16("PEER_CALL_ID");
      r.code("RESULT_CODE", results);
      r.code("ERR_CODE", ERROR_CODES);
      r.n16("RECV_WIN");
      r.n16("PROC_DELAY");
      r.reserved16();
      return;
    case T.ICCN:
      r.n16("PEER_CALL_ID");
      r.reserved16();
      r.n32("CONN_SPEED");
      r.n16("RECV_WIN");
      r.n16("PROC_DELAY");
      r.framingType();
      return;
    case T.CCRQ:
      r.n16("CALL_ID");
      r.reserved16();
      return;
    case T.CDN:
      r.n16("CALL_ID");
      r.code("RESULT_CODE", results);
      r.code("ERR_CODE", ERROR_CODES);
      r.n16("CAUSE_CODE");
      r.reserved16();
      r.string("CALL_STATS", CALL_STATS_LEN);
      return;
    case T.WEN:
      r.n16("PEER_CALL_ID");
      r.reserved16();
      for (const name of WEN_COUNTERS) r.n32(name);
      return;
    case T.SLI: {
      r.n16("PEER_CALL_ID");
      r.reserved16();
      const send = r.u32(), hex = (x: number) => x.toString(16).padStart(8, "0");
      r.o.s += ` SEND_ACCM(0x${hex(send)})`;
      r.o.s += ` RECV_ACCM(0x${hex(r.u32())})`;
      return;
    }
  }
}
