import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ProposalStatus, SubmissionStatus } from '@concord/contracts';
import { CONTENT_FIELD, openSuggestionsIn } from '@concord/content';
import type { Actor, ApprovalRule, OpenReview } from '@concord/domain';
import {
  CONTENT_HISTORY,
  ContentHistory,
  Principal,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
  UserDirectory,
} from '@concord/api/platform';

export interface SubmissionFacts {
  submissionId: string;
  iscmId: string;
  status: SubmissionStatus;
  /** The GCM consultation (reference data) it is written for, or null. */
  consultationId: string | null;
}

/**
 * The facts a command is decided with but that live outside its aggregate: the actor's roles in
 * the workspace, the status of the submission, the newest revision of the text.
 */
/** The writer of server-side content updates (libs/collab's SYSTEM_USER_ID), which no user wrote. */
const SYSTEM_AUTHOR = 'system';

@Injectable()
export class DraftingContext {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    private readonly users: UserDirectory,
  ) {}

  async actorIn(iscmId: string, principal: Principal): Promise<Actor> {
    return { userId: principal.userId, isAdmin: principal.isAdmin, roles: await this.users.rolesIn(principal.userId, iscmId) };
  }

  /**
   * A submission's facts. Given the caller, also whether they may see it: 404 when it does not
   * exist or they hold no role in its workspace (as the queries answer), so a command needs no
   * separate visibility read.
   */
  async submission(submissionId: string, visibleTo?: Principal): Promise<SubmissionFacts> {
    const [row] = await this.db.query<{ id: string; iscm_id: string; status: SubmissionStatus; consultation_id: string | null }>(
      'SELECT id, iscm_id, status, consultation_id FROM rm_submissions WHERE id = ?',
      [submissionId],
    );
    const notFound = () =>
      new NotFoundException(visibleTo ? `Submission ${submissionId} does not exist or you have no role in its workspace` : `Submission ${submissionId} does not exist`);
    if (!row) throw notFound();
    if (visibleTo && !(await this.visibleIn(row.iscm_id, visibleTo))) throw notFound();
    return { submissionId: row.id, iscmId: row.iscm_id, status: row.status, consultationId: row.consultation_id ?? null };
  }

  /**
   * The facts a proposal command is decided with, read once: the proposal's workspace and
   * submission status (one row), the actor's roles, the newest revision. 404 when it does not exist
   * or the caller holds no role in its workspace (the same answer as `ProposalQueries.detail`).
   */
  async proposal(proposalId: string, principal: Principal) {
    const [row] = await this.db.query<{ iscm_id: string; status: ProposalStatus; submission_id: string; submission_status: SubmissionStatus }>(
      `SELECT p.iscm_id, p.status, p.submission_id, s.status AS submission_status FROM rm_proposals p
       JOIN rm_submissions s ON s.id = p.submission_id WHERE p.id = ?`,
      [proposalId],
    );
    const notFound = () => new NotFoundException(`Proposal ${proposalId} does not exist or you have no role in its workspace`);
    if (!row) throw notFound();
    const [actor, currentRevision] = await Promise.all([this.actorIn(row.iscm_id, principal), this.content.currentRevision(proposalId)]);
    if (!principal.isAdmin && actor.roles.length === 0) throw notFound();
    return {
      proposalId,
      actor,
      proposalStatus: row.status,
      submissionId: row.submission_id,
      submissionStatus: row.submission_status,
      currentRevision,
      iscmId: row.iscm_id,
    };
  }

  /** The deadline of the silence procedure the whole submission is circulated under, or null. */
  async circulatedUntil(submissionId: string): Promise<string | null> {
    const [row] = await this.db.query<{ deadline: string }>(
      `SELECT deadline FROM rm_submission_silences WHERE submission_id = ? AND status = 'running'`,
      [submissionId],
    );
    return row?.deadline ?? null;
  }

  /**
   * 409 while the whole submission is circulated under silence: what was circulated must stay what
   * is adopted (its texts are frozen by the write fence; this covers what changes the submission
   * otherwise — a new or withdrawn proposal, a changed title).
   */
  async requireNotCirculated(submissionId: string, what: string): Promise<void> {
    const deadline = await this.circulatedUntil(submissionId);
    if (deadline !== null) {
      throw new ConflictException(`The submission is circulated under silence until ${deadline}; ${what} only after the procedure ends (a chair may withdraw it).`);
    }
  }

  /** The members of a workspace (any role), for mentions. */
  async membersOf(iscmId: string): Promise<{ userId: string; name: string }[]> {
    return this.db.query<{ userId: string; name: string }>(
      `SELECT DISTINCT m.user_id AS "userId", u.name FROM rm_members m JOIN rm_users u ON u.id = m.user_id
       WHERE m.iscm_id = ? AND u.disabled = 0 ORDER BY u.name`,
      [iscmId],
    );
  }

  private async visibleIn(iscmId: string, principal: Principal): Promise<boolean> {
    return principal.isAdmin || (await this.users.rolesIn(principal.userId, iscmId)).length > 0;
  }

  /**
   * The workspace's review policy and, when it requires a finished review, what is still open on
   * `revision`: the suggestions in that revision's text, and the comment threads of the proposal not
   * resolved now (their latest action in `rm_thread_actions`, the review projection's table).
   */
  async openReviewOf(iscmId: string, proposalId: string, revision: number): Promise<OpenReview> {
    const [workspace] = await this.db.query<{ required: number | boolean }>(
      'SELECT approval_needs_closed_review AS required FROM rm_workspaces WHERE id = ?',
      [iscmId],
    );
    if (Number(workspace?.required ?? 0) !== 1) return { required: false, suggestions: 0, threads: 0 };
    const doc = await this.content.documentAt(proposalId, revision);
    let suggestions: number;
    try {
      suggestions = openSuggestionsIn(doc.getXmlFragment(CONTENT_FIELD)).size;
    } finally {
      doc.destroy();
    }
    const actions = await this.db.query<{ thread_id: string; action: string }>(
      'SELECT thread_id, action FROM rm_thread_actions WHERE proposal_id = ? ORDER BY position',
      [proposalId],
    );
    const last = new Map(actions.filter((row) => row.action !== 'replied').map((row) => [row.thread_id, row.action]));
    const threads = [...last.values()].filter((action) => action !== 'resolved').length;
    return { required: true, suggestions, threads };
  }

  /**
   * Separation of duties (SeparationOfDutiesChanged): true when the workspace refuses a chair's
   * approval of a text they alone wrote and `userId` is the only author of the updates 1..`revision`.
   * Updates by 'system' (block ids, numbering repairs) are nobody's; a seed or an import is its creator's.
   */
  async wroteAloneUnderPolicy(iscmId: string, proposalId: string, revision: number, userId: string): Promise<boolean> {
    const [workspace] = await this.db.query<{ refused: number | boolean }>(
      'SELECT chair_cannot_approve_own_text AS refused FROM rm_workspaces WHERE id = ?',
      [iscmId],
    );
    if (Number(workspace?.refused ?? 0) !== 1 || revision < 1) return false;
    const authors = new Set((await this.content.authorsUpTo(proposalId, revision)).filter((author) => author !== SYSTEM_AUTHOR));
    return authors.size === 1 && authors.has(userId);
  }

  /** The workspace's approval rule now (ApprovalRuleChanged, identity projection); null: any one chair approves. */
  async approvalRuleOf(iscmId: string): Promise<ApprovalRule | null> {
    const [workspace] = await this.db.query<{ rule: string | null }>('SELECT approval_rule AS rule FROM rm_workspaces WHERE id = ?', [iscmId]);
    return workspace?.rule ? (JSON.parse(workspace.rule) as ApprovalRule) : null;
  }

  contentHashAt(proposalId: string, revision: number): Promise<string> {
    return this.content.contentHashAt(proposalId, revision);
  }
}
