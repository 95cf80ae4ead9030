import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AdminUserDto, PasswordResetLinkDto } from '@concord/contracts';
import { AccountApi } from '@concord/web/account/data-access';
import { AuthStore, toApiError } from '@concord/web/core/data-access';

interface IssuedLink extends PasswordResetLinkDto {
  userName: string;
  url: string;
}

/** Platform administrators: every user, disable / re-enable, one-time reset links, lost second factors. */
@Component({
  selector: 'cc-admin-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './admin-users-page.html',
  styleUrl: './admin-users-page.scss',
})
export class AdminUsersPage {
  private readonly api = inject(AccountApi);
  protected readonly me = inject(AuthStore).user;

  protected readonly users = signal<readonly AdminUserDto[] | null>(null);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busyUser = signal<string | null>(null);
  protected readonly issued = signal<IssuedLink | null>(null);

  constructor() {
    void this.load();
  }

  protected disable(user: AdminUserDto): Promise<void> {
    return this.act(user, () => this.api.disableUser(user.id), $localize`:@@adminUsers.disabled:${user.name}:name: is disabled and signed out of co-editing.`);
  }

  protected reenable(user: AdminUserDto): Promise<void> {
    return this.act(user, () => this.api.reenableUser(user.id), $localize`:@@adminUsers.reenabled:${user.name}:name: may sign in again.`);
  }

  protected turnOffMfa(user: AdminUserDto): Promise<void> {
    return this.act(user, () => this.api.turnOffUserMfa(user.id), $localize`:@@adminUsers.mfaOff:Two-factor sign-in is off for ${user.name}:name:.`);
  }

  protected issueResetLink(user: AdminUserDto): Promise<void> {
    return this.act(
      user,
      async () => {
        const link = await this.api.issueResetLink(user.id);
        this.issued.set({ ...link, userName: user.name, url: `${location.origin}${link.resetPath}` });
      },
      $localize`:@@adminUsers.linkIssued:A reset link for ${user.name}:name: is ready below. Any older link no longer works.`,
    );
  }

  protected async copyLink(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.notice.set($localize`:@@adminUsers.copied:The link is copied.`);
    } catch {
      this.notice.set($localize`:@@adminUsers.copyFailed:The browser did not allow copying; select the link and copy it.`);
    }
  }

  private async act(user: AdminUserDto, action: () => Promise<void>, done: string): Promise<void> {
    this.busyUser.set(user.id);
    this.failure.set(null);
    this.notice.set(null);
    try {
      await action();
      this.notice.set(done);
      await this.load();
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.busyUser.set(null);
    }
  }

  private async load(): Promise<void> {
    try {
      this.users.set(await this.api.users());
    } catch (error) {
      this.failure.set(toApiError(error).message);
    }
  }
}
