export {
  createCollabServer,
  type Authorization,
  type CollabDocumentsView,
  type CollabServer,
  type CollabServerOptions,
  type ReauthorizeFilter,
  type ReauthorizeOptions,
  type ReauthorizeOutcome,
} from './lib/server/collab-server';
export type { Access, CollabUser } from './lib/server/collab-connection';
export {
  createRevisionReader,
  InvalidUpdateError,
  RevisionNotFoundError,
  type AppendUpdateOptions,
  type AttributedUpdate,
  type HistorySource,
  type ProposalContent,
  type RestoreResult,
  type TimelineItem,
  type TimelinePage,
} from './lib/proposal-content';
export {
  parseAccessMarker,
  writeRefusal,
  type AccessMarker,
  type FenceState,
  type WriteClosure,
} from './lib/access-fence';
export { appendAccessMarker, SYSTEM_USER_ID } from './lib/persistence/content-writer';
export {
  CONTENT_ACCESS_CHANGED,
  CONTENT_SNAPSHOT,
  CONTENT_UPDATED,
  contentStreamOf,
  proposalIdOfContentStream,
  proposalIdOfSnapshotStream,
  snapshotStreamOf,
  type UpdateKind,
} from './lib/persistence/content-events';
export type { CollabLogger } from './lib/logger';
export { isLegacyContentSnapshot, SnapshotLayoutMigration } from './lib/persistence/legacy-snapshot-layout';
