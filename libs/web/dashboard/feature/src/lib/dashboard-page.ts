import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { DashboardStore } from '@concord/web/dashboard/data-access';
import { EmptyState, ErrorState, LoadingState, RoleChips, StatusChip } from '@concord/web/shared/ui';

type SectionState = 'loading' | 'error' | 'empty' | 'ready';

@Component({
  selector: 'cc-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatCardModule, RouterLink, EmptyState, ErrorState, LoadingState, RoleChips, StatusChip],
  providers: [DashboardStore],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
})
export class DashboardPage {
  private readonly store = inject(DashboardStore);

  protected readonly workspaces = computed(() =>
    this.store.workspaceCards().map((workspace) => ({
      ...workspace,
      rolesLabel: $localize`:@@dashboard.rolesIn:Your roles in ${workspace.abbreviation}:workspace:`,
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
