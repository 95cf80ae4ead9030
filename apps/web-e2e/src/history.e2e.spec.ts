/**
 * The auditor reads the history: editing sessions of two drafters, a comparison of two revisions
 * with both authors' colours in the legend, a revision with the comments at it (none here), and no
 * restore or approve controls — which the server refuses them anyway. The text is snapshotted
 * every 20 revisions, so the diffs start from history snapshots (deleted words kept in them).
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorContent,
  editorText,
  eventually,
  expectAccessible,
  newBrowser,
  openProposalAs,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

const TITLE = 'History: pre-departure orientation curriculum';

describe('history for an auditor', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    // A snapshot every 20 revisions: the comparisons below start from history snapshots taken inside
    // the sessions compared (one that lost Amina's word 'Orientation' would show no deletion).
    [server, browser] = await Promise.all([startServer({ env: { CHECKPOINT_EVERY: '20' } }), newBrowser()]);
    proposalId = (await createProposal(server, await server.login('drafter1'), { title: TITLE })).id;
  });

  const openAs = (email: string): Promise<Page> => openProposalAs(browser, server, email, TITLE);

  it('compares two revisions with both authors coloured, and offers the auditor no restore or approval', async () => {
    const [amina, rohan] = await Promise.all([openAs('drafter1'), openAs('drafter2')]);
    await typeAtEnd(amina, 'Orientation covers contracts, costs and complaint channels.');
    await eventually(async () => (await editorText(rohan)).includes('complaint channels.'), { what: "drafter2 has drafter1's text" });
    await editorContent(rohan).click();
    await rohan.keyboard.press('Control+End');
    await rohan.keyboard.press('Enter');
    await rohan.keyboard.type('Sessions are free of charge and held in the workers’ languages.', { delay: 5 });
    // …and rewrites Amina's first word.
    await rohan.keyboard.press('Control+Home');
    await rohan.keyboard.press('Control+Shift+ArrowRight');
    await rohan.keyboard.type('Pre-departure orientation', { delay: 5 });
    await eventually(async () => (await editorText(amina)).includes('Pre-departure orientation covers'), {
      what: "drafter1 has drafter2's text",
    });
    const auditorToken = await server.login('auditor');
    const current = await eventually(async () => {
      const detail = await server.proposal(auditorToken, proposalId);
      return detail.currentRevision > 60 ? detail.currentRevision : false;
    });

    const auditor = await openAs('auditor');
    await auditor.getByTestId('history-tab').click();
    await auditor.waitForURL(/\/history/);
    const sessions = auditor.getByTestId('timeline-session');
    await sessions.first().waitFor();
    // Newest first: Rohan's session, then Amina's.
    await expect(sessions.nth(0).innerText()).resolves.toContain('Rohan Perera');
    await expect(sessions.nth(1).innerText()).resolves.toContain('Amina Rahman');

    // Compare the empty start with the current text.
    const form = auditor.getByTestId('compare-form');
    await form.getByLabel('From revision').fill('0');
    await form.getByLabel('To revision').fill(String(current));
    await form.getByRole('button', { name: 'Compare' }).click();
    await auditor.waitForURL(new RegExp(`from=0&to=${current}`));
    const legend = auditor.getByTestId('diff-legend');
    await legend.waitFor();
    const authors = legend.getByTestId('legend-author');
    await expect(authors.count()).resolves.toBe(2);
    const entries = await authors.evaluateAll((items) =>
      items.map((item) => ({
        name: item.textContent ?? '',
        color: item.getAttribute('data-color'),
        swatch: getComputedStyle(item.querySelector('.cc-swatch') as Element).backgroundColor,
        userId: item.getAttribute('data-user-id'),
      })),
    );
    expect(entries.map((entry) => entry.name).join(' ')).toMatch(/Amina Rahman.*Rohan Perera|Rohan Perera.*Amina Rahman/s);
    expect(entries[0].color).not.toBe(entries[1].color);
    for (const entry of entries) {
      // The inserted text is underlined in its author's colour, the same as the swatch.
      const insertion = auditor.getByTestId('diff').locator(`ins[data-author="${entry.userId}"]`).first();
      await expect(insertion.evaluate((el) => getComputedStyle(el).borderBottomColor)).resolves.toBe(entry.swatch);
    }

    // What Rohan's session changed: his insertions, and the deletion of Amina's word, each in its author's colour.
    await sessions.nth(0).getByRole('link', { name: /^Changes by Rohan Perera/ }).click();
    await auditor.waitForURL(/from=\d+&to=\d+/);
    const diff = auditor.getByTestId('diff');
    await diff.locator('del', { hasText: 'Orientation' }).waitFor();
    const deletion = diff.locator('del').first();
    const aminaEntry = entries.find((entry) => entry.name.includes('Amina Rahman'));
    await expect(deletion.evaluate((el) => getComputedStyle(el).color)).resolves.toBe(aminaEntry?.swatch);
    await expect(legend.getByTestId('legend-author').count()).resolves.toBe(2);
    await screenshot(auditor, 'history-diff');
    await expectAccessible(auditor, 'the history panel with a diff');

    // Opening a revision: read-only text, no restore, no naming, no approval for an auditor.
    await sessions.nth(1).getByRole('link', { name: /^Read revision/ }).click();
    await auditor.getByTestId('revision-view').locator('.cc-prose').waitFor();
    await expect(auditor.getByTestId('revision-hash').innerText()).resolves.toMatch(/^[0-9a-f]{64}$/);
    // Nobody commented on this proposal: the threads beside the text say so.
    await auditor.getByTestId('revision-threads').getByText('No comments at this revision.').waitFor();
    await expectAccessible(auditor, 'a revision opened from the history');
    await expect(auditor.getByRole('button', { name: /Restore/ }).count()).resolves.toBe(0);
    await expect(auditor.getByRole('button', { name: /Name this version/ }).count()).resolves.toBe(0);
    await expect(auditor.getByRole('button', { name: /Approve/ }).count()).resolves.toBe(0);

    // The server refuses them too.
    const api = server.api(auditorToken);
    const restore = await api.post(`/api/proposals/${proposalId}/restore`, { revision: 1 });
    const approve = await api.post(`/api/proposals/${proposalId}/approvals`, { revision: current });
    const name = await api.post(`/api/proposals/${proposalId}/versions`, { revision: 1, label: 'Auditor label' });
    expect([restore.status, approve.status, name.status]).toEqual([403, 403, 403]);
  });
});
