import { Inject, Injectable } from '@nestjs/common';
import { CONTENT_FIELD, contentHashOfDocument, seedUpdateFromProseMirrorJson } from '@concord/content';
import * as Y from 'yjs';
import { CollabServer } from '@concord/collab';
import type { ContentHistory, RecordedContentUpdate } from '@concord/api/platform';
import { COLLAB_SERVER } from './collab.provider';

const HASH_CACHE_SIZE = 2_000;

/**
 * The content facts domain commands need, over the collaboration server's content (the live
 * document when one is open, the stream otherwise). A revision's hash never changes: cached.
 */
@Injectable()
export class CollabContentHistory implements ContentHistory {
  private readonly hashes = new Map<string, string>();

  constructor(@Inject(COLLAB_SERVER) private readonly collab: CollabServer) {}

  currentRevision(proposalId: string): Promise<number> {
    return this.collab.content.currentRevision(proposalId);
  }

  async contentHashAt(proposalId: string, revision: number): Promise<string> {
    const key = `${proposalId}@${revision}`;
    const cached = this.hashes.get(key);
    if (cached) return cached;
    const doc = await this.collab.content.documentAt(proposalId, revision);
    try {
      const hash = contentHashOfDocument(doc);
      if (this.hashes.size >= HASH_CACHE_SIZE) this.hashes.delete(this.hashes.keys().next().value as string);
      this.hashes.set(key, hash);
      return hash;
    } finally {
      doc.destroy();
    }
  }

  seedContent(proposalId: string, document: unknown, userId: string, kind: 'seed' | 'import' = 'seed'): Promise<number> {
    const update = seedUpdateFromProseMirrorJson(document as Record<string, unknown>);
    return this.collab.content.appendUpdate(proposalId, update, { userId, kind });
  }

  async editAs(proposalId: string, userId: string, change: (content: Y.XmlFragment) => void): Promise<number> {
    const doc = await this.collab.content.documentAt(proposalId, await this.collab.content.currentRevision(proposalId));
    try {
      doc.clientID = Math.floor(Math.random() * 2 ** 31) + 1; // a client id of its own, as a new client would have
      const before = Y.encodeStateVector(doc);
      change(doc.getXmlFragment(CONTENT_FIELD));
      return await this.collab.content.appendUpdate(proposalId, Y.encodeStateAsUpdate(doc, before), { userId, kind: 'edit' });
    } finally {
      doc.destroy();
    }
  }

  documentAt(proposalId: string, revision: number): Promise<Y.Doc> {
    return this.collab.content.documentAt(proposalId, revision);
  }

  updatesWithAuthors(proposalId: string, upTo: number, after: number): Promise<RecordedContentUpdate[]> {
    return this.collab.content.updatesWithAuthors(proposalId, upTo, after);
  }

  async authorsUpTo(proposalId: string, revision: number): Promise<readonly string[]> {
    return (await this.collab.content.attributionAt(proposalId, revision)).index.authors;
  }
}
