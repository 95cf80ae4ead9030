import { Mutex } from 'async-mutex';
import { CollabLogger, describeError } from './logger';
import type { ContentReader } from './persistence/content-reader';
import type { ContentWriter } from './persistence/content-writer';
import { encodeSnapshotFrom } from './persistence/document-builder';

/**
 * Writes a content snapshot of one proposal every K revisions, off the hot path: the edit is already
 * recorded, applied and broadcast when its snapshot is built. Revision r is rebuilt from the store
 * (previous snapshot + updates up to r, never from the live document, which may already be past r)
 * and appended to the proposal's snapshot stream with the content stream revision of update r and
 * the write fence there. The snapshot stream is written by nothing else, so there is no expected
 * revision and no retry; one snapshot at a time per document.
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
    await writer.appendSnapshot(this.proposalId, {
      state: encodeSnapshotFrom(source),
      revision,
      contentStreamRevision: source.headStreamRevision,
      fence: source.fence,
    });
  }
}
