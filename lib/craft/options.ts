/**
 * hping3-style command line of `inject`, parsed into layer specs and a sending plan. Pure: no `Deno.*`
 * (a `--payload-file` or `raw --file` is read by the caller and passed in through `readFile`).
 *
 * ```
 * inject icmp|icmp6|tcp|udp|arp|raw|replay [options]
 * ```
 *
 * Every bad value (an address that does not parse, a port over 65535, an unknown flag letter, an unknown
 * option) throws {@link UsageError}, which a CLI turns into a one-line message and exit 2.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseIpv4Address, parseIpv6Address, parseMac } from "../wire/mod.ts";
import type { TcpOption } from "../wire/mod.ts";
import { compileFilter } from "../filter/compile.ts";
import { buildPacket, type LayerSpec } from "./build.ts";
import { UsageError } from "../usage.ts";
import { MAX_REPLAY_THREADS } from "../capture/replay.ts";

export { UsageError } from "../usage.ts";

/** The commands of `inject`. */
export const INJECT_COMMANDS = ["icmp", "icmp6", "tcp", "udp", "arp", "raw", "replay"] as const;
/** One of {@link INJECT_COMMANDS}. */
export type InjectCommand = typeof INJECT_COMMANDS[number];

/** Replay settings (`inject replay FILE`). */
export interface ReplayPlan {
  /** the pcap or pcapng file */
  file: string;
  /** packets per second */
  pps?: number;
  /** megabits per second */
  mbps?: number;
  /** original timing scaled: 2 = twice as fast */
  multiplier?: number;
  /** as fast as possible */
  topspeed: boolean;
  /** passes over the file */
  loop: number;
  /** a filter expression selecting what is replayed */
  filter?: string;
  /** seconds between periodic statistics lines, 0 for none */
  statsEvery: number;
  /** sending threads (more than 1 only with `topspeed`) */
  threads: number;
}

/** What `inject` was asked to do. */
export interface InjectPlan {
  /** the command */
  command: InjectCommand;
  /** 2: frames with an Ethernet header out of `interface`; 3: IP packets routed by the kernel */
  layer: 2 | 3;
  /** IP version of the probes */
  family: 4 | 6;
  /** `-i`: the interface (layer 2, replay, or where to listen for replies) */
  interface?: string;
  /** the distinct packets, in sending order (cycled up to `count`) */
  frames: Uint8Array[];
  /** packets to send */
  count: number;
  /** packets per second */
  rate?: number;
  /** seconds between packets (default 1, as hping3) */
  interval?: number;
  /** as fast as possible */
  flood: boolean;
  /** stop after this many ms */
  durationMs?: number;
  /** write to `write` instead of sending */
  dryRun: boolean;
  /** the capture file of `--dry-run` */
  write?: string;
  /** match replies (`--wait-reply`) */
  waitReply: boolean;
  /** ms to wait for the last reply */
  timeoutMs: number;
  /** no per-packet lines */
  quiet: boolean;
  /** replay settings when the command is "replay" */
  replay?: ReplayPlan;
}

/** The usage text. */
export const INJECT_USAGE = `usage: inject icmp|icmp6|tcp|udp|arp|raw|replay [options] [DST]
  --dst ADDR --src ADDR  -6            addresses (IPv6 with -6 or an IPv6 address)
  --sport N --dport N --flags SAFRPUEC --seq N --ack N --win N --mss N --wscale N --sack-perm --timestamp
  --ttl N | --hop-limit N  --id N  --df  --tos N  --icmp-type N --icmp-code N --icmp-id N --icmp-seq N
  --payload TEXT | --payload-hex HEX | --payload-file PATH   --data-len N   --bad-checksum
  -i IFACE  --src-mac MAC --dst-mac MAC (layer 2)   arp: --arp-op request|reply --target-mac MAC
  raw: --hex HEX | --file PATH (IP packet, or a whole frame with -i)
  -c N  --rate PPS | --interval SEC | --flood  --duration SEC  --wait-reply --timeout SEC  -q
  --dry-run -w OUT.pcap
  replay FILE -i IFACE [--pps N | --mbps N | --multiplier X | --topspeed] [--loop N] [--filter EXPR]
         [--stats SEC] [--threads N (with --topspeed: N senders, order kept within each flow)]`;

const OPTIONS = {
  src: { type: "string" },
  dst: { type: "string" },
  sport: { type: "string" },
  dport: { type: "string" },
  flags: { type: "string" },
  seq: { type: "string" },
  ack: { type: "string" },
  win: { type: "string" },
  ttl: { type: "string" },
  "hop-limit": { type: "string" },
  id: { type: "string" },
  df: { type: "boolean" },
  tos: { type: "string" },
  mss: { type: "string" },
  wscale: { type: "string" },
  "sack-perm": { type: "boolean" },
  timestamp: { type: "boolean" },
  "icmp-type": { type: "string" },
  "icmp-code": { type: "string" },
  "icmp-id": { type: "string" },
  "icmp-seq": { type: "string" },
  payload: { type: "string" },
  "payload-hex": { type: "string" },
  "payload-file": { type: "string" },
  "data-len": { type: "string" },
  "bad-checksum": { type: "boolean" },
  interface: { type: "string", short: "i" },
  "src-mac": { type: "string" },
  "dst-mac": { type: "string" },
  "target-mac": { type: "string" },
  "arp-op": { type: "string" },
  ipv6: { type: "boolean", short: "6" },
  hex: { type: "string" },
  file: { type: "string" },
  count: { type: "string", short: "c" },
  rate: { type: "string" },
  interval: { type: "string" },
  flood: { type: "boolean" },
  duration: { type: "string" },
  "dry-run": { type: "boolean" },
  write: { type: "string", short: "w" },
  "wait-reply": { type: "boolean" },
  timeout: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  pps: { type: "string" },
  mbps: { type: "string" },
  multiplier: { type: "string" },
  topspeed: { type: "boolean" },
  loop: { type: "string" },
  filter: { type: "string" },
  stats: { type: "string" },
  threads: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function int(v: Values, name: keyof Values, max: number, min = 0): number | undefined {
  const text = v[name];
  if (text === undefined) return undefined;
  const s = String(text);
  const n = /^(0x[0-9a-f]+|[0-9]+)$/i.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: ${JSON.stringify(s)} is not an integer in ${min}..${max}`);
  }
  return n;
}

function num(v: Values, name: keyof Values, min: number, max = Infinity): number | undefined {
  const text = v[name];
  if (text === undefined) return undefined;
  const s = String(text);
  const n = /^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name}: ${JSON.stringify(s)} is not a number in ${min}..${max}`);
  }
  return n;
}

function address(text: string, family: 4 | 6, what: string): Uint8Array {
  try {
    return family === 6 ? parseIpv6Address(text) : parseIpv4Address(text);
  } catch {
    throw new UsageError(`${what}: ${JSON.stringify(text)} is not an IPv${family} address`);
  }
}

function mac(text: string, what: string): Uint8Array {
  try {
    return parseMac(text);
  } catch {
    throw new UsageError(`${what}: ${JSON.stringify(text)} is not a MAC address`);
  }
}

/**
 * Hex bytes with optional spaces, colons or a 0x prefix.
 *
 * @param text e.g. "45 00 00 1c" or "0x4500001c"
 * @param what the option, for the message
 * @returns the bytes
 * @throws {UsageError} for an odd number of digits or a non-hex character
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHexBytes } from "./options.ts";
 * assert.deepEqual([...parseHexBytes("0x45:00 1c")], [0x45, 0x00, 0x1c]);
 * ```
 */
export function parseHexBytes(text: string, what = "--hex"): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/^0x/i, "").replace(/[\s:.-]/g, "");
  if (!/^([0-9a-f]{2})*$/i.test(clean)) {
    throw new UsageError(`${what}: ${JSON.stringify(text)} is not hex bytes`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const FLAG_BITS: Record<string, number> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  A: 0x10,
  U: 0x20,
  E: 0x40,
  C: 0x80,
};

/**
 * TCP flag letters as hping3/nmap write them: F S R P A U E C (and "." for ACK), in any order.
 *
 * @param text e.g. "SA"
 * @returns the flag bits
 * @throws {UsageError} for an unknown letter
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTcpFlags } from "./options.ts";
 * assert(parseTcpFlags("SA") === 0x12 && parseTcpFlags("") === 0);
 * ```
 */
export function parseTcpFlags(text: string): number {
  let bits = 0;
  for (const ch of text) {
    const b = ch === "." ? FLAG_BITS.A : FLAG_BITS[ch.toUpperCase()];
    if (b === undefined) {
      throw new UsageError(`--flags: unknown flag letter ${JSON.stringify(ch)} (use FSRPAUEC)`);
    }
    bits |= b;
  }
  return bits;
}

/** What {@link parseInjectArgs} needs from outside: file reading and the defaults it cannot know. */
export interface ParseContext {
  /** reads a file for --payload-file and raw --file; default: refuse */
  readFile?: (path: string) => Uint8Array;
  /** default source address for a destination (e.g. from the routing table); default: loopback for a
   * loopback destination, else required */
  sourceFor?: (dst: string, family: 4 | 6) => string | undefined;
  /** default MAC of the interface for layer 2 */
  macOf?: (iface: string) => string | undefined;
  /** base for ids and ports that vary per run (default 0x4e4b, "NK") */
  seed?: number;
}

/** Most distinct packets built for a long run: a flood cycles through them. */
const MAX_DISTINCT = 256;

function isLoopback(dst: string, family: 4 | 6): boolean {
  return family === 4 ? dst.startsWith("127.") : dst === "::1" || dst === "0:0:0:0:0:0:0:1";
}

/**
 * Parses an `inject` command line into a plan with its packets built.
 *
 * @param argv the arguments after the program name
 * @param ctx file reading and defaults
 * @returns the plan
 * @throws {UsageError} for any bad or missing value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseInjectArgs } from "./options.ts";
 * const plan = parseInjectArgs(["tcp", "--dst", "127.0.0.1", "--dport", "80", "--flags", "S", "-c", "3"]);
 * assert(plan.layer === 3 && plan.frames.length === 3 && plan.frames[0][33] === 0x02);
 * ```
 */
export function parseInjectArgs(argv: readonly string[], ctx: ParseContext = {}): InjectPlan {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  const v = parsed.values;
  const pos = parsed.positionals;
  if (v.help) throw new UsageError(INJECT_USAGE);
  const command = pos[0] as InjectCommand | undefined;
  if (command === undefined) {
    throw new UsageError("missing command: icmp, icmp6, tcp, udp, arp, raw or replay");
  }
  if (!INJECT_COMMANDS.includes(command)) {
    throw new UsageError(
      `unknown command ${JSON.stringify(command)} (icmp, icmp6, tcp, udp, arp, raw, replay)`,
    );
  }
  // hping3 and ping take the target as their last argument: `inject icmp 127.0.0.1` is `--dst 127.0.0.1`.
  const takesTarget = command !== "replay" && command !== "raw";
  if (takesTarget && pos.length === 2) {
    if (v.dst !== undefined && v.dst !== pos[1]) {
      throw new UsageError(`two destinations: ${JSON.stringify(pos[1])} and --dst ${JSON.stringify(v.dst)}`);
    }
    v.dst = pos[1];
  }
  if (command !== "replay" && pos.length > (takesTarget ? 2 : 1)) {
    throw new UsageError(`unexpected argument ${JSON.stringify(pos[takesTarget ? 2 : 1])}`);
  }
  if (command !== "replay" && v.threads !== undefined) throw new UsageError("--threads is for replay");
  const exclusive = ["rate", "interval", "flood"].filter((k) => v[k as keyof Values] !== undefined);
  if (exclusive.length > 1) throw new UsageError(`--${exclusive.join(" and --")} exclude each other`);
  const durationMs = v.duration === undefined ? undefined : num(v, "duration", 0)! * 1000;
  const common = {
    interface: v.interface,
    rate: num(v, "rate", Number.MIN_VALUE),
    interval: num(v, "interval", 0),
    flood: v.flood ?? false,
    durationMs,
    dryRun: v["dry-run"] ?? false,
    write: v.write,
    waitReply: v["wait-reply"] ?? false,
    timeoutMs: (num(v, "timeout", 0) ?? 1) * 1000,
    quiet: v.quiet ?? false,
  };
  if (common.dryRun && !common.write) throw new UsageError("--dry-run needs -w FILE");
  if (common.flood && v.count === undefined && durationMs === undefined) {
    throw new UsageError("--flood needs a bound: -c N or --duration SEC");
  }

  if (command === "replay") {
    const file = pos[1];
    if (file === undefined) throw new UsageError("replay: missing FILE");
    const rest = pos.slice(2).join(" ");
    if (rest !== "" && v.filter !== undefined) throw new UsageError("replay: give the filter once");
    if (!common.interface && !common.dryRun) throw new UsageError("replay needs -i IFACE");
    const filter = v.filter ?? (rest === "" ? undefined : rest);
    if (filter !== undefined) {
      try {
        compileFilter(filter, { linktype: 1 }); // syntax first: a bad expression is a usage error
      } catch (e) {
        throw new UsageError(`filter: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    const speeds = ["pps", "mbps", "multiplier", "topspeed"].filter((k) =>
      v[k as keyof Values] !== undefined
    );
    if (speeds.length > 1) throw new UsageError(`--${speeds.join(" and --")} exclude each other`);
    const threads = int(v, "threads", MAX_REPLAY_THREADS, 1) ?? 1;
    if (threads > 1 && !v.topspeed) {
      throw new UsageError("--threads needs --topspeed (a paced replay keeps the file's order)");
    }
    return {
      command,
      layer: 2,
      family: 4,
      frames: [],
      count: Infinity,
      ...common,
      replay: {
        file,
        pps: num(v, "pps", Number.MIN_VALUE),
        mbps: num(v, "mbps", Number.MIN_VALUE),
        multiplier: num(v, "multiplier", Number.MIN_VALUE),
        topspeed: v.topspeed ?? false,
        loop: int(v, "loop", 1_000_000, 1) ?? 1,
        filter,
        statsEvery: num(v, "stats", 0) ?? 0,
        threads,
      },
    };
  }

  const count = int(v, "count", Number.MAX_SAFE_INTEGER, 1) ?? (common.flood ? Number.MAX_SAFE_INTEGER : 1);
  const family: 4 | 6 = command === "icmp6" || v.ipv6 || (v.dst ?? "").includes(":") ? 6 : 4;
  const l2 = common.interface !== undefined &&
    (command === "arp" || v["src-mac"] !== undefined || v["dst-mac"] !== undefined || command === "raw");
  const layer: 2 | 3 = command === "arp" || l2 ? 2 : 3;
  if (layer === 2 && !common.interface && !common.dryRun) throw new UsageError(`${command} needs -i IFACE`);
  const distinct = Math.min(count, MAX_DISTINCT);
  const payload = readPayload(v, ctx);
  const frames: Uint8Array[] = [];

  const eth = (ethertype?: number): LayerSpec => ({
    layer: "eth",
    src: v["src-mac"] !== undefined
      ? mac(v["src-mac"], "--src-mac")
      : mac(ctx.macOf?.(common.interface ?? "") ?? "00:00:00:00:00:00", "interface MAC"),
    dst: v["dst-mac"] !== undefined ? mac(v["dst-mac"], "--dst-mac") : mac("ff:ff:ff:ff:ff:ff", ""),
    ...(ethertype === undefined ? {} : { ethertype }),
  });

  if (command === "raw") {
    let bytes: Uint8Array;
    if (v.hex !== undefined) bytes = parseHexBytes(v.hex);
    else if (v.file !== undefined) bytes = readWith(ctx, v.file, "--file");
    else throw new UsageError("raw: give --hex HEX or --file PATH");
    if (bytes.length === 0) throw new UsageError("raw: no bytes to send");
    const rawFamily = bytes[0] >> 4;
    if (layer === 3 && rawFamily !== 4 && rawFamily !== 6) {
      throw new UsageError(
        `raw: without -i the bytes must be an IPv4 or IPv6 packet (version nibble ${rawFamily})`,
      );
    }
    return {
      command,
      layer,
      family: layer === 3 ? rawFamily as 4 | 6 : 4,
      frames: [bytes],
      count,
      ...common,
    };
  }

  if (command === "arp") {
    const op = v["arp-op"] === undefined || v["arp-op"] === "request"
      ? 1
      : v["arp-op"] === "reply"
      ? 2
      : int(v, "arp-op", 0xffff);
    if (v.dst === undefined) throw new UsageError("arp: missing --dst (the target protocol address)");
    const tpa = address(v.dst, 4, "--dst");
    const spa = address(v.src ?? "0.0.0.0", 4, "--src");
    const e = eth();
    for (let i = 0; i < distinct; i++) {
      frames.push(buildPacket([e, {
        layer: "arp",
        op: op!,
        sha: (e as { src: Uint8Array }).src,
        spa,
        tha: v["target-mac"] !== undefined ? mac(v["target-mac"], "--target-mac") : new Uint8Array(6),
        tpa,
      }]));
    }
    return { command, layer, family: 4, frames, count, ...common };
  }

  if (v.dst === undefined) throw new UsageError(`${command}: missing --dst ADDR`);
  const dst = address(v.dst, family, "--dst");
  const srcText = v.src ?? ctx.sourceFor?.(v.dst, family) ??
    (isLoopback(v.dst, family) ? (family === 4 ? "127.0.0.1" : "::1") : undefined);
  if (srcText === undefined) {
    throw new UsageError(`${command}: --src ADDR needed (no default source for ${v.dst})`);
  }
  const src = address(srcText, family, "--src");
  if (family === 6 && (command === "icmp" || v.id !== undefined || v.df || v.tos !== undefined)) {
    if (command === "icmp") throw new UsageError("icmp is IPv4: use icmp6 for IPv6");
    if (v.id !== undefined || v.df) throw new UsageError("--id and --df are IPv4 fields");
  }
  const seed = ctx.seed ?? 0x4e4b;
  const ttl = family === 4 ? int(v, "ttl", 255) : (int(v, "hop-limit", 255) ?? int(v, "ttl", 255));
  if (family === 4 && v["hop-limit"] !== undefined) throw new UsageError("--hop-limit is IPv6: use --ttl");
  const ipId = int(v, "id", 0xffff);
  const tos = int(v, "tos", 0xff);
  const bad = v["bad-checksum"] ?? false;
  const sportGiven = int(v, "sport", 0xffff);
  const sportBase = sportGiven ?? 1024 + (seed % 50000);
  const dport = int(v, "dport", 0xffff);
  const flags = v.flags === undefined ? 0x02 : parseTcpFlags(v.flags);
  const seq = int(v, "seq", 0xffffffff);
  const ack = int(v, "ack", 0xffffffff);
  const win = int(v, "win", 0xffff);
  const tcpOptions: TcpOption[] = [];
  const mss = int(v, "mss", 0xffff);
  if (mss !== undefined) tcpOptions.push({ kind: 2, mss });
  const wscale = int(v, "wscale", 14);
  if (wscale !== undefined) tcpOptions.push({ kind: 3, shift: wscale });
  if (v["sack-perm"]) tcpOptions.push({ kind: 4 });
  if (v.timestamp) tcpOptions.push({ kind: 8, tsval: seed >>> 0, tsecr: 0 });
  const icmpType = int(v, "icmp-type", 0xff) ?? (family === 4 ? 8 : 128);
  const icmpCode = int(v, "icmp-code", 0xff) ?? 0;
  const icmpId = int(v, "icmp-id", 0xffff) ?? (seed & 0xffff);
  const icmpSeq = int(v, "icmp-seq", 0xffff) ?? 0;
  if ((command === "tcp" || command === "udp") && dport === undefined) {
    throw new UsageError(`${command}: missing --dport N`);
  }

  for (let i = 0; i < distinct; i++) {
    const layers: LayerSpec[] = [];
    if (layer === 2) layers.push(eth());
    if (family === 4) {
      layers.push({
        layer: "ipv4",
        src,
        dst,
        id: ((ipId ?? seed) + i) & 0xffff,
        df: v.df ?? false,
        ...(ttl === undefined ? {} : { ttl }),
        ...(tos === undefined ? {} : { tos }),
      });
    } else {
      layers.push({ layer: "ipv6", src, dst, ...(ttl === undefined ? {} : { hopLimit: ttl }) });
    }
    if (command === "icmp" || command === "icmp6") {
      layers.push({
        layer: family === 4 ? "icmp" : "icmp6",
        type: icmpType,
        code: icmpCode,
        id: icmpId,
        seq: (icmpSeq + i) & 0xffff,
        badChecksum: bad,
      });
    } else if (command === "tcp") {
      layers.push({
        layer: "tcp",
        srcPort: sportGiven ?? ((sportBase + i) & 0xffff),
        dstPort: dport!,
        seq: seq ?? ((seed * 2654435761 + i) >>> 0),
        ack: ack ?? 0,
        flags,
        ...(win === undefined ? {} : { window: win }),
        options: tcpOptions,
        badChecksum: bad,
      });
    } else {
      layers.push({
        layer: "udp",
        srcPort: sportGiven ?? ((sportBase + i) & 0xffff),
        dstPort: dport!,
        badChecksum: bad,
      });
    }
    if (payload.length > 0) layers.push({ layer: "raw", data: payload });
    frames.push(buildPacket(layers));
  }
  return { command, layer, family, frames, count, ...common };
}

function readWith(ctx: ParseContext, path: string, what: string): Uint8Array {
  if (!ctx.readFile) throw new UsageError(`${what}: cannot read files here`);
  try {
    return ctx.readFile(path);
  } catch (e) {
    throw new UsageError(
      `${what}: cannot read ${JSON.stringify(path)}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

function readPayload(v: Values, ctx: ParseContext): Uint8Array {
  const given = ["payload", "payload-hex", "payload-file"].filter((k) => v[k as keyof Values] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given.join(" and --")} exclude each other`);
  let p: Uint8Array = new Uint8Array(0);
  if (v.payload !== undefined) p = new TextEncoder().encode(v.payload);
  else if (v["payload-hex"] !== undefined) p = parseHexBytes(v["payload-hex"], "--payload-hex");
  else if (v["payload-file"] !== undefined) p = readWith(ctx, v["payload-file"], "--payload-file");
  const n = int(v, "data-len", 65000);
  if (n === undefined) return p;
  // hping3's -d: the payload is cut or zero-padded to exactly N bytes.
  const out = new Uint8Array(n);
  out.set(p.subarray(0, n));
  return out;
}
