import * as Y from 'yjs';
import { parseOptions } from '../options';
import { decadeRange, escapeXml, renderCdfSvg } from './cdf-svg';
import { account, atIssueScale, insertedTokens, cdfPoints, evaluateLoadTargets, ISSUE_SCALE, parseTokens, summarize, TargetFigures, updateToken } from './load-accounting';
import type { LoadRun } from './load-phase';
import { buildLoadResults, LoadResults, renderLoadMarkdown } from './load-report';
import { busyPercent, parseProcStat, summarizeProbe } from './probe-summary';

describe('update tokens', () => {
  it('round-trips editor and sequence, also when an update inserted several tokens at once', () => {
    const text = updateToken(3, 41) + updateToken(0, 7) + 'x' + updateToken(12, 0);
    expect(parseTokens(text)).toEqual([
      { editor: 3, seq: 41 },
      { editor: 0, seq: 7 },
      { editor: 12, seq: 0 },
    ]);
    expect(parseTokens('no tokens here')).toEqual([]);
  });
});

describe('observing tokens in remote updates', () => {
  it('finds exactly the tokens each update inserted, with concurrent editors inserting at the start', () => {
    const paragraphOf = (doc: Y.Doc): Y.XmlText => ((doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText);
    const origin = new Y.Doc();
    origin.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      origin.getXmlFragment('content').insert(0, [paragraph]);
    });
    const docs = [0, 1, 2].map(() => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
      return doc;
    });
    const [editorA, editorB, observer] = docs;
    const seen: Array<{ editor: number; seq: number }[]> = [];
    paragraphOf(observer).observe((event) => seen.push(insertedTokens(event.changes.delta)));
    const updates: Uint8Array[] = [];
    for (const editor of [editorA, editorB]) {
      editor.on('update', (update: Uint8Array) => {
        updates.push(update);
      });
    }
    paragraphOf(editorA).insert(0, updateToken(0, 0));
    paragraphOf(editorB).insert(0, updateToken(1, 0)); // concurrent with A's
    paragraphOf(editorA).insert(0, updateToken(0, 1));
    for (const update of updates) Y.applyUpdate(observer, update, 'provider');
    expect(seen).toEqual([[{ editor: 0, seq: 0 }], [{ editor: 1, seq: 0 }], [{ editor: 0, seq: 1 }]]);
    // Two updates applied as one (a merged broadcast): both tokens, whole.
    const late = new Y.Doc();
    Y.applyUpdate(late, Y.encodeStateAsUpdate(origin));
    const merged: Array<{ editor: number; seq: number }> = [];
    paragraphOf(late).observe((event) => merged.push(...insertedTokens(event.changes.delta)));
    Y.applyUpdate(late, Y.mergeUpdates(updates));
    expect(merged).toHaveLength(3);
    expect(merged).toEqual(expect.arrayContaining([{ editor: 0, seq: 0 }, { editor: 1, seq: 0 }, { editor: 0, seq: 1 }]));
  });
});

describe('loss accounting', () => {
  it('counts measured sends only, latency from send to observation, never-seen as lost', () => {
    const accounting = account([
      // seq 0 is warm-up (ignored even though seen), 1 and 2 are measured, 2 never arrives
      { sentAt: [0, 10, 20], measured: [0, 1, 1], seenAt: [3, 14, Number.NaN] },
      // seq 1 was never sent (NaN): not counted; the observer list is shorter than the sends
      { sentAt: [5, Number.NaN, 30], measured: [1, 1, 1], seenAt: [6] },
    ]);
    expect(accounting).toEqual({ sent: 4, observed: 2, lost: 2, latencies: [4, 1] });
  });

  it('summarizes with nearest-rank percentiles, p95 included', () => {
    const summary = summarize(Array.from({ length: 200 }, (_, index) => 200 - index));
    expect(summary).toMatchObject({ count: 200, p50: 100, p95: 190, p99: 198, max: 200 });
  });
});

describe('load targets', () => {
  const figures = (kind: TargetFigures['kind'], p50: number, p99: number, lost = 0, achieved = 1000): TargetFigures => ({
    kind,
    latency: { count: 1000, mean: p50, p50, p90: p99, p95: p99, p99, max: p99 * 2 },
    sent: 60_000,
    lost,
    achievedPerSecond: achieved,
    reasons: [`${kind}: loop delay 80 ms`],
  });

  it('marks each figure against its limit, with the measured reason of a miss', () => {
    const targets = evaluateLoadTargets(ISSUE_SCALE, [figures('memory', 2, 6), figures('sqlite', 3, 40), figures('postgres', 9, 140, 3, 990)]);
    const byName = Object.fromEntries(targets.map((target) => [target.name, target]));
    expect(byName['SQLite, one node: p99 end to end']).toMatchObject({ withinLimit: true, met: true, reason: '' });
    expect(byName['SQLite, one node: p50 ÷ memory-only p50']).toMatchObject({ measured: '1.5× (3 vs 2 ms)', met: true });
    expect(byName['PostgreSQL, two nodes: p99 end to end']).toMatchObject({ withinLimit: false, met: false, reason: 'postgres: loop delay 80 ms' });
    expect(byName['PostgreSQL, two nodes: no loss']).toMatchObject({ measured: '3 of 60,000 lost', met: false });
    expect(byName['PostgreSQL, two nodes: p50 ÷ memory-only p50'].met).toBe(false);
    expect(byName['PostgreSQL, two nodes: offered rate achieved'].met).toBe(true);
  });

  it('meets nothing below the issue scale, however good the figures', () => {
    const half = { ...ISSUE_SCALE, docs: 25 };
    expect(atIssueScale(half)).toBe(false);
    const targets = evaluateLoadTargets(half, [figures('memory', 2, 6, 0, 500), figures('sqlite', 2, 6, 0, 500)]);
    expect(targets.every((target) => target.withinLimit)).toBe(true);
    expect(targets.some((target) => target.met)).toBe(false);
  });
});

describe('latency CDF', () => {
  it('is monotone and ends at the maximum', () => {
    const samples = Array.from({ length: 1000 }, (_, index) => (index * 7919) % 1000 / 10);
    const points = cdfPoints(samples, 50);
    for (let index = 1; index < points.length; index++) {
      expect(points[index].share).toBeGreaterThan(points[index - 1].share);
      expect(points[index].ms).toBeGreaterThanOrEqual(points[index - 1].ms);
    }
    expect(points[points.length - 1]).toEqual({ ms: 99.9, share: 1 });
    expect(cdfPoints([])).toEqual([]);
  });

  it('draws one polyline per series on whole decades, names escaped', () => {
    const series = [
      { name: 'memory <relay>', points: cdfPoints([0.5, 1, 2, 3]) },
      { name: 'sqlite & co', points: cdfPoints([5, 20, 250]) },
      { name: 'not run', points: [] },
    ];
    expect(decadeRange(series)).toEqual({ lo: -1, hi: 3 });
    const svg = renderCdfSvg('CDF "test"', series);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('memory &lt;relay&gt;');
    expect(svg).toContain('sqlite &amp; co');
    expect(svg).toContain('<title>CDF &quot;test&quot;</title>');
    for (const label of ['0.1', '1', '10', '100', '1000']) expect(svg).toContain(`>${label}</text>`);
    expect(escapeXml('a<b>&"')).toBe('a&lt;b&gt;&amp;&quot;');
  });
});

describe('server probe summary', () => {
  const line = (t: number, p99: number, cpuMs: number, commitMs: number) => ({
    t,
    loop: { p50: 1, p99, max: p99 + 1, mean: 1 },
    cpuMs,
    tx: { 'concord.sqlite (batch) =>': { count: 10, ms: commitMs, max: commitMs / 2 } },
    pg: {},
  });

  it('keeps only the lines of the window and aggregates them', () => {
    const summary = summarizeProbe([line(1000, 99, 1000, 900), line(2000, 5, 500, 100), line(3000, 7, 300, 300), line(4000, 50, 1000, 1000)], 1000, 3000);
    expect(summary).toMatchObject({ seconds: 2, loopDelayWorstP99: 7, loopDelayMax: 8, cpuPercent: 40 });
    expect(summary?.sqliteTransactions).toEqual([{ name: 'concord.sqlite (batch) =>', count: 20, meanMs: 20, maxMs: 150, msPerSecond: 200 }]);
    expect(summarizeProbe([line(1000, 1, 1, 1)], 5000, 6000)).toBeNull();
  });
});

describe('machine CPU from /proc/stat', () => {
  it('takes the busy share of all cores between two readings, iowait counted as idle', () => {
    const before = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n');
    const after = parseProcStat('cpu  250 0 150 750 150 0 0 0 0 0\n');
    expect(before).toEqual({ idle: 800, total: 1000 });
    expect(busyPercent(before as { idle: number; total: number }, after as { idle: number; total: number })).toBe(66.7);
    expect(parseProcStat('intr 1 2 3')).toBeNull();
  });
});

describe('load options', () => {
  it('defaults to the issue scale against all three targets, and --quick to a small one', () => {
    expect(parseOptions(['--only=load'])).toMatchObject({ only: 'load', docs: 50, editors: 5, rate: 4, duration: 60, loadTargets: ['memory', 'sqlite', 'postgres'] });
    expect(parseOptions(['--only=load', '--quick'])).toMatchObject({ docs: 4, editors: 2, duration: 8, resultsDir: 'tmp/bench-results' });
    expect(() => parseOptions(['--only=history'])).toThrow(/--only takes load/);
    expect(() => parseOptions(['--load-targets=redis'])).toThrow(/not one of/);
  });
});

describe('load report', () => {
  it('writes the targets, the latency table with ratios, and links the CDF', () => {
    const run = (kind: 'memory' | 'sqlite', p50: number, p99: number): LoadRun => ({
      kind,
      description: kind,
      latency: { count: 100, mean: p50, p50, p90: p99, p95: p99, p99, max: p99 },
      sent: 100,
      lost: 0,
      achievedPerSecond: 10,
      sentPerSecond: 10,
      reasons: ['server: CPU 99% of a core'],
      documents: 2,
      documentsConverged: 2,
      machineBusyPercent: 71,
      clients: [{ clients: 6, cpuPercent: 12, loopDelayMs: { p50: 1, p99: 2, max: 3 }, sendLagMs: summarize([0.1, 0.2]), disconnects: 0 }],
      servers: [{ name: kind, probe: null, warnings: [] }],
      overMemory: kind === 'memory' ? null : { p50: p50 / 2, p95: 1, p99: p99 / 6, achieved: 1 },
      cdf: cdfPoints([p50, p99]),
    });
    const scale = { docs: 2, editors: 2, rate: 5, durationS: 10 };
    const results = buildLoadResults(
      {
        schema: 1,
        kind: 'load',
        startedAt: '2026-12-07T04:40:00.000Z',
        finishedAt: '2026-12-07T04:41:00.000Z',
        durationS: 60,
        command: 'npm run bench -- --only=load',
        machine: { hostname: 'vm', cpuModel: 'cpu', cores: 2, ramGiB: 4, node: 'v22' } as unknown as LoadResults['machine'],
        load: [],
        scale: { ...scale, offeredPerSecond: 20, atIssueScale: false, warmupS: 1, graceS: 1, clientProcesses: 1 },
        runs: [run('memory', 2, 6), run('sqlite', 3, 80)],
        notRun: [{ kind: 'postgres', reason: 'no DATABASE_URL (or --database-url) given' }],
      },
      'x-load-cdf.svg',
    );
    const markdown = renderLoadMarkdown(results);
    expect(markdown).toContain('![latency CDF](x-load-cdf.svg)');
    expect(markdown).toContain('Below the issue\'s scale');
    expect(markdown).toContain('Concord, PostgreSQL, two nodes (A → B) not run**: no DATABASE_URL');
    expect(markdown).toContain('| SQLite, one node: p99 end to end | ≤ 50 ms | 80 ms | **no** | **no** | server: CPU 99% of a core |');
    expect(markdown).toContain('| Concord, SQLite, one node | 3 | 80 | 80 | 80 | 100 | 0 | 10 | 10 | 1.5× | 13.3× | 2/2 | 71% |');
  });
});
