import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

export class RegisterUserCommand extends Command<{ userId: string }> {
  constructor(
    readonly email: string,
    readonly name: string,
    readonly password: string,
    readonly isAdmin: boolean,
    readonly actor: Principal,
    /** Given by seeding so that it is idempotent; generated otherwise. */
    readonly userId?: string,
    /** Set when the person registers themselves by accepting this invitation (checked by the caller). */
    readonly invitationId?: string,
  ) {
    super();
  }
}
