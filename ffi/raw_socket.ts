/**
 * `RawIpSocket`: a raw IPv4 or IPv6 socket (raw(7), `IPPROTO_RAW`) that sends whole IP packets, header
 * included, and lets the kernel route them and fill the link header. It hands out numbers and never parses
 * beyond the destination address it needs for `sendto`.
 *
 * What the kernel still changes on IPv4 (raw(7)): the header checksum and the total length are always
 * filled in, the identification when it is 0, the source when it is 0.0.0.0. A wrong IPv4 header checksum can
 * therefore only go out at layer 2 (`PacketSocket`).
 *
 * @module
 */
import { libc } from "./libc.ts";
import { check, Errno, SyscallError } from "./errno.ts";
import {
  AF_INET,
  AF_INET6,
  archConstants,
  IPPROTO_RAW,
  SO_SNDBUF,
  SOCK_RAW,
  SOL_SOCKET,
} from "./constants.ts";
import { dataView, SOCKADDR_IN, SOCKADDR_IN6 } from "./structs.ts";

/** Offsets of the destination address inside an IP header. */
const DST = { v4: 16, v6: 24 } as const;

/**
 * Writes the `sockaddr_in`/`sockaddr_in6` of a packet's destination into `out` (at least 28 bytes).
 *
 * @param packet an IPv4 or IPv6 packet (version from its first nibble)
 * @param out the buffer to fill
 * @returns the sockaddr length (16 or 28)
 * @throws {RangeError} for a packet too short or of another version
 * @example
 * ```ts
 * import { sockaddrForPacket } from "./raw_socket.ts";
 * const ip = new Uint8Array(20);
 * ip[0] = 0x45;
 * ip.set([127, 0, 0, 1], 16);
 * const sa = new Uint8Array(28);
 * if (sockaddrForPacket(ip, sa) !== 16 || sa[4] !== 127) throw new Error("sockaddr_in");
 * ```
 */
export function sockaddrForPacket(packet: Uint8Array, out: Uint8Array): number {
  const version = packet.length > 0 ? packet[0] >> 4 : 0;
  out.fill(0, 0, SOCKADDR_IN6.size);
  const dv = dataView(out);
  if (version === 4 && packet.length >= 20) {
    dv.setUint16(SOCKADDR_IN.host.family, AF_INET, true);
    out.set(packet.subarray(DST.v4, DST.v4 + 4), SOCKADDR_IN.net.addr);
    return SOCKADDR_IN.size;
  }
  if (version === 6 && packet.length >= 40) {
    dv.setUint16(SOCKADDR_IN6.host.family, AF_INET6, true);
    out.set(packet.subarray(DST.v6, DST.v6 + 16), SOCKADDR_IN6.net.addr);
    return SOCKADDR_IN6.size;
  }
  throw new RangeError(`not an IP packet (version ${version}, ${packet.length} bytes)`);
}

/** A raw IP socket that sends complete IPv4 or IPv6 packets. Needs CAP_NET_RAW. */
export class RawIpSocket {
  #fd: number;
  /** 4 or 6. */
  readonly family: 4 | 6;
  readonly #addr = new Uint8Array(SOCKADDR_IN6.size);

  private constructor(fd: number, family: 4 | 6) {
    this.#fd = fd;
    this.family = family;
  }

  /**
   * Opens `socket(AF_INET or AF_INET6, SOCK_RAW, IPPROTO_RAW)`: header included, nothing received.
   *
   * @param family 4 or 6
   * @returns the socket
   * @throws {SyscallError} code "EPERM" without CAP_NET_RAW
   * @example
   * ```ts
   * import { RawIpSocket } from "./raw_socket.ts";
   * try {
   *   using s = RawIpSocket.open(4);
   *   if (s.fd < 0 || s.family !== 4) throw new Error("open");
   * } catch (e) {
   *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
   * }
   * ```
   */
  static open(family: 4 | 6): RawIpSocket {
    if (family !== 4 && family !== 6) throw new RangeError(`family must be 4 or 6, not ${family}`);
    const { SOCK_CLOEXEC } = archConstants();
    const fd = check(
      "socket",
      libc().socket(family === 4 ? AF_INET : AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW),
      `AF_INET${family === 6 ? "6" : ""}, SOCK_RAW, IPPROTO_RAW`,
    );
    return new RawIpSocket(fd, family);
  }

  /** The file descriptor, or -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  #open(): number {
    if (this.#fd < 0) throw new SyscallError("raw socket", Errno.EBADF, "already closed");
    return this.#fd;
  }

  /**
   * Sets `SO_SNDBUF` (the kernel doubles it and caps it at net.core.wmem_max).
   *
   * @param bytes the requested size
   * @throws {SyscallError} when setsockopt fails
   */
  setSendBuffer(bytes: number): void {
    const v = new Uint8Array(4);
    dataView(v).setInt32(0, bytes | 0, true);
    check("setsockopt", libc().setsockopt(this.#open(), SOL_SOCKET, SO_SNDBUF, v, 4), "SO_SNDBUF");
  }

  /**
   * Sends one packet to the destination in its own header (one syscall).
   *
   * @param packet a complete IP packet of this socket's family
   * @returns the bytes sent
   * @throws {RangeError} for a packet of the other family
   * @throws {SyscallError} e.g. ENETUNREACH, EMSGSIZE
   */
  send(packet: Uint8Array): number {
    const fd = this.#open();
    if (packet.length === 0 || packet[0] >> 4 !== this.family) {
      throw new RangeError(`an IPv${this.family} socket cannot send this packet (version ${packet[0] >> 4})`);
    }
    const len = sockaddrForPacket(packet, this.#addr);
    return Number(check("sendto", libc().sendto(fd, packet, BigInt(packet.length), 0, this.#addr, len)));
  }

  /** Closes the socket; a second call does nothing. */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    libc().close(fd);
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
