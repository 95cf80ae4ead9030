import { Clipboard } from '@angular/cdk/clipboard';
import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { AuditEventRow } from '@concord/web/audit/data-access';

/** What the details panel asks of the log when it closes. */
export interface EventDetailsResult {
  /** Filter the log down to this stream. */
  showStream?: string;
}

/** How the server presents a binary payload (a Yjs update or checkpoint). */
interface BinaryPayload {
  binary: true;
  bytes: number;
}

function isBinaryPayload(data: unknown): data is BinaryPayload {
  return typeof data === 'object' && data !== null && (data as Partial<BinaryPayload>).binary === true && typeof (data as Partial<BinaryPayload>).bytes === 'number';
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Everything recorded about one event — data, full metadata, and the hashes that chain it to its
 * predecessor — in monospace text an auditor can copy into their own tools.
 */
@Component({
  selector: 'cc-event-details-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe, MatButtonModule, MatDialogModule],
  templateUrl: './event-details-dialog.html',
  styleUrl: './event-details-dialog.scss',
})
export class EventDetailsDialog {
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialogRef = inject<MatDialogRef<EventDetailsDialog, EventDetailsResult>>(MatDialogRef);

  protected readonly event = inject<AuditEventRow>(MAT_DIALOG_DATA);
  protected readonly binary = isBinaryPayload(this.event.data) ? this.event.data : null;
  protected readonly dataJson = JSON.stringify(this.event.data, null, 2);
  protected readonly metadataJson = JSON.stringify(this.event.metadata, null, 2);
  protected readonly prevHash = asText(this.event.metadata['prevHash']);
  protected readonly hash = asText(this.event.metadata['hash']);
  private readonly eventJson = JSON.stringify(
    { position: this.event.position, stream: this.event.stream, revision: this.event.revision, type: this.event.type, data: this.event.data, metadata: this.event.metadata },
    null,
    2,
  );

  protected copyData(): void {
    this.copy(this.dataJson, $localize`:@@audit.details.copiedData:Data copied`);
  }

  protected copyMetadata(): void {
    this.copy(this.metadataJson, $localize`:@@audit.details.copiedMetadata:Metadata copied`);
  }

  protected copyPrevHash(): void {
    this.copy(this.prevHash, $localize`:@@audit.details.copiedPrevHash:Previous hash copied`);
  }

  protected copyHash(): void {
    this.copy(this.hash, $localize`:@@audit.details.copiedHash:Hash copied`);
  }

  protected copyEvent(): void {
    this.copy(this.eventJson, $localize`:@@audit.details.copiedEvent:Event copied as JSON`);
  }

  protected showStream(): void {
    this.dialogRef.close({ showStream: this.event.stream });
  }

  private copy(text: string, done: string): void {
    const copied = this.clipboard.copy(text);
    this.snackBar.open(copied ? done : $localize`:@@audit.details.copyFailed:Could not copy; select the text and copy it instead.`, undefined, {
      duration: 3000,
    });
  }
}
