/**
 * LDP (RFC 5036, tcpdump's ldp_print) over TCP and UDP port 646, MSDP (RFC 3618, msdp_print) over TCP port
 * 639 and RPKI-Router (RFC 6810/8210, rpki_rtr_print) over TCP port 323. STUB: not yet written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/**
 * LDP: the text after `src.sport > dst.dport: ` (UDP) or after `length N` (TCP).
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, or null to keep the caller's plain output
 */
export function ldpText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  void data, length, verbosity;
  return null;
}

/**
 * MSDP over TCP: the text after `length N`.
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, or null to add nothing
 */
export function msdpText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  void data, length, verbosity;
  return null;
}

/**
 * RPKI-Router over TCP: the text after `length N`.
 *
 * @param data the captured data
 * @param length the data length
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, or null to add nothing
 */
export function rpkiRtrText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  void data, length, verbosity;
  return null;
}
