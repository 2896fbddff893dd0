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
    return writeSll2Header(
      this.#buf,
      0,
      p.buffer,
      p.offset,
      p.caplen,
      p.linktype,
      p.ifIndex,
      p.hatype,
      p.pkttype,
      p.protocol,
    );
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

/**
 * Writes a LINUX_SLL2 header (the layout in `lib/wire/sll2.ts`: protocol, reserved, ifindex, hatype,
 * packet type, address length, 8 address bytes; big-endian) for the frame `frame[from, from + caplen)`
 * into `dst` at `at`, without allocating: for a writer that builds each record's header in its own buffer.
 *
 * @param dst where the 20 bytes go
 * @param at their offset in `dst`
 * @param frame the memory holding the captured frame
 * @param from where the frame starts
 * @param caplen bytes of it captured
 * @param linktype its LINKTYPE_* (Ethernet: the header takes the EtherType and source MAC, and the record
 *   drops the 14-byte Ethernet header)
 * @param ifindex interface index
 * @param hatype ARPHRD_* type
 * @param pkttype `sll_pkttype`
 * @param protocol the EtherType the kernel saw (host order), for a frame that is not Ethernet
 * @returns `strip`: the bytes of link header the record drops (14 for Ethernet, else 0)
 */
export function writeSll2Header(
  dst: Uint8Array,
  at: number,
  frame: Uint8Array,
  from: number,
  caplen: number,
  linktype: number,
  ifindex: number,
  hatype: number,
  pkttype: number,
  protocol: number,
): number {
  const eth = linktype === LINKTYPE_ETHERNET && caplen >= ETH_HEADER_LEN;
  if (eth) {
    dst[at] = frame[from + ETH_TYPE_AT];
    dst[at + 1] = frame[from + ETH_TYPE_AT + 1];
  } else {
    dst[at] = protocol >>> 8;
    dst[at + 1] = protocol & 0xff;
  }
  dst[at + 2] = 0;
  dst[at + 3] = 0;
  dst[at + 4] = ifindex >>> 24;
  dst[at + 5] = (ifindex >>> 16) & 0xff;
  dst[at + 6] = (ifindex >>> 8) & 0xff;
  dst[at + 7] = ifindex & 0xff;
  dst[at + 8] = hatype >>> 8;
  dst[at + 9] = hatype & 0xff;
  dst[at + 10] = pkttype;
  const a = at + SLL2_ADDR_AT;
  if (eth) {
    dst[at + 11] = ETH_ALEN;
    for (let i = 0; i < ETH_ALEN; i++) dst[a + i] = frame[from + ETH_ALEN + i];
    dst[a + 6] = 0;
    dst[a + 7] = 0;
    return ETH_HEADER_LEN;
  }
  dst[at + 11] = 0;
  for (let i = 0; i < 8; i++) dst[a + i] = 0;
  return 0;
}
