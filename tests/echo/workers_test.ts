import assert from "node:assert/strict";
import { conformance, echoOnce, seededBytes, startServer, until, within } from "./_conformance.ts";

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
