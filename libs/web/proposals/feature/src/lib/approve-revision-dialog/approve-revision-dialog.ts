import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ApprovalDto, RevisionDto } from '@concord/contracts';
import { toApiError } from '@concord/web/core/data-access';
import { ProposalStore } from '@concord/web/proposals/data-access';

export interface ApproveRevisionData {
  title: string;
  /** The revision being approved: the proposal's current revision when the dialog opened. */
  revision: number;
  /** The revision that was sent for review, when it differs from the one being approved. */
  reviewRevision: number | null;
}

export const APPROVAL_COMMENT_MAX_LENGTH = 2000;

/**
 * Approves one revision. Before: which revision and its content hash, fetched from the server
 * (`GET /revisions/<rev>`) before the chair may approve. After: the approval the server recorded,
 * with its content hash.
 */
@Component({
  selector: 'cc-approve-revision-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  templateUrl: './approve-revision-dialog.html',
  styleUrl: './approve-revision-dialog.scss',
})
export class ApproveRevisionDialog {
  private readonly store = inject(ProposalStore);
  private readonly dialogRef = inject<MatDialogRef<ApproveRevisionDialog, ApprovalDto | null>>(MatDialogRef);
  protected readonly data = inject<ApproveRevisionData>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    comment: new FormControl('', {
      nonNullable: true,
      validators: Validators.maxLength(APPROVAL_COMMENT_MAX_LENGTH),
    }),
  });
  protected readonly comment = this.form.controls.comment;
  protected readonly commentMaxLength = APPROVAL_COMMENT_MAX_LENGTH;
  protected readonly approving = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly approval = signal<ApprovalDto | null>(null);
  protected readonly reviewedEarlierRevision = computed(
    () => this.data.reviewRevision !== null && this.data.reviewRevision !== this.data.revision,
  );
  protected readonly snapshot = signal<RevisionDto | null>(null);
  protected readonly snapshotLoading = signal(false);
  protected readonly snapshotFailure = signal<string | null>(null);
  protected readonly snapshotWords = computed(() => countWords(this.snapshot()?.text ?? ''));
  protected readonly hashDiffers = computed(() => {
    const shown = this.snapshot()?.contentHash;
    const recorded = this.approval()?.contentHash;
    return Boolean(shown && recorded && shown !== recorded);
  });

  constructor() {
    void this.loadSnapshot();
  }

  protected async loadSnapshot(): Promise<void> {
    this.snapshotLoading.set(true);
    this.snapshotFailure.set(null);
    try {
      this.snapshot.set(await this.store.revision(this.data.revision));
    } catch (error) {
      this.snapshotFailure.set(toApiError(error).message);
    } finally {
      this.snapshotLoading.set(false);
    }
  }

  protected async approveRevision(): Promise<void> {
    if (this.approving() || !this.snapshot() || this.comment.invalid) {
      this.comment.markAsTouched();
      return;
    }
    this.approving.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      this.approval.set(await this.store.approveRevision(this.data.revision, this.comment.value));
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.approving.set(false);
      this.dialogRef.disableClose = false;
    }
  }

  protected close(): void {
    this.dialogRef.close(this.approval());
  }
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
