import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { CONTENT_HISTORY, ContentEditFollower, ContentHistory, READ_MODEL_DATABASE, ReadModelDatabase, ReadModels, rootLogger, sql } from '@concord/api/platform';

const DEBOUNCE_MS = 400;

/**
 * Keeps `rm_proposals.current_hash` in step with the text, debounced after edits and off the
 * edit path, so that "approval stale" can compare hashes (same text, same hash, however typed).
 * On the node that applies the read models only (it writes one of them); a node taking over the
 * lease hashes what lags.
 */
@Injectable()
export class ContentHashTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = rootLogger.child({ context: 'ContentHash' });
  private readonly edits: ContentEditFollower;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    private readonly readModels: ReadModels,
  ) {
    this.edits = new ContentEditFollower(
      store,
      DEBOUNCE_MS,
      (proposalId) => this.refresh(proposalId),
      (error, proposalId) =>
        proposalId ? this.log.warn({ err: error, proposalId }, 'could not hash the current text') : this.log.error({ err: error }, 'content hash tracking stopped'),
      () => this.readModels.isLeader,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.edits.start();
    this.readModels.onLeading(() => void this.scheduleBehind());
    if (this.readModels.isLeader) await this.scheduleBehind();
  }

  private async scheduleBehind(): Promise<void> {
    try {
      (await this.proposalsBehind()).forEach((id) => this.edits.schedule(id));
    } catch (error) {
      this.log.warn({ err: error }, 'could not list the proposals whose hash lags');
    }
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

  async onApplicationShutdown(): Promise<void> {
    await this.edits.stop();
  }
}
