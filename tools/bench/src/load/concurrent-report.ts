/** The concurrent phase's results: <date>-<machine>-concurrent.json (every figure) and .md (readable). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineFacts } from '../machine';
import type { LoadSample } from '../results';
import { round } from '../stats';
import { CONCURRENT_LIMIT, ConcurrentPhaseResult, ConcurrentRun } from './concurrent-phase';

export interface ConcurrentResults extends ConcurrentPhaseResult {
  readonly schema: 1;
  readonly kind: 'concurrent';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly command: string;
  readonly machine: MachineFacts;
  readonly load: readonly LoadSample[];
  readonly targets: ReadonlyArray<{ readonly name: string; readonly measured: string; readonly limit: string; readonly met: boolean }>;
}

const NAMES: Record<ConcurrentRun['kind'], string> = {
  memory: 'memory-only relay',
  sqlite: 'Concord, SQLite, one node',
  postgres: 'Concord, PostgreSQL, two nodes (agents 0, 2 on A; 1 and the observer on B)',
};

/** One target per Concord run: total time ≤ 3× the memory-only relay's, and converged. */
export function concurrentTargets(runs: readonly ConcurrentRun[]): ConcurrentResults['targets'] {
  return runs
    .filter((run) => run.kind !== 'memory')
    .map((run) => ({
      name: `concurrent replay, ${NAMES[run.kind]}: total time ÷ memory-only`,
      measured: run.overMemory ? `${run.overMemory.totalTime}×${run.converged ? '' : ' (NOT converged)'}` : 'no memory-only run to compare with',
      limit: `≤ ${CONCURRENT_LIMIT}×, converged`,
      met: run.met === true,
    }));
}

export function writeConcurrentResults(directory: string, name: string, results: Omit<ConcurrentResults, 'targets'>): { json: string; markdown: string; results: ConcurrentResults } {
  mkdirSync(directory, { recursive: true });
  const full: ConcurrentResults = { ...results, targets: concurrentTargets(results.runs) };
  const paths = { json: join(directory, `${name}.json`), markdown: join(directory, `${name}.md`) };
  writeFileSync(paths.json, JSON.stringify(full, null, 2) + '\n');
  writeFileSync(paths.markdown, renderConcurrentMarkdown(full));
  return { ...paths, results: full };
}

const n = (value: number | null | undefined): string => (typeof value === 'number' && Number.isFinite(value) ? round(value).toLocaleString('en') : 'n/a');
const row = (cells: ReadonlyArray<string | number | null>): string => `| ${cells.map((cell) => (typeof cell === 'string' ? cell : n(cell))).join(' | ')} |`;
const header = (cells: readonly string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`;

export function renderConcurrentMarkdown(results: ConcurrentResults): string {
  const { machine } = results;
  const lines: string[] = [];
  const add = (...more: string[]): void => {
    lines.push(...more);
  };
  add(`# Concord load benchmark, concurrent phase — ${results.startedAt.slice(0, 10)} on ${machine.hostname}`, '');
  add(
    `\`${results.command}\` — ${n(results.durationS)} s, started ${results.startedAt}. Raw figures: the JSON file of the same name. ` +
      'How it measures: [../README.md](../README.md#concurrent-phase).',
    '',
  );
  add(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}; 1-min load average ` +
      results.load.map((sample) => `${sample.phase} ${sample.loadAverage1m}`).join(' · ') +
      '. The three clients, the server(s) and PostgreSQL share these cores.',
    '',
  );
  const txns = results.runs[0]?.txns;
  add(
    `Workload: ${results.source}; ${results.limit === null ? 'the whole trace' : `its first ${n(results.limit)} transactions`}` +
      `${txns !== undefined ? ` (${n(txns)} transactions)` : ''}, one stock y-websocket client per person, each transaction sent once its client has received every edit it builds on; ` +
      `at most ${n(results.window)} of a client's own transactions not yet received by the other two. Expected text: ${results.runs[0]?.expected ?? 'n/a'}.`,
    '',
  );
  add('## Targets', '');
  if (results.targets.length === 0) add('No Concord target ran, or no memory-only run to compare with.', '');
  else add(header(['target', 'measured', 'limit', '']), ...results.targets.map((target) => row([target.name, target.measured, target.limit, target.met ? 'met' : '**missed**'])), '');
  add('## Runs', '');
  add(
    header(['target', 'transactions', 'total s', 'txns/s', '÷ memory', 'round-trip waits', 'p50 ms', 'p99 ms', 'max ms', 'p50 ÷ memory', 'held back s in all', 'window waits', 'converged', 'observer sync ms', 'client CPU %', 'disconnects']),
    ...results.runs.map((run) =>
      row([
        NAMES[run.kind],
        run.txns,
        run.totalMs / 1000,
        run.txnsPerSecond,
        run.overMemory ? `${run.overMemory.totalTime}×` : '—',
        run.roundTripWaits.count,
        run.roundTripWaits.p50,
        run.roundTripWaits.p99,
        run.roundTripWaits.max,
        run.overMemory ? `${run.overMemory.roundTripP50}×` : '—',
        run.heldBack.totalMs / 1000,
        run.windowWaits.count,
        run.converged ? 'yes (3 clients + fresh observer)' : `**no** (${run.agents.filter((agent) => !agent.converged).length} clients differ${run.observerConverged ? '' : ', observer differs'})`,
        run.observerSyncMs,
        run.clientCpuPercent,
        run.disconnects,
      ]),
    ),
    '',
  );
  add(
    'Round-trip wait: a transaction held back until an edit of another person it builds on had arrived, from the later of (held back, that edit sent) ' +
      'until its client had it. Held back: the same, from when it was held back (includes the other person not having typed the edit yet). ' +
      'Window wait: held back by flow control (its own earlier edits not yet at the other clients).',
    '',
    'Per client:',
    '',
  );
  add(
    header(['target', 'agent', 'client id', 'connected to', 'transactions', 'round-trip waits', 'p50 ms', 'p99 ms', 'max ms', 'held back s', 'window waits', 'converged']),
    ...results.runs.flatMap((run) =>
      run.agents.map((agent) =>
        row([run.kind, agent.agent, String(agent.clientId), agent.endpoint, agent.txns, agent.roundTripWaits.count, agent.roundTripWaits.p50, agent.roundTripWaits.p99, agent.roundTripWaits.max, agent.heldBack.totalMs / 1000, agent.windowWaits.count, agent.converged ? 'yes' : '**no**']),
      ),
    ),
    '',
  );
  add('Servers during the replay (server-probe.cjs):', '');
  for (const run of results.runs) for (const server of run.servers) add(`- ${run.kind}: ${server.summary}${server.warnings.length > 0 ? ` — ${server.warnings.length} warning lines, first: \`${server.warnings[0].slice(0, 200)}\`` : ''}`);
  add('');
  for (const run of results.runs) if (run.observerError) add(`Fresh observer on ${run.kind}: ${run.observerError}`, '');
  if (results.notRun.length > 0) add('Not run:', '', ...results.notRun.map((entry) => `- ${entry.kind}: ${entry.reason}`), '');
  return lines.join('\n');
}
