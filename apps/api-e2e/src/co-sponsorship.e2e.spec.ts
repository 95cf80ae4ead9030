/**
 * Co-sponsorship (issue 14 §4): a delegate endorses a proposal for their member state and withdraws
 * it; the proposal, the proposal list, the amendment list and the exported DOCX/PDF (as of the
 * export's log position) name the co-sponsoring states. The real server (SQLite, demo): delegate1
 * represents India, delegate2 the United Arab Emirates. Every refusal leaves the log where it was.
 */
import { strFromU8, unzipSync } from 'fflate';
import { ApiClient, ApiProcess, ok, startApi } from './support/api-process';
import { haveTools, pdfText } from './support/document-tools';

interface CoSponsor {
  memberState: string;
  memberStateName: string;
  by: string;
  byName: string;
  at: string;
  revision: number;
}
interface State {
  code: string;
  name: string;
}
interface Detail {
  id: string;
  submissionId: string;
  currentRevision: number;
  coSponsorStates: string[];
  coSponsors: CoSponsor[];
}

/** The visible text of a DOCX body, one line per paragraph. */
function docxLines(file: Buffer): string[] {
  const xml = strFromU8(unzipSync(file)['word/document.xml']);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
}

describe('co-sponsorship by member states (sqlite, demo)', () => {
  let server: ApiProcess;
  const rest: Record<string, ApiClient> = {};
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let proposalId: string;
  let submissionId: string;

  const head = async () => (await server.health()).headPosition;
  const detail = async (id = proposalId) => ok(await rest['chair'].get<Detail>(`/api/proposals/${id}`));
  const download = async (path: string) => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${tokens['drafter1']}` } });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  };

  beforeAll(async () => {
    server = await startApi({ name: 'co-sponsorship' });
    for (const who of ['delegate1', 'delegate2', 'drafter1', 'chair', 'auditor', 'admin']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get('/api/auth/me')).id;
    }
    const [first] = ok(await rest['drafter1'].get<Array<{ submissionId: string }>>('/api/proposals'));
    submissionId = first.submissionId;
    proposalId = ok(
      await rest['drafter1'].post<Detail>('/api/proposals', { submissionId, title: 'Fair recruitment corridors', kind: 'policy', gcmObjectives: [6] }),
    ).id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('lets a delegate co-sponsor for their member state; the proposal and the list show it', async () => {
    const answer = await rest['delegate1'].post<Detail>(`/api/proposals/${proposalId}/co-sponsors`);
    expect(answer.status).toBe(200);
    expect(answer.body.coSponsors).toEqual([
      { memberState: 'IN', memberStateName: 'India', by: ids['delegate1'], byName: 'Priya Sharma (India)', at: expect.any(String), revision: answer.body.currentRevision },
    ]);
    ok(await rest['delegate2'].post(`/api/proposals/${proposalId}/co-sponsors`));
    const seen = await detail();
    expect(seen.coSponsors.map((c) => c.memberState)).toEqual(['IN', 'AE']);
    expect(seen.coSponsorStates).toEqual(['AE', 'IN']);
    const listed = ok(await rest['drafter1'].get<Detail[]>(`/api/proposals?submissionId=${submissionId}`)).find((p) => p.id === proposalId);
    expect(listed?.coSponsorStates).toEqual(['AE', 'IN']);
  });

  it('seeds the demo with the United Arab Emirates co-sponsoring the orientation programme, through its delegate', async () => {
    const listed = ok(await rest['delegate1'].get<Array<Detail & { title: string }>>('/api/proposals'));
    const ciop = listed.find((p) => p.title.startsWith('Comprehensive Information and Orientation Programme'));
    expect(ciop?.coSponsorStates).toEqual(['AE']);
    expect((await detail(ciop?.id)).coSponsors).toEqual([expect.objectContaining({ memberState: 'AE', memberStateName: 'United Arab Emirates', by: ids['delegate2'] })]);
  });

  it("names each proposal's co-sponsoring states in the amendment list", async () => {
    const before = ok(await rest['chair'].get<Array<{ proposalId: string; proposalCoSponsors: State[] }>>(`/api/submissions/${submissionId}/amendments`));
    expect(before.length).toBeGreaterThan(0);
    const reviewed = before[0].proposalId;
    ok(await rest['delegate1'].post(`/api/proposals/${reviewed}/co-sponsors`));
    const after = ok(await rest['chair'].get<Array<{ proposalId: string; proposalCoSponsors: State[] }>>(`/api/submissions/${submissionId}/amendments`));
    for (const amendment of after.filter((a) => a.proposalId === reviewed)) {
      expect(amendment.proposalCoSponsors).toEqual([...(before.find((a) => a.proposalId === reviewed)?.proposalCoSponsors ?? []), { code: 'IN', name: 'India' }].sort((a, b) => a.name.localeCompare(b.name)));
    }
    const own = ok(await rest['delegate2'].get<Array<{ proposalCoSponsors: Array<{ code: string }> }>>(`/api/proposals/${reviewed}/amendments`));
    expect(own.every((a) => a.proposalCoSponsors.some((state) => state.code === 'IN'))).toBe(true);
    ok(await rest['delegate1'].delete(`/api/proposals/${reviewed}/co-sponsors/IN`));
  });

  it('refuses a second co-sponsorship by the same member state (409) and records nothing', async () => {
    const before = await head();
    const again = await rest['delegate1'].post(`/api/proposals/${proposalId}/co-sponsors`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/IN already co-sponsors this proposal/);
    expect(await head()).toBe(before);
  });

  it('refuses every other role with the reason (403) and records nothing', async () => {
    const before = await head();
    for (const who of ['drafter1', 'chair', 'auditor', 'admin']) {
      const refused = await rest[who].post(`/api/proposals/${proposalId}/co-sponsors`);
      expect({ who, status: refused.status }).toEqual({ who, status: 403 });
      expect(refused.body.message).toMatch(/Only a delegate of this workspace may co-sponsor a proposal/);
      const withdrawal = await rest[who].delete(`/api/proposals/${proposalId}/co-sponsors/IN`);
      expect({ who, status: withdrawal.status }).toEqual({ who, status: 403 });
    }
    expect((await server.api().post(`/api/proposals/${proposalId}/co-sponsors`)).status).toBe(401);
    expect(await head()).toBe(before);
  });

  it("refuses a delegate withdrawing another member state's co-sponsorship (403) and a bad code (400)", async () => {
    const before = await head();
    const other = await rest['delegate2'].delete(`/api/proposals/${proposalId}/co-sponsors/IN`);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/Only a delegate of IN may withdraw its co-sponsorship; you represent AE/);
    const bad = await rest['delegate1'].delete(`/api/proposals/${proposalId}/co-sponsors/India`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/ISO 3166-1 alpha-2/);
    expect(await head()).toBe(before);
  });

  it('exports the co-sponsoring states under the title in DOCX and PDF, and the DOCX still verifies against the log', async () => {
    const docx = await download(`/api/proposals/${proposalId}/export?format=docx`);
    const lines = docxLines(docx);
    const title = lines.indexOf('Fair recruitment corridors', 3);
    expect(title).toBeGreaterThan(0);
    expect(lines[title + 1]).toBe('Co-sponsored by: India, United Arab Emirates');
    const verdict = await (
      await fetch(`${server.baseUrl}/api/documents/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens['drafter1']}`, 'content-type': 'application/octet-stream' },
        body: new Blob([new Uint8Array(docx)]),
      })
    ).json();
    expect(verdict).toMatchObject({ valid: true, recorded: true, differences: [] });

    const submissionDocx = docxLines(await download(`/api/submissions/${submissionId}/export?format=docx`));
    const inSubmission = submissionDocx.indexOf('Fair recruitment corridors');
    expect(submissionDocx[inSubmission + 1]).toBe('Co-sponsored by: India, United Arab Emirates');
    // The demo's other proposals are co-sponsored by no one or others: the line is per proposal.
    expect(submissionDocx.filter((line) => line.startsWith('Co-sponsored by:')).length).toBeGreaterThanOrEqual(1);

    if (haveTools('pdftotext')) {
      const pdf = await pdfText(await download(`/api/proposals/${proposalId}/export?format=pdf`));
      expect(pdf.replace(/\s+/g, ' ')).toContain('Fair recruitment corridors');
      expect(pdf.replace(/\s+/g, ' ')).toContain('Co-sponsored by: India, United Arab Emirates');
    } else {
      console.warn('SKIP the PDF check of co-sponsorship: pdftotext (poppler-utils) is needed');
    }
  }, 240_000);

  it('lets the delegate withdraw; then withdrawing again is 404, and exports name only the states left', async () => {
    const answer = await rest['delegate1'].delete<Detail>(`/api/proposals/${proposalId}/co-sponsors/in`);
    expect(answer.status).toBe(200);
    expect(answer.body.coSponsors.map((c) => c.memberState)).toEqual(['AE']);
    const before = await head();
    const again = await rest['delegate1'].delete(`/api/proposals/${proposalId}/co-sponsors/IN`);
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/IN does not co-sponsor this proposal/);
    expect(await head()).toBe(before);
    const lines = docxLines(await download(`/api/proposals/${proposalId}/export?format=docx`));
    expect(lines.filter((line) => line.startsWith('Co-sponsored by:'))).toEqual(['Co-sponsored by: United Arab Emirates']);
  }, 120_000);

  it('refuses co-sponsoring and withdrawing on a withdrawn proposal (409), and keeps its list', async () => {
    ok(await rest['delegate1'].post(`/api/proposals/${proposalId}/co-sponsors`));
    ok(await rest['drafter1'].post(`/api/proposals/${proposalId}/withdraw`));
    const before = await head();
    const endorse = await rest['delegate2'].post(`/api/proposals/${proposalId}/co-sponsors`);
    expect(endorse.status).toBe(409);
    expect(endorse.body.message).toMatch(/withdrawn/);
    const withdraw = await rest['delegate1'].delete(`/api/proposals/${proposalId}/co-sponsors/IN`);
    expect(withdraw.status).toBe(409);
    expect(await head()).toBe(before);
    expect((await detail()).coSponsorStates).toEqual(['AE', 'IN']);
  });

  it('records each step in the proposal stream, attributed to the delegate', async () => {
    const events = ok(await rest['admin'].get<{ items: Array<{ type: string; stream: string; userId: string; data: Record<string, unknown> }> }>(
      `/api/audit/events?stream=proposal-${proposalId}`,
    ));
    const steps = events.items
      .filter((e) => e.stream === `proposal-${proposalId}` && e.type.startsWith('ProposalCoSponsor'))
      .map((e) => [e.type, e.data['memberState'], e.userId]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['ProposalCoSponsored', 'IN', ids['delegate1']],
        ['ProposalCoSponsored', 'AE', ids['delegate2']],
        ['ProposalCoSponsorshipWithdrawn', 'IN', ids['delegate1']],
      ]),
    );
    expect(steps).toHaveLength(4);
  });
});
