/**
 * Private: OSPF (IP protocol 89) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** The context. */
export interface OspfContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The carrying IP header's version. */
  ipVersion: 4 | 6;
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function ospfText(p: Uint8Array, length: number, c: OspfContext): Printed {
  void p, c, length;
  return { text: ` ip-proto-89 ${length}`, jump: false };
}
