import { CONTENT_SNAPSHOT, parseStream, proposalSnapshotStream } from '@concord/domain';
import { checkImportedEvent, ImportedStreamHead, ImportRejectedError, RecordedEvent } from '@concord/event-store';
import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import { EventLogFormatError, formatEventLine, formatHeaderLine, parseEventLine, parseHeaderLine } from './event-log-format';

/**
 * Rewrites one event of an export (its stream, revision, metadata), fed every event in global
 * order. The content snapshot migration is `SnapshotLayoutMigration` of @concord/collab (which owns
 * the snapshot and write fence layout); the tools take it as a parameter, since the log tools do
 * not depend on the co-editing feature.
 */
export interface EventMigration {
  migrate(event: RecordedEvent): RecordedEvent;
}

/** What the pre-scan found: whether the file needs the migration and the streams it will create. */
export interface SnapshotMigrationPlan {
  readonly legacySnapshots: number;
  /** Snapshot streams the migration creates (proposals with legacy snapshots and no snapshot stream yet). */
  readonly newStreams: number;
}

/** A stream whose chain the migration recomputed. */
export interface RechainedStream {
  readonly stream: string;
  events: number;
  fromHeadHash: string | null;
  toHeadHash: string;
}

/**
 * The proposal whose content stream holds this event when it is a content snapshot of the layout
 * before issue 10 (`ContentCheckpointed` inside `proposal-<id>-content`); null otherwise.
 */
export function legacySnapshotProposal(event: Pick<RecordedEvent, 'stream' | 'type'>): string | null {
  if (event.type !== CONTENT_SNAPSHOT) return null;
  const stream = parseStream(event.stream);
  return stream?.kind === 'proposal-content' ? stream.id : null;
}

/** Reads an export once to decide whether it holds content snapshots of the old layout. */
export async function planSnapshotMigration(lines: AsyncIterable<string>): Promise<SnapshotMigrationPlan> {
  const streams = new Set<string>();
  const snapshotStreamsNeeded = new Set<string>();
  let legacySnapshots = 0;
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (lineNumber === 1 || text.trim() === '') continue;
    const event = parseEventLine(text, lineNumber);
    streams.add(event.stream);
    const proposalId = legacySnapshotProposal(event);
    if (proposalId !== null) {
      legacySnapshots += 1;
      snapshotStreamsNeeded.add(proposalSnapshotStream(proposalId));
    }
  }
  const newStreams = [...snapshotStreamsNeeded].filter((stream) => !streams.has(stream)).length;
  return { legacySnapshots, newStreams };
}

/**
 * The lines of an export with content snapshots moved to their own streams (`migration`, i.e.
 * SnapshotLayoutMigration of @concord/collab) and the chains of every changed stream recomputed: an
 * event's hash covers its stream, revision and metadata, and the next event's prevHash that hash.
 * Unchanged streams and the unchanged prefix of a changed stream keep their hashes byte for byte.
 * Each original event is checked against its own chain first, so a file edited after it verified is
 * refused, not re-hashed.
 */
export async function* migrateSnapshotLines(
  lines: AsyncIterable<string>,
  plan: SnapshotMigrationPlan,
  migration: EventMigration,
  rechained: Map<string, RechainedStream> = new Map(),
): AsyncGenerator<string> {
  const originalHeads = new Map<string, ImportedStreamHead>();
  const heads = new Map<string, string>();
  let lastPosition = 0;
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (lineNumber === 1) {
      const header = parseHeaderLine(text);
      yield formatHeaderLine({ ...header, streamCount: header.streamCount + plan.newStreams }).trimEnd();
      continue;
    }
    const original = parseEventLine(text, lineNumber);
    try {
      checkImportedEvent(original, originalHeads.get(original.stream), lastPosition);
    } catch (error) {
      if (error instanceof ImportRejectedError) throw new EventLogFormatError(lineNumber, error.reason, original.stream, original.revision);
      throw error;
    }
    originalHeads.set(original.stream, { revision: original.revision, hash: original.metadata.hash });
    lastPosition = original.position;
    const migrated = migration.migrate(original);
    const head = heads.get(migrated.stream) ?? null;
    const unchanged = migrated === original && (head ?? original.metadata.prevHash) === original.metadata.prevHash;
    const event = unchanged ? original : rehash(migrated, head, rechained);
    heads.set(event.stream, event.metadata.hash);
    yield unchanged ? text : formatEventLine(event).trimEnd();
  }
  for (const entry of rechained.values()) entry.fromHeadHash = originalHeads.get(entry.stream)?.hash ?? null;
}

function rehash(event: RecordedEvent, head: string | null, rechained: Map<string, RechainedStream>): RecordedEvent {
  const prevHash = head ?? GENESIS_HASH;
  const metadata: Record<string, unknown> = { ...event.metadata, prevHash };
  delete metadata['hash'];
  const hash = computeEventHash({ prevHash, stream: event.stream, revision: event.revision, type: event.type, data: event.data, metadata });
  let entry = rechained.get(event.stream);
  if (!entry) {
    entry = { stream: event.stream, events: 0, fromHeadHash: null, toHeadHash: hash };
    rechained.set(event.stream, entry);
  }
  entry.events += 1;
  entry.toHeadHash = hash;
  return { ...event, metadata: { ...event.metadata, prevHash, hash } };
}
