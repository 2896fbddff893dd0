/**
 * DNS messages (RFC 1035): the header, the question section's first entry and the answer records, enough for
 * tcpdump's one-line summary (`12345+ A? example.com. (29)`, `12345 1/0/0 A 192.0.2.1 (45)`).
 *
 * ```text
 * |              ID               |QR| Opcode |AA|TC|RD|RA|Z|AD|CD| RCODE |
 * |            QDCOUNT            |            ANCOUNT            |
 * |            NSCOUNT            |            ARCOUNT            |
 * | question: QNAME (labels or a pointer) QTYPE QCLASS | answers ...
 * ```
 *
 * Names: a length byte 0-63 starts a label; 0xc0|offset (14 bits) is a compression pointer. A pointer must
 * point strictly backwards from the previous one (as BIND and tcpdump require), so no loop can form; the
 * number of labels is also bounded. Names are returned as text with a trailing dot (`example.com.`, `.` for
 * the root); bytes outside printable ASCII and `.`/`\` inside labels are written `\DDD` (RFC 4343).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { relativeTime } from "./_text.ts";
import { DNS_OPCODES, DNS_RCODES, dnsClassText } from "./_dns_names.ts";
import { shortError, WireError, WireErrorCode } from "./errors.ts";
import { enumName, throwIf, WireView } from "./_view.ts";

const F = { id: 0, flags: 2, qdcount: 4, ancount: 6, nscount: 8, arcount: 10, end: 12 } as const;
const MAX_LABELS = 128;

/** DNS header length: 12 bytes. */
export const DNS_HEADER_LEN: number = F.end;

/** Record types (IANA) this package names. */
export const DnsType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  HTTPS: 65,
  SVCB: 64,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
} as const;

/**
 * The name of a value; an unknown value is data, named `unknown(0x..)`.
 *
 * @param t a record type
 * @returns its name or "unknown(0x..)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dnsTypeName } from "./dns.ts";
 * assert(dnsTypeName(28) === "AAAA");
 * ```
 */
export function dnsTypeName(t: number): string {
  return enumName(DnsType, t, 4);
}

/** The first question. */
export interface DnsQuestion {
  /** e.g. "example.com." */
  readonly name: string;
  /** Query type. */
  readonly qtype: number;
  /** Query class. */
  readonly qclass: number;
}

/** One resource record; `rdata` is a view. `rdataName` holds the decoded name of NS/CNAME/PTR/DNAME/MX/SRV. */
export interface DnsRecord {
  /** Owner name, with a trailing dot. */
  readonly name: string;
  /** Type. */
  readonly type: number;
  /** Class. */
  readonly class: number;
  /** Time to live. */
  readonly ttl: number;
  /** Record data (a view). */
  readonly rdata: Uint8Array;
  /** The name inside the rdata (NS, CNAME, PTR, DNAME, MX, SRV). */
  readonly rdataName?: string;
}

/** A decoded DNS message head. */
export interface DnsHeader {
  /** Identification. */
  readonly id: number;
  /** Response (true) or query. */
  readonly qr: boolean;
  /** Opcode. */
  readonly opcode: number;
  /** Authoritative answer. */
  readonly aa: boolean;
  /** Truncated. */
  readonly tc: boolean;
  /** Recursion desired. */
  readonly rd: boolean;
  /** Recursion available. */
  readonly ra: boolean;
  /** Reserved bit. */
  readonly z: boolean;
  /** Authentic data. */
  readonly ad: boolean;
  /** Checking disabled. */
  readonly cd: boolean;
  /** Response code. */
  readonly rcode: number;
  /** Question count. */
  readonly qdcount: number;
  /** Answer count. */
  readonly ancount: number;
  /** Authority record count. */
  readonly nscount: number;
  /** Additional record count. */
  readonly arcount: number;
  /** The first question, or null when qdcount is 0. */
  readonly question: DnsQuestion | null;
  /** The answer records (at most ancount; only those that were read when the message is cut). */
  readonly answers: readonly DnsRecord[];
}

/**
 * Reads a possibly compressed name.
 *
 * @param msg the whole DNS message (pointers are offsets into it)
 * @param at where the name starts
 * @returns the name text and the offset just after the name in place (after the first pointer, if any)
 * @throws {WireError} WIRE_SHORT when cut, WIRE_BAD_POINTER on a forward or self pointer, WIRE_BAD_VALUE on
 *   a reserved label type or too many labels
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readDnsName } from "./dns.ts";
 * // "a." at 0, then a pointer to it at 3
 * const m = new Uint8Array([1, 0x61, 0, 0xc0, 0x00]);
 * assert(readDnsName(m, 3).name === "a." && readDnsName(m, 3).end === 5);
 * ```
 */
export function readDnsName(msg: Uint8Array, at: number): { name: string; end: number } {
  let name = "";
  let i = at, end = -1, limit = at, labels = 0;
  for (;;) {
    if (i >= msg.length) throw shortError("dns", i + 1, msg.length);
    const l = msg[i];
    if ((l & 0xc0) === 0xc0) {
      if (i + 1 >= msg.length) throw shortError("dns", i + 2, msg.length);
      const ptr = ((l & 0x3f) << 8) | msg[i + 1];
      if (end < 0) end = i + 2;
      // Strictly backwards from the last position: guarantees termination.
      if (ptr >= limit) {
        throw new WireError("dns", WireErrorCode.BAD_POINTER, `pointer to ${ptr} does not go back`, i);
      }
      limit = ptr;
      i = ptr;
      continue;
    }
    if ((l & 0xc0) !== 0) {
      throw new WireError("dns", WireErrorCode.BAD_VALUE, `label type 0x${l.toString(16)}`, i);
    }
    if (l === 0) {
      if (end < 0) end = i + 1;
      break;
    }
    if (++labels > MAX_LABELS) throw new WireError("dns", WireErrorCode.BAD_VALUE, "too many labels", i);
    if (i + 1 + l > msg.length) throw shortError("dns", i + 1 + l, msg.length);
    for (let k = i + 1; k <= i + l; k++) {
      const c = msg[k];
      name += c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c
        ? String.fromCharCode(c)
        : "\\" + c.toString().padStart(3, "0");
    }
    name += ".";
    i += 1 + l;
  }
  return { name: name || ".", end };
}

/**
 * Encodes a name as uncompressed labels.
 *
 * @param name e.g. "example.com." (the trailing dot is optional; `\DDD` escapes are understood)
 * @returns the label bytes ending with the zero label
 * @throws {RangeError} a label over 63 bytes or an empty label
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeDnsName } from "./dns.ts";
 * assert(encodeDnsName("a.b").join() === "1,97,1,98,0");
 * ```
 */
export function encodeDnsName(name: string): Uint8Array {
  const out: number[] = [];
  if (name !== "." && name !== "") {
    const body = name.endsWith(".") && !name.endsWith("\\.") ? name.slice(0, -1) : name;
    for (const label of body.split(/(?<!\\)\./)) {
      const bytes: number[] = [];
      for (let i = 0; i < label.length; i++) {
        if (label[i] === "\\" && /^[0-9]{3}$/.test(label.slice(i + 1, i + 4))) {
          bytes.push(Number(label.slice(i + 1, i + 4)));
          i += 3;
        } else if (label[i] === "\\" && i + 1 < label.length) bytes.push(label.charCodeAt(++i) & 0xff);
        else bytes.push(label.charCodeAt(i) & 0xff);
      }
      if (bytes.length === 0 || bytes.length > 63) {
        throw new RangeError(`bad DNS label ${JSON.stringify(label)}`);
      }
      out.push(bytes.length, ...bytes);
    }
  }
  out.push(0);
  return new Uint8Array(out);
}

/** The result of {@link walkDns}: what could be read, and an error when the message is cut or malformed. */
export interface DnsWalk {
  /** The header, or null. */
  header: DnsHeader | null;
  /** The error, or null. */
  error: WireError | null;
}

/**
 * A view over a DNS message's 12-byte header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsMessage, emitDns } from "./dns.ts";
 * const m = new DnsMessage(emitDns({ id: 7, rd: true, question: { name: "example.com.", qtype: 1 } }));
 * assert(m.id === 7 && m.rd && !m.qr && m.qdcount === 1);
 * ```
 */
export class DnsMessage extends WireView {
  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param bytes the message
   * @param checked validate first (default)
   * @throws {WireError} WIRE_SHORT under 12 bytes
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
  static unchecked(bytes: Uint8Array): DnsMessage {
    return new DnsMessage(bytes, false);
  }
  /**
   * Returns null when the 12-byte header fits.
   *
   * @returns null when the 12-byte header fits
   */
  check(): WireError | null {
    return this.b.length < F.end ? shortError("dns", F.end, this.b.length) : null;
  }
  /** Message id. */
  get id(): number {
    return this.u16(F.id);
  }
  set id(x: number) {
    this.v.setUint16(F.id, x);
  }
  /** The 16-bit flags word. */
  get flags(): number {
    return this.u16(F.flags);
  }
  set flags(x: number) {
    this.v.setUint16(F.flags, x);
  }
  /** Response bit. */
  get qr(): boolean {
    return (this.flags & 0x8000) !== 0;
  }
  /** Opcode. */
  get opcode(): number {
    return (this.flags >> 11) & 0xf;
  }
  /** Authoritative answer. */
  get aa(): boolean {
    return (this.flags & 0x0400) !== 0;
  }
  /** Truncated. */
  get tc(): boolean {
    return (this.flags & 0x0200) !== 0;
  }
  /** Recursion desired. */
  get rd(): boolean {
    return (this.flags & 0x0100) !== 0;
  }
  /** Recursion available. */
  get ra(): boolean {
    return (this.flags & 0x0080) !== 0;
  }
  /** Reserved Z bit. */
  get z(): boolean {
    return (this.flags & 0x0040) !== 0;
  }
  /** Authentic data. */
  get ad(): boolean {
    return (this.flags & 0x0020) !== 0;
  }
  /** Checking disabled. */
  get cd(): boolean {
    return (this.flags & 0x0010) !== 0;
  }
  /** Response code (low 4 bits). */
  get rcode(): number {
    return this.flags & 0xf;
  }
  /** Question count. */
  get qdcount(): number {
    return this.u16(F.qdcount);
  }
  set qdcount(x: number) {
    this.v.setUint16(F.qdcount, x);
  }
  /** Answer count. */
  get ancount(): number {
    return this.u16(F.ancount);
  }
  set ancount(x: number) {
    this.v.setUint16(F.ancount, x);
  }
  /** Authority count. */
  get nscount(): number {
    return this.u16(F.nscount);
  }
  set nscount(x: number) {
    this.v.setUint16(F.nscount, x);
  }
  /** Additional count. */
  get arcount(): number {
    return this.u16(F.arcount);
  }
  set arcount(x: number) {
    this.v.setUint16(F.arcount, x);
  }
  /**
   * Returns the bytes after the 12-byte header (a view).
   *
   * @returns the bytes after the 12-byte header (a view)
   */
  payload(): Uint8Array {
    return this.b.subarray(F.end);
  }
}

/**
 * Decodes header, first question and answers without throwing.
 *
 * @param bytes the message
 * @returns the header when the 12 bytes fit (with what follows as far as it could be read), and an error
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkDns } from "./dns.ts";
 * const w = walkDns(new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61]));
 * assert(w.header?.question === null && w.error?.code === "WIRE_SHORT");
 * ```
 */
export function walkDns(bytes: Uint8Array): DnsWalk {
  const m = new DnsMessage(bytes, false);
  const e = m.check();
  if (e) return { header: null, error: e };
  let question: DnsQuestion | null = null;
  const answers: DnsRecord[] = [];
  let error: WireError | null = null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    let at: number = F.end;
    const qd = m.qdcount;
    for (let q = 0; q < qd; q++) {
      const n = readDnsName(bytes, at);
      if (n.end + 4 > bytes.length) throw shortError("dns", n.end + 4, bytes.length);
      if (q === 0) question = { name: n.name, qtype: v.getUint16(n.end), qclass: v.getUint16(n.end + 2) };
      at = n.end + 4;
    }
    const an = m.ancount;
    for (let a = 0; a < an; a++) {
      const n = readDnsName(bytes, at);
      if (n.end + 10 > bytes.length) throw shortError("dns", n.end + 10, bytes.length);
      const type = v.getUint16(n.end), rdlen = v.getUint16(n.end + 8);
      const start = n.end + 10;
      if (start + rdlen > bytes.length) throw shortError("dns", start + rdlen, bytes.length);
      // Where a name sits inside the rdata of the types that carry one (MX after a preference, SRV after
      // priority, weight and port).
      const nameAt = type === DnsType.NS || type === DnsType.CNAME || type === DnsType.PTR ||
          type === DnsType.DNAME
        ? 0
        : type === DnsType.MX
        ? 2
        : type === DnsType.SRV
        ? 6
        : -1;
      answers.push({
        name: n.name,
        type,
        class: v.getUint16(n.end + 2),
        ttl: v.getUint32(n.end + 4),
        rdata: bytes.subarray(start, start + rdlen),
        ...(nameAt >= 0 && rdlen > nameAt ? { rdataName: readDnsName(bytes, start + nameAt).name } : {}),
      });
      at = start + rdlen;
    }
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    error = err;
  }
  const header: DnsHeader = {
    id: m.id,
    qr: m.qr,
    opcode: m.opcode,
    aa: m.aa,
    tc: m.tc,
    rd: m.rd,
    ra: m.ra,
    z: m.z,
    ad: m.ad,
    cd: m.cd,
    rcode: m.rcode,
    qdcount: m.qdcount,
    ancount: m.ancount,
    nscount: m.nscount,
    arcount: m.arcount,
    question,
    answers,
  };
  return { header, error };
}

/**
 * Parses a DNS message head.
 *
 * @param bytes the message (for DNS over TCP, after the 2-byte length)
 * @returns the header with the first question and the answers
 * @throws {WireError} when cut or malformed
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitDns, parseDns } from "./dns.ts";
 * const h = parseDns(emitDns({ id: 1, qr: true, ra: true, question: { name: "a.example.", qtype: 1 },
 *   answers: [{ name: "a.example.", type: 1, ttl: 60, rdata: new Uint8Array([192, 0, 2, 1]) }] }));
 * assert(h.answers.length === 1 && h.question?.name === "a.example.");
 * ```
 */
export function parseDns(bytes: Uint8Array): DnsHeader {
  const w = walkDns(bytes);
  throwIf(w.error);
  return w.header!;
}

/** Fields for {@link emitDns}: counts default to the sections given. */
export interface DnsInit {
  /** Identification. */
  id: number;
  /** Response (true) or query. */
  qr?: boolean;
  /** Opcode. */
  opcode?: number;
  /** Authoritative answer. */
  aa?: boolean;
  /** Truncated. */
  tc?: boolean;
  /** Recursion desired. */
  rd?: boolean;
  /** Recursion available. */
  ra?: boolean;
  /** Reserved bit. */
  z?: boolean;
  /** Authentic data. */
  ad?: boolean;
  /** Checking disabled. */
  cd?: boolean;
  /** Response code. */
  rcode?: number;
  /** Question count. */
  qdcount?: number;
  /** Answer count. */
  ancount?: number;
  /** Authority record count. */
  nscount?: number;
  /** Additional record count. */
  arcount?: number;
  /** The first question, or null. */
  question?: { name: string; qtype: number; qclass?: number } | null;
  /** Answer records. */
  answers?: readonly { name: string; type: number; class?: number; ttl?: number; rdata: Uint8Array }[];
}

/**
 * Builds a DNS message (names uncompressed) in one buffer of the exact size, plus optional trailing bytes
 * (authority and additional sections already encoded).
 *
 * @param h fields
 * @param trailer bytes appended after the answers
 * @returns the message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitDns } from "./dns.ts";
 * assert(emitDns({ id: 12345, rd: true, question: { name: "example.com.", qtype: 1 } }).length === 29);
 * ```
 */
export function emitDns(h: DnsInit, trailer: Uint8Array = new Uint8Array(0)): Uint8Array {
  const qname = h.question ? encodeDnsName(h.question.name) : new Uint8Array(0);
  const answers = (h.answers ?? []).map((a) => ({ ...a, enc: encodeDnsName(a.name) }));
  const size = F.end + (h.question ? qname.length + 4 : 0) +
    answers.reduce((n, a) => n + a.enc.length + 10 + a.rdata.length, 0) + trailer.length;
  const out = new Uint8Array(size);
  const m = DnsMessage.unchecked(out);
  const v = new DataView(out.buffer);
  m.id = h.id;
  m.flags = (h.qr ? 0x8000 : 0) | ((h.opcode ?? 0) & 0xf) << 11 | (h.aa ? 0x400 : 0) | (h.tc ? 0x200 : 0) |
    (h.rd ? 0x100 : 0) | (h.ra ? 0x80 : 0) | (h.z ? 0x40 : 0) | (h.ad ? 0x20 : 0) | (h.cd ? 0x10 : 0) |
    ((h.rcode ?? 0) & 0xf);
  m.qdcount = h.qdcount ?? (h.question ? 1 : 0);
  m.ancount = h.ancount ?? answers.length;
  m.nscount = h.nscount ?? 0;
  m.arcount = h.arcount ?? 0;
  let at: number = F.end;
  if (h.question) {
    out.set(qname, at);
    at += qname.length;
    v.setUint16(at, h.question.qtype);
    v.setUint16(at + 2, h.question.qclass ?? 1);
    at += 4;
  }
  for (const a of answers) {
    out.set(a.enc, at);
    at += a.enc.length;
    v.setUint16(at, a.type);
    v.setUint16(at + 2, a.class ?? 1);
    v.setUint32(at + 4, (a.ttl ?? 0) >>> 0);
    v.setUint16(at + 8, a.rdata.length);
    out.set(a.rdata, at + 10);
    at += 10 + a.rdata.length;
  }
  out.set(trailer, at);
  return out;
}

/**
 * The fixed header length in bytes.
 *
 * @returns 12
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dnsHeaderLen } from "./dns.ts";
 * assert(dnsHeaderLen() === 12);
 * ```
 */
export function dnsHeaderLen(): number {
  return F.end;
}

const TD_TYPES: Record<number, string> = {
  1: "A",
  2: "NS",
  3: "MD",
  4: "MF",
  5: "CNAME",
  6: "SOA",
  7: "MB",
  8: "MG",
  9: "MR",
  10: "NULL",
  11: "WKS",
  12: "PTR",
  13: "HINFO",
  14: "MINFO",
  15: "MX",
  16: "TXT",
  17: "RP",
  18: "AFSDB",
  19: "X25",
  20: "ISDN",
  21: "RT",
  22: "NSAP",
  23: "NSAP_PTR",
  24: "SIG",
  25: "KEY",
  26: "PX",
  27: "GPOS",
  28: "AAAA",
  29: "LOC",
  30: "NXT",
  31: "EID",
  32: "NIMLOC",
  33: "SRV",
  34: "ATMA",
  35: "NAPTR",
  36: "KX",
  37: "CERT",
  38: "A6",
  39: "DNAME",
  40: "SINK",
  41: "OPT",
  42: "APL",
  43: "DS",
  44: "SSHFP",
  45: "IPSECKEY",
  46: "RRSIG",
  47: "NSEC",
  48: "DNSKEY",
  99: "SPF",
  100: "UINFO",
  101: "UID",
  102: "GID",
  103: "UNSPEC",
  249: "TKEY",
  250: "TSIG",
  251: "IXFR",
  252: "AXFR",
  253: "MAILB",
  254: "MAILA",
  255: "ANY",
  256: "URI",
};

/**
 * A record type in tcpdump's words.
 *
 * @param t the type
 * @returns e.g. "AAAA", "Type65"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dnsTypeText } from "./dns.ts";
 * assert(dnsTypeText(28) === "AAAA" && dnsTypeText(65) === "Type65");
 * ```
 */
export function dnsTypeText(t: number): string {
  return TD_TYPES[t] ?? `Type${t}`;
}

function classText(c: number): string {
  return dnsClassText(c);
}

function printable(b: Uint8Array): string {
  let t = "";
  for (const c of b) t += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  return t;
}

function recordText(r: DnsRecord, mdns: boolean, verbose: boolean, verbosity: number): string {
  const cls = mdns ? r.class & 0x7fff : r.class;
  let s = verbose ? ` ${r.name}` : "";
  if (cls !== 1 && r.type !== DnsType.OPT) s += ` ${classText(cls)}`;
  if (mdns && (r.class & 0x8000)) s += " (Cache flush)";
  // -vvv: the time to live.
  if (verbose && verbosity >= 3 && r.type !== DnsType.OPT) s += ` [${relativeTime(r.ttl)}]`;
  s += ` ${dnsTypeText(r.type)}`;
  if (r.type === DnsType.A && r.rdata.length >= 4) s += ` ${formatIpv4Address(r.rdata)}`;
  else if (r.type === DnsType.AAAA && r.rdata.length >= 16) s += ` ${formatIpv6Address(r.rdata)}`;
  else if (r.type === DnsType.MX && r.rdataName !== undefined) {
    s += ` ${r.rdataName} ${(r.rdata[0] << 8) | r.rdata[1]}`;
  } else if (r.type === DnsType.SRV && r.rdataName !== undefined) {
    const v = new DataView(r.rdata.buffer, r.rdata.byteOffset, r.rdata.byteLength);
    s += ` ${r.rdataName}:${v.getUint16(4)} ${v.getUint16(0)} ${v.getUint16(2)}`;
  } else if (r.rdataName !== undefined) s += ` ${r.rdataName}`;
  else if (r.type === DnsType.TXT) {
    for (let i = 0; i < r.rdata.length;) {
      const n = r.rdata[i];
      s += ` "${printable(r.rdata.subarray(i + 1, i + 1 + n))}"`;
      i += 1 + n;
    }
  } else if (r.type === DnsType.OPT) s += ` UDPsize=${r.class}`;
  return s;
}

/**
 * tcpdump's one-line DNS text (default verbosity): query `ID[op][+][%] TYPE? NAME` or response
 * `ID[op][rcode][*][-][|][$] AN/NS/AR RECORDS`, then ` (LENGTH)`.
 *
 * @param h the header
 * @param length the DNS message length
 * @param mdns format as multicast DNS (port 5353: QU/QM, cache flush)
 * @param verbose tcpdump's `-v`: answers carry their owner name
 * @returns e.g. "12345+ A? example.com. (29)"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitDns, formatDns, parseDns } from "./dns.ts";
 * const b = emitDns({ id: 12345, rd: true, question: { name: "example.com.", qtype: 1 } });
 * assert(formatDns(parseDns(b), b.length) === "12345+ A? example.com. (29)");
 * ```
 */
export function formatDns(
  h: DnsHeader,
  length: number,
  mdns = false,
  verbose = false,
  verbosity = 1,
): string {
  let s = "";
  if (h.qr) {
    s += `${h.id}${DNS_OPCODES[h.opcode]}${DNS_RCODES[h.rcode]}${h.aa ? "*" : ""}${h.ra ? "" : "-"}${
      h.tc ? "|" : ""
    }${h.ad ? "$" : ""}`;
    if (h.qdcount !== 1) s += ` [${h.qdcount}q]`;
    // -vv: a response shows its question too (the first; the decoder keeps no other).
    if (verbose && verbosity >= 2 && h.question) s += ` q:${questionText(h.question, mdns)}`;
    s += ` ${h.ancount}/${h.nscount}/${h.arcount}`;
    s += h.answers.map((r) => recordText(r, mdns, verbose, verbosity)).join(",");
  } else {
    s += `${h.id}${DNS_OPCODES[h.opcode]}${h.rd ? "+" : ""}${h.cd ? "%" : ""}`;
    const b2 = (h.qr ? 0x8000 : 0) | (h.opcode << 11) | (h.aa ? 0x400 : 0) | (h.tc ? 0x200 : 0) |
      (h.rd ? 0x100 : 0) | (h.ra ? 0x80 : 0) | (h.z ? 0x40 : 0) | (h.ad ? 0x20 : 0) | (h.cd ? 0x10 : 0) |
      h.rcode;
    if (b2 & 0x6cf) s += ` [b2&3=0x${b2.toString(16)}]`;
    if (h.opcode === 1) {
      if (h.qdcount) s += ` [${h.qdcount}q]`;
      if (h.ancount !== 1) s += ` [${h.ancount}a]`;
    } else {
      if (h.ancount) s += ` [${h.ancount}a]`;
      if (h.qdcount !== 1) s += ` [${h.qdcount}q]`;
    }
    if (h.nscount) s += ` [${h.nscount}n]`;
    if (h.arcount) s += ` [${h.arcount}au]`;
    if (h.question) s += questionText(h.question, mdns);
  }
  return `${s} (${length})`;
}

/** A question as tcpdump's ns_qprint writes it: ` TYPE[ CLASS]? name`. */
function questionText(q: NonNullable<DnsHeader["question"]>, mdns: boolean): string {
  const cls = mdns ? q.qclass & 0x7fff : q.qclass;
  let s = ` ${dnsTypeText(q.qtype)}`;
  if (cls !== 1) s += ` ${classText(cls)}`;
  if (mdns) s += q.qclass & 0x8000 ? " (QU)" : " (QM)";
  return s + `? ${q.name}`;
}
