import { Extension } from '@tiptap/core';
import type { Mark, MarkType, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTION_DELETE, SUGGESTION_INSERT } from '@concord/web/proposals/data-access';

export const suggestionModeKey = new PluginKey<{ enabled: boolean }>('concordSuggestionMode');
/** Transactions the suggestion mode itself made, and decisions on suggestions (the only document changes it lets through). */
export const SUGGESTION_TRANSACTION = 'concordSuggestion';
const OWN = SUGGESTION_TRANSACTION;

export interface SuggestionModeOptions {
  /** The writer's user id, named by every mark they make (the server refuses any other). */
  authorId: string;
  /** Told when something cannot be suggested (a new paragraph, formatting): shown to the user. */
  onBlocked: (what: string) => void;
  /** Fresh suggestion ids (letters, digits, dashes). */
  newId?: () => string;
}

/** Turns suggestion mode on or off for this editor (delegates: always on). */
export function setSuggesting(view: EditorView, enabled: boolean): void {
  view.dispatch(view.state.tr.setMeta(suggestionModeKey, { enabled }));
}

export function isSuggesting(state: EditorState): boolean {
  return suggestionModeKey.getState(state)?.enabled ?? false;
}

interface Segment {
  readonly from: number;
  readonly to: number;
  readonly marks: readonly Mark[];
}

function textSegments(doc: ProseMirrorNode, from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    segments.push({ from: Math.max(from, pos), to: Math.min(to, pos + node.nodeSize), marks: node.marks });
    return false;
  });
  return segments;
}

/**
 * Suggestion mode (track changes): typing inserts words marked `suggestionInsert` (yours, with the
 * time); deleting marks words `suggestionDelete` instead of removing them — except your own proposed
 * words, which simply go; others' proposed words cannot be deleted by you. New paragraphs, formatting
 * and other structural changes cannot be suggested yet: they are blocked and the user is told. The
 * server enforces the same rule for delegates whatever the client (libs/collab suggestion-policy.ts);
 * this makes the editor produce only what it accepts.
 */
/** The meta @tiptap/extension-unique-id puts on the transactions that set block ids. */
const UNIQUE_ID_TRANSACTION = '__uniqueIDTransaction';

export const SuggestionMode = Extension.create<SuggestionModeOptions>({
  name: 'concordSuggestionMode',
  addOptions() {
    return { authorId: '', onBlocked: () => undefined, newId: () => crypto.randomUUID() };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    const newId = options.newId ?? (() => crypto.randomUUID());
    const markOf = (type: MarkType, id: string) => type.create({ id, authorId: options.authorId, at: new Date().toISOString() });
    const ownInsertion = (marks: readonly Mark[]) => marks.find((mark) => mark.type.name === SUGGESTION_INSERT && mark.attrs['authorId'] === options.authorId);
    const someSuggestion = (marks: readonly Mark[]) => marks.some((mark) => mark.type.name === SUGGESTION_INSERT || mark.type.name === SUGGESTION_DELETE);

    const ownDeletion = (marks: readonly Mark[] | undefined) =>
      marks?.find((mark) => mark.type.name === SUGGESTION_DELETE && mark.attrs['authorId'] === options.authorId);

    /**
     * Marks [from, to) for deletion (own proposed words are removed); returns where the range ends
     * now. Next to a deletion of one's own, it extends that one (same mark), as Backspace held down does.
     */
    const suggestDeletion = (tr: Transaction, from: number, to: number, id = newId()): number => {
      const deleteType = tr.doc.type.schema.marks[SUGGESTION_DELETE];
      const neighbour = ownDeletion(tr.doc.resolve(to).nodeAfter?.marks) ?? ownDeletion(tr.doc.resolve(from).nodeBefore?.marks);
      const mark = neighbour ?? markOf(deleteType, id);
      let end = to;
      for (const segment of textSegments(tr.doc, from, to).reverse()) {
        if (ownInsertion(segment.marks)) {
          tr.delete(segment.from, segment.to);
          end -= segment.to - segment.from;
        } else if (!someSuggestion(segment.marks)) {
          tr.addMark(segment.from, segment.to, mark);
        }
      }
      return end;
    };

    const suggestText = (view: EditorView, from: number, to: number, text: string): boolean => {
      const { state } = view;
      const tr = state.tr.setMeta(OWN, true);
      // Typing over a selection is one suggestion: the words out and the words in share its id.
      const id = newId();
      const at = from < to ? suggestDeletion(tr, from, to, id) : to;
      if (text) {
        const insertType = state.schema.marks[SUGGESTION_INSERT];
        const $at = tr.doc.resolve(at);
        if (!$at.parent.inlineContent) {
          options.onBlocked('text here');
          return true;
        }
        const before = $at.nodeBefore ? ownInsertion($at.nodeBefore.marks) : undefined;
        const formatting = $at.marks().filter((mark) => mark.type.name !== SUGGESTION_INSERT && mark.type.name !== SUGGESTION_DELETE);
        // Typing on from one's own proposed words continues that suggestion (the same mark).
        const mark = before ?? markOf(insertType, id);
        tr.insert(at, state.schema.text(text, [...formatting, mark]));
        tr.setSelection(TextSelection.create(tr.doc, at + text.length));
      } else {
        tr.setSelection(TextSelection.create(tr.doc, at));
      }
      view.dispatch(tr.scrollIntoView());
      return true;
    };

    return [
      new Plugin<{ enabled: boolean }>({
        key: suggestionModeKey,
        state: {
          init: () => ({ enabled: false }),
          apply: (tr, value) => (tr.getMeta(suggestionModeKey) as { enabled: boolean } | undefined) ?? value,
        },
        // In suggestion mode nothing else may change the text: remote changes and undo (the sync
        // plugin's) and our own transactions pass; a formatting command, a split, a drop do not.
        filterTransaction(tr, state) {
          if (!isSuggesting(state) || !tr.docChanged || tr.getMeta(OWN) || tr.getMeta(ySyncPluginKey)) return true;
          // The block id the editor gives a paragraph that had none (block ids; the server accepts it).
          if (tr.getMeta(UNIQUE_ID_TRANSACTION)) return true;
          options.onBlocked('that change');
          return false;
        },
        props: {
          handleTextInput(view, from, to, text) {
            return isSuggesting(view.state) ? suggestText(view, from, to, text) : false;
          },
          handlePaste(view, _event, slice) {
            if (!isSuggesting(view.state)) return false;
            const { from, to } = view.state.selection;
            return suggestText(view, from, to, slice.content.textBetween(0, slice.content.size, ' '));
          },
          handleDrop(view) {
            return isSuggesting(view.state);
          },
          handleKeyDown(view, event) {
            if (!isSuggesting(view.state)) return false;
            const { from, to, empty } = view.state.selection;
            if (event.key === 'Backspace' || event.key === 'Delete') {
              if (!empty) return suggestText(view, from, to, '');
              const $pos = view.state.doc.resolve(from);
              const backwards = event.key === 'Backspace';
              if (backwards ? $pos.parentOffset === 0 : $pos.parentOffset === $pos.parent.content.size) {
                options.onBlocked('joining paragraphs');
                return true;
              }
              const tr = view.state.tr.setMeta(OWN, true);
              const [start, end] = backwards ? [from - 1, from] : [from, from + 1];
              const left = suggestDeletion(tr, start, end);
              tr.setSelection(TextSelection.create(tr.doc, backwards ? start : left));
              view.dispatch(tr.scrollIntoView());
              return true;
            }
            if (event.key === 'Enter') {
              options.onBlocked('a new paragraph');
              return true;
            }
            return false;
          },
        },
      }),
    ];
  },
});

/** One suggestion as the text holds it: its pieces (inserted and deleted words) under one id. */
export interface SuggestionInText {
  readonly id: string;
  readonly authorId: string;
  readonly at: string;
  readonly inserted: string;
  readonly deleted: string;
  readonly ranges: ReadonlyArray<{ readonly from: number; readonly to: number; readonly kind: 'insert' | 'delete' }>;
}

/** Every suggestion in the document, in text order. */
export function suggestionsIn(doc: ProseMirrorNode): SuggestionInText[] {
  const byId = new Map<string, { id: string; authorId: string; at: string; inserted: string; deleted: string; ranges: Array<{ from: number; to: number; kind: 'insert' | 'delete' }> }>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      const kind = mark.type.name === SUGGESTION_INSERT ? 'insert' : mark.type.name === SUGGESTION_DELETE ? 'delete' : null;
      if (!kind) continue;
      const id = String(mark.attrs['id']);
      const entry = byId.get(id) ?? { id, authorId: String(mark.attrs['authorId']), at: String(mark.attrs['at']), inserted: '', deleted: '', ranges: [] };
      entry.ranges.push({ from: pos, to: pos + node.nodeSize, kind });
      if (kind === 'insert') entry.inserted += node.text ?? '';
      else entry.deleted += node.text ?? '';
      byId.set(id, entry);
    }
    return false;
  });
  return [...byId.values()];
}

/**
 * Accepting keeps proposed words (the mark goes) and removes words proposed for deletion;
 * rejecting does the opposite. One transaction per decision, an ordinary edit of the decider.
 */
export function decideSuggestions(view: EditorView, suggestions: readonly SuggestionInText[], outcome: 'accept' | 'reject'): void {
  const tr = view.state.tr.setMeta(OWN, true);
  const ranges = suggestions.flatMap((suggestion) => suggestion.ranges).sort((a, b) => b.from - a.from);
  const { schema } = view.state;
  for (const range of ranges) {
    const removeWords = (range.kind === 'delete') === (outcome === 'accept');
    if (removeWords) tr.delete(range.from, range.to);
    else tr.removeMark(range.from, range.to, schema.marks[range.kind === 'insert' ? SUGGESTION_INSERT : SUGGESTION_DELETE]);
  }
  if (tr.docChanged) view.dispatch(tr);
}

/** Where a suggestion's words are now: from its first piece to its last; null when it is no longer in the text. */
export function suggestionRange(doc: ProseMirrorNode, suggestionId: string): { from: number; to: number } | null {
  const suggestion = suggestionsIn(doc).find((candidate) => candidate.id === suggestionId);
  if (!suggestion) return null;
  return { from: Math.min(...suggestion.ranges.map((range) => range.from)), to: Math.max(...suggestion.ranges.map((range) => range.to)) };
}
