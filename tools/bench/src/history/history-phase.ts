import type { EventStore } from '@concord/event-store';
import { measureLog, LogStorage, measureUpdates, UpdateStorage } from '../storage/storage-measurement';
import { round } from '../stats';
import type { TypedTrace } from '../trace';
import { CheckpointCost, DiffTiming, RevisionTiming, timeCheckpointBuild, timeDiff, timeRevision } from './history-timing';
import { writeHistory } from './history-store';
import {
  buildCachedAttribution,
  CachedAttribution,
  checkpointsKeepingDeletions,
  PrototypeDiffTiming,
  timeAttributionCatchUp,
  timeDiffFromCheckpoints,
  timeDiffWithCachedAttribution,
} from './prototypes';

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
  readonly diffs: DiffTiming[];
  readonly prototypes: {
    readonly cachedAttribution: PrototypeDiffTiming[];
    readonly keepingDeletions: PrototypeDiffTiming[];
    /** Bytes of the gc:false checkpoint vs the stored one at the newest checkpointed revision. */
    readonly checkpointBytes: { readonly revision: number; readonly keepingDeletions: number };
  };
  readonly storage: LogStorage;
  readonly serverWarnings: number;
  readonly serverErrors: number;
}

export interface HistoryPhaseResult {
  readonly perCheckpointInterval: HistoryResult[];
  readonly revisionsAt: number[];
  readonly diffPairs: Array<[number, number]>;
  readonly attributionCache: { readonly buildMs: number; readonly ranges: number; readonly catchUp1000Ms: number };
  readonly updateStorage: UpdateStorage;
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

  const results: HistoryResult[] = [];
  let cache: CachedAttribution | null = null;
  let catchUp1000Ms = Number.NaN;
  let updateStorage: UpdateStorage | null = null;
  const rawMean = updates.reduce((sum, update) => sum + update.length, 0) / updates.length;

  for (const checkpointEvery of options.checkpointIntervals) {
    options.progress(`K=${checkpointEvery}: recording ${newest.toLocaleString('en')} updates through ProposalContent.appendUpdate (SQLite, synchronous=FULL)`);
    const history = await writeHistory(updates, checkpointEvery, options.progress);
    try {
      options.progress(
        `  K=${checkpointEvery}: recorded in ${round(history.writeMs / 1000)} s (${Math.round(newest / (history.writeMs / 1000)).toLocaleString('en')} updates/s, ` +
          `${round(history.throttledMs / 1000)} s of it waiting for checkpoints), ${history.checkpoints} checkpoints, last one ${round(history.checkpointLagMs / 1000)} s after the last update`,
      );
      const checkpointCost = await timeCheckpointBuild(history.collab, checkpointEvery, newest, options.revisionRuns);
      options.progress(`  K=${checkpointEvery}: one checkpoint at r=${checkpointCost.revision} costs ${checkpointCost.buildMs} ms = ${checkpointCost.perUpdateUs} µs per update`);
      const revisions: RevisionTiming[] = [];
      for (const revision of revisionsAt) {
        revisions.push(await timeRevision(history.collab, revision, options.revisionRuns, textAt(revision)));
      }
      options.progress(`  K=${checkpointEvery}: open revision p50 ` + revisions.map((timing) => `r=${timing.revision}: ${timing.totalMs} ms`).join(', '));

      const diffs: DiffTiming[] = [];
      for (const [from, to] of diffPairs) {
        diffs.push(await timeDiff(history.collab, from, to, options.diffRuns, { from: textAt(from), to: textAt(to) }));
        const last = diffs[diffs.length - 1];
        options.progress(
          `  K=${checkpointEvery}: diff ${from}→${to} p50 ${last.totalMs} ms (read ${last.readMs}, attribution ${last.attributionMs}, replay+diff ${last.diffMs})`,
        );
      }

      if (!cache) {
        cache = await buildCachedAttribution(history.collab, newest);
        catchUp1000Ms = await timeAttributionCatchUp(history.collab, newest - 1_000, 1_000);
        options.progress(`  prototype: AttributionIndex of all ${newest.toLocaleString('en')} updates built in ${cache.buildMs} ms (${cache.ranges} ranges); catching up 1,000 updates ${catchUp1000Ms} ms`);
      }
      const cachedAttribution: PrototypeDiffTiming[] = [];
      for (const [from, to] of diffPairs) {
        cachedAttribution.push(await timeDiffWithCachedAttribution(history.collab, cache, from, to, options.diffRuns, { from: textAt(from), to: textAt(to) }));
      }
      options.progress(`  K=${checkpointEvery}: prototype cached attribution: ` + cachedAttribution.map((timing) => `${timing.from}→${timing.to} ${timing.totalMs} ms`).join(', '));

      const needed = new Set(diffPairs.map(([, to]) => Math.floor(to / checkpointEvery) * checkpointEvery).filter((revision) => revision > 0));
      const newestCheckpoint = Math.floor(newest / checkpointEvery) * checkpointEvery;
      needed.add(newestCheckpoint);
      const keeping = checkpointsKeepingDeletions(updates, needed);
      const keepingDeletions: PrototypeDiffTiming[] = [];
      for (const [from, to] of diffPairs) {
        keepingDeletions.push(
          await timeDiffFromCheckpoints(history.collab, cache, keeping, checkpointEvery, from, to, options.revisionRuns, { from: textAt(from), to: textAt(to) }),
        );
      }
      options.progress(`  K=${checkpointEvery}: prototype gc:false checkpoints: ` + keepingDeletions.map((timing) => `${timing.from}→${timing.to} ${timing.totalMs} ms`).join(', '));

      const storage = measureLog(history.file);
      options.progress(
        `  K=${checkpointEvery}: SQLite file after VACUUM ${(storage.fileBytes / 1e6).toFixed(1)} MB = ${storage.fileBytesPerEvent} B/event, ` +
          `checkpoints ${(storage.checkpointBytes.total / 1e6).toFixed(1)} MB`,
      );
      if (checkpointEvery === Math.max(...options.checkpointIntervals) && !updateStorage) {
        updateStorage = { ...measureUpdates(history.file, rawMean), readBackUsPerEvent: await timeReadBack(history.store) };
        options.progress(
          `  per ContentUpdated: raw update ${updateStorage.rawUpdateBytes} B, data+metadata ${updateStorage.payloadAndMetadataBytes} B, ` +
            `file (updates only) ${updateStorage.fileBytesPerUpdate} B`,
        );
      }
      results.push({
        checkpointEvery,
        updates: newest,
        writeMs: round(history.writeMs),
        writeUpdatesPerSecond: Math.round(newest / (history.writeMs / 1000)),
        throttledMs: round(history.throttledMs),
        checkpointLagMs: round(history.checkpointLagMs),
        checkpoints: history.checkpoints,
        checkpointCost,
        revisions,
        diffs,
        prototypes: {
          cachedAttribution,
          keepingDeletions,
          checkpointBytes: { revision: newestCheckpoint, keepingDeletions: keeping.get(newestCheckpoint)?.length ?? 0 },
        },
        storage,
        serverWarnings: history.logger.warnings,
        serverErrors: history.logger.errors,
      });
    } finally {
      await history.close();
    }
  }
  if (!cache || !updateStorage) throw new Error('no checkpoint interval was measured');
  return {
    perCheckpointInterval: results,
    revisionsAt,
    diffPairs,
    attributionCache: { buildMs: cache.buildMs, ranges: cache.ranges, catchUp1000Ms },
    updateStorage,
  };
}
