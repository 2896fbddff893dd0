/**
 * Privilege drop in a child process (a process cannot undo it), and the non-root path of the capture
 * engine: after dropping to "nobody" a packet socket fails with EPERM.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lookupUser, processIds } from "../../ffi/privileges.ts";
import { repoPath, run, testIf } from "../_helpers.ts";

const ROOT = Deno.uid() === 0 ? undefined : "needs root to drop privileges";
const NOBODY = (() => {
  try {
    lookupUser("nobody");
    return undefined;
  } catch {
    return "no user 'nobody'";
  }
})();

Deno.test("lookupUser() finds root and refuses unknown or empty names", () => {
  assert.deepEqual(lookupUser("root"), { name: "root", uid: 0, gid: 0 });
  assert.throws(() => lookupUser("no-such-user-netkit"), /no such user: no-such-user-netkit/);
  assert.throws(() => lookupUser(""), TypeError);
});

Deno.test("processIds() matches what Deno reports", () => {
  const ids = processIds();
  assert.equal(ids.uid, Deno.uid());
  assert.equal(ids.gid, Deno.gid());
  assert.equal(ids.euid, ids.uid);
});

/** Runs TypeScript in a fresh Deno process; returns its parsed JSON output. */
async function child(code: string): Promise<Record<string, unknown>> {
  const r = await run(Deno.execPath(), ["eval", "--ext=ts", code], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

const imports = `
  import { dropPrivileges, processIds } from ${JSON.stringify(`file://${repoPath("ffi/privileges.ts")}`)};
  import { PacketSocket } from ${JSON.stringify(`file://${repoPath("ffi/packet_socket.ts")}`)};
  import { openCapture } from ${JSON.stringify(`file://${repoPath("lib/capture/capture.ts")}`)};
`;

testIf(
  "dropPrivileges('nobody') changes uid, gid and groups of every thread; packet sockets then fail with EPERM",
  ROOT ?? NOBODY,
  async () => {
    const nobody = lookupUser("nobody");
    const out = await child(`${imports}
    const taken = dropPrivileges("nobody");
    const threads = [...Deno.readDirSync("/proc/self/task")].map((t) => {
      const s = Deno.readTextFileSync("/proc/self/task/" + t.name + "/status");
      return { uid: s.match(/^Uid:\\s+(.*)$/m)[1], gid: s.match(/^Gid:\\s+(.*)$/m)[1], groups: s.match(/^Groups:\\s*(.*)$/m)[1].trim(), capEff: s.match(/^CapEff:\\s+(.*)$/m)[1] };
    });
    const errs = {};
    try { PacketSocket.open(); errs.socket = "opened"; } catch (e) { errs.socket = e.code + " " + e.name + " " + e.syscall; }
    try { openCapture({ interface: "lo" }); errs.capture = "opened"; } catch (e) { errs.capture = e.code; }
    try { dropPrivileges("root"); errs.regain = "regained"; } catch (e) { errs.regain = e.code + " " + e.syscall; }
    console.log(JSON.stringify({ taken, ids: processIds(), threads, errs }));
  `);
    assert.deepEqual(out.taken, nobody);
    assert.deepEqual(out.ids, { uid: nobody.uid, euid: nobody.uid, gid: nobody.gid, egid: nobody.gid });
    const threads = out.threads as { uid: string; gid: string; groups: string; capEff: string }[];
    assert.ok(threads.length > 1, "Deno runs several threads");
    const u = String(nobody.uid), g = String(nobody.gid);
    for (const t of threads) {
      assert.deepEqual(t.uid.split(/\s+/), [u, u, u, u], "real, effective, saved and fs uid");
      assert.deepEqual(t.gid.split(/\s+/), [g, g, g, g]);
      assert.equal(t.groups, g);
      assert.equal(BigInt("0x" + t.capEff), 0n, "no capabilities left");
    }
    assert.deepEqual(out.errs, {
      socket: "EPERM SyscallError socket",
      capture: "EPERM",
      regain: "EPERM setgroups",
    });
  },
);

testIf("dropPrivileges() with explicit ids refuses invalid ones", ROOT, async () => {
  const out = await child(`${imports}
    const r = {};
    try { dropPrivileges({ name: "x", uid: -1, gid: 0 }); } catch (e) { r.uid = e.name + ": " + e.message; }
    try { dropPrivileges({ name: "x", uid: 0, gid: 1.5 }); } catch (e) { r.gid = e.name + ": " + e.message; }
    try { dropPrivileges("no-such-user-netkit"); } catch (e) { r.user = e.message; }
    r.still = processIds().uid;
    console.log(JSON.stringify(r));
  `);
  assert.deepEqual(out, {
    uid: "RangeError: invalid uid: -1",
    gid: "RangeError: invalid gid: 1.5",
    user: "no such user: no-such-user-netkit",
    still: 0,
  });
});
