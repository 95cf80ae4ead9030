import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { SubmissionDto } from '@concord/contracts';
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
}
