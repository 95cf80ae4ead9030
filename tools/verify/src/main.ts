/**
 * `npm run verify`: re-checks every hash chain of the store configured by the environment
 * (EVENT_STORE, DATA_DIR, DATABASE_URL — see createEventStoreFromEnv).
 *
 * Exit codes: 0 every chain intact; 1 a chain is broken (the first broken stream and revision are
 * printed); 2 the check could not run (configuration, store unreachable).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEventStoreFromEnv, verifyEventStore, VerifyProgress } from '@concord/event-store';

const EXIT_BROKEN_CHAIN = 1;
const EXIT_CANNOT_VERIFY = 2;
const PROGRESS_INTERVAL_MS = 1_000;

async function main(): Promise<number> {
  assertSqliteFileExists(process.env);
  const store = createEventStoreFromEnv(process.env);
  try {
    console.log(`Verifying the ${describeStore(process.env)} event store`);
    console.log(
      'Checks per stream: revisions 0..n without gaps, eventId, prevHash links, recomputed hashes, stream head',
    );
    const report = await verifyEventStore(store, { onProgress: throttledProgressPrinter() });
    if (report.firstBreak) {
      const { stream, revision, reason } = report.firstBreak;
      console.error(`BROKEN: stream ${stream} at revision ${revision ?? '(stream head)'}: ${reason}`);
      console.error(`checked ${report.streamsChecked} intact streams, ${report.eventsChecked} events before it`);
      return EXIT_BROKEN_CHAIN;
    }
    console.log(`checked ${report.streamsChecked} streams, ${report.eventsChecked} events: OK`);
    return 0;
  } finally {
    await store.close();
  }
}

function throttledProgressPrinter(): (progress: VerifyProgress) => void {
  let lastPrinted = Date.now();
  return ({ streamsChecked, streamsTotal, eventsChecked }) => {
    const now = Date.now();
    if (now - lastPrinted < PROGRESS_INTERVAL_MS && streamsChecked < streamsTotal) return;
    lastPrinted = now;
    console.log(`  ${streamsChecked}/${streamsTotal} streams, ${eventsChecked} events`);
  };
}

/**
 * Opening a SQLite path creates an empty store, which would verify as OK: a mistyped DATA_DIR must
 * fail instead.
 */
function assertSqliteFileExists(env: NodeJS.ProcessEnv): void {
  if ((env['EVENT_STORE'] || 'sqlite') !== 'sqlite') return;
  const file = join(env['DATA_DIR'] || './data', 'concord.sqlite');
  if (!existsSync(file)) throw new Error(`no SQLite event store at ${file} (check DATA_DIR)`);
}

/** Where the store is, without credentials. */
function describeStore(env: NodeJS.ProcessEnv): string {
  const kind = env['EVENT_STORE'] || 'sqlite';
  if (kind === 'sqlite') return `sqlite (${join(env['DATA_DIR'] || './data', 'concord.sqlite')})`;
  if (kind === 'postgres' && env['DATABASE_URL']) {
    try {
      const url = new URL(env['DATABASE_URL']);
      return `postgres (${url.host}${url.pathname})`;
    } catch {
      return 'postgres';
    }
  }
  return kind;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_CANNOT_VERIFY;
  },
);
