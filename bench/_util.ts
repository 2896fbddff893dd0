/**
 * Helpers shared by the benchmarks: free ports, waiting for a server, process memory and CPU, tables.
 *
 * @module
 */

/** A free TCP (and, almost surely, UDP) port on 127.0.0.1, found by binding port 0. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Waits until something accepts TCP connections on 127.0.0.1:port.
 *
 * @param port the port
 * @param limitMs give up after this long
 */
export async function waitForTcp(port: number, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${limitMs} ms`);
}

/** Pids of a process and all its descendants, from /proc. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    const p = Number(e.name);
    if (!Number.isInteger(p)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${p}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(p);
      children.set(ppid, list);
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = Deno.readTextFileSync(`/proc/${pid}/status`).match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident memory (VmHWM) of a process tree, in MB. */
export function peakRssMb(pid: number): number {
  return processTree(pid).reduce((s, p) => s + statusKb(p, "VmHWM"), 0) / 1024;
}

/** Current resident memory (VmRSS) of a process tree, in MB. */
export function rssMb(pid: number): number {
  return processTree(pid).reduce((s, p) => s + statusKb(p, "VmRSS"), 0) / 1024;
}

/**
 * CPU seconds a process tree's live threads have run, from each thread's `schedstat` (nanoseconds, where
 * `stat` counts 10 ms ticks); falls back to {@link cpuSeconds} where the kernel has no schedstat. Threads
 * that have already exited are not counted: read it around work done by long-lived threads.
 */
export function cpuSecondsPrecise(pid: number): number {
  let ns = 0;
  for (const p of processTree(pid)) {
    let tasks: string[];
    try {
      tasks = [...Deno.readDirSync(`/proc/${p}/task`)].map((e) => e.name);
    } catch {
      continue; // gone
    }
    for (const t of tasks) {
      try {
        ns += Number(Deno.readTextFileSync(`/proc/${p}/task/${t}/schedstat`).split(" ")[0]);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound && !existsSync(`/proc/${p}/task/${t}`)) continue; // exited
        return cpuSeconds(pid);
      }
    }
  }
  return ns / 1e9;
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a process tree has used so far. */
export function cpuSeconds(pid: number): number {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = Deno.readTextFileSync(`/proc/${p}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { /* gone */ }
  }
  return ticks / hz;
}

/**
 * Formats rows as an aligned text table.
 *
 * @param header column titles
 * @param rows cells
 * @returns the table as lines
 */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Whether a program is on PATH. */
export function hasCommand(name: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${name}`], stdout: "null", stderr: "null" })
    .outputSync().success;
}

/** A capturing child (netkit's sniffer or tcpdump) that has said "listening on". */
export interface Capturer {
  /** Its pid, for the CPU counters. */
  readonly pid: number;
  /** Stops it with SIGINT and reads the counts it prints on the way out. */
  stop(): Promise<{ captured: number; dropped: number }>;
  /** Kills it if still running and drops its time limit; safe to call at any point. */
  kill(): void;
}

/** How long a capturer is left alone after "listening on" before CPU counting starts: its start-up ends. */
export const SETTLE_MS = 500;

/**
 * Starts a capturer with stdout to /dev/null, waits until it prints "listening on" on stderr, then
 * {@link SETTLE_MS} more, so that what is counted afterwards is the capture and not the tail of start-up
 * (netkit's capture Worker and JIT; tcpdump's is far shorter). Both capturers get the same treatment.
 *
 * @param cmd the program and its arguments
 * @param who its name in the error when it exits before it is ready
 * @param killMs it is killed after this long whatever happens
 * @returns the running capturer (call `kill()` in a `finally`)
 */
export async function startCapturer(cmd: string[], who: string, killMs: number): Promise<Capturer> {
  const child = new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "piped" }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), killMs);
  const kill = () => {
    clearTimeout(timer);
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  };
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let err = "";
  try {
    while (!err.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${who} did not start: ${err.trim()}`);
      err += value;
    }
  } catch (e) {
    kill();
    await child.status;
    throw e;
  }
  await sleep(SETTLE_MS);
  const stop = async () => {
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      err += value;
    }
    await child.status;
    const captured = Number(err.match(/(\d+) packets? captured/)?.[1] ?? NaN);
    const dropped = Number(err.match(/(\d+) packets? dropped by kernel/)?.[1] ?? NaN);
    return { captured, dropped };
  };
  return { pid: child.pid, stop, kill };
}
