/**
 * `npm run bench`: the collaboration path, history and storage at the scale of a real editing
 * trace, in one run. Prints progress; writes tools/bench/results/<date>-<machine>.{json,md}.
 * See tools/bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runHistoryPhase } from './history/history-phase';
import { runConcurrentPhase } from './load/concurrent-phase';
import { writeConcurrentResults } from './load/concurrent-report';
import { atIssueScale, offeredRate } from './load/load-accounting';
import { runLoadPhase } from './load/load-phase';
import { writeLoadResults } from './load/load-report';
import { runPgAppendsPhase } from './pg-appends/pg-appends-phase';
import { evaluatePgAppendsTarget, writePgAppendsResults } from './pg-appends/pg-appends-report';
import { loadNow, machineFacts } from './machine';
import { BenchOptions, parseOptions } from './options';
import { renderMarkdown } from './report';
import {
  BenchResults,
  durableOverMemory,
  evaluateTargets,
  LoadSample,
  RECOMMENDATION_RULE,
  recommendCheckpointInterval,
} from './results';
import { round } from './stats';
import { runThroughputPhase } from './throughput/throughput-phase';
import { typeTrace } from './trace';

const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');
const TRACE_SOURCES = {
  'automerge-paper': 'Martin Kleppmann, automerge/automerge-perf, via josephg/editing-traces (CC BY 4.0)',
  'seph-blog1': 'Joseph Gentle, josephg/editing-traces (CC BY 4.0)',
} as const;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.render) {
    const jsonFile = resolve(process.cwd(), options.render);
    const markdownFile = jsonFile.replace(/\.json$/, '.md');
    writeFileSync(markdownFile, renderMarkdown(JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults));
    console.log(`rendered ${relative(WORKSPACE_ROOT, markdownFile)}`);
    return;
  }
  const startedAt = new Date();
  const progress = (line: string): void => {
    const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
    console.log(`[${String(seconds).padStart(4)} s] ${line}`);
  };
  if (options.only === 'load') {
    await runLoad(options, progress);
    if (!options.skipConcurrent) await runConcurrent(options, progress);
    return;
  }
  if (options.only === 'concurrent') {
    await runConcurrent(options, progress);
    return;
  }
  if (options.only === 'pg-appends') {
    await runPgAppends(options, progress);
    return;
  }
  const load: LoadSample[] = [];
  const sampleLoad = (phase: string): void => {
    load.push({ phase, ...loadNow() });
  };

  sampleLoad('start');
  const machine = machineFacts();
  progress(`${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}; fsync ${load[0].fsyncMs} ms; load ${load[0].loadAverage1m}`);
  progress(`typing ${options.trace}${options.limit ? ` (first ${options.limit.toLocaleString('en')} transactions)` : ''} into Yjs updates…`);
  const typed = typeTrace(options.trace, options.limit ?? undefined);
  const updateCount = typed.updates.length;
  const meanUpdateBytes = typed.updates.reduce((sum, update) => sum + update.length, 0) / updateCount;
  progress(`  ${updateCount.toLocaleString('en')} updates, mean ${round(meanUpdateBytes)} B, typed in ${round(typed.typingMs / 1000)} s`);

  let throughput: BenchResults['throughput'] = null;
  if (!options.skipThroughput) {
    sampleLoad('throughput');
    const updates = Math.min(options.updates ?? updateCount, updateCount);
    progress(`1. through the server: ${options.stores.join(' and ')}, ${updates.toLocaleString('en')} updates in the throughput run`);
    const runs = await runThroughputPhase(typed, {
      stores: options.stores,
      updates,
      window: options.window,
      chunk: options.chunk,
      keystrokeUpdates: Math.min(options.keystrokeUpdates, updateCount),
      pacedRate: options.pacedRate,
      pacedUpdates: Math.min(options.pacedUpdates, updateCount),
      warmupUpdates: Math.min(options.warmupUpdates, updateCount),
      checkpointEvery: 500,
      progress,
    });
    throughput = { runs, durableOverMemory: durableOverMemory(runs) };
    for (const [kind, ratios] of Object.entries(throughput.durableOverMemory)) {
      progress(`  durable ÷ memory, ${kind}: ${ratios.updatesPerSecond}× updates/s, ${ratios.serverP50}× server p50, ${ratios.serverCpuPerUpdate}× server CPU per update`);
    }
  }

  let history: BenchResults['history'] = null;
  if (!options.skipHistory) {
    sampleLoad('history');
    progress(`2./3. history and storage: ${updateCount.toLocaleString('en')} updates, K = ${options.checkpointIntervals.join(', ')}`);
    const phase = await runHistoryPhase(typed, {
      checkpointIntervals: options.checkpointIntervals,
      revisionRuns: options.revisionRuns,
      diffRuns: options.diffRuns,
      progress,
    });
    history = {
      ...phase,
      recommendedCheckpointEvery: recommendCheckpointInterval(phase.perCheckpointInterval),
      recommendationRule: RECOMMENDATION_RULE,
    };
  }
  sampleLoad('end');

  const finishedAt = new Date();
  const partial: Omit<BenchResults, 'targets'> = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, ''),
    options,
    machine,
    load,
    workload: {
      trace: options.trace,
      source: TRACE_SOURCES[options.trace],
      transactions: updateCount,
      meanUpdateBytes: round(meanUpdateBytes),
      finalTextLength: typed.typed.textAfter(updateCount).length,
      typingMs: round(typed.typingMs),
    },
    throughput,
    history,
  };
  const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };

  const directory = resolve(WORKSPACE_ROOT, options.resultsDir ?? 'tools/bench/results');
  mkdirSync(directory, { recursive: true });
  const name = `${localDate(startedAt)}-${machineName(options.machine ?? machine.hostname)}`;
  const jsonFile = join(directory, `${name}.json`);
  const markdownFile = join(directory, `${name}.md`);
  writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(markdownFile, renderMarkdown(results));

  for (const target of results.targets) progress(`${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.measured} (target ${target.target})`);
  if (history) progress(`recommended checkpoint interval: K=${history.recommendedCheckpointEvery}`);
  progress(`results: ${relative(WORKSPACE_ROOT, jsonFile)} and ${relative(WORKSPACE_ROOT, markdownFile)}`);
  if (!options.skipLoad) await runLoad(options, progress);
  if (!options.skipLoad && !options.skipConcurrent) await runConcurrent(options, progress);
}

/** Where a separate benchmark's results go: the results directory and `<date>-<machine>-<suffix>`. */
function resultsPlace(options: BenchOptions, startedAt: Date, machine: ReturnType<typeof machineFacts>, suffix: string): [string, string] {
  const directory = resolve(WORKSPACE_ROOT, options.resultsDir ?? 'tools/bench/results');
  return [directory, `${localDate(startedAt)}-${machineName(options.machine ?? machine.hostname)}-${suffix}`];
}

/** When and where a separate benchmark ran, and the command that ran it, as its results record them. */
function runFacts(startedAt: Date, finishedAt: Date, machine: ReturnType<typeof machineFacts>, load: LoadSample[]) {
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, ''),
    machine,
    load,
  };
}

/** The load benchmark's concurrent phase: its own results files, <date>-<machine>-concurrent.{json,md}. */
async function runConcurrent(options: BenchOptions, progress: (line: string) => void): Promise<void> {
  const startedAt = new Date();
  const load: LoadSample[] = [{ phase: 'concurrent start', ...loadNow() }];
  const machine = machineFacts();
  progress(`concurrent phase: ${machine.cpuModel}, ${machine.cores} cores; load average ${load[0].loadAverage1m}`);
  const phase = await runConcurrentPhase({
    targets: options.loadTargets,
    txns: options.concurrentTxns,
    window: options.concurrentWindow,
    databaseUrl: options.databaseUrl,
    timeoutS: options.concurrentTimeout,
    progress,
  });
  load.push({ phase: 'concurrent end', ...loadNow() });
  const finishedAt = new Date();
  const written = writeConcurrentResults(...resultsPlace(options, startedAt, machine, 'concurrent'), {
    schema: 1,
    kind: 'concurrent',
    ...runFacts(startedAt, finishedAt, machine, load),
    ...phase,
  });
  for (const target of written.results.targets) progress(`${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.measured} (limit ${target.limit})`);
  progress(`concurrent results: ${[written.json, written.markdown].map((file) => relative(WORKSPACE_ROOT, file)).join(', ')}`);
}

/** The load benchmark (issue 11 point 3): its own results files, <date>-<machine>-load.{json,md} and -load-cdf.svg. */
async function runLoad(options: BenchOptions, progress: (line: string) => void): Promise<void> {
  const startedAt = new Date();
  const load: LoadSample[] = [{ phase: 'load start', ...loadNow() }];
  const machine = machineFacts();
  progress(`load: ${machine.cpuModel}, ${machine.cores} cores; load average ${load[0].loadAverage1m}`);
  const phase = await runLoadPhase({
    docs: options.docs,
    editors: options.editors,
    rate: options.rate,
    durationS: options.duration,
    warmupS: options.loadWarmup,
    graceS: options.grace,
    targets: options.loadTargets,
    clientProcesses: options.clientProcesses,
    databaseUrl: options.databaseUrl,
    progress,
  });
  load.push({ phase: 'load end', ...loadNow() });
  const finishedAt = new Date();
  const scale = { docs: options.docs, editors: options.editors, rate: options.rate, durationS: options.duration };
  const written = writeLoadResults(...resultsPlace(options, startedAt, machine, 'load'), {
    schema: 1,
    kind: 'load',
    ...runFacts(startedAt, finishedAt, machine, load),
    scale: {
      ...scale,
      offeredPerSecond: offeredRate(scale),
      atIssueScale: atIssueScale(scale),
      warmupS: options.loadWarmup,
      graceS: options.grace,
      clientProcesses: options.clientProcesses,
    },
    runs: phase.runs,
    notRun: phase.notRun,
  });
  for (const target of written.results.targets) {
    progress(`${target.met ? 'met   ' : target.withinLimit ? 'within (below issue scale)' : 'MISSED'} ${target.name}: ${target.measured} (limit ${target.limit})`);
  }
  progress(`load results: ${[written.json, written.markdown, written.svg].map((file) => relative(WORKSPACE_ROOT, file)).join(', ')}`);
}

/** PostgreSQL appends/s (issue 11 point 2): its own results files, <date>-<machine>-pg-appends.{json,md}. */
async function runPgAppends(options: BenchOptions, progress: (line: string) => void): Promise<void> {
  if (!options.databaseUrl) throw new Error('--only=pg-appends needs --database-url or $DATABASE_URL');
  const startedAt = new Date();
  const uptime = [`start: ${uptimeNow()}`];
  const load: LoadSample[] = [{ phase: 'pg-appends start', ...loadNow() }];
  const machine = machineFacts();
  progress(`pg-appends: ${machine.cpuModel}, ${machine.cores} cores; ${uptime[0]}`);
  const phase = await runPgAppendsPhase({
    databaseUrl: options.databaseUrl,
    writers: options.pgWriters,
    seconds: options.pgSeconds,
    warmupSeconds: options.pgWarmup,
    progress,
  });
  uptime.push(`end: ${uptimeNow()}`);
  load.push({ phase: 'pg-appends end', ...loadNow() });
  const target = evaluatePgAppendsTarget(phase.runs);
  const written = writePgAppendsResults(...resultsPlace(options, startedAt, machine, 'pg-appends'), {
    schema: 1,
    kind: 'pg-appends',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, ''),
    machine,
    uptime,
    load,
    warmupSeconds: options.pgWarmup,
    ...phase,
    targets: [target],
  });
  for (const comparison of phase.comparisons) progress(`  ${comparison.writers} writer(s): group commit ÷ before = ${comparison.appendsPerSecond}× appends/s`);
  progress(`${target.met ? 'met   ' : target.met === null ? 'not run' : 'MISSED'} ${target.name}: ${target.measured} (target ${target.target}); ${uptime[1]}`);
  progress(`pg-appends results: ${[written.json, written.markdown].map((file) => relative(WORKSPACE_ROOT, file)).join(', ')}`);
}

function uptimeNow(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${loadavg().map((value) => value.toFixed(2)).join(', ')}`;
  }
}

function localDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function machineName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'machine';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
