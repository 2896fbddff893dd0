/**
 * Kerberos on UDP 88 and 750, compared with tcpdump 4.99: Kerberos 5's AS-REQ/AS-REP (` v5`) and its other
 * messages (nothing), versions 1-3, and Kerberos 4's messages with their NUL-terminated names, whole and cut.
 */
import assert from "node:assert/strict";
import { needCommands, testIf } from "../_helpers.ts";
import { hex } from "../_bytes.ts";
import { krbText } from "../../lib/wire/_krb.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { udp4, udp6 } from "./_udp.ts";

/** The first bytes of Kerberos 5 messages: AS-REQ, AS-REP, TGS-REQ, KRB-ERROR (ASN.1 application tags). */
const V5 = ["6a81a33081a0a103020105a20302010a", "6b8202443082", "6c8204a1308204", "7e81a43081a1a003020105"];

Deno.test("krbText: Kerberos 5's AS messages are v5, its others nothing, Kerberos 4 by its fields", () => {
  assert.deepEqual(V5.map((h) => krbText(hex(h)).text), [" v5", " v5", "", ""]);
  const kdcRequest = new Uint8Array([
    4,
    2,
    ...new TextEncoder().encode("alice\0\0ATHENA\0"),
    0,
    0,
    0,
    0,
    12,
    ...new TextEncoder().encode("krbtgt\0ATHENA\0"),
  ]);
  assert.equal(krbText(kdcRequest).text, " v4 be KDC_REQUEST: alice.@ATHENA 60min krbtgt.ATHENA");
  assert.deepEqual(krbText(kdcRequest.subarray(0, 9)), {
    text: " v4 be KDC_REQUEST: alice.@ [|krb]",
    jump: false,
  });
});

testIf(
  "Kerberos datagrams print as tcpdump prints them, whole and cut",
  needCommands("tcpdump"),
  async () => {
    const r = new Rng(88);
    const frames: Frame[] = V5.map((h) => ({ data: udp4(40000, 88, hex(h)) }));
    frames.push({ data: udp6(88, 40000, hex(V5[1])) });
    const word = () => Array.from({ length: r.int(6) }, () => r.pick([0x61, 0x62, 0x2e, 0x41, 0x01, 0xc3]));
    for (let k = 0; k < 300; k++) {
      const parts = [
        r.pick([1, 2, 3, 4, 4, 4, 4, 5, 106, 107, 0x7e, 0]),
        r.pick([2, 3, 4, 5, 6, 7, 10, 11, 126, 99]),
      ];
      for (let j = 0; j < 8; j++) {
        parts.push(...word());
        if (r.int(6)) parts.push(0);
        parts.push(...r.bytes(r.int(12)));
      }
      const f = udp4(
        r.bool() ? 40000 : 88,
        r.bool() ? 88 : 750,
        new Uint8Array(parts.slice(0, r.int(parts.length + 1))),
      );
      const cut = r.int(4) === 0 ? 42 + r.int(f.length - 41) : f.length;
      frames.push({ data: f.subarray(0, cut), len: f.length });
    }
    assert.equal(await compareFramesWithTcpdump(frames, [[], ["-v"]]), frames.length * 2);
  },
);
