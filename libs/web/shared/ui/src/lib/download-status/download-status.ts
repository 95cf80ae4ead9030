import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** Where a download stands, as the host tells it. */
export type ExportStatus = { kind: 'idle' } | { kind: 'working'; format: 'docx' | 'pdf' } | { kind: 'done'; filename: string } | { kind: 'failed'; reason: string };

/**
 * The progress of a document download, announced politely, and its failure with the server's
 * reason as an alert — one place for every download button (export controls, history).
 */
@Component({
  selector: 'cc-download-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="cc-download-status" aria-live="polite">
      @switch (status().kind) {
        @case ('working') {
          <span i18n="@@export.working">Preparing the document…</span>
        }
        @case ('done') {
          <span i18n="@@export.done">Downloaded {{ filename() }}. The export is recorded in the log.</span>
        }
      }
    </p>
    @if (failure(); as reason) {
      <p class="cc-form-failure" role="alert"><strong i18n="@@export.failed">The document could not be exported.</strong> {{ reason }}</p>
    }
  `,
  styles: `
    .cc-download-status {
      margin: 0;
      min-height: 1.4em;
    }
  `,
})
export class DownloadStatus {
  readonly status = input<ExportStatus>({ kind: 'idle' });

  protected readonly filename = computed(() => {
    const status = this.status();
    return status.kind === 'done' ? status.filename : '';
  });

  protected readonly failure = computed(() => {
    const status = this.status();
    return status.kind === 'failed' ? status.reason : null;
  });
}
