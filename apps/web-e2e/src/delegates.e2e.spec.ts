/**
 * A delegate (issue 12, part 1) in the browser: delegate1, India's focal point in the demo Abu Dhabi
 * Dialogue, sees the workspace with its members (her own name carrying her member state), the
 * proposals of the submission, and a proposal in suggestion mode with the notice saying so: what she
 * types is recorded as her suggestion, never as plain text. Every page passes axe.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  editorContent,
  eventually,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  ok,
  screenshot,
  startServer,
  waitForEditor,
} from './support';

interface Summary {
  id: string;
  title: string;
  submissionId: string;
  currentRevision: number;
}

describe('a delegate', () => {
  let server: ConcordServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('sees the members with their member states, the proposals, and a proposal read-only', async () => {
    page = await newPage(browser, server, { label: 'delegate1' });
    await loginAs(page, 'delegate1');

    // The dashboard: her role, and the members with the member state beside each delegate's name.
    await page.getByRole('heading', { level: 1, name: 'My workspaces' }).waitFor();
    await page.getByRole('list', { name: 'Your roles in ADD' }).getByText('Delegate').waitFor();
    const members = page.locator('.cc-member');
    await members.first().waitFor();
    const priya = members.filter({ hasText: 'Priya Sharma (India)' });
    expect(await priya.count()).toBe(1);
    expect(await priya.getByRole('list', { name: 'Roles of Priya Sharma (India)' }).innerText()).toContain('Delegate');
    expect(await members.filter({ hasText: 'Khalid Al Hammadi (United Arab Emirates)' }).count()).toBe(1);
    expect(await members.filter({ hasText: 'Amina Rahman' }).getByText('Drafter').count()).toBe(1);
    await expectAccessible(page, 'the dashboard of a delegate, with the member list');
    await page.locator('.cc-members').scrollIntoViewIfNeeded();
    await screenshot(page, 'delegate-members');

    // The submission lists every demo proposal.
    const api = server.api(await server.login('delegate1'));
    const proposals = ok(await api.get<Summary[]>('/api/proposals'), 'proposals of delegate1');
    expect(proposals.length).toBeGreaterThanOrEqual(3);
    await page.locator('.cc-submission__title').first().click();
    for (const proposal of proposals) {
      await page.getByRole('link', { name: proposal.title, exact: true }).waitFor();
    }
    await expectAccessible(page, 'the submission page of a delegate');

    // A proposal opens in suggestion mode, says so, and offers no action of drafters or chairs.
    const first = proposals[0];
    await page.getByRole('link', { name: first.title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: first.title }).waitFor();
    await waitForEditor(page);
    await page.locator('[data-testid="proposal-editor"] .ProseMirror[contenteditable="true"]').waitFor();
    expect(await page.getByTestId('suggest-only-note').innerText()).toContain('Suggestion mode');
    expect(await page.getByTestId('suggest-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: /for review|Approve|Request changes|Withdraw/ }).count()).toBe(0);
    await expectAccessible(page, 'the proposal page of a delegate, in suggestion mode');

    // Typing is recorded as her suggestion (underlined, hers), never as plain text.
    await editorContent(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' A delegate typed this.', { delay: 10 });
    const inserted = editorContent(page).locator('ins.cc-suggestion--insert', { hasText: 'A delegate typed this.' });
    await inserted.waitFor();
    const me = ok(await api.get<{ id: string }>('/api/auth/me'), 'me').id;
    expect(await inserted.getAttribute('data-author')).toBe(me);
    await eventually(async () => ok(await api.get<Summary>(`/api/proposals/${first.id}`), 'detail').currentRevision > first.currentRevision, {
      what: 'the suggestion recorded',
    });
  });
});
