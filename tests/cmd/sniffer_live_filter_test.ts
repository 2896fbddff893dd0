/**
 * Filters that read what the kernel knows about a live packet (its ancillary data), next to tcpdump, on a
 * veth pair between two namespaces the test creates. `inbound` / `outbound` on an Ethernet interface and on
 * `any`: datagrams from the far end come in, the port-unreachable errors the near end answers with go out.
 * `vlan`: tagged frames replayed from the far end arrive with the tag taken out into metadata. Both tools
 * capture at once and must select the same packets.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildPacket, type LayerSpec } from "../../lib/craft/build.ts";
import { needCommands, run, testIf } from "../_helpers.ts";
import { encodePcap } from "../../lib/pcap/mod.ts";
import { ip, NEED_NETNS, spawnListening, vethPair } from "../capture/_netns.ts";
import { spawnLive, statusWithin } from "./_sniffer.ts";

const td = new TextDecoder();
const A_ADDR = "10.77.0.1", B_ADDR = "10.77.0.2";
/** Datagrams sent per capture. */
const SENT = 4;

/** Sends `SENT` datagrams from namespace `ns` to port 9 of `A_ADDR` (closed there), one every 100 ms. */
async function sendFrom(ns: string): Promise<void> {
  const script = `for i in $(seq ${SENT}); do echo "probe $i" > /dev/udp/${A_ADDR}/9; sleep 0.1; done`;
  const r = await run("ip", ["netns", "exec", ns, "bash", "-c", script], { timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
}

/**
 * netkit's sniffer and tcpdump (`--immediate-mode -l`, ended by `timeout` after `limitSec`) started with the
 * same arguments in namespace `ns`, both listening.
 */
async function startBoth(ns: string, args: string[], limitSec: number) {
  const ours = await spawnLive(args, ["ip", "netns", "exec", ns]);
  const theirs = await spawnListening(
    "ip",
    ["netns", "exec", ns, "timeout", String(limitSec), "tcpdump", "--immediate-mode", "-l", ...args],
    "piped",
    10_000,
  );
  if (!ours.listening) assert.fail(`netkit did not start: ${await ours.stderr}`);
  return { ours, theirs };
}

/** A line of text output without its timestamp. */
const untimed = (l: string) => l.replace(/^\d\d:\d\d:\d\d\.\d{6} /, "");

testIf("inbound and outbound live: netkit and tcpdump print the same packets", NEED_NETNS, async () => {
  const pair = await vethPair("sdir", "l");
  try {
    await ip("-n", pair.nsA, "addr", "add", `${A_ADDR}/24`, "dev", pair.a);
    await ip("-n", pair.nsB, "addr", "add", `${B_ADDR}/24`, "dev", pair.b);
    // Every datagram gets its port-unreachable: no per-peer rate limit on ICMP errors in this namespace.
    await ip("netns", "exec", pair.nsA, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
    const cases: [string, string, RegExp][] = [
      [pair.a, "inbound and ip", /^IP 10\.77\.0\.2\.\d+ > 10\.77\.0\.1\.9: UDP, length 8$/],
      [
        pair.a,
        "outbound and ip",
        /^IP 10\.77\.0\.1 > 10\.77\.0\.2: ICMP 10\.77\.0\.1 udp port 9 unreachable/,
      ],
      [pair.a, "not outbound and udp", /^IP 10\.77\.0\.2\.\d+ > 10\.77\.0\.1\.9: UDP/],
      ["any", "outbound and icmp", new RegExp(`^${pair.a} +Out IP 10\\.77\\.0\\.1 > 10\\.77\\.0\\.2: ICMP`)],
    ];
    for (const [iface, expr, shape] of cases) {
      const args = ["-i", iface, "-n", "-c", String(SENT), expr];
      // tcpdump from a pipe misses the first packet now and then (its kernel filter counts it): it gets a
      // few seconds rather than waiting for a count it may not reach, and it is judged by that counter.
      const { ours, theirs } = await startBoth(pair.nsA, args, 5);
      await sendFrom(pair.nsB);
      const [status, out] = await Promise.all([statusWithin(ours.child, 20_000), ours.child.stdout]);
      const text = td.decode(await new Response(out).arrayBuffer());
      const err = await ours.stderr;
      assert.equal(status.code, 0, `${iface} ${expr}: ${err}`);
      const mine = text.trimEnd().split("\n").map(untimed);
      const tcpdump = await theirs.output;
      const want = td.decode(tcpdump.stdout).trimEnd().split("\n").map(untimed);
      assert.equal(mine.length, SENT, `${iface} ${expr}: ${text}`);
      for (const line of mine) assert.match(line, shape, `${iface} ${expr}`);
      // libpcap's kernel filter selected as many, and tcpdump printed nothing netkit did not.
      assert.match(
        td.decode(tcpdump.stderr),
        new RegExp(`\\b${SENT} packets? received by filter`),
        `${expr}`,
      );
      assert(
        want.length > 0 && want.every((l) => mine.includes(l)),
        `${expr}:\n${mine.join("\n")}\n--\n${want.join("\n")}`,
      );
      assert.match(err, new RegExp(`${SENT} packets captured`));
    }
  } finally {
    await pair.close();
  }
});

testIf("inbound written to a pcap file (-w): only the packets that came in", NEED_NETNS, async () => {
  const pair = await vethPair("sdir", "w");
  const dir = await Deno.makeTempDir();
  try {
    await ip("-n", pair.nsA, "addr", "add", `${A_ADDR}/24`, "dev", pair.a);
    await ip("-n", pair.nsB, "addr", "add", `${B_ADDR}/24`, "dev", pair.b);
    const file = `${dir}/in.pcap`;
    const ours = await spawnLive(["-i", pair.a, "-c", String(SENT), "-w", file, "inbound"], [
      "ip",
      "netns",
      "exec",
      pair.nsA,
    ]);
    if (!ours.listening) assert.fail(`netkit did not start: ${await ours.stderr}`);
    await sendFrom(pair.nsB);
    const status = await statusWithin(ours.child, 20_000);
    await ours.child.stdout.cancel();
    assert.equal(status.code, 0, await ours.stderr);
    // tcpdump reads the file: the ARP request from B and the datagrams, never A's answers.
    const r = await run("tcpdump", ["-r", file, "-n"], { timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n").map(untimed);
    assert.equal(lines.length, SENT, r.stdout);
    for (const l of lines) {
      assert.match(
        l,
        /^(ARP, Request who-has 10\.77\.0\.1 tell 10\.77\.0\.2|IP 10\.77\.0\.2\.\d+ > 10\.77\.0\.1\.9: UDP)/,
      );
    }
  } finally {
    await pair.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Frames with and without VLAN tags, sent from the far end of the pair (built with lib/craft). */
function vlanFrames(): Uint8Array[] {
  const eth = (ethertype?: number): LayerSpec => ({
    layer: "eth",
    src: "02:00:00:00:00:02",
    dst: "ff:ff:ff:ff:ff:ff",
    ethertype,
  });
  const v4: LayerSpec = { layer: "ipv4", src: B_ADDR, dst: A_ADDR };
  const v6: LayerSpec = { layer: "ipv6", src: "fd00::2", dst: "fd00::1" };
  const udp: LayerSpec = { layer: "udp", srcPort: 5000, dstPort: 9 };
  const tcp: LayerSpec = { layer: "tcp", srcPort: 5000, dstPort: 80, flags: 0x02 };
  const data: LayerSpec = { layer: "raw", data: new TextEncoder().encode("probe") };
  return [
    buildPacket([eth(), v4, udp, data]),
    buildPacket([eth(), { layer: "vlan", id: 10 }, v4, udp, data]),
    buildPacket([eth(), { layer: "vlan", id: 10, pcp: 5 }, v4, tcp, data]),
    buildPacket([eth(), { layer: "vlan", id: 20 }, v4, udp, data]),
    buildPacket([
      eth(0x88a8),
      { layer: "vlan", id: 30, ethertype: 0x8100 },
      { layer: "vlan", id: 40 },
      v4,
      udp,
      data,
    ]),
    buildPacket([eth(), { layer: "vlan", id: 20 }, v6, udp, data]),
    buildPacket([eth(), v6, tcp, data]),
  ];
}

const VLAN_EXPRESSIONS = [
  "vlan",
  "vlan 10",
  "vlan 20 or vlan 30",
  "vlan and udp",
  "vlan 10 and tcp port 80",
  "vlan and vlan 40",
  "not vlan",
  "vlan and ip6 and udp",
  "ip",
  "udp",
];

testIf(
  "vlan live: tags the kernel took out of received frames are matched as tcpdump matches them",
  NEED_NETNS ?? needCommands("tcpreplay"),
  async () => {
    const pair = await vethPair("sdir", "v");
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/vlan.pcap`;
      await Deno.writeFile(
        file,
        encodePcap(vlanFrames().map((data, i) => ({ tsSec: i, data })), { linktype: 1 }),
      );
      let selected = 0;
      for (const expr of VLAN_EXPRESSIONS) {
        const args = ["-i", pair.a, "-n", "-e", expr];
        const { ours, theirs } = await startBoth(pair.nsA, args, 30);
        const sent = await run("ip", [
          "netns",
          "exec",
          pair.nsB,
          "tcpreplay",
          "-q",
          "--topspeed",
          "-i",
          pair.b,
          file,
        ], {
          timeoutMs: 20_000,
        });
        assert.equal(sent.code, 0, sent.stderr);
        // Both have had the frames for a second: stop them as Ctrl-C would.
        await new Promise((r) => setTimeout(r, 1000));
        ours.child.kill("SIGINT");
        theirs.child.kill("SIGINT");
        const [status, out] = await Promise.all([statusWithin(ours.child, 20_000), ours.child.stdout]);
        const text = td.decode(await new Response(out).arrayBuffer());
        const err = await ours.stderr;
        assert.equal(status.code, 0, `${expr}: ${err}`);
        const tcpdump = await theirs.output;
        const tdErr = td.decode(tcpdump.stderr);
        const want = Number(/(\d+) packets? received by filter/.exec(tdErr)?.[1]);
        const got = Number(/(\d+) packets? captured/.exec(err)?.[1]);
        assert.equal(got, want, `${expr}: netkit captured ${got}, tcpdump's filter took ${want}`);
        const mine = text.split("\n").filter((l) => l !== "").map(untimed);
        assert.equal(mine.length, got, text);
        const printed = td.decode(tcpdump.stdout).split("\n").filter((l) => l !== "").map(untimed);
        const missing = printed.filter((l) => !mine.includes(l));
        assert.deepEqual(missing, [], `${expr}: tcpdump printed what netkit did not:\n${text}`);
        selected += got;
      }
      assert(selected >= 20, `the expressions select frames (${selected})`);
    } finally {
      await pair.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
