/**
 * NFS over SUN RPC, as tcpdump 4.99 prints it (nfsreq_noaddr_print and nfsreply_noaddr_print): a call to
 * port 2049 or a reply from it, over UDP or TCP (with its record mark). STUB: not yet written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** The calls seen, by xid, so that a reply can be read as the answer to its call (tcpdump's xid map). */
export class NfsXids {}

/** What the NFS printers need beyond the message. */
export interface NfsContext {
  /** The calls seen (one per summarizer). */
  xids: NfsXids;
  /** The carrying IP header's source address (4 or 16 bytes). */
  src: Uint8Array;
  /** The carrying IP header's destination address (4 or 16 bytes). */
  dst: Uint8Array;
  /** Source port. */
  sport: number;
  /** Destination port. */
  dport: number;
  /** How many `-v` were given (0 for none). */
  verbosity: number;
}

/**
 * NFS in a UDP datagram: the text after `src.sport > dst.dport: `.
 *
 * @param data the datagram's captured data (from the RPC xid on)
 * @param length the data length tcpdump uses (the UDP length less 8, at most what the IP header leaves)
 * @param ctx addresses, ports, verbosity and the calls seen
 * @returns the text, or null when the datagram is not NFS's RPC (the caller keeps its plain line)
 */
export function nfsUdpText(data: Uint8Array, length: number, ctx: NfsContext): Printed | null {
  void data, length, ctx;
  return null;
}

/**
 * NFS in a TCP segment's data (after the 4-byte RPC record mark): the text after `length N`.
 *
 * @param data the segment's captured data (from the record mark on)
 * @param length the segment's data length
 * @param ctx addresses, ports, verbosity and the calls seen
 * @returns the text, or null when the segment is not NFS's RPC (nothing is added)
 */
export function nfsTcpText(data: Uint8Array, length: number, ctx: NfsContext): Printed | null {
  void data, length, ctx;
  return null;
}
