/**
 * Hand-built IEEE 802.11 frames shared by the 802.11 tests (text and decoder): little-endian fields, four
 * addresses, frame control, and management and data frame builders.
 *
 * @module
 */
import { cat, hex } from "../_bytes.ts";

/** The bytes given. */
export const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
/** A little-endian 16-bit field. */
export const le16 = (n: number): Uint8Array => bytes(n & 255, (n >> 8) & 255);
/** A little-endian 32-bit field. */
export const le32 = (n: number): Uint8Array => cat(le16(n & 0xffff), le16(n >>> 16));
/** `n` zero bytes. */
export const zeros = (n: number): Uint8Array => new Uint8Array(n);

/** The four addresses the builders put in a frame, in order. */
export const A1: Uint8Array = hex("001122334455"),
  A2: Uint8Array = hex("66778899aabb"),
  A3: Uint8Array = hex("deadbeef0001"),
  A4: Uint8Array = hex("020000000004");

/** Frame control: type, subtype and the flags byte (ToDS 1, FromDS 2, retry 8, protected 0x40, order 0x80). */
export const fc = (type: number, sub: number, flags = 0): Uint8Array =>
  bytes((sub << 4) | (type << 2), flags);

/** A management frame: DA (`da`, default A1), SA, BSSID, sequence 0x123, then the body. */
export const mgmt = (sub: number, body: Uint8Array, flags = 0, da: Uint8Array = A1): Uint8Array =>
  cat(fc(0, sub, flags), le16(314), da, A2, A3, le16(0x1230), body);

/**
 * A data frame of a subtype with ToDS/FromDS from `flags`: four addresses when both are set, the QoS
 * control `qos` in QoS subtypes (8 and up), the HT control `htc` when given, then the body.
 */
export const data = (
  sub: number,
  flags: number,
  body: Uint8Array,
  qos = 0x0005,
  htc?: Uint8Array,
): Uint8Array =>
  cat(
    fc(2, sub, flags),
    le16(44),
    A1,
    A2,
    A3,
    le16(0x4560),
    (flags & 3) === 3 ? A4 : zeros(0),
    sub & 8 ? le16(qos) : zeros(0),
    htc ?? zeros(0),
    body,
  );
