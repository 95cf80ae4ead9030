import type { PoolClient } from 'pg';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { toStoredPayload } from '../stored-payload';
import { payloadBytes, PostgresTables } from './postgres-schema';

interface AppendState {
  stored: Array<{ id: string; stream: string; revision: number; position: string }> | null;
  head: { revision: number; hash: string; position: string } | null;
}

/**
 * The part of an append that runs under the append lock (PostgresConnection.inAppendLock): one
 * round trip to read the batch's ids already stored and the stream's head, then the idempotency
 * and expected-revision checks, then one round trip to write the events, the head and the
 * notification. Few round trips, because every other writer waits for the lock meanwhile.
 */
export async function appendLocked(
  client: PoolClient,
  tables: PostgresTables,
  stream: string,
  events: NewEvent[],
  options: AppendOptions,
): Promise<{ appended: AppendResult; wrote: boolean }> {
  const ids = events.map((event) => event.id);
  const { rows } = await client.query<{ state: AppendState }>(
    `SELECT json_build_object(
       'stored', (SELECT json_agg(json_build_object('id', id, 'stream', stream, 'revision', revision, 'position', position))
                  FROM ${tables.events} WHERE id = ANY($1::text[])),
       'head', (SELECT json_build_object('revision', last_revision, 'hash', last_hash, 'position', last_position)
                FROM ${tables.streams} WHERE stream = $2)
     ) AS state`,
    [ids, stream],
  );
  const { stored, head } = rows[0].state;

  const storedLocations = new Map<string, StoredEventLocation>(
    (stored ?? []).map((location) => [location.id, { ...location, position: Number(location.position) }]),
  );
  const replay = detectIdempotentReplay(stream, ids, storedLocations);
  if (replay) return { appended: replay, wrote: false };

  const lastRevision = head?.revision ?? -1;
  assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
  if (events.length === 0) {
    return { appended: { nextExpectedRevision: lastRevision, position: Number(head?.position ?? 0) }, wrote: false };
  }

  const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.hash } : EMPTY_STREAM_HEAD, events);
  const payloads = sealed.map((event) => toStoredPayload(event.data));
  const last = sealed[sealed.length - 1];
  // ORDER BY ordinality makes the sequence hand out positions in revision order.
  const written = await client.query<{ position: string }>(
    `WITH inserted AS (
       INSERT INTO ${tables.events} (stream, revision, id, type, is_binary, data, metadata)
       SELECT $1, revision, id, type, is_binary, data, metadata
       FROM unnest($2::int[], $3::text[], $4::text[], $5::bool[], $6::bytea[], $7::text[])
            WITH ORDINALITY AS e(revision, id, type, is_binary, data, metadata, ordinality)
       ORDER BY ordinality
       RETURNING position
     ), head AS (
       INSERT INTO ${tables.streams} (stream, last_revision, last_hash, last_position)
       SELECT $1, $8, $9, MAX(position) FROM inserted
       ON CONFLICT (stream) DO UPDATE SET
         last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position
       RETURNING last_position
     )
     SELECT last_position AS position, pg_notify($10, last_position::text) FROM head`,
    [
      stream,
      sealed.map((event) => event.revision),
      sealed.map((event) => event.id),
      sealed.map((event) => event.type),
      payloads.map((payload) => payload.isBinary),
      payloads.map((payload) => payloadBytes(payload.content)),
      sealed.map((event) => JSON.stringify(event.metadata)),
      last.revision,
      last.metadata.hash,
      tables.notifyChannel,
    ],
  );
  return {
    appended: { nextExpectedRevision: last.revision, position: Number(written.rows[0].position) },
    wrote: true,
  };
}
