/**
 * The parser of the pcap-filter language (man pcap-filter), recursive descent over the lexer's tokens.
 *
 * As in libpcap: `and` and `or` have the same precedence and associate left to right; `not` binds tightest;
 * a bare value after `and`/`or` repeats the qualifiers of the primitive before it (`host a or b` is
 * `host a or host b`, `tcp port 80 and not 22` is `tcp port 80 and not tcp port 22`); in arithmetic, `*`
 * `/` `%` bind tighter than `+` `-`, then `<<` `>>`, then `&`, then `|` and `^`.
 *
 * @module
 */

import type {
  AddressValue,
  ArithNode,
  Direction,
  FilterNode,
  ProtoName,
  RelOp,
  WlanDirection,
} from "./ast.ts";
import { type FilterErrorCode, FilterSyntaxError } from "./errors.ts";
import { type Token, tokenize } from "./lexer.ts";

const PROTOS: Readonly<Record<string, ProtoName>> = {
  ether: "ether",
  link: "ether",
  wlan: "ether",
  radio: "radio",
  ip: "ip",
  ip6: "ip6",
  arp: "arp",
  rarp: "rarp",
  tcp: "tcp",
  udp: "udp",
  sctp: "sctp",
  icmp: "icmp",
  icmp6: "icmp6",
  igmp: "igmp",
  atalk: "atalk",
  aarp: "aarp",
  decnet: "decnet",
  lat: "lat",
  sca: "sca",
  moprc: "moprc",
  mopdl: "mopdl",
  ipx: "ipx",
  netbeui: "netbeui",
  stp: "stp",
  iso: "iso",
  clnp: "clnp",
  esis: "esis",
  "es-is": "esis",
  isis: "isis",
  "is-is": "isis",
  l1: "l1",
  l2: "l2",
  iih: "iih",
  lsp: "lsp",
  snp: "snp",
  csnp: "csnp",
  psnp: "psnp",
};

/** The protocols whose headers `proto[offset]` loads can index. */
const LOADABLE = new Set<ProtoName>([
  "ether",
  "radio",
  "ip",
  "ip6",
  "arp",
  "rarp",
  "tcp",
  "udp",
  "sctp",
  "icmp",
  "icmp6",
  "igmp",
]);

/** Named constants usable in arithmetic (pcap-filter's tcpflags, icmptype, icmp6type... ). */
export const FILTER_CONSTANTS: Readonly<Record<string, number>> = {
  "tcpflags": 13,
  "tcp-fin": 0x01,
  "tcp-syn": 0x02,
  "tcp-rst": 0x04,
  "tcp-push": 0x08,
  "tcp-ack": 0x10,
  "tcp-urg": 0x20,
  "tcp-ece": 0x40,
  "tcp-cwr": 0x80,
  "icmptype": 0,
  "icmpcode": 1,
  "icmp-echoreply": 0,
  "icmp-unreach": 3,
  "icmp-sourcequench": 4,
  "icmp-redirect": 5,
  "icmp-echo": 8,
  "icmp-routeradvert": 9,
  "icmp-routersolicit": 10,
  "icmp-timxceed": 11,
  "icmp-paramprob": 12,
  "icmp-tstamp": 13,
  "icmp-tstampreply": 14,
  "icmp-ireq": 15,
  "icmp-ireqreply": 16,
  "icmp-maskreq": 17,
  "icmp-maskreply": 18,
  "icmp6type": 0,
  "icmp6code": 1,
  "icmp6-destinationunreach": 1,
  "icmp6-packettoobig": 2,
  "icmp6-timeexceeded": 3,
  "icmp6-parameterproblem": 4,
  "icmp6-echo": 128,
  "icmp6-echoreply": 129,
  "icmp6-multicastlistenerquery": 130,
  "icmp6-multicastlistenerreportv1": 131,
  "icmp6-multicastlistenerdone": 132,
  "icmp6-routersolicit": 133,
  "icmp6-routeradvert": 134,
  "icmp6-neighborsolicit": 135,
  "icmp6-neighboradvert": 136,
  "icmp6-redirect": 137,
  "icmp6-routerrenum": 138,
  "icmp6-nodeinformationquery": 139,
  "icmp6-nodeinformationresponse": 140,
  "icmp6-ineighbordiscoverysolicit": 141,
  "icmp6-ineighbordiscoveryadvert": 142,
  "icmp6-multicastlistenerreportv2": 143,
};

/** IP protocol names for `ip proto \name` (the usual /etc/protocols entries). */
export const IP_PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  "ipv6-icmp": 58,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  sctp: 132,
};

/**
 * Ethernet protocol names for `ether proto \name`, libpcap's: EtherTypes, then the 802.2 LLC SAPs it
 * knows by name (`iso`, `stp`, `ipx`, `netbeui`), which select 802.3 frames by their DSAP. Case matters.
 */
export const ETHER_PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  aarp: 0x80f3,
  arp: 0x0806,
  atalk: 0x809b,
  decnet: 0x6003,
  ip: 0x0800,
  ip6: 0x86dd,
  lat: 0x6004,
  loopback: 0x9000,
  mopdl: 0x6001,
  moprc: 0x6002,
  rarp: 0x8035,
  sca: 0x6007,
  iso: 0xfe,
  stp: 0x42,
  ipx: 0xe0,
  netbeui: 0xf0,
};

/** OSI network-layer protocol names for `iso proto \name` (their NLPIDs). */
const ISO_PROTOCOL_NAMES: Readonly<Record<string, number>> = { clnp: 0x81, esis: 0x82, isis: 0x83 };

/**
 * 802.2 LLC frame types for `llc TYPE` (libpcap's): the control field masked with `mask` equals `value`.
 * `i`, `s` and `u` are the formats; the others are the supervisory and unnumbered commands.
 */
const LLC_TYPES: Readonly<Record<string, { readonly mask: number; readonly value: number }>> = {
  i: { mask: 0x01, value: 0x00 },
  s: { mask: 0x03, value: 0x01 },
  u: { mask: 0x03, value: 0x03 },
  rr: { mask: 0x0f, value: 0x01 },
  rnr: { mask: 0x0f, value: 0x05 },
  rej: { mask: 0x0f, value: 0x09 },
  ui: { mask: 0xef, value: 0x03 },
  ua: { mask: 0xef, value: 0x63 },
  disc: { mask: 0xef, value: 0x43 },
  dm: { mask: 0xef, value: 0x0f },
  sabme: { mask: 0xef, value: 0x6f },
  test: { mask: 0xef, value: 0xe3 },
  xid: { mask: 0xef, value: 0xaf },
  frmr: { mask: 0xef, value: 0x87 },
};

/** The 802.11 direction qualifiers, as written. */
const WLAN_DIRECTIONS: Readonly<Record<string, WlanDirection>> = {
  ra: "ra",
  ta: "ta",
  addr1: "addr1",
  addr2: "addr2",
  addr3: "addr3",
  addr4: "addr4",
  address1: "addr1",
  address2: "addr2",
  address3: "addr3",
  address4: "addr4",
};

/** 802.11 frame types by name (libpcap's), with the type bits in place in the frame control byte. */
const WLAN_TYPES: Readonly<Record<string, number>> = {
  mgt: 0x00,
  management: 0x00,
  ctl: 0x04,
  control: 0x04,
  data: 0x08,
};

/** 802.11 subtype names of each frame type (libpcap's tables), with the subtype bits in place. */
const WLAN_SUBTYPES: readonly { readonly type: number; readonly names: Readonly<Record<string, number>> }[] =
  [
    {
      type: 0x00,
      names: {
        "assoc-req": 0x00,
        "assoc-resp": 0x10,
        "reassoc-req": 0x20,
        "reassoc-resp": 0x30,
        "probe-req": 0x40,
        "probe-resp": 0x50,
        "beacon": 0x80,
        "atim": 0x90,
        "disassoc": 0xa0,
        "disassociation": 0xa0,
        "auth": 0xb0,
        "authentication": 0xb0,
        "deauth": 0xc0,
        "deauthentication": 0xc0,
      },
    },
    {
      type: 0x04,
      names: { "ps-poll": 0xa0, "rts": 0xb0, "cts": 0xc0, "ack": 0xd0, "cf-end": 0xe0, "cf-end-ack": 0xf0 },
    },
    {
      type: 0x08,
      names: {
        "data": 0x00,
        "data-cf-ack": 0x10,
        "data-cf-poll": 0x20,
        "data-cf-ack-poll": 0x30,
        "null": 0x40,
        "cf-ack": 0x50,
        "cf-poll": 0x60,
        "cf-ack-poll": 0x70,
        "qos-data": 0x80,
        "qos-data-cf-ack": 0x90,
        "qos-data-cf-poll": 0xa0,
        "qos-data-cf-ack-poll": 0xb0,
        "qos": 0xc0,
        "qos-cf-poll": 0xe0,
        "qos-cf-ack-poll": 0xf0,
      },
    },
  ];

/** 802.11 To-DS/From-DS combinations by name. */
const WLAN_DS: Readonly<Record<string, number>> = { nods: 0, tods: 1, fromds: 2, dstods: 3 };

const KEYWORDS = new Set([
  ...Object.keys(PROTOS),
  ...Object.keys(WLAN_DIRECTIONS),
  ...Object.keys(FILTER_CONSTANTS),
  "host",
  "net",
  "port",
  "portrange",
  "proto",
  "src",
  "dst",
  "and",
  "or",
  "not",
  "less",
  "greater",
  "len",
  "broadcast",
  "multicast",
  "vlan",
  "mask",
  "gateway",
  "type",
  "subtype",
  "dir",
  "mpls",
  "pppoed",
  "pppoes",
  "geneve",
  "llc",
  "protochain",
  "inbound",
  "outbound",
]);

type TypeQual = "host" | "net" | "port" | "portrange" | "proto" | "protochain";

/** The qualifiers a bare value inherits. */
interface Qualifiers {
  proto?: ProtoName;
  dir: Direction;
  type?: TypeQual;
  offset: number;
}

const RELOPS: Readonly<Record<string, RelOp>> = {
  "=": "=",
  "==": "=",
  "!=": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};
const ARITH_LEVELS: readonly (readonly string[])[] = [["|", "^"], ["&"], ["<<", ">>"], ["+", "-"], [
  "*",
  "/",
  "%",
]];

class Parser {
  #tokens: Token[];
  #pos = 0;
  #src: string;

  constructor(src: string) {
    this.#src = src;
    this.#tokens = tokenize(src);
  }

  parse(): FilterNode {
    if (this.#peek().kind === "end") this.#fail("empty filter expression", this.#peek(), "UNEXPECTED_END");
    const { node } = this.#expr(undefined);
    const t = this.#peek();
    if (t.kind !== "end") {
      this.#fail(t.text === ")" ? "unbalanced ')'" : `unexpected '${t.text}' after a complete expression`, t);
    }
    return node;
  }

  #peek(n = 0): Token {
    return this.#tokens[Math.min(this.#pos + n, this.#tokens.length - 1)];
  }

  #next(): Token {
    const t = this.#peek();
    if (t.kind !== "end") this.#pos++;
    return t;
  }

  #fail(reason: string, at: Token | number, code?: FilterErrorCode): never {
    const offset = typeof at === "number" ? at : at.offset;
    const c = code ?? (typeof at !== "number" && at.kind === "end" ? "UNEXPECTED_END" : "UNEXPECTED_TOKEN");
    throw new FilterSyntaxError(reason, this.#src, offset, c);
  }

  #isWord(t: Token, ...words: string[]): boolean {
    return t.kind === "word" && words.includes(t.text);
  }

  #isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === "op" && ops.includes(t.text);
  }

  #describe(t: Token): string {
    return t.kind === "end" ? "the end of the expression" : `'${t.text}'`;
  }

  // expr: term ((and|or) (term | id))*
  #expr(inherit: Qualifiers | undefined): { node: FilterNode; q?: Qualifiers } {
    let { node, q } = this.#termOrId(inherit);
    for (;;) {
      const t = this.#peek();
      let kind: "and" | "or";
      if (this.#isWord(t, "and") || this.#isOp(t, "&&")) kind = "and";
      else if (this.#isWord(t, "or") || this.#isOp(t, "||")) kind = "or";
      else break;
      this.#next();
      const right = this.#termOrId(q);
      node = { kind, left: node, right: right.node, offset: node.offset };
      q = right.q;
    }
    return { node, q };
  }

  #isValueToken(t: Token): boolean {
    return t.kind === "number" || t.kind === "ipv4" || t.kind === "ipv6" || t.kind === "mac" ||
      t.kind === "dotted" || t.kind === "escaped" || (t.kind === "word" && !KEYWORDS.has(t.text));
  }

  #termOrId(q: Qualifiers | undefined): { node: FilterNode; q?: Qualifiers } {
    const t = this.#peek();
    if (this.#isWord(t, "not") || this.#isOp(t, "!")) {
      this.#next();
      const inner = this.#termOrId(q);
      return { node: { kind: "not", operand: inner.node, offset: t.offset }, q: inner.q };
    }
    const after = this.#peek(1);
    const arithFollows = after.kind === "op" && !["(", ")", "&&", "||", "!"].includes(after.text);
    if (this.#isValueToken(t) && !(t.kind === "number" && arithFollows)) {
      if (!q || q.type === undefined && q.dir === undefined) {
        if (t.kind === "word") this.#fail(`unknown keyword '${t.text}'`, t);
        this.#fail(`'${t.text}' needs a qualifier before it, such as 'host' or 'port'`, t);
      }
      return { node: this.#primitiveValue(q!, t.offset), q };
    }
    if (this.#isOp(t, "(")) {
      const save = this.#pos;
      const rel = this.#tryRelation();
      if (rel) return { node: rel };
      this.#pos = save;
      this.#next();
      const inner = this.#expr(q);
      const close = this.#peek();
      if (!this.#isOp(close, ")")) {
        this.#fail(
          `expected ')' to close the '(' at column ${t.offset + 1}, found ${this.#describe(close)}`,
          close,
        );
      }
      this.#next();
      return inner;
    }
    return this.#term();
  }

  #tryRelation(): FilterNode | undefined {
    try {
      const left = this.#arith();
      if (this.#peek().kind === "op" && RELOPS[this.#peek().text]) return this.#relationRest(left);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
    }
    return undefined;
  }

  #relationRest(left: ArithNode): FilterNode {
    const t = this.#peek();
    const op = t.kind === "op" ? RELOPS[t.text] : undefined;
    if (!op) this.#fail(`expected a comparison (=, !=, <, <=, >, >=), found ${this.#describe(t)}`, t);
    this.#next();
    const right = this.#arith();
    return { kind: "relation", op: op!, left, right, offset: left.offset };
  }

  #term(): { node: FilterNode; q?: Qualifiers } {
    const t = this.#peek();
    if (t.kind === "end") this.#fail("expected an expression, found the end of the expression", t);
    if (t.kind === "op" && !this.#isOp(t, "-")) {
      this.#fail(t.text === ")" ? "unbalanced ')'" : `expected an expression, found '${t.text}'`, t);
    }
    if (t.kind === "number" || this.#isOp(t, "-") || this.#isWord(t, "len") || t.text in FILTER_CONSTANTS) {
      return { node: this.#relationRest(this.#arith()) };
    }
    if (t.kind === "word" && PROTOS[t.text] && this.#isOp(this.#peek(1), "[")) {
      if (!LOADABLE.has(PROTOS[t.text])) {
        this.#fail(`'${t.text}[...]' loads are not supported`, t, "UNSUPPORTED");
      }
      return { node: this.#relationRest(this.#arith()) };
    }
    if (t.kind !== "word") this.#fail(`'${t.text}' needs a qualifier before it, such as 'host' or 'port'`, t);
    if (this.#isWord(t, "and", "or")) this.#fail(`expected an expression, found '${t.text}'`, t);
    switch (t.text) {
      case "less":
      case "greater": {
        this.#next();
        const n = this.#peek();
        if (n.kind !== "number") this.#fail(`expected a length after '${t.text}'`, n);
        this.#next();
        return { node: { kind: t.text, length: n.value!, offset: t.offset } };
      }
      case "vlan": {
        const id = this.#optionalNumber(4095, "VLAN id");
        return { node: { kind: "vlan", id, offset: t.offset } };
      }
      case "mpls": {
        const label = this.#optionalNumber(0xfffff, "MPLS label");
        return { node: { kind: "mpls", label, offset: t.offset } };
      }
      case "pppoes": {
        const session = this.#optionalNumber(0xffff, "PPPoE session number");
        return { node: { kind: "pppoes", session, offset: t.offset } };
      }
      case "geneve": {
        const vni = this.#optionalNumber(0xffffff, "Geneve VNI");
        return { node: { kind: "geneve", vni, offset: t.offset } };
      }
      case "pppoed":
      case "inbound":
      case "outbound":
        this.#next();
        return { node: { kind: t.text, offset: t.offset } };
      case "llc": {
        this.#next();
        const n = this.#peek();
        if (n.kind !== "word" || KEYWORDS.has(n.text)) return { node: { kind: "llc", offset: t.offset } };
        const control = LLC_TYPES[n.text.toLowerCase()];
        if (!control) this.#fail(`unknown LLC type name '${n.text}'`, n, "BAD_VALUE");
        this.#next();
        return { node: { kind: "llc", control, offset: t.offset } };
      }
      case "broadcast":
      case "multicast":
        this.#next();
        return { node: { kind: t.text, offset: t.offset } };
      case "type":
      case "subtype":
        return { node: this.#wlanType() };
      case "dir": {
        this.#next();
        const d = this.#peek();
        let value: number | undefined;
        if (d.kind === "number") value = d.value;
        else if (d.kind === "word") {
          value = WLAN_DS[d.text.toLowerCase()];
          if (value === undefined) {
            this.#fail(`unknown 802.11 direction '${d.text}' (nods, tods, fromds or dstods)`, d, "BAD_VALUE");
          }
        } else this.#fail(`expected an 802.11 direction after 'dir', found ${this.#describe(d)}`, d);
        this.#next();
        return { node: { kind: "wlandir", value: value!, offset: t.offset } };
      }
      case "gateway":
        this.#fail("'gateway' needs host name lookups, which netkit does not do", t, "UNSUPPORTED");
    }
    return this.#qualified();
  }

  /** After a keyword (`vlan`, `mpls`...): a number that is not the start of a relation, at most `max`. */
  #optionalNumber(max: number, what: string): number | undefined {
    this.#next();
    const n = this.#peek();
    if (n.kind !== "number" || (this.#peek(1).kind === "op" && RELOPS[this.#peek(1).text])) return undefined;
    this.#next();
    if (n.value! > max) this.#fail(`${what} ${n.value} is out of range (0-${max})`, n, "OUT_OF_RANGE");
    return n.value;
  }

  // type T [subtype S] | subtype S, as libpcap: a subtype name after `type T` is one of T's, a lone
  // `subtype NAME` is looked up in every type (management, control, data) and implies that type.
  #wlanType(): FilterNode {
    const kw = this.#next();
    const t = this.#peek();
    if (kw.text === "subtype") {
      if (t.kind !== "word") {
        this.#fail(`expected an 802.11 subtype name after 'subtype', found ${this.#describe(t)}`, t);
      }
      const name = t.text.toLowerCase();
      const table = WLAN_SUBTYPES.find((s) => name in s.names);
      if (!table) this.#fail(`unknown 802.11 subtype name '${t.text}'`, t, "BAD_VALUE");
      this.#next();
      return { kind: "wlantype", value: table!.type | table!.names[name], mask: 0xfc, offset: kw.offset };
    }
    let type: number | undefined;
    if (t.kind === "number") {
      type = t.value!;
      if ((type & ~0x0c) !== 0) this.#fail(`invalid 802.11 type value ${hex2(type)}`, t, "BAD_VALUE");
    } else if (t.kind === "word") {
      type = WLAN_TYPES[t.text.toLowerCase()];
      if (type === undefined) {
        this.#fail(`unknown 802.11 type name '${t.text}' (mgt, ctl or data)`, t, "BAD_VALUE");
      }
    } else this.#fail(`expected an 802.11 type after 'type', found ${this.#describe(t)}`, t);
    this.#next();
    if (!this.#isWord(this.#peek(), "subtype")) {
      return { kind: "wlantype", value: type!, mask: 0x0c, offset: kw.offset };
    }
    this.#next();
    const s = this.#peek();
    let sub: number | undefined;
    if (s.kind === "number") {
      sub = s.value!;
      if ((sub & ~0xf0) !== 0) this.#fail(`invalid 802.11 subtype value ${hex2(sub)}`, s, "BAD_VALUE");
    } else if (s.kind === "word") {
      const table = WLAN_SUBTYPES.find((w) => w.type === type);
      if (!table) this.#fail(`802.11 type ${hex2(type!)} has no subtype names`, s, "BAD_VALUE");
      sub = table!.names[s.text.toLowerCase()];
      if (sub === undefined) {
        this.#fail(`unknown 802.11 subtype name '${s.text}' for this type`, s, "BAD_VALUE");
      }
    } else this.#fail(`expected an 802.11 subtype after 'subtype', found ${this.#describe(s)}`, s);
    this.#next();
    return { kind: "wlantype", value: (type! | sub!) >>> 0, mask: 0xfc, offset: kw.offset };
  }

  // [proto] [dir] [type] value, or a bare protocol.
  #qualified(): { node: FilterNode; q?: Qualifiers } {
    const start = this.#peek();
    let proto: ProtoName | undefined;
    let dir: Direction | undefined;
    let type: TypeQual | undefined;
    if (start.kind === "word" && PROTOS[start.text]) {
      proto = PROTOS[start.text];
      this.#next();
    }
    const d = this.#peek();
    if (this.#isWord(d, "src", "dst")) {
      this.#next();
      dir = d.text as "src" | "dst";
      const conj = this.#peek();
      const other = this.#peek(1);
      if (this.#isWord(conj, "or", "and") && this.#isWord(other, "src", "dst") && other.text !== d.text) {
        this.#next();
        this.#next();
        dir = conj.text === "or" ? "src or dst" : "src and dst";
      }
    } else if (d.kind === "word" && WLAN_DIRECTIONS[d.text]) {
      this.#next();
      dir = WLAN_DIRECTIONS[d.text];
    }
    const ty = this.#peek();
    if (this.#isWord(ty, "host", "net", "port", "portrange", "proto", "protochain")) {
      this.#next();
      type = ty.text as TypeQual;
    } else if (this.#isWord(ty, "broadcast", "multicast") && proto && !dir) {
      this.#next();
      if (proto !== "ether" && proto !== "ip" && proto !== "ip6") {
        this.#fail(`'${ty.text}' applies to ether, ip or ip6, not ${proto}`, start, "UNSUPPORTED");
      }
      return { node: { kind: ty.text as "broadcast" | "multicast", proto, offset: start.offset } };
    }
    if (proto && !dir && !type) {
      if (proto === "ether") {
        this.#fail(`'${start.text}' needs host, src, dst, proto, broadcast or multicast after it`, ty);
      }
      if (proto === "radio") this.#fail("'radio' is not a protocol: it only indexes loads, radio[0]", start);
      return { node: { kind: "proto", proto, offset: start.offset } };
    }
    if (!dir && !type) {
      if (start.kind === "word") this.#fail(`unknown keyword '${start.text}'`, start);
      this.#fail(`'${start.text}' needs a qualifier before it, such as 'host' or 'port'`, start);
    }
    const q: Qualifiers = { proto, dir: dir ?? "src or dst", type, offset: start.offset };
    if ((type === "proto" || type === "protochain") && dir) this.#fail(`'${type}' takes no direction`, d);
    return { node: this.#primitiveValue(q, start.offset), q };
  }

  #primitiveValue(q: Qualifiers, offset: number): FilterNode {
    const t = this.#peek();
    const type = q.type ?? "host";
    if (t.kind === "end") {
      const prev = this.#tokens[this.#pos - 1];
      this.#fail(`expected a value after '${prev?.text ?? type}'`, t);
    }
    switch (type) {
      case "port":
      case "portrange": {
        if (isWlanDirection(q.dir)) {
          this.#fail(`'${q.dir}' is not a valid qualifier for ports`, q.offset, "UNSUPPORTED");
        }
        if (q.proto && q.proto !== "tcp" && q.proto !== "udp" && q.proto !== "sctp") {
          this.#fail(`'${type}' applies to tcp, udp or sctp, not ${q.proto}`, q.offset, "UNSUPPORTED");
        }
        const low = this.#port();
        let high = low;
        if (type === "portrange") {
          if (!this.#isOp(this.#peek(), "-")) this.#fail("expected '-' in a port range", this.#peek());
          this.#next();
          high = this.#port();
        }
        return {
          kind: "port",
          proto: q.proto,
          dir: q.dir,
          low: Math.min(low, high),
          high: Math.max(low, high),
          range: type === "portrange",
          offset,
        };
      }
      case "proto":
      case "protochain": {
        const p = q.proto;
        if (type === "protochain" && p && p !== "ip" && p !== "ip6") {
          this.#fail(`'protochain' applies to ip or ip6, not ${p}`, q.offset, "UNSUPPORTED");
        }
        if (p === "esis" || p === "clnp") {
          this.#fail(`'${p} proto' is not supported (libpcap refuses it)`, q.offset, "UNSUPPORTED");
        }
        if (p && !["ether", "ip", "ip6", "iso", "isis"].includes(p)) {
          this.#fail(
            `'proto' applies to ether, ip or ip6, not ${p} (and to iso, isis)`,
            q.offset,
            "UNSUPPORTED",
          );
        }
        this.#next();
        let value: number | undefined;
        if (t.kind === "number") value = t.value;
        else if (t.kind === "escaped" || (t.kind === "word" && !KEYWORDS.has(t.text))) {
          // libpcap looks EtherType and OSI names up as written, IP protocol names case-blind.
          value = p === "ether"
            ? ETHER_PROTOCOL_NAMES[t.text]
            : p === "iso" || p === "isis"
            ? ISO_PROTOCOL_NAMES[t.text]
            : IP_PROTOCOL_NAMES[t.text.toLowerCase()];
          if (value === undefined) this.#fail(`unknown protocol name '${t.text}'`, t, "UNEXPECTED_TOKEN");
        } else {
          const hint = t.kind === "word" ? ` (a keyword: write \\${t.text})` : "";
          this.#fail(`expected a protocol number or \\name, found ${this.#describe(t)}${hint}`, t);
        }
        const max = p === "ether" ? 0xffff : 0xff;
        if (value! > max) {
          this.#fail(`protocol number ${value} is out of range (0-${max})`, t, "OUT_OF_RANGE");
        }
        if (type === "protochain") {
          return { kind: "protochain", proto: p as "ip" | "ip6" | undefined, value: value!, offset };
        }
        return { kind: "protonum", proto: p, value: value!, offset };
      }
      case "host":
      case "net":
        return this.#address(q, type, offset);
    }
  }

  #port(): number {
    const t = this.#peek();
    if (t.kind !== "number") {
      this.#fail("expected a port number", t, t.kind === "word" ? "NAME_NOT_ALLOWED" : undefined);
    }
    if (t.value! > 65535) this.#fail(`port ${t.value} is out of range (0-65535)`, t, "OUT_OF_RANGE");
    this.#next();
    return t.value!;
  }

  #address(q: Qualifiers, type: "host" | "net", offset: number): FilterNode {
    const t = this.#next();
    const proto = q.proto;
    if (t.kind === "word" && KEYWORDS.has(t.text)) {
      this.#fail(`expected an address, found '${t.text}'`, t, "UNEXPECTED_TOKEN");
    }
    if (t.kind === "word" || t.kind === "escaped") {
      this.#fail(
        `'${t.text}' is a name, and netkit does no DNS: use a numeric address`,
        t,
        "NAME_NOT_ALLOWED",
      );
    }
    if (isWlanDirection(q.dir) && t.kind !== "mac") {
      this.#fail(`'${q.dir}' applies to 802.11 MAC addresses only, not '${t.text}'`, t, "BAD_VALUE");
    }
    if (proto === "decnet" && t.kind !== "mac") return this.#decnetAddress(q, type, t, offset);
    if (t.kind === "dotted") this.#fail(`bad IPv4 address '${t.text}'`, t, "BAD_VALUE");
    if (proto && !["ether", "ip", "ip6", "arp", "rarp"].includes(proto)) {
      this.#fail(`'${type}' does not apply to ${proto}`, q.offset, "UNSUPPORTED");
    }
    let value: AddressValue;
    if (t.kind === "mac") {
      if (type === "net") {
        this.#fail("'net' takes an IPv4 or IPv6 network, not a MAC address", t, "BAD_VALUE");
      }
      if (proto && proto !== "ether") this.#fail(`a MAC address does not apply to ${proto}`, t, "BAD_VALUE");
      if (!proto && isWlanDirection(q.dir)) {
        this.#fail(`'${q.dir}' needs 'wlan' or 'ether' before it`, q.offset, "UNEXPECTED_TOKEN");
      }
      value = { family: "mac", addr: t.bytes! };
    } else if (proto === "ether") {
      this.#fail(`expected a MAC address after 'ether ${type}'`, t, "BAD_VALUE");
    } else if (t.kind === "ipv6") {
      if (proto && proto !== "ip6") this.#fail(`an IPv6 address does not apply to ${proto}`, t, "BAD_VALUE");
      let prefix = 128;
      if (this.#isOp(this.#peek(), "/")) {
        if (type !== "net") this.#fail("a '/' prefix needs 'net', not 'host'", this.#peek(), "BAD_VALUE");
        this.#next();
        const n = this.#peek();
        if (n.kind !== "number") this.#fail("expected a prefix length after '/'", n, "BAD_VALUE");
        if (n.value! > 128) this.#fail(`prefix length ${n.value} is out of range (0-128)`, n, "OUT_OF_RANGE");
        this.#next();
        prefix = n.value!;
        for (let bit = prefix; bit < 128; bit++) {
          if (t.bytes![bit >> 3] & (0x80 >> (bit & 7))) {
            this.#fail(`'${t.text}/${prefix}' has bits set outside its prefix`, t, "BAD_VALUE");
          }
        }
      } else if (type === "net") prefix = 128;
      value = { family: "ipv6", addr: t.bytes!, prefix };
    } else if (t.kind === "ipv4" || t.kind === "number") {
      if (proto === "ip6") this.#fail("an IPv4 address does not apply to ip6", t, "BAD_VALUE");
      const parts = t.kind === "number" ? 1 : t.parts!;
      if (t.kind === "number" && t.value! > 255) this.#fail(`bad IPv4 network '${t.text}'`, t, "BAD_VALUE");
      const addr = t.kind === "number" ? t.value! * 0x1000000 : t.value!;
      if (type === "host") {
        if (parts !== 4) this.#fail(`expected a full IPv4 address, found '${t.text}'`, t, "BAD_VALUE");
        value = { family: "ipv4", addr, mask: 0xffffffff };
      } else {
        let bits = parts * 8;
        const n = this.#peek();
        if (this.#isOp(n, "/")) {
          this.#next();
          const len = this.#peek();
          if (len.kind !== "number") this.#fail("expected a prefix length after '/'", len, "BAD_VALUE");
          if (len.value! > 32) {
            this.#fail(`prefix length ${len.value} is out of range (0-32)`, len, "OUT_OF_RANGE");
          }
          this.#next();
          bits = len.value!;
        } else if (this.#isWord(n, "mask")) {
          this.#next();
          const m = this.#peek();
          if (m.kind !== "ipv4" || m.parts !== 4) {
            this.#fail("expected a netmask like 255.255.0.0", m, "BAD_VALUE");
          }
          this.#next();
          const mask = m.value!;
          if (((addr & ~mask) >>> 0) !== 0) {
            this.#fail(`'${t.text} mask ${m.text}' has bits set outside the mask`, t, "BAD_VALUE");
          }
          return { kind: "net", proto, dir: q.dir, value: { family: "ipv4", addr, mask }, offset };
        }
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        if (((addr & ~mask) >>> 0) !== 0) {
          this.#fail(`'${t.text}/${bits}' has bits set outside its prefix`, t, "BAD_VALUE");
        }
        value = { family: "ipv4", addr, mask };
      }
    } else {
      this.#fail(`expected an address after '${type}', found ${this.#describe(t)}`, t, "UNEXPECTED_TOKEN");
    }
    return { kind: type, proto, dir: q.dir, value: value!, offset };
  }

  /**
   * `decnet [src|dst] host|net AREA.NODE` or a number (area << 10 | node), as libpcap reads them: the
   * area is cut to 6 bits and the node to 10, a third or fourth dotted part is ignored.
   */
  #decnetAddress(q: Qualifiers, type: "host" | "net", t: Token, offset: number): FilterNode {
    let addr: number;
    if (t.kind === "number") addr = t.value!;
    else if ((t.kind === "ipv4" && t.parts! >= 2) || t.kind === "dotted") {
      const [area, node] = t.text.split(".").map(Number);
      addr = ((area * 1024) % 65536 & 0xfc00) | (node & 0x3ff);
    } else if (t.kind === "ipv6") {
      return this.#fail("'decnet' does not apply to an IPv6 address", t, "BAD_VALUE");
    } else {
      return this.#fail(
        `expected a DECnet address (area.node) after '${type}', found '${t.text}'`,
        t,
        "BAD_VALUE",
      );
    }
    if (this.#isOp(this.#peek(), "/") || this.#isWord(this.#peek(), "mask")) {
      this.#fail("a DECnet address takes no mask", this.#peek(), "BAD_VALUE");
    }
    return { kind: type, proto: "decnet", dir: q.dir, value: { family: "decnet", addr: addr >>> 0 }, offset };
  }

  #arith(level = 0): ArithNode {
    if (level === ARITH_LEVELS.length) return this.#unary();
    let left = this.#arith(level + 1);
    for (;;) {
      const t = this.#peek();
      if (!(t.kind === "op" && ARITH_LEVELS[level].includes(t.text))) return left;
      this.#next();
      const right = this.#arith(level + 1);
      left = { kind: "binary", op: t.text as "+", left, right, offset: left.offset };
    }
  }

  #unary(): ArithNode {
    const t = this.#next();
    if (this.#isOp(t, "-")) return { kind: "neg", operand: this.#unary(), offset: t.offset };
    if (this.#isOp(t, "(")) {
      const inner = this.#arith();
      const c = this.#peek();
      if (!this.#isOp(c, ")")) this.#fail(`expected ')', found ${this.#describe(c)}`, c);
      this.#next();
      return inner;
    }
    if (t.kind === "number") return { kind: "num", value: t.value!, offset: t.offset };
    if (t.kind === "word") {
      if (t.text === "len") return { kind: "len", offset: t.offset };
      if (t.text in FILTER_CONSTANTS) {
        return { kind: "num", value: FILTER_CONSTANTS[t.text], offset: t.offset };
      }
      const proto = PROTOS[t.text];
      if (proto) {
        if (!LOADABLE.has(proto)) this.#fail(`'${t.text}[...]' loads are not supported`, t, "UNSUPPORTED");
        const open = this.#next();
        if (!this.#isOp(open, "[")) this.#fail(`expected '[' after '${t.text}'`, open);
        const index = this.#arith();
        let size: 1 | 2 | 4 = 1;
        if (this.#isOp(this.#peek(), ":")) {
          this.#next();
          const s = this.#peek();
          if (s.kind !== "number") this.#fail("expected a size (1, 2 or 4) after ':'", s);
          if (s.value !== 1 && s.value !== 2 && s.value !== 4) {
            this.#fail(`data size ${s.text} must be 1, 2 or 4`, s, "OUT_OF_RANGE");
          }
          this.#next();
          size = s.value as 1 | 2 | 4;
        }
        const close = this.#peek();
        if (!this.#isOp(close, "]")) this.#fail(`expected ']', found ${this.#describe(close)}`, close);
        this.#next();
        return { kind: "load", proto, index, size, offset: t.offset };
      }
      this.#fail(`unknown name '${t.text}' in an arithmetic expression`, t);
    }
    this.#fail(`expected a number, 'len' or proto[offset], found ${this.#describe(t)}`, t);
  }
}

const hex2 = (v: number) => `0x${v.toString(16).padStart(2, "0")}`;

/**
 * Whether a direction qualifier is one of the 802.11 ones (`ra`, `ta`, `addr1`..`addr4`).
 *
 * @param dir the direction
 * @returns true for the 802.11 qualifiers
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isWlanDirection } from "./parser.ts";
 * assert(isWlanDirection("ra") && !isWlanDirection("src"));
 * ```
 */
export function isWlanDirection(dir: Direction | undefined): dir is WlanDirection {
  return dir === "ra" || dir === "ta" || dir === "addr1" || dir === "addr2" || dir === "addr3" ||
    dir === "addr4";
}

/**
 * Parses a pcap-filter expression into a syntax tree.
 *
 * @param expression the filter, e.g. `"tcp port 80 and not host 10.0.0.1"`
 * @returns the root node
 * @throws {FilterSyntaxError} with the offset and column of the first problem
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFilter } from "./parser.ts";
 * const ast = parseFilter("host 10.0.0.1 or 10.0.0.2");
 * assert(ast.kind === "or" && ast.right.kind === "host");
 * ```
 */
export function parseFilter(expression: string): FilterNode {
  try {
    return new Parser(expression).parse();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new FilterSyntaxError("the expression is nested too deeply", expression, 0, "UNSUPPORTED");
    }
    throw e;
  }
}
