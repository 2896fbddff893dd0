import assert from "node:assert/strict";
import { repoPath } from "../_helpers.ts";

Deno.test("lib/wire is pure: no Deno.* use and no import outside lib/wire", () => {
  const dir = repoPath("lib/wire");
  let files = 0;
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".ts")) continue;
    files++;
    const src = Deno.readTextFileSync(`${dir}/${e.name}`);
    // Strip comments so JSDoc examples and prose do not count.
    const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
    assert.doesNotMatch(code, /\bDeno\./, `${e.name} uses Deno.*`);
    for (const m of code.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
      assert.match(m[1], /^\.\/[a-z0-9_]+\.ts$/, `${e.name} imports ${m[1]}`);
    }
  }
  assert.ok(files >= 19);
});
