import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  INTRODUCTION_KIND,
  OTHER_CONTRIBUTIONS,
  type SilenceStatus,
  type SubmissionDto,
  type SubmissionSectionDto,
  type SubmissionSilenceDto,
  type SubmissionStatus,
} from '@concord/contracts';
import { findConsultation } from '@concord/reference';
import { Principal, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';

interface SubmissionRow {
  id: string;
  iscm_id: string;
  consultation: string;
  title: string;
  due_date: string;
  status: SubmissionStatus;
  consultation_id: string | null;
}

/**
 * A submission's sections: one per guiding question of its consultation (numbered 1..n in question
 * order), then "Other contributions" (n + 1), each with its proposals in placement order. A proposal
 * placed under a question the consultation no longer has is shown under "Other contributions", last.
 * `introductions` (question id → proposal id) gives each question's section its introduction.
 */
export function sectionsOf(
  consultationId: string | null,
  placements: readonly { proposal_id: string; section_id: string }[],
  introductions: ReadonlyMap<string, string> = new Map(),
): SubmissionSectionDto[] {
  const questions = (consultationId ? findConsultation(consultationId)?.questions : undefined) ?? [];
  const sections: SubmissionSectionDto[] = questions.map((q, i) => ({
    id: q.id,
    number: i + 1,
    question: q.question,
    proposalIds: [],
    introductionId: introductions.get(q.id) ?? null,
  }));
  const other: SubmissionSectionDto = { id: null, number: questions.length + 1, question: OTHER_CONTRIBUTIONS, proposalIds: [], introductionId: null };
  const byId = new Map(sections.map((section) => [section.id, section]));
  const strays: string[] = [];
  for (const { proposal_id: proposalId, section_id: sectionId } of placements) {
    if (sectionId === '') other.proposalIds.push(proposalId);
    else (byId.get(sectionId)?.proposalIds ?? strays).push(proposalId);
  }
  other.proposalIds.push(...strays);
  return [...sections, other];
}

@Injectable()
export class SubmissionQueries {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async list(principal: Principal, iscmId?: string): Promise<SubmissionDto[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (!principal.isAdmin) {
      conditions.push('s.iscm_id IN (SELECT iscm_id FROM rm_members WHERE user_id = ?)');
      params.push(principal.userId);
    }
    if (iscmId) {
      conditions.push('s.iscm_id = ?');
      params.push(iscmId);
    }
    const rows = await this.db.query<SubmissionRow>(
      `SELECT s.* FROM rm_submissions s ${conditions.length ? 'WHERE ' + conditions.join(' AND ') : ''} ORDER BY s.due_date, s.id`,
      params,
    );
    return Promise.all(rows.map((row) => this.toDto(row)));
  }

  async one(submissionId: string, principal: Principal): Promise<SubmissionDto> {
    const visible = await this.list(principal);
    const submission = visible.find((s) => s.id === submissionId);
    if (!submission) throw new NotFoundException(`Submission ${submissionId} does not exist or you have no role in its workspace`);
    return submission;
  }

  private async toDto(row: SubmissionRow): Promise<SubmissionDto> {
    const [counts, placements, introductions, silence] = await Promise.all([
      // Practical approach proposals only: a section's introduction is not one.
      this.db.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM rm_proposals WHERE submission_id = ? AND kind <> ? GROUP BY status', [
        row.id,
        INTRODUCTION_KIND,
      ]),
      this.db.query<{ proposal_id: string; section_id: string }>(
        'SELECT proposal_id, section_id FROM rm_submission_placements WHERE submission_id = ? ORDER BY section_id, position, proposal_id',
        [row.id],
      ),
      // Only introductions whose proposal exists (its ProposalCreated follows the section's claim).
      this.db.query<{ section_id: string; proposal_id: string }>(
        'SELECT i.section_id, i.proposal_id FROM rm_section_introductions i JOIN rm_proposals p ON p.id = i.proposal_id WHERE i.submission_id = ?',
        [row.id],
      ),
      this.latestSilence(row.id),
    ]);
    return {
      id: row.id,
      iscmId: row.iscm_id,
      consultation: row.consultation,
      title: row.title,
      dueDate: row.due_date,
      status: row.status,
      proposalCounts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
      consultationId: row.consultation_id ?? null,
      sections: sectionsOf(row.consultation_id ?? null, placements, new Map(introductions.map((i) => [i.section_id, i.proposal_id]))),
      silence,
    };
  }

  /** The latest silence procedure on the whole submission (rm_submission_silences), with its texts' titles and its objections. */
  private async latestSilence(submissionId: string): Promise<SubmissionSilenceDto | null> {
    const [row] = await this.db.query<{
      silence_id: string; status: SilenceStatus; texts: string; deadline: string; started_by: string;
      started_at: string; ended_at: string | null; voided_by: string | null; void_reason: string | null;
    }>('SELECT * FROM rm_submission_silences WHERE submission_id = ? ORDER BY position DESC LIMIT 1', [submissionId]);
    if (!row) return null;
    const [objections, titles] = await Promise.all([
      this.db.query<{ objection_by: string; member_state: string; reason: string; at: string }>(
        'SELECT objection_by, member_state, reason, at FROM rm_submission_silence_objections WHERE silence_id = ? ORDER BY position',
        [row.silence_id],
      ),
      this.db.query<{ id: string; title: string }>('SELECT id, title FROM rm_proposals WHERE submission_id = ?', [submissionId]),
    ]);
    const titleOf = new Map(titles.map((t) => [t.id, t.title]));
    const texts = JSON.parse(row.texts) as { proposalId: string; revision: number; contentHash: string }[];
    return {
      status: row.status,
      deadline: row.deadline,
      texts: texts.map((t) => ({ ...t, title: titleOf.get(t.proposalId) ?? t.proposalId })),
      startedBy: row.started_by,
      startedAt: row.started_at,
      objections: objections.map((o) => ({ by: o.objection_by, memberState: o.member_state, reason: o.reason, at: o.at })),
      endedAt: row.ended_at,
      voidedBy: row.voided_by,
      voidReason: row.void_reason,
    };
  }
}
