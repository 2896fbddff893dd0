/** netkit's MD5 (lib/wire/_md5.ts, for `-M`) against node:crypto's, over every length across block edges. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Md5 } from "../../lib/wire/_md5.ts";
import { Rng } from "./_rand.ts";

Deno.test("md5: equals node:crypto's for lengths 0..300, whole and fed in pieces", () => {
  const r = new Rng(5);
  for (let n = 0; n <= 300; n++) {
    const data = r.bytes(n);
    const want = createHash("md5").update(data).digest("hex");
    const whole = new Md5().update(data).digest();
    const cut = r.int(n + 1);
    const pieces = new Md5().update(data.subarray(0, cut)).update(data.subarray(cut)).digest();
    const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    assert.equal(hex(whole), want, `length ${n}`);
    assert.equal(hex(pieces), want, `length ${n} cut at ${cut}`);
  }
});
