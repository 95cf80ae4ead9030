import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrCreateStreamKey } from '@concord/event-store';
import {
  DEFAULT_LOGIN_THROTTLE_POLICY,
  LoginThrottlePolicy,
  validateLoginThrottlePolicy,
} from '../abuse/login-throttle-policy';

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
  /** Keys the HMAC in stream names that would otherwise carry personal data (STREAM_KEY, else DATA_DIR/stream-key). */
  streamKey: string;
  /** Lifetime of an access token (ACCESS_TOKEN_TTL, default 10 min); refreshed through the session. */
  accessTokenTtlSeconds: number;
  /** A session unused this long ends (SESSION_IDLE_TIMEOUT, default 30 min). */
  sessionIdleTimeoutSeconds: number;
  /** A session ends this long after sign-in whatever its use (SESSION_MAX_AGE, default 12 h). */
  sessionMaxAgeSeconds: number;
  /** Whether the refresh cookie carries `Secure` (COOKIE_SECURE, default on). */
  cookieSecure: boolean;
  /** How long a co-editing socket ticket is good for (COLLAB_TICKET_TTL, default and at most 60 s). */
  collabTicketTtlSeconds: number;
  demo: boolean;
  /** Extra origins allowed to open collaboration sockets besides the serving origin. */
  allowedOrigins: string[];
  /** Directory of the built web app, served at `/` when it exists. */
  webRoot: string | undefined;
  nodeId: string;
  /**
   * Express's `trust proxy`: whether (and which) `X-Forwarded-For` / `X-Forwarded-Proto` to believe
   * for the client address and TLS. `false` unless TRUST_PROXY says otherwise.
   */
  trustProxy: boolean | number | string[];
  /** Serve the OpenAPI description at /api/docs (API_DOCS; on unless NODE_ENV=production). */
  apiDocs: boolean;
  /** Largest accepted JSON body in bytes (BODY_LIMIT_BYTES); larger ones get 413. */
  bodyLimitBytes: number;
  /** Deepest accepted nesting of objects and arrays in a JSON body (JSON_MAX_DEPTH); deeper gets 400. */
  jsonMaxDepth: number;
  /** Sign-in throttling (LOGIN_* variables). */
  loginThrottle: LoginThrottlePolicy;
  /** Password hashes computed at once (LOGIN_HASH_CONCURRENCY) and waiting (LOGIN_HASH_QUEUE); more → 503. */
  passwordHashing: { concurrency: number; queue: number };
  /**
   * How far (ms) the read models may trail the log before /api/health answers 503 and REST
   * authorization fails closed (PROJECTION_MAX_LAG_MS).
   */
  projectionMaxLagMs: number;
  /**
   * Silence procedures: the shortest lead of a deadline (SILENCE_MIN_LEAD_MS, default 60000; tests
   * set a few seconds) and how often each node looks for deadlines reached (SILENCE_CHECK_MS, default 1000).
   */
  silence: { minLeadMs: number; checkMs: number };
}

export const CONCORD_CONFIG = Symbol('CONCORD_CONFIG');

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `600`, `600s`, `10m`, `12h`, `1d` → seconds; anything else stops the start with a reason. */
export function durationSeconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const match = DURATION.exec(value.trim().toLowerCase());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'] : NaN;
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new Error(`${name}=${value} is not a duration: use seconds (600) or a number with s, m, h or d (10m, 12h)`);
  }
  return Math.round(seconds);
}

/** COLLAB_TICKET_TTL: a duration of at most 60 s (the public contract); default 60 s. */
function collabTicketTtl(value: string | undefined): number {
  const seconds = durationSeconds('COLLAB_TICKET_TTL', value, 60);
  if (seconds > 60) throw new Error(`COLLAB_TICKET_TTL=${value} is longer than 60 s, the most a socket ticket may live`);
  return seconds;
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

/**
 * TRUST_PROXY: unset, `off` or `false` → trust no proxy (the socket's address is the client's);
 * a number → that many proxies in front (the bundled nginx is 1); `on`/`true` → any (only when
 * nothing can reach the API except through the proxy); otherwise a comma-separated list of
 * addresses, subnets or Express's names (`loopback`, `uniquelocal`, `10.0.0.0/8`).
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const text = (value ?? '').trim();
  if (text === '' || ['0', 'off', 'false', 'no'].includes(text.toLowerCase())) return false;
  if (['on', 'true', 'yes'].includes(text.toLowerCase())) return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}=${raw} must be a whole number of at least ${min}`);
  return value;
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
    streamKey: loadOrCreateStreamKey({ DATA_DIR: dataDir, STREAM_KEY: env['STREAM_KEY'] }),
    accessTokenTtlSeconds: durationSeconds('ACCESS_TOKEN_TTL', env['ACCESS_TOKEN_TTL'] ?? env['JWT_TTL_SECONDS'], 10 * 60),
    sessionIdleTimeoutSeconds: durationSeconds('SESSION_IDLE_TIMEOUT', env['SESSION_IDLE_TIMEOUT'], 30 * 60),
    sessionMaxAgeSeconds: durationSeconds('SESSION_MAX_AGE', env['SESSION_MAX_AGE'], 12 * 3600),
    cookieSecure: env['COOKIE_SECURE'] === undefined || env['COOKIE_SECURE'] === '' ? true : flag(env['COOKIE_SECURE']),
    collabTicketTtlSeconds: collabTicketTtl(env['COLLAB_TICKET_TTL']),
    demo,
    allowedOrigins: (env['ALLOWED_ORIGINS'] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    webRoot: env['WEB_ROOT'],
    nodeId: env['NODE_ID'] ?? `node-${process.pid}`,
    trustProxy: parseTrustProxy(env['TRUST_PROXY']),
    apiDocs: env['API_DOCS'] !== undefined && env['API_DOCS'] !== '' ? flag(env['API_DOCS']) : env['NODE_ENV'] !== 'production',
    bodyLimitBytes: wholeNumber(env, 'BODY_LIMIT_BYTES', 100 * 1024),
    silence: { minLeadMs: wholeNumber(env, 'SILENCE_MIN_LEAD_MS', 60_000, 0), checkMs: wholeNumber(env, 'SILENCE_CHECK_MS', 1_000, 50) },
    jsonMaxDepth: wholeNumber(env, 'JSON_MAX_DEPTH', 32),
    loginThrottle: validateLoginThrottlePolicy({
      freeFailures: wholeNumber(env, 'LOGIN_FREE_FAILURES', DEFAULT_LOGIN_THROTTLE_POLICY.freeFailures),
      lockoutBaseSeconds: wholeNumber(env, 'LOGIN_LOCKOUT_BASE_SECONDS', DEFAULT_LOGIN_THROTTLE_POLICY.lockoutBaseSeconds),
      lockoutMaxSeconds: wholeNumber(env, 'LOGIN_LOCKOUT_MAX_SECONDS', DEFAULT_LOGIN_THROTTLE_POLICY.lockoutMaxSeconds),
      failureMemorySeconds: wholeNumber(env, 'LOGIN_FAILURE_MEMORY_SECONDS', DEFAULT_LOGIN_THROTTLE_POLICY.failureMemorySeconds),
      addressFailures: wholeNumber(env, 'LOGIN_ADDRESS_FAILURES', DEFAULT_LOGIN_THROTTLE_POLICY.addressFailures),
      addressWindowSeconds: wholeNumber(env, 'LOGIN_ADDRESS_WINDOW_SECONDS', DEFAULT_LOGIN_THROTTLE_POLICY.addressWindowSeconds),
    }),
    passwordHashing: {
      concurrency: wholeNumber(env, 'LOGIN_HASH_CONCURRENCY', 4),
      queue: wholeNumber(env, 'LOGIN_HASH_QUEUE', 32, 0),
    },
    projectionMaxLagMs,
  };
}
