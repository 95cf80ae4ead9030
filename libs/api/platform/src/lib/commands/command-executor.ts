import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { ReadModels } from '../read-model/read-models.service';
import type { Command, Decider, Event } from '@concord/domain';
import { AppendGuard, CommandOutcome, handleCommand } from './command-handling';

/**
 * Runs a domain command against its aggregate's stream, attributed to the user, and answers only
 * once the read models show its events (so the caller's next query sees what it just did).
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  async execute<State, C extends Command<string, object>, E extends Event<string, object>>(
    stream: string,
    decider: Decider<State, C, E>,
    command: C,
    userId: string,
    correlationId: string = randomUUID(),
    /** Runs between decide and append (see ContentFence). */
    guard?: AppendGuard,
  ): Promise<CommandOutcome<E>> {
    const outcome = await handleCommand(
      this.store,
      stream,
      decider,
      command,
      { userId, at: new Date().toISOString(), correlationId },
      guard,
    );
    await this.readModels.waitFor(outcome.position);
    return outcome;
  }
}

