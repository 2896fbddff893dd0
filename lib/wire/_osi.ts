/**
 * Private: the OSI network layer as tcpdump 4.99.3 prints it (print-isoclns.c's isoclns_print): IS-IS
 * (ISO 10589, RFC 1195 and its many extensions), ES-IS (ISO 9542), CLNP (ISO 8473), and the NLPIDs that
 * carry IPv4 (0xcc) and IPv6 (0x8e). It follows an 802.3 LLC header with SAPs 0xFE or a PPP header with
 * protocol 0x0023.
 *
 * tcpdump prints no addresses before it without `-e`; with `-e` the line has the link header and
 * `OSI NLPID IS-IS (0x83): ` first, and the protocol's name and the comma after it are left out:
 *
 * ```text
 * IS-IS, L1 Lan IIH, src-id 1720.1600.1001, lan-id 1720.1600.1001.01, prio 1, length 63
 * IS-IS, L2 LSP, lsp-id 1720.1600.1001.00-00, seq 0x00000005, lifetime  1199s, length 88
 * ES-IS, ISH, length 20
 * CLNP, 49.0001.1111.2222.3333.00 > 49.0001.4444.5555.6666.00, Data, length 40
 * ```
 *
 * With `-v` every header field and every TLV (IS-IS) or option (ES-IS, CLNP) follows on lines of their
 * own; `-vv` adds hex dumps of the headers, of every TLV and option, and of the TLVs tcpdump has no
 * decoder for (which `-v` dumps in their place):
 *
 * ```text
 * IS-IS, length 88
 * 	L2 LSP, hlen: 27, v: 1, pdu-v: 1, sys-id-len: 6 (0), max-area: 3 (0)
 * 	  lsp-id: 1720.1600.1001.00-00, seq: 0x00000005, lifetime:  1199s
 * 	  chksum: 0xc7d4 (correct), PDU length: 88, Flags: [ L2 IS ]
 * 	    Hostname TLV #137, length: 2
 * 	      Hostname: r1
 * ```
 *
 * Covered: IS-IS's header checks, every PDU type, every TLV and sub-TLV tcpdump 4.99.3 decodes (area
 * addresses, both IS neighbor TLVs, extended IS reachability with its TE, GMPLS, SPB and SR sub-TLVs, the
 * old and extended IPv4/IPv6 reachability TLVs and their multi-topology forms with their sub-TLVs, protocols,
 * interface addresses, hostname, LSP entries, authentication, restart signaling, point-to-point adjacency,
 * router capability, SPB port and MT capabilities, purge originator, ...), the Fletcher checksums of LSPs,
 * ES-IS and CLNP headers (`(correct)`, `(incorrect should be 0x....)`, `(unverified)`), ES-IS's ESH, ISH and
 * redirect with their options, CLNP's header, segmentation part, options and error reports (with the
 * original packet), and truncation: a read past the captured bytes ends with ` [|isis]` (or `[|esis]`,
 * `[|clnp]`, `[|isoclns]`) as a long jump (`jump: true`), while tcpdump's own length checks print the same
 * mark without one.
 *
 * tcpdump's quirks are kept: an LSP's wrong header length names 19 as the right one, a PSNP's starts with
 * `- `, an IP reachability TLV too short for its entry ends the packet silently, a sub-TLV length overrunning
 * an extended IP prefix's sub-TLV block reads on (printing the mark twice), a point-to-point adjacency TLV of
 * 5 bytes reads a neighbor circuit ID past its end, an ES-IS protocols option makes the next option start
 * inside it, and a CLNP source route option prints its first address for each one it holds.
 *
 * Not covered (null, so that the caller prints its plain LLC or PPP line): NLPID 0x08 (Q.933) and 0xcf (PPP),
 * which tcpdump hands to its Q.933 and PPP printers. An HMAC-MD5 authentication is never checked (tcpdump
 * checks it only with `-M secret`; without it prints `(unchecked)`).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { Cut, type Printed, textChar } from "./_text.ts";
import { OUI_NAMES } from "./_oui.ts";
import { GMPLS_ENCODING, GMPLS_PROTECTION, GMPLS_SWITCHING } from "./_gmpls.ts";

/** What the text needs beyond the bytes. */
export interface OsiContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** `-e`: tcpdump then prints `OSI NLPID name (0x..): ` first and leaves out the protocol's own name. */
  link?: boolean;
  /** `-q`: changes one complaint of ES-IS's (`bad pkt!` for `no header at all!`). */
  quiet?: boolean;
  /**
   * Prints an IPv4 (NLPID 0xcc) or IPv6 (0x8e) packet as the sniffer prints one, given its bytes and its
   * length; null when the caller has no printer.
   */
  network?: (nlpid: number, bytes: Uint8Array, length: number) => Printed | null;
}

type Names = Readonly<Record<number, string>>;
type Bits = readonly (readonly [number, string])[];

const NLPID_CLNP = 0x81, NLPID_ESIS = 0x82, NLPID_ISIS = 0x83, NLPID_IP = 0xcc, NLPID_IP6 = 0x8e;
const NLPIDS: Names = {
  0x00: "NULL",
  0x08: "Q.933",
  0x09: "LMI",
  0x80: "SNAP",
  0x81: "CLNP",
  0x82: "ES-IS",
  0x83: "IS-IS",
  0x84: "CONS",
  0x85: "IDRP",
  0xc1: "ISIS_SPB",
  0xb1: "FRF.15",
  0xcc: "IPv4",
  0xcf: "PPP",
  0x8a: "X25 ES-IS",
  0x8e: "IPv6",
};

// ---- IS-IS tables
const PDU_TYPES: Names = {
  15: "L1 Lan IIH",
  16: "L2 Lan IIH",
  17: "p2p IIH",
  18: "L1 LSP",
  20: "L2 LSP",
  24: "L1 CSNP",
  25: "L2 CSNP",
  26: "L1 PSNP",
  27: "L2 PSNP",
};
const TLV_NAMES: Names = {
  1: "Area address(es)",
  2: "IS Reachability",
  3: "ES Neighbor(s)",
  4: "Partition DIS",
  5: "Prefix Neighbors",
  6: "IS Neighbor(s)",
  7: "Instance Identifier",
  8: "Padding",
  9: "LSP entries",
  10: "Authentication",
  12: "Checksum",
  13: "Purge Originator Identifier",
  14: "LSP Buffersize",
  22: "Extended IS Reachability",
  24: "IS Alias ID",
  42: "DECnet Phase IV",
  66: "Lucent Proprietary",
  128: "IPv4 Internal Reachability",
  129: "Protocols supported",
  130: "IPv4 External Reachability",
  131: "Inter-Domain Information Type",
  132: "IPv4 Interface address(es)",
  133: "IPv4 authentication (deprecated)",
  134: "Traffic Engineering Router ID",
  135: "Extended IPv4 Reachability",
  137: "Hostname",
  138: "Shared Risk Link Group",
  143: "Multi-Topology-Aware Port Capability",
  144: "Multi-Topology Capability",
  176: "Nortel Proprietary",
  177: "Nortel Proprietary",
  211: "Restart Signaling",
  222: "Multi Topology IS Reachability",
  229: "Multi Topology",
  232: "IPv6 Interface address(es)",
  235: "Multi-Topology IPv4 Reachability",
  236: "IPv6 reachability",
  237: "Multi-Topology IP6 Reachability",
  240: "Point-to-point Adjacency State",
  241: "Hello PDU Sequence Number",
  242: "IS-IS Router Capability",
  250: "Vendor Private",
};
const T = {
  AREA: 1,
  IS_REACH: 2,
  ES_NEIGH: 3,
  PART_DIS: 4,
  PREFIX_NEIGH: 5,
  IS_NEIGH: 6,
  INSTANCE_ID: 7,
  PADDING: 8,
  LSP: 9,
  AUTH: 10,
  CHECKSUM: 12,
  POI: 13,
  LSP_BUFFERSIZE: 14,
  EXT_IS_REACH: 22,
  IS_ALIAS_ID: 24,
  INT_IP_REACH: 128,
  PROTOCOLS: 129,
  EXT_IP_REACH: 130,
  IDRP_INFO: 131,
  IPADDR: 132,
  TE_ROUTER_ID: 134,
  EXTD_IP_REACH: 135,
  HOSTNAME: 137,
  SRLG: 138,
  MT_PORT_CAP: 143,
  MT_CAPABILITY: 144,
  RESTART: 211,
  MT_IS_REACH: 222,
  MT_SUPPORTED: 229,
  IP6ADDR: 232,
  MT_IP_REACH: 235,
  IP6_REACH: 236,
  MT_IP6_REACH: 237,
  PTP_ADJ: 240,
  IIH_SEQNR: 241,
  ROUTER_CAP: 242,
  VENDOR: 250,
} as const;
const EXT_IS_SUBTLVS: Names = {
  3: "Administrative groups",
  4: "Link Local/Remote Identifier",
  5: "Link Remote Identifier",
  6: "IPv4 interface address",
  8: "IPv4 neighbor address",
  9: "Maximum link bandwidth",
  10: "Reservable link bandwidth",
  11: "Unreserved bandwidth",
  18: "Traffic Engineering Metric",
  19: "Link Attribute",
  20: "Link Protection Type",
  21: "Interface Switching Capability",
  12: "Bandwidth Constraints (old)",
  22: "Bandwidth Constraints",
  32: "LAN Adjacency Segment Identifier",
  29: "SPB Metric",
  250: "Reserved for cisco specific extensions",
  251: "Reserved for cisco specific extensions",
  252: "Reserved for cisco specific extensions",
  253: "Reserved for cisco specific extensions",
  254: "Reserved for cisco specific extensions",
  255: "Reserved for future expansion",
};
const EXT_IP_SUBTLVS: Names = {
  1: "32-Bit Administrative tag",
  2: "64-Bit Administrative tag",
  3: "Prefix SID",
  117: "Management Prefix Color",
};
const PREFIX_SID_FLAGS: Bits = [
  [0x80, "Readvertisement"],
  [0x40, "Node"],
  [0x20, "No-PHP"],
  [0x10, "Explicit NULL"],
  [0x08, "Value"],
  [0x04, "Local"],
];
const PREFIX_SID_ALGOS: Names = { 0: "SPF", 1: "strict-SPF" };
const LINK_ATTRIBUTES: Bits = [
  [0x01, "Local Protection Available"],
  [0x02, "Link excluded from local protection path"],
  [0x04, "Local maintenance required"],
];
const LAN_ADJ_SID_FLAGS: Bits = [
  [0x80, "Address family IPv6"],
  [0x40, "Backup"],
  [0x20, "Value"],
  [0x10, "Local significance"],
  [0x08, "Set of adjacencies"],
  [0x04, "Persistent"],
];
const AUTH_TYPES: Names = {
  1: "simple text password",
  3: "Generic Crypto key-id",
  54: "HMAC-MD5 password",
  255: "Routing Domain private password",
};
const IDRP_TYPES: Names = { 0: "Reserved", 1: "Routing-Domain Specific", 2: "AS Number Tag" };
const PORT_CAP_SUBTLVS: Names = { 4: "SPB MCID", 5: "SPB Digest", 6: "SPB BVID" };
const MT_CAP_SUBTLVS: Names = { 1: "SPB Instance", 3: "SPBM Service Identifier and Unicast Address" };
const MT_FLAGS: Bits = [[0x4000, "ATT bit set"], [0x8000, "Overload bit set"]];
const MT_IDS: Names = {
  0: "IPv4 unicast",
  1: "In-Band Management",
  2: "IPv6 unicast",
  3: "Multicast",
  4095: "Development, Experimental or Proprietary",
};
const CIRCUIT_TYPES: Names = { 1: "Level 1 only", 2: "Level 2 only", 3: "Level 1, Level 2" };
const IS_TYPES: Names = { 0: "Unused 0x0 (invalid)", 1: "L1 IS", 2: "Unused 0x2 (invalid)", 3: "L2 IS" };
const ADJ_STATES: Names = { 0: "Up", 1: "Initializing", 2: "Down" };
const VIRTUAL_FLAGS: Names = { 0: "IsNotVirtual", 1: "IsVirtual" };
const RESTART_FLAGS: Bits = [
  [0x1, "Restart Request"],
  [0x2, "Restart Acknowledgement"],
  [0x4, "Suppress adjacency advertisement"],
];
const ROUTER_CAP_FLAGS: Bits = [[0x01, "S bit"], [0x02, "D bit"]];
const ROUTER_CAP_SUBTLVS: Names = { 2: "SR-Capabilities" };
const SR_FLAGS: Bits = [[0x80, "ipv4"], [0x40, "ipv6"]];
// gmpls.c's tables.
const GMPLS_TSC = 100;
const TSC_INDICATIONS: Names = { 0: "Standard SONET/SDH", 1: "Arbitrary SONET/SDH" };
const BC_MODELS: Names = {
  0: "Russian dolls",
  1: "Maximum allocation",
  254: "Maximum allocation with E-LSP support",
};

// Fixed header sizes: the common header, then each PDU type's own.
const COMMON = 8, IIH_LAN = 19, IIH_PTP = 12, LSP_HDR = 19, CSNP_HDR = 25, PSNP_HDR = 9;
const SYSTEM_ID = 6, NODE_ID = 7, LSP_ID = 8;

// ---- ES-IS tables
const ESIS_TYPES: Names = { 6: "redirect", 2: "ESH", 4: "ISH" };
const ESIS_REDIRECT = 6, ESIS_ESH = 2, ESIS_ISH = 4, ESIS_HDR = 9;
const ESIS_OPTIONS: Names = {
  129: "Protocols supported",
  195: "QoS Maintenance",
  197: "Security",
  198: "ES Configuration Time",
  205: "Priority",
  225: "Addressk Mask",
  226: "SNPA Mask",
};

// ---- CLNP tables
const CLNP_TYPES: Names = {
  1: "Error Report",
  29: "MD",
  28: "Data",
  30: "Echo Request",
  31: "Echo Response",
};
const CLNP_ER = 1, CLNP_ERP = 31, CLNP_HDR = 9, CLNP_SEGMENT = 6;
const CLNP_FLAGS: Bits = [[0x80, "Segmentation permitted"], [0x40, "more Segments"], [
  0x20,
  "request Error Report",
]];
const CLNP_OPTIONS: Names = {
  193: "Discard Reason",
  205: "Priority",
  195: "QoS Maintenance",
  197: "Security",
  200: "Source Routing",
  203: "Route Recording",
  204: "Padding",
};
const RFD_CLASSES: Names = {
  0x0: "General",
  0x8: "Address",
  0x9: "Source Routeing",
  0xa: "Lifetime",
  0xb: "PDU Discarded",
  0xc: "Reassembly",
};
const RFD_ERRORS: Readonly<Record<number, Names>> = {
  0x0: {
    0: "Reason not specified",
    1: "Protocol procedure error",
    2: "Incorrect checksum",
    3: "PDU discarded due to congestion",
    4: "Header syntax error (cannot be parsed)",
    5: "Segmentation needed but not permitted",
    6: "Incomplete PDU received",
    7: "Duplicate option",
  },
  0x8: { 0: "Destination address unreachable", 1: "Destination address unknown" },
  0x9: {
    0: "Unspecified source routeing error",
    1: "Syntax error in source routeing field",
    2: "Unknown address in source routeing field",
    3: "Path not acceptable",
  },
  0xa: { 0: "Lifetime expired while data unit in transit", 1: "Lifetime expired during reassembly" },
  0xb: {
    0: "Unsupported option not specified",
    1: "Unsupported protocol version",
    2: "Unsupported security option",
    3: "Unsupported source routeing option",
    4: "Unsupported recording of route option",
  },
  0xc: { 0: "Reassembly interference" },
};
const SCOPES: Names = {
  0x40: "Source Address Specific",
  0x80: "Destination Address Specific",
  0xc0: "Globally unique",
};
const SR_RR: Names = { 0: "partial", 1: "complete" };
const SR_RR_TEXT: Names = { 200: "source routing", 203: "recording of route in progress" };
const QOS_GLOBAL: Bits = [
  [0x20, "reserved"],
  [0x10, "sequencing vs. delay"],
  [0x08, "congested"],
  [0x04, "delay vs. cost"],
  [0x02, "error vs. delay"],
  [0x01, "error vs. cost"],
];

const hex2 = (n: number) => n.toString(16).padStart(2, "0");
const hex4 = (n: number) => n.toString(16).padStart(4, "0");
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const name = (t: Names, v: number, fallback: string) => t[v] ?? fallback;

/** tcpdump's bittok2str: the names of the single-bit values set, in table order, or `none`. */
function bits(t: Bits, none: string, v: number): string {
  const s = t.filter(([b]) => (v & b) === b).map(([, n]) => n);
  return s.length ? s.join(", ") : none;
}

/** The prefix length of a contiguous IPv4 mask (tcpdump's mask2plen), or -1. */
function maskLength(mask: number): number {
  for (let n = 32; n >= 0; n--) if ((n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0) === mask) return n;
  return -1;
}

/**
 * A 32-bit IEEE float of bytes per second as tcpdump prints it in Mbps: `%.3f` of `f * 8 / 1000000`, both
 * steps in single precision, then rounded from the exact binary value with ties to even (glibc's printf).
 */
function mbps(raw: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, raw >>> 0);
  const f = view.getFloat32(0);
  const sign = raw & 0x80000000 ? "-" : "";
  if (Number.isNaN(f)) return sign + "nan";
  const x = Math.fround(Math.fround(f * 8) / 1000000);
  if (!Number.isFinite(x)) return sign + "inf";
  view.setFloat64(0, Math.abs(x));
  const word = view.getBigUint64(0);
  const biased = Number((word >> 52n) & 0x7ffn);
  let mantissa = word & 0xfffffffffffffn;
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = biased === 0 ? -1074 : biased - 1075;
  let milli: bigint;
  if (exponent >= 0) milli = (mantissa * 1000n) << BigInt(exponent);
  else {
    const den = 1n << BigInt(-exponent), num = mantissa * 1000n;
    milli = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && (milli & 1n) === 1n)) milli++;
  }
  const digits = milli.toString().padStart(4, "0");
  return `${sign}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/**
 * ISO 8473's Fletcher checksum of `length` bytes from `at`, the two at `at + offset` counted as zero
 * (tcpdump's create_osi_cksum, with its C integer arithmetic).
 */
function osiChecksum(p: Uint8Array, at: number, offset: number, length: number): number {
  let c0 = 0, c1 = 0;
  for (let i = 0; i < length; i++) {
    if (i !== offset && i !== offset + 1) c0 += p[at + i];
    c1 = (c1 + c0) >>> 0;
  }
  c0 %= 255;
  c1 %= 255;
  const mul = Math.imul(length - offset, c0) >>> 0;
  let x = (mul - c0 - c1) | 0;
  let y = (c1 - mul - 1) | 0;
  if (y >= 0) y++;
  if (x < 0) x--;
  x %= 255;
  y %= 255;
  if (x === 0) x = 255;
  if (y === 0) y = 255;
  return ((x << 8) | (y & 0xff)) & 0xffff;
}

/** The PDU, the text so far, and tcpdump's reads: each read past the captured bytes throws {@link Cut}. */
class Pdu {
  s = "";
  /** The protocol named in the truncation mark (tcpdump's ndo_protocol). */
  proto = "isoclns";
  constructor(
    readonly p: Uint8Array,
    readonly v: number,
    readonly e: boolean,
    readonly q: boolean,
  ) {}
  b(at: number): number {
    if (at < 0 || at >= this.p.length) throw new Cut();
    return this.p[at];
  }
  w(at: number): number {
    return (this.b(at) << 8) | this.b(at + 1);
  }
  w3(at: number): number {
    return (this.b(at) << 16) | this.w(at + 1);
  }
  w4(at: number): number {
    return ((this.b(at) << 24) | this.w3(at + 1)) >>> 0;
  }
  /** ND_TTEST_LEN: `n` bytes from `at` were captured. */
  has(at: number, n: number): boolean {
    return at >= 0 && at <= this.p.length && n <= this.p.length - at;
  }
  need(at: number, n: number): void {
    if (!this.has(at, n)) throw new Cut();
  }
  /** nd_print_trunc: the mark, printed by a length check (not a jump). */
  mark(): void {
    this.s += ` [|${this.proto}]`;
  }
  /** print_unknown_data: a hex dump of up to `n` captured bytes, false when `at` is past them. */
  unknown(at: number, indent: string, n: number): boolean {
    if (at > this.p.length) {
      this.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
      return false;
    }
    n = Math.min(n, this.p.length - at);
    let k = 0;
    for (; k + 2 <= n; k += 2) {
      if (k % 16 === 0) this.s += `${indent}0x${hex4(k)}: `;
      this.s += ` ${hex2(this.p[at + k])}${hex2(this.p[at + k + 1])}`;
    }
    if (n & 1) {
      if (k % 16 === 0) this.s += `${indent}0x${hex4(k)}: `;
      this.s += ` ${hex2(this.p[at + k])}`;
    }
    return true;
  }
  /** isis_print_id: a system ID (6 bytes), node ID (7) or LSP ID (8): `1720.1600.1001.00-00`. */
  id(at: number, n: number): string {
    let s = "";
    for (let i = 1; i <= Math.min(SYSTEM_ID, n); i++) {
      s += hex2(this.b(at + i - 1));
      if (i === 2 || i === 4) s += ".";
    }
    if (n >= NODE_ID) s += "." + hex2(this.b(at + 6));
    if (n === LSP_ID) s += "-" + hex2(this.b(at + 7));
    return s;
  }
  /** GET_ISONSAP_STRING: an NSAP as `49.0001.1720.1600.1001.00`. */
  nsap(at: number, n: number): string {
    this.need(at, n);
    if (n < 1 || n > 20) return "isonsap_string: illegal length";
    let s = "";
    for (let i = 0; i < n; i++) {
      s += hex2(this.p[at + i]);
      if ((i & 1) === 0 && i + 1 < n) s += ".";
    }
    return s;
  }
  ip(at: number): string {
    this.need(at, 4);
    return formatIpv4Address(this.p, at);
  }
  ip6(at: number): string {
    this.need(at, 16);
    return formatIpv6Address(this.p, at);
  }
  /** nd_printjnp: up to `n` characters, stopping at a NUL; printed as read, so a cut keeps them. */
  chars(at: number, n: number): void {
    for (let k = 0; k < n; k++) {
      const c = this.b(at + k);
      if (c === 0) break;
      this.s += textChar(c);
    }
  }
  /** osi_print_cksum: whether the checksum at `at + offset` over `length` bytes from `at` is right. */
  checksum(at: number, sum: number, offset: number, length: number): void {
    if (sum === 0 || offset < 0 || !this.has(at + offset, 2) || offset > length || !this.has(at, length)) {
      this.s += " (unverified)";
      return;
    }
    const want = osiChecksum(this.p, at, offset, length);
    this.s += want === sum ? " (correct)" : ` (incorrect should be 0x${hex4(want)})`;
  }
}

// ---- IS-IS

/** isis_print_metric_block: the default metric, then each supported other one. */
function metricBlock(d: Pdu, at: number): void {
  const m = [d.b(at), d.b(at + 1), d.b(at + 2), d.b(at + 3)];
  const ie = (b: number) => (b & 0x40 ? "External" : "Internal");
  d.s += `, Default Metric: ${m[0] & 0x3f}, ${ie(m[0])}`;
  ["Delay", "Expense", "Error"].forEach((n, k) => {
    if (!(m[k + 1] & 0x80)) d.s += `\n\t\t  ${n} Metric: ${m[k + 1] & 0x3f}, ${ie(m[k + 1])}`;
  });
}

/** isis_print_mtid: the topology and its flags; 0 (nothing printed) when fewer than 2 bytes remain. */
function mtid(d: Pdu, at: number, ident: string, remaining: number): number {
  if (remaining < 2) return 0;
  const v = d.w(at);
  d.s += `${ident}${name(MT_IDS, v & 0xfff, "Reserved for IETF Consensus")} Topology (0x${
    (v & 0xfff).toString(16).padStart(3, "0")
  }), Flags: [${bits(MT_FLAGS, "none", v & 0xf000)}]`;
  return 2;
}

/**
 * isis_print_ext_is_reach: one neighbor of TLVs 22, 24 and 222 with its sub-TLVs; the bytes it took, or 0
 * (nothing more printed) when the neighbor does not fit.
 */
function extIsReach(d: Pdu, at: number, ident: string, type: number, remaining: number): number {
  if (!d.has(at, NODE_ID) || remaining < NODE_ID) return 0;
  d.s += `${ident}IS Neighbor: ${d.id(at, NODE_ID)}`;
  let t = at + NODE_ID, proc = NODE_ID;
  remaining -= NODE_ID;
  if (type !== T.IS_ALIAS_ID) {
    if (!d.has(t, 3) || remaining < 3) return 0;
    d.s += `, Metric: ${d.w3(t)}`;
    t += 3, remaining -= 3, proc += 3;
  }
  if (!d.has(t, 1) || remaining < 1) return 0;
  let sum = d.b(t);
  t++, remaining--, proc++;
  d.s += `, ${sum ? "" : "no "}sub-TLVs present`;
  if (!sum) return proc;
  d.s += ` (${sum})`;
  ident += "  ";
  while (sum !== 0) {
    if (!d.has(t, 2)) return 0;
    if (remaining < 2) {
      d.s += `${ident}Remaining data in TLV shorter than a subTLV header`;
      proc += remaining;
      break;
    }
    if (sum < 2) {
      d.s += `${ident}Remaining data in subTLVs shorter than a subTLV header`;
      proc += sum;
      break;
    }
    const st = d.b(t);
    let sl = d.b(t + 1);
    t += 2, remaining -= 2, sum -= 2, proc += 2;
    d.s += `${ident}${name(EXT_IS_SUBTLVS, st, "unknown")} subTLV #${st}, length: ${sl}`;
    if (sum < sl) {
      d.s += " (remaining data in subTLVs shorter than the current subTLV)";
      proc += sum;
      break;
    }
    if (remaining < sl) {
      d.s += " (> remaining tlv length)";
      proc += remaining;
      break;
    }
    if (!d.has(t, sl)) return 0;
    // What a case reads on its way is taken from the sub-TLV and the sum, not from `remaining`.
    const take = (n: number) => {
      t += n, sl -= n, sum -= n, proc += n;
    };
    switch (st) {
      case 3:
      case 4:
      case 5:
        if (sl >= 4) {
          d.s += `, 0x${hex8(d.w4(t))}`;
          if (sl === 8) d.s += `, 0x${hex8(d.w4(t + 4))}`;
        }
        break;
      case 6:
      case 8:
        if (sl >= 4) d.s += `, ${d.ip(t)}`;
        break;
      case 9:
      case 10:
        if (sl >= 4) d.s += `, ${mbps(d.w4(t))} Mbps`;
        break;
      case 11:
        if (sl >= 32) {
          for (let c = 0; c < 8; c++) {
            d.s += `${ident}  TE-Class ${c}: ${mbps(d.w4(t))} Mbps`;
            take(4);
          }
        }
        break;
      case 22:
      case 12: {
        if (sl === 0) break;
        const m = d.b(t);
        d.s += `${ident}Bandwidth Constraints Model ID: ${name(BC_MODELS, m, "unknown")} (${m})`;
        take(1);
        for (let c = 0; sl !== 0 && sl >= 4; c++) {
          d.s += `${ident}  Bandwidth constraint CT${c}: ${mbps(d.w4(t))} Mbps`;
          take(4);
        }
        break;
      }
      case 18:
        if (sl >= 3) d.s += `, ${d.w3(t)}`;
        break;
      case 19:
        if (sl === 2) {
          const v = d.w(t);
          d.s += `, [ ${bits(LINK_ATTRIBUTES, "Unknown", v)} ] (0x${hex4(v)})`;
        }
        break;
      case 20:
        if (sl >= 2) {
          const v = d.b(t), prio = d.b(t + 1);
          d.s += `, ${bits(GMPLS_PROTECTION, "none", v)}, Priority ${prio}`;
        }
        break;
      case 29:
        if (sl >= 6) {
          d.s += `, LM: ${d.w3(t)}`;
          take(3);
          d.s += `, P: ${d.b(t)}`;
          take(1);
          d.s += `, P-ID: ${d.w(t)}`;
        }
        break;
      case 21:
        if (sl >= 36) {
          const cap = d.b(t);
          d.s += `${ident}  Interface Switching Capability:${name(GMPLS_SWITCHING, cap, "Unknown")}`;
          d.s += `, LSP Encoding: ${name(GMPLS_ENCODING, d.b(t + 1), "Unknown")}`;
          take(4);
          d.s += `${ident}  Max LSP Bandwidth:`;
          for (let l = 0; l < 8; l++) {
            d.s += `${ident}    priority level ${l}: ${mbps(d.w4(t))} Mbps`;
            take(4);
          }
          if (cap >= 1 && cap <= 4) {
            if (sl < 6) break;
            d.s += `${ident}  Min LSP Bandwidth: ${mbps(d.w4(t))} Mbps`;
            d.s += `${ident}  Interface MTU: ${d.w(t + 4)}`;
          } else if (cap === GMPLS_TSC) {
            if (sl < 8) break;
            d.s += `${ident}  Min LSP Bandwidth: ${mbps(d.w4(t))} Mbps`;
            const ind = d.b(t + 4);
            d.s += `${ident}  Indication ${name(TSC_INDICATIONS, ind, `Unknown (${ind})`)}`;
          } else if (sl !== 0 && !d.unknown(t, "\n\t\t    ", sl)) return 0;
        }
        break;
      case 32:
        if (sl >= 8) {
          const f = d.b(t);
          d.s += `${ident}  Flags: [${bits(LAN_ADJ_SID_FLAGS, "none", f)}]`;
          take(1);
          d.s += `${ident}  Weight: ${d.b(t)}`;
          take(1);
          if (sl >= SYSTEM_ID) {
            if (!d.has(t, SYSTEM_ID)) return 0;
            d.s += `${ident}  Neighbor System-ID: ${d.id(t, SYSTEM_ID)}`;
          }
          const value = f & 0x20, local = f & 0x10;
          if (value && local) d.s += `${ident}  Label: ${d.w3(t + SYSTEM_ID)}`;
          else if (!value && !local) d.s += `${ident}  Index: ${d.w4(t + SYSTEM_ID)}`;
          else d.s += " (invalid)";
        }
        break;
      default:
        if (!d.unknown(t, "\n\t\t    ", sl)) return 0;
    }
    t += sl, remaining -= sl, sum -= sl, proc += sl;
  }
  return proc;
}

/**
 * isis_print_ip_reach_subtlv: one sub-TLV of an extended IP prefix; false when it was not captured (after
 * printing the mark) or its prefix SID is short.
 */
function ipReachSubTlv(d: Pdu, t: number, st: number, sl: number, ident: string): boolean {
  d.s += `${ident}${name(EXT_IP_SUBTLVS, st, "unknown")} subTLV #${st}, length: ${sl}`;
  if (!d.has(t, sl)) {
    d.mark();
    return false;
  }
  switch (st) {
    case 117:
    case 1:
      for (; sl >= 4; t += 4, sl -= 4) {
        const v = d.w4(t);
        d.s += `, 0x${hex8(v)} (=${v})`;
      }
      break;
    case 2:
      for (; sl >= 8; t += 8, sl -= 8) d.s += `, 0x${hex8(d.w4(t))}${hex8(d.w4(t + 4))}`;
      break;
    case 3: {
      const flags = d.b(t), algo = d.b(t + 1);
      let sid: number;
      if (flags & 0x08) {
        if (sl < 5) {
          d.mark();
          return false;
        }
        sid = d.w3(t + 2);
      } else {
        if (sl < 6) {
          d.mark();
          return false;
        }
        sid = d.w4(t + 2);
      }
      d.s += `, Flags [${bits(PREFIX_SID_FLAGS, "None", flags)}], Algo ${
        name(PREFIX_SID_ALGOS, algo, "Unknown")
      } (${algo}), ${flags & 0x08 ? "label" : "index"} ${sid}`;
      break;
    }
    default:
      if (!d.unknown(t, "\n\t\t    ", sl)) return false;
  }
  return true;
}

/**
 * isis_print_extd_ip_reach: one prefix of TLVs 135, 235, 236 and 237; the bytes it took, or 0 (a bad bit
 * length or a sub-TLV that failed). Its reads are bounded by the capture only, not by the TLV.
 */
function extdIpReach(d: Pdu, t: number, ident: string, v6: boolean): number {
  const metric = d.w4(t);
  let processed = 4, status: number, bitLength: number;
  t += 4;
  if (!v6) {
    status = d.b(t);
    t++;
    bitLength = status & 0x3f;
    if (bitLength > 32) {
      d.s += `${ident}IPv4 prefix: bad bit length ${bitLength}`;
      return 0;
    }
    processed++;
  } else {
    status = d.b(t);
    bitLength = d.b(t + 1);
    if (bitLength > 128) {
      d.s += `${ident}IPv6 prefix: bad bit length ${bitLength}`;
      return 0;
    }
    t += 2;
    processed += 2;
  }
  const byteLength = (bitLength + 7) >> 3;
  d.need(t, byteLength);
  const prefix = new Uint8Array(16);
  prefix.set(d.p.subarray(t, t + byteLength));
  t += byteLength;
  processed += byteLength;
  d.s += v6
    ? `${ident}IPv6 prefix: ${formatIpv6Address(prefix)}/${bitLength}`
    : `${ident}IPv4 prefix: ${formatIpv4Address(prefix).padStart(15)}/${bitLength}`;
  d.s += `, Distribution: ${status & 0x80 ? "down" : "up"}, Metric: ${metric}`;
  const sub = v6 ? status & 0x20 : status & 0x40;
  if (!v6 && sub) d.s += ", sub-TLVs present";
  else if (v6) d.s += `, ${status & 0x40 ? "External" : "Internal"}${sub ? ", sub-TLVs present" : ""}`;
  if (sub) {
    // The block's length counts down as an unsigned number: a sub-TLV overrunning it reads on.
    let sublen = d.b(t);
    t++;
    processed += sublen + 1;
    d.s += ` (${sublen})`;
    while (sublen > 0) {
      const st = d.b(t), sl = d.b(t + 1);
      t += 2;
      if (!ipReachSubTlv(d, t, st, sl, ident + "  ")) return 0;
      t += sl;
      sublen = (sublen - (sl + 2)) >>> 0;
    }
  }
  return processed;
}

/** isis_print_tlv_ip_reach: TLVs 128 and 130; false ends the packet silently (as tcpdump's return does). */
function ipReach(d: Pdu, t: number, ident: string, length: number): boolean {
  while (length > 0) {
    if (length < 12) {
      d.s += `short IPv4 Reachability (${length} vs 12)`;
      return false;
    }
    if (!d.has(t, 12)) return false;
    const mask = d.w4(t + 8), plen = maskLength(mask);
    d.s += plen === -1
      ? `${ident}IPv4 prefix: ${d.ip(t + 4)} mask ${d.ip(t + 8)}`
      : `${ident}IPv4 prefix: ${d.ip(t + 4).padStart(15)}/${plen}`;
    const m = [d.b(t), d.b(t + 1), d.b(t + 2), d.b(t + 3)];
    const ie = (b: number) => (b & 0x40 ? "External" : "Internal");
    d.s += `, Distribution: ${m[0] & 0x80 ? "down" : "up"}, Metric: ${m[0] & 0x3f}, ${ie(m[0])}`;
    ["Delay", "Expense", "Error"].forEach((n, k) => {
      if (!(m[k + 1] & 0x80)) d.s += `${ident}  ${n} Metric: ${m[k + 1] & 0x3f}, ${ie(m[k + 1])}`;
    });
    length -= 12;
    t += 12;
  }
  return true;
}

/** isis_print_router_cap_subtlv: sub-TLVs of TLV 242; a sub-TLV not captured ends them silently. */
function routerCapSubTlvs(d: Pdu, t: number, tlen: number): void {
  while (tlen >= 2) {
    const st = d.b(t), sl = d.b(t + 1);
    tlen -= 2;
    t += 2;
    d.s += `\n\t\t${name(ROUTER_CAP_SUBTLVS, st, "unknown")} subTLV #${st}, length: ${sl}`;
    if (sl > tlen) break;
    if (!d.has(t, sl)) return;
    if (st === 2) {
      const flags = d.b(t), range = d.w3(t + 1);
      d.s += `, Flags [${bits(SR_FLAGS, "None", flags)}], Range ${range}`;
      let sp = t + 4;
      // An 8-bit count in tcpdump: a sub-TLV shorter than 4 wraps it.
      let stl = (sl - 4) & 0xff;
      while (stl >= 5) {
        const type = d.b(sp), len = d.b(sp + 1);
        stl -= 2;
        sp += 2;
        if (len > stl) break;
        if (type === 1) {
          if (len === 3) d.s += `, SID value ${d.w3(sp)}`;
          else if (len === 4) d.s += `, SID value ${d.w4(sp)}`;
          else d.s += `, Unknown SID length${len}`;
        } else d.unknown(sp, "\n\t\t  ", len);
        sp += len;
        stl -= len;
      }
    } else d.unknown(t, "\n\t\t", sl);
    tlen -= sl;
    t += sl;
  }
}

/** isis_print_mcid: one SPB MCID. */
function mcid(d: Pdu, t: number): void {
  if (!d.has(t, 51)) {
    d.mark();
    return;
  }
  d.s += `ID: ${d.b(t)}, Name: `;
  d.chars(t + 1, 32);
  d.s += `\n\t              Lvl: ${d.w(t + 33)}`;
  d.s += ", Digest: ";
  for (let i = 0; i < 16; i++) d.s += `${hex2(d.p[t + 35 + i])} `;
}

/** isis_print_mt_port_cap_subtlv: sub-TLVs of TLV 143. */
function portCapSubTlvs(d: Pdu, t: number, len: number): void {
  while (len > 2) {
    const st = d.b(t);
    let sl = d.b(t + 1);
    d.s += `\n\t       ${name(PORT_CAP_SUBTLVS, st, "unknown")} subTLV #${st}, length: ${sl}`;
    t += 2;
    len -= 2;
    if (len < sl) {
      d.s += " (> containing TLV length)";
      return;
    }
    if (!d.has(t, sl)) {
      d.mark();
      return;
    }
    switch (st) {
      case 4:
        if (sl < 102) {
          d.s += " (too short)";
          return;
        }
        d.s += "\n\t         MCID: ";
        mcid(d, t);
        d.s += "\n\t         AUX-MCID: ";
        mcid(d, t + 51);
        t += 102, len -= 102, sl -= 102;
        break;
      case 5: {
        if (sl < 33) {
          d.s += " (too short)";
          return;
        }
        const b = d.b(t);
        d.s += `\n\t        RES: ${b >> 5} V: ${(b >> 4) & 1} A: ${(b >> 2) & 3} D: ${b & 3}`;
        t++;
        d.s += "\n\t         Digest: ";
        for (let i = 1; i <= 8; i++) {
          d.s += `${hex8(d.w4(t))} `;
          if (i % 4 === 0 && i !== 8) d.s += "\n\t                 ";
          t += 4;
        }
        len -= 33, sl -= 33;
        break;
      }
      case 6:
        while (sl !== 0) {
          if (sl < 4) {
            d.s += " (too short)";
            return;
          }
          d.s += `\n\t           ECT: ${hex8(d.w4(t))}`;
          t += 4, len -= 4, sl -= 4;
          if (sl < 2) {
            d.s += " (too short)";
            return;
          }
          const v = d.w(t);
          d.s += ` BVID: ${v >> 4}, U:${(v >> 3) & 1} M:${(v >> 2) & 1} `;
          t += 2, len -= 2, sl -= 2;
        }
        break;
    }
    t += sl;
    len -= sl;
  }
}

/** isis_print_mt_capability_subtlv: sub-TLVs of TLV 144. */
function mtCapSubTlvs(d: Pdu, t: number, len: number): void {
  while (len > 2) {
    const st = d.b(t);
    let sl = d.b(t + 1);
    t += 2;
    len -= 2;
    d.s += `\n\t      ${name(MT_CAP_SUBTLVS, st, "unknown")} subTLV #${st}, length: ${sl}`;
    if (len < sl) {
      d.s += " (> containing TLV length)";
      return;
    }
    if (!d.has(t, sl)) {
      d.mark();
      return;
    }
    if (st === 1) {
      if (sl < 19) {
        d.s += " (too short)";
        return;
      }
      d.s += `\n\t        CIST Root-ID: ${hex8(d.w4(t))}`;
      d.s += ` ${hex8(d.w4(t + 4))}`;
      d.s += `, Path Cost: ${hex8(d.w4(t + 8))}`;
      d.s += `, Prio: ${d.w(t + 12)}`;
      t += 14;
      d.s += `\n\t        RES: ${d.w(t) >> 5}`;
      d.s += `, V: ${(d.w(t) >> 4) & 1}`;
      d.s += `, SPSource-ID: ${d.w4(t) & 0xfffff}`;
      t += 4;
      let trees = d.b(t);
      d.s += `, No of Trees: ${trees.toString(16)}`;
      t++;
      len -= 19, sl -= 19;
      while (trees) {
        if (sl < 8) {
          d.mark();
          return;
        }
        const b = d.b(t);
        d.s += `\n\t         U:${b >> 7}, M:${(b >> 6) & 1}, A:${(b >> 5) & 1}, RES:${b & 0x1f}`;
        t++;
        d.s += `, ECT: ${hex8(d.w4(t))}`;
        t += 4;
        const v = d.w3(t);
        d.s += `, BVID: ${(v >> 12) & 0xfff}, SPVID: ${v & 0xfff}`;
        t += 3, len -= 8, sl -= 8;
        trees--;
      }
    } else if (st === 3) {
      if (sl < 8) {
        d.mark();
        return;
      }
      d.s += `\n\t        BMAC: ${hex8(d.w4(t))}`;
      t += 4;
      d.s += hex4(d.w(t));
      t += 2;
      const v = d.w(t);
      d.s += `, RES: ${v >> 12}, VID: ${v & 0xfff}`;
      t += 2, len -= 8, sl -= 8;
      for (; sl >= 4; t += 4, len -= 4, sl -= 4) {
        const x = d.w4(t);
        d.s += `\n\t        T: ${x >>> 31}, R: ${(x >>> 30) & 1}, RES: ${(x >>> 24) & 0x3f}, ISID: ${
          x & 0xffffff
        }`;
      }
    }
    t += sl;
    len -= sl;
  }
}

/** The loop of extended IS or IP entries of a TLV: false means tcpdump's `goto trunc`. */
function entries(d: Pdu, t: number, tlen: number, one: (t: number, tlen: number) => number): boolean {
  while (tlen !== 0) {
    const n = one(t, tlen);
    if (n === 0) return false;
    if (tlen < n) {
      d.s += ` [remaining tlv length ${tlen} < ${n}] (invalid)`;
      break;
    }
    tlen = (tlen - n) & 0xff;
    t += n & 0xff;
  }
  return true;
}

/** What a TLV's decoder ends with: on to the next, stop the PDU (0 or 1 as isis_print returns), or trunc. */
type TlvEnd = "next" | "fail" | "done" | "trunc";

/** One TLV's value (isis_print's switch); `t` is its first byte. */
function tlvValue(d: Pdu, o: number, length: number, type: number, t: number, tlen: number): TlvEnd {
  const I = "\n\t      ";
  switch (type) {
    case T.AREA:
      while (tlen !== 0) {
        const alen = d.b(t);
        t++, tlen--;
        if (tlen < alen) return "next";
        d.s += `${I}Area address (length: ${alen}): ${d.nsap(t, alen)}`;
        t += alen, tlen -= alen;
      }
      return "next";
    case T.IS_NEIGH:
      while (tlen !== 0) {
        if (tlen < 6) return "next";
        if (!d.has(t, 6)) return "trunc";
        d.s += `${I}SNPA: ${d.id(t, 6)}`;
        tlen -= 6, t += 6;
      }
      return "next";
    case T.INSTANCE_ID: {
      if (tlen < 4) return "next";
      const n = (tlen - 2) >> 1;
      d.s += `${I}Instance ID: ${d.w(t)}, ITIDs(${n})${n ? ":" : ""} `;
      t += 2, tlen -= 2;
      for (let i = 0; i < n; i++, t += 2, tlen -= 2) {
        d.s += `${d.w(t)}`;
        if (i < n - 1) d.s += ", ";
      }
      return "next";
    }
    case T.PADDING:
      return "next";
    case T.MT_IS_REACH:
    case T.MT_IP_REACH:
    case T.MT_IP6_REACH: {
      const n = mtid(d, t, I, tlen);
      if (n === 0) return "trunc";
      t += n, tlen -= n;
      const one = type === T.MT_IS_REACH
        ? (x: number, l: number) => extIsReach(d, x, I, type, l)
        : (x: number) => extdIpReach(d, x, I, type === T.MT_IP6_REACH);
      return entries(d, t, tlen, one) ? "next" : "trunc";
    }
    case T.IS_ALIAS_ID:
    case T.EXT_IS_REACH:
      return entries(d, t, tlen, (x, l) => extIsReach(d, x, I, type, l)) ? "next" : "trunc";
    case T.IS_REACH: {
      if (tlen < 1) return "next";
      const v = d.b(t);
      d.s += `${I}${name(VIRTUAL_FLAGS, v, `bogus virtual flag 0x${hex2(v)}`)}`;
      t++, tlen--;
      while (tlen !== 0) {
        if (tlen < 11) return "next";
        if (!d.has(t, 11)) return "trunc";
        d.s += `${I}IS Neighbor: ${d.id(t + 4, NODE_ID)}`;
        metricBlock(d, t);
        tlen -= 11, t += 11;
      }
      return "next";
    }
    case T.ES_NEIGH:
      while (tlen !== 0) {
        if (tlen < 10) return "next";
        if (!d.has(t, 10)) return "trunc";
        d.s += `${I}ES Neighbor: ${d.id(t + 4, SYSTEM_ID)}`;
        metricBlock(d, t);
        tlen -= 10, t += 10;
      }
      return "next";
    case T.INT_IP_REACH:
    case T.EXT_IP_REACH:
      return ipReach(d, t, I, tlen) ? "next" : "done";
    case T.EXTD_IP_REACH:
    case T.IP6_REACH:
      return entries(d, t, tlen, (x) => extdIpReach(d, x, I, type === T.IP6_REACH)) ? "next" : "trunc";
    case T.IP6ADDR:
      while (tlen !== 0) {
        if (tlen < 16) return "next";
        d.s += `${I}IPv6 interface address: ${d.ip6(t)}`;
        t += 16, tlen -= 16;
      }
      return "next";
    case T.AUTH: {
      if (tlen < 1) return "next";
      const auth = d.b(t);
      t++, tlen--;
      d.s += `${I}${name(AUTH_TYPES, auth, `unknown Authentication type 0x${hex2(auth)}`)}: `;
      if (auth === 1) d.chars(t, tlen);
      else if (auth === 54) {
        for (let i = 0; i < tlen; i++) d.s += hex2(d.b(t + i));
        if (tlen !== 16) d.s += ", (invalid subTLV) ";
        // tcpdump checks the digest only with a secret (-M); without one it is unchecked.
        d.s += " (unchecked)";
      } else if (auth === 3) {
        if (tlen < 2) return "next";
        d.s += `${d.w(t)}, password: `;
        t += 2, tlen -= 2;
        for (let i = 0; i < tlen; i++) d.s += hex2(d.b(t + i));
      } else if (!d.unknown(t, "\n\t\t  ", tlen)) return "fail";
      return "next";
    }
    case T.PTP_ADJ: {
      const at = t;
      if (tlen >= 1) {
        const st = d.b(t);
        d.s += `${I}Adjacency State: ${name(ADJ_STATES, st, "unknown")} (${st})`;
        tlen--;
      }
      if (tlen > 4) {
        d.s += `${I}Extended Local circuit-ID: 0x${hex8(d.w4(at + 1))}`;
        tlen -= 4;
      }
      if (tlen >= SYSTEM_ID) {
        if (!d.has(at + 5, SYSTEM_ID)) return "trunc";
        d.s += `${I}Neighbor System-ID: ${d.id(at + 5, SYSTEM_ID)}`;
        tlen -= SYSTEM_ID;
      }
      if (tlen >= 4) d.s += `${I}Neighbor Extended Local circuit-ID: 0x${hex8(d.w4(at + 11))}`;
      return "next";
    }
    case T.PROTOCOLS:
      d.s += `${I}NLPID(s): `;
      for (; tlen !== 0; t++, tlen--) {
        const n = d.b(t);
        d.s += `${name(NLPIDS, n, "unknown")} (0x${hex2(n)})`;
        if (tlen > 1) d.s += ", ";
      }
      return "next";
    case T.MT_PORT_CAP: {
      if (tlen < 2) return "next";
      const v = d.w(t);
      d.s += `\n\t       RES: ${v >> 12}, MTID(s): ${v & 0xfff}`;
      if (tlen - 2) portCapSubTlvs(d, t + 2, tlen - 2);
      return "next";
    }
    case T.MT_CAPABILITY: {
      if (tlen < 2) return "next";
      const v = d.w(t);
      d.s += `${I}O: ${(v >> 15) & 1}, RES: ${(v >> 12) & 7}, MTID(s): ${v & 0xfff}`;
      if (tlen - 2) mtCapSubTlvs(d, t + 2, tlen - 2);
      return "next";
    }
    case T.TE_ROUTER_ID:
      if (tlen < 4) return "next";
      d.s += `${I}Traffic Engineering Router ID: ${d.ip(t)}`;
      return "next";
    case T.IPADDR:
      while (tlen !== 0) {
        if (tlen < 4) return "next";
        d.s += `${I}IPv4 interface address: ${d.ip(t)}`;
        t += 4, tlen -= 4;
      }
      return "next";
    case T.HOSTNAME:
      d.s += `${I}Hostname: `;
      d.chars(t, tlen);
      return "next";
    case T.SRLG:
      if (tlen < NODE_ID) return "next";
      if (!d.has(t, NODE_ID)) return "trunc";
      d.s += `${I}IS Neighbor: ${d.id(t, NODE_ID)}`;
      t += NODE_ID, tlen -= NODE_ID;
      if (tlen < 1) return "next";
      d.s += `, Flags: [${d.b(t) & 1 ? "numbered" : "unnumbered"}]`;
      t++, tlen--;
      if (tlen < 4) return "next";
      d.s += `${I}IPv4 interface address: ${d.ip(t)}`;
      t += 4, tlen -= 4;
      if (tlen < 4) return "next";
      d.s += `${I}IPv4 neighbor address: ${d.ip(t)}`;
      t += 4, tlen -= 4;
      while (tlen !== 0) {
        if (tlen < 4) return "next";
        d.s += `${I}Link-ID: 0x${hex8(d.w4(t))}`;
        t += 4, tlen -= 4;
      }
      return "next";
    case T.LSP:
      while (tlen !== 0) {
        if (tlen < 16) return "next";
        if (!d.has(t + 9, 1)) return "trunc";
        d.s += `${I}lsp-id: ${d.id(t + 2, LSP_ID)}`;
        d.s += `, seq: 0x${hex8(d.w4(t + 10))}`;
        d.s += `, lifetime: ${String(d.w(t)).padStart(5)}s`;
        d.s += `, chksum: 0x${hex4(d.w(t + 14))}`;
        tlen -= 16, t += 16;
      }
      return "next";
    case T.CHECKSUM: {
      if (tlen < 2) return "next";
      if (!d.has(t, 2)) return "trunc";
      const sum = d.w(t);
      d.s += `${I}checksum: 0x${hex4(sum)} `;
      d.checksum(o, sum, t - o, length);
      return "next";
    }
    case T.POI: {
      if (tlen < 1) return "next";
      const n = d.b(t);
      t++, tlen--;
      if (n === 0) {
        d.s += " No system IDs supplied";
        return "next";
      }
      if (tlen < SYSTEM_ID) return "next";
      if (!d.has(t, SYSTEM_ID)) return "trunc";
      d.s += `${I}Purge Originator System-ID: ${d.id(t, SYSTEM_ID)}`;
      t += SYSTEM_ID, tlen -= SYSTEM_ID;
      if (n > 1) {
        if (tlen < SYSTEM_ID) return "next";
        if (!d.has(t, 2 * SYSTEM_ID + 1)) return "trunc";
        d.s += `${I}Received from System-ID: ${d.id(t, SYSTEM_ID)}`;
      }
      return "next";
    }
    case T.MT_SUPPORTED:
      while (tlen !== 0) {
        if (tlen === 1) {
          d.s += `${I}invalid MT-ID`;
          break;
        }
        const n = mtid(d, t, I, tlen);
        t += n, tlen -= n;
      }
      return "next";
    case T.RESTART:
      if (tlen < 1) return "next";
      if (!d.has(t, 1)) return "trunc";
      d.s += `${I}Flags [${bits(RESTART_FLAGS, "none", d.b(t))}]`;
      t++, tlen--;
      if (tlen < 2) return "next";
      if (!d.has(t, 2)) return "trunc";
      d.s += `, Remaining holding time ${d.w(t)}s`;
      t += 2, tlen -= 2;
      if (tlen === SYSTEM_ID) {
        if (!d.has(t, SYSTEM_ID)) return "trunc";
        d.s += `, for ${d.id(t, SYSTEM_ID)}`;
      }
      return "next";
    case T.IDRP_INFO: {
      if (tlen < 1) return "next";
      const v = d.b(t);
      d.s += `${I}Inter-Domain Information Type: ${name(IDRP_TYPES, v, `Unknown (0x${hex2(v)})`)}`;
      t++, tlen--;
      if (v === 2) {
        if (tlen < 2) return "next";
        d.s += `AS Number: ${d.w(t)}`;
      } else if (!d.unknown(t, I, tlen)) return "fail";
      return "next";
    }
    case T.LSP_BUFFERSIZE:
      if (tlen >= 2) d.s += `${I}LSP Buffersize: ${d.w(t)}`;
      return "next";
    case T.PART_DIS:
      while (tlen !== 0) {
        if (tlen < SYSTEM_ID) return "next";
        if (!d.has(t, SYSTEM_ID)) return "trunc";
        d.s += `${I}${d.id(t, SYSTEM_ID)}`;
        t += SYSTEM_ID, tlen -= SYSTEM_ID;
      }
      return "next";
    case T.PREFIX_NEIGH:
      if (tlen < 4) return "next";
      if (!d.has(t, 4)) return "trunc";
      d.s += `${I}Metric Block`;
      metricBlock(d, t);
      t += 4, tlen -= 4;
      while (tlen !== 0) {
        const plen = d.b(t);
        t++, tlen--;
        if (plen < 2) {
          d.s += `\n\t\tAddress: prefix length ${plen} < 2`;
          break;
        }
        const n = plen >> 1;
        if (tlen < n) break;
        d.s += `\n\t\tAddress: ${d.nsap(t, n)}/${plen * 4}`;
        t += n, tlen -= n;
      }
      return "next";
    case T.IIH_SEQNR:
      if (tlen >= 4) d.s += `${I}Sequence number: ${d.w4(t)}`;
      return "next";
    case T.ROUTER_CAP:
      if (tlen < 5) {
        d.s += ` [object length ${tlen} < 5] (invalid)`;
        return "next";
      }
      d.s += `${I}Router-ID ${d.ip(t)}`;
      d.s += `, Flags [${bits(ROUTER_CAP_FLAGS, "none", d.b(t + 4))}]`;
      if (tlen > 5) routerCapSubTlvs(d, t + 5, tlen - 5);
      return "next";
    case T.VENDOR: {
      if (tlen < 3) return "next";
      const oui = d.w3(t);
      d.s += `${I}Vendor: ${OUI_NAMES[oui] ?? "Unknown"} (${oui})`;
      t += 3, tlen -= 3;
      if (tlen !== 0 && !d.unknown(t, "\n\t\t", tlen)) return "fail";
      return "next";
    }
    default:
      // No decoder: -v dumps the value here, -vv after it like every TLV.
      if (d.v <= 1 && !d.unknown(t, "\n\t\t", tlen)) return "fail";
      return "next";
  }
}

/** isis_print: false where tcpdump returns 0 (its caller then dumps the whole PDU). */
function isis(d: Pdu, length: number): boolean {
  d.proto = "isis";
  let packetLen = length;
  if (!d.has(0, COMMON) || length < COMMON) {
    d.mark();
    return true;
  }
  if (!d.e) d.s += "IS-IS";
  const version = d.b(2);
  if (version !== 1) {
    d.s += `version ${version} packet not supported`;
    return false;
  }
  const idLength = d.b(3);
  if (idLength !== SYSTEM_ID && idLength !== 0) {
    d.s += `system ID length of ${idLength} is not supported`;
    return false;
  }
  const pduVersion = d.b(5);
  if (pduVersion !== 1) {
    d.s += `version ${pduVersion} packet not supported`;
    return false;
  }
  const fixedLen = d.b(1);
  if (length < fixedLen) {
    d.s += `fixed header length ${fixedLen} > packet length ${length}`;
    return false;
  }
  if (fixedLen < COMMON) {
    d.s += `fixed header length ${fixedLen} < minimum header size ${COMMON}`;
    return false;
  }
  const pduMaxArea = d.b(7);
  if (pduMaxArea === 255) {
    d.s += "bad packet -- 255 areas";
    return false;
  }
  const maxArea = pduMaxArea === 0 ? 3 : pduMaxArea;
  const type = d.b(4);
  const sep = d.e ? "" : ", ";
  if (d.v === 0) d.s += `${sep}${name(PDU_TYPES, type, `unknown PDU-Type ${type}`)}`;
  else {
    d.s += `${sep}length ${length}`;
    d.s +=
      `\n\t${
        name(PDU_TYPES, type, `unknown, type ${type}`)
      }, hlen: ${fixedLen}, v: ${version}, pdu-v: ${pduVersion}` +
      `, sys-id-len: 6 (${idLength}), max-area: ${maxArea} (${pduMaxArea})`;
    if (d.v > 1 && !d.unknown(0, "\n\t", 8)) return false;
  }
  const h = COMMON;
  /** The fixed header's length check, then its capture check; a text when the PDU ends there. */
  const fixed = (size: number, want: number, bogus: string): boolean | null => {
    if (fixedLen !== COMMON + size) {
      d.s += `${bogus}bogus fixed header length ${fixedLen} should be ${want}`;
      return false;
    }
    if (!d.has(h, size) || length < COMMON + size) {
      d.mark();
      return true;
    }
    return null;
  };
  /** The PDU length field caps the TLVs' length when it is smaller. */
  const pduLength = (at: number) => {
    const n = d.w(at);
    if (packetLen > n) packetLen = length = n;
    return n;
  };
  /** tcpdump's INVALID_OR_DECREMENT: false when the header does not fit the length. */
  const decrement = (size: number): boolean => {
    if (packetLen < size) {
      d.s += ` [packet length ${packetLen} < ${size}] (invalid)`;
      return false;
    }
    packetLen -= size;
    return true;
  };
  let hdr: number;
  switch (type) {
    case 15:
    case 16: {
      const r = fixed(IIH_LAN, COMMON + IIH_LAN, ", ");
      if (r !== null) return r;
      if (d.v === 0) {
        d.s += `, src-id ${d.id(h + 1, SYSTEM_ID)}`;
        const lan = d.id(h + 12, NODE_ID);
        d.s += `, lan-id ${lan}, prio ${d.b(h + 11)}`;
        d.s += `, length ${length}`;
        return true;
      }
      const n = pduLength(h + 9);
      const ct = d.b(h);
      d.s += `\n\t  source-id: ${d.id(h + 1, SYSTEM_ID)},  holding time: ${d.w(h + 7)}s, Flags: [${
        name(CIRCUIT_TYPES, ct, `unknown circuit type 0x${hex2(ct)}`)
      }]`;
      d.s += `\n\t  lan-id:    ${d.id(h + 12, NODE_ID)}, Priority: ${d.b(h + 11) & 0x7f}, PDU length: ${n}`;
      if (d.v > 1 && !d.unknown(h, "\n\t  ", IIH_LAN)) return false;
      hdr = COMMON + IIH_LAN;
      break;
    }
    case 17: {
      const r = fixed(IIH_PTP, COMMON + IIH_PTP, ", ");
      if (r !== null) return r;
      if (d.v === 0) {
        d.s += `, src-id ${d.id(h + 1, SYSTEM_ID)}`;
        d.s += `, length ${length}`;
        return true;
      }
      const n = pduLength(h + 9);
      const ct = d.b(h);
      d.s += `\n\t  source-id: ${d.id(h + 1, SYSTEM_ID)}, holding time: ${d.w(h + 7)}s, Flags: [${
        name(CIRCUIT_TYPES, ct, `unknown circuit type 0x${hex2(ct)}`)
      }]`;
      d.s += `\n\t  circuit-id: 0x${hex2(d.b(h + 11))}, PDU length: ${n}`;
      if (d.v > 1 && !d.unknown(h, "\n\t  ", IIH_PTP)) return false;
      hdr = COMMON + IIH_PTP;
      break;
    }
    case 18:
    case 20: {
      // tcpdump names the LSP header's own size as the right length.
      const r = fixed(LSP_HDR, LSP_HDR, ", ");
      if (r !== null) return r;
      if (d.v === 0) {
        d.s += `, lsp-id ${d.id(h + 4, LSP_ID)}, seq 0x${hex8(d.w4(h + 12))}, lifetime ${
          String(d.w(h + 2)).padStart(5)
        }s`;
        d.s += `, length ${length}`;
        return true;
      }
      const n = pduLength(h);
      const sum = d.w(h + 16);
      d.s += `\n\t  lsp-id: ${d.id(h + 4, LSP_ID)}, seq: 0x${hex8(d.w4(h + 12))}, lifetime: ${
        String(d.w(h + 2)).padStart(5)
      }s\n\t  chksum: 0x${hex4(sum)}`;
      d.checksum(h + 4, sum, 12, (length - 12) >>> 0);
      const tb = d.b(h + 18);
      d.s += `, PDU length: ${n}, Flags: [ ${tb & 0x4 ? "Overload bit set, " : ""}`;
      if (tb & 0x78) {
        d.s += (tb & 0x08 ? "default " : "") + (tb & 0x10 ? "delay " : "") + (tb & 0x20 ? "expense " : "") +
          (tb & 0x40 ? "error " : "") + "ATT bit set, ";
      }
      d.s += tb & 0x80 ? "P bit set, " : "";
      d.s += `${name(IS_TYPES, tb & 3, "")} ]`;
      if (d.v > 1 && !d.unknown(h, "\n\t  ", LSP_HDR)) return false;
      hdr = COMMON + LSP_HDR;
      break;
    }
    case 24:
    case 25:
    case 26:
    case 27: {
      // Complete and partial sequence numbers PDUs: a CSNP also names its LSP ID range.
      const csnp = type < 26, size = csnp ? CSNP_HDR : PSNP_HDR;
      const r = fixed(size, COMMON + size, csnp ? ", " : "- ");
      if (r !== null) return r;
      if (d.v === 0) {
        d.s += `, src-id ${d.id(h + 2, NODE_ID)}`;
        d.s += `, length ${length}`;
        return true;
      }
      const n = pduLength(h);
      d.s += `\n\t  source-id:    ${d.id(h + 2, NODE_ID)}, PDU length: ${n}`;
      if (csnp) {
        d.s += `\n\t  start lsp-id: ${d.id(h + 9, LSP_ID)}`;
        d.s += `\n\t  end lsp-id:   ${d.id(h + 17, LSP_ID)}`;
      }
      if (d.v > 1 && !d.unknown(h, "\n\t  ", size)) return false;
      hdr = COMMON + size;
      break;
    }
    default:
      if (d.v === 0) {
        d.s += `, length ${length}`;
        return true;
      }
      d.unknown(h, "\n\t  ", length);
      return false;
  }
  if (!decrement(hdr)) return true;
  let at = hdr;
  while (packetLen > 0) {
    if (!d.has(at, 2) || packetLen < 2) {
      d.mark();
      return true;
    }
    const tlvType = d.b(at), tlvLen = d.b(at + 1);
    at += 2;
    packetLen -= 2;
    d.s += `\n\t    ${name(TLV_NAMES, tlvType, "unknown")} TLV #${tlvType}, length: ${tlvLen}`;
    if (packetLen < tlvLen) {
      d.mark();
      return true;
    }
    switch (tlvValue(d, 0, length, tlvType, at, tlvLen)) {
      case "fail":
        return false;
      case "done":
        return true;
      case "trunc":
        d.mark();
        return true;
    }
    if (d.v > 1 && !d.unknown(at, "\n\t      ", tlvLen)) return false;
    at += tlvLen;
    packetLen -= tlvLen;
  }
  return true;
}

// ---- ES-IS

/** esis_print. */
function esis(d: Pdu, length: number): void {
  d.proto = "esis";
  if (!d.e) d.s += "ES-IS";
  if (length <= 2) {
    d.s += d.q ? "bad pkt!" : "no header at all!";
    return;
  }
  if (!d.has(0, ESIS_HDR)) return d.mark();
  let li = d.b(1);
  const version = d.b(2);
  if (version !== 1) {
    d.s += ` version ${version} packet not supported`;
    return;
  }
  if (li > length) {
    d.s += ` length indicator(${li}) > PDU size (${length})!`;
    return;
  }
  if (li < ESIS_HDR + 2) {
    d.s += ` length indicator ${li} < min PDU size:`;
    for (let k = 0; k < d.p.length; k++) d.s += hex2(d.p[k]).toUpperCase();
    return;
  }
  const type = d.b(4) & 0x1f;
  const sep = d.e ? "" : ", ";
  if (d.v < 1) {
    d.s += `${sep}${name(ESIS_TYPES, type, `unknown type (${type})`)}, length ${length}`;
    return;
  }
  d.s += `${sep}length ${length}\n\t${name(ESIS_TYPES, type, `unknown type: ${type}`)} (${type})`;
  d.s += `, v: ${version}`;
  const sum = d.w(7);
  d.s += `, checksum: 0x${hex4(sum)}`;
  d.checksum(0, sum, 7, li);
  d.s += `, holding time: ${d.w(5)}s, length indicator: ${li}`;
  if (d.v > 1) d.unknown(0, "\n\t", ESIS_HDR);
  let at = ESIS_HDR;
  li -= ESIS_HDR;
  /** One length-prefixed field: its length and start, or a text when the PDU ends there. */
  const field = (bad: string, decrementLi = true): [number, number] | "trunc" | "bad" => {
    if (!d.has(at, 1)) return "trunc";
    if (li < 1) {
      d.s += bad;
      return "bad";
    }
    const n = d.b(at);
    at++;
    if (decrementLi) li--;
    if (!d.has(at, n)) return "trunc";
    if (li < n) {
      d.s += bad;
      return "bad";
    }
    const start = at;
    at += n;
    li -= n;
    return [n, start];
  };
  switch (type) {
    case ESIS_REDIRECT: {
      const dst = field(", bad redirect/li");
      if (dst === "trunc") return d.mark();
      if (dst === "bad") return;
      d.s += `\n\t  ${d.nsap(dst[1], dst[0])}`;
      const snpa = field(", bad redirect/li");
      if (snpa === "trunc") return d.mark();
      if (snpa === "bad") return;
      // tcpdump does not count the NET's length byte against the length indicator.
      const net = field(", bad redirect/li", false);
      if (net === "trunc") return d.mark();
      if (net === "bad") return;
      const [sl, sa] = snpa;
      d.need(sa, sl);
      const snpaText = sl === 0 ? "<empty>" : Array.from(d.p.subarray(sa, sa + sl), hex2).join(":");
      d.s += `\n\t  SNPA (length: ${sl}): ${snpaText}`;
      if (net[0] !== 0) d.s += `\n\t  NET (length: ${net[0]}) ${d.nsap(net[1], net[0])}`;
      break;
    }
    case ESIS_ESH: {
      if (!d.has(at, 1)) return d.mark();
      if (li < 1) {
        d.s += ", bad esh/li";
        return;
      }
      let n = d.b(at);
      at++, li--;
      d.s += `\n\t  Number of Source Addresses: ${n}`;
      for (; n > 0; n--) {
        const a = field(", bad esh/li");
        if (a === "trunc") return d.mark();
        if (a === "bad") return;
        d.s += `\n\t  NET (length: ${a[0]}): ${d.nsap(a[1], a[0])}`;
      }
      break;
    }
    case ESIS_ISH: {
      const a = field(", bad ish/li");
      if (a === "trunc") return d.mark();
      if (a === "bad") return;
      d.s += `\n\t  NET (length: ${a[0]}): ${d.nsap(a[1], a[0])}`;
      break;
    }
    default:
      if (d.v <= 1 && d.has(at, 1)) d.unknown(at, "\n\t  ", d.p.length - at);
      return;
  }
  while (li !== 0) {
    if (li < 2) {
      d.s += ", bad opts/li";
      return;
    }
    const op = d.b(at);
    let opli = d.b(at + 1);
    at += 2;
    li -= 2;
    if (opli > li) {
      d.s += `, opt (${op}) too long`;
      return;
    }
    li -= opli;
    let t = at;
    d.s += `\n\t  ${name(ESIS_OPTIONS, op, "Unknown")} Option #${op}, length ${opli}, value: `;
    if (op === 198) {
      if (opli === 2) {
        if (!d.has(at, 2)) return d.mark();
        d.s += `${d.w(t)}s`;
      } else d.s += "(bad length)";
    } else if (op === 129) {
      // tcpdump counts the option's length down here, so the next option is read from inside this one.
      for (; opli > 0; t++, opli--) {
        const n = d.b(t);
        d.s += `${name(NLPIDS, n, "unknown")} (0x${hex2(n)})`;
        if (opli > 1) d.s += ", ";
      }
    } else d.unknown(t, "\n\t  ", opli);
    if (d.v > 1) d.unknown(at, "\n\t  ", opli);
    at += opli;
  }
}

// ---- CLNP

/** clnp_print: false where tcpdump returns 0 (its caller then dumps the whole PDU). */
function clnp(d: Pdu, o: number, length: number): boolean {
  d.proto = "clnp";
  if (!d.has(o, CLNP_HDR)) {
    d.mark();
    return true;
  }
  const li = d.b(o + 1);
  if (!d.e) d.s += "CLNP";
  const version = d.b(o + 2);
  if (version !== 1) {
    d.s += `version ${version} packet not supported`;
    return false;
  }
  if (li > length) {
    d.s += ` length indicator(${li}) > PDU size (${length})!`;
    return false;
  }
  if (li < CLNP_HDR) {
    d.s += ` length indicator ${li} < min PDU size:`;
    for (let k = o; k < d.p.length; k++) d.s += hex2(d.p[k]).toUpperCase();
    return false;
  }
  const typeByte = d.b(o + 4);
  const type = typeByte & 0x1f, flags = typeByte & 0xe0;
  let at = o + CLNP_HDR, rest = li - CLNP_HDR;
  // The destination, then the source: a length byte and the address, each checked against the header's
  // length (the message, false) and the capture (the mark, true) before it is read.
  const address = (): { at: number; len: number } | boolean => {
    if (rest < 1 || rest - 1 < d.b(at)) {
      d.s += "li < size of fixed part of CLNP header and addresses";
      return false;
    }
    const len = d.b(at), from = at + 1;
    if (!d.has(from, len)) {
      d.mark();
      return true;
    }
    at = from + len, rest -= 1 + len;
    return { at: from, len };
  };
  const dst = address();
  if (typeof dst === "boolean") return dst;
  const src = address();
  if (typeof src === "boolean") return src;
  const da = dst.at, dl = dst.len, sa = src.at, sl = src.len;
  const sep = d.e ? "" : ", ";
  const typeName = name(CLNP_TYPES, type, `unknown (${type})`);
  if (d.v < 1) {
    d.s += `${sep}${d.nsap(sa, sl)} > ${d.nsap(da, dl)}, ${typeName}, length ${length}`;
    return true;
  }
  d.s += `${sep}length ${length}`;
  const life = d.b(o + 3), sum = d.w(o + 7);
  d.s += `\n\t${typeName} PDU, hlen: ${li}, v: ${version}, lifetime: ${life >> 1}.${(life % 2) * 5}s` +
    `, Segment PDU length: ${d.w(o + 5)}, checksum: 0x${hex4(sum)}`;
  d.checksum(o, sum, 7, li);
  d.s += `\n\tFlags [${bits(CLNP_FLAGS, "none", flags)}]`;
  d.s += `\n\tsource address (length ${sl}): ${d.nsap(sa, sl)}\n\tdest   address (length ${dl}): ${
    d.nsap(da, dl)
  }`;
  if (flags & 0x80) {
    if (rest < CLNP_SEGMENT) {
      d.s += "li < size of fixed part of CLNP header, addresses, and segment part";
      return false;
    }
    if (!d.has(at, CLNP_SEGMENT)) {
      d.mark();
      return true;
    }
    d.s += `\n\tData Unit ID: 0x${hex4(d.w(at))}, Segment Offset: ${d.w(at + 2)}, Total PDU Length: ${
      d.w(at + 4)
    }`;
    at += CLNP_SEGMENT, rest -= CLNP_SEGMENT;
  }
  while (rest !== 0) {
    if (rest < 2) {
      d.s += ", bad opts/li";
      return false;
    }
    const op = d.b(at), opli = d.b(at + 1);
    at += 2, rest -= 2;
    if (opli > rest) {
      d.s += `, opt (${op}) too long`;
      return false;
    }
    if (!d.has(at, opli)) {
      d.mark();
      return true;
    }
    rest -= opli;
    const t = at;
    d.s += `\n\t  ${name(CLNP_OPTIONS, op, "Unknown")} Option #${op}, length ${opli}, value: `;
    const BAD = ", bad opt len";
    switch (op) {
      case 203:
      case 200: {
        if (opli < 2) {
          d.s += BAD;
          return false;
        }
        d.s += `${name(SR_RR, d.b(t), "Unknown")} ${name(SR_RR_TEXT, op, `Unknown Option ${op}`)}`;
        let off = d.b(t + 1);
        if (off === 0) {
          d.s += " Bad NSAP offset (0)";
          break;
        }
        off -= 1;
        if (off > opli) {
          d.s += " Bad NSAP offset (past end of option)";
          break;
        }
        // tcpdump never moves on from the first address: it prints that one for each the list holds.
        const first = t + off;
        for (let n = opli - off; n > 0;) {
          const al = d.b(first);
          if (n < al + 1) {
            d.s += "\n\t    NSAP address goes past end of option";
            break;
          }
          if (al > 0) d.s += `\n\t    NSAP address (length ${al}): ${d.nsap(first + 1, al)}`;
          n -= al + 1;
        }
        break;
      }
      case 205:
        if (opli < 1) {
          d.s += BAD;
          return false;
        }
        d.s += `0x${(d.b(t) & 0x0f).toString(16)}`;
        break;
      case 195: {
        if (opli < 1) {
          d.s += BAD;
          return false;
        }
        const b = d.b(t);
        d.s += `\n\t    Format Code: ${name(SCOPES, b & 0xc0, "Reserved")}`;
        if ((b & 0xc0) === 0xc0) d.s += `\n\t    QoS Flags [${bits(QOS_GLOBAL, "none", b & 0x3f)}]`;
        break;
      }
      case 197:
        if (opli < 2) {
          d.s += BAD;
          return false;
        }
        d.s += `\n\t    Format Code: ${name(SCOPES, d.b(t) & 0xc0, "Reserved")}, Security-Level ${
          d.b(t + 1)
        }`;
        break;
      case 193: {
        if (opli < 1) {
          d.s += BAD;
          return false;
        }
        const e = d.b(t), major = e >> 4, minor = e & 0x0f;
        d.s += `\n\t    Class: ${name(RFD_CLASSES, major, "Unknown")} Error (0x${major.toString(16)}), ${
          name(RFD_ERRORS[major] ?? {}, minor, "Unknown")
        } (0x${minor.toString(16)})`;
        break;
      }
      case 204:
        d.s += "padding data";
        break;
      default:
        d.unknown(t, "\n\t  ", opli);
    }
    if (d.v > 1) d.unknown(at, "\n\t  ", opli);
    at += opli;
  }
  if ((type === CLNP_ER || type === CLNP_ERP) && d.b(at) === NLPID_CLNP) {
    d.s += "\n\t-----original packet-----\n\t";
    clnp(d, at, length - li);
    return true;
  }
  if (length > at - o) {
    d.s += `\n\t  undecoded non-header data, length ${length - li}`;
    d.unknown(at, "\n\t  ", length - (at - o));
  }
  return true;
}

/**
 * tcpdump's text for an OSI PDU, from its NLPID byte on: what follows the LLC header (`-e`) or the whole
 * line (without `-e`, tcpdump prints no addresses before it); null where netkit falls back to its plain
 * LLC line.
 *
 * @param p the captured bytes from the NLPID on
 * @param length the PDU's length
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osiText } from "./_osi.ts";
 * // An ES-IS ISH announcing NET 49.0001.1111.2222.3333.00.
 * const p = Uint8Array.from([0x82, 0x14, 1, 0, 4, 0, 30, 0, 0, 10, 0x49, 0, 1, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0]);
 * assert.equal(osiText(p, 20, { verbosity: 0 })?.text, "ES-IS, ISH, length 20");
 * assert.equal(
 *   osiText(p, 20, { verbosity: 1 })?.text,
 *   "ES-IS, length 20\n\tISH (4), v: 1, checksum: 0x0000 (unverified), holding time: 30s, length indicator: 20" +
 *     "\n\t  NET (length: 10): 49.0001.1111.2222.3333.00",
 * );
 * assert.deepEqual(osiText(p.subarray(0, 4), 20, { verbosity: 0 }), { text: "ES-IS [|esis]", jump: false });
 * ```
 */
export function osiText(p: Uint8Array, length: number, c: OsiContext): Printed | null {
  // tcpdump sees no further than the length (an 802.3 frame's padding is not part of the PDU).
  p = p.subarray(0, Math.max(0, Math.min(p.length, length)));
  const d = new Pdu(p, c.verbosity, c.link === true, c.quiet === true);
  try {
    const nlpid = d.b(0);
    if (d.e) d.s += `OSI NLPID ${name(NLPIDS, nlpid, "Unknown")} (0x${hex2(nlpid)}): `;
    switch (nlpid) {
      case NLPID_CLNP:
        if (!clnp(d, 0, length)) d.unknown(0, "\n\t", length);
        break;
      case NLPID_ESIS:
        esis(d, length);
        break;
      case NLPID_ISIS:
        if (!isis(d, length)) d.unknown(0, "\n\t", length);
        break;
      case 0x00:
        d.s += `${d.e ? "" : ", "}length: ${length}`;
        break;
      case NLPID_IP:
      case NLPID_IP6: {
        const t = c.network?.(nlpid, p.subarray(1), length - 1) ?? null;
        if (t === null) return null;
        return { text: d.s + t.text, jump: t.jump };
      }
      case 0x08: // Q.933
      case 0xcf: // PPP
        return null;
      default:
        if (!d.e) d.s += `OSI NLPID 0x${hex2(nlpid)} unknown`;
        d.s += `${d.e ? "" : ", "}length: ${length}`;
        if (length > 1) d.unknown(0, "\n\t", length);
    }
    return { text: d.s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: `${d.s} [|${d.proto}]`, jump: true };
  }
}
