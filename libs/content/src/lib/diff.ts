import * as Y from 'yjs';
import type { AttributionIndex } from './attribution';
import { CONTENT_FIELD, recordedDocument } from './document-building';
import { collectTextPieces, type SuggestionMarkKind } from './document-text';

export type DiffSpanType = 'equal' | 'insert' | 'delete';

/**
 * A run of the plain text (see `toPlainText`). `userId` is the author of the text (the user whose
 * update carried it) on inserted and deleted spans; equal spans carry none.
 */
export interface DiffSpan {
  type: DiffSpanType;
  text: string;
  userId?: string;
  /** The words carry a suggestion mark (proposed words, or words proposed for deletion). */
  suggestion?: SuggestionMarkKind;
}

/** Anything that can tell who carried a struct id; an `AttributionIndex` does. */
export type Attribution = Pick<AttributionIndex, 'userAt'> | ((client: number, clock: number) => string | undefined);

export interface DiffRevisionsInput {
  /** The state of the newest content snapshot at or before revision `from`, if any. */
  readonly snapshot?: Uint8Array;
  /** The revision the snapshot holds (0 without a snapshot). */
  readonly snapshotRevision?: number;
  /**
   * The stored updates that follow the snapshot, in order: `updates[i]` is revision
   * `snapshotRevision + 1 + i`. Must reach at least revision `to`; later ones are ignored.
   */
  readonly updates: readonly Uint8Array[];
  readonly from: number;
  readonly to: number;
  readonly attribution: Attribution;
}

/**
 * The changes from revision `from` to revision `to` as plain-text spans (ARCHITECTURE §7): build
 * revision `from` in a document that keeps deleted content (`gc: false`), take a snapshot, keep
 * applying up to `to`, take another; text visible only at `to` is inserted, text visible only at
 * `from` is deleted, each attributed to the user whose update carried it.
 *
 * Concatenating the equal and insert spans gives `toPlainText` at `to`; the equal and delete spans
 * give it at `from`. Adjacent spans of the same type and author are merged.
 */
export function diffRevisions(input: DiffRevisionsInput): DiffSpan[] {
  const base = input.snapshotRevision ?? 0;
  const { from, to } = input;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < base || to < from) {
    throw new RangeError(`diffRevisions: need snapshotRevision (${base}) ≤ from (${from}) ≤ to (${to})`);
  }
  if (base + input.updates.length < to) {
    throw new RangeError(`diffRevisions: updates reach revision ${base + input.updates.length}, not ${to}`);
  }
  const doc = recordedDocument({ gc: false });
  try {
    doc.transact(() => {
      if (input.snapshot) Y.applyUpdate(doc, input.snapshot);
      for (let revision = base + 1; revision <= from; revision++) Y.applyUpdate(doc, input.updates[revision - base - 1]);
    });
    const before = Y.snapshot(doc);
    doc.transact(() => {
      for (let revision = from + 1; revision <= to; revision++) Y.applyUpdate(doc, input.updates[revision - base - 1]);
    });
    const after = Y.snapshot(doc);
    return diffSnapshots(doc, before, after, input.attribution);
  } finally {
    doc.destroy();
  }
}

/**
 * The diff between two snapshots of one document built with `gc: false` (deleted items keep their
 * content). `before` must precede `after`.
 */
export function diffSnapshots(
  doc: Y.Doc,
  before: Y.Snapshot,
  after: Y.Snapshot,
  attribution: Attribution,
  field = CONTENT_FIELD,
): DiffSpan[] {
  if (doc.gc) {
    throw new Error('diffSnapshots: the document must be built with gc: false');
  }
  const userAt = typeof attribution === 'function' ? attribution : attribution.userAt.bind(attribution);
  const pieces = collectTextPieces(doc.getXmlFragment(field), { kind: 'compare', a: before, b: after });
  const spans: DiffSpan[] = [];
  for (const piece of pieces) {
    const type: DiffSpanType = piece.inA && piece.inB ? 'equal' : piece.inB ? 'insert' : 'delete';
    const userId = type === 'equal' ? undefined : userAt(piece.id.client, piece.id.clock);
    const last = spans[spans.length - 1];
    if (last && last.type === type && last.userId === userId && last.suggestion === piece.suggestion) {
      last.text += piece.text;
    } else {
      spans.push({ type, text: piece.text, ...(userId === undefined ? {} : { userId }), ...(piece.suggestion ? { suggestion: piece.suggestion } : {}) });
    }
  }
  return spans;
}

/** The text a diff was taken from (`side: 'from'`) or to (`side: 'to'`). */
export function textOfDiff(spans: readonly DiffSpan[], side: 'from' | 'to'): string {
  const skipped: DiffSpanType = side === 'from' ? 'insert' : 'delete';
  return spans
    .filter((span) => span.type !== skipped)
    .map((span) => span.text)
    .join('');
}
