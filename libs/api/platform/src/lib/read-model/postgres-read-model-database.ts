import { escapeLiteral, Pool, PoolClient, types } from 'pg';
import type { ReadModelDatabase, SqlStatement } from './read-model-database';

// BIGINT columns (positions, counts) fit comfortably in a JS number here.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

function toPostgresPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

/** Values written as SQL literals; anything else (bytes, dates, objects) goes as bind parameters. */
type LiteralValue = string | number | bigint | boolean | null | undefined;

function isLiteralValue(value: unknown): value is LiteralValue {
  return value === null || ['string', 'number', 'bigint', 'boolean', 'undefined'].includes(typeof value);
}

/**
 * The statement with its parameters written in as literals. Every value is a quoted literal, as
 * untyped as a bind parameter, so PostgreSQL infers its type from the context just as it does for
 * `$n` (a number compared with a TEXT column stays valid); `pg`'s escapeLiteral does the quoting.
 */
function withLiterals(statement: SqlStatement): string {
  const params = statement.params ?? [];
  let index = 0;
  return statement.sql.replace(/\?/g, () => {
    const value = params[index++] as LiteralValue;
    return value === null || value === undefined ? 'NULL' : escapeLiteral(String(value));
  });
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

  /**
   * One transaction. When every parameter is a plain value (always, for the projections) the whole
   * transaction goes in ONE round trip — BEGIN, the statements with their values as literals, COMMIT
   * as one simple-protocol query — so a batch of a few hundred statements holds its row locks for
   * the time PostgreSQL takes to run them, not for hundreds of round trips. Otherwise one round trip
   * per statement, with bind parameters.
   */
  async execute(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    const client = await this.pool.connect();
    try {
      if (statements.every((statement) => (statement.params ?? []).every(isLiteralValue))) {
        await client.query(['BEGIN', ...statements.map(withLiterals), 'COMMIT'].join(';\n'));
        return;
      }
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
