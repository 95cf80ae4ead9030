import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { appendBatchLocked, BatchedAppend, BatchedAppendOutcome } from './postgres-append';
import type { PostgresConnection } from './postgres-connection';

interface PendingAppend extends BatchedAppend {
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Most events one commit takes from the queue (at least one append), to bound a transaction's size. */
export const MAX_EVENTS_PER_COMMIT = 1_000;

/**
 * The PostgreSQL store's appends, by GROUP COMMIT (as SqliteGroupCommit, without a timer): when no
 * commit is in flight, an append starts one at once; appends arriving while one is in flight are
 * queued, and the next commit takes all of them (up to MAX_EVENTS_PER_COMMIT events), whatever
 * their streams, in ONE transaction under the append lock (appendBatchLocked: four round trips per
 * batch, whatever its size). Each append is checked on its own against the state inside the batch,
 * so a conflicting append fails alone; a batch that fails as a whole (connection lost) rejects
 * every append of it, with EventStoreUnavailableError for a connection failure. One commit at a
 * time per store, so a store uses one pooled connection for appends; several stores (nodes) are
 * still serialised by the advisory lock.
 */
export class PostgresGroupCommit {
  private pending: PendingAppend[] = [];
  private draining: Promise<void> | null = null;

  /** @param committed called after a commit that wrote events, with its highest position (wakes the subscriptions). */
  constructor(
    private readonly connection: PostgresConnection,
    private readonly committed: (head: number) => void,
  ) {}

  enqueue(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, options, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once every append queued so far has settled (close waits for it). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.commit(this.takeBatch());
    } finally {
      this.draining = null;
    }
  }

  private takeBatch(): PendingAppend[] {
    let events = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || events + this.pending[count].events.length <= MAX_EVENTS_PER_COMMIT)) {
      events += this.pending[count].events.length;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    let outcomes: BatchedAppendOutcome[];
    try {
      outcomes = await this.connection.inAppendLock(describeBatch(batch), (client) =>
        appendBatchLocked(client, this.connection.tables, batch),
      );
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
      return;
    }
    const written = outcomes.flatMap((outcome) => (outcome.ok && outcome.wrote ? [outcome.result.position] : []));
    if (written.length > 0) this.committed(Math.max(...written));
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) batch[index].resolve(outcome.result);
      else batch[index].reject(outcome.error);
    });
  }
}

/** "appending to doc-1" or "appending to doc-1 and 41 other appends", for error messages. */
export function describeBatch(batch: readonly BatchedAppend[]): string {
  const first = `appending to ${batch[0].stream}`;
  return batch.length === 1 ? first : `${first} and ${batch.length - 1} other append${batch.length === 2 ? '' : 's'}`;
}
