/**
 * What a workspace's webhooks can be told: the recorded event types of the procedure, each under a
 * stable public name (`proposal.approved`, `silence.adopted`…). Receivers depend on these names, so
 * they never change; a stored type may be renamed in code without touching them. Both suggestion
 * outcomes are one public event, `suggestion.decided` (its data says which).
 *
 * There is no event for an approval going stale (it is derived from the text moving on), so there is
 * no webhook for it either.
 */
export const WEBHOOK_EVENT_OF_TYPE = {
  ProposalCreated: 'proposal.created',
  ProposalSentForReview: 'proposal.review_requested',
  ChangesRequested: 'proposal.changes_requested',
  ProposalApproved: 'proposal.approved',
  ProposalWithdrawn: 'proposal.withdrawn',
  SilenceStarted: 'silence.started',
  SilenceBroken: 'silence.broken',
  SilenceAdopted: 'silence.adopted',
  SilenceVoided: 'silence.voided',
  // A whole submission circulated under silence: the same public events, with `submissionId` and no `proposalId`.
  SubmissionSilenceStarted: 'silence.started',
  SubmissionSilenceBroken: 'silence.broken',
  SubmissionSilenceAdopted: 'silence.adopted',
  SubmissionSilenceVoided: 'silence.voided',
  SubmissionSentForApproval: 'submission.sent_for_approval',
  SubmissionApproved: 'submission.approved',
  SubmissionLocked: 'submission.locked',
  ThreadOpened: 'thread.opened',
  SuggestionAccepted: 'suggestion.decided',
  SuggestionRejected: 'suggestion.decided',
  InvitationIssued: 'member.invited',
  MemberAdded: 'member.added',
  MemberRemoved: 'member.removed',
} as const;

export type WebhookEventName = (typeof WEBHOOK_EVENT_OF_TYPE)[keyof typeof WEBHOOK_EVENT_OF_TYPE];

/** Every public event name a webhook may subscribe to, in a stable order. */
export const WEBHOOK_EVENT_NAMES: readonly WebhookEventName[] = [...new Set(Object.values(WEBHOOK_EVENT_OF_TYPE))];

/** The delivery a webhook gets from "Send test": not an event of the log, never subscribed to. */
export const WEBHOOK_PING = 'ping';

export const isWebhookEventName = (name: unknown): name is WebhookEventName =>
  typeof name === 'string' && (WEBHOOK_EVENT_NAMES as readonly string[]).includes(name);

/** The public name of a recorded event type, or undefined when webhooks are not told of it. */
export const webhookEventOf = (type: string): WebhookEventName | undefined =>
  Object.hasOwn(WEBHOOK_EVENT_OF_TYPE, type) ? WEBHOOK_EVENT_OF_TYPE[type as keyof typeof WEBHOOK_EVENT_OF_TYPE] : undefined;
