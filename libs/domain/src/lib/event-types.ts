import { DOMAIN_EVENT_TYPES } from './domain-events';

/**
 * The catalog of event types that are not domain events (those are `AGGREGATE_OF_EVENT` in
 * domain-events.ts): the content stream's, written by libs/collab, and the signed checkpoints'.
 * Stored type names never change (the log is permanent), so a name may be older than the word the
 * code uses for it: a Yjs *snapshot* is stored as `ContentCheckpointed`.
 */
/** Every accepted Yjs update of a proposal, in order, attributed to the user who sent it. */
export const CONTENT_UPDATED = 'ContentUpdated';
/** A snapshot of a proposal's Yjs document: its full state after updates 1..revision (stored name from before "snapshot"). */
export const CONTENT_SNAPSHOT = 'ContentCheckpointed';
/** A write fence: who may no longer (or again) write from this point of the content stream. */
export const CONTENT_ACCESS_CHANGED = 'ContentAccessChanged';
/** A signed checkpoint of the whole log (Ed25519 over the Merkle root of the stream heads). */
export const CHECKPOINT_SIGNED = 'CheckpointSigned';

export const CONTENT_EVENT_TYPES = [CONTENT_UPDATED, CONTENT_SNAPSHOT, CONTENT_ACCESS_CHANGED] as const;
export type ContentEventType = (typeof CONTENT_EVENT_TYPES)[number];

/** Every event type Concord records, e.g. for the auditors' filter suggestions. */
export const RECORDED_EVENT_TYPES: readonly string[] = [...DOMAIN_EVENT_TYPES, ...CONTENT_EVENT_TYPES, CHECKPOINT_SIGNED];
