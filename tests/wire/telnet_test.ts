/**
 * Telnet (TCP port 23) and RESP (Redis, TCP port 6379) as tcpdump 4.99.3 prints them, over hand-built
 * Ethernet/IPv4 and IPv6 TCP segments: every Telnet command and option name, subnegotiations (plain,
 * AUTHENTICATION, ENCRYPT, unknown options, no SE, a last IAC standing for IAC SE), data before, between and
 * after commands; RESP simple strings, errors, integers, bulk strings (empty, null, binary), arrays (nested,
 * empty, null), inline commands, pipelined messages, invalid, negative and overlong lengths. Each frame is
 * compared whole and cut at every length of its TCP data; with `-x`, whether the dump starts at the frame or
 * at the IP header tells tcpdump's long jumps from its own checks.
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
import { respText, telnetText } from "../../lib/wire/_telnet.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" }, V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const PSH_ACK = TcpFlag.PSH | TcpFlag.ACK;
/** Ethernet + TCP header lengths in front of the data, over IPv4 and over IPv6. */
const HEAD4 = 14 + 20 + 20, HEAD6 = 14 + 40 + 20;

/** A PSH/ACK segment from a client port to `port` (or back, with `reply`) carrying `data`. */
function segment(port: number, data: Uint8Array, o: { reply?: boolean; v6?: boolean } = {}): Uint8Array {
  const ports = o.reply ? { srcPort: port, dstPort: 40000 } : { srcPort: 40000, dstPort: port };
  const a = o.v6 ? V6 : V4;
  const tcp = emitTcp({ ...ports, seq: 1, ack: 1, flags: PSH_ACK }, data, a);
  if (o.v6) return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...a, proto: 6 }, tcp));
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...a, proto: 6 }, tcp));
}
const bytes = (...b: number[]) => new Uint8Array(b);
const telnet = (...parts: (Uint8Array | string)[]) =>
  segment(23, cat(...parts.map((x) => typeof x === "string" ? text(x) : x)));
const resp = (s: string | Uint8Array, reply = false) =>
  segment(6379, typeof s === "string" ? text(s) : s, { reply });

const IAC = 255, SB = 250, SE = 240, WILL = 251, WONT = 252, DO = 253, DONT = 254;
const sb = (opt: number, ...body: number[]) => bytes(IAC, SB, opt, ...body, IAC, SE);

const TELNET_FRAMES: Uint8Array[] = [
  // WILL/WONT/DO/DONT with every named option (0-39), two unnamed ones and 0xff.
  ...Array.from({ length: 11 }, (_, k) => {
    const opts = [0, 1, 2, 3].map((i) => k * 4 + i).filter((x) => x < 42).map((x) => x === 41 ? 0xff : x);
    return telnet(cat(...opts.map((x, i) => bytes(IAC, [WILL, WONT, DO, DONT][i], x))));
  }),
  // Every other command, IAC IAC, a command byte tcpdump does not know (0xeb) ending the walk.
  telnet(bytes(...Array.from({ length: 14 }, (_, k) => [IAC, 236 + k]).flat())),
  telnet(bytes(IAC, IAC, IAC, 241, IAC, 0xeb, IAC, 241)),
  telnet(bytes(IAC, 0x41)),
  // Subnegotiations: SEND, IS with a name, INFO, a qualifier tcpdump does not name, an empty one, unknown
  // options; AUTHENTICATION and ENCRYPT with every command and type name, unnamed ones, one byte only.
  telnet(sb(24, 1), sb(24, 0, ...text("xterm")), sb(39, 2, 0, 1, 3), sb(24, 7)),
  telnet(sb(24), sb(40, 0, 0), sb(0xff, 9)),
  ...[0, 1, 2, 3, 4, 5].map((k) => telnet(...[0, 1, 2].map((i) => sb(37, (k * 3 + i) % 5, k * 3 + i, 1)))),
  telnet(sb(37, 9, 16), sb(37, 2)),
  ...[0, 1, 2, 3, 4].map((k) => telnet(sb(38, k * 2, k * 2), sb(38, k * 2 + 1, k * 2 + 1))),
  telnet(sb(38, 9, 10), sb(38, 5)),
  // IAC inside the body, IAC IAC before SE, SE with no IAC, a second SB before the SE.
  telnet(sb(24, 0, IAC, IAC), bytes(IAC, SB, 24, 0, SE, 0x41, IAC, SE), sb(24, IAC, SB, 1)),
  // Data before, between and after commands; plain data; CR LF.
  telnet("login: "),
  telnet("ab", bytes(IAC, DO, 1)),
  telnet(bytes(IAC, WILL, 1), "ab", bytes(IAC, DO, 1)),
  telnet(bytes(IAC, WILL, 3, IAC, DO, 24), "\r\n"),
  telnet("\r\n\x00"),
  // Malformed: a lone IAC, IAC at the end, IAC SB alone, no option, no SE, a last IAC taken for IAC SE.
  telnet(bytes(IAC)),
  telnet(bytes(IAC, DO, 1, IAC)),
  telnet(bytes(IAC, DO)),
  telnet(bytes(IAC, SB)),
  telnet(bytes(IAC, SB, 24)),
  telnet(bytes(IAC, SB, 24, 0)),
  telnet(bytes(IAC, SB, 24, 0), "xterm"),
  telnet(bytes(IAC, SB, 24, IAC)),
  telnet(bytes(IAC, SB, 24, 0), "vt100", bytes(IAC)),
  telnet(bytes(IAC, WILL, 1, IAC, SB, 37, 0, 1, IAC)),
  // From the server, and over IPv6.
  segment(23, bytes(IAC, DO, 24, IAC, DO, 32, IAC, DO, 35, IAC, DO, 39), { reply: true }),
  segment(23, bytes(IAC, WILL, 1, IAC, SB, 24, 1, IAC, SE), { v6: true }),
];

const RESP_FRAMES: Uint8Array[] = [
  // Simple strings, errors, integers, an empty one, text with control and 8-bit bytes.
  resp("+OK\r\n", true),
  resp("-ERR unknown command 'foo'\r\n", true),
  resp(":1000\r\n", true),
  resp(":-5\r\n+\r\n", true),
  resp(cat(text("+"), bytes(1, 0x7f, 0x80, 0xfe, 0x22), text("\r\n")), true),
  resp("+a\rb\nc\r\n", true),
  // Bulk strings: plain, empty, null, binary, longer than their length, CR LF missing.
  resp("$5\r\nhello\r\n", true),
  resp("$0\r\n\r\n", true),
  resp("$-1\r\n", true),
  resp(cat(text("$4\r\n"), bytes(0, 0x81, 0xff, 0x0a), text("\r\n")), true),
  resp("$3\r\nabcdef\r\n", true),
  resp("$3\r\nabc", true),
  resp("$5\r\nab\r\n", true),
  // Arrays: a command, nested, empty, null, mixed, fewer elements than announced.
  resp("*1\r\n$4\r\nPING\r\n"),
  resp("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"),
  resp("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n+x\r\n", true),
  resp("*0\r\n", true),
  resp("*-1\r\n", true),
  resp("*3\r\n$-1\r\n*0\r\n-E\r\n", true),
  resp("*3\r\n:1\r\n"),
  // Inline commands, pipelining, blank lines.
  resp("PING\r\n"),
  resp("PING\nPING\r\nPING\r\r\n"),
  resp("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
  resp("\r\n\r\n+OK\r\n"),
  resp("set k v"),
  resp("\n"),
  resp(cat(bytes(0x80, 0x01), text(" x\r\n"))),
  // Lengths: not a number, junk after the digits, CR without LF, null but -0/-2/--1, too large, the largest.
  resp("$abc\r\n"),
  resp("$12x\r\n+OK\r\n"),
  resp("$1\rx\r\n"),
  resp("$-0\r\n$-2\r\n*-5\r\n"),
  resp("$--1\r\n"),
  resp("$-\r\n"),
  resp("$2147483648\r\n*99999999999\r\n:0\r\n"),
  resp("$-99999999999\r\n"),
  resp("$2147483647\r\nab\r\n"),
  resp("$214748364\r\n"),
  resp("*-1\r\n*-1"),
  // Whole segments that end too early: a type byte alone, a length without CR LF, a line without CR LF.
  resp("*"),
  resp("$1\r"),
  resp("+OK"),
  resp("+OK\n"),
  resp("PING"),
  segment(6379, text("*1\r\n$4\r\nPING\r\n"), { v6: true }),
];

/** Every frame whole, then cut at every length of its TCP data (headers whole). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    const head = f[12] === 0x86 ? HEAD6 : HEAD4;
    for (let n = head; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-vv", "-X"]];

const line = (f: Uint8Array, verbosity = 0) =>
  summarize(new PacketDecoder().decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
/** The text after `length N` of a frame's line. */
const after = (f: Uint8Array, verbosity = 0) => line(f, verbosity).replace(/^.* length \d+/s, "");

Deno.test("golden: Telnet commands as tcpdump prints them", () => {
  assert.equal(
    line(segment(23, bytes(IAC, DO, 24, IAC, DO, 32))),
    "IP 10.0.0.1.40000 > 10.0.0.2.23: Flags [P.], seq 1:7, ack 1, win 65535, length 6 " +
      "[telnet DO TERMINAL TYPE, DO TSPEED]",
  );
  assert.equal(after(TELNET_FRAMES[0]), " [telnet WILL BINARY, WONT ECHO, DO RCP, DONT SUPPRESS GO AHEAD]");
  assert.equal(after(TELNET_FRAMES[10]), " [telnet WILL 0x28, WONT 0xff]");
  assert.equal(
    after(TELNET_FRAMES[11]),
    " [telnet EOF, SUSP, ABORT, EOR, SE, NOP, DMARK, BRK, IP, AO, AYT, EC, EL, GA]",
  );
  assert.equal(after(telnet(bytes(IAC, IAC, IAC, 241, IAC, 0xeb, IAC, 241))), " [telnet IAC IAC, NOP]");
  assert.equal(
    after(telnet(sb(24, 1), sb(24, 0, ...text("xt")), sb(39, 2, 0, 1), sb(24, 7))),
    " [telnet SB TERMINAL TYPE SEND SE, SB TERMINAL TYPE IS 0x78 0x74 SE, SB NEW-ENVIRON INFO 0 0x1 SE," +
      " SB TERMINAL TYPE 0x7 SE]",
  );
  assert.equal(
    after(telnet(sb(37, 0, 1, 2), sb(37, 9, 8), sb(38, 1, 3), sb(38, 7, 5), sb(38, 0))),
    " [telnet SB AUTHENTICATION IS KERBEROS_V4 0x2 SE, SB AUTHENTICATION 0x9 0x8 SE," +
      " SB ENCRYPT SUPPORT DES3_CFB64 SE, SB ENCRYPT END_KEYID 0x5 SE, SB ENCRYPT IS SE]",
  );
  // Data ends the walk: nothing for plain text, at any verbosity.
  assert.equal(after(telnet("login: "), 2), "");
  assert.equal(after(telnet("ab", bytes(IAC, DO, 1))), "");
  assert.equal(after(telnet(bytes(IAC, WILL, 1), "ab", bytes(IAC, DO, 1)), 1), " [telnet WILL ECHO]");
  // No SE: nothing; a last IAC stands for IAC SE, and tcpdump then runs past the data.
  assert.equal(after(telnet(bytes(IAC, SB, 24, 0), "xterm")), "");
  assert.equal(
    after(telnet(bytes(IAC, SB, 24, 0), "vt", bytes(IAC))),
    " [telnet SB TERMINAL TYPE IS 0x76 0x74 SE [|telnet]",
  );
  assert.equal(after(telnet(bytes(IAC, SB, 24))), " [|telnet]");
  assert.equal(after(telnet(bytes(IAC, DO, 1, IAC))), " [telnet DO ECHO]");
  assert.equal(
    line(segment(23, bytes(IAC, WILL, 1), { v6: true })),
    "IP6 2001:db8::1.40000 > 2001:db8::2.23: Flags [P.], seq 1:4, ack 1, win 65535, length 3 [telnet WILL ECHO]",
  );
});

Deno.test("golden: RESP messages as tcpdump prints them", () => {
  assert.equal(
    line(resp("*1\r\n$4\r\nPING\r\n")),
    'IP 10.0.0.1.40000 > 10.0.0.2.6379: Flags [P.], seq 1:15, ack 1, win 65535, length 14: RESP "PING"',
  );
  assert.equal(after(resp("+OK\r\n-ERR x\r\n:12\r\n", true)), ': RESP "OK" "ERR x" "12"');
  assert.equal(after(resp("$0\r\n\r\n$-1\r\n*0\r\n*-1\r\n", true)), ": RESP empty null empty null");
  assert.equal(
    after(resp(cat(text("$3\r\n"), bytes(0, 0x81, 0x7f), text("\r\n")), true)),
    ': RESP "^@M-^A^?"',
  );
  assert.equal(after(resp("*2\r\n*1\r\n:1\r\n$3\r\nfoo\r\n"), 2), ': RESP "1" "foo"');
  assert.equal(after(resp("PING\r\nPING\nPING\r\r\n")), ': RESP "PING" "PING" "PING"');
  assert.equal(after(resp("$abc\r\n")), ': RESP invalid "bc"');
  assert.equal(after(resp("$12x\r\n")), ": RESP invalid [|resp]");
  assert.equal(after(resp("$-2\r\n$2147483648\r\n")), ": RESP length negative and not -1 length too large");
  assert.equal(after(resp("$2147483647\r\nab\r\n")), ": RESP [|resp]");
  assert.equal(after(resp("*3\r\n:1\r\n")), ': RESP "1" [|resp]');
  assert.equal(after(resp("set k v")), ": RESP [|resp]");
  assert.equal(after(resp("+OK\n")), ": RESP [|resp]");
  assert.equal(after(resp("\r\n+OK\r\n")), ': RESP "+OK"');
});

Deno.test("telnetText and respText: reads past the capture are long jumps, tcpdump's own checks are not", () => {
  const c = { verbosity: 0 };
  const cmds = bytes(IAC, DO, 24, IAC, SB, 24, 1, IAC, SE);
  assert.deepEqual(telnetText(cmds.subarray(0, 0), 9, c), { text: " [|telnet]", jump: true });
  assert.deepEqual(telnetText(cmds.subarray(0, 5), 9, c), {
    text: " [telnet DO TERMINAL TYPE [|telnet]",
    jump: true,
  });
  assert.deepEqual(telnetText(bytes(IAC, DO), 2, c), { text: "", jump: false });
  assert.deepEqual(telnetText(bytes(IAC, SB, 24, IAC), 4, c), {
    text: " [telnet SB TERMINAL TYPE SE [|telnet]",
    jump: true,
  });
  const msg = text("*2\r\n$3\r\nGET\r\n+OK\r\n");
  assert.deepEqual(respText(msg.subarray(0, 0), msg.length, c), { text: ": RESP [|resp]", jump: true });
  // A bulk string's bytes and a CR LF are checked before they are read; a length's digits are not.
  assert.deepEqual(respText(msg.subarray(0, 9), msg.length, c), { text: ": RESP [|resp]", jump: false });
  assert.deepEqual(respText(msg.subarray(0, 14), msg.length, c), {
    text: ': RESP "GET" [|resp]',
    jump: false,
  });
  assert.deepEqual(respText(msg.subarray(0, 6), msg.length, c), { text: ": RESP [|resp]", jump: true });
  assert.deepEqual(respText(text("PI"), 6, c), { text: ": RESP [|resp]", jump: true });
  // No input throws, whole or cut, at any verbosity.
  for (const f of [...TELNET_FRAMES, ...RESP_FRAMES]) {
    const head = f[12] === 0x86 ? HEAD6 : HEAD4, data = f.subarray(head);
    for (let n = 0; n <= data.length; n++) {
      for (const verbosity of [0, 1, 2]) {
        assert.equal(typeof telnetText(data.subarray(0, n), data.length, { verbosity }).text, "string");
        assert.equal(typeof respText(data.subarray(0, n), data.length, { verbosity }).text, "string");
      }
    }
  }
});

testIf(
  "Telnet and RESP segments print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts([...TELNET_FRAMES, ...RESP_FRAMES]);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "Telnet and RESP with -x/-X: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts([...TELNET_FRAMES, ...RESP_FRAMES]);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
