/**
 * Web Worker entry of the workers model. Each worker opens its own listener on the shared port with
 * `reusePort` (a listener cannot be handed to a worker) and serves it with the async loop. Counters live in a
 * `SharedArrayBuffer` the parent owns; events go to the parent by `postMessage`.
 *
 * Messages in: `{type: "start", options, port, index, counters}`, `{type: "close", graceMs}`.
 * Messages out: `{type: "ready", hostname, port}` (the address it listens on: with port 0, the kernel's pick), `{type: "error", code, message}`, `{type: "event", event}`, `{type: "closed"}`.
 *
 * @module
 */
import { Counters, listenTcp, type ResolvedOptions, TcpService } from "./_conn.ts";
import type { EchoEvent } from "./types.ts";

/** The start message a worker receives. */
export interface WorkerStart {
  type: "start";
  options: ResolvedOptions;
  port: number;
  index: number;
  counters: SharedArrayBuffer;
}

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
  close(): void;
};

let service: TcpService | undefined;

scope.onmessage = async (e: MessageEvent) => {
  const msg = e.data as WorkerStart | { type: "close"; graceMs: number };
  if (msg.type === "start") {
    try {
      const listener = listenTcp(msg.options, msg.port, true);
      service = new TcpService(listener, {
        options: msg.options,
        counters: new Counters(msg.counters),
        emit: (event: EchoEvent) => scope.postMessage({ type: "event", event }),
        worker: msg.index,
      });
      const addr = listener.addr as Deno.NetAddr;
      scope.postMessage({ type: "ready", hostname: addr.hostname, port: addr.port });
    } catch (err) {
      // Errors crossing postMessage travel as {code, message} records.
      scope.postMessage({ type: "error", code: (err as Error).name, message: (err as Error).message });
    }
  } else if (msg.type === "close") {
    await service?.close(msg.graceMs);
    scope.postMessage({ type: "closed" });
    scope.close();
  }
};
