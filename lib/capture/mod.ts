/**
 * Live capture: the TPACKET_V3 engine that yields raw frames with their metadata (interface, direction,
 * timestamps, pcap link type), kernel statistics and BPF filtering. Importing this module opens nothing;
 * `openCapture` needs `--allow-ffi` and CAP_NET_RAW.
 *
 * @example
 * ```ts
 * import { openCapture } from "./mod.ts";
 * try {
 *   using cap = openCapture({ interface: "lo", snaplen: 96 });
 *   if (cap.interface !== "lo") throw new Error("named interface");
 * } catch (e) {
 *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root
 * }
 * ```
 *
 * @module
 */
export { Capture, CapturedPacket, openCapture } from "./capture.ts";
// BpfInstruction is exported by lib/filter (the compiler produces it); the capture options take the same shape.
export type { CaptureDirection, CaptureOptions, CaptureStats, RingFrameSink } from "./capture.ts";
export {
  describeSnifferError,
  explainSnifferFilter,
  formatInterfaceList,
  formatStats,
  NEEDS_ROOT,
  parseSnifferArgs,
  Sniffer,
  SNIFFER_USAGE,
  UsageError,
} from "./sniffer.ts";
export type {
  ExplainTarget,
  SnifferCommand,
  SnifferFileOutput,
  SnifferOptions,
  SnifferResult,
  SnifferStats,
  TimestampMode,
} from "./sniffer.ts";
export { RING_PCAP_BATCH, RingPcapWriter, Sll2RingSink } from "./ring_pcap.ts";
export type { RingPcapWriterOptions } from "./ring_pcap.ts";
export { Injector, pacingDue, runSchedule } from "./injector.ts";
export type { InjectStats, InjectTarget, PacingOptions, Schedule } from "./injector.ts";
export { formatMatchSummary, formatReply, sendAndMatch } from "./match.ts";
export type { MatchedReply, MatchOptions, MatchSummary } from "./match.ts";
export {
  formatReplayStats,
  loadCapture,
  MAX_REPLAY_THREADS,
  replayCapture,
  replayDue,
  shareByFlow,
} from "./replay.ts";
export type { LoadedCapture, ReplayOptions, ReplayStats } from "./replay.ts";
