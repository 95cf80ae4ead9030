import { AccountKeys, newRecoveryCode, normalizeRecoveryCode } from './account-keys';
import { newPasswordProblem } from './password-policy';
import { matchingTotpStep, newTotpSecret, totpCode } from './totp';

describe('AccountKeys', () => {
  const keys = new AccountKeys('a-test-key-material-of-enough-length', 'mfa-key');

  it('seals a TOTP secret so that only the same key and user open it', () => {
    const sealed = keys.sealTotpSecret('user-1', 'JBSWY3DPEHPK3PXP');
    expect(JSON.stringify(sealed)).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.openTotpSecret('user-1', sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => keys.openTotpSecret('user-2', sealed)).toThrow();
    expect(() => new AccountKeys('another-key-material-of-enough-length', 'mfa-key').openTotpSecret('user-1', sealed)).toThrow();
    expect(() => keys.openTotpSecret('user-1', { ...sealed, ciphertext: sealed.ciphertext.slice(1) })).toThrow();
  });

  it('hashes recovery codes per user, ignoring case, spaces and dashes', () => {
    expect(keys.recoveryCodeHash('u', 'abcde-fghjk')).toBe(keys.recoveryCodeHash('u', ' ABCDE FGHJK '));
    expect(keys.recoveryCodeHash('u', 'abcde-fghjk')).not.toBe(keys.recoveryCodeHash('v', 'abcde-fghjk'));
    expect(normalizeRecoveryCode('Ab-C d')).toBe('abcd');
  });

  it('makes recovery codes of 10 unambiguous characters', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it('opens a challenge until it expires, and never a tampered one', () => {
    const token = keys.sealChallenge({ sub: 'u' }, 2_000);
    expect(keys.openChallenge(token, 1_000)).toMatchObject({ sub: 'u' });
    expect(keys.openChallenge(token, 2_000)).toBeNull();
    expect(keys.openChallenge(token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), 1_000)).toBeNull();
    expect(keys.openChallenge('junk', 1_000)).toBeNull();
  });
});

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(secret, 59_000)).toBe('287082');
    expect(matchingTotpStep(secret, '287082', 59_000)).toBe(1);
  });

  it('accepts one step of drift either way and nothing further', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    expect(matchingTotpStep(secret, totpCode(secret, now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(matchingTotpStep(secret, totpCode(secret, now + 30_000), now)).toBe(Math.floor(now / 30_000) + 1);
    expect(matchingTotpStep(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(matchingTotpStep(secret, 'abcdef', now)).toBeNull();
  });
});

describe('newPasswordProblem', () => {
  const user = { email: 'amina.rahman@add.example', name: 'Amina Rahman' };
  it.each([
    ['short', /at least 12/],
    ['qwerty123456', /most common passwords/],
    ['QAZWSXEDCRFV', /most common passwords/],
    ['aaaaaaaaaaaaaaa', /too few different/],
    ['amina.rahman@add.example', /email/],
  ])('refuses %s', (password, reason) => expect(newPasswordProblem(password, user)).toMatch(reason));
  it('accepts a long, uncommon passphrase', () => expect(newPasswordProblem('river-lantern-harbour-42', user)).toBeNull());
});
