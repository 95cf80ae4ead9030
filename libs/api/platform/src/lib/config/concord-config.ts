import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type EventStoreKind = 'sqlite' | 'postgres' | 'kurrentdb' | 'memory';

/** Everything the API reads from the environment (ARCHITECTURE §6), parsed once at start. */
export interface ConcordConfig {
  port: number;
  dataDir: string;
  eventStore: EventStoreKind;
  databaseUrl: string | undefined;
  /** KurrentDB connection string when EVENT_STORE=kurrentdb. */
  kurrentDbUrl: string | undefined;
  redisUrl: string | undefined;
  jwtSecret: string;
  jwtTtlSeconds: number;
  demo: boolean;
  /** Extra origins allowed to open collaboration sockets besides the serving origin. */
  allowedOrigins: string[];
  /** Directory of the built web app, served at `/` when it exists. */
  webRoot: string | undefined;
  nodeId: string;
  /**
   * How far (ms) the read models may trail the log before /api/health answers 503 and REST
   * authorization fails closed (PROJECTION_MAX_LAG_MS).
   */
  projectionMaxLagMs: number;
}

export const CONCORD_CONFIG = Symbol('CONCORD_CONFIG');

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** JWT_SECRET from the environment, else one generated once and kept in DATA_DIR. */
function loadOrCreateJwtSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConcordConfig {
  const dataDir = resolve(env['DATA_DIR'] ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const eventStore = (env['EVENT_STORE'] ?? 'sqlite') as EventStoreKind;
  if (!['sqlite', 'postgres', 'kurrentdb', 'memory'].includes(eventStore)) {
    throw new Error(
      `EVENT_STORE=${eventStore} is not supported here: use sqlite (default), postgres, kurrentdb or memory`,
    );
  }
  if (eventStore === 'postgres' && !env['DATABASE_URL']) {
    throw new Error('EVENT_STORE=postgres needs DATABASE_URL (e.g. postgres://user@host:5432/db)');
  }
  if (eventStore === 'kurrentdb') {
    if (!env['KURRENTDB_URL']) {
      throw new Error('EVENT_STORE=kurrentdb needs KURRENTDB_URL (e.g. kurrentdb://localhost:2113?tls=false)');
    }
    // The log is in KurrentDB; the read models (projections) live in PostgreSQL, shared by every node.
    if (!env['DATABASE_URL']) {
      throw new Error(
        'EVENT_STORE=kurrentdb needs DATABASE_URL too: the read models are kept in PostgreSQL (e.g. postgres://user@host:5432/db)',
      );
    }
  }
  const demo = flag(env['DEMO']);
  if (demo && env['NODE_ENV'] === 'production') {
    throw new Error(
      'DEMO is on while NODE_ENV=production: the demo seeds accounts with a published password (an admin among them). ' +
        'Unset DEMO, and create the first platform admin with create-admin (docs/OPERATIONS.md)',
    );
  }
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT=${env['PORT']} is not a valid port number`);
  }
  const projectionMaxLagMs = Number(env['PROJECTION_MAX_LAG_MS'] || 5_000);
  if (!Number.isSafeInteger(projectionMaxLagMs) || projectionMaxLagMs <= 0) {
    throw new Error(`PROJECTION_MAX_LAG_MS=${env['PROJECTION_MAX_LAG_MS']} must be a positive whole number of milliseconds`);
  }
  return {
    port,
    dataDir,
    eventStore,
    databaseUrl: env['DATABASE_URL'],
    kurrentDbUrl: env['KURRENTDB_URL'] || undefined,
    redisUrl: env['REDIS_URL'] || undefined,
    jwtSecret: loadOrCreateJwtSecret(dataDir, env['JWT_SECRET']),
    jwtTtlSeconds: Number(env['JWT_TTL_SECONDS'] ?? 8 * 3600),
    demo,
    allowedOrigins: (env['ALLOWED_ORIGINS'] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    webRoot: env['WEB_ROOT'],
    nodeId: env['NODE_ID'] ?? `node-${process.pid}`,
    projectionMaxLagMs,
  };
}
