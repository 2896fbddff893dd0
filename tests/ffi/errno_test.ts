/**
 * errno and SyscallError against real failing calls.
 *
 * @module
 */
import assert from "node:assert/strict";
import { check, describeErrno, Errno, errno, ERRNO_NAMES, SyscallError } from "../../ffi/errno.ts";
import { libc } from "../../ffi/libc.ts";

Deno.test("close(-1) fails with EBADF, and check() turns it into a SyscallError", () => {
  assert.throws(
    () => check("close", libc().close(-1)),
    (e: unknown) =>
      e instanceof SyscallError && e.errno === 9 && e.code === "EBADF" && e.syscall === "close" &&
      e.message === "close: Bad file descriptor [EBADF]" && e.name === "SyscallError",
  );
});

Deno.test("errno() reads the value the last synchronous call left", () => {
  assert.equal(libc().close(-1), -1);
  assert.equal(errno(), Errno.EBADF);
  // A socket() with an impossible family: EAFNOSUPPORT (97).
  assert.equal(libc().socket(12345, 1, 0), -1);
  assert.equal(ERRNO_NAMES[errno()], "EAFNOSUPPORT");
});

Deno.test("check() passes a successful result through, numbers and bigints alike", () => {
  assert.equal(check("x", 0), 0);
  assert.equal(check("x", 5n), 5n);
  assert.throws(() => check("y", -1n), SyscallError);
});

Deno.test("SyscallError names unknown errno values and carries the detail", () => {
  const e = new SyscallError("bind", 4000, "ifindex 7");
  assert.equal(e.code, "E4000");
  assert.match(e.message, /^bind \(ifindex 7\): .+ \[E4000\]$/);
  assert.equal(new SyscallError("socket", Errno.EPERM).message, "socket: Operation not permitted [EPERM]");
  assert.equal(describeErrno(Errno.ENODEV), "No such device");
});
