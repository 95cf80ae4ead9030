import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';

/**
 * start: a chair circulates the current revision of a proposal, or every text of a submission;
 * object: a delegate breaks silence; void: a chair withdraws it. `act` sends the request (the
 * deadline as an ISO date-time for start, else the reason) and answers null once the server
 * recorded it, or the server's reason for refusing it.
 */
export interface SilenceDialogData {
  mode: 'start' | 'object' | 'void';
  subject: 'proposal' | 'submission';
  title: string;
  /** The proposal's revision circulated (proposals only). */
  revision?: number;
  act: (value: string) => Promise<string | null>;
}

export const SILENCE_REASON_MAX_LENGTH = 2000;

/** `yyyy-MM-ddTHH:mm` in local time, as a datetime-local input holds it. */
export function localDateTimeInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The three silence procedure dialogs (of a proposal or of a whole submission); each closes with true once the server recorded it, and shows its reason when it refuses. */
@Component({
  selector: 'cc-silence-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>
      @switch (data.mode) {
        @case ('start') { <ng-container i18n="@@silence.startTitle">Start a silence procedure</ng-container> }
        @case ('object') { <ng-container i18n="@@silence.objectTitle">Break silence (object)</ng-container> }
        @case ('void') { <ng-container i18n="@@silence.voidTitle">Withdraw the silence procedure</ng-container> }
      }
    </h2>
    @if (sending()) {
      <mat-progress-bar mode="indeterminate" i18n-aria-label="@@silence.sending" aria-label="Sending" />
    }
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate [attr.aria-busy]="sending()">
      <mat-dialog-content>
        @if (data.subject === 'submission') {
          @switch (data.mode) {
            @case ('start') {
              <p i18n="@@submissionSilence.startIntro">
                The current text of every proposal of “{{ data.title }}” is circulated to the member states' focal points. The submission is adopted at the
                deadline unless one of them breaks silence; until then its texts are frozen.
              </p>
            }
            @case ('object') {
              <p i18n="@@submissionSilence.objectIntro">Your objection breaks silence on the submission “{{ data.title }}”: it is not adopted.</p>
            }
            @case ('void') {
              <p i18n="@@submissionSilence.voidIntro">The silence procedure on “{{ data.title }}” ends without adoption and its texts may be edited again.</p>
            }
          }
        } @else {
          @switch (data.mode) {
            @case ('start') {
              <p i18n="@@silence.startIntro">
                The current text of “{{ data.title }}” (revision {{ data.revision }} or newer) is circulated to the member states' focal points. It is adopted at
                the deadline unless one of them breaks silence; until then the text is frozen.
              </p>
            }
            @case ('object') {
              <p i18n="@@silence.objectIntro">Your objection breaks silence on revision {{ data.revision }} of “{{ data.title }}”: the text is not adopted.</p>
            }
            @case ('void') {
              <p i18n="@@silence.voidIntro">The silence procedure on “{{ data.title }}” ends without adoption and the text may be edited again.</p>
            }
          }
        }
        @if (failure(); as reason) {
          <div class="cc-form-failure" role="alert">
            <strong i18n="@@silence.failed">That was not recorded.</strong> {{ reason }}
          </div>
        }
        @if (data.mode === 'start') {
          <mat-form-field>
            <mat-label i18n="@@silence.deadlineLabel">Deadline (your local time)</mat-label>
            <input matInput type="datetime-local" [formControl]="deadline" required data-testid="silence-deadline" />
            <mat-hint>{{ deadlineUtc() }}</mat-hint>
            @if (deadline.invalid) {
              <mat-error i18n="@@silence.deadlineRequired">Choose the date and time of the deadline.</mat-error>
            }
          </mat-form-field>
        } @else {
          <mat-form-field>
            @if (data.mode === 'object') {
              <mat-label i18n="@@silence.reasonLabel">Why does your member state object?</mat-label>
            } @else {
              <mat-label i18n="@@silence.voidReasonLabel">Reason (optional)</mat-label>
            }
            <textarea matInput [formControl]="reason" rows="5" [required]="data.mode === 'object'" [maxlength]="reasonMaxLength" data-testid="silence-reason"></textarea>
            @if (reason.invalid) {
              <mat-error i18n="@@silence.reasonRequired">Give the reason of the objection.</mat-error>
            }
          </mat-form-field>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close [disabled]="sending()" i18n="@@dialog.cancel">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="sending()" data-testid="silence-submit">
          @switch (data.mode) {
            @case ('start') { <ng-container i18n="@@silence.startSubmit">Start silence procedure</ng-container> }
            @case ('object') { <ng-container i18n="@@silence.objectSubmit">Break silence</ng-container> }
            @case ('void') { <ng-container i18n="@@silence.voidSubmit">Withdraw</ng-container> }
          }
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
  `,
})
export class SilenceDialog {
  private readonly dialogRef = inject<MatDialogRef<SilenceDialog, boolean>>(MatDialogRef);
  protected readonly data = inject<SilenceDialogData>(MAT_DIALOG_DATA);

  /** A week ahead by default, in local time. */
  protected readonly deadline = new FormControl(localDateTimeInput(new Date(Date.now() + 7 * 24 * 3600 * 1000)), {
    nonNullable: true,
    validators: [Validators.required],
  });
  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: this.data.mode === 'object' ? [Validators.required, Validators.pattern(/\S/), Validators.maxLength(SILENCE_REASON_MAX_LENGTH)] : [Validators.maxLength(SILENCE_REASON_MAX_LENGTH)],
  });
  /** One form for both fields (a `<form>` submits through Angular only under a FormGroup). */
  protected readonly form = new FormGroup({ deadline: this.deadline, reason: this.reason });
  protected readonly reasonMaxLength = SILENCE_REASON_MAX_LENGTH;
  protected readonly sending = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected deadlineUtc(): string {
    const at = new Date(this.deadline.value);
    return Number.isNaN(at.getTime()) ? '' : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }

  protected async submit(): Promise<void> {
    if (this.sending()) return;
    const control = this.data.mode === 'start' ? this.deadline : this.reason;
    if (control.invalid) {
      control.markAsTouched();
      return;
    }
    this.sending.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      // Shown here, in the dialog, with the server's reason (not twice, behind it on the page).
      const refused = await this.data.act(this.data.mode === 'start' ? new Date(this.deadline.value).toISOString() : this.reason.value);
      if (refused === null) this.dialogRef.close(true);
      else this.failure.set(refused);
    } finally {
      this.sending.set(false);
      this.dialogRef.disableClose = false;
    }
  }
}
