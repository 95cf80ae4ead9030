/**
 * Issue 11 point 3, the concurrent phase: a real concurrent trace (clownschool, three people)
 * replayed through each target of the load benchmark with the same causal waits — one stock
 * y-websocket client per person, all in one child process (concurrent-clients.ts) — and its total
 * time compared with the memory-only relay's (target: within 3×).
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { TRACES_DIR } from '@concord/content/testing';
import { Distribution, distributionOf, ratio, round } from '../stats';
import type { ConcurrentRunReport, Endpoint, FromConcurrentClients, ToConcurrentClients } from './concurrent-protocol';
import type { LoadTargetKind } from './load-accounting';
import { LoadTarget, readProbe, scratchDirectory, startMemoryRelay, startPostgresTarget, startSqliteTarget } from './load-servers';
import { describeServer, ProbeSummary, summarizeProbe } from './probe-summary';

export const CONCURRENT_TRACE = 'clownschool';
export const CONCURRENT_TRACE_PATH = join(TRACES_DIR, `${CONCURRENT_TRACE}.json.gz`);
export const CONCURRENT_TRACE_SOURCE = 'clownschool: Joseph Gentle, josephg/editing-traces (CC BY 4.0); three people typing concurrently';
/** Total time of a Concord target ÷ the memory-only relay's, at most. */
export const CONCURRENT_LIMIT = 3;

export interface ConcurrentPhaseOptions {
  readonly targets: readonly LoadTargetKind[];
  /** First N transactions only; null: the whole trace. */
  readonly txns: number | null;
  readonly window: number;
  readonly databaseUrl: string | null;
  readonly timeoutS: number;
  readonly progress: (line: string) => void;
}

export interface ConcurrentAgentFigures {
  readonly agent: number;
  readonly clientId: number;
  readonly endpoint: string;
  readonly txns: number;
  readonly converged: boolean;
  readonly roundTripWaits: Distribution & { readonly totalMs: number };
  readonly heldBack: Distribution & { readonly totalMs: number };
  readonly windowWaits: Distribution & { readonly totalMs: number };
}

export interface ConcurrentRun {
  readonly kind: LoadTargetKind;
  readonly description: string;
  readonly txns: number;
  readonly expectedLength: number;
  readonly expected: ConcurrentRunReport['expected'];
  readonly totalMs: number;
  readonly sendMs: number;
  readonly txnsPerSecond: number;
  /** Every agent's document and a fresh observer equal the expected text. */
  readonly converged: boolean;
  readonly observerConverged: boolean;
  readonly observerError: string | null;
  /** Fresh observer started → synced: includes waiting while a lagging node refuses tickets (503). */
  readonly observerSyncMs: number;
  /**
   * Round-trip waits over all agents (ms): a transaction held back until an edit of another person
   * it builds on had arrived, counted from the later of (held back, that edit sent).
   */
  readonly roundTripWaits: Distribution & { readonly totalMs: number };
  /** The same transactions' whole time held back (also while the other person had not typed the edit yet). */
  readonly heldBack: Distribution & { readonly totalMs: number };
  readonly windowWaits: Distribution & { readonly totalMs: number };
  readonly agents: readonly ConcurrentAgentFigures[];
  readonly clientCpuPercent: number;
  readonly disconnects: number;
  readonly servers: ReadonlyArray<{ readonly name: string; readonly probe: ProbeSummary | null; readonly warnings: readonly string[]; readonly summary: string }>;
  /** This run ÷ the memory-only run (null for that one, or when it did not run). */
  readonly overMemory: { readonly totalTime: number; readonly roundTripP50: number; readonly roundTripP99: number } | null;
  /** overMemory.totalTime ≤ CONCURRENT_LIMIT (null for the memory-only run). */
  readonly met: boolean | null;
}

export interface ConcurrentPhaseResult {
  readonly trace: string;
  readonly source: string;
  readonly window: number;
  /** First N transactions; null: the whole trace. */
  readonly limit: number | null;
  readonly runs: ConcurrentRun[];
  readonly notRun: ReadonlyArray<{ readonly kind: LoadTargetKind; readonly reason: string }>;
}

function waits(samples: ArrayLike<number>): Distribution & { totalMs: number } {
  let total = 0;
  for (let index = 0; index < samples.length; index++) total += samples[index];
  const distribution = distributionOf(samples);
  return {
    count: distribution.count,
    mean: round(distribution.mean),
    p50: round(distribution.p50),
    p90: round(distribution.p90),
    p99: round(distribution.p99),
    max: round(distribution.max),
    totalMs: round(total),
  };
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    out.set(array, at);
    at += array.length;
  }
  return out;
}

/** Agents alternate between the editor node (A) and the observer node (B); on one node both are the same. */
export function agentEndpoints(target: Pick<LoadTarget, 'editorUrl' | 'observerUrl' | 'editorCredential' | 'observerCredential'>, agents: number): Endpoint[] {
  return Array.from({ length: agents }, (_, agent) =>
    agent % 2 === 0 ? { url: target.editorUrl, credential: target.editorCredential(agent) } : { url: target.observerUrl, credential: target.observerCredential },
  );
}

async function startTarget(kind: LoadTargetKind, directory: string, options: ConcurrentPhaseOptions): Promise<LoadTarget> {
  if (kind === 'memory') return startMemoryRelay(directory);
  if (kind === 'sqlite') return startSqliteTarget(directory, 1);
  if (!options.databaseUrl) throw new Error('no DATABASE_URL');
  return startPostgresTarget(directory, 1, options.databaseUrl);
}

function runClients(request: ToConcurrentClients, progress: (line: string) => void): { result: Promise<ConcurrentRunReport>; child: ChildProcess } {
  const child = fork(join(__dirname, 'concurrent-clients.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, TS_NODE_PROJECT: process.env['TS_NODE_PROJECT'] ?? join(__dirname, '..', '..', 'tsconfig.app.json') },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise<ConcurrentRunReport>((resolve, reject) => {
    child.on('message', (message: FromConcurrentClients) => {
      if (message.kind === 'progress') progress(`    … ${message.sent.toLocaleString('en')} of ${message.txns.toLocaleString('en')} transactions sent after ${Math.round(message.elapsedMs / 1000)} s`);
      else if (message.kind === 'ran') resolve(message);
      else reject(new Error(`concurrent clients: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`concurrent clients exited (${code}) before answering`)));
  });
  child.send(request);
  return { result, child };
}

async function stopClients(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ kind: 'exit' } satisfies ToConcurrentClients);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function runTarget(kind: LoadTargetKind, options: ConcurrentPhaseOptions): Promise<Omit<ConcurrentRun, 'overMemory' | 'met'>> {
  const scratch = scratchDirectory();
  let target: LoadTarget;
  try {
    target = await startTarget(kind, scratch.path, options);
  } catch (error) {
    scratch.remove();
    throw error;
  }
  let child: ChildProcess | null = null;
  try {
    const agents = agentEndpoints(target, 3);
    const startedAt = Date.now();
    const clients = runClients(
      {
        kind: 'run',
        tracePath: CONCURRENT_TRACE_PATH,
        limit: options.txns,
        window: options.window,
        proposalId: target.proposalIds[0] ?? 'concurrent-1',
        agents,
        observer: { url: target.observerUrl, credential: target.observerCredential },
        timeoutMs: options.timeoutS * 1000,
      },
      options.progress,
    );
    child = clients.child;
    const report = await clients.result;
    const finishedAt = Date.now();
    const servers = target.servers.map((server) => {
      const probe = summarizeProbe(readProbe(server.probeFile), startedAt, finishedAt + 1000);
      return { name: server.name, probe, warnings: server.warningLines().slice(0, 10), summary: describeServer(server.name, probe) };
    });
    const converged = report.observerConverged && report.agents.every((agent) => agent.converged);
    return {
      kind,
      description: target.description,
      txns: report.txns,
      expectedLength: report.expectedLength,
      expected: report.expected,
      totalMs: round(report.totalMs),
      sendMs: round(report.sendMs),
      txnsPerSecond: round(report.txns / (report.totalMs / 1000)),
      converged,
      observerConverged: report.observerConverged,
      observerError: report.observerError?.slice(0, 500) ?? null,
      observerSyncMs: round(report.observerSyncMs),
      roundTripWaits: waits(concat(report.agents.map((agent) => agent.roundTripWaitsMs))),
      heldBack: waits(concat(report.agents.map((agent) => agent.heldBackMs))),
      windowWaits: waits(concat(report.agents.map((agent) => agent.windowWaitsMs))),
      agents: report.agents.map((agent) => ({
        agent: agent.agent,
        clientId: agent.clientId,
        endpoint: target.editorUrl === target.observerUrl ? 'the server' : agent.agent % 2 === 0 ? 'node A' : 'node B',
        txns: agent.txns,
        converged: agent.converged,
        roundTripWaits: waits(agent.roundTripWaitsMs),
        heldBack: waits(agent.heldBackMs),
        windowWaits: waits(agent.windowWaitsMs),
      })),
      clientCpuPercent: report.clientCpuPercent,
      disconnects: report.disconnects,
      servers,
    };
  } finally {
    if (child) await stopClients(child);
    await target.close();
    scratch.remove();
  }
}

/** Total time ÷ the memory-only relay's and met/missed (≤ 3×); pure, for the unit spec. */
export function compareWithMemory(runs: ReadonlyArray<Omit<ConcurrentRun, 'overMemory' | 'met'>>): ConcurrentRun[] {
  const memory = runs.find((run) => run.kind === 'memory');
  return runs.map((run) => {
    if (!memory || run.kind === 'memory') return { ...run, overMemory: null, met: null };
    const overMemory = {
      totalTime: ratio(run.totalMs, memory.totalMs),
      roundTripP50: ratio(run.roundTripWaits.p50, memory.roundTripWaits.p50),
      roundTripP99: ratio(run.roundTripWaits.p99, memory.roundTripWaits.p99),
    };
    return { ...run, overMemory, met: run.converged && overMemory.totalTime <= CONCURRENT_LIMIT };
  });
}

export async function runConcurrentPhase(options: ConcurrentPhaseOptions): Promise<ConcurrentPhaseResult> {
  const runs: Array<Omit<ConcurrentRun, 'overMemory' | 'met'>> = [];
  const notRun: Array<{ kind: LoadTargetKind; reason: string }> = [];
  for (const kind of options.targets) {
    if (kind === 'postgres' && !options.databaseUrl) {
      notRun.push({ kind, reason: 'no DATABASE_URL (or --database-url) given' });
      options.progress(`  concurrent ${kind}: NOT RUN — no DATABASE_URL`);
      continue;
    }
    options.progress(`  concurrent ${kind}: ${CONCURRENT_TRACE}, ${options.txns === null ? 'whole trace' : `first ${options.txns.toLocaleString('en')} transactions`}, three clients, window ${options.window}`);
    try {
      const run = await runTarget(kind, options);
      runs.push(run);
      options.progress(
        `    → ${kind}: ${run.txns.toLocaleString('en')} transactions in ${round(run.totalMs / 1000)} s (${run.txnsPerSecond}/s); ` +
          `round-trip waits ${run.roundTripWaits.count} × p50 ${run.roundTripWaits.p50} / p99 ${run.roundTripWaits.p99} / max ${run.roundTripWaits.max} ms ` +
          `(held back ${round(run.heldBack.totalMs / 1000)} s in all); ` +
          `window waits ${run.windowWaits.count}; ${run.converged ? 'converged' : 'NOT CONVERGED'} (3 clients + fresh observer)`,
      );
      for (const server of run.servers) options.progress(`      ${server.summary}`);
    } catch (error) {
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2_000);
      notRun.push({ kind, reason });
      options.progress(`    → concurrent ${kind}: ${reason}`);
    }
  }
  return { trace: CONCURRENT_TRACE, source: CONCURRENT_TRACE_SOURCE, window: options.window, limit: options.txns, runs: compareWithMemory(runs), notRun };
}
