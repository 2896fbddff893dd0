/**
 * Private: PPTP's control connection (TCP port 1723) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for the data of a TCP segment to or from port 1723: what follows `length N`.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 */
export function pptpText(p: Uint8Array, length: number, verbosity: number): Printed {
  void p, length, verbosity;
  return { text: "", jump: false };
}
