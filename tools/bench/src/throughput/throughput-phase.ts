import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authorization, CollabServer, CollabUser, createCollabServer } from '@concord/collab';
import { EventStore, MemoryEventStore, SqliteEventStore } from '@concord/event-store';
import { CountingLogger, countingLogger } from '../bench-logger';
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
  /** The throughput run types this many updates into one store, then into the other, and so on. */
  readonly chunk: number;
  /** Most unacknowledged updates in flight (throughput and paced runs). */
  readonly window: number;
  /** Updates typed one at a time (window 1) in the keystroke run. */
  readonly keystrokeUpdates: number;
  /** Offered load of the paced run (updates/s, open loop bounded by the window) and its length. */
  readonly pacedRate: number;
  readonly pacedUpdates: number;
  /** Updates typed (closed loop) into a throw-away proposal before measuring, to warm up the JIT. */
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
  /** Typing time: first send → last acknowledgement, summed over the run's chunks. */
  readonly elapsedMs: number;
  readonly updatesPerSecond: number;
  /** Updates/s of each chunk, in trace order: does the rate hold up as the document grows? */
  readonly updatesPerSecondByChunk: number[];
  /** Writer handed the update to its provider (or was due to) → observer applied it (client process clock). */
  readonly endToEndMs: Distribution;
  /** Server's ws emitted the frame → server handed the broadcast to ws (server process clock). */
  readonly serverMs: Distribution;
  /** Server process CPU (user + system) per update, µs; the clients run in another process. */
  readonly serverCpuUsPerUpdate: number;
  readonly clientCpuUsPerUpdate: number;
  readonly appends: {
    readonly calls: number;
    readonly meanEventsPerCall: number;
    readonly maxEventsPerCall: number;
    /** Wall time from append() to its promise settling (group-commit queueing + commit). */
    readonly durationMs: Distribution;
    readonly checkpointAppends: number;
    /** SQLite: store commits (one transaction + fsync each) and the server time blocked in them, per update. */
    readonly commits: number;
    readonly commitUsPerUpdate: number;
    readonly meanCommitMs: number;
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

interface StoreServer {
  readonly kind: StoreKind;
  readonly url: string;
  readonly logger: CountingLogger;
  readonly timed: ReturnType<typeof timeAppends>;
  close(): Promise<void>;
}

async function startServer(kind: StoreKind, checkpointEvery: number): Promise<StoreServer> {
  const directory = mkdtempSync(join(tmpdir(), 'concord-bench-'));
  const store: EventStore = kind === 'sqlite' ? new SqliteEventStore(join(directory, 'events.db')) : new MemoryEventStore();
  const timed = timeAppends(store);
  const logger = countingLogger();
  const collab: CollabServer = createCollabServer({ store: timed.store, authenticate, authorize, logger, checkpointEvery });
  const http: Server = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  collab.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await collab.ready;
  return {
    kind,
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab`,
    logger,
    timed,
    async close() {
      await collab.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Collects one run's chunks (one chunk unless the run is interleaved). */
class RunRecorder {
  private readonly endToEnd: Float64Array[] = [];
  private readonly server: Float64Array[] = [];
  private readonly appendEvents: number[] = [];
  private readonly appendDurations: number[] = [];
  private readonly chunkRates: number[] = [];
  private readonly samples: string[] = [];
  private checkpointAppends = 0;
  private commits = 0;
  private commitMs = 0;
  private elapsedMs = 0;
  private serverCpuUs = 0;
  private clientCpuMs = 0;
  private typed = 0;
  private countsMatch = true;
  private warnings = 0;
  private errors = 0;

  constructor(
    private readonly target: StoreServer,
    readonly run: RunKind | 'warmup',
    readonly session: string,
    private readonly window: number,
    private readonly rate: number,
  ) {}

  async typeChunk(clients: ClientsProcess, tap: ServerTap, from: number, to: number, progress: (line: string) => void): Promise<void> {
    const count = to - from;
    const { logger, timed } = this.target;
    timed.reset();
    logger.samples.length = 0;
    const logged = { warnings: logger.warnings, errors: logger.errors };
    let lastLine = Date.now();
    tap.start(count);
    const cpuBefore = process.cpuUsage();
    const outcome = await clients.type({ session: this.session, from, to, window: this.window, rate: this.rate }, (acknowledged) => {
      if (Date.now() - lastLine < 10_000) return;
      lastLine = Date.now();
      progress(`    ${this.target.kind} ${this.run}: ${acknowledged.toLocaleString('en')} updates seen by the observer`);
    });
    const cpu = process.cpuUsage(cpuBefore);
    const tapped = tap.stop();
    const elapsed = outcome.seenAt[count - 1] - outcome.sentAt[0];
    const endToEnd = new Float64Array(count);
    for (let index = 0; index < count; index++) endToEnd[index] = outcome.seenAt[index] - outcome.sentAt[index];
    this.endToEnd.push(endToEnd);
    this.server.push(tapped.latencies);
    this.countsMatch &&= tapped.received === count && tapped.broadcast === count;
    this.elapsedMs += elapsed;
    this.chunkRates.push(Math.round((count / elapsed) * 1000));
    this.serverCpuUs += cpu.user + cpu.system;
    this.clientCpuMs += outcome.cpuMs;
    this.typed += count;
    this.appendEvents.push(...timed.log.events);
    this.appendDurations.push(...timed.log.durations);
    this.checkpointAppends += timed.log.otherAppends;
    this.commits += timed.log.commits;
    this.commitMs += timed.log.commitMs;
    this.warnings += logger.warnings - logged.warnings;
    this.errors += logger.errors - logged.errors;
    for (const sample of logger.samples) if (this.samples.length < 5) this.samples.push(sample);
  }

  finish(closed: { textMatches: boolean; disconnects: number }): RunResult {
    const events = this.appendEvents;
    return {
      store: this.target.kind,
      run: this.run === 'warmup' ? 'throughput' : this.run,
      updates: this.typed,
      window: this.window,
      offeredRate: this.rate,
      elapsedMs: round(this.elapsedMs),
      updatesPerSecond: Math.round((this.typed / this.elapsedMs) * 1000),
      updatesPerSecondByChunk: this.chunkRates,
      endToEndMs: distributionOf(concat(this.endToEnd)),
      serverMs: distributionOf(concat(this.server)),
      serverCpuUsPerUpdate: round(this.serverCpuUs / this.typed),
      clientCpuUsPerUpdate: round((this.clientCpuMs * 1000) / this.typed),
      appends: {
        calls: events.length,
        meanEventsPerCall: round(events.reduce((sum, value) => sum + value, 0) / Math.max(1, events.length)),
        maxEventsPerCall: events.reduce((max, value) => Math.max(max, value), 0),
        durationMs: distributionOf(this.appendDurations),
        checkpointAppends: this.checkpointAppends,
        commits: this.commits,
        commitUsPerUpdate: round((this.commitMs * 1000) / this.typed),
        meanCommitMs: round(this.commitMs / Math.max(1, this.commits)),
      },
      verified: closed.textMatches && this.countsMatch,
      disconnects: closed.disconnects,
      serverWarnings: this.warnings,
      serverErrors: this.errors,
      warningSamples: this.samples,
    };
  }
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/**
 * The trace typed through real collab servers (HTTP on 127.0.0.1, stock clients in a child
 * process), one per store, same options. Keystroke and paced runs go one store after the other;
 * the long throughput run is interleaved chunk by chunk (ABBA order), so that both stores type
 * each part of the trace under the same machine conditions.
 */
export async function runThroughputPhase(typed: TypedTrace, options: ThroughputOptions): Promise<RunResult[]> {
  const tap = ServerTap.install();
  const longest = Math.max(options.updates, options.keystrokeUpdates, options.pacedUpdates, options.warmupUpdates);
  const clients = await ClientsProcess.start(typed.updates.slice(0, longest));
  const servers: StoreServer[] = [];
  const results: RunResult[] = [];
  const textAt = (count: number): string => typed.typed.textAfter(count);

  const single = async (server: StoreServer, run: RunKind | 'warmup', count: number, window: number, rate: number): Promise<RunResult> => {
    const recorder = new RunRecorder(server, run, `${run}-${server.kind}`, window, rate);
    await clients.open({ session: recorder.session, url: server.url, proposalId: `bench-${recorder.session}`, writerToken: WRITER.token, observerToken: OBSERVER.token });
    await recorder.typeChunk(clients, tap, 0, count, options.progress);
    return recorder.finish(await clients.close(recorder.session, textAt(count)));
  };

  try {
    for (const kind of options.stores) servers.push(await startServer(kind, options.checkpointEvery));
    if (options.warmupUpdates > 0) {
      options.progress(`  warm-up: ${options.warmupUpdates.toLocaleString('en')} updates per store (not reported)`);
      for (const server of servers) await single(server, 'warmup', options.warmupUpdates, options.window, 0);
    }
    for (const server of servers) {
      options.progress(`  ${server.kind}: keystroke run — ${options.keystrokeUpdates.toLocaleString('en')} updates one at a time (window 1)`);
      results.push(await single(server, 'keystroke', options.keystrokeUpdates, 1, 0));
      describe(results[results.length - 1], options.progress);
    }
    for (const server of servers) {
      options.progress(
        `  ${server.kind}: paced run — ${options.pacedUpdates.toLocaleString('en')} updates offered at ${options.pacedRate.toLocaleString('en')}/s (open loop, window ${options.window})`,
      );
      results.push(await single(server, 'paced', options.pacedUpdates, options.window, options.pacedRate));
      describe(results[results.length - 1], options.progress);
    }

    options.progress(
      `  throughput run — ${options.updates.toLocaleString('en')} updates per store, closed loop, window ${options.window}, ` +
        `stores interleaved every ${options.chunk.toLocaleString('en')} updates`,
    );
    const recorders = servers.map((server) => new RunRecorder(server, 'throughput', `throughput-${server.kind}`, options.window, 0));
    for (const [index, recorder] of recorders.entries()) {
      const server = servers[index];
      await clients.open({ session: recorder.session, url: server.url, proposalId: `bench-${recorder.session}`, writerToken: WRITER.token, observerToken: OBSERVER.token });
    }
    let lastLine = Date.now();
    for (let from = 0, chunkIndex = 0; from < options.updates; from += options.chunk, chunkIndex++) {
      const to = Math.min(options.updates, from + options.chunk);
      const order = chunkIndex % 2 === 0 ? recorders : [...recorders].reverse();
      for (const recorder of order) await recorder.typeChunk(clients, tap, from, to, options.progress);
      if (Date.now() - lastLine >= 10_000 || to === options.updates) {
        lastLine = Date.now();
        options.progress(`    ${to.toLocaleString('en')}/${options.updates.toLocaleString('en')} updates typed into each store`);
      }
    }
    for (const recorder of recorders) {
      results.push(recorder.finish(await clients.close(recorder.session, textAt(options.updates))));
      describe(results[results.length - 1], options.progress);
    }
  } finally {
    await clients.exit();
    for (const server of servers) await server.close();
  }
  return results;
}

function describe(result: RunResult, progress: (line: string) => void): void {
  const problems = [
    result.verified ? '' : 'TEXT OR COUNTS DIFFER',
    result.disconnects > 0 ? `${result.disconnects} disconnects` : '',
    result.serverWarnings + result.serverErrors > 0 ? `${result.serverWarnings} server warnings, ${result.serverErrors} errors` : '',
  ].filter(Boolean);
  progress(
    `    → ${result.store}: ${result.updatesPerSecond.toLocaleString('en')} updates/s; end-to-end p50 ${round(result.endToEndMs.p50)} / p99 ${round(result.endToEndMs.p99)} ms; ` +
      `server p50 ${round(result.serverMs.p50)} / p99 ${round(result.serverMs.p99)} ms; ${result.serverCpuUsPerUpdate} µs server CPU/update; ` +
      `${result.appends.meanEventsPerCall} updates/append; ${result.verified ? 'verified' : 'NOT VERIFIED'}` +
      (problems.length > 0 ? `; ${problems.join('; ')}` : ''),
  );
  if (result.updatesPerSecondByChunk.length > 1) {
    progress(`      updates/s by chunk: ${result.updatesPerSecondByChunk.map((rate) => rate.toLocaleString('en')).join(', ')}`);
  }
  for (const sample of result.warningSamples.slice(0, 2)) progress(`      server log: ${sample.slice(0, 220)}`);
}
