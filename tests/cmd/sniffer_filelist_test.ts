/**
 * `-V LIST`: the files a list names, read in turn as tcpdump reads them, compared with tcpdump 4.99 on the
 * corpus: the text and the "reading from file" lines, `-c` in each file, a filter, the list on stdin, one
 * `-w` file from all of them, and the errors (a link type that changes under `-w`, an empty line, a file
 * that is missing, `-V` with `-r` or `-i`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { needCommands, run, testIf } from "../_helpers.ts";
import { CORPUS, sniff } from "./_sniffer.ts";

const TCPDUMP = needCommands("tcpdump");
const ETHERNET_FILES = ["dns.pcap", "icmp.pcap", "tcp.pcap", "vlan.pcap"].map((f) => `${CORPUS}/${f}`);
const MIXED_FILES = [
  "udp.pcap",
  "sll.pcap",
  "raw_ip.pcap",
  "sll2.pcap",
  "null_loopback.pcap",
  "two_sections.pcapng",
  "nanosecond.pcap",
].map((f) => `${CORPUS}/${f}`);

/** Runs `body` with a list file holding `lines` (joined by newlines, one at the end). */
async function withList(lines: string[], body: (list: string, dir: string) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-filelist-${Deno.pid}-` });
  try {
    Deno.writeTextFileSync(`${dir}/list`, lines.join("\n") + "\n");
    await body(`${dir}/list`, dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** The "reading from file" lines of an error output, and the SLL2 warning (tcpdump: for the first file only). */
const readingLines = (err: string) =>
  err.split("\n").filter((l) => l.startsWith("reading from file") || l.startsWith("Warning"));

testIf(
  "-V prints the listed files in turn, as tcpdump does (text, -c in each file, a filter)",
  TCPDUMP,
  async () => {
    for (const files of [ETHERNET_FILES, MIXED_FILES, [`${CORPUS}/sll2.pcap`, `${CORPUS}/sll.pcap`]]) {
      await withList(files, async (list) => {
        for (const extra of [[], ["-c", "2"], ["-e", "udp or icmp"], ["-c", "1", "ip6 or arp"]]) {
          const want = await run("tcpdump", ["-n", "-V", list, ...extra]);
          assert.equal(want.code, 0, want.stderr);
          const got = await sniff(["-n", "-V", list, ...extra]);
          assert.equal(got.code, 0, got.err);
          assert.equal(got.out, want.stdout, `${files.length} files ${extra.join(" ")}`);
          assert.deepEqual(readingLines(got.err), readingLines(want.stderr));
          assert.equal(readingLines(got.err).filter((l) => l.startsWith("reading")).length, files.length);
        }
      });
    }
  },
);

testIf("-V - reads the list from stdin; --count counts all the files' packets", TCPDUMP, async () => {
  const listed = ETHERNET_FILES.join("\n") + "\n";
  const want = await run("tcpdump", ["-n", "-V", "-"], { stdin: listed });
  const got = await sniff(["-n", "-V", "-"], new TextEncoder().encode(listed));
  assert.equal(got.code, 0, got.err);
  assert.equal(got.out, want.stdout);
  const total = want.stdout.trimEnd().split("\n").filter((l) => /^\d\d:/.test(l)).length;
  const counted = await sniff(["--count", "-V", "-"], new TextEncoder().encode(listed));
  assert.equal(counted.out, `${total} packets\n`);
});

testIf(
  "-V with -w writes one file of every listed file's packets, byte for byte tcpdump's",
  TCPDUMP,
  async () => {
    await withList(ETHERNET_FILES, async (list, dir) => {
      for (const extra of [[], ["-c", "3"], ["tcp"]]) {
        const want = await run("tcpdump", ["-V", list, "-w", `${dir}/t.pcap`, ...extra]);
        assert.equal(want.code, 0, want.stderr);
        const got = await sniff(["-V", list, "-w", `${dir}/n.pcap`, ...extra]);
        assert.equal(got.code, 0, got.err);
        assert.deepEqual(
          Deno.readFileSync(`${dir}/n.pcap`),
          Deno.readFileSync(`${dir}/t.pcap`),
          extra.join(" "),
        );
      }
    });
  },
);

testIf(
  "-V errors: another link type under -w, an empty line, a missing file (after the ones before)",
  TCPDUMP,
  async () => {
    await withList(MIXED_FILES, async (list, dir) => {
      const want = await run("tcpdump", ["-V", list, "-w", `${dir}/t.pcap`]);
      const got = await sniff(["-V", list, "-w", `${dir}/n.pcap`]);
      assert.equal(want.code, 1);
      assert.equal(got.code, 1);
      assert.match(want.stderr, /sll\.pcap: new dlt does not match original\n/);
      assert.match(
        got.err,
        /^sniffer: .*\/sll\.pcap: new dlt does not match original \(link-type LINUX_SLL /m,
      );
      // What came before is written and whole.
      assert.deepEqual(Deno.readFileSync(`${dir}/n.pcap`), Deno.readFileSync(`${dir}/t.pcap`));
    });
    await withList([ETHERNET_FILES[0], `${CORPUS}/no-such.pcap`, ETHERNET_FILES[1]], async (list) => {
      const want = await run("tcpdump", ["-n", "-V", list]);
      const got = await sniff(["-n", "-V", list]);
      assert.equal(want.code, 1);
      assert.equal(got.code, 1);
      assert.equal(got.out, want.stdout, "the first file is printed");
      assert.match(got.err, /\nsniffer: .*\/no-such\.pcap: No such file or directory\n$/);
    });
    await withList([ETHERNET_FILES[0], "", ETHERNET_FILES[1]], async (list) => {
      const got = await sniff(["-n", "-V", list]);
      assert.equal(got.code, 1);
      assert.equal(got.out, "");
      assert.match(got.err, /^sniffer: -V .*\/list: line 2 names no file\n$/);
    });
  },
);

Deno.test("-V usage errors: with -r, with -i, a list that names nothing", async () => {
  for (const args of [["-V", "x", "-r", "y"], ["-V", "x", "-i", "lo"]]) {
    const r = await sniff(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /^sniffer: -V and -[ri] exclude each other \(see --help\)\n$/);
  }
  await withList([], async (list) => {
    Deno.writeTextFileSync(list, "");
    const r = await sniff(["-V", list]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^sniffer: -V .*: names no file\n$/);
  });
});
