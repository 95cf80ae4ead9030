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
 * Replays a content stream into a fresh Y.Doc: the snapshot then every update, all in one
 * transaction (observers, if any, fire once). The caller owns the document and should `destroy()` it.
 */
export function buildDocument(input: BuildDocumentInput): Y.Doc {
  const doc = new Y.Doc({ gc: input.gc ?? true });
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
