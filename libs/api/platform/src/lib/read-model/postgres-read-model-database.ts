import { Pool, PoolClient, types } from 'pg';
import type { ReadModelDatabase, SqlStatement } from './read-model-database';

// BIGINT columns (positions, counts) fit comfortably in a JS number here.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

function toPostgresPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

export class PostgresReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private leaseClient: PoolClient | undefined;

  /** `schema` isolates a test run; it must exist (see `open`). */
  constructor(connectionString: string, private readonly schema?: string) {
    this.pool = new Pool({
      connectionString,
      max: 5,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    });
  }

  static async open(connectionString: string, schema?: string): Promise<PostgresReadModelDatabase> {
    if (schema) {
      const setup = new Pool({ connectionString, max: 1 });
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).finally(() => setup.end());
    }
    return new PostgresReadModelDatabase(connectionString, schema);
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(toPostgresPlaceholders(text), params);
    return result.rows as T[];
  }

  async execute(statements: SqlStatement[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const statement of statements) {
        await client.query(toPostgresPlaceholders(statement.sql), statement.params ?? []);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * A session-level advisory lock, held on a dedicated connection: the node holding it applies the
   * projections; the others read what it wrote. If that connection drops, PostgreSQL releases the
   * lock and another node takes over.
   */
  async tryAcquireProjectionLease(onLost: () => void): Promise<boolean> {
    if (this.leaseClient) return true;
    const client = await this.pool.connect();
    const { rows } = await client.query<{ acquired: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS acquired',
      [`concord-read-models:${this.schema ?? 'public'}`],
    );
    if (!rows[0]?.acquired) {
      client.release();
      return false;
    }
    client.on('error', () => {
      if (this.leaseClient !== client) return;
      this.leaseClient = undefined;
      client.release(true);
      onLost();
    });
    this.leaseClient = client;
    return true;
  }

  async close(): Promise<void> {
    this.leaseClient?.release(true);
    this.leaseClient = undefined;
    await this.pool.end();
  }
}
