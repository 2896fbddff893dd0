/**
 * NSH, the Network Service Header (RFC 8300), as tcpdump 4.99.3's nsh_print shows it: behind VXLAN-GPE
 * (next protocol 4) and behind EtherType 0x894f.
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Service Path Identifier (SPI)        | Service Index |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Context Headers (Length - 2 words)              ~
 * ```
 *
 * tcpdump's text, then the carried packet (IPv4, IPv6 or Ethernet, next protocol 1, 2, 3) after `: `, or
 * after a newline and four spaces with `-v`:
 *
 * - `NSH, flags [O], service-path-id 0x123456, service-index 0xff: IP 10.0.0.1 > 10.0.0.2: ...`
 * - `-vv` adds `ver 0, ` and `next-protocol IPv4, `; `-vvv` adds `TTL 63, length 6, md type 1, ` and the
 *   context headers: MD type 1's four words as `\n        Context[00]: 0x00010203`, MD type 2's TLVs as
 *   `\n        TLV Class 1, Type 2, Len 3` and `\n            Value: 0xde:ad:be` (the length's top bit
 *   ignored, values padded to 4 bytes). Other MD types are skipped silently.
 * - A version other than 0 stops after `NSH, ` (`NSH, ver 1, ` with `-vv`): nothing more, not even a mark.
 * - Next protocols other than 1-3 (NSH 4 and MPLS 5 included) print `ERROR: unknown-next-protocol` after the
 *   separator instead of a packet.
 * - Bad lengths end in ` (invalid)` after a reason: ` (packet length 6 < 8)`,
 *   ` (too many headers for packet length 20)`, ` (less than two headers)`, and at `-vvv` only
 *   ` (invalid length for the MD type)` (MD type 1 with a length other than 6) and ` (length too big)` (a
 *   TLV past the headers).
 * - Every read past the captured bytes, the skipped context headers included, is a long jump (` [|nsh]`).
 *
 * The carried packet is the caller's to print, from {@link NshPrinted.hdrLen} on.
 *
 * @module
 */
import { Cut, type Printed, u16, u8 } from "./_text.ts";

/** NSH's text, and where what it carries starts when tcpdump goes on to print it. */
export interface NshPrinted extends Printed {
  /** The next protocol when tcpdump prints the carried packet (1 IPv4, 2 IPv6, 3 Ethernet), else null. */
  next: number | null;
  /** The header's length in bytes: the carried packet starts there. */
  hdrLen: number;
}

/** Field offsets of the two fixed words; context headers follow them. */
const OFF = { verFlagsTtl: 0, ttlLength: 1, mdType: 2, nextProtocol: 3, spi: 4, serviceIndex: 7 } as const;
/** The base and service path headers, the least a packet must hold. */
const FIXED_LEN = OFF.serviceIndex + 1;
const WORD = 4;

const MD_TYPES: Record<number, string> = { 0x0: "reserved", 0x1: "1", 0x2: "2", 0xf: "experimental" };
const NEXT_PROTOCOLS: Record<number, string> = {
  1: "IPv4",
  2: "IPv6",
  3: "Ethernet",
  4: "NSH",
  5: "MPLS",
  0xfe: "Experiment 1",
  0xff: "Experiment 2",
};

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/**
 * NSH: its own text (the caller then prints the carried packet when `next` is set, right after it).
 *
 * @param data the captured bytes from NSH's first byte
 * @param length NSH's length on the wire (header and what it carries)
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, the next protocol and the header length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nshText } from "./_nsh.ts";
 *
 * const header = new Uint8Array([0x20, 0x02, 0x01, 0x01, 0x12, 0x34, 0x56, 0xff]);
 * const n = nshText(header, 28, 0);
 * assert.equal(n.text, "NSH, flags [O], service-path-id 0x123456, service-index 0xff: ");
 * assert.equal(n.next, 1);
 * assert.equal(n.hdrLen, 8);
 * ```
 */
export function nshText(data: Uint8Array, length: number, verbosity: number): NshPrinted {
  const out = { s: "" };
  const done = (next: number | null = null, hdrLen = 0): NshPrinted => ({
    text: out.s,
    jump: false,
    next,
    hdrLen,
  });
  if (length < FIXED_LEN) {
    out.s = ` (packet length ${length} < ${FIXED_LEN}) (invalid)`;
    return done();
  }
  try {
    return body(data, length, verbosity, out, done);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: out.s + " [|nsh]", jump: true, next: null, hdrLen: 0 };
  }
}

/** The header after the length check; a {@link Cut} from a read is the caller's long jump. */
function body(
  p: Uint8Array,
  len: number,
  v: number,
  out: { s: string },
  done: (next?: number | null, hdrLen?: number) => NshPrinted,
): NshPrinted {
  // The first word is read whole (4 bytes or a jump) before anything is printed.
  u8(p, OFF.nextProtocol);
  const b0 = p[OFF.verFlagsTtl], b1 = p[OFF.ttlLength];
  const ver = b0 >> 6, flags = (b0 >> 4) & 3, ttl = ((b0 & 0x0f) << 2) | (b1 >> 6), words = b1 & 0x3f;
  const md = p[OFF.mdType] & 0x0f, next = p[OFF.nextProtocol];
  out.s = "NSH, ";
  if (v > 1) out.s += `ver ${ver}, `;
  if (ver !== 0) return done();
  out.s += `flags [${flags & 2 ? "O" : "none"}], `;
  if (v > 2) out.s += `TTL ${ttl}, length ${words}, md type ${MD_TYPES[md] ?? `unknown (0x${hex2(md)})`}, `;
  if (v > 1) out.s += `next-protocol ${NEXT_PROTOCOLS[next] ?? `unknown (0x${hex2(next)})`}, `;
  const hdrLen = words * WORD;
  if (len < hdrLen) {
    out.s += ` (too many headers for packet length ${len}) (invalid)`;
    return done();
  }
  const spi = (u8(p, OFF.spi) << 16) | u16(p, OFF.spi + 1);
  out.s += `service-path-id 0x${spi.toString(16).padStart(6, "0")}, `;
  out.s += `service-index 0x${u8(p, OFF.serviceIndex).toString(16)}`;
  if (words < 2) {
    out.s += " (less than two headers) (invalid)";
    return done();
  }
  let at = FIXED_LEN;
  const contextWords = words - 2;
  if (v > 2 && md === 1) {
    if (words !== 6) {
      out.s += " (invalid length for the MD type) (invalid)";
      return done();
    }
    for (let n = 0; n < contextWords; n++, at += WORD) {
      const w = ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
      out.s += `\n        Context[${String(n).padStart(2, "0")}]: 0x${w.toString(16).padStart(8, "0")}`;
    }
  } else if (v > 2 && md === 2) {
    for (let n = 0; n < contextWords;) {
      const cls = u16(p, at), type = u8(p, at + 2), tlvLen = u8(p, at + 3) & 0x7f;
      const padded = (tlvLen + 3) & ~3;
      at += WORD;
      out.s += `\n        TLV Class ${cls}, Type ${type}, Len ${tlvLen}`;
      n += 1;
      if (contextWords < n + padded / WORD) {
        out.s += " (length too big) (invalid)";
        return done();
      }
      if (tlvLen === 0) continue;
      out.s += "\n            Value: ";
      for (let k = 0; k < tlvLen; k++) out.s += (k ? ":" : "0x") + hex2(u8(p, at + k));
      // The padding is checked too, after the value is printed.
      if (padded > tlvLen) u8(p, at + padded - 1);
      at += padded;
      n += padded / WORD;
    }
  } else if (contextWords > 0) {
    // Skipped, but they must have been captured.
    u8(p, FIXED_LEN + contextWords * WORD - 1);
  }
  out.s += v ? "\n    " : ": ";
  if (next >= 1 && next <= 3) return done(next, hdrLen);
  out.s += "ERROR: unknown-next-protocol";
  return done();
}
