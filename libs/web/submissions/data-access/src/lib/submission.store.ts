import { Injectable, type Signal, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { CreateProposalRequest, ProposalStatus, ProposalSummaryDto } from '@concord/contracts';
import { AuthStore, type GcmObjective, ReferenceDataStore, toApiError } from '@concord/web/core/data-access';
import { ProposalsApi } from '@concord/web/proposals/data-access';
import { firstValueFrom } from 'rxjs';
import { SubmissionsApi } from './submissions-api';

/** One row of the submission's proposals table, ready to display. */
export interface ProposalRow {
  id: string;
  title: string;
  kindLabel: string;
  objectives: readonly GcmObjective[];
  status: ProposalStatus;
  approval: Pick<ProposalSummaryDto, 'approvedRevision' | 'approvalStale'>;
  currentRevision: number;
}

export type NewProposal = Omit<CreateProposalRequest, 'submissionId'>;

/**
 * One submission's page state: the submission, its proposals as table rows, and creating a
 * proposal. Provided by the submission page, so it lives as long as the page.
 */
@Injectable()
export class SubmissionStore {
  private readonly submissionsApi = inject(SubmissionsApi);
  private readonly proposalsApi = inject(ProposalsApi);
  private readonly auth = inject(AuthStore);
  private readonly reference = inject(ReferenceDataStore);

  private readonly idSource = signal<Signal<string | undefined>>(signal(undefined));
  readonly submissionId = computed(() => this.idSource()());

  private readonly submissionResource = rxResource({
    params: () => this.submissionId(),
    stream: ({ params: submissionId }) => this.submissionsApi.get(submissionId),
  });
  // The API lists every proposal the caller may see; this page keeps the submission's own.
  private readonly proposalsResource = rxResource({
    params: () => this.submissionId(),
    stream: () => this.proposalsApi.list(),
  });

  readonly submission = computed(() =>
    this.submissionResource.hasValue() ? this.submissionResource.value() : undefined,
  );
  readonly isLoading = computed(() => this.submissionResource.isLoading() && !this.submission());
  readonly loadError = computed(() => {
    const error = this.submissionResource.error();
    return error ? toApiError(error) : null;
  });

  readonly proposalsLoading = computed(() => this.proposalsResource.isLoading() && !this.proposalsResource.hasValue());
  readonly proposalsError = computed(() => {
    const error = this.proposalsResource.error();
    return error ? toApiError(error) : null;
  });
  readonly proposalRows = computed<readonly ProposalRow[]>(() => {
    const submissionId = this.submissionId();
    const proposals = this.proposalsResource.hasValue() ? this.proposalsResource.value() : [];
    return proposals
      .filter((p) => p.submissionId === submissionId)
      .map((p) => ({
        id: p.id,
        title: p.title,
        kindLabel: this.reference.kindLabel(p.kind),
        objectives: p.gcmObjectives.map((n) => this.reference.objective(n)),
        status: p.status,
        approval: { approvedRevision: p.approvedRevision, approvalStale: p.approvalStale },
        currentRevision: p.currentRevision,
      }));
  });

  /** Drafters of the submission's workspace may add proposals until the submission is sent. */
  readonly canCreateProposal = computed(() => {
    const submission = this.submission();
    return !!submission && submission.status !== 'submitted' && this.auth.hasRole(submission.iscmId, 'drafter');
  });

  connect(submissionId: Signal<string | undefined>): void {
    this.idSource.set(submissionId);
  }

  reload(): void {
    this.submissionResource.reload();
    this.proposalsResource.reload();
  }

  reloadProposals(): void {
    this.proposalsResource.reload();
  }

  /** Creates a proposal in this submission; resolves with its id, rejects with an `ApiError`. */
  async createProposal(proposal: NewProposal): Promise<string> {
    const submissionId = this.submissionId();
    if (!submissionId) {
      throw toApiError(new Error($localize`:@@submission.notLoaded:The submission is not loaded yet.`));
    }
    try {
      const created = await firstValueFrom(
        this.proposalsApi.create({ ...proposal, title: proposal.title.trim(), submissionId }),
      );
      this.proposalsResource.reload();
      return created.id;
    } catch (error) {
      throw toApiError(error);
    }
  }
}
