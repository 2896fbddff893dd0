/**
 * `deno task compile` builds real single executables. `deno compile` needs Deno's runtime (denort): from
 * DENORT_BIN, from Deno's cache, or downloaded. When none is available here the test says so and skips:
 * a binary is never faked.
 */
import assert from "node:assert/strict";
import { repoPath, run, testIf } from "./_helpers.ts";

function denortAvailable(): string | undefined {
  const bin = Deno.env.get("DENORT_BIN");
  if (bin) {
    try {
      return Deno.statSync(bin).isFile ? undefined : `DENORT_BIN=${bin} is not a file`;
    } catch {
      return `DENORT_BIN=${bin} does not exist`;
    }
  }
  const home = Deno.env.get("HOME") ?? "/root";
  const denoDir = Deno.env.get("DENO_DIR") ?? `${home}/.cache/deno`;
  const zip = `${denoDir}/dl/release/v${Deno.version.deno}/denort-${Deno.build.target}.zip`;
  try {
    Deno.statSync(zip);
    return undefined;
  } catch {
    return "no Deno runtime for `deno compile` here (DENORT_BIN unset and none in Deno's cache; " +
      "this machine cannot download it)";
  }
}

testIf(
  "deno task compile builds echo-server, echo-client, sniffer and inject, and they run",
  denortAvailable(),
  async () => {
    const build = await run(Deno.execPath(), ["task", "compile"], { cwd: repoPath(""), timeoutMs: 300_000 });
    assert.equal(build.code, 0, build.stderr);
    const server = new Deno.Command(repoPath("dist/echo-server"), {
      args: ["--host", "127.0.0.1", "--port", "0", "--model", "processes", "--threads", "2"],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = server.stderr.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let seen = "";
      let port = 0;
      while (!port) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`echo-server exited: ${seen}`);
        seen += value;
        const m = seen.match(/listening on .*:(\d+)/);
        if (m) port = Number(m[1]);
      }
      const talk = await run(repoPath("dist/echo-client"), [
        "--send",
        "hello binary",
        "127.0.0.1",
        String(port),
      ]);
      assert.equal(talk.code, 0, talk.stderr);
      assert.equal(talk.stdout, "hello binary");
      // The sniffer binary reads a file with no privilege; its lines are tcpdump's.
      const sniff = await run(repoPath("dist/sniffer"), [
        "-r",
        repoPath("tests/fixtures/corpus/tcp.pcap"),
        "-c",
        "3",
      ]);
      assert.equal(sniff.code, 0, sniff.stderr);
      assert.equal(sniff.stdout.trim().split("\n").length, 3);
      assert.match(sniff.stdout, /IP 10\.0\.0\.1\.40000 > 10\.0\.0\.2\.80: Flags \[S\]/);
      // The inject binary refuses a bad value with exit 2, before touching the network.
      const bad = await run(repoPath("dist/inject"), ["udp", "--dst", "127.0.0.1", "--dport", "70000"]);
      assert.equal(bad.code, 2, bad.stderr);
    } finally {
      server.kill("SIGTERM");
      await reader.cancel();
      await server.status;
    }
  },
);
