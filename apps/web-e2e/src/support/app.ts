/**
 * Driving the Concord web app the way a person does: sign in through the form, open a proposal,
 * type into the collaborative editor.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { newPage } from './browser';
import { type ConcordServer, DEMO_PASSWORD, qualify } from './server';

/**
 * Signs in through the sign-in page as `email` (`drafter1` means drafter1@concord.demo) and waits
 * until the app has left it. Lands on `returnUrl` when given (an in-app path such as /proposals/x).
 */
export async function loginAs(page: Page, email: string, options: { password?: string; returnUrl?: string } = {}): Promise<void> {
  const target = options.returnUrl ? `/login?returnUrl=${encodeURIComponent(options.returnUrl)}` : '/login';
  await page.goto(target);
  await page.getByLabel('Email').fill(qualify(email));
  await page.getByLabel('Password', { exact: true }).fill(options.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

/**
 * An access token of the page's signed-in session. The app keeps its own in memory only, so this
 * refreshes through the page's HttpOnly cookie (the context's cookie jar is shared and rotated).
 */
export async function sessionToken(page: Page): Promise<string> {
  const response = await page.request.post('/api/auth/refresh');
  const token = response.ok() ? ((await response.json()) as { accessToken?: string }).accessToken : undefined;
  if (!token) throw new Error(`nobody is signed in on this page (POST /api/auth/refresh answered ${response.status()})`);
  return token;
}

/**
 * Opens the proposal titled `title` as the signed-in user (found among the proposals they may see;
 * pass `id` to go straight to /proposals/<id>, e.g. for one they may not see) and waits for its
 * heading. Returns the proposal id.
 */
export async function openProposal(page: Page, title: string, options: { id?: string } = {}): Promise<string> {
  let id = options.id;
  if (!id) {
    const response = await page.request.get('/api/proposals', { headers: { authorization: `Bearer ${await sessionToken(page)}` } });
    const list = (await response.json()) as Array<{ id: string; title: string }>;
    id = list.find((proposal) => proposal.title === title)?.id;
    if (!id) throw new Error(`the signed-in user sees no proposal titled "${title}" (${response.status()}: ${list.map((p) => p.title).join(', ')})`);
  }
  await page.goto(`/proposals/${encodeURIComponent(id)}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  return id;
}

/** The collaborative editor's editable area on the proposal page. */
export function editorContent(page: Page): Locator {
  return page.locator('[data-testid="proposal-editor"] .ProseMirror');
}

/**
 * Waits until the editor shows the document and its connection indicator is in `state`
 * (`connected`, `connecting`, `reconnecting`, `offline` or `refused`).
 */
export async function waitForEditor(page: Page, { state = 'connected', timeout = 15_000 }: { state?: string; timeout?: number } = {}): Promise<Locator> {
  const content = editorContent(page);
  await content.waitFor({ timeout });
  await page.locator(`[data-testid="connection-state"][data-state="${state}"]`).waitFor({ timeout });
  return content;
}

/** Clicks at the end of the document's last block and types `text` like a person. */
export async function typeAtEnd(page: Page, text: string, options: { delay?: number } = {}): Promise<void> {
  const content = editorContent(page);
  await content.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: options.delay ?? 10 });
}

/** The editor's plain text (one line per paragraph or heading), without other people's caret labels. */
export async function editorText(page: Page): Promise<string> {
  const text = await editorContent(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return Array.from(copy.querySelectorAll('p, h1, h2, h3, h4, h5, h6'), (block) => block.textContent ?? '').join('\n');
  });
  return text.replace(/\u00a0/g, ' ');
}

/** A new browser context signed in as `email`, on the proposal titled `title`, its editor ready. */
export async function openProposalAs(browser: Browser, server: ConcordServer, email: string, title: string): Promise<Page> {
  const page = await newPage(browser, server, { label: email });
  await loginAs(page, email);
  await openProposal(page, title);
  await waitForEditor(page);
  return page;
}

/** Drags the mouse over `phrase` in the editor, as a person selects words. */
export async function selectWords(page: Page, phrase: string): Promise<void> {
  const box = await editorContent(page).evaluate((root, words) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(words) ?? -1;
      if (at < 0) continue;
      (node.parentElement as HTMLElement).scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const rects = Array.from(range.getClientRects());
      const [first, last] = [rects[0], rects[rects.length - 1]];
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    }
    return null;
  }, phrase);
  if (!box) throw new Error(`"${phrase}" is not in the editor`);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move(box.x2, box.y2, { steps: 8 });
  await page.mouse.up();
}
