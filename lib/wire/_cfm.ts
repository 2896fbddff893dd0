/**
 * Private: tcpdump's text for CFM, Connectivity Fault Management (IEEE 802.1ag / ITU-T Y.1731; EtherType
 * 0x8902), as tcpdump 4.99.3's print-cfm.c prints it.
 *
 * ```text
 * | MD level (3 bits) version (5 bits) | opcode (1) | flags (1) | first TLV offset (1) | message ... | TLVs |
 * CCM:  sequence (4) | MEP ID (2) | MD name format, length, name | MA name format, length, name (48 in all)
 *       | Y.1731 (16)
 * LTM:  transaction (4) | TTL (1) | original MAC (6) | target MAC (6);   LTR: transaction (4) | TTL | action
 * TLV:  type (1) | length (2, not for End) | value
 * ```
 *
 * tcpdump's rules:
 * - Without `-v` one line: `CFMv0 Continuity Check Message, MD Level 5, length 75` (N the on-wire length);
 *   opcodes other than CCM, LBR, LBM, LTR and LTM (AIS, LCK, the Y.1731 delay and loss messages...) are
 *   `unknown (N)`; a version other than 0 is `CFMv1 not supported, length N`; under 4 bytes,
 *   `\n\t\t packet is too short` alone.
 * - `-v` adds `\n\tFirst TLV offset N` (` (too large, must be <= N)` when past the PDU, and that ends it),
 *   then the message: CCM flags (interval, RDI), interval times, sequence, MEP ID, MD and MA names (text,
 *   MAC or hex by format); LTM and LTR flags and fields; for the others a hex dump of the PDU's first
 *   bytes, as many as the PDU has past the first TLV offset. A first TLV offset too small for CCM, LTM or
 *   LTR says so (` (too small 1, must be >= 70)`) and ends the text.
 * - Then the TLVs from the first TLV offset: `\n\tName TLV (0xTT), length L` and Port Status, Interface
 *   Status, Organization Specific (its OUI and sub-type, then a dump) and Sender ID (chassis ID, management
 *   address domain and address) decoded; Data, Reply Ingress/Egress and unknown types dumped. `-vv` dumps
 *   every TLV. An End TLV ends the walk; a TLV longer than the PDU, or a PDU ending inside a TLV header,
 *   ends in `\n\t\t packet is too short`. tcpdump's Sender ID quirks are kept: after a chassis ID too long
 *   for its TLV the walk resumes one byte early, and the dump shows only the bytes not yet decoded, counted
 *   from the TLV's start.
 * - Truncation: a header, message or TLV not wholly captured ends with ` [|cfm]` from tcpdump's own checks;
 *   only a TLV type byte past the capture is a long jump (its `-x` then dumps the whole frame). Dumps show
 *   only the captured bytes.
 *
 * Not covered: nothing tcpdump prints is left out.
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address, formatMac } from "./address.ts";
import { hexLines } from "./_nd.ts";
import { Cut, type Printed, textChar, u16, u8 } from "./_text.ts";
import { OUI_NAMES } from "./_oui.ts";
import { AF_NAMES } from "./_af.ts";

const CUT = " [|cfm]";
const TOO_SHORT = "\n\t\t packet is too short";

/** The common header's length. */
const HEADER_LEN = 4;
const VERSION = 0;

const CCM = 1, LBR = 2, LBM = 3, LTR = 4, LTM = 5;
const OPCODES: Record<number, string> = {
  [CCM]: "Continuity Check Message",
  [LBR]: "Loopback Reply",
  [LBM]: "Loopback Message",
  [LTR]: "Linktrace Reply",
  [LTM]: "Linktrace Message",
};

/** CCM: sequence (4), MEP ID (2), the names field (48), Y.1731's 16 bytes. */
const CCM_MSG = { sequence: 0, mepId: 4, names: 6, namesLen: 48, end: 70 } as const;
/** LTM: transaction (4), TTL (1), original MAC (6), target MAC (6). */
const LTM_MSG = { transaction: 0, ttl: 4, original: 5, target: 11, end: 17 } as const;
/** LTR: transaction (4), TTL (1), relay action (1). */
const LTR_MSG = { transaction: 0, ttl: 4, action: 5, end: 6 } as const;

/** The CCM interval field's time bases in seconds, as the C floats tcpdump multiplies. */
const INTERVALS = [0, 0.003333, 0.01, 0.1, 1, 10, 60, 600].map(Math.fround);
const RDI = 0x80;

const MD_FORMATS: Record<number, string> = {
  0: "IEEE 802.1",
  1: "No MD Name present",
  2: "DNS string",
  3: "MAC + 16Bit Integer",
  4: "Character string",
};
const MD_NONE = 1, MD_DNS = 2, MD_MAC = 3, MD_CHAR = 4;
const MA_FORMATS: Record<number, string> = {
  0: "IEEE 802.1",
  1: "Primary VID",
  2: "Character string",
  3: "16Bit Integer",
  4: "RFC2685 VPN-ID",
};
const MA_CHAR = 2;

type Bits = ReadonlyArray<readonly [number, string]>;
const LTM_FLAGS: Bits = [[0x80, "Use Forwarding-DB only"]];
const LTR_FLAGS: Bits = [[0x80, "UseFDB Only"], [0x40, "FwdYes"], [0x20, "Terminal MEP"]];
const RELAY_ACTIONS: Record<number, string> = { 1: "Exact Match", 2: "Filtering DB", 3: "MIP CCM DB" };

const END = 0, SENDER_ID = 1, PORT_STATUS = 2, INTERFACE_STATUS = 3, PRIVATE = 31;
const TLV_NAMES: Record<number, string> = {
  [END]: "End",
  [SENDER_ID]: "Sender ID",
  [PORT_STATUS]: "Port status",
  [INTERFACE_STATUS]: "Interface status",
  4: "Data",
  5: "Reply Ingress",
  6: "Reply Egress",
  [PRIVATE]: "Organization Specific",
};
/** A TLV's header: type (1) and length (2). */
const TLV_HEADER_LEN = 3;

const PORT_STATUS_NAMES: Record<number, string> = { 1: "Blocked", 2: "Up" };
const INTERFACE_STATUS_NAMES: Record<number, string> = {
  1: "Up",
  2: "Down",
  3: "Testing",
  5: "Dormant",
  6: "not present",
  7: "lower Layer down",
};

const CHASSIS_ID_TYPES: Record<number, string> = {
  0: "Reserved",
  1: "Chassis component",
  2: "Interface alias",
  3: "Port component",
  4: "MAC address",
  5: "Network address",
  6: "Interface name",
  7: "Locally assigned",
};
const CHASSIS_MAC = 4, CHASSIS_NETWORK = 5;
/** Chassis ID types printed as text. */
const CHASSIS_TEXT = new Set([1, 2, 3, 6, 7]);

const AF_INET = 1, AF_INET6 = 2;

/** A name from a table, or tcpdump's default. */
const nameOf = (t: Record<number, string>, v: number, dflt = "Unknown") => t[v] ?? dflt;
/** tcpdump's bittok2str: the names of the set bits, comma separated, or `none`. */
const bits = (t: Bits, v: number) => t.filter(([m]) => (v & m) === m).map(([, n]) => n).join(", ") || "none";
const hex2 = (v: number) => v.toString(16).padStart(2, "0");
const hex8 = (v: number) => v.toString(16).padStart(8, "0");

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return u16(p, at) * 0x10000 + u16(p, at + 2);
}

/** Whether `n` bytes from `at` were captured (tcpdump's ND_TTEST_LEN). */
const captured = (p: Uint8Array, at: number, n: number) => at + n <= p.length;

/** tcpdump's print_unknown_data: a hex dump of at most `n` bytes from `at`, no further than captured. */
function unknownData(p: Uint8Array, at: number, indent: string, n: number): string {
  if (at > p.length) {
    return `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
  }
  return hexLines(p, at, n, indent);
}

/** tcpdump's nd_printjnp: up to `n` bytes of text, ending at a NUL; a byte past the capture is a {@link Cut}. */
function printjnp(p: Uint8Array, at: number, n: number, o: { s: string }): void {
  for (let k = 0; k < n; k++) {
    const c = u8(p, at + k);
    if (c === 0) return;
    o.s += textChar(c);
  }
}

/** C's `%.3f` of a double. */
const fixed3 = (x: number) => x.toFixed(3);

/**
 * The CCM message from `m` (its 70 bytes captured); false where tcpdump stops (a name too long).
 */
function ccm(p: Uint8Array, m: number, flags: number, o: { s: string }): boolean {
  const interval = flags & 7;
  o.s += `, Flags [CCM Interval ${interval}${flags & RDI ? ", RDI" : ""}]`;
  if (interval) {
    const base = INTERVALS[interval];
    o.s += `\n\t  CCM Interval ${fixed3(base)}s, min CCM Lifetime ${fixed3(base * 3.25)}s, max CCM Lifetime ${
      fixed3(base * 3.5)
    }s`;
  }
  o.s += `\n\t  Sequence Number 0x${hex8(u32(p, m + CCM_MSG.sequence))}, MA-End-Point-ID 0x${
    u16(p, m + CCM_MSG.mepId).toString(16).padStart(4, "0")
  }`;
  let at = m + CCM_MSG.names, left = CCM_MSG.namesLen;
  const mdFormat = u8(p, at);
  at++, left--;
  if (mdFormat !== MD_NONE) {
    const mdLen = u8(p, at);
    at++, left--;
    o.s += `\n\t  MD Name Format ${nameOf(MD_FORMATS, mdFormat)} (${mdFormat}), MD Name length ${mdLen}`;
    // Room for the MA name's format, length and one byte of name.
    if (mdLen > left - 3) {
      o.s += ` (too large, must be <= ${left - 2})`;
      return false;
    }
    o.s += "\n\t  MD Name: ";
    if (mdFormat === MD_DNS || mdFormat === MD_CHAR) printjnp(p, at, mdLen, o);
    else if (mdFormat === MD_MAC) {
      o.s += mdLen === 6 ? `\n\t  MAC ${formatMac(p, at)}` : "\n\t  MAC (length invalid)";
    } else o.s += unknownData(p, at, "\n\t    ", mdLen);
    at += mdLen, left -= mdLen;
  } else {
    o.s += `\n\t  MD Name Format ${nameOf(MD_FORMATS, mdFormat)} (${mdFormat})`;
  }
  const maFormat = u8(p, at), maLen = u8(p, at + 1);
  at += 2, left -= 2;
  o.s += `\n\t  MA Name-Format ${nameOf(MA_FORMATS, maFormat)} (${maFormat}), MA name length ${maLen}`;
  if (maLen > left) {
    o.s += ` (too large, must be <= ${left})`;
    return false;
  }
  o.s += "\n\t  MA Name: ";
  if (maFormat === MA_CHAR) printjnp(p, at, maLen, o);
  else o.s += unknownData(p, at, "\n\t    ", maLen);
  return true;
}

/** A Sender ID TLV's network address (cfm_network_addr_print); true when tcpdump then dumps the TLV. */
function networkAddress(p: Uint8Array, at: number, len: number, o: { s: string }): boolean {
  if (len < 1) {
    o.s += "\n\t  Network Address Type (invalid, no data";
    return false;
  }
  const af = u8(p, at);
  o.s += `\n\t  Network Address Type ${nameOf(AF_NAMES, af)} (${af})`;
  if (af === AF_INET) {
    if (len !== 5) {
      o.s += `(invalid IPv4 address length ${len - 1})`;
      return true;
    }
    u8(p, at + 4);
    o.s += `, ${formatIpv4Address(p, at + 1)}`;
    return false;
  }
  if (af === AF_INET6) {
    if (len !== 17) {
      o.s += `(invalid IPv6 address length ${len - 1})`;
      return true;
    }
    u8(p, at + 16);
    o.s += `, ${formatIpv6Address(p, at + 1)}`;
    return false;
  }
  return true;
}

/** Where the TLV walk is: tcpdump's tptr, tlen and the current TLV's remaining length. */
interface Walk {
  at: number;
  left: number;
  len: number;
}

/**
 * A Sender ID TLV's value from `w.at` (wholly captured), advancing `w` as tcpdump does. Returns "dump" when
 * tcpdump then dumps the TLV, "next" when it goes to the next TLV without a dump, "stop" when it returns.
 */
function senderId(p: Uint8Array, w: Walk, o: { s: string }): "dump" | "next" | "stop" | "ok" {
  if (w.len < 1) {
    o.s += " (too short, must be >= 1)";
    return "next";
  }
  const chassisLen = u8(p, w.at);
  w.at++, w.left--, w.len--;
  let dump = false;
  if (chassisLen) {
    if (w.len < 1) {
      o.s += "\n\t  (TLV too short)";
      return "next";
    }
    const type = u8(p, w.at);
    w.len--;
    o.s += `\n\t  Chassis-ID Type ${
      nameOf(CHASSIS_ID_TYPES, type)
    } (${type}), Chassis-ID length ${chassisLen}`;
    if (w.len < chassisLen) {
      // tcpdump counted the type byte off the length without moving past it: the walk resumes a byte early.
      o.s += "\n\t  (TLV too short)";
      return "next";
    }
    if (type === CHASSIS_MAC) {
      if (chassisLen !== 6) {
        o.s += " (invalid MAC address length)";
        dump = true;
      } else o.s += `\n\t  MAC ${formatMac(p, w.at + 1)}`;
    } else if (type === CHASSIS_NETWORK) {
      dump = networkAddress(p, w.at + 1, chassisLen, o) || dump;
    } else if (CHASSIS_TEXT.has(type)) {
      printjnp(p, w.at + 1, chassisLen, o);
    } else dump = true;
    w.len -= chassisLen;
    w.at += 1 + chassisLen, w.left -= 1 + chassisLen;
  }
  if (w.len === 0) return dump ? "dump" : "ok";
  const domainLen = u8(p, w.at);
  w.at++, w.left--, w.len--;
  o.s += `\n\t  Management Address Domain Length ${domainLen}`;
  if (domainLen) {
    if (w.len < domainLen) {
      o.s += "\n\t  (TLV too short)";
      return "next";
    }
    w.len -= domainLen;
    o.s += hexLines(p, w.at, domainLen, "\n\t  Management Address Domain: ");
    w.at += domainLen, w.left -= domainLen;
    if (w.len < 1) {
      o.s += " (Management Address Length is missing)";
      return "dump";
    }
    const addrLen = u8(p, w.at);
    w.at++, w.left--, w.len--;
    o.s += `\n\t  Management Address Length ${addrLen}`;
    if (addrLen) {
      if (w.len < addrLen) {
        o.s += "\n\t  (TLV too short)";
        return "stop";
      }
      w.len -= addrLen;
      o.s += hexLines(p, w.at, addrLen, "\n\t  Management Address: ");
      w.at += addrLen, w.left -= addrLen;
    }
  }
  return dump ? "dump" : "ok";
}

/** The TLVs from `at`, `left` bytes of the PDU. */
function tlvs(p: Uint8Array, at: number, left: number, v: number, o: { s: string }): void {
  const w: Walk = { at, left, len: 0 };
  while (w.left !== 0) {
    const type = u8(p, w.at);
    o.s += `\n\t${nameOf(TLV_NAMES, type)} TLV (0x${hex2(type)})`;
    if (type === END) return;
    if (w.left < TLV_HEADER_LEN) {
      o.s += TOO_SHORT;
      return;
    }
    if (!captured(p, w.at, TLV_HEADER_LEN)) {
      o.s += CUT;
      return;
    }
    w.len = u16(p, w.at + 1);
    o.s += `, length ${w.len}`;
    w.at += TLV_HEADER_LEN, w.left -= TLV_HEADER_LEN;
    const value = w.at;
    if (w.left < w.len) {
      o.s += TOO_SHORT;
      return;
    }
    if (!captured(p, w.at, w.len)) {
      o.s += CUT;
      return;
    }
    let dump = false;
    switch (type) {
      case PORT_STATUS:
      case INTERFACE_STATUS: {
        if (w.len < 1) {
          o.s += " (too short, must be >= 1)";
          return;
        }
        const s = p[w.at];
        o.s += `, Status: ${
          nameOf(type === PORT_STATUS ? PORT_STATUS_NAMES : INTERFACE_STATUS_NAMES, s)
        } (${s})`;
        break;
      }
      case PRIVATE: {
        if (w.len < 4) {
          o.s += " (too short, must be >= 4)";
          return;
        }
        const oui = (p[w.at] << 16) | (p[w.at + 1] << 8) | p[w.at + 2];
        o.s += `, Vendor: ${nameOf(OUI_NAMES, oui)} (${oui}), Sub-Type ${p[w.at + 3]}`;
        dump = true;
        break;
      }
      case SENDER_ID: {
        const r = senderId(p, w, o);
        if (r === "stop") return;
        if (r === "next") {
          w.at += w.len, w.left -= w.len;
          continue;
        }
        dump = r === "dump";
        break;
      }
      default:
        dump = true;
    }
    if (dump || v > 1) o.s += unknownData(p, value, "\n\t  ", w.len);
    w.at += w.len, w.left -= w.len;
  }
}

/** The PDU; `o.s` grows as tcpdump prints so that a {@link Cut} keeps the text. */
function cfm(p: Uint8Array, length: number, v: number, o: { s: string }): void {
  if (length < HEADER_LEN) {
    o.s += TOO_SHORT;
    return;
  }
  if (!captured(p, 0, HEADER_LEN)) {
    o.s += CUT;
    return;
  }
  const version = p[0] & 0x1f, level = p[0] >> 5, opcode = p[1], flags = p[2], first = p[3];
  if (version !== VERSION) {
    o.s += `CFMv${version} not supported, length ${length}`;
    return;
  }
  o.s += `CFMv${version} ${OPCODES[opcode] ?? `unknown (${opcode})`}, MD Level ${level}, length ${length}`;
  if (v < 1) return;
  o.s += `\n\tFirst TLV offset ${first}`;
  const m = HEADER_LEN;
  let left = length - HEADER_LEN;
  if (first > left) {
    o.s += ` (too large, must be <= ${left})`;
    return;
  }
  const fixed = opcode === CCM
    ? CCM_MSG.end
    : opcode === LTM
    ? LTM_MSG.end
    : opcode === LTR
    ? LTR_MSG.end
    : 0;
  if (fixed) {
    if (first < fixed) {
      // tcpdump numbers these messages 1, 4 and 5 (not by opcode).
      o.s += ` (too small ${opcode === CCM ? 1 : opcode === LTM ? 4 : 5}, must be >= ${fixed})`;
      return;
    }
    if (left < fixed) {
      o.s += TOO_SHORT;
      return;
    }
    if (!captured(p, m, fixed)) {
      o.s += CUT;
      return;
    }
  }
  switch (opcode) {
    case CCM:
      if (!ccm(p, m, flags, o)) return;
      break;
    case LTM:
      o.s += `, Flags [${bits(LTM_FLAGS, flags)}]`;
      o.s += `\n\t  Transaction-ID 0x${hex8(u32(p, m))}, ttl ${p[m + LTM_MSG.ttl]}`;
      o.s += `\n\t  Original-MAC ${formatMac(p, m + LTM_MSG.original)}, Target-MAC ${
        formatMac(p, m + LTM_MSG.target)
      }`;
      break;
    case LTR: {
      o.s += `, Flags [${bits(LTR_FLAGS, flags)}]`;
      o.s += `\n\t  Transaction-ID 0x${hex8(u32(p, m))}, ttl ${p[m + LTR_MSG.ttl]}`;
      const action = p[m + LTR_MSG.action];
      o.s += `\n\t  Replay-Action ${nameOf(RELAY_ACTIONS, action)} (${action})`;
      break;
    }
    default:
      // No decoder: tcpdump dumps from the message's start as many bytes as follow the first TLV offset.
      o.s += unknownData(p, m, "\n\t  ", left - first);
  }
  left -= first;
  tlvs(p, m + first, left, v, o);
}

/**
 * tcpdump's text for a CFM message, after the link header (if any); null where netkit falls back to its
 * plain line.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cfmText } from "./_cfm.ts";
 *
 * // A Loopback Message at MD level 2: transaction 1, then an End TLV. tcpdump dumps the message's first
 * // bytes, as many as follow the first TLV offset (here 1).
 * const lbm = new Uint8Array([0x40, 3, 0, 4, 0, 0, 0, 1, 0]);
 * assert.deepEqual(cfmText(lbm, 9, 0), { text: "CFMv0 Loopback Message, MD Level 2, length 9", jump: false });
 * assert.equal(
 *   cfmText(lbm, 9, 1)?.text,
 *   "CFMv0 Loopback Message, MD Level 2, length 9\n\tFirst TLV offset 4\n\t  0x0000:  00\n\tEnd TLV (0x00)",
 * );
 * ```
 */
export function cfmText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o = { s: "" };
  try {
    cfm(p, length, verbosity, o);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}
