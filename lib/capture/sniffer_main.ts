/**
 * The sniffer command's body, shared by `cmd/sniffer.ts` and its capture Worker: parse the arguments, run
 * the {@link Sniffer}, print the statistics, turn errors into one line and an exit code.
 *
 * A live capture runs in a Worker ({@link runSnifferInWorker}): there the thread blocks in poll() between
 * ring blocks, which costs a fraction of awaiting a poll on another thread once per block. The main thread
 * keeps the signals: SIGINT/SIGTERM stop the capture (everything captured is still written) and SIGUSR1
 * prints the statistics; each sets a flag in shared memory and signals an eventfd that ends the poll.
 *
 * @module
 */
import {
  checkLinkTypeName,
  describeSnifferError,
  explainSnifferFilter,
  formatInterfaceList,
  formatLinkTypes,
  formatStats,
  formatTimestampTypes,
  interfaceLinkTypes,
  parseSnifferArgs,
  readFilterFile,
  resolveInterfaceArg,
  Sniffer,
  SNIFFER_USAGE,
} from "./sniffer.ts";
import { NETKIT_VERSION } from "../usage.ts";
import { rotatedFileName, type RotationFile } from "./rotate.ts";
import { listInterfaces } from "../../ffi/interfaces.ts";
import { Waker } from "../../ffi/waker.ts";
import { FdWriter } from "../../ffi/file.ts";
import { SyscallError } from "../../ffi/errno.ts";

/** Where the command's I/O goes; tests pass their own. */
export interface SnifferIo {
  stdout: (chunk: Uint8Array) => void;
  stderr: (line: string) => void;
  stdin: () => ReadableStream<Uint8Array>;
  /**
   * The descriptor behind `stdout`, when it is one (the process's 1): `-w -` of a live capture then writes
   * there straight from the packet ring. Without it, `-w -` goes through `stdout`.
   */
  stdoutFd?: number;
  /** Stops a run like SIGINT does. */
  signal?: AbortSignal;
}

/** How a run hands its {@link Sniffer} out (for SIGUSR1) and, in a Worker, captures blocking. */
export interface SnifferRunHooks {
  /** Called with the sniffer once it exists. */
  onSniffer?: (sniffer: Sniffer) => void;
  /** See `SnifferOptions.blocking`. */
  blocking?: { wakeFd: number; tick: () => void };
}

const writeAll = (f: { writeSync(b: Uint8Array): number }) => (b: Uint8Array) => {
  for (let o = 0; o < b.length;) o += f.writeSync(b.subarray(o));
};

/** The process's own stdin, stdout and stderr (synchronous writes, so nothing is lost at exit). */
export function standardIo(): SnifferIo {
  const err = writeAll(Deno.stderr);
  const enc = new TextEncoder();
  return {
    stdout: writeAll(Deno.stdout),
    stdoutFd: 1,
    stderr: (l) => err(enc.encode(l + "\n")),
    stdin: () => Deno.stdin.readable,
  };
}

/**
 * Whether the arguments ask for a live capture (not `-r`, `-D`, `-d`, `--explain`, `--help`); false
 * for arguments that do not parse (their error is reported by {@link runSniffer}).
 *
 * @param args the command line
 * @returns true for a live capture
 */
export function isLiveCapture(args: string[]): boolean {
  try {
    const cmd = parseSnifferArgs(args);
    return cmd.kind === "run" && cmd.readPath === undefined && cmd.listPath === undefined && !cmd.explain &&
      !cmd.options.dumpFilter;
  } catch {
    return false;
  }
}

/**
 * Runs the sniffer command on this thread; returns the exit code (0 ok, 1 runtime error, 2 usage). Stops
 * when `io.signal` aborts.
 *
 * @param args the command line
 * @param io where output goes
 * @param hooks see {@link SnifferRunHooks}
 * @returns the exit code
 */
export async function runSniffer(
  args: string[],
  io: SnifferIo,
  hooks: SnifferRunHooks = {},
): Promise<number> {
  let readPath: string | undefined;
  try {
    const cmd = parseSnifferArgs(args);
    if (cmd.kind === "help") return (io.stdout(new TextEncoder().encode(SNIFFER_USAGE + "\n")), 0);
    if (cmd.kind === "version") {
      const text =
        `sniffer (netkit) version ${NETKIT_VERSION}\nDeno ${Deno.version.deno}, V8 ${Deno.version.v8}\n`;
      return (io.stdout(new TextEncoder().encode(text)), 0);
    }
    if (cmd.kind === "list") {
      return (io.stdout(new TextEncoder().encode(formatInterfaceList(listInterfaces()) + "\n")), 0);
    }
    if (cmd.kind === "linktypes") {
      const ifaces = listInterfaces();
      const name = resolveInterfaceArg(cmd.interface, ifaces);
      // tcpdump prints -L and -J on stderr.
      return (io.stderr(formatLinkTypes(name, interfaceLinkTypes(name, ifaces))), 0);
    }
    if (cmd.kind === "tstypes") {
      const ifaces = listInterfaces();
      const name = resolveInterfaceArg(cmd.interface, ifaces);
      interfaceLinkTypes(name, ifaces); // an interface that does not exist is an error, as for -L
      return (io.stderr(formatTimestampTypes(name)), 0);
    }
    readPath = cmd.readPath;
    // -V: the first file listed is read as -r reads one; the others follow (readNext).
    const list = cmd.listPath === undefined ? undefined : await readFileList(cmd.listPath, io);
    if (list) readPath = list.shift();
    if (cmd.options.interface !== undefined) {
      cmd.options.interface = resolveInterfaceArg(cmd.options.interface, listInterfaces());
    }
    // -j: only the kernel's software stamps ("host"); tcpdump warns and goes on for a type the device lacks
    // (and ignores -j when reading a file).
    const tstype = cmd.timestampType;
    if (tstype !== undefined && tstype !== "host" && readPath === undefined && cmd.listPath === undefined) {
      io.stderr(
        `sniffer: warning: time stamp type '${tstype}' is not supported on ${
          cmd.options.interface ?? "any"
        }: using host (the kernel's software time stamps)`,
      );
    }
    // -y: tcpdump ignores it when reading a file.
    if (cmd.linkTypeName !== undefined && readPath === undefined) {
      const ifaces = listInterfaces();
      checkLinkTypeName(cmd.linkTypeName, interfaceLinkTypes(cmd.options.interface ?? "any", ifaces));
    }
    if (cmd.filterFile !== undefined) {
      // tcpdump ignores an expression on the command line when -F gives one; say so.
      if (cmd.options.filter) {
        io.stderr(`sniffer: warning: -F given, ignoring the expression "${cmd.options.filter}"`);
      }
      try {
        cmd.options.filter = readFilterFile(cmd.filterFile);
      } catch (e) {
        readPath = cmd.filterFile; // names the file in the error
        throw e;
      }
    }
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
    const post = cmd.postRotate;
    if (post !== undefined && !cmd.rotate) {
      io.stderr(
        "sniffer: warning: -z has no effect without -w and -C or -G (it runs on each file they close)",
      );
    }
    const write = wp === undefined ? undefined : {
      format: cmd.writeFormat!,
      packetBuffered: cmd.packetBuffered,
      rotate: cmd.rotate,
      postRotate: post === undefined || !cmd.rotate
        ? undefined
        : (file: RotationFile) => runPostRotate(post, rotatedFileName(wp, cmd.rotate!, file), io.stderr),
      open(file?: RotationFile) {
        if (wp === "-") return { write: io.stdout, close() {} };
        const path = file && cmd.rotate ? rotatedFileName(wp, cmd.rotate, file) : wp;
        const f = Deno.openSync(path, { write: true, create: true, truncate: true });
        return { write: writeAll(f), close: () => f.close() };
      },
      openFd: wp !== "-"
        ? () => FdWriter.create(wp)
        : io.stdoutFd !== undefined
        ? () => FdWriter.of(io.stdoutFd!, "stdout")
        : undefined,
    };
    const readNext = list && (async () => {
      const name = list.shift();
      if (name === undefined) return undefined;
      readPath = name; // errors name the file being read
      return { name, source: (await Deno.open(name)).readable };
    });
    const sniffer = new Sniffer({
      ...cmd.options,
      read,
      readNext,
      write,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      blocking: hooks.blocking,
    });
    hooks.onSniffer?.(sniffer);
    const r = await sniffer.run();
    if (r.warning) io.stderr(`sniffer: warning: ${r.warning}`);
    if (read && cmd.options.countOnly) {
      io.stdout(new TextEncoder().encode(`${r.captured} packet${r.captured === 1 ? "" : "s"}\n`));
    }
    if (!read && !cmd.options.dumpFilter) io.stderr(formatStats(r));
    return 0;
  } catch (e) {
    // The reader of `-w -` or of the output went away: nothing left to do (tcpdump ends the same way).
    if (e instanceof Deno.errors.BrokenPipe || (e instanceof SyscallError && e.code === "EPIPE")) return 0;
    const [code, message] = describeSnifferError(e, readPath);
    return (io.stderr(message), code);
  }
}

/**
 * `-V LIST`: the file names it holds, one per line, as tcpdump reads them (a line's text is the name,
 * spaces included; a trailing CR is dropped). An empty line, or a list without names, is an error.
 *
 * @param path the list ("-": stdin)
 * @param io where stdin comes from
 * @returns the names, in order
 * @throws {Error} naming the list and the line for an empty name; Deno's error for a list it cannot read
 */
export async function readFileList(path: string, io: SnifferIo): Promise<string[]> {
  const text = path === "-" ? await new Response(io.stdin()).text() : await Deno.readTextFile(path);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop(); // the newline that ends the last line
  const names = lines.map((l) => l.replace(/\r$/, ""));
  const empty = names.indexOf("");
  const where = path === "-" ? "-V - (stdin)" : `-V ${path}`;
  if (empty >= 0) throw new Error(`${where}: line ${empty + 1} names no file`);
  if (names.length === 0) throw new Error(`${where}: names no file`);
  return names;
}

/**
 * tcpdump's `-z`: starts `command FILE` (no shell, found through PATH) for a file a rotation has closed, and
 * does not wait for it: a compressor runs next to the capture and may outlive it. A command that cannot
 * start is reported and the capture goes on.
 *
 * @param command the program (`gzip`, a script)
 * @param file the closed file's name, its only argument
 * @param stderr where a failure to start is reported
 */
export function runPostRotate(command: string, file: string, stderr: (line: string) => void): void {
  try {
    const child = new Deno.Command(command, { args: [file], stdin: "null" }).spawn();
    child.status.catch(() => {}); // reaped when it ends; its exit status is its own business, as in tcpdump
    child.unref();
  } catch (e) {
    stderr(`sniffer: -z: cannot run ${command} ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Slots of the shared control array between the main thread and the capture Worker. */
export const CONTROL = { stop: 0, statsRequests: 1 } as const;

/** The message that starts the capture Worker. */
export interface SnifferWorkerStart {
  args: string[];
  wakeFd: number;
  control: SharedArrayBuffer;
}

/**
 * Runs a live capture command in a Worker (`_sniffer_worker.ts`) that blocks in poll() between ring
 * blocks, with the process's standard I/O; this thread relays SIGINT/SIGTERM (stop, keep what was
 * captured) and SIGUSR1 (print the statistics). Returns the exit code.
 *
 * @param args the command line (a live capture: see {@link isLiveCapture})
 * @returns the exit code
 */
export async function runSnifferInWorker(args: string[]): Promise<number> {
  const waker = Waker.create();
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const stop = () => {
    Atomics.store(flags, CONTROL.stop, 1);
    waker.wake();
  };
  const usr1 = () => {
    Atomics.add(flags, CONTROL.statsRequests, 1);
    waker.wake();
  };
  const signals = [["SIGINT", stop], ["SIGTERM", stop], ["SIGUSR1", usr1]] as const;
  for (const [s, f] of signals) Deno.addSignalListener(s, f);
  const worker = new Worker(new URL("./_sniffer_worker.ts", import.meta.url), { type: "module" });
  try {
    return await new Promise<number>((resolve) => {
      worker.onmessage = (e: MessageEvent<{ code: number }>) => resolve(e.data.code);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        standardIo().stderr(`sniffer: ${e.message.split("\n")[0]}`);
        resolve(1);
      };
      const start: SnifferWorkerStart = { args, wakeFd: waker.fd, control };
      worker.postMessage(start);
    });
  } finally {
    worker.terminate();
    for (const [s, f] of signals) Deno.removeSignalListener(s, f);
    waker.close();
  }
}
