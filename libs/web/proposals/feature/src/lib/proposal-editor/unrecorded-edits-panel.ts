import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { type UnrecordedEdits, compareBlocks } from '@concord/web/proposals/data-access';

/**
 * This user's own edits the server never recorded (refused, or kept on this device after the
 * right to write was lost): their text to copy, and a comparison with the recorded text. They are
 * never shown as the document.
 */
@Component({
  selector: 'cc-unrecorded-edits-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <section class="cc-unrecorded" data-testid="unrecorded-edits" aria-labelledby="cc-unrecorded-heading">
      <h3 id="cc-unrecorded-heading" class="cc-unrecorded__heading" i18n="@@unrecorded.heading">Your unrecorded edits</h3>
      <p class="cc-unrecorded__intro" i18n="@@unrecorded.intro">
        The server did not record these changes, so the editor shows the recorded text. Your version is kept here: copy it to
        keep your work.
      </p>
      <div class="cc-unrecorded__actions">
        <button mat-stroked-button type="button" data-testid="copy-unrecorded" (click)="copy()" i18n="@@unrecorded.copy">Copy to clipboard</button>
        @if (edits().recorded) {
          <button mat-stroked-button type="button" [attr.aria-pressed]="comparing()" (click)="comparing.set(!comparing())" i18n="@@unrecorded.compare">
            Compare with the recorded text
          </button>
        }
        <button mat-button type="button" (click)="dismiss.emit()" i18n="@@unrecorded.dismiss">Dismiss</button>
        <span class="cc-unrecorded__copied" role="status">{{ copied() ? copiedLabel : '' }}</span>
      </div>
      @if (comparing() && changes(); as list) {
        <ol class="cc-unrecorded__compare" data-testid="unrecorded-compare" tabindex="0" i18n-aria-label="@@unrecorded.compareLabel" aria-label="Your version compared with the recorded text">
          @for (change of list; track $index) {
            @switch (change.kind) {
              @case ('added') {
                <li class="cc-unrecorded__added"><ins><span class="cc-visually-hidden" i18n="@@unrecorded.onlyYours">Only in your version: </span>{{ change.text }}</ins></li>
              }
              @case ('removed') {
                <li class="cc-unrecorded__removed"><del><span class="cc-visually-hidden" i18n="@@unrecorded.onlyRecorded">Only in the recorded text: </span>{{ change.text }}</del></li>
              }
              @default {
                <li class="cc-unrecorded__same">{{ change.text }}</li>
              }
            }
          }
        </ol>
      } @else {
        <div class="cc-unrecorded__text" data-testid="unrecorded-text" tabindex="0" i18n-aria-label="@@unrecorded.textLabel" aria-label="Your version" role="region">
          @for (block of edits().local; track $index) {
            <p>{{ block }}</p>
          }
        </div>
      }
    </section>
  `,
  styles: `
    .cc-unrecorded {
      margin: 8px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline);
      border-left: 4px solid #b35900;
      border-radius: 4px;
      background: var(--mat-sys-surface-container-low);
    }
    .cc-unrecorded__heading {
      margin: 0 0 4px;
      font: var(--mat-sys-title-medium);
    }
    .cc-unrecorded__intro {
      margin: 0 0 8px;
      font: var(--mat-sys-body-medium);
    }
    .cc-unrecorded__actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .cc-unrecorded__text,
    .cc-unrecorded__compare {
      max-height: 240px;
      overflow-y: auto;
      margin: 8px 0 0;
      padding: 8px 12px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface);
      font: var(--mat-sys-body-medium);
      white-space: pre-wrap;
    }
    .cc-unrecorded__text p {
      margin: 0 0 6px;
    }
    .cc-unrecorded__compare {
      list-style: none;
    }
    .cc-unrecorded__added ins {
      background: #d7f0dc;
      color: #0b3d17;
      text-decoration: none;
      border-left: 3px solid #1e7a34;
      padding-left: 4px;
      display: block;
    }
    .cc-unrecorded__removed del {
      background: #fbe0de;
      color: #5c0f0a;
      border-left: 3px solid #b3261e;
      padding-left: 4px;
      display: block;
    }
  `,
})
export class UnrecordedEditsPanel {
  private readonly clipboard = inject(Clipboard);

  readonly edits = input.required<UnrecordedEdits>();
  readonly dismiss = output<void>();

  protected readonly comparing = signal(false);
  protected readonly copied = signal(false);
  protected readonly copiedLabel = $localize`:@@unrecorded.copied:Copied.`;
  /** Recorded text → your version: what yours adds and removes. */
  protected readonly changes = computed(() => {
    const { local, recorded } = this.edits();
    return recorded ? compareBlocks(recorded, local) : null;
  });

  protected copy(): void {
    this.copied.set(this.clipboard.copy(this.edits().local.join('\n\n')));
  }
}
