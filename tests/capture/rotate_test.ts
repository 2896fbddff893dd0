/**
 * Savefile rotation (`-C`, `-G`, `-W`): file names as tcpdump makes them, `strftime` against `date` (which
 * formats with the C library's strftime), the series of files `-C`/`-W` writes byte for byte equal to
 * tcpdump's from the same input, `-G` with `-W` on a live capture ending by itself after its last file,
 * and the usage errors.
 *
 * @module
 */
import assert from "node:assert/strict";
import { countWidth, rotatedFileName, strftime } from "../../lib/capture/rotate.ts";
import { encodePcap, encodePcapng } from "../../lib/pcap/writer.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { needCommands, needNetRaw, run, testIf } from "../_helpers.ts";
import { cleanUp, sendUdp, sniff, spawnLive, statusWithin } from "../cmd/_sniffer.ts";

const TCPDUMP = needCommands("tcpdump");

Deno.test("rotatedFileName: tcpdump's MakeFilename (count suffix, -W padding, strftime only with -G)", () => {
  const t = { count: 0, time: 0 };
  assert.equal(rotatedFileName("a.pcap", { bytes: 1 }, t), "a.pcap");
  assert.equal(rotatedFileName("a.pcap", { bytes: 1 }, { ...t, count: 12 }), "a.pcap12");
  assert.equal(rotatedFileName("a.pcap", { bytes: 1, files: 1 }, t), "a.pcap");
  assert.equal(rotatedFileName("a.pcap", { bytes: 1, files: 2 }, t), "a.pcap0");
  assert.equal(rotatedFileName("a.pcap", { bytes: 1, files: 100 }, { ...t, count: 7 }), "a.pcap07");
  assert.equal(rotatedFileName("a.pcap", { bytes: 1, files: 101 }, { ...t, count: 7 }), "a.pcap007");
  // -G alone: no count, even with -W; -C's %Y is literal text.
  assert.equal(
    rotatedFileName("%Y.pcap", { seconds: 5, files: 3 }, { count: 0, time: 86400 * 365 }),
    "1971.pcap",
  );
  assert.equal(rotatedFileName("%Y.pcap", { bytes: 1 }, t), "%Y.pcap");
  assert.equal(rotatedFileName("%Y", { bytes: 1, seconds: 5, files: 10 }, { count: 3, time: 0 }), "19703");
  assert.deepEqual([1, 9, 10, 11, 1000, 1001].map(countWidth), [0, 1, 1, 2, 3, 4]);
});

testIf(
  "strftime equals date(1)'s for every conversion it knows, at several times",
  needCommands("date"),
  async () => {
    const format = "%Y %y %C %m %d %e %j %H %I %k %l %M %S %s %p %a %A %b %h %B %u %w %F %T %R %D %z %%";
    for (const epoch of [0, 951782400, 1700000000, 1767225599, 1782000000 + 43200 + 7]) {
      const want = await run("date", ["-d", `@${epoch}`, `+${format}`]);
      assert.equal(strftime(format, new Date(epoch * 1000)) + "\n", want.stdout, String(epoch));
    }
    assert.equal(strftime("%Q%E", new Date(0)), "%Q%E"); // unknown: as written
  },
);

/** 30,000 IPv4 frames of 100 bytes each (116 per record): -C 1 starts a new file after 8621 records. */
function bigCapture(): Uint8Array {
  const recs = [];
  for (let i = 0; i < 30_000; i++) {
    const data = new Uint8Array(100);
    data.set([0x08, 0x00], 12);
    data.set([0x45, 0, 0, 86, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
    data[40] = i & 0xff;
    recs.push({ tsSec: 1700000000 + Math.floor(i / 1000), tsUsec: (i % 1000) * 1000, data, len: 100 });
  }
  return encodePcap(recs, { linktype: 1 });
}

testIf("-C and -C with -W write the series of files tcpdump writes, byte for byte", TCPDUMP, async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-rotate-${Deno.pid}-` });
  try {
    Deno.writeFileSync(`${dir}/in.pcap`, bigCapture());
    for (const extra of [[], ["-W", "2"], ["-W", "11"], ["-c", "20000", "-W", "3"]]) {
      Deno.mkdirSync(`${dir}/t`);
      Deno.mkdirSync(`${dir}/n`);
      // -Z root: tcpdump would otherwise drop to its own user, who may not write here.
      const t = await run("tcpdump", [
        "-Z",
        "root",
        "-r",
        `${dir}/in.pcap`,
        "-w",
        `${dir}/t/x`,
        "-C",
        "1",
        ...extra,
      ]);
      assert.equal(t.code, 0, t.stderr);
      const n = await sniff(["-r", `${dir}/in.pcap`, "-w", `${dir}/n/x`, "-C", "1", ...extra]);
      assert.equal(n.code, 0, n.err);
      const names = (d: string) => [...Deno.readDirSync(d)].map((e) => e.name).sort();
      assert.deepEqual(names(`${dir}/n`), names(`${dir}/t`), extra.join(" "));
      assert(names(`${dir}/t`).length >= 2);
      for (const f of names(`${dir}/t`)) {
        assert.deepEqual(Deno.readFileSync(`${dir}/n/${f}`), Deno.readFileSync(`${dir}/t/${f}`), f);
      }
      Deno.removeSync(`${dir}/t`, { recursive: true });
      Deno.removeSync(`${dir}/n`, { recursive: true });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Waits (at most 20 s) until `path` has `lines` lines: -z's commands run in the background. */
async function linesOf(path: string, lines: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    let text = "";
    try {
      text = Deno.readTextFileSync(path);
    } catch { /* not yet written */ }
    const got = text.split("\n").filter((l) => l !== "");
    if (got.length >= lines || Date.now() > deadline) return got.sort();
    await new Promise((r) => setTimeout(r, 50));
  }
}

testIf(
  "-z runs its command on each file a rotation closed, complete, as tcpdump does (not on the last)",
  needCommands("tcpdump", "gzip"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-rotatez-${Deno.pid}-` });
    try {
      Deno.writeFileSync(`${dir}/in.pcap`, bigCapture());
      // The command logs its argument and that file's size when it ran.
      const script = `${dir}/post.sh`;
      Deno.writeTextFileSync(
        script,
        `#!/bin/sh\nprintf '%s %s\\n' "\${1##*/}" "$(wc -c < "$1")" >> "\${1%/*}/log"\n`,
      );
      Deno.chmodSync(script, 0o755);
      const logs: string[][] = [];
      for (const [who, sub] of [["tcpdump", "t"], ["netkit", "n"]] as const) {
        Deno.mkdirSync(`${dir}/${sub}`);
        const args = ["-r", `${dir}/in.pcap`, "-w", `${dir}/${sub}/x`, "-C", "1", "-z", script];
        const r = who === "tcpdump" ? await run("tcpdump", ["-Z", "root", ...args]) : await sniff(args);
        assert.equal(r.code, 0, "stderr" in r ? r.stderr : r.err);
        logs.push(await linesOf(`${dir}/${sub}/log`, 3));
      }
      // x, x1, x2 closed by rotation, each whole when the command ran; x3, the last, never handed over.
      assert.deepEqual(logs[1], logs[0]);
      assert.deepEqual(logs[1].map((l) => l.split(" ")[0]), ["x", "x1", "x2"]);
      for (const line of logs[1]) {
        const [name, size] = line.split(" ");
        assert.equal(Number(size), Deno.statSync(`${dir}/n/${name}`).size, name);
      }
      // The classic use: -z gzip leaves x.gz, x1.gz, x2.gz, equal to tcpdump's once unzipped, and x3.
      Deno.mkdirSync(`${dir}/g`);
      const g = await sniff(["-r", `${dir}/in.pcap`, "-w", `${dir}/g/x`, "-C", "1", "-z", "gzip"]);
      assert.equal(g.code, 0, g.err);
      const deadline = Date.now() + 20_000;
      const zipped = () => [...Deno.readDirSync(`${dir}/g`)].map((e) => e.name).sort();
      while (zipped().join() !== "x.gz,x1.gz,x2.gz,x3" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(zipped(), ["x.gz", "x1.gz", "x2.gz", "x3"]);
      for (const name of ["x", "x1", "x2"]) {
        const u = await run("gzip", ["-d", `${dir}/g/${name}.gz`]);
        assert.equal(u.code, 0, u.stderr);
        assert.deepEqual(Deno.readFileSync(`${dir}/g/${name}`), Deno.readFileSync(`${dir}/t/${name}`), name);
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

Deno.test("-z: a command that cannot start is reported and the files are still written; -z alone warns", async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-rotatez2-${Deno.pid}-` });
  try {
    Deno.writeFileSync(`${dir}/in.pcap`, bigCapture());
    const r = await sniff([
      "-r",
      `${dir}/in.pcap`,
      "-w",
      `${dir}/x`,
      "-C",
      "1",
      "-z",
      `${dir}/no-such-command`,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err.match(/^sniffer: -z: cannot run .*no-such-command .*\/x\d?: /gm)?.length, 3, r.err);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "in.pcap",
      "x",
      "x1",
      "x2",
      "x3",
    ]);
    const alone = await sniff(["-r", `${dir}/in.pcap`, "-w", `${dir}/y`, "-z", "gzip"]);
    assert.equal(alone.code, 0);
    assert.match(alone.err, /^sniffer: warning: -z has no effect without -w and -C or -G/m);
    const empty = await sniff(["-r", `${dir}/in.pcap`, "-w", `${dir}/y`, "-C", "1", "-z", ""]);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /^sniffer: empty -z command/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-C into pcapng: every file is a whole pcapng file, and together they hold every packet", async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-rotateng-${Deno.pid}-` });
  try {
    const input = bigCapture();
    Deno.writeFileSync(`${dir}/in.pcapng`, encodePcapng([...readPacketsSync(input)], {}));
    const r = await sniff(["-r", `${dir}/in.pcapng`, "-w", `${dir}/out.pcapng`, "-C", "1"]);
    assert.equal(r.code, 0, r.err);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("out.pcapng"))
      .sort();
    assert.deepEqual(files, ["out.pcapng", "out.pcapng1", "out.pcapng2", "out.pcapng3"]);
    let total = 0;
    for (const f of files) {
      const recs = [...readPacketsSync(Deno.readFileSync(`${dir}/${f}`))];
      assert(recs.length > 0);
      total += recs.length;
    }
    assert.equal(total, 30_000);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("rotation usage: bad -C/-G/-W values and -w - are one-line errors, exit 2", async () => {
  for (
    const args of [
      ["-C", "0", "-w", "x", "-r", "y"],
      ["-C", "1k", "-w", "x", "-r", "y"],
      ["-G", "-1", "-w", "x", "-r", "y"],
      ["-W", "x", "-w", "x", "-r", "y"],
      ["-C", "1", "-w", "-", "-r", "y"],
    ]
  ) {
    const r = await sniff(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /^sniffer: [^\n]*\(see --help\)\n$/);
  }
});

testIf(
  "process: live -G 1 -W 2 writes two strftime-named files, hands both to -z and ends by itself",
  needNetRaw() ?? TCPDUMP,
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-rotateG-${Deno.pid}-` });
    const post = Deno.makeTempDirSync({ prefix: `netkit-rotateGz-${Deno.pid}-` });
    Deno.writeTextFileSync(`${post}/post.sh`, `#!/bin/sh\necho "$1" >> ${post}/log\n`);
    Deno.chmodSync(`${post}/post.sh`, 0o755);
    const port = 22000 + (Deno.pid % 20000);
    const live = await spawnLive([
      "-i",
      "lo",
      "-G",
      "1",
      "-W",
      "2",
      "-z",
      `${post}/post.sh`,
      "-w",
      `${dir}/g-%s.pcap`,
      "udp",
      "port",
      `${port}`,
    ]);
    try {
      assert(live.listening, "the sniffer started");
      // One datagram every 100 ms for at most 6 s: the second file's period ends after about 2 s.
      let exited = false;
      live.child.status.then(() => exited = true);
      for (let i = 0; i < 60 && !exited; i++) {
        await sendUdp(port, 1);
        await new Promise((r) => setTimeout(r, 100));
      }
      const st = await statusWithin(live.child, 20_000);
      await live.child.stdout.cancel();
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(err, /\nMaximum file limit reached: 2\n\d+ packets captured\n/);
      const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.equal(files.length, 2, files.join(" "));
      for (const f of files) assert.match(f, /^g-\d{10}\.pcap$/);
      const [a, b] = files.map((f) => Number(f.slice(2, 12)));
      assert(b > a, `${a} then ${b}`);
      const counts = files.map((f) => [...readPacketsSync(Deno.readFileSync(`${dir}/${f}`))].length);
      const captured = Number(err.match(/(\d+) packets captured/)![1]);
      assert.equal(counts[0] + counts[1], captured);
      assert(counts[1] > 0);
      // tcpdump runs -z on the file the limit closes too.
      assert.deepEqual(await linesOf(`${post}/log`, 2), files.map((f) => `${dir}/${f}`));
    } finally {
      cleanUp(dir, live.child);
      Deno.removeSync(post, { recursive: true });
    }
  },
);
