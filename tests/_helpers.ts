/**
 * Shared test helpers: what the machine offers (peer programs, privileges) and how to skip with a reason.
 *
 * @module
 */
import { bindTcpSocket, closeFd } from "../ffi/tcp.ts";
import { parseIpv4Address, parseIpv6Address } from "../lib/wire/address.ts";

const commandCache = new Map<string, boolean>();

/**
 * Whether an executable is on PATH.
 *
 * @param name the program, e.g. "socat"
 * @returns true when `command -v name` finds it
 */
export function hasCommand(name: string): boolean {
  let found = commandCache.get(name);
  if (found === undefined) {
    const out = new Deno.Command("sh", {
      args: ["-c", `command -v '${name}'`],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
    found = out.success;
    commandCache.set(name, found);
  }
  return found;
}

/** Linux capability numbers (linux/capability.h). */
const CAP = { NET_ADMIN: 12, NET_RAW: 13 } as const;

function effectiveCaps(): bigint {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = status.match(/^CapEff:\s*([0-9a-f]+)$/m);
    return m ? BigInt("0x" + m[1]) : 0n;
  } catch {
    return 0n;
  }
}

/** @returns true when this process may open raw/packet sockets (CAP_NET_RAW). */
export function hasNetRaw(): boolean {
  return (effectiveCaps() >> BigInt(CAP.NET_RAW) & 1n) === 1n;
}

/** @returns true when this process may create namespaces and veth pairs (CAP_NET_ADMIN) and `ip` exists. */
export function hasNetAdmin(): boolean {
  return (effectiveCaps() >> BigInt(CAP.NET_ADMIN) & 1n) === 1n && hasCommand("ip");
}

/**
 * Registers a test that runs only when `reason` is undefined; otherwise registers it as ignored with the
 * reason in its name and prints the reason, so a skip is never silent.
 *
 * @param name the test's name
 * @param reason why it cannot run here, or undefined to run it
 * @param fn the test body
 * @param options extra Deno.test options (sanitizers)
 */
export function testIf(
  name: string,
  reason: string | undefined,
  fn: (t: Deno.TestContext) => void | Promise<void>,
  options: Omit<Deno.TestDefinition, "name" | "fn" | "ignore"> = {},
): void {
  if (reason !== undefined) {
    console.log(`SKIP ${name}: ${reason}`);
    Deno.test({ ...options, name: `${name} (skipped: ${reason})`, ignore: true, fn });
  } else {
    Deno.test({ ...options, name, fn });
  }
}

/**
 * The reason a test needing these programs cannot run, or undefined when all exist.
 *
 * @param names programs the test runs
 * @returns a reason naming the missing programs, or undefined
 */
export function needCommands(...names: string[]): string | undefined {
  const missing = names.filter((n) => !hasCommand(n));
  return missing.length ? `not installed: ${missing.join(", ")}` : undefined;
}

/** Debian's python3, the one with python3-scapy (another python3 on PATH may lack it). */
export const SCAPY_PYTHON = "/usr/bin/python3";

/** @returns a reason when Debian's python3 or its scapy is missing, else undefined */
export function needScapy(): string | undefined {
  try {
    const out = new Deno.Command(SCAPY_PYTHON, {
      args: ["-c", "import scapy.all"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
    return out.success ? undefined : `${SCAPY_PYTHON} has no scapy (python3-scapy not installed)`;
  } catch {
    return `${SCAPY_PYTHON} not found`;
  }
}

/** @returns a reason when CAP_NET_RAW is missing, else undefined */
export function needNetRaw(): string | undefined {
  return hasNetRaw() ? undefined : "needs root or CAP_NET_RAW";
}

/** @returns a reason when CAP_NET_ADMIN or `ip` is missing, else undefined */
export function needNetAdmin(): string | undefined {
  return hasNetAdmin() ? undefined : "needs root or CAP_NET_ADMIN and iproute2";
}

/** Absolute path of a file in the repository, from a path relative to its root. */
export function repoPath(rel: string): string {
  return new URL(`../${rel}`, import.meta.url).pathname;
}

/**
 * Runs a program to completion and returns its exit code and output as text.
 *
 * @param cmd the program
 * @param args its arguments
 * @param opts stdin text, environment and a time limit in ms (the process is killed past it)
 * @returns code, stdout, stderr
 */
export async function run(
  cmd: string,
  args: string[],
  opts: { stdin?: string | Uint8Array; env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string; signal: Deno.Signal | null }> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: opts.env,
    cwd: opts.cwd,
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, opts.timeoutMs ?? 60_000);
  try {
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(typeof opts.stdin === "string" ? new TextEncoder().encode(opts.stdin) : opts.stdin);
      await w.close();
    }
    const out = await child.output();
    return {
      code: out.code,
      signal: out.signal,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The deno flags a test uses to run a netkit program as a real process. */
export const DENO_RUN = ["run", "--unstable-net", "--allow-all", "--quiet"];

/**
 * A port nothing listens on at this moment, for a server the test starts right away: bound on port 0 (for
 * TCP, bound without listening, with SO_REUSEADDR), read back, closed. Another process may take it later.
 * For "connection refused" cases use {@link refusedPort}, which holds the port.
 *
 * (Not a listener closed at once: a child that another test forks meanwhile holds that listener, still
 * listening, until it execs, so a connection made right after could be accepted and then reset, and a
 * server binding the port could find it in use.)
 *
 * @param transport the protocol whose port space to probe
 * @param hostname the address to bind (a literal)
 * @returns the port
 */
export function freePort(transport: "tcp" | "udp" = "tcp", hostname = "127.0.0.1"): number {
  if (transport === "tcp") {
    const { fd, port } = bindTcpSocket(addressBytes(hostname), 0, true);
    closeFd(fd);
    return port;
  }
  const sock = Deno.listenDatagram({ transport: "udp", hostname, port: 0 });
  try {
    return (sock.addr as Deno.NetAddr).port;
  } finally {
    sock.close();
  }
}

/**
 * A TCP port that refuses connections for as long as the handle is open: a socket bound to it that does not
 * listen (the kernel answers a SYN with RST) and that no one else can bind meanwhile.
 *
 * @param hostname the address to bind (a literal)
 * @returns the port, and the disposer that releases it
 */
export function refusedPort(hostname = "127.0.0.1"): { port: number } & Disposable {
  const { fd, port } = bindTcpSocket(addressBytes(hostname), 0);
  return { port, [Symbol.dispose]: () => closeFd(fd) };
}

function addressBytes(hostname: string): Uint8Array {
  return hostname.includes(":") ? parseIpv6Address(hostname) : parseIpv4Address(hostname);
}

/**
 * Concatenates byte arrays into one new array.
 *
 * @param parts the pieces
 * @returns their bytes, in order
 */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
