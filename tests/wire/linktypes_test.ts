/**
 * BSD loopback (LINKTYPE_NULL 0, LOOP 108), PPP (9), PPP in HDLC framing (50), Cisco HDLC (104) and link types
 * netkit does not decode: golden lines (printed by tcpdump 4.99.3 for the same bytes), the `--json` record,
 * and, where scapy and tcpdump are installed, packets generated now and compared with `tcpdump -n` line by
 * line (default, -e, -q), whole and cut by a short snap length.
 *
 * Not reproduced (left out of the comparison): what tcpdump prints for the OSI, AppleTalk and IPX families
 * and for the PPP protocols OSI, IPX, multilink and BAP (it dissects them; netkit prints the link header).
 * PPP's control protocols, PAP and CHAP are compared in ppp_ctrl_test.ts.
 */
import assert from "node:assert/strict";
import { needCommands, needScapy, run, testIf } from "../_helpers.ts";
import { pcapBytes, tcpdumpPackets } from "./_pcap.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer, summarize, type SummaryOptions } from "../../lib/wire/summary.ts";
import { formatJson, jsonRecord } from "../../lib/wire/json.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitLoopback, LoopbackFrame, parseLoopback } from "../../lib/wire/loopback.ts";
import { emitChdlc, emitPpp, parsePpp, PppFrame } from "../../lib/wire/ppp.ts";
import { WireError } from "../../lib/wire/errors.ts";

const ping = emitIpv4({ src: "1.2.3.4", dst: "5.6.7.8", proto: 1 }, emitIcmpv4({ type: 8, id: 0, seq: 0 }));
const a6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const udp6 = emitIpv6({ ...a6, proto: 17 }, emitUdp({ srcPort: 1000, dstPort: 2000 }, new Uint8Array(4), a6));
const ICMP = "1.2.3.4 > 5.6.7.8: ICMP echo request, id 0, seq 0, length 8";
const line = (frame: Uint8Array, linktype: number, o: SummaryOptions = {}) =>
  summarize(new PacketDecoder().decode(frame, linktype), o);

Deno.test("golden: NULL and LOOP lines, the family in either byte order", () => {
  for (const [linktype, byteOrder] of [[0, "little"], [0, "big"], [108, "big"], [108, "little"]] as const) {
    const f = emitLoopback({ family: 2, byteOrder }, ping);
    assert.equal(line(f, linktype), `IP ${ICMP}`);
    assert.equal(line(f, linktype, { link: true }), `AF IPv4 (2), length 32: ${ICMP}`);
    assert.equal(line(f, linktype, { link: true, quiet: true }), `IPv4, length 32: ${ICMP}`);
  }
  for (const family of [24, 28, 30]) {
    assert.equal(
      line(emitLoopback({ family }, udp6), 0, { link: true }),
      `AF IPv6 (${family}), length 56: 2001:db8::1.1000 > 2001:db8::2.2000: UDP, length 4`,
    );
  }
  // Linux's AF_INET6 is not a BSD family: tcpdump does not decode it.
  assert.equal(line(emitLoopback({ family: 10 }, udp6), 0), "AF Unknown (10), length 56: ");
  assert.equal(line(emitLoopback({ family: 99 }, ping), 0, { quiet: true }), "Unknown AF 99, length 32: ");
  assert.equal(line(new Uint8Array([1, 2, 3, 4]), 0), "AF Unknown (16909060), length 4: ");
  assert.equal(line(new Uint8Array([2, 0]), 0), " [|null]");
  assert.equal(line(emitLoopback({ family: 2 }), 0), " [|ip]");
  assert.equal(line(emitLoopback({ family: 2 }), 0, { link: true }), "AF IPv4 (2), length 4:  [|ip]");
  assert.equal(line(emitLoopback({ family: 2 }, ping.subarray(0, 1)), 0), "IP  [|ip]");
});

Deno.test("golden: PPP, PPP_HDLC and Cisco HDLC lines", () => {
  for (
    const f of [emitPpp({ protocol: 0x21 }, ping), emitPpp({ protocol: 0x21, addressControl: false }, ping)]
  ) {
    assert.equal(line(f, 9), `IP ${ICMP}`);
  }
  const compressed = emitPpp({ protocol: 0x21, compress: true }, ping);
  assert.equal(line(compressed, 9, { link: true }), `IP (0x0021), length 31: ${ICMP}`);
  assert.equal(
    line(emitPpp({ protocol: 0x57 }, udp6), 9, { link: true }),
    "IP6 (0x0057), length 56: 2001:db8::1.1000 > 2001:db8::2.2000: UDP, length 4",
  );
  assert.equal(line(emitPpp({ protocol: 0x0800 }, ping), 9, { link: true }), "unknown (0x0800), length 32");
  assert.equal(line(emitPpp({ protocol: 0x0800 }, ping), 9), `IP ${ICMP}`);
  const lcp = emitPpp({ protocol: 0xc021 }, new Uint8Array([9, 2, 0, 8, 0, 0, 0, 0]));
  assert.equal(line(lcp, 9), "LCP, Echo-Request (0x09), id 2, length 10");
  assert.equal(line(lcp.subarray(0, 5), 9), "LCP, [|LCP]");
  assert.equal(
    line(emitPpp({ protocol: 0x1234 }, new Uint8Array(4)), 9),
    "unknown PPP protocol (0x1234) \n\t0x0000:  0000 0000",
  );
  assert.equal(line(new Uint8Array([0xff, 3, 0x21]), 9), " [|ppp]");
  assert.equal(line(emitPpp({ protocol: 0x21 }), 9), " [|ip]");
  const inOut = new Uint8Array([0x00, 0x03, 0x00, 0x21, ...ping]);
  assert.equal(line(inOut, 9, { link: true }), `In  IP (0x0021), length 32: ${ICMP}`);
  // PPP_HDLC: no compression, -e prints address, control and length; Cisco frames are allowed.
  assert.equal(line(emitPpp({ protocol: 0x21 }, ping), 50), `IP: IP ${ICMP}`);
  assert.equal(line(emitPpp({ protocol: 0x21 }, ping), 50, { link: true }), `ff 03 32 IP: ${ICMP}`);
  assert.equal(line(new Uint8Array([0x00, 0x21, ...ping]), 50), "unknown addr 45; ctrl 00");
  assert.equal(line(emitChdlc({ address: 0x8f, protocol: 0x800 }, ping), 50), `IP ${ICMP}`);
  assert.equal(line(new Uint8Array([0xff]), 50), " [|ppp_hdlc]");
  // Cisco HDLC.
  assert.equal(
    line(emitChdlc({ protocol: 0x800 }, ping), 104, { link: true }),
    `unicast, ethertype IPv4 (0x0800), length 32: ${ICMP}`,
  );
  assert.equal(line(emitChdlc({ protocol: 0x1234 }), 104), "unknown CHDLC protocol (0x1234)");
  assert.equal(line(emitChdlc({ protocol: 0x8035 }, new Uint8Array(20)), 104), "SLARP (length: 20), request");
  assert.equal(line(new Uint8Array([0x0f, 0]), 104), " [|chdlc]");
});

Deno.test("a link type without a decoder prints an honest line and a JSON record without layers", () => {
  const d = new PacketDecoder();
  const frame = new Uint8Array(68);
  for (const [linktype, name] of [[119, "PRISM_HEADER"], [4242, "4242"]] as const) {
    const r = d.decode(frame, linktype);
    assert.equal(summarize(r, { wireLen: 70 }), `link-type ${name} not decoded, length 70`);
    assert.equal(summarize(r, { link: true }), `link-type ${name} not decoded, length 68`);
    const j = JSON.parse(formatJson(r, { n: 1, ts: 0, len: 68, caplen: 68 }));
    assert.deepEqual(j.layers, []);
    assert.equal(j.malformed, true);
    assert.equal(r.error?.message.includes(`${linktype}`), true);
  }
});

Deno.test("--json: null, ppp and chdlc layers, equal to JSON.stringify of the record", () => {
  const d = new PacketDecoder();
  const cases: [Uint8Array, number, string, object][] = [
    [emitLoopback({ family: 2 }, ping), 0, "null,ipv4,icmp", { layer: "null", family: 2 }],
    [emitLoopback({ family: 30, byteOrder: "big" }, udp6), 108, "null,ipv6,udp", {
      layer: "null",
      family: 30,
    }],
    [emitPpp({ protocol: 0x21, compress: true, addressControl: false }, ping), 9, "ppp,ipv4,icmp", {
      layer: "ppp",
      address: null,
      control: null,
      protocol: 0x21,
    }],
    [emitPpp({ protocol: 0xc021 }, new Uint8Array(4)), 50, "ppp", {
      layer: "ppp",
      address: 0xff,
      control: 3,
      protocol: 0xc021,
    }],
    [emitChdlc({ protocol: 0x86dd }, udp6), 104, "chdlc,ipv6,udp", {
      layer: "chdlc",
      address: 0x0f,
      protocol: 0x86dd,
    }],
  ];
  for (const [f, linktype, names, first] of cases) {
    const r = d.decode(f, linktype);
    const meta = { n: 1, ts: 0, len: f.length, caplen: f.length };
    const text = formatJson(r, meta);
    assert.equal(text, JSON.stringify(jsonRecord(r, meta)));
    const j = JSON.parse(text);
    assert.equal(j.layers.map((l: { layer: string }) => l.layer).join(), names);
    assert.deepEqual(j.layers[0], first);
    assert.equal(j.truncated || j.malformed, false);
    // Every cut decodes without throwing, prints, and stays valid JSON.
    for (let n = 0; n <= f.length; n++) {
      const c = d.decode(f.subarray(0, n), linktype);
      JSON.parse(formatJson(c, { ...meta, caplen: n }));
      summarize(c, { wireLen: f.length });
      summarize(c, { wireLen: f.length, link: true, quiet: true });
    }
  }
});

Deno.test("the codecs: views, parse, emit and the errors of a short header", () => {
  assert.equal(new LoopbackFrame(new Uint8Array([0, 0, 0, 28])).family, 28);
  assert.equal(new LoopbackFrame(new Uint8Array([0, 0, 0, 28])).rawFamily, 28);
  assert.equal(parseLoopback(emitLoopback({ family: 24 })).family, 24);
  assert.throws(() => parseLoopback(new Uint8Array(3)), WireError);
  const h = parsePpp(emitPpp({ protocol: 0x57, addressControl: false }, new Uint8Array(2)));
  assert.deepEqual(h, { address: null, control: null, protocol: 0x57, hdrLen: 2 });
  assert.throws(() => parsePpp(new Uint8Array(3)), WireError);
  assert.throws(() => parsePpp(new Uint8Array([0x0f, 0, 8, 0]), true), { code: "WIRE_BAD_VALUE" });
  assert.equal(new PppFrame(new Uint8Array([0x21, 0x45, 0, 0])).hdrLen, 1);
});

/** Packets tcpdump decodes and netkit reproduces, written by scapy (and by hand where scapy has no layer). */
const SCAPY = String.raw`
import sys, struct
from scapy.all import *
from scapy.layers.ppp import PPP, HDLC
out = sys.argv[1]
ip = IP(src="1.2.3.4", dst="5.6.7.8")/ICMP()
tcp = IP(src="10.0.0.1", dst="10.0.0.2")/TCP(sport=40000, dport=80, flags="S")
udp = IP(src="10.0.0.1", dst="10.0.0.3")/UDP(sport=53, dport=33000)/DNS(qr=1, qd=DNSQR(qname="example.com"))
ip6 = IPv6(src="2001:db8::1", dst="2001:db8::2")/ICMPv6EchoRequest()
ip6u = IPv6(src="2001:db8::1", dst="2001:db8::2")/UDP(sport=1234, dport=53)/DNS(rd=1, qd=DNSQR(qname="example.com"))
v4 = [ip, tcp, udp]
v6 = [ip6, ip6u]
def hdr(fam, order): return struct.pack(order + "I", fam)
null = []
for o in "<>":
    null += [Raw(hdr(2, o) + bytes(p)) for p in v4]
    null += [Raw(hdr(f, o) + bytes(p)) for f in (24, 28, 30) for p in v6]
    null += [Raw(hdr(f, o) + bytes(ip)) for f in (0, 10, 99)]
null += [Raw(bytes([1, 2, 3, 4]) + bytes(ip)), Raw(b"\x02\x00"), Raw(hdr(2, "<")), Raw(hdr(2, "<") + b"\x45"), Raw(hdr(24, "<"))]
wrpcap(out + "/null.pcap", null, linktype=0)
wrpcap(out + "/loop.pcap", [Loopback(type=2)/p for p in v4] + [Loopback(type=24)/p for p in v6] + null, linktype=108)
ppp = [HDLC()/PPP(proto=0x21)/p for p in v4] + [HDLC()/PPP(proto=0x57)/p for p in v6]
ppp += [Raw(b"\x00\x21" + bytes(p)) for p in v4] + [Raw(b"\x21" + bytes(ip)), Raw(b"\x00\x57" + bytes(ip6))]
ppp += [Raw(b"\x00\x03\x00\x21" + bytes(ip)), Raw(b"\x01\x03\x21" + bytes(tcp))]
ppp += [Raw(b"\xff\x03\x08\x00" + bytes(ip)), Raw(b"\xff\x03\x86\xdd" + bytes(ip6)), Raw(b"\xff\x03\x00\x2f" + bytes(ip))]
for proto in (b"\xc0\x21", b"\x80\x21", b"\x80\x57", b"\x80\xfd"):
    for body in (b"\x01\x01\x00\x04", b"\x09\x02\x00\x08\x00\x00\x00\x00", b"\x63\x01\x00\x04", b"\x01", b"\x05\x07\x00"):
        ppp.append(Raw(b"\xff\x03" + proto + body))
ppp += [Raw(b"\xff\x03\x12\x34abcd"), Raw(b"\xff\x03\x00\xfd\x01"), Raw(b"\xff\x03"), Raw(b"\xff"), Raw(b"\xff\x03\x00\x21"), Raw(b"\xff\x03\x00\x21\x45")]
wrpcap(out + "/ppp.pcap", ppp, linktype=9)
hd = [Raw(b"\xff\x03\x00\x21" + bytes(p)) for p in v4] + [Raw(b"\xff\x03\x00\x57" + bytes(p)) for p in v6]
hd += [Raw(b"\xff\x03\xc0\x21\x01\x01\x00\x04"), Raw(b"\xff\x03\x12\x34abcd"), Raw(b"\x00\x21" + bytes(ip)), Raw(b"\xff\x03\x00"), Raw(b"\xff")]
hd += [Raw(b"\x0f\x00\x08\x00" + bytes(ip)), Raw(b"\x8f\x00\x86\xdd" + bytes(ip6)), Raw(b"\x0f\x00")]
wrpcap(out + "/ppp_hdlc.pcap", hd, linktype=50)
ch = [Raw(b"\x0f\x00\x08\x00" + bytes(p)) for p in v4] + [Raw(b"\x8f\x00\x86\xdd" + bytes(p)) for p in v6]
ch += [Raw(b"\x0f\x00\x80\x35" + struct.pack(">I", c) + bytes(range(1, 15))) for c in (0, 1, 2, 7)]
ch += [Raw(b"\x0f\x00\x80\x35abcd"), Raw(b"\x0f\x00\x12\x34abcd"), Raw(b"\x0f\x00"), Raw(b"\x0f\x00\x08\x00"), Raw(b"\x42\x00\x08\x00" + bytes(ip))]
wrpcap(out + "/c_hdlc.pcap", ch, linktype=104)
`;

const NEED = needCommands("tcpdump") ?? needScapy();

/** Compares every packet of a file with tcpdump's text for it (default prints included). */
async function compare(file: string, flags: string[]): Promise<number> {
  const r = await run("tcpdump", ["-n", ...flags, "-r", file], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const want = tcpdumpPackets(r.stdout);
  const d = new PacketDecoder();
  const s = new PacketSummarizer({
    link: flags.includes("-e"),
    quiet: flags.includes("-q"),
    dumpUndecoded: true,
  });
  const recs = [...readPacketsSync(Deno.readFileSync(file))];
  assert.equal(recs.length, want.length, file);
  recs.forEach((rec, i) => {
    const got = s.summarize(d.decode(rec.data, rec.linktype), rec.len);
    assert.equal(got, want[i], `${file.split("/").pop()} ${flags.join(" ")} #${i + 1}`);
  });
  return recs.length;
}

testIf(
  "summaries match tcpdump on NULL, LOOP, PPP, PPP_HDLC and C_HDLC captures made by scapy",
  NEED,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-linktypes-" });
    try {
      await Deno.writeTextFile(`${dir}/gen.py`, SCAPY);
      const g = await run("/usr/bin/python3", [`${dir}/gen.py`, dir], { timeoutMs: 120_000 });
      assert.equal(g.code, 0, g.stderr);
      let n = 0;
      for (const name of ["null", "loop", "ppp", "ppp_hdlc", "c_hdlc"]) {
        const file = `${dir}/${name}.pcap`;
        for (const flags of [[], ["-e"], ["-q"]]) n += await compare(file, flags);
        const recs = [...readPacketsSync(Deno.readFileSync(file))];
        for (const snap of [3, 5, 10, 30]) {
          const cut = `${dir}/${name}_${snap}.pcap`;
          Deno.writeFileSync(
            cut,
            pcapBytes(recs[0].linktype, recs.map((r) => ({ data: r.data.slice(0, snap), len: r.len }))),
          );
          for (const flags of [[], ["-e"]]) n += await compare(cut, flags);
        }
      }
      assert.ok(n > 1000, `compared ${n}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
