/**
 * The public entry points import with no permission at all: no dlopen, no listener, no file or env access
 * at import time (STYLE.md: someone who only decodes a pcap needs no --allow-ffi).
 */
import assert from "node:assert/strict";
import { repoPath, run } from "./_helpers.ts";

for (
  const entry of [
    "mod.ts",
    "lib/echo/mod.ts",
    "lib/pcap/mod.ts",
    "lib/filter/mod.ts",
    "lib/capture/mod.ts",
    "lib/craft/mod.ts",
    "lib/wire/mod.ts",
    "ffi/mod.ts",
  ]
) {
  Deno.test(`importing ${entry} needs no permission and has no side effect`, async () => {
    const url = new URL(`../${entry}`, import.meta.url).href;
    // `deno run -` reads the script from stdin; unlike `deno eval` it grants nothing.
    const r = await run(Deno.execPath(), ["run", "--no-prompt", "--quiet", "-"], {
      cwd: repoPath(""),
      stdin: `const m = await import(${JSON.stringify(url)}); console.log(Object.keys(m).length);`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Number(r.stdout.trim()) > 0, `${entry} exports nothing`);
  });
}
