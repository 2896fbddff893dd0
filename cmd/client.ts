/**
 * `client`: an nc-like echo client (`client HOST PORT`) and load generator (`client bench HOST PORT`).
 * Run `client --help` for the flags. Exit 0 ok, 1 runtime failure or a mismatched echo byte, 2 bad usage.
 *
 * @module
 */
import { CLIENT_USAGE, EchoClientError, parseClientCommand, pipe } from "../lib/echo/client.ts";
import { formatEchoBenchReport, runEchoBench } from "../lib/echo/bench.ts";

/** The streams the client talks through; tests inject their own. */
export interface ClientIo {
  stdin: ReadableStream<Uint8Array>;
  stdout: WritableStream<Uint8Array>;
  stderr: WritableStream<Uint8Array>;
  /** Whether stderr is a terminal (live progress line in bench mode). */
  stderrIsTerminal?: boolean;
}

async function say(stream: WritableStream<Uint8Array>, text: string): Promise<void> {
  const w = stream.getWriter();
  try {
    await w.write(new TextEncoder().encode(text));
  } finally {
    w.releaseLock();
  }
}

/**
 * Runs the client.
 *
 * @param args command-line arguments
 * @param io the streams to use; default the process's stdin, stdout and stderr
 * @returns the exit code
 */
export async function main(args: string[], io?: ClientIo): Promise<number> {
  const { stdin, stdout, stderr, stderrIsTerminal } = io ?? {
    stdin: Deno.stdin.readable,
    stdout: Deno.stdout.writable,
    stderr: Deno.stderr.writable,
    stderrIsTerminal: Deno.stderr.isTerminal(),
  };
  try {
    const cmd = parseClientCommand(args);
    if (cmd.kind === "help") {
      await say(stdout, CLIENT_USAGE + "\n");
      return 0;
    }
    if (cmd.kind === "pipe") {
      const input = cmd.send ? ReadableStream.from([cmd.send]) : stdin;
      await pipe({ ...cmd.options, stdin: input, stdout });
      return 0;
    }
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    Deno.addSignalListener("SIGINT", onSigint);
    let hint: string | undefined;
    try {
      const report = await runEchoBench({
        ...cmd.options,
        signal: stop.signal,
        onError: (m) => hint ??= m,
        onProgress: stderrIsTerminal
          ? (p) =>
            void say(stderr, `\r\x1b[K${p.elapsedSec.toFixed(1)} s  ${p.messages} msgs  ${p.bytes} B`).catch(
              () => {},
            )
          : undefined,
      });
      if (stderrIsTerminal) await say(stderr, "\r\x1b[K");
      await say(stdout, (cmd.json ? JSON.stringify(report) : formatEchoBenchReport(report)) + "\n");
      if (report.errors.mismatch > 0) {
        await say(
          stderr,
          `client: ${report.errors.mismatch} echoed message(s) did not match what was sent\n`,
        );
        return 1;
      }
      if (report.messages === 0) {
        await say(stderr, `client: no message was echoed${hint ? ` (${hint})` : ""}\n`);
        return 1;
      }
      return 0;
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await say(stderr, `client: ${message}\n`).catch(() => {});
    return e instanceof EchoClientError && e.code === "EUSAGE" ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
