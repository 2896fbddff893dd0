/**
 * Child side of the processes model. The parent passes the options in the {@link CHILD_ENV} environment
 * variable; the child listens with `reusePort` on the shared port, serves with the async loop and reports on
 * stdout, one JSON object per line:
 * `{type:"ready", pid, hostname, port}` (the address it listens on: with port 0, the kernel's pick), `{type:"error", code, message}`, `{type:"event", event}`, `{type:"stats", stats}`,
 * `{type:"closed", stats}`.
 *
 * It stops gracefully on SIGINT or SIGTERM, and also when its stdin reaches EOF: the parent holds the other end,
 * so a parent that died (even by SIGKILL) takes its children with it.
 *
 * Under `deno run` this file is the child's entry; in a compiled binary `cmd/serve.ts` calls
 * {@link runEchoChild} when the variable is set.
 *
 * @module
 */
import { Counters, deferred, listenTcp, type ResolvedOptions, TcpService } from "./_conn.ts";
import { applyBacklog } from "./async.ts";
import type { EchoEvent, EchoStats } from "./types.ts";

/** The environment variable that carries a child's configuration and marks a process as a child. */
export const CHILD_ENV = "NETKIT_ECHO_CHILD";

/** How often a child reports its counters when they changed. */
const STATS_INTERVAL_MS = 200;

/** What the parent puts in {@link CHILD_ENV}: options with the banner as base64 and no Infinity. */
export interface ChildConfig {
  options: Omit<ResolvedOptions, "banner" | "maxConns"> & { banner?: string; maxConns: number | null };
  port: number;
  index: number;
}

/** Encodes a child's configuration for {@link CHILD_ENV}. */
export function encodeChildConfig(options: ResolvedOptions, port: number, index: number): string {
  const { banner, maxConns, ...rest } = options;
  const config: ChildConfig = {
    options: {
      ...rest,
      banner: banner ? btoa(String.fromCharCode(...banner)) : undefined,
      maxConns: Number.isFinite(maxConns) ? maxConns : null,
    },
    port,
    index,
  };
  return JSON.stringify(config);
}

function decodeChildConfig(raw: string): { options: ResolvedOptions; port: number; index: number } {
  const config = JSON.parse(raw) as ChildConfig;
  const { banner, maxConns, ...rest } = config.options;
  return {
    options: {
      ...rest,
      banner: banner === undefined ? undefined : Uint8Array.from(atob(banner), (c) => c.charCodeAt(0)),
      maxConns: maxConns ?? Infinity,
    },
    port: config.port,
    index: config.index,
  };
}

const encoder = new TextEncoder();

function send(message: unknown): void {
  const bytes = encoder.encode(JSON.stringify(message) + "\n");
  let off = 0;
  while (off < bytes.byteLength) off += Deno.stdout.writeSync(bytes.subarray(off));
}

function sameStats(a: EchoStats, b: EchoStats): boolean {
  return a.clients === b.clients && a.active === b.active && a.rejected === b.rejected &&
    a.bytesIn === b.bytesIn && a.bytesOut === b.bytesOut;
}

/**
 * Runs this process as an echo child: reads {@link CHILD_ENV}, serves until a signal or stdin EOF.
 *
 * @returns the exit code: 0 after a graceful stop, 1 when it could not listen, 2 for a bad configuration
 */
export async function runEchoChild(): Promise<number> {
  let config: ReturnType<typeof decodeChildConfig>;
  try {
    config = decodeChildConfig(Deno.env.get(CHILD_ENV) ?? "");
  } catch (err) {
    send({ type: "error", code: "TypeError", message: `bad ${CHILD_ENV}: ${(err as Error).message}` });
    return 2;
  }
  const { options, port, index } = config;
  const counters = new Counters();
  let service: TcpService;
  let bound: Deno.NetAddr;
  try {
    const listener = listenTcp(options, port, true);
    bound = listener.addr as Deno.NetAddr;
    try {
      await applyBacklog(bound.port, options.backlog);
    } catch (err) {
      listener.close();
      throw err;
    }
    service = new TcpService(listener, {
      options,
      counters,
      emit: (event: EchoEvent) => send({ type: "event", event }),
      worker: index,
    });
  } catch (err) {
    send({ type: "error", code: (err as Error).name, message: (err as Error).message });
    return 1;
  }

  const stop = deferred<void>();
  const onSignal = () => stop.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  (async () => {
    const buf = new Uint8Array(64);
    try {
      while (await Deno.stdin.read(buf) !== null) { /* the parent sends nothing; wait for EOF */ }
    } catch { /* stdin gone */ }
    stop.resolve();
  })();
  let last = counters.snapshot();
  const ticker = setInterval(() => {
    const now = counters.snapshot();
    if (!sameStats(now, last)) send({ type: "stats", stats: now });
    last = now;
  }, STATS_INTERVAL_MS);

  send({ type: "ready", pid: Deno.pid, hostname: bound.hostname, port: bound.port });
  await stop.promise;
  await service.close(options.graceMs);
  clearInterval(ticker);
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  send({ type: "closed", stats: counters.snapshot() });
  return 0;
}

if (import.meta.main) Deno.exit(await runEchoChild());
