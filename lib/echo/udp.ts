/**
 * UDP echo: every datagram goes back to its sender, from one loop (the sequential and async models are the
 * same thing here). Deno has no `reusePort` for UDP, so the workers and processes models refuse UDP.
 *
 * One 64 KiB buffer serves every datagram (the largest UDP payload over IPv4 is 65507 bytes). The loop sends
 * a datagram back before it receives the next one, so nothing queues in user space.
 *
 * @module
 */
import { Counters, deferred, resolveOptions, serverHandle } from "./_conn.ts";
import type { EchoEvent, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

const DATAGRAM_BUFFER = 64 * 1024;
/** Senders remembered for the `clients` count; past this the memory is cleared, so it stays bounded. */
const MAX_REMEMBERED_SENDERS = 4096;

/**
 * Starts a UDP echo server. Needs `--unstable-net` (`Deno.listenDatagram`).
 *
 * `stats().clients` counts distinct senders (address and port) seen; `active` stays 0.
 *
 * @param options server options; `model` may be `"sequential"` or `"async"` (the same loop)
 * @returns the running server
 * @throws {TypeError} for the workers or processes model, {RangeError} for a bad number
 * @example
 * ```ts
 * import { serveUdpEcho } from "./udp.ts";
 * await using server = await serveUdpEcho({ hostname: "127.0.0.1", port: 0 });
 * const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * await sock.send(new TextEncoder().encode("ping"), server.addr);
 * const [data] = await sock.receive();
 * sock.close();
 * console.log(new TextDecoder().decode(data)); // "ping"
 * ```
 */
export async function serveUdpEcho(options: EchoServerOptions = {}): Promise<EchoServer> {
  const resolved = resolveOptions({ ...options, transport: "udp" });
  const sock = Deno.listenDatagram({ transport: "udp", hostname: resolved.hostname, port: resolved.port });
  const addr = sock.addr as Deno.NetAddr;
  const counters = new Counters();
  const emit = (e: EchoEvent) => options.onEvent?.(e);
  const senders = new Set<string>();
  let stopping = false;
  let nextId = 1;

  const loop = (async () => {
    const buf = new Uint8Array(DATAGRAM_BUFFER);
    while (!stopping) {
      let data: Uint8Array, remote: Deno.Addr;
      try {
        [data, remote] = await sock.receive(buf);
      } catch (err) {
        if (stopping || err instanceof Deno.errors.BadResource) return;
        emit({ type: "error", message: `receive: ${(err as Error).message}` });
        continue;
      }
      const peer = remote as Deno.NetAddr;
      const key = `${peer.hostname}|${peer.port}`;
      if (!senders.has(key)) {
        if (senders.size >= MAX_REMEMBERED_SENDERS) senders.clear();
        senders.add(key);
        counters.add("clients", 1);
        emit({ type: "connect", remote: peer, id: nextId++ });
      }
      counters.add("bytesIn", data.byteLength);
      try {
        const sent = await sock.send(data, remote);
        counters.add("bytesOut", sent);
      } catch (err) {
        if (stopping || err instanceof Deno.errors.BadResource) return;
        emit({ type: "error", message: `send to ${peer.hostname}:${peer.port}: ${(err as Error).message}` });
      }
    }
  })();

  const done = deferred<void>();
  let closing: Promise<EchoStats> | undefined;
  const close = (): Promise<EchoStats> => {
    closing ??= (async () => {
      stopping = true;
      try {
        sock.close();
      } catch { /* already closed */ }
      await loop;
      done.resolve();
      return counters.snapshot();
    })();
    return closing;
  };
  emit({ type: "listening", addr, model: resolved.model, transport: "udp" });
  return await Promise.resolve(serverHandle({
    addr,
    model: resolved.model,
    transport: "udp",
    closed: done.promise,
    stats: () => counters.snapshot(),
    close,
  }));
}
