import assert from "node:assert/strict";
import { serveEcho } from "../../lib/echo/serve.ts";
import type { EchoEvent, EchoModel } from "../../lib/echo/types.ts";
import { firstDifference, seededBytes, until, within } from "./_conformance.ts";

async function roundTrip(
  sock: Deno.DatagramConn,
  to: Deno.NetAddr,
  payload: Uint8Array,
): Promise<Uint8Array> {
  await sock.send(payload, to);
  const [data, from] = await within(
    sock.receive(new Uint8Array(65536)),
    `datagram of ${payload.length} bytes`,
  );
  assert.equal((from as Deno.NetAddr).port, to.port, "the echo came from the server's port");
  return data;
}

for (const model of ["async", "sequential"] as EchoModel[]) {
  Deno.test(`udp ${model}: each datagram of 1 B to 60 KiB goes back to its sender`, async () => {
    await using server = await serveEcho({ model, transport: "udp", hostname: "127.0.0.1", port: 0 });
    const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    try {
      for (const size of [1, 2, 512, 1472, 9000, 32768, 60 * 1024]) {
        const payload = seededBytes(size, size);
        const echoed = await roundTrip(sock, server.addr, payload);
        assert.equal(firstDifference(echoed, payload), -1, `datagram of ${size} bytes`);
      }
    } finally {
      sock.close();
    }
  });
}

Deno.test("udp: several senders each get their own datagrams back, and stats count them", async () => {
  const events: EchoEvent[] = [];
  await using server = await serveEcho({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
    onEvent: (e) => events.push(e),
  });
  const socks = Array.from(
    { length: 5 },
    () => Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 }),
  );
  try {
    await within(
      Promise.all(socks.map(async (sock, i) => {
        for (let j = 0; j < 10; j++) {
          const payload = seededBytes(i * 100 + j, 100 + i);
          const echoed = await roundTrip(sock, server.addr, payload);
          assert.equal(firstDifference(echoed, payload), -1, `sender ${i} datagram ${j}`);
        }
      })),
      "five senders",
    );
    const bytes = socks.reduce((n, _, i) => n + 10 * (100 + i), 0);
    await until(() => server.stats().bytesOut === bytes, "bytesOut");
    assert.deepEqual(server.stats(), { clients: 5, active: 0, rejected: 0, bytesIn: bytes, bytesOut: bytes });
    assert.equal(events.filter((e) => e.type === "connect").length, 5);
    assert.equal(events[0].type === "listening" && events[0].transport, "udp");
  } finally {
    for (const s of socks) s.close();
  }
});

Deno.test("udp: echoes over IPv6 on ::1", async () => {
  await using server = await serveEcho({ transport: "udp", hostname: "::1", port: 0 });
  const sock = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
  try {
    const echoed = await roundTrip(sock, server.addr, new TextEncoder().encode("over IPv6"));
    assert.equal(new TextDecoder().decode(echoed), "over IPv6");
  } finally {
    sock.close();
  }
});

Deno.test("udp: the dual-stack address :: echoes to an IPv4 and an IPv6 sender", async () => {
  await using server = await serveEcho({ transport: "udp", hostname: "::", port: 0 });
  const v4 = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const v6 = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
  try {
    const port = server.addr.port;
    const a = await roundTrip(v4, { transport: "udp", hostname: "127.0.0.1", port }, new Uint8Array([4]));
    const b = await roundTrip(v6, { transport: "udp", hostname: "::1", port }, new Uint8Array([6]));
    assert.deepEqual([...a, ...b], [4, 6]);
  } finally {
    v4.close();
    v6.close();
  }
});

Deno.test("udp: the workers and processes models are refused with a clear TypeError", async () => {
  for (const model of ["workers", "processes"] as EchoModel[]) {
    await assert.rejects(
      serveEcho({ model, transport: "udp", hostname: "127.0.0.1", port: 0 }),
      (err: Error) => err instanceof TypeError && /no reusePort for UDP/.test(err.message),
    );
  }
});
