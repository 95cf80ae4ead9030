import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

/** What the confirmation of an irreversible step says. */
export interface ConfirmStepData {
  heading: string;
  /** What happens, in a sentence or two. */
  consequence: string;
  /** The confirming button's words (the step itself, e.g. "Lock the submission"). */
  confirmLabel: string;
}

/** Asks before a step that cannot be undone; closes with true when confirmed. Cancel is focused first. */
@Component({
  selector: 'cc-confirm-step-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ data.heading }}</h2>
    <mat-dialog-content>
      <p class="cc-confirm-step__consequence" data-testid="confirm-consequence">{{ data.consequence }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" cdkFocusInitial i18n="@@dialog.cancel">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" data-testid="confirm-step">{{ data.confirmLabel }}</button>
    </mat-dialog-actions>
  `,
  styles: `
    .cc-confirm-step__consequence {
      margin: 0;
      max-width: 60ch;
    }
  `,
})
export class ConfirmStepDialog {
  protected readonly data = inject<ConfirmStepData>(MAT_DIALOG_DATA);
}
