/**
 * Filters on BSD loopback (LINKTYPE_NULL 0, LOOP 108), PPP (9), PPP in HDLC framing (50) and Cisco HDLC (104),
 * with tcpdump as the oracle: the packets netkit selects equal those `tcpdump -r FILE -w - EXPR` selects, the
 * `-d` listings of simple expressions are tcpdump's, and what libpcap refuses netkit refuses.
 *
 * Packets: tests/filter/_extra.py's IP packets (generated with scapy in a temp dir) wrapped in each link
 * header, plus link headers tcpdump reads differently (BSD IPv6 families 24/28/30, Linux's AF_INET6 10,
 * the family word in the other byte order, PPP address/control and protocol compression, LCP, short frames).
 * A NULL file is written in both byte orders: libpcap compares the family in the file's byte order.
 *
 * @module
 */

import assert from "node:assert/strict";
import { compileFilter, disassemble, filterAccepts, FilterSyntaxError } from "../../lib/filter/mod.ts";
import { encodePcap, type PcapRecord } from "../../lib/pcap/mod.ts";
import { emitLoopback } from "../../lib/wire/loopback.ts";
import { emitChdlc, emitPpp } from "../../lib/wire/ppp.ts";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import { LINK_EXPRESSIONS, readPcap, tcpdumpSelects } from "./_pcap.ts";
import { cat } from "../_bytes.ts";

const EXPRESSIONS = LINK_EXPRESSIONS;

/** Expressions whose `-d` listing must be tcpdump's on every one of these link types. */
const LISTED = [
  "ip",
  "ip6",
  "tcp",
  "udp",
  "icmp",
  "icmp6",
  "host 1.2.3.4",
  "src net 10.0.0.0/8",
  "ip proto 2",
  "ip6 proto 58",
  "tcp[13] & 2 != 0",
  "icmp[icmptype] = icmp-echo",
  "udp[0:2] = 53",
  "ip broadcast",
  "ip multicast",
  "ip6 multicast",
  "less 64",
  "ether proto 0x800",
  "link[0] = 2",
];

/** What libpcap refuses on these links, and netkit must refuse too. */
const REFUSED = ["vlan", "ether host 02:00:00:00:00:0a", "broadcast", "ether multicast"];

const rec = (data: Uint8Array): PcapRecord => ({ data, len: data.length }) as PcapRecord;

/** Every IP packet in each link framing, plus the odd headers of that framing. */
function framings(ips: Uint8Array[]): { linktype: number; name: string; records: PcapRecord[] }[] {
  const v = (p: Uint8Array) => p[0] >> 4;
  const nullRecs = (order: "little" | "big") => {
    const out: PcapRecord[] = [];
    ips.forEach((p, i) => {
      const family = v(p) === 4 ? 2 : [24, 28, 30][i % 3];
      out.push(rec(emitLoopback({ family, byteOrder: order }, p)));
    });
    // The other byte order, Linux's AF_INET6, unknown families, a cut header.
    const other = order === "little" ? "big" : "little";
    out.push(rec(emitLoopback({ family: 2, byteOrder: other }, ips[0])));
    for (const family of [10, 7, 99]) out.push(rec(emitLoopback({ family, byteOrder: order }, ips[1])));
    out.push(rec(new Uint8Array([2, 0])));
    return out;
  };
  const ppp = (serial: boolean) => {
    const out: PcapRecord[] = [];
    ips.forEach((p, i) => {
      const protocol = v(p) === 4 ? 0x21 : 0x57;
      // LINKTYPE_PPP: with and without ff 03, with and without protocol compression.
      const ac = serial || i % 2 === 0;
      out.push(rec(emitPpp({ protocol, addressControl: ac, compress: !serial && i % 3 === 0 }, p)));
    });
    out.push(rec(emitPpp({ protocol: 0xc021 }, new Uint8Array([1, 1, 0, 4]))));
    out.push(rec(emitPpp({ protocol: 0x0800 }, ips[0])));
    out.push(rec(new Uint8Array([0xff, 0x03])));
    return out;
  };
  const chdlc = ips.map((p, i) =>
    rec(emitChdlc({ address: i % 5 ? 0x0f : 0x8f, protocol: v(p) === 4 ? 0x0800 : 0x86dd }, p))
  );
  chdlc.push(rec(emitChdlc({ protocol: 0x8035 }, new Uint8Array(20))));
  return [
    { linktype: 0, name: "null_little", records: nullRecs("little") },
    { linktype: 0, name: "null_big", records: nullRecs("big") },
    { linktype: 108, name: "loop", records: nullRecs("big") },
    { linktype: 9, name: "ppp", records: ppp(false) },
    {
      linktype: 50,
      name: "ppp_hdlc",
      records: [...ppp(true), rec(cat(emitChdlc({ protocol: 0x800 }, ips[0])))],
    },
    { linktype: 104, name: "c_hdlc", records: chdlc },
  ];
}

testIf(
  "filters on NULL, LOOP, PPP, PPP_HDLC and C_HDLC select exactly the packets tcpdump selects",
  needCommands("tcpdump", "/usr/bin/python3"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_links_" });
    try {
      const gen = await run("/usr/bin/python3", [repoPath("tests/filter/_extra.py"), tmp], {
        timeoutMs: 60_000,
      });
      assert.equal(gen.code, 0, `_extra.py failed: ${gen.stderr}`);
      const raw = readPcap(Deno.readFileSync(`${tmp}/extra_raw.pcap`))!;
      const ips = raw.records.map((r) => r.data.slice());
      assert.ok(ips.length > 100);
      const failures: string[] = [];
      let checked = 0;
      for (const { linktype, name, records } of framings(ips)) {
        const byteOrder = name === "null_big" ? "big" : "little";
        const file = `${tmp}/${name}.pcap`;
        Deno.writeFileSync(
          file,
          encodePcap(records.map((r, i) => ({ tsSec: i, data: r.data, len: r.len })), {
            linktype,
            byteOrder,
          }),
        );
        for (const expr of EXPRESSIONS) {
          const want = await tcpdumpSelects(file, expr);
          if (typeof want === "string") {
            failures.push(`[${name}] tcpdump refused '${expr}': ${want}`);
            continue;
          }
          // The netkit dialect differs from libpcap only on IPv6 (it walks extension headers): compared on
          // the other packets.
          const ip6 = compileFilter("ip6", { linktype, nullByteOrder: byteOrder });
          for (const dialect of ["libpcap", "netkit"] as const) {
            const f = compileFilter(expr, { linktype, dialect, nullByteOrder: byteOrder });
            const wrong = records.map((_, i) => i).filter((i) => {
              const r = records[i];
              if (dialect === "netkit" && filterAccepts(ip6, r.data, r.len)) return false;
              return filterAccepts(f, r.data, r.len) !== want.has(i);
            });
            if (wrong.length) {
              failures.push(`[${name}] '${expr}' (${dialect}) differs on ${wrong.slice(0, 8)}`);
            }
          }
          checked++;
        }
        for (const expr of REFUSED) {
          const want = await tcpdumpSelects(file, expr);
          assert.equal(typeof want, "string", `tcpdump accepted '${expr}' on ${name}`);
          assert.throws(() => compileFilter(expr, { linktype }), FilterSyntaxError, `'${expr}' on ${name}`);
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(checked >= 6 * 45, `only ${checked} expressions checked`);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

testIf(
  "the -d listings on NULL (both file byte orders), LOOP, PPP, PPP_HDLC and C_HDLC equal tcpdump's",
  needCommands("tcpdump"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_links_d_" });
    try {
      const files: [number, "little" | "big"][] = [[0, "little"], [0, "big"], [108, "big"], [9, "big"], [
        50,
        "big",
      ], [104, "big"]];
      for (const [linktype, byteOrder] of files) {
        const file = `${tmp}/${linktype}_${byteOrder}.pcap`;
        Deno.writeFileSync(file, encodePcap([], { linktype, byteOrder, snaplen: 65535 }));
        for (const expr of LISTED) {
          const r = await run("tcpdump", ["-d", "-r", file, "--", expr], { timeoutMs: 20_000 });
          assert.equal(r.code, 0, r.stderr);
          const { program } = compileFilter(expr, {
            linktype,
            snaplen: 65535,
            dialect: "libpcap",
            nullByteOrder: byteOrder,
          });
          assert.equal(
            disassemble(program),
            r.stdout,
            `-d -r (linktype ${linktype}, ${byteOrder}) '${expr}'`,
          );
        }
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

Deno.test("golden: NULL compares the family in the file's byte order, LOOP in network order", () => {
  const k = (linktype: number, nullByteOrder?: "little" | "big") =>
    compileFilter("ip", { linktype, nullByteOrder }).program.map((i) => i.k);
  assert.deepEqual(k(0, "little"), [0, 0x02000000, 262144, 0]);
  assert.deepEqual(k(0, "big"), [0, 2, 262144, 0]);
  assert.deepEqual(k(108), [0, 2, 262144, 0]);
  // IPv6: any BSD AF_INET6 (Darwin 30, NetBSD/OpenBSD 24, FreeBSD 28), not Linux's 10.
  assert.deepEqual(compileFilter("ip6", { linktype: 108 }).program.slice(1, 4).map((i) => i.k), [30, 24, 28]);
  // PPP: IPv4 is protocol 0x0021, IPv6 0x0057; other EtherTypes are compared as they are.
  assert.deepEqual(compileFilter("ip6", { linktype: 9 }).program.map((i) => i.k), [2, 0x57, 262144, 0]);
  assert.deepEqual(compileFilter("arp", { linktype: 50 }).program.map((i) => i.k), [2, 0x806, 262144, 0]);
  // C_HDLC carries EtherTypes.
  assert.deepEqual(compileFilter("ip", { linktype: 104 }).program.map((i) => i.k), [2, 0x800, 262144, 0]);
  // No family for ARP: always false, as libpcap ("expression rejects all packets").
  assert.deepEqual(compileFilter("arp", { linktype: 0 }).program, [{ code: 6, jt: 0, jf: 0, k: 0 }]);
  assert.throws(() => compileFilter("ip", { linktype: 0, nullByteOrder: "middle" as "big" }), RangeError);
});

Deno.test("link-layer primitives are refused on NULL, LOOP, PPP and C_HDLC, naming the link type", () => {
  for (
    const [linktype, name] of [[0, "NULL"], [108, "LOOP"], [9, "PPP"], [50, "PPP_HDLC"], [
      104,
      "C_HDLC",
    ]] as const
  ) {
    for (const expr of REFUSED) {
      assert.throws(() => compileFilter(expr, { linktype }), (e: unknown) => {
        assert.ok(e instanceof FilterSyntaxError);
        assert.match(e.message, new RegExp(name));
        return true;
      });
    }
  }
  assert.throws(() => compileFilter("ip", { linktype: 192 }), {
    name: "RangeError",
    message: /link type 192.*0 NULL/,
  });
});
