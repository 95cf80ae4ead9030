import * as Y from 'yjs';

/** The Y.XmlFragment holding a proposal's rich text (Tiptap Collaboration's `field`). */
export const CONTENT_FIELD = 'content';

export interface BuildDocumentInput {
  /** A content snapshot's state to start from (a `Y.encodeStateAsUpdate`), if any. */
  readonly snapshot?: Uint8Array;
  /** The `ContentUpdated.update`s that follow the snapshot, in stream order. */
  readonly updates: Iterable<Uint8Array>;
  /**
   * Garbage-collect deleted content (default true). Pass `false` for documents that snapshots,
   * diffs or `Y.createDocFromSnapshot` will read: they need deleted items to keep their content.
   */
  readonly gc?: boolean;
}

/**
 * A Y.Doc that holds recorded updates and nothing else: the server's live document, every replay of
 * a content stream, every copy that is compared with them.
 *
 * Yjs "cleans up" after a remote transaction that touched formatted text of a type it has in hand:
 * it deletes format items it finds redundant, in a local transaction of its own. On the server that
 * deletion is a change no writer made and the log never records, and it is not neutral under
 * concurrency: a client that had not seen it formats its next words against the format item still
 * alive. The live document (its fragment in hand) cleaned up after each update; a replay (the type
 * unknown until read) never did — and two delegates and a drafter suggesting at once made them read
 * differently: a suggestion mark ran to the end of the paragraph in the replay only. So these
 * documents never clean up: their state is a function of the recorded updates alone, whatever their
 * grouping. Clients still clean up on their side; what they delete
 * reaches the server as their own update and is recorded, attributed, like any edit.
 */
export function recordedDocument(options: { gc?: boolean } = {}): Y.Doc {
  const doc = new Y.Doc({ gc: options.gc ?? true });
  // 'afterTransaction' is emitted just before Yjs looks at this flag (Transaction.ts, cleanupTransactions).
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    transaction._needFormattingCleanup = false;
  });
  return doc;
}

/**
 * Replays a content stream into a fresh recorded document: the snapshot then every update, all in one
 * transaction (observers, if any, fire once). The caller owns the document and should `destroy()` it.
 */
export function buildDocument(input: BuildDocumentInput): Y.Doc {
  const doc = recordedDocument({ gc: input.gc ?? true });
  doc.transact(() => {
    if (input.snapshot) Y.applyUpdate(doc, input.snapshot);
    for (const update of input.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/**
 * The state to store in a content snapshot (`ContentCheckpointed` event). Always encodes a document rather than merging
 * updates: `Y.mergeUpdates` is superlinear on many small updates.
 */
export function encodeSnapshot(doc: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(doc);
}
