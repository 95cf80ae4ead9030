import type { RecordedEvent } from '@concord/event-store';
import type { WebhookEventName } from '@concord/domain';

/** The JSON body of a delivery. */
export interface WebhookPayload {
  /** The delivery id: the id of the recorded event (a receiver drops a second delivery of the same id). */
  id: string;
  type: WebhookEventName | 'ping';
  occurredAt: string;
  iscmId: string;
  data: Record<string, unknown>;
}

/**
 * The facts a delivery may carry: ids, revisions, hashes, deadlines, roles, who acted. Never the
 * text (titles, comments, objections, quotes, suggested words) nor personal data beyond user ids
 * (an invitation's email address is left out): a receiver reads those through the API, as its
 * rights allow.
 */
const PUBLIC_FIELDS = [
  'proposalId', 'submissionId', 'silenceId', 'threadId', 'suggestionId', 'invitationId', 'userId',
  'revision', 'contentHash', 'deadline', 'memberState', 'role', 'roles', 'kind', 'expiresAt',
] as const;

const OUTCOME: Record<string, string> = { SuggestionAccepted: 'accepted', SuggestionRejected: 'rejected' };

/** The body delivered for a recorded event of the workspace `iscmId` (deterministic: the same event gives the same body). */
export function webhookPayload(event: RecordedEvent, name: WebhookEventName, iscmId: string): WebhookPayload {
  const source = (event.data ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  for (const field of PUBLIC_FIELDS) {
    if (source[field] !== undefined) data[field] = source[field];
  }
  if (OUTCOME[event.type]) data['outcome'] = OUTCOME[event.type];
  if ((event.type === 'SilenceBroken' || event.type === 'SubmissionSilenceBroken') && typeof source['objectionBy'] === 'string') data['objectionBy'] = source['objectionBy'];
  data['actor'] = event.metadata.userId;
  data['sourceEventType'] = event.type;
  return { id: event.id, type: name, occurredAt: event.metadata.at, iscmId, data };
}
