/**
 * Formats {@link EchoEvent}s and the final {@link EchoStats} as log lines: readable text or one JSON object
 * per line. Pure: `cmd/serve.ts` does the printing.
 *
 * @module
 */
import type { EchoEvent, EchoStats } from "./types.ts";

/** `"text"` for people, `"json"` for one JSON object per line. */
export type LogFormat = "text" | "json";

/** The log formats, for flag checking. */
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

/**
 * `host:port`, with brackets around an IPv6 host.
 *
 * @param addr a network address
 * @returns e.g. `127.0.0.1:8000` or `[::1]:8000`
 * @example
 * ```ts
 * import { formatAddr } from "./log.ts";
 * console.log(formatAddr({ transport: "tcp", hostname: "::1", port: 80 })); // "[::1]:80"
 * ```
 */
export function formatAddr(addr: Deno.NetAddr): string {
  return addr.hostname.includes(":") ? `[${addr.hostname}]:${addr.port}` : `${addr.hostname}:${addr.port}`;
}

function who(worker: number | undefined): string {
  return worker === undefined ? "" : ` [worker ${worker}]`;
}

function text(event: EchoEvent): string {
  switch (event.type) {
    case "listening":
      return `listening on ${formatAddr(event.addr)} (model ${event.model}, ${event.transport}` +
        `${event.workers === undefined ? "" : `, ${event.workers} workers`})`;
    case "connect":
      return `connect ${formatAddr(event.remote)} #${event.id}${who(event.worker)}`;
    case "disconnect":
      return `disconnect ${formatAddr(event.remote)} #${event.id}${who(event.worker)}: ` +
        `${event.bytesIn} bytes in, ${event.bytesOut} bytes out, ${event.durationMs} ms, ${event.reason}`;
    case "rejected":
      return `rejected ${formatAddr(event.remote)}${who(event.worker)}: over max-conns`;
    case "worker-start":
      return `worker ${event.worker} started${event.pid === undefined ? "" : ` (pid ${event.pid})`}`;
    case "worker-exit":
      return `worker ${event.worker} exited (${event.code === null ? "signal" : `code ${event.code}`})` +
        (event.restarting ? ", restarting" : "");
    case "error":
      return `error: ${event.message}`;
  }
}

/**
 * One log line for an event, without the newline.
 *
 * @param event what happened
 * @param format text or JSON
 * @param now the timestamp put in JSON lines
 * @returns the line
 * @example
 * ```ts
 * import { formatEvent } from "./log.ts";
 * const remote = { transport: "tcp" as const, hostname: "127.0.0.1", port: 5000 };
 * console.log(formatEvent({ type: "connect", remote, id: 1 }, "text")); // "connect 127.0.0.1:5000 #1"
 * console.log(JSON.parse(formatEvent({ type: "connect", remote, id: 1 }, "json")).type); // "connect"
 * ```
 */
export function formatEvent(event: EchoEvent, format: LogFormat, now: Date = new Date()): string {
  return format === "json" ? JSON.stringify({ time: now.toISOString(), ...event }) : text(event);
}

/**
 * The summary line printed when the server stops.
 *
 * @param stats the final counters
 * @param format text or JSON
 * @param now the timestamp put in JSON lines
 * @returns the line
 * @example
 * ```ts
 * import { formatSummary } from "./log.ts";
 * const line = formatSummary({ clients: 2, active: 0, rejected: 1, bytesIn: 10, bytesOut: 12 }, "text");
 * console.log(line); // "summary: 2 clients, 1 rejected, 10 bytes in, 12 bytes out"
 * ```
 */
export function formatSummary(stats: EchoStats, format: LogFormat, now: Date = new Date()): string {
  if (format === "json") return JSON.stringify({ time: now.toISOString(), type: "summary", ...stats });
  return `summary: ${stats.clients} clients, ${stats.rejected} rejected, ${stats.bytesIn} bytes in, ` +
    `${stats.bytesOut} bytes out`;
}
