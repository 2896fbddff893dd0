/**
 * C's `%.Nf` (a tie to even) where JavaScript's `toFixed` rounds a tie up: the helper itself, and the
 * printers that print a fraction (STP's times, CDP's power), compared with tcpdump on values that are ties.
 */
import assert from "node:assert/strict";
import { needCommands, testIf } from "../_helpers.ts";
import { fixedC } from "../../lib/wire/_text.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";

Deno.test("fixedC: ties go to the even digit on the exact binary value, like glibc's printf", () => {
  assert.equal(fixedC(0.125, 2), "0.12");
  assert.equal(fixedC(0.375, 2), "0.38");
  assert.equal(fixedC(1.125, 2), "1.12");
  assert.equal(fixedC(2.5, 0 + 1), "2.5");
  assert.equal(fixedC(0.0625, 3), "0.062");
  assert.equal(fixedC(-0.125, 2), "-0.12");
  assert.equal(fixedC(-0, 2), "-0.00");
  assert.equal(fixedC(0.1, 2), "0.10");
  assert.equal(fixedC(1e21, 2), "1000000000000000000000.00");
  assert.equal(fixedC(Infinity, 2), "inf");
  // Not a tie: 0.145 is stored a little below, so both agree.
  assert.equal(fixedC(0.145, 2), (0.145).toFixed(2));
  const r = new Rng(7);
  for (let k = 0; k < 2000; k++) {
    const x = r.int(1 << 20) / (1 << r.int(12));
    const places = 1 + r.int(4);
    const t = fixedC(x, places);
    // Away from ties the two agree; at a tie they differ by one unit in the last place at most.
    const diff = Math.abs(Number(t) - Number(x.toFixed(places))) * 10 ** places;
    assert(diff < 1.0001, `${x} ${places}: ${t} vs ${x.toFixed(places)}`);
  }
});

/** An 802.3 frame with an STP configuration BPDU whose four times are `t` (in 1/256 s). */
function stp(t: number): Uint8Array {
  const bpdu = [0, 0, 0, 0, 0, 0x80, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 4, 0x80, 0, 0, 1, 2, 3, 4, 5, 0x80, 1];
  bpdu.push(t >> 8, t & 255, 0x14, 0, t >> 8, t & 255, 0x0f, 0);
  const llc = [0x42, 0x42, 3, ...bpdu];
  return new Uint8Array([1, 0x80, 0xc2, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, llc.length, ...llc]);
}

/** An 802.3 frame with a CDP packet of one power TLV (`mw` milliwatts). */
function cdpPower(mw: number): Uint8Array {
  const cdp = [2, 180, 0, 0, 0, 0x10, 0, 6, (mw >> 8) & 255, mw & 255];
  const llc = [0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0, ...cdp];
  return new Uint8Array([1, 0, 0x0c, 0xcc, 0xcc, 0xcc, 0, 1, 2, 3, 4, 5, 0, llc.length, ...llc]);
}

testIf(
  "STP times and CDP power that are ties print as tcpdump rounds them",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = [];
    // x/256 ending in 5 at the third decimal: ties at two decimals.
    for (const t of [0x0020, 0x0060, 0x00a0, 0x00e0, 0x0120, 0x0220, 0x0200, 0x0133]) {
      frames.push({
        data: stp(t),
      });
    }
    for (const mw of [125, 375, 625, 875, 1125, 2625, 15400, 7]) frames.push({ data: cdpPower(mw) });
    assert.equal(await compareFramesWithTcpdump(frames, [["-v"]]), 16);
  },
);
