import { BACKWARDS, END, FORWARDS, START } from '@kurrent/kurrentdb-client';
import type { ReadPosition, ReadRevision, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { StreamNotFoundError } from '../errors';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent, StreamInfo } from '../event-store.port';
import type { KurrentDbClientLike } from './kurrentdb-client';
import {
  buildAllFilter,
  fromKurrentRecord,
  isKurrentStreamNotFound,
  isVisibleStream,
  mapKurrentDbError,
  toGlobalPosition,
  toReadPosition,
} from './kurrentdb-mapping';

/** Events per backwards read once the newest event the filter let through was not visible (rare). */
const HEAD_SCAN_PAGE_SIZE = 32;

export interface StreamReadOptions {
  direction: typeof FORWARDS | typeof BACKWARDS;
  fromRevision: ReadRevision;
  maxCount?: number;
  requiresLeader?: boolean;
}

/**
 * The KurrentDB store's reads: a stream (the port's semantics on top of KurrentDB's), `$all` with
 * the server-side stream filter (no `$` system streams; the namespace and any prefixes), the head
 * position, and the stream heads (a read of the whole of `$all`).
 */
export class KurrentDbReads {
  constructor(
    private readonly client: KurrentDbClientLike,
    private readonly namespace: string,
  ) {}

  async readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount;
    if (maxCount !== undefined && maxCount <= 0) {
      if ((await this.streamRevision(stream)) === -1) throw new StreamNotFoundError(stream);
      return [];
    }
    let fromRevision: ReadRevision;
    if (!backwards) {
      fromRevision = options.fromRevision === undefined || options.fromRevision <= 0 ? START : BigInt(options.fromRevision);
    } else if (options.fromRevision === undefined) {
      fromRevision = END;
    } else {
      // KurrentDB reads backwards from a revision past the end as an empty range; the port (like
      // SQL's "revision <= n") starts at the last event instead.
      const last = await this.streamRevision(stream);
      if (last === -1) throw new StreamNotFoundError(stream);
      if (options.fromRevision < 0) return [];
      fromRevision = options.fromRevision >= last ? END : BigInt(options.fromRevision);
    }
    const events = await this.readStreamEvents(
      stream,
      { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount },
      `reading ${stream}`,
    );
    if (events === null) throw new StreamNotFoundError(stream);
    return events;
  }

  async streamRevision(stream: string): Promise<number> {
    const [last] = (await this.readTail(stream, 1, `reading the head of ${stream}`)) ?? [];
    return last?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const limit = options.maxCount;
    const events: RecordedEvent[] = [];
    if (limit !== undefined && limit <= 0) return events;
    const filter = buildAllFilter(this.namespace, options.streamPrefixes);
    let cursor = options.afterPosition ?? 0;
    for (;;) {
      // One more than needed: reading forwards from a position includes the event at it.
      const requested = limit === undefined ? undefined : limit - events.length + 1;
      let received = 0;
      let lastSeen = cursor;
      try {
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: toReadPosition(cursor),
          maxCount: requested,
          filter,
        })) {
          received += 1;
          const record = resolved.event;
          if (!record) continue;
          const position = toGlobalPosition(record.position);
          if (position <= cursor) continue;
          lastSeen = position;
          if (!isVisibleStream(record.streamId, this.namespace, options.streamPrefixes)) continue;
          events.push(fromKurrentRecord(record, this.namespace));
          if (limit !== undefined && events.length >= limit) return events;
        }
      } catch (error) {
        throw mapKurrentDbError(error, { whileDoing: 'reading all events' });
      }
      // Fewer than requested: the end of $all. Otherwise the client-side checks dropped some of a
      // full page, so read on from where it ended.
      if (requested === undefined || received < requested || lastSeen === cursor) return events;
      cursor = lastSeen;
    }
  }

  async listStreams(): Promise<StreamInfo[]> {
    const heads = new Map<string, StreamInfo>();
    try {
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: START,
        filter: buildAllFilter(this.namespace),
      })) {
        const record = resolved.event;
        if (!record || !isVisibleStream(record.streamId, this.namespace)) continue;
        const stream = record.streamId.slice(this.namespace.length);
        const revision = Number(record.revision);
        const known = heads.get(stream);
        if (known && known.lastRevision >= revision) continue;
        const hash = (record.metadata as { hash?: unknown } | undefined)?.hash;
        heads.set(stream, { stream, lastRevision: revision, lastHash: typeof hash === 'string' ? hash : '' });
      }
    } catch (error) {
      throw mapKurrentDbError(error, { whileDoing: 'listing streams' });
    }
    return [...heads.values()].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  }

  /**
   * Position of the last event visible through the filter (0 when there is none): `$all` read
   * backwards with the server-side filter, page by page only in the odd case where the client-side
   * check rejects what the filter let through (a stream prefix starting with `$`).
   */
  async headPosition(streamPrefixes?: string[]): Promise<number> {
    const filter = buildAllFilter(this.namespace, streamPrefixes);
    let before: ReadPosition = END;
    let oldestSeen = Number.POSITIVE_INFINITY;
    let pageSize = 1;
    try {
      for (;;) {
        let progressed = false;
        let received = 0;
        for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: before, maxCount: pageSize, filter })) {
          received += 1;
          const record = resolved.event;
          if (!record) continue;
          const position = toGlobalPosition(record.position);
          if (position >= oldestSeen) continue;
          if (isVisibleStream(record.streamId, this.namespace, streamPrefixes)) return position;
          oldestSeen = position;
          before = record.position as ReadPosition;
          progressed = true;
        }
        if (received < pageSize || !progressed) return 0;
        pageSize = HEAD_SCAN_PAGE_SIZE;
      }
    } catch (error) {
      throw mapKurrentDbError(error, { whileDoing: 'reading the head position' });
    }
  }

  /** The stream's last `count` events, newest first; null when the stream does not exist. */
  readTail(stream: string, count: number, whileDoing: string, requiresLeader = false): Promise<RecordedEvent[] | null> {
    return this.readStreamEvents(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count, requiresLeader }, whileDoing);
  }

  /** Reads a stream through the client; null when it does not exist. */
  async readStreamEvents(stream: string, options: StreamReadOptions, whileDoing: string): Promise<RecordedEvent[] | null> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.namespace + stream, options) as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(fromKurrentRecord(resolved.event, this.namespace));
      }
    } catch (error) {
      if (isKurrentStreamNotFound(error)) return null;
      throw mapKurrentDbError(error, { whileDoing });
    }
    return events;
  }
}
