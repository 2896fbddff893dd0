/**
 * The interface listing against the kernel's own view through `ip -j` (iproute2).
 *
 * @module
 */
import assert from "node:assert/strict";
import { listInterfaces, nameToIndex, requireInterface } from "../../ffi/interfaces.ts";
import { IFF_LOOPBACK, IFF_UP } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { needCommands, run, testIf } from "../_helpers.ts";

Deno.test("listInterfaces() contains lo: index 1-ish, loopback flag, up, MTU 65536, 127.0.0.1/8", () => {
  const lo = listInterfaces().find((i) => i.name === "lo");
  assert.ok(lo, "lo is listed");
  assert.ok(lo.index >= 1 && lo.index <= 2, `lo index ${lo.index}`);
  assert.equal(lo.index, nameToIndex("lo"));
  assert.ok(lo.loopback && lo.up && lo.running);
  assert.equal(lo.flags & (IFF_LOOPBACK | IFF_UP), IFF_LOOPBACK | IFF_UP);
  assert.equal(lo.mtu, 65536);
  assert.equal(lo.hatype, 772);
  assert.deepEqual(lo.addresses.find((a) => a.family === "IPv4"), {
    family: "IPv4",
    address: "127.0.0.1",
    prefixLen: 8,
    scopeId: 0,
  });
  const v6 = lo.addresses.find((a) => a.family === "IPv6");
  if (v6) assert.deepEqual(v6, { family: "IPv6", address: "::1", prefixLen: 128, scopeId: 0 });
});

testIf(
  "listInterfaces() agrees with `ip -j addr` on index, flags, MTU, MAC and addresses",
  needCommands("ip"),
  async () => {
    const ours = listInterfaces();
    const out = await run("ip", ["-j", "addr", "show"], { timeoutMs: 10_000 });
    assert.equal(out.code, 0, out.stderr);
    const theirs = JSON.parse(out.stdout) as {
      ifindex: number;
      ifname: string;
      mtu: number;
      address?: string;
      flags: string[];
      addr_info: { family: string; local: string; prefixlen: number }[];
    }[];
    let compared = 0;
    for (const t of theirs) {
      const o = ours.find((i) => i.index === t.ifindex);
      // Other tests create and delete interfaces meanwhile: compare those present in both listings.
      if (!o || o.name !== t.ifname) continue;
      assert.equal(o.mtu, t.mtu, `${o.name} mtu`);
      assert.equal(o.up, t.flags.includes("UP"), `${o.name} up`);
      assert.equal(o.loopback, t.flags.includes("LOOPBACK"), `${o.name} loopback`);
      if (t.address !== undefined && o.mac !== "") assert.equal(o.mac, t.address, `${o.name} mac`);
      const addrs = (list: { family: string; address: string; prefixLen: number }[]) =>
        list.map((a) => `${a.family}:${a.address}/${a.prefixLen}`).sort();
      assert.deepEqual(
        addrs(o.addresses),
        addrs(t.addr_info.map((a) => ({
          family: a.family === "inet" ? "IPv4" : "IPv6",
          address: a.local,
          prefixLen: a.prefixlen,
        }))),
        `${o.name} addresses`,
      );
      compared++;
    }
    assert.ok(compared >= 1);
  },
);

Deno.test("nameToIndex() gives 0 for unknown, empty or overlong names", () => {
  assert.equal(nameToIndex("nosuchif0"), 0);
  assert.equal(nameToIndex(""), 0);
  assert.equal(nameToIndex("a".repeat(16)), 0);
});

Deno.test("requireInterface() returns the index or an ENODEV error listing the interfaces", () => {
  assert.equal(requireInterface("lo"), nameToIndex("lo"));
  assert.throws(
    () => requireInterface("nosuchif0"),
    (e: unknown) =>
      e instanceof SyscallError && e.code === "ENODEV" &&
      e.message.includes('no interface "nosuchif0"; interfaces: ') && /interfaces: .*\blo\b/.test(e.message),
  );
});
