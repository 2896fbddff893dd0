/**
 * Layer stacking: `buildPacket([eth, ipv4, tcp, payload])` writes every layer into one buffer of the exact
 * size, like scapy's `Ether()/IP()/TCP()/Raw()`, with hping3's "anything can be overridden" rule.
 *
 * Rules, applied from the innermost layer outwards:
 * - a link or network layer whose type/protocol field is unset takes it from the layer that follows
 *   (Ethernet 0x0800/0x86dd/0x0806/0x8100, IPv4 protocol 1/6/17/41/4, IPv6 next header 58/6/17/41/4);
 * - lengths left unset (IPv4 total length, IPv6 payload length, UDP length) cover everything after the
 *   header to the end of the buffer;
 * - checksums left unset are computed over the final bytes: IPv4 header; ICMP over the message; TCP, UDP and
 *   ICMPv6 with the pseudo-header of the nearest enclosing IP layer (a computed UDP 0 is sent as 0xffff,
 *   RFC 768); a transport layer without an enclosing IP layer gets 0;
 * - `checksum: N` writes N as given; `badChecksum: true` writes a value that is always wrong (the correct one
 *   XOR 0x5555, never its one's-complement twin, never UDP's "no checksum" 0).
 *
 * The header bytes come from lib/wire's per-layer emitters (called with an empty payload) and are placed at
 * their offsets; the payload bytes are written once, straight into the final buffer.
 *
 * @module
 */
import {
  emitArp,
  emitEthernet,
  emitIcmpv4,
  emitIcmpv6,
  emitIpv4,
  emitIpv6,
  emitTcp,
  emitUdp,
  emitVlan,
  internetChecksum,
  pseudoHeaderV4,
  pseudoHeaderV6,
  toAddressBytes,
} from "../wire/mod.ts";
import type {
  ArpInit,
  EthernetInit,
  Icmpv4Init,
  Icmpv6Init,
  Ipv4Init,
  Ipv6Init,
  TcpInit,
  UdpInit,
} from "../wire/mod.ts";

/** Fields that every checksum-carrying layer accepts besides its own `checksum`. */
export interface ChecksumControl {
  /** Write a checksum that is certainly wrong (ignored when `checksum` is given). */
  badChecksum?: boolean;
}

/** Ethernet II; `ethertype` defaults from the next layer, addresses to zeros. */
export type EthernetSpec = { layer: "eth" } & Partial<EthernetInit>;
/** An 802.1Q tag (after "eth", whose ethertype then defaults to 0x8100). */
export type VlanSpec = { layer: "vlan"; id: number; pcp?: number; dei?: boolean; ethertype?: number };
/** ARP (Ethernet/IPv4 by default). */
export type ArpSpec = { layer: "arp" } & ArpInit;
/** IPv4; `proto` defaults from the next layer. */
export type Ipv4Spec = { layer: "ipv4" } & Omit<Ipv4Init, "proto"> & { proto?: number } & ChecksumControl;
/** IPv6; `proto` (the upper-layer protocol after any extension header) defaults from the next layer. */
export type Ipv6Spec = { layer: "ipv6" } & Omit<Ipv6Init, "proto"> & { proto?: number };
/** ICMP for IPv4. */
export type Icmpv4Spec = { layer: "icmp" } & Icmpv4Init & ChecksumControl;
/** ICMPv6. */
export type Icmpv6Spec = { layer: "icmp6" } & Icmpv6Init & ChecksumControl;
/** TCP. */
export type TcpSpec = { layer: "tcp" } & TcpInit & ChecksumControl;
/** UDP. */
export type UdpSpec = { layer: "udp" } & UdpInit & ChecksumControl;
/** Bytes as given (payload, or a protocol without a builder). */
export type RawSpec = { layer: "raw"; data: Uint8Array };

/** One layer of {@link buildPacket}, outermost first. */
export type LayerSpec =
  | EthernetSpec
  | VlanSpec
  | ArpSpec
  | Ipv4Spec
  | Ipv6Spec
  | Icmpv4Spec
  | Icmpv6Spec
  | TcpSpec
  | UdpSpec
  | RawSpec;

const ETHERTYPE: Record<string, number> = { ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806, vlan: 0x8100 };
const IP_PROTO: Record<string, number> = { icmp: 1, icmp6: 58, tcp: 6, udp: 17, ipv4: 4, ipv6: 41 };
/** RFC 3692 experimental protocol number, for an IP layer followed by raw bytes or nothing. */
const PROTO_EXPERIMENTAL = 253;
const ZERO_MAC = new Uint8Array(6);

interface Placed {
  spec: LayerSpec;
  header: Uint8Array;
  offset: number;
}

function nextType(
  layers: readonly LayerSpec[],
  i: number,
  table: Record<string, number>,
): number | undefined {
  const next = layers[i + 1];
  return next ? table[next.layer] : undefined;
}

function headerOf(layers: readonly LayerSpec[], i: number): Uint8Array {
  const s = layers[i];
  switch (s.layer) {
    case "eth":
      return emitEthernet({
        dst: s.dst ?? ZERO_MAC,
        src: s.src ?? ZERO_MAC,
        ethertype: s.ethertype ?? nextType(layers, i, ETHERTYPE) ?? 0x88b5, // 0x88b5: IEEE local experimental
      });
    case "vlan":
      return emitVlan({ ...s, ethertype: s.ethertype ?? nextType(layers, i, ETHERTYPE) ?? 0x88b5 });
    case "arp":
      return emitArp(s);
    case "ipv4":
      return emitIpv4({ ...s, proto: s.proto ?? nextType(layers, i, IP_PROTO) ?? PROTO_EXPERIMENTAL });
    case "ipv6":
      return emitIpv6({ ...s, proto: s.proto ?? nextType(layers, i, IP_PROTO) ?? PROTO_EXPERIMENTAL });
    case "icmp":
      return emitIcmpv4({ ...s, checksum: 0 });
    case "icmp6":
      return emitIcmpv6({ ...s, checksum: 0 });
    case "tcp":
      return emitTcp({ ...s, checksum: 0 });
    case "udp":
      return emitUdp({ ...s, checksum: 0 });
    case "raw":
      return s.data;
    default:
      throw new TypeError(`unknown layer: ${JSON.stringify((s as { layer?: unknown }).layer)}`);
  }
}

/** A checksum that is wrong whatever the data: never the correct value nor its one's-complement twin. */
function spoil(correct: number, udp: boolean): number {
  const bad = correct ^ 0x5555;
  return udp && bad === 0 ? 0xaaaa : bad;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

/** The pseudo-header partial sum of the nearest IP layer before `i`, or undefined without one. */
function pseudoFor(placed: readonly Placed[], i: number, proto: number, length: number): number | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const s = placed[j].spec;
    if (s.layer === "ipv4") {
      return pseudoHeaderV4(toAddressBytes(s.src, 4), toAddressBytes(s.dst, 4), proto, length);
    }
    if (s.layer === "ipv6") {
      return pseudoHeaderV6(toAddressBytes(s.src, 16), toAddressBytes(s.dst, 16), proto, length);
    }
  }
  return undefined;
}

/** Offsets of checksum and length fields, relative to each header. */
const FIELD = {
  ipv4: { totalLen: 2, checksum: 10 },
  ipv6: { payloadLen: 4, fixed: 40 },
  icmp: { checksum: 2 },
  tcp: { checksum: 16 },
  udp: { length: 4, checksum: 6 },
} as const;

/**
 * Stacks layers into one packet of the exact size, filling every unset length, type and checksum.
 *
 * @param layers the layers, outermost first (e.g. eth, ipv4, tcp, raw)
 * @returns the packet bytes (a fresh buffer)
 * @throws {TypeError} for an unknown layer name or an address that does not parse
 * @throws {RangeError} for a field out of range (IPv4 options over 40 bytes, ...)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPacket } from "./build.ts";
 * const pkt = buildPacket([
 *   { layer: "ipv4", src: "127.0.0.1", dst: "127.0.0.1" },
 *   { layer: "udp", srcPort: 1234, dstPort: 9 },
 *   { layer: "raw", data: new TextEncoder().encode("hi") },
 * ]);
 * assert(pkt.length === 20 + 8 + 2 && pkt[9] === 17 && pkt[25] === 10); // proto UDP, UDP length 10
 * ```
 */
export function buildPacket(layers: readonly LayerSpec[]): Uint8Array<ArrayBuffer> {
  const placed: Placed[] = [];
  let total = 0;
  for (let i = 0; i < layers.length; i++) {
    const header = headerOf(layers, i);
    placed.push({ spec: layers[i], header, offset: total });
    total += header.length;
  }
  const out = new Uint8Array(total);
  for (const p of placed) out.set(p.header, p.offset);
  // Inner layers first: a transport checksum must be final before nothing else changes its bytes, and an
  // IPv4 header checksum covers its own (possibly just filled) total length.
  for (let i = placed.length - 1; i >= 0; i--) {
    const { spec: s, offset: at } = placed[i];
    const rest = total - at;
    switch (s.layer) {
      case "ipv4": {
        if (s.totalLen === undefined) put16(out, at + FIELD.ipv4.totalLen, Math.min(rest, 0xffff));
        if (s.checksum === undefined) {
          const hl = placed[i].header.length;
          put16(out, at + FIELD.ipv4.checksum, 0);
          const c = internetChecksum(out.subarray(at, at + hl));
          put16(out, at + FIELD.ipv4.checksum, s.badChecksum ? spoil(c, false) : c);
        }
        break;
      }
      case "ipv6":
        if (s.payloadLen === undefined) {
          put16(out, at + FIELD.ipv6.payloadLen, Math.min(rest - FIELD.ipv6.fixed, 0xffff));
        }
        break;
      case "icmp":
        fillChecksum(out, at, FIELD.icmp.checksum, s, 0, false);
        break;
      case "icmp6":
        fillChecksum(out, at, FIELD.icmp.checksum, s, pseudoFor(placed, i, 58, rest) ?? 0, false);
        break;
      case "tcp": {
        const pseudo = pseudoFor(placed, i, 6, rest);
        if (pseudo === undefined && s.checksum === undefined && !s.badChecksum) break; // no IP layer: 0
        fillChecksum(out, at, FIELD.tcp.checksum, s, pseudo ?? 0, false);
        break;
      }
      case "udp": {
        if (s.length === undefined) put16(out, at + FIELD.udp.length, Math.min(rest, 0xffff));
        const pseudo = pseudoFor(placed, i, 17, rest);
        if (pseudo === undefined && s.checksum === undefined && !s.badChecksum) break;
        fillChecksum(out, at, FIELD.udp.checksum, s, pseudo ?? 0, true);
        break;
      }
    }
  }
  return out;
}

function fillChecksum(
  out: Uint8Array,
  at: number,
  field: number,
  s: { checksum?: number } & ChecksumControl,
  initial: number,
  udp: boolean,
): void {
  if (s.checksum !== undefined) {
    put16(out, at + field, s.checksum);
    return;
  }
  put16(out, at + field, 0);
  let c = internetChecksum(out.subarray(at), initial);
  if (udp && c === 0) c = 0xffff; // RFC 768: a computed 0 goes out as all ones
  put16(out, at + field, s.badChecksum ? spoil(c, udp) : c);
}
