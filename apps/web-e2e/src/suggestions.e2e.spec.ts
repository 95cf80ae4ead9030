/**
 * Suggestions (track changes) in the browser: a delegate selects words and types over them — the
 * words are marked for deletion and hers proposed, underlined, both hers; a drafter sees them live.
 * What cannot be suggested yet (a new paragraph) is refused in the editor and the delegate is told.
 * A drafter turns suggestion mode on for himself and his typing is a suggestion too.
 */
import type { Browser } from 'playwright-core';
import { type ConcordServer, editorContent, editorText, eventually, expectAccessible, newBrowser, ok, openProposalAs, screenshot, selectWords, startServer } from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';

describe('suggestions in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('a delegate replaces words by suggestion; a drafter sees it live; a new paragraph cannot be suggested', async () => {
    const delegate = await openProposalAs(browser, server, 'delegate1', TITLE);
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    const delegateToken = await server.login('delegate1');
    const delegateId = ok(await server.api(delegateToken).get<{ id: string }>('/api/auth/me'), 'me').id;

    await selectWords(delegate, 'unregulated intermediaries');
    await delegate.keyboard.type('unlicensed recruiters', { delay: 15 });
    const proposed = editorContent(delegate).locator('ins.cc-suggestion--insert', { hasText: 'unlicensed recruiters' });
    const struck = editorContent(delegate).locator('del.cc-suggestion--delete', { hasText: 'unregulated intermediaries' });
    await proposed.waitFor();
    await struck.waitFor();
    expect(await proposed.getAttribute('data-author')).toBe(delegateId);
    expect(await struck.getAttribute('data-author')).toBe(delegateId);

    // The drafter sees both, live.
    await editorContent(drafter).locator('ins.cc-suggestion--insert', { hasText: 'unlicensed recruiters' }).waitFor({ timeout: 15_000 });
    await editorContent(drafter).locator('del.cc-suggestion--delete', { hasText: 'unregulated intermediaries' }).waitFor();
    await expectAccessible(drafter, 'a proposal with suggestions in the text (drafter)');
    await screenshot(drafter, 'suggestions-in-text');

    // Backspace over her own proposed words takes them back; over others' words it marks them.
    await delegate.keyboard.press('Backspace');
    const proposedTexts = () => editorContent(delegate).locator('ins.cc-suggestion--insert').allInnerTexts();
    await eventually(async () => (await proposedTexts()).join('|') === 'unlicensed recruiter', { what: 'her own proposed letter removed' });

    // Enter: a new paragraph cannot be suggested yet — refused in the editor, and she is told.
    await delegate.keyboard.press('Enter');
    await delegate.getByTestId('suggestion-notice').getByText('a new paragraph cannot be suggested yet').waitFor();
    await expectAccessible(delegate, 'a delegate in suggestion mode, with a notice');

    // A second suggestion: words proposed for deletion.
    await selectWords(delegate, 'free of charge');
    await delegate.keyboard.press('Delete');
    await editorContent(delegate).locator('del.cc-suggestion--delete', { hasText: 'free of charge' }).waitFor();

    // The drafter sees both in the list with their author, accepts the first and rejects the second.
    const list = drafter.getByTestId('suggestion-list');
    const replacement = list.getByTestId('suggestion').filter({ hasText: 'unlicensed recruiter' });
    const deletion = list.getByTestId('suggestion').filter({ hasText: 'free of charge' });
    await replacement.getByText('Priya Sharma (India)').waitFor({ timeout: 15_000 });
    await deletion.waitFor({ timeout: 15_000 });
    await expectAccessible(drafter, 'the suggestion list (drafter)');
    await screenshot(drafter, 'suggestion-list', { fullPage: true });
    await replacement.getByTestId('suggestion-accept').click();
    await deletion.getByTestId('suggestion-reject').click();

    // Both see the result live: the proposed words are plain text, the struck words gone; the
    // rejected deletion leaves its words plain.
    for (const page of [drafter, delegate]) {
      await eventually(
        async () => {
          const text = await editorText(page);
          const marks = await editorContent(page).locator('ins.cc-suggestion, del.cc-suggestion').count();
          return text.includes('from unlicensed recruiter, and') && !text.includes('unregulated intermediaries') && text.includes('free of charge') && marks === 0;
        },
        { what: 'the decisions shown to both' },
      );
    }
    await list.getByText('No open suggestions in the text.').waitFor();
    await delegate.close();
    await drafter.close();
  });

  it('a drafter turns suggestion mode on: his deletion is a suggestion, the text stays', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter2', TITLE);
    const toggle = drafter.getByTestId('suggest-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await selectWords(drafter, 'Post-arrival orientation');
    await drafter.keyboard.press('Delete');
    await editorContent(drafter).locator('del.cc-suggestion--delete', { hasText: 'Post-arrival orientation' }).waitFor();
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await drafter.close();
  });

  it('shows the chair, before approving, the open suggestions and unresolved comments of the seeded review', async () => {
    const review = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';
    const drafter = await openProposalAs(browser, server, 'drafter1', review);
    await drafter.getByRole('button', { name: /^Send revision \d+ for review$/ }).click();
    await drafter.locator('cc-status-chip', { hasText: 'In review' }).waitFor();
    await drafter.close();
    const chair = await openProposalAs(browser, server, 'chair', review);
    await chair.getByRole('button', { name: 'Approve this revision' }).click();
    const dialog = chair.getByRole('dialog');
    await dialog.getByTestId('approve-hash').waitFor();
    await eventually(async () => (await dialog.getByTestId('approve-open-threads').count()) === 1, { what: 'the thread count shown' });
    expect(await dialog.getByTestId('approve-open-suggestions').innerText()).toBe('2');
    expect(await dialog.getByTestId('approve-open-threads').innerText()).toBe('1');
    await dialog.getByTestId('approve-open-review').waitFor();
    await expectAccessible(chair, 'the approval dialog with open suggestions and comments');
    await screenshot(chair, 'approval-open-review');
    await chair.close();
  });
});
