import type { RecordedEvent } from '@concord/event-store';
import type { CoSponsorshipEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

/**
 * `rm_proposal_co_sponsors`: the member states co-sponsoring each proposal now (one row per state;
 * a withdrawal deletes it), with the delegate who endorsed it, when and at which content revision.
 */
export const coSponsorsProjection: Projection = {
  name: 'co-sponsors',
  tables: ['rm_proposal_co_sponsors'],
  ddl: [
    `CREATE TABLE rm_proposal_co_sponsors (proposal_id TEXT NOT NULL, member_state TEXT NOT NULL, endorsed_by TEXT NOT NULL,
       at TEXT NOT NULL, revision INTEGER NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (proposal_id, member_state))`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    const event = { type: recorded.type, data: recorded.data } as CoSponsorshipEvent;
    switch (event.type) {
      case 'ProposalCoSponsored':
        return [
          sql('DELETE FROM rm_proposal_co_sponsors WHERE proposal_id = ? AND member_state = ?', event.data.proposalId, event.data.memberState),
          sql(
            'INSERT INTO rm_proposal_co_sponsors (proposal_id, member_state, endorsed_by, at, revision, position) VALUES (?, ?, ?, ?, ?, ?)',
            event.data.proposalId, event.data.memberState, event.data.by, recorded.metadata.at, event.data.revision, recorded.position,
          ),
        ];
      case 'ProposalCoSponsorshipWithdrawn':
        return [sql('DELETE FROM rm_proposal_co_sponsors WHERE proposal_id = ? AND member_state = ?', event.data.proposalId, event.data.memberState)];
      default:
        return [];
    }
  },
};
