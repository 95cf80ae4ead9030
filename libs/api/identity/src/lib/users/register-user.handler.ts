import { ConflictException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '@concord/event-store';
import {
  emailReservationDecider,
  emailReservationStream,
  normalizeEmail,
  userDecider,
  userStream,
} from '@concord/domain';
import { CommandExecutor, hashPassword } from '@concord/api/platform';
import { RegisterUserCommand } from './register-user.command';

/**
 * Claims the email address on its own stream first (no_stream makes it unique across users), then
 * registers the user. The password is hashed here; only the Argon2id hash is ever recorded.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute(command: RegisterUserCommand): Promise<{ userId: string }> {
    const userId = command.userId ?? randomUUID();
    const email = normalizeEmail(command.email);
    try {
      await this.commands.execute(
        emailReservationStream(email),
        emailReservationDecider,
        { type: 'ReserveEmail', data: { email, userId } },
        command.actor.userId,
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
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
          passwordHash: await hashPassword(command.password),
          isAdmin: command.isAdmin,
          actor: command.actor,
        },
      },
      command.actor.userId,
    );
    return { userId };
  }
}
