import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ConsultationDto, OpenSubmissionRequest, PlaceProposalRequest, ProposalDetailDto, RevisionDto, SubmissionDto } from '@concord/contracts';
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

  /** The GCM consultations of the reference data a submission may be written for. */
  consultations(): Observable<ConsultationDto[]> {
    return this.http.get<ConsultationDto[]>('/api/consultations');
  }

  /** Opens a submission (drafters); answers it with its sections. */
  open(request: OpenSubmissionRequest): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>('/api/submissions', request);
  }

  /** One step of the submission's life cycle; answers the submission as it now stands. */
  act(submissionId: string, action: SubmissionLifecycleAction): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}/${action}`, {});
  }

  /** A chair circulates the whole submission under silence until `deadline` (ISO date-time). */
  startSilence(submissionId: string, deadline: string): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}/silence`, { deadline });
  }

  /** A delegate breaks silence on the submission with a reason. */
  objectToSilence(submissionId: string, reason: string): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}/silence/objections`, { reason });
  }

  /** A chair withdraws the submission's running silence procedure. */
  voidSilence(submissionId: string, reason?: string): Observable<SubmissionDto> {
    return this.http.post<SubmissionDto>(`/api/submissions/${encodeURIComponent(submissionId)}/silence/void`, reason ? { reason } : {});
  }

  /** Creates the introduction of a guiding question's section (a proposal of kind `introduction`); answers it. */
  addIntroduction(submissionId: string, sectionId: string): Observable<ProposalDetailDto> {
    return this.http.post<ProposalDetailDto>(
      `/api/submissions/${encodeURIComponent(submissionId)}/sections/${encodeURIComponent(sectionId)}/introduction`,
      {},
    );
  }

  /** A proposal's text at a revision (a section's introduction, to show its first lines). */
  revision(proposalId: string, revision: number): Observable<RevisionDto> {
    return this.http.get<RevisionDto>(`/api/proposals/${encodeURIComponent(proposalId)}/revisions/${revision}`);
  }
}

/** The life-cycle steps, as their routes name them: drafting → review → approved → submitted. */
export type SubmissionLifecycleAction = 'send-for-approval' | 'approve' | 'lock';
