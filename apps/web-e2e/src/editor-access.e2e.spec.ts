/**
 * Access follows the log on an open editor (PROTOCOL.md): while drafter1 has the first demo
 * proposal open, the chair approves its proposals and the submission and locks it. drafter1's
 * editor turns read-only and says why; typing goes nowhere and records nothing. drafter2, who kept
 * edits offline meanwhile, comes back to the recorded text, with his own unrecorded edits offered
 * aside ("Your unrecorded edits") — never shown as the document.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ApiClient,
  type ConcordServer,
  editorContent,
  editorText,
  eventually,
  expectAccessible,
  newBrowser,
  ok,
  openProposalAs,
  screenshot,
  sleep,
  startServer,
  typeAtEnd,
} from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';

interface Summary {
  id: string;
  title: string;
  status: string;
  submissionId: string;
  currentRevision: number;
  approvedRevision?: number | null;
  approvalStale?: boolean;
}

async function latestRevisionText(api: ApiClient, proposalId: string): Promise<{ revision: number; text: string }> {
  const { currentRevision } = ok(await api.get<Summary>(`/api/proposals/${proposalId}`), 'proposal detail');
  const { text } = ok(await api.get<{ text: string }>(`/api/proposals/${proposalId}/revisions/${currentRevision}`), 'latest revision');
  return { revision: currentRevision, text };
}

/** Approves every proposal of the submission at its current revision, then the submission, then locks it. */
async function approveAndLock(server: ConcordServer, submissionId: string): Promise<void> {
  const drafter = server.api(await server.login('drafter1'));
  const chair = server.api(await server.login('chair'));
  const proposals = ok(await drafter.get<Summary[]>('/api/proposals'), 'proposals').filter((p) => p.submissionId === submissionId);
  for (const summary of proposals) {
    if (summary.status === 'withdrawn') continue;
    const proposal = ok(await drafter.get<Summary>(`/api/proposals/${summary.id}`), 'proposal');
    if (proposal.status === 'approved' && !proposal.approvalStale && proposal.approvedRevision === proposal.currentRevision) continue;
    if (proposal.status !== 'in_review') ok(await drafter.post(`/api/proposals/${proposal.id}/review`, { revision: proposal.currentRevision }), 'send for review');
    ok(await chair.post(`/api/proposals/${proposal.id}/approvals`, { revision: proposal.currentRevision }), `approve "${proposal.title}"`);
  }
  ok(await drafter.post(`/api/submissions/${submissionId}/send-for-approval`), 'send the submission for approval');
  ok(await chair.post(`/api/submissions/${submissionId}/approve`), 'approve the submission');
  ok(await chair.post(`/api/submissions/${submissionId}/lock`), 'lock the submission');
}

describe('the editor when the submission is locked under it', () => {
  let server: ConcordServer;
  let browser: Browser;

  // Each attempt starts from the demo state (the test locks the submission, and CI retries a failed test once).
  beforeEach(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('turns read-only with the reason, records nothing more, and offers unrecorded edits aside', async () => {
    const drafterApi = server.api(await server.login('drafter1'));
    const proposal = ok(await drafterApi.get<Summary[]>('/api/proposals')).find((p) => p.title === TITLE);
    if (!proposal) throw new Error(`no demo proposal "${TITLE}"`);
    const [amina, rohan]: Page[] = await Promise.all([
      openProposalAs(browser, server, 'drafter1', TITLE),
      openProposalAs(browser, server, 'drafter2', TITLE),
    ]);

    // Amina's words are recorded, and her indicator says so.
    await typeAtEnd(amina, ' Recorded before the lock.');
    await eventually(async () => (await latestRevisionText(drafterApi, proposal.id)).text.includes('Recorded before the lock.'), {
      what: 'the latest revision holds the text typed before the lock',
      timeoutMs: 15_000,
    });
    await amina.locator('[data-testid="save-state"][data-saved="true"]').waitFor();
    await eventually(async () => (await editorText(rohan)).includes('Recorded before the lock.'), { what: 'drafter2 has it' });

    // Rohan goes offline and keeps typing: his words stay on his device.
    await rohan.context().setOffline(true);
    await rohan.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await typeAtEnd(rohan, ' Rohan wrote this offline.');

    await approveAndLock(server, proposal.submissionId);
    const locked = await latestRevisionText(drafterApi, proposal.id);

    // Within moments Amina's editor is read-only and says why.
    const content = editorContent(amina);
    await amina.locator('[data-testid="proposal-editor"] .ProseMirror[contenteditable="false"]').waitFor({ timeout: 15_000 });
    const reason = amina.getByTestId('write-refusal');
    await reason.waitFor({ timeout: 15_000 });
    expect(await reason.getAttribute('role')).toBe('alert');
    expect(await reason.innerText()).toMatch(/no longer edit.*lock/is);
    expect(await amina.locator('[role="toolbar"]').count()).toBe(0);
    await expectAccessible(amina, 'the editor turned read-only, with the reason');

    // Typing goes nowhere, and nothing more is recorded.
    const shown = await editorText(amina);
    await content.click();
    await amina.keyboard.type(' Typed after the lock.', { delay: 10 });
    await sleep(1_500);
    expect(await editorText(amina)).toBe(shown);
    expect(await latestRevisionText(drafterApi, proposal.id)).toEqual(locked);

    // Rohan comes back: the recorded text is shown, his own words are offered aside.
    await rohan.context().setOffline(false);
    const panel = rohan.getByTestId('unrecorded-edits');
    await panel.waitFor({ timeout: 15_000 });
    await panel.getByRole('heading', { name: 'Your unrecorded edits' }).waitFor();
    expect(await panel.getByTestId('unrecorded-text').innerText()).toContain('Rohan wrote this offline.');
    await eventually(async () => {
      const text = await editorText(rohan);
      return text.includes('Recorded before the lock.') && !text.includes('Rohan wrote this offline.');
    }, { what: 'drafter2 sees the recorded text, not his unrecorded words' });
    await rohan.locator('[data-testid="proposal-editor"] .ProseMirror[contenteditable="false"]').waitFor();
    await panel.getByRole('button', { name: 'Compare with the recorded text' }).click();
    await panel.locator('ins', { hasText: 'Rohan wrote this offline.' }).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await screenshot(rohan, 'editor-unrecorded-edits');
    await expectAccessible(rohan, 'the editor with "Your unrecorded edits" and their comparison');
    expect(await latestRevisionText(drafterApi, proposal.id)).toEqual(locked);

    // A reload shows the recorded text again: the unrecorded copy is gone from this device.
    await rohan.reload();
    await editorContent(rohan).waitFor();
    await eventually(async () => (await editorText(rohan)).includes('Recorded before the lock.'), { what: 'drafter2 reloaded' });
    expect(await editorText(rohan)).not.toContain('Rohan wrote this offline.');
  });
});
