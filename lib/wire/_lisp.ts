/**
 * LISP control messages (RFC 6830/9301, tcpdump's lisp_print) on UDP port 4342. STUB: not yet written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * LISP control: the text after `src.sport > dst.dport: `.
 *
 * @param data the datagram's captured data (bounded by the IP payload end)
 * @param length the data length tcpdump uses (the UDP length less 8, at most what the IP header leaves)
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, or null to keep the caller's plain `UDP, length N`
 */
export function lispText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  void data, length, verbosity;
  return null;
}
