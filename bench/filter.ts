/**
 * Filter benchmark (needs root): what a selective kernel filter saves. The capture benchmark's flood (its C
 * `sendmmsg` sender, bounded and paced) goes to 127.0.0.1 with 1 datagram in 100 to port P1 and the rest to
 * port P2 (two paced senders, 1:99, finishing together). netkit's sniffer (`cmd/sniffer.ts`, a real process)
 * and tcpdump, each alone on its own flood, capture on `lo` to `-w /dev/null`:
 *
 * - `none`: no filter, every packet of the flood reaches the capturer;
 * - `1%`: `udp dst port P1`, attached to the socket, so 99 packets in 100 stop in the kernel.
 *
 * Per rate it prints packets sent, captured and dropped, the capturer's CPU seconds per million packets
 * *sent* (from /proc, all threads, counted from half a second after "listening on" until the flood has drained), the cost with
 * the filter relative to no filter ("vs none"), and netkit / tcpdump ("x tcpdump"). CPU comes from the
 * scheduler's per-thread nanosecond counters, since a filtered run costs only a few of /proc/PID/stat's
 * 10 ms ticks (shown too, as "ticks s"). With the filter in the kernel, netkit's cost must fall as
 * tcpdump's does.
 *
 * Before counting, each capturer gets a warm-up flood of `--warmup` datagrams, all to P1 (they pass both
 * filters; not counted, and taken off "captured"): netkit's first matching packets run while V8 is still
 * compiling the packet path, a one-time cost of tens of milliseconds that tcpdump does not have and that would
 * otherwise stand for the per-packet cost of a filtered capture that sees only a few thousand packets.
 * `--warmup 0` measures cold.
 *
 *   deno task bench filter [--rates 100000,400000] [--seconds 3] [--size 64] [--warmup 20000]
 *
 * Every flood is bounded: `rate x seconds` datagrams (at most 1200000), and each process is killed after 60 s.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { buildSender, flood, SNIFFER } from "./capture.ts";
import { type Capturer, cpuSeconds, hasCommand, sleep, startCapturer, table } from "./_util.ts";

const MAX_COUNT = 1_200_000;
const KILL_MS = 60_000;
/** One datagram in this many goes to the filtered port. */
const ONE_IN = 100;

type Who = "netkit" | "tcpdump";
type Filter = "none" | "1%";

interface Run {
  sent: number;
  kpps: number;
  captured: number;
  dropped: number;
  /** From the scheduler's nanosecond counters. */
  cpu: number;
  /** The same window from /proc/PID/stat (10 ms ticks), as the capture benchmark reads it. */
  ticks: number;
}

/**
 * CPU seconds a process has run so far, summed over its threads from the scheduler's nanosecond counters
 * (`/proc/PID/task/TID/schedstat`): a filtered run costs a few ticks, too few for `/proc/PID/stat`'s
 * 10 ms resolution. A thread that exits inside the window takes its time with it, so this can only
 * undercount; falls back to the ticks when the counters are unreadable.
 */
function runSeconds(pid: number): number {
  let ns = 0;
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/schedstat`).split(" ")[0]) || 0;
      } catch { /* the thread exited */ }
    }
  } catch {
    return cpuSeconds(pid);
  }
  return ns / 1e9;
}

/** Where the runs happen: a network namespace of this bench's own, with its `lo` up and two ports held. */
interface Stage {
  /** The namespace's name. */
  ns: string;
  /** The sender binary, wrapped to run inside the namespace. */
  sender: string;
  /** The filtered port. */
  p1: number;
  /** The other port. */
  p2: number;
}

/** Runs `ip ARGS`; throws with ip's message when it fails. */
async function ip(...args: string[]): Promise<void> {
  const out = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
}

/**
 * Builds the stage, runs `fn` on it, and always tears it down. The namespace keeps the other traffic on
 * this machine's `lo` (other benchmarks, tests) out of the capture, which matters with no filter. Its two
 * UDP ports are held by an idle process that never reads, so the flood is delivered (no ICMP port
 * unreachable) and then dropped at the full socket.
 */
async function onStage<T>(dir: string, fn: (stage: Stage) => Promise<T>): Promise<T> {
  const ns = `nkfilter${Deno.pid}`;
  const binary = await buildSender(dir);
  const sender = `${dir}/sender-in-ns`;
  await Deno.writeTextFile(sender, `#!/bin/sh\nexec ip netns exec ${ns} ${binary} "$@"\n`, { mode: 0o755 });
  await ip("netns", "add", ns);
  let holder: Deno.ChildProcess | undefined;
  let out: ReadableStreamDefaultReader<string> | undefined;
  try {
    await ip("-n", ns, "link", "set", "lo", "up");
    const hold = `const o = { transport: "udp", hostname: "127.0.0.1", port: 0 };
      const a = Deno.listenDatagram(o), b = Deno.listenDatagram(o);
      console.log(a.addr.port, b.addr.port);
      setTimeout(() => {}, ${KILL_MS * 10});`;
    holder = new Deno.Command("ip", {
      args: ["netns", "exec", ns, Deno.execPath(), "eval", "--unstable-net", hold],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    out = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const line = await out.read();
    const [p1, p2] = (line.value ?? "").trim().split(" ").map(Number);
    if (!(p1 > 0 && p2 > 0)) throw new Error(`the port holder did not start: ${JSON.stringify(line.value)}`);
    return await fn({ ns, sender, p1, p2 });
  } finally {
    try {
      holder?.kill("SIGKILL");
    } catch { /* exited */ }
    await holder?.status;
    await out?.cancel();
    await ip("netns", "del", ns);
  }
}

/** Runs one capturer, in the stage's namespace, on one mixed flood (1 in 100 datagrams to `p1`). */
async function capture(
  stage: Stage,
  who: Who,
  filter: Filter,
  count: number,
  size: number,
  pps: number,
  warmup: number,
) {
  const { ns, sender, p1, p2 } = stage;
  const expr = filter === "none" ? [] : ["udp", "dst", "port", String(p1)];
  const args = ["-i", "lo", "-n", "-B", "8192", "-w", "/dev/null", ...expr];
  const cmd = who === "netkit" ? [...SNIFFER, ...args] : ["tcpdump", ...args];
  // `ip netns exec` execs the capturer: the child's pid is the capturer's, for the CPU counters.
  let child: Capturer | undefined;
  try {
    child = await startCapturer(["ip", "netns", "exec", ns, ...cmd], who, KILL_MS);
    if (warmup > 0) {
      await flood(sender, warmup, p1, size, pps);
      await sleep(500);
    }
    const few = Math.round(count / ONE_IN), many = count - few;
    const cpu0 = runSeconds(child.pid), ticks0 = cpuSeconds(child.pid);
    const t0 = performance.now();
    // Both paced so that they end together: the mix stays 1:99 all along.
    const [a, b] = await Promise.all([
      flood(sender, few, p1, size, pps * few / count),
      flood(sender, many, p2, size, pps * many / count),
    ]);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(1000); // let the capturer drain its ring
    const cpu = runSeconds(child.pid) - cpu0, ticks = cpuSeconds(child.pid) - ticks0;
    const stopped = await child.stop();
    const sent = a.sent + b.sent;
    return {
      sent,
      kpps: sent / seconds / 1000,
      captured: stopped.captured - warmup,
      dropped: stopped.dropped,
      cpu,
      ticks,
    };
  } finally {
    child?.kill();
  }
}

/** CPU seconds per million packets sent. */
const perM = (r: Run) => r.cpu / Math.max(r.sent, 1) * 1e6;
const ratio = (a: Run, b: Run) => (b.cpu <= 0 ? "n/a" : (perM(a) / perM(b)).toFixed(3));

/**
 * Runs the filter benchmark; `argv` as documented in the module doc.
 *
 * @param argv `--rates`, `--seconds`, `--size`
 */
export async function benchFilter(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: "string", default: "100000,400000" },
      seconds: { type: "string", default: "3" },
      size: { type: "string", default: "64" },
      warmup: { type: "string", default: "20000" },
    },
  });
  if (Deno.uid() !== 0) {
    console.log("filter: skipped (needs root for AF_PACKET capture)");
    return;
  }
  for (const c of ["gcc", "tcpdump", "ip"]) {
    if (!hasCommand(c)) {
      console.log(`filter: skipped (${c} is not installed)`);
      return;
    }
  }
  const seconds = Number(values.seconds), size = Number(values.size), warmup = Number(values.warmup);
  const rates = values.rates.split(",").map(Number);
  if (
    !(seconds > 0 && seconds <= 10) || !(size >= 1 && size <= 1472) ||
    rates.some((r) => !Number.isInteger(r) || r < ONE_IN) ||
    !(Number.isInteger(warmup) && warmup >= 0 && warmup <= 200_000)
  ) {
    throw new RangeError(
      `filter: --seconds 1-10, --size 1-1472, --rates N,... (paced, each >= ${ONE_IN}), --warmup 0-200000`,
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "netkit-filter-bench-" });
  try {
    await onStage(dir, async (stage) => {
      console.log(
        `UDP flood of ${size}-byte datagrams to 127.0.0.1 (C sendmmsg), 1 in ${ONE_IN} to the filtered port, ` +
          `${seconds} s per run, -w /dev/null, ring 8 MiB, on lo in namespace ${stage.ns}; filter "1%" is ` +
          `udp dst port ${stage.p1}; each capturer first gets a warm-up flood of ${warmup} datagrams (not counted)`,
      );
      const rows: string[][] = [];
      const summary: string[] = [];
      for (const rate of rates) {
        const count = Math.min(MAX_COUNT, Math.round(rate * seconds));
        const runs = {} as Record<`${Who} ${Filter}`, Run>;
        for (const who of ["netkit", "tcpdump"] as const) {
          for (const filter of ["none", "1%"] as const) {
            runs[`${who} ${filter}`] = await capture(stage, who, filter, count, size, rate, warmup);
          }
        }
        for (const who of ["netkit", "tcpdump"] as const) {
          for (const filter of ["none", "1%"] as const) {
            const r = runs[`${who} ${filter}`];
            rows.push([
              `${rate / 1000}k`,
              who,
              filter,
              String(r.sent),
              r.kpps.toFixed(0),
              String(r.captured),
              String(r.dropped),
              r.cpu.toFixed(3),
              r.ticks.toFixed(2),
              perM(r).toFixed(3),
              filter === "none" ? "" : ratio(r, runs[`${who} none`]),
              who === "tcpdump" ? "" : ratio(r, runs[`tcpdump ${filter}`]),
            ]);
          }
        }
        const fall = (who: Who) => ratio(runs[`${who} 1%`], runs[`${who} none`]);
        summary.push(
          `${rate / 1000}k pps: with the filter, CPU per packet sent is ${fall("netkit")} of no filter for ` +
            `netkit, ${fall("tcpdump")} for tcpdump`,
        );
      }
      console.log(table(
        [
          "rate",
          "capturer",
          "filter",
          "sent",
          "sent kpps",
          "captured",
          "dropped",
          "CPU s",
          "ticks s",
          "CPU s/1M sent",
          "vs none",
          "x tcpdump",
        ],
        rows,
      ));
      console.log(summary.join("\n"));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await benchFilter(Deno.args);
