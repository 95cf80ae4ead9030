/**
 * Notifications in the browser (issue 14 §5): the bell in the top bar counts unread notifications
 * live (polled), for the right people only; the inbox lists them newest first, each linking to its
 * proposal, and marks them read; the account page sets what reaches whom and how. Every screen
 * passes axe. Screenshots: docs/screenshots/inbox.png and notification-bell.png.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, eventually, expectAccessible, loginAs, newBrowser, newPage, ok, screenshot, startServer } from './support';

/** Titles of the demo proposals the tests act on (chosen in the tests). */
let TITLE_REVIEW = '';
let TITLE_SILENCE = '';

/** The bell's count as its accessible name says it ("Notifications, 3 unread"). */
async function bellCount(page: Page): Promise<number> {
  const label = (await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '';
  const match = /^Notifications, (\d+) unread$/.exec(label);
  if (!match) throw new Error(`unexpected bell label "${label}"`);
  return Number(match[1]);
}

describe('notifications in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;
  const pages: Record<string, Page> = {};

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { SILENCE_MIN_LEAD_MS: '1000' } }), newBrowser()]);
    for (const who of ['chair', 'drafter1', 'delegate1']) {
      pages[who] = await newPage(browser, server, { label: who });
      await loginAs(pages[who], who);
      await pages[who].getByTestId('notification-bell').waitFor();
      await eventually(async () => /\d+ unread$/.test((await pages[who].getByTestId('notification-bell').getAttribute('aria-label')) ?? ''), { what: `${who}'s bell` });
    }
  });

  /** A demo proposal with a text that may be sent for review. */
  async function proposalWithText(): Promise<{ id: string; revision: number; title: string }> {
    const token = await server.login('drafter1');
    const demo = (await server.proposals(token)).find((p) => p.currentRevision > 0 && (p.status === 'draft' || p.status === 'changes_requested'));
    if (!demo) throw new Error('no demo proposal in draft with a text');
    return { id: demo.id, revision: demo.currentRevision, title: demo.title };
  }

  it('raises the chair’s bell live when a drafter asks for review, and not the drafter’s', async () => {
    const { id, revision, title } = await proposalWithText();
    TITLE_REVIEW = title;
    const chairBefore = await bellCount(pages['chair']);
    const drafterBefore = await bellCount(pages['drafter1']);
    ok(await server.api(await server.login('drafter1')).post(`/api/proposals/${id}/review`, { revision }), 'send for review');
    // No reload: the bell is polled.
    await eventually(async () => (await bellCount(pages['chair'])) === chairBefore + 1, { timeoutMs: 15_000, what: 'the chair’s bell rises' });
    await expect(pages['chair'].getByTestId('notification-live').innerText()).resolves.toBe(`${chairBefore + 1} unread notifications`);
    expect(await bellCount(pages['drafter1'])).toBe(drafterBefore);
    await expectAccessible(pages['chair'], 'the dashboard with the bell');
    await screenshot(pages['chair'], 'notification-bell');
  });

  it('tells the chair and the drafters that a delegate broke silence, not the delegate', async () => {
    const drafterToken = await server.login('drafter1');
    const chairToken = await server.login('chair');
    const proposals = await server.proposals(drafterToken);
    const target = proposals.find((p) => p.currentRevision > 0 && p.status !== 'withdrawn' && p.title !== TITLE_REVIEW && p.status !== 'in_review');
    if (!target) throw new Error('no proposal to circulate');
    TITLE_SILENCE = target.title;
    const current = (await server.proposal(chairToken, target.id)).currentRevision;
    ok(await server.api(chairToken).post(`/api/proposals/${target.id}/silence`, { revision: current, deadline: new Date(Date.now() + 3_600_000).toISOString() }), 'start silence');
    const before = { chair: await bellCount(pages['chair']), drafter1: await bellCount(pages['drafter1']) };
    ok(await server.api(await server.login('delegate1')).post(`/api/proposals/${target.id}/silence/objections`, { reason: 'Wage protection must cover domestic workers.' }), 'object');
    await eventually(async () => (await bellCount(pages['chair'])) > before.chair, { timeoutMs: 15_000, what: 'the chair’s bell rises' });
    await eventually(async () => (await bellCount(pages['drafter1'])) > before.drafter1, { timeoutMs: 15_000, what: 'the drafter’s bell rises' });

    for (const [who, told] of [['chair', true], ['drafter1', true], ['delegate1', false]] as const) {
      const page = pages[who];
      await page.getByTestId('notification-bell').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/inbox');
      await page.getByTestId('inbox-summary').filter({ hasText: /unread/ }).waitFor();
      const broken = page.getByTestId('notification').filter({ hasText: `Silence broken: ${TITLE_SILENCE}` });
      expect({ who, told: (await broken.count()) > 0 }).toEqual({ who, told });
    }
    // The delegate was told the silence started, though.
    await pages['delegate1'].getByTestId('notification').filter({ hasText: `Silence procedure: ${TITLE_SILENCE}` }).first().waitFor();
  });

  it('lists the inbox newest first, links each to its proposal, marks read and all read — the bell follows', async () => {
    const page = pages['chair'];
    if (!page.url().endsWith('/inbox')) await page.goto('/inbox');
    const items = page.getByTestId('notification');
    await items.first().waitFor();
    expect(await items.first().innerText()).toContain(`Silence broken: ${TITLE_SILENCE}`);
    await expectAccessible(page, 'the inbox');
    await screenshot(page, 'inbox');

    const unread = await bellCount(page);
    expect(unread).toBeGreaterThan(1);
    await items.first().getByRole('button', { name: /^Mark read/ }).click();
    await eventually(async () => (await bellCount(page)) === unread - 1, { what: 'the bell drops by one' });
    await expect(items.first().getByRole('button', { name: /^Mark read/ }).count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await eventually(async () => (await bellCount(page)) === 0, { what: 'the bell at zero' });
    await expect(page.getByTestId('notification-count').count()).resolves.toBe(0);
    await page.getByTestId('inbox-summary').filter({ hasText: '0 unread' }).waitFor();

    // Each notification links to what it is about.
    const review = items.filter({ hasText: `Review requested: ${TITLE_REVIEW}` }).first();
    await review.getByRole('link').click();
    await page.waitForURL(/\/proposals\/[0-9a-f-]+$/);
    await page.getByRole('heading', { name: TITLE_REVIEW }).first().waitFor();
  });

  it('sets what reaches me and how on the account page', async () => {
    const page = pages['drafter1'];
    await page.goto('/account');
    const select = page.getByLabel('Mentioned in a comment: email');
    await select.waitFor();
    await expectAccessible(page, 'the account page with notification settings');
    await select.selectOption('digest');
    await page.getByLabel('Reply to a thread I am in: in the app').uncheck();
    await page.getByTestId('save-preferences').click();
    await page.getByTestId('preferences-status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('heading', { name: 'Notifications' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'notification-preferences');
    const saved = ok(await server.api(await server.login('drafter1')).get<Record<string, { inApp: boolean; email: string }>>('/api/notifications/preferences'));
    expect(saved['mention']).toEqual({ inApp: true, email: 'digest' });
    expect(saved['thread-reply']).toEqual({ inApp: false, email: 'off' });
  });
});
