import { Mutex } from 'async-mutex';
import { CollabLogger, describeError } from './logger';
import type { ContentReader } from './persistence/content-reader';
import type { ContentWriter } from './persistence/content-writer';
import { AttributionIndex, buildDocument, encodeSnapshot } from '@concord/content';
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
 */
export class Snapshotter {
  private readonly mutex = new Mutex();
  private pending = 0;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly proposalId: string,
    private readonly deps: { reader: ContentReader; writer: ContentWriter; logger: CollabLogger; every: number },
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
    this.last = this.mutex
      .runExclusive(() => this.write(revision))
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
    const attribution = history.attribution;
    for (const update of history.updates) attribution.add(update.update, update.userId);
    const doc = buildDocument({ snapshot: history.state, updates: history.updates.map((update) => update.update), gc: false });
    let state: Uint8Array;
    try {
      state = encodeSnapshot(doc);
    } finally {
      doc.destroy();
    }
    await writer.appendSnapshot(this.proposalId, {
      state,
      revision,
      contentStreamRevision: source.headStreamRevision,
      fence: source.fence,
      attribution: attribution.encode(),
    });
  }

  /** Where the history snapshot at `revision` starts: the previous history snapshot, or revision 0. */
  private async historyFrom(
    source: ContentSnapshotSource,
    revision: number,
  ): Promise<{ state?: Uint8Array; attribution: AttributionIndex; updates: ContentSnapshotSource['updates'] }> {
    const previous = source.snapshot;
    if (!previous) return { attribution: new AttributionIndex(), updates: source.updates };
    if (isHistorySnapshot(previous)) {
      try {
        return { state: previous.state, attribution: AttributionIndex.decode(previous.attribution), updates: source.updates };
      } catch (error) {
        this.deps.logger.warn(
          { proposalId: this.proposalId, revision: previous.revision, ...describeError(error) },
          'a content snapshot carries an attribution that does not decode; rebuilding the next one from revision 1',
        );
      }
    }
    const started = performance.now();
    const updates = await this.deps.reader.updatesUpTo(this.proposalId, revision);
    this.deps.logger.info(
      { proposalId: this.proposalId, revision, updates: updates.length, readMs: Math.round(performance.now() - started) },
      'first history snapshot of this proposal: rebuilding it from revision 1 (once; later ones extend it)',
    );
    return { attribution: new AttributionIndex(), updates };
  }
}
