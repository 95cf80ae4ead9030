import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, inject, input, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { AccountApi, MfaChallenge } from '@concord/web/account/data-access';
import { AuthStore, safeReturnUrl, toApiError } from '@concord/web/core/data-access';

/** The second step of signing in: a code from the authenticator, or a recovery code. */
@Component({
  selector: 'cc-mfa-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, RouterLink],
  template: `
    <div class="cc-mfa" aria-labelledby="mfa-title">
      <mat-card appearance="outlined" class="cc-mfa__card">
        <mat-card-header>
          <mat-card-title><h1 id="mfa-title" i18n="@@mfaSignIn.title">Two-factor sign-in</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (challenge.pending()) {
            <form class="cc-mfa__form" [formGroup]="form" (ngSubmit)="verify()" novalidate
                  i18n-aria-label="@@mfaSignIn.formLabel" aria-label="Enter your code">
              <p id="mfa-help" i18n="@@mfaSignIn.help">
                Enter the 6-digit code your authenticator app shows, or one of your recovery codes.
              </p>
              @if (failure(); as reason) {
                <div #failureMessage role="alert" tabindex="-1" class="cc-mfa__failure" data-testid="mfa-failure">{{ reason }}</div>
              }
              <mat-form-field>
                <mat-label i18n="@@mfaSignIn.code">Code</mat-label>
                <input #codeInput matInput formControlName="code" autocomplete="one-time-code" aria-describedby="mfa-help" required />
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="busy()" i18n="@@mfaSignIn.submit">Verify and sign in</button>
            </form>
          } @else {
            <p role="alert" i18n="@@mfaSignIn.expired">This sign-in has expired.</p>
            <a mat-flat-button routerLink="/login" i18n="@@mfaSignIn.again">Sign in again</a>
          }
        </mat-card-content>
      </mat-card>
    </div>
  `,
  styles: `
    .cc-mfa { display: flex; justify-content: center; padding: 3rem 1rem; }
    .cc-mfa__card { width: min(28rem, 100%); }
    .cc-mfa__form { display: flex; flex-direction: column; gap: 0.75rem; }
    .cc-mfa__failure { padding: 0.5rem 0.75rem; border-radius: 4px; background: #fdecea; color: #8a1c14; }
    h1 { font-size: 1.5rem; margin: 0; }
  `,
})
export class MfaSignInPage {
  protected readonly challenge = inject(MfaChallenge);
  private readonly api = inject(AccountApi);
  private readonly injector = inject(Injector);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({ code: ['', Validators.required] });
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  private readonly failureMessage = viewChild<ElementRef<HTMLElement>>('failureMessage');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');

  constructor() {
    afterNextRender(() => this.codeInput()?.nativeElement.focus());
  }

  protected async verify(): Promise<void> {
    const mfaToken = this.challenge.pending();
    if (!mfaToken || this.busy()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.codeInput()?.nativeElement.focus();
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      const response = await this.api.completeSignIn(mfaToken, this.form.getRawValue().code.trim());
      this.challenge.clear();
      this.auth.adoptSignIn(response);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.failure.set(toApiError(error).message);
      this.form.reset();
      afterNextRender(() => this.failureMessage()?.nativeElement.focus(), { injector: this.injector });
    } finally {
      this.busy.set(false);
    }
  }
}
