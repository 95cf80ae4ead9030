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

/** A transaction of plain values, written as one simple-protocol query, waiting to be committed. */
interface QueuedTransaction {
  /** Its statements with their values as literals, `;`-separated. */
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class PostgresReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private leaseClient: PoolClient | undefined;
  /** Transactions asked for in this turn of the event loop: committed together in the next. */
  private queued: QueuedTransaction[] = [];

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
   * the time PostgreSQL takes to run them, not for hundreds of round trips.
   *
   * Such transactions asked for in one turn of the event loop are also committed together, in the
   * next turn, as one transaction: after every commit of the log the log tail hands the new events
   * to every projection at once, and each writes its own transaction — one round trip and one WAL
   * flush for all instead of one each. Each still commits whole or not at all; if the joint one
   * fails, each is run again alone, so only the one at fault fails, with its own error. Groups of
   * later turns do not wait for earlier ones (as many at once as the pool has connections).
   *
   * Otherwise (bytes, dates…) one round trip per statement, with bind parameters, alone.
   */
  async execute(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    if (statements.every((statement) => (statement.params ?? []).every(isLiteralValue))) {
      const text = statements.map(withLiterals).join(';\n');
      return new Promise<void>((resolve, reject) => {
        this.queued.push({ text, resolve, reject });
        if (this.queued.length === 1) setImmediate(() => void this.commitQueued());
      });
    }
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
   * Commits the transactions queued in the last turn in one. If that fails, each is run again
   * alone, in order, and settled with its own outcome.
   */
  private async commitQueued(): Promise<void> {
    const group = this.queued;
    this.queued = [];
    try {
      await this.runLiteralTransaction(group.map((member) => member.text));
      for (const member of group) member.resolve();
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const member of group) {
        await this.runLiteralTransaction([member.text]).then(member.resolve, member.reject);
      }
    }
  }

  /** BEGIN, the statements, COMMIT: one simple-protocol query on one connection. */
  private async runLiteralTransaction(parts: string[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query(['BEGIN', ...parts, 'COMMIT'].join(';\n'));
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
