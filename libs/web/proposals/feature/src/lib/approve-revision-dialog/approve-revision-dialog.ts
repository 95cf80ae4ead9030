import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ApprovalDto, RevisionDto } from '@concord/contracts';
import { toApiError, WorkspacesApi } from '@concord/web/core/data-access';
import { ProposalStore, SUGGESTION_DELETE, SUGGESTION_INSERT, ThreadsApi } from '@concord/web/proposals/data-access';
import { firstValueFrom } from 'rxjs';

export interface ApproveRevisionData {
  title: string;
  /** The revision being approved: the proposal's current revision when the dialog opened. */
  revision: number;
  /** The revision that was sent for review, when it differs from the one being approved. */
  reviewRevision: number | null;
}

export const APPROVAL_COMMENT_MAX_LENGTH = 2000;

/**
 * Approves one revision. Before: which revision and its content hash, fetched from the server
 * (`GET /revisions/<rev>`) before the chair may approve. After: the approval the server recorded,
 * with its content hash.
 */
@Component({
  selector: 'cc-approve-revision-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  templateUrl: './approve-revision-dialog.html',
  styleUrl: './approve-revision-dialog.scss',
})
export class ApproveRevisionDialog {
  private readonly store = inject(ProposalStore);
  private readonly threadsApi = inject(ThreadsApi);
  private readonly workspacesApi = inject(WorkspacesApi);
  private readonly dialogRef = inject<MatDialogRef<ApproveRevisionDialog, ApprovalDto | null>>(MatDialogRef);
  protected readonly data = inject<ApproveRevisionData>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    comment: new FormControl('', {
      nonNullable: true,
      validators: Validators.maxLength(APPROVAL_COMMENT_MAX_LENGTH),
    }),
  });
  protected readonly comment = this.form.controls.comment;
  protected readonly commentMaxLength = APPROVAL_COMMENT_MAX_LENGTH;
  protected readonly approving = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly approval = signal<ApprovalDto | null>(null);
  /** Under an approval rule: this approval is recorded, and the rule is not met yet (k of n given). */
  protected readonly recorded = signal<{ revision: number; count: number; required: number } | null>(null);
  protected readonly reviewedEarlierRevision = computed(
    () => this.data.reviewRevision !== null && this.data.reviewRevision !== this.data.revision,
  );
  protected readonly snapshot = signal<RevisionDto | null>(null);
  protected readonly snapshotLoading = signal(false);
  protected readonly snapshotFailure = signal<string | null>(null);
  protected readonly snapshotWords = computed(() => countWords(this.snapshot()?.text ?? ''));
  /** Suggestions still open in the revision being approved (distinct suggestion ids among its marks). */
  protected readonly openSuggestions = computed(() => suggestionIdsIn(this.snapshot()?.doc).size);
  /** Comment threads not resolved (now), or null while unknown. */
  protected readonly openThreads = signal<number | null>(null);
  /** The workspace's review policy: approval only with nothing open (the server refuses otherwise). */
  protected readonly needsClosedReview = signal(false);
  protected readonly reviewOpen = computed(() => this.openSuggestions() > 0 || (this.openThreads() ?? 0) > 0);
  protected readonly blockedByPolicy = computed(() => this.needsClosedReview() && this.reviewOpen());
  protected readonly hashDiffers = computed(() => {
    const shown = this.snapshot()?.contentHash;
    const recorded = this.approval()?.contentHash;
    return Boolean(shown && recorded && shown !== recorded);
  });

  constructor() {
    void this.loadSnapshot();
    void this.loadThreads();
    void this.loadPolicy();
  }

  private async loadPolicy(): Promise<void> {
    const iscmId = this.store.proposal()?.iscmId;
    if (!iscmId) return;
    try {
      this.needsClosedReview.set((await firstValueFrom(this.workspacesApi.one(iscmId))).approvalNeedsClosedReview);
    } catch {
      // Unknown: the server decides, and its refusal is shown.
    }
  }

  private async loadThreads(): Promise<void> {
    const proposalId = this.store.proposalId();
    if (!proposalId) return;
    try {
      const threads = await firstValueFrom(this.threadsApi.list(proposalId));
      this.openThreads.set(threads.filter((thread) => thread.status === 'open').length);
    } catch {
      this.openThreads.set(null);
    }
  }

  protected async loadSnapshot(): Promise<void> {
    this.snapshotLoading.set(true);
    this.snapshotFailure.set(null);
    try {
      this.snapshot.set(await this.store.revision(this.data.revision));
    } catch (error) {
      this.snapshotFailure.set(toApiError(error).message);
    } finally {
      this.snapshotLoading.set(false);
    }
  }

  protected async approveRevision(): Promise<void> {
    if (this.approving() || !this.snapshot() || this.comment.invalid || this.blockedByPolicy()) {
      this.comment.markAsTouched();
      return;
    }
    this.approving.set(true);
    this.failure.set(null);
    this.dialogRef.disableClose = true;
    try {
      const approval = await this.store.approveRevision(this.data.revision, this.comment.value);
      const approvals = this.store.proposal()?.approvals;
      if (approval || !approvals?.rule) {
        this.approval.set(approval);
      } else {
        const round = approvals.pending.find((r) => r.revision === this.data.revision);
        this.recorded.set({ revision: this.data.revision, count: round?.given.length ?? 0, required: approvals.rule.required });
      }
    } catch (error) {
      this.failure.set(toApiError(error).message);
      // The policy or the review may have moved since the dialog opened: show them as they are now.
      void this.loadPolicy();
      void this.loadThreads();
    } finally {
      this.approving.set(false);
      this.dialogRef.disableClose = false;
    }
  }

  protected close(): void {
    this.dialogRef.close(this.approval());
  }
}

/** The ids of the suggestion marks in a ProseMirror JSON document. */
export function suggestionIdsIn(doc: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const { marks, content } = node as { marks?: Array<{ type?: string; attrs?: { id?: unknown } }>; content?: unknown[] };
    for (const mark of marks ?? []) {
      if ((mark.type === SUGGESTION_INSERT || mark.type === SUGGESTION_DELETE) && mark.attrs?.id !== undefined) ids.add(String(mark.attrs.id));
    }
    for (const child of content ?? []) walk(child);
  };
  walk(doc);
  return ids;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
