/**
 * C struct layouts for LP64 Linux (x86_64, aarch64): one offset table per struct, with its size. Fields are
 * grouped by byte order: `host` fields are read with little-endian `DataView` accessors (both supported
 * architectures are little-endian), `net` fields are big-endian (network order) as the kernel stores them.
 * Nothing else in ffi/ writes a numeric struct offset.
 *
 * @module
 */

/** `struct sockaddr_ll` (linux/if_packet.h), 20 bytes. */
export const SOCKADDR_LL = {
  size: 20,
  host: {
    /** u16 AF_PACKET */
    family: 0,
    /** i32 interface index */
    ifindex: 4,
    /** u16 ARPHRD_* */
    hatype: 8,
    /** u8 PACKET_HOST, PACKET_OUTGOING, ... */
    pkttype: 10,
    /** u8 length of `addr` in use */
    halen: 11,
    /** u8[8] link-layer address */
    addr: 12,
  },
  net: {
    /** u16 ethertype, network order */
    protocol: 2,
  },
} as const;

/** `struct packet_mreq` (linux/if_packet.h), 16 bytes. */
export const PACKET_MREQ = {
  size: 16,
  host: {
    /** i32 interface index */
    ifindex: 0,
    /** u16 PACKET_MR_* */
    type: 4,
    /** u16 address length */
    alen: 6,
    /** u8[8] address */
    address: 8,
  },
  net: {},
} as const;

/** `struct tpacket_req3` (linux/if_packet.h), 28 bytes, all u32. */
export const TPACKET_REQ3 = {
  size: 28,
  host: {
    blockSize: 0,
    blockNr: 4,
    frameSize: 8,
    frameNr: 12,
    /** block retire timeout in ms */
    retireBlkTov: 16,
    sizeofPriv: 20,
    featureReqWord: 24,
  },
  net: {},
} as const;

/** `struct tpacket3_hdr` (linux/if_packet.h), 48 bytes: the header of each packet in a V3 block. */
export const TPACKET3_HDR = {
  size: 48,
  host: {
    /** u32 offset from this header to the next packet's, 0 for the last */
    nextOffset: 0,
    /** u32 seconds */
    sec: 4,
    /** u32 nanoseconds */
    nsec: 8,
    /** u32 bytes captured */
    snaplen: 12,
    /** u32 bytes on the wire */
    len: 16,
    /** u32 TP_STATUS_* */
    status: 20,
    /** u16 offset from this header to the link-layer frame */
    mac: 24,
    /** u16 offset to the network header */
    net: 26,
    /** u32 (hv1) receive hash */
    rxhash: 28,
    /** u32 (hv1) VLAN TCI, valid with TP_STATUS_VLAN_VALID */
    vlanTci: 32,
    /** u16 (hv1) VLAN TPID, valid with TP_STATUS_VLAN_TPID_VALID; host order */
    vlanTpid: 36,
  },
  net: {},
} as const;

/**
 * `struct tpacket_block_desc` with its `struct tpacket_hdr_v1` (linux/if_packet.h), 48 bytes: the header of
 * each block of a TPACKET_V3 ring.
 */
export const TPACKET_BLOCK_DESC = {
  size: 48,
  host: {
    /** u32 */
    version: 0,
    /** u32 */
    offsetToPriv: 4,
    /** u32 (hdr.bh1) TP_STATUS_KERNEL or TP_STATUS_USER, the ownership word */
    blockStatus: 8,
    /** u32 packets in the block */
    numPkts: 12,
    /** u32 offset from the block start to the first packet */
    offsetToFirstPkt: 16,
    /** u32 bytes used */
    blkLen: 20,
    /** u64 */
    seqNum: 24,
    /** u32 + u32 */
    tsFirstPkt: 32,
    /** u32 + u32 */
    tsLastPkt: 40,
  },
  net: {},
} as const;

/** `struct tpacket_stats_v3` (linux/if_packet.h), 12 bytes, all u32. */
export const TPACKET_STATS_V3 = {
  size: 12,
  host: {
    /** packets that passed the filter, drops included */
    packets: 0,
    /** packets dropped for lack of ring space */
    drops: 4,
    /** times the ring was full (queue frozen) */
    freezeQCnt: 8,
  },
  net: {},
} as const;

/** `struct sock_filter` (linux/filter.h), 8 bytes: one classic BPF instruction. */
export const SOCK_FILTER = {
  size: 8,
  host: {
    /** u16 opcode */
    code: 0,
    /** u8 jump if true */
    jt: 2,
    /** u8 jump if false */
    jf: 3,
    /** u32 constant */
    k: 4,
  },
  net: {},
} as const;

/** `struct sock_fprog` (linux/filter.h), 16 bytes on LP64: the length, padding, then a pointer. */
export const SOCK_FPROG = {
  size: 16,
  host: {
    /** u16 instruction count */
    len: 0,
    /** pointer to the `sock_filter` array */
    filter: 8,
  },
  net: {},
} as const;

/** `struct ifreq` (linux/if.h), 40 bytes on LP64: a name then a union. */
export const IFREQ = {
  size: 40,
  host: {
    /** char[IFNAMSIZ] */
    name: 0,
    /** the union: `ifr_mtu` (i32), `ifr_flags` (i16), `ifr_ifindex` (i32) ... */
    ifru: 16,
  },
  net: {},
} as const;

/** `struct ifaddrs` (ifaddrs.h, glibc), 56 bytes on LP64: a linked list node. */
export const IFADDRS = {
  size: 56,
  host: {
    /** pointer to the next node */
    next: 0,
    /** pointer to the NUL-terminated name */
    name: 8,
    /** u32 IFF_* */
    flags: 16,
    /** pointer to a sockaddr, may be NULL */
    addr: 24,
    /** pointer to a sockaddr, may be NULL */
    netmask: 32,
    /** pointer to a sockaddr (broadcast or peer), may be NULL */
    broadaddr: 40,
    /** pointer to address-family data */
    data: 48,
  },
  net: {},
} as const;

/** `struct sockaddr_in` (linux/in.h), 16 bytes. */
export const SOCKADDR_IN = {
  size: 16,
  host: { family: 0 },
  net: { port: 2, addr: 4 },
} as const;

/** `struct sockaddr_in6` (linux/in6.h), 28 bytes. */
export const SOCKADDR_IN6 = {
  size: 28,
  host: { family: 0, scopeId: 24 },
  net: { port: 2, flowinfo: 4, addr: 8 },
} as const;

/** `struct passwd` (pwd.h, glibc), 48 bytes on LP64. */
export const PASSWD = {
  size: 48,
  host: {
    /** pointer to the name */
    name: 0,
    /** pointer */
    passwd: 8,
    /** u32 */
    uid: 16,
    /** u32 */
    gid: 20,
    /** pointer */
    gecos: 24,
    /** pointer */
    dir: 32,
    /** pointer */
    shell: 40,
  },
  net: {},
} as const;

/** `struct rusage` (linux/resource.h), 144 bytes on LP64: two `timeval`s, then 14 longs. */
export const RUSAGE = {
  size: 144,
  host: {
    /** i64 user CPU seconds, then i64 microseconds at +8 */
    utime: 0,
    /** i64 system CPU seconds, then i64 microseconds at +8 */
    stime: 16,
  },
  net: {},
} as const;

/** `struct pollfd` (asm-generic/poll.h), 8 bytes. */
export const POLLFD = {
  size: 8,
  host: {
    /** i32 */
    fd: 0,
    /** i16 */
    events: 4,
    /** i16 */
    revents: 6,
  },
  net: {},
} as const;

/** `struct iovec` (linux/uio.h), 16 bytes on LP64. */
export const IOVEC = {
  size: 16,
  host: {
    /** pointer to the bytes */
    base: 0,
    /** size_t byte count */
    len: 8,
  },
  net: {},
} as const;

/** `struct msghdr` (linux/socket.h, user-space layout), 56 bytes on LP64. */
export const MSGHDR = {
  size: 56,
  host: {
    /** pointer to a sockaddr, or NULL */
    name: 0,
    /** u32 sockaddr length */
    namelen: 8,
    /** pointer to an iovec array */
    iov: 16,
    /** size_t number of iovecs */
    iovlen: 24,
    /** pointer to ancillary data */
    control: 32,
    /** size_t ancillary length */
    controllen: 40,
    /** i32 flags (set on receive) */
    flags: 48,
  },
  net: {},
} as const;

/** `struct mmsghdr` (linux/socket.h): a msghdr then the u32 byte count the kernel sets; 64 bytes on LP64. */
export const MMSGHDR = {
  size: 64,
  host: {
    /** the embedded msghdr */
    hdr: 0,
    /** u32 bytes sent or received for this message */
    len: 56,
  },
  net: {},
} as const;

/**
 * A `DataView` over exactly the bytes of `u8`, which may be a `subarray` with an offset.
 *
 * @param u8 the bytes
 * @returns a view over the same memory
 * @example
 * ```ts
 * import { dataView } from "./structs.ts";
 * const bytes = new Uint8Array([0, 1, 2, 3]).subarray(2);
 * if (dataView(bytes).getUint8(0) !== 2) throw new Error("offset honoured");
 * ```
 */
export function dataView(u8: Uint8Array): DataView {
  return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
}
