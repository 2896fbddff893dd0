/**
 * Packet codecs: views, parsers and emitters for Ethernet, VLAN, Linux cooked (v1/v2), ARP, IPv4, IPv6, ICMP, ICMPv6,
 * TCP, UDP, DNS, GRE, MPLS, VXLAN, Geneve, PPP and PPPoE; a reusable decoder chain; tcpdump-style one-line summaries
 * (for more than sixty protocols, from IGMP and OSPF to BGP and RADIUS), hex dumps and the `--json` record. Pure
 * TypeScript: no `Deno.*`, no FFI, no side effects on import.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitIpv4, emitUdp, PacketDecoder, summarize } from "./mod.ts";
 * const p = { src: "127.0.0.1", dst: "127.0.0.1" };
 * const pkt = emitIpv4({ ...p, proto: 17 }, emitUdp({ srcPort: 1234, dstPort: 9 }, new Uint8Array(3), p));
 * assert(summarize(new PacketDecoder().decode(pkt, 101)) === "IP 127.0.0.1.1234 > 127.0.0.1.9: UDP, length 3");
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export { WireView } from "./_view.ts";
export * from "./checksum.ts";
export * from "./address.ts";
export * from "./ethernet.ts";
export * from "./vlan.ts";
export * from "./sll.ts";
export * from "./sll2.ts";
export * from "./arp.ts";
export * from "./flow.ts";
export * from "./ipv4.ts";
export * from "./ipv6.ts";
export * from "./icmpv4.ts";
export * from "./icmpv6.ts";
export * from "./tcp.ts";
export * from "./udp.ts";
export * from "./dns.ts";
export * from "./gre.ts";
export * from "./mpls.ts";
export * from "./pppoe.ts";
export * from "./vxlan.ts";
export * from "./geneve.ts";
export * from "./llc.ts";
export * from "./loopback.ts";
export * from "./ppp.ts";
export * from "./decoder.ts";
export * from "./summary.ts";
export * from "./hexdump.ts";
export * from "./json.ts";
