import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  IRateLimiterOptions,
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';
import type { ConcordConfig } from '../config/concord-config';
import { rootLogger } from '../logging/logger';

const log = rootLogger.child({ context: 'LimiterStore' });

/** The one table that every store-backed limiter shares (keys carry each limiter's prefix). */
const TABLE = 'concord_rate_limits';

export type LimiterStoreKind = 'redis' | 'postgres' | 'sqlite' | 'memory';

/**
 * Where throttling counters live, so that every API node sees the same ones: Redis when REDIS_URL
 * is set, else the read-model database (PostgreSQL, or the SQLite file through better-sqlite3,
 * which rate-limiter-flexible 11 supports natively), else — for the in-memory event store — memory.
 * A store that fails (Redis down, a connection lost) falls back to a per-process memory limiter
 * (rate-limiter-flexible's insurance limiter) instead of failing sign-ins.
 */
export interface LimiterStore {
  readonly kind: LimiterStoreKind;
  create(options: Required<Pick<IRateLimiterOptions, 'keyPrefix' | 'points' | 'duration'>>): Promise<RateLimiterAbstract>;
  close(): Promise<void>;
}

/** Builds a limiter whose constructor reports through a callback when its table exists. */
function ready(build: (callback: (error?: Error) => void) => RateLimiterAbstract): Promise<RateLimiterAbstract> {
  return new Promise((resolve, reject) => {
    // The callback may fire inside the constructor (table already there) or later.
    const built: { limiter?: RateLimiterAbstract; outcome?: Error | null } = {};
    const settle = () => {
      if (!built.limiter || built.outcome === undefined) return;
      if (built.outcome) reject(built.outcome);
      else resolve(built.limiter);
    };
    built.limiter = build((error) => {
      built.outcome = error ?? null;
      settle();
    });
    settle();
  });
}

export async function openLimiterStore(config: ConcordConfig): Promise<LimiterStore> {
  const insurance = (options: IRateLimiterOptions) => new RateLimiterMemory({ ...options });

  if (config.redisUrl) {
    const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    let reported = false;
    client.on('error', (error: Error) => {
      if (!reported) log.warn({ err: error.message }, 'Redis for rate limits is unreachable; counting in this process until it is back');
      reported = true;
    });
    client.on('ready', () => (reported = false));
    return {
      kind: 'redis',
      create: async (options) =>
        new RateLimiterRedis({
          ...options,
          keyPrefix: `concord:${options.keyPrefix}`,
          storeClient: client,
          rejectIfRedisNotReady: true,
          insuranceLimiter: insurance(options),
        }),
      close: async () => {
        client.disconnect();
      },
    };
  }

  if (config.eventStore === 'postgres' || config.eventStore === 'kurrentdb') {
    const schema = process.env['DATABASE_SCHEMA'];
    const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
    pool.on('error', (error) => log.warn({ err: error.message }, 'rate-limit database connection failed'));
    // The schema exists by now: the read-model database creates it before anything starts.
    let tableCreated = false;
    return {
      kind: 'postgres',
      create: async (options) => {
        const limiter = await ready(
          (callback) =>
            new RateLimiterPostgres(
              {
                ...options,
                storeClient: pool,
                storeType: 'pool',
                tableName: TABLE,
                schemaName: schema || undefined,
                tableCreated,
                insuranceLimiter: insurance(options),
              },
              callback,
            ),
        );
        tableCreated = true;
        return limiter;
      },
      close: () => pool.end(),
    };
  }

  if (config.eventStore === 'sqlite') {
    const db = new Database(join(config.dataDir, 'concord.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return {
      kind: 'sqlite',
      create: (options) =>
        ready(
          (callback) =>
            new RateLimiterSQLite(
              { ...options, storeClient: db, storeType: 'better-sqlite3', tableName: TABLE, insuranceLimiter: insurance(options) },
              callback,
            ),
        ),
      close: async () => {
        db.close();
      },
    };
  }

  // EVENT_STORE=memory keeps nothing across restarts and runs as one process: so do its counters.
  return { kind: 'memory', create: async (options) => new RateLimiterMemory(options), close: async () => undefined };
}
