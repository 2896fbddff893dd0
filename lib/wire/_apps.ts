/**
 * tcpdump's text for UDP applications it names: TFTP (RFC 1350, port 69, `_tftp.ts`), BOOTP/DHCP
 * (RFC 2131, ports 67/68, `_bootp.ts`), RIP and RIPng (ports 520/521, `_rip.ts`), ISAKMP/IKE and its NAT
 * traversal (500, 4500, `_isakmp.ts`), SNMP (161/162, `_snmp.ts`), NTP (123, `_ntp.ts`), L2TP (1701,
 * `_l2tp.ts`), DHCPv6 (546/547, `_dhcp6.ts`), RADIUS (1812/1813 and the older ports, `_radius.ts`), HSRP
 * (to 1985, `_hsrp.ts`), BFD (to 3784/4784/6784/3785, `_bfd.ts`), SIP (5060, `_txtproto.ts`), syslog
 * (514, `_syslog.ts`), timed (525, `_timed.ts`), vat (to 3456, `_rtp.ts`), AFS's RX (7000-7009, `_rx.ts`),
 * Broadcom's LI shim (from 49152, `_bcm_li.ts`; the caller prints the packet it carries), Cisco's auto-RP
 * (496, `_autorp.ts`), VQP (1589, `_vqp.ts`), AODV (654, `_aodv.ts`) and the whiteboard (to 4567,
 * `_wb.ts`). With `-v` tcpdump adds fields and lines, all reproduced. `-T rtp` and `-T rtcp` name printers
 * no port selects.
 *
 * tcpdump picks a dissector by port in a fixed order (print-udp.c); a datagram with ports of two dissectors
 * goes to the earlier one, so the ports of dissectors this package does not have are kept in the table too
 * (to PTP, the last one here): for those the caller keeps its plain `UDP, length N`. Before any port
 * it tries SUN RPC to or from NFS's port 2049; such a datagram is left to the caller as well.
 *
 * Truncation follows tcpdump's reads: a field past the captured bytes ends the text with ` [|name]`. Those
 * reads are bounded by the end of the IP payload, not by the UDP length: the dissectors get the bytes up to
 * there and the UDP payload length apart.
 *
 * @module
 */
import { tftpText } from "./_tftp.ts";
import { snmpText } from "./_snmp.ts";
import { syslogText } from "./_syslog.ts";
import { ntpText } from "./_ntp.ts";
import { dhcp6Text } from "./_dhcp6.ts";
import { bootpText } from "./_bootp.ts";
import { SIP, textProtocolText } from "./_txtproto.ts";
import { ldpText } from "./_ldp.ts";
import { lispText } from "./_lisp.ts";
import type { Printed } from "./_text.ts";
import { krbText } from "./_krb.ts";
import { type IsakmpContext, isakmpText, natTraversalText } from "./_isakmp.ts";
import { l2tpText, type PppNetworkPrinter } from "./_l2tp.ts";
import { radiusText } from "./_radius.ts";
import { ripngText, ripText } from "./_rip.ts";
import { hsrpText } from "./_hsrp.ts";
import { bfdText } from "./_bfd.ts";
import { sflowText } from "./_sflow.ts";
import { ptpText } from "./_ptp.ts";
import { rxText } from "./_rx.ts";
import { timedText } from "./_timed.ts";
import { rtcpText, rtpText, vatText } from "./_rtp.ts";
import { autoRpText } from "./_autorp.ts";
import { vqpText } from "./_vqp.ts";
import { wbText } from "./_wb.ts";
import { aodvText } from "./_aodv.ts";

type App =
  | "ldp"
  | "lisp"
  | "bootp"
  | "ntp"
  | "dhcp6"
  | "tftp"
  | "rip"
  | "ripng"
  | "snmp"
  | "sip"
  | "syslog"
  | "vxlan"
  | "otv"
  | "geneve"
  | "vxlan-gpe"
  | "mpls"
  | "isakmp"
  | "natt"
  | "l2tp"
  | "radius"
  | "hsrp"
  | "bfd"
  | "sflow"
  | "ptp"
  | "krb"
  | "timed"
  | "vat"
  | "rx"
  | "rtp"
  | "rtcp"
  | "bcmli"
  | "autorp"
  | "vqp"
  | "wb"
  | "aodv"
  | "other";
/** The source ports and the destination ports that select a dissector. */
type Match = { src: number[]; dst: number[] };

/** Either port is one of these. */
const port = (...ps: number[]): Match => ({ src: ps, dst: ps });
/** The destination port is one of these (tcpdump tests only it for a few protocols). */
const dport = (...ps: number[]): Match => ({ src: [], dst: ps });
/** Either port is in `[lo, hi]`. */
const range = (lo: number, hi: number): Match =>
  port(...Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));

/**
 * Port dissectors in tcpdump 4.99's order (udp_print), from TIMED to VXLAN (DNS and mDNS are handled
 * before). NetBIOS (137/138) is absent: Debian builds tcpdump without its SMB printers.
 */
const ORDER: [Match, App][] = [
  [port(525), "timed"],
  [port(69), "tftp"],
  [port(67, 68), "bootp"],
  [port(520), "rip"],
  [port(654), "aodv"],
  [port(500, 7500, 8500), "isakmp"], // ISAKMP and its user ports
  [port(4500), "natt"], // RFC 3948: ISAKMP or ESP
  [port(161, 162), "snmp"],
  [port(123), "ntp"],
  [port(88, 750), "krb"], // Kerberos
  [port(1701), "l2tp"],
  [dport(3456), "vat"],
  [port(2103, 2104), "other"], // Zephyr
  [range(7000, 7009), "rx"], // AFS's RX
  [port(521), "ripng"],
  [port(546, 547), "dhcp6"],
  [port(5359), "other"], // AHCP
  [port(6696, 6697), "other"], // Babel
  [port(8231), "other"], // HNCP
  [dport(4567), "wb"], // whiteboard
  [port(496), "autorp"], // Cisco auto-RP
  [port(1645, 1812, 1646, 1813, 1700, 3799), "radius"],
  [dport(1985), "hsrp"],
  [port(921), "other"], // lwres
  [port(646), "ldp"],
  [port(698), "other"], // OLSR
  [port(3503), "other"], // MPLS LSP ping
  [{ src: [49152], dst: [] }, "bcmli"], // Broadcom LI (source port only): the caller prints it
  [dport(3784, 4784, 6784, 3785), "bfd"],
  [port(701), "other"], // LMP
  [port(1589), "vqp"],
  [port(6343), "sflow"],
  [port(12223), "other"], // LWAPP control
  [port(12222), "other"], // LWAPP data
  [port(5060), "sip"],
  [port(514), "syslog"],
  [port(8472), "otv"], // OTV (and Linux's VXLAN port): the caller prints it and its frame
  [port(4789), "vxlan"], // the caller prints it (summary.ts): it carries a frame
  [port(6081), "geneve"], // likewise
  [port(4342), "lisp"], // LISP control
  [port(4790), "vxlan-gpe"], // likewise
  [port(17754), "other"], // ZEP
  [port(6635), "mpls"], // MPLS in UDP (RFC 7510): likewise
  [port(319, 320), "ptp"], // PTP event and general messages: after every other port (checked with tcpdump)
];

/**
 * For each port, the index in {@link ORDER} of the first dissector it selects as a source port and as a
 * destination port (255: none): a datagram goes to the earlier of its two, without a walk of the table.
 */
const BY_SRC = new Uint8Array(65536).fill(255), BY_DST = new Uint8Array(65536).fill(255);
for (let k = ORDER.length - 1; k >= 0; k--) {
  for (const p of ORDER[k][0].src) BY_SRC[p] = k;
  for (const p of ORDER[k][0].dst) BY_DST[p] = k;
}

/** SUN RPC to or from NFS, which tcpdump tries before every port: a call to 2049 or a reply from it. */
function nfs(sp: number, dp: number, b: Uint8Array): boolean {
  if (b.length < 8 || (sp !== 2049 && dp !== 2049)) return false;
  const direction = ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0;
  return (dp === 2049 && direction === 0) || (sp === 2049 && direction === 1);
}

/** A dissector netkit has, picked by port (tunnels are printed by the caller: they carry frames). */
export type UdpApp = Exclude<App, "other">;

/**
 * The dissector tcpdump picks for these ports, first in its order; null when none, or when it is one this
 * package does not have (the caller keeps its plain `UDP, length N`). tcpdump tries SUN RPC to or from NFS
 * before any port: {@link udpIsNfsRpc} says when that takes the datagram instead.
 *
 * @param sp source port
 * @param dp destination port
 * @returns the dissector, or null
 */
export function udpAppFor(sp: number, dp: number): UdpApp | null {
  const k = Math.min(BY_SRC[sp], BY_DST[dp]);
  const app = k === 255 ? "other" : ORDER[k][1];
  return app === "other" ? null : app;
}

/**
 * Whether the datagram is SUN RPC to or from NFS (a call to 2049, a reply from it), which tcpdump tries
 * before any port.
 *
 * @param sp source port
 * @param dp destination port
 * @param data the captured bytes from the UDP payload's start
 * @returns true for NFS's RPC
 */
export function udpIsNfsRpc(sp: number, dp: number, data: Uint8Array): boolean {
  return nfs(sp, dp, data);
}

/** What some printers need beyond the datagram. */
export interface UdpAppContext extends IsakmpContext {
  /** Prints the network packet an L2TP data message's PPP frame carries, as the sniffer would. */
  ppp?: PppNetworkPrinter;
  /** `-e` (L2TP's PPP frames then name their protocol). */
  link?: boolean;
  /** The datagram came over IPv6 (AODV's messages then have IPv6 addresses). */
  ip6?: boolean;
}

/**
 * The text tcpdump prints after the ports for a UDP datagram of one of these applications (not a tunnel:
 * null for those), or null when its dissector prints nothing of its own.
 *
 * @param app the dissector ({@link udpAppFor})
 * @param dp destination port (BFD's text depends on it)
 * @param data the captured bytes from the UDP payload's start to the IP payload's end (tcpdump's reads are
 *   bounded by that end, not by the UDP length)
 * @param length the payload length tcpdump uses (the UDP length, at most what the IP header leaves)
 * @param verbose `-v` (SNMP and syslog print more)
 * @param verbosity how many `-v` were given (NTP, BOOTP and DHCPv6 print more from 2); 1 when `verbose`
 *   alone is given
 * @param ctx what ISAKMP and L2TP need from the caller (see {@link UdpAppContext})
 * @returns the text, and whether the printer stopped by a long jump; or null
 */
export function udpAppText(
  app: UdpApp,
  dp: number,
  data: Uint8Array,
  length: number,
  verbose = false,
  verbosity = verbose ? 1 : 0,
  ctx: UdpAppContext = {},
): Printed | null {
  const v = verbose ? Math.max(1, verbosity) : 0;
  switch (app) {
    case "sip":
      return textProtocolText(SIP, data, length, verbose);
    case "isakmp":
      return isakmpText(data, length, v, ctx);
    case "natt":
      return natTraversalText(data, length, v, ctx);
    case "l2tp":
      return l2tpText(data, length, v, ctx.ppp, ctx.link);
    case "radius":
      return radiusText(data, length, v);
    case "hsrp":
      return hsrpText(data, length, v);
    case "bfd":
      return bfdText(data, length, v, dp);
    case "sflow":
      return sflowText(data, length, v);
    case "ptp":
      return ptpText(data, length, v);
    case "rip":
      return ripText(data, length, v);
    case "ripng":
      return ripngText(data, length, v);
    case "ldp":
      return ldpText(data, length, v);
    case "lisp":
      return lispText(data, length, v);
    case "krb":
      return krbText(data);
    case "timed":
      return timedText(data);
    case "vat":
      return vatText(data, length);
    case "rx":
      return rxText(data, length, v);
    case "rtp":
      return rtpText(data, length, verbose);
    case "rtcp":
      return rtcpText(data, verbose);
    case "autorp":
      return autoRpText(data, length);
    case "vqp":
      return vqpText(data, length, v);
    case "wb":
      return wbText(data, length, verbose);
    case "aodv":
      return aodvText(data, length, ctx.ip6 === true);
  }
  const text = appText(app, data, length, verbose, verbosity);
  return text === null ? null : { text, jump: false };
}

function appText(
  app: App | undefined,
  data: Uint8Array,
  length: number,
  verbose: boolean,
  verbosity: number,
): string | null {
  switch (app) {
    case "tftp":
      return tftpText(data, length);
    case "bootp":
      return bootpText(data, length, verbose ? Math.max(1, verbosity) : 0);
    case "snmp":
      return snmpText(data, length, verbose);
    case "ntp":
      return ntpText(data, length, verbose ? Math.max(1, verbosity) : 0);
    case "dhcp6":
      return dhcp6Text(data, length, verbose);
    case "syslog":
      return syslogText(data, length, verbose);
    default:
      return null;
  }
}
