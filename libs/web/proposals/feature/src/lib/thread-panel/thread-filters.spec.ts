import type { ThreadDto, ThreadMessageDto } from '@concord/contracts';
import { memberStatesOf, threadsShown } from './thread-filters';

const india = { code: 'IN', name: 'India' };
const uae = { code: 'AE', name: 'United Arab Emirates' };

const message = (authorId: string, authorMemberState: ThreadMessageDto['authorMemberState']): ThreadMessageDto => ({
  id: `m-${authorId}`,
  authorId,
  authorName: authorId,
  authorMemberState,
  body: 'text',
  mentions: [],
  at: '2026-12-06T10:00:00.000Z',
  revision: 1,
});

const thread = (id: string, status: ThreadDto['status'], messages: ThreadMessageDto[]): ThreadDto => ({
  id,
  proposalId: 'p1',
  anchor: { from: 'AQ==', to: 'Ag==' },
  quote: id,
  status,
  openedBy: messages[0].authorId,
  openedByName: messages[0].authorName,
  openedAt: messages[0].at,
  revision: 1,
  resolvedBy: null,
  resolvedByName: null,
  resolvedAt: null,
  messages,
});

const threads = [
  thread('by-india', 'open', [message('priya', india)]),
  thread('answered-by-uae', 'open', [message('amina', null), message('khalid', uae)]),
  thread('resolved-india', 'resolved', [message('fatima', null), message('priya', india)]),
  thread('drafters-only', 'open', [message('amina', null)]),
];
const ids = (shown: ThreadDto[]) => shown.map((shownThread) => shownThread.id);

describe('memberStatesOf', () => {
  it("lists each member state of any message's author once, by name; none without delegates", () => {
    expect(memberStatesOf(threads)).toEqual([india, uae]);
    expect(memberStatesOf([threads[3]])).toEqual([]);
  });
});

describe('threadsShown', () => {
  const selection = { filter: 'all' as const, currentUserId: 'amina', memberState: '' };

  it('shows every thread for all member states, and by status or authorship as before', () => {
    expect(ids(threadsShown(threads, selection))).toEqual(['by-india', 'answered-by-uae', 'resolved-india', 'drafters-only']);
    expect(ids(threadsShown(threads, { ...selection, filter: 'resolved' }))).toEqual(['resolved-india']);
    expect(ids(threadsShown(threads, { ...selection, filter: 'mine' }))).toEqual(['answered-by-uae', 'drafters-only']);
  });

  it('shows only the threads a delegate of the member state wrote in (opened or replied), within the status filter', () => {
    expect(ids(threadsShown(threads, { ...selection, memberState: 'IN' }))).toEqual(['by-india', 'resolved-india']);
    expect(ids(threadsShown(threads, { ...selection, memberState: 'AE' }))).toEqual(['answered-by-uae']);
    expect(ids(threadsShown(threads, { ...selection, filter: 'open', memberState: 'IN' }))).toEqual(['by-india']);
    expect(ids(threadsShown(threads, { ...selection, memberState: 'FR' }))).toEqual([]);
  });
});
