import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { ThreadDto } from '@concord/contracts';
import type { ApiError } from '@concord/web/core/data-access';
import { authorColor } from '@concord/web/proposals/data-access';
import { ErrorState, LoadingState } from '@concord/web/shared/ui';

/**
 * The comment threads as they stood at one revision, read-only, beside its text: the words each was
 * made on, whether it was open or resolved then, and the messages written up to that revision, each
 * author named with the member state they speak for.
 */
@Component({
  selector: 'cc-revision-threads',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ErrorState, LoadingState],
  templateUrl: './revision-threads.html',
  styleUrl: './revision-threads.scss',
})
export class RevisionThreads {
  readonly revision = input.required<number>();
  readonly threads = input<readonly ThreadDto[] | undefined>(undefined);
  readonly loading = input(false);
  readonly error = input<ApiError | null>(null);
  readonly retry = output<void>();

  protected colorOf(userId: string): string {
    return authorColor(userId);
  }

  protected retryLoading(): void {
    this.retry.emit();
  }
}
