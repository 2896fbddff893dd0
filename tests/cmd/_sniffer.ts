/**
 * What the `sniffer` command's tests share: paths, the task's permissions, and `main()` with captured output.
 *
 * @module
 */
import { main, type SnifferIo } from "../../cmd/sniffer.ts";
import { repoPath } from "../_helpers.ts";

/** The pcap corpus. */
export const CORPUS: string = repoPath("tests/fixtures/corpus");
/** The command's entry file. */
export const SNIFFER: string = repoPath("cmd/sniffer.ts");
/** The permissions of the `sniffer` task in deno.json. */
export const TASK: string[] = [
  "run",
  "--quiet",
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  SNIFFER,
];
/** `setpriv` flags that run a command as "nobody". */
export const AS_NOBODY: string[] = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];

const td = new TextDecoder();

/**
 * Runs main() with captured output.
 *
 * @param args the command line
 * @param stdin what `-r -` reads
 * @returns the exit code, stdout and stderr (one line per message)
 */
export async function sniff(
  args: string[],
  stdin?: Uint8Array<ArrayBuffer>,
): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: SnifferIo = {
    stdout: (b) => out += td.decode(b),
    stderr: (l) => err += l + "\n",
    stdin: () => new Blob(stdin ? [stdin] : []).stream(),
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** Spawns the sniffer, waits for its "listening on" line, and returns the child and its stderr so far. */
export async function spawnLive(args: string[], prefix: string[] = []) {
  const cmd = prefix.length ? prefix[0] : Deno.execPath();
  const child = new Deno.Command(cmd, {
    args: [...prefix.slice(1), ...(prefix.length ? [Deno.execPath()] : []), ...TASK, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  let err = "";
  const deadline = Date.now() + 20_000;
  while (!err.includes("listening on") && Date.now() < deadline) {
    const t = setTimeout(() => reader.cancel(), Math.max(1, deadline - Date.now()));
    const { value, done } = await reader.read();
    clearTimeout(t);
    if (done) break;
    err += td.decode(value);
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return err;
      err += td.decode(value);
    }
  })();
  return { child, stderr: rest, listening: err.includes("listening on") };
}

/** The end of a process test: kills what is still running, removes the test's directory. */
export function cleanUp(dir: string, ...children: Deno.ChildProcess[]): void {
  for (const c of children) {
    try {
      c.kill("SIGKILL");
    } catch { /* exited */ }
  }
  Deno.removeSync(dir, { recursive: true });
}

/** Sends `n` one-byte datagrams (0, 1, ...) from 127.0.0.1 to `port` on 127.0.0.1. */
export async function sendUdp(port: number, n: number): Promise<void> {
  const s = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    for (let i = 0; i < n; i++) {
      await s.send(new Uint8Array([i]), { transport: "udp", hostname: "127.0.0.1", port });
    }
  } finally {
    s.close();
  }
}

/**
 * The child's exit status; when it has not exited within `ms`, it is killed first, so a test whose packets
 * went missing fails on the exit code instead of waiting forever.
 */
export async function statusWithin(child: Deno.ChildProcess, ms: number): Promise<Deno.CommandStatus> {
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }, ms);
  try {
    return await child.status;
  } finally {
    clearTimeout(timer);
  }
}
