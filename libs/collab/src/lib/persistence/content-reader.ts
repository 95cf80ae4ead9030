import { EventStore, RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { decodeFenceState, FenceState, foldAccessMarker, parseAccessMarker } from '../access-fence';
import {
  ContentSnapshot,
  ContentUpdate,
  contentStreamOf,
  isContentAccessChanged,
  isContentSnapshot,
  snapshotStreamOf,
  toContentSnapshot,
  toContentUpdate,
} from './content-events';

const PAGE_SIZE = 256;

/** What a document at some revision is made of: the newest usable snapshot and the updates after it. */
export interface ContentSnapshotSource {
  readonly snapshot: ContentSnapshot | null;
  /** ContentUpdated events after the snapshot, ascending by revision. */
  readonly updates: readonly ContentUpdate[];
  /** The content revision this source rebuilds (0 for an empty document). */
  readonly revision: number;
  /**
   * Stream revision of the content stream's event this source ends at: the newest event read for
   * the latest revision (a marker may follow the last update), update `revision`'s own event for a
   * bounded read; -1 when nothing was read.
   */
  readonly headStreamRevision: number;
  /** The write fence in force at `headStreamRevision`. */
  readonly fence: FenceState;
}

/**
 * Reads the content and snapshot streams of one proposal. A snapshot records the content stream
 * revision of the update it covers, so every read starts right after a snapshot and costs
 * O(K + what is asked) events, never the whole stream — except `updatesUpTo`, which by nature
 * reads from the start.
 *
 * Snapshot events met inside a content stream were written before snapshots had a stream of their
 * own: they are skipped (like write fence markers) and reported once per proposal through
 * `onLegacySnapshot`, because such a proposal then loads from revision 1 until the import's
 * migration moves them (`npm run export` + `npm run import`).
 */
export class ContentReader {
  private readonly legacyReported = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly onLegacySnapshot: (proposalId: string) => void = () => undefined,
  ) {}

  /**
   * The newest snapshot at or before `upTo` (default: any) plus the updates after it up to `upTo`
   * (default: the latest revision); null when the stream does not hold revision `upTo`.
   */
  async source(proposalId: string, upTo?: number): Promise<ContentSnapshotSource | null> {
    const snapshot = upTo === 0 ? null : await this.newestSnapshot(proposalId, upTo);
    let fence = decodeFenceState(snapshot?.fence);
    let headStreamRevision = snapshot?.contentStreamRevision ?? -1;
    let revision = snapshot?.revision ?? 0;
    const updates: ContentUpdate[] = [];
    if (upTo === undefined || revision < upTo) {
      await this.forEachEvent(proposalId, headStreamRevision + 1, (event) => {
        const update = toContentUpdate(event);
        if (update) {
          if (update.revision <= revision) return true; // a duplicate cannot happen; never replay one
          updates.push(update);
          revision = update.revision;
        } else {
          const marker = isContentAccessChanged(event) ? parseAccessMarker(event.data) : null;
          if (marker) fence = foldAccessMarker(fence, marker);
        }
        headStreamRevision = event.revision;
        return upTo === undefined || revision < upTo;
      });
    }
    if (upTo !== undefined && revision !== upTo) return null;
    return { snapshot, updates, revision, headStreamRevision, fence };
  }

  /** The latest content revision (0 when nothing was ever written). */
  async currentRevision(proposalId: string): Promise<number> {
    const stream = contentStreamOf(proposalId);
    let from: number | undefined;
    for (;;) {
      const page = await this.readPage(stream, { direction: 'backwards', fromRevision: from, maxCount: 8 });
      for (const event of page) {
        const update = toContentUpdate(event);
        if (update) return update.revision;
      }
      if (page.length < 8 || page[page.length - 1].revision === 0) return 0;
      from = page[page.length - 1].revision - 1;
    }
  }

  /** Updates with content revision in (after, after + limit], ascending. */
  async updatesAfter(proposalId: string, after: number, limit: number): Promise<ContentUpdate[]> {
    if (limit <= 0) return [];
    const start = after > 0 ? await this.newestSnapshot(proposalId, after) : null;
    return this.readUpdates(proposalId, (start?.contentStreamRevision ?? -1) + 1, after, after + limit);
  }

  /** Updates with content revision in (snapshot.revision, upTo], read from right after the snapshot's update. */
  async updatesAfterSnapshot(proposalId: string, snapshot: ContentSnapshot, upTo: number): Promise<ContentUpdate[]> {
    if (upTo <= snapshot.revision) return [];
    return this.readUpdates(proposalId, snapshot.contentStreamRevision + 1, snapshot.revision, upTo);
  }

  /**
   * Every update from revision 1 to `upTo`, one page at a time (for rebuilding a whole history
   * without holding it in memory; the caller may yield between pages).
   */
  async *updatePages(proposalId: string, upTo: number): AsyncGenerator<ContentUpdate[]> {
    const stream = contentStreamOf(proposalId);
    let last = 0;
    for (let from = 0; last < upTo; ) {
      const page = await this.readPage(stream, { fromRevision: from, maxCount: PAGE_SIZE });
      const updates: ContentUpdate[] = [];
      for (const event of page) {
        const update = isContentSnapshot(event) ? null : toContentUpdate(event);
        if (!update || update.revision <= last || update.revision > upTo) continue;
        updates.push(update);
        last = update.revision;
      }
      if (updates.length > 0) yield updates;
      if (page.length < PAGE_SIZE) return;
      from = page[page.length - 1].revision + 1;
    }
  }

  /** Every update from revision 1 to `upTo`, ascending (attribution needs the full history). */
  async updatesUpTo(proposalId: string, upTo: number): Promise<ContentUpdate[]> {
    if (upTo < 1) return [];
    return this.readUpdates(proposalId, 0, 0, upTo);
  }

  /** Content stream events from `streamRevision` on, as read (for catching a live document up). */
  async eventsFrom(proposalId: string, streamRevision: number, maxCount = PAGE_SIZE): Promise<RecordedEvent[]> {
    const events = await this.readPage(contentStreamOf(proposalId), { fromRevision: streamRevision, maxCount });
    if (events.some(isContentSnapshot)) this.reportLegacy(proposalId);
    return events;
  }

  /**
   * The newest snapshot with revision ≤ `atMost` (any when undefined). The snapshot stream is in
   * revision order (one writer per document; two nodes racing write the same revision's state), so
   * the newest is one read and an older one a search over stream revisions, never a scan of every
   * snapshot (each may be hundreds of kB, and every probe reads one whole). The search interpolates
   * between the revisions it knows: snapshots are written every K revisions, so its first probe
   * usually lands on the answer and a second read (or the newest, already read) confirms it. Two
   * probes in a row that do not halve the range are followed by a bisection, so uneven spacing
   * costs at most about three times a binary search's reads. Should two nodes ever have written
   * snapshots out of order, the search may return an older usable one: slower, never wrong —
   * whatever it returns has revision ≤ `atMost`.
   */
  async newestSnapshot(proposalId: string, atMost?: number): Promise<ContentSnapshot | null> {
    const stream = snapshotStreamOf(proposalId);
    const [last] = await this.readPage(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) return null;
    const lastSnapshot = toContentSnapshot(last);
    if (lastSnapshot && (atMost === undefined || lastSnapshot.revision <= atMost)) return lastSnapshot;
    if (atMost === undefined) return null;
    let best: ContentSnapshot | null = null;
    // Indices low..high are unknown; index low − 1 holds lowRevision (≤ atMost, 0 before the first),
    // index high + 1 holds highRevision (> atMost).
    let low = 0;
    let high = last.revision - 1;
    let lowRevision = 0;
    let highRevision = lastSnapshot?.revision ?? Number.POSITIVE_INFINITY;
    let slowSteps = 0;
    while (low <= high) {
      const width = high - low + 1;
      const interpolated =
        Number.isFinite(highRevision) && highRevision > lowRevision
          ? low - 1 + Math.floor(((atMost - lowRevision) * (width + 1)) / (highRevision - lowRevision))
          : Number.NaN;
      const bisect = slowSteps >= 2 || !Number.isFinite(interpolated);
      const probe = bisect ? (low + high) >>> 1 : Math.min(high, Math.max(low, interpolated));
      const [event] = await this.readPage(stream, { fromRevision: probe, maxCount: 1 });
      const snapshot = event ? toContentSnapshot(event) : null;
      if (snapshot && snapshot.revision <= atMost) {
        best = snapshot;
        low = probe + 1;
        lowRevision = snapshot.revision;
      } else {
        high = probe - 1;
        // An unreadable or foreign event tells nothing about revisions: bisect past it.
        if (snapshot) highRevision = snapshot.revision;
        else highRevision = Number.POSITIVE_INFINITY;
      }
      slowSteps = bisect || high - low + 1 <= width / 2 ? 0 : slowSteps + 1;
    }
    return best;
  }

  /** Updates with revision in (after, last] reading forward from `fromStreamRevision`. */
  private async readUpdates(proposalId: string, fromStreamRevision: number, after: number, last: number): Promise<ContentUpdate[]> {
    const updates: ContentUpdate[] = [];
    await this.forEachEvent(proposalId, fromStreamRevision, (event) => {
      const update = toContentUpdate(event);
      if (!update || update.revision <= after) return true;
      if (update.revision > last) return false;
      updates.push(update);
      return update.revision < last;
    });
    return updates;
  }

  /** Visits the content stream forward from `fromStreamRevision` while `visit` returns true. */
  private async forEachEvent(proposalId: string, fromStreamRevision: number, visit: (event: RecordedEvent) => boolean): Promise<void> {
    const stream = contentStreamOf(proposalId);
    let from = fromStreamRevision;
    for (;;) {
      const page = await this.readPage(stream, { fromRevision: from, maxCount: PAGE_SIZE });
      for (const event of page) {
        if (isContentSnapshot(event)) {
          this.reportLegacy(proposalId);
          continue;
        }
        if (!visit(event)) return;
      }
      if (page.length < PAGE_SIZE) return;
      from = page[page.length - 1].revision + 1;
    }
  }

  private reportLegacy(proposalId: string): void {
    if (this.legacyReported.has(proposalId)) return;
    this.legacyReported.add(proposalId);
    this.onLegacySnapshot(proposalId);
  }

  private async readPage(stream: string, options: Parameters<EventStore['readStream']>[1]): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(stream, options);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }
}
