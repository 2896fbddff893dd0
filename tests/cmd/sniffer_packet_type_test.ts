/**
 * `-T TYPE`: every UDP datagram read as that protocol whatever its ports (TCP data only for `domain` and
 * `resp`), compared with tcpdump 4.99 on datagrams of each protocol sent to ports that are not theirs and
 * on the corpus, plain and with -v, -vv, -q, -e and -x; the `--json` layers it gives; the refusals.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildPacket, type LayerSpec } from "../../lib/craft/build.ts";
import { encodePcap } from "../../lib/pcap/mod.ts";
import { PACKET_TYPES } from "../../lib/wire/decoder.ts";
import { needCommands, run, testIf } from "../_helpers.ts";
import { hex as hexBytes } from "../_bytes.ts";
import { CORPUS, sniff } from "./_sniffer.ts";

const TCPDUMP = needCommands("tcpdump");
/** Every type netkit prints (the refusal test below spells the list out). */
const TYPES = PACKET_TYPES;

const ETH: LayerSpec = { layer: "eth", src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
const IP: LayerSpec = { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2" };

/** Payloads of each protocol (from scapy), each sent to a port that is not its own. */
const PAYLOADS: [number, string][] = [
  [40053, "000001000001000000000000076578616d706c6503636f6d0000010001"], // DNS query
  [
    8000,
    "0c00000300002a0002000000000402000000000308004500001c000100004001f98cc0a80001c0a800020800f7ff00000000",
  ],
  [40161, "302602010104067075626c6963a019020100020100020100300e300c06082b060102010101000500"], // SNMP get
  [40812, "0105001400000000000000000000000000000000"], // RADIUS Access-Request
  [40069, "0001626f6f742e696d67006f6374657400"], // TFTP RRQ
  [40319, "0002002c00000200000000000000000000000000000102fffe03040500010007007f00000000000000000000"], // PTP sync
  [45004, "80e0001e000012c0deadbeef" + "00".repeat(160)], // RTP, PCMU, marker
  [
    45005,
    "81c8000cdeadbeefe8d4a51000000000000012c00000000a00000640" + "cafebabe000000010000001e0000000000010000" +
    "00000000" + "81ca0003deadbeef0103616263000000",
  ], // RTCP SR with one report block, then SDES
  [53, "000102"], // too short for anything
  [53, "000001000001000000000000076578616d706c6503636f6d0000010001"], // DNS on its own port
];

function frames(): Uint8Array[] {
  const out = PAYLOADS.map(([port, hex]) =>
    buildPacket([ETH, IP, { layer: "udp", srcPort: 40000, dstPort: port }, {
      layer: "raw",
      data: hexBytes(hex),
    }])
  );
  const tcp = (port: number, hex: string) =>
    buildPacket([ETH, IP, { layer: "tcp", srcPort: 40000, dstPort: port, flags: 0x18, seq: 1, ack: 1 }, {
      layer: "raw",
      data: hexBytes(hex),
    }]);
  out.push(tcp(40053, "001d000001000001000000000000076578616d706c65036f72670000010001")); // DNS over TCP
  out.push(tcp(40001, "2a310d0a24340d0a50494e470d0a")); // RESP: *1 $4 PING
  out.push(tcp(80, "474554202f20485454502f312e310d0a0d0a")); // HTTP: no TCP printer runs under -T
  return out;
}

testIf("-T prints what tcpdump -T prints, for datagrams of every type on other ports", TCPDUMP, async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-T-${Deno.pid}-` });
  try {
    const file = `${dir}/t.pcap`;
    Deno.writeFileSync(file, encodePcap(frames().map((data, i) => ({ tsSec: i, data })), { linktype: 1 }));
    for (const type of TYPES) {
      for (const flags of [[], ["-v"], ["-vv"], ["-q"], ["-e"], ["-x"]]) {
        const args = ["-n", "-T", type, ...flags, "-r", file];
        const want = await run("tcpdump", args);
        assert.equal(want.code, 0, want.stderr);
        const got = await sniff(args);
        assert.equal(got.code, 0, got.err);
        if (type === "resp") {
          // tcpdump's UDP printer has no RESP: it prints "IP " and nothing, not even the addresses; netkit
          // prints the addresses. TCP is the same.
          const udp = (l: string) => l.endsWith(": ") || l.endsWith("IP ") || (l !== "" && l.trim() === "");
          const keep = (s: string) => s.split("\n").filter((l) => !udp(l)).join("\n");
          assert.equal(keep(got.out), keep(want.stdout), `${type} ${flags.join(" ")}`);
          continue;
        }
        assert.equal(got.out, want.stdout, `${type} ${flags.join(" ")}`);
      }
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

testIf("-T over the corpus equals tcpdump -T", TCPDUMP, async () => {
  let compared = 0;
  for (const e of Deno.readDirSync(CORPUS)) {
    // SLL2's interface names are the reading host's (tcpdump resolves them): other tests' business.
    if (!/\.pcap(ng)?$/.test(e.name) || e.name.startsWith("sll2")) continue;
    for (const type of ["domain", "vxlan", "snmp", "tftp", "rtp", "rtcp", "vat", "wb"]) {
      const args = ["-n", "-T", type, "-r", `${CORPUS}/${e.name}`];
      const want = await run("tcpdump", args);
      if (want.code !== 0) continue; // files tcpdump refuses are other tests' business
      assert.equal((await sniff(args)).out, want.stdout, `${e.name} -T ${type}`);
      compared++;
    }
  }
  assert(compared >= 40, `${compared} runs compared`);
});

Deno.test("-T domain and vxlan give --json the dns and vxlan layers on any port; other types, no port's", async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-Tj-${Deno.pid}-` });
  try {
    const file = `${dir}/t.pcap`;
    Deno.writeFileSync(file, encodePcap(frames().map((data, i) => ({ tsSec: i, data })), { linktype: 1 }));
    const layers = async (type?: string) => {
      const r = await sniff(["--json", ...(type ? ["-T", type] : []), "-r", file]);
      assert.equal(r.code, 0, r.err);
      return r.out.trimEnd().split("\n").map((l) =>
        JSON.parse(l).layers.map((x: { layer: string }) => x.layer)
      );
    };
    const plain = await layers();
    assert.deepEqual(plain[0], ["eth", "ipv4", "udp"]);
    assert.deepEqual(plain[9], ["eth", "ipv4", "udp", "dns"], "port 53: DNS without -T");
    const domain = await layers("domain");
    assert.deepEqual(domain[0], ["eth", "ipv4", "udp", "dns"]);
    assert.deepEqual(domain[10], ["eth", "ipv4", "tcp", "dns"], "DNS over TCP on port 40053");
    const vxlan = await layers("vxlan");
    assert.deepEqual(vxlan[1], ["eth", "ipv4", "udp", "vxlan", "eth", "ipv4", "icmp"]);
    const snmp = await layers("snmp");
    assert.deepEqual(snmp[9], ["eth", "ipv4", "udp"], "-T snmp: port 53 is not DNS any more");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-T refusals: tcpdump's types netkit has no printer for, and unknown ones, exit 2", async () => {
  const cnfp = await sniff(["-T", "cnfp", "-r", `${CORPUS}/udp.pcap`]);
  assert.equal(cnfp.code, 2);
  assert.match(
    cnfp.err,
    /^sniffer: -T cnfp: netkit has no cnfp printer \(it has aodv, domain, ptp, radius, resp, rtcp, rtp, snmp, tftp, vat, vxlan, wb\)/,
  );
  const bogus = await sniff(["-T", "bogus", "-r", `${CORPUS}/udp.pcap`]);
  assert.equal(bogus.code, 2);
  assert.match(bogus.err, /^sniffer: unknown packet type `bogus' \(-T takes aodv, domain, /);
});
