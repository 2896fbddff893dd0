/**
 * Every syntax error path of the filter compiler, with its code and 1-based column, and the caret format
 * a command-line tool prints.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  FilterSyntaxError,
  formatFilterError,
  parseFilter,
  tokenize,
} from "../../lib/filter/mod.ts";

/** [expression, code, column, message pattern] */
const ERRORS: [string, string, number, RegExp][] = [
  // unknown keywords and stray tokens
  ["foo", "UNEXPECTED_TOKEN", 1, /unknown keyword 'foo'/],
  ["tcp udp", "UNEXPECTED_TOKEN", 5, /unexpected 'udp' after a complete expression/],
  ["and tcp", "UNEXPECTED_TOKEN", 1, /expected an expression, found 'and'/],
  ["or", "UNEXPECTED_TOKEN", 1, /expected an expression, found 'or'/],
  ["tcp $", "UNEXPECTED_TOKEN", 5, /unexpected character '\$'/],
  ["\\", "UNEXPECTED_TOKEN", 1, /expected a name after '\\'/],
  ["tcp[x] = 1", "UNEXPECTED_TOKEN", 5, /unknown name 'x'/],
  ["ether", "UNEXPECTED_END", 6, /'ether' needs host, src, dst/],
  ["gateway 1.2.3.4", "UNSUPPORTED", 1, /'gateway' needs host name lookups/],
  // missing operands
  ["", "UNEXPECTED_END", 1, /empty filter expression/],
  ["tcp and", "UNEXPECTED_END", 8, /expected an expression, found the end/],
  ["not", "UNEXPECTED_END", 4, /expected an expression/],
  ["host", "UNEXPECTED_END", 5, /expected a value after 'host'/],
  ["src", "UNEXPECTED_END", 4, /expected a value after 'src'/],
  ["port", "UNEXPECTED_END", 5, /expected a value after 'port'/],
  ["less", "UNEXPECTED_END", 5, /expected a length after 'less'/],
  ["less x", "UNEXPECTED_TOKEN", 6, /expected a length after 'less'/],
  ["len", "UNEXPECTED_END", 4, /expected a comparison/],
  ["ip[1] + ", "UNEXPECTED_END", 9, /expected a number, 'len' or proto\[offset\]/],
  ["tcp[1] =", "UNEXPECTED_END", 9, /expected a number/],
  ["portrange 5", "UNEXPECTED_END", 12, /expected '-' in a port range/],
  ["tcp or 80", "UNEXPECTED_TOKEN", 8, /'80' needs a qualifier before it/],
  ["dst and", "UNEXPECTED_TOKEN", 5, /expected an address, found 'and'/],
  ["ip proto tcp", "UNEXPECTED_TOKEN", 10, /write \\tcp/],
  // bad numbers
  ["0x", "BAD_VALUE", 1, /bad number '0x'/],
  ["port 09", "BAD_VALUE", 6, /bad number '09'/],
  ["port 99999999999", "BAD_VALUE", 6, /does not fit in 32 bits/],
  ["tcp[1:3] = 1", "OUT_OF_RANGE", 7, /data size 3 must be 1, 2 or 4/],
  // out of range
  ["port 70000", "OUT_OF_RANGE", 6, /port 70000 is out of range \(0-65535\)/],
  ["tcp port 65536", "OUT_OF_RANGE", 10, /port 65536 is out of range/],
  ["portrange 5-70000", "OUT_OF_RANGE", 13, /port 70000 is out of range/],
  ["ip proto 300", "OUT_OF_RANGE", 10, /protocol number 300 is out of range \(0-255\)/],
  ["ether proto 70000", "OUT_OF_RANGE", 13, /out of range \(0-65535\)/],
  ["vlan 5000", "OUT_OF_RANGE", 6, /VLAN id 5000 is out of range/],
  // addresses, CIDR, masks
  ["1.2.3.4.5", "BAD_VALUE", 1, /bad IPv4 address/],
  ["host 1.2.3.256", "BAD_VALUE", 6, /bad IPv4 address '1.2.3.256'/],
  ["host 10.1", "BAD_VALUE", 6, /expected a full IPv4 address/],
  ["host 1::2::3", "BAD_VALUE", 6, /bad IPv6 address/],
  ["net 10.0.0.1/8", "BAD_VALUE", 5, /has bits set outside its prefix/],
  ["net 10.0.0.0/33", "OUT_OF_RANGE", 14, /prefix length 33 is out of range \(0-32\)/],
  ["net 10.0.0.0/", "BAD_VALUE", 14, /expected a prefix length/],
  ["net ::/129", "OUT_OF_RANGE", 8, /prefix length 129 is out of range \(0-128\)/],
  ["net fe80::1/10", "BAD_VALUE", 5, /has bits set outside its prefix/],
  ["net 256", "BAD_VALUE", 5, /bad IPv4 network '256'/],
  ["net 10 mask 255", "BAD_VALUE", 13, /expected a netmask/],
  ["net 10.1.0.0 mask 255.0.0.0", "BAD_VALUE", 5, /bits set outside the mask/],
  ["host ::1/64", "BAD_VALUE", 9, /a '\/' prefix needs 'net'/],
  ["ether host 10.0.0.1", "BAD_VALUE", 12, /expected a MAC address/],
  ["net 01:02:03:04:05:06", "BAD_VALUE", 5, /not a MAC address/],
  ["ip host 01:02:03:04:05:06", "BAD_VALUE", 9, /a MAC address does not apply to ip/],
  ["ip host ::1", "BAD_VALUE", 9, /an IPv6 address does not apply to ip/],
  ["ip6 host 1.2.3.4", "BAD_VALUE", 10, /an IPv4 address does not apply to ip6/],
  ["host (", "UNEXPECTED_TOKEN", 6, /expected an address after 'host', found '\('/],
  // qualifiers that do not fit
  ["tcp host 1.2.3.4", "UNSUPPORTED", 1, /'host' does not apply to tcp/],
  ["icmp port 80", "UNSUPPORTED", 1, /'port' applies to tcp, udp or sctp, not icmp/],
  ["tcp proto 6", "UNSUPPORTED", 1, /'proto' applies to ether, ip or ip6, not tcp/],
  ["tcp broadcast", "UNSUPPORTED", 1, /'broadcast' applies to ether, ip or ip6/],
  ["src proto 6", "UNEXPECTED_TOKEN", 1, /'proto' takes no direction/],
  ["ip proto \\foo", "UNEXPECTED_TOKEN", 10, /unknown protocol name 'foo'/],
  ["ip proto", "UNEXPECTED_END", 9, /expected a value after 'proto'/],
  // unbalanced parentheses and brackets
  ["(tcp", "UNEXPECTED_END", 5, /expected '\)' to close the '\(' at column 1/],
  ["tcp or (udp", "UNEXPECTED_END", 12, /to close the '\(' at column 8/],
  ["tcp)", "UNEXPECTED_TOKEN", 4, /unbalanced '\)'/],
  [")", "UNEXPECTED_TOKEN", 1, /unbalanced '\)'/],
  ["tcp[1 = 1", "UNEXPECTED_TOKEN", 7, /expected '\]', found '='/],
  ["tcp 1] = 1", "UNEXPECTED_TOKEN", 5, /unexpected '1'/],
  ["ip[(1] = 1", "UNEXPECTED_TOKEN", 6, /expected '\)', found '\]'/],
  ["tcp[13", "UNEXPECTED_END", 7, /expected '\]', found the end/],
  // trailing garbage
  ["tcp port 80 80", "UNEXPECTED_TOKEN", 13, /unexpected '80' after a complete expression/],
  ["ip and tcp ]", "UNEXPECTED_TOKEN", 12, /unexpected '\]'/],
  // names without DNS
  ["host example.com", "NAME_NOT_ALLOWED", 6, /'example.com' is a name, and netkit does no DNS/],
  ["src foo", "NAME_NOT_ALLOWED", 5, /netkit does no DNS/],
  ["net \\localnet", "NAME_NOT_ALLOWED", 5, /netkit does no DNS/],
  ["tcp port x", "NAME_NOT_ALLOWED", 10, /^expected a port number at column 10$/],
  ["udp and src port http", "NAME_NOT_ALLOWED", 18, /expected a port number/],
];

for (const [expr, code, column, pattern] of ERRORS) {
  Deno.test(`compileFilter(${JSON.stringify(expr)}) fails with ${code} at column ${column}`, () => {
    assert.throws(() => {
      compileFilter(expr); // an empty string compiles to "accept all"; parseFilter refuses it
      parseFilter(expr);
    }, (e: unknown) => {
      assert.ok(e instanceof FilterSyntaxError, `not a FilterSyntaxError: ${e}`);
      assert.ok(e instanceof SyntaxError);
      assert.equal(e.code, code, e.message);
      assert.equal(e.column, column, e.message);
      assert.equal(e.offset, column - 1);
      assert.equal(e.expression, expr);
      assert.match(e.message, pattern);
      assert.ok(e.message.endsWith(` at column ${column}`));
      return true;
    });
  });
}

Deno.test("formatFilterError() prints the message, the expression and a caret under the column", () => {
  const err = (() => {
    try {
      parseFilter("tcp port x");
    } catch (e) {
      return e as FilterSyntaxError;
    }
    throw new Error("no error");
  })();
  assert.equal(
    formatFilterError(err, "sniffer: filter"),
    "sniffer: filter: expected a port number at column 10\ntcp port x\n         ^",
  );
  assert.equal(formatFilterError(err).split("\n")[0], "filter: expected a port number at column 10");
});

Deno.test("formatFilterError() keeps tabs so the caret lines up", () => {
  const e = new FilterSyntaxError("bad", "\ttcp x", 5, "UNEXPECTED_TOKEN");
  assert.equal(formatFilterError(e).split("\n")[2], "\t    ^");
});

Deno.test("a caret at the end of the expression sits one past its last character", () => {
  try {
    parseFilter("tcp and");
    assert.fail("no error");
  } catch (e) {
    assert.equal(formatFilterError(e as FilterSyntaxError).split("\n")[2], "       ^");
  }
});

Deno.test("tokenize() reads hex, octal, IPv4, IPv6, MAC, names and escapes", () => {
  const t = tokenize("0x1f 017 10.1 fe80::1 aa:bb:cc:dd:ee:ff tcp-syn \\tcp <= >> &&");
  assert.deepEqual(t.map((x) => x.kind), [
    "number",
    "number",
    "ipv4",
    "ipv6",
    "mac",
    "word",
    "escaped",
    "op",
    "op",
    "op",
    "end",
  ]);
  assert.equal(t[0].value, 31);
  assert.equal(t[1].value, 15);
  assert.equal(t[2].parts, 2);
  assert.equal(t[2].value, 0x0a010000);
  assert.equal(t[3].bytes![15], 1);
  assert.equal(t[4].bytes![5], 0xff);
  assert.equal(t[6].text, "tcp");
});

Deno.test("inside brackets a colon separates offset and size instead of starting an address", () => {
  const t = tokenize("tcp[13:1]");
  assert.deepEqual(t.map((x) => x.text), ["tcp", "[", "13", ":", "1", "]", ""]);
});

Deno.test("the remaining arithmetic and prefix error paths", () => {
  const cases: [string, number, RegExp][] = [
    ["len + tcp = 1", 11, /expected '\[' after 'tcp'/],
    ["tcp[1:] = 1", 7, /expected a size \(1, 2 or 4\) after ':'/],
    ["net ::/", 8, /expected a prefix length after '\/'/],
    ["net ::/x", 8, /expected a prefix length after '\/'/],
  ];
  for (const [expr, column, pattern] of cases) {
    assert.throws(() => parseFilter(expr), (e: unknown) => {
      assert.ok(e instanceof FilterSyntaxError);
      assert.equal(e.column, column, `${expr}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  }
});
