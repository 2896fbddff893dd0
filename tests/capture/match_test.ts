/**
 * `sendAndMatch` with the kernel as the peer: ICMP echo to 127.0.0.1 and ::1, TCP SYN to netkit's echo
 * server (SYN-ACK) and to a closed port (RST), UDP to a closed port (ICMP port unreachable quoting it), and
 * an unanswered probe reported as such. tcpdump watches too.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatMatchSummary, formatReply, sendAndMatch } from "../../lib/capture/match.ts";
import { parseInjectArgs } from "../../lib/craft/mod.ts";
import { serveEcho } from "../../lib/echo/mod.ts";
import { needCommands, needNetRaw, refusedPort, testIf } from "../_helpers.ts";
import { spawnListening } from "./_netns.ts";

const RAW = needNetRaw();
const ICMP_ID = (Deno.pid * 7) & 0xffff;

/** tcpdump on lo with a filter, started and ready; `done()` returns what it printed. */
async function tcpdump(filter: string, packets: number): Promise<{ done: () => Promise<string> }> {
  const { output: out } = await spawnListening(
    "timeout",
    ["10", "tcpdump", "-i", "lo", "-n", "-l", "-c", String(packets), filter],
    "piped",
    8000,
  );
  return {
    done: async () => new TextDecoder().decode((await out).stdout),
  };
}

testIf(
  "sendAndMatch() gets ICMP echo replies from 127.0.0.1, also seen by tcpdump",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dump = await tcpdump(`icmp[icmptype] == icmp-echoreply and icmp[4:2] == ${ICMP_ID}`, 3);
    const plan = parseInjectArgs(["icmp", "--dst", "127.0.0.1", "-c", "3", "--icmp-id", String(ICMP_ID)]);
    const lines: string[] = [];
    const s = await sendAndMatch({
      target: { layer: 3, family: 4 },
      frames: plan.frames,
      interval: 0.02,
      timeoutMs: 2000,
      onReply: (m) => lines.push(formatReply(m)),
    });
    assert.equal(s.sent, 3);
    assert.equal(s.received, 3);
    assert.deepEqual(s.replies.map((r) => r.icmpSeq).sort(), [0, 1, 2]);
    assert.ok(s.replies.every((r) => r.kind === "echo-reply" && r.from === "127.0.0.1" && r.rttMs >= 0));
    assert.match(lines[0], /^len=28 ip=127\.0\.0\.1 ttl=64 id=\d+ icmp_seq=\d rtt=\d+\.\d{3} ms$/);
    assert.ok(formatMatchSummary(s).includes("3 packets transmitted, 3 packets received, 0% packet loss"));
    const seen = await dump.done();
    assert.equal(seen.trim().split("\n").filter((l) => l.includes(`echo reply, id ${ICMP_ID}`)).length, 3);
  },
);

testIf(
  "sendAndMatch() gets ICMPv6 echo replies from ::1, also seen by tcpdump",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dump = await tcpdump(`icmp6 and ip6[40] == 129 and ip6[44:2] == ${ICMP_ID}`, 2);
    const plan = parseInjectArgs(["icmp6", "--dst", "::1", "-c", "2", "--icmp-id", String(ICMP_ID)]);
    const s = await sendAndMatch({
      target: { layer: 3, family: 6 },
      frames: plan.frames,
      interval: 0.02,
      timeoutMs: 2000,
    });
    assert.equal(s.received, 2);
    assert.ok(s.replies.every((r) => r.kind === "echo-reply" && r.from === "::1"));
    const seen = await dump.done();
    assert.equal(seen.trim().split("\n").filter((l) => l.includes(`echo reply, id ${ICMP_ID}`)).length, 2);
  },
);

testIf(
  "sendAndMatch() gets a SYN-ACK from netkit's echo server and a RST from a closed port",
  RAW,
  async () => {
    await using server = await serveEcho({ hostname: "127.0.0.1", port: 0 });
    const open = server.addr.port;
    using refused = refusedPort("127.0.0.1");
    const closed = refused.port;
    for (const [port, kind, flags] of [[open, "syn-ack", "S."], [closed, "rst", "R."]] as const) {
      const plan = parseInjectArgs([
        "tcp",
        "--dst",
        "127.0.0.1",
        "--dport",
        String(port),
        "--flags",
        "S",
        "--seq",
        "1000",
      ]);
      const s = await sendAndMatch({ target: { layer: 3, family: 4 }, frames: plan.frames, timeoutMs: 2000 });
      assert.equal(s.received, 1, `port ${port}`);
      assert.equal(s.replies[0].kind, kind);
      assert.equal(s.replies[0].flags, flags);
      assert.equal(s.replies[0].sport, port);
    }
  },
);

testIf("sendAndMatch() gets a SYN-ACK over IPv6 from the echo server", RAW, async () => {
  await using server = await serveEcho({ hostname: "::1", port: 0 });
  const plan = parseInjectArgs(["tcp", "--dst", "::1", "--dport", String(server.addr.port)]);
  const s = await sendAndMatch({ target: { layer: 3, family: 6 }, frames: plan.frames, timeoutMs: 2000 });
  assert.equal(s.received, 1);
  assert.equal(s.replies[0].kind, "syn-ack");
});

testIf(
  "sendAndMatch() matches UDP to a closed port with the ICMP port unreachable quoting it",
  RAW,
  async () => {
    for (const [dst, family] of [["127.0.0.1", 4], ["::1", 6]] as const) {
      // A port number no UDP socket has: the one a held, non-listening TCP socket got (port spaces are apart).
      using held = refusedPort(dst);
      const plan = parseInjectArgs([
        "udp",
        "--dst",
        dst,
        "--dport",
        String(held.port),
        "--payload",
        "q",
      ]);
      const s = await sendAndMatch({ target: { layer: 3, family }, frames: plan.frames, timeoutMs: 2000 });
      assert.equal(s.received, 1, dst);
      assert.equal(s.replies[0].kind, "icmp-error");
      assert.equal(s.replies[0].icmpError, "port unreachable");
      assert.match(formatReply(s.replies[0]), /^ICMP port unreachable from ip=/);
    }
  },
);

testIf("sendAndMatch() reports a probe nobody answers (echo with a bad checksum)", RAW, async () => {
  const plan = parseInjectArgs([
    "icmp",
    "--dst",
    "127.0.0.1",
    "--bad-checksum",
    "--icmp-id",
    String(ICMP_ID ^ 1),
  ]);
  const s = await sendAndMatch({ target: { layer: 3, family: 4 }, frames: plan.frames, timeoutMs: 300 });
  assert.equal(s.sent, 1);
  assert.equal(s.received, 0);
  assert.deepEqual(s.unanswered, [0]);
  assert.equal(s.lossPct, 100);
  const lines = formatMatchSummary(s);
  assert.equal(lines[0], "no reply to probe 0");
  assert.ok(lines.includes("1 packets transmitted, 0 packets received, 100% packet loss"));
});
