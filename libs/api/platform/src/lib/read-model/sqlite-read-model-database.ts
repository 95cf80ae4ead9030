import Database from 'better-sqlite3';
import type { ReadModelDatabase, SqlStatement } from './read-model-database';

/** better-sqlite3 binds booleans as errors and undefined as missing: normalise. */
function bindable(params: unknown[] = []): unknown[] {
  return params.map((value) =>
    value === undefined ? null : typeof value === 'boolean' ? Number(value) : value,
  );
}

export class SqliteReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Read models are rebuildable from the log: NORMAL is durable enough and keeps projections fast.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return this.db.prepare(text).all(...bindable(params)) as T[];
  }

  async execute(statements: SqlStatement[]): Promise<void> {
    this.db.transaction(() => {
      for (const statement of statements) {
        this.db.prepare(statement.sql).run(...bindable(statement.params));
      }
    })();
  }

  /** One process owns a SQLite file (run tools that write it with the API stopped). */
  async tryAcquireProjectionLease(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
