import { Clipboard } from '@angular/cdk/clipboard';
import { DOCUMENT, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { CheckpointDto } from '@concord/contracts';
import { CheckpointsStore } from '@concord/web/audit/data-access';
import { EmptyState, ErrorState, LoadingState } from '@concord/web/shared/ui';
import { saveJsonFile } from './save-json-file';

interface CheckpointRow extends CheckpointDto {
  downloadLabel: string;
}

/**
 * The signed checkpoints and the public key that verifies them; each checkpoint can be downloaded
 * (with the stream heads it covers) for `npm run verify -- --checkpoint <file>`.
 */
@Component({
  selector: 'cc-signed-checkpoints',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatProgressSpinnerModule, MatTableModule, EmptyState, ErrorState, LoadingState],
  templateUrl: './signed-checkpoints.html',
  styleUrl: './signed-checkpoints.scss',
})
export class SignedCheckpoints {
  private readonly store = inject(CheckpointsStore);
  private readonly document = inject(DOCUMENT);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = ['at', 'globalPosition', 'streamCount', 'merkleRoot', 'download'];
  protected readonly publicKey = this.store.publicKey;
  protected readonly publicKeyFingerprint = this.store.publicKeyFingerprint;
  protected readonly isLoading = this.store.isLoading;
  protected readonly isRefreshing = this.store.isRefreshing;
  protected readonly error = this.store.error;
  protected readonly downloading = this.store.downloading;
  protected readonly downloadError = this.store.downloadError;
  protected readonly rows = computed<readonly CheckpointRow[]>(() =>
    this.store.checkpoints().map((checkpoint) => ({
      ...checkpoint,
      downloadLabel: $localize`:@@audit.checkpoints.downloadLabel:Download checkpoint signed at position ${checkpoint.globalPosition}:position:`,
    })),
  );

  constructor() {
    this.store.start();
  }

  protected reload(): void {
    this.store.reload();
  }

  protected async downloadCheckpoint(globalPosition: number): Promise<void> {
    if (this.downloading() !== null) {
      return;
    }
    const checkpoint = await this.store.fetchForDownload(globalPosition);
    if (checkpoint) {
      saveJsonFile(this.document, `concord-checkpoint-${globalPosition}.json`, checkpoint);
    }
  }

  protected copyPublicKey(): void {
    const key = this.publicKey();
    if (key) {
      const copied = this.clipboard.copy(key);
      this.snackBar.open(
        copied ? $localize`:@@audit.checkpoints.keyCopied:Public key copied` : $localize`:@@audit.details.copyFailed:Could not copy; select the text and copy it instead.`,
        undefined,
        { duration: 3000 },
      );
    }
  }
}
