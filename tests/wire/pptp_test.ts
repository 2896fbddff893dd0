/**
 * PPTP's control connection (TCP port 1723) as tcpdump 4.99.3 prints it, over hand-built Ethernet/IPv4 (and
 * one IPv6) TCP segments: every control message type (SCCRQ to SLI) with its fields, every result, error and
 * stop reason code tcpdump names and unknown ones, framing and bearer capabilities and types, host names
 * stopped by a NUL, filling their 64 bytes and with bytes tcpdump escapes, OCRQ's and ICRQ's numbers bounded
 * by their length fields, non-zero reserved fields, management and unknown PPTP message types, a bad magic
 * cookie, unknown control message types, two messages in one segment, short messages. Each frame is
 * compared whole and cut at every length of its TCP data with `[]`, `-v`, `-vv` and `-x` (whether the dump
 * starts at the frame or at the IP header tells tcpdump's long jumps from its own checks).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitTcp, TcpFlag } from "../../lib/wire/tcp.ts";
import { pptpText } from "../../lib/wire/_pptp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" }, V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
/** Ethernet + IPv4 + TCP headers in front of the data. */
const HEAD4 = 14 + 20 + 20, HEAD6 = 14 + 40 + 20;

/** A PSH/ACK segment from a client to port 1723 (or back, with `reply`) carrying `data`. */
function segment(data: Uint8Array, o: { reply?: boolean; v6?: boolean } = {}): Uint8Array {
  const ports = o.reply ? { srcPort: 1723, dstPort: 40000 } : { srcPort: 40000, dstPort: 1723 };
  const a = o.v6 ? V6 : V4;
  const tcp = emitTcp({ ...ports, seq: 1, ack: 1, flags: TcpFlag.PSH | TcpFlag.ACK }, data, a);
  if (o.v6) return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...a, proto: 6 }, tcp));
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...a, proto: 6 }, tcp));
}

const be16 = (v: number) => new Uint8Array([v >> 8, v & 0xff]);
const be32 = (v: number) => new Uint8Array([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const u8s = (...b: number[]) => new Uint8Array(b);
/** `s` in a field of `n` bytes, NUL-padded (cut to `n`). */
const field = (s: string | Uint8Array, n: number) => {
  const out = new Uint8Array(n);
  out.set((typeof s === "string" ? text(s) : s).subarray(0, n));
  return out;
};

interface Head {
  length?: number;
  msgType?: number;
  cookie?: number;
  reserved?: number;
}
/** A control message: the 12-byte header (length from the body unless given) and the body. */
function msg(type: number, body: Uint8Array, h: Head = {}): Uint8Array {
  return cat(
    be16(h.length ?? 12 + body.length),
    be16(h.msgType ?? 1),
    be32(h.cookie ?? 0x1a2b3c4d),
    be16(type),
    be16(h.reserved ?? 0),
    body,
  );
}

const sccrq = (
  o: { ver?: number; res?: number; frame?: number; bearer?: number; host?: string | Uint8Array } = {},
) =>
  msg(
    1,
    cat(
      be16(o.ver ?? 0x100),
      be16(o.res ?? 0),
      be32(o.frame ?? 1),
      be32(o.bearer ?? 1),
      be16(0),
      be16(0x0a00),
      field(o.host ?? "local", 64),
      field("Microsoft", 64),
    ),
  );
const sccrp = (result: number, err: number, frame = 3, bearer = 3) =>
  msg(
    2,
    cat(
      be16(0x100),
      u8s(result, err),
      be32(frame),
      be32(bearer),
      be16(65535),
      be16(1),
      field("x".repeat(64), 64),
      field(hex("01 7f 80 ff 20 41 00 42"), 64),
    ),
  );
const stopccrq = (reason: number, r1 = 0, r2 = 0) => msg(3, cat(u8s(reason, r1), be16(r2)));
const stopccrp = (result: number, err: number, r = 0) => msg(4, cat(u8s(result, err), be16(r)));
const echorq = (id: number) => msg(5, be32(id));
const echorp = (id: number, result: number, err: number, r = 0) =>
  msg(6, cat(be32(id), u8s(result, err), be16(r)));
const ocrq = (bearer: number, framing: number, phoneLen: number, phone: string, r = 0) =>
  msg(
    7,
    cat(
      be16(1),
      be16(2),
      be32(300),
      be32(100000000),
      be32(bearer),
      be32(framing),
      be16(64),
      be16(0),
      be16(phoneLen),
      be16(r),
      field(phone, 64),
      field("sub", 64),
    ),
  );
const ocrp = (result: number, err: number) =>
  msg(8, cat(be16(5), be16(6), u8s(result, err), be16(7), be32(64000), be16(16), be16(0), be32(0xffffffff)));
const icrq = (bearer: number, dialedLen: number, dialingLen: number) =>
  msg(
    9,
    cat(
      be16(9),
      be16(10),
      be32(bearer),
      be32(11),
      be16(dialedLen),
      be16(dialingLen),
      field("5551234", 64),
      field("5556789", 64),
      field("", 64),
    ),
  );
const icrp = (result: number, err: number, r = 0) =>
  msg(10, cat(be16(12), be16(13), u8s(result, err), be16(14), be16(15), be16(r)));
const iccn = (framing: number, r = 0) =>
  msg(11, cat(be16(16), be16(r), be32(28800), be16(8), be16(0), be32(framing)));
const ccrq = (r = 0) => msg(12, cat(be16(17), be16(r)));
const cdn = (result: number, err: number, stats: string, r = 0) =>
  msg(13, cat(be16(18), u8s(result, err), be16(19), be16(r), field(stats, 128)));
const wen = (r = 0) => msg(14, cat(be16(20), be16(r), be32(1), be32(2), be32(3), be32(4), be32(5), be32(6)));
const sli = (r = 0) => msg(15, cat(be16(21), be16(r), be32(0xffffffff), be32(0x0000000a)));

/** Messages whole: the frames are cut at every length of these. */
const MESSAGES: Uint8Array[] = [
  sccrq(),
  sccrq({ ver: 0x0102, res: 5, frame: 2, bearer: 2, host: "" }),
  sccrq({ frame: 0, bearer: 0xfffffffc }),
  sccrq({ frame: 0xffffffff, bearer: 0xffffffff, host: "a".repeat(64) }),
  ...[0, 1, 2, 3, 4, 5, 6].map((r) => sccrp(r, r)),
  sccrp(9, 7, 0, 0),
  ...[0, 1, 2, 3, 4].map((r) => stopccrq(r)),
  stopccrq(1, 5, 0x1234),
  ...[0, 1, 2, 3].map((r) => stopccrp(r, r + 3)),
  stopccrp(1, 0, 1),
  echorq(0),
  echorq(0xffffffff),
  ...[0, 1, 2, 3].map((r) => echorp(r * 1000, r, 255 - r)),
  echorp(1, 1, 0, 65535),
  ...[0, 1, 2, 3, 4].map((t) => ocrq(t, (t + 1) % 5, 7, "5551234")),
  ocrq(1, 1, 3, "5551234", 9),
  ocrq(3, 3, 0, "5551234"),
  ocrq(3, 3, 100, "1".repeat(64)),
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((r) => ocrp(r, r)),
  ...[0, 1, 2, 3, 4].map((t) => icrq(t, t * 2, 7 - t)),
  icrq(1, 200, 64),
  ...[0, 1, 2, 3, 4].map((r) => icrp(r, r)),
  icrp(1, 0, 2),
  ...[0, 1, 2, 3, 4].map((t) => iccn(t, t === 4 ? 1 : 0)),
  ccrq(),
  ccrq(3),
  ...[0, 1, 2, 3, 4, 5].map((r) => cdn(r, r, r === 1 ? "" : "stats")),
  cdn(4, 0, "s".repeat(128), 1),
  wen(),
  wen(2),
  sli(),
  sli(4),
  // The header: not defined (0), unknown control types, a non-zero reserved field, management and unknown
  // PPTP message types, a bad magic cookie, a length field that says nothing.
  msg(0, be32(1)),
  msg(16, be32(1)),
  msg(0xffff, new Uint8Array(0)),
  echorq(1).map((b, i) => i === 11 ? 1 : b),
  msg(5, be32(2), { msgType: 2 }),
  msg(5, be32(3), { msgType: 0 }),
  msg(5, be32(4), { msgType: 0xffff, length: 0 }),
  msg(5, be32(5), { cookie: 0xdeadbeef }),
  msg(1, new Uint8Array(20), { cookie: 0 }),
  msg(5, be32(6), { length: 1000 }),
  // Two messages in one segment: only the first is printed.
  cat(echorq(7), echorp(7, 1, 0)),
  // Short messages: the body ends before its fields.
  msg(1, be16(0x100)),
  msg(13, cat(be16(1), u8s(1, 0), be16(0), be16(0), text("short"))),
];

Deno.test("golden: tcpdump's PPTP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const tcp = "IP 10.0.0.1.40000 > 10.0.0.2.1723: Flags [P.], seq 1:157, ack 1, win 65535, length 156";
  assert.equal(
    at(segment(sccrq())),
    `${tcp}: pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(A) BEARER_CAP(A) MAX_CHAN(0) FIRM_REV(2560)` +
      " HOSTNAME(local) VENDOR(Microsoft)",
  );
  assert.equal(
    pptpText(sccrp(1, 0), 156, 1).text,
    ": pptp Length=156 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=SCCRP PROTO_VER(1.0)" +
      " RESULT_CODE(1:Successful channel establishment) ERR_CODE(0:None) FRAME_CAP(AS) BEARER_CAP(DA)" +
      ` MAX_CHAN(65535) FIRM_REV(1) HOSTNAME(${"x".repeat(64)}) VENDOR(^A^?M-^@M-^? A)`,
  );
  assert.equal(
    pptpText(ocrq(3, 2, 3, "5551234", 9), 168, 0).text,
    ": pptp CTRL_MSGTYPE=OCRQ CALL_ID(1) CALL_SER_NUM(2) MIN_BPS(300) MAX_BPS(100000000) BEARER_TYPE(Any)" +
      " FRAME_TYPE(S) RECV_WIN(64) PROC_DELAY(0) PHONE_NO_LEN(3) [ERROR: reserved=9 must be zero]" +
      " PHONE_NO(555) SUB_ADDR(sub)",
  );
  assert.equal(
    pptpText(cdn(3, 6, "stats"), 148, 1).text,
    ": pptp Length=148 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=CDN CALL_ID(18)" +
      " RESULT_CODE(3:Admin Shutdown) ERR_CODE(6:PAC-Error) CAUSE_CODE(19) CALL_STATS(stats)",
  );
  assert.equal(
    pptpText(sli(), 24, 0).text,
    ": pptp CTRL_MSGTYPE=SLI PEER_CALL_ID(21) SEND_ACCM(0xffffffff) RECV_ACCM(0x0000000a)",
  );
  assert.equal(
    pptpText(msg(5, be32(5), { cookie: 0xdeadbeef }), 16, 0).text,
    ": pptp UNEXPECTED Magic-Cookie!!(deadbeef) Magic-Cookie=deadbeef CTRL_MSGTYPE=ECHORQ ID(5)",
  );
  assert.equal(pptpText(msg(16, be32(1)), 16, 0).text, ": pptp UNKNOWN_CTRL_MSGTYPE(16)");
  assert.equal(
    pptpText(stopccrq(7, 1), 16, 1).text,
    ": pptp Length=16 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=StopCCRQ REASON(7:?)" +
      " [ERROR: reserved=1 must be zero]",
  );
  // Cut inside a host name: its first characters stay, then the long jump's mark.
  assert.deepEqual(pptpText(sccrq().subarray(0, 12 + 16 + 3), 156, 0), {
    text: ": pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(A) BEARER_CAP(A) MAX_CHAN(0) FIRM_REV(2560)" +
      " HOSTNAME(loc [|pptp]",
    jump: true,
  });
  assert.deepEqual(pptpText(new Uint8Array(0), 10, 0), { text: ": pptp [|pptp]", jump: true });
});

/** Every message in a segment whole, then cut at every length of its data; a few in IPv6 and as replies. */
function frames(): Frame[] {
  const out: Frame[] = [];
  for (const m of MESSAGES) {
    const f = segment(m);
    out.push({ data: f });
    for (let n = HEAD4; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  out.push({ data: segment(sccrp(1, 0), { reply: true }) });
  const v6 = segment(icrq(1, 7, 7), { v6: true });
  out.push({ data: v6 });
  for (let n = HEAD6; n < v6.length; n += 9) out.push({ data: v6.slice(0, n), len: v6.length });
  return out;
}

testIf(
  "PPTP control messages print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = frames();
    const flags = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"]];
    assert.equal(await compareFramesWithTcpdump(f, flags), f.length * flags.length);
  },
);
