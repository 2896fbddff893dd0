/**
 * Capture engine benchmark (needs root): a separate process floods a bounded number of UDP datagrams to
 * 127.0.0.1, while a capturer counts them through a BPF filter that keeps only the flood. Prints, per
 * capturer: packets seen, kernel drops, and CPU seconds per million packets of the capturing process.
 *
 * Capturers:
 * - `main`: lib/capture's engine on the main thread, `for await` (ring walk + awaited nonblocking poll per
 *   block, one settled promise per packet);
 * - `foreach`: the same engine through `Capture.forEach` (a synchronous callback per packet);
 * - `worker`: the same ring read by a Worker that blocks in poll() (no thread hop, no async iterator);
 * - `tcpdump`: `tcpdump -w /dev/null` with the same filter, as the reference.
 *
 * Usage: deno run --allow-all bench/capture_engine.ts [--count 500000] [--size 64] [--runs 1]
 *        [--only main,foreach,worker,tcpdump] [--buffer-mib 8]
 *
 * The generator is a small C program using sendmmsg (built with gcc at start), or python3 when gcc is missing.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { sleep, startCapturer } from "./_util.ts";
import { openCapture } from "../lib/capture/mod.ts";
import type { BpfInstruction } from "../lib/filter/mod.ts";
import { PacketSocket } from "../ffi/packet_socket.ts";
import { ringGeometry, RxRing, WaitResult } from "../ffi/ring.ts";
import { nameToIndex } from "../ffi/interfaces.ts";
import { libc } from "../ffi/libc.ts";
import { RUSAGE_SELF } from "../ffi/constants.ts";
import { dataView, RUSAGE } from "../ffi/structs.ts";

/** CPU seconds (user + system) this process has used, all threads included. */
function cpuSeconds(): number {
  const buf = new Uint8Array(RUSAGE.size);
  if (libc().getrusage(RUSAGE_SELF, buf) !== 0) throw new Error("getrusage failed");
  const dv = dataView(buf);
  const tv = (at: number) => Number(dv.getBigInt64(at, true)) + Number(dv.getBigInt64(at + 8, true)) / 1e6;
  return tv(RUSAGE.host.utime) + tv(RUSAGE.host.stime);
}

/** `udp dst port P` for IPv4 with a 20-byte header, as classic BPF. */
function udpPortFilter(port: number): BpfInstruction[] {
  return [
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 5, k: 0x0800 },
    { code: 0x30, jt: 0, jf: 0, k: 23 },
    { code: 0x15, jt: 0, jf: 3, k: 17 },
    { code: 0x28, jt: 0, jf: 0, k: 36 },
    { code: 0x15, jt: 0, jf: 1, k: port },
    { code: 0x06, jt: 0, jf: 0, k: 262144 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Worker side: count packets from a ring with a blocking poll, until told to stop.

interface WorkerStart {
  port: number;
  bufferSize: number;
  control: SharedArrayBuffer;
}

function workerMain(): void {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<WorkerStart>) => void) | null;
    postMessage(m: unknown): void;
  };
  scope.onmessage = (e) => {
    const { port, bufferSize, control } = e.data;
    const ctl = new Int32Array(control); // [0] stop flag, [1] packets seen (incoming copies), [2] taken
    const sock = PacketSocket.open();
    sock.attachFilter(udpPortFilter(port));
    const ring = RxRing.map(sock, ringGeometry(bufferSize, 262144, 10));
    sock.bind(nameToIndex("lo"));
    scope.postMessage({ ready: true });
    let seen = 0, taken = 0, received = 0, dropped = 0;
    while (Atomics.load(ctl, 0) === 0) {
      for (let p = ring.next(); p !== null; p = ring.next()) {
        taken++;
        if (p.pkttype !== 4) seen++; // drop lo's outgoing copy, as the engine does
      }
      Atomics.store(ctl, 1, seen);
      if (ring.waitBlocking(100) === WaitResult.ready) {
        const err = sock.pendingError();
        if (err) throw new Error(`socket error ${err}`);
      }
    }
    const st = sock.statistics();
    received += st.packets;
    dropped += st.drops;
    ring.close();
    sock.close();
    scope.postMessage({ done: true, seen, taken, received, dropped });
  };
}

// ---------------------------------------------------------------------------------------------------------
// Main side

interface Result {
  capturer: string;
  sent: number;
  seen: number;
  dropped: number;
  cpu: number;
  seconds: number;
  /** how long the generator took: its send rate is sent / floodSeconds */
  floodSeconds: number;
}

const GEN_C = `
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
int main(int argc, char **argv) {
  long n = atol(argv[1]); int port = atoi(argv[2]); int size = atoi(argv[3]);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 1; }
  static char buf[2048]; memset(buf, 'x', sizeof buf);
  struct iovec iov[64]; struct mmsghdr m[64];
  for (int i = 0; i < 64; i++) {
    iov[i].iov_base = buf; iov[i].iov_len = size;
    memset(&m[i], 0, sizeof m[i]); m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1;
  }
  long sent = 0;
  while (sent < n) {
    int batch = n - sent < 64 ? (int)(n - sent) : 64;
    int r = sendmmsg(s, m, batch, 0);
    if (r < 0) { perror("sendmmsg"); return 1; }
    sent += r;
  }
  printf("%ld\\n", sent);
  return 0;
}
`;

async function buildGenerator(dir: string): Promise<string[]> {
  try {
    await Deno.writeTextFile(`${dir}/gen.c`, GEN_C);
    const out = await new Deno.Command("gcc", { args: ["-O2", "-o", `${dir}/gen`, `${dir}/gen.c`] }).output();
    if (out.success) return [`${dir}/gen`];
  } catch { /* no gcc */ }
  const py = `import socket,sys
n,port,size=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3])
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.connect(("127.0.0.1",port));b=b"x"*size
for _ in range(n): s.send(b)
print(n)`;
  await Deno.writeTextFile(`${dir}/gen.py`, py);
  return ["python3", `${dir}/gen.py`];
}

async function flood(gen: string[], count: number, port: number, size: number): Promise<number> {
  const child = new Deno.Command(gen[0], {
    args: [...gen.slice(1), String(count), String(port), String(size)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const out = await child.output();
  clearTimeout(timer);
  return Number(new TextDecoder().decode(out.stdout).trim()) || 0;
}

/** Waits until `value()` stops changing for `quietMs`, at most `maxMs`. */
async function drain(value: () => number, quietMs = 300, maxMs = 10_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  while (Date.now() < end) {
    const v = value();
    if (v === last) return;
    last = v;
    await sleep(quietMs);
  }
}

async function runMain(
  gen: string[],
  count: number,
  size: number,
  bufferSize: number,
  style: "iterator" | "foreach",
): Promise<Result> {
  const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (rx.addr as Deno.NetAddr).port;
  const cap = openCapture({ interface: "lo", filter: udpPortFilter(port), bufferSize });
  let seen = 0;
  const loop = style === "foreach" ? cap.forEach(() => seen++) : (async () => {
    for await (const _ of cap) seen++;
  })();
  const cpu0 = cpuSeconds(), t0 = performance.now();
  const f0 = performance.now();
  const sent = await flood(gen, count, port, size);
  const floodSeconds = (performance.now() - f0) / 1000;
  await drain(() => seen);
  const cpu = cpuSeconds() - cpu0, seconds = (performance.now() - t0) / 1000;
  cap.close();
  await loop;
  await cap.closed;
  rx.close();
  const st = cap.stats();
  return {
    capturer: style === "foreach" ? "forEach" : "main",
    sent,
    seen,
    dropped: st.dropped,
    cpu,
    seconds,
    floodSeconds,
  };
}

async function runWorker(gen: string[], count: number, size: number, bufferSize: number): Promise<Result> {
  const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (rx.addr as Deno.NetAddr).port;
  const control = new SharedArrayBuffer(12);
  const ctl = new Int32Array(control);
  const worker = new Worker(import.meta.url, { type: "module", name: "capture-bench-worker" });
  const messages: Record<string, number | boolean>[] = [];
  let notify: () => void = () => {};
  worker.onmessage = (e) => {
    messages.push(e.data);
    notify();
  };
  const next = async () => {
    while (messages.length === 0) await new Promise<void>((r) => notify = r);
    return messages.shift()!;
  };
  worker.postMessage({ port, bufferSize, control } satisfies WorkerStart);
  await next(); // ready
  const cpu0 = cpuSeconds(), t0 = performance.now();
  const f0 = performance.now();
  const sent = await flood(gen, count, port, size);
  const floodSeconds = (performance.now() - f0) / 1000;
  await drain(() => Atomics.load(ctl, 1));
  const cpu = cpuSeconds() - cpu0, seconds = (performance.now() - t0) / 1000;
  Atomics.store(ctl, 0, 1);
  const done = await next();
  worker.terminate();
  rx.close();
  return {
    capturer: "worker",
    sent,
    seen: done.seen as number,
    dropped: done.dropped as number,
    cpu,
    seconds,
    floodSeconds,
  };
}

function procCpu(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function runTcpdump(gen: string[], count: number, size: number, bufferSize: number): Promise<Result> {
  const rx = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (rx.addr as Deno.NetAddr).port;
  const args = ["-i", "lo", "-n", "-w", "/dev/null", "-B", String(bufferSize >> 10), "udp", "dst", "port"];
  const child = await startCapturer(["tcpdump", ...args, String(port)], "tcpdump", 180_000);
  const cpu0 = procCpu(child.pid), t0 = performance.now();
  const f0 = performance.now();
  const sent = await flood(gen, count, port, size);
  const floodSeconds = (performance.now() - f0) / 1000;
  await sleep(1000); // tcpdump keeps no live counter to watch: give it a second to drain
  const cpu = procCpu(child.pid) - cpu0, seconds = (performance.now() - t0) / 1000;
  const { captured, dropped } = await child.stop();
  child.kill();
  rx.close();
  return { capturer: "tcpdump", sent, seen: captured, dropped, cpu, seconds, floodSeconds };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      count: { type: "string", default: "500000" },
      size: { type: "string", default: "64" },
      runs: { type: "string", default: "1" },
      only: { type: "string", default: "main,foreach,worker,tcpdump" },
      "buffer-mib": { type: "string", default: "8" },
    },
  });
  const count = Number(values.count), size = Number(values.size), runs = Number(values.runs);
  const bufferSize = Number(values["buffer-mib"]) * 1024 * 1024;
  if (![count, size, runs, bufferSize].every((x) => Number.isInteger(x) && x > 0) || size > 1472) {
    console.error("capture_engine: --count, --size (1-1472), --runs and --buffer-mib take positive integers");
    return 2;
  }
  const dir = await Deno.makeTempDir({ prefix: "netkit-capbench-" });
  try {
    const gen = await buildGenerator(dir);
    const kinds = values.only.split(",");
    console.log(
      `flood: ${count} UDP datagrams of ${size} bytes to 127.0.0.1 via ${gen[0]}; ring ${
        values["buffer-mib"]
      } MiB`,
    );
    console.log("capturer  sent      seen      dropped  seconds  CPU s   CPU s per 1M seen  flood kpps");
    for (let r = 0; r < runs; r++) {
      for (const kind of kinds) {
        const res = kind === "main"
          ? await runMain(gen, count, size, bufferSize, "iterator")
          : kind === "foreach"
          ? await runMain(gen, count, size, bufferSize, "foreach")
          : kind === "worker"
          ? await runWorker(gen, count, size, bufferSize)
          : await runTcpdump(gen, count, size, bufferSize);
        console.log(
          `${res.capturer.padEnd(9)} ${String(res.sent).padEnd(9)} ${String(res.seen).padEnd(9)} ` +
            `${String(res.dropped).padEnd(8)} ${res.seconds.toFixed(2).padEnd(8)} ${
              res.cpu.toFixed(2).padEnd(7)
            } ` +
            `${(res.cpu / (res.seen / 1e6)).toFixed(2).padEnd(18)} ${
              (res.sent / res.floodSeconds / 1e3).toFixed(0)
            }`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return 0;
}

if ((self as { name?: string }).name === "capture-bench-worker") {
  workerMain();
} else if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error(`capture_engine: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
