/**
 * Randomised, in Chromium against the real server: Enter, Shift+Enter, Backspace, Delete, Tab and
 * every formatting command of the toolbar on random selections — carets, ranges inside a block and
 * ranges across quotes, lists and headings — of random documents made of what the toolbar makes.
 * Nothing may throw (an exception in a key handler is an edit silently not made, and an error on the
 * console), every document stays one the schema accepts, and the server records what the editor shows.
 *
 * It found Tiptap's Enter over a selection spanning blocks (EnterOverSelection) and a frozen tab
 * (an empty heading and an empty list item, both selected, then Quote: Tiptap's clearDocument rule and
 * UniqueID answered each other forever — BlockIds in collaborative-editor.ts). The same loop runs
 * faster under jsdom (editor-keys.fuzz.spec.ts); here the DOM, the keys' handlers and the record are real.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, createProposal, editorSnapshot, eventually, latestRevision, newBrowser, openProposalAs, sessionToken, startServer } from './support';

const TITLE = 'Editor: keys and commands on random selections';
const SEED = Number(process.env['EDITOR_FUZZ_SEED'] ?? 20261207);
const ROUNDS = Number(process.env['EDITOR_FUZZ_ROUNDS'] ?? 1500);

interface FuzzResult {
  failures: string[];
  counts: Record<string, number>;
  crossBlock: number;
}

/**
 * Runs in the page: the editor is Tiptap's, kept on its element. Self-contained (the page cannot
 * import), so the seeded generator and the document maker repeat editor-keys.fuzz.spec.ts's.
 */
function fuzz({ seed, rounds }: { seed: number; rounds: number }): FuzzResult {
  type Editor = {
    state: { doc: ProseNode; selection: { from: number; to: number; $from: { sameParent(other: unknown): boolean }; $to: unknown } };
    view: { someProp(name: string, f: (handler: (view: unknown, event: KeyboardEvent) => boolean) => boolean | void): void };
    chain(): Record<string, (...args: unknown[]) => ReturnType<Editor['chain']>> & { run(): boolean };
    commands: Record<string, (...args: unknown[]) => boolean>;
  };
  type ProseNode = { content: { size: number }; check(): void; childCount: number; resolve(position: number): { parent: { inlineContent: boolean } } };
  const editor = (document.querySelector('[data-testid="proposal-editor"] .ProseMirror') as HTMLElement & { editor: Editor }).editor;
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = ['workers', 'fees', 'recruitment', 'States', 'of', 'the', 'ہجرت', '移民', 'naïve', '🙂'];
  const text = () => (next() < 0.25 ? '' : Array.from({ length: 1 + Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(' '));
  const paragraph = () => `<p>${next() < 0.3 ? `<strong>${text()}</strong> ` : ''}${text()}</p>`;
  const list = (depth: number): string => {
    const tag = next() < 0.5 ? 'ul' : 'ol';
    const items = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `<li>${paragraph()}${depth < 2 && next() < 0.3 ? list(depth + 1) : ''}</li>`);
    return `<${tag}>${items.join('')}</${tag}>`;
  };
  const block = (): string => {
    const kind = next();
    if (kind < 0.35) return paragraph();
    if (kind < 0.5) {
      const level = next() < 0.5 ? 2 : 3;
      return `<h${level}>${text()}</h${level}>`;
    }
    if (kind < 0.7) return `<blockquote>${paragraph()}${next() < 0.5 ? paragraph() : ''}${next() < 0.3 ? list(1) : ''}</blockquote>`;
    return list(0);
  };
  const press = (key: string, shiftKey = false) => {
    const event = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
    editor.view.someProp('handleKeyDown', (handler) => handler(editor.view, event));
  };
  const actions: Array<[string, () => unknown]> = [
    ['Enter', () => press('Enter')],
    ['Shift+Enter', () => press('Enter', true)],
    ['Backspace', () => press('Backspace')],
    ['Delete', () => press('Delete')],
    ['Tab', () => press('Tab')],
    ['Shift+Tab', () => press('Tab', true)],
    ['Bulleted list', () => editor.chain().toggleBulletList().run()],
    ['Numbered list', () => editor.chain().toggleOrderedList().run()],
    ['Quote', () => editor.chain().toggleBlockquote().run()],
    ['Heading 2', () => editor.chain().toggleHeading({ level: 2 }).run()],
    ['Heading 3', () => editor.chain().toggleHeading({ level: 3 }).run()],
    ['Bold', () => editor.chain().toggleBold().run()],
    ['Italic', () => editor.chain().toggleItalic().run()],
    ['type', () => editor.commands['insertContent']('x')],
  ];
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  let crossBlock = 0;
  for (let round = 0; round < rounds && failures.length < 5; round++) {
    if (round % 30 === 0) editor.commands['setContent'](Array.from({ length: 2 + Math.floor(next() * 6) }, block).join(''), { emitUpdate: true });
    const size = editor.state.doc.content.size;
    // Where a person can put the caret: inside a block of text (ProseMirror never leaves a text
    // caret between blocks), found from a random position.
    const inText = (position: number) => {
      for (let p = Math.min(size, Math.max(0, position)), tries = 0; tries < size + 1; tries++, p = (p + 1) % (size + 1)) {
        if (editor.state.doc.resolve(p).parent.inlineContent) return p;
      }
      return 1;
    };
    const anchor = inText(Math.floor(next() * (size + 1)));
    const head = next() < 0.3 ? anchor : inText(next() < 0.6 ? anchor + Math.floor(next() * 12) : Math.floor(next() * (size + 1)));
    const [name, act] = actions[Math.floor(next() * actions.length)];
    editor.commands['setTextSelection']({ from: Math.min(anchor, head), to: Math.max(anchor, head) });
    const { from, to } = editor.state.selection;
    const before = (editor as unknown as { getHTML(): string }).getHTML();
    if (!editor.state.selection.$from.sameParent(editor.state.selection.$to)) crossBlock++;
    counts[name] = (counts[name] ?? 0) + 1;
    if ((globalThis as { fuzzTrace?: boolean }).fuzzTrace) console.log(`FUZZ ${round} ${name} ${from}-${to} ${before}`);
    try {
      act();
      editor.state.doc.check();
    } catch (error) {
      failures.push(`round ${round}: ${name} over ${from}–${to}: ${String(error)}\n    in ${before.replace(/ data-id="[^"]*"/g, '')}`);
    }
  }
  return { failures, counts, crossBlock };
}

describe('the editor under random keys and commands', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    const token = await server.login('drafter1');
    proposalId = (await createProposal(server, token, { title: TITLE })).id;
  });

  it(`never throws, keeps a valid document, and the server records what the editor shows (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    const page: Page = await openProposalAs(browser, server, 'drafter1', TITLE);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text().slice(0, 500));
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error).slice(0, 500)));

    let lastTrace = '';
    if (process.env['EDITOR_FUZZ_TRACE']) {
      await page.evaluate(() => ((globalThis as { fuzzTrace?: boolean }).fuzzTrace = true));
      page.on('console', (message) => {
        if (message.text().startsWith('FUZZ ')) lastTrace = message.text();
      });
      setInterval(() => process.stdout.write(`[trace] ${lastTrace.slice(0, 2000)}\n`), 5000).unref();
    }
    const result = await page.evaluate(fuzz, { seed: SEED, rounds: ROUNDS });
    process.stdout.write(`[editor fuzz] seed ${SEED}: ${JSON.stringify(result.counts)}, ${result.crossBlock} over a selection across blocks\n`);
    expect(result.failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // Every action was tried, and a good share of them over selections across blocks.
    expect(Object.keys(result.counts).length).toBe(14);
    expect(result.crossBlock).toBeGreaterThan(ROUNDS / 10);

    // All of it reached the record: the latest revision's text is the editor's.
    const api = server.api(await sessionToken(page));
    let last = { editor: '', recorded: '' };
    await eventually(
      async () => {
        last = { editor: (await editorSnapshot(page)).text, recorded: (await latestRevision(api, proposalId)).text };
        return last.editor === last.recorded;
      },
      { what: 'the recorded text equals the editor’s', timeoutMs: 20_000 },
    ).catch((error) => {
      throw new Error(`${String(error)}\neditor:   ${JSON.stringify(last.editor.slice(0, 400))}\nrecorded: ${JSON.stringify(last.recorded.slice(0, 400))}`);
    });
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
