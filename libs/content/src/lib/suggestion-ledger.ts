import * as Y from 'yjs';
import { CONTENT_FIELD } from './document-building';
import { SUGGESTION_DELETE, SUGGESTION_INSERT } from './suggestion-marks';
import { parseUpdateV1 } from './update-format';

/** One suggestion as it stands in a text: its marked words and the Yjs items that carry them. */
export interface OpenSuggestion {
  readonly id: string;
  readonly authorId: string;
  /** Words proposed for deletion (its `suggestionDelete` runs, in text order). */
  readonly textBefore: string;
  /** Words proposed (its `suggestionInsert` runs, in text order). */
  readonly textAfter: string;
  /** The runs of characters carrying its marks, by the Yjs id of their first character. */
  readonly insertItems: readonly OpenRun[];
  readonly deleteItems: readonly OpenRun[];
}

export interface OpenRun {
  readonly id: Y.ID;
  readonly length: number;
}

export type SuggestionKind = 'insertion' | 'deletion' | 'replacement';
export type SuggestionOutcome = 'SuggestionAccepted' | 'SuggestionRejected' | 'SuggestionWithdrawn';

/** What a recorded update did to the suggestions of the text; `userId`, `at` are the update's. */
export type SuggestionFact =
  | {
      readonly type: 'SuggestionMade';
      readonly suggestionId: string;
      readonly authorId: string;
      readonly kind: SuggestionKind;
      readonly textBefore: string;
      readonly textAfter: string;
      readonly revision: number;
      readonly userId: string;
      readonly at: string;
    }
  | {
      readonly type: 'SuggestionRevised' | SuggestionOutcome;
      readonly suggestionId: string;
      readonly textBefore: string;
      readonly textAfter: string;
      readonly revision: number;
      readonly userId: string;
      readonly at: string;
    };

/** A recorded content update with its author and time (the server's, from the event). */
export interface LedgerUpdate {
  readonly revision: number;
  readonly update: Uint8Array;
  readonly userId: string;
  readonly at: string;
}

type Attributes = Map<string, unknown>;

/** Every suggestion in the text, by id: walks the items (not the delta) so each run's item ids are known. */
export function openSuggestionsIn(fragment: Y.XmlFragment): Map<string, OpenSuggestion> {
  const found = new Map<string, { authorId: string; before: string[]; after: string[]; insertItems: OpenRun[]; deleteItems: OpenRun[] }>();
  const visitText = (text: Y.XmlText) => {
    const attributes: Attributes = new Map();
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (content instanceof Y.ContentFormat) {
        if (content.value === null) attributes.delete(content.key);
        else attributes.set(content.key, content.value);
        continue;
      }
      if (!item.countable) continue;
      for (const mark of [SUGGESTION_INSERT, SUGGESTION_DELETE]) {
        const value = attributes.get(mark) as { id?: unknown; authorId?: unknown } | undefined;
        if (!value || typeof value.id !== 'string') continue;
        let entry = found.get(value.id);
        if (!entry) {
          entry = { authorId: String(value.authorId ?? ''), before: [], after: [], insertItems: [], deleteItems: [] };
          found.set(value.id, entry);
        }
        const words = content instanceof Y.ContentString ? content.str : '';
        if (mark === SUGGESTION_INSERT) {
          entry.after.push(words);
          entry.insertItems.push({ id: item.id, length: item.length });
        } else {
          entry.before.push(words);
          entry.deleteItems.push({ id: item.id, length: item.length });
        }
      }
    }
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText): void => {
    if (node instanceof Y.XmlText) visitText(node);
    else for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
  };
  walk(fragment);
  return new Map(
    [...found].map(([id, entry]) => [
      id,
      { id, authorId: entry.authorId, textBefore: entry.before.join(''), textAfter: entry.after.join(''), insertItems: entry.insertItems, deleteItems: entry.deleteItems },
    ]),
  );
}

export function kindOf(suggestion: Pick<OpenSuggestion, 'textBefore' | 'textAfter'>): SuggestionKind {
  if (suggestion.textAfter && suggestion.textBefore) return 'replacement';
  return suggestion.textAfter ? 'insertion' : 'deletion';
}

/** How many of the characters that `ids` started (each the first of a run of `lengths`) are still in the text. */
function liveShare(doc: Y.Doc, runs: readonly OpenRun[]): number {
  let live = 0;
  let total = 0;
  for (const run of runs) {
    total += run.length;
    let clock = run.id.clock;
    const end = run.id.clock + run.length;
    while (clock < end) {
      let struct: Y.Item | Y.GC;
      try {
        struct = Y.getItem(doc.store, Y.createID(run.id.client, clock)) as Y.Item | Y.GC;
      } catch {
        break; // not in this document: counts as gone
      }
      const next = Math.min(end, struct.id.clock + struct.length);
      if (!struct.deleted) live += next - clock;
      clock = next;
    }
  }
  return total === 0 ? 0 : live / total;
}

/**
 * What became of a suggestion whose marks left the text with one update. Its change was taken —
 * most of its proposed characters still there, or most of its words proposed for deletion gone —
 * accepted; otherwise undone: withdrawn when the writer of that update is its author, rejected
 * when someone else. "Most", not "all" or "any": an editor removing " word" may keep the proposed
 * space and delete the old one instead (the same text, other items), and a decision racing a
 * keystroke may leave a letter behind.
 */
export function outcomeOf(doc: Y.Doc, suggestion: OpenSuggestion, deciderId: string): SuggestionOutcome {
  const taken =
    suggestion.insertItems.length > 0 ? liveShare(doc, suggestion.insertItems) > 0.5 : liveShare(doc, suggestion.deleteItems) < 0.5;
  if (taken) return 'SuggestionAccepted';
  return deciderId === suggestion.authorId ? 'SuggestionWithdrawn' : 'SuggestionRejected';
}

/** Could this update add, change or remove a suggestion mark? Plain typing (no format, no deletion) cannot remove one. */
function mayChangeMarks(update: Uint8Array): { formats: boolean; deletes: boolean } {
  try {
    const parsed = parseUpdateV1(update);
    return { formats: parsed.structs.some((struct) => struct.kind === 'format'), deletes: parsed.deletes.length > 0 };
  } catch {
    return { formats: true, deletes: true };
  }
}

/**
 * Follows a proposal's text update by update and says what each did to its suggestions: made
 * (first seen), revised (its words changed, reported once per `apply`), accepted, rejected or
 * withdrawn — each attributed to the writer of the update. A pure function of the recorded updates
 * from the revision it starts at: the server derives the `proposal-<id>-suggestions` events from it.
 */
export class SuggestionLedger {
  private open: Map<string, OpenSuggestion>;
  /** The words last reported for each open suggestion. */
  private readonly reported = new Map<string, string>();

  /** `doc` (a recorded document at `revision`) becomes the ledger's: it destroys it. */
  constructor(
    private readonly doc: Y.Doc,
    private currentRevision: number,
  ) {
    this.open = openSuggestionsIn(doc.getXmlFragment(CONTENT_FIELD));
    for (const suggestion of this.open.values()) this.reported.set(suggestion.id, wordsOf(suggestion));
  }

  get revision(): number {
    return this.currentRevision;
  }

  get openSuggestions(): ReadonlyMap<string, OpenSuggestion> {
    return this.open;
  }

  /** Applies recorded updates (consecutive revisions after `revision`) and returns the facts, in order. */
  apply(updates: readonly LedgerUpdate[]): SuggestionFact[] {
    const facts: SuggestionFact[] = [];
    const madeNow = new Map<string, number>();
    let last: LedgerUpdate | null = null;
    for (const recorded of updates) {
      if (recorded.revision !== this.currentRevision + 1) {
        throw new RangeError(`SuggestionLedger: revision ${recorded.revision} does not follow ${this.currentRevision}`);
      }
      Y.applyUpdate(this.doc, recorded.update);
      this.currentRevision = recorded.revision;
      last = recorded;
      const { formats, deletes } = mayChangeMarks(recorded.update);
      if (!formats && !(deletes && this.open.size > 0)) continue;
      const now = openSuggestionsIn(this.doc.getXmlFragment(CONTENT_FIELD));
      const base = { revision: recorded.revision, userId: recorded.userId, at: recorded.at };
      for (const [id, suggestion] of this.open) {
        if (now.has(id)) continue;
        const made = madeNow.get(id);
        if (made !== undefined) facts[made] = { ...(facts[made] as Extract<SuggestionFact, { type: 'SuggestionMade' }>), ...wordsFields(suggestion), kind: kindOf(suggestion) };
        facts.push({ type: outcomeOf(this.doc, suggestion, recorded.userId), suggestionId: id, ...wordsFields(suggestion), ...base });
        this.reported.delete(id);
        madeNow.delete(id);
      }
      for (const [id, suggestion] of now) {
        if (this.open.has(id)) continue;
        madeNow.set(id, facts.length);
        facts.push({ type: 'SuggestionMade', suggestionId: id, authorId: suggestion.authorId, kind: kindOf(suggestion), ...wordsFields(suggestion), ...base });
        this.reported.set(id, wordsOf(suggestion));
      }
      this.open = now;
    }
    if (last === null) return facts;
    // Words typed into a suggestion add no format item: read the text once at the end.
    if (this.open.size > 0) this.open = openSuggestionsIn(this.doc.getXmlFragment(CONTENT_FIELD));
    for (const [id, suggestion] of this.open) {
      const made = madeNow.get(id);
      if (made !== undefined) {
        facts[made] = { ...(facts[made] as Extract<SuggestionFact, { type: 'SuggestionMade' }>), ...wordsFields(suggestion), kind: kindOf(suggestion) };
      } else if (this.reported.get(id) !== wordsOf(suggestion)) {
        facts.push({ type: 'SuggestionRevised', suggestionId: id, ...wordsFields(suggestion), revision: last.revision, userId: last.userId, at: last.at });
      }
      this.reported.set(id, wordsOf(suggestion));
    }
    return facts;
  }

  destroy(): void {
    this.doc.destroy();
  }
}

const wordsFields = (suggestion: OpenSuggestion) => ({ textBefore: suggestion.textBefore, textAfter: suggestion.textAfter });
const wordsOf = (suggestion: OpenSuggestion) => JSON.stringify([suggestion.textBefore, suggestion.textAfter]);
