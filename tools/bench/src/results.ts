import type { HistoryPhaseResult, HistoryResult } from './history/history-phase';
import type { MachineFacts } from './machine';
import type { BenchOptions } from './options';
import { ratio, round } from './stats';
import type { RunKind, RunResult } from './throughput/throughput-phase';

export interface LoadSample {
  readonly phase: string;
  readonly loadAverage1m: number;
  /** Median write(64 B) + fsync on the temp dir's disk at that moment. */
  readonly fsyncMs: number;
  readonly at: string;
}

export interface Workload {
  readonly trace: string;
  readonly source: string;
  readonly transactions: number;
  readonly meanUpdateBytes: number;
  readonly finalTextLength: number;
  readonly typingMs: number;
}

export interface Target {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  /** measured / limit (≤ 1 is within a "≤" target; ≥ 1 within a "≥" target). */
  readonly ratio: number;
  readonly met: boolean;
}

export interface BenchResults {
  readonly schema: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly command: string;
  readonly options: BenchOptions;
  readonly machine: MachineFacts;
  readonly load: readonly LoadSample[];
  readonly workload: Workload;
  readonly throughput: {
    readonly runs: readonly RunResult[];
    /** sqlite ÷ memory, per run kind. */
    readonly durableOverMemory: Partial<Record<RunKind, DurableRatios>>;
  } | null;
  readonly history: (HistoryPhaseResult & { readonly recommendedCheckpointEvery: number; readonly recommendationRule: string }) | null;
  readonly targets: readonly Target[];
}

export interface DurableRatios {
  readonly updatesPerSecond: number;
  readonly serverP50: number;
  readonly serverP99: number;
  readonly serverCpuPerUpdate: number;
  /** Where the durable store's extra time per update goes (µs): wall = 1/rate difference. */
  readonly overheadUsPerUpdate: number;
  /** Extra server CPU per update (SQLite statements, JSON, reading events back). */
  readonly extraCpuUsPerUpdate: number;
  /** Server time blocked in SQLite commits (statements + fsync, measured) per update. */
  readonly commitUsPerUpdate: number;
}

export const REVISION_BUDGET_MS = 100;
export const DIFF_BUDGET_MS = 300;
export const THROUGHPUT_RATIO_TARGET = 0.8;
export const STORAGE_RATIO_TARGET = 4;
/** Cold open of a proposal ÷ Yjs loading its own snapshot of the same document (issue 11 point 6). */
export const COLD_OPEN_RATIO_TARGET = 1.5;
/** `npm run verify` on SQLite, events checked per second (issue 11 point 6). */
export const VERIFY_RATE_TARGET = 300_000;

export function durableOverMemory(runs: readonly RunResult[]): NonNullable<BenchResults['throughput']>['durableOverMemory'] {
  const result: NonNullable<BenchResults['throughput']>['durableOverMemory'] = {};
  for (const kind of ['keystroke', 'paced', 'throughput'] as const) {
    const durable = runs.find((run) => run.store === 'sqlite' && run.run === kind);
    const memory = runs.find((run) => run.store === 'memory' && run.run === kind);
    if (!durable || !memory) continue;
    result[kind] = {
      updatesPerSecond: ratio(durable.updatesPerSecond, memory.updatesPerSecond),
      serverP50: ratio(durable.serverMs.p50, memory.serverMs.p50),
      serverP99: ratio(durable.serverMs.p99, memory.serverMs.p99),
      serverCpuPerUpdate: ratio(durable.serverCpuUsPerUpdate, memory.serverCpuUsPerUpdate),
      overheadUsPerUpdate: round(1e6 / durable.updatesPerSecond - 1e6 / memory.updatesPerSecond),
      extraCpuUsPerUpdate: round(durable.serverCpuUsPerUpdate - memory.serverCpuUsPerUpdate),
      commitUsPerUpdate: durable.appends.commitUsPerUpdate,
    };
  }
  return result;
}

/** Share of the revision budget the recommended K may use (headroom for slower machines and longer documents). */
export const REVISION_HEADROOM = 2 / 3;

export const RECOMMENDATION_RULE =
  `the largest K whose slowest revision (p50, the one just before a checkpoint included) uses at most 2/3 of the ${REVISION_BUDGET_MS} ms budget ` +
  '(headroom for slower machines and longer documents): a larger K costs less checkpoint CPU per update and less storage, ' +
  'and the revision time is dominated by applying the checkpoint (proportional to the document), not by the ≤ K − 1 updates replayed after it';

/** The slowest revision (p50) of one K, the worst case just before a checkpoint included. */
export function slowestRevision(result: HistoryResult): HistoryResult['revisions'][number] {
  return [...result.revisions, ...(result.worstCaseRevision ? [result.worstCaseRevision] : [])].reduce((worst, revision) =>
    revision.totalMs > worst.totalMs ? revision : worst,
  );
}

export function recommendCheckpointInterval(perK: readonly HistoryResult[]): number {
  const slowest = (result: HistoryResult): number => slowestRevision(result).totalMs;
  const within = perK.filter((result) => slowest(result) <= REVISION_BUDGET_MS * REVISION_HEADROOM);
  if (within.length > 0) return Math.max(...within.map((result) => result.checkpointEvery));
  return [...perK].sort((a, b) => slowest(a) - slowest(b))[0].checkpointEvery;
}

export function evaluateTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  const throughput = results.throughput?.durableOverMemory.throughput;
  if (throughput) {
    targets.push({
      name: 'durable throughput',
      target: `≥ ${THROUGHPUT_RATIO_TARGET}× memory-only (closed loop, window ${results.options.window})`,
      measured: `${throughput.updatesPerSecond}×`,
      ratio: round(throughput.updatesPerSecond / THROUGHPUT_RATIO_TARGET),
      met: throughput.updatesPerSecond >= THROUGHPUT_RATIO_TARGET,
    });
  }
  const history = results.history;
  if (history) {
    for (const perK of history.perCheckpointInterval) {
      const slowest = slowestRevision(perK);
      targets.push({
        name: `open any revision, K=${perK.checkpointEvery}`,
        target: `≤ ${REVISION_BUDGET_MS} ms`,
        measured: `${slowest.totalMs} ms (r=${slowest.revision})`,
        ratio: ratio(slowest.totalMs, REVISION_BUDGET_MS),
        met: slowest.totalMs <= REVISION_BUDGET_MS,
      });
    }
    for (const perK of history.perCheckpointInterval) {
      const slowest = perK.diffs.reduce((worst, diff) => (diff.totalMs > worst.totalMs ? diff : worst));
      targets.push({
        name: `diff any two revisions, K=${perK.checkpointEvery}`,
        target: `≤ ${DIFF_BUDGET_MS} ms`,
        measured: `${slowest.totalMs} ms (${slowest.from}→${slowest.to})`,
        ratio: ratio(slowest.totalMs, DIFF_BUDGET_MS),
        met: slowest.totalMs <= DIFF_BUDGET_MS,
      });
    }
    for (const perK of history.perCheckpointInterval) {
      const slowest = perK.coldOpens.reduce((worst, open) => (open.openMs / open.yjsMs > worst.openMs / worst.yjsMs ? open : worst));
      const measured = slowest.openMs / slowest.yjsMs;
      targets.push({
        name: `cold open ÷ Yjs loading its own snapshot, K=${perK.checkpointEvery}`,
        target: `≤ ${COLD_OPEN_RATIO_TARGET}×`,
        measured: `${round(measured)}× (r=${slowest.revision}: ${slowest.openMs} vs ${slowest.yjsMs} ms)`,
        ratio: round(measured / COLD_OPEN_RATIO_TARGET),
        met: measured <= COLD_OPEN_RATIO_TARGET,
      });
    }
    if (history.verify) {
      targets.push({
        name: 'npm run verify (chain check, SQLite)',
        target: `≥ ${VERIFY_RATE_TARGET.toLocaleString('en')} events/s`,
        measured: `${history.verify.eventsPerSecond.toLocaleString('en')} events/s (${history.verify.events.toLocaleString('en')} events)`,
        ratio: round(history.verify.eventsPerSecond / VERIFY_RATE_TARGET),
        met: history.verify.ok && history.verify.eventsPerSecond >= VERIFY_RATE_TARGET,
      });
    }
    const storage = history.updateStorage;
    const payloadRatio = storage.payloadAndMetadataBytes / storage.rawUpdateBytes;
    targets.push({
      name: 'bytes per stored update (data + metadata columns)',
      target: `≤ ${STORAGE_RATIO_TARGET}× raw update (${storage.rawUpdateBytes} B)`,
      measured: `${storage.payloadAndMetadataBytes} B = ${round(payloadRatio)}×`,
      ratio: round(payloadRatio / STORAGE_RATIO_TARGET),
      met: payloadRatio <= STORAGE_RATIO_TARGET,
    });
    const fileRatio = storage.fileBytesPerUpdate / storage.rawUpdateBytes;
    targets.push({
      name: 'bytes per stored update (SQLite file after VACUUM, updates only)',
      target: `≤ ${STORAGE_RATIO_TARGET}× raw update (${storage.rawUpdateBytes} B)`,
      measured: `${storage.fileBytesPerUpdate} B = ${round(fileRatio)}×`,
      ratio: round(fileRatio / STORAGE_RATIO_TARGET),
      met: fileRatio <= STORAGE_RATIO_TARGET,
    });
  }
  return targets;
}
