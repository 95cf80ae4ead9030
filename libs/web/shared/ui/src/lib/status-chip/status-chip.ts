import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ProposalStatus, SubmissionStatus } from '@concord/contracts';
import { statusLabel } from '../labels/labels';

/** A proposal's or a submission's status as a labelled pill (the colour only repeats the text). */
@Component({
  selector: 'cc-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="cc-status" [class]="tone()">{{ label() }}</span>`,
  styleUrl: './status-chip.scss',
})
export class StatusChip {
  readonly status = input.required<ProposalStatus | SubmissionStatus>();

  protected readonly label = computed(() => statusLabel(this.status()));
  protected readonly tone = computed(() => `cc-status cc-status--${this.status()}`);
}
