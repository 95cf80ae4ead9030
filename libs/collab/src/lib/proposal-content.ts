import { validateYjsUpdate } from '@concord/content';
import type * as Y from 'yjs';
import type { DocumentRegistry } from './document-registry';
import type { ContentUpdate, UpdateKind } from './persistence/content-events';
import type { ContentReader } from './persistence/content-reader';
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
  /** A fresh Y.Doc at revision r (nearest checkpoint ≤ r plus the tail); the caller destroys it. */
  documentAt(proposalId: string, revision: number): Promise<Y.Doc>;
  /** Updates 1..upTo with their authors, ascending. */
  updatesWithAuthors(proposalId: string, upTo: number): Promise<AttributedUpdate[]>;
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

  return {
    async appendUpdate(proposalId, update, options) {
      const validation = validateYjsUpdate(update, {
        maxBytes: MAX_SERVER_UPDATE_BYTES,
        allowedRootTypes: deps.allowedRootTypes,
      });
      if (!validation.ok) throw new InvalidUpdateError(validation.reason);
      const document = await registry.acquire(proposalId);
      try {
        const result = await document.submitEdit({ update, userId: options.userId, kind: options.kind });
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

    async documentAt(proposalId, revision) {
      if (!Number.isSafeInteger(revision) || revision < 0) throw new RevisionNotFoundError(proposalId, revision);
      const source = await reader.snapshotSourceAt(proposalId, revision);
      if (!source || source.revision !== revision) throw new RevisionNotFoundError(proposalId, revision);
      return buildDocumentFrom(source);
    },

    async updatesWithAuthors(proposalId, upTo) {
      const updates = await reader.updatesUpTo(proposalId, upTo);
      return updates.map(({ revision, update, userId, at, kind }) => ({ revision, update, userId, at, kind }));
    },
  };
}
