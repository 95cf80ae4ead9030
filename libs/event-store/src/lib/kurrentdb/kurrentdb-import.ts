import { WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../errors';
import type { ImportEventsResult, RecordedEvent } from '../event-store.port';
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../import/import-checks';
import type { KurrentDbAppends } from './kurrentdb-append';
import type { KurrentDbClientLike } from './kurrentdb-client';
import { mapKurrentDbError, toAppendStreamState, toKurrentEventData } from './kurrentdb-mapping';
import type { KurrentDbReads } from './kurrentdb-reads';

/**
 * EventStore.importEvents on KurrentDB (see KurrentDbEventStore.importEvents for what differs from
 * the SQL adapters): every event is checked first (checkImportedEvent against the heads read from
 * the server), then each run of consecutive events of one stream is one append at the exact
 * expected revision.
 */
export async function importIntoKurrentDb(
  client: KurrentDbClientLike,
  namespace: string,
  reads: KurrentDbReads,
  appends: KurrentDbAppends,
  events: readonly RecordedEvent[],
): Promise<ImportEventsResult> {
  assertUniqueIds(events);
  const heads = new Map<string, ImportedStreamHead | undefined>();
  let lastPosition = 0;
  for (const event of events) {
    if (!heads.has(event.stream)) {
      const [last] = (await reads.readTail(event.stream, 1, `importing into ${event.stream}`, true)) ?? [];
      heads.set(event.stream, last ? { revision: last.revision, hash: last.metadata.hash } : undefined);
    }
    checkImportedEvent(event, heads.get(event.stream), lastPosition);
    heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
    lastPosition = event.position;
  }

  let eventsWritten = 0;
  let position = 0;
  for (const run of consecutiveRuns(events)) {
    const first = run[0];
    const whileDoing = `importing into ${first.stream}`;
    try {
      const written = await client.appendToStream(namespace + first.stream, run.map(toKurrentEventData), {
        streamState: toAppendStreamState(first.revision - 1),
      });
      if (!written.success) {
        throw new WrongExpectedVersionError(undefined, {
          streamName: first.stream,
          expected: toAppendStreamState(first.revision - 1),
          current: written.nextExpectedRevision < 0n ? 'no_stream' : written.nextExpectedRevision,
        });
      }
      position = await appends.positionOfWrite(first.stream, run.length, written, whileDoing);
    } catch (error) {
      const mapped = mapKurrentDbError(error, { whileDoing, stream: first.stream, expected: first.revision - 1 });
      const partly = eventsWritten > 0 ? ` (${eventsWritten} earlier events of this batch were written)` : '';
      if (mapped instanceof WrongExpectedRevisionError) {
        throw new ImportRejectedError(first.stream, first.revision, first.position, `the stream changed during the import${partly}`);
      }
      if (partly && mapped instanceof Error) mapped.message += partly;
      throw mapped;
    }
    eventsWritten += run.length;
  }
  return { eventsWritten, position: eventsWritten > 0 ? position : await reads.headPosition() };
}

/** The batch cut where the stream changes: each run is one append. */
function consecutiveRuns(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const current = runs[runs.length - 1];
    if (current && current[0].stream === event.stream) current.push(event);
    else runs.push([event]);
  }
  return runs;
}
