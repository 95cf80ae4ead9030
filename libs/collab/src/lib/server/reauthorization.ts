/**
 * Deciding open connections again when access changes (access follows the log): which connections
 * a filter matches, and what each is told — read-only, closed (4403/4404/4401), or closed 4500 to
 * come back read-write.
 */
import { CollabLogger, describeError } from '../logger';
import { CloseCode } from './close-codes';
import type { CollabConnection } from './collab-connection';
import type { Access, CollabUser } from './collab-user';

/** 'session-ended': the user may no longer act at all (disabled, signed out): 4401. */
export type Authorization = Access | 'forbidden' | 'not-found' | 'session-ended';

/** Which open connections to decide again; an empty filter matches none. */
export interface ReauthorizeFilter {
  readonly proposalIds?: readonly string[];
  readonly userIds?: readonly string[];
  /** Connections opened under these sign-in sessions (CollabUser.sessionId). */
  readonly sessionIds?: readonly string[];
}

export interface ReauthorizeOptions {
  /** The sentence the client is told when it loses the right to write (after `read-only: `). */
  readonly reason?: string;
  /**
   * The read model could not be trusted in time: do not ask `authorize`, make every matching writer
   * read-only (fail closed). A later call with fresh data gives the right back (close 4500).
   */
  readonly failClosed?: boolean;
}

export interface ReauthorizeOutcome {
  readonly decided: number;
  readonly downgraded: number;
  readonly closed: number;
  readonly upgraded: number;
}

/** Decides the connections that match `filter` again, all at once, and counts what happened. */
export async function reauthorizeConnections(
  connections: Iterable<CollabConnection>,
  filter: ReauthorizeFilter,
  reauthorizeOptions: ReauthorizeOptions,
  authorizeWithin: (user: CollabUser, proposalId: string) => Promise<Authorization>,
  logger: CollabLogger,
): Promise<ReauthorizeOutcome> {
  const proposalIds = filter.proposalIds ? new Set(filter.proposalIds) : null;
  const userIds = filter.userIds ? new Set(filter.userIds) : null;
  const sessionIds = filter.sessionIds ? new Set(filter.sessionIds) : null;
  const matching = [...connections].filter(
    (connection) =>
      (proposalIds !== null || userIds !== null || sessionIds !== null) &&
      (proposalIds === null || proposalIds.has(connection.proposalId)) &&
      (userIds === null || userIds.has(connection.userId)) &&
      (sessionIds === null || (connection.user.sessionId !== undefined && sessionIds.has(connection.user.sessionId))),
  );
  const outcome = { decided: matching.length, downgraded: 0, closed: 0, upgraded: 0 };
  const results = await Promise.all(matching.map((connection) => reauthorizeOne(connection, reauthorizeOptions, authorizeWithin, logger)));
  for (const result of results) if (result) outcome[result] += 1;
  if (matching.length > 0) logger.info({ filter, failClosed: reauthorizeOptions.failClosed ?? false, ...outcome }, 'collab connections re-decided');
  return outcome;
}

async function reauthorizeOne(
  connection: CollabConnection,
  options: ReauthorizeOptions,
  authorizeWithin: (user: CollabUser, proposalId: string) => Promise<Authorization>,
  logger: CollabLogger,
): Promise<keyof Omit<ReauthorizeOutcome, 'decided'> | null> {
  const reason = options.reason ?? 'Your access to this proposal has changed.';
  if (options.failClosed) {
    if (connection.access === 'read-only') return null;
    connection.downgrade(reason);
    return 'downgraded';
  }
  let decision: Authorization;
  try {
    decision = await authorizeWithin(connection.user, connection.proposalId);
  } catch (error) {
    // Cannot decide: fail closed for writers, keep readers.
    logger.warn({ proposalId: connection.proposalId, userId: connection.userId, ...describeError(error) }, 'could not re-decide a collab connection; making it read-only');
    if (connection.access === 'read-only') return null;
    connection.downgrade(reason);
    return 'downgraded';
  }
  if (connection.isClosed) return null;
  switch (decision) {
    case 'read-write':
    case 'suggest-only':
      if (connection.access === decision) return null;
      if (decision === 'suggest-only' && connection.access === 'read-write') {
        // Less than before but not nothing: tell why, then come back suggest-only.
        connection.refuseAndClose('read-only', reason, CloseCode.accessChanged);
        return 'downgraded';
      }
      connection.disconnect(CloseCode.accessChanged, 'access changed; reconnect');
      return 'upgraded';
    case 'read-only':
      if (connection.access === 'read-only') return null;
      connection.downgrade(reason);
      return 'downgraded';
    case 'forbidden':
      connection.refuseAndClose('forbidden', reason, CloseCode.forbidden);
      return 'closed';
    case 'not-found':
      connection.refuseAndClose('forbidden', 'This proposal no longer exists.', CloseCode.notFound);
      return 'closed';
    case 'session-ended':
      connection.refuseAndClose('session-ended', 'Your session has ended; sign in again.', CloseCode.sessionEnded);
      return 'closed';
  }
}
