/**
 * Private: IGMP (IP protocol 2) as tcpdump 4.99 prints it (print-igmp.c). STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** What the text needs from the carrying IP header and the options. */
export interface IgmpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The IPv4 TTL (IPv6 hop limit) of the carrying header. */
  ttl: number;
}

/**
 * tcpdump's text for an IGMP message: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function igmpText(p: Uint8Array, length: number, c: IgmpContext): Printed {
  void p, c;
  return { text: ` ip-proto-2 ${length}`, jump: false };
}
