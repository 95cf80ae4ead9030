/** Many small updates as one buffer plus their lengths, to hand to a child process cheaply. */
export interface PackedUpdates {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
}

export function packUpdates(updates: readonly Uint8Array[]): PackedUpdates {
  const lengths = Uint32Array.from(updates, (update) => update.length);
  const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0));
  let offset = 0;
  for (const update of updates) {
    bytes.set(update, offset);
    offset += update.length;
  }
  return { bytes, lengths };
}

export function unpackUpdates(packed: PackedUpdates): Uint8Array[] {
  const updates: Uint8Array[] = [];
  let offset = 0;
  for (const length of packed.lengths) {
    updates.push(packed.bytes.subarray(offset, offset + length));
    offset += length;
  }
  return updates;
}
