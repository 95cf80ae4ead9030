import type { DomainEventShape, ReadModelDatabase } from '@concord/api/platform';

/**
 * Which domain events change who may write a proposal's text, and for whom. One table for the
 * write fence (before the event is appended) and for re-deciding open sockets (after it is projected).
 */
export interface AccessChange {
  /** 'narrows': someone loses the right to write; 'widens': someone may gain it. */
  readonly direction: 'narrows' | 'widens';
  /** The proposals concerned, or every proposal the user belongs to (`userWide`). */
  readonly scope:
    | { readonly kind: 'proposals'; readonly proposalIds?: readonly string[]; readonly submissionId?: string }
    | { readonly kind: 'user-in-workspace'; readonly userId: string; readonly iscmId: string }
    | { readonly kind: 'user-everywhere'; readonly userId: string };
  /** Told to the people who lose the right to write. */
  readonly reason: string;
  readonly cause: string;
  /** Narrows: the id of the closure (else a random one). Silence procedures name theirs, to lift exactly it later. */
  readonly fenceId?: string;
  /** Widens: lift exactly this closure (else every closure of the user, or all of them). */
  readonly reopens?: string;
}

/** The write fence that freezes the text while silence procedure `silenceId` runs. */
export const silenceFenceId = (silenceId: string) => `silence-${silenceId}`;

/** The end of a silence procedure lifts its freeze: open sockets are decided again (they may write again). */
export const SILENCE_END_EVENT_TYPES = [
  'SilenceBroken',
  'SilenceVoided',
  'SilenceAdopted',
  'SubmissionSilenceBroken',
  'SubmissionSilenceVoided',
  'SubmissionSilenceAdopted',
] as const;

const SILENCE_ENDS: Readonly<Record<(typeof SILENCE_END_EVENT_TYPES)[number], string>> = {
  SilenceBroken: 'Silence was broken; the text may be edited again.',
  SilenceVoided: 'The silence procedure was withdrawn; the text may be edited again.',
  SilenceAdopted: 'The text was adopted by silence procedure.',
  SubmissionSilenceBroken: 'Silence on the submission was broken; the text may be edited again.',
  SubmissionSilenceVoided: 'The silence procedure on the submission was withdrawn; the text may be edited again.',
  SubmissionSilenceAdopted: 'The submission was adopted by silence procedure.',
};

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

const DRAFTER = 'drafter';

export const ACCESS_EVENT_TYPES = [
  'SubmissionLocked',
  'ProposalWithdrawn',
  'MemberAdded',
  'MemberRoleChanged',
  'MemberRemoved',
  'UserDisabled',
] as const;

export function accessChangeOf(event: DomainEventShape): AccessChange | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  switch (event.type) {
    case 'SubmissionLocked':
      return { direction: 'narrows', scope: { kind: 'proposals', submissionId: text('submissionId') }, reason: 'The submission has been submitted and is locked.', cause: event.type };
    case 'ProposalWithdrawn':
      return { direction: 'narrows', scope: { kind: 'proposals', proposalIds: [text('proposalId')] }, reason: 'The proposal has been withdrawn.', cause: event.type };
    case 'MemberRemoved': {
      const roles = Array.isArray(data['roles']) ? data['roles'] : [];
      if (!roles.includes(DRAFTER)) return null;
      return { direction: 'narrows', scope: { kind: 'user-in-workspace', userId: text('userId'), iscmId: text('iscmId') }, reason: 'Your drafter role in this workspace was removed.', cause: event.type };
    }
    case 'MemberRoleChanged': {
      if (text('from') === DRAFTER && text('to') !== DRAFTER) {
        return { direction: 'narrows', scope: { kind: 'user-in-workspace', userId: text('userId'), iscmId: text('iscmId') }, reason: 'Your drafter role in this workspace was changed.', cause: event.type };
      }
      if (text('to') === DRAFTER && text('from') !== DRAFTER) {
        return { direction: 'widens', scope: { kind: 'user-in-workspace', userId: text('userId'), iscmId: text('iscmId') }, reason: 'You are a drafter in this workspace.', cause: event.type };
      }
      return null;
    }
    case 'MemberAdded':
      if (text('role') !== DRAFTER) return null;
      return { direction: 'widens', scope: { kind: 'user-in-workspace', userId: text('userId'), iscmId: text('iscmId') }, reason: 'You are a drafter in this workspace.', cause: event.type };
    case 'SilenceStarted':
      return {
        direction: 'narrows',
        scope: { kind: 'proposals', proposalIds: [text('proposalId')] },
        reason: `A silence procedure runs on revision ${String(data['revision'])} until ${text('deadline')}; the text is frozen.`,
        cause: event.type,
        fenceId: silenceFenceId(text('silenceId')),
      };
    case 'SilenceBroken':
    case 'SilenceVoided':
    case 'SilenceAdopted':
      // Lifts only the silence's own closure: a lock or a withdrawal keeps the text closed.
      return { direction: 'widens', scope: { kind: 'proposals', proposalIds: [text('proposalId')] }, reason: SILENCE_ENDS[event.type], cause: event.type, reopens: silenceFenceId(text('silenceId')) };
    case 'SubmissionSilenceStarted': {
      const texts = Array.isArray(data['texts']) ? (data['texts'] as Array<{ proposalId?: unknown }>) : [];
      return {
        direction: 'narrows',
        scope: { kind: 'proposals', proposalIds: stringsOf(texts.map((item) => item?.proposalId)) },
        reason: `The whole submission is circulated under silence until ${text('deadline')}; the text is frozen.`,
        cause: event.type,
        fenceId: silenceFenceId(text('silenceId')),
      };
    }
    case 'SubmissionSilenceBroken':
    case 'SubmissionSilenceVoided':
    case 'SubmissionSilenceAdopted':
      return { direction: 'widens', scope: { kind: 'proposals', proposalIds: stringsOf(data['proposalIds']) }, reason: SILENCE_ENDS[event.type], cause: event.type, reopens: silenceFenceId(text('silenceId')) };
    case 'UserDisabled':
      return { direction: 'narrows', scope: { kind: 'user-everywhere', userId: text('userId') }, reason: 'Your account has been disabled.', cause: event.type };
    default:
      return null;
  }
}

/**
 * What re-decides open sockets: every change `accessChangeOf` names, and also any other change of
 * a user's roles in a workspace. The write fence only cares about drafters, but a socket belongs to
 * a reader too: a chair, auditor or delegate removed from the workspace must lose it, and a reader
 * given a new role may now do more.
 */
export function socketRecheckOf(event: DomainEventShape): AccessChange | null {
  const change = accessChangeOf(event);
  if (change) return change;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const userId = typeof data['userId'] === 'string' ? data['userId'] : '';
  const iscmId = typeof data['iscmId'] === 'string' ? data['iscmId'] : '';
  if (!userId || !iscmId) return null;
  const scope = { kind: 'user-in-workspace', userId, iscmId } as const;
  switch (event.type) {
    case 'MemberRemoved':
      return { direction: 'narrows', scope, reason: 'Your role in this workspace was removed.', cause: event.type };
    case 'MemberRoleChanged':
      return { direction: 'narrows', scope, reason: 'Your role in this workspace was changed.', cause: event.type };
    case 'MemberAdded':
      return { direction: 'widens', scope, reason: 'You have a new role in this workspace.', cause: event.type };
    default:
      return null;
  }
}

/** The proposals a change concerns, as the read model knows them now. */
export async function proposalsConcerned(db: ReadModelDatabase, change: AccessChange): Promise<string[]> {
  const { scope } = change;
  switch (scope.kind) {
    case 'proposals': {
      if (scope.proposalIds) return scope.proposalIds.filter(Boolean);
      const rows = await db.query<{ id: string }>('SELECT id FROM rm_proposals WHERE submission_id = ?', [scope.submissionId ?? '']);
      return rows.map((row) => row.id);
    }
    case 'user-in-workspace': {
      const rows = await db.query<{ id: string }>('SELECT id FROM rm_proposals WHERE iscm_id = ?', [scope.iscmId]);
      return rows.map((row) => row.id);
    }
    case 'user-everywhere': {
      const rows = await db.query<{ id: string }>(
        'SELECT p.id FROM rm_proposals p WHERE p.iscm_id IN (SELECT m.iscm_id FROM rm_members m WHERE m.user_id = ?)',
        [scope.userId],
      );
      return rows.map((row) => row.id);
    }
  }
}

/** The user a change is about (null: everyone on the proposals). */
export function userConcerned(change: AccessChange): string | null {
  return change.scope.kind === 'proposals' ? null : change.scope.userId;
}
