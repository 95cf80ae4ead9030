import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSliderModule } from '@angular/material/slider';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { RevisionItemDto } from '@concord/contracts';
import { ProposalReplayStore } from '@concord/web/audit/data-access';
import { EmptyState, ErrorState, LoadingState, proposalStatusLabel } from '@concord/web/shared/ui';

const UPDATE_KIND_LABELS: Record<RevisionItemDto['kind'], string> = {
  edit: $localize`:@@audit.replay.kind.edit:edit`,
  restore: $localize`:@@audit.replay.kind.restore:restore`,
  seed: $localize`:@@audit.replay.kind.seed:initial text`,
  import: $localize`:@@audit.replay.kind.import:imported from Word`,
  numbering: $localize`:@@audit.replay.kind.numbering:paragraph ids by the server (text unchanged)`,
};

/** Replays a proposal's text revision by revision, with each revision's content hash and author. */
@Component({
  selector: 'cc-proposal-replay',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSliderModule,
    EmptyState,
    ErrorState,
    LoadingState,
  ],
  templateUrl: './proposal-replay.html',
  styleUrl: './proposal-replay.scss',
})
export class ProposalReplay {
  private readonly store = inject(ProposalReplayStore);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly proposals = computed(() =>
    this.store.proposals().map((p) => ({ id: p.id, title: p.title, status: proposalStatusLabel(p.status) })),
  );
  protected readonly proposalsLoading = this.store.proposalsLoading;
  protected readonly proposalsError = this.store.proposalsError;
  protected readonly proposalId = this.store.proposalId;
  protected readonly proposal = this.store.proposal;
  protected readonly revision = this.store.revision;
  protected readonly latestRevision = this.store.latestRevision;
  protected readonly snapshot = this.store.snapshot;
  protected readonly snapshotLoading = this.store.snapshotLoading;
  protected readonly snapshotError = this.store.snapshotError;
  protected readonly updateKind = computed(() => {
    const update = this.snapshot()?.update;
    return update ? UPDATE_KIND_LABELS[update.kind] ?? update.kind : '';
  });
  protected readonly textLabel = computed(() => {
    const title = this.proposal()?.title ?? '';
    const revision = this.snapshot()?.revision ?? 0;
    return $localize`:@@audit.replay.textLabel:Text of ${title}:title: at revision ${revision}:revision:`;
  });
  /** The snapshot on screen is not yet the one the slider points at. */
  protected readonly stale = computed(() => this.snapshot()?.revision !== this.revision());

  constructor() {
    this.store.start();
  }

  protected chooseProposal(proposalId: string): void {
    this.store.selectProposal(proposalId);
  }

  protected moveSlider(event: Event): void {
    this.store.setRevision((event.target as HTMLInputElement).valueAsNumber);
  }

  protected previousRevision(): void {
    this.store.setRevision(this.revision() - 1);
  }

  protected nextRevision(): void {
    this.store.setRevision(this.revision() + 1);
  }

  protected reloadProposals(): void {
    this.store.reloadProposals();
  }

  protected reloadSnapshot(): void {
    this.store.reloadSnapshot();
  }

  protected copyContentHash(): void {
    const hash = this.snapshot()?.contentHash;
    if (hash) {
      const copied = this.clipboard.copy(hash);
      this.snackBar.open(
        copied ? $localize`:@@audit.replay.hashCopied:Content hash copied` : $localize`:@@audit.details.copyFailed:Could not copy; select the text and copy it instead.`,
        undefined,
        { duration: 3000 },
      );
    }
  }
}
