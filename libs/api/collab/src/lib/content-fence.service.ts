import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { appendAccessMarker } from '@concord/collab';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { AppendGuard, AppendGuardOutcome, ContentFence, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger } from '@concord/api/platform';
import { AccessChange, accessChangeOf, proposalsConcerned, userConcerned } from './access-changes';

const logger = rootLogger.child({ context: 'ContentFence' });

/**
 * Writes the write-fence markers of libs/collab (access-fence.ts) for commands that change who may
 * write: a closing marker in each affected content stream BEFORE the domain event (a racing
 * keystroke then conflicts, sees it and is refused), a reopening marker if that event could not be
 * appended, and a marker lifting a user's closures AFTER an event that gives the right back.
 */
@Injectable()
export class ContentFenceService implements ContentFence {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  readonly guard: AppendGuard = async (events, context): Promise<AppendGuardOutcome | void> => {
    const changes = events.map(accessChangeOf).filter((change): change is AccessChange => change !== null);
    if (changes.length === 0) return;
    const closed: Array<{ proposalId: string; fenceId: string; change: AccessChange }> = [];
    for (const change of changes.filter((candidate) => candidate.direction === 'narrows')) {
      const userId = userConcerned(change) ?? undefined;
      for (const proposalId of await proposalsConcerned(this.db, change)) {
        const fenceId = change.fenceId ?? randomUUID();
        try {
          await appendAccessMarker(
            this.store,
            proposalId,
            { writes: 'closed', fenceId, userId, reason: change.reason, cause: change.cause },
            context,
          );
        } catch (error) {
          // The command fails; do not leave the fences it already wrote behind.
          await this.reopen(closed, context).catch((reopenError) => logger.error({ err: reopenError }, 'could not lift a write fence'));
          throw error;
        }
        closed.push({ proposalId, fenceId, change });
      }
    }
    if (closed.length > 0) logger.info({ cause: changes.map((change) => change.cause), proposals: closed.length }, 'content writes fenced');
    return {
      // The event that needed the fence is not in the log: cancel exactly these closures.
      failed: () => this.reopen(closed, context),
      appended: async () => {
        for (const change of changes.filter((candidate) => candidate.direction === 'widens')) {
          const userId = userConcerned(change) ?? undefined;
          for (const proposalId of await proposalsConcerned(this.db, change)) {
            await appendAccessMarker(
              this.store,
              proposalId,
              { writes: 'open', userId, reopens: change.reopens, reason: change.reason, cause: change.cause },
              context,
            );
          }
        }
      },
    };
  };

  private async reopen(
    closed: ReadonlyArray<{ proposalId: string; fenceId: string; change: AccessChange }>,
    context: { userId: string; correlationId?: string },
  ): Promise<void> {
    for (const { proposalId, fenceId, change } of closed) {
      await appendAccessMarker(
        this.store,
        proposalId,
        { writes: 'open', reopens: fenceId, reason: `${change.cause} was not recorded.`, cause: change.cause },
        context,
      );
    }
  }
}
