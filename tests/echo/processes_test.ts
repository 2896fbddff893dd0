import assert from "node:assert/strict";
import { serveProcessesEcho } from "../../lib/echo/processes.ts";
import type { EchoEvent } from "../../lib/echo/types.ts";
import { conformance, echoOnce, seededBytes, until, within } from "./_conformance.ts";
import { ServeProcess } from "./_peers.ts";

conformance("processes", { threads: 2 });

function alive(pid: number): boolean {
  try {
    // A zombie still has a /proc entry: count it as gone.
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/** Pids of the live children of `ppid`, from /proc. */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === ppid && fields[0] !== "Z") out.push(Number(e.name));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

Deno.test("processes: after SIGKILL of one child the service keeps answering and the child is restarted", async () => {
  const events: EchoEvent[] = [];
  const server = await serveProcessesEcho({
    hostname: "127.0.0.1",
    port: 0,
    threads: 2,
    graceMs: 500,
    onEvent: (e) => events.push(e),
  });
  try {
    const [victim, survivor] = server.pids();
    assert.ok(alive(victim) && alive(survivor));
    Deno.kill(victim, "SIGKILL");
    // Wait for the parent to reap it: a zombie leader's threads may still hold the listener open a moment,
    // and connections the kernel had queued on a dying listener are reset (inherent to reusePort).
    await until(() => events.some((e) => e.type === "worker-exit"), "the parent to see the child exit");
    // Whichever child the kernel picks, every connection must be answered (reusePort drops the dead socket).
    for (let i = 0; i < 20; i++) await echoOnce(server.addr, seededBytes(i, 2000));
    await until(() => server.pids().length === 2 && !server.pids().includes(victim), "the child's restart");
    const exit = events.find((e) => e.type === "worker-exit");
    assert.ok(exit?.type === "worker-exit" && exit.restarting && exit.code === null, JSON.stringify(exit));
    assert.ok(alive(survivor));
    for (let i = 0; i < 10; i++) await echoOnce(server.addr, seededBytes(i, 100));
  } finally {
    await server.close();
  }
});

Deno.test("processes: close() ends every child", async () => {
  const server = await serveProcessesEcho({ hostname: "127.0.0.1", port: 0, threads: 2 });
  const pids = server.pids();
  await server.close();
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.equal(alive(pid), false, `child ${pid} outlived close()`);
});

for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
  const outcome = signal === "SIGKILL"
    ? "its children notice (stdin EOF) and exit"
    : "it ends every child, prints a summary and exits 0";
  Deno.test(`processes: after ${signal} to the real cmd/serve.ts ${outcome}`, async () => {
    const serve = new ServeProcess([
      "--model",
      "processes",
      "--threads",
      "2",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
    ]);
    let kids: number[] = [];
    try {
      const port = await serve.port();
      await echoOnce({ transport: "tcp", hostname: "127.0.0.1", port }, new TextEncoder().encode("hello"));
      kids = childrenOf(serve.pid);
      assert.equal(kids.length, 2, `children: ${kids}`);
      const status = await serve.stop(signal);
      if (signal === "SIGKILL") {
        await until(() => kids.every((pid) => !alive(pid)), "orphaned children to exit");
        return;
      }
      assert.equal(status.code, 0, serve.lines.join("\n"));
      for (const pid of kids) assert.equal(alive(pid), false, `child ${pid} outlived its parent`);
      assert.ok(
        serve.lines.includes("summary: 1 clients, 0 rejected, 5 bytes in, 5 bytes out"),
        serve.lines.join("\n"),
      );
    } finally {
      await serve[Symbol.asyncDispose](); // the parent first, or it would restart the children killed below
      for (const pid of kids.filter(alive)) Deno.kill(pid, "SIGKILL");
    }
  });
}

Deno.test("processes: a taken port rejects serveProcessesEcho with AddrInUse (the child's error), without exit events", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const events: EchoEvent[] = [];
  await assert.rejects(
    serveProcessesEcho({
      hostname: "127.0.0.1",
      port: (taken.addr as Deno.NetAddr).port,
      threads: 2,
      onEvent: (e) => events.push(e),
    }),
    Deno.errors.AddrInUse,
  );
  assert.deepEqual(events, []);
});

Deno.test("processes: children that keep dying right after their start make the parent give up", async () => {
  const events: EchoEvent[] = [];
  const server = await serveProcessesEcho({
    hostname: "127.0.0.1",
    port: 0,
    threads: 1,
    onEvent: (e) => events.push(e),
  });
  const closed = server.closed.then(() => "resolved", (err: Error) => err.message);
  try {
    const killed = new Set<number>();
    // Kill each new child as soon as it is up: every death is a fast failure.
    for (let round = 0; round < 3; round++) {
      await until(() => server.pids().some((p) => !killed.has(p)), `child ${round + 1} to start`);
      const pid = server.pids().find((p) => !killed.has(p))!;
      killed.add(pid);
      Deno.kill(pid, "SIGKILL");
    }
    const outcome = await within(closed, "the parent to give up");
    assert.match(outcome, /giving up/);
    assert.ok(events.some((e) => e.type === "error" && /giving up/.test(e.message)));
    assert.deepEqual(server.pids(), []);
  } finally {
    await server.close();
  }
});
