import { hmacSha256Hex } from '@concord/integrity';
import { normalizeEmail } from './user/email';

function streamOf(prefix: string, id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`A ${prefix} stream needs a non-empty id.`);
  }
  return `${prefix}-${id}${suffix}`;
}

export const userStream = (userId: string) => streamOf('user', userId);
/**
 * The stream that reserves an email address: named by an HMAC of the normalised address under the
 * deployment's stream key (STREAM_KEY), so that a stream name — in exports, checkpoints, logs —
 * does not let anyone test a guessed address. (Before issue 9 it was an unsalted sha256: see
 * `legacy/email-reservation-v1.ts` and the import's migration.)
 */
export const emailReservationStream = (email: string, streamKey: string) => {
  if (typeof streamKey !== 'string' || streamKey.length < 16) throw new TypeError('An email reservation stream needs the stream key.');
  return streamOf('user-email', hmacSha256Hex(streamKey, `email-reservation:${normalizeEmail(email)}`));
};
/** One stream per sign-in session: started, ended (refresh rotations are not events, see SessionService). */
export const sessionStream = (sessionId: string) => streamOf('session', sessionId);
export const workspaceStream = (iscmId: string) => streamOf('iscm', iscmId);
export const submissionStream = (submissionId: string) => streamOf('submission', submissionId);
export const proposalStream = (proposalId: string) => streamOf('proposal', proposalId);
export const proposalContentStream = (proposalId: string) => streamOf('proposal', proposalId, '-content');
