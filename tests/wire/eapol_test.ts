/**
 * EAPOL (802.1X, EtherType 0x888e) and the EAP packets it carries: tcpdump 4.99's text over hand-built frames
 * (every EAPOL type, every EAP code, every EAP type tcpdump names and some it does not, each type's data at
 * and around its minimum length, lengths that disagree, a VLAN tag), whole and cut at every length, compared
 * packet by packet; with `-x`, whether the dump starts at the frame or at EAPOL tells tcpdump's long jumps
 * from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { eapolText } from "../../lib/wire/_eapol.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "01:80:c2:00:00:03" };
const eth = (payload: Uint8Array) => emitEthernet({ ...MAC, ethertype: 0x888e }, payload);
const u16 = (n: number) => new Uint8Array([n >> 8, n & 255]);

/** An EAPOL frame: version, type, the body length (the body's own unless given), the body. */
const eapol = (type: number, body: Uint8Array, o: { version?: number; length?: number } = {}) =>
  eth(cat(new Uint8Array([o.version ?? 2, type]), u16(o.length ?? body.length), body));
/** An EAP packet: code, identifier, the length (its own unless given), the rest. */
const eap = (code: number, id: number, rest: Uint8Array, length = 4 + rest.length) =>
  cat(new Uint8Array([code, id]), u16(length), rest);
/** An EAPOL frame carrying a request (or another code) of the given type and type data. */
const typed = (type: number, data: Uint8Array, code = 1) =>
  eapol(0, eap(code, 7, cat(new Uint8Array([type]), data)));

const TYPES_NAMED = [0, 1, 2, 3, 4, 5, 6, 13, 18, 21, 23, 43, 254, 255];

const FRAMES: Uint8Array[] = [
  // The EAPOL types, v1 and v2, with and without a body; an unknown one.
  ...[0, 1, 2, 3, 4, 5, 0xff].flatMap((t) => [
    eapol(t, new Uint8Array(0), { version: 1 }),
    eapol(t, hex("0101000501"), { version: t === 0 ? 1 : 2 }),
    eapol(t, hex("aabbccddee"), { version: 3 }),
  ]),
  // Every EAP code, without and with data.
  ...[0, 1, 2, 3, 4, 5, 0xff].flatMap((
    c,
  ) => [eapol(0, eap(c, c, hex(""))), eapol(0, eap(c, 9, text("\x01abc")))]),
  // Every type tcpdump names and a few it does not, as a request with 0, 1, 4 and 6 bytes of data.
  ...[...TYPES_NAMED, 7, 25, 26, 47, 52, 253].flatMap((t) => [
    typed(t, hex("")),
    typed(t, hex("80"), 2),
    typed(t, hex("80000001")),
    typed(t, hex("a0000102 0304")),
  ]),
  // Identity and Notification text: printable, controls, high bytes, stopped by a NUL.
  typed(1, text("user@example.com")),
  typed(1, hex("41 01 7f 80 ff 0a 42")),
  typed(1, hex("00 41 42")),
  typed(2, text("Password expires\0 tomorrow")),
  typed(2, hex("e9")),
  // Legacy NAK: the types the peer would rather use.
  typed(3, hex("04"), 2),
  typed(3, hex("04 0d 15 19 fe 00 63"), 2),
  // TLS, TTLS, FAST: every flag combination of the three bits, the version bits, the L bit's length.
  ...[0x00, 0x20, 0x40, 0x60, 0x80, 0xa0, 0xc0, 0xe0, 0x1f, 0xff].flatMap((f) =>
    [13, 21, 43].map((t) => typed(t, cat(new Uint8Array([f]), hex("00010203 0405"))))
  ),
  typed(13, hex("80 ffffffff")),
  typed(21, hex("85 000005")),
  typed(43, hex("81 00000a")),
  typed(13, hex("80 000005dc 16030100")),
  // SIM and AKA subtypes, named and not.
  ...[0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 0xff].flatMap((s) => [
    typed(18, cat(new Uint8Array([s]), hex("0000 0102"))),
    typed(23, cat(new Uint8Array([s]), hex("0000"))),
  ]),
  // Lengths that disagree: EAP longer or shorter than EAPOL says, a length below the EAP header, EAPOL 0.
  eapol(0, eap(1, 1, hex("01616263"), 7)),
  eapol(0, eap(1, 1, hex("01616263"), 9)),
  eapol(0, eap(1, 1, hex("01616263")), { length: 9 }),
  eapol(0, eap(1, 1, hex("01616263"), 3), { length: 3 }),
  eapol(0, eap(1, 1, hex(""), 1), { length: 1 }),
  eapol(0, eap(3, 1, hex(""), 0), { length: 0 }),
  eapol(0, eap(1, 1, hex("01"), 4), { length: 4 }),
  // An EAP packet longer than what follows (not captured: it was never there), the EAPOL body missing.
  eapol(0, eap(1, 2, hex("01"), 0xffff), { length: 0xffff }),
  eapol(0, hex("01"), { length: 5 }),
  eapol(0, hex(""), { length: 5 }),
  eth(hex("010000")),
  eth(hex("")),
  // Ethernet padding after the EAPOL body.
  eth(cat(hex("0100 0005 0101 0005 01"), new Uint8Array(37))),
  // Behind a VLAN tag.
  emitEthernet(
    { ...MAC, ethertype: 0x8100 },
    cat(hex("2005 888e"), hex("0100 000a 0203 000a 0d80 0000 0400")),
  ),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-v"], ["-q", "-v"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-X"]];

/** Every frame whole, then cut at every length inside it (the link header too). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

Deno.test("golden: tcpdump's EAPOL and EAP text", () => {
  const d = new PacketDecoder();
  const v = { verbose: true, verbosity: 1 };
  const at = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), o);
  assert.equal(at(eapol(0, eap(1, 1, hex("01")), { version: 1 })), "EAP packet (0) v1, len 5");
  assert.equal(at(eapol(1, hex(""))), "EAPOL start (1) v2, len 0");
  assert.equal(at(eapol(0xff, hex(""))), "unknown (255) v2, len 0");
  assert.equal(
    at(typed(1, text("bob")), v),
    "EAP packet (0) v2, len 8, Request (1), id 7, len 8\n\t\t Type Identity (1), Identity: bob",
  );
  assert.equal(
    at(typed(21, hex("a5 00000100")), v),
    "EAP packet (0) v2, len 10, Request (1), id 7, len 10\n\t\t Type TTLS (21) TTLSv5 flags [L bit, Start bit] " +
      "0xa5, len 256",
  );
  assert.equal(
    at(typed(3, hex("04 0d"), 2), v),
    "EAP packet (0) v2, len 7, Response (2), id 7, len 7\n\t\t Type Nak (3) MD5-challenge (4), TLS (13)",
  );
  assert.equal(at(eapol(0, eap(1, 1, hex("01"), 9)), v), "EAP packet (0) v2, len 5, EAP fragment?");
  assert.equal(at(eapol(0, hex(""), { length: 0 }), v), "EAP packet (0) v2, len 0 [|eap]");
  assert.equal(at(eth(hex("0100"))), " [|eap]");
});

Deno.test("eapolText: a cut EAP header is a long jump, a cut EAP packet or EAPOL header is not", () => {
  const f = typed(4, hex("10 00112233445566778899aabbccddeeff")).subarray(14);
  assert.deepEqual(eapolText(f.subarray(0, 7), f.length, 1), {
    text: "EAP packet (0) v2, len 22,  [|eap]",
    jump: true,
  });
  assert.deepEqual(eapolText(f.subarray(0, 7), f.length, 0), {
    text: "EAP packet (0) v2, len 22",
    jump: false,
  });
  assert.equal(eapolText(f.subarray(0, 9), f.length, 1)?.jump, false);
  assert.match(eapolText(f.subarray(0, 9), f.length, 1)?.text ?? "", /len 22 \[\|eap\]$/);
  assert.deepEqual(eapolText(f.subarray(0, 3), f.length, 2), { text: " [|eap]", jump: false });
  // No cut throws, at any verbosity.
  for (const g of FRAMES) {
    for (let n = 0; n <= g.length - 14; n++) {
      for (const v of [0, 1, 2]) assert(eapolText(g.subarray(14, 14 + n), g.length - 14, v) !== null);
    }
  }
});

testIf(
  "EAPOL frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "EAPOL with -x/-X: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
