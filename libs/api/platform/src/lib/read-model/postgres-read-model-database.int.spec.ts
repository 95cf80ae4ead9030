import { Pool } from 'pg';
import { sql } from './read-model-database';
import { PostgresReadModelDatabase } from './postgres-read-model-database';

const databaseUrl = process.env['DATABASE_URL'];

if (databaseUrl) {
  describe('PostgresReadModelDatabase', () => {
    const schema = `rm_db_spec_${process.pid}_${Date.now()}`;
    let db: PostgresReadModelDatabase;

    beforeAll(async () => {
      db = await PostgresReadModelDatabase.open(databaseUrl, schema);
      await db.execute([
        sql('CREATE TABLE rm_things (id TEXT PRIMARY KEY, label TEXT, n BIGINT NOT NULL, ratio DOUBLE PRECISION, flag INTEGER)'),
      ]);
    });
    afterAll(async () => {
      await db.close();
      const admin = new Pool({ connectionString: databaseUrl, max: 1 });
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`).finally(() => admin.end());
    });

    // Values that would break a naive literal: quotes, backslashes, placeholders, comments, unicode, signs.
    const awkward = ["it's", 'back\\slash \\n', 'what? who?', 'x -- not a comment', "'; DROP TABLE rm_things; --", 'Ελληνικά 中文 🙂', ''];

    it('writes every value exactly as a bind parameter would, in one transaction', async () => {
      await db.execute(
        awkward.map((label, i) =>
          sql('INSERT INTO rm_things (id, label, n, ratio, flag) VALUES (?, ?, ?, ?, ?)', `id-${i}`, label, -i - 1, i / 3, i % 2 === 0 ? null : 1),
        ),
      );
      await db.execute([sql('UPDATE rm_things SET n = n - ? WHERE id = ?', -10, 'id-0')]);
      const rows = await db.query<{ id: string; label: string; n: number; ratio: number; flag: number | null }>(
        'SELECT id, label, n, ratio, flag FROM rm_things ORDER BY id',
      );
      expect(rows).toEqual(
        awkward.map((label, i) => ({ id: `id-${i}`, label, n: i === 0 ? 9 : -i - 1, ratio: i / 3, flag: i % 2 === 0 ? null : 1 })),
      );
      // Compared with a TEXT column, a number stays a valid comparison (untyped, as `$1` is).
      expect(await db.query('SELECT id FROM rm_things WHERE id = ?', ['id-3'])).toEqual([{ id: 'id-3' }]);
      await db.execute([sql('UPDATE rm_things SET label = ? WHERE label = ?', 'seven', 7)]);
    });

    it('applies nothing of a transaction in which a statement fails, and stays usable', async () => {
      const before = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM rm_things');
      await expect(
        db.execute([
          sql('INSERT INTO rm_things (id, n) VALUES (?, ?)', 'fresh', 1),
          sql('INSERT INTO rm_things (id, n) VALUES (?, ?)', 'id-1', 2), // duplicate key
        ]),
      ).rejects.toThrow(/duplicate key/);
      expect(await db.query('SELECT COUNT(*)::int AS n FROM rm_things')).toEqual(before);
      await db.execute([sql('INSERT INTO rm_things (id, n) VALUES (?, ?)', 'after', 3)]);
      expect(await db.query('SELECT n FROM rm_things WHERE id = ?', ['after'])).toEqual([{ n: 3 }]);
    });

    it('commits the transactions asked for in one turn together, each whole', async () => {
      await db.execute([sql('CREATE TABLE rm_tx (who TEXT PRIMARY KEY, tx BIGINT NOT NULL)')]);
      const write = (i: number) =>
        db.execute([sql('INSERT INTO rm_tx (who, tx) VALUES (?, txid_current())', `w${i}`), sql('INSERT INTO rm_tx (who, tx) VALUES (?, txid_current())', `w${i}-second`)]);
      const firstTurn = [0, 1, 2, 3, 4].map(write);
      await new Promise((resolve) => setImmediate(resolve)); // the next turn: their commit has started
      const meanwhile = [5, 6, 7, 8, 9].map(write);
      await Promise.all([...firstTurn, ...meanwhile]);

      const rows = await db.query<{ who: string; tx: number }>('SELECT who, tx FROM rm_tx ORDER BY who');
      expect(rows).toHaveLength(20);
      const transactionOf = new Map(rows.map((row) => [row.who, row.tx]));
      expect(new Set(transactionOf.values()).size).toBe(2);
      for (let i = 0; i < 10; i++) {
        expect(transactionOf.get(`w${i}-second`)).toBe(transactionOf.get(`w${i}`));
        expect(transactionOf.get(`w${i}`)).toBe(transactionOf.get(i < 5 ? 'w0' : 'w5'));
      }
      expect(transactionOf.get('w0')).not.toBe(transactionOf.get('w5'));
    });

    it('fails only the transaction at fault when one of those committed together fails', async () => {
      await db.execute([sql('CREATE TABLE rm_group (id TEXT PRIMARY KEY)')]);
      await db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'first')]);
      const first = db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'zero')]);
      const results = await Promise.allSettled([
        first,
        db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'a'), sql('INSERT INTO rm_group (id) VALUES (?)', 'b')]),
        db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'c'), sql('INSERT INTO rm_group (id) VALUES (?)', 'first')]), // duplicate key
        db.execute([sql('INSERT INTO rm_nowhere (id) VALUES (?)', 'd')]), // no such table
        db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'e')]),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
      expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/rm_nowhere/);
      const ids = await db.query<{ id: string }>('SELECT id FROM rm_group ORDER BY id');
      expect(ids.map((row) => row.id)).toEqual(['a', 'b', 'e', 'first', 'zero']);
      // Still usable, still grouping.
      await Promise.all([db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'f')]), db.execute([sql('INSERT INTO rm_group (id) VALUES (?)', 'g')])]);
      expect(await db.query('SELECT COUNT(*)::int AS n FROM rm_group')).toEqual([{ n: 7 }]);
    });

    it('still binds values that are not plain (bytes)', async () => {
      await db.execute([sql('CREATE TABLE rm_bytes (id TEXT PRIMARY KEY, b BYTEA)'), sql('INSERT INTO rm_bytes (id, b) VALUES (?, ?)', 'one', Buffer.from([0, 1, 2, 255]))]);
      const [row] = await db.query<{ b: Buffer }>('SELECT b FROM rm_bytes');
      expect([...row.b]).toEqual([0, 1, 2, 255]);
    });
  });
} else {
  console.warn('SKIP PostgresReadModelDatabase: DATABASE_URL is not set');
  describe.skip('PostgresReadModelDatabase (SKIPPED: DATABASE_URL is not set)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
}
