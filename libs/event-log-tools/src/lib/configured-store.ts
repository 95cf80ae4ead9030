import { existsSync } from 'node:fs';
import { configuredSqliteFile, configuredStoreKind, type EventStoreEnv } from '@concord/event-store';

/**
 * Opening a SQLite path creates an empty store, which would verify (or export) as an empty log: a
 * mistyped DATA_DIR must fail instead. For tools that read an existing store.
 */
export function assertConfiguredSqliteExists(env: EventStoreEnv): void {
  const file = configuredSqliteFile(env);
  if (file && !existsSync(file)) throw new Error(`no SQLite event store at ${file} (check DATA_DIR)`);
}

/** Where the configured store is, for messages: never the credentials of a URL. */
export function describeConfiguredStore(env: EventStoreEnv): string {
  const kind = configuredStoreKind(env);
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
