/**
 * The silence procedure (issue 14 §3) against the real server: a chair circulates the current
 * revision until a deadline; delegates may break silence before it; at the deadline with no
 * objection the text is adopted — by the silence deadline service of a node, from the log, exactly
 * once. While a silence runs the text is frozen (a stock y-websocket client's edit is refused with
 * the reason). SILENCE_MIN_LEAD_MS=1000 lets the tests use deadlines a few seconds ahead.
 *
 * The two-node part (kill -9 of a node before the deadline, restarted after it) runs only when
 * DATABASE_URL is set.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { connectClient, prependParagraph, refusalsOf } from './support/collab-client';
import { DATABASE_URL, FreshPostgres, freshPostgres } from './support/postgres';

const SILENCE_ENV = { SILENCE_MIN_LEAD_MS: '1000', SILENCE_CHECK_MS: '250' };
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

if (!DATABASE_URL) process.stdout.write('[api-e2e] SKIP silence on two nodes: DATABASE_URL is not set (two nodes need a shared PostgreSQL log)\n');

describe('silence procedure (sqlite, demo)', () => {
  let server: ApiProcess;
  let log: Database.Database;
  const rest: Record<string, ApiClient> = {};
  const tokens: Record<string, string> = {};
  let submissionId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'silence', env: SILENCE_ENV });
    for (const who of ['drafter1', 'chair', 'delegate1', 'delegate2', 'auditor']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
    }
    submissionId = ok(await rest['drafter1'].get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    log = new Database(join(server.dataDir, 'concord.sqlite'));
    log.pragma('busy_timeout = 5000');
  });

  afterAll(() => log?.close());

  const eventsOf = (proposalId: string, type: string) =>
    (log.prepare('SELECT data FROM events WHERE stream = ? AND type = ? ORDER BY revision').all(`proposal-${proposalId}`, type) as Array<{ data: Buffer | string }>).map(
      (row) => JSON.parse(row.data.toString()) as Record<string, unknown>,
    );
  const detail = async (proposalId: string) => ok(await rest['chair'].get(`/api/proposals/${proposalId}`));

  async function newProposal(title: string): Promise<{ id: string; revision: number }> {
    const { id } = ok(await rest['drafter1'].post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [5] }));
    const writer = connectClient(server.collabUrl, id, tokens['drafter1']);
    await writer.synced;
    prependParagraph(writer, `The text of ${title}.`);
    const revision = await eventually(async () => ((await detail(id)).currentRevision > 0 ? (await detail(id)).currentRevision : null), { what: 'the text recorded' });
    writer.close();
    return { id, revision };
  }

  it('lets only a chair start one, on the current revision, with a deadline in range', async () => {
    const { id, revision } = await newProposal('Silence refusals');
    const start = (who: string, body: unknown) => rest[who].post(`/api/proposals/${id}/silence`, body);
    for (const who of ['drafter1', 'delegate1', 'auditor']) {
      const refused = await start(who, { revision, deadline: ahead(60_000) });
      expect({ who, status: refused.status }).toEqual({ who, status: 403 });
      expect(refused.body.message).toMatch(/chair/);
    }
    expect((await start('chair', { revision, deadline: 'next week' })).status).toBe(400);
    expect((await start('chair', { revision, deadline: ahead(-5_000) })).body.message).toMatch(/at least/);
    expect((await start('chair', { revision, deadline: ahead(91 * 24 * 3600 * 1000) })).body.message).toMatch(/90 days/);
    expect((await start('chair', { revision: revision + 5, deadline: ahead(60_000) })).status).toBe(400);
    expect((await start('chair', { revision: revision - 1, deadline: ahead(60_000) })).status).toBe(409);
    expect((await start('chair', { deadline: ahead(60_000) })).status).toBe(400);
    expect((await rest['chair'].post('/api/proposals/00000000-0000-4000-8000-000000000000/silence', { revision: 1, deadline: ahead(60_000) })).status).toBe(404);

    const started = ok(await start('chair', { revision, deadline: ahead(60_000) }));
    expect(started.silence).toMatchObject({ status: 'running', revision, objections: [] });
    expect((await start('chair', { revision, deadline: ahead(60_000) })).status).toBe(409);
    expect((await rest['delegate1'].post(`/api/proposals/${id}/silence/void`, {})).status).toBe(403);
    expect((await rest['chair'].post(`/api/proposals/${id}/silence/objections`, { reason: 'No.' })).status).toBe(403);
    expect((await rest['delegate1'].post(`/api/proposals/${id}/silence/objections`, { reason: '' })).status).toBe(400);
    expect((await rest['delegate1'].post(`/api/proposals/${id}/silence/objections`, { reason: 'x'.repeat(2001) })).status).toBe(400);

    const voided = ok(await rest['chair'].post(`/api/proposals/${id}/silence/void`, { reason: 'Circulated too early.' }));
    expect(voided.silence).toMatchObject({ status: 'void', voidReason: 'Circulated too early.' });
    expect((await rest['delegate1'].post(`/api/proposals/${id}/silence/objections`, { reason: 'Too late.' })).status).toBe(409);
    expect((await rest['chair'].post(`/api/proposals/${id}/silence/void`, {})).status).toBe(409);
  });

  it('is broken by a delegate objection before the deadline, and then never adopted', async () => {
    const { id, revision } = await newProposal('Silence broken');
    ok(await rest['chair'].post(`/api/proposals/${id}/silence`, { revision, deadline: ahead(4_000) }));
    const broken = ok(await rest['delegate1'].post(`/api/proposals/${id}/silence/objections`, { reason: 'Paragraph 1 needs a reference to ILO C189.' }));
    expect(broken.silence).toMatchObject({
      status: 'broken',
      revision,
      objections: [{ memberState: expect.any(String), reason: 'Paragraph 1 needs a reference to ILO C189.' }],
    });
    expect((await rest['delegate2'].post(`/api/proposals/${id}/silence/objections`, { reason: 'Me too.' })).status).toBe(409);
    await sleep(5_500);
    expect((await detail(id)).silence.status).toBe('broken');
    expect(eventsOf(id, 'SilenceAdopted')).toHaveLength(0);
    expect(eventsOf(id, 'SilenceBroken')).toHaveLength(1);
  });

  it('freezes the text while it runs, adopts it at the deadline exactly once, and counts it as approved', async () => {
    const { id, revision } = await newProposal('Silence adopted');
    const writer = connectClient(server.collabUrl, id, tokens['drafter1']);
    const heard = refusalsOf(writer);
    await writer.synced;
    const deadline = ahead(5_000);
    const started = ok(await rest['chair'].post(`/api/proposals/${id}/silence`, { revision, deadline }));
    expect(started.silence).toMatchObject({ status: 'running', revision, deadline: new Date(deadline).toISOString() });

    // A keystroke now is refused, with the reason, and nothing is recorded.
    prependParagraph(writer, 'Typed during the silence.');
    await eventually(() => heard.some((reason) => reason.includes('silence procedure runs')), { timeoutMs: 10_000, what: 'the writer is told the text is frozen' });
    expect(heard.find((reason) => reason.includes('silence procedure'))).toMatch(
      new RegExp(`^read-only: A silence procedure runs on revision ${revision} until .+; the text is frozen\\.$`),
    );
    expect((await detail(id)).currentRevision).toBe(revision);
    // Objections after the deadline are refused even if the adoption were not recorded yet.
    await sleep(Math.max(0, Date.parse(deadline) - Date.now()));
    const late = await rest['delegate1'].post(`/api/proposals/${id}/silence/objections`, { reason: 'Too late.' });
    expect(late.status).toBe(409);

    const adopted = await eventually(async () => ((await detail(id)).silence.status === 'adopted' ? detail(id) : null), { timeoutMs: 15_000, what: 'adopted' });
    expect(adopted).toMatchObject({ status: 'approved', approvedRevision: revision, approvalStale: false, approval: { revision } });
    await sleep(1_500); // several more checks by the deadline service
    const events = eventsOf(id, 'SilenceAdopted');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ revision, contentHash: (await detail(id)).approval.contentHash });
    writer.close();

    // The freeze is lifted: a drafter writes again (the adopted approval becomes stale as for an approval).
    const again = connectClient(server.collabUrl, id, tokens['drafter1']);
    await again.synced;
    prependParagraph(again, 'After adoption.');
    await eventually(async () => (await detail(id)).currentRevision > revision, { what: 'an edit after adoption is recorded' });
    await eventually(async () => (await detail(id)).approvalStale === true, { what: 'the adopted approval goes stale' });
    again.close();
  });

  it('unfreezes a voided silence for writers', async () => {
    const { id, revision } = await newProposal('Silence voided');
    ok(await rest['chair'].post(`/api/proposals/${id}/silence`, { revision, deadline: ahead(60_000) }));
    ok(await rest['chair'].post(`/api/proposals/${id}/silence/void`, {}));
    const writer = connectClient(server.collabUrl, id, tokens['drafter1']);
    await writer.synced;
    prependParagraph(writer, 'After the withdrawal.');
    await eventually(async () => (await detail(id)).currentRevision > revision, { what: 'an edit after withdrawal is recorded' });
    writer.close();
  });
});

(DATABASE_URL ? describe : describe.skip)('silence deadline on two API nodes on PostgreSQL, kill -9 before the deadline', () => {
  let pg: FreshPostgres;
  let nodeA: ApiProcess;
  let nodeB: ApiProcess;

  beforeAll(async () => {
    pg = await freshPostgres();
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, ...SILENCE_ENV };
    nodeA = await startApi({ name: 'silence-a', env: { ...env, DATABASE_SCHEMA: `${pg.schema}_a`, DEMO: '1', NODE_ID: 'node-a' } });
    nodeB = await startApi({ name: 'silence-b', env: { ...env, DATABASE_SCHEMA: `${pg.schema}_b`, DEMO: '0', NODE_ID: 'node-b' } });
  }, 120_000);

  const adoptedIn = async (proposalId: string) =>
    Number(
      (await pg.query<{ count: string }>(`SELECT count(*) AS count FROM public.events WHERE stream = $1 AND type = 'SilenceAdopted'`, [`proposal-${proposalId}`]))[0]
        .count,
    );

  it.each([['the node that started it'], ['the other node']] as const)('adopts exactly once when %s is killed and restarted after the deadline', async (which) => {
    const chairA = nodeA.api(await nodeA.login('chair'));
    const proposals = ok(await chairA.get<Array<{ id: string; currentRevision: number }>>('/api/proposals'));
    const target = which === 'the node that started it' ? proposals[0] : proposals[1];
    const deadline = ahead(3_000);
    ok(await chairA.post(`/api/proposals/${target.id}/silence`, { revision: target.currentRevision, deadline }));
    const victim = which === 'the node that started it' ? nodeA : nodeB;
    const survivor = victim === nodeA ? nodeB : nodeA;
    await victim.kill();
    // Both would have fired; only the survivor runs past the deadline.
    await sleep(Math.max(0, Date.parse(deadline) - Date.now()) + 1_500);
    await victim.start();
    const chairS = survivor.api(await survivor.login('chair'));
    const chairV = victim.api(await victim.login('chair'));
    for (const node of [chairS, chairV]) {
      await eventually(async () => ((await node.get(`/api/proposals/${target.id}`)).body.silence?.status === 'adopted' ? true : null), {
        timeoutMs: 20_000,
        what: 'both nodes show the adoption',
      });
    }
    await sleep(2_000); // both nodes check again several times
    expect(await adoptedIn(target.id)).toBe(1);
  });

  it('adopts exactly once when both nodes are down at the deadline and restart together', async () => {
    const chairA = nodeA.api(await nodeA.login('chair'));
    const target = ok(await chairA.get<Array<{ id: string; currentRevision: number }>>('/api/proposals'))[2];
    const deadline = ahead(3_000);
    ok(await chairA.post(`/api/proposals/${target.id}/silence`, { revision: target.currentRevision, deadline }));
    await Promise.all([nodeA.kill(), nodeB.kill()]);
    await sleep(Math.max(0, Date.parse(deadline) - Date.now()) + 500);
    await Promise.all([nodeA.start(), nodeB.start()]);
    const chair = nodeB.api(await nodeB.login('chair'));
    await eventually(async () => ((await chair.get(`/api/proposals/${target.id}`)).body.silence?.status === 'adopted' ? true : null), {
      timeoutMs: 20_000,
      what: 'the adoption after both restarted',
    });
    await sleep(2_000);
    expect(await adoptedIn(target.id)).toBe(1);
  });
});
