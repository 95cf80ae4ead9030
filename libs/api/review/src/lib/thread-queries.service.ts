import { Inject, Injectable } from '@nestjs/common';
import type { MentionableMemberDto, ThreadDto } from '@concord/contracts';
import { READ_MODEL_DATABASE, ReadModelDatabase, UserDirectory, type Principal, type WorkspacePerson } from '@concord/api/platform';
import { DraftingContext } from '@concord/api/drafting';

interface ActionRow {
  thread_id: string;
  action: 'opened' | 'replied' | 'resolved' | 'reopened';
  message_id: string | null;
  user_id: string;
  at: string;
  revision: number;
  body: string | null;
  mentions: string | null;
  anchor_from: string | null;
  anchor_to: string | null;
  quote: string | null;
}

/** Threads as a fold of their actions (see threadsProjection), with authors' names and member states. */
export function foldThreads(proposalId: string, rows: readonly ActionRow[], people: ReadonlyMap<string, WorkspacePerson>): ThreadDto[] {
  const threads = new Map<string, ThreadDto>();
  const nameOf = (userId: string) => people.get(userId)?.name ?? userId;
  for (const row of rows) {
    if (row.action === 'opened') {
      threads.set(row.thread_id, {
        id: row.thread_id,
        proposalId,
        anchor: { from: row.anchor_from ?? '', to: row.anchor_to ?? '' },
        quote: row.quote ?? '',
        status: 'open',
        openedBy: row.user_id,
        openedByName: nameOf(row.user_id),
        openedAt: row.at,
        revision: row.revision,
        resolvedBy: null,
        resolvedByName: null,
        resolvedAt: null,
        messages: [],
      });
    }
    const thread = threads.get(row.thread_id);
    if (!thread) continue;
    switch (row.action) {
      case 'opened':
      case 'replied':
        thread.messages.push({
          id: row.message_id ?? '',
          authorId: row.user_id,
          authorName: nameOf(row.user_id),
          authorMemberState: people.get(row.user_id)?.memberState ?? null,
          body: row.body ?? '',
          mentions: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
          at: row.at,
          revision: row.revision,
        });
        break;
      case 'resolved':
        Object.assign(thread, { status: 'resolved', resolvedBy: row.user_id, resolvedByName: nameOf(row.user_id), resolvedAt: row.at });
        break;
      case 'reopened':
        Object.assign(thread, { status: 'open', resolvedBy: null, resolvedByName: null, resolvedAt: null });
        break;
    }
  }
  return [...threads.values()];
}

@Injectable()
export class ThreadQueries {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly context: DraftingContext,
    private readonly users: UserDirectory,
  ) {}

  /**
   * The threads of a proposal the caller may see (404 otherwise), oldest first; with `atRevision`,
   * as they stood when the text was at that revision (actions made on later revisions left out).
   */
  async list(proposalId: string, principal: Principal, atRevision?: number): Promise<ThreadDto[]> {
    const { iscmId } = await this.context.proposal(proposalId, principal);
    const rows = await this.db.query<ActionRow>(
      `SELECT thread_id, action, message_id, user_id, at, revision, body, mentions, anchor_from, anchor_to, quote
       FROM rm_thread_actions WHERE proposal_id = ?${atRevision === undefined ? '' : ' AND revision <= ?'} ORDER BY position`,
      atRevision === undefined ? [proposalId] : [proposalId, atRevision],
    );
    const people = await this.users.peopleIn(iscmId, [...new Set(rows.map((row) => row.user_id))]);
    return foldThreads(proposalId, rows, people);
  }

  async one(proposalId: string, threadId: string, principal: Principal): Promise<ThreadDto | undefined> {
    return (await this.list(proposalId, principal)).find((thread) => thread.id === threadId);
  }

  /** Who can be mentioned on this proposal: the members of its workspace. */
  async mentionable(proposalId: string, principal: Principal): Promise<MentionableMemberDto[]> {
    const { iscmId } = await this.context.proposal(proposalId, principal);
    const members = await this.context.membersOf(iscmId);
    const names = await this.users.displayNamesIn(iscmId, members.map((member) => member.userId));
    return members.map((member) => ({ userId: member.userId, name: names.get(member.userId) ?? member.name }));
  }
}
