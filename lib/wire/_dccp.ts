/**
 * Private: DCCP (IP protocol 33) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";
import type { PseudoHeader } from "./_l4.ts";

/** What the text needs from the carrying IP header and the options. */
export interface DccpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** `src > dst: ` (for what tcpdump prints when not even the ports were captured). */
  addrs: string;
  /** `src.sport > dst.dport: ` for these ports. */
  ports: (sport: number, dport: number) => string;
  /** The carrying header's addresses, for the checksum's pseudo-header (the final destination for IPv6). */
  ip: PseudoHeader;
}

/**
 * tcpdump's text for a DCCP packet, including its addresses and ports (`src.sport > dst.dport: `).
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 */
export function dccpText(p: Uint8Array, length: number, c: DccpContext): Printed {
  void p;
  return { text: c.addrs + ` ip-proto-33 ${length}`, jump: false };
}
