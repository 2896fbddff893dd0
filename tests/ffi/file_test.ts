/**
 * FdWriter against real files, a device that is always full and a FIFO whose reader goes away.
 *
 * @module
 */
import assert from "node:assert/strict";
import { addressOf, FdWriter, IOV_MAX } from "../../ffi/file.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { IOVEC } from "../../ffi/structs.ts";
import { needCommands, testIf } from "../_helpers.ts";

/** An iovec table over `parts`, as FdWriter.writev takes it. */
function table(parts: Uint8Array[]): { iov: Uint8Array; total: number } {
  const iov = new Uint8Array(parts.length * IOVEC.size);
  const dv = new DataView(iov.buffer);
  let total = 0;
  parts.forEach((p, i) => {
    dv.setBigUint64(i * IOVEC.size + IOVEC.host.base, BigInt(addressOf(p)), true);
    dv.setBigUint64(i * IOVEC.size + IOVEC.host.len, BigInt(p.length), true);
    total += p.length;
  });
  return { iov, total };
}

Deno.test("FdWriter: create truncates, write and writev put every byte in order, mode 0644 under umask", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/out.bin`;
    Deno.writeTextFileSync(path, "old contents that must go");
    const w = FdWriter.create(path);
    assert(w.fd >= 0);
    w.write(new TextEncoder().encode("head:"));
    // More iovecs than fit one call's worth of small parts, each a distinct buffer.
    const parts = Array.from({ length: IOV_MAX }, (_, i) => new TextEncoder().encode(`${i},`));
    const { iov, total } = table(parts);
    w.writev(iov, Deno.UnsafePointer.of(iov)!, parts.length, total);
    w.close();
    w.close(); // idempotent
    assert.equal(w.fd, -1);
    const text = Deno.readTextFileSync(path);
    assert.equal(text, "head:" + parts.map((p) => new TextDecoder().decode(p)).join(""));
    const mode = Deno.statSync(path).mode! & 0o777;
    assert.equal(mode & ~0o644, 0, `mode ${mode.toString(8)} within 0644`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("FdWriter: a missing directory is ENOENT naming the path; /dev/full is ENOSPC; of() leaves the fd open", () => {
  assert.throws(
    () => FdWriter.create("/nonexistent-netkit-dir/x.pcap"),
    (e: unknown) =>
      e instanceof SyscallError && e.code === "ENOENT" && e.syscall === "open" &&
      e.message.includes("/nonexistent-netkit-dir/x.pcap"),
  );
  const full = FdWriter.create("/dev/full");
  assert.throws(
    () => full.write(new Uint8Array(10)),
    (e: unknown) => e instanceof SyscallError && e.code === "ENOSPC" && e.message.includes("/dev/full"),
  );
  const { iov, total } = table([new Uint8Array(5)]);
  assert.throws(() => full.writev(iov, Deno.UnsafePointer.of(iov)!, 1, total), /ENOSPC/);
  assert.throws(() => full.writev(iov, Deno.UnsafePointer.of(iov)!, IOV_MAX + 1, total), RangeError);
  full.close();
  // A borrowed descriptor: its close() leaves the descriptor open for its owner.
  const f = FdWriter.create("/dev/null");
  const borrowed = FdWriter.of(f.fd, "null");
  borrowed.close();
  f.write(new Uint8Array(3)); // still open
  f.close();
});

testIf(
  "FdWriter: a FIFO whose reader leaves after 100 bytes fails with EPIPE",
  needCommands("mkfifo", "head"),
  async () => {
    const dir = Deno.makeTempDirSync();
    try {
      const fifo = `${dir}/fifo`;
      const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert.equal(mk.code, 0);
      const reader = new Deno.Command("head", { args: ["-c", "100", fifo], stdout: "piped" }).spawn();
      const w = FdWriter.create(fifo); // opens once the reader has
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      let err: unknown;
      try {
        for (let i = 0; i < 64; i++) w.write(chunk); // 4 MiB: far more than the pipe holds
      } catch (e) {
        err = e;
      } finally {
        w.close();
      }
      const out = await reader.output();
      assert.equal(out.stdout.length, 100);
      assert(err instanceof SyscallError && err.code === "EPIPE", String(err));
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
