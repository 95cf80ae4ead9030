import type { SubmissionStatus } from '@concord/contracts';
import { requireAccess } from '../access/access-policy';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, invalid, invalidState, notFound } from '../shared/domain-error';
import { instant, silenceDeadline } from '../shared/silence-deadline';
import { boundedText, isoDate, requiredString, sha256HexDigest } from '../shared/validation';
import type {
  AddSectionIntroduction,
  AdoptSubmissionSilence,
  CirculatedText,
  ObjectToSubmissionSilence,
  StartSubmissionSilence,
  SubmissionSilenceAdopted,
  SubmissionSilenceBroken,
  SubmissionSilenceStarted,
  SubmissionSilenceVoided,
  VoidSubmissionSilence,
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
      /** The latest silence procedure on the whole submission, or null when none was ever started. */
      readonly silence?: SubmissionSilence | null;
    };

export interface SubmissionSilence {
  readonly silenceId: string;
  readonly status: 'running' | 'broken' | 'adopted' | 'void';
  readonly deadline: string;
  readonly texts: readonly CirculatedText[];
}

type OpenedSubmission = Exclude<SubmissionState, { status: 'unopened' }>;

export const initialSubmissionState = (): SubmissionState => ({ status: 'unopened' });

type SilenceEventType = 'SubmissionSilenceStarted' | 'SubmissionSilenceBroken' | 'SubmissionSilenceVoided' | 'SubmissionSilenceAdopted';

const NEXT_STATUS: Record<Exclude<SubmissionEvent['type'], 'SubmissionOpened' | 'ProposalPlaced' | 'SectionIntroductionAdded' | SilenceEventType>, SubmissionStatus> = {
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
  if (state.status === 'unopened') return state;
  switch (event.type) {
    case 'SubmissionSilenceStarted': {
      const { silenceId, deadline, texts } = event.data;
      return { ...state, silence: { silenceId, status: 'running', deadline, texts } };
    }
    case 'SubmissionSilenceBroken':
      return state.silence ? { ...state, silence: { ...state.silence, status: 'broken' } } : state;
    case 'SubmissionSilenceVoided':
      return state.silence ? { ...state, silence: { ...state.silence, status: 'void' } } : state;
    case 'SubmissionSilenceAdopted':
      // Adopted by silence counts as the chair's approval of the submission, with the texts circulated.
      return { ...state, status: 'approved', silence: state.silence ? { ...state.silence, status: 'adopted' } : state.silence };
  }
  return { ...state, status: NEXT_STATUS[event.type] };
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

/** While the submission is circulated under silence, what was circulated must stay what is adopted. */
function requireNoRunningSilence(submission: OpenedSubmission, what: string): void {
  const silence = submission.silence;
  if (silence?.status === 'running') {
    throw conflict(`The submission is circulated under silence until ${silence.deadline}; ${what} only after the procedure ends (a chair may withdraw it).`);
  }
}

function placeProposal({ data }: PlaceProposal, state: SubmissionState): ProposalPlaced[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'place-proposal', null, submission.status);
  requireNoRunningSilence(submission, 'its sections can be arranged');
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
  requireNoRunningSilence(submission, 'an introduction can be added');
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
  requireNoRunningSilence(submission, 'it can be approved');
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
  requireNoRunningSilence(submission, 'it can be locked');
  return [{ type: 'SubmissionLocked', data: { submissionId: submission.submissionId } }];
}

const RUNNING_SILENCE_NEEDED = 'No silence procedure is running on this submission.';

function runningSilence(submission: OpenedSubmission): SubmissionSilence {
  const silence = submission.silence;
  if (!silence || silence.status !== 'running') {
    throw invalidState(silence ? `${RUNNING_SILENCE_NEEDED} The latest one was ${silence.status === 'void' ? 'withdrawn' : silence.status}.` : RUNNING_SILENCE_NEEDED);
  }
  return silence;
}

function validTexts(value: unknown): CirculatedText[] {
  const entries = Array.isArray(value) ? (value as CirculatedText[]) : undefined;
  const valid =
    entries?.every((entry) => typeof entry?.proposalId === 'string' && entry.proposalId !== '' && Number.isInteger(entry.revision) && entry.revision >= 0) &&
    new Set(entries.map((entry) => entry.proposalId)).size === entries.length;
  if (!entries || !valid) {
    throw invalid('The texts circulated must list each proposal once, with a revision that is a whole number of 0 or more.');
  }
  return entries.map(({ proposalId, revision, contentHash }) => ({ proposalId, revision, contentHash: sha256HexDigest(contentHash, 'contentHash') }));
}

function startSilence({ data }: StartSubmissionSilence, state: SubmissionState): SubmissionSilenceStarted[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'start-submission-silence', null, submission.status);
  if (submission.status === 'approved') {
    throw invalidState('The submission is approved already: there is nothing left to adopt by silence procedure.');
  }
  const running = submission.silence;
  if (running?.status === 'running') {
    throw conflict(`The submission is already circulated under silence until ${running.deadline}; withdraw that procedure first.`);
  }
  if (Array.isArray(data.proposalSilences) && data.proposalSilences.length > 0) {
    throw conflict(`A silence procedure of its own runs on ${data.proposalSilences.map((title) => `“${title}”`).join(', ')}; let it end or withdraw it before circulating the whole submission.`);
  }
  const texts = validTexts(data.texts);
  if (texts.length === 0) {
    throw invalidState('The submission has no proposal to circulate.');
  }
  const deadline = silenceDeadline(data.deadline, data.now, data.minLeadMs);
  return [
    {
      type: 'SubmissionSilenceStarted',
      data: { submissionId: submission.submissionId, silenceId: requiredString(data.silenceId, 'silenceId'), texts, deadline, startedBy: data.actor.userId },
    },
  ];
}

function objectToSilence({ data }: ObjectToSubmissionSilence, state: SubmissionState): SubmissionSilenceBroken[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'object-to-submission-silence', null, submission.status);
  const silence = runningSilence(submission);
  if (instant(data.now, 'now') >= Date.parse(silence.deadline)) {
    throw invalidState(`The deadline of the silence procedure (${silence.deadline}) has passed: the submission is adopted and silence can no longer be broken.`);
  }
  if (!data.memberState) {
    throw invalidState('Only the focal point of a member state may break silence, and you represent none in this workspace.');
  }
  const reason = boundedText(data.reason, 'The reason of an objection', 2000);
  return [
    {
      type: 'SubmissionSilenceBroken',
      data: {
        submissionId: submission.submissionId,
        silenceId: silence.silenceId,
        proposalIds: silence.texts.map((text) => text.proposalId),
        objectionBy: data.actor.userId,
        memberState: data.memberState,
        reason,
      },
    },
  ];
}

function voidSilence({ data }: VoidSubmissionSilence, state: SubmissionState): SubmissionSilenceVoided[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'void-submission-silence', null, submission.status);
  const silence = runningSilence(submission);
  if (instant(data.now, 'now') >= Date.parse(silence.deadline)) {
    throw invalidState(`The deadline of the silence procedure (${silence.deadline}) has passed: the submission is adopted and the procedure can no longer be withdrawn.`);
  }
  const reason = data.reason == null ? '' : boundedText(data.reason, 'Reason', 2000, 0);
  return [
    {
      type: 'SubmissionSilenceVoided',
      data: {
        submissionId: submission.submissionId,
        silenceId: silence.silenceId,
        proposalIds: silence.texts.map((text) => text.proposalId),
        by: data.actor.userId,
        reason: reason === '' ? null : reason,
      },
    },
  ];
}

function adoptSilence({ data }: AdoptSubmissionSilence, state: SubmissionState): SubmissionSilenceAdopted[] {
  const submission = requireOpened(state, data.submissionId);
  const silence = runningSilence(submission);
  if (silence.silenceId !== data.silenceId) {
    throw conflict(`Silence procedure ${data.silenceId} is not the one running on this submission.`);
  }
  if (instant(data.now, 'now') < Date.parse(silence.deadline)) {
    throw conflict(`The silence procedure runs until ${silence.deadline}; it cannot be adopted before.`);
  }
  return [
    {
      type: 'SubmissionSilenceAdopted',
      data: {
        submissionId: submission.submissionId,
        silenceId: silence.silenceId,
        texts: silence.texts,
        proposalIds: silence.texts.map((text) => text.proposalId),
        deadline: silence.deadline,
      },
    },
  ];
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
    case 'StartSubmissionSilence':
      return startSilence(command, state);
    case 'ObjectToSubmissionSilence':
      return objectToSilence(command, state);
    case 'VoidSubmissionSilence':
      return voidSilence(command, state);
    case 'AdoptSubmissionSilence':
      return adoptSilence(command, state);
    default:
      return unknownCommand(command);
  }
}

export const submissionDecider: Decider<SubmissionState, SubmissionCommand, SubmissionEvent> = {
  initialState: initialSubmissionState,
  evolve: evolveSubmission,
  decide: decideSubmission,
};
