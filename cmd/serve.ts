/**
 * `deno task serve`: the echo server. See `--help`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CHILD_ENV, runEchoChild } from "../lib/echo/processes.ts";
import { serveEcho } from "../lib/echo/serve.ts";
import { formatEvent, formatSummary, LOG_FORMATS, type LogFormat } from "../lib/echo/log.ts";
import { ECHO_MODELS, type EchoModel, type EchoServer } from "../lib/echo/types.ts";

const USAGE = `usage: serve [--host H] [--port P] [--model ${ECHO_MODELS.join("|")}] [--udp] [--threads N]
  [--banner TEXT] [--max-conns N] [--idle-timeout S] [--backlog N] [--grace S] [--quiet] [--log-format text|json]`;

const str = { type: "string" } as const, bool = { type: "boolean" } as const;
// deno-fmt-ignore
const FLAGS = {
  host: str, port: str, model: str, udp: bool, threads: str, banner: str, "max-conns": str, "idle-timeout": str,
  backlog: str, grace: str, quiet: bool, "log-format": str, help: { type: "boolean", short: "h" },
} as const;

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

class Usage extends Error {}

function num(flag: string, raw: string | undefined, seconds = false): number | undefined {
  if (raw === undefined) return undefined;
  if (!(seconds ? /^\d+(\.\d+)?$/ : /^\d+$/).test(raw)) {
    throw new Usage(`--${flag} expects a number, got "${raw}"`);
  }
  return seconds ? Math.round(Number(raw) * 1000) : Number(raw);
}

function runtimeMessage(err: unknown, host: string, port: number): string {
  if (err instanceof Deno.errors.AddrInUse) return `port ${port} is already in use`;
  if (err instanceof Deno.errors.PermissionDenied) return `port ${port} needs root or CAP_NET_BIND_SERVICE`;
  if (err instanceof Deno.errors.AddrNotAvailable) return `cannot bind ${host}: address not available here`;
  return (err as Error).message.split("\n")[0];
}

/** Runs the server until SIGINT/SIGTERM; returns the exit code (0 ok, 1 runtime error, 2 usage). */
export async function main(args: string[]): Promise<number> {
  if (Deno.permissions.querySync({ name: "env", variable: CHILD_ENV }).state === "granted") {
    if (Deno.env.get(CHILD_ENV) !== undefined) return await runEchoChild(); // a child of the processes model
  }
  const fail = (code: number, msg: string) => (console.error(`serve: ${msg}`), code);
  let server: EchoServer;
  let host = "0.0.0.0", port = 8000, format: LogFormat = "text", quiet = false;
  try {
    const { values: v } = parseArgs({ args, strict: true, options: FLAGS });
    if (v.help) return (console.log(USAGE), 0);
    format = (v["log-format"] ?? "text") as LogFormat;
    if (!LOG_FORMATS.includes(format)) {
      throw new Usage(`unknown log format "${format}" (expected text or json)`);
    }
    quiet = v.quiet ?? false;
    host = v.host ?? host;
    port = num("port", v.port) ?? port;
    server = await serveEcho({
      hostname: host,
      port,
      model: v.model as EchoModel | undefined,
      transport: v.udp ? "udp" : "tcp",
      threads: num("threads", v.threads),
      banner: v.banner,
      maxConns: num("max-conns", v["max-conns"]),
      idleTimeoutMs: num("idle-timeout", v["idle-timeout"], true),
      backlog: num("backlog", v.backlog),
      graceMs: num("grace", v.grace, true),
      onEvent: (e) => {
        if (!quiet || e.type === "error") console.error(formatEvent(e, format));
      },
    });
  } catch (err) {
    if (err instanceof Usage || err instanceof TypeError || err instanceof RangeError) {
      return fail(2, `${(err as Error).message.split(/\.\s|\n/)[0]} (see --help)`);
    }
    return fail(1, runtimeMessage(err, host, port));
  }
  const stop = () => void server.close();
  for (const sig of SIGNALS) Deno.addSignalListener(sig, stop);
  let code = 0;
  try {
    await server.closed;
  } catch (err) {
    code = fail(1, (err as Error).message);
  } finally {
    for (const sig of SIGNALS) Deno.removeSignalListener(sig, stop);
  }
  console.error(formatSummary(await server.close(), format));
  return code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
