import { randomUUID } from 'node:crypto';
import type { AppendResult, EventStore, ExpectedRevision } from '@concord/event-store';
import { AccessMarker, encodeFenceState, FenceState } from '../access-fence';
import { CONTENT_ACCESS_CHANGED, CONTENT_SNAPSHOT, CONTENT_UPDATED, UpdateKind, contentStreamOf, snapshotStreamOf } from './content-events';

export interface UpdateToRecord {
  readonly update: Uint8Array;
  readonly userId: string;
  readonly kind: UpdateKind;
  /** Content revision this update becomes. */
  readonly revision: number;
  /** Yjs client ids whose structs the update carries (none for a delete-only update). */
  readonly clientIds: readonly number[];
}

/** The user recorded on events the server writes on its own (snapshots). */
export const SYSTEM_USER_ID = 'system';

/**
 * Appends content events with an expected stream revision, so that two nodes can never both write
 * "revision r": the loser gets WrongExpectedRevisionError, catches up and retries.
 */
export class ContentWriter {
  constructor(private readonly store: EventStore) {}

  /** Appends consecutive updates atomically, in one transaction (one fsync for a whole batch). */
  appendUpdates(proposalId: string, records: readonly UpdateToRecord[], afterStreamRevision: number): Promise<AppendResult> {
    return this.store.append(
      contentStreamOf(proposalId),
      records.map((record) => ({
        id: randomUUID(),
        type: CONTENT_UPDATED,
        data: record.update,
        metadata: {
          userId: record.userId,
          revision: record.revision,
          kind: record.kind,
          clientId: describeClientIds(record.clientIds),
        },
      })),
      { expectedRevision: expectedAfter(afterStreamRevision) },
    );
  }

  /**
   * Appends a snapshot to the proposal's snapshot stream. No expected revision: nothing else writes
   * there, and two nodes writing the same revision's snapshot write the same state (readers take
   * either). `contentStreamRevision` is where update `revision` sits in the content stream, `fence`
   * the write fence in force there, so a load reads neither further back.
   */
  appendSnapshot(
    proposalId: string,
    snapshot: { state: Uint8Array; revision: number; contentStreamRevision: number; fence?: FenceState; attribution?: Uint8Array },
  ): Promise<AppendResult> {
    return this.store.append(
      snapshotStreamOf(proposalId),
      [
        {
          id: randomUUID(),
          type: CONTENT_SNAPSHOT,
          data: snapshot.state,
          metadata: {
            userId: SYSTEM_USER_ID,
            revision: snapshot.revision,
            contentStreamRevision: snapshot.contentStreamRevision,
            fence: encodeFenceState(snapshot.fence ?? []),
            // A history snapshot (ContentSnapshot.attribution): deleted content kept, who wrote what up to here.
            ...(snapshot.attribution ? { keepsDeleted: true, attribution: Buffer.from(snapshot.attribution).toString('base64') } : {}),
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  }
}

/**
 * Appends a write fence marker with no expected revision: it must land whatever is being typed,
 * and every live document appending after it conflicts, catches up and sees it.
 */
export function appendAccessMarker(
  store: EventStore,
  proposalId: string,
  marker: AccessMarker,
  metadata: { userId: string; correlationId?: string },
): Promise<AppendResult> {
  return store.append(
    contentStreamOf(proposalId),
    [{ id: randomUUID(), type: CONTENT_ACCESS_CHANGED, data: { ...marker }, metadata }],
    { expectedRevision: 'any' },
  );
}

function expectedAfter(streamRevision: number): ExpectedRevision {
  return streamRevision < 0 ? 'no_stream' : streamRevision;
}

/**
 * Metadata values are scalars: one client id (the usual keystroke) is stored as a number, several
 * (a merged offline update, a restore) as a comma-separated list; a delete-only update has none.
 */
function describeClientIds(clientIds: readonly number[]): number | string | undefined {
  if (clientIds.length === 0) return undefined;
  if (clientIds.length === 1) return clientIds[0];
  return clientIds.join(',');
}
