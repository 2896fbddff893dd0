/**
 * tcpdump's TCP option list (tcp_print's options loop, tcpdump 4.99): every option it names, read from the
 * header's bytes as tcpdump reads them.
 *
 * - Names and values: `mss 1460`, `wscale 7`, `sackOK`, `sack 1 {1:2}`, `TS val 1 ecr 2`, `echo 5`,
 *   `echoreply 5`, `cc 5`, `ccnew 5`, ` 5` (CC.ECHO, unnamed), `md5 valid`, `scps cap 01 id 2`, `uto 0x3d 1800`,
 *   `tcp-ao keyid 5 rnextkeyid 6 mac 0x..`, `mptcp 12 capable v0 csum {0x..}` (RFC 8684's subtypes),
 *   `tfo  cookie 0102030405060708`, `exp-tfo cookiereq`, `unknown-99 0x010203`.
 * - The TCP-MD5 signature (RFC 2385) is checked with the `-M` secret: `md5 valid`, `md5  (invalid)`, or
 *   `md5 shared secret not supplied with -M, can't check - <hex>` (`snaplen too short, ` when the data are cut).
 * - A length that differs from the option's own adds `[len N]`, and the next option is read where the value
 *   ended, not where the length says (tcpdump's way).
 * - A length under 2 or past the header, or an MPTCP option that does not fit its subtype, ends the line with
 *   `[bad opt]` (and `]` after a first option); option bytes the capture lacks end it with ` [|tcp]` (and `>`
 *   when the value itself is cut after a first option; ` [|mptcp]` once an MPTCP option was read).
 *
 * @module
 */
import { Md5 } from "./_md5.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";

/** What the option printer needs besides the option bytes. */
export interface TcpOptionsInput {
  /** the TCP flags (MPTCP's subtypes depend on SYN and ACK) */
  flags: number;
  /** the SACK edge as printed (relative to the conversation's start), default the edge itself */
  sackEdge?: (edge: number) => number;
  /** the TCP-MD5 check of a signature (see {@link tcpMd5Check}); without it, "can't check" */
  md5?: (signature: Uint8Array) => string;
}

/** The option list's text, and whether the line ends with it (a bad option or a cut capture). */
export interface TcpOptionsText {
  /** the text after `options [`, with the closing `]` when the list ended well */
  text: string;
  /** true when tcpdump prints nothing more for the packet */
  stop: boolean;
  /** true when it stopped by reading past the capture (tcpdump's long jump) */
  jump: boolean;
  /** the protocol a later cut names: `mptcp` once an MPTCP option was read (tcpdump's ndo_protocol) */
  proto: "tcp" | "mptcp";
}

/** Read past the captured bytes: tcpdump's longjmp (` [|tcp]`, nothing more). */
class Cut extends Error {}
/** A value the capture lacks, found by a length check: tcpdump's `goto trunc` (` [|tcp]`, `>` after one). */
class Trunc extends Error {}
/** tcpdump's `goto bad`. */
class Bad extends Error {}

const NAMES: Record<number, string> = {
  0: "eol",
  1: "nop",
  2: "mss",
  3: "wscale",
  4: "sackOK",
  5: "sack",
  6: "echo",
  7: "echoreply",
  8: "TS",
  11: "cc",
  12: "ccnew",
  // tcpdump 4.99 names CC.ECHO with an empty string.
  13: "",
  19: "md5",
  20: "scps",
  28: "uto",
  29: "tcp-ao",
  30: "mptcp",
  34: "tfo",
  254: "exp",
};

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const ENCODER = new TextEncoder();
/** MPTCP's subtypes as tcpdump names them; 8 stands for every unknown one. */
const MPTCP_SUBTYPES = [
  "capable",
  "join",
  "dss",
  "add-addr",
  "rem-addr",
  "prio",
  "fail",
  "fast-close",
  "unknown",
];

/**
 * Prints a TCP header's options as tcpdump does.
 *
 * @param b the captured bytes from the header's byte 20 on (a length byte may lie past the header: tcpdump
 *   reads it, then finds the option bad)
 * @param declared the header's option length (its data offset times 4, minus 20)
 * @param input the flags, the SACK mapping and the MD5 check
 * @returns the text and whether the line stops there
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpOptionsText } from "./_tcp_options.ts";
 * const r = tcpOptionsText(new Uint8Array([2, 4, 5, 180, 34, 2, 1, 0]), 8, { flags: 2 });
 * assert(r.text === "mss 1460,tfo  cookiereq,nop,eol]" && !r.stop);
 * ```
 */
export function tcpOptionsText(b: Uint8Array, declared: number, input: TcpOptionsInput): TcpOptionsText {
  let s = "";
  let ch = "";
  const get = (k: number) => {
    if (k >= b.length) throw new Cut();
    return b[k];
  };
  const u16 = (k: number) => (get(k) << 8) | get(k + 1);
  const u32 = (k: number) => ((u16(k) << 16) | u16(k + 2)) >>> 0;
  let hlen = declared;
  let cp = 0;
  let proto: "tcp" | "mptcp" = "tcp";
  try {
    while (hlen > 0) {
      s += ch;
      const opt = get(cp++);
      let len: number;
      if (opt === 0 || opt === 1) len = 1;
      else {
        len = get(cp++);
        if (len < 2 || len > hlen) throw new Bad();
        hlen--;
      }
      hlen--;
      let datalen = 0;
      // tcpdump's LENCHECK: the value must fit in the header, and be captured.
      const lencheck = (l: number) => {
        if (l > hlen) throw new Bad();
        if (cp + l > b.length) throw new Trunc();
      };
      s += NAMES[opt] ?? `unknown-${opt}`;
      switch (opt) {
        case 2:
          datalen = 2, lencheck(2), s += ` ${u16(cp)}`;
          break;
        case 3:
          datalen = 1, lencheck(1), s += ` ${get(cp)}`;
          break;
        case 5:
          datalen = len - 2;
          if (datalen % 8 !== 0) s += " invalid sack";
          else {
            s += ` ${datalen / 8} `;
            const edge = input.sackEdge ?? ((x: number) => x);
            for (let k = 0; k < datalen; k += 8) {
              lencheck(k + 4);
              const l = u32(cp + k);
              lencheck(k + 8);
              s += `{${edge(l)}:${edge(u32(cp + k + 4))}}`;
            }
          }
          break;
        case 6:
        case 7:
        case 11:
        case 12:
        case 13:
          datalen = 4, lencheck(4), s += ` ${u32(cp)}`;
          break;
        case 8:
          datalen = 8, lencheck(8), s += ` val ${u32(cp)} ecr ${u32(cp + 4)}`;
          break;
        case 19:
          datalen = 16, lencheck(16);
          s += " " +
            (input.md5 ?? cantCheck("shared secret not supplied with -M, "))(b.subarray(cp, cp + 16));
          break;
        case 20:
          datalen = 2, lencheck(2), s += ` cap ${hex2(get(cp))} id ${get(cp + 1)}`;
          break;
        case 29:
          datalen = len - 2;
          if (datalen < 2) s += " (invalid)";
          else {
            lencheck(1), s += ` keyid ${get(cp)}`;
            lencheck(2), s += ` rnextkeyid ${get(cp + 1)}`;
            if (datalen > 2) {
              s += " mac 0x";
              for (let k = 2; k < datalen; k++) lencheck(k + 1), s += hex2(get(cp + k));
            }
          }
          break;
        case 28: {
          datalen = 2, lencheck(2);
          const v = u16(cp);
          s += ` 0x${v.toString(16)} ${v & 1 ? (v >> 1) * 60 : v >> 1}`;
          break;
        }
        case 30: {
          datalen = len - 2, lencheck(datalen);
          proto = "mptcp";
          const m = mptcpText(b.subarray(cp - 2, cp + datalen), input.flags);
          s += m.text;
          if (!m.ok) throw new Bad();
          break;
        }
        case 34:
          datalen = len - 2, lencheck(datalen);
          s += " " + fastOpen(b.subarray(cp, cp + datalen));
          break;
        case 254: {
          datalen = len - 2, lencheck(datalen);
          if (datalen < 2) throw new Bad();
          const magic = u16(cp);
          // RFC 6994's experiment identifier; 0xf989 is TCP Fast Open before its own kind (RFC 7413).
          s += "-" +
            (magic === 0xf989
              ? "tfo" + fastOpen(b.subarray(cp + 2, cp + datalen))
              : magic.toString(16).padStart(4, "0"));
          break;
        }
        case 0:
        case 1:
        case 4:
          break;
        default:
          datalen = len - 2;
          if (datalen) s += " 0x";
          for (let k = 0; k < datalen; k++) lencheck(k + 1), s += hex2(get(cp + k));
      }
      cp += datalen;
      hlen -= datalen;
      const own = datalen + (opt === 0 || opt === 1 ? 1 : 2);
      if (own !== len) s += `[len ${len}]`;
      ch = ",";
      if (opt === 0) break;
    }
    return { text: s + "]", stop: false, jump: false, proto };
  } catch (e) {
    if (e instanceof Bad) return { text: s + "[bad opt]" + (ch ? "]" : ""), stop: true, jump: false, proto };
    if (e instanceof Trunc) {
      return { text: s + ` [|${proto}]` + (ch ? ">" : ""), stop: true, jump: false, proto };
    }
    if (e instanceof Cut) return { text: s + ` [|${proto}]`, stop: true, jump: true, proto };
    throw e;
  }
}

/** The "can't check" text after a reason. */
function cantCheck(why: string): (sig: Uint8Array) => string {
  return (sig) => {
    let h = "";
    for (const x of sig) h += hex2(x);
    return `${why}can't check - ${h}`;
  };
}

/** RFC 7413's cookie: ` cookiereq`, ` cookie 0102..`, or ` (invalid)` for an odd or out-of-range length. */
function fastOpen(c: Uint8Array): string {
  if (c.length === 0) return " cookiereq";
  if (c.length % 2 !== 0 || c.length < 4 || c.length > 16) return " (invalid)";
  let h = " cookie ";
  for (const x of c) h += hex2(x);
  return h;
}

/** What the TCP-MD5 check reads of the carrying IP header. */
export type TcpMd5Ip =
  | { version: 4; src: Uint8Array; dst: Uint8Array; proto: number; totalLen: number; hdrLen: number }
  | { version: 6; src: Uint8Array; dst: Uint8Array; payloadLen: number };

/**
 * The TCP-MD5 signature check (RFC 2385) of tcpdump's `-M`: MD5 over the pseudo-header, the 20-byte TCP
 * header with a zero checksum, the data and the secret, compared with the signature carried.
 *
 * @param ip the carrying IP header's fields (tcpdump takes the TCP length from them); undefined for none
 * @param seg the segment as captured, from its header on
 * @param hdrLen the TCP header's length
 * @param dataLen the data's length on the wire
 * @param secret the shared secret (`-M`), or undefined
 * @returns the check of a signature: the text after `md5 `
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpMd5Check } from "./_tcp_options.ts";
 * const ip = { version: 4 as const, src: new Uint8Array(4), dst: new Uint8Array(4), proto: 6, totalLen: 40, hdrLen: 20 };
 * const check = tcpMd5Check(ip, new Uint8Array(20), 20, 0, undefined);
 * assert(check(new Uint8Array(16)).startsWith("shared secret not supplied with -M, can't check - 0000"));
 * ```
 */
export function tcpMd5Check(
  ip: TcpMd5Ip | undefined,
  seg: Uint8Array,
  hdrLen: number,
  dataLen: number,
  secret: string | undefined,
): (signature: Uint8Array) => string {
  // tcpdump's order: the data captured, a secret given, an IP header it knows.
  if (seg.length < hdrLen + dataLen) return cantCheck("snaplen too short, ");
  if (secret === undefined) return cantCheck("shared secret not supplied with -M, ");
  if (ip === undefined) return cantCheck("IP version not 4 or 6, ");
  return (sig) => {
    const h = new Md5();
    if (ip.version === 4) {
      const tlen = (ip.totalLen - ip.hdrLen) & 0xffff;
      h.update(ip.src).update(ip.dst).update(new Uint8Array([0, ip.proto, tlen >> 8, tlen & 0xff]));
    } else {
      const n = ip.payloadLen;
      h.update(ip.src).update(ip.dst).update(new Uint8Array([0, 0, n >> 8, n & 0xff, 0, 0, 0, 6]));
    }
    const tcp = seg.slice(0, 20);
    tcp[16] = tcp[17] = 0;
    h.update(tcp).update(seg.subarray(hdrLen, hdrLen + dataLen)).update(ENCODER.encode(secret));
    const want = h.digest();
    for (let k = 0; k < 16; k++) if (want[k] !== sig[k]) return " (invalid)";
    return "valid";
  };
}

/** tcpdump's mptcp_print (RFC 8684): the text after `mptcp`, and false where tcpdump says `[bad opt]`. */
function mptcpText(o: Uint8Array, flags: number): { text: string; ok: boolean } {
  const len = o.length;
  if (len < 3) return { text: "", ok: false };
  const SYN = 0x02, ACK = 0x10;
  const sub = Math.min(o[2] >> 4, 8);
  let s = ` ${len} ${MPTCP_SUBTYPES[sub]}`;
  const v = new DataView(o.buffer, o.byteOffset, o.byteLength);
  const u64 = (k: number) => v.getBigUint64(k);
  const bad = () => ({ text: s, ok: false });
  switch (sub) {
    case 0: {
      if (
        !((len === 12 || len === 4) && flags & SYN) &&
        !((len === 20 || len === 22) && (flags & (SYN | ACK)) === ACK)
      ) {
        return bad();
      }
      const version = o[2] & 0xf;
      if (version > 1) return { text: s + ` Unknown Version (${version})`, ok: true };
      s += ` v${version}`;
      if (o[3] & 0x80) s += " csum";
      if (len === 12 || len >= 20) {
        s += ` {0x${u64(4).toString(16)}`;
        if (len >= 20) s += `,0x${u64(12).toString(16)}`;
        s += "}";
      }
      return { text: s, ok: true };
    }
    case 1: {
      if (
        !(len === 12 && flags & SYN) && !(len === 16 && (flags & (SYN | ACK)) === (SYN | ACK)) &&
        !(len === 24 && flags & ACK)
      ) return bad();
      if (len !== 24) {
        if (o[2] & 1) s += " backup";
        s += ` id ${o[3]}`;
      }
      if (len === 12) s += ` token 0x${v.getUint32(4).toString(16)} nonce 0x${v.getUint32(8).toString(16)}`;
      else if (len === 16) s += ` hmac 0x${u64(4).toString(16)} nonce 0x${v.getUint32(12).toString(16)}`;
      else {
        s += " hmac 0x";
        for (let k = 4; k < 24; k++) s += hex2(o[k]);
      }
      return { text: s, ok: true };
    }
    case 2: {
      if (len < 4 || flags & SYN) return bad();
      const f = o[3];
      if (f & 0x10) s += " fin";
      let at = 4;
      const num = (wide: boolean): boolean => {
        if (len - at < (wide ? 8 : 4)) return false;
        s += wide ? u64(at).toString() : v.getUint32(at).toString();
        at += wide ? 8 : 4;
        return true;
      };
      if (f & 0x01) {
        s += " ack ";
        if (!num((f & 0x02) !== 0)) return bad();
      }
      if (f & 0x04) {
        s += " seq ";
        if (!num((f & 0x08) !== 0)) return bad();
        if (len - at < 4) return bad();
        s += ` subseq ${v.getUint32(at)}`, at += 4;
        if (len - at < 2) return bad();
        s += ` len ${v.getUint16(at)}`, at += 2;
        if (len - at >= 2) s += ` csum 0x${v.getUint16(at).toString(16)}`, at += 2;
      }
      return at === len ? { text: s, ok: true } : bad();
    }
    case 3: {
      if (![8, 10, 16, 18, 20, 22, 28, 30].includes(len)) return bad();
      const echo = o[2] & 0xf;
      s += " " + ({ 6: "v0-ip6", 4: "v0-ip4", 1: "v1-echo", 0: "v1" }[echo] ?? "[bad version/echo]");
      s += ` id ${o[3]}`;
      if (len <= 18) {
        s += ` ${formatIpv4Address(o, 4)}`;
        if (len === 10 || len === 18) s += `:${v.getUint16(8)}`;
        if (len === 16) s += ` hmac 0x${u64(8).toString(16)}`;
        if (len === 18) s += ` hmac 0x${u64(10).toString(16)}`;
      } else {
        s += ` ${formatIpv6Address(o, 4)}`;
        if (len === 22 || len === 30) s += `:${v.getUint16(20)}`;
        if (len === 28) s += ` hmac 0x${u64(20).toString(16)}`;
        if (len === 30) s += ` hmac 0x${u64(22).toString(16)}`;
      }
      return { text: s, ok: true };
    }
    case 4: {
      if (len < 4) return bad();
      s += " id";
      for (let k = 3; k < len; k++) s += ` ${o[k]}`;
      return { text: s, ok: true };
    }
    case 5:
      if (len !== 3 && len !== 4) return bad();
      s += o[2] & 1 ? " backup" : " non-backup";
      if (len === 4) s += ` id ${o[3]}`;
      return { text: s, ok: true };
    case 6:
      return len === 12 ? { text: s + ` seq ${u64(4)}`, ok: true } : bad();
    case 7:
      return len === 12 ? { text: s + ` key 0x${u64(4).toString(16)}`, ok: true } : bad();
    default:
      return { text: s, ok: true };
  }
}
