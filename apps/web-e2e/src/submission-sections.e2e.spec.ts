/**
 * A submission shown as its consultation's guiding questions (issue 13): the demo submission to the
 * third informal thematic session lists its seven questions, numbered, and "Other contributions";
 * a drafter moves a proposal to another section with the keyboard only ("Move up" from the top
 * of a section takes it to the end of the section before) and finds it there after a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, expectAccessible, loginAs, newBrowser, newPage, screenshot, sessionToken, startServer } from './support';

const EMPLOYER_PAYS = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';
const PARTNERSHIP = 'Regional partnership on skills certification and mutual recognition';

describe('submission sections in the browser', () => {
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

  const section = (page: Page, number: number) => page.locator('[data-testid="submission-section"]').nth(number - 1);
  const titlesIn = async (page: Page, number: number) => (await section(page, number).locator('.cc-proposal-link').allInnerTexts()).map((t) => t.trim());

  it('shows the numbered questions and moves a proposal to the section before by keyboard, kept after a reload', async () => {
    const page = await newPage(browser, server, { label: 'drafter1' });
    await loginAs(page, 'drafter1');
    await openSubmission(page);

    const headings = page.locator('.cc-section-question');
    await expect(headings.count()).resolves.toBe(8);
    await expect(headings.nth(0).innerText()).resolves.toMatch(/^1\. What tools and frameworks/);
    await expect(headings.nth(7).innerText()).resolves.toBe('8. Other contributions');
    await expect(titlesIn(page, 6)).resolves.toEqual([PARTNERSHIP]);
    await expect(titlesIn(page, 7)).resolves.toEqual([EMPLOYER_PAYS]);
    await expectAccessible(page, 'the submission page of a drafter, in sections');
    await screenshot(page, 'submission-sections', { fullPage: true });

    // Keyboard only: focus "Move up" of the first proposal of section 7 and press Enter.
    const moveUp = page.getByRole('button', { name: `Move up “${EMPLOYER_PAYS}”` });
    await moveUp.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('placement-status').filter({ hasText: `“${EMPLOYER_PAYS}” is now number 2 in section 6.` }).waitFor({ state: 'attached' });
    await expect(titlesIn(page, 6)).resolves.toEqual([PARTNERSHIP, EMPLOYER_PAYS]);
    await expect(titlesIn(page, 7)).resolves.toEqual([]);
    // The keyboard stays on the control used, so pressing Enter again moves it on.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(`Move up “${EMPLOYER_PAYS}”`);
    await page.keyboard.press('Enter');
    await page.getByTestId('placement-status').filter({ hasText: 'number 1 in section 6' }).waitFor({ state: 'attached' });
    await expect(titlesIn(page, 6)).resolves.toEqual([EMPLOYER_PAYS, PARTNERSHIP]);

    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await section(page, 6).locator('.cc-proposal-link').first().waitFor();
    await expect(titlesIn(page, 6)).resolves.toEqual([EMPLOYER_PAYS, PARTNERSHIP]);
    await expect(titlesIn(page, 7)).resolves.toEqual([]);
    await expectAccessible(page, 'the submission page after moving a proposal');
  });

  it('also moves a proposal by dragging its row (Angular CDK) onto another section', async () => {
    // Tall enough that both sections are on screen at once (a drag does not scroll the page here).
    const page = await newPage(browser, server, { label: 'drafter1-drag', viewport: { width: 1366, height: 2400 } });
    await loginAs(page, 'drafter1');
    await openSubmission(page);
    await section(page, 6).locator('.cc-proposal-link').first().waitFor();
    const row = section(page, 6).getByTestId('proposal-row').filter({ hasText: PARTNERSHIP });
    const from = await row.locator('td').nth(1).boundingBox();
    const to = await section(page, 1).locator('.cc-section-drop').boundingBox();
    if (!from || !to) throw new Error('the row or the first section is not on screen');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    // In steps, as a hand does: the CDK starts a drag past a threshold and follows pointer moves.
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 20, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
    await page.mouse.up();
    await page.getByTestId('placement-status').filter({ hasText: `“${PARTNERSHIP}” is now number 1 in section 1.` }).waitFor({ state: 'attached' });
    await page.reload();
    await section(page, 1).locator('.cc-proposal-link').first().waitFor();
    await expect(titlesIn(page, 1)).resolves.toEqual([PARTNERSHIP]);
  });

  it('offers a chair the sections without the controls', async () => {
    const page = await newPage(browser, server, { label: 'chair' });
    await loginAs(page, 'chair');
    await openSubmission(page);
    await section(page, 6).locator('.cc-proposal-link').first().waitFor();
    await expect(page.getByRole('button', { name: /^Move up/ }).count()).resolves.toBe(0);
    await expectAccessible(page, 'the submission page of a chair, in sections');
  });
});
