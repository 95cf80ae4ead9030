import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';
import type { ImportedFile } from '@concord/domain';

export class CreateProposalCommand extends Command<{ proposalId: string }> {
  constructor(
    readonly principal: Principal,
    readonly details: { submissionId: string; title: string; kind: string; gcmObjectives: number[]; summary: string },
    /** Initial text as ProseMirror JSON, written on the server as revision 1 (seeding). */
    readonly initialDocument?: unknown,
    readonly proposalId?: string,
    /** The Word file the initial text was imported from: ProposalImported is recorded and the text is `kind: 'import'`. */
    readonly importedFrom?: ImportedFile,
  ) {
    super();
  }
}

/**
 * Starts a proposal from a Word file (`POST /api/submissions/<id>/proposals/import`): checks who
 * may create it before reading the file, converts it (`importDocx` of @concord/document), then
 * creates the proposal with that text through `CreateProposalCommand`.
 */
export class ImportProposalCommand extends Command<{ proposalId: string; dropped: Record<string, number>; file: ImportedFile }> {
  constructor(
    readonly principal: Principal,
    readonly details: { submissionId: string; title: string; kind: string; gcmObjectives: number[] },
    readonly file: Buffer,
    readonly filename: string,
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
