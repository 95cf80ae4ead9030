import type { RecordedEvent } from '@concord/event-store';
import { parseStream, type ThreadEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

/**
 * Every thread action of every proposal, one row per event (`rm_thread_actions`). A thread as shown
 * is the fold of its rows (ThreadQueries), so the threads "as they stood at revision r" are the same
 * fold over the rows made on revisions ≤ r — no second table to keep in step.
 */
export const threadsProjection: Projection = {
  name: 'threads',
  tables: ['rm_thread_actions'],
  ddl: [
    `CREATE TABLE rm_thread_actions (position BIGINT PRIMARY KEY, proposal_id TEXT NOT NULL, thread_id TEXT NOT NULL,
       action TEXT NOT NULL, message_id TEXT, user_id TEXT NOT NULL, at TEXT NOT NULL, revision INTEGER NOT NULL,
       body TEXT, mentions TEXT, anchor_from TEXT, anchor_to TEXT, quote TEXT)`,
    `CREATE INDEX rm_thread_actions_proposal ON rm_thread_actions (proposal_id)`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    if (parseStream(recorded.stream)?.kind !== 'proposal-threads') return [];
    const event = { type: recorded.type, data: recorded.data } as ThreadEvent;
    const { at, userId } = recorded.metadata;
    const insert = (action: string, values: { messageId?: string; body?: string; mentions?: readonly string[]; anchorFrom?: string; anchorTo?: string; quote?: string }) =>
      sql(
        `INSERT INTO rm_thread_actions (position, proposal_id, thread_id, action, message_id, user_id, at, revision, body, mentions, anchor_from, anchor_to, quote)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        recorded.position, event.data.proposalId, event.data.threadId, action, values.messageId ?? null, userId, at, event.data.revision,
        values.body ?? null, values.mentions ? JSON.stringify(values.mentions) : null, values.anchorFrom ?? null, values.anchorTo ?? null,
        values.quote ?? null,
      );
    switch (event.type) {
      case 'ThreadOpened':
        return [
          insert('opened', {
            messageId: event.data.threadId,
            body: event.data.body,
            mentions: event.data.mentions,
            anchorFrom: event.data.anchor.from,
            anchorTo: event.data.anchor.to,
            quote: event.data.quote,
          }),
        ];
      case 'ThreadReplied':
        return [insert('replied', { messageId: event.data.replyId, body: event.data.body, mentions: event.data.mentions })];
      case 'ThreadResolved':
        return [insert('resolved', {})];
      case 'ThreadReopened':
        return [insert('reopened', {})];
      default:
        return [];
    }
  },
};
