import type { PoolClient } from 'pg';
import { sha256Hex } from '@concord/integrity';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { fromStoredPayload } from '../stored-payload';

/** First key of the two-key advisory locks this store takes; the second identifies the schema. */
const ADVISORY_LOCK_CLASS = 0x436f6e63; // "Conc"

export const EVENT_COLUMNS = 'position, stream, revision, id, type, is_binary, data, metadata';

export interface EventRow {
  position: string;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: boolean;
  data: Buffer;
  metadata: string;
}

/** The names one store works with, all derived from its schema. */
export interface PostgresTables {
  schema: string;
  /** Quoted `"schema".events`: position (sequence), stream, revision, id, payload, metadata. */
  events: string;
  /** Quoted `"schema".streams`: one head record per stream (last revision, hash and position). */
  streams: string;
  /** NOTIFY channel of the schema (identifiers are limited to 63 bytes, so derived from a digest). */
  notifyChannel: string;
  /** `BEGIN` plus the schema's transaction-scoped advisory lock, which serializes appends. */
  beginLocked: string;
}

export function postgresTables(schema: string): PostgresTables {
  const quotedSchema = `"${schema.replace(/"/g, '""')}"`;
  const schemaDigest = sha256Hex(schema);
  const schemaLockKey = Number.parseInt(schemaDigest.slice(0, 8), 16) | 0;
  return {
    schema,
    events: `${quotedSchema}.events`,
    streams: `${quotedSchema}.streams`,
    notifyChannel: `concord_events_${schemaDigest.slice(0, 16)}`,
    beginLocked: `BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, ${schemaLockKey})`,
  };
}

/**
 * Creates the schema and both tables when missing, under the append lock so that two nodes
 * starting together do not race on CREATE.
 */
export async function createSchema(client: PoolClient, tables: PostgresTables): Promise<void> {
  await client.query(tables.beginLocked);
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS "${tables.schema.replace(/"/g, '""')}";
    CREATE TABLE IF NOT EXISTS ${tables.events} (
      position BIGSERIAL PRIMARY KEY,
      stream TEXT NOT NULL,
      revision INTEGER NOT NULL,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      is_binary BOOLEAN NOT NULL,
      data BYTEA NOT NULL,
      metadata TEXT NOT NULL,
      UNIQUE (stream, revision)
    );
    CREATE TABLE IF NOT EXISTS ${tables.streams} (
      stream TEXT PRIMARY KEY,
      last_revision INTEGER NOT NULL,
      last_hash TEXT NOT NULL,
      last_position BIGINT NOT NULL
    );
    COMMIT;`);
}

/** A stored payload as the bytea parameter of a query. */
export function payloadBytes(content: Uint8Array | string): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content) : content;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: Number(row.position),
    type: row.type,
    data: fromStoredPayload(row.is_binary, row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
