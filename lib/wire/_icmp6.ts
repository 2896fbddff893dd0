/**
 * Private: tcpdump's text for the ICMPv6 messages other than errors (types 1-4), echo (128, 129) and
 * neighbour discovery (133-137, in _nd.ts): multicast listener discovery (MLDv1, RFC 2710; MLDv2, RFC 3810),
 * router renumbering (RFC 2894), node information queries (RFC 4620), inverse ND (RFC 3122), home agent
 * address discovery and mobile prefixes (RFC 6275), RPL (RFC 6550), mtrace and unknown types, as
 * print-icmp6.c in tcpdump 4.99.3 prints them:
 *
 * ```text
 * ICMP6, multicast listener report v2, 2 group record(s) [gaddr ff3e::1 is_in { 2001:db8::1 }] [gaddr ...]
 * ICMP6, who-are-you request node information query (DNS name, subject=2001:db8::1), length 32
 * ICMP6, RPL, (CLR)DODAG Information Object [dagid:fd00::1,seq:7,instance:1,rank:256,mop:storing,prf:0]
 * ICMP6, unknown icmp6 type (148), length 12
 * 	0x0000:  9400 6e1c 0001 ffff 0001 0000
 * ```
 *
 * tcpdump stops a message in two ways, and its `-x` shows which: a field read past the captured bytes jumps
 * out of the printer (`[|icmp6]`, then `-x` dumps the whole frame), modelled here by {@link Cut}; its own
 * length checks print their mark and carry on (a trailing `, length N` may still follow). Some checks look
 * at the captured size rather than the message's length (node information, MLDv1), as tcpdump's do.
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { Cut, textChar, u16, u32, u8 } from "./_text.ts";
import { hexLines, ndText } from "./_nd.ts";

const NAMES: Readonly<Record<number, string>> = {
  130: "multicast listener query",
  131: "multicast listener report",
  132: "multicast listener done",
  138: "router renumbering",
  // tcpdump's table names 139 and 140 twice; its lookup finds the KAME names first.
  139: "who-are-you request",
  140: "who-are-you reply",
  141: "inverse neighbor solicitation",
  142: "inverse neighbor advertisement",
  143: "multicast listener report v2",
  144: "ha discovery request",
  145: "ha discovery reply",
  146: "mobile router solicitation",
  147: "mobile router advertisement",
  155: "RPL",
  200: "mtrace response",
  201: "mtrace message",
};
/** The types the caller prints itself (errors, echo) or hands to _nd.ts. */
const ELSEWHERE = new Set([1, 2, 3, 4, 128, 129, 133, 134, 135, 136, 137]);
const TRUNC = " [|icmp6]";
const RECORD_TYPES = ["", "is_in", "is_ex", "to_in", "to_ex", "allow", "block"];
const RR_CODES: Readonly<Record<number, string>> = {
  0: "command",
  1: "result",
  255: "sequence number reset",
};
const MATCH_CODES = ["", "add", "change", "setglobal"];
const RPL_MOPS = ["nonstoring", "storing", "nonstoring-multicast", "storing-multicast"];
const RPL_OPTIONS: Readonly<Record<number, string>> = {
  1: "padN",
  2: "metrics",
  3: "routinginfo",
  4: "config",
  5: "rpltarget",
  6: "transitinfo",
  8: "destprefix",
  9: "rpltargetdesc",
};

/** The text so far and the verbosity it is printed at. */
interface State {
  s: string;
  v: number;
}

const ip6 = (p: Uint8Array, at: number) => {
  u8(p, at + 15);
  return formatIpv6Address(p, at);
};
const hex4 = (v: number) => v.toString(16).padStart(4, "0");
/**
 * MLDv2's floating-point codes (RFC 3810 5.1.3, 5.1.9): below the top bit the value itself; else a 3-bit
 * exponent under the top bit and a mantissa (12 bits in the 16-bit Maximum Response Code, 4 in the 8-bit
 * QQIC), read as `(mant | 1 << mantBits) << (exp + 3)`.
 */
const mldFloat = (v: number, bits: 8 | 16) => {
  if (v < 1 << (bits - 1)) return v;
  const mantBits = bits - 4;
  return ((v & ((1 << mantBits) - 1)) | (1 << mantBits)) << (((v >> mantBits) & 7) + 3);
};

/**
 * tcpdump's text for an ICMPv6 message, from `ICMP6, ` on (the `-v` checksum note before it is the
 * caller's).
 *
 * @param b the captured bytes from the ICMPv6 header on (possibly fewer than its 8 bytes), no further than
 *   the message's end
 * @param length the message's length on the wire
 * @param verbosity how many -v (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null for types 1-4, 128, 129 and 133-137, which the caller prints
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { icmp6Text } from "./_icmp6.ts";
 * const done = new Uint8Array(24);
 * done.set([132, 0, 0, 0, 0, 0, 0, 0, 0xff, 2]);
 * done[23] = 0xfb;
 * assert.deepEqual(icmp6Text(done, 24, 0), {
 *   text: "ICMP6, multicast listener donemax resp delay: 0 addr: ff02::fb, length 24",
 *   jump: false,
 * });
 * assert.equal(icmp6Text(new Uint8Array([128, 0]), 8, 0), null);
 * ```
 */
export function icmp6Text(
  b: Uint8Array,
  length: number,
  verbosity: number,
): { text: string; jump: boolean } | null {
  const type = b[0];
  if (type === undefined || ELSEWHERE.has(type)) return null;
  const st: State = { s: `ICMP6, ${NAMES[type] ?? `unknown icmp6 type (${type})`}`, v: verbosity };
  const verbose = verbosity > 0;
  try {
    // tcpdump prints these two lengths early, for the -v text that follows.
    if (verbose && (type === 145 || type === 147)) st.s += `, length ${length}`;
    const code = u8(b, 1);
    switch (type) {
      case 130:
        if (length === 24) mld1(b, st);
        else if (length >= 28) mld2Query(b, length, st);
        else st.s += ` unknown-version (len ${length}) `;
        break;
      case 131:
      case 132:
        mld1(b, st);
        break;
      case 138:
        renumbering(b, code, st);
        break;
      case 139:
      case 140:
        nodeInfo(b, type, code, length, st);
        break;
      case 141:
      case 142:
        break;
      case 143:
        mld2Report(b, length, st);
        break;
      case 144:
      case 146:
        st.s += `, id 0x${hex4(u16(b, 4))}`;
        break;
      case 145:
        if (verbose) {
          st.s += `, id 0x${hex4(u16(b, 4))}`;
          for (let at = 8; at < length; at += 16) st.s += `, ${ip6(b, at)}`;
        }
        break;
      case 147:
        if (verbose) mobilePrefixAdvert(b, length, st);
        break;
      case 155:
        rpl(b, code, (length - 4) >>> 0, st);
        break;
      default:
        // Unknown, and known but not dissected (mtrace): the length, then the message in hex.
        st.s += `, length ${length}`;
        if (verbosity <= 1) st.s += hexLines(b, 0, length, "\n\t");
        return { text: st.s, jump: false };
    }
    if (!verbose) st.s += `, length ${length}`;
    return { text: st.s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: st.s + TRUNC, jump: true };
  }
}

/** MLDv1 (and a query of exactly 24 bytes): nothing at all unless the whole 24 bytes were captured. */
function mld1(b: Uint8Array, st: State): void {
  if (b.length < 24) return;
  st.s += `max resp delay: ${u16(b, 4)} addr: ${ip6(b, 8)}`;
}

function mld2Query(b: Uint8Array, length: number, st: State): void {
  st.s += " v2";
  const mrt = mldFloat(u16(b, 4), 16);
  if (st.v) st.s += ` [max resp delay=${mrt}]`;
  st.s += ` [gaddr ${ip6(b, 8)}`;
  if (st.v) {
    const flags = u8(b, 24);
    if (flags & 0x08) st.s += " sflag";
    if (flags & 0x07) st.s += ` robustness=${flags & 0x07}`;
    st.s += ` qqi=${mldFloat(u8(b, 25), 8)}`;
  }
  const n = u16(b, 26);
  if (n > 0) {
    if (length < 28 + n * 16) st.s += " [invalid number of sources]";
    else if (st.v > 1) sources(b, 28, n, st);
    else st.s += `, ${n} source(s)`;
  }
  st.s += "]";
}

/** ` { a b c }`, printed as read: a source cut short leaves the ones before it. */
function sources(b: Uint8Array, at: number, n: number, st: State): void {
  st.s += " {";
  for (let k = 0; k < n; k++) st.s += ` ${ip6(b, at + 16 * k)}`;
  st.s += " }";
}

function mld2Report(b: Uint8Array, length: number, st: State): void {
  if (length < 8) {
    st.s += ` [invalid len ${length}]`;
    return;
  }
  const groups = u16(b, 6);
  st.s += `, ${groups} group record(s)`;
  if (!st.v) return;
  // tcpdump steps over each record's sources but not over its auxiliary data.
  for (let k = 0, at = 8; k < groups; k++) {
    if (length < at + 20) {
      st.s += " [invalid number of groups]";
      return;
    }
    st.s += ` [gaddr ${ip6(b, at + 4)}`;
    const t = u8(b, at);
    st.s += ` ${RECORD_TYPES[t] || ` [v2-report-#${t}]`}`;
    const n = u16(b, at + 2);
    if (length < at + 20 + n * 16) {
      st.s += ` [invalid number of sources ${n}]`;
      return;
    }
    if (st.v === 1) st.s += `, ${n} source(s)`;
    else sources(b, at + 20, n, st);
    at += 20 + n * 16;
    st.s += "]";
  }
}

/** Router renumbering: the header, then for a command its match-prefix part and use-prefix parts. */
function renumbering(b: Uint8Array, code: number, st: State): void {
  if (b.length < 16) {
    st.s += TRUNC;
    return;
  }
  st.s += `, ${RR_CODES[code] ?? `code-#${code}`}, seq=${u32(b, 4)}`;
  const sep = st.v > 1 ? "\n\t" : " ";
  if (st.v) {
    const f = b[9];
    st.s += "[";
    if (f) {
      st.s += `${f & 0x80 ? "T" : ""}${f & 0x40 ? "R" : ""}${f & 0x20 ? "A" : ""}${f & 0x10 ? "S" : ""}${
        f & 0x08 ? "P" : ""
      },`;
    }
    st.s += `seg=${b[8]},maxdelay=${u16(b, 10)}`;
    if (u32(b, 12)) st.s += `rsvd=0x${u32(b, 12).toString(16)}`;
    st.s += "]";
  }
  if (code !== 0) return;
  if (b.length < 40) {
    st.s += TRUNC;
    return;
  }
  st.s += `${sep}match(${MATCH_CODES[b[16]] || `#${b[16]}`}`;
  if (st.v) st.s += `,ord=${b[18]},min=${b[20]},max=${b[21]}`;
  st.s += `,${formatIpv6Address(b, 24)}/${b[19]})`;
  // The match part's length in 8-byte units covers itself (3) and 4 per use part.
  const n = b[17] - 3;
  if (n % 4) {
    st.s += TRUNC;
    return;
  }
  for (let at = 40, k = n / 4; k-- > 0; at += 32) {
    if (b.length < at + 32) {
      st.s += TRUNC;
      return;
    }
    st.s += `${sep}use(`;
    // tcpdump tests the first byte of the 32-bit flags against host-order masks: V and P are its top bits.
    const f = b[at + 12];
    if (f) st.s += `${f & 0x80 ? "V" : ""}${f & 0x40 ? "P" : ""},`;
    if (st.v) {
      const vl = u32(b, at + 4), pl = u32(b, at + 8);
      st.s += `mask=0x${b[at + 2].toString(16)},raflags=0x${b[at + 3].toString(16)},` +
        `vltime=${vl === 0xffffffff ? "infty" : vl},pltime=${pl === 0xffffffff ? "infty" : pl},`;
    }
    st.s += `${formatIpv6Address(b, at + 16)}/${b[at]}/${b[at + 1]})`;
  }
}

/**
 * Node information query and reply. tcpdump judges sizes by the captured bytes (`siz`), not by the message's
 * length, and marks a message shorter than its 16-byte header without a jump.
 */
function nodeInfo(b: Uint8Array, type: number, code: number, length: number, st: State): void {
  const siz = b.length;
  if (type === 139) {
    // A KAME who-are-you request: the header and a 4-byte nonce.
    if (siz === 12) {
      st.s += " who-are-you request";
      return;
    }
    st.s += " node information query";
    if (siz < 16) {
      st.s += TRUNC;
      return;
    }
    const qtype = u16(b, 4), flags = u16(b, 6);
    st.s += " (" + (QUERY_TYPES[qtype] ?? "unknown");
    if (qtype === 1 && flags) st.s += ` [${flags & 1 ? "C" : ""}]`;
    if (qtype === 3 && flags) st.s += ` [${addressFlags(flags, false)}]`;
    if (qtype === 0 || qtype === 1) {
      if (siz !== 16 && st.v) st.s += ", invalid len";
    } else if (siz === 16) st.s += ", 03 draft";
    else if (code === 0) {
      if (siz === 32) st.s += `, subject=${formatIpv6Address(b, 16)}`;
      else if (siz > 32 && st.v) st.s += ", invalid subject len";
    } else if (code === 1) {
      st.s += ", subject=DNS name";
      name(b, 16, st);
    } else if (code === 2) {
      if (siz === 20) st.s += `, subject=${formatIpv4Address(b, 16)}`;
      else if (siz > 20 && st.v) st.s += ", invalid subject len";
    } else st.s += ", unknown subject";
    st.s += ")";
    return;
  }
  if (length > siz || siz < 16) {
    st.s += TRUNC;
    return;
  }
  st.s += " node information reply (";
  let comma = false;
  if (code === 0 && st.v) {
    st.s += "success";
    comma = true;
  } else if (code === 1 || code === 2) {
    st.s += code === 1 ? "refused" : "unknown";
    comma = true;
    if (siz !== 16 && st.v) st.s += ", invalid length";
  }
  if (code !== 0) {
    st.s += ")";
    return;
  }
  const qtype = u16(b, 4), flags = u16(b, 6);
  st.s += (comma ? ", " : "") + (QUERY_TYPES[qtype] ?? "unknown");
  if (qtype === 0 && siz !== 16 && st.v) st.s += ", invalid length";
  else if (qtype === 1 && flags) st.s += ` [${flags & 1 ? "C" : ""}]`;
  else if (qtype === 2) {
    name(b, 20, st);
    if (flags & 1) st.s += ` [TTL=${u32(b, 16)}]`;
  } else if (qtype === 3) {
    // Each address follows its 32-bit TTL.
    for (let at = 16; at + 20 <= siz; at += 20) st.s += ` ${formatIpv6Address(b, at + 4)}(${u32(b, at)})`;
    if (flags) st.s += ` [${addressFlags(flags, true)}]`;
  }
  st.s += ")";
}

const QUERY_TYPES: Readonly<Record<number, string>> = {
  0: "noop",
  1: "supported qtypes",
  2: "DNS name",
  3: "node addresses",
};

/** The node addresses flags (RFC 4620 6.3), T only in a reply. */
function addressFlags(f: number, reply: boolean): string {
  return (f & 0x40 ? "a" : "") + (f & 0x20 ? "G" : "") + (f & 0x10 ? "S" : "") + (f & 0x08 ? "L" : "") +
    (f & 0x04 ? "C" : "") + (f & 0x02 ? "A" : "") + (reply && f & 0x01 ? "T" : "");
}

/**
 * A name in a node information message to the captured end: a length byte equal to the rest is the
 * icmp-name-lookup-03 draft's single string; otherwise DNS labels, not decompressed (tcpdump's
 * dnsname_print), `???` where a label runs past the end or something follows the root.
 */
function name(b: Uint8Array, at: number, st: State): void {
  const end = b.length;
  if (u8(b, at) === end - at - 1) {
    if (st.v) st.s += ", 03 draft";
    st.s += `, "${[...b.subarray(at + 1, end)].map(textChar).join("")}"`;
    return;
  }
  st.s += ', "';
  while (at < end) {
    const n = b[at++];
    if (n) {
      if (n > end - at) {
        st.s += "???";
        break;
      }
      for (let k = 0; k < n; k++) st.s += textChar(b[at++]);
      if (at + 1 < end && b[at]) st.s += ".";
    } else {
      if (at === end) st.s += ".";
      else if (at + 1 !== end || b[at] !== 0) st.s += "???";
      break;
    }
  }
  st.s += '"';
}

/**
 * A mobile prefix advertisement: its id, M and O flags, then its options as neighbour discovery prints
 * them (the same printer in tcpdump; borrowed here by printing the message as a router solicitation,
 * whose options also start at byte 8, and keeping what follows that message's first line).
 */
function mobilePrefixAdvert(b: Uint8Array, length: number, st: State): void {
  st.s += `, id 0x${hex4(u16(b, 4))}`;
  const f = u16(b, 6);
  st.s += `${f & 0xc000 ? " " : ""}${f & 0x8000 ? "M" : ""}${f & 0x4000 ? "O" : ""}`;
  const copy = b.slice();
  copy[0] = 133;
  const rs = ndText(copy, length, st.v);
  st.s += rs.slice(`ICMP6, router solicitation, length ${length}`.length);
}

/** RPL (RFC 6550 section 6), from the ICMPv6 header's fourth byte on, as tcpdump's rpl_print. */
function rpl(b: Uint8Array, code: number, length: number, st: State): void {
  if (code & 0x80) {
    st.s += ", (SEC) [worktodo]";
    return;
  }
  st.s += ", (CLR)";
  switch (code) {
    case 0:
      st.s += "DODAG Information Solicitation";
      break;
    case 1:
      st.s += "DODAG Information Object";
      if (st.v) dio(b, length, st);
      break;
    case 2:
      st.s += "Destination Advertisement Object";
      if (st.v) dao(b, length, st);
      break;
    case 3:
      st.s += "Destination Advertisement Object Ack";
      if (st.v) daoAck(b, length, st);
      break;
    default:
      st.s += `RPL message, unknown code ${code}`;
  }
}

/** A DODAG Information Object: 24 bytes from byte 4 (instance, version, rank, flags, DTSN, DODAGID). */
function dio(b: Uint8Array, length: number, st: State): void {
  if (length < 24) {
    st.s += ` [length ${length} < 24] (invalid)`;
    return;
  }
  const dagid = ip6(b, 12), m = u8(b, 8);
  st.s += ` [dagid:${dagid},seq:${u8(b, 9)},instance:${u8(b, 4)},rank:${u16(b, 6)},${
    m & 0x80 ? "grounded," : ""
  }mop:${RPL_MOPS[(m >> 3) & 7] ?? `mop${(m >> 3) & 7}`},prf:${m & 7}]`;
  if (st.v > 1) rplOptions(b, 28, length - 24, st);
}

/**
 * A Destination Advertisement Object: 4 bytes from byte 4, then the DODAGID when its D flag is set. tcpdump
 * first wants 20 bytes captured from byte 4 (its struct, DODAGID included), without a jump; its checks of
 * the length after that cannot fail, the captured bytes ending no later than the message.
 */
function dao(b: Uint8Array, length: number, st: State): void {
  if (b.length < 24) {
    st.s += TRUNC;
    return;
  }
  const flags = b[5], d = (flags & 0x40) !== 0;
  st.s += ` [dagid:${d ? formatIpv6Address(b, 8) : "<elided>"},seq:${b[7]},instance:${b[4]}${
    flags & 0x80 ? ",acK" : ""
  }${d ? ",Dagid" : ""},${flags.toString(16).padStart(2, "0")}]`;
  if (st.v > 1) rplOptions(b, d ? 24 : 8, length - (d ? 20 : 4), st);
}

/** A DAO acknowledgement: 4 bytes from byte 4, then the DODAGID when its D flag (the top bit) is set. */
function daoAck(b: Uint8Array, length: number, st: State): void {
  const d = b.length >= 8 && (b[5] & 0x80) !== 0;
  if (b.length < (d ? 24 : 8)) {
    st.s += TRUNC;
    return;
  }
  st.s += ` [dagid:${d ? formatIpv6Address(b, 8) : "<elided>"},seq:${b[6]},instance:${b[4]},status:${b[7]}]`;
  if (st.v > 1) rplOptions(b, d ? 24 : 8, length - (d ? 20 : 4), st);
}

/** RPL options (type, length of the data, data; a lone 0 byte is Pad1), hex at -vvv. */
function rplOptions(b: Uint8Array, at: number, length: number, st: State): void {
  while (length !== 0) {
    const type = u8(b, at);
    let n = 1;
    if (type === 0) st.s += " opt:pad1";
    else {
      if (length < 2) {
        st.s += TRUNC;
        return;
      }
      n = u8(b, at + 1) + 2;
      st.s += ` opt:${RPL_OPTIONS[type] ?? `subopt:${type}`} len:${n} `;
      if (at + n > b.length || length < n) {
        st.s += TRUNC;
        return;
      }
      if (st.v > 2) st.s += hexLines(b, at + 2, n - 2, " ");
    }
    at += n;
    length -= n;
  }
}
