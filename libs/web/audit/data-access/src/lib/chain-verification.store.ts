import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { ChainVerificationDto } from '@concord/contracts';
import { type ApiError, toApiError } from '@concord/web/core/data-access';
import type { Subscription } from 'rxjs';
import { AuditApi } from './audit-api';

type VerificationStatus = 'idle' | 'loading' | 'running' | 'done';

/**
 * The hash-chain verification: the last run's result, and re-running it on demand. A failed re-run
 * keeps the previous result on screen next to the reason it failed.
 */
@Injectable()
export class ChainVerificationStore {
  private readonly api = inject(AuditApi);
  private readonly status = signal<VerificationStatus>('idle');
  private request: Subscription | null = null;

  readonly result = signal<ChainVerificationDto | null>(null);
  readonly error = signal<ApiError | null>(null);
  /** Reading the last result (the server runs one when none is cached). */
  readonly isLoading = computed(() => this.status() === 'loading');
  /** A re-run the auditor asked for is in progress. */
  readonly isRunning = computed(() => this.status() === 'running');
  readonly isBusy = computed(() => this.isLoading() || this.isRunning());

  constructor() {
    inject(DestroyRef).onDestroy(() => this.request?.unsubscribe());
  }

  /** Shows the last verification the server ran. */
  loadLast(): void {
    this.verify('loading', true);
  }

  /** Re-checks every hash chain now. */
  rerun(): void {
    if (this.isRunning()) {
      return;
    }
    this.verify('running', false);
  }

  private verify(status: 'loading' | 'running', cached: boolean): void {
    this.request?.unsubscribe();
    this.status.set(status);
    this.error.set(null);
    this.request = this.api.verify(cached).subscribe({
      next: (result) => {
        this.result.set(result);
        this.status.set('done');
      },
      error: (error: unknown) => {
        this.error.set(toApiError(error));
        this.status.set('done');
      },
    });
  }
}
