import assert from "node:assert/strict";
import {
  formatHexColon,
  formatIpv4Address,
  formatIpv6Address,
  formatMac,
  parseIpv4Address,
  parseIpv6Address,
  parseMac,
  toAddressBytes,
} from "../../lib/wire/address.ts";
import { WireError } from "../../lib/wire/errors.ts";

const v6 = (s: string) => formatIpv6Address(parseIpv6Address(s));

Deno.test("formatIpv6Address() follows RFC 5952", () => {
  const cases: [string, string][] = [
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"], // leading zeros, longest run
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // tie: leftmost run
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group is not compressed
    ["2001:db8:0:0:0:1:0:0", "2001:db8::1:0:0"], // longest run wins over an earlier shorter one
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1:0:0:0:0:0:0:0", "1::"],
    ["2001:DB8::ABCD", "2001:db8::abcd"], // lower case
    ["::ffff:192.0.2.1", "::ffff:192.0.2.1"], // IPv4-mapped
    ["0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"],
    ["fe80::1:2:3:4:5:6", "fe80:0:1:2:3:4:5:6"],
  ];
  for (const [input, want] of cases) assert.equal(v6(input), want, input);
});

Deno.test("parseIpv6Address() rejects malformed text", () => {
  for (
    const bad of ["", ":::", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::1.2.3"]
  ) {
    assert.throws(() => parseIpv6Address(bad), WireError, bad);
  }
});

Deno.test("IPv4 addresses format and parse", () => {
  assert.equal(formatIpv4Address(new Uint8Array([0, 10, 0, 0, 255]), 1), "10.0.0.255");
  assert.deepEqual(parseIpv4Address("192.168.1.254"), new Uint8Array([192, 168, 1, 254]));
  for (const bad of ["1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "a.b.c.d", ""]) {
    assert.throws(
      () => parseIpv4Address(bad),
      (e: unknown) => e instanceof WireError && e.code === "WIRE_BAD_VALUE",
    );
  }
});

Deno.test("MAC addresses are lower case with colons", () => {
  assert.equal(formatMac(parseMac("AA-BB-CC-0D-0E-0F")), "aa:bb:cc:0d:0e:0f");
  assert.equal(formatHexColon(new Uint8Array([])), "");
  assert.throws(() => parseMac("aa:bb:cc:dd:ee"), WireError);
  assert.throws(() => parseMac("aa:bb-cc:dd:ee:ff"), WireError);
});

Deno.test("toAddressBytes() refuses bytes of the wrong length", () => {
  assert.throws(() => toAddressBytes(new Uint8Array(5), 4), RangeError);
  assert.equal(toAddressBytes("::1", 16).length, 16);
});
