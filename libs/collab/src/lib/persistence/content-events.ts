import type { RecordedEvent } from '@concord/event-store';
import { CONTENT_ACCESS_CHANGED, CONTENT_SNAPSHOT, CONTENT_UPDATED, proposalContentStream, STREAM_PREFIXES } from '@concord/domain';

// Type names and stream names come from the catalog of libs/domain (streams.ts, event-types.ts).
export { CONTENT_ACCESS_CHANGED, CONTENT_UPDATED, proposalIdOfContentStream } from '@concord/domain';
/** The full document state after updates 1..revision, so no revision costs more than K replays. */
export const CONTENT_CHECKPOINTED = CONTENT_SNAPSHOT;

export type UpdateKind = 'edit' | 'restore' | 'seed';

export const contentStreamOf = proposalContentStream;

/** Subscription filter: content streams and, unavoidably, the proposals' domain streams. */
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

export interface ContentCheckpoint {
  readonly revision: number;
  readonly streamRevision: number;
  readonly state: Uint8Array;
}

export function isContentUpdated(event: RecordedEvent): boolean {
  return event.type === CONTENT_UPDATED;
}

export function isContentAccessChanged(event: RecordedEvent): boolean {
  return event.type === CONTENT_ACCESS_CHANGED;
}

export function isContentCheckpointed(event: RecordedEvent): boolean {
  return event.type === CONTENT_CHECKPOINTED;
}

/** The content revision an event carries in its metadata, or null when it has none. */
export function contentRevisionOf(event: RecordedEvent): number | null {
  const revision = event.metadata['revision'];
  return typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0 ? revision : null;
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
    kind: kind === 'restore' || kind === 'seed' ? kind : 'edit',
    eventId: event.id,
  };
}

export function toContentCheckpoint(event: RecordedEvent): ContentCheckpoint | null {
  const revision = contentRevisionOf(event);
  if (!isContentCheckpointed(event) || revision === null || !(event.data instanceof Uint8Array)) return null;
  return { revision, streamRevision: event.revision, state: event.data };
}
