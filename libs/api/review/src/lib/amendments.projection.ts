import type { RecordedEvent } from '@concord/event-store';
import { parseStream, type SuggestionEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

const OUTCOME = { SuggestionAccepted: 'accepted', SuggestionRejected: 'rejected', SuggestionWithdrawn: 'withdrawn' } as const;

/**
 * The amendment list: one row per suggestion of a proposal's text (`rm_amendments`), from the
 * suggestion events the server derives from the content (SuggestionTracker). A suggestion made
 * again under a decided id (an undo brings its marks back) is open again.
 */
export const amendmentsProjection: Projection = {
  name: 'amendments',
  tables: ['rm_amendments'],
  ddl: [
    `CREATE TABLE rm_amendments (proposal_id TEXT NOT NULL, suggestion_id TEXT NOT NULL, kind TEXT NOT NULL, author_id TEXT NOT NULL,
       text_before TEXT NOT NULL, text_after TEXT NOT NULL, made_revision INTEGER NOT NULL, made_at TEXT NOT NULL, made_position BIGINT NOT NULL, last_revision INTEGER NOT NULL,
       status TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decided_revision INTEGER, PRIMARY KEY (proposal_id, suggestion_id))`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    if (parseStream(recorded.stream)?.kind !== 'proposal-suggestions') return [];
    const event = { type: recorded.type, data: recorded.data } as SuggestionEvent;
    const { proposalId, suggestionId, textBefore, textAfter, revision } = event.data;
    switch (event.type) {
      case 'SuggestionMade':
        return [
          sql('DELETE FROM rm_amendments WHERE proposal_id = ? AND suggestion_id = ?', proposalId, suggestionId),
          sql(
            `INSERT INTO rm_amendments (proposal_id, suggestion_id, kind, author_id, text_before, text_after, made_revision, made_at, made_position, last_revision, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
            proposalId, suggestionId, event.data.kind, event.data.authorId, textBefore, textAfter, revision, recorded.metadata.at, recorded.position, revision,
          ),
        ];
      case 'SuggestionRevised':
        return [
          sql(
            'UPDATE rm_amendments SET text_before = ?, text_after = ?, last_revision = ? WHERE proposal_id = ? AND suggestion_id = ?',
            textBefore, textAfter, revision, proposalId, suggestionId,
          ),
        ];
      case 'SuggestionAccepted':
      case 'SuggestionRejected':
      case 'SuggestionWithdrawn':
        return [
          sql(
            `UPDATE rm_amendments SET status = ?, text_before = ?, text_after = ?, decided_by = ?, decided_at = ?, decided_revision = ?, last_revision = ?
             WHERE proposal_id = ? AND suggestion_id = ?`,
            OUTCOME[event.type], textBefore, textAfter, recorded.metadata.userId, recorded.metadata.at, revision, revision, proposalId, suggestionId,
          ),
        ];
      default:
        return [];
    }
  },
};
