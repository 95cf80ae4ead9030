import { snapshotStreamOf } from '@concord/collab';
import { verifyEventStore } from '@concord/event-log-tools';
import { verifyEventStoreInParallel } from '@concord/event-log-tools/parallel';
import type { EventStore } from '@concord/event-store';
import { measureLog, LogStorage, measureUpdates, UpdateStorage } from '../storage/storage-measurement';
import { round } from '../stats';
import type { TypedTrace } from '../trace';
import { CheckpointCost, ColdOpenTiming, DiffTiming, RevisionTiming, StoredSnapshot, timeCheckpointBuild, timeColdOpen, timeDiff, timeRevision } from './history-timing';
import { HISTORY_PROPOSAL, HistoryStore, writeHistory } from './history-store';

export interface HistoryOptions {
  readonly checkpointIntervals: readonly number[];
  readonly revisionRuns: number;
  readonly diffRuns: number;
  readonly progress: (line: string) => void;
}

export interface HistoryResult {
  readonly checkpointEvery: number;
  readonly updates: number;
  readonly writeMs: number;
  readonly writeUpdatesPerSecond: number;
  /** Of writeMs, waiting for the checkpoint writer (the writer stays ≤ 2 K ahead of it). */
  readonly throttledMs: number;
  readonly checkpointLagMs: number;
  readonly checkpoints: number;
  readonly checkpointCost: CheckpointCost;
  readonly revisions: RevisionTiming[];
  /** The slowest revision to open for this K: just before the newest checkpoint (K − 1 updates replayed after the previous one). */
  readonly worstCaseRevision: RevisionTiming;
  readonly diffs: DiffTiming[];
  /** Cold open of the newest revision and of the one just before the newest snapshot, against Yjs loading its own snapshot. */
  readonly coldOpens: ColdOpenTiming[];
  readonly storage: LogStorage;
  readonly serverWarnings: number;
  readonly serverErrors: number;
}

export interface HistoryPhaseResult {
  readonly perCheckpointInterval: HistoryResult[];
  readonly revisionsAt: number[];
  readonly diffPairs: Array<[number, number]>;
  readonly updateStorage: UpdateStorage;
  /**
   * `npm run verify`'s chain check (verifyEventStoreInParallel: this thread and worker threads, each
   * on its own connection to the file) over the largest-K log: every event of every stream.
   */
  readonly verify: { readonly events: number; readonly ms: number; readonly eventsPerSecond: number; readonly ok: boolean; readonly threads?: number };
  /** The same check on one thread (verifyEventStore), as the server runs it for GET /api/audit/verify. */
  readonly verifySingleThread?: { readonly events: number; readonly ms: number; readonly eventsPerSecond: number; readonly ok: boolean };
}

/** Reads every event back as the collab server's content subscription does (pages of 500, content prefix). */
async function timeReadBack(store: EventStore): Promise<number> {
  const started = performance.now();
  let position = 0;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ afterPosition: position, maxCount: 500, streamPrefixes: ['proposal-'] });
    if (page.length === 0) break;
    events += page.length;
    position = page[page.length - 1].position;
  }
  return round(((performance.now() - started) * 1000) / Math.max(1, events));
}

/**
 * What `npm run verify` does to a log (without the process start, worker start included): every
 * chain checked, timed; and the same check on one thread, as the server does it.
 */
async function timeVerify(store: EventStore, file: string): Promise<Pick<HistoryPhaseResult, 'verify' | 'verifySingleThread'>> {
  const timed = async <T extends { eventsChecked: number; ok: boolean }>(check: () => Promise<T>) => {
    const started = performance.now();
    const report = await check();
    const ms = performance.now() - started;
    return { report, result: { events: report.eventsChecked, ms: round(ms), eventsPerSecond: Math.round(report.eventsChecked / (ms / 1000)), ok: report.ok } };
  };
  const single = await timed(() => verifyEventStore(store));
  const parallel = await timed(() => verifyEventStoreInParallel(store, { source: { sqliteFile: file } }));
  return { verify: { ...parallel.result, threads: parallel.report.threadsUsed }, verifySingleThread: single.result };
}

/** The newest content snapshot at or before `revision`: its revision, stored size and where it sits. */
async function storedSnapshotAtOrBefore(store: EventStore, revision: number): Promise<StoredSnapshot> {
  const snapshots = await store.readStream(snapshotStreamOf(HISTORY_PROPOSAL), { direction: 'backwards', maxCount: 4 });
  const found = snapshots.find((event) => (event.metadata['revision'] as number) <= revision);
  if (!found) throw new Error(`no snapshot at or before revision ${revision}`);
  return {
    revision: found.metadata['revision'] as number,
    bytes: found.data instanceof Uint8Array ? found.data.length : 0,
    streamRevision: found.revision,
    contentStreamRevision: found.metadata['contentStreamRevision'] as number,
  };
}

/**
 * Writes one history per K (one after the other), then measures them side by side: every revision,
 * diff and prototype is timed for each K in turn before the next one, so that a change in machine
 * load during the phase affects all K alike (the comparison between K is what the recommendation
 * rests on).
 */
export async function runHistoryPhase(typed: TypedTrace, options: HistoryOptions): Promise<HistoryPhaseResult> {
  const { updates } = typed;
  const newest = updates.length;
  const revisionsAt = [1_000, 65_000, 130_000, 195_000, newest].filter((revision) => revision <= newest);
  const diffPairs: Array<[number, number]> = (
    [
      [0, 1_000],
      [64_000, 65_000],
      [129_000, 130_000],
      [newest - 1_000, newest],
      [0, newest],
    ] as Array<[number, number]>
  ).filter(([from, to]) => from >= 0 && to <= newest && from <= to);
  const texts = new Map<number, string>();
  const textAt = (revision: number): string => {
    let text = texts.get(revision);
    if (text === undefined) texts.set(revision, (text = typed.typed.textAfter(revision)));
    return text;
  };
  const expectedAt = (from: number, to: number) => ({ from: textAt(from), to: textAt(to) });
  const rawMean = updates.reduce((sum, update) => sum + update.length, 0) / updates.length;
  const intervals = options.checkpointIntervals;

  const histories: HistoryStore[] = [];
  try {
    for (const checkpointEvery of intervals) {
      options.progress(`K=${checkpointEvery}: recording ${newest.toLocaleString('en')} updates through ProposalContent.appendUpdate (SQLite, synchronous=FULL)`);
      const history = await writeHistory(updates, checkpointEvery, options.progress);
      histories.push(history);
      options.progress(
        `  K=${checkpointEvery}: recorded in ${round(history.writeMs / 1000)} s (${Math.round(newest / (history.writeMs / 1000)).toLocaleString('en')} updates/s, ` +
          `${round(history.throttledMs / 1000)} s of it waiting for checkpoints), ${history.checkpoints} checkpoints, last one ${round(history.checkpointLagMs / 1000)} s after the last update`,
      );
    }
    const eachK = async <T>(measure: (history: HistoryStore) => Promise<T>): Promise<T[]> => {
      const measured: T[] = [];
      for (const history of histories) measured.push(await measure(history));
      return measured;
    };
    const perK = <T>(rows: T[][], index: number): T[] => rows.map((row) => row[index]);

    options.progress(`measuring K = ${intervals.join(', ')} side by side`);
    const checkpointCosts = await eachK((history) => timeCheckpointBuild(history.collab, history.checkpointEvery, newest, options.revisionRuns));
    options.progress('  one checkpoint of the finished document: ' + checkpointCosts.map((cost) => `K=${cost.checkpointEvery} ${cost.buildMs} ms = ${cost.perUpdateUs} µs/update`).join(', '));

    const revisionRows: RevisionTiming[][] = [];
    for (const revision of revisionsAt) {
      revisionRows.push(await eachK((history) => timeRevision(history.collab, revision, options.revisionRuns, textAt(revision))));
      options.progress(`  open r=${revision}: ` + revisionRows[revisionRows.length - 1].map((timing, index) => `K=${intervals[index]} ${timing.totalMs} ms`).join(', '));
    }
    const worstCases = await eachK((history) => {
      const worstAt = Math.floor(newest / history.checkpointEvery) * history.checkpointEvery - 1;
      return timeRevision(history.collab, worstAt, options.revisionRuns, textAt(worstAt));
    });
    options.progress('  open the slowest case (newest checkpoint − 1): ' + worstCases.map((timing, index) => `K=${intervals[index]} r=${timing.revision} ${timing.totalMs} ms`).join(', '));

    const diffRows: DiffTiming[][] = [];
    for (const [from, to] of diffPairs) {
      diffRows.push(await eachK((history) => timeDiff(history.collab, from, to, options.diffRuns, expectedAt(from, to))));
      options.progress(
        `  diff ${from}→${to}: ` +
          diffRows[diffRows.length - 1]
            .map((diff, index) => `K=${intervals[index]} ${diff.totalMs} ms (source ${diff.readMs}, attribution ${diff.attributionMs}, replay+diff ${diff.diffMs})`)
            .join(', '),
      );
    }

    const coldOpenRows = await eachK(async (history) => {
      const newestSnapshot = Math.floor(newest / history.checkpointEvery) * history.checkpointEvery;
      const timings: ColdOpenTiming[] = [];
      for (const revision of [newest, newestSnapshot - 1]) {
        timings.push(await timeColdOpen(history.collab, history.store, revision, options.revisionRuns, await storedSnapshotAtOrBefore(history.store, revision)));
      }
      return timings;
    });
    options.progress(
      '  cold open ÷ Yjs loading its own snapshot: ' +
        coldOpenRows.map((timings, index) => `K=${intervals[index]} ` + timings.map((timing) => `r=${timing.revision} ${timing.openMs} (reads ${timing.readMs})/${timing.yjsMs} ms`).join(', ')).join('; '),
    );

    const storages = histories.map((history) => measureLog(history.file));
    options.progress('  SQLite files after VACUUM: ' + storages.map((storage, index) => `K=${intervals[index]} ${(storage.fileBytes / 1e6).toFixed(1)} MB (checkpoints ${(storage.checkpointBytes.total / 1e6).toFixed(1)} MB)`).join(', '));
    const sparsest = histories[histories.length - 1];
    const updateStorage: UpdateStorage = { ...measureUpdates(sparsest.file, rawMean), readBackUsPerEvent: await timeReadBack(sparsest.store) };
    options.progress(
      `  per ContentUpdated: raw update ${updateStorage.rawUpdateBytes} B, data+metadata ${updateStorage.payloadAndMetadataBytes} B, file (updates only) ${updateStorage.fileBytesPerUpdate} B`,
    );

    const { verify, verifySingleThread } = await timeVerify(sparsest.store, sparsest.file);
    options.progress(
      `  npm run verify's chain check: ${verify.events.toLocaleString('en')} events in ${round(verify.ms / 1000)} s = ${verify.eventsPerSecond.toLocaleString('en')} events/s on ${verify.threads} threads (${verify.ok ? 'intact' : 'BROKEN'}); ` +
        `on one thread (the server's) ${verifySingleThread?.eventsPerSecond.toLocaleString('en')} events/s`,
    );

    const results: HistoryResult[] = histories.map((history, index) => ({
      checkpointEvery: history.checkpointEvery,
      updates: newest,
      writeMs: round(history.writeMs),
      writeUpdatesPerSecond: Math.round(newest / (history.writeMs / 1000)),
      throttledMs: round(history.throttledMs),
      checkpointLagMs: round(history.checkpointLagMs),
      checkpoints: history.checkpoints,
      checkpointCost: checkpointCosts[index],
      revisions: perK(revisionRows, index),
      worstCaseRevision: worstCases[index],
      diffs: perK(diffRows, index),
      coldOpens: coldOpenRows[index],
      storage: storages[index],
      serverWarnings: history.logger.warnings,
      serverErrors: history.logger.errors,
    }));
    return {
      perCheckpointInterval: results,
      revisionsAt,
      diffPairs,
      updateStorage,
      verify,
      verifySingleThread,
    };
  } finally {
    for (const history of histories) await history.close();
  }
}
