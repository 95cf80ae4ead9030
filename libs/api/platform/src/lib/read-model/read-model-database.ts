/** One SQL statement with `?` placeholders; adapters translate them to their dialect. */
export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

export const sql = (text: string, ...params: unknown[]): SqlStatement => ({ sql: text, params });

/**
 * The read-model database: the same SQL database as the event store (SQLite file or PostgreSQL),
 * in tables prefixed `rm_`. SQL written here must run on both: `INSERT … ON CONFLICT … DO UPDATE`,
 * INTEGER 0/1 for booleans, TEXT for JSON.
 */
export interface ReadModelDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs the statements in one transaction. */
  execute(statements: SqlStatement[]): Promise<void>;
  /**
   * Tries to become the one process that writes the read models, among all the API nodes sharing
   * this database; true while it holds that lease. `onLost` is called if the lease is lost.
   */
  tryAcquireProjectionLease(onLost: () => void): Promise<boolean>;
  close(): Promise<void>;
}

export const READ_MODEL_DATABASE = Symbol('READ_MODEL_DATABASE');
