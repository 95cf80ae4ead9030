import { foldThreads } from './thread-queries.service';

const row = (action: 'opened' | 'replied' | 'resolved' | 'reopened', extra: Record<string, unknown> = {}) => ({
  thread_id: 't1',
  action,
  message_id: null,
  user_id: 'u1',
  at: '2026-12-06T10:00:00.000Z',
  revision: 4,
  body: null,
  mentions: null,
  anchor_from: null,
  anchor_to: null,
  quote: null,
  ...extra,
});

const opened = row('opened', { message_id: 't1', body: 'Why?', mentions: '[]', anchor_from: 'AQ==', anchor_to: 'Ag==', quote: 'free of charge' });
const india = { code: 'IN', name: 'India' };
const names = new Map([
  ['u1', { name: 'Amina Rahman', memberState: null }],
  ['u2', { name: 'Fatima Al Mansoori', memberState: null }],
  ['u3', { name: 'Priya Sharma (India)', memberState: india }],
]);

describe('foldThreads', () => {
  it('given an opened thread, shows it open with its first message', () => {
    const [thread] = foldThreads('p1', [opened], names);
    expect(thread).toMatchObject({
      id: 't1',
      proposalId: 'p1',
      anchor: { from: 'AQ==', to: 'Ag==' },
      quote: 'free of charge',
      status: 'open',
      openedByName: 'Amina Rahman',
      messages: [{ id: 't1', authorName: 'Amina Rahman', authorMemberState: null, body: 'Why?', mentions: [], revision: 4 }],
    });
  });

  it('given a reply and a resolution, shows both, and a reopening clears who resolved it', () => {
    const rows = [opened, row('replied', { message_id: 'r1', user_id: 'u2', body: 'Because.', mentions: '["u1"]' }), row('resolved', { user_id: 'u2' })];
    const [resolved] = foldThreads('p1', rows, names);
    expect(resolved.messages.map((message) => [message.authorName, message.body, message.mentions])).toEqual([
      ['Amina Rahman', 'Why?', []],
      ['Fatima Al Mansoori', 'Because.', ['u1']],
    ]);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'u2', resolvedByName: 'Fatima Al Mansoori' });
    const [reopened] = foldThreads('p1', [...rows, row('reopened')], names);
    expect(reopened).toMatchObject({ status: 'open', resolvedBy: null, resolvedByName: null, resolvedAt: null });
  });

  it("gives each message its author's member state (a delegate's), null for others", () => {
    const rows = [opened, row('replied', { message_id: 'r1', user_id: 'u3', body: 'India agrees.', mentions: '[]' })];
    const [thread] = foldThreads('p1', rows, names);
    expect(thread.messages.map((message) => [message.authorName, message.authorMemberState])).toEqual([
      ['Amina Rahman', null],
      ['Priya Sharma (India)', india],
    ]);
  });

  it('ignores actions on a thread it has not seen opened, and shows an unknown author by id', () => {
    expect(foldThreads('p1', [row('replied', { message_id: 'r1', body: 'x' })], names)).toEqual([]);
    expect(foldThreads('p1', [{ ...opened, user_id: 'u9' }], names)[0].openedByName).toBe('u9');
  });
});
