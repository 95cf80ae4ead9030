import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SuggestionLedger, type SuggestionFact } from '@concord/content';
import { proposalSuggestionsStream, type SuggestionEvent } from '@concord/domain';
import { EVENT_STORE, EventStore, type NewEvent, WrongExpectedRevisionError } from '@concord/event-store';
import { CONTENT_HISTORY, ContentEditFollower, ContentHistory, READ_MODEL_DATABASE, ReadModelDatabase, ReadModels, rootLogger, sql } from '@concord/api/platform';

const DEBOUNCE_MS = 400;
/** Updates read and applied per step, so a long backlog never holds thousands in memory at once. */
const PAGE = 1_000;
/**
 * Ledgers (a document each) kept between passes; the least recently used goes first. Above the
 * number of texts edited at once in a negotiation (the load benchmark edits 50): a ledger evicted
 * is rebuilt from the store at its next pass, which under load became most of the store's reads.
 */
const LEDGERS_KEPT = 128;
/** How long after a failed pass the next is tried. */
const RETRY_MS = 5_000;

interface Followed {
  readonly ledger: SuggestionLedger;
  /** The suggestions stream's last revision as this ledger knows it (-1: no stream yet). */
  streamRevision: number;
}

/**
 * Derives the suggestion events of each proposal (`proposal-<id>-suggestions`: SuggestionMade,
 * …Revised, …Accepted, …Rejected, …Withdrawn) from its recorded content updates, debounced after
 * edits and off the edit path. The text is the truth; these events say, for the record and the
 * amendment list, what each update did to its suggestions and who did it.
 *
 * Done after edits by the node that applies the read models (ReadModels.isLeader), so that with
 * several nodes only one rebuilds the documents; a node that takes the lease over catches up.
 * Resumable and safe on several nodes all the same: how far a proposal was followed is kept in
 * `suggestion_progress` (or, when that is lost, read from the revision the last event names —
 * the ledger tells the same story from any revision); every append expects the stream's revision,
 * so when two nodes derive the same facts only one appends them and the other starts again from
 * what is recorded.
 */
@Injectable()
export class SuggestionTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly edits: ContentEditFollower;
  private readonly running = new Map<string, Promise<void>>();
  private readonly followed = new Map<string, Followed>();
  private readonly log = rootLogger.child({ context: 'Suggestions' });
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    private readonly readModels: ReadModels,
  ) {
    this.edits = new ContentEditFollower(
      store,
      DEBOUNCE_MS,
      (proposalId) => this.follow(proposalId),
      (error, proposalId) => (proposalId ? this.retryLater(proposalId, error) : this.log.error({ err: error }, 'suggestion tracking stopped')),
      () => this.readModels.isLeader,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.execute([sql('CREATE TABLE IF NOT EXISTS suggestion_progress (proposal_id TEXT PRIMARY KEY, revision INTEGER NOT NULL)')]);
    await this.edits.start();
    // Followed after edits by the node that applies the read models; a node taking over catches up.
    this.readModels.onLeading(() => void this.catchUp().catch((error) => this.log.warn({ err: error }, 'could not catch up the suggestion events')));
    if (this.readModels.isLeader) await this.catchUp();
  }

  /**
   * Follows every proposal whose text moved on since it was last followed, and waits for it: at
   * start (so a node says it is ready with the log's suggestion events up to date) and after the
   * demo is seeded.
   */
  async catchUp(): Promise<void> {
    for (const id of await this.proposalsBehind()) {
      await this.follow(id).catch((error) => this.log.warn({ err: error, proposalId: id }, 'could not derive the suggestion events'));
    }
  }

  /** Brings one proposal's suggestion events up to its current text now (tests and approvals use it). */
  follow(proposalId: string): Promise<void> {
    const previous = this.running.get(proposalId) ?? Promise.resolve();
    const next = previous.then(() => this.pass(proposalId));
    const settled = next.catch(() => undefined);
    this.running.set(proposalId, settled);
    void settled.then(() => {
      if (this.running.get(proposalId) === settled) this.running.delete(proposalId);
    });
    return next;
  }

  /** Proposals whose text (as the log says, not the read model, which may lag) is past their progress. */
  private async proposalsBehind(): Promise<string[]> {
    const rows = await this.db.query<{ id: string; revision: number | null }>(
      'SELECT p.id, s.revision FROM rm_proposals p LEFT JOIN suggestion_progress s ON s.proposal_id = p.id',
    );
    const behind: string[] = [];
    for (const row of rows) {
      if ((await this.content.currentRevision(row.id)) > Number(row.revision ?? 0)) behind.push(row.id);
    }
    return behind;
  }

  private async pass(proposalId: string): Promise<void> {
    if (this.stopped) return;
    const current = await this.content.currentRevision(proposalId);
    let followed = this.followed.get(proposalId) ?? (await this.start(proposalId));
    this.keep(proposalId, followed);
    while (followed.ledger.revision < current && !this.stopped) {
      const updates = await this.content.updatesWithAuthors(proposalId, Math.min(current, followed.ledger.revision + PAGE), followed.ledger.revision);
      if (updates.length === 0) break;
      let facts: SuggestionFact[];
      try {
        facts = followed.ledger.apply(updates);
      } catch (error) {
        // Part of the updates may be in its document already: this ledger can no longer be trusted.
        this.forget(proposalId);
        throw error;
      }
      try {
        await this.record(proposalId, followed, facts);
      } catch (error) {
        this.forget(proposalId);
        if (error instanceof WrongExpectedRevisionError) {
          // Another node recorded them first: start again from what is recorded.
          this.log.debug({ proposalId }, 'suggestion events already recorded elsewhere; following again from the log');
          followed = await this.start(proposalId);
          this.keep(proposalId, followed);
          continue;
        }
        throw error;
      }
      await this.db.execute([
        sql(
          `INSERT INTO suggestion_progress (proposal_id, revision) VALUES (?, ?)
           ON CONFLICT (proposal_id) DO UPDATE SET revision = excluded.revision WHERE suggestion_progress.revision < excluded.revision`,
          proposalId, followed.ledger.revision,
        ),
      ]);
    }
  }

  /** A ledger at the furthest revision known to be followed: the progress row or the last event's revision. */
  private async start(proposalId: string): Promise<Followed> {
    const stream = proposalSuggestionsStream(proposalId);
    const streamRevision = await this.store.streamRevision(stream);
    const [last] = streamRevision < 0 ? [] : await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    const [progress] = await this.db.query<{ revision: number }>('SELECT revision FROM suggestion_progress WHERE proposal_id = ?', [proposalId]);
    const from = Math.max(Number(progress?.revision ?? 0), Number((last?.data as { revision?: number } | undefined)?.revision ?? 0));
    const doc = await this.content.documentAt(proposalId, from);
    return { ledger: new SuggestionLedger(doc, from), streamRevision };
  }

  private async record(proposalId: string, followed: Followed, facts: readonly SuggestionFact[]): Promise<void> {
    if (facts.length === 0) return;
    const events: NewEvent[] = facts.map((fact) => {
      const { userId, at, ...data } = fact;
      const { type, ...rest } = data;
      const event = { type, data: { proposalId, ...rest } } as SuggestionEvent;
      return { id: randomUUID(), type: event.type, data: event.data as never, metadata: { userId, at } };
    });
    const result = await this.store.append(proposalSuggestionsStream(proposalId), events, {
      expectedRevision: followed.streamRevision < 0 ? 'no_stream' : followed.streamRevision,
    });
    followed.streamRevision = result.nextExpectedRevision;
    this.log.info({ proposalId, facts: facts.map((fact) => `${fact.type} ${fact.suggestionId} r${fact.revision}`) }, 'suggestion events recorded');
  }

  /** A pass that failed is tried again a little later, even if no one edits the text meanwhile. */
  private retryLater(proposalId: string, error: unknown): void {
    this.log.warn({ err: error, proposalId, retryInMs: RETRY_MS }, 'could not derive the suggestion events; trying again');
    if (!this.stopped) setTimeout(() => this.edits.schedule(proposalId), RETRY_MS).unref();
  }

  private keep(proposalId: string, followed: Followed): void {
    this.followed.delete(proposalId);
    this.followed.set(proposalId, followed);
    // Dropped, not destroyed: a pass of that proposal may still be using it (the collector frees it).
    while (this.followed.size > LEDGERS_KEPT) this.followed.delete(this.followed.keys().next().value as string);
  }

  private forget(proposalId: string): void {
    this.followed.get(proposalId)?.ledger.destroy();
    this.followed.delete(proposalId);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.edits.stop();
    await Promise.all(this.running.values());
    for (const id of [...this.followed.keys()]) this.forget(id);
  }
}
