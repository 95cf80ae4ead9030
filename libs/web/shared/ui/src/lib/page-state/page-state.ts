import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

/** A polite, announced "loading" placeholder. */
@Component({
  selector: 'cc-loading-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatProgressSpinnerModule],
  template: `
    <div class="cc-state" role="status" aria-live="polite">
      <mat-progress-spinner mode="indeterminate" diameter="28" aria-hidden="true" />
      <span>{{ label() }}</span>
    </div>
  `,
  styleUrl: './page-state.scss',
})
export class LoadingState {
  readonly label = input($localize`:@@state.loading:Loading…`);
}

/** A failure with the server's reason and, when the caller can retry, a Retry button. */
@Component({
  selector: 'cc-error-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <div class="cc-state cc-state--error" role="alert">
      <div>
        <p class="cc-state__title">{{ heading() }}</p>
        <p class="cc-state__reason">{{ message() }}</p>
      </div>
      @if (retryable()) {
        <button mat-stroked-button type="button" (click)="retry.emit()" i18n="@@state.retry">Try again</button>
      }
    </div>
  `,
  styleUrl: './page-state.scss',
})
export class ErrorState {
  readonly heading = input($localize`:@@state.errorHeading:Something went wrong`);
  readonly message = input.required<string>();
  readonly retryable = input(true);
  readonly retry = output<void>();
}

/** Shown when a list has nothing in it; the content explains why and what to do. */
@Component({
  selector: 'cc-empty-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="cc-state cc-state--empty"><ng-content /></div>`,
  styleUrl: './page-state.scss',
})
export class EmptyState {}
