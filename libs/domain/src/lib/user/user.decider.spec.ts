import { specificationFor } from '../../testing/decider-specification';
import type { Principal } from '../shared/actor';
import { emailReservationDecider } from './email-reservation.decider';
import { userDecider } from './user.decider';
import type { UserRegistered } from './user.messages';

const admin: Principal = { userId: 'admin-1', isAdmin: true };
const amina: Principal = { userId: 'user-1', isAdmin: false };
const someoneElse: Principal = { userId: 'user-2', isAdmin: false };

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { userId: 'user-1', email: 'amina@add.example', name: 'Amina', passwordHash: '$argon2id$x', isAdmin: false },
};

describe('User', () => {
  const { given } = specificationFor(userDecider);
  const register = (overrides: Record<string, unknown> = {}) =>
    ({
      type: 'RegisterUser',
      data: {
        userId: 'user-1',
        email: '  Amina@ADD.example ',
        name: ' Amina ',
        passwordHash: '$argon2id$x',
        isAdmin: false,
        actor: admin,
        ...overrides,
      },
    }) as const;

  describe('RegisterUser', () => {
    it('registers a user with a normalised email and trimmed name', () =>
      given([]).when(register()).then([registered]));
    it('is for platform administrators only', () =>
      given([]).when(register({ actor: amina })).thenThrows('forbidden', /platform administrator/));
    it('rejects a user that is already registered', () =>
      given([registered]).when(register()).thenThrows('conflict', /already registered/));
    it('rejects an email address that is not one', () =>
      given([]).when(register({ email: 'amina' })).thenThrows('invalid', /not an email address/));
    it('rejects an empty name', () => given([]).when(register({ name: '  ' })).thenThrows('invalid', /Name/));
    it('rejects a missing password hash', () =>
      given([]).when(register({ passwordHash: '' })).thenThrows('invalid', /passwordHash/));
    it('rejects a missing user id', () => given([]).when(register({ userId: '' })).thenThrows('invalid', /userId/));
    it('lets the holder of an invitation register themselves (the handler checked the invitation)', () =>
      given([]).when(register({ actor: amina, invitationId: 'inv-1' })).then([registered]));
    it('never makes a platform administrator by invitation', () =>
      given([]).when(register({ actor: amina, invitationId: 'inv-1', isAdmin: true })).thenThrows('forbidden', /never creates a platform administrator/));
  });

  describe('ChangePassword', () => {
    const changePassword = (actor: Principal, passwordHash = '$argon2id$y') =>
      ({ type: 'ChangePassword', data: { userId: 'user-1', passwordHash, actor } }) as const;
    const changed = { type: 'PasswordChanged', data: { userId: 'user-1', passwordHash: '$argon2id$y' } } as const;

    it('lets users change their own password', () => given([registered]).when(changePassword(amina)).then([changed]));
    it('lets an administrator change anyone’s password', () =>
      given([registered]).when(changePassword(admin)).then([changed]));
    it('refuses anyone else', () =>
      given([registered]).when(changePassword(someoneElse)).thenThrows('forbidden', /your own password/));
    it('rejects a missing user', () => given([]).when(changePassword(amina)).thenThrows('not_found'));
    it('rejects a disabled user', () =>
      given([registered, { type: 'UserDisabled', data: { userId: 'user-1' } }])
        .when(changePassword(admin))
        .thenThrows('invalid_state', /disabled/));
    it('rejects an empty password hash', () =>
      given([registered]).when(changePassword(amina, '')).thenThrows('invalid'));
  });

  describe('DisableUser', () => {
    const disable = (actor: Principal, userId = 'user-1') => ({ type: 'DisableUser', data: { userId, actor } }) as const;
    const disabled = { type: 'UserDisabled', data: { userId: 'user-1' } } as const;

    it('disables a user', () => given([registered]).when(disable(admin)).then([disabled]));
    it('is for platform administrators only', () =>
      given([registered]).when(disable(amina)).thenThrows('forbidden'));
    it('keeps administrators from disabling themselves', () =>
      given([{ ...registered, data: { ...registered.data, userId: 'admin-1', isAdmin: true } }])
        .when(disable(admin, 'admin-1'))
        .thenThrows('invalid', /your own account/));
    it('rejects a missing user', () => given([]).when(disable(admin)).thenThrows('not_found'));
    it('rejects a user already disabled', () =>
      given([registered, disabled]).when(disable(admin)).thenThrows('invalid_state'));
  });

  describe('ReenableUser', () => {
    const reenable = (actor: Principal) => ({ type: 'ReenableUser', data: { userId: 'user-1', actor } }) as const;
    const disabled = { type: 'UserDisabled', data: { userId: 'user-1' } } as const;
    const reenabled = { type: 'UserReenabled', data: { userId: 'user-1' } } as const;

    it('re-enables a disabled user', () => given([registered, disabled]).when(reenable(admin)).then([reenabled]));
    it('is for platform administrators only', () =>
      given([registered, disabled]).when(reenable(amina)).thenThrows('forbidden'));
    it('refuses a user who is not disabled', () =>
      given([registered]).when(reenable(admin)).thenThrows('invalid_state', /not disabled/));
    it('lets a re-enabled user be disabled again', () =>
      given([registered, disabled, reenabled])
        .when({ type: 'DisableUser', data: { userId: 'user-1', actor: admin } })
        .then([disabled]));
  });

  describe('password reset links', () => {
    const issue = (actor: Principal, resetId = 'r1', tokenHash = 'h1') =>
      ({ type: 'IssuePasswordReset', data: { userId: 'user-1', resetId, tokenHash, expiresAt: '2030-01-02T00:00:00.000Z', actor } }) as const;
    const issued = (resetId = 'r1', tokenHash = 'h1') =>
      ({ type: 'PasswordResetIssued', data: { userId: 'user-1', resetId, tokenHash, expiresAt: '2030-01-02T00:00:00.000Z' } }) as const;
    const reset = (tokenHash = 'h1', now = '2030-01-01T00:00:00.000Z') =>
      ({ type: 'ResetPassword', data: { userId: 'user-1', tokenHash, passwordHash: '$argon2id$new', now } }) as const;
    const done = { type: 'PasswordReset', data: { userId: 'user-1', resetId: 'r1', passwordHash: '$argon2id$new' } } as const;

    it('are issued by administrators only', () => {
      given([registered]).when(issue(admin)).then([issued()]);
      given([registered]).when(issue(amina)).thenThrows('forbidden');
    });
    it('set the password once', () => given([registered, issued()]).when(reset()).then([done]));
    it('cannot be used twice', () =>
      given([registered, issued(), done]).when(reset()).thenThrows('invalid_state', /already used/));
    it('refuse a wrong token', () => given([registered, issued()]).when(reset('other')).thenThrows('invalid_state'));
    it('expire', () =>
      given([registered, issued()]).when(reset('h1', '2030-01-02T00:00:00.000Z')).thenThrows('invalid_state'));
    it('are replaced by a newer link', () =>
      given([registered, issued(), issued('r2', 'h2')]).when(reset('h1')).thenThrows('invalid_state'));
    it('end when the password is changed', () =>
      given([registered, issued(), { type: 'PasswordChanged', data: { userId: 'user-1', passwordHash: 'x' } }])
        .when(reset())
        .thenThrows('invalid_state'));
  });

  describe('second factor', () => {
    const secret = { keyId: 'k1', iv: 'iv', ciphertext: 'c', tag: 't' };
    const codes = Array.from({ length: 10 }, (_, i) => `code-${i}`);
    const enable = (actor: Principal, recoveryCodeHashes = codes) =>
      ({ type: 'EnableTotp', data: { userId: 'user-1', secret, recoveryCodeHashes, actor } }) as const;
    const enabled = { type: 'TotpEnabled', data: { userId: 'user-1', secret, recoveryCodeHashes: codes } } as const;
    const use = (codeHash: string) => ({ type: 'UseRecoveryCode', data: { userId: 'user-1', codeHash } }) as const;

    it('is enrolled by the user with ten recovery codes', () => given([registered]).when(enable(amina)).then([enabled]));
    it('is enrolled by nobody else', () => given([registered]).when(enable(admin)).thenThrows('forbidden'));
    it('needs ten distinct codes', () =>
      given([registered]).when(enable(amina, ['a', 'a', ...codes.slice(2)])).thenThrows('invalid', /10 distinct/));
    it('is not enrolled twice', () => given([registered, enabled]).when(enable(amina)).thenThrows('conflict'));
    it('uses each recovery code once', () => {
      const used = { type: 'RecoveryCodeUsed', data: { userId: 'user-1', codeHash: 'code-3', remaining: 9 } } as const;
      given([registered, enabled]).when(use('code-3')).then([used]);
      given([registered, enabled, used]).when(use('code-3')).thenThrows('invalid', /already been used/);
    });
    it('is turned off by the user or an administrator', () => {
      given([registered, enabled])
        .when({ type: 'DisableTotp', data: { userId: 'user-1', actor: amina } })
        .then([{ type: 'TotpDisabled', data: { userId: 'user-1', byAdmin: false } }]);
      given([registered, enabled])
        .when({ type: 'DisableTotp', data: { userId: 'user-1', actor: admin } })
        .then([{ type: 'TotpDisabled', data: { userId: 'user-1', byAdmin: true } }]);
      given([registered, enabled])
        .when({ type: 'DisableTotp', data: { userId: 'user-1', actor: someoneElse } })
        .thenThrows('forbidden');
      given([registered]).when({ type: 'DisableTotp', data: { userId: 'user-1', actor: amina } }).thenThrows('invalid_state');
    });
  });
});

describe('EmailReservation', () => {
  const { given } = specificationFor(emailReservationDecider);
  const reserve = (userId: string, email = 'Amina@ADD.example') =>
    ({ type: 'ReserveEmail', data: { email, userId } }) as const;
  const reserved = { type: 'EmailReserved', data: { email: 'amina@add.example', userId: 'user-1' } } as const;

  it('reserves a free address for a user', () => given([]).when(reserve('user-1')).then([reserved]));
  it('is idempotent for the same user', () => given([reserved]).when(reserve('user-1')).thenNothingHappens());
  it('refuses an address another user holds', () =>
    given([reserved]).when(reserve('user-2')).thenThrows('conflict', /already used/));
  it('rejects an invalid address', () => given([]).when(reserve('user-1', 'nope@')).thenThrows('invalid'));
  it('rejects a missing user id', () => given([]).when(reserve('')).thenThrows('invalid'));
});
