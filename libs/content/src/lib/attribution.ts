import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Sorted, non-overlapping clock ranges of one client, each with the user whose update carried it. */
interface ClientRanges {
  starts: number[];
  ends: number[];
  users: string[];
}

/**
 * Who wrote what, as attested by the server: every struct an update carries belongs to the user of
 * the `ContentUpdated` event that carried it (ARCHITECTURE §7). Client-declared data
 * (PermanentUserData) is never consulted.
 *
 * Feed it the content stream's updates in stream order (snapshots carry no authorship; start from
 * the first update). When two updates carry the same clocks, the earlier one keeps them.
 * Lookups are a binary search over the ranges of one client; consecutive updates of one user are
 * coalesced, so typing a long text costs one range.
 */
export class AttributionIndex {
  private readonly clients = new Map<number, ClientRanges>();
  /** Every user an update was added for, in first-seen order — also those whose updates only deleted. */
  private readonly writers = new Set<string>();

  /** Builds an index from `(update, userId)` pairs in stream order. */
  static fromUpdates(entries: Iterable<{ readonly update: Uint8Array; readonly userId: string }>): AttributionIndex {
    const index = new AttributionIndex();
    for (const entry of entries) index.add(entry.update, entry.userId);
    return index;
  }

  /**
   * The index as bytes (stored with a content snapshot, so a diff after a restart reads the
   * updates after that snapshot only): format version, the users once each, then per client its
   * ranges as (gap from the previous end, length, user number). The users are `authors`, so those
   * who only deleted are kept too. `decode` gives back an equal index.
   */
  encode(): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, ATTRIBUTION_FORMAT);
    const userNumbers = new Map<string, number>();
    for (const user of this.writers) userNumbers.set(user, userNumbers.size);
    for (const ranges of this.clients.values()) for (const user of ranges.users) if (!userNumbers.has(user)) userNumbers.set(user, userNumbers.size);
    encoding.writeVarUint(encoder, userNumbers.size);
    for (const user of userNumbers.keys()) encoding.writeVarString(encoder, user);
    encoding.writeVarUint(encoder, this.clients.size);
    for (const [client, { starts, ends, users }] of this.clients) {
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, starts.length);
      let previousEnd = 0;
      for (let index = 0; index < starts.length; index++) {
        encoding.writeVarUint(encoder, starts[index] - previousEnd);
        encoding.writeVarUint(encoder, ends[index] - starts[index]);
        encoding.writeVarUint(encoder, userNumbers.get(users[index]) as number);
        previousEnd = ends[index];
      }
    }
    return encoding.toUint8Array(encoder);
  }

  /** The index `encode` wrote; throws a RangeError on bytes it did not write. */
  static decode(bytes: Uint8Array): AttributionIndex {
    const index = new AttributionIndex();
    try {
      const decoder = decoding.createDecoder(bytes);
      const format = decoding.readVarUint(decoder);
      if (format !== ATTRIBUTION_FORMAT) throw new RangeError(`unknown attribution format ${format}`);
      const users: string[] = [];
      for (let count = decoding.readVarUint(decoder); count > 0; count--) users.push(decoding.readVarString(decoder));
      users.forEach((user) => index.writers.add(user));
      for (let clients = decoding.readVarUint(decoder); clients > 0; clients--) {
        const client = decoding.readVarUint(decoder);
        const ranges: ClientRanges = { starts: [], ends: [], users: [] };
        let previousEnd = 0;
        for (let count = decoding.readVarUint(decoder); count > 0; count--) {
          const start = previousEnd + decoding.readVarUint(decoder);
          const end = start + decoding.readVarUint(decoder);
          const user = users[decoding.readVarUint(decoder)];
          if (user === undefined || end <= start) throw new RangeError('attribution range out of bounds');
          ranges.starts.push(start);
          ranges.ends.push(end);
          ranges.users.push(user);
          previousEnd = end;
        }
        index.clients.set(client, ranges);
      }
      if (decoding.hasContent(decoder)) throw new RangeError('trailing bytes');
    } catch (error) {
      throw new RangeError(`not an encoded attribution index: ${error instanceof Error ? error.message : String(error)}`);
    }
    return index;
  }

  /** Records the structs of one stored update as written by `userId`. */
  add(update: Uint8Array, userId: string): void {
    this.writers.add(userId);
    const { structs } = Y.decodeUpdate(update);
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue;
      this.addRange(struct.id.client, struct.id.clock, struct.id.clock + struct.length, userId);
    }
  }

  /** The user whose update carried the struct with this id, if any update did. */
  userAt(client: number, clock: number): string | undefined {
    const ranges = this.clients.get(client);
    if (!ranges) return undefined;
    const index = lastStartAtOrBefore(ranges.starts, clock);
    return index >= 0 && clock < ranges.ends[index] ? ranges.users[index] : undefined;
  }

  /** `userAt` for a Yjs id. */
  userOf(id: Y.ID): string | undefined {
    return this.userAt(id.client, id.clock);
  }

  /** Every user whose updates were added, whether they wrote or only deleted (first seen first). */
  get authors(): readonly string[] {
    return [...this.writers];
  }

  /** Number of stored ranges (for diagnostics and tests). */
  get rangeCount(): number {
    let count = 0;
    for (const ranges of this.clients.values()) count += ranges.starts.length;
    return count;
  }

  private addRange(client: number, start: number, end: number, userId: string): void {
    let ranges = this.clients.get(client);
    if (!ranges) {
      ranges = { starts: [], ends: [], users: [] };
      this.clients.set(client, ranges);
    }
    const { starts, ends, users } = ranges;
    const last = starts.length - 1;
    // The common case: a client's next clocks, appended in order.
    if (last < 0 || start >= ends[last]) {
      if (last >= 0 && start === ends[last] && users[last] === userId) {
        ends[last] = end;
      } else {
        starts.push(start);
        ends.push(end);
        users.push(userId);
      }
      return;
    }
    // Out of order: fill only the gaps between existing ranges (the first carrier keeps its clocks).
    let cursor = start;
    let index = Math.max(0, lastStartAtOrBefore(starts, start));
    while (cursor < end) {
      while (index < starts.length && ends[index] <= cursor) index++;
      if (index < starts.length && starts[index] <= cursor) {
        cursor = ends[index];
        continue;
      }
      const gapEnd = index < starts.length ? Math.min(end, starts[index]) : end;
      starts.splice(index, 0, cursor);
      ends.splice(index, 0, gapEnd);
      users.splice(index, 0, userId);
      cursor = gapEnd;
    }
  }
}

/** Version of `AttributionIndex.encode`'s bytes. */
const ATTRIBUTION_FORMAT = 1;

/** Index of the last element of ascending `values` that is ≤ `target`, or -1. */
function lastStartAtOrBefore(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (values[mid] <= target) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
