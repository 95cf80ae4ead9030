import { MemoryEventStore } from '@concord/event-store';
import { ProjectionRunner, SqliteReadModelDatabase } from '@concord/api/platform';
import pino from 'pino';
import { draftingProjection } from './drafting.projection';
import { isApprovalStale } from './proposals/proposal-queries.service';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe('drafting projection', () => {
  let store: MemoryEventStore;
  let db: SqliteReadModelDatabase;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    store = new MemoryEventStore();
    db = new SqliteReadModelDatabase(':memory:');
    runner = new ProjectionRunner(store, db, [draftingProjection], pino({ level: 'silent' }));
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await db.close();
    await store.close();
  });

  let n = 0;
  const given = async (stream: string, type: string, data: unknown, metadata: Record<string, unknown> = {}) => {
    const { position } = await store.append(stream, [
      { id: `e${++n}`, type, data: data as never, metadata: { userId: 'chair-1', at: `2026-01-01T00:00:0${n % 10}.000Z`, ...metadata } },
    ]);
    await runner.waitForPosition(position);
  };
  const proposal = async () => (await db.query<Record<string, unknown>>('SELECT * FROM rm_proposals'))[0];

  beforeEach(async () => {
    await given('submission-s1', 'SubmissionOpened', { submissionId: 's1', iscmId: 'add', consultation: 'Geneva', title: 'Input', dueDate: '2017-06-12' });
    await given('proposal-p1', 'ProposalCreated', {
      proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'CIOP', kind: 'programme_project', gcmObjectives: [3, 6], summary: '',
    });
  });

  it('lists a created proposal as a draft at revision 0', async () => {
    expect(await proposal()).toMatchObject({ id: 'p1', status: 'draft', current_revision: 0, gcm_objectives: '[3,6]', iscm_id: 'add' });
  });

  it('passes over ProposalImported and follows the imported text', async () => {
    const before = await proposal();
    await given('proposal-p1', 'ProposalImported', { proposalId: 'p1', filename: 'CIOP.docx', bytes: 1234, sha256: HASH_A });
    expect(await proposal()).toEqual(before);
    await given('proposal-p1-content', 'ContentUpdated', { x: 1 }, { revision: 1, kind: 'import' });
    expect(await proposal()).toMatchObject({ id: 'p1', status: 'draft', current_revision: 1 });
  });

  it('follows the content stream revision', async () => {
    await given('proposal-p1-content', 'ContentUpdated', { x: 1 }, { revision: 1 });
    await given('proposal-p1-content', 'ContentUpdated', { x: 2 }, { revision: 2 });
    expect(await proposal()).toMatchObject({ current_revision: 2 });
  });

  it('records review, approval with its hash, change requests and named versions', async () => {
    await given('proposal-p1', 'ProposalSentForReview', { proposalId: 'p1', revision: 0, contentHash: HASH_A });
    expect(await proposal()).toMatchObject({ status: 'in_review', review_revision: 0 });
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 0, contentHash: HASH_A, comment: null });
    expect(await proposal()).toMatchObject({ status: 'approved', approved_revision: 0, approved_hash: HASH_A, approved_by: 'chair-1' });
    await given('proposal-p1', 'ChangesRequested', { proposalId: 'p1', revision: 0, comment: 'Cite the ILO principles' });
    await given('proposal-p1', 'VersionNamed', { proposalId: 'p1', revision: 0, label: 'Sent to chair' });
    expect(await db.query('SELECT comment FROM rm_proposal_change_requests')).toEqual([{ comment: 'Cite the ILO principles' }]);
    expect(await db.query('SELECT label FROM rm_proposal_versions')).toEqual([{ label: 'Sent to chair' }]);
  });

  it('moves submissions through their statuses', async () => {
    await given('submission-s1', 'SubmissionSentForApproval', { submissionId: 's1' });
    expect(await db.query('SELECT status FROM rm_submissions')).toEqual([{ status: 'review' }]);
    await given('submission-s1', 'SubmissionLocked', { submissionId: 's1' });
    expect(await db.query('SELECT status FROM rm_submissions')).toEqual([{ status: 'submitted' }]);
  });

  describe('placements', () => {
    const create = (id: string) =>
      given(`proposal-${id}`, 'ProposalCreated', { proposalId: id, submissionId: 's1', iscmId: 'add', title: id, kind: 'policy', gcmObjectives: [], summary: '' });
    const place = (proposalId: string, sectionId: string | null, index: number) =>
      given('submission-s1', 'ProposalPlaced', { submissionId: 's1', proposalId, sectionId, index });
    const layout = async () => {
      const rows = await db.query<{ proposal_id: string; section_id: string; position: number }>(
        'SELECT proposal_id, section_id, position FROM rm_submission_placements ORDER BY section_id, position',
      );
      const sections: Record<string, string[]> = {};
      rows.forEach((row, i) => {
        (sections[row.section_id || 'other'] ??= []).push(row.proposal_id);
        expect(Number(row.position)).toBe(rows.slice(0, i).filter((r) => r.section_id === row.section_id).length);
      });
      return sections;
    };

    it('appends new proposals to "Other contributions" in creation order', async () => {
      await create('p2');
      await create('p3');
      expect(await layout()).toEqual({ other: ['p1', 'p2', 'p3'] });
    });

    it('moves a proposal into a section at an index, closing the gap it leaves', async () => {
      await create('p2');
      await create('p3');
      await place('p2', 'q1', 0);
      await place('p3', 'q1', 0);
      await place('p1', 'q1', 1);
      expect(await layout()).toEqual({ q1: ['p3', 'p1', 'p2'] });
      await place('p3', 'q1', 2); // move down to the end
      expect(await layout()).toEqual({ q1: ['p1', 'p2', 'p3'] });
      await place('p2', 'q2', 99); // past the end: last
      await place('p1', null, 0);
      expect(await layout()).toEqual({ other: ['p1'], q1: ['p3'], q2: ['p2'] });
    });

    it("keeps a section's introduction out of the placements, in rm_section_introductions", async () => {
      await given('submission-s1', 'SectionIntroductionAdded', { submissionId: 's1', sectionId: 'q2', proposalId: 'i1' });
      await given('proposal-i1', 'ProposalCreated', {
        proposalId: 'i1', submissionId: 's1', iscmId: 'add', title: 'Introduction to section 2', kind: 'introduction', gcmObjectives: [], summary: '',
      });
      await create('p2');
      expect(await layout()).toEqual({ other: ['p1', 'p2'] });
      expect(await db.query('SELECT submission_id, section_id, proposal_id FROM rm_section_introductions')).toEqual([
        { submission_id: 's1', section_id: 'q2', proposal_id: 'i1' },
      ]);
      expect(await db.query("SELECT kind FROM rm_proposals WHERE id = 'i1'")).toEqual([{ kind: 'introduction' }]);
    });

    it('keeps the consultation of the submission', async () => {
      await given('submission-s2', 'SubmissionOpened', {
        submissionId: 's2', iscmId: 'add', consultation: 'Third session', title: 'Input', dueDate: '2017-06-12', consultationId: 'gcm-ts3-2017',
      });
      expect(await db.query('SELECT id, consultation_id FROM rm_submissions ORDER BY id')).toEqual([
        { id: 's1', consultation_id: null },
        { id: 's2', consultation_id: 'gcm-ts3-2017' },
      ]);
    });
  });
});

describe('isApprovalStale', () => {
  const approved = { approved_hash: HASH_A, approved_revision: 3 };

  it('is false without an approval', () => {
    expect(isApprovalStale({ approved_hash: null, approved_revision: null, current_revision: 9, current_hash: HASH_B, current_hash_revision: 9 })).toBe(false);
  });
  it('compares hashes once the current text is hashed', () => {
    expect(isApprovalStale({ ...approved, current_revision: 5, current_hash: HASH_B, current_hash_revision: 5 })).toBe(true);
    expect(isApprovalStale({ ...approved, current_revision: 5, current_hash: HASH_A, current_hash_revision: 5 })).toBe(false);
  });
  it('counts any move away from the approved revision until the new text is hashed', () => {
    expect(isApprovalStale({ ...approved, current_revision: 4, current_hash: HASH_A, current_hash_revision: 3 })).toBe(true);
    expect(isApprovalStale({ ...approved, current_revision: 3, current_hash: null, current_hash_revision: -1 })).toBe(false);
  });
});
