import { EventStore, RecordedEvent, Subscription } from '@concord/event-store';
import { sha256Hex } from '@concord/integrity';
import type { Logger } from 'pino';
import type { Projection } from './projection';
import { ReadModelDatabase, sql, SqlStatement } from './read-model-database';

const CHECKPOINT_TABLE = 'rm_checkpoint';

/**
 * Keeps every registered projection current from one store subscription. Each event's statements
 * and the new checkpoint commit in one transaction, so a restart resumes exactly where it stopped.
 * When the projections' DDL changes, the read models are rebuilt from the log at start.
 */
export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private processed = 0;
  private waiters: { position: number; resolve: () => void }[] = [];
  private failure: unknown;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    private readonly projections: Projection[],
    private readonly logger: Logger,
  ) {}

  get position(): number {
    return this.processed;
  }

  /** A fingerprint of all DDL: a change means the stored read models are of another shape. */
  private schemaVersion(): string {
    return sha256Hex(this.projections.map((p) => `${p.name}:${p.ddl.join(';')}`).join('\n'));
  }

  async start(): Promise<void> {
    await this.db.execute([
      sql(`CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (id INTEGER PRIMARY KEY, position BIGINT NOT NULL, schema_version TEXT NOT NULL)`),
    ]);
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
    await this.stop();
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
    await this.subscription?.close();
    this.subscription = undefined;
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
    this.processed = event.position;
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.position <= this.processed);
      this.waiters = this.waiters.filter((w) => w.position > this.processed);
      ready.forEach((w) => w.resolve());
    }
  }
}
