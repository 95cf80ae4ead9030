import { createReadStream } from 'node:fs';
import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import { createInterface } from 'node:readline';
import { type EventStore, type RecordedEvent, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '@concord/event-store';
import { EventLogFormatError, EventLogHeader, parseEventLine, parseHeaderLine } from './event-log-format';

export interface ImportProgress {
  phase: 'verify' | 'write';
  /** Events verified (phase verify) or written (phase write) so far. */
  events: number;
  /** The header's event count. */
  total: number;
}

export interface ImportOptions {
  /** Events per importEvents call (default 500); a batch also ends at ~8 MiB of lines. */
  batchSize?: number;
  /** Called after every event verified and every batch written. */
  onProgress?: (progress: ImportProgress) => void;
  /** Verify the file only; write nothing (the target need not be empty). */
  dryRun?: boolean;
  /**
   * A migration of stream names: given a stream and its first event, the stream's new name, or null
   * to keep it. The file is verified under its own names first; a renamed stream is then re-chained
   * (each event's prevHash and hash recomputed under the new name — the hash covers the stream
   * name), and the report lists it. Ids, positions, data and the rest of the metadata are kept.
   */
  renameStream?: (stream: string, firstEvent: RecordedEvent) => string | null;
}

/** A stream the import renamed and re-chained. */
export interface RenamedStream {
  from: string;
  to: string;
  events: number;
  /** The head hash in the file and the head hash written. */
  fromHeadHash: string;
  toHeadHash: string;
}

export interface EventLogSummary {
  header: EventLogHeader;
  eventCount: number;
  streamCount: number;
  lastPosition: number;
}

export interface ImportReport extends EventLogSummary {
  eventsWritten: number;
  /** Streams renamed (and so re-chained) by `renameStream`, in the order first met. */
  renamedStreams: RenamedStream[];
}

/** The target store already holds events: import only loads into an empty store. */
export class ImportTargetNotEmptyError extends Error {
  override readonly name = 'ImportTargetNotEmptyError';
  constructor(
    readonly kind: string,
    readonly headPosition: number,
    readonly streamCount: number,
  ) {
    super(
      `the target ${kind} event store is not empty (head position ${headPosition}, ${streamCount} streams): ` +
        'import only loads into an empty store',
    );
  }
}

/** The file verified but writing stopped part-way (store unreachable, disk full…): the target is partial. */
export class ImportIncompleteError extends Error {
  override readonly name = 'ImportIncompleteError';
  constructor(
    readonly eventsWritten: number,
    override readonly cause: unknown,
  ) {
    super(
      `writing stopped after ${eventsWritten} events (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'the target store now holds a partial log: empty it before importing again',
    );
  }
}

const MAX_BATCH_CHARS = 8 * 1024 * 1024;

/** The lines of a text file, read as a stream (a trailing newline gives no extra empty line). */
export async function* readFileLines(file: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
  }
}

/** A parsed event with the line it came from. */
interface NumberedEvent {
  line: number;
  event: RecordedEvent;
  chars: number;
}

async function* parseEventLog(
  lines: AsyncIterable<string>,
  onHeader: (header: EventLogHeader) => void,
): AsyncGenerator<NumberedEvent> {
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (lineNumber === 1) {
      onHeader(parseHeaderLine(text, lineNumber));
      continue;
    }
    if (text.trim() === '') throw new EventLogFormatError(lineNumber, 'empty line');
    yield { line: lineNumber, event: parseEventLine(text, lineNumber), chars: text.length };
  }
  if (lineNumber === 0) throw new EventLogFormatError(1, 'the file is empty (no header line)');
}

/**
 * Pass 1 of an import, writing nothing: reads every line and checks the header, each line's shape,
 * positions strictly increasing, ids unique, and for every stream revisions 0..n in order, each
 * prevHash the previous event's hash and each hash recomputed from the event — the checks
 * importEvents makes, so a file that verifies imports. At the end the counts must equal the
 * header's (a file cut short at a line boundary is caught here). Throws EventLogFormatError naming
 * the line, stream and revision of the first problem.
 */
export async function verifyEventLog(
  lines: AsyncIterable<string>,
  onProgress?: (progress: ImportProgress) => void,
): Promise<EventLogSummary> {
  let header: EventLogHeader | undefined;
  const heads = new Map<string, ImportedStreamHead>();
  const ids = new Set<string>();
  let lastPosition = 0;
  let eventCount = 0;
  for await (const { line, event } of parseEventLog(lines, (parsed) => (header = parsed))) {
    if (ids.has(event.id)) {
      throw new EventLogFormatError(line, `event id ${event.id} appears twice`, event.stream, event.revision);
    }
    try {
      checkImportedEvent(event, heads.get(event.stream), lastPosition);
    } catch (error) {
      if (error instanceof ImportRejectedError) {
        throw new EventLogFormatError(line, error.reason, event.stream, event.revision);
      }
      throw error;
    }
    ids.add(event.id);
    heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
    lastPosition = event.position;
    eventCount += 1;
    onProgress?.({ phase: 'verify', events: eventCount, total: header?.eventCount ?? 0 });
  }
  const verified = header as EventLogHeader;
  const mismatch = (what: string, found: number, expected: number) =>
    new EventLogFormatError(1, `the header says ${expected} ${what} but the file holds ${found} (file cut short or edited?)`);
  if (eventCount !== verified.eventCount) throw mismatch('events', eventCount, verified.eventCount);
  if (heads.size !== verified.streamCount) throw mismatch('streams', heads.size, verified.streamCount);
  if (lastPosition !== verified.lastPosition) {
    throw new EventLogFormatError(1, `the header says the last position is ${verified.lastPosition} but the file ends at ${lastPosition}`);
  }
  return { header: verified, eventCount, streamCount: heads.size, lastPosition };
}

async function assertEmpty(store: EventStore): Promise<void> {
  const [headPosition, streams] = await Promise.all([store.headPosition(), store.listStreams()]);
  if (headPosition !== 0 || streams.length !== 0) {
    throw new ImportTargetNotEmptyError(store.kind, headPosition, streams.length);
  }
}

/**
 * Loads an export into an EMPTY store. `openLines` is called twice, once per pass:
 * 1. verifyEventLog over the whole file — nothing is written if anything is wrong;
 * 2. the events are written in batches with store.importEvents, which checks them again against
 *    the store (so a file changed between the passes is still refused, batch by batch).
 * Throws ImportTargetNotEmptyError before reading when the store holds events, EventLogFormatError
 * when the file does not verify, ImportIncompleteError when writing fails part-way.
 */
export async function importEventLog(
  store: EventStore,
  openLines: () => AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (!options.dryRun) await assertEmpty(store);
  const summary = await verifyEventLog(openLines(), options.onProgress);
  if (options.dryRun) return { ...summary, eventsWritten: 0, renamedStreams: [] };
  await assertEmpty(store);

  const rename = options.renameStream ? new StreamRenaming(options.renameStream) : null;
  const batchSize = options.batchSize ?? 500;
  let eventsWritten = 0;
  let batch: RecordedEvent[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await store.importEvents(batch);
    eventsWritten += batch.length;
    batch = [];
    batchChars = 0;
    options.onProgress?.({ phase: 'write', events: eventsWritten, total: summary.eventCount });
  };
  try {
    for await (const { event, chars } of parseEventLog(openLines(), () => undefined)) {
      batch.push(rename ? rename.apply(event) : event);
      batchChars += chars;
      if (batch.length >= batchSize || batchChars >= MAX_BATCH_CHARS) await flush();
    }
    await flush();
    if (eventsWritten !== summary.eventCount) {
      throw new Error(`the file changed after it was verified (${summary.eventCount} events verified, ${eventsWritten} read)`);
    }
  } catch (error) {
    // Each batch is atomic: when none was written, the store is still empty and the error says why.
    if (eventsWritten === 0) throw error;
    throw new ImportIncompleteError(eventsWritten, error);
  }
  return { ...summary, eventsWritten, renamedStreams: rename?.renamed ?? [] };
}

/** Renames streams as their first event passes and re-chains every event of a renamed stream. */
class StreamRenaming {
  private readonly decisions = new Map<string, RenamedStream | null>();
  readonly renamed: RenamedStream[] = [];

  constructor(private readonly decide: (stream: string, firstEvent: RecordedEvent) => string | null) {}

  apply(event: RecordedEvent): RecordedEvent {
    let decision = this.decisions.get(event.stream);
    if (decision === undefined) {
      const to = event.revision === 0 ? this.decide(event.stream, event) : null;
      decision = to && to !== event.stream ? { from: event.stream, to, events: 0, fromHeadHash: '', toHeadHash: GENESIS_HASH } : null;
      this.decisions.set(event.stream, decision);
      if (decision) this.renamed.push(decision);
    }
    if (!decision) return event;
    const metadata: Record<string, unknown> = { ...event.metadata, prevHash: decision.toHeadHash };
    delete metadata['hash'];
    const hash = computeEventHash({ prevHash: decision.toHeadHash, stream: decision.to, revision: event.revision, type: event.type, data: event.data, metadata });
    decision.events += 1;
    decision.fromHeadHash = event.metadata.hash;
    decision.toHeadHash = hash;
    return { ...event, stream: decision.to, metadata: { ...event.metadata, prevHash: metadata['prevHash'] as string, hash } };
  }
}

/** importEventLog over a file on disk. */
export function importEventLogFile(store: EventStore, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  return importEventLog(store, () => readFileLines(file), options);
}
