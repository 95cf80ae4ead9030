import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore } from '@concord/event-store';
import {
  checkStreamRange,
  EventLoopPacer,
  streamsToVerify,
  type RangeReport,
  type StreamRange,
  type VerifyOptions,
  type VerifyReport,
} from './verify-event-store';
import { mergeRangeReports, planVerifyRanges } from './verify-ranges';
import type { FromVerifyWorker, ToVerifyWorker, VerifyStoreSource, VerifyWorkerData } from './verify-worker-protocol';

export type { VerifyStoreSource } from './verify-worker-protocol';

export interface ParallelVerifyOptions extends VerifyOptions {
  /**
   * How worker threads open their own connection to the same store (the CLI's environment, or the
   * SQLite file). Without it — or for a store only this process can read, like the memory store —
   * everything is checked on this thread.
   */
  source?: VerifyStoreSource;
  /** Threads checking at once, this one included; default the machine's available parallelism (at most 8). */
  threads?: number;
  /** Revisions per range; a longer stream is checked as several ranges (default 20,000). */
  rangeSize?: number;
  /** Logs with fewer events are checked on this thread alone: starting a worker costs ≈ 0.2 s (default 40,000). */
  minEventsForThreads?: number;
  /**
   * Whether this thread checks ranges too (default true). When false it checks only what no worker
   * can — a range handed back, or everything if no worker starts — so tests can prove the workers'
   * part.
   */
  checkOnThisThread?: boolean;
}

export interface ParallelVerifyReport extends VerifyReport {
  /** Threads that checked at least one range, this one included. */
  threadsUsed: number;
  /** Ranges checked, and how many of them by worker threads. */
  rangesChecked: number;
  rangesOnWorkers: number;
  /** Why fewer threads than asked were used, when that happened. */
  note: string | null;
}

const DEFAULT_RANGE_SIZE = 20_000;
const DEFAULT_MIN_EVENTS_FOR_THREADS = 40_000;
const MAX_THREADS = 8;

/**
 * `npm run verify`'s chain check: exactly verifyEventStore's checks and report, with the log cut
 * into ranges (planVerifyRanges: every stream, long streams in pieces) that this thread and worker
 * threads check at once — each worker with its own connection to the store, each range from the
 * event before it — and one report merged in listStreams order (mergeRangeReports). Ranges after a
 * break already found are not started.
 *
 * Workers only speed the check up: one that cannot start or fails hands its range back, and this
 * thread checks whatever is left, so the result never depends on them. The worker's code is our
 * TypeScript, bundled by esbuild when the check starts (the tools run under ts-node); where no
 * worker source is available (a bundled build), the check runs on this thread and `note` says why.
 */
export async function verifyEventStoreInParallel(store: EventStore, options: ParallelVerifyOptions = {}): Promise<ParallelVerifyReport> {
  const pageSize = options.pageSize ?? 1_000;
  const streams = await streamsToVerify(store, options.streamFilter);
  const ranges = planVerifyRanges(streams, options.rangeSize ?? DEFAULT_RANGE_SIZE);
  const totalEvents = streams.reduce((sum, head) => sum + head.lastRevision + 1, 0);
  const queue = new RangeQueue(ranges, streams.length, options.onProgress);

  const wanted = Math.max(1, Math.min(options.threads ?? availableParallelism(), MAX_THREADS, ranges.length));
  let note: string | null = null;
  const helpers: VerifyHelper[] = [];
  if (wanted > 1) {
    const source = options.source;
    if (!source) note = 'no source for worker threads to open the store from: checked on one thread';
    else if (totalEvents >= (options.minEventsForThreads ?? DEFAULT_MIN_EVENTS_FOR_THREADS)) {
      const starting = workerSource().then(
        (code) => {
          for (let count = 1; count < wanted; count += 1) helpers.push(new VerifyHelper(code, { source, pageSize }, queue));
        },
        (error: unknown) => {
          note = `worker threads unavailable (${error instanceof Error ? error.message : String(error)}): checked on one thread`;
        },
      );
      queue.whenSettled(starting);
    }
  }

  const pacer = new EventLoopPacer(pageSize);
  const checkHere = options.checkOnThisThread ?? true;
  // A worker takes ranges until the queue is empty, so one that is done takes no range handed back later.
  const noWorkerLeft = () => !queue.starting() && helpers.every((helper) => helper.finished);
  let checkedHere = 0;
  try {
    for (;;) {
      const index = checkHere || noWorkerLeft() ? queue.take() : undefined;
      if (index !== undefined) {
        queue.settle(index, await checkStreamRange(store, ranges[index], { pageSize, pacer }));
        checkedHere += 1;
        continue;
      }
      if (!queue.waiting() && queue.empty()) break;
      await queue.changed();
    }
  } finally {
    await Promise.all(helpers.map((helper) => helper.close()));
  }
  const report = mergeRangeReports(ranges, queue.reports);
  const rangesOnWorkers = helpers.reduce((sum, helper) => sum + helper.checked, 0);
  return {
    ...report,
    threadsUsed: (checkedHere > 0 ? 1 : 0) + helpers.filter((helper) => helper.checked > 0).length,
    rangesChecked: checkedHere + rangesOnWorkers,
    rangesOnWorkers,
    note: note ?? helpers.find((helper) => helper.failure)?.failure ?? null,
  };
}

/** The ranges still to check, those in flight on workers, and the reports in. */
class RangeQueue {
  readonly reports: Array<RangeReport | undefined>;
  private readonly todo: number[];
  private inFlight = 0;
  private pendingStarts = 0;
  private firstBreak = Number.POSITIVE_INFINITY;
  private wake: (() => void) | null = null;
  private readonly rangesLeft = new Map<string, number>();
  private streamsChecked = 0;
  private eventsChecked = 0;

  constructor(
    readonly ranges: readonly StreamRange[],
    private readonly streamsTotal: number,
    private readonly onProgress?: VerifyOptions['onProgress'],
  ) {
    this.reports = new Array(ranges.length);
    this.todo = ranges.map((_, index) => index);
    for (const range of ranges) this.rangesLeft.set(range.head.stream, (this.rangesLeft.get(range.head.stream) ?? 0) + 1);
  }

  /** The next range worth checking (none after a range already found broken). */
  take(): number | undefined {
    while (this.todo.length > 0) {
      const index = this.todo.shift() as number;
      if (index < this.firstBreak) return index;
    }
    return undefined;
  }

  /** A range taken by a worker. */
  sent(): void {
    this.inFlight += 1;
  }

  /** A range a worker could not check: this thread will. */
  handBack(index: number): void {
    this.inFlight -= 1;
    this.todo.unshift(index);
    this.notify();
  }

  settle(index: number, report: RangeReport, fromWorker = false): void {
    if (fromWorker) this.inFlight -= 1;
    this.reports[index] = report;
    if (report.chainBreak) this.firstBreak = Math.min(this.firstBreak, index);
    this.eventsChecked += report.eventsChecked;
    const stream = this.ranges[index].head.stream;
    const left = (this.rangesLeft.get(stream) ?? 1) - 1;
    this.rangesLeft.set(stream, left);
    if (left === 0) {
      this.streamsChecked += 1;
      this.onProgress?.({ stream, streamsChecked: this.streamsChecked, streamsTotal: this.streamsTotal, eventsChecked: this.eventsChecked });
    }
    this.notify();
  }

  /** Whether a worker may still report (or hand a range back). */
  waiting(): boolean {
    return this.inFlight > 0 || this.pendingStarts > 0;
  }

  /** Whether no range is left worth checking. */
  empty(): boolean {
    return this.todo.every((index) => index >= this.firstBreak);
  }

  /** Whether workers are still being started. */
  starting(): boolean {
    return this.pendingStarts > 0;
  }

  /** Counts a worker start in progress as something to wait for. */
  whenSettled(starting: Promise<void>): void {
    this.pendingStarts += 1;
    void starting.finally(() => {
      this.pendingStarts -= 1;
      this.notify();
    });
  }

  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Wakes this thread to look again (a worker stopped). */
  notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** One worker thread: takes ranges from the queue until it is empty, hands its range back if it fails. */
class VerifyHelper {
  checked = 0;
  failure: string | null = null;
  private readonly worker: Worker;
  private current: number | null = null;
  private done = false;
  private readonly exited: Promise<void>;

  /** Takes no more ranges (the queue was empty, or it failed). */
  get finished(): boolean {
    return this.done;
  }

  constructor(code: string, data: VerifyWorkerData, private readonly queue: RangeQueue) {
    // Not the process's flags (a preloaded probe, --inspect): they are for the main thread.
    this.worker = new Worker(code, { eval: true, workerData: data, execArgv: [] });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: FromVerifyWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(`worker thread failed: ${error.message}`));
    this.worker.on('exit', () => this.fail('worker thread exited'));
  }

  async close(): Promise<void> {
    this.done = true;
    await this.worker.terminate();
    await this.exited;
  }

  private receive(message: FromVerifyWorker): void {
    if (message.type === 'checked') {
      this.current = null;
      this.checked += 1;
      this.queue.settle(message.index, message.report, true);
    } else if (message.type === 'failed') {
      this.fail(message.message);
      return;
    }
    this.dispatch();
  }

  private dispatch(): void {
    if (this.done) return;
    const index = this.queue.take();
    if (index === undefined) {
      this.done = true;
      this.post({ type: 'close' });
      return;
    }
    this.current = index;
    this.queue.sent();
    this.post({ type: 'check', index, range: this.queue.ranges[index] });
  }

  private post(message: ToVerifyWorker): void {
    this.worker.postMessage(message);
  }

  private fail(reason: string): void {
    if (this.current !== null) {
      this.queue.handBack(this.current);
      this.current = null;
    }
    if (!this.done) {
      this.done = true;
      this.failure = reason;
      void this.worker.terminate();
    }
    this.queue.notify();
  }
}

/**
 * The worker's code: verify-worker.ts and our libraries bundled by esbuild (packages stay outside
 * and are required from the libraries' place in the repository). Fails where the TypeScript source
 * is not beside this module — a bundled build — and the check then runs on one thread.
 */
async function workerSource(): Promise<string> {
  const entry = join(__dirname, 'verify-worker.ts');
  if (!existsSync(entry)) throw new Error(`no ${entry} (a bundled build)`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-outside',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@concord/') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  return `(function (require, module, exports) {\n${code}\n})(require('node:module').createRequire(${JSON.stringify(entry)}), { exports: {} }, {});`;
}
