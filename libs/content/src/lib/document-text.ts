import { SUGGESTION_DELETE, SUGGESTION_INSERT } from './suggestion-marks';
import * as Y from 'yjs';

/**
 * The plain-text view of a `content` fragment, shared by `toPlainText` and the revision diff so
 * that both always agree on where text and line breaks are.
 *
 * - Container nodes (lists, list items, blockquotes, tables) only hold other blocks.
 * - Every other element directly under the fragment or under a container is a *line*: its text,
 *   then a line end. Lines are joined by "\n" (the last line end of a document is dropped).
 * - Inside a line, Y.XmlText contributes its characters as they are (including any "\n" they
 *   contain), a `hardBreak` contributes "\n", other inline nodes contribute nothing.
 */
export const CONTAINER_NODE_NAMES: ReadonlySet<string> = new Set([
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'taskList',
  'taskItem',
  'table',
  'tableRow',
  'tableCell',
  'tableHeader',
]);

export const LINE_BREAK_NODE_NAMES: ReadonlySet<string> = new Set(['hardBreak']);

/** A run of text with its visibility on each side of a comparison. */
export interface TextPiece {
  text: string;
  /** Visible in the "before" state (revision a). */
  inA: boolean;
  /** Visible in the "after" state (revision b). */
  inB: boolean;
  /** The struct that carries the run (its first character), for attribution. */
  id: Y.ID;
  /** True for the line end a line element adds after its text. */
  lineEnd: boolean;
  /** The suggestion mark the run carries (snapshot view: as the later snapshot reads it), if any. */
  suggestion?: SuggestionMarkKind;
}

export type SuggestionMarkKind = 'insert' | 'delete';

const withSuggestion = (attributes: Record<string, unknown> | undefined) => {
  const suggestion = suggestionOf(attributes);
  return suggestion ? { suggestion } : {};
};

function suggestionOf(attributes: Record<string, unknown> | undefined): SuggestionMarkKind | undefined {
  if (attributes?.[SUGGESTION_INSERT]) return 'insert';
  if (attributes?.[SUGGESTION_DELETE]) return 'delete';
  return undefined;
}

/**
 * How to read visibility: the current document (both sides equal), or two snapshots of a
 * document built with `gc: false`.
 */
export type TextView = { readonly kind: 'current' } | { readonly kind: 'compare'; readonly a: Y.Snapshot; readonly b: Y.Snapshot };

function isVisibleIn(item: Y.Item, snapshot: Y.Snapshot): boolean {
  const clock = snapshot.sv.get(item.id.client);
  return clock !== undefined && clock > item.id.clock && !Y.isDeleted(snapshot.ds, item.id);
}

interface YChange {
  readonly type: 'added' | 'removed';
}

type Role = 'container' | 'line';

/** Collects the pieces of the fragment's text in document order. */
export function collectTextPieces(fragment: Y.XmlFragment, view: TextView): TextPiece[] {
  const pieces: TextPiece[] = [];

  const visibility = (item: Y.Item): [boolean, boolean] => {
    if (view.kind === 'current') {
      const visible = !item.deleted;
      return [visible, visible];
    }
    return [isVisibleIn(item, view.a), isVisibleIn(item, view.b)];
  };

  const textOf = (xmlText: Y.XmlText, inA: boolean, inB: boolean, fallbackId: Y.ID): void => {
    if (view.kind === 'current') {
      for (const op of xmlText.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert === 'string') {
          pieces.push({ text: op.insert, inA, inB, id: fallbackId, lineEnd: false, ...withSuggestion(op.attributes) });
        }
      }
      return;
    }
    // Snapshot rendering (what y-prosemirror uses to show history): splits structs at both
    // snapshots' boundaries and marks each run added / removed relative to the earlier snapshot.
    let currentId = fallbackId;
    const delta = xmlText.toDelta(view.b, view.a, (type: 'added' | 'removed', id: Y.ID) => {
      currentId = id;
      return { type, id };
    }) as Array<{ insert: unknown; attributes?: { ychange?: YChange & { id: Y.ID } } & Record<string, unknown> }>;
    for (const op of delta) {
      if (typeof op.insert !== 'string') continue;
      const change = op.attributes?.ychange;
      const charInA = inA && change?.type !== 'added';
      const charInB = inB && change?.type !== 'removed';
      if (!charInA && !charInB) continue;
      pieces.push({ text: op.insert, inA: charInA, inB: charInB, id: change?.id ?? currentId, lineEnd: false, ...withSuggestion(op.attributes) });
    }
  };

  const walkChildren = (parent: Y.XmlFragment | Y.XmlElement, role: Role | 'inline', inA: boolean, inB: boolean): void => {
    for (let item = parent._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue;
      const [itemInA, itemInB] = visibility(item);
      const childInA = inA && itemInA;
      const childInB = inB && itemInB;
      if (!childInA && !childInB) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlText) {
        textOf(child, childInA, childInB, item.id);
      } else if (child instanceof Y.XmlElement) {
        const name = child.nodeName;
        if (role === 'line' || role === 'inline') {
          if (LINE_BREAK_NODE_NAMES.has(name)) {
            pieces.push({ text: '\n', inA: childInA, inB: childInB, id: item.id, lineEnd: false });
          } else {
            walkChildren(child, 'inline', childInA, childInB);
          }
        } else if (CONTAINER_NODE_NAMES.has(name)) {
          walkChildren(child, 'container', childInA, childInB);
        } else {
          walkChildren(child, 'line', childInA, childInB);
          pieces.push({ text: '\n', inA: childInA, inB: childInB, id: item.id, lineEnd: true });
        }
      }
    }
  };

  walkChildren(fragment, 'container', true, true);

  // Lines are joined, not terminated: drop the last line end on each side.
  dropLastLineEnd(pieces, 'inA');
  dropLastLineEnd(pieces, 'inB');
  return pieces.filter((piece) => piece.inA || piece.inB);
}

/**
 * Drops the last line end visible on one side. If the other side still shows it, it now separates
 * that side's later blocks from this one: it belongs to whoever wrote what follows.
 */
function dropLastLineEnd(pieces: TextPiece[], side: 'inA' | 'inB'): void {
  const other = side === 'inA' ? 'inB' : 'inA';
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i];
    if (!piece[side]) continue;
    if (!piece.lineEnd) return;
    piece[side] = false;
    if (piece[other]) {
      const next = pieces.slice(i + 1).find((later) => later[other]);
      if (next) piece.id = next.id;
    }
    return;
  }
}
