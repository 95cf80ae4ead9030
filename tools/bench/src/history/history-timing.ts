import {
  AttributionIndex,
  contentHashOfDocument,
  diffRevisions,
  DiffSpan,
  textOfDiff,
  toPlainText,
  toProseMirrorJson,
} from '@concord/content';
import type { CollabServer } from '@concord/collab';
import * as Y from 'yjs';
import { median, round } from '../stats';
import { HISTORY_PROPOSAL } from './history-store';

export interface RevisionTiming {
  readonly revision: number;
  /** p50 over the runs of the whole revision view (documentAt + hash + text + doc JSON). */
  readonly totalMs: number;
  /** p50 of documentAt alone (locate, read checkpoint + tail, replay). */
  readonly documentAtMs: number;
  /** p50 of content hash + plain text + ProseMirror JSON. */
  readonly renderMs: number;
  readonly runsMs: number[];
  /** The rendered text equals the trace's text at that revision (checked on the first run). */
  readonly textMatches: boolean;
}

/** As HistoryService.revision does it (without the access check and DTO mapping). */
export async function timeRevision(
  collab: CollabServer,
  revision: number,
  runs: number,
  expectedText: string,
): Promise<RevisionTiming> {
  const totals: number[] = [];
  const builds: number[] = [];
  const renders: number[] = [];
  let textMatches = true;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const doc = await collab.content.documentAt(HISTORY_PROPOSAL, revision);
    const built = performance.now();
    try {
      const view = { revision, contentHash: contentHashOfDocument(doc), text: toPlainText(doc), doc: toProseMirrorJson(doc) };
      if (run === 0) textMatches = view.text === expectedText && view.contentHash.length === 64;
    } finally {
      doc.destroy();
    }
    const ended = performance.now();
    totals.push(ended - started);
    builds.push(built - started);
    renders.push(ended - built);
  }
  return {
    revision,
    totalMs: round(median(totals)),
    documentAtMs: round(median(builds)),
    renderMs: round(median(renders)),
    runsMs: totals.map(round),
    textMatches,
  };
}

export interface DiffTiming {
  readonly from: number;
  readonly to: number;
  /** p50 of the whole diff as HistoryService.diff computes it. */
  readonly totalMs: number;
  /** p50 of reading: currentRevision + historySource + updatesWithAuthors. */
  readonly readMs: number;
  /** p50 of AttributionIndex.fromUpdates over updates 1..to. */
  readonly attributionMs: number;
  /** p50 of diffRevisions (replay from the checkpoint ≤ from to `to`, snapshots, spans). */
  readonly diffMs: number;
  /** Updates replayed by diffRevisions (checkpoint ≤ from … to). */
  readonly replayed: number;
  readonly runsMs: number[];
  readonly spans: number;
  /** The spans give back the trace's text at `from` and at `to` (checked on the last run). */
  readonly textMatches: boolean;
}

/** As HistoryService.diff does it: historySource + AttributionIndex over updatesWithAuthors + diffRevisions. */
export async function timeDiff(
  collab: CollabServer,
  from: number,
  to: number,
  runs: number,
  expected: { from: string; to: string },
): Promise<DiffTiming> {
  const totals: number[] = [];
  const reads: number[] = [];
  const attributions: number[] = [];
  const diffs: number[] = [];
  let spans: DiffSpan[] = [];
  let replayed = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const current = await collab.content.currentRevision(HISTORY_PROPOSAL);
    if (to > current) throw new Error(`no revision ${to} (newest ${current})`);
    const [source, authored] = await Promise.all([
      collab.content.historySource(HISTORY_PROPOSAL, { from, to }),
      collab.content.updatesWithAuthors(HISTORY_PROPOSAL, to),
    ]);
    const read = performance.now();
    const attribution = AttributionIndex.fromUpdates(authored);
    const indexed = performance.now();
    spans = diffRevisions({ ...source, from, to, attribution });
    const ended = performance.now();
    replayed = to - source.snapshotRevision;
    totals.push(ended - started);
    reads.push(read - started);
    attributions.push(indexed - read);
    diffs.push(ended - indexed);
  }
  return {
    from,
    to,
    totalMs: round(median(totals)),
    readMs: round(median(reads)),
    attributionMs: round(median(attributions)),
    diffMs: round(median(diffs)),
    replayed,
    runsMs: totals.map(round),
    spans: spans.length,
    textMatches: textOfDiff(spans, 'from') === expected.from && textOfDiff(spans, 'to') === expected.to,
  };
}

export interface CheckpointCost {
  /** The checkpoint interval this cost is for, and the checkpoint revision it was measured at. */
  readonly checkpointEvery: number;
  readonly revision: number;
  /** p50 of what the checkpoint writer does for one checkpoint: replay the previous checkpoint + K updates, encode. */
  readonly buildMs: number;
  /** buildMs spread over the K updates that trigger it: the server CPU each update pays for checkpoints. */
  readonly perUpdateUs: number;
}

/**
 * The work of one checkpoint near the end of the history (the document at its largest): revision
 * c − 1 rebuilt from the checkpoint before it plus K − 1 updates, then `Y.encodeStateAsUpdate`, as
 * LiveDocument.writeCheckpoint does (minus its backward scan from the stream head, see README).
 */
export async function timeCheckpointBuild(collab: CollabServer, checkpointEvery: number, newest: number, runs: number): Promise<CheckpointCost> {
  const revision = Math.floor(newest / checkpointEvery) * checkpointEvery;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const doc = await collab.content.documentAt(HISTORY_PROPOSAL, revision - 1);
    try {
      Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
    times.push(performance.now() - started);
  }
  const buildMs = median(times);
  return { checkpointEvery, revision, buildMs: round(buildMs), perUpdateUs: round((buildMs * 1000) / checkpointEvery) };
}
