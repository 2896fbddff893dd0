/**
 * The sequential model: one client at a time. The accept loop awaits the current client before calling
 * `accept()` again, so the next client completes its handshake in the kernel and waits in the listen backlog,
 * not accepted, until the current one leaves. Its bytes wait in the kernel's receive buffer meanwhile.
 *
 * @module
 */
import { resolveOptions } from "./_conn.ts";
import { serveSingle } from "./async.ts";
import type { EchoServer, EchoServerOptions } from "./types.ts";

/**
 * Starts an echo server that serves one client at a time.
 *
 * @param options server options (`model` is ignored: this is the sequential model)
 * @returns the running server
 * @throws {RangeError} or {TypeError} for a bad option, `Deno.errors.AddrInUse` when the port is taken
 * @example
 * ```ts
 * import { serveSequentialEcho } from "./sequential.ts";
 * const server = await serveSequentialEcho({ hostname: "127.0.0.1", port: 0 });
 * console.log(server.addr.port > 0); // true
 * await server.close();
 * ```
 */
export async function serveSequentialEcho(options: EchoServerOptions = {}): Promise<EchoServer> {
  const resolved = resolveOptions({ ...options, model: "sequential" });
  return await serveSingle(resolved, options.onEvent, true);
}
