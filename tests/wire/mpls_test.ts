/**
 * MPLS (RFC 3032, EtherTypes 0x8847/0x8848, and in GRE): the codec's standard set, the decoder's layers and
 * JSON against tshark's fields, and tcpdump 4.99's text over hand-built frames (every reserved label, stacks,
 * the IPv4/IPv6 guess, unknown payloads, cut stacks), whole and cut at every length, compared line by line.
 * Not compared: a payload starting 0x81-0x83, which tcpdump hands to its OSI printers (netkit has none).
 *
 * @module
 */
import assert from "node:assert/strict";
import { emitMpls, mplsPayloadGuess, readMplsEntry } from "../../lib/wire/mpls.ts";
import { WireError } from "../../lib/wire/errors.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, tsharkFields } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex } from "../_bytes.ts";

const A = { src: "1.1.1.1", dst: "2.2.2.2" };
const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const ip4 = emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: 1, dstPort: 2 }, hex("78"), A));
const ip6 = emitIpv6({ ...A6, proto: 58 }, emitIcmpv6({ type: 128, id: 1, seq: 1 }, new Uint8Array(0), A6));
const eth = (payload: Uint8Array, type = 0x8847) => emitEthernet({ ...MAC, ethertype: type }, payload);

const FRAMES: Uint8Array[] = [
  // Every reserved label and one beyond, each with its own TC, carrying IPv4.
  ...Array.from({ length: 17 }, (_, label) => eth(emitMpls([{ label, tc: label % 8, ttl: 64 }], ip4))),
  eth(emitMpls([{ label: 2 }], ip6)),
  eth(emitMpls([{ label: 100, ttl: 1 }], ip6)),
  eth(emitMpls([{ label: 100 }], ip4), 0x8848),
  eth(emitMpls([{ label: 100 }, { label: 200, ttl: 3 }, { label: 0xfffff, tc: 5, ttl: 255 }], ip4)),
  // A pseudowire's control word and Ethernet frame: nothing names it, so a dump.
  eth(emitMpls([{ label: 16 }], cat(hex("00000000"), emitEthernet({ ...MAC, ethertype: 0x0800 }, ip4)))),
  // Stacks with no bottom, cut, empty; a guessed IPv4 that is not one; label 3; IPv6 explicit NULL, cut.
  eth(emitMpls([{ label: 100 }])),
  eth(emitMpls([{ label: 100, bottom: false }])),
  eth(hex("0006")),
  eth(new Uint8Array(0)),
  eth(emitMpls([{ label: 100 }], ip4.subarray(0, 10))),
  eth(emitMpls([{ label: 0 }], hex("6000"))),
  eth(emitMpls([{ label: 3 }], hex("1234"))),
  eth(emitMpls([{ label: 2 }], ip6.subarray(0, 20))),
  // In GRE.
  eth(emitIpv4({ ...A, proto: 47 }, cat(hex("0000 8847"), emitMpls([{ label: 5 }], ip4))), 0x0800),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-v"], ["-x"]];

Deno.test("readMplsEntry/emitMpls: fields, round trip over random stacks, short input, bad values", () => {
  assert.deepEqual([...emitMpls([{ label: 0xabcde, tc: 5, ttl: 7 }])], [0xab, 0xcd, 0xeb, 0x07]);
  assert.deepEqual(readMplsEntry(hex("abcdeb07"), 0), { label: 0xabcde, tc: 5, bottom: true, ttl: 7 });
  const rng = new Rng(3032);
  for (let i = 0; i < 300; i++) {
    const stack = Array.from({ length: 1 + rng.int(4) }, () => ({
      label: rng.int(1 << 20),
      tc: rng.int(8),
      bottom: rng.int(2) === 1,
      ttl: rng.int(256),
    }));
    const b = emitMpls(stack);
    stack.forEach((e, k) => assert.deepEqual(readMplsEntry(b, 4 * k), e));
  }
  for (let n = 0; n < 4; n++) {
    const e = readMplsEntry(new Uint8Array(n), 0);
    assert(e instanceof WireError && e.layer === "mpls" && e.code === "WIRE_SHORT");
  }
  assert.throws(() => emitMpls([]), RangeError);
  assert.throws(() => emitMpls([{ label: 1 << 20 }]), RangeError);
  assert.throws(() => emitMpls([{ label: 1, tc: 8 }]), RangeError);
  assert.throws(() => emitMpls([{ label: 1, ttl: 256 }]), RangeError);
  assert.equal(mplsPayloadGuess(0, hex("60")), 4);
  assert.equal(mplsPayloadGuess(2, hex("45")), 6);
  assert.equal(mplsPayloadGuess(100, hex("45")), 4);
  assert.equal(mplsPayloadGuess(100, hex("6f")), 6);
  assert.equal(mplsPayloadGuess(100, hex("44")), 0);
  assert.equal(mplsPayloadGuess(100, new Uint8Array(0)), 0);
});

Deno.test("decoder: an mpls layer per entry, then the guessed IP packet; every cut is flagged, never thrown", () => {
  const d = new PacketDecoder();
  const r = d.decode(FRAMES[20], 1);
  assert.equal(r.layers.map((l) => l.layer).join(), "eth,mpls,mpls,mpls,ipv4,udp");
  assert(!r.truncated && !r.malformed);
  const j = jsonRecord(r, { n: 1, ts: 0, len: 0, caplen: 0 });
  assert.deepEqual(j.layers[3], { layer: "mpls", label: 0xfffff, tc: 5, bottom: true, ttl: 255 });
  assert.equal(d.decode(FRAMES[21], 1).layers.map((l) => l.layer).join(), "eth,mpls");
  const cut = d.decode(FRAMES[23], 1);
  assert.equal(cut.layers.map((l) => l.layer).join(), "eth,mpls");
  assert(cut.truncated);
  // Cut inside a label stack entry or inside the IP packet: flagged. (Cut right after the stack, nothing is
  // left to guess from and nothing claimed more: not flagged.) No cut throws.
  const whole = FRAMES[20]; // eth, 3 entries, IPv4
  for (let n = 0; n < whole.length; n++) {
    const c = d.decode(whole.subarray(0, n), 1);
    if (n !== 26) assert(c.truncated || c.malformed, `cut at ${n}`);
  }
  for (const f of FRAMES) {
    for (let n = 0; n <= f.length; n++) {
      summarize(d.decode(f.subarray(0, n), 1), {
        verbose: true,
        verbosity: 2,
        link: true,
        dumpUndecoded: true,
      });
    }
  }
});

Deno.test("golden: tcpdump's MPLS text", () => {
  const d = new PacketDecoder();
  assert.equal(
    summarize(d.decode(FRAMES[20], 1)),
    "MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, ttl 3) (label 1048575, tc 5, [S], ttl 255) " +
      "IP 1.1.1.1.1 > 2.2.2.2.2: UDP, length 1",
  );
  assert.equal(
    summarize(d.decode(FRAMES[0], 1), { verbose: true }).split("\n")[0],
    "MPLS (label 0 (IPv4 explicit NULL), tc 0, [S], ttl 64)",
  );
  assert.equal(summarize(d.decode(FRAMES[23], 1)), "MPLS (label 100, tc 0, ttl 64) (invalid)");
});

testIf(
  "MPLS frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const k of [0, 19, 20, 21, FRAMES.length - 1]) {
      const f = FRAMES[k];
      for (let n = 14; n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);

testIf(
  "mpls layers and the IP packet under them agree with tshark's fields",
  needCommands("tshark"),
  async () => {
    const fields = ["mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl", "ip.src", "ipv6.src"];
    const rows = await tsharkFields(FRAMES.map((data) => ({ data })), fields);
    const d = new PacketDecoder();
    let compared = 0;
    FRAMES.forEach((f, k) => {
      const r = d.decode(f, 1);
      if (r.truncated || r.malformed) return; // cut on purpose: tshark reads partial headers
      const ls = jsonRecord(r, { n: 1, ts: 0, len: 0, caplen: 0 }).layers;
      const of = (layer: string, field: string, fmt = (x: unknown) => String(x)) =>
        ls.filter((l) => l.layer === layer).map((l) => fmt(l[field]));
      const theirs = rows[k];
      const ours = [
        of("mpls", "label"),
        of("mpls", "tc"),
        of("mpls", "bottom", (x) => (x ? "1" : "0")),
        of("mpls", "ttl"),
      ];
      assert.deepEqual(ours, theirs.slice(0, 4), `frame ${k + 1}: the label stack`);
      // Where netkit found an IP packet under the stack, tshark found the same one (tshark also reads
      // pseudowires, which netkit leaves undecoded).
      const ip = of("ipv4", "src"), ip6 = of("ipv6", "src");
      // Labels 13 and 14 are the generic associated channel and OAM alert to tshark.
      const label = Number(ls[1].label);
      if (ip.length + ip6.length > 0 && label !== 13 && label !== 14) {
        assert.deepEqual([ip, ip6], theirs.slice(4), `frame ${k + 1}: the packet`);
      }
      compared++;
    });
    assert(compared >= 20, `${compared}`);
  },
);

/** MPLS in UDP (RFC 7510, port 6635) over IPv4, or over IPv6. */
const inUdp = (payload: Uint8Array, v6 = false, sp = 40000, dp = 6635) =>
  v6
    ? emitEthernet(
      { ...MAC, ethertype: 0x86dd },
      emitIpv6({ ...A6, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, payload, A6)),
    )
    : emitEthernet(
      { ...MAC, ethertype: 0x0800 },
      emitIpv4(
        { src: "10.0.0.1", dst: "10.0.0.2", proto: 17 },
        emitUdp({ srcPort: sp, dstPort: dp }, payload),
      ),
    );

const UDP_FRAMES = [
  inUdp(cat(hex("0001f140"), ip4)), // label 31, bottom, then IPv4
  inUdp(cat(hex("00064040 00002140"), ip6)), // two labels, then IPv6
  inUdp(cat(hex("00003140"), hex("99999999"))), // a payload that is neither
  inUdp(hex("0001")), // shorter than a label
  inUdp(cat(hex("0000 0140"), ip4), true, 6635, 6635), // explicit null over IPv6
];

Deno.test("decoder: MPLS in UDP gives mpls layers after udp, then what they carry", () => {
  const r = new PacketDecoder().decode(UDP_FRAMES[0], 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "ipv4", "udp", "mpls", "ipv4", "udp"]);
});

testIf(
  "MPLS in UDP prints as tcpdump prints it, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = UDP_FRAMES.map((data) => ({ data }));
    for (const f of UDP_FRAMES) {
      for (let n = 34; n < f.length; n++) frames.push({ data: f.subarray(0, n), len: f.length });
    }
    const flags = [[], ["-v"], ["-e"], ["-q"], ["-x"], ["-v", "-x"]];
    assert.equal(await compareFramesWithTcpdump(frames, flags), frames.length * flags.length);
  },
);
