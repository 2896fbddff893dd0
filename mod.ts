/**
 * netkit: network programming for Deno.
 *
 * - Echo servers in four models (sequential, async, workers, processes) over TCP and UDP, an nc-like client and
 *   a verifying load generator: {@link serveEcho}, {@link echoOnce}, {@link runEchoBench}.
 * - Packet files: pcap and pcapng readers and writers: {@link readPackets}, {@link PcapWriter}.
 * - Filters: the pcap-filter language compiled to classic BPF, with a VM: {@link compileFilter}.
 * - Live capture through AF_PACKET and a TPACKET_V3 ring (needs `--allow-ffi` and CAP_NET_RAW at run time,
 *   nothing at import time): {@link openCapture}, the tcpdump-like {@link Sniffer}.
 * - Packet crafting and injection: {@link buildPacket}, {@link Injector}, {@link sendAndMatch},
 *   {@link replayCapture}.
 * - Packet codecs (decode, emit, summaries) live in `./wire` (import `@netkit/netkit/wire`); the libc layer in
 *   `./ffi`.
 *
 * Importing this module has no side effects: no `dlopen`, no listener, no top-level await.
 *
 * @example
 * ```ts
 * import { compileFilter, serveEcho } from "./mod.ts";
 * await using server = await serveEcho({ hostname: "127.0.0.1", port: 0 });
 * console.log(server.addr.port > 0, compileFilter("tcp port 80", { linktype: 1 }).program.length > 0);
 * ```
 *
 * @module
 */
export * from "./lib/echo/mod.ts";
export * from "./lib/pcap/mod.ts";
export * from "./lib/filter/mod.ts";
export * from "./lib/capture/mod.ts";
export * from "./lib/craft/mod.ts";
