/**
 * A whole submission circulated under silence, in the browser (issue 14 §3): the chair circulates
 * it from the submission's status panel; the drafter's proposal page says its text is circulated
 * and frozen (the editor is told why typing is not kept); a delegate breaks silence with a reason
 * and the panel shows the objection. Another submission runs to its deadline and the chair's page
 * shows it adopted and approved. Every screen passes axe.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  eventually,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  openProposalAs,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

describe('silence procedure on a whole submission, in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { SILENCE_MIN_LEAD_MS: '1000', SILENCE_CHECK_MS: '250' } }), newBrowser()]);
  });

  /** A submission of the demo workspace holding one proposal with a sentence of text. */
  async function submissionWithText(title: string, proposalTitle: string): Promise<{ id: string; proposalId: string }> {
    const drafterToken = await server.login('drafter1');
    const iscmId = (await server.proposals(drafterToken))[0].iscmId;
    const opened = await server.api(drafterToken).post<{ id: string }>('/api/submissions', { iscmId, consultation: 'Silence in the browser', title, dueDate: '2030-01-01' });
    expect(opened.status).toBe(201);
    const proposal = await createProposal(server, drafterToken, { title: proposalTitle, submissionId: opened.body.id });
    const drafter = await openProposalAs(browser, server, 'drafter1', proposalTitle);
    await typeAtEnd(drafter, 'Recruitment fees are never charged to workers.');
    await eventually(async () => (await server.proposal(drafterToken, proposal.id)).currentRevision > 0, { what: 'the text recorded' });
    await drafter.close();
    return { id: opened.body.id, proposalId: proposal.id };
  }

  async function openSubmissionAs(who: string, id: string): Promise<Page> {
    const page = await newPage(browser, server, { label: who });
    await loginAs(page, who, { returnUrl: `/submissions/${id}` });
    await page.getByTestId('submission-lifecycle').waitFor();
    return page;
  }

  it('is circulated by the chair, freezes the texts, and is broken by a delegate objection', async () => {
    const PROPOSAL = 'Fair recruitment corridor (submission silence)';
    const { id } = await submissionWithText('Submission circulated under silence', PROPOSAL);

    const chair = await openSubmissionAs('chair', id);
    await chair.getByRole('button', { name: 'Circulate under silence' }).click();
    const dialog = chair.getByRole('dialog');
    await dialog.getByTestId('silence-deadline').waitFor();
    await expect(dialog.innerText()).resolves.toContain('The current text of every proposal of “Submission circulated under silence” is circulated');
    await expectAccessible(chair, 'the circulate-under-silence dialog');
    await dialog.getByRole('button', { name: 'Start silence procedure' }).click();
    const banner = chair.getByTestId('submission-silence-banner');
    await banner.waitFor({ timeout: 10_000 });
    await expect(banner.getAttribute('data-status')).resolves.toBe('running');
    await expect(banner.innerText()).resolves.toContain('The whole submission is circulated under silence');
    await expect(banner.innerText()).resolves.toContain(`${PROPOSAL}, revision`);
    await chair.getByTestId('lifecycle-status').filter({ hasText: 'The submission is circulated under silence' }).waitFor({ state: 'attached' });
    await expectAccessible(chair, 'the submission page with its silence running');
    await screenshot(chair, 'submission-silence-running');

    // The drafter's proposal page says why the text is frozen; typing is refused with that reason.
    const drafter = await openProposalAs(browser, server, 'drafter1', PROPOSAL);
    await drafter.getByTestId('submission-silence-banner').waitFor();
    await typeAtEnd(drafter, ' Typed while circulated.');
    await drafter.getByText(/The whole submission is circulated under silence until .*; the text is frozen\./).first().waitFor({ timeout: 15_000 });
    await expectAccessible(drafter, 'a proposal page while its submission is circulated');

    const delegate = await openSubmissionAs('delegate1', id);
    await delegate.getByRole('button', { name: 'Break silence (object)' }).click();
    const objection = delegate.getByRole('dialog');
    await objection.getByTestId('silence-reason').waitFor();
    await objection.getByRole('button', { name: 'Break silence' }).click();
    await objection.getByText('Give the reason of the objection.').waitFor();
    await expectAccessible(delegate, 'the break-silence dialog of a submission');
    await objection.getByTestId('silence-reason').fill('Section 1 must cite the ILO General Principles on fair recruitment.');
    await objection.getByRole('button', { name: 'Break silence' }).click();
    const broken = delegate.getByTestId('submission-silence-banner');
    await eventually(async () => (await broken.getAttribute('data-status')) === 'broken', { what: 'the panel shows silence broken' });
    await expect(broken.getByTestId('submission-silence-objection').innerText()).resolves.toContain('Section 1 must cite the ILO General Principles');
    await expectAccessible(delegate, 'the submission page with silence broken');

    // The text may change again.
    await drafter.reload();
    await drafter.getByRole('heading', { level: 1, name: PROPOSAL }).waitFor();
    await expect(drafter.getByTestId('submission-silence-banner').count()).resolves.toBe(0);
  });

  it('runs to its deadline and shows the submission adopted and approved', async () => {
    const { id } = await submissionWithText('Submission adopted by silence', 'Skills partnership (submission silence)');
    const chairToken = await server.login('chair');
    const started = await server.api(chairToken).post(`/api/submissions/${id}/silence`, { deadline: new Date(Date.now() + 4_000).toISOString() });
    expect(started.status).toBe(200);
    const chair = await openSubmissionAs('chair', id);
    await chair.getByTestId('submission-silence-banner').waitFor();
    await eventually(
      async () => {
        await chair.reload();
        const banner = chair.getByTestId('submission-silence-banner');
        await banner.waitFor();
        return (await banner.getAttribute('data-status')) === 'adopted';
      },
      { timeoutMs: 30_000, intervalMs: 1_000, what: 'the page shows the submission adopted' },
    );
    await expect(chair.getByTestId('submission-silence-banner').innerText()).resolves.toContain('The submission was adopted by silence procedure');
    await expect(chair.getByTestId('submission-status').innerText()).resolves.toBe('Approved');
    await expectAccessible(chair, 'the submission page after adoption by silence');
  });
});
