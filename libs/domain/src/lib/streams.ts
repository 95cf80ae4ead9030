import { sha256Hex } from '@concord/integrity';
import { normalizeEmail } from './user/email';

function streamOf(prefix: string, id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`A ${prefix} stream needs a non-empty id.`);
  }
  return `${prefix}-${id}${suffix}`;
}

export const userStream = (userId: string) => streamOf('user', userId);
export const emailReservationStream = (email: string) => streamOf('user-email', sha256Hex(normalizeEmail(email)));
export const workspaceStream = (iscmId: string) => streamOf('iscm', iscmId);
export const submissionStream = (submissionId: string) => streamOf('submission', submissionId);
export const proposalStream = (proposalId: string) => streamOf('proposal', proposalId);
export const proposalContentStream = (proposalId: string) => streamOf('proposal', proposalId, '-content');
