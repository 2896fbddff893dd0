/**
 * DCCP (IP protocol 33) as tcpdump 4.99 prints it, over hand-built IPv4 and IPv6 frames: every packet type
 * (Request with its service code, Response, Data, Ack, DataAck, CloseReq, Close, Reset with every code and
 * invalid ones, Sync, SyncAck, the unknown types 10-15), short (24-bit) and extended (48-bit) sequence
 * numbers, the acknowledgement subheader, CCVal and CsCov, right and wrong checksums with full and partial
 * coverage, every option tcpdump names with good and bad lengths, CCID-specific options, data offsets too
 * small and too large, packets shorter than their header or their type's fixed part, IPv6 extension headers
 * (the routing header's final destination in the checksum); whole and cut at every length, compared packet
 * by packet. With `-x`, whether the dump starts at the frame or at the IP header tells tcpdump's long jumps
 * from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6, type Ipv6ExtInit } from "../../lib/wire/ipv6.ts";
import { toAddressBytes } from "../../lib/wire/address.ts";
import { internetChecksum, pseudoHeaderV4, pseudoHeaderV6 } from "../../lib/wire/checksum.ts";
import { type DccpContext, dccpText } from "../../lib/wire/_dccp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, pcapBytes, tcpdumpRead } from "./_pcap.ts";
import { cat } from "../_bytes.ts";
import { Rng } from "./_rand.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const A4 = ["10.0.0.1", "10.0.0.2"], A6 = ["2001:db8::1", "2001:db8::2"];
const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes((n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const u48 = (n: number) => cat(u16(Math.floor(n / 2 ** 32)), u32(n >>> 0));
const zeros = (n: number) => new Uint8Array(n);
const pad4 = (b: Uint8Array) => cat(b, zeros((4 - b.length % 4) % 4));

/** The generic header's fields: type, X (default 1: 48-bit numbers), data offset (default: all but data). */
interface Head {
  type: number;
  x?: boolean;
  seq?: number;
  ccval?: number;
  cscov?: number;
  doff?: number;
  sport?: number;
  dport?: number;
}
/** The generic header, then the rest (the data offset covers all of it unless given). */
const dccp = (h: Head, ...rest: Uint8Array[]) => {
  const x = h.x ?? true, body = cat(...rest);
  return cat(
    u16(h.sport ?? 5001),
    u16(h.dport ?? 5002),
    bytes(h.doff ?? ((x ? 16 : 12) + body.length) >> 2, ((h.ccval ?? 0) << 4) | (h.cscov ?? 0), 0, 0),
    x
      ? cat(bytes((h.type << 1) | 1, 0), u48(h.seq ?? 0x123456789a))
      : cat(bytes(h.type << 1), u48(h.seq ?? 0xabcdef).subarray(3)),
    body,
  );
};
/** The acknowledgement subheader: X=1 reserved (2) ack (6); X=0 reserved (1) ack (3) and 4 more bytes. */
const ack = (x = true) =>
  x ? cat(zeros(2), u48(0x1122334455)) : cat(zeros(1), u48(0x778899).subarray(3), zeros(4));
/** The part a type adds after the basic header. */
const part = (type: number, x: boolean, code = 5) =>
  type === 0
    ? u32(42)
    : type === 1
    ? cat(ack(x), u32(43))
    : type === 7
    ? cat(ack(x), bytes(code, 1, 2, 3))
    : type === 2
    ? zeros(0)
    : ack(x);
/** A packet of this type with these options (padded) and data. */
const packet = (type: number, x: boolean, opts: Uint8Array = zeros(0), data: Uint8Array = zeros(0), h = {}) =>
  dccp({ type, x, ...h }, part(type, x), pad4(opts), data);

/**
 * The packet with its checksum set right for these addresses (over the bytes CsCov covers), or off by `bad`.
 */
const summed = (p: Uint8Array, [src, dst]: string[], bad = 0) => {
  const q = p.slice(), n = src.includes(":") ? 16 : 4;
  const ph = (n === 16 ? pseudoHeaderV6 : pseudoHeaderV4)(
    toAddressBytes(src, n),
    toAddressBytes(dst, n),
    33,
    q.length,
  );
  const cov = (q[5] & 15) === 0 ? q.length : Math.min(q.length, (q[4] + (q[5] & 15) - 1) * 4);
  const s = internetChecksum(q.subarray(0, cov), ph) ^ bad;
  q.set(u16(s), 6);
  return q;
};
const v4 = (p: Uint8Array, o = {}) =>
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ src: A4[0], dst: A4[1], proto: 33, id: 1, ...o }, p),
  );
const v6 = (p: Uint8Array, o = {}, extHeaders: Ipv6ExtInit[] = []) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ src: A6[0], dst: A6[1], proto: 33, extHeaders, ...o }, p),
  );
/** IPv4 and IPv6 frames with right checksums. */
const ok4 = (p: Uint8Array, o = {}) => v4(summed(p, A4), o);
const ok6 = (p: Uint8Array, o = {}) => v6(summed(p, A6), o);

/** Option lists: every named option, good and bad lengths, unknown and CCID-specific ones. */
const OPTIONS = [
  bytes(0, 1, 2, 3, 31),
  cat(bytes(32, 4, 1, 2), bytes(33, 3, 2), bytes(34, 6, 3, 0, 0, 100), bytes(35, 3, 9)),
  cat(bytes(32, 3, 4), bytes(33, 3, 5), bytes(34, 4, 6, 1), bytes(35, 3, 7), bytes(32, 3, 8)),
  cat(bytes(32, 4, 10, 7), bytes(33, 2), bytes(34, 3, 0), bytes(35, 5, 255, 1, 2)),
  cat(bytes(36, 6, 1, 2, 3, 4), bytes(36, 2), bytes(37, 5, 1, 2, 3), bytes(37, 2)),
  cat(
    bytes(38, 4, 0xaa, 0xbb),
    bytes(39, 3, 0xcc),
    bytes(38, 2),
    bytes(39, 2),
    bytes(40, 5, 1, 2, 3),
    bytes(40, 2),
  ),
  cat(bytes(41, 6), u32(123456), bytes(41, 4, 0, 0), bytes(42, 6), u32(99)),
  cat(bytes(42, 8), u32(1), u16(2), bytes(42, 10), u32(3), u32(0xffffffff), bytes(42, 7, 1, 2, 3, 4, 5)),
  cat(
    bytes(43, 4),
    u16(500),
    bytes(43, 6),
    u32(70000),
    bytes(43, 5, 1, 2, 3),
    bytes(44, 6),
    u32(0xdeadbeef),
    bytes(44, 2),
  ),
  cat(bytes(128, 4), u16(7), bytes(129, 6), u32(8), bytes(200, 3, 1), bytes(255, 2), bytes(130, 5, 1, 2, 3)),
  bytes(3, 4, 5, 6, 45, 3, 1, 100, 2),
  // A length below 2 ends the list, named, unknown or CCID-specific; so does one past the data offset.
  bytes(0, 32, 1),
  bytes(0, 128, 0),
  bytes(0, 50, 1),
  bytes(0, 130, 40),
  bytes(0, 41, 40),
  bytes(1, 129, 9),
  bytes(2, 44, 3),
];

const WHOLE: Uint8Array[] = [
  // Every type, both sequence number lengths, over IPv4 and IPv6, with options and data.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15].flatMap((t) => [
    ok4(packet(t, true, OPTIONS[6], bytes(1, 2, 3, 4, 5))),
    ok4(packet(t, false, OPTIONS[9])),
    ok6(packet(t, false, OPTIONS[1], bytes(9, 9))),
    ok6(packet(t, true)),
  ]),
  // Every option list, short and extended numbers.
  ...OPTIONS.flatMap((o) => [ok4(packet(3, true, o)), ok4(packet(8, false, o))]),
  // Every reset code, and invalid ones.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 255].map((code) =>
    ok4(dccp({ type: 7 }, part(7, true, code)))
  ),
  // CCVal, CsCov (partial coverage), right and wrong checksums.
  ...[1, 2, 3, 15].flatMap((cs) => [
    ok4(packet(4, true, OPTIONS[0], zeros(40), { cscov: cs, ccval: cs })),
    v4(summed(packet(4, true, OPTIONS[0], zeros(40), { cscov: cs, ccval: 15 }), A4, 0x10)),
    ok6(packet(4, false, OPTIONS[0], zeros(41), { cscov: cs, ccval: 15 })),
    v6(summed(packet(2, false, zeros(0), zeros(7), { cscov: cs }), A6, 0x8000)),
  ]),
  v4(summed(packet(0, true), A4, 1)),
  v6(summed(packet(0, true), A6, 0xffff)),
  v4(packet(2, true, zeros(0), bytes(0xff, 0xff))),
  // Data offsets: 0 (no options; the coverage with CsCov 1 is nothing), inside the header, past the packet.
  ...[
    { doff: 0 },
    { doff: 0, cscov: 1 },
    { doff: 3 },
    { doff: 9 },
    { doff: 255 },
    { doff: 255, cscov: 15 },
  ].flatMap((
    h,
  ) => [ok4(packet(3, true, OPTIONS[0], bytes(1, 2), h)), ok4(packet(0, false, zeros(0), bytes(1), h))]),
  // Data read as options when the offset is past the header; an unknown type's options start after the basic
  // header.
  ok4(dccp({ type: 2, doff: 5 }, bytes(1, 2, 3))),
  ok4(dccp({ type: 2, seq: 0, sport: 0, dport: 65535 })),
  ok4(dccp({ type: 12, x: false, doff: 6 }, bytes(0, 0, 0, 0, 41, 6, 0, 0, 0, 1))),
  // Shorter than the header (from the IP length) and shorter than the type's fixed part.
  v4(packet(0, true), { totalLen: 20 + 13 }),
  v4(packet(0, false), { totalLen: 20 + 12 }),
  v6(packet(0, true), { payloadLen: 15 }),
  v6(packet(3, false), { payloadLen: 12 }),
  ...[0, 1, 3, 4, 5, 6, 7, 8, 9].flatMap((t) => [
    v4(packet(t, true), { totalLen: 20 + 19 }),
    v4(packet(t, false), { totalLen: 20 + 14 }),
  ]),
  // An unknown type's ack number past the IP length: read without a check.
  v4(packet(10, true), { totalLen: 20 + 18 }),
  v4(packet(13, false), { totalLen: 20 + 13 }),
  // The IP length past the frame.
  v4(ok4(packet(3, true)).subarray(34), { totalLen: 20 + 40 }),
];

/** Options over 48-bit numbers, on IPv6 with a routing header: the checksum uses the final destination. */
const ROUTE = cat(bytes(0, 1), zeros(4), toAddressBytes("2001:db8::99", 16));
const EXT: Uint8Array[] = [
  v6(summed(packet(3, true, OPTIONS[6]), A6), {}, [{ type: 0 }]),
  v6(summed(packet(1, false, OPTIONS[4]), A6), {}, [{ type: 0 }, { type: 60 }]),
  v6(summed(packet(3, true), [A6[0], "2001:db8::99"]), {}, [{ type: 43, data: ROUTE }]),
  v6(summed(packet(3, true), A6), {}, [{ type: 43, data: ROUTE }]),
  v6(summed(packet(0, true), A6), {}, [{ type: 44, mf: true, id: 7 }]),
  v6(summed(dccp({ type: 0, doff: 8 }, u32(1)), A6), {}, [{ type: 0 }]),
  v6(packet(0, true), { payloadLen: 8 + 14 }, [{ type: 0 }]),
];

/** Frames cut at every length (from the IP header on; the first also inside the link header). */
const CUT: Uint8Array[] = [
  ok4(packet(0, true, OPTIONS[1])),
  ok4(packet(1, false, OPTIONS[6])),
  ok4(packet(2, true, OPTIONS[0], bytes(1, 2))),
  ok4(packet(3, true, cat(OPTIONS[1], OPTIONS[4], OPTIONS[7]))),
  ok4(packet(4, false, cat(OPTIONS[8], OPTIONS[9]))),
  ok6(packet(5, true, OPTIONS[5])),
  ok6(packet(7, false, OPTIONS[2])),
  ok6(packet(7, true)),
  ok4(packet(9, false)),
  ok4(packet(11, true, OPTIONS[0])),
  ok4(packet(12, false)),
  ok4(dccp({ type: 2, doff: 9 }, bytes(32, 9, 1, 2, 3, 4, 5, 6, 7), bytes(128, 6, 1, 2, 3, 4))),
  ok4(packet(3, true, OPTIONS[0], zeros(0), { doff: 255 })),
  EXT[0],
  EXT[1],
];

/** Every whole frame, then the frames of {@link CUT} cut at every length. */
function frames(): Frame[] {
  const out: Frame[] = [...WHOLE, ...EXT].map((data) => ({ data }));
  CUT.forEach((f, k) => {
    for (let n = k === 0 ? 1 : 14; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  });
  return out;
}

const CTX: DccpContext = {
  verbosity: 0,
  addrs: "a > b: ",
  ports: (s, d) => `a.${s} > b.${d}: `,
  ip: { src: A4[0], dst: A4[1] },
};
/** The text of an IPv4 frame's DCCP packet (no IP options), its length from the IP header. */
const at = (f: Uint8Array, verbosity = 0, o: Partial<DccpContext> = {}) => {
  const length = ((f[16] << 8) | f[17]) - 20;
  return dccpText(f.subarray(34, 34 + length), length, { ...CTX, verbosity, ...o });
};

Deno.test("golden: tcpdump's DCCP text", () => {
  assert.equal(at(ok4(packet(0, true))).text, "a.5001 > b.5002: DCCP DCCP-Request (service=42) ");
  assert.equal(
    at(ok4(packet(1, false)), 2).text,
    "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0, cksum 0x64da (correct)) DCCP-Response (service=43) (ack=7833753) " +
      "seq 11259375",
  );
  assert.equal(
    at(ok4(dccp({ type: 7 }, part(7, true, 11))), 1).text,
    "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0, cksum 0x8e0c (correct)) DCCP-Reset (code=aggression_penalty) " +
      "(ack=73588229205) ",
  );
  assert.equal(at(ok4(dccp({ type: 7 }, part(7, true, 12))), 0).text.includes("(code=invalid)"), true);
  assert.equal(
    at(v4(summed(packet(4, true, OPTIONS[0], zeros(40), { cscov: 2, ccval: 15 }), A4, 0x10)), 1).text,
    "a.5001 > b.5002: DCCP (CCVal 15, CsCov 2, cksum 0x73fe (incorrect -> 0x73ee)) DCCP-DataAck " +
      "(ack=73588229205) ",
  );
  const opts = (o: Uint8Array) => at(ok4(packet(3, true, o)), 2).text.replace(/.*seq 78187493530 /, "");
  assert.equal(opts(OPTIONS[0]), "<nop, mandatory, slowreceiver, Option 3, Option 31, nop, nop, nop>");
  assert.equal(
    opts(OPTIONS[1]),
    "<change_l ccid 2, confirm_l allow_short_seqno, change_r sequence_window 0 0 100, confirm_r check data checksum>",
  );
  assert.equal(
    opts(OPTIONS[3]),
    "<change_l, confirm_l optlen too short, change_r reserved, confirm_r, nop, nop>",
  );
  assert.equal(
    opts(OPTIONS[4]),
    "<initcookie 0x01020304, initcookie, ndp_count 1 2 3, ndp_count, nop>",
  );
  assert.equal(
    opts(OPTIONS[5]),
    "<ack_vector0 0xaabb, ack_vector1 0xcc, ack_vector0, ack_vector1, data_dropped 0x010203, data_dropped, nop, nop>",
  );
  assert.equal(opts(OPTIONS[6]), "<timestamp 123456, timestamp [optlen != 6], timestamp_echo 99>");
  assert.equal(
    opts(OPTIONS[7]),
    "<timestamp_echo 1 (elapsed time 2), timestamp_echo 3 (elapsed time 4294967295), " +
      "timestamp_echo [optlen != 6 or 8 or 10], nop, nop, nop>",
  );
  assert.equal(
    opts(OPTIONS[8]),
    "<elapsed_time 500, elapsed_time 70000, elapsed_time [optlen != 4 or 6], data_checksum deadbeef, " +
      "data_checksum, nop>",
  );
  assert.equal(
    opts(OPTIONS[9]),
    "<CCID option 128 7, CCID option 129 8, CCID option 200, CCID option 255, CCID option 130>",
  );
  assert.equal(opts(OPTIONS[12]), "<nop, CCID option 128 optlen too short>");
  assert.equal(opts(OPTIONS[13]), "<nop, Option 50 optlen too short>");
  assert.equal(opts(OPTIONS[15]), "<nop, timestamp optlen goes past header length>");
  // -q: the length after the data offset, as an unsigned number.
  assert.equal(
    at(ok4(packet(2, true, zeros(0), bytes(1, 2, 3))), 0, { quiet: true }).text,
    "a.5001 > b.5002: DCCP 3",
  );
  assert.equal(
    at(ok4(packet(3, true, zeros(0), zeros(0), { doff: 9 })), 2, { quiet: true }).text,
    "a.5001 > b.5002: DCCP 4294967284 [bad hdr length 36 - too long, > 24]",
  );
  // Too short: for the header (no addresses), for the type.
  assert.equal(at(v4(packet(0, true), { totalLen: 20 + 13 })).text, "truncated-dccp - 3 bytes missing!");
  assert.equal(
    at(v4(packet(5, false), { totalLen: 20 + 14 }), 1).text,
    "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0, cksum 0x0000 (incorrect -> 0xe6a8)) " +
      "truncated-DCCP-CloseReq - 6 bytes missing!",
  );
  // Through the summarizer: the IP part, then the text.
  const d = new PacketDecoder();
  assert.equal(
    summarize(d.decode(ok6(packet(8, true)), 1), {}),
    "IP6 2001:db8::1.5001 > 2001:db8::2.5002: DCCP DCCP-Sync (ack=73588229205) ",
  );
  assert.equal(
    summarize(d.decode(EXT[2], 1), { verbose: true, verbosity: 1 }),
    "IP6 (hlim 64, next-header Routing (43) payload length: 48) 2001:db8::1 > 2001:db8::2: RT6 (len=2, " +
      "type=0 [Deprecated], segleft=1, rsv=0x0, [0]2001:db8::99) 2001:db8::1.5001 > 2001:db8::2.5002: DCCP " +
      "(CCVal 0, CsCov 0, cksum 0x5c0b (correct)) DCCP-Ack (ack=73588229205) ",
  );
});

Deno.test("dccpText: tcpdump's checks are not long jumps; the ack number and an option's length are", () => {
  const p = ok4(packet(3, true, OPTIONS[6])).subarray(34);
  const ctx = { ...CTX, verbosity: 2 };
  // The basic header not captured: the mark alone, a check.
  assert.deepEqual(dccpText(p.subarray(0, 11), p.length, ctx), { text: " [|dccp]", jump: false });
  assert.deepEqual(dccpText(p.subarray(0, 15), p.length, ctx), { text: " [|dccp]", jump: false });
  // The ack number: a long jump.
  assert.deepEqual(dccpText(p.subarray(0, 23), p.length, ctx), {
    text: "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0) DCCP-Ack  [|dccp]",
    jump: true,
  });
  // An option's bytes: a check, and the list still closes.
  assert.deepEqual(dccpText(p.subarray(0, 29), p.length, ctx), {
    text: "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0) DCCP-Ack (ack=73588229205) seq 78187493530 < [|dccp]>",
    jump: false,
  });
  // The next option's type byte, then its length byte: long jumps.
  for (const n of [30, 31]) {
    assert.deepEqual(dccpText(p.subarray(0, n), p.length, ctx), {
      text: "a.5001 > b.5002: DCCP (CCVal 0, CsCov 0) DCCP-Ack (ack=73588229205) seq 78187493530 " +
        "<timestamp 123456,  [|dccp]",
      jump: true,
    });
  }
  // Request, Response and Reset check their part.
  const r = ok4(packet(7, true)).subarray(34);
  assert.deepEqual(dccpText(r.subarray(0, 27), r.length, CTX), {
    text: "a.5001 > b.5002: DCCP  [|dccp]",
    jump: false,
  });
});

Deno.test("dccpText: never throws, whatever the bytes, the cut, the length or the verbosity", () => {
  const rng = new Rng(33);
  const all = [...WHOLE, ...CUT].map((f) => f.subarray(34));
  for (let i = 0; i < 3000; i++) {
    const base = all[rng.int(all.length)].slice();
    for (let k = rng.int(6); k > 0; k--) base[rng.int(base.length)] = rng.int(256);
    const cut = base.subarray(0, rng.int(base.length + 1));
    const length = rng.bool() ? base.length : rng.int(300);
    for (const v of [0, 1, 2]) {
      const r = dccpText(cut.subarray(0, length), length, { ...CTX, verbosity: v, quiet: rng.int(4) === 0 });
      assert.equal(typeof r.text, "string");
    }
  }
});

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"], ["-vv", "-x"]];

testIf(
  "DCCP packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = frames();
    const flags = [...FLAGS, ["-q"], ["-q", "-vv"]];
    assert.equal(await compareFramesWithTcpdump(f, flags), f.length * flags.length);
  },
);

testIf(
  "dccpText with quiet prints what tcpdump -q prints, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    // IPv4 and IPv6 frames without options or extension headers whose IP length fits the frame.
    const f = frames().filter(({ data: d, len }) =>
      (len ?? d.length) >= 14 + (d[14] === 0x45 ? (d[16] << 8 | d[17]) : 40 + (d[18] << 8 | d[19])) &&
      (d[14] === 0x45 || (d[14] === 0x60 && d[20] === 33))
    );
    const dir = await Deno.makeTempDir({ prefix: "netkit-dccp-" });
    try {
      Deno.writeFileSync(`${dir}/q.pcap`, pcapBytes(1, f));
      const want = await tcpdumpRead(`${dir}/q.pcap`, ["-q"]);
      let n = 0;
      f.forEach(({ data: d }, i) => {
        const six = d[14] === 0x60, at = six ? 54 : 34;
        if (d.length < at) return;
        const len = six ? (d[18] << 8 | d[19]) : (d[16] << 8 | d[17]) - 20;
        const [src, dst] = six ? A6 : A4;
        const got = (six ? "IP6 " : "IP ") + dccpText(d.subarray(at, at + len), len, {
          ...CTX,
          quiet: true,
          ports: (s, t) => `${src}.${s} > ${dst}.${t}: `,
          ip: { src, dst },
        }).text;
        assert.equal(got, want[i], `#${i + 1}`);
        n++;
      });
      assert.ok(n > 500, `${n}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
