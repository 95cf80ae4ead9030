import { Client } from 'pg';
import { computeEventHash } from '@concord/integrity';
import type { EventMetadata, RecordedEvent } from '../lib/event-store.port';
import { fromStoredPayload, toStoredPayload } from '../lib/stored-payload';
import type { HistoryTamperer } from './history-tamperer';
import { rewriteStreamConsistently } from './rechain';

interface RawRow {
  position: string;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: boolean;
  data: Buffer;
  metadata: string;
}

function decode(row: RawRow): RecordedEvent {
  return {
    position: Number(row.position),
    stream: row.stream,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: fromStoredPayload(row.is_binary, row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}

const asBytes = (content: Buffer | string) => (typeof content === 'string' ? Buffer.from(content) : content);

/** Edits the event tables of one schema with raw SQL, bypassing the store. */
export function createPostgresTamperer(connectionString: string, schema: string): HistoryTamperer {
  const events = `"${schema}".events`;
  const streams = `"${schema}".streams`;
  const withClient = async (edit: (client: Client) => Promise<void>): Promise<void> => {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      await client.query('BEGIN');
      await edit(client);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };
  const rowOf = async (client: Client, stream: string, revision: number) => {
    const { rows } = await client.query<{ position: string; data: Buffer; metadata: string }>(
      `SELECT position, data, metadata FROM ${events} WHERE stream = $1 AND revision = $2`,
      [stream, revision],
    );
    if (!rows[0]) throw new Error(`No event ${stream}@${revision} to tamper with`);
    return rows[0];
  };

  return {
    flipDataByte: (stream, revision) =>
      withClient(async (client) => {
        // set_byte/get_byte: the edit happens entirely in SQL, as a DBA with psql would do it.
        await client.query(
          `UPDATE ${events} SET data = set_byte(data, length(data) / 2, get_byte(data, length(data) / 2) # 1)
           WHERE stream = $1 AND revision = $2`,
          [stream, revision],
        );
      }),
    setMetadataField: (stream, revision, field, value) =>
      withClient(async (client) => {
        const row = await rowOf(client, stream, revision);
        const metadata = { ...JSON.parse(row.metadata), [field]: value };
        await client.query(`UPDATE ${events} SET metadata = $1 WHERE position = $2`, [
          JSON.stringify(metadata),
          row.position,
        ]);
      }),
    swapPayloads: (stream, revisionA, revisionB) =>
      withClient(async (client) => {
        await client.query(
          `UPDATE ${events} AS target SET data = source.data
           FROM ${events} AS source
           WHERE target.stream = $1 AND source.stream = $1
             AND ((target.revision = $2 AND source.revision = $3) OR (target.revision = $3 AND source.revision = $2))`,
          [stream, revisionA, revisionB],
        );
      }),
    swapOrder: (stream, revisionA, revisionB) =>
      withClient(async (client) => {
        const move = `UPDATE ${events} SET revision = $2 WHERE stream = $1 AND revision = $3`;
        await client.query(move, [stream, -1, revisionA]);
        await client.query(move, [stream, revisionA, revisionB]);
        await client.query(move, [stream, revisionB, -1]);
      }),
    deleteEvent: (stream, revision) =>
      withClient(async (client) => {
        await client.query(`DELETE FROM ${events} WHERE stream = $1 AND revision = $2`, [stream, revision]);
      }),
    insertForgedEvent: (stream, revision, forged) =>
      withClient(async (client) => {
        const { rows } = await client.query<RawRow>(`SELECT * FROM ${events} WHERE stream = $1 AND revision = $2`, [stream, revision - 1]);
        const previous = decode(rows[0]);
        await client.query(`UPDATE ${events} SET revision = -revision - 2 WHERE stream = $1 AND revision >= $2`, [stream, revision]);
        await client.query(`UPDATE ${events} SET revision = -revision - 1 WHERE stream = $1 AND revision < 0`, [stream]);
        const metadata = { userId: forged.userId, at: forged.at, eventId: forged.id, prevHash: previous.metadata.hash };
        const hash = computeEventHash({ prevHash: previous.metadata.hash, stream, revision, type: forged.type, data: forged.data, metadata });
        const payload = toStoredPayload(forged.data);
        await client.query(
          `INSERT INTO ${events} (position, stream, revision, id, type, is_binary, data, metadata)
           VALUES ((SELECT MAX(position) + 1 FROM ${events}), $1, $2, $3, $4, $5, $6, $7)`,
          [stream, revision, forged.id, forged.type, payload.isBinary, asBytes(payload.content), JSON.stringify({ ...metadata, hash })],
        );
      }),
    truncateTail: (count) =>
      withClient(async (client) => {
        await client.query(
          `DELETE FROM ${events} WHERE position IN (SELECT position FROM ${events} ORDER BY position DESC LIMIT $1)`,
          [count],
        );
      }),
    rewriteStreamConsistently: (stream, revision, newData) =>
      withClient(async (client) => {
        const { rows } = await client.query<RawRow>(`SELECT * FROM ${events} WHERE stream = $1 ORDER BY revision`, [stream]);
        const rewritten = rewriteStreamConsistently(rows.map(decode), revision, newData);
        for (const event of rewritten.slice(revision)) {
          const payload = toStoredPayload(event.data);
          await client.query(`UPDATE ${events} SET is_binary = $1, data = $2, metadata = $3 WHERE position = $4`, [
            payload.isBinary,
            asBytes(payload.content),
            JSON.stringify(event.metadata),
            event.position,
          ]);
        }
        await client.query(`UPDATE ${streams} SET last_hash = $1 WHERE stream = $2`, [
          rewritten[rewritten.length - 1].metadata.hash,
          stream,
        ]);
      }),
  };
}
