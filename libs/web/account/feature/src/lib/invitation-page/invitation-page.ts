import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, effect, inject, input, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import type { InvitationPreviewDto } from '@concord/contracts';
import { AccountApi } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

/** `/invitations/<token>`: the invitee sets a name and a password, which creates the account and its membership. */
@Component({
  selector: 'cc-invitation-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, RouterLink],
  template: `
    <div class="cc-invitation">
      <mat-card appearance="outlined" class="cc-invitation__card">
        <mat-card-header>
          <mat-card-title><h1 id="invitation-title" i18n="@@invitation.title">Join Concord</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (done(); as email) {
            <p role="status" data-testid="invitation-done" i18n="@@invitation.done">
              Your account is ready. Sign in with {{ email }} and the password you chose. This link cannot be used again.
            </p>
            <a mat-flat-button routerLink="/login" data-testid="invitation-sign-in" i18n="@@invitation.signIn">Sign in</a>
          } @else if (unusable(); as reason) {
            <p role="alert" class="cc-invitation__failure" data-testid="invitation-unusable">{{ reason }}</p>
          } @else if (preview(); as invitation) {
            <p data-testid="invitation-summary" i18n="@@invitation.summary">
              You are invited to {{ invitation.workspaceName }} as <strong>{{ invitation.role }}</strong>@if (invitation.memberState) { for {{ invitation.memberState.name }}}.
              Your account will be {{ invitation.email }}. The invitation is valid until {{ invitation.expiresAt | date: 'medium' }}.
            </p>
            <form class="cc-invitation__form" [formGroup]="form" (ngSubmit)="accept()" novalidate aria-labelledby="invitation-title">
              @if (failure(); as reason) {
                <div #failureMessage role="alert" tabindex="-1" class="cc-invitation__failure" data-testid="invitation-failure">{{ reason }}</div>
              }
              <mat-form-field>
                <mat-label i18n="@@invitation.name">Your name</mat-label>
                <input matInput formControlName="name" autocomplete="name" required data-testid="invitation-name" />
              </mat-form-field>
              <mat-form-field>
                <mat-label i18n="@@invitation.password">Password</mat-label>
                <input matInput type="password" formControlName="password" autocomplete="new-password" required aria-describedby="invitation-hint"
                       data-testid="invitation-password" />
                <mat-hint id="invitation-hint" i18n="@@invitation.hint">At least 12 characters; common passwords are refused.</mat-hint>
              </mat-form-field>
              <mat-form-field>
                <mat-label i18n="@@invitation.confirm">Password again</mat-label>
                <input matInput type="password" formControlName="confirmPassword" autocomplete="new-password" required data-testid="invitation-confirm" />
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="busy()" data-testid="invitation-accept" i18n="@@invitation.accept">Create my account</button>
            </form>
          } @else {
            <p role="status" i18n="@@invitation.loading">Opening the invitation…</p>
          }
        </mat-card-content>
      </mat-card>
    </div>
  `,
  styles: `
    .cc-invitation { display: flex; justify-content: center; padding: 3rem 1rem; }
    .cc-invitation__card { width: min(32rem, 100%); }
    .cc-invitation__form { display: flex; flex-direction: column; gap: 0.75rem; }
    .cc-invitation__failure { padding: 0.5rem 0.75rem; border-radius: 4px; background: #fdecea; color: #8a1c14; }
    h1 { font-size: 1.5rem; margin: 0; }
  `,
})
export class InvitationPage {
  private readonly api = inject(AccountApi);
  private readonly injector = inject(Injector);

  /** The token from the link (route parameter). */
  readonly token = input.required<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    password: ['', [Validators.required, Validators.minLength(12)]],
    confirmPassword: ['', Validators.required],
  });
  protected readonly preview = signal<InvitationPreviewDto | null>(null);
  protected readonly unusable = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  private readonly failureMessage = viewChild<ElementRef<HTMLElement>>('failureMessage');

  constructor() {
    effect(() => {
      const token = this.token();
      this.api.previewInvitation(token).then(
        (preview) => this.preview.set(preview),
        (error) => this.unusable.set(toApiError(error).message),
      );
    });
  }

  protected async accept(): Promise<void> {
    const { name, password, confirmPassword } = this.form.getRawValue();
    if (this.form.invalid || password !== confirmPassword) {
      this.form.markAllAsTouched();
      this.fail(
        !name.trim()
          ? $localize`:@@invitation.noName:Enter your name.`
          : password !== confirmPassword
            ? $localize`:@@invitation.mismatch:The two passwords are not the same.`
            : $localize`:@@invitation.tooShort:The password needs at least 12 characters.`,
      );
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      const { email } = await this.api.acceptInvitation(this.token(), { name: name.trim(), password });
      this.done.set(email);
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
