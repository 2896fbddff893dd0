/**
 * What the `sniffer` command's tests share: paths, the task's permissions, and `main()` with captured output.
 *
 * @module
 */
import { main, type SnifferIo } from "../../cmd/sniffer.ts";
import { repoPath } from "../_helpers.ts";

/** The pcap corpus. */
export const CORPUS: string = repoPath("tests/fixtures/corpus");
/** The command's entry file. */
export const SNIFFER: string = repoPath("cmd/sniffer.ts");
/** The permissions of the `sniffer` task in deno.json. */
export const TASK: string[] = [
  "run",
  "--quiet",
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  SNIFFER,
];
/** `setpriv` flags that run a command as "nobody". */
export const AS_NOBODY: string[] = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];

const td = new TextDecoder();

/**
 * Runs main() with captured output.
 *
 * @param args the command line
 * @param stdin what `-r -` reads
 * @returns the exit code, stdout and stderr (one line per message)
 */
export async function sniff(
  args: string[],
  stdin?: Uint8Array<ArrayBuffer>,
): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: SnifferIo = {
    stdout: (b) => out += td.decode(b),
    stderr: (l) => err += l + "\n",
    stdin: () => new Blob(stdin ? [stdin] : []).stream(),
  };
  const code = await main(args, io);
  return { code, out, err };
}
