/**
 * tcpdump's hex dumps: `-x` (hex), `-X` (hex and ASCII) of the packet from the network layer on, and `-xx`,
 * `-XX` of the whole frame. Each line is `\t0x0000:  4500 0054 ...` with 16 bytes in 2-byte groups; with
 * ASCII the hex column is padded to full width, then two spaces and the bytes as text (`.` for anything
 * outside 0x21-0x7e).
 *
 * @module
 */
import type { DecodeResult } from "./decoder.ts";

/** Which dump: `x`/`X` start at the network layer; `xx`/`XX` include the link header; capitals add ASCII. */
export type HexdumpMode = "x" | "xx" | "X" | "XX";

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const LINE = 16;
const HEX_WIDTH = 39; // 8 groups of 4 digits and 7 spaces

/**
 * Dumps bytes in tcpdump's layout.
 *
 * @param bytes the bytes
 * @param ascii add the ASCII column (`-X`)
 * @returns the lines joined with "\n" (no trailing newline; empty for no bytes)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexdump } from "./hexdump.ts";
 * const s = hexdump(new TextEncoder().encode("E..d"), true); // bytes 45 2e 2e 64
 * assert(s === "\t0x0000:  452e 2e64" + " ".repeat(30) + "  E..d");
 * ```
 */
export function hexdump(bytes: Uint8Array, ascii = false): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += LINE) {
    const end = Math.min(off + LINE, bytes.length);
    let hex = "", text = "";
    for (let i = off; i < end; i++) {
      if (i > off && (i - off) % 2 === 0) hex += " ";
      hex += HEX[bytes[i]];
      const b = bytes[i];
      text += b > 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
    }
    const head = `\t0x${off.toString(16).padStart(4, "0")}:  `;
    lines.push(ascii ? `${head}${hex.padEnd(HEX_WIDTH)}  ${text}` : head + hex);
  }
  return lines.join("\n");
}

/**
 * Offset of the network layer in a decoded frame: the first layer that is not a link layer (Ethernet,
 * VLAN, SLL, SLL2, NULL), or where decoding stopped.
 *
 * @param r a decoder result
 * @returns the offset in the frame
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { networkOffset } from "./hexdump.ts";
 * const r = new PacketDecoder().decode(new Uint8Array(14), 1);
 * assert(networkOffset(r) === 14);
 * ```
 */
export function networkOffset(r: DecodeResult): number {
  const L = r.layers;
  // A PPPoE capture (link type 51): its header and a session's PPP header are the link header.
  const pppoe = r.linktype === 51;
  for (let i = 0; i < L.length; i++) {
    const n = L[i].layer;
    if (pppoe && n === "pppoe") continue;
    const l = L[i];
    if (pppoe && l.layer === "ppp") {
      const h = L[i - 1];
      // tcpdump counts a session's PPP header only when PPPoE's LENGTH holds it.
      if (h?.layer === "pppoe" && h.length >= 2 && h.length - (l.address === null ? 0 : 2) >= 2) continue;
      return r.offsets[i];
    }
    // A PPP or Cisco HDLC header that is the link header (link types 9, 50, 104).
    if (i === 0 && (n === "ppp" || n === "chdlc")) continue;
    if (n !== "eth" && n !== "vlan" && n !== "sll" && n !== "sll2" && n !== "null" && n !== "llc") {
      return r.offsets[i];
    }
  }
  if (pppoe && L.length) {
    const last = L[L.length - 1];
    return r.offsets[L.length - 1] + (last.layer === "ppp" ? last.hdrLen : 6);
  }
  const last = L[L.length - 1], at = r.offsets[L.length - 1];
  // 802.2 LLC counts as link header: 3 or 4 bytes, and the 5 of SNAP after it (even where they are cut).
  if (last?.layer === "llc") return at + (last.snap ? last.hdrLen + 5 : last.hdrLen);
  // An 802.3 frame whose LLC header is cut: as much of it as the frame has, up to the length field.
  if ((last?.layer === "eth" || last?.layer === "vlan") && last.ethertype < 0x0600) {
    const start = at + (last.layer === "eth" ? 14 : 4);
    return start + Math.min(last.ethertype, Math.max(0, r.frame.length - start));
  }
  return r.payloadOffset;
}

/**
 * Dumps a decoded frame as tcpdump's `-x`, `-xx`, `-X` or `-XX` would.
 *
 * @param frame the captured bytes
 * @param r the decoder's result for them
 * @param mode which dump
 * @param linkLen where -x/-X start, when the summarizer read the link header itself (802.11)
 * @returns the lines joined with "\n"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { hexdumpFrame } from "./hexdump.ts";
 * const f = new Uint8Array(18); f[12] = 0x12; f[14] = 0xab;
 * const r = new PacketDecoder().decode(f, 1);
 * assert(hexdumpFrame(f, r, "x") === "\t0x0000:  ab00 0000");
 * ```
 */
export function hexdumpFrame(
  frame: Uint8Array,
  r: DecodeResult,
  mode: HexdumpMode,
  linkLen?: number,
): string {
  const start = mode === "x" || mode === "X" ? Math.min(linkLen ?? networkOffset(r), frame.length) : 0;
  return hexdump(frame.subarray(start), mode === "X" || mode === "XX");
}

/**
 * The truncation marks of the dissectors that, in tcpdump 4.99.3, end a cut packet by a long jump rather
 * than by printing the mark and returning (as its IP, TCP, UDP, TFTP, DHCPv6 and RIP ones do):
 * observed with `tcpdump -x` on cut packets of each.
 */
const LONG_JUMP_CUT = / \[\|(arp|bootp|mpls|ntp|stp|syslog|vrrp|vxlan)\]$/;
/** A link header cut short: -x/-X have nothing past it to dump. */
const LINK_CUT = / \[\|(ether|vlan)\]$/;

/**
 * The dump tcpdump 4.99 prints after a packet's line with `-x`, `-X`, `-xx` or `-XX`. When one of its
 * dissectors stopped by a long jump on running off the captured bytes (`jumped`, or a line ending in such a
 * dissector's mark), tcpdump no longer knows where the link header ended and -x/-X dump the whole frame.
 *
 * @param frame the captured bytes
 * @param r the decoder's result for them
 * @param mode which dump
 * @param line the packet's summary line
 * @param jumped whether the summary stopped where tcpdump stops by a long jump
 *   ({@link PacketSummarizer.lastCutByLongJump})
 * @param linkLen where -x/-X start when the summarizer read the link header itself (802.11)
 *   ({@link PacketSummarizer.lastLinkLen})
 * @returns the dump's lines ("" for none)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { tcpdumpHexdump } from "./hexdump.ts";
 * const f = new Uint8Array(18); f[12] = 0x12; f[14] = 0xab;
 * const r = new PacketDecoder().decode(f, 1);
 * assert(tcpdumpHexdump(f, r, "x", "...", false) === "\t0x0000:  ab00 0000");
 * ```
 */
export function tcpdumpHexdump(
  frame: Uint8Array,
  r: DecodeResult,
  mode: HexdumpMode,
  line: string,
  jumped: boolean,
  linkLen?: number,
): string {
  if (mode.length !== 1) return hexdumpFrame(frame, r, mode);
  const start = dumpStart(frame, r, line, jumped, linkLen);
  return start === null ? "" : hexdump(frame.subarray(start), mode === "X");
}

/**
 * Where tcpdump's `-x`/`-X`/`-A` start in a frame (its link header's length as the link printer left it), or
 * null when they print nothing (a link header cut short).
 */
function dumpStart(
  frame: Uint8Array,
  r: DecodeResult,
  line: string,
  jumped: boolean,
  linkLen: number | undefined,
): number | null {
  // (An Ethernet frame carried inside the packet, cut the same way, does not count: behind IP, or behind
  // NSH's EtherType, whose frame tcpdump dumps from NSH on.)
  const l0 = r.layers[0];
  const nsh = l0?.layer === "eth" && l0.ethertype === 0x894f;
  if (LINK_CUT.test(line) && !nsh && !r.layers.some((l) => l.layer === "ipv4" || l.layer === "ipv6")) {
    return null;
  }
  // A PPP or Cisco HDLC link header cut short likewise.
  if (r.layers.length === 0 && (r.linktype === 9 || r.linktype === 50 || r.linktype === 104)) return null;
  if (jumped || LONG_JUMP_CUT.test(line)) return 0;
  return Math.min(linkLen ?? networkOffset(r), frame.length);
}

/**
 * tcpdump's `-A`: the bytes as text, each byte outside 0x21-0x7e printed as `.` except tab, space and
 * newline, which print as themselves; a carriage return is left out before a newline and as one of the last
 * two bytes (tcpdump 4.99's rule).
 *
 * @param bytes the bytes
 * @returns the text (no leading or trailing newline of its own)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiDump } from "./hexdump.ts";
 * assert(asciiDump(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\x00\r")) === "GET / HTTP/1.1\nHost: a.");
 * ```
 */
export function asciiDump(bytes: Uint8Array): string {
  let s = "";
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 13) {
      if (n - i > 2 && bytes[i + 1] !== 10) s += ".";
    } else s += (b > 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 32 ? String.fromCharCode(b) : ".";
  }
  return s;
}

/**
 * The text tcpdump 4.99 prints after a packet's line with `-A` (from where `-x` starts) or `-AA` (the whole
 * frame): a newline, then {@link asciiDump} of the bytes; null where it prints nothing (`-A` with no bytes past
 * the link header).
 *
 * @param frame the captured bytes
 * @param r the decoder's result for them
 * @param whole `-AA`
 * @param line the packet's summary line
 * @param jumped see {@link tcpdumpHexdump}
 * @param linkLen see {@link tcpdumpHexdump}
 * @returns what to append to the line, or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { tcpdumpAscii } from "./hexdump.ts";
 * const f = new Uint8Array(17); f[12] = 0x12; f.set([0x68, 0x69, 0x0a], 14);
 * const r = new PacketDecoder().decode(f, 1);
 * assert(tcpdumpAscii(f, r, false, "...", false) === "\nhi\n");
 * ```
 */
export function tcpdumpAscii(
  frame: Uint8Array,
  r: DecodeResult,
  whole: boolean,
  line: string,
  jumped: boolean,
  linkLen?: number,
): string | null {
  if (whole) return "\n" + asciiDump(frame);
  const start = dumpStart(frame, r, line, jumped, linkLen);
  return start === null || start >= frame.length ? null : "\n" + asciiDump(frame.subarray(start));
}
