/**
 * The async model: one listener, Deno's event loop multiplexes every client. Each client costs one promise
 * chain and one 64 KiB buffer.
 *
 * @module
 */
import {
  Counters,
  deferred,
  listenTcp,
  type ResolvedOptions,
  resolveOptions,
  serverHandle,
  TcpService,
} from "./_conn.ts";
import type { EchoEvent, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

/**
 * Starts an echo server that serves every client concurrently on Deno's event loop.
 *
 * @param options server options (`model` is ignored: this is the async model)
 * @returns the running server
 * @throws {RangeError} or {TypeError} for a bad option, `Deno.errors.AddrInUse` when the port is taken
 * @example
 * ```ts
 * import { serveAsyncEcho } from "./async.ts";
 * await using server = await serveAsyncEcho({ hostname: "127.0.0.1", port: 0 });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
 * await conn.write(new TextEncoder().encode("hi"));
 * const buf = new Uint8Array(2);
 * await conn.read(buf);
 * conn.close();
 * console.log(new TextDecoder().decode(buf)); // "hi"
 * ```
 */
export async function serveAsyncEcho(options: EchoServerOptions = {}): Promise<EchoServer> {
  const resolved = resolveOptions({ ...options, model: "async" });
  return await serveSingle(resolved, options.onEvent, false);
}

/**
 * Internal (used by the other models; not for mod.ts). Sets the listen backlog when asked. `Deno.listen` has
 * no backlog option; Linux lets `listen()` be called again on a listening socket, which `setListenBacklog`
 * does through FFI (needs `--allow-ffi --allow-read`). It lives here, not in `_conn.ts`, to keep `ffi/` out of
 * the worker's module graph.
 *
 * @param port the listening port
 * @param backlog the backlog, or undefined to leave the default
 */
export async function applyBacklog(port: number, backlog: number | undefined): Promise<void> {
  if (backlog === undefined) return;
  const { setListenBacklog } = await import("../../ffi/socket.ts");
  setListenBacklog(port, backlog);
}

/**
 * Internal (used by the sequential model; not for mod.ts). An {@link EchoServer} over one listener
 * in this thread: the async and sequential models.
 *
 * @param options resolved options
 * @param onEvent the user's event callback
 * @param sequential one client at a time
 */
export async function serveSingle(
  options: ResolvedOptions,
  onEvent: ((e: EchoEvent) => void) | undefined,
  sequential: boolean,
): Promise<EchoServer> {
  const listener = listenTcp(options, options.port);
  const addr = listener.addr as Deno.NetAddr;
  try {
    await applyBacklog(addr.port, options.backlog);
  } catch (err) {
    listener.close();
    throw err;
  }
  const counters = new Counters();
  const emit = (e: EchoEvent) => onEvent?.(e);
  const service = new TcpService(listener, { options, counters, emit, sequential });
  const done = deferred<void>();
  let closing: Promise<EchoStats> | undefined;
  const close = (opts?: { graceMs?: number }): Promise<EchoStats> => {
    closing ??= service.close(opts?.graceMs ?? options.graceMs).then(() => {
      done.resolve();
      return counters.snapshot();
    });
    return closing;
  };
  emit({ type: "listening", addr, model: options.model, transport: "tcp" });
  return serverHandle({
    addr,
    model: options.model,
    transport: "tcp",
    closed: done.promise,
    stats: () => counters.snapshot(),
    close,
  });
}
