import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ProposalApprovalsDto, ProposalStatus } from '@concord/contracts';

export interface ApproverLine {
  userId: string;
  name: string;
  approved: boolean;
}

export interface ApprovalProgressView {
  /** "2 of 3" or "all 3". */
  rule: string;
  required: number;
  count: number;
  revision: number | null;
  complete: boolean;
  approvers: ApproverLine[];
  /** Other rounds still pending (approvals of other revisions), as "revision 5: Name". */
  otherRounds: { revision: number; names: string }[];
}

/**
 * What the proposal page shows of an approval rule (issue 14 §2): how many of the approvers have
 * approved which revision, each approver approved or pending. Pure, for the component and its spec.
 */
export function approvalProgressView(approvals: ProposalApprovalsDto | undefined, status: ProposalStatus, approvedRevision: number | null): ApprovalProgressView | null {
  const rule = approvals?.rule;
  if (!approvals || !rule) return null;
  const [newest, ...older] = approvals.pending;
  const completed = status === 'approved' && approvals.completed && approvals.completed.revision === approvedRevision ? approvals.completed : null;
  const round = newest ?? completed;
  const given = new Set((round?.given ?? []).map((g) => g.userId));
  const lines = rule.approvers.map((a) => ({ userId: a.userId, name: a.name, approved: given.has(a.userId) }));
  return {
    rule: rule.required === rule.approvers.length ? $localize`:@@approvals.ruleAll:all ${rule.approvers.length}:n:` : $localize`:@@approvals.ruleK:${rule.required}:k: of ${rule.approvers.length}:n:`,
    required: rule.required,
    count: lines.filter((line) => line.approved).length,
    revision: round?.revision ?? null,
    complete: !newest && completed !== null,
    approvers: lines,
    otherRounds: older.map((r) => ({ revision: r.revision, names: r.given.map((g) => g.name).join(', ') })),
  };
}

/** The approvals of a proposal under its workspace's approval rule ("2 of 3 approvals for revision 7: …"). */
@Component({
  selector: 'cc-approval-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (view(); as view) {
      <section class="cc-approval-progress" aria-labelledby="cc-approval-progress-heading" data-testid="approval-progress">
        <h3 id="cc-approval-progress-heading" class="cc-subtitle" i18n="@@approvals.heading">Approval by {{ view.rule }} approvers</h3>
        <p role="status" data-testid="approval-progress-summary">
          @if (view.complete) {
            <ng-container i18n="@@approvals.complete">Approved: {{ view.count }} of {{ view.required }} approvals for revision {{ view.revision }}.</ng-container>
          } @else if (view.revision !== null) {
            <ng-container i18n="@@approvals.pending">{{ view.count }} of {{ view.required }} approvals for revision {{ view.revision }}.</ng-container>
          } @else {
            <ng-container i18n="@@approvals.none">{{ view.required }} approvals of the same revision are needed; none given yet.</ng-container>
          }
        </p>
        <ul class="cc-approval-progress__list">
          @for (approver of view.approvers; track approver.userId) {
            <li [attr.data-testid]="'approver-' + approver.userId" [attr.data-approved]="approver.approved">
              {{ approver.name }}:
              @if (approver.approved) {
                <span class="cc-approval-progress__done"><span aria-hidden="true">✓ </span><ng-container i18n="@@approvals.approved">approved</ng-container></span>
              } @else {
                <span class="cc-approval-progress__pending" i18n="@@approvals.waiting">pending</span>
              }
            </li>
          }
        </ul>
        @for (round of view.otherRounds; track round.revision) {
          <p class="cc-muted" i18n="@@approvals.otherRound">Also approved, revision {{ round.revision }}: {{ round.names }} (approvals of different revisions do not count together).</p>
        }
      </section>
    }
  `,
  styles: `
    .cc-approval-progress { margin: 0.75rem 0; }
    .cc-approval-progress__list { margin: 0.25rem 0; padding-left: 1.25rem; }
    .cc-approval-progress__done { color: #0d5124; font-weight: 600; }
    .cc-approval-progress__pending { color: #4a4a4a; font-style: italic; }
  `,
})
export class ApprovalProgress {
  readonly approvals = input<ProposalApprovalsDto | undefined>(undefined);
  readonly status = input.required<ProposalStatus>();
  readonly approvedRevision = input<number | null>(null);
  protected readonly view = computed(() => approvalProgressView(this.approvals(), this.status(), this.approvedRevision()));
}
