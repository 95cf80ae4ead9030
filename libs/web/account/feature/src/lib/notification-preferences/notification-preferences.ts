import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import {
  EMAIL_MODES,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type EmailMode,
  type NotificationKind,
  type NotificationPreferencesDto,
} from '@concord/contracts';
import { NotificationsApi } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

const EMAIL_LABELS: Record<EmailMode, string> = {
  off: $localize`:@@notificationPrefs.emailOff:No email`,
  immediate: $localize`:@@notificationPrefs.emailImmediate:Email at once`,
  digest: $localize`:@@notificationPrefs.emailDigest:Daily digest`,
};

/** What reaches me and how: per kind, in the app (the bell and inbox) or not, and email off, at once or in the daily digest. */
@Component({
  selector: 'cc-notification-preferences',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatCardModule],
  template: `
    <mat-card appearance="outlined" class="cc-prefs">
      <mat-card-header><mat-card-title><h2 id="prefs-title" i18n="@@notificationPrefs.title">Notifications</h2></mat-card-title></mat-card-header>
      <mat-card-content>
        @if (preferences(); as prefs) {
          <form (submit)="$event.preventDefault(); save()" aria-labelledby="prefs-title">
            <table class="cc-prefs__table">
              <caption class="cc-visually-hidden" i18n="@@notificationPrefs.caption">What reaches you, and how</caption>
              <thead>
                <tr>
                  <th scope="col" i18n="@@notificationPrefs.kind">When</th>
                  <th scope="col" i18n="@@notificationPrefs.inApp">In the app</th>
                  <th scope="col" i18n="@@notificationPrefs.email">Email</th>
                </tr>
              </thead>
              <tbody>
                @for (kind of kinds; track kind) {
                  <tr>
                    <th scope="row" [id]="'pref-' + kind">{{ labels[kind] }}</th>
                    <td>
                      <input type="checkbox" [id]="'pref-in-app-' + kind" [checked]="prefs[kind].inApp" (change)="setInApp(kind, $event)"
                        [attr.aria-label]="inAppLabel(kind)" [attr.data-testid]="'pref-in-app-' + kind" />
                    </td>
                    <td>
                      <select [attr.aria-label]="emailLabel(kind)" (change)="setEmail(kind, $event)" [attr.data-testid]="'pref-email-' + kind">
                        @for (mode of modes; track mode) {
                          <option [value]="mode" [selected]="prefs[kind].email === mode">{{ emailLabels[mode] }}</option>
                        }
                      </select>
                    </td>
                  </tr>
                }
              </tbody>
            </table>
            <div class="cc-prefs__actions">
              <button mat-flat-button type="submit" [disabled]="busy()" data-testid="save-preferences" i18n="@@notificationPrefs.save">Save</button>
              <span role="status" data-testid="preferences-status">{{ message() }}</span>
            </div>
          </form>
        } @else {
          <p role="status">{{ message() }}</p>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .cc-prefs__table { border-collapse: collapse; width: 100%; margin-bottom: 16px; }
    .cc-prefs__table th, .cc-prefs__table td { padding: 6px 8px; text-align: left; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .cc-prefs__table th[scope='row'] { font-weight: 400; }
    .cc-prefs__table select { font: inherit; padding: 4px; }
    .cc-prefs__table input[type='checkbox'] { width: 18px; height: 18px; }
    .cc-prefs__actions { display: flex; align-items: center; gap: 16px; }
  `,
})
export class NotificationPreferences {
  private readonly api = inject(NotificationsApi);
  protected readonly kinds = NOTIFICATION_KINDS;
  protected readonly modes = EMAIL_MODES;
  protected readonly labels = NOTIFICATION_KIND_LABELS;
  protected readonly emailLabels = EMAIL_LABELS;
  protected readonly preferences = signal<NotificationPreferencesDto | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal($localize`:@@notificationPrefs.loading:Loading your notification settings…`);

  constructor() {
    this.api.preferences().then(
      (prefs) => {
        this.preferences.set(prefs);
        this.message.set('');
      },
      (error) => this.message.set(toApiError(error).message),
    );
  }

  protected inAppLabel(kind: NotificationKind): string {
    return $localize`:@@notificationPrefs.inAppLabel:${NOTIFICATION_KIND_LABELS[kind]}:kind:: in the app`;
  }

  protected emailLabel(kind: NotificationKind): string {
    return $localize`:@@notificationPrefs.emailLabel:${NOTIFICATION_KIND_LABELS[kind]}:kind:: email`;
  }

  protected setInApp(kind: NotificationKind, event: Event): void {
    const prefs = this.preferences();
    if (prefs) this.preferences.set({ ...prefs, [kind]: { ...prefs[kind], inApp: (event.target as HTMLInputElement).checked } });
  }

  protected setEmail(kind: NotificationKind, event: Event): void {
    const prefs = this.preferences();
    if (prefs) this.preferences.set({ ...prefs, [kind]: { ...prefs[kind], email: (event.target as HTMLSelectElement).value as EmailMode } });
  }

  protected async save(): Promise<void> {
    const prefs = this.preferences();
    if (!prefs) return;
    this.busy.set(true);
    try {
      this.preferences.set(await this.api.savePreferences(prefs));
      this.message.set($localize`:@@notificationPrefs.saved:Saved.`);
    } catch (error) {
      this.message.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
