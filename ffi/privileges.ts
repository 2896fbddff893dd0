/**
 * Dropping root: look the user up with `getpwnam`, then `setgroups`, `setgid`, `setuid`, in that order (after
 * `setuid` the process could no longer change its groups), each checked. glibc applies each of these to
 * every thread of the process, which matters in Deno, whose runtime has several threads.
 *
 * Open what needs privileges (packet sockets, low ports) first, then drop: open descriptors stay usable.
 *
 * @module
 */
import { cString, libc } from "./libc.ts";
import { check } from "./errno.ts";
import { PASSWD } from "./structs.ts";

/** A user account's identity. */
export interface UserIds {
  /** login name */
  name: string;
  /** user id */
  uid: number;
  /** primary group id */
  gid: number;
}

/**
 * Looks a user up in the password database (`getpwnam`).
 *
 * @param name the login name, e.g. "nobody"
 * @returns its uid and primary gid
 * @throws {Error} when no such user exists
 * @throws {TypeError} for an empty name
 * @example
 * ```ts
 * import { lookupUser } from "./privileges.ts";
 * if (lookupUser("root").uid !== 0) throw new Error("root is uid 0");
 * ```
 */
export function lookupUser(name: string): UserIds {
  if (name.length === 0 || name.includes("\0")) {
    throw new TypeError(`invalid user name: ${JSON.stringify(name)}`);
  }
  const p = libc().getpwnam(cString(name));
  // getpwnam returns NULL both for "no such user" (errno untouched) and a failed lookup: one message.
  if (p === null) throw new Error(`no such user: ${name}`);
  const v = new Deno.UnsafePointerView(p);
  return { name, uid: v.getUint32(PASSWD.host.uid), gid: v.getUint32(PASSWD.host.gid) };
}

/** The process's ids as the kernel reports them. */
export interface ProcessIds {
  /** real user id */
  uid: number;
  /** effective user id */
  euid: number;
  /** real group id */
  gid: number;
  /** effective group id */
  egid: number;
}

/**
 * The calling process's user and group ids.
 *
 * @returns real and effective uid and gid
 * @example
 * ```ts
 * import { processIds } from "./privileges.ts";
 * const ids = processIds();
 * if (ids.uid !== Deno.uid()) throw new Error("same uid as Deno reports");
 * ```
 */
export function processIds(): ProcessIds {
  const c = libc();
  return { uid: c.getuid(), euid: c.geteuid(), gid: c.getgid(), egid: c.getegid() };
}

/**
 * Drops to a user for the rest of the process's life: supplementary groups become just the user's primary
 * group, then the gid, then the uid change. When the target is not root it also checks that the drop cannot
 * be undone (`setuid(0)` must fail).
 *
 * @param user a login name or the ids to take
 * @returns the ids taken
 * @throws {SyscallError} when a step fails (EPERM when the process is not root)
 * @throws {Error} when the user does not exist or root could be regained
 */
export function dropPrivileges(user: string | UserIds): UserIds {
  const ids = typeof user === "string" ? lookupUser(user) : user;
  for (const [k, v] of [["uid", ids.uid], ["gid", ids.gid]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xfffffffe) throw new RangeError(`invalid ${k}: ${v}`);
  }
  const c = libc();
  const groups = new Uint32Array([ids.gid]);
  check("setgroups", c.setgroups(1n, new Uint8Array(groups.buffer)), `[${ids.gid}]`);
  check("setgid", c.setgid(ids.gid), String(ids.gid));
  check("setuid", c.setuid(ids.uid), String(ids.uid));
  if (ids.uid !== 0 && c.setuid(0) === 0) {
    throw new Error(`privilege drop to ${ids.name} failed: setuid(0) still succeeds`);
  }
  return ids;
}
