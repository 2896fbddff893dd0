import assert from "node:assert/strict";
import { conformance, echoOnce, seededBytes, startServer, until, within } from "./_conformance.ts";
import { ServeProcess } from "./_peers.ts";

conformance("workers", { threads: 2 });

Deno.test("workers: many connections are spread over more than one worker and all echo", async () => {
  const { server, events } = await startServer("workers", { threads: 2 });
  try {
    await within(
      Promise.all(Array.from({ length: 64 }, (_, i) => echoOnce(server.addr, seededBytes(i, 500)))),
      "64 clients",
    );
    await until(() => events.filter((e) => e.type === "disconnect").length === 64, "64 disconnects");
    const used = new Set(events.flatMap((e) => e.type === "connect" ? [e.worker] : []));
    assert.ok(used.size >= 2, `all connections went to worker(s) ${[...used]}`);
    assert.equal(server.stats().clients, 64);
  } finally {
    await server.close();
  }
});

Deno.test("workers: without --allow-ffi each worker serves with Deno's sockets instead, and behaves alike", async () => {
  // The serve task's permissions minus --allow-ffi: the fallback the library takes when libc is off limits.
  const noFfi = [
    "run",
    "--unstable-net",
    "--allow-net",
    "--allow-read",
    "--allow-env",
    "--allow-run",
    "--quiet",
  ];
  await using serve = new ServeProcess(
    ["--model", "workers", "--threads", "2", "--host", "127.0.0.1", "--port", "0", "--grace", "0.2"],
    noFfi,
  );
  const port = await serve.port();
  const addr = { transport: "tcp" as const, hostname: "127.0.0.1", port };
  await within(
    Promise.all(Array.from({ length: 16 }, (_, i) => echoOnce(addr, seededBytes(i, 70_000)))),
    "16 clients",
  );
  const status = await serve.stop("SIGTERM");
  assert.equal(status.code, 0, serve.lines.join("\n"));
  const text = serve.lines.join("\n");
  assert.match(text, /\(model workers, tcp, 2 workers\)/);
  assert.equal(text.match(/^disconnect /gm)?.length, 16, text);
});

Deno.test("workers: a host name is bound as the address it resolves to, and port 0 is the first worker's pick", async () => {
  // The FFI workers bind through libc, which takes only literals: "localhost" is resolved the way Deno.listen
  // resolves it. With port 0 the first worker's port is the server's, and every worker shares it.
  const { server, events } = await startServer("workers", { threads: 2, hostname: "localhost" });
  try {
    assert.ok(["127.0.0.1", "::1"].includes(server.addr.hostname), server.addr.hostname);
    assert.ok(server.addr.port > 0);
    await within(
      Promise.all(
        Array.from(
          { length: 32 },
          (_, i) => echoOnce(server.addr, seededBytes(i, 100), server.addr.hostname),
        ),
      ),
      "32 clients",
    );
    const used = new Set(events.flatMap((e) => e.type === "connect" ? [e.worker] : []));
    assert.equal(used.size, 2, `all connections went to worker(s) ${[...used]}`);
  } finally {
    await server.close();
  }
});
