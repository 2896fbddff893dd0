/**
 * Private: the OSI network layer as tcpdump 4.99 prints it (print-isoclns.c's isoclns_print): IS-IS,
 * ES-IS, CLNP, and the NLPIDs that carry IPv4 and IPv6. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** What the text needs beyond the bytes. */
export interface OsiContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /**
   * Prints an IPv4 (NLPID 0xcc) or IPv6 (0x8e) packet as the sniffer prints one, given its bytes and its
   * length; null when the caller has no printer.
   */
  network?: (nlpid: number, bytes: Uint8Array, length: number) => Printed | null;
}

/**
 * tcpdump's text for an OSI PDU, from its NLPID byte on: what follows the LLC header (`-e`) or the whole
 * line (without `-e`, tcpdump prints no addresses before it); null where netkit falls back to its plain
 * LLC line.
 *
 * @param p the captured bytes from the NLPID on
 * @param length the PDU's length
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function osiText(p: Uint8Array, length: number, c: OsiContext): Printed | null {
  void p, length, c;
  return null;
}
