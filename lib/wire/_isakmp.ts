/**
 * Private: ISAKMP/IKE (UDP 500, 4500 with RFC 3948 NAT traversal, 7500, 8500) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for an ISAKMP datagram (ports 500, 7500, 8500): what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function isakmpText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void p, length, verbosity;
  return null;
}

/**
 * tcpdump's text for a datagram to or from UDP port 4500 (RFC 3948: NAT keep-alive, ISAKMP after a non-ESP marker, or ESP): what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function natTraversalText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void p, length, verbosity;
  return null;
}
