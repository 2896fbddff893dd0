import assert from "node:assert/strict";
import { needScapy, repoPath, run, SCAPY_PYTHON as PYTHON, testIf } from "../_helpers.ts";

testIf(
  "make_corpus.py is deterministic: a rerun rebuilds the committed corpus byte for byte",
  needScapy(),
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
