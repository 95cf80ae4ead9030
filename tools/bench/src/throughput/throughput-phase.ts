import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authorization, CollabUser, createCollabServer } from '@concord/collab';
import { EventStore, MemoryEventStore, SqliteEventStore } from '@concord/event-store';
import { countingLogger } from '../bench-logger';
import { Distribution, distributionOf, round } from '../stats';
import type { TypedTrace } from '../trace';
import { ClientsProcess } from './clients-process';
import { ServerTap } from './server-tap';
import { timeAppends } from './timed-store';

export type StoreKind = 'sqlite' | 'memory';
export type RunKind = 'keystroke' | 'paced' | 'throughput';

export interface ThroughputOptions {
  readonly stores: readonly StoreKind[];
  /** Updates typed in the throughput run (from the start of the trace). */
  readonly updates: number;
  /** Most unacknowledged updates in flight (throughput and paced runs). */
  readonly window: number;
  /** Updates typed one at a time (window 1) in the keystroke run. */
  readonly keystrokeUpdates: number;
  /** Offered load of the paced run (updates/s, open loop bounded by the window) and its length. */
  readonly pacedRate: number;
  readonly pacedUpdates: number;
  /** Updates typed (closed loop) before measuring, to warm up the JIT. */
  readonly warmupUpdates: number;
  readonly checkpointEvery: number;
  readonly progress: (line: string) => void;
}

export interface RunResult {
  readonly store: StoreKind;
  readonly run: RunKind;
  readonly updates: number;
  readonly window: number;
  /** Offered updates/s (paced run), 0 for a closed loop. */
  readonly offeredRate: number;
  readonly elapsedMs: number;
  readonly updatesPerSecond: number;
  /** Writer handed the update to its provider (or was due to) → observer applied it (client process clock). */
  readonly endToEndMs: Distribution;
  /** Server got the frame from ws → server handed the broadcast to ws (server process clock). */
  readonly serverMs: Distribution;
  /** Server process CPU (user + system) per update, µs; the clients run in another process. */
  readonly serverCpuUsPerUpdate: number;
  readonly clientCpuUsPerUpdate: number;
  readonly appends: {
    readonly calls: number;
    readonly meanEventsPerCall: number;
    readonly maxEventsPerCall: number;
    readonly durationMs: Distribution;
    readonly checkpointAppends: number;
  };
  /** Observer and writer show the trace's text, and the server saw and broadcast every update once. */
  readonly verified: boolean;
  readonly disconnects: number;
  readonly serverWarnings: number;
  readonly serverErrors: number;
  readonly warningSamples: string[];
}

const WRITER = { token: 'bench-writer', user: { userId: 'user-drafter1', name: 'Drafter One' } };
const OBSERVER = { token: 'bench-observer', user: { userId: 'user-drafter2', name: 'Drafter Two' } };

/** Auth stubs: this phase measures the collaboration path, not authentication. */
async function authenticate(token: string): Promise<CollabUser | null> {
  if (token === WRITER.token) return WRITER.user;
  if (token === OBSERVER.token) return OBSERVER.user;
  return null;
}

async function authorize(): Promise<Authorization> {
  return 'read-write';
}

/**
 * The trace typed through a real collab server (HTTP on 127.0.0.1, stock clients in a child
 * process), on a durable SQLite file and on the memory store: same server, same options.
 */
export async function runThroughputPhase(typed: TypedTrace, options: ThroughputOptions): Promise<RunResult[]> {
  const tap = ServerTap.install();
  const longest = Math.max(options.updates, options.keystrokeUpdates, options.pacedUpdates, options.warmupUpdates);
  const clients = await ClientsProcess.start(typed.updates.slice(0, longest));
  const results: RunResult[] = [];
  try {
    for (const kind of options.stores) results.push(...(await measureStore(kind, typed, clients, tap, options)));
  } finally {
    await clients.close();
  }
  return results;
}

async function measureStore(
  kind: StoreKind,
  typed: TypedTrace,
  clients: ClientsProcess,
  tap: ServerTap,
  options: ThroughputOptions,
): Promise<RunResult[]> {
  const directory = mkdtempSync(join(tmpdir(), 'concord-bench-'));
  const baseStore: EventStore = kind === 'sqlite' ? new SqliteEventStore(join(directory, 'events.db')) : new MemoryEventStore();
  const timed = timeAppends(baseStore);
  const logger = countingLogger();
  const collab = createCollabServer({ store: timed.store, authenticate, authorize, logger, checkpointEvery: options.checkpointEvery });
  const http = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  collab.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await collab.ready;
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab`;

  /** Each run types into a fresh proposal, from the start of the trace. */
  const typeInto = async (run: RunKind | 'warmup', count: number, window: number, rate: number): Promise<RunResult> => {
    timed.reset();
    const logged = { warnings: logger.warnings, errors: logger.errors };
    let lastLine = Date.now();
    tap.start(count);
    const cpuBefore = process.cpuUsage();
    const outcome = await clients.run(
      {
        url,
        proposalId: `bench-${run}-${kind}`,
        writerToken: WRITER.token,
        observerToken: OBSERVER.token,
        count,
        window,
        rate,
        expectedText: typed.typed.textAfter(count),
      },
      (acknowledged) => {
        if (Date.now() - lastLine < 10_000) return;
        lastLine = Date.now();
        options.progress(`    ${kind} ${run}: ${acknowledged.toLocaleString('en')}/${count.toLocaleString('en')} updates seen by the observer`);
      },
    );
    const cpu = process.cpuUsage(cpuBefore);
    const server = tap.stop();
    const elapsedMs = outcome.seenAt[count - 1] - outcome.sentAt[0];
    const endToEnd = new Float64Array(count);
    for (let index = 0; index < count; index++) endToEnd[index] = outcome.seenAt[index] - outcome.sentAt[index];
    const { events, durations, otherAppends } = timed.log;
    return {
      store: kind,
      run: run === 'warmup' ? 'throughput' : run,
      updates: count,
      window,
      offeredRate: rate,
      elapsedMs: round(elapsedMs),
      updatesPerSecond: Math.round((count / elapsedMs) * 1000),
      endToEndMs: distributionOf(endToEnd),
      serverMs: distributionOf(server.latencies),
      serverCpuUsPerUpdate: round((cpu.user + cpu.system) / count),
      clientCpuUsPerUpdate: round((outcome.cpuMs * 1000) / count),
      appends: {
        calls: events.length,
        meanEventsPerCall: round(events.reduce((sum, value) => sum + value, 0) / Math.max(1, events.length)),
        maxEventsPerCall: events.reduce((max, value) => Math.max(max, value), 0),
        durationMs: distributionOf(durations),
        checkpointAppends: otherAppends,
      },
      verified: outcome.textMatches && server.received === count && server.broadcast === count,
      disconnects: outcome.disconnects,
      serverWarnings: logger.warnings - logged.warnings,
      serverErrors: logger.errors - logged.errors,
      warningSamples: [...logger.samples],
    };
  };

  const results: RunResult[] = [];
  const measure = async (run: RunKind, count: number, window: number, rate: number, what: string): Promise<void> => {
    options.progress(`  ${kind}: ${run} run — ${count.toLocaleString('en')} updates, ${what}`);
    const result = await typeInto(run, count, window, rate);
    results.push(result);
    describe(result, options.progress);
  };
  try {
    if (options.warmupUpdates > 0) {
      options.progress(`  ${kind}: warm-up, ${options.warmupUpdates.toLocaleString('en')} updates (not reported)`);
      await typeInto('warmup', options.warmupUpdates, options.window, 0);
    }
    await measure('keystroke', options.keystrokeUpdates, 1, 0, 'one at a time (window 1)');
    await measure('paced', options.pacedUpdates, options.window, options.pacedRate, `offered at ${options.pacedRate.toLocaleString('en')}/s (open loop, window ${options.window})`);
    await measure('throughput', options.updates, options.window, 0, `closed loop, window ${options.window}`);
  } finally {
    await collab.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await baseStore.close();
    rmSync(directory, { recursive: true, force: true });
  }
  return results;
}

function describe(result: RunResult, progress: (line: string) => void): void {
  const problems = [
    result.verified ? '' : 'TEXT OR COUNTS DIFFER',
    result.disconnects > 0 ? `${result.disconnects} disconnects` : '',
    result.serverWarnings + result.serverErrors > 0 ? `${result.serverWarnings} warnings, ${result.serverErrors} errors` : '',
  ].filter(Boolean);
  progress(
    `    → ${result.updatesPerSecond.toLocaleString('en')} updates/s; end-to-end p50 ${round(result.endToEndMs.p50)} / p99 ${round(result.endToEndMs.p99)} ms; ` +
      `server p50 ${round(result.serverMs.p50)} / p99 ${round(result.serverMs.p99)} ms; ${result.serverCpuUsPerUpdate} µs server CPU/update; ` +
      `${result.appends.meanEventsPerCall} updates/append` +
      (problems.length > 0 ? `; ${problems.join('; ')}` : '; verified'),
  );
}
