/**
 * Turns a frame captured on a raw AF_PACKET socket into a LINUX_SLL2 record (linktype 276), as libpcap's
 * `-i any` writes them, so the interface index and direction survive in a classic pcap file. One reused
 * buffer: the record is valid until the next call.
 *
 * The link header is replaced by the 20-byte SLL2 header: for Ethernet-framed interfaces (loopback
 * included) the 14-byte Ethernet header goes, its EtherType becomes `protocol` and its source MAC the
 * address; a VLAN tag the capture re-inserted stays after the header with `protocol` 0x8100, as libpcap's
 * cooked mode writes it. Other link types keep their bytes and take `protocol` from the kernel.
 *
 * @module
 */
import { SLL2_HEADER_LEN, Sll2Frame } from "../wire/sll2.ts";

const ETH_HEADER_LEN = 14;
const ETH_ALEN = 6;
const ETH_TYPE_AT = 12;
const LINKTYPE_ETHERNET = 1;
/** Where the SLL2 header's link-layer address starts (8 bytes). */
const SLL2_ADDR_AT = 12;

/** The metadata an SLL2 header carries, plus the frame. */
export interface Sll2Source {
  /** The captured frame (native link type). */
  data: Uint8Array;
  /** Its LINKTYPE_*. */
  linktype: number;
  /** Length on the wire. */
  len: number;
  /** Interface index. */
  ifIndex: number;
  /** ARPHRD_* type. */
  hatype: number;
  /** `sll_pkttype`. */
  pkttype: number;
  /** EtherType the kernel saw (host order). */
  protocol: number;
}

/** A frame in place (e.g. in the capture ring) and the metadata an SLL2 header carries. */
export interface Sll2InPlace {
  /** Memory holding the frame. */
  buffer: Uint8Array;
  /** Where the frame starts in `buffer`. */
  offset: number;
  /** Bytes of the frame in `buffer`. */
  caplen: number;
  /** Its LINKTYPE_*. */
  linktype: number;
  /** Interface index. */
  ifIndex: number;
  /** ARPHRD_* type. */
  hatype: number;
  /** `sll_pkttype`. */
  pkttype: number;
  /** EtherType the kernel saw (host order). */
  protocol: number;
}

/** Builds SLL2 records into one reused buffer. */
export class Sll2Encoder {
  #buf: Uint8Array;
  #view: Sll2Frame;
  /** Captured length of the last record built. */
  caplen = 0;
  /** Wire length of the last record built. */
  len = 0;

  /** @param snaplen the largest frame expected */
  constructor(snaplen: number) {
    this.#buf = new Uint8Array(SLL2_HEADER_LEN + snaplen);
    this.#view = Sll2Frame.unchecked(this.#buf);
  }

  /**
   * Builds only the 20-byte header for a frame left where it is, for a writer that appends the header and
   * the rest of the frame itself: the record is `head` followed by the frame's bytes from `offset + strip`.
   *
   * @param p the frame in place and its metadata
   * @returns `strip`: the bytes of link header the record drops (14 for Ethernet, else 0)
   */
  header(p: Sll2InPlace): number {
    const b = p.buffer, o = p.offset;
    const eth = p.linktype === LINKTYPE_ETHERNET && p.caplen >= ETH_HEADER_LEN;
    const f = this.#view;
    f.protocol = eth ? (b[o + ETH_TYPE_AT] << 8) | b[o + ETH_TYPE_AT + 1] : p.protocol;
    f.ifindex = p.ifIndex;
    f.arphrdType = p.hatype;
    f.packetType = p.pkttype;
    const h = this.#buf;
    if (eth) {
      f.addrLen = ETH_ALEN;
      for (let i = 0; i < ETH_ALEN; i++) h[SLL2_ADDR_AT + i] = b[o + ETH_ALEN + i];
      h.fill(0, SLL2_ADDR_AT + ETH_ALEN, SLL2_HEADER_LEN);
    } else {
      f.addrLen = 0;
      h.fill(0, SLL2_ADDR_AT, SLL2_HEADER_LEN);
    }
    return eth ? ETH_HEADER_LEN : 0;
  }

  /** The header {@link header} built last (a view of the reused buffer). */
  get head(): Uint8Array {
    return this.#buf.subarray(0, SLL2_HEADER_LEN);
  }

  /**
   * @param p the frame and its metadata
   * @returns the record (a view of the reused buffer, valid until the next call)
   */
  encode(p: Sll2Source): Uint8Array {
    const d = p.data;
    const eth = p.linktype === LINKTYPE_ETHERNET && d.length >= ETH_HEADER_LEN;
    const strip = eth ? ETH_HEADER_LEN : 0;
    const body = d.length - strip;
    if (SLL2_HEADER_LEN + body > this.#buf.length) {
      this.#buf = new Uint8Array(SLL2_HEADER_LEN + body);
      this.#view = Sll2Frame.unchecked(this.#buf);
    }
    const f = this.#view;
    f.protocol = eth ? (d[ETH_TYPE_AT] << 8) | d[ETH_TYPE_AT + 1] : p.protocol;
    f.ifindex = p.ifIndex;
    f.arphrdType = p.hatype;
    f.packetType = p.pkttype;
    f.addrLen = eth ? ETH_ALEN : 0;
    f.addr = eth ? d.subarray(ETH_ALEN, 2 * ETH_ALEN) : d.subarray(0, 0);
    this.#buf.set(strip ? d.subarray(strip) : d, SLL2_HEADER_LEN);
    this.caplen = SLL2_HEADER_LEN + body;
    this.len = p.len - strip + SLL2_HEADER_LEN;
    return this.#buf.subarray(0, this.caplen);
  }
}
