/**
 * Private: RADIUS (RFC 2865, 2866, 2867, 2868, 2869, 3162, 3580, 4072, 4675, 4818, 4849, 5090, 5176, 5447,
 * 5580, 6572; UDP 1645, 1812, 1646, 1813, 1700, 3799) as tcpdump 4.99 prints it (print-radius.c).
 *
 * ```text
 * | code (1) | identifier (1) | length (2) | authenticator (16) | attributes: | type (1) | length (1) | value |
 * ```
 *
 * tcpdump's text:
 * - `RADIUS, Access-Request (1), id: 0x07 length: 27`: the code (every name IANA gave up to CoA-NAK, else
 *   `Unknown Command`), the identifier, and the RADIUS length (no more than the UDP payload's).
 * - With `-v`: `RADIUS, length: 27\n\tAccess-Request (1), id: 0x07, Authenticator: 0001...0e0f`, then one
 *   line per attribute, `\n\t  User-Name Attribute (1), length: 7, Value: alice`: strings up to a NUL with
 *   unprintable bytes as `.`, numbers, named values (`Framed`, `#99` when unnamed), IPv4 and IPv6 addresses
 *   and prefixes, times (`30 secs`, `59:59 min`, `02:00:00 hours`, dates), tunnel tags (`Tag[1] `,
 *   `Tag[Unused] `), Vendor-Specific attributes (`Vendor: Cisco (9)` and a line per vendor attribute), an
 *   EAP-Message's EAP packet, ARAP fields in hex, Error-Cause names, MIP6 feature vectors, operator names,
 *   location information, data and policy rules (with NTP times). User-Password, CHAP-Password and a few
 *   more print no value; unknown attributes (`Unknown Attribute (200)`) neither. With `-vv` each attribute
 *   adds a hex dump of its value (`\n\t    0x0000:  ...`).
 * - A length below 2 (`(bogus, must be >= 2)`) or past the RADIUS length (`(bogus, goes past end of
 *   packet)`) ends the attributes; a value of the wrong size prints `ERROR: length 3 != 4`.
 *
 * Truncation: less than the 20-byte header, or a header length below 20, is ` [|radius]`. tcpdump checks most
 * values whole before printing them: a value not captured prints ` [|radius]` and tcpdump goes on with the
 * next attribute (whose header is then found cut: a second ` [|radius]`). Numbers, addresses, vendor ids,
 * the EAP header and a few more are read unchecked: those reads long-jump.
 *
 * Event-Timestamp is shown in the local time zone, as tcpdump's `ctime` shows it.
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar, u16, u32, u8 } from "./_text.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import {
  CODES as EAP_CODES,
  SIM_AKA_SUBTYPES as EAP_SIM_AKA_SUBTYPES,
  T as EAP,
  TLS_FLAGS as EAP_TLS_FLAGS,
  TYPES as EAP_TYPES,
} from "./_eapol.ts";

const CUT = " [|radius]";

/** Header fields. */
const F = { code: 0, id: 1, length: 2, authenticator: 4, attributes: 20 } as const;
const AUTHENTICATOR_LEN = F.attributes - F.authenticator;
const MIN_RADIUS_LEN = F.attributes;
/** An attribute's type and length. */
const ATTR_HEADER = 2;

const CODES: Record<number, string> = {
  1: "Access-Request",
  2: "Access-Accept",
  3: "Access-Reject",
  4: "Accounting-Request",
  5: "Accounting-Response",
  11: "Access-Challenge",
  12: "Status-Server",
  13: "Status-Client",
  40: "Disconnect-Request",
  41: "Disconnect-ACK",
  42: "Disconnect-NAK",
  43: "CoA-Request",
  44: "CoA-ACK",
  45: "CoA-NAK",
  255: "Reserved",
};

/** Attribute types with special handling. */
const A = {
  framedIpAddress: 8,
  loginIpHost: 14,
  framedIpxNetwork: 23,
  sessionTimeout: 27,
  idleTimeout: 28,
  framedAppleTalkLink: 37,
  framedAppleTalkNetwork: 38,
  acctDelayTime: 41,
  acctSessionTime: 46,
  egressVlanId: 56,
  egressVlanName: 58,
  tunnelType: 64,
  tunnelMedium: 65,
  tunnelClientEndpoint: 66,
  tunnelServerEndpoint: 67,
  tunnelPassword: 69,
  arapPassword: 70,
  arapFeatures: 71,
  eapMessage: 79,
  tunnelPrivateGroup: 81,
  tunnelAssignmentId: 82,
  tunnelPreference: 83,
  arapChallengeResponse: 84,
  acctInterimInterval: 85,
  tunnelClientAuthId: 90,
  tunnelServerAuthId: 91,
  errorCause: 101,
} as const;

/** A value printer: the value's offset and length, the attribute type; it appends to `o`. */
type ValuePrinter = (o: Out, p: Uint8Array, at: number, n: number, type: number) => void;

/** Named values of a numeric attribute: names[v] for v from `first` on (`first` is 0 or 1). */
interface Values {
  names: readonly string[];
  first: number;
}

/** One attribute type: its name, how its value prints (none: nothing), its named values. */
interface AttrType {
  name: string;
  print?: ValuePrinter;
  values?: Values;
}

/** A list of names from 1 (index 0 unused). */
const from1 = (...names: string[]): Values => ({ names: ["", ...names], first: 1 });
/** A list of names from 0. */
const from0 = (...names: string[]): Values => ({ names, first: 0 });

const SERVICE_TYPES = from1(
  "Login",
  "Framed",
  "Callback Login",
  "Callback Framed",
  "Outbound",
  "Administrative",
  "NAS Prompt",
  "Authenticate Only",
  "Callback NAS Prompt",
  "Call Check",
  "Callback Administrative",
  "Voice",
  "Fax",
  "Modem Relay",
  "IAPP-Register",
  "IAPP-AP-Check",
  "Authorize Only",
  "Framed-Management",
  "Additional-Authorization",
);
const FRAMED_PROTOCOLS = from1(
  "PPP",
  "SLIP",
  "ARAP",
  "Gandalf proprietary",
  "Xylogics IPX/SLIP",
  "X.75 Synchronous",
  "GPRS PDP Context",
);
const FRAMED_ROUTING = from0("None", "Send", "Listen", "Send&Listen");
const FRAMED_COMPRESSION = from0("None", "VJ TCP/IP", "IPX", "Stac-LZS");
const LOGIN_SERVICES = from0(
  "Telnet",
  "Rlogin",
  "TCP Clear",
  "PortMaster(proprietary)",
  "LAT",
  "X.25-PAD",
  "X.25-T3POS",
  "Unassigned",
  "TCP Clear Quiet",
);
const TERMINATION_ACTIONS = from0("Default", "RADIUS-Request");
const INGRESS_FILTERS = from1("Enabled", "Disabled");
const NAS_PORT_TYPES = from0(
  "Async",
  "Sync",
  "ISDN Sync",
  "ISDN Async V.120",
  "ISDN Async V.110",
  "Virtual",
  "PIAFS",
  "HDLC Clear Channel",
  "X.25",
  "X.75",
  "G.3 Fax",
  "SDSL",
  "ADSL-CAP",
  "ADSL-DMT",
  "ISDN-DSL",
  "Ethernet",
  "xDSL",
  "Cable",
  "Wireless - Other",
  "Wireless - IEEE 802.11",
  "Token-Ring",
  "FDDI",
  "Wireless - CDMA200",
  "Wireless - UMTS",
  "Wireless - 1X-EV",
  "IAPP",
  "FTTP",
  "Wireless - IEEE 802.16",
  "Wireless - IEEE 802.20",
  "Wireless - IEEE 802.22",
  "PPPoA",
  "PPPoEoA",
  "PPPoEoE",
  "PPPoEoVLAN",
  "PPPoEoQinQ",
  "xPON",
  "Wireless - XGP",
  "WiMAX Pre-Release 8 IWK Function",
  "WIMAX-WIFI-IWK",
  "WIMAX-SFF",
  "WIMAX-HA-LMA",
  "WIMAX-DHCP",
  "WIMAX-LBS",
  "WIMAX-WVS",
);
const ACCT_STATUS_TYPES = from1(
  "Start",
  "Stop",
  "Interim-Update",
  "Unassigned",
  "Unassigned",
  "Unassigned",
  "Accounting-On",
  "Accounting-Off",
  "Tunnel-Start",
  "Tunnel-Stop",
  "Tunnel-Reject",
  "Tunnel-Link-Start",
  "Tunnel-Link-Stop",
  "Tunnel-Link-Reject",
  "Failed",
);
const ACCT_AUTHENTIC = from1("RADIUS", "Local", "Remote", "Diameter");
const ACCT_TERMINATE_CAUSES = from1(
  "User Request",
  "Lost Carrier",
  "Lost Service",
  "Idle Timeout",
  "Session Timeout",
  "Admin Reset",
  "Admin Reboot",
  "Port Error",
  "NAS Error",
  "NAS Request",
  "NAS Reboot",
  "Port Unneeded",
  "Port Preempted",
  "Port Suspended",
  "Service Unavailable",
  "Callback",
  "User Error",
  "Host Request",
  "Supplicant Restart",
  "Reauthentication Failure",
  "Port Reinitialized",
  "Port Administratively Disabled",
  "Lost Power",
);
const TUNNEL_TYPES = from1(
  "PPTP",
  "L2F",
  "L2TP",
  "ATMP",
  "VTP",
  "AH",
  "IP-IP",
  "MIN-IP-IP",
  "ESP",
  "GRE",
  "DVS",
  "IP-in-IP Tunneling",
  "VLAN",
);
const TUNNEL_MEDIUM_TYPES = from1(
  "IPv4",
  "IPv6",
  "NSAP",
  "HDLC",
  "BBN 1822",
  "802",
  "E.163",
  "E.164",
  "F.69",
  "X.121",
  "IPX",
  "Appletalk",
  "Decnet IV",
  "Banyan Vines",
  "E.164 with NSAP subaddress",
);
const ARAP_ZONE_ACCESS = from1(
  "Only access to dfl zone",
  "Use zone filter inc.",
  "Not used",
  "Use zone filter exc.",
);
const PROMPTS = from0("No Echo", "Echo");

const ERROR_CAUSES: Record<number, string> = {
  201: "Residual Session Context Removed",
  202: "Invalid EAP Packet (Ignored)",
  401: "Unsupported Attribute",
  402: "Missing Attribute",
  403: "NAS Identification Mismatch",
  404: "Invalid Request",
  405: "Unsupported Service",
  406: "Unsupported Extension",
  407: "Invalid Attribute Value",
  501: "Administratively Prohibited",
  502: "Request Not Routable (Proxy)",
  503: "Session Context Not Found",
  504: "Session Context Not Removable",
  505: "Other Proxy Processing Error",
  506: "Resources Unavailable",
  507: "Request Initiated",
  508: "Multiple Session Selection Unsupported",
  509: "Location Info Required",
};

/** RFC 4675's tag byte of Egress-VLANID and Egress-VLAN-Name. */
const VLAN_TAGS: Record<number, string> = { 0x31: "Tagged", 0x32: "Untagged" };

/** MIP6-Feature-Vector bits (RFC 5447, 5779...), as [high 32 bits, low 32 bits, name] in tcpdump's order. */
const MIP6_FEATURES: ReadonlyArray<readonly [number, number, string]> = [
  [0, 0x00000001, "MIP6_INTEGRATED"],
  [0, 0x00000002, "LOCAL_HOME_AGENT_ASSIGNMENT"],
  [0x00000100, 0, "PMIP6_SUPPORTED"],
  [0x00000200, 0, "IP4_HOA_SUPPORTED"],
  [0x00000400, 0, "LOCAL_MAG_ROUTING_SUPPORTED"],
  [0x00000800, 0, "ASSIGN_LOCAL_IP"],
  [0x00001000, 0, "MIP4_SUPPORTED"],
  [0x00002000, 0, "OPTIMIZED_IDLE_MODE_MOBILITY"],
  [0x00004000, 0, "GTPv2_SUPPORTED"],
  [0x00008000, 0, "IP4_TRANSPORT_SUPPORTED"],
  [0x00010000, 0, "IP4_HOA_ONLY_SUPPORTED"],
  [0x00020000, 0, "INTER_MAG_ROUTING_SUPPORTED"],
];

/** Operator-Name namespaces (RFC 5580). */
const OPERATOR_NAMESPACES: Record<number, string> = {
  0x30: "TADIG",
  0x31: "REALM",
  0x32: "E212",
  0x33: "ICC",
};
const LOCATION_CODES: Record<number, string> = { 0: "Civic", 1: "Geospatial" };
const LOCATION_ENTITIES: Record<number, string> = { 0: "User", 1: "RADIUS" };
/** Basic-Location-Policy-Rules flags, lowest bit first as tcpdump lists them. */
const POLICY_FLAGS: ReadonlyArray<readonly [number, string]> = [
  ...Array.from({ length: 15 }, (_, k) => [1 << k, `MBZ-${15 - k}`] as const),
  [0x8000, "Retransmission Allowed"],
];

/** SMI Network Management Private Enterprise Codes tcpdump names (its smi_values). */
const VENDORS: Record<number, string> = {
  0: "IETF (reserved)",
  5: "ACC",
  9: "Cisco",
  11: "Hewlett Packard",
  42: "Sun Microsystems",
  61: "Merit",
  74: "AT&T",
  161: "Motorola",
  166: "Shiva",
  193: "Ericsson AB",
  255: "Cisco VPN 5000",
  307: "Livingston",
  311: "Microsoft",
  429: "3Com",
  529: "Ascend",
  1584: "Bay Networks",
  1991: "Foundry",
  2180: "Versanet",
  2352: "Redback",
  2636: "Juniper Networks",
  2637: "Aptis",
  2937: "Deutsche Telekom AG",
  3054: "Ixia Communications",
  3076: "Cisco VPN 3000",
  3085: "CoSine Communications",
  3199: "Shasta",
  3224: "Netscreen",
  3309: "Nomadix",
  3414: "T-Mobile",
  3561: "The Broadband Forum",
  3902: "ZTE",
  4329: "Siemens",
  4491: "CableLabs",
  4874: "Unisphere Networks",
  5263: "Cisco BBSM",
  5535: "3rd Generation Partnership Project 2 (3GPP2)",
  5806: "SK Telecom",
  5925: "ipUnplugged",
  5948: "Issanni Communications",
  5951: "Netscaler",
  6490: "T-Mobile",
  6618: "Quintum",
  6728: "Interlink",
  7951: "CNCTC",
  8164: "Starent Networks",
  8744: "Colubris",
  10415: "3GPP",
  10529: "Gemtek-Systems",
  10704: "Barracuda Networks",
  10923: "Ericsson AB - Packet Core Networks",
  11665: "dacom",
  11862: "Columbia University",
  12356: "Fortinet",
  12951: "Verizon Wireless",
  13745: "Plixer",
  14122: "Wi-Fi Alliance",
  16787: "T-Systems Nova",
  20942: "China Telecom - Guangzhou Research Institute",
  26866: "Gigamon Systems",
  32622: "CACE Technologies",
  35632: "ntop",
  46098: "Ericsson Canada",
};

/** EAP header (code, id, length), then type and flags of requests and responses. */
const E = { code: 0, id: 1, length: 2, type: 4, data: 5 } as const;

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const pad2 = (x: number) => String(x).padStart(2, "0");
const u24 = (p: Uint8Array, at: number) => (u8(p, at) << 16) | u16(p, at + 1);
/** Whether `n` bytes from `at` were captured (tcpdump's ND_TTEST_LEN). */
const captured = (p: Uint8Array, at: number, n: number) => at + n <= p.length;
/** A byte as tcpdump's RADIUS strings show it: printable ASCII as is, the rest as `.`. */
const printable = (c: number) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".");

/**
 * tcpdump's text for a RADIUS datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { radiusText } from "./_radius.ts";
 * const request = new Uint8Array([1, 7, 0, 27, ...new Uint8Array(16), 1, 7, 97, 108, 105, 99, 101]);
 * assert.deepEqual(radiusText(request, 27, 0), {
 *   text: "RADIUS, Access-Request (1), id: 0x07 length: 27",
 *   jump: false,
 * });
 * assert.equal(
 *   radiusText(request, 27, 1)?.text.split("\n")[2],
 *   "\t  User-Name Attribute (1), length: 7, Value: alice",
 * );
 * assert.equal(radiusText(request.subarray(0, 19), 27, 0)?.text, " [|radius]");
 * ```
 */
export function radiusText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  try {
    radius(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

function radius(o: Out, p: Uint8Array, length: number, verbosity: number): void {
  if (!captured(p, 0, MIN_RADIUS_LEN)) {
    o.s += CUT;
    return;
  }
  let len = u16(p, F.length);
  if (len < MIN_RADIUS_LEN) {
    o.s += CUT;
    return;
  }
  len = Math.min(len, length);
  const code = p[F.code];
  const command = `${CODES[code] ?? "Unknown Command"} (${code})`;
  if (verbosity < 1) {
    o.s += `RADIUS, ${command}, id: 0x${hex2(p[F.id])} length: ${len}`;
    return;
  }
  o.s += `RADIUS, length: ${len}\n\t${command}, id: 0x${hex2(p[F.id])}, Authenticator: `;
  for (let k = 0; k < AUTHENTICATOR_LEN; k++) o.s += hex2(p[F.authenticator + k]);
  if (len > MIN_RADIUS_LEN) attributes(o, p, F.attributes, len - MIN_RADIUS_LEN, verbosity);
}

/** The attributes in the `length` bytes from `at`. */
function attributes(o: Out, p: Uint8Array, at: number, length: number, verbosity: number): void {
  while (length > 0) {
    if (length < ATTR_HEADER || !captured(p, at, ATTR_HEADER)) {
      o.s += CUT;
      return;
    }
    const type = p[at], len = p[at + 1];
    const attr = ATTRIBUTES[type];
    o.s += `\n\t  ${type !== 0 && attr ? attr.name : "Unknown"} Attribute (${type}), length: ${len}`;
    if (len < ATTR_HEADER) {
      o.s += " (bogus, must be >= 2)";
      return;
    }
    if (len > length) {
      o.s += " (bogus, goes past end of packet)";
      return;
    }
    o.s += ", Value: ";
    if (attr?.print && len > ATTR_HEADER) attr.print(o, p, at + ATTR_HEADER, len - ATTR_HEADER, type);
    if (verbosity > 1) unknownData(o, p, at + ATTR_HEADER, "\n\t    ", len - ATTR_HEADER);
    length -= len;
    at += len;
  }
}

/** A tunnel tag (RFC 2868): `Tag[n] `, or `Tag[Unused] ` for 0. */
const tag = (t: number) => (t ? `Tag[${t}] ` : "Tag[Unused] ");

/** Text attributes; the tunnel ones may start with a tag, Egress-VLAN-Name with RFC 4675's tag byte. */
function stringValue(o: Out, p: Uint8Array, at: number, n: number, type: number): void {
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  switch (type) {
    case A.tunnelPassword: {
      if (n < 3) {
        o.s += CUT;
        return;
      }
      const t = p[at];
      o.s += t && t <= 0x1f ? `Tag[${t}] ` : "Tag[Unused] ";
      o.s += `Salt ${u16(p, at + 1)} `;
      at += 3;
      n -= 3;
      break;
    }
    case A.tunnelClientEndpoint:
    case A.tunnelServerEndpoint:
    case A.tunnelPrivateGroup:
    case A.tunnelAssignmentId:
    case A.tunnelClientAuthId:
    case A.tunnelServerAuthId:
      // A first byte above 0x1f is the string's own.
      if (p[at] <= 0x1f) {
        o.s += tag(p[at]);
        at++;
        n--;
      }
      break;
    case A.egressVlanName:
      o.s += `${VLAN_TAGS[p[at]] ?? "Unknown tag"} (0x${hex2(p[at])}) `;
      at++;
      n--;
      break;
    case A.eapMessage:
      eap(o, p, at, n);
      return;
  }
  for (let k = 0; k < n && p[at + k] !== 0; k++) o.s += printable(p[at + k]);
}

/** Vendor-Specific (RFC 2865 section 5.26): the vendor, then its attributes as text. */
function vendorValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n < 4) {
    o.s += CUT;
    return;
  }
  const vendor = u32(p, at);
  o.s += `Vendor: ${VENDORS[vendor] ?? "Unknown"} (${vendor})`;
  at += 4;
  n -= 4;
  while (n >= ATTR_HEADER) {
    const type = u8(p, at), len = u8(p, at + 1);
    if (len < ATTR_HEADER) {
      o.s += `\n\t    Vendor Attribute: ${type}, Length: ${len} (bogus, must be >= 2)`;
      return;
    }
    if (len > n) {
      o.s +=
        `\n\t    Vendor Attribute: ${type}, Length: ${len} (bogus, goes past end of vendor-specific attribute)`;
      return;
    }
    at += ATTR_HEADER;
    n -= len;
    const vlen = len - ATTR_HEADER;
    if (!captured(p, at, vlen)) {
      o.s += CUT;
      return;
    }
    o.s += `\n\t    Vendor Attribute: ${type}, Length: ${vlen}, Value: `;
    for (let k = 0; k < vlen; k++) o.s += printable(p[at + k]);
    at += vlen;
  }
}

/** Numbers: plain, named, times, tagged, or RFC 4675's VLAN id. */
function numberValue(o: Out, p: Uint8Array, at: number, n: number, type: number): void {
  if (n !== 4) {
    o.s += `ERROR: length ${n} != 4`;
    return;
  }
  const values = ATTRIBUTES[type]?.values;
  if (values) {
    let v: number;
    if (type === A.tunnelType || type === A.tunnelMedium) {
      o.s += tag(u8(p, at));
      v = u24(p, at + 1);
    } else {
      v = u32(p, at);
    }
    o.s += v >= values.first && v < values.names.length ? values.names[v] : `#${v}`;
    return;
  }
  switch (type) {
    case A.framedIpxNetwork: {
      const v = u32(p, at);
      o.s += v === 0xfffffffe ? "NAS Select" : String(v);
      break;
    }
    case A.sessionTimeout:
    case A.idleTimeout:
    case A.acctDelayTime:
    case A.acctSessionTime:
    case A.acctInterimInterval: {
      const t = u32(p, at);
      if (t < 60) o.s += `${pad2(t)} secs`;
      else if (t < 3600) o.s += `${pad2(Math.floor(t / 60))}:${pad2(t % 60)} min`;
      else o.s += `${pad2(Math.floor(t / 3600))}:${pad2(Math.floor((t % 3600) / 60))}:${pad2(t % 60)} hours`;
      break;
    }
    case A.framedAppleTalkLink: {
      const v = u32(p, at);
      o.s += v ? String(v) : "Unnumbered";
      break;
    }
    case A.framedAppleTalkNetwork: {
      const v = u32(p, at);
      o.s += v ? String(v) : "NAS assigned";
      break;
    }
    case A.tunnelPreference:
      o.s += tag(u8(p, at));
      o.s += String(u24(p, at + 1));
      break;
    case A.egressVlanId: {
      const t = u8(p, at);
      o.s += `${VLAN_TAGS[t] ?? "Unknown tag"} (0x${hex2(t)}) `;
      o.s += String(u24(p, at + 1));
      break;
    }
    default:
      o.s += String(u32(p, at));
  }
}

/** IPv4 addresses; Framed-IP-Address and Login-IP-Host have two special values. */
function addressValue(o: Out, p: Uint8Array, at: number, n: number, type: number): void {
  if (n !== 4) {
    o.s += `ERROR: length ${n} != 4`;
    return;
  }
  const v = u32(p, at);
  if ((type === A.framedIpAddress || type === A.loginIpHost) && v >= 0xfffffffe) {
    o.s += v === 0xffffffff ? "User Selected" : "NAS Select";
  } else {
    o.s += formatIpv4Address(p, at);
  }
}

function address6Value(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n !== 16) {
    o.s += `ERROR: length ${n} != 16`;
    return;
  }
  u8(p, at + 15);
  o.s += formatIpv6Address(p, at);
}

/** An IPv6 prefix (RFC 3162): reserved byte, prefix length, up to 16 bytes of prefix. */
function prefix6Value(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n < 2 || n > 18) {
    o.s += `ERROR: length ${n} not in range (2..18)`;
    return;
  }
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  const plen = p[at + 1];
  if (plen > 128) {
    o.s += `ERROR: netmask ${plen} not in range (0..128)`;
    return;
  }
  const prefix = new Uint8Array(16);
  prefix.set(p.subarray(at + 2, at + n));
  o.s += `${formatIpv6Address(prefix)}/${plen}`;
  if (plen > 8 * (n - 2)) o.s += " (inconsistent prefix length)";
}

/** MIP6-Home-Link-Prefix (RFC 5447): prefix length, then a whole IPv6 address. */
function homeLinkPrefixValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n !== 17) {
    o.s += `ERROR: length ${n} != 17`;
    return;
  }
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  if (p[at] > 128) {
    o.s += `ERROR: netmask ${p[at]} not in range (0..128)`;
    return;
  }
  o.s += `${formatIpv6Address(p, at + 1)}/${p[at]}`;
}

/** Operator-Name (RFC 5580): a namespace byte, then the name. */
function operatorNameValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  if (n < 2) {
    o.s += `ERROR: length ${n} < 2`;
    return;
  }
  const ns = p[at];
  o.s += `[${OPERATOR_NAMESPACES[ns] ?? `unknown namespace ${ns}`}] ${counted(p, at + 1, n - 1)}`;
}

/** Location-Information (RFC 5580). */
function locationInformationValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  if (n < 21) {
    o.s += `ERROR: length ${n} < 21`;
    return;
  }
  const code = LOCATION_CODES[p[at + 2]] ?? `Unknown (${p[at + 2]})`;
  const entity = LOCATION_ENTITIES[p[at + 3]] ?? `Unknown (${p[at + 3]})`;
  o.s += `index ${u16(p, at)}, code ${code}, entity ${entity}, `;
  o.s += `sighting time ${ntpTime(p, at + 4)}, time to live ${ntpTime(p, at + 12)}, `;
  o.s += `method "${counted(p, at + 20, n - 20)}"`;
}

/** Location-Data (RFC 5580): an index, then the location as a hex and ASCII dump. */
function locationDataValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  if (n < 3) {
    o.s += `ERROR: length ${n} < 3`;
    return;
  }
  o.s += `index ${u16(p, at)}, location${hexAndAscii(p, at + 2, n - 2, "\n\t    ")}`;
}

/** Basic-Location-Policy-Rules (RFC 5580): flags, retention time, an optional note. */
function policyRulesValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (!captured(p, at, n)) {
    o.s += CUT;
    return;
  }
  if (n < 10) {
    o.s += `ERROR: length ${n} < 10`;
    return;
  }
  const flags = u16(p, at);
  const names = POLICY_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);
  o.s += `flags [${names.length ? names.join(", ") : "none"}], retention expires ${ntpTime(p, at + 2)}`;
  if (n > 10) o.s += `, note well "${counted(p, at + 10, n - 10)}"`;
}

/** Event-Timestamp: seconds since 1970 as `ctime` shows them (local time). */
function timeValue(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n !== 4) {
    o.s += `ERROR: length ${n} != 4`;
    return;
  }
  o.s += ctime(u32(p, at));
}

/** MIP6-Feature-Vector: the names of the bits set. */
function vector64Value(o: Out, p: Uint8Array, at: number, n: number): void {
  if (n !== 8) {
    o.s += `ERROR: length ${n} != 8`;
    return;
  }
  o.s += "[";
  u8(p, at + 7);
  const hi = u32(p, at), lo = u32(p, at + 4);
  o.s += MIP6_FEATURES.filter(([h, l]) => (hi & h) || (lo & l)).map(([, , name]) => name).join(", ");
  o.s += "]";
}

/** ARAP attributes and Error-Cause, each its own format. */
function strangeValue(o: Out, p: Uint8Array, at: number, n: number, type: number): void {
  switch (type) {
    case A.arapPassword:
      if (n !== 16) {
        o.s += `ERROR: length ${n} != 16`;
        return;
      }
      o.s += "User_challenge (";
      hexUpper(o, p, at, 8);
      o.s += ") User_resp(";
      hexUpper(o, p, at + 8, 8);
      o.s += ")";
      break;
    case A.arapFeatures:
      if (n !== 14) {
        o.s += `ERROR: length ${n} != 14`;
        return;
      }
      o.s += u8(p, at) ? "User can change password" : "User cannot change password";
      o.s += `, Min password length: ${u8(p, at + 1)}, created at: `;
      hexUpper(o, p, at + 2, 4);
      o.s += ", expires in: ";
      hexUpper(o, p, at + 6, 4);
      o.s += ", Current Time: ";
      hexUpper(o, p, at + 10, 4);
      break;
    case A.arapChallengeResponse:
      if (n < 8) {
        o.s += `ERROR: length ${n} != 8`;
        return;
      }
      hexUpper(o, p, at, 8);
      break;
    case A.errorCause: {
      if (n !== 4) {
        o.s += `Error: length ${n} != 4`;
        return;
      }
      const v = u32(p, at);
      o.s += `Error cause ${v}: ${ERROR_CAUSES[v] ?? `Error-Cause ${v} not known`}`;
      break;
    }
  }
}

/** `n` bytes in upper-case hex, read one by one (past the captured bytes: a long jump). */
function hexUpper(o: Out, p: Uint8Array, at: number, n: number): void {
  for (let k = 0; k < n; k++) o.s += hex2(u8(p, at + k)).toUpperCase();
}

/** The attribute table, by type (tcpdump's attr_type: 1 to 129). */
const ATTRIBUTES: ReadonlyArray<AttrType | undefined> = (() => {
  const S: ValuePrinter = stringValue, N: ValuePrinter = numberValue, I: ValuePrinter = addressValue;
  const t: (AttrType | undefined)[] = [undefined];
  const add = (name: string, print?: ValuePrinter, values?: Values) => t.push({ name, print, values });
  add("User-Name", S);
  add("User-Password");
  add("CHAP-Password");
  add("NAS-IP-Address", I);
  add("NAS-Port", N);
  add("Service-Type", N, SERVICE_TYPES);
  add("Framed-Protocol", N, FRAMED_PROTOCOLS);
  add("Framed-IP-Address", I);
  add("Framed-IP-Netmask", I);
  add("Framed-Routing", N, FRAMED_ROUTING); // 10
  add("Filter-Id", S);
  add("Framed-MTU", N);
  add("Framed-Compression", N, FRAMED_COMPRESSION);
  add("Login-IP-Host", I);
  add("Login-Service", N, LOGIN_SERVICES);
  add("Login-TCP-Port", N);
  add("Unassigned");
  add("Reply-Message", S);
  add("Callback-Number", S);
  add("Callback-Id", S); // 20
  add("Unassigned");
  add("Framed-Route", S);
  add("Framed-IPX-Network", N);
  add("State", S);
  add("Class", S);
  add("Vendor-Specific", vendorValue);
  add("Session-Timeout", N);
  add("Idle-Timeout", N);
  add("Termination-Action", N, TERMINATION_ACTIONS);
  add("Called-Station-Id", S); // 30
  add("Calling-Station-Id", S);
  add("NAS-Identifier", S);
  add("Proxy-State", S);
  add("Login-LAT-Service", S);
  add("Login-LAT-Node", S);
  add("Login-LAT-Group", S);
  add("Framed-AppleTalk-Link", N);
  add("Framed-AppleTalk-Network", N);
  add("Framed-AppleTalk-Zone", S);
  add("Acct-Status-Type", N, ACCT_STATUS_TYPES); // 40
  add("Acct-Delay-Time", N);
  add("Acct-Input-Octets", N);
  add("Acct-Output-Octets", N);
  add("Acct-Session-Id", S);
  add("Acct-Authentic", N, ACCT_AUTHENTIC);
  add("Acct-Session-Time", N);
  add("Acct-Input-Packets", N);
  add("Acct-Output-Packets", N);
  add("Acct-Terminate-Cause", N, ACCT_TERMINATE_CAUSES);
  add("Acct-Multi-Session-Id", S); // 50
  add("Acct-Link-Count", N);
  add("Acct-Input-Gigawords", N);
  add("Acct-Output-Gigawords", N);
  add("Unassigned");
  add("Event-Timestamp", timeValue);
  add("Egress-VLANID", N);
  add("Ingress-Filters", N, INGRESS_FILTERS);
  add("Egress-VLAN-Name", S);
  add("User-Priority-Table");
  add("CHAP-Challenge", S); // 60
  add("NAS-Port-Type", N, NAS_PORT_TYPES);
  add("Port-Limit", N);
  add("Login-LAT-Port", S);
  add("Tunnel-Type", N, TUNNEL_TYPES);
  add("Tunnel-Medium-Type", N, TUNNEL_MEDIUM_TYPES);
  add("Tunnel-Client-Endpoint", S);
  add("Tunnel-Server-Endpoint", S);
  add("Acct-Tunnel-Connection", S);
  add("Tunnel-Password", S);
  add("ARAP-Password", strangeValue); // 70
  add("ARAP-Features", strangeValue);
  add("ARAP-Zone-Access", N, ARAP_ZONE_ACCESS);
  add("ARAP-Security", S);
  add("ARAP-Security-Data", S);
  add("Password-Retry", N);
  add("Prompt", N, PROMPTS);
  add("Connect-Info", S);
  add("Configuration-Token", S);
  add("EAP-Message", S);
  add("Message-Authenticator", S); // 80
  add("Tunnel-Private-Group-ID", S);
  add("Tunnel-Assignment-ID", S);
  add("Tunnel-Preference", N);
  add("ARAP-Challenge-Response", strangeValue);
  add("Acct-Interim-Interval", N);
  add("Acct-Tunnel-Packets-Lost", N);
  add("NAS-Port-Id", S);
  add("Framed-Pool", S);
  add("CUI", S);
  add("Tunnel-Client-Auth-ID", S); // 90
  add("Tunnel-Server-Auth-ID", S);
  add("NAS-Filter-Rule", S);
  add("Unassigned");
  add("Originating-Line-Info");
  add("NAS-IPv6-Address", address6Value);
  add("Framed-Interface-ID");
  add("Framed-IPv6-Prefix", prefix6Value);
  add("Login-IPv6-Host", address6Value);
  add("Framed-IPv6-Route", S);
  add("Framed-IPv6-Pool", S); // 100
  add("Error-Cause", strangeValue);
  add("EAP-Key-Name");
  for (
    const name of [
      "Digest-Response",
      "Digest-Realm",
      "Digest-Nonce",
      "Digest-Response-Auth",
      "Digest-Nextnonce",
      "Digest-Method",
      "Digest-URI",
      "Digest-Qop",
      "Digest-Algorithm",
      "Digest-Entity-Body-Hash",
      "Digest-CNonce",
      "Digest-Nonce-Count",
      "Digest-Username",
      "Digest-Opaque",
      "Digest-Auth-Param",
      "Digest-AKA-Auts",
      "Digest-Domain",
      "Digest-Stale",
      "Digest-HA1",
      "SIP-AOR",
    ]
  ) add(name, S); // 103 to 122
  add("Delegated-IPv6-Prefix", prefix6Value);
  add("MIP6-Feature-Vector", vector64Value);
  add("MIP6-Home-Link-Prefix", homeLinkPrefixValue);
  add("Operator-Name", operatorNameValue);
  add("Location-Information", locationInformationValue);
  add("Location-Data", locationDataValue);
  add("Basic-Location-Policy-Rules", policyRulesValue); // 129
  return t;
})();

/**
 * An EAP packet (tcpdump's eap_print) in an EAP-Message of `length` bytes, all captured. Its code and length
 * are read first, unchecked: past a short attribute they may read the next one, or run off the capture.
 */
function eap(o: Out, p: Uint8Array, at: number, length: number): void {
  const code = u8(p, at + E.code);
  const len = u16(p, at + E.length);
  if (len !== length) {
    // Probably a fragment: tcpdump does not look further.
    o.s += "EAP fragment?";
    return;
  }
  o.s += `${EAP_CODES[code] ?? "unknown"} (${code}), id ${u8(p, at + E.id)}, len ${len}`;
  if (len < 4) {
    o.s += " (too short for EAP header)";
    return;
  }
  if (code !== 1 && code !== 2) return;
  if (len < 5) {
    o.s += " (too short for EAP request/response)";
    return;
  }
  const type = p[at + E.type];
  o.s += `\n\t\t Type ${EAP_TYPES[type] ?? "unknown"} (${type})`;
  const data = at + E.data, end = at + len;
  switch (type) {
    case EAP.identity:
      if (len > 5) o.s += `, Identity: ${upToNul(p, data, end)}`;
      break;
    case EAP.notification:
      o.s += len > 5
        ? `, Notification: ${upToNul(p, data, end)}`
        : " (too short for EAP Notification request/response)";
      break;
    case EAP.nak:
      if (len <= 5) {
        o.s += " (too short for EAP Legacy NAK request/response)";
        break;
      }
      // The authentication types the peer would accept instead.
      for (let k = data; k < end; k++) {
        o.s += `${k > data ? "," : ""} ${EAP_TYPES[p[k]] ?? "unknown"} (${p[k]})`;
      }
      break;
    case EAP.tls:
    case EAP.ttls:
    case EAP.fast: {
      const what = type === EAP.fast ? "FAST" : "TLS/TTLS";
      if (len < 6) {
        o.s += ` (too short for EAP ${what} request/response)`;
        break;
      }
      const flags = p[data];
      if (type !== EAP.tls) o.s += ` ${type === EAP.ttls ? "TTLS" : "FAST"}v${flags & 7}`;
      const names = EAP_TLS_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);
      o.s += ` flags [${names.length ? names.join(", ") : "none"}] 0x${hex2(flags)}`;
      if (flags & 0x80) {
        o.s += len < 10
          ? ` (too short for EAP ${what} request/response with length)`
          : `, len ${u32(p, data + 1)}`;
      }
      break;
    }
    case EAP.sim:
    case EAP.aka: {
      if (len < 6) {
        o.s += " (too short for EAP SIM/AKA request/response)";
        break;
      }
      const sub = p[data];
      o.s += ` subtype [${EAP_SIM_AKA_SUBTYPES[sub] ?? "unknown"}] 0x${hex2(sub)}`;
      break;
    }
  }
}

/** Bytes from `at` to `end` as tcpdump's nd_printjnp shows them: up to a NUL, `^A`, `M-^@`. */
function upToNul(p: Uint8Array, at: number, end: number): string {
  let s = "";
  for (; at < end && p[at] !== 0; at++) s += textChar(p[at]);
  return s;
}

/** `n` bytes from `at`, all captured, as tcpdump's nd_printn shows them (NULs too, as `^@`). */
function counted(p: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) s += textChar(p[at + k]);
  return s;
}

const pad = (x: number, n: number) => String(x).padStart(n, "0");
/** Seconds from 1900 (NTP's era 0) to 1970. */
const JAN_1970 = 2208988800;

/** A 32.32 NTP timestamp and, when not zero, its UTC date (tcpdump's p_ntp_time). */
function ntpTime(p: Uint8Array, at: number): string {
  const i = u32(p, at), f = u32(p, at + 4);
  let s = `${i}.${pad(Math.trunc((f / 4294967296) * 1000000000), 9)}`;
  if (i !== 0) {
    const d = new Date((i - JAN_1970) * 1000);
    const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
    s += ` (${day}T${clock(d)}Z)`;
  }
  return s;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Seconds since 1970 as C's ctime shows them (local time), without its newline: `Sun Sep  9 01:46:40 2001`. */
function ctime(secs: number): string {
  const d = new Date(secs * 1000);
  const day = `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)}`;
  return `${day} ${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${
    pad(d.getSeconds(), 2)
  } ${d.getFullYear()}`;
}

/** A date's UTC time of day, `hh:mm:ss`. */
const clock = (d: Date) =>
  `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;

/**
 * tcpdump's hex_and_ascii_print: 16 bytes a line, `indent` then the offset, the hex in 2-byte groups padded
 * to 40 columns, two spaces, the bytes as text (`.` for anything outside 0x21-0x7e). The bytes are captured.
 */
function hexAndAscii(p: Uint8Array, at: number, n: number, indent: string): string {
  let s = "";
  for (let off = 0; off < n; off += 16) {
    let hex = "", text = "";
    for (let k = off; k < Math.min(off + 16, n); k++) {
      hex += (k - off) % 2 === 0 ? ` ${hex2(p[at + k])}` : hex2(p[at + k]);
      const c = p[at + k];
      text += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
    }
    s += `${indent}0x${off.toString(16).padStart(4, "0")}: ${hex.padEnd(40)}  ${text}`;
  }
  return s;
}

/**
 * tcpdump's print_unknown_data: a hex dump of `n` bytes from `at`, no further than the captured bytes, 16 a
 * line in 2-byte groups, each line after `indent`.
 */
function unknownData(o: Out, p: Uint8Array, at: number, indent: string, n: number): void {
  n = Math.max(0, Math.min(n, p.length - at));
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    if (k % 16 === 0) o.s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    o.s += ` ${hex2(p[at + k])}${hex2(p[at + k + 1])}`;
  }
  if (n & 1) {
    if (k % 16 === 0) o.s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    o.s += ` ${hex2(p[at + k])}`;
  }
}
