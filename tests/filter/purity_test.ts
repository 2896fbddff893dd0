/**
 * lib/filter is pure: no `Deno.*`, no FFI, no import outside lib/filter, nothing run at import time.
 *
 * @module
 */

import assert from "node:assert/strict";
import { repoPath } from "../_helpers.ts";

Deno.test("lib/filter uses no Deno API and imports nothing outside lib/filter", () => {
  const dir = repoPath("lib/filter");
  let files = 0;
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.name.endsWith(".ts")) continue;
    files++;
    const text = Deno.readTextFileSync(`${dir}/${entry.name}`);
    // Doc examples may import node:assert; code may not use Deno.
    const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "");
    assert.ok(!/\bDeno\./.test(code), `${entry.name} uses Deno.*`);
    for (const m of code.matchAll(/from\s+"([^"]+)"/g)) {
      assert.match(m[1], /^\.\/[a-z_]+\.ts$/, `${entry.name} imports ${m[1]}`);
    }
  }
  assert.ok(files >= 9);
});

Deno.test("importing lib/filter/mod.ts has no side effect that needs a permission", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    // Run as a program with no permission at all: any file, network, FFI or env access would fail.
    args: ["run", "--no-prompt", "--quiet", repoPath("lib/filter/mod.ts")],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
});
