/**
 * Web Worker entry of the workers model when FFI is allowed: the worker serves its own SO_REUSEPORT
 * listener with nonblocking sockets and an epoll set it blocks in, through libc (`ffi/tcp.ts`). One
 * synchronous FFI call per syscall costs far less than an async op round trip per read and per write, which
 * is most of a small message's cost (measured: about 0.7x the C epoll server with Deno's ops, near 1.0x this
 * way).
 *
 * Same behaviour as the shared loop in `_conn.ts`: one 64 KiB read buffer (here per worker, since a read is
 * echoed before the next one); a client whose echo the kernel cannot take is not read again until it drains
 * (its unsent rest, at most one read's worth, waits in a buffer of its own); banner, max-conns (shared
 * counters), idle timeout, events to the parent, graceful close.
 *
 * The thread blocks in epoll_wait, so it cannot receive messages: the parent asks it to close through a
 * shared control array and an eventfd in the epoll set (see `workers.ts`).
 *
 * Messages in: one {@link FfiWorkerStart}. Messages out: `{type: "ready", hostname, port}`, `{type: "error", code, message}`,
 * `{type: "event", event}`, `{type: "closed"}`.
 *
 * @module
 */
import { BUFFER_SIZE, Counters, type ResolvedOptions } from "./_conn.ts";
import { CONTROL, type FfiWorkerStart } from "./_ffi_control.ts";
import type { EchoEvent } from "./types.ts";
import {
  Acceptor,
  closeFd,
  Epoll,
  listenTcpSocket,
  recvSome,
  sendSome,
  type SocketAddress,
} from "../../ffi/tcp.ts";
import { Waker } from "../../ffi/waker.ts";
import { Errno, SyscallError } from "../../ffi/errno.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "../../ffi/constants.ts";
import { formatIpv4Address, formatIpv6Address, parseIpv4Address, parseIpv6Address } from "../wire/address.ts";

/** The backlog when none is given: what Node and nginx use. */
const DEFAULT_BACKLOG = 511;
/** An accept that fails for lack of descriptors pauses accepting this long instead of spinning. */
const ACCEPT_PAUSE_MS = 100;
/** Longest blocking wait, so a missed wake-up can never hang the worker. */
const MAX_WAIT_MS = 1000;

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
  close(): void;
};

type EndReason = "closed" | "reset" | "idle" | "shutdown" | "error";

interface Conn {
  fd: number;
  id: number;
  remote: Deno.NetAddr;
  started: number;
  last: number;
  bytesIn: number;
  bytesOut: number;
  /** Bytes the kernel has not taken yet; while set, the connection is watched for EPOLLOUT only. */
  pending: Uint8Array | null;
  /** The client has shut its side: close once `pending` is sent. */
  eof: boolean;
}

function netAddr(a: SocketAddress | undefined): Deno.NetAddr {
  if (!a) return { transport: "tcp", hostname: "", port: 0 };
  const hostname = a.family === 4 ? formatIpv4Address(a.address) : formatIpv6Address(a.address);
  return { transport: "tcp", hostname, port: a.port };
}

/** Deno's error class names for the errno values a bind can fail with, so the parent rebuilds the same. */
const ERROR_NAMES: Record<string, string> = {
  EADDRINUSE: "AddrInUse",
  EADDRNOTAVAIL: "AddrNotAvailable",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
};

function reasonOf(errnoValue: number): EndReason {
  return errnoValue === Errno.ECONNRESET || errnoValue === Errno.EPIPE || errnoValue === Errno.ECONNABORTED
    ? "reset"
    : "error";
}

/** The serving loop of one worker. */
class Server {
  readonly #o: ResolvedOptions;
  readonly #counters: Counters;
  readonly #worker: number;
  readonly #ep: Epoll;
  readonly #lfd: number;
  /** The port the listener is bound to (the kernel's pick when the start message said 0). */
  readonly port: number;
  readonly #acceptor: Acceptor;
  readonly #wakeFd: number;
  readonly #control: Int32Array;
  readonly #conns = new Map<number, Conn>();
  readonly #buf = new Uint8Array(BUFFER_SIZE);
  #nextId = 1;
  #now = performance.now();
  #stopping = false;
  #graceUntil = Infinity;
  #listening = true;
  #acceptPausedUntil = 0;
  #nextIdleScan = Infinity;
  // Byte counts since the shared counters were last updated: added once per wake-up, not per read and write
  // (each Atomics.add on the BigInt64Array allocates a BigInt).
  #inPending = 0;
  #outPending = 0;

  constructor(msg: FfiWorkerStart) {
    this.#o = msg.options;
    this.#counters = new Counters(msg.counters);
    this.#worker = msg.index;
    this.#wakeFd = msg.wakeFd;
    this.#control = new Int32Array(msg.control);
    const bytes = msg.host.includes(":") ? parseIpv6Address(msg.host) : parseIpv4Address(msg.host);
    const bound = listenTcpSocket(bytes, msg.port, this.#o.backlog ?? DEFAULT_BACKLOG);
    this.#lfd = bound.fd;
    this.port = bound.port;
    this.#acceptor = new Acceptor(this.#lfd);
    this.#ep = Epoll.create();
    this.#ep.add(this.#lfd, EPOLLIN);
    this.#ep.add(this.#wakeFd, EPOLLIN);
    if (this.#o.idleTimeoutMs > 0) this.#nextIdleScan = this.#now + this.#idleScanEvery();
  }

  #idleScanEvery(): number {
    return Math.max(1, Math.min(this.#o.idleTimeoutMs / 4, 250));
  }

  #emit(event: EchoEvent): void {
    scope.postMessage({ type: "event", event });
  }

  /** Serves until closed; returns when every connection has ended. */
  run(): void {
    const ep = this.#ep;
    for (;;) {
      const n = ep.wait(this.#timeout());
      this.#now = performance.now();
      for (let i = 0; i < n; i++) {
        const fd = ep.eventFd(i);
        if (fd === this.#lfd) this.#acceptAll();
        else if (fd === this.#wakeFd) Waker.drain(fd);
        else {
          const c = this.#conns.get(fd);
          if (c) this.#serve(c, ep.eventMask(i));
        }
      }
      this.#publish();
      if (!this.#stopping && Atomics.load(this.#control, CONTROL.stop) !== 0) this.#beginStop();
      if (this.#now >= this.#nextIdleScan) this.#idleScan();
      if (!this.#listening && !this.#stopping && this.#now >= this.#acceptPausedUntil) {
        this.#listening = true;
        ep.add(this.#lfd, EPOLLIN);
      }
      if (this.#stopping && (this.#conns.size === 0 || this.#now >= this.#graceUntil)) {
        for (const c of [...this.#conns.values()]) this.#end(c, "shutdown");
        ep.close();
        return;
      }
    }
  }

  /** Adds the byte counts of this wake-up to the shared counters (before the thread blocks again). */
  #publish(): void {
    if (this.#inPending !== 0) {
      this.#counters.add("bytesIn", this.#inPending);
      this.#inPending = 0;
    }
    if (this.#outPending !== 0) {
      this.#counters.add("bytesOut", this.#outPending);
      this.#outPending = 0;
    }
  }

  /** After a failure: closes the listener, the epoll set and every connection (reported as errors). */
  abort(): void {
    if (this.#listening || !this.#stopping) {
      try {
        closeFd(this.#lfd);
      } catch { /* already closed */ }
    }
    this.#listening = false;
    this.#stopping = true;
    for (const c of [...this.#conns.values()]) {
      try {
        this.#end(c, "error");
      } catch { /* keep closing the others */ }
    }
    this.#ep.close();
  }

  #timeout(): number {
    let until = this.#now + MAX_WAIT_MS;
    if (this.#nextIdleScan < until) until = this.#nextIdleScan;
    if (this.#graceUntil < until) until = this.#graceUntil;
    if (!this.#listening && !this.#stopping && this.#acceptPausedUntil < until) {
      until = this.#acceptPausedUntil;
    }
    return Math.max(0, Math.ceil(until - this.#now));
  }

  #beginStop(): void {
    this.#stopping = true;
    this.#graceUntil = this.#now + Math.max(0, Atomics.load(this.#control, CONTROL.graceMs));
    if (this.#listening) this.#ep.remove(this.#lfd);
    this.#listening = false;
    closeFd(this.#lfd);
  }

  #acceptAll(): void {
    for (;;) {
      const fd = this.#acceptor.accept();
      if (fd < 0) {
        const e = -fd;
        if (e === Errno.EAGAIN) return;
        if (e === Errno.ECONNABORTED || e === Errno.ECONNRESET || e === Errno.EINTR) continue;
        this.#emit({ type: "error", message: `accept: ${new SyscallError("accept4", e).message}` });
        if (e === Errno.EMFILE || e === Errno.ENFILE) {
          // Out of descriptors: stop watching the listener for a while instead of spinning on it.
          this.#ep.remove(this.#lfd);
          this.#listening = false;
          this.#acceptPausedUntil = this.#now + ACCEPT_PAUSE_MS;
        }
        return;
      }
      const remote = netAddr(this.#acceptor.peer());
      if (!this.#counters.acquire(this.#o.maxConns)) {
        this.#emit({ type: "rejected", remote, reason: "max-conns", worker: this.#worker });
        closeFd(fd);
        continue;
      }
      const c: Conn = {
        fd,
        id: this.#nextId++,
        remote,
        started: this.#now,
        last: this.#now,
        bytesIn: 0,
        bytesOut: 0,
        pending: null,
        eof: false,
      };
      this.#conns.set(fd, c);
      this.#ep.add(fd, EPOLLIN);
      this.#emit({ type: "connect", remote, id: c.id, worker: this.#worker });
      const banner = this.#o.banner;
      if (banner) this.#send(c, banner, banner.length);
    }
  }

  #serve(c: Conn, mask: number): void {
    if (c.pending !== null) {
      if ((mask & (EPOLLOUT | EPOLLERR | EPOLLHUP)) !== 0) this.#flush(c);
      return;
    }
    const r = recvSome(c.fd, this.#buf, BUFFER_SIZE);
    if (r > 0) {
      c.bytesIn += r;
      c.last = this.#now;
      this.#inPending += r;
      this.#send(c, this.#buf, r);
    } else if (r === 0) {
      c.eof = true;
      this.#end(c, "closed");
    } else if (r !== -Errno.EAGAIN && r !== -Errno.EINTR) {
      this.#end(c, reasonOf(-r));
    }
  }

  /** Sends `len` bytes of `data`; what the kernel does not take now waits in the connection's own copy. */
  #send(c: Conn, data: Uint8Array, len: number): void {
    let off = 0;
    while (off < len) {
      const w = sendSome(c.fd, off === 0 ? data : data.subarray(off), len - off);
      if (w > 0) {
        off += w;
        c.bytesOut += w;
        c.last = this.#now;
        this.#outPending += w;
      } else if (w === -Errno.EAGAIN) {
        // The client is not reading: stop reading from it until the kernel takes the rest.
        c.pending = data.slice(off, len);
        this.#ep.modify(c.fd, EPOLLOUT);
        return;
      } else if (w !== -Errno.EINTR) {
        this.#end(c, reasonOf(-w));
        return;
      }
    }
  }

  #flush(c: Conn): void {
    const p = c.pending!;
    c.pending = null;
    this.#ep.modify(c.fd, EPOLLIN);
    this.#send(c, p, p.length);
    if (c.pending === null && c.eof && this.#conns.has(c.fd)) this.#end(c, "closed");
  }

  #idleScan(): void {
    const idle = this.#o.idleTimeoutMs;
    for (const c of [...this.#conns.values()]) {
      if (this.#now - c.last >= idle) this.#end(c, "idle");
    }
    this.#nextIdleScan = this.#now + this.#idleScanEvery();
  }

  #end(c: Conn, reason: EndReason): void {
    if (!this.#conns.delete(c.fd)) return;
    this.#publish(); // the totals include this client's bytes by the time its disconnect is reported
    closeFd(c.fd); // also takes it out of the epoll set
    this.#counters.release();
    this.#emit({
      type: "disconnect",
      remote: c.remote,
      id: c.id,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      durationMs: Math.round(performance.now() - c.started),
      reason,
      worker: this.#worker,
    });
  }
}

scope.onmessage = (e: MessageEvent) => {
  const msg = e.data as FfiWorkerStart;
  if (msg.type !== "start") return;
  let server: Server;
  try {
    server = new Server(msg);
  } catch (err) {
    const code = err instanceof SyscallError ? ERROR_NAMES[err.code] ?? err.code : (err as Error).name;
    scope.postMessage({ type: "error", code, message: (err as Error).message });
    return;
  }
  scope.postMessage({ type: "ready", hostname: msg.host, port: server.port });
  try {
    server.run();
  } catch (err) {
    // A descriptor opened through libc outlives the worker: without this the kernel would go on queueing
    // connections on a listener nobody accepts from. Close everything, say why, and end.
    server.abort();
    scope.postMessage({ type: "event", event: { type: "error", message: `worker ${msg.index}: ${err}` } });
  }
  scope.postMessage({ type: "closed" });
  scope.close();
};
