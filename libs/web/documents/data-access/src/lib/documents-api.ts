import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';
import type { DocumentVerificationDto, ExportFormat } from '@concord/contracts';
import { firstValueFrom, type Observable } from 'rxjs';

/** What to put in an exported document. */
export interface ExportChoice {
  format: ExportFormat;
  /** Open suggestions as Word tracked changes (coloured in a PDF), or the agreed text only. */
  suggestions: 'clean' | 'tracked';
  /** Open comment threads as Word comments (a PDF leaves them out). */
  comments: 'omit' | 'include';
}

/** A file the server answered. */
export interface DownloadedFile {
  filename: string;
  size: number;
}

/** The file name of a `Content-Disposition` header (RFC 6266: `filename*` first), if it has one. */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      /* fall back to the plain name */
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
}

/**
 * The deliverable's endpoints (issue 13): exports of a submission, of a proposal at a revision, a
 * redline between two revisions — each fetched with the session's credentials and saved by the
 * browser under the name the server gives — and the check of a received document against the log.
 */
@Injectable({ providedIn: 'root' })
export class DocumentsApi {
  private readonly http = inject(HttpClient);
  private readonly document = inject(DOCUMENT);

  submissionExport(submissionId: string, choice: ExportChoice & { revisions: 'current' | 'approved' }): Promise<DownloadedFile> {
    const params = new HttpParams()
      .set('format', choice.format)
      .set('revisions', choice.revisions)
      .set('suggestions', choice.suggestions)
      .set('comments', choice.comments);
    return this.download(`/api/submissions/${encodeURIComponent(submissionId)}/export`, params);
  }

  proposalExport(proposalId: string, choice: ExportChoice & { revision: number | null }): Promise<DownloadedFile> {
    let params = new HttpParams().set('format', choice.format).set('suggestions', choice.suggestions).set('comments', choice.comments);
    if (choice.revision !== null) params = params.set('revision', choice.revision);
    return this.download(`/api/proposals/${encodeURIComponent(proposalId)}/export`, params);
  }

  redline(proposalId: string, from: number, to: number, format: ExportFormat): Promise<DownloadedFile> {
    const params = new HttpParams().set('from', from).set('to', to).set('format', format);
    return this.download(`/api/proposals/${encodeURIComponent(proposalId)}/redline`, params);
  }

  /** Sends a received DOCX or PDF to be checked against the log. */
  verify(file: Blob): Observable<DocumentVerificationDto> {
    return this.http.post<DocumentVerificationDto>('/api/documents/verify', file, { headers: { 'content-type': 'application/octet-stream' } });
  }

  private async download(url: string, params: HttpParams): Promise<DownloadedFile> {
    try {
      const response = await firstValueFrom(this.http.get(url, { params, observe: 'response', responseType: 'blob' }));
      const body = response.body ?? new Blob();
      const filename = filenameOf(response.headers.get('content-disposition')) ?? 'concord-document';
      this.save(body, filename);
      return { filename, size: body.size };
    } catch (error) {
      throw await readableError(error);
    }
  }

  private save(blob: Blob, filename: string): void {
    const view = this.document.defaultView;
    if (!view) return;
    const href = view.URL.createObjectURL(blob);
    const link = this.document.createElement('a');
    link.href = href;
    link.download = filename;
    link.hidden = true;
    this.document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoke after the click has been handled, or some browsers cancel the download.
    view.setTimeout(() => view.URL.revokeObjectURL(href), 0);
  }
}

/** An export error answered as a Blob still carries the server's JSON reason: read it. */
async function readableError(error: unknown): Promise<Error> {
  if (error instanceof HttpErrorResponse) {
    let message = error.status === 0 ? 'The server could not be reached.' : `The server answered ${error.status}.`;
    if (error.error instanceof Blob) {
      try {
        const body = JSON.parse(await error.error.text()) as { message?: string | string[] };
        if (body.message) message = Array.isArray(body.message) ? body.message.join(' ') : body.message;
      } catch {
        /* keep the status line */
      }
    } else if (error.error && typeof error.error === 'object' && 'message' in error.error) {
      message = String((error.error as { message: unknown }).message);
    }
    return new Error(message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
