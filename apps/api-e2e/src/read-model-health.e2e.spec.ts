/**
 * A projection that cannot apply an event never freezes the read models silently: with a read-model
 * table dropped under the running server, the projection owning it retries (logged), the others go
 * on (here the audit index is dropped; drafting and identity stay current), /api/health answers 503 naming it once the lag passes PROJECTION_MAX_LAG_MS, and REST
 * requests are refused (503) instead of being authorized from stale read models. Recreating the
 * table lets the retry succeed: health is 200 again and the event is applied exactly once.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiProcess, eventually, ok, startApi } from './support/api-process';

const MAX_LAG_MS = 1_500;

describe('read models that fall behind', () => {
  let server: ApiProcess;
  let db: Database.Database;

  beforeAll(async () => {
    server = await startApi({ env: { PROJECTION_MAX_LAG_MS: String(MAX_LAG_MS) } });
    db = new Database(join(server.dataDir, 'concord.sqlite'));
    db.pragma('busy_timeout = 5000');
  });

  afterAll(() => db?.close());

  it('reports 503 with the failing projection, refuses REST requests, and recovers when the table is back', async () => {
    const token = await server.login('drafter1');
    const drafter = server.api(token);
    const [proposal] = ok(await drafter.get<Array<{ id: string; currentRevision: number }>>('/api/proposals'), 'list proposals');
    const healthy = ok(await server.api().get('/api/health'), 'health before');
    expect(healthy).toMatchObject({ status: 'ok', readModels: { fresh: true, maxLagMs: MAX_LAG_MS } });
    expect(healthy.readModels.projections.map((projection: { name: string }) => projection.name).sort()).toEqual(['account', 'amendments', 'audit', 'co-sponsors', 'drafting', 'identity', 'notifications', 'sessions', 'threads', 'webhooks']);

    const ddl = db.prepare(`SELECT sql FROM sqlite_master WHERE tbl_name = 'rm_event_index' AND sql IS NOT NULL`).all() as Array<{ sql: string }>;
    expect(ddl.length).toBeGreaterThan(0);
    db.exec('DROP TABLE rm_event_index');

    // The command is recorded; the client is told the read models cannot show it yet.
    const named = await drafter.post(`/api/proposals/${proposal.id}/versions`, { revision: proposal.currentRevision, label: 'Before the outage' });
    expect(named.status).toBe(503);
    expect(named.body.message).toContain('Recorded in the log');
    expect(named.body.message).toContain('read model audit cannot apply event VersionNamed');

    const stale = await eventually(
      async () => {
        const response = await server.api().get('/api/health');
        return response.status === 503 ? response.body : undefined;
      },
      { timeoutMs: 15_000, what: 'health 503' },
    );
    expect(stale.status).toBe('stale');
    const byName = Object.fromEntries(stale.readModels.projections.map((projection: { name: string }) => [projection.name, projection]));
    expect(byName['audit']).toMatchObject({
      failing: { type: 'VersionNamed', stream: `proposal-${proposal.id}` },
    });
    expect(byName['audit'].lagEvents).toBeGreaterThan(0);
    expect(byName['audit'].lagMs).toBeGreaterThan(MAX_LAG_MS);
    // The other projections are independent and current: the version is already listed.
    expect(byName['drafting']).toMatchObject({ lagEvents: 0, failing: null });
    expect(byName['identity']).toMatchObject({ lagEvents: 0, failing: null });
    expect(stale.readModels.reason).toMatch(/audit is failing at position \d+ \(VersionNamed of proposal-/);

    // Authorization fails closed while the read models are stale.
    const refused = await drafter.get('/api/proposals');
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/read models trail the event log .* Access decisions are refused until they catch up/);

    // The log says what fails, where, and with which error — one line per attempt, with backoff.
    const failures = server.log().filter((line) => line.includes('a projection failed to apply an event'));
    expect(failures.length).toBeGreaterThan(1);
    expect(failures.length).toBeLessThan(30);
    const first = JSON.parse(failures[0]);
    expect(first).toMatchObject({ projection: 'audit', type: 'VersionNamed', stream: `proposal-${proposal.id}`, attempt: 1 });
    expect(first.err.message).toMatch(/no such table: rm_event_index/);

    for (const { sql } of ddl) db.exec(sql);
    await eventually(async () => (await server.api().get('/api/health')).status === 200, { timeoutMs: 40_000, what: 'health 200 again' });
    // The server's log reaches us through a pipe, possibly after the health answer that followed it.
    await eventually(() => server.log().some((line) => line.includes('projection recovered')), { timeoutMs: 10_000, what: "the log line 'projection recovered'" });
    const versions = db.prepare('SELECT label FROM rm_proposal_versions WHERE proposal_id = ?').all(proposal.id) as Array<{ label: string }>;
    expect(versions.filter((row) => row.label === 'Before the outage')).toHaveLength(1);
    const indexed = db.prepare(`SELECT COUNT(*) AS n FROM rm_event_index WHERE type = 'VersionNamed'`).get() as { n: number };
    expect(indexed.n).toBe(1);
    expect((await drafter.get('/api/proposals')).status).toBe(200);
  }, 120_000);
});
