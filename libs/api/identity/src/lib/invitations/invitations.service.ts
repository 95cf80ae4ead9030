import { BadRequestException, ConflictException, ForbiddenException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { InvitationDto, InvitationLinkDto, InvitationPreviewDto, Role } from '@concord/contracts';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { DomainError, invitationByTokenHash, invitationUnusable, workspaceDecider, workspaceStream } from '@concord/domain';
import {
  loadAggregate,
  LoginThrottle,
  Mailer,
  memberStateIn,
  Principal,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
  rootLogger,
  UserDirectory,
} from '@concord/api/platform';
import { ACCOUNT_CONFIG, AccountConfig } from '../account/account-config';
import { newPasswordProblem } from '../account/password-policy';
import { RegisterUserCommand } from '../users/register-user.command';
import { ChangeWorkspaceCommand } from '../workspaces/change-workspace.command';

const log = rootLogger.child({ context: 'Invitations' });

/** SHA-256 (base64url) of an invitation token: the only trace of the token in the log. */
export const invitationTokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * The token is `<iscmId>_<256 random bits as 43 base64url characters>`: workspace ids have no `_`,
 * so the workspace whose stream holds the invitation is read off the token; no dot (the web
 * server treats dotted paths as files).
 */
const TOKEN = /^([a-z0-9][a-z0-9-]{0,62})_([A-Za-z0-9_-]{43})$/;
const NOT_ISSUED = 'This is not an invitation Concord issued; check that the link was copied whole.';

interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  member_state: string | null;
  expires_at: string;
  invited_by: string;
  inviter_name: string | null;
  status: 'pending' | 'accepted' | 'revoked';
}

/**
 * Invitations by one-time link (issue 14): an administrator of a workspace invites an email address
 * with a role; whoever holds the link sets a name and a password, which registers the account
 * (`UserRegistered`) and makes it a member (`InvitationAccepted` + `MemberAdded`, one append on the
 * workspace stream). Wrong tokens count against the sign-in throttle of the client's address.
 */
@Injectable()
export class Invitations {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(ACCOUNT_CONFIG) private readonly config: AccountConfig,
    private readonly users: UserDirectory,
    private readonly throttle: LoginThrottle,
    private readonly mailer: Mailer,
  ) {}

  async issue(actor: Principal, iscmId: string, email: string, role: Role, memberState?: string): Promise<InvitationLinkDto> {
    const normalized = email.trim().toLowerCase();
    if (await this.users.byEmail(normalized)) {
      throw new ConflictException(`${normalized} already has a Concord account; add that user as a member instead of inviting them.`);
    }
    const token = `${iscmId}_${randomBytes(32).toString('base64url')}`;
    if (!TOKEN.test(token)) throw new BadRequestException(`Workspace ${iscmId} cannot issue invitations (its id is not a plain slug).`);
    const invitationId = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.invitationTtlSeconds * 1000).toISOString();
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({
        type: 'IssueInvitation',
        data: { iscmId, invitationId, email: normalized, role, memberState, tokenHash: invitationTokenHash(token), expiresAt, actor },
      }),
    );
    const invitationPath = `/invitations/${token}`;
    // The token is only hashed in the log, so the link is mailed from here, right after the append;
    // it is never written to the API log (the administrator also gets it once, in the answer).
    const emailed = await this.mailInvitation(normalized, iscmId, role, expiresAt, invitationPath, actor);
    log.info({ iscmId, invitationId, email: normalized, role, by: actor.userId, expiresAt, emailed }, 'invitation issued');
    return { invitationId, token, invitationPath, expiresAt, emailed };
  }

  private async mailInvitation(email: string, iscmId: string, role: Role, expiresAt: string, invitationPath: string, actor: Principal): Promise<boolean> {
    if (!this.mailer.enabled) return false;
    const [workspace] = await this.db.query<{ name: string }>('SELECT name FROM rm_workspaces WHERE id = ?', [iscmId]);
    const name = workspace?.name ?? iscmId;
    try {
      await this.mailer.send({
        to: email,
        subject: `[Concord] ${actor.name} invites you to ${name}`,
        text:
          `${actor.name} invites you to join ${name} on Concord as ${role}.\n\n` +
          `Accept the invitation (choose your name and password): ${this.mailer.link(invitationPath)}\n\n` +
          `The link works once, until ${expiresAt}. If you did not expect it, ignore this mail.\n`,
      });
      return true;
    } catch (error) {
      // The administrator still has the link to pass on; the reason is logged, never the link.
      log.warn({ iscmId, email, error: error instanceof Error ? error.message : String(error) }, 'invitation mail not sent');
      return false;
    }
  }

  async list(actor: Principal, iscmId: string): Promise<InvitationDto[]> {
    await this.requireManager(actor, iscmId);
    const rows = await this.db.query<InvitationRow>(
      `SELECT i.id, i.email, i.role, i.member_state, i.expires_at, i.invited_by, u.name AS inviter_name, i.status
       FROM rm_invitations i LEFT JOIN rm_users u ON u.id = i.invited_by WHERE i.iscm_id = ? ORDER BY i.issued_at DESC, i.id`,
      [iscmId],
    );
    const now = new Date().toISOString();
    return rows.map((row) => ({
      invitationId: row.id,
      email: row.email,
      role: row.role,
      memberState: memberStateIn(iscmId, row.member_state),
      expiresAt: row.expires_at,
      invitedBy: row.inviter_name ?? row.invited_by,
      status: row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status,
    }));
  }

  async revoke(actor: Principal, iscmId: string, invitationId: string): Promise<void> {
    await this.commandBus.execute(new ChangeWorkspaceCommand({ type: 'RevokeInvitation', data: { iscmId, invitationId, actor } }));
    log.info({ iscmId, invitationId, by: actor.userId }, 'invitation revoked');
  }

  /** What the invitee sees before accepting; 404 for a token never issued, 410 with the reason for one used up. */
  async preview(token: string, address: string): Promise<InvitationPreviewDto> {
    const { iscmId, invitation, workspaceName } = await this.open(token, address);
    return {
      workspaceName,
      email: invitation.email,
      role: invitation.role,
      memberState: memberStateIn(iscmId, invitation.memberState ?? null),
      expiresAt: invitation.expiresAt,
    };
  }

  async accept(token: string, name: string, password: string, address: string): Promise<{ userId: string; email: string }> {
    const { iscmId, invitation, tokenHash } = await this.open(token, address);
    const problem = newPasswordProblem(password, { email: invitation.email, name });
    if (problem) throw new BadRequestException(problem);
    const userId = randomUUID();
    const self: Principal = { userId, email: invitation.email, name, isAdmin: false, sessionId: '' };
    await this.commandBus.execute(new RegisterUserCommand(invitation.email, name, password, false, self, userId, invitation.invitationId));
    try {
      await this.commandBus.execute(
        new ChangeWorkspaceCommand({ type: 'AcceptInvitation', data: { iscmId, tokenHash, userId, now: new Date().toISOString() } }),
      );
    } catch (error) {
      // Accepted twice at once: the account exists, the membership went to the other request.
      if (error instanceof DomainError && error.code === 'invalid_state') throw new GoneException(error.message);
      throw error;
    }
    log.info({ iscmId, invitationId: invitation.invitationId, userId }, 'invitation accepted');
    return { userId, email: invitation.email };
  }

  private async open(token: string, address: string) {
    const [, iscmId] = TOKEN.exec(token) ?? [];
    if (!iscmId) throw new BadRequestException(NOT_ISSUED);
    const tokenHash = invitationTokenHash(token);
    const throttleKey = `invitation:${tokenHash}`;
    await this.throttle.admit(throttleKey, address);
    const { state } = await loadAggregate(this.store, workspaceStream(iscmId), workspaceDecider);
    const invitation = invitationByTokenHash(state, tokenHash);
    if (!invitation) {
      await this.throttle.recordFailure(throttleKey, address);
      log.warn({ iscmId, address }, 'invitation refused: unknown token');
      throw new NotFoundException(NOT_ISSUED);
    }
    const unusable = invitationUnusable(invitation, new Date().toISOString());
    if (unusable) throw new GoneException(unusable);
    const [workspace] = await this.db.query<{ name: string }>('SELECT name FROM rm_workspaces WHERE id = ?', [iscmId]);
    return { iscmId, invitation, tokenHash, workspaceName: workspace?.name ?? iscmId };
  }

  private async requireManager(actor: Principal, iscmId: string): Promise<void> {
    const [workspace] = await this.db.query<{ id: string }>('SELECT id FROM rm_workspaces WHERE id = ?', [iscmId]);
    if (!workspace) throw new NotFoundException(`There is no workspace ${iscmId}.`);
    if (actor.isAdmin) return;
    const roles = await this.users.rolesIn(actor.userId, iscmId);
    if (!roles.includes('admin')) throw new ForbiddenException('Only an administrator of this workspace may see its invitations.');
  }
}
