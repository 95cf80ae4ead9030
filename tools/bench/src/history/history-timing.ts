import { contentHashOfDocument, diffRevisionsWithMoves, DiffSpan, encodeSnapshot, textOfDiff, toPlainText, toProseMirrorJson } from '@concord/content';
import { contentStreamOf, snapshotStreamOf, type CollabServer } from '@concord/collab';
import type { EventStore } from '@concord/event-store';
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
  /** p50 of the whole diff as HistoryService.diff computes it on a server that has not diffed this proposal yet. */
  readonly totalMs: number;
  /** p50 of currentRevision + historySource (the snapshot ≤ b and the updates after it; revision a built as a Yjs snapshot). */
  readonly readMs: number;
  /** p50 of ProposalContent.attributionAt(b): the attribution stored with the snapshot ≤ b plus the updates after it. */
  readonly attributionMs: number;
  /** p50 of diffRevisionsWithMoves (replay after the snapshot, spans, moved paragraphs). */
  readonly diffMs: number;
  /** Updates replayed by diffRevisions after the snapshot it starts from. */
  readonly replayed: number;
  /** The snapshot the diff started from lies after a (a history snapshot), not at or before it. */
  readonly fromHistorySnapshot: boolean;
  readonly runsMs: number[];
  readonly spans: number;
  /** The spans give back the trace's text at `from` and at `to` (checked on the last run). */
  readonly textMatches: boolean;
}

/**
 * As HistoryService.diff does it, without its per-process attribution cache — the first diff of a
 * proposal after a restart, the slowest case: currentRevision, historySource and attributionAt in
 * parallel, then diffRevisionsWithMoves.
 */
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
  let fromHistorySnapshot = false;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    let attributed = started;
    const timedAttribution = collab.content.attributionAt(HISTORY_PROPOSAL, to).then((attribution) => {
      attributed = performance.now();
      return attribution;
    });
    const [current, source] = await Promise.all([
      collab.content.currentRevision(HISTORY_PROPOSAL),
      collab.content.historySource(HISTORY_PROPOSAL, { from, to }),
    ]);
    const read = performance.now();
    const attribution = await timedAttribution;
    if (to > current) throw new Error(`no revision ${to} (newest ${current})`);
    const inputs = performance.now();
    spans = diffRevisionsWithMoves({ ...source, from, to, attribution: attribution.index }).spans;
    const ended = performance.now();
    replayed = to - source.snapshotRevision;
    fromHistorySnapshot = source.fromSnapshot !== undefined;
    totals.push(ended - started);
    reads.push(read - started);
    attributions.push(attributed - started);
    diffs.push(ended - inputs);
  }
  return {
    from,
    to,
    totalMs: round(median(totals)),
    readMs: round(median(reads)),
    attributionMs: round(median(attributions)),
    diffMs: round(median(diffs)),
    replayed,
    fromHistorySnapshot,
    runsMs: totals.map(round),
    spans: spans.length,
    textMatches: textOfDiff(spans, 'from') === expected.from && textOfDiff(spans, 'to') === expected.to,
  };
}

const COLD_OPEN_MIN_RUNS = 25;

export interface StoredSnapshot {
  readonly revision: number;
  readonly bytes: number;
  /** Its place in the snapshot stream, and that of its update in the content stream. */
  readonly streamRevision: number;
  readonly contentStreamRevision: number;
}

export interface ColdOpenTiming {
  readonly revision: number;
  /** p50 of the store reads alone that the open makes: the snapshot event, then the content events after it up to r. */
  readonly readMs: number;
  /** p50 of ProposalContent.documentAt(revision) on a server with the proposal closed: the snapshot ≤ r read and loaded, the updates after it replayed. */
  readonly openMs: number;
  /** p50 of Yjs loading its own snapshot of the same document (`Y.applyUpdate` of `encodeStateAsUpdate` into a fresh Y.Doc), in memory. */
  readonly yjsMs: number;
  /** Bytes of the stored snapshot the open started from, and of Yjs's own snapshot (garbage-collected). */
  readonly storedSnapshotBytes: number;
  readonly yjsSnapshotBytes: number;
  readonly replayed: number;
}

/**
 * Cold open (issue 11 point 6): what the collab server does when the first person opens a closed
 * proposal — the newest snapshot plus the updates after it, into a fresh document — against what
 * Yjs itself takes to load a snapshot of the same text.
 */
export async function timeColdOpen(collab: CollabServer, store: EventStore, revision: number, runs: number, stored: StoredSnapshot): Promise<ColdOpenTiming> {
  const reads: number[] = [];
  const opens: number[] = [];
  const loads: number[] = [];
  let own: Uint8Array = new Uint8Array();
  // Both take tens of ms, and a collection pause in either moves one run by as much: measured in
  // turns, at least 25 times each, and compared by their medians.
  for (let run = 0; run < Math.max(runs, COLD_OPEN_MIN_RUNS); run++) {
    const reading = performance.now();
    await store.readStream(snapshotStreamOf(HISTORY_PROPOSAL), { fromRevision: stored.streamRevision, maxCount: 1 });
    for (let from = stored.contentStreamRevision + 1, left = revision - stored.revision; left > 0; from += 256, left -= 256) {
      await store.readStream(contentStreamOf(HISTORY_PROPOSAL), { fromRevision: from, maxCount: Math.min(256, left) });
    }
    reads.push(performance.now() - reading);
    const started = performance.now();
    const doc = await collab.content.documentAt(HISTORY_PROPOSAL, revision);
    opens.push(performance.now() - started);
    own = encodeSnapshot(doc);
    doc.destroy();
    const loading = performance.now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, own);
    loads.push(performance.now() - loading);
    loaded.destroy();
  }
  return {
    revision,
    readMs: round(median(reads)),
    openMs: round(median(opens)),
    yjsMs: round(median(loads)),
    storedSnapshotBytes: stored.bytes,
    yjsSnapshotBytes: own.length,
    replayed: revision - stored.revision,
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
