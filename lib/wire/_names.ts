/**
 * Private: a DNS-encoded name (RFC 1035 section 3.1) inside another protocol's option, printed as tcpdump
 * 4.99's fqdn_print does: each label followed by a dot (`example.com.`, the root as `.`), label bytes as
 * {@link textChar} shows them, compression pointers followed backwards from `base`.
 *
 * @module
 */
import { Cut, textChar, u8 } from "./_text.ts";

/** Longest name tcpdump prints before it gives up with `<LOOP>`. */
const MAX_NAME = 1025;

/**
 * Appends the name at `at` to `out.s`; returns the offset just past it (past the first pointer when the
 * name is compressed), or -1 where tcpdump's printer returns NULL (the caller prints its truncation mark).
 * Reads past the captured bytes end the name like that too; none throws.
 *
 * @param p the captured bytes
 * @param at the name's offset
 * @param base the offset compression pointers count from (tcpdump passes the caller's own notion of it)
 * @param out the text so far
 * @returns the offset after the name, or -1
 */
export function fqdnText(p: Uint8Array, at: number, base: number, out: { s: string }): number {
  try {
    return fqdn(p, at, base, out);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return -1;
  }
}

/** A label's length byte: its data length, -1 (after printing why) for a kind tcpdump cannot read. */
function labelLen(p: Uint8Array, at: number, out: { s: string }): number {
  const i = u8(p, at);
  if ((i & 0xc0) === 0x40) {
    const elt = i & 0x3f;
    if (elt !== 1) {
      out.s += `<ELT ${elt}>`;
      return -1;
    }
    const bits = u8(p, at + 1) || 256;
    return Math.floor((bits + 7) / 8) + 1;
  }
  return i;
}

function fqdn(p: Uint8Array, at: number, base: number, out: { s: string }): number {
  let l = labelLen(p, at, out);
  if (l < 0) return -1;
  let maxOffset = at - base;
  let i = u8(p, at);
  let cp = at + 1;
  let compressed = (i & 0xc0) === 0xc0;
  let rp = compressed ? -1 : cp + l;
  if (i === 0) {
    out.s += ".";
    return rp;
  }
  let chars = 0;
  while (i && cp < p.length) {
    if ((i & 0xc0) === 0xc0) {
      if (!compressed) {
        rp = cp + 1;
        compressed = true;
      }
      const offset = ((i << 8) | u8(p, cp)) & 0x3fff;
      // Only backwards: a pointer at or after the last one would loop.
      if (maxOffset >= 0 && offset >= maxOffset) {
        out.s += "<BAD PTR>";
        return -1;
      }
      maxOffset = offset;
      cp = base + offset;
      i = u8(p, cp);
      l = labelLen(p, cp, out);
      if (l < 0) return -1;
      cp++;
      continue;
    }
    if ((i & 0xc0) === 0x40) {
      // An RFC 2673 bit label: tcpdump prints it in a notation this package does not reproduce.
      return -1;
    }
    for (let k = 0; k < l; k++) {
      if (cp + k >= p.length) return -1;
      out.s += textChar(p[cp + k]);
    }
    cp += l;
    chars += l;
    if (chars >= MAX_NAME) {
      out.s += "<LOOP>";
      return -1;
    }
    out.s += ".";
    i = u8(p, cp);
    l = labelLen(p, cp, out);
    if (l < 0) return -1;
    cp++;
    if (!compressed) rp += l + 1;
  }
  return rp;
}
