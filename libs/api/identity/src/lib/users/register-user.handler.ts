import { ConflictException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import {
  DomainError,
  emailReservationDecider,
  emailReservationStream,
  normalizeEmail,
  userDecider,
  userStream,
} from '@concord/domain';
import { CommandExecutor, CONCORD_CONFIG, ConcordConfig, loadAggregate, PasswordHashing } from '@concord/api/platform';
import { RegisterUserCommand } from './register-user.command';

/**
 * Claims the email address on its own stream first (so it is unique across users), then registers
 * the user. When a registration was cut off between the two appends (a crash), the address stays
 * reserved for a user who does not exist: a retry with that address completes that registration
 * instead of refusing it forever. The password is hashed here; only the Argon2id hash is recorded.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly passwords: PasswordHashing,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'streamKey'>,
  ) {}

  async execute(command: RegisterUserCommand): Promise<{ userId: string }> {
    const email = normalizeEmail(command.email);
    const userId = (await this.unfinishedRegistration(email)) ?? command.userId ?? randomUUID();
    try {
      await this.commands.execute(
        emailReservationStream(email, this.config.streamKey),
        emailReservationDecider,
        { type: 'ReserveEmail', data: { email, userId } },
        command.actor.userId,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict') {
        throw new ConflictException(`A user with the email ${email} is already registered`);
      }
      throw error;
    }
    await this.commands.execute(
      userStream(userId),
      userDecider,
      {
        type: 'RegisterUser',
        data: {
          userId,
          email,
          name: command.name,
          passwordHash: await this.passwords.hash(command.password),
          isAdmin: command.isAdmin,
          actor: command.actor,
          ...(command.invitationId ? { invitationId: command.invitationId } : {}),
        },
      },
      command.actor.userId,
    );
    return { userId };
  }

  /** The user an address is reserved for when that user was never registered, if any. */
  private async unfinishedRegistration(email: string): Promise<string | undefined> {
    const { state } = await loadAggregate(this.store, emailReservationStream(email, this.config.streamKey), emailReservationDecider);
    if (state.reservedBy === null) return undefined;
    const userExists = (await this.store.streamRevision(userStream(state.reservedBy))) >= 0;
    return userExists ? undefined : state.reservedBy;
  }
}
