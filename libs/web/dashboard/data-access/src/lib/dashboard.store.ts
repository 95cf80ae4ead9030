import { Injectable, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import {
  PROPOSAL_STATUSES,
  type ProposalStatus,
  type Role,
  type SubmissionDto,
  type SubmissionStatus,
  type WorkspaceDto,
  type WorkspaceMemberDto,
} from '@concord/contracts';
import { AuthStore, WorkspacesApi, toApiError } from '@concord/web/core/data-access';
import { ProposalsApi } from '@concord/web/proposals/data-access';
import { SubmissionsApi, canOpenSubmission } from '@concord/web/submissions/data-access';
import { firstValueFrom, forkJoin, map, of } from 'rxjs';
import { awaitingReview, chairWorkspaceIds } from './awaiting-review';

export interface ProposalCount {
  status: ProposalStatus;
  count: number;
}

export interface SubmissionSummary {
  id: string;
  title: string;
  consultation: string;
  dueDate: string;
  status: SubmissionStatus;
  proposalCounts: readonly ProposalCount[];
  totalProposals: number;
}

export interface WorkspaceCard {
  id: string;
  name: string;
  abbreviation: string;
  myRoles: readonly Role[];
  submissions: readonly SubmissionSummary[];
  /** Everyone in the workspace; a delegate's name, as the API gives it, carries their member state. */
  members: readonly WorkspaceMemberDto[];
  /** Review policy: approval only with no open suggestions and no unresolved comments. */
  approvalNeedsClosedReview: boolean;
  /** Separation of duties: a chair may not approve a revision whose text they alone wrote. */
  chairCannotApproveOwnText: boolean;
  /** Workspace and platform administrators change the review policy. */
  canManage: boolean;
  /** Drafters of the workspace open submissions (as the server's access policy allows). */
  canOpenSubmission: boolean;
}

export interface ReviewItem {
  id: string;
  title: string;
  currentRevision: number;
  workspaceName: string;
  submissionTitle: string | null;
}

/** "My workspaces": the user's workspaces with their submissions, and for chairs what awaits review. */
@Injectable()
export class DashboardStore {
  private readonly auth = inject(AuthStore);
  private readonly workspacesApi = inject(WorkspacesApi);
  private readonly submissionsApi = inject(SubmissionsApi);
  private readonly proposalsApi = inject(ProposalsApi);

  private readonly workspacesResource = rxResource({ stream: () => this.workspacesApi.listMine() });
  private readonly workspaces = computed<readonly WorkspaceDto[]>(() =>
    this.workspacesResource.hasValue() ? this.workspacesResource.value() : [],
  );

  private readonly submissionsResource = rxResource({
    params: () => (this.workspacesResource.hasValue() ? this.workspaces().map((w) => w.id) : undefined),
    stream: ({ params: workspaceIds }) =>
      workspaceIds.length === 0
        ? of([])
        : forkJoin(workspaceIds.map((id) => this.submissionsApi.listForWorkspace(id))).pipe(map((lists) => lists.flat())),
  });
  private readonly submissions = computed<readonly SubmissionDto[]>(() =>
    this.submissionsResource.hasValue() ? this.submissionsResource.value() : [],
  );

  private readonly chairedWorkspaceIds = computed(() => {
    const user = this.auth.user();
    return user ? chairWorkspaceIds(user, this.workspaces()) : new Set<string>();
  });
  /** Whether to show "Awaiting my review" at all. */
  readonly isChair = computed(() => this.chairedWorkspaceIds().size > 0);

  // Only chairs need the proposal list.
  private readonly proposalsResource = rxResource({
    params: () => (this.isChair() ? true : undefined),
    stream: () => this.proposalsApi.list(),
  });

  readonly workspacesLoading = computed(() => this.workspacesResource.isLoading() && !this.workspacesResource.hasValue());
  readonly workspacesError = computed(() => errorOf(this.workspacesResource.error()));
  readonly submissionsLoading = computed(() => this.submissionsResource.isLoading());
  readonly submissionsError = computed(() => errorOf(this.submissionsResource.error()));
  readonly reviewLoading = computed(() => this.proposalsResource.isLoading() && !this.proposalsResource.hasValue());
  readonly reviewError = computed(() => errorOf(this.proposalsResource.error()));

  readonly workspaceCards = computed<readonly WorkspaceCard[]>(() => {
    const user = this.auth.user();
    return this.workspaces().map((workspace) => ({
      id: workspace.id,
      name: workspace.name,
      abbreviation: workspace.abbreviation,
      myRoles:
        workspace.members.find((member) => member.userId === user?.id)?.roles ?? this.auth.rolesIn(workspace.id),
      submissions: this.submissions()
        .filter((s) => s.iscmId === workspace.id)
        .map(toSubmissionSummary),
      members: workspace.members,
      approvalNeedsClosedReview: workspace.approvalNeedsClosedReview,
      chairCannotApproveOwnText: workspace.chairCannotApproveOwnText,
      canManage: Boolean(user?.isAdmin) || this.auth.rolesIn(workspace.id).includes('admin'),
      canOpenSubmission: canOpenSubmission(this.auth.rolesIn(workspace.id)),
    }));
  });

  /** Changes a workspace's review policy, then shows the workspace as the server has it. */
  async setReviewPolicy(iscmId: string, approvalNeedsClosedReview: boolean): Promise<void> {
    await firstValueFrom(this.workspacesApi.setReviewPolicy(iscmId, approvalNeedsClosedReview));
    this.workspacesResource.reload();
  }

  /** Changes a workspace's separation of duties, then shows the workspace as the server has it. */
  async setSeparationOfDuties(iscmId: string, chairCannotApproveOwnText: boolean): Promise<void> {
    await firstValueFrom(this.workspacesApi.setSeparationOfDuties(iscmId, chairCannotApproveOwnText));
    this.workspacesResource.reload();
  }

  readonly awaitingMyReview = computed<readonly ReviewItem[]>(() => {
    const proposals = this.proposalsResource.hasValue() ? this.proposalsResource.value() : [];
    const workspaceNames = new Map(this.workspaces().map((w) => [w.id, w.name]));
    const submissionTitles = new Map(this.submissions().map((s) => [s.id, s.title]));
    return awaitingReview(proposals, this.chairedWorkspaceIds()).map((p) => ({
      id: p.id,
      title: p.title,
      currentRevision: p.currentRevision,
      workspaceName: workspaceNames.get(p.iscmId) ?? p.iscmId,
      submissionTitle: submissionTitles.get(p.submissionId) ?? null,
    }));
  });

  reloadWorkspaces(): void {
    this.workspacesResource.reload();
  }

  reloadSubmissions(): void {
    this.submissionsResource.reload();
  }

  reloadReview(): void {
    this.proposalsResource.reload();
  }
}

function toSubmissionSummary(submission: SubmissionDto): SubmissionSummary {
  const proposalCounts = PROPOSAL_STATUSES.map((status) => ({
    status,
    count: submission.proposalCounts[status] ?? 0,
  })).filter((c) => c.count > 0);
  return {
    id: submission.id,
    title: submission.title,
    consultation: submission.consultation,
    dueDate: submission.dueDate,
    status: submission.status,
    proposalCounts,
    totalProposals: proposalCounts.reduce((sum, c) => sum + c.count, 0),
  };
}

function errorOf(error: unknown) {
  return error ? toApiError(error) : null;
}
