import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injector, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatCardModule } from '@angular/material/card';
import { Router, RouterLink } from '@angular/router';
import { toApiError } from '@concord/web/core/data-access';
import { DashboardStore } from '@concord/web/dashboard/data-access';
import { EmptyState, ErrorState, LoadingState, RoleChips, StatusChip } from '@concord/web/shared/ui';
import { OpenSubmissionDialog, type OpenSubmissionData } from './open-submission-dialog/open-submission-dialog';

type SectionState = 'loading' | 'error' | 'empty' | 'ready';

@Component({
  selector: 'cc-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatCardModule, MatCheckboxModule, RouterLink, EmptyState, ErrorState, LoadingState, RoleChips, StatusChip],
  providers: [DashboardStore],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
})
export class DashboardPage {
  private readonly store = inject(DashboardStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);

  protected readonly workspaces = computed(() =>
    this.store.workspaceCards().map((workspace) => ({
      ...workspace,
      rolesLabel: $localize`:@@dashboard.rolesIn:Your roles in ${workspace.abbreviation}:workspace:`,
      openLabel: $localize`:@@dashboard.openSubmissionIn:Open a submission in ${workspace.abbreviation}:workspace:`,
      members: workspace.members.map((member) => ({
        ...member,
        rolesLabel: $localize`:@@dashboard.memberRoles:Roles of ${member.name}:member:`,
      })),
    })),
  );
  protected readonly workspacesErrorMessage = computed(() => this.store.workspacesError()?.message ?? '');
  protected readonly submissionsLoading = this.store.submissionsLoading;
  protected readonly submissionsError = this.store.submissionsError;
  protected readonly isChair = this.store.isChair;
  protected readonly awaitingMyReview = this.store.awaitingMyReview;
  protected readonly reviewErrorMessage = computed(() => this.store.reviewError()?.message ?? '');

  protected readonly workspacesState = computed<SectionState>(() =>
    sectionState(this.store.workspacesLoading(), this.store.workspacesError(), this.workspaces().length),
  );
  protected readonly reviewState = computed<SectionState>(() =>
    sectionState(this.store.reviewLoading(), this.store.reviewError(), this.awaitingMyReview().length),
  );

  /** The workspace whose review policy is being saved, and the last refusal. */
  protected readonly policySaving = signal<string | null>(null);
  protected readonly policyError = signal<{ workspaceId: string; message: string } | null>(null);

  protected async setSeparationOfDuties(workspaceId: string, chairCannotApproveOwnText: boolean): Promise<void> {
    this.policySaving.set(workspaceId);
    this.policyError.set(null);
    try {
      await this.store.setSeparationOfDuties(workspaceId, chairCannotApproveOwnText);
    } catch (error) {
      this.policyError.set({ workspaceId, message: toApiError(error).message });
      this.store.reloadWorkspaces();
    } finally {
      this.policySaving.set(null);
    }
  }

  protected async setReviewPolicy(workspaceId: string, approvalNeedsClosedReview: boolean): Promise<void> {
    this.policySaving.set(workspaceId);
    this.policyError.set(null);
    try {
      await this.store.setReviewPolicy(workspaceId, approvalNeedsClosedReview);
    } catch (error) {
      this.policyError.set({ workspaceId, message: toApiError(error).message });
      this.store.reloadWorkspaces();
    } finally {
      this.policySaving.set(null);
    }
  }

  /** The dialog to open a submission in a workspace; on success, the new submission's page. */
  protected openSubmissionDialog(workspace: { id: string; name: string }): void {
    this.dialog
      .open<OpenSubmissionDialog, OpenSubmissionData, string>(OpenSubmissionDialog, {
        data: { iscmId: workspace.id, workspaceName: workspace.name },
        injector: this.injector,
        width: '720px',
        maxWidth: '95vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((submissionId) => {
        if (submissionId) {
          void this.router.navigate(['/submissions', submissionId]);
        }
      });
  }

  protected reloadWorkspaces(): void {
    this.store.reloadWorkspaces();
  }

  protected reloadSubmissions(): void {
    this.store.reloadSubmissions();
  }

  protected reloadReview(): void {
    this.store.reloadReview();
  }
}

function sectionState(loading: boolean, error: unknown, count: number): SectionState {
  if (loading) {
    return 'loading';
  }
  if (error) {
    return 'error';
  }
  return count === 0 ? 'empty' : 'ready';
}
