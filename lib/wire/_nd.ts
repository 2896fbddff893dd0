/**
 * Private: what tcpdump 4.99's print-icmp6.c adds with `-v` to the neighbour discovery messages (RFC 4861):
 * a router advertisement's fields, then each option on its own line (icmp6_opt_print):
 *
 * ```text
 * 	hop limit 64, Flags [managed], pref high, router lifetime 1800s, reachable time 0ms, retrans timer 0ms
 * 	  source link-address option (1), length 8 (1): 02:00:00:00:00:0c
 * 	  mtu option (5), length 8 (1):  1500
 * 	  prefix info option (3), length 32 (4): 2001:db8::/64, Flags [onlink, auto], valid time infinity, pref. time infinity
 * 	  rdnss option (25), length 24 (3):  lifetime 600s, addr: 2001:db8::53
 * ```
 *
 * With `-vv` every option is followed by a hex dump of its data (`0x0000:  0200 0000 000c`). An option
 * tcpdump does not know is dumped at `-v` too, and ends the list there. A zero option length, an option
 * running past the captured bytes or a field read past them gives tcpdump's ` [|icmp6]`.
 *
 * @module
 */
import { formatIpv6Address } from "./address.ts";
import { Cut, u16, u32, u8 } from "./_text.ts";
import { fqdnText } from "./_names.ts";

const OPTIONS: Record<number, string> = {
  1: "source link-address",
  2: "destination link-address",
  3: "prefix info",
  4: "redirected header",
  5: "mtu",
  7: "advertisement interval",
  8: "homeagent information",
  24: "route info",
  25: "rdnss",
  31: "dnssl",
};
const TRUNC = " [|icmp6]";
/** Where the options start in each message (after its fixed part). */
const OPTIONS_AT: Record<number, number> = { 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 };
const PREF = ["medium", "high", "rsv", "low"];

const flags = (v: number, names: [number, string][]) =>
  names.filter(([bit]) => (v & bit) !== 0).map(([, n]) => n).join(", ") || "none";
const lifetime = (v: number) => v === 0xffffffff ? "infinity" : `${v}s`;
const ip6 = (p: Uint8Array, at: number) => {
  u8(p, at + 15);
  return formatIpv6Address(p, at);
};

const NAMES: Record<number, string> = {
  133: "router solicitation",
  134: "router advertisement",
  135: "neighbor solicitation",
  136: "neighbor advertisement",
  137: "redirect",
};

/**
 * Whether {@link ndText} prints this ICMPv6 type.
 *
 * @param type the ICMPv6 type
 * @returns true for router and neighbour solicitations and advertisements and redirects
 */
export function isNd(type: number): boolean {
  return type in NAMES;
}

/**
 * tcpdump's text for a router solicitation, router advertisement, neighbour solicitation or advertisement,
 * or redirect, from `ICMP6, ` on (the checksum note before it is the caller's): the message's line and,
 * with `-v`, the lines after it. A message cut short reads as tcpdump prints it.
 *
 * @param msg the ICMPv6 message from its type byte (at least that byte), cut at the captured end and at the
 *   IPv6 payload's end
 * @param length the ICMPv6 length the IPv6 header gives
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, ending in ` [|icmp6]` when cut
 */
export function ndText(msg: Uint8Array, length: number, verbosity: number): string {
  const type = msg[0];
  const out = { s: `ICMP6, ${NAMES[type]}` };
  const verbose = verbosity > 0;
  // tcpdump prints the length of these messages first when it prints their options.
  if (verbose) out.s += `, length ${length}`;
  try {
    u8(msg, 1);
    let ok = true;
    if (type === 135) out.s += `, who has ${ip6(msg, 8)}`;
    else if (type === 136) {
      out.s += `, tgt is ${ip6(msg, 8)}`;
      if (verbose) {
        out.s += `, Flags [${
          flags(u32(msg, 4), [[0x80000000, "router"], [0x40000000, "solicited"], [0x20000000, "override"]])
        }]`;
      }
    } else if (type === 137) {
      const dst = ip6(msg, 24);
      out.s += `, ${dst} to ${ip6(msg, 8)}`;
    }
    if (verbose) {
      if (type === 134) {
        const f = u8(msg, 5);
        out.s += `\n\thop limit ${u8(msg, 4)}, Flags [${
          flags(f, [[0x80, "managed"], [0x40, "other stateful"], [0x20, "home agent"], [0x02, "ipv6 only"]])
        }], pref ${PREF[(f & 0x18) >> 3]}, router lifetime ${u16(msg, 6)}s, reachable time ${
          u32(msg, 8)
        }ms, retrans timer ${u32(msg, 12)}ms`;
      }
      const at = OPTIONS_AT[type];
      ok = options(msg, at, length - at, verbosity, out);
    } else out.s += `, length ${length}`;
    if (!ok) out.s += TRUNC;
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

/**
 * tcpdump's hex_print (as print_unknown_data calls it): 16 bytes a line in 2-byte groups, each line after
 * `indent`, no further than the captured bytes.
 *
 * @param p the captured bytes
 * @param at where the dump starts
 * @param n how many bytes to dump
 * @param indent what starts each line (a newline and tabs)
 * @returns the dump
 */
export function hexLines(p: Uint8Array, at: number, n: number, indent: string): string {
  n = Math.max(0, Math.min(n, p.length - at));
  let s = "";
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    if (k % 16 === 0) s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    s += ` ${hex2(p[at + k])}${hex2(p[at + k + 1])}`;
  }
  if (n & 1) {
    if (k % 16 === 0) s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    s += ` ${hex2(p[at + k])}`;
  }
  return s;
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/** The options from `at` (icmp6_opt_print); false where tcpdump returns its error. */
function options(p: Uint8Array, at: number, resid: number, verbosity: number, out: { s: string }): boolean {
  const base = at;
  while (at < p.length) {
    u8(p, at + 1);
    if (resid <= 0) return true;
    const type = p[at], units = p[at + 1];
    if (units === 0 || at + units * 8 > p.length) return false;
    const len = units * 8;
    out.s += `\n\t  ${OPTIONS[type] ?? "unknown"} option (${type}), length ${len} (${units}): `;
    switch (type) {
      case 1:
      case 2:
        for (let k = 2; k < len; k++) out.s += (k > 2 ? ":" : "") + hex2(p[at + k]);
        break;
      case 3:
        out.s += `${ip6(p, at + 16)}/${u8(p, at + 2)}${units !== 4 ? "badlen" : ""}, Flags [${
          flags(u8(p, at + 3), [[0x80, "onlink"], [0x40, "auto"], [0x20, "router"]])
        }], valid time ${lifetime(u32(p, at + 4))}`;
        out.s += `, pref. time ${lifetime(u32(p, at + 8))}`;
        break;
      case 4:
        // tcpdump dumps from the start of the options, not of this one.
        out.s += hexLines(p, base, len, "\n\t    ");
        break;
      case 5:
        out.s += ` ${u32(p, at + 4)}${units !== 1 ? "bad option length" : ""}`;
        break;
      case 25: {
        out.s += ` lifetime ${u32(p, at + 4)}s,`;
        for (let k = 0; k < Math.floor((units - 1) / 2); k++) out.s += ` addr: ${ip6(p, at + 8 + 16 * k)}`;
        break;
      }
      case 31: {
        out.s += ` lifetime ${u32(p, at + 4)}s, domain(s):`;
        for (let d = at + 8; d < at + len && u8(p, d) !== 0;) {
          out.s += " ";
          d = fqdnText(p, d, base, out);
          if (d < 0) return false;
        }
        break;
      }
      case 7:
        out.s += ` ${u32(p, at + 4)}ms`;
        break;
      case 8:
        out.s += ` preference ${u16(p, at + 4)}, lifetime ${u16(p, at + 6)}`;
        break;
      case 24: {
        u8(p, at + 7);
        if (units > 3) return false;
        const prefix = new Uint8Array(16);
        prefix.set(p.subarray(at + 8, at + 8 + (units - 1) * 8));
        out.s += ` ${formatIpv6Address(prefix)}/${u8(p, at + 2)}, pref=${
          PREF[(u8(p, at + 3) & 0x18) >> 3]
        }, lifetime=${lifetime(u32(p, at + 4))}`;
        break;
      }
      default:
        if (verbosity <= 1) {
          out.s += hexLines(p, at + 2, len - 2, "\n\t  ");
          return true;
        }
    }
    if (verbosity > 1) out.s += hexLines(p, at + 2, len - 2, "\n\t    ");
    at += len;
    resid -= len;
  }
  return true;
}
