/**
 * Write fences in a proposal's content stream.
 *
 * Access to write is decided from the read models, which trail the log. A keystroke racing a
 * command that takes the right to write away (a lock, a withdrawal, a role removed) could be
 * appended after that command's event. To rule that out, such a command first appends a
 * `ContentAccessChanged` marker to each affected content stream, and only then its domain event.
 * Live documents append with an expected stream revision, so an edit batch racing the marker
 * conflicts, catches up, folds the marker and refuses the edit: nothing is recorded after the
 * marker for whom it closes writes, hence nothing after the domain event either.
 *
 * A marker is its own event type, not a ContentUpdated: it is not a change of the text, so it has
 * no content revision and every reader of revisions skips it by type.
 */

/** A closure of writes: for everyone (`userId` null) or for one user. */
export interface WriteClosure {
  /** Id of the marker that closed writes (a reopening marker names it to cancel exactly it). */
  readonly fenceId: string;
  readonly userId: string | null;
  /** A sentence for the people refused, e.g. "The submission has been submitted and is locked." */
  readonly reason: string;
}

/** The data of a `ContentAccessChanged` event. */
export type AccessMarker =
  | {
      readonly writes: 'closed';
      readonly fenceId: string;
      /** Only this user loses the right to write; absent: everyone. */
      readonly userId?: string;
      readonly reason: string;
      /** What caused it (the domain event type about to be appended). */
      readonly cause: string;
    }
  | {
      readonly writes: 'open';
      /** Cancels exactly this closure (its domain event could not be appended). */
      readonly reopens?: string;
      /** Without `reopens`: lifts every closure of this user (a role granted again). */
      readonly userId?: string;
      readonly reason: string;
      readonly cause: string;
    };

export type FenceState = readonly WriteClosure[];

export const OPEN_FENCE: FenceState = [];

/** The fence after one marker (pure). */
export function foldAccessMarker(state: FenceState, marker: AccessMarker): FenceState {
  if (marker.writes === 'closed') {
    if (state.some((closure) => closure.fenceId === marker.fenceId)) return state;
    return [...state, { fenceId: marker.fenceId, userId: marker.userId ?? null, reason: marker.reason }];
  }
  if (marker.reopens) return state.filter((closure) => closure.fenceId !== marker.reopens);
  if (marker.userId) return state.filter((closure) => closure.userId !== marker.userId);
  return OPEN_FENCE;
}

/** Why `userId` may not write under this fence, or null when it may. */
export function writeRefusal(state: FenceState, userId: string): string | null {
  const closure = state.find((candidate) => candidate.userId === null || candidate.userId === userId);
  return closure ? closure.reason : null;
}

/** Reads a marker from event data; null when it is not one (never throws). */
export function parseAccessMarker(data: unknown): AccessMarker | null {
  if (typeof data !== 'object' || data === null || data instanceof Uint8Array) return null;
  const record = data as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  const reason = text('reason') ?? 'Writing is closed.';
  const cause = text('cause') ?? 'unknown';
  if (record['writes'] === 'closed') {
    const fenceId = text('fenceId');
    if (!fenceId) return null;
    return { writes: 'closed', fenceId, userId: text('userId'), reason, cause };
  }
  if (record['writes'] === 'open') return { writes: 'open', reopens: text('reopens'), userId: text('userId'), reason, cause };
  return null;
}

/** The fence as carried by snapshot metadata (a scalar), so a load need not read back further. */
export function encodeFenceState(state: FenceState): string | undefined {
  return state.length === 0 ? undefined : JSON.stringify(state);
}

export function decodeFenceState(value: unknown): FenceState {
  if (typeof value !== 'string') return OPEN_FENCE;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) return OPEN_FENCE;
    return parsed.filter(
      (item): item is WriteClosure =>
        typeof item === 'object' && item !== null && typeof item.fenceId === 'string' && typeof item.reason === 'string',
    ).map((item) => ({ fenceId: item.fenceId, userId: typeof item.userId === 'string' ? item.userId : null, reason: item.reason }));
  } catch {
    return OPEN_FENCE;
  }
}
