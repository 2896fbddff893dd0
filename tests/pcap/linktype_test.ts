import assert from "node:assert/strict";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import { describeLinkType, LinkType, linkTypeByName, linkTypeName } from "../../lib/pcap/linktype.ts";

Deno.test("LinkType numbers are the LINKTYPE_* values of tcpdump.org/linktypes.html", () => {
  assert.deepEqual(
    [
      LinkType.NULL,
      LinkType.EN10MB,
      LinkType.RAW,
      LinkType.LOOP,
      LinkType.LINUX_SLL,
      LinkType.IPV4,
      LinkType.IPV6,
    ],
    [0, 1, 101, 108, 113, 228, 229],
  );
  assert.equal(LinkType.LINUX_SLL2, 276);
});

Deno.test("linkTypeName() and linkTypeByName() are inverse for every named type; unknown is data", () => {
  for (const v of Object.values(LinkType)) assert.equal(linkTypeByName(linkTypeName(v)), v);
  assert.equal(linkTypeName(4242), "unknown(4242)");
  assert.equal(describeLinkType(4242), "link-type unknown(4242)");
  assert.equal(linkTypeByName("dlt_en10mb"), 1);
  assert.equal(linkTypeByName("IEEE802_11_RADIOTAP"), 127);
  assert.equal(linkTypeByName("nope"), undefined);
});

// tcpdump announces the link type of a file on stderr: "reading from file X, link-type EN10MB (Ethernet), ...".
testIf(
  "describeLinkType() matches tcpdump's announcement for the corpus link types",
  needCommands("tcpdump"),
  async () => {
    const files = [["udp.pcap", 1], ["raw_ip.pcap", 101], ["sll.pcap", 113], ["sll2.pcap", 276], [
      "null_loopback.pcap",
      0,
    ]] as const;
    for (const [file, lt] of files) {
      const r = await run("tcpdump", ["-r", repoPath(`tests/fixtures/corpus/${file}`), "-c", "1", "-n"], {
        timeoutMs: 20_000,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.includes(`, ${describeLinkType(lt)}, `), `${file}: ${r.stderr}`);
    }
  },
);

Deno.test("lib/pcap is pure: no Deno.* and no ffi/ import", () => {
  const dir = repoPath("lib/pcap");
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".ts")) continue;
    const src = Deno.readTextFileSync(`${dir}/${e.name}`);
    // Ignore JSDoc examples, which may show the caller doing I/O.
    const code = src.replace(/\/\*\*[\s\S]*?\*\//g, "");
    assert.doesNotMatch(code, /\bDeno\./, e.name);
    assert.doesNotMatch(code, /from\s+["'][^"']*ffi\//, e.name);
  }
});
