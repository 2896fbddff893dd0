/**
 * Code generation: filter syntax tree -> classic BPF, in libpcap's manner. Each primitive becomes a small
 * graph of blocks (loads, then one conditional jump) with lists of "true" and "false" exits; `and`, `or`
 * and `not` patch and swap those lists (libpcap's backpatching). {@link optimizeBlocks} then removes loads
 * whose value the register already holds and threads jumps whose outcome an earlier test on the same value
 * decided (libpcap's redundant-load and jump optimizations), merges identical blocks, and lays the blocks
 * out in libpcap's order, so simple expressions give tcpdump's exact listing.
 *
 * Two dialects:
 * - `"libpcap"`: libpcap 1.10's code: on IPv6, `tcp`/`udp` look only through a fragment header, ports and
 *   `tcp[...]` see only a TCP/UDP header right after the fixed header (`tcp[...]` matches IPv4 only).
 * - `"netkit"` (default): on IPv6, transport tests walk the extension headers (hop-by-hop 0, routing 43,
 *   fragment 44, destination options 60), unrolled `maxExtHeaders` times with X holding the running offset;
 *   a packet with more extension headers than that is accepted by the kernel program and decided in user
 *   space (an over-approximation: the walk's overflow counts as "match" where the primitive appears
 *   un-negated and as "no match" under a `not`).
 *
 * 802.11 (LINKTYPE_IEEE802_11 105, and 127 with a radiotap header first) has a variable link-layer
 * payload offset, computed as libpcap does by a preamble before the first test: the radiotap length
 * (little-endian at offset 2) into M[0], then the 802.11 header length into M[1] (M[0] on 105): 24 for a
 * data frame, +2 with the QoS subtype bit, rounded up to 4 when the radiotap flags field (its offset
 * depends on TSFT; only the first present word is read) has the data-pad bit. Every later load of the
 * network layer is `ldx M[n]; ld [x + k]`, behind the LLC/SNAP header (8 bytes, the EtherType at 6),
 * and the IPv4 header length is added in A (`ldb [x + 8]; and #0xf; lsh #2; add x; tax`) since
 * `ldxb 4*([k]&0xf)` needs a constant offset. libpcap turns its optimizer off for such a program; so
 * does the libpcap dialect here, which then gives libpcap's raw block graph, arithmetic included (every
 * value through a scratch register, allocated as libpcap's alloc_reg does). That keeps two libpcap 1.10
 * behaviours the netkit dialect does not have: a binary operation keeps only its left operand's protocol
 * checks (`ip[0] + tcp[0] = 1` reads `tcp[0]` from any IPv4 packet), and a relation before the first test
 * that needs an 802.11 offset frees registers that offset then gets and overwrites at run time
 * (`len > 100 and ip` reads the SNAP type at 106). Expressions that read only the 802.11 header
 * (`wlan host`, `type`, `subtype`, `dir`) run the optimizer as libpcap does.
 *
 * Encapsulations move the layers for everything after them, as libpcap's offsets do (the `Layers` state):
 * `vlan` moves the protocol field and the payload by 4; `mpls` moves the network layer by 4, and behind it
 * only IPv4 and IPv6 can be told (bottom-of-stack bit and version nibble); `pppoes` makes what follows PPP
 * behind the 6-byte PPPoE header; `geneve` leaves the offsets of the encapsulated frame in scratch words,
 * computed by code with a jump inside a block, so, as libpcap, such a program is not optimized (and the
 * libpcap dialect gives libpcap's raw graph). Protocols named by an 802.2 SAP (`stp`, `iso`, `ipx`,
 * `netbeui`, `ether proto N` with N <= 1500) are found the way each link type carries 802.2
 * (gen_ether_linktype, gen_linux_sll_linktype, gen_llc_linktype, PPP's own numbers). `protochain` is
 * libpcap's loop over IPv6 extension and AH headers, unrolled like the IPv6 walk, with user space past it.
 *
 * @module
 */

import type { AddressValue, ArithNode, Direction, FilterNode, LinkProtoName, ProtoName } from "./ast.ts";
import { FilterSyntaxError } from "./errors.ts";
import { BPF, type BpfInstruction, PACKET_OUTGOING, SKF_AD } from "./opcodes.ts";
import { validateProgram } from "./vm.ts";

/** Which code shapes to generate. */
export type FilterDialect = "netkit" | "libpcap";

/** Options of {@link generateCode}. */
export interface CodegenOptions {
  /**
   * LINKTYPE_* of the packets: 1 EN10MB, 113 LINUX_SLL, 276 LINUX_SLL2, 101 RAW, 0 NULL, 108 LOOP, 9 PPP,
   * 50 PPP_HDLC, 104 C_HDLC, 105 IEEE802_11, 127 IEEE802_11_RADIO.
   */
  linktype: number;
  /**
   * LINKTYPE_NULL only: the byte order of the address family word. libpcap compares it in the byte order
   * of the file being read (a capture is written in its host's order); default: this machine's order.
   */
  nullByteOrder?: "little" | "big";
  /** The value returned for an accepted packet (libpcap: the snapshot length, 262144). */
  snaplen: number;
  /** IPv4 netmask for `ip broadcast` (as tcpdump reading a file: 0, so only 0.0.0.0 and 255.255.255.255). */
  netmask: number;
  /** Code shapes; default "netkit". */
  dialect: FilterDialect;
  /** Extension headers the IPv6 walk unrolls (netkit dialect). */
  maxExtHeaders: number;
  /** Optimize (default true); false gives the raw block graph, useful to check the optimizer. */
  optimize: boolean;
  /** Refuse a program the kernel would refuse (jump offsets over 255); false for user-space programs. */
  forKernel: boolean;
  /**
   * What a walk deeper than `maxExtHeaders` counts as: `"over"` (default) makes the program accept every
   * packet that might match (a prefilter); `"under"` makes it accept only packets that surely match.
   */
  overflow?: "over" | "under";
  /**
   * The program filters a live packet socket: `inbound`/`outbound` on a link type without a Linux cooked
   * header read the kernel's packet type (an ancillary load), as libpcap does live. Default false (a file).
   */
  live?: boolean;
}

/** What {@link generateCode} produces. */
export interface CodegenResult {
  program: BpfInstruction[];
  /** True when an IPv6 extension-header walk can overflow, so user space must confirm accepted packets. */
  needsUserspace: boolean;
  /** Primitives (with their offset) whose IPv6 walk may need user space. */
  walkedPrimitives: { offset: number; kind: string }[];
}

interface Stmt {
  code: number;
  k: number;
  /**
   * A conditional jump among a block's statements (libpcap's `geneve` offset code has one): its targets,
   * counted in statements after it. Only a program that is not optimized may hold one.
   */
  jt?: number;
  jf?: number;
}

class Block {
  static #next = 0;
  readonly id = Block.#next++;
  stmts: Stmt[];
  code: number;
  k: number;
  ret?: number;
  jt?: Block;
  jf?: Block;
  /** Part of an IPv6 walk: emitted as is, once; the optimizer forgets what it knew past it. */
  opaque = false;
  constructor(stmts: Stmt[], code: number, k: number) {
    this.stmts = stmts;
    this.code = code;
    this.k = k >>> 0;
  }
}

type Exit = [Block, "jt" | "jf"];
interface Frag {
  head: Block;
  t: Exit[];
  f: Exit[];
}
/** A fragment, or a constant truth value (`arp` on a raw IP link is always false). */
type Code = Frag | boolean;

/**
 * How a link type names the network protocol: an EtherType at `typeOff` ("ether"), a BSD address family
 * word at 0 ("null": host order, "loop": network order), a PPP protocol at `typeOff` ("ppp"), nothing
 * but the IP version nibble ("raw"), or an 802.2 LLC/SNAP header after a variable-length 802.11 header
 * ("wlan").
 */
type LinkKind = "ether" | "null" | "loop" | "ppp" | "raw" | "wlan";

/**
 * How an "ether" link's protocol field treats 802.2 (libpcap's per-link linktype code): "en10mb" reads a
 * value up to 1500 as an 802.3 length, then tests the LLC header (gen_ether_linktype); "sll" finds LLC
 * frames by the cooked protocol 4 (gen_linux_sll_linktype); "chdlc" writes OSI as 0xfefe; "plain" just
 * compares the field.
 */
type SapKind = "en10mb" | "sll" | "chdlc" | "plain";

interface LinkInfo {
  name: string;
  kind: LinkKind;
  sap?: SapKind;
  /** Offset of the protocol type; "wlan": from the link-layer payload (the SNAP type). */
  typeOff: number | null;
  /** Offset of the link-layer payload (where an 802.2 header starts); "wlan": 0, from the payload. */
  pl: number;
  /** Offset of the network layer from the link-layer payload (802.11: behind LLC/SNAP). */
  nl: number;
  /** Offset of an OSI header from the link-layer payload (behind a 3-byte LLC header, where there is one). */
  nosnap: number;
  ether: boolean;
  /** "wlan": a radiotap header comes first. */
  radiotap?: boolean;
  /** The protocol value of MPLS unicast, where libpcap takes `mpls`. */
  mpls?: number;
  /** Where libpcap reads the packet type for `inbound`/`outbound` (a Linux cooked header). */
  pkttype?: { size: 1 | 2; off: number };
}

const LINKS: Readonly<Record<number, LinkInfo>> = {
  1: {
    name: "EN10MB",
    kind: "ether",
    sap: "en10mb",
    typeOff: 12,
    pl: 14,
    nl: 0,
    nosnap: 3,
    ether: true,
    mpls: 0x8847,
  },
  113: {
    name: "LINUX_SLL",
    kind: "ether",
    sap: "sll",
    typeOff: 14,
    pl: 16,
    nl: 0,
    nosnap: 0,
    ether: false,
    pkttype: { size: 2, off: 0 },
  },
  276: {
    name: "LINUX_SLL2",
    kind: "ether",
    sap: "plain",
    typeOff: 0,
    pl: 20,
    nl: 0,
    nosnap: 0,
    ether: false,
    pkttype: { size: 1, off: 10 },
  },
  101: { name: "RAW", kind: "raw", typeOff: null, pl: 0, nl: 0, nosnap: 0, ether: false },
  0: { name: "NULL", kind: "null", typeOff: 0, pl: 4, nl: 0, nosnap: 0, ether: false },
  108: { name: "LOOP", kind: "loop", typeOff: 0, pl: 4, nl: 0, nosnap: 0, ether: false },
  9: { name: "PPP", kind: "ppp", typeOff: 2, pl: 4, nl: 0, nosnap: 0, ether: false, mpls: 0x0281 },
  50: { name: "PPP_HDLC", kind: "ppp", typeOff: 2, pl: 4, nl: 0, nosnap: 0, ether: false },
  // Cisco HDLC: address, control, then an EtherType.
  104: {
    name: "C_HDLC",
    kind: "ether",
    sap: "chdlc",
    typeOff: 2,
    pl: 4,
    nl: 0,
    nosnap: 0,
    ether: false,
    mpls: 0x8847,
  },
  105: { name: "IEEE802_11", kind: "wlan", typeOff: 6, pl: 0, nl: 8, nosnap: 3, ether: false },
  127: {
    name: "IEEE802_11_RADIO",
    kind: "wlan",
    typeOff: 6,
    pl: 0,
    nl: 8,
    nosnap: 3,
    ether: false,
    radiotap: true,
  },
};

/**
 * What an offset is counted from: the packet ("abs"), the 802.11 link-layer payload (in a scratch word
 * given on first use), or a scratch word set by earlier code (`geneve`).
 */
type Base = "abs" | "wlan" | number;

/** An offset: `k` bytes past `base`. */
interface Off {
  readonly base: Base;
  readonly k: number;
}

/**
 * Where the layers are for the primitives still to come: libpcap's off_linkhdr, off_linktype, off_linkpl,
 * off_nl and off_nl_nosnap. `vlan` moves the type and payload by 4, `mpls` the network layer by 4,
 * `pppoes` makes what follows PPP behind the PPPoE header, `geneve` the frame it encapsulates.
 */
interface Layers {
  kind: LinkKind;
  sap?: SapKind;
  /** The link name for messages ("PPP" behind `pppoes`). */
  name: string;
  /** Whether MAC addresses and link-layer broadcast apply. */
  ether: boolean;
  /** The link-layer header, for `ether[...]` and MAC addresses; undefined: the capture's own. */
  hdr?: Off;
  /** The protocol field. */
  type: Off | null;
  /** The link-layer payload (an 802.2 header's start). */
  pl: Off;
  /** The network layer, from `pl`. */
  nl: number;
  /** An OSI header, from `pl`. */
  nosnap: number;
  /** MPLS labels seen. */
  mpls: number;
  /** The protocol value of MPLS unicast here, if `mpls` is taken. */
  mplsType?: number;
  /** Behind `geneve`: the scratch words of the inner link-layer header and network layer. */
  inner?: { hdr: number; pl: number };
}

/** 802.11 frame control: type bits of byte 0, To-DS/From-DS bits of byte 1. */
const FC = { CTL: 0x04, DATA: 0x08, QOS: 0x80, TO_DS: 0x01, FROM_DS: 0x02, TYPE_MASK: 0x0c } as const;
/** libpcap's 802.11 host operations: where each address field is, from the start of the 802.11 header. */
const WLAN_ADDR = { 1: 4, 2: 10, 3: 16, 4: 24 } as const;

/** BSD AF_INET6 values in the order libpcap tests them (Darwin, then NetBSD/OpenBSD, then FreeBSD). */
const BSD_AF_INET6 = [30, 24, 28];
const BSD_AF_INET = 2;

/**
 * libpcap's ethertype_to_ppptype: EtherTypes and LLC SAPs with a PPP protocol number of their own; any
 * other value is compared as it is (so `ether proto 0x8137` is no IPX on PPP, `ipx` is).
 */
const PPP_TYPES: Readonly<Record<number, number>> = {
  0x0800: 0x0021,
  0x86dd: 0x0057,
  0x6003: 0x0027, // DECnet
  0x809b: 0x0029, // AppleTalk
  0x0600: 0x0025, // XNS
  0xfe: 0x0023, // OSI (LLC SAP)
  0x42: 0x0031, // 802.1D bridge PDUs (LLC SAP)
  0xe0: 0x002b, // IPX (LLC SAP)
};

/** Linux's packet type of a packet this host sent (linux/if_packet.h). */
/** PPP's protocol number of MPLS unicast. */
const PPP_MPLS_UNICAST = 0x0281;
/** 802.2 LLC SAPs libpcap names. */
const SAP = { IP: 0x06, STP: 0x42, ISONS: 0xfe, IPX: 0xe0, NETBEUI: 0xf0 } as const;
/** The largest 802.3 length: a bigger type/length field is an EtherType. */
const ETHERMTU = 1500;
/** Linux cooked protocol values of 802.3 frames without (1) and with (4) an 802.2 header. */
const SLL_P = { E8023: 1, E8022: 4 } as const;
/** OSI NLPIDs. */
const NLPID = { CLNP: 0x81, ESIS: 0x82, ISIS: 0x83 } as const;
/** IS-IS PDU types of libpcap's `l1`, `l2`, `iih`, `lsp`, `snp`, `csnp`, `psnp`, in the order it ORs them. */
const ISIS_GROUPS: Readonly<Record<string, readonly number[]>> = {
  l1: [26, 24, 18, 15, 17],
  l2: [27, 25, 20, 16, 17],
  iih: [17, 15, 16],
  lsp: [18, 20],
  snp: [27, 26, 24, 25],
  csnp: [24, 25],
  psnp: [26, 27],
};
/** EtherTypes of the link protocols libpcap names (the LLC ones above, by SAP). */
const LINK_PROTOS: Readonly<Record<string, number>> = {
  atalk: 0x809b,
  aarp: 0x80f3,
  decnet: 0x6003,
  lat: 0x6004,
  sca: 0x6007,
  moprc: 0x6002,
  mopdl: 0x6001,
  ipx: SAP.IPX,
  netbeui: SAP.NETBEUI,
  stp: SAP.STP,
  iso: SAP.ISONS,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const swap32 = (x: number) =>
  (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0;

/** The link types the compiler supports, by LINKTYPE_* number. */
export const SUPPORTED_LINKTYPES: readonly number[] = Object.keys(LINKS).map(Number);

/**
 * The error text for a link type the compiler does not support, naming those it does.
 *
 * @param linktype the refused LINKTYPE_* number
 * @returns the message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unsupportedLinkMessage } from "./codegen.ts";
 * assert(unsupportedLinkMessage(105).startsWith("link type 105 is not supported"));
 * ```
 */
export function unsupportedLinkMessage(linktype: number): string {
  const list = Object.entries(LINKS).map(([n, l]) => `${n} ${l.name}`).join(", ");
  return `link type ${linktype} is not supported by the filter compiler (supported: ${list})`;
}

const ETH = {
  IP: 0x0800,
  IP6: 0x86dd,
  ARP: 0x0806,
  RARP: 0x8035,
  ATALK: 0x809b,
  AARP: 0x80f3,
  DECNET: 0x6003,
  PPPOED: 0x8863,
  PPPOES: 0x8864,
  TEB: 0x6558, // transparent Ethernet bridging
} as const;
const GENEVE_PORT = 6081;
const IPX_ETHERTYPE = 0x8137;
/** The OUI of AppleTalk's SNAP header. */
const APPLE_OUI = 0x080007;
const IPPROTO = {
  ICMP: 1,
  IGMP: 2,
  TCP: 6,
  UDP: 17,
  SCTP: 132,
  ICMP6: 58,
  FRAGMENT: 44,
  AH: 51,
  NONE: 59,
} as const;
const EXT_HEADERS = [0, 43, 60]; // hop-by-hop, routing, destination options: (len+1)*8 bytes
const TRANSPORT: Partial<Record<ProtoName, number>> = {
  tcp: IPPROTO.TCP,
  udp: IPPROTO.UDP,
  sctp: IPPROTO.SCTP,
  icmp: IPPROTO.ICMP,
  igmp: IPPROTO.IGMP,
  icmp6: IPPROTO.ICMP6,
};

const LD = (size: number, mode: number, k: number): Stmt => ({ code: BPF.LD | size | mode, k });
const ALU = (op: number, k: number, src: number = BPF.K): Stmt => ({ code: BPF.ALU | op | src, k: k >>> 0 });
const JMP = (op: number, src: number = BPF.K) => BPF.JMP | op | src;
const SIZE = { 1: BPF.B, 2: BPF.H, 4: BPF.W } as const;

/** One way to reach the layer a load reads: its condition, how X gets the header offset, what saves it. */
interface Variant {
  cond: () => Code | { code: Code; overflow: Exit[] };
  provider?: XProvider;
  prefix: Stmt[];
}

/** How the transport header offset reaches X for a transport-layer load. */
type XProvider = { kind: "msh" } | { kind: "mem"; slot: number };

class Generator {
  #o: CodegenOptions;
  #src: string;
  #link: LinkInfo;
  /** Where the layers are for the primitives still to come (`vlan`, `mpls`, `pppoes`, `geneve` move them). */
  #at: Layers;
  #negated = false;
  /** The offset of the primitive being compiled, for errors found deep inside it. */
  #where = 0;
  /** Scratch words held by temporaries, innermost last. */
  #temps: number[] = [];
  /** Scratch words holding offsets for the rest of the program (`geneve`'s). */
  #reserved = new Set<number>();
  /** Whether the program must not be optimized (libpcap's no_optimize: `geneve` jumps inside a block). */
  noOptimize = false;
  /** Every scratch word a temporary ever had: code using it may run after the 802.11 preamble. */
  #tempsEver = new Set<number>();
  /**
   * 802.11: the scratch words of the radiotap length (127) and of the link-layer payload offset, given
   * on first use as libpcap does (so `ip` on 127 has M[0] and M[1], `ip6 host X` the other way round).
   */
  #wlanRegs: { header?: number; payload?: number } | undefined;
  /** libpcap's raw shapes (its optimizer is off): no `and #k; jeq #0` folded into `jset`. */
  readonly #raw: boolean;
  /** Raw mode: libpcap's register allocator state. */
  #regUsed: boolean[] = new Array(BPF.MEMWORDS).fill(false);
  #curReg = 0;
  walked: { offset: number; kind: string }[] = [];
  needsUserspace = false;
  /** Whether the expression has a relation (arithmetic makes libpcap's optimizer run another pass). */
  hasRelation = false;
  /** `vlan` primitives compiled so far (libpcap's vlan_stack_depth). */
  #vlanDepth = 0;
  /** Live: the scratch word holding where the outermost VLAN tag leaves the rest (0 or 4), once needed. */
  #vlanReg: number | undefined;

  constructor(src: string, o: CodegenOptions, raw = false) {
    this.#o = o;
    this.#src = src;
    const link = LINKS[o.linktype];
    if (!link) throw new RangeError(unsupportedLinkMessage(o.linktype));
    this.#link = link;
    this.#raw = raw;
    if (link.kind === "wlan") this.#wlanRegs = {};
    const base: Base = link.kind === "wlan" ? "wlan" : "abs";
    this.#at = {
      kind: link.kind,
      sap: link.sap,
      name: link.name,
      ether: link.ether,
      type: link.typeOff === null ? null : { base, k: link.typeOff },
      pl: { base, k: link.pl },
      nl: link.nl,
      nosnap: link.nosnap,
      mpls: 0,
      mplsType: link.mpls,
    };
  }

  #fail(reason: string, offset: number): never {
    throw new FilterSyntaxError(reason, this.#src, offset, "UNSUPPORTED");
  }

  /** The network layer's offset, from the base of the link-layer payload (the packet, or a scratch word). */
  get #l3(): number {
    return this.#at.pl.k + this.#at.nl;
  }

  /** 802.11: the scratch words in use; with the payload offset on 127 the radiotap length has one too. */
  /** Live on Ethernet behind `vlan`: the scratch word the VLAN preamble sets (see {@link vlanPreamble}). */
  vlanReg(): number | undefined {
    return this.#vlanReg;
  }

  wlanRegs(): { header?: number; payload?: number } | undefined {
    if (this.#wlanRegs?.payload !== undefined && this.#link.radiotap) this.#wlanReg("header");
    return this.#wlanRegs;
  }

  #wlanReg(which: "header" | "payload"): number {
    const regs = this.#wlanRegs!;
    let r = regs[which];
    if (r === undefined) {
      if (this.#raw) r = this.#libpcapAlloc(0);
      else {
        r = 0;
        while (this.#tempsEver.has(r) || r === regs.header || r === regs.payload || this.#reserved.has(r)) {
          r++;
        }
        if (r >= BPF.MEMWORDS) this.#fail("expression needs more than 16 scratch memory words", 0);
      }
      regs[which] = r;
    }
    return r;
  }

  /** libpcap's alloc_reg (raw mode): the current register if free, else the next free one, round robin. */
  #libpcapAlloc(offset: number): number {
    for (let n = 0; n < BPF.MEMWORDS; n++) {
      if (!this.#regUsed[this.#curReg]) {
        this.#regUsed[this.#curReg] = true;
        return this.#curReg;
      }
      this.#curReg = (this.#curReg + 1) % BPF.MEMWORDS;
    }
    return this.#fail("expression needs more than 16 scratch memory words", offset);
  }

  #alloc(offset: number): number {
    let s = 0;
    while (
      this.#temps.includes(s) || s === this.#wlanRegs?.header || s === this.#wlanRegs?.payload ||
      this.#reserved.has(s)
    ) s++;
    if (s >= BPF.MEMWORDS) this.#fail("expression needs more than 16 scratch memory words", offset);
    this.#temps.push(s);
    this.#tempsEver.add(s);
    return s;
  }

  #free(): void {
    this.#temps.pop();
  }

  /** A scratch word for the rest of the program: libpcap's next register, or one no temporary has. */
  #permanent(offset: number): number {
    let r: number;
    if (this.#raw) r = this.#libpcapAlloc(offset);
    else {
      r = 0;
      while (this.#tempsEver.has(r) || this.#reserved.has(r)) r++;
      if (r >= BPF.MEMWORDS) this.#fail("expression needs more than 16 scratch memory words", offset);
    }
    this.#reserved.add(r);
    return r;
  }

  // ---- loads relative to a layer ----

  /** Loads `size` bytes at `k` from the start of the link-layer header (802.11: of the MAC header). */
  #linkLoad(size: 1 | 2 | 4, k: number): Stmt[] {
    if (!this.#link.radiotap) return [LD(SIZE[size], BPF.ABS, k)];
    return [{ code: BPF.LDX | BPF.MEM, k: this.#wlanReg("header") }, LD(SIZE[size], BPF.IND, k)];
  }

  /** Statements setting X to a base (none for the packet start). */
  #baseX(base: Base): Stmt[] {
    if (base === "abs") return [];
    return [{ code: BPF.LDX | BPF.MEM, k: base === "wlan" ? this.#wlanReg("payload") : base }];
  }

  /** Statements setting X to the base of the link-layer payload: 802.11's payload offset, or none. */
  #payloadX(): Stmt[] {
    return this.#baseX(this.#at.pl.base);
  }

  /** Loads `size` bytes at `k` past an offset. */
  #load(off: Off, size: 1 | 2 | 4, k: number): Stmt[] {
    if (off.base === "abs") return [LD(SIZE[size], BPF.ABS, off.k + k)];
    return [...this.#baseX(off.base), LD(SIZE[size], BPF.IND, off.k + k)];
  }

  /** Loads `size` bytes at `k` from the start of the link-layer header (`ether[k]`, MAC addresses). */
  #hdrLoad(size: 1 | 2 | 4, k: number): Stmt[] {
    return this.#at.hdr ? this.#load(this.#at.hdr, size, k) : this.#linkLoad(size, k);
  }

  /** Loads `size` bytes at `k` from the start of the network layer. */
  #netLoad(size: 1 | 2 | 4, k: number): Stmt[] {
    return this.#load(this.#at.pl, size, this.#at.nl + k);
  }

  /**
   * Statements leaving in X what IND loads add to `#l3` to reach the IPv4 payload: `4*([l3]&0xf)`, or on
   * 802.11 that plus the payload offset, computed in A (libpcap's gen_loadx_iphdrlen).
   */
  #ipHeaderX(): Stmt[] {
    const l3 = this.#l3;
    if (this.#at.pl.base === "abs") return [{ code: BPF.LDX | BPF.B | BPF.MSH, k: l3 }];
    return [
      ...this.#payloadX(),
      LD(BPF.B, BPF.IND, l3),
      ALU(BPF.AND, 0xf),
      ALU(BPF.LSH, 2),
      { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
      { code: BPF.MISC | BPF.TAX, k: 0 },
    ];
  }

  /** A comparison of `size` bytes at `k` from the start of the network layer. */
  netCmp(size: 1 | 2 | 4, k: number, value: number, mask = 0xffffffff, op: number = BPF.JEQ): Frag {
    const stmts = this.#netLoad(size, k);
    if (mask >>> 0 !== 0xffffffff) stmts.push(ALU(BPF.AND, mask));
    return this.atom(stmts, JMP(op), value);
  }

  /**
   * libpcap's gen_mcmp on loaded bytes: `(A & mask) == value`. A zero value is a `jset` with the branches
   * swapped, as libpcap's optimizer leaves it, unless the program stays raw.
   */
  #maskedEq(stmts: Stmt[], mask: number, value: number): Frag {
    if (value === 0 && !this.#raw) return this.not(this.atom(stmts, JMP(BPF.JSET), mask)) as Frag;
    return this.atom([...stmts, ALU(BPF.AND, mask)], JMP(BPF.JEQ), value);
  }

  // ---- fragment algebra (libpcap's gen_and / gen_or / gen_not) ----

  atom(stmts: Stmt[], code: number, k: number): Frag {
    const b = new Block(stmts, code, k);
    return { head: b, t: [[b, "jt"]], f: [[b, "jf"]] };
  }

  and(a: Code, b: Code): Code {
    if (a === false || b === true) return a;
    if (a === true) return b;
    if (b === false) return false; // a may not be skipped in BPF terms, but its value does not matter
    patch(a.t, b.head);
    return { head: a.head, t: b.t, f: [...a.f, ...b.f] };
  }

  or(a: Code, b: Code): Code {
    if (a === true || b === false) return a;
    if (a === false) return b;
    if (b === true) return true;
    patch(a.f, b.head);
    return { head: a.head, t: [...a.t, ...b.t], f: b.f };
  }

  not(a: Code): Code {
    if (typeof a === "boolean") return !a;
    return { head: a.head, t: a.f, f: a.t };
  }

  // ---- link layer ----

  /**
   * libpcap's gen_linktype: whether the packet's link layer carries `ethertype` (an EtherType, or an LLC
   * SAP up to 1500), in the way of the link type (and of the `mpls`/`pppoes`/`geneve` seen before).
   */
  linktype(ethertype: number): Code {
    const at = this.#at;
    if (at.mpls > 0) return this.#mplsLinktype(ethertype);
    const kind = at.kind;
    if (kind === "wlan") return this.and(this.wlanDataFrame(), this.#llcType(ethertype));
    if (kind === "null" || kind === "loop") {
      // libpcap's gen_loopback_linktype: only IPv4 and IPv6 have a family; IPv6 is any of the BSD values.
      // NULL's word is in the capture's byte order, which BPF reads big-endian: swap a little-endian one.
      const little = (this.#o.nullByteOrder ?? (HOST_LITTLE_ENDIAN ? "little" : "big")) === "little";
      const one = (af: number) =>
        this.atom(this.#load(at.type!, 4, 0), JMP(BPF.JEQ), kind === "null" && little ? swap32(af) : af);
      if (ethertype === ETH.IP) return one(BSD_AF_INET);
      if (ethertype === ETH.IP6) {
        const [a, b, c] = BSD_AF_INET6.map(one);
        return this.or(a, this.or(b, c));
      }
      return false;
    }
    if (kind === "ppp") return this.#typeCmp(PPP_TYPES[ethertype] ?? ethertype);
    if (kind === "raw") {
      // Raw IP: the version nibble says which.
      if (ethertype === ETH.IP) return this.#maskedEq(this.#netLoad(1, 0), 0xf0, 0x40);
      if (ethertype === ETH.IP6) return this.#maskedEq(this.#netLoad(1, 0), 0xf0, 0x60);
      return false;
    }
    switch (at.sap) {
      case "en10mb":
        return this.#etherLinktype(ethertype);
      case "sll":
        return this.#sllLinktype(ethertype);
      case "chdlc":
        // Cisco HDLC writes OSI as an EtherType lookalike.
        return this.#typeCmp(ethertype === SAP.ISONS ? (SAP.ISONS << 8) | SAP.ISONS : ethertype);
      default:
        return this.#typeCmp(ethertype);
    }
  }

  /** The protocol field equals `value`. */
  #typeCmp(value: number): Frag {
    return this.atom(this.#load(this.#at.type!, 2, 0), JMP(BPF.JEQ), value);
  }

  /** Bytes of the link-layer payload (an 802.2 header) equal `value`. */
  #llcCmp(size: 1 | 2 | 4, k: number, value: number): Frag {
    return this.atom(this.#load(this.#at.pl, size, k), JMP(BPF.JEQ), value);
  }

  /** The type/length field is a length (an 802.3 frame): libpcap's `not (type > 1500)`. */
  #is8023(): Code {
    return this.not(this.atom(this.#load(this.#at.type!, 2, 0), JMP(BPF.JGT), ETHERMTU));
  }

  /**
   * libpcap's gen_snap: an 802.2 SNAP header (AA AA 03) with this OUI and type, compared as two words,
   * the second first.
   */
  #snap(oui: number, type: number): Code {
    return this.and(
      this.#llcCmp(4, 4, ((oui & 0xffff) << 16 | type) >>> 0),
      this.#llcCmp(4, 0, (0xaaaa0300 | (oui >>> 16)) >>> 0),
    );
  }

  /**
   * libpcap's gen_ether_linktype: on Ethernet a type up to 1500 is an 802.3 length. OSI, NetBEUI and IP
   * over 802.2 are found by DSAP and SSAP; IPX in its four framings (Ethernet II, raw 802.3 with FF FF,
   * 802.2, SNAP); AppleTalk and AARP as Ethernet II or SNAP; another SAP by the DSAP.
   */
  #etherLinktype(t: number): Code {
    switch (t) {
      case SAP.ISONS:
      case SAP.IP:
      case SAP.NETBEUI:
        return this.and(this.#is8023(), this.#llcCmp(2, 0, (t << 8) | t));
      case SAP.IPX: {
        let b: Code = this.or(this.#llcCmp(1, 0, SAP.IPX), this.#llcCmp(2, 0, 0xffff));
        b = this.or(this.#snap(0, IPX_ETHERTYPE), b);
        b = this.and(this.#is8023(), b);
        return this.or(this.#typeCmp(IPX_ETHERTYPE), b);
      }
      case ETH.ATALK:
      case ETH.AARP: {
        const snap = this.#snap(t === ETH.ATALK ? APPLE_OUI : 0, t);
        return this.or(this.#typeCmp(t), this.and(this.#is8023(), snap));
      }
      default:
        if (t <= ETHERMTU) {
          return this.and(this.#is8023(), this.atom(this.#load(this.#at.type!, 1, 2), JMP(BPF.JEQ), t));
        }
        return this.#typeCmp(t);
    }
  }

  /**
   * libpcap's gen_linux_sll_linktype: a Linux cooked header says "802.2" (4) or "raw 802.3" (1) in its
   * protocol field for frames that had a length there; the LLC header follows.
   */
  #sllLinktype(t: number): Code {
    const is8022 = () => this.#typeCmp(SLL_P.E8022);
    switch (t) {
      case SAP.ISONS:
      case SAP.IP:
      case SAP.NETBEUI:
        return this.and(is8022(), this.#llcCmp(2, 0, (t << 8) | t));
      case SAP.IPX: {
        let b: Code = this.or(this.#llcCmp(1, 0, SAP.IPX), this.#snap(0, IPX_ETHERTYPE));
        b = this.and(is8022(), b);
        b = this.or(this.#typeCmp(SLL_P.E8023), b);
        return this.or(this.#typeCmp(IPX_ETHERTYPE), b);
      }
      case ETH.ATALK:
      case ETH.AARP: {
        const snap = this.and(is8022(), this.#snap(t === ETH.ATALK ? APPLE_OUI : 0, t));
        return this.or(this.#typeCmp(t), snap);
      }
      default:
        if (t <= ETHERMTU) return this.and(is8022(), this.#llcCmp(1, 0, t));
        return this.#typeCmp(t);
    }
  }

  /**
   * libpcap's gen_mpls_linktype: behind an MPLS label only IPv4 and IPv6 can be told, by the previous
   * label's bottom-of-stack bit and the IP version nibble.
   */
  #mplsLinktype(t: number): Code {
    const version = t === ETH.IP ? 0x40 : t === ETH.IP6 ? 0x60 : undefined;
    if (version === undefined) {
      return this.#fail(
        "only ip and ip6 can be tested behind 'mpls' (libpcap: unsupported protocol over mpls)",
        this.#where,
      );
    }
    const bottom = this.#maskedEq(this.#netLoad(1, -2), 0x01, 0x01);
    return this.and(bottom, this.#maskedEq(this.#netLoad(1, 0), 0xf0, version));
  }

  /** libpcap's gen_check_802_11_data_frame: not a control frame, and a data frame. */
  wlanDataFrame(): Code {
    const notCtl = this.not(this.atom(this.#linkLoad(1, 0), JMP(BPF.JSET), FC.CTL));
    return this.and(notCtl, this.atom(this.#linkLoad(1, 0), JMP(BPF.JSET), FC.DATA));
  }

  /**
   * libpcap's gen_llc_linktype: what an 802.2 header (at the link-layer payload) says about a protocol. An
   * EtherType is read where SNAP puts it (the SNAP header itself is not checked, except for AppleTalk); a
   * value up to 1500 is a SAP, compared with the DSAP (and the SSAP for IP, ISO and NetBEUI).
   */
  #llcType(type: number): Code {
    if (type === SAP.IP || type === SAP.ISONS || type === SAP.NETBEUI) {
      return this.#llcCmp(2, 0, (type << 8) | type);
    }
    if (type === ETH.ATALK) return this.#snap(APPLE_OUI, ETH.ATALK);
    return type <= ETHERMTU ? this.#llcCmp(1, 0, type) : this.#llcCmp(2, 6, type);
  }

  // ---- network layer ----

  ipProto(p: number): Code {
    return this.and(this.linktype(ETH.IP), this.netCmp(1, 9, p));
  }

  notFragment(): Frag {
    // libpcap's gen_ipfrag: a fragment other than the first has no transport header.
    return this.not(this.atom(this.#netLoad(2, 6), JMP(BPF.JSET), 0x1fff)) as Frag;
  }

  ip6Proto(p: number, offset: number, kind: string): Code {
    const base = this.linktype(ETH.IP6);
    if (this.#o.dialect === "libpcap" || p === IPPROTO.FRAGMENT || EXT_HEADERS.includes(p)) {
      const direct = this.netCmp(1, 6, p);
      if (p === IPPROTO.FRAGMENT || EXT_HEADERS.includes(p)) return this.and(base, direct);
      const viaFrag = this.and(this.netCmp(1, 6, IPPROTO.FRAGMENT), this.netCmp(1, 40, p));
      return this.and(base, this.or(direct, viaFrag));
    }
    const walk = this.walk([p], false, offset, kind);
    return this.withOverflow(this.and(base, walk.frag), walk.overflow);
  }

  /**
   * The IPv6 extension-header walk: true exits have A = the next-header value found and X = the offset of
   * that header from the start of IPv6 (802.11: plus the link-layer payload offset, so IND loads add `#l3`
   * either way). `fragAware` stops at a non-first fragment (its payload is not the transport header). The
   * overflow exits are returned apart: the caller attaches them to the whole primitive.
   */
  walk(
    targets: number[],
    fragAware: boolean,
    offset: number,
    kind: string,
  ): { frag: Frag; overflow: Exit[] } {
    const l3 = this.#l3;
    this.walked.push({ offset, kind });
    this.needsUserspace = true;
    const slot = this.#alloc(offset);
    this.#free();
    const overflow: Exit[] = [];
    const t: Exit[] = [];
    const f: Exit[] = [];
    const extStmts: Stmt[] = [
      LD(BPF.B, BPF.IND, l3),
      { code: BPF.ST, k: slot },
      LD(BPF.B, BPF.IND, l3 + 1),
      ALU(BPF.ADD, 1),
      ALU(BPF.LSH, 3),
      { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
      { code: BPF.MISC | BPF.TAX, k: 0 },
      { code: BPF.LD | BPF.MEM, k: slot },
    ];
    const fragStmts: Stmt[] = [
      LD(BPF.B, BPF.IND, l3),
      { code: BPF.ST, k: slot },
      { code: BPF.MISC | BPF.TXA, k: 0 },
      ALU(BPF.ADD, 8),
      { code: BPF.MISC | BPF.TAX, k: 0 },
      { code: BPF.LD | BPF.MEM, k: slot },
    ];
    // One step per header: test the targets, then the extension headers. A step is entered either after
    // an extension header or after a fragment header (different statements), so it has two heads that
    // share everything after their first test: the unrolled walk stays linear in its depth.
    const steps = new Map<number, Block[]>();
    const step = (i: number, entries: Stmt[][]): Block[] => {
      const done = steps.get(i);
      if (done) return done;
      const last = i === this.#o.maxExtHeaders;
      const tail: Block[] = [];
      const chain = (code: number, k: number): Block => {
        const b = new Block([], code, k);
        b.opaque = true;
        if (tail.length) tail[tail.length - 1].jf = b;
        tail.push(b);
        return b;
      };
      for (const p of targets.slice(1)) t.push([chain(JMP(BPF.JEQ), p), "jt"]);
      const frag = chain(JMP(BPF.JEQ), IPPROTO.FRAGMENT);
      const exts = EXT_HEADERS.map((h) => chain(JMP(BPF.JEQ), h));
      f.push([exts[exts.length - 1], "jf"]);
      const heads = entries.map((entry) => {
        const h = new Block(entry, JMP(BPF.JEQ), targets[0]);
        h.opaque = true;
        h.jf = tail[0];
        t.push([h, "jt"]);
        return h;
      });
      steps.set(i, heads);
      if (last) {
        overflow.push([frag, "jt"], ...exts.map((b): Exit => [b, "jt"]));
      } else {
        const [nextExt, nextFrag] = step(i + 1, [extStmts, fragStmts]);
        for (const b of exts) b.jt = nextExt;
        if (fragAware) {
          const check = new Block([LD(BPF.H, BPF.IND, l3 + 2)], JMP(BPF.JSET), 0xfff8);
          check.opaque = true;
          check.jf = nextFrag;
          f.push([check, "jt"]);
          frag.jt = check;
        } else frag.jt = nextFrag;
      }
      return heads;
    };
    // X starts at the fixed header's end; on 802.11 (or behind geneve) that is the payload offset + 40, summed
    // through A.
    const entry: Stmt[] = this.#at.pl.base !== "abs"
      ? [
        ...this.#payloadX(),
        LD(BPF.B, BPF.IND, l3 + 6),
        { code: BPF.ST, k: slot },
        { code: BPF.MISC | BPF.TXA, k: 0 },
        ALU(BPF.ADD, 40),
        { code: BPF.MISC | BPF.TAX, k: 0 },
        { code: BPF.LD | BPF.MEM, k: slot },
      ]
      : [LD(BPF.B, BPF.ABS, l3 + 6), { code: BPF.LDX | BPF.IMM, k: 40 }];
    const [head] = step(0, [entry]);
    return { frag: { head, t, f }, overflow };
  }

  /**
   * libpcap's gen_protochain: protocol N anywhere in the header chain. libpcap loops (a backward jump, which
   * the kernel refuses, so libpcap filters such a program in user space); here the loop is unrolled
   * `maxExtHeaders` times, and a longer chain goes to user space as the IPv6 walk does. Each round tests A
   * (the next-header value) for N, for "no next header" (59), for an IPv6 extension header (0, 60, 43, 44:
   * skip (len + 1) * 8 bytes) and for IPsec AH (51: skip (len + 2) * 4). libpcap 1.10 sets X to the AH
   * length alone, dropping the offset so far; the libpcap dialect keeps that, the netkit dialect adds it.
   */
  protochain(n: Extract<FilterNode, { kind: "protochain" }>): Code {
    if (this.#at.pl.base === "wlan") {
      this.#fail(`'protochain' needs fixed header offsets, not those of ${this.#at.name}`, n.offset);
    }
    if (n.proto === "ip") return this.#chain(false, n.value, n.offset);
    if (n.proto === "ip6") return this.#chain(true, n.value, n.offset);
    return this.or(this.#chain(false, n.value, n.offset), this.#chain(true, n.value, n.offset));
  }

  #chain(v6: boolean, proto: number, offset: number): Code {
    const l3 = this.#l3;
    this.walked.push({ offset, kind: v6 ? "ip6 protochain" : "ip protochain" });
    this.needsUserspace = true;
    const slot = this.#alloc(offset);
    this.#free();
    const linktype = this.linktype(v6 ? ETH.IP6 : ETH.IP);
    const t: Exit[] = [];
    const f: Exit[] = [];
    const overflow: Exit[] = [];
    const ext: Stmt[] = [
      LD(BPF.B, BPF.IND, l3),
      { code: BPF.ST, k: slot },
      LD(BPF.B, BPF.IND, l3 + 1),
      ALU(BPF.ADD, 1),
      ALU(BPF.MUL, 8),
      { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
      { code: BPF.MISC | BPF.TAX, k: 0 },
      { code: BPF.LD | BPF.MEM, k: slot },
    ];
    const ah: Stmt[] = this.#o.dialect === "libpcap"
      ? [
        { code: BPF.MISC | BPF.TXA, k: 0 },
        LD(BPF.B, BPF.IND, l3),
        { code: BPF.ST, k: slot },
        { code: BPF.MISC | BPF.TXA, k: 0 },
        ALU(BPF.ADD, 1),
        { code: BPF.MISC | BPF.TAX, k: 0 },
        LD(BPF.B, BPF.IND, l3),
        ALU(BPF.ADD, 2),
        ALU(BPF.MUL, 4),
        { code: BPF.MISC | BPF.TAX, k: 0 },
        { code: BPF.LD | BPF.MEM, k: slot },
      ]
      : [
        LD(BPF.B, BPF.IND, l3),
        { code: BPF.ST, k: slot },
        LD(BPF.B, BPF.IND, l3 + 1),
        ALU(BPF.ADD, 2),
        ALU(BPF.MUL, 4),
        { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
        { code: BPF.MISC | BPF.TAX, k: 0 },
        { code: BPF.LD | BPF.MEM, k: slot },
      ];
    // X: the end of the fixed header, from the network layer; behind a live `vlan` (a network layer at a
    // scratch word's offset), from there: the base plus the header length, summed through A.
    const base = this.#at.pl.base;
    const entry: Stmt[] = base === "abs"
      ? v6
        ? [LD(BPF.B, BPF.ABS, l3 + 6), { code: BPF.LDX | BPF.IMM, k: 40 }]
        : [LD(BPF.B, BPF.ABS, l3 + 9), { code: BPF.LDX | BPF.B | BPF.MSH, k: l3 }]
      : [
        ...this.#baseX(base),
        LD(BPF.B, BPF.IND, l3 + (v6 ? 6 : 9)),
        { code: BPF.ST, k: slot },
        ...(v6 ? [{ code: BPF.MISC | BPF.TXA, k: 0 }, ALU(BPF.ADD, 40)] : [
          LD(BPF.B, BPF.IND, l3),
          ALU(BPF.AND, 0xf),
          ALU(BPF.LSH, 2),
          { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
        ]),
        { code: BPF.MISC | BPF.TAX, k: 0 },
        { code: BPF.LD | BPF.MEM, k: slot },
      ];
    // One round per header, entered after the fixed header, an extension header or an AH header: its heads
    // differ in their statements and share the tests after the first.
    const rounds = new Map<number, Block[]>();
    const round = (i: number, entries: Stmt[][]): Block[] => {
      const done = rounds.get(i);
      if (done) return done;
      const block = (code: number, k: number) => {
        const b = new Block([], code, k);
        b.opaque = true;
        return b;
      };
      const none = block(JMP(BPF.JEQ), IPPROTO.NONE);
      const exts = v6 ? [0, 60, 43, 44].map((h) => block(JMP(BPF.JEQ), h)) : [];
      const auth = block(JMP(BPF.JEQ), IPPROTO.AH);
      f.push([none, "jt"], [auth, "jf"]);
      const chain = [none, ...exts, auth];
      for (let c = 0; c + 1 < chain.length; c++) chain[c].jf = chain[c + 1];
      const heads = entries.map((stmts) => {
        const h = new Block(stmts, JMP(BPF.JEQ), proto);
        h.opaque = true;
        h.jf = none;
        t.push([h, "jt"]);
        return h;
      });
      rounds.set(i, heads);
      if (i === this.#o.maxExtHeaders) overflow.push(...exts.map((b): Exit => [b, "jt"]), [auth, "jt"]);
      else {
        const [afterExt, afterAh] = round(i + 1, [ext, ah]);
        for (const b of exts) b.jt = afterExt;
        auth.jt = afterAh;
      }
      return heads;
    };
    const [head] = round(0, [entry]);
    return this.withOverflow(this.and(linktype, { head, t, f }), overflow);
  }

  withOverflow(code: Code, overflow: Exit[]): Code {
    if (typeof code === "boolean" || overflow.length === 0) return code;
    // Un-negated, an overflowing walk counts as a match (user space decides); under a `not`, as no match.
    const asMatch = this.#negated === (this.#o.overflow === "under");
    return !asMatch ? { ...code, f: [...code.f, ...overflow] } : { ...code, t: [...code.t, ...overflow] };
  }

  protoAbbrev(proto: ProtoName, offset: number): Code {
    switch (proto) {
      case "ip":
        return this.linktype(ETH.IP);
      case "ip6":
        return this.linktype(ETH.IP6);
      case "arp":
        return this.linktype(ETH.ARP);
      case "rarp":
        return this.linktype(ETH.RARP);
      case "tcp":
      case "udp":
      case "sctp":
        return this.or(this.ipProto(TRANSPORT[proto]!), this.ip6Proto(TRANSPORT[proto]!, offset, proto));
      case "icmp":
      case "igmp":
        return this.ipProto(TRANSPORT[proto]!);
      case "icmp6":
        return this.ip6Proto(IPPROTO.ICMP6, offset, proto);
      case "ether":
        return this.#fail("'ether' alone is not a filter", offset);
      case "radio":
        return this.#fail("'radio' alone is not a filter", offset);
      default:
        return this.linkProto(proto, offset);
    }
  }

  // ---- host and net ----

  hostop(
    dir: Direction,
    ethertype: number,
    srcOff: number,
    dstOff: number,
    one: (off: number) => Code,
    withLinktype = true,
    compareFirst = false,
  ): Code {
    const side = (off: number) => {
      if (!withLinktype) return one(off);
      // libpcap's gen_hostop6 makes its compares before the link-type test: that order names registers.
      if (compareFirst) {
        const compare = one(off);
        return this.and(this.linktype(ethertype), compare);
      }
      return this.and(this.linktype(ethertype), one(off));
    };
    switch (dir) {
      case "src":
        return side(srcOff);
      case "dst":
        return side(dstOff);
      case "src and dst":
        return this.and(side(srcOff), side(dstOff));
      case "src or dst":
        return this.or(side(srcOff), side(dstOff));
      default:
        // The parser lets the 802.11 qualifiers through with MAC addresses only.
        return this.#fail(`'${dir}' applies to 802.11 MAC addresses only`, 0);
    }
  }

  // ---- 802.11 ----

  /** A jset on a frame control byte (0: type and subtype, 1: flags), as libpcap's new_block(JSET). */
  #fcBit(byte: 0 | 1, bit: number): Frag {
    return this.atom(this.#linkLoad(1, byte), JMP(BPF.JSET), bit);
  }

  /**
   * libpcap's gen_wlanhostop: which 802.11 address field is the source or destination depends on the frame
   * type and the To-DS/From-DS bits. `one(off)` tests the address at `off` in the MAC header (a compare, or
   * the group bit for `ether multicast`). Control frames have neither a source nor a destination.
   */
  wlanHost(dir: Direction, one: (off: number) => Code): Code {
    const notCtl = () => this.not(this.#fcBit(0, FC.CTL));
    const notCtlType = () => this.not(this.#maskedEq(this.#linkLoad(1, 0), FC.TYPE_MASK, FC.CTL));
    const notSubtype = (value: number) => this.not(this.#maskedEq(this.#linkLoad(1, 0), 0xf0, value));
    // CTS and ACK frames have no addr2 (their subtypes tested without their type, as libpcap does).
    const hasAddr2 = () => this.or(notCtlType(), this.and(notSubtype(0xc0), notSubtype(0xd0)));
    switch (dir) {
      case "src": {
        // Data frames: SA is addr2 without From-DS, addr3 with From-DS only, addr4 with both bits.
        let b: Code = this.or(
          this.and(this.not(this.#fcBit(1, FC.TO_DS)), one(WLAN_ADDR[3])),
          this.and(this.#fcBit(1, FC.TO_DS), one(WLAN_ADDR[4])),
        );
        b = this.or(
          this.and(this.not(this.#fcBit(1, FC.FROM_DS)), one(WLAN_ADDR[2])),
          this.and(this.#fcBit(1, FC.FROM_DS), b),
        );
        b = this.or(
          this.and(this.not(this.#fcBit(0, FC.DATA)), one(WLAN_ADDR[2])),
          this.and(this.#fcBit(0, FC.DATA), b),
        );
        return this.and(notCtl(), b);
      }
      case "dst": {
        // Data frames: DA is addr1 without To-DS, addr3 with it.
        let b: Code = this.or(
          this.and(this.not(this.#fcBit(1, FC.TO_DS)), one(WLAN_ADDR[1])),
          this.and(this.#fcBit(1, FC.TO_DS), one(WLAN_ADDR[3])),
        );
        b = this.or(
          this.and(this.not(this.#fcBit(0, FC.DATA)), one(WLAN_ADDR[1])),
          this.and(this.#fcBit(0, FC.DATA), b),
        );
        return this.and(notCtl(), b);
      }
      case "src and dst":
        return this.and(this.wlanHost("src", one), this.wlanHost("dst", one));
      case "src or dst":
        return this.or(this.wlanHost("src", one), this.wlanHost("dst", one));
      case "ra":
        // libpcap: addr1 of a frame whose type has the 0x08 bit (not a management or control frame).
        return this.and(this.#fcBit(0, FC.DATA), one(WLAN_ADDR[1]));
      case "ta":
        // addr2, and (as for ra) only with the type's 0x08 bit.
        return this.and(this.and(this.#fcBit(0, FC.DATA), hasAddr2()), one(WLAN_ADDR[2]));
      case "addr1":
        return one(WLAN_ADDR[1]);
      case "addr2":
        return this.and(hasAddr2(), one(WLAN_ADDR[2]));
      case "addr3":
        return this.and(notCtlType(), one(WLAN_ADDR[3]));
      case "addr4":
        return this.and(this.#maskedEq(this.#linkLoad(1, 1), 0x03, 0x03), one(WLAN_ADDR[4]));
    }
  }

  /** `type`/`subtype`/`dir`: a masked compare of a frame control byte. */
  wlanField(n: Extract<FilterNode, { kind: "wlantype" | "wlandir" }>): Code {
    if (this.#link.kind !== "wlan") {
      this.#fail(
        n.kind === "wlandir"
          ? `'dir' needs 802.11 headers, not ${this.#link.name}`
          : `802.11 frame types need 802.11 headers, not ${this.#link.name}`,
        n.offset,
      );
    }
    if (n.kind === "wlandir") return this.#maskedEq(this.#linkLoad(1, 1), 0x03, n.value);
    return this.#maskedEq(this.#linkLoad(1, 0), n.mask, n.value);
  }

  address(node: Extract<FilterNode, { kind: "host" | "net" }>): Code {
    const v: AddressValue = node.value;
    if (v.family === "decnet") return this.decnetHost(node.dir, v.addr, node.offset);
    if (v.family === "mac") {
      const mac = v.addr;
      const low = ((mac[2] << 24) | (mac[3] << 16) | (mac[4] << 8) | mac[5]) >>> 0;
      const high = (mac[0] << 8) | mac[1];
      // libpcap refuses a MAC address without a link qualifier ("ethernet address used in non-ether
      // expression"): `host 02:00:00:00:00:01` would otherwise read as an IP host test.
      if (node.proto !== "ether") {
        this.#fail(
          this.#at.kind === "wlan"
            ? "a MAC address on 802.11 needs 'wlan' or 'ether' before it"
            : "a MAC address needs 'ether' before it (libpcap: ethernet address used in non-ether expression)",
          node.offset,
        );
      }
      if (this.#at.kind === "wlan") {
        const one = (off: number) =>
          this.and(
            this.atom(this.#linkLoad(4, off + 2), JMP(BPF.JEQ), low),
            this.atom(this.#linkLoad(2, off), JMP(BPF.JEQ), high),
          );
        return this.wlanHost(node.dir, one);
      }
      if (isWlanDirection(node.dir)) {
        this.#fail(`'${node.dir}' needs 802.11 headers, not ${this.#at.name}`, node.offset);
      }
      if (!this.#at.ether) {
        this.#fail(`ethernet addresses need an Ethernet link, not ${this.#at.name}`, node.offset);
      }
      const one = (off: number) =>
        this.and(
          this.atom(this.#hdrLoad(4, off + 2), JMP(BPF.JEQ), low),
          this.atom(this.#hdrLoad(2, off), JMP(BPF.JEQ), high),
        );
      const inner = this.#innerEther();
      return this.and(inner, this.hostop(node.dir, 0, 6, 0, one, false));
    }
    if (v.family === "ipv6") {
      const one = (off: number): Code => {
        let code: Code = true;
        for (let w = 0; w < 4; w++) {
          const bits = Math.max(0, Math.min(32, v.prefix - 32 * w));
          if (bits === 0 && !this.#raw) continue; // libpcap's optimizer drops `and #0; jeq #0`
          const mask = bits === 32 ? 0xffffffff : bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
          const a = v.addr;
          const word = ((a[4 * w] << 24) | (a[4 * w + 1] << 16) | (a[4 * w + 2] << 8) | a[4 * w + 3]) >>> 0;
          code = this.and(code, this.netCmp(4, off + 4 * w, (word & mask) >>> 0, mask));
        }
        return code;
      };
      return this.hostop(node.dir, ETH.IP6, 8, 24, one, true, true);
    }
    // A zero mask compares nothing: libpcap's optimizer folds it away, so no address is loaded.
    const one = (off: number): Code =>
      v.mask === 0 && !this.#raw ? true : this.netCmp(4, off, v.addr, v.mask);
    const ip = () => this.hostop(node.dir, ETH.IP, 12, 16, one);
    const arp = (t: number) => this.hostop(node.dir, t, 14, 24, one);
    switch (node.proto) {
      case "ip":
        return ip();
      case "arp":
        return arp(ETH.ARP);
      case "rarp":
        return arp(ETH.RARP);
      default:
        // Behind MPLS libpcap tests IPv4 only.
        if (this.#at.mpls > 0) return ip();
        return this.or(this.or(ip(), arp(ETH.ARP)), arp(ETH.RARP));
    }
  }

  /**
   * libpcap's gen_dnhostop: DECnet's routing header starts 2 bytes into the payload, with or without a pad
   * byte (flags 0x81 then 0x02/0x06 for one pad byte), short (flags 0x02: destination at 1, source at 3)
   * or long (0x06: at 7 and 15); the address is little-endian. Four tests per direction, in libpcap's order.
   */
  decnetHost(dir: Direction, addr: number, offset: number): Code {
    if (dir === "src and dst" || dir === "src or dst") {
      const src = this.decnetHost("src", addr, offset);
      const dst = this.decnetHost("dst", addr, offset);
      return dir === "src and dst" ? this.and(src, dst) : this.or(src, dst);
    }
    if (dir !== "src" && dir !== "dst") {
      return this.#fail(`'${dir}' applies to 802.11 MAC addresses only`, offset);
    }
    const [short, long] = dir === "dst" ? [1, 7] : [3, 15];
    const le = ((addr & 0xff) << 8) | ((addr >>> 8) & 0xff);
    const linktype = this.linktype(ETH.DECNET);
    const flags = (size: 1 | 2, mask: number, value: number) =>
      this.#maskedEq(this.#netLoad(size, 2), mask, value);
    const at = (k: number) => this.atom(this.#netLoad(2, 2 + k), JMP(BPF.JEQ), le);
    // Built as libpcap: each new case ORed in front of the ones before.
    let b: Code = this.and(flags(2, 0xff07, 0x8106), at(1 + long));
    b = this.or(this.and(flags(1, 0x07, 0x06), at(long)), b);
    b = this.or(this.and(flags(2, 0xff07, 0x8102), at(1 + short)), b);
    b = this.or(this.and(flags(1, 0x07, 0x02), at(short)), b);
    return this.and(linktype, b);
  }

  // ---- ports ----

  portAtoms(node: Extract<FilterNode, { kind: "port" }>, load: (off: number) => Stmt[]): Code {
    const one = (off: number): Code => {
      if (!node.range) return this.atom(load(off), JMP(BPF.JEQ), node.low);
      const ge = this.atom(load(off), JMP(BPF.JGE), node.low);
      // libpcap loads the port again for the upper bound; its optimizer drops that load.
      return this.and(ge, this.not(this.atom(this.#raw ? load(off) : [], JMP(BPF.JGT), node.high)));
    };
    return this.hostop(node.dir, 0, 0, 2, one, false);
  }

  port(node: Extract<FilterNode, { kind: "port" }>): Code {
    const protos = node.proto ? [TRANSPORT[node.proto]!] : [IPPROTO.TCP, IPPROTO.UDP, IPPROTO.SCTP];
    const l3 = this.#l3; // 802.11: from the payload offset the loads put in X
    // libpcap ORs the protocols as sctp, tcp, udp (each gen_or puts its left operand first).
    const order = protos.length === 1 ? protos : [IPPROTO.SCTP, IPPROTO.TCP, IPPROTO.UDP];
    let v6: Code;
    if (this.#o.dialect === "libpcap") {
      const ip6 = this.linktype(ETH.IP6); // first: the order of first use names the 802.11 registers
      let alts: Code = false;
      for (const p of order) {
        const ports = this.portAtoms(node, (off) => this.#netLoad(2, 40 + off));
        alts = this.or(alts, this.and(this.netCmp(1, 6, p), ports));
      }
      v6 = this.and(ip6, alts);
    } else {
      const walk = this.walk(order, true, node.offset, node.range ? "portrange" : "port");
      const ports = this.portAtoms(node, (off) => [LD(BPF.H, BPF.IND, l3 + off)]);
      v6 = this.withOverflow(this.and(this.and(this.linktype(ETH.IP6), walk.frag), ports), walk.overflow);
    }
    let alts: Code = false;
    for (const p of order) {
      const ports = this.portAtoms(node, (off) => [...this.#ipHeaderX(), LD(BPF.H, BPF.IND, l3 + off)]);
      alts = this.or(alts, this.and(this.and(this.netCmp(1, 9, p), this.notFragment()), ports));
    }
    const v4 = this.and(this.linktype(ETH.IP), alts);
    return this.or(v6, v4);
  }

  // ---- arithmetic and relations ----

  fold(a: ArithNode): ArithNode {
    switch (a.kind) {
      case "num":
      case "len":
        return a;
      case "load":
        return { ...a, index: this.fold(a.index) };
      case "neg": {
        const o = this.fold(a.operand);
        return o.kind === "num"
          ? { kind: "num", value: (-o.value) >>> 0, offset: a.offset }
          : { ...a, operand: o };
      }
      case "binary": {
        const l = this.fold(a.left);
        const r = this.fold(a.right);
        if ((a.op === "/" || a.op === "%") && r.kind === "num" && r.value === 0) {
          this.#fail("division by zero", a.right.offset);
        }
        if (l.kind === "num" && r.kind === "num") {
          return { kind: "num", value: aluConst(a.op, l.value, r.value), offset: a.offset };
        }
        return { ...a, left: l, right: r };
      }
    }
  }

  /** Statements leaving the value of `a` in A; loads of transport layers take X from `providers`. */
  arith(a: ArithNode, providers: Map<ProtoName, XProvider>): Stmt[] {
    switch (a.kind) {
      case "num":
        return [{ code: BPF.LD | BPF.IMM, k: a.value >>> 0 }];
      case "len":
        return [{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }];
      case "neg":
        return [...this.arith(a.operand, providers), { code: BPF.ALU | BPF.NEG, k: 0 }];
      case "binary": {
        const op = ALU_OPS[a.op];
        if (a.right.kind === "num") return [...this.arith(a.left, providers), ALU(op, a.right.value)];
        const slot = this.#alloc(a.offset);
        const out = [
          ...this.arith(a.right, providers),
          { code: BPF.ST, k: slot },
          ...this.arith(a.left, providers),
          { code: BPF.LDX | BPF.MEM, k: slot },
          ALU(op, 0, BPF.X),
        ];
        this.#free();
        return out;
      }
      case "load": {
        const size = SIZE[a.size];
        const provider = providers.get(a.proto);
        // Where the loaded layer starts: the link-layer header (the capture's, or the one `pppoes` or
        // `geneve` leaves), or the network layer; `ldx` sets X to its base when it is held in memory.
        let ldx: Stmt[];
        let base: number;
        if (a.proto === "radio") [ldx, base] = [[], 0];
        else if (a.proto === "ether") {
          const hdr = this.#at.hdr;
          if (hdr) [ldx, base] = [this.#baseX(hdr.base), hdr.k];
          else if (this.#link.radiotap) {
            [ldx, base] = [[{ code: BPF.LDX | BPF.MEM, k: this.#wlanReg("header") }], 0];
          } else [ldx, base] = [[], 0];
        } else {[ldx, base] = [
            provider ? [] : this.#payloadX(),
            this.#l3 + (provider ? 0 : this.#fixedOffset(a.proto)),
          ];}
        const setX = (): Stmt[] =>
          provider === undefined
            ? []
            : provider.kind === "msh"
            ? this.#ipHeaderX()
            : [{ code: BPF.LDX | BPF.MEM, k: provider.slot }];
        if (!provider && ldx.length) {
          // 802.11, or behind `geneve`: the layer starts at an offset held in memory.
          if (a.index.kind === "num") return [...ldx, LD(size, BPF.IND, base + a.index.value)];
          return [
            ...this.arith(a.index, providers),
            ...ldx,
            { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
            { code: BPF.MISC | BPF.TAX, k: 0 },
            LD(size, BPF.IND, base),
          ];
        }
        if (a.index.kind === "num") {
          if (!provider) return [LD(size, BPF.ABS, base + a.index.value)];
          return [...setX(), LD(size, BPF.IND, base + a.index.value)];
        }
        const index = this.arith(a.index, providers);
        if (!provider) return [...index, { code: BPF.MISC | BPF.TAX, k: 0 }, LD(size, BPF.IND, base)];
        const slot = this.#alloc(a.offset);
        const out = [
          ...index,
          { code: BPF.ST, k: slot },
          ...setX(),
          { code: BPF.LD | BPF.MEM, k: slot },
          { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
          { code: BPF.MISC | BPF.TAX, k: 0 },
          LD(size, BPF.IND, base),
        ];
        this.#free();
        return out;
      }
    }
  }

  #fixedOffset(proto: ProtoName): number {
    // libpcap dialect: icmp6 sits right after the fixed IPv6 header.
    return proto === "icmp6" ? 40 : 0;
  }

  /** The conditions under which a load of `proto` is meaningful, one entry per way to reach it. */
  loadVariants(proto: ProtoName, offset: number): Variant[] {
    switch (proto) {
      case "radio":
        if (!this.#link.radiotap) {
          this.#fail(`'radio' needs radiotap headers, not ${this.#link.name}`, offset);
        }
        return [{ cond: () => true, prefix: [] }];
      case "ether":
        return [{ cond: () => true, prefix: [] }];
      case "ip":
      case "ip6":
      case "arp":
      case "rarp":
        return [{ cond: () => this.protoAbbrev(proto, offset), prefix: [] }];
      case "icmp6":
        if (this.#o.dialect === "libpcap") {
          return [{
            cond: () => this.and(this.linktype(ETH.IP6), this.netCmp(1, 6, IPPROTO.ICMP6)),
            prefix: [],
          }];
        }
        break;
      default:
        break;
    }
    const p = TRANSPORT[proto]!;
    const out: Variant[] = [];
    if (proto !== "icmp6") {
      out.push({
        cond: () => this.and(this.ipProto(p), this.notFragment()),
        provider: { kind: "msh" },
        prefix: [],
      });
    }
    if (this.#o.dialect === "netkit" && proto !== "icmp" && proto !== "igmp") {
      const slot = this.#alloc(offset); // holds the transport offset for the whole relation
      out.push({
        cond: () => {
          const walk = this.walk([p], true, offset, `${proto}[]`);
          return { code: this.and(this.linktype(ETH.IP6), walk.frag), overflow: walk.overflow };
        },
        provider: { kind: "mem", slot },
        prefix: [{ code: BPF.STX, k: slot }],
      });
    }
    return out;
  }

  relation(node: Extract<FilterNode, { kind: "relation" }>): Code {
    this.hasRelation = true;
    if (this.#raw) return this.#rawRelation(node);
    let left = this.fold(node.left);
    let right = this.fold(node.right);
    let op = node.op;
    if (left.kind === "num" && right.kind === "num") return compareConst(op, left.value, right.value);
    if (left.kind === "num") {
      [left, right] = [right, left];
      op = ({ "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const)[op];
    }
    const protos: ProtoName[] = [];
    const collect = (a: ArithNode): void => {
      if (a.kind === "load") {
        if (!protos.includes(a.proto)) protos.push(a.proto);
        collect(a.index);
      } else if (a.kind === "binary") {
        collect(a.left);
        collect(a.right);
      } else if (a.kind === "neg") collect(a.operand);
    };
    collect(left);
    collect(right);
    const slotsBefore = this.#temps.length;
    const variants = protos.map((p) => this.loadVariants(p, node.offset));
    let result: Code = false;
    const combos = variants.reduce<number[][]>((acc, v) => acc.flatMap((c) => v.map((_, i) => [...c, i])), [
      [],
    ]);
    for (const combo of combos) {
      const providers = new Map<ProtoName, XProvider>();
      let cond: Code = true;
      const prefix: Stmt[] = [];
      const overflow: Exit[] = [];
      combo.forEach((i, n) => {
        const v = variants[n][i];
        if (v.provider) providers.set(protos[n], v.provider);
        const c = v.cond();
        cond = this.and(cond, typeof c === "object" && "overflow" in c ? c.code : c);
        if (typeof c === "object" && "overflow" in c) overflow.push(...c.overflow);
        // The walk leaves the offset in X: save it first, the relation's own loads may reuse X.
        prefix.push(...v.prefix);
      });
      const test = this.compare(op, left, right, providers);
      if (typeof test !== "boolean") test.head.stmts = [...prefix, ...test.head.stmts];
      // An overflowing walk stands for the whole relation (its X would be meaningless to the test).
      result = this.or(result, this.withOverflow(this.and(cond, test), overflow));
    }
    this.#temps.length = slotsBefore;
    return result;
  }

  // ---- libpcap's raw arithmetic (its optimizer off): every value goes through a scratch register ----

  /** libpcap's gen_relation: both sides into registers, then `sub x; jeq #0` or a jump against X. */
  #rawRelation(node: Extract<FilterNode, { kind: "relation" }>): Code {
    this.fold(node.left); // refuses a constant division by zero, as the optimized path does
    this.fold(node.right);
    const a0 = this.#rawArith(node.left);
    const a1 = this.#rawArith(node.right);
    const [jump, reversed] = ({
      "=": [BPF.JEQ, false],
      "!=": [BPF.JEQ, true],
      ">": [BPF.JGT, false],
      ">=": [BPF.JGE, false],
      "<": [BPF.JGE, true],
      "<=": [BPF.JGT, true],
    } as const)[node.op];
    const stmts = [...a0.s, ...a1.s, { code: BPF.LDX | BPF.MEM, k: a1.reg }, {
      code: BPF.LD | BPF.MEM,
      k: a0.reg,
    }];
    let b: Code = jump === BPF.JEQ
      ? this.atom([...stmts, { code: BPF.ALU | BPF.SUB | BPF.X, k: 0 }], JMP(BPF.JEQ), 0)
      : this.atom(stmts, JMP(jump, BPF.X), 0);
    if (reversed) b = this.not(b);
    this.#regUsed[a0.reg] = false;
    this.#regUsed[a1.reg] = false;
    const checks = a0.b !== undefined && a1.b !== undefined ? this.and(a0.b, a1.b) : a0.b ?? a1.b;
    return checks === undefined ? b : this.and(checks, b);
  }

  /**
   * libpcap's arithmetic: statements leaving the value in scratch register `reg`, and the protocol checks
   * its loads need. As libpcap 1.10, a binary operation keeps only its left operand's checks.
   */
  #rawArith(a: ArithNode): { s: Stmt[]; b: Code | undefined; reg: number } {
    const st = (reg: number): Stmt => ({ code: BPF.ST, k: reg });
    switch (a.kind) {
      case "num":
      case "len": {
        const reg = this.#libpcapAlloc(a.offset);
        const ld = a.kind === "num"
          ? { code: BPF.LD | BPF.IMM, k: a.value >>> 0 }
          : { code: BPF.LD | BPF.W | BPF.LEN, k: 0 };
        return { s: [ld, st(reg)], b: undefined, reg };
      }
      case "neg": {
        const v = this.#rawArith(a.operand);
        v.s.push({ code: BPF.LD | BPF.MEM, k: v.reg }, { code: BPF.ALU | BPF.NEG, k: 0 }, st(v.reg));
        return v;
      }
      case "binary": {
        const a0 = this.#rawArith(a.left);
        const a1 = this.#rawArith(a.right);
        const s = [
          ...a0.s,
          ...a1.s,
          { code: BPF.LDX | BPF.MEM, k: a1.reg },
          { code: BPF.LD | BPF.MEM, k: a0.reg },
          ALU(ALU_OPS[a.op], 0, BPF.X),
        ];
        this.#regUsed[a0.reg] = false;
        this.#regUsed[a1.reg] = false;
        const reg = this.#libpcapAlloc(a.offset);
        s.push(st(reg));
        return { s, b: a0.b, reg };
      }
      case "load": {
        const inst = this.#rawArith(a.index);
        const reg = this.#libpcapAlloc(a.offset);
        this.#regUsed[inst.reg] = false;
        const size = SIZE[a.size];
        const index: Stmt = { code: BPF.LD | BPF.MEM, k: inst.reg };
        const sum: Stmt[] = [index, { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 }, {
          code: BPF.MISC | BPF.TAX,
          k: 0,
        }];
        let load: Stmt[];
        let b = inst.b;
        switch (a.proto) {
          case "radio":
            if (!this.#link.radiotap) {
              this.#fail(`'radio' needs radiotap headers, not ${this.#link.name}`, a.offset);
            }
            load = [{ code: BPF.LDX | BPF.MEM, k: inst.reg }, LD(size, BPF.IND, 0)];
            break;
          case "ether": {
            const hdr = this.#at.hdr;
            load = hdr && hdr.base !== "abs"
              ? [...this.#baseX(hdr.base), ...sum, LD(size, BPF.IND, hdr.k)]
              : hdr
              ? [{ code: BPF.LDX | BPF.MEM, k: inst.reg }, LD(size, BPF.IND, hdr.k)]
              : this.#link.radiotap
              ? [{ code: BPF.LDX | BPF.MEM, k: this.#wlanReg("header") }, ...sum, LD(size, BPF.IND, 0)]
              : [{ code: BPF.LDX | BPF.MEM, k: inst.reg }, LD(size, BPF.IND, 0)];
            break;
          }
          case "ip":
          case "ip6":
          case "arp":
          case "rarp": {
            load = this.#at.pl.base === "abs"
              ? [{ code: BPF.LDX | BPF.MEM, k: inst.reg }, LD(size, BPF.IND, this.#l3)]
              : [...this.#payloadX(), ...sum, LD(size, BPF.IND, this.#l3)];
            const has = this.protoAbbrev(a.proto, a.offset);
            b = b === undefined ? has : this.and(b, has);
            break;
          }
          case "icmp6": {
            const ip6 = this.linktype(ETH.IP6);
            b = b === undefined ? ip6 : this.and(b, ip6);
            b = this.and(b, this.netCmp(1, 6, IPPROTO.ICMP6));
            load = this.#at.pl.base === "abs"
              ? [{ code: BPF.LDX | BPF.MEM, k: inst.reg }, LD(size, BPF.IND, this.#l3 + 40)]
              : [...this.#payloadX(), ...sum, LD(size, BPF.IND, this.#l3 + 40)];
            break;
          }
          default: {
            // IPv4 transports: ip and ((proto) and not a later fragment), the header length added in A.
            load = [...this.#ipHeaderX(), ...sum, LD(size, BPF.IND, this.#l3)];
            let has = this.and(this.protoAbbrev(a.proto, a.offset), this.notFragment());
            if (b !== undefined) has = this.and(b, has);
            b = this.and(this.protoAbbrev("ip", a.offset), has);
          }
        }
        return { s: [...inst.s, ...load, st(reg)], b, reg };
      }
    }
  }

  compare(op: string, left: ArithNode, right: ArithNode, providers: Map<ProtoName, XProvider>): Code {
    if (right.kind === "num") {
      const k = right.value >>> 0;
      if (
        k === 0 && (op === "=" || op === "!=") && left.kind === "binary" && left.op === "&" &&
        left.right.kind === "num"
      ) {
        const test = this.atom(this.arith(left.left, providers), JMP(BPF.JSET), left.right.value);
        return op === "!=" ? test : this.not(test);
      }
      const stmts = this.arith(left, providers);
      return relop(this, op, stmts, BPF.K, k);
    }
    const slot = this.#alloc(right.offset);
    const stmts = [
      ...this.arith(right, providers),
      { code: BPF.ST, k: slot },
      ...this.arith(left, providers),
      { code: BPF.LDX | BPF.MEM, k: slot },
    ];
    this.#free();
    return relop(this, op, stmts, BPF.X, 0);
  }

  // ---- the tree ----

  gen(n: FilterNode): Code {
    if (n.kind !== "and" && n.kind !== "or" && n.kind !== "not") this.#where = n.offset;
    switch (n.kind) {
      case "and":
        return this.and(this.gen(n.left), this.gen(n.right));
      case "or":
        return this.or(this.gen(n.left), this.gen(n.right));
      case "not": {
        this.#negated = !this.#negated;
        const inner = this.gen(n.operand);
        this.#negated = !this.#negated;
        return this.not(inner);
      }
      case "proto":
        return this.protoAbbrev(n.proto, n.offset);
      case "host":
      case "net":
        return this.address(n);
      case "port":
        return this.port(n);
      case "protonum":
        if (n.proto === "ether") return this.linktype(n.value);
        if (n.proto === "iso") return this.isoProto(n.value);
        if (n.proto === "isis") return this.isisPdu(n.value);
        if (n.proto === "ip") return this.ipProto(n.value);
        if (n.proto === "ip6") return this.ip6Proto(n.value, n.offset, "ip6 proto");
        return this.or(this.ipProto(n.value), this.ip6Proto(n.value, n.offset, "proto"));
      case "less":
        return this.not(this.atom([{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }], JMP(BPF.JGT), n.length));
      case "greater":
        return this.atom([{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }], JMP(BPF.JGE), n.length);
      case "vlan":
        return this.vlan(n);
      case "mpls":
        return this.mpls(n);
      case "pppoed":
        return this.linktype(ETH.PPPOED);
      case "pppoes":
        return this.pppoes(n);
      case "llc":
        return this.llc(n);
      case "inbound":
      case "outbound":
        return this.direction(n);
      case "geneve":
        return this.geneve(n);
      case "protochain":
        return this.protochain(n);
      case "broadcast":
      case "multicast":
        return this.cast(n);
      case "relation":
        return this.relation(n);
      case "wlantype":
      case "wlandir":
        return this.wlanField(n);
    }
  }

  /**
   * libpcap's gen_vlan: a TPID (0x8100, 0x88a8, 0x9100) at the protocol field, then the VLAN ID behind it;
   * what follows is read 4 bytes further. libpcap takes 802.1Q on 802.11 too (a SNAP header with that type).
   *
   * Live on Ethernet, the outermost tag of a received frame is usually not in the bytes any more: the
   * kernel moved it into the packet's metadata, which a filter reads through ancillary loads (libpcap's
   * `[vlanp]`, `[vlan_tci]`). Then the first `vlan` also matches a tag there, and what follows is read
   * past a scratch word that a preamble sets to 4 when the tag is in the bytes and 0 when it is not
   * ({@link vlanPreamble}), so a live capture selects what the same filter selects in the file written
   * from it. libpcap does the same with its own code shapes (its `-d` listing differs from netkit's).
   */
  vlan(n: Extract<FilterNode, { kind: "vlan" }>): Code {
    const at = this.#at;
    if (!at.ether && at.kind !== "wlan") {
      this.#fail(`'vlan' needs an Ethernet link, not ${at.name}`, n.offset);
    }
    if (at.mpls > 0) {
      this.#fail("'vlan' cannot follow 'mpls' (libpcap: no VLAN match after MPLS)", n.offset);
    }
    const outermost = this.#vlanDepth++ === 0 && this.#o.live === true && this.#o.linktype === 1 &&
      at.hdr === undefined && at.pl.base === "abs" && at.type?.base === "abs";
    const tpid = () => this.or(this.or(this.linktype(0x8100), this.linktype(0x88a8)), this.linktype(0x9100));
    if (!outermost) {
      let code: Code = tpid();
      if (n.id !== undefined) code = this.and(code, this.netCmp(2, 0, n.id, 0x0fff));
      at.pl = { ...at.pl, k: at.pl.k + 4 };
      at.type = { ...at.type!, k: at.type!.k + 4 };
      return code;
    }
    const inMetadata = () =>
      this.atom([LD(BPF.B, BPF.ABS, SKF_AD.OFF + SKF_AD.VLAN_TAG_PRESENT)], JMP(BPF.JEQ), 1);
    let code = this.or(inMetadata(), tpid());
    if (n.id !== undefined) {
      const metaId = this.atom(
        [LD(BPF.H, BPF.ABS, SKF_AD.OFF + SKF_AD.VLAN_TAG), ALU(BPF.AND, 0x0fff)],
        JMP(BPF.JEQ),
        n.id,
      );
      const bytesId = this.netCmp(2, 0, n.id, 0x0fff);
      code = this.and(
        code,
        this.or(this.and(inMetadata(), metaId), this.and(this.not(inMetadata()), bytesId)),
      );
    }
    const reg = this.#vlanReg = this.#permanent(n.offset);
    at.pl = { base: reg, k: at.pl.k };
    at.type = { base: reg, k: at.type!.k };
    return code;
  }

  /**
   * libpcap's gen_inbound: the packet type is not PACKET_OUTGOING (4). A Linux cooked header holds it; on
   * another link type only a live capture knows it, through the kernel's ancillary load (SKF_AD_PKTTYPE,
   * libpcap's `ldh [type]`). libpcap refuses the other link types when reading a file, and so does netkit.
   */
  direction(n: Extract<FilterNode, { kind: "inbound" | "outbound" }>): Code {
    const pkttype = this.#link.pkttype;
    if (!pkttype && !this.#o.live) {
      this.#fail(
        `inbound/outbound not supported on ${this.#link.name} when reading savefiles ` +
          `(a file keeps no direction outside a Linux cooked header, LINUX_SLL or LINUX_SLL2)`,
        n.offset,
      );
    }
    const load = pkttype
      ? this.#linkLoad(pkttype.size, pkttype.off)
      : [LD(BPF.H, BPF.ABS, SKF_AD.OFF + SKF_AD.PKTTYPE)];
    const outgoing = this.atom(load, JMP(BPF.JEQ), PACKET_OUTGOING);
    return n.kind === "outbound" ? outgoing : this.not(outgoing);
  }

  // ---- encapsulations: what follows them is read inside ----

  /**
   * libpcap's gen_mpls: the first label by the link's MPLS type, a later one by the bottom-of-stack bit of
   * the one before being clear; then the label's 20 bits. Everything after is read 4 bytes further.
   */
  mpls(n: Extract<FilterNode, { kind: "mpls" }>): Code {
    const at = this.#at;
    let code: Code;
    if (at.mpls > 0) code = this.#maskedEq(this.#netLoad(1, -2), 0x01, 0);
    else {
      if (at.mplsType === undefined) {
        this.#fail(`'mpls' needs an Ethernet, PPP or Cisco HDLC link, not ${at.name}`, n.offset);
      }
      code = this.linktype(at.mplsType);
    }
    if (n.label !== undefined) code = this.and(code, this.netCmp(4, 0, n.label << 12 >>> 0, 0xfffff000));
    at.nl += 4;
    at.nosnap += 4;
    at.mpls++;
    return code;
  }

  /**
   * libpcap's gen_pppoes: a PPPoE session frame, with this session id; what follows is PPP, its protocol
   * field right behind the 6-byte PPPoE header (libpcap's PUSH_LINKHDR).
   */
  pppoes(n: Extract<FilterNode, { kind: "pppoes" }>): Code {
    let code = this.linktype(ETH.PPPOES);
    if (n.session !== undefined) code = this.and(code, this.netCmp(4, 0, n.session, 0xffff));
    const at = this.#at;
    const hdr: Off = { base: at.pl.base, k: at.pl.k + at.nl + 6 };
    Object.assign(
      at,
      {
        kind: "ppp",
        sap: undefined,
        name: "PPP",
        ether: false,
        hdr,
        type: hdr,
        pl: { base: hdr.base, k: hdr.k + 2 },
        nl: 0,
        nosnap: 0,
        mplsType: PPP_MPLS_UNICAST,
        inner: undefined,
      } satisfies Partial<Layers>,
    );
    return code;
  }

  /**
   * libpcap's gen_geneve: UDP to port 6081 over IPv4 or IPv6 (the UDP header right behind a fixed IPv6
   * header), Geneve version 0, the VNI; then code computing where the encapsulated frame is. libpcap puts
   * that code in one block with a jump inside it and turns its optimizer off for the program; so does
   * netkit. Scratch words then hold the offsets of the inner protocol type (Geneve's own, or the inner
   * Ethernet type when Geneve carries Ethernet, 0x6558), of the inner Ethernet header and of the inner
   * network layer; what follows reads the encapsulated frame as Ethernet.
   */
  geneve(n: Extract<FilterNode, { kind: "geneve" }>): Code {
    const at = this.#at;
    if (at.pl.base === "wlan" || at.hdr !== undefined) {
      // libpcap's own code for these reads a scratch word before setting it.
      this.#fail(
        `'geneve' needs fixed header offsets, not those of ${at.name} (or of an outer geneve)`,
        n.offset,
      );
    }
    this.noOptimize = true;
    const l3 = this.#l3;
    // IPv4: `udp dst port 6081`, version and VNI, then A = X = the IPv4 header length (`txa; jeq x`, always
    // true). The UDP header's fields are read past X.
    const udp4 = (size: 1 | 2 | 4, k: number) => [...this.#ipHeaderX(), LD(SIZE[size], BPF.IND, l3 + k)];
    const port4 = this.and(
      this.and(this.netCmp(1, 9, IPPROTO.UDP), this.notFragment()),
      this.atom(udp4(2, 2), JMP(BPF.JEQ), GENEVE_PORT),
    );
    const end4 = this.atom(
      [...this.#ipHeaderX(), { code: BPF.MISC | BPF.TXA, k: 0 }],
      JMP(BPF.JEQ, BPF.X),
      0,
    );
    const v4 = this.and(
      this.and(this.linktype(ETH.IP), port4),
      this.and(this.#geneveFields(udp4, n.vni), end4),
    );
    // IPv6: the same with the UDP header right behind the fixed header, at 40.
    const udp6 = (size: 1 | 2 | 4, k: number) => this.#netLoad(size, 40 + k);
    const port6 = this.and(this.netCmp(1, 6, IPPROTO.UDP), this.netCmp(2, 40 + 2, GENEVE_PORT));
    // (Behind a live `vlan`, the network layer is at a scratch word's offset: A = X = that plus 40.)
    const end6 = this.atom(
      at.pl.base === "abs"
        ? [{ code: BPF.LD | BPF.IMM, k: 40 }, { code: BPF.MISC | BPF.TAX, k: 0 }]
        : [...this.#payloadX(), { code: BPF.MISC | BPF.TXA, k: 0 }, ALU(BPF.ADD, 40), {
          code: BPF.MISC | BPF.TAX,
          k: 0,
        }],
      JMP(BPF.JEQ, BPF.X),
      0,
    );
    const v6 = this.and(
      this.and(this.linktype(ETH.IP6), port6),
      this.and(this.#geneveFields(udp6, n.vni), end6),
    );
    const found = this.or(v4, v6);
    // With A = X = the transport offset from the network layer: X = the Geneve header, M[type] = its
    // protocol field, M[hdr] = the end of its options, then for Ethernet (0x6558) M[type] = the inner
    // EtherType and X = the inner network layer, stored in M[pl].
    const type = this.#permanent(n.offset);
    const hdr = this.#permanent(n.offset);
    const offsets: Stmt[] = [
      ALU(BPF.ADD, l3 + 8),
      { code: BPF.MISC | BPF.TAX, k: 0 },
      ALU(BPF.ADD, 2),
      { code: BPF.ST, k: type },
      LD(BPF.B, BPF.IND, 0),
      ALU(BPF.AND, 0x3f),
      ALU(BPF.MUL, 4),
      ALU(BPF.ADD, 8),
      { code: BPF.ALU | BPF.ADD | BPF.X, k: 0 },
      { code: BPF.ST, k: hdr },
      LD(BPF.H, BPF.IND, 2),
      { code: BPF.LDX | BPF.MEM, k: hdr },
      { code: JMP(BPF.JEQ), k: ETH.TEB, jt: 0, jf: 5 },
      { code: BPF.MISC | BPF.TXA, k: 0 },
      ALU(BPF.ADD, 12),
      { code: BPF.ST, k: type },
      ALU(BPF.ADD, 2),
      { code: BPF.MISC | BPF.TAX, k: 0 },
    ];
    const pl = this.#permanent(n.offset);
    offsets.push({ code: BPF.STX, k: pl }, { code: BPF.LD | BPF.IMM, k: 0 });
    Object.assign(
      at,
      {
        kind: "ether",
        sap: "en10mb",
        name: "EN10MB (in geneve)",
        ether: true,
        hdr: { base: hdr, k: 0 },
        type: { base: type, k: 0 },
        pl: { base: pl, k: 0 },
        nl: 0, // libpcap keeps the MPLS depth (and the OSI offset) it had
        mplsType: 0x8847,
        inner: { hdr, pl },
      } satisfies Partial<Layers>,
    );
    return this.and(found, this.atom(offsets, JMP(BPF.JEQ), 0));
  }

  /** Geneve's version (0) and VNI, read with `load(size, k)` from the UDP header's start. */
  #geneveFields(load: (size: 1 | 2 | 4, k: number) => Stmt[], vni: number | undefined): Code {
    const code: Code = this.#maskedEq(load(1, 8), 0xc0, 0);
    if (vni === undefined) return code;
    return this.and(code, this.#maskedEq(load(4, 12), 0xffffff00, (vni << 8) >>> 0));
  }

  /**
   * Behind `geneve`, the link-layer tests first check that an Ethernet header is there (libpcap's
   * gen_geneve_ll_check: the inner header's offset differs from the inner network layer's).
   */
  #innerEther(): Code {
    const inner = this.#at.inner;
    if (!inner) return true;
    const same = this.atom(
      [{ code: BPF.LD | BPF.MEM, k: inner.hdr }, { code: BPF.LDX | BPF.MEM, k: inner.pl }],
      JMP(BPF.JEQ, BPF.X),
      0,
    );
    return this.not(same);
  }

  /**
   * libpcap's gen_llc: an 802.2 frame (Ethernet: a length, not FF FF that starts raw 802.3 IPX; 802.11: a
   * data frame), and with a type its control field masked (`llc i`: the low bit clear, by jset).
   */
  llc(n: Extract<FilterNode, { kind: "llc" }>): Code {
    const at = this.#at;
    let code: Code;
    if (at.kind === "wlan") code = this.wlanDataFrame();
    else if (at.kind === "ether" && at.sap === "en10mb") {
      code = this.and(this.#is8023(), this.not(this.#llcCmp(2, 0, 0xffff)));
    } else return this.#fail(`'llc' needs Ethernet or 802.11 headers, not ${at.name}`, n.offset);
    const c = n.control;
    if (!c) return code;
    const control = this.#load(at.pl, 1, 2);
    const test = c.mask === 0x01
      ? this.not(this.atom(control, JMP(BPF.JSET), 0x01))
      : this.#maskedEq(control, c.mask, c.value);
    return this.and(code, test);
  }

  /** The link protocols: their type, or for the OSI family the NLPID (and the IS-IS PDU type) behind it. */
  linkProto(proto: LinkProtoName, offset: number): Code {
    switch (proto) {
      case "clnp":
        return this.isoProto(NLPID.CLNP);
      case "esis":
        return this.isoProto(NLPID.ESIS);
      case "isis":
        return this.isoProto(NLPID.ISIS);
      case "l1":
      case "l2":
      case "iih":
      case "lsp":
      case "snp":
      case "csnp":
      case "psnp": {
        // libpcap ORs one whole IS-IS test per PDU type; the optimizer shares their common part.
        const [first, ...rest] = ISIS_GROUPS[proto];
        let code = this.isisPdu(first);
        for (const pdu of rest) code = this.or(code, this.isisPdu(pdu));
        return code;
      }
      default:
        if (LINK_PROTOS[proto] === undefined) return this.#fail(`unknown protocol '${proto}'`, offset);
        return this.linktype(LINK_PROTOS[proto]);
    }
  }

  /**
   * libpcap's gen_proto for Q_ISO: OSI (its SAP), then the NLPID where the OSI header starts (behind the
   * LLC header; Cisco HDLC has a fudge byte before it).
   */
  isoProto(nlpid: number): Code {
    const at = this.#at;
    const fudge = at.kind === "ether" && at.sap === "chdlc" ? 1 : 0;
    const osi = this.linktype(SAP.ISONS);
    return this.and(osi, this.atom(this.#load(at.pl, 1, at.nosnap + fudge), JMP(BPF.JEQ), nlpid));
  }

  /** An IS-IS PDU type: byte 4 of the IS-IS header (libpcap counts it from the OSI header, fudge or not). */
  isisPdu(pdu: number): Code {
    const code = this.isoProto(NLPID.ISIS);
    return this.and(code, this.atom(this.#load(this.#at.pl, 1, this.#at.nosnap + 4), JMP(BPF.JEQ), pdu));
  }

  cast(n: Extract<FilterNode, { kind: "broadcast" | "multicast" }>): Code {
    const proto = n.proto ?? "ether";
    if (proto === "ether" && this.#at.kind === "wlan") {
      // The destination address, wherever the frame type and To-DS put it (libpcap's gen_wlanhostop).
      const one = (off: number): Code =>
        n.kind === "multicast" ? this.atom(this.#linkLoad(1, off), JMP(BPF.JSET), 1) : this.and(
          this.atom(this.#linkLoad(4, off + 2), JMP(BPF.JEQ), 0xffffffff),
          this.atom(this.#linkLoad(2, off), JMP(BPF.JEQ), 0xffff),
        );
      return this.wlanHost("dst", one);
    }
    if (proto === "ether") {
      if (!this.#at.ether) {
        this.#fail(`link-layer ${n.kind} needs an Ethernet link, not ${this.#at.name}`, n.offset);
      }
      const inner = this.#innerEther();
      if (n.kind === "multicast") return this.and(inner, this.atom(this.#hdrLoad(1, 0), JMP(BPF.JSET), 1));
      return this.and(
        inner,
        this.and(
          this.atom(this.#hdrLoad(4, 2), JMP(BPF.JEQ), 0xffffffff),
          this.atom(this.#hdrLoad(2, 0), JMP(BPF.JEQ), 0xffff),
        ),
      );
    }
    if (proto === "ip") {
      if (n.kind === "multicast") {
        return this.and(this.linktype(ETH.IP), this.netCmp(1, 16, 224, undefined, BPF.JGE));
      }
      const hostmask = ~this.#o.netmask >>> 0;
      return this.and(
        this.linktype(ETH.IP),
        this.or(this.netCmp(4, 16, 0, hostmask), this.netCmp(4, 16, hostmask, hostmask)),
      );
    }
    if (n.kind === "broadcast") this.#fail("IPv6 has no broadcast: use 'ip6 multicast'", n.offset);
    return this.and(this.linktype(ETH.IP6), this.netCmp(1, 24, 255));
  }
}

const ALU_OPS: Readonly<Record<string, number>> = {
  "+": BPF.ADD,
  "-": BPF.SUB,
  "*": BPF.MUL,
  "/": BPF.DIV,
  "%": BPF.MOD,
  "&": BPF.AND,
  "|": BPF.OR,
  "^": BPF.XOR,
  "<<": BPF.LSH,
  ">>": BPF.RSH,
};

function aluConst(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return (a + b) >>> 0;
    case "-":
      return (a - b) >>> 0;
    case "*":
      return Math.imul(a, b) >>> 0;
    case "/":
      return Math.floor((a >>> 0) / (b >>> 0)) >>> 0;
    case "%":
      return ((a >>> 0) % (b >>> 0)) >>> 0;
    case "&":
      return (a & b) >>> 0;
    case "|":
      return (a | b) >>> 0;
    case "^":
      return (a ^ b) >>> 0;
    case "<<":
      return b >= 32 ? 0 : (a << b) >>> 0;
    default:
      return b >= 32 ? 0 : (a >>> 0) >>> b;
  }
}

function compareConst(op: string, a: number, b: number): boolean {
  a >>>= 0;
  b >>>= 0;
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

function relop(g: Generator, op: string, stmts: Stmt[], src: number, k: number): Code {
  switch (op) {
    case "=":
      return g.atom(stmts, JMP(BPF.JEQ, src), k);
    case "!=":
      return g.not(g.atom(stmts, JMP(BPF.JEQ, src), k));
    case ">":
      return g.atom(stmts, JMP(BPF.JGT, src), k);
    case ">=":
      return g.atom(stmts, JMP(BPF.JGE, src), k);
    case "<":
      return g.not(g.atom(stmts, JMP(BPF.JGE, src), k));
    default:
      return g.not(g.atom(stmts, JMP(BPF.JGT, src), k));
  }
}

function isWlanDirection(dir: Direction): boolean {
  return dir === "ra" || dir === "ta" || dir === "addr1" || dir === "addr2" || dir === "addr3" ||
    dir === "addr4";
}

function patch(exits: Exit[], to: Block): void {
  for (const [b, side] of exits) b[side] = to;
}

// ---- optimization and layout ----

/** A laid-out node: statements, then a conditional jump, an unconditional one, or a return. */
interface Node {
  id: number;
  stmts: Stmt[];
  code: number;
  k: number;
  ret?: number;
  jt?: Node;
  jf?: Node;
}

class Budget extends Error {}

interface Facts {
  a: string;
  x: string;
  mem: (string | undefined)[];
  /** value key -> known equality and known test outcomes */
  known: Map<string, { eq?: number; res: Map<string, boolean> }>;
}

/** Which registers a list of statements writes. */
function effects(stmts: Stmt[]): { a: boolean; x: boolean; mem: boolean } {
  const out = { a: false, x: false, mem: false };
  for (const s of stmts) {
    const cls = s.code & 0x07;
    if (cls === BPF.LD || cls === BPF.ALU || (cls === BPF.MISC && (s.code & 0xf8) === BPF.TXA)) out.a = true;
    else if (cls === BPF.LDX || (cls === BPF.MISC && (s.code & 0xf8) === BPF.TAX)) out.x = true;
    else if (cls === BPF.ST || cls === BPF.STX) out.mem = true;
  }
  return out;
}

const readsMemo = new WeakMap<Block, { a?: boolean; x?: boolean }>();

/** Whether a block (or, for X, what follows it) reads a register before writing it. */
function readsOnEntry(b: Block, reg: "a" | "x"): boolean {
  if (b.ret !== undefined) return false;
  const memo = readsMemo.get(b) ?? {};
  if (memo[reg] !== undefined) return memo[reg]!;
  let result: boolean | undefined;
  for (const s of b.stmts) {
    const cls = s.code & 0x07;
    const misc = s.code & 0xf8;
    const readsA = cls === BPF.ALU || cls === BPF.ST || (cls === BPF.MISC && misc === BPF.TAX);
    const readsX = (cls === BPF.ALU && (s.code & BPF.X) !== 0) || cls === BPF.STX ||
      (cls === BPF.LD && (s.code & 0xe0) === BPF.IND) || (cls === BPF.MISC && misc === BPF.TXA);
    if (reg === "a" ? readsA : readsX) {
      result = true;
      break;
    }
    const writesA = cls === BPF.LD || (cls === BPF.MISC && misc === BPF.TXA);
    const writesX = cls === BPF.LDX || (cls === BPF.MISC && misc === BPF.TAX);
    if (reg === "a" ? writesA : writesX) {
      result = false;
      break;
    }
  }
  if (result === undefined) {
    const ja = (b.code & 0xf0) === BPF.JA;
    const jumpReads = reg === "a" ? !ja : (b.code & BPF.X) !== 0;
    result = jumpReads || (reg === "x" && (readsOnEntry(b.jt!, "x") || (!ja && readsOnEntry(b.jf!, "x"))));
  }
  memo[reg] = result;
  readsMemo.set(b, memo);
  return result;
}

/**
 * Specializes the block graph along its paths: drops a load whose value the register already holds,
 * skips a block whose test an earlier test on the same value decided (when the block only loads), and
 * merges identical nodes. Returns undefined when the graph is too large to specialize within budget.
 */
function optimizeBlocks(
  root: Block,
  budget: number,
  baseMem: string[] = [],
  stats: { wiped: boolean } = { wiped: false },
): Node | undefined {
  let fresh = 0;
  const intern = new Map<string, string>();
  const key = (s: string) => {
    let v = intern.get(s);
    if (!v) intern.set(s, v = `v${intern.size}`);
    return v;
  };
  const nodes = new Map<string, Node>();
  let nodeId = 0;
  const make = (n: Omit<Node, "id">): Node => {
    const sig = n.ret !== undefined
      ? `R${n.ret}`
      : `${n.stmts.map((s) => `${s.code},${s.k}`).join(";")}|${n.code},${n.k}|${n.jt!.id},${n.jf?.id ?? -1}`;
    let found = nodes.get(sig);
    if (!found) nodes.set(sig, found = { ...n, id: nodeId++ });
    return found;
  };
  const memo = new Map<string, Node>();
  let work = 0;

  const apply = (s: Stmt, st: Facts): boolean => {
    // Returns true when the statement can be dropped (the register already holds that value).
    const cls = s.code & 0x07;
    const size = (s.code >> 3) & 3;
    const mode = s.code & 0xe0;
    if (cls === BPF.LD) {
      let v: string;
      if (mode === BPF.ABS) v = key(`P${size}[${s.k}]`);
      else if (mode === BPF.IND) v = key(`P${size}[${st.x}+${s.k}]`);
      else if (mode === BPF.LEN) v = "len";
      else if (mode === BPF.IMM) v = `#${s.k}`;
      else v = st.mem[s.k] ?? `?${fresh++}`;
      if (st.a === v) return true;
      st.a = v;
      return false;
    }
    if (cls === BPF.LDX) {
      let v: string;
      if (mode === BPF.MSH) v = key(`msh[${s.k}]`);
      else if (mode === BPF.IMM) v = `#${s.k}`;
      else if (mode === BPF.LEN) v = "len";
      else v = st.mem[s.k] ?? `?${fresh++}`;
      if (st.x === v) return true;
      st.x = v;
      return false;
    }
    if (cls === BPF.ST) st.mem[s.k] = st.a;
    else if (cls === BPF.STX) st.mem[s.k] = st.x;
    else if (cls === BPF.ALU) {
      st.a = key(`(${st.a}${s.code & 0xf8}${(s.code & BPF.X) ? st.x : `#${s.k}`})`);
    } else if (cls === BPF.MISC) {
      if ((s.code & 0xf8) === BPF.TXA) st.a = st.x;
      else st.x = st.a;
    }
    return false;
  };

  const spec = (b: Block, st: Facts): Node => {
    if (b.ret !== undefined) return make({ stmts: [], code: BPF.RET | BPF.K, k: b.ret, ret: b.ret });
    if (b.opaque) {
      // The unrolled IPv6 walk: specializing it per path would grow exponentially with its depth.
      const done = memo.get(`opaque${b.id}`);
      if (done) return done;
      if (++work > budget) throw new Budget();
      const reset = (): Facts => ({ a: "?a", x: "?x", mem: [...baseMem], known: new Map() });
      const jt = spec(b.jt!, reset());
      const node = make({
        stmts: b.stmts,
        code: b.code,
        k: b.k,
        jt,
        jf: b.jf ? spec(b.jf, reset()) : undefined,
      });
      memo.set(`opaque${b.id}`, node);
      return node;
    }
    const memoKey = `${b.id}|${st.a}|${st.x}|${st.mem.join(",")}|${
      [...st.known].map(([k, v]) => `${k}=${v.eq ?? ""}:${[...v.res].join(",")}`).join(";")
    }`;
    const hit = memo.get(memoKey);
    if (hit) return hit;
    if (++work > budget) throw new Budget();
    const next: Facts = { a: st.a, x: st.x, mem: [...st.mem], known: st.known };
    const emitted: Stmt[] = [];
    for (const s of b.stmts) if (!apply(s, next)) emitted.push(s);
    let out: Node;
    // libpcap empties a block that leaves A and X with the known values they had, when what follows uses
    // nothing it could define (here: both branches return), and then runs one more pass.
    const known = (v: string) => !v.startsWith("?");
    if (
      b.stmts.length > 0 && known(st.a) && known(st.x) && next.a === st.a && next.x === st.x &&
      !effects(b.stmts).mem && b.jt?.ret !== undefined && b.jf?.ret !== undefined
    ) {
      emitted.length = 0;
      stats.wiped = true;
    }
    if ((b.code & 0xf0) === BPF.JA && (b.code & 0x07) === BPF.JMP) {
      const succ = spec(b.jt!, next);
      out = emitted.length === 0 ? succ : make({ stmts: emitted, code: b.code, k: 0, jt: succ });
    } else {
      const value = next.a;
      const test = (b.code & BPF.X) ? `${b.code}:x${next.x}` : `${b.code}:${b.k}`;
      const fact = next.known.get(value);
      let decided = fact?.res.get(test);
      if (decided === undefined && fact?.eq !== undefined && b.code === (BPF.JMP | BPF.JEQ | BPF.K)) {
        decided = fact.eq === b.k;
      }
      if (decided !== undefined) {
        // Skip the block only when what follows does not read a register (or scratch word) it sets:
        // libpcap's use_conflict() check.
        const succ = decided ? b.jt! : b.jf!;
        const sets = effects(b.stmts);
        const conflict = sets.mem || (sets.a && readsOnEntry(succ, "a")) ||
          (sets.x && readsOnEntry(succ, "x"));
        if (!conflict || emitted.length === 0) out = spec(succ, conflict ? next : st);
        else out = make({ stmts: emitted, code: BPF.JMP | BPF.JA, k: 0, jt: spec(succ, next) });
      } else {
        const learn = (outcome: boolean): Facts => {
          const known = new Map(next.known);
          const prev = known.get(value);
          const res = new Map(prev?.res ?? []);
          res.set(test, outcome);
          const eq = outcome && b.code === (BPF.JMP | BPF.JEQ | BPF.K) ? b.k : prev?.eq;
          known.set(value, { eq, res });
          return { ...next, mem: [...next.mem], known };
        };
        const jt = spec(b.jt!, learn(true));
        const jf = spec(b.jf!, learn(false));
        out = emitted.length === 0 && jt === jf ? jt : make({ stmts: emitted, code: b.code, k: b.k, jt, jf });
      }
    }
    memo.set(memoKey, out);
    return out;
  };
  try {
    return spec(root, { a: "?a", x: "?x", mem: [...baseMem], known: new Map() });
  } catch (e) {
    if (e instanceof Budget) return undefined;
    throw e;
  }
}

function unoptimized(root: Block): Node {
  const map = new Map<Block, Node>();
  const conv = (b: Block): Node => {
    let n = map.get(b);
    if (n) return n;
    n = {
      id: b.id,
      stmts: b.stmts,
      code: b.ret !== undefined ? BPF.RET | BPF.K : b.code,
      k: b.ret ?? b.k,
      ret: b.ret,
    };
    map.set(b, n);
    if (b.ret === undefined) {
      n.jt = conv(b.jt!);
      if ((b.code & 0xf0) !== BPF.JA) n.jf = conv(b.jf!);
    }
    return n;
  };
  return conv(root);
}

/** libpcap's layout: reverse post-order, visiting the false branch before the true one. */
function layout(root: Node, forKernel: boolean, fail: (reason: string) => never): BpfInstruction[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const visit = (n: Node | undefined) => {
    if (!n || seen.has(n)) return;
    seen.add(n);
    visit(n.jf);
    visit(n.jt);
    order.push(n);
  };
  visit(root);
  order.reverse();
  const pos = new Map<Node, number>();
  let at = 0;
  for (const n of order) {
    pos.set(n, at);
    at += n.ret !== undefined ? 1 : n.stmts.length + 1;
  }
  // Absolute targets first; conditional jumps reach at most 255 ahead, so a far branch goes through a
  // `ja` trampoline inserted right after it (as libpcap does), and the targets behind it shift.
  const flat: { code: number; k: number; t: number; f: number }[] = [];
  for (const n of order) {
    if (n.ret !== undefined) {
      flat.push({ code: BPF.RET | BPF.K, k: n.ret, t: -1, f: -1 });
      continue;
    }
    for (const s of n.stmts) {
      const at = flat.length + 1;
      flat.push({
        code: s.code,
        k: s.k >>> 0,
        t: s.jt === undefined ? -1 : at + s.jt,
        f: s.jf === undefined ? -1 : at + s.jf,
      });
    }
    const ja = (n.code & 0xf0) === BPF.JA;
    flat.push({ code: n.code, k: n.k >>> 0, t: pos.get(n.jt!)!, f: ja ? -1 : pos.get(n.jf!)! });
  }
  const isCond = (i: number) => (flat[i].code & 0x07) === BPF.JMP && (flat[i].code & 0xf0) !== BPF.JA;
  const insert = (at: number, target: number) => {
    for (const ins of flat) {
      if (ins.t >= at) ins.t++;
      if (ins.f >= at) ins.f++;
    }
    flat.splice(at, 0, { code: BPF.JMP | BPF.JA, k: 0, t: target >= at ? target + 1 : target, f: -1 });
  };
  // An insertion can stretch an earlier jump past 255: repeat until no jump is too long.
  for (let changed = forKernel; changed;) {
    changed = false;
    for (let i = 0; i < flat.length && flat.length <= BPF.MAXINSNS; i++) {
      if (!isCond(i)) continue;
      if (flat[i].t - (i + 1) > 255) {
        insert(i + 1, flat[i].t);
        flat[i].t = i + 1;
        changed = true;
      }
      if (flat[i].f - (i + 1) > 255) {
        const at = flat[i].t === i + 1 ? i + 2 : i + 1;
        insert(at, flat[i].f);
        flat[i].f = at;
        changed = true;
      }
    }
  }
  if (forKernel && flat.length > BPF.MAXINSNS) {
    fail(`the filter needs ${flat.length} instructions, more than the kernel's ${BPF.MAXINSNS}`);
  }
  return flat.map((ins, i) => {
    if ((ins.code & 0x07) !== BPF.JMP) return { code: ins.code, jt: 0, jf: 0, k: ins.k };
    if ((ins.code & 0xf0) === BPF.JA) return { code: ins.code, jt: 0, jf: 0, k: ins.t - (i + 1) };
    return { code: ins.code, jt: ins.t - (i + 1), jf: ins.f - (i + 1), k: ins.k };
  });
}

/**
 * Compiles a syntax tree into a classic BPF program.
 *
 * @param ast the parsed expression
 * @param source the expression text (for error positions)
 * @param options link type, snapshot length, dialect...
 * @returns the program and whether user space must confirm accepted packets
 * @throws {FilterSyntaxError} (code UNSUPPORTED) for what the link type cannot express
 * @throws {RangeError} for an unsupported link type
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateCode } from "./codegen.ts";
 * import { parseFilter } from "./parser.ts";
 * const { program } = generateCode(parseFilter("ip"), "ip", {
 *   linktype: 1, snaplen: 262144, netmask: 0, dialect: "netkit", maxExtHeaders: 4, optimize: true, forKernel: true,
 * });
 * assert(program.length === 4 && program[0].k === 12);
 * ```
 */
export function generateCode(ast: FilterNode, source: string, options: CodegenOptions): CodegenResult {
  let g = new Generator(source, options);
  let code = g.gen(ast);
  // libpcap turns its optimizer off once a program reads the 802.11 payload offset (its offset-loading
  // code jumps inside a block); the libpcap dialect then gives libpcap's raw shapes, as it does on 802.11
  // when asked not to optimize (tcpdump -O).
  const regs = g.wlanRegs();
  const raw = options.dialect === "libpcap" &&
    ((regs !== undefined && (regs.payload !== undefined || !options.optimize)) || g.noOptimize);
  if (raw) {
    g = new Generator(source, options, true);
    code = g.gen(ast);
  }
  const accept = new Block([], BPF.RET, 0);
  accept.ret = options.snaplen >>> 0;
  const reject = new Block([], BPF.RET, 0);
  reject.ret = 0;
  let root: Block;
  if (typeof code === "boolean") root = code ? accept : reject;
  else {
    patch(code.t, accept);
    patch(code.f, reject);
    root = code.head;
  }
  const fail = (reason: string): never => {
    throw new FilterSyntaxError(reason, source, 0, "UNSUPPORTED");
  };
  const wlan = root.ret === undefined ? g.wlanRegs() : undefined;
  const payload = wlan?.payload;
  const header = wlan?.header;
  let dropStore = false;
  if (header !== undefined && payload === undefined) {
    // Only the radiotap length: straight-line code at the head of the root block, as libpcap puts it, so
    // the optimizer knows X holds it. libpcap's optimizer drops the store when no other block reloads it
    // (or when folding arithmetic makes it run one more pass); its dead-store pass runs on the root first.
    dropStore = g.hasRelation || !otherBlocksRead(root, header);
    root.stmts = [...radiotapLength(header), ...root.stmts];
  }
  let program: BpfInstruction[];
  try {
    const baseMem: string[] = [];
    if (payload !== undefined) {
      // The preamble stores these once, before the root block: every later reload is the same value.
      if (header !== undefined) baseMem[header] = "radiotap length";
      baseMem[payload] = "802.11 payload offset";
    }
    const vlan = g.vlanReg();
    if (vlan !== undefined) baseMem[vlan] = "VLAN tag offset";
    const stats = { wiped: false };
    const node = options.optimize && !raw && !g.noOptimize
      ? optimizeBlocks(root, 20000, baseMem, stats) ?? unoptimized(root)
      : unoptimized(root);
    // A block emptied of repeated loads makes libpcap's optimizer run again, which then finds the store dead.
    if (stats.wiped) dropStore = true;
    program = layout(node, options.forKernel, fail);
  } catch (e) {
    // The block graph is walked recursively: a huge expression runs out of stack before it would run out
    // of the kernel's 4096 instructions.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      fail("the expression is too large to compile");
    }
    throw e;
  }
  if (header !== undefined && payload === undefined && dropStore && options.optimize) {
    const reads = program.some((i) =>
      (i.code === (BPF.LDX | BPF.MEM) || i.code === (BPF.LD | BPF.MEM)) && i.k === header
    );
    // The store is the sixth statement of the root block, before any jump: removing it moves no target.
    if (!reads && program[5].code === BPF.ST && program[5].k === header) program.splice(5, 1);
  }
  const vlan = g.vlanReg();
  const readsVlan = vlan !== undefined &&
    program.some((i) => (i.code === (BPF.LDX | BPF.MEM) || i.code === (BPF.LD | BPF.MEM)) && i.k === vlan);
  if (payload !== undefined || readsVlan) {
    program = [...(payload !== undefined ? wlanPreamble(header, payload) : vlanPreamble(vlan!)), ...program];
    if (options.forKernel && program.length > BPF.MAXINSNS) {
      fail(`the filter needs ${program.length} instructions, more than the kernel's ${BPF.MAXINSNS}`);
    }
  }
  if (g.noOptimize) {
    // `geneve or ip6`: when geneve fails, what follows reads offsets nobody stored. libpcap's program
    // reads whatever its scratch memory holds; the kernel refuses such a program. So does netkit.
    const bad = validateProgram(program);
    if (bad?.reason.includes("before any store")) {
      fail("what follows 'geneve' would read its offsets where geneve did not match (under 'or' or 'not')");
    }
  }
  return {
    program,
    needsUserspace: g.needsUserspace,
    walkedPrimitives: g.walked,
  };
}

/** libpcap's gen_radiotap_llprefixlen: the little-endian radiotap length (offset 2) into M[reg] and X. */
function radiotapLength(reg: number): Stmt[] {
  return [
    LD(BPF.B, BPF.ABS, 3),
    ALU(BPF.LSH, 8),
    { code: BPF.MISC | BPF.TAX, k: 0 },
    LD(BPF.B, BPF.ABS, 2),
    { code: BPF.ALU | BPF.OR | BPF.X, k: 0 },
    { code: BPF.ST, k: reg },
    { code: BPF.MISC | BPF.TAX, k: 0 },
  ];
}

/** Whether a block other than `root` reloads scratch word `reg` into X. */
function otherBlocksRead(root: Block, reg: number): boolean {
  const seen = new Set<Block>([root]);
  const todo = [root.jt, root.jf];
  while (todo.length) {
    const b = todo.pop();
    if (!b || seen.has(b)) continue;
    seen.add(b);
    if (b.stmts.some((s) => s.code === (BPF.LDX | BPF.MEM) && s.k === reg)) return true;
    todo.push(b.jt, b.jf);
  }
  return false;
}

/**
 * libpcap's offset-loading code for 802.11 (insert_compute_vloffsets): the radiotap length into
 * M[header] (127 only), then the link-layer payload offset into M[payload]: 24 past the MAC header's
 * start for a data frame, +2 for QoS, rounded up to 4 when radiotap's flags (found through the first
 * present word only, after TSFT if present) have the data-pad bit. Non-data frames keep 24; the tests
 * that follow reject them anyway. Its jumps stay inside it or land on the instruction after it.
 */
/**
 * Live on Ethernet behind `vlan`: stores in `reg` how far the outermost VLAN tag moves what follows it, 4
 * when it is in the frame's bytes and 0 when the kernel took it out (`[vlanp]` is 1). Straight-line code
 * ahead of the program, so every path that reads the word has it.
 */
function vlanPreamble(reg: number): BpfInstruction[] {
  return [
    { code: BPF.LD | BPF.B | BPF.ABS, jt: 0, jf: 0, k: SKF_AD.OFF + SKF_AD.VLAN_TAG_PRESENT },
    { code: BPF.ALU | BPF.XOR | BPF.K, jt: 0, jf: 0, k: 1 },
    { code: BPF.ALU | BPF.LSH | BPF.K, jt: 0, jf: 0, k: 2 },
    { code: BPF.ST, jt: 0, jf: 0, k: reg },
  ];
}

function wlanPreamble(header: number | undefined, payload: number): BpfInstruction[] {
  type Target = "next" | "end" | "noqos" | "notsft" | "round";
  const code: { code: number; k: number; jt?: Target; jf?: Target; label?: string }[] = [];
  const st = (s: Stmt, label?: string) => code.push({ code: s.code, k: s.k, label });
  const jset = (k: number, jt: Target, jf: Target) => code.push({ code: JMP(BPF.JSET), k: k >>> 0, jt, jf });
  if (header !== undefined) radiotapLength(header).forEach((s) => st(s));
  else st({ code: BPF.LDX | BPF.IMM, k: 0 });
  st({ code: BPF.MISC | BPF.TXA, k: 0 });
  st(ALU(BPF.ADD, 24));
  st({ code: BPF.ST, k: payload });
  st(LD(BPF.B, BPF.IND, 0));
  jset(FC.DATA, "next", "end");
  jset(FC.CTL, "end", "next");
  jset(FC.QOS, "next", "noqos");
  st({ code: BPF.LD | BPF.MEM, k: payload });
  st(ALU(BPF.ADD, 2));
  st({ code: BPF.ST, k: payload });
  if (header !== undefined) {
    // The present word is little-endian: bit 1 (flags) is 0x02000000 to BPF, bit 31 (extended) 0x80.
    st(LD(BPF.W, BPF.ABS, 4), "noqos");
    jset(0x02000000, "next", "end");
    jset(0x80, "end", "next");
    jset(0x01000000, "next", "notsft");
    st(LD(BPF.B, BPF.ABS, 16));
    jset(0x20, "round", "end");
    st(LD(BPF.B, BPF.ABS, 8), "notsft");
    jset(0x20, "round", "end");
    st({ code: BPF.LD | BPF.MEM, k: payload }, "round");
    st(ALU(BPF.ADD, 3));
    st(ALU(BPF.AND, ~3));
    st({ code: BPF.ST, k: payload });
  }
  const at = (t: Target, i: number): number => {
    if (t === "next") return i + 1;
    const found = code.findIndex((c) => c.label === t);
    return found >= 0 ? found : code.length; // "end", and "noqos" without radiotap
  };
  return code.map((c, i) =>
    c.jt === undefined
      ? { code: c.code, jt: 0, jf: 0, k: c.k >>> 0 }
      : { code: c.code, jt: at(c.jt, i) - i - 1, jf: at(c.jf!, i) - i - 1, k: c.k }
  );
}
