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
