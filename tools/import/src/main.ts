/**
 * `npm run import -- [--dry-run] <file>`: loads an export (`npm run export`) into the store
 * configured by the environment (EVENT_STORE, DATA_DIR, DATABASE_URL — see
 * createEventStoreFromEnv), which must be EMPTY. The whole file is verified first — every event's
 * hash, every stream's chain, positions, ids, the header's counts — and nothing is written unless
 * all of it verifies; then the events are written in batches with their original ids, positions and
 * metadata, each batch checked again by the store. `--dry-run` verifies the file only.
 * Progress goes to stderr at most once per second.
 *
 * Migration: email reservation streams written before issue 9 are named by the unsalted sha256 of
 * the address (`user-email-<sha256>`); the import renames each to its HMAC name under this
 * deployment's stream key (STREAM_KEY, else DATA_DIR/stream-key, generated if absent — the key
 * the API will use) and, since an event's hash covers its stream's name, re-chains those streams.
 * The report lists every renamed stream with its old and new head hash.
 *
 * Migration: content snapshots written before issue 10 sit inside the content streams
 * (`ContentCheckpointed` in `proposal-<id>-content`); the import moves each into
 * `proposal-<id>-snapshots` (SnapshotLayoutMigration of @concord/collab, run by migrateSnapshotLines of
 * @concord/event-log-tools) and re-chains the streams
 * that changed. Each original event is checked against its chain before anything is re-hashed; the
 * report lists the re-chained streams.
 *
 * Exit codes: 0 imported (or verified, with --dry-run); 1 the file does not verify (the line,
 * stream and revision are printed; nothing was written); 2 the import could not run (usage,
 * configuration, target not empty, store unreachable, or writing stopped part-way — said so).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEventStoreFromEnv, loadOrCreateStreamKey } from '@concord/event-store';
import {
  describeConfiguredStore,
  EventLogFormatError,
  importEventLog,
  ImportProgress,
  migrateSnapshotLines,
  planSnapshotMigration,
  readFileLines,
  RechainedStream,
  throttledProgress,
} from '@concord/event-log-tools';
import { SnapshotLayoutMigration } from '@concord/collab';
import { migratedEmailReservationStream } from '@concord/domain';

const EXIT_FILE_REFUSED = 1;
const EXIT_CANNOT_IMPORT = 2;
const USAGE =
  'usage: npm run import -- [--dry-run] <file>   (into the configured, empty store: EVENT_STORE, DATA_DIR, DATABASE_URL)';

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const dryRun = args.includes('--dry-run');
  const files = args.filter((arg) => arg !== '--dry-run');
  if (files.length !== 1 || files[0].startsWith('-')) {
    console.error(USAGE);
    return EXIT_CANNOT_IMPORT;
  }
  const file = resolve(files[0]);
  if (!existsSync(file)) throw new Error(`no file at ${file}`);
  if ((process.env['EVENT_STORE']?.trim() || 'sqlite') === 'memory') {
    throw new Error('EVENT_STORE=memory keeps nothing: import into sqlite, postgres or kurrentdb');
  }

  const target = describeConfiguredStore(process.env);
  const store = createEventStoreFromEnv(process.env);
  try {
    console.error(dryRun ? `Verifying ${file} (dry run: nothing is written)` : `Importing ${file} into the ${target} event store`);
    const report = throttledProgress<ImportProgress>(({ phase, events, total }) => {
      console.error(`  ${phase === 'verify' ? 'verified' : 'written'} ${events}/${total} events`);
    });
    let phase: ImportProgress['phase'] = 'verify';
    // Read (or create) the key only when writing: a dry run leaves DATA_DIR as it is.
    const streamKey = dryRun ? null : loadOrCreateStreamKey(process.env);
    const plan = await planSnapshotMigration(readFileLines(file));
    let rechained = new Map<string, RechainedStream>();
    const openLines = () => {
      if (plan.legacySnapshots === 0) return readFileLines(file);
      rechained = new Map();
      return migrateSnapshotLines(readFileLines(file), plan, new SnapshotLayoutMigration(), rechained);
    };
    const result = await importEventLog(store, openLines, {
      dryRun,
      renameStream: streamKey ? (stream, first) => migratedEmailReservationStream(stream, first, streamKey) : undefined,
      onProgress: (progress) => {
        // Always show the end of the verification before writing starts.
        report(progress, progress.phase !== phase || progress.events === progress.total);
        phase = progress.phase;
      },
    });
    const what = `${result.eventCount} events of ${result.streamCount} streams (last position ${result.lastPosition})`;
    console.log(
      dryRun
        ? `verified ${what}: every hash and chain is intact; nothing was written`
        : `imported ${what} into the ${target} event store; every hash and chain verified`,
    );
    if (result.renamedStreams.length > 0) {
      console.log(
        `migrated ${result.renamedStreams.length} email reservation streams from the unsalted sha256 name to the HMAC name ` +
          '(STREAM_KEY) and re-chained them (the hash covers the stream name):',
      );
      for (const renamed of result.renamedStreams) {
        console.log(`  ${renamed.from} -> ${renamed.to} (${renamed.events} events; head hash ${renamed.fromHeadHash} -> ${renamed.toHeadHash})`);
      }
      console.log(
        'signed checkpoints taken before this import cover the old names: keep the export file to verify them (import it into a scratch store)',
      );
    }
    if (plan.legacySnapshots > 0) {
      console.log(
        `migrated ${plan.legacySnapshots} content snapshots from the content streams to their own snapshot streams ` +
          `(proposal-<id>-snapshots) and re-chained the ${rechained.size} streams that changed:`,
      );
      for (const stream of rechained.values()) {
        console.log(`  ${stream.stream} (${stream.events} events re-hashed; head hash ${stream.fromHeadHash ?? '(new stream)'} -> ${stream.toHeadHash})`);
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof EventLogFormatError) {
      console.error(`REFUSED: ${file} ${error.message}`);
      console.error('nothing was written');
      return EXIT_FILE_REFUSED;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`import could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_CANNOT_IMPORT;
  },
);
