/**
 * Helpers for sockets Deno opened itself. Deno hides file descriptors, so these find a socket's fd through
 * `/proc/self/fd` and the socket's own address (`getsockname`), then call libc on it.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { check } from "./errno.ts";
import { AF_INET, AF_INET6, SO_ACCEPTCONN, SOL_SOCKET } from "./constants.ts";

/** `sockaddr_in`/`sockaddr_in6` share the family (host order) at 0 and the port (network order) at 2. */
const SOCKADDR = { family: 0, port: 2, size: 128 } as const;

function listeningPort(fd: number, addr: Uint8Array, len: Uint8Array, opt: Uint8Array): number | undefined {
  const c = libc();
  new DataView(len.buffer).setUint32(0, SOCKADDR.size, true);
  if (c.getsockname(fd, addr, len) !== 0) return undefined;
  const dv = new DataView(addr.buffer);
  const family = dv.getUint16(SOCKADDR.family, true);
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  new DataView(len.buffer).setUint32(0, 4, true);
  if (c.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, opt, len) !== 0) return undefined;
  if (new DataView(opt.buffer).getInt32(0, true) === 0) return undefined;
  return dv.getUint16(SOCKADDR.port, false);
}

/**
 * Sets the accept backlog of every listening TCP socket of this process bound to `port`. Linux lets
 * `listen()` be called again on a listening socket to change its backlog, which is the only way to set it
 * on a listener that `Deno.listen` created (it has no backlog option).
 *
 * @param port the local port of the listener(s)
 * @param backlog the new backlog (the kernel caps it at net.core.somaxconn)
 * @returns how many listening sockets were updated
 * @throws {SyscallError} when `listen()` fails
 */
export function setListenBacklog(port: number, backlog: number): number {
  if (!Number.isInteger(backlog) || backlog < 0) throw new RangeError(`invalid backlog: ${backlog}`);
  const addr = new Uint8Array(SOCKADDR.size);
  const len = new Uint8Array(4);
  const opt = new Uint8Array(4);
  let updated = 0;
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    const fd = Number(entry.name);
    let target: string;
    try {
      target = Deno.readLinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the fd of the directory listing itself, or one closed meanwhile
    }
    if (!target.startsWith("socket:")) continue;
    if (listeningPort(fd, addr, len, opt) !== port) continue;
    check("listen", libc().listen(fd, backlog | 0), `port ${port}`);
    updated++;
  }
  return updated;
}
