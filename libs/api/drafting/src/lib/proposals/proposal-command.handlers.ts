import { BadRequestException, ConflictException } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { seedUpdateFromProseMirrorJson } from '@concord/content';
import { INTRODUCTION_KIND } from '@concord/contracts';
import { importDocx, WordImportError } from '@concord/document';
import { ProposalCommand, proposalDecider, proposalStream, requireAccess } from '@concord/domain';
import { isGcmObjective, isPracticalApproachType } from '@concord/reference';
import { CONTENT_FENCE, CONTENT_HISTORY, CommandExecutor, ContentFence, ContentHistory, ReadModels } from '@concord/api/platform';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { Inject } from '@nestjs/common';
import { DraftingContext } from './proposal-context.service';
import { ActOnProposalCommand, CreateProposalCommand, ImportProposalCommand, ProposalAction } from './proposal.commands';

/** On a change of details, kind `introduction` is left to the decider (an introduction keeps it; no proposal takes it). */
function checkReferenceData(details: { kind?: string; gcmObjectives?: number[] }, change = false): void {
  if (details.kind === INTRODUCTION_KIND && change) {
    details = { ...details, kind: undefined };
  } else if (details.kind === INTRODUCTION_KIND) {
    throw new BadRequestException(
      `kind "${INTRODUCTION_KIND}" is a section's introduction: POST /api/submissions/<id>/sections/<sectionId>/introduction creates it, and no proposal becomes one`,
    );
  }
  if (details.kind !== undefined && !isPracticalApproachType(details.kind)) {
    throw new BadRequestException(`kind "${details.kind}" is not a practical approach type (see practical-approach-types.json)`);
  }
  const unknown = (details.gcmObjectives ?? []).filter((n) => !isGcmObjective(n));
  if (unknown.length) throw new BadRequestException(`gcmObjectives ${unknown.join(', ')} are not GCM objectives (1 to 23)`);
}

@CommandHandler(CreateProposalCommand)
export class CreateProposalHandler implements ICommandHandler<CreateProposalCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ principal, details, initialDocument, proposalId = randomUUID(), importedFrom }: CreateProposalCommand) {
    checkReferenceData(details);
    // The text is checked against the editor's schema before anything is recorded.
    if (initialDocument) seedCheck(initialDocument);
    const submission = await this.context.submission(details.submissionId);
    await this.context.requireNotCirculated(submission.submissionId, 'a proposal can be added');
    await this.commands.execute(
      proposalStream(proposalId),
      proposalDecider,
      {
        type: 'CreateProposal',
        data: {
          proposalId,
          ...details,
          iscmId: submission.iscmId,
          actor: await this.context.actorIn(submission.iscmId, principal),
          submissionStatus: submission.status,
          ...(importedFrom ? { importedFrom } : {}),
        },
      },
      principal.userId,
    );
    if (initialDocument) {
      await this.content.seedContent(proposalId, initialDocument, principal.userId, importedFrom ? 'import' : 'seed');
      // Read-your-writes, as for the command's own events: the answer shows the text's first revision.
      await this.readModels.waitFor(await this.store.headPosition());
    }
    return { proposalId };
  }
}

/** Refuses (400, with the reason) a text the editor's schema or the update validator would not take. */
function seedCheck(document: unknown): void {
  try {
    seedUpdateFromProseMirrorJson(document as Record<string, unknown>);
  } catch (error) {
    throw new BadRequestException(`The text is not one the editor can hold: ${error instanceof Error ? error.message : String(error)}`);
  }
}

@CommandHandler(ImportProposalCommand)
export class ImportProposalHandler implements ICommandHandler<ImportProposalCommand> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly context: DraftingContext,
  ) {}

  async execute({ principal, details, file, filename }: ImportProposalCommand) {
    checkReferenceData(details);
    // Who may create a proposal here is known before the file is read (403 but for drafters, as POST /api/proposals).
    const submission = await this.context.submission(details.submissionId);
    requireAccess(await this.context.actorIn(submission.iscmId, principal), 'create-proposal', null, submission.status);
    let converted;
    try {
      converted = await importDocx(file);
    } catch (error) {
      if (error instanceof WordImportError) throw new BadRequestException(error.message);
      throw error;
    }
    const importedFrom = { filename, bytes: file.length, sha256: createHash('sha256').update(file).digest('hex') };
    const { proposalId } = await this.commandBus.execute(
      new CreateProposalCommand(principal, { ...details, summary: '' }, converted.doc, undefined, importedFrom),
    );
    return { proposalId, dropped: converted.dropped, file: importedFrom };
  }
}

/** Separation of duties, when the workspace's policy asks for it (409). */
export const CHAIR_WROTE_ALONE =
  'Separation of duties: you wrote the text of this revision alone, and this workspace does not let a chair approve their own text; another chair must approve it.';

@CommandHandler(ActOnProposalCommand)
export class ActOnProposalHandler implements ICommandHandler<ActOnProposalCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
  ) {}

  async execute({ proposalId, principal, action }: ActOnProposalCommand): Promise<void> {
    if (action.type === 'ChangeProposalDetails') checkReferenceData(action, true);
    const facts = await this.context.proposal(proposalId, principal);
    if (action.type === 'ChangeProposalDetails') await this.context.requireNotCirculated(facts.submissionId, "the proposal's details can be changed");
    if (action.type === 'WithdrawProposal') await this.context.requireNotCirculated(facts.submissionId, 'the proposal can be withdrawn');
    const base = { proposalId, actor: facts.actor, submissionStatus: facts.submissionStatus };
    const command = await this.toDomainCommand(action, base, facts.currentRevision, facts.iscmId);
    // The fence closes content writes in the log before a withdrawal is recorded.
    await this.commands.execute(proposalStream(proposalId), proposalDecider, command, principal.userId, undefined, this.fence.guard);
  }

  private async toDomainCommand(
    action: ProposalAction,
    base: Pick<Exclude<ProposalCommand, { type: 'AdoptSilence' }>['data'], 'proposalId' | 'actor' | 'submissionStatus'>,
    currentRevision: number,
    iscmId: string,
  ): Promise<ProposalCommand> {
    const hashOf = async (revision: number) =>
      revision >= 0 && revision <= currentRevision ? this.context.contentHashAt(base.proposalId, revision) : '';
    switch (action.type) {
      case 'ChangeProposalDetails': {
        const { type, ...changes } = action;
        return { type, data: { ...base, ...changes } };
      }
      case 'SendForReview':
        return { type: 'SendForReview', data: { ...base, currentRevision, revision: action.revision, contentHash: await hashOf(action.revision) } };
      case 'ApproveProposal': {
        const inRange = action.revision >= 0 && action.revision <= currentRevision;
        if (inRange && base.actor.roles.includes('chair') && (await this.context.wroteAloneUnderPolicy(iscmId, base.proposalId, action.revision, base.actor.userId))) {
          throw new ConflictException(CHAIR_WROTE_ALONE);
        }
        const openReview = inRange ? await this.context.openReviewOf(iscmId, base.proposalId, action.revision) : undefined;
        // Approval by several chairs: the rule as it is now decides whether this approval completes it.
        const approvalRule = await this.context.approvalRuleOf(iscmId);
        return {
          type: 'ApproveProposal',
          data: { ...base, currentRevision, revision: action.revision, contentHash: await hashOf(action.revision), comment: action.comment, openReview, approvalRule },
        };
      }
      case 'RequestChanges':
        return { type: 'RequestChanges', data: { ...base, currentRevision, revision: action.revision, comment: action.comment } };
      case 'NameVersion':
        return { type: 'NameVersion', data: { ...base, currentRevision, revision: action.revision, label: action.label } };
      case 'WithdrawProposal':
        return { type: 'WithdrawProposal', data: base };
    }
  }
}
