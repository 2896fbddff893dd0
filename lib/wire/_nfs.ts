/**
 * NFS over SUN RPC (RFC 5531; NFS version 2, RFC 1094, and 3, RFC 1813), as tcpdump 4.99 prints it
 * (udp_print/tcp_print hand it a call to port 2049 or a reply from it; nfsreq_noaddr_print and
 * nfsreply_noaddr_print print it, parsenfsfh.c guesses what a file handle holds):
 *
 * ```text
 * call:  xid | 0 | rpcvers | prog | vers | proc | cred (flavor, len, body) | verf (same) | arguments
 * reply: xid | 1 | 0 (accepted) | verf | accept stat | results
 *        xid | 1 | 1 (denied)   | 0 (RPC mismatch) low high | 1 (auth error) why
 * TCP:   a 4-byte record mark (last-fragment bit, 31-bit length) before each message
 * ```
 *
 * UDP, after `src.sport > dst.dport: ` (TCP: after `length N`, with `: ` in front):
 *
 * ```text
 * NFS request xid 77 84 lookup fh 0,1/0 "hello.txt"
 * NFS reply xid 77 reply ok 148 lookup fh 0,1/0
 * NFS reply xid 77 reply ok 28 lookup ERROR: No such file or directory
 * NFS request xid 81 56 getattr fh Unk/0102030405060708090A0B0C
 * NFS reply xid 82 reply ERR 20: Auth Credentials are too weak
 * NFS request xid 83 68 getattr [|nfs]
 * ```
 *
 * The number after the xid is the message's length: the UDP length less 8 (at most what the IP header
 * leaves), or over TCP the record mark's length, at most what the segment holds after the mark.
 *
 * What tcpdump does and so this file does:
 * - Only the ports and the direction word choose NFS: the program number is never looked at, and a call of
 *   any version is read as version 2 unless it says 3 (a version 4 COMPOUND, procedure 1, prints as a v2
 *   `getattr` with a 32-byte handle). Version 2 procedure numbers are mapped to version 3's first.
 * - A reply is decoded only when its call was seen ({@link NfsXids}): same IP version and xid, from the
 *   call's server to its client. Without a match a reply prints only `reply ok N`.
 * - A call's credentials and verifier are skipped by their lengths: each body must be captured (else
 *   ` [|nfs]`), the credentials must fit the message and the verifier must leave something after it. The
 *   length is rounded in 32-bit arithmetic but skipped in full, so one near 2^32 passes the checks and the
 *   next read runs off the capture.
 * - A file handle prints as `fh MAJOR,MINOR/INODE` after parsenfsfh's guess of the server's OS, as
 *   `fh NAME/INODE` for a VMS UCX handle (the device name as raw text), or as `fh Unknown/HEX` when no guess
 *   fits (the hex at most 32 bytes); either name is cut to as many characters as the handle has 32-bit
 *   words (at most 64) and at its first space: a 12-byte unknown handle prints `fh Unk/...`.
 * - File attributes: a getattr reply always prints type, mode, ids (signed) and size; other replies print
 *   them from `-v` on; `-vv` adds nlink, rdev, fsid, fileid and times, and the pre-operation (wcc)
 *   attributes. A v3 sattr's size is read as one word although it is two (what follows is read early).
 * - Truncation: tcpdump's own checks (the procedure word, the credentials' and verifier's bodies, a handle,
 *   a name, the attribute blocks) end with ` [|nfs]`; a word read past the capture is a long jump (also
 *   ` [|nfs]`, and `-x` then dumps the whole frame). After an NFS or RPC error status no mark is printed.
 *
 * Not covered: `-u` (raw file handles) and name resolution (netkit prints numeric addresses, as `-n`).
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar } from "./_text.ts";

/** Byte offsets in the RPC message (RFC 5531): both directions', then a call's, then a reply's. */
const RPC = {
  xid: 0,
  direction: 4,
  // call
  prog: 12,
  vers: 16,
  proc: 20,
  cred: 24,
  // reply
  replyStat: 8,
  verf: 12,
  rejectStat: 12,
  low: 16,
  high: 20,
  why: 16,
} as const;

const NFS_PORT = 2049;
const CALL = 0, REPLY = 1;
const V2_HANDLE = 32;

/** Version 3 procedure numbers; NOOP is tcpdump's own (for v2's ROOT and WRITECACHE). */
const P = {
  NULL: 0,
  GETATTR: 1,
  SETATTR: 2,
  LOOKUP: 3,
  ACCESS: 4,
  READLINK: 5,
  READ: 6,
  WRITE: 7,
  CREATE: 8,
  MKDIR: 9,
  SYMLINK: 10,
  MKNOD: 11,
  REMOVE: 12,
  RMDIR: 13,
  RENAME: 14,
  LINK: 15,
  READDIR: 16,
  READDIRPLUS: 17,
  FSSTAT: 18,
  FSINFO: 19,
  PATHCONF: 20,
  COMMIT: 21,
  NOOP: 25,
} as const;

/** Version 2's procedure numbers (0-25) as version 3's (ROOT and WRITECACHE, and 18-25, as NOOP). */
// deno-fmt-ignore
const V2_PROCS = [0, 1, 2, 25, 3, 5, 6, 25, 7, 8, 12, 14, 15, 10, 9, 13, 16, 18, 25, 25, 25, 25, 25, 25, 25, 25];
const V2_PROC_COUNT = 26;

const PROC_NAMES: Record<number, string> = {
  [P.NOOP]: "nop",
  [P.NULL]: "null",
  [P.GETATTR]: "getattr",
  [P.SETATTR]: "setattr",
  [P.LOOKUP]: "lookup",
  [P.ACCESS]: "access",
  [P.READLINK]: "readlink",
  [P.READ]: "read",
  [P.WRITE]: "write",
  [P.CREATE]: "create",
  [P.MKDIR]: "mkdir",
  [P.SYMLINK]: "symlink",
  [P.MKNOD]: "mknod",
  [P.REMOVE]: "remove",
  [P.RMDIR]: "rmdir",
  [P.RENAME]: "rename",
  [P.LINK]: "link",
  [P.READDIR]: "readdir",
  [P.READDIRPLUS]: "readdirplus",
  [P.FSSTAT]: "fsstat",
  [P.FSINFO]: "fsinfo",
  [P.PATHCONF]: "pathconf",
  [P.COMMIT]: "commit",
};

/** NFS status values: the RFCs' and the BSD errno values some servers send. */
const STATUS: Record<number, string> = {
  1: "Operation not permitted",
  2: "No such file or directory",
  5: "Input/output error",
  6: "Device not configured",
  11: "Resource deadlock avoided",
  12: "Cannot allocate memory",
  13: "Permission denied",
  17: "File exists",
  18: "Cross-device link",
  19: "Operation not supported by device",
  20: "Not a directory",
  21: "Is a directory",
  22: "Invalid argument",
  26: "Text file busy",
  27: "File too large",
  28: "No space left on device",
  30: "Read-only file system",
  31: "Too many links",
  45: "Operation not supported",
  62: "Too many levels of symbolic links",
  63: "File name too long",
  66: "Directory not empty",
  69: "Disc quota exceeded",
  70: "Stale NFS file handle",
  71: "Too many levels of remote in path",
  99: "Write cache flushed to disk",
  10001: "Illegal NFS file handle",
  10002: "Update synchronization mismatch",
  10003: "READDIR/READDIRPLUS cookie is stale",
  10004: "Operation not supported",
  10005: "Buffer or request is too small",
  10006: "Unspecified error on server",
  10007: "Object of that type not supported",
  10008: "Request couldn't be completed in time",
};

const AUTH_STAT: Record<number, string> = {
  0: "OK",
  1: "Bogus Credentials (seal broken)",
  2: "Rejected Credentials (client should begin new session)",
  3: "Bogus Verifier (seal broken)",
  4: "Verifier expired or was replayed",
  5: "Credentials are too weak",
  6: "Bogus response verifier",
  7: "Unknown failure",
};

const ACCEPT_STAT: Record<number, string> = {
  1: "PROG_UNAVAIL",
  2: "PROG_MISMATCH",
  3: "PROC_UNAVAIL",
  4: "GARBAGE_ARGS",
  5: "SYSTEM_ERR",
};

/** tcpdump's type2str (it has no name for a socket, 6). */
const FILE_TYPES: Record<number, string> = {
  0: "NON",
  1: "REG",
  2: "DIR",
  3: "BLK",
  4: "CHR",
  5: "LNK",
  7: "FIFO",
};
const BLK = 3, CHR = 4;
const WRITE_MODES: Record<number, string> = { 0: "unstable", 1: "datasync", 2: "filesync" };
/** A stable_how value; tcpdump's tok2str without a format shows an unknown one as `#N` (signed). */
const writeMode = (n: number) => WRITE_MODES[n] ?? `#${n | 0}`;
const ACCESS_BITS = ["READ", "LOOKUP", "MODIFY", "EXTEND", "DELETE", "EXECUTE"];
const ACCESS_FULL = 0x3f;

/** Sizes of fixed result blocks: v2 and v3 file attributes, statfs results, fsinfo, pathconf, wcc_attr. */
const SIZE = { fattr2: 68, fattr3: 84, statfs2: 20, statfs3: 52, fsinfo: 48, pathconf: 24, wcc: 24 } as const;

const XID_MAP_SIZE = 64;

/** One remembered call; the addresses are kept in fixed 16-byte slots (IPv4 uses the first 4 bytes). */
interface XidEntry {
  xid: number;
  ipver: number;
  client: Uint8Array;
  server: Uint8Array;
  proc: number;
  vers: number;
}

/**
 * The calls seen, by xid, so that a reply can be read as the answer to its call (tcpdump's xid map): 64
 * entries in a ring, the oldest overwritten; one per summarizer, shared by UDP and TCP.
 */
export class NfsXids {
  #map: XidEntry[] = Array.from({ length: XID_MAP_SIZE }, () => ({
    xid: 0,
    ipver: 0,
    client: new Uint8Array(16),
    server: new Uint8Array(16),
    proc: 0,
    vers: 0,
  }));
  #next = 0;
  #hint = 0;

  /**
   * Remembers a call, overwriting the oldest of the 64 entries.
   *
   * @param xid the call's transaction id
   * @param client the client's (source) address, 4 or 16 bytes
   * @param server the server's (destination) address, as long
   * @param proc the procedure number as sent
   * @param vers the program version
   */
  enter(xid: number, client: Uint8Array, server: Uint8Array, proc: number, vers: number): void {
    const e = this.#map[this.#next];
    this.#next = (this.#next + 1) % XID_MAP_SIZE;
    e.xid = xid;
    e.ipver = client.length === 4 ? 4 : 6;
    e.client.set(client.subarray(0, 16));
    e.server.set(server.subarray(0, 16));
    e.proc = proc;
    e.vers = vers;
  }

  /**
   * The call a reply answers: same IP version and xid, sent from the call's server to its client. The
   * search starts where the last one matched, so of two calls with one xid the first found from there wins.
   *
   * @param xid the reply's transaction id
   * @param src the reply's source address (4 or 16 bytes; anything else matches nothing)
   * @param dst the reply's destination address
   * @returns the call's procedure and version, or null
   */
  find(xid: number, src: Uint8Array, dst: Uint8Array): { proc: number; vers: number } | null {
    const ipver = src.length === 4 ? 4 : src.length === 16 ? 6 : 0;
    if (ipver === 0 || dst.length !== src.length) return null;
    let i = this.#hint;
    do {
      const e = this.#map[i];
      if (e.ipver === ipver && e.xid === xid && same(e.server, src) && same(e.client, dst)) {
        this.#hint = i;
        return { proc: e.proc, vers: e.vers };
      }
      i = (i + 1) % XID_MAP_SIZE;
    } while (i !== this.#hint);
    return null;
  }

  /** Forgets every call. */
  clear(): void {
    for (const e of this.#map) e.ipver = 0;
    this.#next = 0;
    this.#hint = 0;
  }
}

/** Whether the slot starts with the address. */
function same(slot: Uint8Array, addr: Uint8Array): boolean {
  for (let k = 0; k < addr.length; k++) if (slot[k] !== addr[k]) return false;
  return true;
}

/** What the NFS printers need beyond the message. */
export interface NfsContext {
  /** The calls seen (one per summarizer). */
  xids: NfsXids;
  /** The carrying IP header's source address (4 or 16 bytes). */
  src: Uint8Array;
  /** The carrying IP header's destination address (4 or 16 bytes). */
  dst: Uint8Array;
  /** Source port. */
  sport: number;
  /** Destination port. */
  dport: number;
  /** How many `-v` were given (0 for none). */
  verbosity: number;
}

/** tcpdump's `goto trunc` after one of its own checks: the mark without a long jump. */
class Trunc {}

/** The message being printed: its captured bytes, the text so far, -v, and whether an error was shown. */
interface St {
  p: Uint8Array;
  o: Out;
  v: number;
  err: boolean;
}

/** A 32-bit word, or a {@link Cut} (tcpdump's GET_BE_U_4 running off the capture). */
function w32(p: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > p.length) throw new Cut();
  return ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
}

/** A 64-bit word (GET_BE_U_8). */
function w64(p: Uint8Array, at: number): bigint {
  if (at < 0 || at + 8 > p.length) throw new Cut();
  return (BigInt(w32(p, at)) << 32n) | BigInt(w32(p, at + 4));
}

/** ND_TTEST_LEN: `n` bytes from `at` were captured. */
function has(p: Uint8Array, at: number, n: number): boolean {
  return at >= 0 && at + n <= p.length;
}

const hex8 = (n: number) => n.toString(16).padStart(8, "0");
const usec = (sec: number, frac: number) => `${sec}.${String(frac).padStart(6, "0")}`;

/**
 * NFS in a UDP datagram: the text after `src.sport > dst.dport: `.
 *
 * @param data the datagram's captured data (from the RPC xid on)
 * @param length the data length tcpdump uses (the UDP length less 8, at most what the IP header leaves)
 * @param ctx addresses, ports, verbosity and the calls seen
 * @returns the text, or null when the datagram is not NFS's RPC (the caller keeps its plain line)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nfsUdpText, NfsXids } from "./_nfs.ts";
 * const words = [7, 0, 2, 100003, 3, 0, 0, 0, 0, 0];
 * const data = new Uint8Array(words.length * 4);
 * words.forEach((n, k) => new DataView(data.buffer).setUint32(k * 4, n));
 * const ctx = {
 *   xids: new NfsXids(),
 *   src: new Uint8Array([10, 0, 0, 1]),
 *   dst: new Uint8Array([10, 0, 0, 2]),
 *   sport: 800,
 *   dport: 2049,
 *   verbosity: 0,
 * };
 * assert.deepEqual(nfsUdpText(data, data.length, ctx), { text: "NFS request xid 7 40 null", jump: false });
 * ```
 */
export function nfsUdpText(data: Uint8Array, length: number, ctx: NfsContext): Printed | null {
  return message(data, length, ctx, "");
}

/**
 * NFS in a TCP segment's data (after the 4-byte RPC record mark): the text after `length N`.
 *
 * @param data the segment's captured data (from the record mark on)
 * @param length the segment's data length
 * @param ctx addresses, ports, verbosity and the calls seen
 * @returns the text, or null when the segment is not NFS's RPC (nothing is added)
 */
export function nfsTcpText(data: Uint8Array, length: number, ctx: NfsContext): Printed | null {
  if (length < 4 || data.length < 4) return null;
  // The record's length, at most what the segment holds after the mark.
  const fraglen = Math.min(w32(data, 0) & 0x7fffffff, length - 4);
  return message(data.subarray(4), fraglen, ctx, ": ");
}

/** A call to 2049 or a reply from it, with tcpdump's text; null for anything else. */
function message(p: Uint8Array, length: number, ctx: NfsContext, lead: string): Printed | null {
  if (p.length < RPC.direction + 4) return null;
  const direction = w32(p, RPC.direction);
  const isCall = ctx.dport === NFS_PORT && direction === CALL;
  if (!isCall && !(ctx.sport === NFS_PORT && direction === REPLY)) return null;
  const st: St = {
    p,
    o: { s: `${lead}NFS ${isCall ? "request" : "reply"} xid ${w32(p, RPC.xid)} ` },
    v: ctx.verbosity,
    err: false,
  };
  try {
    if (isCall) request(st, length, ctx);
    else reply(st, length, ctx);
    return { text: st.o.s, jump: false };
  } catch (e) {
    if (e instanceof Trunc) return { text: st.err ? st.o.s : st.o.s + " [|nfs]", jump: false };
    if (e instanceof Cut) return { text: st.o.s + " [|nfs]", jump: true };
    throw e;
  }
}

// ---- calls (nfsreq_noaddr_print) ----

function request(st: St, length: number, ctx: NfsContext): void {
  const { p, o } = st;
  o.s += `${length}`;
  if (!has(p, RPC.proc, 4)) throw new Trunc();
  const vers = w32(p, RPC.vers);
  let proc = w32(p, RPC.proc);
  if (ctx.src.length === 4 || ctx.src.length === 16) {
    ctx.xids.enter(w32(p, RPC.xid), ctx.src, ctx.dst, proc, vers);
  }
  const v3 = vers === 3;
  if (!v3 && proc < V2_PROC_COUNT) proc = V2_PROCS[proc];
  o.s += ` ${PROC_NAMES[proc] ?? `proc-${proc}`}`;
  const args = () => {
    const dp = callArgs(p, length);
    if (dp < 0) throw new Trunc();
    return dp;
  };
  let dp: number;
  switch (proc) {
    case P.GETATTR:
    case P.SETATTR:
    case P.READLINK:
    case P.FSSTAT:
    case P.FSINFO:
    case P.PATHCONF:
      handle(st, args(), v3);
      break;
    case P.LOOKUP:
    case P.CREATE:
    case P.MKDIR:
    case P.REMOVE:
    case P.RMDIR:
      handleName(st, args(), v3);
      break;
    case P.ACCESS: {
      dp = handle(st, args(), v3);
      const flags = w32(p, dp);
      if (flags & ~ACCESS_FULL) o.s += ` ${flags.toString(16).padStart(4, "0")}`;
      else if (flags === ACCESS_FULL) o.s += " NFS_ACCESS_FULL";
      else {
        let sep = " ";
        ACCESS_BITS.forEach((name, k) => {
          if (flags & (1 << k)) o.s += `${sep}NFS_ACCESS_${name}`, sep = "|";
        });
      }
      break;
    }
    case P.READ:
      dp = handle(st, args(), v3);
      if (v3) {
        const count = w32(p, dp + 8), offset = w64(p, dp);
        o.s += ` ${count} bytes @ ${offset}`;
      } else {
        const count = w32(p, dp + 4), offset = w32(p, dp);
        o.s += ` ${count} bytes @ ${offset}`;
      }
      break;
    case P.WRITE:
      dp = handle(st, args(), v3);
      if (v3) {
        const n = w32(p, dp + 16), count = w32(p, dp + 8), offset = w64(p, dp);
        o.s += ` ${n} (${count}) bytes @ ${offset}`;
        if (st.v) o.s += ` <${writeMode(w32(p, dp + 12))}>`;
      } else {
        const a = w32(p, dp + 12), b = w32(p, dp + 8), c = w32(p, dp + 4), d = w32(p, dp);
        o.s += ` ${a} (${b}) bytes @ ${c} (${d})`;
      }
      break;
    case P.SYMLINK: {
      dp = handleName(st, args(), v3);
      o.s += " ->";
      let sa: Sattr | null = null;
      if (v3) [sa, dp] = sattr3(p, dp);
      name(st, dp);
      if (sa && st.v) o.s += sattrText(sa, st.v);
      break;
    }
    case P.MKNOD: {
      dp = handleName(st, args(), v3);
      const type = w32(p, dp);
      let sa: Sattr;
      [sa, dp] = sattr3(p, dp + 4);
      o.s += ` ${FILE_TYPES[type] ?? `unk-ft ${type}`}`;
      if (st.v && (type === CHR || type === BLK)) {
        const major = w32(p, dp), minor = w32(p, dp + 4);
        o.s += ` ${major}/${minor}`;
      }
      if (st.v) o.s += sattrText(sa, st.v);
      break;
    }
    case P.RENAME:
      dp = handleName(st, args(), v3);
      o.s += " ->";
      handleName(st, dp, v3);
      break;
    case P.LINK:
      dp = handle(st, args(), v3);
      o.s += " ->";
      handleName(st, dp, v3);
      break;
    case P.READDIR:
      dp = handle(st, args(), v3);
      if (v3) {
        const count = w32(p, dp + 16), cookie = BigInt.asIntN(64, w64(p, dp));
        o.s += ` ${count} bytes @ ${cookie}`;
        if (st.v) {
          const a = w32(p, dp + 8), b = w32(p, dp + 12);
          o.s += ` verf ${hex8(a)}${hex8(b)}`;
        }
      } else {
        const count = w32(p, dp + 4), cookie = w32(p, dp);
        o.s += ` ${count} bytes @ ${cookie}`;
      }
      break;
    case P.READDIRPLUS: {
      dp = handle(st, args(), v3);
      const count = w32(p, dp + 16), cookie = BigInt.asIntN(64, w64(p, dp));
      o.s += ` ${count} bytes @ ${cookie}`;
      if (st.v) {
        const max = w32(p, dp + 20), a = w32(p, dp + 8), b = w32(p, dp + 12);
        o.s += ` max ${max} verf ${hex8(a)}${hex8(b)}`;
      }
      break;
    }
    case P.COMMIT: {
      dp = handle(st, args(), v3);
      const count = w32(p, dp + 8), offset = w64(p, dp);
      o.s += ` ${count} bytes @ ${offset}`;
      break;
    }
  }
}

/**
 * Where a call's arguments start, past the credentials and the verifier (tcpdump's parsereq): -1 when
 * their bodies were not captured or do not fit the message. tcpdump rounds a length up in 32-bit unsigned
 * arithmetic (a length near 2^32 rounds to 0 and passes its checks) but skips it in 64-bit pointer
 * arithmetic, so the next read runs off the capture.
 */
function callArgs(p: Uint8Array, length: number): number {
  let dp = RPC.cred;
  if (length < 8) return -1;
  let len = w32(p, dp + 4);
  let rounded = roundUp4(len);
  if (!has(p, dp + 8, rounded)) return -1;
  if (8 + rounded > length) return -1;
  dp += skip(len);
  length -= 8 + rounded;
  if (length < 8) return -1;
  len = w32(p, dp + 4);
  rounded = roundUp4(len);
  if (!has(p, dp + 8, rounded)) return -1;
  if (8 + rounded >= length) return -1;
  return dp + skip(len);
}

/** C's roundup2(len, 4) in 32-bit unsigned arithmetic. */
const roundUp4 = (len: number) => ((len + 3) & ~3) >>> 0;
/** The bytes an opaque field of `len` takes with its flavor and length words: (len + 11) / 4 words. */
const skip = (len: number) => Math.floor((len + 11) / 4) * 4;

/** A file handle (v3: with its length word); the offset after it. tcpdump's parsefh. */
function handle(st: St, dp: number, v3: boolean): number {
  let words = V2_HANDLE / 4;
  if (v3) {
    words = Math.floor(w32(st.p, dp) / 4);
    dp += 4;
  }
  if (!has(st.p, dp, words * 4)) throw new Trunc();
  st.o.s += fileHandle(st.p.subarray(dp, dp + words * 4), words);
  return dp + words * 4;
}

/** A handle, a space and a name (parsefhn). */
function handleName(st: St, dp: number, v3: boolean): number {
  dp = handle(st, dp, v3);
  st.o.s += " ";
  return name(st, dp);
}

/** A counted, padded string in quotes (parsefn); the offset after it. */
function name(st: St, dp: number): number {
  const len = w32(st.p, dp);
  dp += 4;
  if (len > 0xfffffffc) {
    st.o.s += "[cannot pad to 32-bit boundaries] (invalid)";
    throw new Trunc();
  }
  const padded = Math.ceil(len / 4) * 4;
  if (!has(st.p, dp, padded)) throw new Trunc();
  let s = '"';
  for (let k = 0; k < len; k++) s += textChar(st.p[dp + k]);
  st.o.s += s + '"';
  return dp + padded;
}

// ---- file handles (nfs_printfh and parsenfsfh.c's Parse_fh) ----

/** parsenfsfh.c's guesses at who made a handle, from its first bytes. */
type FhType =
  | "unknown"
  | "auspex"
  | "decosf"
  | "irix4"
  | "sunos4"
  | "sunos5"
  | "ultrix"
  | "vmsucx"
  | "hpux9"
  | "bsd44";

function fhType(f: Uint8Array, words: number): FhType {
  if (words < 4) return "unknown";
  if (f[0] === 0 && f[1] === 0) {
    if (f[2] === 0 && f[3] === 0) return "auspex";
    if (f[4] !== 0 && f[5] === 0 && f[8] === 12 && f[9] === 0) return "decosf";
    if (f[4] === 0 && f[5] === 8 && f[6] === 0 && f[7] === 0) return "irix4";
    return "sunos4";
  }
  if (f[2] === 0 && f[3] === 0) {
    if (f[6] === 0 && f[7] === 0) return "bsd44";
    if (words >= 6 && f[21] === 0 && f[23] === 0) return "ultrix";
    return f[9] === 10 ? "sunos5" : "unknown";
  }
  if (f[8] === 12 && f[9] === 0) return "decosf";
  if (f[8] === 0 && f[9] === 10) {
    return f[4] === 0 && f[5] === 0 && f[6] === 0 && f[7] === 0 ? "hpux9" : "sunos5";
  }
  return isUcx(f, words) ? "vmsucx" : "unknown";
}

/** A VMS UCX handle: a code byte, printable characters, then NULs up to byte 14. */
function isUcx(f: Uint8Array, words: number): boolean {
  if (words < 7) return false;
  let seenNull = false;
  for (let i = 1; i < 14; i++) {
    if (f[i] >= 0x20 && f[i] <= 0x7e) {
      if (seenNull) return false;
    } else if (f[i] === 0) seenNull = true;
    else return false;
  }
  return true;
}

const le32 = (f: Uint8Array, at: number) =>
  (f[at] | (f[at + 1] << 8) | (f[at + 2] << 16) | (f[at + 3] << 24)) >>> 0;
const be32 = (f: Uint8Array, at: number) =>
  ((f[at] << 24) | (f[at + 1] << 16) | (f[at + 2] << 8) | f[at + 3]) >>> 0;

/** ` fh MAJOR,MINOR/INODE`, ` fh NAME/INODE` or ` fh Unknown/HEX` for a handle of `words` 32-bit words. */
function fileHandle(f: Uint8Array, words: number): string {
  // tcpdump copies the name with the handle's length in words as the byte count (at most 64), cut at a space.
  const named = (n: string) => {
    const s = n.slice(0, Math.min(words, 64));
    const sp = s.indexOf(" ");
    return ` fh ${sp < 0 ? s : s.slice(0, sp)}/`;
  };
  let major: number, minor: number, ino: number;
  switch (fhType(f, words)) {
    case "auspex":
      [major, minor, ino] = [f[6], f[7], be32(f, 12)];
      break;
    case "bsd44":
      [major, minor, ino] = [f[1], f[0], le32(f, 12)];
      break;
    case "decosf": {
      const t = le32(f, 0);
      [major, minor, ino] = [(t >>> 20) & 0xfff, t & 0xfffff, le32(f, 12)];
      break;
    }
    case "irix4":
      [major, minor, ino] = [f[2], f[3], be32(f, 8)];
      break;
    case "sunos4":
      [major, minor, ino] = [f[2], f[3], be32(f, 12)];
      break;
    case "sunos5":
      major = (((f[0] << 8) | f[1]) >> 2) & 0x3fff;
      minor = ((f[1] << 16) | (f[2] << 8) | f[3]) & 0x3ffff;
      ino = be32(f, 12);
      break;
    case "ultrix":
      [major, minor, ino] = [f[1], f[0], le32(f, 4)];
      break;
    case "hpux9":
      [major, minor, ino] = [f[0], (f[1] << 16) | (f[2] << 8) | f[3], be32(f, 12)];
      break;
    case "vmsucx": {
      // The device name from byte 1, up to a NUL, as raw text.
      let n = "";
      for (let i = 1; i < f.length && f[i] !== 0; i++) n += rawChar(f[i]);
      ino = ((f[26] << 24) | (f[27] << 16) | f[22] | (f[23] << 8)) >>> 0;
      return named(n) + ino;
    }
    default: {
      let hex = "";
      for (let i = 0; i < f.length && i < 32; i++) hex += f[i].toString(16).toUpperCase().padStart(2, "0");
      return named("Unknown") + hex;
    }
  }
  return ` fh ${major},${minor}/${ino}`;
}

/** A byte tcpdump prints with %s: itself (a byte past ASCII shows as the replacement character). */
function rawChar(c: number): string {
  return c < 0x80 ? String.fromCharCode(c) : "\ufffd";
}

// ---- set attributes (sattr3) ----

interface Sattr {
  mode?: number;
  uid?: number;
  gid?: number;
  atime?: [number, number];
  mtime?: [number, number];
}

/** A v3 sattr3 and the offset after it (parse_sattr3). */
function sattr3(p: Uint8Array, dp: number): [Sattr, number] {
  const sa: Sattr = {};
  const opt = () => {
    const set = w32(p, dp);
    dp += 4;
    if (!set) return undefined;
    const v = w32(p, dp);
    dp += 4;
    return v;
  };
  sa.mode = opt();
  sa.uid = opt();
  sa.gid = opt();
  opt(); // size
  const time = () => {
    const how = w32(p, dp);
    dp += 4;
    if (how !== 2) return undefined;
    const t: [number, number] = [w32(p, dp), w32(p, dp + 4)];
    dp += 8;
    return t;
  };
  sa.atime = time();
  sa.mtime = time();
  return [sa, dp];
}

function sattrText(sa: Sattr, v: number): string {
  let s = "";
  if (sa.mode !== undefined) s += ` mode ${sa.mode.toString(8)}`;
  if (sa.uid !== undefined) s += ` uid ${sa.uid}`;
  if (sa.gid !== undefined) s += ` gid ${sa.gid}`;
  if (v > 1) {
    if (sa.atime) s += ` atime ${usec(...sa.atime)}`;
    if (sa.mtime) s += ` mtime ${usec(...sa.mtime)}`;
  }
  return s;
}

// ---- replies (nfsreply_noaddr_print, interp_reply) ----

function reply(st: St, length: number, ctx: NfsContext): void {
  const { p, o } = st;
  if (!has(p, RPC.replyStat, 4)) throw new Trunc();
  const stat = w32(p, RPC.replyStat);
  if (stat === 0) {
    o.s += `reply ok ${length}`;
    const call = ctx.xids.find(w32(p, RPC.xid), ctx.src, ctx.dst);
    if (call) results(st, length, call.proc, call.vers);
  } else if (stat === 1) {
    o.s += `reply ERR ${length}: `;
    if (!has(p, RPC.rejectStat, 4)) throw new Trunc();
    const why = w32(p, RPC.rejectStat);
    if (why === 0) {
      if (!has(p, RPC.high, 4)) throw new Trunc();
      o.s += `RPC Version mismatch (${w32(p, RPC.low)}-${w32(p, RPC.high)})`;
    } else if (why === 1) {
      if (!has(p, RPC.why, 4)) throw new Trunc();
      const a = w32(p, RPC.why);
      o.s += `Auth ${AUTH_STAT[a] ?? `Invalid failure code ${a}`}`;
    } else o.s += `Unknown reason for rejecting rpc message ${why}`;
  } else o.s += `reply Unknown rpc response code=${stat} ${length}`;
}

/** A reply's results, read as the answer to procedure `proc` of version `vers` (interp_reply). */
function results(st: St, length: number, proc: number, vers: number): void {
  const { p, o } = st;
  const v3 = vers === 3;
  if (!v3 && proc < V2_PROC_COUNT) proc = V2_PROCS[proc];
  o.s += ` ${PROC_NAMES[proc] ?? `proc-${proc}`}`;
  const must = (dp: number) => {
    if (dp < 0) throw new Trunc();
    return dp;
  };
  const rep = () => must(replyResults(st, length));
  const v = st.v;
  let dp: number, er: number;
  switch (proc) {
    case P.GETATTR:
      // Always with the attributes' first line: tcpdump passes !-q, which is always true here.
      attrStat(st, rep(), 1, v3);
      break;
    case P.SETATTR:
      if (v3) wccData(st, status(st, rep())[0], v);
      else attrStat(st, rep(), 1, false);
      break;
    case P.LOOKUP:
      if (v3) {
        [dp, er] = status(st, rep());
        if (er) {
          if (v > 1) {
            o.s += " post dattr:";
            postOpAttr(st, dp, v);
          }
        } else {
          dp = handle(st, dp, true);
          dp = postOpAttr(st, dp, v);
          if (v > 1) {
            o.s += " post dattr:";
            postOpAttr(st, dp, v);
          }
        }
      } else dirOpRes(st, rep());
      break;
    case P.ACCESS:
      [dp, er] = status(st, rep());
      if (v) o.s += " attr:";
      dp = postOpAttr(st, dp, v);
      if (!er) o.s += ` c ${w32(p, dp).toString(16).padStart(4, "0")}`;
      break;
    case P.READLINK:
      [dp, er] = status(st, rep());
      if (er) break;
      if (v3) dp = postOpAttr(st, dp, v);
      o.s += " ";
      name(st, dp);
      break;
    case P.READ:
      if (v3) {
        [dp, er] = status(st, rep());
        dp = postOpAttr(st, dp, v);
        if (!er && v) {
          o.s += ` ${w32(p, dp)} bytes`;
          if (w32(p, dp + 4)) o.s += " EOF";
        }
      } else attrStat(st, rep(), v, false);
      break;
    case P.WRITE:
      if (v3) {
        [dp, er] = status(st, rep());
        dp = wccData(st, dp, v);
        if (!er && v) {
          o.s += ` ${w32(p, dp)} bytes`;
          if (v > 1) {
            o.s += ` <${writeMode(w32(p, dp + 4))}>`;
            o.s += ` verf ${w64(p, dp + 8).toString(16)}`;
          }
        }
      } else attrStat(st, rep(), v, false);
      break;
    case P.CREATE:
    case P.MKDIR:
      if (v3) createOpRes(st, rep(), v);
      else dirOpRes(st, rep());
      break;
    case P.SYMLINK:
      if (v3) createOpRes(st, rep(), v);
      else status(st, rep());
      break;
    case P.MKNOD:
      createOpRes(st, rep(), v);
      break;
    case P.REMOVE:
    case P.RMDIR:
      if (v3) wccData(st, status(st, rep())[0], v);
      else status(st, rep());
      break;
    case P.RENAME:
      if (v3) {
        [dp] = status(st, rep());
        if (v) {
          o.s += " from:";
          dp = wccData(st, dp, v);
          o.s += " to:";
          wccData(st, dp, v);
        }
      } else status(st, rep());
      break;
    case P.LINK:
      if (v3) {
        [dp] = status(st, rep());
        if (v) {
          o.s += " file POST:";
          dp = postOpAttr(st, dp, v);
          o.s += " dir:";
          wccData(st, dp, v);
        }
      } else status(st, rep());
      break;
    case P.READDIR:
      if (v3) readdir3(st, rep(), v);
      else readdir2(st, rep());
      break;
    case P.READDIRPLUS:
      readdir3(st, rep(), v);
      break;
    case P.FSSTAT:
      statfs(st, rep(), v3);
      break;
    case P.FSINFO:
      fsinfo(st, rep());
      break;
    case P.PATHCONF:
      pathconf(st, rep());
      break;
    case P.COMMIT:
      dp = wccData(st, status(st, rep())[0], v);
      if (v > 1) o.s += ` verf ${w64(p, dp).toString(16)}`;
      break;
  }
}

/**
 * Where an accepted reply's results start, past the verifier and an accept status of SUCCESS (parserep):
 * -1 when the verifier is not shorter than the message, or (with the status printed) not SUCCESS.
 */
function replyResults(st: St, length: number): number {
  const len = w32(st.p, RPC.verf + 4);
  if (len >= length) return -1;
  const dp = RPC.verf + Math.floor((len + 11) / 4) * 4;
  const astat = w32(st.p, dp);
  if (astat !== 0) {
    st.o.s += ` ${ACCEPT_STAT[astat] ?? `ar_stat ${astat}`}`;
    st.err = true;
    return -1;
  }
  return dp + 4;
}

/** The NFS status word, printed when it is an error; the offset after it and the status. */
function status(st: St, dp: number): [number, number] {
  const er = w32(st.p, dp);
  if (er) {
    st.o.s += ` ERROR: ${STATUS[er] ?? `unk ${er}`}`;
    st.err = true;
  }
  return [dp + 4, er];
}

/** File attributes, v2 or v3 (parsefattr); the offset after them. */
function fattr(st: St, dp: number, verbose: number, v3: boolean): number {
  const { p, o } = st;
  if (!has(p, dp + 16, 4)) throw new Trunc();
  if (verbose) {
    const type = w32(p, dp), mode = w32(p, dp + 4), uid = w32(p, dp + 12) | 0, gid = w32(p, dp + 16) | 0;
    o.s += ` ${FILE_TYPES[type] ?? `unk-ft ${type} `} ${mode.toString(8)} ids ${uid}/${gid}`;
    o.s += ` sz ${v3 ? w64(p, dp + 20) : w32(p, dp + 20)}`;
  }
  if (verbose > 1) {
    if (v3) {
      if (!has(p, dp + 76, 8)) throw new Trunc();
      const nlink = w32(p, dp + 8), r1 = w32(p, dp + 36), r2 = w32(p, dp + 40);
      o.s += ` nlink ${nlink} rdev ${r1}/${r2}`;
      o.s += ` fsid ${w64(p, dp + 44).toString(16)}`;
      o.s += ` fileid ${w64(p, dp + 52).toString(16)}`;
      for (const [k, at] of [[" a/m/ctime ", 60], [" ", 68], [" ", 76]] as const) {
        o.s += k + usec(w32(p, dp + at), w32(p, dp + at + 4));
      }
    } else {
      if (!has(p, dp + 60, 8)) throw new Trunc();
      const nlink = w32(p, dp + 8), rdev = w32(p, dp + 28), fsid = w32(p, dp + 36), fileid = w32(p, dp + 40);
      o.s += ` nlink ${nlink} rdev 0x${rdev.toString(16)} fsid 0x${fsid.toString(16)} nodeid 0x${
        fileid.toString(16)
      } a/m/ctime`;
      for (const at of [44, 52, 60]) o.s += " " + usec(w32(p, dp + at), w32(p, dp + at + 4));
    }
  }
  return dp + (v3 ? SIZE.fattr3 : SIZE.fattr2);
}

/** A status, then the attributes when it is OK (parseattrstat). */
function attrStat(st: St, dp: number, verbose: number, v3: boolean): void {
  const [at, er] = status(st, dp);
  if (!er) fattr(st, at, verbose, v3);
}

/** v2: a status, then a handle and attributes (parsediropres). */
function dirOpRes(st: St, dp: number): void {
  const [at, er] = status(st, dp);
  if (er) return;
  fattr(st, handle(st, at, false), st.v, false);
}

/** Optional wcc attributes, printed from -vv (parse_pre_op_attr). */
function preOpAttr(st: St, dp: number, verbose: number): number {
  if (!w32(st.p, dp)) return dp + 4;
  dp += 4;
  if (!has(st.p, dp, SIZE.wcc)) throw new Trunc();
  if (verbose > 1) {
    const { p, o } = st;
    o.s += ` sz ${w64(p, dp)}`;
    const a = w32(p, dp + 8), b = w32(p, dp + 12), c = w32(p, dp + 16), d = w32(p, dp + 20);
    o.s += ` mtime ${usec(a, b)} ctime ${usec(c, d)}`;
  }
  return dp + SIZE.wcc;
}

/** Optional v3 attributes, printed from -v (parse_post_op_attr). */
function postOpAttr(st: St, dp: number, verbose: number): number {
  if (!w32(st.p, dp)) return dp + 4;
  dp += 4;
  return verbose ? fattr(st, dp, verbose, true) : dp + SIZE.fattr3;
}

/** Attributes before and after (parse_wcc_data). */
function wccData(st: St, dp: number, verbose: number): number {
  if (verbose > 1) st.o.s += " PRE:";
  dp = preOpAttr(st, dp, verbose);
  if (verbose) st.o.s += " POST:";
  return postOpAttr(st, dp, verbose);
}

/** v3 create, mkdir, symlink, mknod results (parsecreateopres). */
function createOpRes(st: St, dp: number, verbose: number): void {
  let er: number;
  [dp, er] = status(st, dp);
  if (er) {
    wccData(st, dp, verbose);
    return;
  }
  if (!w32(st.p, dp)) return;
  dp = handle(st, dp + 4, true);
  if (verbose) {
    dp = postOpAttr(st, dp, verbose);
    if (st.v > 1) {
      st.o.s += " dir attr:";
      wccData(st, dp, verbose);
    }
  }
}

/** v3 readdir and readdirplus results (parsev3rddirres). */
function readdir3(st: St, dp: number, verbose: number): void {
  let er: number;
  [dp, er] = status(st, dp);
  if (st.v) st.o.s += " POST:";
  dp = postOpAttr(st, dp, verbose);
  if (er) return;
  if (st.v) {
    const a = w32(st.p, dp), b = w32(st.p, dp + 4);
    st.o.s += ` verf ${hex8(a)}${hex8(b)}`;
  }
}

/** v2 readdir results (parserddires). */
function readdir2(st: St, dp: number): void {
  let er: number;
  [dp, er] = status(st, dp);
  if (er) return;
  const a = w32(st.p, dp), b = w32(st.p, dp + 4);
  st.o.s += ` offset 0x${a.toString(16)} size ${b} `;
  if (w32(st.p, dp + 8)) st.o.s += " eof";
}

/** statfs (v2) and fsstat (v3) results (parsestatfs): a v3 error still prints what follows. */
function statfs(st: St, dp: number, v3: boolean): void {
  const { p, o } = st;
  let er: number;
  [dp, er] = status(st, dp);
  if (!v3 && er) return;
  if (v3) {
    if (st.v) o.s += " POST:";
    dp = postOpAttr(st, dp, st.v);
  }
  if (!has(p, dp, v3 ? SIZE.statfs3 : SIZE.statfs2)) throw new Trunc();
  if (v3) {
    o.s += ` tbytes ${w64(p, dp)} fbytes ${w64(p, dp + 8)} abytes ${w64(p, dp + 16)}`;
    if (st.v) {
      o.s += ` tfiles ${w64(p, dp + 24)} ffiles ${w64(p, dp + 32)} afiles ${w64(p, dp + 40)} invar ${
        w32(p, dp + 48)
      }`;
    }
  } else {
    const [a, b, c, d, e] = [0, 4, 8, 12, 16].map((k) => w32(p, dp + k));
    o.s += ` tsize ${a} bsize ${b} blocks ${c} bfree ${d} bavail ${e}`;
  }
}

/** v3 fsinfo results (parsefsinfo). */
function fsinfo(st: St, dp: number): void {
  const { p, o } = st;
  let er: number;
  [dp, er] = status(st, dp);
  if (st.v) o.s += " POST:";
  dp = postOpAttr(st, dp, st.v);
  if (er) return;
  if (!has(p, dp, SIZE.fsinfo)) throw new Trunc();
  const [rtmax, rtpref, wtmax, wtpref, dtpref] = [0, 4, 12, 16, 24].map((k) => w32(p, dp + k));
  o.s += ` rtmax ${rtmax} rtpref ${rtpref} wtmax ${wtmax} wtpref ${wtpref} dtpref ${dtpref}`;
  if (st.v) {
    o.s += ` rtmult ${w32(p, dp + 8)} wtmult ${w32(p, dp + 20)} maxfsz ${w64(p, dp + 28)}`;
    o.s += ` delta ${usec(w32(p, dp + 36), w32(p, dp + 40))} `;
  }
}

/** v3 pathconf results (parsepathconf). */
function pathconf(st: St, dp: number): void {
  const { p, o } = st;
  let er: number;
  [dp, er] = status(st, dp);
  if (st.v) o.s += " POST:";
  dp = postOpAttr(st, dp, st.v);
  if (er) return;
  if (!has(p, dp, SIZE.pathconf)) throw new Trunc();
  const [linkmax, namemax, notrunc, chown, igncase, keepcase] = [0, 4, 8, 12, 16, 20].map((k) =>
    w32(p, dp + k)
  );
  o.s += ` linkmax ${linkmax} namemax ${namemax} ${notrunc ? "notrunc" : ""} ${chown ? "chownres" : ""} ${
    igncase ? "igncase" : ""
  } ${keepcase ? "keepcase" : ""}`;
}
