/**
 * Other programs as clients of netkit's echo server: OpenBSD nc, socat and a Python socket client each send
 * a seeded binary payload and must get exactly the same bytes back.
 *
 * @module
 */
import assert from "node:assert/strict";
import { serveEcho } from "../../lib/echo/serve.ts";
import type { EchoModel } from "../../lib/echo/types.ts";
import { hasCommand, needCommands, testIf } from "../_helpers.ts";
import { firstDifference, seededBytes, within } from "./_conformance.ts";
import { runWithInput } from "./_peers.ts";

const PYTHON = "/usr/bin/python3";

/** Runs a client program with `input` on stdin; returns its stdout bytes. Killed after the bound. */
async function pipeThrough(cmd: string, args: string[], input: Uint8Array): Promise<Uint8Array> {
  const out = await runWithInput(cmd, args, input);
  assert.equal(out.code, 0, `${cmd} failed: ${out.stderr}`);
  return out.stdout;
}

const PY_CLIENT = `
import socket, sys, threading
host, port = sys.argv[1], int(sys.argv[2])
data = sys.stdin.buffer.read()
s = socket.create_connection((host, port), timeout=20)
def send():
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
t = threading.Thread(target=send)
t.start()
chunks = []
while True:
    b = s.recv(65536)
    if not b:
        break
    chunks.append(b)
t.join()
s.close()
sys.stdout.buffer.write(b"".join(chunks))
`;

function peerCase(
  peer: string,
  model: EchoModel,
  reason: string | undefined,
  argv: (port: number) => [string, string[]],
  transport: "tcp" | "udp" = "tcp",
  size = 300_000,
) {
  testIf(
    `peers: ${peer} gets its ${size}-byte payload echoed by the ${model} ${transport} server`,
    reason,
    async () => {
      await using server = await serveEcho({ model, transport, hostname: "127.0.0.1", port: 0, threads: 2 });
      const payload = seededBytes(size + 1, size);
      const [cmd, args] = argv(server.addr.port);
      const echoed = await within(pipeThrough(cmd, args, payload), `${peer} round trip`, 40_000);
      assert.equal(echoed.length, payload.length);
      assert.equal(firstDifference(echoed, payload), -1);
    },
  );
}

for (const model of ["async", "sequential", "workers", "processes"] as EchoModel[]) {
  peerCase("nc -N", model, needCommands("nc"), (port) => ["nc", ["-N", "127.0.0.1", String(port)]]);
}
peerCase(
  "socat",
  "async",
  needCommands("socat"),
  (port) => ["socat", ["-t", "10", "-", `TCP:127.0.0.1:${port}`]],
);
peerCase(
  "python3",
  "async",
  hasCommand(PYTHON) ? undefined : `${PYTHON} not installed`,
  (port) => [PYTHON, ["-c", PY_CLIENT, "127.0.0.1", String(port)]],
);
// socat sends one datagram per read of stdin, at most 8192 bytes by default, and returns what comes back.
peerCase(
  "socat",
  "async",
  needCommands("socat"),
  (port) => ["socat", ["-t", "2", "-", `UDP:127.0.0.1:${port}`]],
  "udp",
  1000,
);
