import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, type Signal, computed, effect, inject, signal, untracked } from '@angular/core';
import type { AmendmentDto } from '@concord/contracts';
import { type ApiError, toApiError } from '@concord/web/core/data-access';
import { firstValueFrom } from 'rxjs';
import { type AmendmentSource, AmendmentsApi } from './amendments-api';

/** How often the list asks again: suggestions are made and decided in the live text, with no push for the log's view of them. */
export const AMENDMENTS_REFRESH_MS = 4000;

export type AmendmentsState = 'loading' | 'error' | 'empty' | 'ready';

/**
 * The amendments of one proposal or submission, re-read every few seconds while the page is
 * visible and online. A failed first read is an error state with a retry; a failed background
 * read keeps what is shown. Provided by the component that shows the list.
 */
@Injectable()
export class AmendmentsFeed {
  private readonly api = inject(AmendmentsApi);
  private readonly document = inject(DOCUMENT);
  private readonly sourceSignal = signal<Signal<AmendmentSource | null>>(signal(null));
  private readonly source = computed(() => this.sourceSignal()(), { equal: sameSource });
  private readonly loaded = signal(false);

  readonly amendments = signal<AmendmentDto[]>([]);
  readonly error = signal<ApiError | null>(null);
  readonly state = computed<AmendmentsState>(() => {
    if (this.loaded()) return this.amendments().length ? 'ready' : 'empty';
    return this.error() ? 'error' : 'loading';
  });

  constructor() {
    effect(() => {
      const source = this.source();
      untracked(() => {
        this.amendments.set([]);
        this.loaded.set(false);
        this.error.set(null);
        if (source) void this.read(source);
      });
    });
    const timer = setInterval(() => void this.refresh(), AMENDMENTS_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** Follows `source` (a route input): a new source is read at once. */
  connect(source: Signal<AmendmentSource | null>): void {
    this.sourceSignal.set(source);
  }

  retry(): void {
    const source = this.source();
    this.error.set(null);
    if (source) void this.read(source);
  }

  /** The background re-read: not offline, not in a hidden tab (the next tick after coming back catches up). */
  async refresh(): Promise<void> {
    const source = this.source();
    const view = this.document.defaultView;
    if (!source || !this.loaded() || view?.navigator.onLine === false || this.document.visibilityState === 'hidden') return;
    await this.read(source);
  }

  private async read(source: AmendmentSource): Promise<void> {
    try {
      const amendments = await firstValueFrom(this.api.list(source));
      if (!sameSource(source, this.source())) return;
      // An unchanged list keeps the same array: no re-render on every refresh.
      if (JSON.stringify(amendments) !== JSON.stringify(this.amendments())) this.amendments.set(amendments);
      this.error.set(null);
      this.loaded.set(true);
    } catch (error) {
      if (sameSource(source, this.source()) && !this.loaded()) this.error.set(toApiError(error));
    }
  }
}

function sameSource(a: AmendmentSource | null, b: AmendmentSource | null): boolean {
  return a === b || (!!a && !!b && a.kind === b.kind && a.id === b.id);
}
