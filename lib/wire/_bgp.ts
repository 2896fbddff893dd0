/**
 * Private: BGP (TCP port 179) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** The context. */
export interface BgpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function bgpText(p: Uint8Array, length: number, c: BgpContext): Printed {
  void p, c, length;
  return { text: "", jump: false };
}
