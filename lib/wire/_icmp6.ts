/**
 * Private: tcpdump's text for the ICMPv6 messages other than errors (types 1-4), echo (128, 129) and
 * neighbour discovery (133-137, in _nd.ts): multicast listener discovery (MLDv1, MLDv2), router
 * renumbering, node information queries, inverse ND, home agent and mobile prefix discovery, RPL, mtrace
 * and unknown types (print-icmp6.c as tcpdump 4.99.3 prints it).
 *
 * STUB: to be written; null makes the caller print `unknown icmp6 type (N)`.
 *
 * @module
 */

/**
 * tcpdump's text for an ICMPv6 message, from `ICMP6, ` on (the `-v` checksum note before it is the
 * caller's).
 *
 * @param b the captured bytes from the ICMPv6 header on (possibly fewer than its 8 bytes)
 * @param length the message's length on the wire
 * @param verbosity how many -v (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null for types 1-4, 128, 129 and 133-137, which the caller prints
 */
export function icmp6Text(
  b: Uint8Array,
  length: number,
  verbosity: number,
): { text: string; jump: boolean } | null {
  void b, length, verbosity;
  return null;
}
