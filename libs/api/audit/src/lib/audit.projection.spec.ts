import { MemoryEventStore } from '@concord/event-store';
import { ProjectionRunner, SqliteReadModelDatabase } from '@concord/api/platform';
import pino from 'pino';
import { auditProjection } from './audit.projection';

describe('audit projection', () => {
  it('indexes every event with the workspace it belongs to, reading no other projection', async () => {
    const store = new MemoryEventStore();
    const db = new SqliteReadModelDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, [auditProjection], pino({ level: 'silent' }));
    await runner.start();
    const meta = { userId: 'u1', at: '2026-01-01T00:00:00.000Z' };
    await store.append('user-u1', [{ id: 'e1', type: 'UserRegistered', data: { userId: 'u1' }, metadata: meta }]);
    await store.append('iscm-add', [{ id: 'e2', type: 'MemberAdded', data: { userId: 'u1', role: 'drafter' }, metadata: meta }]);
    await store.append('submission-s1', [
      { id: 'e3', type: 'SubmissionOpened', data: { submissionId: 's1', iscmId: 'add', consultation: 'c', title: 't', dueDate: '2017-06-12' }, metadata: meta },
    ]);
    await store.append('proposal-p1', [
      { id: 'e4', type: 'ProposalCreated', data: { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 't', kind: 'policy', gcmObjectives: [1], summary: '' }, metadata: meta },
    ]);
    await store.append('submission-s1', [{ id: 'e6', type: 'SubmissionSentForApproval', data: { submissionId: 's1' }, metadata: meta }]);
    await store.append('proposal-p1-content', [
      { id: 'e5', type: 'ContentUpdated', data: new Uint8Array([0, 0]), metadata: { ...meta, revision: 1 } },
    ]);
    const { position } = await store.append('proposal-p1-snapshots', [
      { id: 'e7', type: 'ContentCheckpointed', data: new Uint8Array([0, 0]), metadata: { ...meta, revision: 1 } },
    ]);
    await runner.waitForPosition(position);
    expect(await db.query('SELECT stream, type, user_id, iscm_id FROM rm_event_index ORDER BY position')).toEqual([
      { stream: 'user-u1', type: 'UserRegistered', user_id: 'u1', iscm_id: null },
      { stream: 'iscm-add', type: 'MemberAdded', user_id: 'u1', iscm_id: 'add' },
      { stream: 'submission-s1', type: 'SubmissionOpened', user_id: 'u1', iscm_id: 'add' },
      { stream: 'proposal-p1', type: 'ProposalCreated', user_id: 'u1', iscm_id: 'add' },
      { stream: 'submission-s1', type: 'SubmissionSentForApproval', user_id: 'u1', iscm_id: 'add' },
      { stream: 'proposal-p1-content', type: 'ContentUpdated', user_id: 'u1', iscm_id: 'add' },
      { stream: 'proposal-p1-snapshots', type: 'ContentCheckpointed', user_id: 'u1', iscm_id: 'add' },
    ]);
    await runner.stop();
    await db.close();
  });
});
