/**
 * Private: three TCP/UDP applications as tcpdump 4.99.3 prints them: LDP (RFC 5036, print-ldp.c) over TCP
 * and UDP port 646, MSDP (RFC 3618, print-msdp.c) over TCP port 639 and RPKI-Router (RFC 6810,
 * print-rpki-rtr.c) over TCP port 323.
 *
 * ```text
 * LDP PDU:     version (2) | PDU length (2) | LSR ID (4) | label space (2) | messages
 * message:     U bit + type (2) | length (2) | message ID (4) | TLVs        (lengths leave out type and length)
 * TLV:         U bit + F bit + type (2) | length (2) | value
 * MSDP:        type (1) | length (2, the whole message) | value
 * RPKI-Router: version (1) | type (1) | session ID or error code (2) | length (4, the whole PDU) | body
 * ```
 *
 * LDP
 * - Without `-v` one line for the first PDU only: `LDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30` (over TCP
 *   straight after `length N`, with no separator, as tcpdump does). Data of at most 18 bytes (a PDU header
 *   and a message header) prints nothing at all.
 * - `-v`: every PDU on its own line (`\n\tLDP, ...`), each message `\n\t  Hello Message (0x0100), length: 20,
 *   Message ID: 0x00000001, Flags: [ignore if unknown]`, each TLV `\n\t    Common Hello Parameters TLV
 *   (0x0400), length: 4, Flags: [ignore and don't forward if unknown]` and its value on the next line: hello
 *   hold time and flags, IPv4/IPv6 transport address, configuration sequence number, address lists (IPv4,
 *   IPv6, other families named only), common session parameters (version, keepalive, and flags that 4.99.3
 *   reads 2 bytes late), FEC elements (wildcard, prefix `IPv4 prefix 10.0.0.0/8`, host address, Martini VC
 *   with its interface parameters: MTU, description, VCCV), generic label, status (`Status: 0x0a, Flags:
 *   [...]`, no names), fault-tolerant session, MTU. Other TLVs (hop count and path vector among them in
 *   4.99.3) are a hex dump. Label Request, Release and Abort Request are not decoded in 4.99.3: their bodies
 *   are a hex dump, as are unknown messages'.
 * - `-vv`: no hex dump of undecoded TLVs or messages, but each message's bytes are dumped after it (from its
 *   ID's end, for its length: 4 bytes past the message, as tcpdump does).
 * - Malformed: a wrong version `LDP version 2 packet not supported`, `pdu-length: 4 (too short, < 6)`, a
 *   message length under 4 `(too short, < 4)`, a TLV past its message `\n\t\t TLV contents go past end of
 *   message`, a value too short ` [tlv length 3 < 4] (invalid)`, a PDU longer than the data ` [remaining
 *   length 30 < 34] (invalid)`. Lengths wrap at 16 bits as in tcpdump's `u_short`s. A prefix FEC running past
 *   its TLV is taken for a cut capture (` [|ldp]`, a long jump), as any read past the captured bytes is.
 *
 * MSDP (4.99.3 checks little): `: msdp SA 2 entries`, `SA-Response`, `SA-Request for 224.1.1.1`, `Keepalive`
 * (`Keepalive[len=5] ` for another length), `Notification`, ` [type=9 len=4]`; `-v` puts ` [len 20]` before
 * each message (always for lengths over 1400). An SA longer than its entries adds ` [w/data]`, and at `-vv`
 * the carried IPv4 packet as ip_print prints it (through the caller's `datagram`). A first message that is no
 * MSDP, a length under 3 or past the data end the text with ` [|msdp]` (not a long jump); reads past the
 * capture are tcpdump's long jump. After a carried packet the mark names the protocol its printers left in
 * tcpdump's state (` [|udp]`).
 *
 * RPKI-Router: `, RPKI-RTR` without `-v`; with it every PDU: `\n\tRPKI-RTRv0, Serial Notify PDU (0), length:
 * 12\n\t  Session ID: 0x0001, Serial: 5`, cache response, IPv4/IPv6 prefixes `IPv4 Prefix 10.0.0.0/8-24,
 * origin-as 65000, flags 0x01`, end of data, cache reset, error reports with their encapsulated PDU one level
 * deep and error text. 4.99.3 knows version 0 only (`RPKI-RTRv1 (unknown)` takes the rest of the segment)
 * and no router key PDU (a hex dump, like other unknown types). `-vv` dumps every PDU. Bad lengths print
 * ` (invalid)`; `(4 bytes is too few to decode) (invalid)` for a tail shorter than a header.
 *
 * Not covered: host names (netkit prints as `-n` does); after an MSDP carried packet, application printers'
 * names in the mark (only the transport's is followed).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { AF_NAMES } from "./_af.ts";
import { hexLines } from "./_nd.ts";
import { Cut, type Out, type Printed, textChar, u16, u8 } from "./_text.ts";

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
const u32 = (p: Uint8Array, at: number) => u16(p, at) * 0x10000 + u16(p, at + 2);

/** tcpdump's ND_TCHECK_LEN: a {@link Cut} unless `n` bytes from `at` were captured. */
function need(p: Uint8Array, at: number, n: number): void {
  if (at + n > p.length) throw new Cut();
}

const ip4 = (p: Uint8Array, at: number) => (need(p, at, 4), formatIpv4Address(p, at));
const ip6 = (p: Uint8Array, at: number) => (need(p, at, 16), formatIpv6Address(p, at));
const hex = (x: number, w: number) => x.toString(16).padStart(w, "0");

/** tcpdump's print_unknown_data: a hex dump of at most `n` bytes from `at`, no further than captured. */
function unknownData(p: Uint8Array, at: number, indent: string, n: number): string {
  if (at > p.length) {
    return `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
  }
  return hexLines(p, at, n, indent);
}

// ---------------------------------------------------------------------------------------------------------
// LDP

/** The common header: version, PDU length, LSR ID, label space. */
const PDU_HEADER = 10;
/** A message's header: type, length, message ID. */
const MSG_HEADER = 8;

const MESSAGES: Record<number, string> = {
  0x0001: "Notification",
  0x0100: "Hello",
  0x0200: "Initialization",
  0x0201: "Keepalive",
  0x0300: "Address",
  0x0301: "Address Withdraw",
  0x0400: "Label Mapping",
  0x0401: "Label Request",
  0x0402: "Label Withdraw",
  0x0403: "Label Release",
  0x0404: "Label Abort Request",
};
/** The messages whose TLVs tcpdump 4.99.3 decodes (the others are a hex dump). */
const DECODED = new Set([0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0400, 0x0301, 0x0402]);

const TLVS: Record<number, string> = {
  0x0100: "FEC",
  0x0101: "Address List",
  0x0103: "Hop Count",
  0x0104: "Path Vector",
  0x0200: "Generic Label",
  0x0201: "ATM Label",
  0x0202: "Frame-Relay Label",
  0x0300: "Status",
  0x0301: "Extended Status",
  0x0302: "Returned PDU",
  0x0303: "Returned Message",
  0x0400: "Common Hello Parameters",
  0x0401: "IPv4 Transport Address",
  0x0402: "Configuration Sequence Number",
  0x0403: "IPv6 Transport Address",
  0x0500: "Common Session Parameters",
  0x0501: "ATM Session Parameters",
  0x0502: "Frame-Relay Session Parameters",
  0x0503: "Fault-Tolerant Session Parameters",
  0x0600: "Label Request Message ID",
  0x0601: "MTU",
};

const FECS: Record<number, string> = { 1: "Wildcard", 2: "Prefix", 3: "Host address", 0x80: "Martini VC" };

/** RFC 4446 pseudowire types (tcpdump's mpls_pw_types_values). */
const PW_TYPES: Record<number, string> = {
  0x00: "Reserved",
  0x01: "Frame Relay DLCI (Martini Mode)",
  0x02: "ATM AAL5 SDU VCC transport",
  0x03: "ATM transparent cell transport",
  0x04: "Ethernet VLAN",
  0x05: "Ethernet",
  0x06: "Cisco-HDLC",
  0x07: "PPP",
  0x08: "SONET/SDH Circuit Emulation Service over MPLS",
  0x09: "ATM n-to-one VCC cell transport",
  0x0a: "ATM n-to-one VPC cell transport",
  0x0b: "IP Layer2 Transport",
  0x0c: "ATM one-to-one VCC Cell Mode",
  0x0d: "ATM one-to-one VPC Cell Mode",
  0x0e: "ATM AAL5 PDU VCC transport",
  0x0f: "Frame-Relay Port mode",
  0x10: "SONET/SDH Circuit Emulation over Packet",
  0x11: "Structure-agnostic E1 over Packet",
  0x12: "Structure-agnostic T1 (DS1) over Packet",
  0x13: "Structure-agnostic E3 over Packet",
  0x14: "Structure-agnostic T3 (DS3) over Packet",
  0x15: "CESoPSN basic mode",
  0x16: "TDMoIP basic mode",
  0x17: "CESoPSN TDM with CAS",
  0x18: "TDMoIP TDM with CAS",
  0x19: "Frame Relay DLCI",
  0x40: "IP-interworking",
};

const IF_PARAMS: Record<number, string> = { 0x01: "MTU", 0x03: "Description", 0x0c: "VCCV" };
const VCCV_CC: [number, string][] = [
  [0x01, "PWE3 control word"],
  [0x02, "MPLS Router Alert Label"],
  [0x04, "MPLS inner label TTL = 1"],
];
const VCCV_CV: [number, string][] = [[0x01, "ICMP Ping"], [0x02, "LSP Ping"], [0x04, "BFD"]];

/** tcpdump's bittok2str for single-bit tables: the names of the bits set, or `none`. */
function bits(table: [number, string][], v: number): string {
  const names = table.filter(([bit]) => (v & bit) === bit).map(([, name]) => name);
  return names.length ? names.join(", ") : "none";
}

/**
 * tcpdump's decode_prefix4/decode_prefix6: a prefix length byte and as many address bytes as it needs, in
 * `room` bytes; `/n` text, or -1 for a length too big. In 4.99.3 a prefix past `room` is taken for a cut
 * capture, as a byte not captured is: a {@link Cut} (tcpdump's message for it is never printed).
 */
function prefix(p: Uint8Array, at: number, room: number, size: 4 | 16): string | -1 {
  u8(p, at);
  if (room < 1) throw new Cut();
  const plen = p[at];
  if (plen > size * 8) return -1;
  const bytes = (plen + 7) >> 3;
  need(p, at + 1, bytes);
  if (room - 1 < bytes) throw new Cut();
  const addr = new Uint8Array(size);
  addr.set(p.subarray(at + 1, at + 1 + bytes));
  if (plen % 8) addr[bytes - 1] &= (0xff00 >> (plen % 8)) & 0xff;
  return `${size === 4 ? formatIpv4Address(addr) : formatIpv6Address(addr)}/${plen}`;
}

/** The printer state of one LDP segment. */
class Ldp {
  constructor(readonly p: Uint8Array, readonly v: number, readonly o: Out) {}

  /** One PDU from `at`: the bytes it takes, or 0 where tcpdump stops (always without `-v`). */
  pdu(at: number): number {
    const { p, v, o } = this;
    need(p, at, PDU_HEADER);
    const nl = v < 1 ? "" : "\n\t";
    const version = u16(p, at);
    if (version !== 1) {
      o.s += `${nl}LDP version ${version} packet not supported`;
      return 0;
    }
    const pduLen = u16(p, at + 2);
    if (pduLen < PDU_HEADER - 4) {
      o.s += `${nl}LDP, pdu-length: ${pduLen} (too short, < ${PDU_HEADER - 4})`;
      return 0;
    }
    o.s += `${nl}LDP, Label-Space-ID: ${ip4(p, at + 4)}:${u16(p, at + 8)}, pdu-length: ${pduLen}`;
    if (v < 1) return 0;
    let t = at + PDU_HEADER;
    // A u_short in tcpdump: a message longer than what is left wraps it and the loop reads on.
    let left = (pduLen - (PDU_HEADER - 4)) & 0xffff;
    while (left !== 0) {
      need(p, t, MSG_HEADER);
      const raw = u16(p, t), type = raw & 0x7fff, msgLen = u16(p, t + 2);
      const name = MESSAGES[type] ?? "Unknown";
      if (msgLen < MSG_HEADER - 4) {
        o.s += `\n\t  ${name} Message (0x${hex(type, 4)}), length: ${msgLen} (too short, < ${
          MSG_HEADER - 4
        })`;
        return 0;
      }
      o.s += `\n\t  ${name} Message (0x${hex(type, 4)}), length: ${msgLen}, Message ID: 0x${
        hex(u32(p, t + 4), 8)
      }, Flags: [${raw & 0x8000 ? "continue processing" : "ignore"} if unknown]`;
      let m = t + MSG_HEADER, mLeft = msgLen - (MSG_HEADER - 4);
      // tcpdump checks the message's length from its start: its last 4 bytes are read unchecked.
      need(p, t, msgLen);
      if (DECODED.has(type)) {
        while (mLeft >= 4) {
          const n = this.tlv(m, mLeft);
          if (n === 0) break;
          mLeft -= n;
          m += n;
        }
      } else if (v <= 1) o.s += unknownData(p, m, "\n\t  ", mLeft);
      if (v > 1) o.s += unknownData(p, t + MSG_HEADER, "\n\t  ", msgLen);
      t += msgLen + 4;
      left = (left - (msgLen + 4)) & 0xffff;
    }
    return pduLen + 4;
  }

  /** One TLV from `at` with `room` bytes left in its message: the bytes it takes, or 0 to stop. */
  tlv(at: number, room: number): number {
    const { p, v, o } = this;
    need(p, at, 4);
    const len = u16(p, at + 2);
    if (len + 4 > room) {
      o.s += "\n\t\t TLV contents go past end of message";
      return 0;
    }
    const raw = u16(p, at), type = raw & 0x3fff;
    o.s += `\n\t    ${TLVS[type] ?? "Unknown"} TLV (0x${hex(type, 4)}), length: ${len}, Flags: [${
      raw & 0x8000 ? "continue processing" : "ignore"
    } and ${raw & 0x4000 ? "do" : "don't"} forward if unknown]`;
    let t = at + 4, tl = len;
    const done = len + 4;
    // tcpdump's TLV_TCHECK: a value shorter than the field it wants ends the TLV (it goes on with the next).
    const short = (min: number) => {
      if (tl >= min) return false;
      o.s += ` [tlv length ${tl} < ${min}] (invalid)`;
      return true;
    };
    const line = "\n\t      ";
    switch (type) {
      case 0x0400: {
        if (short(4)) return done;
        const hold = u16(p, t), flags = u16(p, t + 2);
        o.s += `${line}Hold Time: ${hold}s, Flags: [${flags & 0x8000 ? "Targeted" : "Link"} Hello${
          flags & 0x4000 ? ", Request for targeted Hellos" : ""
        }]`;
        break;
      }
      case 0x0401:
        if (short(4)) return done;
        o.s += `${line}IPv4 Transport Address: ${ip4(p, t)}`;
        break;
      case 0x0403:
        if (short(16)) return done;
        o.s += `${line}IPv6 Transport Address: ${ip6(p, t)}`;
        break;
      case 0x0402:
        if (short(4)) return done;
        o.s += `${line}Sequence Number: ${u32(p, t)}`;
        break;
      case 0x0101: {
        if (short(2)) return done;
        const af = u16(p, t);
        t += 2;
        tl -= 2;
        o.s += `${line}Address Family: ${AF_NAMES[af] ?? `Unknown (${af})`}, addresses`;
        const size = af === 1 ? 4 : af === 2 ? 16 : 0;
        for (; size && tl >= size; tl -= size, t += size) o.s += ` ${size === 4 ? ip4(p, t) : ip6(p, t)}`;
        break;
      }
      case 0x0500: {
        // 4.99.3 reads the flags 2 bytes late (from the max PDU length) and prints nothing more.
        if (short(8)) return done;
        const flags = u16(p, t + 6);
        o.s += `${line}Version: ${u16(p, t)}, Keepalive: ${u16(p, t + 2)}s, Flags: [Downstream ${
          flags & 0x8000 ? "On Demand" : "Unsolicited"
        }, Loop Detection ${flags & 0x4000 ? "Enabled" : "Disabled"}]`;
        break;
      }
      case 0x0100:
        return this.fec(t, tl, done);
      case 0x0200:
        if (short(4)) return done;
        o.s += `${line}Label: ${u32(p, t) & 0xfffff}`;
        break;
      case 0x0300: {
        if (short(8)) return done;
        const status = u32(p, t);
        o.s += `${line}Status: 0x${hex(status & 0x3fffffff, 2)}, Flags: [${
          status & 0x80000000 ? "Fatal error" : "Advisory Notification"
        } and ${status & 0x40000000 ? "do" : "don't"} forward]`;
        const id = u32(p, t + 4);
        if (id) o.s += `, causing Message ID: 0x${hex(id, 8)}`;
        break;
      }
      case 0x0503: {
        if (short(12)) return done;
        const f = u16(p, t);
        o.s += `${line}Flags: [${f & 0x8000 ? "" : "No "}Reconnect, ${f & 0x8 ? "" : "Don't "}Save State, ${
          f & 0x4 ? "" : "No "
        }All-Label Protection, ${f & 0x2 ? "Sequence Numbered Label" : "All Labels"} Checkpoint, ${
          f & 0x1 ? "" : "Don't "
        }Re-Learn State]`;
        const reconnect = u32(p, t + 4);
        if (reconnect) o.s += `, Reconnect Timeout: ${reconnect}ms`;
        const recovery = u32(p, t + 8);
        if (recovery) o.s += `, Recovery Time: ${recovery}ms`;
        break;
      }
      case 0x0601:
        if (short(2)) return done;
        o.s += `${line}MTU: ${u16(p, t)}`;
        break;
      default:
        if (v <= 1) o.s += unknownData(p, t, line, tl);
    }
    return done;
  }

  /** A FEC TLV's value (its first element only, as tcpdump reads it). */
  fec(t: number, tl: number, done: number): number {
    const { p, o } = this;
    const short = (min: number) => {
      if (tl >= min) return false;
      o.s += ` [tlv length ${tl} < ${min}] (invalid)`;
      return true;
    };
    if (short(1)) return done;
    const kind = u8(p, t);
    o.s += `\n\t      ${FECS[kind] ?? "Unknown"} FEC (0x${hex(kind, 2)})`;
    t += 1;
    tl -= 1;
    if (kind === 0x02) {
      if (short(2)) return done;
      const af = u16(p, t);
      t += 2;
      tl -= 2;
      if (af === 1 || af === 2) {
        const r = prefix(p, t, tl, af === 1 ? 4 : 16);
        o.s += r === -1
          ? `: IPv${af === 1 ? 4 : 6} prefix (invalid length)`
          : `: IPv${af === 1 ? 4 : 6} prefix ${r}`;
      } else o.s += `: Address family ${af} prefix`;
    } else if (kind === 0x80) {
      if (short(7)) return done;
      let info = u8(p, t + 2);
      const pw = u16(p, t);
      const head = `: ${PW_TYPES[pw & 0x7fff] ?? "Unknown"}, ${
        pw & 0x8000 ? "" : "no "
      }control word, group-ID ${u32(p, t + 3)}`;
      // RFC 4447: a zero VC info length means no VC ID and no interface parameters.
      if (info === 0) {
        o.s += `${head}, VC-info-length: 0`;
        return done;
      }
      if (short(11)) return done;
      o.s += `${head}, VC-ID ${u32(p, t + 7)}, VC-info-length: ${info}`;
      if (info < 4) {
        o.s += " (invalid, < 4";
        return done;
      }
      info -= 4;
      t += 11;
      tl -= 11;
      if (short(info)) return done;
      while (info > 2) {
        const type = u8(p, t), len = u8(p, t + 1);
        if (len < 2 || info < len) break;
        o.s += `\n\t\tInterface Parameter: ${IF_PARAMS[type] ?? "Unknown"} (0x${hex(type, 2)}), len ${len}`;
        if (type === 0x01) o.s += `: ${u16(p, t + 2)}`;
        else if (type === 0x03) {
          o.s += ": ";
          for (let k = 2; k < len; k++) o.s += textChar(u8(p, t + k));
        } else if (type === 0x0c) {
          const cc = u8(p, t + 2);
          o.s += `\n\t\t  Control Channels (0x${hex(cc, 2)}) = [${bits(VCCV_CC, cc)}]`;
          const cv = u8(p, t + 3);
          o.s += `\n\t\t  CV Types (0x${hex(cv, 2)}) = [${bits(VCCV_CV, cv)}]`;
        } else o.s += unknownData(p, t + 2, "\n\t\t  ", len - 2);
        info -= len;
        t += len;
      }
    }
    return done;
  }
}

/**
 * LDP (tcpdump's ldp_print): the text after `src.sport > dst.dport: ` (UDP) or after `length N` (TCP), with
 * no separator in front (tcpdump prints none).
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text (empty for data too short to hold a PDU and a message), and whether tcpdump's printer
 *   stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ldpText } from "./_ldp.ts";
 * const hello = new Uint8Array([
 *   0, 1, 0, 30, 10, 0, 0, 1, 0, 0, // version 1, PDU length 30, LSR 10.0.0.1, label space 0
 *   1, 0, 0, 20, 0, 0, 0, 1, // Hello, length 20, ID 1
 *   4, 0, 0, 4, 0, 15, 0, 0, // Common Hello Parameters: hold time 15
 *   4, 1, 0, 4, 10, 0, 0, 1, // IPv4 Transport Address
 * ]);
 * assert.equal(ldpText(hello, hello.length, 0)?.text, "LDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30");
 * assert.match(ldpText(hello, hello.length, 1)?.text ?? "", /\n\t      Hold Time: 15s, Flags: \[Link Hello\]/);
 * assert.deepEqual(ldpText(hello.subarray(0, 20), hello.length, 1), {
 *   text: "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30\n\t  Hello Message (0x0100), length: 20, " +
 *     "Message ID: 0x00000001, Flags: [ignore if unknown] [|ldp]",
 *   jump: true,
 * });
 * ```
 */
export function ldpText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  const ldp = new Ldp(data, verbosity, o);
  let len = length, at = 0;
  try {
    while (len > PDU_HEADER + MSG_HEADER) {
      const n = ldp.pdu(at);
      if (n === 0) break;
      if (len < n) {
        o.s += ` [remaining length ${len} < ${n}] (invalid)`;
        break;
      }
      len -= n;
      at += n;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: o.s + " [|ldp]", jump: true };
  }
  return { text: o.s, jump: false };
}

// ---------------------------------------------------------------------------------------------------------
// MSDP

/**
 * The protocol name tcpdump's printers leave behind after printing an IPv4 packet: its transport's for the
 * common ones (deeper application printers are not followed), else `ip`.
 */
function carriedProtocol(b: Uint8Array): string {
  if (b.length < 20 || b[0] >> 4 !== 4 || ((b[6] << 8) | b[7]) & 0x1fff) return "ip";
  return ({ 1: "icmp", 2: "igmp", 6: "tcp", 17: "udp" } as Record<number, string>)[b[9]] ?? "ip";
}

/**
 * MSDP over TCP (tcpdump's msdp_print): the text after `length N`.
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @param datagram prints the IPv4 packet an SA message carries as tcpdump's ip_print would (`-vv` only), given
 *   its captured bytes and its length; without it nothing is printed for the packet
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { msdpText } from "./_ldp.ts";
 * const sa = new Uint8Array([1, 0, 20, 1, 10, 0, 0, 9, 0, 0, 0, 24, 239, 1, 1, 1, 10, 1, 1, 1]);
 * assert.equal(msdpText(sa, sa.length, 0)?.text, ": msdp SA 1 entries");
 * assert.equal(msdpText(sa, sa.length, 1)?.text, ": msdp [len 20] SA 1 entries");
 * // An SA-Request cut in its group address: tcpdump's long jump.
 * const request = new Uint8Array([2, 0, 8, 0, 224, 1]);
 * assert.deepEqual(msdpText(request, 8, 0), { text: ": msdp SA-Request [|msdp]", jump: true });
 * ```
 */
export function msdpText(
  data: Uint8Array,
  length: number,
  verbosity: number,
  datagram?: (bytes: Uint8Array, length: number) => Printed,
): Printed | null {
  const p = data;
  const o: Out = { s: ": msdp" };
  // The name in tcpdump's truncation mark: its ndo_protocol, which a carried packet's printers leave as theirs.
  let name = "msdp";
  // tcpdump's own checks: the mark without a long jump.
  const stop = () => ({ text: `${o.s} [|${name}]`, jump: false });
  try {
    // Is this the start of a message at all?
    const first = u8(p, 0), firstLen = u16(p, 1);
    if (firstLen > 1500 || firstLen < 3 || first === 0 || first > 7) return stop();
    let at = 0;
    while (length !== 0) {
      const type = u8(p, at), len = u16(p, at + 1);
      if (len > 1400 || verbosity) o.s += ` [len ${len}]`;
      if (len < 3 || length < len) return stop();
      // Nothing else is checked against the message's length: the reads below may run past it.
      const body = at + 3;
      switch (type) {
        case 1:
        case 3: {
          o.s += type === 1 ? " SA" : " SA-Response";
          const entries = u8(p, body);
          o.s += ` ${entries} entries`;
          const end = 8 + entries * 12;
          if (end < len) {
            o.s += " [w/data]";
            if (verbosity > 1) {
              o.s += " ";
              const inner = datagram?.(p.subarray(at + end), len - end);
              if (inner) {
                o.s += inner.text;
                // The carried packet's printer jumped out of everything, its mark printed.
                if (inner.jump) return { text: o.s, jump: true };
                name = carriedProtocol(p.subarray(at + end));
              }
            }
          }
          break;
        }
        case 2:
          o.s += " SA-Request";
          o.s += ` for ${ip4(p, body + 1)}`;
          break;
        case 4:
          o.s += " Keepalive";
          if (len !== 3) o.s += `[len=${len}] `;
          break;
        case 5:
          o.s += " Notification";
          break;
        default:
          o.s += ` [type=${type} len=${len}]`;
      }
      at += len;
      length -= len;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: `${o.s} [|${name}]`, jump: true };
  }
  return { text: o.s, jump: false };
}

// ---------------------------------------------------------------------------------------------------------
// RPKI-Router

/** The PDU header: version, type, session ID or error code, length. */
const RPKI_HEADER = 8;

const RPKI_TYPES: Record<number, string> = {
  0: "Serial Notify",
  1: "Serial Query",
  2: "Reset Query",
  3: "Cache Response",
  4: "IPV4 Prefix",
  6: "IPV6 Prefix",
  7: "End of Data",
  8: "Cache Reset",
  10: "Error Report",
};

const RPKI_ERRORS: Record<number, string> = {
  0: "Corrupt Data",
  1: "Internal Error",
  2: "No Data Available",
  3: "Invalid Request",
  4: "Unsupported Protocol Version",
  5: "Unsupported PDU Type",
  6: "Withdrawal of Unknown Record",
  7: "Duplicate Announcement Received",
};

/** tcpdump's indent_string: a newline, a tab for every 8 columns, a space for each one left. */
const indent = (n: number) => "\n" + "\t".repeat(n >> 3) + " ".repeat(n & 7);

/**
 * One PDU from `at` with `len` bytes left (tcpdump's rpki_rtr_pdu_print): the bytes it takes. The error
 * report's encapsulated PDU is printed one level deep (`recurse`).
 */
function rpkiPdu(
  p: Uint8Array,
  at: number,
  len: number,
  recurse: boolean,
  ind: number,
  v: number,
  o: Out,
): number {
  const version = u8(p, at);
  if (version !== 0) {
    // No way to know how long a PDU of another version is: the rest of the segment goes with it.
    o.s += `${indent(8)}RPKI-RTRv${version} (unknown)`;
    return len;
  }
  const invalid = () => {
    o.s += " (invalid)";
    need(p, at, len);
    return len;
  };
  if (len < RPKI_HEADER) {
    o.s += `(${len} bytes is too few to decode)`;
    return invalid();
  }
  need(p, at, RPKI_HEADER);
  const type = p[at + 1], pduLen = u32(p, at + 4);
  let dump = false;
  o.s += `${indent(8)}RPKI-RTRv0, ${RPKI_TYPES[type] ?? "Unknown"} PDU (${type}), length: ${pduLen}`;
  if (pduLen < RPKI_HEADER || pduLen > len) return invalid();
  const line = indent(ind + 2);
  switch (type) {
    case 0:
    case 1:
    case 7:
      if (pduLen !== RPKI_HEADER + 4) return invalid();
      o.s += `${line}Session ID: 0x${hex(u16(p, at + 2), 4)}, Serial: ${u32(p, at + 8)}`;
      break;
    case 2:
    case 8:
      if (pduLen !== RPKI_HEADER) return invalid();
      break;
    case 3:
      if (pduLen !== RPKI_HEADER) return invalid();
      o.s += `${line}Session ID: 0x${hex(u16(p, at + 2), 4)}`;
      break;
    case 4:
    case 6: {
      const size = type === 4 ? 4 : 16;
      if (pduLen !== RPKI_HEADER + 8 + size) return invalid();
      const addr = size === 4 ? ip4(p, at + 12) : ip6(p, at + 12);
      o.s += `${line}IPv${size === 4 ? 4 : 6} Prefix ${addr}/${u8(p, at + 9)}-${u8(p, at + 10)}, origin-as ${
        u32(p, at + 12 + size)
      }, flags 0x${hex(u8(p, at + 8), 2)}`;
      break;
    }
    case 10: {
      let tlen = RPKI_HEADER;
      if (pduLen < tlen + 4) return invalid();
      need(p, at, tlen + 4);
      const encapsulated = u32(p, at + tlen);
      tlen += 4;
      const code = u16(p, at + 2);
      o.s += `${line}Error code: ${
        RPKI_ERRORS[code] ?? "Unknown"
      } (${code}), Encapsulated PDU length: ${encapsulated}`;
      if (encapsulated) {
        // u_int sums in tcpdump: they wrap at 32 bits.
        if (pduLen < ((tlen + encapsulated) >>> 0)) return invalid();
        if (!recurse) need(p, at, (tlen + encapsulated) >>> 0);
        else {
          o.s += `${indent(ind + 4)}-----encapsulated PDU-----`;
          rpkiPdu(p, at + tlen, encapsulated, false, ind + 2, v, o);
        }
        tlen = (tlen + encapsulated) >>> 0;
      }
      if (pduLen < ((tlen + 4) >>> 0)) return invalid();
      need(p, at, (tlen + 4) >>> 0);
      const textLen = u32(p, at + tlen);
      tlen += 4;
      if (textLen) {
        if (pduLen < ((tlen + textLen) >>> 0)) return invalid();
        o.s += `${line}Error text: `;
        for (let k = 0; k < textLen; k++) o.s += textChar(u8(p, at + tlen + k));
      }
      break;
    }
    default:
      need(p, at, pduLen);
      dump = true;
  }
  if (v > 1 || (v && dump)) o.s += unknownData(p, at, "\n\t  ", pduLen);
  return pduLen;
}

/**
 * RPKI-Router over TCP (tcpdump's rpki_rtr_print): the text after `length N`.
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rpkiRtrText } from "./_ldp.ts";
 * const notify = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 12, 0, 0, 0, 5]);
 * assert.equal(rpkiRtrText(notify, 12, 0)?.text, ", RPKI-RTR");
 * assert.equal(
 *   rpkiRtrText(notify, 12, 1)?.text,
 *   "\n\tRPKI-RTRv0, Serial Notify PDU (0), length: 12\n\t  Session ID: 0x0001, Serial: 5",
 * );
 * ```
 */
export function rpkiRtrText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  if (!verbosity) return { text: ", RPKI-RTR", jump: false };
  const o: Out = { s: "" };
  try {
    let at = 0;
    while (length) {
      const n = rpkiPdu(data, at, length, true, 8, verbosity, o);
      length -= n;
      at += n;
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: o.s + " [|rpki_rtr]", jump: true };
  }
  return { text: o.s, jump: false };
}
