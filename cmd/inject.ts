/**
 * `inject`: craft and send packets (hping3/nping style), match replies, replay capture files.
 *
 * ```
 * deno task inject icmp --dst 127.0.0.1 -c 3 --wait-reply
 * deno task inject tcp --dst 127.0.0.1 --dport 80 --flags S --wait-reply
 * deno task inject udp --dst ::1 --dport 9 --dry-run -w out.pcap
 * deno task inject replay file.pcap -i veth0 --topspeed --loop 2
 * ```
 *
 * Exit codes: 0 done, 1 runtime failure (no permission, no reply at all, unreadable file), 2 bad usage.
 *
 * @module
 */
import { INJECT_USAGE, injectContext, parseInjectArgs, runInject, UsageError } from "../lib/craft/mod.ts";

/**
 * Runs the tool.
 *
 * @param args the command line after the program name
 * @returns the exit code
 */
export async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args[0] === "-h" || args[0] === "--help") {
    console.log(INJECT_USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  try {
    const plan = parseInjectArgs(args, injectContext());
    Deno.addSignalListener("SIGINT", onSigint);
    return await runInject(plan, { out: (line) => console.log(line), signal: abort.signal });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || e instanceof SyntaxError) {
      console.error(`inject: ${err.message.split("\n")[0]}`);
      return 2;
    }
    if (err.code === "EPERM" || err.code === "EACCES") {
      console.error("inject: needs root or CAP_NET_RAW (try: sudo ./inject)");
      return 1;
    }
    if (e instanceof Deno.errors.NotCapable) {
      console.error(
        `inject: ${
          err.message.split("\n")[0]
        } (needs --allow-ffi --allow-read --allow-write --allow-env --allow-sys)`,
      );
      return 1;
    }
    console.error(`inject: ${err.message.split("\n")[0]}`);
    return 1;
  } finally {
    try {
      Deno.removeSignalListener("SIGINT", onSigint);
    } catch { /* never added */ }
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
