import type { Decider } from '../shared/decider';
import { conflict } from '../shared/domain-error';
import { requiredString } from '../shared/validation';
import { validEmail } from './email';
import type { EmailReserved, ReserveEmail } from './user.messages';

/**
 * Email addresses are unique across users: before registering a user the handler appends
 * EmailReserved to `emailReservationStream(email)` expecting no stream, then appends UserRegistered.
 * A retry by the same user is a no-op, so a registration that failed halfway can be repeated.
 */
export type EmailReservationState = { readonly reservedBy: string | null };

export const initialEmailReservationState = (): EmailReservationState => ({ reservedBy: null });

export const evolveEmailReservation = (_state: EmailReservationState, event: EmailReserved): EmailReservationState => ({
  reservedBy: event.data.userId,
});

export function decideEmailReservation({ data }: ReserveEmail, state: EmailReservationState): EmailReserved[] {
  const email = validEmail(data.email);
  const userId = requiredString(data.userId, 'userId');
  if (state.reservedBy === userId) {
    return [];
  }
  if (state.reservedBy !== null) {
    throw conflict(`The email address ${email} is already used by another account.`);
  }
  return [{ type: 'EmailReserved', data: { email, userId } }];
}

export const emailReservationDecider: Decider<EmailReservationState, ReserveEmail, EmailReserved> = {
  initialState: initialEmailReservationState,
  evolve: evolveEmailReservation,
  decide: decideEmailReservation,
};
