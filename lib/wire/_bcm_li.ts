/**
 * Private: Broadcom's lawful-intercept shim as tcpdump 4.99 prints it (print-bcm-li.c): a UDP datagram from
 * source port 49152 (whatever its destination: tcpdump tries it before BFD, RADIUS's and several other
 * ports, so a BFD session whose source port is 49152 prints as this too) starts with a 4-byte shim.
 *
 * ```text
 * | direction (3 bits) | packet type (4) | subtype (3) | reserved (0) ... | LI id (22 bits) |
 * ```
 *
 * tcpdump's text: `BCM-LI-SHIM: direction egress, pkt-type ipv4, pkt-subtype untagged, li-id 7`
 * (`unknown` for values it does not name); a datagram shorter than the shim is ` (length 2 < 4) (invalid)`.
 * With `-v` the shim goes on a line of its own and the intercepted packet follows on the next (an IPv4 or
 * IPv6 packet, an Ethernet frame, or for an undecided type IPv4 or IPv6 by the first nibble, else
 * `unknown payload`); a packet type it does not know is ` (invalid)`. A shim or a payload cut by the capture
 * ends the text with ` [|bcm_li]`.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

const SHIM = 4;
const DIRECTIONS: Record<number, string> = { 1: "unused", 2: "egress", 3: "ingress" };
const UNDECIDED = 4, IPV4 = 5, IPV6 = 6, ETHERNET = 7;
const TYPES: Record<number, string> = { 4: "undecided", 5: "ipv4", 6: "ipv6", 7: "ethernet" };
const SUBTYPES: Record<number, string> = { 1: "single VLAN tag", 2: "double VLAN tag", 3: "untagged" };

/** The shim's text, and what follows it for the caller to print (with `-v` only). */
export interface BcmLiText extends Printed {
  /** The intercepted packet: raw IPv4 (228), raw IPv6 (229) or an Ethernet frame (1); null when none. */
  linktype: 228 | 229 | 1 | null;
}

/**
 * tcpdump's text for the shim of a datagram from port 49152: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbose `-v`
 * @returns the text, whether tcpdump stopped by a long jump, and the kind of packet after the shim that the
 *   caller prints (from `p.subarray(4)`, `length - 4` long)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bcmLiText } from "./_bcm_li.ts";
 * const bfd = new Uint8Array([0x20, 0xc0, 0x03, 0x18]);
 * assert.equal(
 *   bcmLiText(bfd, 4, false).text,
 *   "BCM-LI-SHIM: direction unused, pkt-type unknown, pkt-subtype untagged, li-id 792",
 * );
 * ```
 */
export function bcmLiText(p: Uint8Array, length: number, verbose: boolean): BcmLiText {
  if (length < SHIM) return { text: ` (length ${length} < ${SHIM}) (invalid)`, jump: false, linktype: null };
  if (p.length < SHIM) return { text: " [|bcm_li]", jump: true, linktype: null };
  const shim = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  const type = (shim >>> 25) & 0xf;
  const nl = verbose ? "\n    " : "";
  const text = `${nl}BCM-LI-SHIM: direction ${DIRECTIONS[(shim >>> 29) & 7] ?? "unknown"}, pkt-type ${
    TYPES[type] ?? "unknown"
  }, pkt-subtype ${SUBTYPES[(shim >>> 22) & 7] ?? "unknown"}, li-id ${shim & 0x3fffff}${nl}`;
  if (!verbose) {
    // tcpdump checks that the whole payload was captured, and prints nothing of it.
    if (p.length - SHIM < length - SHIM) return { text: text + " [|bcm_li]", jump: true, linktype: null };
    return { text, jump: false, linktype: null };
  }
  switch (type) {
    case ETHERNET:
      return { text, jump: false, linktype: 1 };
    case IPV4:
      return { text, jump: false, linktype: 228 };
    case IPV6:
      return { text, jump: false, linktype: 229 };
    case UNDECIDED: {
      if (p.length <= SHIM) return { text: text + " [|bcm_li]", jump: true, linktype: null };
      const version = p[SHIM] >> 4;
      if (version === 4) return { text, jump: false, linktype: 228 };
      if (version === 6) return { text, jump: false, linktype: 229 };
      return { text: text + "unknown payload", jump: false, linktype: null };
    }
    default:
      return { text: text + " (invalid)", jump: false, linktype: null };
  }
}
