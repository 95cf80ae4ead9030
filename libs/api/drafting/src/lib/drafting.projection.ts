import type { RecordedEvent } from '@concord/event-store';
import { INTRODUCTION_KIND } from '@concord/contracts';
import { CONTENT_UPDATED, parseStream, type ProposalEvent, type SubmissionEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

type DraftingEvent = ProposalEvent | SubmissionEvent;

const SUBMISSION_STATUS: Partial<Record<DraftingEvent['type'], string>> = {
  SubmissionSentForApproval: 'review',
  SubmissionApproved: 'approved',
  SubmissionLocked: 'submitted',
};

/**
 * `rm_submission_placements`: where each proposal stands in its submission, one row per proposal:
 * the section (a question id of the consultation, '' for "Other contributions") and its 0-based
 * position there, kept contiguous. A new proposal is appended to "Other contributions", so those
 * never placed follow in creation order; `ProposalPlaced` takes it out of its section (closing the
 * gap) and inserts it at the index (past the end: last), moving the ones after it down.
 */
const OTHER_SECTION = '';

function placementsOnPlaced(submissionId: string, proposalId: string, sectionId: string | null, index: number): SqlStatement[] {
  const section = sectionId ?? OTHER_SECTION;
  return [
    sql(
      `UPDATE rm_submission_placements SET position = position - 1
       WHERE submission_id = ? AND section_id = (SELECT section_id FROM rm_submission_placements WHERE proposal_id = ?)
         AND position > (SELECT position FROM rm_submission_placements WHERE proposal_id = ?)`,
      submissionId, proposalId, proposalId,
    ),
    sql('DELETE FROM rm_submission_placements WHERE proposal_id = ?', proposalId),
    sql('UPDATE rm_submission_placements SET position = position + 1 WHERE submission_id = ? AND section_id = ? AND position >= ?', submissionId, section, index),
    sql(
      `INSERT INTO rm_submission_placements (proposal_id, submission_id, section_id, position)
       SELECT ?, ?, ?, CASE WHEN COUNT(*) < ? THEN COUNT(*) ELSE ? END FROM rm_submission_placements
       WHERE submission_id = ? AND section_id = ?`,
      proposalId, submissionId, section, index, index, submissionId, section,
    ),
  ];
}

/** Ends the pending approvals of a proposal (a request for changes sends them back; other ends discard them). */
const settleApprovals = (proposalId: string, outcome: 'sent back' | 'discarded', at: string): SqlStatement =>
  sql('UPDATE rm_proposal_approvals SET outcome = ?, settled_at = ? WHERE proposal_id = ? AND outcome IS NULL', outcome, at, proposalId);

/**
 * Submissions and proposals as lists and pages show them. A proposal's current revision follows
 * its content stream; whether an approval is stale is decided from content hashes (see
 * ProposalQueries), which the content-hash tracker keeps in `current_hash`.
 */
export const draftingProjection: Projection = {
  name: 'drafting',
  tables: [
    'rm_submissions', 'rm_proposals', 'rm_proposal_versions', 'rm_proposal_change_requests', 'rm_submission_placements', 'rm_section_introductions',
    'rm_proposal_silences', 'rm_silence_objections', 'rm_submission_silences', 'rm_submission_silence_objections', 'rm_proposal_approvals',
  ],
  ddl: [
    `CREATE TABLE rm_submissions (id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL, consultation TEXT NOT NULL, title TEXT NOT NULL,
       due_date TEXT NOT NULL, status TEXT NOT NULL, opened_at TEXT NOT NULL, opened_by TEXT NOT NULL, consultation_id TEXT)`,
    `CREATE TABLE rm_submission_placements (proposal_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, section_id TEXT NOT NULL,
       position INTEGER NOT NULL)`,
    `CREATE INDEX rm_submission_placements_section ON rm_submission_placements (submission_id, section_id, position)`,
    // A section's introduction (SectionIntroductionAdded); it has no row in rm_submission_placements.
    `CREATE TABLE rm_section_introductions (submission_id TEXT NOT NULL, section_id TEXT NOT NULL, proposal_id TEXT NOT NULL,
       PRIMARY KEY (submission_id, section_id))`,
    `CREATE TABLE rm_proposals (id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, iscm_id TEXT NOT NULL, title TEXT NOT NULL,
       kind TEXT NOT NULL, gcm_objectives TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
       created_at TEXT NOT NULL, created_by TEXT NOT NULL, current_revision INTEGER NOT NULL DEFAULT 0,
       current_hash TEXT, current_hash_revision INTEGER NOT NULL DEFAULT -1,
       review_revision INTEGER, approved_revision INTEGER, approved_hash TEXT, approved_by TEXT, approved_at TEXT,
       approval_comment TEXT, updated_at TEXT NOT NULL)`,
    `CREATE INDEX rm_proposals_iscm ON rm_proposals (iscm_id)`,
    `CREATE INDEX rm_proposals_submission ON rm_proposals (submission_id)`,
    `CREATE TABLE rm_proposal_versions (proposal_id TEXT NOT NULL, revision INTEGER NOT NULL, label TEXT NOT NULL,
       named_by TEXT NOT NULL, at TEXT NOT NULL, position BIGINT NOT NULL PRIMARY KEY)`,
    `CREATE TABLE rm_proposal_change_requests (proposal_id TEXT NOT NULL, revision INTEGER NOT NULL, comment TEXT NOT NULL,
       requested_by TEXT NOT NULL, at TEXT NOT NULL, position BIGINT NOT NULL PRIMARY KEY)`,
    // Silence procedures (SilenceStarted…): the deadline service of every node reads the running ones.
    `CREATE TABLE rm_proposal_silences (silence_id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, status TEXT NOT NULL,
       revision INTEGER NOT NULL, content_hash TEXT NOT NULL, deadline TEXT NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL,
       ended_at TEXT, voided_by TEXT, void_reason TEXT, position BIGINT NOT NULL)`,
    `CREATE INDEX rm_proposal_silences_running ON rm_proposal_silences (status, deadline)`,
    `CREATE INDEX rm_proposal_silences_proposal ON rm_proposal_silences (proposal_id, position)`,
    // Approvals given under a workspace's approval rule (ApprovalGiven); outcome NULL while pending, then
    // 'approved' (the round that met the rule, settled_at = the ProposalApproved's time), 'sent back' or 'discarded'.
    `CREATE TABLE rm_proposal_approvals (proposal_id TEXT NOT NULL, revision INTEGER NOT NULL, content_hash TEXT NOT NULL,
       approver_id TEXT NOT NULL, comment TEXT, at TEXT NOT NULL, outcome TEXT, settled_at TEXT, position BIGINT NOT NULL PRIMARY KEY)`,
    `CREATE INDEX rm_proposal_approvals_proposal ON rm_proposal_approvals (proposal_id, position)`,
    `CREATE TABLE rm_silence_objections (silence_id TEXT NOT NULL, proposal_id TEXT NOT NULL, objection_by TEXT NOT NULL,
       member_state TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, position BIGINT NOT NULL PRIMARY KEY)`,
    // The whole submission circulated under silence (SubmissionSilenceStarted…); `texts` is the JSON list circulated.
    `CREATE TABLE rm_submission_silences (silence_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, status TEXT NOT NULL,
       texts TEXT NOT NULL, deadline TEXT NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL,
       ended_at TEXT, voided_by TEXT, void_reason TEXT, position BIGINT NOT NULL)`,
    `CREATE INDEX rm_submission_silences_running ON rm_submission_silences (status, deadline)`,
    `CREATE INDEX rm_submission_silences_submission ON rm_submission_silences (submission_id, position)`,
    `CREATE TABLE rm_submission_silence_objections (silence_id TEXT NOT NULL, submission_id TEXT NOT NULL, objection_by TEXT NOT NULL,
       member_state TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, position BIGINT NOT NULL PRIMARY KEY)`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    const stream = parseStream(recorded.stream);
    if (stream?.kind === 'proposal-content' || stream?.kind === 'proposal-snapshots') {
      return recorded.type === CONTENT_UPDATED
        ? [
            sql(
              'UPDATE rm_proposals SET current_revision = ?, updated_at = ? WHERE id = ? AND current_revision < ?',
              Number(recorded.metadata['revision']), recorded.metadata.at, stream.id, Number(recorded.metadata['revision']),
            ),
          ]
        : [];
    }
    const event = { type: recorded.type, data: recorded.data } as DraftingEvent;
    const { at, userId } = recorded.metadata;
    switch (event.type) {
      case 'SubmissionOpened':
        return [
          sql(
            `INSERT INTO rm_submissions (id, iscm_id, consultation, title, due_date, status, opened_at, opened_by, consultation_id)
             VALUES (?, ?, ?, ?, ?, 'drafting', ?, ?, ?)`,
            event.data.submissionId, event.data.iscmId, event.data.consultation, event.data.title, event.data.dueDate, at, userId,
            event.data.consultationId ?? null,
          ),
        ];
      case 'ProposalPlaced':
        return placementsOnPlaced(event.data.submissionId, event.data.proposalId, event.data.sectionId, event.data.index);
      case 'SectionIntroductionAdded':
        return [
          sql(
            'INSERT INTO rm_section_introductions (submission_id, section_id, proposal_id) VALUES (?, ?, ?)',
            event.data.submissionId, event.data.sectionId, event.data.proposalId,
          ),
        ];
      case 'SubmissionSentForApproval':
      case 'SubmissionApproved':
      case 'SubmissionLocked':
        return [sql('UPDATE rm_submissions SET status = ? WHERE id = ?', SUBMISSION_STATUS[event.type], event.data.submissionId)];
      case 'ProposalCreated': {
        const row = sql(
            `INSERT INTO rm_proposals (id, submission_id, iscm_id, title, kind, gcm_objectives, summary, status, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)`,
            event.data.proposalId, event.data.submissionId, event.data.iscmId, event.data.title, event.data.kind,
            JSON.stringify(event.data.gcmObjectives), event.data.summary, at, userId, at,
        );
        // An introduction heads its section (rm_section_introductions) and is never placed.
        if (event.data.kind === INTRODUCTION_KIND) return [row];
        return [
          row,
          sql(
            `INSERT INTO rm_submission_placements (proposal_id, submission_id, section_id, position)
             SELECT ?, ?, ?, COUNT(*) FROM rm_submission_placements WHERE submission_id = ? AND section_id = ?`,
            event.data.proposalId, event.data.submissionId, OTHER_SECTION, event.data.submissionId, OTHER_SECTION,
          ),
        ];
      }
      case 'ProposalDetailsChanged':
        return [
          sql(
            `UPDATE rm_proposals SET title = COALESCE(?, title), kind = COALESCE(?, kind), gcm_objectives = COALESCE(?, gcm_objectives),
             summary = COALESCE(?, summary), updated_at = ? WHERE id = ?`,
            event.data.title ?? null, event.data.kind ?? null,
            event.data.gcmObjectives ? JSON.stringify(event.data.gcmObjectives) : null, event.data.summary ?? null, at, event.data.proposalId,
          ),
        ];
      case 'ProposalSentForReview':
        return [
          sql(`UPDATE rm_proposals SET status = 'in_review', review_revision = ?, updated_at = ? WHERE id = ?`, event.data.revision, at, event.data.proposalId),
          settleApprovals(event.data.proposalId, 'discarded', at),
        ];
      case 'ApprovalGiven':
        return [
          sql(
            'INSERT INTO rm_proposal_approvals (proposal_id, revision, content_hash, approver_id, comment, at, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
            event.data.proposalId, event.data.revision, event.data.contentHash, event.data.approverId, event.data.comment, at, recorded.position,
          ),
        ];
      case 'ProposalApproved':
        return [
          sql(
            `UPDATE rm_proposal_approvals SET outcome = 'approved', settled_at = ?
             WHERE proposal_id = ? AND outcome IS NULL AND revision = ? AND content_hash = ?`,
            at, event.data.proposalId, event.data.revision, event.data.contentHash,
          ),
          settleApprovals(event.data.proposalId, 'discarded', at),
          sql(
            `UPDATE rm_proposals SET status = 'approved', approved_revision = ?, approved_hash = ?, approved_by = ?, approved_at = ?,
             approval_comment = ?, updated_at = ? WHERE id = ?`,
            event.data.revision, event.data.contentHash, userId, at, event.data.comment, at, event.data.proposalId,
          ),
        ];
      case 'ChangesRequested':
        return [
          sql(`UPDATE rm_proposals SET status = 'changes_requested', updated_at = ? WHERE id = ?`, at, event.data.proposalId),
          settleApprovals(event.data.proposalId, 'sent back', at),
          sql(
            'INSERT INTO rm_proposal_change_requests (proposal_id, revision, comment, requested_by, at, position) VALUES (?, ?, ?, ?, ?, ?)',
            event.data.proposalId, event.data.revision, event.data.comment, userId, at, recorded.position,
          ),
        ];
      case 'VersionNamed':
        return [
          sql(
            'INSERT INTO rm_proposal_versions (proposal_id, revision, label, named_by, at, position) VALUES (?, ?, ?, ?, ?, ?)',
            event.data.proposalId, event.data.revision, event.data.label, userId, at, recorded.position,
          ),
        ];
      case 'ProposalWithdrawn':
        return [
          sql(`UPDATE rm_proposals SET status = 'withdrawn', updated_at = ? WHERE id = ?`, at, event.data.proposalId),
          settleApprovals(event.data.proposalId, 'discarded', at),
        ];
      case 'SilenceStarted':
        return [
          sql(
            `INSERT INTO rm_proposal_silences (silence_id, proposal_id, status, revision, content_hash, deadline, started_by, started_at, position)
             VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
            event.data.silenceId, event.data.proposalId, event.data.revision, event.data.contentHash, event.data.deadline,
            event.data.startedBy, at, recorded.position,
          ),
        ];
      case 'SilenceBroken':
        return [
          sql(`UPDATE rm_proposal_silences SET status = 'broken', ended_at = ? WHERE silence_id = ?`, at, event.data.silenceId),
          sql(
            `INSERT INTO rm_silence_objections (silence_id, proposal_id, objection_by, member_state, reason, at, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
            event.data.silenceId, event.data.proposalId, event.data.objectionBy, event.data.memberState, event.data.reason, at, recorded.position,
          ),
        ];
      case 'SilenceVoided':
        return [
          sql(
            `UPDATE rm_proposal_silences SET status = 'void', ended_at = ?, voided_by = ?, void_reason = ? WHERE silence_id = ?`,
            at, event.data.by, event.data.reason, event.data.silenceId,
          ),
        ];
      case 'SilenceAdopted':
        // Adopted by silence counts as approved (of the revision and hash circulated), by the chair who circulated it.
        return [
          sql(`UPDATE rm_proposal_silences SET status = 'adopted', ended_at = ? WHERE silence_id = ?`, at, event.data.silenceId),
          settleApprovals(event.data.proposalId, 'discarded', at),
          sql(
            `UPDATE rm_proposals SET status = 'approved', approved_revision = ?, approved_hash = ?,
             approved_by = (SELECT started_by FROM rm_proposal_silences WHERE silence_id = ?), approved_at = ?,
             approval_comment = ?, updated_at = ? WHERE id = ?`,
            event.data.revision, event.data.contentHash, event.data.silenceId, at,
            `Adopted by silence procedure (no objection by ${event.data.deadline}).`, at, event.data.proposalId,
          ),
        ];
      case 'SubmissionSilenceStarted':
        return [
          sql(
            `INSERT INTO rm_submission_silences (silence_id, submission_id, status, texts, deadline, started_by, started_at, position)
             VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
            event.data.silenceId, event.data.submissionId, JSON.stringify(event.data.texts), event.data.deadline, event.data.startedBy, at, recorded.position,
          ),
        ];
      case 'SubmissionSilenceBroken':
        return [
          sql(`UPDATE rm_submission_silences SET status = 'broken', ended_at = ? WHERE silence_id = ?`, at, event.data.silenceId),
          sql(
            `INSERT INTO rm_submission_silence_objections (silence_id, submission_id, objection_by, member_state, reason, at, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
            event.data.silenceId, event.data.submissionId, event.data.objectionBy, event.data.memberState, event.data.reason, at, recorded.position,
          ),
        ];
      case 'SubmissionSilenceVoided':
        return [
          sql(
            `UPDATE rm_submission_silences SET status = 'void', ended_at = ?, voided_by = ?, void_reason = ? WHERE silence_id = ?`,
            at, event.data.by, event.data.reason, event.data.silenceId,
          ),
        ];
      case 'SubmissionSilenceAdopted':
        // Adopted by silence counts as the chair's approval of the submission and of each text circulated (by the chair who circulated it).
        return [
          sql(`UPDATE rm_submission_silences SET status = 'adopted', ended_at = ? WHERE silence_id = ?`, at, event.data.silenceId),
          sql(`UPDATE rm_submissions SET status = 'approved' WHERE id = ?`, event.data.submissionId),
          // As for a proposal's own adoption, approvals pending under a rule are discarded.
          ...event.data.texts.map((text) => settleApprovals(text.proposalId, 'discarded', at)),
          ...event.data.texts.map((text) =>
            sql(
              `UPDATE rm_proposals SET status = 'approved', approved_revision = ?, approved_hash = ?,
               approved_by = (SELECT started_by FROM rm_submission_silences WHERE silence_id = ?), approved_at = ?,
               approval_comment = ?, updated_at = ? WHERE id = ?`,
              text.revision, text.contentHash, event.data.silenceId, at,
              `Adopted with the whole submission by silence procedure (no objection by ${event.data.deadline}).`, at, text.proposalId,
            ),
          ),
        ];
      case 'ProposalRestored':
      case 'ProposalImported': // the file is in the log; the proposal's row does not change
      default:
        return [];
    }
  },
};
