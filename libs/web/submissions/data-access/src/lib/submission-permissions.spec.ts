import { SUBMISSION_STATUSES, type Role, type SubmissionStatus } from '@concord/contracts';
import { canOpenSubmission, submissionPermissions } from './submission-permissions';

describe('submissionPermissions', () => {
  const offered = (status: SubmissionStatus, roles: Role[], platformAdmin = false) =>
    Object.entries(submissionPermissions(status, roles, platformAdmin))
      .filter(([, allowed]) => allowed)
      .map(([name]) => name);

  it('offers each step to the roles the server allows, in the one status it applies to', () => {
    expect(offered('drafting', ['drafter'])).toEqual(['canSendForApproval']);
    expect(offered('review', ['chair'])).toEqual(['canApprove', 'canRunSilence']);
    expect(offered('approved', ['chair'])).toEqual(['canLock']);
    expect(offered('approved', ['admin'])).toEqual(['canLock']);
  });

  it('offers the silence procedure on the whole submission to chairs before approval, objections to delegates', () => {
    expect(offered('drafting', ['chair'])).toEqual(['canRunSilence']);
    expect(offered('drafting', ['delegate'])).toEqual(['canObjectToSilence']);
    expect(offered('review', ['delegate'])).toEqual(['canObjectToSilence']);
    expect(offered('submitted', ['chair', 'delegate'])).toEqual([]);
  });

  it('offers nothing to roles without the step, nor in another status, nor once submitted', () => {
    for (const status of SUBMISSION_STATUSES) {
      expect(offered(status, ['auditor'])).toEqual([]);
    }
    expect(offered('review', ['drafter'])).toEqual([]);
    expect(offered('review', ['chair', 'admin'])).toEqual(['canApprove', 'canRunSilence']);
    expect(offered('submitted', ['drafter', 'chair', 'admin'])).toEqual([]);
  });

  it('counts a platform administrator as an admin of the workspace, as the server does', () => {
    expect(offered('approved', [], true)).toEqual(['canLock']);
    expect(offered('approved', [], false)).toEqual([]);
  });

  it('lets only drafters open a submission', () => {
    expect(canOpenSubmission(['drafter'])).toBe(true);
    expect(canOpenSubmission(['chair', 'admin', 'auditor', 'delegate'])).toBe(false);
  });
});
