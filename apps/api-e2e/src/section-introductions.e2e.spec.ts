/**
 * A section can hold an introduction of its own (issue 13, point 1): a proposal of kind
 * `introduction`, created by `POST /api/submissions/:id/sections/:sectionId/introduction`, co-edited
 * like any proposal, first in its section in the exported document (numbered 2.1… with the
 * section's proposals going on after it) and verified like any revision. One per section (409), none
 * for "Other contributions" (400), never placed (400). Real server, real co-editing client.
 */
import * as Y from 'yjs';
import { readDocx } from '@concord/document';
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { connectClient } from './support/collab-client';

interface Section {
  id: string | null;
  number: number;
  question: string;
  proposalIds: string[];
  introductionId: string | null;
}
interface Submission {
  id: string;
  sections: Section[];
  proposalCounts: Record<string, number>;
}
interface Proposal {
  id: string;
  title: string;
  kind: string;
  gcmObjectives: number[];
  submissionId: string;
  currentRevision: number;
}

describe('section introductions (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter: ApiClient;
  let chair: ApiClient;
  let delegate: ApiClient;
  let drafter2Token: string;
  let drafterToken: string;
  let submission: Submission;
  let proposalId: string;
  let introductionId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'section-introductions' });
    drafterToken = await server.login('drafter1');
    drafter2Token = await server.login('drafter2');
    drafter = server.api(drafterToken);
    [chair, delegate] = await Promise.all(['chair', 'delegate1'].map(async (who) => server.api(await server.login(who))));
    submission = ok(
      await drafter.post<Submission>('/api/submissions', { iscmId: 'abu-dhabi-dialogue', consultationId: 'gcm-ts3-2017', title: 'With introductions', dueDate: '2017-06-12' }),
    );
    proposalId = ok(await drafter.post<Proposal>('/api/proposals', { submissionId: submission.id, title: 'Skills partnership', kind: 'policy', gcmObjectives: [18] })).id;
    ok(await drafter.post(`/api/submissions/${submission.id}/placements`, { proposalId, sectionId: 'q2', index: 0 }));
  });

  const introductionPath = (sectionId: string, id = submission.id) => `/api/submissions/${id}/sections/${sectionId}/introduction`;
  const read = async () => ok(await drafter.get<Submission>(`/api/submissions/${submission.id}`));

  /** Paragraphs written through the stock co-editing client, one per line. */
  async function write(id: string, lines: string[]): Promise<void> {
    const client = connectClient(server.collabUrl, id, drafter2Token);
    await client.synced;
    client.doc.transact(() => {
      client.content.insert(
        0,
        lines.map((line) => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(line)]);
          return paragraph;
        }),
      );
    });
    await eventually(async () => ok(await drafter.get<Proposal>(`/api/proposals/${id}`)).currentRevision > 0, { what: 'the text recorded' });
    client.close();
  }

  it("creates a question's introduction: a proposal of kind introduction that heads the section and is not among its proposals", async () => {
    const created = await drafter.post<Proposal>(introductionPath('q2'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'introduction', title: 'Introduction to section 2', gcmObjectives: [], status: 'draft', submissionId: submission.id });
    introductionId = created.body.id;
    const after = await read();
    const q2 = after.sections.find((s) => s.id === 'q2') as Section;
    expect(q2).toMatchObject({ introductionId, proposalIds: [proposalId] });
    expect(after.sections.flatMap((s) => s.proposalIds)).not.toContain(introductionId);
    expect(after.sections.filter((s) => s.id !== 'q2').every((s) => s.introductionId === null)).toBe(true);
    // Counted as no practical approach proposal.
    expect(after.proposalCounts).toEqual({ draft: 1 });
    // A member of the workspace reads it like any proposal.
    expect(ok(await delegate.get<Proposal>(`/api/proposals/${introductionId}`)).kind).toBe('introduction');
  });

  it('refuses a second introduction of the section (409) and "Other contributions" or an unknown section (400), with the reason', async () => {
    const second = await drafter.post(introductionPath('q2'));
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(`Section q2 has an introduction already (proposal ${introductionId})`);
    for (const sectionId of ['other', 'null', 'q9']) {
      const refused = await drafter.post(introductionPath(sectionId));
      expect({ sectionId, status: refused.status }).toEqual({ sectionId, status: 400 });
      expect(refused.body.message).toMatch(/Only a guiding question's section takes an introduction: sectionId must be one of q1, q2, q3, q4, q5, q6, q7 \("Other contributions" takes none\)/);
    }
    expect((await read()).sections.find((s) => s.id === 'q2')?.introductionId).toBe(introductionId);
  });

  it('refuses a chair and a delegate (403) and an unknown submission (404)', async () => {
    for (const who of [chair, delegate]) {
      const refused = await who.post(introductionPath('q3'));
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/Only a drafter of this workspace may create a proposal/);
    }
    expect((await drafter.post(introductionPath('q3', 'no-such-submission'))).status).toBe(404);
    expect((await read()).sections.find((s) => s.id === 'q3')?.introductionId).toBeNull();
  });

  it('keeps an introduction out of placements and out of the kinds a proposal may take (400 with the reason)', async () => {
    const placed = await drafter.post(`/api/submissions/${submission.id}/placements`, { proposalId: introductionId, sectionId: 'q4', index: 0 });
    expect(placed.status).toBe(400);
    expect(placed.body.message).toMatch(/is the introduction of section q2: an introduction stays first in its own section/);
    const asProposal = await drafter.post('/api/proposals', { submissionId: submission.id, title: 'Sneaky', kind: 'introduction', gcmObjectives: [1] });
    expect(asProposal.status).toBe(400);
    expect(asProposal.body.message).toMatch(/sections\/<sectionId>\/introduction creates it/);
    const becomes = await drafter.patch(`/api/proposals/${proposalId}`, { kind: 'introduction' });
    expect(becomes.status).toBe(400);
    expect(becomes.body.message).toMatch(/cannot become an introduction/);
    const leaves = await drafter.patch(`/api/proposals/${introductionId}`, { kind: 'policy' });
    expect(leaves.status).toBe(400);
    expect(leaves.body.message).toMatch(/stays an introduction/);
    expect((await read()).sections.find((s) => s.id === 'q2')).toMatchObject({ introductionId, proposalIds: [proposalId] });
  });

  it("exports the introduction first in its section, numbered 2.1…, the section's proposal going on after it, and verifies", async () => {
    await write(introductionId, ['Partnerships between countries of origin and destination matter.', 'This section gives two examples.']);
    await write(proposalId, ['A skills partnership recognises qualifications.']);
    const response = await fetch(`${server.baseUrl}/api/submissions/${submission.id}/export?format=docx`, { headers: { authorization: `Bearer ${drafterToken}` } });
    expect(response.status).toBe(200);
    const file = Buffer.from(await response.arrayBuffer());
    const read = readDocx(file);
    const numbered = read.paragraphs.filter((p) => p.bookmarks.some((b) => b.startsWith('cc_')));
    expect(numbered.map((p) => [p.bookmarks.find((b) => b.startsWith('cc_')), p.text])).toEqual([
      ['cc_2_1', '2.1.\tPartnerships between countries of origin and destination matter.'],
      ['cc_2_2', '2.2.\tThis section gives two examples.'],
      ['cc_2_3', '2.3.\tA skills partnership recognises qualifications.'],
    ]);
    const texts = read.paragraphs.map((p) => p.text);
    // A discreet "Introduction" over it, not its title; the proposal keeps its heading.
    expect(texts.indexOf('Introduction')).toBeGreaterThan(-1);
    expect(texts.indexOf('Introduction')).toBeLessThan(texts.findIndex((t) => t.startsWith('2.1.')));
    const annex = texts.indexOf('Annex: approval record');
    expect(texts.slice(0, annex)).not.toContain('Introduction to section 2');
    expect(texts.indexOf('Skills partnership')).toBeGreaterThan(texts.findIndex((t) => t.startsWith('2.2.')));
    // The manifest names it as a revisioned proposal, first in its section; the annex lists it.
    expect(read.manifest?.sections.find((s) => s.number === 2)?.proposalIds).toEqual([introductionId, proposalId]);
    expect(read.manifest?.proposals.map((p) => p.id)).toContain(introductionId);
    expect(texts.slice(annex)).toContain('Introduction to section 2');
    const verdict = await (
      await fetch(`${server.baseUrl}/api/documents/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${drafterToken}`, 'content-type': 'application/octet-stream' },
        body: new Blob([new Uint8Array(file)]),
      })
    ).json();
    expect(verdict).toMatchObject({ valid: true, differences: [] });
    expect(verdict.proposals.map((p: { id: string }) => p.id)).toContain(introductionId);
  }, 120_000);

  it('refuses once the submission is locked (409)', async () => {
    const opened = ok(
      await drafter.post<Submission>('/api/submissions', { iscmId: 'abu-dhabi-dialogue', consultationId: 'gcm-ts3-2017', title: 'Locked early', dueDate: '2017-06-12' }),
    );
    ok(await drafter.post(`/api/submissions/${opened.id}/send-for-approval`));
    ok(await chair.post(`/api/submissions/${opened.id}/approve`));
    ok(await chair.post(`/api/submissions/${opened.id}/lock`));
    const refused = await drafter.post(introductionPath('q1', opened.id));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/locked/);
  });
});
