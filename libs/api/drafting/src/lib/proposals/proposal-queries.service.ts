import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ApprovalRoundDto, CoSponsorDto, ProposalApprovalsDto, ProposalDetailDto, ProposalStatus, ProposalSummaryDto, SilenceDto, SilenceStatus, SubmissionStatus } from '@concord/contracts';
import { memberStateIn, Principal, READ_MODEL_DATABASE, ReadModelDatabase, UserDirectory } from '@concord/api/platform';

interface ProposalRow {
  id: string;
  submission_id: string;
  iscm_id: string;
  title: string;
  kind: string;
  gcm_objectives: string;
  summary: string;
  status: ProposalStatus;
  created_at: string;
  created_by: string;
  current_revision: number;
  current_hash: string | null;
  current_hash_revision: number;
  review_revision: number | null;
  approved_revision: number | null;
  approved_hash: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
}

/**
 * Stale means the text now differs from the approved text. Until the hash of the newest revision is
 * known (it is computed shortly after edits), any move away from the approved revision counts.
 */
export function isApprovalStale(row: Pick<ProposalRow, 'approved_hash' | 'approved_revision' | 'current_revision' | 'current_hash' | 'current_hash_revision'>): boolean {
  if (row.approved_hash === null || row.approved_revision === null) return false;
  if (row.current_hash_revision === row.current_revision && row.current_hash !== null) {
    return row.current_hash !== row.approved_hash;
  }
  return row.current_revision !== row.approved_revision;
}

function toSummary(row: ProposalRow, coSponsorStates: string[] = []): ProposalSummaryDto {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    submissionId: row.submission_id,
    iscmId: row.iscm_id,
    gcmObjectives: JSON.parse(row.gcm_objectives) as number[],
    currentRevision: row.current_revision,
    approvedRevision: row.approved_revision,
    approvalStale: isApprovalStale(row),
    coSponsorStates: [...coSponsorStates].sort(),
  };
}

/** Proposals as the caller may see them: those of the workspaces they hold a role in. */
@Injectable()
export class ProposalQueries {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly users: UserDirectory,
  ) {}

  async list(principal: Principal, filter: { submissionId?: string } = {}): Promise<ProposalSummaryDto[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (!principal.isAdmin) {
      conditions.push('p.iscm_id IN (SELECT iscm_id FROM rm_members WHERE user_id = ?)');
      params.push(principal.userId);
    }
    if (filter.submissionId) {
      conditions.push('p.submission_id = ?');
      params.push(filter.submissionId);
    }
    const where = conditions.length ? 'WHERE ' + conditions.join(' AND ') : '';
    const [rows, coSponsors] = await Promise.all([
      this.db.query<ProposalRow>(`SELECT p.* FROM rm_proposals p ${where} ORDER BY p.created_at, p.id`, params),
      this.db.query<{ proposal_id: string; member_state: string }>(
        `SELECT c.proposal_id, c.member_state FROM rm_proposal_co_sponsors c JOIN rm_proposals p ON p.id = c.proposal_id ${where}`,
        params,
      ),
    ]);
    const states = new Map<string, string[]>();
    for (const c of coSponsors) states.set(c.proposal_id, [...(states.get(c.proposal_id) ?? []), c.member_state]);
    return rows.map((row) => toSummary(row, states.get(row.id)));
  }

  /** 404 both when it does not exist and when the caller has no role in its workspace. */
  async detail(proposalId: string, principal: Principal): Promise<ProposalDetailDto> {
    const [row] = await this.db.query<ProposalRow & { submission_status: SubmissionStatus }>(
      `SELECT p.*, s.status AS submission_status FROM rm_proposals p
       JOIN rm_submissions s ON s.id = p.submission_id WHERE p.id = ?`,
      [proposalId],
    );
    if (!row || !(principal.isAdmin || (await this.users.rolesIn(principal.userId, row.iscm_id)).length > 0)) {
      throw new NotFoundException(`Proposal ${proposalId} does not exist or you have no role in its workspace`);
    }
    const [versions, changeRequests, silence, submissionSilence, approvals, coSponsors] = await Promise.all([
      this.db.query<{ revision: number; label: string; named_by: string; at: string }>(
        'SELECT revision, label, named_by, at FROM rm_proposal_versions WHERE proposal_id = ? ORDER BY position',
        [proposalId],
      ),
      this.db.query<{ revision: number; comment: string; requested_by: string; at: string }>(
        'SELECT revision, comment, requested_by, at FROM rm_proposal_change_requests WHERE proposal_id = ? ORDER BY position',
        [proposalId],
      ),
      this.latestSilence(proposalId),
      this.submissionSilenceOf(row.submission_id, proposalId),
      this.approvalsOf(row),
      this.coSponsors(proposalId, row.iscm_id),
    ]);
    return {
      ...toSummary(row, coSponsors.map((c) => c.memberState)),
      submissionStatus: row.submission_status,
      summary: row.summary,
      createdAt: row.created_at,
      createdBy: row.created_by,
      reviewRevision: row.review_revision,
      approval:
        row.approved_revision === null
          ? null
          : {
              revision: row.approved_revision,
              contentHash: row.approved_hash as string,
              comment: row.approval_comment,
              approvedBy: row.approved_by as string,
              at: row.approved_at as string,
            },
      changeRequests: changeRequests.map((r) => ({ revision: r.revision, comment: r.comment, requestedBy: r.requested_by, at: r.at })),
      versions: versions.map((v) => ({ revision: v.revision, label: v.label, namedBy: v.named_by, at: v.at })),
      silence,
      submissionSilence,
      approvals,
      coSponsors,
    };
  }

  /**
   * The workspace's approval rule and the approvals given under it (rm_proposal_approvals): the
   * pending rounds, newest first, and the round that made the current approval.
   */
  async approvalsOf(row: Pick<ProposalRow, 'id' | 'iscm_id' | 'approved_revision' | 'approved_hash' | 'approved_at'>): Promise<ProposalApprovalsDto> {
    const [[workspace], given] = await Promise.all([
      this.db.query<{ rule: string | null }>('SELECT approval_rule AS rule FROM rm_workspaces WHERE id = ?', [row.iscm_id]),
      this.db.query<{ revision: number; content_hash: string; approver_id: string; comment: string | null; at: string; outcome: string | null; settled_at: string | null }>(
        `SELECT revision, content_hash, approver_id, comment, at, outcome, settled_at FROM rm_proposal_approvals
         WHERE proposal_id = ? AND (outcome IS NULL OR (outcome = 'approved' AND settled_at = ?)) ORDER BY position`,
        [row.id, row.approved_at ?? ''],
      ),
    ]);
    const rule = workspace?.rule ? (JSON.parse(workspace.rule) as { approvers: string[]; required: number }) : null;
    const names = await this.users.displayNamesIn(row.iscm_id, [...new Set([...(rule?.approvers ?? []), ...given.map((g) => g.approver_id)])]);
    const nameOf = (userId: string) => names.get(userId) ?? userId;
    const rounds = new Map<string, ApprovalRoundDto>();
    let completed: ApprovalRoundDto | null = null;
    for (const g of given) {
      const entry = { userId: g.approver_id, name: nameOf(g.approver_id), at: g.at, comment: g.comment };
      if (g.outcome === 'approved') {
        if (Number(g.revision) === row.approved_revision && g.content_hash === row.approved_hash) {
          completed ??= { revision: Number(g.revision), contentHash: g.content_hash, given: [] };
          completed.given.push(entry);
        }
        continue;
      }
      const key = `${g.revision}:${g.content_hash}`;
      const round = rounds.get(key) ?? { revision: Number(g.revision), contentHash: g.content_hash, given: [] };
      round.given.push(entry);
      rounds.delete(key); // re-inserted last: the newest round is the one approved most recently
      rounds.set(key, round);
    }
    return {
      rule: rule && { approvers: rule.approvers.map((userId) => ({ userId, name: nameOf(userId) })), required: rule.required },
      pending: [...rounds.values()].reverse(),
      completed,
    };
  }

  /** The silence procedure the whole submission runs, if it circulated this proposal: until when, at which revision. */
  private async submissionSilenceOf(submissionId: string, proposalId: string): Promise<{ deadline: string; revision: number } | null> {
    const [row] = await this.db.query<{ deadline: string; texts: string }>(
      `SELECT deadline, texts FROM rm_submission_silences WHERE submission_id = ? AND status = 'running'`,
      [submissionId],
    );
    const text = row ? (JSON.parse(row.texts) as { proposalId: string; revision: number }[]).find((t) => t.proposalId === proposalId) : undefined;
    return row && text ? { deadline: row.deadline, revision: text.revision } : null;
  }

  /** The member states co-sponsoring the proposal (rm_proposal_co_sponsors), in the order they endorsed it. */
  async coSponsors(proposalId: string, iscmId: string): Promise<CoSponsorDto[]> {
    const rows = await this.db.query<{ member_state: string; endorsed_by: string; at: string; revision: number }>(
      'SELECT member_state, endorsed_by, at, revision FROM rm_proposal_co_sponsors WHERE proposal_id = ? ORDER BY position',
      [proposalId],
    );
    const names = rows.length ? await this.users.displayNamesIn(iscmId, rows.map((r) => r.endorsed_by)) : new Map<string, string>();
    return rows.map((r) => ({
      memberState: r.member_state,
      memberStateName: memberStateIn(iscmId, r.member_state)?.name ?? r.member_state,
      by: r.endorsed_by,
      byName: names.get(r.endorsed_by) ?? r.endorsed_by,
      at: r.at,
      revision: Number(r.revision),
    }));
  }

  /** The latest silence procedure on the proposal (rm_proposal_silences), with its objections. */
  async latestSilence(proposalId: string): Promise<SilenceDto | null> {
    const [row] = await this.db.query<{
      silence_id: string; status: SilenceStatus; revision: number; content_hash: string; deadline: string; started_by: string;
      started_at: string; ended_at: string | null; voided_by: string | null; void_reason: string | null;
    }>('SELECT * FROM rm_proposal_silences WHERE proposal_id = ? ORDER BY position DESC LIMIT 1', [proposalId]);
    if (!row) return null;
    const objections = await this.db.query<{ objection_by: string; member_state: string; reason: string; at: string }>(
      'SELECT objection_by, member_state, reason, at FROM rm_silence_objections WHERE silence_id = ? ORDER BY position',
      [row.silence_id],
    );
    return {
      status: row.status,
      deadline: row.deadline,
      revision: Number(row.revision),
      contentHash: row.content_hash,
      startedBy: row.started_by,
      startedAt: row.started_at,
      objections: objections.map((o) => ({ by: o.objection_by, memberState: o.member_state, reason: o.reason, at: o.at })),
      endedAt: row.ended_at,
      voidedBy: row.voided_by,
      voidReason: row.void_reason,
    };
  }
}
