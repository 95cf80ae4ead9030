/**
 * The editor under real use, in Chromium against the real server: undo and redo take back only
 * one's own changes (two drafters), pasted rich HTML is kept to the schema, and a paste over the
 * limit is refused with a message while later typing still reaches the record.
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
  sessionToken,
  startServer,
  typeAtEnd,
} from './support';

const UNDO_TITLE = 'Editor: undo and redo of one\u2019s own changes';
const PASTE_TITLE = 'Editor: rich and oversized pastes';

/** Pastes as the browser does: a paste event carrying the clipboard's HTML and text. */
async function paste(page: Page, { html, text }: { html?: string; text: string }): Promise<void> {
  await editorContent(page).evaluate(
    (element, data) => {
      const clipboard = new DataTransfer();
      if (data.html) clipboard.setData('text/html', data.html);
      clipboard.setData('text/plain', data.text);
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    },
    { html, text },
  );
}

/** The text of the proposal's latest recorded revision, from the REST API. */
async function latestRecordedText(server: ConcordServer, page: Page, proposalId: string): Promise<string> {
  const api = server.api(await sessionToken(page));
  const detail = (await api.get<{ currentRevision: number }>(`/api/proposals/${proposalId}`)).body;
  return (await api.get<{ text: string }>(`/api/proposals/${proposalId}/revisions/${detail.currentRevision}`)).body.text;
}

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";font-size:12pt}</style></head>
<body lang=EN-GB style='tab-interval:36.0pt'><!--StartFragment-->
<h1 class=MsoTitle style='mso-outline-level:1'><span style='font-family:"Calibri Light"'>Pasted from Word</span></h1>
<p class=MsoNormal style='margin:0cm'><span style='font-size:11.0pt;color:#2F5496'>Plain, <b style='mso-bidi-font-weight:normal'>bold words</b>, <span style='font-style:italic'>italic words</span>, <u>underlined</u>, <font face="Arial" color="red">font text</font> and <a href="https://example.org/report" class=MsoHyperlink style='color:blue' title="t">a link</a>.<o:p></o:p></span></p>
<ul type=disc><li class=MsoNormal style='mso-list:l0 level1 lfo1'><span style='font-size:11pt'>First pasted point</span></li><li class=MsoNormal>Second <s>pasted</s> point</li></ul>
<!--EndFragment--></body></html>`;

describe('the editor: undo, redo and paste', () => {
  let server: ConcordServer;
  let browser: Browser;
  let pasteProposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    const token = await server.login('drafter1');
    await createProposal(server, token, { title: UNDO_TITLE });
    pasteProposalId = (await createProposal(server, token, { title: PASTE_TITLE })).id;
  });

  it("undoes and redoes only one's own changes, with the keyboard and the toolbar", async () => {
    const [amina, rohan] = await Promise.all([
      openProposalAs(browser, server, 'drafter1', UNDO_TITLE),
      openProposalAs(browser, server, 'drafter2', UNDO_TITLE),
    ]);
    await typeAtEnd(amina, ' AMINA-ONE');
    await eventually(async () => (await editorText(rohan)).includes('AMINA-ONE'), { what: 'drafter2 sees AMINA-ONE' });
    await typeAtEnd(rohan, ' ROHAN-ONE');
    await eventually(async () => (await editorText(amina)).includes('ROHAN-ONE'), { what: 'drafter1 sees ROHAN-ONE' });

    // Ctrl+Z in Amina's editor takes back her words only, on both screens.
    await editorContent(amina).focus();
    await amina.keyboard.press('Control+z');
    for (const page of [amina, rohan]) {
      await eventually(async () => {
        const text = await editorText(page);
        return !text.includes('AMINA-ONE') && text.includes('ROHAN-ONE');
      }, { what: 'undo removed only drafter1\u2019s text' });
    }

    // Ctrl+Shift+Z brings it back; the toolbar's Undo and then Ctrl+Y do the same.
    await amina.keyboard.press('Control+Shift+z');
    await eventually(async () => (await editorText(rohan)).includes('AMINA-ONE'), { what: 'redo (Ctrl+Shift+Z) reached drafter2' });
    await amina.getByRole('button', { name: 'Undo your last change' }).click();
    await eventually(async () => !(await editorText(rohan)).includes('AMINA-ONE'), { what: 'toolbar undo reached drafter2' });
    await editorContent(amina).focus();
    await amina.keyboard.press('Control+y');
    await eventually(async () => (await editorText(rohan)).includes('AMINA-ONE'), { what: 'redo (Ctrl+Y) reached drafter2' });
    expect(await editorText(rohan)).toContain('ROHAN-ONE');

    // Rohan's undo leaves Amina's text alone.
    await editorContent(rohan).focus();
    await rohan.keyboard.press('Control+z');
    await eventually(async () => {
      const text = await editorText(amina);
      return text.includes('AMINA-ONE') && !text.includes('ROHAN-ONE');
    }, { what: 'drafter2\u2019s undo removed only his text' });
  });

  it('keeps pasted Word HTML to the schema, and refuses an oversized paste with a message', async () => {
    const [amina, rohan] = await Promise.all([
      openProposalAs(browser, server, 'drafter1', PASTE_TITLE),
      openProposalAs(browser, server, 'drafter2', PASTE_TITLE),
    ]);
    // Into a new, empty paragraph at the end (pasted into a word, a heading would merge into its paragraph).
    await typeAtEnd(amina, '');
    await amina.keyboard.press('Enter');
    await paste(amina, { html: WORD_HTML, text: 'Pasted from Word' });
    await screenshot(amina, 'editor-rich-paste');

    const content = editorContent(amina);
    await content.locator('h2', { hasText: 'Pasted from Word' }).waitFor();
    await content.locator('strong', { hasText: 'bold words' }).waitFor();
    await content.locator('em', { hasText: 'italic words' }).waitFor();
    await content.locator('li', { hasText: 'First pasted point' }).waitFor();
    expect(await content.locator('a', { hasText: 'a link' }).getAttribute('href')).toBe('https://example.org/report');
    const html = await content.innerHTML();
    expect(html).not.toMatch(/style=|<span(?! class="collaboration)|<font|<u>|<s>|mso|MsoNormal|title=/);
    await eventually(async () => (await editorText(rohan)).includes('First pasted point'), { what: 'drafter2 sees the paste' });

    // A long document pasted at once: refused before it enters the document, with a message.
    const before = await editorText(amina);
    const huge = 'An exceedingly long pasted report paragraph. '.repeat(16_000); // ~720 kB
    await paste(amina, { text: huge, html: `<p>${huge}</p>` });
    const alert = amina.getByTestId('change-refused');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.innerText()).toMatch(/too large .*at most 512 KB/);
    expect(await editorText(amina)).toBe(before);
    await screenshot(amina, 'editor-oversized-paste-refused');
    await expectAccessible(amina, 'the editor with the size-limit alert');

    // Typing afterwards is still recorded: the other drafter and the latest revision have it.
    await typeAtEnd(amina, ' Typed after the refused paste.');
    await eventually(async () => (await editorText(rohan)).includes('Typed after the refused paste.'), {
      what: 'drafter2 sees the later typing',
    });
    await eventually(async () => (await latestRecordedText(server, amina, pasteProposalId)).includes('Typed after the refused paste.'), {
      what: 'the latest revision holds the later typing',
      timeoutMs: 15_000,
    });
    expect(await latestRecordedText(server, amina, pasteProposalId)).not.toContain('exceedingly long');
    await expect(amina.locator('[data-testid="connection-state"][data-state="connected"]').count()).resolves.toBe(1);
  });
});
