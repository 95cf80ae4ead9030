import { InjectionToken, Injectable, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { ProposalSummaryDto, RevisionDto, RevisionItemDto } from '@concord/contracts';
import { toApiError } from '@concord/web/core/data-access';
import { forkJoin, map, of, switchMap, tap, timer } from 'rxjs';
import { AuditApi } from './audit-api';

/** How long the slider must rest on a revision before it is fetched. */
export const REPLAY_DEBOUNCE_MS = new InjectionToken<number>('REPLAY_DEBOUNCE_MS', { factory: () => 250 });

/** The text of one proposal at one revision, with who wrote that revision and when. */
export interface RevisionSnapshot extends RevisionDto {
  proposalId: string;
  /** The update that produced this revision; null for revision 0, the empty document. */
  update: RevisionItemDto | null;
}

interface SnapshotRequest {
  proposalId: string;
  revision: number;
}

/**
 * Replays one proposal's text revision by revision. Moving the slider only changes `revision`; the
 * text is fetched once the slider rests, and the last text stays visible while the next one loads.
 */
@Injectable()
export class ProposalReplayStore {
  private readonly api = inject(AuditApi);
  private readonly debounceMs = inject(REPLAY_DEBOUNCE_MS);
  private readonly started = signal(false);

  private readonly proposalsResource = rxResource({
    params: () => (this.started() ? true : undefined),
    stream: () => this.api.proposals(),
  });
  readonly proposals = computed<readonly ProposalSummaryDto[]>(() =>
    this.proposalsResource.hasValue() ? [...this.proposalsResource.value()].sort((a, b) => a.title.localeCompare(b.title)) : [],
  );
  readonly proposalsLoading = computed(() => this.proposalsResource.isLoading() && !this.proposalsResource.hasValue());
  readonly proposalsError = computed(() => {
    const error = this.proposalsResource.error();
    return error ? toApiError(error) : null;
  });

  readonly proposalId = signal<string | null>(null);
  readonly proposal = computed(() => this.proposals().find((p) => p.id === this.proposalId()) ?? null);
  /** The newest revision of the chosen proposal: the slider's maximum. */
  readonly latestRevision = computed(() => this.proposal()?.currentRevision ?? 0);
  /** Where the slider is. */
  readonly revision = signal(0);

  private readonly request = computed<SnapshotRequest | undefined>(() => {
    const proposalId = this.proposal()?.id;
    return proposalId ? { proposalId, revision: this.revision() } : undefined;
  });
  private readonly snapshotResource = rxResource({
    params: () => this.request(),
    // A new slider position unsubscribes from the previous stream, so only a resting slider fetches.
    stream: ({ params }) =>
      timer(this.debounceMs).pipe(
        switchMap(() => this.loadSnapshot(params)),
        tap((snapshot) => this.lastLoaded.set(snapshot)),
      ),
  });

  /** The last revision loaded, kept on screen while the next one loads. */
  private readonly lastLoaded = signal<RevisionSnapshot | null>(null);
  readonly snapshot = computed(() => {
    const loaded = this.lastLoaded();
    return loaded?.proposalId === this.proposalId() ? loaded : null;
  });
  readonly snapshotLoading = computed(() => this.snapshotResource.isLoading());
  readonly snapshotError = computed(() => {
    const error = this.snapshotResource.error();
    return error ? toApiError(error) : null;
  });

  /** Loads the proposals the auditor may replay; call when the replay is first shown. */
  start(): void {
    this.started.set(true);
  }

  /** Chooses a proposal and puts the slider on its newest revision. */
  selectProposal(proposalId: string | null): void {
    this.proposalId.set(proposalId);
    const proposal = this.proposals().find((p) => p.id === proposalId);
    this.revision.set(proposal?.currentRevision ?? 0);
  }

  setRevision(revision: number): void {
    const clamped = Math.min(Math.max(Math.round(revision), 0), this.latestRevision());
    this.revision.set(Number.isFinite(clamped) ? clamped : 0);
  }

  reloadProposals(): void {
    this.proposalsResource.reload();
  }

  reloadSnapshot(): void {
    this.snapshotResource.reload();
  }

  private loadSnapshot({ proposalId, revision }: SnapshotRequest) {
    const update =
      revision === 0
        ? of(null)
        : this.api
            .revisionTimeline(proposalId, revision - 1, 1)
            .pipe(map((page) => page.items.find((item) => item.revision === revision) ?? null));
    return forkJoin({ text: this.api.revision(proposalId, revision), update }).pipe(
      map(({ text, update }): RevisionSnapshot => ({ ...text, proposalId, update })),
    );
  }
}
