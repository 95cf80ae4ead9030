import { Pool, types } from 'pg';
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

  /** `schema` isolates a test run; it must exist (see `open`). */
  constructor(connectionString: string, schema?: string) {
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

  async close(): Promise<void> {
    await this.pool.end();
  }
}
