/**
 * Prototypes of product changes, measured here without touching the product:
 *
 * 1. A per-proposal AttributionIndex cache: built once from updates 1..n, extended with the updates
 *    after it as they come; a diff then reads only historySource. Valid for any `to` ≤ n, since an
 *    index only knows ids that updates ≤ n carried and the first carrier keeps its clocks.
 * 2. Diffs from checkpoints that keep deleted content (`gc: false`): the document at `to` is built
 *    from such a checkpoint ≤ to plus ≤ K updates; the snapshot at `from` is taken from revision
 *    `from` built as today (any checkpoint: a snapshot is a state vector and a delete set, which a
 *    garbage-collected document still has). Cost O(K) for any pair instead of O(to − checkpoint ≤ from).
 */
import { AttributionIndex, diffRevisions, diffSnapshots, DiffSpan, textOfDiff } from '@concord/content';
import type { CollabServer } from '@concord/collab';
import * as Y from 'yjs';
import { median, round } from '../stats';
import { HISTORY_PROPOSAL } from './history-store';

export interface CachedAttribution {
  readonly index: AttributionIndex;
  readonly upTo: number;
  /** Reading updates 1..upTo and indexing them: paid once per proposal (or on load). */
  readonly buildMs: number;
  readonly ranges: number;
}

export async function buildCachedAttribution(collab: CollabServer, upTo: number): Promise<CachedAttribution> {
  const started = performance.now();
  const authored = await collab.content.updatesWithAuthors(HISTORY_PROPOSAL, upTo);
  const index = AttributionIndex.fromUpdates(authored);
  return { index, upTo, buildMs: round(performance.now() - started), ranges: index.rangeCount };
}

/** Keeping a cached index current: read the updates after `after` and add them (per-diff cost when it lags). */
export async function timeAttributionCatchUp(collab: CollabServer, after: number, count: number): Promise<number> {
  const index = new AttributionIndex();
  const started = performance.now();
  const page = await collab.content.historySource(HISTORY_PROPOSAL, { from: after, to: after + count });
  const offset = after - page.snapshotRevision;
  for (const update of page.updates.slice(offset)) index.add(update, 'user');
  return round(performance.now() - started);
}

export interface PrototypeDiffTiming {
  readonly from: number;
  readonly to: number;
  readonly totalMs: number;
  readonly runsMs: number[];
  readonly textMatches: boolean;
}

/** Prototype 1: HistoryService.diff with the attribution index taken from a cache. */
export async function timeDiffWithCachedAttribution(
  collab: CollabServer,
  cache: CachedAttribution,
  from: number,
  to: number,
  runs: number,
  expected: { from: string; to: string },
): Promise<PrototypeDiffTiming> {
  const totals: number[] = [];
  let spans: DiffSpan[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const source = await collab.content.historySource(HISTORY_PROPOSAL, { from, to });
    spans = diffRevisions({ ...source, from, to, attribution: cache.index });
    totals.push(performance.now() - started);
  }
  return { from, to, totalMs: round(median(totals)), runsMs: totals.map(round), textMatches: matches(spans, expected) };
}

/**
 * `Y.encodeStateAsUpdate` of documents built with `gc: false` at the given revisions (one replay
 * of the history). What a ContentCheckpointed would hold if checkpoints kept deleted content.
 */
export function checkpointsKeepingDeletions(updates: readonly Uint8Array[], revisions: ReadonlySet<number>): Map<number, Uint8Array> {
  const checkpoints = new Map<number, Uint8Array>();
  const doc = new Y.Doc({ gc: false });
  try {
    const last = Math.max(0, ...revisions);
    for (let revision = 1; revision <= last; revision++) {
      Y.applyUpdate(doc, updates[revision - 1]);
      if (revisions.has(revision)) checkpoints.set(revision, Y.encodeStateAsUpdate(doc));
    }
  } finally {
    doc.destroy();
  }
  return checkpoints;
}

/** Prototype 2 (with prototype 1's cache): O(K) diff from a checkpoint that keeps deleted content. */
export async function timeDiffFromCheckpoints(
  collab: CollabServer,
  cache: CachedAttribution,
  keepingDeletions: ReadonlyMap<number, Uint8Array>,
  checkpointEvery: number,
  from: number,
  to: number,
  runs: number,
  expected: { from: string; to: string },
): Promise<PrototypeDiffTiming> {
  const base = Math.floor(to / checkpointEvery) * checkpointEvery;
  const checkpoint = base > 0 ? keepingDeletions.get(base) : undefined;
  if (base > 0 && !checkpoint) throw new Error(`no gc:false checkpoint at ${base}`);
  const totals: number[] = [];
  let spans: DiffSpan[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const before = await collab.content.documentAt(HISTORY_PROPOSAL, from);
    const snapshotBefore = Y.snapshot(before);
    before.destroy();
    const tail = await collab.content.historySource(HISTORY_PROPOSAL, { from: base, to });
    const doc = new Y.Doc({ gc: false });
    try {
      doc.transact(() => {
        if (checkpoint) Y.applyUpdate(doc, checkpoint);
        for (const update of tail.updates.slice(base - tail.snapshotRevision, to - tail.snapshotRevision)) Y.applyUpdate(doc, update);
      });
      spans = diffSnapshots(doc, snapshotBefore, Y.snapshot(doc), cache.index);
    } finally {
      doc.destroy();
    }
    totals.push(performance.now() - started);
  }
  return { from, to, totalMs: round(median(totals)), runsMs: totals.map(round), textMatches: matches(spans, expected) };
}

function matches(spans: readonly DiffSpan[], expected: { from: string; to: string }): boolean {
  return textOfDiff(spans, 'from') === expected.from && textOfDiff(spans, 'to') === expected.to;
}
