import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { DiffDto, RevisionDto, RevisionPage } from '@concord/contracts';
import { AttributionIndex, contentHashOfDocument, diffRevisions, restoreUpdate, toPlainText, toProseMirrorJson } from '@concord/content';
import { CollabServer, RevisionNotFoundError } from '@concord/collab';
import { proposalDecider, proposalStream } from '@concord/domain';
import { CommandExecutor, loadAggregate, Principal, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { DraftingContext, ProposalQueries } from '@concord/api/drafting';
import { COLLAB_SERVER } from './collab.provider';

@Injectable()
export class HistoryService {
  constructor(
    @Inject(COLLAB_SERVER) private readonly collab: CollabServer,
    private readonly proposals: ProposalQueries,
    private readonly users: UserDirectory,
    private readonly context: DraftingContext,
    private readonly commands: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async timeline(proposalId: string, principal: Principal, after = 0, limit = 50): Promise<RevisionPage> {
    await this.proposals.detail(proposalId, principal);
    const page = await this.collab.content.timeline(proposalId, { after, limit });
    const names = await this.users.names([...new Set(page.items.map((item) => item.userId))]);
    return {
      items: page.items.map((item) => ({ ...item, userName: names.get(item.userId) ?? item.userId })),
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
    await this.proposals.detail(proposalId, principal);
    if (from > to) throw new BadRequestException(`from (${from}) must not be after to (${to})`);
    const current = await this.collab.content.currentRevision(proposalId);
    if (to > current) throw new NotFoundException(`Proposal ${proposalId} has no revision ${to} yet (newest is ${current})`);
    const updates = await this.collab.content.updatesWithAuthors(proposalId, to);
    const spans = diffRevisions({
      updates: updates.map((u) => u.update),
      from,
      to,
      attribution: AttributionIndex.fromUpdates(updates),
    });
    const authorIds = [...new Set(spans.flatMap((span) => (span.userId ? [span.userId] : [])))];
    const names = await this.users.names(authorIds);
    return { from, to, spans, authors: authorIds.map((userId) => ({ userId, userName: names.get(userId) ?? userId })) };
  }

  /**
   * Restore r as a new revision: the domain decides (drafter, proposal open, r older than the
   * current text), then a forward update that makes the text equal r goes through the edit path.
   */
  async restore(proposalId: string, principal: Principal, fromRevision: number): Promise<{ revision: number }> {
    await this.proposals.detail(proposalId, principal);
    const facts = await this.context.proposal(proposalId, principal);
    const [current, target] = await Promise.all([
      this.documentAt(proposalId, facts.currentRevision),
      this.documentAt(proposalId, fromRevision),
    ]);
    try {
      const update = restoreUpdate(current, target, { clientId: randomInt(1, 2 ** 31) });
      const command = {
        type: 'RestoreRevision' as const,
        data: { ...facts, fromRevision, newRevision: facts.currentRevision + 1 },
      };
      if (!update) {
        // Nothing to write; the domain still says first whether this user may restore at all.
        const { state } = await loadAggregate(this.store, proposalStream(proposalId), proposalDecider);
        proposalDecider.decide(command, state);
        throw new BadRequestException(`The current text already equals revision ${fromRevision}: nothing to restore`);
      }
      await this.commands.execute(proposalStream(proposalId), proposalDecider, command, principal.userId);
      const revision = await this.collab.content.appendUpdate(proposalId, update, { userId: principal.userId, kind: 'restore' });
      return { revision };
    } finally {
      current.destroy();
      target.destroy();
    }
  }

  private async documentAt(proposalId: string, revision: number) {
    try {
      return await this.collab.content.documentAt(proposalId, revision);
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}
