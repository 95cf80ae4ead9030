import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ReferenceDataStore, toApiError } from '@concord/web/core/data-access';
import { SubmissionStore } from '@concord/web/submissions/data-access';
import { ErrorState } from '@concord/web/shared/ui';

export const TITLE_MAX_LENGTH = 200;
export const SUMMARY_MAX_LENGTH = 2000;

/** Creates a proposal in the open submission; closes with the new proposal's id. */
@Component({
  selector: 'cc-new-proposal-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ErrorState,
  ],
  templateUrl: './new-proposal-dialog.html',
  styleUrl: './new-proposal-dialog.scss',
})
export class NewProposalDialog {
  private readonly store = inject(SubmissionStore);
  private readonly reference = inject(ReferenceDataStore);
  private readonly dialogRef = inject<MatDialogRef<NewProposalDialog, string>>(MatDialogRef);

  protected readonly kinds = this.reference.kinds;
  protected readonly objectives = this.reference.objectives;
  protected readonly referenceError = this.reference.error;
  protected readonly titleMaxLength = TITLE_MAX_LENGTH;
  protected readonly summaryMaxLength = SUMMARY_MAX_LENGTH;

  protected readonly form = inject(NonNullableFormBuilder).group({
    title: ['', [Validators.required, Validators.maxLength(TITLE_MAX_LENGTH), Validators.pattern(/\S/)]],
    kind: ['', Validators.required],
    gcmObjectives: [[] as number[], Validators.required],
    summary: ['', Validators.maxLength(SUMMARY_MAX_LENGTH)],
  });
  /** A Word document to start from (optional): its text becomes the first revision. */
  protected readonly wordFile = signal<File | null>(null);
  protected readonly creating = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected reloadReferenceData(): void {
    this.reference.reload();
  }

  protected chooseWordFile(event: Event): void {
    this.wordFile.set((event.target as HTMLInputElement).files?.[0] ?? null);
  }

  protected async createProposal(): Promise<void> {
    if (this.creating()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { title, kind, gcmObjectives, summary } = this.form.getRawValue();
    this.creating.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      const file = this.wordFile();
      const details = { title, kind, gcmObjectives: [...gcmObjectives].sort((a, b) => a - b) };
      const proposalId = file
        ? await this.store.importProposal(details, file)
        : await this.store.createProposal({ ...details, ...(summary.trim() ? { summary: summary.trim() } : {}) });
      this.dialogRef.close(proposalId);
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.creating.set(false);
      this.dialogRef.disableClose = false;
    }
  }
}
