import type { ProposalCommand, ProposalEvent } from './proposal/proposal.messages';
import type { SubmissionCommand, SubmissionEvent } from './submission/submission.messages';
import type { SessionCommand, SessionEvent } from './session/session.messages';
import type { EmailReserved, ReserveEmail, UserCommand, UserEvent } from './user/user.messages';
import type { ThreadCommand, ThreadEvent } from './thread/thread.messages';
import type { SuggestionEvent } from './suggestion/suggestion.messages';
import type { ExportEvent } from './export/export.messages';
import type { WorkspaceCommand, WorkspaceEvent } from './workspace/workspace.messages';
import type { NotificationEvent } from './notification/notification.messages';

export type DomainEvent = UserEvent | EmailReserved | SessionEvent | WorkspaceEvent | SubmissionEvent | ProposalEvent | ThreadEvent | SuggestionEvent | ExportEvent | NotificationEvent;
export type DomainEventType = DomainEvent['type'];
export type DomainCommand = UserCommand | ReserveEmail | SessionCommand | WorkspaceCommand | SubmissionCommand | ProposalCommand | ThreadCommand;

export type AggregateType = 'user' | 'emailReservation' | 'session' | 'workspace' | 'submission' | 'proposal' | 'thread' | 'suggestion' | 'export' | 'notification';

/** The aggregate each domain event type belongs to, e.g. for a projection to pick its events. */
export const AGGREGATE_OF_EVENT = {
  UserRegistered: 'user',
  PasswordChanged: 'user',
  UserDisabled: 'user',
  UserReenabled: 'user',
  PasswordResetIssued: 'user',
  PasswordReset: 'user',
  TotpEnabled: 'user',
  TotpDisabled: 'user',
  RecoveryCodeUsed: 'user',
  EmailReserved: 'emailReservation',
  SessionStarted: 'session',
  SessionEnded: 'session',
  WorkspaceRegistered: 'workspace',
  MemberAdded: 'workspace',
  MemberRoleChanged: 'workspace',
  MemberRemoved: 'workspace',
  ReviewPolicyChanged: 'workspace',
  SeparationOfDutiesChanged: 'workspace',
  ApprovalRuleChanged: 'workspace',
  InvitationIssued: 'workspace',
  InvitationAccepted: 'workspace',
  InvitationRevoked: 'workspace',
  WebhookRegistered: 'workspace',
  WebhookRemoved: 'workspace',
  SubmissionOpened: 'submission',
  SubmissionSentForApproval: 'submission',
  SubmissionApproved: 'submission',
  SubmissionLocked: 'submission',
  SubmissionSilenceStarted: 'submission',
  SubmissionSilenceBroken: 'submission',
  SubmissionSilenceVoided: 'submission',
  SubmissionSilenceAdopted: 'submission',
  ProposalPlaced: 'submission',
  SectionIntroductionAdded: 'submission',
  ProposalCreated: 'proposal',
  ProposalImported: 'proposal',
  ProposalDetailsChanged: 'proposal',
  ProposalSentForReview: 'proposal',
  ProposalApproved: 'proposal',
  ApprovalGiven: 'proposal',
  ChangesRequested: 'proposal',
  VersionNamed: 'proposal',
  ProposalRestored: 'proposal',
  ProposalWithdrawn: 'proposal',
  SilenceStarted: 'proposal',
  SilenceBroken: 'proposal',
  SilenceAdopted: 'proposal',
  SilenceVoided: 'proposal',
  ProposalCoSponsored: 'proposal',
  ProposalCoSponsorshipWithdrawn: 'proposal',
  ThreadOpened: 'thread',
  ThreadReplied: 'thread',
  ThreadResolved: 'thread',
  ThreadReopened: 'thread',
  SuggestionMade: 'suggestion',
  SuggestionRevised: 'suggestion',
  SuggestionAccepted: 'suggestion',
  SuggestionRejected: 'suggestion',
  SuggestionWithdrawn: 'suggestion',
  DocumentExported: 'export',
  NotificationsRead: 'notification',
  NotificationPreferencesChanged: 'notification',
  DeadlineApproaching: 'notification',
  MailClaimed: 'notification',
  MailSent: 'notification',
  MailFailed: 'notification',
} as const satisfies Record<DomainEventType, AggregateType>;

export type DomainEventOf<A extends AggregateType> = Extract<
  DomainEvent,
  { type: { [T in DomainEventType]: (typeof AGGREGATE_OF_EVENT)[T] extends A ? T : never }[DomainEventType] }
>;

export const DOMAIN_EVENT_TYPES = Object.keys(AGGREGATE_OF_EVENT) as DomainEventType[];

export const isDomainEventType = (type: string): type is DomainEventType => Object.hasOwn(AGGREGATE_OF_EVENT, type);

export const eventTypesOf = <A extends AggregateType>(aggregate: A) =>
  DOMAIN_EVENT_TYPES.filter((type): type is DomainEventOf<A>['type'] => AGGREGATE_OF_EVENT[type] === aggregate);
