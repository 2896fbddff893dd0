/**
 * Nonblocking TCP through libc, for a thread that does nothing else: a listener with SO_REUSEPORT, accept4,
 * recv/send with MSG_NOSIGNAL, and an epoll set the thread blocks in (epoll(7)). This is what lets a Worker
 * serve sockets at one synchronous FFI call per syscall (5-20 ns on top of the syscall, NOTES.md) instead
 * of one async op round trip per read and per write.
 *
 * Calls return numbers the way the kernel does (a count, or a negative errno), not exceptions: the serving
 * loop treats EAGAIN and ECONNRESET as everyday results. Only setup failures throw {@link SyscallError}.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { errno, SyscallError } from "./errno.ts";
import {
  AF_INET,
  AF_INET6,
  archConstants,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  IPPROTO_IPV6,
  IPV6_V6ONLY,
  MSG_NOSIGNAL,
  SHUT_WR,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOCK_STREAM,
  SOL_SOCKET,
} from "./constants.ts";

/** `struct sockaddr_in6` is the larger of the two; a `sockaddr_storage` would be 128 bytes. */
const SOCKADDR_SIZE = 28;
/** `struct epoll_event` is packed on x86_64 (12 bytes) and not on aarch64 (16 bytes). */
const EPOLL_EVENT_SIZE = Deno.build.arch === "x86_64" ? 12 : 16;
const EPOLL_DATA_OFFSET = Deno.build.arch === "x86_64" ? 4 : 8;

/** A peer or local address read from a `sockaddr_in`/`sockaddr_in6`. */
export interface SocketAddress {
  /** "4" or "6" */
  family: 4 | 6;
  /** the address's 4 or 16 bytes (a copy) */
  address: Uint8Array;
  port: number;
}

function encodeSockaddr(address: Uint8Array, port: number): Uint8Array {
  const sa = new Uint8Array(SOCKADDR_SIZE);
  const dv = new DataView(sa.buffer);
  if (address.length === 4) {
    dv.setUint16(0, AF_INET, true);
    dv.setUint16(2, port, false);
    sa.set(address, 4);
    return sa.subarray(0, 16);
  }
  if (address.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${address.length}`);
  dv.setUint16(0, AF_INET6, true);
  dv.setUint16(2, port, false);
  sa.set(address, 8);
  return sa;
}

/**
 * Reads a `sockaddr_in`/`sockaddr_in6`.
 *
 * @param sa the bytes accept4/getsockname filled
 * @returns the address, or undefined for another family
 */
export function decodeSockaddr(sa: Uint8Array): SocketAddress | undefined {
  const dv = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
  const family = dv.getUint16(0, true);
  const port = dv.getUint16(2, false);
  if (family === AF_INET) return { family: 4, address: sa.slice(4, 8), port };
  if (family === AF_INET6) return { family: 6, address: sa.slice(8, 24), port };
  return undefined;
}

/**
 * Opens a nonblocking, close-on-exec TCP listener with SO_REUSEADDR and SO_REUSEPORT (so several threads
 * or processes can each have one on the same port). An IPv6 wildcard also takes IPv4 (IPV6_V6ONLY off).
 *
 * @param address the 4 or 16 address bytes to bind (all zero: every address)
 * @param port the port (0: the kernel picks)
 * @param backlog the accept queue length (the kernel caps it at net.core.somaxconn)
 * @returns the listening descriptor and the bound port
 * @throws {SyscallError} e.g. EADDRINUSE, EACCES, EADDRNOTAVAIL
 */
export function listenTcpSocket(
  address: Uint8Array,
  port: number,
  backlog: number,
): { fd: number; port: number } {
  return boundTcpSocket(address, port, backlog, true);
}

/**
 * Opens a close-on-exec TCP socket bound to a port but not listening. While it is open, a connection to the
 * port is refused by the kernel (RST), never queued, and without `reuseAddress` no other socket can bind
 * the port (nor get it from a port-0 bind). With `reuseAddress` (SO_REUSEADDR), a socket that also sets it
 * may bind the port even while this one is open: what a caller wants that only learns a free port and
 * closes this one. (A closed *listener* is different: a child that another thread forked meanwhile holds
 * it, listening, until it execs.)
 *
 * @param address the 4 or 16 address bytes to bind
 * @param port the port (0: the kernel picks)
 * @param reuseAddress set SO_REUSEADDR before binding
 * @returns the descriptor and the bound port
 * @throws {SyscallError} e.g. EADDRINUSE, EADDRNOTAVAIL
 */
export function bindTcpSocket(
  address: Uint8Array,
  port: number,
  reuseAddress = false,
): { fd: number; port: number } {
  return boundTcpSocket(address, port, undefined, reuseAddress);
}

/** socket, options, bind, and listen (with SO_REUSEPORT) when `backlog` is given; getsockname tells the port. */
function boundTcpSocket(
  address: Uint8Array,
  port: number,
  backlog: number | undefined,
  reuseAddress: boolean,
): { fd: number; port: number } {
  const c = libc();
  const { SOCK_NONBLOCK, SOCK_CLOEXEC } = archConstants();
  const sa = encodeSockaddr(address, port);
  const fd = c.socket(
    address.length === 4 ? AF_INET : AF_INET6,
    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
    0,
  );
  if (fd < 0) throw new SyscallError("socket", errno());
  try {
    const one = new Uint8Array(Int32Array.of(1).buffer);
    const zero = new Uint8Array(4);
    if (reuseAddress && c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4) !== 0) {
      throw new SyscallError("setsockopt", errno());
    }
    if (backlog !== undefined && c.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, one, 4) !== 0) {
      throw new SyscallError("setsockopt", errno());
    }
    if (address.length === 16 && c.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, zero, 4) !== 0) {
      throw new SyscallError("setsockopt", errno());
    }
    if (c.bind(fd, sa, sa.length) !== 0) throw new SyscallError("bind", errno(), `port ${port}`);
    if (backlog !== undefined && c.listen(fd, backlog | 0) !== 0) throw new SyscallError("listen", errno());
    const len = new Uint8Array(Uint32Array.of(SOCKADDR_SIZE).buffer);
    const got = new Uint8Array(SOCKADDR_SIZE);
    if (c.getsockname(fd, got, len) !== 0) throw new SyscallError("getsockname", errno());
    return { fd, port: decodeSockaddr(got)?.port ?? port };
  } catch (e) {
    c.close(fd);
    throw e;
  }
}

/** Accepts connections from a nonblocking listener, reusing one address buffer. */
export class Acceptor {
  readonly #fd: number;
  readonly #sa = new Uint8Array(SOCKADDR_SIZE);
  readonly #len = new Uint8Array(4);
  readonly #lenView = new DataView(this.#len.buffer);
  readonly #flags: number;

  /** @param fd a listening socket */
  constructor(fd: number) {
    this.#fd = fd;
    const { SOCK_NONBLOCK, SOCK_CLOEXEC } = archConstants();
    this.#flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
  }

  /**
   * Takes one connection (made nonblocking and close-on-exec).
   *
   * @returns the new descriptor, or a negative errno (-EAGAIN: none waiting)
   */
  accept(): number {
    this.#lenView.setUint32(0, SOCKADDR_SIZE, true);
    const fd = libc().accept4(this.#fd, this.#sa, this.#len, this.#flags);
    return fd >= 0 ? fd : -errno();
  }

  /** The peer of the connection {@link accept} returned last. */
  peer(): SocketAddress | undefined {
    return decodeSockaddr(this.#sa);
  }
}

/**
 * Reads what is there.
 *
 * @returns bytes read, 0 at end of stream, or a negative errno (-EAGAIN: nothing yet)
 */
export function recvSome(fd: number, buf: Uint8Array, len: number): number {
  const n = Number(libc().recv(fd, buf, BigInt(len), 0));
  return n >= 0 ? n : -errno();
}

/**
 * Sends what the kernel takes now, without SIGPIPE.
 *
 * @returns bytes sent, or a negative errno (-EAGAIN: the send buffer is full; -EPIPE/-ECONNRESET: gone)
 */
export function sendSome(fd: number, buf: Uint8Array, len: number): number {
  const n = Number(libc().send(fd, buf, BigInt(len), MSG_NOSIGNAL));
  return n >= 0 ? n : -errno();
}

/** Shuts the sending side (the peer reads end of stream). */
export function shutdownWrite(fd: number): void {
  libc().shutdown(fd, SHUT_WR);
}

/** Closes a descriptor. */
export function closeFd(fd: number): void {
  libc().close(fd);
}

/** An epoll set with a reused event array; {@link wait} blocks the calling thread. */
export class Epoll {
  #fd: number;
  readonly #ev = new Uint8Array(EPOLL_EVENT_SIZE);
  readonly #evView = new DataView(this.#ev.buffer);
  readonly #events: Uint8Array;
  readonly #view: DataView;
  readonly #max: number;

  private constructor(fd: number, max: number) {
    this.#fd = fd;
    this.#max = max;
    this.#events = new Uint8Array(EPOLL_EVENT_SIZE * max);
    this.#view = new DataView(this.#events.buffer);
  }

  /**
   * @param maxEvents events returned per wait at most
   * @returns a new epoll set (close-on-exec)
   * @throws {SyscallError} e.g. EMFILE
   */
  static create(maxEvents = 256): Epoll {
    const fd = libc().epoll_create1(archConstants().SOCK_CLOEXEC);
    if (fd < 0) throw new SyscallError("epoll_create1", errno());
    return new Epoll(fd, maxEvents);
  }

  #ctl(op: number, fd: number, events: number): number {
    this.#evView.setUint32(0, events >>> 0, true);
    this.#evView.setInt32(EPOLL_DATA_OFFSET, fd, true);
    return libc().epoll_ctl(this.#fd, op, fd, this.#ev) === 0 ? 0 : -errno();
  }

  /** Watches `fd` for `events` (EPOLLIN ...); its events carry `fd`. Returns 0 or a negative errno. */
  add(fd: number, events: number): number {
    return this.#ctl(EPOLL_CTL_ADD, fd, events);
  }

  /** Changes what `fd` is watched for. Returns 0 or a negative errno. */
  modify(fd: number, events: number): number {
    return this.#ctl(EPOLL_CTL_MOD, fd, events);
  }

  /** Stops watching `fd`. Returns 0 or a negative errno. */
  remove(fd: number): number {
    return this.#ctl(EPOLL_CTL_DEL, fd, 0);
  }

  /**
   * Blocks this thread until an event or the timeout (its timers and message handlers do not run meanwhile).
   *
   * @param timeoutMs longest wait, -1 for none
   * @returns how many events {@link eventFd}/{@link eventMask} can read (0 on timeout or EINTR)
   * @throws {SyscallError} for another failure
   */
  wait(timeoutMs: number): number {
    const n = libc().epoll_wait(this.#fd, this.#events, this.#max, timeoutMs | 0);
    if (n >= 0) return n;
    const e = errno();
    if (e === 4) return 0; // EINTR
    throw new SyscallError("epoll_wait", e);
  }

  /** The descriptor of event `i` of the last wait. */
  eventFd(i: number): number {
    return this.#view.getInt32(i * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET, true);
  }

  /** The event bits of event `i` of the last wait. */
  eventMask(i: number): number {
    return this.#view.getUint32(i * EPOLL_EVENT_SIZE, true);
  }

  /** Closes the set. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    libc().close(this.#fd);
    this.#fd = -1;
  }
}
