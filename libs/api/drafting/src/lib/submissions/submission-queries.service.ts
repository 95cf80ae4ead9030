import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SubmissionDto, SubmissionStatus } from '@concord/contracts';
import { Principal, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';

interface SubmissionRow {
  id: string;
  iscm_id: string;
  consultation: string;
  title: string;
  due_date: string;
  status: SubmissionStatus;
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
    const counts = await this.db.query<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM rm_proposals WHERE submission_id = ? GROUP BY status',
      [row.id],
    );
    return {
      id: row.id,
      iscmId: row.iscm_id,
      consultation: row.consultation,
      title: row.title,
      dueDate: row.due_date,
      status: row.status,
      proposalCounts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    };
  }
}
