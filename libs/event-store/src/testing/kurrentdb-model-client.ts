import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  StreamNotFoundError as KurrentStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type {
  AllStreamResolvedEvent,
  AppendResult,
  AppendStreamState,
  EventData,
  Filter,
  Position,
  ReadPosition,
  ReadRevision,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClientLike } from '../lib/kurrentdb/kurrentdb-event-store';

/**
 * An in-process MODEL of a KurrentDB node behind the client API the adapter uses
 * (appendToStream, readStream, readAll, subscribeToAll, dispose). It is not KurrentDB: it models
 * the behaviour the adapter relies on, as documented or as read in KurrentDB's source, so that the
 * adapter's own logic (head reads, sealing, idempotency, retries, position mapping, filtering,
 * resubscription) runs in every `npm test`. The real server is exercised only by
 * kurrentdb-event-store.int.spec.ts when KURRENTDB_URL is set.
 *
 * Modelled:
 * - positions are byte offsets of a transaction log: strictly increasing, NOT dense, commit =
 *   prepare for every event (implicit transactions), starting after some system records;
 * - KurrentDB's own `$` streams interleaved with ours ($epoch-information at start, `$stats-…`
 *   after every third append, a `$$stream` metadata stream);
 * - expected stream state (any / no_stream / stream_exists / exact revision) with the client's real
 *   WrongExpectedVersionError; KurrentDB's idempotency for an exact (or no_stream) expected state
 *   whose following events carry the same ids (success without writing, no position reported);
 * - an append of several events reports one position for the whole write (here: the first
 *   event's), a single event its own (or, as an option, the position just past it);
 * - reads: stream not found (the client's StreamNotFoundError); reading `$all` forwards from a
 *   position includes the event at it, backwards excludes it; reading a stream backwards from a
 *   revision past its end returns the empty range [from - maxCount + 1, from] (the adapter must clamp);
 * - server-side filters on stream name or event type, by regex or prefixes;
 * - catch-up subscriptions to `$all` that start after the given position and go live;
 * - an outage (`setAvailable(false)`): reads fail with the client's UnavailableError, appends with
 *   a raw gRPC status 14 error (as the real client reports a refused connection), live
 *   subscriptions are destroyed with UnavailableError.
 */
export class KurrentDbModel {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly subscriptions = new Set<ModelSubscription>();
  private nextLogPosition = 1_024;
  private appendsSinceStats = 0;
  private available = true;

  /**
   * @param options.reportedPosition what an append of one event reports: its own log position
   *   (what KurrentDB's source suggests), or — to check that the adapter does not depend on it — the
   *   position just past it.
   */
  constructor(private readonly options: { reportedPosition?: 'own' | 'past' } = {}) {
    this.writeSystemEvent('$epoch-information', '$epoch-information');
    this.writeSystemEvent('$scavenges', '$maxAge');
  }

  /** A client of this node. Several clients share the node, like several API processes. */
  client(): KurrentDbClientLike {
    const client = {
      appendToStream: (stream: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}) =>
        this.append(stream, Array.isArray(events) ? events : [events], options.streamState ?? 'any'),
      readStream: (stream: string, options: ReadStreamModelOptions = {}) => this.readStream(stream, options),
      readAll: (options: ReadAllModelOptions = {}) => this.readAll(options),
      subscribeToAll: (options: { fromPosition?: ReadPosition; filter?: Filter } = {}) => this.subscribeToAll(options),
      dispose: async () => undefined,
    };
    return client as unknown as KurrentDbClientLike;
  }

  /** Takes the node down (every call fails as unreachable) or brings it back. */
  setAvailable(available: boolean): void {
    this.available = available;
    if (!available) {
      for (const subscription of this.subscriptions) subscription.destroy(new UnavailableError(undefined, 'node went away'));
    }
  }

  /** Appends one event to a KurrentDB system stream (`$…`), as the server does on its own. */
  writeSystemEvent(stream: string, type: string): void {
    this.store(stream, { id: randomUUID(), type, isJson: true, data: Buffer.from('{}'), metadata: Buffer.alloc(0) });
  }

  /** Appends a metadata event to the `$$stream` metadata stream of a stream. */
  setStreamMetadata(stream: string): void {
    this.store(`$$${stream}`, { id: randomUUID(), type: '$metadata', isJson: true, data: Buffer.from('{"$maxAge":1}'), metadata: Buffer.alloc(0) });
  }

  /** Every record, system ones included, in log order (for assertions). */
  records(): ReadonlyArray<{ streamId: string; revision: bigint; position: bigint }> {
    return this.log.map((record) => ({ streamId: record.streamId, revision: record.revision, position: record.position }));
  }

  private async append(stream: string, events: EventData[], state: AppendStreamState): Promise<AppendResult> {
    await turn();
    if (!this.available) throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length - 1;
    const wrongExpectedVersion = () =>
      new WrongExpectedVersionError(undefined, {
        streamName: stream,
        expected: state,
        current: current === -1 ? 'no_stream' : BigInt(current),
      });

    if (state !== 'any') {
      const expected = state === 'no_stream' ? -1 : state === 'stream_exists' ? null : Number(state);
      if (expected === null) {
        if (current === -1) throw wrongExpectedVersion();
      } else if (expected !== current) {
        // KurrentDB's idempotency: the same ids right after the expected revision → success, nothing written.
        const following = existing.slice(expected + 1, expected + 1 + events.length);
        const sameIds = following.length === events.length && following.every((record, index) => record.id === events[index].id);
        if (expected < current && sameIds) {
          return { success: true, nextExpectedRevision: BigInt(expected + events.length), position: undefined };
        }
        throw wrongExpectedVersion();
      }
    }

    const written = events.map((event) =>
      this.store(stream, {
        id: event.id,
        type: event.type,
        isJson: event.contentType === 'application/json',
        data:
          event.contentType === 'application/json'
            ? Buffer.from(JSON.stringify(event.data), 'utf8')
            : Buffer.from(event.data as Uint8Array),
        metadata: event.metadata ? Buffer.from(JSON.stringify(event.metadata), 'utf8') : Buffer.alloc(0),
      }),
    );
    this.appendsSinceStats += 1;
    if (this.appendsSinceStats === 3) {
      this.appendsSinceStats = 0;
      this.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    }
    const last = written[written.length - 1];
    const reported =
      written.length === 1 ? (this.options.reportedPosition === 'past' ? BigInt(this.nextLogPosition) : last.position) : written[0].position;
    return {
      success: true,
      nextExpectedRevision: last?.revision ?? BigInt(current),
      position: written.length > 0 ? { commit: reported, prepare: reported } : undefined,
    };
  }

  private async *readStream(stream: string, options: ReadStreamModelOptions): AsyncGenerator<{ event: ModelRecordedEvent }> {
    await turn();
    if (!this.available) throw new UnavailableError(undefined, 'node is down');
    const records = this.streams.get(stream);
    if (!records) throw new KurrentStreamNotFoundError(undefined, stream);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromRevision ?? 'start';
    let selected: StoredRecord[];
    if (options.direction === 'backwards') {
      const start = from === 'end' ? records.length - 1 : from === 'start' ? 0 : Number(from);
      const lowest = Math.max(0, start - maxCount + 1);
      selected = records.filter((record) => Number(record.revision) >= lowest && Number(record.revision) <= start).reverse();
    } else {
      const start = from === 'start' ? 0 : from === 'end' ? records.length : Number(from);
      selected = records.filter((record) => Number(record.revision) >= start).slice(0, maxCount);
    }
    for (const record of selected) yield { event: toRecordedEvent(record) };
  }

  private async *readAll(options: ReadAllModelOptions): AsyncGenerator<AllStreamResolvedEvent> {
    await turn();
    if (!this.available) throw new UnavailableError(undefined, 'node is down');
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? 'start';
    let selected: StoredRecord[];
    if (options.direction === 'backwards') {
      const before = from === 'end' ? Number.POSITIVE_INFINITY : from === 'start' ? 0 : Number((from as Position).commit);
      selected = this.log.filter((record) => Number(record.position) < before).reverse();
    } else {
      const after = from === 'start' ? -1 : from === 'end' ? Number.POSITIVE_INFINITY : Number((from as Position).commit) - 1;
      selected = this.log.filter((record) => Number(record.position) > after);
    }
    let yielded = 0;
    for (const record of selected) {
      if (yielded >= maxCount) return;
      if (!matchesFilter(record, options.filter)) continue;
      yielded += 1;
      yield { event: toRecordedEvent(record) as AllStreamResolvedEvent['event'] };
    }
  }

  private subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter }): ModelSubscription {
    const from = options.fromPosition ?? 'start';
    const after = from === 'start' ? -1n : from === 'end' ? (this.log[this.log.length - 1]?.position ?? -1n) : (from as Position).commit;
    const subscription = new ModelSubscription(this, after, options.filter, (closed) => this.subscriptions.delete(closed));
    this.subscriptions.add(subscription);
    if (!this.available) process.nextTick(() => subscription.destroy(new UnavailableError(undefined, 'node is down')));
    return subscription;
  }

  /** The first record after `after` matching the filter, or undefined. */
  nextRecord(after: bigint, filter: Filter | undefined): StoredRecord | undefined {
    return this.log.find((record) => record.position > after && matchesFilter(record, filter));
  }

  private store(streamId: string, content: Omit<StoredRecord, 'streamId' | 'revision' | 'position' | 'created'>): StoredRecord {
    const records = this.streams.get(streamId) ?? [];
    const record: StoredRecord = {
      ...content,
      streamId,
      revision: BigInt(records.length),
      position: BigInt(this.nextLogPosition),
      created: new Date(),
    };
    // A record's size on disk: a header plus its payload, so positions jump unevenly.
    this.nextLogPosition += 96 + streamId.length + content.type.length + content.data.length + content.metadata.length;
    records.push(record);
    this.streams.set(streamId, records);
    this.log.push(record);
    for (const subscription of this.subscriptions) subscription.wake();
    return record;
  }
}

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: Buffer;
  metadata: Buffer;
  created: Date;
  position: bigint;
}

interface ReadStreamModelOptions {
  direction?: 'forwards' | 'backwards';
  fromRevision?: ReadRevision;
  maxCount?: number | bigint;
}

interface ReadAllModelOptions {
  direction?: 'forwards' | 'backwards';
  fromPosition?: ReadPosition;
  maxCount?: number | bigint;
  filter?: Filter;
}

interface ModelRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  created: Date;
  data: unknown;
  metadata: unknown;
  position: Position;
}

/** As the client hands events over: JSON parsed, bytes as a Buffer, metadata parsed when JSON. */
function toRecordedEvent(record: StoredRecord): ModelRecordedEvent {
  let metadata: unknown;
  if (record.metadata.length > 0) {
    try {
      metadata = JSON.parse(record.metadata.toString('utf8'));
    } catch {
      metadata = new Uint8Array(record.metadata);
    }
  }
  return {
    streamId: record.streamId,
    id: record.id,
    revision: record.revision,
    type: record.type,
    isJson: record.isJson,
    created: record.created,
    data: record.isJson ? JSON.parse(record.data.toString('utf8')) : Buffer.from(record.data),
    metadata,
    position: { commit: record.position, prepare: record.position },
  };
}

function matchesFilter(record: StoredRecord, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? record.type : record.streamId;
  if ('regex' in filter) return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** A catch-up subscription: replays after its start position, then delivers appends as they come. */
class ModelSubscription extends Readable {
  private waiting = false;

  constructor(
    private readonly node: KurrentDbModel,
    private after: bigint,
    private readonly allFilter: Filter | undefined,
    private readonly onClosed: (subscription: ModelSubscription) => void,
  ) {
    super({ objectMode: true, highWaterMark: 1 });
    this.once('close', () => this.onClosed(this));
  }

  override _read(): void {
    this.pump();
  }

  wake(): void {
    if (this.waiting) {
      this.waiting = false;
      setImmediate(() => this.pump());
    }
  }

  async unsubscribe(): Promise<void> {
    this.destroy();
  }

  private pump(): void {
    if (this.destroyed) return;
    const record = this.node.nextRecord(this.after, this.allFilter);
    if (!record) {
      this.waiting = true;
      return;
    }
    this.after = record.position;
    this.push({ event: toRecordedEvent(record) });
  }
}

/** Lets other pending work run first, as a network round trip would. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
