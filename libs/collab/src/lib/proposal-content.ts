import { AttributionIndex, buildDocument, encodeSnapshot, restoreUpdate, unusedClientId, validateYjsUpdate } from '@concord/content';
import * as Y from 'yjs';
import type { DocumentRegistry } from './document-registry';
import { ContentUpdate, isHistorySnapshot, UpdateKind } from './persistence/content-events';
import { ContentReader } from './persistence/content-reader';
import type { EventStore } from '@concord/event-store';
import { buildDocumentFrom } from './persistence/document-builder';

export interface AppendUpdateOptions {
  /** Who the update is attributed to ('system' for seeding). */
  readonly userId: string;
  readonly kind: UpdateKind;
}

export interface TimelineItem {
  readonly revision: number;
  readonly userId: string;
  readonly at: string;
  readonly kind: UpdateKind;
}

export interface TimelinePage {
  readonly items: TimelineItem[];
  /** Pass as `after` for the next page; null when this page reaches the current revision. */
  readonly next: number | null;
}

/** An update with the user the server attests wrote it (for attribution and diffs). */
export type AttributedUpdate = Pick<ContentUpdate, 'revision' | 'update' | 'userId' | 'at' | 'kind'>;

/** What `diffRevisions` of @concord/content replays: `updates[i]` is revision snapshotRevision + 1 + i. */
export interface HistorySource {
  readonly snapshot?: Uint8Array;
  readonly snapshotRevision: number;
  readonly updates: Uint8Array[];
  /** Revision `from` as a Yjs snapshot, when `snapshot` is a history snapshot after `from` (see DiffRevisionsInput). */
  readonly fromSnapshot?: Uint8Array;
}

/** Who wrote which Yjs item in updates 1..revision (attribution for diffs). */
export interface AttributionAt {
  readonly index: AttributionIndex;
  readonly revision: number;
}

export interface RestoreResult {
  /** The revision whose content was restored. */
  readonly restoredRevision: number;
  /**
   * When recorded: the revision the restoring update itself became in the content stream (edits
   * recorded meanwhile come before or after it, never inside it). Otherwise the current revision.
   */
  readonly revision: number;
  /** False when nothing was recorded: the text already equals the restored one, or the write was refused. */
  readonly recorded: boolean;
  /** Why the document refused the write, when it did. */
  readonly refused?: string;
}

/** Raised for a revision the proposal does not have (yet). */
export class RevisionNotFoundError extends Error {
  override readonly name = 'RevisionNotFoundError';
  constructor(
    readonly proposalId: string,
    readonly revision: number,
  ) {
    super(`Proposal ${proposalId} has no content revision ${revision}`);
  }
}

/** Raised when an update given to `appendUpdate` is not a well-formed Yjs update. */
export class InvalidUpdateError extends Error {
  override readonly name = 'InvalidUpdateError';
  constructor(readonly reason: string) {
    super(`Invalid Yjs update: ${reason}`);
  }
}

/**
 * The content of proposals for the REST side (seed, restore, history, diff). Writes go through the
 * same ordered path as a WebSocket edit: append, apply to the live document, broadcast.
 */
export interface ProposalContent {
  /** Records an update (unless it changes nothing) and returns the content revision after it. */
  appendUpdate(proposalId: string, update: Uint8Array, options: AppendUpdateOptions): Promise<number>;
  currentRevision(proposalId: string): Promise<number>;
  timeline(proposalId: string, options?: { after?: number; limit?: number }): Promise<TimelinePage>;
  /** A fresh Y.Doc at revision r (nearest snapshot ≤ r plus the tail); the caller destroys it. */
  documentAt(proposalId: string, revision: number): Promise<Y.Doc>;
  /** Updates after..upTo (default from 1) with their authors, ascending. */
  updatesWithAuthors(proposalId: string, upTo: number, after?: number): Promise<AttributedUpdate[]>;
  /**
   * Input for diffRevisions: the newest history snapshot ≤ `to` with the updates after it up to `to`
   * and revision `from` as a Yjs snapshot, when there is one after `from`; otherwise the nearest
   * snapshot ≤ `from` plus every update up to `to`. Either way O(K) updates for any pair, once the
   * proposal has history snapshots.
   */
  historySource(proposalId: string, range: { from: number; to: number }): Promise<HistorySource>;
  /**
   * Who wrote which item in updates 1..revision: the attribution stored with the newest history
   * snapshot ≤ revision plus the updates after it (from revision 1 when there is none).
   */
  attributionAt(proposalId: string, revision: number): Promise<AttributionAt>;
  /**
   * Makes the text equal revision r again with one new update attributed to `userId` (kind
   * 'restore'), computed against the live document inside its serial queue, so no edit can land
   * between computing and recording it. Resolves with the revision that update became (the
   * caller records ProposalRestored naming it); rejects when it could not be written.
   */
  restoreRevision(proposalId: string, revision: number, options: { userId: string }): Promise<RestoreResult>;
}

/** Revision r of a proposal: the nearest snapshot ≤ r plus the updates after it, replayed into a fresh Y.Doc (the caller destroys it). */
async function documentAtRevision(reader: ContentReader, proposalId: string, revision: number): Promise<Y.Doc> {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new RevisionNotFoundError(proposalId, revision);
  const source = await reader.source(proposalId, revision);
  if (!source) throw new RevisionNotFoundError(proposalId, revision);
  return buildDocumentFrom(source);
}

/**
 * The read side of `ProposalContent.documentAt` over a store, without a collab server, registry or
 * Nest: for tools that replay revisions from a log at rest (`npm run verify -- --document`).
 */
export function createRevisionReader(store: EventStore): Pick<ProposalContent, 'documentAt'> {
  const reader = new ContentReader(store);
  return { documentAt: (proposalId, revision) => documentAtRevision(reader, proposalId, revision) };
}

/** `updates` as read, checked to be revisions after+1 … to with none missing. */
function contiguous(proposalId: string, updates: readonly ContentUpdate[], after: number, to: number): readonly ContentUpdate[] {
  updates.forEach((update, index) => {
    if (update.revision !== after + 1 + index) throw new RevisionNotFoundError(proposalId, after + 1 + index);
  });
  if (after + updates.length < to) throw new RevisionNotFoundError(proposalId, to);
  return updates;
}

/** Server-side updates (a restore rewrites a whole document) may be larger than a keystroke. */
const MAX_SERVER_UPDATE_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMELINE_LIMIT = 100;
const MAX_TIMELINE_LIMIT = 1_000;

export function createProposalContent(deps: {
  registry: DocumentRegistry;
  reader: ContentReader;
  allowedRootTypes: readonly string[] | undefined;
}): ProposalContent {
  const { registry, reader } = deps;

  const content: ProposalContent = {
    async appendUpdate(proposalId, update, options) {
      const validation = validateYjsUpdate(update, {
        maxBytes: MAX_SERVER_UPDATE_BYTES,
        allowedRootTypes: deps.allowedRootTypes,
      });
      if (!validation.ok) throw new InvalidUpdateError(validation.reason);
      const document = await registry.acquire(proposalId);
      try {
        const result = await document.submitEdit({ update, parsed: validation.parsed, userId: options.userId, kind: options.kind });
        return result.revision;
      } finally {
        registry.release(document);
      }
    },

    async currentRevision(proposalId) {
      const live = registry.find(proposalId);
      if (live && !live.destroyed) return live.contentRevision;
      return reader.currentRevision(proposalId);
    },

    async timeline(proposalId, options = {}) {
      const after = Math.max(0, Math.floor(options.after ?? 0));
      const limit = Math.min(MAX_TIMELINE_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_TIMELINE_LIMIT)));
      // One more than asked tells whether there is a next page.
      const updates = await reader.updatesAfter(proposalId, after, limit + 1);
      const items = updates.slice(0, limit).map(({ revision, userId, at, kind }) => ({ revision, userId, at, kind }));
      const next = updates.length > limit ? items[items.length - 1].revision : null;
      return { items, next };
    },

    documentAt(proposalId, revision) {
      // The open document at exactly that revision is that revision: copied, no read of the store
      // (the content hash and suggestion trackers ask for the current revision after every burst of edits).
      const live = registry.find(proposalId);
      if (live && !live.destroyed && live.contentRevision === revision) {
        return Promise.resolve(buildDocument({ snapshot: encodeSnapshot(live.doc), updates: [] }));
      }
      return documentAtRevision(reader, proposalId, revision);
    },

    async updatesWithAuthors(proposalId, upTo, after = 0) {
      const updates = after > 0 ? await reader.updatesAfter(proposalId, after, upTo - after) : await reader.updatesUpTo(proposalId, upTo);
      return updates.map(({ revision, update, userId, at, kind }) => ({ revision, update, userId, at, kind }));
    },

    async historySource(proposalId, { from, to }) {
      if (!Number.isSafeInteger(from) || from < 0) throw new RevisionNotFoundError(proposalId, from);
      if (!Number.isSafeInteger(to) || to < from) throw new RevisionNotFoundError(proposalId, to);
      const latest = to > from ? await reader.newestSnapshot(proposalId, to) : null;
      if (isHistorySnapshot(latest) && latest.revision > from) {
        const [later, atFrom] = await Promise.all([reader.updatesAfterSnapshot(proposalId, latest, to), documentAtRevision(reader, proposalId, from)]);
        let fromSnapshot: Uint8Array;
        try {
          fromSnapshot = Y.encodeSnapshot(Y.snapshot(atFrom));
        } finally {
          atFrom.destroy();
        }
        return { snapshot: latest.state, snapshotRevision: latest.revision, updates: contiguous(proposalId, later, latest.revision, to).map((update) => update.update), fromSnapshot };
      }
      const base = await reader.source(proposalId, from);
      if (!base) throw new RevisionNotFoundError(proposalId, from);
      const later = to > from ? await reader.updatesAfter(proposalId, from, to - from) : [];
      const snapshotRevision = base.snapshot?.revision ?? 0;
      return { snapshot: base.snapshot?.state, snapshotRevision, updates: contiguous(proposalId, [...base.updates, ...later], snapshotRevision, to).map((update) => update.update) };
    },

    async attributionAt(proposalId, revision) {
      if (!Number.isSafeInteger(revision) || revision < 0) throw new RevisionNotFoundError(proposalId, revision);
      const snapshot = revision > 0 ? await reader.newestSnapshot(proposalId, revision) : null;
      let index = new AttributionIndex();
      let after = 0;
      if (isHistorySnapshot(snapshot)) {
        try {
          index = AttributionIndex.decode(snapshot.attribution);
          after = snapshot.revision;
        } catch {
          // Unreadable (cannot happen with a chain that verifies): built from revision 1 instead.
        }
      }
      const updates = after > 0 && snapshot ? await reader.updatesAfterSnapshot(proposalId, snapshot, revision) : await reader.updatesUpTo(proposalId, revision);
      for (const update of contiguous(proposalId, updates, after, revision)) index.add(update.update, update.userId);
      return { index, revision };
    },

    async restoreRevision(proposalId, revision, { userId }) {
      const target = await content.documentAt(proposalId, revision);
      const document = await registry.acquire(proposalId);
      try {
        const result = await document.submitEdit({
          update: (current) => restoreUpdate(current, target, { clientId: unusedClientId(current) }),
          userId,
          kind: 'restore',
        });
        return {
          restoredRevision: revision,
          revision: result.revision,
          recorded: result.recorded,
          ...(result.refused ? { refused: result.refused } : {}),
        };
      } finally {
        registry.release(document);
        target.destroy();
      }
    },
  };
  return content;
}
