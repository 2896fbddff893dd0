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
