import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { proposalStream, submissionStream, userStream, workspaceStream } from '@concord/domain';
import { findIscm } from '@concord/reference';
import { Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { RegisterUserCommand, ChangeWorkspaceCommand } from '@concord/api/identity';
import { ActOnSubmissionCommand, CreateProposalCommand } from '@concord/api/drafting';
import { sha256Hex } from '@concord/integrity';
import {
  DEMO_ISCM_ID,
  DEMO_PASSWORD,
  DEMO_PROPOSALS,
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
  ) {}

  private exists = async (stream: string) => (await this.store.streamRevision(stream)) >= 0;

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
      created++;
    }
    this.log.info({ created }, created ? 'demo workspace seeded' : 'demo workspace already present');
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
