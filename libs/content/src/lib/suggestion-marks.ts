import { Mark } from '@tiptap/core';

/**
 * Suggestions (track changes) are two marks on text: `suggestionInsert` (proposed words, shown
 * underlined) and `suggestionDelete` (words proposed for deletion, shown struck through, still in
 * the text). Both carry who made the suggestion and when, and a suggestion id shared by the pieces
 * of one suggestion. In the Yjs document a mark is a format attribute of the text (y-prosemirror),
 * so the server reads who a mark claims to be from the update itself and refuses marks that claim
 * someone else (libs/collab `suggestion-policy.ts`).
 */
export const SUGGESTION_INSERT = 'suggestionInsert';
export const SUGGESTION_DELETE = 'suggestionDelete';
export const SUGGESTION_MARK_NAMES: readonly string[] = [SUGGESTION_INSERT, SUGGESTION_DELETE];

export interface SuggestionAttributes {
  /** Shared by the pieces of one suggestion (letters, digits, dashes; at most 64). */
  readonly id: string;
  /** The user who suggested it: the server refuses a mark naming anyone but the writer. */
  readonly authorId: string;
  /** When it was suggested (ISO 8601, as the writer's clock says). */
  readonly at: string;
}

const attributes = () => ({
  id: { default: null, parseHTML: (element: HTMLElement) => element.getAttribute('data-suggestion-id'), renderHTML: (attrs: Record<string, unknown>) => ({ 'data-suggestion-id': attrs['id'] }) },
  authorId: { default: null, parseHTML: (element: HTMLElement) => element.getAttribute('data-author'), renderHTML: (attrs: Record<string, unknown>) => ({ 'data-author': attrs['authorId'] }) },
  at: { default: null, parseHTML: (element: HTMLElement) => element.getAttribute('datetime'), renderHTML: (attrs: Record<string, unknown>) => ({ datetime: attrs['at'] }) },
});

/** Proposed words. Not inclusive: typing next to a suggestion is not part of it unless suggested too. */
export const SuggestionInsert = Mark.create({
  name: SUGGESTION_INSERT,
  inclusive: false,
  excludes: `${SUGGESTION_INSERT} ${SUGGESTION_DELETE}`,
  addAttributes: attributes,
  parseHTML: () => [{ tag: 'ins[data-suggestion-id]' }],
  renderHTML: ({ HTMLAttributes }) => ['ins', { ...HTMLAttributes, class: 'cc-suggestion cc-suggestion--insert' }, 0],
});

/** Words proposed for deletion: they stay in the text until the suggestion is accepted. */
export const SuggestionDelete = Mark.create({
  name: SUGGESTION_DELETE,
  inclusive: false,
  excludes: `${SUGGESTION_INSERT} ${SUGGESTION_DELETE}`,
  addAttributes: attributes,
  parseHTML: () => [{ tag: 'del[data-suggestion-id]' }],
  renderHTML: ({ HTMLAttributes }) => ['del', { ...HTMLAttributes, class: 'cc-suggestion cc-suggestion--delete' }, 0],
});

const SUGGESTION_ID = /^[A-Za-z0-9-]{1,64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Attribute rules of both marks (EDITOR_ATTRIBUTE_RULES): every attribute required and bounded. */
export const SUGGESTION_ATTRIBUTE_RULES = {
  id: (value: unknown) => (typeof value === 'string' && SUGGESTION_ID.test(value) ? null : 'a suggestion id must be 1 to 64 letters, digits or dashes'),
  authorId: (value: unknown) =>
    typeof value === 'string' && value.length > 0 && value.length <= 64 ? null : 'a suggestion must name its author (a user id)',
  at: (value: unknown) => (typeof value === 'string' && ISO_TIME.test(value) ? null : 'a suggestion time must be an ISO 8601 UTC time'),
} as const;
