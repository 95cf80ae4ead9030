import type { RecordedEvent } from '@concord/event-store';
import { CONTENT_ACCESS_CHANGED, CONTENT_SNAPSHOT, CONTENT_UPDATED, proposalContentStream, proposalSnapshotStream, STREAM_PREFIXES } from '@concord/domain';

// Type names and stream names come from the catalog of libs/domain (streams.ts, event-types.ts).
// A content snapshot (CONTENT_SNAPSHOT, stored type `ContentCheckpointed`) is the full document
// state after updates 1..revision, so no revision costs more than K replays; it is written to the
// proposal's snapshot stream (`proposal-<id>-snapshots`), not to its content stream.
export {
  CONTENT_ACCESS_CHANGED,
  CONTENT_SNAPSHOT,
  CONTENT_UPDATED,
  proposalIdOfContentStream,
  proposalIdOfSnapshotStream,
} from '@concord/domain';

/**
 * 'import': the first text of a proposal started from a Word file (ProposalImported names the file).
 * 'numbering': the server giving blocks their stable ids (libs/content `block-ids.ts`), by 'system'.
 */
export type UpdateKind = 'edit' | 'restore' | 'seed' | 'import' | 'numbering';
const UPDATE_KINDS: readonly string[] = ['restore', 'seed', 'import', 'numbering'];

/** The content stream: ContentUpdated events and the ContentAccessChanged write fence markers. */
export const contentStreamOf = proposalContentStream;
/** The snapshot stream: snapshot events only, ascending by content revision. */
export const snapshotStreamOf = proposalSnapshotStream;

/** Subscription filter: content streams and, unavoidably, the proposals' domain and snapshot streams. */
export const CONTENT_STREAM_FILTER_PREFIX = STREAM_PREFIXES.proposal;

/**
 * A ContentUpdated event as read back: data is the update (format v1) exactly as stored, metadata
 * `{userId, revision, kind, clientId?}` plus what the store adds.
 */
export interface ContentUpdate {
  /** Content revision: the 1-based count of ContentUpdated events up to and including this one. */
  readonly revision: number;
  readonly streamRevision: number;
  readonly update: Uint8Array;
  readonly userId: string;
  readonly at: string;
  readonly kind: UpdateKind;
  readonly eventId: string;
}

/**
 * A snapshot as read back: the state after content revision `revision`, whose ContentUpdated event
 * is at `contentStreamRevision` of the content stream (so a reader starts right after it, no search).
 */
export interface ContentSnapshot {
  readonly revision: number;
  readonly contentStreamRevision: number;
  readonly state: Uint8Array;
  /** The write fence in force at `contentStreamRevision` (metadata `fence`, see access-fence.ts). */
  readonly fence: unknown;
  /**
   * Set on a history snapshot (metadata `keepsDeleted: true` and `attribution`): the state keeps
   * deleted content (`gc: false`, rebuilt from revision 1 on), and `attribution` is the encoded
   * `AttributionIndex` of updates 1..revision, so a diff replays the updates after it only.
   * Absent on snapshots written before history snapshots: the state may have collected deleted items.
   */
  readonly attribution?: Uint8Array;
}

/** A snapshot whose state keeps deleted content and that carries the attribution up to its revision. */
export function isHistorySnapshot(snapshot: ContentSnapshot | null | undefined): snapshot is ContentSnapshot & { attribution: Uint8Array } {
  return snapshot?.attribution !== undefined;
}

export function isContentUpdated(event: RecordedEvent): boolean {
  return event.type === CONTENT_UPDATED;
}

export function isContentAccessChanged(event: RecordedEvent): boolean {
  return event.type === CONTENT_ACCESS_CHANGED;
}

/** A snapshot event; inside a content stream it is one of the layout before snapshot streams. */
export function isContentSnapshot(event: RecordedEvent): boolean {
  return event.type === CONTENT_SNAPSHOT;
}

/** The content revision an event carries in its metadata, or null when it has none. */
export function contentRevisionOf(event: RecordedEvent): number | null {
  return metadataCount(event, 'revision');
}

function metadataCount(event: RecordedEvent, key: string): number | null {
  const value = event.metadata[key];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export function toContentUpdate(event: RecordedEvent): ContentUpdate | null {
  const revision = contentRevisionOf(event);
  if (!isContentUpdated(event) || revision === null || !(event.data instanceof Uint8Array)) return null;
  const kind = event.metadata['kind'];
  return {
    revision,
    streamRevision: event.revision,
    update: event.data,
    userId: event.metadata.userId,
    at: event.metadata.at,
    kind: typeof kind === 'string' && UPDATE_KINDS.includes(kind) ? (kind as UpdateKind) : 'edit',
    eventId: event.id,
  };
}

/** A snapshot read from a snapshot stream; null for anything else (or one missing its positions). */
export function toContentSnapshot(event: RecordedEvent): ContentSnapshot | null {
  const revision = contentRevisionOf(event);
  const contentStreamRevision = metadataCount(event, 'contentStreamRevision');
  if (!isContentSnapshot(event) || revision === null || contentStreamRevision === null || !(event.data instanceof Uint8Array)) return null;
  const attribution = event.metadata['keepsDeleted'] === true ? base64Bytes(event.metadata['attribution']) : undefined;
  return { revision, contentStreamRevision, state: event.data, fence: event.metadata['fence'], ...(attribution ? { attribution } : {}) };
}

function base64Bytes(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return new Uint8Array(Buffer.from(value, 'base64'));
}
