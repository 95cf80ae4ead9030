/** The load benchmark's results: JSON (every figure), markdown (readable) and the latency CDF (SVG). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineFacts } from '../machine';
import type { LoadSample } from '../results';
import { round } from '../stats';
import { evaluateLoadTargets, ISSUE_SCALE, LoadScale, LoadTarget, offeredRate } from './load-accounting';
import { renderCdfSvg } from './cdf-svg';
import type { LoadPhaseResult, LoadRun } from './load-phase';

export interface LoadResults {
  readonly schema: 1;
  readonly kind: 'load';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly command: string;
  readonly machine: MachineFacts;
  readonly load: readonly LoadSample[];
  readonly scale: LoadScale & { readonly offeredPerSecond: number; readonly atIssueScale: boolean; readonly warmupS: number; readonly graceS: number; readonly clientProcesses: number };
  readonly runs: readonly LoadRun[];
  readonly notRun: LoadPhaseResult['notRun'];
  readonly targets: readonly LoadTarget[];
  readonly cdfSvg: string;
}

const NAMES: Record<LoadRun['kind'], string> = {
  memory: 'memory-only relay',
  sqlite: 'Concord, SQLite, one node',
  postgres: 'Concord, PostgreSQL, two nodes (A → B)',
};

export function buildLoadResults(facts: Omit<LoadResults, 'targets' | 'cdfSvg'>, cdfSvg: string): LoadResults {
  return { ...facts, targets: evaluateLoadTargets(facts.scale, facts.runs), cdfSvg };
}

export function cdfTitle(results: Pick<LoadResults, 'scale'>): string {
  const { scale } = results;
  return `End-to-end latency CDF — ${scale.docs} docs × ${scale.editors} editors × ${scale.rate}/s = ${scale.offeredPerSecond.toLocaleString('en')} updates/s, ${scale.durationS} s`;
}

/** Writes <name>.json, <name>.md and <name>-cdf.svg into `directory`; returns the three paths. */
export function writeLoadResults(directory: string, name: string, results: Omit<LoadResults, 'cdfSvg' | 'targets'>): { json: string; markdown: string; svg: string; results: LoadResults } {
  mkdirSync(directory, { recursive: true });
  const svgName = `${name}-cdf.svg`;
  const full = buildLoadResults(results, svgName);
  const svg = renderCdfSvg(
    cdfTitle(full),
    full.runs.map((run) => ({ name: `${NAMES[run.kind]} (p50 ${run.latency.p50}, p99 ${run.latency.p99} ms)`, points: run.cdf })),
  );
  const paths = { json: join(directory, `${name}.json`), markdown: join(directory, `${name}.md`), svg: join(directory, svgName) };
  writeFileSync(paths.json, JSON.stringify(full, null, 2) + '\n');
  writeFileSync(paths.markdown, renderLoadMarkdown(full));
  writeFileSync(paths.svg, svg);
  return { ...paths, results: full };
}

const n = (value: number): string => (Number.isFinite(value) ? round(value).toLocaleString('en') : 'n/a');
const row = (cells: ReadonlyArray<string | number>): string => `| ${cells.map((cell) => (typeof cell === 'number' ? n(cell) : cell)).join(' | ')} |`;
const header = (cells: readonly string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`;

export function renderLoadMarkdown(results: LoadResults): string {
  const { machine, scale } = results;
  const lines: string[] = [];
  const add = (...more: string[]): void => {
    lines.push(...more);
  };
  add(`# Concord load benchmark — ${results.startedAt.slice(0, 10)} on ${machine.hostname}`, '');
  add(
    `\`${results.command}\` — ${n(results.durationS)} s, started ${results.startedAt}. Raw figures: the JSON file of the same name. ` +
      'How it measures: [../README.md](../README.md#load-issue-11-point-3).',
    '',
  );
  add(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}; 1-min load average ` +
      results.load.map((sample) => `${sample.phase} ${sample.loadAverage1m}`).join(' · ') +
      '. **Clients, servers and PostgreSQL all share these cores**: every figure includes the clients\' own CPU.',
    '',
  );
  add(
    `**Scale**: ${scale.docs} documents × ${scale.editors} editors × ${scale.rate} updates/s = ${n(scale.offeredPerSecond)} updates/s offered, ` +
      `one observer per document (${scale.docs * (scale.editors + 1)} stock y-websocket clients in ${scale.clientProcesses} child processes), ` +
      `${scale.warmupS} s warm-up, ${scale.durationS} s measured, ${scale.graceS} s grace before an unseen update counts as lost.`,
    '',
  );
  if (!scale.atIssueScale) {
    add(
      `> **Below the issue's scale** (${ISSUE_SCALE.docs} × ${ISSUE_SCALE.editors} × ${ISSUE_SCALE.rate}/s = ${n(offeredRate(ISSUE_SCALE))} updates/s): ` +
        'no target can be met by this run; "within limit" only says how this smaller load fared.',
      '',
    );
  }
  for (const skipped of results.notRun) add(`> **${NAMES[skipped.kind]} not run**: ${skipped.reason}.`, '');

  add('## Targets (issue 11 point 3)', '', header(['target', 'limit', 'measured', 'within limit', 'met at the issue\'s scale', 'measured facts behind a miss']));
  for (const target of results.targets) {
    add(row([target.name, target.limit, target.measured, target.withinLimit ? 'yes' : '**no**', target.met ? 'yes' : '**no**', target.reason || '—']));
  }
  add('');

  add(`## End-to-end latency, sender → observer`, '', `![latency CDF](${results.cdfSvg})`, '');
  add(header(['target', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'sent', 'lost', 'sent/s', 'observed/s', 'p50 ÷ memory', 'p99 ÷ memory', 'converged', 'machine busy']));
  for (const run of results.runs) {
    add(
      row([
        NAMES[run.kind],
        run.latency.p50,
        run.latency.p95,
        run.latency.p99,
        run.latency.max,
        run.sent,
        run.lost,
        run.sentPerSecond,
        run.achievedPerSecond,
        run.overMemory ? `${n(run.overMemory.p50)}×` : '—',
        run.overMemory ? `${n(run.overMemory.p99)}×` : '—',
        `${run.documentsConverged}/${run.documents}`,
        `${n(run.machineBusyPercent)}%`,
      ]),
    );
  }
  add('');

  add('## Servers during the measured window', '', header(['target', 'process', 'CPU % of a core', 'loop delay p50 / worst 1-s p99 / max ms', 'busiest SQLite transactions / pg queries (count × mean, max; ms per s)']));
  for (const run of results.runs) {
    for (const server of run.servers) {
      const probe = server.probe;
      const work = probe
        ? [...probe.sqliteTransactions.slice(0, 2), ...probe.pgQueries.slice(0, 3)]
            .map((item) => `\`${item.name.replace(/\|/g, '\\|').replace(/`/g, "'")}\` ${n(item.count)} × ${n(item.meanMs)} ms (max ${n(item.maxMs)}; ${n(item.msPerSecond)} ms/s)`)
            .join('<br>') || '—'
        : 'no probe data';
      add(row([NAMES[run.kind], server.name, probe ? probe.cpuPercent : 'n/a', probe ? `${n(probe.loopDelayP50)} / ${n(probe.loopDelayWorstP99)} / ${n(probe.loopDelayMax)}` : 'n/a', work]));
    }
  }
  add('');
  add('## Client processes', '', header(['target', 'clients per process', 'CPU % of a core', 'loop delay p99 / max ms', 'send lag p99 / max ms', 'disconnects']));
  for (const run of results.runs) {
    add(
      row([
        NAMES[run.kind],
        run.clients.map((client) => client.clients).join(', '),
        run.clients.map((client) => n(client.cpuPercent)).join(', '),
        run.clients.map((client) => `${n(client.loopDelayMs.p99)} / ${n(client.loopDelayMs.max)}`).join(', '),
        run.clients.map((client) => `${n(client.sendLagMs.p99)} / ${n(client.sendLagMs.max)}`).join(', '),
        run.clients.reduce((sum, client) => sum + client.disconnects, 0),
      ]),
    );
  }
  add('');
  const warnings = results.runs.flatMap((run) => run.servers.flatMap((server) => server.warnings.map((line) => `${server.name}: ${line}`)));
  if (warnings.length > 0) add('## Server warnings after start-up (first lines)', '', ...warnings.slice(0, 10).map((line) => `- \`${line.slice(0, 300).replace(/`/g, "'")}\``), '');
  return lines.join('\n') + '\n';
}
