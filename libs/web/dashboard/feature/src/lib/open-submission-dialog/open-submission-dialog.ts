import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import type { OpenSubmissionRequest } from '@concord/contracts';
import { toApiError } from '@concord/web/core/data-access';
import { SubmissionsApi } from '@concord/web/submissions/data-access';
import { ErrorState, LoadingState } from '@concord/web/shared/ui';
import { firstValueFrom } from 'rxjs';

export const SUBMISSION_TITLE_MAX_LENGTH = 200;
export const CONSULTATION_MAX_LENGTH = 200;
/** The value of the choice "Other consultation" (free text) among the consultations' ids. */
export const OTHER_CONSULTATION = '__other__';

export interface OpenSubmissionData {
  iscmId: string;
  workspaceName: string;
}

/**
 * Opens a submission in a workspace (drafters): a title, the GCM consultation it is written for —
 * one of `GET /api/consultations` (number, title, dates; the chosen one's guiding questions, which
 * become the sections, are previewed) or another named in free text — and a due date. Closes with
 * the new submission's id; a refusal keeps the dialog open with the server's reason.
 */
@Component({
  selector: 'cc-open-submission-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    ErrorState,
    LoadingState,
  ],
  templateUrl: './open-submission-dialog.html',
  styleUrl: './open-submission-dialog.scss',
})
export class OpenSubmissionDialog {
  private readonly api = inject(SubmissionsApi);
  private readonly dialogRef = inject<MatDialogRef<OpenSubmissionDialog, string>>(MatDialogRef);
  protected readonly data = inject<OpenSubmissionData>(MAT_DIALOG_DATA);

  protected readonly titleMaxLength = SUBMISSION_TITLE_MAX_LENGTH;
  protected readonly consultationMaxLength = CONSULTATION_MAX_LENGTH;
  protected readonly other = OTHER_CONSULTATION;

  private readonly consultationsResource = rxResource({ stream: () => this.api.consultations() });
  protected readonly consultations = computed(() => (this.consultationsResource.hasValue() ? this.consultationsResource.value() : []));
  protected readonly consultationsLoading = computed(() => this.consultationsResource.isLoading() && !this.consultationsResource.hasValue());
  protected readonly consultationsError = computed(() => {
    const error = this.consultationsResource.error();
    return error ? toApiError(error).message : null;
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    title: ['', [Validators.required, Validators.maxLength(SUBMISSION_TITLE_MAX_LENGTH), Validators.pattern(/\S/)]],
    consultationId: ['', Validators.required],
    otherConsultation: ['', [Validators.maxLength(CONSULTATION_MAX_LENGTH)]],
    dueDate: ['', [Validators.required, Validators.pattern(/^\d{4}-\d{2}-\d{2}$/)]],
  });

  private readonly chosenId = toSignal(this.form.controls.consultationId.valueChanges, { initialValue: '' });
  protected readonly chosen = computed(() => this.consultations().find((c) => c.id === this.chosenId()) ?? null);
  protected readonly otherChosen = computed(() => this.chosenId() === OTHER_CONSULTATION);

  protected readonly opening = signal(false);
  protected readonly failure = signal<string | null>(null);
  /** Shown with the consultation choice once the user tried to submit without one. */
  protected readonly consultationMissing = signal(false);
  protected readonly otherMissing = signal(false);

  protected reloadConsultations(): void {
    this.consultationsResource.reload();
  }

  protected async open(): Promise<void> {
    if (this.opening()) return;
    const { title, consultationId, otherConsultation, dueDate } = this.form.getRawValue();
    const isOther = consultationId === OTHER_CONSULTATION;
    this.consultationMissing.set(!consultationId);
    this.otherMissing.set(isOther && !otherConsultation.trim());
    if (this.form.invalid || this.otherMissing()) {
      this.form.markAllAsTouched();
      return;
    }
    const request: OpenSubmissionRequest = isOther
      ? { iscmId: this.data.iscmId, title: title.trim(), consultation: otherConsultation.trim(), dueDate }
      : { iscmId: this.data.iscmId, title: title.trim(), consultationId, dueDate };
    this.opening.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      const submission = await firstValueFrom(this.api.open(request));
      this.dialogRef.close(submission.id);
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.opening.set(false);
      this.dialogRef.disableClose = false;
    }
  }

  protected chooseConsultation(): void {
    this.consultationMissing.set(false);
    this.otherMissing.set(false);
  }
}
