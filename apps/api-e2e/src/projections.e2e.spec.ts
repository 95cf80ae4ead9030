/**
 * Read models are a pure function of the log: after real activity (REST lifecycle actions, edits
 * through y-websocket, a REST restore) the `rm_*` tables the live server built equal, row for row,
 * what `rebuild-projections` (dist/apps/api/rebuild-projections.js) builds from the log alone.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import {
  ApiProcess,
  eventually,
  gracefulStop,
  ok,
  REBUILD_PROJECTIONS_MAIN,
  runCommand,
  runNode,
  sleep,
  startApi,
  tempDir,
} from './support/api-process';
import { connectClient } from './support/collab-client';
import { DATABASE_URL, FreshPostgres, freshPostgres } from './support/postgres';

type Snapshot = Record<string, Array<Record<string, unknown>>>;

/**
 * Columns the live server fills lazily (debounced, off the event path): the content hash of the
 * current text and the revision it was computed at. The live server may lag; the rebuild computes
 * them at once. They are compared separately, after letting the live server settle.
 */
const LAZY_COLUMNS: Record<string, string[]> = { rm_proposals: ['current_hash', 'current_hash_revision'] };

function withoutLazyColumns(snapshot: Snapshot): Snapshot {
  return Object.fromEntries(
    Object.entries(snapshot).map(([table, rows]) => [
      table,
      rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !(LAZY_COLUMNS[table] ?? []).includes(column)))),
    ]),
  );
}

function lazyColumnsOnly(snapshot: Snapshot): Snapshot {
  return Object.fromEntries(
    Object.entries(LAZY_COLUMNS).map(([table, columns]) => [
      table,
      (snapshot[table] ?? []).map((row) => Object.fromEntries([['id', row['id']], ...columns.map((column) => [column, row[column]])])),
    ]),
  );
}

function snapshotSqlite(dataDir: string): Snapshot {
  const db = new Database(join(dataDir, 'concord.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{
      name: string;
    }>).map((row) => row.name);
    const snapshot: Snapshot = {};
    for (const table of tables) {
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>;
      const orderBy = columns.map((_c, index) => index + 1).join(', ');
      snapshot[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${orderBy}`).all() as Array<Record<string, unknown>>;
    }
    return snapshot;
  } finally {
    db.close();
  }
}

async function snapshotPostgres(pg: FreshPostgres): Promise<Snapshot> {
  const tables = (
    await pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'rm\\_%' ORDER BY table_name`,
      [pg.schema],
    )
  ).map((row) => row.table_name);
  const snapshot: Snapshot = {};
  for (const table of tables) {
    const columns = await pg.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [pg.schema, table],
    );
    const orderBy = columns.map((_c, index) => index + 1).join(', ');
    snapshot[table] = await pg.query(`SELECT * FROM "${pg.schema}"."${table}" ORDER BY ${orderBy}`);
  }
  return snapshot;
}

/** REST lifecycle actions, edits through the stock provider, a restore, a user and a member. */
async function generateActivity(server: ApiProcess): Promise<void> {
  const [drafter, chair, admin] = await Promise.all(['drafter1', 'chair', 'admin'].map((who) => server.login(who)));
  const asDrafter = server.api(drafter);
  const asChair = server.api(chair);
  const asAdmin = server.api(admin);
  const proposals = ok(await asChair.get<Array<{ id: string; submissionId: string; currentRevision: number }>>('/api/proposals'));
  const [p1, p2, p3] = proposals;

  ok(await asDrafter.post(`/api/proposals/${p1.id}/review`, { revision: p1.currentRevision }));
  ok(await asChair.post(`/api/proposals/${p1.id}/approvals`, { revision: p1.currentRevision, comment: 'Fine' }));
  ok(await asDrafter.post(`/api/proposals/${p2.id}/review`, { revision: p2.currentRevision }));
  ok(await asChair.post(`/api/proposals/${p2.id}/changes-requested`, { revision: p2.currentRevision, comment: 'More data' }));
  ok(await asDrafter.post(`/api/proposals/${p2.id}/versions`, { revision: 1, label: 'First draft' }));
  ok(await asChair.post(`/api/proposals/${p2.id}/versions`, { revision: 1, label: 'Seen by the chair' }));
  ok(await asDrafter.patch(`/api/proposals/${p3.id}`, { title: 'Renamed proposal', gcmObjectives: [2, 7] }));
  const created = ok(
    await asDrafter.post('/api/proposals', { submissionId: p1.submissionId, title: 'A new one', kind: 'policy', gcmObjectives: [1, 23] }),
  );
  const { userId } = ok(await asAdmin.post('/api/users', { email: 'rebuild@example.org', name: 'Re Build', password: 'a-long-password-3' }));
  const added = await asAdmin.post('/api/workspaces/abu-dhabi-dialogue/members', { userId, role: 'drafter' });
  expect(added.status).toBe(204);

  // Edits through the stock provider on an approved proposal (approval goes stale) and on a new one.
  const onP1 = connectClient(server.collabUrl, p1.id, drafter);
  const onNew = connectClient(server.collabUrl, created.id, drafter);
  await Promise.all([onP1.synced, onNew.synced]);
  const firstText = onP1.content
    .toArray()
    .flatMap((node) => (node instanceof Y.XmlElement ? node.toArray() : []))
    .find((node): node is Y.XmlText => node instanceof Y.XmlText) as Y.XmlText;
  for (const word of ['Edited ', 'live ', 'by ', 'drafter1. ']) firstText.insert(0, word);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  onNew.doc.transact(() => {
    paragraph.insert(0, [text]);
    onNew.content.insert(0, [paragraph]);
  });
  text.insert(0, 'Brand new text.');
  text.insert(0, 'Really ');
  const after = async (id: string, revision: number) =>
    eventually(async () => ok(await asChair.get(`/api/proposals/${id}`)).currentRevision >= revision, { what: `${id} at ${revision}` });
  await after(p1.id, p1.currentRevision + 4);
  await after(created.id, 3);
  onP1.close();
  onNew.close();

  // A restore through REST, and a version named on it.
  const restored = await asDrafter.post(`/api/proposals/${p1.id}/restore`, { revision: p1.currentRevision });
  expect(restored.status).toBe(200);
  const current = ok(await asChair.get(`/api/proposals/${p1.id}`)).currentRevision;
  ok(await asDrafter.post(`/api/proposals/${p1.id}/versions`, { revision: current, label: 'Restored' }));

  // Let the live server finish its debounced work (content hashes), then check it caught up.
  await sleep(1_500);
  const health = await server.health();
  expect(health.readModelPosition).toBe(health.headPosition);
}

if (!DATABASE_URL) process.stdout.write('[api-e2e] SKIP projections on PostgreSQL: DATABASE_URL is not set\n');

describe('read models are rebuildable from the log', () => {
  describe('on SQLite', () => {
    let server: ApiProcess;
    let live: Snapshot;
    let rebuilt: Snapshot;
    let rebuildOutput: string;
    let rebuildExit: number | null;

    beforeAll(async () => {
      server = await startApi({ name: 'projections-sqlite' });
      await generateActivity(server);
      expect(gracefulStop(await server.stop())).toBe(true);
      live = snapshotSqlite(server.dataDir);
      // Damage the read models: only a real replay of the log can bring these rows back.
      const db = new Database(join(server.dataDir, 'concord.sqlite'));
      db.exec(`DELETE FROM rm_proposal_versions; UPDATE rm_proposals SET title = 'damaged', current_hash = NULL; DELETE FROM rm_members`);
      db.close();
      const started = Date.now();
      const result = runNode([REBUILD_PROJECTIONS_MAIN], server.processEnv());
      rebuildOutput = `${result.output}\n(rebuild took ${Date.now() - started} ms)`;
      rebuildExit = result.exitCode;
      rebuilt = snapshotSqlite(server.dataDir);
    });

    it('rebuild-projections exits 0 after replaying the log', () => {
      expect({ exit: rebuildExit, output: rebuildExit === 0 ? '' : rebuildOutput }).toEqual({ exit: 0, output: '' });
      expect(rebuildOutput).toContain('read models rebuilt from the log');
    });

    it('produces the same rows in every rm_* table (lazy hash columns aside)', () => {
      expect(Object.keys(live).sort()).toEqual(
        expect.arrayContaining(['rm_event_index', 'rm_members', 'rm_proposals', 'rm_proposal_versions', 'rm_users']),
      );
      expect(live['rm_proposals'].length).toBe(4);
      expect(Object.keys(rebuilt).sort()).toEqual(Object.keys(live).sort());
      for (const table of Object.keys(live)) {
        expect({ table, rows: withoutLazyColumns(rebuilt)[table] }).toEqual({ table, rows: withoutLazyColumns(live)[table] });
      }
    });

    it('agrees on the lazily computed content-hash columns once the live server has settled', () => {
      expect(lazyColumnsOnly(rebuilt)).toEqual(lazyColumnsOnly(live));
    });

    it('serves the same API answers from the rebuilt read models', async () => {
      await server.start();
      const chair = server.api(await server.login('chair'));
      const list = ok(await chair.get('/api/proposals'));
      expect(list).toHaveLength(4);
      const stale = list.filter((p: { approvalStale: boolean }) => p.approvalStale);
      expect(stale).toEqual([]);
      await server.stop();
    });
  });

  (DATABASE_URL ? describe : describe.skip)('on PostgreSQL (DATABASE_URL)', () => {
    let server: ApiProcess;
    let pg: FreshPostgres;
    let live: Snapshot;
    let rebuilt: Snapshot;
    let rebuildExit: number | null;
    let rebuildOutput: string;

    beforeAll(async () => {
      pg = await freshPostgres();
      server = await startApi({
        name: 'projections-postgres',
        env: { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema },
      });
      await generateActivity(server);
      expect(gracefulStop(await server.stop())).toBe(true);
      live = await snapshotPostgres(pg);
      await pg.query(`DELETE FROM "${pg.schema}".rm_proposal_versions`);
      await pg.query(`UPDATE "${pg.schema}".rm_proposals SET title = 'damaged', current_hash = NULL`);
      const result = runNode([REBUILD_PROJECTIONS_MAIN], server.processEnv());
      rebuildExit = result.exitCode;
      rebuildOutput = result.output;
      rebuilt = await snapshotPostgres(pg);
    });

    it('rebuild-projections exits 0 after replaying the log', () => {
      expect({ exit: rebuildExit, output: rebuildExit === 0 ? '' : rebuildOutput }).toEqual({ exit: 0, output: '' });
      expect(rebuildOutput).toContain('read models rebuilt from the log');
    });

    it('keeps the read models in DATABASE_SCHEMA and produces the same rows (lazy hash columns aside)', async () => {
      expect(live['rm_proposals']?.length).toBe(4);
      // The log itself is in `public` (the event store ignores DATABASE_SCHEMA), the read models are not.
      const [{ count }] = await pg.query<{ count: string }>('SELECT count(*) AS count FROM public.events');
      expect(Number(count)).toBeGreaterThan(20);
      const rmInPublic = await pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'rm\\_%'`);
      expect(rmInPublic).toEqual([]);
      expect(Object.keys(rebuilt).sort()).toEqual(Object.keys(live).sort());
      for (const table of Object.keys(live)) {
        expect({ table, rows: withoutLazyColumns(rebuilt)[table] }).toEqual({ table, rows: withoutLazyColumns(live)[table] });
      }
    });

    it('agrees on the lazily computed content-hash columns once the live server has settled', () => {
      expect(lazyColumnsOnly(rebuilt)).toEqual(lazyColumnsOnly(live));
    });
  });

  /**
   * Moving the log between stores (issue: trust and operations): `npm run export` from the SQLite
   * store the server wrote, `npm run import` into a fresh SQLite DATA_DIR and into a fresh
   * PostgreSQL database, `npm run verify` there, and read models rebuilt there equal the original's.
   */
  describe('after export and import into another store', () => {
    let source: ApiProcess;
    let live: Snapshot;
    let logFile: string;
    const npmRun = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
      runCommand('npm', ['run', '--silent', script, '--', ...args], { ...process.env, ...env }, 180_000);

    beforeAll(async () => {
      source = await startApi({ name: 'transfer-source' });
      await generateActivity(source);
      expect(gracefulStop(await source.stop())).toBe(true);
      live = snapshotSqlite(source.dataDir);
      logFile = join(tempDir('concord-export-'), 'log.ndjson');
      const exported = npmRun('export', [logFile], { EVENT_STORE: 'sqlite', DATA_DIR: source.dataDir });
      expect({ exit: exported.exitCode, output: exported.exitCode === 0 ? '' : exported.output }).toEqual({ exit: 0, output: '' });
    });

    it('imports into a fresh SQLite DATA_DIR, verifies, and rebuilds the same read models', () => {
      const target = tempDir('concord-import-');
      const env = { EVENT_STORE: 'sqlite', DATA_DIR: target };
      const imported = npmRun('import', [logFile], env);
      expect({ exit: imported.exitCode, output: imported.exitCode === 0 ? '' : imported.output }).toEqual({ exit: 0, output: '' });
      const verified = npmRun('verify', [], env);
      expect(verified.exitCode).toBe(0);
      expect(verified.output).toMatch(/OK/);
      const rebuilt = runNode([REBUILD_PROJECTIONS_MAIN], { ...source.processEnv(), ...env, DEMO: '0' });
      expect(rebuilt.exitCode).toBe(0);
      expect(snapshotSqlite(target)).toEqual(live);
    });

    (DATABASE_URL ? it : it.skip)('imports into a fresh PostgreSQL database, verifies, and rebuilds the same read models', async () => {
      const pg = await freshPostgres();
      const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema };
      const imported = npmRun('import', [logFile], env);
      expect({ exit: imported.exitCode, output: imported.exitCode === 0 ? '' : imported.output }).toEqual({ exit: 0, output: '' });
      expect(npmRun('verify', [], env).exitCode).toBe(0);
      const rebuilt = runNode([REBUILD_PROJECTIONS_MAIN], { ...source.processEnv(), ...env, DEMO: '0' });
      expect(rebuilt.exitCode).toBe(0);
      const onPostgres = await snapshotPostgres(pg);
      expect(Object.keys(onPostgres).sort()).toEqual(Object.keys(live).sort());
      for (const table of Object.keys(live)) {
        expect({ table, rows: onPostgres[table] }).toEqual({ table, rows: live[table] });
      }
    });
  });
});
