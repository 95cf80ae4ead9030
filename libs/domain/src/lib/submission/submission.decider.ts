import type { SubmissionStatus } from '@concord/contracts';
import { requireAccess } from '../access/access-policy';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, isoDate, requiredString } from '../shared/validation';
import type {
  AddSectionIntroduction,
  ApproveSubmission,
  LockSubmission,
  OpenSubmission,
  PlaceProposal,
  ProposalApprovalState,
  ProposalPlaced,
  SectionIntroductionAdded,
  SendSubmissionForApproval,
  SubmissionApproved,
  SubmissionCommand,
  SubmissionEvent,
  SubmissionLocked,
  SubmissionOpened,
  SubmissionSentForApproval,
} from './submission.messages';

export type SubmissionState =
  | { readonly status: 'unopened' }
  | {
      readonly status: SubmissionStatus;
      readonly submissionId: string;
      readonly iscmId: string;
      /** The GCM consultation it is written for (reference data), or null. */
      readonly consultationId: string | null;
      /** Section (question id) → the proposal that introduces it. */
      readonly introductions: Readonly<Record<string, string>>;
    };

type OpenedSubmission = Exclude<SubmissionState, { status: 'unopened' }>;

export const initialSubmissionState = (): SubmissionState => ({ status: 'unopened' });

const NEXT_STATUS: Record<Exclude<SubmissionEvent['type'], 'SubmissionOpened' | 'ProposalPlaced' | 'SectionIntroductionAdded'>, SubmissionStatus> = {
  SubmissionSentForApproval: 'review',
  SubmissionApproved: 'approved',
  SubmissionLocked: 'submitted',
};

export function evolveSubmission(state: SubmissionState, event: SubmissionEvent): SubmissionState {
  if (event.type === 'SubmissionOpened') {
    const { submissionId, iscmId, consultationId } = event.data;
    return { status: 'drafting', submissionId, iscmId, consultationId: consultationId ?? null, introductions: {} };
  }
  if (event.type === 'SectionIntroductionAdded') {
    if (state.status === 'unopened') return state;
    return { ...state, introductions: { ...state.introductions, [event.data.sectionId]: event.data.proposalId } };
  }
  if (event.type === 'ProposalPlaced') {
    // Where proposals stand is the read model's business; the decider needs none of it.
    return state;
  }
  return state.status === 'unopened' ? state : { ...state, status: NEXT_STATUS[event.type] };
}

function requireOpened(state: SubmissionState, submissionId: string): OpenedSubmission {
  if (state.status === 'unopened') {
    throw notFound(`There is no submission ${submissionId}.`);
  }
  return state;
}

function openSubmission({ data }: OpenSubmission, state: SubmissionState): SubmissionOpened[] {
  requireAccess(data.actor, 'open-submission', null, null);
  if (state.status !== 'unopened') {
    throw conflict(`Submission ${data.submissionId} already exists.`);
  }
  const consultationId = knownConsultation(data);
  return [
    {
      type: 'SubmissionOpened',
      data: {
        submissionId: requiredString(data.submissionId, 'submissionId'),
        iscmId: requiredString(data.iscmId, 'iscmId'),
        consultation: boundedText(data.consultation, 'Consultation', 200),
        title: boundedText(data.title, 'Title', 200),
        dueDate: isoDate(data.dueDate, 'Due date'),
        ...(consultationId === undefined ? {} : { consultationId }),
      },
    },
  ];
}

/** The consultation named, which the reference data must know (the handler passed its questions); undefined when none is named. */
function knownConsultation({ consultationId, sectionIdsOfConsultation }: OpenSubmission['data']): string | undefined {
  if (consultationId === undefined || consultationId === null) {
    return undefined;
  }
  const id = requiredString(consultationId, 'consultationId');
  if (!Array.isArray(sectionIdsOfConsultation)) {
    throw invalid(`There is no GCM consultation ${JSON.stringify(id)}; GET /api/consultations lists them.`);
  }
  return id;
}

/** The longest a section is expected to get; an index beyond the section's end puts the proposal last. */
const MAX_INDEX = 9999;

function placeProposal({ data }: PlaceProposal, state: SubmissionState): ProposalPlaced[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'place-proposal', null, submission.status);
  const proposalId = requiredString(data.proposalId, 'proposalId');
  if (!data.proposalInSubmission) {
    throw invalid(`Proposal ${proposalId} is not a proposal of this submission.`);
  }
  const introduced = sectionIntroducedBy(submission, proposalId);
  if (introduced !== undefined) {
    throw invalid(
      `Proposal ${proposalId} is the introduction of section ${introduced}: an introduction stays first in its own section and cannot be placed.`,
    );
  }
  const { sectionId, index } = data;
  if (sectionId !== null && !(typeof sectionId === 'string' && data.sectionIdsOfConsultation.includes(sectionId))) {
    const known = data.sectionIdsOfConsultation;
    throw invalid(
      known.length === 0
        ? `The submission's consultation has no guiding questions, so the only section is "Other contributions" (sectionId null); got ${JSON.stringify(sectionId)}.`
        : `sectionId must be one of the consultation's questions (${known.join(', ')}) or null for "Other contributions"; got ${JSON.stringify(sectionId)}.`,
    );
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
    throw invalid(`index must be a whole number from 0 to ${MAX_INDEX}, got ${JSON.stringify(index)}.`);
  }
  return [{ type: 'ProposalPlaced', data: { submissionId: submission.submissionId, proposalId, sectionId, index } }];
}

/** The section `proposalId` introduces, if it introduces one. */
function sectionIntroducedBy(submission: OpenedSubmission, proposalId: string): string | undefined {
  return Object.entries(submission.introductions ?? {}).find(([, id]) => id === proposalId)?.[0];
}

function addSectionIntroduction({ data }: AddSectionIntroduction, state: SubmissionState): SectionIntroductionAdded[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'create-proposal', null, submission.status);
  const proposalId = requiredString(data.proposalId, 'proposalId');
  const { sectionId } = data;
  const known = data.sectionIdsOfConsultation;
  if (sectionId === null || typeof sectionId !== 'string' || !known.includes(sectionId)) {
    throw invalid(
      known.length === 0
        ? `The submission's consultation has no guiding questions, so it has no section that takes an introduction ("Other contributions" takes none); got ${JSON.stringify(sectionId)}.`
        : `Only a guiding question's section takes an introduction: sectionId must be one of ${known.join(', ')} ("Other contributions" takes none); got ${JSON.stringify(sectionId)}.`,
    );
  }
  const existing = submission.introductions?.[sectionId];
  if (existing !== undefined) {
    throw conflict(`Section ${sectionId} has an introduction already (proposal ${existing}); edit that one.`);
  }
  return [{ type: 'SectionIntroductionAdded', data: { submissionId: submission.submissionId, sectionId, proposalId } }];
}

function sendForApproval({ data }: SendSubmissionForApproval, state: SubmissionState): SubmissionSentForApproval[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'send-submission-for-approval', null, submission.status);
  return [{ type: 'SubmissionSentForApproval', data: { submissionId: submission.submissionId } }];
}

function validProposals(value: unknown): ProposalApprovalState[] {
  const entries = Array.isArray(value) ? (value as ProposalApprovalState[]) : undefined;
  const valid =
    entries?.every(
      (entry) =>
        typeof entry?.proposalId === 'string' &&
        entry.proposalId !== '' &&
        typeof entry.title === 'string' &&
        typeof entry.status === 'string' &&
        typeof entry.approvalCurrent === 'boolean' &&
        Number.isInteger(entry.revision) &&
        entry.revision >= 0,
    ) && new Set(entries.map((entry) => entry.proposalId)).size === entries.length;
  if (!entries || !valid) {
    throw invalid('The proposals must list each proposal once, with a revision that is a whole number of 0 or more.');
  }
  return entries;
}

const quoted = (proposals: readonly ProposalApprovalState[]) => proposals.map((p) => `“${p.title}”`).join(', ');

/** Every proposal still in the submission must carry an approval of its current text. */
function requireEveryProposalApproved(proposals: readonly ProposalApprovalState[]): void {
  const notApproved = proposals.filter((p) => p.status !== 'approved');
  const stale = proposals.filter((p) => p.status === 'approved' && !p.approvalCurrent);
  if (notApproved.length === 0 && stale.length === 0) {
    return;
  }
  const reasons = [
    notApproved.length ? `not approved: ${quoted(notApproved)}` : '',
    stale.length ? `approved, but the text has changed since: ${quoted(stale)}` : '',
  ].filter(Boolean);
  throw invalidState(
    `A submission can be approved only when the chair has approved the current text of each of its proposals; ${reasons.join('; ')}.`,
  );
}

function approveSubmission({ data }: ApproveSubmission, state: SubmissionState): SubmissionApproved[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'approve-submission', null, submission.status);
  const live = validProposals(data.proposals).filter((proposal) => proposal.status !== 'withdrawn');
  requireEveryProposalApproved(live);
  return [
    {
      type: 'SubmissionApproved',
      data: {
        submissionId: submission.submissionId,
        proposalRevisions: live.map(({ proposalId, revision }) => ({ proposalId, revision })),
      },
    },
  ];
}

function lockSubmission({ data }: LockSubmission, state: SubmissionState): SubmissionLocked[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'lock-submission', null, submission.status);
  return [{ type: 'SubmissionLocked', data: { submissionId: submission.submissionId } }];
}

export function decideSubmission(command: SubmissionCommand, state: SubmissionState): SubmissionEvent[] {
  switch (command.type) {
    case 'OpenSubmission':
      return openSubmission(command, state);
    case 'SendSubmissionForApproval':
      return sendForApproval(command, state);
    case 'ApproveSubmission':
      return approveSubmission(command, state);
    case 'LockSubmission':
      return lockSubmission(command, state);
    case 'PlaceProposal':
      return placeProposal(command, state);
    case 'AddSectionIntroduction':
      return addSectionIntroduction(command, state);
    default:
      return unknownCommand(command);
  }
}

export const submissionDecider: Decider<SubmissionState, SubmissionCommand, SubmissionEvent> = {
  initialState: initialSubmissionState,
  evolve: evolveSubmission,
  decide: decideSubmission,
};
