import { Provider } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { CollabServer, createCollabServer } from '@concord/collab';
import type { ProposalStatus, SubmissionStatus } from '@concord/contracts';
import { accessOf, policyRolesOf } from '@concord/domain';
import {
  CONCORD_CONFIG,
  ConcordConfig,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
  rootLogger,
  TokenService,
  UserDirectory,
} from '@concord/api/platform';

export const COLLAB_SERVER = Symbol('COLLAB_SERVER');

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

export const collabServerProvider: Provider = {
  provide: COLLAB_SERVER,
  inject: [EVENT_STORE, CONCORD_CONFIG, READ_MODEL_DATABASE, TokenService, UserDirectory],
  useFactory: (
    store: EventStore,
    config: ConcordConfig,
    db: ReadModelDatabase,
    tokens: TokenService,
    users: UserDirectory,
  ): CollabServer =>
    createCollabServer({
      store,
      authenticate: async (token) => {
        const session = tokens.verifySession(token);
        const user = session && (await users.byId(session.principal.userId));
        // The socket is closed (4401) when the token expires.
        return user && !user.disabled ? { userId: user.id, name: user.name, expiresAt: session.expiresAt } : null;
      },
      // Also re-run on open sockets when the log changes access (AccessWatcher).
      authorize: async (user, proposalId) => {
        const account = await users.byId(user.userId);
        if (!account || account.disabled) return 'session-ended';
        return authorize(db, users, account, proposalId);
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
