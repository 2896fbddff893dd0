/**
 * Network interfaces: `if_nametoindex`, and a listing with index, name, flags, MTU, MAC and addresses.
 *
 * The listing comes from `getifaddrs()` through FFI, plus one `SIOCGIFMTU` ioctl per interface. Why not
 * `/sys/class/net`: sysfs shows the network namespace that was current when /sys was mounted, so a process
 * moved into another namespace (`nsenter --net`, `unshare -n`) reads the wrong interfaces there, while
 * getifaddrs (netlink) and ioctl always answer for the caller's own namespace; one call also returns every
 * interface, including those without an address (through their AF_PACKET entry), with flags, index and MAC.
 * `Deno.networkInterfaces()` lacks the index, flags and MTU.
 *
 * @module
 */
import { cString, libc } from "./libc.ts";
import { check, Errno, errno, SyscallError } from "./errno.ts";
import {
  AF_INET,
  AF_INET6,
  AF_PACKET,
  archConstants,
  IFF_LOOPBACK,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
  IFNAMSIZ,
  SIOCGIFMTU,
  SOCK_DGRAM,
} from "./constants.ts";
import { dataView, IFADDRS, IFREQ, SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_LL } from "./structs.ts";

/** One address of an interface. */
export interface InterfaceAddress {
  /** "IPv4" or "IPv6" */
  family: "IPv4" | "IPv6";
  /** the address as text, e.g. "127.0.0.1" or "::1" */
  address: string;
  /** prefix length from the netmask */
  prefixLen: number;
  /** IPv6 scope id (the interface index for link-local addresses), 0 for IPv4 */
  scopeId: number;
}

/** A network interface. */
export interface NetInterface {
  /** interface index (lo is usually 1) */
  index: number;
  /** name, e.g. "lo" */
  name: string;
  /** raw IFF_* flags */
  flags: number;
  /** administratively up (IFF_UP) */
  up: boolean;
  /** operationally up (IFF_RUNNING) */
  running: boolean;
  /** a loopback interface (IFF_LOOPBACK) */
  loopback: boolean;
  /**
   * IFF_PROMISC as getifaddrs reports it: promiscuous mode set administratively (`ip link set X promisc on`).
   * A capture's promiscuous membership raises only the kernel's promiscuity count (`ip -d link` shows
   * "promiscuity N"), not this flag, exactly as `ip link` and ifconfig show it.
   */
  promisc: boolean;
  /** MTU in bytes, or 0 when the ioctl failed (the interface vanished meanwhile) */
  mtu: number;
  /** ARPHRD_* hardware type */
  hatype: number;
  /** link-layer address as "aa:bb:...", or "" when it has none */
  mac: string;
  /** IPv4 and IPv6 addresses */
  addresses: InterfaceAddress[];
}

/**
 * The index of an interface.
 *
 * @param name the interface name, e.g. "lo"
 * @returns its index, or 0 when no interface has that name
 * @example
 * ```ts
 * import { nameToIndex } from "./interfaces.ts";
 * if (nameToIndex("lo") < 1) throw new Error("lo exists");
 * if (nameToIndex("no-such-if0") !== 0) throw new Error("unknown gives 0");
 * ```
 */
export function nameToIndex(name: string): number {
  if (name.length === 0 || name.length >= IFNAMSIZ || name.includes("\0")) return 0;
  return libc().if_nametoindex(cString(name));
}

/**
 * Every interface of the caller's network namespace, sorted by index.
 *
 * @returns the interfaces
 * @throws {SyscallError} when getifaddrs fails
 * @example
 * ```ts
 * import { listInterfaces } from "./interfaces.ts";
 * const lo = listInterfaces().find((i) => i.loopback);
 * if (!lo || lo.mtu <= 0) throw new Error("a loopback interface with an MTU");
 * ```
 */
export function listInterfaces(): NetInterface[] {
  const c = libc();
  const out = new BigUint64Array(1);
  check("getifaddrs", c.getifaddrs(new Uint8Array(out.buffer)));
  const head = Deno.UnsafePointer.create(out[0]);
  const byName = new Map<string, NetInterface>();
  try {
    for (let p = head; p !== null;) {
      const v = new Deno.UnsafePointerView(p);
      const namePtr = v.getPointer(IFADDRS.host.name);
      const name = namePtr === null ? "" : Deno.UnsafePointerView.getCString(namePtr);
      const flags = v.getUint32(IFADDRS.host.flags);
      let entry = byName.get(name);
      if (!entry) {
        entry = {
          index: 0,
          name,
          flags,
          up: (flags & IFF_UP) !== 0,
          running: (flags & IFF_RUNNING) !== 0,
          loopback: (flags & IFF_LOOPBACK) !== 0,
          promisc: (flags & IFF_PROMISC) !== 0,
          mtu: 0,
          hatype: 0,
          mac: "",
          addresses: [],
        };
        byName.set(name, entry);
      }
      const addr = v.getPointer(IFADDRS.host.addr);
      if (addr !== null) readAddress(entry, addr, v.getPointer(IFADDRS.host.netmask));
      p = v.getPointer(IFADDRS.host.next);
    }
  } finally {
    c.freeifaddrs(head);
  }
  const list = [...byName.values()];
  for (const i of list) {
    if (i.index === 0) i.index = nameToIndex(i.name);
  }
  fillMtus(list);
  return list.sort((a, b) => a.index - b.index);
}

function readAddress(entry: NetInterface, addr: Deno.PointerObject, mask: Deno.PointerObject | null): void {
  const av = new Deno.UnsafePointerView(addr);
  const family = av.getUint16(0);
  if (family === AF_PACKET) {
    entry.index = av.getInt32(SOCKADDR_LL.host.ifindex);
    entry.hatype = av.getUint16(SOCKADDR_LL.host.hatype);
    const halen = Math.min(av.getUint8(SOCKADDR_LL.host.halen), 8);
    const mac = new Uint8Array(halen);
    av.copyInto(mac, SOCKADDR_LL.host.addr);
    entry.mac = [...mac].map((b) => b.toString(16).padStart(2, "0")).join(":");
  } else if (family === AF_INET) {
    const bytes = new Uint8Array(4);
    av.copyInto(bytes, SOCKADDR_IN.net.addr);
    entry.addresses.push({
      family: "IPv4",
      address: bytes.join("."),
      prefixLen: mask === null ? 32 : prefixLength(mask, SOCKADDR_IN.net.addr, 4),
      scopeId: 0,
    });
  } else if (family === AF_INET6) {
    const bytes = new Uint8Array(16);
    av.copyInto(bytes, SOCKADDR_IN6.net.addr);
    entry.addresses.push({
      family: "IPv6",
      address: formatIpv6(bytes),
      prefixLen: mask === null ? 128 : prefixLength(mask, SOCKADDR_IN6.net.addr, 16),
      scopeId: av.getUint32(SOCKADDR_IN6.host.scopeId),
    });
  }
}

function prefixLength(mask: Deno.PointerObject, offset: number, len: number): number {
  const bytes = new Uint8Array(len);
  new Deno.UnsafePointerView(mask).copyInto(bytes, offset);
  let bits = 0;
  for (const b of bytes) {
    for (let m = 0x80; m > 0; m >>= 1) if (b & m) bits++;
  }
  return bits;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

function fillMtus(list: NetInterface[]): void {
  const c = libc();
  const fd = c.socket(AF_INET, SOCK_DGRAM | archConstants().SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SyscallError("socket", errno(), "AF_INET, SOCK_DGRAM for SIOCGIFMTU");
  try {
    const ifr = new Uint8Array(IFREQ.size);
    const dv = dataView(ifr);
    for (const i of list) {
      ifr.fill(0);
      new TextEncoder().encodeInto(i.name, ifr.subarray(IFREQ.host.name, IFREQ.host.name + IFNAMSIZ - 1));
      if (c.ioctl(fd, BigInt(SIOCGIFMTU), ifr) === 0) i.mtu = dv.getInt32(IFREQ.host.ifru, true);
    }
  } finally {
    c.close(fd);
  }
}

/**
 * The index of an interface, or an error that lists the interfaces that exist.
 *
 * @param name the interface name
 * @returns its index (at least 1)
 * @throws {SyscallError} code "ENODEV" naming the existing interfaces
 * @example
 * ```ts
 * import { requireInterface } from "./interfaces.ts";
 * try {
 *   requireInterface("no-such-if0");
 *   throw new Error("unreachable");
 * } catch (e) {
 *   if ((e as { code?: string }).code !== "ENODEV") throw e;
 * }
 * ```
 */
export function requireInterface(name: string): number {
  const index = nameToIndex(name);
  if (index > 0) return index;
  const names = listInterfaces().map((i) => i.name).join(", ");
  throw new SyscallError("if_nametoindex", Errno.ENODEV, `no interface "${name}"; interfaces: ${names}`);
}
