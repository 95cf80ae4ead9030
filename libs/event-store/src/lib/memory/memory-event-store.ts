import { StreamNotFoundError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ImportEventsResult,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamInfo,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents, StreamHead } from '../append/seal-events';
import { SubscriptionPage } from '../subscription/catch-up-subscription';
import { LiveSubscriptions } from '../subscription/live-subscriptions';
import { matchesStreamPrefixes } from '../stream-prefixes';
import { assertUniqueIds, checkImportedEvent, ImportRejectedError } from '../import/import-checks';


/**
 * In-process event store: nothing survives the process. For tests of other libraries and the
 * memory-only relay benchmark. Semantics match the durable adapters (same contract suite): appends
 * are atomic because they run synchronously, event ids are unique store-wide, and reads return
 * copies so a caller cannot alter the log through a returned event.
 */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory' as const;

  /**
   * The global log in position order. An appended event's position is the last one + 1; imported
   * events keep theirs, so positions may have gaps (hence the binary search in readAfter).
   */
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly locations = new Map<string, StoredEventLocation>();
  private readonly subscriptions = new LiveSubscriptions((afterPosition, maxCount, streamPrefixes) =>
    this.readAfter(afterPosition, maxCount, streamPrefixes),
  );

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const streamEvents = this.streams.get(stream) ?? [];
    const lastEvent = streamEvents[streamEvents.length - 1];

    const replay = detectIdempotentReplay(stream, events.map((event) => event.id), this.storedLocations(events));
    if (replay) return replay;

    assertExpectedRevision(stream, options.expectedRevision ?? 'any', streamEvents.length - 1);
    if (events.length === 0) {
      return { nextExpectedRevision: streamEvents.length - 1, position: lastEvent?.position ?? 0 };
    }

    const head: StreamHead = lastEvent
      ? { revision: lastEvent.revision, hash: lastEvent.metadata.hash }
      : EMPTY_STREAM_HEAD;
    for (const sealed of sealEvents(stream, head, events)) {
      const recorded: RecordedEvent = { ...sealed, position: this.lastPosition() + 1 };
      this.log.push(recorded);
      streamEvents.push(recorded);
      this.locations.set(recorded.id, recorded);
    }
    this.streams.set(stream, streamEvents);
    this.subscriptions.committed();

    const written = streamEvents[streamEvents.length - 1];
    return { nextExpectedRevision: written.revision, position: written.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const streamEvents = this.streams.get(stream);
    if (!streamEvents) throw new StreamNotFoundError(stream);
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const selected: RecordedEvent[] = [];
    if (options.direction === 'backwards') {
      const start = Math.min(options.fromRevision ?? streamEvents.length - 1, streamEvents.length - 1);
      for (let revision = start; revision >= 0 && selected.length < maxCount; revision -= 1) {
        selected.push(streamEvents[revision]);
      }
    } else {
      for (
        let revision = Math.max(options.fromRevision ?? 0, 0);
        revision < streamEvents.length && selected.length < maxCount;
        revision += 1
      ) {
        selected.push(streamEvents[revision]);
      }
    }
    return selected.map(copyEvent);
  }

  async streamRevision(stream: string): Promise<number> {
    return (this.streams.get(stream)?.length ?? 0) - 1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAfter(options.afterPosition ?? 0, options.maxCount, options.streamPrefixes).events;
  }

  async headPosition(): Promise<number> {
    return this.lastPosition();
  }

  async listStreams(): Promise<StreamInfo[]> {
    return [...this.streams.entries()]
      .filter(([, streamEvents]) => streamEvents.length > 0)
      .map(([stream, streamEvents]) => {
        const last = streamEvents[streamEvents.length - 1];
        return { stream, lastRevision: last.revision, lastHash: last.metadata.hash };
      })
      .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    return this.subscriptions.start(options, handler, onError);
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    assertUniqueIds(events);
    // Check the whole batch before touching the log, so that a rejected batch writes nothing.
    const heads = new Map<string, { revision: number; hash: string }>();
    let lastPosition = this.lastPosition();
    for (const event of events) {
      if (this.locations.has(event.id)) {
        throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} is already stored`);
      }
      const stored = this.streams.get(event.stream);
      const storedLast = stored?.[stored.length - 1];
      const head =
        heads.get(event.stream) ?? (storedLast ? { revision: storedLast.revision, hash: storedLast.metadata.hash } : undefined);
      checkImportedEvent(event, head, lastPosition);
      heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
      lastPosition = event.position;
    }
    for (const event of events) {
      const recorded = copyEvent(event);
      this.log.push(recorded);
      const streamEvents = this.streams.get(recorded.stream) ?? [];
      streamEvents.push(recorded);
      this.streams.set(recorded.stream, streamEvents);
      this.locations.set(recorded.id, recorded);
    }
    if (events.length > 0) this.subscriptions.committed();
    return { eventsWritten: events.length, position: this.lastPosition() };
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
  }

  private storedLocations(events: readonly NewEvent[]): Map<string, StoredEventLocation> {
    const stored = new Map<string, StoredEventLocation>();
    for (const event of events) {
      const location = this.locations.get(event.id);
      if (location) stored.set(event.id, location);
    }
    return stored;
  }

  private lastPosition(): number {
    return this.log[this.log.length - 1]?.position ?? 0;
  }

  /** Index of the first event with a position greater than `afterPosition`. */
  private firstIndexAfter(afterPosition: number): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.log[middle].position <= afterPosition) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private readAfter(
    afterPosition: number,
    maxCount = Number.POSITIVE_INFINITY,
    streamPrefixes?: string[],
  ): SubscriptionPage {
    const events: RecordedEvent[] = [];
    let scannedThrough = afterPosition;
    for (let index = this.firstIndexAfter(afterPosition); index < this.log.length && events.length < maxCount; index += 1) {
      const event = this.log[index];
      if (matchesStreamPrefixes(event.stream, streamPrefixes)) events.push(copyEvent(event));
      scannedThrough = event.position;
    }
    return { events, scannedThrough: Math.max(scannedThrough, afterPosition) };
  }
}

function copyEvent(event: RecordedEvent): RecordedEvent {
  return structuredClone(event);
}
