/**
 * The editor survives real use: a drafter clicks into the middle of body paragraphs, list items,
 * headings and the last paragraph of the first demo proposal and types there. The editor stays
 * (never an empty host), each word lands in the block clicked, and the other drafter sees it all.
 */
import * as encoding from 'lib0/encoding';
import type { Browser, Locator, Page } from 'playwright-core';
import * as Y from 'yjs';
import {
  type ConcordServer,
  editorContent,
  editorText,
  eventually,
  expectAccessible,
  loginAs,
  newBrowser,
  newPage,
  ok,
  openProposal,
  openProposalAs,
  screenshot,
  startServer,
  waitForEditor,
} from './support';

// The first demo proposal: headings, paragraphs, a bulleted list, a last paragraph.
const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';

/** Clicks in the middle of `block` (its first line's middle when it wraps), scrolled into view. */
async function clickInside(page: Page, block: Locator): Promise<void> {
  await block.scrollIntoViewIfNeeded();
  const box = await block.boundingBox();
  if (!box) throw new Error('the block is not visible');
  const lineHeight = Math.min(box.height, 20);
  await page.mouse.click(box.x + box.width / 2, box.y + lineHeight / 2);
}

/** The editor is there, attached to its host and editable. */
async function expectLiveEditor(page: Page): Promise<void> {
  const host = page.locator('[data-testid="proposal-editor"] tiptap-editor');
  await expect(host.count()).resolves.toBe(1);
  await expect(host.locator('.ProseMirror[contenteditable="true"]').count()).resolves.toBe(1);
  await expect(editorContent(page).innerText()).resolves.not.toBe('');
}

/**
 * A y-websocket sync-update frame (message type 0, sync type 2) with a well-formed Yjs update that
 * writes a root type other than `content`: the server refuses it as invalid (PROTOCOL.md).
 */
function foreignRootUpdateFrame(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('settings').set('owner', 'me');
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  doc.destroy();
  return encoding.toUint8Array(encoder);
}

describe('the editor under real clicks', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('stays and types where clicked: body paragraphs, list items, headings, the last paragraph', async () => {
    const [amina, rohan] = await Promise.all([
      openProposalAs(browser, server, 'drafter1', TITLE),
      openProposalAs(browser, server, 'drafter2', TITLE),
    ]);
    const content = editorContent(amina);
    const targets: Array<{ what: string; block: () => Locator; word: string }> = [
      { what: 'the first body paragraph', block: () => content.locator(':scope > p').first(), word: 'ALPHA' },
      { what: 'a list item', block: () => content.locator('li').nth(1), word: 'BRAVO' },
      { what: 'a heading', block: () => content.locator('h2, h3').nth(1), word: 'CHARLIE' },
      { what: 'the first list item', block: () => content.locator('li').first(), word: 'DELTA' },
      { what: 'the last paragraph', block: () => content.locator(':scope > p').last(), word: 'ECHO' },
    ];

    for (const target of targets) {
      const before = (await target.block().innerText()).length;
      await clickInside(amina, target.block());
      await expectLiveEditor(amina);
      await amina.keyboard.type(` ${target.word} `, { delay: 15 });
      await expectLiveEditor(amina);
      const after = await target.block().innerText();
      expect({ what: target.what, contains: after.includes(target.word) }).toEqual({ what: target.what, contains: true });
      expect(after.length).toBeGreaterThan(before);
    }

    // Select a word with a double click and type over it; press Enter in the middle of a paragraph.
    await content.locator(':scope > p').first().dblclick();
    await amina.keyboard.type('FOXTROT', { delay: 15 });
    await clickInside(amina, content.locator(':scope > p').last());
    await amina.keyboard.press('Enter');
    await amina.keyboard.type('GOLF', { delay: 15 });
    await expectLiveEditor(amina);

    const words = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'GOLF'];
    const seen = await eventually(
      async () => {
        const text = await editorText(rohan);
        return words.every((word) => text.includes(word)) ? text : false;
      },
      { what: 'drafter2 sees every word drafter1 typed', timeoutMs: 15_000 },
    );
    expect(seen).toEqual(await editorText(amina));
    await expectLiveEditor(rohan);
  });

  it('stays on screen when the server refuses a change, then shows the recorded text, writable again', async () => {
    // The next update this page sends is swapped, on the wire, for one the server refuses as invalid;
    // what the server sends on the page's next connection is held until released.
    const amina = await newPage(browser, server, { label: 'drafter1 (refused change)' });
    let swapNextUpdate = false;
    let sockets = 0;
    let held: Array<string | Buffer> | null = null;
    let releaseHeld = () => undefined as void;
    await amina.routeWebSocket(/\/collab\//, (socket) => {
      const upstream = socket.connectToServer();
      if (++sockets === 2) {
        held = [];
        upstream.onMessage((message) => (held ? held.push(message) : socket.send(message)));
        releaseHeld = () => {
          const messages = held ?? [];
          held = null;
          for (const message of messages) socket.send(message);
        };
      }
      socket.onMessage((message) => {
        if (swapNextUpdate && typeof message !== 'string' && message[0] === 0 && message[1] === 2) {
          swapNextUpdate = false;
          upstream.send(Buffer.from(foreignRootUpdateFrame()));
          return;
        }
        upstream.send(message);
      });
    });
    await loginAs(amina, 'drafter1');
    const proposalId = await openProposal(amina, TITLE);
    const content = await waitForEditor(amina);
    const recordedBefore = await editorText(amina);

    // Every DOM change from here on: is the editor still there, did "Opening the document…" show?
    await amina.evaluate(() => {
      const seen = { withoutEditor: 0, opening: 0 };
      (window as unknown as { __editorWatch: typeof seen }).__editorWatch = seen;
      new MutationObserver(() => {
        if (!document.querySelector('[data-testid="proposal-editor"] .ProseMirror')) seen.withoutEditor++;
        if (document.querySelector('[data-testid="proposal-editor"] cc-loading-state')) seen.opening++;
      }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    });

    await clickInside(amina, content.locator(':scope > p').first());
    swapNextUpdate = true;
    await amina.keyboard.insertText('NEVERRECORDED');

    // The user is told at once. Until the recorded text arrives, the old one stays, read-only.
    const notice = amina.getByTestId('change-not-recorded');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Your last change was not recorded');
    await amina.getByTestId('restoring-note').waitFor();
    expect(await content.getAttribute('contenteditable')).toBe('false');
    expect(await editorText(amina)).toContain('NEVERRECORDED');
    await screenshot(amina, 'editor-restoring-recorded-text');
    await expectAccessible(amina, 'the editor while it loads the recorded text after a refused change');
    releaseHeld();

    // The recorded text is back, writable; the text they typed is kept aside.
    await amina.getByTestId('unrecorded-edits').waitFor();
    expect(await amina.getByTestId('unrecorded-edits').innerText()).toContain('NEVERRECORDED');
    await waitForEditor(amina);
    await eventually(async () => (await editorText(amina)) === recordedBefore, { what: 'the editor shows the recorded text again' });
    await expectLiveEditor(amina);
    const watch = await amina.evaluate(() => (window as unknown as { __editorWatch: { withoutEditor: number; opening: number } }).__editorWatch);
    expect(watch).toEqual({ withoutEditor: 0, opening: 0 });

    // Typing goes on and is recorded; the refused word never was.
    await clickInside(amina, content.locator(':scope > p').first());
    await amina.keyboard.type(' AFTERREFUSAL', { delay: 15 });
    const api = server.api(await server.login('drafter1'));
    await eventually(
      async () => {
        const { currentRevision } = ok(await api.get<{ currentRevision: number }>(`/api/proposals/${proposalId}`), 'proposal');
        const { text } = ok(await api.get<{ text: string }>(`/api/proposals/${proposalId}/revisions/${currentRevision}`), 'latest revision');
        return text.includes('AFTERREFUSAL') && !text.includes('NEVERRECORDED');
      },
      { what: 'the latest revision has the words typed after the refusal, not the refused ones' },
    );
  });

  it('is usable with the keyboard only: the toolbar is one tab stop, arrows move in it, shortcuts are announced', async () => {
    const amina = await openProposalAs(browser, server, 'drafter1', TITLE);
    const content = editorContent(amina);
    await content.locator(':scope > p').first().click();
    await amina.keyboard.press('End');
    await amina.keyboard.type(' KEYBOARD', { delay: 15 });
    await amina.keyboard.press('Shift+Home');

    // From the text, Shift+Tab reaches the toolbar (one stop), arrows move to Bold, Enter applies it.
    await amina.keyboard.press('Shift+Tab');
    const focused = () => amina.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    await expect(focused()).resolves.toBe('Heading 2');
    await amina.keyboard.press('ArrowRight');
    await amina.keyboard.press('ArrowRight');
    await expect(focused()).resolves.toBe('Bold');
    await amina.keyboard.press('Enter');
    await content.locator('strong', { hasText: 'KEYBOARD' }).waitFor();
    const bold = amina.getByRole('button', { name: 'Bold', exact: true });
    expect(await bold.getAttribute('aria-pressed')).toBe('true');
    expect(await bold.getAttribute('aria-keyshortcuts')).toBe('Ctrl+B');
    // Applying a format returns to the text; Shift+Tab comes back to the last button used.
    await expect(focused()).resolves.toBe('Proposal text');
    await amina.keyboard.press('Shift+Tab');
    await expect(focused()).resolves.toBe('Bold');
    await amina.keyboard.press('End');
    await expect(focused()).resolves.toBe('Suggest changes');
    await amina.keyboard.press('ArrowLeft');
    await expect(focused()).resolves.toBe('Redo');
    expect(await amina.getByRole('button', { name: 'Undo your last change' }).getAttribute('aria-keyshortcuts')).toBe('Control+Z');

    // Back in the text, Ctrl+Z undoes the bold.
    await content.focus();
    await amina.keyboard.press('Control+z');
    await eventually(async () => (await content.locator('strong', { hasText: 'KEYBOARD' }).count()) === 0, { what: 'Ctrl+Z undid the bold' });
    await expectLiveEditor(amina);
  });
});
