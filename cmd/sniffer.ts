/**
 * `deno task sniffer` / `./sniffer`: a tcpdump-compatible packet sniffer. See `--help`.
 *
 * A live capture runs in a Worker blocked in poll() between ring blocks (the cheapest way to wait from
 * Deno); everything else runs here.
 *
 * @module
 */
import { formatStats } from "../lib/capture/sniffer.ts";
import type { Sniffer } from "../lib/capture/sniffer.ts";
import {
  isLiveCapture,
  runSniffer,
  runSnifferInWorker,
  type SnifferIo,
  standardIo,
} from "../lib/capture/sniffer_main.ts";

export type { SnifferIo };

/**
 * Runs the sniffer; returns the exit code (0 ok, 1 runtime error, 2 usage). With the default I/O a live
 * capture runs in a Worker; with `io` given (tests), everything runs on this thread.
 */
export async function main(args: string[], io?: SnifferIo): Promise<number> {
  if (io === undefined && isLiveCapture(args)) return await runSnifferInWorker(args);
  const std = io ?? standardIo();
  const stop = new AbortController();
  const onStop = () => stop.abort();
  std.signal?.addEventListener("abort", onStop, { once: true });
  let sniffer: Sniffer | undefined;
  const onUsr1 = () => sniffer && std.stderr(formatStats(sniffer.stats()));
  const signals = [["SIGINT", onStop], ["SIGTERM", onStop], ["SIGUSR1", onUsr1]] as const;
  for (const [s, f] of signals) Deno.addSignalListener(s, f);
  try {
    return await runSniffer(args, { ...std, signal: stop.signal }, { onSniffer: (s) => sniffer = s });
  } finally {
    for (const [s, f] of signals) Deno.removeSignalListener(s, f);
    std.signal?.removeEventListener("abort", onStop);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
