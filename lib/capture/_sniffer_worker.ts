/**
 * The capture Worker of {@link runSnifferInWorker}: runs the sniffer command blocking in poll() between
 * ring blocks, watching the shared control flags at every tick, and posts the exit code.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { formatStats } from "./sniffer.ts";
import type { Sniffer } from "./sniffer.ts";
import { CONTROL, runSniffer, type SnifferWorkerStart, standardIo } from "./sniffer_main.ts";

self.onmessage = async (e: MessageEvent<SnifferWorkerStart>) => {
  const { args, wakeFd, control } = e.data;
  const flags = new Int32Array(control);
  const io = standardIo();
  const stop = new AbortController();
  let sniffer: Sniffer | undefined;
  let statsSeen = 0;
  const tick = () => {
    if (Atomics.load(flags, CONTROL.stop) !== 0 && !stop.signal.aborted) stop.abort();
    const n = Atomics.load(flags, CONTROL.statsRequests);
    if (n !== statsSeen) {
      statsSeen = n;
      if (sniffer) io.stderr(formatStats(sniffer.stats()));
    }
  };
  const code = await runSniffer(args, { ...io, signal: stop.signal }, {
    onSniffer: (s) => sniffer = s,
    blocking: { wakeFd, tick },
  });
  self.postMessage({ code });
};
