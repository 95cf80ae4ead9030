/** Pure summary of a server probe's per-second lines (server-probe.cjs) over the measurement window. */
import { round } from '../stats';

export interface ProbeLineLike {
  readonly t: number;
  readonly loop: { readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly cpuMs: number;
  readonly tx: Record<string, { count: number; ms: number; max: number }>;
  readonly pg: Record<string, { count: number; ms: number; max: number }>;
}

export interface TimedWork {
  readonly name: string;
  readonly count: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** Milliseconds spent in it per second of the window (for SQLite: the event loop is blocked meanwhile). */
  readonly msPerSecond: number;
}

export interface ProbeSummary {
  /** Seconds of probe lines inside the window. */
  readonly seconds: number;
  /** Event-loop delay, ms: median of the per-second p50s, worst per-second p99, max. */
  readonly loopDelayP50: number;
  readonly loopDelayWorstP99: number;
  readonly loopDelayMax: number;
  /** CPU of the server process, % of one core. */
  readonly cpuPercent: number;
  /** better-sqlite3 transactions per database file (statements + COMMIT with its fsync). */
  readonly sqliteTransactions: TimedWork[];
  /** pg queries by kind (first 48 characters), most time first, at most 6. */
  readonly pgQueries: TimedWork[];
}

function merge(lines: readonly ProbeLineLike[], pick: (line: ProbeLineLike) => Record<string, { count: number; ms: number; max: number }>, seconds: number): TimedWork[] {
  const totals = new Map<string, { count: number; ms: number; max: number }>();
  for (const line of lines) {
    for (const [name, entry] of Object.entries(pick(line))) {
      const total = totals.get(name) ?? { count: 0, ms: 0, max: 0 };
      total.count += entry.count;
      total.ms += entry.ms;
      total.max = Math.max(total.max, entry.max);
      totals.set(name, total);
    }
  }
  return [...totals.entries()]
    .map(([name, total]) => ({ name, count: total.count, meanMs: round(total.ms / total.count), maxMs: round(total.max), msPerSecond: round(total.ms / Math.max(1, seconds)) }))
    .sort((a, b) => b.msPerSecond - a.msPerSecond);
}

/** Lines stamped within (fromMs, toMs] (each line covers the second before its stamp). */
export function summarizeProbe(all: readonly ProbeLineLike[], fromMs: number, toMs: number): ProbeSummary | null {
  const lines = all.filter((line) => line.t > fromMs && line.t <= toMs);
  if (lines.length === 0) return null;
  // A blocked event loop writes its lines late: each covers the time since the line before it.
  const first = all.indexOf(lines[0]);
  const since = first > 0 ? all[first - 1].t : lines[0].t - 1000;
  const seconds = Math.max(1, (lines[lines.length - 1].t - since) / 1000);
  const p50s = lines.map((line) => line.loop.p50).sort((a, b) => a - b);
  return {
    seconds,
    loopDelayP50: round(p50s[Math.floor((p50s.length - 1) / 2)]),
    loopDelayWorstP99: round(Math.max(...lines.map((line) => line.loop.p99))),
    loopDelayMax: round(Math.max(...lines.map((line) => line.loop.max))),
    cpuPercent: round((lines.reduce((sum, line) => sum + line.cpuMs, 0) / (seconds * 1000)) * 100),
    sqliteTransactions: merge(lines, (line) => line.tx, seconds),
    pgQueries: merge(lines, (line) => line.pg, seconds).slice(0, 6),
  };
}

/** One line of measured facts about a server, for the reason of a missed target. */
export function describeServer(name: string, summary: ProbeSummary | null): string {
  if (!summary) return `${name}: no probe data in the window`;
  const parts = [`${name}: CPU ${summary.cpuPercent}% of a core, event-loop delay p50 ${summary.loopDelayP50} ms, worst 1-s p99 ${summary.loopDelayWorstP99} ms, max ${summary.loopDelayMax} ms`];
  for (const work of summary.sqliteTransactions.slice(0, 2)) {
    parts.push(`SQLite transaction "${work.name}": ${work.count} × mean ${work.meanMs} ms (max ${work.maxMs} ms), ${work.msPerSecond} ms/s blocking the loop`);
  }
  const busiest = summary.pgQueries[0];
  if (busiest) parts.push(`busiest pg query "${busiest.name}": ${busiest.count} × mean ${busiest.meanMs} ms (max ${busiest.maxMs} ms)`);
  return parts.join('; ');
}

/** The aggregate `cpu` line of /proc/stat: jiffies idle (idle + iowait) and in total. */
export function parseProcStat(text: string): { idle: number; total: number } | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 5 || fields.some((field) => !Number.isFinite(field))) return null;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const total = fields.slice(0, 8).reduce((sum, field) => sum + field, 0);
  return { idle: fields[3] + fields[4], total };
}

/** Share of all cores busy between two /proc/stat readings, %. */
export function busyPercent(before: { idle: number; total: number }, after: { idle: number; total: number }): number {
  const total = after.total - before.total;
  return total > 0 ? round(((total - (after.idle - before.idle)) / total) * 100) : Number.NaN;
}
