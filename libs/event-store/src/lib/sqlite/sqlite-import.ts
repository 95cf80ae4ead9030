import type Database from 'better-sqlite3';
import type { ImportEventsResult, RecordedEvent } from '../event-store.port';
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../import/import-checks';
import { toStoredPayload } from '../stored-payload';
import { readHeadPosition, SqliteStatements, StreamRow } from './sqlite-schema';

export type SqliteImport = Database.Transaction<(events: readonly RecordedEvent[]) => ImportEventsResult>;

/**
 * EventStore.importEvents on SQLite: one transaction that checks every event (checkImportedEvent,
 * ids not stored yet), then writes the rows with their given positions and the stream heads.
 * Call it with `.immediate(events)` to take the write lock up front.
 */
export function sqliteImport(db: Database.Database, statements: SqliteStatements): SqliteImport {
  return db.transaction((events: readonly RecordedEvent[]): ImportEventsResult => {
    assertUniqueIds(events);
    const heads = new Map<string, ImportedStreamHead & { position: number }>();
    let lastPosition = readHeadPosition(statements);
    for (const event of events) {
      if (statements.locateEvent.get(event.id)) {
        throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} is already stored`);
      }
      let head = heads.get(event.stream);
      if (!head) {
        const row = statements.streamHead.get(event.stream) as StreamRow | undefined;
        head = row ? { revision: row.last_revision, hash: row.last_hash, position: row.last_position } : undefined;
      }
      checkImportedEvent(event, head, lastPosition);
      heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash, position: event.position });
      lastPosition = event.position;
    }
    for (const event of events) {
      const payload = toStoredPayload(event.data);
      statements.insertImported.run(
        event.position,
        event.stream,
        event.revision,
        event.id,
        event.type,
        payload.isBinary ? 1 : 0,
        payload.content,
        JSON.stringify(event.metadata),
      );
    }
    for (const [stream, head] of heads) {
      statements.upsertStreamHead.run(stream, head.revision, head.hash, head.position);
    }
    return { eventsWritten: events.length, position: lastPosition };
  });
}
