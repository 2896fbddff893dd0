/**
 * Private: SCTP (IP protocol 132) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** The context. */
export interface SctpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** `src > dst: `. */
  addrs: string;
  /** `src.sport > dst.dport: ` for these ports. */
  ports: (sport: number, dport: number) => string;
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function sctpText(p: Uint8Array, length: number, c: SctpContext): Printed {
  void p, c, length;
  return { text: c.addrs + ` ip-proto-132 ${length}`, jump: false };
}
