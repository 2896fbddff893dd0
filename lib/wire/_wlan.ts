/**
 * IEEE 802.11 frames, bare (link type 105) or behind a radiotap header (127), as tcpdump 4.99.3 prints them
 * (print-802_11.c): the line after the timestamp.
 *
 * ```text
 * 123456us tsft short preamble 22.0 Mb/s 2437 MHz 11b -40dBm signal -90dBm noise antenna 1 IP 10.0.0.1.1 > ...
 * Beacon (myssid) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY
 * DeAuthentication (66:77:88:99:aa:bb): Class 3 frame received from nonassociated STA
 * DA:00:11:22:33:44:55 SA:66:77:88:99:aa:bb BSSID:de:ad:be:ef:00:01 Data IV:30201 Pad 0 KeyID 1      (-e)
 * ```
 *
 * Radiotap: every field tcpdump prints (TSFT, flags, rate, channel and extended channel with tcpdump's
 * `11a`/`11b`/`11g`/`11n`/`ht/40+` naming, FHSS, dBm and dB signal and noise, lock quality, TX attenuation
 * and power, antenna, MCS with its rate table, A-MPDU, VHT), read as tcpdump's `cpack` reads them: each
 * field aligned to its own size from the header's start, extended presence bitmaps, radiotap and vendor
 * namespaces (a vendor namespace's bytes skipped), a field tcpdump does not know (`[bit N]`) ending the
 * header's printing, a field cut by the header's length marked ` [|802.11_radio]`. The flags field's FCS bit
 * drops the frame's last four bytes; its data-pad bit rounds the 802.11 header up to four bytes.
 *
 * 802.11: management frames (beacon, probe request/response, (re)association request/response,
 * authentication, deauthentication, disassociation, ATIM, action) with the elements tcpdump shows (SSID,
 * rates, DS channel, privacy), control frames (RTS, CTS, ACK, PS-Poll, CF-End, CF-End+CF-Ack, BAR, BA,
 * control wrapper), data frames of every subtype (null ones print nothing more; protected ones their WEP
 * IV), with `-e` the header's addresses by ToDS/FromDS and with `-e -v` its flags and duration. A data
 * frame's LLC/SNAP header is printed by `_llc_text.ts` and what it carries by the caller's
 * {@link WlanOptions.network}.
 *
 * Not covered: tcpdump's `-H` (802.11s mesh headers), Prism and AVS headers (other link types), EtherTypes
 * the caller's `network` has no printer for (printed as tcpdump prints an unknown SNAP EtherType).
 *
 * @module
 */
import type { Printed } from "./_text.ts";
import { formatMac } from "./address.ts";
import { walkLlc } from "./llc.ts";
import { llcText } from "./_llc_text.ts";

/** What the 802.11 printer needs from the caller. */
export interface WlanOptions {
  /** The frame starts with a radiotap header (link type 127). */
  radiotap: boolean;
  /** How many `-v` were given (0 for none). */
  verbosity: number;
  /** `-e`. */
  link: boolean;
  /** `-q`. */
  quiet: boolean;
  /**
   * Prints what a data frame's LLC/SNAP header carries, as the sniffer prints that EtherType's packet
   * (IPv4, IPv6, ARP, ...): the text, or null for an EtherType it has no printer for.
   */
  network: (ethertype: number, bytes: Uint8Array, length: number) => Printed | null;
  /**
   * Whether tcpdump's default print (a hex dump) follows an LLC payload it cannot dissect: true without
   * `-x`/`-X`/`-q` (as the summarizer's `dumpUndecoded`). Absent: false.
   */
  dumpUndecoded?: boolean;
}

/** The 802.11 text, and where tcpdump's `-x`/`-X` dump starts. */
export interface WlanPrinted extends Printed {
  /** The link-layer header length tcpdump's printer returns (radiotap, 802.11 header...): -x dumps from there. */
  hdrLen: number;
}
const STATUS_TEXT: readonly string[] = [
  "Successful",
  "Unspecified failure",
  "TDLS wakeup schedule rejected but alternative schedule provided",
  "TDLS wakeup schedule rejected",
  "Reserved",
  "Security disabled",
  "Unacceptable lifetime",
  "Not in same BSS",
  "Reserved",
  "Reserved",
  "Cannot Support all requested capabilities in the Capability Information field",
  "Reassociation denied due to inability to confirm that association exists",
  "Association denied due to reason outside the scope of this standard",
  "Responding STA does not support the specified authentication algorithm",
  "Received an Authentication frame with authentication transaction sequence number out of " +
  "expected sequence",
  "Authentication rejected because of challenge failure",
  "Authentication rejected due to timeout waiting for next frame in sequence",
  "Association denied because AP is unable to handle additional associated STAs",
  "Association denied due to requesting STA not supporting all of the data rates in the " +
  "BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or " +
  "the Basic VHT-MCS and NSS Set field in the VHT Operation parameter",
  "Association denied due to requesting STA not supporting the short preamble option",
  "Reserved",
  "Reserved",
  "Association request rejected because Spectrum Management capability is required",
  "Association request rejected because the information in the Power Capability element is unacceptable",
  "Association request rejected because the information in the Supported Channels element is " +
  "unacceptable",
  "Association denied due to requesting STA not supporting the Short Slot Time option",
  "Reserved",
  "Association denied because the requested STA does not support HT features",
  "R0KH unreachable",
  "Association denied because the requesting STA does not support the phased coexistence " +
  "operation (PCO) transition time required by the AP",
  "Association request rejected temporarily; try again later",
  "Robust management frame policy violation",
  "Unspecified, QoS-related failure",
  "Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA",
  "Association denied due to excessive frame loss rates and/or poor conditions on current " +
  "operating channel",
  "Association (with QoS BSS) denied because the requesting STA does not support the QoS facility",
  "Reserved",
  "The request has been declined",
  "The request has not been successful as one or more parameters have invalid values",
  "The allocation or TS has not been created because the request cannot be honored; however, " +
  "a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set " +
  "another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC",
  "Invalid element, i.e., an element defined in this standard for which the content does not " +
  "meet the specifications in Clause 9",
  "Invalid group cipher",
  "Invalid pairwise cipher",
  "Invalid AKMP",
  "Unsupported RSNE version",
  "Invalid RSNE capabilities",
  "Cipher suite rejected because of security policy",
  "The TS or allocation has not been created; however, the HC or PCP might be capable of " +
  "creating a TS or allocation, in response to a request, after the time indicated in the TS " +
  "Delay element",
  "Direct Link is not allowed in the BSS by policy",
  "The Destination STA is not present within this BSS",
  "The Destination STA is not a QoS STA",
  "Association denied because the listen interval is too large",
  "Invalid FT Action frame count",
  "Invalid pairwise master key identifier (PMKID)",
  "Invalid MDE",
  "Invalid FTE",
  "Requested TCLAS processing is not supported by the AP or PCP",
  "The AP or PCP has insufficient TCLAS processing resources to satisfy the request",
  "The TS has not been created because the request cannot be honored; however, the HC or PCP " +
  "suggests that the STA transition to a different BSS to set up the TS",
  "GAS Advertisement Protocol not supported",
  "No outstanding GAS request",
  "GAS Response not received from the Advertisement Server",
  "STA timed out waiting for GAS Query Response",
  "LARGE GAS Response is larger than query response length limit",
  "Request refused because home network does not support request",
  "Advertisement Server in the network is not currently reachable",
  "Reserved",
  "Request refused due to permissions received via SSPN interface",
  "Request refused because the AP or PCP does not support unauthenticated access",
  "Reserved",
  "Reserved",
  "Reserved",
  "Invalid contents of RSNE",
  "U-APSD coexistence is not supported",
  "Requested U-APSD coexistence mode is not supported",
  "Requested Interval/Duration value cannot be supported with U-APSD coexistence",
  "Authentication is rejected because an Anti-Clogging Token is required",
  "Authentication is rejected because the offered finite cyclic group is not supported",
  "The TBTT adjustment request has not been successful because the STA could not find an " +
  "alternative TBTT",
  "Transmission failure",
  "Requested TCLAS Not Supported",
  "TCLAS Resources Exhausted",
  "Rejected with Suggested BSS transition",
  "Reject with recommended schedule",
  "Reject because no wakeup schedule specified",
  "Success, the destination STA is in power save mode",
  "FST pending, in process of admitting FST session",
  "Performing FST now",
  "FST pending, gap(s) in block ack window",
  "Reject because of U-PID setting",
  "Reserved",
  "Reserved",
  "(Re)Association refused for some external reason",
  "(Re)Association refused because of memory limits at the AP",
  "(Re)Association refused because emergency services are not supported at the AP",
  "GAS query response not yet received",
  "Reject since the request is for transition to a frequency band subject to DSE procedures " +
  "and FST Initiator is a dependent STA",
  "Requested TCLAS processing has been terminated by the AP",
  "The TS schedule conflicts with an existing schedule; an alternative schedule is provided",
  "The association has been denied; however, one or more Multi-band elements are included " +
  "that can be used by the receiving STA to join the BSS",
  "The request failed due to a reservation conflict",
  "The request failed due to exceeded MAF limit",
  "The request failed due to exceeded MCCA track limit",
  "Association denied because the information in theSpectrum Management field is unacceptable",
  "Association denied because the requesting STA does not support VHT features",
  "Enablement denied",
  "Enablement denied due to restriction from an authorized GDB",
  "Authorization deenabled",
];
const REASON_TEXT: readonly string[] = [
  "Reserved",
  "Unspecified reason",
  "Previous authentication no longer valid",
  "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",
  "Disassociated due to inactivity",
  "Disassociated because AP is unable to handle all currently  associated STAs",
  "Class 2 frame received from nonauthenticated STA",
  "Class 3 frame received from nonassociated STA",
  "Disassociated because sending STA is leaving (or has left) BSS",
  "STA requesting (re)association is not authenticated with responding STA",
  "Disassociated because the information in the Power Capability element is unacceptable",
  "Disassociated because the information in the Supported Channels element is unacceptable",
  "Disassociated due to BSS transition management",
  "Invalid element, i.e., an element defined in this standard for which the content does not " +
  "meet the specifications in Clause 9",
  "Message integrity code (MIC) failure",
  "4-Way Handshake timeout",
  "Group key handshake timeout",
  "Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe " +
  "Response/Beacon frame",
  "Invalid group cipher",
  "Invalid pairwise cipher",
  "Invalid AKMP",
  "Unsupported RSNE version",
  "Invalid RSNE capabilities",
  "IEEE 802.1X authentication failed",
  "Cipher suite rejected because of the security policy",
  "TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link",
  "TDLS direct-link teardown for unspecified reason",
  "Disassociated because session terminated by SSP request",
  "Disassociated because of lack of SSP roaming agreement",
  "Requested service rejected because of SSP cipher suite or AKM requirement",
  "Requested service not authorized in this location",
  "TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in " +
  "BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel " +
  "to 20 MHz channel)",
  "Disassociated for unspecified, QoS-related reason",
  "Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA",
  "Disassociated because of excessive number of frames that need to be acknowledged, but are " +
  "not acknowledged due to AP transmissions and/or poor channel conditions",
  "Disassociated because STA is transmitting outside the limits of its TXOPs",
  "Requested from peer STA as the STA is leaving the BSS (or resetting)",
  "Requested from peer STA as it does not want to use the mechanism",
  "Requested from peer STA as the STA received frames using the mechanism for which a set up " +
  "is required",
  "Requested from peer STA due to time out",
  "Reserved",
  "Reserved",
  "Reserved",
  "Reserved",
  "Reserved",
  "Peer STA does not support the requested cipher suite",
  "In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation " +
  "frame: Disassociated because authorized access limit reached",
  "In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: " +
  "Disassociated due to external service requirements",
  "Invalid FT Action frame count",
  "Invalid pairwise master key identifier (PMKID)",
  "Invalid MDE",
  "Invalid FTE",
  "Mesh peering canceled for unknown reasons",
  "The mesh STA has reached the supported maximum number of peer mesh STAs",
  "The received information violates the Mesh Configuration policy configured in the mesh STA profile",
  "The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering",
  "The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a " +
  "Mesh Peering Confirm frame",
  "The confirmTimer for the mesh peering instance times out",
  "The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match",
  "The mesh STA receives inconsistent information about the mesh parameters between mesh " +
  "peering Management frames",
  "The mesh STA fails the authenticated mesh peering exchange because due to failure in " +
  "selecting either the pairwise ciphersuite or group ciphersuite",
  "The mesh STA does not have proxy information for this external destination",
  "The mesh STA does not have forwarding information for this destination",
  "The mesh STA determines that the link to the next hop of an active path in its forwarding " +
  "information is no longer usable",
  "The Deauthentication frame was sent because the MAC address of the STA already exists in " +
  "the mesh BSS",
  "The mesh STA performs channel switch to meet regulatory requirements",
  "The mesh STA performs channel switching with unspecified reason",
];

/** Frame types (frame control bits 2-3). */
const T = { mgmt: 0, ctrl: 1, data: 2 } as const;

/** Frame control flag bits (the field read little-endian). */
const FC = {
  toDs: 0x0100,
  fromDs: 0x0200,
  moreFrag: 0x0400,
  retry: 0x0800,
  pwrMgmt: 0x1000,
  moreData: 0x2000,
  protected: 0x4000,
  order: 0x8000,
} as const;

/** Offsets in the 802.11 header; a management header is 24 bytes. */
const H = { fc: 0, duration: 2, addr1: 4, addr2: 10, addr3: 16, seq: 22, addr4: 24, mgmtEnd: 24 } as const;

const MGMT_NAMES: Record<number, string> = {
  0: "Assoc Request",
  1: "Assoc Response",
  2: "ReAssoc Request",
  3: "ReAssoc Response",
  4: "Probe Request",
  5: "Probe Response",
  8: "Beacon",
  9: "ATIM",
  10: "Disassociation",
  11: "Authentication",
  12: "DeAuthentication",
  13: "Action",
};

/** Control subtypes tcpdump knows: name and header length. */
const CTRL: Record<number, [string, number]> = {
  7: ["Control Wrapper", 16],
  8: ["BAR", 20],
  9: ["BA", 10],
  10: ["Power Save-Poll", 16],
  11: ["Request-To-Send", 16],
  12: ["Clear-To-Send", 10],
  13: ["Acknowledgment", 10],
  14: ["CF-End", 16],
  15: ["CF-End+CF-Ack", 16],
};

const AUTH_ALGS = ["Open System", "Shared Key", "EAP"];

/** Radiotap presence bits with a meaning outside the field numbering. */
const RT = { channel: 3, xchannel: 18, mcs: 19, namespace: 29, vendor: 30, ext: 31 } as const;

/** Channel flags (radiotap CHANNEL and XCHANNEL). */
const CH = {
  turbo: 0x10,
  cck: 0x20,
  ofdm: 0x40,
  ghz2: 0x80,
  ghz5: 0x100,
  dyn: 0x400,
  gfsk: 0x800,
  half: 0x4000,
  quarter: 0x8000,
  ht20: 0x10000,
  ht40u: 0x20000,
  ht40d: 0x40000,
} as const;

const HT_BANDWIDTH = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"];
const VHT_BANDWIDTH = [
  "20 MHz",
  "40 MHz",
  "20 MHz (L)",
  "20 MHz (U)",
  "80 MHz",
  "80 MHz (L)",
  "80 MHz (U)",
  "80 MHz (LL)",
  "80 MHz (LU)",
  "80 MHz (UL)",
  "80 MHz (UU)",
  "160 MHz",
  "160 MHz (L)",
  "160 MHz (U)",
  "160 MHz (LL)",
  "160 MHz (LU)",
  "160 MHz (UL)",
  "160 MHz (UU)",
  "160 MHz (LLL)",
  "160 MHz (LLU)",
  "160 MHz (LUL)",
  "160 MHz (UUU)",
  "160 MHz (ULL)",
  "160 MHz (ULU)",
  "160 MHz (UUL)",
  "160 MHz (UUU)",
];

/**
 * 802.11n rates in Mb/s for MCS 0-76, four per index: 20 MHz long and short guard interval, then 40 MHz
 * long and short (IEEE 802.11-2012 tables 20-30 to 20-44, as tcpdump lists them; MCS 32 has no 20 MHz rate).
 */
const HT_RATES: readonly number[] = [
  6.5,
  7.2,
  13.5,
  15,
  13,
  14.4,
  27,
  30,
  19.5,
  21.7,
  40.5,
  45,
  26,
  28.9,
  54,
  60,
  39,
  43.3,
  81,
  90,
  52,
  57.8,
  108,
  120,
  58.5,
  65,
  121.5,
  135,
  65,
  72.2,
  135,
  150,
  13,
  14.4,
  27,
  30,
  26,
  28.9,
  54,
  60,
  39,
  43.3,
  81,
  90,
  52,
  57.8,
  108,
  120,
  78,
  86.7,
  162,
  180,
  104,
  115.6,
  216,
  240,
  117,
  130,
  243,
  270,
  130,
  144.4,
  270,
  300,
  19.5,
  21.7,
  40.5,
  45,
  39,
  43.3,
  81,
  90,
  58.5,
  65,
  121.5,
  135,
  78,
  86.7,
  162,
  180,
  117,
  130,
  243,
  270,
  156,
  173.3,
  324,
  360,
  175.5,
  195,
  364.5,
  405,
  195,
  216.7,
  405,
  450,
  26,
  28.9,
  54,
  60,
  52,
  57.8,
  108,
  120,
  78,
  86.7,
  162,
  180,
  104,
  115.6,
  216,
  240,
  156,
  173.3,
  324,
  360,
  208,
  231.1,
  432,
  480,
  234,
  260,
  486,
  540,
  260,
  288.9,
  540,
  600,
  0,
  0,
  6,
  6.7,
  39,
  43.3,
  81,
  90,
  52,
  57.8,
  108,
  120,
  65,
  72.2,
  135,
  150,
  58.5,
  65,
  121.5,
  135,
  78,
  86.7,
  162,
  180,
  97.5,
  108.3,
  202.5,
  225,
  52,
  57.8,
  108,
  120,
  65,
  72.2,
  135,
  150,
  65,
  72.2,
  135,
  150,
  78,
  86.7,
  162,
  180,
  91,
  101.1,
  189,
  210,
  91,
  101.1,
  189,
  210,
  104,
  115.6,
  216,
  240,
  78,
  86.7,
  162,
  180,
  97.5,
  108.3,
  202.5,
  225,
  97.5,
  108.3,
  202.5,
  225,
  117,
  130,
  243,
  270,
  136.5,
  151.7,
  283.5,
  315,
  136.5,
  151.7,
  283.5,
  315,
  156,
  173.3,
  324,
  360,
  65,
  72.2,
  135,
  150,
  78,
  86.7,
  162,
  180,
  91,
  101.1,
  189,
  210,
  78,
  86.7,
  162,
  180,
  91,
  101.1,
  189,
  210,
  104,
  115.6,
  216,
  240,
  117,
  130,
  243,
  270,
  104,
  115.6,
  216,
  240,
  117,
  130,
  243,
  270,
  130,
  144.4,
  270,
  300,
  130,
  144.4,
  270,
  300,
  143,
  158.9,
  297,
  330,
  97.5,
  108.3,
  202.5,
  225,
  117,
  130,
  243,
  270,
  136.5,
  151.7,
  283.5,
  315,
  117,
  130,
  243,
  270,
  136.5,
  151.7,
  283.5,
  315,
  156,
  173.3,
  324,
  360,
  175.5,
  195,
  364.5,
  405,
  156,
  173.3,
  324,
  360,
  175.5,
  195,
  364.5,
  405,
  195,
  216.7,
  405,
  450,
  195,
  216.7,
  405,
  450,
  214.5,
  238.3,
  445.5,
  495,
];

const hex = (x: number) => x.toString(16);
const le16 = (p: Uint8Array, at: number) => p[at] | (p[at + 1] << 8);
const le32 = (p: Uint8Array, at: number) => (le16(p, at) | (le16(p, at + 2) << 16)) >>> 0;
/** tcpdump's `%2.1f` of a rate in half Mb/s units (always a whole or half number). */
const halves = (r: number) => (r / 2).toFixed(1);

/**
 * tcpdump's `cpack` reader over the radiotap header: each read of n bytes (n > 1) first aligns to n from
 * the header's start, and fails (null) past the header's length without moving. Exported for the decoder's
 * radiotap walk (`wlan.ts`), which aligns its fields the same way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Cpack } from "./_wlan.ts";
 * // A flags byte at 8, then a 16-bit field aligned to 10; nothing fits past the header's 12 bytes.
 * const c = new Cpack(new Uint8Array([0, 0, 12, 0, 0, 0, 0, 0, 2, 0, 0x34, 0x12]), 12, 8);
 * assert(c.u8() === 2 && c.u16() === 0x1234 && c.pos === 12 && c.u8() === null);
 * ```
 */
export class Cpack {
  pos: number;
  constructor(readonly b: Uint8Array, readonly len: number, pos: number) {
    this.pos = pos;
  }
  /** Where an aligned n-byte field would start, or -1 when it does not fit. */
  reserve(n: number): number {
    const at = (this.pos + n - 1) & ~(n - 1);
    return at + n > this.len ? -1 : at;
  }
  u8(): number | null {
    if (this.pos >= this.len) return null;
    return this.b[this.pos++];
  }
  i8(): number | null {
    const v = this.u8();
    return v === null ? null : (v << 24) >> 24;
  }
  u16(): number | null {
    const at = this.reserve(2);
    if (at < 0) return null;
    this.pos = at + 2;
    return le16(this.b, at);
  }
  u32(): number | null {
    const at = this.reserve(4);
    if (at < 0) return null;
    this.pos = at + 4;
    return le32(this.b, at);
  }
  u64(): bigint | null {
    const at = this.reserve(8);
    if (at < 0) return null;
    this.pos = at + 8;
    return (BigInt(le32(this.b, at + 4)) << 32n) | BigInt(le32(this.b, at));
  }
  skip(n: number): boolean {
    if (this.pos + n > this.len) return false;
    this.pos += n;
    return true;
  }
}

/** The running state: text so far, the radiotap flags byte, whether a payload printer jumped. */
interface St {
  s: string;
  flags: number;
  jump: boolean;
}

/** A radiotap channel: frequency and tcpdump's names for the flags, then a space. */
function chanInfo(freq: number, flags: number, present: number): string {
  let s = `${freq} MHz`;
  const is = (m: number) => (flags & m) === m;
  if (present & (1 << RT.mcs)) s += " 11n";
  else {
    if (is(CH.ghz2 | CH.gfsk)) s += " FHSS";
    const sub = flags & CH.half ? "/10Mhz" : flags & CH.quarter ? "/5Mhz" : "";
    if (is(CH.ghz5 | CH.ofdm)) s += ` 11a${sub}`;
    if (is(CH.ghz2 | CH.ofdm) || is(CH.ghz2 | CH.dyn)) s += ` 11g${sub}`;
    else if (is(CH.ghz2 | CH.cck)) s += " 11b";
    if (flags & CH.turbo) s += " Turbo";
  }
  if (flags & CH.ht20) s += " ht/20";
  else if (flags & CH.ht40d) s += " ht/40-";
  else if (flags & CH.ht40u) s += " ht/40+";
  return s + " ";
}

/** One radiotap field: its text, or null when cut (tcpdump marks it); "stop" for a field it cannot size. */
function rtField(c: Cpack, bit: number, present: number, st: St): string | null | "stop" {
  switch (bit) {
    case 0: {
      const v = c.u64();
      return v === null ? null : `${v}us tsft `;
    }
    case 1: {
      const f = c.u8();
      if (f === null) return null;
      st.flags = f;
      return (f & 1 ? "cfp " : "") + (f & 2 ? "short preamble " : "") + (f & 4 ? "wep " : "") +
        (f & 8 ? "fragmented " : "") + (f & 0x40 ? "bad-fcs " : "");
    }
    case 2: {
      const r = c.u8();
      if (r === null) return null;
      return r >= 0x80 && r <= 0x8f ? `MCS ${r & 0x7f} ` : `${halves(r)} Mb/s `;
    }
    case RT.channel: {
      const freq = c.u16(), flags = freq === null ? null : c.u16();
      if (freq === null || flags === null) return null;
      return present & (1 << RT.xchannel) ? "" : chanInfo(freq, flags, present);
    }
    case 4: {
      const set = c.u8(), pat = set === null ? null : c.u8();
      return set === null || pat === null ? null : `fhset ${set} fhpat ${pat} `;
    }
    case 5:
    case 6: {
      const v = c.i8();
      return v === null ? null : `${v}dBm ${bit === 5 ? "signal" : "noise"} `;
    }
    case 7: {
      const v = c.u16();
      return v === null ? null : `${v} sq `;
    }
    case 8: {
      const v = c.u16();
      return v === null ? null : `${-((v << 16) >> 16)} tx power `;
    }
    case 9: {
      const v = c.i8();
      return v === null ? null : `${-v}dB tx attenuation `;
    }
    case 10: {
      const v = c.i8();
      return v === null ? null : `${v}dBm tx power `;
    }
    case 11: {
      const v = c.u8();
      return v === null ? null : `antenna ${v} `;
    }
    case 12:
    case 13: {
      const v = c.u8();
      return v === null ? null : `${v}dB ${bit === 12 ? "signal" : "noise"} `;
    }
    case 14:
      return c.u16() === null ? null : "";
    case RT.xchannel: {
      const flags = c.u32();
      if (flags === null) return null;
      const freq = c.u16();
      if (freq === null || c.u8() === null || c.u8() === null) return null;
      return chanInfo(freq, flags, present);
    }
    case RT.mcs:
      return mcsField(c);
    case 20:
      return c.u32() === null || c.u16() === null || c.u8() === null || c.u8() === null ? null : "";
    case 21:
      return vhtField(c);
    default:
      st.s += `[bit ${bit}] `;
      return "stop";
  }
}

function mcsField(c: Cpack): string | null {
  const known = c.u8(), flags = known === null ? null : c.u8(), mcs = flags === null ? null : c.u8();
  if (known === null || flags === null || mcs === null) return null;
  let s = "";
  if (known & 2) {
    // tcpdump looks the rate up when either the bandwidth or the guard interval is known.
    const rate = mcs <= 76 && known & 5
      ? HT_RATES[mcs * 4 + ((flags & 3) === 1 ? 2 : 0) + (flags & 4 ? 1 : 0)]
      : 0;
    s += rate !== 0 ? `${rate.toFixed(1)} Mb/s MCS ${mcs} ` : `MCS ${mcs} `;
  }
  if (known & 1) s += `${HT_BANDWIDTH[flags & 3]} `;
  if (known & 4) s += `${flags & 4 ? "short" : "long"} GI `;
  if (known & 8) s += `${flags & 8 ? "greenfield" : "mixed"} `;
  if (known & 0x10) s += `${flags & 0x10 ? "LDPC" : "BCC"} FEC `;
  if (known & 0x20) s += `RX-STBC${(flags & 0x60) >> 5} `;
  return s;
}

function vhtField(c: Cpack): string | null {
  const known = c.u16();
  if (known === null) return null;
  const flags = c.u8(), bw = flags === null ? null : c.u8();
  if (flags === null || bw === null) return null;
  const mcsNss: number[] = [];
  for (let i = 0; i < 4; i++) {
    const v = c.u8();
    if (v === null) return null;
    mcsNss.push(v);
  }
  const coding = c.u8();
  if (coding === null || c.u8() === null || c.u16() === null) return null;
  let s = "";
  mcsNss.forEach((v, i) => {
    if ((v & 0x0f) === 0) return;
    s += `User ${i} MCS ${v >> 4} ${coding & (1 << i) ? "LDPC" : "BCC"} FEC `;
  });
  if (known & 0x40) s += `${VHT_BANDWIDTH[bw & 0x1f] ?? `unknown (${bw & 0x1f})`} `;
  if (known & 4) s += `${flags & 4 ? "short" : "long"} GI `;
  return s;
}

/** The radiotap header, then the 802.11 frame; returns tcpdump's header length. */
function radiotap(f: Uint8Array, wire: number, o: WlanOptions, st: St): number {
  const trunc = " [|802.11_radio]";
  if (f.length < 8) {
    st.s += trunc;
    return f.length;
  }
  const len = le16(f, 2);
  if (len < 8 || f.length < len) {
    st.s += trunc;
    return f.length;
  }
  // The presence words: one, then one more for each with the extension bit, inside the header.
  let last = 4;
  while (last + 4 <= len && le32(f, last) & (1 << RT.ext)) last += 4;
  if (last + 4 > len) {
    st.s += trunc;
    return f.length;
  }
  const c = new Cpack(f, len, last + 4);
  let bit0 = 0, vendor = false, skip = 0;
  words: for (let w = 4; w <= last; w += 4) {
    const present = le32(f, w);
    if (vendor) {
      if (!c.skip(skip)) break;
      skip = 0;
    } else {
      for (let rest = present; rest; rest &= rest - 1) {
        const bitno = 31 - Math.clz32(rest & -rest);
        if (bitno >= RT.namespace) break;
        const t = rtField(c, bit0 + bitno, present, st);
        if (t === "stop") break words;
        if (t === null) {
          st.s += trunc;
          break words;
        }
        st.s += t;
      }
    }
    switch (present & ((1 << RT.namespace) | (1 << RT.vendor))) {
      case 0:
        bit0 += 32;
        break;
      case 1 << RT.namespace:
        bit0 = 0, vendor = false, skip = 0;
        break;
      case 1 << RT.vendor: {
        bit0 = 0, vendor = true;
        // OUI, sub-namespace and the length to skip; a cut one is marked and the walk goes on.
        const ok = c.reserve(2) >= 0 && c.u8() !== null && c.u8() !== null && c.u8() !== null &&
          c.u8() !== null;
        const n = ok ? c.u16() : null;
        if (n === null) st.s += trunc;
        else skip = n;
        break;
      }
    }
  }
  const fcs = st.flags & 0x10 ? 4 : 0, pad = (st.flags & 0x20) !== 0;
  return len + dot11(f.subarray(len), wire - len, pad, fcs, o, st);
}

/** The 802.11 header's length for its frame control, or 0 (with tcpdump's complaint) when unknown. */
function headerLen(fc: number, st: St): number {
  const type = (fc >> 2) & 3, sub = (fc >> 4) & 15;
  if (type === T.mgmt) return H.mgmtEnd;
  if (type === T.ctrl) {
    if (CTRL[sub]) return CTRL[sub][1];
    st.s += `unknown 802.11 ctrl frame subtype (${sub})`;
    return 0;
  }
  if (type === T.data) return ((fc & FC.toDs) && (fc & FC.fromDs) ? 30 : 24) + (sub & 8 ? 2 : 0);
  st.s += `unknown 802.11 frame type (${type})`;
  return 0;
}

/** The 802.11 header as `-e` prints it (with `-v` its flags and duration first). */
function headerText(fc: number, p: Uint8Array, verbosity: number): string {
  const type = (fc >> 2) & 3, sub = (fc >> 4) & 15;
  const a = (at: number) => formatMac(p, at);
  let s = "";
  if (verbosity > 0) {
    if (fc & FC.moreData) s += "More Data ";
    if (fc & FC.moreFrag) s += "More Fragments ";
    if (fc & FC.pwrMgmt) s += "Pwr Mgmt ";
    if (fc & FC.retry) s += "Retry ";
    if (fc & FC.order) s += "Strictly Ordered ";
    if (fc & FC.protected) s += "Protected ";
    if (type !== T.ctrl || sub !== 10) s += `${le16(p, H.duration)}us `;
  }
  if (type === T.mgmt) return s + `BSSID:${a(H.addr3)} DA:${a(H.addr1)} SA:${a(H.addr2)} `;
  if (type === T.ctrl) {
    switch (sub) {
      case 8:
        return s + ` RA:${a(4)} TA:${a(10)} CTL(${hex(le16(p, 16))}) SEQ(${le16(p, 18)}) `;
      case 10:
        return s + `BSSID:${a(4)} TA:${a(10)} `;
      case 11:
        return s + `RA:${a(4)} TA:${a(10)} `;
      case 14:
      case 15:
        return s + `RA:${a(4)} BSSID:${a(10)} `;
      case 9:
      case 12:
      case 13:
        return s + `RA:${a(4)} `;
    }
    return s;
  }
  if (sub & 0xb) {
    s += "CF " + (sub & 1 ? (sub & 2 ? "Ack/Poll" : "Ack") : sub & 2 ? "Poll" : "") +
      (sub & 8 ? "+QoS" : "") + " ";
  }
  const [n1, n2, n3] = [
    ["DA", "SA", "BSSID"],
    ["BSSID", "SA", "DA"],
    ["DA", "BSSID", "SA"],
    ["RA", "TA", "DA"],
  ][(fc >> 8) & 3];
  s += `${n1}:${a(H.addr1)} ${n2}:${a(H.addr2)} ${n3}:${a(H.addr3)} `;
  return (fc & 0x300) === 0x300 ? s + `SA:${a(H.addr4)} ` : s;
}

/** What a management frame's elements tcpdump reads hold; `ok` false: tcpdump stopped on a bad one. */
interface Elements {
  ok: boolean;
  ssid: Uint8Array | null;
  rates: Uint8Array | null;
  ds: number | null;
}

/** The elements from `at`, no further than `length` bytes of the frame nor the captured bytes. */
function elements(p: Uint8Array, at: number, length: number): Elements {
  const e: Elements = { ok: false, ssid: null, rates: null, ds: null };
  while (length !== 0) {
    if (at + 2 > p.length || length < 2) return e;
    const id = p[at], n = p[at + 1];
    if (at + 2 + n > p.length || length < n + 2) return e;
    const v = p.subarray(at + 2, at + 2 + n);
    if (id === 0) {
      if (n > 32) return e;
      e.ssid ??= v;
    } else if (id === 16) {
      if (n > 253) return e;
    } else if (id === 1) {
      if (n > 16) return e;
      if (e.rates === null && n !== 0) e.rates = v;
    } else if (id === 3 && n === 1) e.ds ??= v[0];
    at += 2 + n;
    length -= 2 + n;
  }
  e.ok = true;
  return e;
}

/** The SSID as tcpdump's fn_print_str shows it: up to its first NUL, each byte as `fn_print_char`. */
function ssidText(e: Elements): string {
  if (e.ssid === null) return "";
  let s = "";
  for (const c of e.ssid) {
    if (c === 0) break;
    s += charText(c);
  }
  return ` (${s})`;
}

function charText(c: number): string {
  let s = "";
  if (c & 0x80) {
    c &= 0x7f;
    s = "M-";
  }
  if (c < 0x20 || c === 0x7f) return s + "^" + String.fromCharCode(c ^ 0x40);
  return s + String.fromCharCode(c);
}

function ratesText(e: Elements): string {
  if (e.rates === null) return "";
  return " [" + [...e.rates].map((r) => halves(r & 0x7f) + (r & 0x80 ? "*" : "")).join(" ") + " Mbit]";
}

const status = (n: number) => STATUS_TEXT[n] ?? "n/a";
const reason = (n: number) => REASON_TEXT[n] ?? "Reserved";

/** WEP/TKIP/CCMP's first four bytes as tcpdump shows them; false when not captured. */
function wep(b: Uint8Array, st: St): boolean {
  if (b.length < 4) return false;
  const iv = le32(b, 0);
  st.s += ` IV:${hex(iv & 0xffffff).padStart(3)} Pad ${hex((iv >>> 24) & 0x3f)} KeyID ${hex(iv >>> 30)}`;
  return true;
}

/** A management frame's body (after its name); false where tcpdump marks it cut. */
function mgmtBody(
  sub: number,
  fc: number,
  h: Uint8Array,
  b: Uint8Array,
  length: number,
  o: WlanOptions,
  st: St,
) {
  if (fc & FC.protected) return wep(b, st);
  const fixed = (n: number) => b.length >= n && length >= n;
  const privacy = (cap: number) => (cap & 0x10 ? ", PRIVACY" : "");
  const src = formatMac(h, H.addr2);
  switch (sub) {
    case 0:
    case 4: {
      const n = sub === 0 ? 4 : 0;
      if (!fixed(n)) return false;
      const e = elements(b, n, length - n);
      st.s += ssidText(e) + ratesText(e);
      return e.ok;
    }
    case 1:
    case 3: {
      if (!fixed(6)) return false;
      const e = elements(b, 6, length - 6);
      const cap = le16(b, 0);
      st.s += ` AID(${hex(le16(b, 4) & 0x3fff)}) :${cap & 0x10 ? " PRIVACY " : ""}: ${status(le16(b, 2))}`;
      return e.ok;
    }
    case 2: {
      if (!fixed(10)) return false;
      const e = elements(b, 10, length - 10);
      st.s += ssidText(e) + ` AP : ${formatMac(b, 4)}`;
      return e.ok;
    }
    case 5:
    case 8: {
      if (!fixed(12)) return false;
      const e = elements(b, 12, length - 12);
      const cap = le16(b, 10);
      st.s += ssidText(e) + ratesText(e) + (sub === 8 ? (cap & 1 ? " ESS" : " IBSS") : "") +
        (e.ds !== null ? ` CH: ${e.ds}` : "") + privacy(cap);
      return e.ok;
    }
    case 10:
      if (!fixed(2)) return false;
      st.s += `: ${reason(le16(b, 0))}`;
      return true;
    case 11: {
      if (!fixed(6)) return false;
      const e = elements(b, 6, length - 6);
      const alg = le16(b, 0), seq = le16(b, 2);
      const name = AUTH_ALGS[alg] ?? "Reserved", stat = seq % 2 ? status(le16(b, 4)) : "";
      st.s += alg === 1 && (seq === 2 || seq === 3)
        ? ` (${name})-${hex(seq)} [Challenge Text] ${stat}`
        : ` (${name})-${hex(seq)}: ${stat}`;
      return e.ok;
    }
    case 12:
      if (!fixed(2)) return false;
      st.s += o.link ? `: ${reason(le16(b, 0))}` : ` (${src}): ${reason(le16(b, 0))}`;
      return true;
    case 13:
      if (!fixed(2)) return false;
      st.s += (o.link ? ": " : ` (${src}): `) + actionText(b[0], b[1]);
      return true;
  }
  return true;
}

const BA_ACTIONS = ["ADDBA Request", "ADDBA Response", "DELBA"];
const HT_ACTIONS = ["TxChWidth", "MIMOPwrSave"];
const MESH_ACTIONS = [
  "MeshLink",
  "HWMP",
  "Gate Announcement",
  "Congestion Control",
  "MCCA Setup Request",
  "MCCA Setup Reply",
  "MCCA Advertisement Request",
  "MCCA Advertisement",
  "MCCA Teardown",
  "TBTT Adjustment Request",
  "TBTT Adjustment Response",
];
const MULTIHOP_ACTIONS = ["Proxy Update", "Proxy Update Confirmation"];
const SELFPROT_ACTIONS = [
  undefined,
  "Peering Open",
  "Peering Confirm",
  "Peering Close",
  "Group Key Inform",
  "Group Key Acknowledge",
];

/** An action frame's category and action. */
function actionText(cat: number, act: number): string {
  const named = (t: readonly (string | undefined)[]) => t[act] ?? `Act#${act}`;
  switch (cat) {
    case 0:
      return `Spectrum Management Act#${act}`;
    case 1:
      return `QoS Act#${act}`;
    case 2:
      return `DLS Act#${act}`;
    case 3:
      return `BA ${named(BA_ACTIONS)}`;
    case 7:
      return `HT ${named(HT_ACTIONS)}`;
    case 13:
      return `MeshAction ${named(MESH_ACTIONS)}`;
    case 14:
      return `MultiohopAction ${named(MULTIHOP_ACTIONS)}`;
    case 15:
      return `SelfprotectAction ${named(SELFPROT_ACTIONS)}`;
    case 127:
      return `Vendor Act#${act}`;
  }
  return `Reserved(${cat}) Act#${act}`;
}

/** A control frame's text after the `-e` header (its name, and without `-e` its addresses). */
function ctrlBody(sub: number, h: Uint8Array, link: boolean): string {
  const a = (at: number) => formatMac(h, at);
  const name = CTRL[sub][0];
  switch (sub) {
    case 8:
      return link ? name : `${name} RA:${a(4)} TA:${a(10)} CTL(${hex(le16(h, 16))}) SEQ(${le16(h, 18)}) `;
    case 10:
      return `${name} AID(${hex(le16(h, 2))})`;
    case 11:
      return link ? name : `${name} TA:${a(10)} `;
    case 9:
    case 12:
    case 13:
    case 14:
    case 15:
      return link ? name : `${name} RA:${a(4)} `;
  }
  return name;
}

/** The 802.11 frame (tcpdump's ieee802_11_print); returns the header length tcpdump's printer returns. */
function dot11(f: Uint8Array, wire: number, pad: boolean, fcs: number, o: WlanOptions, st: St): number {
  const trunc = " [|802.11]";
  const orig = f.length;
  if (wire < fcs) {
    st.s += trunc;
    return orig;
  }
  let length = wire - fcs;
  if (f.length > length) f = f.subarray(0, length);
  if (f.length < 2) {
    st.s += trunc;
    return orig;
  }
  const fc = le16(f, 0), type = (fc >> 2) & 3, sub = (fc >> 4) & 15;
  let hdrLen = headerLen(fc, st);
  if (hdrLen === 0) return 0;
  if (pad) hdrLen = (hdrLen + 3) & ~3;
  if (f.length < hdrLen) {
    st.s += trunc;
    return hdrLen;
  }
  if (o.link) st.s += headerText(fc, f, o.verbosity);
  length -= hdrLen;
  const b = f.subarray(hdrLen);
  if (type === T.mgmt) {
    st.s += MGMT_NAMES[sub] ?? `Unhandled Management subtype(${hex(sub)})`;
    if (!mgmtBody(sub, fc, f, b, length, o, st)) st.s += trunc;
    return hdrLen;
  }
  if (type === T.ctrl) {
    st.s += ctrlBody(sub, f, o.link);
    return hdrLen;
  }
  if (sub & 4) return hdrLen;
  if (fc & FC.protected) {
    st.s += "Data";
    if (!wep(b, st)) st.s += trunc;
    return hdrLen;
  }
  return hdrLen + llc(fc, f, b, length, o, st);
}

/** A data frame's LLC header and payload (tcpdump's llc_print): the LLC header length it returns. */
function llc(fc: number, h: Uint8Array, b: Uint8Array, length: number, o: WlanOptions, st: St): number {
  // Source and destination as tcpdump names them for a frame it cannot dissect.
  const [src, dst] = [[10, 4], [10, 16], [16, 4], [24, 16]][(fc >> 8) & 3];
  const w = walkLlc(b.subarray(0, Math.min(b.length, length)));
  const l = w.header;
  let inner: (() => string) | null = null;
  if (l) {
    const ethertype = l.snap && (l.oui === 0 || l.oui === 0xf8)
      ? l.pid
      : (l.dsap & 0xfe) === 6 && (l.ssap & 0xfe) === 6 && l.control === 3
      ? 0x0800
      : null;
    if (ethertype !== null) {
      const rest = b.subarray(w.offset), n = length - (l.snap ? l.hdrLen + 5 : l.hdrLen);
      const p = o.network(ethertype, rest, n);
      if (p) {
        inner = () => {
          if (p.jump) st.jump = true;
          return p.text;
        };
      }
    }
  }
  st.s += llcText({
    llc: l,
    rest: b.subarray(l ? w.offset : 0),
    length,
    link: o.link,
    verbose: o.verbosity > 0,
    quiet: o.quiet,
    verbosity: o.verbosity,
    onJump: () => {
      st.jump = true;
    },
    src: formatMac(h, src),
    dst: formatMac(h, dst),
    inner,
    dump: b,
    defaultPrint: o.dumpUndecoded === true && !o.quiet,
    carried: (linktype, bytes, n) =>
      o.network(linktype === 228 ? 0x0800 : 0x86dd, bytes, n) ?? { text: "", jump: false },
  });
  if (!l) return Math.min(b.length, length);
  return l.snap ? l.hdrLen + 5 : l.hdrLen;
}

/**
 * A whole captured frame of link type 105 or 127: the line after the timestamp.
 *
 * @param frame the captured bytes
 * @param wire the frame's length on the wire
 * @param o see {@link WlanOptions}
 * @returns the text, whether it ended by a long jump, and the link header's length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wlanText } from "./_wlan.ts";
 * // An ACK to 00:11:22:33:44:55 behind a radiotap header holding the flags (short preamble) and rate.
 * const f = new Uint8Array([0, 0, 10, 0, 6, 0, 0, 0, 2, 22, 0xd4, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55]);
 * const o = { radiotap: true, verbosity: 0, link: false, quiet: false, network: () => null };
 * const p = wlanText(f, f.length, o);
 * assert.equal(p.text, "short preamble 11.0 Mb/s Acknowledgment RA:00:11:22:33:44:55 ");
 * assert.equal(p.hdrLen, 20);
 * ```
 */
export function wlanText(frame: Uint8Array, wire: number, o: WlanOptions): WlanPrinted {
  const st: St = { s: "", flags: 0, jump: false };
  let hdrLen = 0;
  try {
    hdrLen = o.radiotap ? radiotap(frame, wire, o, st) : dot11(frame, wire, false, 0, o, st);
  } catch {
    // Not expected: every read above is bounds-checked; keep the caller's line whole anyway.
    st.s += " [|802.11]";
  }
  return { text: st.s, jump: st.jump, hdrLen };
}
