import type { PoolClient } from 'pg';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, SealedEvent, sealEvents } from '../append/seal-events';
import { toStoredPayload } from '../stored-payload';
import { payloadBytes, PostgresTables } from './postgres-schema';

/** One caller's append, as the group commit queues it. */
export interface BatchedAppend {
  stream: string;
  events: NewEvent[];
  options: AppendOptions;
}

/** What became of one append of a batch; a failed check fails that append alone. */
export type BatchedAppendOutcome = { ok: true; result: AppendResult; wrote: boolean } | { ok: false; error: unknown };

interface BatchState {
  stored: Array<{ id: string; stream: string; revision: number; position: string }> | null;
  heads: Array<{ stream: string; revision: number; hash: string; position: string }> | null;
}

/**
 * A position known once the batch is inserted: an event id of this batch stands for the position
 * the sequence gives its row.
 */
type Position = number | { eventId: string };

interface Head {
  revision: number;
  hash: string;
  position: Position;
}

interface Location {
  id: string;
  stream: string;
  revision: number;
  position: Position;
}

type Planned =
  | { ok: true; wrote: boolean; nextExpectedRevision: number; position: Position }
  | { ok: false; error: unknown };

/**
 * The part of a batch of appends (any streams, in queue order) that runs under the append lock
 * (PostgresConnection.inAppendLock), in a constant number of round trips whatever the batch size:
 * 1. one query reads the heads of the batch's streams and those of its event ids already stored;
 * 2. each append is checked in order (idempotent replay, then expected revision) against that
 *    state AS UPDATED by the earlier appends of the batch, and sealed (hash chain) after the head it
 *    sees, which may be an earlier append of the same batch; a failed check fails that append
 *    alone and leaves the state as it was;
 * 3. one query inserts every event of the batch (positions handed out in batch order), upserts one
 *    head per written stream and notifies the highest position.
 * The caller commits; until then nothing is visible and every append of the batch is pending.
 */
export async function appendBatchLocked(
  client: PoolClient,
  tables: PostgresTables,
  batch: readonly BatchedAppend[],
): Promise<BatchedAppendOutcome[]> {
  const ids = batch.flatMap((append) => append.events.map((event) => event.id));
  const streams = [...new Set(batch.map((append) => append.stream))];
  const { rows } = await client.query<{ state: BatchState }>(
    `SELECT json_build_object(
       'stored', (SELECT json_agg(json_build_object('id', id, 'stream', stream, 'revision', revision, 'position', position))
                  FROM ${tables.events} WHERE id = ANY($1::text[])),
       'heads', (SELECT json_agg(json_build_object('stream', stream, 'revision', last_revision, 'hash', last_hash, 'position', last_position))
                 FROM ${tables.streams} WHERE stream = ANY($2::text[]))
     ) AS state`,
    [ids, streams],
  );
  const { stored, heads: storedHeads } = rows[0].state;
  const locations = new Map<string, Location>(
    (stored ?? []).map((location) => [location.id, { ...location, position: Number(location.position) }]),
  );
  const heads = new Map<string, Head>(
    (storedHeads ?? []).map((head) => [head.stream, { revision: head.revision, hash: head.hash, position: Number(head.position) }]),
  );

  const toInsert: SealedEvent[] = [];
  const planned = batch.map((append): Planned => {
    try {
      return planAppend(append, locations, heads, toInsert);
    } catch (error) {
      return { ok: false, error };
    }
  });

  const positions = toInsert.length > 0 ? await insertBatch(client, tables, toInsert, heads) : new Map<string, number>();
  const resolve = (position: Position): number => (typeof position === 'number' ? position : (positions.get(position.eventId) as number));
  return planned.map((plan): BatchedAppendOutcome =>
    plan.ok
      ? { ok: true, wrote: plan.wrote, result: { nextExpectedRevision: plan.nextExpectedRevision, position: resolve(plan.position) } }
      : plan,
  );
}

/** Checks and seals one append against the batch state; on success records its events in that state. */
function planAppend(
  { stream, events, options }: BatchedAppend,
  locations: Map<string, Location>,
  heads: Map<string, Head>,
  toInsert: SealedEvent[],
): Planned {
  const ids = events.map((event) => event.id);
  const found = new Map<string, StoredEventLocation>();
  for (const id of ids) {
    const location = locations.get(id);
    // The position is only reported back; a placeholder of 0 is replaced below.
    if (location) found.set(id, { ...location, position: typeof location.position === 'number' ? location.position : 0 });
  }
  const replay = detectIdempotentReplay(stream, ids, found);
  if (replay) {
    const last = locations.get(ids[ids.length - 1]) as Location;
    return { ok: true, wrote: false, nextExpectedRevision: replay.nextExpectedRevision, position: last.position };
  }

  const head = heads.get(stream);
  const lastRevision = head?.revision ?? -1;
  assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
  if (events.length === 0) {
    return { ok: true, wrote: false, nextExpectedRevision: lastRevision, position: head?.position ?? 0 };
  }

  const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.hash } : EMPTY_STREAM_HEAD, events);
  // sealEvents is the last step that can throw (it normalises the payloads): the state is touched only now.
  for (const event of sealed) {
    locations.set(event.id, { id: event.id, stream, revision: event.revision, position: { eventId: event.id } });
  }
  const last = sealed[sealed.length - 1];
  heads.set(stream, { revision: last.revision, hash: last.metadata.hash, position: { eventId: last.id } });
  toInsert.push(...sealed);
  return { ok: true, wrote: true, nextExpectedRevision: last.revision, position: { eventId: last.id } };
}

/**
 * One statement: the rows in batch order (ORDER BY ordinality makes the sequence hand out positions
 * in that order), one head per written stream (its last event of the batch), one notification.
 * Returns the position of every inserted event id.
 */
async function insertBatch(
  client: PoolClient,
  tables: PostgresTables,
  events: readonly SealedEvent[],
  heads: ReadonlyMap<string, Head>,
): Promise<Map<string, number>> {
  const payloads = events.map((event) => toStoredPayload(event.data));
  const writtenStreams = [...new Set(events.map((event) => event.stream))];
  const writtenHeads = writtenStreams.map((stream) => heads.get(stream) as Head);
  const { rows } = await client.query<{ positions: Array<{ id: string; position: number | string }> }>(
    `WITH inserted AS (
       INSERT INTO ${tables.events} (stream, revision, id, type, is_binary, data, metadata)
       SELECT stream, revision, id, type, is_binary, data, metadata
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bool[], $6::bytea[], $7::text[])
            WITH ORDINALITY AS e(stream, revision, id, type, is_binary, data, metadata, ordinality)
       ORDER BY ordinality
       RETURNING id, stream, position
     ), head AS (
       INSERT INTO ${tables.streams} (stream, last_revision, last_hash, last_position)
       SELECT h.stream, h.revision, h.hash, last.position
       FROM unnest($8::text[], $9::int[], $10::text[]) AS h(stream, revision, hash)
       JOIN (SELECT stream, MAX(position) AS position FROM inserted GROUP BY stream) AS last ON last.stream = h.stream
       ON CONFLICT (stream) DO UPDATE SET
         last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position
     )
     SELECT (SELECT json_agg(json_build_object('id', id, 'position', position::text)) FROM inserted) AS positions,
            pg_notify($11, (SELECT MAX(position) FROM inserted)::text)`,
    [
      events.map((event) => event.stream),
      events.map((event) => event.revision),
      events.map((event) => event.id),
      events.map((event) => event.type),
      payloads.map((payload) => payload.isBinary),
      payloads.map((payload) => payloadBytes(payload.content)),
      events.map((event) => JSON.stringify(event.metadata)),
      writtenStreams,
      writtenHeads.map((head) => head.revision),
      writtenHeads.map((head) => head.hash),
      tables.notifyChannel,
    ],
  );
  return new Map(rows[0].positions.map((row) => [row.id, Number(row.position)]));
}
