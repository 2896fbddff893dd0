/**
 * Test helper: runs the sniffer library over file bytes with a command line, as `sniffer ARGS -r FILE` would,
 * and collects what it prints.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  parseSnifferArgs,
  Sniffer,
  type SnifferOptions,
  type SnifferResult,
} from "../../lib/capture/sniffer.ts";

const td = new TextDecoder();

/** What one run printed and returned. */
export interface Sniffed {
  out: string;
  err: string[];
  result: SnifferResult;
}

/**
 * Runs a sniffer over argv (as the CLI would parse it) with the given file bytes.
 *
 * @param argv the command line, without `-r`
 * @param bytes the capture file's bytes
 * @param extra options laid over the parsed ones
 * @returns stdout, the stderr lines and the result
 */
export async function sniffFile(
  argv: string[],
  bytes: Uint8Array,
  extra: Partial<SnifferOptions> = {},
): Promise<Sniffed> {
  const cmd = parseSnifferArgs(argv);
  assert(cmd.kind === "run");
  let out = "";
  const err: string[] = [];
  const result = await new Sniffer({
    ...cmd.options,
    read: { source: bytes, name: "f" },
    stdout: (b) => out += td.decode(b),
    stderr: (l) => err.push(l),
    ...extra,
  }).run();
  return { out, err, result };
}
