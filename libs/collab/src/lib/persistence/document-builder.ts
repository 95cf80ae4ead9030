import { buildDocument, encodeCheckpoint } from '@concord/content';
import type * as Y from 'yjs';
import type { ContentSnapshotSource } from './content-reader';

/** Replays a checkpoint and the updates after it into a fresh Y.Doc (the caller destroys it). */
export function buildDocumentFrom(source: ContentSnapshotSource, options: { gc?: boolean } = {}): Y.Doc {
  return buildDocument({
    checkpoint: source.checkpoint?.state,
    updates: source.updates.map((update) => update.update),
    gc: options.gc,
  });
}

/** Full state of a rebuilt revision, as stored in a ContentCheckpointed event (never mergeUpdates). */
export function encodeCheckpointFrom(source: ContentSnapshotSource): Uint8Array {
  const doc = buildDocumentFrom(source);
  try {
    return encodeCheckpoint(doc);
  } finally {
    doc.destroy();
  }
}
