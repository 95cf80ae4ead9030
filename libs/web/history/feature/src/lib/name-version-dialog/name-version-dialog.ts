import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { toApiError } from '@concord/web/core/data-access';
import { HistoryStore } from '@concord/web/history/data-access';

export interface NameVersionDialogData {
  revision: number;
}

export const VERSION_LABEL_MAX_LENGTH = 100;

/** Puts a label on a revision ("Sent to chair"); closes with the label once recorded. */
@Component({
  selector: 'cc-name-version-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title i18n="@@nameVersion.title">Name revision {{ data.revision }}</h2>
    @if (saving()) {
      <mat-progress-bar mode="indeterminate" i18n-aria-label="@@nameVersion.saving" aria-label="Saving" />
    }
    <form (ngSubmit)="save()" novalidate [attr.aria-busy]="saving()">
      <mat-dialog-content>
        <p i18n="@@nameVersion.intro">A name marks this revision in the history, for example “Sent to the chair”.</p>
        @if (failure(); as reason) {
          <div class="cc-form-failure" role="alert">
            <strong i18n="@@nameVersion.failed">The version was not named.</strong> {{ reason }}
          </div>
        }
        <mat-form-field class="cc-label-field">
          <mat-label i18n="@@nameVersion.label">Name</mat-label>
          <input matInput [formControl]="label" [maxlength]="maxLength" cdkFocusInitial />
          @if (label.touched && label.invalid) {
            <mat-error i18n="@@nameVersion.required">Enter a name.</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close [disabled]="saving()" i18n="@@dialog.cancel">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()" i18n="@@nameVersion.save">Save name</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .cc-label-field {
      width: 100%;
      min-width: min(400px, 80vw);
    }
  `,
})
export class NameVersionDialog {
  protected readonly data = inject<NameVersionDialogData>(MAT_DIALOG_DATA);
  private readonly store = inject(HistoryStore);
  private readonly dialogRef = inject<MatDialogRef<NameVersionDialog, string>>(MatDialogRef);

  protected readonly maxLength = VERSION_LABEL_MAX_LENGTH;
  protected readonly label = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.pattern(/\S/), Validators.maxLength(VERSION_LABEL_MAX_LENGTH)],
  });
  protected readonly saving = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected async save(): Promise<void> {
    if (this.saving()) {
      return;
    }
    if (this.label.invalid) {
      this.label.markAsTouched();
      return;
    }
    this.saving.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      await this.store.nameVersion(this.data.revision, this.label.value);
      this.dialogRef.close(this.label.value.trim());
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.saving.set(false);
      this.dialogRef.disableClose = false;
    }
  }
}
