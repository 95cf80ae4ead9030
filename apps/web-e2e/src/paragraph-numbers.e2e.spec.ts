/**
 * Paragraph numbers in the editor (issue 13, point 2): a drafter opens a demo proposal placed under
 * a guiding question and sees each paragraph numbered as the submission's exports number it (4.1,
 * 4.2, sub-items 4.2(a)…), from `GET /api/submissions/:id/paragraphs`, by stable block id. A new
 * paragraph typed in the browser gets its own number, the paragraphs after it move on, and a
 * paragraph keeps its block id throughout; the numbers are not part of the text (copying or the
 * other drafter's view of the words is unchanged). axe-core finds nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, editorContent, editorText, eventually, expectAccessible, newBrowser, openProposalAs, screenshot, sessionToken, startServer } from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';

interface Paragraph {
  number: string;
  blockId: string | null;
  proposalId: string;
  text: string;
}

/** The numbers the editor shows, in document order, with the block each stands in. */
async function shownNumbers(page: Page): Promise<Array<{ number: string; blockId: string | null }>> {
  return editorContent(page)
    .locator('[data-testid="para-number"]')
    .evaluateAll((labels) =>
      labels.map((label) => ({
        number: (label as HTMLElement).dataset['number'] ?? '',
        // A list item's number stands inside its first paragraph: the item is the numbered block.
        blockId: (label.closest('li[data-id]') ?? label.closest('[data-id]'))?.getAttribute('data-id') ?? null,
      })),
    );
}

async function serverNumbers(page: Page, proposalId: string): Promise<Paragraph[]> {
  const headers = { authorization: `Bearer ${await sessionToken(page)}` };
  const detail = (await (await page.request.get(`/api/proposals/${proposalId}`, { headers })).json()) as { submissionId: string };
  const body = (await (await page.request.get(`/api/submissions/${detail.submissionId}/paragraphs`, { headers })).json()) as { paragraphs: Paragraph[] };
  return body.paragraphs.filter((paragraph) => paragraph.proposalId === proposalId);
}

describe('paragraph numbers in the editor', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('numbers each paragraph as the export does, by block id, and numbers a new paragraph once typed', async () => {
    const [amina, rohan] = await Promise.all([openProposalAs(browser, server, 'drafter1', TITLE), openProposalAs(browser, server, 'drafter2', TITLE)]);
    const proposalId = decodeURIComponent(new URL(amina.url()).pathname.split('/')[2]);
    const expected = await serverNumbers(amina, proposalId);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected[0].number).toMatch(/^\d+\.1$/);
    const shown = await eventually(async () => {
      const numbers = await shownNumbers(amina);
      return numbers.length === expected.length ? numbers : false;
    }, { what: 'every numbered paragraph shows its number' });
    expect(shown).toEqual(expected.map(({ number, blockId }) => ({ number, blockId })));
    // The numbers are drawn, not written: the text is the same for the other drafter.
    expect(await editorText(amina)).toBe(await editorText(rohan));
    expect(await editorText(amina)).not.toContain(expected[0].number);
    await expectAccessible(amina, 'the editor with paragraph numbers');
    await screenshot(amina, 'editor-paragraph-numbers');

    // A new paragraph after the first body paragraph: it gets the next number, the rest move on.
    const first = editorContent(amina).locator(':scope > p').first();
    const firstId = await first.getAttribute('data-id');
    await first.click();
    await amina.keyboard.press('End');
    await amina.keyboard.press('Enter');
    await amina.keyboard.type('A paragraph added in the browser.', { delay: 10 });
    const after = await eventually(async () => {
      const numbers = await shownNumbers(amina);
      return numbers.length === expected.length + 1 ? numbers : false;
    }, { what: 'the new paragraph numbered', timeoutMs: 15_000 });
    const added = editorContent(amina).locator('p', { hasText: 'A paragraph added in the browser.' });
    const addedId = await added.getAttribute('data-id');
    expect(addedId).toMatch(/^[0-9a-f-]{36}$/);
    expect(addedId).not.toBe(firstId);
    const firstNumber = expected.find((p) => p.blockId === firstId)?.number as string;
    const [section, index] = firstNumber.split('.').map(Number);
    expect(after.find((n) => n.blockId === addedId)?.number).toBe(`${section}.${index + 1}`);
    expect(after.find((n) => n.blockId === firstId)?.number).toBe(firstNumber);
    // Every paragraph that was there keeps its block id; the ones after the new one move on by one.
    expect(after.filter((n) => n.blockId !== addedId).map((n) => n.blockId)).toEqual(expected.map((p) => p.blockId));
    // The other drafter's editor numbers it too.
    await eventually(async () => (await shownNumbers(rohan)).some((n) => n.blockId === addedId), { what: 'drafter2 sees the new number', timeoutMs: 15_000 });
  });
});
