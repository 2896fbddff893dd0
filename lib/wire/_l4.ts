/**
 * Private: the pseudo-header choice and the transport checksum shared by TCP, UDP and ICMPv6.
 *
 * @module
 */
import { toAddressBytes } from "./address.ts";
import { internetChecksum, pseudoHeaderV4, pseudoHeaderV6, sum } from "./checksum.ts";

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
  return isIpv6Pseudo(p)
    ? pseudoHeaderV6(toAddressBytes(p.src, 16), toAddressBytes(p.dst, 16), proto, length)
    : pseudoHeaderV4(toAddressBytes(p.src, 4), toAddressBytes(p.dst, 4), proto, length);
}

/**
 * Returns true when the addresses are IPv6 (a string with ":" or 16 bytes).
 *
 * @returns true when the addresses are IPv6 (a string with ":" or 16 bytes)
 */
export function isIpv6Pseudo(p: PseudoHeader): boolean {
  return typeof p.src === "string" ? p.src.includes(":") : p.src.length === 16;
}

/**
 * The checksum over pseudo-header and message, its checksum field at `checksumAt` counted as zero. It sums
 * around the field (both pieces start at even offsets), so the bytes are never written: they may be a
 * capture ring's. No RFC 768 zero-to-ones mapping here: UDP applies it.
 *
 * @returns the checksum as computed
 */
export function transportChecksum(
  bytes: Uint8Array,
  p: PseudoHeader,
  proto: number,
  checksumAt: number,
): number {
  const partial = sum(bytes.subarray(0, checksumAt), pseudoSum(p, proto, bytes.length));
  return internetChecksum(bytes.subarray(checksumAt + 2), partial);
}

/**
 * Returns true when the checksum the message carries is right for these addresses.
 *
 * @returns true when the checksum the message carries is right for these addresses
 */
export function transportChecksumValid(bytes: Uint8Array, p: PseudoHeader, proto: number): boolean {
  return internetChecksum(bytes, pseudoSum(p, proto, bytes.length)) === 0;
}
