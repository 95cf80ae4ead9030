import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { DiffDto, RevisionDto, RevisionPage } from '@concord/contracts';
import { contentHashOfDocument, diffRevisions, toPlainText, toProseMirrorJson } from '@concord/content';
import { CollabServer, RevisionNotFoundError } from '@concord/collab';
import { proposalDecider, proposalStream } from '@concord/domain';
import { CommandExecutor, loadAggregate, Principal, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { DraftingContext, ProposalQueries } from '@concord/api/drafting';
import { AttributionCache } from './attribution-cache';
import { COLLAB_SERVER } from './collab.provider';

@Injectable()
export class HistoryService {
  private readonly attribution: AttributionCache;

  constructor(
    @Inject(COLLAB_SERVER) private readonly collab: CollabServer,
    private readonly proposals: ProposalQueries,
    private readonly users: UserDirectory,
    private readonly context: DraftingContext,
    private readonly commands: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.attribution = new AttributionCache(collab.content);
  }

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
    // Build from the checkpoint at or before `from`; attribute with every update up to `to`, since
    // deleted text may have been written long before that checkpoint.
    const [source, attribution] = await Promise.all([
      this.collab.content.historySource(proposalId, { from, to }),
      this.attribution.upTo(proposalId, to),
    ]);
    const spans = diffRevisions({ ...source, from, to, attribution });
    const authorIds = [...new Set(spans.flatMap((span) => (span.userId ? [span.userId] : [])))];
    const names = await this.users.names(authorIds);
    return { from, to, spans, authors: authorIds.map((userId) => ({ userId, userName: names.get(userId) ?? userId })) };
  }

  /**
   * Restore r as a new revision: the domain decides (drafter, proposal open, r older than the
   * current text), then the collaboration server writes one forward update that makes the text
   * equal r, through the same ordered path as any edit. Nothing is rewritten.
   */
  async restore(proposalId: string, principal: Principal, fromRevision: number): Promise<{ revision: number }> {
    await this.proposals.detail(proposalId, principal);
    const facts = await this.context.proposal(proposalId, principal);
    const command = {
      type: 'RestoreRevision' as const,
      data: { ...facts, fromRevision, newRevision: facts.currentRevision + 1 },
    };
    const { state } = await loadAggregate(this.store, proposalStream(proposalId), proposalDecider);
    proposalDecider.decide(command, state);
    const [current, target] = await Promise.all([
      this.context.contentHashAt(proposalId, facts.currentRevision),
      this.context.contentHashAt(proposalId, fromRevision),
    ]);
    if (current === target) {
      throw new BadRequestException(`The current text already equals revision ${fromRevision}: nothing to restore`);
    }
    await this.commands.execute(proposalStream(proposalId), proposalDecider, command, principal.userId);
    const result = await this.collab.content.restoreRevision(proposalId, fromRevision, { userId: principal.userId });
    return { revision: result.revision };
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
