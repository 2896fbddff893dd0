/**
 * `deno task sniffer` / `./sniffer`: a tcpdump-compatible packet sniffer. See `--help`.
 *
 * @module
 */
import {
  describeSnifferError,
  explainSnifferFilter,
  formatInterfaceList,
  formatStats,
  parseSnifferArgs,
  Sniffer,
  SNIFFER_USAGE,
} from "../lib/capture/sniffer.ts";
import { listInterfaces } from "../ffi/interfaces.ts";

/** Where the command's I/O goes; tests pass their own. */
export interface SnifferIo {
  stdout: (chunk: Uint8Array) => void;
  stderr: (line: string) => void;
  stdin: () => ReadableStream<Uint8Array>;
  /** Stops a run like SIGINT does. */
  signal?: AbortSignal;
}

const writeAll = (f: { writeSync(b: Uint8Array): number }) => (b: Uint8Array) => {
  for (let o = 0; o < b.length;) o += f.writeSync(b.subarray(o));
};
const STD: SnifferIo = {
  stdout: writeAll(Deno.stdout),
  stderr: (l) => writeAll(Deno.stderr)(new TextEncoder().encode(l + "\n")),
  stdin: () => Deno.stdin.readable,
};

/** Runs the sniffer; returns the exit code (0 ok, 1 runtime error, 2 usage). */
export async function main(args: string[], io: SnifferIo = STD): Promise<number> {
  const stop = new AbortController();
  const onStop = () => stop.abort();
  io.signal?.addEventListener("abort", onStop, { once: true });
  let sniffer: Sniffer | undefined;
  const onUsr1 = () => sniffer && io.stderr(formatStats(sniffer.stats()));
  const signals = [["SIGINT", onStop], ["SIGTERM", onStop], ["SIGUSR1", onUsr1]] as const;
  for (const [s, f] of signals) Deno.addSignalListener(s, f);
  let readPath: string | undefined;
  try {
    const cmd = parseSnifferArgs(args);
    if (cmd.kind === "help") return (io.stdout(new TextEncoder().encode(SNIFFER_USAGE + "\n")), 0);
    if (cmd.kind === "list") {
      return (io.stdout(new TextEncoder().encode(formatInterfaceList(listInterfaces()) + "\n")), 0);
    }
    readPath = cmd.readPath;
    const wp = cmd.writePath;
    const read = readPath === undefined ? undefined : {
      name: readPath,
      source: readPath === "-" ? io.stdin() : (await Deno.open(readPath)).readable,
    };
    if (cmd.explain) {
      const target = read
        ? { file: read.name, source: read.source }
        : { interface: cmd.options.interface ?? "any", interfaces: listInterfaces() };
      const text = await explainSnifferFilter(cmd.options.filter ?? "", target, cmd.options.snaplen);
      return (io.stdout(new TextEncoder().encode(text + "\n")), 0);
    }
    const write = wp === undefined ? undefined : {
      format: cmd.writeFormat!,
      packetBuffered: cmd.packetBuffered,
      open() {
        if (wp === "-") return { write: io.stdout, close() {} };
        const f = Deno.openSync(wp, { write: true, create: true, truncate: true });
        return { write: writeAll(f), close: () => f.close() };
      },
    };
    sniffer = new Sniffer({
      ...cmd.options,
      read,
      write,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: stop.signal,
    });
    const r = await sniffer.run();
    if (r.warning) io.stderr(`sniffer: warning: ${r.warning}`);
    if (!read && !cmd.options.dumpFilter) io.stderr(formatStats(r));
    return 0;
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return 0;
    const [code, message] = describeSnifferError(e, readPath);
    return (io.stderr(message), code);
  } finally {
    for (const [s, f] of signals) Deno.removeSignalListener(s, f);
    io.signal?.removeEventListener("abort", onStop);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
