import assert from "node:assert/strict";
import { shortError, truncatedError, WireError, WireErrorCode } from "../../lib/wire/errors.ts";

Deno.test("WireError carries layer, stable code, reason and offset", () => {
  const e = new WireError("tcp", WireErrorCode.BAD_OPTION, "option 8: length 1 < 2", 20);
  assert.ok(e instanceof Error);
  assert.equal(e.name, "WireError");
  assert.deepEqual([e.layer, e.code, e.reason, e.offset], [
    "tcp",
    "WIRE_BAD_OPTION",
    "option 8: length 1 < 2",
    20,
  ]);
  assert.equal(e.message, "tcp: option 8: length 1 < 2 (at offset 20)");
  assert.equal(shortError("udp", 8, 2).code, "WIRE_SHORT");
  assert.equal(truncatedError("ipv4", 60, 40).offset, 40);
  assert.deepEqual(Object.values(WireErrorCode).sort(), [
    "WIRE_BAD_LENGTH",
    "WIRE_BAD_OPTION",
    "WIRE_BAD_POINTER",
    "WIRE_BAD_VALUE",
    "WIRE_BAD_VERSION",
    "WIRE_SHORT",
    "WIRE_TRUNCATED",
  ]);
});
