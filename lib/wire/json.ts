/**
 * The `--json` record of a packet, one JSON object per line. Tools rely on this schema; change it only with
 * a version bump.
 *
 * Packet: `n` (1-based), `ts` (seconds, a number; the sniffer writes the capture's exact decimal, as
 * `tcpdump -tt` and tshark's `frame.time_epoch` show it), `len`, `caplen`, `ifname` and `dir` when known,
 * `layers` (outermost first), `truncated`, `malformed`. Each layer has `layer`, then:
 *
 * | layer | fields |
 * | --- | --- |
 * | `eth` | `src`, `dst`, `ethertype` |
 * | `vlan` | `id`, `pcp`, `ethertype` |
 * | `sll` | `packetType`, `arphrdType`, `addr`, `protocol` |
 * | `sll2` | `ifindex`, `packetType`, `arphrdType`, `addr`, `protocol` |
 * | `null` | `family` (BSD loopback; the byte order resolved as tcpdump resolves it) |
 * | `ppp` | `address`, `control` (null without an address/control pair), `protocol` (the PPP number) |
 * | `chdlc` | `address`, `protocol` (an EtherType) |
 * | `arp` | `op`, `sha`, `spa`, `tha`, `tpa` |
 * | `llc` | `dsap`, `ssap`, `control`, `oui`, `pid` (the SNAP fields; null without SNAP) |
 * | `ipv4` | `src`, `dst`, `proto`, `ttl`, `totalLen`, `id`, `df`, `mf`, `fragOffset` (bytes), `hdrLen` |
 * | `ipv6` | `src`, `dst`, `nextHeader`, `hopLimit`, `payloadLen`, `flowLabel`, `extHeaders`, `proto` |
 * | `icmp`, `icmpv6` | `type`, `code` |
 * | `tcp` | `srcPort`, `dstPort`, `seq`, `ack` (raw), `flags`, `window`, `hdrLen`, `payloadLen` |
 * | `udp` | `srcPort`, `dstPort`, `length` |
 * | `ah` | `spi`, `seq`, `nextHeader` (IPv4's authentication header; over IPv6 it is in `extHeaders`) |
 * | `gre` | `version`, `flags`, `protocol`, `key` (null when absent) |
 * | `vxlan` | `flags`, `vni` (the Ethernet frame it carries follows as layers) |
 * | `vxlan-gpe` | `flags`, `next` (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH), `vni`; what it carries follows |
 * | `geneve` | `vni`, `protocol` (an EtherType), `oam`, `critical`, `optLen` (bytes); what it carries follows |
 * | `mpls` | `label`, `tc`, `bottom`, `ttl` (one layer per label stack entry) |
 * | `pppoe` | `version`, `type`, `code` (0 in the session stage, whose `ppp` layer follows), `session`, `length` |
 * | `dns` | `id`, `qr`, `qname`, `qtype` |
 * | `radiotap` | `version`, `length`, `present`, `tsft`, `flags`, `rate`, `channelFreq`, `channelFlags`, |
 * | | `signal`, `noise`, `antenna` (link type 127; see below) |
 * | `wlan` | `type`, `subtype`, `flags`, `toDs`, `fromDs`, `protected`, `retry`, `duration`, |
 * | | `addr1`, `addr2`, `addr3`, `addr4`, `seq`, `qos`, `src`, `dst`, `bssid` (802.11; see below) |
 *
 * MACs are lower-case with colons, IPv6 in RFC 5952 form, numbers are JSON numbers. `qname` has no trailing
 * dot (`example.com`; the root is `""`); `qname` and `qtype` are null without a question. The datagram
 * quoted by an ICMP error follows the `icmp`/`icmpv6` layer.
 *
 * 802.11 (link types 105 and 127): `radiotap` (127 only), then `wlan`; an unprotected data frame's `llc`
 * layer and what it carries follow. Radiotap: `length` is the header's (the 802.11 frame starts there),
 * `present` the first presence word, `tsft` the MAC timer in µs (null past 2^53: not exact as a number),
 * `rate` in 500 kb/s units, `channelFreq` in MHz, `signal` and `noise` in dBm; each field null when absent.
 * 802.11: `type` 0 management, 1 control, 2 data, 3 extension; `flags` the frame control's second byte;
 * `duration` bits 0-14 of its field (null when it is a PS-Poll's association id); an address is null where
 * the frame has no such field (a control frame has one or two, `addr4` needs ToDS and FromDS) or the capture
 * cut it; `seq` is null for control frames, `qos` (the QoS control field) outside QoS data frames; `src`,
 * `dst` and `bssid` are tshark's `wlan.sa`, `wlan.da` and `wlan.bssid`, null where it has none.
 *
 * @module
 */
import {
  formatHexColon,
  formatIpAddress,
  formatIpv4Address,
  formatIpv6Address,
  formatMac,
} from "./address.ts";
import type { DecodeResult, Layer } from "./decoder.ts";

/** A JSON layer object. */
export type JsonLayer = { layer: string } & Record<string, string | number | boolean | number[] | null>;

/** Capture metadata of a packet for {@link jsonRecord}. */
export interface JsonMeta {
  /** 1-based packet number. */
  n: number;
  /** Timestamp in seconds (whole seconds when `tsNsec` is given). */
  ts: number;
  /**
   * Nanoseconds past `ts`. When given, the record's `ts` is written as their exact decimal, as `tcpdump -tt`
   * prints it (`1700000000.123456`, trailing zeros dropped), rather than as the shortest form of the
   * nearest double, which can differ in the last digit.
   */
  tsNsec?: number;
  /** Length on the wire. */
  len: number;
  /** Bytes captured. */
  caplen: number;
  /** Interface name, when known. */
  ifname?: string;
  /** Direction ("in"/"out"), when known. */
  dir?: string;
}

/** The `--json` packet record: the capture metadata, then the layers and the decoder's flags. */
export interface JsonPacket extends JsonMeta {
  /** Layers, outermost first. */
  layers: JsonLayer[];
  /** The frame was cut short. */
  truncated: boolean;
  /** A header is impossible. */
  malformed: boolean;
}

/**
 * One layer as its JSON object.
 *
 * @param l a decoded layer
 * @returns the JSON layer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLayer } from "./json.ts";
 * const j = jsonLayer({ layer: "udp", srcPort: 1, dstPort: 2, length: 8, checksum: 0 });
 * assert(JSON.stringify(j) === '{"layer":"udp","srcPort":1,"dstPort":2,"length":8}');
 * ```
 */
export function jsonLayer(l: Layer): JsonLayer {
  switch (l.layer) {
    case "eth":
      return { layer: "eth", src: formatMac(l.src), dst: formatMac(l.dst), ethertype: l.ethertype };
    case "vlan":
      return { layer: "vlan", id: l.id, pcp: l.pcp, ethertype: l.ethertype };
    case "sll":
      return {
        layer: "sll",
        packetType: l.packetType,
        arphrdType: l.arphrdType,
        addr: formatHexColon(l.addr),
        protocol: l.protocol,
      };
    case "sll2":
      return {
        layer: "sll2",
        ifindex: l.ifindex,
        packetType: l.packetType,
        arphrdType: l.arphrdType,
        addr: formatHexColon(l.addr),
        protocol: l.protocol,
      };
    case "null":
      return { layer: "null", family: l.family };
    case "ppp":
      return { layer: "ppp", address: l.address, control: l.control, protocol: l.protocol };
    case "chdlc":
      return { layer: "chdlc", address: l.address, protocol: l.protocol };
    case "arp": {
      const pa = (a: Uint8Array) =>
        a.length === 4 || a.length === 16 ? formatIpAddress(a) : formatHexColon(a);
      const ha = (a: Uint8Array) => a.length === 6 ? formatMac(a) : formatHexColon(a);
      return { layer: "arp", op: l.op, sha: ha(l.sha), spa: pa(l.spa), tha: ha(l.tha), tpa: pa(l.tpa) };
    }
    case "ipv4":
      return {
        layer: "ipv4",
        src: formatIpv4Address(l.src),
        dst: formatIpv4Address(l.dst),
        proto: l.proto,
        ttl: l.ttl,
        totalLen: l.totalLen,
        id: l.id,
        df: l.df,
        mf: l.mf,
        fragOffset: l.fragOffset,
        hdrLen: l.hdrLen,
      };
    case "ipv6":
      return {
        layer: "ipv6",
        src: formatIpv6Address(l.src),
        dst: formatIpv6Address(l.dst),
        nextHeader: l.nextHeader,
        hopLimit: l.hopLimit,
        payloadLen: l.payloadLen,
        flowLabel: l.flowLabel,
        extHeaders: l.extHeaders.map((e) => e.type),
        proto: l.proto,
      };
    case "icmp":
    case "icmpv6":
      return { layer: l.layer, type: l.type, code: l.code };
    case "tcp":
      return {
        layer: "tcp",
        srcPort: l.srcPort,
        dstPort: l.dstPort,
        seq: l.seq,
        ack: l.ack,
        flags: l.flags,
        window: l.window,
        hdrLen: l.hdrLen,
        payloadLen: l.payloadLen,
      };
    case "udp":
      return { layer: "udp", srcPort: l.srcPort, dstPort: l.dstPort, length: l.length };
    case "llc":
      return { layer: "llc", dsap: l.dsap, ssap: l.ssap, control: l.control, oui: l.oui, pid: l.pid };
    case "gre":
      return { layer: "gre", version: l.version, flags: l.flags, protocol: l.protocol, key: l.key };
    case "ah":
      return { layer: "ah", spi: l.spi, seq: l.seq, nextHeader: l.nextHeader };
    case "vxlan":
      return { layer: "vxlan", flags: l.flags, vni: l.vni };
    case "vxlan-gpe":
      return { layer: "vxlan-gpe", flags: l.flags, next: l.next, vni: l.vni };
    case "geneve":
      return {
        layer: "geneve",
        vni: l.vni,
        protocol: l.protocol,
        oam: l.oam,
        critical: l.critical,
        optLen: l.optLen,
      };
    case "mpls":
      return { layer: "mpls", label: l.label, tc: l.tc, bottom: l.bottom, ttl: l.ttl };
    case "pppoe":
      return {
        layer: "pppoe",
        version: l.version,
        type: l.type,
        code: l.code,
        session: l.session,
        length: l.length,
      };
    case "radiotap":
      return {
        layer: "radiotap",
        version: l.version,
        length: l.length,
        present: l.present,
        tsft: l.tsft,
        flags: l.flags,
        rate: l.rate,
        channelFreq: l.channelFreq,
        channelFlags: l.channelFlags,
        signal: l.signal,
        noise: l.noise,
        antenna: l.antenna,
      };
    case "wlan": {
      const mac = (a: Uint8Array | null) => (a === null ? null : formatMac(a));
      return {
        layer: "wlan",
        type: l.type,
        subtype: l.subtype,
        flags: l.flags,
        toDs: l.toDs,
        fromDs: l.fromDs,
        protected: l.protected,
        retry: l.retry,
        duration: l.duration,
        addr1: mac(l.addr1),
        addr2: mac(l.addr2),
        addr3: mac(l.addr3),
        addr4: mac(l.addr4),
        seq: l.seq,
        qos: l.qos,
        src: mac(l.src),
        dst: mac(l.dst),
        bssid: mac(l.bssid),
      };
    }
    case "dns": {
      const q = l.question;
      const qname = q ? (q.name === "." ? "" : q.name.replace(/\.$/, "")) : null;
      return { layer: "dns", id: l.id, qr: l.qr, qname, qtype: q ? q.qtype : null };
    }
  }
}

/**
 * The JSON record of a decoded packet.
 *
 * @param r the decoder's result
 * @param meta capture metadata
 * @returns the record (plain data, safe to keep)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { jsonRecord } from "./json.ts";
 * const r = new PacketDecoder().decode(new Uint8Array(10), 1);
 * const j = jsonRecord(r, { n: 1, ts: 1.5, len: 60, caplen: 10 });
 * assert(JSON.stringify(j) === '{"n":1,"ts":1.5,"len":60,"caplen":10,"layers":[],"truncated":true,"malformed":false}');
 * ```
 */
export function jsonRecord(r: DecodeResult, meta: JsonMeta): JsonPacket {
  const ts = meta.tsNsec === undefined ? meta.ts : meta.ts + meta.tsNsec / 1e9;
  const rec: JsonPacket = { n: meta.n, ts, len: meta.len, caplen: meta.caplen } as JsonPacket;
  if (meta.ifname !== undefined) rec.ifname = meta.ifname;
  if (meta.dir !== undefined) rec.dir = meta.dir;
  rec.layers = r.layers.map(jsonLayer);
  rec.truncated = r.truncated;
  rec.malformed = r.malformed;
  return rec;
}

/**
 * The record as one line of JSON.
 *
 * @param r the decoder's result
 * @param meta capture metadata
 * @returns JSON text without a newline: `JSON.stringify(jsonRecord(r, meta))`, except that `ts` is exact
 *   when `meta.tsNsec` is given
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { formatJson } from "./json.ts";
 * const line = formatJson(new PacketDecoder().decode(new Uint8Array(0), 101), { n: 2, ts: 0, len: 0, caplen: 0 });
 * assert(JSON.parse(line).n === 2);
 * ```
 */
export function formatJson(r: DecodeResult, meta: JsonMeta): string {
  scratch.write(r, meta);
  const b = scratch.take();
  return TD.decode(b.subarray(0, b.length - 1));
}

const TE = new TextEncoder();
const TD = new TextDecoder();
const ascii = (s: string) => TE.encode(s);

/** Decimal text of 0-255, for dotted quads: four bytes each, the digit count and then the digits. */
const OCTETS = new Uint8Array(1024);
for (let i = 0; i < 256; i++) {
  const t = String(i);
  OCTETS[4 * i] = t.length;
  for (let k = 0; k < t.length; k++) OCTETS[4 * i + 1 + k] = t.charCodeAt(k);
}
/** Lower-case hex digit codes. */
const HEXD = ascii("0123456789abcdef");

// The constant parts of the records of the common layers.
const K = {
  n: ascii('{"n":'),
  ts: ascii(',"ts":'),
  len: ascii(',"len":'),
  caplen: ascii(',"caplen":'),
  endOk: ascii('],"truncated":false,"malformed":false}\n'),
  truncated: ascii('],"truncated":'),
  malformed: ascii(',"malformed":'),
  true: ascii("true"),
  false: ascii("false"),
  eth: ascii('{"layer":"eth","src":"'),
  ethDst: ascii('","dst":"'),
  ethType: ascii('","ethertype":'),
  ipv4: ascii('{"layer":"ipv4","src":"'),
  ipv4Dst: ascii('","dst":"'),
  ipv4Proto: ascii('","proto":'),
  ttl: ascii(',"ttl":'),
  totalLen: ascii(',"totalLen":'),
  id: ascii(',"id":'),
  hdrLen: ascii(',"hdrLen":'),
  ipv6: ascii('{"layer":"ipv6","src":"'),
  ipv6Next: ascii('","nextHeader":'),
  hopLimit: ascii(',"hopLimit":'),
  payloadLen: ascii(',"payloadLen":'),
  flowLabel: ascii(',"flowLabel":'),
  extHeaders: ascii(',"extHeaders":['),
  proto6: ascii('],"proto":'),
  tcp: ascii('{"layer":"tcp","srcPort":'),
  dstPort: ascii(',"dstPort":'),
  seq: ascii(',"seq":'),
  ack: ascii(',"ack":'),
  flags: ascii(',"flags":'),
  window: ascii(',"window":'),
  udp: ascii('{"layer":"udp","srcPort":'),
  length: ascii(',"length":'),
  icmp: ascii('{"layer":"icmp","type":'),
  icmpv6: ascii('{"layer":"icmpv6","type":'),
  code: ascii(',"code":'),
  vlan: ascii('{"layer":"vlan","id":'),
  pcp: ascii(',"pcp":'),
  ethertype: ascii(',"ethertype":'),
  sll: ascii('{"layer":"sll","packetType":'),
  sll2: ascii('{"layer":"sll2","ifindex":'),
  packetType: ascii(',"packetType":'),
  arphrdType: ascii(',"arphrdType":'),
  addr: ascii(',"addr":"'),
  protocol: ascii('","protocol":'),
};

/** The four decimal digits of 0-9999, zero-padded, for each in turn. */
const DIGITS4 = new Uint8Array(40000);
for (let i = 0; i < 10000; i++) {
  DIGITS4[4 * i] = 0x30 + Math.floor(i / 1000);
  DIGITS4[4 * i + 1] = 0x30 + Math.floor(i / 100) % 10;
  DIGITS4[4 * i + 2] = 0x30 + Math.floor(i / 10) % 10;
  DIGITS4[4 * i + 3] = 0x30 + i % 10;
}

/** Writes 0-9999 without leading zeros at `p`; returns the end. */
function lead(buf: Uint8Array, p: number, x: number): number {
  const n = x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : 4;
  for (let i = 4 * x + 4 - n; i < 4 * x + 4; i++) buf[p++] = DIGITS4[i];
  return p;
}

/** Writes 0-9999 as four digits at `p`; returns the end. */
function four(buf: Uint8Array, p: number, x: number): number {
  const i = 4 * x;
  buf[p] = DIGITS4[i];
  buf[p + 1] = DIGITS4[i + 1];
  buf[p + 2] = DIGITS4[i + 2];
  buf[p + 3] = DIGITS4[i + 3];
  return p + 4;
}

/** IPv4's flags and the name after them, by df * 2 + mf. */
const FLAGS = [0, 1, 2, 3].map((k) => ascii(`,"df":${k >= 2},"mf":${(k & 1) === 1},"fragOffset":`));

/** Room reserved before each part whose size is bounded (the longest common layer is about 250 bytes). */
const PART = 512;

/**
 * Writes `--json` records, one per line, straight into a byte buffer: no intermediate strings for the
 * common layers (Ethernet, IPv4, IPv6, TCP, UDP, ICMP), which made string building and encoding most of
 * the cost of a JSON line. The output is byte for byte `JSON.stringify(jsonRecord(r, meta))` and a newline
 * (the tests compare the two), with `ts` exact when `meta.tsNsec` is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PacketDecoder } from "./decoder.ts";
 * import { JsonLineWriter } from "./json.ts";
 * const w = new JsonLineWriter();
 * w.write(new PacketDecoder().decode(new Uint8Array(0), 1), { n: 1, ts: 1700000000, tsNsec: 120000, len: 0, caplen: 0 });
 * assert(new TextDecoder().decode(w.take()).startsWith('{"n":1,"ts":1700000000.00012,'));
 * ```
 */
export class JsonLineWriter {
  #buf: Uint8Array;
  #pos = 0;
  #name: string | undefined;
  #dir: string | undefined;
  #middle: Uint8Array = ascii(',"layers":[');

  /** @param capacity the initial buffer size in bytes (it grows as needed) */
  constructor(capacity = 1 << 17) {
    this.#buf = new Uint8Array(Math.max(capacity, 2 * PART));
  }

  /** Bytes written since the last {@link take}. */
  get length(): number {
    return this.#pos;
  }

  /** @returns a copy of the bytes written since the last take; the writer starts empty again */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#pos);
    this.#pos = 0;
    return out;
  }

  /**
   * Appends one packet's record and a newline.
   *
   * @param r the decoder's result
   * @param meta capture metadata
   */
  write(r: DecodeResult, meta: JsonMeta): void {
    this.#room(PART);
    this.#put(K.n);
    this.#num(meta.n);
    this.#put(K.ts);
    const ns = meta.tsNsec;
    if (ns === undefined) this.#num(meta.ts);
    else this.#time(meta.ts, ns);
    this.#put(K.len);
    this.#num(meta.len);
    this.#put(K.caplen);
    this.#num(meta.caplen);
    // The interface, the direction and the start of the layers, as one piece: they repeat.
    if (meta.ifname !== this.#name || meta.dir !== this.#dir) {
      this.#name = meta.ifname;
      this.#dir = meta.dir;
      let t = "";
      if (meta.ifname !== undefined) t += ',"ifname":' + JSON.stringify(meta.ifname);
      if (meta.dir !== undefined) t += ',"dir":' + JSON.stringify(meta.dir);
      this.#middle = TE.encode(t + ',"layers":[');
    }
    this.#room(this.#middle.length + PART);
    this.#put(this.#middle);
    const layers = r.layers;
    for (let i = 0; i < layers.length; i++) {
      this.#room(PART);
      if (i > 0) this.#buf[this.#pos++] = 0x2c; // ,
      this.#layer(layers[i]);
    }
    this.#room(PART);
    if (!r.truncated && !r.malformed) {
      this.#put(K.endOk);
      return;
    }
    this.#put(K.truncated);
    this.#put(r.truncated ? K.true : K.false);
    this.#put(K.malformed);
    this.#put(r.malformed ? K.true : K.false);
    this.#buf[this.#pos++] = 0x7d; // }
    this.#buf[this.#pos++] = 0x0a;
  }

  /** Makes room for `n` more bytes. */
  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.#buf.length, this.#pos + n));
    bigger.set(this.#buf.subarray(0, this.#pos));
    this.#buf = bigger;
  }

  #put(k: Uint8Array): void {
    if (k.length >= 16) { // a native copy costs less than the loop from about here
      this.#buf.set(k, this.#pos);
      this.#pos += k.length;
      return;
    }
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < k.length; i++) buf[p++] = k[i];
    this.#pos = p;
  }

  /** Any string, UTF-8 (room for it is made here). */
  #text(s: string): void {
    this.#room(3 * s.length + PART);
    this.#pos += TE.encodeInto(s, this.#buf.subarray(this.#pos)).written;
  }

  /** A number as JSON.stringify writes it; unsigned 32-bit integers without a string. */
  #num(x: number): void {
    if (x >>> 0 !== x) {
      this.#text(Number.isFinite(x) ? "" + x : "null");
      return;
    }
    if (x < 10000) {
      this.#pos = lead(this.#buf, this.#pos, x);
      return;
    }
    const hi = Math.floor(x / 10000);
    const buf = this.#buf;
    let p: number;
    if (hi < 10000) p = lead(buf, this.#pos, hi);
    else {
      const top = Math.floor(hi / 10000);
      p = four(buf, lead(buf, this.#pos, top), hi - top * 10000);
    }
    this.#pos = four(buf, p, x - hi * 10000);
  }

  /** Seconds and nanoseconds as an exact decimal, trailing zeros dropped. */
  #time(sec: number, ns: number): void {
    if (ns >>> 0 !== ns || ns > 999_999_999 || !Number.isSafeInteger(sec) || sec < 0) {
      this.#num(sec + ns / 1e9);
      return;
    }
    this.#num(sec);
    if (ns === 0) return;
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = 0x2e; // .
    const hi = Math.floor(ns / 100_000_000);
    buf[p++] = 0x30 + hi;
    const rest = ns - hi * 100_000_000;
    const mid = Math.floor(rest / 10000);
    p = four(buf, four(buf, p, mid), rest - mid * 10000);
    while (buf[p - 1] === 0x30) p--;
    this.#pos = p;
  }

  #mac(b: Uint8Array): void {
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < 6; i++) {
      if (i > 0) buf[p++] = 0x3a; // :
      buf[p++] = HEXD[b[i] >> 4];
      buf[p++] = HEXD[b[i] & 15];
    }
    this.#pos = p;
  }

  #ipv4(b: Uint8Array): void {
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < 4; i++) {
      if (i > 0) buf[p++] = 0x2e; // .
      const at = 4 * b[i], n = OCTETS[at];
      buf[p++] = OCTETS[at + 1];
      if (n > 1) buf[p++] = OCTETS[at + 2];
      if (n > 2) buf[p++] = OCTETS[at + 3];
    }
    this.#pos = p;
  }

  /** ASCII text known to need no escaping (room already made). */
  #plain(s: string): void {
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.#pos = p;
  }

  #layer(l: Layer): void {
    switch (l.layer) {
      case "eth":
        this.#put(K.eth);
        this.#mac(l.src);
        this.#put(K.ethDst);
        this.#mac(l.dst);
        this.#put(K.ethType);
        this.#num(l.ethertype);
        break;
      case "ipv4":
        this.#put(K.ipv4);
        this.#ipv4(l.src);
        this.#put(K.ipv4Dst);
        this.#ipv4(l.dst);
        this.#put(K.ipv4Proto);
        this.#num(l.proto);
        this.#put(K.ttl);
        this.#num(l.ttl);
        this.#put(K.totalLen);
        this.#num(l.totalLen);
        this.#put(K.id);
        this.#num(l.id);
        this.#put(FLAGS[(l.df ? 2 : 0) + (l.mf ? 1 : 0)]);
        this.#num(l.fragOffset);
        this.#put(K.hdrLen);
        this.#num(l.hdrLen);
        break;
      case "ipv6": {
        this.#room(PART + 11 * l.extHeaders.length);
        this.#put(K.ipv6);
        this.#plain(formatIpv6Address(l.src));
        this.#put(K.ipv4Dst);
        this.#plain(formatIpv6Address(l.dst));
        this.#put(K.ipv6Next);
        this.#num(l.nextHeader);
        this.#put(K.hopLimit);
        this.#num(l.hopLimit);
        this.#put(K.payloadLen);
        this.#num(l.payloadLen);
        this.#put(K.flowLabel);
        this.#num(l.flowLabel);
        this.#put(K.extHeaders);
        for (let i = 0; i < l.extHeaders.length; i++) {
          if (i > 0) this.#buf[this.#pos++] = 0x2c;
          this.#num(l.extHeaders[i].type);
        }
        this.#put(K.proto6);
        this.#num(l.proto);
        break;
      }
      case "tcp":
        this.#put(K.tcp);
        this.#num(l.srcPort);
        this.#put(K.dstPort);
        this.#num(l.dstPort);
        this.#put(K.seq);
        this.#num(l.seq);
        this.#put(K.ack);
        this.#num(l.ack);
        this.#put(K.flags);
        this.#num(l.flags);
        this.#put(K.window);
        this.#num(l.window);
        this.#put(K.hdrLen);
        this.#num(l.hdrLen);
        this.#put(K.payloadLen);
        this.#num(l.payloadLen);
        break;
      case "udp":
        this.#put(K.udp);
        this.#num(l.srcPort);
        this.#put(K.dstPort);
        this.#num(l.dstPort);
        this.#put(K.length);
        this.#num(l.length);
        break;
      case "icmp":
      case "icmpv6":
        this.#put(l.layer === "icmp" ? K.icmp : K.icmpv6);
        this.#num(l.type);
        this.#put(K.code);
        this.#num(l.code);
        break;
      case "vlan":
        this.#put(K.vlan);
        this.#num(l.id);
        this.#put(K.pcp);
        this.#num(l.pcp);
        this.#put(K.ethertype);
        this.#num(l.ethertype);
        break;
      case "sll":
      case "sll2":
        // Files of `-i any` captures: every packet has one.
        this.#room(PART + 3 * l.addr.length);
        if (l.layer === "sll") this.#put(K.sll);
        else {
          this.#put(K.sll2);
          this.#num(l.ifindex);
          this.#put(K.packetType);
        }
        this.#num(l.packetType);
        this.#put(K.arphrdType);
        this.#num(l.arphrdType);
        this.#put(K.addr);
        this.#plain(formatHexColon(l.addr));
        this.#put(K.protocol);
        this.#num(l.protocol);
        break;
      default:
        // The rarer layers (and any string that may need escaping, such as a DNS name) take the generic way.
        this.#text(JSON.stringify(jsonLayer(l)));
        return;
    }
    this.#buf[this.#pos++] = 0x7d; // }
  }
}

/** The writer behind {@link formatJson}. */
const scratch = new JsonLineWriter(4096);
