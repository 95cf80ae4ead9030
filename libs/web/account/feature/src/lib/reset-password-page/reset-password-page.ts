import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, inject, input, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { AccountApi } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

/** `/reset/<token>`: set a new password with the one-time link an administrator passed on. */
@Component({
  selector: 'cc-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, RouterLink],
  template: `
    <div class="cc-reset" aria-labelledby="reset-title">
      <mat-card appearance="outlined" class="cc-reset__card">
        <mat-card-header>
          <mat-card-title><h1 id="reset-title" i18n="@@resetPassword.title">Choose a new password</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (done()) {
            <p role="status" data-testid="reset-done" i18n="@@resetPassword.done">Your password is set. This link cannot be used again.</p>
            <a mat-flat-button routerLink="/login" i18n="@@resetPassword.signIn">Sign in</a>
          } @else {
            <form class="cc-reset__form" [formGroup]="form" (ngSubmit)="reset()" novalidate
                  i18n-aria-label="@@resetPassword.formLabel" aria-label="Choose a new password">
              @if (failure(); as reason) {
                <div #failureMessage role="alert" tabindex="-1" class="cc-reset__failure" data-testid="reset-failure">{{ reason }}</div>
              }
              <mat-form-field>
                <mat-label i18n="@@resetPassword.newPassword">New password</mat-label>
                <input matInput type="password" formControlName="newPassword" autocomplete="new-password" required aria-describedby="reset-hint" />
                <mat-hint id="reset-hint" i18n="@@resetPassword.hint">At least 12 characters; common passwords are refused.</mat-hint>
              </mat-form-field>
              <mat-form-field>
                <mat-label i18n="@@resetPassword.confirm">New password again</mat-label>
                <input matInput type="password" formControlName="confirmPassword" autocomplete="new-password" required />
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="busy()" i18n="@@resetPassword.submit">Set password</button>
            </form>
          }
        </mat-card-content>
      </mat-card>
    </div>
  `,
  styles: `
    .cc-reset { display: flex; justify-content: center; padding: 3rem 1rem; }
    .cc-reset__card { width: min(28rem, 100%); }
    .cc-reset__form { display: flex; flex-direction: column; gap: 0.75rem; }
    .cc-reset__failure { padding: 0.5rem 0.75rem; border-radius: 4px; background: #fdecea; color: #8a1c14; }
    h1 { font-size: 1.5rem; margin: 0; }
  `,
})
export class ResetPasswordPage {
  private readonly api = inject(AccountApi);
  private readonly injector = inject(Injector);

  /** The token from the link (route parameter). */
  readonly token = input.required<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    newPassword: ['', [Validators.required, Validators.minLength(12)]],
    confirmPassword: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly done = signal(false);
  private readonly failureMessage = viewChild<ElementRef<HTMLElement>>('failureMessage');

  protected async reset(): Promise<void> {
    const { newPassword, confirmPassword } = this.form.getRawValue();
    if (this.form.invalid || newPassword !== confirmPassword) {
      this.form.markAllAsTouched();
      this.fail(
        newPassword !== confirmPassword
          ? $localize`:@@resetPassword.mismatch:The two passwords are not the same.`
          : $localize`:@@resetPassword.tooShort:The new password needs at least 12 characters.`,
      );
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      await this.api.resetPassword(this.token(), newPassword);
      this.done.set(true);
    } catch (error) {
      this.fail(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  private fail(reason: string): void {
    this.failure.set(reason);
    afterNextRender(() => this.failureMessage()?.nativeElement.focus(), { injector: this.injector });
  }
}
