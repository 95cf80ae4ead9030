import { randomUUID } from 'node:crypto';
import { MemoryEventStore } from '@concord/event-store';
import { ProjectionRunner, SqliteReadModelDatabase } from '@concord/api/platform';
import pino from 'pino';
import { NotificationsProjection, notificationId } from './notifications.projection';

/** The projection over a real (in-memory SQLite) read-model database and the real runner. */
describe('notifications projection', () => {
  let store: MemoryEventStore;
  const opened: Array<{ db: SqliteReadModelDatabase; runner: ProjectionRunner }> = [];

  async function project(): Promise<SqliteReadModelDatabase> {
    const db = new SqliteReadModelDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, [new NotificationsProjection(db)], pino({ level: 'silent' }));
    await runner.start();
    await runner.waitForPosition(await store.headPosition());
    opened.push({ db, runner });
    return db;
  }

  beforeEach(() => {
    store = new MemoryEventStore();
  });
  afterEach(async () => {
    for (const { db, runner } of opened.splice(0)) {
      await runner.stop();
      await db.close();
    }
    await store.close();
  });

  let n = 0;
  const given = (stream: string, type: string, data: unknown, userId = 'system') =>
    store.append(stream, [{ id: randomUUID(), type, data: data as never, metadata: { userId, at: `2026-01-01T00:00:${String(++n % 60).padStart(2, '0')}.000Z` } }]);
  const rows = (db: SqliteReadModelDatabase) =>
    db.query<{ id: string; recipient_id: string; kind: string; in_app: number; email: string; is_read: number }>(
      'SELECT id, recipient_id, kind, in_app, email, is_read FROM rm_notifications ORDER BY position, recipient_id',
    );

  async function workspace(): Promise<void> {
    await given('user-chair', 'UserRegistered', { userId: 'chair', name: 'Fatima', email: 'c@x', passwordHash: 'h', isAdmin: false });
    await given('user-amina', 'UserRegistered', { userId: 'amina', name: 'Amina', email: 'a@x', passwordHash: 'h', isAdmin: false });
    await given('iscm-adb', 'WorkspaceRegistered', { iscmId: 'adb', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'RCP' });
    for (const [userId, role] of [['chair', 'chair'], ['amina', 'drafter'], ['omar', 'drafter'], ['priya', 'delegate']]) {
      await given('iscm-adb', 'MemberAdded', { iscmId: 'adb', userId, role });
    }
    await given('proposal-p1', 'ProposalCreated', { proposalId: 'p1', submissionId: 's1', iscmId: 'adb', title: 'CIOP', kind: 'policy', gcmObjectives: [3], summary: '' }, 'amina');
  }

  it('derives the same rows, with the same ids, on every replay', async () => {
    await workspace();
    const sent = await given('proposal-p1', 'ProposalSentForReview', { proposalId: 'p1', revision: 2, contentHash: 'h' }, 'amina');
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 2, contentHash: 'h', comment: null }, 'chair');
    const first = await project();
    const again = await project();
    expect(await rows(again)).toEqual(await rows(first));
    const [review] = await store.readStream('proposal-p1', { fromRevision: 1, maxCount: 1 });
    expect(review?.position).toBe(sent.position);
    expect((await rows(first)).map((r) => [r.recipient_id, r.kind])).toEqual([
      ['chair', 'review-requested'],
      ['amina', 'approved'],
    ]);
    expect((await rows(first))[0].id).toBe(notificationId(review!.id, 'chair', 'review-requested'));
  });

  it('tells the authors and the approving chair once when the approved text moves on (not for the server’s numbering)', async () => {
    await workspace();
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 2, contentHash: 'h', comment: null }, 'chair');
    const edit = (userId: string, kind = 'edit') =>
      store.append('proposal-p1-content', [{ id: randomUUID(), type: 'ContentUpdated', data: new Uint8Array([1]), metadata: { userId, revision: 3, kind } }]);
    await edit('system', 'numbering');
    await edit('omar');
    await edit('omar');
    const db = await project();
    const stale = (await rows(db)).filter((r) => r.kind === 'approval-stale');
    expect(stale.map((r) => r.recipient_id).sort()).toEqual(['amina', 'chair']);
  });

  it('after edits of an unapproved text (no query each), still tells of the first edit after an approval, live and on replay', async () => {
    await workspace();
    const edit = (userId: string) =>
      store.append('proposal-p1-content', [{ id: randomUUID(), type: 'ContentUpdated', data: new Uint8Array([1]), metadata: { userId, revision: 3, kind: 'edit' } }]);
    const db = await project();
    const queries = jest.spyOn(db, 'query');
    for (let i = 0; i < 20; i++) await edit('omar');
    const runner = opened[opened.length - 1].runner;
    await runner.waitForPosition(await store.headPosition());
    // The text was never approved: after the first edit it is known so, and edits cost no query.
    expect(queries.mock.calls.filter(([text]) => text.includes('approved_by')).length).toBeLessThanOrEqual(2);
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 23, contentHash: 'h', comment: null }, 'chair');
    await edit('amina');
    await edit('amina');
    await runner.waitForPosition(await store.headPosition());
    const stale = (await rows(db)).filter((r) => r.kind === 'approval-stale');
    expect(stale.map((r) => r.recipient_id).sort()).toEqual(['chair', 'omar']);
    queries.mockRestore();
    expect(await rows(await project())).toEqual(await rows(db));
  });

  it('applies each user’s preferences from their change on, and their reads', async () => {
    await workspace();
    await given('notifications-chair', 'NotificationPreferencesChanged', {
      userId: 'chair', preferences: { 'review-requested': { inApp: false, email: 'digest' } },
    }, 'chair');
    await given('proposal-p1', 'ProposalSentForReview', { proposalId: 'p1', revision: 2, contentHash: 'h' }, 'amina');
    await given('proposal-p1', 'SilenceStarted', { proposalId: 'p1', silenceId: 'x', revision: 2, contentHash: 'h', deadline: '2030-01-01T00:00:00.000Z', startedBy: 'chair' }, 'chair');
    const db = await project();
    const all = await rows(db);
    expect(all.find((r) => r.kind === 'review-requested')).toMatchObject({ recipient_id: 'chair', in_app: 0, email: 'digest' });
    expect(all.filter((r) => r.kind === 'silence-started').map((r) => [r.recipient_id, r.in_app, r.email])).toEqual([
      ['amina', 1, 'immediate'],
      ['omar', 1, 'immediate'],
      ['priya', 1, 'immediate'],
    ]);
    const priya = all.find((r) => r.recipient_id === 'priya')!;
    await given('notifications-amina', 'NotificationsRead', { userId: 'amina', ids: [priya.id] }, 'amina');
    await given('notifications-priya', 'NotificationsRead', { userId: 'priya', upToPosition: await store.headPosition() }, 'priya');
    const after = await rows(await project());
    expect(after.filter((r) => r.is_read === 1).map((r) => r.recipient_id)).toEqual(['priya']);
  });
});
