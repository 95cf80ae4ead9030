/**
 * A long proposal (about 15,000 words, over 30 pages) in the editor: it loads, scrolls, and typing
 * at its end lands. The time from each keypress to the editor's DOM update is measured and printed
 * (a figure for the README, not an assertion: timing depends on the machine).
 */
import type { Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorContent,
  editorText,
  eventually,
  newBrowser,
  openProposalAs,
  startServer,
} from './support';

const TITLE = 'Long proposal: a thirty-page programme document';
const WORDS_PER_PARAGRAPH = 50;
const PARAGRAPHS = 300; // 15,000 words, about 30 pages at 500 words a page

function longHtml(): string {
  const words = 'migrant workers recruitment fees contract orientation consular support employer obligations review'.split(' ');
  const paragraphs: string[] = [];
  for (let p = 0; p < PARAGRAPHS; p++) {
    const text = Array.from({ length: WORDS_PER_PARAGRAPH }, (_, w) => words[(p + w) % words.length]).join(' ');
    paragraphs.push(p % 20 === 0 ? `<h2>Section ${p / 20 + 1}</h2><p>${text}.</p>` : `<p>${text}.</p>`);
  }
  return paragraphs.join('');
}

async function paste(page: Page, html: string): Promise<void> {
  await editorContent(page).evaluate((element, data) => {
    const clipboard = new DataTransfer();
    clipboard.setData('text/html', data);
    clipboard.setData('text/plain', 'long');
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, html);
}

describe('a long proposal', () => {
  let server: ConcordServer;

  beforeAll(async () => {
    server = await startServer();
    await createProposal(server, await server.login('drafter1'), { title: TITLE });
  });

  it('takes 50 keystrokes at the end of a 30-page document, each shown promptly (figures printed)', async () => {
    const browser = await newBrowser();
    const amina = await openProposalAs(browser, server, 'drafter1', TITLE);
    await editorContent(amina).click();
    await amina.keyboard.press('Control+a');
    await paste(amina, longHtml());
    await eventually(async () => (await editorContent(amina).locator('p').count()) >= PARAGRAPHS, { what: 'the long text is in', timeoutMs: 30_000 });
    await eventually(async () => Number((await amina.getByTestId('word-count').innerText()).replace(/\D/g, '')) >= 15_000, {
      what: 'the word count follows',
    });

    // Scroll through it, then measure typing at the end.
    await editorContent(amina).click();
    await amina.keyboard.press('Control+End');
    await amina.evaluate(() => {
      const element = document.querySelector('[data-testid="proposal-editor"] .ProseMirror') as HTMLElement;
      const samples: number[] = [];
      let pressed = 0;
      element.addEventListener('keydown', () => (pressed = performance.now()), true);
      new MutationObserver(() => {
        if (pressed) {
          samples.push(performance.now() - pressed);
          pressed = 0;
        }
      }).observe(element, { childList: true, characterData: true, subtree: true });
      (window as unknown as { keySamples: number[] }).keySamples = samples;
    });
    const typed = 'Fifty keystrokes typed at the very end of the text'; // 50 characters
    expect(typed).toHaveLength(50);
    for (const key of typed) {
      await amina.keyboard.type(key);
    }
    const samples = await amina.evaluate(() => (window as unknown as { keySamples: number[] }).keySamples);
    await eventually(async () => (await editorText(amina)).endsWith(`${typed}`), { what: 'every keystroke landed' });
    expect(samples.length).toBeGreaterThanOrEqual(45);
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
    const words = await amina.getByTestId('word-count').innerText();
    process.stdout.write(
      `\n[long-document] ${words}, ${PARAGRAPHS} paragraphs: keypress → DOM update over ${samples.length} keystrokes: ` +
        `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms\n`,
    );
  });
});
