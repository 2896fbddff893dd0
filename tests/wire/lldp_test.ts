/**
 * LLDP (IEEE 802.1AB, EtherType 0x88cc) as tcpdump 4.99 prints it: the System Name without `-v`, every TLV
 * with `-v`, hex dumps of every TLV with `-vv`. Hand-built messages covering each TLV, subtype and
 * organisation tcpdump knows (and some it does not), whole and cut at every length, compared with tcpdump
 * line by line; golden lines checked without it; random messages never make the summarizer throw.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize, type SummaryOptions } from "../../lib/wire/summary.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareWithTcpdump, type Frame, pcapBytes } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex, text } from "../_bytes.ts";

/** One TLV: 7-bit type, 9-bit length, value. */
const tlv = (type: number, value: Uint8Array) =>
  cat(new Uint8Array([(type << 1) | (value.length >> 8), value.length & 0xff]), value);
const org = (oui: string, sub: number, body: Uint8Array) =>
  tlv(127, cat(hex(oui), new Uint8Array([sub]), body));
const END = tlv(0, new Uint8Array(0));
/** An LLDP frame to the nearest-bridge group address. */
const lldp = (...tlvs: Uint8Array[]) => cat(hex("0180c200000e 02000000000a 88cc"), ...tlvs);

const CHASSIS_MAC = tlv(1, hex("04 020000000001"));
const PORT_NAME = tlv(2, cat(hex("05"), text("eth0")));
const TTL = tlv(3, hex("0078"));
const BASIC = [CHASSIS_MAC, PORT_NAME, TTL];

const MESSAGES: Uint8Array[] = [
  lldp(...BASIC, tlv(5, text("switch1")), END),
  lldp(
    ...BASIC,
    tlv(4, text("uplink port")),
    tlv(5, text("switch1")),
    tlv(6, text("Debian GNU/Linux 12 (bookworm) Linux 6.1")),
    tlv(7, hex("0014 0004")),
    tlv(8, cat(hex("05 01 c0000201"), hex("02 00000003"), hex("00"))),
    tlv(8, cat(hex("11 02 20010db8000000000000000000000001"), hex("03 00000007"), hex("03 2b0601"))),
    END,
  ),
  // Chassis and port ID subtypes: each name tcpdump knows, a network address, an unknown subtype.
  lldp(
    tlv(1, cat(hex("01"), text("chassis-comp"))),
    tlv(2, cat(hex("01"), text("ifalias"))),
    tlv(1, cat(hex("05 01 0a000001"))),
    tlv(2, cat(hex("04 02 fe800000000000000000000000000001"))),
    tlv(1, cat(hex("07"), text("local"))),
    tlv(2, hex("03 020000000002")),
    tlv(1, hex("09 0102")),
    tlv(2, cat(hex("07"), text("port\x01local"))),
    TTL,
    END,
  ),
  // IEEE 802.1: port VLAN, protocol VLAN, VLAN name, protocol identity, link aggregation, unknown subtype.
  lldp(
    ...BASIC,
    org("0080c2", 1, hex("0064")),
    org("0080c2", 2, hex("06 0065")),
    org("0080c2", 3, cat(hex("0064 05"), text("users"))),
    org("0080c2", 4, hex("02 8809")),
    org("0080c2", 7, hex("03 00000005")),
    org("0080c2", 0x55, hex("abcd")),
    END,
  ),
  // IEEE 802.3: MAC/PHY, power via MDI, link aggregation, maximum frame size, an unknown subtype.
  lldp(
    ...BASIC,
    org("00120f", 1, hex("03 6c01 001e")),
    org("00120f", 2, hex("07 01 03")),
    org("00120f", 3, hex("01 00000009")),
    org("00120f", 4, hex("05ee")),
    org("00120f", 9, hex("01")),
    END,
  ),
  // TIA LLDP-MED: capabilities, network policy, location (civic, ELIN), extended power, inventory.
  lldp(
    ...BASIC,
    org("0012bb", 1, hex("002f 03")),
    org("0012bb", 2, hex("01 0064 2e")),
    org("0012bb", 3, cat(hex("03"), text("5551234567"))),
    org("0012bb", 3, cat(hex("02 07 02 5553 03 02"), text("CA"))),
    org("0012bb", 4, hex("51 0064")),
    org("0012bb", 5, text("1.0")),
    org("0012bb", 9, text("Acme")),
    END,
  ),
  // An unknown organisation, an unknown TLV type, a TLV after End (not printed).
  lldp(...BASIC, org("aabbcc", 1, hex("0102")), tlv(9, hex("0a0b")), END, tlv(5, text("after"))),
  // Management address with an IEEE 802 address and an OID.
  lldp(...BASIC, tlv(8, cat(hex("07 06 020000000009"), hex("02 0000000c"), hex("04 2b060102"))), END),
  // No End TLV; a zero-length TLV ends the walk.
  lldp(...BASIC, tlv(5, text("noend"))),
  lldp(CHASSIS_MAC, tlv(4, new Uint8Array(0)), tlv(5, text("hidden"))),
  // Bad lengths: a TTL of one byte, a chassis ID of one byte, a management address longer than its TLV.
  lldp(CHASSIS_MAC, tlv(3, hex("01")), END),
  lldp(tlv(1, hex("04")), END),
  lldp(...BASIC, tlv(8, hex("20 01 c0000201")), END),
];

/** Each message whole and cut at every length from 14 bytes on (tcpdump's `-s N`). */
function withCuts(frames: Uint8Array[], cutsOf: number[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const k of cutsOf) {
    const f = frames[k];
    for (let n = 14; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-vvv"], ["-e", "-v"], ["-x"]];

async function compare(frames: Frame[]): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-lldp-" });
  try {
    const file = `${dir}/f.pcap`;
    Deno.writeFileSync(file, pcapBytes(1, frames));
    let n = 0;
    for (const flags of FLAGS) n += await compareWithTcpdump(file, flags);
    return n;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const line = (frame: Uint8Array, o: SummaryOptions = {}) =>
  summarize(new PacketDecoder().decode(frame, 1), o);

Deno.test("golden: LLDP without -v prints the system name, with -v every TLV", () => {
  assert.equal(line(MESSAGES[0]), "LLDP, length 31: switch1");
  assert.equal(
    line(MESSAGES[0], { verbose: true, verbosity: 1 }),
    "LLDP, length 31\n" +
      "\tChassis ID TLV (1), length 7\n" +
      "\t  Subtype MAC address (4): 02:00:00:00:00:01\n" +
      "\tPort ID TLV (2), length 5\n" +
      "\t  Subtype Interface Name (5): eth0\n" +
      "\tTime to Live TLV (3), length 2: TTL 120s\n" +
      "\tSystem Name TLV (5), length 7: switch1\n" +
      "\tEnd TLV (0), length 0",
  );
  // Cut inside the system name: the walk stops with tcpdump's mark.
  assert.equal(
    summarize(new PacketDecoder().decode(MESSAGES[0].slice(0, 40), 1), { wireLen: MESSAGES[0].length }),
    "LLDP, length 31 [|lldp]",
  );
});

testIf(
  "LLDP messages, whole and cut, match tcpdump with and without -v",
  needCommands("tcpdump"),
  async () => {
    const n = await compare(withCuts(MESSAGES, MESSAGES.map((_, i) => i)));
    assert.ok(n > 2000, `${n}`);
  },
);

Deno.test("random and mutated LLDP messages never make the summarizer throw", () => {
  const rng = new Rng(0x88cc);
  const d = new PacketDecoder();
  for (let k = 0; k < 20000; k++) {
    let f = MESSAGES[rng.int(MESSAGES.length)].slice();
    for (let m = rng.int(6); m >= 0; m--) f[14 + rng.int(f.length - 14)] = rng.int(256);
    f = f.slice(0, rng.int(f.length + 1));
    const verbosity = rng.int(4);
    const o: SummaryOptions = {
      link: rng.bool(),
      verbose: verbosity > 0,
      verbosity,
      wireLen: f.length + rng.int(40),
    };
    assert.equal(typeof summarize(d.decode(f, 1), o), "string");
  }
});
