/**
 * `serveEcho(options)`: one entry point for every echo server model and transport.
 *
 * @module
 */
import { resolveOptions } from "./_conn.ts";
import { serveAsyncEcho } from "./async.ts";
import { serveProcessesEcho } from "./processes.ts";
import { serveSequentialEcho } from "./sequential.ts";
import { serveUdpEcho } from "./udp.ts";
import { serveWorkersEcho } from "./workers.ts";
import type { EchoServer, EchoServerOptions } from "./types.ts";

/**
 * Starts an echo server of the requested model (default async) and transport (default TCP).
 *
 * TCP clients get `banner` first, then every byte they send back, read only after the previous write
 * completed (one 64 KiB buffer per client). UDP datagrams go back to their sender. The workers model needs
 * `--unstable-net`, the processes model `--allow-run`, UDP `--unstable-net`, `backlog` `--allow-ffi`.
 *
 * @param options the server's options; see {@link EchoServerOptions}
 * @returns the running server: `addr`, `stats()`, `close()`, `closed`
 * @throws {TypeError} for an unknown model, or UDP with workers/processes (Deno has no UDP reusePort)
 * @throws {RangeError} for a bad port, limit or duration
 * @throws {Deno.errors.AddrInUse} when the port is taken; `Deno.errors.PermissionDenied` for a privileged port
 * @example
 * ```ts
 * import { serveEcho } from "./serve.ts";
 * await using server = await serveEcho({ hostname: "127.0.0.1", port: 0, banner: "hello\n" });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
 * const buf = new Uint8Array(6);
 * let got = 0;
 * while (got < buf.length) got += (await conn.read(buf.subarray(got))) ?? buf.length;
 * conn.close();
 * console.log(new TextDecoder().decode(buf)); // "hello\n"
 * ```
 */
export async function serveEcho(options: EchoServerOptions = {}): Promise<EchoServer> {
  const resolved = resolveOptions(options);
  if (resolved.transport === "udp") return await serveUdpEcho(options);
  switch (resolved.model) {
    case "sequential":
      return await serveSequentialEcho(options);
    case "workers":
      return await serveWorkersEcho(options);
    case "processes":
      return await serveProcessesEcho(options);
    default:
      return await serveAsyncEcho(options);
  }
}
