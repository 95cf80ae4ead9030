/**
 * A whole submission circulated under silence (issue 14 §3, "or a whole submission") against the
 * real server: a chair circulates every proposal of a submission at its current revision until a
 * deadline; a member state's focal point may break silence before it; at the deadline with no
 * objection the submission is adopted — from the log, exactly once, even when the server is killed
 * before the deadline and restarted after it. While it runs every text is frozen (a stock
 * y-websocket client's edit is refused with the reason) and nothing that would change what was
 * circulated is accepted. SILENCE_MIN_LEAD_MS=1000 lets the tests use deadlines a few seconds ahead.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { connectClient, prependParagraph, refusalsOf } from './support/collab-client';

const SILENCE_ENV = { SILENCE_MIN_LEAD_MS: '1000', SILENCE_CHECK_MS: '250' };
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

interface Submission {
  id: string;
  status: string;
  silence: null | {
    status: string;
    deadline: string;
    texts: Array<{ proposalId: string; title: string; revision: number; contentHash: string }>;
    objections: Array<{ memberState: string; reason: string }>;
    voidReason: string | null;
  };
}

describe('silence procedure on a whole submission (sqlite, demo)', () => {
  let server: ApiProcess;
  let log: Database.Database;
  const rest: Record<string, ApiClient> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startApi({ name: 'submission-silence', env: SILENCE_ENV });
    for (const who of ['drafter1', 'chair', 'delegate1', 'delegate2', 'auditor']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
    }
    log = new Database(join(server.dataDir, 'concord.sqlite'));
    log.pragma('busy_timeout = 5000');
  });

  afterAll(() => log?.close());

  const eventsOf = (stream: string, type: string) =>
    (log.prepare('SELECT data FROM events WHERE stream = ? AND type = ? ORDER BY revision').all(stream, type) as Array<{ data: Buffer | string }>).map(
      (row) => JSON.parse(row.data.toString()) as Record<string, unknown>,
    );
  const submission = async (id: string) => ok(await rest['chair'].get<Submission>(`/api/submissions/${id}`));
  const proposal = async (id: string) => ok(await rest['chair'].get(`/api/proposals/${id}`));

  /** A new submission holding two proposals with a paragraph each. */
  async function newSubmission(title: string): Promise<{ id: string; proposals: Array<{ id: string; revision: number }> }> {
    const workspace = ok(await rest['drafter1'].get<Array<{ iscmId: string }>>('/api/proposals'))[0].iscmId;
    const { id } = ok(await rest['drafter1'].post('/api/submissions', { iscmId: workspace, consultation: 'Silence', title, dueDate: '2030-01-01' }));
    const proposals = [];
    for (const name of ['first', 'second']) {
      const created = ok(await rest['drafter1'].post('/api/proposals', { submissionId: id, title: `${title}: ${name}`, kind: 'policy', gcmObjectives: [5] }));
      const writer = connectClient(server.collabUrl, created.id, tokens['drafter1']);
      await writer.synced;
      prependParagraph(writer, `The ${name} text of ${title}.`);
      const revision = await eventually(async () => ((await proposal(created.id)).currentRevision > 0 ? (await proposal(created.id)).currentRevision : null), {
        what: 'the text recorded',
      });
      writer.close();
      proposals.push({ id: created.id, revision });
    }
    return { id, proposals };
  }

  it('lets only a chair circulate it, and refuses whatever would change what was circulated while it runs', async () => {
    const { id, proposals } = await newSubmission('Submission refusals');
    const start = (who: string, body: unknown) => rest[who].post(`/api/submissions/${id}/silence`, body);
    for (const who of ['drafter1', 'delegate1', 'auditor']) {
      const refused = await start(who, { deadline: ahead(60_000) });
      expect({ who, status: refused.status, message: refused.body.message }).toEqual({ who, status: 403, message: expect.stringMatching(/chair/) });
    }
    expect((await start('chair', { deadline: 'next week' })).status).toBe(400);
    expect((await start('chair', {})).status).toBe(400);
    expect((await start('chair', { deadline: ahead(-5_000) })).body.message).toMatch(/at least/);
    expect((await start('chair', { deadline: ahead(91 * 24 * 3600 * 1000) })).body.message).toMatch(/90 days/);
    expect((await rest['chair'].post('/api/submissions/00000000-0000-4000-8000-000000000000/silence', { deadline: ahead(60_000) })).status).toBe(404);

    // A proposal running a silence of its own must end it first.
    ok(await rest['chair'].post(`/api/proposals/${proposals[0].id}/silence`, { revision: proposals[0].revision, deadline: ahead(60_000) }));
    const blocked = await start('chair', { deadline: ahead(60_000) });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/Submission refusals: first/);
    ok(await rest['chair'].post(`/api/proposals/${proposals[0].id}/silence/void`, {}));

    const started = ok(await start('chair', { deadline: ahead(60_000) }));
    expect(started.silence).toMatchObject({
      status: 'running',
      objections: [],
      texts: proposals.map((p) => ({ proposalId: p.id, revision: p.revision, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) })),
    });
    expect((await proposal(proposals[1].id)).submissionSilence).toEqual({ deadline: started.silence.deadline, revision: proposals[1].revision });
    expect((await start('chair', { deadline: ahead(60_000) })).status).toBe(409);

    const refusedWhileRunning = [
      await rest['chair'].post(`/api/proposals/${proposals[1].id}/silence`, { revision: proposals[1].revision, deadline: ahead(60_000) }),
      await rest['drafter1'].post('/api/proposals', { submissionId: id, title: 'Late addition', kind: 'policy', gcmObjectives: [5] }),
      await rest['drafter1'].post(`/api/proposals/${proposals[1].id}/withdraw`),
      await rest['drafter1'].patch(`/api/proposals/${proposals[1].id}`, { title: 'Renamed while circulated' }),
      await rest['drafter1'].post(`/api/submissions/${id}/placements`, { proposalId: proposals[1].id, sectionId: null, index: 0 }),
      await rest['drafter1'].post(`/api/proposals/${proposals[1].id}/restore`, { revision: 0 }),
    ];
    expect(refusedWhileRunning.map((r) => r.status)).toEqual([409, 409, 409, 409, 409, 409]);
    for (const refused of refusedWhileRunning) expect(refused.body.message).toMatch(/circulated under silence|silence procedure/);

    expect((await rest['delegate1'].post(`/api/submissions/${id}/silence/void`, {})).status).toBe(403);
    expect((await rest['chair'].post(`/api/submissions/${id}/silence/objections`, { reason: 'No.' })).status).toBe(403);
    expect((await rest['delegate1'].post(`/api/submissions/${id}/silence/objections`, { reason: '' })).status).toBe(400);

    const voided = ok(await rest['chair'].post(`/api/submissions/${id}/silence/void`, { reason: 'Circulated too early.' }));
    expect(voided.silence).toMatchObject({ status: 'void', voidReason: 'Circulated too early.' });
    expect((await rest['delegate1'].post(`/api/submissions/${id}/silence/objections`, { reason: 'Too late.' })).status).toBe(409);
    // Withdrawn: the texts may change again.
    ok(await rest['drafter1'].patch(`/api/proposals/${proposals[1].id}`, { title: 'Renamed after the withdrawal' }));
    expect((await proposal(proposals[1].id)).submissionSilence).toBeNull();
  });

  it('freezes every text while it runs and is broken by a focal point, which unfreezes them', async () => {
    const { id, proposals } = await newSubmission('Submission broken');
    const writer = connectClient(server.collabUrl, proposals[1].id, tokens['drafter1']);
    const heard = refusalsOf(writer);
    await writer.synced;
    ok(await rest['chair'].post(`/api/submissions/${id}/silence`, { deadline: ahead(60_000) }));

    prependParagraph(writer, 'Typed during the silence.');
    await eventually(() => heard.some((reason) => reason.includes('circulated under silence')), { timeoutMs: 10_000, what: 'the writer is told the text is frozen' });
    expect(heard.find((reason) => reason.includes('circulated under silence'))).toMatch(/^read-only: The whole submission is circulated under silence until .+; the text is frozen\.$/);
    expect((await proposal(proposals[1].id)).currentRevision).toBe(proposals[1].revision);
    writer.close();

    const broken = ok(await rest['delegate1'].post(`/api/submissions/${id}/silence/objections`, { reason: 'Section 1 needs a reference to ILO C189.' }));
    expect(broken.silence).toMatchObject({ status: 'broken', objections: [{ memberState: expect.any(String), reason: 'Section 1 needs a reference to ILO C189.' }] });
    expect((await rest['delegate2'].post(`/api/submissions/${id}/silence/objections`, { reason: 'Me too.' })).status).toBe(409);
    expect(eventsOf(`submission-${id}`, 'SubmissionSilenceBroken')).toHaveLength(1);

    const again = connectClient(server.collabUrl, proposals[1].id, tokens['drafter1']);
    await again.synced;
    prependParagraph(again, 'After silence was broken.');
    await eventually(async () => (await proposal(proposals[1].id)).currentRevision > proposals[1].revision, { what: 'an edit after the objection is recorded' });
    again.close();
    expect((await submission(id)).status).toBe('drafting');
  });

  it('adopts the submission at the deadline exactly once though the server was killed before it, with exactly the texts circulated', async () => {
    const { id, proposals } = await newSubmission('Submission adopted');
    ok(await rest['drafter1'].post(`/api/submissions/${id}/send-for-approval`));
    const deadline = ahead(4_000);
    ok(await rest['chair'].post(`/api/submissions/${id}/silence`, { deadline }));
    await server.kill();
    await sleep(Math.max(0, Date.parse(deadline) - Date.now()) + 1_000);
    await server.start();
    for (const who of Object.keys(rest)) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
    }

    const adopted = await eventually(async () => ((await submission(id)).silence?.status === 'adopted' ? submission(id) : null), { timeoutMs: 20_000, what: 'adopted' });
    expect(adopted.status).toBe('approved');
    for (const p of proposals) {
      expect(await proposal(p.id)).toMatchObject({ status: 'approved', approvedRevision: p.revision, approvalStale: false, submissionSilence: null });
    }
    await sleep(1_500); // several more checks by the deadline service
    const events = eventsOf(`submission-${id}`, 'SubmissionSilenceAdopted');
    expect(events).toHaveLength(1);
    expect(events[0]['texts']).toEqual(adopted.silence?.texts.map(({ proposalId, revision, contentHash }) => ({ proposalId, revision, contentHash })));
    expect((await rest['delegate1'].post(`/api/submissions/${id}/silence/objections`, { reason: 'Too late.' })).status).toBe(409);

    // Unfrozen: drafters write again (the adopted approval goes stale), and the chair may lock it.
    const writer = connectClient(server.collabUrl, proposals[0].id, tokens['drafter1']);
    await writer.synced;
    prependParagraph(writer, 'After adoption.');
    await eventually(async () => (await proposal(proposals[0].id)).approvalStale === true, { what: 'the adopted approval goes stale after an edit' });
    writer.close();
    expect(ok(await rest['chair'].post(`/api/submissions/${id}/lock`)).status).toBe('submitted');
  });
});
