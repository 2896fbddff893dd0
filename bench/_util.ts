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
