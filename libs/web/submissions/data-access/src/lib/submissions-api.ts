import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { PlaceProposalRequest, SubmissionDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class SubmissionsApi {
  private readonly http = inject(HttpClient);

  /** The submissions of one ISCM workspace. */
  listForWorkspace(iscmId: string): Observable<SubmissionDto[]> {
    return this.http.get<SubmissionDto[]>('/api/submissions', { params: { iscmId } });
  }

  get(submissionId: string): Observable<SubmissionDto> {
    return this.http.get<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}`);
  }

  /** Puts a proposal at a position of a section; answers the submission with its sections. */
  place(submissionId: string, placement: PlaceProposalRequest): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}/placements`, placement);
  }
}
