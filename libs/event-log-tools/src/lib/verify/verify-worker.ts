/**
 * A worker thread of verifyEventStoreInParallel: opens its own connection to the store, then checks
 * the ranges it is sent, one at a time, and replies with each report. Loaded only as a worker
 * (bundled by esbuild at run time, see verify-parallel.ts); never imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEventStoreFromEnv, PostgresEventStore, SqliteEventStore, type EventStore } from '@concord/event-store';
import { checkStreamRange } from './verify-event-store';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './verify-worker-protocol';

const port = parentPort;
if (port) {
  const data = workerData as VerifyWorkerData;
  const reply = (message: FromVerifyWorker) => port.postMessage(message);
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let store: EventStore | null = null;
  try {
    const source = data.source;
    if ('sqliteFile' in source) store = new SqliteEventStore(source.sqliteFile);
    else if ('postgres' in source) store = new PostgresEventStore(source.postgres.url, { schema: source.postgres.schema });
    else store = createEventStoreFromEnv(source.env);
    reply({ type: 'ready' });
  } catch (error) {
    reply({ type: 'failed', index: null, message: `cannot open the store: ${describe(error)}` });
  }
  port.on('message', (message: ToVerifyWorker) => {
    if (message.type === 'close' || !store) {
      if (store) void store.close().finally(() => port.close());
      else port.close();
      return;
    }
    checkStreamRange(store, message.range, { pageSize: data.pageSize }).then(
      (report) => reply({ type: 'checked', index: message.index, report }),
      (error: unknown) => reply({ type: 'failed', index: message.index, message: describe(error) }),
    );
  });
}
