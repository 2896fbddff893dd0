/**
 * Echo servers and clients: one {@link EchoServer} interface served four classic ways (one client at a time,
 * an async event loop, Web Workers, child processes) over TCP, plus UDP; an nc-like client; and a load
 * generator that verifies every echoed byte.
 *
 * @example
 * ```ts
 * import { echoOnce, serveEcho } from "./mod.ts";
 * await using server = await serveEcho({ hostname: "127.0.0.1", port: 0 });
 * const echoed = await echoOnce("127.0.0.1", server.addr.port, new TextEncoder().encode("hi"));
 * console.log(new TextDecoder().decode(echoed)); // "hi"
 * ```
 *
 * @module
 */
export type { EchoEvent, EchoModel, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";
export { ECHO_MODELS } from "./types.ts";
export { serveEcho } from "./serve.ts";
export { serveAsyncEcho } from "./async.ts";
export { serveSequentialEcho } from "./sequential.ts";
export { serveWorkersEcho } from "./workers.ts";
export { CHILD_ENV, type ProcessesEchoServer, runEchoChild, serveProcessesEcho } from "./processes.ts";
export { serveUdpEcho } from "./udp.ts";
export {
  formatAddr,
  formatEvent,
  formatSummary as formatEchoSummary,
  LOG_FORMATS,
  type LogFormat,
} from "./log.ts";
export {
  CLIENT_USAGE,
  type ClientCommand,
  EchoClientError,
  type EchoClientErrorCode,
  echoOnce,
  EOF_MODES,
  type EofMode,
  parseClientCommand,
  parsePort,
  pipe,
  type PipeOptions,
  type PipeResult,
} from "./client.ts";
export {
  type EchoBenchErrors,
  type EchoBenchOptions,
  type EchoBenchProgress,
  type EchoBenchReport,
  formatEchoBenchReport,
  type LatencySummary,
  runEchoBench,
} from "./bench.ts";
