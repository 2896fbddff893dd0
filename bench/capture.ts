/**
 * Capture benchmark (needs root): netkit's sniffer (`cmd/sniffer.ts`, as a real process) against tcpdump, in
 * the same run, on a bounded UDP flood to 127.0.0.1 from a small C `sendmmsg` sender (built with gcc into a
 * temporary directory), paced to each rate step. Each capturer runs alone on its own flood, filtered with
 * `udp dst port P`, in four modes:
 *
 * - `null`: `-w /dev/null` (capture only);
 * - `file`: `-w FILE.pcap` in a temporary directory;
 * - `text`: `-n > /dev/null` (decode and print);
 * - `json`: netkit `--json > /dev/null` against tcpdump `-n > /dev/null`.
 *
 * Per step and mode it prints packets sent and captured, kernel drops, the capturer's CPU seconds per million
 * packets (each thread's /proc schedstat, in nanoseconds, counted from half a second after "listening on" until
 * the flood has drained), and the ratio netkit / tcpdump of CPU per packet ("n/a" when tcpdump used under 10 ms).
 *
 *   deno task bench capture [--rates 50000,150000,max] [--seconds 2] [--size 64] [--modes null,file,text,json]
 *                           [--max-count 600000] [--repeat 3] [--interface lo|any]
 *
 * Each step runs `--repeat` times, netkit and tcpdump alternately, and reports each capturer's median run by
 * CPU per packet (a single 10 ms-tick reading on a shared machine swings by 20% and more) with the most
 * packets any of its runs dropped.
 *
 * Every flood is bounded: at most `rate x seconds` datagrams and at most `--max-count` (the whole flood of
 * `max`; a larger count amortises the JIT's warm-up over more packets, for both capturers alike), and each
 * process is killed after 60 s.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Capturer, cpuSecondsPrecise, hasCommand, sleep, startCapturer, table } from "./_util.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DENO = Deno.execPath();
/** The command line of netkit's sniffer with the `sniffer` task's permissions (arguments follow). */
export const SNIFFER: string[] = [
  DENO,
  "run",
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  `${ROOT}cmd/sniffer.ts`,
];
const MAX_COUNT = 600_000;
const KILL_MS = 60_000;
/** Below 10 ms of CPU (a kernel without schedstat counts 10 ms ticks) a ratio would mean little. */
export const MIN_CPU = 0.01;

const SENDER_C = `
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
/* usage: sender COUNT PORT SIZE PPS (0: as fast as possible); prints the number sent */
int main(int argc, char **argv) {
  if (argc != 5) return 2;
  long n = atol(argv[1]); int port = atoi(argv[2]); int size = atoi(argv[3]); double pps = atof(argv[4]);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 1; }
  static char buf[2048]; memset(buf, 'x', sizeof buf);
  struct iovec iov[32]; struct mmsghdr m[32];
  for (int i = 0; i < 32; i++) {
    iov[i].iov_base = buf; iov[i].iov_len = size;
    memset(&m[i], 0, sizeof m[i]); m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1;
  }
  struct timespec t0; clock_gettime(CLOCK_MONOTONIC, &t0);
  long sent = 0;
  while (sent < n) {
    if (pps > 0) {
      double due = sent / pps;
      struct timespec at = t0;
      at.tv_sec += (time_t)due; at.tv_nsec += (long)((due - (time_t)due) * 1e9);
      if (at.tv_nsec >= 1000000000L) { at.tv_sec++; at.tv_nsec -= 1000000000L; }
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
    }
    int batch = n - sent < 32 ? (int)(n - sent) : 32;
    int r = sendmmsg(s, m, batch, 0);
    if (r < 0) { perror("sendmmsg"); return 1; }
    sent += r;
  }
  printf("%ld\\n", sent);
  return 0;
}
`;

type Mode = "null" | "file" | "text" | "json";
const MODES: Mode[] = ["null", "file", "text", "json"];

interface Run {
  sent: number;
  kpps: number;
  captured: number;
  dropped: number;
  cpu: number;
}

/**
 * Builds the flood sender with gcc.
 *
 * @param dir a temporary directory for the source and the binary
 * @returns the binary's path; run it as `sender COUNT PORT SIZE PPS` (PPS 0: unpaced)
 */
export async function buildSender(dir: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/sender.c`, SENDER_C);
  const out = await new Deno.Command("gcc", {
    args: ["-O2", "-o", `${dir}/sender`, `${dir}/sender.c`],
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`gcc: ${new TextDecoder().decode(out.stderr).split("\n")[0]}`);
  return `${dir}/sender`;
}

/**
 * Sends one bounded flood to 127.0.0.1:port (killed after 60 s).
 *
 * @param sender the binary from {@link buildSender}
 * @param count datagrams to send
 * @param port destination port
 * @param size payload bytes
 * @param pps pace in datagrams per second, 0 for unpaced
 * @returns datagrams sent and how long it took
 */
export async function flood(
  sender: string,
  count: number,
  port: number,
  size: number,
  pps: number,
): Promise<{ sent: number; seconds: number }> {
  const child = new Deno.Command(sender, {
    args: [String(count), String(port), String(size), String(pps)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), KILL_MS);
  const t0 = performance.now();
  const out = await child.output();
  const seconds = (performance.now() - t0) / 1000;
  clearTimeout(timer);
  return { sent: Number(new TextDecoder().decode(out.stdout).trim()) || 0, seconds };
}

/** Runs one capturer on one flood; the capturer's stdout goes to /dev/null. */
async function capture(
  who: "netkit" | "tcpdump",
  mode: Mode,
  sender: string,
  dir: string,
  count: number,
  size: number,
  pps: number,
  iface: string,
): Promise<Run> {
  const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (rx.addr as Deno.NetAddr).port;
  const out = mode === "null" ? ["-w", "/dev/null"] : mode === "file" ? ["-w", `${dir}/${who}.pcap`] : [];
  const json = mode === "json" && who === "netkit" ? ["--json"] : [];
  const args = ["-i", iface, "-n", "-B", "8192", ...out, ...json, "udp", "dst", "port", String(port)];
  const cmd = who === "netkit" ? [...SNIFFER, ...args] : ["tcpdump", ...args];
  let child: Capturer | undefined;
  try {
    child = await startCapturer(cmd, who, KILL_MS);
    const cpu0 = cpuSecondsPrecise(child.pid);
    const f = await flood(sender, count, port, size, pps);
    await sleep(1000); // let the capturer drain its ring and its output
    const cpu = cpuSecondsPrecise(child.pid) - cpu0;
    const { captured, dropped } = await child.stop();
    return { sent: f.sent, kpps: f.sent / f.seconds / 1000, captured, dropped, cpu };
  } finally {
    child?.kill();
    rx.close();
    try {
      await Deno.remove(`${dir}/${who}.pcap`);
    } catch { /* not written */ }
  }
}

const perM = (r: Run) => r.cpu / Math.max(r.captured, 1) * 1e6;

/** The run with the median CPU per packet (the lower middle one of an even count). */
function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => perM(a) - perM(b));
  return sorted[(sorted.length - 1) >> 1];
}

/** Runs the capture benchmark; `argv` as documented in the module doc. */
export async function benchCapture(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: "string", default: "50000,150000,max" },
      seconds: { type: "string", default: "2" },
      size: { type: "string", default: "64" },
      modes: { type: "string", default: MODES.join(",") },
      "max-count": { type: "string", default: String(MAX_COUNT) },
      repeat: { type: "string", default: "3" },
      interface: { type: "string", default: "lo" },
    },
  });
  if (Deno.uid() !== 0) {
    console.log("capture: skipped (needs root for AF_PACKET capture)");
    return;
  }
  for (const c of ["gcc", "tcpdump"]) {
    if (!hasCommand(c)) {
      console.log(`capture: skipped (${c} is not installed)`);
      return;
    }
  }
  const seconds = Number(values.seconds), size = Number(values.size);
  const rates = values.rates.split(",").map((r) => (r === "max" ? 0 : Number(r)));
  const modes = values.modes.split(",") as Mode[];
  const maxCount = Number(values["max-count"]);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new RangeError("capture: --repeat 1-20");
  const iface = values.interface;
  if (iface !== "lo" && iface !== "any") throw new RangeError("capture: --interface lo|any");
  if (
    !Number.isInteger(maxCount) || maxCount < 1 || maxCount > 10_000_000
  ) throw new RangeError("capture: --max-count 1-10000000");
  if (
    !(seconds > 0 && seconds <= 10) || !(size >= 1 && size <= 1472) ||
    rates.some((r) => !Number.isInteger(r) || r < 0) || modes.some((m) => !MODES.includes(m))
  ) {
    throw new RangeError(
      "capture: --seconds 1-10, --size 1-1472, --rates N,...|max, --modes null,file,text,json",
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "netkit-capture-bench-" });
  try {
    const sender = await buildSender(dir);
    console.log(
      `UDP flood of ${size}-byte datagrams to 127.0.0.1 (C sendmmsg), captured with -i ${iface}, ` +
        `${seconds} s per step, ring 8 MiB; ` +
        `each capturer's median of ${repeat} runs (by CPU per packet), "dropped" the most any run dropped`,
    );
    const rows: string[][] = [];
    for (const rate of rates) {
      const count = rate === 0 ? maxCount : Math.min(maxCount, Math.round(rate * seconds));
      for (const mode of modes) {
        // Alternated, so that a noisy neighbour's burst hits both; each side's median run is reported.
        const nkRuns: Run[] = [], tdRuns: Run[] = [];
        for (let i = 0; i < repeat; i++) {
          nkRuns.push(await capture("netkit", mode, sender, dir, count, size, rate, iface));
          tdRuns.push(await capture("tcpdump", mode, sender, dir, count, size, rate, iface));
        }
        const nk = median(nkRuns), td = median(tdRuns);
        for (const [who, r] of [["netkit", nk], ["tcpdump", td]] as const) {
          rows.push([
            rate === 0 ? "max" : `${rate / 1000}k`,
            mode === "json" && who === "tcpdump" ? "text" : mode,
            who,
            String(r.sent),
            r.kpps.toFixed(0),
            String(r.captured),
            String(Math.max(...(who === "netkit" ? nkRuns : tdRuns).map((x) => x.dropped))),
            perM(r).toFixed(2),
            who !== "netkit" ? "" : td.cpu < MIN_CPU ? "n/a" : (perM(nk) / perM(td)).toFixed(2),
          ]);
        }
      }
    }
    console.log(table(
      ["rate", "mode", "capturer", "sent", "sent kpps", "captured", "dropped", "CPU s/1M pkts", "x tcpdump"],
      rows,
    ));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await benchCapture(Deno.args);
