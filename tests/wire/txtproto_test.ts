/**
 * The text protocols tcpdump 4.99 prints line by line (FTP, SMTP, WHOIS, RTSP over TCP; SIP over UDP; HTTP
 * shares the code and has its own tests in verbose_test.ts), the SSH identification string, ESP's SPI and
 * sequence number, and the order in which tcpdump picks a TCP application by port: hand-built segments
 * whole and cut at every length, compared with tcpdump's text at each verbosity and with `-x`.
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
import { emitUdp } from "../../lib/wire/udp.ts";
import { FTP, RTSP, SIP, textProtocolText } from "../../lib/wire/_txtproto.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { hex, text } from "../_bytes.ts";

const A = { src: "10.0.0.1", dst: "10.0.0.2" };
const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const PA = TcpFlag.PSH | TcpFlag.ACK;

/** An Ethernet + IPv4 + TCP segment between these ports carrying `data`. */
function tcp4(sp: number, dp: number, data: Uint8Array, flags = PA): Uint8Array {
  const seg = emitTcp({ srcPort: sp, dstPort: dp, seq: 1000, ack: 2000, flags, window: 512 }, data, A);
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto: 6 }, seg));
}

function tcp6(sp: number, dp: number, data: Uint8Array): Uint8Array {
  const seg = emitTcp({ srcPort: sp, dstPort: dp, seq: 7, ack: 9, flags: PA, window: 512 }, data, A6);
  return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...A6, proto: 6 }, seg));
}

function udp4(sp: number, dp: number, data: Uint8Array): Uint8Array {
  const d = emitUdp({ srcPort: sp, dstPort: dp }, data, A);
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto: 17 }, d));
}

function ip4(proto: number, payload: Uint8Array): Uint8Array {
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...A, proto }, payload));
}

/** The frames, then each of `cut` cut at every length from the IP header on. */
function withCuts(frames: Uint8Array[], cut: number[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const k of cut) {
    const f = frames[k];
    for (let n = 14; n < f.length; n++) out.push({ data: f.subarray(0, n), len: f.length });
  }
  return out;
}

const FTP_LINES = [
  "USER anonymous\r\n",
  "220 (vsFTPd 3.0.3)\r\n220-second line\r\n",
  "PASV\r\n",
  "227 Entering Passive Mode (10,0,0,2,195,80).\r\n",
  "no line end",
  "lone\rCR\r\n",
  "tab\tin\tline\r\nbinary \x01 here\r\n",
  "LF only\nnext\n",
  "",
];

const SEGMENTS: Uint8Array[] = [
  ...FTP_LINES.filter((s) => s).map((s) => tcp4(40000, 21, text(s))),
  tcp4(21, 40000, text("230 Login successful.\r\n")),
  tcp4(40000, 25, text("EHLO example.com\r\nMAIL FROM:<a@b>\r\n")),
  tcp4(25, 40000, text("250-mx.example.com\r\n250 SIZE 1000\r\n")),
  tcp4(40000, 43, text("example.com\r\n")),
  tcp4(40000, 554, text("OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")),
  tcp4(554, 40000, text("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n")),
  tcp4(40000, 8554, text("describe rtsp://x/ RTSP/1.0\r\n\r\n")),
  tcp4(40000, 554, text("NOTAMETHOD x y\r\n")),
  tcp4(40000, 554, hex("00010203")),
  // SSH: CR LF, LF alone, a lone CR, unprintable data, not an identification, no line end, binary packets.
  tcp4(40000, 22, text("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")),
  tcp4(22, 40000, text("SSH-2.0-dropbear\n")),
  tcp4(40000, 22, text("SSH-1.99-x\ry\r\n")),
  tcp4(40000, 22, text("SSH-2.0-x\x01\r\n")),
  tcp4(40000, 22, text("SSX-2.0-x\r\n")),
  tcp4(40000, 22, text("SSH-2.0-no end")),
  tcp4(40000, 22, text("SSH-2.0-cr at end\r")),
  tcp4(40000, 22, hex("0000011c0a14 00112233445566778899aabbccddeeff")),
  tcp4(40000, 22, text("SSH")),
  tcp6(40000, 22, text("SSH-2.0-v6\r\n")),
  // The order tcpdump tries ports in: SSH before FTP and HTTP, SMTP before FTP, HTTP before DNS.
  tcp4(22, 80, text("SSH-2.0-x\r\n")),
  tcp4(80, 22, text("GET / HTTP/1.1\r\n\r\n")),
  tcp4(21, 25, text("HELO x\r\n")),
  tcp4(53, 80, text("GET / HTTP/1.1\r\n\r\n")),
  tcp4(40000, 80, text("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
  // With -v a reset's data is shown instead.
  tcp4(40000, 21, text("QUIT\r\n"), TcpFlag.RST | TcpFlag.ACK),
  // SIP over UDP: requests, a response, and what is neither.
  udp4(5060, 5060, text("REGISTER sip:x SIP/2.0\r\nVia: y\r\n\r\n")),
  udp4(5060, 5060, text("SIP/2.0 200 OK\r\nVia: y\r\n\r\n")),
  udp4(40000, 5060, text("invite sip:a@b SIP/2.0\r\n\r\n")),
  udp4(40000, 5060, text("hello")),
  // ESP over IPv4 and IPv6, and its minimum.
  ip4(50, hex("00001000 00000005 0011223344556677")),
  ip4(50, hex("deadbeef ffffffff 00")),
  ip4(50, hex("00001000 00000005")),
  emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...A6, proto: 50 }, hex("00000001 00000002 aabb"))),
];

const FLAGS = [[], ["-v"], ["-vv"], ["-q"], ["-x"], ["-v", "-x"]];

Deno.test("golden: tcpdump's FTP, SMTP, WHOIS, RTSP, SIP, SSH and ESP text", () => {
  const d = new PacketDecoder();
  const line = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), { absolute: true, ...o });
  const tail = (f: Uint8Array, o = {}) => line(f, o).replace(/^.*?win \d+, length \d+/s, "");
  assert.equal(tail(SEGMENTS[0]), ": FTP: USER anonymous");
  assert.equal(
    tail(SEGMENTS[1], { verbose: true }),
    ": FTP, length: 37\n\t220 (vsFTPd 3.0.3)\n\t220-second line",
  );
  assert.equal(tail(SEGMENTS[4]), ": FTP: no line end [|ftp]");
  assert.equal(tail(tcp4(40000, 25, text("EHLO x\r\n"))), ": SMTP: EHLO x");
  assert.equal(tail(tcp4(40000, 43, text("example.com\r\n"))), ": WHOIS: example.com");
  assert.equal(tail(tcp4(40000, 554, text("NOTAMETHOD x y\r\n"))), ": RTSP");
  assert.equal(tail(tcp4(40000, 22, text("SSH-2.0-OpenSSH_9.2p1\r\n"))), ": SSH: SSH-2.0-OpenSSH_9.2p1");
  assert.equal(tail(tcp4(40000, 22, text("SSH-2.0-x\ry\r\n"))), "");
  assert.equal(tail(tcp4(22, 80, text("SSH-2.0-x\r\n"))), ": SSH: SSH-2.0-x");
  assert.equal(
    line(udp4(5060, 5060, text("REGISTER sip:x SIP/2.0\r\n\r\n"))),
    "IP 10.0.0.1.5060 > 10.0.0.2.5060: SIP: REGISTER sip:x SIP/2.0",
  );
  assert.equal(
    line(ip4(50, hex("00001000 00000005 00"))),
    "IP 10.0.0.1 > 10.0.0.2: ESP(spi=0x00001000,seq=0x5), length 9",
  );
  assert.equal(line(ip4(50, hex("00001000 00000005"))), "IP 10.0.0.1 > 10.0.0.2:  [|esp]");
});

Deno.test("textProtocolText: methods select RTSP and SIP requests, a status code responses; FTP shows all", () => {
  const t = (s: string) => text(s);
  const tpt = (...a: Parameters<typeof textProtocolText>) => textProtocolText(...a).text;
  assert.equal(tpt(RTSP, t("PLAY x RTSP/1.0\r\n"), 17), "RTSP: PLAY x RTSP/1.0");
  assert.equal(tpt(RTSP, t("PLAYS x\r\n"), 9), "RTSP");
  assert.equal(tpt(SIP, t("SIP/2.0 180 Ringing\r\n"), 21), "SIP: SIP/2.0 180 Ringing");
  assert.equal(tpt(SIP, t("SIP/2.0 18 Ringing\r\n"), 20), "SIP");
  assert.equal(tpt(FTP, t("anything\r\n"), 10, true), "FTP, length: 10\n\tanything");
  // A read past the captured bytes: the mark, without the line being read.
  assert.equal(tpt(FTP, t("USER x"), 10), "FTP [|ftp]");
});

testIf(
  "text protocols, SSH, ESP and the TCP port order print as tcpdump prints them, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(SEGMENTS, [0, 1, 12, 13, SEGMENTS.length - 8, SEGMENTS.length - 4]);
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);

Deno.test("a cut of every printer here never throws", () => {
  const d = new PacketDecoder();
  for (const f of SEGMENTS) {
    for (let n = 0; n <= f.length; n++) {
      for (const o of [{}, { verbose: true, verbosity: 3 }]) summarize(d.decode(f.subarray(0, n), 1), o);
    }
  }
});
