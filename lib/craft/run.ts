/**
 * Carrying out an {@link InjectPlan}: write it to a capture file (`--dry-run -w`), send it paced, send it and
 * match the replies (`--wait-reply`), or replay a file. Output goes through a callback, one line at a time,
 * so only `cmd/inject.ts` prints.
 *
 * @module
 */
import { createWriter, formatForPath } from "../pcap/writer.ts";
import { Injector, type InjectStats } from "../capture/injector.ts";
import { formatMatchSummary, formatReply, sendAndMatch } from "../capture/match.ts";
import { formatReplayStats, loadCapture, replayCapture } from "../capture/replay.ts";
import { type InjectPlan, type ParseContext, UsageError } from "./options.ts";

/** Most packets `--dry-run` writes. */
const DRY_RUN_LIMIT = 1_000_000;

/**
 * The defaults a command line needs from the machine: file reading, an interface's MAC, a source address.
 *
 * @returns a context for {@link parseInjectArgs}
 * @example
 * ```ts
 * import { injectContext } from "./run.ts";
 * const ctx = injectContext();
 * if (typeof ctx.readFile !== "function") throw new Error("reads files");
 * ```
 */
export function injectContext(): ParseContext {
  return {
    readFile: (p) => Deno.readFileSync(p),
    macOf: (iface) => {
      try {
        return Deno.readTextFileSync(`/sys/class/net/${iface}/address`).trim();
      } catch {
        return undefined;
      }
    },
    sourceFor: (_dst, family) => {
      if (_dst.startsWith("127.") || _dst === "::1") return undefined;
      const want = family === 4 ? "IPv4" : "IPv6";
      try {
        const a = Deno.networkInterfaces().find((i) =>
          i.family === want && !i.address.startsWith("127.") && i.address !== "::1" &&
          !i.address.startsWith("fe80")
        );
        return a?.address;
      } catch {
        return undefined; // no --allow-sys: the caller then asks for --src
      }
    },
    seed: Deno.pid & 0xffff,
  };
}

/** How {@link runInject} reports. */
export interface InjectIo {
  /** one output line */
  out: (line: string) => void;
  /** aborting (e.g. on SIGINT) stops sending */
  signal?: AbortSignal;
}

/**
 * Formats sending statistics on one line.
 *
 * @param s the statistics
 * @returns e.g. "sent 10 packets (420 bytes) in 0.009 s: 1000 pps (requested 1000 pps), 0.34 Mbps, 0 failed"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInjectStats } from "./run.ts";
 * const line = formatInjectStats({ sent: 2, failed: 0, bytes: 84, elapsedMs: 1000, achievedPps: 1,
 *   achievedMbps: 0.000672, requestedPps: 1 });
 * assert(line.startsWith("sent 2 packets (84 bytes) in 1.000 s: 1 pps (requested 1 pps)"));
 * ```
 */
export function formatInjectStats(s: InjectStats): string {
  const req = s.requestedPps !== undefined ? ` (requested ${+s.requestedPps.toPrecision(6)} pps)` : "";
  return `sent ${s.sent} packets (${s.bytes} bytes) in ${(s.elapsedMs / 1000).toFixed(3)} s: ` +
    `${Math.round(s.achievedPps)} pps${req}, ${s.achievedMbps.toFixed(2)} Mbps, ${s.failed} failed` +
    (s.lastError ? ` (last ${s.lastError})` : "");
}

/**
 * Carries out a plan.
 *
 * @param plan from {@link parseInjectArgs}
 * @param io output and abort
 * @returns the exit code: 0 on success, 1 when `--wait-reply` got no reply at all or packets failed
 * @throws {SyscallError} "EPERM" without CAP_NET_RAW, and other kernel refusals
 * @throws {UsageError} for a plan that cannot run (e.g. a dry run without a bound)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseInjectArgs, runInject } from "./mod.ts";
 * const file = await Deno.makeTempFile({ suffix: ".pcap" });
 * const lines: string[] = [];
 * const plan = parseInjectArgs(["udp", "--dst", "::1", "--dport", "9", "-c", "2", "--dry-run", "-w", file]);
 * assert((await runInject(plan, { out: (l) => lines.push(l) })) === 0);
 * assert(lines[0] === `wrote 2 packets to ${file}`);
 * await Deno.remove(file);
 * ```
 */
export async function runInject(plan: InjectPlan, io: InjectIo): Promise<number> {
  if (plan.replay) {
    const r = plan.replay;
    const loaded = loadCapture(Deno.readFileSync(r.file), r.filter);
    if (plan.dryRun) {
      const w = createWriter(formatForPath(plan.write!), await sinkFor(plan.write!), {
        linktype: loaded.linktype,
        keepOpen: plan.write === "-",
      });
      for (let i = 0; i < loaded.offsets.length; i++) {
        const at = loaded.offsets[i];
        await w.write({ data: loaded.bytes.subarray(at, at + loaded.lengths[i]) });
      }
      await w.close();
      io.out(`wrote ${loaded.offsets.length} of ${loaded.total} packets to ${plan.write}`);
      return 0;
    }
    const s = await replayCapture(loaded, {
      interface: plan.interface!,
      pps: r.pps,
      mbps: r.mbps,
      multiplier: r.multiplier,
      topspeed: r.topspeed,
      loop: r.loop,
      threads: r.threads,
      durationMs: plan.durationMs,
      signal: io.signal,
      progressMs: r.statsEvery > 0 ? r.statsEvery * 1000 : undefined,
      onProgress: r.statsEvery > 0 ? (p) => io.out(formatReplayStats(p).join("; ")) : undefined,
    });
    io.out(
      `File: ${s.filePackets} packets, ${s.selected} selected, ${r.loop} loop(s)` +
        (r.threads > 1 ? `, ${s.threads} sending thread(s)` : ""),
    );
    for (const line of formatReplayStats(s)) io.out(line);
    return s.failed > 0 && s.sent === 0 ? 1 : 0;
  }

  if (plan.dryRun) {
    if (plan.count > DRY_RUN_LIMIT) {
      throw new UsageError(`--dry-run writes at most ${DRY_RUN_LIMIT} packets: give -c`);
    }
    const w = createWriter(formatForPath(plan.write!), await sinkFor(plan.write!), {
      linktype: plan.layer === 2 ? 1 : 101,
      keepOpen: plan.write === "-",
    });
    const now = Date.now();
    for (let i = 0; i < plan.count; i++) {
      const t = now + i * (plan.interval ?? (plan.rate ? 1000 / plan.rate : 0));
      await w.write({
        data: plan.frames[i % plan.frames.length],
        tsSec: Math.floor(t / 1000),
        tsNsec: Math.round((t % 1000) * 1e6),
      });
    }
    await w.close();
    io.out(`wrote ${plan.count} packets to ${plan.write}`);
    return 0;
  }

  const target = plan.layer === 2
    ? { layer: 2 as const, interface: plan.interface! }
    : { layer: 3 as const, family: plan.family };

  if (plan.waitReply) {
    const s = await sendAndMatch({
      target,
      frames: plan.frames,
      count: plan.count,
      interval: plan.flood ? 0 : plan.rate ? 1 / plan.rate : plan.interval ?? 1,
      timeoutMs: plan.timeoutMs,
      signal: io.signal,
      listen: plan.layer === 3 ? plan.interface : undefined,
      onReply: plan.quiet ? undefined : (m) => io.out(formatReply(m)),
    });
    for (const line of formatMatchSummary(s)) io.out(line);
    return s.received > 0 ? 0 : 1;
  }

  using inj = Injector.open(target);
  const s = await inj.sendFrames(plan.frames, {
    count: plan.count,
    rate: plan.rate,
    interval: plan.interval,
    flood: plan.flood,
    durationMs: plan.durationMs,
    signal: io.signal,
  });
  io.out(formatInjectStats(s));
  return s.failed > 0 && s.sent === 0 ? 1 : 0;
}

async function sinkFor(path: string): Promise<WritableStream<Uint8Array>> {
  if (path === "-") return Deno.stdout.writable;
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  return f.writable;
}
