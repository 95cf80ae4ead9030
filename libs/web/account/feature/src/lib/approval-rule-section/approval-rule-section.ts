import { ChangeDetectionStrategy, Component, computed, effect, inject, input, linkedSignal, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { ApprovalRuleDto, WorkspaceDto } from '@concord/contracts';
import { toApiError, WorkspacesApi } from '@concord/web/core/data-access';
import { firstValueFrom } from 'rxjs';

interface Candidate {
  userId: string;
  name: string;
  /** An approver of the saved rule who no longer holds the chair role (the server refuses to keep them). */
  notChair: boolean;
}

/** "Any one chair approves." / "2 of 3 approvers …" for the saved rule. */
export function describeRule(rule: ApprovalRuleDto | null | undefined): string {
  if (!rule || rule.approvers.length === 0) return $localize`:@@approvalRule.anyOne:Any one chair approves a proposal.`;
  const names = rule.approvers.map((approver) => approver.name).join(', ');
  return rule.required === rule.approvers.length
    ? $localize`:@@approvalRule.all:All ${rule.approvers.length}:n: approvers must approve the same revision: ${names}:names:.`
    : $localize`:@@approvalRule.kOfN:${rule.required}:k: of ${rule.approvers.length}:n: approvers must approve the same revision: ${names}:names:.`;
}

/**
 * The "Approval rule" section of `/admin/workspaces/<iscmId>` (issue 14 §2): which chairs approve
 * the workspace's proposals (checkboxes) and how many of them must approve the same revision
 * ("k of n"); Save sends `PUT /api/workspaces/<id>/approval-rule` and shows the server's reason on
 * refusal. No approver chosen: any one chair approves.
 */
@Component({
  selector: 'cc-approval-rule-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  templateUrl: './approval-rule-section.html',
  styleUrl: './approval-rule-section.scss',
})
export class ApprovalRuleSection {
  private readonly api = inject(WorkspacesApi);

  /** The workspace as the page read it (members with their roles, the saved rule). */
  readonly workspace = input.required<WorkspaceDto>();

  /** The rule as saved: from the page's workspace, then from this section's own re-read after a save. */
  protected readonly saved = linkedSignal<ApprovalRuleDto | null>(() => this.workspace().approvalRule ?? null);
  protected readonly chosen = signal<ReadonlySet<string>>(new Set());
  protected readonly required = signal(1);
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  /** The chairs of the workspace, then any saved approver who is no chair any more. */
  protected readonly candidates = computed<Candidate[]>(() => {
    const chairs = this.workspace()
      .members.filter((member) => member.roles.includes('chair'))
      .map((member) => ({ userId: member.userId, name: member.name, notChair: false }));
    const gone = (this.saved()?.approvers ?? [])
      .filter((approver) => !chairs.some((chair) => chair.userId === approver.userId))
      .map((approver) => ({ ...approver, notChair: true }));
    return [...chairs, ...gone];
  });
  protected readonly count = computed(() => this.chosen().size);
  protected readonly description = computed(() => describeRule(this.saved()));

  constructor() {
    // The form starts from the saved rule (and again after each save or re-read).
    effect(() => {
      const rule = this.saved();
      this.chosen.set(new Set((rule?.approvers ?? []).map((approver) => approver.userId)));
      this.required.set(rule?.required ?? 1);
    });
  }

  protected toggle(userId: string, checked: boolean): void {
    const next = new Set(this.chosen());
    if (checked) next.add(userId);
    else next.delete(userId);
    this.chosen.set(next);
  }

  protected setRequired(value: string): void {
    this.required.set(Number(value));
  }

  protected async save(): Promise<void> {
    const iscmId = this.workspace().id;
    const approvers = this.candidates()
      .map((candidate) => candidate.userId)
      .filter((userId) => this.chosen().has(userId));
    this.busy.set(true);
    this.failure.set(null);
    this.notice.set(null);
    try {
      await firstValueFrom(this.api.setApprovalRule(iscmId, approvers.length ? { approvers, required: this.required() } : { approvers: [] }));
      const workspace = await firstValueFrom(this.api.one(iscmId));
      this.saved.set(workspace.approvalRule ?? null);
      this.notice.set($localize`:@@approvalRule.saved:Approval rule saved. ${describeRule(workspace.approvalRule)}:rule:`);
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
