import assert from "node:assert/strict";
import { serveEcho } from "../../lib/echo/serve.ts";
import type { EchoModel, EchoServerOptions } from "../../lib/echo/types.ts";
import { conformance } from "./_conformance.ts";

conformance("async");

Deno.test("serveEcho() rejects each bad option with a TypeError or RangeError naming it", async () => {
  const bad: Array<[EchoServerOptions, ErrorConstructor, RegExp]> = [
    [{ model: "forked" as EchoModel }, TypeError, /unknown model: forked/],
    [{ transport: "sctp" as "tcp" }, TypeError, /unknown transport: sctp/],
    [{ transport: "udp", model: "workers" }, TypeError, /no reusePort for UDP/],
    [{ hostname: "" }, TypeError, /invalid host/],
    [{ port: 65536 }, RangeError, /invalid port: 65536/],
    [{ port: 1.5 }, RangeError, /invalid port: 1.5/],
    [{ maxConns: 0 }, RangeError, /invalid max-conns: 0/],
    [{ backlog: -1 }, RangeError, /invalid backlog: -1/],
    [{ threads: 0, model: "workers" }, RangeError, /invalid threads: 0/],
    [{ idleTimeoutMs: -5 }, RangeError, /invalid idle timeout: -5/],
    [{ graceMs: NaN }, RangeError, /invalid grace: NaN/],
  ];
  for (const [options, type, message] of bad) {
    await assert.rejects(serveEcho({ hostname: "127.0.0.1", port: 0, ...options }), (err: Error) => {
      assert.ok(err instanceof type, `${JSON.stringify(options)} threw ${err.name}`);
      assert.match(err.message, message);
      return true;
    });
  }
});

Deno.test("serveEcho() on a taken port rejects with Deno.errors.AddrInUse for every model", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  for (const model of ["sequential", "async", "workers", "processes"] as EchoModel[]) {
    await assert.rejects(
      serveEcho({ model, hostname: "127.0.0.1", port, threads: 1 }),
      Deno.errors.AddrInUse,
    );
  }
});

Deno.test("close() is idempotent, resolves closed, and [Symbol.asyncDispose] closes", async () => {
  const server = await serveEcho({ hostname: "127.0.0.1", port: 0 });
  const [a, b] = await Promise.all([server.close(), server.close()]);
  assert.deepEqual(a, b);
  await server.closed;
  {
    await using disposable = await serveEcho({ hostname: "127.0.0.1", port: 0 });
    assert.equal(disposable.model, "async");
  }
});
