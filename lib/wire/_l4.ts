/**
 * Private: the pseudo-header choice shared by TCP, UDP and ICMPv6 emitters.
 *
 * @module
 */
import { toAddressBytes } from "./address.ts";
import { pseudoHeaderV4, pseudoHeaderV6 } from "./checksum.ts";

/** The addresses of the enclosing IP header, for the transport checksum. 4 bytes = IPv4, 16 = IPv6. */
export interface PseudoHeader {
  /** Source address. */
  src: Uint8Array | string;
  /** Destination address. */
  dst: Uint8Array | string;
}

/**
 * Returns the partial sum of the pseudo-header for these addresses.
 *
 * @returns the partial sum of the pseudo-header for these addresses
 */
export function pseudoSum(p: PseudoHeader, proto: number, length: number): number {
  const v6 = typeof p.src === "string" ? p.src.includes(":") : p.src.length === 16;
  return v6
    ? pseudoHeaderV6(toAddressBytes(p.src, 16), toAddressBytes(p.dst, 16), proto, length)
    : pseudoHeaderV4(toAddressBytes(p.src, 4), toAddressBytes(p.dst, 4), proto, length);
}
