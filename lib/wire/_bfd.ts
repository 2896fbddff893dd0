/**
 * Private: BFD (UDP destination ports 3784 control, 4784 multihop, 6784 LAG, 3785 echo) as tcpdump 4.99
 * prints it (print-bfd.c). STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for a BFD datagram: what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @param port the destination port that selected BFD (the echo port's text differs)
 * @returns the text, and whether tcpdump's printer stopped by a long jump; or null
 */
export function bfdText(p: Uint8Array, length: number, verbosity: number, port: number): Printed | null {
  void p, length, verbosity, port;
  return null;
}
