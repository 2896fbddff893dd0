/**
 * Private: OSPFv2 (RFC 2328, IP protocol 89 over IPv4) and OSPFv3 (RFC 5340, over IPv6) as tcpdump 4.99
 * prints them (its print-ospf.c and print-ospf6.c), after `src > dst: `.
 *
 * ```text
 * OSPFv2: version (1) | type (1) | packet length (2) | router id (4) | area id (4) | checksum (2) |
 *         auth type (2) | auth data (8) | body                           (24 bytes before the body)
 * OSPFv3: version (1) | type (1) | packet length (2) | router id (4) | area id (4) | checksum (2) |
 *         instance id (1) | reserved (1) | body                          (16 bytes before the body)
 * LSA header (v2): age (2) | options (1) | type (1) | LSA id (4) | advertising router (4) | seq (4) |
 *         checksum (2) | length (2);  v3: age (2) | type with scope bits (2) | the rest alike
 * ```
 *
 * - Default: `OSPFv2, Hello, length 44`, `OSPFv3, LS-Update, length 88`; `length` is the IP payload's
 *   (for OSPFv2 with MD5 authentication, 16 less: tcpdump strips the digest first, from the captured bytes
 *   too, and an IP payload shorter than 16 wraps around as an unsigned number). An unknown type stops there
 *   (`OSPFv2, unknown LS-type 9, length 24`, `OSPFv3, unknown packet type (0), length 16`).
 * - `-v`, OSPFv2: ` [len N]` when the header's length differs, then `\n\tRouter-ID 1.1.1.1, Area 0.0.0.1`
 *   (or `Backbone Area`), `, Authentication Type: simple (1)` with the password or MD5's key id, digest length
 *   and sequence (an unknown type stops the text), then the body: Hello options, timers, mask, priority,
 *   DR/BDR and neighbours; Database Description options, flags, MTU, sequence and LSA headers; LS Request
 *   entries; LS Update with every LSA (router links with their per-topology metrics, network, summary, ASBR
 *   summary, external/NSSA, multicast group, opaque: Traffic Engineering, Grace and Router Information TLVs,
 *   other opaque types in hex); LS Ack headers; the LLS data block (RFC 5613) of a Hello or DD with the L
 *   option after the packet. A version other than 2 prints ` ospf [version 3]` after the auth type.
 * - `-v`, OSPFv3: `\n\tRouter-ID 1.1.1.1, Backbone Area, Instance 1`; Hello options, timers, interface id,
 *   DR/BDR; DD options, flags, MTU, sequence; the LLS header and the authentication trailer (RFC 6506). `-vv`
 *   adds the Hello neighbours, DD and Ack LSA headers, LS Request entries and LS Update LSAs (router,
 *   network, inter-area prefix, AS external, link, intra-area prefix; the others in hex, as tcpdump does;
 *   Grace and Intra-Area-TE through the OSPFv2 TLV printers). A header length beyond the payload prints
 *   ` [len N]` and stops; another version stops after the area.
 * - `-vv`, OSPFv2: each LSA body is dumped in hex after its decoding (tcpdump's `print_unknown_data`).
 * - Truncation: a field past the captured bytes ends the text with ` [|ospf2]` or ` [|ospf3]` (tcpdump names
 *   the protocol that way), by a long jump (`jump: true`) except where tcpdump checks the length first and
 *   returns: OSPFv3's LSA header, LSA and trailer checks, and the OSPFv2 TE and Grace TLV checks, which end
 *   that LSA's text silently.
 *
 * tcpdump 4.99.3's own quirks are kept: an LS Update's LSAs and an LS Ack's headers are read past the packet
 * length while captured (an Ack stops only at a bogus LSA length, or with ` [|ospf2]`), a TE Link TLV does
 * not count its sub-TLVs against the LSA length, a Shared Risk Link Group sub-TLV advances twice, a Router
 * Information TLV is stepped over without its padding, a router LSA wants room for one link even with none,
 * and the OSPFv3 intra-area prefix LSA counts six bytes of its header too few.
 *
 * Not covered: nothing tcpdump 4.99.3 prints for OSPF is left out; the checksums are not verified (tcpdump
 * does not verify them either).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { Cut, type Out, type Printed, textChar, u16, u8 } from "./_text.ts";
import { GMPLS_ENCODING, GMPLS_PROTECTION, GMPLS_SWITCHING } from "./_gmpls.ts";

/** What the text needs from the carrying IP header and the options. */
export interface OspfContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The carrying IP header's version: OSPFv2 is printed after IPv4, OSPFv3 after IPv6. */
  ipVersion: 4 | 6;
}

/** A value-to-name table (tcpdump's `tok2str`). */
type Names = Readonly<Record<number, string>>;
/** A bit-to-name table in tcpdump's order (its `bittok2str`). */
type Bits = readonly (readonly [number, string])[];

const AUTH_NONE = 0, AUTH_SIMPLE = 1, AUTH_MD5 = 2;
/** The MD5 digest after the packet, which tcpdump strips before anything else. */
const MD5_DIGEST = 16;
const V2_HEADER = 24, V3_HEADER = 16, LSA_HEADER = 20;
const HELLO = 1, DD = 2, LS_REQUEST = 3, LS_UPDATE = 4, LS_ACK = 5;
const TYPES: Names = { 1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack" };

// ---- OSPFv2 tables (print-ospf.c, ospf.h)
const V2_OPTIONS: Bits = [
  [0x01, "MultiTopology"],
  [0x02, "External"],
  [0x04, "Multicast"],
  [0x08, "NSSA"],
  [0x10, "LLS"],
  [0x20, "Demand Circuit"],
  [0x40, "Opaque"],
  [0x80, "Up/Down"],
];
/** The Hello and DD option that announces an LLS data block after the packet. */
const OPTION_L = 0x10;
const AUTH_TYPES: Names = { 0: "none", 1: "simple", 2: "MD5" };
const RLA_FLAGS: Bits = [
  [0x01, "ABR"],
  [0x02, "ASBR"],
  [0x04, "Virtual"],
  [0x08, "Wildcard"],
  [0x10, "Nt"],
  [0x80, "Host"],
];
const LSA_TYPES: Names = {
  1: "Router",
  2: "Network",
  3: "Summary",
  4: "ASBR Summary",
  5: "External",
  6: "Multicast Group",
  7: "NSSA",
  9: "Link Local Opaque",
  10: "Area Local Opaque",
  11: "Domain Wide Opaque",
};
const LSA_ROUTER = 1, LSA_NETWORK = 2, LSA_SUMMARY = 3, LSA_ASBR = 4, LSA_EXTERNAL = 5, LSA_GROUP = 6;
const LSA_NSSA = 7, LSA_OPAQUE_LINK = 9, LSA_OPAQUE_AREA = 10, LSA_OPAQUE_AS = 11;
const isOpaque = (t: number) => t === LSA_OPAQUE_LINK || t === LSA_OPAQUE_AREA || t === LSA_OPAQUE_AS;
const DD_FLAGS: Bits = [[0x04, "Init"], [0x02, "More"], [0x01, "Master"], [0x08, "OOBResync"]];
const OPAQUE_TYPES: Names = { 1: "Traffic Engineering", 3: "Graceful restart", 4: "Router Information" };
const OPAQUE_TE = 1, OPAQUE_GRACE = 3, OPAQUE_RI = 4;
const LINK_TYPES: Names = { 1: "Neighbor Router-ID", 2: "Neighbor Network-ID", 3: "Stub Network" };
const LINK_VIRTUAL = 4, LINK_STUB = 3;
const TOPOLOGIES: Names = { 0: "default", 1: "multicast", 2: "management" };
const TE_TLVS: Names = { 1: "Router Address", 2: "Link" };
const TE_ROUTER = 1, TE_LINK = 2;
const TE_SUBTLVS: Names = {
  1: "Link Type",
  2: "Link ID",
  3: "Local Interface IP address",
  4: "Remote Interface IP address",
  5: "Traffic Engineering Metric",
  6: "Maximum Bandwidth",
  7: "Maximum Reservable Bandwidth",
  8: "Unreserved Bandwidth",
  9: "Administrative Group",
  11: "Link Local/Remote Identifier",
  14: "Link Protection Type",
  15: "Interface Switching Capability",
  16: "Shared Risk Link Group",
  17: "Bandwidth Constraints",
};
const TE_LINK_TYPES: Names = { 1: "Point-to-point", 2: "Multi-Access" };
const BC_MODELS: Names = {
  0: "Russian dolls",
  1: "Maximum allocation",
  254: "Maximum allocation with E-LSP support",
};
const GRACE_TLVS: Names = { 1: "Grace Period", 2: "Graceful restart Reason", 3: "IPv4 interface address" };
const GRACE_REASONS: Names = {
  0: "Unknown",
  1: "Software Restart",
  2: "Software Reload/Upgrade",
  3: "Control Processor Switch",
};
const RI_TLVS: Names = { 1: "Router Capabilities" };
const RI_CAPABILITIES: Bits = [
  [1, "Reserved"],
  [2, "Reserved"],
  [4, "Reserved"],
  [8, "Reserved"],
  [16, "graceful restart capable"],
  [32, "graceful restart helper"],
  [64, "Stub router support"],
  [128, "Traffic engineering"],
  [256, "p2p over LAN"],
  [512, "path computation server"],
];
const LLS_TLVS: Names = { 1: "Extended Options", 2: "MD5 Authentication" };
const LLS_EO = 1, LLS_MD5 = 2;
const LLS_EO_OPTIONS: Bits = [[1, "LSDB resync"], [2, "Restart"]];

// ---- OSPFv3 tables (print-ospf6.c)
const V3_OPTIONS: Bits = [
  [0x01, "V6"],
  [0x02, "External"],
  [0x04, "Deprecated"],
  [0x08, "NSSA"],
  [0x10, "Router"],
  [0x20, "Demand Circuit"],
  [0x100, "AFs Support"],
  [0x200, "LLS"],
  [0x400, "Authentication Trailer"],
];
const V3_OPTION_L = 0x200;
const V3_RLA_FLAGS: Bits = [
  [0x01, "ABR"],
  [0x02, "External"],
  [0x04, "Virtual-Link Endpoint"],
  [0x08, "Deprecated"],
  [0x10, "NSSA Translator"],
];
const V3_ASLA_FLAGS: Bits = [[0x80000000, "External Type 2"], [0x02000000, "Forwarding"], [
  0x01000000,
  "Tag",
]];
const ASLA_FORWARD = 0x02000000, ASLA_TAG = 0x01000000;
const V3_LSA_TYPES: Names = {
  1: "Router",
  2: "Network",
  3: "Inter-Area Prefix",
  4: "Inter-Area Router",
  5: "External",
  6: "Deprecated",
  7: "NSSA",
  8: "Link",
  9: "Intra-Area Prefix",
  10: "Intra-Area TE",
  11: "Grace",
  12: "Router Information",
  13: "Inter-AS-TE",
  14: "Layer 1 VPN",
};
const V3_SCOPES: Names = { 0x0000: "Link Local", 0x2000: "Area Local", 0x4000: "Domain Wide" };
const SCOPE_AREA = 0x2000, SCOPE_AS = 0x4000;
const V3_DD_FLAGS: Bits = [[0x04, "Init"], [0x02, "More"], [0x01, "Master"], [0x10, "IPv6 MTU"]];
const PREFIX_OPTIONS: Bits = [
  [0x01, "No Unicast"],
  [0x02, "Local address"],
  [0x04, "Deprecated"],
  [0x08, "Propagate"],
  [0x10, "Down"],
  [0x20, "N-bit"],
];
const V3_LINK_TYPES: Names = { 1: "Neighbor Router-ID", 2: "Neighbor Network-ID" };
const AT_HEADER = 16, LLS_HEADER = 4;

/**
 * tcpdump's text for an OSPF packet: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `OSPFv2, Hello, length 44`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ospfText } from "./_ospf.ts";
 * // A Hello: version 2, type 1, length 44, router 1.1.1.1, backbone, no authentication, then its body.
 * const hello = Uint8Array.from([
 *   2, 1, 0, 44, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
 *   255, 255, 255, 0, 0, 10, 2, 1, 0, 0, 0, 40, 10, 0, 0, 1, 0, 0, 0, 0,
 * ]);
 * assert.equal(ospfText(hello, 44, { verbosity: 0, ipVersion: 4 }).text, "OSPFv2, Hello, length 44");
 * assert.equal(
 *   ospfText(hello, 44, { verbosity: 1, ipVersion: 4 }).text,
 *   "OSPFv2, Hello, length 44\n\tRouter-ID 1.1.1.1, Backbone Area, Authentication Type: none (0)" +
 *     "\n\tOptions [External]\n\t  Hello Timer 10s, Dead Timer 40s, Mask 255.255.255.0, Priority 1" +
 *     "\n\t  Designated Router 10.0.0.1",
 * );
 * assert.deepEqual(ospfText(hello.subarray(0, 30), 44, { verbosity: 1, ipVersion: 4 }), {
 *   text: "OSPFv2, Hello, length 44\n\tRouter-ID 1.1.1.1, Backbone Area, Authentication Type: none (0) [|ospf2]",
 *   jump: true,
 * });
 * ```
 */
export function ospfText(p: Uint8Array, length: number, c: OspfContext): Printed {
  const o: Out = { s: "" };
  try {
    if (c.ipVersion === 6) {
      if (ospf3(o, p, length, c.verbosity)) o.s += " [|ospf3]";
    } else {
      ospf2(o, p, length, c.verbosity);
    }
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + (c.ipVersion === 6 ? " [|ospf3]" : " [|ospf2]"), jump: true };
    throw e;
  }
}

// ---- shared readers and formatters

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

/** The IPv4 address (or 32-bit id) at `at` as a dotted quad, or a {@link Cut}. */
function ip(p: Uint8Array, at: number): string {
  u8(p, at + 3);
  u8(p, at);
  return formatIpv4Address(p, at);
}

/** Whether `n` bytes from `at` were captured (tcpdump's ND_TTEST_LEN). */
function has(p: Uint8Array, at: number, n: number): boolean {
  return at >= 0 && n >= 0 && at + n <= p.length;
}

/** A {@link Cut} unless `n` bytes from `at` were captured: an ND_TCHECK whose failure jumps. */
function need(p: Uint8Array, at: number, n: number): void {
  if (!has(p, at, n)) throw new Cut();
}

const name = (t: Names, v: number, fallback: string) => t[v] ?? fallback;

/** tcpdump's bittok2str: the names of the bits set, comma-separated, or `none` when none is. */
function bits(t: Bits, fallback: string, v: number): string {
  const names: string[] = [];
  for (const [bit, text] of t) if ((v & bit) >>> 0 === bit) names.push(text);
  return names.length ? names.join(", ") : fallback;
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex4 = (x: number) => x.toString(16).padStart(4, "0");
const hex8 = (x: number) => x.toString(16).padStart(8, "0");
const plural = (n: number) => (n === 1 ? "" : "s");

/**
 * tcpdump's print_unknown_data: a hex dump of `n` bytes from `at` (no further than the captured bytes), 16 a
 * line in 2-byte groups, each line after `indent`; false (with tcpdump's complaint) when `at` is past them.
 */
function unknownData(o: Out, p: Uint8Array, at: number, indent: string, n: number): boolean {
  if (at > p.length) {
    o.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
    return false;
  }
  n = Math.min(n, p.length - at);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    if (k % 16 === 0) o.s += `${indent}0x${hex4(k)}: `;
    o.s += ` ${hex2(p[at + k])}${hex2(p[at + k + 1])}`;
  }
  if (n & 1) {
    if (k % 16 === 0) o.s += `${indent}0x${hex4(k)}: `;
    o.s += ` ${hex2(p[at + k])}`;
  }
  return true;
}

/**
 * A 32-bit IEEE float bandwidth in bytes per second as tcpdump prints it: `%.3f` of `f * 8 / 1000000`
 * computed in single precision (so it can overflow to `inf`), rounded from the exact binary value with ties
 * to even, as glibc does.
 */
function mbps(raw: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, raw);
  const f = view.getFloat32(0);
  const negative = (raw & 0x80000000) !== 0;
  if (Number.isNaN(f)) return negative ? "-nan" : "nan";
  const x = Math.fround(Math.fround(f * 8) / 1000000);
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  // The exact value of the double: mantissa * 2^exponent.
  view.setFloat64(0, Math.abs(x));
  const word = view.getBigUint64(0);
  const biased = Number((word >> 52n) & 0x7ffn);
  let mantissa = word & 0xfffffffffffffn;
  let exponent = biased - 1075;
  if (biased === 0) exponent = -1074;
  else mantissa |= 1n << 52n;
  let thousandths: bigint;
  if (exponent >= 0) thousandths = (mantissa * 1000n) << BigInt(exponent);
  else {
    const den = 1n << BigInt(-exponent), num = mantissa * 1000n;
    thousandths = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && thousandths % 2n === 1n)) thousandths++;
  }
  const digits = thousandths.toString().padStart(4, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

// ---- OSPFv2

/** ospf_print: the whole OSPFv2 text; a {@link Cut} for every truncation (tcpdump jumps for all of them). */
function ospf2(o: Out, p: Uint8Array, length: number, v: number): void {
  const auth = u16(p, 14);
  if (auth === AUTH_MD5) {
    // tcpdump strips the digest from the length and from the captured bytes alike.
    length = (length - MD5_DIGEST) >>> 0;
    p = p.subarray(0, Math.max(0, p.length - MD5_DIGEST));
  }
  const type = u8(p, 1), version = u8(p, 0);
  const typeName = TYPES[type];
  o.s += `OSPFv${version}, ${typeName ?? `unknown LS-type ${type}`}, length ${length}`;
  if (typeName === undefined || v === 0) return;
  const olen = u16(p, 2);
  if (length !== olen) o.s += ` [len ${olen}]`;
  const end = length > olen ? olen : length;
  o.s += `\n\tRouter-ID ${ip(p, 4)}`;
  o.s += u32(p, 8) !== 0 ? `, Area ${ip(p, 8)}` : ", Backbone Area";
  need(p, 16, 8);
  o.s += `, Authentication Type: ${name(AUTH_TYPES, auth, "unknown")} (${auth})`;
  switch (auth) {
    case AUTH_NONE:
      break;
    case AUTH_SIMPLE:
      o.s += "\n\tSimple text password: ";
      for (let k = 0; k < 8 && p[16 + k] !== 0; k++) o.s += textChar(p[16 + k]);
      break;
    case AUTH_MD5:
      o.s += `\n\tKey-ID: ${p[18]}, Auth-Length: ${p[19]}, Crypto Sequence Number: 0x${hex8(u32(p, 20))}`;
      break;
    default:
      return;
  }
  if (version !== 2) {
    o.s += ` ospf [version ${version}]`;
    return;
  }
  body2(o, p, type, end, v);
  if (length > olen) lls2(o, p, type, olen, length);
}

/** ospf_decode_v2: the body of a known type up to `end`. */
function body2(o: Out, p: Uint8Array, type: number, end: number, v: number): void {
  switch (type) {
    case HELLO: {
      o.s += `\n\tOptions [${bits(V2_OPTIONS, "none", u8(p, 30))}]`;
      const line = `\n\t  Hello Timer ${u16(p, 28)}s, Dead Timer ${u32(p, 32)}s, Mask ${ip(p, 24)}, ` +
        `Priority ${u8(p, 31)}`;
      o.s += line;
      if (u32(p, 36) !== 0) o.s += `\n\t  Designated Router ${ip(p, 36)}`;
      if (u32(p, 40) !== 0) o.s += `, Backup Designated Router ${ip(p, 40)}`;
      if (44 < end) o.s += "\n\t  Neighbor List:";
      for (let at = 44; at < end; at += 4) o.s += `\n\t    ${ip(p, at)}`;
      break;
    }
    case DD: {
      o.s += `\n\tOptions [${bits(V2_OPTIONS, "none", u8(p, 26))}]`;
      o.s += `, DD Flags [${bits(DD_FLAGS, "none", u8(p, 27))}]`;
      if (u16(p, 24) !== 0) o.s += `, MTU: ${u16(p, 24)}`;
      o.s += `, Sequence: 0x${hex8(u32(p, 28))}`;
      for (let at = 32; at < end && lsaHeader2(o, p, at) !== -1; at += LSA_HEADER);
      break;
    }
    case LS_REQUEST:
      for (let at = V2_HEADER; at < end; at += 12) {
        need(p, at, 12);
        const lsType = u32(p, at);
        o.s += `\n\t  Advertising Router: ${ip(p, at + 8)}, ${
          name(LSA_TYPES, lsType, "unknown")
        } LSA (${lsType})`;
        if (isOpaque(lsType)) {
          const ot = u8(p, at + 4);
          o.s += `, Opaque-Type: ${name(OPAQUE_TYPES, ot, "unknown")} LSA (${ot}), Opaque-ID: ${
            u24(p, at + 5)
          }`;
        } else {
          o.s += `, LSA-ID: ${ip(p, at + 4)}`;
        }
      }
      break;
    case LS_UPDATE: {
      const count = u32(p, 24);
      o.s += `, ${count} LSA${plural(count)}`;
      // The LSAs are read as far as they say, whatever the packet length.
      let at = 28;
      for (let k = 1; k <= count; k++) {
        o.s += `\n\t  LSA #${k}`;
        at = lsa2(o, p, at, v);
      }
      break;
    }
    case LS_ACK:
      // tcpdump 4.99.3 reads headers until a bogus length or the captured end, whatever the packet length.
      for (let at = V2_HEADER; lsaHeader2(o, p, at) !== -1; at += LSA_HEADER);
      break;
  }
}

function u24(p: Uint8Array, at: number): number {
  return (u8(p, at) << 16) | u16(p, at + 1);
}

/** ospf_print_lshdr: an LSA header's lines; its length, or -1 for a length shorter than the header. */
function lsaHeader2(o: Out, p: Uint8Array, at: number): number {
  const len = u16(p, at + 18);
  if (len < LSA_HEADER) {
    o.s += `\n\t    Bogus length ${len} < header (${LSA_HEADER})`;
    return -1;
  }
  o.s += `\n\t  Advertising Router ${ip(p, at + 8)}, seq 0x${hex8(u32(p, at + 12))}, age ${u16(p, at)}s, ` +
    `length ${len - LSA_HEADER}`;
  const type = u8(p, at + 3);
  if (isOpaque(type)) {
    const ot = u8(p, at + 4);
    o.s += `\n\t    ${name(LSA_TYPES, type, "unknown")} LSA (${type}), ` +
      `Opaque-Type ${name(OPAQUE_TYPES, ot, "unknown")} LSA (${ot}), Opaque-ID ${u24(p, at + 5)}`;
  } else {
    o.s += `\n\t    ${name(LSA_TYPES, type, "unknown")} LSA (${type}), LSA-ID: ${ip(p, at + 4)}`;
  }
  o.s += `\n\t    Options: [${bits(V2_OPTIONS, "none", u8(p, at + 2))}]`;
  return len;
}

/** ospf_print_lsa: one LSA; where the next one starts, or a {@link Cut} (tcpdump jumps for every failure). */
function lsa2(o: Out, p: Uint8Array, at: number, v: number): number {
  const len = lsaHeader2(o, p, at);
  if (len < 0) throw new Cut();
  const end = at + len, rest = len - LSA_HEADER, body = at + LSA_HEADER;
  switch (u8(p, at + 3)) {
    case LSA_ROUTER: {
      o.s += `\n\t    Router LSA Options: [${bits(RLA_FLAGS, "none", u8(p, body))}]`;
      const links = u16(p, body + 2);
      // tcpdump wants room for one link even when there is none.
      need(p, body + 4, 12);
      let r = body + 4;
      for (let k = links; k !== 0; k--) {
        need(p, r, 12);
        const lt = u8(p, r + 8);
        const id = ip(p, r), data = ip(p, r + 4);
        if (lt === LINK_VIRTUAL) {
          o.s += `\n\t      Virtual Link: Neighbor Router-ID: ${id}, Interface Address: ${data}`;
        } else if (lt === LINK_STUB) o.s += `\n\t      Stub Network: ${id}, Mask: ${data}`;
        else if (LINK_TYPES[lt]) o.s += `\n\t      ${LINK_TYPES[lt]}: ${id}, Interface Address: ${data}`;
        else {
          o.s += `\n\t      Unknown Router Link Type (${lt})`;
          return end;
        }
        // The TOS 0 metric, then one per further topology.
        const count = u8(p, r + 9) + 1;
        for (let m = 0, t = r + 8; m < count; m++, t += 4) {
          const topology = m ? u8(p, t) : 0;
          o.s += `\n\t\ttopology ${name(TOPOLOGIES, topology, "Unknown")} (${topology}), metric ${
            u16(p, t + 2)
          }`;
        }
        r += 12 + u8(p, r + 9) * 4;
      }
      break;
    }
    case LSA_NETWORK:
      o.s += `\n\t    Mask ${ip(p, body)}\n\t    Connected Routers:`;
      for (let r = body + 4; r < end; r += 4) o.s += `\n\t      ${ip(p, r)}`;
      break;
    case LSA_SUMMARY:
    case LSA_ASBR:
      if (u8(p, at + 3) === LSA_SUMMARY) {
        need(p, body, 4);
        o.s += `\n\t    Mask ${ip(p, body)}`;
      }
      need(p, body + 4, 4);
      for (let m = body + 4; m < end; m += 4) {
        const w = u32(p, m), topology = (w >>> 24) & 0x7f;
        o.s += `\n\t\ttopology ${name(TOPOLOGIES, topology, "Unknown")} (${topology}) metric ${w & 0xffffff}`;
      }
      break;
    case LSA_EXTERNAL:
    case LSA_NSSA:
      need(p, body, 4);
      o.s += `\n\t    Mask ${ip(p, body)}`;
      need(p, body + 4, 4);
      for (let m = body + 4; m < end; m += 12) {
        const w = u32(p, m), topology = (w >>> 24) & 0x7f, metric = w & 0xffffff;
        o.s +=
          `\n\t\ttopology ${name(TOPOLOGIES, topology, "Unknown")} (${topology}), type ${
            w >>> 31 ? 2 : 1
          }, ` +
          `metric ${metric === 0xffffff ? "infinite" : metric}`;
        if (u32(p, m + 4) !== 0) o.s += `, forward ${ip(p, m + 4)}`;
        if (u32(p, m + 8) !== 0) o.s += `, tag ${ip(p, m + 8)}`;
      }
      break;
    case LSA_GROUP:
      for (let m = body; m < end; m += 8) {
        const vertex = u32(p, m);
        if (vertex === 1) o.s += `\n\t    Router Router-ID ${ip(p, m + 4)}`;
        else if (vertex === 2) o.s += `\n\t    Network Designated Router ${ip(p, m + 4)}`;
        else o.s += `\n\t    unknown VertexType (${vertex})`;
      }
      break;
    case LSA_OPAQUE_LINK:
    case LSA_OPAQUE_AREA:
    case LSA_OPAQUE_AS:
      switch (u8(p, at + 4)) {
        case OPAQUE_RI:
          if (!routerInformation(o, p, body, rest, v)) return end;
          break;
        case OPAQUE_GRACE:
          if (grace(o, p, body, rest, v) < 0) return end;
          break;
        case OPAQUE_TE:
          if (trafficEngineering(o, p, body, rest, v) < 0) return end;
          break;
        default:
          if (v <= 1 && !unknownData(o, p, body, "\n\t    ", rest)) return end;
      }
      break;
  }
  if (v > 1 && !unknownData(o, p, body, "\n\t    ", rest)) return end;
  return end;
}

/** The Router Information TLVs of an opaque LSA; false where tcpdump stops the LSA (a Cut for its checks). */
function routerInformation(o: Out, p: Uint8Array, t: number, rest: number, v: number): boolean {
  while (rest !== 0) {
    need(p, t, 4);
    if (rest < 4) {
      o.s += `\n\t    Remaining LS length ${rest} < 4`;
      return false;
    }
    const type = u16(p, t);
    const len = u16(p, t + 2);
    t += 4;
    rest -= 4;
    o.s += `\n\t    ${name(RI_TLVS, type, "unknown")} TLV (${type}), length: ${len}, value: `;
    if (len > rest) {
      o.s += `\n\t    Bogus length ${len} > remaining LS length ${rest}`;
      return false;
    }
    need(p, t, len);
    if (type === 1) {
      if (len !== 4) {
        o.s += `\n\t    Bogus length ${len} != 4`;
        return false;
      }
      o.s += `Capabilities: ${bits(RI_CAPABILITIES, "Unknown", u32(p, t))}`;
    } else if (v <= 1) {
      unknownData(o, p, t, "\n\t      ", len);
    }
    // tcpdump 4.99.3 steps over the TLV without its padding.
    rest -= len;
    t += len;
  }
  return true;
}

/** ospf_grace_lsa_print: the Grace TLVs; -1 where tcpdump gives up (a length check, a failed ND_TCHECK). */
function grace(o: Out, p: Uint8Array, t: number, rest: number, v: number): number {
  while (rest > 0) {
    if (!has(p, t, 4)) return -1;
    if (rest < 4) {
      o.s += `\n\t    Remaining LS length ${rest} < 4`;
      return -1;
    }
    const type = u16(p, t);
    let len = u16(p, t + 2);
    t += 4;
    rest -= 4;
    o.s += `\n\t    ${name(GRACE_TLVS, type, "unknown")} TLV (${type}), length ${len}, value: `;
    if (len > rest) {
      o.s += `\n\t    Bogus length ${len} > ${rest}`;
      return -1;
    }
    if (type === 0 || len === 0) return -1;
    if (!has(p, t, len)) return -1;
    switch (type) {
      case 1:
        if (len !== 4) {
          o.s += `\n\t    Bogus length ${len} != 4`;
          return -1;
        }
        o.s += `${u32(p, t)}s`;
        break;
      case 2:
        if (len !== 1) {
          o.s += `\n\t    Bogus length ${len} != 1`;
          return -1;
        }
        o.s += `${name(GRACE_REASONS, p[t], "Unknown")} (${p[t]})`;
        break;
      case 3:
        if (len !== 4) {
          o.s += `\n\t    Bogus length ${len} != 4`;
          return -1;
        }
        o.s += ip(p, t);
        break;
      default:
        if (v <= 1 && !unknownData(o, p, t, "\n\t      ", len)) return -1;
    }
    if (len % 4) len += 4 - (len % 4);
    rest = (rest - len) >>> 0;
    t += len;
  }
  return 0;
}

/** ospf_te_lsa_print: the Traffic Engineering TLVs; -1 where tcpdump gives up. */
function trafficEngineering(o: Out, p: Uint8Array, t: number, rest: number, v: number): number {
  while (rest !== 0) {
    if (!has(p, t, 4)) return -1;
    if (rest < 4) {
      o.s += `\n\t    Remaining LS length ${rest} < 4`;
      return -1;
    }
    const type = u16(p, t);
    let len = u16(p, t + 2);
    t += 4;
    rest -= 4;
    o.s += `\n\t    ${name(TE_TLVS, type, "unknown")} TLV (${type}), length: ${len}`;
    if (len > rest) {
      o.s += `\n\t    Bogus length ${len} > ${rest}`;
      return -1;
    }
    if (type === 0 || len === 0) return -1;
    if (type === TE_LINK) {
      // The sub-TLVs use up the TLV's length, which then no longer counts against the LSA's.
      while (len !== 0) {
        if (len < 4) {
          o.s += `\n\t    Remaining TLV length ${len} < 4`;
          return -1;
        }
        const sub = u16(p, t);
        let sublen = u16(p, t + 2);
        t += 4;
        len -= 4;
        if (sub === 0 || sublen === 0) {
          o.s += " (invalid)";
          return -1;
        }
        o.s += `\n\t      ${name(TE_SUBTLVS, sub, "unknown")} subTLV (${sub}), length: ${sublen}`;
        if (len < sublen) {
          o.s += `\n\t    Remaining TLV length ${len + 4} < ${sublen + 4}`;
          return -1;
        }
        if (!has(p, t, sublen)) return -1;
        const r = subTlv(o, p, t, sub, sublen, v);
        if (r < 0) return -1;
        t = r;
        if (sublen % 4) sublen += 4 - (sublen % 4);
        if (len < sublen) {
          o.s += `\n\t    Remaining TLV length ${len + 4} < ${sublen + 4}`;
          return -1;
        }
        len -= sublen;
        t += sublen;
      }
    } else if (type === TE_ROUTER) {
      if (len < 4) {
        o.s += `\n\t    TLV length ${len} < 4`;
        return -1;
      }
      o.s += `, ${ip(p, t)}`;
    } else if (v <= 1 && !unknownData(o, p, t, "\n\t      ", len)) {
      return -1;
    }
    if (len % 4) len += 4 - (len % 4);
    if (len > rest) {
      o.s += `\n\t    Bogus padded length ${len} > ${rest}`;
      return -1;
    }
    rest -= len;
    t += len;
  }
  return 0;
}

/**
 * One sub-TLV of a TE Link TLV (captured whole); where the TLV walk goes on from (tcpdump moves it inside a
 * Shared Risk Link Group), or -1 after ` (invalid)`.
 */
function subTlv(o: Out, p: Uint8Array, t: number, sub: number, len: number, v: number): number {
  const invalid = (why: string) => {
    o.s += `${why} (invalid)`;
    return -1;
  };
  switch (sub) {
    case 9:
      if (len !== 4) return invalid(" != 4");
      o.s += `, 0x${hex8(u32(p, t))}`;
      break;
    case 2:
    case 11:
      if (len !== 4 && len !== 8) return invalid(" != 4 && != 8");
      o.s += `, ${ip(p, t)} (0x${hex8(u32(p, t))})`;
      if (len === 8) o.s += `, ${ip(p, t + 4)} (0x${hex8(u32(p, t + 4))})`;
      break;
    case 3:
    case 4:
      if (len !== 4) return invalid(" != 4");
      o.s += `, ${ip(p, t)}`;
      break;
    case 6:
    case 7:
      if (len !== 4) return invalid(" != 4");
      o.s += `, ${mbps(u32(p, t))} Mbps`;
      break;
    case 8:
      if (len !== 32) return invalid(" != 32");
      for (let k = 0; k < 8; k++) o.s += `\n\t\tTE-Class ${k}: ${mbps(u32(p, t + 4 * k))} Mbps`;
      break;
    case 17:
      if (len < 4) return invalid(" < 4");
      o.s += `\n\t\tBandwidth Constraints Model ID: ${name(BC_MODELS, p[t], "unknown")} (${p[t]})`;
      if (len % 4 !== 0) return invalid(`\n\t\tlength ${len} != N x 4`);
      if (len > 36) return invalid(`\n\t\tlength ${len} > 36`);
      for (let k = 0; k < (len - 4) / 4; k++) {
        o.s += `\n\t\t  Bandwidth constraint CT${k}: ${mbps(u32(p, t + 4 + 4 * k))} Mbps`;
      }
      break;
    case 5:
      if (len !== 4) return invalid(" != 4");
      o.s += `, Metric ${u32(p, t)}`;
      break;
    case 14:
      if (len !== 4) return invalid(" != 4");
      o.s += `, ${bits(GMPLS_PROTECTION, "none", p[t])}`;
      break;
    case 15:
      if (len < 36) return invalid(" < 36");
      o.s += `\n\t\tInterface Switching Capability: ${name(GMPLS_SWITCHING, p[t], "Unknown")}`;
      o.s += `\n\t\tLSP Encoding: ${name(GMPLS_ENCODING, p[t + 1], "Unknown")}\n\t\tMax LSP Bandwidth:`;
      for (let k = 0; k < 8; k++) o.s += `\n\t\t  priority level ${k}: ${mbps(u32(p, t + 4 + 4 * k))} Mbps`;
      break;
    case 1:
      if (len !== 1) return invalid(" != 1");
      o.s += `, ${name(TE_LINK_TYPES, p[t], "unknown")} (${p[t]})`;
      break;
    case 16: {
      if (len % 4 !== 0) return invalid(" != N x 4");
      let count = len / 4;
      if (count !== 0) o.s += "\n\t\t  Shared risk group: ";
      while (count > 0) {
        o.s += `${u32(p, t)}`;
        t += 4;
        count--;
        if (count > 0) o.s += ", ";
      }
      break;
    }
    default:
      if (v <= 1 && !unknownData(o, p, t, "\n\t\t", len)) return -1;
  }
  return t;
}

/** ospf_decode_lls: the LLS data block after a Hello or DD with the L option, up to the payload's end. */
function lls2(o: Out, p: Uint8Array, type: number, olen: number, length: number): void {
  if (type === HELLO) {
    if (!(u8(p, 30) & OPTION_L)) return;
  } else if (type === DD) {
    if (!(u8(p, 26) & OPTION_L)) return;
  } else {
    return;
  }
  let at = olen, seen = olen;
  if (u16(p, 14) === AUTH_MD5) {
    at += u8(p, 19);
    seen += u8(p, 19);
  }
  if (seen >= length) {
    o.s += "\n\t[LLS truncated]";
    return;
  }
  o.s += `\n\t  LLS: checksum: 0x${hex4(u16(p, at))}`;
  o.s += `, length: ${u16(p, at + 2)}`;
  at += 4;
  while (at < length) {
    const type = u16(p, at);
    o.s += `\n\t    ${name(LLS_TLVS, type, "Unknown TLV")} (${type})`;
    let len = u16(p, at + 2);
    o.s += `, length: ${len}`;
    at += 4;
    if (type === LLS_EO) {
      if (len !== 4) {
        o.s += " [should be 4]";
        len = 4;
      }
      const flags = u32(p, at);
      o.s += `\n\t      Options: 0x${hex8(flags)} [${bits(LLS_EO_OPTIONS, "?", flags)}]`;
    } else if (type === LLS_MD5) {
      if (len !== 20) {
        o.s += " [should be 20]";
        len = 20;
      }
      o.s += `\n\t      Sequence number: 0x${hex8(u32(p, at))}`;
    }
    at += len;
  }
}

// ---- OSPFv3

/**
 * ospf6_print: the whole OSPFv3 text; true where tcpdump stops after one of its own checks (it then prints
 * its truncation mark without a jump), a {@link Cut} where a read runs off the captured bytes.
 */
function ospf3(o: Out, p: Uint8Array, length: number, v: number): boolean {
  const type = u8(p, 1), version = u8(p, 0);
  const typeName = TYPES[type];
  o.s += `OSPFv${version}, ${typeName ?? `unknown packet type (${type})`}, length ${length}`;
  if (typeName === undefined || v === 0) return false;
  const olen = u16(p, 2);
  if (olen > length) {
    o.s += ` [len ${olen}]`;
    return false;
  }
  o.s += `\n\tRouter-ID ${ip(p, 4)}`;
  o.s += u32(p, 8) !== 0 ? `, Area ${ip(p, 8)}` : ", Backbone Area";
  if (u8(p, 14)) o.s += `, Instance ${p[14]}`;
  if (version !== 3) return false;
  return body3(o, p, type, olen, v) || trailer3(o, p, type, olen, length - olen, v);
}

/** ospf6_decode_v3: the body of a known type up to `end`; true for tcpdump's own truncation checks. */
function body3(o: Out, p: Uint8Array, type: number, end: number, v: number): boolean {
  const b = V3_HEADER;
  switch (type) {
    case HELLO:
      o.s += `\n\tOptions [${bits(V3_OPTIONS, "none", u32(p, b + 4))}]`;
      o.s +=
        `\n\t  Hello Timer ${u16(p, b + 8)}s, Dead Timer ${u16(p, b + 10)}s, Interface-ID ${ip(p, b)}, ` +
        `Priority ${u8(p, b + 4)}`;
      if (u32(p, b + 12) !== 0) o.s += `\n\t  Designated Router ${ip(p, b + 12)}`;
      if (u32(p, b + 16) !== 0) o.s += `, Backup Designated Router ${ip(p, b + 16)}`;
      if (v > 1) {
        o.s += "\n\t  Neighbor List:";
        for (let at = b + 20; at < end; at += 4) o.s += `\n\t    ${ip(p, at)}`;
      }
      break;
    case DD:
      o.s += `\n\tOptions [${bits(V3_OPTIONS, "none", u32(p, b))}]`;
      o.s += `, DD Flags [${bits(V3_DD_FLAGS, "none", u8(p, b + 7))}]`;
      o.s += `, MTU ${u16(p, b + 4)}, DD-Sequence 0x${hex8(u32(p, b + 8))}`;
      if (v > 1) {
        for (let at = b + 12; at < end; at += LSA_HEADER) if (lsaHeader3(o, p, at, end)) return true;
      }
      break;
    case LS_REQUEST:
      if (v > 1) {
        for (let at = b; at < end; at += 12) {
          if (!has(p, at, 12)) return true;
          o.s += `\n\t  Advertising Router ${ip(p, at + 8)}`;
          lsType3(o, p, u16(p, at + 2), at + 4);
        }
      }
      break;
    case LS_UPDATE:
      if (v > 1) {
        let count = u32(p, b);
        for (let at = b + 4; at < end && count !== 0; at += u16(p, at + 18)) {
          count--;
          if (lsa3(o, p, at, end)) return true;
        }
      }
      break;
    case LS_ACK:
      if (v > 1) {
        for (let at = b; at < end; at += LSA_HEADER) if (lsaHeader3(o, p, at, end)) return true;
      }
      break;
  }
  return false;
}

/** ospf6_print_ls_type: an LSA's type, scope and id line. */
function lsType3(o: Out, p: Uint8Array, type: number, id: number): void {
  const code = type & 0x1fff;
  o.s += `\n\t    ${name(V3_LSA_TYPES, code, "Unknown")} LSA (${code}), ` +
    `${name(V3_SCOPES, type & 0x6000, "Unknown")} Scope${type & 0x8000 ? ", transitive" : ""}, LSA-ID ${
      ip(p, id)
    }`;
}

/** ospf6_print_lshdr: an LSA header's lines; true when it does not fit before `end`. */
function lsaHeader3(o: Out, p: Uint8Array, at: number, end: number): boolean {
  if (at + LSA_HEADER > end) return true;
  const len = u16(p, at + 18);
  // tcpdump subtracts the header size as a 64-bit size_t.
  const shown = len >= LSA_HEADER ? `${len - LSA_HEADER}` : `${(1n << 64n) - BigInt(LSA_HEADER - len)}`;
  o.s += `\n\t  Advertising Router ${ip(p, at + 8)}, seq 0x${hex8(u32(p, at + 12))}, age ${u16(p, at)}s, ` +
    `length ${shown}`;
  lsType3(o, p, u16(p, at + 2), at + 4);
  return false;
}

/** ospf6_print_lsaprefix: one prefix; its size, or -1 where tcpdump gives up. */
function prefix3(o: Out, p: Uint8Array, t: number, rest: number): number {
  if (rest < 4) return -1;
  rest -= 4;
  if (!has(p, t, 4)) return -1;
  const plen = u8(p, t);
  const words = Math.floor((plen + 31) / 32);
  if (words * 4 > 16) {
    o.s += ` bogus prefixlen /${plen}`;
    return -1;
  }
  if (rest < words * 4) return -1;
  const address = new Uint8Array(16);
  need(p, t + 4, words * 4);
  address.set(p.subarray(t + 4, t + 4 + words * 4));
  o.s += `\n\t\t${formatIpv6Address(address)}/${plen}`;
  if (u8(p, t + 1)) o.s += `, Options [${bits(PREFIX_OPTIONS, "none", p[t + 1])}]`;
  o.s += `, metric ${u16(p, t + 2)}`;
  return 4 + words * 4;
}

/** ospf6_print_lsa: one LSA; true where tcpdump gives up on the packet. */
function lsa3(o: Out, p: Uint8Array, at: number, end: number): boolean {
  if (lsaHeader3(o, p, at, end)) return true;
  const len = u16(p, at + 18);
  if (len < LSA_HEADER || at + len > end) return true;
  let rest = len - LSA_HEADER;
  const body = at + LSA_HEADER;
  const type = u16(p, at + 2);
  switch (type) {
    case SCOPE_AREA | LSA_ROUTER: {
      if (rest < 4) return true;
      rest -= 4;
      o.s += `\n\t      Options [${bits(V3_OPTIONS, "none", u32(p, body))}]`;
      o.s += `, RLA-Flags [${bits(V3_RLA_FLAGS, "none", u8(p, body))}]`;
      for (let r = body + 4; rest !== 0; r += 16) {
        if (rest < 16) return true;
        rest -= 16;
        if (!has(p, r, 16)) return true;
        const lt = u8(p, r);
        const kind = lt === LINK_VIRTUAL ? "Virtual Link: Neighbor Router-ID" : V3_LINK_TYPES[lt];
        if (kind === undefined) {
          o.s += `\n\t      Unknown Router Links Type 0x${hex2(lt)}`;
          return false;
        }
        o.s += `\n\t      ${kind} ${ip(p, r + 12)}\n\t      Neighbor Interface-ID ${ip(p, r + 8)}, ` +
          `Interface ${ip(p, r + 4)}`;
        o.s += `, metric ${u16(p, r + 2)}`;
      }
      break;
    }
    case SCOPE_AREA | LSA_NETWORK:
      if (rest < 4) return true;
      rest -= 4;
      o.s += `\n\t      Options [${bits(V3_OPTIONS, "none", u32(p, body))}]`;
      o.s += "\n\t      Connected Routers:";
      for (let r = body + 4; rest !== 0; r += 4) {
        if (rest < 4) return true;
        rest -= 4;
        o.s += `\n\t\t${ip(p, r)}`;
      }
      break;
    case SCOPE_AREA | 3: {
      if (rest < 4) return true;
      rest -= 4;
      o.s += `, metric ${u32(p, body) & 0xffffff}`;
      for (let t = body + 4; rest !== 0;) {
        const n = prefix3(o, p, t, rest);
        if (n < 0) return true;
        rest -= n;
        t += n;
      }
      break;
    }
    case SCOPE_AS | LSA_EXTERNAL: {
      if (rest < 4) return true;
      rest -= 4;
      const flags = u32(p, body);
      o.s += `\n\t     Flags [${bits(V3_ASLA_FLAGS, "none", flags)}]`;
      o.s += ` metric ${flags & 0xffffff}`;
      let t = body + 4;
      const first = t;
      const n = prefix3(o, p, t, rest);
      if (n < 0) return true;
      rest -= n;
      t += n;
      if (flags & ASLA_FORWARD) {
        if (rest < 16) return true;
        rest -= 16;
        need(p, t, 16);
        o.s += ` forward ${formatIpv6Address(p, t)}`;
        t += 16;
      }
      if (flags & ASLA_TAG) {
        if (rest < 4) return true;
        rest -= 4;
        o.s += ` tag ${ip(p, t)}`;
        t += 4;
      }
      // tcpdump tests the high byte of the referenced LS type only.
      if (u8(p, first + 2)) {
        if (rest < 4) return true;
        rest -= 4;
        o.s += ` RefLSID: ${ip(p, t)}`;
      }
      break;
    }
    case 8: {
      // A link LSA: tcpdump matches it with link-local scope only.
      if (rest < 4) return true;
      rest -= 4;
      if (!has(p, body, 4)) return true;
      o.s += `\n\t      Options [${bits(V3_OPTIONS, "none", u32(p, body))}]`;
      if (rest < 20) return true;
      rest -= 20;
      let prefixes = u32(p, body + 20);
      const priority = u8(p, body);
      need(p, body + 4, 16);
      o.s += `\n\t      Priority ${priority}, Link-local address ${formatIpv6Address(p, body + 4)}, ` +
        `Prefixes ${prefixes}:`;
      for (let t = body + 24; prefixes > 0; prefixes--) {
        const n = prefix3(o, p, t, rest);
        if (n < 0) return true;
        rest -= n;
        t += n;
      }
      break;
    }
    case SCOPE_AREA | 9: {
      // tcpdump counts 6 of the 12 bytes before the prefixes.
      if (rest < 4) return true;
      rest -= 4;
      if (!has(p, body + 8, 4)) return true;
      lsType3(o, p, u16(p, body + 2), body + 4);
      if (rest < 2) return true;
      rest -= 2;
      let prefixes = u16(p, body);
      o.s += `\n\t      Prefixes ${prefixes}:`;
      for (let t = body + 12; prefixes > 0; prefixes--) {
        const n = prefix3(o, p, t, rest);
        if (n < 0) return true;
        rest -= n;
        t += n;
      }
      break;
    }
    case 11:
      if (grace(o, p, body, rest, 2) < 0) return true;
      break;
    case 10:
      if (trafficEngineering(o, p, body, rest, 2) < 0) return true;
      break;
    default:
      if (!unknownData(o, p, body, "\n\t      ", rest)) return true;
  }
  return false;
}

/** ospf6_decode_v3_trailer: the LLS block (Hello, DD with the L option) and the authentication trailer. */
function trailer3(o: Out, p: Uint8Array, type: number, at: number, len: number, v: number): boolean {
  let lls = false;
  if (type === HELLO) lls = (u32(p, V3_HEADER + 4) & V3_OPTION_L) !== 0;
  else if (type === DD) lls = (u32(p, V3_HEADER) & V3_OPTION_L) !== 0;
  let llsLen = 0;
  if (lls && len !== 0) {
    if (len < LLS_HEADER) return true;
    o.s += `\n\tLLS Checksum 0x${hex4(u16(p, at))}`;
    llsLen = u16(p, at + 2);
    o.s += `, Data Length ${llsLen}`;
    if (llsLen < LLS_HEADER || llsLen > len) return true;
    if (!has(p, at + LLS_HEADER, llsLen - LLS_HEADER)) return true;
  }
  at += llsLen;
  len -= llsLen;
  if (len === 0) return false;
  if (len < AT_HEADER) return true;
  const authType = u16(p, at);
  o.s += `\n\tAuthentication Type ${authType === 1 ? "HMAC" : `unknown (0x${hex4(authType)})`}`;
  const authLen = u16(p, at + 2);
  o.s += `, Length ${authLen}`;
  if (authLen < AT_HEADER || authLen > len) return true;
  o.s += `, SAID ${u16(p, at + 6)}`;
  o.s += `, CSN 0x${hex8(u32(p, at + 8))}`;
  o.s += `:${hex8(u32(p, at + 12))}`;
  if (!has(p, at + AT_HEADER, authLen - AT_HEADER)) return true;
  if (v > 1) unknownData(o, p, at + AT_HEADER, "\n\tAuthentication Data ", authLen - AT_HEADER);
  return false;
}
