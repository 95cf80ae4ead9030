import { sortStreamHeads, StreamHead } from '@concord/integrity';
import type { EventStore } from '@concord/event-store';
import { readEventsInOrder } from '../transfer/export-event-log';

export interface StreamHeadsOptions {
  /** Streams left out (the checkpoint stream). */
  exclude?: readonly string[];
  /** Events read per request (default 1000). */
  pageSize?: number;
}

/**
 * Every stream's head as of global position `position`, by its definition: for each stream, the
 * last event with a position ≤ `position`. Reads the log up to there in order (a full scan: what an
 * independent verifier should do). Sorted by stream name, UTF-8 byte order.
 */
export async function scanStreamHeadsAt(
  store: EventStore,
  position: number,
  options: StreamHeadsOptions = {},
): Promise<StreamHead[]> {
  const exclude = new Set(options.exclude ?? []);
  const heads = new Map<string, StreamHead>();
  for await (const page of readEventsInOrder(store, position, options.pageSize)) {
    for (const event of page) {
      if (!exclude.has(event.stream)) {
        heads.set(event.stream, { stream: event.stream, revision: event.revision, hash: event.metadata.hash });
      }
    }
  }
  return sortStreamHeads([...heads.values()]);
}

/**
 * The same heads, cheaply, from the stream head records and the events after `position` only:
 * a stream with no event after `position` has its current head; a stream whose first event after
 * `position` is revision r had head r − 1 with that event's prevHash (none if r = 0). Correct for
 * any store whose positions become visible in order, provided the chains are intact — the API's
 * shortcut (signing, serving heads); the verifier scans instead.
 */
export async function tailStreamHeadsAt(
  store: EventStore,
  position: number,
  options: StreamHeadsOptions = {},
): Promise<StreamHead[]> {
  const exclude = new Set(options.exclude ?? []);
  // The head records are read first: any event they include beyond `position` is in the tail read after.
  const current = await store.listStreams();
  const rolledBack = new Map<string, StreamHead | null>();
  const pageSize = options.pageSize ?? 1_000;
  let afterPosition = position;
  for (;;) {
    const page = await store.readAll({ afterPosition, maxCount: pageSize });
    for (const event of page) {
      if (rolledBack.has(event.stream)) continue;
      rolledBack.set(
        event.stream,
        event.revision === 0 ? null : { stream: event.stream, revision: event.revision - 1, hash: event.metadata.prevHash },
      );
    }
    if (page.length < pageSize) break;
    afterPosition = page[page.length - 1].position;
  }
  const heads: StreamHead[] = [];
  for (const info of current) {
    if (exclude.has(info.stream)) continue;
    const before = rolledBack.get(info.stream);
    if (before === undefined) heads.push({ stream: info.stream, revision: info.lastRevision, hash: info.lastHash });
    else if (before) heads.push(before);
  }
  return sortStreamHeads(heads);
}
