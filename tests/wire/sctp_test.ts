/**
 * SCTP (IP protocol 132) as tcpdump 4.99 prints it, over hand-built IPv4 and IPv6 frames: every chunk type it
 * names and a range it does not (I-DATA, AUTH, ASCONF, ASCONF-ACK, RE-CONFIG, PAD), DATA flags and PPIDs,
 * INIT/INIT ACK with parameters (which tcpdump does not print), SACK gap blocks and duplicate TSNs, several
 * chunks per packet, bad and short chunk lengths, packets shorter than the header; the payloads tcpdump
 * dissects (M3UA at -vv, ForCES at every verbosity with every message type and TLV it prints, malformed
 * ones, reads past the chunk into the next one); whole and cut at every length, compared packet by packet.
 * With `-x`, whether the dump starts at the frame or at the IP header tells tcpdump's long jumps from its
 * own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { type SctpContext, sctpText } from "../../lib/wire/_sctp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";
import { Rng } from "./_rand.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes((n >> 8) & 255, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);
const pad4 = (b: Uint8Array) => cat(b, zeros((4 - b.length % 4) % 4));

/** A chunk: type, flags, value; the length field defaults to the value's length plus 4, padding added. */
const chunk = (type: number, flags: number, value: Uint8Array = zeros(0), len = 4 + value.length) =>
  pad4(cat(bytes(type, flags), u16(len), value));
/** An SCTP packet: the common header and the chunks. */
const sctp = (chunks: Uint8Array[], sport = 5000, dport = 5001) =>
  cat(u16(sport), u16(dport), u32(0x11223344), u32(0xdeadbeef), ...chunks);
const v4 = (p: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 132, id: 1 }, p),
  );
const v6 = (p: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ src: "2001:db8::1", dst: "2001:db8::2", proto: 132 }, p),
  );

/** A DATA chunk: TSN 1, stream 2, sequence 3. */
const data = (payload: Uint8Array, ppid = 0, flags = 3) =>
  chunk(0, flags, cat(u32(1), u16(2), u16(3), u32(ppid), payload));
const init = (type: number, params: Uint8Array = zeros(0)) =>
  chunk(type, 0, cat(u32(0xcafe), u32(65536), u16(10), u16(65535), u32(0xfffffff0), params));
const sack = (cum: number, gaps: number[][], dups: number[], counts = [gaps.length, dups.length]) =>
  chunk(
    3,
    0,
    cat(u32(cum), u32(5000), u16(counts[0]), u16(counts[1]), ...gaps.flat().map(u16), ...dups.map(u32)),
  );
/** A parameter or error cause: type, value, padded. */
const tlv = (type: number, value: Uint8Array, len = 4 + value.length) =>
  pad4(cat(u16(type), u16(len), value));

const DATA_FLAGS = v4(sctp([data(text("hello"), 7, 3)]));
const INIT_PARAMS = v4(sctp([
  init(1, cat(tlv(5, hex("0a000001")), tlv(6, hex("20010db8000000000000000000000001")), tlv(9, u32(1000)))),
]));
const SACK_BLOCKS = v4(sctp([sack(1000, [[2, 3], [5, 6]], [7, 8])]));
const MANY = v6(
  sctp([
    data(text("abc"), 7),
    init(1),
    sack(1000, [[2, 3]], [8]),
    chunk(0x40, 0, text("12345")),
    chunk(11, 0),
  ]),
);
const BAD_AFTER_DATA = v4(sctp([data(text("hello"), 7), chunk(0, 0, zeros(0), 3)]));
const ODD_LENGTH = v4(sctp([cat(bytes(5, 0), u16(6), text("ab"), bytes(0))]));

const CORE: Uint8Array[] = [
  // Every chunk type tcpdump names, those it does not (I-DATA, AUTH, ASCONF-ACK, RE-CONFIG, PAD, ...).
  ...[...Array(0x12).keys(), 0x40, 0x80, 0x82, 0x84, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xff].map((t) =>
    v4(sctp([chunk(t, 0xff, text("ABCDEFGHIJKLMNOPQRST"))]))
  ),
  // DATA: every flag combination (0x08, SACK-IMMEDIATELY, is not printed), PPIDs named and not.
  DATA_FLAGS,
  ...[0, 1, 2, 4, 5, 6, 7, 8, 0xff].map((f) => v4(sctp([data(text("hello"), 7, f)]))),
  ...[1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26, 27, 28, 0xffffffff].map((
    ppid,
  ) => v4(sctp([data(text("payload-bytes-here-0123456789"), ppid)]))),
  v4(sctp([data(bytes(0, 1, 0x80, 0xff, 0x20, 0x7e, 0x7f), 0x12345678)])),
  // DATA, INIT and SACK too short for their fields; DATA without payload.
  v4(sctp([chunk(0, 7, zeros(4))])),
  v4(sctp([data(zeros(0)), chunk(4, 0)])),
  v4(sctp([chunk(1, 0, zeros(12)), chunk(4, 0)])),
  v4(sctp([chunk(3, 0, zeros(8)), chunk(4, 0)])),
  // INIT and INIT ACK with parameters (IPv4/IPv6 address, cookie preservative, host name, supported
  // address types, ECN, forward TSN, supported extensions, a state cookie): tcpdump prints none of them.
  INIT_PARAMS,
  v4(
    sctp([init(1, cat(tlv(11, text("host.example")), tlv(12, cat(u16(5), u16(6))), tlv(0x8000, zeros(0))))]),
  ),
  v6(
    sctp([
      init(2, cat(tlv(7, text("cookie-cookie")), tlv(0xc000, zeros(0)), tlv(0x8008, bytes(0x40, 0xc1)))),
    ]),
  ),
  // SACK: gap blocks and duplicates, counts past the chunk, a block cut in two, a wrapping TSN.
  SACK_BLOCKS,
  v4(sctp([sack(1000, [], [])])),
  v4(sctp([sack(0xfffffffe, [[2, 0xffff]], [0xffffffff])])),
  v4(sctp([sack(1000, [[2, 3]], [7], [5, 5])])),
  v4(sctp([sack(1000, [[2, 3]], [], [1, 3]), chunk(4, 0)])),
  v4(sctp([chunk(3, 0, cat(u32(1), u32(2), u16(1), u16(0), u16(4))), chunk(4, 0)])),
  v4(sctp([chunk(3, 0, cat(u32(1), u32(2), u16(0), u16(1), u16(4))), chunk(4, 0)])),
  v4(sctp([sack(9, [[1, 1], [3, 3]], [1, 2, 3], [1, 1])])),
  // The other chunks with their usual values: HEARTBEAT (info), ABORT (a cause), SHUTDOWN (cumulative TSN),
  // ERROR, COOKIE ECHO, ECNE, CWR, SHUTDOWN COMPLETE (T bit), AUTH, ASCONF, ASCONF-ACK, FORWARD TSN, I-DATA.
  v4(sctp([chunk(4, 0, tlv(1, text("heartbeat-info")))])),
  v4(sctp([chunk(5, 0, tlv(1, text("heartbeat-info")))])),
  v4(sctp([chunk(6, 1, tlv(12, text("user abort")))])),
  v4(sctp([chunk(7, 0, u32(77)), chunk(8, 0), chunk(14, 1)])),
  v4(sctp([chunk(9, 0, cat(tlv(1, cat(u16(9), u16(0))), tlv(3, u32(5000))))])),
  v4(sctp([chunk(10, 0, text("a state cookie")), chunk(11, 0)])),
  v4(sctp([chunk(12, 0, u32(5)), chunk(13, 0, u32(6))])),
  v4(sctp([chunk(0x0f, 0, cat(u16(1), u16(1), zeros(20))), data(text("authenticated"), 46)])),
  v4(sctp([chunk(0xc1, 0, cat(u32(7), tlv(0xc001, cat(u32(1), tlv(5, hex("0a000003"))))))])),
  v4(sctp([chunk(0x80, 0, cat(u32(7), tlv(0xc005, u32(1))))])),
  v4(sctp([chunk(0xc0, 0, cat(u32(100), u16(1), u16(2)))])),
  v4(sctp([chunk(0x40, 3, cat(u32(1), u16(2), u16(0), u32(3), u32(4), text("i-data")))])),
  // Several chunks: numbered, on one line or (-vv) one each.
  MANY,
  // Bad chunk lengths (0, 1, 3, mid-packet too), a descriptor cut off, a chunk longer than the packet, a
  // length that is not a multiple of 4 at the end without its padding, no chunk at all.
  v4(sctp([chunk(5, 0, zeros(0), 0)])),
  v4(sctp([chunk(5, 0, zeros(0), 1)])),
  BAD_AFTER_DATA,
  v4(sctp([chunk(4, 0), bytes(1)])),
  v4(sctp([chunk(4, 0), bytes(1, 2, 3)])),
  v4(sctp([chunk(4, 0, text("hb"), 40)])),
  v4(sctp([cat(bytes(5, 0), u16(5), text("a"))])),
  ODD_LENGTH,
  v4(sctp([])),
  // Shorter than the common header.
  ...[0, 1, 2, 4, 7, 11].map((n) => v4(sctp([]).subarray(34, 34 + n))).map((p) =>
    emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 132 }, p))
  ),
];

// M3UA (PPID 3), printed at -vv.
const m3ua = (
  cls: number,
  type: number,
  params: Uint8Array = zeros(0),
  o: { v?: number; len?: number } = {},
) => cat(bytes(o.v ?? 1, 0, cls, type), u32(o.len ?? 8 + params.length), params);
const M3UA_TAGS = [
  4,
  6,
  7,
  9,
  0xb,
  0xc,
  0xd,
  0x11,
  0x12,
  0x13,
  0x200,
  0x204,
  0x205,
  0x206,
  0x207,
  0x208,
  0x209,
];
const M3UA_TAGS2 = [0x20a, 0x20b, 0x20c, 0x20e, 0x210, 0x212, 0x213, 0x99, 0xffff];
const M3UA_ALL = v4(
  sctp([data(m3ua(1, 1, cat(...[...M3UA_TAGS, ...M3UA_TAGS2].map((t) => tlv(t, text("12345"))))), 3)]),
);
const M3UA_PAST = v4(sctp([data(m3ua(1, 1, tlv(6, text("abcd"), 40)), 3)]));
const M3UA_PAST_NEXT = v4(
  sctp([data(m3ua(1, 1, tlv(6, text("abcd"), 40)), 3), data(text("x".repeat(40)), 3)]),
);
const M3UA: Uint8Array[] = [
  M3UA_ALL,
  M3UA_PAST,
  M3UA_PAST_NEXT,
  ...[0, 1, 2, 3, 4, 5, 9, 200].map((cls) =>
    v4(sctp([...[0, 1, 2, 3, 4, 5, 6, 7, 0xab].map((t) => data(m3ua(cls, t, tlv(6, u32(0xaabbccdd))), 3))]))
  ),
  v4(sctp([data(m3ua(1, 1, tlv(6, bytes(0xaa))), 3)])),
  v4(sctp([data(m3ua(1, 1, tlv(0x200, bytes(1, 2, 3))), 3)])),
  v4(sctp([data(m3ua(1, 1, tlv(0x13, zeros(0))), 3)])),
  v4(sctp([data(m3ua(1, 1, tlv(6, zeros(0), 2)), 3)])),
  v4(sctp([data(m3ua(1, 1, cat(tlv(6, zeros(0), 3), zeros(4))), 3)])),
  v4(sctp([data(m3ua(1, 1, zeros(2), { len: 10 }), 3)])),
  v4(sctp([data(m3ua(1, 1, tlv(6, text("abcd")), { len: 100 }), 3)])),
  v4(sctp([data(m3ua(2, 1, tlv(6, text("abcd")), { v: 2 }), 3)])),
  v4(sctp([data(m3ua(2, 1), 3), data(m3ua(2, 1).subarray(0, 7), 3), data(text("hello"), 3)])),
  v6(sctp([data(m3ua(1, 1, cat(u16(7), u16(9), text("abcde"), zeros(3), tlv(6, text("1234")))), 3)])),
];

// ForCES: a message is a 24-byte header and TLVs; ILVs inside SPARSEDATA and METADATA.
const fhdr = (
  tom: number,
  body: Uint8Array,
  o: { mlen?: number; flags?: number; sid?: number; did?: number } = {},
) =>
  cat(
    bytes(0x10, tom),
    u16(o.mlen ?? (24 + body.length) / 4),
    u32(o.sid ?? 0x40000001),
    u32(o.did ?? 2),
    hex("0102030405060708"),
    u32(o.flags ?? 0x40d81234),
    body,
  );
const ilv = (type: number, value: Uint8Array, len = 8 + value.length) =>
  pad4(cat(u32(type), u32(len), value));
const pathdata = (flags: number, ids: number[], rest: Uint8Array = zeros(0)) =>
  cat(u16(flags), u16(ids.length), ...ids.map(u32), rest);
const pd = (flags: number, ids: number[], rest: Uint8Array = zeros(0)) =>
  tlv(0x110, pathdata(flags, ids, rest));
const lfb = (cls: number, inst: number, ...ops: Uint8Array[]) =>
  tlv(0x1000, cat(u32(cls), u32(inst), ...ops));
const FULL = tlv(0x112, bytes(1, 2, 3, 4, 5));
const SPARSE = tlv(0x113, cat(ilv(7, text("abc")), ilv(8, text("defgh"))));
const RESULT = tlv(0x114, zeros(4));
const KEY = (rest: Uint8Array) => cat(u32(9), rest);
/** A KEYINFO TLV whose key TLV claims the whole KEYINFO length: tcpdump reads 12 bytes past it. */
const KEY_PAST = tlv(0x111, cat(u32(5), u16(0x999), u16(16), u16(0x112), u16(0)));
const HEARTBEAT = fhdr(0xf, zeros(0));
const SETUP = fhdr(0x1, lfb(1, 1, tlv(11, pd(0, [1, 2], FULL))));
const CONFIG = fhdr(
  0x3,
  lfb(
    2,
    3,
    tlv(1, pd(0, [5], FULL)),
    tlv(2, pd(0, [6, 7], SPARSE)),
    tlv(5, pd(0, [9])),
    tlv(12, zeros(8)),
    tlv(7, pd(0, [1])),
  ),
);
const CONFIG_KEY_PAST = fhdr(
  0x3,
  lfb(1, 1, tlv(1, pd(1, [1], KEY(cat(tlv(0x111, text("abcd")), KEY_PAST))))),
);
const QUERY_KEY_PAST = fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], KEY_PAST))));
const FORCES_MESSAGES: Uint8Array[] = [
  HEARTBEAT,
  fhdr(0xf, tlv(0x1000, text("12345678"))),
  fhdr(0x1, zeros(0)),
  SETUP,
  fhdr(0x1, cat(...[1, 2, 3].map((k) => lfb(k, k, tlv(11, pd(0, [1], FULL)))))),
  ...[1, 7, 300].map((code) => fhdr(0x2, tlv(0x11, u32(code)))),
  fhdr(0x2, tlv(0x11, cat(u32(1), u32(2)))),
  fhdr(0x2, zeros(0)),
  CONFIG,
  fhdr(0x3, lfb(0x80000001, 3, tlv(1, pd(4, [5], FULL)), tlv(1, zeros(4)))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(0, [1], cat(FULL, bytes(0, 9)))))),
  fhdr(0x3, lfb(1, 1, tlv(0x8001, pd(0, [1], FULL)))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(0, [1], tlv(0x113, text("abc")))))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(0, [1], tlv(0x113, ilv(7, text("abc"), 99)))))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(1, [1], KEY(cat(tlv(0x111, text("ab"), 2), FULL)))))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(1, [1], KEY(cat(tlv(0x111, text("ab"), 60), FULL)))))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(1, [1], KEY(cat(tlv(0x111, text("abcd")), tlv(0x111, cat(u32(7), FULL)))))))),
  fhdr(
    0x3,
    lfb(
      1,
      1,
      tlv(
        1,
        pd(1, [1], KEY(cat(tlv(0x111, text("abcd")), tlv(0x111, cat(u32(7), tlv(0x112, zeros(0), 99)))))),
      ),
    ),
  ),
  CONFIG_KEY_PAST,
  fhdr(0x3, lfb(1, 1, tlv(1, pd(2, [1], zeros(2))))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(0, [], cat(FULL, FULL))))),
  fhdr(0x3, lfb(1, 1, tlv(1, tlv(0x110, cat(u32(9), u32(1)))))),
  fhdr(0x3, lfb(1, 1, tlv(1, tlv(0x110, zeros(3))))),
  fhdr(0x3, lfb(1, 1, tlv(1, tlv(0x110, pathdata(8, [1], FULL))))),
  fhdr(0x3, lfb(1, 1, bytes(0, 1, 0, 2))),
  fhdr(0x3, lfb(1, 1, tlv(1, pd(0, [1], FULL)), bytes(0, 5, 0, 0x40))),
  fhdr(0x3, zeros(0)),
  fhdr(0x3, tlv(0x999, text("abcd"))),
  fhdr(0x3, tlv(0x1000, text("abcd"))),
  fhdr(0x3, tlv(0x1000, text("abcd"), 80)),
  fhdr(0x3, zeros(0), { mlen: 3 }),
  fhdr(0x3, zeros(8), { mlen: 4 }),
  fhdr(0x4, lfb(1, 1, tlv(7, pd(0, [1, 2, 3])), tlv(8, pd(1, [4], KEY(cat(tlv(0x111, text("ab")), FULL)))))),
  fhdr(0x4, lfb(1, 1, tlv(7, pd(2, [1], cat(u32(0), u32(10), u32(20)))))),
  fhdr(0x4, lfb(1, 1, tlv(7, pd(3, [1], cat(u32(0), u32(10), u32(20)))))),
  fhdr(0x4, lfb(1, 1, tlv(7, pd(0, [1, 2, 3, 4, 5, 6])))),
  fhdr(0x5, lfb(1, 1, tlv(11, pd(0, [1], FULL)))),
  fhdr(0x5, cat(lfb(1, 1, tlv(11, pd(0, [1], FULL))), lfb(2, 2, tlv(11, pd(0, [1], FULL))))),
  fhdr(
    0x6,
    tlv(1, cat(tlv(0x115, cat(ilv(1, text("meta1")), ilv(2, text("m2")))), tlv(0x116, text("redirected")))),
  ),
  fhdr(0x6, tlv(1, cat(tlv(0x117, text("abcd")), tlv(0x116, text("xy"))))),
  fhdr(0x6, tlv(1, text("abc"))),
  fhdr(
    0x6,
    tlv(1, cat(tlv(0x115, cat(ilv(1, text("meta1"), 3), ilv(2, text("m2")))), tlv(0x116, text("r")))),
  ),
  fhdr(0x6, tlv(1, tlv(0x115, ilv(1, text("meta1"), 300)))),
  ...[0, 2, 5].map((code) => fhdr(0x11, tlv(0x10, u32(code)))),
  fhdr(0x13, lfb(1, 1, tlv(3, pd(0, [1], RESULT)), tlv(13, tlv(0x110, pathdata(0, [1], RESULT))))),
  ...[0x30, 0x17, 0xff].map((r) => fhdr(0x13, lfb(1, 1, tlv(3, pd(0, [1], tlv(0x114, bytes(r, 0, 0, 0))))))),
  fhdr(0x13, lfb(1, 1, tlv(3, pd(0, [1], tlv(0x114, bytes(0x17, 0, 0)))))),
  fhdr(0x13, lfb(1, 1, tlv(3, pd(0, [1], tlv(0x112, text("abcd")))))),
  fhdr(0x13, lfb(1, 1, tlv(13, tlv(0x999, pathdata(0, [1], RESULT))))),
  fhdr(0x13, lfb(1, 1, tlv(13, tlv(0x110, pathdata(0, [1], RESULT), 99)))),
  fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], FULL)), tlv(10, pd(0, [1], SPARSE)))),
  fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], tlv(0x999, text("zz")))))),
  fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], tlv(0x112, text("zz"), 40))))),
  fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], tlv(0x110, pathdata(0, [3], FULL)))))),
  fhdr(0x14, lfb(1, 1, tlv(9, pd(0, [1], tlv(0x111, cat(u32(5), tlv(0x113, text("xx")))))))),
  QUERY_KEY_PAST,
  ...[0x0, 0x7, 0x10, 0x12, 0x15].map((tom) => fhdr(tom, zeros(0))),
  ...[0, 0xffffffff, 0x80280000].map((flags) =>
    fhdr(0xf, zeros(0), { flags, sid: 0xc0000000, did: 0xfffffffd })
  ),
  ...[0x7fffffff, 0xbfffffff, 0xfffffff0, 0xfffffffe, 0xffffffff].map((sid) =>
    fhdr(0xf, zeros(0), { sid, did: sid })
  ),
];
const HB = chunk(4, 0, text("h".repeat(12)));
const FORCES_PORT = v4(sctp([data(SETUP)], 6704));
const FORCES_TWO = v4(sctp([data(CONFIG, 23), HB, data(HEARTBEAT, 7)]));
const FORCES_SHORT = v4(sctp([data(text("x"), 21), HB]));
const FORCES_PAST = v4(sctp([data(QUERY_KEY_PAST, 21), HB]));
const FORCES_PAST2 = v4(sctp([data(CONFIG_KEY_PAST, 21), HB]));
const FORCES: Uint8Array[] = [
  ...FORCES_MESSAGES.map((m, k) => v4(sctp([data(m, 21 + k % 3)]))),
  // By port (high, medium, low priority) whatever the PPID; a ForCES PPID makes later DATA chunks ForCES too.
  FORCES_PORT,
  v4(sctp([data(SETUP)], 5000, 6705)),
  v6(sctp([data(HEARTBEAT, 7)], 6706, 6704)),
  FORCES_TWO,
  // Too short for the header: tcpdump's own check, then SCTP goes on.
  FORCES_SHORT,
  v4(sctp([data(text("xyzw".repeat(5)), 21)])),
  // Read past the chunk into the next one (cut at every length below).
  FORCES_PAST,
  FORCES_PAST2,
];

/** The frames cut at every length: the packets with a chunk or payload boundary worth cutting at. */
const CUT = [
  DATA_FLAGS,
  INIT_PARAMS,
  SACK_BLOCKS,
  MANY,
  BAD_AFTER_DATA,
  ODD_LENGTH,
  M3UA_ALL,
  M3UA_PAST_NEXT,
  FORCES_PORT,
  FORCES_TWO,
  FORCES_SHORT,
  FORCES_PAST,
  FORCES_PAST2,
];

/** Every frame whole, then the frames of {@link CUT} cut at every length (the link header too). */
function frames(whole: Uint8Array[], cut: Uint8Array[]): Frame[] {
  const out: Frame[] = whole.map((data) => ({ data }));
  for (const f of cut) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const CTX: SctpContext = { verbosity: 0, ports: (s, d) => `a.${s} > b.${d}: ` };
const at = (p: Uint8Array, verbosity = 0, o: Partial<SctpContext> = {}) =>
  sctpText(p, p.length, { ...CTX, verbosity, ...o });
const ip = (f: Uint8Array) => f.subarray(34);

Deno.test("golden: tcpdump's SCTP text", () => {
  assert.equal(
    at(sctp([data(text("hello"), 3, 7), init(1), sack(1000, [[2, 3]], [8]), chunk(0x40, 0), chunk(11, 0)]))
      .text,
    "a.5000 > b.5001: sctp (1) [DATA] (U)(B)(E) [TSN: 1] [SID: 2] [SSEQ 3] [PPID M3UA] " +
      ", (2) [INIT] [init tag: 51966] [rwnd: 65536] [OS: 10] [MIS: 65535] [init TSN: 4294967280] " +
      ", (3) [SACK] [cum ack 1000] [a_rwnd 5000] [#gap acks 1] [#dup tsns 1] " +
      "\n\t\t[gap ack block #1: start = 1002, end = 1003] \n\t\t[dup TSN #1: 8] " +
      ", (4) [Unknown chunk type: 0x40] , (5) [COOKIE ACK] ",
  );
  assert.equal(
    at(sctp([data(text("hi!"), 0x99, 0), chunk(0xc1, 0)]), 2).text,
    "a.5000 > b.5001: sctp\n\t1) [DATA] [TSN: 1] [SID: 2] [SSEQ 3] [PPID 0x99] [Payload:" +
      "\n\t0x0000:  6869 21                                  hi!]\n\t2) [REL CTRL] ",
  );
  assert.equal(
    at(sctp([data(text("hi!"), 0x99, 0)]), 2, { defaultPrint: false }).text,
    "a.5000 > b.5001: sctp\n\t1) [DATA] [TSN: 1] [SID: 2] [SSEQ 3] [PPID 0x99] [Payload]",
  );
  assert.equal(
    at(sctp([data(m3ua(4, 3, tlv(6, u32(1))), 3)]), 2).text,
    "a.5000 > b.5001: sctp\n\t1) [DATA] (B)(E) [TSN: 1] [SID: 2] [SSEQ 3] [PPID M3UA] " +
      "\n\t\tASP Active Acknowledgement Message\n\t\t\tRouting Context: 0x00060008",
  );
  assert.equal(
    at(sctp([chunk(4, 0), bytes(1, 2)])).text,
    "a.5000 > b.5001: sctp (1) [HB REQ] , (2) " +
      "[chunk descriptor cut off at end of packet]",
  );
  assert.equal(
    at(sctp([chunk(5, 0, zeros(0), 2)])).text,
    "a.5000 > b.5001: sctp (1) " +
      "[Bad chunk length 2, < size of chunk descriptor]",
  );
  assert.equal(
    at(sctp([chunk(3, 0, zeros(8)), chunk(4, 0)])).text,
    "a.5000 > b.5001: sctp (1) [SACK] " +
      "bogus chunk length 12]",
  );
  assert.equal(at(sctp([]).subarray(0, 5)).text, "truncated-sctp - 7 bytes missing!");
  assert.equal(sctpText(sctp([]).subarray(0, 5), 20, CTX).text, " [|sctp]");
  assert.equal(
    at(sctp([data(SETUP, 21)]), 3).text.split("\n").slice(-5).join("\n"),
    "            ID#02: 2\n              FULLDATA TLV (Length 9 DataLen 5 pad 3 Bytes)\n               [" +
      "\n               0x0000:  0102 0304 0500 0000\n               ]",
  );
  assert.equal(
    at(sctp([data(HEARTBEAT, 7)], 6704, 6706), 1).text,
    "a.6704 > b.6706: sctp[ForCES HP][ForCES LP] (1) [DATA] (B)(E) [TSN: 1] [SID: 2] [SSEQ 3] [PPID H.248] " +
      "\n\tForCES HeartBeat \n\tForCES Version 1 len 24B flags 0x40d81234 " +
      "\n\tSrcID 0x40000001(CE) DstID 0x2(FE) Correlator 0x102030405060708",
  );
  // Through the summarizer: the IP part, then the text.
  const d = new PacketDecoder();
  assert.equal(
    summarize(d.decode(v6(sctp([chunk(11, 0)])), 1), {}),
    "IP6 2001:db8::1.5000 > 2001:db8::2.5001: sctp (1) [COOKIE ACK] ",
  );
});

Deno.test("sctpText: tcpdump's capture checks are not long jumps; reads inside M3UA and ForCES are", () => {
  const p = sctp([data(text("hello"), 7), chunk(4, 0)]);
  assert.deepEqual(sctpText(p.subarray(0, 11), p.length, CTX), { text: " [|sctp]", jump: false });
  assert.deepEqual(sctpText(p.subarray(0, 30), p.length, CTX), {
    text: "a.5000 > b.5001: sctp [|sctp]",
    jump: false,
  });
  // The padding after a chunk is checked too.
  assert.equal(sctpText(p.subarray(0, 33), p.length, CTX).text.endsWith("[PPID H.248]  [|sctp]"), true);
  // An M3UA parameter past the capture.
  const m = ip(M3UA_PAST);
  assert.deepEqual(sctpText(m, m.length, { ...CTX, verbosity: 2 }).jump, true);
  assert.equal(
    sctpText(m, m.length, { ...CTX, verbosity: 2 }).text.endsWith("Routing Context:  [|m3ua]"),
    true,
  );
  // ForCES: its header not captured is its own check; a hex dump past the capture is a jump.
  const f = ip(FORCES_PAST);
  assert.deepEqual(sctpText(f.subarray(0, f.length - 16), f.length, { ...CTX, verbosity: 3 }).jump, true);
  assert.equal(at(ip(FORCES_SHORT)).jump, false);
  assert.equal(at(ip(FORCES_SHORT)).text.endsWith("[PPID ForCES HP]  [|forces], (2) [HB REQ] "), true);
});

Deno.test("sctpText: never throws, whatever the bytes, the cut or the verbosity", () => {
  const rng = new Rng(132);
  const all = [...CORE, ...M3UA, ...FORCES].map(ip);
  for (let i = 0; i < 3000; i++) {
    const base = all[rng.int(all.length)].slice();
    for (let k = rng.int(6); k > 0; k--) base[rng.int(base.length)] = rng.int(256);
    const cut = base.subarray(0, rng.int(base.length + 1));
    for (const v of [0, 2, 3, 4]) {
      const r = sctpText(cut, base.length, { ...CTX, verbosity: v, defaultPrint: rng.bool() });
      assert.equal(typeof r.text, "string");
    }
  }
  for (let i = 0; i < 500; i++) {
    const b = cat(sctp([]), rng.bytes(rng.int(200)));
    assert.equal(typeof at(b, 4).text, "string");
  }
});

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-q"], ["-v", "-x"], ["-vv", "-x"], ["-vv", "-q"]];
/** Payloads tcpdump dissects, at the verbosities that print them. */
const DISSECTED_FLAGS = [["-vvv"], ["-vvv", "-x"], ["-vvvv"], ["-q", "-vvv"]];

testIf(
  "SCTP packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    // After IPv6 extension headers SCTP still prints the addresses with its ports.
    const hbh = (p: Uint8Array) =>
      emitEthernet(
        { ...MAC, ethertype: 0x86dd },
        emitIpv6({ src: "2001:db8::1", dst: "2001:db8::2", proto: 0 }, cat(hex("8400 0104 00000000"), p)),
      );
    const ext = [hbh(sctp([data(text("hello"), 7, 3)])), hbh(sctp([]))];
    const f = [...frames([...CORE, ...M3UA, ...FORCES], CUT), ...ext.map((data) => ({ data }))];
    assert.equal(await compareFramesWithTcpdump(f, FLAGS), f.length * FLAGS.length);
  },
);

testIf(
  "M3UA and ForCES inside SCTP print as tcpdump prints them at every verbosity, with -x where the dump starts",
  needCommands("tcpdump"),
  async () => {
    const f = frames([...M3UA, ...FORCES], CUT.slice(CUT.indexOf(M3UA_ALL)));
    assert.equal(await compareFramesWithTcpdump(f, DISSECTED_FLAGS), f.length * DISSECTED_FLAGS.length);
  },
);
