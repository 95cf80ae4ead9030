/**
 * A section's introduction (issue 13, point 1) in the browser: a drafter presses "Add an
 * introduction" under a guiding question of the demo submission, lands in the introduction's
 * editor (the proposal page, which co-edits), types its first words, and finds them under that
 * question on the submission page, with a link back to edit. A chair sees the introduction but no
 * button to add one. Keyboard only; axe clean.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, expectAccessible, loginAs, newBrowser, newPage, screenshot, sessionToken, startServer, typeAtEnd, waitForEditor } from './support';

const WORDS = 'Member States of the Abu Dhabi Dialogue use the MiGOF to review their recruitment rules.';

describe('section introductions in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  async function openSubmission(page: Page): Promise<string> {
    const response = await page.request.get('/api/submissions', { headers: { authorization: `Bearer ${await sessionToken(page)}` } });
    const [submission] = (await response.json()) as Array<{ id: string }>;
    await page.goto(`/submissions/${encodeURIComponent(submission.id)}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return submission.id;
  }

  const introOf = (page: Page, number: number) => page.locator('[data-testid="submission-section"]').nth(number - 1).getByTestId('section-introduction');

  it('adds an introduction to a question from the submission page, types in it, and shows its first words there', async () => {
    const page = await newPage(browser, server, { label: 'drafter1-intro' });
    await loginAs(page, 'drafter1');
    const submissionId = await openSubmission(page);
    // "Other contributions" takes no introduction.
    await expect(page.locator('[data-testid="submission-section"]').nth(7).getByTestId('section-introduction').count()).resolves.toBe(0);

    const add = page.getByRole('button', { name: 'Add an introduction to section 2' });
    await add.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/proposals\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: 'Introduction to section 2' }).waitFor();
    await waitForEditor(page);
    await typeAtEnd(page, WORDS);
    // Recorded before we leave: the revision list names it.
    const introductionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    const token = await sessionToken(page);
    const recorded = async () => {
      const response = await page.request.get(`/api/proposals/${encodeURIComponent(introductionId)}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { currentRevision: number }).currentRevision > 0;
    };
    for (const started = Date.now(); !(await recorded()); ) {
      if (Date.now() - started > 15_000) throw new Error('the typed words were not recorded within 15 s');
      await page.waitForTimeout(200);
    }

    await page.goto(`/submissions/${encodeURIComponent(submissionId)}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await introOf(page, 2).getByTestId('introduction-text').filter({ hasText: WORDS }).waitFor();
    const link = introOf(page, 2).getByRole('link', { name: 'Introduction — open to edit (section 2)' });
    await expect(link.getAttribute('href')).resolves.toBe(`/proposals/${introductionId}`);
    // Not a proposal row of any section, and no second "Add" for that section.
    await expect(page.getByTestId('proposal-row').filter({ hasText: 'Introduction to section 2' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Add an introduction to section 2' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Add an introduction to section 1' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'the submission page with a section introduction');
    await screenshot(page, 'submission-section-introduction', { fullPage: true });

    // The link opens it again for editing.
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Introduction to section 2' }).waitFor();
  });

  it('shows a chair the introduction without a button to add one', async () => {
    const page = await newPage(browser, server, { label: 'chair-intro' });
    await loginAs(page, 'chair');
    await openSubmission(page);
    await introOf(page, 2).getByRole('link').waitFor();
    await expect(page.getByRole('button', { name: /^Add an introduction/ }).count()).resolves.toBe(0);
    await expectAccessible(page, 'the submission page of a chair, with a section introduction');
  });
});
