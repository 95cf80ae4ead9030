/**
 * `--only=pg-appends` (issue 11 point 2): single-event appends/s to a fresh PostgreSQL schema, one
 * transaction per append (the path before group commit, `groupCommit: false`) against group commit,
 * with 1 sequential writer and with W concurrent writers, in the same run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PostgresEventStore } from '@concord/event-store';
import { distributionOf, Distribution, ratio, round } from '../stats';

export type PgAppendMode = 'per-append' | 'group-commit';
export const PG_APPEND_MODES: readonly PgAppendMode[] = ['per-append', 'group-commit'];

export interface PgAppendRun {
  readonly mode: PgAppendMode;
  readonly writers: number;
  /** Appends acknowledged in the measured window (after the warm-up). */
  readonly appends: number;
  readonly seconds: number;
  readonly appendsPerSecond: number;
  /** Time from append() to its acknowledgement, ms. */
  readonly latencyMs: Distribution;
  /**
   * Events stored per transaction that wrote any, over the whole run (warm-up included): rows of
   * the events table ÷ their distinct xmin. 1 for one transaction per append; the mean batch size
   * for group commit.
   */
  readonly appendsPerTransaction: number;
}

export interface PgAppendComparison {
  readonly writers: number;
  /** group commit ÷ one transaction per append. */
  readonly appendsPerSecond: number;
  readonly latencyP50: number;
}

export interface PgAppendsPhaseResult {
  readonly server: { readonly version: string; readonly synchronousCommit: string; readonly fsync: string };
  readonly runs: readonly PgAppendRun[];
  readonly comparisons: readonly PgAppendComparison[];
}

export interface PgAppendsPhaseOptions {
  readonly databaseUrl: string;
  readonly writers: readonly number[];
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly progress: (line: string) => void;
}

export async function runPgAppendsPhase(options: PgAppendsPhaseOptions): Promise<PgAppendsPhaseResult> {
  const admin = new Client({ connectionString: options.databaseUrl });
  await admin.connect();
  try {
    const setting = async (name: string): Promise<string> => (await admin.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name])).rows[0].value;
    const server = { version: await setting('server_version'), synchronousCommit: await setting('synchronous_commit'), fsync: await setting('fsync') };
    const runs: PgAppendRun[] = [];
    // Writers outer, modes inner: the two modes of one writer count run back to back, under the same load.
    for (const writers of options.writers) {
      for (const mode of PG_APPEND_MODES) {
        options.progress(`  ${mode}, ${writers} writer${writers === 1 ? '' : 's'}: ${options.warmupSeconds} s warm-up + ${options.seconds} s…`);
        const run = await measure(admin, options, mode, writers);
        options.progress(`    ${run.appendsPerSecond.toLocaleString('en')} appends/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${run.appendsPerTransaction} appends per transaction`);
        runs.push(run);
      }
    }
    return { server, runs, comparisons: compareModes(runs) };
  } finally {
    await admin.end();
  }
}

export function compareModes(runs: readonly PgAppendRun[]): PgAppendComparison[] {
  const writerCounts = [...new Set(runs.map((run) => run.writers))];
  return writerCounts.flatMap((writers) => {
    const perAppend = runs.find((run) => run.writers === writers && run.mode === 'per-append');
    const group = runs.find((run) => run.writers === writers && run.mode === 'group-commit');
    if (!perAppend || !group) return [];
    return [{
      writers,
      appendsPerSecond: ratio(group.appendsPerSecond, perAppend.appendsPerSecond),
      latencyP50: ratio(group.latencyMs.p50, perAppend.latencyMs.p50),
    }];
  });
}

/** One run: a fresh database, dropped afterwards. */
async function measure(admin: Client, options: PgAppendsPhaseOptions, mode: PgAppendMode, writers: number): Promise<PgAppendRun> {
  const database = `bench_pg_appends_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(options.databaseUrl);
  url.pathname = `/${database}`;
  const store = new PostgresEventStore(url.toString(), { schema: 'bench', groupCommit: mode === 'group-commit' });
  try {
    await store.append('bench-setup', [event(0)]);
    const windowStart = performance.now() + options.warmupSeconds * 1000;
    const windowEnd = windowStart + options.seconds * 1000;
    const latencies: number[] = [];
    // Each writer appends to its own stream (one document per writer), with the exact expected revision.
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const stream = `bench-doc-${writer}`;
        for (let revision = -1; performance.now() < windowEnd; revision += 1) {
          const sent = performance.now();
          await store.append(stream, [event(revision + 1)], { expectedRevision: revision === -1 ? 'no_stream' : revision });
          const acknowledged = performance.now();
          // Counted: the appends acknowledged inside the window.
          if (acknowledged >= windowStart && acknowledged <= windowEnd) latencies.push(acknowledged - sent);
        }
      }),
    );
    const transactions = await countTransactions(url.toString());
    const latencyMs = distributionOf(latencies);
    return {
      mode,
      writers,
      appends: latencies.length,
      seconds: options.seconds,
      appendsPerSecond: round(latencies.length / options.seconds),
      latencyMs: { ...latencyMs, mean: round(latencyMs.mean), p50: round(latencyMs.p50), p90: round(latencyMs.p90), p99: round(latencyMs.p99), max: round(latencyMs.max) },
      appendsPerTransaction: round(transactions.events / transactions.transactions),
    };
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

/** A small domain event (~150 B of JSON), as the API appends for a comment or a status change. */
function event(index: number) {
  return {
    id: randomUUID(),
    type: 'CommentAdded',
    data: { index, commentId: randomUUID(), text: 'Looks good to me, one remark on section 2.' },
    metadata: { userId: 'bench-writer' },
  };
}

/** Events stored and distinct transactions that inserted them (xmin), in the run's database. */
async function countTransactions(url: string): Promise<{ events: number; transactions: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; transactions: string }>(
      'SELECT count(*) AS events, count(DISTINCT xmin::text) AS transactions FROM bench.events',
    );
    return { events: Number(rows[0].events), transactions: Number(rows[0].transactions) };
  } finally {
    await client.end();
  }
}
