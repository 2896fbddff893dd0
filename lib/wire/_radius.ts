/**
 * Private: RADIUS (UDP 1645, 1812, 1646, 1813, 1700, 3799) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for a RADIUS datagram: what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function radiusText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void p, length, verbosity;
  return null;
}
