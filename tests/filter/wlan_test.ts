/**
 * Filters on 802.11 (LINKTYPE_IEEE802_11 105) and radiotap + 802.11 (LINKTYPE_IEEE802_11_RADIO 127), with
 * tcpdump as the oracle: the packets netkit selects equal those `tcpdump -r FILE -w - EXPR` selects, the
 * `-d` listings equal tcpdump's, and what libpcap refuses netkit refuses.
 *
 * Frames are built here: tests/filter/_extra.py's IP packets (generated with scapy in a temp dir) and ARP
 * packets behind LLC/SNAP, in data frames with and without QoS, in all four To-DS/From-DS combinations,
 * protected, with 802.1Q inside SNAP; null and QoS-null frames, management (beacon, probes, association,
 * authentication), control (RTS, CTS, ACK, PS-Poll, BlockAck), non-SNAP LLC and AppleTalk SNAP; radiotap
 * headers with and without TSFT, with the data-pad flag (and the padding), with the FCS flag and a
 * trailing FCS, with extended present bitmaps, big, bogus or longer than the frame; and frames cut short
 * at every length.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  disassemble,
  filterAccepts,
  FilterSyntaxError,
  matches,
  parseFilter,
  validateProgram,
} from "../../lib/filter/mod.ts";
import { encodePcap, type PcapRecord } from "../../lib/pcap/mod.ts";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import { LINK_EXPRESSIONS, readPcap, tcpdumpSelects, writePcap } from "./_pcap.ts";

const STA = "02:00:00:00:00:0a";
const AP = "02:00:00:00:00:0b";
const BSSID = "02:00:00:00:00:0c";
const PEER = "02:00:00:00:00:0d";
const BCAST = "ff:ff:ff:ff:ff:ff";
const MCAST = "01:00:5e:00:00:fb";

/** Expressions whose selection must be tcpdump's on both link types, in both dialects. */
const EXPRESSIONS = [
  // every link type's table (tests/filter/_pcap.ts): libpcap takes all of it on 802.11
  ...LINK_EXPRESSIONS,
  // 802.11 addresses: which field is the source or destination depends on the frame
  `wlan host ${STA}`,
  `ether host ${AP}`,
  `wlan src ${STA}`,
  `wlan dst ${AP}`,
  `ether src ${PEER}`,
  `wlan src or dst ${BSSID}`,
  `wlan src and dst ${STA}`,
  `wlan ra ${AP}`,
  `wlan ta ${STA}`,
  `wlan addr1 ${BCAST}`,
  `wlan addr2 ${STA}`,
  `wlan addr3 ${BSSID}`,
  `wlan address4 ${PEER}`,
  `wlan host ${STA} or ${AP}`,
  "ether broadcast",
  "ether multicast",
  "broadcast",
  "multicast",
  // frame types, subtypes and directions
  "type data",
  "type mgt",
  "type ctl",
  "type 0x0c",
  "type mgt subtype beacon",
  "type data subtype qos-data",
  "type data subtype 0x40",
  "subtype probe-req",
  "subtype probe-resp",
  "subtype assoc-req",
  "subtype qos-data",
  "subtype null",
  "subtype qos",
  "subtype rts",
  "subtype cts or subtype ack",
  "dir nods",
  "dir tods",
  "dir fromds",
  "dir dstods",
  "type data and not dir nods",
  "wlan[1] & 0x40 != 0",
  // mixed
  "type data and ip",
  "subtype qos-data and udp port 53",
  `wlan src ${STA} and tcp`,
  `ip and not wlan dst ${BCAST}`,
  "vlan",
  "vlan 10 and ip",
  "vlan and vlan 20 and udp",
  "ether proto 0x809b",
  "ether proto 0x42",
  "ether proto 6",
  "ether proto 0xe0",
  "ip[0] + tcp[0] = 0x45",
  "tcp[(tcp[12] >> 4) * 4] = 0x47",
  "ether[ether[1] & 3] = 2",
  "-ip[0] = 5",
  "len - 14 > ip[2:2]",
  "len > 100 and ip",
];

/**
 * Where the netkit dialect parts from libpcap on purpose, the expressions whose tcpdump selections it
 * selects the intersection of (the libpcap dialect still selects what tcpdump selects):
 * - libpcap 1.10's gen_arth keeps only its left operand's protocol checks: `tcp[0]` is read from any
 *   IPv4 packet;
 * - libpcap gives the 802.11 offset registers out on first use, so a relation before the first protocol
 *   test frees registers that the offsets then get, and the relation's code, which runs after the offset
 *   code, overwrites them (`len > 100 and ip` reads the SNAP type at 100 + 6).
 */
const NETKIT_DIFFERS: Readonly<Record<string, string[]>> = {
  "ip[0] + tcp[0] = 0x45": ["tcp[0] >= 0", "ip[0] + tcp[0] = 0x45"],
  "len > 100 and ip": ["len > 100", "ip"],
  "radio[4] & 1 != 0 and ip": ["radio[4] & 1 != 0", "ip"],
};

/** Expressions for the radiotap file only. */
const RADIOTAP_EXPRESSIONS = [
  "radio[0] = 0",
  "radio[4:4] & 0x02000000 != 0",
  "radio[2] > 20",
  "radio[radio[2] + 1] & 0x0c = 8",
  "radio[4] & 1 != 0 and ip",
];

/** Simple expressions whose `-d` listing must be tcpdump's (as libpcap runs: optimized or not). */
const LISTED = [
  "ip",
  "ip6",
  "arp",
  "rarp",
  "tcp",
  "udp",
  "icmp",
  "icmp6",
  "sctp",
  "igmp",
  "port 53",
  "udp port 53",
  "portrange 1-1023",
  "host 10.0.0.1",
  "src net 10.0.0.0/8",
  "ip6 host 2001:db8::a",
  "ip6 net 2001:db8::/32",
  "ip proto 2",
  "ip6 proto 58",
  "proto 6",
  "ip broadcast",
  "ip multicast",
  "ip6 multicast",
  "ether proto 0x800",
  "ether proto 0x809b",
  "ether proto 6",
  "less 64",
  "len > 100",
  "not tcp and not udp",
  "host 10.0.0.1 and (port 80 or 443)",
  "vlan 10",
  "vlan and host 1.2.3.4",
  "tcp[13] & 2 != 0",
  "tcp[tcpflags] & tcp-syn != 0",
  "udp[0:2] = 53",
  "icmp[icmptype] = icmp-echo",
  "icmp6[icmp6type] = icmp6-echo",
  "ip[8] < 5",
  "ip6[7] < 10",
  "ip[0] + tcp[0] = 1",
  "-ip[0] = 5",
  "ether[0] = 2",
  "ether[0] & 1 = 0",
  `wlan host ${STA}`,
  `ether host ${STA}`,
  `wlan src ${STA}`,
  `wlan dst ${STA}`,
  `wlan src and dst ${STA}`,
  `wlan ra ${STA}`,
  `wlan ta ${STA}`,
  `wlan addr1 ${STA}`,
  `wlan addr2 ${STA}`,
  `wlan addr3 ${STA}`,
  `wlan addr4 ${STA}`,
  "ether broadcast",
  "ether multicast",
  "type data",
  "type mgt",
  "type ctl subtype rts",
  "subtype beacon",
  "subtype assoc-req",
  "dir tods",
  "dir nods",
  "type data or type mgt",
  "type data and subtype qos-data",
  "type mgt or ip",
  `wlan src ${STA} and ip`,
];

/** Listings that differ from tcpdump's, with the reason (see the module doc of lib/filter/codegen.ts). */
const NOT_EXACT: Readonly<Record<string, string>> = {
  // 127, a relation that reads only the MAC header: libpcap's optimizer leaves a half-folded index
  // (`ld #3; ldx M[2]; add x; tax; ldb [x + 0]`) where netkit loads `ldb [x + 3]`.
  "link[3] = 2": "127",
};

/** What libpcap refuses on 802.11, and netkit must refuse too. */
const REFUSED = [
  `host ${STA}`,
  `src ${STA}`,
  `ra ${STA}`,
  "ra host 10.0.0.1",
  "ra port 80",
  "tcp ra port 80",
  "ip ta host 10.0.0.1",
  "wlan host 10.0.0.1",
  "wlan addr1 host 10.0.0.1",
  "type 2",
  "type foo",
  "type data subtype 8",
  "type mgt subtype qos-data",
  "type 0x0c subtype beacon",
  "subtype 0x80",
  "subtype foo",
  "dir foo",
  "type",
  "radio",
  `radio host ${STA}`,
  "ether net 10.0.0.0/8",
];

/** What libpcap refuses on Ethernet (and every other link type netkit has) but takes on 802.11. */
const WLAN_ONLY = [
  "type data",
  "subtype beacon",
  "type mgt subtype beacon",
  "dir tods",
  `wlan ra ${STA}`,
  `ether ta ${STA}`,
  `wlan addr1 ${STA}`,
  `wlan address4 ${STA}`,
  "radio[0] = 0",
];

// ---- frame builders ----

const macBytes = (s: string) => Uint8Array.from(s.split(":").map((h) => parseInt(h, 16)));
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const bytes = (...v: number[]) => Uint8Array.from(v);

/** An 802.11 MAC header. */
interface Dot11 {
  /** 0 management, 1 control, 2 data, 3 extension. */
  type: number;
  subtype: number;
  toDs?: boolean;
  fromDs?: boolean;
  protected?: boolean;
  addrs?: string[];
}

/** The MAC header: control frames have 1 or 2 addresses; a data frame with both DS bits has addr4. */
function dot11(o: Dot11): Uint8Array {
  const a = o.addrs ?? [AP, STA, BSSID, PEER];
  let len: number;
  if (o.type === 1) len = o.subtype === 12 || o.subtype === 13 ? 10 : 16;
  else len = 24 + (o.type === 2 && o.toDs && o.fromDs ? 6 : 0) + (o.type === 2 && (o.subtype & 8) ? 2 : 0);
  const h = new Uint8Array(len);
  h[0] = (o.subtype << 4) | (o.type << 2);
  h[1] = (o.toDs ? 1 : 0) | (o.fromDs ? 2 : 0) | (o.protected ? 0x40 : 0);
  h[2] = 0x2c;
  for (let i = 0; i < 4 && 4 + 6 * i + 6 <= len; i++) {
    if (i === 3 && !(o.toDs && o.fromDs)) break;
    h.set(macBytes(a[i]), i === 3 ? 24 : 4 + 6 * i);
  }
  if (o.type !== 1 && len >= 24) h[22] = 0x10; // sequence number
  if (o.type === 2 && (o.subtype & 8)) h[len - 2] = 5; // QoS control: TID 5
  return h;
}

/** LLC/SNAP with an EtherType (OUI 0), then the payload. */
const snap = (ethertype: number, payload: Uint8Array) =>
  cat(bytes(0xaa, 0xaa, 0x03, 0, 0, 0, ethertype >> 8, ethertype & 0xff), payload);

/** An ARP (or RARP) request for IPv4 over Ethernet addresses. */
function arpPacket(op: number, spa: number[], tpa: number[]): Uint8Array {
  return cat(bytes(0, 1, 8, 0, 6, 4, 0, op), macBytes(STA), bytes(...spa), new Uint8Array(6), bytes(...tpa));
}

/** A radiotap header. Fields in bit order, each aligned to its size from the start of the header. */
interface Radiotap {
  tsft?: boolean;
  /** The flags field: 0x10 FCS at end, 0x20 data pad. */
  flags?: number;
  rate?: boolean;
  channel?: boolean;
  signal?: boolean;
  /** Extended present words after the first (bit 31 set in all but the last). */
  ext?: number;
  /** Zero bytes after the fields (a big header). */
  pad?: number;
  /** Overrides it_len (a bogus header). */
  len?: number;
  /** Leaves the length as the fields make it; otherwise it is padded to 4 bytes, as drivers do. */
  odd?: boolean;
}

function radiotap(o: Radiotap): Uint8Array {
  const words = 1 + (o.ext ?? 0);
  const fields: number[] = [];
  let present = 0;
  const put = (bit: number, align: number, value: number[]) => {
    present |= 1 << bit;
    while ((8 + 4 * (words - 1) + fields.length) % align) fields.push(0);
    fields.push(...value);
  };
  if (o.tsft) put(0, 8, [1, 2, 3, 4, 5, 6, 7, 8]);
  if (o.flags !== undefined) put(1, 1, [o.flags]);
  if (o.rate) put(2, 1, [0x0c]);
  if (o.channel) put(3, 2, [0x6c, 0x09, 0xa0, 0x00]);
  if (o.signal) put(5, 1, [0xc4]);
  let total = 8 + 4 * (words - 1) + fields.length + (o.pad ?? 0);
  if (!o.odd) total = (total + 3) & ~3;
  const h = new Uint8Array(total);
  const dv = new DataView(h.buffer);
  dv.setUint16(2, o.len ?? total, true);
  dv.setUint32(4, (present | (words > 1 ? 0x80000000 : 0)) >>> 0, true);
  for (let w = 1; w < words; w++) dv.setUint32(4 + 4 * w, w < words - 1 ? 0x80000000 : 0x20, true);
  h.set(fields, 8 + 4 * (words - 1));
  return h;
}

/** A frame before its link type is chosen: the MAC header and what follows it. */
interface Frame {
  header: Uint8Array;
  body: Uint8Array;
}

const rec = (data: Uint8Array, len = data.length): PcapRecord => ({ data, len }) as PcapRecord;

/** Every payload in data frames of every kind, plus frames that carry no network layer. */
function frames(ips: Uint8Array[]): Frame[] {
  const payloads: [number, Uint8Array][] = ips.map((p) => [p[0] >> 4 === 6 ? 0x86dd : 0x0800, p]);
  payloads.push(
    [0x0806, arpPacket(1, [10, 0, 0, 1], [10, 0, 0, 2])],
    [0x0806, arpPacket(2, [10, 0, 0, 2], [10, 0, 0, 1])],
    [0x8035, arpPacket(3, [10, 0, 0, 1], [10, 0, 0, 9])],
  );
  const pool = [AP, STA, BSSID, PEER, BCAST, MCAST];
  const out: Frame[] = payloads.map(([type, p], i) => {
    const addrs = [0, 1, 2, 3].map((k) => pool[(i * 7 + k * 3 + (i >> 3)) % pool.length]);
    const header = dot11({
      type: 2,
      subtype: (i >> 2) % 3 === 1 ? 8 : 0,
      toDs: (i & 1) === 1,
      fromDs: (i & 2) === 2,
      protected: i % 23 === 7,
      addrs: i % 5 === 0 ? undefined : addrs,
    });
    let body = snap(type, p);
    if (i % 13 === 5) body = snap(0x8100, cat(bytes(0, i % 2 ? 10 : 20, type >> 8, type & 0xff), p));
    if (i % 29 === 3) {
      body = snap(0x8100, cat(bytes(0, 10, 0x81, 0), bytes(0, 20, type >> 8, type & 0xff), p));
    }
    return { header, body };
  });
  const ip = ips[0];
  const mgmtBody = cat(new Uint8Array(12), bytes(0, 4), new TextEncoder().encode("test"));
  for (const subtype of [0, 1, 2, 4, 5, 8, 9, 10, 11, 12, 13]) {
    out.push({
      header: dot11({ type: 0, subtype, addrs: [subtype === 8 ? BCAST : AP, STA, BSSID] }),
      body: mgmtBody,
    });
  }
  for (const subtype of [8, 9, 10, 11, 12, 13, 14, 15]) {
    out.push({ header: dot11({ type: 1, subtype, addrs: [AP, STA] }), body: new Uint8Array(0) });
  }
  out.push(
    // null function and QoS null, in each direction
    { header: dot11({ type: 2, subtype: 4, toDs: true }), body: new Uint8Array(0) },
    { header: dot11({ type: 2, subtype: 12, fromDs: true }), body: new Uint8Array(0) },
    { header: dot11({ type: 2, subtype: 12, toDs: true, fromDs: true }), body: new Uint8Array(0) },
    // non-SNAP LLC: STP, the IP SAP, IPX, NetBEUI; AppleTalk SNAP; an extension-type frame
    { header: dot11({ type: 2, subtype: 0 }), body: cat(bytes(0x42, 0x42, 0x03, 0, 0), new Uint8Array(30)) },
    { header: dot11({ type: 2, subtype: 0, toDs: true }), body: cat(bytes(0x06, 0x06, 0x03), ip) },
    { header: dot11({ type: 2, subtype: 8 }), body: cat(bytes(0xe0, 0xe0, 0x03), new Uint8Array(30)) },
    { header: dot11({ type: 2, subtype: 0 }), body: cat(bytes(0xf0, 0xf0, 0x03), new Uint8Array(30)) },
    {
      header: dot11({ type: 2, subtype: 0 }),
      body: cat(bytes(0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b), new Uint8Array(20)),
    },
    { header: dot11({ type: 3, subtype: 0 }), body: snap(0x0800, ip) },
    // an IPv4 packet in a management frame: not a data frame, so not `ip`
    { header: dot11({ type: 0, subtype: 13 }), body: snap(0x0800, ip) },
  );
  return out;
}

/** The radiotap header of frame i: every variant in turn. */
function radiotapFor(i: number): Radiotap {
  const variants: Radiotap[] = [
    {},
    { flags: 0 },
    { tsft: true, flags: 0, rate: true, channel: true, signal: true },
    { flags: 0x20, rate: true, channel: true },
    { tsft: true, flags: 0x20, channel: true },
    { flags: 0x10, channel: true, signal: true },
    { tsft: true, flags: 0x30 },
    { flags: 0x20, ext: 1 },
    { tsft: true, flags: 0, ext: 2, signal: true },
    { rate: true, channel: true, signal: true },
    { flags: 0x22, pad: 300 },
    { tsft: true, pad: 40 },
    { flags: 0x20, rate: true, odd: true },
  ];
  return variants[i % variants.length];
}

/** A radiotap frame: the data-pad flag pads the MAC header to 4 bytes, the FCS flag adds an FCS. */
function withRadiotap(rt: Radiotap, f: Frame): Uint8Array {
  const pad = (rt.flags ?? 0) & 0x20 && f.header.length % 4 ? 4 - (f.header.length % 4) : 0;
  const fcs = (rt.flags ?? 0) & 0x10 ? bytes(0xde, 0xad, 0xbe, 0xef) : new Uint8Array(0);
  return cat(radiotap(rt), f.header, new Uint8Array(pad), f.body, fcs);
}

/** The records of both files: every frame, the odd ones, and frames cut short at every length. */
function corpus(ips: Uint8Array[]): { 105: PcapRecord[]; 127: PcapRecord[] } {
  const fs = frames(ips);
  const bare = fs.map((f) => rec(cat(f.header, f.body)));
  const rt = fs.map((f, i) => rec(withRadiotap(radiotapFor(i), f)));
  const ip4 = fs.findIndex((f) => f.header[0] === 0x88 && f.body[6] === 0x08); // a QoS data frame with IPv4
  const ip6 = fs.findIndex((f) => f.body[6] === 0x86);
  const udp = fs.findIndex((f, i) => i > 10 && f.body[6] === 0x08 && f.body[8 + 9] === 17);
  const cuts = [ip4, ip6, udp, fs.length - 12];
  for (const i of cuts) {
    const whole = bare[i].data;
    for (let n = 0; n < whole.length; n += n < 60 ? 1 : 7) {
      bare.push(rec(whole.slice(0, n), n % 2 ? whole.length : n));
    }
  }
  for (const i of cuts) {
    for (const variant of [radiotapFor(4), radiotapFor(2), { flags: 0x20 }]) {
      const whole = withRadiotap(variant, fs[i]);
      for (let n = 0; n < whole.length; n += n < 80 ? 1 : 9) {
        rt.push(rec(whole.slice(0, n), n % 2 ? whole.length : n));
      }
    }
  }
  // Radiotap headers that lie: longer than the frame, shorter than 8 bytes, zero.
  const f = fs[ip4];
  rt.push(
    rec(withRadiotap({ flags: 0, len: 4000 }, f)),
    rec(withRadiotap({ flags: 0, len: 0 }, f)),
    rec(withRadiotap({ flags: 0x20, len: 6 }, f)),
    rec(cat(radiotap({ flags: 0x20 }), f.header, f.body)), // data-pad flag without the padding
  );
  return { 105: bare, 127: rt };
}

/** The IP packets of tests/filter/_extra.py, generated in `tmp`. */
async function extraIps(tmp: string): Promise<Uint8Array[]> {
  const gen = await run("/usr/bin/python3", [repoPath("tests/filter/_extra.py"), tmp], { timeoutMs: 60_000 });
  assert.equal(gen.code, 0, `_extra.py failed: ${gen.stderr}`);
  const raw = readPcap(Deno.readFileSync(`${tmp}/extra_raw.pcap`))!;
  return raw.records.map((r) => r.data.slice());
}

testIf(
  "filters on IEEE802_11 and IEEE802_11_RADIO select exactly the packets tcpdump selects",
  needCommands("tcpdump", "/usr/bin/python3"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_wlan_" });
    try {
      const records = corpus(await extraIps(tmp));
      const failures: string[] = [];
      let checked = 0;
      let selected = 0;
      for (const linktype of [105, 127] as const) {
        const file = `${tmp}/wlan_${linktype}.pcap`;
        Deno.writeFileSync(file, writePcap(linktype, records[linktype]));
        const recs = records[linktype];
        const ip6 = compileFilter("ip6", { linktype });
        const exprs = linktype === 127 ? [...EXPRESSIONS, ...RADIOTAP_EXPRESSIONS] : EXPRESSIONS;
        for (const expr of exprs) {
          const want = await tcpdumpSelects(file, expr);
          if (typeof want === "string") {
            failures.push(`[${linktype}] tcpdump refused '${expr}': ${want}`);
            continue;
          }
          selected += want.size;
          let sane = new Set(recs.map((_, i) => i));
          for (const part of NETKIT_DIFFERS[expr] ?? []) {
            const got = await tcpdumpSelects(file, part);
            assert.ok(typeof got !== "string", `tcpdump refused '${part}'`);
            sane = new Set([...sane].filter((i) => got.has(i)));
          }
          // The netkit dialect differs from libpcap only on IPv6 (it walks extension headers): compared
          // on the other packets.
          for (const dialect of ["libpcap", "netkit"] as const) {
            const f = compileFilter(expr, { linktype, dialect });
            const expected = dialect === "netkit" && NETKIT_DIFFERS[expr] ? sane : want;
            const wrong = recs.map((_, i) => i).filter((i) => {
              const r = recs[i];
              if (dialect === "netkit" && filterAccepts(ip6, r.data, r.len)) return false;
              return filterAccepts(f, r.data, r.len) !== expected.has(i);
            });
            if (wrong.length) {
              failures.push(`[${linktype}] '${expr}' (${dialect}) differs on ${wrong.slice(0, 8)}`);
            }
          }
          checked++;
        }
      }
      assert.deepEqual(failures, []);
      assert.equal(checked, 2 * EXPRESSIONS.length + RADIOTAP_EXPRESSIONS.length);
      assert.ok(selected > 5000, `only ${selected} selections: the corpus matches too little`);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

testIf(
  "the -d listings on IEEE802_11 and IEEE802_11_RADIO equal tcpdump's",
  needCommands("tcpdump"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_wlan_d_" });
    try {
      const differ: string[] = [];
      for (const linktype of [105, 127]) {
        const file = `${tmp}/${linktype}.pcap`;
        Deno.writeFileSync(file, encodePcap([], { linktype, snaplen: 65535 }));
        for (const expr of [...LISTED, ...Object.keys(NOT_EXACT)]) {
          const r = await run("tcpdump", ["-d", "-r", file, "--", expr], { timeoutMs: 20_000 });
          assert.equal(r.code, 0, r.stderr);
          const { program } = compileFilter(expr, { linktype, snaplen: 65535, dialect: "libpcap" });
          const exact = disassemble(program) === r.stdout;
          if (exact !== !NOT_EXACT[expr]?.includes(`${linktype}`)) differ.push(`${linktype} '${expr}'`);
          // Unoptimized programs are libpcap's too (tcpdump -O).
          const o = await run("tcpdump", ["-O", "-d", "-r", file, "--", expr], { timeoutMs: 20_000 });
          const raw = compileFilter(expr, { linktype, snaplen: 65535, dialect: "libpcap", optimize: false });
          if (disassemble(raw.program) !== o.stdout) differ.push(`${linktype} -O '${expr}'`);
        }
      }
      assert.deepEqual(differ, []);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

testIf(
  "what libpcap refuses on 802.11 netkit refuses, and the 802.11 primitives are refused elsewhere",
  needCommands("tcpdump"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_wlan_r_" });
    try {
      for (const linktype of [105, 127, 1]) {
        const file = `${tmp}/${linktype}.pcap`;
        Deno.writeFileSync(file, encodePcap([], { linktype, snaplen: 65535 }));
        const refused = linktype === 1
          ? WLAN_ONLY
          : linktype === 105
          ? [...REFUSED, "radio[0] = 0"]
          : REFUSED;
        for (const expr of refused) {
          const r = await run("tcpdump", ["-d", "-r", file, "--", expr], { timeoutMs: 20_000 });
          assert.notEqual(r.code, 0, `tcpdump took '${expr}' on ${linktype}`);
          assert.throws(
            () => compileFilter(expr, { linktype }),
            FilterSyntaxError,
            `'${expr}' on ${linktype}`,
          );
        }
        if (linktype !== 1) {
          for (const expr of WLAN_ONLY.filter((e) => linktype === 127 || !e.startsWith("radio"))) {
            const r = await run("tcpdump", ["-d", "-r", file, "--", expr], { timeoutMs: 20_000 });
            assert.equal(r.code, 0, `tcpdump refused '${expr}' on ${linktype}: ${r.stderr}`);
            compileFilter(expr, { linktype });
          }
        }
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

testIf(
  "the sniffer reading a radiotap file prints the packets tcpdump prints",
  needCommands("tcpdump", "/usr/bin/python3"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_wlan_s_" });
    try {
      const file = `${tmp}/rt.pcap`;
      const expr = "udp port 53";
      // Without the IPv6 packets whose UDP header only the netkit dialect finds (behind extension headers).
      const libpcap = compileFilter(expr, { linktype: 127, dialect: "libpcap" });
      const netkit = compileFilter(expr, { linktype: 127 });
      const records = corpus(await extraIps(tmp))[127].filter((r) =>
        filterAccepts(libpcap, r.data, r.len) === filterAccepts(netkit, r.data, r.len)
      );
      Deno.writeFileSync(file, writePcap(127, records));
      const want = await run("tcpdump", ["-n", "-tt", "-r", file, "--", expr], { timeoutMs: 20_000 });
      assert.equal(want.code, 0, want.stderr);
      const got = await run(Deno.execPath(), [
        "run",
        "--unstable-net",
        "-A",
        repoPath("cmd/sniffer.ts"),
        "-n",
        "-tt",
        "-r",
        file,
        expr,
      ], { timeoutMs: 60_000, env: { NO_COLOR: "1" } });
      assert.equal(got.code, 0, got.stderr);
      const lines = want.stdout.trimEnd().split("\n");
      assert.ok(lines.length >= 5, `only ${lines.length} packets`);
      assert.deepEqual(got.stdout.trimEnd().split("\n"), lines);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

// ---- golden tests: no tcpdump needed ----

/** libpcap 1.10's listing of `ip` on LINKTYPE_IEEE802_11_RADIO (tcpdump -d, snaplen 65535). */
const RADIOTAP_IP = `(000) ldb      [3]
(001) lsh      #8
(002) tax      
(003) ldb      [2]
(004) or       x
(005) st       M[0]
(006) tax      
(007) txa      
(008) add      #24
(009) st       M[1]
(010) ldb      [x + 0]
(011) jset     #0x8             jt 12	jf 29
(012) jset     #0x4             jt 29	jf 13
(013) jset     #0x80            jt 14	jf 17
(014) ld       M[1]
(015) add      #2
(016) st       M[1]
(017) ld       [4]
(018) jset     #0x2000000       jt 19	jf 29
(019) jset     #0x80            jt 29	jf 20
(020) jset     #0x1000000       jt 21	jf 23
(021) ldb      [16]
(022) jset     #0x20            jt 25	jf 29
(023) ldb      [8]
(024) jset     #0x20            jt 25	jf 29
(025) ld       M[1]
(026) add      #3
(027) and      #0xfffffffc
(028) st       M[1]
(029) ldx      M[0]
(030) ldb      [x + 0]
(031) jset     #0x4             jt 39	jf 32
(032) ldx      M[0]
(033) ldb      [x + 0]
(034) jset     #0x8             jt 35	jf 39
(035) ldx      M[1]
(036) ldh      [x + 6]
(037) jeq      #0x800           jt 38	jf 39
(038) ret      #65535
(039) ret      #0
`;

/** libpcap's listings of 802.11 header primitives (optimized: they do not read the payload offset). */
const GOLDEN: [number, string, string][] = [
  [127, "ip", RADIOTAP_IP],
  [
    127,
    "type data",
    `(000) ldb      [3]
(001) lsh      #8
(002) tax      
(003) ldb      [2]
(004) or       x
(005) tax      
(006) ldb      [x + 0]
(007) and      #0xc
(008) jeq      #0x8             jt 9	jf 10
(009) ret      #65535
(010) ret      #0
`,
  ],
  [
    105,
    `wlan ra ${STA}`,
    `(000) ldb      [0]
(001) jset     #0x8             jt 2	jf 7
(002) ld       [6]
(003) jeq      #0xa             jt 4	jf 7
(004) ldh      [4]
(005) jeq      #0x200           jt 6	jf 7
(006) ret      #65535
(007) ret      #0
`,
  ],
  [
    105,
    "dir nods",
    `(000) ldb      [1]
(001) jset     #0x3             jt 2	jf 3
(002) ret      #0
(003) ret      #65535
`,
  ],
];

Deno.test("golden: libpcap's 802.11 listings without tcpdump", () => {
  for (const [linktype, expr, listing] of GOLDEN) {
    const { program } = compileFilter(expr, { linktype, snaplen: 65535, dialect: "libpcap" });
    assert.equal(disassemble(program), listing, `${linktype} '${expr}'`);
  }
  // 105 has no radiotap: the payload offset starts from X = 0 and is M[0].
  const tcp80 = disassemble(compileFilter("tcp port 80", { linktype: 105, dialect: "libpcap" }).program);
  assert.ok(
    tcp80.startsWith("(000) ldx      #0x0\n(001) txa      \n(002) add      #24\n(003) st       M[0]\n"),
  );
  // The IPv4 header length is added in A: no ldxb 4*([k]&0xf) with a variable offset.
  assert.match(tcp80, /ldb +\[x \+ 8\]\n.*and +#0xf\n.*lsh +#2\n.*add +x\n.*tax/);
  assert.doesNotMatch(tcp80, /4\*\(/);
});

/** Frames made by hand for the golden verdicts: a UDP/IPv4 packet to port 53 behind LLC/SNAP. */
function udpFrame(): Uint8Array {
  const ip = new Uint8Array(28);
  ip.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  ip.set([0x04, 0xd2, 0, 53, 0, 8, 0, 0], 20);
  return snap(0x0800, ip);
}

Deno.test("golden: the payload offset follows QoS, the data-pad flag, TSFT and extended bitmaps", () => {
  const body = udpFrame();
  const plain = { header: dot11({ type: 2, subtype: 0 }), body };
  const qos = { header: dot11({ type: 2, subtype: 8 }), body };
  const cases: [string, number, Uint8Array, boolean][] = [
    ["bare data frame", 105, cat(plain.header, body), true],
    ["bare QoS data frame", 105, cat(qos.header, body), true],
    ["QoS, no radiotap flags", 127, withRadiotap({}, qos), true],
    ["QoS with data pad", 127, withRadiotap({ flags: 0x20 }, qos), true],
    ["QoS with data pad after TSFT", 127, withRadiotap({ tsft: true, flags: 0x20 }, qos), true],
    ["QoS with data pad and an FCS", 127, withRadiotap({ flags: 0x30, channel: true }, qos), true],
    // libpcap reads the flags only through the first present word: with an extended bitmap the pad is
    // not skipped, so the padded frame does not match.
    ["QoS, data pad, extended bitmap", 127, withRadiotap({ flags: 0x20, ext: 1 }, qos), false],
    ["data pad flag without padding", 127, cat(radiotap({ flags: 0x20 }), qos.header, body), false],
    // libpcap rounds the offset from the start of the packet, radiotap pads from the MAC header's start:
    // after a radiotap header of odd length the two disagree.
    ["data pad after 9 bytes of radiotap", 127, withRadiotap({ flags: 0x20, odd: true }, qos), false],
    ["management frame", 105, cat(dot11({ type: 0, subtype: 13 }), body), false],
    ["control frame", 105, cat(dot11({ type: 1, subtype: 11 }), body), false],
  ];
  for (const dialect of ["libpcap", "netkit"] as const) {
    for (const [name, linktype, frame, want] of cases) {
      for (const expr of ["udp port 53", "ip", "udp[2:2] = 53", "ip[9] = 17"]) {
        const f = compileFilter(expr, { linktype, dialect });
        assert.equal(filterAccepts(f, frame), want, `${name}: '${expr}' (${dialect})`);
      }
    }
  }
  // A frame shorter than the radiotap length it claims: every program reading past it rejects it.
  const lying = withRadiotap({ flags: 0, len: 4000 }, plain);
  assert.equal(matches(compileFilter("not ip", { linktype: 127 }).program, lying), false);
  assert.equal(matches(compileFilter("less 4000", { linktype: 127 }).program, lying), true);
});

Deno.test("golden: 802.11 source and destination depend on To-DS and From-DS", () => {
  const [a1, a2, a3, a4] = [
    "02:00:00:00:00:01",
    "02:00:00:00:00:02",
    "02:00:00:00:00:03",
    "02:00:00:00:00:04",
  ];
  const frame = (toDs: boolean, fromDs: boolean) =>
    cat(dot11({ type: 2, subtype: 0, toDs, fromDs, addrs: [a1, a2, a3, a4] }), udpFrame());
  // [To-DS, From-DS, source field, destination field]
  const table: [boolean, boolean, string, string][] = [
    [false, false, a2, a1],
    [true, false, a2, a3],
    [false, true, a3, a1],
    [true, true, a4, a3],
  ];
  for (const [toDs, fromDs, src, dst] of table) {
    const f = frame(toDs, fromDs);
    const ok = (e: string) => filterAccepts(compileFilter(e, { linktype: 105 }), f);
    assert.ok(ok(`wlan src ${src}`) && ok(`wlan dst ${dst}`), `to ${toDs} from ${fromDs}`);
    for (const other of [a1, a2, a3, a4].filter((a) => a !== src)) assert.ok(!ok(`wlan src ${other}`));
    for (const other of [a1, a2, a3, a4].filter((a) => a !== dst)) assert.ok(!ok(`wlan dst ${other}`));
    assert.equal(ok(`wlan addr4 ${a4}`), toDs && fromDs);
    assert.ok(ok(`wlan ra ${a1}`) && ok(`wlan ta ${a2}`) && ok(`wlan addr3 ${a3}`));
    assert.ok(ok(["dir nods", "dir tods", "dir fromds", "dir dstods"][(toDs ? 1 : 0) + (fromDs ? 2 : 0)]));
  }
});

Deno.test("type, subtype and dir parse to masked frame-control compares", () => {
  const node = (e: string) => parseFilter(e) as { kind: string; value: number; mask?: number };
  assert.deepEqual(node("type data"), { kind: "wlantype", value: 0x08, mask: 0x0c, offset: 0 });
  assert.deepEqual(node("type MGT subtype beacon"), { kind: "wlantype", value: 0x80, mask: 0xfc, offset: 0 });
  assert.deepEqual(node("subtype qos-data"), { kind: "wlantype", value: 0x88, mask: 0xfc, offset: 0 });
  assert.deepEqual(node("subtype rts"), { kind: "wlantype", value: 0xb4, mask: 0xfc, offset: 0 });
  assert.deepEqual(node("type 4 subtype 0xd0"), { kind: "wlantype", value: 0xd4, mask: 0xfc, offset: 0 });
  assert.deepEqual(node("dir dstods"), { kind: "wlandir", value: 3, offset: 0 });
  assert.deepEqual(node("dir 2"), { kind: "wlandir", value: 2, offset: 0 });
  const h = parseFilter(`wlan address2 ${STA} or ${AP}`);
  assert.ok(h.kind === "or" && h.left.kind === "host" && h.right.kind === "host");
  assert.equal(h.left.dir, "addr2");
  assert.equal(h.right.dir, "addr2");
});

Deno.test("802.11 refusals name the problem", () => {
  const refuse = (expr: string, linktype: number, message: RegExp, code: string) =>
    assert.throws(() => compileFilter(expr, { linktype }), (e: unknown) => {
      assert.ok(e instanceof FilterSyntaxError, `${expr}: ${e}`);
      assert.match(e.message, message);
      assert.equal(e.code, code, expr);
      return true;
    });
  refuse("type 2", 105, /invalid 802.11 type value 0x02 at column 6/, "BAD_VALUE");
  refuse("type data subtype 8", 105, /invalid 802.11 subtype value 0x08/, "BAD_VALUE");
  refuse("type mgt subtype qos-data", 105, /unknown 802.11 subtype name 'qos-data'/, "BAD_VALUE");
  refuse("type 0x0c subtype beacon", 105, /802.11 type 0x0c has no subtype names/, "BAD_VALUE");
  refuse("subtype 0x80", 105, /expected an 802.11 subtype name after 'subtype'/, "UNEXPECTED_TOKEN");
  refuse("subtype foo", 105, /unknown 802.11 subtype name 'foo'/, "BAD_VALUE");
  refuse("type foo", 105, /unknown 802.11 type name 'foo'/, "BAD_VALUE");
  refuse("type", 105, /expected an 802.11 type after 'type'/, "UNEXPECTED_END");
  refuse("dir sideways", 105, /unknown 802.11 direction 'sideways'/, "BAD_VALUE");
  refuse(`ra ${STA}`, 105, /'ra' needs 'wlan' or 'ether' before it/, "UNEXPECTED_TOKEN");
  refuse("ra port 80", 105, /'ra' is not a valid qualifier for ports/, "UNSUPPORTED");
  refuse("ta host 10.0.0.1", 105, /'ta' applies to 802.11 MAC addresses only/, "BAD_VALUE");
  refuse(`host ${STA}`, 127, /a MAC address on 802.11 needs 'wlan' or 'ether'/, "UNSUPPORTED");
  refuse("radio", 127, /'radio' is not a protocol/, "UNEXPECTED_TOKEN");
  refuse("radio[0] = 1", 105, /'radio' needs radiotap headers, not IEEE802_11/, "UNSUPPORTED");
  refuse("radio[0] = 1", 1, /'radio' needs radiotap headers, not EN10MB/, "UNSUPPORTED");
  refuse("type data", 1, /802.11 frame types need 802.11 headers, not EN10MB/, "UNSUPPORTED");
  refuse("dir tods", 113, /'dir' needs 802.11 headers, not LINUX_SLL/, "UNSUPPORTED");
  refuse(`wlan ra ${STA}`, 1, /'ra' needs 802.11 headers, not EN10MB/, "UNSUPPORTED");
  refuse(`wlan addr4 ${STA}`, 0, /'addr4' needs 802.11 headers, not NULL/, "UNSUPPORTED");
  // `wlan` is `ether` everywhere, as in libpcap.
  assert.deepEqual(
    compileFilter(`wlan host ${STA}`, { linktype: 1 }).program,
    compileFilter(`ether host ${STA}`, { linktype: 1 }).program,
  );
  assert.throws(() => compileFilter("ip", { linktype: 192 }), {
    name: "RangeError",
    message: /105 IEEE802_11.*127 IEEE802_11_RADIO/,
  });
});

Deno.test("802.11 programs pass the kernel validator and never throw on random bytes", () => {
  let state = 0x80211;
  const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const programs = [...EXPRESSIONS, ...RADIOTAP_EXPRESSIONS].flatMap((e) =>
    [105, 127].flatMap((linktype) =>
      (["libpcap", "netkit"] as const).flatMap((dialect) => {
        if (e.startsWith("radio") && linktype === 105) return [];
        return [
          compileFilter(e, { linktype, dialect }),
          compileFilter(e, { linktype, dialect, optimize: false }),
        ];
      })
    )
  );
  const frame = cat(
    radiotap({ tsft: true, flags: 0x20 }),
    dot11({ type: 2, subtype: 8 }),
    new Uint8Array(2),
    udpFrame(),
  );
  for (const f of programs) assert.equal(validateProgram(f.program), undefined);
  let accepted = 0;
  for (let n = 0; n < 400; n++) {
    const packet = frame.slice(0, Math.floor(rand() * (frame.length + 1)));
    for (let k = 0; k < 4; k++) if (packet.length) packet[Math.floor(rand() * packet.length)] = rand() * 256;
    for (const f of programs) if (filterAccepts(f, packet)) accepted++;
  }
  assert.ok(accepted > 0);
});
