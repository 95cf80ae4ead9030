import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { ChainVerificationDto } from '@concord/contracts';
import { ErrorState, LoadingState } from '@concord/web/shared/ui';

/**
 * Whether every recorded event is still what was recorded: the last verification's time and
 * result, the first broken stream and revision when there is one, and "Re-run verification".
 */
@Component({
  selector: 'cc-chain-verification-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatProgressSpinnerModule, ErrorState, LoadingState],
  templateUrl: './chain-verification-status.html',
  styleUrl: './chain-verification-status.scss',
})
export class ChainVerificationStatus {
  /** The last run's result, or null before the first one is known. */
  readonly result = input<ChainVerificationDto | null>(null);
  /** Reading the last result. */
  readonly loading = input(false);
  /** A re-run is in progress. */
  readonly running = input(false);
  /** Why reading or re-running failed. */
  readonly error = input<string | null>(null);

  readonly rerun = output<void>();
  /** The auditor wants to see the broken stream in the event log. */
  readonly showStream = output<string>();

  protected rerunVerification(): void {
    // The button stays focusable while busy (so focus is not lost); ignore presses until it is done.
    if (!this.loading() && !this.running()) {
      this.rerun.emit();
    }
  }
}
