/**
 * IEEE 802.11 frames, bare (link type 105) or behind a radiotap header (127), as tcpdump 4.99.3 prints them
 * (print-802_11.c). STUB: not yet written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** What the 802.11 printer needs from the caller. */
export interface WlanOptions {
  /** The frame starts with a radiotap header (link type 127). */
  radiotap: boolean;
  /** How many `-v` were given (0 for none). */
  verbosity: number;
  /** `-e`. */
  link: boolean;
  /** `-q`. */
  quiet: boolean;
  /**
   * Prints what a data frame's LLC/SNAP header carries, as the sniffer prints that EtherType's packet
   * (IPv4, IPv6, ARP, ...): the text, or null for an EtherType it has no printer for.
   */
  network: (ethertype: number, bytes: Uint8Array, length: number) => Printed | null;
}

/** The 802.11 text, and where tcpdump's `-x`/`-X` dump starts. */
export interface WlanPrinted extends Printed {
  /** The link-layer header length tcpdump's printer returns (radiotap, 802.11 header...): -x dumps from there. */
  hdrLen: number;
}

/**
 * A whole captured frame of link type 105 or 127: the line after the timestamp.
 *
 * @param frame the captured bytes
 * @param wire the frame's length on the wire
 * @param o see {@link WlanOptions}
 * @returns the text, whether it ended by a long jump, and the link header's length
 */
export function wlanText(frame: Uint8Array, wire: number, o: WlanOptions): WlanPrinted {
  void frame, o;
  return {
    text: `link-type ${o.radiotap ? "IEEE802_11_RADIO" : "IEEE802_11"} not decoded, length ${wire}`,
    jump: false,
    hdrLen: 0,
  };
}
