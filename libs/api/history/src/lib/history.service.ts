import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { DiffDto, RevisionDto, RevisionPage } from '@concord/contracts';
import { contentHashOfDocument, diffRevisionsWithMoves, toPlainText, toProseMirrorJson } from '@concord/content';
import { ProposalContent, RestoreResult, RevisionNotFoundError, SYSTEM_USER_ID } from '@concord/collab';
import { DomainError, proposalDecider, proposalStream } from '@concord/domain';
import { CommandExecutor, loadAggregate, Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@concord/event-store';
import { DraftingContext, ProposalQueries } from '@concord/api/drafting';
import { PROPOSAL_CONTENT } from '@concord/api/collab';
import { AttributionCache } from './attribution-cache';

/** How the history names the server's own updates (block ids). */
const SYSTEM_USER_NAME = 'Concord (server)';

@Injectable()
export class HistoryService {
  private readonly attribution: AttributionCache;
  private readonly log = rootLogger.child({ context: 'History' });

  constructor(
    @Inject(PROPOSAL_CONTENT) private readonly content: ProposalContent,
    private readonly proposals: ProposalQueries,
    private readonly users: UserDirectory,
    private readonly context: DraftingContext,
    private readonly commands: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.attribution = new AttributionCache(content);
  }

  async timeline(proposalId: string, principal: Principal, after = 0, limit = 50): Promise<RevisionPage> {
    const { iscmId } = await this.proposals.detail(proposalId, principal);
    const page = await this.content.timeline(proposalId, { after, limit });
    const names = await this.users.displayNamesIn(iscmId, [...new Set(page.items.map((item) => item.userId))]);
    return {
      items: page.items.map((item) => ({ ...item, userName: names.get(item.userId) ?? (item.userId === SYSTEM_USER_ID ? SYSTEM_USER_NAME : item.userId) })),
      next: page.next,
    };
  }

  async revision(proposalId: string, principal: Principal, revision: number): Promise<RevisionDto> {
    await this.proposals.detail(proposalId, principal);
    const doc = await this.documentAt(proposalId, revision);
    try {
      return { revision, contentHash: contentHashOfDocument(doc), text: toPlainText(doc), doc: toProseMirrorJson(doc) };
    } finally {
      doc.destroy();
    }
  }

  async diff(proposalId: string, principal: Principal, from: number, to: number): Promise<DiffDto> {
    const { iscmId } = await this.proposals.detail(proposalId, principal);
    if (from > to) throw new BadRequestException(`from (${from}) must not be after to (${to})`);
    const current = await this.content.currentRevision(proposalId);
    if (to > current) throw new NotFoundException(`Proposal ${proposalId} has no revision ${to} yet (newest is ${current})`);
    // Build from the snapshot at or before `from`; attribute with every update up to `to`, since
    // deleted text may have been written long before that snapshot.
    const [source, attribution] = await Promise.all([
      this.content.historySource(proposalId, { from, to }),
      this.attribution.upTo(proposalId, to),
    ]);
    const { spans, moved } = diffRevisionsWithMoves({ ...source, from, to, attribution });
    const authorIds = [...new Set(spans.flatMap((span) => (span.userId ? [span.userId] : [])))];
    const names = await this.users.displayNamesIn(iscmId, authorIds);
    return { from, to, spans, authors: authorIds.map((userId) => ({ userId, userName: names.get(userId) ?? userId })), moved };
  }

  /**
   * Restore r as one command, in three steps:
   * 1. the domain decides first (drafter, proposal open, submission not locked, r older than the
   *    current text) — a refusal writes nothing;
   * 2. the collaboration server writes one forward update that makes the text equal r, through the
   *    same ordered path as any edit, and says which revision that update became (edits arriving
   *    meanwhile are ordered before or after it, never between computing and recording it) — if
   *    this fails nothing else is recorded and the client is told;
   * 3. `ProposalRestored {fromRevision, newRevision}` is appended naming the revision produced,
   *    re-read and re-decided on a concurrency conflict (a few times).
   * What remains possible: the restoring update is recorded but step 3 never succeeds (the
   * proposal was withdrawn or its submission locked between steps 2 and 3, or the store refused
   * every attempt). The content stream then still holds the update, attributed to the user and
   * marked `kind: 'restore'`; the client gets an error saying so (409, or 503 for the store).
   */
  async restore(proposalId: string, principal: Principal, fromRevision: number): Promise<{ revision: number; fromRevision: number }> {
    // Also the visibility check: 404 for someone with no role in its workspace.
    const facts = await this.context.proposal(proposalId, principal);
    const { state } = await loadAggregate(this.store, proposalStream(proposalId), proposalDecider);
    // As if the restore became the next revision; step 3 decides again with the one it became.
    proposalDecider.decide(restoreCommand(facts, fromRevision, facts.currentRevision + 1), state);
    const [current, target] = await Promise.all([
      this.context.contentHashAt(proposalId, facts.currentRevision),
      this.context.contentHashAt(proposalId, fromRevision),
    ]);
    if (current === target) {
      throw new BadRequestException(`The current text already equals revision ${fromRevision}: nothing to restore`);
    }

    let written: RestoreResult;
    try {
      written = await this.content.restoreRevision(proposalId, fromRevision, { userId: principal.userId });
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw new NotFoundException(error.message);
      this.log.error({ proposalId, fromRevision, err: error }, 'restore: writing the restoring update failed; nothing was restored');
      throw new ServiceUnavailableException(
        `Revision ${fromRevision} could not be restored: writing the text failed (${describe(error)}). Nothing was restored; try again.`,
      );
    }
    if (written.refused) {
      throw new ConflictException(`Revision ${fromRevision} could not be restored: ${written.refused}. Nothing was restored.`);
    }
    if (!written.recorded) {
      throw new BadRequestException(`The current text already equals revision ${fromRevision}: nothing to restore`);
    }
    await this.recordRestored(proposalId, principal, fromRevision, written.revision);
    return { revision: written.revision, fromRevision };
  }

  /** Step 3 of `restore`: ProposalRestored naming the revision the update became. */
  private async recordRestored(proposalId: string, principal: Principal, fromRevision: number, newRevision: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const facts = await this.context.proposal(proposalId, principal);
        await this.commands.execute(proposalStream(proposalId), proposalDecider, restoreCommand(facts, fromRevision, newRevision), principal.userId);
        return;
      } catch (error) {
        const conflict = error instanceof WrongExpectedRevisionError;
        if (conflict && attempt < RESTORED_APPEND_ATTEMPTS) continue;
        this.log.error(
          { proposalId, fromRevision, newRevision, attempt, err: error },
          'restore: the text was restored but ProposalRestored could not be recorded',
        );
        const message =
          `The text was restored as revision ${newRevision} (from revision ${fromRevision}), but the restore could not be ` +
          `recorded as a proposal event: ${describe(error)}`;
        if (error instanceof DomainError || conflict) throw new ConflictException(message);
        throw new ServiceUnavailableException(message);
      }
    }
  }

  private async documentAt(proposalId: string, revision: number) {
    try {
      return await this.content.documentAt(proposalId, revision);
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}

/** Conflicts on the proposal stream are retried this many times in all (re-read, re-decide). */
const RESTORED_APPEND_ATTEMPTS = 5;

/** The decider sees the restoring update as revision `newRevision`, so the text before it was `newRevision - 1`. */
function restoreCommand(facts: Awaited<ReturnType<DraftingContext['proposal']>>, fromRevision: number, newRevision: number) {
  return {
    type: 'RestoreRevision' as const,
    data: { ...facts, fromRevision, currentRevision: newRevision - 1, newRevision },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
