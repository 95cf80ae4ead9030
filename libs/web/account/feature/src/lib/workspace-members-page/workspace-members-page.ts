import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { ROLES, type InvitationDto, type Role, type WorkspaceDto, type WorkspaceMemberDto } from '@concord/contracts';
import { AccountApi } from '@concord/web/account/data-access';
import { AuthStore, toApiError } from '@concord/web/core/data-access';
import { ApprovalRuleSection } from '../approval-rule-section/approval-rule-section';
import { WorkspaceWebhooks } from '../workspace-webhooks/workspace-webhooks';

/** One row of the members table: a member with one of their roles (a member with two roles has two rows). */
interface MemberRole {
  key: string;
  member: WorkspaceMemberDto;
  role: Role;
}

interface IssuedInvitation {
  email: string;
  url: string;
  expiresAt: string;
}

/**
 * `/admin/workspaces/<iscmId>`: workspace (and platform) administrators manage members and roles,
 * invite by one-time link and revoke invitations. Every action is an event the audit log shows.
 * A select changes nothing by itself: the button next to it does (WCAG 3.2.2).
 */
@Component({
  selector: 'cc-workspace-members-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, RouterLink, ApprovalRuleSection, WorkspaceWebhooks],
  templateUrl: './workspace-members-page.html',
  styleUrl: './workspace-members-page.scss',
})
export class WorkspaceMembersPage {
  private readonly api = inject(AccountApi);
  protected readonly me = inject(AuthStore).user;
  protected readonly roles = ROLES;

  /** The workspace id (route parameter). */
  readonly iscmId = input.required<string>();

  protected readonly workspace = signal<WorkspaceDto | null>(null);
  protected readonly invitations = signal<readonly InvitationDto[]>([]);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly issued = signal<IssuedInvitation | null>(null);
  /** The role chosen in each row's select, by row key (applied only by "Change role"). */
  protected readonly chosen = signal<Readonly<Record<string, Role>>>({});
  /** The member state chosen in a row whose new role is delegate. */
  protected readonly chosenState = signal<Readonly<Record<string, string>>>({});

  protected readonly rows = computed<MemberRole[]>(() =>
    (this.workspace()?.members ?? []).flatMap((member) => member.roles.map((role) => ({ key: `${member.userId}:${role}`, member, role }))),
  );
  protected readonly pending = computed(() => this.invitations().filter((invitation) => invitation.status === 'pending'));
  protected readonly others = computed(() => this.invitations().filter((invitation) => invitation.status !== 'pending'));

  protected readonly inviteForm = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    role: ['drafter' as Role, Validators.required],
    memberState: [''],
  });
  protected readonly inviteRole = signal<Role>('drafter');
  /** Reset through the directive too, so the emptied fields do not show as errors of a submitted form. */
  private readonly inviteFormDirective = viewChild(FormGroupDirective);

  constructor() {
    effect(() => {
      const iscmId = this.iscmId();
      void this.load(iscmId);
    });
    this.inviteForm.controls.role.valueChanges.subscribe((role) => this.inviteRole.set(role));
  }

  protected choose(key: string, role: Role): void {
    this.chosen.update((chosen) => ({ ...chosen, [key]: role }));
  }

  protected chooseState(key: string, code: string): void {
    this.chosenState.update((chosen) => ({ ...chosen, [key]: code }));
  }

  protected changeRole(row: MemberRole): Promise<void> {
    const to = this.chosen()[row.key] ?? row.role;
    const memberState = to === 'delegate' ? this.chosenState()[row.key] || undefined : undefined;
    return this.act(
      row.key,
      () => this.api.changeRole(this.iscmId(), row.member.userId, { from: row.role, to, memberState }),
      $localize`:@@members.roleChanged:${row.member.name}:name: is now ${to}:role: instead of ${row.role}:from:.`,
    );
  }

  protected removeRole(row: MemberRole): Promise<void> {
    return this.act(
      row.key,
      () => this.api.removeRole(this.iscmId(), row.member.userId, row.role),
      $localize`:@@members.roleRemoved:${row.member.name}:name: is no longer ${row.role}:role: of this workspace.`,
    );
  }

  protected disable(member: WorkspaceMemberDto): Promise<void> {
    return this.act(member.userId, () => this.api.disableUser(member.userId), $localize`:@@members.disabled:${member.name}:name: is disabled and signed out.`);
  }

  protected reenable(member: WorkspaceMemberDto): Promise<void> {
    return this.act(member.userId, () => this.api.reenableUser(member.userId), $localize`:@@members.reenabled:${member.name}:name: may sign in again.`);
  }

  protected async invite(): Promise<void> {
    if (this.inviteForm.invalid) {
      this.inviteForm.markAllAsTouched();
      this.failure.set($localize`:@@members.inviteInvalid:Give the email address of the person to invite.`);
      return;
    }
    const { email, role, memberState } = this.inviteForm.getRawValue();
    await this.act(
      'invite',
      async () => {
        const link = await this.api.invite(this.iscmId(), { email, role, memberState: role === 'delegate' ? memberState || undefined : undefined });
        this.issued.set({ email, url: `${location.origin}${link.invitationPath}`, expiresAt: link.expiresAt });
        const empty = { email: '', role: 'drafter' as Role, memberState: '' };
        const directive = this.inviteFormDirective();
        if (directive) directive.resetForm(empty);
        else this.inviteForm.reset(empty);
      },
      $localize`:@@members.invited:The invitation for ${email}:email: is ready below. Pass the link on; it works once.`,
    );
  }

  protected revoke(invitation: InvitationDto): Promise<void> {
    return this.act(
      invitation.invitationId,
      () => this.api.revokeInvitation(this.iscmId(), invitation.invitationId),
      $localize`:@@members.revoked:The invitation for ${invitation.email}:email: is withdrawn; its link no longer works.`,
    );
  }

  protected async copyLink(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.notice.set($localize`:@@members.copied:The link is copied.`);
    } catch {
      this.notice.set($localize`:@@members.copyFailed:The browser did not allow copying; select the link and copy it.`);
    }
  }

  private async act(key: string, action: () => Promise<void>, done: string): Promise<void> {
    this.busy.set(key);
    this.failure.set(null);
    this.notice.set(null);
    try {
      await action();
      this.notice.set(done);
      await this.load(this.iscmId());
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.busy.set(null);
    }
  }

  private async load(iscmId: string): Promise<void> {
    try {
      const [workspace, invitations] = await Promise.all([this.api.workspace(iscmId), this.api.invitations(iscmId)]);
      this.workspace.set(workspace);
      this.invitations.set(invitations);
    } catch (error) {
      this.failure.set(toApiError(error).message);
    }
  }
}
