import assert from "node:assert/strict";
import { layerBytes, wireCode } from "./_fx.ts";
import {
  DnsMessage,
  dnsTypeName,
  dnsTypeText,
  emitDns,
  encodeDnsName,
  formatDns,
  parseDns,
  readDnsName,
  walkDns,
} from "../../lib/wire/dns.ts";

Deno.test("DnsMessage getters read a captured query", () => {
  const m = new DnsMessage(layerBytes("dns_query_v6", "dns"));
  assert.deepEqual([m.id, m.qr, m.opcode, m.rd, m.qdcount, m.ancount], [12345, false, 0, true, 1, 0]);
  const h = parseDns(m.bytes);
  assert.deepEqual(h.question, { name: "example.com.", qtype: 1, qclass: 1 });
  assert.equal(formatDns(h, m.bytes.length), "12345+ A? example.com. (29)");
});

Deno.test("a compressed answer name follows its pointer", () => {
  const h = parseDns(layerBytes("dns_response_compressed", "dns"));
  assert.equal(h.answers[0].name, "www.example.org.");
  assert.deepEqual([...h.answers[0].rdata], [192, 0, 2, 7]);
  assert.equal(formatDns(h, 49), "4660 1/0/0 A 192.0.2.7 (49)");
  assert.equal(formatDns(parseDns(layerBytes("dns_nxdomain", "dns")), 30), "77 NXDomain 0/0/0 (30)");
});

Deno.test("compression pointers are bounded: self, forward and looping pointers fail", () => {
  assert.throws(() => parseDns(layerBytes("dns_pointer_loop", "dns")), wireCode("WIRE_BAD_POINTER"));
  // Two pointers that point at each other.
  const loop = new Uint8Array([0xc0, 0x02, 0xc0, 0x00]);
  assert.throws(() => readDnsName(loop, 2), wireCode("WIRE_BAD_POINTER"));
  assert.throws(() => readDnsName(new Uint8Array([0xc0, 0x05, 0, 0, 0, 0]), 0), wireCode("WIRE_BAD_POINTER"));
  assert.throws(() => readDnsName(new Uint8Array([0x40, 0]), 0), wireCode("WIRE_BAD_VALUE"));
  assert.throws(() => readDnsName(new Uint8Array([3, 0x61]), 0), wireCode("WIRE_SHORT"));
  assert.throws(() => readDnsName(new Uint8Array([0xc0]), 0), wireCode("WIRE_SHORT"));
  const many = new Uint8Array(2 * 200 + 1).fill(1);
  many[many.length - 1] = 0;
  assert.throws(() => readDnsName(many, 0), wireCode("WIRE_BAD_VALUE"));
});

Deno.test("names escape dots and unprintable bytes, and encode back", () => {
  const b = new Uint8Array([3, 0x61, 0x2e, 0x01, 0]);
  assert.equal(readDnsName(b, 0).name, "a\\046\\001.");
  assert.deepEqual(encodeDnsName("a\\046\\001."), b);
  assert.deepEqual(encodeDnsName("."), new Uint8Array([0]));
  assert.throws(() => encodeDnsName("a..b"), RangeError);
  assert.throws(() => encodeDnsName("x".repeat(64)), RangeError);
});

Deno.test("walkDns() keeps what it read of a cut message", () => {
  const full = emitDns({
    id: 1,
    qr: true,
    question: { name: "a.b.", qtype: 1 },
    answers: [{ name: "a.b.", type: 1, rdata: new Uint8Array(4) }],
  });
  const w = walkDns(full.subarray(0, full.length - 2));
  assert.equal(w.error?.code, "WIRE_SHORT");
  assert.equal(w.header?.question?.name, "a.b.");
  assert.equal(w.header?.answers.length, 0);
  assert.throws(() => parseDns(new Uint8Array(11)), wireCode("WIRE_SHORT"));
});

Deno.test("formatDns() query flags and response flags as tcpdump writes them", () => {
  const q = parseDns(emitDns({ id: 7, rd: true, cd: true, question: { name: "x.", qtype: 28 } }));
  assert.equal(formatDns(q, 19), "7+% AAAA? x. (19)");
  const r = parseDns(
    emitDns({
      id: 7,
      qr: true,
      aa: true,
      ra: false,
      tc: true,
      rcode: 2,
      question: { name: "x.", qtype: 65 },
    }),
  );
  assert.equal(formatDns(r, 19), "7 ServFail*-| 0/0/0 (19)");
  const mdns = parseDns(emitDns({ id: 0, question: { name: "h.local.", qtype: 1, qclass: 0x8001 } }));
  assert.equal(formatDns(mdns, 25, true), "0 A (QU)? h.local. (25)");
  assert.equal(dnsTypeText(65), "Type65");
  assert.equal(dnsTypeName(1), "A");
});
