/**
 * Ethernet frames tcpdump prints without an IP layer: the Configuration Testing Protocol (EtherType 0x9000,
 * `Loopback, skipCount ...`) in every mode, and the hex dump tcpdump adds after an IEEE 802.3 LLC frame it
 * cannot dissect (`dumpUndecoded`). Hand-built frames, whole and cut at every length, compared with tcpdump
 * line by line; golden lines checked without it; random frames never make the summarizer throw.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer, summarize, type SummaryOptions } from "../../lib/wire/summary.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex, text } from "../_bytes.ts";

const DST = "02000000000b", SRC = "02000000000a";
const le16 = (x: number) => new Uint8Array([x & 0xff, x >> 8]);
const pad = (f: Uint8Array) => f.length >= 60 ? f : cat(f, new Uint8Array(60 - f.length));
/** An Ethernet frame with EtherType (or 802.3 length) `type`. */
const eth = (type: number, body: Uint8Array) =>
  cat(hex(DST + SRC), new Uint8Array([type >> 8, type & 0xff]), body);
const ctp = (body: Uint8Array) => eth(0x9000, body);
/** An 802.3 frame whose length field is the body's length (unless given), padded to 60 bytes. */
const dot3 = (body: Uint8Array, len = body.length) => pad(eth(len, body));

const line = (frame: Uint8Array, o: SummaryOptions = {}) =>
  summarize(new PacketDecoder().decode(frame, 1), o);

/** Configuration Testing Protocol messages: good, bogus, invalid, unknown functions. */
const CTP_BODIES: Uint8Array[] = [
  new Uint8Array(0),
  hex("00"),
  le16(0),
  cat(le16(0), hex("01")),
  cat(le16(0), le16(1)),
  cat(le16(0), le16(1), hex("05")),
  cat(le16(0), le16(1), le16(7), text("abc")),
  cat(le16(0), le16(2), hex("020000000001"), text("xyz")),
  cat(le16(0), le16(2), hex("010203")),
  cat(le16(0), le16(3), text("hello")),
  cat(le16(8), new Uint8Array(8), le16(1), le16(9)),
  cat(le16(5), new Uint8Array(5), le16(2), new Uint8Array(6)),
  le16(72),
  le16(0xffff),
  cat(le16(3), text("ab")),
  cat(le16(8), new Uint8Array(8)),
  cat(le16(8), new Uint8Array(7)),
  cat(le16(16), new Uint8Array(16), le16(2), hex("ffffffffffff")),
];

/** LLC frames: unknown SAPs (U, I, S formats), XID forms, SNAP with unknown OUI/PID, cut headers. */
const LLC_FRAMES: Uint8Array[] = [
  dot3(cat(hex("383003"), text("802.3 length field"))),
  dot3(cat(hex("3838f3"), text("x"))),
  dot3(cat(hex("38380010"), text("abc"))),
  dot3(hex("38380100")),
  dot3(hex("3838af810102")),
  dot3(hex("3838af")),
  dot3(hex("3838af05")),
  dot3(cat(hex("aaaa03 123456 9999"), text("data"))),
  dot3(cat(hex("aaaa03 000000 9999"), text("data"))),
  dot3(cat(hex("aaaa13"), text("x"))),
  dot3(cat(hex("f0f003"), text("nb"))),
  dot3(hex("3830")),
  dot3(hex("38")),
  eth(100, cat(hex("383003"), text("hello world 12345"))),
  eth(8, cat(hex("383003"), text("hello"))),
  dot3(cat(hex("424203"), hex("000000"))),
];

/** Each frame whole and cut at every length from 12 bytes on (tcpdump's `-s N`). */
function withCuts(frames: Uint8Array[], cutsOf: number[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const k of cutsOf) {
    const f = frames[k];
    for (let n = 12; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-q"], ["-e", "-v"]];

/** tcpdump's text against netkit's (with the undecoded-frame dump on, as tcpdump prints without -x). */
async function compare(frames: Frame[], dumpUndecoded: boolean): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-link-verbose-" });
  let n = 0;
  try {
    const file = `${dir}/f.pcap`;
    Deno.writeFileSync(file, pcapBytes(1, frames));
    const recs = [...readPacketsSync(Deno.readFileSync(file))];
    for (const flags of FLAGS) {
      const want = await tcpdumpRead(file, flags);
      const verbosity = flags.includes("-vv") ? 2 : flags.includes("-v") ? 1 : 0;
      const s = new PacketSummarizer({
        link: flags.includes("-e"),
        quiet: flags.includes("-q"),
        verbose: verbosity > 0,
        verbosity,
        dumpUndecoded,
      });
      const d = new PacketDecoder();
      assert.equal(recs.length, want.length);
      recs.forEach((r, i) => {
        assert.equal(
          s.summarize(d.decode(r.data, r.linktype), r.len),
          want[i],
          `${flags.join(" ")} #${i + 1}`,
        );
        n++;
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return n;
}

Deno.test("golden: Configuration Testing Protocol (0x9000) lines, every mode alike", () => {
  const cases: [Uint8Array, string][] = [
    [pad(ctp(le16(0))), "Loopback, skipCount 0,  invalid (0)"],
    [ctp(new Uint8Array(0)), "Loopback (invalid)"],
    [ctp(le16(0)), "Loopback, skipCount 0 (invalid)"],
    [
      ctp(cat(le16(0), le16(1), le16(7), text("abc"))),
      "Loopback, skipCount 0, Reply, receipt number 7, data (3 octets)",
    ],
    [
      pad(ctp(cat(le16(0), le16(2), hex("020000000001")))),
      "Loopback, skipCount 0, Forward Data, forwarding address 02:00:00:00:00:01, data (36 octets)",
    ],
    [ctp(cat(le16(0), le16(2), hex("010203"))), "Loopback, skipCount 0, Forward Data (invalid)"],
    [pad(ctp(le16(72))), "Loopback, skipCount 72 (invalid)"],
    [ctp(le16(0xffff)), "Loopback, skipCount 65535 (bogus) (invalid)"],
    [
      ctp(cat(le16(5), new Uint8Array(5), le16(2), new Uint8Array(6))),
      "Loopback, skipCount 5 (bogus), Forward Data, forwarding address 00:00:00:00:00:00, data (0 octets)",
    ],
  ];
  for (const [f, want] of cases) {
    for (const o of [{}, { quiet: true }, { verbose: true, verbosity: 2 }]) assert.equal(line(f, o), want);
  }
  const f = pad(ctp(le16(0)));
  assert.equal(
    line(f, { link: true }),
    "02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype Loopback (0x9000), length 60: Loopback, skipCount 0,  invalid (0)",
  );
  assert.equal(
    line(f, { link: true, quiet: true }),
    "02:00:00:00:00:0a > 02:00:00:00:00:0b, Loopback, length 60: Loopback, skipCount 0,  invalid (0)",
  );
  // Cut by the snap length: the on-wire lengths decide validity, the captured bytes the truncation mark.
  const whole = ctp(cat(le16(0), le16(1), le16(7), text("abcdef")));
  const cut = (n: number) =>
    summarize(new PacketDecoder().decode(whole.slice(0, n), 1), { wireLen: whole.length });
  assert.equal(cut(15), "Loopback [|loopback]");
  assert.equal(cut(17), "Loopback, skipCount 0 [|loopback]");
  assert.equal(cut(18), "Loopback, skipCount 0, Reply [|loopback]");
  assert.equal(cut(21), "Loopback, skipCount 0, Reply, receipt number 7, data (6 octets) [|loopback]");
});

Deno.test("golden: 802.3 LLC frames tcpdump cannot dissect are followed by its hex dump", () => {
  const o = { dumpUndecoded: true };
  assert.equal(
    line(LLC_FRAMES[0], o),
    "02:00:00:00:00:0a Unknown SSAP 0x30 > 02:00:00:00:00:0b Unknown DSAP 0x38 Unnumbered, ui, Flags [Command], " +
      "length 21\n" +
      "\t0x0000:  3830 0338 3032 2e33 206c 656e 6774 6820  80.802.3.length.\n" +
      "\t0x0010:  6669 656c 64                             field",
  );
  // Off by default, and left out with -q.
  assert.doesNotMatch(line(LLC_FRAMES[0]), /\n/);
  assert.doesNotMatch(line(LLC_FRAMES[0], { ...o, quiet: true }), /\n/);
  // Supervisory frames and XID frames tcpdump reads are not dumped.
  assert.doesNotMatch(line(LLC_FRAMES[3], o), /\n/);
  assert.equal(
    line(LLC_FRAMES[4], o),
    "02:00:00:00:00:0a > 02:00:00:00:00:0b Unknown DSAP 0x38 Unnumbered, xid, Flags [Command], length 6: 01 02",
  );
  assert.match(
    line(LLC_FRAMES[7], { ...o, link: true }),
    /length 4: \n\t0x0000: {2}aaaa 0312 3456 9999 6461 7461 {12}/,
  );
  // A cut LLC header is dumped even with -q.
  assert.equal(
    line(LLC_FRAMES[11], { ...o, quiet: true }),
    " [|llc]\n\t0x0000:  3830" + " ".repeat(35) + "  80",
  );
  // Spanning tree is dissected: no dump.
  assert.doesNotMatch(line(LLC_FRAMES[15], o), /\n/);
});

testIf(
  "Configuration Testing Protocol frames, whole and cut, match tcpdump in every mode",
  needCommands("tcpdump"),
  async () => {
    const frames = [...CTP_BODIES.map(ctp), ...CTP_BODIES.map((b) => pad(ctp(b)))];
    const n = await compare(withCuts(frames, [6, 7, 10, 11, 17]), false);
    assert.ok(n > 500, `${n}`);
  },
);

testIf(
  "802.3 LLC frames and their hex dumps match tcpdump, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const n = await compare(withCuts(LLC_FRAMES, [0, 2, 4, 6, 7]), true);
    assert.ok(n > 300, `${n}`);
  },
);

Deno.test("random and mutated 0x9000 and 802.3 frames never make the summarizer throw", () => {
  const rng = new Rng(0x9000);
  const d = new PacketDecoder();
  const seeds = [...CTP_BODIES.map(ctp), ...LLC_FRAMES];
  for (let k = 0; k < 20000; k++) {
    let f: Uint8Array;
    if (k % 2) {
      f = seeds[rng.int(seeds.length)].slice();
      for (let m = rng.int(4); m >= 0; m--) if (f.length) f[rng.int(f.length)] = rng.int(256);
      f = f.slice(0, rng.int(f.length + 1));
    } else {
      f = cat(hex(DST + SRC), rng.bool() ? hex("9000") : le16(rng.int(0x600)), rng.bytes(rng.int(64)));
    }
    const o: SummaryOptions = {
      link: rng.bool(),
      quiet: rng.bool(),
      verbose: rng.bool(),
      dumpUndecoded: rng.bool(),
      wireLen: f.length + rng.int(40),
    };
    assert.equal(typeof summarize(d.decode(f, 1), o), "string");
  }
});
