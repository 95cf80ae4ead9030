import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { SUBMISSION_STATUSES, type SubmissionStatus } from '@concord/contracts';
import { type SubmissionLifecycleAction, SubmissionStore } from '@concord/web/submissions/data-access';
import { SilenceDialog, type SilenceDialogData, submissionStatusLabel } from '@concord/web/shared/ui';
import { firstValueFrom } from 'rxjs';
import { ConfirmStepDialog, type ConfirmStepData } from './confirm-step-dialog';

/** What each status means for the people of the workspace, under the status. */
const STATUS_EXPLANATION: Record<SubmissionStatus, string> = {
  drafting: $localize`:@@lifecycle.drafting:Drafters write and arrange the proposals. When they are ready, a drafter sends the submission to the chair for approval.`,
  review: $localize`:@@lifecycle.review:Sent to the chair. The chair approves the submission once the current text of every proposal is approved; drafters may still finish and arrange proposals.`,
  approved: $localize`:@@lifecycle.approved:Approved by the chair. The chair locks it when it is submitted; after that nothing in it changes.`,
  submitted: $localize`:@@lifecycle.submitted:Submitted and locked: its proposals and sections can no longer change. Its history and exports stay available.`,
};

/**
 * The submission's status and the steps of its life cycle the user may take now: "Send for approval"
 * (drafters, in drafting), "Approve submission" (chairs, in review) and "Lock (submitted)" (chairs and
 * administrators, once approved). Approving and locking cannot be undone and are confirmed first. A
 * refusal shows the server's reason; success is announced and the page shows the submission as the
 * server answered it.
 */
@Component({
  selector: 'cc-submission-lifecycle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatProgressBarModule],
  templateUrl: './submission-lifecycle.html',
  styleUrl: './submission-lifecycle.scss',
})
export class SubmissionLifecycle {
  private readonly store = inject(SubmissionStore);
  private readonly dialog = inject(MatDialog);

  protected readonly submission = this.store.submission;
  protected readonly permissions = this.store.permissions;
  protected readonly acting = this.store.acting;
  protected readonly actionError = this.store.actionError;
  /** Said by a polite live region after a step is recorded. */
  protected readonly announcement = signal('');

  protected readonly statusLabel = computed(() => {
    const submission = this.submission();
    return submission ? submissionStatusLabel(submission.status) : '';
  });
  protected readonly explanation = computed(() => {
    const submission = this.submission();
    return submission ? STATUS_EXPLANATION[submission.status] : '';
  });
  /** The latest silence procedure on the whole submission, its deadline in local time and in UTC. */
  protected readonly silence = computed(() => {
    const silence = this.submission()?.silence;
    if (!silence) return null;
    return {
      ...silence,
      deadlineLocal: new Date(silence.deadline).toLocaleString(),
      deadlineUtc: `${silence.deadline.slice(0, 16).replace('T', ' ')} UTC`,
    };
  });
  protected readonly silenceRunning = computed(() => this.submission()?.silence?.status === 'running');
  protected readonly anyStep = computed(() => {
    const p = this.permissions();
    const running = this.silenceRunning();
    return p.canSendForApproval || p.canApprove || p.canLock || p.canRunSilence || (p.canObjectToSilence && running);
  });

  protected readonly steps = SUBMISSION_STATUSES;

  protected stepLabel(step: SubmissionStatus): string {
    return submissionStatusLabel(step);
  }

  protected async sendForApproval(): Promise<void> {
    await this.take('send-for-approval', $localize`:@@lifecycle.sent:The submission was sent to the chair for approval.`);
  }

  protected async approve(): Promise<void> {
    const confirmed = await this.confirm({
      heading: $localize`:@@lifecycle.approveHeading:Approve the submission?`,
      consequence: $localize`:@@lifecycle.approveConsequence:The approval records the approved revision of each proposal and cannot be undone. The server refuses it while any proposal's current text is not approved.`,
      confirmLabel: $localize`:@@lifecycle.approveConfirm:Approve submission`,
    });
    if (confirmed) {
      await this.take('approve', $localize`:@@lifecycle.approvedNow:The submission is approved.`);
    }
  }

  protected async lock(): Promise<void> {
    const confirmed = await this.confirm({
      heading: $localize`:@@lifecycle.lockHeading:Lock the submission as submitted?`,
      consequence: $localize`:@@lifecycle.lockConsequence:Once locked, no one can change its proposals, their texts or its sections. This cannot be undone.`,
      confirmLabel: $localize`:@@lifecycle.lockConfirm:Lock (submitted)`,
    });
    if (confirmed) {
      await this.take('lock', $localize`:@@lifecycle.lockedNow:The submission is submitted and locked.`);
    }
  }

  /** Circulate the submission under silence (chairs), break silence (delegates) or withdraw it (chairs). */
  protected openSilenceDialog(mode: SilenceDialogData['mode']): void {
    const submission = this.submission();
    if (!submission) return;
    this.announcement.set('');
    const told = {
      start: $localize`:@@submissionSilence.started:The submission is circulated under silence; its texts are frozen until the deadline.`,
      object: $localize`:@@silence.broken:Silence broken. Your objection is recorded.`,
      void: $localize`:@@silence.voided:Silence procedure withdrawn.`,
    };
    this.dialog
      .open<SilenceDialog, SilenceDialogData, boolean>(SilenceDialog, {
        data: { mode, subject: 'submission', title: submission.title, act: (value) => this.store.silence(mode, value) },
        width: '560px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((done) => {
        if (done) this.announcement.set(told[mode]);
      });
  }

  protected dismissError(): void {
    this.store.dismissActionError();
  }

  private async take(action: SubmissionLifecycleAction, done: string): Promise<void> {
    this.announcement.set('');
    if (await this.store.act(action)) {
      this.announcement.set(done);
    }
  }

  private confirm(data: ConfirmStepData): Promise<boolean> {
    const ref = this.dialog.open<ConfirmStepDialog, ConfirmStepData, boolean>(ConfirmStepDialog, {
      data,
      width: '520px',
      maxWidth: '95vw',
      // Cancel comes first (and carries cdkFocusInitial): an irreversible step is never one Enter away.
      autoFocus: 'first-tabbable',
    });
    return firstValueFrom(ref.afterClosed()).then((answer) => answer === true);
  }
}
