import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ProposalSummaryDto } from '@concord/contracts';

export type ApprovalFacts = Pick<ProposalSummaryDto, 'approvedRevision' | 'approvalStale'>;

export type ApprovalState =
  | { kind: 'approved'; revision: number }
  | { kind: 'stale'; revision: number }
  | { kind: 'none' };

export function approvalStateOf(proposal: ApprovalFacts): ApprovalState {
  if (proposal.approvedRevision === null || proposal.approvedRevision === undefined) {
    return { kind: 'none' };
  }
  return proposal.approvalStale
    ? { kind: 'stale', revision: proposal.approvedRevision }
    : { kind: 'approved', revision: proposal.approvedRevision };
}

export function approvalStateLabel(state: ApprovalState): string {
  switch (state.kind) {
    case 'approved':
      return $localize`:@@approval.approvedAt:Approved at rev ${state.revision}:revision:`;
    case 'stale':
      return $localize`:@@approval.stale:Approval stale`;
    case 'none':
      return '—';
  }
}

function approvalStateDescription(state: ApprovalState): string {
  switch (state.kind) {
    case 'approved':
      return $localize`:@@approval.approvedAt.description:Approved at revision ${state.revision}:revision:`;
    case 'stale':
      return $localize`:@@approval.stale.description:Approval stale: revision ${state.revision}:revision: was approved, the text has changed since`;
    case 'none':
      return $localize`:@@approval.none.description:Not approved`;
  }
}

/** "Approved at rev N", "Approval stale" or an em dash, with a full description for screen readers. */
@Component({
  selector: 'cc-approval-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="tone()" [attr.aria-label]="description()" [attr.title]="description()">{{ label() }}</span>`,
  styles: `
    .cc-approval--approved {
      color: #17612b;
      font-weight: 500;
    }
    .cc-approval--stale {
      color: #7a4f00;
      font-weight: 500;
    }
  `,
})
export class ApprovalStateLabel {
  readonly proposal = input.required<ApprovalFacts>();

  private readonly state = computed(() => approvalStateOf(this.proposal()));
  protected readonly label = computed(() => approvalStateLabel(this.state()));
  protected readonly description = computed(() => approvalStateDescription(this.state()));
  protected readonly tone = computed(() => `cc-approval--${this.state().kind}`);
}
