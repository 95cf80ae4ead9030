import { Inject, Injectable } from '@nestjs/common';
import type { AmendmentDto, AmendmentKind, AmendmentStatus, MemberStateDto } from '@concord/contracts';
import { memberStateIn, READ_MODEL_DATABASE, ReadModelDatabase, UserDirectory, type Principal, type WorkspacePerson } from '@concord/api/platform';
import { DraftingContext } from '@concord/api/drafting';

interface AmendmentRow {
  proposal_id: string;
  proposal_title: string;
  suggestion_id: string;
  kind: AmendmentKind;
  author_id: string;
  text_before: string;
  text_after: string;
  made_revision: number;
  made_at: string;
  last_revision: number;
  status: AmendmentStatus;
  decided_by: string | null;
  decided_at: string | null;
  decided_revision: number | null;
}

const SELECT = `SELECT a.proposal_id, p.title AS proposal_title, a.suggestion_id, a.kind, a.author_id, a.text_before, a.text_after,
  a.made_revision, a.made_at, a.last_revision, a.status, a.decided_by, a.decided_at, a.decided_revision
  FROM rm_amendments a JOIN rm_proposals p ON p.id = a.proposal_id`;

/** The amendment list (rm_amendments) with authors' and deciders' names and member states. */
@Injectable()
export class AmendmentQueries {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly context: DraftingContext,
    private readonly users: UserDirectory,
  ) {}

  /** Every suggestion of a proposal the caller may see (404 otherwise), in the order they were made. */
  async forProposal(proposalId: string, principal: Principal): Promise<AmendmentDto[]> {
    const { iscmId } = await this.context.proposal(proposalId, principal);
    const rows = await this.db.query<AmendmentRow>(`${SELECT} WHERE a.proposal_id = ? ORDER BY a.made_position`, [proposalId]);
    return this.present(iscmId, rows);
  }

  /** Every suggestion of every proposal of a submission, by proposal then as made. */
  async forSubmission(submissionId: string, principal: Principal): Promise<AmendmentDto[]> {
    const { iscmId } = await this.context.submission(submissionId, principal);
    const rows = await this.db.query<AmendmentRow>(
      `${SELECT} WHERE p.submission_id = ? ORDER BY p.created_at, p.id, a.made_position`,
      [submissionId],
    );
    return this.present(iscmId, rows);
  }

  private async present(iscmId: string, rows: readonly AmendmentRow[]): Promise<AmendmentDto[]> {
    const ids = new Set(rows.flatMap((row) => [row.author_id, ...(row.decided_by ? [row.decided_by] : [])]));
    const proposalIds = [...new Set(rows.map((row) => row.proposal_id))];
    const [people, coSponsors] = await Promise.all([this.users.peopleIn(iscmId, [...ids]), this.coSponsorsOf(iscmId, proposalIds)]);
    const person = (userId: string) => personOf(userId, people.get(userId));
    return rows.map((row) => ({
      id: row.suggestion_id,
      proposalId: row.proposal_id,
      proposalTitle: row.proposal_title,
      proposalCoSponsors: coSponsors.get(row.proposal_id) ?? [],
      kind: row.kind,
      author: person(row.author_id),
      textBefore: row.text_before,
      textAfter: row.text_after,
      madeRevision: Number(row.made_revision),
      madeAt: row.made_at,
      lastRevision: Number(row.last_revision),
      status: row.status,
      decidedBy: row.decided_by ? person(row.decided_by) : null,
      decidedAt: row.decided_at,
      decidedRevision: row.decided_revision === null ? null : Number(row.decided_revision),
    }));
  }

  /** Each proposal's co-sponsoring member states (rm_proposal_co_sponsors, the co-sponsors projection), alphabetical by name. */
  private async coSponsorsOf(iscmId: string, proposalIds: readonly string[]): Promise<Map<string, MemberStateDto[]>> {
    const byProposal = new Map<string, MemberStateDto[]>();
    if (proposalIds.length === 0) return byProposal;
    const rows = await this.db.query<{ proposal_id: string; member_state: string }>(
      `SELECT proposal_id, member_state FROM rm_proposal_co_sponsors WHERE proposal_id IN (${proposalIds.map(() => '?').join(', ')})`,
      [...proposalIds],
    );
    for (const row of rows) {
      const state = memberStateIn(iscmId, row.member_state) ?? { code: row.member_state, name: row.member_state };
      byProposal.set(row.proposal_id, [...(byProposal.get(row.proposal_id) ?? []), state]);
    }
    for (const states of byProposal.values()) states.sort((a, b) => a.name.localeCompare(b.name, 'en'));
    return byProposal;
  }
}

function personOf(userId: string, person: WorkspacePerson | undefined) {
  return { userId, name: person?.name ?? userId, memberState: person?.memberState ?? null };
}
