/**
 * What tcpdump prints where it has no dissector, and the link-layer corners around that, compared with
 * tcpdump 4.99 itself through the sniffer (text, `-e`, `-q`, `-v`, `-x`, `-X`): every EtherType from 0x0600
 * to 0xffff (names, the hex dump of an undissected payload, VLAN tag types), unknown protocols behind VLAN
 * tags, Linux cooked headers and BSD loopback, 802.2 LLC and SNAP frames whole and cut (where `-x` starts),
 * 802.3 behind a VLAN tag, ARP of every hardware type and operation with padding, and IPv4/IPv6 headers of
 * the wrong version, alone and tunnelled.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Frame, pcapBytes } from "../wire/_pcap.ts";
import { cat, hex } from "../_bytes.ts";
import { needCommands, run, testIf } from "../_helpers.ts";
import { sniffFile } from "./_sniff.ts";

const TCPDUMP = needCommands("tcpdump");
const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-x"], ["-X"]];

/** EtherTypes tcpdump dissects and netkit does not (GeoNet, PTP, IPX, OSI, ...). */
const NOT_DISSECTED_HERE = new Set([
  0x0707,
  0x1111,
  0x3c12,
  0x3c13,
  0x6003,
  0x809b,
  0x80f3,
  0x8137,
  0x8808,
  0x880b,
  0x886f,
  0x8870,
  0x8899,
  0x88a2,
  0x88ca,
  0x88e5,
  0x88f7,
  0x8902,
  0x8947,
  0x894f,
  0xabcd,
  0xd28b,
  0xfefe,
]);

const SRC = hex("00060708090a"), DST = hex("000102030405");
const eth = (type: number, ...rest: Uint8Array[]) =>
  cat(DST, SRC, new Uint8Array([type >> 8, type & 255]), ...rest);
const u16 = (n: number) => new Uint8Array([n >> 8, n & 255]);
const PAYLOAD = hex("41424344 0102030405060708090a0b0c0d0e0f101112");

/** Splits sniffer or tcpdump text into packets (a first line and its tab-indented continuation lines). */
function packets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("\t") || line.startsWith("    ")) out[out.length - 1] += "\n" + line;
    else out.push(line);
  }
  return out;
}

/** Writes the frames to a pcap, reads it with tcpdump and the sniffer per flag set, compares packet by packet. */
async function compare(linktype: number, frames: Frame[], skip: (i: number) => boolean = () => false) {
  const bytes = pcapBytes(linktype, frames);
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    Deno.writeFileSync(file, bytes);
    for (const flags of FLAGS) {
      const ref = await run("tcpdump", ["-n", ...flags, "-r", file], { timeoutMs: 120_000 });
      assert.equal(ref.code, 0, ref.stderr);
      const want = packets(ref.stdout), got = packets((await sniffFile(["-n", ...flags], bytes)).out);
      assert.equal(got.length, want.length, `packets with ${flags.join(" ")}`);
      let compared = 0;
      for (let i = 0; i < want.length; i++) {
        if (skip(i)) continue;
        assert.equal(got[i], want[i], `packet ${i + 1} with ${flags.join(" ") || "no flags"}`);
        compared++;
      }
      assert(compared > 0);
    }
  } finally {
    Deno.removeSync(file);
  }
}

testIf(
  "every EtherType from 0x0600 to 0xffff prints as tcpdump prints it (name, dump, VLAN tag types)",
  TCPDUMP,
  async () => {
    const frames: Frame[] = [];
    for (let t = 0x0600; t <= 0xffff; t++) frames.push({ data: eth(t, new Uint8Array(46)) });
    await compare(1, frames, (i) => NOT_DISSECTED_HERE.has(0x0600 + i));
  },
);

testIf(
  "an unknown protocol behind VLAN tags, cooked headers and BSD loopback is named and dumped",
  TCPDUMP,
  async () => {
    await compare(1, [
      { data: eth(0x88b5, PAYLOAD) },
      { data: eth(0x88b5) },
      { data: eth(0x8100, hex("0005 88b5"), PAYLOAD) },
      { data: eth(0x88a8, hex("0005 8100 0006 88b5"), PAYLOAD) },
      { data: eth(0x9100, hex("0005 0800 4500001c 00010000 40110000 0a000001 0a000002 00010002 00080000")) },
      { data: eth(0x9200, hex("0005 88b5"), PAYLOAD) },
    ]);
    await compare(113, [{ data: cat(hex("0000 0001 0006 000102030405 0000 88b5"), PAYLOAD) }]);
    await compare(276, [{ data: cat(hex("88b5 0000 00000001 0001 00 06 000102030405 0000"), PAYLOAD) }]);
    await compare(0, [{ data: cat(hex("63000000"), PAYLOAD) }]);
  },
);

/** 802.2 LLC headers, SNAP and what follows, as tcpdump treats them (IS-IS and IPX left out). */
const LLC = [
  "424203 00000000000000000000000000000000000000000000000000000000000000000000",
  "aaaa03 000000 0800 4500001c 00010000 40110000 0a000001 0a000002 00350035 00080000",
  "aaaa03 00000c 010b 0102030405060708",
  "aaaa03 123456 010b 0102030405060708",
  "aaaa03 000000 1234 01020304",
  "aaaa03 0000",
  "aaaa",
  "aa",
  "",
  "f0f003 010203040506",
  "f0f00001 010203040506",
  "060603 4500001c 00010000 40110000 0a000001 0a000002 00350035 00080000",
  "383032 010203040506",
  "383001 010203040506",
  "3831af 81 010203040506",
  "3831af 80 010203040506",
  "123403 010203040506",
  "424203 0000",
  "aaaa03 000000 0800",
  "aaaa03 000000 0806 0001",
  "aaaa03 0000f8 0800 4500001c 00010000 40110000 0a000001 0a000002 00350035 00080000",
  "aaaa03 000000 8100 0005 0800 4500001c 00010000 40110000 0a000001 0a000002 00350035 00080000",
  "aaaa03 000000 86dd 60000000",
  "3830",
  "383032",
  "3831af 8101",
  "3831af 81",
  "3831bf",
  "aaaa03 00000c 2000 02b4 0000 0001 0007 73773100 0300 0808 4769302f",
  "aaaa03 000000 888e 0100 0005 0101 0005 01",
  "aaaa03 000000 8809 0101 0114",
  "aaaa03 000000 8864 1100 0011 0022 0021",
];

testIf("802.2 LLC and SNAP frames, whole and cut: text, dumps, and where -x starts", TCPDUMP, async () => {
  const frames = LLC.map((h) => hex(h)).map((l) => ({ data: eth(l.length, l, new Uint8Array(6)) }));
  // The same behind a VLAN tag, where the length follows the tag.
  const tagged = LLC.map((h) => hex(h)).map((l) => ({
    data: eth(0x8100, hex("0007"), u16(l.length), l, hex("0000")),
  }));
  await compare(1, [...frames, ...tagged]);
});

testIf(
  "ARP of every hardware type and operation, padded and not, and RARP, as tcpdump's arp_print",
  TCPDUMP,
  async () => {
    const arp = (hrd: number, pro: number, hln: number, pln: number, op: number, pad = 0) => {
      const addrs = Uint8Array.from({ length: 2 * (hln + pln) }, (_, i) => i + 1);
      return cat(u16(hrd), u16(pro), new Uint8Array([hln, pln]), u16(op), addrs, new Uint8Array(pad));
    };
    const frames: Frame[] = [];
    // Left out: hardware types 15 (Frame Relay: tcpdump prints its addresses as DLCIs) and 19 (ATM: a layout
    // of its own that tcpdump reads with another printer).
    for (let hrd = 0; hrd <= 40; hrd++) {
      if (hrd !== 15 && hrd !== 19) {
        frames.push({ data: eth(0x0806, arp(hrd, 0x0800, 6, 4, 1)) });
      }
    }
    for (let op = 0; op <= 12; op++) frames.push({ data: eth(0x0806, arp(1, 0x0800, 6, 4, op, 18)) });
    for (const op of [1, 3, 4]) frames.push({ data: eth(0x8035, arp(1, 0x0800, 6, 4, op)) });
    frames.push(
      { data: eth(0x0806, arp(1, 0x86dd, 6, 16, 1)) },
      { data: eth(0x0806, arp(1, 0x0800, 0, 4, 1)) },
      { data: eth(0x0806, arp(1, 0x0800, 6, 6, 2)) },
      { data: eth(0x0806, arp(1, 0x1000, 6, 4, 1)) },
      { data: eth(0x0806, arp(0, 0, 0, 0, 0)) },
      { data: eth(0x0806, arp(32, 0x0800, 20, 4, 1)) },
      { data: eth(0x8100, hex("0005 0806"), arp(1, 0x0800, 6, 4, 1, 14)) },
      { data: eth(0x0806, arp(1, 0x0800, 6, 4, 1, 18)).subarray(0, 46), len: 60 },
      { data: eth(0x0806, hex("0001 0800 0604 0001 010203")) },
    );
    await compare(1, frames);
  },
);

testIf(
  "IPv4 and IPv6 headers of the wrong version or cut short, alone and inside IP tunnels",
  TCPDUMP,
  async () => {
    const ip4 = (proto: number, inner: Uint8Array, first = 0x45) =>
      cat(
        hex(`${first.toString(16)}00`),
        u16(20 + inner.length),
        hex("00010000 40"),
        new Uint8Array([proto]),
        hex("0000 0a000001 0a000002"),
        inner,
      );
    const frames: Frame[] = [];
    for (const v of [0, 4, 6, 7]) {
      // (A whole header of version 6 is a valid one, tested elsewhere.)
      for (const n of v === 6 ? [0, 1, 10, 39] : [0, 1, 10, 39, 40, 46]) {
        const b = new Uint8Array(n);
        if (n) b[0] = v << 4;
        frames.push({ data: eth(0x86dd, b) }, { data: eth(0x0800, ip4(41, b)) });
      }
      for (const n of [0, 1, 10, 19, 20, 28]) {
        const b = new Uint8Array(n);
        if (n) b[0] = (v << 4) | 5;
        frames.push({ data: eth(0x0800, b) }, { data: eth(0x0800, ip4(4, b)) });
      }
    }
    frames.push({ data: eth(0x0800, ip4(59, new Uint8Array(8))) });
    await compare(1, frames);
  },
);

testIf(
  "records with nothing captured or a wire length below the captured one: tcpdump's invalid-header lines",
  TCPDUMP,
  async () => {
    // Hand-made records: encodePcap refuses these.
    const head = new DataView(new ArrayBuffer(24));
    head.setUint32(0, 0xa1b2c3d4, true);
    head.setUint16(4, 2, true);
    head.setUint16(6, 4, true);
    head.setUint32(16, 65535, true);
    head.setUint32(20, 1, true);
    const rec = (ts: number, caplen: number, len: number) => {
      const h = new DataView(new ArrayBuffer(16 + caplen));
      h.setUint32(0, ts, true);
      h.setUint32(8, caplen, true);
      h.setUint32(12, len, true);
      return new Uint8Array(h.buffer);
    };
    const bytes = cat(
      new Uint8Array(head.buffer),
      rec(1, 0, 0),
      rec(2, 0, 60),
      rec(3, 20, 5),
      rec(4, 20, 0),
      rec(5, 20, 20),
    );
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      Deno.writeFileSync(file, bytes);
      for (const flags of [[], ["-x"]]) {
        const ref = await run("tcpdump", ["-n", ...flags, "-r", file]);
        assert.equal(ref.code, 0, ref.stderr);
        assert.match(ref.stdout, /^\[Invalid header: caplen==0, len==0\]\n/);
        assert.equal((await sniffFile(["-n", ...flags], bytes)).out, ref.stdout);
      }
    } finally {
      Deno.removeSync(file);
    }
  },
);
