import type { EventMetadata, RecordedEvent } from '@concord/event-store';
import { AccessMarker, encodeFenceState, FenceState, foldAccessMarker, OPEN_FENCE, parseAccessMarker } from '../access-fence';
import {
  contentRevisionOf,
  isContentAccessChanged,
  isContentSnapshot,
  proposalIdOfContentStream,
  proposalIdOfSnapshotStream,
  snapshotStreamOf,
  toContentUpdate,
} from './content-events';

/** True for a snapshot event of the layout before snapshot streams (inside a content stream). */
export function isLegacyContentSnapshot(event: Pick<RecordedEvent, 'stream' | 'type'>): boolean {
  return isContentSnapshot(event as RecordedEvent) && proposalIdOfContentStream(event.stream) !== null;
}

interface ProposalLayout {
  /** Old stream revisions of the snapshot events taken out of the content stream, ascending. */
  readonly removed: number[];
  /** New content stream revision of each content revision's update. */
  readonly updateAt: Map<number, number>;
  /** The fence markers, with their new stream revisions, in order. */
  readonly markers: Array<{ at: number; marker: AccessMarker }>;
  nextSnapshotRevision: number;
}

/**
 * Moves content snapshots from the layout before issue 10 — `ContentCheckpointed` events inside
 * `proposal-<id>-content`, whose metadata `revision` is the content revision and `fence` the write
 * fence when it was appended — into `proposal-<id>-snapshots`, with the metadata today's readers
 * need: `contentStreamRevision` (where update `revision` sits in the renumbered content stream)
 * and `fence` (the write fence in force there, refolded from the markers). The content stream's
 * later events move down by the number of snapshots taken out before them; snapshots already in a
 * snapshot stream (written by a server running on an old-layout store) get their
 * `contentStreamRevision` renumbered the same way.
 *
 * Feed every event in global order; each comes back with its new stream, revision and metadata
 * (hashes are the caller's: the chains of the changed streams must be recomputed).
 */
export class SnapshotLayoutMigration {
  private readonly proposals = new Map<string, ProposalLayout>();
  /** How many snapshots were moved, per proposal. */
  readonly moved = new Map<string, number>();

  migrate(event: RecordedEvent): RecordedEvent {
    const contentOf = proposalIdOfContentStream(event.stream);
    if (contentOf !== null) return isContentSnapshot(event) ? this.moveSnapshot(contentOf, event) : this.shiftContent(contentOf, event);
    const snapshotsOf = proposalIdOfSnapshotStream(event.stream);
    if (snapshotsOf !== null && isContentSnapshot(event)) return this.renumberSnapshot(snapshotsOf, event);
    return event;
  }

  private layout(proposalId: string): ProposalLayout {
    let layout = this.proposals.get(proposalId);
    if (!layout) {
      layout = { removed: [], updateAt: new Map(), markers: [], nextSnapshotRevision: 0 };
      this.proposals.set(proposalId, layout);
    }
    return layout;
  }

  private shiftContent(proposalId: string, event: RecordedEvent): RecordedEvent {
    const layout = this.layout(proposalId);
    const revision = event.revision - layout.removed.length;
    const update = toContentUpdate(event);
    if (update) layout.updateAt.set(update.revision, revision);
    const marker = isContentAccessChanged(event) ? parseAccessMarker(event.data) : null;
    if (marker) layout.markers.push({ at: revision, marker });
    return revision === event.revision ? event : { ...event, revision };
  }

  private moveSnapshot(proposalId: string, event: RecordedEvent): RecordedEvent {
    const layout = this.layout(proposalId);
    layout.removed.push(event.revision);
    this.moved.set(proposalId, (this.moved.get(proposalId) ?? 0) + 1);
    const contentRevision = contentRevisionOf(event) ?? 0;
    const at = layout.updateAt.get(contentRevision);
    const metadata = this.snapshotMetadata(event.metadata, layout, at);
    return { ...event, stream: snapshotStreamOf(proposalId), revision: layout.nextSnapshotRevision++, metadata };
  }

  private renumberSnapshot(proposalId: string, event: RecordedEvent): RecordedEvent {
    const layout = this.layout(proposalId);
    const old = event.metadata['contentStreamRevision'];
    const at = typeof old === 'number' ? old - layout.removed.filter((removed) => removed < old).length : undefined;
    const metadata = at === undefined || at === old ? event.metadata : { ...event.metadata, contentStreamRevision: at };
    const revision = layout.nextSnapshotRevision++;
    return revision === event.revision && metadata === event.metadata ? event : { ...event, revision, metadata };
  }

  private snapshotMetadata(metadata: EventMetadata, layout: ProposalLayout, at: number | undefined): EventMetadata {
    const migrated: Record<string, unknown> = { ...metadata };
    delete migrated['fence'];
    // A snapshot whose update is not in the stream (never written so) is kept without a position:
    // readers skip it, and a load replays from an older snapshot.
    if (at === undefined) return migrated as EventMetadata;
    migrated['contentStreamRevision'] = at;
    const fence = encodeFenceState(this.fenceAt(layout, at));
    if (fence !== undefined) migrated['fence'] = fence;
    return migrated as EventMetadata;
  }

  private fenceAt(layout: ProposalLayout, streamRevision: number): FenceState {
    return layout.markers.filter(({ at }) => at < streamRevision).reduce((fence, { marker }) => foldAccessMarker(fence, marker), OPEN_FENCE);
  }
}
