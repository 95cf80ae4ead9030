/**
 * The editor monkey: several people, each in their own browser context, perform random REAL user
 * actions (mouse clicks at random points of random blocks, range selections, typing, deleting,
 * Enter, every toolbar button, undo/redo, pastes small, rich and oversized) on one proposal,
 * driven by a seeded generator so that a failure replays from its printed seed.
 *
 * The plan of each burst (who does what, with which random numbers) is drawn before the burst
 * runs, so it depends only on the seed; what an action hits depends on the page at that moment
 * (the other person's edits arrive over the network), so a replay follows the same plan but not
 * always the same keystroke timing.
 *
 * After every burst the run waits (bounded) until both editors are connected with nothing
 * unsynced, then checks: every editor exists and is editable, all show the same text, and that
 * text is the text of the latest revision the REST API returns.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sleep } from './lifecycle';
import { Random } from './random';
import type { ApiClient } from './server';

/** What the web editor refuses to take in one paste or edit (the integrator's decision for #8). */
export const CLIENT_UPDATE_LIMIT_BYTES = 512 * 1024;
/** The toolbar's suggestion-mode toggle (not pressed by this monkey). */
const SUGGEST_TOGGLE = 'Suggest changes';
const UNDO = 'Undo your last change';
const REDO = 'Redo';

export type MonkeyActionKind =
  | 'click'
  | 'shift-click'
  | 'double-click'
  | 'arrows'
  | 'shift-arrows'
  | 'type'
  | 'backspace'
  | 'delete'
  | 'enter'
  | 'toolbar'
  | 'undo'
  | 'redo'
  | 'paste-plain'
  | 'paste-rich'
  | 'paste-oversized';

/** How often each action is drawn (relative weights). */
export const ACTION_WEIGHTS: Readonly<Record<MonkeyActionKind, number>> = {
  click: 13,
  'shift-click': 5,
  'double-click': 5,
  arrows: 6,
  'shift-arrows': 6,
  type: 20,
  backspace: 7,
  delete: 5,
  enter: 6,
  toolbar: 11,
  undo: 5,
  redo: 3,
  'paste-plain': 3,
  'paste-rich': 3,
  'paste-oversized': 2,
};

/** Where a click lands: a random point inside a random block of this kind. */
export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'last-paragraph' | 'anywhere';
const BLOCK_KINDS: readonly BlockKind[] = ['heading', 'paragraph', 'paragraph', 'list-item', 'last-paragraph', 'anywhere'];

export interface PlannedAction {
  /** Index of the person (in `MonkeyOptions.users`). */
  user: number;
  kind: MonkeyActionKind;
  /** Runs at the same time as the next planned action (which is the other person's). */
  together: boolean;
  /** Pause after the action (ms). */
  pauseMs: number;
  /** The random numbers the action uses (block choice, point, toolbar button…). */
  numbers: number[];
  block: BlockKind;
  count: number;
  text: string;
}

export interface MonkeyUser {
  name: string;
  page: Page;
}

export interface MonkeyOptions {
  seed: number;
  /** Actions per person. */
  actionsPerUser: number;
  /** Actions per person between two consistency checks. */
  burstSize?: number;
  users: readonly MonkeyUser[];
  proposalId: string;
  /** A REST client signed in as someone who may read the proposal's history. */
  api: ApiClient;
  /** How long to wait for everything to be recorded and shown after a burst. */
  settleTimeoutMs?: number;
  /** Called after each burst has passed its checks (e.g. to take a screenshot). */
  afterBurst?: (burst: number) => Promise<void>;
  print?: (line: string) => void;
}

export interface MonkeyResult {
  seed: number;
  actions: number;
  bursts: number;
  /** What each kind of action was drawn, summed over people. */
  counts: Record<MonkeyActionKind, number>;
  oversizedPastesRefused: number;
  /** Every toolbar button seen (by accessible name) and those pressed at least once. */
  toolbarButtons: string[];
  pressedButtons: string[];
  latestRevision: number;
  textLength: number;
  durationMs: number;
  /** Times an editor was rendered afresh from the shared document after y-tiptap failed to follow a change (sync-guard.ts). */
  editorRerenders: number;
}

const WORDS = [
  'migration', 'corridor', 'recruitment', 'workers', 'employers', 'fees', 'skills', 'orientation', 'contract',
  'labour', 'States', 'origin', 'destination', 'review', 'ILO', '2030', 'the', 'and', 'of', 'to', 'a', 'is',
  'États', 'São', 'Dubaï', 'naïve', 'façade', 'Ø', '—', '’', '«', '»', 'العمال', 'ہجرت', '移民', '🙂', '👩🏽‍🔧',
];
const PUNCTUATION = ['', '', '', '.', ',', ';', ':', '!', '?'];

/** Plain text a person might paste: a phrase or two lines. */
function plainPaste(random: Random): string {
  const line = () => randomWords(random, random.int(2, 9));
  return random.chance(0.3) ? `${line()}\n${line()}` : line();
}

/** Rich HTML as Word, Google Docs and web pages put on the clipboard (foreign styles, classes, tags). */
function richPaste(random: Random): string {
  const words = () => escapeHtml(randomWords(random, random.int(2, 7)));
  const samples = [
    // Microsoft Word
    `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8"><style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri",sans-serif;} --></style></head><body lang=EN-GB><!--StartFragment--><p class=MsoNormal style='margin-bottom:8.0pt;line-height:107%'><b><span lang=EN-GB style='font-size:12.0pt;font-family:"Calibri",sans-serif;mso-fareast-font-family:Calibri;color:#1F3864'>${words()}</span></b><span style='mso-spacerun:yes'>&nbsp;</span><i>${words()}</i><o:p></o:p></p><p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;</span></span><![endif]>${words()}<o:p></o:p></p><!--EndFragment--></body></html>`,
    // A web page
    `<meta charset="utf-8"><h1 style="font-family: Georgia; color: rgb(20, 20, 20)">${words()}</h1><p class="lead" style="font-size: 18px">${words()} <a href="https://www.iom.int/" target="_blank" rel="noopener">${words()}</a> <span style="background-color: yellow; color: red">${words()}</span>.</p><ul style="list-style: square"><li><p>${words()}</p></li><li>${words()}</li></ul><table><tbody><tr><td>${words()}</td><td>${words()}</td></tr></tbody></table>`,
    // Google Docs
    `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234abcd"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial;color:#000000;background-color:transparent;font-weight:700;font-style:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">${words()}</span><span style="font-size:11pt;font-family:Arial;font-style:italic;">${words()}</span></p><br><ol style="margin-top:0;margin-bottom:0;"><li dir="ltr" style="list-style-type:decimal;"><p dir="ltr" role="presentation"><span>${words()}</span></p></li></ol><blockquote><p>${words()}</p></blockquote></b>`,
  ];
  return random.pick(samples);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function randomWords(random: Random, count: number): string {
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(random.pick(WORDS) + (random.chance(0.15) ? random.pick(PUNCTUATION) : ''));
  return words.join(' ');
}

/** How the editor's refusal of an oversized change reads (it names the size or the limit). */
const LIMIT_MESSAGE = /too (large|long|big)|limit|KiB|MiB|\bKB\b|\bMB\b/i;

/** A marker that can only be in the document if an oversized paste got through. */
export const OVERSIZED_MARKER = 'OVERSIZEDPASTE';

/** Plain text whose Yjs update is certainly above the client limit (~600 KiB of text in lines). */
export function oversizedText(): string {
  const line = `${OVERSIZED_MARKER} ${'x'.repeat(90)}\n`;
  return line.repeat(Math.ceil((600 * 1024) / line.length));
}

/**
 * Draws the plan of one burst: `burstSize` actions for each person, interleaved at random; each
 * kind in `mustInclude` is done at least once by every person.
 */
export function planBurst(random: Random, users: number, burstSize: number, mustInclude: readonly MonkeyActionKind[] = []): PlannedAction[] {
  const order = random.shuffle(Array.from({ length: users * burstSize }, (_, index) => index % users));
  const plan: PlannedAction[] = [];
  for (let i = 0; i < order.length; i++) {
    const kind = random.weighted(ACTION_WEIGHTS);
    plan.push({
      user: order[i],
      kind,
      together: false,
      pauseMs: random.chance(0.5) ? 0 : random.int(5, 80),
      numbers: [random.float(), random.float(), random.float(), random.float()],
      block: random.pick(BLOCK_KINDS),
      count: kind === 'backspace' || kind === 'delete' ? random.int(1, 6) : kind.endsWith('arrows') ? random.int(1, 8) : random.int(1, 3),
      text: kind === 'type' ? typedText(random) : kind === 'paste-plain' ? plainPaste(random) : kind === 'paste-rich' ? richPaste(random) : '',
    });
  }
  for (const kind of mustInclude) {
    for (let user = 0; user < users; user++) {
      const mine = plan.filter((action) => action.user === user);
      if (mine.length > 0 && !mine.some((action) => action.kind === kind)) Object.assign(random.pick(mine), { kind, text: '' });
    }
  }
  // Now and then two people act at the same moment.
  for (let i = 0; i + 1 < plan.length; i++) {
    if (plan[i].user !== plan[i + 1].user && !plan[i - 1]?.together && random.chance(0.25)) plan[i].together = true;
  }
  return plan;
}

function typedText(random: Random): string {
  const text = randomWords(random, random.int(1, 4));
  return random.chance(0.5) ? ` ${text}` : `${text} `;
}

/** A short, replayable description of a planned action (its resolved details are added when run). */
function describe(action: PlannedAction, users: readonly MonkeyUser[]): string {
  const who = users[action.user].name;
  switch (action.kind) {
    case 'type':
    case 'paste-plain':
      return `${who} ${action.kind} ${JSON.stringify(action.text)}`;
    case 'paste-rich':
      return `${who} paste-rich (${action.text.length} chars of HTML)`;
    case 'backspace':
    case 'delete':
    case 'arrows':
    case 'shift-arrows':
    case 'enter':
    case 'undo':
    case 'redo':
      return `${who} ${action.kind} ×${action.count}`;
    default:
      return `${who} ${action.kind}`;
  }
}

/** The editable area of the proposal editor. */
const EDITOR = '[data-testid="proposal-editor"] .ProseMirror';

interface EditorSnapshot {
  exists: boolean;
  editable: boolean;
  state: string | null;
  unsynced: string | null;
  /** The save indicator, when the page has one: false while changes wait for the server's record. */
  saved: boolean | null;
  text: string;
}

/**
 * What a page's editor shows, as the normalised text the REST API's revision `text` uses
 * (`toPlainText` in libs/content): every text block (paragraph, heading, code block; a horizontal
 * rule counts as an empty one) is one line, lines are joined by "\n", list items and quotes only
 * hold blocks; inside a line a hard break is "\n". Other people's caret labels and ProseMirror's
 * own helper elements (trailing <br>, separators) are not text. Nothing else is changed: spaces,
 * non-breaking spaces and every other character are compared as they are.
 */
export async function editorSnapshot(page: Page): Promise<EditorSnapshot> {
  return page.evaluate((selector) => {
    const root = document.querySelector<HTMLElement>(selector);
    const indicator = document.querySelector<HTMLElement>('[data-testid="connection-state"]');
    const unsynced = document.querySelector<HTMLElement>('[data-testid="unsynced-changes"]');
    const save = document.querySelector<HTMLElement>('[data-testid="save-state"]');
    const base = {
      state: indicator?.dataset['state'] ?? null,
      unsynced: unsynced?.textContent?.trim() || null,
      saved: save ? save.dataset['saved'] === 'true' : null,
    };
    if (!root) return { exists: false, editable: false, text: '', ...base };
    const lineTags = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'HR']);
    const skip = (node: Element) =>
      node.classList.contains('collaboration-carets__caret') ||
      node.classList.contains('ProseMirror-trailingBreak') ||
      node.classList.contains('ProseMirror-separator');
    const lineText = (element: Element): string => {
      let text = '';
      for (const child of Array.from(element.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) text += child.nodeValue ?? '';
        else if (child instanceof Element && !skip(child)) text += child.tagName === 'BR' ? '\n' : lineText(child);
      }
      return text;
    };
    const lines: string[] = [];
    const walk = (element: Element) => {
      for (const child of Array.from(element.children)) {
        if (skip(child)) continue;
        if (lineTags.has(child.tagName)) lines.push(lineText(child));
        else walk(child);
      }
    };
    walk(root);
    return { exists: true, editable: root.getAttribute('contenteditable') === 'true', text: lines.join('\n'), ...base };
  }, EDITOR);
}

/** The latest revision of the proposal's text from the REST API, paging the timeline from `after`. */
export async function latestRevision(api: ApiClient, proposalId: string, after = 0): Promise<{ revision: number; text: string }> {
  let cursor = after;
  let latest = after;
  for (;;) {
    const page = await api.get<{ items: Array<{ revision: number }>; next: number | null }>(
      `/api/proposals/${proposalId}/revisions?after=${cursor}&limit=1000`,
    );
    if (page.status !== 200) throw new Error(`GET revisions answered ${page.status}: ${page.text.slice(0, 300)}`);
    for (const item of page.body.items) latest = Math.max(latest, item.revision);
    if (page.body.next === null) break;
    cursor = page.body.next;
  }
  const revision = await api.get<{ revision: number; text: string }>(`/api/proposals/${proposalId}/revisions/${latest}`);
  if (revision.status !== 200) throw new Error(`GET revision ${latest} answered ${revision.status}: ${revision.text.slice(0, 300)}`);
  return { revision: latest, text: revision.body.text };
}

/** Where two texts first differ, with a little of each around it. */
export function firstDifference(a: string, b: string): string {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, index - 40), index + 40));
  return `first difference at character ${index} (lengths ${a.length} and ${b.length}): ${around(a)} vs ${around(b)}`;
}

class MonkeyFailure extends Error {}

/** Half of a character outside the Basic Multilingual Plane (an emoji split by an edit). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class EditorMonkey {
  private readonly print: (line: string) => void;
  private readonly burstSize: number;
  private readonly log: string[] = [];
  private revisionCursor = 0;
  private readonly counts = Object.fromEntries(Object.keys(ACTION_WEIGHTS).map((kind) => [kind, 0])) as Record<MonkeyActionKind, number>;
  private oversizedRefused = 0;
  private toolbarNames: string[] = [];
  private readonly pressedButtons = new Set<string>();
  private editorRerenders = 0;
  private readonly toolbarDecks = new Map<number, { random: Random; cards: string[]; pending: string[] }>();

  /** Errors the pages logged (console.error, uncaught exceptions) not yet blamed on an action. */
  private readonly pageErrors: string[] = [];

  constructor(private readonly options: MonkeyOptions) {
    this.print = options.print ?? ((line) => process.stdout.write(`${line}\n`));
    this.burstSize = options.burstSize ?? 50;
    // The harness fails the test on them afterwards; here they fail at once, naming the action
    // after which they appeared (on either page: a remote change can break the other editor).
    for (const user of options.users) {
      user.page.on('console', (message) => {
        if (message.type() === 'error') this.pageErrors.push(`${user.name}: console.error: ${message.text().slice(0, 1500)}`);
        if (message.type() === 'warning' && message.text().includes('rendered afresh from the shared document')) {
          // Not a failure (the text shown stays right), but worth seeing: which action led to it.
          this.editorRerenders++;
          this.print(`[monkey] ${user.name}'s editor was rendered afresh after ${this.log[this.log.length - 1] ?? 'the start'}: ${message.text().slice(0, 300)}`);
        }
      });
      user.page.on('pageerror', (error) => this.pageErrors.push(`${user.name}: uncaught: ${(error.stack ?? error.message).slice(0, 1500)}`));
      // Nothing a person does in the editor should load another page (a native form submit would).
      user.page.on('framenavigated', (frame) => {
        if (frame === user.page.mainFrame()) this.pageErrors.push(`${user.name}: the page navigated to ${frame.url()} (reloaded)`);
      });
    }
  }

  async run(): Promise<MonkeyResult> {
    const { seed, actionsPerUser, users } = this.options;
    const started = Date.now();
    const bursts = Math.ceil(actionsPerUser / this.burstSize);
    this.print(
      `[monkey] seed ${seed} (replay: MONKEY_SEED=${seed} MONKEY_ACTIONS=${actionsPerUser}), ` +
        `${actionsPerUser} actions each for ${users.map((user) => user.name).join(', ')}, ${bursts} bursts`,
    );
    const root = new Random(seed);
    let latest = { revision: 0, text: '' };
    for (let burst = 1; burst <= bursts; burst++) {
      const size = Math.min(this.burstSize, actionsPerUser - (burst - 1) * this.burstSize);
      // The first burst makes sure everybody tries the oversized paste at least once.
      const plan = planBurst(root.derive(`burst-${burst}`), users.length, size, burst === 1 ? ['paste-oversized'] : []);
      this.log.length = 0;
      try {
        await this.runBurst(burst, plan);
        latest = await this.checkConsistency(burst);
        await this.options.afterBurst?.(burst);
      } catch (error) {
        await this.reportFailure(burst, error);
        throw error;
      }
      this.print(`[monkey] burst ${burst}/${bursts} passed: revision ${latest.revision}, ${latest.text.length} characters`);
    }
    return {
      seed,
      actions: actionsPerUser * users.length,
      bursts,
      counts: { ...this.counts },
      oversizedPastesRefused: this.oversizedRefused,
      toolbarButtons: [...this.toolbarNames],
      pressedButtons: [...this.pressedButtons],
      latestRevision: latest.revision,
      textLength: latest.text.length,
      durationMs: Date.now() - started,
      editorRerenders: this.editorRerenders,
    };
  }

  private async runBurst(burst: number, plan: PlannedAction[]): Promise<void> {
    for (let i = 0; i < plan.length; i++) {
      const action = plan[i];
      if (action.together && plan[i + 1]) {
        const other = plan[i + 1];
        await Promise.all([this.perform(burst, i, action, '‖'), this.perform(burst, i + 1, other, '‖')]);
        i++;
        if (other.pauseMs) await sleep(other.pauseMs);
      } else {
        await this.perform(burst, i, action, ' ');
      }
      if (action.pauseMs) await sleep(action.pauseMs);
    }
  }

  private async perform(burst: number, index: number, action: PlannedAction, mark: string): Promise<void> {
    const user = this.options.users[action.user];
    const entry = `b${burst}#${String(index + 1).padStart(3, '0')}${mark}${describe(action, this.options.users)}`;
    const position = this.log.push(entry) - 1;
    this.counts[action.kind]++;
    try {
      const detail = await this.act(user.page, action);
      if (detail) this.log[position] = `${entry} — ${detail}`;
    } catch (error) {
      this.log[position] = `${entry} — FAILED: ${String(error)}`;
      throw error;
    }
    if (this.pageErrors.length > 0) {
      throw new MonkeyFailure(`after ${entry}, a page logged an error or left:\n  ${this.pageErrors.splice(0).join('\n  ')}`);
    }
    // An editor that vanished or stopped being editable is a failure at once, named by the action.
    const snapshot = await editorSnapshot(user.page);
    if (!snapshot.exists || !snapshot.editable) {
      throw new MonkeyFailure(
        `after ${entry}: the editor of ${user.name} ${snapshot.exists ? 'is no longer editable' : 'vanished (no .ProseMirror element)'}`,
      );
    }
  }

  /** Performs one action on `page`; returns what it resolved to (where it clicked, which button…). */
  private async act(page: Page, action: PlannedAction): Promise<string | void> {
    const [a, b, c, d] = action.numbers;
    switch (action.kind) {
      case 'click':
        return this.clickIn(page, action.block, [a, b, c], {});
      case 'shift-click':
        return (await this.ensureFocus(page, d)) + (await this.clickIn(page, action.block, [a, b, c], { shift: true }));
      case 'double-click':
        return this.clickIn(page, action.block, [a, b, c], { double: true });
      case 'arrows':
      case 'shift-arrows': {
        const focus = await this.ensureFocus(page, d);
        const keys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'Control+ArrowLeft', 'Control+ArrowRight'];
        const key = keys[Math.floor(a * keys.length)];
        const press = action.kind === 'shift-arrows' ? `Shift+${key}` : key;
        for (let i = 0; i < action.count; i++) await page.keyboard.press(press);
        return `${focus}${press} ×${action.count}`;
      }
      case 'type': {
        const focus = await this.ensureFocus(page, d);
        await page.keyboard.type(action.text, { delay: Math.floor(a * 15) });
        return focus || undefined;
      }
      case 'backspace':
      case 'delete':
      case 'enter': {
        const focus = await this.ensureFocus(page, d);
        const key = { backspace: 'Backspace', delete: 'Delete', enter: 'Enter' }[action.kind];
        const count = action.kind === 'enter' ? Math.min(action.count, 2) : action.count;
        for (let i = 0; i < count; i++) await page.keyboard.press(key);
        return focus || undefined;
      }
      case 'undo':
      case 'redo': {
        const focus = await this.ensureFocus(page, d);
        const key = action.kind === 'undo' ? 'Control+z' : 'Control+Shift+Z';
        for (let i = 0; i < action.count; i++) await page.keyboard.press(key);
        return `${focus}${key} ×${action.count}`;
      }
      case 'toolbar':
        return (await this.ensureFocus(page, d)) + (await this.pressToolbarButton(page, action.user, b));
      case 'paste-plain':
        return (await this.ensureFocus(page, d)) + (await this.paste(page, { 'text/plain': action.text }));
      case 'paste-rich':
        return (
          (await this.ensureFocus(page, d)) +
          (await this.paste(page, { 'text/html': action.text, 'text/plain': action.text.replace(/<[^>]*>/g, ' ') }))
        );
      case 'paste-oversized':
        return (await this.ensureFocus(page, d)) + (await this.pasteOversized(page, b < 0.5));
    }
  }

  /** Keyboard actions need the caret in the editor: when it is elsewhere, click into the text first. */
  private async ensureFocus(page: Page, number: number): Promise<string> {
    const focused = await page.evaluate((selector) => !!document.activeElement?.closest(selector), EDITOR);
    if (focused) return '';
    return `(focus: ${await this.clickIn(page, 'anywhere', [number, 1 - number, (number * 7) % 1], {})}) `;
  }

  /**
   * Clicks (or shift-clicks, double-clicks) a random point inside a random block of `kind`,
   * scrolled into view; the point is checked to land on the editor (not on the toolbar, a tooltip
   * or anything else above it).
   */
  private async clickIn(page: Page, kind: BlockKind, [pick, u, v]: number[], how: { shift?: boolean; double?: boolean }): Promise<string> {
    const target = await page.evaluate(
      ({ selector, kind, pick, u, v }) => {
        const root = document.querySelector<HTMLElement>(selector);
        if (!root) return null;
        const lines = Array.from(root.querySelectorAll('p, h1, h2, h3, h4, h5, h6, pre'));
        let candidates: Element[];
        switch (kind) {
          case 'heading':
            candidates = Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6'));
            break;
          case 'paragraph':
            candidates = Array.from(root.querySelectorAll('p')).filter((p) => !p.closest('li'));
            break;
          case 'list-item':
            candidates = Array.from(root.querySelectorAll('li'));
            break;
          case 'last-paragraph':
            candidates = lines.slice(-1);
            break;
          default:
            candidates = [root];
        }
        let used = kind as string;
        if (candidates.length === 0) {
          candidates = [root];
          used = `anywhere (no ${kind})`;
        }
        const index = Math.min(candidates.length - 1, Math.floor(pick * candidates.length));
        const element = candidates[index];
        if (element !== root) element.scrollIntoView({ block: 'center', behavior: 'instant' });
        const box = element.getBoundingClientRect();
        const area = root.getBoundingClientRect();
        const left = Math.max(box.left, area.left, 0);
        const right = Math.min(box.right, area.right, window.innerWidth - 1);
        const top = Math.max(box.top, area.top, 0);
        const bottom = Math.min(box.bottom, area.bottom, window.innerHeight - 1);
        // Up to 12 points along a deterministic walk from (u, v) until one lands on the editor.
        for (let attempt = 0; attempt < 12; attempt++) {
          const fx = (u + attempt * 0.382) % 1;
          const fy = (v + attempt * 0.618) % 1;
          const x = left + fx * Math.max(0, right - left);
          const y = top + fy * Math.max(0, bottom - top);
          const hit = document.elementFromPoint(x, y);
          if (hit && root.contains(hit)) {
            return { x: Math.round(x), y: Math.round(y), what: `${used} ${index + 1}/${candidates.length}`, hit: hit.tagName.toLowerCase() };
          }
        }
        return { x: -1, y: -1, what: `${used} ${index + 1}/${candidates.length}`, hit: 'nothing of the editor in view' };
      },
      { selector: EDITOR, kind, pick, u, v },
    );
    if (!target) throw new MonkeyFailure('no editor to click in');
    if (target.x < 0) {
      // Nothing of that block is reachable (covered or outside the view): click into the text itself.
      await page.locator(EDITOR).click({ position: { x: 10, y: 10 } });
      return `click ${target.what}: ${target.hit}, clicked the editor's top-left instead`;
    }
    if (how.shift) await page.keyboard.down('Shift');
    try {
      if (how.double) await page.mouse.dblclick(target.x, target.y);
      else await page.mouse.click(target.x, target.y);
    } finally {
      if (how.shift) await page.keyboard.up('Shift');
    }
    return `${how.double ? 'double-click' : how.shift ? 'shift-click' : 'click'} ${target.what} at (${target.x},${target.y}) on <${target.hit}>`;
  }

  /**
   * Presses one of the toolbar's buttons, found by role and accessible name at run time. Each
   * person draws the buttons like cards from a shuffled deck, so that every button is pressed
   * once before any is pressed twice. "Suggest changes" is left out: this monkey edits plainly
   * (suggestion mode, which disables formatting, has its own tests: suggestions.e2e).
   */
  private async pressToolbarButton(page: Page, user: number, choice: number): Promise<string> {
    const toolbar = page.getByRole('toolbar');
    const names = (
      await toolbar.getByRole('button').evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('aria-label') || element.textContent?.trim() || ''),
      )
    ).filter((name) => name !== SUGGEST_TOGGLE);
    if (names.length === 0) throw new MonkeyFailure('the editor has no toolbar buttons');
    this.toolbarNames = [...new Set([...this.toolbarNames, ...names])];
    const deck = this.toolbarDecks.get(user) ?? { random: new Random(this.options.seed).derive(`toolbar-${user}`), cards: [], pending: [] };
    this.toolbarDecks.set(user, deck);
    const enabled = async (name: string) => {
      const button = toolbar.getByRole('button', { name, exact: true });
      return (await button.count()) > 0 && !(await button.isDisabled());
    };
    // A button drawn while disabled waits; it is pressed at the first toolbar action that finds it enabled.
    let name: string | undefined;
    for (const waiting of deck.pending) {
      if (await enabled(waiting)) {
        name = waiting;
        deck.pending = deck.pending.filter((other) => other !== waiting);
        break;
      }
    }
    if (name === undefined) {
      if (deck.cards.length === 0) deck.cards = deck.random.shuffle(names);
      name = deck.cards.shift() as string;
    }
    let before = '';
    if (name === REDO && !(await enabled(REDO)) && (await enabled(UNDO))) {
      // Redo is enabled only right after an undo: undo first, as someone trying Redo does.
      await toolbar.getByRole('button', { name: UNDO, exact: true }).click();
      this.pressedButtons.add(UNDO);
      before = `toolbar "${UNDO}", then `;
    }
    if (!(await enabled(name))) {
      if (!deck.pending.includes(name)) deck.pending.push(name);
      return `${before}toolbar "${name}" (absent or disabled, not pressed)`;
    }
    await toolbar.getByRole('button', { name, exact: true }).click();
    this.pressedButtons.add(name);
    if (before) return `${before}toolbar "${name}"`;
    const dialog = page.getByRole('dialog');
    if (!(await dialog.isVisible())) return `toolbar "${name}"`;
    // A button that opens a dialog (Link): fill it in, remove the link, or cancel, as people do.
    const remove = dialog.getByRole('button', { name: 'Remove link' });
    let outcome: string;
    if (choice < 0.2 && (await remove.isVisible())) {
      await remove.click();
      outcome = 'removed the link';
    } else if (choice < 0.65) {
      const href = `https://example.org/${Math.floor(choice * 1000)}`;
      await dialog.getByRole('textbox').fill(href);
      await dialog.getByRole('button', { name: 'Apply' }).click();
      outcome = `applied ${href}`;
    } else if (choice < 0.85) {
      await page.keyboard.press('Escape');
      outcome = 'pressed Escape';
    } else {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      outcome = 'cancelled';
    }
    await dialog.waitFor({ state: 'hidden' });
    return `toolbar "${name}": dialog, ${outcome}`;
  }

  /** A paste as the browser delivers it: a `paste` ClipboardEvent carrying a DataTransfer. */
  private async paste(page: Page, data: Record<string, string>): Promise<string> {
    const handled = await page.evaluate(
      ({ selector, data }) => {
        const root = document.querySelector<HTMLElement>(selector);
        if (!root) return false;
        const transfer = new DataTransfer();
        for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
        const event = new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
        (document.activeElement?.closest(selector) ?? root).dispatchEvent(event);
        return event.defaultPrevented;
      },
      { selector: EDITOR, data },
    );
    return `paste ${Object.keys(data).join('+')} ${handled ? '(taken by the editor)' : '(NOT handled by the editor)'}`;
  }

  /**
   * Pastes text far above the client limit: the editor must refuse it before it enters the
   * document and say so visibly; it must not reach the other person or the server.
   */
  private async pasteOversized(page: Page, dismiss: boolean): Promise<string> {
    const text = oversizedText();
    // A message still shown from an earlier refusal must not count for this one.
    await dismissLimitMessages(page);
    const detail = await this.paste(page, { 'text/plain': text });
    const message = await visibleLimitMessage(page, 5_000);
    const snapshot = await editorSnapshot(page);
    if (snapshot.text.includes(OVERSIZED_MARKER)) {
      throw new MonkeyFailure(`an oversized paste (${text.length} characters) entered the document instead of being refused`);
    }
    if (!message) {
      throw new MonkeyFailure(`an oversized paste (${text.length} characters) was not refused with a visible message`);
    }
    this.oversizedRefused++;
    // Half the time the person dismisses the message; otherwise it stays while they carry on.
    const dismissed = dismiss && (await dismissLimitMessages(page)) > 0;
    return `${detail}, ${text.length} characters, refused: "${message}"${dismissed ? ', dismissed' : ''}`;
  }

  /**
   * Waits (bounded) until every editor is connected with nothing unsynced and they all show the
   * latest revision's text; then asserts the invariants. Returns that revision.
   */
  private async checkConsistency(burst: number): Promise<{ revision: number; text: string }> {
    const { users, proposalId, api } = this.options;
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? 10_000);
    let snapshots: EditorSnapshot[] = [];
    let latest = { revision: this.revisionCursor, text: '' };
    for (;;) {
      snapshots = await Promise.all(users.map((user) => editorSnapshot(user.page)));
      latest = await latestRevision(api, proposalId, this.revisionCursor);
      const settled =
        snapshots.every((s) => s.exists && s.editable && s.state === 'connected' && !s.unsynced && s.saved !== false) &&
        snapshots.every((s) => s.text === latest.text);
      if (settled || Date.now() > deadline) break;
      await sleep(250);
    }
    this.revisionCursor = latest.revision;
    const problems: string[] = [];
    snapshots.forEach((s, i) => {
      const name = users[i].name;
      if (!s.exists) problems.push(`${name}: the editor vanished (no .ProseMirror element)`);
      else if (!s.editable) problems.push(`${name}: the editor is not editable (contenteditable is not "true")`);
      if (s.state !== 'connected') problems.push(`${name}: connection state "${s.state}"`);
      if (s.unsynced) problems.push(`${name}: still shows "${s.unsynced}"`);
      if (s.saved === false) problems.push(`${name}: the save indicator still waits for the server's record`);
      if (s.text !== latest.text) problems.push(`${name}'s editor vs revision ${latest.revision}: ${firstDifference(s.text, latest.text)}`);
    });
    if (snapshots.length > 1 && snapshots[0].text !== snapshots[1].text) {
      problems.push(`${users[0].name} vs ${users[1].name}: ${firstDifference(snapshots[0].text, snapshots[1].text)}`);
    }
    problems.push(...this.pageErrors.splice(0).map((error) => `while waiting, ${error}`));
    if (latest.text.includes(OVERSIZED_MARKER)) problems.push('the latest revision contains text of a refused oversized paste');
    const broken = LONE_SURROGATE.exec(latest.text);
    if (broken) problems.push(`the latest revision holds half a character (a lone UTF-16 surrogate) at character ${broken.index}: ${JSON.stringify(latest.text.slice(Math.max(0, broken.index - 20), broken.index + 20))}`);
    if (problems.length > 0) {
      this.lastTexts = { snapshots, latest };
      throw new MonkeyFailure(`after burst ${burst}, within ${this.options.settleTimeoutMs ?? 10_000} ms:\n  ${problems.join('\n  ')}`);
    }
    return latest;
  }

  private lastTexts: { snapshots: EditorSnapshot[]; latest: { revision: number; text: string } } | null = null;

  /** Prints the seed and the burst's action log; saves both pages' screenshots and texts. */
  private async reportFailure(burst: number, error: unknown): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'concord-monkey-'));
    mkdirSync(dir, { recursive: true });
    for (const user of this.options.users) {
      await user.page.screenshot({ path: join(dir, `${user.name}.png`), fullPage: true }).catch(() => undefined);
      const snapshot = await editorSnapshot(user.page).catch(() => null);
      if (snapshot) writeFileSync(join(dir, `${user.name}.txt`), snapshot.text);
      // The editor's own document (Tiptap keeps its editor on the element), and whether ProseMirror finds it valid.
      const state = await user.page
        .evaluate((selector) => {
          const editor = (document.querySelector(selector) as (HTMLElement & { editor?: { getJSON(): unknown; state: { doc: { check(): void } } } }) | null)?.editor;
          if (!editor) return null;
          let check = 'valid';
          try {
            editor.state.doc.check();
          } catch (error) {
            check = String(error);
          }
          return { check, json: editor.getJSON() };
        }, EDITOR)
        .catch(() => null);
      if (state) writeFileSync(join(dir, `${user.name}.json`), `${JSON.stringify(state, null, 1)}\n`);
    }
    if (this.lastTexts) writeFileSync(join(dir, `revision-${this.lastTexts.latest.revision}.txt`), this.lastTexts.latest.text);
    writeFileSync(join(dir, 'actions.log'), `${this.log.join('\n')}\n`);
    this.print(
      [
        '',
        `[monkey] FAILED in burst ${burst} — seed ${this.options.seed}; replay with MONKEY_SEED=${this.options.seed} MONKEY_ACTIONS=${this.options.actionsPerUser}`,
        `[monkey] ${String(error instanceof Error ? error.message : error)}`,
        `[monkey] screenshots, texts and the action log are in ${dir}`,
        `[monkey] actions of burst ${burst}:`,
        ...this.log.map((line) => `  ${line}`),
        '',
      ].join('\n'),
    );
  }
}

/**
 * The visible message the editor shows when it refuses an oversized paste: a visible alert or
 * status (in the page or a snack bar) that talks about the size or the limit. Null when none
 * appears within `timeoutMs`.
 */
export async function visibleLimitMessage(page: Page, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await page.evaluate((pattern) => {
      const candidates = Array.from(
        document.querySelectorAll<HTMLElement>('[role="alert"], [role="status"], [aria-live], .mat-mdc-snack-bar-container, [data-testid="editor-message"]'),
      );
      for (const element of candidates) {
        const text = element.innerText?.trim() ?? '';
        const box = element.getBoundingClientRect();
        // Not the screen readers' live region (visually hidden): a message people can see.
        const hidden = element.closest('.cdk-visually-hidden, .cdk-live-announcer-element') !== null;
        if (!hidden && box.width > 4 && box.height > 4 && new RegExp(pattern, 'i').test(text)) return text;
      }
      return null;
    }, LIMIT_MESSAGE.source);
    if (message || Date.now() > deadline) return message;
    await sleep(100);
  }
}

/** Clicks "Dismiss" on every visible size-limit message; returns how many there were. */
async function dismissLimitMessages(page: Page): Promise<number> {
  const alerts = page.getByRole('alert').filter({ hasText: LIMIT_MESSAGE });
  let dismissed = 0;
  for (let i = (await alerts.count()) - 1; i >= 0; i--) {
    const dismiss = alerts.nth(i).getByRole('button', { name: 'Dismiss' });
    if ((await dismiss.count()) > 0 && (await dismiss.isVisible())) {
      await dismiss.click();
      dismissed++;
    }
  }
  return dismissed;
}
