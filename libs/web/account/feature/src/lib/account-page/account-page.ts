import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, input, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { MfaSetupDto, MfaStatusDto } from '@concord/contracts';
import { AccountApi, recoveryCodesFile } from '@concord/web/account/data-access';
import { AuthStore, toApiError } from '@concord/web/core/data-access';
import { AccountSessions } from '../account-sessions/account-sessions';
import { NotificationPreferences } from '../notification-preferences/notification-preferences';

/** The signed-in user's account: change password, two-factor sign-in and recovery codes, where I am signed in. */
@Component({
  selector: 'cc-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AccountSessions, NotificationPreferences, ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  templateUrl: './account-page.html',
  styleUrl: './account-page.scss',
})
export class AccountPage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthStore);
  private readonly forms = inject(NonNullableFormBuilder);
  private readonly injector = inject(Injector);

  /** `required` when the server sent the user here because their role requires a second factor. */
  readonly enrol = input<string | undefined>();
  protected readonly enrolmentRequired = computed(() => this.enrol() === 'required' || this.status()?.required === true);

  protected readonly email = computed(() => this.auth.user()?.email ?? '');
  protected readonly status = signal<MfaStatusDto | null>(null);
  protected readonly statusError = signal<string | null>(null);

  protected readonly passwordForm = this.forms.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', [Validators.required, Validators.minLength(12)]],
    confirmPassword: ['', Validators.required],
  });
  protected readonly passwordBusy = signal(false);
  protected readonly passwordMessage = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);

  protected readonly setup = signal<MfaSetupDto | null>(null);
  protected readonly codeForm = this.forms.group({ code: ['', [Validators.required, Validators.pattern(/^\s*\d{3}\s?\d{3}\s*$/)]] });
  protected readonly mfaBusy = signal(false);
  protected readonly mfaError = signal<string | null>(null);
  protected readonly recoveryCodes = signal<readonly string[] | null>(null);
  protected readonly copied = signal(false);

  protected readonly disableForm = this.forms.group({ password: ['', Validators.required], code: ['', Validators.required] });
  protected readonly disableMessage = signal<string | null>(null);

  private readonly passwordAlert = viewChild<ElementRef<HTMLElement>>('passwordAlert');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');
  private readonly recoveryHeading = viewChild<ElementRef<HTMLElement>>('recoveryHeading');

  constructor() {
    void this.loadStatus();
  }

  protected async changePassword(): Promise<void> {
    const { currentPassword, newPassword, confirmPassword } = this.passwordForm.getRawValue();
    if (this.passwordForm.invalid || newPassword !== confirmPassword) {
      this.passwordForm.markAllAsTouched();
      this.showPasswordMessage(
        'error',
        newPassword !== confirmPassword
          ? $localize`:@@account.passwordMismatch:The two new passwords are not the same.`
          : $localize`:@@account.passwordIncomplete:Fill in every field; the new password needs at least 12 characters.`,
      );
      return;
    }
    this.passwordBusy.set(true);
    try {
      await this.api.changePassword({ currentPassword, newPassword });
      this.passwordForm.reset();
      this.showPasswordMessage('ok', $localize`:@@account.passwordChanged:Your password is changed. Your other devices are signed out; this one stays signed in.`);
    } catch (error) {
      this.showPasswordMessage('error', toApiError(error).message);
    } finally {
      this.passwordBusy.set(false);
    }
  }

  protected async startSetup(): Promise<void> {
    this.mfaBusy.set(true);
    this.mfaError.set(null);
    try {
      this.setup.set(await this.api.startMfaSetup());
      this.afterRender(() => this.codeInput()?.nativeElement.focus());
    } catch (error) {
      this.mfaError.set(toApiError(error).message);
    } finally {
      this.mfaBusy.set(false);
    }
  }

  protected async confirmSetup(): Promise<void> {
    const setup = this.setup();
    if (!setup || this.codeForm.invalid) {
      this.codeForm.markAllAsTouched();
      this.mfaError.set($localize`:@@account.codeFormat:Enter the 6-digit code your authenticator shows.`);
      return;
    }
    this.mfaBusy.set(true);
    this.mfaError.set(null);
    try {
      const { recoveryCodes } = await this.api.confirmMfa(setup.enrolmentToken, this.codeForm.getRawValue().code);
      this.setup.set(null);
      this.codeForm.reset();
      this.recoveryCodes.set(recoveryCodes);
      await this.loadStatus();
      this.afterRender(() => this.recoveryHeading()?.nativeElement.focus());
    } catch (error) {
      this.mfaError.set(toApiError(error).message);
    } finally {
      this.mfaBusy.set(false);
    }
  }

  protected cancelSetup(): void {
    this.setup.set(null);
    this.codeForm.reset();
    this.mfaError.set(null);
  }

  protected async copyRecoveryCodes(): Promise<void> {
    const codes = this.recoveryCodes();
    if (!codes) return;
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      this.copied.set(true);
    } catch {
      this.mfaError.set($localize`:@@account.copyFailed:The browser did not allow copying; download the codes or write them down.`);
    }
  }

  protected downloadRecoveryCodes(): void {
    const codes = this.recoveryCodes();
    if (!codes) return;
    const url = URL.createObjectURL(new Blob([recoveryCodesFile(this.email(), codes, new Date())], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'concord-recovery-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  protected dismissRecoveryCodes(): void {
    this.recoveryCodes.set(null);
    this.copied.set(false);
  }

  protected async disableMfa(): Promise<void> {
    if (this.disableForm.invalid) {
      this.disableForm.markAllAsTouched();
      return;
    }
    this.mfaBusy.set(true);
    this.disableMessage.set(null);
    try {
      const { password, code } = this.disableForm.getRawValue();
      await this.api.disableMfa(password, code);
      this.disableForm.reset();
      await this.loadStatus();
    } catch (error) {
      this.disableMessage.set(toApiError(error).message);
    } finally {
      this.mfaBusy.set(false);
    }
  }

  private async loadStatus(): Promise<void> {
    try {
      this.status.set(await this.api.mfaStatus());
      this.statusError.set(null);
    } catch (error) {
      this.statusError.set(toApiError(error).message);
    }
  }

  /** Moves the focus once the change is on screen (zoneless rendering happens after this task). */
  private afterRender(focus: () => void): void {
    afterNextRender(focus, { injector: this.injector });
  }

  private showPasswordMessage(kind: 'ok' | 'error', text: string): void {
    this.passwordMessage.set({ kind, text });
    this.afterRender(() => this.passwordAlert()?.nativeElement.focus());
  }
}
