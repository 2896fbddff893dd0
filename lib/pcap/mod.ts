/**
 * Capture files: read classic pcap and pcapng (format detected, either byte order, any timestamp
 * resolution, streaming), write both, and name link types. Pure: no `Deno.*`, no permission needed; the
 * caller does the file I/O (bytes in, a stream in, a stream or callback out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodePcapng, readPacketsSync } from "./mod.ts";
 * const file = encodePcapng([{ tsSec: 1, tsNsec: 0, data: new Uint8Array(60), ifName: "lo" }]);
 * for (const p of readPacketsSync(file)) assert(p.len === 60 && p.ifName === "lo");
 * ```
 *
 * @module
 */
export {
  PcapError,
  type PcapErrorCode,
  type PcapFormat,
  type PcapInterface,
  PcapReader,
  type PcapRecord,
  type PcapSource,
  readPackets,
  readPacketsSync,
} from "./reader.ts";
export {
  createWriter,
  encodePcap,
  encodePcapng,
  formatForPath,
  type PacketWriter,
  PcapngWriter,
  type PcapngWriterOptions,
  type PcapSink,
  PcapWriter,
  type PcapWriterCommonOptions,
  type PcapWriteRecord,
  type PcapWriterOptions,
} from "./writer.ts";
export { describeLinkType, LinkType, linkTypeByName, linkTypeName, type LinkTypeValue } from "./linktype.ts";
export * from "./pcap.ts";
export * from "./pcapng.ts";
