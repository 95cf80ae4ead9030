/**
 * A submission's life cycle through the screens (issue 13, point 1): a drafter opens a submission
 * for the third informal thematic session from the dashboard, sees its guiding questions as
 * sections, creates a proposal with the New proposal dialog, sends it for review, puts it under the
 * first question with the section select and "Move" (choosing alone moves nothing, WCAG 3.2.2) and
 * sends the submission for approval. The chair is first refused — the server's reason is shown —
 * because the proposal is not approved yet; once the chair has approved the proposal's revision
 * (approval dialog), the chair approves the submission and locks it. axe-core checks the dialog
 * and the page in each state.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  allowConsoleErrors,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  openProposal,
  screenshot,
  startServer,
} from './support';

const SUBMISSION = 'ADD input to the third thematic session (lifecycle test)';
const PROPOSAL = 'Lifecycle: portable social security for domestic workers';
const CONSULTATION = 'Third informal thematic session on the Global Compact for Migration';

describe('a submission from opening to locking, in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  const status = (page: Page) => page.getByTestId('submission-status');
  const lifecycle = (page: Page) => page.getByTestId('submission-lifecycle');

  async function waitForStatus(page: Page, status: string): Promise<void> {
    await page.locator(`[data-testid="submission-lifecycle"][data-status="${status}"]`).waitFor();
  }

  /** Presses a step's button, then confirms in the dialog (checked by axe) when the step asks. */
  async function takeStep(page: Page, name: string, confirm: { heading: string } | null, what: string): Promise<void> {
    await lifecycle(page).getByRole('button', { name, exact: true }).click();
    if (!confirm) return;
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: confirm.heading }).waitFor();
    // Cancel is where the keyboard lands: an irreversible step is never one Enter away.
    await page.waitForFunction(() => document.activeElement?.closest('mat-dialog-container') && document.activeElement.textContent?.trim() === 'Cancel');
    await expectAccessible(page, `the confirmation of ${what}`);
    await dialog.getByTestId('confirm-step').click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('is opened and arranged by a drafter, then approved and locked by the chair once its proposal is approved', async () => {
    // --- The drafter opens the submission from the dashboard.
    // Tall enough for the dialog's consultations and the chosen one's questions in one screenshot.
    const drafter = await newPage(browser, server, { label: 'drafter1', viewport: { width: 1366, height: 1500 } });
    await loginAs(drafter, 'drafter1');
    await drafter.getByRole('button', { name: /^Open a submission in / }).first().click();
    const dialog = drafter.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Open a submission' }).waitFor();
    await dialog.getByRole('radio', { name: new RegExp(`^3\\. ${CONSULTATION}`) }).waitFor();
    await expectAccessible(drafter, 'the open-submission dialog');

    // Nothing filled in: each field says what it needs, and nothing is sent.
    await dialog.getByRole('button', { name: 'Open submission' }).click();
    await dialog.getByText('Give the submission a title.').waitFor();
    await dialog.getByText('Choose the consultation the submission is written for.').waitFor();
    await expect(dialog.getByRole('radiogroup', { name: 'Consultation' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(drafter, 'the open-submission dialog with its validation messages');

    await dialog.getByLabel('Title').fill(SUBMISSION);
    await dialog.getByRole('radio', { name: new RegExp(`^3\\. ${CONSULTATION}`) }).check();
    const preview = dialog.getByTestId('consultation-preview');
    await preview.getByRole('listitem').first().waitFor();
    await expect(preview.getByRole('listitem').count()).resolves.toBe(7);
    await dialog.getByLabel('Due date').fill('2027-03-31');
    await expectAccessible(drafter, 'the open-submission dialog, a consultation chosen');
    await dialog.getByRole('radio', { checked: true }).scrollIntoViewIfNeeded();
    await screenshot(drafter, 'submission-open');
    await dialog.getByRole('button', { name: 'Open submission' }).click();

    await drafter.waitForURL(/\/submissions\/[^/]+$/);
    await drafter.getByRole('heading', { level: 1, name: SUBMISSION }).waitFor();
    const submissionUrl = new URL(drafter.url()).pathname;
    const headings = drafter.locator('.cc-section-question');
    // The sections come with the submission's detail, just after its heading: wait for them.
    await headings.nth(7).waitFor();
    await expect(headings.count()).resolves.toBe(8);
    await expect(headings.nth(7).innerText()).resolves.toBe('8. Other contributions');
    await waitForStatus(drafter, 'drafting');
    await expect(status(drafter).innerText()).resolves.toBe('Drafting');
    await expectAccessible(drafter, 'the new submission page of a drafter, in drafting');

    // --- A proposal, with the New proposal dialog; then sent for review from its page.
    await drafter.getByRole('button', { name: 'New proposal', exact: true }).click();
    const proposalDialog = drafter.getByRole('dialog');
    await proposalDialog.getByLabel('Title').fill(PROPOSAL);
    await proposalDialog.getByRole('combobox', { name: 'Kind of practical approach' }).click();
    await drafter.getByRole('option').first().click();
    await proposalDialog.getByRole('combobox', { name: 'GCM objectives' }).click();
    await drafter.getByRole('option', { name: /^22 · / }).click();
    await drafter.keyboard.press('Escape');
    await proposalDialog.getByRole('button', { name: 'Create proposal' }).click();
    await drafter.waitForURL(/\/proposals\/[^/]+$/);
    await drafter.getByRole('heading', { level: 1, name: PROPOSAL }).waitFor();
    await drafter.getByRole('button', { name: /^Send revision \d+ for review$/ }).click();
    await drafter.locator('cc-status-chip', { hasText: 'In review' }).first().waitFor();

    // --- Under the first question: choosing a section moves nothing until "Move" is pressed.
    await drafter.goto(submissionUrl);
    await drafter.getByRole('link', { name: PROPOSAL }).waitFor();
    const select = drafter.getByRole('combobox', { name: `Section of “${PROPOSAL}”` });
    await select.focus();
    await drafter.keyboard.press('Home');
    await drafter.keyboard.press('ArrowDown');
    await drafter.keyboard.press('ArrowUp');
    await expect(drafter.getByTestId('placement-status').textContent()).resolves.toBe('');
    await expect(drafter.locator('[data-testid="submission-section"]').nth(7).getByRole('link', { name: PROPOSAL }).count()).resolves.toBe(1);
    await select.selectOption({ index: 0 });
    await drafter.keyboard.press('Tab');
    await expect(drafter.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(`Move “${PROPOSAL}” to the section chosen`);
    await drafter.keyboard.press('Enter');
    await drafter.getByTestId('placement-status').filter({ hasText: `“${PROPOSAL}” is now number 1 in section 1.` }).waitFor({ state: 'attached' });
    await drafter.locator('[data-testid="submission-section"]').first().getByRole('link', { name: PROPOSAL }).waitFor();

    // --- Sent for approval: no confirmation (the chair can still refuse); the page shows the new status.
    await takeStep(drafter, 'Send for approval', null, 'sending for approval');
    await waitForStatus(drafter, 'review');
    await drafter.getByTestId('lifecycle-status').filter({ hasText: 'The submission was sent to the chair for approval.' }).waitFor({ state: 'attached' });
    await expect(lifecycle(drafter).getByRole('button', { name: 'Send for approval' }).count()).resolves.toBe(0);
    await expectAccessible(drafter, 'the submission page of a drafter, in review');

    // --- The chair: refused while the proposal is not approved, with the server's reason.
    const chair = await newPage(browser, server, { label: 'chair' });
    allowConsoleErrors(chair, /status of 409/);
    await loginAs(chair, 'chair');
    await chair.goto(submissionUrl);
    await waitForStatus(chair, 'review');
    await expect(chair.getByRole('button', { name: /^Move/ }).count()).resolves.toBe(0);
    await expectAccessible(chair, 'the submission page of the chair, in review');
    await takeStep(chair, 'Approve submission', { heading: 'Approve the submission?' }, 'approving the submission');
    const refusal = chair.getByTestId('lifecycle-error');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toContain(
      `A submission can be approved only when the chair has approved the current text of each of its proposals; not approved: “${PROPOSAL}”.`,
    );
    await expect(status(chair).innerText()).resolves.toBe('In review');
    await expectAccessible(chair, 'the submission page showing the server’s refusal');

    // The chair approves the proposal's revision with the approval dialog of its page.
    await openProposal(chair, PROPOSAL);
    await chair.getByRole('button', { name: 'Approve this revision' }).click();
    const approval = chair.getByRole('dialog');
    await approval.getByRole('button', { name: /^Approve revision \d+$/ }).click();
    await approval.getByTestId('approval-hash').waitFor();
    await approval.getByRole('button', { name: 'Close' }).click();

    // --- Approved, then locked.
    await chair.goto(submissionUrl);
    await waitForStatus(chair, 'review');
    await takeStep(chair, 'Approve submission', { heading: 'Approve the submission?' }, 'approving the submission');
    await waitForStatus(chair, 'approved');
    await chair.getByTestId('lifecycle-status').filter({ hasText: 'The submission is approved.' }).waitFor({ state: 'attached' });
    await lifecycle(chair).getByRole('button', { name: 'Lock (submitted)' }).waitFor();
    await expectAccessible(chair, 'the submission page of the chair, approved');
    await screenshot(chair, 'submission-actions');
    await takeStep(chair, 'Lock (submitted)', { heading: 'Lock the submission as submitted?' }, 'locking the submission');
    await waitForStatus(chair, 'submitted');
    await expect(status(chair).innerText()).resolves.toBe('Submitted');
    await expect(lifecycle(chair).getByRole('button').count()).resolves.toBe(0);
    await expectAccessible(chair, 'the submission page of the chair, submitted');

    // The drafter finds it locked: no step, no arranging, no new proposal.
    await drafter.reload();
    await waitForStatus(drafter, 'submitted');
    await drafter.getByRole('link', { name: PROPOSAL }).waitFor();
    await expect(drafter.getByRole('button', { name: /^Move|^New proposal$/ }).count()).resolves.toBe(0);
    await expectAccessible(drafter, 'the submission page of a drafter, submitted');
  });
});
