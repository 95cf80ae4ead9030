/**
 * Issue 11 point 3: D documents × E editors at R updates/s each, one observer per document, all
 * stock y-websocket clients spread over a few child processes (load-clients.ts), against the
 * memory-only relay, Concord on SQLite (one node) and Concord on PostgreSQL (two nodes: editors on
 * node A, observers on node B), one after the other in the same run.
 */
import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { round } from '../stats';
import {
  account,
  CdfPoint,
  cdfPoints,
  EditorRecord,
  LatencySummary,
  LoadScale,
  LoadTargetKind,
  offeredRate,
  summarize,
  TargetFigures,
} from './load-accounting';
import type { DocumentAssignment, FromLoadClients, ToLoadClients } from './load-protocol';
import { startMemoryRelay, startPostgresTarget, startSqliteTarget, LoadTarget, readProbe, scratchDirectory } from './load-servers';
import { busyPercent, describeServer, parseProcStat, ProbeSummary, summarizeProbe } from './probe-summary';

export interface LoadPhaseOptions extends LoadScale {
  readonly targets: readonly LoadTargetKind[];
  readonly warmupS: number;
  readonly graceS: number;
  readonly clientProcesses: number;
  readonly databaseUrl: string | null;
  readonly progress: (line: string) => void;
}

export interface ClientProcessFigures {
  readonly clients: number;
  readonly cpuPercent: number;
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly sendLagMs: LatencySummary;
  readonly disconnects: number;
}

export interface LoadRun extends TargetFigures {
  readonly description: string;
  /** Measured updates sent and observed per second of the window. */
  readonly sentPerSecond: number;
  readonly documentsConverged: number;
  readonly documents: number;
  /** The whole machine during the window (/proc/stat): % of all cores busy — clients, servers, PostgreSQL and anything else. */
  readonly machineBusyPercent: number;
  readonly clients: readonly ClientProcessFigures[];
  readonly servers: ReadonlyArray<{ readonly name: string; readonly probe: ProbeSummary | null; readonly warnings: readonly string[] }>;
  /** This run ÷ the memory-only run of the same phase (null for the memory-only run itself). */
  readonly overMemory: { readonly p50: number; readonly p95: number; readonly p99: number; readonly achieved: number } | null;
  readonly cdf: readonly CdfPoint[];
}

export interface LoadPhaseResult {
  readonly runs: LoadRun[];
  /** Targets asked for but not run, and why. */
  readonly notRun: ReadonlyArray<{ readonly kind: LoadTargetKind; readonly reason: string }>;
}

type Ran = Extract<FromLoadClients, { kind: 'ran' }>;

class LoadClientsProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadClientsProcess {
    const child = fork(join(__dirname, 'load-clients.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, TS_NODE_PROJECT: process.env['TS_NODE_PROJECT'] ?? join(__dirname, '..', '..', 'tsconfig.app.json') },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadClientsProcess(child);
  }

  exchange<K extends FromLoadClients['kind']>(message: ToLoadClients, expected: K): Promise<Extract<FromLoadClients, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: FromLoadClients): void => {
        cleanUp();
        if (reply.kind === expected) resolve(reply as Extract<FromLoadClients, { kind: K }>);
        else reject(new Error(reply.kind === 'failed' ? `load clients: ${reply.message}` : `load clients answered ${reply.kind}, expected ${expected}`));
      };
      const onExit = (code: number | null): void => {
        cleanUp();
        reject(new Error(`load clients exited (${code}) before answering`));
      };
      const cleanUp = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      this.child.send(message);
    });
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ kind: 'exit' } satisfies ToLoadClients);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

async function startTarget(kind: LoadTargetKind, directory: string, options: LoadPhaseOptions): Promise<LoadTarget> {
  if (kind === 'memory') return startMemoryRelay(directory);
  if (kind === 'sqlite') return startSqliteTarget(directory, options.docs);
  if (!options.databaseUrl) throw new Error('no DATABASE_URL');
  return startPostgresTarget(directory, options.docs, options.databaseUrl);
}

async function runTarget(kind: LoadTargetKind, options: LoadPhaseOptions): Promise<Omit<LoadRun, 'overMemory'>> {
  const scratch = scratchDirectory();
  let target: LoadTarget;
  try {
    target = await startTarget(kind, scratch.path, options);
  } catch (error) {
    scratch.remove();
    throw error;
  }
  const processes = Array.from({ length: Math.max(1, Math.min(options.clientProcesses, options.docs)) }, () => LoadClientsProcess.start());
  try {
    const proposalIds = target.proposalIds.length > 0 ? target.proposalIds : Array.from({ length: options.docs }, (_, index) => `load-${index + 1}`);
    const assignments: DocumentAssignment[][] = processes.map(() => []);
    proposalIds.forEach((proposalId, index) => {
      assignments[index % processes.length].push({
        proposalId,
        editorUrl: target.editorUrl,
        editorCredentials: Array.from({ length: options.editors }, (_, editor) => target.editorCredential(editor)),
        observerUrl: target.observerUrl,
        observerCredential: target.observerCredential,
      });
    });
    const opened = await Promise.all(processes.map((child, index) => child.exchange({ kind: 'open', documents: assignments[index] }, 'opened')));
    options.progress(`    ${opened.reduce((sum, reply) => sum + reply.clients, 0)} clients connected and synced in ${processes.length} processes; running ${options.warmupS} s warm-up + ${options.durationS} s measured + ${options.graceS} s grace`);
    const windowStart = Date.now() + options.warmupS * 1000;
    const windowEnd = windowStart + options.durationS * 1000;
    const procStat = (): { idle: number; total: number } | null => {
      try {
        return parseProcStat(readFileSync('/proc/stat', 'utf8'));
      } catch {
        return null;
      }
    };
    const machine: { before: ReturnType<typeof procStat>; after: ReturnType<typeof procStat> } = { before: null, after: null };
    const machineTimers = [
      setTimeout(() => (machine.before = procStat()), options.warmupS * 1000),
      setTimeout(() => (machine.after = procStat()), (options.warmupS + options.durationS) * 1000),
    ];
    const reports: Ran[] = await Promise.all(
      processes.map((child) =>
        child.exchange({ kind: 'run', rate: options.rate, warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000, graceMs: options.graceS * 1000 }, 'ran'),
      ),
    );
    for (const timer of machineTimers) clearTimeout(timer);
    const machineBusyPercent = machine.before && machine.after ? busyPercent(machine.before, machine.after) : Number.NaN;
    const records: EditorRecord[] = reports.flatMap((report) => report.documents.flatMap((document) => document.editors));
    const accounting = account(records);
    const latency = summarize(accounting.latencies);
    const servers = target.servers.map((server) => ({
      name: server.name,
      probe: summarizeProbe(readProbe(server.probeFile), windowStart, windowEnd + 1000),
      warnings: server.warningLines().slice(0, 10),
    }));
    const clients: ClientProcessFigures[] = reports.map((report, index) => ({
      clients: opened[index].clients,
      cpuPercent: report.cpuPercent,
      loopDelayMs: report.loopDelayMs,
      sendLagMs: summarize(report.sendLagMs),
      disconnects: report.disconnects,
    }));
    const documents = reports.reduce((sum, report) => sum + report.documents.length, 0);
    const documentsConverged = reports.reduce((sum, report) => sum + report.documents.filter((document) => document.converged).length, 0);
    const reasons = [
      `machine: ${machineBusyPercent}% of ${cpus().length} cores busy during the window (clients, servers, PostgreSQL, anything else)`,
      ...servers.map((server) => describeServer(server.name, server.probe)),
      `client processes: CPU ${clients.map((client) => `${client.cpuPercent}%`).join(', ')} of a core; event-loop delay max ${Math.max(...clients.map((client) => client.loopDelayMs.max))} ms; ` +
        `send lag (scheduled → sent) p99 ${Math.max(...clients.map((client) => client.sendLagMs.p99))} ms`,
      ...(clients.some((client) => client.disconnects > 0) ? [`${clients.reduce((sum, client) => sum + client.disconnects, 0)} client disconnects`] : []),
      ...(documentsConverged < documents ? [`${documents - documentsConverged} of ${documents} documents did not converge`] : []),
    ];
    return {
      kind,
      description: target.description,
      latency,
      sent: accounting.sent,
      lost: accounting.lost,
      sentPerSecond: round(accounting.sent / options.durationS),
      achievedPerSecond: round(accounting.observed / options.durationS),
      reasons,
      documents,
      documentsConverged,
      machineBusyPercent,
      clients,
      servers,
      cdf: cdfPoints(accounting.latencies),
    };
  } finally {
    await Promise.all(processes.map((child) => child.exit()));
    await target.close();
    scratch.remove();
  }
}

export async function runLoadPhase(options: LoadPhaseOptions): Promise<LoadPhaseResult> {
  const runs: Array<Omit<LoadRun, 'overMemory'>> = [];
  const notRun: Array<{ kind: LoadTargetKind; reason: string }> = [];
  for (const kind of options.targets) {
    if (kind === 'postgres' && !options.databaseUrl) {
      notRun.push({ kind, reason: 'no DATABASE_URL (or --database-url) given' });
      options.progress(`  ${kind}: NOT RUN — no DATABASE_URL`);
      continue;
    }
    options.progress(`  ${kind}: ${options.docs} documents × ${options.editors} editors × ${options.rate} updates/s = ${offeredRate(options).toLocaleString('en')} updates/s offered, one observer per document`);
    let run: Omit<LoadRun, 'overMemory'>;
    try {
      run = await runTarget(kind, options);
    } catch (error) {
      // One target failing (a server that does not start, clients that cannot sync) must not cost the others.
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2_000);
      notRun.push({ kind, reason });
      options.progress(`    → ${kind}: ${reason}`);
      continue;
    }
    runs.push(run);
    options.progress(
      `    → ${kind}: p50 ${run.latency.p50} / p95 ${run.latency.p95} / p99 ${run.latency.p99} / max ${run.latency.max} ms; ` +
        `${run.lost} of ${run.sent} lost; ${run.achievedPerSecond} updates/s observed; ${run.documentsConverged}/${run.documents} documents converged`,
    );
    for (const reason of run.reasons) options.progress(`      ${reason}`);
  }
  const memory = runs.find((run) => run.kind === 'memory');
  return {
    runs: runs.map((run) => ({
      ...run,
      overMemory:
        memory && run.kind !== 'memory'
          ? {
              p50: round(run.latency.p50 / memory.latency.p50),
              p95: round(run.latency.p95 / memory.latency.p95),
              p99: round(run.latency.p99 / memory.latency.p99),
              achieved: round(run.achievedPerSecond / memory.achievedPerSecond),
            }
          : null,
    })),
    notRun,
  };
}
