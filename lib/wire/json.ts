/**
 * The `--json` record of a packet, one JSON object per line. Tools rely on this schema; change it only with
 * a version bump.
 *
 * Packet: `n` (1-based), `ts` (seconds, a number), `len`, `caplen`, `ifname` and `dir` when known, `layers`
 * (outermost first), `truncated`, `malformed`. Each layer has `layer`, then:
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
 *
 * MACs are lower-case with colons, IPv6 in RFC 5952 form, numbers are JSON numbers. `qname` has no trailing
 * dot (`example.com`; the root is `""`); `qname` and `qtype` are null without a question. The datagram
 * quoted by an ICMP error follows the `icmp`/`icmpv6` layer.
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
  /** Timestamp in seconds. */
  ts: number;
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
  const rec: JsonPacket = { n: meta.n, ts: meta.ts, len: meta.len, caplen: meta.caplen } as JsonPacket;
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
 * @returns JSON text without a newline
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
  // Hand-written: exactly JSON.stringify(jsonRecord(r, meta)) (tests compare the two over the corpus and
  // mutated frames), without the intermediate objects, which cost most of the --json time per packet.
  let s = '{"n":' + num(meta.n) + ',"ts":' + num(meta.ts) + ',"len":' + num(meta.len) + ',"caplen":' +
    num(meta.caplen);
  if (meta.ifname !== undefined) s += ',"ifname":' + str(meta.ifname);
  // The direction apart from the one-entry cache of str(), which the interface name keeps.
  if (meta.dir !== undefined) {
    s += ',"dir":' + (meta.dir === "in" ? '"in"' : meta.dir === "out" ? '"out"' : str(meta.dir));
  }
  s += ',"layers":[';
  const layers = r.layers;
  for (let i = 0; i < layers.length; i++) {
    if (i > 0) s += ",";
    s += layerText(layers[i]);
  }
  return s + '],"truncated":' + r.truncated + ',"malformed":' + r.malformed + "}";
}

/** A number as JSON.stringify writes it (non-finite: null). */
function num(x: number): string {
  return Number.isFinite(x) ? "" + x : "null";
}

/** Strings that need no escaping: what the address formatters produce. */
const PLAIN = /^[\w.:\- ]*$/;
let lastName = "", lastText = '""';

/** A string as JSON.stringify writes it; interface names repeat, so the last one is cached. */
function str(x: string): string {
  if (x === lastName) return lastText;
  const t = PLAIN.test(x) ? '"' + x + '"' : JSON.stringify(x);
  lastName = x;
  lastText = t;
  return t;
}

function layerText(l: Layer): string {
  switch (l.layer) {
    case "eth":
      return '{"layer":"eth","src":"' + formatMac(l.src) + '","dst":"' + formatMac(l.dst) + '","ethertype":' +
        num(l.ethertype) + "}";
    case "ipv4":
      return '{"layer":"ipv4","src":"' + formatIpv4Address(l.src) + '","dst":"' + formatIpv4Address(l.dst) +
        '","proto":' + num(l.proto) + ',"ttl":' + num(l.ttl) + ',"totalLen":' + num(l.totalLen) + ',"id":' +
        num(l.id) + ',"df":' + l.df + ',"mf":' + l.mf + ',"fragOffset":' + num(l.fragOffset) + ',"hdrLen":' +
        num(l.hdrLen) + "}";
    case "ipv6": {
      let ext = "";
      for (let i = 0; i < l.extHeaders.length; i++) ext += (i > 0 ? "," : "") + num(l.extHeaders[i].type);
      return '{"layer":"ipv6","src":"' + formatIpv6Address(l.src) + '","dst":"' + formatIpv6Address(l.dst) +
        '","nextHeader":' + num(l.nextHeader) + ',"hopLimit":' + num(l.hopLimit) + ',"payloadLen":' +
        num(l.payloadLen) + ',"flowLabel":' + num(l.flowLabel) + ',"extHeaders":[' + ext + '],"proto":' +
        num(l.proto) + "}";
    }
    case "tcp":
      return '{"layer":"tcp","srcPort":' + num(l.srcPort) + ',"dstPort":' + num(l.dstPort) + ',"seq":' +
        num(l.seq) + ',"ack":' + num(l.ack) + ',"flags":' + num(l.flags) + ',"window":' + num(l.window) +
        ',"hdrLen":' + num(l.hdrLen) + ',"payloadLen":' + num(l.payloadLen) + "}";
    case "udp":
      return '{"layer":"udp","srcPort":' + num(l.srcPort) + ',"dstPort":' + num(l.dstPort) + ',"length":' +
        num(l.length) + "}";
    case "icmp":
    case "icmpv6":
      return '{"layer":"' + l.layer + '","type":' + num(l.type) + ',"code":' + num(l.code) + "}";
    default:
      // The rarer layers (and any string that may need escaping, such as a DNS name) take the generic way.
      return JSON.stringify(jsonLayer(l));
  }
}
