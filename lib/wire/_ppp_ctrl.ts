/**
 * Private: tcpdump 4.99's text for PPP's control and authentication protocols carried in a PPP frame (its
 * handle_ctrl_proto, handle_pap and handle_chap in print-ppp.c).
 *
 * The control protocols (LCP, IPCP, OSICP, MPLSCP, IP6CP, CCP, BACP; RFC 1661 section 5) share one packet
 * shape, and one line says it; `-v` adds the Length field and what follows it:
 *
 * ```text
 * LCP, Conf-Request (0x01), id 1, length 16
 * 	encoded length 14 (=Option(s) length 10)
 * 	  MRU Option (0x01), length 4: 1492
 * 	  Magic-Num Option (0x05), length 6: 0x1234abcd
 * ```
 *
 * Quirks kept because tcpdump has them: the first line's `length` is the PPP payload's length on the wire
 * plus 2, not the Length field; `-vv` dumps the protocol and the 4-byte header, then each option's data; an
 * option is only checked against the whole packet's Length (one running past the remaining options is
 * printed, then marked `[remaining options length N < M] (invalid)`); some bogus option lengths end the list
 * and others do not; Protocol-Reject dumps 4 bytes more than its packet has (when captured), and an
 * Identification's message reads 4 bytes past the packet.
 *
 * tcpdump stops in two ways. Its own checks (a payload shorter than 4 bytes, a captured header shorter than
 * 2, an option header or trailing data not captured) print `[|LCP]`, `[|lcp]`, `[|ipcp]`, ... and nothing
 * else changes. A field read past the captured bytes makes it long-jump out: ` [|ppp]` ends the text, and
 * `-x` then dumps the whole frame; the result's `jump` says which happened.
 *
 * @module
 */
import { formatIpv4Address, formatMac } from "./address.ts";
import { hexLines } from "./_nd.ts";
import { Cut, type Out, textChar, u16, u8 } from "./_text.ts";
import { OUI_NAMES } from "./_oui.ts";
import { pppProtocolName } from "./ppp.ts";

const LCP = 0xc021, IPCP = 0x8021, IP6CP = 0x8057, CCP = 0x80fd, BACP = 0xc02b, PAP = 0xc023, CHAP = 0xc223;

/** The control protocols handle_ctrl_proto prints. */
const CTRL = new Set([LCP, IPCP, 0x8023, 0x8281, IP6CP, CCP, BACP]);

/** Control protocol codes (RFC 1661, 1570 for 12-13, 1962 for 14-15; 0 is RFC 2153's vendor extension). */
const CODES = [
  "Vendor-Extension",
  "Conf-Request",
  "Conf-Ack",
  "Conf-Nack",
  "Conf-Reject",
  "Term-Request",
  "Term-Ack",
  "Code-Reject",
  "Prot-Reject",
  "Echo-Request",
  "Echo-Reply",
  "Disc-Req",
  "Ident",
  "Time-Rem",
  "Reset-Req",
  "Reset-Ack",
];
const Code = {
  VEXT: 0,
  CONF_REQ: 1,
  CONF_ACK: 2,
  CONF_NAK: 3,
  CONF_REJ: 4,
  TERM_REQ: 5,
  TERM_ACK: 6,
  CODE_REJ: 7,
  PROT_REJ: 8,
  ECHO_REQ: 9,
  ECHO_RPL: 10,
  DISC_REQ: 11,
  ID: 12,
  TIME_REM: 13,
} as const;

/** LCP option names, 0-30 (tcpdump names every option below 31 and none above). */
const LCP_OPTIONS = [
  "Vend-Ext",
  "MRU",
  "ACCM",
  "Auth-Prot",
  "Qual-Prot",
  "Magic-Num",
  "deprecated(6)",
  "PFC",
  "ACFC",
  "FCS-Alt",
  "SDP",
  "Num-Mode",
  "deprecated(12)",
  "Call-Back",
  "deprecated(14)",
  "deprecated(15)",
  "deprecated(16)",
  "MRRU",
  "12-Bit seq #",
  "End-Disc",
  "Proprietary",
  "DCE-Id",
  "MP+",
  "Link-Disc",
  "LCP-Auth-Opt",
  "COBS",
  "Prefix-elision",
  "Multilink-header-Form",
  "I18N",
  "SDL-over-SONET/SDH",
  "PPP-Muxing",
];
const IPCP_OPTIONS: Readonly<Record<number, string>> = {
  1: "IP-Addrs",
  2: "IP-Comp",
  3: "IP-Addr",
  4: "Home-Addr",
  129: "Pri-DNS",
  130: "Pri-NBNS",
  131: "Sec-DNS",
  132: "Sec-NBNS",
};
const CCP_OPTIONS: Readonly<Record<number, string>> = {
  0: "OUI",
  1: "Pred-1",
  2: "Pred-2",
  3: "Puddle",
  16: "HP-PPC",
  17: "Stac-LZS",
  18: "MPPC",
  19: "Gand-FZA",
  20: "V.42bis",
  21: "BSD-Comp",
  23: "LZS-DCP",
  24: "MVRCA",
  25: "DEC",
  26: "Deflate",
  255: "Reserved",
};
const AUTH_ALGORITHMS: Readonly<Record<number, string>> = { 5: "MD5", 128: "MS-CHAPv1", 129: "MS-CHAPv2" };
const CALLBACK: Readonly<Record<number, string>> = {
  0: "UserAuth",
  1: "DialString",
  2: "LocalID",
  3: "E.164",
  4: "X.500",
  6: "CBCP",
};
/** Endpoint discriminator classes printed by name alone (RFC 1990; 2 and 3 carry an address). */
const DISCRIMINATOR_CLASSES: Readonly<Record<number, string>> = {
  0: "Null",
  1: "Local",
  4: "Magic-Num-Block",
  5: "PSNDN",
};
const CHAP_CODES: Readonly<Record<number, string>> = {
  1: "Challenge",
  2: "Response",
  3: "Success",
  4: "Fail",
};
const PAP_CODES: Readonly<Record<number, string>> = { 1: "Auth-Req", 2: "Auth-ACK", 3: "Auth-NACK" };

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex4 = (x: number) => x.toString(16).padStart(4, "0");
const hex8 = (x: number) => x.toString(16).padStart(8, "0");
const u24 = (p: Uint8Array, at: number) => (u8(p, at) << 16) | u16(p, at + 1);
const u32 = (p: Uint8Array, at: number) => ((u16(p, at) << 16) >>> 0) + u16(p, at + 2);

/** tcpdump's print_unknown_data: a dump of `n` bytes from `at`, no further than the captured bytes. */
function dump(p: Uint8Array, at: number, n: number, indent: string): string {
  if (at > p.length) {
    return `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
  }
  return hexLines(p, at, n, indent);
}

/** `n` bytes from `at` as tcpdump prints text; a byte not captured is its long jump. */
function chars(p: Uint8Array, at: number, n: number, o: Out): number {
  for (let k = 0; k < n; k++) o.s += textChar(u8(p, at++));
  return at;
}

/**
 * The text tcpdump prints for a PPP payload of protocol `protocol` when it is a control protocol (LCP,
 * IPCP, OSICP, MPLSCP, IP6CP, CCP, BACP), PAP or CHAP; null for any other protocol.
 *
 * @param protocol the PPP protocol number
 * @param b the captured bytes after the PPP header (all of them: tcpdump reads past the PPP length when a
 *   length field inside says so)
 * @param length their length on the wire (as the PPP frame says)
 * @param verbosity how many -v (0 for none)
 * @param mark the name in the mark a long jump prints (tcpdump's current protocol: `ppp`, or `ppp_hdlc`
 *   for link type PPP_SERIAL)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null when the protocol is none of these
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pppCtrlText } from "./_ppp_ctrl.ts";
 * const echo = new Uint8Array([9, 2, 0, 8, 0x12, 0x34, 0xab, 0xcd]);
 * assert.deepEqual(pppCtrlText(0xc021, echo, 8, 0), {
 *   text: "LCP, Echo-Request (0x09), id 2, length 10",
 *   jump: false,
 * });
 * // With -v the Length field is read: not captured, tcpdump long-jumps out.
 * const cut = pppCtrlText(0xc021, echo.subarray(0, 3), 8, 1);
 * assert.deepEqual(cut, { text: "LCP, Echo-Request (0x09), id 2, length 10 [|ppp]", jump: true });
 * assert.equal(pppCtrlText(0x0021, echo, 8, 0), null);
 * ```
 */
export function pppCtrlText(
  protocol: number,
  b: Uint8Array,
  length: number,
  verbosity: number,
  mark = "ppp",
): { text: string; jump: boolean } | null {
  const o: Out = { s: "" };
  try {
    if (CTRL.has(protocol)) ctrl(o, protocol, b, length, verbosity);
    else if (protocol === PAP) pap(o, b, length);
    else if (protocol === CHAP) chap(o, b, length);
    else return null;
    return { text: o.s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: `${o.s} [|${mark}]`, jump: true };
  }
}

/** handle_ctrl_proto. */
function ctrl(o: Out, protocol: number, b: Uint8Array, length: number, v: number): void {
  const name = pppProtocolName(protocol);
  o.s += `${name}, `;
  if (length < 4 || b.length < 2) {
    o.s += `[|${name}]`;
    return;
  }
  const code = b[0];
  o.s += `${CODES[code] ?? "Unknown Opcode"} (0x${hex2(code)}), id ${b[1]}, length ${length + 2}`;
  if (v === 0) return;
  const len = u16(b, 2);
  if (len < 4) {
    o.s += `\n\tencoded length ${len} (< 4))`;
    return;
  }
  if (len > length) {
    o.s += `\n\tencoded length ${len} (> packet length ${length}))`;
    return;
  }
  o.s += `\n\tencoded length ${len} (=Option(s) length ${len - 4})`;
  if (len === 4) return; // an empty Configure-Request and the like
  // Two dumps start at the protocol field, two bytes before the payload.
  const withProtocol = () => {
    const p = new Uint8Array(b.length + 2);
    p[0] = protocol >> 8;
    p[1] = protocol & 0xff;
    p.set(b, 2);
    return p;
  };
  if (v > 1) o.s += dump(withProtocol(), 0, 6, "\n\t");
  switch (code) {
    case Code.VEXT:
      if (len < 11) break;
      o.s += `\n\t  Magic-Num 0x${hex8(u32(b, 4))}`;
      o.s += ` Vendor: ${OUI_NAMES[u24(b, 8)] ?? "Unknown"} (${u24(b, 8)})`;
      break;
    case Code.CONF_REQ:
    case Code.CONF_ACK:
    case Code.CONF_NAK:
    case Code.CONF_REJ: {
      const printer = OPTION_PRINTERS[protocol];
      if (printer === undefined) break;
      let left = len - 4, at = 4;
      do {
        // Each option is checked against the whole packet's Length, then against what is left.
        const advance = printer(o, b, at, len, v);
        if (advance === 0) break;
        if (left < advance) {
          o.s += ` [remaining options length ${left} < ${advance}] (invalid)`;
          break;
        }
        left -= advance;
        at += advance;
      } while (left !== 0);
      break;
    }
    case Code.TERM_REQ:
    case Code.TERM_ACK:
    case Code.CODE_REJ:
      break;
    case Code.PROT_REJ: {
      if (len < 6) break;
      const rejected = u16(b, 4);
      o.s += `\n\t  Rejected ${pppProtocolName(rejected) ?? "unknown"} Protocol (0x${hex4(rejected)})`;
      if (len > 6) o.s += "\n\t  Rejected Packet" + dump(b, 6, len - 2, "\n\t    ");
      break;
    }
    case Code.ECHO_REQ:
    case Code.ECHO_RPL:
    case Code.DISC_REQ:
      if (len < 8) break;
      o.s += `\n\t  Magic-Num 0x${hex8(u32(b, 4))}`;
      if (len > 8) {
        o.s += "\n\t  -----trailing data-----";
        if (b.length < len) {
          o.s += `[|${name}]`;
          return;
        }
        o.s += dump(b, 8, len - 8, "\n\t  ");
      }
      break;
    case Code.ID:
      if (len < 8) break;
      o.s += `\n\t  Magic-Num 0x${hex8(u32(b, 4))}`;
      if (len > 8) {
        o.s += "\n\t  Message\n\t    ";
        // The message is len - 8 bytes; tcpdump reads len - 4, as far as it was captured.
        const n = Math.min(len - 4, b.length - 8);
        chars(b, 8, n, o);
        if (n < len - 4) o.s += `[|${name}]`;
      }
      break;
    case Code.TIME_REM:
      if (len < 12) break;
      o.s += `\n\t  Magic-Num 0x${hex8(u32(b, 4))}`;
      o.s += `, Seconds-Remaining ${u32(b, 8)}s`;
      break;
    default:
      if (v <= 1) o.s += dump(withProtocol(), 0, len + 2, "\n\t  ");
  }
}

/**
 * One option printer: prints the option at `at` and returns how far to advance, 0 to end the list.
 * `total` is the packet's Length field.
 */
type OptionPrinter = (o: Out, b: Uint8Array, at: number, total: number, v: number) => number;

/**
 * What the option printers share: the header checks, the `Name Option (0x..), length N` line, the
 * protocol's own `body` (a number returned is the printer's result, before any -vv dump), and with -vv a
 * dump of the data from `p.at + 2` (IPCP's header compression moves it).
 */
function optionPrinter(
  mark: string,
  names: (opt: number) => string,
  body: (o: Out, b: Uint8Array, p: { at: number }, opt: number, len: number, v: number) => number | null,
): OptionPrinter {
  return (o, b, at, total, v) => {
    if (total < 2) return 0;
    if (b.length < at + 2) return trunc(o, mark);
    const opt = b[at], len = b[at + 1];
    if (total < len) return 0;
    const head = `\n\t  ${names(opt)} Option (0x${hex2(opt)}), length ${len}`;
    if (len < 2) {
      o.s += `${head} (length bogus, should be >= 2)`;
      return 0;
    }
    o.s += head;
    const p = { at };
    const r = body(o, b, p, opt, len, v);
    if (r !== null) return r;
    if (v > 1) o.s += dump(b, p.at + 2, len - 2, "\n\t    ");
    return len;
  };
}

/** Appends ` (length bogus, should be ...)` and returns `result`, the printer's. */
function bogus(o: Out, should: string, result: number): number {
  o.s += ` (length bogus, should be ${should})`;
  return result;
}

/** An option printer's own truncation mark (its `goto trunc`, no long jump): ends the list. */
function trunc(o: Out, mark: string): number {
  o.s += `[|${mark}]`;
  return 0;
}

/** The dump of an option tcpdump has no printer for (with -vv the common dump does it). */
function unknownData(o: Out, b: Uint8Array, at: number, len: number, v: number): null {
  if (v < 2) o.s += dump(b, at + 2, len - 2, "\n\t    ");
  return null;
}

const lcpOptionBody = (o: Out, b: Uint8Array, p: { at: number }, opt: number, len: number, v: number) => {
  const at = p.at;
  switch (opt) {
    case 0: // vendor extension
      if (len < 6) return bogus(o, ">= 6", len);
      o.s += `: Vendor: ${OUI_NAMES[u24(b, at + 2)] ?? "Unknown"} (${u24(b, at + 2)})`;
      return null;
    case 1: // MRU
      if (len !== 4) return bogus(o, "= 4", len);
      o.s += `: ${u16(b, at + 2)}`;
      return null;
    case 2: // ACCM
      if (len !== 6) return bogus(o, "= 6", len);
      o.s += `: 0x${hex8(u32(b, at + 2))}`;
      return null;
    case 3: { // authentication protocol
      if (len < 4) return bogus(o, ">= 4", len);
      const proto = u16(b, at + 2);
      // tcpdump's format for an unknown one lacks its %: the text is literal.
      o.s += `: ${pppProtocolName(proto) ?? "Unknown Auth Proto (0x04x)"}`;
      if (proto === CHAP) {
        const alg = u8(b, at + 4);
        o.s += `, ${AUTH_ALGORITHMS[alg] ?? `Unknown Auth Alg ${alg}`}`;
      } else if (proto !== PAP && proto !== 0xc227 && proto !== 0xc027 && proto !== 0xc123) {
        o.s += dump(b, at, len, "\n\t");
      }
      return null;
    }
    case 4: // quality protocol
      if (len < 4) return bogus(o, ">= 4", 0);
      o.s += u16(b, at + 2) === 0xc025 ? ": LQR" : ": unknown";
      return null;
    case 5: // magic number
      if (len !== 6) return bogus(o, "= 6", 0);
      o.s += `: 0x${hex8(u32(b, at + 2))}`;
      return null;
    case 7: // PFC
    case 8: // ACFC
      return null;
    case 23: // link discriminator
      if (len !== 4) return bogus(o, "= 4", 0);
      o.s += `: 0x${hex4(u16(b, at + 2))}`;
      return null;
    case 13: { // callback
      if (len < 3) return bogus(o, ">= 3", 0);
      o.s += ": ";
      const op = u8(b, at + 2);
      o.s += `: Callback Operation ${CALLBACK[op] ?? "Unknown"} (${op})`;
      return null;
    }
    case 17: // MRRU
      if (len !== 4) return bogus(o, "= 4", 0);
      o.s += `: ${u16(b, at + 2)}`;
      return null;
    case 19: { // endpoint discriminator
      if (len < 3) return bogus(o, ">= 3", 0);
      const cls = u8(b, at + 2);
      if (cls === 2) {
        if (len !== 7) return bogus(o, "= 7", 0);
        u32(b, at + 3); // all of the address captured, or the jump before any of the text
        o.s += `: IPv4 ${formatIpv4Address(b, at + 3)}`;
      } else if (cls === 3) {
        if (len !== 9) return bogus(o, "= 9", 0);
        u16(b, at + 7); // the same for the MAC address
        o.s += `: MAC ${formatMac(b, at + 3)}`;
      } else {
        o.s += `: ${DISCRIMINATOR_CLASSES[cls] ?? `Unknown class ${cls}`}`;
      }
      return null;
    }
    default:
      return unknownData(o, b, at, len, v);
  }
};

/** print_lcp_config_options: like the others, except that an option above 30 is one line and no dump. */
const lcpOptions: OptionPrinter = (o, b, at, total, v) => {
  if (total >= 2 && b.length >= at + 2 && b[at] >= LCP_OPTIONS.length && total >= b[at + 1]) {
    o.s += `\n\tunknown LCP option 0x${hex2(b[at])}`;
    return b[at + 1] < 2 ? 0 : b[at + 1];
  }
  return lcpPrinter(o, b, at, total, v);
};
const lcpPrinter = optionPrinter("lcp", (opt) => LCP_OPTIONS[opt], lcpOptionBody);

const IPCOMP_HDRCOMP = 0x61, IPCOMP_MIN = 14;

const ipcpPrinter = optionPrinter(
  "ipcp",
  (opt) => IPCP_OPTIONS[opt] ?? "unknown",
  (o, b, p, opt, len, v) => {
    const at = p.at;
    switch (opt) {
      case 1: // two addresses (deprecated)
        if (len !== 10) return bogus(o, "= 10", len);
        u32(b, at + 6); // both addresses captured, or the jump before any of the text
        o.s += `: src ${formatIpv4Address(b, at + 2)}, dst ${formatIpv4Address(b, at + 6)}`;
        return null;
      case 2: { // IP compression protocol
        if (len < 4) return bogus(o, ">= 4", 0);
        const proto = u16(b, at + 2);
        const protoName = proto === 0x002d
          ? "VJ-Comp"
          : proto === IPCOMP_HDRCOMP
          ? "IP Header Compression"
          : "Unknown";
        o.s += `: ${protoName} (0x${hex2(proto)}):`;
        if (proto !== IPCOMP_HDRCOMP) return null;
        if (len < IPCOMP_MIN) return bogus(o, `>= ${IPCOMP_MIN}`, 0);
        // tcpdump checks 14 bytes from the protocol on, two more than the parameters take.
        if (b.length < at + 2 + IPCOMP_MIN) return trunc(o, "ipcp");
        o.s += `\n\t    TCP Space ${u16(b, at + 4)}, non-TCP Space ${u16(b, at + 6)}, maxPeriod ${
          u16(b, at + 8)
        }, maxTime ${u16(b, at + 10)}, maxHdr ${u16(b, at + 12)}`;
        if (len > IPCOMP_MIN) {
          let left = len - IPCOMP_MIN;
          p.at += IPCOMP_MIN; // and the -vv dump starts 2 bytes after where the suboptions end
          o.s += `\n\t      Suboptions, length ${left}`;
          while (left >= 2) {
            if (b.length < p.at + 2) return trunc(o, "ipcp");
            const sub = b[p.at], subLen = b[p.at + 1];
            if (sub === 0 || subLen === 0) break;
            const subName = sub === 1
              ? "RTP-Compression"
              : sub === 2
              ? "Enhanced RTP-Compression"
              : "Unknown";
            o.s += `\n\t\t${subName} Suboption #${sub}, length ${subLen}`;
            if (left < subLen) {
              o.s += ` [remaining suboptions length ${left} < ${subLen}] (invalid)`;
              break;
            }
            left -= subLen;
            p.at += subLen;
          }
        }
        return null;
      }
      case 3:
      case 4:
      case 129:
      case 130:
      case 131:
      case 132: // one address each
        if (len !== 6) return bogus(o, "= 6", 0);
        u32(b, at + 2);
        o.s += `: ${formatIpv4Address(b, at + 2)}`;
        return null;
      default:
        return unknownData(o, b, at, len, v);
    }
  },
);

const ip6cpPrinter = optionPrinter(
  "ip6cp",
  (opt) => opt === 1 ? "Interface-ID" : "unknown",
  (o, b, p, opt, len, v) => {
    const at = p.at;
    if (opt !== 1) return unknownData(o, b, at, len, v);
    if (len !== 10) return bogus(o, "= 10", len);
    if (b.length < at + 10) return trunc(o, "ip6cp");
    o.s += `: ${hex4(u16(b, at + 2))}:${hex4(u16(b, at + 4))}:${hex4(u16(b, at + 6))}:${
      hex4(u16(b, at + 8))
    }`;
    return null;
  },
);

const ccpPrinter = optionPrinter(
  "ccp",
  (opt) => CCP_OPTIONS[opt] ?? "Unknown",
  (o, b, p, opt, len, v) => {
    const at = p.at;
    switch (opt) {
      case 21: { // BSD compress
        if (len < 3) return bogus(o, ">= 3", len);
        const x = u8(b, at + 2);
        o.s += `: Version: ${x >> 5}, Dictionary Bits: ${x & 0x1f}`;
        return null;
      }
      case 24: { // MVRCA
        if (len < 4) return bogus(o, ">= 4", len);
        const x = u8(b, at + 2), ctx = u8(b, at + 3);
        o.s += `: Features: ${x >> 6}, PxP: ${x & 0x20 ? "Enabled" : "Disabled"}, History: ${
          x & 0x1f
        }, #CTX-ID: ${ctx}`;
        return null;
      }
      case 26: { // deflate
        if (len < 4) return bogus(o, ">= 4", len);
        const x = u8(b, at + 2), y = u8(b, at + 3);
        o.s += `: Window: ${x >> 4}K, Method: ${(x & 0x0f) === 8 ? "zlib" : "unknown"} (0x${
          (x & 0x0f).toString(16)
        }), MBZ: ${y >> 2}, CHK: ${y & 3}`;
        return null;
      }
      default:
        return unknownData(o, b, at, len, v);
    }
  },
);

const bacpPrinter = optionPrinter(
  "bacp",
  (opt) => opt === 1 ? "Favored-Peer" : "Unknown",
  (o, b, p, opt, len, v) => {
    const at = p.at;
    if (opt !== 1) return unknownData(o, b, at, len, v);
    if (len !== 6) return bogus(o, "= 6", len);
    o.s += `: Magic-Num 0x${hex8(u32(b, at + 2))}`;
    return null;
  },
);

const OPTION_PRINTERS: Readonly<Record<number, OptionPrinter>> = {
  [LCP]: lcpOptions,
  [IPCP]: ipcpPrinter,
  [IP6CP]: ip6cpPrinter,
  [CCP]: ccpPrinter,
  [BACP]: bacpPrinter,
};

/** handle_chap (RFC 1994): code, id, then a challenge's or response's value and name, or a message. */
function chap(o: Out, b: Uint8Array, length: number): void {
  if (length < 1) {
    o.s += "[|chap]";
    return;
  }
  if (length < 4) {
    o.s += `[|chap 0x${hex2(u8(b, 0))}]`;
    return;
  }
  const code = u8(b, 0);
  o.s += `CHAP, ${CHAP_CODES[code] ?? "unknown"} (0x${hex2(code)})`;
  o.s += `, id ${u8(b, 1)}`;
  const len = u16(b, 2);
  // The name and message run to the Length field, unchecked: one shorter than the header makes tcpdump's
  // unsigned count huge, and it reads on to the captured end.
  const to = (at: number) => len >= at ? len - at : Infinity;
  if (code === 1 || code === 2) {
    if (length - 4 < 1) return;
    const size = u8(b, 4);
    if (length - 5 < size) return;
    o.s += ", Value ";
    for (let k = 0; k < size; k++) o.s += hex2(u8(b, 5 + k));
    o.s += ", Name ";
    chars(b, 5 + size, to(5 + size), o);
  } else if (code === 3 || code === 4) {
    o.s += ", Msg ";
    chars(b, 4, to(4), o);
  }
}

/** handle_pap (RFC 1334): code, id, then a request's peer and password, or an ack's or nak's message. */
function pap(o: Out, b: Uint8Array, length: number): void {
  if (length < 1) {
    o.s += "[|pap]";
    return;
  }
  if (length < 4) {
    o.s += `[|pap 0x${hex2(u8(b, 0))}]`;
    return;
  }
  const code = u8(b, 0);
  o.s += `PAP, ${PAP_CODES[code] ?? "unknown"} (0x${hex2(code)})`;
  o.s += `, id ${u8(b, 1)}`;
  const len = u16(b, 2);
  if (len > length) {
    o.s += `, length ${len} > packet size`;
    return;
  }
  if (len < 4) {
    o.s += `, length ${len} < PAP header length`;
    return;
  }
  /** A counted string at `at` printed after `label`: the offset after it, or -1 when it does not fit. */
  const counted = (at: number, label: string) => {
    if (len - at < 1) return -1;
    const n = u8(b, at++);
    if (len - at < n) return -1;
    o.s += label;
    return chars(b, at, n, o);
  };
  if (code === 1) {
    if (len < 6) {
      o.s += "[|pap]";
      return;
    }
    const at = counted(4, ", Peer ");
    if (at >= 0) counted(at, ", Name ");
  } else if (code === 2 || code === 3) {
    if (len < 5) {
      o.s += "[|pap]";
      return;
    }
    counted(4, ", Msg ");
  }
}
