/**
 * Private: PTP, the Precision Time Protocol (IEEE 1588; EtherType 0x88f7, UDP ports 319 and 320) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * tcpdump's text for a PTP message: what follows `sport > dport: ` over UDP, or the link header
 * (if any) over Ethernet; null where netkit falls back to its plain line.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 */
export function ptpText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void p, length, verbosity;
  return null;
}
