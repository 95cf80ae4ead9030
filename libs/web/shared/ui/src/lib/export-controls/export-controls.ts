import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatRadioModule } from '@angular/material/radio';

/** What the reader asked to export. */
export interface ExportRequest {
  format: 'docx' | 'pdf';
  suggestions: 'clean' | 'tracked';
  /** Open comment threads as Word comments (a PDF leaves them out). */
  comments: 'omit' | 'include';
  /** Submissions only: every proposal's current text, or the texts the chair approved. */
  revisions: 'current' | 'approved';
}

import { DownloadStatus, type ExportStatus } from '../download-status/download-status';

let nextId = 0;

/**
 * "Download as DOCX / PDF" with the choices an ISCM secretariat makes before sending a text:
 * current or approved texts (submissions), open suggestions as tracked changes or left out. The
 * host fetches the file and reports progress and errors through `status` (announced politely;
 * failures as an alert).
 */
@Component({
  selector: 'cc-export-controls',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatRadioModule, DownloadStatus],
  template: `
    <section class="cc-export" [attr.aria-labelledby]="headingId">
      <h2 class="cc-section-title" [id]="headingId">{{ heading() }}</h2>
      @if (showRevisions()) {
        <mat-radio-group class="cc-export__texts" [(ngModel)]="revisions" [attr.aria-labelledby]="textsId">
          <span [id]="textsId" class="cc-export__label" i18n="@@export.texts">Texts</span>
          <mat-radio-button value="current" i18n="@@export.current">Current texts</mat-radio-button>
          <mat-radio-button value="approved" i18n="@@export.approved">Approved texts</mat-radio-button>
        </mat-radio-group>
      }
      <mat-checkbox [(ngModel)]="tracked" i18n="@@export.tracked">Include open suggestions as tracked changes</mat-checkbox>
      <mat-checkbox [(ngModel)]="withComments" i18n="@@export.comments">Include open comments as Word comments (DOCX)</mat-checkbox>
      <div class="cc-export__buttons">
        <button mat-stroked-button type="button" [disabled]="status().kind === 'working'" (click)="ask('docx')" i18n="@@export.docx">Download DOCX</button>
        <button mat-stroked-button type="button" [disabled]="status().kind === 'working'" (click)="ask('pdf')" i18n="@@export.pdf">Download PDF</button>
      </div>
      <cc-download-status [status]="status()" />
    </section>
  `,
  styles: `
    .cc-export {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .cc-export__texts {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .cc-export__label {
      font-weight: 500;
    }
    .cc-export__buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class ExportControls {
  readonly heading = input($localize`:@@export.heading:Export`);
  /** Offer the choice between current and approved texts (a submission's export). */
  readonly showRevisions = input(false);
  readonly status = input<ExportStatus>({ kind: 'idle' });
  readonly exportRequested = output<ExportRequest>();

  protected readonly headingId = `cc-export-heading-${nextId}`;
  protected readonly textsId = `cc-export-texts-${nextId++}`;
  protected revisions: 'current' | 'approved' = 'current';
  protected tracked = false;
  protected withComments = false;

  protected ask(format: 'docx' | 'pdf'): void {
    this.exportRequested.emit({
      format,
      suggestions: this.tracked ? 'tracked' : 'clean',
      comments: this.withComments ? 'include' : 'omit',
      revisions: this.showRevisions() ? this.revisions : 'current',
    });
  }
}
