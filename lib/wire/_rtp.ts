/**
 * Private: the media printers of tcpdump 4.99's UDP printer (print-udp.c): vat/vt audio (destination port
 * 3456), and RTP and RTCP, which tcpdump prints only when `-T rtp` or `-T rtcp` says so.
 *
 * tcpdump's text:
 * - vat: `udp/vt 12 101 / 26` (length, the header's two fields) when the first 16 bits look like vt, else
 *   `udp/vat 40 c5 7*` (data length, conference, timestamp, `*` for a marked packet) with ` f3` (format) and
 *   ` s2` (a sequence bit field) when set; `udp/vat, length 6 < 8` when too short.
 * - RTP (RFC 3550; RTP version 1 drafts too): `udp/rtp 160 c0 * 1234 5678`: the payload length after the
 *   12-byte header, the payload type, `+` for an extension, `*` for the marker, the sequence number and the
 *   timestamp; `-v` adds the SSRC, checks a version 1 packet's options and a header extension (` !opt`,
 *   ` !ext`) and, for H.261 (payload type 31), its header's first 16 bits as ` 0x1234`.
 * - RTCP: every packet of a compound datagram in turn: ` sr @3911.25 160 10p 1600b`, ` rr`, ` sdes 24`,
 *   ` bye 8`, ` type-0xcc 12`, a length that does not fit the report count as ` [28]`, ` c2` for more than
 *   one report block, then a report block as ` 0l 1234s 5j @0.00+0.00` as many times as the count says
 *   (tcpdump 4.99 prints the first block each time); `-v` adds the SSRCs. A packet cut by the capture ends
 *   the text with ` [|rtcp]`.
 *
 * Fractions are printed as C's `%.2f` does (a tie rounds to even).
 *
 * @module
 */
import { Cut, fixedC, type Printed, u32 } from "./_text.ts";

/**
 * tcpdump's text for a vat or vt datagram (UDP destination port 3456, or `-T vat`).
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @returns the text, and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vatText } from "./_rtp.ts";
 * assert.equal(vatText(new Uint8Array(48), 48).text, "udp/vat 40 c0 0");
 * ```
 */
export function vatText(p: Uint8Array, length: number): Printed {
  if (length < 2) return { text: `udp/va/vat, length ${length} < 2`, jump: false };
  if (p.length < 2) return { text: " [|vat]", jump: true };
  const ts = (p[0] << 8) | p[1];
  if ((ts & 0xf060) !== 0) return { text: `udp/vt ${length} ${ts & 0x3ff} / ${ts >> 10}`, jump: false };
  if (length < 8) return { text: `udp/vat, length ${length} < 8`, jump: false };
  if (p.length < 8) return { text: " [|vat]", jump: true };
  const i0 = u32(p, 0), i1 = u32(p, 4);
  let s = `udp/vat ${length - 8} c${i0 & 0xffff} ${i1}${i0 & 0x800000 ? "*" : ""}`;
  if (i0 & 0x1f0000) s += ` f${(i0 >>> 16) & 0x1f}`;
  if (i0 & 0x3f000000) s += ` s${(i0 >>> 24) & 0x3f}`;
  return { text: s, jump: false };
}

/**
 * tcpdump's text for an RTP datagram (`-T rtp`).
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbose `-v`
 * @returns the text, and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rtpText } from "./_rtp.ts";
 * const p = new Uint8Array(172);
 * p.set([0x80, 0x80, 0x04, 0xd2, 0, 0, 0x16, 0x2e]);
 * assert.equal(rtpText(p, 172, false).text, "udp/rtp 160 c0 * 1234 5678");
 * ```
 */
export function rtpText(p: Uint8Array, length: number, verbose: boolean): Printed {
  if (length < 8) return { text: `udp/rtp, length ${length} < 8`, jump: false };
  let s = "";
  try {
    const i0 = u32(p, 0), i1 = u32(p, 4);
    let dlen = length - 8, word = 2, words = (length >>> 2) - 2;
    let hasopt = 0, hasext = 0, contype: number, hasmarker: number, ptype: string;
    if (i0 >>> 30 === 1) {
      hasopt = i0 & 0x800000;
      contype = (i0 >>> 16) & 0x3f;
      hasmarker = i0 & 0x400000;
      ptype = "rtpv1";
    } else {
      if (dlen < 4) return { text: `udp/rtp, length ${dlen + 8} < 12`, jump: false };
      hasext = i0 & 0x10000000;
      contype = (i0 >>> 16) & 0x7f;
      hasmarker = i0 & 0x800000;
      dlen -= 4;
      ptype = "rtp";
      word++;
      words--;
    }
    s = `udp/${ptype} ${dlen} c${contype} ${hasopt || hasext ? "+" : ""}${hasmarker ? "*" : ""} ${
      i0 & 0xffff
    } ${i1}`;
    if (!verbose) return { text: s, jump: false };
    s += ` ${u32(p, 8)}`;
    if (hasopt) {
      let i2: number;
      do {
        i2 = u32(p, word * 4);
        const optlen = (i2 >>> 16) & 0xff;
        if (optlen === 0 || optlen > words) return { text: s + " !opt", jump: false };
        word += optlen;
        words -= optlen;
      } while ((i2 | 0) >= 0);
    }
    if (hasext) {
      const extlen = (u32(p, word * 4) & 0xffff) + 1;
      if (extlen > words) return { text: s + " !ext", jump: false };
      word += extlen;
    }
    if (contype === 0x1f) s += ` 0x${(u32(p, word * 4) >>> 16).toString(16).padStart(4, "0")}`;
    return { text: s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: s + " [|rtp]", jump: true };
    throw e;
  }
}

const SR = 200, RR = 201, SDES = 202, BYE = 203;
const REPORT = 24, SENDER_INFO = 20, HEADER = 8;

/**
 * tcpdump's text for an RTCP datagram (`-T rtcp`): each packet of the compound datagram in turn.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param verbose `-v`
 * @returns the text (it starts with a space), and whether tcpdump stopped by a long jump (never: a cut
 *   packet ends the text with ` [|rtcp]`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rtcpText } from "./_rtp.ts";
 * const bye = new Uint8Array([0x81, 203, 0, 1, 0, 0, 0, 9]);
 * assert.equal(rtcpText(bye, true).text, " bye 8 9");
 * ```
 */
export function rtcpText(p: Uint8Array, verbose: boolean): Printed {
  let s = "";
  for (let at = 0; at < p.length;) {
    if (at + HEADER > p.length) return { text: s + " [|rtcp]", jump: false };
    const len = (((p[at + 2] << 8) | p[at + 3]) + 1) * 4;
    const flags = (p[at] << 8) | p[at + 1];
    let cnt = (flags >> 8) & 0x1f, rr = 0;
    const ssrc = verbose ? ` ${u32(p, at + 4)}` : "";
    switch (flags & 0xff) {
      case SR: {
        s += " sr";
        if (len !== cnt * REPORT + SENDER_INFO + HEADER) s += ` [${len}]`;
        s += ssrc;
        const sr = at + HEADER;
        if (sr + SENDER_INFO > p.length) return { text: s + " [|rtcp]", jump: false };
        const ts = u32(p, sr) + u32(p, sr + 4) / 4294967296;
        s += ` @${fixedC(ts, 2)} ${u32(p, sr + 8)} ${u32(p, sr + 12)}p ${u32(p, sr + 16)}b`;
        rr = sr + SENDER_INFO;
        break;
      }
      case RR:
        s += " rr";
        if (len !== cnt * REPORT + HEADER) s += ` [${len}]`;
        rr = at + HEADER;
        s += ssrc;
        break;
      case SDES:
        s += ` sdes ${len}${ssrc}`;
        cnt = 0;
        break;
      case BYE:
        s += ` bye ${len}${ssrc}`;
        cnt = 0;
        break;
      default:
        s += ` type-0x${(flags & 0xff).toString(16)} ${len}`;
        cnt = 0;
    }
    if (cnt > 1) s += ` c${cnt}`;
    // tcpdump 4.99 never moves on to the next report block: it prints the first one `cnt` times.
    for (; cnt !== 0; cnt--) {
      if (rr + REPORT > p.length) return { text: s + " [|rtcp]", jump: false };
      if (verbose) s += ` ${u32(p, rr)}`;
      const lsr = u32(p, rr + 16) / 65536, dlsr = u32(p, rr + 20) / 65536;
      s += ` ${u32(p, rr + 4) & 0xffffff}l ${u32(p, rr + 8)}s ${u32(p, rr + 12)}j @${fixedC(lsr, 2)}+${
        fixedC(dlsr, 2)
      }`;
    }
    at += len;
  }
  return { text: s, jump: false };
}
