/**
 * `npm run export -- <file>`: writes the whole log of the store configured by the environment
 * (EVENT_STORE, DATA_DIR, DATABASE_URL — see createEventStoreFromEnv) to <file> as NDJSON: a header
 * line, then one line per event in global order (format: libs/event-log-tools/src/lib/transfer/
 * event-log-format.ts). Progress goes to stderr at most once per second.
 *
 * Exit codes: 0 exported; 2 the export could not run (usage, configuration, store unreachable).
 */
import { resolve } from 'node:path';
import { createEventStoreFromEnv } from '@concord/event-store';
import {
  assertConfiguredSqliteExists,
  describeConfiguredStore,
  exportEventLogToFile,
  ExportProgress,
  throttledProgress,
} from '@concord/event-log-tools';

const EXIT_CANNOT_EXPORT = 2;
const USAGE = 'usage: npm run export -- <file>   (the configured store: EVENT_STORE, DATA_DIR, DATABASE_URL)';

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error(USAGE);
    return EXIT_CANNOT_EXPORT;
  }
  const file = resolve(args[0]);
  assertConfiguredSqliteExists(process.env);
  const store = createEventStoreFromEnv(process.env);
  try {
    console.error(`Exporting the ${describeConfiguredStore(process.env)} event store to ${file}`);
    const report = throttledProgress<ExportProgress>(({ eventsWritten, position, lastPosition }) => {
      const percent = lastPosition === 0 ? 100 : Math.floor((position / lastPosition) * 100);
      console.error(`  ${eventsWritten} events written, position ${position}/${lastPosition} (${percent}%)`);
    });
    const header = await exportEventLogToFile(store, file, { onProgress: (progress) => report(progress) });
    console.log(
      `exported ${header.eventCount} events of ${header.streamCount} streams (last position ${header.lastPosition}) to ${file}`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`export could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_CANNOT_EXPORT;
  },
);
