/**
 * Packet crafting: stack layers into one exact-size packet with every length and checksum filled unless
 * overridden (a wrong checksum included), parse hping3-style command lines into packets and a sending plan,
 * and carry the plan out (send, match replies, replay, or write a capture file). Building and parsing are
 * pure; only {@link runInject} opens sockets, lazily.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPacket, parseInjectArgs } from "./mod.ts";
 * const syn = buildPacket([
 *   { layer: "ipv4", src: "127.0.0.1", dst: "127.0.0.1" },
 *   { layer: "tcp", srcPort: 40000, dstPort: 80, flags: 0x02, options: [{ kind: 2, mss: 1460 }] },
 * ]);
 * assert(syn.length === 44);
 * assert(parseInjectArgs(["icmp", "--dst", "127.0.0.1"]).frames[0].length === 28);
 * ```
 *
 * @module
 */
export { buildPacket } from "./build.ts";
export type {
  ArpSpec,
  ChecksumControl,
  EthernetSpec,
  Icmpv4Spec,
  Icmpv6Spec,
  Ipv4Spec,
  Ipv6Spec,
  LayerSpec,
  RawSpec,
  TcpSpec,
  UdpSpec,
  VlanSpec,
} from "./build.ts";
export {
  INJECT_COMMANDS,
  INJECT_USAGE,
  parseHexBytes,
  parseInjectArgs,
  parseTcpFlags,
  UsageError,
} from "./options.ts";
export type { InjectCommand, InjectPlan, ParseContext, ReplayPlan } from "./options.ts";
export { formatInjectStats, injectContext, runInject } from "./run.ts";
export type { InjectIo } from "./run.ts";
