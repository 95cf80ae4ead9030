import * as Y from 'yjs';
import type { ContentSnapshotSource } from './content-reader';

/**
 * Replays a checkpoint and the updates after it into a fresh Y.Doc.
 * TODO(content): switch to @concord/content's buildDocument/encodeCheckpoint once they are exported;
 * this is the only place that replays content.
 */
export function buildDocumentFrom(source: ContentSnapshotSource, options: { gc?: boolean } = {}): Y.Doc {
  const doc = new Y.Doc({ gc: options.gc ?? true });
  try {
    if (source.checkpoint) Y.applyUpdate(doc, source.checkpoint.state);
    for (const update of source.updates) Y.applyUpdate(doc, update.update);
  } catch (error) {
    doc.destroy();
    throw error;
  }
  return doc;
}

/** Full state of a rebuilt revision, as stored in a ContentCheckpointed event (never mergeUpdates). */
export function encodeCheckpointFrom(source: ContentSnapshotSource): Uint8Array {
  const doc = buildDocumentFrom(source);
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
