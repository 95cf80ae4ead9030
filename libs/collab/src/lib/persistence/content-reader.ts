import { EventStore, RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { AccessMarker, decodeFenceState, FenceState, foldAccessMarker, OPEN_FENCE, parseAccessMarker } from '../access-fence';
import {
  ContentCheckpoint,
  ContentUpdate,
  contentRevisionOf,
  contentStreamOf,
  isContentAccessChanged,
  isContentUpdated,
  toContentCheckpoint,
  toContentUpdate,
} from './content-events';

const PAGE_SIZE = 256;
/**
 * How far past a revision's own event a checkpoint for it may sit (checkpoints are appended off the
 * hot path, so edits can land between update r and the checkpoint of r). A checkpoint further away is
 * missed and an older one used: slower, never wrong.
 */
const CHECKPOINT_LOOKAHEAD = 64;

/** What a document at some revision is made of: the newest usable checkpoint and the updates after it. */
export interface ContentSnapshotSource {
  readonly checkpoint: ContentCheckpoint | null;
  /** ContentUpdated events after the checkpoint, ascending by revision. */
  readonly updates: readonly ContentUpdate[];
  /** The content revision this source rebuilds (0 for an empty document). */
  readonly revision: number;
  /** Stream revision of the newest event read (-1 when the stream does not exist). */
  readonly headStreamRevision: number;
  /** The write fence in force at the head read (only computed for a load of the latest revision). */
  readonly fence?: FenceState;
}

/**
 * Reads the content stream of one proposal. Every method costs O(K + page) events, never the whole
 * stream, except `updatesUpTo` which by nature reads from the start.
 */
export class ContentReader {
  constructor(private readonly store: EventStore) {}

  /**
   * The newest checkpoint at or before `upTo` (default: the latest revision) plus the updates after
   * it, found by reading the stream backwards from `fromStreamRevision` (default: its end).
   */
  async snapshotSource(
    proposalId: string,
    options: { upTo?: number; fromStreamRevision?: number } = {},
  ): Promise<ContentSnapshotSource> {
    const stream = contentStreamOf(proposalId);
    const { upTo } = options;
    const updates: ContentUpdate[] = [];
    let checkpoint: ContentCheckpoint | null = null;
    let headStreamRevision = -1;
    let from = options.fromStreamRevision;
    let done = false;

    /** Markers newer than the checkpoint event (newest first); older ones are in its metadata. */
    const markers: AccessMarker[] = [];
    let checkpointFence: FenceState = OPEN_FENCE;
    let markersDone = false;
    while (!done || !markersDone) {
      const page = await this.readPage(stream, { direction: 'backwards', fromRevision: from, maxCount: PAGE_SIZE });
      if (page.length === 0) break;
      if (headStreamRevision === -1) headStreamRevision = page[0].revision;
      for (const event of page) {
        if (isContentAccessChanged(event)) {
          const marker = !markersDone && parseAccessMarker(event.data);
          if (marker) markers.push(marker);
          continue;
        }
        if (done) continue;
        if (isContentUpdated(event)) {
          const update = toContentUpdate(event);
          if (!update) continue;
          if (upTo !== undefined && update.revision > upTo) continue;
          if (checkpoint && update.revision <= checkpoint.revision) {
            done = true;
            markersDone = true;
            break;
          }
          updates.push(update);
          // Only fences may precede revision 1: keep reading them, not updates.
          if (update.revision === 1) done = true;
        } else if (!checkpoint) {
          const found = toContentCheckpoint(event);
          if (found && (upTo === undefined || found.revision <= upTo)) {
            checkpoint = found;
            // The fence at the checkpoint is in its metadata; only markers after it are needed.
            checkpointFence = decodeFenceState(event.metadata['fence']);
            markersDone = true;
          }
        }
      }
      // A bounded load (upTo) does not need the fence: stop with the updates.
      if (upTo !== undefined && done) markersDone = true;
      const oldest = page[page.length - 1].revision;
      if (page.length < PAGE_SIZE || oldest === 0) break;
      from = oldest - 1;
    }
    const fence = markers.reverse().reduce(foldAccessMarker, checkpointFence);

    const after = checkpoint?.revision ?? 0;
    const tail = updates.filter((update) => update.revision > after).sort((a, b) => a.revision - b.revision);
    const revision = tail.length > 0 ? tail[tail.length - 1].revision : after;
    return { checkpoint, updates: tail, revision, headStreamRevision, fence };
  }

  /** The latest content revision (0 when nothing was ever written). */
  async currentRevision(proposalId: string): Promise<number> {
    const stream = contentStreamOf(proposalId);
    let from: number | undefined;
    let newestCheckpoint: number | null = null;
    for (;;) {
      const page = await this.readPage(stream, { direction: 'backwards', fromRevision: from, maxCount: 8 });
      for (const event of page) {
        const revision = contentRevisionOf(event);
        if (revision === null) continue;
        if (isContentUpdated(event)) return revision;
        newestCheckpoint ??= revision;
      }
      if (page.length < 8 || page[page.length - 1].revision === 0) return newestCheckpoint ?? 0;
      from = page[page.length - 1].revision - 1;
    }
  }

  /**
   * Stream revision of the ContentUpdated event with content revision `revision`, or null when the
   * stream has no such revision. Binary search: content revisions grow with stream revisions.
   */
  async locateUpdate(proposalId: string, revision: number): Promise<number | null> {
    if (revision < 1) return null;
    const stream = contentStreamOf(proposalId);
    let low = revision - 1; // at least revision-1 updates precede it
    let high = await this.store.streamRevision(stream);
    while (low <= high) {
      const middle = Math.floor((low + high) / 2);
      const window = await this.readPage(stream, { fromRevision: middle, maxCount: 8 });
      const probe = window.find((event) => isContentUpdated(event) && contentRevisionOf(event) !== null);
      if (!probe) {
        // Only checkpoints from `middle` on (or nothing): the revision, if anywhere, is below.
        high = middle - 1;
        continue;
      }
      const probeRevision = contentRevisionOf(probe) as number;
      if (probeRevision === revision) return probe.revision;
      if (probeRevision < revision) low = probe.revision + 1;
      else high = middle - 1;
    }
    return null;
  }

  /** Source for revision `revision`, starting the backward scan just past that revision's event. */
  async snapshotSourceAt(proposalId: string, revision: number): Promise<ContentSnapshotSource | null> {
    if (revision === 0) return { checkpoint: null, updates: [], revision: 0, headStreamRevision: -1 };
    const streamRevision = await this.locateUpdate(proposalId, revision);
    if (streamRevision === null) return null;
    const head = await this.store.streamRevision(contentStreamOf(proposalId));
    return this.snapshotSource(proposalId, {
      upTo: revision,
      fromStreamRevision: Math.min(streamRevision + CHECKPOINT_LOOKAHEAD, head),
    });
  }

  /** Updates with content revision in (after, after + limit], ascending. */
  async updatesAfter(proposalId: string, after: number, limit: number): Promise<ContentUpdate[]> {
    if (limit <= 0) return [];
    const start = await this.locateUpdate(proposalId, after + 1);
    if (start === null) return [];
    return this.readUpdatesForward(proposalId, start, (update) => update.revision > after, after + limit);
  }

  /** Every update from revision 1 to `upTo`, ascending (attribution needs the full history). */
  async updatesUpTo(proposalId: string, upTo: number): Promise<ContentUpdate[]> {
    if (upTo < 1) return [];
    return this.readUpdatesForward(proposalId, 0, () => true, upTo);
  }

  /** ContentUpdated events from `streamRevision` on, as read (for catching a live document up). */
  async eventsFrom(proposalId: string, streamRevision: number, maxCount = PAGE_SIZE): Promise<RecordedEvent[]> {
    return this.readPage(contentStreamOf(proposalId), { fromRevision: streamRevision, maxCount });
  }

  private async readUpdatesForward(
    proposalId: string,
    fromStreamRevision: number,
    include: (update: ContentUpdate) => boolean,
    lastRevision: number,
  ): Promise<ContentUpdate[]> {
    const stream = contentStreamOf(proposalId);
    const updates: ContentUpdate[] = [];
    let from = fromStreamRevision;
    for (;;) {
      const page = await this.readPage(stream, { fromRevision: from, maxCount: PAGE_SIZE });
      for (const event of page) {
        const update = toContentUpdate(event);
        if (!update || !include(update)) continue;
        if (update.revision > lastRevision) return updates;
        updates.push(update);
        if (update.revision === lastRevision) return updates;
      }
      if (page.length < PAGE_SIZE) return updates;
      from = page[page.length - 1].revision + 1;
    }
  }

  private async readPage(
    stream: string,
    options: Parameters<EventStore['readStream']>[1],
  ): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(stream, options);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }
}
