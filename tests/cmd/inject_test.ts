/**
 * The `inject` tool as a real process and through `main()`: dry runs checked by tshark with checksum
 * validation on for IP, ICMP, TCP and UDP, sends with replies, and every error path (exit 2 for usage, 1 for
 * a missing privilege or a runtime failure, one line each, never a stack trace).
 *
 * @module
 */
import assert from "node:assert/strict";
import { main } from "../../cmd/inject.ts";
import { buildPacket } from "../../lib/craft/mod.ts";
import { DENO_RUN, needCommands, needNetRaw, repoPath, run, testIf } from "../_helpers.ts";
import { L2_UDP_ARGS } from "../craft/_args.ts";

const INJECT = repoPath("cmd/inject.ts");
const TSHARK = needCommands("tshark");
const inject = (args: string[], timeoutMs = 30_000) =>
  run("deno", [...DENO_RUN, INJECT, ...args], { timeoutMs });

/** tshark's checksum verdicts for every frame of a file: one object per frame, 0 bad, 1 good. */
async function checksumStatus(file: string): Promise<Record<string, string>[]> {
  const fields = ["ip", "tcp", "udp", "icmp", "icmpv6"];
  const r = await run("tshark", [
    "-r",
    file,
    "-o",
    "ip.check_checksum:TRUE",
    "-o",
    "tcp.check_checksum:TRUE",
    "-o",
    "udp.check_checksum:TRUE",
    "-T",
    "fields",
    ...fields.flatMap((f) => ["-e", `${f}.checksum.status`]),
  ], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trimEnd().split("\n").map((line) => {
    const cols = line.split("\t");
    const o: Record<string, string> = {};
    fields.forEach((f, i) => {
      if (cols[i]) o[f] = cols[i];
    });
    return o;
  });
}

const GOOD: [string, string[], string[]][] = [
  ["icmp", ["icmp", "--dst", "127.0.0.1", "--payload", "abc"], ["ip", "icmp"]],
  ["icmp6", ["icmp6", "--dst", "::1", "--data-len", "9"], ["icmpv6"]],
  ["tcp", [
    "tcp",
    "--dst",
    "127.0.0.1",
    "--dport",
    "80",
    "--mss",
    "1460",
    "--wscale",
    "7",
    "--sack-perm",
    "--timestamp",
    "--payload",
    "hello",
  ], ["ip", "tcp"]],
  ["tcp6", ["tcp", "-6", "--dst", "::1", "--dport", "80", "--flags", "PA", "--data-len", "3"], ["tcp"]],
  ["udp", ["udp", "--dst", "127.0.0.1", "--dport", "53", "--data-len", "7"], ["ip", "udp"]],
  ["udp6", ["udp", "--dst", "::1", "--dport", "53", "--payload", "x"], ["udp"]],
  ["l2 udp", [...L2_UDP_ARGS, "--df", "--ttl", "3"], ["ip", "udp"]],
];

for (const [name, args, layers] of GOOD) {
  testIf(`inject ${name} --dry-run writes frames tshark finds no bad checksum in`, TSHARK, async () => {
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      const r = await inject([...args, "-c", "3", "--dry-run", "-w", file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /wrote 3 packets/);
      const frames = await checksumStatus(file);
      assert.equal(frames.length, 3);
      for (const f of frames) for (const l of layers) assert.equal(f[l], "1", `${l} in ${JSON.stringify(f)}`);
    } finally {
      await Deno.remove(file);
    }
  });
}

const BAD: [string, string[], string][] = [
  ["icmp", ["icmp", "--dst", "127.0.0.1"], "icmp"],
  ["icmp6", ["icmp6", "--dst", "::1"], "icmpv6"],
  ["tcp", ["tcp", "--dst", "127.0.0.1", "--dport", "80"], "tcp"],
  ["udp6", ["udp", "--dst", "::1", "--dport", "53"], "udp"],
];

for (const [name, args, layer] of BAD) {
  testIf(`inject ${name} --bad-checksum: tshark finds the bad ${layer} checksum`, TSHARK, async () => {
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      const r = await inject([...args, "--bad-checksum", "--dry-run", "-w", file]);
      assert.equal(r.code, 0, r.stderr);
      const [f] = await checksumStatus(file);
      assert.equal(f[layer], "0", JSON.stringify(f));
      if (f.ip !== undefined) assert.equal(f.ip, "1", "the IP header stays right");
    } finally {
      await Deno.remove(file);
    }
  });
}

testIf("inject icmp --wait-reply prints hping3-like lines and a summary, exit 0", needNetRaw(), async () => {
  const r = await inject(["icmp", "--dst", "127.0.0.1", "-c", "2", "--interval", "0.01", "--wait-reply"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /len=28 ip=127\.0\.0\.1 ttl=64 id=\d+ icmp_seq=0 rtt=/);
  assert.match(r.stdout, /2 packets transmitted, 2 packets received, 0% packet loss/);
  assert.match(r.stdout, /round-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms/);
});

testIf("inject udp --rate reports the achieved rate next to the requested one", needNetRaw(), async () => {
  const r = await inject(["udp", "--dst", "127.0.0.1", "--dport", "9", "-c", "50", "--rate", "500"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sent 50 packets \(1400 bytes\) in [\d.]+ s: \d+ pps \(requested 500 pps\)/);
});

testIf("inject --flood stops at --duration", needNetRaw(), async () => {
  const r = await inject(["udp", "--dst", "127.0.0.1", "--dport", "9", "--flood", "--duration", "0.3"]);
  assert.equal(r.code, 0, r.stderr);
  const m = /^sent (\d+) packets .* in ([\d.]+) s/.exec(r.stdout);
  assert.ok(m && Number(m[1]) > 0, r.stdout);
});

testIf("inject without CAP_NET_RAW says so in one line, exit 1", needCommands("setpriv"), async () => {
  const r = await run("setpriv", [
    "--bounding-set",
    "-net_raw",
    "deno",
    ...DENO_RUN,
    INJECT,
    "icmp",
    "--dst",
    "127.0.0.1",
  ]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "inject: needs root or CAP_NET_RAW (try: sudo ./inject)\n");
});

const USAGE: string[][] = [
  ["icmp", "--dst", "300.1.1.1"],
  ["tcp", "--dst", "127.0.0.1", "--dport", "70000"],
  ["tcp", "--dst", "127.0.0.1", "--dport", "1", "--flags", "SZ"],
  ["udp", "--dst", "127.0.0.1", "--dport", "9", "--nope"],
  ["bogus"],
  ["replay", "x.pcap", "-i", "lo", "--filter", "tcp port"],
];

for (const args of USAGE) {
  Deno.test(`inject ${args.join(" ")}: one line on stderr, exit 2`, async () => {
    const r = await inject(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^inject: [^\n]+\n$/);
  });
}

Deno.test("inject replay of a missing file: one line, exit 1", async () => {
  const r = await inject(["replay", "/nonexistent/x.pcap", "-i", "lo", "--topspeed"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^inject: [^\n]+\n$/);
});

Deno.test("main() returns 2 for bad usage and prints the usage for no arguments", async () => {
  const err = console.error, log = console.log;
  const said: string[] = [];
  console.error = console.log = (s: string) => said.push(s);
  try {
    assert.equal(await main(["tcp", "--dst", "127.0.0.1", "--dport", "x"]), 2);
    assert.equal(await main([]), 2);
  } finally {
    console.error = err;
    console.log = log;
  }
  assert.match(said[0], /^inject: --dport/);
  assert.match(said[1], /^usage: inject/);
});

testIf(
  "inject raw sends hex bytes and a file's bytes as IP packets, and the kernel answers",
  needNetRaw(),
  async () => {
    const echo = buildPacket([
      { layer: "ipv4", src: "127.0.0.1", dst: "127.0.0.1" },
      { layer: "icmp", type: 8, id: (Deno.pid * 13) & 0xffff, seq: 5 },
    ]);
    const hex = Array.from(echo, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const r = await inject(["raw", "--hex", hex, "--wait-reply", "--timeout", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /icmp_seq=5 rtt=/);
    const file = await Deno.makeTempFile();
    try {
      await Deno.writeFile(file, echo);
      const f = await inject(["raw", "--file", file, "--wait-reply", "--timeout", "2"]);
      assert.equal(f.code, 0, f.stderr);
      assert.match(f.stdout, /1 packets transmitted, 1 packets received/);
    } finally {
      await Deno.remove(file);
    }
  },
);
