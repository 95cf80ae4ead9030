import type { LoadTargetKind } from './load/load-accounting';
import type { StoreKind } from './throughput/throughput-phase';
import type { BenchTraceName } from './trace';

export interface BenchOptions {
  readonly trace: BenchTraceName;
  /** Only the first N transactions of the trace, for everything (smoke runs); null: all of it. */
  readonly limit: number | null;
  /** Updates typed through the server in the throughput run (default: the whole trace). */
  readonly updates: number | null;
  readonly window: number;
  /** The throughput run alternates between the stores every `chunk` updates. */
  readonly chunk: number;
  readonly keystrokeUpdates: number;
  readonly pacedRate: number;
  readonly pacedUpdates: number;
  readonly warmupUpdates: number;
  readonly stores: readonly StoreKind[];
  readonly checkpointIntervals: readonly number[];
  readonly revisionRuns: number;
  readonly diffRuns: number;
  readonly machine: string | null;
  readonly skipThroughput: boolean;
  readonly skipHistory: boolean;
  /** Write results somewhere else than tools/bench/results (smoke runs). */
  readonly resultsDir: string | null;
  /** Only re-render the .md next to this results JSON (after a change to the report), measure nothing. */
  readonly render: string | null;
  /** `load`: run only the load benchmark and its concurrent phase (no trace typing, throughput or history); `concurrent`: only the concurrent phase; `pg-appends`: only PostgreSQL appends/s. */
  readonly only: 'load' | 'concurrent' | 'pg-appends' | null;
  readonly skipLoad: boolean;
  /** Leave out the load benchmark's concurrent phase (clownschool replayed by three clients). */
  readonly skipConcurrent: boolean;
  /** Concurrent phase: replay only the first N transactions of clownschool; null: all 23,136. */
  readonly concurrentTxns: number | null;
  /** Concurrent phase: at most W of a client's own transactions not yet received by the other two. */
  readonly concurrentWindow: number;
  /** Concurrent phase: give up on a target after this many seconds of replay. */
  readonly concurrentTimeout: number;
  /** Load benchmark: D documents × E editors × R updates/s each, one observer per document. */
  readonly docs: number;
  readonly editors: number;
  readonly rate: number;
  /** Seconds measured, after `loadWarmup` seconds of the same load; `grace` seconds more before a missing update is lost. */
  readonly duration: number;
  readonly loadWarmup: number;
  readonly grace: number;
  readonly loadTargets: readonly LoadTargetKind[];
  readonly clientProcesses: number;
  /** PostgreSQL server for the two-node target (a fresh database is created in it); null: that target is not run. */
  readonly databaseUrl: string | null;
  /** `--only=pg-appends`: concurrent writers of each run, seconds measured after `pgWarmup` seconds. */
  readonly pgWriters: readonly number[];
  readonly pgSeconds: number;
  readonly pgWarmup: number;
}

export const USAGE = `npm run bench -- [options]
  --trace=automerge-paper|seph-blog1   workload (default automerge-paper)
  --limit=N              use only the first N transactions for everything (default: all)
  --updates=N            updates in the throughput run (default: the whole trace)
  --window=W             most unacknowledged updates in flight (default 256; at most 1000,
                         the server's per-connection limit of edits waiting for the store)
  --chunk=N              the throughput run alternates stores every N updates (default 20000)
  --keystroke-updates=N  updates typed one at a time (default 1000)
  --paced-rate=R         offered updates/s of the paced run (default 2000)
  --paced-updates=N      updates of the paced run (default 20000)
  --warmup=N             warm-up updates per store (default 5000)
  --stores=memory,sqlite
  --k=100,500,1000       checkpoint intervals for the history phase
  --revision-runs=N      runs per revision (default 5); --diff-runs=N (default 3)
  --skip-throughput | --skip-history
  --machine=NAME         name in the results file (default: the host name)
  --results-dir=DIR      where to write results (default tools/bench/results)
  --render=FILE.json     measure nothing: re-render FILE.md from FILE.json with the current report code
  --quick                a smoke run: the first 30k transactions only, K=500, 2 runs each, and a small
                         load run (4 docs × 2 editors, 8 s); results in tmp/bench-results unless --results-dir
 load benchmark (issue 11 point 3; needs the built api: nx build api; PostgreSQL for the two-node target):
  --only=load            run only the load benchmark     --skip-load   run everything but it
  --docs=D --editors=E --rate=R    documents, editors per document, updates/s per editor (default 50, 5, 4)
  --duration=S           seconds measured (default 60), after --load-warmup=S (default 5); --grace=S (default 5)
                         after the last send before an unseen update counts as lost
  --load-targets=memory,sqlite,postgres    which servers (default all three, in that order)
  --client-processes=N   child processes the clients are spread over (default 3)
  --database-url=URL     PostgreSQL for the two-node target (default $DATABASE_URL; without it that target is not run)
 PostgreSQL appends (issue 11 point 2; needs --database-url or $DATABASE_URL):
  --only=pg-appends      single-event appends/s, one transaction per append vs group commit
  --pg-writers=1,100     concurrent writers of each run (default 1,100)
  --pg-seconds=S         seconds measured per run (default 5, --quick 2), after --pg-warmup=S (default 1)
 concurrent phase of the load benchmark (clownschool, three people, replayed with its causal waits on the same targets):
  --only=concurrent      run only it                     --skip-concurrent   leave it out of --only=load and the full run
  --concurrent-txns=N    first N transactions (default: all 23,136; --quick: 3,000)
  --concurrent-window=W  most of a client's own transactions not yet received by the other clients (default 256)
  --concurrent-timeout=S give up on a target after S seconds of replay (default 900)`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) throw new Error(`unknown argument ${argument}\n${USAGE}`);
    values.set(match[1], match[2] ?? 'true');
  }
  const known = new Set(['trace', 'limit', 'updates', 'window', 'chunk', 'keystroke-updates', 'paced-rate', 'paced-updates', 'warmup', 'stores', 'k', 'revision-runs', 'diff-runs', 'machine', 'skip-throughput', 'skip-history', 'results-dir', 'render', 'quick', 'help', 'only', 'skip-load', 'docs', 'editors', 'rate', 'duration', 'load-warmup', 'grace', 'load-targets', 'client-processes', 'database-url', 'pg-writers', 'pg-seconds', 'pg-warmup', 'skip-concurrent', 'concurrent-txns', 'concurrent-window', 'concurrent-timeout']);
  for (const key of values.keys()) if (!known.has(key)) throw new Error(`unknown option --${key}\n${USAGE}`);
  if (values.has('help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.has('quick');
  const integer = (key: string, fallback: number): number => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${key} must be a non-negative integer, got ${raw}`);
    return value;
  };
  const list = <T extends string>(key: string, fallback: string, allowed?: readonly T[]): T[] => {
    const items = (values.get(key) ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
    if (allowed) for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${key}: ${item} is not one of ${allowed.join(', ')}`);
    return items as T[];
  };
  const trace = values.get('trace') ?? 'automerge-paper';
  if (trace !== 'automerge-paper' && trace !== 'seph-blog1') throw new Error(`--trace must be automerge-paper or seph-blog1`);
  const intervals = list('k', quick ? '500' : '100,500,1000').map(Number);
  if (intervals.some((k) => !Number.isSafeInteger(k) || k < 1)) throw new Error('--k takes positive integers');
  const window = Math.max(1, integer('window', 256));
  if (window > 1_000) throw new Error('--window above 1000 makes the server close the connection (maxPendingEditsPerConnection)');
  return {
    trace,
    limit: values.has('limit') ? Math.max(1, integer('limit', 0)) : quick ? 30_000 : null,
    updates: values.has('updates') ? Math.max(1, integer('updates', 0)) : null,
    window,
    chunk: Math.max(1, integer('chunk', quick ? 10_000 : 20_000)),
    keystrokeUpdates: Math.max(1, integer('keystroke-updates', quick ? 300 : 1_000)),
    pacedRate: Math.max(1, integer('paced-rate', 2_000)),
    pacedUpdates: Math.max(1, integer('paced-updates', quick ? 4_000 : 20_000)),
    warmupUpdates: integer('warmup', quick ? 2_000 : 5_000),
    stores: list<StoreKind>('stores', 'memory,sqlite', ['memory', 'sqlite']),
    checkpointIntervals: intervals,
    revisionRuns: Math.max(1, integer('revision-runs', quick ? 2 : 5)),
    diffRuns: Math.max(1, integer('diff-runs', quick ? 2 : 3)),
    machine: values.get('machine') ?? null,
    skipThroughput: values.has('skip-throughput'),
    skipHistory: values.has('skip-history'),
    resultsDir: values.get('results-dir') ?? (quick ? 'tmp/bench-results' : null),
    render: values.get('render') ?? null,
    only: only(values.get('only')),
    skipLoad: values.has('skip-load'),
    skipConcurrent: values.has('skip-concurrent'),
    concurrentTxns: values.has('concurrent-txns') ? Math.max(1, integer('concurrent-txns', 0)) : quick ? 3_000 : null,
    concurrentWindow: Math.max(1, integer('concurrent-window', 256)),
    concurrentTimeout: Math.max(1, integer('concurrent-timeout', 900)),
    docs: Math.max(1, integer('docs', quick ? 4 : 50)),
    editors: Math.max(1, integer('editors', quick ? 2 : 5)),
    rate: Math.max(1, integer('rate', 4)),
    duration: Math.max(1, integer('duration', quick ? 8 : 60)),
    loadWarmup: integer('load-warmup', quick ? 2 : 5),
    grace: Math.max(1, integer('grace', quick ? 3 : 5)),
    loadTargets: list<LoadTargetKind>('load-targets', 'memory,sqlite,postgres', ['memory', 'sqlite', 'postgres']),
    clientProcesses: Math.max(1, integer('client-processes', quick ? 2 : 3)),
    databaseUrl: values.get('database-url') ?? (process.env['DATABASE_URL'] || null),
    pgWriters: positiveIntegers(list('pg-writers', '1,100'), 'pg-writers'),
    pgSeconds: Math.max(1, integer('pg-seconds', quick ? 2 : 5)),
    pgWarmup: integer('pg-warmup', 1),
  };
}

function only(value: string | undefined): 'load' | 'concurrent' | 'pg-appends' | null {
  if (value === undefined) return null;
  if (value !== 'load' && value !== 'concurrent' && value !== 'pg-appends') throw new Error(`--only takes load, concurrent or pg-appends, got ${value}`);
  return value;
}

function positiveIntegers(items: readonly string[], key: string): number[] {
  const numbers = items.map(Number);
  if (numbers.length === 0 || numbers.some((value) => !Number.isSafeInteger(value) || value < 1)) throw new Error(`--${key} takes positive integers`);
  return numbers;
}
