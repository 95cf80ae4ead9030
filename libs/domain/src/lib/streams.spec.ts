import { sha256Hex } from '@concord/integrity';
import {
  emailReservationStream,
  proposalContentStream,
  proposalStream,
  submissionStream,
  userStream,
  workspaceStream,
} from './streams';

describe('stream names', () => {
  it('follow ARCHITECTURE §3', () => {
    expect([userStream('u1'), workspaceStream('add'), submissionStream('s1'), proposalStream('p1'), proposalContentStream('p1')]).toEqual([
      'user-u1',
      'iscm-add',
      'submission-s1',
      'proposal-p1',
      'proposal-p1-content',
    ]);
  });
  it('reserve an email address under the hash of its normalised form', () => {
    expect(emailReservationStream(' Chair@Concord.Demo')).toBe(`user-email-${sha256Hex('chair@concord.demo')}`);
  });
  it('refuse an empty id', () => {
    expect(() => proposalStream('')).toThrow(TypeError);
  });
});
