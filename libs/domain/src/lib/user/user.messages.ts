import type { Principal } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

export type RegisterUser = Command<
  'RegisterUser',
  { userId: string; email: string; name: string; passwordHash: string; isAdmin: boolean; actor: Principal }
>;
export type ChangePassword = Command<'ChangePassword', { userId: string; passwordHash: string; actor: Principal }>;
export type DisableUser = Command<'DisableUser', { userId: string; actor: Principal }>;
export type UserCommand = RegisterUser | ChangePassword | DisableUser;

export type UserRegistered = Event<
  'UserRegistered',
  { userId: string; email: string; name: string; passwordHash: string; isAdmin: boolean }
>;
export type PasswordChanged = Event<'PasswordChanged', { userId: string; passwordHash: string }>;
export type UserDisabled = Event<'UserDisabled', { userId: string }>;
export type UserEvent = UserRegistered | PasswordChanged | UserDisabled;

/** Claims an email address for one user, on the stream `emailReservationStream(email)`. */
export type ReserveEmail = Command<'ReserveEmail', { email: string; userId: string }>;
export type EmailReserved = Event<'EmailReserved', { email: string; userId: string }>;
