import { Provider } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { CollabServer, createCollabServer, ProposalContent } from '@concord/collab';
import type { ProposalStatus, SubmissionStatus } from '@concord/contracts';
import { accessOf, policyRolesOf } from '@concord/domain';
import {
  CollabTickets,
  CONCORD_CONFIG,
  ConcordConfig,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
  rootLogger,
  SessionService,
  UserDirectory,
} from '@concord/api/platform';

const ticketLog = rootLogger.child({ context: 'CollabTickets' });

export const COLLAB_SERVER = Symbol('COLLAB_SERVER');
/** The proposals' text as the collab server keeps it (live document or stream): what REST history reads. */
export const PROPOSAL_CONTENT = Symbol('PROPOSAL_CONTENT');

/**
 * Who may do what on `/collab/<proposalId>`, checked at every connection, as the access policy of
 * `@concord/domain` decides: those who may edit the text write, other members of the proposal's
 * workspace read, anyone else is refused before a byte of the document. A platform administrator
 * counts as an admin of every workspace (`policyRolesOf`), as on REST: they read.
 */
async function authorize(
  db: ReadModelDatabase,
  users: UserDirectory,
  account: { id: string; isAdmin: boolean },
  proposalId: string,
) {
  const [proposal] = await db.query<{ iscm_id: string; status: ProposalStatus; submission_status: SubmissionStatus | null }>(
    `SELECT p.iscm_id, p.status, s.status AS submission_status FROM rm_proposals p
     LEFT JOIN rm_submissions s ON s.id = p.submission_id WHERE p.id = ?`,
    [proposalId],
  );
  if (!proposal) return 'not-found' as const;
  const roles = policyRolesOf({ userId: account.id, isAdmin: account.isAdmin, roles: await users.rolesIn(account.id, proposal.iscm_id) });
  return accessOf(roles, proposal.status, proposal.submission_status);
}

/** The name other members see in the awareness (a delegate's carries their member state). */
async function nameInProposalWorkspace(db: ReadModelDatabase, users: UserDirectory, user: { id: string; name: string }, proposalId: string) {
  const [proposal] = await db.query<{ iscm_id: string }>('SELECT iscm_id FROM rm_proposals WHERE id = ?', [proposalId]);
  if (!proposal) return user.name;
  return (await users.displayNamesIn(proposal.iscm_id, [user.id])).get(user.id) ?? user.name;
}

export const collabServerProvider: Provider = {
  provide: COLLAB_SERVER,
  inject: [EVENT_STORE, CONCORD_CONFIG, READ_MODEL_DATABASE, CollabTickets, SessionService, UserDirectory],
  useFactory: (
    store: EventStore,
    config: ConcordConfig,
    db: ReadModelDatabase,
    tickets: CollabTickets,
    sessions: SessionService,
    users: UserDirectory,
  ): CollabServer =>
    createCollabServer({
      store,
      // `?ticket=` from POST /api/collab/tickets, used up here; an access token (`?token=`) is no credential.
      credentialParam: 'ticket',
      authenticate: async (ticket, { proposalId }) => {
        const consumed = await tickets.consume(ticket, proposalId);
        if (typeof consumed === 'string') {
          ticketLog.info({ proposalId, refused: consumed }, 'collab ticket refused');
          return null;
        }
        const session = await sessions.check(consumed.sessionId, consumed.userId);
        const user = session.active ? await users.byId(consumed.userId) : undefined;
        // The socket lives as long as the session (not the ticket): closed 4401 at its absolute end,
        // or when it ends earlier (AccessWatcher → reauthorize by session).
        return user && !user.disabled && session.active
          ? { userId: user.id, name: await nameInProposalWorkspace(db, users, user, proposalId), sessionId: consumed.sessionId, expiresAt: session.expiresAt }
          : null;
      },
      // Also re-run on open sockets when the log changes access (AccessWatcher).
      authorize: async (user, proposalId) => {
        const account = await users.byId(user.userId);
        if (!account || account.disabled) return 'session-ended';
        if (user.sessionId !== undefined && !(await sessions.check(user.sessionId, user.userId)).active) return 'session-ended';
        return authorize(db, users, account, proposalId);
      },
      onActivity: (user) => {
        if (user.sessionId) void sessions.touch(user.sessionId).catch(() => undefined);
      },
      allowedOrigins: config.allowedOrigins,
      // Refused sockets are closed with 4401/4403/4404 so that the stock client stops retrying.
      refusal: 'close-code',
      // K = 1000 from tools/bench: the slowest revision opens in ~40 ms (budget 100 ms) at the
      // least checkpoint CPU and storage of the intervals measured.
      checkpointEvery: Number(process.env['CHECKPOINT_EVERY'] ?? 1000),
      redisUrl: config.redisUrl,
      nodeId: config.nodeId,
      logger: rootLogger.child({ context: 'Collab' }),
    }),
};

export const proposalContentProvider: Provider = {
  provide: PROPOSAL_CONTENT,
  inject: [COLLAB_SERVER],
  useFactory: (collab: CollabServer): ProposalContent => collab.content,
};
