/**
 * Private: the LBL whiteboard (wb, UDP destination port 4567) as tcpdump 4.99 prints it (print-wb.c).
 *
 * ```text
 * | source (4) | timestamp (4) | version (2) | type (1) | flags (1) |  then the message of that type
 * ```
 *
 * tcpdump's text: `*` for flags set, then the message: ` wb-kill`; ` wb-id: 1/10.0.0.1:2 (max 3/10.0.0.2:4)
 * <10.0.0.3:5> "site"` (an announcement, with its site name); ` wb-rreq: please repair ...`; ` wb-rrep: for
 * ...`; ` wb-dop: 10.0.0.1:2<3:4>` (a drawing operation; with `-v` its operations ` < LINE RECT >`);
 * ` wb-preq: need ...`; ` wb-prep: ...`; any other type ` wb-9!`. A message shorter than its fixed part is
 * ` (invalid)`; a read past the captured bytes ends the text with ` [|wb]`.
 *
 * @module
 */
import { Cut, type Printed, textChar, u32 } from "./_text.ts";
import { formatIpv4Address } from "./address.ts";

/** A message shorter than its fixed part: ` (invalid)`. */
class Invalid extends Error {}

const HEADER = 12;
const DOPS: Record<number, string> = {
  2: "RECT",
  3: "LINE",
  4: "ML",
  5: "DEL",
  6: "XFORM",
  7: "ELL",
  8: "CHAR",
  9: "STR",
  10: "NOP",
  11: "PSCODE",
  12: "PSCOMP",
  13: "REF",
  14: "SKIP",
  15: "HOLE",
};
const SKIP = 14, HOLE = 15;

/**
 * tcpdump's text for a whiteboard datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbose `-v`
 * @returns the text, and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wbText } from "./_wb.ts";
 * assert.equal(wbText(new Uint8Array(28), 28, false).text, " wb-dop: 0.0.0.0:0<0:0>");
 * ```
 */
export function wbText(p: Uint8Array, length: number, verbose: boolean): Printed {
  let s = "";
  const need = (at: number, n: number) => {
    if (at + n > p.length) throw new Cut();
  };
  const ip = (at: number) => {
    need(at, 4);
    return formatIpv4Address(p, at);
  };
  /** A page: `10.0.0.1:2` (session id, page number). */
  const page = (at: number) => `${ip(at)}:${u32(p, at + 4)}`;
  /** tcpdump's wb_dops: the operations after a drawing op's 16-byte header, from `ss` to `es`. */
  const dops = (dop: number, ss: number, es: number) => {
    let dh = dop + 16;
    s += " <";
    for (; ss <= es; ss = (ss + 1) >>> 0) {
      need(dh + 7, 1);
      const t = p[dh + 7];
      s += ` ${DOPS[t] ?? `dop-${t}!`}`;
      if (t === SKIP || t === HOLE) {
        const ts = u32(p, dh);
        s += `${(ts - ss + 1) >>> 0}`;
        if (ss > ts || ts > es) {
          s += "[|]";
          if (ts < ss) return;
        }
        ss = ts;
      }
      need(dh + 4, 2);
      // Each operation moves on by 8 bytes or more, so the captured bytes run out even when the 32-bit
      // counter wraps (as tcpdump's does).
      dh += (((p[dh + 4] << 8) | p[dh + 5]) + 8 + 3) & ~3;
    }
    s += " >";
  };
  try {
    if (length < HEADER) throw new Invalid();
    need(0, HEADER);
    let len = length - HEADER;
    const m = HEADER;
    if (p[11]) s += "*";
    const type = p[10];
    switch (type) {
      case 4:
        return { text: s + " wb-kill", jump: false };
      case 1: {
        s += " wb-id:";
        if (len < 28) throw new Invalid();
        len -= 28;
        const text = ` ${u32(p, m + 12)}/${page(m + 16)} (max ${u32(p, m)}/${page(m + 4)}) `;
        s += text;
        need(m, 28);
        const nid = (p[m + 24] << 8) | p[m + 25];
        if (len < 8 * nid) throw new Invalid();
        len -= 8 * nid;
        let at = m + 28, c = "<";
        for (let i = 0; i < nid; i++, at += 8) {
          const entry = `${c}${ip(at)}:${u32(p, at + 4)}`;
          s += entry;
          c = ",";
        }
        s += '> "';
        for (let k = 0; k < len; k++) {
          need(at + k, 1);
          if (p[at + k] === 0) break;
          s += textChar(p[at + k]);
        }
        s += '"';
        break;
      }
      case 2:
        s += " wb-rreq:";
        if (len < 20) throw new Invalid();
        s += ` please repair ${ip(m)} ${page(m + 4)}<${u32(p, m + 12)}:${u32(p, m + 16)}>`;
        break;
      case 3: {
        s += " wb-rrep:";
        if (len < 20) throw new Invalid();
        const text = ` for ${ip(m)} ${page(m + 4)}<${u32(p, m + 12)}:${u32(p, m + 16)}>`;
        s += text;
        if (verbose) dops(m + 4, u32(p, m + 12), u32(p, m + 16));
        break;
      }
      case 0: {
        s += " wb-dop:";
        if (len < 16) throw new Invalid();
        const text = ` ${page(m)}<${u32(p, m + 8)}:${u32(p, m + 12)}>`;
        s += text;
        if (verbose) dops(m, u32(p, m + 8), u32(p, m + 12));
        break;
      }
      case 5: {
        s += " wb-preq:";
        if (len < 16) throw new Invalid();
        const text = ` need ${u32(p, m + 8)}/${page(m)}`;
        s += text;
        need(m, 16);
        break;
      }
      case 7: {
        s += " wb-prep:";
        if (len < 4) throw new Invalid();
        let n = u32(p, m), ps = m + 4;
        for (; n !== 0; n--) {
          const text = ` ${u32(p, ps)}/${page(ps + 4)}`;
          s += text;
          need(ps, 16);
          let io = ps + 16, c = "<";
          const nid = p[ps + 12];
          for (let i = 0; i < nid; i++, io += 8) {
            const entry = `${c}${ip(io)}:${u32(p, io + 4)}`;
            s += entry;
            c = ",";
          }
          s += ">";
          ps = io;
        }
        break;
      }
      default:
        s += ` wb-${type}!`;
        throw new Invalid();
    }
    return { text: s, jump: false };
  } catch (e) {
    if (e instanceof Invalid) return { text: s + " (invalid)", jump: false };
    if (e instanceof Cut) return { text: s + " [|wb]", jump: true };
    throw e;
  }
}
