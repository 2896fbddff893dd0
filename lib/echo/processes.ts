/**
 * The processes model: N child processes of the same program, each listening with `reusePort` on the shared
 * port. Children are started through `Deno.execPath()`: under `deno run` that is deno running
 * `lib/echo/_child.ts`; in a compiled binary (`Deno.build.standalone`) it is the binary itself, started with
 * the {@link CHILD_ENV} variable set, which `cmd/serve.ts` checks before anything else.
 *
 * The parent restarts a child that dies, but gives up (and `closed` rejects) after {@link MAX_FAST_FAILURES}
 * children in a row died within {@link FAST_FAILURE_MS} of their start, so a child that always dies cannot
 * spin. Children report events and counters as JSON lines on their stdout; they stop on SIGTERM, which
 * `close()` sends, and on EOF of their stdin, so they do not outlive a parent that was killed.
 *
 * `maxConns` is enforced by each child on its own clients (processes share no memory).
 *
 * @module
 */
import { CHILD_ENV, encodeChildConfig, runEchoChild } from "./_child.ts";
import { deferred, rebuildError, type ResolvedOptions, resolveOptions, serverHandle } from "./_conn.ts";
import type { EchoEvent, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

export { CHILD_ENV, runEchoChild };

/** A child that dies sooner than this after its start counts as a fast failure. */
export const FAST_FAILURE_MS = 2000;
/** Fast failures in a row after which the parent gives up. */
export const MAX_FAST_FAILURES = 3;
/** How long children may take to start, or to exit beyond the grace period. */
const CHILD_TIMEOUT_MS = 20_000;

/** An {@link EchoServer} of the processes model, which can also list its children. */
export interface ProcessesEchoServer extends EchoServer {
  /** Process ids of the children running now. */
  pids(): number[];
}

type FromChild =
  | { type: "ready"; pid: number; hostname: string; port: number }
  | { type: "error"; code: string; message: string }
  | { type: "event"; event: EchoEvent }
  | { type: "stats"; stats: EchoStats }
  | { type: "closed"; stats: EchoStats };

const ZERO: EchoStats = { clients: 0, active: 0, rejected: 0, bytesIn: 0, bytesOut: 0 };

function addStats(a: EchoStats, b: EchoStats, withActive = true): EchoStats {
  return {
    clients: a.clients + b.clients,
    active: a.active + (withActive ? b.active : 0),
    rejected: a.rejected + b.rejected,
    bytesIn: a.bytesIn + b.bytesIn,
    bytesOut: a.bytesOut + b.bytesOut,
  };
}

function childCommand(): { cmd: string; args: string[] } {
  if (Deno.build.standalone) return { cmd: Deno.execPath(), args: [] };
  const url = new URL("./_child.ts", import.meta.url);
  const entry = url.protocol === "file:" ? decodeURIComponent(url.pathname) : url.href;
  return {
    cmd: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      "--unstable-net",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-ffi",
      entry,
    ],
  };
}

/** One child slot: the process running in it now, and the totals of the ones before it. */
class Slot {
  child: Deno.ChildProcess | undefined;
  pid: number | undefined;
  startedAt = 0;
  base: EchoStats = ZERO;
  current: EchoStats = ZERO;
  ready = deferred<Deno.NetAddr>();
  exited: Promise<void> = Promise.resolve();

  constructor(readonly index: number) {}
}

/**
 * Starts an echo server on `threads` child processes sharing one port. The program needs `--allow-run`.
 *
 * @param options server options (`model` is ignored); `threads` defaults to the CPU count
 * @returns the running server, once every child listens
 * @throws {RangeError} or {TypeError} for a bad option, `Deno.errors.AddrInUse` when the port is taken
 * @example
 * ```ts
 * import { serveProcessesEcho } from "./processes.ts";
 * const server = await serveProcessesEcho({ hostname: "127.0.0.1", port: 0, threads: 1 });
 * console.log(server.pids().length); // 1
 * await server.close();
 * ```
 */
export async function serveProcessesEcho(options: EchoServerOptions = {}): Promise<ProcessesEchoServer> {
  const resolved = resolveOptions({ ...options, model: "processes" });
  const emit = (e: EchoEvent) => options.onEvent?.(e);
  // With port 0 the first child learns the port and the others join it. A taken port or a bad address
  // comes back from the child as its error, rebuilt here (AddrInUse stays AddrInUse).
  let port = resolved.port;
  const { cmd, args } = childCommand();
  const slots = Array.from({ length: resolved.threads }, (_, i) => new Slot(i));
  const done = deferred<void>();
  done.promise.catch(() => {}); // a give-up rejects `closed`; callers that never await it must not crash
  let stopping = false;
  let fastFailures = 0;
  let failure: Error | undefined;
  let started = false;
  let closing: Promise<EchoStats> | undefined;

  const spawn = (slot: Slot, opts: ResolvedOptions) => {
    const child = new Deno.Command(cmd, {
      args,
      env: { [CHILD_ENV]: encodeChildConfig(opts, port, slot.index) },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      // Own process group: a terminal's Ctrl-C reaches only the parent, which forwards SIGTERM itself
      // (otherwise a child could stop first and be restarted by a parent that is about to stop too).
      detached: true,
    }).spawn();
    slot.child = child;
    slot.pid = child.pid;
    slot.startedAt = performance.now();
    slot.current = ZERO;
    const ready = slot.ready;
    const reader = (async () => {
      let pending = "";
      const decoder = new TextDecoder();
      for await (const chunk of child.stdout) {
        pending += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          let msg: FromChild;
          try {
            msg = JSON.parse(line);
          } catch {
            continue; // not ours: a stray print
          }
          if (msg.type === "ready") {
            emit({ type: "worker-start", worker: slot.index, pid: msg.pid });
            ready.resolve({ transport: "tcp", hostname: msg.hostname, port: msg.port });
          } else if (msg.type === "error") ready.reject(rebuildError(msg.code, msg.message));
          else if (msg.type === "event") emit(msg.event);
          else if (msg.type === "stats" || msg.type === "closed") slot.current = msg.stats;
        }
      }
    })();
    slot.exited = (async () => {
      const status = await child.status;
      await reader;
      try {
        await child.stdin.close();
      } catch { /* the pipe is gone with the child */ }
      ready.reject(new Error(`child ${slot.index} exited with code ${status.code} before it was ready`));
      slot.base = addStats(slot.base, slot.current, false);
      slot.current = ZERO;
      slot.child = undefined;
      slot.pid = undefined;
      const lived = performance.now() - slot.startedAt;
      // A child that dies before the server started fails serveProcessesEcho (with the child's own error,
      // e.g. AddrInUse): it is neither restarted nor reported as an exit event.
      if (!started) return;
      const restarting = !stopping;
      emit({ type: "worker-exit", worker: slot.index, code: status.signal ? null : status.code, restarting });
      if (!restarting) return;
      fastFailures = lived < FAST_FAILURE_MS ? fastFailures + 1 : 0;
      if (fastFailures >= MAX_FAST_FAILURES) {
        const message =
          `children died ${fastFailures} times in a row within ${FAST_FAILURE_MS} ms of starting; giving up`;
        emit({ type: "error", message });
        failure = new Error(message);
        void close();
        return;
      }
      slot.ready = deferred<Deno.NetAddr>();
      slot.ready.promise.catch(() => {});
      spawn(slot, opts);
    })();
  };

  const stopAll = async (graceMs: number) => {
    stopping = true;
    for (const slot of slots) {
      try {
        slot.child?.kill("SIGTERM");
      } catch { /* already gone */ }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const all = Promise.all(slots.map((s) => s.exited));
    const late = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => timer = setTimeout(() => r(true), graceMs + CHILD_TIMEOUT_MS)),
    ]);
    clearTimeout(timer);
    if (late) {
      for (const slot of slots) {
        try {
          slot.child?.kill("SIGKILL");
        } catch { /* already gone */ }
      }
      await all;
    }
  };

  const stats = () => slots.reduce((acc, s) => addStats(addStats(acc, s.base), s.current), ZERO);

  const close = (opts?: { graceMs?: number }): Promise<EchoStats> => {
    closing ??= stopAll(opts?.graceMs ?? resolved.graceMs).then(() => {
      if (failure) done.reject(failure);
      else done.resolve();
      return stats();
    });
    return closing;
  };

  let addr: Deno.NetAddr;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("child processes did not start in time")), CHILD_TIMEOUT_MS);
    });
    for (const slot of slots) slot.ready.promise.catch(() => {});
    const startAll = (from: number) => {
      for (const slot of slots.slice(from)) spawn(slot, resolved);
      return Promise.race([Promise.all(slots.slice(from).map((s) => s.ready.promise)), timeout]);
    };
    if (port === 0) {
      // The first child learns the port; the others join it.
      spawn(slots[0], resolved);
      addr = await Promise.race([slots[0].ready.promise, timeout]);
      port = addr.port;
      await startAll(1);
    } else {
      [addr] = await startAll(0);
    }
  } catch (err) {
    await stopAll(0);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  started = true;

  emit({ type: "listening", addr, model: "processes", transport: "tcp", workers: resolved.threads });
  return {
    ...serverHandle({ addr, model: "processes", transport: "tcp", closed: done.promise, stats, close }),
    pids: () => slots.flatMap((s) => s.pid === undefined ? [] : [s.pid]),
  };
}
