import type { INTRODUCTION_KIND as CONTRACT_INTRODUCTION_KIND, ProposalStatus, SubmissionStatus } from '@concord/contracts';
import type { AccessAction } from '../access/access-policy';
import { requireAccess } from '../access/access-policy';
import type { Actor } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, existingRevision, requiredString, sha256HexDigest } from '../shared/validation';
import type {
  ApprovalGiven,
  ApproveProposal,
  ChangeProposalDetails,
  ChangesRequested,
  CreateProposal,
  NameVersion,
  ProposalApproved,
  ProposalCommand,
  ProposalCreated,
  ProposalDetails,
  ProposalDetailsChanged,
  ProposalEvent,
  ProposalImported,
  ImportedFile,
  ProposalRestored,
  ProposalSentForReview,
  ProposalWithdrawn,
  RequestChanges,
  RestoreRevision,
  SendForReview,
  VersionNamed,
  WithdrawProposal,
  AdoptSilence,
  ObjectToSilence,
  SilenceAdopted,
  SilenceBroken,
  SilenceStarted,
  SilenceVoided,
  StartSilence,
  VoidSilence,
  CoSponsorProposal,
  ProposalCoSponsored,
  ProposalCoSponsorshipWithdrawn,
  WithdrawCoSponsorship,
} from './proposal.messages';
import { instant, silenceDeadline } from '../shared/silence-deadline';

/** The kind of a section's introduction (`INTRODUCTION_KIND` of the contracts; the type keeps the two equal). */
const INTRODUCTION_KIND: typeof CONTRACT_INTRODUCTION_KIND = 'introduction';

export type ProposalState =
  | { readonly status: 'none' }
  | {
      readonly status: ProposalStatus;
      readonly proposalId: string;
      readonly submissionId: string;
      readonly iscmId: string;
      readonly details: Readonly<ProposalDetails>;
      readonly reviewRevision: number | null;
      /** The chair's latest approval: the revision and the content hash of its text. */
      readonly approval: { readonly revision: number; readonly contentHash: string } | null;
      /**
       * Approvals given under an approval rule (ApprovalGiven) since the proposal was last sent for
       * review, approved or sent back: only those of one revision and content hash count together.
       */
      readonly approvalsGiven: readonly GivenApproval[];
      readonly namedVersions: readonly { readonly revision: number; readonly label: string }[];
      /** The latest silence procedure, or null when none was ever started. */
      readonly silence: SilenceProcedure | null;
      /** The member states co-sponsoring the proposal, in the order they endorsed it. */
      readonly coSponsors: readonly string[];
    };

export interface GivenApproval {
  readonly revision: number;
  readonly contentHash: string;
  readonly approverId: string;
}

export interface SilenceProcedure {
  readonly silenceId: string;
  readonly status: 'running' | 'broken' | 'adopted' | 'void';
  readonly revision: number;
  readonly contentHash: string;
  readonly deadline: string;
}

type ExistingProposal = Exclude<ProposalState, { status: 'none' }>;

export const initialProposalState = (): ProposalState => ({ status: 'none' });

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  if (event.type === 'ProposalCreated') {
    const { proposalId, submissionId, iscmId, ...details } = event.data;
    return {
      status: 'draft',
      proposalId,
      submissionId,
      iscmId,
      details,
      reviewRevision: null,
      approval: null,
      approvalsGiven: [],
      namedVersions: [],
      silence: null,
      coSponsors: [],
    };
  }
  if (state.status === 'none') {
    return state;
  }
  switch (event.type) {
    case 'ProposalDetailsChanged': {
      const current = state.details;
      const {
        title = current.title,
        kind = current.kind,
        gcmObjectives = current.gcmObjectives,
        summary = current.summary,
      } = event.data;
      return { ...state, details: { title, kind, gcmObjectives, summary } };
    }
    case 'ProposalSentForReview':
      return { ...state, status: 'in_review', reviewRevision: event.data.revision, approvalsGiven: [] };
    case 'ProposalApproved':
      return {
        ...state,
        status: 'approved',
        approval: { revision: event.data.revision, contentHash: event.data.contentHash },
        approvalsGiven: [],
      };
    case 'ApprovalGiven': {
      const { revision, contentHash, approverId } = event.data;
      return { ...state, approvalsGiven: [...state.approvalsGiven, { revision, contentHash, approverId }] };
    }
    case 'ChangesRequested':
      // One request for changes sends the text back: the approvals given so far no longer count.
      return { ...state, status: 'changes_requested', approvalsGiven: [] };
    case 'VersionNamed':
      return {
        ...state,
        namedVersions: [...state.namedVersions, { revision: event.data.revision, label: event.data.label }],
      };
    case 'ProposalRestored':
    case 'ProposalImported':
      return state;
    case 'ProposalWithdrawn':
      return { ...state, status: 'withdrawn', approvalsGiven: [] };
    case 'SilenceStarted': {
      const { silenceId, revision, contentHash, deadline } = event.data;
      return { ...state, silence: { silenceId, status: 'running', revision, contentHash, deadline } };
    }
    case 'SilenceBroken':
      return state.silence ? { ...state, silence: { ...state.silence, status: 'broken' } } : state;
    case 'SilenceVoided':
      return state.silence ? { ...state, silence: { ...state.silence, status: 'void' } } : state;
    case 'SilenceAdopted':
      // Adopted by silence counts as approved: the revision and hash circulated.
      return {
        ...state,
        status: 'approved',
        approval: { revision: event.data.revision, contentHash: event.data.contentHash },
        approvalsGiven: [],
        silence: state.silence ? { ...state.silence, status: 'adopted' } : state.silence,
      };
    case 'ProposalCoSponsored':
      return { ...state, coSponsors: [...state.coSponsors, event.data.memberState] };
    case 'ProposalCoSponsorshipWithdrawn':
      return { ...state, coSponsors: state.coSponsors.filter((code) => code !== event.data.memberState) };
  }
}

const validTitle = (value: unknown) => boundedText(value, 'Title', 200);
const validSummary = (value: unknown) => boundedText(value, 'Summary', 2000, 0);

const KIND_SLUG = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;

function validKind(value: unknown): string {
  if (typeof value !== 'string' || value.length > 64 || !KIND_SLUG.test(value)) {
    throw invalid(`Kind must be the id of a practical approach type, such as "policy"; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** A section's introduction may name no objective; a practical approach names at least one. */
function validObjectives(value: unknown, kind?: string): number[] {
  const numbers = Array.isArray(value) ? (value as unknown[]) : [];
  const inRange = numbers.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 23);
  const enough = numbers.length > 0 || (kind === INTRODUCTION_KIND && Array.isArray(value));
  if (!enough || !inRange || new Set(numbers).size !== numbers.length) {
    throw invalid(
      kind === INTRODUCTION_KIND
        ? 'gcmObjectives of an introduction must be a list (it may be empty) of GCM objectives, each a number from 1 to 23, none twice.'
        : 'gcmObjectives must list at least one GCM objective, each a number from 1 to 23, none twice.',
    );
  }
  return [...(numbers as number[])].sort((a, b) => a - b);
}

function requireExisting(state: ProposalState, proposalId: string): ExistingProposal {
  if (state.status === 'none') {
    throw notFound(`There is no proposal ${proposalId}.`);
  }
  return state;
}

/**
 * Existence, then whether the access policy allows the action: a refusal for the actor's roles is
 * `forbidden`, one for the state of the proposal or its submission `invalid_state`.
 */
function requireActionable(
  state: ProposalState,
  data: { proposalId: string; actor: Actor; submissionStatus: SubmissionStatus },
  action: AccessAction,
): ExistingProposal {
  const proposal = requireExisting(state, data.proposalId);
  requireAccess(data.actor, action, proposal.status, data.submissionStatus);
  return proposal;
}

// Control characters, path separators and characters Windows refuses in a file name.
// eslint-disable-next-line no-control-regex
const UNSAFE_FILENAME = /[\u0000-\u001f\u007f/\\:*?"<>|]/;

function importedFile(proposalId: string, file: ImportedFile): ProposalImported {
  const filename = typeof file.filename === 'string' ? file.filename.trim() : '';
  if (!filename || filename.length > 255 || UNSAFE_FILENAME.test(filename)) {
    throw invalid('The file name must be 1 to 255 characters, without control characters, slashes or any of : * ? " < > |.');
  }
  if (!Number.isSafeInteger(file.bytes) || file.bytes <= 0) throw invalid('An imported file has a size of at least one byte.');
  return { type: 'ProposalImported', data: { proposalId, filename, bytes: file.bytes, sha256: sha256HexDigest(file.sha256, 'sha256') } };
}

function createProposal({ data }: CreateProposal, state: ProposalState): (ProposalCreated | ProposalImported)[] {
  requireAccess(data.actor, 'create-proposal', null, data.submissionStatus);
  if (state.status !== 'none') {
    throw conflict(`Proposal ${data.proposalId} already exists.`);
  }
  const imported = data.importedFrom ? [importedFile(data.proposalId, data.importedFrom)] : [];
  const kind = validKind(data.kind);
  if ((kind === INTRODUCTION_KIND) !== (data.introductionOf !== undefined)) {
    throw invalid(
      kind === INTRODUCTION_KIND
        ? `A proposal of kind "${INTRODUCTION_KIND}" is a section's introduction: POST /api/submissions/<id>/sections/<sectionId>/introduction creates it.`
        : `Only a proposal of kind "${INTRODUCTION_KIND}" introduces a section.`,
    );
  }
  return [
    {
      type: 'ProposalCreated',
      data: {
        proposalId: requiredString(data.proposalId, 'proposalId'),
        submissionId: requiredString(data.submissionId, 'submissionId'),
        iscmId: requiredString(data.iscmId, 'iscmId'),
        title: validTitle(data.title),
        kind,
        gcmObjectives: validObjectives(data.gcmObjectives, kind),
        summary: validSummary(data.summary),
      },
    },
    ...imported,
  ];
}

function changeDetails({ data }: ChangeProposalDetails, state: ProposalState): ProposalDetailsChanged[] {
  const proposal = requireActionable(state, data, 'change-details');
  const { details } = proposal;
  if ([data.title, data.kind, data.gcmObjectives, data.summary].every((value) => value === undefined)) {
    throw invalid('Give at least one of title, kind, gcmObjectives or summary to change.');
  }
  const kind = data.kind === undefined ? details.kind : validKind(data.kind);
  if ((kind === INTRODUCTION_KIND) !== (details.kind === INTRODUCTION_KIND)) {
    throw invalid(
      details.kind === INTRODUCTION_KIND
        ? 'A section introduction stays an introduction: its kind cannot change.'
        : `A proposal cannot become an introduction; POST /api/submissions/<id>/sections/<sectionId>/introduction creates a section's introduction.`,
    );
  }
  const requested: ProposalDetails = {
    title: data.title === undefined ? details.title : validTitle(data.title),
    kind,
    gcmObjectives: data.gcmObjectives === undefined ? details.gcmObjectives : validObjectives(data.gcmObjectives, kind),
    summary: data.summary === undefined ? details.summary : validSummary(data.summary),
  };
  const changed = Object.fromEntries(
    Object.entries(requested).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(details[key as keyof ProposalDetails]),
    ),
  ) as Partial<ProposalDetails>;
  if (Object.keys(changed).length === 0) {
    return [];
  }
  return [{ type: 'ProposalDetailsChanged', data: { proposalId: proposal.proposalId, ...changed } }];
}

function sendForReview({ data }: SendForReview, state: ProposalState): ProposalSentForReview[] {
  const proposal = requireActionable(state, data, 'send-for-review');
  const revision = existingRevision(data.revision, data.currentRevision);
  const contentHash = sha256HexDigest(data.contentHash, 'contentHash');
  return [{ type: 'ProposalSentForReview', data: { proposalId: proposal.proposalId, revision, contentHash } }];
}

function approveProposal({ data }: ApproveProposal, state: ProposalState): (ApprovalGiven | ProposalApproved)[] {
  const proposal = requireActionable(state, data, 'approve');
  const revision = existingRevision(data.revision, data.currentRevision);
  const contentHash = sha256HexDigest(data.contentHash, 'contentHash');
  const comment = data.comment == null ? '' : boundedText(data.comment, 'Comment', 2000, 0);
  requireApprover(proposal, data, revision, contentHash);
  const open = data.openReview;
  if (open?.required && open.suggestions + open.threads > 0) {
    const counted = [
      open.suggestions > 0 ? `${open.suggestions} suggestion${open.suggestions === 1 ? '' : 's'}` : null,
      open.threads > 0 ? `${open.threads} comment thread${open.threads === 1 ? '' : 's'}` : null,
    ].filter(Boolean);
    throw conflict(
      `This workspace approves a text only when its review is finished: ${counted.join(' and ')} ${open.suggestions + open.threads === 1 ? 'is' : 'are'} still open on revision ${revision}. Accept or reject the suggestions and resolve the comments first.`,
    );
  }
  const approved: ProposalApproved = {
    type: 'ProposalApproved',
    data: { proposalId: proposal.proposalId, revision, contentHash, comment: comment === '' ? null : comment },
  };
  const rule = data.approvalRule;
  if (!rule || rule.approvers.length === 0) return [approved];
  const given: ApprovalGiven = {
    type: 'ApprovalGiven',
    data: {
      proposalId: proposal.proposalId,
      revision,
      contentHash,
      approverId: data.actor.userId,
      comment: approved.data.comment,
      approvers: [...rule.approvers],
      required: rule.required,
    },
  };
  // Counted under the rule as it is now: approvals of this revision and hash by its approvers.
  const approvers = new Set(
    [...proposal.approvalsGiven, given.data]
      .filter((a) => a.revision === revision && a.contentHash === contentHash && rule.approvers.includes(a.approverId))
      .map((a) => a.approverId),
  );
  return approvers.size >= rule.required ? [given, approved] : [given];
}

/** Under an approval rule only its approvers approve, each once per revision and content hash. */
function requireApprover(proposal: ExistingProposal, data: ApproveProposal['data'], revision: number, contentHash: string): void {
  const rule = data.approvalRule;
  if (!rule || rule.approvers.length === 0) return;
  if (!rule.approvers.includes(data.actor.userId)) {
    throw forbidden(
      `This workspace's proposals are approved by ${rule.required === rule.approvers.length ? `all ${rule.approvers.length}` : `${rule.required} of ${rule.approvers.length}`} named approvers, and you are not one of them; you may still request changes.`,
    );
  }
  const round = proposal.approvalsGiven.filter((a) => a.revision === revision && a.contentHash === contentHash);
  if (round.some((a) => a.approverId === data.actor.userId)) {
    const counted = new Set(round.filter((a) => rule.approvers.includes(a.approverId)).map((a) => a.approverId)).size;
    throw conflict(`You have already approved revision ${revision}; ${counted} of the ${rule.required} approvals needed are given.`);
  }
}

function requestChanges({ data }: RequestChanges, state: ProposalState): ChangesRequested[] {
  const proposal = requireActionable(state, data, 'request-changes');
  const revision = existingRevision(data.revision, data.currentRevision);
  const comment = boundedText(data.comment, 'Comment', 2000);
  return [{ type: 'ChangesRequested', data: { proposalId: proposal.proposalId, revision, comment } }];
}

function nameVersion({ data }: NameVersion, state: ProposalState): VersionNamed[] {
  const proposal = requireActionable(state, data, 'name-version');
  const revision = existingRevision(data.revision, data.currentRevision);
  const label = boundedText(data.label, 'Label', 100);
  if (proposal.namedVersions.some((version) => version.revision === revision && version.label === label)) {
    return [];
  }
  return [{ type: 'VersionNamed', data: { proposalId: proposal.proposalId, revision, label } }];
}

/** While a silence procedure runs, the circulated text must stay the text adopted. */
function requireNoRunningSilence(proposal: ExistingProposal, what: string): void {
  const silence = proposal.silence;
  if (silence?.status === 'running') {
    throw conflict(`A silence procedure runs on revision ${silence.revision} until ${silence.deadline}; ${what} only after it ends (a chair may withdraw it).`);
  }
}

function restoreRevision({ data }: RestoreRevision, state: ProposalState): ProposalRestored[] {
  const proposal = requireActionable(state, data, 'restore');
  requireNoRunningSilence(proposal, 'the text can be restored');
  const fromRevision = existingRevision(data.fromRevision, data.currentRevision, 'fromRevision');
  if (fromRevision === data.currentRevision) {
    throw invalid(`Revision ${fromRevision} is the current text already; there is nothing to restore.`);
  }
  if (data.newRevision !== data.currentRevision + 1) {
    throw conflict(
      `The restore would be revision ${data.currentRevision + 1}, not ${data.newRevision}: the text has changed, reload and try again.`,
    );
  }
  return [
    {
      type: 'ProposalRestored',
      data: { proposalId: proposal.proposalId, fromRevision, newRevision: data.newRevision },
    },
  ];
}

function withdrawProposal({ data }: WithdrawProposal, state: ProposalState): ProposalWithdrawn[] {
  const proposal = requireActionable(state, data, 'withdraw');
  requireNoRunningSilence(proposal, 'the proposal can be withdrawn');
  return [{ type: 'ProposalWithdrawn', data: { proposalId: proposal.proposalId } }];
}

const RUNNING_SILENCE_NEEDED = 'No silence procedure is running on this proposal.';

function runningSilence(proposal: ExistingProposal): SilenceProcedure {
  const silence = proposal.silence;
  if (!silence || silence.status !== 'running') {
    throw invalidState(silence ? `${RUNNING_SILENCE_NEEDED} The latest one was ${silence.status === 'void' ? 'withdrawn' : silence.status}.` : RUNNING_SILENCE_NEEDED);
  }
  return silence;
}

function startSilence({ data }: StartSilence, state: ProposalState): SilenceStarted[] {
  const proposal = requireActionable(state, data, 'start-silence');
  if (proposal.silence?.status === 'running') {
    throw conflict(`A silence procedure already runs on revision ${proposal.silence.revision} until ${proposal.silence.deadline}; withdraw it first.`);
  }
  const revision = existingRevision(data.revision, data.currentRevision);
  if (revision !== data.currentRevision) {
    throw conflict(`Only the current text can be circulated: revision ${revision} is not the newest revision (${data.currentRevision}).`);
  }
  const contentHash = sha256HexDigest(data.contentHash, 'contentHash');
  const deadline = silenceDeadline(data.deadline, data.now, data.minLeadMs);
  return [
    {
      type: 'SilenceStarted',
      data: {
        proposalId: proposal.proposalId,
        silenceId: requiredString(data.silenceId, 'silenceId'),
        revision,
        contentHash,
        deadline,
        startedBy: data.actor.userId,
      },
    },
  ];
}

function objectToSilence({ data }: ObjectToSilence, state: ProposalState): SilenceBroken[] {
  const proposal = requireActionable(state, data, 'object-to-silence');
  const silence = runningSilence(proposal);
  if (instant(data.now, 'now') >= Date.parse(silence.deadline)) {
    throw invalidState(`The deadline of the silence procedure (${silence.deadline}) has passed: the text is adopted and silence can no longer be broken.`);
  }
  if (!data.memberState) {
    throw invalidState('Only the focal point of a member state may break silence, and you represent none in this workspace.');
  }
  const reason = boundedText(data.reason, 'The reason of an objection', 2000);
  return [
    {
      type: 'SilenceBroken',
      data: { proposalId: proposal.proposalId, silenceId: silence.silenceId, objectionBy: data.actor.userId, memberState: data.memberState, reason },
    },
  ];
}

function voidSilence({ data }: VoidSilence, state: ProposalState): SilenceVoided[] {
  const proposal = requireActionable(state, data, 'void-silence');
  const silence = runningSilence(proposal);
  if (instant(data.now, 'now') >= Date.parse(silence.deadline)) {
    throw invalidState(`The deadline of the silence procedure (${silence.deadline}) has passed: the text is adopted and the procedure can no longer be withdrawn.`);
  }
  const reason = data.reason == null ? '' : boundedText(data.reason, 'Reason', 2000, 0);
  return [{ type: 'SilenceVoided', data: { proposalId: proposal.proposalId, silenceId: silence.silenceId, by: data.actor.userId, reason: reason === '' ? null : reason } }];
}

function adoptSilence({ data }: AdoptSilence, state: ProposalState): SilenceAdopted[] {
  const proposal = requireExisting(state, data.proposalId);
  const silence = runningSilence(proposal);
  if (silence.silenceId !== data.silenceId) {
    throw conflict(`Silence procedure ${data.silenceId} is not the one running on this proposal.`);
  }
  if (instant(data.now, 'now') < Date.parse(silence.deadline)) {
    throw conflict(`The silence procedure runs until ${silence.deadline}; it cannot be adopted before.`);
  }
  return [
    {
      type: 'SilenceAdopted',
      data: { proposalId: proposal.proposalId, silenceId: silence.silenceId, revision: silence.revision, contentHash: silence.contentHash, deadline: silence.deadline },
    },
  ];
}

const MEMBER_STATE_CODE = /^[A-Z]{2}$/;

/**
 * A delegate endorses the proposal for the member state they represent. Allowed while the proposal
 * is not withdrawn and its submission not locked (whatever its review status: a state may support
 * a text in review or approved); a section's introduction is not co-sponsored.
 */
function coSponsor({ data }: CoSponsorProposal, state: ProposalState): ProposalCoSponsored[] {
  const proposal = requireActionable(state, data, 'co-sponsor');
  if (proposal.details.kind === INTRODUCTION_KIND) {
    throw invalid("A section's introduction is not co-sponsored; member states co-sponsor the proposals of the section.");
  }
  if (!data.memberState) {
    throw invalidState('Only the delegate of a member state may co-sponsor a proposal, and you represent none in this workspace.');
  }
  if (proposal.coSponsors.includes(data.memberState)) {
    throw conflict(`${data.memberState} already co-sponsors this proposal.`);
  }
  return [{ type: 'ProposalCoSponsored', data: { proposalId: proposal.proposalId, memberState: data.memberState, by: data.actor.userId, revision: data.currentRevision } }];
}

/** A delegate of the member state withdraws its co-sponsorship (while the proposal could still be co-sponsored). */
function withdrawCoSponsorship({ data }: WithdrawCoSponsorship, state: ProposalState): ProposalCoSponsorshipWithdrawn[] {
  const proposal = requireActionable(state, data, 'withdraw-co-sponsorship');
  const memberState = typeof data.memberState === 'string' ? data.memberState.toUpperCase() : '';
  if (!MEMBER_STATE_CODE.test(memberState)) {
    throw invalid(`A member state is named by its ISO 3166-1 alpha-2 code, such as "FR"; got ${JSON.stringify(data.memberState)}.`);
  }
  if (data.actorMemberState !== memberState) {
    throw forbidden(`Only a delegate of ${memberState} may withdraw its co-sponsorship${data.actorMemberState ? `; you represent ${data.actorMemberState}` : ''}.`);
  }
  if (!proposal.coSponsors.includes(memberState)) {
    throw notFound(`${memberState} does not co-sponsor this proposal.`);
  }
  return [{ type: 'ProposalCoSponsorshipWithdrawn', data: { proposalId: proposal.proposalId, memberState, by: data.actor.userId } }];
}

export function decideProposal(command: ProposalCommand, state: ProposalState): ProposalEvent[] {
  switch (command.type) {
    case 'CreateProposal':
      return createProposal(command, state);
    case 'ChangeProposalDetails':
      return changeDetails(command, state);
    case 'SendForReview':
      return sendForReview(command, state);
    case 'ApproveProposal':
      return approveProposal(command, state);
    case 'RequestChanges':
      return requestChanges(command, state);
    case 'NameVersion':
      return nameVersion(command, state);
    case 'RestoreRevision':
      return restoreRevision(command, state);
    case 'WithdrawProposal':
      return withdrawProposal(command, state);
    case 'StartSilence':
      return startSilence(command, state);
    case 'ObjectToSilence':
      return objectToSilence(command, state);
    case 'VoidSilence':
      return voidSilence(command, state);
    case 'AdoptSilence':
      return adoptSilence(command, state);
    case 'CoSponsorProposal':
      return coSponsor(command, state);
    case 'WithdrawCoSponsorship':
      return withdrawCoSponsorship(command, state);
    default:
      return unknownCommand(command);
  }
}

export const proposalDecider: Decider<ProposalState, ProposalCommand, ProposalEvent> = {
  initialState: initialProposalState,
  evolve: evolveProposal,
  decide: decideProposal,
};
