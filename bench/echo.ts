/**
 * Echo benchmark: every netkit model and the servers a user might pick instead (Node.js `net`, socat) or that
 * show what the machine can do (a C epoll server, 1 and 2 SO_REUSEPORT threads), all loaded by netkit's bench
 * client with the same workloads in one run. Prints one table of results with ratios taken in this run, each
 * server's peak RSS, the idle-connection memory, and a check that the client is not the bottleneck.
 *
 *   deno task bench echo [--duration SECONDS] [--runs N] [--only NAME,...]
 *
 * Every server runs the workloads `--runs` times (default 2), the servers taking turns, and each cell keeps
 * its best run: client and servers share the machine's cores, and the best of two is much steadier than
 * one run (the figures are then a machine's capacity, not a moment's noise; every server gets the same).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuSeconds, freePort, hasCommand, peakRssMb, rssMb, sleep, table, waitForTcp } from "./_util.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DENO = Deno.execPath();
const C_BIN = `${ROOT}bench/reference/bin/echo_epoll`;

interface Server {
  name: string;
  /** Why it cannot run here, if it cannot. */
  skip?: string;
  /** Serves one client at a time: skip multi-connection workloads. */
  oneAtATime?: boolean;
  udp: boolean;
  cmd(port: number, udp: boolean): string[];
}

interface Workload {
  name: string;
  args: string[];
  udp?: boolean;
  conns: number;
  /** The figure that matters: msgs/s or MB/s. */
  metric: "msgsPerSec" | "mbPerSec";
}

interface Report {
  msgsPerSec: number;
  mbPerSec: number;
  latencyUs: { p50: number; p99: number };
  errors: Record<string, number>;
}

function buildC(): string | undefined {
  if (!hasCommand("cc")) return "no C compiler (cc) on this machine";
  Deno.mkdirSync(`${ROOT}bench/reference/bin`, { recursive: true });
  const out = new Deno.Command("cc", {
    args: ["-O2", "-pthread", "-o", C_BIN, `${ROOT}bench/reference/echo_epoll.c`],
  }).outputSync();
  return out.success ? undefined : `cc failed: ${new TextDecoder().decode(out.stderr).split("\n")[0]}`;
}

function netkit(model: string, extra: string[] = []): (port: number, udp: boolean) => string[] {
  return (port, udp) => [
    DENO,
    "run",
    "--unstable-net",
    "--allow-all",
    `${ROOT}cmd/serve.ts`,
    "--model",
    model,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--quiet",
    ...extra,
    ...(udp ? ["--udp"] : []),
  ];
}

function servers(): Server[] {
  const cSkip = buildC();
  return [
    { name: "netkit sequential", udp: true, oneAtATime: true, cmd: netkit("sequential") },
    { name: "netkit async", udp: true, cmd: netkit("async") },
    { name: "netkit workers x2", udp: false, cmd: netkit("workers", ["--threads", "2"]) },
    { name: "netkit processes x2", udp: false, cmd: netkit("processes", ["--threads", "2"]) },
    {
      name: "node net (pipe)",
      udp: true,
      skip: hasCommand("node") ? undefined : "node not installed",
      cmd: (
        port,
        udp,
      ) => ["node", `${ROOT}bench/reference/node_echo.mjs`, String(port), ...(udp ? ["udp"] : [])],
    },
    {
      name: "socat (fork)",
      udp: false,
      skip: hasCommand("socat") ? undefined : "socat not installed",
      // EXEC:cat, not PIPE: socat's PIPE address stalls under a streaming load (seen here).
      cmd: (port) => ["socat", `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,backlog=4096`, "EXEC:cat"],
    },
    {
      name: "C epoll x1",
      udp: true,
      skip: cSkip,
      cmd: (p, udp) => [C_BIN, String(p), "1", ...(udp ? ["udp"] : [])],
    },
    { name: "C epoll x2", udp: false, skip: cSkip, cmd: (p) => [C_BIN, String(p), "2"] },
  ];
}

function workloads(duration: number): Workload[] {
  const d = ["--duration", String(duration)];
  return [
    {
      name: "1 conn 64 B ping-pong",
      conns: 1,
      metric: "msgsPerSec",
      args: ["--conns", "1", "--size", "64", ...d],
    },
    { name: "50 conns 64 B", conns: 50, metric: "msgsPerSec", args: ["--conns", "50", "--size", "64", ...d] },
    {
      name: "1000 conns 64 B",
      conns: 1000,
      metric: "msgsPerSec",
      args: ["--conns", "1000", "--size", "64", ...d],
    },
    {
      name: "4 conns stream 64 KiB",
      conns: 4,
      metric: "mbPerSec",
      args: ["--conns", "4", "--size", "65536", "--mode", "stream", ...d],
    },
    {
      name: "UDP 64 B ping-pong",
      conns: 1,
      udp: true,
      metric: "msgsPerSec",
      args: ["--udp", "--conns", "1", "--size", "64", ...d],
    },
  ];
}

async function load(port: number, args: string[], threads = 1): Promise<Report> {
  const out = await new Deno.Command(DENO, {
    args: [
      "run",
      "--unstable-net",
      "--allow-all",
      `${ROOT}cmd/client.ts`,
      "bench",
      "127.0.0.1",
      String(port),
      "--json",
      "--threads",
      String(threads),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!text.startsWith("{")) {
    throw new Error(`bench client failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").pop()}`);
  }
  return JSON.parse(text);
}

async function withServer<T>(
  s: Server,
  udp: boolean,
  fn: (port: number, pid: number) => Promise<T>,
): Promise<T> {
  const port = freePort();
  const [cmd, ...args] = s.cmd(port, udp);
  const child = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).spawn();
  try {
    if (udp) await sleep(800);
    else await waitForTcp(port);
    return await fn(port, child.pid);
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 8000);
    await child.status;
    clearTimeout(timer);
    await child.stderr.cancel();
  }
}

async function idleMemory(port: number, pid: number, count: number): Promise<number> {
  await sleep(300);
  const before = rssMb(pid);
  const conns: Deno.TcpConn[] = [];
  try {
    for (let i = 0; i < count; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await sleep(1000);
    return (rssMb(pid) - before) * (1000 / count);
  } finally {
    for (const c of conns) c.close();
  }
}

function fmt(n: number, digits = 0): string {
  return n >= 100 || digits === 0 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits);
}

/** Runs the echo benchmark and prints its tables. */
export async function benchEcho(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string", default: "3" },
      runs: { type: "string", default: "2" },
      only: { type: "string" },
    },
  });
  const duration = Number(values.duration);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 10) throw new RangeError("echo: --runs 1-10");
  const only = values.only?.split(",").map((s) => s.trim().toLowerCase());
  const all = servers().filter((s) => !only || only.some((o) => s.name.toLowerCase().includes(o)));
  const wls = workloads(duration);
  const results = new Map<string, Map<string, Report | string>>();
  const peaks = new Map<string, number>();
  const idle = new Map<string, number>();
  const cpu = new Map<string, number>();

  /** Keeps the better of a cell's runs (a measured report beats an error). */
  const keep = (row: Map<string, Report | string>, w: Workload, r: Report | string) => {
    const prev = row.get(w.name);
    if (typeof prev !== "object" || (typeof r === "object" && r[w.metric] > prev[w.metric])) {
      row.set(w.name, r);
    }
  };
  for (const s of all) results.set(s.name, new Map());
  for (let round = 1; round <= runs; round++) {
    for (const s of all) {
      const row = results.get(s.name)!;
      if (s.skip) {
        if (round === 1) console.error(`skip ${s.name}: ${s.skip}`);
        continue;
      }
      for (const udp of [false, true]) {
        const mine = wls.filter((w) => !!w.udp === udp);
        if (udp && !s.udp) {
          for (const w of mine) row.set(w.name, "n/a");
          continue;
        }
        await withServer(s, udp, async (port, pid) => {
          const cpu0 = cpuSeconds(pid);
          for (const w of mine) {
            if (s.oneAtATime && w.conns > 1) {
              row.set(w.name, "1 at a time");
              continue;
            }
            console.error(`${s.name}: ${w.name} (run ${round} of ${runs}) ...`);
            try {
              // One client thread cannot saturate even the C server at 50 connections (measured): use 2.
              keep(row, w, await load(port, w.args, w.conns > 1 ? 2 : 1));
            } catch (e) {
              keep(row, w, `error: ${(e as Error).message}`);
            }
          }
          if (!udp) {
            peaks.set(s.name, peakRssMb(pid));
            cpu.set(s.name, cpuSeconds(pid) - cpu0);
            if (!s.oneAtATime) idle.set(s.name, await idleMemory(port, pid, 1000));
          }
        });
      }
    }
  }

  const cell = (r: Report | string | undefined, w: Workload) =>
    r === undefined
      ? "-"
      : typeof r === "string"
      ? r
      : w.metric === "mbPerSec"
      ? `${fmt(r.mbPerSec, 1)} MB/s`
      : `${fmt(r.msgsPerSec)}/s`;
  const ratio = (a: Report | string | undefined, b: Report | string | undefined, w: Workload) =>
    typeof a === "object" && typeof b === "object" && b[w.metric] > 0
      ? (a[w.metric] / b[w.metric]).toFixed(2)
      : "-";

  const node = results.get("node net (pipe)");
  const c1 = results.get("C epoll x1");
  const c2 = results.get("C epoll x2");
  const rows = all.map((s) => {
    const row = results.get(s.name)!;
    return [
      s.name,
      ...wls.map((w) => cell(row.get(w.name), w)),
      peaks.has(s.name) ? fmt(peaks.get(s.name)!, 1) : "-",
    ];
  });
  console.log(
    `\nEcho throughput (client: netkit bench, ${duration} s per cell, best of ${runs} run(s), 127.0.0.1)\n`,
  );
  console.log(table(["server", ...wls.map((w) => w.name), "peak RSS MB"], rows));

  const ratioRows = all.filter((s) => s.name.startsWith("netkit")).flatMap((s) => {
    const row = results.get(s.name)!;
    return [
      [`${s.name} / node`, ...wls.map((w) => ratio(row.get(w.name), node?.get(w.name), w))],
      [`${s.name} / C x1`, ...wls.map((w) => ratio(row.get(w.name), c1?.get(w.name), w))],
      [`${s.name} / C x2`, ...wls.map((w) => ratio(row.get(w.name), c2?.get(w.name), w))],
    ];
  });
  console.log(`\nRatios (same run; higher is better for netkit)\n`);
  console.log(table(["ratio", ...wls.map((w) => w.name)], ratioRows));

  const lat = all.map((s) => {
    const r = results.get(s.name)!.get(wls[0].name);
    return [
      s.name,
      typeof r === "object" ? fmt(r.latencyUs.p50, 1) : "-",
      typeof r === "object" ? fmt(r.latencyUs.p99, 1) : "-",
    ];
  });
  console.log(`\nLatency, 1 conn 64 B ping-pong (µs)\n`);
  console.log(table(["server", "p50", "p99"], lat));

  console.log(
    `\nMemory per 1000 idle connections (RSS growth, MB) and server CPU seconds over the TCP workloads\n`,
  );
  console.log(
    table(
      ["server", "MB / 1000 idle", "CPU s"],
      all.filter((s) => cpu.has(s.name)).map((s) => [
        s.name,
        idle.has(s.name) ? fmt(idle.get(s.name)!, 1) : "-",
        fmt(cpu.get(s.name)!, 1),
      ]),
    ),
  );

  const cServer = all.find((s) => s.name === "C epoll x1");
  if (cServer && !cServer.skip) {
    console.log(
      `\nIs the client the bottleneck? The C server loaded by 1 and then 2 client threads (50 conns)\n`,
    );
    const w = wls[1];
    const rowsC: string[][] = [];
    await withServer(cServer, false, async (port) => {
      for (const threads of [1, 2]) {
        const r = await load(port, w.args, threads);
        rowsC.push([`${threads} client thread(s)`, `${fmt(r.msgsPerSec)}/s`]);
      }
    });
    console.log(table(["client", "C epoll x1, 50 conns 64 B"], rowsC));
  }
}
