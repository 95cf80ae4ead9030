/**
 * A submission is sectioned by its consultation's guiding questions (issue 13): the demo submission
 * names the third informal thematic session and its proposals stand under questions; a drafter
 * moves them with `POST /api/submissions/:id/placements`; bad input is a 400 with the reason, any
 * other role a 403, a locked submission a 409. Real server, demo data.
 */
import { ApiClient, ApiProcess, ok, startApi } from './support/api-process';

interface Section {
  id: string | null;
  number: number;
  question: string;
  proposalIds: string[];
  introductionId: string | null;
}
interface Submission {
  id: string;
  status: string;
  consultation: string;
  consultationId: string | null;
  sections: Section[];
}
interface Proposal {
  id: string;
  title: string;
  submissionId: string;
}

describe('submission sections (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter: ApiClient;
  let chair: ApiClient;
  let delegate: ApiClient;
  let submissionId: string;
  let proposals: Proposal[];

  beforeAll(async () => {
    server = await startApi({ name: 'submission-sections' });
    [drafter, chair, delegate] = await Promise.all(['drafter1', 'chair', 'delegate1'].map(async (who) => server.api(await server.login(who))));
    proposals = ok(await drafter.get<Proposal[]>('/api/proposals'));
    submissionId = proposals[0].submissionId;
  });

  const submission = async (id = submissionId) => ok(await drafter.get<Submission>(`/api/submissions/${id}`));
  const layout = (s: Submission) => Object.fromEntries(s.sections.map((section) => [section.id ?? 'other', section.proposalIds]));
  const place = (body: unknown, as = drafter, id = submissionId) => as.post<Submission & { message?: unknown }>(`/api/submissions/${id}/placements`, body);
  const byTitle = (start: string) => (proposals.find((p) => p.title.startsWith(start)) as Proposal).id;

  it('lists the consultations with the questions of the third session', async () => {
    const consultations = ok(await delegate.get<Array<{ id: string; number: number; questions: { id: string }[] }>>('/api/consultations'));
    expect(consultations.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(consultations[2]).toMatchObject({ id: 'gcm-ts3-2017', venue: 'Geneva', startDate: '2017-06-19', endDate: '2017-06-20' });
    expect(consultations[2].questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7']);
    expect((await server.api().get('/api/consultations')).status).toBe(401);
  });

  it('shows the demo submission as the seven questions and "Other contributions", the demo proposals under theirs', async () => {
    const demo = await submission();
    expect(demo.consultationId).toBe('gcm-ts3-2017');
    expect(demo.sections.map((s) => [s.id, s.number])).toEqual([
      ['q1', 1], ['q2', 2], ['q3', 3], ['q4', 4], ['q5', 5], ['q6', 6], ['q7', 7], [null, 8],
    ]);
    expect(demo.sections[7].question).toBe('Other contributions');
    expect(demo.sections[1].question).toMatch(/MiGOF/);
    expect(layout(demo)).toMatchObject({
      q4: [byTitle('Comprehensive Information')],
      q6: [byTitle('Regional partnership')],
      q7: [byTitle('Employer-pays')],
      other: [],
    });
    const listed = ok(await drafter.get<Submission[]>('/api/submissions')).find((s) => s.id === submissionId);
    expect(listed?.sections).toEqual(demo.sections);
  });

  it('moves a proposal to another section and within it, and keeps the order', async () => {
    const [ciop, partnership, employer] = [byTitle('Comprehensive Information'), byTitle('Regional partnership'), byTitle('Employer-pays')];
    let moved = ok(await place({ proposalId: ciop, sectionId: 'q7', index: 0 }));
    expect(layout(moved)).toMatchObject({ q4: [], q7: [ciop, employer] });
    moved = ok(await place({ proposalId: partnership, sectionId: 'q7', index: 1 }));
    expect(layout(moved)['q7']).toEqual([ciop, partnership, employer]);
    moved = ok(await place({ proposalId: ciop, sectionId: 'q7', index: 2 })); // "Move down" twice over
    expect(layout(moved)['q7']).toEqual([partnership, employer, ciop]);
    moved = ok(await place({ proposalId: employer, sectionId: null, index: 0 }));
    expect(layout(moved)).toMatchObject({ q7: [partnership, ciop], other: [employer] });
    expect(layout(await submission())).toEqual(layout(moved));
  });

  it('appends a new proposal to "Other contributions"', async () => {
    const created = ok(await drafter.post<{ id: string }>('/api/proposals', { submissionId, title: 'Late idea', kind: 'policy', gcmObjectives: [23] }));
    const other = (await submission()).sections.at(-1) as Section;
    expect(other.proposalIds.at(-1)).toBe(created.id);
  });

  it('refuses bad input with the reason (400)', async () => {
    const ciop = byTitle('Comprehensive Information');
    const cases: Array<[unknown, RegExp]> = [
      [{ proposalId: ciop, sectionId: 'q8', index: 0 }, /one of the consultation's questions \(q1, q2, q3, q4, q5, q6, q7\)/],
      [{ proposalId: ciop, sectionId: 'q1', index: -1 }, /index/],
      [{ proposalId: ciop, sectionId: 'q1', index: 1.5 }, /index/],
      [{ proposalId: ciop, index: 0 }, /sectionId/],
      [{ proposalId: ciop, sectionId: 'q1' }, /index/],
      [{ sectionId: 'q1', index: 0 }, /proposalId/],
      [{ proposalId: 'no-such-proposal', sectionId: 'q1', index: 0 }, /not a proposal of this submission/],
    ];
    for (const [body, reason] of cases) {
      const refused = await place(body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(refused.body.message)).toMatch(reason);
    }
  });

  it('refuses a proposal of another submission (400) and an unknown consultation (400)', async () => {
    const other = ok(
      await drafter.post<Submission>('/api/submissions', { iscmId: 'abu-dhabi-dialogue', consultationId: 'gcm-ts1-2017', title: 'Human rights input', dueDate: '2017-05-01' }),
    );
    expect(other.consultation).toBe('First informal thematic session on the Global Compact for Migration');
    expect(other.sections).toEqual([{ id: null, number: 1, question: 'Other contributions', proposalIds: [], introductionId: null }]);
    const refused = await place({ proposalId: byTitle('Employer-pays'), sectionId: null, index: 0 }, drafter, other.id);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/not a proposal of this submission/);
    const unknown = await drafter.post('/api/submissions', { iscmId: 'abu-dhabi-dialogue', consultationId: 'gcm-ts9-2017', title: 'Lost', dueDate: '2017-05-01' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/no GCM consultation "gcm-ts9-2017"/);
  });

  it('refuses a chair and a delegate (403) with the reason', async () => {
    for (const who of [chair, delegate]) {
      const refused = await place({ proposalId: byTitle('Employer-pays'), sectionId: 'q1', index: 0 }, who);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/Only a drafter of this workspace may arrange the sections of a submission/);
    }
  });

  it('refuses once the submission is locked (409)', async () => {
    const opened = ok(
      await drafter.post<Submission>('/api/submissions', { iscmId: 'abu-dhabi-dialogue', consultationId: 'gcm-ts3-2017', title: 'To be locked', dueDate: '2017-06-12' }),
    );
    const { id: proposalId } = ok(await drafter.post<{ id: string }>('/api/proposals', { submissionId: opened.id, title: 'Only one', kind: 'policy', gcmObjectives: [1] }));
    ok(await place({ proposalId, sectionId: 'q3', index: 0 }, drafter, opened.id));
    ok(await drafter.post(`/api/proposals/${proposalId}/withdraw`));
    ok(await drafter.post(`/api/submissions/${opened.id}/send-for-approval`));
    ok(await chair.post(`/api/submissions/${opened.id}/approve`));
    ok(await chair.post(`/api/submissions/${opened.id}/lock`));
    const refused = await place({ proposalId, sectionId: 'q1', index: 0 }, drafter, opened.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/locked/);
    expect(layout(await submission(opened.id))['q3']).toEqual([proposalId]);
  });
});
