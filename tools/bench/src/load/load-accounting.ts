/**
 * Pure parts of the load benchmark: the text an editor inserts (its id and send order), the
 * accounting of sent vs observed updates (latency, loss), and the targets of issue 11 point 3.
 * No I/O here, so the unit spec covers it exactly.
 */
import { Distribution, distributionOf, percentile, ratio, round } from '../stats';

/**
 * The text one update inserts: `<editor>:<seq>;` — editor index within its document and the
 * editor's send counter. The observer finds every token in what an update inserted.
 */
export function updateToken(editor: number, seq: number): string {
  return `${editor}:${seq};`;
}

const TOKEN = /(\d+):(\d+);/g;

/** Every (editor, seq) in inserted text, in order. Tokens are only ever inserted whole. */
export function parseTokens(inserted: string): Array<{ editor: number; seq: number }> {
  const found: Array<{ editor: number; seq: number }> = [];
  for (const match of inserted.matchAll(TOKEN)) found.push({ editor: Number(match[1]), seq: Number(match[2]) });
  return found;
}

/** Every token an observed text change inserted (a Y.Text event's delta: inserts, retains, deletes). */
export function insertedTokens(delta: ReadonlyArray<{ readonly insert?: unknown }>): Array<{ editor: number; seq: number }> {
  return delta.flatMap((change) => (typeof change.insert === 'string' ? parseTokens(change.insert) : []));
}

/** One editor's sends as its process recorded them, and the observer's receive times (same process clock). */
export interface EditorRecord {
  /** performance.now() when update seq was handed to the provider (NaN: not sent). */
  readonly sentAt: ArrayLike<number>;
  /** Whether update seq was sent during the measurement window (warm-up sends are not counted). */
  readonly measured: ArrayLike<boolean | number>;
  /** performance.now() when the observer applied update seq (NaN: never seen). */
  readonly seenAt: ArrayLike<number>;
}

export interface Accounting {
  /** Updates sent in the measurement window. */
  readonly sent: number;
  /** Of those, observed (before the end of the grace period). */
  readonly observed: number;
  readonly lost: number;
  /** End-to-end latency of every observed measured update, ms. */
  readonly latencies: number[];
}

/** Latency and loss of the measured updates of a set of editors. */
export function account(records: readonly EditorRecord[]): Accounting {
  let sent = 0;
  let observed = 0;
  const latencies: number[] = [];
  for (const record of records) {
    for (let seq = 0; seq < record.sentAt.length; seq++) {
      if (!record.measured[seq] || Number.isNaN(record.sentAt[seq])) continue;
      sent += 1;
      const seen = seq < record.seenAt.length ? record.seenAt[seq] : Number.NaN;
      if (Number.isNaN(seen)) continue;
      observed += 1;
      latencies.push(seen - record.sentAt[seq]);
    }
  }
  return { sent, observed, lost: sent - observed, latencies };
}

export interface LatencySummary extends Distribution {
  readonly p95: number;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const base = distributionOf(sorted);
  return {
    count: base.count,
    mean: round(base.mean),
    p50: round(base.p50),
    p90: round(base.p90),
    p95: round(percentile(sorted, 0.95)),
    p99: round(base.p99),
    max: round(base.max),
  };
}

export type LoadTargetKind = 'memory' | 'sqlite' | 'postgres';

export interface LoadScale {
  readonly docs: number;
  readonly editors: number;
  /** Updates/s per editor. */
  readonly rate: number;
  readonly durationS: number;
}

/** The issue's scale: 50 documents × 5 editors × 4 updates/s = 1,000 updates/s. */
export const ISSUE_SCALE: LoadScale = { docs: 50, editors: 5, rate: 4, durationS: 60 };
export const P99_LIMIT_MS: Record<Exclude<LoadTargetKind, 'memory'>, number> = { sqlite: 50, postgres: 100 };
export const P50_RATIO_LIMIT = 2;
/** Achieved ÷ offered rate below which the run did not keep up. */
export const ACHIEVED_SHARE = 0.99;

export function offeredRate(scale: LoadScale): number {
  return scale.docs * scale.editors * scale.rate;
}

export function atIssueScale(scale: LoadScale): boolean {
  return offeredRate(scale) >= offeredRate(ISSUE_SCALE) && scale.docs >= ISSUE_SCALE.docs && scale.editors >= ISSUE_SCALE.editors;
}

/** What one target's run measured, as far as the targets need it. */
export interface TargetFigures {
  readonly kind: LoadTargetKind;
  readonly latency: LatencySummary;
  readonly sent: number;
  readonly lost: number;
  readonly achievedPerSecond: number;
  /** Measured facts that explain a miss (server event-loop delay, CPU, commits…), one line each. */
  readonly reasons: readonly string[];
}

export interface LoadTarget {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  /** The figure is within the limit at the scale that ran. */
  readonly withinLimit: boolean;
  /** Within the limit AND measured at the issue's scale (a smaller run proves nothing about the target). */
  readonly met: boolean;
  /** Measured reasons, given when the figure is not within the limit. */
  readonly reason: string;
}

export function evaluateLoadTargets(scale: LoadScale, runs: readonly TargetFigures[]): LoadTarget[] {
  const fullScale = atIssueScale(scale);
  const memory = runs.find((run) => run.kind === 'memory');
  const targets: LoadTarget[] = [];
  const add = (name: string, limit: string, measured: string, within: boolean, run: TargetFigures): void => {
    targets.push({ name, limit, measured, withinLimit: within, met: within && fullScale, reason: within ? '' : run.reasons.join('; ') });
  };
  const offered = offeredRate(scale);
  for (const run of runs) {
    if (run.kind === 'memory') continue;
    const label = run.kind === 'sqlite' ? 'SQLite, one node' : 'PostgreSQL, two nodes';
    add(`${label}: offered rate achieved`, `≥ ${Math.round(ACHIEVED_SHARE * 100)}% of ${offered.toLocaleString('en')} updates/s`, `${run.achievedPerSecond.toLocaleString('en')} updates/s`, run.achievedPerSecond >= ACHIEVED_SHARE * offered, run);
    add(`${label}: no loss`, '0 lost', `${run.lost.toLocaleString('en')} of ${run.sent.toLocaleString('en')} lost`, run.lost === 0 && run.sent > 0, run);
    const p99Limit = P99_LIMIT_MS[run.kind];
    add(`${label}: p99 end to end`, `≤ ${p99Limit} ms`, `${run.latency.p99} ms`, run.latency.count > 0 && run.latency.p99 <= p99Limit, run);
    if (memory && memory.latency.count > 0) {
      const p50Ratio = ratio(run.latency.p50, memory.latency.p50);
      add(`${label}: p50 ÷ memory-only p50`, `≤ ${P50_RATIO_LIMIT}×`, `${p50Ratio}× (${run.latency.p50} vs ${memory.latency.p50} ms)`, p50Ratio <= P50_RATIO_LIMIT, run);
    }
  }
  return targets;
}

export interface CdfPoint {
  /** Latency, ms. */
  readonly ms: number;
  /** Share of updates at or below it, 0..1. */
  readonly share: number;
}

/** At most `points` + a few points of the empirical CDF of `samples` (quantiles, tail and max kept). */
export function cdfPoints(samples: ArrayLike<number>, points = 200): CdfPoint[] {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return [];
  const shares = new Set<number>();
  for (let index = 1; index <= points; index++) shares.add(index / points);
  for (const tail of [0.001, 0.01, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999]) shares.add(tail);
  return [...shares]
    .sort((a, b) => a - b)
    .map((share) => ({ ms: percentile(sorted, share), share }));
}
