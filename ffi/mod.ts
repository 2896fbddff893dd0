/**
 * The FFI layer: the one place that knows libc and the kernel's packet interfaces. Packet sockets, the
 * TPACKET_V3 ring, interface listing, privilege drop, errno, constants and struct layouts. Importing this
 * module loads nothing: libc is opened on the first call that needs it.
 *
 * @example
 * ```ts
 * import { SyscallError } from "./mod.ts";
 * const e = new SyscallError("close", 9);
 * if (e.code !== "EBADF") throw new Error("errno name");
 * ```
 *
 * @module
 */
export * from "./constants.ts";
export * from "./structs.ts";
export { check, describeErrno, Errno, errno, ERRNO_NAMES, SyscallError } from "./errno.ts";
export { cString, libc, SYMBOLS } from "./libc.ts";
export type { Libc } from "./libc.ts";
export { PacketSocket } from "./packet_socket.ts";
export type { BpfInstruction, PacketStatistics, RingRequest } from "./packet_socket.ts";
export { RING_HDR_WORD, RING_LAYOUT, ringGeometry, RingPacket, RxRing, WaitResult } from "./ring.ts";
export { listInterfaces, nameToIndex, requireInterface } from "./interfaces.ts";
export type { InterfaceAddress, NetInterface } from "./interfaces.ts";
export { dropPrivileges, lookupUser, processIds } from "./privileges.ts";
export type { ProcessIds, UserIds } from "./privileges.ts";
export { setListenBacklog } from "./socket.ts";
export { RawIpSocket, sockaddrForPacket } from "./raw_socket.ts";
export { MmsgTable } from "./mmsg.ts";
export { Waker } from "./waker.ts";
export { FdWriter, IOV_MAX } from "./file.ts";
export {
  Acceptor,
  closeFd,
  decodeSockaddr,
  Epoll,
  listenTcpSocket,
  recvSome,
  sendSome,
  shutdownWrite,
} from "./tcp.ts";
export type { SocketAddress } from "./tcp.ts";
