import assert from "node:assert/strict";
import { conformance, readExactly, startServer, until, within, writeAll } from "./_conformance.ts";

// 200 concurrent clients wait in the kernel's accept queue: make it deep enough (exercises `backlog`).
conformance("sequential", { backlog: 512 });

Deno.test("sequential: a second client gets its echo only after the first leaves", async () => {
  const { server, events } = await startServer("sequential", {});
  const order: string[] = [];
  let aOpen = true;
  const a = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  const b = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await writeAll(a, new TextEncoder().encode("first"));
    await within(readExactly(a, 5), "first echo");
    order.push("a echoed");
    // b's bytes sit in the kernel: b is connected (handshake done by the kernel) but not accepted.
    await writeAll(b, new TextEncoder().encode("second"));
    const bEcho = readExactly(b, 6).then((bytes) => {
      order.push("b echoed");
      return bytes;
    });
    await until(() => events.some((e) => e.type === "connect"), "a's connect event");
    assert.equal(events.filter((e) => e.type === "connect").length, 1, "b was accepted while a was served");
    order.push("a leaves");
    a.close();
    aOpen = false;
    assert.equal(new TextDecoder().decode(await within(bEcho, "second echo")), "second");
    assert.deepEqual(order, ["a echoed", "a leaves", "b echoed"]);
    const kinds = events.filter((e) => e.type === "connect" || e.type === "disconnect").map((e) => e.type);
    assert.deepEqual(kinds.slice(0, 3), ["connect", "disconnect", "connect"]);
  } finally {
    if (aOpen) a.close();
    b.close();
    await server.close();
  }
});
