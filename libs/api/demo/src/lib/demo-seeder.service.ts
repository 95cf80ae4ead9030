import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { proposalStream, proposalThreadsStream, submissionDecider, submissionStream, userStream, workspaceStream } from '@concord/domain';
import { findIscm } from '@concord/reference';
import { CONTENT_HISTORY, ContentHistory, loadAggregate, Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { ActOnThreadCommand } from '@concord/api/review';
import { SUGGESTION_DELETE, SUGGESTION_INSERT } from '@concord/content';
import * as Y from 'yjs';
import { RegisterUserCommand, ChangeWorkspaceCommand } from '@concord/api/identity';
import { ActOnCoSponsorshipCommand, ActOnSubmissionCommand, CreateProposalCommand } from '@concord/api/drafting';
import { sha256Hex } from '@concord/integrity';
import {
  DEMO_ISCM_ID,
  DEMO_CO_SPONSORSHIP,
  DEMO_PASSWORD,
  DEMO_PROPOSALS,
  DEMO_REVIEW,
  DEMO_SUBMISSION,
  DEMO_USERS,
  DemoUser,
  toProseMirrorDocument,
} from './demo-content';

/** A stable UUID per demo object, so that seeding twice finds what the first run wrote. */
export function demoId(key: string): string {
  const hex = sha256Hex(`concord-demo:${key}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SYSTEM: Principal = { userId: 'system', email: 'system@concord.local', name: 'Concord (seed)', isAdmin: true, sessionId: 'demo-seed' };

/**
 * Seeds the demo workspace through the same commands users send (the API calls it at start when
 * DEMO is on). Each step is
 * skipped when its stream exists already, so restarting never duplicates anything.
 */
@Injectable()
export class DemoSeeder {
  private readonly log = rootLogger.child({ context: 'Demo' });

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UserDirectory,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
  ) {}

  private exists = async (stream: string) => (await this.store.streamRevision(stream)) >= 0;

  private async hasConsultation(submissionId: string): Promise<boolean> {
    const { state } = await loadAggregate(this.store, submissionStream(submissionId), submissionDecider);
    return state.status !== 'unopened' && state.consultationId !== null;
  }

  async seed(): Promise<void> {
    let created = 0;
    const newUsers: DemoUser[] = [];
    for (const user of DEMO_USERS) {
      if (await this.exists(userStream(demoId(user.key)))) continue;
      await this.commandBus.execute(
        new RegisterUserCommand(user.email, user.name, DEMO_PASSWORD, user.isAdmin, SYSTEM, demoId(user.key)),
      );
      newUsers.push(user);
      created++;
    }
    const iscm = findIscm(DEMO_ISCM_ID);
    if (!iscm) throw new Error(`reference data lacks ${DEMO_ISCM_ID}`);
    if (!(await this.exists(workspaceStream(DEMO_ISCM_ID)))) {
      await this.commandBus.execute(
        new ChangeWorkspaceCommand({
          type: 'RegisterWorkspace',
          data: { iscmId: DEMO_ISCM_ID, abbreviation: iscm.abbreviation, name: iscm.name, type: iscm.type, actor: SYSTEM },
        }),
      );
      await this.addMembers(DEMO_USERS);
      created++;
    } else {
      // A demo seeded before some users existed (the delegates came with issue 12) gets them too.
      await this.addMembers(newUsers);
    }
    const drafter = await this.principalOf('drafter1');
    const submissionId = demoId(DEMO_SUBMISSION.key);
    if (!(await this.exists(submissionStream(submissionId)))) {
      await this.commandBus.execute(
        new ActOnSubmissionCommand(drafter, {
          type: 'OpenSubmission',
          submissionId,
          iscmId: DEMO_ISCM_ID,
          consultation: DEMO_SUBMISSION.consultation,
          consultationId: DEMO_SUBMISSION.consultationId,
          title: DEMO_SUBMISSION.title,
          dueDate: DEMO_SUBMISSION.dueDate,
        }),
      );
      created++;
    }
    for (const proposal of DEMO_PROPOSALS) {
      const proposalId = demoId(proposal.key);
      if (await this.exists(proposalStream(proposalId))) continue;
      await this.commandBus.execute(
        new CreateProposalCommand(
          drafter,
          { submissionId, title: proposal.title, kind: proposal.kind, gcmObjectives: proposal.gcmObjectives, summary: proposal.summary },
          toProseMirrorDocument(proposal.body),
          proposalId,
        ),
      );
      // Under the question it answers, last there (a demo opened before the sections keeps "Other contributions").
      if (await this.hasConsultation(submissionId)) {
        await this.commandBus.execute(
          new ActOnSubmissionCommand(drafter, { type: 'PlaceProposal', submissionId, proposalId, sectionId: proposal.section, index: 9999 }),
        );
      }
      created++;
    }
    if (await this.seedReview()) created++;
    if (await this.seedCoSponsorship()) created++;
    this.log.info({ created }, created ? 'demo workspace seeded' : 'demo workspace already present');
  }

  /** A thread and two open suggestions on one proposal (once: skipped when it has threads). */
  private async seedReview(): Promise<boolean> {
    const proposalId = demoId(DEMO_REVIEW.proposalKey);
    if (await this.exists(proposalThreadsStream(proposalId))) return false;
    const at = new Date().toISOString();
    for (const [index, suggestion] of DEMO_REVIEW.suggestions.entries()) {
      const authorId = demoId(suggestion.by);
      const mark = { id: `demo-suggestion-${index + 1}`, authorId, at };
      await this.content.editAs(proposalId, authorId, (content) => {
        const { text, index: start } = findWords(content, suggestion.words);
        if ('insertAfter' in suggestion) {
          text.insert(start + suggestion.words.length, suggestion.insertAfter, { [SUGGESTION_INSERT]: mark });
        } else {
          text.format(start, suggestion.words.length, { [SUGGESTION_DELETE]: mark });
          text.insert(start + suggestion.words.length, suggestion.replacement, { [SUGGESTION_INSERT]: mark });
        }
      });
    }
    const { thread } = DEMO_REVIEW;
    let anchor = { from: '', to: '' };
    // Changes nothing (so records nothing): reads the live text to anchor the thread on its words.
    await this.content.editAs(proposalId, demoId(thread.by), (content) => {
      const { text, index } = findWords(content, thread.words);
      const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
      anchor = {
        from: encode(Y.createRelativePositionFromTypeIndex(text, index)),
        to: encode(Y.createRelativePositionFromTypeIndex(text, index + thread.words.length, -1)),
      };
    });
    const threadId = demoId('review-thread-1');
    const author = await this.principalOf(thread.by);
    await this.commandBus.execute(
      new ActOnThreadCommand(proposalId, author, { type: 'OpenThread', threadId, anchor, quote: thread.words, body: thread.body, mentions: [] }),
    );
    await this.commandBus.execute(
      new ActOnThreadCommand(proposalId, await this.principalOf(thread.reply.by), {
        type: 'ReplyToThread',
        threadId,
        replyId: demoId('review-reply-1'),
        body: thread.reply.body,
        mentions: [author.userId],
      }),
    );
    return true;
  }

  /**
   * A member state co-sponsoring one proposal, as its delegate would (once: skipped when the
   * proposal was ever co-sponsored, so a withdrawal made in the demo stays withdrawn).
   */
  private async seedCoSponsorship(): Promise<boolean> {
    const proposalId = demoId(DEMO_CO_SPONSORSHIP.proposalKey);
    const events = await this.store.readStream(proposalStream(proposalId));
    if (events.some((event) => event.type === 'ProposalCoSponsored')) return false;
    await this.commandBus.execute(new ActOnCoSponsorshipCommand(proposalId, await this.principalOf(DEMO_CO_SPONSORSHIP.by), { type: 'CoSponsorProposal' }));
    return true;
  }

  private async addMembers(users: readonly DemoUser[]): Promise<void> {
    for (const user of users) {
      for (const role of user.roles) {
        await this.commandBus.execute(
          new ChangeWorkspaceCommand({
            type: 'AddMember',
            data: { iscmId: DEMO_ISCM_ID, userId: demoId(user.key), role, memberState: user.memberState, actor: SYSTEM },
          }),
        );
      }
    }
  }

  private async principalOf(key: (typeof DEMO_USERS)[number]['key']): Promise<Principal> {
    const user = await this.users.byId(demoId(key));
    if (!user) throw new Error(`demo user ${key} is missing`);
    return { userId: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, sessionId: 'demo-seed' };
  }
}

/** The text node holding `words`, and where they start in it. */
function findWords(content: Y.XmlFragment, words: string): { text: Y.XmlText; index: number } {
  const visit = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText): { text: Y.XmlText; index: number } | null => {
    if (node instanceof Y.XmlText) {
      const plain = node.toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
      const index = plain.indexOf(words);
      return index >= 0 ? { text: node, index } : null;
    }
    for (const child of node.toArray()) {
      const found = visit(child as Y.XmlElement | Y.XmlText);
      if (found) return found;
    }
    return null;
  };
  const found = visit(content);
  if (!found) throw new Error(`the demo text lacks "${words}"`);
  return found;
}
