import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

export interface RestoreDialogData {
  revision: number;
  currentRevision: number;
}

/** Asks before restoring; closes with true to go ahead. */
@Component({
  selector: 'cc-restore-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title i18n="@@restore.title">Restore revision {{ data.revision }}?</h2>
    <mat-dialog-content>
      <p i18n="@@restore.body">
        The text will become what it was at revision {{ data.revision }}, recorded as a new revision after
        {{ data.currentRevision }} in your name. Nothing is lost: every revision stays in the history.
      </p>
      <p i18n="@@restore.others">Anyone editing now sees the change at once.</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" cdkFocusInitial i18n="@@dialog.cancel">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" i18n="@@restore.confirm">Restore revision {{ data.revision }}</button>
    </mat-dialog-actions>
  `,
})
export class RestoreDialog {
  protected readonly data = inject<RestoreDialogData>(MAT_DIALOG_DATA);
}
