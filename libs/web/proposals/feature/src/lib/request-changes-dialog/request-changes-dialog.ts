import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { toApiError } from '@concord/web/core/data-access';
import { ProposalStore } from '@concord/web/proposals/data-access';

export interface RequestChangesData {
  title: string;
  revision: number;
}

export const CHANGE_REQUEST_MAX_LENGTH = 2000;

/** Sends a proposal back to its drafters with the chair's comment; closes with true once recorded. */
@Component({
  selector: 'cc-request-changes-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  templateUrl: './request-changes-dialog.html',
  styles: `
    mat-form-field {
      width: 100%;
    }
  `,
})
export class RequestChangesDialog {
  private readonly store = inject(ProposalStore);
  private readonly dialogRef = inject<MatDialogRef<RequestChangesDialog, boolean>>(MatDialogRef);
  protected readonly data = inject<RequestChangesData>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    comment: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/\S/), Validators.maxLength(CHANGE_REQUEST_MAX_LENGTH)],
    }),
  });
  protected readonly comment = this.form.controls.comment;
  protected readonly commentMaxLength = CHANGE_REQUEST_MAX_LENGTH;
  protected readonly sending = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected async requestChanges(): Promise<void> {
    if (this.sending()) {
      return;
    }
    if (this.comment.invalid) {
      this.comment.markAsTouched();
      return;
    }
    this.sending.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      await this.store.requestChanges(this.data.revision, this.comment.value);
      this.dialogRef.close(true);
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.sending.set(false);
      this.dialogRef.disableClose = false;
    }
  }
}
