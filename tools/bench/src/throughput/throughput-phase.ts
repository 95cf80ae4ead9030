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

export interface ThroughputOptions {
  /** Updates typed in the throughput run (from the start of the trace). */
  readonly updates: number;
  /** Most unacknowledged updates in flight in the throughput run. */
  readonly window: number;
  /** Updates typed one at a time (window 1) in the latency run. */
  readonly latencyUpdates: number;
  /** Updates typed (window as above) before measuring, to warm up the JIT. */
  readonly warmupUpdates: number;
  readonly checkpointEvery: number;
  readonly progress: (line: string) => void;
}

export interface RunResult {
  readonly store: StoreKind;
  readonly run: 'latency' | 'throughput';
  readonly updates: number;
  readonly window: number;
  readonly elapsedMs: number;
  readonly updatesPerSecond: number;
  /** Writer handed the update to its provider → observer applied it (client process clock). */
  readonly endToEndMs: Distribution;
  /** Server got the frame from ws → server handed the broadcast to ws (server process clock). */
  readonly serverMs: Distribution;
  readonly appends: { readonly calls: number; readonly meanEventsPerCall: number; readonly maxEventsPerCall: number; readonly durationMs: Distribution };
  readonly textMatches: boolean;
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
 * process), once on a durable SQLite file and once on the memory store, same server, same options.
 */
export async function runThroughputPhase(typed: TypedTrace, options: ThroughputOptions): Promise<RunResult[]> {
  const tap = ServerTap.install();
  const clients = await ClientsProcess.start(typed.updates.slice(0, Math.max(options.updates, options.latencyUpdates, options.warmupUpdates)));
  const results: RunResult[] = [];
  try {
    for (const kind of ['memory', 'sqlite'] as const) {
      results.push(...(await measureStore(kind, typed, clients, tap, options)));
    }
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
  const results: RunResult[] = [];

  const typeInto = async (run: RunResult['run'] | 'warmup', count: number, window: number): Promise<RunResult> => {
    const proposalId = `bench-${run}-${kind}`;
    timed.reset();
    const warningsBefore = { warnings: logger.warnings, errors: logger.errors };
    tap.start(count);
    let lastLine = 0;
    const outcome = await clients.run(
      {
        url,
        proposalId,
        writerToken: WRITER.token,
        observerToken: OBSERVER.token,
        count,
        window,
        expectedText: typed.typed.textAfter(count),
      },
      (acknowledged) => {
        const now = Date.now();
        if (now - lastLine < 5_000) return;
        lastLine = now;
        options.progress(`  ${kind} ${run}: ${acknowledged.toLocaleString('en')}/${count.toLocaleString('en')} updates seen by the observer`);
      },
    );
    const server = tap.stop();
    const elapsedMs = outcome.seenAt[count - 1] - outcome.sentAt[0];
    const endToEnd = new Float64Array(count);
    for (let index = 0; index < count; index++) endToEnd[index] = outcome.seenAt[index] - outcome.sentAt[index];
    const updateAppends = timed.log.events.map((events, index) => ({ events, duration: timed.log.durations[index] }));
    return {
      store: kind,
      run: run === 'warmup' ? 'throughput' : run,
      updates: count,
      window,
      elapsedMs: round(elapsedMs),
      updatesPerSecond: Math.round((count / elapsedMs) * 1000),
      endToEndMs: distributionOf(endToEnd),
      serverMs: distributionOf(server.latencies),
      appends: {
        calls: updateAppends.length,
        meanEventsPerCall: round(updateAppends.reduce((sum, entry) => sum + entry.events, 0) / Math.max(1, updateAppends.length)),
        maxEventsPerCall: updateAppends.reduce((max, entry) => Math.max(max, entry.events), 0),
        durationMs: distributionOf(updateAppends.map((entry) => entry.duration)),
      },
      textMatches: outcome.textMatches && server.received === count && server.broadcast === count,
      disconnects: outcome.disconnects,
      serverWarnings: logger.warnings - warningsBefore.warnings,
      serverErrors: logger.errors - warningsBefore.errors,
      warningSamples: [...logger.samples],
    };
  };

  try {
    if (options.warmupUpdates > 0) {
      options.progress(`  ${kind}: warm-up, ${options.warmupUpdates.toLocaleString('en')} updates`);
      await typeInto('warmup', options.warmupUpdates, options.window);
    }
    options.progress(`  ${kind}: latency run, ${options.latencyUpdates.toLocaleString('en')} updates one at a time`);
    results.push(await typeInto('latency', options.latencyUpdates, 1));
    describe(results[results.length - 1], options.progress);
    options.progress(`  ${kind}: throughput run, ${options.updates.toLocaleString('en')} updates, window ${options.window}`);
    results.push(await typeInto('throughput', options.updates, options.window));
    describe(results[results.length - 1], options.progress);
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
  progress(
    `  ${result.store} ${result.run}: ${result.updatesPerSecond.toLocaleString('en')} updates/s; ` +
      `end-to-end p50 ${round(result.endToEndMs.p50)} ms p99 ${round(result.endToEndMs.p99)} ms; ` +
      `server p50 ${round(result.serverMs.p50)} ms p99 ${round(result.serverMs.p99)} ms; ` +
      `${result.appends.meanEventsPerCall} events/append; text ${result.textMatches ? 'matches' : 'DIFFERS'}` +
      (result.disconnects > 0 ? `; ${result.disconnects} disconnects` : '') +
      (result.serverWarnings + result.serverErrors > 0 ? `; ${result.serverWarnings} warnings, ${result.serverErrors} errors` : ''),
  );
}
