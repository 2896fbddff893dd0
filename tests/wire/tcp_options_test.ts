/**
 * TCP options as tcpdump prints them: every kind tcpdump names (MD5, Fast Open, MPTCP's subtypes, UTO,
 * TCP-AO, ...), wrong lengths, bad options, options the capture cuts, and `-M` signature checks, compared
 * with tcpdump 4.99 reading the same file.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cat, hex } from "../_bytes.ts";
import { internetChecksum } from "../../lib/wire/checksum.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";

const SYN = 0x02, ACK = 0x10, PSH = 0x08;

interface Seg {
  /** option bytes, padded with zeros to `hdrLen - 20` */
  opts: Uint8Array;
  flags?: number;
  payload?: Uint8Array;
  v6?: boolean;
  /** a header length other than the options' (rounded up to 4) */
  hdrLen?: number;
  /** the MD5 secret to sign with (the signature goes where `sigAt` says in the options) */
  sign?: { secret: string; at: number };
}

const SRC4 = hex("0a000001"), DST4 = hex("0a000002");
const SRC6 = hex("20010db8000000000000000000000001"), DST6 = hex("20010db8000000000000000000000002");

/** An Ethernet frame carrying the segment over IPv4 or IPv6, checksums right. */
function frame(s: Seg): Uint8Array {
  const optLen = Math.ceil(s.opts.length / 4) * 4;
  const hdrLen = s.hdrLen ?? 20 + optLen;
  const payload = s.payload ?? new Uint8Array(0);
  const tcp = new Uint8Array(Math.max(hdrLen, 20 + optLen) + payload.length);
  const v = new DataView(tcp.buffer);
  v.setUint16(0, 40000), v.setUint16(2, 80), v.setUint32(4, 1000), v.setUint32(8, 2000);
  tcp[12] = (hdrLen / 4) << 4, tcp[13] = s.flags ?? SYN;
  v.setUint16(14, 8192);
  tcp.set(s.opts, 20);
  tcp.set(payload, Math.max(hdrLen, 20 + optLen));
  const segLen = tcp.length;
  let ip: Uint8Array;
  if (s.v6) {
    ip = new Uint8Array(40);
    ip[0] = 0x60, ip[4] = segLen >> 8, ip[5] = segLen & 0xff, ip[6] = 6, ip[7] = 64;
    ip.set(SRC6, 8), ip.set(DST6, 24);
  } else {
    ip = new Uint8Array(20);
    const t = 20 + segLen;
    ip[0] = 0x45, ip[2] = t >> 8, ip[3] = t & 0xff, ip[8] = 64, ip[9] = 6;
    ip.set(SRC4, 12), ip.set(DST4, 16);
    const c = internetChecksum(ip);
    ip[10] = c >> 8, ip[11] = c & 0xff;
  }
  if (s.sign) {
    // RFC 2385: pseudo-header, the fixed header with a zero checksum, the data, the key.
    const h = createHash("md5");
    if (s.v6) {
      h.update(SRC6).update(DST6).update(new Uint8Array([0, 0, segLen >> 8, segLen & 0xff, 0, 0, 0, 6]));
    } else h.update(SRC4).update(DST4).update(new Uint8Array([0, 6, segLen >> 8, segLen & 0xff]));
    h.update(tcp.subarray(0, 20)).update(tcp.subarray(hdrLen)).update(
      new TextEncoder().encode(s.sign.secret),
    );
    tcp.set(h.digest(), 20 + s.sign.at);
  }
  const eth = hex(`020000000002020000000001${s.v6 ? "86dd" : "0800"}`);
  return cat(eth, ip, tcp);
}

/** An option: kind, length byte, value. */
const opt = (kind: number, value: number[] | Uint8Array, len = value.length + 2) =>
  new Uint8Array([kind, len, ...value]);
const bytes = (n: number, x: number) => new Array(n).fill(x);

Deno.test("tcp options: every kind tcpdump names, with their lengths right and wrong, as tcpdump", async () => {
  const cases: Seg[] = [
    { opts: cat(opt(19, bytes(16, 0x11)), hex("0000")) },
    { opts: opt(34, []) },
    { opts: opt(34, [1, 2, 3, 4, 5, 6, 7, 8]) },
    { opts: opt(34, [1, 2, 3]) },
    { opts: opt(34, bytes(18, 9)) },
    { opts: opt(28, [0, 0x3d]) },
    { opts: opt(28, [0, 0x3c]) },
    { opts: opt(29, [5, 6, ...bytes(12, 0xaa)]) },
    { opts: opt(29, [5]) },
    { opts: opt(29, [5, 6]) },
    { opts: opt(20, [1, 2]) },
    { opts: opt(6, [0, 0, 0, 5]) },
    { opts: opt(7, [0, 0, 0, 5]) },
    { opts: opt(11, [0, 0, 0, 5]) },
    { opts: opt(12, [0, 0, 1, 5]) },
    { opts: opt(13, [1, 0, 0, 5]) },
    { opts: opt(253, [0xf9, 0x89]) },
    { opts: opt(254, [0xf9, 0x89]) },
    { opts: opt(254, [0xf9, 0x89, 1, 2, 3, 4]) },
    { opts: opt(254, [0x12, 0x34, 1, 2]) },
    { opts: opt(254, [7]) },
    { opts: cat(opt(2, [5, 0xb4, 0]), hex("00")) },
    { opts: opt(3, []) },
    { opts: opt(99, [1, 2, 3]) },
    { opts: opt(99, []) },
    { opts: opt(8, [0, 0, 0, 0]) },
    { opts: opt(5, bytes(7, 0)) },
    { opts: opt(5, []) },
    { opts: opt(5, bytes(16, 3)), flags: ACK },
    { opts: opt(4, [0]) },
    { opts: hex("020405b41330000000000000") },
    { opts: hex("020105b4") },
    { opts: hex("01010002") },
    { opts: hex("0101080a0000000100000002") },
    { opts: hex("00020405") },
    { opts: hex("0101fe") },
    { opts: cat(opt(19, bytes(16, 0x22)), hex("0000")), v6: true },
    // MPTCP (RFC 8684): each subtype with the flags and lengths it needs, and without.
    { opts: opt(30, [0x00, 0x81, ...bytes(8, 1)]) },
    { opts: opt(30, [0x01, 0x01]), flags: SYN },
    { opts: opt(30, [0x01, 0x00, ...bytes(16, 2)]), flags: ACK },
    { opts: opt(30, [0x01, 0x00, ...bytes(18, 2)]), flags: ACK },
    { opts: opt(30, [0x05, 0x00, ...bytes(8, 1)]) },
    { opts: opt(30, [0x00, 0x00, ...bytes(8, 1)]), flags: ACK },
    { opts: opt(30, [0x11, 7, ...bytes(8, 3)]) },
    { opts: opt(30, [0x10, 7, ...bytes(12, 3)]), flags: SYN | ACK },
    { opts: opt(30, [0x10, 7, ...bytes(20, 3)]), flags: ACK },
    { opts: opt(30, [0x10, 7, ...bytes(8, 3)]), flags: ACK },
    { opts: opt(30, [0x20, 0x01, 0, 0, 0, 9]), flags: ACK },
    { opts: opt(30, [0x20, 0x03, ...bytes(8, 9)]), flags: ACK },
    { opts: opt(30, [0x20, 0x15, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 100]), flags: ACK },
    { opts: opt(30, [0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 100, 0xab, 0xcd]), flags: ACK },
    { opts: opt(30, [0x20, 0x0f, ...bytes(8, 1), ...bytes(8, 2), 0, 0, 0, 1, 0, 100]), flags: ACK },
    { opts: opt(30, [0x20, 0x01, 0, 0, 0, 9, 1]), flags: ACK },
    { opts: opt(30, [0x20, 0x01, 0, 0, 0]), flags: ACK },
    { opts: opt(30, [0x20, 0x01, 0, 0, 0, 9]), flags: SYN },
    { opts: opt(30, [0x30, 1, 10, 0, 0, 1]), flags: ACK },
    { opts: opt(30, [0x31, 1, 10, 0, 0, 1, 0x1f, 0x90]), flags: ACK },
    { opts: opt(30, [0x30, 2, 10, 0, 0, 1, ...bytes(8, 5)]), flags: ACK },
    { opts: opt(30, [0x30, 2, 10, 0, 0, 1, 0, 80, ...bytes(8, 5)]), flags: ACK },
    { opts: opt(30, [0x36, 3, ...SRC6]), flags: ACK },
    { opts: opt(30, [0x30, 3, ...SRC6, 0, 80]), flags: ACK },
    { opts: opt(30, [0x30, 3, ...SRC6, ...bytes(8, 6)]), flags: ACK },
    { opts: opt(30, [0x30, 3, ...SRC6, 0, 80, ...bytes(8, 6)]), flags: ACK },
    { opts: opt(30, [0x32, 3, 1, 2, 3, 4, 5]), flags: ACK },
    { opts: opt(30, [0x40, 1, 2, 3]), flags: ACK },
    { opts: opt(30, [0x40]), flags: ACK },
    { opts: opt(30, [0x51]), flags: ACK },
    { opts: opt(30, [0x50, 4]), flags: ACK },
    { opts: opt(30, [0x50, 4, 5]), flags: ACK },
    { opts: opt(30, [0x60, 0, ...bytes(8, 7)]), flags: ACK },
    { opts: opt(30, [0x70, 0, ...bytes(8, 8)]), flags: ACK },
    { opts: opt(30, [0x70, 0, ...bytes(6, 8)]), flags: ACK },
    { opts: opt(30, [0x80, 0, 1]), flags: ACK },
    { opts: opt(30, [0xf0]), flags: ACK },
    { opts: opt(30, []), flags: ACK },
    { opts: opt(30, [0x03, 0x81, ...bytes(8, 1)]) },
  ];
  const frames: Frame[] = cases.map((s) => ({ data: frame(s) }));
  const n = await compareFramesWithTcpdump(frames, [[], ["-v"], ["-q"], ["-S"]]);
  assert.equal(n, cases.length * 4);
});

Deno.test("tcp options: random option bytes, flags and cuts read as tcpdump reads them", async () => {
  const r = new Rng(0x7cb0);
  const kinds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 19, 20, 28, 29, 30, 34, 99, 253, 254];
  const frames: Frame[] = [];
  for (let k = 0; k < 600; k++) {
    // Mostly well-formed options of the named kinds, now and then a wrong length or random bytes.
    const parts: number[] = [];
    const want = 4 * (1 + r.int(10));
    while (parts.length < want) {
      const kind = r.pick(kinds);
      if (kind <= 1) {
        parts.push(kind);
        continue;
      }
      const natural: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10, 19: 18, 20: 4, 28: 4, 6: 6, 7: 6 };
      let len = natural[kind] ?? 2 + r.int(20);
      if (kind === 5) len = 2 + 8 * r.int(4);
      if (kind === 30) len = r.pick([3, 4, 8, 10, 12, 16, 18, 20, 22, 24, 28, 30]);
      if (r.int(8) === 0) len = r.int(24);
      const value = [...r.bytes(Math.max(0, len - 2))];
      if (kind === 30) value[0] = (r.int(9) << 4) | r.int(16);
      if (kind === 254 && r.bool()) value.splice(0, 2, 0xf9, 0x89);
      parts.push(kind, len, ...value);
    }
    const opts = new Uint8Array(parts.slice(0, Math.min(parts.length, 40)));
    const flags = r.pick([SYN, ACK, SYN | ACK, ACK | PSH, 0]);
    const payload = r.bool() ? r.bytes(r.int(30)) : undefined;
    const data = frame({ opts, flags, payload, v6: r.int(4) === 0 });
    // A third of them cut somewhere in the TCP header or its data.
    const ipLen = data[12] === 0x86 ? 40 : 20;
    const cut = r.int(3) === 0 ? 14 + ipLen + 20 + r.int(data.length - 14 - ipLen - 19) : data.length;
    frames.push({ data: data.subarray(0, cut), len: data.length });
  }
  const n = await compareFramesWithTcpdump(frames, [[], ["-v"]]);
  assert.equal(n, 1200);
});

Deno.test("tcp options: -M checks TCP-MD5 signatures (RFC 2385) as tcpdump -M does", async () => {
  const md5 = (at: number) => cat(new Uint8Array(at).fill(1), opt(19, bytes(16, 0)), hex("0000"));
  const data = new TextEncoder().encode("BGP-ish data");
  const segs: Seg[] = [
    { opts: md5(0), sign: { secret: "s3cret", at: 2 } },
    { opts: md5(2), flags: ACK | PSH, payload: data, sign: { secret: "s3cret", at: 4 } },
    { opts: md5(2), flags: ACK | PSH, payload: data, sign: { secret: "other", at: 4 } },
    { opts: md5(0), v6: true, sign: { secret: "s3cret", at: 2 } },
    { opts: md5(1), v6: true, flags: ACK | PSH, payload: data, sign: { secret: "s3cret", at: 3 } },
    { opts: md5(0) },
  ];
  const frames: Frame[] = segs.map((s) => ({ data: frame(s) }));
  // The same signed segment with its data cut: "snaplen too short".
  const whole = frames[1].data;
  frames.push({ data: whole.subarray(0, whole.length - 3), len: whole.length });
  const n = await compareFramesWithTcpdump(frames, [["-M", "s3cret"], ["-M", "wrong"], []]);
  assert.equal(n, frames.length * 3);
  // Not vacuous: the signatures made with the secret check out, the others do not.
  const md5Text = (secret: string | undefined) =>
    frames.map((f) => {
      const text = new PacketSummarizer({ tcpSecret: secret }).summarize(
        new PacketDecoder().decode(f.data, 1),
        f.len,
      );
      return /md5 (valid| \(invalid\)|.*?can't check - )/.exec(text)?.[0];
    });
  assert.deepEqual(md5Text("s3cret"), [
    "md5 valid",
    "md5 valid",
    "md5  (invalid)",
    "md5 valid",
    "md5 valid",
    "md5  (invalid)",
    "md5 snaplen too short, can't check - ",
  ]);
  assert.deepEqual(md5Text("wrong").slice(0, 5), new Array(5).fill("md5  (invalid)"));
  assert.equal(md5Text(undefined)[0], "md5 shared secret not supplied with -M, can't check - ");
});
