import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { Rng } from "./_rand.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { formatJson, jsonRecord } from "../../lib/wire/json.ts";
import type { JsonMeta } from "../../lib/wire/json.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { repoPath } from "../_helpers.ts";

const d = new PacketDecoder();
const same = (frame: Uint8Array, linktype: number, meta: JsonMeta, what: string) => {
  const r = d.decode(frame, linktype);
  const fast = formatJson(r, meta);
  assert.equal(fast, JSON.stringify(jsonRecord(d.decode(frame, linktype), meta)), what);
};

Deno.test("formatJson() writes exactly JSON.stringify(jsonRecord()) for every fixture and corpus packet", () => {
  let n = 0;
  for (const f of FIXTURES) {
    const b = fixtureBytes(f);
    same(b, f.linktype, { n: ++n, ts: 1700000000.123456, len: b.length, caplen: b.length }, f.name);
  }
  const dir = repoPath("tests/fixtures/corpus");
  for (const e of Deno.readDirSync(dir)) {
    if (!/\.pcap(ng)?$/.test(e.name)) continue;
    try {
      for (const p of readPacketsSync(Deno.readFileSync(`${dir}/${e.name}`))) {
        const meta: JsonMeta = { n: ++n, ts: p.tsSec + p.tsNsec / 1e9, len: p.len, caplen: p.caplen };
        if (p.ifName !== undefined) meta.ifname = p.ifName;
        if (p.direction !== undefined) meta.dir = p.direction;
        same(p.data, p.linktype, meta, e.name);
      }
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err; // else a corrupt file of the corpus: its end
    }
  }
  assert(n > 50, `only ${n} packets compared`);
});

Deno.test("formatJson() matches JSON.stringify on mutated frames, odd names and non-finite numbers", () => {
  const rng = new Rng(11);
  const names = ["lo", "eth0", 'we"ird\\name', "tab\there", "é", "veth-1.2:3"];
  for (let i = 0; i < 3000; i++) {
    const f = rng.pick(FIXTURES);
    const b = fixtureBytes(f).slice();
    for (let k = rng.int(4); k > 0; k--) b[rng.int(b.length)] = rng.u32() & 0xff;
    const cut = rng.bool() ? b.subarray(0, rng.int(b.length + 1)) : b;
    const ts = rng.pick([0, 1.5, 1700000000.000001, -0, NaN, Infinity]);
    same(
      cut,
      f.linktype,
      { n: i, ts, len: b.length, caplen: cut.length, ifname: rng.pick(names), dir: "in" },
      f.name,
    );
  }
});
