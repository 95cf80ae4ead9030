import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import { validEmail } from './email';
import type {
  ChangePassword,
  DisableUser,
  PasswordChanged,
  RegisterUser,
  UserCommand,
  UserDisabled,
  UserEvent,
  UserRegistered,
} from './user.messages';

export type UserState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'active' | 'disabled'; readonly userId: string; readonly isAdmin: boolean };

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { status: 'active', userId: event.data.userId, isAdmin: event.data.isAdmin };
    case 'PasswordChanged':
      return state;
    case 'UserDisabled':
      return state.status === 'unregistered' ? state : { ...state, status: 'disabled' };
  }
}

function registerUser({ data }: RegisterUser, state: UserState): UserRegistered[] {
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may register users.');
  }
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

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command, state);
    case 'ChangePassword':
      return changePassword(command, state);
    case 'DisableUser':
      return disableUser(command, state);
    default:
      return unknownCommand(command);
  }
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide: decideUser,
};
