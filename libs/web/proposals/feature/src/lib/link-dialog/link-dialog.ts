import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

export interface LinkDialogData {
  /** The link at the selection, when there is one. */
  href: string | null;
}

/** `{href}` to set the link, `{remove: true}` to remove it, undefined when cancelled. */
export type LinkDialogResult = { href: string } | { remove: true };

const WEB_OR_MAIL = /^(https?:\/\/|mailto:)\S+$|^[\w.-]+\.[a-z]{2,}(\/\S*)?$/i;

/** Adds, changes or removes the link on the selected text. */
@Component({
  selector: 'cc-link-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>
      @if (data.href) {
        <ng-container i18n="@@link.editTitle">Edit link</ng-container>
      } @else {
        <ng-container i18n="@@link.addTitle">Add a link</ng-container>
      }
    </h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <mat-dialog-content>
        <mat-form-field class="cc-link-field">
          <mat-label i18n="@@link.address">Web address</mat-label>
          <input matInput type="url" [formControl]="href" placeholder="https://" cdkFocusInitial />
          @if (href.touched && href.invalid) {
            <mat-error i18n="@@link.invalid">Enter an address starting with https://, http:// or mailto:</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        @if (data.href) {
          <button mat-button type="button" (click)="remove()" i18n="@@link.remove">Remove link</button>
        }
        <button mat-button type="button" mat-dialog-close i18n="@@dialog.cancel">Cancel</button>
        <button mat-flat-button type="submit" i18n="@@link.apply">Apply</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .cc-link-field {
      width: 100%;
      min-width: min(420px, 80vw);
    }
  `,
})
export class LinkDialog {
  protected readonly data = inject<LinkDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<LinkDialog, LinkDialogResult>>(MatDialogRef);

  protected readonly href = new FormControl(this.data.href ?? '', {
    nonNullable: true,
    validators: [Validators.required, Validators.pattern(WEB_OR_MAIL)],
  });
  /**
   * The form's directive: it takes the submit event (Apply, or Enter in the field) and stops the
   * browser from submitting the page itself, which reloaded the whole editor.
   */
  protected readonly form = new FormGroup({ href: this.href });

  protected save(): void {
    if (this.href.invalid) {
      this.href.markAsTouched();
      return;
    }
    const value = this.href.value.trim();
    this.dialogRef.close({ href: /^[a-z]+:/i.test(value) ? value : `https://${value}` });
  }

  protected remove(): void {
    this.dialogRef.close({ remove: true });
  }
}
