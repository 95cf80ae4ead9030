/** `--only=pg-appends` results: JSON (every figure) and markdown (readable). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineFacts } from '../machine';
import type { LoadSample } from '../results';
import { round } from '../stats';
import type { PgAppendRun, PgAppendsPhaseResult } from './pg-appends-phase';

/** Issue 11 point 2: at least this many single-event appends/s from 100 concurrent writers, with group commit. */
export const PG_APPENDS_TARGET = { writers: 100, appendsPerSecond: 5_000 } as const;

export interface PgAppendsTarget {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  /** null when the run had no group-commit run with that many writers. */
  readonly met: boolean | null;
}

export interface PgAppendsResults extends PgAppendsPhaseResult {
  readonly schema: 1;
  readonly kind: 'pg-appends';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly machine: MachineFacts;
  /** `uptime` at the start and end: other work shares the machine. */
  readonly uptime: readonly string[];
  readonly load: readonly LoadSample[];
  readonly warmupSeconds: number;
  readonly targets: readonly PgAppendsTarget[];
}

export function evaluatePgAppendsTarget(runs: readonly PgAppendRun[]): PgAppendsTarget {
  const run = runs.find((candidate) => candidate.mode === 'group-commit' && candidate.writers === PG_APPENDS_TARGET.writers);
  return {
    name: `single-event appends/s from ${PG_APPENDS_TARGET.writers} concurrent writers, group commit`,
    target: `≥ ${PG_APPENDS_TARGET.appendsPerSecond.toLocaleString('en')}`,
    measured: run ? run.appendsPerSecond.toLocaleString('en') : 'not run',
    met: run ? run.appendsPerSecond >= PG_APPENDS_TARGET.appendsPerSecond : null,
  };
}

export function writePgAppendsResults(directory: string, name: string, results: PgAppendsResults): { json: string; markdown: string } {
  mkdirSync(directory, { recursive: true });
  const paths = { json: join(directory, `${name}.json`), markdown: join(directory, `${name}.md`) };
  writeFileSync(paths.json, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(paths.markdown, renderPgAppendsMarkdown(results));
  return paths;
}

const n = (value: number): string => (Number.isFinite(value) ? round(value).toLocaleString('en') : 'n/a');
const row = (cells: ReadonlyArray<string | number>): string => `| ${cells.map((cell) => (typeof cell === 'number' ? n(cell) : cell)).join(' | ')} |`;
const header = (cells: readonly string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`;
const MODE_NAMES: Record<PgAppendRun['mode'], string> = {
  'per-append': 'one transaction per append (before)',
  'group-commit': 'group commit',
};

export function renderPgAppendsMarkdown(results: PgAppendsResults): string {
  const lines = [
    `# PostgreSQL appends: one transaction per append vs group commit — ${results.startedAt.slice(0, 10)}`,
    '',
    `\`${results.command}\` — ${results.machine.cpuModel}, ${results.machine.cores} cores, ${results.machine.ramGiB} GiB, Node ${results.machine.node};`,
    `PostgreSQL ${results.server.version} on the same machine (synchronous_commit=${results.server.synchronousCommit}, fsync=${results.server.fsync}).`,
    '',
    'Machine load (`uptime`; other work shared the cores):',
    '',
    ...results.uptime.map((line) => `- ${line}`),
    '',
    `Each run: a fresh database, single-event appends (~150 B JSON) by W writers, each to its own stream with the exact`,
    `expected revision, awaiting each append before the next; ${results.warmupSeconds} s warm-up, then the appends acknowledged`,
    'within the window are counted. "Appends per transaction": rows ÷ distinct inserting transactions (xmin) over',
    'the whole run, i.e. the mean group-commit batch. The old path uses the store\'s pool (10 connections), so at most 10 transactions wait on the lock.',
    '',
    header(['mode', 'writers', 'appends/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'appends per transaction']),
    ...results.runs.map((run) =>
      row([MODE_NAMES[run.mode], run.writers, run.appendsPerSecond, run.latencyMs.p50, run.latencyMs.p90, run.latencyMs.p99, run.latencyMs.max, run.appendsPerTransaction]),
    ),
    '',
    header(['writers', 'group ÷ before, appends/s', 'group ÷ before, p50 latency']),
    ...results.comparisons.map((comparison) => row([comparison.writers, `${n(comparison.appendsPerSecond)}×`, `${n(comparison.latencyP50)}×`])),
    '',
    header(['target', 'limit', 'measured', '']),
    ...results.targets.map((target) => row([target.name, target.target, target.measured, target.met === null ? 'not run' : target.met ? 'met' : 'MISSED'])),
    '',
  ];
  return lines.join('\n');
}
