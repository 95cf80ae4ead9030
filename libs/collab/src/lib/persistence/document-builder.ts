import { buildDocument, encodeSnapshot } from '@concord/content';
import type * as Y from 'yjs';
import type { ContentSnapshotSource } from './content-reader';

/** Replays a snapshot and the updates after it into a fresh Y.Doc (the caller destroys it). */
export function buildDocumentFrom(source: ContentSnapshotSource, options: { gc?: boolean } = {}): Y.Doc {
  return buildDocument({
    snapshot: source.snapshot?.state,
    updates: source.updates.map((update) => update.update),
    gc: options.gc,
  });
}

/** Full state of a rebuilt revision, as stored in a snapshot event (never mergeUpdates). */
export function encodeSnapshotFrom(source: ContentSnapshotSource): Uint8Array {
  const doc = buildDocumentFrom(source);
  try {
    return encodeSnapshot(doc);
  } finally {
    doc.destroy();
  }
}
