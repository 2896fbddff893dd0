import assert from "node:assert/strict";
import { repoPath, run, testIf } from "../_helpers.ts";

const PYTHON = "/usr/bin/python3";

function scapyMissing(): string | undefined {
  try {
    const out = new Deno.Command(PYTHON, { args: ["-c", "import scapy.all"], stdout: "null", stderr: "null" })
      .outputSync();
    return out.success ? undefined : `${PYTHON} has no scapy`;
  } catch {
    return `${PYTHON} not found`;
  }
}

testIf(
  "make_corpus.py is deterministic: a rerun rebuilds the committed corpus byte for byte",
  scapyMissing(),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: `netkit_corpus_${Deno.pid}_` });
    try {
      const r = await run(PYTHON, [repoPath("tests/fixtures/make_corpus.py"), dir], { timeoutMs: 50_000 });
      assert.equal(r.code, 0, r.stderr);
      const committed = repoPath("tests/fixtures/corpus");
      const names = [...Deno.readDirSync(committed)].map((e) => e.name).sort();
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), names);
      let total = 0;
      for (const name of names) {
        const want = await Deno.readFile(`${committed}/${name}`);
        assert.deepEqual(
          await Deno.readFile(`${dir}/${name}`),
          want,
          `${name} differs: rerun make_corpus.py`,
        );
        total += want.length;
      }
      assert.ok(total < 2 * 1024 * 1024, `corpus is ${total} bytes`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
