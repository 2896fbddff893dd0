/**
 * The classic libpcap file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html).
 *
 * ```
 * file header (24 bytes)                      record header (16 bytes), then caplen bytes of packet
 *  0 magic        a1b2c3d4 (µs) / a1b23c4d (ns) 0 ts seconds
 *  4 major 2  6 minor 4                         4 ts microseconds, or nanoseconds with the ns magic
 *  8 thiszone (0)  12 sigfigs (0)               8 caplen: bytes stored
 * 16 snaplen                                   12 len: bytes on the wire
 * 20 linktype (low 26 bits; FCS info above)
 * ```
 *
 * Every field is in the byte order of the writer; the reader learns it from how the magic reads. The
 * link-type field's top bits may carry FCS information (bit 28 set: FCS length in bits 29-31), so only its
 * low 26 bits are the link type (libpcap's LT_LINKTYPE mask; bits 26-27 are reserved).
 *
 * @module
 */

/** Magic of a file with microsecond timestamps, as the writer's own byte order reads it. */
export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
/** Magic of a file with nanosecond timestamps. */
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
/** The format version every current writer puts in the header. */
export const PCAP_VERSION = { major: 2, minor: 4 } as const;

/** Offsets of the file header's fields. */
export const PcapHeaderOffset = {
  magic: 0,
  versionMajor: 4,
  versionMinor: 6,
  thiszone: 8,
  sigfigs: 12,
  snaplen: 16,
  linktype: 20,
} as const;
/** Length of the file header. */
export const PCAP_HEADER_LEN = 24;

/** Offsets of a record header's fields. */
export const PcapRecordOffset = { tsSec: 0, tsFrac: 4, caplen: 8, len: 12 } as const;
/** Length of a record header. */
export const PCAP_RECORD_HEADER_LEN = 16;

/** Mask of the link-type field that holds the link type (libpcap LT_LINKTYPE; the rest is reserved or FCS). */
export const PCAP_LINKTYPE_MASK = 0x03ffffff;
/** tcpdump's default snap length, used when a writer is given none. */
export const DEFAULT_SNAPLEN = 262144;
/** Largest caplen a reader accepts (libpcap uses the same bound): anything above is a corrupt file. */
export const MAX_CAPLEN = 256 * 1024 * 1024;
