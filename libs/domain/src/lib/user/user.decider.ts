import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import { validEmail } from './email';
import type {
  ChangePassword,
  DisableTotp,
  DisableUser,
  EnableTotp,
  IssuePasswordReset,
  PasswordChanged,
  PasswordReset,
  PasswordResetIssued,
  RecoveryCodeUsed,
  ReenableUser,
  RegisterUser,
  ResetPassword,
  SealedSecret,
  TotpDisabled,
  TotpEnabled,
  UseRecoveryCode,
  UserCommand,
  UserDisabled,
  UserEvent,
  UserReenabled,
  UserRegistered,
} from './user.messages';

/** How many recovery codes an enrolment hands out. */
export const RECOVERY_CODE_COUNT = 10;

export interface UserTotp {
  readonly secret: SealedSecret;
  /** Hashes of the recovery codes not yet used. */
  readonly recoveryCodeHashes: readonly string[];
}

export interface PendingPasswordReset {
  readonly resetId: string;
  readonly tokenHash: string;
  readonly expiresAt: string;
}

export type UserState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'active' | 'disabled';
      readonly userId: string;
      readonly isAdmin: boolean;
      /** The second factor, when enrolled. */
      readonly totp?: UserTotp | null;
      /** The one reset link that may still be used (a newer one replaces it; use or a password change ends it). */
      readonly pendingReset?: PendingPasswordReset | null;
    };

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { status: 'active', userId: event.data.userId, isAdmin: event.data.isAdmin };
    case 'PasswordChanged':
      return state.status === 'unregistered' ? state : { ...state, pendingReset: null };
    case 'UserDisabled':
      return state.status === 'unregistered' ? state : { ...state, status: 'disabled' };
    case 'UserReenabled':
      return state.status === 'unregistered' ? state : { ...state, status: 'active' };
    case 'PasswordResetIssued':
      return state.status === 'unregistered'
        ? state
        : { ...state, pendingReset: { resetId: event.data.resetId, tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt } };
    case 'PasswordReset':
      return state.status === 'unregistered' ? state : { ...state, pendingReset: null };
    case 'TotpEnabled':
      return state.status === 'unregistered'
        ? state
        : { ...state, totp: { secret: event.data.secret, recoveryCodeHashes: [...event.data.recoveryCodeHashes] } };
    case 'TotpDisabled':
      return state.status === 'unregistered' ? state : { ...state, totp: null };
    case 'RecoveryCodeUsed':
      return state.status === 'unregistered' || !state.totp
        ? state
        : {
            ...state,
            totp: { ...state.totp, recoveryCodeHashes: state.totp.recoveryCodeHashes.filter((hash) => hash !== event.data.codeHash) },
          };
  }
}

function registerUser({ data }: RegisterUser, state: UserState): UserRegistered[] {
  const invited = typeof data.invitationId === 'string' && data.invitationId !== '';
  if (!data.actor.isAdmin && !invited) {
    throw forbidden('Only a platform administrator may register users.');
  }
  if (invited && data.isAdmin === true) throw forbidden('An invitation never creates a platform administrator.');
  if (state.status !== 'unregistered') {
    throw conflict(`User ${data.userId} is already registered.`);
  }
  return [
    {
      type: 'UserRegistered',
      data: {
        userId: requiredString(data.userId, 'userId'),
        email: validEmail(data.email),
        name: boundedText(data.name, 'Name', 200),
        passwordHash: requiredString(data.passwordHash, 'passwordHash'),
        isAdmin: data.isAdmin === true,
      },
    },
  ];
}

function requireActiveUser(state: UserState, userId: string) {
  if (state.status === 'unregistered') {
    throw notFound(`There is no user ${userId}.`);
  }
  if (state.status === 'disabled') {
    throw invalidState(`User ${userId} is disabled.`);
  }
  return state;
}

function changePassword({ data }: ChangePassword, state: UserState): PasswordChanged[] {
  const user = requireActiveUser(state, data.userId);
  if (data.actor.userId !== user.userId && !data.actor.isAdmin) {
    throw forbidden('You may change only your own password.');
  }
  return [
    { type: 'PasswordChanged', data: { userId: user.userId, passwordHash: requiredString(data.passwordHash, 'passwordHash') } },
  ];
}

function disableUser({ data }: DisableUser, state: UserState): UserDisabled[] {
  const user = requireActiveUser(state, data.userId);
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may disable users.');
  }
  if (data.actor.userId === user.userId) {
    throw invalid('You cannot disable your own account; ask another administrator.');
  }
  return [{ type: 'UserDisabled', data: { userId: user.userId } }];
}

function requireRegisteredUser(state: UserState, userId: string) {
  if (state.status === 'unregistered') {
    throw notFound(`There is no user ${userId}.`);
  }
  return state;
}

function reenableUser({ data }: ReenableUser, state: UserState): UserReenabled[] {
  const user = requireRegisteredUser(state, data.userId);
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may re-enable users.');
  }
  if (user.status === 'active') {
    throw invalidState(`User ${data.userId} is not disabled.`);
  }
  return [{ type: 'UserReenabled', data: { userId: user.userId } }];
}

function issuePasswordReset({ data }: IssuePasswordReset, state: UserState): PasswordResetIssued[] {
  const user = requireRegisteredUser(state, data.userId);
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may reset passwords.');
  }
  return [
    {
      type: 'PasswordResetIssued',
      data: {
        userId: user.userId,
        resetId: requiredString(data.resetId, 'resetId'),
        tokenHash: requiredString(data.tokenHash, 'tokenHash'),
        expiresAt: requiredString(data.expiresAt, 'expiresAt'),
      },
    },
  ];
}

/** The one refusal for every unusable link, so it reveals nothing about why. */
export const RESET_LINK_UNUSABLE = 'This reset link is invalid, expired or already used; ask an administrator for a new one.';

function resetPassword({ data }: ResetPassword, state: UserState): PasswordReset[] {
  const pending = state.status === 'unregistered' ? null : state.pendingReset;
  if (state.status === 'unregistered' || !pending || pending.tokenHash !== data.tokenHash || pending.expiresAt <= data.now) {
    throw invalidState(RESET_LINK_UNUSABLE);
  }
  return [
    {
      type: 'PasswordReset',
      data: { userId: state.userId, resetId: pending.resetId, passwordHash: requiredString(data.passwordHash, 'passwordHash') },
    },
  ];
}

function enableTotp({ data }: EnableTotp, state: UserState): TotpEnabled[] {
  const user = requireActiveUser(state, data.userId);
  if (data.actor.userId !== user.userId) {
    throw forbidden('You may set up a second factor only for your own account.');
  }
  if (user.totp) {
    throw conflict('Two-factor sign-in is already on; turn it off first to enrol a new authenticator.');
  }
  if (data.recoveryCodeHashes.length !== RECOVERY_CODE_COUNT || new Set(data.recoveryCodeHashes).size !== RECOVERY_CODE_COUNT) {
    throw invalid(`An enrolment needs ${RECOVERY_CODE_COUNT} distinct recovery codes.`);
  }
  return [{ type: 'TotpEnabled', data: { userId: user.userId, secret: data.secret, recoveryCodeHashes: [...data.recoveryCodeHashes] } }];
}

function disableTotp({ data }: DisableTotp, state: UserState): TotpDisabled[] {
  const user = requireRegisteredUser(state, data.userId);
  if (data.actor.userId !== user.userId && !data.actor.isAdmin) {
    throw forbidden('You may turn off two-factor sign-in only for your own account.');
  }
  if (!user.totp) {
    throw invalidState('Two-factor sign-in is not on for this account.');
  }
  return [{ type: 'TotpDisabled', data: { userId: user.userId, byAdmin: data.actor.userId !== user.userId } }];
}

function useRecoveryCode({ data }: UseRecoveryCode, state: UserState): RecoveryCodeUsed[] {
  const user = requireActiveUser(state, data.userId);
  if (!user.totp || !user.totp.recoveryCodeHashes.includes(data.codeHash)) {
    throw invalid('This recovery code is not valid or has already been used.');
  }
  return [
    {
      type: 'RecoveryCodeUsed',
      data: { userId: user.userId, codeHash: data.codeHash, remaining: user.totp.recoveryCodeHashes.length - 1 },
    },
  ];
}

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command, state);
    case 'ChangePassword':
      return changePassword(command, state);
    case 'DisableUser':
      return disableUser(command, state);
    case 'ReenableUser':
      return reenableUser(command, state);
    case 'IssuePasswordReset':
      return issuePasswordReset(command, state);
    case 'ResetPassword':
      return resetPassword(command, state);
    case 'EnableTotp':
      return enableTotp(command, state);
    case 'DisableTotp':
      return disableTotp(command, state);
    case 'UseRecoveryCode':
      return useRecoveryCode(command, state);
    default:
      return unknownCommand(command);
  }
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide: decideUser,
};
