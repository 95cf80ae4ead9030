import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, EventStore, Subscription } from '@concord/event-store';
import { CONTENT_UPDATED, proposalIdOfContentStream, STREAM_PREFIXES } from '@concord/domain';
import { CONTENT_HISTORY, ContentHistory, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger, sql } from '@concord/api/platform';

const DEBOUNCE_MS = 400;

/**
 * Keeps `rm_proposals.current_hash` in step with the text, debounced after edits and off the
 * edit path, so that "approval stale" can compare hashes (same text, same hash, however typed).
 */
@Injectable()
export class ContentHashTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly log = rootLogger.child({ context: 'ContentHash' });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.store.subscribe(
      { afterPosition: await this.store.headPosition(), streamPrefixes: [STREAM_PREFIXES.proposal] },
      (event) => {
        const proposalId = event.type === CONTENT_UPDATED ? proposalIdOfContentStream(event.stream) : null;
        if (proposalId) this.schedule(proposalId);
      },
      (error) => this.log.error({ err: error }, 'content hash tracking stopped'),
    );
    (await this.proposalsBehind()).forEach((id) => this.schedule(id));
  }

  /** Hashes the current text of every proposal whose hash lags (after a rebuild, at start). */
  async refreshAll(): Promise<void> {
    for (const id of await this.proposalsBehind()) await this.refresh(id);
  }

  private async proposalsBehind(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM rm_proposals WHERE current_hash_revision <> current_revision');
    return rows.map((row) => row.id);
  }

  /** Brings one proposal's hash up to date now (tests and the stale check on approval use it). */
  async refresh(proposalId: string): Promise<void> {
    const revision = await this.content.currentRevision(proposalId);
    const hash = await this.content.contentHashAt(proposalId, revision);
    await this.db.execute([
      sql(
        'UPDATE rm_proposals SET current_hash = ?, current_hash_revision = ? WHERE id = ? AND current_hash_revision <= ?',
        hash, revision, proposalId, revision,
      ),
    ]);
  }

  private schedule(proposalId: string): void {
    clearTimeout(this.timers.get(proposalId));
    this.timers.set(
      proposalId,
      setTimeout(() => {
        this.timers.delete(proposalId);
        this.refresh(proposalId).catch((error) => this.log.warn({ err: error, proposalId }, 'could not hash the current text'));
      }, DEBOUNCE_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    await this.subscription?.close();
  }
}
