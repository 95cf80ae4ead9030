import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the environment createEventStoreFromEnv and the CLIs read. */
export type ConfiguredStoreEnv = Partial<Record<'EVENT_STORE' | 'DATA_DIR' | 'DATABASE_URL' | 'KURRENTDB_URL', string>>;

/** The SQLite file createEventStoreFromEnv opens, or null when another store is configured. */
export function configuredSqliteFile(env: ConfiguredStoreEnv): string | null {
  if ((env.EVENT_STORE?.trim() || 'sqlite') !== 'sqlite') return null;
  return join(env.DATA_DIR || './data', 'concord.sqlite');
}

/**
 * Opening a SQLite path creates an empty store, which would verify (or export) as an empty log: a
 * mistyped DATA_DIR must fail instead. For tools that read an existing store.
 */
export function assertConfiguredSqliteExists(env: ConfiguredStoreEnv): void {
  const file = configuredSqliteFile(env);
  if (file && !existsSync(file)) throw new Error(`no SQLite event store at ${file} (check DATA_DIR)`);
}

/** Where the configured store is, for messages: never the credentials of a URL. */
export function describeConfiguredStore(env: ConfiguredStoreEnv): string {
  const kind = env.EVENT_STORE?.trim() || 'sqlite';
  const file = configuredSqliteFile(env);
  if (file) return `sqlite (${file})`;
  const url = kind === 'postgres' ? env.DATABASE_URL : kind === 'kurrentdb' ? env.KURRENTDB_URL : undefined;
  if (!url) return kind;
  try {
    const parsed = new URL(url);
    return `${kind} (${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname})`;
  } catch {
    return kind;
  }
}

/** Calls `print` at most once per `intervalMs`, and always for the last step (`done`). */
export function throttledProgress<T>(print: (progress: T) => void, intervalMs = 1_000): (progress: T, done?: boolean) => void {
  let lastPrinted = Date.now();
  return (progress, done = false) => {
    const now = Date.now();
    if (!done && now - lastPrinted < intervalMs) return;
    lastPrinted = now;
    print(progress);
  };
}
