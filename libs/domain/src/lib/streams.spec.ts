import { hmacSha256Hex, sha256Hex } from '@concord/integrity';
import { legacyEmailReservationStream, migratedEmailReservationStream } from './legacy/email-reservation-v1';
import {
  emailReservationStream,
  proposalContentStream,
  proposalStream,
  submissionStream,
  userStream,
  workspaceStream,
} from './streams';

const KEY = 'k'.repeat(43);
const OTHER_KEY = 'o'.repeat(43);

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
  it('reserve an email address under an HMAC of its normalised form with the stream key, never its plain hash', () => {
    const name = emailReservationStream(' Chair@Concord.Demo', KEY);
    expect(name).toBe(`user-email-${hmacSha256Hex(KEY, 'email-reservation:chair@concord.demo')}`);
    expect(name).toBe(emailReservationStream('chair@concord.demo', KEY));
    expect(name).not.toContain(sha256Hex('chair@concord.demo'));
    expect(emailReservationStream('chair@concord.demo', OTHER_KEY)).not.toBe(name);
    expect(() => emailReservationStream('chair@concord.demo', '')).toThrow(TypeError);
  });
  it('refuse an empty id', () => {
    expect(() => proposalStream('')).toThrow(TypeError);
  });
});

describe('legacy email reservation names (before issue 9)', () => {
  const reserved = (email: string) => ({ type: 'EmailReserved', data: { email, userId: 'u1' } });

  it('were the unsalted sha256 of the address, and migrate to the HMAC name', () => {
    const legacy = legacyEmailReservationStream('Chair@Concord.Demo');
    expect(legacy).toBe(`user-email-${sha256Hex('chair@concord.demo')}`);
    expect(migratedEmailReservationStream(legacy, reserved('chair@concord.demo'), KEY)).toBe(emailReservationStream('chair@concord.demo', KEY));
  });
  it('leave every other stream alone: new names, other streams, a name that is not the hash of the address', () => {
    expect(migratedEmailReservationStream(emailReservationStream('a@b.example', KEY), reserved('a@b.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream('user-u1', reserved('a@b.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream(legacyEmailReservationStream('a@b.example'), reserved('c@d.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream(legacyEmailReservationStream('a@b.example'), { type: 'UserRegistered', data: {} }, KEY)).toBeNull();
  });
});
