import type { PoolClient } from 'pg';
import type { ImportEventsResult, RecordedEvent } from '../event-store.port';
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../import/import-checks';
import { toStoredPayload } from '../stored-payload';
import { payloadBytes, PostgresTables } from './postgres-schema';

interface ImportState {
  head: number | string;
  stored: string[] | null;
  heads: Array<{ stream: string; revision: number; hash: string }> | null;
}

/**
 * EventStore.importEvents under the append lock: read the head position, the heads of the batch's
 * streams and any of its ids already stored; check every event (checkImportedEvent); insert the
 * rows with their positions, upsert the heads, move the position sequence past the highest
 * imported position, notify.
 */
export async function importLocked(
  client: PoolClient,
  tables: PostgresTables,
  events: readonly RecordedEvent[],
): Promise<ImportEventsResult> {
  assertUniqueIds(events);
  const streamNames = [...new Set(events.map((event) => event.stream))];
  const { rows } = await client.query<{ state: ImportState }>(
    `SELECT json_build_object(
       'head', (SELECT COALESCE(MAX(position), 0) FROM ${tables.events}),
       'stored', (SELECT json_agg(id) FROM ${tables.events} WHERE id = ANY($1::text[])),
       'heads', (SELECT json_agg(json_build_object('stream', stream, 'revision', last_revision, 'hash', last_hash))
                 FROM ${tables.streams} WHERE stream = ANY($2::text[]))
     ) AS state`,
    [events.map((event) => event.id), streamNames],
  );
  const state = rows[0].state;
  const storedIds = new Set(state.stored ?? []);
  const heads = new Map<string, ImportedStreamHead>(
    (state.heads ?? []).map((head) => [head.stream, { revision: head.revision, hash: head.hash }]),
  );
  const headPositions = new Map<string, number>();
  let lastPosition = Number(state.head);
  for (const event of events) {
    if (storedIds.has(event.id)) {
      throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} is already stored`);
    }
    checkImportedEvent(event, heads.get(event.stream), lastPosition);
    heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
    headPositions.set(event.stream, event.position);
    lastPosition = event.position;
  }
  if (events.length === 0) return { eventsWritten: 0, position: lastPosition };

  const payloads = events.map((event) => toStoredPayload(event.data));
  await client.query(
    `INSERT INTO ${tables.events} (position, stream, revision, id, type, is_binary, data, metadata)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::bytea[], $8::text[])`,
    [
      events.map((event) => event.position),
      events.map((event) => event.stream),
      events.map((event) => event.revision),
      events.map((event) => event.id),
      events.map((event) => event.type),
      payloads.map((payload) => payload.isBinary),
      payloads.map((payload) => payloadBytes(payload.content)),
      events.map((event) => JSON.stringify(event.metadata)),
    ],
  );
  const written = [...headPositions.keys()];
  await client.query(
    `INSERT INTO ${tables.streams} (stream, last_revision, last_hash, last_position)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[])
     ON CONFLICT (stream) DO UPDATE SET
       last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position`,
    [
      written,
      written.map((stream) => heads.get(stream)?.revision),
      written.map((stream) => heads.get(stream)?.hash),
      written.map((stream) => headPositions.get(stream)),
    ],
  );
  // Appends take positions from the sequence: never hand out an imported position again.
  await client.query(
    `SELECT setval(pg_get_serial_sequence($1, 'position'), $2::bigint), pg_notify($3, $2::text)`,
    [tables.events, lastPosition, tables.notifyChannel],
  );
  return { eventsWritten: events.length, position: lastPosition };
}
