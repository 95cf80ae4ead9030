/**
 * The deliverable in the browser (issue 13): a drafter downloads a proposal as DOCX from its page,
 * checks it on the "Verify a document" page (reached from the top bar, by keyboard), then checks a
 * copy in which one numbered paragraph was changed and is told which one; from the history she
 * downloads the redline between two revisions and finds Word tracked changes by their authors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Browser, Download, Page } from 'playwright-core';
import {
  allowConsoleErrors,
  type ConcordServer,
  editorText,
  eventually,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  openProposalAs,
  screenshot,
  sessionToken,
  startServer,
  tempDir,
  typeAtEnd,
} from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';

async function downloadBy(page: Page, click: () => Promise<void>): Promise<{ download: Download; file: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(tempDir('concord-download-'), download.suggestedFilename());
  await download.saveAs(path);
  return { download, file: readFileSync(path) };
}

async function verifyOnPage(page: Page, name: string, file: Buffer): Promise<void> {
  await page.getByLabel('Document received (DOCX or PDF)').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: file });
  await page.getByRole('button', { name: 'Verify against the log' }).click();
  await page.getByTestId('verify-result').waitFor();
}

describe('documents out of Concord, in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('downloads a proposal as DOCX, verifies it, and names the paragraph changed in a copy', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    const exportSection = drafter.getByRole('region', { name: 'Export the current text' });
    await exportSection.getByRole('button', { name: 'Download DOCX' }).waitFor();
    const { download, file } = await downloadBy(drafter, () => exportSection.getByRole('button', { name: 'Download DOCX' }).click());
    expect(download.suggestedFilename()).toMatch(/^comprehensive-information-and-orientation-programme-across-the-migration-cycle-r\d+\.docx$/);
    await exportSection.getByText(/Downloaded .*\.docx\. The export is recorded in the log\./).waitFor();
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK');

    // The top bar's link, by keyboard.
    await drafter.getByRole('link', { name: 'Verify a document' }).focus();
    await drafter.keyboard.press('Enter');
    await drafter.waitForURL(/\/verify$/);
    await drafter.getByRole('heading', { level: 1, name: 'Verify a document' }).waitFor();
    await expectAccessible(drafter, 'the verify page');

    await verifyOnPage(drafter, download.suggestedFilename(), file);
    await drafter.getByRole('heading', { name: 'Matches the log' }).waitFor();
    expect(await drafter.getByTestId('verify-summary').textContent()).toContain('Every numbered paragraph reads as the log');
    await expectAccessible(drafter, 'a verified document');
    await screenshot(drafter, 'verify-document', { fullPage: true });

    // A copy in which someone changed the words of paragraph 2.
    const entries = unzipSync(file);
    const xml = strFromU8(entries['word/document.xml']);
    const start = xml.indexOf('w:name="cc_2"');
    expect(start).toBeGreaterThan(0);
    const afterTab = xml.indexOf('<w:tab/>', start);
    const open = /<w:t(?: [^>]*)?>/.exec(xml.slice(afterTab));
    const at = afterTab + (open?.index ?? 0) + (open?.[0].length ?? 0);
    entries['word/document.xml'] = strToU8(`${xml.slice(0, at)}Unilaterally, ${xml.slice(at)}`);
    await verifyOnPage(drafter, 'altered.docx', Buffer.from(zipSync(entries)));
    await drafter.getByRole('heading', { name: 'Does not match the log' }).waitFor();
    const differences = drafter.getByTestId('verify-differences');
    expect(await differences.locator('tbody th').allTextContents()).toEqual(['2']);
    expect(await differences.locator('tbody td').nth(2).textContent()).toContain('Unilaterally, ');
    expect(await drafter.getByTestId('verify-summary').textContent()).toContain('paragraph 2 (altered)');
    await expectAccessible(drafter, 'an altered document');
    await screenshot(drafter, 'verify-document-altered', { fullPage: true });

    // A file that is no document: the server's 400 (which the browser logs) and its reason shown.
    allowConsoleErrors(drafter, /status of 400 \(Bad Request\).*\/api\/documents\/verify/);
    await drafter.getByLabel('Document received (DOCX or PDF)').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await drafter.getByRole('button', { name: 'Verify against the log' }).click();
    await drafter.getByRole('alert').filter({ hasText: 'neither a DOCX nor a PDF' }).waitFor();
  });

  it('exports a sectioned submission after a proposal was moved, and the verify page accepts it', async () => {
    const page = await newPage(browser, server, { label: 'drafter1-submission' });
    await loginAs(page, 'drafter1');
    const response = await page.request.get('/api/submissions', { headers: { authorization: `Bearer ${await sessionToken(page)}` } });
    const [submission] = (await response.json()) as Array<{ id: string }>;
    await page.goto(`/submissions/${encodeURIComponent(submission.id)}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Move the information programme to the first guiding question with the keyboard controls' select.
    const select = page.getByRole('combobox', { name: new RegExp(`^Section of “${TITLE}”`) });
    await select.selectOption({ index: 0 });
    await page.getByRole('button', { name: `Move “${TITLE}” to the section chosen` }).click();
    await page.getByTestId('placement-status').filter({ hasText: 'section 1' }).waitFor({ state: 'attached' });

    const exportSection = page.getByRole('region', { name: 'Export the submission' });
    const { download, file } = await downloadBy(page, () => exportSection.getByRole('button', { name: 'Download DOCX' }).click());
    expect(download.suggestedFilename()).toMatch(/-current\.docx$/);
    const xml = strFromU8(unzipSync(file)['word/document.xml']);
    // Section 1 (the first guiding question) now holds the programme, numbered 1.1, 1.2, …
    expect(xml).toMatch(/<w:t[^>]*>1\. What tools and frameworks/);
    expect(xml).toContain('w:name="cc_1_1"');
    expect(xml).toContain('Annex: approval record');
    await expectAccessible(page, 'the submission page with its export controls');
    await screenshot(page, 'submission-export', { fullPage: true });

    await page.getByRole('link', { name: 'Verify a document' }).click();
    await page.waitForURL(/\/verify$/);
    await verifyOnPage(page, download.suggestedFilename(), file);
    await page.getByRole('heading', { name: 'Matches the log' }).waitFor();
  });

  it('starts a proposal from a Word document (the export of another), and its text is the first revision', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    const exportSection = drafter.getByRole('region', { name: 'Export the current text' });
    const { file } = await downloadBy(drafter, () => exportSection.getByRole('button', { name: 'Download DOCX' }).click());
    await drafter.getByRole('link', { name: 'Submission' }).click();
    await drafter.getByRole('button', { name: 'New proposal' }).click();
    const dialog = drafter.getByRole('dialog', { name: 'New proposal' });
    await dialog.getByLabel('Title').fill('Orientation programme, imported from Word');
    await dialog.getByRole('combobox', { name: 'Kind of practical approach' }).click();
    await drafter.getByRole('option', { name: 'Programme / project' }).click();
    await dialog.getByRole('combobox', { name: 'GCM objectives' }).click();
    await drafter.getByRole('option', { name: /^3 · / }).click();
    await drafter.keyboard.press('Escape');
    await dialog.getByLabel('Start from a Word document (optional)').setInputFiles({
      name: 'orientation.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: file,
    });
    await expectAccessible(drafter, 'the new proposal dialog with a Word file');
    await dialog.getByRole('button', { name: 'Import and create proposal' }).click();
    await drafter.getByRole('heading', { level: 1, name: 'Orientation programme, imported from Word' }).waitFor();
    await eventually(async () => (await editorText(drafter)).includes('free of charge to workers'), { what: "the Word document's text in the editor" });
    await drafter.getByRole('tab', { name: 'History' }).or(drafter.getByRole('link', { name: 'History' })).first().click();
    await drafter.getByText('imported from Word').first().waitFor();
  });

  it('downloads the redline between two revisions from the history, with Word tracked changes by their authors', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter2', TITLE);
    const before = Number(await drafter.getByTestId('current-revision').textContent());
    await typeAtEnd(drafter, ' Reviewed by the secretariat.');
    await eventually(async () => Number(await drafter.getByTestId('current-revision').textContent()) > before, { what: 'the edit recorded' });
    expect(await editorText(drafter)).toContain('Reviewed by the secretariat.');
    const after = Number(await drafter.getByTestId('current-revision').textContent());
    const proposalUrl = new URL(drafter.url());
    await drafter.goto(`${proposalUrl.pathname}/history?from=${before}&to=${after}`);
    const redline = drafter.getByRole('button', { name: 'Redline (DOCX, tracked changes)' });
    await redline.waitFor();
    const { download, file } = await downloadBy(drafter, () => redline.click());
    expect(download.suggestedFilename()).toMatch(new RegExp(`-changes-r${before}-r${after}\\.docx$`));
    const xml = strFromU8(unzipSync(file)['word/document.xml']);
    expect(xml).toMatch(/<w:ins [^>]*w:author="Rohan Perera"/);
    expect(xml).toContain('Reviewed by the secretariat.');
    await expectAccessible(drafter, 'the history with redline downloads');
  });
});
