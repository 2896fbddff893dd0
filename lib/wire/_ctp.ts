/**
 * Private: tcpdump's text for the Ethernet Configuration Testing Protocol (EtherType 0x9000, "Loopback";
 * tcpdump's print-loopback.c), in every output mode the same.
 *
 * ```text
 * +----------------+--------------------------+----------------+---------------------------------+
 * | skipCount (2)  | skipped bytes (skipCount)| function (2)   | 1 Reply: receipt number (2)     |
 * | little-endian  |                          | little-endian  | 2 Forward Data: address (6)     |
 * +----------------+--------------------------+----------------+---------------------------------+
 * ```
 *
 * tcpdump's rules: a skip count that is not a multiple of 8 is marked ` (bogus)`; one longer than the
 * rest of the frame, a frame too short for a field, or a message too short for its function is
 * ` (invalid)`; an unknown function prints `,  invalid (N)` (tcpdump's name lookup fallback, two spaces
 * included). Lengths are the on-wire ones; a field or the rest of the message past the captured bytes ends
 * the text with ` [|loopback]`.
 *
 * @module
 */
import { formatMac } from "./address.ts";

const REPLY = 1;
const FORWARD = 2;
const MAC_LEN = 6;
const CUT = " [|loopback]";

/**
 * The text after the link header (or in place of it).
 *
 * @param p the captured bytes after the Ethernet (and VLAN) header
 * @param length the on-wire length of the same bytes
 * @returns tcpdump's text, starting with `Loopback`
 */
export function ctpText(p: Uint8Array, length: number): string {
  let s = "Loopback";
  let at = 0;
  let len = length;
  // The bytes [at, at + n) were all captured.
  const have = (n: number) => at + n <= p.length;
  const le16 = () => p[at] | (p[at + 1] << 8);
  const invalid = () => s + " (invalid)" + (have(len) ? "" : CUT);
  if (len < 2) return invalid();
  if (!have(2)) return s + CUT;
  const skip = le16();
  at += 2, len -= 2;
  s += `, skipCount ${skip}`;
  if (skip % 8) s += " (bogus)";
  if (skip > len) return invalid();
  if (!have(skip)) return s + CUT;
  at += skip, len -= skip;
  if (len < 2) return invalid();
  if (!have(2)) return s + CUT;
  const fn = le16();
  at += 2, len -= 2;
  s += fn === REPLY ? ", Reply" : fn === FORWARD ? ", Forward Data" : `,  invalid (${fn})`;
  if (fn === REPLY || fn === FORWARD) {
    const n = fn === REPLY ? 2 : MAC_LEN;
    if (len < n) return invalid();
    if (!have(n)) return s + CUT;
    s += fn === REPLY
      ? `, receipt number ${le16()}`
      : `, forwarding address ${formatMac(p.subarray(at, at + n))}`;
    at += n, len -= n;
    s += `, data (${len} octets)`;
  }
  return have(len) ? s : s + CUT;
}
