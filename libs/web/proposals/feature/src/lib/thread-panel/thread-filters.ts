import type { MemberStateDto, ThreadDto } from '@concord/contracts';

export type ThreadFilter = 'open' | 'resolved' | 'mine' | 'all';

/** What the thread panel shows: by status or by who wrote, and by the member state of any author ('' for all). */
export interface ThreadSelection {
  filter: ThreadFilter;
  currentUserId: string | null;
  memberState: string;
}

/** The member states of the delegates who wrote in the threads, by name. */
export function memberStatesOf(threads: readonly ThreadDto[]): MemberStateDto[] {
  const states = new Map<string, MemberStateDto>();
  for (const message of threads.flatMap((thread) => thread.messages)) {
    if (message.authorMemberState) states.set(message.authorMemberState.code, message.authorMemberState);
  }
  return [...states.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function threadsShown(threads: readonly ThreadDto[], selection: ThreadSelection): ThreadDto[] {
  return threads.filter((thread) => matchesFilter(thread, selection) && writtenFrom(thread, selection.memberState));
}

function matchesFilter(thread: ThreadDto, { filter, currentUserId }: ThreadSelection): boolean {
  switch (filter) {
    case 'open':
    case 'resolved':
      return thread.status === filter;
    case 'mine':
      return thread.messages.some((message) => message.authorId === currentUserId);
    case 'all':
      return true;
  }
}

/** Whether a delegate of `memberState` wrote in the thread ('' : any thread). */
function writtenFrom(thread: ThreadDto, memberState: string): boolean {
  return !memberState || thread.messages.some((message) => message.authorMemberState?.code === memberState);
}
