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
 * With port 0 the first worker binds port 0 and reports the port the kernel gave it; the others then join
 * that port. There is no probe listener in the parent: a listener closed while any thread of the process
 * forks a child stays open (and accepting) in that child until it execs, so connections made right after
 * the server started could land on the closed probe and be reset. Counters are one `SharedArrayBuffer`
 * updated with `Atomics`, so `stats()` and the `maxConns` limit are exact across workers.
 *
 * @module
 */
import { Counters, deferred, rebuildError, resolveOptions, serverHandle } from "./_conn.ts";
import { parseIpv4Address, parseIpv6Address } from "../wire/address.ts";
import { applyBacklog } from "./async.ts";
import type { WorkerStart } from "./_worker.ts";
import { CONTROL, type FfiWorkerStart } from "./_ffi_control.ts";
import { Waker } from "../../ffi/waker.ts";
import type { EchoEvent, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

/** How long a worker may take to start or to report that it closed, beyond the grace period. */
const WORKER_TIMEOUT_MS = 10_000;

type FromWorker =
  | { type: "ready"; hostname: string; port: number }
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
  const shared = Counters.shared();
  const counters = new Counters(shared);
  const workers: Worker[] = [];
  const closedWaits: Promise<void>[] = [];

  const useFfi = ffiAllowed();
  // libc wants an address literal: a name ("localhost") is resolved once, the way Deno.listen resolves it.
  const host = useFfi ? literalHost(resolved.hostname) : resolved.hostname;
  const wakers: Waker[] = [];
  const control = new SharedArrayBuffer(CONTROL.size * 4);
  const flags = new Int32Array(control);
  const terminateAll = () => {
    for (const w of workers) w.terminate();
    for (const k of wakers) k.close();
  };

  /** Starts worker `index` on `port`; resolves with the address it listens on. */
  const startWorker = (index: number, port: number): Promise<Deno.NetAddr> => {
    const entry = useFfi ? "./_ffi_worker.ts" : "./_worker.ts";
    const worker = new Worker(new URL(entry, import.meta.url), { type: "module" });
    workers.push(worker);
    const started = deferred<Deno.NetAddr>();
    const closed = deferred<void>();
    closedWaits.push(closed.promise);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === "ready") started.resolve({ transport: "tcp", hostname: msg.hostname, port: msg.port });
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
        host,
        port,
        index,
        counters: shared,
        wakeFd: waker.fd,
        control,
      };
    } else {
      start = { type: "start", options: resolved, port, index, counters: shared };
    }
    worker.postMessage(start);
    return started.promise;
  };

  let addr: Deno.NetAddr;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("workers did not start in time")), WORKER_TIMEOUT_MS);
    });
    const all = Array.from({ length: resolved.threads }, (_, i) => i);
    if (resolved.port === 0) {
      // The first worker learns the port; the others join it.
      addr = await Promise.race([startWorker(0, 0), timeout]);
      await Promise.race([Promise.all(all.slice(1).map((i) => startWorker(i, addr.port))), timeout]);
    } else {
      [addr] = await Promise.race([Promise.all(all.map((i) => startWorker(i, resolved.port))), timeout]);
    }
    await applyBacklog(addr.port, resolved.backlog);
  } catch (err) {
    terminateAll();
    throw err;
  } finally {
    clearTimeout(timer);
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

/**
 * `hostname` as an address literal libc can bind: itself when it is one, else what `Deno.listen` resolves it
 * to (a throwaway listener on an ephemeral port, closed at once).
 */
function literalHost(hostname: string): string {
  try {
    if (hostname.includes(":")) parseIpv6Address(hostname);
    else parseIpv4Address(hostname);
    return hostname;
  } catch {
    const l = Deno.listen({ transport: "tcp", hostname, port: 0 });
    try {
      return (l.addr as Deno.NetAddr).hostname;
    } finally {
      l.close();
    }
  }
}
