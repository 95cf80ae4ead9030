import { FORWARDS } from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { retryWithBackoff } from '../retry/backoff';
import type { KurrentDbAppendResult, KurrentDbClientLike } from './kurrentdb-client';
import { mapKurrentDbError, toAppendStreamState, toGlobalPosition, toKurrentEventData } from './kurrentdb-mapping';
import type { KurrentDbReads } from './kurrentdb-reads';

/**
 * The KurrentDB store's appends: read the head (and what idempotency needs), check, seal, append at
 * exactly that head; when another writer got in between, start over (expected revision 'any' or
 * 'stream_exists' only, up to `maxAttempts`, with a short random pause) or refuse.
 */
export class KurrentDbAppends {
  /** Whether the position the server reports for a single-event append is that event's $all position (null: not checked yet). */
  private reportedPositionsMatch: boolean | null = null;

  constructor(
    private readonly client: KurrentDbClientLike,
    private readonly namespace: string,
    private readonly reads: KurrentDbReads,
    private readonly maxAttempts: number,
  ) {}

  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const retriesOnRace = expected === 'any' || expected === 'stream_exists';
    return retryWithBackoff(() => this.appendOnce(stream, events, expected), {
      firstDelayMs: 0,
      maxDelayMs: 20,
      delayMs: (attempt) => Math.random() * Math.min(2 * attempt, 20),
      onFailure: (error, attempt) => {
        const raced = error instanceof LostAppendRace;
        if (raced && retriesOnRace && attempt < this.maxAttempts) return;
        throw raced ? new WrongExpectedRevisionError(stream, expected, error.actualRevision) : error;
      },
    });
  }

  /**
   * The global position of the last event an append wrote: what subscribers will see it at, which
   * is what callers wait for (read models, `waitFor(position)`). For a batch the server reports one
   * position for the whole write, so the last event is read back. For a single event the server's
   * answer should be that event's own log position (commit = prepare); the first such answer is
   * checked against a read-back, and only if it matches are later ones trusted without the extra
   * round trip (saving it on the keystroke path); if it does not, every append reads back.
   */
  async positionOfWrite(stream: string, count: number, written: KurrentDbAppendResult, whileDoing: string): Promise<number> {
    const reported = count === 1 && written.position ? toGlobalPosition(written.position) : null;
    if (reported !== null && this.reportedPositionsMatch === true) return reported;
    const [last] =
      (await this.reads.readStreamEvents(
        stream,
        { direction: FORWARDS, fromRevision: written.nextExpectedRevision, maxCount: 1, requiresLeader: true },
        whileDoing,
      )) ?? [];
    if (!last) throw new Error(`KurrentDB acknowledged an append to ${stream} whose last event cannot be read back`);
    if (reported !== null && this.reportedPositionsMatch === null) this.reportedPositionsMatch = reported === last.position;
    return last.position;
  }

  /**
   * One attempt: read the head (and what idempotency needs), check, seal, append at exactly that
   * head. Throws LostAppendRace when another writer moved the head in between.
   */
  private async appendOnce(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const whileDoing = `appending to ${stream}`;
    const ids = events.map((event) => event.id);
    const tail = (await this.reads.readTail(stream, Math.max(events.length, 1), whileDoing, true)) ?? [];
    const head = tail[0];
    const headRevision = head?.revision ?? -1;

    const wanted = new Set(ids);
    const stored = new Map<string, StoredEventLocation>();
    const note = (event: RecordedEvent): void => {
      if (wanted.has(event.id)) {
        stored.set(event.id, { id: event.id, stream: event.stream, revision: event.revision, position: event.position });
      }
    };
    tail.forEach(note);
    const retriedAfter = expected === 'no_stream' ? -1 : typeof expected === 'number' ? expected : null;
    const oldestInTail = headRevision - tail.length + 1;
    if (events.length > 0 && retriedAfter !== null && retriedAfter < headRevision && retriedAfter + 1 < oldestInTail) {
      const original = await this.reads.readStreamEvents(
        stream,
        { direction: FORWARDS, fromRevision: BigInt(retriedAfter + 1), maxCount: events.length },
        whileDoing,
      );
      original?.forEach(note);
    }
    const replay = detectIdempotentReplay(stream, ids, stored);
    if (replay) return replay;

    assertExpectedRevision(stream, expected, headRevision);
    if (events.length === 0) return { nextExpectedRevision: headRevision, position: head?.position ?? 0 };

    const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.metadata.hash } : EMPTY_STREAM_HEAD, events);
    let written: KurrentDbAppendResult;
    try {
      written = await this.client.appendToStream(this.namespace + stream, sealed.map(toKurrentEventData), {
        streamState: toAppendStreamState(headRevision),
      });
    } catch (error) {
      const mapped = mapKurrentDbError(error, { whileDoing, stream, expected });
      if (mapped instanceof WrongExpectedRevisionError) throw new LostAppendRace(mapped.actual);
      throw mapped;
    }
    // With `throwOnAppendFailure=false` in the connection string the client reports a wrong
    // expected version as an unsuccessful result instead of throwing.
    if (!written.success) throw new LostAppendRace(Number(written.nextExpectedRevision));
    const nextExpectedRevision = Number(written.nextExpectedRevision);
    return { nextExpectedRevision, position: await this.positionOfWrite(stream, sealed.length, written, whileDoing) };
  }
}

/** Another writer appended between our read of the head and our write (KurrentDB refused it). */
class LostAppendRace extends Error {
  constructor(readonly actualRevision: number) {
    super(`the stream moved to revision ${actualRevision} during the append`);
  }
}
