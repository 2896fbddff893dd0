/**
 * Kernel constants, each with the header it comes from. Values are for Linux. The values that differ between
 * architectures (socket options and `O_NONBLOCK`-style flags on alpha, mips, parisc and sparc) come from
 * {@link archConstants}, which knows x86_64 and aarch64 (both use the asm-generic values) and refuses any
 * other architecture with a clear error instead of guessing.
 *
 * Byte order: every value here is a host-order number. The one field the kernel wants in network order,
 * `sll_protocol`/the `protocol` argument of `socket(AF_PACKET, ...)`, is converted where it is written
 * (see {@link htons}).
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------------------
// Address families and socket types (linux/socket.h, linux/net.h)

/** Address families (linux/socket.h). */
export const AF_INET = 2;
/** IPv6 (linux/socket.h). */
export const AF_INET6 = 10;
/** Packet sockets (linux/socket.h). */
export const AF_PACKET = 17;

/** Stream sockets (linux/net.h, `enum sock_type`). */
export const SOCK_STREAM = 1;
/** Datagram sockets (linux/net.h, `enum sock_type`). */
export const SOCK_DGRAM = 2;
/** Raw sockets: AF_PACKET frames with their link-layer header (linux/net.h). */
export const SOCK_RAW = 3;

/** Socket-level options (asm-generic/socket.h; x86_64 and aarch64 share these). */
export const SOL_SOCKET = 1;
/** Whether a socket is listening (asm-generic/socket.h). */
export const SO_ACCEPTCONN = 30;
/** The `level` of AF_PACKET options (linux/socket.h). */
export const SOL_PACKET = 263;

// ---------------------------------------------------------------------------------------------------------
// linux/if_ether.h

/** Every protocol: what a capture socket binds to (linux/if_ether.h). Host order; `htons` it. */
export const ETH_P_ALL = 0x0003;
/** IPv4 ethertype (linux/if_ether.h). */
export const ETH_P_IP = 0x0800;
/** 802.1Q VLAN tag protocol identifier (linux/if_ether.h). */
export const ETH_P_8021Q = 0x8100;
/** 802.1ad service VLAN tag protocol identifier (linux/if_ether.h). */
export const ETH_P_8021AD = 0x88a8;
/** Octets in an Ethernet address (linux/if_ether.h). */
export const ETH_ALEN = 6;
/** Octets in an Ethernet header: two addresses and the type (linux/if_ether.h). */
export const ETH_HLEN = 14;
/** Octets in an 802.1Q tag (linux/if_vlan.h `VLAN_HLEN`). */
export const VLAN_HLEN = 4;

// ---------------------------------------------------------------------------------------------------------
// linux/if_packet.h

/** `sll_pkttype`: addressed to this host (linux/if_packet.h). */
export const PACKET_HOST = 0;
/** `sll_pkttype`: link-layer broadcast (linux/if_packet.h). */
export const PACKET_BROADCAST = 1;
/** `sll_pkttype`: link-layer multicast (linux/if_packet.h). */
export const PACKET_MULTICAST = 2;
/** `sll_pkttype`: to another host, seen in promiscuous mode (linux/if_packet.h). */
export const PACKET_OTHERHOST = 3;
/** `sll_pkttype`: sent by this host (linux/if_packet.h). */
export const PACKET_OUTGOING = 4;

/** SOL_PACKET option: join a membership such as promiscuous mode (linux/if_packet.h). */
export const PACKET_ADD_MEMBERSHIP = 1;
/** SOL_PACKET option: leave a membership (linux/if_packet.h). */
export const PACKET_DROP_MEMBERSHIP = 2;
/** SOL_PACKET option: set up the receive ring (linux/if_packet.h). */
export const PACKET_RX_RING = 5;
/** SOL_PACKET option: read and reset the counters (linux/if_packet.h). */
export const PACKET_STATISTICS = 6;
/** SOL_PACKET option: pick the ring layout, TPACKET_V1..V3 (linux/if_packet.h). */
export const PACKET_VERSION = 10;
/** SOL_PACKET option: do not deliver packets this host sends (linux/if_packet.h, Linux 4.20+). */
export const PACKET_IGNORE_OUTGOING = 23;

/** `mr_type` of `packet_mreq`: promiscuous mode (linux/if_packet.h). */
export const PACKET_MR_PROMISC = 1;

/** `enum tpacket_versions` (linux/if_packet.h). */
export const TPACKET_V3 = 2;

/** Block or frame owned by the kernel (linux/if_packet.h). */
export const TP_STATUS_KERNEL = 0;
/** Block or frame handed to user space (linux/if_packet.h). */
export const TP_STATUS_USER = 1 << 0;
/** Frame truncated to the ring slot (linux/if_packet.h). */
export const TP_STATUS_COPY = 1 << 1;
/** Drops happened since the last statistics read (linux/if_packet.h). */
export const TP_STATUS_LOSING = 1 << 2;
/** Checksum is not computed yet (offload; linux/if_packet.h). */
export const TP_STATUS_CSUMNOTREADY = 1 << 3;
/** `tp_vlan_tci` holds a tag the kernel stripped from the frame (linux/if_packet.h). */
export const TP_STATUS_VLAN_VALID = 1 << 4;
/** Block retired by the timer rather than full (linux/if_packet.h). */
export const TP_STATUS_BLK_TMO = 1 << 5;
/** `tp_vlan_tpid` is valid (linux/if_packet.h). */
export const TP_STATUS_VLAN_TPID_VALID = 1 << 6;

/** `TPACKET_ALIGNMENT` (linux/if_packet.h): ring offsets are multiples of this. */
export const TPACKET_ALIGNMENT = 16;

/**
 * `TPACKET_ALIGN(x)` (linux/if_packet.h).
 *
 * @param x a byte count
 * @returns x rounded up to {@link TPACKET_ALIGNMENT}
 * @example
 * ```ts
 * import { tpacketAlign } from "./constants.ts";
 * if (tpacketAlign(49) !== 64) throw new Error("alignment");
 * ```
 */
export function tpacketAlign(x: number): number {
  return (x + TPACKET_ALIGNMENT - 1) & ~(TPACKET_ALIGNMENT - 1);
}

// ---------------------------------------------------------------------------------------------------------
// linux/if_arp.h: ARPHRD_* hardware types (sll_hatype), the ones the link-type mapping names

/** Ethernet (linux/if_arp.h). */
export const ARPHRD_ETHER = 1;
/** Experimental Ethernet (linux/if_arp.h). */
export const ARPHRD_EETHER = 2;
/** AX.25 (linux/if_arp.h). */
export const ARPHRD_AX25 = 3;
/** PROnet token ring (linux/if_arp.h). */
export const ARPHRD_PRONET = 4;
/** Chaosnet (linux/if_arp.h). */
export const ARPHRD_CHAOS = 5;
/** IEEE 802.2 (linux/if_arp.h). */
export const ARPHRD_IEEE802 = 6;
/** ARCnet (linux/if_arp.h). */
export const ARPHRD_ARCNET = 7;
/** Frame relay DLCI (linux/if_arp.h). */
export const ARPHRD_DLCI = 15;
/** Metricom STRIP (linux/if_arp.h). */
export const ARPHRD_METRICOM = 23;
/** CAN bus (linux/if_arp.h). */
export const ARPHRD_CAN = 280;
/** SLIP (linux/if_arp.h). */
export const ARPHRD_SLIP = 256;
/** Compressed SLIP (linux/if_arp.h). */
export const ARPHRD_CSLIP = 257;
/** SLIP over IPv6 (linux/if_arp.h). */
export const ARPHRD_SLIP6 = 258;
/** Compressed SLIP over IPv6 (linux/if_arp.h). */
export const ARPHRD_CSLIP6 = 259;
/** Adaptive SLIP (linux/if_arp.h). */
export const ARPHRD_ADAPT = 264;
/** PPP (linux/if_arp.h). */
export const ARPHRD_PPP = 512;
/** Cisco HDLC (linux/if_arp.h). */
export const ARPHRD_CISCO = 513;
/** Raw HDLC (linux/if_arp.h). */
export const ARPHRD_RAWHDLC = 518;
/** Raw IP (linux/if_arp.h). */
export const ARPHRD_RAWIP = 519;
/** IPIP tunnel (linux/if_arp.h). */
export const ARPHRD_TUNNEL = 768;
/** IP6IP6 tunnel (linux/if_arp.h). */
export const ARPHRD_TUNNEL6 = 769;
/** Loopback (linux/if_arp.h). */
export const ARPHRD_LOOPBACK = 772;
/** FDDI (linux/if_arp.h). */
export const ARPHRD_FDDI = 774;
/** IPv6-in-IPv4 (linux/if_arp.h). */
export const ARPHRD_SIT = 776;
/** GRE over IP (linux/if_arp.h). */
export const ARPHRD_IPGRE = 778;
/** IrDA (linux/if_arp.h). */
export const ARPHRD_IRDA = 783;
/** Token ring (linux/if_arp.h). */
export const ARPHRD_IEEE802_TR = 800;
/** 802.11 (linux/if_arp.h). */
export const ARPHRD_IEEE80211 = 801;
/** 802.11 with Prism header (linux/if_arp.h). */
export const ARPHRD_IEEE80211_PRISM = 802;
/** 802.11 with radiotap header (linux/if_arp.h). */
export const ARPHRD_IEEE80211_RADIOTAP = 803;
/** 802.15.4 (linux/if_arp.h). */
export const ARPHRD_IEEE802154 = 804;
/** Netlink monitor (linux/if_arp.h). */
export const ARPHRD_NETLINK = 824;
/** vsock monitor (linux/if_arp.h). */
export const ARPHRD_VSOCKMON = 826;
/** LAPD: not in linux/if_arp.h; isdn4linux's value, which libpcap's pcap-linux.c defines. */
export const ARPHRD_LAPD = 8445;
/** No link-layer header: tun, WireGuard (linux/if_arp.h). */
export const ARPHRD_NONE = 0xfffe;

// ---------------------------------------------------------------------------------------------------------
// pcap LINKTYPE_* values (https://www.tcpdump.org/linktypes.html)

/** Ethernet (pcap LINKTYPE_ETHERNET). */
export const LINKTYPE_ETHERNET = 1;
/** Raw IPv4/IPv6, no link header (pcap LINKTYPE_RAW). */
export const LINKTYPE_RAW = 101;
/** Linux cooked capture v1 (pcap LINKTYPE_LINUX_SLL). */
export const LINKTYPE_LINUX_SLL = 113;

/**
 * The pcap LINKTYPE for an ARPHRD hardware type, following libpcap's `map_arphrd_to_dlt` in pcap-linux.c
 * for a raw (not cooked) socket. Types libpcap would capture in cooked mode (PPP, ATM, InfiniBand, unknown
 * types) have no raw mapping: they give -1, and the caller keeps the `hatype`.
 *
 * @param hatype `sll_hatype`, an ARPHRD_* value
 * @returns a pcap LINKTYPE_* value, or -1 when libpcap has no raw-mode mapping for it
 * @example
 * ```ts
 * import { ARPHRD_LOOPBACK, linktypeForHatype } from "./constants.ts";
 * if (linktypeForHatype(ARPHRD_LOOPBACK) !== 1) throw new Error("loopback frames are Ethernet");
 * ```
 */
export function linktypeForHatype(hatype: number): number {
  switch (hatype) {
    case ARPHRD_ETHER:
    case ARPHRD_LOOPBACK:
    case ARPHRD_METRICOM:
      return LINKTYPE_ETHERNET;
    case ARPHRD_EETHER:
      return 2; // LINKTYPE_EXP_ETHERNET
    case ARPHRD_AX25:
      return 202; // LINKTYPE_AX25_KISS
    case ARPHRD_PRONET:
      return 4; // LINKTYPE_PRONET
    case ARPHRD_CHAOS:
      return 5; // LINKTYPE_CHAOS
    case ARPHRD_IEEE802:
    case ARPHRD_IEEE802_TR:
      return 6; // LINKTYPE_IEEE802_5
    case ARPHRD_ARCNET:
      return 129; // LINKTYPE_ARCNET_LINUX
    case ARPHRD_FDDI:
      return 10; // LINKTYPE_FDDI
    case ARPHRD_IEEE80211:
      return 105; // LINKTYPE_IEEE802_11
    case ARPHRD_IEEE80211_PRISM:
      return 119; // LINKTYPE_PRISM_HEADER
    case ARPHRD_IEEE80211_RADIOTAP:
      return 127; // LINKTYPE_IEEE802_11_RADIOTAP
    case ARPHRD_CISCO:
      return 104; // LINKTYPE_C_HDLC
    case ARPHRD_IRDA:
      return 144; // LINKTYPE_LINUX_IRDA
    case ARPHRD_LAPD:
      return 177; // LINKTYPE_LINUX_LAPD
    case ARPHRD_CAN:
      return 227; // LINKTYPE_CAN_SOCKETCAN
    case ARPHRD_IEEE802154:
      return 230; // LINKTYPE_IEEE802_15_4_NOFCS
    case ARPHRD_NETLINK:
      return 253; // LINKTYPE_NETLINK
    case ARPHRD_VSOCKMON:
      return 271;
    // No link-layer header: the frame starts with the IP header.
    // LINKTYPE_VSOCK
    case ARPHRD_NONE:
    case ARPHRD_RAWIP:
    case ARPHRD_TUNNEL:
    case ARPHRD_TUNNEL6:
    case ARPHRD_SIT:
    case ARPHRD_IPGRE:
    case ARPHRD_SLIP:
    case ARPHRD_CSLIP:
    case ARPHRD_SLIP6:
    case ARPHRD_CSLIP6:
    case ARPHRD_ADAPT:
    case ARPHRD_RAWHDLC:
    case ARPHRD_DLCI:
      return LINKTYPE_RAW;
    default:
      return -1;
  }
}

// ---------------------------------------------------------------------------------------------------------
// linux/filter.h (classic BPF)

/** Most instructions in a classic BPF program (linux/filter.h `BPF_MAXINSNS`). */
export const BPF_MAXINSNS = 4096;
/** `BPF_RET | BPF_K`: return a constant (linux/filter.h). */
export const BPF_RET_K = 0x06;
/** `BPF_LD | BPF_W | BPF_ABS`: load a 32-bit word at a constant offset (linux/filter.h). */
export const BPF_LD_W_ABS = 0x20;
/** `BPF_JMP | BPF_JEQ | BPF_K`: jump on equality with a constant (linux/filter.h). */
export const BPF_JEQ_K = 0x15;
/** Base of the ancillary-data offsets a classic load reads instead of packet bytes (linux/filter.h). */
export const SKF_AD_OFF = -0x1000;
/** Ancillary datum: the packet type, e.g. PACKET_OUTGOING (linux/filter.h). */
export const SKF_AD_PKTTYPE = 4;
/** Ancillary datum: the device's ARPHRD_* type (linux/filter.h). */
export const SKF_AD_HATYPE = 28;

// ---------------------------------------------------------------------------------------------------------
// linux/if.h interface flags, linux/sockios.h ioctls

/** Interface is administratively up (linux/if.h). */
export const IFF_UP = 0x1;
/** Interface has a broadcast address (linux/if.h). */
export const IFF_BROADCAST = 0x2;
/** Interface is a loopback (linux/if.h). */
export const IFF_LOOPBACK = 0x8;
/** Point-to-point link (linux/if.h). */
export const IFF_POINTOPOINT = 0x10;
/** Interface has resources allocated: operationally up (linux/if.h). */
export const IFF_RUNNING = 0x40;
/** Receive all packets (linux/if.h). */
export const IFF_PROMISC = 0x100;
/** Supports multicast (linux/if.h). */
export const IFF_MULTICAST = 0x1000;
/** `IFNAMSIZ`: interface names are shorter than this, NUL included (linux/if.h). */
export const IFNAMSIZ = 16;

/** Get an interface's MTU (linux/sockios.h). */
export const SIOCGIFMTU = 0x8921;

// ---------------------------------------------------------------------------------------------------------
// Memory mapping (asm-generic/mman-common.h) and poll (asm-generic/poll.h)

/** Pages may be read (asm-generic/mman-common.h). */
export const PROT_READ = 0x1;
/** Pages may be written (asm-generic/mman-common.h). */
export const PROT_WRITE = 0x2;
/** Share the mapping (linux/mman.h). */
export const MAP_SHARED = 0x01;
/** Changes are private (linux/mman.h). */
export const MAP_PRIVATE = 0x02;
/** Place the mapping exactly at the address given (asm-generic/mman-common.h). */
export const MAP_FIXED = 0x10;
/** Not backed by a file (asm-generic/mman-common.h). */
export const MAP_ANONYMOUS = 0x20;

/** There is data to read (asm-generic/poll.h). */
export const POLLIN = 0x0001;
/** Error condition (asm-generic/poll.h). */
export const POLLERR = 0x0008;
/** Hung up (asm-generic/poll.h). */
export const POLLHUP = 0x0010;
/** Invalid fd (asm-generic/poll.h). */
export const POLLNVAL = 0x0020;

/** Resource usage of the calling process (linux/resource.h). */
export const RUSAGE_SELF = 0;

// ---------------------------------------------------------------------------------------------------------
// Raw IP sockets and message flags (linux/in.h, linux/in6.h, linux/socket.h, linux/if_ether.h)

/** IPv6 ethertype (linux/if_ether.h). */
export const ETH_P_IPV6 = 0x86dd;
/** ARP ethertype (linux/if_ether.h). */
export const ETH_P_ARP = 0x0806;
/** ICMP protocol number (linux/in.h). */
export const IPPROTO_ICMP = 1;
/** TCP protocol number (linux/in.h). */
export const IPPROTO_TCP = 6;
/** UDP protocol number (linux/in.h). */
export const IPPROTO_UDP = 17;
/** IPv6 header / IPv6 option level (linux/in.h, linux/in6.h). */
export const IPPROTO_IPV6 = 41;
/** ICMPv6 protocol number (linux/in6.h). */
export const IPPROTO_ICMPV6 = 58;
/** Raw IP: a socket of this protocol sends whole IP packets (`IP_HDRINCL` implied, raw(7)). */
export const IPPROTO_RAW = 255;
/** The `level` of IPv4 options (linux/in.h `SOL_IP`). */
export const SOL_IP = 0;
/** Caller supplies the IPv4 header (linux/in.h). */
export const IP_HDRINCL = 3;
/** Caller supplies the IPv6 header (linux/in6.h, Linux 4.5+). */
export const IPV6_HDRINCL = 36;
/** The send buffer size option (asm-generic/socket.h). */
export const SO_SNDBUF = 7;
/** Non-blocking for one call (linux/socket.h). */
export const MSG_DONTWAIT = 0x40;
/** No SIGPIPE when the peer has gone (linux/socket.h). */
export const MSG_NOSIGNAL = 0x4000;
/** Bind an address in TIME_WAIT (asm-generic/socket.h). */
export const SO_REUSEADDR = 2;
/** Several sockets share one port, the kernel spreads connections (asm-generic/socket.h). */
export const SO_REUSEPORT = 15;
/** An IPv6 socket takes IPv6 only (0: IPv4-mapped too) (linux/in6.h). */
export const IPV6_V6ONLY = 26;
/** `shutdown()` of the sending side (linux/net.h). */
export const SHUT_WR = 1;

/** epoll_ctl operations (linux/eventpoll.h). */
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
/** epoll event bits (linux/eventpoll.h). */
export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDHUP = 0x2000;

// ---------------------------------------------------------------------------------------------------------
// Per-architecture values

/** The values that depend on the CPU architecture. */
export interface ArchConstants {
  /** `SOCK_NONBLOCK` (= `O_NONBLOCK`, asm-generic/fcntl.h on these architectures). */
  readonly SOCK_NONBLOCK: number;
  /** `SOCK_CLOEXEC` (= `O_CLOEXEC`, asm-generic/fcntl.h). */
  readonly SOCK_CLOEXEC: number;
  /** `SO_RCVBUF` (asm-generic/socket.h; alpha, mips, parisc and sparc differ). */
  readonly SO_RCVBUF: number;
  /** `SO_ERROR` (asm-generic/socket.h; alpha, mips, parisc and sparc differ). */
  readonly SO_ERROR: number;
  /** `SO_ATTACH_FILTER` (asm-generic/socket.h; parisc and sparc differ). */
  readonly SO_ATTACH_FILTER: number;
  /** `SO_DETACH_FILTER` (asm-generic/socket.h). */
  readonly SO_DETACH_FILTER: number;
  /** `EFD_CLOEXEC` (linux/eventfd.h, = `O_CLOEXEC`). */
  readonly EFD_CLOEXEC: number;
  /** `EFD_NONBLOCK` (linux/eventfd.h, = `O_NONBLOCK`). */
  readonly EFD_NONBLOCK: number;
  /** `sizeof(void *)`: both supported architectures are LP64. */
  readonly POINTER_SIZE: number;
}

// x86_64 and aarch64 both take these from the asm-generic headers.
const GENERIC_LP64: ArchConstants = Object.freeze({
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
  SO_RCVBUF: 8,
  SO_ERROR: 4,
  SO_ATTACH_FILTER: 26,
  SO_DETACH_FILTER: 27,
  EFD_CLOEXEC: 0o2000000,
  EFD_NONBLOCK: 0o4000,
  POINTER_SIZE: 8,
});

/**
 * The constants of the architecture Deno runs on.
 *
 * @param arch the architecture, default `Deno.build.arch`
 * @returns the values for that architecture
 * @throws {Error} for an architecture netkit does not know (its values may differ)
 * @example
 * ```ts
 * import { archConstants } from "./constants.ts";
 * if (archConstants("x86_64").SO_ATTACH_FILTER !== 26) throw new Error("asm-generic value");
 * ```
 */
export function archConstants(arch: string = Deno.build.arch): ArchConstants {
  switch (arch) {
    case "x86_64":
    case "aarch64":
      return GENERIC_LP64;
    default:
      throw new Error(
        `netkit's ffi/ knows the kernel constants of x86_64 and aarch64 only, not ${arch}: ` +
          "socket option and flag values differ between architectures, so it refuses to guess",
      );
  }
}

/**
 * Host to network byte order for 16 bits (both supported architectures are little-endian).
 *
 * @param x a 16-bit value in host order
 * @returns the value with its bytes swapped, as `htons` gives on a little-endian host
 * @example
 * ```ts
 * import { ETH_P_ALL, htons } from "./constants.ts";
 * if (htons(ETH_P_ALL) !== 0x0300) throw new Error("byte order");
 * ```
 */
export function htons(x: number): number {
  return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
}
