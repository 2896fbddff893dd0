/**
 * Link-layer header types (LINKTYPE_* from https://www.tcpdump.org/linktypes.html), the number a pcap file
 * header or a pcapng interface description block stores to say what the first byte of each packet is.
 *
 * Note: these are the *file* values (LINKTYPE_*), not libpcap's DLT_* values; they differ for a few types
 * (DLT_RAW is 12 or 14 on some systems while LINKTYPE_RAW is always 101).
 *
 * @module
 */

/** The link types netkit reads, writes or decodes. */
export const LinkType = {
  /** BSD loopback: a 4-byte host-order address family, then the packet. */
  NULL: 0,
  /** Ethernet II / 802.3. */
  EN10MB: 1,
  /** PPP: optional ff 03 address/control, then a 1- or 2-byte protocol (RFC 1661). */
  PPP: 9,
  /** PPP in HDLC-like framing (libpcap's DLT_PPP_SERIAL, tcpdump's "PPP_SERIAL"); may hold Cisco HDLC frames. */
  PPP_HDLC: 50,
  /** PPPoE without Ethernet (BSD's DLT_PPP_ETHER): the PPPoE header first. */
  PPP_ETHER: 51,
  /** Raw IPv4 or IPv6, the version nibble says which. */
  RAW: 101,
  /** Cisco HDLC: address, control, then an EtherType. */
  C_HDLC: 104,
  /** IEEE 802.11 wireless. */
  IEEE802_11: 105,
  /** OpenBSD loopback: a 4-byte network-order address family, then the packet. */
  LOOP: 108,
  /** Linux "cooked" capture v1: a 16-byte pseudo header. */
  LINUX_SLL: 113,
  /** 802.11 with a radiotap header. */
  IEEE802_11_RADIOTAP: 127,
  /** Raw IPv4 only. */
  IPV4: 228,
  /** Raw IPv6 only. */
  IPV6: 229,
  /** Linux netlink. */
  NETLINK: 253,
  /** Linux "cooked" capture v2: a 20-byte pseudo header with the interface index. */
  LINUX_SLL2: 276,
} as const;

/** One of the {@link LinkType} values (any other number is still a valid link type, just unnamed here). */
export type LinkTypeValue = typeof LinkType[keyof typeof LinkType];

const DESCRIPTIONS: Readonly<Record<number, readonly [string, string]>> = {
  [LinkType.NULL]: ["NULL", "BSD loopback"],
  [LinkType.EN10MB]: ["EN10MB", "Ethernet"],
  [LinkType.PPP]: ["PPP", "PPP"],
  [LinkType.PPP_HDLC]: ["PPP_SERIAL", "PPP over serial"],
  [LinkType.PPP_ETHER]: ["PPP_ETHER", "PPPoE"],
  [LinkType.C_HDLC]: ["C_HDLC", "Cisco HDLC"],
  [LinkType.RAW]: ["RAW", "Raw IP"],
  [LinkType.IEEE802_11]: ["IEEE802_11", "802.11"],
  [LinkType.LOOP]: ["LOOP", "OpenBSD loopback"],
  [LinkType.LINUX_SLL]: ["LINUX_SLL", "Linux cooked v1"],
  [LinkType.IEEE802_11_RADIOTAP]: ["IEEE802_11_RADIO", "802.11 plus radiotap header"],
  [LinkType.IPV4]: ["IPV4", "Raw IPv4"],
  [LinkType.IPV6]: ["IPV6", "Raw IPv6"],
  [LinkType.NETLINK]: ["NETLINK", "Linux netlink"],
  [LinkType.LINUX_SLL2]: ["LINUX_SLL2", "Linux cooked v2"],
};

/**
 * The short name of a link type as tcpdump prints it ("EN10MB"), or `unknown(N)`.
 *
 * @param linktype the LINKTYPE_* number
 * @returns the name, never throws
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkTypeName } from "./linktype.ts";
 * assert(linkTypeName(113) === "LINUX_SLL");
 * assert(linkTypeName(9999) === "unknown(9999)");
 * ```
 */
export function linkTypeName(linktype: number): string {
  return DESCRIPTIONS[linktype]?.[0] ?? `unknown(${linktype})`;
}

/**
 * The link type as tcpdump announces it when reading a file: `link-type EN10MB (Ethernet)`.
 *
 * @param linktype the LINKTYPE_* number
 * @returns the description line, never throws
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeLinkType } from "./linktype.ts";
 * assert(describeLinkType(1) === "link-type EN10MB (Ethernet)");
 * assert(describeLinkType(276) === "link-type LINUX_SLL2 (Linux cooked v2)");
 * ```
 */
export function describeLinkType(linktype: number): string {
  const d = DESCRIPTIONS[linktype];
  return d ? `link-type ${d[0]} (${d[1]})` : `link-type unknown(${linktype})`;
}

/**
 * Looks a link type up by its name, with or without the `LINKTYPE_`/`DLT_` prefix, in any case.
 *
 * @param name e.g. "EN10MB", "linktype_raw", "LINUX_SLL2"
 * @returns the number, or undefined when the name is not known here
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkTypeByName } from "./linktype.ts";
 * assert(linkTypeByName("LINKTYPE_LINUX_SLL") === 113);
 * assert(linkTypeByName("bogus") === undefined);
 * ```
 */
export function linkTypeByName(name: string): number | undefined {
  const key = name.toUpperCase().replace(/^(LINKTYPE_|DLT_)/, "");
  for (const [num, [short]] of Object.entries(DESCRIPTIONS)) {
    if (short === key) return Number(num);
  }
  const v = (LinkType as Record<string, number>)[key];
  return v;
}
