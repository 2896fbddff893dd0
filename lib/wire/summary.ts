/**
 * tcpdump's one-line packet text (4.99, with `-n`): what follows the timestamp and, for `-i any` captures,
 * the interface and direction columns. Built from a {@link DecodeResult}; no printing, no I/O.
 *
 * - Default: `IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, win 8192, options [mss 1460], length 0`.
 * - `link` (`-e`): the link header first: `aa:.. > bb:.., ethertype IPv4 (0x0800), length 74: `.
 * - `verbose` (`-v`): IPv4's `(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)` line
 *   (options, bad header checksum), IPv6's `(hlim 64, next-header TCP (6) payload length: 20)`, TCP's
 *   `cksum 0x.. (correct)`, IPv6 `[udp sum ok]`/`[icmp6 sum ok]`, extension header options, ARP's hardware
 *   and protocol kinds, DNS answer names, and the datagram quoted in an ICMP error. Some protocols print
 *   further lines, each starting with a newline and a tab, all part of the one string returned: NTP's
 *   header fields and DHCPv6's options (`_ntp.ts`, `_dhcp6.ts`), BOOTP/DHCP's addresses and options
 *   (`_bootp.ts`), every text line of an HTTP request or response (`_txtproto.ts`), a router advertisement's
 *   fields and the neighbour discovery options (`_nd.ts`), and a reset segment's data (` [RST ...]`).
 *   `verbosity` 2 and 3 (`-vv`, `-vvv`) add what tcpdump adds: hex dumps of ND options, BOOTP's flags
 *   value and PAD/END options, checksums and DNS details.
 * - `quiet` (`-q`): `IP a.1 > b.2: tcp 0`, `UDP, length 5`.
 * - TCP sequence numbers are relative to the first seen in a conversation unless `absolute` (`-S`): the
 *   {@link PacketSummarizer} keeps a {@link TcpSeqTracker} across packets, with tcpdump's rules (only
 *   segments with ACK take part; a SYN restarts the conversation).
 * - A cut or broken packet reads as tcpdump writes it: ` [|tcp]`, `IP bad-hlen 12`,
 *   `IP truncated-ip - 14 bytes missing! ...`.
 *
 * Application and encapsulation dissectors reproduced, each in its own module: DNS and mDNS (`_dns_text.ts`); over
 * TCP by port in tcpdump's order: telnet and RESP (`_telnet.ts`), SMTP, WHOIS, FTP, HTTP and RTSP (`_txtproto.ts`),
 * BGP (`_bgp.ts`), PPTP (`_pptp.ts`), SSH's identification; over UDP (`_apps.ts`): TFTP, BOOTP/DHCP, RIP/RIPng,
 * ISAKMP/IKE, SNMP, NTP, L2TP, DHCPv6, RADIUS, HSRP, BFD, sFlow, SIP, syslog, PTP, VXLAN (`vxlan.ts`) and
 * VXLAN-GPE with what they carry, Geneve (`geneve.ts`) and MPLS in UDP likewise; over IP: IGMP (`_igmp.ts`), OSPF
 * (`_ospf.ts`), PIM (`_pim.ts`, with a register's packet), SCTP (`_sctp.ts`), DCCP (`_dccp.ts`), EIGRP
 * (`_eigrp.ts`), VRRP (`_vrrp.ts`), GRE (`gre.ts`) with what it carries, AH, ESP and IPComp; MPLS (0x8847/0x8848,
 * in GRE and PPP, `mpls.ts`); IEEE 802.3 LLC/SNAP, spanning tree, CDP, LLDP, EAPOL, Slow Protocols, PTP, CFM, OSI
 * (`_osi.ts`), PPP and PPPoE with their control protocols (with `dumpUndecoded`, the hex dump tcpdump adds after a
 * frame it cannot dissect), and the Ethernet configuration testing protocol (`_ctp.ts`). Others print as `UDP,
 * length N` or `ip-proto-N`.
 *
 * @module
 */
import { formatHexColon, formatIpv4Address, formatIpv6Address, formatMac } from "./address.ts";
import {
  type ArpLayer,
  type DecodeResult,
  type GreLayer,
  type Icmpv4Layer,
  type Icmpv6Layer,
  type Ipv4Layer,
  type Ipv6Layer,
  type Layer,
  PacketDecoder,
  type PacketType,
  type Sll2Layer,
  type SllLayer,
  type TcpLayer,
  type UdpLayer,
} from "./decoder.ts";
import { internetChecksum } from "./checksum.ts";
import { transportChecksum } from "./_l4.ts";
import { ipv4ChecksumValid } from "./ipv4.ts";
import { tcpChecksum, TcpFlag, tcpFlagsText } from "./tcp.ts";
import { tcpMd5Check, type TcpMd5Ip, tcpOptionsText } from "./_tcp_options.ts";
import { formatGre, GreFlag, walkGre } from "./gre.ts";
import { type UdpApp, type UdpAppContext, udpAppFor, udpAppText, udpIsNfsRpc } from "./_apps.ts";
import { vxlanGpeText, vxlanText } from "./vxlan.ts";
import { geneveText } from "./geneve.ts";
import { MPLS_LABEL_NAMES, mplsPayloadGuess } from "./mpls.ts";
import { FTP, HTTP, RTSP, SMTP, textProtocolText, WHOIS } from "./_txtproto.ts";
import { isNd, ndText } from "./_nd.ts";
import { Cut, type Printed, textChar } from "./_text.ts";
import { vrrpText } from "./_vrrp.ts";
import { IsakmpCookies } from "./_isakmp.ts";
import { type NfsContext, nfsTcpText, nfsUdpText, NfsXids } from "./_nfs.ts";
import { ldpText, msdpText, rpkiRtrText } from "./_ldp.ts";
import { nshText } from "./_nsh.ts";
import { wlanText } from "./_wlan.ts";
import { dnsText } from "./_dns_text.ts";
import { igmpText } from "./_igmp.ts";
import { eigrpText } from "./_eigrp.ts";
import { ospfText } from "./_ospf.ts";
import { pimText } from "./_pim.ts";
import { sctpText } from "./_sctp.ts";
import { bgpText } from "./_bgp.ts";
import { respText, telnetText } from "./_telnet.ts";
import { llcText } from "./_llc_text.ts";
import { hexdump } from "./hexdump.ts";
import { isVlanTpid } from "./vlan.ts";
import { ETHERTYPE_NAMES, ETHERTYPES_NAMED_ONLY } from "./_ethertypes.ts";
import { ctpText } from "./_ctp.ts";
import { lldpText } from "./_lldp.ts";
import { formatLoopback, isBsdInet6 } from "./loopback.ts";
import { formatChdlc, formatPpp, PPP_ADDRESS, pppIpVersion, pppProtocolName } from "./ppp.ts";
import { pppoeText } from "./pppoe.ts";
import { pppCtrlText } from "./_ppp_ctrl.ts";
import { eapolText } from "./_eapol.ts";
import { osiText } from "./_osi.ts";
import { ptpText } from "./_ptp.ts";
import { cfmText } from "./_cfm.ts";
import { pptpText } from "./_pptp.ts";
import { dccpText } from "./_dccp.ts";
import { slowText } from "./_slow.ts";
import { icmp6Text } from "./_icmp6.ts";
import { bcmLiText } from "./_bcm_li.ts";

/** Options of {@link summarize} and {@link PacketSummarizer}. */
export interface SummaryOptions {
  /** `-e`: print the link-level header. */
  link?: boolean;
  /** `-v`: print the IP header fields. */
  verbose?: boolean;
  /**
   * How many `-v` were given (default 1): from 2 (`-vv`), IPv4 UDP checksums are checked and every TCP
   * segment shows its sequence number.
   */
  verbosity?: number;
  /** `-q`: less protocol detail. */
  quiet?: boolean;
  /**
   * tcpdump's hex and ASCII dump of an IEEE 802.3 frame it cannot dissect further (further lines
   * `\n\t0x0000:  3830 322e ...  802.`). tcpdump prints it unless `-x`/`-X` is given (and, except for a cut
   * LLC header, unless `-q`); off by default, so that a caller asks for it when it prints no dump of its own.
   */
  dumpUndecoded?: boolean;
  /** `-S`: absolute TCP sequence numbers. */
  absolute?: boolean;
  /** `-K`: verify no IPv4 header, TCP or UDP checksum (their `-v` notes are left out, as tcpdump does). */
  noChecksums?: boolean;
  /** The packet's length on the wire (for `-e`); defaults to the captured length of the decoded frame. */
  wireLen?: number;
  /** Conversation state for relative sequence numbers; without it numbers are absolute. */
  tracker?: TcpSeqTracker;
  /** The IKEv1 exchanges seen (ISAKMP's I/R marks); without it each packet is read alone. */
  isakmp?: IsakmpCookies;
  /** The NFS calls seen (for their replies); without it each packet is read alone. */
  nfs?: NfsXids;
  /**
   * `-T`: print every UDP datagram as this protocol whatever its ports, and TCP data only for `domain` and
   * `resp` (tcpdump prints no other TCP application then). Decode with the same type (`PacketDecoder`).
   */
  packetType?: PacketType;
  /** `-M`: the TCP-MD5 shared secret (RFC 2385) that signatures are checked with. */
  tcpSecret?: string;
}

/** What the tracker returns for one segment. */
export interface TcpSeqView {
  /** Sequence number to print. */
  seq: number;
  /** Acknowledgment number to print. */
  ack: number;
  /** The conversation's base numbers and direction, for SACK blocks. */
  baseSeq: number;
  /** The conversation's base acknowledgment number. */
  baseAck: number;
  /** The segment goes against the conversation's canonical direction. */
  reversed: boolean;
}

const u32 = (x: number) => x >>> 0;

/**
 * tcpdump's relative sequence numbers: one entry per conversation (both directions share it), created by
 * the first segment with ACK seen (or any SYN+ACK), whose numbers then print absolute; later segments print
 * the difference.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TcpSeqTracker } from "./summary.ts";
 * const t = new TcpSeqTracker();
 * const a = new Uint8Array([10, 0, 0, 1]), b = new Uint8Array([10, 0, 0, 2]);
 * t.apply(b, a, 80, 40000, 0x12, 300, 101); // SYN+ACK: absolute, creates the entry
 * const v = t.apply(a, b, 40000, 80, 0x10, 101, 301);
 * assert(v.seq === 1 && v.ack === 1);
 * ```
 */
export class TcpSeqTracker {
  readonly #conv = new Map<string, { seq: number; ack: number }>();

  /** Forgets every conversation. */
  clear(): void {
    this.#conv.clear();
  }

  /**
   * Returns the numbers to print.
   *
   * @param src source address bytes
   * @param dst destination address bytes
   * @param sport source port
   * @param dport destination port
   * @param flags TCP flags
   * @param seq sequence number
   * @param ack acknowledgment number
   * @returns the numbers to print
   */
  apply(
    src: Uint8Array,
    dst: Uint8Array,
    sport: number,
    dport: number,
    flags: number,
    seq: number,
    ack: number,
  ): TcpSeqView {
    if (!(flags & TcpFlag.ACK)) return { seq, ack, baseSeq: 0, baseAck: 0, reversed: false };
    let rev = false;
    if (sport > dport) rev = true;
    else if (sport === dport) rev = compareBytes(src, dst) > 0;
    const key = rev
      ? `${formatHexColon(dst)}|${formatHexColon(src)}|${dport}|${sport}`
      : `${formatHexColon(src)}|${formatHexColon(dst)}|${sport}|${dport}`;
    let th = this.#conv.get(key);
    if (!th || (flags & TcpFlag.SYN)) {
      th = rev ? { ack: seq, seq: u32(ack - 1) } : { seq, ack: u32(ack - 1) };
      this.#conv.set(key, th);
    } else if (rev) {
      seq = u32(seq - th.ack);
      ack = u32(ack - th.seq);
    } else {
      seq = u32(seq - th.seq);
      ack = u32(ack - th.ack);
    }
    return { seq, ack, baseSeq: th.seq, baseAck: th.ack, reversed: rev };
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** tcpdump's names of IP protocols (netdissect's ipproto_values), for the -v header lines. */
const IP_PROTO_TEXT: Record<number, string> = {
  0: "Options",
  1: "ICMP",
  2: "IGMP",
  4: "IPIP",
  6: "TCP",
  8: "EGP",
  9: "IGRP",
  17: "UDP",
  33: "DCCP",
  41: "IPv6",
  43: "Routing",
  44: "Fragment",
  46: "RSVP",
  47: "GRE",
  50: "ESP",
  51: "AH",
  55: "Mobile IP",
  58: "ICMPv6",
  62: "Mobile IP (old)",
  88: "EIGRP",
  89: "OSPF",
  103: "PIM",
  108: "Compressed IP",
  112: "VRRP",
  113: "PGM",
  132: "SCTP",
  135: "Mobility",
  143: "Ethernet",
};

function ethertypeText(t: number, quiet = false): string {
  if (quiet) return ETHERTYPE_NAMES[t] ?? `Unknown Ethertype (0x${t.toString(16).padStart(4, "0")})`;
  return `ethertype ${ETHERTYPE_NAMES[t] ?? "Unknown"} (0x${t.toString(16).padStart(4, "0")})`;
}

const SLL_DIR = ["In", "B", "M", "P", "Out"];

/** The per-call context threaded through the formatters. */
interface Ctx {
  r: DecodeResult;
  o: SummaryOptions;
  /** set where tcpdump's dissector gives up by a long jump (its -x/-X then dump the whole frame) */
  jump?: boolean;
  /**
   * The link frame being printed: the index of its layer (0, or an Ethernet frame carried by GRE or VXLAN)
   * and (`frameWire`) its length on the wire. Lengths tcpdump derives from the frame's (ARP's, an IPv4
   * packet's missing bytes) count from there. Two numbers, not an object: a Ctx is made per packet.
   */
  frameAt: number;
  /** See {@link Ctx.frameAt}. */
  frameWire: number;
  /** Where `-x` starts, set by a link printer that reads its own bytes (802.11). */
  linkLen?: number;
}

/** Bytes on the wire from layer `i`'s start to the end of the link frame being printed. */
function wireAfter(c: Ctx, i: number): number {
  return Math.max(0, c.frameWire - (c.r.offsets[i] - (c.r.offsets[c.frameAt] ?? 0)));
}

/**
 * Formats one decoded packet as tcpdump's line. Without `tracker` in the options TCP numbers are absolute.
 *
 * @param r a decoder result
 * @param o options
 * @returns the text after the timestamp (and interface/direction columns)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { emitIpv4 } from "./ipv4.ts";
 * import { emitIcmpv4 } from "./icmpv4.ts";
 * import { summarize } from "./summary.ts";
 * const pkt = emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 1 }, emitIcmpv4({ type: 8, id: 1, seq: 1 }, new Uint8Array(56)));
 * const line = summarize(new PacketDecoder().decode(pkt, 101));
 * assert(line === "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64", line);
 * ```
 */
export function summarize(r: DecodeResult, o: SummaryOptions = {}): string {
  return summarizeIn({ r, o, frameAt: 0, frameWire: o.wireLen ?? frameLen(r) });
}

function summarizeIn(c: Ctx): string {
  const { r, o } = c;
  const L = r.layers;
  const wire = c.frameWire;
  let s = "";
  let i = 0;
  let ethertype = -1;
  const first = L[0];
  // 802.11 is printed from its bytes by `_wlan.ts`, whatever layers the decoder found.
  if (!first || r.linktype === 105 || r.linktype === 127) return noLink(c, wire);
  if (first.layer === "eth") {
    return ether(c, 0);
  } else if (first.layer === "sll" || first.layer === "sll2") {
    i = 1;
    ethertype = first.protocol;
    if (o.link) s += sllText(first, wire, o.quiet);
  } else if (first.layer === "null") {
    i = 1;
    if (o.link) s += formatLoopback(first, wire, o.quiet);
    if (first.family === 2) ethertype = 0x0800;
    else if (isBsdInet6(first.family)) ethertype = 0x86dd;
    // A family tcpdump does not decode: its header line, then its default print.
    else return (o.link ? s : formatLoopback(first, wire, o.quiet)) + defaultPrint(c, r.payload);
    return s + linkPayload(c, 1, ethertype);
  } else if (first.layer === "ppp") {
    return ppp(c, first, wire);
  } else if (first.layer === "pppoe") {
    return pppoe(c, 0);
  } else if (first.layer === "chdlc") {
    return chdlc(c, first, wire);
  } else {
    if (o.link) s += "ip: ";
  }
  const next = L[i];
  if (!next) return s + missingNetwork(c, ethertype);
  return s + network(c, i);
}

/**
 * An Ethernet frame as tcpdump's ether_print writes it, the outer one or one carried by GRE or VXLAN
 * (`c.frameAt` says which, `c.frameWire` its length): with -e its header; 802.3 and LLC; VLAN tags; then the network
 * layer, or what tcpdump prints for an EtherType it does not decode.
 */
function ether(c: Ctx, at: number): string {
  const { r, o } = c;
  const L = r.layers;
  const first = L[at] as Extract<Layer, { layer: "eth" }>;
  const wire = c.frameWire;
  const start = r.offsets[at];
  let s = "";
  let i = at + 1;
  let ethertype = first.ethertype;
  if (o.link) s += `${formatMac(first.src)} > ${formatMac(first.dst)}, `;
  if (ethertype < 0x0600) {
    // tcpdump takes the length field, but no more than the frame has.
    const len = Math.min(ethertype, wire - 14);
    if (o.link) s += `802.3, length ${len}: `;
    return s + dot3(c, i, start + 14, first.src, first.dst, len);
  }
  // A tag that is not there: tcpdump stops before naming the EtherType.
  if (isVlanTpid(ethertype) && !L[i]) return s + " [|vlan]";
  if (o.link) s += `${ethertypeText(ethertype, o.quiet)}, length ${wire}: `;
  while (L[i]?.layer === "vlan") {
    const v = L[i] as Extract<Layer, { layer: "vlan" }>;
    if (o.link) {
      s += `vlan ${v.id}, p ${v.pcp}${v.dei ? ", DEI" : ""}, ` +
        (v.ethertype < 0x0600 ? "" : `${ethertypeText(v.ethertype, o.quiet)}, `);
    }
    ethertype = v.ethertype;
    i++;
  }
  if (isVlanTpid(ethertype) && !L[i]) return s + " [|vlan]";
  if (ethertype < 0x0600) {
    // 802.3 behind VLAN tags: tcpdump's -e names it with no length of its own.
    const llcAt = r.offsets[i - 1] + 4;
    if (o.link) s += "802.3";
    const len = Math.min(ethertype, Math.max(0, wire - (llcAt - start)));
    return s + dot3(c, i, llcAt, first.src, first.dst, len);
  }
  const next = L[i];
  if (!next) return s + missingNetwork(c, ethertype);
  return s + network(c, i);
}

/**
 * An Ethernet frame carried inside the packet (GRE's transparent bridging, VXLAN), `wire` bytes long as the
 * carrier says, of which `caplen` were captured (up to the end of the IP packet carrying it): printed as the
 * outer one is, lengths counted from its start; " [|ether]" when its header was not captured, and tcpdump's
 * complaint when the carrier says less than the capture holds.
 */
function innerEther(c: Ctx, at: number, wire: number, caplen: number): string {
  if (wire < caplen) return `[length ${wire} < caplen ${caplen}] (invalid)`;
  if (c.r.layers[at]?.layer !== "eth") return " [|ether]";
  return within(c, at, wire, () => ether(c, at));
}

/**
 * tcpdump's Linux cooked header (`-e`, or in front of a protocol it does not decode): for SLL the direction
 * and the address, for SLL2 the interface index (its name and the direction are already in the column) and
 * the address when it is 6 bytes long; then the EtherType and length unless -q.
 */
function sllText(l: SllLayer | Sll2Layer, wire: number, quiet?: boolean): string {
  let s: string;
  if (l.layer === "sll2") {
    s = `ifindex ${l.ifindex} ` + (l.addrLen === 6 ? `${formatHexColon(l.addr)} ` : "");
  } else {
    const dir = SLL_DIR[l.packetType] ?? `${l.packetType}`;
    s = `${dir.padStart(3)} ${formatHexColon(l.addr)} `;
  }
  return quiet ? s : s + `${ethertypeText(l.protocol)}, length ${wire}: `;
}

/** Runs `f` with the frame lengths count from taken as layer `at`, `wire` bytes long. */
function within(c: Ctx, at: number, wire: number, f: () => string): string {
  const outerAt = c.frameAt, outerWire = c.frameWire;
  c.frameAt = at;
  c.frameWire = wire;
  try {
    return f();
  } finally {
    c.frameAt = outerAt;
    c.frameWire = outerWire;
  }
}

/** EtherTypes behind SNAP printed from their bytes when the decoder found no layer of theirs. */
const SNAP_MISSING = new Set([0x0800, 0x86dd, 0x0806, 0x888e, 0x8809, 0x8863, 0x8864]);

/** An 802.3 frame: LLC, SNAP, spanning tree, or the network packet they carry. */
function dot3(c: Ctx, i: number, at: number, src: Uint8Array, dst: Uint8Array, length: number): string {
  const llc = c.r.layers[i]?.layer === "llc" ? c.r.layers[i] : null;
  let inner: (() => string) | null = null;
  // Lengths count from the LLC header, to the end of what the 802.3 length field holds.
  if (c.r.layers[i + 1]) inner = () => within(c, i, length, () => network(c, i + 1));
  else if (llc) {
    const type = llc.snap && (llc.oui === 0 || llc.oui === 0xf8)
      ? llc.pid
      : (llc.dsap & 0xfe) === 0x06 && (llc.ssap & 0xfe) === 0x06 && llc.control === 3
      ? 0x0800
      : null;
    if (type !== null && SNAP_MISSING.has(type)) {
      inner = () => within(c, i, length, () => missingNetwork(c, type));
    }
  }
  return llcText({
    llc,
    rest: c.r.payload,
    length,
    link: c.o.link === true,
    verbose: c.o.verbose === true,
    quiet: c.o.quiet === true,
    verbosity: level(c),
    onJump: () => {
      c.jump = true;
    },
    src: formatMac(src),
    dst: formatMac(dst),
    inner,
    dump: dot3Bytes(c, at, length),
    defaultPrint: c.o.dumpUndecoded === true && !c.o.quiet,
    carried: (linktype, bytes, n) => carried(c, bytes, n, linktype),
  });
}

/** The captured 802.3 payload (from the LLC header at `at`), no longer than its length. */
function dot3Bytes(c: Ctx, at: number, length: number): Uint8Array {
  return c.r.frame.subarray(
    Math.min(at, c.r.frame.length),
    Math.min(c.r.frame.length, at + Math.max(0, length)),
  );
}

/** GRE and, for version 0, the packet it carries. */
function gre(c: Ctx, i: number, g: GreLayer, l4len: number): string {
  const s = formatGre({ header: g, complete: true, error: null }, {
    link: c.o.link,
    verbose: c.o.verbose,
    length: l4len,
  });
  if (g.version > 1 || (g.version === 1 && !(g.flags & GreFlag.SEQUENCE))) return s;
  const sep = c.o.verbose ? "\n\t" : ": ";
  const next = c.r.layers[i + 1];
  const proto = g.protocol ?? 0;
  const missing = (type: number) => missingNetwork(c, type);
  if (g.version === 0 && (proto === 0x0800 || proto === 0x86dd || proto === 0x8847 || proto === 0x8848)) {
    return s + sep + (next ? network(c, i + 1) : missing(proto));
  }
  if (g.version === 0 && proto === 0x6558) {
    const at = c.r.offsets[i] + g.hdrLen;
    const caplen = Math.max(0, Math.min(c.r.frame.length, c.r.offsets[i] + l4len) - at);
    return s + sep + innerEther(c, i + 1, Math.max(0, l4len - g.hdrLen), caplen);
  }
  return s + sep + `gre-proto-0x${proto.toString(16)}`;
}

function frameLen(r: DecodeResult): number {
  // 802.11: the frame as captured, FCS included (its layers end before the FCS).
  if (r.linktype === 105 || r.linktype === 127) return r.frame.length;
  return r.payloadOffset + r.payload.length;
}

/** tcpdump's names of link types netkit does not decode (pcap_datalink_val_to_name). */
const UNDECODED_LINK_NAMES: Readonly<Record<number, string>> = {
  3: "AX25",
  6: "IEEE802",
  7: "ARCNET_BSD",
  8: "SLIP",
  10: "FDDI",
  107: "FRELAY",
  119: "PRISM_HEADER",
  122: "IP_OVER_FC",
  129: "ARCNET_LINUX",
  138: "APPLE_IP_OVER_IEEE1394",
  143: "DOCSIS",
  163: "IEEE802_11_RADIO_AVS",
  187: "BLUETOOTH_HCI_H4",
  189: "USB_LINUX",
  195: "IEEE802_15_4_WITHFCS",
  201: "BLUETOOTH_HCI_H4_WITH_PHDR",
  215: "IEEE802_15_4_NOFCS",
  220: "USB_LINUX_MMAPPED",
  227: "CAN_SOCKETCAN",
  249: "USBPCAP",
  253: "NETLINK",
  254: "BLUETOOTH_LINUX_MONITOR",
  263: "BLUETOOTH_LE_LL",
  274: "NFLOG",
};

/** No link layer could be read: tcpdump's truncation mark for a cut header, or a line naming what is missing. */
function noLink(c: Ctx, wire: number): string {
  const f = c.r.frame;
  switch (c.r.linktype) {
    case 1:
      return " [|ether]";
    case 113:
      return " [|sll]";
    case 276:
      return " [|sll2]";
    case 0:
    case 108:
      return " [|null]";
    case 9:
      return " [|ppp]";
    case 51:
      return pppoeCut(c, f, wire);
    case 104:
      return " [|chdlc]";
    case 50:
      if (f.length < 2 || (f[0] !== 0x0f && f[0] !== 0x8f && f.length < 4)) return " [|ppp_hdlc]";
      if (f[0] === 0x0f || f[0] === 0x8f) return " [|chdlc]";
      // Neither PPP (ff 03) nor Cisco HDLC: tcpdump names the two bytes after the first two.
      return `${c.o.link ? `${hex2(f[0])} ${hex2(f[1])} ${wire} ` : ""}unknown addr ${hex2(f[2])}; ctrl ${
        hex2(f[3])
      }`;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return " [|ip]";
    case 105:
    case 127:
      return wlan(c, wire);
    default: {
      // A link type this package has no decoder for: say so rather than guess at the bytes.
      const name = UNDECODED_LINK_NAMES[c.r.linktype] ?? `${c.r.linktype}`;
      return `link-type ${name} not decoded, length ${wire}`;
    }
  }
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const dec2 = (x: number) => String(x).padStart(2, "0");
const hex4 = (x: number) => `0x${x.toString(16).padStart(4, "0")}`;

/** The network layer after a link header that named IPv4 or IPv6 (an empty IPv4 packet: the bare mark). */
function linkPayload(c: Ctx, i: number, ethertype: number): string {
  if (c.r.layers[i]) return network(c, i);
  return missingNetwork(c, ethertype);
}

/** PPP protocols tcpdump has a dissector for and netkit does not: ML, IPX, OSI, BAP. */
const PPP_UNREPRODUCED = new Set([0x003d, 0x002b, 0x0023, 0xc02d]);

/**
 * What tcpdump prints for a PPP payload (its handle_ppp), for the protocols reproduced here. `i` is the
 * index its layers start at, `rest` its length on the wire.
 */
function pppBody(c: Ctx, i: number, protocol: number, rest: number): string {
  const ver = pppIpVersion(protocol);
  if (ver) return linkPayload(c, i, ver === 4 ? 0x0800 : 0x86dd);
  if (protocol === 0x0281 || protocol === 0x0283) return linkPayload(c, i, 0x8847);
  const p = c.r.payload;
  const name = pppProtocolName(protocol);
  const ctrl = pppCtrlText(
    protocol,
    p,
    rest,
    level(c),
    c.r.linktype === 50 ? "ppp_hdlc" : "ppp",
  );
  if (ctrl) {
    if (ctrl.jump) c.jump = true;
    return ctrl.text;
  }
  if (protocol === 0x00fd) return "compressed PPP data";
  if (protocol === 0x0023) {
    // OSI (tcpdump's isoclns_print).
    const t = osiText(p.subarray(0, Math.max(0, Math.min(rest, p.length))), rest, {
      verbosity: level(c),
      link: c.o.link === true,
      quiet: c.o.quiet === true,
      network: (nlpid, b, n) => carried(c, b, n, nlpid === 0xcc ? 228 : 229),
    });
    if (t) {
      if (t.jump) c.jump = true;
      return t.text;
    }
  }
  if (name === null || !PPP_UNREPRODUCED.has(protocol)) {
    // Its name (or that it has none), then a dump of the payload (print_unknown_data: not -x's, always).
    const dump = p.subarray(0, Math.max(0, Math.min(rest, p.length)));
    return `${name ?? `unknown PPP protocol (${hex4(protocol)})`} ${dump.length ? "\n" + hexdump(dump) : ""}`;
  }
  // A protocol tcpdump dissects and this package does not: its name only, unless the link header already
  // printed it.
  return c.o.link || c.r.linktype === 50 ? "" : `${name} (${hex4(protocol)}), length ${p.length}`;
}

/** A PPPoE header the capture cut or the wire is too short for. */
function pppoeCut(c: Ctx, b: Uint8Array, wire: number): string {
  const { text, cut } = pppoeText(b, wire);
  if (cut) c.jump = true;
  return text;
}

/**
 * PPPoE as tcpdump's pppoe_print writes it (the layer at `i`): its header and discovery tags, or for the
 * session stage the PPP frame it carries, as long as its LENGTH says.
 */
function pppoe(c: Ctx, i: number): string {
  const { text, ppp, cut } = pppoeText(c.r.frame.subarray(c.r.offsets[i]), wireAfter(c, i));
  if (cut) c.jump = true;
  if (ppp < 0) return text;
  // ppp_print: the PPP frame is `ppp` bytes long; lengths inside it count from there.
  const h = c.r.layers[i + 1];
  if (ppp < 2) return text + " [|ppp]";
  if (h?.layer !== "ppp" || ppp - (h.address === null ? 0 : 2) < 2) {
    // With -e pppd's direction is printed before the protocol field is looked for.
    const at = c.r.offsets[i] + 6, f = c.r.frame;
    const pair = at + 2 <= f.length && f[at + 1] === 3 && (f[at] < 2 || f[at] === 0xff);
    const dir = c.o.link && pair && f[at] < 2 ? (f[at] ? "Out " : "In  ") : "";
    // Bytes the capture lacks end it by a long jump; a LENGTH too short for them, by a plain return.
    if (!(pair && ppp - 2 < 2)) c.jump = true;
    return text + dir + " [|ppp]";
  }
  return within(c, i + 1, ppp, () => {
    const body = pppBody(c, i + 2, h.protocol, ppp - h.hdrLen);
    if (!c.o.link) return text + body;
    const head = formatPpp(h, ppp);
    return text + (pppProtocolName(h.protocol) === null ? head : `${head}: ${body}`);
  });
}

function ppp(c: Ctx, h: Extract<Layer, { layer: "ppp" }>, wire: number): string {
  if (c.r.linktype === 50) {
    // PPP in HDLC framing: the address/control bytes and the length with -e, then the protocol's name.
    const lead = c.o.link ? `${hex2(h.address ?? PPP_ADDRESS)} ${hex2(h.control ?? 3)} ${wire} ` : "";
    return `${lead}${pppProtocolName(h.protocol) ?? `unknown PPP protocol (${hex4(h.protocol)})`}: ` +
      pppBody(c, 1, h.protocol, wire - h.hdrLen);
  }
  if (!c.o.link) return pppBody(c, 1, h.protocol, wire - h.hdrLen);
  const head = formatPpp(h, wire);
  // With -e tcpdump stops after a protocol it cannot name (0x0800 and 0x86dd included).
  if (pppProtocolName(h.protocol) === null) return head;
  return `${head}: ${pppBody(c, 1, h.protocol, wire - h.hdrLen)}`;
}

const SLARP = ["request", "reply", "keepalive"];

/** A SLARP keepalive's link uptime (milliseconds) as tcpdump prints it. */
function uptime(ms: number): string {
  const t = Math.floor(ms / 1000);
  return `, link uptime=${Math.floor(t / 86400)}d${Math.floor(t / 3600) % 24}h${Math.floor(t / 60) % 60}m${
    t % 60
  }s`;
}

function chdlc(c: Ctx, h: Extract<Layer, { layer: "chdlc" }>, wire: number): string {
  const lead = c.o.link ? `${formatChdlc(h)}, ${ethertypeText(h.protocol)}, length ${wire}: ` : "";
  if (h.protocol === 0x0800 || h.protocol === 0x86dd) return lead + linkPayload(c, 1, h.protocol);
  if (h.protocol === 0x8035) {
    const p = c.r.payload;
    const s = `${lead}SLARP (length: ${wire - 4}), `;
    if (p.length < 14) return s + " [|chdlc_slarp]";
    const u32at = (k: number) => ((p[k] << 24) | (p[k + 1] << 16) | (p[k + 2] << 8) | p[k + 3]) >>> 0;
    const code = u32at(0);
    if (code === 1) return `${s}reply ${formatIpv4Address(p, 4)}/${formatIpv4Address(p, 8)}`;
    if (code === 2) {
      const hx = (x: number, d: number) => `0x${x.toString(16).padStart(d, "0")}`;
      return `${s}keepalive: mineseen=${hx(u32at(4), 8)}, yourseen=${hx(u32at(8), 8)}, reliability=${
        hx((p[12] << 8) | p[13], 4)
      }${p.length >= 18 ? uptime(u32at(14)) : ""}`;
    }
    if (code < SLARP.length) return s + SLARP[code];
    // An unknown code: its number, then a dump of the rest (print_unknown_data: not -x's, always).
    const rest = p.subarray(4, Math.max(4, Math.min(p.length, wire - 4)));
    return `${s}0x${hex2(code)} unknown${rest.length ? "\n" + hexdump(rest) : ""}`;
  }
  return c.o.link ? lead : `unknown CHDLC protocol (${hex4(h.protocol)})`;
}

/** The link layer is there but the network layer could not be decoded: say why, as tcpdump does. */
function missingNetwork(c: Ctx, ethertype: number): string {
  const p = c.r.payload;
  switch (ethertype) {
    case 0x0800:
      return c.o.link
        ? ipv4Broken(c, p, wireAfterPayload(c)).replace(/^IP /, "")
        : ipv4Broken(c, p, wireAfterPayload(c));
    case 0x86dd:
      return c.o.link ? ipv6Broken(p).replace(/^IP6 /, "") : ipv6Broken(p);
    case 0x0806:
    case 0x8035:
      return " [|arp]";
    case 0x88cc:
      return lldpText(
        p,
        wireAfterPayload(c),
        level(c),
      );
    case 0x9000:
      return ctpText(p, wireAfterPayload(c));
    case 0x894f:
      return nsh(c, p, wireAfterPayload(c));
    case 0x8847:
    case 0x8848:
      return "MPLS" + mplsCut(wireAfterPayload(c));
    case 0x8863:
    case 0x8864:
      return pppoeCut(c, p, wireAfterPayload(c));
    case 0x888e:
    case 0x8809:
    case 0x88f7:
    case 0x8902: {
      const v = level(c);
      const printer = ethertype === 0x888e
        ? eapolText
        : ethertype === 0x8809
        ? slowText
        : ethertype === 0x88f7
        ? ptpText
        : cfmText;
      const t = printer(p, wireAfterPayload(c), v);
      if (!t) return unknownHeader(c, ethertype) + defaultPrint(c, p);
      if (t.jump) c.jump = true;
      return t.text;
    }
    default:
      if (ethertype < 0) return ipv4Broken(c, p, wireAfterPayload(c));
      return unknownHeader(c, ethertype) + defaultPrint(c, p);
  }
}

/** What tcpdump prints before its default print of a protocol it does not decode (nothing more with -e). */
function unknownHeader(c: Ctx, ethertype: number): string {
  if (c.o.link) return "";
  const l = c.r.layers[c.frameAt], wire = c.frameWire;
  // Behind a cooked header: that header, as -e prints it.
  if (l.layer === "sll" || l.layer === "sll2") return sllText(l, wire, c.o.quiet);
  const src = l.layer === "eth" ? l.src : new Uint8Array(6),
    dst = l.layer === "eth" ? l.dst : new Uint8Array(6);
  return `${formatMac(src)} > ${formatMac(dst)}, ${ethertypeText(ethertype, c.o.quiet)}, length ${wire}: `;
}

/** Bytes on the wire from the payload's start to the end of the link frame being printed. */
function wireAfterPayload(c: Ctx): number {
  return Math.max(0, c.frameWire - (c.r.payloadOffset - (c.r.offsets[c.frameAt] ?? 0)));
}

/**
 * tcpdump's default print: the hex and ASCII dump it adds after a payload no dissector of its took (an
 * unknown EtherType or address family), when asked for ({@link SummaryOptions.dumpUndecoded}) and not `-q`.
 */
function defaultPrint(c: Ctx, p: Uint8Array): string {
  return c.o.dumpUndecoded && !c.o.quiet && p.length > 0 ? "\n" + hexdump(p, true) : "";
}

/** tcpdump's text for an IPv6 header it cannot read: cut short, or whole with another version number. */
function ipv6Broken(p: Uint8Array): string {
  return p.length >= 40 && p[0] >> 4 !== 6 ? `IP6 version error: ${p[0] >> 4} != 6` : " [|ip6]";
}

/** tcpdump's text for an IPv4 header it cannot read; with no byte at all its dissector jumps out. */
function ipv4Broken(c: Ctx, p: Uint8Array, wire?: number): string {
  if (p.length < 1) {
    c.jump = true;
    return " [|ip]";
  }
  const ver = p[0] >> 4;
  if (ver === 6) return "IP6, wrong link-layer encapsulation (invalid)";
  if (ver !== 4) return `IP${ver} (invalid)`;
  if (p.length < 20) return "IP  [|ip]";
  const hl = (p[0] & 0xf) * 4;
  if (hl < 20) return `IP bad-hlen ${hl}`;
  const tl = (p[2] << 8) | p[3];
  if (tl < hl) return `IP bad-len ${tl}`;
  if (p.length < hl && wire !== undefined) return ipv4HeaderCut(c, p, hl, tl, wire);
  return "IP  [|ip]";
}

/** Protocols whose dissectors print the addresses themselves (with the ports). */
const OWN_ADDRESSES = new Set([6, 17, 33, 132]);

/**
 * An IPv4 header captured to 20 bytes or more but not to its end (options cut): tcpdump prints the header
 * (with -v the options it can read), then stops by a long jump where a read runs off the capture, or with
 * ` [|ip]` after an option it finds cut.
 */
function ipv4HeaderCut(c: Ctx, p: Uint8Array, hl: number, tl: number, wire: number): string {
  const src = formatIpv4Address(p, 12), dst = formatIpv4Address(p, 16);
  const proto = p[9], frag = ((p[6] << 8) | p[7]) & 0x1fff;
  let s = "IP ";
  if (tl > wire) s += `truncated-ip - ${tl - wire} bytes missing! `;
  if (c.o.verbose) {
    const flags = [p[6] & 0x20 ? "+" : "", p[6] & 0x40 ? "DF" : "", p[6] & 0x80 ? "rsvd" : ""].filter((x) =>
      x
    );
    s += `(tos ${tosText(p[1])}${p[8] >= 1 ? `, ttl ${p[8]}` : ""}, id ${(p[4] << 8) | p[5]}, ` +
      `offset ${frag * 8}, flags [${flags.length ? flags.join(", ") : "none"}], ` +
      `proto ${IP_PROTO_TEXT[proto] ?? "unknown"} (${proto}), length ${tl}, options (`;
    const o = ipv4OptionsWalk(p.subarray(20), hl - 20);
    s += o.text;
    if (o.end === "jump") {
      c.jump = true;
      return s + " [|ip]";
    }
    if (o.end === "cut") return s + ` [truncated-option]))\n    ${src} > ${dst}:  [|ip]`;
    s += "))\n    ";
  }
  if (frag !== 0) return s + `${src} > ${dst}: ip-proto-${proto}`;
  c.jump = true;
  return s + (OWN_ADDRESSES.has(proto) ? "" : `${src} > ${dst}: `) +
    ` [remaining caplen(${p.length}) < header length(${hl})] [|ip]`;
}

function network(c: Ctx, i: number): string {
  const l = c.r.layers[i];
  switch (l.layer) {
    case "ipv4":
      return ipv4(c, i, l);
    case "ipv6":
      return ipv6(c, i, l);
    case "arp":
      return arp(c, i, l);
    case "mpls":
      return mpls(c, i);
    case "pppoe":
      return pppoe(c, i);
    default:
      return "";
  }
}

/**
 * MPLS as tcpdump 4.99's mpls_print writes it: each label stack entry (one per line with -v, which also names
 * the reserved labels), then the IPv4 or IPv6 packet guessed to follow, or a dump of what does.
 */
function mpls(c: Ctx, i: number): string {
  const L = c.r.layers, v = c.o.verbose === true;
  let s = "MPLS";
  let k = i;
  for (let depth = 0;; depth++) {
    const m = L[k];
    if (m?.layer !== "mpls") return s + mplsCut(wireAfter(c, k - 1) - 4);
    s += `${depth > 0 && v ? "\n\t" : " "}(label ${m.label}`;
    if (v && m.label < MPLS_LABEL_NAMES.length) s += ` (${MPLS_LABEL_NAMES[m.label]})`;
    s += `, tc ${m.tc}${m.bottom ? ", [S]" : ""}, ttl ${m.ttl})`;
    k++;
    if (m.bottom) break;
  }
  const last = L[k - 1] as Extract<Layer, { layer: "mpls" }>;
  const at = c.r.offsets[k - 1] + 4;
  const rest = c.r.frame.subarray(Math.min(at, c.r.frame.length));
  const guess = mplsPayloadGuess(last.label, rest);
  // Nothing captured to guess from, though the wire had more: tcpdump's read of the first byte fails.
  if (guess === 0 && rest.length === 0 && wireAfter(c, k - 1) > 4) return s + " [|mpls]";
  if (guess === 0) {
    // The dump of a payload cut by the capture ends with the truncation mark.
    const dump = defaultPrint(c, rest);
    return s + dump + (dump && rest.length < wireAfter(c, k - 1) - 4 ? " [|mpls]" : "");
  }
  const sep = v ? "\n\t" : " ";
  if (L[k]) return s + sep + network(c, k);
  return s + sep + missingNetwork(c, guess === 4 ? 0x0800 : 0x86dd);
}

/** Where the label stack stops before its bottom entry: `wire` bytes were left on the wire for the next. */
function mplsCut(wire: number): string {
  return wire < 4 ? " (invalid)" : " [|mpls]";
}

/** tcpdump's `arphrd_values`: the hardware types it names. */
const ARP_HARDWARE: Record<number, string> = {
  1: "Ethernet",
  6: "TokenRing",
  7: "ArcNet",
  15: "FrameRelay",
  23: "Strip",
  24: "IEEE 1394",
  32: "InfiniBand",
};

/** tcpdump's `arpop_values`. */
const ARP_OP: Record<number, string> = {
  1: "Request",
  2: "Reply",
  3: "Reverse Request",
  4: "Reverse Reply",
  8: "Inverse Request",
  9: "Inverse Reply",
  10: "NACK Reply",
};

/**
 * ARP and RARP as tcpdump 4.99's arp_print writes them: `length` is what the link layer hands over (padding
 * included); hardware and protocol types are named with -v or when the addresses are not IPv4 ones; an
 * operation it does not know ends the line with a dump of the captured ARP bytes, in every mode.
 */
function arp(c: Ctx, i: number, a: ArpLayer): string {
  const verbose = c.o.verbose === true;
  const len = wireAfter(c, i);
  let s = c.o.link ? "" : "ARP, ";
  const ipv4 = a.ptype === 0x0800 || a.ptype === 0x1000;
  if (!ipv4 || a.plen !== 4 || a.hlen === 0 || verbose) {
    s += `${ARP_HARDWARE[a.htype] ?? `Unknown Hardware (${a.htype})`} (len ${a.hlen}), ${
      ETHERTYPE_NAMES[a.ptype] ?? `Unknown Protocol (0x${a.ptype.toString(16).padStart(4, "0")})`
    } (len ${a.plen})`;
    if (!verbose) return s + `, length ${len}`;
    s += ", ";
  }
  s += `${ARP_OP[a.op] ?? `Unknown (${a.op})`} `;
  const ip = (x: Uint8Array) =>
    !ipv4 ? "<wrong proto type>" : a.plen !== 4 ? "<wrong len>" : formatIpv4Address(x);
  const hw = (x: Uint8Array) => x.length === 0 ? "<empty>" : formatHexColon(x);
  switch (a.op) {
    case 1:
      s += `who-has ${ip(a.tpa)}${a.tha.every((b) => b === 0) ? "" : ` (${hw(a.tha)})`} tell ${ip(a.spa)}`;
      break;
    case 2:
      s += `${ip(a.spa)} is-at ${hw(a.sha)}`;
      break;
    case 3:
    case 8:
      s += `who-is ${hw(a.tha)} tell ${hw(a.sha)}`;
      break;
    case 4:
      s += `${hw(a.tha)} at ${ip(a.tpa)}`;
      break;
    case 9:
      s += `${hw(a.sha)} at ${ip(a.spa)}`;
      break;
    default:
      return s + "\n" + hexdump(c.r.frame.subarray(c.r.offsets[i]), true);
  }
  return s + `, length ${len}`;
}

/**
 * The timestamp option (RFC 791) as tcpdump's ip_printts writes it: ` TS{TSONLY ^ 1@}`, `TS+ADDR` entries as
 * `time@address`, ` ^ ` where the pointer is, and the overflow count.
 */
function ipv4TimestampText(all: Uint8Array, base: number, length: number): string {
  // Like tcpdump, the last entry may be read past the option's length (into the options that follow).
  const o = (k: number) => all[base + k] ?? 0;
  if (length < 4) return `[bad length ${length}]`;
  let s = " TS{";
  const flag = o(3) & 0xf;
  const hop = flag !== 0 ? 8 : 4;
  if ((length - 4) & (hop - 1)) s += `[bad length ${length}]`;
  const ptr = o(2) - 1;
  if (ptr < 4 || ((ptr - 4) & (hop - 1)) || ptr > length + 1) s += `[bad ptr ${o(2)}]`;
  let at = 0;
  const names: Record<number, string> = { 0: "TSONLY", 1: "TS+ADDR", 3: "PRESPEC" };
  if (names[flag] === undefined) s += `[bad ts type ${flag}]`;
  else {
    s += names[flag];
    for (at = 4; at < length; at += hop) {
      // TS+ADDR and PRESPEC entries are the address, then the time.
      const t = at + hop - 4;
      const time = ((o(t) << 24) | (o(t + 1) << 16) | (o(t + 2) << 8) | o(t + 3)) >>> 0;
      const addr = hop === 8 ? `${o(at)}.${o(at + 1)}.${o(at + 2)}.${o(at + 3)}` : "";
      s += `${ptr === at ? " ^ " : " "}${time}@${addr}`;
    }
  }
  s += ptr === at ? " ^ " : "";
  return s + (o(3) >> 4 ? ` [${o(3) >> 4} hops not recorded]} ` : "}");
}

/** IPv4 options in tcpdump's -v words (route options with their addresses; others by name). */
/** tcpdump's names of IPv4 options (ip_option_values). */
const IPV4_OPTION_NAMES: Record<number, string> = {
  0: "EOL",
  1: "NOP",
  7: "RR",
  68: "timestamp",
  130: "security",
  131: "LSRR",
  137: "SSRR",
  82: "traceroute",
  148: "RA",
};

/**
 * IPv4 options as tcpdump's ip_optprint prints them, from the captured option bytes `o` of the `total`
 * the header declares. `end`: "ok", "cut" (an option not whole in the capture: tcpdump then prints
 * ` [truncated-option]`) or "jump" (a type or length byte not captured: a long jump).
 */
function ipv4OptionsWalk(o: Uint8Array, total: number): { text: string; end: "ok" | "cut" | "jump" } {
  let s = "";
  for (let i = 0; i < total;) {
    if (i > 0) s += ",";
    if (i >= o.length) return { text: s, end: "jump" };
    const t = o[i];
    s += IPV4_OPTION_NAMES[t] ?? `unknown ${t}`;
    let len = 1;
    if (t !== 0 && t !== 1) {
      if (i + 1 >= o.length) return { text: s, end: "jump" };
      len = o[i + 1];
      if (len < 2) return { text: s + ` [bad length ${len}]`, end: "ok" };
    }
    if (len > total - i) return { text: s + ` [bad length ${len}]`, end: "ok" };
    if (i + len > o.length) return { text: s, end: "cut" };
    if (t === 0) break;
    if (t === 7 || t === 131 || t === 137) {
      // print-ip.c ip_printroute: a comma after each address the pointer has passed.
      if ((len + 1) & 3) s += ` [bad length ${len}]`;
      // No pointer byte: nothing more to read.
      if (len < 3) {
        i += len;
        continue;
      }
      const ptr = o[i + 2] - 1;
      if (ptr < 3 || ((ptr + 1) & 3) || ptr > len + 1) s += ` [bad ptr ${o[i + 2]}]`;
      // The last address may be read past the option's end, as tcpdump does.
      for (let k = 3; k < len; k += 4) {
        if (i + k + 4 > o.length) return { text: s, end: "cut" };
        s += ` ${formatIpv4Address(o, i + k)}${ptr > k ? "," : ""}`;
      }
    } else if (t === 68) {
      s += ipv4TimestampText(o, i, len);
    } else if (t === 148) {
      if (len < 4) s += ` [bad length ${len}]`;
      else if (((o[i + 2] << 8) | o[i + 3]) !== 0) s += ` value ${(o[i + 2] << 8) | o[i + 3]}`;
    }
    i += len;
  }
  return { text: s, end: "ok" };
}

function ipv4Flags(h: Ipv4Layer): string {
  const f = [h.mf ? "+" : "", h.df ? "DF" : "", h.reserved ? "rsvd" : ""].filter((x) => x);
  return f.length ? f.join(", ") : "none";
}

function ipv4(c: Ctx, i: number, h: Ipv4Layer): string {
  let s = c.o.link ? "" : "IP ";
  const src = formatIpv4Address(h.src), dst = formatIpv4Address(h.dst);
  // tcpdump compares with the length on the wire: a short snap length is not "truncated-ip".
  const have = wireAfter(c, i);
  // A datagram quoted in an ICMP error is short by design.
  const quoted = c.r.quotedAt >= 0 && i >= c.r.quotedAt;
  // Shorter than a header as its carrier says (PPPoE's LENGTH): no more than that.
  if (have < 20 && !quoted) return `${s}truncated-ip ${have}`;
  if (h.totalLen > have && !quoted) s += `truncated-ip - ${h.totalLen - have} bytes missing! `;
  if (c.o.verbose) {
    const proto = IP_PROTO_TEXT[h.proto] ?? "unknown";
    s +=
      // tcpdump leaves a TTL of 0 out.
      `(tos ${tosText(h.tos)}${
        h.ttl >= 1 ? `, ttl ${h.ttl}` : ""
      }, id ${h.id}, offset ${h.fragOffset}, flags [${ipv4Flags(h)}], ` +
      `proto ${proto} (${h.proto}), length ${h.totalLen}`;
    // The walk may read a length byte past the options, as tcpdump does (then finds it bad).
    if (h.options.length) {
      const o = ipv4OptionsWalk(bytesOf(c, i, Math.max(h.totalLen, h.hdrLen)).subarray(20), h.options.length);
      s += `, options (${o.text}`;
      if (o.end === "jump") {
        c.jump = true;
        return s + " [|ip]";
      }
      s += ")";
    }
    const hdr = bytesOf(c, i, h.hdrLen);
    if (!c.o.noChecksums && hdr.length === h.hdrLen && !ipv4ChecksumValid(hdr)) {
      s += `, bad cksum ${h.checksum.toString(16)} (->${ipv4Checksum(hdr).toString(16)})!`;
    }
    s += ")\n    ";
  }
  if (h.fragOffset !== 0) return s + `${src} > ${dst}: ip-proto-${h.proto}`;
  return s + upper(c, i + 1, h.proto, src, dst, true, h.totalLen - h.hdrLen);
}

/** The checksum a header should carry (computed on a copy with the field zeroed). */
function ipv4Checksum(hdr: Uint8Array): number {
  return checksumFor(hdr, 10);
}

/** The Internet checksum `b` should carry in its 16-bit field at `at` (computed with that field zeroed). */
function checksumFor(b: Uint8Array, at: number): number {
  const copy = b.slice();
  copy[at] = copy[at + 1] = 0;
  return shouldBe(internetChecksum(copy));
}

/**
 * A checksum as tcpdump's in_cksum_shouldbe shows the value a wrong one should have been: it adds the
 * carried value to the sum in one's complement, which gives 0xffff, never 0, for a checksum of zero.
 */
function shouldBe(sum: number): number {
  return sum === 0 ? 0xffff : sum;
}

function bytesOf(c: Ctx, i: number, n: number): Uint8Array {
  return c.r.frame.subarray(c.r.offsets[i], c.r.offsets[i] + n);
}

function ipv6(c: Ctx, i: number, h: Ipv6Layer): string {
  let s = c.o.link ? "" : "IP6 ";
  const src = formatIpv6Address(h.src), dst = formatIpv6Address(h.dst);
  // As for IPv4, against the length on the wire (a payload length of 0 announces a jumbogram).
  const have = wireAfter(c, i);
  const quoted = c.r.quotedAt >= 0 && i >= c.r.quotedAt;
  if (h.payloadLen !== 0 && 40 + h.payloadLen > have && !quoted) {
    s += `truncated-ip6 - ${40 + h.payloadLen - have} bytes missing!`;
  }
  if (c.o.verbose) {
    s += "(";
    if (h.trafficClass) s += `class 0x${h.trafficClass.toString(16)}, `;
    if (h.flowLabel) s += `flowlabel 0x${h.flowLabel.toString(16).padStart(5, "0")}, `;
    // tcpdump's protocol names lack 59 (no next header) and 60 (destination options).
    const nh = IP_PROTO_TEXT[h.nextHeader];
    s += `hlim ${h.hopLimit}, next-header ${nh ?? "unknown"} (${h.nextHeader}) ` +
      `payload length: ${h.payloadLen}) `;
  }
  let ext = "";
  let nonFirstFrag = false;
  let hbhSeen = false;
  let off = 40;
  for (const e of h.extHeaders) {
    off += e.length;
    switch (e.type) {
      case 0:
      case 60: {
        if (e.type === 0 && off !== 40 + e.length) {
          const why = hbhSeen ? "was already found" : "don't follow the IPv6 header";
          return `${s}${src} > ${dst}: ${ext}[The Hop-by-Hop Options header ${why}] (invalid)`;
        }
        if (e.type === 0) hbhSeen = true;
        // tcpdump reads destination options only with -v, hop-by-hop options always (their errors show).
        if (e.type === 60 && !c.o.verbose) {
          ext += "DSTOPT ";
          break;
        }
        const o = ip6OptionsText(e.data, c.o.verbose === true, e.type === 0 ? h : null);
        ext += (e.type === 0 ? "HBH " : "DSTOPT ") + o.text;
        if (!o.ok) return `${s}${src} > ${dst}: ${ext} [|${e.type === 0 ? "hbhopt" : "dstopt"}]`;
        break;
      }
      case 43: {
        // The header whole: its next-header and length bytes come before `data`.
        const rt = rt6Text(
          new Uint8Array(e.data.buffer, e.data.byteOffset - 2, e.data.length + 2),
          c.o.verbose,
        );
        ext += rt.text;
        // An unknown type or an odd length ends the packet's text.
        if (rt.end !== "ok") return `${s}${src} > ${dst}: ${ext}`;
        break;
      }
      case 44:
        ext += `frag (${
          c.o.verbose ? `0x${(e.id ?? 0).toString(16).padStart(8, "0")}:` : ""
        }${e.fragOffset}|${h.payloadLen + 40 - off}) `;
        if (e.fragOffset !== 0) nonFirstFrag = true;
        // tcpdump stops after a first fragment's header that ends the capture.
        else if (c.r.offsets[i] + off >= c.r.frame.length) return `${s}${src} > ${dst}: ${ext}`;
        break;
      case 51:
        ext +=
          ahText(new Uint8Array(e.data.buffer, e.data.byteOffset - 2, e.data.length + 2), c.o.verbose).text;
        break;
    }
  }
  if (nonFirstFrag) return `${s}${src} > ${dst}: ${ext.trimEnd()}`;
  if (h.extHeaders.length === 0) return s + upper(c, i + 1, h.proto, src, dst, true, h.payloadLen);
  return `${s}${src} > ${dst}: ${ext}` +
    upper(c, i + 1, h.proto, src, dst, false, h.payloadLen + 40 - h.hdrLen);
}

/**
 * tcpdump's ip_finddst: the last address of the first loose or strict source route option (the datagram's
 * final destination, which its transport checksum covers), else the header's destination.
 */
function ipv4FinalDst(ip: Ipv4Layer): Uint8Array {
  const o = ip.options;
  for (let k = 0; k < o.length;) {
    const t = o[k];
    if (t === 0) break;
    let len = 1;
    if (t !== 1) {
      if (k + 1 >= o.length) break;
      len = o[k + 1];
      if (len < 2) break;
    }
    if (k + len > o.length) break;
    if ((t === 131 || t === 137) && len >= 7) return o.subarray(k + len - 4, k + len);
    k += len;
  }
  return ip.dst;
}

/**
 * The destination the transport checksum covers: with a type 0 routing header that has segments left, the
 * last address listed (RFC 8200 section 8.1).
 */
function finalDst(ip: Ipv4Layer | Ipv6Layer): Uint8Array {
  if (ip.layer === "ipv4") return ipv4FinalDst(ip);
  // tcpdump's ip6_finddst: the last address of a type 0 or 2 routing header, the first segment (the
  // final one, the list being reversed) of a segment routing header.
  const rt = ip.extHeaders.find((e) => e.type === 43);
  if (rt) {
    const d = rt.data, len = rt.length / 8 - 1;
    if ((d[0] === 0 || d[0] === 2) && len % 2 === 0 && len > 0) {
      return d.subarray(6 + 8 * (len - 2), 6 + 8 * len);
    }
    if (d[0] === 4 && len % 2 === 0 && len > 0) return d.subarray(6, 22);
  }
  return ip.dst;
}

/**
 * Hop-by-hop and destination options as tcpdump 4.99's ip6_opt_process prints them: values with `-v`, a
 * malformed option (`(rtalert: invalid len 4)`, `(jumbo: trunc)`) always, and then the packet ends
 * (`ok` false: ` [|hbhopt]` follows). `hbh` is null for destination options, where a jumbo length is not
 * valid; for hop-by-hop options it holds the IPv6 payload length.
 */
function ip6OptionsText(d: Uint8Array, verbose: boolean, hbh: { payloadLen: number } | null): {
  text: string;
  ok: boolean;
} {
  let s = "";
  let jumboSeen = false;
  const len = d.length;
  const be16 = (k: number) => (d[k] << 8) | d[k + 1];
  const be32 = (k: number) => ((d[k] << 24) | (d[k + 1] << 16) | (d[k + 2] << 8) | d[k + 3]) >>> 0;
  const fail = (t: string) => ({ text: s + t, ok: false });
  for (let i = 0; i < len;) {
    const t = d[i];
    let optlen: number;
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = d[i + 1] + 2;
    else return fail("");
    if (i + optlen > len) return fail("");
    switch (t) {
      case 0:
        if (verbose) s += "(pad1)";
        break;
      case 1:
        if (verbose) s += "(padn)";
        break;
      case 5:
        if (len - i < 4) return fail("(rtalert: trunc)");
        if (d[i + 1] !== 2) return fail(`(rtalert: invalid len ${d[i + 1]})`);
        if (verbose) s += `(rtalert: 0x${be16(i + 2).toString(16).padStart(4, "0")}) `;
        break;
      case 0xc2: {
        if (len - i < 6) return fail("(jumbo: trunc)");
        if (d[i + 1] !== 4) return fail(`(jumbo: invalid len ${d[i + 1]})`);
        const j = be32(i + 2);
        let why = "";
        if (jumboSeen) why = " - already seen";
        else if (hbh === null) why = " - not a hop-by-hop option";
        else if (hbh.payloadLen !== 0) why = " - payload len != 0";
        else if (j < 65536) why = " - < 65536";
        jumboSeen = true;
        if (verbose) s += `(jumbo: ${j}${why}) `;
        break;
      }
      case 0xc9:
        if (len - i < 18) return fail("(homeaddr: trunc)");
        if (d[i + 1] < 16) return fail(`(homeaddr: invalid len ${d[i + 1]})`);
        if (verbose) s += `(homeaddr: ${formatIpv6Address(d, i + 2)})`;
        break;
      default:
        if (verbose) s += `(opt_type 0x${t.toString(16).padStart(2, "0")}: len=${d[i + 1]})`;
    }
    i += optlen;
  }
  return { text: verbose ? s + " " : s, ok: true };
}

/**
 * An IPv6 routing header as tcpdump's rt6_print prints it, from its captured bytes (`hdr` starts at its
 * next-header byte): types 0 and 2 (`, rsv=0x0` with -v or when not zero, then the addresses) and 4
 * (segment routing: last entry, flags, tag, the segments). `end`: "ok" (the text ends in `) `), "invalid"
 * (an odd length or another type: tcpdump prints no more of the packet) or "jump" (cut: a long jump).
 */
function rt6Text(hdr: Uint8Array, verbose = false): { text: string; end: "ok" | "invalid" | "jump" } {
  let s = "RT6";
  const jump = () => ({ text: s + " [|rt6]", end: "jump" as const });
  if (hdr.length < 2) return jump();
  const len = hdr[1];
  s += ` (len=${len}`;
  if (hdr.length < 3) return jump();
  const type = hdr[2];
  s += `, type=${type}${type === 0 ? " [Deprecated]" : ""}`;
  if (hdr.length < 4) return jump();
  s += `, segleft=${hdr[3]}`;
  if (type === 0 || type === 2) {
    if (hdr.length < 8) return jump();
    const rsv = ((hdr[4] << 24) | (hdr[5] << 16) | (hdr[6] << 8) | hdr[7]) >>> 0;
    if (rsv !== 0 || verbose) s += `, rsv=0x${rsv.toString(16)}`;
  } else if (type === 4) {
    if (hdr.length < 5) return jump();
    s += `, last-entry=${hdr[4]}`;
    if (hdr.length < 6) return jump();
    if (hdr[5] !== 0 || verbose) s += `, flags=0x${hdr[5].toString(16)}`;
    if (hdr.length < 8) return jump();
    s += `, tag=${((hdr[6] << 8) | hdr[7]).toString(16)}`;
  } else return { text: s + " (unknown type) (invalid)", end: "invalid" };
  if (len % 2 === 1) return { text: s + ` (invalid length ${len}) (invalid)`, end: "invalid" };
  for (let k = 0; k < len / 2; k++) {
    const at = 8 + 16 * k;
    if (at + 16 > hdr.length) return jump();
    s += `, [${k}]${formatIpv6Address(hdr, at)}`;
  }
  return { text: s + ") ", end: "ok" };
}

/**
 * Next-header numbers of IPv6 extension headers, which tcpdump follows after an IPv6 header only (after
 * IPv4 it names them ip-proto-N; "no next header", 59, it prints after either).
 */
const IPV6_ONLY = new Set([0, 43, 44, 60]);

/**
 * The transport part. `direct`: the IP header's own next header (tcpdump then prints `addr.port`);
 * otherwise addresses were printed already and ports stand alone.
 */
function upper(
  c: Ctx,
  i: number,
  proto: number,
  src: string,
  dst: string,
  direct: boolean,
  l4len: number,
): string {
  const l = c.r.layers[i];
  if (l && c.r.quotedAt !== i) {
    switch (l.layer) {
      case "tcp":
        return portsText(direct, src, dst, l.srcPort, l.dstPort) +
          tcp(c, i, l, l4len, c.r.frame.subarray(c.r.offsets[i], c.r.offsets[i] + l4len));
      case "udp":
        return portsText(direct, src, dst, l.srcPort, l.dstPort) + udp(c, i, l, l4len);
      case "icmp":
        return addrsText(direct, src, dst) + icmp(c, i, l, l4len);
      case "icmpv6":
        return addrsText(direct, src, dst) + icmp6(c, i, l, l4len);
      case "ipv4":
      case "ipv6":
        // IP in IP: the outer addresses, then the inner datagram as it prints on its own.
        return addrsText(direct, src, dst) + network(c, i);
      case "gre":
        return addrsText(direct, src, dst) + gre(c, i, l, l4len);
      case "ah": {
        // Then the protected protocol, its ports alone (tcpdump's `direct` test fails after AH).
        const at = c.r.offsets[i];
        const ah = ahText(c.r.frame.subarray(at, at + l.hdrLen), c.o.verbose);
        return addrsText(direct, src, dst) + ah.text +
          upper(c, i + 1, l.nextHeader, src, dst, false, l4len - l.hdrLen);
      }
    }
  }
  return undecoded(c, i, proto, src, dst, direct, l4len);
}

/** IPv4's type of service as `-v` prints it: `0x2,ECT(0)`, with the ECN codepoint's name (RFC 3168). */
function tosText(tos: number): string {
  return `0x${tos.toString(16)}` + ["", ",ECT(1)", ",ECT(0)", ",CE"][tos & 3];
}

/** `src > dst: ` where the IP header's own next header is printed (`direct`), else nothing. */
function addrsText(direct: boolean, src: string, dst: string): string {
  return direct ? `${src} > ${dst}: ` : "";
}

/** `src.sport > dst.dport: ` where the IP header's own next header is printed (`direct`), else the ports. */
function portsText(direct: boolean, src: string, dst: string, sp: number, dp: number): string {
  return direct ? `${src}.${sp} > ${dst}.${dp}: ` : `${sp} > ${dp}: `;
}

/**
 * What follows the IP header when nothing past it was decoded: a protocol only printed here, or a header
 * cut short (kept out of {@link upper}, the path of every TCP and UDP packet).
 */
function undecoded(
  c: Ctx,
  i: number,
  proto: number,
  src: string,
  dst: string,
  direct: boolean,
  l4len: number,
): string {
  const addrs = addrsText(direct, src, dst);
  const ports = (sp: number, dp: number) => portsText(direct, src, dst, sp, dp);
  // Nothing decoded past IP: a protocol we do not decode, or a header cut short.
  const p = c.r.payload;
  const pv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  // IPv6's extension header numbers mean nothing after an IPv4 header: tcpdump names them ip-proto-N.
  if (IPV6_ONLY.has(proto) && ipBefore(c, i)?.layer === "ipv4") {
    return addrs + ` ip-proto-${proto} ${l4len}`;
  }
  switch (proto) {
    case 4:
      // IP in IP whose inner header is cut: the inner dissector's own marks.
      return addrs + (c.o.link ? ipv4Broken(c, p, l4len).replace(/^IP /, "") : ipv4Broken(c, p, l4len));
    case 41:
      return addrs + (c.o.link ? ipv6Broken(p).replace(/^IP6 /, "") : ipv6Broken(p));
    case 6:
      if (p.length >= 4) {
        const hl = p.length >= 13 ? (p[12] >> 4) * 4 : 20;
        const pre = ports(pv.getUint16(0), pv.getUint16(2));
        if (p.length >= 13 && hl < 20 && c.r.malformed) {
          return pre + ` tcp ${l4len - hl} [bad hdr length ${hl} - too short, < 20]`;
        }
        if (p.length >= 14 && hl > l4len) {
          // -q: tcpdump computes the length in unsigned arithmetic, wrapping.
          if (c.o.quiet) return pre + `tcp ${u32(l4len - hl)} [bad hdr length ${hl} - too long, > ${l4len}]`;
          return pre +
            `Flags [${tcpFlagsText(p[13])}] [bad hdr length ${hl} - too long, > ${l4len}]`;
        }
        // The fixed header is whole, its options are cut: tcpdump prints the options it has.
        if (p.length >= 20 && hl >= 20) return pre + tcp(c, i, cutTcp(p, l4len), l4len, p);
        return pre + " [|tcp]";
      }
      // tcpdump's tcp_print writes the addresses (after IPv6 extension headers too) with no space after
      // the colon before giving up.
      return `${src} > ${dst}: [|tcp]`;
    case 17:
      if (p.length >= 8) {
        const ulen = pv.getUint16(4);
        if (ulen < 8) return ports(pv.getUint16(0), pv.getUint16(2)) + `truncated-udplength ${ulen}`;
      }
      if (p.length >= 4) return ports(pv.getUint16(0), pv.getUint16(2)) + " [|udp]";
      return addrs + " [|udp]";
    case 1:
      return addrs + icmpCut(c, p, l4len);
    case 47:
      return addrs + formatGre(walkGre(p, l4len), { link: c.o.link, verbose: c.o.verbose, length: l4len });
    case 58:
      // A neighbour discovery message cut short: tcpdump prints what it could read.
      if (p.length >= 1 && isNd(p[0])) {
        return addrs + ndText(p.subarray(0, l4len), l4len, level(c));
      }
      return addrs + icmp6Cut(c, i, p.subarray(0, l4len), l4len);
    case 59:
      return addrs + "no next header";
    case 112:
      return addrs + vrrp(c, i, p, l4len);
    case 2:
      return addrs +
        printed(
          c,
          igmpText(p.subarray(0, l4len), l4len, {
            verbosity: level(c),
            ttl: ipOf(c, i)?.ttl ?? 0,
            quiet: c.o.quiet,
            ipVersion: ipBefore(c, i)?.layer === "ipv6" ? 6 : 4,
          }),
        );
    case 50:
      return addrs + espText(p.subarray(0, l4len), l4len);
    case 108:
      // tcpdump has no decompressor: the compression parameter index alone.
      if (p.length < 4) {
        c.jump = true;
        return addrs + " [|ipcomp]";
      }
      return addrs + `IPComp(cpi=0x${((p[2] << 8) | p[3]).toString(16).padStart(4, "0")})`;
    case 51: {
      // An authentication header cut short (or too short for its fixed part).
      const ah = ahText(p.subarray(0, l4len), c.o.verbose);
      if (ah.jump) c.jump = true;
      return addrs + ah.text;
    }
    case 88:
      return addrs + printed(c, eigrpText(p.subarray(0, l4len), l4len, level(c)));
    case 89:
      return addrs +
        printed(
          c,
          ospfText(p.subarray(0, l4len), l4len, {
            verbosity: level(c),
            ipVersion: ipBefore(c, i)?.layer === "ipv6" ? 6 : 4,
          }),
        );
    case 103: {
      const ip = ipOf(c, i);
      if (!ip) break;
      const datagram = (b: Uint8Array, n: number) => carried(c, b, n);
      return addrs + printed(c, pimText(p.subarray(0, l4len), l4len, { verbosity: level(c), ip, datagram }));
    }
    case 33: {
      const ip = ipOf(c, i);
      if (!ip) break;
      return printed(
        c,
        dccpText(p.subarray(0, l4len), l4len, {
          verbosity: level(c),
          quiet: c.o.quiet === true,
          addrs,
          ports: (sp, dp) => `${src}.${sp} > ${dst}.${dp}: `,
          ip,
        }),
      );
    }
    case 132:
      // SCTP prints the addresses with the ports even after IPv6 extension headers.
      return printed(
        c,
        sctpText(p.subarray(0, l4len), l4len, {
          verbosity: level(c),
          ports: (sp, dp) => `${src}.${sp} > ${dst}.${dp}: `,
          defaultPrint: c.o.dumpUndecoded === true && !c.o.quiet,
        }),
      );
    // Options headers cut short: a long jump before their length byte, a check after it.
    case 0: {
      // A hop-by-hop header must come first: tcpdump checks that before reading it.
      const ip = ipBefore(c, i);
      if (ip?.layer === "ipv6" && ip.extHeaders.length > 0) {
        const why = ip.extHeaders.some((e) => e.type === 0)
          ? "was already found"
          : "don't follow the IPv6 header";
        return addrs + `[The Hop-by-Hop Options header ${why}] (invalid)`;
      }
      c.jump = p.length < 2;
      return addrs + " [|hbhopt]";
    }
    case 60:
      c.jump = p.length < 2;
      return addrs + " [|dstopt]";
    case 43: {
      // A routing header cut short; with none of it captured, IPv6's own mark.
      if (p.length === 0) return addrs + " [|ip6]";
      const rt = rt6Text(p, c.o.verbose);
      if (rt.end === "jump") c.jump = true;
      return addrs + rt.text;
    }
    case 44: {
      // frag6_print reads the offset first, with -v the identification too; a first fragment's header
      // that ends the capture ends the text (after a space), a later fragment's without it.
      if (p.length < 4 || (c.o.verbose && p.length < 8)) {
        c.jump = true;
        return addrs + " [|frag6]";
      }
      const offset = ((p[2] << 8) | p[3]) & 0xfff8;
      const ident = ((p[4] << 24) | (p[5] << 16) | (p[6] << 8) | p[7]) >>> 0;
      const id = c.o.verbose ? `0x${ident.toString(16).padStart(8, "0")}:` : "";
      return addrs + `frag (${id}${offset}|${l4len - 8})${offset === 0 ? " " : ""}`;
    }
  }
  return addrs + ` ip-proto-${proto} ${l4len}`;
}

/** The layer before layer `i`, past an IPv4 authentication header: the IP header that carries it. */
function ipBefore(c: Ctx, i: number): Layer {
  const l = c.r.layers[i - 1];
  return l?.layer === "ah" ? c.r.layers[i - 2] : l;
}

/** A printer's text; notes its long jump. */
function printed(c: Ctx, t: Printed): string {
  if (t.jump) c.jump = true;
  return t.text;
}

/**
 * An IPv4 or IPv6 packet carried whole inside another message (a PIM Register): decoded on its own as raw
 * IP and printed as tcpdump's ip_print/ip6_print would, with the same options and TCP conversations.
 */
function carried(c: Ctx, bytes: Uint8Array, length: number, linktype = 101): Printed {
  const r = new PacketDecoder().decode(bytes, linktype);
  const inner: Ctx = { r, o: c.o, frameAt: 0, frameWire: length };
  let text: string;
  if (r.layers[0]) text = network(inner, 0);
  else {
    // A header the decoder refuses: what IP in IP prints for it (by the version when either may come).
    const v6 = linktype === 229 || (linktype === 101 && bytes.length > 0 && bytes[0] >> 4 === 6);
    text = v6 ? ipv6Broken(bytes) : ipv4Broken(inner, bytes, length);
    if (c.o.link) text = text.replace(/^IP6? /, "");
  }
  return { text, jump: inner.jump === true };
}

/**
 * The network packet a PPP frame carried by L2TP holds: IPv4 (PPP 0x21, VJ uncompressed 0x2f, or the
 * EtherType), IPv6 (0x57) or MPLS (0x281, 0x283),
 * printed as the sniffer prints one; null for the others, which L2TP's printer names itself.
 */
function pppNetwork(c: Ctx, protocol: number, bytes: Uint8Array, length: number): Printed | null {
  if (protocol === 0x21 || protocol === 0x2f || protocol === 0x0800) return carried(c, bytes, length, 228);
  if (protocol === 0x57 || protocol === 0x86dd) return carried(c, bytes, length, 229);
  if (protocol === 0x281 || protocol === 0x283) {
    // MPLS: decoded behind a PPP header of its own, then printed from the label stack on.
    const frame = new Uint8Array(4 + bytes.length);
    frame.set([0xff, 0x03, protocol >> 8, protocol & 0xff]);
    frame.set(bytes, 4);
    const inner: Ctx = { r: new PacketDecoder().decode(frame, 9), o: c.o, frameAt: 0, frameWire: length + 4 };
    if (inner.r.layers[1]?.layer === "mpls") return { text: network(inner, 1), jump: inner.jump === true };
    // A label cut short: a long jump, unless the packet is too short for one.
    return { text: "MPLS" + mplsCut(length), jump: length >= 4 };
  }
  return null;
}

/** The verbosity tcpdump's dissectors see: 0 without `-v`, else the number of `v`s. */
function level(c: Ctx): number {
  return c.o.verbose ? Math.max(1, c.o.verbosity ?? 1) : 0;
}

/**
 * The header carrying layer `i`: its addresses (an IPv6 packet's final destination), and its TTL or hop
 * limit; undefined when layer `i` follows no IP header.
 */
function ipOf(c: Ctx, i: number): { src: Uint8Array; dst: Uint8Array; ttl: number } | undefined {
  const ip = ipBefore(c, i);
  if (ip?.layer === "ipv4") return { src: ip.src, dst: finalDst(ip), ttl: ip.ttl };
  if (ip?.layer === "ipv6") return { src: ip.src, dst: finalDst(ip), ttl: ip.hopLimit };
  return undefined;
}

/**
 * tcpdump's ah_print (RFC 4302): `AH(spi=0x00000100,seq=0x3,icv=0x...): `, with -v the length first and a
 * reserved field that is not zero flagged; a read past the captured bytes ends it with ` [|ah]` (a jump).
 */
function ahText(h: Uint8Array, verbose = false): { text: string; jump: boolean } {
  // Nothing captured: a check, not a read.
  if (h.length < 1) return { text: " [|ah]", jump: false };
  let s = "AH";
  const cut = () => ({ text: s + " [|ah]", jump: true });
  if (h.length < 2) return cut();
  const len = (h[1] + 2) * 4;
  s += "(";
  if (verbose) s += `length=${h[1]}(${len}-bytes),`;
  if (h.length < 4) return cut();
  const reserved = (h[2] << 8) | h[3];
  if (reserved) s += `reserved=0x${reserved.toString(16)}[MustBeZero],`;
  if (h.length < 8) return cut();
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  s += `spi=0x${v.getUint32(4).toString(16).padStart(8, "0")},`;
  if (h.length < 12) return cut();
  s += `seq=0x${v.getUint32(8).toString(16)},icv=0x`;
  for (let k = 12; k < len; k++) {
    if (k >= h.length) return cut();
    s += h[k].toString(16).padStart(2, "0");
  }
  return { text: s + "): ", jump: false };
}

/** tcpdump's esp_print without keys (RFC 4303): `ESP(spi=0x00001000,seq=0x5), length 48`. */
function espText(p: Uint8Array, length: number): string {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  // tcpdump checks for the byte after the sequence number before printing anything.
  if (p.length < 9) return " [|esp]";
  const spi = v.getUint32(0).toString(16).padStart(8, "0");
  return `ESP(spi=0x${spi},seq=0x${v.getUint32(4).toString(16)}), length ${length}`;
}

/** VRRP: the text needs the carrying header's TTL (or hop limit) and, for `-v`, its addresses. */
function vrrp(c: Ctx, i: number, p: Uint8Array, l4len: number): string {
  const ip = ipBefore(c, i);
  if (ip?.layer === "ipv4") return vrrpText(p, l4len, { ttl: ip.ttl, verbose: c.o.verbose, ip });
  if (ip?.layer === "ipv6") {
    return vrrpText(p, l4len, {
      ttl: ip.hopLimit,
      verbose: c.o.verbose,
      ip: { src: ip.src, dst: finalDst(ip) },
    });
  }
  return ` ip-proto-112 ${l4len}`;
}

/**
 * tcp_print. `seg` is the segment as captured, from its header on: the options are read from it as tcpdump
 * reads them (a header cut inside its options comes here too, as a layer built from its first 20 bytes).
 */
function tcp(c: Ctx, i: number, t: TcpLayer, l4len: number, seg: Uint8Array): string {
  const len = t.payloadLen;
  if (c.o.quiet) {
    // tcpdump computes the length in unsigned arithmetic here, wrapping when the header claims too much.
    return t.hdrLen > l4len
      ? `tcp ${u32(l4len - t.hdrLen)} [bad hdr length ${t.hdrLen} - too long, > ${l4len}]`
      : `tcp ${len}`;
  }
  if (t.hdrLen > l4len) {
    return `Flags [${tcpFlagsText(t.flags & 0xff)}] [bad hdr length ${t.hdrLen} - too long, > ${l4len}]`;
  }
  let seq = t.seq, ack = t.ack, view: TcpSeqView | null = null;
  if (!c.o.absolute && c.o.tracker) {
    const ip = ipBefore(c, i);
    const [src, dst] = ip && (ip.layer === "ipv4" || ip.layer === "ipv6")
      ? [ip.src, ip.dst]
      : [new Uint8Array(0), new Uint8Array(0)];
    view = c.o.tracker.apply(src, dst, t.srcPort, t.dstPort, t.flags, t.seq, t.ack);
    seq = view.seq;
    ack = view.ack;
  }
  // tcpdump 4.99.3 reads the flags byte alone: the AE bit in the byte before is not shown.
  let s = `Flags [${tcpFlagsText(t.flags & 0xff)}]`;
  if (c.o.verbose) s += tcpCksumText(c, i, t, l4len, seg);
  // -vv prints the sequence number of every segment, an empty ACK's too.
  if (len > 0 || (t.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) || (c.o.verbosity ?? 1) >= 2) {
    s += `, seq ${seq}`;
    if (len > 0) s += `:${u32(seq + len)}`;
  }
  if (t.flags & TcpFlag.ACK) s += `, ack ${ack}`;
  s += `, win ${t.window}`;
  if (t.flags & TcpFlag.URG) s += `, urg ${t.urgent}`;
  let proto = "tcp";
  if (t.hdrLen > 20) {
    const o = tcpOptionsText(seg.subarray(20), t.hdrLen - 20, {
      flags: t.flags & 0xff,
      sackEdge: sackEdge(view),
      // Built only for a segment that carries a signature: the IP fields are read then.
      md5: (sig) => md5Check(c, i, seg, t, len)(sig),
    });
    s += ", options [" + o.text;
    if (o.jump) c.jump = true;
    if (o.stop) return s;
    proto = o.proto;
  }
  s += `, length ${len}`;
  if (len > 0 && seg.length < t.hdrLen) {
    // The option list ended (an eol) before the cut: tcpdump's bounds check before the data.
    c.jump = true;
    return s + ` [remaining caplen(${seg.length}) < header length(${t.hdrLen})] [|${proto}]`;
  }
  // -v shows the data of a reset segment instead of dissecting it (RFC 1122 section 4.2.2.12).
  if (len > 0 && (t.flags & TcpFlag.RST) && c.o.verbose) s += rstData(c.r.payload, len);
  else if (len > 0) s += tcpApp(c, i, t, len);
  return s;
}

/**
 * The applications tcpdump 4.99 picks by TCP port (either one), in its order: the first that matches takes
 * the segment. Those netkit does not dissect are listed so that they still take their segments first.
 */
const TCP_APPS: [number[], string][] = [
  [[23], "telnet"],
  [[25], "smtp"],
  [[43], "whois"],
  [[179], "bgp"],
  [[1723], "pptp"],
  [[6379], "resp"],
  [[22], "ssh"],
  [[10288], "beep"],
  [[6633, 6653], "openflow"],
  [[21], "ftp"],
  [[80, 8080], "http"],
  [[554, 8554], "rtsp"],
  [[53], "domain"],
  [[639], "msdp"],
  [[323], "rpki-rtr"],
  [[646], "ldp"],
  [[2049], "nfs"],
];
/** For each port, the index in {@link TCP_APPS} of the application it selects (255: none). */
const TCP_APP_AT = new Uint8Array(65536).fill(255);
TCP_APPS.forEach(([ports], k) => ports.forEach((p) => TCP_APP_AT[p] = k));

/** What tcpdump prints after `length N` for a segment's data, by its ports. */
function tcpApp(c: Ctx, i: number, t: TcpLayer, len: number): string {
  const forced = c.o.packetType;
  // -T: only domain and resp print TCP data, whatever the ports; any other type prints none.
  const k = forced === undefined ? Math.min(TCP_APP_AT[t.srcPort], TCP_APP_AT[t.dstPort]) : 255;
  if (k === 255 && forced !== "domain" && forced !== "resp") return "";
  const p = c.r.payload, v = c.o.verbose;
  switch (forced ?? TCP_APPS[k][1]) {
    case "telnet":
      return printed(c, telnetText(p, len, { verbosity: level(c) }));
    case "smtp":
      return ": " + printed(c, textProtocolText(SMTP, p, len, v));
    case "whois":
      return ": " + printed(c, textProtocolText(WHOIS, p, len, v));
    case "bgp":
      return printed(c, bgpText(p, len, { verbosity: level(c) }));
    case "resp":
      return printed(c, respText(p, len, { verbosity: level(c) }));
    case "pptp":
      return printed(c, pptpText(p, len, level(c)));
    case "ssh":
      return printed(c, sshText(p, len));
    case "ftp":
      return ": " + printed(c, textProtocolText(FTP, p, len, v));
    case "http":
      return ": " + printed(c, textProtocolText(HTTP, p, len, v));
    case "rtsp":
      return ": " + printed(c, textProtocolText(RTSP, p, len, v));
    case "domain": {
      // The decoder's dns layer took the payload: the data are the bytes after the header.
      const at = c.r.offsets[i] + t.hdrLen;
      const data = c.r.frame.subarray(at, Math.max(at, at + len));
      return printed(c, dnsText(data, len, { mdns: false, overTcp: true, verbosity: level(c) }));
    }
    case "msdp":
      return printedOrEmpty(c, msdpText(p, len, level(c), (b, n) => carried(c, b, n)));
    case "rpki-rtr":
      return printedOrEmpty(c, rpkiRtrText(p, len, level(c)));
    case "ldp":
      return printedOrEmpty(c, ldpText(p, len, level(c)));
    case "nfs":
      return printedOrEmpty(c, nfsTcpText(p, len, nfsContext(c, i, t.srcPort, t.dstPort)));
  }
  return "";
}

/** A printer's text (see {@link printed}), or "" when it had nothing to say. */
function printedOrEmpty(c: Ctx, p: Printed | null): string {
  return p === null ? "" : printed(c, p);
}

/** What the NFS printers need: the carrying IP header's addresses, the ports, the calls seen. */
function nfsContext(c: Ctx, i: number, sport: number, dport: number): NfsContext {
  const ip = ipBefore(c, i);
  const none = new Uint8Array(0);
  const [src, dst] = ip && (ip.layer === "ipv4" || ip.layer === "ipv6") ? [ip.src, ip.dst] : [none, none];
  return { xids: c.o.nfs ?? new NfsXids(), src, dst, sport, dport, verbosity: level(c) };
}

/**
 * tcpdump's ssh_print: the identification string an SSH connection starts with (RFC 4253 section 4.2),
 * `: SSH: SSH-2.0-OpenSSH_9.2p1`; nothing for the binary packets that follow.
 */
function sshText(p: Uint8Array, len: number): Printed {
  const at = (k: number) => {
    if (k >= p.length) throw new Cut();
    return p[k];
  };
  try {
    for (let k = 0; k < 4; k++) if (at(k) !== "SSH-".charCodeAt(k)) return { text: "", jump: false };
    for (let k = 4; k < len; k++) {
      const ch = at(k);
      // A line ends at LF or CR LF; a lone CR or anything unprintable is taken for binary data.
      if (ch === 0x0a || (ch === 0x0d && k + 1 < len && at(k + 1) === 0x0a)) {
        let s = ": SSH: ";
        for (let j = 0; j < k; j++) s += String.fromCharCode(p[j]);
        return { text: s, jump: false };
      }
      if (ch < 0x20 || ch > 0x7e) return { text: "", jump: false };
    }
    return { text: "", jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    // Its reads run off the captured bytes by a long jump.
    return { text: " [|ssh]", jump: true };
  }
}

/**
 * tcpdump's print_tcp_rst_data: up to 30 bytes of a reset's data as text, `+` when there is more, `!` when
 * the capture does not hold all of it.
 */
function rstData(p: Uint8Array, len: number): string {
  const n = Math.min(len, 30);
  let s = ` [${p.length < len ? "!" : ""}RST${len > 30 ? "+" : ""} `;
  for (let k = 0; k < n && k < p.length; k++) s += textChar(p[k]);
  return s + "]";
}

/** `-v`: tcpdump verifies the checksum of an unfragmented segment it has whole. */
function tcpCksumText(c: Ctx, i: number, t: TcpLayer, l4len: number, seg: Uint8Array): string {
  const ip = ipBefore(c, i);
  if (c.o.noChecksums || !ip || (ip.layer !== "ipv4" && ip.layer !== "ipv6")) return "";
  if (ip.layer === "ipv4" && (ip.mf || ip.fragOffset)) return "";
  if (ip.layer === "ipv6" && (ip.payloadLen === 0 || ip.extHeaders.some((e) => e.type === 44))) return "";
  if (seg.length < l4len) return "";
  const want = tcpChecksum(seg, { src: ip.src, dst: finalDst(ip) });
  const hex = (x: number) => `0x${x.toString(16).padStart(4, "0")}`;
  return `, cksum ${hex(t.checksum)} ` +
    (want === t.checksum ? "(correct)" : `(incorrect -> ${hex(shouldBe(want))})`);
}

/** A TCP layer from a header whose options the capture cuts (its first 20 bytes are there). */
function cutTcp(p: Uint8Array, l4len: number): TcpLayer {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const hdrLen = (p[12] >> 4) * 4;
  return {
    layer: "tcp",
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    hdrLen,
    flags: ((p[12] & 0x0f) << 8) | p[13],
    window: v.getUint16(14),
    checksum: v.getUint16(16),
    urgent: v.getUint16(18),
    options: [],
    payloadLen: Math.max(0, l4len - hdrLen),
  };
}

/** SACK edges are printed relative like the numbers they acknowledge. */
function sackEdge(v: TcpSeqView | null): ((edge: number) => number) | undefined {
  if (!v) return undefined;
  const base = v.reversed ? v.baseSeq : v.baseAck;
  return (edge) => u32(edge - base);
}

/** `-M`: the TCP-MD5 check of a segment, with the carrying IP header's fields. */
function md5Check(c: Ctx, i: number, seg: Uint8Array, t: TcpLayer, len: number): (sig: Uint8Array) => string {
  const ip = ipBefore(c, i);
  const h: TcpMd5Ip | undefined = ip?.layer === "ipv4"
    ? { version: 4, src: ip.src, dst: ip.dst, proto: ip.proto, totalLen: ip.totalLen, hdrLen: ip.hdrLen }
    : ip?.layer === "ipv6"
    ? { version: 6, src: ip.src, dst: ip.dst, payloadLen: ip.payloadLen }
    : undefined;
  return tcpMd5Check(h, seg, t.hdrLen, len, c.o.tcpSecret);
}

function udp(c: Ctx, i: number, u: UdpLayer, l4len: number, withSum = true): string {
  if (u.length < 8) return `truncated-udplength ${u.length}`;
  const sp = u.srcPort, dp = u.dstPort;
  const dataLen = Math.min(u.length, l4len) - 8;
  // -T: that printer, before -q, NFS, the checksum and the ports (tcpdump's udp_print).
  if (c.o.packetType !== undefined) return forcedUdp(c, i, c.o.packetType, dp, dataLen, l4len);
  if (c.o.quiet) return udpPlain(c, i, u, l4len);
  // tcpdump tries NFS's RPC before the checksum and every port.
  if ((sp === 2049 || dp === 2049) && withSum) {
    const at = c.r.offsets[i] + 8;
    const data = c.r.frame.subarray(at, Math.max(at, c.r.offsets[i] + l4len));
    const nfs = nfsUdpText(data, dataLen, nfsContext(c, i, sp, dp));
    if (nfs !== null) return printed(c, nfs);
  }
  if (c.o.verbose && withSum) {
    const note = l4SumText(c, i, 17, l4len, "udp");
    if (note) return note + udp(c, i, u, l4len, false);
  }
  if (sp === 53 || dp === 53) return dns(c, i, dataLen, false, l4len);
  if (sp === 5353 || dp === 5353) return dns(c, i, dataLen, true, l4len);
  const app = udpAppFor(sp, dp);
  if (app !== null) {
    const text = udpApp(c, i, app, sp, dp, dataLen, l4len);
    if (text !== null) return text;
  }
  return udpPlain(c, i, u, l4len);
}

/** A datagram printed as `-T` says: whatever that printer makes of it, even nothing. */
function forcedUdp(c: Ctx, i: number, type: PacketType, dp: number, dataLen: number, l4len: number): string {
  const at = c.r.offsets[i] + 8;
  const data = c.r.frame.subarray(at, Math.max(at, c.r.offsets[i] + l4len));
  switch (type) {
    case "domain":
      return dns(c, i, dataLen, false, l4len);
    case "vxlan":
      return vxlan(c, i + 1, data, dataLen);
    case "resp":
      return ""; // tcpdump's UDP printer has no RESP
  }
  const ctx = type === "aodv" ? udpAppContext(c, i) : undefined;
  const text = udpAppText(type, dp, data, dataLen, c.o.verbose, c.o.verbosity, ctx);
  return text === null ? "" : printed(c, text);
}

/** tcpdump's line for a datagram no dissector took: its data length, or both lengths when it claims more. */
function udpPlain(c: Ctx, i: number, u: UdpLayer, l4len: number): string {
  // The first fragment of a datagram carries less than its UDP length: not an error.
  const ip = ipBefore(c, i);
  const fragmented = ip?.layer === "ipv4" && ip.mf;
  // Both without the UDP header, as tcpdump has them by then.
  if (u.length > l4len && !fragmented) return `UDP, bad length ${u.length - 8} > ${l4len - 8}`;
  return `UDP, length ${u.length - 8}`;
}

/**
 * The text of the application or tunnel the ports select for the datagram at layer `i`, or null for the
 * plain line (SUN RPC to NFS, or a dissector with nothing of its own to print).
 */
function udpApp(
  c: Ctx,
  i: number,
  app: UdpApp,
  sp: number,
  dp: number,
  dataLen: number,
  l4len: number,
): string | null {
  // tcpdump's application reads stop at the IP payload's end, not at the UDP length.
  const at = c.r.offsets[i] + 8;
  const data = c.r.frame.subarray(at, Math.max(at, c.r.offsets[i] + l4len));
  if (udpIsNfsRpc(sp, dp, data)) return null;
  switch (app) {
    case "vxlan":
      return vxlan(c, i + 1, data, dataLen);
    case "otv":
      return otv(c, i + 1, data, dataLen);
    case "geneve":
      return geneve(c, i + 1, data, dataLen);
    case "vxlan-gpe":
      return vxlanGpe(c, i + 1, data, dataLen);
    case "bcmli":
      return bcmLi(c, data, dataLen);
    case "mpls":
      if (c.r.layers[i + 1]?.layer === "mpls") return mpls(c, i + 1);
      // Too short for a label, and not even that much captured: both marks.
      return "MPLS" + mplsCut(dataLen) + (dataLen < 4 && data.length < dataLen ? " [|mpls]" : "");
  }
  // The context (allocated) only for the printers that use it.
  const ctx = app === "isakmp" || app === "natt" || app === "l2tp" || app === "aodv"
    ? udpAppContext(c, i)
    : undefined;
  const text = udpAppText(app, dp, data, dataLen, c.o.verbose, c.o.verbosity, ctx);
  return text === null ? null : printed(c, text);
}

/** Broadcom's LI shim (`_bcm_li.ts`), then with `-v` the intercepted packet, decoded from its bytes. */
function bcmLi(c: Ctx, data: Uint8Array, dataLen: number): string {
  const b = bcmLiText(data, dataLen, c.o.verbose === true);
  if (b.jump) c.jump = true;
  if (b.linktype === null) return b.text;
  const rest = data.subarray(4), wire = dataLen - 4;
  if (b.linktype === 1) {
    const frame: Ctx = { r: new PacketDecoder().decode(rest, 1), o: c.o, frameAt: 0, frameWire: wire };
    const text = innerEther(frame, 0, wire, rest.length);
    if (frame.jump) c.jump = true;
    return b.text + text;
  }
  return b.text + printed(c, carried(c, rest, wire, b.linktype));
}

/**
 * Geneve (tcpdump's geneve_print) at layer `i`: its header and options, then what it carries: an Ethernet
 * frame, a packet of an EtherType tcpdump prints, or `geneve-proto-0x...`.
 */
function geneve(c: Ctx, i: number, data: Uint8Array, dataLen: number): string {
  const g = geneveText(data, dataLen, { link: c.o.link === true, verbosity: level(c), ethertypeName });
  if (g.jump) c.jump = true;
  if (!g.payload) return g.text;
  const proto = (data[2] << 8) | data[3], start = 8 + (data[0] & 0x3f) * 4;
  const decoded = c.r.layers[i]?.layer === "geneve";
  if (proto === 0x6558) {
    return g.text + (decoded ? innerEther(c, i + 1, dataLen - start, data.length - start) : " [|ether]");
  }
  if (ETHERTYPE_NAMES[proto] === undefined || ETHERTYPES_NAMED_ONLY.has(proto)) {
    return g.text + `geneve-proto-0x${proto.toString(16)}`;
  }
  return g.text + (decoded ? linkPayload(c, i + 1, proto) : "");
}

const ethertypeName = (t: number): string | undefined => ETHERTYPE_NAMES[t];

/** VXLAN-GPE (tcpdump's vxlan_gpe_print) at layer `i`: its header, then IPv4, IPv6 or an Ethernet frame. */
function vxlanGpe(c: Ctx, i: number, data: Uint8Array, dataLen: number): string {
  const g = vxlanGpeText(data, dataLen, c.o.verbose === true);
  if (g.jump) c.jump = true;
  if (g.next === null) return g.text;
  if (c.r.layers[i]?.layer !== "vxlan-gpe") return g.text;
  if (g.next === 3) return g.text + innerEther(c, i + 1, dataLen - 8, data.length - 8);
  if (g.next === 4) return g.text + nsh(c, data.subarray(8), dataLen - 8);
  return g.text + linkPayload(c, i + 1, g.next === 1 ? 0x0800 : 0x86dd);
}

/** 802.11, bare or behind radiotap (`_wlan.ts`); what a data frame carries is printed by the summarizer. */
function wlan(c: Ctx, wire: number): string {
  const p = wlanText(c.r.frame, wire, {
    radiotap: c.r.linktype === 127,
    verbosity: level(c),
    link: c.o.link === true,
    quiet: c.o.quiet === true,
    dumpUndecoded: c.o.dumpUndecoded === true,
    network: (ethertype, bytes, length) => etherPayload(c, ethertype, bytes, length),
  });
  if (p.jump) c.jump = true;
  c.linkLen = p.hdrLen;
  return p.text;
}

/** The packet of an EtherType carried in bytes of their own, printed as the sniffer prints it; null: none. */
function etherPayload(c: Ctx, ethertype: number, bytes: Uint8Array, length: number): Printed | null {
  if (ethertype === 0x0800) return carried(c, bytes, length, 228);
  if (ethertype === 0x86dd) return carried(c, bytes, length, 229);
  const known = ethertype === 0x0806 || ethertype === 0x8035 || ethertype === 0x888e ||
    ethertype === 0x8847 || ethertype === 0x8848;
  if (!known) return null;
  // ARP, EAPOL, MPLS: behind an Ethernet header of its own, then printed from its layer on.
  const frame = new Uint8Array(14 + bytes.length);
  frame[12] = ethertype >> 8;
  frame[13] = ethertype & 0xff;
  frame.set(bytes, 14);
  const inner: Ctx = { r: new PacketDecoder().decode(frame, 1), o: c.o, frameAt: 0, frameWire: 14 + length };
  const text = linkPayload(inner, 1, ethertype);
  return { text, jump: inner.jump === true };
}

/** NSH (`_nsh.ts`), then the packet it carries, decoded from its bytes and printed as the sniffer would. */
function nsh(c: Ctx, bytes: Uint8Array, length: number): string {
  const n = nshText(bytes, length, level(c));
  if (n.jump) c.jump = true;
  if (n.next === null) return n.text;
  if (n.next === 3) {
    // An Ethernet frame: printed as VXLAN's are.
    const rest = bytes.subarray(n.hdrLen), wire = length - n.hdrLen;
    const frame: Ctx = { r: new PacketDecoder().decode(rest, 1), o: c.o, frameAt: 0, frameWire: wire };
    const text = innerEther(frame, 0, wire, rest.length);
    if (frame.jump) c.jump = true;
    return n.text + text;
  }
  const linktype = n.next === 1 ? 228 : 229;
  const inner = carried(c, bytes.subarray(n.hdrLen), length - n.hdrLen, linktype);
  if (inner.jump) c.jump = true;
  return n.text + inner.text;
}

/** What ISAKMP and L2TP need from the summarizer for the datagram at layer `i`. */
function udpAppContext(c: Ctx, i: number): UdpAppContext {
  const carrier = ipBefore(c, i);
  return {
    // ISAKMP remembers exchanges by the IP header's own addresses (not an IPv6 routing header's).
    ip: carrier?.layer === "ipv4" || carrier?.layer === "ipv6"
      ? { src: carrier.src, dst: carrier.dst }
      : undefined,
    cookies: c.o.isakmp,
    ppp: (protocol, bytes, length) => pppNetwork(c, protocol, bytes, length),
    link: c.o.link,
    ip6: carrier?.layer === "ipv6",
  };
}

/** VXLAN (tcpdump's vxlan_print) at layer `i`: its header, a newline, then the Ethernet frame it carries. */
function vxlan(c: Ctx, i: number, data: Uint8Array, dataLen: number): string {
  const { text, frame } = vxlanText(data, dataLen);
  if (!frame) return text;
  const inner = dataLen - 8, caplen = data.length - 8;
  return text + (c.r.layers[i]?.layer === "vxlan" ? innerEther(c, i + 1, inner, caplen) : " [|ether]");
}

/**
 * tcpdump's otv_print (draft-hasmit-otv-04) at layer `i`: `OTV, flags [I] (0x08), overlay 0, instance 1`, a
 * newline, then the Ethernet frame. Its header has VXLAN's layout (the decoder reads it as one).
 */
function otv(c: Ctx, i: number, data: Uint8Array, dataLen: number): string {
  let s = "OTV, ";
  if (dataLen < 8) {
    s += `[length ${dataLen} < 8] (invalid)`;
    if (data.length < dataLen) c.jump = true, s += " [|otv]";
    return s;
  }
  const cut = () => (c.jump = true, s + " [|otv]");
  if (data.length < 1) return cut();
  s += `flags [${data[0] & 0x08 ? "I" : "."}] (0x${data[0].toString(16).padStart(2, "0")}), `;
  if (data.length < 4) return cut();
  s += `overlay ${(data[1] << 16) | (data[2] << 8) | data[3]}, `;
  if (data.length < 7) return cut();
  s += `instance ${(data[4] << 16) | (data[5] << 8) | data[6]}\n`;
  if (data.length < 8) return cut();
  return s +
    (c.r.layers[i]?.layer === "vxlan" ? innerEther(c, i + 1, dataLen - 8, data.length - 8) : " [|ether]");
}

/** DNS over UDP (`_dns_text.ts`): the datagram's data from the captured frame (the dns layer took the payload). */
function dns(c: Ctx, i: number, dataLen: number, mdns: boolean, l4len: number): string {
  // tcpdump prints the UDP length but reads records to the IP payload's end.
  const at = c.r.offsets[i] + 8;
  const p = c.r.frame.subarray(at, Math.max(at, c.r.offsets[i] + l4len));
  return printed(c, dnsText(p, dataLen, { mdns, overTcp: false, verbosity: level(c) }));
}

const UNREACH: Record<number, string> = {
  0: "net %s unreachable",
  1: "host %s unreachable",
  5: "%s unreachable - source route failed",
  6: "net %s unreachable - unknown",
  7: "host %s unreachable - unknown",
  8: "%s unreachable - source host isolated",
  9: "net %s unreachable - admin prohibited",
  10: "host %s unreachable - admin prohibited",
  11: "net %s unreachable - tos prohibited",
  12: "host %s unreachable - tos prohibited",
  13: "host %s unreachable - admin prohibited filter",
  14: "host %s unreachable - host precedence violation",
  15: "host %s unreachable - precedence cutoff",
};

/** Destination address, protocol and the first 4 bytes after the header of a quoted IPv4 datagram. */
function quoted4(body: Uint8Array): { dst: string; proto: number; l4: Uint8Array } | null {
  if (body.length < 20 || body[0] >> 4 !== 4) return null;
  const hl = (body[0] & 0xf) * 4;
  return { dst: formatIpv4Address(body, 16), proto: body[9], l4: body.subarray(hl) };
}

function icmp(c: Ctx, i: number, m: Icmpv4Layer, len: number): string {
  const id = m.rest >>> 16, seq = m.rest & 0xffff;
  const q = quoted4(m.body);
  // The error types print from the quoted header: without it tcpdump gives up on the whole message.
  if ((m.type === 3 || m.type === 5) && !q) {
    // Reading the quoted destination runs off the capture by a long jump; a port unreachable first checks
    // that the quoted protocol byte is there.
    if (!(m.type === 3 && m.code === 3 && m.body.length < 10)) c.jump = true;
    return " [|icmp]";
  }
  if (m.type === 3 && m.code === 3 && q && q.l4.length < 4) {
    c.jump = true;
    return " [|icmp]";
  }
  // A time exceeded checks that its quoted IP header was captured before printing anything.
  if (m.type === 11 && m.body.length < 20) return " [|icmp]";
  const qd = q?.dst ?? "?";
  let t: string;
  switch (m.type) {
    case 0:
    case 8:
      t = `echo ${m.type === 8 ? "request" : "reply"}, id ${id}, seq ${seq}`;
      break;
    case 3:
      if (m.code === 2) t = `${qd} protocol ${q?.proto ?? 0} unreachable`;
      else if (m.code === 3) {
        const port = q && q.l4.length >= 4 ? (q.l4[2] << 8) | q.l4[3] : 0;
        t = q?.proto === 6
          ? `${qd} tcp port ${port} unreachable`
          : q?.proto === 17
          ? `${qd} udp port ${port} unreachable`
          : `${qd} protocol ${q?.proto ?? 0} port ${port} unreachable`;
      } else if (m.code === 4) {
        const mtu = m.rest & 0xffff;
        t = mtu ? `${qd} unreachable - need to frag (mtu ${mtu})` : `${qd} unreachable - need to frag`;
      } else t = (UNREACH[m.code] ?? `%s unreachable - #${m.code}`).replace("%s", qd);
      break;
    case 4:
      t = "source quench";
      break;
    case 5: {
      const gw = `${m.rest >>> 24}.${(m.rest >>> 16) & 0xff}.${(m.rest >>> 8) & 0xff}.${m.rest & 0xff}`;
      const kind = [
        "redirect %s to net %s",
        "redirect %s to host %s",
        "redirect-tos %s to net %s",
        "redirect-tos %s to host %s",
      ][m.code] ?? "redirect-#%u %s to %s";
      t = kind.replace("%u", `${m.code}`).replace("%s", qd).replace("%s", gw);
      break;
    }
    case 9: {
      const num = m.rest >>> 24, size = (m.rest >>> 16) & 0xff, life = m.rest & 0xffff;
      t = `router advertisement lifetime ${
        life < 60
          ? life
          : life < 3600
          ? `${Math.floor(life / 60)}:${dec2(life % 60)}`
          : `${Math.floor(life / 3600)}:${dec2(Math.floor(life % 3600 / 60))}:${dec2(life % 60)}`
      } ${num}:`;
      if (size !== 2) t += ` [size ${size}]`;
      else {
        const b = m.body;
        for (let k = 0; k < num; k++) {
          // An entry not captured ends it all with the mark (a check, not a long jump).
          if (b.length < 8 * k + 8) return " [|icmp]";
          const pref = ((b[8 * k + 4] << 24) | (b[8 * k + 5] << 16) | (b[8 * k + 6] << 8) | b[8 * k + 7]) >>>
            0;
          t += ` {${formatIpv4Address(b, 8 * k)} ${pref}}`;
        }
      }
      break;
    }
    case 10:
      t = "router solicitation";
      break;
    case 11:
      t = m.code === 0
        ? "time exceeded in-transit"
        : m.code === 1
        ? "ip reassembly time exceeded"
        : `time exceeded-#${m.code}`;
      break;
    case 12:
      t = m.code === 0 ? `parameter problem - octet ${m.rest >>> 24}` : `parameter problem - code ${m.code}`;
      break;
    case 13:
      t = `time stamp query id ${id} seq ${seq}`;
      break;
    case 14: {
      const b = m.body;
      // tcpdump checks that the three timestamps were captured before printing anything.
      if (b.length < 12) return " [|icmp]";
      const at = (k: number) =>
        icmpTime(((b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3]) >>> 0);
      t = `time stamp reply id ${id} seq ${seq}: org ${at(0)}, recv ${at(4)}, xmit ${at(8)}`;
      break;
    }
    case 15:
      t = "information request";
      break;
    case 16:
      t = "information reply";
      break;
    case 17:
      t = "address mask request";
      break;
    case 18:
      if (m.body.length < 4) {
        c.jump = true;
        return " [|icmp]";
      }
      t = `address mask is 0x${
        ((m.body[0] << 24 | m.body[1] << 16 | m.body[2] << 8 | m.body[3]) >>> 0).toString(16).padStart(8, "0")
      }`;
      break;
    default:
      t = `type-#${m.type}`;
  }
  return `ICMP ${t}, length ${len}${icmpSum(c, i, len)}${icmpQuoted(c, i, m.type, m.body)}`;
}

/** -v: tcpdump's complaint about a wrong checksum of a whole, unfragmented ICMP message (nothing if right). */
function icmpSum(c: Ctx, i: number, len: number): string {
  const ip = ipBefore(c, i);
  if (!c.o.verbose || ip?.layer !== "ipv4" || ip.mf || ip.fragOffset !== 0) return "";
  const msg = bytesOf(c, i, len);
  if (msg.length < len || internetChecksum(msg) === 0) return "";
  const carried = (msg[2] << 8) | msg[3];
  return ` (wrong icmp cksum ${carried.toString(16)} (->${checksumFor(msg, 2).toString(16)})!)`;
}

/** ICMP's error types, whose -v text quotes the datagram (tcpdump's ICMP_ERRTYPE). */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/**
 * -v after an ICMP error: the quoted datagram on its own lines; tcpdump reads its length by a long jump,
 * so a quote too short for that ends the packet there.
 */
function icmpQuoted(c: Ctx, i: number, type: number, body: Uint8Array): string {
  if (!c.o.verbose || !ICMP_ERRORS.has(type)) return "";
  if (c.r.quotedAt > i && c.r.layers[c.r.quotedAt]) return "\n\t" + network(c, c.r.quotedAt);
  if (body.length < 4) {
    c.jump = true;
    return "\n\t [|icmp]";
  }
  return "\n\t" + ipv4Broken(c, body);
}

/** An ICMP timestamp (milliseconds since midnight UT) as tcpdump prints it: hours may exceed 23. */
function icmpTime(ms: number): string {
  const sec = Math.floor(ms / 1000), min = Math.floor(sec / 60);
  return `${dec2(Math.floor(min / 60))}:${dec2(min % 60)}:${dec2(sec % 60)}.${
    String(ms % 1000).padStart(3, "0")
  }`;
}

/** ICMP types whose text is their name alone (and the length). */
const ICMP_NAME_ONLY: Readonly<Record<number, string>> = {
  4: "source quench",
  10: "router solicitation",
  15: "information request",
  16: "information reply",
  17: "address mask request",
};
/** ICMP types tcpdump names (any other prints as `type-#N`). */
const ICMP_KNOWN = new Set([0, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);

/**
 * An ICMP message whose 8-byte header was not all captured: what tcpdump's icmp_print reads before it runs
 * out. Most fields are read by a long jump; a port unreachable and a time exceeded check their quote first.
 */
function icmpCut(c: Ctx, p: Uint8Array, len: number): string {
  if (p.length < 2) {
    c.jump = true;
    return " [|icmp]";
  }
  const type = p[0], code = p[1];
  let t: string | undefined = ICMP_NAME_ONLY[type];
  if (type === 12 && (code !== 0 || p.length >= 5)) {
    t = code === 0 ? `parameter problem - octet ${p[4]}` : `parameter problem - code ${code}`;
  } else if (!ICMP_KNOWN.has(type)) t = `type-#${type}`;
  if (t !== undefined) return `ICMP ${t}, length ${len}${icmpQuoted(c, -1, type, p.subarray(8))}`;
  // Checked, not read: a port unreachable's quote, a time exceeded's, a router advertisement's header, a
  // timestamp reply's timestamps.
  if (!((type === 3 && code === 3) || type === 11 || type === 9 || type === 14)) c.jump = true;
  return " [|icmp]";
}

/** Quoted IPv6 packet: destination, upper protocol after extension headers, and its first bytes. */
function quoted6(body: Uint8Array): { src: string; dst: string; proto: number; l4: Uint8Array } | null {
  if (body.length < 40 || body[0] >> 4 !== 6) return null;
  let nh = body[6], off = 40;
  for (let n = 0; n < 8 && (nh === 0 || nh === 43 || nh === 60 || nh === 44) && off + 2 <= body.length; n++) {
    const len = nh === 44 ? 8 : (body[off + 1] + 1) * 8;
    nh = body[off];
    off += len;
  }
  return {
    src: formatIpv6Address(body, 8),
    dst: formatIpv6Address(body, 24),
    proto: nh,
    l4: body.subarray(Math.min(off, body.length)),
  };
}

const UNREACH6 = [
  "unreachable route",
  " unreachable prohibited",
  "beyond scope",
  "unreachable address",
  "unreachable port",
];

function icmp6(c: Ctx, i: number, m: Icmpv6Layer, len: number): string {
  // Neighbour discovery: its own text, with the options and a router advertisement's fields at -v.
  if (isNd(m.type)) {
    const sum = c.o.verbose ? l4SumText(c, i, 58, len, "icmp6") : "";
    return sum + ndText(bytesOf(c, i, len), len, level(c));
  }
  const id = m.rest >>> 16, seq = m.rest & 0xffff;
  const q = quoted6(m.body);
  const qd = q?.dst ?? "?";
  let t: string;
  switch (m.type) {
    case 1: {
      t = `destination unreachable, ${UNREACH6[m.code] ?? `unknown unreach code (${m.code})`}`;
      if (m.code === 0 || m.code === 1 || m.code === 3) t += ` ${qd}`;
      else if (m.code === 2) t += ` ${qd}, source address ${q?.src ?? "?"}`;
      else if (m.code === 4 && q) {
        // Only TCP and UDP have ports tcpdump looks for; anything else ends it with the mark.
        if (q.proto !== 6 && q.proto !== 17) return `${icmp6Note(c, i, len)}ICMP6, ${t} [|icmp6]`;
        const port = q.l4.length >= 4 ? (q.l4[2] << 8) | q.l4[3] : 0;
        t += `, ${qd} ${q.proto === 6 ? "tcp" : "udp"} port ${port}`;
      } else if (m.code > 4) {
        // A code it does not know: a dump of the message instead of the length (print_unknown_data).
        const dump = bytesOf(c, i, len);
        return `${icmp6Note(c, i, len)}ICMP6, ${t}${dump.length ? "\n" + hexdump(dump) : ""}`;
      }
      break;
    }
    case 2:
      t = `packet too big, mtu ${m.rest}`;
      break;
    case 3:
      t = `time exceeded in-transit${
        m.code === 0 ? ` for ${qd}` : m.code === 1 ? " (reassembly)" : `, unknown code (${m.code})`
      }`;
      break;
    case 4: {
      // tcpdump checks that the quoted IPv6 header is there, up to its destination, before the fields.
      if (m.body.length < 40) return `${icmp6Note(c, i, len)}ICMP6, parameter problem [|icmp6]`;
      const what = PARAM6[m.code];
      t = what ? `parameter problem, ${what} ${m.rest}` : `parameter problem, code-#${m.code}`;
      break;
    }
    case 128:
    case 129:
      t = `echo ${m.type === 128 ? "request" : "reply"}, id ${id}, seq ${seq}`;
      break;
    default: {
      const x = icmp6Text(bytesOf(c, i, len), len, level(c));
      if (x) {
        if (x.jump) c.jump = true;
        return (c.o.verbose ? l4SumText(c, i, 58, len, "icmp6") : "") + x.text;
      }
      t = `unknown icmp6 type (${m.type})`;
    }
  }
  // -v drops the trailing length.
  return c.o.verbose ? `${icmp6Note(c, i, len)}ICMP6, ${t}` : `ICMP6, ${t}, length ${len}`;
}

/** -v's checksum note before an ICMPv6 message's text. */
function icmp6Note(c: Ctx, i: number, len: number): string {
  return c.o.verbose ? l4SumText(c, i, 58, len, "icmp6") : "";
}

const PARAM6 = [
  "erroneous - octet",
  "next header - octet",
  "option - octet",
  "incomplete header chain - octet",
];

/**
 * An ICMPv6 message whose 8-byte header was not all captured: what tcpdump's icmp6_print reads before it
 * runs out (the type's name, the code's, what it can of the fields), then its mark.
 */
function icmp6Cut(c: Ctx, i: number, p: Uint8Array, len: number): string {
  if (len === 0) return "ICMP6, length 0 (invalid)";
  // -v on a whole message shorter than a header: tcpdump reads the checksum first (not in a fragment).
  let sum = "";
  if (c.o.verbose && p.length >= len && sumChecked(c, i, 58)) {
    // Fewer than 4 bytes: reading the checksum field itself runs off the message.
    if (len < 4) {
      c.jump = true;
      return " [|icmp6]";
    }
    sum = l4SumText(c, i, 58, len, "icmp6", p.byteOffset - c.r.frame.byteOffset);
  }
  c.jump = true;
  if (p.length < 1) return " [|icmp6]";
  const x = icmp6Text(p, len, level(c));
  if (x) {
    c.jump = x.jump;
    return sum + x.text;
  }
  const type = p[0];
  let s = "ICMP6, " + (ICMP6_NAMES[type] ?? `unknown icmp6 type (${type})`);
  // A parameter problem checks for the quoted header before reading anything more.
  if (type === 4 && p.length >= 2) c.jump = false;
  if (p.length >= 2) {
    const code = p[1];
    if (type === 1) {
      s += `, ${UNREACH6[code] ?? `unknown unreach code (${code})`}`;
      // A code it does not know: a dump of the message instead of its fields (print_unknown_data).
      if (UNREACH6[code] === undefined) {
        c.jump = false;
        return sum + s + "\n" + hexdump(p);
      }
      // A port unreachable looks for the quoted transport header with checks, not reads.
      if (code === 4) c.jump = false;
    } else if (type === 3 && code !== 0) {
      // Nothing more to read: the whole text, as for a message captured whole.
      c.jump = false;
      s += code === 1 ? " (reassembly)" : `, unknown code (${code})`;
      return sum + s + (c.o.verbose ? "" : `, length ${len}`);
    }
  }
  return sum + s + " [|icmp6]";
}

const ICMP6_NAMES: Readonly<Record<number, string>> = {
  1: "destination unreachable",
  2: "packet too big",
  3: "time exceeded in-transit",
  4: "parameter problem",
  128: "echo request",
  129: "echo reply",
};

/**
 * Whether tcpdump checks the transport checksum after the IP layer at `i - 1`: over IPv6 at -v, over IPv4
 * (UDP only: TCP prints its own) at -vv, never in a fragment.
 */
function sumChecked(c: Ctx, i: number, proto: number): boolean {
  const ip = ipBefore(c, i);
  if (ip?.layer === "ipv4") return proto === 17 && (c.o.verbosity ?? 1) >= 2 && !ip.mf && ip.fragOffset === 0;
  return ip?.layer === "ipv6" && !ip.extHeaders.some((e) => e.type === 44);
}

/**
 * `-v` over IPv6: tcpdump's `[udp sum ok] ` / `[bad udp cksum 0x.. -> 0x..!] ` note (`icmp6` likewise), when
 * the datagram is whole and not a fragment.
 */
function l4SumText(
  c: Ctx,
  i: number,
  proto: number,
  l4len: number,
  name: string,
  at0 = c.r.offsets[i],
): string {
  const ip = ipBefore(c, i);
  if (proto === 17 && c.o.noChecksums) return ""; // -K (ICMPv6's is still checked, as in tcpdump)
  if (!sumChecked(c, i, proto) || (ip.layer !== "ipv4" && ip.layer !== "ipv6")) return "";
  // A UDP checksum covers the UDP length (when the IP payload holds it), not the IP payload.
  const f = c.r.frame;
  const ulen = proto === 17 && at0 + 6 <= f.length ? (f[at0 + 4] << 8) | f[at0 + 5] : l4len;
  const n = ulen >= 8 && ulen <= l4len ? ulen : l4len;
  const seg = f.subarray(at0, at0 + n);
  const at = proto === 17 ? 6 : 2;
  // An IPv4 UDP datagram may go without a checksum (said even when the datagram is not all captured).
  if (ip.layer === "ipv4" && proto === 17 && at0 + 8 <= f.length && f[at0 + 6] === 0 && f[at0 + 7] === 0) {
    return "[no cksum] ";
  }
  if (seg.length < n) return "";
  const carried = (seg[at] << 8) | seg[at + 1];
  const pseudo = { src: ip.src, dst: finalDst(ip) };
  let want = transportChecksum(seg, pseudo, proto, at);
  if (proto === 17 && want === 0) want = 0xffff;
  const hex = (x: number) => `0x${x.toString(16).padStart(4, "0")}`;
  return want === carried
    ? `[${name} sum ok] `
    : `[bad ${name} cksum ${hex(carried)} -> ${hex(shouldBe(want))}!] `;
}

/**
 * Summarizes packets in order, keeping the TCP conversation state tcpdump keeps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { PacketSummarizer } from "./summary.ts";
 * import { emitIpv4 } from "./ipv4.ts";
 * import { emitTcp } from "./tcp.ts";
 * const a = "10.0.0.1", b = "10.0.0.2";
 * const seg = (src: string, dst: string, sp: number, dp: number, flags: number, seq: number, ack: number) =>
 *   emitIpv4({ src, dst, proto: 6 }, emitTcp({ srcPort: sp, dstPort: dp, flags, seq, ack, window: 512 }));
 * const d = new PacketDecoder(), s = new PacketSummarizer();
 * s.summarize(d.decode(seg(b, a, 80, 4000, 0x12, 300, 101), 101));
 * const line = s.summarize(d.decode(seg(a, b, 4000, 80, 0x10, 101, 301), 101));
 * assert(line === "IP 10.0.0.1.4000 > 10.0.0.2.80: Flags [.], ack 1, win 512, length 0", line);
 * ```
 */
export class PacketSummarizer {
  /** The options with this summarizer's own state: made once, not per packet. */
  readonly #o: SummaryOptions;
  readonly #tracker = new TcpSeqTracker();
  readonly #cookies = new IsakmpCookies();
  readonly #nfs = new NfsXids();
  #jump = false;
  #linkLen: number | undefined;

  /**
   * A summarizer with its own TCP conversation state.
   *
   * @param options output options (`link`, `verbose`, `quiet`, `absolute`)
   */
  constructor(options: Omit<SummaryOptions, "tracker" | "wireLen" | "isakmp" | "nfs"> = {}) {
    this.#o = {
      ...options,
      tracker: options.absolute ? undefined : this.#tracker,
      isakmp: this.#cookies,
      nfs: this.#nfs,
    };
  }

  /**
   * Returns tcpdump's line for it.
   *
   * @param r the decoder's result for the next packet
   * @param wireLen the packet's original length (for `-e`)
   * @returns tcpdump's line for it
   */
  summarize(r: DecodeResult, wireLen?: number): string {
    const c: Ctx = { r, o: this.#o, frameAt: 0, frameWire: wireLen ?? frameLen(r) };
    const s = summarizeIn(c);
    this.#jump = c.jump === true;
    this.#linkLen = c.linkLen;
    return s;
  }

  /**
   * Whether tcpdump's dissector for the last packet summarized gives up by a long jump (an IPv4 header with
   * no byte captured): its `-x`/`-X` then dump the whole frame, not from the network header.
   */
  get lastCutByLongJump(): boolean {
    return this.#jump;
  }

  /**
   * For a link type the summarizer prints from its bytes rather than from the decoder's layers (802.11), the
   * length of the link header tcpdump's printer reported for the last packet: where its `-x`/`-X` dump
   * starts. Else undefined.
   */
  get lastLinkLen(): number | undefined {
    return this.#linkLen;
  }

  /** Forgets TCP conversations, IKE exchanges and NFS calls. */
  reset(): void {
    this.#tracker.clear();
    this.#cookies.clear();
    this.#nfs.clear();
  }
}
