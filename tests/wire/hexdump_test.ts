import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { pcapBytes, tcpdumpPackets } from "./_pcap.ts";
import { needCommands, run, testIf } from "../_helpers.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { hexdump, hexdumpFrame, type HexdumpMode, networkOffset } from "../../lib/wire/hexdump.ts";

Deno.test("hexdump() groups 16 bytes a line in 2-byte words, with the ASCII column padded", () => {
  const b = new Uint8Array(18).map((_, i) => 0x41 + i);
  const lines = hexdump(b, true).split("\n");
  assert.equal(lines[0], "\t0x0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50  ABCDEFGHIJKLMNOP");
  assert.equal(lines[1], "\t0x0010:  5152" + " ".repeat(35) + "  QR");
  assert.equal(hexdump(new Uint8Array([0, 0x7f, 0x20])), "\t0x0000:  007f 20");
  assert.equal(hexdump(new Uint8Array([0, 0x7f, 0x20]), true).endsWith("  ..."), true);
  assert.equal(hexdump(new Uint8Array(0)), "");
});

Deno.test("networkOffset() skips Ethernet and VLAN tags", () => {
  const d = new PacketDecoder();
  const f = FIXTURES.find((x) => x.name === "qinq_udp")!;
  assert.equal(networkOffset(d.decode(fixtureBytes(f), 1)), 22);
});

testIf("hexdumpFrame() matches tcpdump -x, -xx, -X and -XX", needCommands("tcpdump"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "netkit-hex-" });
  try {
    const group = FIXTURES.filter((f) => f.linktype === 1);
    const file = `${dir}/eth.pcap`;
    await Deno.writeFile(file, pcapBytes(1, group.map((f) => ({ data: fixtureBytes(f) }))));
    const d = new PacketDecoder();
    for (const mode of ["x", "xx", "X", "XX"] as HexdumpMode[]) {
      const r = await run("tcpdump", ["-n", `-${mode}`, "-r", file], { timeoutMs: 30_000 });
      const want = tcpdumpPackets(r.stdout);
      group.forEach((f, i) => {
        const frame = fixtureBytes(f);
        const dump = want[i].split("\n").slice(1).join("\n");
        assert.equal(hexdumpFrame(frame, d.decode(frame, 1), mode), dump, `${f.name} -${mode}`);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
