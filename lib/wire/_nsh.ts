/**
 * NSH, the Network Service Header (RFC 8300, tcpdump's nsh_print), behind VXLAN-GPE (next protocol 4) and
 * EtherType 0x894f. STUB: not yet written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** NSH's text, and where what it carries starts when tcpdump goes on to print it. */
export interface NshPrinted extends Printed {
  /** The next protocol when tcpdump prints the carried packet (1 IPv4, 2 IPv6, 3 Ethernet), else null. */
  next: number | null;
  /** The header's length in bytes: the carried packet starts there. */
  hdrLen: number;
}

/**
 * NSH: its own text (the caller then prints the carried packet when `next` is set, right after it).
 *
 * @param data the captured bytes from NSH's first byte
 * @param length NSH's length on the wire (header and what it carries)
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, the next protocol and the header length
 */
export function nshText(data: Uint8Array, length: number, verbosity: number): NshPrinted {
  void data, length, verbosity;
  return { text: "NSH", jump: false, next: null, hdrLen: 0 };
}
