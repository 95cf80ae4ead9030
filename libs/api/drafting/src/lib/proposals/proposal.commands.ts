import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

export class CreateProposalCommand extends Command<{ proposalId: string }> {
  constructor(
    readonly principal: Principal,
    readonly details: { submissionId: string; title: string; kind: string; gcmObjectives: number[]; summary: string },
    /** Initial text as ProseMirror JSON, written on the server as revision 1 (seeding). */
    readonly initialDocument?: unknown,
    readonly proposalId?: string,
  ) {
    super();
  }
}

/** What a user asks of an existing proposal; the handler adds the facts the domain decides with. */
export type ProposalAction =
  | { type: 'ChangeProposalDetails'; title?: string; kind?: string; gcmObjectives?: number[]; summary?: string }
  | { type: 'SendForReview'; revision: number }
  | { type: 'ApproveProposal'; revision: number; comment?: string }
  | { type: 'RequestChanges'; revision: number; comment: string }
  | { type: 'NameVersion'; revision: number; label: string }
  | { type: 'WithdrawProposal' };

export class ActOnProposalCommand extends Command<void> {
  constructor(
    readonly proposalId: string,
    readonly principal: Principal,
    readonly action: ProposalAction,
  ) {
    super();
  }
}
