/**
 * Private: EIGRP (IP protocol 88) as tcpdump 4.99 prints it (print-eigrp.c). STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for an EIGRP packet: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function eigrpText(p: Uint8Array, length: number, verbosity: number): Printed {
  void p, verbosity;
  return { text: ` ip-proto-88 ${length}`, jump: false };
}
