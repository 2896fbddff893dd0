/**
 * Send and match, like scapy's `sr()` and hping3's reply lines: probes go out through an {@link Injector}
 * while a live capture watches for the answers.
 *
 * Matching rules:
 * - ICMP/ICMPv6 echo: the echo reply from the probe's destination with the same id and sequence;
 * - TCP: a segment from the probe's destination port to its source port whose ACK acknowledges the probe
 *   (`ack = seq + 1` for a SYN, + payload length), or a RST whose `seq` equals the probe's ack (an answer to a
 *   bare ACK);
 * - any probe: an ICMP/ICMPv6 error that quotes it (same addresses, protocol and ports, or echo id/seq), e.g.
 *   UDP to a closed port and the port unreachable.
 *
 * Round-trip times are the capture timestamp of the reply minus the wall clock just before the send.
 *
 * @module
 */
import { PacketDecoder } from "../wire/decoder.ts";
import type { DecodeResult, Layer } from "../wire/decoder.ts";
import { formatIpAddress } from "../wire/address.ts";
import { tcpFlagsText } from "../wire/tcp.ts";
import { compileFilter } from "../filter/compile.ts";
import { openCapture } from "./capture.ts";
import { Injector, type InjectTarget } from "./injector.ts";

/** Options of {@link sendAndMatch}. */
export interface MatchOptions {
  /** where the probes go (layer 2 frames start with an Ethernet header) */
  target: InjectTarget;
  /** the probes; probe i is `frames[i % frames.length]` */
  frames: readonly Uint8Array[];
  /** probes to send, default `frames.length` */
  count?: number;
  /** seconds between probes, default 1 */
  interval?: number;
  /** ms to wait for replies after the last probe, default 1000 */
  timeoutMs?: number;
  /** interface to listen on: default "lo" for a loopback destination, else the layer 2 one or "any" */
  listen?: string;
  /** called for each matched reply as it arrives */
  onReply?: (reply: MatchedReply) => void;
  /** aborting stops sending and waiting */
  signal?: AbortSignal;
}

/** A reply matched to its probe. */
export interface MatchedReply {
  /** index of the probe answered */
  probe: number;
  /** round-trip time in ms */
  rttMs: number;
  /** what kind of answer: "echo-reply", "syn-ack", "rst", "ack", "icmp-error" */
  kind: string;
  /** the responder's address */
  from: string;
  /** bytes of the reply's IP packet */
  length: number;
  /** TTL or hop limit of the reply */
  ttl: number;
  /** IPv4 id (0 on IPv6) */
  ipId: number;
  /** IPv4 DF flag */
  df: boolean;
  /** TCP: the responder's port; ICMP echo: the sequence */
  sport?: number;
  /** TCP flags text, e.g. "S." */
  flags?: string;
  /** TCP sequence, window */
  seq?: number;
  /** TCP window */
  win?: number;
  /** ICMP echo sequence */
  icmpSeq?: number;
  /** ICMP error type and code, e.g. "port unreachable" */
  icmpError?: string;
}

/** The outcome of {@link sendAndMatch}. */
export interface MatchSummary {
  /** the destination of the first probe */
  target: string;
  /** probes sent */
  sent: number;
  /** probes answered */
  received: number;
  /** percent of probes unanswered */
  lossPct: number;
  /** rtt statistics in ms (0 without replies) */
  rttMin: number;
  /** average rtt */
  rttAvg: number;
  /** largest rtt */
  rttMax: number;
  /** the matched replies, in arrival order */
  replies: MatchedReply[];
  /** indexes of probes nobody answered */
  unanswered: number[];
}

interface ProbeInfo {
  keys: string[];
  /** TCP: the ack value that acknowledges the probe, and the probe's own ack (for a RST answer) */
  expectAck?: number;
  probeAck?: number;
  dst: string;
  label: string;
  /** TCP: the probed port, where answers come from */
  tcpPort?: number;
}

function ipOf(r: DecodeResult, from = 0): { i: number; l: Layer } | undefined {
  for (let i = from; i < r.layers.length; i++) {
    const l = r.layers[i];
    if (l.layer === "ipv4" || l.layer === "ipv6") return { i, l };
  }
  return undefined;
}

function addrs(l: Layer): { src: string; dst: string } {
  const x = l as { src: Uint8Array; dst: Uint8Array };
  return { src: formatIpAddress(x.src), dst: formatIpAddress(x.dst) };
}

/** Keys of a datagram seen from its sender: what a reply (or a quote of it) is looked up by. */
function transportKeys(r: DecodeResult, at: number, quoted: boolean): string[] {
  const ip = ipOf(r, at);
  if (!ip) return [];
  const { src, dst } = addrs(ip.l);
  const t = r.layers[ip.i + 1];
  const q = quoted ? "Q" : "D";
  if (!t) return [];
  if (t.layer === "tcp" || t.layer === "udp") {
    return [`${q}|${t.layer}|${src}|${t.srcPort}|${dst}|${t.dstPort}`];
  }
  if (t.layer === "icmp" || t.layer === "icmpv6") {
    return [`${q}|echo|${src}|${dst}|${t.rest >>> 16}|${t.rest & 0xffff}`];
  }
  return [];
}

function describeProbe(frame: Uint8Array, linktype: number, dec: PacketDecoder): ProbeInfo {
  const r = dec.decode(frame, linktype);
  const ip = ipOf(r);
  if (!ip) throw new RangeError("a probe must be an IPv4 or IPv6 packet");
  const { dst } = addrs(ip.l);
  const info: ProbeInfo = { keys: transportKeys(r, 0, true), dst, label: "" };
  const t = r.layers[ip.i + 1];
  if (t?.layer === "tcp") {
    const extra = r.payload.length + (t.flags & 0x02 ? 1 : 0) + (t.flags & 0x01 ? 1 : 0);
    info.expectAck = (t.seq + extra) >>> 0;
    info.probeAck = t.ack;
    info.tcpPort = t.dstPort;
    info.label = `sport=${t.srcPort} dport=${t.dstPort}`;
  } else if (t?.layer === "udp") {
    info.label = `sport=${t.srcPort} dport=${t.dstPort}`;
  } else if (t?.layer === "icmp" || t?.layer === "icmpv6") {
    info.label = `icmp_seq=${t.rest & 0xffff}`;
  }
  return info;
}

const ICMP4_UNREACH = ["net", "host", "protocol", "port", "fragmentation needed", "source route failed"];
const ICMP6_UNREACH = ["no route", "admin prohibited", "beyond scope", "address", "port"];

function icmpErrorText(v6: boolean, type: number, code: number): string {
  if (!v6 && type === 3) return `${ICMP4_UNREACH[code] ?? `code ${code}`} unreachable`;
  if (v6 && type === 1) return `${ICMP6_UNREACH[code] ?? `code ${code}`} unreachable`;
  if ((!v6 && type === 11) || (v6 && type === 3)) return "time exceeded";
  return `type ${type} code ${code}`;
}

/**
 * Sends probes and matches their replies.
 *
 * @param o target, probes, pacing, timeout, listening interface
 * @returns sent/received counts, loss, rtt statistics, every reply and the unanswered probes
 * @throws {SyscallError} "EPERM" without CAP_NET_RAW
 * @throws {RangeError} for a probe that is not IP
 * @example
 * ```ts
 * import { sendAndMatch } from "./match.ts";
 * import { buildPacket } from "../craft/build.ts";
 * const probe = buildPacket([
 *   { layer: "ipv4", src: "127.0.0.1", dst: "127.0.0.1" },
 *   { layer: "icmp", type: 8, id: 0x4e4b, seq: 1 },
 * ]);
 * try {
 *   const s = await sendAndMatch({ target: { layer: 3, family: 4 }, frames: [probe], timeoutMs: 2000 });
 *   if (s.sent !== 1) throw new Error("one probe");
 * } catch (e) {
 *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
 * }
 * ```
 */
export async function sendAndMatch(o: MatchOptions): Promise<MatchSummary> {
  const count = o.count ?? o.frames.length;
  const linktype = o.target.layer === 2 ? 1 : 101;
  const dec = new PacketDecoder();
  const probes = o.frames.map((f) => describeProbe(f, linktype, dec));
  const target = probes[0]?.dst ?? "";
  const loopback = target.startsWith("127.") || target === "::1";
  const listen = o.listen ?? (loopback ? "lo" : o.target.layer === 2 ? o.target.interface : "any");
  // Unanswered probe indexes per key, oldest first.
  const waiting = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    for (const k of probes[i % probes.length].keys) {
      let list = waiting.get(k);
      if (!list) waiting.set(k, list = []);
      list.push(i);
    }
  }
  const sentAt = new Float64Array(count).fill(NaN);
  const answered = new Uint8Array(count);
  const replies: MatchedReply[] = [];
  let done: () => void = () => {};
  const allDone = new Promise<void>((r) => done = r);

  const take = (key: string, accept: (i: number) => boolean): number => {
    const list = waiting.get(key);
    if (!list) return -1;
    const at = list.findIndex((i) => !answered[i] && !Number.isNaN(sentAt[i]) && accept(i));
    if (at < 0) return -1;
    const i = list[at];
    list.splice(at, 1);
    return i;
  };

  const onPacket = (data: Uint8Array, lt: number, tsMs: number) => {
    const r = dec.decode(data, lt);
    const ip = ipOf(r);
    if (!ip) return;
    const t = r.layers[ip.i + 1];
    if (!t) return;
    const v6 = ip.l.layer === "ipv6";
    const { src } = addrs(ip.l);
    let i = -1;
    let kind = "";
    const reply: Partial<MatchedReply> = {};
    if (t.layer === "tcp") {
      // The reply travels the other way: look it up as the probe from our side.
      const { dst } = addrs(ip.l);
      const key = `Q|tcp|${dst}|${t.dstPort}|${src}|${t.srcPort}`;
      const isAck = (t.flags & 0x10) !== 0;
      const isRst = (t.flags & 0x04) !== 0;
      i = take(key, (n) => {
        const p = probes[n % probes.length];
        return (isAck && t.ack === p.expectAck) || (isRst && !isAck && t.seq === p.probeAck);
      });
      kind = isRst ? "rst" : (t.flags & 0x02) ? "syn-ack" : "ack";
      Object.assign(reply, { sport: t.srcPort, flags: tcpFlagsText(t.flags), seq: t.seq, win: t.window });
    } else if (t.layer === "icmp" || t.layer === "icmpv6") {
      const echoReply = v6 ? t.type === 129 : t.type === 0;
      if (echoReply) {
        const { dst } = addrs(ip.l);
        i = take(`Q|echo|${dst}|${src}|${t.rest >>> 16}|${t.rest & 0xffff}`, () => true);
        kind = "echo-reply";
        reply.icmpSeq = t.rest & 0xffff;
      } else if (r.quotedAt >= 0) {
        for (const key of transportKeys(r, r.quotedAt, true)) {
          i = take(key, () => true);
          if (i >= 0) break;
        }
        kind = "icmp-error";
        reply.icmpError = icmpErrorText(v6, t.type, t.code);
      }
    }
    if (i < 0) return;
    answered[i] = 1;
    const ipl = ip.l as { ttl?: number; hopLimit?: number; id?: number; df?: boolean };
    const m: MatchedReply = {
      probe: i,
      rttMs: Math.max(0, tsMs - sentAt[i]),
      kind,
      from: src,
      length: data.length - r.offsets[ip.i],
      ttl: ipl.ttl ?? ipl.hopLimit ?? 0,
      ipId: v6 ? 0 : ipl.id ?? 0,
      df: v6 ? false : ipl.df ?? false,
      ...reply,
    };
    replies.push(m);
    o.onReply?.(m);
    if (replies.length === count) done();
  };

  let filter;
  if (listen !== "any") {
    // Only what can be an answer reaches user space: the machine's loopback may be busy.
    // TCP answers come from the probed ports; ICMP carries echo replies and the errors that quote a probe.
    const ports = [...new Set(probes.flatMap((p) => p.tcpPort === undefined ? [] : [p.tcpPort]))];
    const tcp = ports.length === 0
      ? ""
      : ports.length > 16
      ? " or tcp"
      : ports.map((p) => ` or tcp src port ${p}`).join("");
    filter = compileFilter(`icmp or icmp6${tcp}`, { linktype: 1, snaplen: 512 }).program;
  }
  const cap = openCapture({
    interface: listen,
    direction: "in",
    snaplen: 512,
    bufferSize: 4 << 20,
    blockTimeoutMs: 1,
    filter,
    promiscuous: false,
  });
  const capturing = cap.forEach((p) => onPacket(p.data, p.linktype, p.tsSec * 1000 + p.tsNsec / 1e6));
  const inj = Injector.open(o.target);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await inj.sendFrames(o.frames, {
      count,
      interval: o.interval ?? 1,
      signal: o.signal,
      onSent: (k, t) => sentAt[k] = t,
    });
    if (replies.length < count && !o.signal?.aborted) {
      const abort = new Promise<void>((r) => o.signal?.addEventListener("abort", () => r(), { once: true }));
      await Promise.race([
        allDone,
        abort,
        new Promise<void>((r) => timer = setTimeout(r, o.timeoutMs ?? 1000)),
      ]);
    }
  } finally {
    clearTimeout(timer);
    inj.close();
    cap.close();
    await capturing.catch(() => 0);
    await cap.closed;
  }
  let sent = 0;
  for (let i = 0; i < count; i++) if (!Number.isNaN(sentAt[i])) sent++;
  const rtts = replies.map((x) => x.rttMs);
  const unanswered: number[] = [];
  for (let i = 0; i < count; i++) if (!answered[i] && !Number.isNaN(sentAt[i])) unanswered.push(i);
  return {
    target,
    sent,
    received: replies.length,
    lossPct: sent ? ((sent - replies.length) / sent) * 100 : 0,
    rttMin: rtts.length ? Math.min(...rtts) : 0,
    rttAvg: rtts.length ? rtts.reduce((a, b) => a + b, 0) / rtts.length : 0,
    rttMax: rtts.length ? Math.max(...rtts) : 0,
    replies,
    unanswered,
  };
}

/**
 * One reply as hping3 prints it.
 *
 * @param m the reply
 * @returns e.g. `len=44 ip=127.0.0.1 ttl=64 DF id=0 sport=80 flags=SA seq=0 win=65495 rtt=0.1 ms`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReply } from "./match.ts";
 * const line = formatReply({ probe: 0, rttMs: 0.25, kind: "echo-reply", from: "127.0.0.1", length: 28,
 *   ttl: 64, ipId: 7, df: false, icmpSeq: 0 });
 * assert(line === "len=28 ip=127.0.0.1 ttl=64 id=7 icmp_seq=0 rtt=0.250 ms");
 * ```
 */
export function formatReply(m: MatchedReply): string {
  const rtt = `rtt=${m.rttMs.toFixed(3)} ms`;
  if (m.kind === "icmp-error") {
    return `ICMP ${m.icmpError} from ip=${m.from} probe=${m.probe} ${rtt}`;
  }
  const head = `len=${m.length} ip=${m.from} ttl=${m.ttl}${m.df ? " DF" : ""} id=${m.ipId}`;
  if (m.kind === "echo-reply") return `${head} icmp_seq=${m.icmpSeq} ${rtt}`;
  const flags = (m.flags ?? "").replace(".", "A");
  return `${head} sport=${m.sport} flags=${flags} seq=${m.seq} win=${m.win} ${rtt}`;
}

/**
 * The closing statistics as hping3 prints them, with a line per unanswered probe.
 *
 * @param s the summary
 * @returns the lines
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatMatchSummary } from "./match.ts";
 * const lines = formatMatchSummary({ target: "::1", sent: 2, received: 1, lossPct: 50, rttMin: 1,
 *   rttAvg: 1, rttMax: 1, replies: [], unanswered: [1] });
 * assert(lines.includes("2 packets transmitted, 1 packets received, 50% packet loss"));
 * ```
 */
export function formatMatchSummary(s: MatchSummary): string[] {
  const lines = s.unanswered.map((i) => `no reply to probe ${i}`);
  lines.push(`--- ${s.target} inject statistic ---`);
  lines.push(
    `${s.sent} packets transmitted, ${s.received} packets received, ${Math.round(s.lossPct)}% packet loss`,
  );
  lines.push(
    `round-trip min/avg/max = ${s.rttMin.toFixed(3)}/${s.rttAvg.toFixed(3)}/${s.rttMax.toFixed(3)} ms`,
  );
  return lines;
}
