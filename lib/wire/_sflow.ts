/**
 * Private: sFlow (UDP port 6343) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for an sFlow datagram: what follows `sport > dport: `; null where netkit prints the
 * plain `UDP, length N`.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function sflowText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void p, length, verbosity;
  return null;
}
