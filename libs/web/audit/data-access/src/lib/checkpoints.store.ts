import { Injectable, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { CheckpointDto } from '@concord/contracts';
import { type ApiError, toApiError } from '@concord/web/core/data-access';
import { firstValueFrom } from 'rxjs';
import { AuditApi } from './audit-api';

export const CHECKPOINTS_SHOWN = 50;

/**
 * Signed checkpoints of the whole log and the key that signed them. A checkpoint downloaded and
 * kept outside Concord lets an auditor later prove the log still extends what it was — even against
 * someone able to rewrite a stream and recompute every hash.
 */
@Injectable()
export class CheckpointsStore {
  private readonly api = inject(AuditApi);
  private readonly started = signal(false);

  private readonly listResource = rxResource({
    params: () => (this.started() ? CHECKPOINTS_SHOWN : undefined),
    stream: ({ params: limit }) => this.api.checkpoints(limit),
  });
  private readonly list = computed(() => (this.listResource.hasValue() ? this.listResource.value() : undefined));

  readonly checkpoints = computed<readonly CheckpointDto[]>(() => this.list()?.items ?? []);
  /** The signing key's public half (SPKI PEM), or null when this server signs no checkpoints. */
  readonly publicKey = computed(() => this.list()?.publicKey ?? null);
  readonly publicKeyFingerprint = computed(() => this.list()?.publicKeyFingerprint ?? null);
  readonly isLoading = computed(() => this.listResource.isLoading() && !this.list());
  readonly isRefreshing = computed(() => this.listResource.isLoading() && !!this.list());
  readonly error = computed(() => {
    const error = this.listResource.error();
    return error ? toApiError(error) : null;
  });

  /** The checkpoint being fetched for download, by its global position. */
  readonly downloading = signal<number | null>(null);
  readonly downloadError = signal<{ globalPosition: number; error: ApiError } | null>(null);

  /** Loads the list; call when the checkpoints are first shown. */
  start(): void {
    this.started.set(true);
  }

  reload(): void {
    this.listResource.reload();
  }

  /**
   * The full checkpoint (with the stream heads it covers) to save as a file; null when it could not
   * be fetched, with the reason in `downloadError`.
   */
  async fetchForDownload(globalPosition: number): Promise<CheckpointDto | null> {
    this.downloading.set(globalPosition);
    this.downloadError.set(null);
    try {
      return await firstValueFrom(this.api.checkpoint(globalPosition));
    } catch (error) {
      this.downloadError.set({ globalPosition, error: toApiError(error) });
      return null;
    } finally {
      this.downloading.set(null);
    }
  }
}
