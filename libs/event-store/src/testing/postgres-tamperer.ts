import { Client } from 'pg';
import type { EventStoreTamperer } from './event-store.contract';

/** Edits the event tables of one schema with raw SQL, bypassing the store. */
export function createPostgresTamperer(connectionString: string, schema: string): EventStoreTamperer {
  const events = `"${schema}".events`;
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
  };
}
