import { parseUpdateV1 } from '@concord/content';
import * as Y from 'yjs';
import { FenceState, writeRefusal } from './access-fence';
import type { EditRequest, EditResult } from './document-peer';
import type { RefusalCode } from './protocol/collab-messages';
import { foreignSuggestionRefusal, suggestOnlyRefusal } from './suggestion-policy';
import { PreparedUpdate, prepareUpdate } from './update-preparation';

/** Most edits recorded by one append. */
export const MAX_BATCH_EDITS = 256;

/** What the planner reads of a live document (it changes none of it). */
export interface PlanningState {
  readonly doc: Y.Doc;
  /** The content revision the document is at: members become the revisions after it. */
  readonly contentRevision: number;
  readonly fence: FenceState;
  /** The user whose recorded update first carried structs of each Yjs client id. */
  readonly structAuthors: ReadonlyMap<number, string>;
  /** An upper estimate of the encoded document's size (measured when it nears the limit). */
  readonly encodedBytesEstimate: number;
  readonly maxDocumentBytes: number;
}

/** The decision on one edit: record it (as `revision`), or settle it without recording. */
export type EditDecision =
  | { readonly outcome: 'record'; readonly prepared: PreparedUpdate; readonly revision: number }
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'refused'; readonly code: RefusalCode; readonly reason: string }
  | { readonly outcome: 'failed'; readonly error: unknown };

export interface BatchPlan {
  /** One decision per edit taken from the front of the pending list, in order. */
  readonly decisions: readonly EditDecision[];
  /** The document's measured size when the planner had to measure it (the estimate was near the limit). */
  readonly measuredBytes?: number;
}

type PlannedEdit = Pick<EditRequest, 'update' | 'parsed' | 'userId' | 'kind' | 'origin' | 'suggestOnly'>;

/**
 * Group commit, the deciding half: chooses the next batch from the front of the pending edits, each
 * prepared against the document as it will be when the earlier members are applied, so one append
 * (one transaction, one fsync) records them all as consecutive revisions. No I/O, no change to the
 * document: given the state and the edits, the plan.
 *
 * An edit that overlaps an earlier member (same clocks, or deleting the same range) ends the batch:
 * it is decided once that member is in the document, so no-op detection and trimming stay exact. A
 * computed edit (restore) goes alone, and so does an edit the suggestion policy must read (a
 * suggest-only writer's, or one that may add a mark: suggestion-policy.ts), decided against the
 * document as it is. Settled without recording: no-ops, edits the write fence closes (not seeds),
 * updates under another user's Yjs client id, suggestions that break the policy, and what would
 * grow the document over its limit.
 */
export function planBatch(state: PlanningState, pending: readonly PlannedEdit[], maxEdits = MAX_BATCH_EDITS): BatchPlan {
  const decisions: EditDecision[] = [];
  const members: Array<{ prepared: PreparedUpdate; userId: string }> = [];
  const batchEnds = new Map<number, number>();
  const batchDeletes: Array<{ client: number; clock: number; end: number }> = [];
  let estimate = state.encodedBytesEstimate;
  let measuredBytes: number | undefined;
  let batchBytes = 0;
  for (const edit of pending) {
    if (members.length >= maxEdits) break;
    const computed = typeof edit.update === 'function';
    const readByPolicy = !computed && edit.origin !== undefined && mayBreakSuggestionPolicy(edit);
    if ((computed || readByPolicy) && members.length > 0) break;
    let update: Uint8Array | null;
    try {
      update = typeof edit.update === 'function' ? edit.update(state.doc) : edit.update;
    } catch (error) {
      decisions.push({ outcome: 'failed', error });
      continue;
    }
    const prepared = update && prepareUpdate(state.doc, update, computed ? undefined : edit.parsed);
    if (prepared && overlapsBatch(prepared, batchEnds, batchDeletes)) break;
    const refusal = prepared ? refusalOf(state, edit, prepared, members) : null;
    if (!prepared) {
      decisions.push({ outcome: 'unchanged' });
      continue;
    }
    if (refusal) {
      decisions.push(refusal);
      continue;
    }
    if (readByPolicy) {
      const update = prepared.update;
      let reason: string | null;
      try {
        reason = edit.suggestOnly ? suggestOnlyRefusal(state.doc, update, edit.userId) : foreignSuggestionRefusal(state.doc, update, edit.parsed, edit.userId);
      } catch {
        reason = 'The change could not be read as suggestions.';
      }
      if (reason !== null) {
        decisions.push({ outcome: 'refused', code: 'invalid', reason });
        continue;
      }
    }
    if (estimate + batchBytes + prepared.update.length > state.maxDocumentBytes) {
      // Only the estimate is over: measure (rarely, near the limit) before refusing.
      if (members.length === 0 && measuredBytes === undefined) estimate = measuredBytes = Y.encodeStateAsUpdate(state.doc).length;
      if (estimate + batchBytes + prepared.update.length > state.maxDocumentBytes) {
        decisions.push({ outcome: 'refused', code: 'too-large', reason: `The document would exceed ${state.maxDocumentBytes} bytes; this change was not recorded.` });
        continue;
      }
    }
    batchBytes += prepared.update.length;
    members.push({ prepared, userId: edit.userId });
    decisions.push({ outcome: 'record', prepared, revision: state.contentRevision + members.length });
    for (const struct of prepared.structs) {
      batchEnds.set(struct.client, Math.max(batchEnds.get(struct.client) ?? 0, struct.clock + struct.length));
    }
    for (const range of prepared.deletes) batchDeletes.push({ client: range.client, clock: range.clock, end: range.clock + range.length });
    if (computed || readByPolicy) break;
  }
  return measuredBytes === undefined ? { decisions } : { decisions, measuredBytes };
}

/** From a connection: a suggest-only writer's edit, or one with format items (which may add a mark). */
function mayBreakSuggestionPolicy(edit: PlannedEdit): boolean {
  if (edit.suggestOnly === true || typeof edit.update === 'function') return edit.suggestOnly === true;
  try {
    return (edit.parsed ?? parseUpdateV1(edit.update)).structs.some((struct) => struct.kind === 'format');
  } catch {
    return true;
  }
}

function refusalOf(
  state: PlanningState,
  edit: PlannedEdit,
  prepared: PreparedUpdate,
  members: ReadonlyArray<{ prepared: PreparedUpdate; userId: string }>,
): EditDecision | null {
  const closedBecause = edit.kind === 'seed' ? null : writeRefusal(state.fence, edit.userId);
  if (closedBecause !== null) return { outcome: 'refused', code: 'read-only', reason: closedBecause };
  if (!edit.origin) return null;
  // A connection may not add structs under another user's client id: Yjs would take them as that
  // client's own and drop the real ones as duplicates.
  const foreign = prepared.clientIds.find((clientId) => {
    const author = state.structAuthors.get(clientId) ?? members.find((member) => member.prepared.clientIds.includes(clientId))?.userId;
    return author !== undefined && author !== edit.userId;
  });
  return foreign === undefined
    ? null
    : { outcome: 'refused', code: 'invalid', reason: `The update writes under client id ${foreign} of another user.` };
}

function overlapsBatch(
  prepared: PreparedUpdate,
  batchEnds: ReadonlyMap<number, number>,
  batchDeletes: ReadonlyArray<{ client: number; clock: number; end: number }>,
): boolean {
  for (const struct of prepared.structs) {
    const end = batchEnds.get(struct.client);
    if (end !== undefined && struct.clock < end) return true;
  }
  for (const range of prepared.deletes) {
    const rangeEnd = range.clock + range.length;
    if (batchDeletes.some((taken) => taken.client === range.client && range.clock < taken.end && taken.clock < rangeEnd)) return true;
  }
  return false;
}

/**
 * What the submitter of an edit is told once its batch is settled: its own revision when recorded,
 * the revision after the batch otherwise; `error` when the edit or the append failed.
 */
export function settlementOf(decision: EditDecision, revisionAfter: number, appendFailure: unknown): EditResult | { error: unknown } {
  switch (decision.outcome) {
    case 'record':
      return appendFailure !== null ? { error: appendFailure } : { recorded: true, revision: decision.revision };
    case 'unchanged':
      return { recorded: false, revision: revisionAfter };
    case 'refused':
      return { recorded: false, revision: revisionAfter, refused: `${decision.code}: ${decision.reason}`, refusal: { code: decision.code, reason: decision.reason } };
    case 'failed':
      return { error: decision.error };
  }
}
