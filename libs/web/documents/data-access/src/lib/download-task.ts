import { signal } from '@angular/core';
import type { DownloadedFile } from './documents-api';

/** Where a download stands (the shape `cc-export-controls` shows). */
export type DownloadState =
  | { kind: 'idle' }
  | { kind: 'working'; format: 'docx' | 'pdf' }
  | { kind: 'done'; filename: string }
  | { kind: 'failed'; reason: string };

/** One download at a time, its progress and its failure kept for the page to show (never silent). */
export class DownloadTask {
  private readonly state = signal<DownloadState>({ kind: 'idle' });
  readonly status = this.state.asReadonly();

  async run(format: 'docx' | 'pdf', work: () => Promise<DownloadedFile>): Promise<void> {
    if (this.state().kind === 'working') return;
    this.state.set({ kind: 'working', format });
    try {
      const file = await work();
      this.state.set({ kind: 'done', filename: file.filename });
    } catch (error) {
      this.state.set({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
