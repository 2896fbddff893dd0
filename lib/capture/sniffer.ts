/**
 * The sniffer: joins a packet source (a live capture or a capture file), an optional pcap-filter
 * expression, the decoders and the outputs (tcpdump-style text, `--json` lines, a pcap or pcapng file),
 * and the statistics. Pure orchestration: the caller passes the I/O in (stdout/stderr callbacks, the file
 * source, a factory that opens the output file), so tests drive it without a terminal. `cmd/sniffer.ts` is
 * the command line around it; {@link parseSnifferArgs} reads tcpdump's flags.
 *
 * Where netkit differs from tcpdump 4.99:
 * - output is always numeric (`-n` is accepted and changes nothing);
 * - on `-i any` the text output decodes each frame with its own link type (Ethernet on `lo`) after the
 *   `IFNAME DIR` columns, so `-e` shows the Ethernet header where tcpdump shows the cooked (SLL2) one; a
 *   classic pcap written from `-i any` holds LINUX_SLL2 records as tcpdump's does;
 * - a kernel filter on `-i any` is compiled for Ethernet when every interface is Ethernet-framed, else the
 *   filter runs in user space per link type (tcpdump compiles for the cooked header);
 * - a truncated file prints every whole packet, then a warning, and exits 0 (tcpdump exits 1);
 * - `-d` on `-i any` lists the program for LINUX_SLL2, as tcpdump does.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openCapture } from "./capture.ts";
import type { Capture, CaptureDirection, CapturedPacket, CaptureStats } from "./capture.ts";
import { Sll2Encoder } from "./_sll2.ts";
import { listInterfaces } from "../../ffi/interfaces.ts";
import type { NetInterface } from "../../ffi/interfaces.ts";
import { dropPrivileges } from "../../ffi/privileges.ts";
import { linktypeForHatype, TP_STATUS_VLAN_VALID } from "../../ffi/constants.ts";
import { PACKET_TYPES, PacketDecoder, type PacketType } from "../wire/decoder.ts";
import type { DecodeResult } from "../wire/decoder.ts";
import { PacketSummarizer } from "../wire/summary.ts";
import { JsonLineWriter, type JsonMeta } from "../wire/json.ts";
import { tcpdumpAscii, tcpdumpHexdump } from "../wire/hexdump.ts";
import type { RotationFile, RotationOptions } from "./rotate.ts";
import type { HexdumpMode } from "../wire/hexdump.ts";
import { readPackets } from "../pcap/reader.ts";
import type { PcapFormat, PcapRecord, PcapSource } from "../pcap/reader.ts";
import { createWriter, PcapAppender } from "../pcap/writer.ts";
import type { FdWriter } from "../../ffi/file.ts";
import { RingPcapWriter, Sll2RingSink } from "./ring_pcap.ts";
import { RING_HDR_WORD } from "../../ffi/ring.ts";
import type { PacketWriter, PcapWriteRecord } from "../pcap/writer.ts";
import { describeLinkType, linkTypeByName } from "../pcap/linktype.ts";
import { compileFilter, filterAccepts } from "../filter/compile.ts";
import { FilterSyntaxError, formatFilterError } from "../filter/errors.ts";
import { PcapError } from "../pcap/reader.ts";
import { SyscallError } from "../../ffi/errno.ts";
import type { CompiledFilter } from "../filter/compile.ts";
import { parseFilter } from "../filter/parser.ts";
import { disassemble, dumpC, dumpDecimal } from "../filter/disasm.ts";
import { matches, type PacketAux } from "../filter/vm.ts";
import { UsageError } from "../usage.ts";

/** How timestamps print: tcpdump's default, `-t`, `-tt`, `-ttt`, `-tttt`. */
export type TimestampMode = "default" | "none" | "epoch" | "delta" | "date";

/** Ring block timeout when writing a file without -U: libpcap's default read timeout. */
const FILE_BLOCK_TIMEOUT_MS = 1000;

/** Where a `-w` file goes: `open` is called after the source is open (and after `-Z`), as tcpdump does. */
export interface SnifferFileOutput {
  /** "pcap" or "pcapng". */
  format: PcapFormat;
  /**
   * Opens the destination; `write` gets every chunk in order, `close` is called once at the end. `write`
   * must be done with a chunk when it returns (or its promise settles): the memory is reused.
   */
  open(
    file?: RotationFile,
  ): { write(chunk: Uint8Array): void | Promise<void>; close(): void | Promise<void> };
  /**
   * Optional: opens the destination as a file descriptor instead. A live pcap capture then writes each
   * frame from the packet ring to it with writev(), copying nothing in user space.
   */
  openFd?(): FdWriter;
  /** `-U`: hand every packet to the destination at once. */
  packetBuffered?: boolean;
  /**
   * `-C`/`-G`/`-W`: write a series of files; `open` is then called with which file to open (see
   * lib/capture/rotate.ts for the names) and must write synchronously.
   */
  rotate?: RotationOptions;
  /**
   * `-z`: called with each file a rotation has closed (once it is complete on disk), as tcpdump runs its
   * post-rotate command: not with the file still open when the capture ends, but with the last one of
   * `-G` with `-W`, whose limit ends the capture.
   */
  postRotate?: (file: RotationFile) => void;
}

/** Options of {@link Sniffer}. */
export interface SnifferOptions {
  /** `-r`: read this capture file instead of capturing; `name` is what the startup line shows. */
  read?: { source: PcapSource; name: string };
  /**
   * `-V`: after `read`, the next file to read, until it gives none (tcpdump reads each in turn into the same
   * output, `-c` counting in each; with `-w`, all must have the first one's link type).
   */
  readNext?: () => Promise<{ source: PcapSource; name: string } | undefined>;
  /** `-i`: the interface to capture on; default "any". */
  interface?: string;
  /** `-p` turns it off; default true. */
  promiscuous?: boolean;
  /** `-Q`. */
  direction?: CaptureDirection;
  /** `-s`; default 262144. */
  snaplen?: number;
  /** `-B`, in bytes. */
  bufferSize?: number;
  /** `--nano`: nanosecond timestamps in output and file. */
  nanoseconds?: boolean;
  /** `-c`: stop after this many packets (after the filter). */
  count?: number;
  /** A pcap-filter expression ("" or undefined: none). */
  filter?: string;
  /** `-w`. Without it, packets are printed. */
  write?: SnifferFileOutput;
  /** `--json`: one JSON object per packet instead of text. */
  json?: boolean;
  /** `-e`. */
  link?: boolean;
  /** `-v`. */
  verbose?: boolean;
  /** How many `-v` (`-vv` is 2): see `SummaryOptions.verbosity`. */
  verbosity?: number;
  /** `-q`. */
  quiet?: boolean;
  /** `-S`. */
  absolute?: boolean;
  /** `-K`: don't verify IPv4 header, TCP and UDP checksums (no `-v` notes about them). */
  noChecksums?: boolean;
  /** `-T`: read UDP (and, for domain and resp, TCP) data as this protocol, whatever the ports. */
  packetType?: PacketType;
  /** `-M`: the TCP-MD5 secret (RFC 2385) that segments' signatures are checked with. */
  tcpSecret?: string;
  /** `-x`, `-xx`, `-X`, `-XX`. */
  hex?: HexdumpMode;
  /** `-A` (1: from where `-x` starts) or `-AA` (2: the whole frame); `-x`/`-X` win over it, as in tcpdump. */
  ascii?: 1 | 2;
  /** `-#`: each line starts with the packet's number, right-aligned in 5 columns. */
  numbered?: boolean;
  /** `-l`: hand each packet's text to `stdout` at once instead of in batches. */
  lineBuffered?: boolean;
  /** `--count`: print nothing per packet (the caller prints the count); with `-w`, still write. */
  countOnly?: boolean;
  /** `--print`: print packets while writing them with `-w`. */
  print?: boolean;
  /** `--immediate-mode`: a live capture writing a file hands over ring blocks as packets come (as `-U`). */
  immediate?: boolean;
  /** `-t` and friends. */
  timestamps?: TimestampMode;
  /** `-Z`: drop to this user once the capture socket is open. */
  dropUser?: string;
  /** `-d`, `-dd`, `-ddd`: print the compiled filter and stop. */
  dumpFilter?: 1 | 2 | 3;
  /** Receives packet output (text lines, JSON lines, or a listing), in batches. */
  stdout: (chunk: Uint8Array) => void;
  /** Receives diagnostic lines (no trailing newline): the startup line, warnings. */
  stderr: (line: string) => void;
  /** Aborting stops the capture or the file read; what was written stays valid. */
  signal?: AbortSignal;
  /**
   * Capture with this thread blocked in poll() between ring blocks (`Capture.forEachBlocking`): for a
   * Worker that does nothing else. Timers do not run meanwhile, so `tick` is how the thread hears from
   * others: it runs between blocks and at least every 100 ms (and at once when `wakeFd`, an eventfd, is
   * signalled); abort `signal` from it to stop. Text output is flushed at the same points.
   */
  blocking?: { wakeFd: number; tick: () => void };
}

/** Counters of a run. */
export interface SnifferStats {
  /** Packets that passed the filter and were printed or written. */
  captured: number;
  /** Live only: packets the kernel's filter passed (tcpdump's "received by filter"). */
  received?: number;
  /** Live only: packets the kernel dropped. */
  dropped?: number;
}

/** What {@link Sniffer.run} returns. */
export interface SnifferResult extends SnifferStats {
  /** A file source ended in the middle of a record. */
  truncated: boolean;
  /** The truncation warning, when truncated. */
  warning?: string;
}

const DEFAULT_SNAPLEN = 262144;
const FLUSH_CHARS = 64 * 1024;
const FLUSH_MS = 100;
const SLL2 = 276;
const ETHERNET = 1;
const TE = new TextEncoder();
const SLL_DIR = ["In ", "B  ", "M  ", "P  ", "Out"];

function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/** tcpdump's timestamp column, with the per-second part cached. */
class Clock {
  #mode: TimestampMode;
  #nano: boolean;
  #sec = -1;
  #prefix = "";
  #prevSec = -1;
  #prevNsec = 0;

  constructor(mode: TimestampMode, nano: boolean) {
    this.#mode = mode;
    this.#nano = nano;
  }

  #frac(nsec: number): string {
    // Adding 10^digits and dropping the leading "1" pads with zeros without padStart's extra strings.
    return this.#nano ? ("" + (1e9 + nsec)).slice(1) : ("" + (1e6 + Math.floor(nsec / 1000))).slice(1);
  }

  format(sec: number, nsec: number): string {
    switch (this.#mode) {
      case "none":
        return "";
      case "epoch":
        return `${sec}.${this.#frac(nsec)} `;
      case "delta": {
        if (this.#prevSec < 0) this.#prevSec = sec, this.#prevNsec = nsec;
        let ds = sec - this.#prevSec, dn = nsec - this.#prevNsec;
        this.#prevSec = sec, this.#prevNsec = nsec;
        let sign = " ";
        if (ds < 0 || (ds === 0 && dn < 0)) sign = "-", ds = -ds, dn = -dn;
        if (dn < 0) ds -= 1, dn += 1e9;
        return `${sign}${pad2(Math.floor(ds / 3600))}:${pad2(Math.floor(ds / 60) % 60)}:${pad2(ds % 60)}.${
          this.#frac(dn)
        } `;
      }
      default:
        if (sec !== this.#sec) {
          this.#sec = sec;
          const d = new Date(sec * 1000);
          const hms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
          this.#prefix = this.#mode === "date"
            ? `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hms}`
            : hms;
        }
        return `${this.#prefix}${this.#frac(nsec)} `;
    }
  }
}

/**
 * Text and JSON lines, joined and written in batches rather than one write per line. Text lines are appended
 * to one string (a rope that the encoder flattens once): measured 3.5x cheaper per line than an array joined
 * at flush time. JSON records go straight into bytes ({@link JsonLineWriter}).
 */
class LineBuffer {
  #text = "";
  #json: JsonLineWriter | undefined;
  #last = 0;
  readonly #sink: (chunk: Uint8Array) => void;

  constructor(sink: (chunk: Uint8Array) => void) {
    this.#sink = sink;
  }

  push(line: string): void {
    if (this.#json !== undefined && this.#json.length > 0) this.flush(); // keep the order
    this.#text += line + "\n";
    if (this.#text.length >= FLUSH_CHARS) this.flush();
  }

  /** Appends a packet's `--json` record. */
  pushJson(r: DecodeResult, meta: JsonMeta): void {
    if (this.#text !== "") this.flush(); // keep the order
    const w = this.#json ??= new JsonLineWriter(2 * FLUSH_CHARS);
    w.write(r, meta);
    if (w.length >= FLUSH_CHARS) this.flush();
  }

  /** Flushes when the last flush is older than the latency bound (called per live packet). */
  maybeFlush(now: number): void {
    if (now - this.#last >= FLUSH_MS) this.flush();
  }

  flush(): void {
    this.#last = performance.now();
    if (this.#text !== "") {
      const text = this.#text;
      this.#text = "";
      this.#sink(TE.encode(text));
    }
    if (this.#json !== undefined && this.#json.length > 0) this.#sink(this.#json.take());
  }
}

/** The per-packet metadata the formatters need, reused. */
interface Meta {
  tsSec: number;
  tsNsec: number;
  len: number;
  caplen: number;
  ifName: string | undefined;
  dir: "in" | "out" | undefined;
  /** `IFNAME DIR ` column text, "" when none. */
  column: string;
}

/** What a file record and a live packet share, as far as printing and writing need it. */
interface PacketFields {
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly len: number;
  readonly caplen: number;
  readonly linktype: number;
  readonly data: Uint8Array;
  readonly ifName?: string;
  readonly ifIndex?: number;
  readonly direction?: "in" | "out";
}

/** Fills the one reused write record from a packet (no allocation per packet). */
function fillRecord(rec: PcapWriteRecord, p: PacketFields): void {
  rec.tsSec = p.tsSec;
  rec.tsNsec = p.tsNsec;
  rec.data = p.data;
  rec.len = p.len;
  rec.linktype = p.linktype;
  rec.ifName = p.ifName;
  rec.ifIndex = p.ifIndex;
  rec.direction = p.direction;
}

/** Fills the one reused line metadata from a packet (the column is the caller's). */
function fillMeta(m: Meta, p: PacketFields): void {
  m.tsSec = p.tsSec;
  m.tsNsec = p.tsNsec;
  m.len = p.len;
  m.caplen = p.caplen;
  m.ifName = p.ifName;
  m.dir = p.direction;
}

/**
 * Whether a frame's network layer is IPv6: only then can a compiled filter's user-space check (a walk of
 * more IPv6 extension headers than the kernel program walks) change the kernel program's verdict, so every
 * other packet skips it. Unknown link types answer true.
 */
function outerIpv6(d: Uint8Array, linktype: number, o = 0, end = d.length): boolean {
  switch (linktype) {
    case ETHERNET: {
      let at = o + 12;
      if (at + 2 > end) return false;
      let et = (d[at] << 8) | d[at + 1];
      while ((et === 0x8100 || et === 0x88a8 || et === 0x9100) && at + 6 <= end) {
        at += 4;
        et = (d[at] << 8) | d[at + 1];
      }
      return et === 0x86dd;
    }
    case SLL2:
      return o + 2 <= end && ((d[o] << 8) | d[o + 1]) === 0x86dd;
    case 113: // LINUX_SLL
      return o + 16 <= end && ((d[o + 14] << 8) | d[o + 15]) === 0x86dd;
    case 101:
    case 12:
    case 14:
    case 229:
      return end > o && d[o] >> 4 === 6;
    case 228:
      return false;
    default:
      return true;
  }
}

/**
 * Whether a compiled filter's user-space check (when it has one) turns down a frame the kernel program
 * passed; the frame is `caplen` bytes at `off` in `buf`, and a view of it is made only for IPv6 frames.
 * `pkttype`: a live packet's type; `tagged`: the capture put back a VLAN tag the kernel had taken out of
 * this Ethernet frame, so the check runs on what the kernel's program saw (see {@link kernelView}).
 */
function userspaceRejects(
  f: CompiledFilter | null,
  buf: Uint8Array,
  off: number,
  caplen: number,
  len: number,
  linktype: number,
  pkttype?: number,
  tagged = false,
): boolean {
  const check = f?.userspace;
  if (check === undefined || !outerIpv6(buf, linktype, off, off + caplen)) return false;
  const frame = buf.subarray(off, off + caplen);
  if (tagged && linktype === ETHERNET) {
    const k = kernelView(frame, len, pkttype);
    return !check(k.data, k.len, k.aux);
  }
  return !check(frame, len, pkttype === undefined ? undefined : { pkttype });
}

/**
 * For the ring's bytes: whether the capture put back the VLAN tag of the packet whose header is at `h`
 * (the kernel had taken it out: TP_STATUS_VLAN_VALID).
 */
function vlanPutBackIn(ring: Uint8Array): (h: number) => boolean {
  const words = new Uint32Array(ring.buffer, ring.byteOffset, ring.byteLength >>> 2);
  return (h) => (words[(h >>> 2) + RING_HDR_WORD.status] & TP_STATUS_VLAN_VALID) !== 0;
}

/**
 * A live Ethernet frame as the kernel's filter saw it: the capture put back (at bytes 12 to 16) the VLAN tag
 * the kernel had moved into the packet's metadata, so take it out again and pass it as metadata.
 */
function kernelView(
  frame: Uint8Array,
  len: number,
  pkttype: number | undefined,
): { data: Uint8Array; len: number; aux: PacketAux } {
  if (frame.length < 16) return { data: frame, len, aux: { pkttype } };
  const data = new Uint8Array(frame.length - 4);
  data.set(frame.subarray(0, 12));
  data.set(frame.subarray(16), 12);
  return { data, len: len - 4, aux: { pkttype, vlanTagPresent: 1, vlanTci: (frame[14] << 8) | frame[15] } };
}

/**
 * The kernel program, then the user-space check where it can matter, for a live packet (`p`: its type and
 * whether its VLAN tag was put back) or a record of a file.
 */
function accepts(
  f: CompiledFilter,
  d: Uint8Array,
  len: number,
  linktype: number,
  p?: { pkttype: number; vlanTci: number },
): boolean {
  if (p !== undefined && p.vlanTci >= 0 && linktype === ETHERNET) {
    const k = kernelView(d, len, p.pkttype);
    return filterAccepts(f, k.data, k.len, k.aux);
  }
  let aux: PacketAux | undefined;
  if (p !== undefined) (aux = LIVE_AUX).pkttype = p.pkttype;
  return matches(f.program, d, len, aux) && !userspaceRejects(f, d, 0, d.length, len, linktype, p?.pkttype);
}

/** The metadata {@link accepts} hands the VM for a live packet, reused (it runs on every packet). */
const LIVE_AUX: PacketAux = {};

/** A `-w` writer and how to close it with its destination. */
type OpenedWriter =
  | {
    writer: PacketWriter;
    close: () => Promise<void>;
    /**
     * With `-C`/`-G`: called before each packet; starts the next file when due (`writer` is then the new
     * one) and answers false when `-G` with `-W` has made its last file (the capture ends).
     */
    rotate?: () => boolean;
  }
  | undefined;

/** One `-w` destination with its writer. */
type OneFile = { writer: PacketWriter; close: () => Promise<void> };

/**
 * tcpdump's `-C`/`-G`/`-W` on top of the `-w` destination: opens the next file when one is due (see
 * lib/capture/rotate.ts). The file closed is written out at once (the destination is synchronous); its
 * close completes in the background and {@link Rotation.close} waits for all of them.
 */
class Rotation {
  writer: PacketWriter;
  #close: () => Promise<void>;
  readonly #open: (file: RotationFile) => OneFile;
  readonly #o: RotationOptions;
  readonly #stderr: (line: string) => void;
  readonly #postRotate: ((file: RotationFile) => void) | undefined;
  /** The file being written. */
  #file: RotationFile;
  #count = 0;
  #periods = 0;
  #since: number;
  /** `-G` with `-W` made its last file: no packet is written any more. */
  #done = false;
  /** Settles when every file closed so far is; rejects with the first failure (held until close()). */
  #closed: Promise<void> = Promise.resolve();

  constructor(
    open: (file: RotationFile) => OneFile,
    o: RotationOptions,
    stderr: (line: string) => void,
    postRotate?: (file: RotationFile) => void,
  ) {
    this.#open = open;
    this.#o = o;
    this.#stderr = stderr;
    this.#postRotate = postRotate;
    this.#since = Math.floor(Date.now() / 1000);
    this.#file = { count: 0, time: this.#since };
    const first = open(this.#file);
    this.writer = first.writer;
    this.#close = first.close;
  }

  #track(p: Promise<void>): void {
    this.#closed = Promise.all([this.#closed, p]).then(() => {});
    this.#closed.catch(() => {}); // reported by close()
  }

  /** Closes the file being written as a rotation does: then `-z` runs on it. */
  #retire(): void {
    const closed = this.#file, post = this.#postRotate;
    this.#track(post ? this.#close().then(() => post(closed)) : this.#close());
  }

  #next(file: RotationFile): void {
    this.#retire();
    this.#file = file;
    const f = this.#open(file);
    this.writer = f.writer;
    this.#close = f.close;
    this.#track(f.writer.flush()); // the header at once
  }

  rotate = (): boolean => {
    const o = this.#o;
    if (this.#done) return false;
    if (o.seconds) {
      const now = Math.floor(Date.now() / 1000);
      if (now - this.#since >= o.seconds) {
        this.#since = now;
        this.#periods++;
        if (!o.bytes && o.files && this.#periods >= o.files) {
          this.#stderr(`Maximum file limit reached: ${o.files}`);
          this.#done = true;
          this.#retire(); // tcpdump closes the last file here too, and runs -z on it
          return false;
        }
        this.#count = 0;
        this.#next({ count: 0, time: now });
      }
    }
    if (o.bytes && this.writer.size > o.bytes) {
      this.#count++;
      if (o.files && this.#count >= o.files) this.#count = 0;
      this.#next({ count: this.#count, time: this.#since });
    }
    return true;
  };

  close = async (): Promise<void> => {
    this.#track(this.#close());
    await this.#closed;
  };
}
/** What the blocking loop hands each pcap record to: a {@link PcapAppender} or a {@link RingPcapWriter}. */
type RecordAppender = Pick<PcapAppender, "append" | "appendPrefixed">;
/** A `-w` pcap appender for the blocking loop and how to close it with its destination. */
type OpenedAppender = { appender: RecordAppender; close: () => Promise<void> };

/**
 * The snapshot length libpcap gives a file (pcap_adjust_snapshot): the header's (pcapng: the first interface
 * description's), unless it is 0 or larger than the most the link type allows (262144 bytes, more for D-Bus,
 * EBHSCR and USBPcap).
 */
function fileSnaplen(linktype: number, snaplen: number): number {
  const max = linktype === 231
    ? 128 * 1024 * 1024
    : linktype === 279
    ? 8 * 1024 * 1024
    : linktype === 249
    ? 1024 * 1024
    : 262144;
  return snaplen === 0 || snaplen > max ? max : snaplen;
}

/** tcpdump 4.99's line for a record with nothing captured or a wire length below the captured one. */
function invalidHeader(caplen: number, len: number): string | null {
  // Every packet comes through here: the common case allocates nothing.
  if (caplen !== 0 && len >= caplen) return null;
  const why: string[] = [];
  if (caplen === 0) why.push("caplen==0");
  if (len === 0) why.push("len==0");
  else if (len < caplen) why.push(`len(${len}) < caplen(${caplen})`);
  return why.length ? `[Invalid header: ${why.join(", ")}]` : null;
}

/** Pads names like tcpdump's `%-5s `. */
function ifColumn(name: string, pkttype: number): string {
  return `${name.padEnd(5)} ${SLL_DIR[pkttype] ?? "?  "} `;
}

/**
 * Formats tcpdump's end-of-capture statistics.
 *
 * @param s the counters
 * @returns the lines (no trailing newline), e.g. "1 packet captured"
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStats } from "./sniffer.ts";
 * assert.equal(formatStats({ captured: 1, received: 2, dropped: 0 }),
 *   "1 packet captured\n2 packets received by filter\n0 packets dropped by kernel");
 * ```
 */
export function formatStats(s: SnifferStats): string {
  const n = (x: number, what: string) => `${x} packet${x === 1 ? "" : "s"} ${what}`;
  const lines = [n(s.captured, "captured")];
  if (s.received !== undefined) lines.push(n(s.received, "received by filter"));
  if (s.dropped !== undefined) lines.push(n(s.dropped, "dropped by kernel"));
  return lines.join("\n");
}

/**
 * tcpdump's `-D` listing: up and running interfaces first, then `any`, loopback, and down ones.
 *
 * @param ifaces the interfaces (from `listInterfaces()`)
 * @returns one line per interface, `1.eth0 [Up, Running, Connected]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInterfaceList } from "./sniffer.ts";
 * const lo = { index: 1, name: "lo", flags: 0, up: true, running: true, loopback: true, promisc: false,
 *   mtu: 65536, hatype: 772, mac: "", addresses: [] };
 * assert.equal(formatInterfaceList([lo]),
 *   "1.any (Pseudo-device that captures on all interfaces) [Up, Running]\n2.lo [Up, Running, Loopback]");
 * ```
 */
export function formatInterfaceList(ifaces: readonly NetInterface[]): string {
  return listOrder(ifaces).map((r, k) => `${k + 1}.${r.text}`).join("\n");
}

/** The interfaces (and "any") in `-D`'s order: up, then running, then not loopback first. */
function listOrder(ifaces: readonly NetInterface[]): { name: string; text: string }[] {
  const merit = (i: { up: boolean; running: boolean; loopback: boolean }) =>
    (i.up ? 0 : 8) + (i.running ? 0 : 4) + (i.loopback ? 2 : 0);
  const rows = ifaces.map((i) => {
    const f: string[] = [];
    if (i.up) f.push("Up");
    if (i.running) f.push("Running");
    if (i.loopback) f.push("Loopback");
    else if (i.up && i.running) f.push("Connected");
    return { m: merit(i), name: i.name, text: `${i.name} [${f.length ? f.join(", ") : "none"}]` };
  });
  rows.push({ m: 1, name: "any", text: "any (Pseudo-device that captures on all interfaces) [Up, Running]" });
  rows.sort((a, b) => a.m - b.m);
  return rows;
}

/**
 * The link types a capture on `name` can give (`-L`, `-y`): the interface's own, LINUX_SLL2 on "any".
 * netkit offers no other (libpcap also offers DOCSIS on Ethernet, and LINUX_SLL on "any").
 *
 * @param name the interface
 * @param ifaces the machine's interfaces
 * @returns LINKTYPE_* numbers
 * @throws {Error} for an interface that does not exist (naming those that do)
 */
export function interfaceLinkTypes(name: string, ifaces: readonly NetInterface[]): number[] {
  if (name === "any") return [SLL2];
  const i = ifaces.find((x) => x.name === name);
  if (!i) throw new Error(`no interface "${name}"; interfaces: ${ifaces.map((x) => x.name).join(", ")}`);
  return [linktypeForHatype(i.hatype)];
}

/**
 * `-L`'s listing, in tcpdump's words.
 *
 * @param name the interface
 * @param types its link types ({@link interfaceLinkTypes})
 * @returns the lines
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatLinkTypes } from "./sniffer.ts";
 * assert.equal(formatLinkTypes("lo", [1]), "Data link types for lo (use option -y to set):\n  EN10MB (Ethernet)");
 * ```
 */
export function formatLinkTypes(name: string, types: readonly number[]): string {
  const rows = types.map((t) => "  " + describeLinkType(t).replace(/^link-type /, ""));
  return [`Data link types for ${name} (use option -y to set):`, ...rows].join("\n");
}

/**
 * `-y NAME` on a live capture: NAME must be a link type the interface gives.
 *
 * @param name the `-y` argument
 * @param types the interface's link types
 * @throws {UsageError} for a name that is no link type; {Error} for one the interface does not give
 */
export function checkLinkTypeName(name: string, types: readonly number[]): void {
  const t = linkTypeByName(name);
  if (t === undefined) throw new UsageError(`invalid data link type ${name}`);
  if (!types.includes(t)) {
    const have = types.map((x) => describeLinkType(x).replace(/^link-type /, "").split(" ")[0]).join(", ");
    throw new Error(`${name} is not one of the link types of this interface (${have})`);
  }
}

/**
 * The interface `-i ARG` names: ARG itself, or, when ARG is a number and no interface has that name, the
 * ARG-th entry of `-D`'s list (as tcpdump does).
 *
 * @param arg the `-i` argument
 * @param ifaces the machine's interfaces
 * @returns the interface name
 * @throws {UsageError} for a number past the end of the list
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveInterfaceArg } from "./sniffer.ts";
 * const lo = { name: "lo", index: 1, up: true, running: true, loopback: true } as never;
 * assert.equal(resolveInterfaceArg("1", [lo]), "any");
 * assert.equal(resolveInterfaceArg("2", [lo]), "lo");
 * assert.equal(resolveInterfaceArg("lo", [lo]), "lo");
 * ```
 */
export function resolveInterfaceArg(arg: string, ifaces: readonly NetInterface[]): string {
  if (!/^\d+$/.test(arg) || ifaces.some((i) => i.name === arg)) return arg;
  const list = listOrder(ifaces);
  const n = Number(arg);
  if (n < 1 || n > list.length) {
    throw new UsageError(`invalid interface index ${arg}: -D lists ${list.length}`);
  }
  return list[n - 1].name;
}

/** Interface names by index from /sys (no libc: `-r` must work without FFI), for SLL2 files. */
function sysInterfaceNames(): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const e of Deno.readDirSync("/sys/class/net")) {
      try {
        const ix = Number(Deno.readTextFileSync(`/sys/class/net/${e.name}/ifindex`).trim());
        if (Number.isInteger(ix)) names.set(ix, e.name);
      } catch { /* vanished or unreadable: skip */ }
    }
  } catch { /* no /sys: names print as "?" */ }
  return names;
}

/**
 * One sniffer run. Build it with the options, call {@link run} once; {@link stats} may be called meanwhile
 * (tcpdump prints them on SIGUSR1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Sniffer } from "./sniffer.ts";
 * import { encodePcap } from "../pcap/writer.ts";
 * const udp = new Uint8Array([0x45, 0, 0, 31, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
 *   0x03, 0xe8, 0x07, 0xd0, 0, 11, 0, 0, 1, 2, 3]);
 * const file = encodePcap([{ tsSec: 1, data: udp }], { linktype: 101 });
 * let out = "";
 * const s = new Sniffer({ read: { source: file, name: "x.pcap" }, timestamps: "none",
 *   stdout: (b) => out += new TextDecoder().decode(b), stderr: () => {} });
 * const r = await s.run();
 * assert.equal(out, "IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 3\n");
 * assert.equal(r.captured, 1);
 * ```
 */
export class Sniffer {
  readonly #o: SnifferOptions;
  readonly #decoder = new PacketDecoder();
  readonly #summarizer: PacketSummarizer;
  readonly #clock: Clock;
  readonly #lines: LineBuffer;
  /** The `--json` metadata of the packet being printed, reused. */
  readonly #jsonMeta: JsonMeta = { n: 0, ts: 0, tsNsec: 0, len: 0, caplen: 0 };
  readonly #meta: Meta = {
    tsSec: 0,
    tsNsec: 0,
    len: 0,
    caplen: 0,
    ifName: undefined,
    dir: undefined,
    column: "",
  };
  #captured = 0;
  #capture: Capture | undefined;
  #started = false;
  #sysNames: Map<number, string> | undefined;

  /**
   * @param options source, filter, outputs (see {@link SnifferOptions})
   * @throws {RangeError} for a bad count or snaplen
   */
  constructor(options: SnifferOptions) {
    if (options.count !== undefined && (!Number.isSafeInteger(options.count) || options.count < 1)) {
      throw new RangeError(`invalid packet count: ${options.count}`);
    }
    this.#o = options;
    this.#decoder.packetType = options.packetType;
    this.#summarizer = new PacketSummarizer({
      link: options.link,
      verbose: options.verbose,
      verbosity: options.verbosity,
      quiet: options.quiet,
      absolute: options.absolute,
      noChecksums: options.noChecksums,
      packetType: options.packetType,
      tcpSecret: options.tcpSecret,
      // tcpdump dumps the bytes of an LLC frame it cannot dissect, unless -x/-X print the packet anyway.
      dumpUndecoded: !options.hex,
    });
    this.#clock = new Clock(options.timestamps ?? "default", options.nanoseconds ?? false);
    this.#lines = new LineBuffer(options.stdout);
  }

  /**
   * The counters so far (live: reads the kernel's).
   *
   * @returns captured, and for a live capture received and dropped
   */
  stats(): SnifferStats {
    if (!this.#capture) return { captured: this.#captured };
    const k = this.#capture.stats();
    return { captured: this.#captured, received: k.received, dropped: k.dropped };
  }

  /**
   * Runs to the end of the file, `count`, an abort, or an error. A file being written is closed complete
   * in every case.
   *
   * @returns the final counters
   * @throws {FilterSyntaxError} for a bad filter; {SyscallError} for capture errors (EPERM, ENODEV);
   *   {PcapError} for a corrupt input file; {RangeError} for a filter on an unsupported link type
   */
  async run(): Promise<SnifferResult> {
    if (this.#started) throw new Error("a Sniffer runs once");
    this.#started = true;
    const expr = (this.#o.filter ?? "").trim();
    if (expr !== "") parseFilter(expr); // a syntax error before anything is opened
    return this.#o.read ? await this.#runFile(expr) : await this.#runLive(expr);
  }

  /** The byte order of the file being read (LINKTYPE_NULL's family field follows it); live: the host's. */
  #nullByteOrder: "little" | "big" | undefined;

  /** The filter compiled for a link type, once per run; `live`: for a live packet socket's packets. */
  #filterFor(
    expr: string,
    linktype: number,
    cache: Map<number, CompiledFilter | null>,
    live = false,
  ): CompiledFilter | null {
    let f = cache.get(linktype);
    if (f === undefined) {
      f = expr === "" ? null : compileFilter(expr, {
        linktype,
        snaplen: this.#o.snaplen ?? DEFAULT_SNAPLEN,
        nullByteOrder: this.#nullByteOrder,
        live,
      });
      cache.set(linktype, f);
    }
    return f;
  }

  #dump(f: CompiledFilter | null, expr: string, linktype: number, live = false): void {
    const prog = f?.program ??
      compileFilter(expr, { linktype, snaplen: this.#o.snaplen ?? DEFAULT_SNAPLEN, live }).program;
    const level = this.#o.dumpFilter;
    const text = level === 1 ? disassemble(prog) : level === 2 ? dumpC(prog) : dumpDecimal(prog);
    this.#lines.push(text.replace(/\n$/, ""));
    this.#lines.flush();
  }

  /** Formats one packet (text or JSON) into the line buffer. */
  #print(frame: Uint8Array, linktype: number, m: Meta): void {
    const r = this.#decoder.decode(frame, linktype);
    const o = this.#o;
    if (o.json) {
      const j = this.#jsonMeta;
      j.n = this.#captured;
      j.ts = m.tsSec;
      j.tsNsec = m.tsNsec;
      j.len = m.len;
      j.caplen = m.caplen;
      j.ifname = m.ifName;
      j.dir = m.dir;
      this.#lines.pushJson(r, j);
      if (o.lineBuffered) this.#lines.flush();
      return;
    }
    const num = o.numbered ? String(this.#captured).padStart(5) + "  " : "";
    // A record header tcpdump refuses: one bracketed line, no timestamp, nothing decoded.
    const invalid = invalidHeader(m.caplen, m.len);
    if (invalid) {
      this.#lines.push(num + invalid);
      if (o.lineBuffered) this.#lines.flush();
      return;
    }
    const column = m.column !== "" ? m.column : linktype === SLL2 ? this.#sll2Column(r) : "";
    let line = this.#clock.format(m.tsSec, m.tsNsec) + column + this.#summarizer.summarize(r, m.len);
    if (o.hex) {
      const dump = tcpdumpHexdump(
        frame,
        r,
        o.hex,
        line,
        this.#summarizer.lastCutByLongJump,
        this.#summarizer.lastLinkLen,
      );
      if (dump !== "") line += "\n" + dump;
    } else if (o.ascii) {
      const text = tcpdumpAscii(
        frame,
        r,
        o.ascii === 2,
        line,
        this.#summarizer.lastCutByLongJump,
        this.#summarizer.lastLinkLen,
      );
      if (text !== null) line += text;
    }
    this.#lines.push(num === "" ? line : num + line);
    if (o.lineBuffered) this.#lines.flush();
  }

  #sll2Column(r: DecodeResult): string {
    const l = r.layers[0];
    if (!l || l.layer !== "sll2") return "";
    this.#sysNames ??= sysInterfaceNames();
    return ifColumn(this.#sysNames.get(l.ifindex) ?? "?", l.packetType);
  }

  /** Opens the -w writer; `snaplen` for its header: the input file's when reading one, else -s. */
  async #openWriter(linktype: number, snaplen = this.#o.snaplen ?? DEFAULT_SNAPLEN): Promise<OpenedWriter> {
    const w = this.#o.write;
    if (!w) return undefined;
    const open = (file?: RotationFile): OneFile => {
      const dest = w.open(file);
      const writer = createWriter(w.format, (c) => dest.write(c), {
        linktype,
        nanosecond: this.#o.nanoseconds ?? false,
        snaplen,
        flushEachPacket: w.packetBuffered ?? false,
        reuseChunks: true,
      });
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        try {
          await writer.close();
        } finally {
          await dest.close();
        }
      };
      return { writer, close };
    };
    const r = w.rotate;
    const out = r && (r.bytes || r.seconds) ? new Rotation(open, r, this.#o.stderr, w.postRotate) : open();
    await out.writer.flush(); // the file header at once: a capture stopped early still leaves a valid file
    return out;
  }

  /**
   * Opens a `-w` pcap destination for the blocking capture loop: a {@link PcapAppender} with the file
   * header already out (a capture stopped early still leaves a valid file). The destination's `write` must
   * be synchronous here, since the appender reuses its buffer. When the destination opens as a file
   * descriptor, a {@link RingPcapWriter} instead: records point at the frames in `cap`'s ring, written
   * before the ring takes their block back.
   */
  #openAppender(linktype: number, cap: Capture): OpenedAppender {
    const w = this.#o.write!;
    const options = {
      linktype,
      nanosecond: this.#o.nanoseconds ?? false,
      snaplen: this.#o.snaplen ?? DEFAULT_SNAPLEN,
    };
    if (w.openFd) {
      const fd = w.openFd();
      let ringWriter: RingPcapWriter;
      try {
        const { bytes, address } = cap.ring;
        // A TPACKET_V3 ring: each record header goes into the scratch bytes before its frame.
        ringWriter = new RingPcapWriter(fd, bytes, { ...options, tpacketRing: true }, address);
      } catch (e) {
        fd.close();
        throw e;
      }
      cap.beforeRelease = () => ringWriter.flush();
      return {
        appender: ringWriter,
        close: () => {
          cap.beforeRelease = undefined;
          ringWriter.close();
          return Promise.resolve();
        },
      };
    }
    const dest = w.open();
    const appender = new PcapAppender((c) => {
      if (dest.write(c) instanceof Promise) {
        throw new TypeError("a blocking capture needs a -w destination whose write() is synchronous");
      }
    }, options);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      try {
        appender.close();
      } finally {
        await dest.close();
      }
    };
    try {
      appender.flush();
    } catch (e) {
      void close().catch(() => {});
      throw e;
    }
    return { appender, close };
  }

  async #runFile(expr: string): Promise<SnifferResult> {
    const o = this.#o;
    let file: { source: PcapSource; name: string } | undefined = o.read!;
    const filters = new Map<number, CompiledFilter | null>();
    let out: OpenedWriter;
    /** The link type of the -w output (from the first file), once it is open. */
    let outLinktype: number | undefined;
    const rec: PcapWriteRecord = { data: new Uint8Array(0) };
    const m = this.#meta;
    const count = o.count ?? Infinity;
    const signal = o.signal;
    const print = !o.countOnly && (!o.write || o.print === true);
    let truncated = false;
    const warnings: string[] = [];
    try {
      // One file, or (-V) each file of a list in turn, as tcpdump reads them: -c counts in each file.
      files: for (; file !== undefined; file = signal?.aborted ? undefined : await o.readNext?.()) {
        const name = file.name;
        const reader = readPackets(file.source);
        let announced = false;
        let clamp = Infinity;
        let taken = 0;
        /**
         * At the first packet, or at the end of a file without any: prints the filter and answers true for
         * `-d`, else announces the file and opens the output (once). `compile` compiles the filter first (the
         * end case: a bad filter is still reported).
         */
        const start = async (compile: boolean): Promise<boolean> => {
          const lt = reader.linktype;
          // LINKTYPE_NULL holds the address family in the capturing host's order: the file's, as libpcap
          // reads it. A file of another order gets its own program.
          if (this.#nullByteOrder !== reader.byteOrder) filters.clear();
          this.#nullByteOrder = reader.byteOrder;
          if (o.dumpFilter) {
            this.#dump(this.#filterFor(expr, lt, filters), expr, lt);
            return true;
          }
          if (outLinktype !== undefined && o.write && lt !== outLinktype) {
            throw new Error(`${name}: new dlt does not match original (${describeLinkType(lt)})`);
          }
          announced = true;
          // libpcap's snapshot length for a file (a pcapng file's: its first interface's): 0 or too large for
          // the link type means its maximum, and a record captured longer than it is cut to it.
          clamp = fileSnaplen(lt, reader.snaplen);
          o.stderr(
            `reading from file ${name}, ${describeLinkType(lt)}, snapshot length ${
              clamp === Infinity ? reader.snaplen : clamp
            }`,
          );
          // tcpdump warns at its start, so for the first file only.
          if (lt === SLL2 && !o.json && !o.write && outLinktype === undefined) {
            o.stderr("Warning: interface names might be incorrect");
          }
          if (compile && expr !== "") this.#filterFor(expr, lt, filters);
          if (outLinktype === undefined) {
            out = await this.#openWriter(lt, clamp === Infinity ? undefined : clamp);
            outLinktype = lt;
          }
          return false;
        };
        for await (const batch of reader.batches()) {
          if (!announced && await start(false)) return { captured: 0, truncated: false };
          for (let i = 0; i < batch.length; i++) {
            if (signal?.aborted) break files;
            const p: PcapRecord = batch[i];
            if (p.caplen > clamp) {
              // libpcap cuts a classic pcap's record to the snapshot length but refuses a pcapng one.
              if (reader.format === "pcapng") {
                throw new PcapError(
                  "BAD_LENGTH",
                  0,
                  `invalid packet capture length ${p.caplen}, bigger than snaplen of ${clamp}`,
                );
              }
              p.caplen = clamp;
              p.data = p.data.subarray(0, clamp);
            }
            const f = expr === "" ? null : this.#filterFor(expr, p.linktype, filters);
            if (f && !accepts(f, p.data, p.len, p.linktype)) continue;
            if (out?.rotate && !out.rotate()) break files;
            this.#captured++;
            if (out) {
              fillRecord(rec, p);
              await out.writer.write(rec);
            }
            if (print) {
              fillMeta(m, p);
              this.#print(p.data, p.linktype, m);
            }
            if (++taken >= count) break;
          }
          this.#lines.flush();
          if (taken >= count) break;
        }
        // No packet at all: the header was still read (or the loop above threw for a corrupt one).
        if (!announced && await start(true)) return { captured: 0, truncated: false };
        truncated ||= reader.truncated;
        if (reader.warning) warnings.push(o.readNext ? `${name}: ${reader.warning}` : reader.warning);
      }
    } finally {
      this.#lines.flush();
      await out?.close();
    }
    return {
      captured: this.#captured,
      truncated,
      warning: warnings.length ? warnings.join("; ") : undefined,
    };
  }

  /** Link type of the interface captured on (the file and `-d` link type of `-i any` is LINUX_SLL2). */
  #liveLinktype(name: string, ifaces: NetInterface[]): number {
    if (name === "any") return SLL2;
    const i = ifaces.find((x) => x.name === name);
    return i ? linktypeForHatype(i.hatype) : ETHERNET;
  }

  async #runLive(expr: string): Promise<SnifferResult> {
    const o = this.#o;
    const name = o.interface ?? "any";
    const snaplen = o.snaplen ?? DEFAULT_SNAPLEN;
    const any = name === "any";
    const ifaces = listInterfaces();
    const fileLinktype = this.#liveLinktype(name, ifaces);
    const filters = new Map<number, CompiledFilter | null>();
    if (o.dumpFilter) {
      this.#dump(null, expr, fileLinktype, true);
      return { captured: 0, truncated: false };
    }
    // The kernel sees native frames. On "any" they are Ethernet-framed on every usual interface; when
    // some interface is not, the kernel gets no program and each packet is checked here by its link type.
    let kernel: CompiledFilter | null = null;
    let userspaceOnly = false;
    if (expr !== "") {
      const native = any
        ? (ifaces.every((i) => linktypeForHatype(i.hatype) === ETHERNET) ? ETHERNET : -1)
        : fileLinktype;
      if (native === -1) userspaceOnly = true;
      else kernel = this.#filterFor(expr, native, filters, true);
    }
    const cap = openCapture({
      interface: name,
      promiscuous: o.promiscuous ?? true,
      direction: o.direction ?? "inout",
      snaplen,
      bufferSize: o.bufferSize,
      nanoseconds: o.nanoseconds ?? false,
      filter: kernel?.program,
      // Writing a file without -U, nobody watches packet by packet: the kernel hands over ring blocks once a
      // second (libpcap's default timeout, as tcpdump -w runs) instead of every 10 ms. Fewer wake-ups is what a
      // selective filter saves; stop() drains the block still being filled, so Ctrl-C loses nothing.
      // (-G checks the clock as packets come: ring blocks a second late would land them in the wrong file.)
      blockTimeoutMs:
        o.write && !o.write.packetBuffered && !o.immediate && !o.print && !o.write.rotate?.seconds
          ? FILE_BLOCK_TIMEOUT_MS
          : undefined,
      wakeFd: o.blocking?.wakeFd,
    });
    this.#capture = cap;
    let out: OpenedWriter;
    let appender: OpenedAppender | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    // Ctrl-C / SIGTERM: stop receiving, but write and print everything already captured.
    const onAbort = () => cap.stop();
    try {
      if (o.dropUser !== undefined) dropPrivileges(o.dropUser);
      const pcapAny = any && o.write?.format === "pcap";
      // A pcap file of one interface's frames, captured blocking: the ring's records go straight into a
      // PcapAppender, with no packet record, view or promise per packet (measured: about a third less CPU).
      const print = !o.countOnly && (!o.write || o.print === true);
      const fast = o.blocking !== undefined && o.write?.format === "pcap" && !o.write.packetBuffered &&
        !userspaceOnly && !print && !o.immediate && !o.write.rotate;
      if (fast) {
        appender = this.#openAppender(fileLinktype, cap);
      } else {
        out = await this.#openWriter(o.write?.format === "pcapng" ? ETHERNET : fileLinktype);
      }
      if (print && !o.verbose && !o.json) {
        o.stderr("sniffer: verbose output suppressed, use -v[v]... for full protocol decode");
      }
      o.stderr(`listening on ${name}, ${describeLinkType(fileLinktype)}, snapshot length ${snaplen} bytes`);
      o.signal?.addEventListener("abort", onAbort, { once: true });
      if (o.signal?.aborted) cap.stop();
      const sll2 = pcapAny ? new Sll2Encoder(snaplen) : undefined;
      const rec: PcapWriteRecord = { data: new Uint8Array(0) };
      const m = this.#meta;
      const count = o.count ?? Infinity;
      const lines = this.#lines;
      let writeError: unknown;
      const onWriteError = (e: unknown) => {
        writeError ??= e;
        cap.close();
      };
      if (print && !o.blocking) {
        timer = setInterval(() => {
          try {
            lines.flush();
          } catch (e) {
            onWriteError(e); // e.g. a closed pipe: end the capture, report it from run()
          }
        }, FLUSH_MS);
      }
      const onPacket = (p: CapturedPacket) => {
        // p.data makes a view: only what needs the bytes as an array asks for it (a -w does not).
        if (
          userspaceRejects(kernel, p.buffer, p.offset, p.caplen, p.len, p.linktype, p.pkttype, p.vlanTci >= 0)
        ) {
          return;
        }
        if (userspaceOnly) {
          const f = this.#filterFor(expr, p.linktype, filters, true);
          if (f && !accepts(f, p.data, p.len, p.linktype, p)) return;
        }
        if (out?.rotate && !out.rotate()) return cap.close();
        this.#captured++;
        if (out) {
          const w = out.writer;
          if (sll2) {
            rec.tsSec = p.tsSec;
            rec.tsNsec = p.tsNsec;
            rec.data = sll2.encode(p);
            rec.len = sll2.len;
            rec.linktype = SLL2;
            // A promise only settles with an error when this write refused the packet or flushed: catch
            // those, and skip a handler (two allocations) on every other packet.
            const packets = w.packets, written = w.bytesWritten;
            const pending = w.write(rec);
            if (w.packets === packets || w.bytesWritten !== written) pending.catch(onWriteError);
          } else {
            // The frame straight from the ring, no view made: a flush's promise is the only one to watch.
            try {
              w.writeFrame(p)?.catch(onWriteError);
            } catch (e) {
              onWriteError(e);
            }
          }
        }
        if (print) {
          fillMeta(m, p);
          m.column = any ? ifColumn(p.ifName, p.pkttype) : "";
          this.#print(p.data, p.linktype, m);
          if ((this.#captured & 63) === 0) lines.maybeFlush(performance.now());
        }
        if (this.#captured >= count) cap.close();
      };
      if (appender && o.blocking && appender.appender instanceof RingPcapWriter) {
        // Into pcap, frames referenced in the ring: the capture's leanest walk. One interface: the frames
        // as they are; -i any: LINUX_SLL2 records, each header built from the ring's packet header.
        const a = appender.appender;
        const sink = pcapAny ? new Sll2RingSink(a, cap.ring.bytes) : a;
        const rb = cap.ring.bytes;
        const halves = new Uint16Array(rb.buffer, rb.byteOffset, rb.byteLength >>> 1);
        const vlanPutBack = vlanPutBackIn(rb);
        const linkOf = (h: number) =>
          pcapAny ? linktypeForHatype(halves[(h >>> 1) + RING_HDR_WORD.hatype]) : fileLinktype;
        const screen = kernel?.userspace === undefined ? undefined : (
          buf: Uint8Array,
          off: number,
          caplen: number,
          len: number,
          h: number,
        ) => {
          const lt = linkOf(h);
          // An Ethernet frame of IPv4 (the common case) is not IPv6: no need to look further.
          return !(lt === ETHERNET && buf[off + 12] === 8 && buf[off + 13] === 0) &&
            userspaceRejects(
              kernel,
              buf,
              off,
              caplen,
              len,
              lt,
              rb[h + RING_HDR_WORD.pkttype],
              vlanPutBack(h),
            );
        };
        const tick = o.blocking.tick;
        const base = this.#captured;
        try {
          await cap.sinkBlocking(sink, { limit: count - base, screen }, () => {
            this.#captured = base + a.packets; // for the statistics a SIGUSR1 asks for
            tick();
          }, FILE_BLOCK_TIMEOUT_MS);
        } catch (e) {
          onWriteError(e);
        }
        this.#captured = base + a.packets;
      } else if (appender && o.blocking && pcapAny) {
        // -i any into pcap: LINUX_SLL2 records, the 20-byte header built apart and the frame appended after it.
        const a = appender.appender;
        const enc = new Sll2Encoder(snaplen);
        let head: Uint8Array | undefined;
        const onAny = (p: CapturedPacket) => {
          if (
            userspaceRejects(
              kernel,
              p.buffer,
              p.offset,
              p.caplen,
              p.len,
              p.linktype,
              p.pkttype,
              p.vlanTci >= 0,
            )
          ) {
            return;
          }
          const strip = enc.header(p);
          head ??= enc.head;
          try {
            a.appendPrefixed(
              head,
              p.buffer,
              p.offset + strip,
              p.caplen - strip,
              p.len - strip + head.length,
              p.tsSec,
              p.tsNsec,
            );
          } catch (e) {
            onWriteError(e);
          }
          if (++this.#captured >= count) cap.close();
        };
        await cap.forEachBlocking(onAny, o.blocking.tick, FILE_BLOCK_TIMEOUT_MS);
      } else if (appender && o.blocking) {
        const a = appender.appender;
        const rings = cap.ring.bytes;
        const vlanPutBack = vlanPutBackIn(rings);
        const append = (
          buf: Uint8Array,
          off: number,
          caplen: number,
          len: number,
          sec: number,
          ns: number,
          h: number,
        ) => {
          const pkttype = rings[h + RING_HDR_WORD.pkttype];
          if (userspaceRejects(kernel, buf, off, caplen, len, fileLinktype, pkttype, vlanPutBack(h))) return;
          try {
            a.append(buf, off, caplen, len, sec, ns);
          } catch (e) {
            onWriteError(e);
          }
          if (++this.#captured >= count) cap.close();
        };
        await cap.appendBlocking(append, o.blocking.tick, FILE_BLOCK_TIMEOUT_MS);
      } else if (o.blocking) {
        const tick = o.blocking.tick;
        await cap.forEachBlocking(onPacket, () => {
          tick();
          if (!print) return;
          try {
            lines.maybeFlush(performance.now());
          } catch (e) {
            onWriteError(e);
          }
        }, print ? FLUSH_MS : FILE_BLOCK_TIMEOUT_MS); // a file has no lines to flush: wake up less often
      } else {
        await cap.forEach(onPacket);
      }
      if (writeError) throw writeError;
    } finally {
      if (timer !== undefined) clearInterval(timer);
      o.signal?.removeEventListener("abort", onAbort);
      cap.close();
      await cap.closed;
      this.#lines.flush();
      try {
        await appender?.close();
      } finally {
        await out?.close();
      }
    }
    const s: CaptureStats = cap.stats();
    return { captured: this.#captured, received: s.received, dropped: s.dropped, truncated: false };
  }
}

export { UsageError } from "../usage.ts";

/** What the command line asks for. */
export type SnifferCommand =
  | { kind: "help" }
  | { kind: "list" }
  | { kind: "linktypes"; interface: string }
  | { kind: "tstypes"; interface: string }
  | {
    kind: "run";
    /** The options, without the I/O callbacks. */
    options: Omit<SnifferOptions, "stdout" | "stderr" | "read" | "write" | "signal">;
    /** `-r` path ("-" for stdin). */
    readPath?: string;
    /** `-V`: a file listing the files to read, one per line ("-" for stdin). */
    listPath?: string;
    /** `-w` path ("-" for stdout). */
    writePath?: string;
    /** `-w` format. */
    writeFormat?: PcapFormat;
    /** `-U`. */
    packetBuffered: boolean;
    /** `--explain`: say where the filter runs (see {@link explainSnifferFilter}) and stop. */
    explain?: boolean;
    /** `-F`: read the filter expression from this file (see {@link readFilterFile}). */
    filterFile?: string;
    /** `-C`/`-G`/`-W` (with `-w`): the series of files to write. */
    rotate?: RotationOptions;
    /** `-y`: the link type asked for (a live capture checks it is the interface's; `-r` ignores it). */
    linkTypeName?: string;
    /** `-z`: the command run on each file a rotation closes (with `-C`/`-G`). */
    postRotate?: string;
    /** `-j`: the time stamp type asked for (netkit has only "host": see {@link TIMESTAMP_TYPES}). */
    timestampType?: string;
  }
  | { kind: "version" };

/** tcpdump 4.99's other `-T` types, which netkit has no printer for. */
const TCPDUMP_ONLY_TYPES = [
  "carp",
  "cnfp",
  "lmp",
  "pgm",
  "pgm_zmtp1",
  "quic",
  "rpc",
  "someip",
  "zmtp1",
];

/** `-T TYPE`: one of {@link PACKET_TYPES}; tcpdump's others are refused by name. */
function packetTypeArg(t: string | undefined): PacketType | undefined {
  if (t === undefined) return undefined;
  if ((PACKET_TYPES as readonly string[]).includes(t)) return t as PacketType;
  const have = PACKET_TYPES.join(", ");
  if (TCPDUMP_ONLY_TYPES.includes(t)) {
    throw new UsageError(`-T ${t}: netkit has no ${t} printer (it has ${have})`);
  }
  throw new UsageError(`unknown packet type \`${t}' (-T takes ${have})`);
}

/**
 * libpcap's time stamp type names (`-j`). netkit stamps every packet with the kernel's software clock,
 * libpcap's "host" (what it also offers on interfaces without hardware time stamps, e.g. lo and veth).
 */
export const TIMESTAMP_TYPES: readonly string[] = [
  "host",
  "host_lowprec",
  "host_hiprec",
  "host_hiprec_unsynced",
  "adapter",
  "adapter_unsynced",
];

/**
 * `-J`: tcpdump's list of an interface's time stamp types; netkit's is "host" everywhere.
 *
 * @param name the interface
 * @returns the lines to print
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTimestampTypes } from "./sniffer.ts";
 * assert.equal(formatTimestampTypes("lo"), "Time stamp types for lo (use option -j to set):\n  host (Host)");
 * ```
 */
export function formatTimestampTypes(name: string): string {
  return `Time stamp types for ${name} (use option -j to set):\n  host (Host)`;
}

/** `sniffer --help`. */
export const SNIFFER_USAGE: string =
  `Usage: sniffer [-AdDeJKlLnpqSUvxX#] [-c count] [-i interface] [-r file] [-V file] [-w file] [-F file]
               [-C file_size] [-G seconds] [-W filecount] [-z command] [-y linktype] [-j tstype]
               [-T type] [-M secret]
               [-s snaplen] [-B KiB] [-Q in|out|inout] [-t[ttt]] [-Z user] [-d[dd]]
               [--count] [--print] [--immediate-mode] [--micro|--nano]
               [--time-stamp-precision micro|nano] [--explain] [--json] [--format pcap|pcapng]
               [--version] [expression]

tcpdump's flags with tcpdump's meaning. Where netkit differs:
  -n         accepted; output is always numeric
  -e         on -i any, shows each frame's own link header (tcpdump shows the cooked one)
  -F file    the filter from a file ('#' comments); an expression also given on the line is ignored
             with a warning (tcpdump ignores it silently)
  --json     one JSON object per packet (n, ts, len, caplen, ifname, dir, layers, truncated, malformed)
  --format   file format for -w (default from the extension: .pcapng is pcapng, else pcap)
  -C, -G     rotate -w files as tcpdump does, but stay root (tcpdump drops to its own user unless -Z root)
  -z cmd     as tcpdump: runs cmd FILE (no shell) on each file a rotation closes; warns without -C/-G
  -V file    read the files it lists, one per line, in turn ('-': stdin); -c counts in each, as tcpdump
  -J, -j     time stamps are the kernel's (libpcap's "host"); -j another type warns and uses host
  -T type    aodv, domain, ptp, radius, resp, rtcp, rtp, snmp, tftp, vat, vxlan or wb (others refused)
  --explain  print which part of the filter runs in the kernel and which in user space, then exit
  a truncated -r file prints every whole packet, then a warning, and exits 0`;

function int(flag: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`invalid ${flag} value ${JSON.stringify(v)} (${min} to ${max})`);
  }
  return n;
}

/**
 * Reads tcpdump's command line.
 *
 * @param argv the arguments
 * @returns what to do
 * @throws {UsageError} for an unknown flag or a bad value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSnifferArgs } from "./sniffer.ts";
 * const c = parseSnifferArgs(["-n", "-i", "lo", "-c", "5", "-tt", "tcp", "port", "80"]);
 * assert(c.kind === "run" && c.options.count === 5 && c.options.filter === "tcp port 80");
 * assert(c.options.timestamps === "epoch");
 * ```
 */
export function parseSnifferArgs(argv: string[]): SnifferCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        i: { type: "string" },
        D: { type: "boolean" },
        c: { type: "string" },
        r: { type: "string" },
        w: { type: "string" },
        n: { type: "boolean", multiple: true },
        e: { type: "boolean" },
        v: { type: "boolean", multiple: true },
        q: { type: "boolean" },
        x: { type: "boolean", multiple: true },
        X: { type: "boolean", multiple: true },
        s: { type: "string" },
        B: { type: "string" },
        U: { type: "boolean" },
        Q: { type: "string" },
        p: { type: "boolean" },
        t: { type: "boolean", multiple: true },
        S: { type: "boolean" },
        Z: { type: "string" },
        d: { type: "boolean", multiple: true },
        explain: { type: "boolean" },
        nano: { type: "boolean" },
        json: { type: "boolean" },
        format: { type: "string" },
        A: { type: "boolean", multiple: true },
        C: { type: "string" },
        K: { type: "boolean" },
        L: { type: "boolean" },
        J: { type: "boolean" },
        j: { type: "string" },
        y: { type: "string" },
        "dont-verify-checksums": { type: "boolean" },
        G: { type: "string" },
        W: { type: "string" },
        l: { type: "boolean" },
        F: { type: "string" },
        z: { type: "string" },
        T: { type: "string" },
        V: { type: "string" },
        M: { type: "string" },
        number: { type: "boolean", short: "#" },
        count: { type: "boolean" },
        print: { type: "boolean" },
        "immediate-mode": { type: "boolean" },
        "time-stamp-precision": { type: "string" },
        micro: { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0].replace(/\. To specify a positional.*$/, ""));
  }
  const v = parsed.values;
  if (v.help) return { kind: "help" };
  if (v.version) return { kind: "version" };
  if (v.D) return { kind: "list" };
  if (v.L) return { kind: "linktypes", interface: v.i ?? "any" };
  if (v.J) return { kind: "tstypes", interface: v.i ?? "any" };
  if (v.j !== undefined && !TIMESTAMP_TYPES.includes(v.j)) {
    throw new UsageError(`invalid time stamp type ${v.j} (${TIMESTAMP_TYPES.join(", ")})`);
  }
  const nx = v.x?.length ?? 0, nX = v.X?.length ?? 0;
  let hex: HexdumpMode | undefined;
  if (nX > 0) hex = nX + nx > 1 ? "XX" : "X";
  else if (nx > 0) hex = nx > 1 ? "xx" : "x";
  const nt = v.t?.length ?? 0;
  const timestamps: TimestampMode = (["default", "none", "epoch", "delta", "date"] as const)[Math.min(nt, 4)];
  const nd = v.d?.length ?? 0;
  if (v.explain && nd > 0) throw new UsageError("--explain and -d exclude each other");
  if (v.Q !== undefined && !["in", "out", "inout"].includes(v.Q)) {
    throw new UsageError(`invalid -Q direction ${JSON.stringify(v.Q)} (in, out or inout)`);
  }
  if (v.format !== undefined && v.format !== "pcap" && v.format !== "pcapng") {
    throw new UsageError(`invalid --format ${JSON.stringify(v.format)} (pcap or pcapng)`);
  }
  if (v.format !== undefined && v.w === undefined) throw new UsageError("--format needs -w");
  if (v.json && v.w !== undefined && !v.print) throw new UsageError("--json and -w exclude each other");
  if (v.print && v.w === undefined) throw new UsageError("--print needs -w");
  if (v.print && v.w === "-") throw new UsageError("--print and -w - would both write to stdout");
  if (v.count && v.json) throw new UsageError("--count and --json exclude each other");
  const precision = v["time-stamp-precision"];
  if (precision !== undefined && precision !== "micro" && precision !== "nano") {
    throw new UsageError(`invalid --time-stamp-precision ${JSON.stringify(precision)} (micro or nano)`);
  }
  const nano = precision === undefined ? v.nano && !v.micro : precision === "nano";
  if ((v.nano && v.micro) || (precision !== undefined && (v.nano || v.micro) && nano !== !!v.nano)) {
    throw new UsageError("conflicting time stamp precisions (--nano, --micro, --time-stamp-precision)");
  }
  if (v.r !== undefined && v.i !== undefined) throw new UsageError("-r and -i exclude each other");
  if (v.V !== undefined && v.r !== undefined) throw new UsageError("-V and -r exclude each other");
  if (v.V !== undefined && v.i !== undefined) throw new UsageError("-V and -i exclude each other");
  if (v.i === "") throw new UsageError("empty interface name");
  const bufKiB = int("-B", v.B, 1, 4 * 1024 * 1024);
  // tcpdump: -C in millions of bytes, -G in seconds, -W a file count; each ignored without -w.
  const sizeM = int("-C", v.C, 1, 2 ** 31 - 1);
  const seconds = int("-G", v.G, 1, 2 ** 31 - 1);
  const files = int("-W", v.W, 1, 2 ** 31 - 1);
  const rotate = v.w !== undefined && (sizeM || seconds)
    ? { bytes: sizeM === undefined ? 0 : sizeM * 1_000_000, seconds: seconds ?? 0, files: files ?? 0 }
    : undefined;
  if (rotate && v.w === "-") throw new UsageError("-C and -G need a file name for -w, not - (stdout)");
  if (v.z === "") throw new UsageError("empty -z command");
  let snaplen = int("-s", v.s, 0, DEFAULT_SNAPLEN);
  if (snaplen === 0) snaplen = DEFAULT_SNAPLEN; // tcpdump: -s 0 means the default
  const writeFormat = v.w === undefined
    ? undefined
    : v.format as PcapFormat | undefined ?? (/\.(pcapng|ntar)$/i.test(v.w) ? "pcapng" : "pcap");
  return {
    kind: "run",
    readPath: v.r,
    listPath: v.V,
    writePath: v.w,
    writeFormat,
    packetBuffered: v.U ?? false,
    explain: v.explain ?? false,
    filterFile: v.F,
    rotate,
    linkTypeName: v.y,
    postRotate: v.z,
    timestampType: v.j,
    options: {
      interface: v.i,
      promiscuous: !v.p,
      direction: v.Q as CaptureDirection | undefined,
      snaplen,
      bufferSize: bufKiB === undefined ? undefined : bufKiB * 1024,
      nanoseconds: nano ?? false,
      count: int("-c", v.c, 1, Number.MAX_SAFE_INTEGER),
      filter: parsed.positionals.join(" "),
      json: v.json ?? false,
      link: v.e ?? false,
      verbose: (v.v?.length ?? 0) > 0,
      verbosity: v.v?.length ?? 0,
      quiet: v.q ?? false,
      absolute: v.S ?? false,
      noChecksums: (v.K || v["dont-verify-checksums"]) ?? false,
      packetType: packetTypeArg(v.T),
      tcpSecret: v.M,
      hex,
      ascii: v.A === undefined ? undefined : v.A.length > 1 ? 2 : 1,
      numbered: v.number ?? false,
      lineBuffered: v.l ?? false,
      countOnly: v.count ?? false,
      print: v.print ?? false,
      immediate: v["immediate-mode"] ?? false,
      timestamps,
      dropUser: v.Z,
      dumpFilter: nd === 0 ? undefined : Math.min(nd, 3) as 1 | 2 | 3,
    },
  };
}

/**
 * `-F FILE`: the filter expression in a file, read as tcpdump reads it: `#` starts a comment that runs to
 * the end of its line, a NUL byte ends the text, and line breaks are spaces like any other.
 *
 * @param path the file
 * @returns the expression
 * @throws {Deno.errors.NotFound} and the like when the file cannot be read
 */
export function readFilterFile(path: string): string {
  let text = new TextDecoder().decode(Deno.readFileSync(path));
  const nul = text.indexOf("\0");
  if (nul >= 0) text = text.slice(0, nul);
  return text.replace(/#[^\n]*/g, " ");
}

/** What `--explain` describes: a live capture on an interface, or a capture file. */
export type ExplainTarget =
  | { interface: string; interfaces: readonly NetInterface[] }
  | { file: string; source: PcapSource };

/**
 * `--explain`: says which part of a filter runs in the kernel and which in user space, for the program the
 * sniffer would build on this target (live: compiled for the interface's frames and attached with
 * SO_ATTACH_FILTER; on `-i any`, for Ethernet when every interface is Ethernet-framed, else nothing runs in
 * the kernel; a file: the same program runs in netkit's BPF VM, compiled for the file's link type).
 *
 * @param expression the filter ("" for none)
 * @param target the interface (with the machine's interfaces) or the file (its header is read)
 * @param snaplen the snapshot length the program returns; default 262144
 * @returns two lines: where the filter runs, then lib/filter's explanation
 * @throws {FilterSyntaxError} for a bad expression; {Error} for an interface that does not exist
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainSnifferFilter } from "./sniffer.ts";
 * const lo = { index: 1, name: "lo", flags: 0, up: true, running: true, loopback: true, promisc: false,
 *   mtu: 65536, hatype: 772, mac: "", addresses: [] };
 * const text = await explainSnifferFilter("arp", { interface: "lo", interfaces: [lo] });
 * assert.equal(text.split("\n")[1], "kernel: the whole expression (4 instructions).");
 * ```
 */
export async function explainSnifferFilter(
  expression: string,
  target: ExplainTarget,
  snaplen: number = DEFAULT_SNAPLEN,
): Promise<string> {
  const expr = expression.trim();
  // A file that will not be read is released (a stream holds its file open).
  const release = async () => {
    if ("file" in target && target.source instanceof ReadableStream) await target.source.cancel();
  };
  if (expr === "") {
    await release();
    return "no filter: every packet is captured (no program in the kernel, none in user space)";
  }
  try {
    parseFilter(expr); // a syntax error before the file is read
  } catch (e) {
    await release();
    throw e;
  }
  const quoted = JSON.stringify(expr);
  const explanation = (linktype: number, live = true) =>
    compileFilter(expr, { linktype, snaplen, live }).explanation;
  if ("file" in target) {
    const reader = readPackets(target.source);
    for await (const _ of reader.batches()) break; // the header (and a pcapng's first interface)
    const lt = reader.linktype;
    return `filter ${quoted} on file ${target.file}, ${describeLinkType(lt)}: no kernel reads a file; ` +
      `netkit's BPF VM runs the same program on each record, so a file gets what a live capture gets\n` +
      explanation(lt, false);
  }
  const name = target.interface;
  const ifaces = target.interfaces;
  if (name === "any") {
    const other = ifaces.filter((i) => linktypeForHatype(i.hatype) !== ETHERNET).map((i) => i.name);
    if (other.length > 0) {
      return `filter ${quoted} on any: ${other.join(", ")} ${other.length === 1 ? "is" : "are"} not ` +
        `Ethernet-framed, so the kernel gets no program\nuser space: the whole expression, compiled for ` +
        `each packet's link type and run in netkit's BPF VM on every packet.`;
    }
    return `filter ${quoted} on any, compiled for ${describeLinkType(ETHERNET)} (every interface is ` +
      `Ethernet-framed), attached to the capture socket (SO_ATTACH_FILTER)\n${explanation(ETHERNET)}`;
  }
  const i = ifaces.find((x) => x.name === name);
  if (!i) throw new Error(`no interface "${name}"; interfaces: ${ifaces.map((x) => x.name).join(", ")}`);
  const lt = linktypeForHatype(i.hatype);
  return `filter ${quoted} on ${name}, ${describeLinkType(lt)}, attached to the capture socket ` +
    `(SO_ATTACH_FILTER)\n${explanation(lt)}`;
}

/** What `cmd/sniffer.ts` prints for an error: root needed, for a capture socket refused with EPERM. */
export const NEEDS_ROOT = "sniffer: needs root or CAP_NET_RAW (try: sudo ./sniffer)";

/**
 * Turns an error of a run into the exit code and the text to print: 2 for usage and filter syntax errors,
 * 1 for the rest, always without a stack trace.
 *
 * @param e what was thrown
 * @param readPath the `-r` path, to name it in file errors
 * @returns the exit code and the message (one line, or three for a filter error)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSnifferError, UsageError } from "./sniffer.ts";
 * assert.deepEqual(describeSnifferError(new UsageError("bad -c"), undefined), [2, "sniffer: bad -c (see --help)"]);
 * ```
 */
export function describeSnifferError(e: unknown, readPath: string | undefined): [number, string] {
  if (e instanceof UsageError) return [2, `sniffer: ${e.message} (see --help)`];
  if (e instanceof FilterSyntaxError) return [2, formatFilterError(e, "sniffer: filter")];
  if (e instanceof SyscallError) {
    if ((e.code === "EPERM" || e.code === "EACCES") && e.syscall === "socket") return [1, NEEDS_ROOT];
    // "if_nametoindex (no interface "x"; interfaces: lo, eth0): No such device [ENODEV]" -> the detail.
    if (e.code === "ENODEV") return [1, `sniffer: ${e.message.replace(/^[^(]*\((.*)\):[^:]*$/, "$1")}`];
    // The -w file: "open (/x/y.pcap): No such file or directory [ENOENT]" -> "/x/y.pcap: No such file ...".
    const file = e.message.match(/^(?:open|write|writev|close) \((.*)\): (.*) \[\w+\]$/);
    if (file) return [1, `sniffer: ${file[1]}: ${file[2]}`];
  }
  if (e instanceof Error && / \(os error \d+\)/.test(e.message)) {
    // Deno's "No such file or directory (os error 2): open '/x/y.pcap'" -> "/x/y.pcap: No such file or directory"
    const m = e.message.match(/^(.*?) \(os error \d+\)(?:: \w+ '(.*)')?/);
    if (m) return [1, `sniffer: ${m[2] ?? readPath ?? "?"}: ${m[1]}`];
  }
  if (e instanceof PcapError) return [1, `sniffer: ${readPath}: ${e.message}`];
  if (e instanceof RangeError && /filter/.test(e.message)) return [1, `sniffer: filter: ${e.message}`];
  const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
  return [1, `sniffer: ${msg}`];
}
