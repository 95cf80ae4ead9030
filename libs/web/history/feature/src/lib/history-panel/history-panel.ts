import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injector, computed, effect, inject, input, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { AmendmentStatus } from '@concord/contracts';
import { type EditingSession, HistoryStore } from '@concord/web/history/data-access';
import { authorColor } from '@concord/web/proposals/data-access';
import { DocumentsApi, DownloadTask } from '@concord/web/documents/data-access';
import { DownloadStatus, EmptyState, ErrorState, LoadingState } from '@concord/web/shared/ui';
import { NameVersionDialog, type NameVersionDialogData } from '../name-version-dialog/name-version-dialog';
import { RestoreDialog, type RestoreDialogData } from '../restore-dialog/restore-dialog';
import { RevisionDocument } from '../revision-document/revision-document';
import { RevisionThreads } from '../revision-threads/revision-threads';

/** A query parameter as a revision number, or null. */
function revisionParam(value: string | undefined): number | null {
  if (value === undefined || value === '' || !/^\d+$/.test(value)) {
    return null;
  }
  return Number(value);
}

/**
 * The history of the proposal's text: a timeline of editing sessions (newest first, paged), one
 * revision opened read-only (with the comment threads as they stood then), or two compared with
 * every change coloured by its author. Restore (drafters) and naming a version (drafters, chairs)
 * act on the opened revision. The selection lives in the address: `?rev=12` or `?from=3&to=12`.
 */
@Component({
  selector: 'cc-history-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    DownloadStatus,
    EmptyState,
    ErrorState,
    LoadingState,
    RevisionDocument,
    RevisionThreads,
  ],
  providers: [HistoryStore],
  templateUrl: './history-panel.html',
  styleUrl: './history-panel.scss',
})
export class HistoryPanel {
  private readonly store = inject(HistoryStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  private readonly documents = inject(DocumentsApi);
  /** A revision, or the changes between two, as a file (issue 13): progress and failures shown beside the buttons. */
  protected readonly download = new DownloadTask();

  /** Query parameters (bound by the router). */
  readonly rev = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();

  protected readonly sessions = this.store.sessions;
  protected readonly namedVersions = this.store.namedVersions;
  protected readonly permissions = this.store.permissions;
  protected readonly currentRevision = this.store.currentRevision;
  protected readonly hasOlder = this.store.hasOlder;
  protected readonly timelineLoading = this.store.timelineLoading;
  protected readonly timelineError = this.store.timelineError;
  protected readonly revision = this.store.revision;
  protected readonly revisionLoading = this.store.revisionLoading;
  protected readonly revisionError = this.store.revisionError;
  protected readonly viewedItem = this.store.viewedItem;
  protected readonly revisionThreads = this.store.revisionThreads;
  protected readonly revisionThreadsLoading = this.store.revisionThreadsLoading;
  protected readonly revisionThreadsError = this.store.revisionThreadsError;
  protected readonly diff = this.store.diff;
  protected readonly suggestionsInRange = this.store.suggestionsInRange;
  protected readonly diffHasSuggestions = computed(() => Boolean(this.diff()?.segments.some((segment) => segment.suggestion)));
  protected readonly diffLoading = this.store.diffLoading;
  protected readonly diffError = this.store.diffError;
  protected readonly pendingAction = this.store.pendingAction;
  protected readonly actionError = this.store.actionError;

  protected readonly viewedRevision = computed(() => (this.comparison() ? null : revisionParam(this.rev())));
  protected readonly comparison = computed(() => {
    const from = revisionParam(this.from());
    const to = revisionParam(this.to());
    return from !== null && to !== null ? { from: Math.min(from, to), to: Math.max(from, to) } : null;
  });
  protected readonly timelineState = computed(() => {
    if (this.sessions().length > 0) {
      return 'ready';
    }
    if (this.timelineError()) {
      return 'error';
    }
    return this.timelineLoading() || !this.store.timelineStarted() ? 'loading' : 'empty';
  });
  protected readonly canRestoreViewed = computed(() => {
    const revision = this.viewedRevision();
    return this.permissions().canRestore && revision !== null && revision < this.currentRevision();
  });

  protected readonly compareForm = new FormGroup({
    from: new FormControl<number | null>(null, [Validators.required, Validators.min(0)]),
    to: new FormControl<number | null>(null, [Validators.required, Validators.min(0)]),
  });

  constructor() {
    // The address is the selection; the store follows it.
    effect(() => {
      const comparison = this.comparison();
      const viewed = this.viewedRevision();
      untracked(() => {
        this.store.compare(comparison);
        this.store.view(viewed);
        if (comparison) {
          this.compareForm.setValue({ from: comparison.from, to: comparison.to }, { emitEvent: false });
        }
      });
    });
    // Until something is chosen, offer "what changed since the approval / the first revision".
    effect(() => {
      const current = this.currentRevision();
      const approved = this.store.proposal()?.approvedRevision ?? null;
      if (!this.comparison() && current > 0 && this.compareForm.pristine) {
        untracked(() => this.compareForm.setValue({ from: approved ?? Math.max(0, current - 1), to: current }, { emitEvent: false }));
      }
    });
  }

  protected colorOf(userId: string): string {
    return authorColor(userId);
  }

  protected sessionLabel(session: EditingSession): string {
    return session.fromRevision === session.toRevision
      ? $localize`:@@history.oneRevision:Revision ${session.toRevision}:revision:`
      : $localize`:@@history.revisionRange:Revisions ${session.fromRevision}:from:–${session.toRevision}:to:`;
  }

  protected changesLabel(session: EditingSession): string {
    return $localize`:@@history.changesLabel:Changes by ${session.userName}:name: in ${this.sessionLabel(session)}:revisions:`;
  }

  protected revisionTextLabel(revision: number): string {
    return $localize`:@@history.revisionText:Text of revision ${revision}:revision:`;
  }

  protected compareSelected(): void {
    const { from, to } = this.compareForm.getRawValue();
    if (this.compareForm.invalid || from === null || to === null) {
      this.compareForm.markAllAsTouched();
      return;
    }
    this.select({ from: Math.min(from, to), to: Math.max(from, to) });
  }

  protected loadOlder(): void {
    void this.store.loadOlder();
  }

  protected retryTimeline(): void {
    void this.store.retryTimeline();
  }

  protected retryRevision(): void {
    this.store.retryRevision();
  }

  protected retryRevisionThreads(): void {
    this.store.retryRevisionThreads();
  }

  protected statusLabel(status: AmendmentStatus): string {
    switch (status) {
      case 'open':
        return $localize`:@@history.suggestionOpen:Open`;
      case 'accepted':
        return $localize`:@@history.suggestionAccepted:Accepted`;
      case 'rejected':
        return $localize`:@@history.suggestionRejected:Rejected`;
      default:
        return $localize`:@@history.suggestionWithdrawn:Withdrawn`;
    }
  }

  protected retryDiff(): void {
    this.store.retryDiff();
  }

  protected dismissActionError(): void {
    this.store.clearActionError();
  }

  protected confirmRestore(revision: number): void {
    this.dialog
      .open<RestoreDialog, RestoreDialogData, boolean>(RestoreDialog, {
        data: { revision, currentRevision: this.currentRevision() },
        maxWidth: '95vw',
        width: '520px',
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed) {
          void this.restore(revision);
        }
      });
  }

  protected openNameVersion(revision: number): void {
    this.dialog
      .open<NameVersionDialog, NameVersionDialogData, string>(NameVersionDialog, {
        data: { revision },
        injector: this.injector,
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((label) => {
        if (label) {
          this.announce($localize`:@@history.versionNamed:Revision ${revision}:revision: is now named “${label}:label:”.`);
        }
      });
  }

  private async restore(revision: number): Promise<void> {
    try {
      const restoredAs = await this.store.restore(revision);
      this.announce($localize`:@@history.restored:Revision ${revision}:revision: restored as revision ${restoredAs}:newRevision:.`);
      this.select({ rev: restoredAs });
    } catch {
      // The store keeps the server's reason; the panel shows it.
    }
  }

  private select(params: { rev?: number; from?: number; to?: number }): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { rev: params.rev ?? null, from: params.from ?? null, to: params.to ?? null },
      replaceUrl: true,
    });
  }

  private announce(message: string): void {
    this.snackBar.open(message, $localize`:@@snackBar.dismiss:Dismiss`, { duration: 6000 });
  }

  /** Revision `revision` as a document (the agreed text; open suggestions left out). */
  protected downloadRevision(revision: number, format: 'docx' | 'pdf'): void {
    const proposalId = this.store.proposal()?.id;
    if (!proposalId) return;
    void this.download.run(format, () => this.documents.proposalExport(proposalId, { format, suggestions: 'clean', comments: 'omit', revision }));
  }

  /** The changes from one revision to another with Word tracked changes (DOCX) or colours (PDF). */
  protected downloadRedline(from: number, to: number, format: 'docx' | 'pdf'): void {
    const proposalId = this.store.proposal()?.id;
    if (!proposalId) return;
    void this.download.run(format, () => this.documents.redline(proposalId, from, to, format));
  }

}
