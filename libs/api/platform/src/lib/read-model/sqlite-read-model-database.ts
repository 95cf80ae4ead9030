import Database from 'better-sqlite3';
import type { ReadModelDatabase, SqlStatement } from './read-model-database';

/** better-sqlite3 binds booleans as errors and undefined as missing: normalise. */
function bindable(params: unknown[] = []): unknown[] {
  return params.map((value) =>
    value === undefined ? null : typeof value === 'boolean' ? Number(value) : value,
  );
}

/** Prepared statements kept per SQL text; projections and queries use a few hundred distinct texts. */
const STATEMENT_CACHE_SIZE = 1_000;

export class SqliteReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Compiling SQL costs more than running it: each text is prepared once (statements are reusable). */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Read models are rebuildable from the log: NORMAL is durable enough and keeps projections fast.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return this.prepared(text).all(...bindable(params)) as T[];
  }

  async execute(statements: SqlStatement[]): Promise<void> {
    this.db.transaction(() => {
      for (const statement of statements) {
        this.prepared(statement.sql).run(...bindable(statement.params));
      }
    })();
  }

  private prepared(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      // DDL (a rebuild) invalidates nothing here: better-sqlite3 re-prepares a statement whose schema changed.
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** One process owns a SQLite file (run tools that write it with the API stopped). */
  async tryAcquireProjectionLease(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
