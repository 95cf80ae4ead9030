import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

/** An administrator disables an account: it can no longer sign in, and its open sockets end. */
export class DisableUserCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly actor: Principal,
  ) {
    super();
  }
}
