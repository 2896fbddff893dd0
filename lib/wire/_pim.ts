/**
 * Private: PIM (IP protocol 103) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";
import type { PseudoHeader } from "./_l4.ts";

/** The context. */
export interface PimContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The carrying header's addresses. */
  ip: PseudoHeader;
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function pimText(p: Uint8Array, length: number, c: PimContext): Printed {
  void p, c, length;
  return { text: ` ip-proto-103 ${length}`, jump: false };
}
