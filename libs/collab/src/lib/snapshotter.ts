import { Mutex } from 'async-mutex';
import { CollabLogger, describeError } from './logger';
import type { ContentReader } from './persistence/content-reader';
import type { ContentWriter } from './persistence/content-writer';
import { AttributionIndex, buildDocument, encodeSnapshot, recordedDocument } from '@concord/content';
import * as Y from 'yjs';
import { isHistorySnapshot } from './persistence/content-events';
import type { ContentSnapshotSource } from './persistence/content-reader';

/**
 * Writes a content snapshot of one proposal every K revisions, off the hot path: the edit is already
 * recorded, applied and broadcast when its snapshot is built. Revision r is rebuilt from the store
 * (previous snapshot + updates up to r, never from the live document, which may already be past r)
 * and appended to the proposal's snapshot stream with the content stream revision of update r and
 * the write fence there. The snapshot stream is written by nothing else, so there is no expected
 * revision and no retry; one snapshot at a time per document.
 *
 * Every snapshot is a history snapshot (`ContentSnapshot.attribution`): its state keeps deleted
 * content and it carries who wrote which item up to its revision, both extended from the previous
 * snapshot, so a diff between any two revisions replays the updates after one snapshot instead of
 * everything between them, and never reads the history from revision 1. After a snapshot of the
 * older kind (written before history snapshots), the next one is rebuilt once from revision 1.
 *
 * Building one is CPU work on the event loop that serves the node's sockets, so the node builds one
 * snapshot at a time (`queue`, shared by its documents) and applies the updates a page at a time,
 * letting the loop serve sockets between pages (SNAPSHOT_PAGE).
 */
export class Snapshotter {
  private readonly mutex = new Mutex();
  private pending = 0;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly proposalId: string,
    private readonly deps: { reader: ContentReader; writer: ContentWriter; logger: CollabLogger; every: number; queue?: Mutex },
  ) {}

  /** No snapshot being written or waiting. */
  get idle(): boolean {
    return this.pending === 0;
  }

  /** Revisions (from, to] were recorded: snapshots for those that are multiples of K. */
  recorded(from: number, to: number): void {
    const { every } = this.deps;
    for (let revision = Math.floor(from / every) * every + every; revision <= to; revision += every) this.schedule(revision);
  }

  /** Resolves once the snapshots scheduled so far are written (or failed, logged). */
  async settled(): Promise<void> {
    while (!this.idle) await this.last;
  }

  private schedule(revision: number): void {
    this.pending += 1;
    const queue = this.deps.queue;
    this.last = this.mutex
      .runExclusive(() => (queue ? queue.runExclusive(() => this.write(revision)) : this.write(revision)))
      .catch((error) =>
        this.deps.logger.error({ proposalId: this.proposalId, revision, ...describeError(error) }, 'writing a content snapshot failed'),
      )
      .finally(() => {
        this.pending -= 1;
      });
  }

  private async write(revision: number): Promise<void> {
    const { reader, writer, logger } = this.deps;
    const source = await reader.source(this.proposalId, revision);
    if (!source) {
      logger.warn({ proposalId: this.proposalId, revision }, 'content stream does not hold the revision to snapshot');
      return;
    }
    if (source.snapshot?.revision === revision) return;
    const history = await this.historyFrom(source, revision);
    await writer.appendSnapshot(this.proposalId, {
      state: history.state,
      revision,
      contentStreamRevision: source.headStreamRevision,
      fence: source.fence,
      attribution: history.attribution.encode(),
    });
  }

  /**
   * The history snapshot at `revision`: the previous one extended by the ≤ K updates after it, or
   * — when there is no previous one — built from revision 1.
   */
  private async historyFrom(source: ContentSnapshotSource, revision: number): Promise<{ state: Uint8Array; attribution: AttributionIndex }> {
    const previous = source.snapshot;
    let start: { state?: Uint8Array; attribution: AttributionIndex } | null = previous ? null : { attribution: new AttributionIndex() };
    if (isHistorySnapshot(previous)) {
      try {
        start = { state: previous.state, attribution: AttributionIndex.decode(previous.attribution) };
      } catch (error) {
        this.deps.logger.warn(
          { proposalId: this.proposalId, revision: previous.revision, ...describeError(error) },
          'a content snapshot carries an attribution that does not decode; rebuilding the next one from revision 1',
        );
      }
    }
    if (!start) return this.rebuildFromStart(revision);
    const doc = buildDocument({ snapshot: start.state, updates: [], gc: false });
    try {
      await applyInPages(doc, source.updates, start.attribution);
      return { state: encodeSnapshot(doc), attribution: start.attribution };
    } finally {
      doc.destroy();
    }
  }

  /**
   * After a snapshot of the older kind (its state lost deleted words, it has no attribution): the
   * whole history replayed once, a page at a time, letting the event loop serve sockets between
   * pages (a long history takes seconds) and never holding every update at once.
   */
  private async rebuildFromStart(revision: number): Promise<{ state: Uint8Array; attribution: AttributionIndex }> {
    const started = performance.now();
    const doc = recordedDocument({ gc: false });
    const attribution = new AttributionIndex();
    let replayed = 0;
    try {
      for await (const page of this.deps.reader.updatePages(this.proposalId, revision)) {
        await applyInPages(doc, page, attribution);
        replayed += page.length;
      }
      if (replayed !== revision) throw new Error(`rebuilding from revision 1 found ${replayed} updates, expected ${revision}`);
      this.deps.logger.info(
        { proposalId: this.proposalId, revision, updates: replayed, ms: Math.round(performance.now() - started) },
        'first history snapshot of this proposal: rebuilt from revision 1 (once; later ones extend it)',
      );
      return { state: encodeSnapshot(doc), attribution };
    } finally {
      doc.destroy();
    }
  }
}

/** Updates applied (and attributed) between two turns of the event loop while building a snapshot. */
const SNAPSHOT_PAGE = 64;

/** Applies `updates` to `doc` and records their authors, SNAPSHOT_PAGE at a time, yielding to the event loop after each page. */
async function applyInPages(doc: Y.Doc, updates: readonly { update: Uint8Array; userId: string }[], attribution: AttributionIndex): Promise<void> {
  for (let start = 0; start < updates.length; start += SNAPSHOT_PAGE) {
    const page = updates.slice(start, start + SNAPSHOT_PAGE);
    doc.transact(() => {
      for (const update of page) Y.applyUpdate(doc, update.update);
    });
    for (const update of page) attribution.add(update.update, update.userId);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
