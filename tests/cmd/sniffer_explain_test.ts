/**
 * `sniffer --explain`: which part of a filter runs in the kernel and which in user space, for a live
 * interface (its own link type), `-i any` (Ethernet, or user space alone when an interface is not
 * Ethernet-framed), and a file (its link type, read from the header); then exit 0 without capturing.
 * Through `main()` and as a real process; the error paths exit 2 or 1 with one message.
 *
 * @module
 */
import assert from "node:assert/strict";
import { explain } from "../../lib/filter/compile.ts";
import { parseSnifferArgs } from "../../lib/capture/sniffer.ts";
import { needCommands, needNetAdmin, run, testIf } from "../_helpers.ts";
import { AS_NOBODY, CORPUS, sniff, TASK } from "./_sniffer.ts";

const ETHERNET = 1, RAW = 101, SLL2 = 276;
/** An expression whose IPv6 port check may need user space (more extension headers than the kernel walks). */
const WALKED = "udp port 53";

function hasTun(): boolean {
  try {
    return Deno.statSync("/dev/net/tun").isCharDevice === true;
  } catch {
    return false;
  }
}

Deno.test("parseSnifferArgs reads --explain; --help lists it", async () => {
  const c = parseSnifferArgs(["--explain", "-i", "lo", "udp", "port", "53"]);
  assert(c.kind === "run" && c.explain === true && c.options.filter === "udp port 53");
  const plain = parseSnifferArgs(["-i", "lo"]);
  assert(plain.kind === "run" && plain.explain === false);
  const h = await sniff(["--help"]);
  assert.match(h.out, /^ {2}--explain {2}print which part of the filter runs in the kernel .* then exit$/m);
});

Deno.test("--explain -i lo: the Ethernet program, attached to the socket, then exit 0 with nothing else", async () => {
  const r = await sniff(["--explain", "-i", "lo", "udp", "port", "53"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "", "no startup line, no statistics: nothing was captured");
  assert.equal(
    r.out,
    `filter "udp port 53" on lo, link-type EN10MB (Ethernet), attached to the capture socket ` +
      `(SO_ATTACH_FILTER)\n${explain(WALKED, { linktype: ETHERNET })}\n`,
  );
  assert.match(
    r.out,
    /\nkernel: the whole expression \(\d+ instructions\), walking up to 4 IPv6 .*user space: /,
  );
});

Deno.test("--explain: a filter the kernel decides alone says so, and names no user-space part", async () => {
  const r = await sniff(["-i", "lo", "--explain", "arp or icmp"]);
  assert.equal(r.code, 0, r.err);
  const [, second] = r.out.trimEnd().split("\n");
  assert.match(second, /^kernel: the whole expression \(\d+ instructions\)\.$/);
  assert.doesNotMatch(r.out, /user space/);
});

Deno.test("--explain -i any compiles for Ethernet when every interface here is Ethernet-framed", async () => {
  const r = await sniff(["--explain", "tcp[13] & 2 != 0"]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  // Another test may add a non-Ethernet interface meanwhile: then the user-space form is right too.
  if (/ is not Ethernet-framed, so the kernel gets no program$/.test(lines[0])) return;
  assert.match(lines[0], /^filter "tcp\[13\] & 2 != 0" on any, compiled for link-type EN10MB \(Ethernet\)/);
  assert.equal(lines[1], explain("tcp[13] & 2 != 0", { linktype: ETHERNET }));
});

Deno.test("--explain -r: compiled for the file's link type (raw IP, Linux cooked v2), run in the VM", async () => {
  const raw = await sniff(["--explain", "-r", `${CORPUS}/raw_ip.pcap`, WALKED]);
  assert.equal(raw.code, 0, raw.err);
  const [where, what] = raw.out.trimEnd().split("\n");
  assert.match(where, /^filter "udp port 53" on file .*raw_ip\.pcap, link-type RAW .*BPF VM/);
  assert.equal(what, explain(WALKED, { linktype: RAW }));
  // The program really is the raw-IP one: its size differs from the Ethernet program's.
  assert.notEqual(what, explain(WALKED, { linktype: ETHERNET }));
  const sll2 = await sniff(["--explain", "-r", "-", "udp"], Deno.readFileSync(`${CORPUS}/sll2.pcap`));
  assert.equal(sll2.code, 0, sll2.err);
  assert.match(sll2.out, /^filter "udp" on file -, link-type LINUX_SLL2 \(Linux cooked v2\): /);
  assert.equal(sll2.out.trimEnd().split("\n")[1], explain("udp", { linktype: SLL2 }));
});

Deno.test("--explain with no expression: no program anywhere", async () => {
  const r = await sniff(["--explain", "-i", "lo"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "no filter: every packet is captured (no program in the kernel, none in user space)\n");
});

Deno.test("--explain errors: syntax (caret, exit 2), with -d (exit 2), no such interface or file (exit 1)", async () => {
  const syntax = await sniff(["--explain", "-r", `${CORPUS}/tcp.pcap`, "tcp", "port", "x"]);
  assert.deepEqual([syntax.code, syntax.out], [2, ""]);
  assert.equal(syntax.err, "sniffer: filter: expected a port number at column 10\ntcp port x\n         ^\n");
  const live = await sniff(["--explain", "-i", "lo", "udp", "and"]);
  assert.equal(live.code, 2);
  assert.match(live.err, /^sniffer: filter: .* at column \d+\nudp and\n +\^\n$/);
  const both = await sniff(["--explain", "-d", "tcp"]);
  assert.deepEqual([both.code, both.err], [2, "sniffer: --explain and -d exclude each other (see --help)\n"]);
  const name = `nk${Deno.pid}x`;
  const noIf = await sniff(["--explain", "-i", name, "tcp"]);
  assert.equal(noIf.code, 1);
  assert.match(noIf.err, new RegExp(`^sniffer: no interface "${name}"; interfaces: .*\\blo\\b.*\\n$`));
  const noFile = await sniff(["--explain", "-r", "/nonexistent/x.pcap", "tcp"]);
  assert.deepEqual([noFile.code, noFile.err], [
    1,
    "sniffer: /nonexistent/x.pcap: No such file or directory\n",
  ]);
});

testIf(
  "process: --explain needs no root (as nobody, with the task's permissions) and exits 0",
  needCommands("setpriv"),
  async () => {
    const r = await run(
      "setpriv",
      [...AS_NOBODY, Deno.execPath(), ...TASK, "--explain", "-i", "lo", WALKED],
      {
        timeoutMs: 30_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout.trimEnd().split("\n")[1], explain(WALKED, { linktype: ETHERNET }));
  },
);

testIf(
  "process: --explain -i any in a namespace with a tun device: the whole filter runs in user space",
  needNetAdmin() ?? (hasTun() ? undefined : "no /dev/net/tun"),
  async () => {
    const ns = `nkexpl${Deno.pid}`, tun = `nkt${Deno.pid}`;
    const ip = (...a: string[]) => run("ip", a, { timeoutMs: 10_000 });
    const made = await ip("netns", "add", ns);
    assert.equal(made.code, 0, made.stderr);
    try {
      const t = await ip("netns", "exec", ns, "ip", "tuntap", "add", "dev", tun, "mode", "tun");
      assert.equal(t.code, 0, t.stderr);
      const args = [...TASK, "--explain", "-i", "any", "udp"];
      const r = await run("ip", ["netns", "exec", ns, Deno.execPath(), ...args], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `filter "udp" on any: ${tun} is not Ethernet-framed, so the kernel gets no program\n` +
          "user space: the whole expression, compiled for each packet's link type and run in netkit's " +
          "BPF VM on every packet.\n",
      );
      // On lo alone (Ethernet-framed) the same namespace gets a kernel program.
      const lo = await run("ip", [
        "netns",
        "exec",
        ns,
        Deno.execPath(),
        ...TASK,
        "--explain",
        "-i",
        "lo",
        "udp",
      ], {
        timeoutMs: 30_000,
      });
      assert.equal(lo.code, 0, lo.stderr);
      assert.match(lo.stdout, /attached to the capture socket \(SO_ATTACH_FILTER\)\nkernel: /);
    } finally {
      await ip("netns", "del", ns); // the tun device goes with its namespace
    }
  },
);
