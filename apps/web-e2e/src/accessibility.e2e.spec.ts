/**
 * WCAG 2.1 AA on the pages the other browser tests do not stop at (sign-in, dashboard, submission,
 * the link dialog), and a drafter's main flow done with the keyboard only: sign in, open a
 * proposal, type, make a word bold from the toolbar, send the revision for review — every stop
 * with a visible focus indicator.
 *
 * axe-core also runs in the other browser tests on every page and state they reach (proposal page,
 * approval dialog, history, audit, no-access, read-only editor, unrecorded edits, size-limit alert).
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorContent,
  eventually,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  openProposalAs,
  qualify,
  DEMO_PASSWORD,
  startServer,
  waitForEditor,
} from './support';

const KEYBOARD_TITLE = 'Keyboard: consular support for workers in distress';
const LINK_TITLE = 'Link dialog: complaint channels';

/** What has the focus: its accessible name (aria-label, label or text), tag and role. */
interface Focused {
  name: string;
  tag: string;
  role: string | null;
  /** A focus indicator is drawn: an outline, a box shadow, a Material focus ring or a focused form field. */
  visible: boolean;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: '', tag: 'body', role: null, visible: false };
    const labelledBy = element.getAttribute('aria-labelledby');
    const name =
      element.getAttribute('aria-label') ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
      (element as HTMLInputElement).labels?.[0]?.textContent ??
      element.textContent ??
      '';
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    // Material draws its focus ring as the ::before of the host or of a .mat-focus-indicator inside it.
    const materialRing = [element, ...Array.from(element.querySelectorAll('.mat-focus-indicator'))].some((candidate) => {
      const ring = getComputedStyle(candidate, '::before');
      return ring.display !== 'none' && ring.content !== 'none' && parseFloat(ring.borderTopWidth) > 0 && ring.borderTopStyle !== 'none';
    });
    const formField = !!element.closest('.mat-mdc-form-field.mat-focused');
    return {
      name: name.replace(/\s+/g, ' ').trim(),
      tag: element.tagName.toLowerCase(),
      role: element.getAttribute('role'),
      visible: outline || shadow || materialRing || formField,
    };
  });
}

/**
 * Presses Tab (Shift+Tab when `backwards`) until the focused element's name matches `name`;
 * every element passed on the way must show where the focus is. Fails after `max` presses.
 */
async function tabTo(page: Page, name: RegExp, { max = 40, backwards = false } = {}): Promise<Focused> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    stops.push(`${now.tag}${now.role ? `[${now.role}]` : ''} "${now.name.slice(0, 60)}"${now.visible ? '' : ' (NO VISIBLE FOCUS)'}`);
    if (now.tag !== 'body' && !now.visible) throw new Error(`focus is not visible on ${stops.at(-1)}; stops so far:\n  ${stops.join('\n  ')}`);
    if (name.test(now.name)) return now;
  }
  throw new Error(`${name} was not reached in ${max} Tab presses; stops:\n  ${stops.join('\n  ')}`);
}

describe('accessibility (axe-core, WCAG 2.1 AA) and the keyboard', () => {
  let server: ConcordServer;
  let browser: Browser;
  let keyboardProposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    const token = await server.login('drafter1');
    keyboardProposalId = (await createProposal(server, token, { title: KEYBOARD_TITLE })).id;
    await createProposal(server, token, { title: LINK_TITLE });
  });

  it('finds no violation on the sign-in page, the dashboard and a submission page', async () => {
    const page = await newPage(browser, server, { label: 'chair' });
    await page.goto('/login');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(page, 'the sign-in page');

    await loginAs(page, 'chair');
    await page.getByRole('heading', { level: 1, name: 'My workspaces' }).waitFor();
    await page.locator('.cc-submission__title').first().waitFor();
    await expectAccessible(page, 'the dashboard of the chair');

    await page.locator('.cc-submission__title').first().click();
    await page.waitForURL(/\/submissions\//);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('link', { name: KEYBOARD_TITLE }).waitFor();
    await expectAccessible(page, 'a submission page');
  });

  it('finds no violation in the link dialog', async () => {
    const page = await openProposalAs(browser, server, 'drafter1', LINK_TITLE);
    await editorContent(page).click();
    await page.keyboard.type('Complaint channels', { delay: 5 });
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Web address').waitFor();
    await expectAccessible(page, 'the link dialog');
    // Apply with an invalid address: the error message is shown and must be accessible too.
    await dialog.getByLabel('Web address').fill('not an address');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByText('Enter an address starting with').waitFor();
    await expectAccessible(page, 'the link dialog with an invalid address');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it("completes a drafter's main flow with the keyboard only, the focus always visible", async () => {
    const page = await newPage(browser, server, { label: 'drafter1-keyboard' });
    await page.goto('/login');
    await page.getByRole('heading', { level: 1 }).waitFor();

    // Sign in: Tab to the fields, type, Enter.
    await tabTo(page, /^Email/);
    await page.keyboard.type(qualify('drafter1'));
    await tabTo(page, /^Password/);
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My workspaces' }).waitFor();

    // Dashboard → the submission → the proposal, following links with Tab and Enter.
    const submission = await server.proposal(await server.login('drafter1'), keyboardProposalId);
    const submissionTitle = (
      await server.api(await server.login('drafter1')).get<{ title: string }>(`/api/submissions/${submission.submissionId}`)
    ).body.title;
    await page.locator('.cc-submission__title').first().waitFor();
    await tabTo(page, new RegExp(`^${escape(submissionTitle)}$`), { max: 60 });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/submissions\//);
    await page.getByRole('link', { name: KEYBOARD_TITLE }).waitFor();
    await tabTo(page, new RegExp(`^${escape(KEYBOARD_TITLE)}$`), { max: 60 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: KEYBOARD_TITLE }).waitFor();
    const content = await waitForEditor(page);

    // Into the text, type a sentence and select it.
    await tabTo(page, /^Proposal text$/);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Consulates answer within one day.', { delay: 5 });
    await page.keyboard.press('Shift+Home');

    // Shift+Tab to the toolbar (one stop), arrows to Bold, Enter.
    await tabTo(page, /^Heading 2$/, { backwards: true, max: 1 });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(focused(page)).resolves.toMatchObject({ name: 'Bold', visible: true });
    await page.keyboard.press('Enter');
    await content.locator('strong', { hasText: 'Consulates answer within one day.' }).waitFor();

    // Send the current revision for review: Tab from the text to the button, Enter.
    await eventually(async () => (await server.proposal(await server.login('drafter1'), keyboardProposalId)).currentRevision > 0, {
      what: 'the typing is recorded',
    });
    await content.focus();
    await tabTo(page, /^Send revision \d+ for review$/, { max: 30 });
    await page.keyboard.press('Enter');
    await page.locator('cc-status-chip', { hasText: 'In review' }).waitFor();
    const sent = await server.proposal(await server.login('drafter1'), keyboardProposalId);
    expect(sent.status).toBe('in_review');
    await expectAccessible(page, 'the proposal page after sending for review');
  });
});

/** `text` as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
