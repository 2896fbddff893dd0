/** Test helper: a fixture's bytes by name, and the bytes of one of its layers. */
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";

/**
 * @param name a fixture name
 * @returns its frame
 */
export function frame(name: string): Uint8Array {
  const f = FIXTURES.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return fixtureBytes(f);
}

/**
 * @param name a fixture name
 * @param layer a layer name
 * @returns the bytes from that layer's first byte to the end of the frame
 */
export function layerBytes(name: string, layer: string): Uint8Array {
  const f = FIXTURES.find((x) => x.name === name)!;
  const b = fixtureBytes(f);
  const r = new PacketDecoder().decode(b, f.linktype);
  const i = r.layers.findIndex((l) => l.layer === layer);
  if (i < 0) throw new Error(`${name} has no ${layer} layer`);
  return b.subarray(r.offsets[i]);
}

/** @returns true when `fn` throws a WireError with this code */
export function wireCode(code: string): (e: unknown) => boolean {
  return (e: unknown) =>
    e instanceof Error && e.name === "WireError" && (e as { code?: string }).code === code;
}
