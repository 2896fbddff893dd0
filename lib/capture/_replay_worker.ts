/**
 * A sending thread of {@link replayCapture} with `threads` > 1: it opens its own AF_PACKET socket, points a
 * `sendmmsg` table at the packets it was given (one flow share of the file, in file order), reports ready,
 * waits for the start, then sends them `loop` times as fast as it can. The shared stop word ends it at the
 * next batch; progress and the final statistics go back as messages.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { SyscallError } from "../../ffi/errno.ts";
import { Injector, type InjectStats, runSchedule } from "./injector.ts";

/** The first message: what to send and how. */
export interface ReplayWorkerStart {
  type: "start";
  iface: string;
  /** the packets, back to back */
  bytes: ArrayBuffer;
  /** the length of each */
  lengths: Uint32Array;
  loop: number;
  batch: number;
  durationMs?: number;
  progressMs: number;
  /** an Int32Array word: non-zero means stop */
  stop: SharedArrayBuffer;
}

/** What a sending thread reports. */
export type FromReplayWorker =
  | { type: "ready" }
  | { type: "error"; syscall?: string; errno?: number; message: string }
  | { type: "progress"; stats: InjectStats }
  | { type: "done"; stats: InjectStats; startMs: number; endMs: number };

let start: ReplayWorkerStart | undefined;
let inj: Injector | undefined;

function fail(e: unknown): void {
  const msg: FromReplayWorker = e instanceof SyscallError
    ? { type: "error", syscall: e.syscall, errno: e.errno, message: e.message }
    : { type: "error", message: e instanceof Error ? e.message : String(e) };
  self.postMessage(msg);
  inj?.close();
  self.close();
}

self.onmessage = async (e: MessageEvent<ReplayWorkerStart | { type: "go" }>) => {
  try {
    if (e.data.type === "start") {
      start = e.data;
      inj = Injector.open({ layer: 2, interface: start.iface });
      self.postMessage({ type: "ready" } satisfies FromReplayWorker);
      return;
    }
    if (!start || !inj) return;
    const { lengths, loop, durationMs, progressMs } = start;
    const n = lengths.length;
    const batch = Math.max(1, Math.min(start.batch, 1024));
    const bytes = new Uint8Array(start.bytes);
    const table = inj.createTable(n + batch - 1);
    const addr = table.attach(bytes);
    const offsets = new Float64Array(n);
    for (let i = 1; i < n; i++) offsets[i] = offsets[i - 1] + lengths[i - 1];
    for (let k = 0; k < table.capacity; k++) table.setEntryAddress(k, addr + offsets[k % n], lengths[k % n]);
    const stopWord = new Int32Array(start.stop);
    const signal = {
      get aborted() {
        return Atomics.load(stopWord, 0) !== 0;
      },
    };
    const startMs = performance.timeOrigin + performance.now();
    const stats = await runSchedule(inj.fd, table, n, batch, {
      total: n * loop,
      due: () => 0,
      length: (k) => lengths[k % n],
    }, {
      durationMs,
      signal,
      progressMs,
      onProgress: (s) => self.postMessage({ type: "progress", stats: s } satisfies FromReplayWorker),
    });
    const endMs = performance.timeOrigin + performance.now();
    self.postMessage({ type: "done", stats, startMs, endMs } satisfies FromReplayWorker);
    inj.close();
    self.close();
  } catch (err) {
    fail(err);
  }
};
