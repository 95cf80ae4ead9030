import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injector, computed, effect, inject, input, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { MatTooltipModule } from '@angular/material/tooltip';
import { type IsActiveMatchOptions, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { ApprovalDto } from '@concord/contracts';
import { AuthStore, toApiError } from '@concord/web/core/data-access';
import { ProposalDocumentSession, ProposalStore } from '@concord/web/proposals/data-access';
import { DocumentsApi, DownloadTask } from '@concord/web/documents/data-access';
import { ApprovalStateLabel, ErrorState, ExportControls, type ExportRequest, LoadingState, RoleChips, SilenceDialog, type SilenceDialogData, StatusChip } from '@concord/web/shared/ui';
import { ApproveRevisionDialog, type ApproveRevisionData } from '../approve-revision-dialog/approve-revision-dialog';
import { RequestChangesDialog, type RequestChangesData } from '../request-changes-dialog/request-changes-dialog';
import { WithdrawDialog, type WithdrawData } from '../withdraw-dialog/withdraw-dialog';
import { ApprovalProgress } from '../approval-progress/approval-progress';
import { CoSponsors } from '../co-sponsors/co-sponsors';

type PageState = 'loading' | 'error' | 'not-found' | 'ready';

/**
 * A proposal: its live text (the collaborative editor) and other views such as its history as
 * tabs, its details, its review state and the actions the user's roles allow. Provides the
 * proposal's store and its live document session to everything inside it: leaving the page closes
 * the document.
 */
@Component({
  selector: 'cc-proposal-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButtonModule,
    MatChipsModule,
    MatTabsModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    ApprovalProgress,
    ApprovalStateLabel,
    ErrorState,
    ExportControls,
    LoadingState,
    RoleChips,
    StatusChip,
    CoSponsors,
  ],
  providers: [ProposalStore, ProposalDocumentSession],
  templateUrl: './proposal-page.html',
  styleUrl: './proposal-page.scss',
})
export class ProposalPage {
  private readonly store = inject(ProposalStore);
  private readonly session = inject(ProposalDocumentSession);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly documents = inject(DocumentsApi);
  /** The current text as DOCX or PDF (issue 13); progress and failures shown beside the buttons. */
  protected readonly download = new DownloadTask();

  /** The proposal id, bound from the route. */
  readonly id = input.required<string>();

  protected readonly proposal = this.store.proposal;
  protected readonly kindLabel = this.store.kindLabel;
  protected readonly objectives = this.store.objectives;
  protected readonly roles = this.store.roles;
  protected readonly permissions = this.store.permissions;
  protected readonly pendingAction = this.store.pendingAction;
  protected readonly rolesLabel = $localize`:@@proposal.rolesLabel:Your roles in this workspace`;
  /** A tab is active on its path, whatever the query (the history keeps its selection there). */
  protected readonly exactPath: IsActiveMatchOptions = { paths: 'exact', queryParams: 'ignored', fragment: 'ignored', matrixParams: 'ignored' };

  protected readonly pageState = computed<PageState>(() => {
    const error = this.store.loadError();
    if (error && !this.proposal()) {
      return error.isNotFound || error.isForbidden ? 'not-found' : 'error';
    }
    return this.proposal() ? 'ready' : 'loading';
  });
  /** The approved text has moved on: which revision was approved, and the current one. */
  protected readonly staleApproval = computed(() => {
    const proposal = this.proposal();
    return proposal?.approvalStale && proposal.approvedRevision !== null
      ? { approvedRevision: proposal.approvedRevision, currentRevision: proposal.currentRevision }
      : null;
  });
  protected readonly loadErrorMessage = computed(() => this.store.loadError()?.message ?? '');
  protected readonly actionErrorMessage = computed(() => this.store.actionError()?.message ?? null);
  protected readonly busy = computed(() => this.pendingAction() !== null);
  protected readonly hasActions = computed(() => {
    const { canSendForReview, canReview, canWithdraw, canRunSilence, canObjectToSilence } = this.permissions();
    return canSendForReview || canReview || canWithdraw || canRunSilence || (canObjectToSilence && this.silenceRunning());
  });

  /** The latest silence procedure, with names, its deadline in local time and in UTC. */
  protected readonly silence = computed(() => {
    const silence = this.proposal()?.silence;
    if (!silence) return null;
    const deadline = new Date(silence.deadline);
    return {
      ...silence,
      startedByName: this.store.memberName(silence.startedBy),
      deadlineLocal: deadline.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
      deadlineUtc: `${silence.deadline.slice(0, 16).replace('T', ' ')} UTC`,
      objections: silence.objections.map((objection) => ({ ...objection, byName: this.store.memberName(objection.by) })),
    };
  });
  /** While the whole submission is circulated under silence: the revision frozen and the deadline. */
  protected readonly submissionSilence = computed(() => {
    const circulated = this.proposal()?.submissionSilence;
    if (!circulated) return null;
    return {
      ...circulated,
      deadlineLocal: new Date(circulated.deadline).toLocaleString(),
      deadlineUtc: `${circulated.deadline.slice(0, 16).replace('T', ' ')} UTC`,
    };
  });
  /**
   * Under an approval rule (issue 14 §2) only its approvers approve, each once per revision: the
   * Approve button is for an approver who has not approved the current revision yet.
   */
  protected readonly mayApprove = computed(() => {
    const proposal = this.proposal();
    const rule = proposal?.approvals?.rule;
    if (!proposal || !rule) return true;
    const me = this.auth.user()?.id;
    if (!me || !rule.approvers.some((approver) => approver.userId === me)) return false;
    return !(proposal.approvals?.pending ?? []).some(
      (round) => round.revision === proposal.currentRevision && round.given.some((approval) => approval.userId === me),
    );
  });
  protected readonly silenceRunning = computed(() => this.proposal()?.silence?.status === 'running');

  /** Who did what, with names instead of user ids. */
  protected readonly approval = computed(() => {
    const approval = this.proposal()?.approval;
    return approval ? { ...approval, approvedByName: this.store.memberName(approval.approvedBy) } : null;
  });
  protected readonly changeRequests = computed(() =>
    [...(this.proposal()?.changeRequests ?? [])]
      .reverse()
      .map((request) => ({ ...request, requestedByName: this.store.memberName(request.requestedBy) })),
  );
  protected readonly versions = computed(() =>
    (this.proposal()?.versions ?? []).map((version) => ({ ...version, namedByName: this.store.memberName(version.namedBy) })),
  );
  protected readonly createdByName = computed(() => {
    const createdBy = this.proposal()?.createdBy;
    return createdBy ? this.store.memberName(createdBy) : '';
  });

  constructor() {
    this.store.connect(this.id);
    this.openLiveDocument();
    this.refreshWhenTheTextChanges();
  }

  /** Opens the proposal's live document once the proposal is known (so never for an outsider). */
  private openLiveDocument(): void {
    effect(() => {
      const proposalId = this.proposal()?.id;
      const user = this.auth.user();
      const signedIn = this.auth.isAuthenticated();
      // A delegate writes too, in suggestion mode only (the server records nothing else of theirs).
      const readOnly = !this.permissions().canEdit && !this.permissions().canSuggest;
      if (proposalId && user && signedIn) {
        // A fresh single-use socket ticket before every (re)connect; never the access token in a URL.
        const nextTicket = () => this.auth.collabTicket(proposalId);
        untracked(() => this.session.open({ proposalId, user: { id: user.id, name: user.name }, nextTicket, readOnly }));
      }
    });
  }

  /** Every change of the text moves the revision on and may make an approval stale. */
  private refreshWhenTheTextChanges(): void {
    effect(() => {
      if (this.session.changes() > 0) {
        untracked(() => this.store.refreshSoon());
      }
    });
  }

  protected exportCurrent(request: ExportRequest): void {
    void this.download.run(request.format, () =>
      this.documents.proposalExport(this.id(), { format: request.format, suggestions: request.suggestions, comments: request.comments, revision: null }),
    );
  }

  protected reload(): void {
    this.store.reload();
  }

  protected dismissActionError(): void {
    this.store.clearActionError();
  }

  protected async sendForReview(): Promise<void> {
    try {
      const proposal = await this.store.sendForReview();
      this.announce($localize`:@@proposal.sentForReview:Sent for review at revision ${proposal.reviewRevision ?? proposal.currentRevision}:revision:.`);
    } catch {
      // The store keeps the reason; the page shows it.
    }
  }

  protected openApproveDialog(): void {
    const proposal = this.proposal();
    if (!proposal) {
      return;
    }
    this.dialog
      .open<ApproveRevisionDialog, ApproveRevisionData, ApprovalDto | null>(ApproveRevisionDialog, {
        injector: this.injector,
        data: { title: proposal.title, revision: proposal.currentRevision, reviewRevision: proposal.reviewRevision },
        width: '600px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((approval) => {
        if (approval) {
          this.announce($localize`:@@proposal.approved:Revision ${approval.revision}:revision: approved.`);
        }
      });
  }

  protected openRequestChangesDialog(): void {
    const proposal = this.proposal();
    if (!proposal) {
      return;
    }
    this.dialog
      .open<RequestChangesDialog, RequestChangesData, boolean>(RequestChangesDialog, {
        injector: this.injector,
        data: { title: proposal.title, revision: proposal.currentRevision },
        width: '560px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((sent) => {
        if (sent) {
          this.announce($localize`:@@proposal.changesRequested:Changes requested. The drafters have been told.`);
        }
      });
  }

  protected openSilenceDialog(mode: SilenceDialogData['mode']): void {
    const proposal = this.proposal();
    if (!proposal) {
      return;
    }
    const revision = mode === 'start' ? proposal.currentRevision : (proposal.silence?.revision ?? proposal.currentRevision);
    this.dialog
      .open<SilenceDialog, SilenceDialogData, boolean>(SilenceDialog, {
        injector: this.injector,
        data: { mode, subject: 'proposal', title: proposal.title, revision, act: (value) => this.silenceAct(mode, value) },
        width: '560px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((done) => {
        if (!done) return;
        const told = {
          start: $localize`:@@silence.started:Silence procedure started; the text is frozen until the deadline.`,
          object: $localize`:@@silence.broken:Silence broken. Your objection is recorded.`,
          void: $localize`:@@silence.voided:Silence procedure withdrawn.`,
        };
        this.announce(told[mode]);
      });
  }

  /** Sends one silence step; null once recorded, else the server's reason (shown in the dialog, not again on the page). */
  private async silenceAct(mode: SilenceDialogData['mode'], value: string): Promise<string | null> {
    try {
      if (mode === 'start') await this.store.startSilence(value);
      else if (mode === 'object') await this.store.objectToSilence(value);
      else await this.store.voidSilence(value);
      return null;
    } catch (error) {
      this.store.clearActionError();
      return toApiError(error).message;
    }
  }

  protected openWithdrawDialog(): void {
    const proposal = this.proposal();
    if (!proposal) {
      return;
    }
    this.dialog
      .open<WithdrawDialog, WithdrawData, boolean>(WithdrawDialog, { data: { title: proposal.title }, maxWidth: '95vw' })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed) {
          void this.withdraw();
        }
      });
  }

  private async withdraw(): Promise<void> {
    try {
      await this.store.withdraw();
      this.announce($localize`:@@proposal.withdrawn:Proposal withdrawn.`);
    } catch {
      // The store keeps the reason; the page shows it.
    }
  }

  private announce(message: string): void {
    this.snackBar.open(message, $localize`:@@snackBar.dismiss:Dismiss`, { duration: 6000 });
  }
}
