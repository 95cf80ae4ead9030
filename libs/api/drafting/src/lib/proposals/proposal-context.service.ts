import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SubmissionStatus } from '@concord/contracts';
import type { Actor } from '@concord/domain';
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
}

/**
 * The facts a command is decided with but that live outside its aggregate: the actor's roles in
 * the workspace, the status of the submission, the newest revision of the text.
 */
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

  async submission(submissionId: string): Promise<SubmissionFacts> {
    const [row] = await this.db.query<{ id: string; iscm_id: string; status: SubmissionStatus }>(
      'SELECT id, iscm_id, status FROM rm_submissions WHERE id = ?',
      [submissionId],
    );
    if (!row) throw new NotFoundException(`Submission ${submissionId} does not exist`);
    return { submissionId: row.id, iscmId: row.iscm_id, status: row.status };
  }

  async proposal(proposalId: string, principal: Principal) {
    const [row] = await this.db.query<{ submission_id: string; iscm_id: string }>(
      'SELECT submission_id, iscm_id FROM rm_proposals WHERE id = ?',
      [proposalId],
    );
    if (!row) throw new NotFoundException(`Proposal ${proposalId} does not exist`);
    const [actor, submission, currentRevision] = await Promise.all([
      this.actorIn(row.iscm_id, principal),
      this.submission(row.submission_id),
      this.content.currentRevision(proposalId),
    ]);
    return { proposalId, actor, submissionStatus: submission.status, currentRevision, iscmId: row.iscm_id };
  }

  contentHashAt(proposalId: string, revision: number): Promise<string> {
    return this.content.contentHashAt(proposalId, revision);
  }
}
