/**
 * The syntax tree of a filter expression, as the parser builds it and the code generator reads it. Every
 * node keeps the offset of its first token so that a semantic error can point at it.
 *
 * @module
 */

/**
 * Protocol qualifiers. `link` and `wlan` are aliases of `ether`; `radio` (the radiotap header of
 * LINKTYPE_IEEE802_11_RADIO) only indexes loads, `radio[0]`. The {@link LinkProtoName}s are tests of the
 * link layer's protocol field (or its 802.2 LLC header); only `decnet` takes an address and only `iso` and
 * `isis` take `proto N`.
 */
export type ProtoName =
  | "ether"
  | "radio"
  | "ip"
  | "ip6"
  | "arp"
  | "rarp"
  | "tcp"
  | "udp"
  | "sctp"
  | "icmp"
  | "icmp6"
  | "igmp"
  | LinkProtoName;

/**
 * libpcap's protocols named by their link-layer type or LLC SAP: `atalk` (AppleTalk), `aarp`, `decnet`,
 * `lat`, `sca`, `moprc`, `mopdl` (DEC), `ipx`, `netbeui`, `stp` (802.1D), and the OSI family: `iso`,
 * `clnp`, `esis` (ES-IS), `isis` (IS-IS) and the IS-IS PDU groups `l1`, `l2`, `iih`, `lsp`, `snp`, `csnp`,
 * `psnp`.
 */
export type LinkProtoName =
  | "atalk"
  | "aarp"
  | "decnet"
  | "lat"
  | "sca"
  | "moprc"
  | "mopdl"
  | "ipx"
  | "netbeui"
  | "stp"
  | "iso"
  | "clnp"
  | "esis"
  | "isis"
  | "l1"
  | "l2"
  | "iih"
  | "lsp"
  | "snp"
  | "csnp"
  | "psnp";

/**
 * Direction qualifiers. The 802.11 ones name a MAC header field: `ra` (receiver), `ta` (transmitter) and
 * `addr1`..`addr4` (written `address1`..`address4` too); they apply to `wlan`/`ether` MAC addresses only.
 */
export type Direction =
  | "src"
  | "dst"
  | "src or dst"
  | "src and dst"
  | WlanDirection;

/** The 802.11 direction qualifiers of {@link Direction}. */
export type WlanDirection = "ra" | "ta" | "addr1" | "addr2" | "addr3" | "addr4";

/** An address value of a `host`/`net` primitive. */
export type AddressValue =
  | { readonly family: "ipv4"; readonly addr: number; readonly mask: number }
  | { readonly family: "ipv6"; readonly addr: Uint8Array; readonly prefix: number }
  | { readonly family: "mac"; readonly addr: Uint8Array }
  /** A DECnet address, area << 10 | node (`decnet host 1.2` is 0x0402). */
  | { readonly family: "decnet"; readonly addr: number };

/** Arithmetic expressions of relations (`tcp[13] & 2 != 0`, `len > 100`). */
export type ArithNode =
  | { readonly kind: "num"; readonly value: number; readonly offset: number }
  | { readonly kind: "len"; readonly offset: number }
  | {
    readonly kind: "load";
    readonly proto: ProtoName;
    readonly index: ArithNode;
    readonly size: 1 | 2 | 4;
    readonly offset: number;
  }
  | {
    readonly kind: "binary";
    readonly op: "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^" | "<<" | ">>";
    readonly left: ArithNode;
    readonly right: ArithNode;
    readonly offset: number;
  }
  | { readonly kind: "neg"; readonly operand: ArithNode; readonly offset: number };

/** Relational operators, `==` already folded into `=`. */
export type RelOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** Boolean filter expressions. */
export type FilterNode =
  | {
    readonly kind: "and" | "or";
    readonly left: FilterNode;
    readonly right: FilterNode;
    readonly offset: number;
  }
  | { readonly kind: "not"; readonly operand: FilterNode; readonly offset: number }
  /** `tcp`, `ip6`, `arp`: the packet is of that protocol. */
  | { readonly kind: "proto"; readonly proto: ProtoName; readonly offset: number }
  /** `[proto] [dir] host ADDR`, `[proto] [dir] net NET`. */
  | {
    readonly kind: "host" | "net";
    readonly proto?: ProtoName;
    readonly dir: Direction;
    readonly value: AddressValue;
    readonly offset: number;
  }
  /** `[proto] [dir] port N` and `portrange A-B` (a port is a range of one). */
  | {
    readonly kind: "port";
    readonly proto?: ProtoName;
    readonly dir: Direction;
    readonly low: number;
    readonly high: number;
    readonly range: boolean;
    readonly offset: number;
  }
  /** `ip proto N`, `ip6 proto N`, `proto N` (either), `ether proto N`, `iso proto N`, `isis proto N`. */
  | { readonly kind: "protonum"; readonly proto?: ProtoName; readonly value: number; readonly offset: number }
  /**
   * `[ip|ip6] protochain N`: protocol N anywhere in the chain of IPv6 extension headers (and IPsec AH
   * headers, on IPv4 too), libpcap's loop unrolled.
   */
  | {
    readonly kind: "protochain";
    readonly proto?: "ip" | "ip6";
    readonly value: number;
    readonly offset: number;
  }
  /** `[ether|ip|ip6] broadcast|multicast`. */
  | {
    readonly kind: "broadcast" | "multicast";
    readonly proto?: ProtoName;
    readonly offset: number;
  }
  /** `vlan [ID]`: shifts the offsets of everything after it by one 802.1Q tag, as libpcap does. */
  | { readonly kind: "vlan"; readonly id?: number; readonly offset: number }
  /** `mpls [LABEL]`: an MPLS label stack entry; what follows is read behind it (4 bytes further). */
  | { readonly kind: "mpls"; readonly label?: number; readonly offset: number }
  /** `pppoed`: PPPoE discovery. */
  | { readonly kind: "pppoed"; readonly offset: number }
  /** `pppoes [SESSION]`: PPPoE session; what follows is read as PPP behind the 6-byte PPPoE header. */
  | { readonly kind: "pppoes"; readonly session?: number; readonly offset: number }
  /** `geneve [VNI]`: Geneve on UDP port 6081; what follows is read in the encapsulated frame. */
  | { readonly kind: "geneve"; readonly vni?: number; readonly offset: number }
  /**
   * `llc [TYPE]`: an 802.2 LLC frame; with a type, its control field masked with `mask` equals `value`
   * (`i`: mask 0x01 value 0, `s`/`u`: mask 0x03, S subtypes mask 0x0f, U subtypes mask 0xef).
   */
  | {
    readonly kind: "llc";
    readonly control?: { readonly mask: number; readonly value: number };
    readonly offset: number;
  }
  /** `inbound`/`outbound`: the packet direction of a Linux cooked (SLL, SLL2) header. */
  | { readonly kind: "inbound" | "outbound"; readonly offset: number }
  /**
   * `type T [subtype S]` and `subtype S`: the 802.11 frame control byte masked with `mask` (0x0c for the
   * type, 0xfc for type and subtype) equals `value` (type and subtype bits in place: `type data` is 0x08,
   * `subtype beacon` 0x80).
   */
  | { readonly kind: "wlantype"; readonly value: number; readonly mask: number; readonly offset: number }
  /** `dir D`: the 802.11 To-DS/From-DS bits (0 nods, 1 tods, 2 fromds, 3 dstods) equal `value`. */
  | { readonly kind: "wlandir"; readonly value: number; readonly offset: number }
  /** `less N` (length <= N) and `greater N` (length >= N). */
  | { readonly kind: "less" | "greater"; readonly length: number; readonly offset: number }
  /** `ARITH RELOP ARITH`. */
  | {
    readonly kind: "relation";
    readonly op: RelOp;
    readonly left: ArithNode;
    readonly right: ArithNode;
    readonly offset: number;
  };
