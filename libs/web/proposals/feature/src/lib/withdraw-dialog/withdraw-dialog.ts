import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

export interface WithdrawData {
  title: string;
}

/** Asks before withdrawing; closes with true to go ahead. */
@Component({
  selector: 'cc-withdraw-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title i18n="@@withdraw.title">Withdraw this proposal?</h2>
    <mat-dialog-content>
      <p i18n="@@withdraw.body">
        “{{ data.title }}” will no longer be part of the submission. Its history is kept.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" cdkFocusInitial i18n="@@dialog.cancel">Cancel</button>
      <button mat-flat-button type="button" class="cc-danger" [mat-dialog-close]="true" i18n="@@withdraw.confirm">
        Withdraw
      </button>
    </mat-dialog-actions>
  `,
})
export class WithdrawDialog {
  protected readonly data = inject<WithdrawData>(MAT_DIALOG_DATA);
}
