/**
 * The checks of an upgrade before a socket is accepted: the credential (ticket) is authenticated,
 * then the user authorized for the proposal, each refusal carrying its HTTP status; and the
 * timeout every such wait runs under.
 */
import type { CollabServerOptions } from './collab-server-options';
import type { Access, CollabUser } from './collab-user';

/** Status 401/403/404 become these close codes when refusals are told by close code. */
export const REFUSAL_CLOSE_CODES: Record<number, number> = { 401: 4401, 403: 4403, 404: 4404 };

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Authenticates the credential, then authorizes the user for the proposal, in that order. */
export async function authenticateAndAuthorize(
  options: Pick<CollabServerOptions, 'authenticate' | 'authorize'>,
  credentialParam: string,
  token: string,
  proposalId: string,
): Promise<{ user: CollabUser; access: Access }> {
  const user = await options.authenticate(token, { proposalId });
  if (!user) throw new UpgradeRefused(401, `invalid, expired or used ${credentialParam}`);
  const decision = await options.authorize(user, proposalId);
  if (decision === 'not-found') throw new UpgradeRefused(404, 'no such proposal');
  if (decision === 'session-ended') throw new UpgradeRefused(401, 'session ended');
  if (decision !== 'read-write' && decision !== 'suggest-only' && decision !== 'read-only') throw new UpgradeRefused(403, 'no access to this proposal');
  return { user, access: decision };
}

/** Races `work` against a 503; a result that arrives too late is handed to `discardLate`. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, discardLate: (late: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new UpgradeRefused(503, 'handshake timed out'));
    }, timeoutMs);
    timer.unref();
  });
  work.then(
    (result) => {
      if (timedOut) discardLate(result);
    },
    () => undefined,
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
