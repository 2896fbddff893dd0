/**
 * Private: tcpdump's text for the Link Layer Discovery Protocol (IEEE 802.1AB, EtherType 0x88cc; tcpdump's
 * print-lldp.c as 4.99.3 prints it).
 *
 * ```text
 * +----------+-----------+----------------------+
 * | type (7) | length (9)| value (length bytes)  |   repeated up to the End TLV (type 0, length 0)
 * +----------+-----------+----------------------+
 * ```
 *
 * tcpdump's rules:
 * - The first line is `LLDP, length N` with N the on-wire length after the link header. Without `-v` only
 *   the System Name follows (`: switch1`); the TLVs are still walked, so a cut frame ends in ` [|lldp]`.
 * - With `-v` each TLV prints `\n\tName TLV (type), length n` and its fields; an unknown TLV, subtype or
 *   organisation adds a hex dump of its value (`\n\t  0x0000:  ...`); with `-vv` every TLV has the dump.
 * - A TLV of type 0 or length 0 ends the walk. A TLV not wholly captured, longer than the rest of the
 *   message, or too short for a field tcpdump needs ends the text with ` [|lldp]`; inside an organisation
 *   specific TLV a short value only stops the field lines.
 * - Text fields stop at a NUL and show bytes as tcpdump does (`^A`, `M-^?`).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address, formatMac } from "./address.ts";
import { hexLines } from "./_nd.ts";
import { textChar } from "./_text.ts";
import { OUI_NAMES } from "./_oui.ts";
import { AF_NAMES } from "./_af.ts";

const CUT = " [|lldp]";
const TLV_HEADER_LEN = 2;

const TLV_NAMES: Record<number, string> = {
  0: "End",
  1: "Chassis ID",
  2: "Port ID",
  3: "Time to Live",
  4: "Port Description",
  5: "System Name",
  6: "System Description",
  7: "System Capabilities",
  8: "Management Address",
  127: "Organization specific",
};
const CHASSIS_SUBTYPES = [
  "",
  "Chassis component",
  "Interface alias",
  "Port component",
  "MAC address",
  "Network address",
  "Interface name",
  "Local",
];
const PORT_SUBTYPES = [
  "",
  "Interface alias",
  "Port component",
  "MAC address",
  "Network Address",
  "Interface Name",
  "Agent circuit ID",
  "Local",
];
/** Subtype numbers of the Chassis ID and Port ID TLVs that tcpdump prints as text. */
const CHASSIS_TEXT = new Set([1, 2, 3, 6, 7]);
const PORT_TEXT = new Set([1, 2, 5, 6, 7]);
const CHASSIS_MAC = 4, CHASSIS_NET = 5, PORT_MAC = 3, PORT_NET = 4;

/** Bit tables: [bit value, name] in tcpdump's order. */
type Bits = ReadonlyArray<readonly [number, string]>;
const CAPS: Bits = [
  [1, "Other"],
  [2, "Repeater"],
  [4, "Bridge"],
  [8, "WLAN AP"],
  [16, "Router"],
  [32, "Telephone"],
  [64, "Docsis"],
  [128, "Station Only"],
];
const AF_INET = 1, AF_INET6 = 2, AF_802 = 6;
const INTF_NUMBERING: Record<number, string> = { 2: "Interface Index", 3: "System Port Number" };
const INTF_NUM_LEN = 5;

const OUI_8021 = 0x0080c2, OUI_8023 = 0x00120f, OUI_TIA = 0x0012bb, OUI_DCBX = 0x001b21, OUI_IANA = 0x00005e;

const S8021: Record<number, string> = {
  1: "Port VLAN Id",
  2: "Port and Protocol VLAN ID",
  3: "VLAN name",
  4: "Protocol Identity",
  7: "Link aggregation",
  8: "Congestion Notification",
  9: "ETS Configuration",
  10: "ETS Recommendation",
  11: "Priority Flow Control Configuration",
  12: "Application Priority",
  13: "EVB",
  14: "CDCP",
};
const PROTO_VLAN: Bits = [[2, "supported"], [4, "enabled"]];
const EVB_MODES = ["Not Supported", "EVB Bridge", "EVB Staion", "Reserved for future Standardization"];

const S8023: Record<number, string> = {
  1: "MAC/PHY configuration/status",
  2: "Power via MDI",
  3: "Link aggregation",
  4: "Max frame size",
};
const AUTONEG: Bits = [[1, "supported"], [2, "enabled"]];
const PMD: Bits = [
  [1 << 14, "10BASE-T hdx"],
  [1 << 13, "10BASE-T fdx"],
  [1 << 12, "100BASE-T4"],
  [1 << 11, "100BASE-TX hdx"],
  [1 << 10, "100BASE-TX fdx"],
  [1 << 9, "100BASE-T2 hdx"],
  [1 << 8, "100BASE-T2 fdx"],
  [1 << 7, "Pause for fdx links"],
  [1 << 6, "Asym PAUSE for fdx"],
  [1 << 5, "Sym PAUSE for fdx"],
  [1 << 4, "Asym and Sym PAUSE for fdx"],
  [1 << 3, "1000BASE-{X LX SX CX} hdx"],
  [1 << 2, "1000BASE-{X LX SX CX} fdx"],
  [1 << 1, "1000BASE-T hdx"],
  [1 << 0, "1000BASE-T fdx"],
];
const MAU_TYPES = [
  "Unknown",
  "AUI",
  "10BASE_5",
  "FOIRL",
  "10BASE2",
  "10BASET duplex mode unknown",
  "10BASEFP",
  "10BASEFB",
  "10BASEFL duplex mode unknown",
  "10BROAD36",
  "10BASET hdx",
  "10BASET fdx",
  "10BASEFL hdx",
  "10BASEFL fdx",
  "100BASET4",
  "100BASETX hdx",
  "100BASETX fdx",
  "100BASEFX hdx",
  "100BASEFX fdx",
  "100BASET2 hdx",
  "100BASET2 fdx",
  "1000BASEX hdx",
  "1000BASEX fdx",
  "1000BASELX hdx",
  "1000BASELX fdx",
  "1000BASESX hdx",
  "1000BASESX fdx",
  "1000BASECX hdx",
  "1000BASECX fdx",
  "1000BASET hdx",
  "1000BASET fdx",
  "10GBASEX",
  "10GBASELX4",
  "10GBASER",
  "10GBASEER",
  "10GBASELR",
  "10GBASESR",
  "10GBASEW",
  "10GBASEEW",
  "10GBASELW",
  "10GBASESW",
];
const MDI: Bits = [[1, "PSE"], [2, "supported"], [4, "enabled"], [8, "can be controlled"]];
const MDI_PAIRS = ["", "signal", "spare"];
const MDI_CLASSES = ["", "class0", "class1", "class2", "class3", "class4"];

const STIA: Record<number, string> = {
  1: "LLDP-MED Capabilities",
  2: "Network policy",
  3: "Location identification",
  4: "Extended power-via-MDI",
  5: "Inventory - hardware revision",
  6: "Inventory - firmware revision",
  7: "Inventory - software revision",
  8: "Inventory - serial number",
  9: "Inventory - manufacturer name",
  10: "Inventory - model name",
  11: "Inventory - asset ID",
};
const INVENTORY = [
  "",
  "",
  "",
  "",
  "",
  "Hardware revision",
  "Firmware revision",
  "Software revision",
  "Serial number",
  "Manufacturer name",
  "Model name",
  "Asset ID",
];
const MED_CAPS: Bits = [
  [1, "LLDP-MED capabilities"],
  [2, "network policy"],
  [4, "location identification"],
  [8, "extended power via MDI-PSE"],
  [16, "extended power via MDI-PD"],
  [32, "Inventory"],
];
const DEVICE_TYPES = ["", "endpoint class 1", "endpoint class 2", "endpoint class 3", "network connectivity"];
const APP_TYPES = [
  "",
  "voice",
  "voice signaling",
  "guest voice",
  "guest voice signaling",
  "softphone voice",
  "video conferencing",
  "streaming video",
  "video signaling",
];
const POLICY_BITS: Bits = [[0x80, "Unknown"], [0x40, "Tagged"], [0x20, "reserved"]];
const LOCATION_FORMATS = ["", "coordinate-based LCI", "civic address LCI", "ECS ELIN"];
const ALTITUDE_TYPES = ["", "meters", "floors"];
const DATUMS = [
  "",
  "World Geodesic System 1984",
  "North American Datum 1983 (NAVD88)",
  "North American Datum 1983 (MLLW)",
];
const LCI_WHAT = [
  "location of DHCP server",
  "location of the network element believed to be closest to the client",
  "location of the client",
];
const CA_TYPES = [
  "",
  "national subdivisions (state,canton,region,province,prefecture)",
  "county, parish, gun, district",
  "city, township, shi",
  "city division, borough, city district, ward chou",
  "neighborhood, block",
  "street",
];
const POWER_SOURCES = [
  "",
  "PSE - primary power source",
  "local - backup power source",
  "PSE+local - reserved",
];
const POWER_PRIORITIES = ["", "critical", "high", "low"];
const POWER_MAX = 1024;

const DCBX_SUBTYPES: Record<number, string> = {
  1: "DCB Capability Exchange Protocol Rev 1",
  2: "DCB Capability Exchange Protocol Rev 1.01",
};

/** tcpdump's tok2str: the name, or the fallback. */
function nameOf(
  t: Readonly<Record<number, string>> | readonly string[],
  v: number,
  fallback: string,
): string {
  const n = (t as Record<number, string>)[v];
  return n ? n : fallback;
}

/** tcpdump's bittok2str: the names of the bits set, or the fallback. */
function bitsText(t: Bits, v: number, fallback: string): string {
  const names = t.filter(([b]) => (v & b) === b).map(([, n]) => n);
  return names.length ? names.join(", ") : fallback;
}

const hex = (v: number, digits: number) => v.toString(16).padStart(digits, "0");

/** The view over the message: bytes, reads and printing helpers. */
class Reader {
  constructor(readonly p: Uint8Array) {}
  u8(at: number): number {
    return this.p[at];
  }
  u16(at: number): number {
    return (this.p[at] << 8) | this.p[at + 1];
  }
  u24(at: number): number {
    return (this.p[at] << 16) | this.u16(at + 1);
  }
  u32(at: number): number {
    return this.u8(at) * 0x1000000 + this.u24(at + 1);
  }
  /** tcpdump's nd_printzp: up to `n` bytes, stopping at a NUL. */
  zp(at: number, n: number): string {
    let s = "";
    for (let k = 0; k < n && at + k < this.p.length; k++) {
      const c = this.p[at + k];
      if (c === 0) break;
      s += textChar(c);
    }
    return s;
  }
  /** tcpdump's nd_printn: `n` bytes, NULs included. */
  printn(at: number, n: number): string {
    let s = "";
    for (let k = 0; k < n && at + k < this.p.length; k++) s += textChar(this.p[at + k]);
    return s;
  }
}

/** A network address (family byte first) as tcpdump's lldp_network_addr_print, or null when too short. */
function netAddr(r: Reader, at: number, n: number): string | null {
  if (n < 1) return null;
  n--;
  const af = r.u8(at);
  const name = `AFI ${nameOf(AF_NAMES, af, "Unknown")} (${af})`;
  switch (af) {
    case AF_INET:
      return n < 4 ? null : `${name}: ${formatIpv4Address(r.p, at + 1)}`;
    case AF_INET6:
      return n < 16 ? null : `${name}: ${formatIpv6Address(r.p, at + 1)}`;
    case AF_802:
      return n < 6 ? null : `${name}: ${formatMac(r.p, at + 1)}`;
    default:
      return `${name}, no AF printer !`;
  }
}

/** The text and whether tcpdump goes on to dump the value. */
interface Part {
  s: string;
}

function bitRow(v: number): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += `${String((v >> i) & 1).padEnd(2)} `;
  return s;
}

function row(values: number[]): string {
  return values.map((v) => String(v).padEnd(3)).join(" ");
}

function priorityTable(r: Reader, at: number): string {
  const v: number[] = [];
  for (let i = 0; i < 4; i++) v.push(r.u8(at + i) >> 4, r.u8(at + i) & 0x0f);
  return "\n\t    Priority Assignment Table\n\t     Priority : 0   1   2   3   4   5   6   7" +
    `\n\t     Value    : ${row(v)}`;
}

function bytesRow(r: Reader, at: number): string {
  const v: number[] = [];
  for (let i = 0; i < 8; i++) v.push(r.u8(at + i));
  return row(v);
}

/** IEEE 802.1 organisation TLVs (802.1AB annex E, 802.1Qaz/Qbg); returns whether to dump the value. */
function ieee8021(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 4) return false;
  const sub = r.u8(t + 3);
  o.s += `\n\t  ${nameOf(S8021, sub, "unknown")} Subtype (${sub})`;
  switch (sub) {
    case 1:
      if (len < 6) return false;
      o.s += `\n\t    port vlan id (PVID): ${r.u16(t + 4)}`;
      return false;
    case 2:
      if (len < 7) return false;
      o.s += `\n\t    port and protocol vlan id (PPVID): ${r.u16(t + 5)}, flags [${
        bitsText(PROTO_VLAN, r.u8(t + 4), "none")
      }] (0x${hex(r.u8(t + 4), 2)})`;
      return false;
    case 3: {
      if (len < 6) return false;
      o.s += `\n\t    vlan id (VID): ${r.u16(t + 4)}`;
      if (len < 7) return false;
      const n = r.u8(t + 6);
      if (len < 7 + n) return false;
      o.s += `\n\t    vlan name: ${r.zp(t + 7, n)}`;
      return false;
    }
    case 4: {
      if (len < 5) return false;
      const n = r.u8(t + 4);
      if (len < 5 + n) return false;
      o.s += `\n\t    protocol identity: ${r.zp(t + 5, n)}`;
      return false;
    }
    case 7:
      return linkAggregation(r, t, len, o);
    case 8:
      if (len < 6) return false;
      o.s +=
        "\n\t    Pre-Priority CNPV Indicator\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : " +
        bitRow(r.u8(t + 4)) +
        "\n\t    Pre-Priority Ready Indicator\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : " +
        bitRow(r.u8(t + 5));
      return false;
    case 9:
    case 10: {
      if (len < 25) return false;
      const v = r.u8(t + 4);
      o.s += sub === 9
        ? `\n\t    Willing:${v >> 7}, CBS:${(v >> 6) & 0x02}, RES:${(v >> 3) & 0x07}, Max TCs:${v & 0x07}`
        : `\n\t    RES: ${v}`;
      o.s += priorityTable(r, t + 5) +
        "\n\t    TC Bandwidth Table\n\t     TC%   : 0   1   2   3   4   5   6   7" +
        `\n\t     Value : ${bytesRow(r, t + 9)}` +
        "\n\t    TSA Assignment Table\n\t     Traffic Class: 0   1   2   3   4   5   6   7" +
        `\n\t     Value        : ${bytesRow(r, t + 17)}`;
      return false;
    }
    case 11: {
      if (len < 6) return false;
      const v = r.u8(t + 4);
      o.s += `\n\t    Willing: ${v >> 7}, MBC: ${(v >> 6) & 1}, RES: ${(v >> 4) & 3}, PFC cap:${v & 0x0f} ` +
        "\n\t    PFC Enable\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : " +
        bitRow(r.u8(t + 5));
      return false;
    }
    case 12: {
      if (len < 5) return false;
      o.s += `\n\t    RES: ${r.u8(t + 4)}`;
      if (len <= 5) return false;
      const n = len - 5;
      if (n % 3) return false;
      o.s += "\n\t    Application Priority Table";
      for (let i = 0; i < n; i += 3) {
        const v = r.u8(t + 5 + i);
        o.s += `\n\t      Priority: ${v >> 5}, RES: ${(v >> 3) & 3}, Sel: ${v & 7}, Protocol ID: ${
          r.u16(t + 5 + i)
        }`;
      }
      return false;
    }
    case 13: {
      if (len < 9) return false;
      const b = r.u8(t + 4), st = r.u8(t + 5), rr = r.u8(t + 6), m = r.u8(t + 7), k = r.u8(t + 8);
      o.s += "\n\t    EVB Bridge Status" +
        `\n\t      RES: ${b >> 3}, BGID: ${(b >> 2) & 1}, RRCAP: ${(b >> 1) & 1}, RRCTR: ${b & 1}` +
        "\n\t    EVB Station Status" +
        `\n\t      RES: ${st >> 4}, SGID: ${(st >> 3) & 1}, RRREQ: ${(st >> 2) & 1},RRSTAT: ${st & 3}` +
        `\n\t    R: ${rr >> 5}, RTE: ${rr & 0x1f}, EVB Mode: ${nameOf(EVB_MODES, m >> 6, "unknown")} [${
          m >> 6
        }]` +
        `\n\t    ROL: ${(m >> 5) & 1}, RWD: ${m & 0x1f}, RES: ${k >> 6}, ROL: ${(k >> 5) & 1}, RKA: ${
          k & 0x1f
        }`;
      return false;
    }
    case 14: {
      if (len < 8) return false;
      const v = r.u8(t + 4);
      o.s += `\n\t    Role: ${v >> 7}, RES: ${(v >> 4) & 7}, Scomp: ${(v >> 3) & 1} ChnCap: ${
        r.u16(t + 6) & 0x0fff
      }`;
      const n = len - 8;
      if (n % 3) return false;
      for (let i = 0; i < n; i += 3) {
        const w = r.u24(t + 8 + i);
        o.s += `\n\t    SCID: ${w >> 12}, SVID: ${w & 0xfff}`;
      }
      return false;
    }
    default:
      return true;
  }
}

/** IEEE 802.3 organisation TLVs (802.3 clause 79). */
function ieee8023(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 4) return false;
  const sub = r.u8(t + 3);
  o.s += `\n\t  ${nameOf(S8023, sub, "unknown")} Subtype (${sub})`;
  switch (sub) {
    case 1: {
      if (len < 9) return false;
      const a = r.u8(t + 4), pmd = r.u16(t + 5), mau = r.u16(t + 7);
      o.s += `\n\t    autonegotiation [${bitsText(AUTONEG, a, "none")}] (0x${hex(a, 2)})` +
        `\n\t    PMD autoneg capability [${bitsText(PMD, pmd, "unknown")}] (0x${hex(pmd, 4)})` +
        `\n\t    MAU type ${nameOf(MAU_TYPES, mau, mau === 0 ? "Unknown" : "unknown")} (0x${hex(mau, 4)})`;
      return false;
    }
    case 2:
      if (len < 7) return false;
      o.s += `\n\t    MDI power support [${bitsText(MDI, r.u8(t + 4), "none")}], power pair ${
        nameOf(MDI_PAIRS, r.u8(t + 5), "unknown")
      }, power class ${nameOf(MDI_CLASSES, r.u8(t + 6), "unknown")}`;
      return false;
    case 3:
      return linkAggregation(r, t, len, o);
    case 4:
      if (len < 6) return false;
      o.s += `\n\t    MTU size ${r.u16(t + 4)}`;
      return false;
    default:
      return true;
  }
}

/** The 34-bit latitude or longitude value. */
function latlon(r: Reader, at: number): number {
  return (r.u8(at) & 3) * 0x100000000 + r.u32(at + 1);
}

/** TIA-1057 (LLDP-MED) organisation TLVs. */
function tia(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 4) return false;
  const sub = r.u8(t + 3);
  o.s += `\n\t  ${nameOf(STIA, sub, "unknown")} Subtype (${sub})`;
  switch (sub) {
    case 1: {
      if (len < 7) return false;
      const caps = r.u16(t + 4), dev = r.u8(t + 6);
      o.s += `\n\t    Media capabilities [${bitsText(MED_CAPS, caps, "none")}] (0x${hex(caps, 4)})` +
        `\n\t    Device type [${nameOf(DEVICE_TYPES, dev, "unknown")}] (0x${hex(dev, 2)})`;
      return false;
    }
    case 2: {
      if (len < 8) return false;
      const app = r.u8(t + 4);
      o.s += `\n\t    Application type [${nameOf(APP_TYPES, app, "none")}] (0x${hex(app, 2)})` +
        `, Flags [${bitsText(POLICY_BITS, r.u8(t + 5), "none")}]` +
        `\n\t    Vlan id ${(r.u16(t + 5) & 0x1ffe) >> 1}, L2 priority ${(r.u16(t + 6) & 0x01ff) >> 6}` +
        `, DSCP value ${r.u16(t + 6) & 0x3f}`;
      return false;
    }
    case 3:
      return location(r, t, len, o);
    case 4: {
      if (len < 7) return false;
      const b = r.u8(t + 4), power = r.u16(t + 5);
      // tcpdump masks with (0xC0 >> 6), i.e. the low two bits: reproduced.
      o.s += `\n\t    Power type [${b & 3 ? "PD device" : "PSE device"}]` +
        `, Power source [${nameOf(POWER_SOURCES, (b & 0x30) >> 4, "none")}]` +
        `\n\t    Power priority [${nameOf(POWER_PRIORITIES, b & 0x0f, "none")}] (0x${hex(b & 0x0f, 2)})` +
        (power < POWER_MAX ? `, Power ${(power / 10).toFixed(1)} Watts` : `, Power ${power} (Reserved)`);
      return false;
    }
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
      o.s += `\n\t  ${INVENTORY[sub]} ${r.zp(t + 4, len - 4)}`;
      return false;
    default:
      return true;
  }
}

/** The LLDP-MED location identification TLV. */
function location(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 5) return false;
  const format = r.u8(t + 4);
  o.s += `\n\t    Location data format ${nameOf(LOCATION_FORMATS, format, "unknown")} (0x${hex(format, 2)})`;
  switch (format) {
    case 1: {
      if (len < 21) return false;
      const alt = r.u8(t + 15) >> 4, datum = r.u8(t + 20);
      o.s += `\n\t    Latitude resolution ${r.u8(t + 5) >> 2}, latitude value ${latlon(r, t + 5)}` +
        `\n\t    Longitude resolution ${r.u8(t + 10) >> 2}, longitude value ${latlon(r, t + 10)}` +
        `\n\t    Altitude type ${nameOf(ALTITUDE_TYPES, alt, "unknown")} (${alt})` +
        `\n\t    Altitude resolution ${(r.u16(t + 15) >> 6) & 0x3f}, altitude value 0x${
          ((r.u32(t + 16) & 0x3fffffff) >>> 0).toString(16)
        }` +
        `\n\t    Datum ${nameOf(DATUMS, datum, "unknown")} (0x${hex(datum, 2)})`;
      return false;
    }
    case 2: {
      if (len < 6) return false;
      let lci = r.u8(t + 5);
      if (lci < 3 || len < 7 + lci) return false;
      const what = r.u8(t + 6);
      o.s += `\n\t    LCI length ${lci}, LCI what ${nameOf(LCI_WHAT, what, "unknown")} (0x${hex(what, 2)})` +
        `, Country-code ${r.zp(t + 7, 2)}`;
      lci -= 3;
      let at = t + 9;
      while (lci > 0) {
        if (lci < 2) return false;
        const type = r.u8(at), n = r.u8(at + 1);
        at += 2, lci -= 2;
        o.s += `\n\t      CA type '${nameOf(CA_TYPES, type, "unknown")}' (${type}), length ${n}: `;
        if (type === 0 || n === 0 || lci < n) return false;
        o.s += r.zp(at, n);
        at += n, lci -= n;
      }
      return false;
    }
    case 3:
      o.s += `\n\t    ECS ELIN id ${r.zp(t + 5, len - 5)}`;
      return false;
    default:
      o.s += "\n\t    Location ID " + hexLines(r.p, t + 5, len - 5, "\n\t      ");
      return false;
  }
}

/** The IANA organisation TLV (MUD URL, RFC 8520). */
function iana(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 8) return false;
  const sub = r.u8(t + 3);
  o.s += `\n\t  ${sub === 1 ? "MUD-URL" : "unknown"} Subtype (${sub})`;
  if (sub !== 1) return true;
  o.s += `\n\t  MUD-URL=${r.printn(t + 4, len - 4)}`;
  return false;
}

/** DCBX (version 1.01) organisation TLVs: the sub-TLVs; returns the last sub-TLV's dump flag. */
function dcbx(r: Reader, t: number, len: number, verbosity: number, o: Part): boolean {
  if (len < 4) return false;
  const sub = r.u8(t + 3);
  o.s += `\n\t  ${nameOf(DCBX_SUBTYPES, sub, "unknown")} Subtype (${sub})`;
  if (sub === 1) return true;
  let at = t + 4, rest = len - 4, dump = false;
  const head = (name: string, type: number, n: number) => {
    const info = r.u8(at + 2);
    return `\n\t    ${name} (type 0x${type.toString(16)}, length ${n})` +
      `\n\t      Oper_Version: ${r.u8(at)}\n\t      Max_Version: ${r.u8(at + 1)}` +
      `\n\t      Info block(0x${hex(info, 2).toUpperCase()}): Enable bit: ${
        info & 0x80 ? 1 : 0
      }, Willing bit: ${info & 0x40 ? 1 : 0}, Error Bit: ${info & 0x20 ? 1 : 0}` +
      `\n\t      SubType: ${r.u8(at + 3)}`;
  };
  while (rest >= TLV_HEADER_LEN) {
    const w = r.u16(at), type = w >> 9, n = w & 0x1ff;
    dump = false;
    rest -= TLV_HEADER_LEN, at += TLV_HEADER_LEN;
    if (!type || !n) break;
    if (rest < n) return dump;
    switch (type) {
      case 1:
        if (n < 10) return dump;
        o.s += `\n\t    Control - Protocol Control (type 0x1, length ${n})` +
          `\n\t      Oper_Version: ${r.u8(at)}\n\t      Max_Version: ${r.u8(at + 1)}` +
          `\n\t      Sequence Number: ${r.u32(at + 2)}\n\t      Acknowledgement Number: ${r.u32(at + 6)}`;
        break;
      case 2: {
        if (n < 17) return dump;
        o.s += head("Feature - Priority Group", 2, n) + "\n\t      Priority Allocation";
        const pg = r.u32(at + 4);
        for (let i = 0; i < 8; i++) {
          o.s += `\n\t          PgId_${i}: ${Math.floor(pg / 2 ** (28 - 4 * i)) & 0xf}`;
        }
        o.s += "\n\t      Priority Group Allocation";
        for (let i = 0; i < 8; i++) o.s += `\n\t          Pg percentage[${i}]: ${r.u8(at + 8 + i)}`;
        o.s += `\n\t      NumTCsSupported: ${r.u8(at + 16)}`;
        break;
      }
      case 3: {
        if (n < 6) return dump;
        const v = r.u8(at + 4);
        o.s += head("Feature - Priority Flow Control", 3, n) +
          `\n\t      PFC Config (0x${hex(v, 2).toUpperCase()})`;
        for (let i = 0; i < 8; i++) {
          o.s += `\n\t          Priority Bit ${i}: ${v & (1 << i) ? "Enabled" : "Disabled"}`;
        }
        o.s += `\n\t      NumTCPFCSupported: ${r.u8(at + 5)}`;
        break;
      }
      case 4: {
        if (n < 4) return dump;
        o.s += head("Feature - Application", 4, n);
        for (let m = at + 4, left = n - 4; left >= 6; left -= 6, m += 6) {
          const u = r.u24(m + 2);
          o.s += "\n\t      Application Value" +
            `\n\t          Application Protocol ID: 0x${hex(r.u16(m), 4)}` +
            `\n\t          SF (0x${(u >> 22).toString(16)}) Application Protocol ID is ${
              u >> 22 ? "Socket Number" : "L2 EtherType"
            }` +
            `\n\t          OUI: 0x${hex(u & 0x3fffff, 6)}` +
            `\n\t          User Priority Map: 0x${hex(r.u8(m + 5), 2)}`;
        }
        break;
      }
      default:
        dump = true;
    }
    if (verbosity > 1 || dump) o.s += hexLines(r.p, at, n, "\n\t    ");
    rest -= n, at += n;
  }
  return dump;
}

/**
 * tcpdump's text for an LLDP message.
 *
 * @param p the captured bytes after the link header
 * @param length the on-wire length of the same bytes
 * @param verbosity how many `-v` (0 for none)
 * @returns the text, starting with `LLDP, length`
 */
export function lldpText(p: Uint8Array, length: number, verbosity: number): string {
  const r = new Reader(p);
  const o: Part = { s: `LLDP, length ${length}` };
  const v = verbosity > 0;
  let at = 0, rest = length;
  while (rest >= TLV_HEADER_LEN) {
    if (at + TLV_HEADER_LEN > p.length) return o.s + CUT;
    const w = r.u16(at), type = w >> 9, len = w & 0x1ff;
    let dump = false;
    rest -= TLV_HEADER_LEN, at += TLV_HEADER_LEN;
    if (v) o.s += `\n\t${nameOf(TLV_NAMES, type, "Unknown")} TLV (${type}), length ${len}`;
    if (!type || !len) break;
    if (at + len > p.length || rest < len) return o.s + CUT;
    switch (type) {
      case 1:
      case 2: {
        if (!v) break;
        if (len < 2) return o.s + CUT;
        const sub = r.u8(at);
        const chassis = type === 1;
        o.s += `\n\t  Subtype ${
          nameOf(chassis ? CHASSIS_SUBTYPES : PORT_SUBTYPES, sub, "Unknown")
        } (${sub}): `;
        if (sub === (chassis ? CHASSIS_MAC : PORT_MAC)) {
          if (len < 7) return o.s + CUT;
          o.s += formatMac(p, at + 1);
        } else if ((chassis ? CHASSIS_TEXT : PORT_TEXT).has(sub)) {
          o.s += r.zp(at + 1, len - 1);
        } else if (sub === (chassis ? CHASSIS_NET : PORT_NET)) {
          const a = netAddr(r, at + 1, len - 1);
          if (a === null) return o.s + CUT;
          o.s += a;
        } else {
          dump = true;
        }
        break;
      }
      case 3:
        if (!v) break;
        if (len < 2) return o.s + CUT;
        o.s += `: TTL ${r.u16(at)}s`;
        break;
      case 4:
        if (v) o.s += `: ${r.zp(at, len)}`;
        break;
      case 5:
        o.s += `: ${r.zp(at, len)}`;
        break;
      case 6:
        if (v) o.s += `\n\t  ${r.zp(at, len)}`;
        break;
      case 7: {
        if (!v) break;
        if (len < 4) return o.s + CUT;
        const cap = r.u16(at), ena = r.u16(at + 2);
        o.s += `\n\t  System  Capabilities [${bitsText(CAPS, cap, "none")}] (0x${hex(cap, 4)})` +
          `\n\t  Enabled Capabilities [${bitsText(CAPS, ena, "none")}] (0x${hex(ena, 4)})`;
        break;
      }
      case 8:
        if (v && !mgmtAddr(r, at, len, o)) return o.s + CUT;
        break;
      case 127: {
        if (!v) break;
        if (len < 3) return o.s + CUT;
        const oui = r.u24(at);
        o.s += `: OUI ${nameOf(OUI_NAMES, oui, "Unknown")} (0x${hex(oui, 6)})`;
        switch (oui) {
          case OUI_8021:
            dump = ieee8021(r, at, len, o);
            break;
          case OUI_8023:
            dump = ieee8023(r, at, len, o);
            break;
          case OUI_IANA:
            dump = iana(r, at, len, o);
            break;
          case OUI_TIA:
            dump = tia(r, at, len, o);
            break;
          case OUI_DCBX:
            dump = dcbx(r, at, len, verbosity, o);
            break;
          default:
            dump = true;
        }
        break;
      }
      default:
        dump = true;
    }
    if (verbosity > 1 || (v && dump)) o.s += hexLines(p, at, len, "\n\t  ");
    rest -= len, at += len;
  }
  return o.s;
}

/** IEEE 802.3's Link Aggregation TLV, also under the 802.1 OUI (802.1AX moved it there). */
function linkAggregation(r: Reader, t: number, len: number, o: Part): boolean {
  if (len < 9) return false;
  o.s += `\n\t    aggregation status [${bitsText(AUTONEG, r.u8(t + 4), "none")}], aggregation port ID ${
    r.u32(t + 5)
  }`;
  return false;
}

/** The Management Address TLV; false where tcpdump jumps to its truncation mark. */
function mgmtAddr(r: Reader, at: number, len: number, o: Part): boolean {
  if (len < 1) return false;
  const n = r.u8(at);
  let rest = len - 1;
  at++;
  if (rest < n) return false;
  const a = netAddr(r, at, n);
  if (a === null) return false;
  o.s += `\n\t  Management Address length ${n}, ${a}`;
  at += n, rest -= n;
  if (rest < INTF_NUM_LEN) return false;
  const sub = r.u8(at);
  o.s += `\n\t  ${nameOf(INTF_NUMBERING, sub, "Unknown")} Interface Numbering (${sub}): ${r.u32(at + 1)}`;
  at += INTF_NUM_LEN, rest -= INTF_NUM_LEN;
  if (rest) {
    const oid = r.u8(at);
    if (rest < 1 + oid) return false;
    if (oid) o.s += `\n\t  OID length ${oid}${r.zp(at + 1, oid)}`;
  }
  return true;
}
