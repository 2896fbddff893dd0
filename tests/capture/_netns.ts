/**
 * Helpers shared by the privileged capture tests: `ip` that throws, a veth pair between two namespaces the
 * test creates, and peers (tcpdump) started and waited for until they print "listening on".
 *
 * @module
 */
import { DENO_RUN, needCommands, needNetAdmin, needNetRaw, repoPath, run } from "../_helpers.ts";

/** Why the namespace tests cannot run here (they need root powers, `ip`, tcpdump and timeout), or undefined. */
export const NEED_NETNS: string | undefined = needNetRaw() ?? needNetAdmin() ??
  needCommands("tcpdump", "timeout");

/**
 * Runs `ip` with the given arguments and throws when it fails.
 *
 * @param args the arguments after `ip`
 * @returns what `ip` printed on stdout
 */
export async function ip(...args: string[]): Promise<string> {
  const r = await run("ip", args, { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Two namespaces joined by a veth pair: end `a` in `nsA`, end `b` in `nsB`, `macB` the address of `b`. */
export interface VethPair {
  a: string;
  b: string;
  nsA: string;
  nsB: string;
  macB: string;
  /** Deletes both namespaces (and so the pair). */
  close(): Promise<void>;
}

/**
 * Creates two namespaces joined by a veth pair, both ends up, IPv6 off in both (no ND/MLD noise).
 * Names are unique to this process: namespaces `nk<name><pid><tag>a|b`, interfaces `nk<name[0]><pid><tag>a|b`.
 *
 * @param name the test file's short name, e.g. "inj"
 * @param tag distinguishes the pairs of one file
 * @returns the pair; `close()` deletes it (also called here when the setup fails half-way)
 */
export async function vethPair(name: string, tag: string): Promise<VethPair> {
  const id = `${Deno.pid % 100000}${tag}`;
  const nsA = `nk${name}${id}a`, nsB = `nk${name}${id}b`, a = `nk${name[0]}${id}a`, b = `nk${name[0]}${id}b`;
  const close = async () => {
    await run("ip", ["netns", "del", nsA], { timeoutMs: 10_000 });
    await run("ip", ["netns", "del", nsB], { timeoutMs: 10_000 });
  };
  try {
    await ip("netns", "add", nsA);
    await ip("netns", "add", nsB);
    for (const ns of [nsA, nsB]) {
      await ip("netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
      await ip("netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    }
    await ip("link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
    await ip("-n", nsA, "link", "set", a, "up");
    await ip("-n", nsB, "link", "set", b, "up");
    const macB = (await ip("netns", "exec", nsB, "cat", `/sys/class/net/${b}/address`)).trim();
    return { a, b, nsA, nsB, macB, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Spawns a capturing peer with stderr piped and waits (at most `readyMs`) until it prints "listening on".
 *
 * @param cmd the program
 * @param args its arguments (bound its own run time, e.g. through `timeout`)
 * @param stdout whether to keep its stdout
 * @param readyMs how long to wait for readiness
 * @returns `output`, its output once it exits (in an object: an async function would wait for a bare
 *   promise), and the child, e.g. to signal it
 */
export async function spawnListening(
  cmd: string,
  args: string[],
  stdout: "null" | "piped",
  readyMs: number,
): Promise<{ output: Promise<Deno.CommandOutput>; child: Deno.ChildProcess }> {
  const child = new Deno.Command(cmd, { args, stdout, stderr: "piped" }).spawn();
  const reader = child.stderr.getReader();
  let err = "";
  const deadline = Date.now() + readyMs;
  while (!err.includes("listening on") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    err += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { output: child.output(), child };
}

/**
 * tcpdump writing `count` packets matching `filter` on an interface of a namespace, started and ready.
 *
 * @param ns the namespace
 * @param iface the interface in it
 * @param file the pcap file to write
 * @param count how many packets it waits for
 * @param filter the capture filter
 * @param limitSec its run time limit (`timeout`)
 * @param bufferKiB its kernel buffer (`-B`)
 * @returns `done()` resolves to tcpdump's exit code (0 when it saw all `count` in time)
 */
export async function tcpdumpIn(
  ns: string,
  iface: string,
  file: string,
  count: number,
  filter: string,
  limitSec = 30,
  bufferKiB = 32768,
): Promise<{ done: () => Promise<number> }> {
  const args = ["netns", "exec", ns, "timeout", String(limitSec), "tcpdump", "-i", iface, "-n", "-B"];
  args.push(String(bufferKiB), "-c", String(count), "-w", file, filter);
  const { output } = await spawnListening("ip", args, "null", 10_000);
  return { done: async () => (await output).code };
}

/**
 * Runs netkit's `inject` command inside a namespace.
 *
 * @param ns the namespace
 * @param args the command's arguments
 * @param timeoutMs its time limit
 * @returns its exit code and output
 */
export function injectIn(
  ns: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run("ip", ["netns", "exec", ns, "deno", ...DENO_RUN, repoPath("cmd/inject.ts"), ...args], {
    timeoutMs,
  });
}
