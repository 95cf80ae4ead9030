import { EventStore, RecordedEvent, Subscription } from '@concord/event-store';
import { sha256Hex } from '@concord/integrity';
import type { Logger } from 'pino';
import type { Projection } from './projection';
import { ReadModelDatabase, sql, SqlStatement } from './read-model-database';

const CHECKPOINT_TABLE = 'rm_checkpoint';
/** How often a follower reads the leader's checkpoint, and retries the lease. */
const FOLLOW_INTERVAL_MS = 50;
const LEASE_RETRY_MS = 2_000;

export interface ProjectionRunnerOptions {
  followIntervalMs?: number;
  leaseRetryMs?: number;
}

/**
 * Keeps every registered projection current from one store subscription. Each event's statements
 * and the new checkpoint commit in one transaction, so a restart resumes exactly where it stopped.
 * When the projections' DDL changes, the read models are rebuilt from the log at start.
 *
 * Several API nodes may share one read-model database: only the node holding the projection lease
 * (see ReadModelDatabase) writes; the others follow the checkpoint it commits, and take over the
 * lease when its holder goes away.
 */
export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private processed = 0;
  private waiters: { position: number; resolve: () => void }[] = [];
  private failure: unknown;
  private role: 'stopped' | 'leader' | 'follower' = 'stopped';
  private followTimer: NodeJS.Timeout | undefined;
  private nextLeaseAttempt = 0;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    private readonly projections: Projection[],
    private readonly logger: Logger,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get position(): number {
    return this.processed;
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  /** A fingerprint of all DDL: a change means the stored read models are of another shape. */
  private schemaVersion(): string {
    return sha256Hex(this.projections.map((p) => `${p.name}:${p.ddl.join(';')}`).join('\n'));
  }

  async start(): Promise<void> {
    await this.db.execute([
      sql(`CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (id INTEGER PRIMARY KEY, position BIGINT NOT NULL, schema_version TEXT NOT NULL)`),
    ]);
    if (await this.db.tryAcquireProjectionLease(() => this.loseLease())) {
      await this.lead();
    } else {
      this.logger.info('read models: another node applies the projections; following its checkpoint');
      this.follow();
    }
  }

  private async lead(): Promise<void> {
    this.role = 'leader';
    const [checkpoint] = await this.db.query<{ position: number; schema_version: string }>(
      `SELECT position, schema_version FROM ${CHECKPOINT_TABLE} WHERE id = 1`,
    );
    if (!checkpoint || checkpoint.schema_version !== this.schemaVersion()) {
      this.logger.info({ previous: checkpoint?.schema_version ?? null }, 'read models: (re)creating tables and replaying the log');
      await this.resetTables();
    } else {
      this.processed = Number(checkpoint.position);
    }
    await this.subscribe();
  }

  /** Drops every read-model table and replays the whole log (`npm run rebuild-projections`). */
  async rebuild(): Promise<void> {
    if (this.role !== 'leader') {
      throw new Error('Another process applies the read models: stop every API node before rebuilding them');
    }
    await this.subscription?.close();
    await this.resetTables();
    await this.subscribe();
    await this.waitForPosition(await this.store.headPosition());
  }

  /** Resolves once every event up to `position` is reflected in the read models. */
  waitForPosition(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.processed >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read models did not reach position ${position} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.role = 'stopped';
    clearTimeout(this.followTimer);
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** Reads the leader's checkpoint until this node may take the lease itself. */
  private follow(): void {
    this.role = 'follower';
    const tick = async () => {
      if (this.role !== 'follower') return;
      try {
        if (Date.now() >= this.nextLeaseAttempt) {
          this.nextLeaseAttempt = Date.now() + (this.options.leaseRetryMs ?? LEASE_RETRY_MS);
          if (await this.db.tryAcquireProjectionLease(() => this.loseLease())) {
            this.logger.info('read models: took over applying the projections');
            await this.lead();
            return;
          }
        }
        const [checkpoint] = await this.db.query<{ position: number }>(`SELECT position FROM ${CHECKPOINT_TABLE} WHERE id = 1`);
        if (checkpoint) this.advanceTo(Number(checkpoint.position));
      } catch (error) {
        this.logger.warn({ err: error }, 'read models: could not read the checkpoint');
      }
      if (this.role === 'follower') {
        this.followTimer = setTimeout(tick, this.options.followIntervalMs ?? FOLLOW_INTERVAL_MS);
        this.followTimer.unref();
      }
    };
    void tick();
  }

  private loseLease(): void {
    if (this.role !== 'leader') return;
    this.logger.warn('read models: lost the projection lease; following again');
    void this.subscription?.close();
    this.subscription = undefined;
    this.follow();
  }

  private advanceTo(position: number): void {
    if (position <= this.processed) return;
    this.processed = position;
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.position <= this.processed);
      this.waiters = this.waiters.filter((w) => w.position > this.processed);
      ready.forEach((w) => w.resolve());
    }
  }

  private async resetTables(): Promise<void> {
    const drops = this.projections.flatMap((p) => p.tables).map((table) => sql(`DROP TABLE IF EXISTS ${table}`));
    const creates = this.projections.flatMap((p) => p.ddl).map((ddl) => sql(ddl));
    await this.db.execute([
      ...drops,
      ...creates,
      sql(`DELETE FROM ${CHECKPOINT_TABLE}`),
      sql(`INSERT INTO ${CHECKPOINT_TABLE} (id, position, schema_version) VALUES (1, 0, ?)`, this.schemaVersion()),
    ]);
    this.processed = 0;
  }

  private async subscribe(): Promise<void> {
    this.failure = undefined;
    this.subscription = this.store.subscribe(
      { afterPosition: this.processed },
      (event) => this.apply(event),
      (error) => {
        this.failure = error;
        this.logger.error({ err: error, position: this.processed }, 'read models stopped: a projection failed');
      },
    );
    await this.subscription.caughtUp;
  }

  private async apply(event: RecordedEvent): Promise<void> {
    const statements: SqlStatement[] = [];
    for (const projection of this.projections) {
      statements.push(...(await projection.handle(event)));
    }
    statements.push(sql(`UPDATE ${CHECKPOINT_TABLE} SET position = ? WHERE id = 1`, event.position));
    await this.db.execute(statements);
    this.advanceTo(event.position);
  }
}
