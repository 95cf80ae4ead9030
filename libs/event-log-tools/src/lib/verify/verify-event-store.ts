import { GENESIS_HASH } from '@concord/integrity';
import {
  chainLinkProblem,
  EventStoreUnavailableError,
  StreamNotFoundError,
  type EventStore,
  type RecordedEvent,
  type StreamInfo,
} from '@concord/event-store';

export interface ChainBreak {
  stream: string;
  /** The first revision found wrong or missing; null when only the stream head record disagrees. */
  revision: number | null;
  reason: string;
}

export interface VerifyProgress {
  stream: string;
  streamsChecked: number;
  streamsTotal: number;
  eventsChecked: number;
}

export interface VerifyOptions {
  /** Called after each stream is checked. */
  onProgress?: (progress: VerifyProgress) => void;
  /** Events read per request; bounds memory on long content streams. */
  pageSize?: number;
  /** Check only the streams this accepts (an auditor of some workspaces); default every stream. */
  streamFilter?: (stream: string) => boolean;
}

export interface VerifyReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** The first break in listStreams order; checking stops there. */
  firstBreak: ChainBreak | null;
}

/**
 * Re-checks every hash chain: for each stream, revisions run 0..n without gaps, each event links to
 * its predecessor (chainLinkProblem of @concord/event-store: its own id in the metadata, the
 * predecessor's hash, a hash that recomputes from the stored content), global positions grow with
 * revisions, and the stream's head record (last revision and hash in listStreams) matches its last event — the only way to notice a deleted tail event.
 *
 * What it cannot detect: a rewrite that recomputes every hash from the edit onwards and updates the
 * head record too. That needs the head hashes anchored outside the store (e.g. in an approval).
 */
export async function verifyEventStore(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 1_000;
  const streams = await streamsToVerify(store, options.streamFilter);
  let streamsChecked = 0;
  let eventsChecked = 0;
  const pacer = new EventLoopPacer(pageSize);

  for (const head of streams) {
    const range = await checkStreamRange(store, { head, from: 0, to: null }, { pageSize, pacer });
    eventsChecked += range.eventsChecked;
    if (range.chainBreak) return { ok: false, streamsChecked, eventsChecked, firstBreak: range.chainBreak };

    streamsChecked += 1;
    options.onProgress?.({ stream: head.stream, streamsChecked, streamsTotal: streams.length, eventsChecked });
  }
  return { ok: true, streamsChecked, eventsChecked, firstBreak: null };
}

/** The streams a check covers, in listStreams order (the order its first break is named in). */
export async function streamsToVerify(store: EventStore, filter?: (stream: string) => boolean): Promise<StreamInfo[]> {
  const streams = await store.listStreams();
  return filter ? streams.filter((head) => filter(head.stream)) : streams;
}

/**
 * Revisions `from` up to `to` (exclusive) of one stream, or up to its end when `to` is null — then
 * the stream's head record is checked too. A long stream is checked as several ranges at once by
 * `npm run verify` (verifyEventStoreInParallel); checked in order, the ranges of a stream find what
 * one pass over it finds.
 */
export interface StreamRange {
  head: StreamInfo;
  from: number;
  to: number | null;
}

export interface RangeReport {
  /** Events found intact, up to the break if there is one. */
  eventsChecked: number;
  chainBreak: ChainBreak | null;
}

/**
 * Checks one range of a stream's chain: each event links to the one before it — for a range that
 * does not start the stream, the event before `from`, read first (its own link is the previous
 * range's to check). A range that ends before its `to` (events missing at the tail) is reported
 * as the head record disagreeing, as a single pass would.
 */
export async function checkStreamRange(
  store: EventStore,
  range: StreamRange,
  options: { pageSize?: number; pacer?: EventLoopPacer } = {},
): Promise<RangeReport> {
  const pageSize = options.pageSize ?? 1_000;
  const { head } = range;
  const checker = new StreamChainChecker(head);
  if (range.from > 0) {
    const seeded = await seedChecker(store, checker, range.from - 1);
    if (seeded) return { eventsChecked: 0, chainBreak: seeded };
  }
  let eventsChecked = 0;
  let chainBreak: ChainBreak | null = null;
  let fromRevision = range.from;
  for (;;) {
    const maxCount = range.to === null ? pageSize : Math.min(pageSize, range.to - fromRevision);
    if (maxCount <= 0) break;
    const page = await readStreamPage(store, head.stream, fromRevision, maxCount);
    for (const event of page.events) {
      chainBreak = checker.check(event);
      if (chainBreak) break;
      eventsChecked += 1;
    }
    if (!chainBreak && page.unreadable) {
      chainBreak = checker.checkUnreadable(page.unreadable.revision, page.unreadable.error);
    }
    // An adapter whose reads never wait for I/O (SQLite, memory) would otherwise hold the event
    // loop for the whole log: the server runs this check beside its co-editing sockets.
    await options.pacer?.afterRead(page.events.length);
    if (chainBreak || page.events.length < maxCount) break;
    fromRevision = page.events[page.events.length - 1].revision + 1;
  }
  if (!chainBreak && (range.to === null || checker.nextRevision < range.to)) chainBreak = checker.checkHead();
  return { eventsChecked, chainBreak };
}

/** Starts `checker` after the event at `revision`; a break when that event cannot be read. */
async function seedChecker(store: EventStore, checker: StreamChainChecker, revision: number): Promise<ChainBreak | null> {
  const page = await readStreamPage(store, checker.stream, revision, 1);
  const event = page.events[0];
  if (!event || event.revision !== revision) {
    const reason = page.unreadable
      ? `the event cannot be read: ${page.unreadable.error instanceof Error ? page.unreadable.error.message : String(page.unreadable.error)}`
      : `revision ${revision} is missing`;
    return { stream: checker.stream, revision, reason };
  }
  checker.startAfter(event);
  return null;
}

/**
 * Lets timers and I/O run once a page's worth of events (1,000 ≈ 7 ms of work) or 64 reads (a log
 * of many short streams) were checked since the last time.
 */
export class EventLoopPacer {
  private events = 0;
  private reads = 0;

  constructor(private readonly pageSize: number) {}

  async afterRead(events: number): Promise<void> {
    this.events += events;
    this.reads += 1;
    if (this.events < this.pageSize && this.reads < 64) return;
    this.events = 0;
    this.reads = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

interface StreamPage {
  events: RecordedEvent[];
  /** Set when the page stops early at an event that cannot be decoded. */
  unreadable?: { revision: number; error: unknown };
}

/**
 * Reads one page of a stream. A stored event the adapter cannot decode (e.g. a byte flipped inside
 * JSON) is itself evidence of tampering, so instead of failing the whole run we re-read event by
 * event to find the readable events before it and the revision that cannot be read.
 */
async function readStreamPage(
  store: EventStore,
  stream: string,
  fromRevision: number,
  maxCount: number,
): Promise<StreamPage> {
  try {
    return { events: await store.readStream(stream, { fromRevision, maxCount }) };
  } catch (error) {
    // listStreams says the stream exists: every one of its events from here on was deleted.
    if (error instanceof StreamNotFoundError) return { events: [] };
    if (error instanceof EventStoreUnavailableError) throw error;
  }
  const events: RecordedEvent[] = [];
  let revision = fromRevision;
  while (events.length < maxCount) {
    try {
      const [event] = await store.readStream(stream, { fromRevision: revision, maxCount: 1 });
      if (!event) break;
      events.push(event);
      revision = event.revision + 1;
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) throw error;
      return { events, unreadable: { revision, error } };
    }
  }
  return { events };
}

class StreamChainChecker {
  private expectedRevision = 0;
  private prevHash = GENESIS_HASH;
  private prevPosition = 0;

  constructor(private readonly head: StreamInfo) {}

  get stream(): string {
    return this.head.stream;
  }

  /** The revision the next event must have. */
  get nextRevision(): number {
    return this.expectedRevision;
  }

  /** Continues the chain after an event checked elsewhere (the end of the previous range). */
  startAfter(event: RecordedEvent): void {
    this.expectedRevision = event.revision + 1;
    this.prevHash = event.metadata.hash;
    this.prevPosition = event.position;
  }

  check(event: RecordedEvent): ChainBreak | null {
    const revision = this.expectedRevision;
    const broken = (reason: string): ChainBreak => ({ stream: this.head.stream, revision, reason });

    const problem = chainLinkProblem(event, revision === 0 ? undefined : { revision: revision - 1, hash: this.prevHash });
    if (problem) return broken(problem);
    if (event.position <= this.prevPosition) return broken(`position ${event.position} does not increase`);

    this.expectedRevision += 1;
    this.prevHash = event.metadata.hash;
    this.prevPosition = event.position;
    return null;
  }

  /** The event at `revision` could not be decoded; a gap before it is reported first. */
  checkUnreadable(revision: number, error: unknown): ChainBreak {
    const missing = this.expectedRevision;
    const reason =
      revision > missing
        ? `revision ${missing} is missing`
        : `the event cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    return { stream: this.head.stream, revision: Math.min(revision, missing), reason };
  }

  checkHead(): ChainBreak | null {
    const lastRevision = this.expectedRevision - 1;
    if (this.head.lastRevision > lastRevision) {
      return {
        stream: this.head.stream,
        revision: lastRevision + 1,
        reason: `the stream head says revision ${this.head.lastRevision} but events end at ${lastRevision === -1 ? '(none)' : lastRevision}`,
      };
    }
    if (this.head.lastRevision < lastRevision || this.head.lastHash !== this.prevHash) {
      return {
        stream: this.head.stream,
        revision: null,
        reason: `the stream head (revision ${this.head.lastRevision}) does not match its last event (revision ${lastRevision})`,
      };
    }
    return null;
  }
}
