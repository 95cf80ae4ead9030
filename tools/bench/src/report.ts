import type { DiffTiming, RevisionTiming } from './history/history-timing';
import { BenchResults, COLD_OPEN_RATIO_TARGET, DIFF_BUDGET_MS, VERIFY_RATE_TARGET, RECOMMENDATION_RULE, REVISION_BUDGET_MS, slowestRevision, STORAGE_RATIO_TARGET } from './results';
import { ratio, round } from './stats';
import type { RunResult } from './throughput/throughput-phase';

const n = (value: number): string => (Number.isFinite(value) ? round(value).toLocaleString('en') : 'n/a');
const row = (cells: ReadonlyArray<string | number>): string => `| ${cells.map((cell) => (typeof cell === 'number' ? n(cell) : cell)).join(' | ')} |`;
const header = (cells: readonly string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`;

/** The human-readable companion of the results JSON. */
export function renderMarkdown(results: BenchResults): string {
  const { machine, workload } = results;
  const lines: string[] = [];
  const add = (...more: string[]): void => {
    lines.push(...more);
  };
  const date = results.startedAt.slice(0, 10);
  add(`# Concord bench — ${date} on ${machine.hostname}`, '');
  add(
    `\`${results.command}\` — ${n(results.durationS)} s, started ${results.startedAt}. ` +
      `Raw figures: the JSON file of the same name. How to read them: [../README.md](../README.md).`,
    '',
  );

  add('## Machine', '', header(['fact', 'value']));
  add(row(['CPU', `${machine.cpuModel} (/proc/cpuinfo), ${machine.cores} cores`]));
  add(row(['RAM', `${machine.ramGiB} GiB`]));
  add(row(['Node', `${machine.node} (${machine.platform})`]));
  add(row(['packages', Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`).join(', ')]));
  add(row(['SQLite', `${machine.sqlite} (bundled with better-sqlite3), WAL, synchronous=FULL`]));
  add(row(['temp dir (SQLite files)', `${machine.tempDir.path} on ${machine.tempDir.device}, ${machine.tempDir.fs} (${machine.tempDir.mountOptions}), ${machine.tempDir.sizeGiB} GiB, rotational: ${machine.tempDir.rotational}`]));
  add(row(['write 64 B + fsync, median', results.load.map((sample) => `${sample.phase} ${sample.fsyncMs} ms`).join(' · ')]));
  add(row(['1-min load average', results.load.map((sample) => `${sample.phase} ${sample.loadAverage1m}`).join(' · ')]));
  add('');
  const busiest = Math.max(...results.load.map((sample) => sample.loadAverage1m));
  if (busiest > machine.cores) {
    add(
      `> **The machine was busy**: the load average reached ${n(busiest)} on ${machine.cores} cores (other work shared ` +
        'the CPUs), so wall-clock figures are pessimistic and noisier than on an idle machine. CPU time per update ' +
        '(server process) is less sensitive to that; ratios between runs measured back to back are more robust than absolute figures.',
      '',
    );
  }

  add('## Workload', '');
  add(
    `\`${workload.trace}\` (${workload.source}): ${n(workload.transactions)} transactions, one Yjs update each ` +
      `(typed by one client into a \`content\` XmlFragment holding one paragraph with one Y.XmlText — ` +
      `\`traceToUpdates\` of libs/content/src/testing), mean update ${n(workload.meanUpdateBytes)} B, final text ` +
      `${n(workload.finalTextLength)} characters; typing took ${n(workload.typingMs / 1000)} s.`,
    '',
  );

  add('## Targets', '', header(['target', 'limit', 'measured', 'measured ÷ limit', 'met']));
  for (const target of results.targets) add(row([target.name, target.target, target.measured, target.ratio, target.met ? 'yes' : '**no**']));
  add('');

  if (results.throughput) renderThroughput(results, add);
  if (results.history) renderHistory(results, add);
  return lines.join('\n') + '\n';
}

function renderThroughput(results: BenchResults, add: (...lines: string[]) => void): void {
  const throughput = results.throughput;
  if (!throughput) return;
  const { options } = results;
  add('## 1. Through the collab server', '');
  add(
    'A real `createCollabServer` attached to an HTTP server on 127.0.0.1 (authenticate/authorize stubs), ' +
      'backed by `SqliteEventStore` on a temp file (durable: WAL, synchronous=FULL, group commit) or by ' +
      '`MemoryEventStore` (memory-only relay), checkpoint every ' +
      `${results.options.checkpointIntervals.includes(500) ? 500 : results.options.checkpointIntervals[0]} updates. ` +
      'Two stock `WebsocketProvider`s (Node `ws`, `disableBc: true`) run in a child process: the writer applies the ' +
      'trace\'s updates to its Y.Doc one by one (its provider sends each as one frame); the observer is a second ' +
      'drafter. An update is acknowledged when the observer has applied it. Each run types into a fresh proposal from ' +
      'the start of the trace, after a warm-up run.',
    '',
    `- **keystroke**: window 1 — one update in flight, the latency of a single keystroke through the server.`,
    `- **paced**: open loop at ${n(options.pacedRate)} updates/s, still bounded by the window (${options.window}); latency counts from the scheduled send time.`,
    `- **throughput**: closed loop, at most ${options.window} unacknowledged updates in flight (the server's pending-edit limit per connection is 1000), ` +
      `${n(throughput.runs.find((run) => run.run === 'throughput')?.updates ?? 0)} updates per store. The two stores take turns every ${n(options.chunk)} updates ` +
      '(ABBA order; each keeps its own document, so both type the same growing text) so that both see the same machine conditions. ' +
      'It saturates the server: its latencies are mostly queueing (≈ window ÷ rate).',
    '',
    '*end-to-end* = writer hands the update to its provider → observer has applied it (client process clock). ' +
      '*server* = the server\'s `ws` emits the frame → the server hands the broadcast frame to `ws` (server process ' +
      'clock, timed by wrapping `ws` in the bench process, which hosts only server sockets: the collab server exposes ' +
      'no timing of its own). Server CPU = user + system time of the server process per update.',
    '',
  );
  add(
    header(['store', 'run', 'updates', 'window / rate', 'updates/s', 'end-to-end p50 / p99 ms', 'server p50 / p99 ms', 'server CPU µs/update', 'updates per append (mean / max)', 'append wait p50 / p99 ms', 'SQLite commit mean ms', 'verified']),
  );
  for (const run of throughput.runs) {
    add(
      row([
        run.store === 'sqlite' ? 'SQLite (durable)' : 'memory',
        run.run,
        run.updates,
        run.offeredRate > 0 ? `${run.window} / ${n(run.offeredRate)}/s` : `${run.window} / closed`,
        run.updatesPerSecond,
        `${n(run.endToEndMs.p50)} / ${n(run.endToEndMs.p99)}`,
        `${n(run.serverMs.p50)} / ${n(run.serverMs.p99)}`,
        run.serverCpuUsPerUpdate,
        `${n(run.appends.meanEventsPerCall)} / ${n(run.appends.maxEventsPerCall)}`,
        `${n(run.appends.durationMs.p50)} / ${n(run.appends.durationMs.p99)}`,
        run.store === 'sqlite' ? run.appends.meanCommitMs : '',
        verifiedText(run),
      ]),
    );
  }
  const chunked = throughput.runs.filter((run) => run.updatesPerSecondByChunk.length > 1);
  if (chunked.length > 0) {
    add('', `Throughput run, updates/s per chunk of ${n(options.chunk)} updates in trace order (the document grows from left to right):`, '');
    add(header(['store', ...chunked[0].updatesPerSecondByChunk.map((_, index) => `${n(index * options.chunk)}–`)]));
    for (const run of chunked) add(row([run.store, ...run.updatesPerSecondByChunk]));
  }
  const samples = throughput.runs.flatMap((run) => run.warningSamples.map((sample) => `${run.store} ${run.run}: ${sample}`));
  if (samples.length > 0) {
    add('', 'Server log warnings/errors (first ones per run):', '', ...samples.map((sample) => `- \`${sample.slice(0, 300).replace(/`/g, "'")}\``));
  }
  add(
    '',
    '**Durable ÷ memory-only** (same server, same clients). The last three columns explain the durable store\'s extra wall time per update ' +
      '(1/rate difference): extra server CPU (user + system), and the time the server was blocked inside SQLite group commits ' +
      '(statements + WAL fsync; measured by timing SqliteEventStore\'s commit; better-sqlite3 is synchronous, so the event loop does nothing else meanwhile; ' +
      'it overlaps the CPU column for the statements\' part).',
    '',
    header(['run', 'updates/s', 'server p50', 'server p99', 'server CPU per update', 'extra wall µs/update', 'extra CPU µs/update', 'blocked in commits µs/update']),
  );
  for (const [kind, ratios] of Object.entries(throughput.durableOverMemory)) {
    add(
      row([
        kind,
        `${ratios.updatesPerSecond}×`,
        `${ratios.serverP50}×`,
        `${ratios.serverP99}×`,
        `${ratios.serverCpuPerUpdate}×`,
        ratios.overheadUsPerUpdate,
        ratios.extraCpuUsPerUpdate,
        ratios.commitUsPerUpdate,
      ]),
    );
  }
  add('');
}

function verifiedText(run: RunResult): string {
  const notes = [run.verified ? 'yes' : '**no**'];
  if (run.disconnects > 0) notes.push(`${run.disconnects} disconnects`);
  if (run.serverWarnings + run.serverErrors > 0) notes.push(`${run.serverWarnings} warnings, ${run.serverErrors} errors`);
  return notes.join(', ');
}

function renderHistory(results: BenchResults, add: (...lines: string[]) => void): void {
  const history = results.history;
  if (!history) return;
  const perK = history.perCheckpointInterval;
  const ks = perK.map((result) => `K=${result.checkpointEvery}`);
  add('## 2. History at scale', '');
  add(
    `The whole history (${n(perK[0]?.updates ?? 0)} updates) recorded in order through \`ProposalContent.appendUpdate\` ` +
      '(validate, prepare, group-committed append, apply; 256 in flight) on a SQLite file (synchronous=FULL), once ' +
      'per checkpoint interval K; then read by a freshly opened collab server, as the REST endpoints do ' +
      '(history.service.ts), each measurement taken for every K in turn (so load changes hit all K alike). Figures are the p50 of ' +
      `${results.options.revisionRuns} runs (revisions) and ${results.options.diffRuns} runs (diffs); every result was ` +
      'checked against the trace\'s own text at that revision.',
    '',
    header([
      'K',
      'recorded in s (updates/s)',
      'of which waiting for checkpoints, s',
      'checkpoints',
      'one checkpoint at the end: ms (µs per update)',
      'SQLite file after VACUUM',
      'of which checkpoints',
      'file bytes per event',
    ]),
  );
  for (const result of perK) {
    add(
      row([
        result.checkpointEvery,
        `${n(result.writeMs / 1000)} (${n(result.writeUpdatesPerSecond)})`,
        result.throttledMs / 1000,
        result.checkpoints,
        `${n(result.checkpointCost.buildMs)} (${n(result.checkpointCost.perUpdateUs)})`,
        `${n(result.storage.fileBytes / 1e6)} MB`,
        `${n(result.storage.checkpointBytes.total / 1e6)} MB (last one ${n(result.storage.checkpointBytes.last / 1e3)} kB)`,
        result.storage.fileBytesPerEvent,
      ]),
    );
  }
  add(
    '',
    '*One checkpoint* = what LiveDocument.writeCheckpoint computes (revision c − 1 rebuilt from the previous checkpoint plus K − 1 updates, ' +
      'then encodeStateAsUpdate) at the last checkpoint of the history; spread over K updates it is the server CPU each update pays for checkpoints. ' +
      'The writer is held at most 2 K updates ahead of the newest written checkpoint (as typing at human speed always is): unthrottled, ' +
      'checkpoints fall behind and each one re-reads the backlog (see the README, findings).',
  );
  add('', `### Open revision r (documentAt + content hash + plain text + ProseMirror JSON), p50 ms — budget ${REVISION_BUDGET_MS} ms`, '');
  add(
    'The revisions the issue names are multiples of 100, 500 and 1000 except the last, so they mostly open straight from a checkpoint; ' +
      'the last row is each K\'s slowest case, the revision just before its newest checkpoint (K − 1 updates replayed after the previous one).',
    '',
  );
  add(header(['r', ...ks.map((k) => `${k}: total (documentAt + render)`), ...ks.map((k) => `${k} ÷ budget`)]));
  const revisionCell = (timing: RevisionTiming | undefined): string =>
    timing ? `${n(timing.totalMs)} (${n(timing.documentAtMs)} + ${n(timing.renderMs)})${timing.textMatches ? '' : ' **text differs**'}` : '';
  for (const revision of history.revisionsAt) {
    const cells = perK.map((result) => result.revisions.find((timing) => timing.revision === revision));
    add(row([revision, ...cells.map(revisionCell), ...cells.map((timing) => (timing ? ratio(timing.totalMs, REVISION_BUDGET_MS) : ''))]));
  }
  add(
    row([
      'newest checkpoint − 1',
      ...perK.map((result) => `r=${result.worstCaseRevision.revision}: ${revisionCell(result.worstCaseRevision)}`),
      ...perK.map((result) => ratio(result.worstCaseRevision.totalMs, REVISION_BUDGET_MS)),
    ]),
  );

  add('', `### Diff a→b as HistoryService.diff computes it, p50 ms — budget ${DIFF_BUDGET_MS} ms`, '');
  add(
    'Without the API\'s per-process attribution cache: the first diff of a proposal after a restart, the slowest case. ' +
      'Breakdown, the first two in parallel: source (currentRevision + historySource: the history snapshot ≤ b that keeps deleted content and the ≤ K updates after it, ' +
      'revision a built as a Yjs snapshot) / attribution (attributionAt(b): the index stored with that snapshot plus the updates after it) / ' +
      'replay + diff (diffRevisionsWithMoves: spans and moved paragraphs). *replayed* = updates after the snapshot the diff starts from.',
    '',
  );
  add(header(['a→b', ...ks.map((k) => `${k}: total (source / attribution / replay+diff)`), ...ks.map((k) => `${k} ÷ budget`)]));
  for (const [from, to] of history.diffPairs) {
    const cells = perK.map((result) => result.diffs.find((diff) => diff.from === from && diff.to === to));
    add(row([`${from}→${to}`, ...cells.map(describeDiff), ...cells.map((diff) => (diff ? ratio(diff.totalMs, DIFF_BUDGET_MS) : ''))]));
  }

  add('', `### Cold open ÷ Yjs loading its own snapshot, p50 ms — target ≤ ${COLD_OPEN_RATIO_TARGET}×`, '');
  add(
    '*Cold open* = ProposalContent.documentAt(r) on a server with the proposal closed, what the collab server does when the first person ' +
      'opens it: the newest snapshot ≤ r read from SQLite and loaded, the updates after it replayed. *Yjs* = `Y.applyUpdate` of ' +
      '`Y.encodeStateAsUpdate` of the same document into a fresh Y.Doc, in memory (its own, garbage-collected snapshot). The stored snapshots ' +
      'keep deleted content (history snapshots), so they are larger than Yjs\'s own. *Store reads* = the same reads timed alone (the snapshot event, then ' +
      'the content events after it in pages of 256, as ContentReader does); the rest of the open is decoding and applying.',
    '',
  );
  add(
    header(['K', 'r', 'updates replayed', 'cold open ms', 'of which store reads ms', 'Yjs ms', 'ratio', 'stored snapshot kB', 'Yjs snapshot kB']),
    ...perK.flatMap((result) =>
      result.coldOpens.map((open) =>
        row([
          result.checkpointEvery,
          open.revision,
          open.replayed,
          open.openMs,
          open.readMs,
          open.yjsMs,
          `${ratio(open.openMs, open.yjsMs)}×`,
          open.storedSnapshotBytes / 1e3,
          open.yjsSnapshotBytes / 1e3,
        ]),
      ),
    ),
  );
  add('', '### Choosing K', '');
  add(
    header(['K', 'slowest revision p50 ms (÷ budget)', 'one checkpoint ms (server CPU µs per update)', 'checkpoints stored', 'recorded updates/s (history write)']),
    ...perK.map((result) => {
      const slowest = slowestRevision(result);
      return row([
        result.checkpointEvery,
        `${n(slowest.totalMs)} at r=${slowest.revision} (${ratio(slowest.totalMs, REVISION_BUDGET_MS)})`,
        `${n(result.checkpointCost.buildMs)} (${n(result.checkpointCost.perUpdateUs)})`,
        `${n(result.storage.checkpointBytes.total / 1e6)} MB`,
        result.writeUpdatesPerSecond,
      ]);
    }),
  );
  add('', `**Recommended K = ${history.recommendedCheckpointEvery}** — rule: ${RECOMMENDATION_RULE}.`, '');

  const storage = history.updateStorage;
  add('## 3. Storage per event (SQLite)', '');
  add(
    header(['measure', 'bytes per update', `÷ raw update (${n(storage.rawUpdateBytes)} B)`, `÷ target (${STORAGE_RATIO_TARGET}× raw)`]),
    row(['raw Yjs update (mean, `data` column)', storage.rawUpdateBytes, 1, ratio(1, STORAGE_RATIO_TARGET)]),
    row(['metadata column (JSON)', storage.metadataBytes, ratio(storage.metadataBytes, storage.rawUpdateBytes), '']),
    row(['data + metadata columns', storage.payloadAndMetadataBytes, ratio(storage.payloadAndMetadataBytes, storage.rawUpdateBytes), ratio(storage.payloadAndMetadataBytes, storage.rawUpdateBytes * STORAGE_RATIO_TARGET)]),
    row(['id + stream + type columns', storage.otherColumnBytes, ratio(storage.otherColumnBytes, storage.rawUpdateBytes), '']),
    row(['SQLite file after VACUUM, updates only', storage.fileBytesPerUpdate, ratio(storage.fileBytesPerUpdate, storage.rawUpdateBytes), ratio(storage.fileBytesPerUpdate, storage.rawUpdateBytes * STORAGE_RATIO_TARGET)]),
    ...Object.entries(storage.pages).map(([name, bytes]) => row([`… of which \`${name}\` (dbstat)`, bytes, ratio(bytes, storage.rawUpdateBytes), ''])),
    ...perK.map((result) =>
      row([`whole file with K=${result.checkpointEvery} checkpoints, per update`, result.storage.fileBytesPerUpdate, ratio(result.storage.fileBytesPerUpdate, storage.rawUpdateBytes), ratio(result.storage.fileBytesPerUpdate, storage.rawUpdateBytes * STORAGE_RATIO_TARGET)]),
    ),
    '',
    `A stored update's metadata: \`${storage.sampleMetadata}\``,
    '',
    `Reading the log back as the collab server's store subscription does after every commit (readAll by position, pages of 500): ${n(storage.readBackUsPerEvent)} µs per event (K=${Math.max(...perK.map((result) => result.checkpointEvery))} log, checkpoints included).`,
    '',
    ...(history.verify
      ? [
          `\`npm run verify\`'s chain check (verifyEventStoreInParallel: the log cut into ranges of 20,000 revisions, checked at once by this thread and worker threads on their own connections — every stream read in pages of 1,000, every event's hash recomputed from its canonical JSON and bytes and linked to the previous one) over the same log: ` +
            `${n(history.verify.events)} events in ${n(history.verify.ms / 1000)} s = ${n(history.verify.eventsPerSecond)} events/s on ${history.verify.threads ?? 1} threads, worker start included (${history.verify.ok ? 'intact' : '**broken**'}).` +
            (history.verifySingleThread
              ? ` The same check on one thread (verifyEventStore, as the server runs it for GET /api/audit/verify): ${n(history.verifySingleThread.eventsPerSecond)} events/s.`
              : ''),
          '',
        ]
      : []),
    'The same updates in other layouts (prototypes of a product change): each written to a fresh SQLite file in transactions of 128 rows ' +
      '(WAL, synchronous=FULL, like a group commit; the insert time is the store\'s share of a commit), then VACUUMed:',
    '',
    header(['layout', 'keeps', 'bytes per update', '÷ raw', '÷ target', 'insert µs per update', `verify events/s (÷ ${n(VERIFY_RATE_TARGET)})`]),
    ...storage.alternatives.map((alternative) =>
      row([
        alternative.layout,
        alternative.keeps,
        alternative.bytesPerUpdate,
        alternative.ratio,
        ratio(alternative.ratio, STORAGE_RATIO_TARGET),
        alternative.insertUsPerUpdate,
        alternative.verifyEventsPerSecond === undefined
          ? ''
          : `${n(alternative.verifyEventsPerSecond)} (${ratio(alternative.verifyEventsPerSecond, VERIFY_RATE_TARGET)})${alternative.verified ? '' : ' **chain broken**'}`,
      ]),
    ),
    '',
    '*Verify* = every row of that file read back in order (pages of 1,000) and its chain recomputed and compared, as `npm run verify` does: ' +
      '`current` with the product\'s `computeEventHash` (canonical JSON of the metadata), `binary` with a per-event sha256 over its fixed-width fields ' +
      'and data, `batch-chained` with a leaf hash per event, a Merkle root per commit of 256 and a hash chaining the roots (node:crypto sha256).',
    '',
  );
}

function describeDiff(diff: DiffTiming | undefined): string {
  if (!diff) return '';
  return `${n(diff.totalMs)} (${n(diff.readMs)} / ${n(diff.attributionMs)} / ${n(diff.diffMs)}; replayed ${n(diff.replayed)})${diff.textMatches ? '' : ' **text differs**'}`;
}
