import { ClientConfig, Pool, PoolClient, PoolConfig } from 'pg';
import { asUnavailableIfConnectionFailure } from './postgres-connection-errors';
import { createSchema, PostgresTables } from './postgres-schema';

/**
 * The store's pool and how it talks through it: the schema created once (again after a failed
 * attempt), plain queries, and transactions under the append lock. Connection failures surface as
 * EventStoreUnavailableError; a connection that broke never goes back to the pool.
 */
export class PostgresConnection {
  /** For connections outside the pool (the LISTEN connection). */
  readonly clientConfig: ClientConfig;
  private readonly pool: Pool;
  private schemaReady: Promise<void> | null = null;

  constructor(
    connection: string | PoolConfig,
    readonly tables: PostgresTables,
  ) {
    const config: PoolConfig = typeof connection === 'string' ? { connectionString: connection } : { ...connection };
    // Without a timeout a request hangs for as long as the server is unreachable.
    config.connectionTimeoutMillis ??= 5_000;
    this.clientConfig = config;
    this.pool = new Pool(config);
    // An idle pooled connection that dies emits 'error'; unhandled, it would crash the process.
    // The pool discards it and the next checkout reconnects, so there is nothing else to do.
    this.pool.on('error', () => undefined);
  }

  ensureSchema(): Promise<void> {
    if (!this.schemaReady) {
      this.schemaReady = this.createSchema();
      // A failed attempt (server down at startup) must not poison later calls.
      this.schemaReady.catch(() => {
        this.schemaReady = null;
      });
    }
    return this.schemaReady;
  }

  async query<TRow>(whileDoing: string, text: string, values?: unknown[]): Promise<TRow[]> {
    await this.ensureSchema();
    try {
      return (await this.pool.query(text, values)).rows as TRow[];
    } catch (error) {
      throw asUnavailableIfConnectionFailure(error, whileDoing);
    }
  }

  /**
   * Runs `work` in one transaction holding the schema's advisory lock (appends and imports are
   * serialized by it, so positions become visible in increasing order), then commits. On failure
   * it rolls back, unless the connection itself broke.
   */
  async inAppendLock<T>(whileDoing: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.ensureSchema();
    const client = await this.connect(whileDoing);
    let connectionBroken = false;
    try {
      await client.query(this.tables.beginLocked);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      const mapped = asUnavailableIfConnectionFailure(error, whileDoing);
      connectionBroken = mapped !== error;
      if (!connectionBroken) await client.query('ROLLBACK').catch(() => undefined);
      throw mapped;
    } finally {
      // A broken connection must not go back to the pool.
      client.release(connectionBroken ? true : undefined);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private async createSchema(): Promise<void> {
    const client = await this.connect('creating the schema');
    try {
      await createSchema(client, this.tables);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asUnavailableIfConnectionFailure(error, 'creating the schema');
    } finally {
      client.release();
    }
  }

  private async connect(whileDoing: string): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw asUnavailableIfConnectionFailure(error, whileDoing);
    }
  }
}
