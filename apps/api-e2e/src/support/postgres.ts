/**
 * PostgreSQL for the e2e specs that need it (DATABASE_URL set). The API's event store always writes
 * to the `public` schema (createEventStoreFromEnv passes no schema; only the read models follow
 * DATABASE_SCHEMA), so a fresh schema alone would share one event log between runs: each run gets
 * its own DATABASE (dropped afterwards) and, in it, a fresh DATABASE_SCHEMA for the read models.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client, types } from 'pg';
import { onTeardown } from './api-process';

export const DATABASE_URL = process.env['DATABASE_URL'] || undefined;

// BIGINT columns read as numbers, as the API's own read-model database reads them.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export interface FreshPostgres {
  /** DATABASE_URL of the fresh database. */
  url: string;
  /** DATABASE_SCHEMA for the read models. */
  schema: string;
  /** Runs one query in the fresh database. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `concord_e2e_<random>` on the server of DATABASE_URL; dropped after the spec file. */
export async function freshPostgres(): Promise<FreshPostgres> {
  if (!DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const suffix = randomBytes(5).toString('hex');
  const database = `concord_e2e_${suffix}`;
  const schema = `e2e_rm_${suffix}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(DATABASE_URL, database);
  onTeardown(async () => {
    const dropper = new Client({ connectionString: DATABASE_URL });
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  });
  return {
    url,
    schema,
    async query<T>(text: string, params: unknown[] = []) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Whether a Redis server answers PING at `url`, decided synchronously (a child process does a raw
 * RESP exchange), so that a spec can choose `it` or `it.skip` while it is being defined.
 */
export function redisReachableSync(url: string, timeoutMs = 1_000): boolean {
  const { hostname, port } = new URL(url);
  const script = `
    const socket = require('node:net').createConnection({ host: ${JSON.stringify(hostname)}, port: ${Number(port || 6379)} });
    const done = (ok) => { socket.destroy(); process.exit(ok ? 0 : 1); };
    socket.setTimeout(${timeoutMs}, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: timeoutMs + 2_000 }).status === 0;
}
