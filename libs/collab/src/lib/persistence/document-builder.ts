import { buildDocument } from '@concord/content';
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
