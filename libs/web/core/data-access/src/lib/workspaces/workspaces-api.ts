import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApprovalRuleRequest, WorkspaceDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class WorkspacesApi {
  private readonly http = inject(HttpClient);

  /** The ISCM workspaces the signed-in user is a member of. */
  listMine(): Observable<WorkspaceDto[]> {
    return this.http.get<WorkspaceDto[]>('/api/workspaces');
  }

  one(iscmId: string): Observable<WorkspaceDto> {
    return this.http.get<WorkspaceDto>(`/api/workspaces/${encodeURIComponent(iscmId)}`);
  }

  /** Whether a chair may approve only a revision with no open suggestions and no unresolved comments (workspace admins). */
  setReviewPolicy(iscmId: string, approvalNeedsClosedReview: boolean): Observable<void> {
    return this.http.put<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/review-policy`, { approvalNeedsClosedReview });
  }

  /** Separation of duties: whether a chair may approve a revision whose text they alone wrote (workspace admins). */
  setSeparationOfDuties(iscmId: string, chairCannotApproveOwnText: boolean): Observable<void> {
    return this.http.put<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/separation-of-duties`, { chairCannotApproveOwnText });
  }

  /** Who approves the workspace's proposals: `required` of `approvers` (chairs); `approvers: []` is any one chair (workspace admins). */
  setApprovalRule(iscmId: string, rule: ApprovalRuleRequest): Observable<void> {
    return this.http.put<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/approval-rule`, rule);
  }
}
