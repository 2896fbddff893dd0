/**
 * TCP (RFC 9293) and its options (RFC 7323 window scale and timestamps, RFC 2018 SACK).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * | Offset| Rsrvd |C|E|U|A|P|R|S|F|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options (Offset*4 - 20)                    |
 * ```
 *
 * - Data offset counts 32-bit words: 5..15. The four bits after it are reserved (bit 0 was NS, now AE);
 *   `flags` holds them as bits 8-11 so nothing is lost.
 * - Options: EOL (0) ends the list; NOP (1) pads; every other kind has a length byte >= 2. An option of a
 *   known kind with an unexpected length is kept as an unknown option (raw `data`), never dropped.
 * - The checksum covers the IPv4/IPv6 pseudo-header: pass the addresses explicitly.
 *
 * @module
 */
import { shortError, WireError, WireErrorCode } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";
import { type PseudoHeader, transportChecksum, transportChecksumValid } from "./_l4.ts";

const F = {
  srcPort: 0,
  dstPort: 2,
  seq: 4,
  ack: 8,
  offset: 12,
  flags: 13,
  window: 14,
  checksum: 16,
  urgent: 18,
  end: 20,
} as const;
const PROTO_TCP = 6;

/** Minimum TCP header length: 20 bytes. */
export const TCP_MIN_HEADER_LEN: number = F.end;

/** TCP flag bits as held in {@link TcpHeader.flags}. */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  AE: 0x100,
} as const;

/** TCP option kinds (IANA). */
export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WSCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMPS: 8,
  MD5: 19,
  USER_TIMEOUT: 28,
  AUTH: 29,
  MPTCP: 30,
  FASTOPEN: 34,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param kind an option kind
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpOptionKindName } from "./tcp.ts";
 * assert(tcpOptionKindName(8) === "TIMESTAMPS");
 * ```
 */
export function tcpOptionKindName(kind: number): string {
  return enumName(TcpOptionKind, kind);
}

/**
 * One TCP option. Known kinds carry their decoded fields; any other (or a known kind with a surprising
 * length) carries `data`, the bytes after kind and length.
 */
export interface TcpOption {
  /** Option kind (IANA). */
  readonly kind: number;
  /** MSS value (kind 2). */
  readonly mss?: number;
  /** Window scale shift (kind 3). */
  readonly shift?: number;
  /** SACK blocks, left and right edges (kind 5). */
  readonly blocks?: ReadonlyArray<readonly [number, number]>;
  /** Timestamp value (kind 8). */
  readonly tsval?: number;
  /** Timestamp echo reply (kind 8). */
  readonly tsecr?: number;
  /** The bytes after the kind/type and length bytes. */
  readonly data?: Uint8Array;
}

/** A decoded TCP header. */
export interface TcpHeader {
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Sequence number. */
  readonly seq: number;
  /** Acknowledgment number. */
  readonly ack: number;
  /** Header length in bytes. */
  readonly hdrLen: number;
  /** Flag bits, with the 4 reserved bits as 0x100..0x800. */
  readonly flags: number;
  /** Window. */
  readonly window: number;
  /** Checksum as carried (or to send). */
  readonly checksum: number;
  /** Urgent pointer. */
  readonly urgent: number;
  /** Options. */
  readonly options: readonly TcpOption[];
}

/** The result of {@link walkTcpOptions}: the options read and an error if one was malformed. */
export interface TcpOptionsWalk {
  /** Options. */
  options: TcpOption[];
  /** The error, or null. */
  error: WireError | null;
}

const u32 = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/**
 * Walks option bytes without throwing. On a malformed option the walk stops; what it read is kept.
 *
 * @param b the option bytes (header bytes 20..hdrLen)
 * @returns the options and an error or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkTcpOptions } from "./tcp.ts";
 * const w = walkTcpOptions(new Uint8Array([2, 4, 0x05, 0xb4, 1, 3, 3, 7]));
 * assert(w.error === null && w.options[0].mss === 1460 && w.options[2].shift === 7);
 * ```
 */
export function walkTcpOptions(b: Uint8Array): TcpOptionsWalk {
  const options: TcpOption[] = [];
  for (let i = 0; i < b.length;) {
    const kind = b[i];
    if (kind === TcpOptionKind.EOL) {
      options.push({ kind });
      break;
    }
    if (kind === TcpOptionKind.NOP) {
      options.push({ kind });
      i++;
      continue;
    }
    const bad = (why: string) =>
      new WireError("tcp", WireErrorCode.BAD_OPTION, `option ${kind}: ${why}`, F.end + i);
    if (i + 1 >= b.length) return { options, error: bad("no length byte") };
    const len = b[i + 1];
    if (len < 2) return { options, error: bad(`length ${len} < 2`) };
    if (i + len > b.length) return { options, error: bad(`length ${len} runs past the header`) };
    const body = b.subarray(i + 2, i + len);
    if (kind === TcpOptionKind.MSS && len === 4) options.push({ kind, mss: (body[0] << 8) | body[1] });
    else if (kind === TcpOptionKind.WSCALE && len === 3) options.push({ kind, shift: body[0] });
    else if (kind === TcpOptionKind.SACK_PERMITTED && len === 2) options.push({ kind });
    else if (kind === TcpOptionKind.TIMESTAMPS && len === 10) {
      options.push({ kind, tsval: u32(body, 0), tsecr: u32(body, 4) });
    } else if (kind === TcpOptionKind.SACK && len >= 10 && (len - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let j = 0; j < body.length; j += 8) blocks.push([u32(body, j), u32(body, j + 4)]);
      options.push({ kind, blocks });
    } else options.push({ kind, data: body });
    i += len;
  }
  return { options, error: null };
}

/**
 * The encoded size of options (before padding to 4).
 *
 * @param opts the options
 * @returns their byte length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpOptionsLen } from "./tcp.ts";
 * assert(tcpOptionsLen([{ kind: 2, mss: 1460 }, { kind: 1 }]) === 5);
 * ```
 */
export function tcpOptionsLen(opts: readonly TcpOption[]): number {
  let n = 0;
  for (const o of opts) {
    if (o.data !== undefined) n += 2 + o.data.length;
    else if (o.kind === 0 || o.kind === 1) n += 1;
    else if (o.kind === TcpOptionKind.MSS) n += 4;
    else if (o.kind === TcpOptionKind.WSCALE) n += 3;
    else if (o.kind === TcpOptionKind.SACK_PERMITTED) n += 2;
    else if (o.kind === TcpOptionKind.TIMESTAMPS) n += 10;
    else if (o.kind === TcpOptionKind.SACK) n += 2 + 8 * (o.blocks?.length ?? 0);
    else n += 2;
  }
  return n;
}

function writeOptions(out: Uint8Array, at: number, opts: readonly TcpOption[]): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let i = at;
  for (const o of opts) {
    out[i] = o.kind;
    if (o.data === undefined && (o.kind === 0 || o.kind === 1)) {
      i++;
      continue;
    }
    if (o.data !== undefined) {
      out[i + 1] = 2 + o.data.length;
      out.set(o.data, i + 2);
      i += 2 + o.data.length;
      continue;
    }
    switch (o.kind) {
      case TcpOptionKind.MSS:
        out[i + 1] = 4;
        v.setUint16(i + 2, o.mss ?? 0);
        i += 4;
        break;
      case TcpOptionKind.WSCALE:
        out[i + 1] = 3;
        out[i + 2] = o.shift ?? 0;
        i += 3;
        break;
      case TcpOptionKind.TIMESTAMPS:
        out[i + 1] = 10;
        v.setUint32(i + 2, (o.tsval ?? 0) >>> 0);
        v.setUint32(i + 6, (o.tsecr ?? 0) >>> 0);
        i += 10;
        break;
      case TcpOptionKind.SACK: {
        const bl = o.blocks ?? [];
        out[i + 1] = 2 + 8 * bl.length;
        bl.forEach(([l, r], j) => {
          v.setUint32(i + 2 + 8 * j, l >>> 0);
          v.setUint32(i + 6 + 8 * j, r >>> 0);
        });
        i += 2 + 8 * bl.length;
        break;
      }
      default:
        out[i + 1] = 2;
        i += 2;
    }
  }
}

/**
 * A view over a TCP segment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp, TcpPacket } from "./tcp.ts";
 * const t = new TcpPacket(emitTcp({ srcPort: 1, dstPort: 2, flags: 0x02, options: [{ kind: 2, mss: 1460 }] }));
 * assert(t.hdrLen === 24 && t.flags === 0x02 && t.payload().length === 0);
 * ```
 */
export class TcpPacket extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the segment (header and data)
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT, WIRE_BAD_LENGTH
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
  static unchecked(bytes: Uint8Array): TcpPacket {
    return new TcpPacket(bytes, false);
  }
  /**
   * Returns null when the header with its options fits, else an error.
   *
   * @returns null when the header with its options fits, else an error
   */
  check(): WireError | null {
    const n = this.b.length;
    if (n < F.end) return shortError("tcp", F.end, n);
    const hl = this.hdrLen;
    if (hl < F.end) return new WireError("tcp", WireErrorCode.BAD_LENGTH, `data offset ${hl} < 20`, F.offset);
    return n < hl ? shortError("tcp", hl, n) : null;
  }
  /** Source port. */
  get srcPort(): number {
    return this.u16(F.srcPort);
  }
  set srcPort(x: number) {
    this.v.setUint16(F.srcPort, x);
  }
  /** Destination port. */
  get dstPort(): number {
    return this.u16(F.dstPort);
  }
  set dstPort(x: number) {
    this.v.setUint16(F.dstPort, x);
  }
  /** Sequence number. */
  get seq(): number {
    return this.u32(F.seq);
  }
  set seq(x: number) {
    this.v.setUint32(F.seq, x >>> 0);
  }
  /** Acknowledgment number. */
  get ack(): number {
    return this.u32(F.ack);
  }
  set ack(x: number) {
    this.v.setUint32(F.ack, x >>> 0);
  }
  /** Header length in bytes (data offset * 4). */
  get hdrLen(): number {
    return (this.b[F.offset] >> 4) * 4;
  }
  set hdrLen(x: number) {
    this.b[F.offset] = (this.b[F.offset] & 0x0f) | (((x >> 2) & 0x0f) << 4);
  }
  /** Flags (12 bits: reserved/AE bits 8-11, CWR..FIN bits 7-0). */
  get flags(): number {
    return ((this.b[F.offset] & 0x0f) << 8) | this.b[F.flags];
  }
  set flags(x: number) {
    this.b[F.offset] = (this.b[F.offset] & 0xf0) | ((x >> 8) & 0x0f);
    this.b[F.flags] = x & 0xff;
  }
  /** Window. */
  get window(): number {
    return this.u16(F.window);
  }
  set window(x: number) {
    this.v.setUint16(F.window, x);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return this.u16(F.checksum);
  }
  set checksum(x: number) {
    this.v.setUint16(F.checksum, x);
  }
  /** Urgent pointer. */
  get urgent(): number {
    return this.u16(F.urgent);
  }
  set urgent(x: number) {
    this.v.setUint16(F.urgent, x);
  }
  /** Option bytes (a view). */
  get optionBytes(): Uint8Array {
    return this.b.subarray(F.end, this.hdrLen);
  }
  /**
   * Returns the data after the header (a view).
   *
   * @returns the data after the header (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(this.hdrLen);
  }
  /**
   * Returns the header object.
   *
   * @returns the header object
   * @throws {WireError} WIRE_BAD_OPTION on a malformed option
   */
  header(): TcpHeader {
    const w = walkTcpOptions(this.optionBytes);
    throwIf(w.error);
    return this.headerWith(w.options);
  }
  /**
   * Returns the header object with them.
   *
   * @param options options already walked
   * @returns the header object with them
   */
  headerWith(options: readonly TcpOption[]): TcpHeader {
    return {
      srcPort: this.srcPort,
      dstPort: this.dstPort,
      seq: this.seq,
      ack: this.ack,
      hdrLen: this.hdrLen,
      flags: this.flags,
      window: this.window,
      checksum: this.checksum,
      urgent: this.urgent,
      options,
    };
  }
}

/**
 * Parses a TCP header with its options.
 *
 * @param bytes the segment
 * @returns the header
 * @throws {WireError} WIRE_SHORT, WIRE_BAD_LENGTH, WIRE_BAD_OPTION
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp, parseTcp } from "./tcp.ts";
 * const h = parseTcp(emitTcp({ srcPort: 1, dstPort: 2, seq: 123, flags: 0x12, options: [{ kind: 8, tsval: 1, tsecr: 0 }] }));
 * assert(h.seq === 123 && h.options[0].tsval === 1 && h.hdrLen === 32);
 * ```
 */
export function parseTcp(bytes: Uint8Array): TcpHeader {
  return new TcpPacket(bytes).header();
}

/** Fields for {@link emitTcp}. */
export interface TcpInit {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Sequence number. */
  seq?: number;
  /** Acknowledgment number. */
  ack?: number;
  /** Default: 20 + options padded to 4. */
  hdrLen?: number;
  /** Flag bits. */
  flags?: number;
  /** Default 65535. */
  window?: number;
  /** Default: computed with `pseudo`, else 0. */
  checksum?: number;
  /** Urgent pointer. */
  urgent?: number;
  /** Options. */
  options?: readonly TcpOption[];
}

/**
 * The TCP checksum of a segment (its checksum field is treated as zero).
 *
 * @param bytes the segment
 * @param pseudo the enclosing IP addresses
 * @returns the checksum to send
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp, tcpChecksum } from "./tcp.ts";
 * const p = { src: "127.0.0.1", dst: "127.0.0.1" };
 * const s = emitTcp({ srcPort: 1, dstPort: 2 }, new Uint8Array(0), p);
 * assert(tcpChecksum(s, p) === ((s[16] << 8) | s[17]));
 * ```
 */
export function tcpChecksum(bytes: Uint8Array, pseudo: PseudoHeader): number {
  return transportChecksum(bytes, pseudo, PROTO_TCP, F.checksum);
}

/**
 * Verifies a segment's checksum.
 *
 * @param bytes the segment
 * @param pseudo the enclosing IP addresses
 * @returns true when valid
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp, tcpChecksumValid } from "./tcp.ts";
 * const p = { src: "::1", dst: "::1" };
 * assert(tcpChecksumValid(emitTcp({ srcPort: 1, dstPort: 2 }, new Uint8Array(3), p), p));
 * ```
 */
export function tcpChecksumValid(bytes: Uint8Array, pseudo: PseudoHeader): boolean {
  return transportChecksumValid(bytes, pseudo, PROTO_TCP);
}

/**
 * Builds a segment in one buffer of the exact size.
 *
 * @param h fields
 * @param payload data
 * @param pseudo the enclosing IP addresses; with them the checksum is computed unless given
 * @returns the segment
 * @throws {RangeError} when options exceed 40 bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp } from "./tcp.ts";
 * assert(emitTcp({ srcPort: 1, dstPort: 2, options: [{ kind: 4 }] }).length === 24);
 * ```
 */
export function emitTcp(
  h: TcpInit,
  payload: Uint8Array = new Uint8Array(0),
  pseudo?: PseudoHeader,
): Uint8Array {
  const opts = h.options ?? [];
  const ol = (tcpOptionsLen(opts) + 3) & ~3;
  if (ol > 40) throw new RangeError(`TCP options of ${ol} bytes exceed 40`);
  const hl = F.end + ol;
  const out = new Uint8Array(hl + payload.length);
  const t = TcpPacket.unchecked(out);
  t.srcPort = h.srcPort;
  t.dstPort = h.dstPort;
  t.seq = h.seq ?? 0;
  t.ack = h.ack ?? 0;
  t.hdrLen = h.hdrLen ?? hl;
  t.flags = h.flags ?? 0;
  t.window = h.window ?? 65535;
  t.urgent = h.urgent ?? 0;
  writeOptions(out, F.end, opts);
  out.set(payload, hl);
  t.checksum = h.checksum ?? (pseudo ? tcpChecksum(out, pseudo) : 0);
  return out;
}

/**
 * The header length from the data offset.
 *
 * @param bytes at least 13 bytes of TCP
 * @returns data offset * 4
 * @throws {WireError} WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpHeaderLen } from "./tcp.ts";
 * const b = new Uint8Array(20); b[12] = 0x80;
 * assert(tcpHeaderLen(b) === 32);
 * ```
 */
export function tcpHeaderLen(bytes: Uint8Array): number {
  if (bytes.length <= F.offset) throw shortError("tcp", F.offset + 1, bytes.length);
  return (bytes[F.offset] >> 4) * 4;
}

/**
 * tcpdump's flag letters: F S R P . U E W e (FIN SYN RST PSH ACK URG ECE CWR AE), "none" when empty.
 *
 * @param flags the flag bits
 * @returns e.g. "S." for SYN+ACK
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpFlagsText } from "./tcp.ts";
 * assert(tcpFlagsText(0x12) === "S." && tcpFlagsText(0x18) === "P." && tcpFlagsText(0) === "none");
 * ```
 */
export function tcpFlagsText(flags: number): string {
  // tcpdump's order: F S R P . U E W e
  let s = "";
  if (flags & TcpFlag.FIN) s += "F";
  if (flags & TcpFlag.SYN) s += "S";
  if (flags & TcpFlag.RST) s += "R";
  if (flags & TcpFlag.PSH) s += "P";
  if (flags & TcpFlag.ACK) s += ".";
  if (flags & TcpFlag.URG) s += "U";
  if (flags & TcpFlag.ECE) s += "E";
  if (flags & TcpFlag.CWR) s += "W";
  if (flags & TcpFlag.AE) s += "e";
  return s || "none";
}

/**
 * tcpdump's option list text (without the surrounding "options [...]").
 *
 * @param opts the options
 * @returns e.g. "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTcpOptions } from "./tcp.ts";
 * const s = formatTcpOptions([{ kind: 2, mss: 1460 }, { kind: 4 }, { kind: 8, tsval: 1, tsecr: 0 }, { kind: 1 }, { kind: 3, shift: 7 }]);
 * assert(s === "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7");
 * ```
 */
export function formatTcpOptions(opts: readonly TcpOption[]): string {
  return opts.map((o) => {
    if (o.data !== undefined) {
      let hex = "";
      for (const x of o.data) hex += x.toString(16).padStart(2, "0");
      return `unknown-${o.kind}${hex ? " 0x" + hex : ""}`;
    }
    switch (o.kind) {
      case 0:
        return "eol";
      case 1:
        return "nop";
      case TcpOptionKind.MSS:
        return `mss ${o.mss}`;
      case TcpOptionKind.WSCALE:
        return `wscale ${o.shift}`;
      case TcpOptionKind.SACK_PERMITTED:
        return "sackOK";
      case TcpOptionKind.TIMESTAMPS:
        return `TS val ${o.tsval} ecr ${o.tsecr}`;
      case TcpOptionKind.SACK:
        return `sack ${o.blocks?.length ?? 0} ${(o.blocks ?? []).map(([l, r]) => `{${l}:${r}}`).join("")}`;
      default:
        return `unknown-${o.kind}`;
    }
  }).join(",");
}

/**
 * One-line text of a header (absolute sequence numbers).
 *
 * @param h the header
 * @returns e.g. "1 > 2: Flags [S], seq 0, win 65535, length 0" style without length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitTcp, formatTcp, parseTcp } from "./tcp.ts";
 * assert(formatTcp(parseTcp(emitTcp({ srcPort: 1, dstPort: 2, flags: 2 }))) === "1 > 2: Flags [S], seq 0, win 65535");
 * ```
 */
export function formatTcp(h: TcpHeader): string {
  let s = `${h.srcPort} > ${h.dstPort}: Flags [${tcpFlagsText(h.flags)}], seq ${h.seq}`;
  if (h.flags & TcpFlag.ACK) s += `, ack ${h.ack}`;
  s += `, win ${h.window}`;
  if (h.flags & TcpFlag.URG) s += `, urg ${h.urgent}`;
  if (h.options.length) s += `, options [${formatTcpOptions(h.options)}]`;
  return s;
}
