import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import type { SessionDto } from '@concord/contracts';
import { AccountApi } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

/**
 * Where I am signed in: one row per open session (device, since when, last active, absolute end), and a
 * way to sign out any other device at once. This browser's own session is marked and ended by Sign out.
 */
@Component({
  selector: 'cc-account-sessions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatCardModule],
  templateUrl: './account-sessions.html',
  styleUrl: './account-sessions.scss',
})
export class AccountSessions {
  private readonly api = inject(AccountApi);
  private readonly injector = inject(Injector);

  protected readonly sessions = signal<readonly SessionDto[] | null>(null);
  protected readonly ending = signal<string | null>(null);
  protected readonly message = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  private readonly dates = new DatePipe('en-US');
  private readonly messageBox = viewChild<ElementRef<HTMLElement>>('messageBox');

  constructor() {
    void this.load();
  }

  protected device(session: SessionDto): string {
    return session.userAgent.trim() || $localize`:@@account.sessions.unknownDevice:An unnamed device`;
  }

  /** The button's name starts with its visible words and says which row it ends. */
  protected signOutLabel(session: SessionDto): string {
    const since = this.dates.transform(session.startedAt, 'yyyy-MM-dd HH:mm');
    return $localize`:@@account.sessions.signOutLabel:Sign out this device: ${this.device(session)}:device:, signed in ${since}:since:`;
  }

  protected async signOut(session: SessionDto): Promise<void> {
    this.ending.set(session.id);
    try {
      await this.api.endSession(session.id);
      await this.load();
      this.show('ok', $localize`:@@account.sessions.ended:That device is signed out; its open documents closed.`);
    } catch (error) {
      this.show('error', toApiError(error).message);
      await this.load();
    } finally {
      this.ending.set(null);
    }
  }

  private async load(): Promise<void> {
    try {
      this.sessions.set(await this.api.sessions());
    } catch (error) {
      this.show('error', toApiError(error).message);
    }
  }

  private show(kind: 'ok' | 'error', text: string): void {
    this.message.set({ kind, text });
    afterNextRender(() => this.messageBox()?.nativeElement.focus(), { injector: this.injector });
  }
}
