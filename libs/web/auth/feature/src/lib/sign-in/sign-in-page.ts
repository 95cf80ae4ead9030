import { ChangeDetectionStrategy, Component, ElementRef, inject, input, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { isMfaChallenge } from '@concord/contracts';
import { MfaChallenge } from '@concord/web/account/data-access';
import { AuthStore, safeReturnUrl, toApiError } from '@concord/web/core/data-access';

@Component({
  selector: 'cc-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './sign-in-page.html',
  styleUrl: './sign-in-page.scss',
})
export class SignInPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly mfaChallenge = inject(MfaChallenge);

  /** Where to go after signing in (bound from the `returnUrl` query parameter). */
  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly signingIn = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly passwordVisible = signal(false);
  /** Why the previous session ended (signed out everywhere, expired…), if it did on its own. */
  protected readonly endedMessage = this.auth.endedMessage;

  private readonly failureMessage = viewChild<ElementRef<HTMLElement>>('failureMessage');
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('signInForm');

  protected togglePasswordVisibility(): void {
    this.passwordVisible.update((visible) => !visible);
  }

  protected async signIn(): Promise<void> {
    if (this.signingIn()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.focusFirstInvalidField();
      return;
    }
    this.signingIn.set(true);
    this.failure.set(null);
    try {
      const result = await this.auth.login(this.form.getRawValue());
      if (isMfaChallenge(result)) {
        // Second step (account feature): a code from the authenticator or a recovery code.
        this.mfaChallenge.begin(result.mfaToken);
        await this.router.navigate(['/login/code'], { queryParams: { returnUrl: this.returnUrl() } });
        return;
      }
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.failure.set(toApiError(error).message);
      this.form.controls.password.reset();
      queueMicrotask(() => this.failureMessage()?.nativeElement.focus());
    } finally {
      this.signingIn.set(false);
    }
  }

  private focusFirstInvalidField(): void {
    this.formElement().nativeElement.querySelector<HTMLElement>('input.ng-invalid')?.focus();
  }
}
