/**
 * The amendment list in the browser: a delegate (India) suggests an insertion and a deletion in the
 * text; the drafter finds both open in the proposal's Amendments tab, "Show in text" selects the
 * words, he accepts one and rejects the other in the suggestion list, and both the proposal's and
 * the submission's amendment lists then show the statuses with India and who decided.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  LAPTOP_VIEWPORT,
  editorContent,
  eventually,
  expectAccessible,
  findProposal,
  loginAs,
  newBrowser,
  newPage,
  ok,
  openProposalAs,
  screenshot,
  selectWords,
  startServer,
} from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';
const INSERTED = ' in their own language';
const DELETED = 'unregulated intermediaries';

/** The rows of the amendment table on `page` (inside `scope`, a test id), as the cells read. */
async function amendmentRows(page: Page, scope: string): Promise<Record<string, string[]>> {
  const rows = page.getByTestId(scope).getByTestId('amendment-row');
  const entries = await rows.evaluateAll((elements) =>
    elements.map((row) => [
      (row as HTMLElement).dataset['amendmentId'] ?? '',
      Array.from(row.querySelectorAll('th, td'), (cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()),
    ]),
  );
  return Object.fromEntries(entries);
}

describe('the amendment list in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('shows who suggested what from India, selects it in the text, and who accepted and rejected it', async () => {
    const drafterToken = await server.login('drafter1');
    const drafterName = ok(await server.api(drafterToken).get<{ name: string }>('/api/auth/me'), 'me').name;
    const proposal = await findProposal(server, TITLE, drafterToken);

    // delegate1 (Priya Sharma, India) suggests words after "free of charge", and deleting two words.
    const delegate = await openProposalAs(browser, server, 'delegate1', TITLE);
    await selectWords(delegate, 'free of charge');
    await delegate.keyboard.press('ArrowRight');
    await delegate.keyboard.type(INSERTED, { delay: 15 });
    await editorContent(delegate).locator('ins.cc-suggestion--insert', { hasText: INSERTED.trim() }).waitFor();
    await selectWords(delegate, DELETED);
    await delegate.keyboard.press('Delete');
    await editorContent(delegate).locator('del.cc-suggestion--delete', { hasText: DELETED }).waitFor();

    // The drafter's Amendments tab lists both, open, from India.
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    await drafter.getByTestId('amendments-tab').click();
    await drafter.waitForURL(/\/amendments$/);
    const open = await eventually(
      async () => {
        const rows = Object.values(await amendmentRows(drafter, 'amendments-panel'));
        const insertion = rows.find((cells) => cells[2].includes(INSERTED.trim()));
        const deletion = rows.find((cells) => cells[2].includes(DELETED));
        return insertion && deletion ? { insertion, deletion } : null;
      },
      { what: 'both suggestions in the amendment list', timeoutMs: 20_000 },
    );
    expect(open.insertion.slice(0, 2)).toEqual(['India', 'Priya Sharma (India)']);
    expect(open.insertion[2]).toBe(`inserts: ${INSERTED.trim()}`);
    expect(open.deletion[2]).toBe(`deletes: ${DELETED}`);
    expect([open.insertion[4], open.deletion[4]]).toEqual(['Open', 'Open']);

    // "Show in text" opens the text with the words of the deletion selected.
    const deletionRow = drafter.getByTestId('amendment-row').filter({ hasText: DELETED });
    await deletionRow.getByRole('link', { name: 'Show in text' }).click();
    await drafter.waitForURL(/\/proposals\/[^/?]+\?suggestion=/);
    await eventually(async () => (await drafter.evaluate(() => window.getSelection()?.toString() ?? '')) === DELETED, {
      what: 'the suggested words selected in the editor',
    });

    // The drafter accepts the insertion and rejects the deletion in the suggestion list.
    const list = drafter.getByTestId('suggestion-list');
    await list.getByTestId('suggestion-member-state-group').filter({ hasText: 'From India' }).waitFor();
    await list.getByTestId('suggestion').filter({ hasText: INSERTED.trim() }).getByTestId('suggestion-accept').click();
    await list.getByTestId('suggestion').filter({ hasText: DELETED }).getByTestId('suggestion-reject').click();
    await eventually(async () => (await list.getByTestId('suggestion').filter({ hasText: DELETED }).count()) === 0, { what: 'both decided' });

    // The proposal's list shows the decisions, with India and who decided.
    await drafter.getByTestId('amendments-tab').click();
    const decided = await eventually(
      async () => {
        const rows = Object.values(await amendmentRows(drafter, 'amendments-panel'));
        const insertion = rows.find((cells) => cells[2].includes(INSERTED.trim()));
        const deletion = rows.find((cells) => cells[2].includes(DELETED));
        return insertion?.[4] === 'Accepted' && deletion?.[4] === 'Rejected' ? { insertion, deletion } : null;
      },
      { what: 'the decisions in the amendment list', timeoutMs: 20_000 },
    );
    for (const cells of [decided.insertion, decided.deletion]) {
      expect(cells[0]).toBe('India');
      expect(cells[5]).toContain(drafterName);
    }
    await expectAccessible(drafter, 'the amendment list of a proposal');
    await screenshot(drafter, 'amendment-list', { fullPage: true });

    // Filters: by status, and by member state.
    await drafter.getByLabel('Status').selectOption('accepted');
    await eventually(async () => (await drafter.getByTestId('amendment-row').filter({ hasText: DELETED }).count()) === 0, { what: 'the rejected one hidden' });
    await drafter.getByTestId('amendment-row').filter({ hasText: INSERTED.trim() }).waitFor();
    await drafter.getByLabel('Status').selectOption('all');
    await drafter.getByLabel('Member state').selectOption({ label: 'India' });
    await drafter.getByTestId('amendment-row').filter({ hasText: DELETED }).waitFor();

    // A decided suggestion is no longer in the text: "Show in text" says so.
    await drafter.getByTestId('amendment-row').filter({ hasText: DELETED }).getByRole('link', { name: 'Show in text' }).click();
    await drafter.getByTestId('suggestion-gone').waitFor();
    await drafter.getByTestId('amendments-tab').click();

    // "Show in history" compares the revision before the suggestion with its last step: the words
    // proposed for deletion are outlined as a suggestion, and its outcome is listed under the diff.
    await drafter.getByTestId('amendment-row').filter({ hasText: DELETED }).getByRole('link', { name: 'Show in history' }).click();
    await drafter.waitForURL(/\/history\?from=\d+&to=\d+$/);
    await drafter.getByRole('heading', { name: /^Changes from revision \d+ to revision \d+$/ }).waitFor();
    const outcome = drafter.getByTestId('range-suggestions').locator('li[data-status="rejected"]');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain(DELETED);
    expect(await outcome.textContent()).toContain('Priya Sharma (India)');
    await expectAccessible(drafter, 'history with suggestions');
    await screenshot(drafter, 'history-suggestions', { fullPage: true });
    // A past revision that held the suggestion reads as it was: its words struck through, as in the editor.
    const heldAt = Number(new URL(drafter.url()).searchParams.get('to')) - 1;
    await drafter.goto(`/proposals/${proposal.id}/history?rev=${heldAt}`);
    const revisionText = drafter.getByRole('document', { name: `Text of revision ${heldAt}`, exact: true });
    await revisionText.locator('del.cc-suggestion--delete', { hasText: DELETED }).waitFor();

    // The submission's list holds the same, with the proposal's title.
    await drafter.goto(`/submissions/${proposal.submissionId}`);
    const section = drafter.getByTestId('submission-amendments');
    const forSubmission = await eventually(
      async () => {
        const rows = Object.values(await amendmentRows(drafter, 'submission-amendments'));
        const insertion = rows.find((cells) => cells[3].includes(INSERTED.trim()));
        const deletion = rows.find((cells) => cells[3].includes(DELETED));
        return insertion && deletion ? { insertion, deletion } : null;
      },
      { what: 'the submission’s amendment list', timeoutMs: 20_000 },
    );
    // The proposal cell names its co-sponsors too (the demo's: the United Arab Emirates).
    expect(forSubmission.insertion.slice(0, 2)).toEqual([`${TITLE} Co-sponsored by United Arab Emirates`, 'India']);
    expect([forSubmission.insertion[5], forSubmission.deletion[5]]).toEqual(['Accepted', 'Rejected']);
    expect(forSubmission.deletion[6]).toContain(drafterName);
    await section.locator('caption').waitFor();
    await expectAccessible(drafter, 'the amendment list of a submission');

    // The auditor's event log holds every step, attributed: made by Priya Sharma (India), accepted
    // and rejected by the drafter — the events the server derived from their edits.
    const auditor = await newPage(browser, server, { label: 'auditor', viewport: LAPTOP_VIEWPORT });
    await loginAs(auditor, 'auditor');
    await auditor.goto('/audit');
    await auditor.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await auditor.getByLabel('Stream', { exact: true }).fill(`proposal-${proposal.id}-suggestions`);
    await auditor.getByRole('button', { name: 'Apply filters' }).click();
    const story = await eventually(
      async () => {
        const rows = await auditor.locator('table tr.mat-mdc-row').evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
        );
        const has = (type: string, who: string) => rows.some((cells) => cells.includes(type) && cells.includes(who));
        return has('SuggestionMade', 'Priya Sharma (India)') && has('SuggestionAccepted', drafterName) && has('SuggestionRejected', drafterName) ? rows : null;
      },
      { what: 'the suggestion events in the audit log', timeoutMs: 20_000 },
    );
    expect(story.filter((cells) => cells.includes('SuggestionMade')).length).toBeGreaterThanOrEqual(2);
    await expectAccessible(auditor, 'the audit log of a proposal’s suggestions');

    await auditor.close();
    await delegate.close();
    await drafter.close();
  });
});
