/**
 * Private: BGP-4 over TCP port 179 (RFC 4271) as tcpdump 4.99 prints it (print-bgp.c), after the TCP
 * line's `length N`.
 *
 * Without `-v` tcpdump prints only `: BGP`. With `-v` it scans the captured data for the 16-byte all-ones
 * marker, and prints every message whose `length` lies wholly within the capture, one line each with its
 * details on further lines:
 *
 * ```text
 * : BGP
 * 	Open Message (1), length: 45
 * 	  Version 4, my AS 65001, Holdtime 180s, ID 10.0.0.1
 * 	  Optional parameters, length: 16
 * 	    Option Capabilities Advertisement (2), length: 14
 * 	      Multiprotocol Extensions (1), length: 4
 * 		AFI IPv4 (1), SAFI Unicast (1)
 * 	      Route Refresh (2), length: 0
 * 	      32-Bit AS Number (65), length: 4
 * 		 4 Byte AS 65001
 * 	Keepalive Message (4), length: 19
 * 	Update Message (2), length: 52
 * 	  Origin (1), length: 1, Flags [T]: IGP
 * 	  AS Path (2), length: 6, Flags [T]: 65001 65002
 * 	  Next Hop (3), length: 4, Flags [T]: 10.0.0.1
 * 	  Updated routes:
 * 	    192.168.1.0/24
 * 	Notification Message (3), length: 21, Cease (6), subcode Administrative Shutdown (2)
 * ```
 *
 * The rules that are not obvious from the RFC:
 * - Bytes before a marker are skipped; when some were skipped, ` [|bgp]` precedes the next message. A message
 *   running past the capture (a segment carrying part of a message) ends the scan with `\n[|BGP Update]`.
 * - tcpdump parses by the captured bytes, not by the TCP length, and it reads fields of a message that claim
 *   more than the message has from whatever follows: a read past the capture is its long jump (`jump`).
 * - An AS_PATH's AS size is guessed: 2 bytes when the segments fit the attribute exactly that way, else 4.
 * - Withdrawn routes and NLRI are taken for ADD-PATH (RFC 7911) ones when they parse as such and not as
 *   plain prefixes; tcpdump then prints `   Path Id: N` after each.
 * - With `-vv` every capability, path attribute and ROUTE-REFRESH is followed by a hex dump of its bytes
 *   (`0x0000:  0001 0001`); what has no decoder is dumped at `-v` already.
 *
 * Covered: everything print-bgp.c prints for OPEN (capabilities: multiprotocol, route refresh, graceful
 * restart, 4-byte AS, ADD-PATH, multiple labels, the rest as unknown), UPDATE (every attribute it decodes:
 * ORIGIN to CLUSTER_LIST, MP_REACH/MP_UNREACH for IPv4/IPv6 unicast, multicast, labeled, VPN, route target
 * constraint, MDT, multicast VPN, L2VPN/VPLS and NSAP, extended and large communities, AS4_PATH,
 * AGGREGATOR4, PMSI tunnel, AIGP, ATTR_SET), NOTIFICATION (subcodes, maximum prefixes, shutdown
 * communication), KEEPALIVE, ROUTE-REFRESH and unknown types. Not covered: `-b` (tcpdump's ASDOT
 * notation), which netkit's sniffer has no flag for.
 *
 * @module
 */
import { Cut, fixedC, type Printed, textChar, u16, u8 } from "./_text.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { AF_NAMES } from "./_af.ts";

/** The options. */
export interface BgpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

/** The fixed header: marker (16), length (2), type (1). */
const HEADER = 19;
/** An OPEN up to its optional parameters' length. */
const OPEN_SIZE = 29;
/** A NOTIFICATION up to its subcode. */
const NOTIFICATION_SIZE = 21;
/** A ROUTE-REFRESH: header, AFI, reserved, SAFI. */
const ROUTE_REFRESH_SIZE = 23;
/** tcpdump's buffer for one NLRI's text (MAXHOSTNAMELEN + 100) holds this many characters. */
const NLRI_BUF = 163;

const MSG: Record<number, string> = {
  1: "Open",
  2: "Update",
  3: "Notification",
  4: "Keepalive",
  5: "Route Refresh",
};

const ATTR: Record<number, string> = {
  1: "Origin",
  2: "AS Path",
  17: "AS4 Path",
  3: "Next Hop",
  4: "Multi Exit Discriminator",
  5: "Local Preference",
  6: "Atomic Aggregate",
  7: "Aggregator",
  18: "Aggregator4",
  8: "Community",
  9: "Originator ID",
  10: "Cluster List",
  11: "DPA",
  12: "Advertisers",
  13: "RCID Path / Cluster ID",
  14: "Multi-Protocol Reach NLRI",
  15: "Multi-Protocol Unreach NLRI",
  16: "Extended Community",
  22: "PMSI Tunnel",
  23: "Tunnel Encapsulation",
  24: "Traffic Engineering",
  25: "IPv6 Extended Community",
  26: "Accumulated IGP Metric",
  27: "PE Distinguisher Label",
  28: "Entropy Label",
  32: "Large Community",
  128: "Attribute Set",
  255: "Reserved for development",
};

/** AS_PATH segment types: AS_SET 1, AS_SEQUENCE 2, AS_CONFED_SEQUENCE 3, AS_CONFED_SET 4. */
const SEG_OPEN: Record<number, string> = { 2: "", 1: "{ ", 3: "( ", 4: "({ " };
const SEG_CLOSE: Record<number, string> = { 2: "", 1: "}", 3: ")", 4: "})" };

const OPT: Record<number, string> = { 1: "Authentication Information", 2: "Capabilities Advertisement" };

const CAP: Record<number, string> = {
  1: "Multiprotocol Extensions",
  2: "Route Refresh",
  3: "Cooperative Route Filtering",
  4: "Multiple Routes to a Destination",
  5: "Extended Next Hop Encoding",
  8: "Multiple Labels",
  64: "Graceful Restart",
  65: "32-Bit AS Number",
  67: "Dynamic Capability",
  68: "Multisession BGP",
  69: "Multiple Paths",
  70: "Enhanced Route Refresh",
  71: "Long-lived Graceful Restart",
  128: "Route Refresh (Cisco)",
};

const NOTIFY_MAJOR: Record<number, string> = {
  1: "Message Header Error",
  2: "OPEN Message Error",
  3: "UPDATE Message Error",
  4: "Hold Timer Expired",
  5: "Finite State Machine Error",
  6: "Cease",
  7: "Capability Message Error",
};

/** Subcode names by error code, and whether tcpdump puts a comma before `subcode`. */
const NOTIFY_MINOR: Record<number, [Record<number, string>, string]> = {
  1: [{ 1: "Connection Not Synchronized", 2: "Bad Message Length", 3: "Bad Message Type" }, ","],
  2: [{
    1: "Unsupported Version Number",
    2: "Bad Peer AS",
    3: "Bad BGP Identifier",
    4: "Unsupported Optional Parameter",
    5: "Authentication Failure",
    6: "Unacceptable Hold Time",
    7: "Capability Message Error",
  }, ","],
  3: [{
    1: "Malformed Attribute List",
    2: "Unrecognized Well-known Attribute",
    3: "Missing Well-known Attribute",
    4: "Attribute Flags Error",
    5: "Attribute Length Error",
    6: "Invalid ORIGIN Attribute",
    7: "AS Routing Loop",
    8: "Invalid NEXT_HOP Attribute",
    9: "Optional Attribute Error",
    10: "Invalid Network Field",
    11: "Malformed AS_PATH",
  }, ","],
  5: [{
    0: "Unspecified Error",
    1: "In OpenSent State",
    2: "In OpenConfirm State",
    3: "In Established State",
  }, ""],
  6: [{
    1: "Maximum Number of Prefixes Reached",
    2: "Administrative Shutdown",
    3: "Peer Unconfigured",
    4: "Administrative Reset",
    5: "Connection Rejected",
    6: "Other Configuration Change",
    7: "Connection Collision Resolution",
  }, ","],
  7: [{
    1: "Invalid Action Value",
    2: "Invalid Capability Length",
    3: "Malformed Capability Value",
    4: "Unsupported Capability Code",
  }, ""],
};

const ORIGIN: Record<number, string> = { 0: "IGP", 1: "EGP", 2: "Incomplete" };

const PMSI_TUNNEL: Record<number, string> = {
  1: "RSVP-TE P2MP LSP",
  2: "LDP P2MP LSP",
  3: "PIM-SSM Tree",
  4: "PIM-SM Tree",
  5: "PIM-Bidir Tree",
  6: "Ingress Replication",
  7: "LDP MP2MP LSP",
};

const SAFI: Record<number, string> = {
  0: "Reserved",
  1: "Unicast",
  2: "Multicast",
  3: "Unicast+Multicast",
  4: "labeled Unicast",
  64: "Tunnel",
  65: "VPLS",
  66: "MDT",
  70: "EVPN",
  128: "labeled VPN Unicast",
  129: "labeled VPN Multicast",
  130: "labeled VPN Unicast+Multicast",
  132: "Route Target Routing Information",
  5: "Multicast VPN",
};

const EXT_COMM: Record<number, string> = {
  0x0002: "target",
  0x0102: "target",
  0x0202: "target",
  0x0003: "origin",
  0x0103: "origin",
  0x0203: "origin",
  0x4004: "link-BW",
  0x0005: "ospf-domain",
  0x0105: "ospf-domain",
  0x0205: "ospf-domain",
  0x8005: "ospf-domain",
  0x0306: "ospf-route-type",
  0x8000: "ospf-route-type",
  0x030c: "encapsulation",
  0x0107: "ospf-router-id",
  0x8001: "ospf-router-id",
  0x800a: "layer2-info",
  0x8800: "eigrp-general-route (flag, tag)",
  0x8801: "eigrp-route-metric (AS, delay)",
  0x8802: "eigrp-route-metric (reliability, nexthop, bandwidth)",
  0x8803: "eigrp-route-metric (load, MTU)",
  0x8804: "eigrp-external-route (remote-AS, remote-ID)",
  0x8805: "eigrp-external-route (remote-proto, remote-metric)",
  0x0009: "source-AS",
  0x010b: "vrf-route-import",
  0x000a: "l2vpn-id",
  0xf10a: "l2vpn-id",
};

const ENCAP_TUNNEL: Record<number, string> = {
  1: "L2TPv3 over IP",
  2: "GRE",
  3: "Transmit Tunnel",
  4: "IPsec",
  5: "IP in IP with IPsec",
  6: "MPLS in IP with IPsec",
  7: "IP in IP",
  8: "VXLAN",
  9: "NVGRE",
  10: "MPLS",
  11: "MPLS in GRE",
  12: "VXLAN GPE",
  13: "MPLS in UDP",
  14: "IPv6",
  15: "SR TE",
  16: "Bare",
  17: "SR",
};

const OSPF_RTYPE: Record<number, string> = {
  1: "Router",
  2: "Network",
  3: "Summary",
  5: "External",
  7: "NSSA External",
  129: "MPLS-VPN Sham",
};

/** RFC 6624 layer 2 encapsulation types (tcpdump's l2vpn_encaps_values). */
const L2_ENCAPS: Record<number, string> = {
  0: "Reserved",
  1: "Frame Relay",
  2: "ATM AAL5 SDU VCC transport",
  3: "ATM transparent cell transport",
  4: "Ethernet (VLAN) Tagged Mode",
  5: "Ethernet Raw Mode",
  6: "Cisco HDLC",
  7: "PPP",
  8: "SONET/SDH Circuit Emulation Service over MPLS",
  9: "ATM n-to-one VCC cell transport",
  10: "ATM n-to-one VPC cell transport",
  11: "IP layer 2 transport",
  15: "Frame Relay Port mode",
  17: "Structure-agnostic E1 over packet",
  18: "Structure-agnostic T1 (DS1) over packet",
  19: "VPLS",
  20: "Structure-agnostic T3 (DS3) over packet",
  21: "Nx64kbit/s Basic Service using Structure-aware",
  25: "Frame Relay DLCI",
  40: "Structure-agnostic E3 over packet",
  41: "Octet-aligned playload for Structure-agnostic DS1 circuits",
  42: "E1 Nx64kbit/s with CAS using Structure-aware",
  43: "DS1 (ESF) Nx64kbit/s with CAS using Structure-aware",
  44: "DS1 (SF) Nx64kbit/s with CAS using Structure-aware",
};

const MVPN_ROUTE: Record<number, string> = {
  1: "Intra-AS I-PMSI",
  2: "Inter-AS I-PMSI",
  3: "S-PMSI",
  4: "Intra-AS Segment-Leaf",
  5: "Source-Active",
  6: "Shared Tree Join",
  7: "Source Tree Join",
};

const ADD_PATH: Record<number, string> = { 1: "Receive", 2: "Send", 3: "Both" };

/** The AFI/SAFI pairs (AFI << 8 | SAFI) tcpdump decodes in MP_REACH_NLRI and MP_UNREACH_NLRI. */
const MP_DECODED = new Set([
  0x101,
  0x102,
  0x103,
  0x104,
  0x184,
  0x180,
  0x181,
  0x182,
  0x105,
  0x142,
  0x201,
  0x202,
  0x203,
  0x204,
  0x280,
  0x281,
  0x282,
  0x301,
  0x302,
  0x303,
  0x380,
  0x381,
  0x382,
  0xc480,
  0xc481,
  0xc482,
  0x1941,
]);

/** tcpdump's tok2str: the name, or the default. */
const tok = (t: Record<number, string>, v: number, dflt: string): string => t[v] ?? dflt;
const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

/** A dissection in progress: the captured bytes, the text so far, the verbosity. */
interface St {
  p: Uint8Array;
  s: string;
  v: number;
}

/** tcpdump's ND_TTEST_LEN: `n` bytes at `at` were captured. */
const has = (st: St, at: number, n: number): boolean => n >= 0 && at >= 0 && at + n <= st.p.length;

const u24 = (p: Uint8Array, at: number): number => u8(p, at) * 65536 + u16(p, at + 1);
const u32 = (p: Uint8Array, at: number): number => u16(p, at) * 65536 + u16(p, at + 2);

/** GET_IPADDR_STRING: the address, or the long jump when it was not captured. */
function ip4(p: Uint8Array, at: number): string {
  u8(p, at + 3);
  return formatIpv4Address(p, at);
}

/** GET_IP6ADDR_STRING. */
function ip6(p: Uint8Array, at: number): string {
  u8(p, at + 15);
  return formatIpv6Address(p, at);
}

/** GET_CPY_BYTES into a zeroed buffer of `size` bytes, the last byte masked to `plen` bits. */
function prefixBytes(p: Uint8Array, at: number, plen: number, size: number): Uint8Array {
  const n = (plen + 7) >> 3;
  if (n > 0) u8(p, at + n - 1);
  if (at < 0 || at > p.length) throw new Cut();
  const a = new Uint8Array(size);
  a.set(p.subarray(at, at + n));
  if (plen % 8) a[n - 1] &= (0xff00 >> (plen % 8)) & 0xff;
  return a;
}

/** tcpdump's hex_print: `indent0x0000: ` then ` abcd` per two bytes, 16 bytes a line. */
function hexPrint(st: St, indent: string, at: number, n: number): void {
  let i = 0, off = 0;
  for (let k = 0; k < n >> 1; k++) {
    let lead = "";
    if (i++ % 8 === 0) {
      lead = `${indent}0x${off.toString(16).padStart(4, "0")}: `;
      off += 16;
    }
    st.s += `${lead} ${hex2(u8(st.p, at))}${hex2(u8(st.p, at + 1))}`;
    at += 2;
  }
  if (n & 1) {
    const lead = i % 8 === 0 ? `${indent}0x${off.toString(16).padStart(4, "0")}: ` : "";
    st.s += `${lead} ${hex2(u8(st.p, at))}`;
  }
}

/** tcpdump's print_unknown_data: a hex dump of no more than was captured. */
function unknownData(st: St, at: number, indent: string, n: number): void {
  if (at > st.p.length) {
    st.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
    return;
  }
  hexPrint(st, indent, at, Math.min(n, st.p.length - at));
}

/** The link bandwidth community's float (bytes per second) as tcpdump prints it: `%.3f` Mbps. */
function bandwidth(bits: number): string {
  const f = new DataView(new ArrayBuffer(4));
  f.setUint32(0, bits);
  const v = f.getFloat32(0);
  // A NaN keeps its sign through the arithmetic; glibc prints it.
  if (Number.isNaN(v)) return bits >>> 31 ? "-nan" : "nan";
  return fixedC(Math.fround(Math.fround(v * 8) / 1000000), 3);
}

/** tcpdump's isonsap_string: `49.0001.0203...`. */
function isoNsap(b: Uint8Array, at: number, n: number): string {
  if (n < 1 || n > 20) return "isonsap_string: illegal length";
  let s = "";
  for (let i = 0; i < n; i++) {
    s += hex2(b[at + i]);
    if ((i & 1) === 0 && i + 1 < n) s += ".";
  }
  return s;
}

/** GET_ISONSAP_STRING: the long jump unless all `n` bytes were captured. */
function isoNsapGet(p: Uint8Array, at: number, n: number): string {
  if (n > 0) u8(p, at + n - 1);
  if (at > p.length) throw new Cut();
  return isoNsap(p, at, n);
}

/** An RFC 4364 route distinguisher. */
function rd(p: Uint8Array, at: number): string {
  switch (u16(p, at)) {
    case 0:
      return `${u16(p, at + 2)}:${u32(p, at + 4)} (= ${ip4(p, at + 4)})`;
    case 1:
      return `${ip4(p, at + 2)}:${u16(p, at + 6)}`;
    case 2:
      return `${u32(p, at + 2)}:${u16(p, at + 6)} (${ip4(p, at + 2)}:${u16(p, at + 6)})`;
  }
  return "unknown RD format";
}

/** An MPLS label and its bottom-of-stack bit, as the labeled NLRI print them. */
function label(p: Uint8Array, at: number): string {
  const l = Math.floor(u24(p, at) / 16);
  return `label:${l} ${(u8(p, at + 2) & 1) === 0 ? "(BOGUS: Bottom of Stack NOT set!)" : "(bottom)"}`;
}

/** An NLRI decoder's result: the bytes it took, or a negative code; and its text. */
interface Nlri {
  n: number;
  text: string;
}

/** decode_prefix4/decode_prefix6: -1 for a bad length, -2 for too few bytes in `itemlen`. */
function prefix(p: Uint8Array, at: number, itemlen: number, v6: boolean): Nlri {
  if (itemlen < 1) return { n: -2, text: "" };
  const plen = u8(p, at);
  if (plen > (v6 ? 128 : 32)) return { n: -1, text: "" };
  const nb = (plen + 7) >> 3;
  if (itemlen - 1 < nb) return { n: -2, text: "" };
  const a = prefixBytes(p, at + 1, plen, v6 ? 16 : 4);
  return { n: 1 + nb, text: `${v6 ? formatIpv6Address(a) : formatIpv4Address(a)}/${plen}` };
}

/** decode_labeled_prefix4/6 (RFC 3107): -1 bad length, -2 not captured, -3 too few bytes. */
function labeledPrefix(st: St, at: number, itemlen: number, v6: boolean): Nlri {
  const p = st.p;
  if (!has(st, at, 4)) return { n: -2, text: "" };
  if (itemlen < 4) return { n: -3, text: "" };
  let plen = u8(p, at);
  if (plen < 24) return { n: -1, text: "" };
  plen -= 24;
  if (plen > (v6 ? 128 : 32)) return { n: -1, text: "" };
  const nb = (plen + 7) >> 3;
  // tcpdump checks the prefix bytes against the length for IPv4 only.
  if (!v6 && itemlen - 4 < nb) return { n: -3, text: "" };
  const a = prefixBytes(p, at + 4, plen, v6 ? 16 : 4);
  const ip = v6 ? formatIpv6Address(a) : formatIpv4Address(a);
  return { n: 4 + nb, text: `${ip}/${plen}, ${label(p, at + 1)}` };
}

/** decode_labeled_vpn_prefix4/6 and decode_labeled_vpn_clnp_prefix: label, RD, prefix. */
function vpnPrefix(p: Uint8Array, at: number, max: number, fmt: (a: Uint8Array, n: number) => string): Nlri {
  let plen = u8(p, at);
  if (plen < 88) return { n: -1, text: "" };
  plen -= 88;
  if (plen > max) return { n: -1, text: "" };
  const a = prefixBytes(p, at + 12, plen, 20);
  const text = `RD: ${rd(p, at + 4)}, ${fmt(a, (plen + 7) >> 3)}/${plen}, ${label(p, at + 1)}`;
  return { n: 12 + ((plen + 7) >> 3), text };
}

/** decode_clnp_prefix; tcpdump copies the prefix from 4 bytes in, not 1. */
function clnpPrefix(p: Uint8Array, at: number): Nlri {
  const plen = u8(p, at);
  if (plen > 152) return { n: -1, text: "" };
  const a = prefixBytes(p, at + 4, plen, 20);
  return { n: 1 + ((plen + 7) >> 3), text: `${isoNsap(a, 0, (plen + 7) >> 3)}/${plen}` };
}

/** bgp_rt_prefix_print: a route target membership prefix (RFC 4684) from its (masked) 8 bytes. */
function rtPrefix(t: Uint8Array, plen: number): string {
  if (plen === 0) return "route-target: 0:0/0";
  const octets = (plen + 7) >> 3;
  let hx = "";
  for (let i = 0; i < octets; i++) hx += hex2(t[i]) + ((i % 2 === 1 && i < octets - 1) ? " " : "");
  if (plen < 16) return `route-target: partial-type: (${hx}/${plen})`;
  const g16 = (k: number) => (t[k] << 8) | t[k + 1];
  const g32 = (k: number) => g16(k) * 65536 + g16(k + 2);
  let s: string;
  switch (g16(0)) {
    case 0x0002:
      s = `route-target: ${g16(2)}:${g32(4)}/${plen} (${hx})`;
      break;
    case 0x0102:
      s = `route-target: ${t[2]}.${t[3]}.${t[4]}.${t[5]}:${g16(6)}/${plen} (${hx})`;
      break;
    case 0x0202:
      s = `route-target: ${g32(2)}:${g16(6)}/${plen} (${hx})`;
      break;
    default:
      s = `route target: unknown-type(${g16(0).toString(16).padStart(4, "0")}) (${hx}/${plen})`;
  }
  // tcpdump's buffer holds 60 characters.
  return s.slice(0, 60);
}

/** decode_rt_routing_info (RFC 4684): prints as it goes. */
function rtRoutingInfo(st: St, at: number): number {
  const p = st.p;
  let plen = u8(p, at);
  if (plen === 0) {
    st.s += "\n\t      default route target";
    return 1;
  }
  if (plen < 32) {
    st.s += "\n\t      (illegal prefix length)";
    return -1;
  }
  const as = u32(p, at + 1);
  plen -= 32;
  if (plen > 64) {
    st.s += "\n\t      (illegal prefix length)";
    return -1;
  }
  const t = prefixBytes(p, at + 5, plen, 8);
  st.s += `\n\t      origin AS: ${as}, ${rtPrefix(t, plen)}`;
  return 5 + ((plen + 7) >> 3);
}

/** decode_mdt_vpn_nlri: RD, IPv4 address, group (a 16-byte NLRI). */
function mdtVpn(st: St, at: number): Nlri {
  const p = st.p;
  if (u8(p, at) !== 128) return { n: -1, text: "" };
  if (!has(st, at + 1, 8)) return { n: -2, text: "" };
  const text = `RD: ${rd(p, at + 1)}, VPN IP Address: ${ip4(p, at + 9)}, MC Group Address: ${
    ip4(p, at + 13)
  }`;
  return { n: 17, text };
}

/** bgp_vpn_ip_print: an address by its length in bits. */
function vpnIp(p: Uint8Array, at: number, bits: number): string {
  if (bits === 32) return ip4(p, at);
  if (bits === 128) return ip6(p, at);
  return `bogus address length ${bits >>> 0}`;
}

/** bgp_vpn_sg_print: source and group, each with a length in bits; returns the bytes it took. */
function vpnSg(st: St, at: number, buf: { s: string }): number {
  const p = st.p;
  let total = 0;
  for (const what of ["Source", "Group"]) {
    const bits = u8(p, at);
    at++;
    if (!has(st, at, bits >> 3)) return total;
    total += (bits >> 3) + 1;
    if (bits) {
      buf.s = (buf.s + `, ${what} ${vpnIp(p, at, bits)}`).slice(0, NLRI_BUF);
      at += bits >> 3;
    }
  }
  return total;
}

/** decode_multicast_vpn (RFC 6514). */
function multicastVpn(st: St, at: number): Nlri {
  const p = st.p;
  const type = u8(p, at), len = u8(p, at + 1);
  at += 2;
  const buf = { s: `Route-Type: ${tok(MVPN_ROUTE, type, "Unknown")} (${type}), length: ${len}` };
  const add = (x: string) => buf.s = (buf.s + x).slice(0, NLRI_BUF);
  const trunc = { n: -2, text: "" };
  switch (type) {
    case 1:
      if (!has(st, at, 8)) return trunc;
      // A length below the RD's makes a huge (unsigned) address length.
      add(`, RD: ${rd(p, at)}, Originator ${vpnIp(p, at + 8, ((len - 8) << 3) >>> 0)}`);
      break;
    case 2:
    case 6:
    case 7:
      if (!has(st, at, 12)) return trunc;
      add(`, RD: ${rd(p, at)}, Source-AS ${u32(p, at + 8)}`);
      if (type !== 2) vpnSg(st, at + 12, buf);
      break;
    case 3: {
      if (!has(st, at, 8)) return trunc;
      add(`, RD: ${rd(p, at)}`);
      at += 8;
      const sg = vpnSg(st, at, buf);
      // The originator is read from where the source began: tcpdump does not skip the S,G.
      const n = (len - sg) >>> 0;
      if (!has(st, at, n)) return trunc;
      add(`, Originator ${vpnIp(p, at, (n << 3) >>> 0)}`);
      break;
    }
    case 5:
      if (!has(st, at, 8)) return trunc;
      add(`, RD: ${rd(p, at)}`);
      vpnSg(st, at + 8, buf);
      break;
  }
  return { n: len + 2, text: buf.s };
}

/** decode_labeled_vpn_l2: the L2VPN/VPLS NLRI (RFC 4761, RFC 6074). */
function l2Vpn(st: St, at: number): Nlri {
  const p = st.p;
  const plen = u16(p, at);
  let tlen = plen;
  at += 2;
  const trunc = { n: -2, text: "" };
  let buf = "";
  let full = false;
  const add = (x: string) => {
    if (full) return;
    buf += x;
    if (buf.length >= NLRI_BUF) buf = buf.slice(0, NLRI_BUF), full = true;
  };
  if (plen === 12) {
    if (!has(st, at, 12)) return trunc;
    add(`RD: ${rd(p, at)}, BGPNH: ${ip4(p, at + 8)}`);
    return { n: plen + 2, text: buf };
  }
  if (plen <= 17) return trunc;
  if (!has(st, at, 15)) return trunc;
  add(
    `RD: ${rd(p, at)}, CE-ID: ${u16(p, at + 8)}, Label-Block Offset: ${u16(p, at + 10)}, ` +
      `Label Base ${Math.floor(u24(p, at + 12) / 16)}`,
  );
  at += 15;
  tlen -= 15;
  while (tlen !== 0) {
    if (tlen < 3) {
      add("\n\t\tran past the end");
      return { n: plen + 2, text: buf };
    }
    const type = u8(p, at);
    at++;
    const bits = u16(p, at);
    let bytes = (bits + 7) >> 3;
    at += 2;
    if (type === 1) {
      add(`\n\t\tcircuit status vector (${type}) length: ${bits}: 0x`);
      while (bytes !== 0) {
        if (tlen < 1) {
          add(" (ran past the end)");
          return { n: plen + 2, text: buf };
        }
        if (!has(st, at, 1)) return trunc;
        // tcpdump stops moving on once its buffer is full.
        if (!full) {
          add(hex2(p[at]));
          at++;
        }
        bytes--;
        tlen--;
      }
    } else {
      add(`\n\t\tunknown TLV #${type}, length: ${bits}`);
      if (tlen < bytes) {
        add(" (ran past the end)");
        return { n: plen + 2, text: buf };
      }
      // tcpdump does not step over the value: the next TLV is read from it.
      tlen -= bytes;
    }
  }
  return { n: plen + 2, text: buf };
}

/**
 * check_add_path: whether NLRI look like ADD-PATH ones (a 4-byte path ID before each prefix) and not like
 * plain prefixes.
 */
function checkAddPath(st: St, at: number, length: number, max: number): boolean {
  const p = st.p;
  if (length < 5) return false;
  let off = 0;
  while (off < length) {
    off += 4;
    if (!has(st, at + off, 1)) break;
    const plen = p[at + off];
    if (plen > max) return false;
    off += 1 + ((plen + 7) >> 3);
  }
  if (off > length) return false;
  off = 0;
  while (off < length) {
    if (!has(st, at + off, 1)) break;
    const plen = p[at + off];
    if (plen < 1 || plen > max) return true;
    off += 1 + ((plen + 7) >> 3);
  }
  return off > length;
}

/** bgp_mp_af_print: the AFI/SAFI line; 0 when it has a decoder, -1 when not, -2 when cut. */
function mpAf(st: St, at: number, tlen: number): { ret: number; af: number; safi: number } {
  const p = st.p;
  const af = u16(p, at), safi = u8(p, at + 2);
  st.s +=
    `\n\t    AFI: ${tok(AF_NAMES, af, "Unknown AFI")} (${af}), ${
      safi > 128 ? "vendor specific " : ""
    }SAFI: ` +
    `${tok(SAFI, safi, "Unknown SAFI")} (${safi})`;
  if (MP_DECODED.has((af << 8) | safi)) return { ret: 0, af, safi };
  if (!has(st, at, tlen)) return { ret: -2, af, safi };
  st.s += `\n\t    no AFI ${af} / SAFI ${safi} decoder`;
  if (st.v <= 1) unknownData(st, at, "\n\t    ", tlen);
  return { ret: -1, af, safi };
}

/** bgp_nlri_print: one NLRI of an MP_(UN)REACH attribute; the bytes taken, or a negative code. */
function mpNlri(
  st: St,
  af: number,
  safi: number,
  at: number,
  len: number,
  ap4: boolean,
  ap6: boolean,
): number {
  const p = st.p;
  const line = (r: Nlri, illegal = "(illegal prefix length)") => {
    if (r.n === -1) st.s += `\n\t    ${illegal}`;
    else st.s += `\n\t      ${r.text}`;
  };
  switch ((af << 8) | safi) {
    case 0x101:
    case 0x102:
    case 0x103:
    case 0x201:
    case 0x202:
    case 0x203: {
      const v6 = af === 2, ap = v6 ? ap6 : ap4;
      let id = 0;
      if (ap) {
        id = u32(p, at);
        at += 4;
      }
      const r = prefix(p, at, len, v6);
      if (r.n === -2) return -2;
      line(r);
      if (ap) {
        st.s += `   Path Id: ${id}`;
        return r.n + 4;
      }
      return r.n;
    }
    case 0x104:
    case 0x204: {
      const r = labeledPrefix(st, at, len, af === 2);
      if (r.n === -2 || r.n === -3) return r.n;
      line(r);
      return r.n;
    }
    case 0x180:
    case 0x181:
    case 0x182:
    case 0x280:
    case 0x281:
    case 0x282: {
      const v6 = af === 2;
      const r = vpnPrefix(p, at, v6 ? 128 : 32, (a) => v6 ? formatIpv6Address(a) : formatIpv4Address(a));
      line(r);
      return r.n;
    }
    case 0x184:
      return rtRoutingInfo(st, at);
    case 0x105:
    case 0x205: {
      const r = multicastVpn(st, at);
      if (r.n === -2) return -2;
      line(r);
      return r.n;
    }
    case 0x142: {
      const r = mdtVpn(st, at);
      if (r.n === -2) return -2;
      line(r);
      return r.n;
    }
    case 0x1941:
    case 0xc480:
    case 0xc481:
    case 0xc482: {
      const r = l2Vpn(st, at);
      if (r.n === -2) return -2;
      line(r, "(illegal length)");
      return r.n;
    }
    case 0x301:
    case 0x302:
    case 0x303: {
      const r = clnpPrefix(p, at);
      line(r);
      return r.n;
    }
    case 0x380:
    case 0x381:
    case 0x382: {
      const r = vpnPrefix(p, at, 152, (a, n) => isoNsap(a, 0, n));
      line(r);
      return r.n;
    }
  }
  st.s += `\n\t    ERROR: no AFI ${af} / SAFI ${safi} decoder`;
  return -4;
}

/** One next hop of MP_REACH_NLRI; returns the bytes it took, or -1 for "no decoder". */
function mpNextHop(st: St, af: number, safi: number, at: number, n: number): number {
  const p = st.p;
  const need = (k: number, f: () => string): number => {
    if (n < k) {
      st.s += "invalid len";
      return n;
    }
    st.s += f();
    return k;
  };
  switch ((af << 8) | safi) {
    case 0x101:
    case 0x102:
    case 0x103:
    case 0x104:
    case 0x184:
    case 0x105:
    case 0x142:
    case 0x1941:
    case 0xc480:
    case 0xc481:
    case 0xc482:
      return need(4, () => ip4(p, at));
    case 0x180:
    case 0x181:
    case 0x182:
      return need(12, () => `RD: ${rd(p, at)}, ${ip4(p, at + 8)}`);
    case 0x201:
    case 0x202:
    case 0x203:
    case 0x204:
      return need(16, () => ip6(p, at));
    case 0x280:
    case 0x281:
    case 0x282:
      return need(24, () => `RD: ${rd(p, at)}, ${ip6(p, at + 8)}`);
    case 0x301:
    case 0x302:
    case 0x303:
      st.s += isoNsapGet(p, at, n);
      return n;
    case 0x380:
    case 0x381:
    case 0x382: {
      if (n < 9) {
        st.s += "invalid len";
        return n;
      }
      if (!has(st, at, n)) return -2;
      st.s += `RD: ${rd(p, at)}, ${isoNsapGet(p, at + 8, n - 8)}`;
      // RFC 986 (IPv4) and RFC 1888 (IPv6) addresses mapped into NSAPs; the address may lie past the next hop.
      if (u32(p, at + 8) === 0x47000601) st.s += ` = ${ip4(p, at + 12)}`;
      else if (u24(p, at + 8) === 0x350000) st.s += ` = ${ip6(p, at + 11)}`;
      return n;
    }
  }
  st.s += `ERROR: no AFI ${af}/SAFI ${safi} nexthop decoder`;
  return -1;
}

/** The flags of a path attribute: `O`ptional, `T`ransitive, `P`artial, `E`xtended length, `+` the rest. */
function attrFlags(f: number): string {
  let s = `, Flags [${f & 0x80 ? "O" : ""}${f & 0x40 ? "T" : ""}${f & 0x20 ? "P" : ""}${f & 0x10 ? "E" : ""}`;
  if (f & 0xf) s += `+${(f & 0xf).toString(16)}`;
  return s + "]";
}

/** bgp_extended_community_print: the value of an extended community. */
function extCommunity(p: Uint8Array, at: number): string {
  const type = u16(p, at);
  switch (type) {
    case 0x0002:
    case 0x0003:
    case 0x000a:
      return `${u16(p, at + 2)}:${u32(p, at + 4)} (= ${ip4(p, at + 4)})`;
    case 0x0102:
    case 0x0103:
    case 0xf10a:
    case 0x010b:
      return `${ip4(p, at + 2)}:${u16(p, at + 6)}`;
    case 0x0202:
    case 0x0203:
      return `${u32(p, at + 2)}:${u16(p, at + 6)}`;
    case 0x4004:
      return `bandwidth: ${bandwidth(u32(p, at + 4))} Mbps`;
    case 0x0005:
    case 0x0105:
    case 0x0205:
    case 0x8005:
    case 0x0107:
    case 0x8001:
      return ip4(p, at + 2);
    case 0x0306:
    case 0x8000: {
      const rt = u8(p, at + 6), opts = u8(p, at + 7);
      return `area:${ip4(p, at + 2)}, router-type:${tok(OSPF_RTYPE, rt, `unknown (0x${hex2(rt)})`)}, ` +
        `metric-type:${opts & 1 ? "E2" : ""}${rt === 5 || rt === 7 ? "E1" : ""}`;
    }
    case 0x800a:
      return `${tok(L2_ENCAPS, u8(p, at + 2), "unknown encaps")} Control Flags [0x${
        hex2(u8(p, at + 3))
      }]:MTU ` +
        `${u16(p, at + 4)}`;
    case 0x0009:
      return `AS ${u16(p, at + 2)}`;
    case 0x030c:
      return `Tunnel type: ${tok(ENCAP_TUNNEL, u16(p, at + 6), "unknown encaps")}`;
  }
  let s = "";
  for (let k = 2; k < 8; k++) s += hex2(u8(p, at + k));
  return s;
}

/** bgp_attr_print: the value of a path attribute; false when tcpdump's printer gives up (its `trunc`). */
function attrValue(st: St, type: number, at: number, len: number, level: number): boolean {
  const p = st.p;
  let t = at, tlen = len;
  done: switch (type) {
    case 1:
      st.s += len !== 1 ? "invalid len" : tok(ORIGIN, u8(p, t), "Unknown Origin Typecode");
      break;
    case 2:
    case 17: {
      if (len % 2) {
        st.s += "invalid len";
        break;
      }
      if (!len) {
        st.s += "empty";
        break;
      }
      const size = asSize(st, type, at, len);
      while (t < at + len) {
        const seg = u8(p, t), n = u8(p, t + 1);
        st.s += tok(SEG_OPEN, seg, "?");
        for (let i = 0; i < n * size; i += size) {
          if (!has(st, t + 2 + i, size)) return false;
          st.s += `${size === 2 ? u16(p, t + 2 + i) : u32(p, t + 2 + i)} `;
        }
        st.s += tok(SEG_CLOSE, seg, "?");
        t += 2 + n * size;
      }
      break;
    }
    case 3:
    case 9:
      st.s += len !== 4 ? "invalid len" : ip4(p, t);
      break;
    case 4:
    case 5:
      st.s += len !== 4 ? "invalid len" : `${u32(p, t)}`;
      break;
    case 6:
      if (len !== 0) st.s += "invalid len";
      break;
    case 7:
    case 18:
      if (len !== 8 && (len !== 6 || type === 18)) {
        st.s += "invalid len";
        break;
      }
      if (!has(st, t, len)) return false;
      st.s += len === 6
        ? ` AS #${u16(p, t)}, origin ${ip4(p, t + 2)}`
        : ` AS #${u32(p, t)}, origin ${ip4(p, t + 4)}`;
      break;
    case 8:
      if (len % 4) {
        st.s += "invalid len";
        break;
      }
      while (tlen !== 0) {
        if (!has(st, t, 4)) return false;
        const c = u32(p, t);
        if (c === 0xffffff01) st.s += " NO_EXPORT";
        else if (c === 0xffffff02) st.s += " NO_ADVERTISE";
        else if (c === 0xffffff03) st.s += " NO_EXPORT_SUBCONFED";
        else st.s += `${Math.floor(c / 65536)}:${c & 0xffff}${tlen > 4 ? ", " : ""}`;
        tlen -= 4;
        t += 4;
      }
      break;
    case 10:
      if (len % 4) {
        st.s += "invalid len";
        break;
      }
      while (tlen !== 0) {
        st.s += `${ip4(p, t)}${tlen > 4 ? ", " : ""}`;
        tlen -= 4;
        t += 4;
      }
      break;
    case 14: {
      if (!has(st, t, 3) || tlen < 3) return false;
      const { ret, af, safi } = mpAf(st, t, tlen);
      if (ret === -2) return false;
      if (ret < 0) break;
      t += 3;
      tlen -= 3;
      if (!has(st, t, 1) || tlen < 1) return false;
      const nhlen = u8(p, t);
      t++;
      tlen--;
      if (nhlen) {
        if (tlen < nhlen) return false;
        st.s += "\n\t    nexthop: ";
        let left = nhlen, nnh = 0;
        while (left !== 0) {
          if (nnh++ > 0) st.s += ", ";
          const k = mpNextHop(st, af, safi, t, left);
          if (k === -2) return false;
          if (k < 0) {
            t += left;
            tlen -= left;
            break done;
          }
          t += k;
          tlen -= k;
          left -= k;
        }
      }
      st.s += `, nh-length: ${nhlen}`;
      if (tlen < 1) return false;
      let snpa = u8(p, t);
      t++;
      tlen--;
      if (snpa) {
        st.s += `\n\t    ${snpa} SNPA`;
        for (; snpa !== 0; snpa--) {
          if (tlen < 1) return false;
          const sl = u8(p, t);
          st.s += `\n\t      ${sl} bytes`;
          t++;
          tlen--;
          if (tlen < sl || !has(st, t, sl)) return false;
          t += sl;
          tlen -= sl;
        }
      } else st.s += ", no SNPA";
      if (!mpNlriList(st, af, safi, at, len, t)) return false;
      break;
    }
    case 15: {
      if (!has(st, t, 3)) return false;
      const { ret, af, safi } = mpAf(st, t, tlen);
      if (ret === -2) return false;
      if (ret < 0) break;
      if (len === 3) st.s += "\n\t      End-of-Rib Marker (empty NLRI)";
      if (!mpNlriList(st, af, safi, at, len, t + 3)) return false;
      break;
    }
    case 16:
      if (len % 8) {
        st.s += "invalid len";
        break;
      }
      while (tlen !== 0) {
        if (!has(st, t, 2) || tlen < 2) return false;
        const ec = u16(p, t);
        const flags = [ec & 0x8000 ? "vendor-specific" : "", ec & 0x4000 ? "non-transitive" : ""]
          .filter((x) => x).join(", ") || "none";
        st.s +=
          `\n\t    ${tok(EXT_COMM, ec, "unknown extd community typecode")} (0x${
            ec.toString(16).padStart(4, "0")
          }),` +
          ` Flags [${flags}]`;
        if (!has(st, t, 8) || tlen < 8) return false;
        st.s += ": ";
        st.s += extCommunity(p, t);
        tlen -= 8;
        t += 8;
      }
      break;
    case 22: {
      if (!has(st, t, 5) || tlen < 5) return false;
      const flags = u8(p, t), tt = u8(p, t + 1);
      st.s += `\n\t    Tunnel-type ${tok(PMSI_TUNNEL, tt, "Unknown")} (${tt}), Flags [${
        flags & 1 ? "Leaf Information required" : "none"
      }], MPLS Label ${Math.floor(u24(p, t + 2) / 16)}`;
      t += 5;
      tlen -= 5;
      switch (tt) {
        case 4:
        case 5:
          st.s += `\n\t      Sender ${ip4(p, t)}, P-Group ${ip4(p, t + 4)}`;
          break;
        case 3:
          st.s += `\n\t      Root-Node ${ip4(p, t)}, P-Group ${ip4(p, t + 4)}`;
          break;
        case 6:
          st.s += `\n\t      Tunnel-Endpoint ${ip4(p, t)}`;
          break;
        case 2:
        case 7:
          st.s += `\n\t      Root-Node ${ip4(p, t)}, LSP-ID 0x${u32(p, t + 4).toString(16).padStart(8, "0")}`;
          break;
        case 1:
          st.s += `\n\t      Extended-Tunnel-ID ${ip4(p, t)}, P2MP-ID 0x${
            u32(p, t + 4).toString(16).padStart(8, "0")
          }`;
          break;
        default:
          if (st.v <= 1) unknownData(st, t, "\n\t      ", tlen);
      }
      break;
    }
    case 26:
      while (tlen >= 3) {
        const tt = u8(p, t);
        let l = u16(p, t + 1);
        t += 3;
        tlen -= 3;
        st.s += `\n\t    ${tt === 1 ? "AIGP" : "Unknown"} TLV (${tt}), length ${l}`;
        if (l < 3) return false;
        l -= 3;
        if (tlen < l) return false;
        if (tt === 1) {
          if (l < 8) return false;
          st.s += `, metric ${(BigInt(u32(p, t)) << 32n) | BigInt(u32(p, t + 4))}`;
        } else if (st.v <= 1) unknownData(st, t, "\n\t      ", l);
        t += l;
        tlen -= l;
      }
      break;
    case 128:
      if (!has(st, t, 4) || len < 4) return false;
      st.s += `\n\t    Origin AS: ${u32(p, t)}`;
      t += 4;
      len -= 4;
      while (len) {
        if (!has(st, t, 2)) return false;
        if (len < 2) {
          st.s += " [path attr too short]";
          break;
        }
        const flags = u8(p, t), atype = u8(p, t + 1);
        t += 2;
        len -= 2;
        const ll = flags & 0x10 ? 2 : 1;
        if (!has(st, t, ll)) return false;
        if (len < ll) {
          st.s += " [path attr too short]";
          break;
        }
        const alen = ll === 2 ? u16(p, t) : u8(p, t);
        t += ll;
        len -= ll;
        st.s += `\n\t      ${tok(ATTR, atype, "Unknown Attribute")} (${atype}), length: ${alen}`;
        if (flags) st.s += attrFlags(flags);
        st.s += ": ";
        if (len < alen) {
          st.s += " [path attr too short]";
          break;
        }
        if (level === 10) st.s += "(too many nested levels, not recursing)";
        else if (!attrValue(st, atype, t, alen, level + 1)) return false;
        t += alen;
        len -= alen;
      }
      break;
    case 32:
      if (len === 0 || len % 12) {
        st.s += "invalid len";
        break;
      }
      st.s += "\n\t    ";
      while (len !== 0) {
        st.s += `${u32(p, t)}:${u32(p, t + 4)}:${u32(p, t + 8)}${len > 12 ? ", " : ""}`;
        t += 12;
        len -= 12;
      }
      break;
    default:
      if (!has(st, at, len)) return false;
      st.s += `\n\t    no Attribute ${type} decoder`;
      if (st.v <= 1) unknownData(st, at, "\n\t    ", len);
  }
  if (st.v > 1 && len) {
    if (!has(st, at, len)) return false;
    unknownData(st, at, "\n\t    ", len);
  }
  return true;
}

/** The NLRI of MP_REACH_NLRI/MP_UNREACH_NLRI from `t` to the attribute's end (`at` + `len`). */
function mpNlriList(st: St, af: number, safi: number, at: number, len: number, t: number): boolean {
  // C's unsigned arithmetic: a length shorter than what was read wraps.
  const rest = (len - (t - at)) >>> 0;
  const ap4 = checkAddPath(st, t, rest, 32), ap6 = checkAddPath(st, t, rest, 128);
  while (t < at + len) {
    const k = mpNlri(st, af, safi, t, len, ap4, ap6);
    if (k === -2) return false;
    if (k < 0) break;
    t += k;
  }
  return true;
}

/** bgp_attr_get_as_size: 2 when the segments fit the attribute exactly with 2-byte ASes, else 4. */
function asSize(st: St, type: number, at: number, len: number): number {
  if (type === 17) return 4;
  let t = at;
  while (t < at + len) {
    const seg = u8(st.p, t);
    if (seg < 1 || seg > 4) return 4;
    t += 2 + u8(st.p, t + 1) * 2;
  }
  return t === at + len ? 2 : 4;
}

/** bgp_capabilities_print. */
function capabilities(st: St, opt: number, capsLen: number): void {
  const p = st.p;
  const afiSafi = (k: number) => {
    const af = u16(p, k), safi = u8(p, k + 2);
    return `AFI ${tok(AF_NAMES, af, "Unknown")} (${af}), SAFI ${tok(SAFI, safi, "Unknown")} (${safi})`;
  };
  let i = 0;
  while (i < capsLen) {
    if (!has(st, opt + i, 2)) {
      st.s += " [|bgp]";
      return;
    }
    const type = p[opt + i], len = p[opt + i + 1];
    st.s += `\n\t      ${tok(CAP, type, "Unknown")} (${type}), length: ${len}`;
    if (!has(st, opt + i + 2, len)) {
      st.s += " [|bgp]";
      return;
    }
    const at = opt + i + 2;
    switch (type) {
      case 1: {
        if (len < 4) {
          st.s += " (too short, < 4)";
          return;
        }
        const af = u16(p, at), safi = u8(p, at + 3);
        st.s += `\n\t\tAFI ${tok(AF_NAMES, af, "Unknown")} (${af}), SAFI ${
          tok(SAFI, safi, "Unknown")
        } (${safi})`;
        break;
      }
      case 8:
        for (let k = at, n = len; n >= 4; n -= 4, k += 4) {
          st.s += `\n\t\t${afiSafi(k)}, Count: ${u8(p, k + 3)}`;
        }
        break;
      case 64: {
        if (len < 2) {
          st.s += " (too short, < 2)";
          return;
        }
        st.s += `\n\t\tRestart Flags: [${p[at] & 0x80 ? "R" : "none"}], Restart Time ${u16(p, at) & 0xfff}s`;
        for (let k = at + 2, n = len - 2; n >= 4; n -= 4, k += 4) {
          st.s += `\n\t\t  ${afiSafi(k)}, Forwarding state preserved: ${p[k + 3] & 0x80 ? "yes" : "no"}`;
        }
        break;
      }
      case 2:
      case 71:
      case 128:
        break;
      case 65:
        if (len < 4) {
          st.s += " (too short, < 4)";
          return;
        }
        st.s += `\n\t\t 4 Byte AS ${u32(p, at)}`;
        break;
      case 69:
        if (len === 0) {
          st.s += " (bogus)";
          break;
        }
        for (let k = at, n = len; n !== 0; n -= 4, k += 4) {
          if (n < 4) {
            st.s += " (invalid)";
            break;
          }
          const sr = p[k + 3];
          st.s += `\n\t\t${afiSafi(k)}, Send/Receive: ${tok(ADD_PATH, sr, `Bogus (0x${hex2(sr)})`)}`;
        }
        break;
      default:
        st.s += `\n\t\tno decoder for Capability ${type}`;
        if (st.v <= 1) unknownData(st, at, "\n\t\t", len);
    }
    if (st.v > 1 && len !== 0) unknownData(st, at, "\n\t\t", len);
    i += 2 + len;
  }
}

/** bgp_open_print. */
function open(st: St, at: number, length: number): void {
  const p = st.p;
  if (!has(st, at, OPEN_SIZE) || length < OPEN_SIZE) {
    st.s += " [|bgp]";
    return;
  }
  st.s += `\n\t  Version ${p[at + 19]}, my AS ${u16(p, at + 20)}, Holdtime ${u16(p, at + 22)}s, ID ${
    ip4(p, at + 24)
  }`;
  const optsLen = p[at + 28];
  st.s += `\n\t  Optional parameters, length: ${optsLen}`;
  const opt = at + OPEN_SIZE;
  length -= OPEN_SIZE;
  let i = 0;
  while (i < optsLen) {
    if (!has(st, opt + i, 2) || length < 2 + i) {
      st.s += " [|bgp]";
      return;
    }
    const type = p[opt + i], len = p[opt + i + 1];
    if (2 + i + len > optsLen) {
      st.s += `\n\t     Option ${type}, length: ${len}, goes past the end of the options`;
      break;
    }
    st.s += `\n\t    Option ${tok(OPT, type, "Unknown")} (${type}), length: ${len}`;
    if (type === 2) capabilities(st, opt + 2 + i, len);
    else st.s += `\n\t      no decoder for option ${type}`;
    i += 2 + len;
  }
}

/** bgp_update_print. */
function update(st: St, at: number, length: number): void {
  const p = st.p;
  const trunc = () => st.s += " [|bgp]";
  let q = at + HEADER;
  length -= HEADER;
  if (!has(st, q, 2) || length < 2) return void trunc();
  let wlen = u16(p, q);
  q += 2;
  length -= 2;
  if (wlen > 1) {
    if (!has(st, q, wlen) || length < wlen) return void trunc();
    st.s += "\n\t  Withdrawn routes:";
    const ap = checkAddPath(st, q, wlen, 32);
    while (wlen !== 0) {
      let id = 0;
      if (ap) {
        if (wlen < 4) {
          q += wlen;
          length -= wlen;
          break;
        }
        id = u32(p, q);
        q += 4;
        length -= 4;
        wlen -= 4;
      }
      const r = prefix(p, q, wlen, false);
      if (r.n === -1) {
        st.s += "\n\t    (illegal prefix length)";
        break;
      }
      if (r.n === -2) return void trunc();
      st.s += `\n\t    ${r.text}`;
      if (ap) st.s += `   Path Id: ${id}`;
      q += r.n;
      length -= r.n;
      wlen -= r.n;
    }
  } else {
    if (!has(st, q, wlen) || length < wlen) return void trunc();
    q += wlen;
    length -= wlen;
  }
  if (!has(st, q, 2) || length < 2) return void trunc();
  let len = u16(p, q);
  q += 2;
  length -= 2;
  if (wlen === 0 && len === 0 && length === 0) {
    st.s += "\n\t  End-of-Rib Marker (empty NLRI)";
    return;
  }
  if (len) {
    if (length < len) return void trunc();
    while (len) {
      if (!has(st, q, 2) || length < 2) return void trunc();
      if (len < 2) {
        st.s += "\n\t  [path attrs too short]";
        q += len;
        length -= len;
        break;
      }
      const flags = p[q], type = p[q + 1];
      q += 2;
      len -= 2;
      length -= 2;
      const ll = flags & 0x10 ? 2 : 1;
      if (!has(st, q, ll) || length < ll) return void trunc();
      if (len < ll) {
        st.s += "\n\t  [path attrs too short]";
        q += len;
        length -= len;
        break;
      }
      const alen = ll === 2 ? u16(p, q) : p[q];
      q += ll;
      len -= ll;
      length -= ll;
      st.s += `\n\t  ${tok(ATTR, type, "Unknown Attribute")} (${type}), length: ${alen}`;
      if (flags) st.s += attrFlags(flags) + ": ";
      if (len < alen) {
        st.s += " [path attrs too short]";
        q += len;
        length -= len;
        break;
      }
      if (length < alen) return void trunc();
      if (!attrValue(st, type, q, alen, 0)) return void trunc();
      q += alen;
      len -= alen;
      length -= alen;
    }
  }
  if (length) {
    const ap = checkAddPath(st, q, length, 32);
    st.s += "\n\t  Updated routes:";
    while (length !== 0) {
      let id = 0;
      if (ap) {
        if (!has(st, q, 4) || length < 4) return void trunc();
        id = u32(p, q);
        q += 4;
        length -= 4;
      }
      const r = prefix(p, q, length, false);
      if (r.n === -1) {
        st.s += "\n\t    (illegal prefix length)";
        break;
      }
      if (r.n === -2) return void trunc();
      st.s += `\n\t    ${r.text}`;
      if (ap) st.s += `   Path Id: ${id}`;
      q += r.n;
      length -= r.n;
    }
  }
}

/** bgp_notification_print. */
function notification(st: St, at: number, length: number): void {
  const p = st.p;
  if (!has(st, at, NOTIFICATION_SIZE)) {
    st.s += " [|bgp]";
    return;
  }
  if (length < NOTIFICATION_SIZE) return;
  const major = p[at + 19], minor = p[at + 20];
  st.s += `, ${tok(NOTIFY_MAJOR, major, "Unknown Error")} (${major})`;
  const m = NOTIFY_MINOR[major];
  if (!m) return;
  st.s += `${m[1]} subcode ${tok(m[0], minor, "Unknown")} (${minor})`;
  if (major !== 6) return;
  const t = at + NOTIFICATION_SIZE;
  if (minor === 1 && length >= NOTIFICATION_SIZE + 7) {
    const af = u16(p, t), safi = u8(p, t + 2);
    st.s += `, AFI ${tok(AF_NAMES, af, "Unknown")} (${af}), SAFI ${tok(SAFI, safi, "Unknown")} (${safi}), ` +
      `Max Prefixes: ${u32(p, t + 3)}`;
  }
  // RFC 9003: a shutdown communication for humans.
  if ((minor === 2 || minor === 4) && length >= NOTIFICATION_SIZE + 1) {
    const n = u8(p, t);
    let rest = 0;
    if (n > length - (NOTIFICATION_SIZE + 1)) st.s += ", invalid Shutdown Communication length";
    else if (n === 0) {
      st.s += ", empty Shutdown Communication";
      rest = 1;
    } else {
      st.s += `, Shutdown Communication (length: ${n}): "`;
      for (let k = 0; k < n; k++) st.s += textChar(u8(p, t + 1 + k));
      st.s += '"';
      // tcpdump keeps this offset in a byte: 255 + 1 is 0.
      rest = (n + 1) & 0xff;
    }
    const data = (length - (rest + NOTIFICATION_SIZE)) >>> 0;
    if (data > 0) {
      st.s += `, Data: (length: ${data})`;
      hexPrint(st, "\n\t\t", t + rest, data);
    }
  }
}

/** bgp_route_refresh_print. */
function routeRefresh(st: St, at: number, len: number): void {
  const p = st.p;
  if (!has(st, at, ROUTE_REFRESH_SIZE)) {
    st.s += " [|bgp]";
    return;
  }
  if (len < ROUTE_REFRESH_SIZE) return;
  const af = u16(p, at + 19), safi = p[at + 22];
  st.s += `\n\t  AFI ${tok(AF_NAMES, af, "Unknown")} (${af}), SAFI ${tok(SAFI, safi, "Unknown")} (${safi})`;
  if (st.v > 1) unknownData(st, at, "\n\t  ", len);
}

/** bgp_pdu_print: one message wholly captured. */
function message(st: St, at: number, length: number): void {
  const type = st.p[at + 18];
  st.s += `\n\t${tok(MSG, type, "Unknown")} Message (${type}), length: ${length}`;
  switch (type) {
    case 1:
      return open(st, at, length);
    case 2:
      return update(st, at, length);
    case 3:
      return notification(st, at, length);
    case 4:
      return;
    case 5:
      return routeRefresh(st, at, length);
  }
  st.s += `\n\t  no Message ${type} decoder`;
  unknownData(st, at, "\n\t  ", length);
}

/** Whether the 16 bytes at `at` are the all-ones marker (all captured). */
function isMarker(p: Uint8Array, at: number): boolean {
  for (let k = 0; k < 16; k++) if (p[at + k] !== 0xff) return false;
  return true;
}

/**
 * tcpdump's text for the data of a TCP segment to or from port 179: what follows `length N`.
 *
 * @param p the segment's captured data (no more than `length`)
 * @param length the data's length on the wire (tcpdump reads by what was captured, so this goes unused)
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `: BGP`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bgpText } from "./_bgp.ts";
 * const keepalive = new Uint8Array([...new Array(16).fill(0xff), 0, 19, 4]);
 * assert.equal(bgpText(keepalive, 19, { verbosity: 0 }).text, ": BGP");
 * assert.equal(bgpText(keepalive, 19, { verbosity: 1 }).text, ": BGP\n\tKeepalive Message (4), length: 19");
 * assert.deepEqual(bgpText(keepalive.subarray(0, 17), 19, { verbosity: 1 }), { text: ": BGP [|bgp]", jump: false });
 * ```
 */
export function bgpText(p: Uint8Array, length: number, c: BgpContext): Printed {
  void length;
  const st: St = { p, s: ": BGP", v: c.verbosity };
  if (c.verbosity < 1) return { text: st.s, jump: false };
  try {
    let at = 0, start = 0;
    while (at < p.length) {
      if (p[at] !== 0xff) {
        at++;
        continue;
      }
      if (at + 16 > p.length) break;
      if (!isMarker(p, at)) {
        at++;
        continue;
      }
      if (at + HEADER > p.length) {
        st.s += " [|bgp]";
        break;
      }
      if (start !== at) st.s += " [|bgp]";
      const hlen = u16(p, at + 16);
      if (hlen < HEADER) {
        st.s += `\nmessage length ${hlen} < ${HEADER} (invalid)`;
        break;
      }
      if (at + hlen > p.length) {
        st.s += `\n[|BGP ${tok(MSG, p[at + 18], "Unknown Message Type")}]`;
        break;
      }
      message(st, at, hlen);
      at += hlen;
      start = at;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: st.s + " [|bgp]", jump: true };
  }
  return { text: st.s, jump: false };
}
