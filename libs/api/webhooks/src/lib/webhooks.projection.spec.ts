import { MemoryEventStore } from '@concord/event-store';
import { ProjectionRunner, SqliteReadModelDatabase } from '@concord/api/platform';
import pino from 'pino';
import { webhooksProjection } from './webhooks.projection';

describe('webhooks projection', () => {
  let store: MemoryEventStore;
  let db: SqliteReadModelDatabase;
  let runner: ProjectionRunner;
  let n = 0;

  const given = async (stream: string, type: string, data: unknown, at = new Date().toISOString()) => {
    const { position } = await store.append(stream, [{ id: `e${++n}`, type, data: data as never, metadata: { userId: 'chair-1', at } }]);
    await runner.waitForPosition(position);
  };
  const deliveries = () => db.query<Record<string, unknown>>('SELECT id, webhook_id, event, state, data, iscm_id FROM webhook_deliveries ORDER BY id');
  const sealed = { keyId: 'k', iv: 'i', ciphertext: 'c', tag: 't' };
  const register = (webhookId: string, iscmId: string, events: string[]) =>
    given(`iscm-${iscmId}`, 'WebhookRegistered', { iscmId, webhookId, url: 'https://hooks.example.org/', events, secret: sealed, registeredBy: 'admin' });

  beforeEach(async () => {
    n = 0;
    store = new MemoryEventStore();
    db = new SqliteReadModelDatabase(':memory:');
    runner = new ProjectionRunner(store, db, [webhooksProjection('sqlite')], pino({ level: 'silent' }));
    await runner.start();
    await given('submission-s1', 'SubmissionOpened', { submissionId: 's1', iscmId: 'add', title: 'Input' });
    await given('proposal-p1', 'ProposalCreated', { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'Secret title' });
  });
  afterEach(async () => {
    await runner.stop();
    await db.close();
    await store.close();
  });

  it('lays down one delivery per subscribed webhook of the workspace, without the text', async () => {
    await register('w1', 'add', ['proposal.approved']);
    await register('w2', 'add', ['silence.adopted']);
    await register('w3', 'other', ['proposal.approved']);
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 4, contentHash: 'h', comment: 'A confidential comment' });
    const rows = await deliveries();
    expect(rows).toEqual([
      expect.objectContaining({ id: 'e6:w1', webhook_id: 'w1', event: 'proposal.approved', state: 'pending', iscm_id: 'add' }),
    ]);
    const data = JSON.parse(rows[0]['data'] as string);
    expect(data).toEqual({ proposalId: 'p1', revision: 4, contentHash: 'h', actor: 'chair-1', sourceEventType: 'ProposalApproved' });
  });

  it('finds the workspace of thread and suggestion streams through their proposal', async () => {
    await register('w1', 'add', ['thread.opened', 'suggestion.decided']);
    await given('proposal-p1-threads', 'ThreadOpened', { proposalId: 'p1', threadId: 't1', body: 'words', quote: 'q', revision: 2 });
    await given('proposal-p1-suggestions', 'SuggestionRejected', { proposalId: 'p1', suggestionId: 's9', textBefore: 'a', textAfter: 'b', revision: 3 });
    const rows = await deliveries();
    expect(rows.map((row) => row['event'])).toEqual(['thread.opened', 'suggestion.decided']);
    expect(JSON.parse(rows[1]['data'] as string)).toMatchObject({ suggestionId: 's9', outcome: 'rejected' });
    expect(rows[0]['data']).not.toContain('words');
  });

  it('sends nothing for events before registration or after removal, and cancels what was pending', async () => {
    await given('proposal-p1', 'ProposalSentForReview', { proposalId: 'p1', revision: 1, contentHash: 'h' });
    await register('w1', 'add', ['proposal.review_requested', 'proposal.approved']);
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 1, contentHash: 'h', comment: null });
    await given('iscm-add', 'WebhookRemoved', { iscmId: 'add', webhookId: 'w1' });
    await given('proposal-p1', 'ChangesRequested', { proposalId: 'p1', revision: 1, comment: 'x' });
    expect((await deliveries()).map((row) => [row['event'], row['state']])).toEqual([['proposal.approved', 'cancelled']]);
  });

  it('keeps the outbox through a rebuild: replaying the log makes no second delivery', async () => {
    await register('w1', 'add', ['proposal.approved']);
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 1, contentHash: 'h', comment: null });
    await db.execute([{ sql: `UPDATE webhook_deliveries SET state = 'delivered'` }]);
    await runner.rebuild();
    expect((await deliveries()).map((row) => [row['id'], row['state']])).toEqual([['e4:w1', 'delivered']]);
  });

  it('does not send events that were over a day old when they reached the outbox', async () => {
    await register('w1', 'add', ['proposal.approved']);
    await given('proposal-p1', 'ProposalApproved', { proposalId: 'p1', revision: 1, contentHash: 'h', comment: null }, '2020-01-01T00:00:00.000Z');
    expect((await deliveries()).map((row) => row['state'])).toEqual(['expired']);
  });
});
