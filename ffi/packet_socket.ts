/**
 * `PacketSocket`: an AF_PACKET/SOCK_RAW socket (packet(7)) with the options a capture needs: bind to an
 * interface, promiscuous membership, TPACKET_V3, the receive ring request, statistics, a classic BPF filter
 * and `PACKET_IGNORE_OUTGOING`. It hands out numbers and byte views and never parses a frame; the ring itself
 * lives in `ring.ts`.
 *
 * The socket is opened with protocol 0, which delivers nothing until {@link PacketSocket.bind} names the
 * protocol: so the version, ring and filter are in place before the first packet arrives (no unfiltered
 * packet slips in between `socket()` and `SO_ATTACH_FILTER`).
 *
 * @module
 */
import { libc } from "./libc.ts";
import { check, Errno, SyscallError } from "./errno.ts";
import {
  AF_PACKET,
  archConstants,
  ARPHRD_LOOPBACK,
  BPF_JEQ_K,
  BPF_LD_W_ABS,
  BPF_MAXINSNS,
  BPF_RET_K,
  ETH_P_ALL,
  PACKET_ADD_MEMBERSHIP,
  PACKET_DROP_MEMBERSHIP,
  PACKET_IGNORE_OUTGOING,
  PACKET_MR_PROMISC,
  PACKET_OUTGOING,
  PACKET_RX_RING,
  PACKET_STATISTICS,
  PACKET_VERSION,
  SKF_AD_HATYPE,
  SKF_AD_OFF,
  SKF_AD_PKTTYPE,
  SOCK_RAW,
  SOL_PACKET,
  SOL_SOCKET,
} from "./constants.ts";
import {
  dataView,
  PACKET_MREQ,
  SOCK_FILTER,
  SOCK_FPROG,
  SOCKADDR_LL,
  TPACKET_REQ3,
  TPACKET_STATS_V3,
} from "./structs.ts";

/** One classic BPF instruction, as `struct sock_filter` holds it. */
export interface BpfInstruction {
  /** 16-bit opcode */
  code: number;
  /** 8-bit jump offset when true */
  jt: number;
  /** 8-bit jump offset when false */
  jf: number;
  /** 32-bit constant */
  k: number;
}

/**
 * A loopback device passes every packet to a packet socket twice: once outgoing, once incoming. A reader
 * that reports each packet once (libpcap's rule) can have the kernel reject the outgoing copy before it
 * reaches the ring: this puts that test in front of `program` (or of "accept everything" when there is
 * none). The ring then holds twice as many packets of a busy `lo`, and its reader walks half the records.
 *
 * @param program the filter to guard, or nothing
 * @returns `program` behind the guard; `program` itself when the guard would make it too long
 * @example
 * ```ts
 * import { withLoopbackOutgoingGuard } from "./packet_socket.ts";
 * const accept = { code: 0x06, jt: 0, jf: 0, k: 0xffff };
 * const guarded = withLoopbackOutgoingGuard([accept]);
 * if (guarded.length !== 6 || guarded[5] !== accept) throw new Error("five guard instructions first");
 * ```
 */
export function withLoopbackOutgoingGuard(program?: readonly BpfInstruction[]): BpfInstruction[] {
  const body = program && program.length > 0
    ? [...program]
    : [{ code: BPF_RET_K, jt: 0, jf: 0, k: 0xffffffff }];
  if (body.length + 5 > BPF_MAXINSNS) return body;
  return [
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: (SKF_AD_OFF + SKF_AD_PKTTYPE) >>> 0 },
    { code: BPF_JEQ_K, jt: 0, jf: 3, k: PACKET_OUTGOING }, // not outgoing: on to the program
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: (SKF_AD_OFF + SKF_AD_HATYPE) >>> 0 },
    { code: BPF_JEQ_K, jt: 0, jf: 1, k: ARPHRD_LOOPBACK },
    { code: BPF_RET_K, jt: 0, jf: 0, k: 0 }, // the loopback's outgoing copy: rejected
    ...body,
  ];
}

/** The TPACKET_V3 ring request (`struct tpacket_req3`). */
export interface RingRequest {
  /** bytes per block: a multiple of the page size, a power of two */
  blockSize: number;
  /** number of blocks */
  blockNr: number;
  /** nominal frame size, a multiple of 16 (V3 packs variable-size frames; the kernel checks it) */
  frameSize: number;
  /** `blockSize / frameSize * blockNr` */
  frameNr: number;
  /** ms after which a partly filled block is handed to user space */
  retireTimeoutMs: number;
}

/** Counters from `PACKET_STATISTICS` (`struct tpacket_stats_v3`): since the previous read, which resets them. */
export interface PacketStatistics {
  /** packets that passed the filter, drops included (as libpcap's ps_recv) */
  packets: number;
  /** packets dropped because the ring was full */
  drops: number;
  /** times the queue froze because every block was owned by user space */
  freezes: number;
}

/** A `SOCK_RAW` AF_PACKET socket. Needs CAP_NET_RAW: without it {@link PacketSocket.open} throws EPERM. */
export class PacketSocket {
  #fd: number;
  readonly #int = new Uint8Array(4);
  readonly #len = new Uint8Array(4);

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Opens an AF_PACKET socket that receives nothing until {@link bind}.
   *
   * @returns the socket
   * @throws {SyscallError} code "EPERM" without CAP_NET_RAW
   * @example
   * ```ts
   * import { PacketSocket } from "./packet_socket.ts";
   * try {
   *   using sock = PacketSocket.open();
   *   if (sock.fd < 0) throw new Error("open socket has an fd");
   * } catch (e) {
   *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
   * }
   * ```
   */
  static open(): PacketSocket {
    const { SOCK_CLOEXEC } = archConstants();
    const fd = check("socket", libc().socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), "AF_PACKET, SOCK_RAW");
    return new PacketSocket(fd);
  }

  /** The file descriptor, or -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  #open(): number {
    if (this.#fd < 0) throw new SyscallError("packet socket", Errno.EBADF, "already closed");
    return this.#fd;
  }

  #setInt(level: number, name: number, value: number, label: string): void {
    dataView(this.#int).setInt32(0, value | 0, true);
    check(label, libc().setsockopt(this.#open(), level, name, this.#int, 4));
  }

  /**
   * Binds to an interface and starts receiving.
   *
   * @param ifindex interface index; 0 receives from every interface
   * @param protocol host-order ethertype to receive, default ETH_P_ALL
   * @throws {SyscallError} e.g. ENODEV for a vanished interface, ENETDOWN when it is down
   */
  bind(ifindex: number, protocol: number = ETH_P_ALL): void {
    const sll = new Uint8Array(SOCKADDR_LL.size);
    const dv = dataView(sll);
    dv.setUint16(SOCKADDR_LL.host.family, AF_PACKET, true);
    dv.setUint16(SOCKADDR_LL.net.protocol, protocol, false); // network order
    dv.setInt32(SOCKADDR_LL.host.ifindex, ifindex | 0, true);
    check("bind", libc().bind(this.#open(), sll, SOCKADDR_LL.size), `ifindex ${ifindex}`);
  }

  /**
   * Joins or leaves promiscuous mode on an interface through a `PACKET_MR_PROMISC` membership, which the
   * kernel drops by itself when the socket closes (unlike setting IFF_PROMISC, it cannot leak).
   *
   * @param ifindex the interface (not 0)
   * @param on true to join, false to leave
   * @throws {SyscallError} when setsockopt fails
   */
  setPromiscuous(ifindex: number, on: boolean): void {
    const mreq = new Uint8Array(PACKET_MREQ.size);
    const dv = dataView(mreq);
    dv.setInt32(PACKET_MREQ.host.ifindex, ifindex | 0, true);
    dv.setUint16(PACKET_MREQ.host.type, PACKET_MR_PROMISC, true);
    const opt = on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP;
    check(
      "setsockopt",
      libc().setsockopt(this.#open(), SOL_PACKET, opt, mreq, PACKET_MREQ.size),
      `${on ? "PACKET_ADD_MEMBERSHIP" : "PACKET_DROP_MEMBERSHIP"} promisc, ifindex ${ifindex}`,
    );
  }

  /**
   * Picks the ring layout version; must come before {@link setRxRing}.
   *
   * @param version a TPACKET_V* value (TPACKET_V3 = 2)
   * @throws {SyscallError} when setsockopt fails
   */
  setVersion(version: number): void {
    this.#setInt(SOL_PACKET, PACKET_VERSION, version, "setsockopt PACKET_VERSION");
  }

  /**
   * Asks the kernel for a receive ring; map it afterwards with `mmap(fd)` of `blockSize * blockNr` bytes.
   *
   * @param req the ring geometry
   * @throws {SyscallError} EINVAL for a geometry the kernel refuses, ENOMEM when it cannot allocate
   */
  setRxRing(req: RingRequest): void {
    const buf = new Uint8Array(TPACKET_REQ3.size);
    const dv = dataView(buf);
    const f = TPACKET_REQ3.host;
    dv.setUint32(f.blockSize, req.blockSize, true);
    dv.setUint32(f.blockNr, req.blockNr, true);
    dv.setUint32(f.frameSize, req.frameSize, true);
    dv.setUint32(f.frameNr, req.frameNr, true);
    dv.setUint32(f.retireBlkTov, req.retireTimeoutMs, true);
    check(
      "setsockopt",
      libc().setsockopt(this.#open(), SOL_PACKET, PACKET_RX_RING, buf, TPACKET_REQ3.size),
      `PACKET_RX_RING ${req.blockNr} x ${req.blockSize} bytes`,
    );
  }

  /**
   * Reads and resets the kernel counters (TPACKET_V3 layout: call after `setVersion(TPACKET_V3)`).
   *
   * @returns the counts since the previous read
   * @throws {SyscallError} when getsockopt fails
   */
  statistics(): PacketStatistics {
    const buf = new Uint8Array(TPACKET_STATS_V3.size);
    const len = this.#len;
    dataView(len).setUint32(0, TPACKET_STATS_V3.size, true);
    check(
      "getsockopt",
      libc().getsockopt(this.#open(), SOL_PACKET, PACKET_STATISTICS, buf, len),
      "PACKET_STATISTICS",
    );
    const dv = dataView(buf);
    const f = TPACKET_STATS_V3.host;
    return {
      packets: dv.getUint32(f.packets, true),
      drops: dv.getUint32(f.drops, true),
      freezes: dv.getUint32(f.freezeQCnt, true),
    };
  }

  /**
   * Attaches a classic BPF program (`SO_ATTACH_FILTER`); a packet the program returns 0 for is never
   * queued nor counted. The return value of the program caps the bytes captured.
   *
   * @param program 1 to 4096 instructions
   * @throws {RangeError} for an empty or oversized program or a field out of range
   * @throws {SyscallError} EINVAL when the kernel's verifier rejects the program
   */
  attachFilter(program: readonly BpfInstruction[]): void {
    if (program.length === 0 || program.length > BPF_MAXINSNS) {
      throw new RangeError(`a BPF program has 1 to ${BPF_MAXINSNS} instructions, not ${program.length}`);
    }
    const insns = new Uint8Array(program.length * SOCK_FILTER.size);
    const dv = dataView(insns);
    const f = SOCK_FILTER.host;
    program.forEach((ins, i) => {
      const bad = !isUint(ins.code, 0xffff)
        ? "code"
        : !isUint(ins.jt, 0xff)
        ? "jt"
        : !isUint(ins.jf, 0xff)
        ? "jf"
        : !isUint(ins.k, 0xffffffff)
        ? "k"
        : undefined;
      if (bad) throw new RangeError(`BPF instruction ${i}: ${bad} out of range: ${JSON.stringify(ins)}`);
      const at = i * SOCK_FILTER.size;
      dv.setUint16(at + f.code, ins.code, true);
      dv.setUint8(at + f.jt, ins.jt);
      dv.setUint8(at + f.jf, ins.jf);
      dv.setUint32(at + f.k, ins.k, true);
    });
    const fprog = new Uint8Array(SOCK_FPROG.size);
    const fv = dataView(fprog);
    fv.setUint16(SOCK_FPROG.host.len, program.length, true);
    fv.setBigUint64(
      SOCK_FPROG.host.filter,
      BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(insns))),
      true,
    );
    // The kernel copies the program during the call, so `insns` only has to live until it returns.
    check(
      "setsockopt",
      libc().setsockopt(this.#open(), SOL_SOCKET, archConstants().SO_ATTACH_FILTER, fprog, SOCK_FPROG.size),
      `SO_ATTACH_FILTER, ${program.length} instructions`,
    );
  }

  /**
   * Removes the attached filter.
   *
   * @throws {SyscallError} ENOENT when no filter is attached
   */
  detachFilter(): void {
    this.#setInt(SOL_SOCKET, archConstants().SO_DETACH_FILTER, 0, "setsockopt SO_DETACH_FILTER");
  }

  /**
   * Stops (or resumes) delivery of packets this host sends (`PACKET_IGNORE_OUTGOING`, Linux 4.20+).
   *
   * @param on true to ignore outgoing packets
   * @throws {SyscallError} ENOPROTOOPT on older kernels
   */
  setIgnoreOutgoing(on: boolean): void {
    this.#setInt(SOL_PACKET, PACKET_IGNORE_OUTGOING, on ? 1 : 0, "setsockopt PACKET_IGNORE_OUTGOING");
  }

  /**
   * The socket's pending error (`SO_ERROR`), which reading clears: ENETDOWN after its interface went away.
   *
   * @returns an errno value, 0 for none
   * @throws {SyscallError} when getsockopt fails
   */
  pendingError(): number {
    dataView(this.#len).setUint32(0, 4, true);
    check(
      "getsockopt",
      libc().getsockopt(this.#open(), SOL_SOCKET, archConstants().SO_ERROR, this.#int, this.#len),
    );
    return dataView(this.#int).getInt32(0, true);
  }

  /**
   * Sends one complete link-layer frame out of an interface (for tests and simple injection; one syscall).
   *
   * @param frame the bytes, link-layer header included
   * @param ifindex the interface; 0 uses the one the socket is bound to
   * @returns the bytes sent
   * @throws {SyscallError} e.g. ENXIO without an interface, EMSGSIZE for a frame over the MTU
   */
  send(frame: Uint8Array, ifindex = 0): number {
    const fd = this.#open();
    if (ifindex === 0) {
      return Number(check("sendto", libc().sendto(fd, frame, BigInt(frame.byteLength), 0, null, 0)));
    }
    const sll = new Uint8Array(SOCKADDR_LL.size);
    const dv = dataView(sll);
    dv.setUint16(SOCKADDR_LL.host.family, AF_PACKET, true);
    dv.setInt32(SOCKADDR_LL.host.ifindex, ifindex | 0, true);
    return Number(
      check(
        "sendto",
        libc().sendto(fd, frame, BigInt(frame.byteLength), 0, sll, SOCKADDR_LL.size),
        `ifindex ${ifindex}`,
      ),
    );
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

function isUint(x: number, max: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= max;
}
