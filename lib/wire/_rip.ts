/**
 * Private: RIP (UDP 520) and RIPng (UDP 521) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for a RIP datagram: what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function ripText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void verbosity;
  // RIP's fixed header: command, version, 2 bytes.
  return Math.min(p.length, length) < 4 ? { text: " [|rip]", jump: false } : null;
}

/**
 * tcpdump's text for a RIPng datagram: what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function ripngText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void length, verbosity;
  // tcpdump reads the version (byte 1) first.
  return p.length < 2 ? { text: " [|ripng]", jump: false } : null;
}
