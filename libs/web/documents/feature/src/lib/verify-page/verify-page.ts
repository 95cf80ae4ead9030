import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { MatButtonModule } from '@angular/material/button';
import type { DocumentVerificationDto } from '@concord/contracts';
import { DocumentsApi } from '@concord/web/documents/data-access';
import { firstValueFrom } from 'rxjs';

/**
 * "Verify a document": a file received from Concord (DOCX or PDF) is sent to the server, which
 * checks it against the log — the export it names, the hashes of its revisions, and, for a DOCX,
 * every numbered paragraph — and the page says exactly which paragraph differs.
 */
@Component({
  selector: 'cc-verify-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  templateUrl: './verify-page.html',
  styleUrl: './verify-page.scss',
})
export class VerifyPage {
  private readonly api = inject(DocumentsApi);

  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly result = signal<DocumentVerificationDto | null>(null);
  protected readonly error = signal<string | null>(null);

  protected choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.file.set(input.files?.[0] ?? null);
    this.result.set(null);
    this.error.set(null);
  }

  protected async verify(event: Event): Promise<void> {
    event.preventDefault();
    const file = this.file();
    if (!file) {
      this.error.set($localize`:@@verify.noFile:Choose the DOCX or PDF file to check first.`);
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    try {
      this.result.set(await firstValueFrom(this.api.verify(file)));
    } catch (error) {
      this.error.set(reason(error));
    } finally {
      this.busy.set(false);
    }
  }
}

function reason(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const message = (error.error as { message?: string | string[] } | null)?.message;
    if (message) return Array.isArray(message) ? message.join(' ') : message;
    if (error.status === 404) return $localize`:@@verify.notFound:This document belongs to a submission you cannot see, or to another Concord.`;
    return error.status === 0 ? $localize`:@@verify.offline:The server could not be reached.` : $localize`:@@verify.failed:The server answered ${error.status}:status:.`;
  }
  return error instanceof Error ? error.message : String(error);
}
