/**
 * PPP's control and authentication protocols (LCP, IPCP, IP6CP, CCP, BACP, OSICP, MPLSCP, PAP, CHAP) as
 * tcpdump 4.99.3 prints them (print-ppp.c), carried in PPPoE session frames and in PPP captures (link type
 * 9): golden lines, then tcpdump itself over hand-built packets (every code, every option tcpdump names,
 * good and bogus lengths, unknown options, Length fields too short and too long, trailing padding) whole and
 * cut at every length, and over seeded random packets, with `-e`, `-v`, `-vv` and `-x`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { pppCtrlText } from "../../lib/wire/_ppp_ctrl.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitPppoe } from "../../lib/wire/pppoe.ts";
import { emitPpp } from "../../lib/wire/ppp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex } from "../_bytes.ts";

const LCP = 0xc021, IPCP = 0x8021, IP6CP = 0x8057, CCP = 0x80fd, BACP = 0xc02b, PAP = 0xc023, CHAP = 0xc223;
const OSICP = 0x8023, MPLSCP = 0x8281;
const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };

/** A PPPoE session frame carrying `body` as PPP protocol `protocol`, then `pad` bytes of Ethernet trailer. */
const pppoe = (protocol: number, body: Uint8Array, pad = 0) =>
  emitEthernet(
    { ...MAC, ethertype: 0x8864 },
    cat(
      emitPppoe({ session: 1 }, cat(new Uint8Array([protocol >> 8, protocol & 0xff]), body)),
      new Uint8Array(pad).fill(0xee),
    ),
  );
const ppp = (protocol: number, body: Uint8Array) => emitPpp({ protocol }, body);

/** A control packet (RFC 1661 section 5): code, identifier, Length (the packet's own unless given), data. */
const cp = (code: number, id: number, data: string, len?: number) => {
  const d = hex(data);
  const n = len ?? d.length + 4;
  return cat(new Uint8Array([code, id, n >> 8, n & 0xff]), d);
};

const OUIS = [
  "000000 00000c 00005e 000081 0000f8 0080c2 00a03e 00e02f 080007 009069 080009 00120f 0012bb 001b21",
  "002320 5c16c7 b0d2f5 002481 0004ea 748771 a42305 00049f 0015ad 001018 00e004 d0f0db 1c98ec",
].join(" ").split(" ");

/** Protocol, packet. Options are written one per string. */
const CASES: [number, Uint8Array][] = [
  // LCP: every option tcpdump prints a value for, and every name it has.
  [LCP, cp(1, 1, ["0104 05d4", "0206 000a0000", "0506 1234abcd", "0702", "0802"].join(""))],
  [LCP, cp(2, 2, ["0304 c023", "0404 c025", "0408 1234 0000 0001"].join(""))],
  [
    LCP,
    cp(3, 3, ["0305 c22305", "0305 c22380", "0305 c22381", "0305 c22307", "0304 c227", "0304 c027"].join("")),
  ],
  [LCP, cp(3, 3, ["0304 c123", "0306 1234 abcd", "0304 c223"].join(""))],
  [
    LCP,
    cp(4, 4, ["0006 00000c01", "0008 009069 0102", "0006 123456 00", "0602", "0903 01", "0a03 00"].join("")),
  ],
  [
    LCP,
    cp(
      4,
      4,
      ["0b04 0102", "0c02", "0e02", "0f02", "1002", "1202", "1404 aabb", "1503 01", "1603 02"].join(""),
    ),
  ],
  [
    LCP,
    cp(
      1,
      5,
      ["0d03 00", "0d03 01", "0d05 02 6162", "0d03 03", "0d03 04", "0d03 05", "0d03 06", "0d03 07"].join(""),
    ),
  ],
  [LCP, cp(1, 6, ["1104 05dc", "1303 00", "1303 01", "1307 02 0a000001", "1309 03 001122334455"].join(""))],
  [LCP, cp(1, 6, ["1306 04 01020304", "1304 05 01", "1303 09", "1704 0102", "1803 00", "1903 00"].join(""))],
  [LCP, cp(1, 7, ["1a02", "1b02", "1c05 000000", "1d02", "1e02", "1f02", "2003 01", "ff04 0102"].join(""))],
  // Every OUI tcpdump names (0x0080c2 twice: the first name wins), and one it does not.
  [LCP, cp(1, 8, OUIS.map((oui) => `0006 ${oui} 00`).join(""))],
  // LCP: bogus lengths that go on to the next option, and those that end the list.
  [LCP, cp(1, 9, ["0103 05", "0205 01020304", "0304", "0005 000000", "0502", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["0507 0102030405", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["0403 00", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["1705 000000", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["1105 000000", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["0d02", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["1302", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["1306 02 0a0000", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["130a 03 001122334455 00", "0104 0001"].join(""))],
  [LCP, cp(1, 9, ["0100", "0104 0001"].join(""))],
  [LCP, cp(1, 9, "0101")],
  [LCP, cp(1, 9, ["2000", "0104 0001"].join(""))],
  [LCP, cp(1, 9, "2001")],
  [LCP, cp(1, 9, ["0104 05d4", "0108 05d4"].join(""))], // past the remaining options
  [LCP, cp(1, 9, ["0104 05d4", "0120 05d4"].join(""))], // past the packet
  [LCP, cp(1, 9, ["0104 05d4", "01"].join(""))], // half an option header
  // LCP: every other code.
  [LCP, cp(0, 1, "1234abcd 00000c 010203")],
  [LCP, cp(0, 1, "1234abcd 009069")],
  [LCP, cp(0, 1, "1234abcd 0000")],
  [LCP, cp(5, 1, "")],
  [LCP, cp(5, 1, "6869")],
  [LCP, cp(6, 1, "00")],
  [LCP, cp(7, 1, "0101 0004")],
  [LCP, cp(8, 1, "c023")],
  [LCP, cp(8, 1, "8021 0101 0004")],
  [LCP, cp(8, 1, "1234 0102 0304 0506 0708 090a 0b0c 0d0e 0f10 1112")],
  [LCP, cp(8, 1, "12")],
  [LCP, cp(9, 1, "1234abcd")],
  [LCP, cp(9, 1, "1234abcd 414243")],
  [LCP, cp(10, 1, "1234abcd 00112233445566778899aabbccddeeff00")],
  [LCP, cp(9, 1, "1234")],
  [LCP, cp(11, 1, "1234abcd 00")],
  [LCP, cp(12, 1, "1234abcd 68656c6c6f 7f 80 01")],
  [LCP, cp(12, 1, "1234abcd")],
  [LCP, cp(12, 1, "12")],
  [LCP, cp(13, 1, "1234abcd 00000e10")],
  [LCP, cp(13, 1, "1234abcd 00000e10 6869")],
  [LCP, cp(13, 1, "1234abcd 0000")],
  [LCP, cp(14, 1, "0102")],
  [LCP, cp(15, 1, "0102 0304 0506 0708 090a 0b0c 0d0e 0f10 11")],
  [LCP, cp(16, 1, "00")],
  [LCP, cp(255, 1, "0001")],
  // LCP: Length fields and payloads too short or too long.
  [LCP, cp(1, 1, "")],
  [LCP, cp(1, 1, "", 3)],
  [LCP, cp(1, 1, "0104", 0)],
  [LCP, cp(1, 1, "0104 05d4", 9)],
  [LCP, cp(1, 1, "0104 05d4", 7)],
  [LCP, cp(1, 1, "0104 05d4 0000 0000", 8)],
  [LCP, hex("0101")],
  [LCP, hex("01")],
  [LCP, hex("")],
  [LCP, hex("010200")],
  // IPCP: addresses, DNS and NBNS servers, compression (VJ, and RFC 3544's with its suboptions).
  [
    IPCP,
    cp(1, 1, ["0306 0a000001", "8106 08080808", "8206 0a000002", "8306 08080404", "8406 0a000003"].join("")),
  ],
  [
    IPCP,
    cp(
      1,
      1,
      ["0406 c0a80001", "010a 0a000001 0a000002", "0204 002d", "0206 002d 0f01", "0204 1234"].join(""),
    ),
  ],
  [IPCP, cp(1, 1, "020e 0061 0010 0020 0030 0040 0050")],
  [IPCP, cp(1, 1, "0214 0061 0010 0020 0030 0040 0050 0102 0204")],
  [IPCP, cp(1, 1, "0216 0061 0010 0020 0030 0040 0050 0103 00 0304 0000 01")],
  [IPCP, cp(1, 1, "0214 0061 0010 0020 0030 0040 0050 0108 0000")],
  [IPCP, cp(1, 1, "0214 0061 0010 0020 0030 0040 0050 0002 0102")],
  [IPCP, cp(1, 1, "0213 0061 0010 0020 0030 0040 0050 010102")],
  [IPCP, cp(1, 1, "020c 0061 0010 0020 0030 0040")],
  [IPCP, cp(1, 1, ["0203 00", "0306 0a000001"].join(""))],
  [IPCP, cp(1, 1, ["0305 0a0000", "0306 0a000001"].join(""))],
  [IPCP, cp(1, 1, ["0109 0a000001 0a0000", "0306 0a000001"].join(""))],
  [IPCP, cp(1, 1, ["0502", "0603 00", "ff04 0102", "0100", "0306 0a000001"].join(""))],
  [IPCP, cp(2, 1, "0306 0a000001")],
  [IPCP, cp(5, 1, "")],
  [IPCP, cp(14, 1, "00")],
  // IP6CP, CCP, BACP, and the two control protocols without option printers.
  [IP6CP, cp(1, 1, ["010a 0011 2233 4455 6677", "0204 0102", "0100"].join(""))],
  [IP6CP, cp(1, 1, ["0109 0011 2233 4455 66", "010a 0011 2233 4455 6677"].join(""))],
  [
    CCP,
    cp(1, 1, ["1503 2c", "1502", "1804 a5 03", "1803 00", "1a04 78 01", "1a04 7f 07", "1a03 00"].join("")),
  ],
  [CCP, cp(1, 1, ["1206 0100 0001", "1106 0001 0000 03", "0006 00000c 0102", "ff02", "0100"].join(""))],
  [CCP, cp(14, 1, "")],
  [CCP, cp(15, 1, "01")],
  [BACP, cp(1, 1, ["0106 1234abcd", "0105 123456", "0203 00"].join(""))],
  [BACP, cp(1, 1, "0100")],
  [OSICP, cp(1, 1, "0104 05d4")],
  [MPLSCP, cp(1, 1, "")],
  [MPLSCP, cp(9, 1, "1234abcd")],
  // PAP: requests, acks, naks, strings that do not fit, Length fields that do not fit.
  [PAP, cp(1, 1, "03 616263 03 646566")],
  [PAP, cp(1, 2, "00 00")],
  [PAP, cp(1, 3, "05 61 01 7f 80 ff 02 0a 0d")],
  [PAP, cp(1, 4, "03 6162")],
  [PAP, cp(1, 4, "03 616263")],
  [PAP, cp(1, 4, "03 616263 05 64")],
  [PAP, cp(1, 4, "01")],
  [PAP, cp(1, 4, "")],
  [PAP, cp(2, 5, "05 68656c6c6f")],
  [PAP, cp(3, 6, "00")],
  [PAP, cp(3, 6, "")],
  [PAP, cp(3, 6, "09 6869")],
  [PAP, cp(4, 7, "0102")],
  [PAP, cp(1, 1, "03 616263 03 646566", 40)],
  [PAP, cp(1, 1, "03 616263 03 646566", 3)],
  [PAP, cp(1, 1, "03 616263 03 646566", 12)],
  [PAP, hex("0101")],
  [PAP, hex("01")],
  [PAP, hex("")],
  // CHAP: challenge, response, success, failure, an unknown code, values and names that do not fit.
  [CHAP, cp(1, 1, "10 00112233445566778899aabbccddeeff 726f75746572")],
  [CHAP, cp(2, 1, "10 00112233445566778899aabbccddeeff 75736572")],
  [CHAP, cp(2, 1, "31 " + "ab".repeat(49) + " 75736572")],
  [CHAP, cp(3, 1, "57656c636f6d65")],
  [CHAP, cp(4, 1, "4661696c 0a 00")],
  [CHAP, cp(3, 1, "")],
  [CHAP, cp(5, 1, "0102")],
  [CHAP, cp(1, 1, "")],
  [CHAP, cp(1, 1, "08 0011")],
  [CHAP, cp(1, 1, "10 00112233445566778899aabbccddeeff 6e", 18)],
  [CHAP, cp(1, 1, "02 0011 6e616d65", 40)],
  [CHAP, cp(3, 1, "6869", 2)],
  [CHAP, cp(3, 1, "6869", 40)],
  [CHAP, hex("0101")],
  [CHAP, hex("01")],
  [CHAP, hex("")],
];

// Each packet alone in a PPPoE frame, and again with an Ethernet trailer (tcpdump reads into it where a
// length inside says so); and alone in a PPP frame.
const PPPOE_FRAMES = CASES.flatMap(([p, body]) => [pppoe(p, body), pppoe(p, body, 10)]);
const PPP_FRAMES = CASES.map(([p, body]) => ppp(p, body));

/** Whole frames, then each cut at every length from `from` on. */
function withCuts(frames: Uint8Array[], from: number): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = from; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-e"], ["-v"], ["-vv"], ["-e", "-v"], ["-e", "-vv"]];
const DUMP_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-X"], ["-e", "-vv", "-x"]];

/** Seeded random control, PAP and CHAP packets: plausible options with lengths good and bad. */
function randomPackets(seed: number, count: number): [number, Uint8Array][] {
  const rng = new Rng(seed);
  const r = (n: number) => rng.int(n);
  const options: Record<number, number[]> = {
    [LCP]: [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 17, 19, 23, 24, 30, 31, 200],
    [IPCP]: [0, 1, 2, 3, 4, 5, 129, 130, 131, 132],
    [IP6CP]: [0, 1, 2],
    [CCP]: [0, 4, 18, 21, 24, 26, 255],
    [BACP]: [0, 1, 2],
  };
  const protocols = [LCP, IPCP, IP6CP, CCP, BACP, OSICP, PAP, CHAP];
  const FAVOURITES = [0, 1, 2, 3, 5, 0x61, 0x80, 0xc0, 0xc2, 0x23, 0x25, 0x2d, 0xff];
  const bytes = (n: number) =>
    Array.from({ length: n }, () => r(4) === 0 ? FAVOURITES[r(FAVOURITES.length)] : r(256));
  const option = (protocol: number) => {
    const type = options[protocol][r(options[protocol].length)];
    const len = r(10) === 0 ? r(3) : [2, 3, 4, 5, 6, 7, 9, 10, 14, 16, 20][r(11)];
    const data = bytes(Math.max(0, len - 2));
    if (protocol === LCP && type === 3 && data.length >= 2 && r(2)) {
      data.splice(0, 2, 0xc2, [0x23, 0x27][r(2)]);
    }
    if (protocol === LCP && type === 19 && data.length >= 1) data[0] = r(8);
    if (protocol === IPCP && type === 2 && data.length >= 2) data.splice(0, 2, 0, [0x61, 0x2d][r(2)]);
    return [type, len, ...data];
  };
  const out: [number, Uint8Array][] = [];
  for (let i = 0; i < count; i++) {
    const protocol = protocols[r(protocols.length)];
    const auth = protocol === PAP || protocol === CHAP;
    const code = auth ? r(6) : r(3) ? 1 + r(4) : r(17);
    const data: number[] = [];
    if (auth) {
      for (let k = r(3); k > 0; k--) {
        const n = r(8);
        data.push(n, ...bytes(r(3) ? n : r(10)));
      }
    } else if (code >= 1 && code <= 4 && options[protocol]) {
      for (let k = r(5); k > 0; k--) data.push(...option(protocol));
    } else {
      data.push(...bytes(r(20)));
    }
    let len = data.length + 4;
    if (r(5) === 0) len = Math.max(0, len + r(9) - 4);
    if (r(20) === 0) len = r(300);
    out.push([protocol, new Uint8Array([code, r(256), len >> 8, len & 0xff, ...data])]);
  }
  return out;
}

Deno.test("golden: LCP's line, its -v options and -vv dumps, as tcpdump prints them", () => {
  const conf = cp(1, 1, "0104 05d4 0506 1234abcd");
  assert.deepEqual(pppCtrlText(LCP, conf, 14, 0), {
    text: "LCP, Conf-Request (0x01), id 1, length 16",
    jump: false,
  });
  assert.equal(
    pppCtrlText(LCP, conf, 14, 1)?.text,
    "LCP, Conf-Request (0x01), id 1, length 16\n\tencoded length 14 (=Option(s) length 10)" +
      "\n\t  MRU Option (0x01), length 4: 1492\n\t  Magic-Num Option (0x05), length 6: 0x1234abcd",
  );
  assert.equal(
    pppCtrlText(LCP, conf, 14, 2)?.text,
    "LCP, Conf-Request (0x01), id 1, length 16\n\tencoded length 14 (=Option(s) length 10)" +
      "\n\t0x0000:  c021 0101 000e" +
      "\n\t  MRU Option (0x01), length 4: 1492\n\t    0x0000:  05d4" +
      "\n\t  Magic-Num Option (0x05), length 6: 0x1234abcd\n\t    0x0000:  1234 abcd",
  );
  // The line's length is the payload's on the wire plus 2, whatever the Length field says.
  assert.equal(
    pppCtrlText(LCP, conf, 20, 1)?.text,
    "LCP, Conf-Request (0x01), id 1, length 22\n\tencoded length 14 (=Option(s) length 10)" +
      "\n\t  MRU Option (0x01), length 4: 1492\n\t  Magic-Num Option (0x05), length 6: 0x1234abcd",
  );
  assert.equal(
    pppCtrlText(LCP, cp(1, 1, "0104 05d4 0506 1234abcd", 16), 14, 1)?.text,
    "LCP, Conf-Request (0x01), id 1, length 16\n\tencoded length 16 (> packet length 14))",
  );
  assert.equal(
    pppCtrlText(LCP, cp(9, 2, "1234abcd"), 8, 1)?.text,
    "LCP, Echo-Request (0x09), id 2, length 10\n\tencoded length 8 (=Option(s) length 4)\n\t  Magic-Num 0x1234abcd",
  );
  assert.equal(
    pppCtrlText(LCP, cp(8, 5, "8021 0101 0004"), 10, 1)?.text,
    "LCP, Prot-Reject (0x08), id 5, length 12\n\tencoded length 10 (=Option(s) length 6)" +
      "\n\t  Rejected IPCP Protocol (0x8021)\n\t  Rejected Packet\n\t    0x0000:  0101 0004",
  );
  assert.equal(
    pppCtrlText(LCP, cp(4, 5, "0d03 06 1102"), 9, 1)?.text,
    "LCP, Conf-Reject (0x04), id 5, length 11\n\tencoded length 9 (=Option(s) length 5)" +
      "\n\t  Call-Back Option (0x0d), length 3: : Callback Operation CBCP (6)" +
      "\n\t  MRRU Option (0x11), length 2 (length bogus, should be = 4)",
  );
  assert.equal(
    pppCtrlText(LCP, cp(1, 1, "0104 05d4 0108 05d4"), 12, 1)?.text,
    "LCP, Conf-Request (0x01), id 1, length 14\n\tencoded length 12 (=Option(s) length 8)" +
      "\n\t  MRU Option (0x01), length 4: 1492" +
      "\n\t  MRU Option (0x01), length 8 (length bogus, should be = 4) [remaining options length 4 < 8] (invalid)",
  );
});

Deno.test("golden: IPCP, IP6CP, CCP, BACP, PAP and CHAP", () => {
  const v = (protocol: number, b: Uint8Array, verbosity = 1) =>
    pppCtrlText(protocol, b, b.length, verbosity)?.text.split("\n\t").slice(2).join(" | ");
  assert.equal(
    v(IPCP, cp(1, 1, "0306 0a000001 8106 08080808 8306 08080404")),
    "  IP-Addr Option (0x03), length 6: 10.0.0.1 |   Pri-DNS Option (0x81), length 6: 8.8.8.8 | " +
      "  Sec-DNS Option (0x83), length 6: 8.8.4.4",
  );
  assert.equal(
    v(IPCP, cp(1, 1, "0214 0061 0010 0020 0030 0040 0050 0102 0204")),
    "  IP-Comp Option (0x02), length 20: IP Header Compression (0x61): | " +
      "    TCP Space 16, non-TCP Space 32, maxPeriod 48, maxTime 64, maxHdr 80 | " +
      "      Suboptions, length 6 | \tRTP-Compression Suboption #1, length 2 | " +
      "\tEnhanced RTP-Compression Suboption #2, length 4 [remaining options length 18 < 20] (invalid)",
  );
  assert.equal(
    v(IP6CP, cp(1, 1, "010a 0011 2233 4455 6677")),
    "  Interface-ID Option (0x01), length 10: 0011:2233:4455:6677",
  );
  assert.equal(
    v(CCP, cp(1, 1, "1a04 78 01 1503 2c")),
    "  Deflate Option (0x1a), length 4: Window: 7K, Method: zlib (0x8), MBZ: 0, CHK: 1 | " +
      "  BSD-Comp Option (0x15), length 3: Version: 1, Dictionary Bits: 12",
  );
  assert.equal(
    v(BACP, cp(1, 1, "0106 1234abcd")),
    "  Favored-Peer Option (0x01), length 6: Magic-Num 0x1234abcd",
  );
  const pap = cp(1, 1, "03 616263 03 646566");
  assert.deepEqual(pppCtrlText(PAP, pap, pap.length, 0), {
    text: "PAP, Auth-Req (0x01), id 1, Peer abc, Name def",
    jump: false,
  });
  assert.equal(pppCtrlText(PAP, cp(2, 5, "02 6869"), 7, 0)?.text, "PAP, Auth-ACK (0x02), id 5, Msg hi");
  assert.equal(pppCtrlText(PAP, pap, 4, 0)?.text, "PAP, Auth-Req (0x01), id 1, length 12 > packet size");
  const chap = cp(1, 1, "10 00112233445566778899aabbccddeeff");
  assert.equal(
    pppCtrlText(CHAP, chap, chap.length, 0)?.text,
    "CHAP, Challenge (0x01), id 1, Value 00112233445566778899aabbccddeeff, Name ",
  );
  assert.equal(
    pppCtrlText(CHAP, cp(4, 9, "6e6f 01 80"), 8, 0)?.text,
    "CHAP, Fail (0x04), id 9, Msg no^AM-^@",
  );
  // A name whose Length field is short of the value: tcpdump's count wraps and it reads to the captured end.
  assert.deepEqual(pppCtrlText(CHAP, cp(3, 1, "6869", 2), 6, 0), {
    text: "CHAP, Success (0x03), id 1, Msg hi [|ppp]",
    jump: true,
  });
});

Deno.test("golden: where tcpdump stops by its own checks, and where by a long jump", () => {
  const conf = cp(1, 1, "0104 05d4 0506 1234abcd");
  // A payload shorter than 4 or a header not captured: its own mark, no jump.
  assert.deepEqual(pppCtrlText(LCP, conf.subarray(0, 1), 14, 1), { text: "LCP, [|LCP]", jump: false });
  assert.deepEqual(pppCtrlText(IPCP, conf, 3, 0), { text: "IPCP, [|IPCP]", jump: false });
  // Without -v the Length field is never read.
  assert.deepEqual(pppCtrlText(LCP, conf.subarray(0, 2), 14, 0), {
    text: "LCP, Conf-Request (0x01), id 1, length 16",
    jump: false,
  });
  assert.deepEqual(pppCtrlText(LCP, conf.subarray(0, 3), 14, 1), {
    text: "LCP, Conf-Request (0x01), id 1, length 16 [|ppp]",
    jump: true,
  });
  assert.equal(pppCtrlText(LCP, conf.subarray(0, 3), 14, 1, "ppp_hdlc")?.text.endsWith(" [|ppp_hdlc]"), true);
  // An option header not captured: the option printer's mark, the list ends, no jump.
  assert.deepEqual(pppCtrlText(LCP, conf.subarray(0, 9), 14, 2), {
    text: "LCP, Conf-Request (0x01), id 1, length 16\n\tencoded length 14 (=Option(s) length 10)" +
      "\n\t0x0000:  c021 0101 000e\n\t  MRU Option (0x01), length 4: 1492\n\t    0x0000:  05d4[|lcp]",
    jump: false,
  });
  // An option's value not captured: a jump.
  assert.deepEqual(pppCtrlText(LCP, conf.subarray(0, 12), 14, 1), {
    text: "LCP, Conf-Request (0x01), id 1, length 16\n\tencoded length 14 (=Option(s) length 10)" +
      "\n\t  MRU Option (0x01), length 4: 1492\n\t  Magic-Num Option (0x05), length 6 [|ppp]",
    jump: true,
  });
  assert.deepEqual(pppCtrlText(PAP, hex("01"), 2, 0), { text: "[|pap 0x01]", jump: false });
  assert.deepEqual(pppCtrlText(CHAP, new Uint8Array(0), 2, 0), { text: " [|ppp]", jump: true });
  for (const p of [0x0021, 0x0057, 0xc025, 0xc02d, 0xc227, 0x1234]) {
    assert.equal(pppCtrlText(p, conf, 14, 1), null);
  }
});

Deno.test("summarize: the packets in PPPoE and PPP frames, whole and cut at every length, never throw", () => {
  const d = new PacketDecoder();
  assert.equal(
    summarize(d.decode(PPPOE_FRAMES[0], 1)),
    "PPPoE  [ses 0x1] LCP, Conf-Request (0x01), id 1, length 26",
  );
  assert.equal(
    summarize(d.decode(ppp(PAP, cp(1, 1, "03 616263 03 646566")), 9), { link: true }),
    "PAP (0xc023), length 16: PAP, Auth-Req (0x01), id 1, Peer abc, Name def",
  );
  assert.equal(
    summarize(d.decode(ppp(LCP, cp(9, 2, "1234abcd")), 9), { verbose: true, verbosity: 1 }),
    "LCP, Echo-Request (0x09), id 2, length 10\n\tencoded length 8 (=Option(s) length 4)\n\t  Magic-Num 0x1234abcd",
  );
  const random = randomPackets(7, 300);
  const all: [Uint8Array, number][] = [
    ...PPPOE_FRAMES.map((f) => [f, 1] as [Uint8Array, number]),
    ...PPP_FRAMES.map((f) => [f, 9] as [Uint8Array, number]),
    ...random.map(([p, b]) => [pppoe(p, b, 4), 1] as [Uint8Array, number]),
  ];
  for (const [f, linktype] of all) {
    for (let n = 1; n <= f.length; n++) {
      for (const verbosity of [0, 1, 2]) {
        const s = summarize(d.decode(f.subarray(0, n), linktype), { verbose: verbosity > 0, verbosity });
        assert.equal(typeof s, "string");
      }
    }
  }
});

testIf(
  "PPPoE: the packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(PPPOE_FRAMES, 14);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS, 1), frames.length * FLAGS.length);
  },
);

testIf(
  "PPPoE: -x and -X dump from PPPoE's header, or the whole frame where tcpdump's printer jumped out",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(PPPOE_FRAMES.filter((_, i) => i % 2 === 0), 20);
    assert.equal(await compareFramesWithTcpdump(frames, DUMP_FLAGS, 1), frames.length * DUMP_FLAGS.length);
  },
);

testIf(
  "PPP (link type 9): the packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(PPP_FRAMES, 1);
    const flags = [...FLAGS, ...DUMP_FLAGS];
    assert.equal(await compareFramesWithTcpdump(frames, flags, 9), frames.length * flags.length);
  },
);

testIf(
  "seeded random packets print as tcpdump prints them, in PPPoE (with trailers and cuts) and PPP",
  needCommands("tcpdump"),
  async () => {
    const rng = new Rng(1661);
    const packets = randomPackets(1994, 1500);
    const inPppoe: Frame[] = packets.map(([p, b]) => {
      const data = pppoe(p, b, rng.int(3) ? 0 : rng.int(20));
      return rng.int(3)
        ? { data }
        : { data: data.slice(0, 20 + rng.int(data.length - 19)), len: data.length };
    });
    const inPpp: Frame[] = packets.map(([p, b]) => {
      const data = ppp(p, b);
      return rng.int(3) ? { data } : { data: data.slice(0, 1 + rng.int(data.length)), len: data.length };
    });
    const flags = [[], ["-v"], ["-vv"], ["-e", "-v"]];
    assert.equal(await compareFramesWithTcpdump(inPppoe, flags, 1), inPppoe.length * flags.length);
    assert.equal(await compareFramesWithTcpdump(inPpp, flags, 9), inPpp.length * flags.length);
    assert.equal(await compareFramesWithTcpdump(inPppoe, [["-vv", "-x"]], 1), inPppoe.length);
  },
);
