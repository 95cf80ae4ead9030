import * as Y from 'yjs';

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

  /** Builds an index from `(update, userId)` pairs in stream order. */
  static fromUpdates(entries: Iterable<{ readonly update: Uint8Array; readonly userId: string }>): AttributionIndex {
    const index = new AttributionIndex();
    for (const entry of entries) index.add(entry.update, entry.userId);
    return index;
  }

  /** Records the structs of one stored update as written by `userId`. */
  add(update: Uint8Array, userId: string): void {
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
