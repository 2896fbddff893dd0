/**
 * The workers model: N Web Workers, each with its own listener on the same port (`reusePort`, so the kernel
 * spreads connections over them by a hash of the addresses). Needs `--unstable-net`.
 *
 * Each worker serves its sockets one of two ways. With `--allow-ffi` (the `serve` task and the compiled
 * server have it), through libc (`_ffi_worker.ts`): nonblocking sockets and an epoll set the worker blocks
 * in, one synchronous FFI call per syscall; the parent stops it through a shared control array and an
 * eventfd. Without it, with Deno's own sockets and the shared async loop (`_worker.ts`). Both behave alike
 * (the conformance suite runs on both); the FFI way costs far less per message.
 *
 * With port 0 the parent first binds a probe listener with `reusePort` to learn a free port, starts the
 * workers on it, then closes the probe before {@link serveWorkersEcho} resolves. Counters are one
 * `SharedArrayBuffer` updated with `Atomics`, so `stats()` and the `maxConns` limit are exact across workers.
 *
 * @module
 */
import { Counters, deferred, listenTcp, rebuildError, resolveOptions, serverHandle } from "./_conn.ts";
import { applyBacklog } from "./async.ts";
import type { WorkerStart } from "./_worker.ts";
import { CONTROL, type FfiWorkerStart } from "./_ffi_control.ts";
import { Waker } from "../../ffi/waker.ts";
import type { EchoEvent, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

/** How long a worker may take to start or to report that it closed, beyond the grace period. */
const WORKER_TIMEOUT_MS = 10_000;

type FromWorker =
  | { type: "ready" }
  | { type: "error"; code: string; message: string }
  | { type: "event"; event: EchoEvent }
  | { type: "closed" };

/**
 * Starts an echo server on `threads` Web Workers sharing one port.
 *
 * @param options server options (`model` is ignored); `threads` defaults to the CPU count
 * @returns the running server, once every worker listens
 * @throws {RangeError} or {TypeError} for a bad option, `Deno.errors.AddrInUse` when the port is taken
 * @example
 * ```ts
 * import { serveWorkersEcho } from "./workers.ts";
 * const server = await serveWorkersEcho({ hostname: "127.0.0.1", port: 0, threads: 2 });
 * console.log(server.addr.port > 0); // true
 * await server.close();
 * ```
 */
export async function serveWorkersEcho(options: EchoServerOptions = {}): Promise<EchoServer> {
  const resolved = resolveOptions({ ...options, model: "workers" });
  const emit = (e: EchoEvent) => options.onEvent?.(e);
  const probe = listenTcp(resolved, resolved.port, true);
  const addr = probe.addr as Deno.NetAddr;
  const shared = Counters.shared();
  const counters = new Counters(shared);
  const workers: Worker[] = [];
  const closedOne: Array<() => void> = [];
  const closedWaits: Promise<void>[] = [];

  const useFfi = ffiAllowed();
  const wakers: Waker[] = [];
  const control = new SharedArrayBuffer(CONTROL.size * 4);
  const flags = new Int32Array(control);
  const terminateAll = () => {
    for (const w of workers) w.terminate();
    for (const k of wakers) k.close();
  };

  try {
    const ready: Promise<void>[] = [];
    for (let index = 0; index < resolved.threads; index++) {
      const entry = useFfi ? "./_ffi_worker.ts" : "./_worker.ts";
      const worker = new Worker(new URL(entry, import.meta.url), { type: "module" });
      workers.push(worker);
      const started = deferred<void>();
      const closed = deferred<void>();
      closedOne.push(closed.resolve);
      closedWaits.push(closed.promise);
      ready.push(started.promise);
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        const msg = e.data;
        if (msg.type === "ready") started.resolve();
        else if (msg.type === "error") started.reject(rebuildError(msg.code, msg.message));
        else if (msg.type === "event") emit(msg.event);
        else if (msg.type === "closed") closed.resolve();
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        started.reject(new Error(`worker ${index}: ${e.message}`));
        emit({ type: "error", message: `worker ${index}: ${e.message}` });
        emit({ type: "worker-exit", worker: index, code: null, restarting: false });
        closed.resolve();
      };
      let start: WorkerStart | FfiWorkerStart;
      if (useFfi) {
        const waker = Waker.create();
        wakers.push(waker);
        start = {
          type: "start",
          options: resolved,
          host: addr.hostname,
          port: addr.port,
          index,
          counters: shared,
          wakeFd: waker.fd,
          control,
        };
      } else {
        start = { type: "start", options: resolved, port: addr.port, index, counters: shared };
      }
      worker.postMessage(start);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("workers did not start in time")), WORKER_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all(ready), timeout]);
    } finally {
      clearTimeout(timer);
    }
    await applyBacklog(addr.port, resolved.backlog);
  } catch (err) {
    terminateAll();
    throw err;
  } finally {
    // Connections queued on the probe would never be accepted: close it before anyone learns the port.
    probe.close();
  }

  const done = deferred<void>();
  let closing: Promise<EchoStats> | undefined;
  const close = (opts?: { graceMs?: number }): Promise<EchoStats> => {
    closing ??= (async () => {
      const graceMs = opts?.graceMs ?? resolved.graceMs;
      if (useFfi) {
        Atomics.store(flags, CONTROL.graceMs, Math.min(graceMs, 2 ** 31 - 1));
        Atomics.store(flags, CONTROL.stop, 1);
        for (const k of wakers) k.wake();
      } else {
        for (const w of workers) w.postMessage({ type: "close", graceMs });
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(closedWaits),
        new Promise<void>((r) => timer = setTimeout(r, graceMs + WORKER_TIMEOUT_MS)),
      ]);
      clearTimeout(timer);
      terminateAll();
      done.resolve();
      return counters.snapshot();
    })();
    return closing;
  };
  emit({ type: "listening", addr, model: "workers", transport: "tcp", workers: resolved.threads });
  return serverHandle({
    addr,
    model: "workers",
    transport: "tcp",
    closed: done.promise,
    stats: () => counters.snapshot(),
    close,
  });
}

/** Whether this process may call libc (then each worker serves its sockets through it). */
function ffiAllowed(): boolean {
  try {
    return Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  } catch {
    return false;
  }
}
