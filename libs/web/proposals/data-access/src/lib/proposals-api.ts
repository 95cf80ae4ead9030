import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApproveRequest, CreateProposalRequest, NameVersionRequest, ParagraphNumbersDto, ProposalDetailDto, ProposalSummaryDto, RequestChangesRequest, RevisionDto, RevisionRequest, StartSilenceRequest } from '@concord/contracts';
import type { Observable } from 'rxjs';

/** The proposals REST API. Commands answer with whatever the server sends; callers re-read the proposal. */
@Injectable({ providedIn: 'root' })
export class ProposalsApi {
  private readonly http = inject(HttpClient);

  /** Every proposal the caller may see. */
  list(): Observable<ProposalSummaryDto[]> {
    return this.http.get<ProposalSummaryDto[]>('/api/proposals');
  }

  get(proposalId: string): Observable<ProposalDetailDto> {
    return this.http.get<ProposalDetailDto>(proposalUrl(proposalId));
  }

  create(request: CreateProposalRequest): Observable<Pick<ProposalDetailDto, 'id'>> {
    return this.http.post<Pick<ProposalDetailDto, 'id'>>('/api/proposals', request);
  }

  /**
   * Starts a proposal from a Word document (`POST /api/submissions/<id>/proposals/import`, the file
   * as the body): its text becomes the first revision, and the file is recorded by name.
   */
  importFromWord(
    submissionId: string,
    request: Pick<CreateProposalRequest, 'title' | 'kind' | 'gcmObjectives'>,
    file: File,
  ): Observable<{ proposal: Pick<ProposalDetailDto, 'id'>; dropped: Record<string, number> }> {
    const params = new HttpParams()
      .set('title', request.title)
      .set('kind', request.kind)
      .set('gcmObjectives', request.gcmObjectives.join(','))
      .set('filename', file.name);
    return this.http.post<{ proposal: Pick<ProposalDetailDto, 'id'>; dropped: Record<string, number> }>(
      `/api/submissions/${encodeURIComponent(submissionId)}/proposals/import`,
      file,
      { params, headers: { 'content-type': 'application/octet-stream' } },
    );
  }

  sendForReview(proposalId: string, request: RevisionRequest): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/review`, request);
  }

  approve(proposalId: string, request: ApproveRequest): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/approvals`, request);
  }

  requestChanges(proposalId: string, request: RequestChangesRequest): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/changes-requested`, request);
  }

  /** A delegate co-sponsors the proposal for the member state they represent. */
  coSponsor(proposalId: string): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/co-sponsors`, {});
  }

  /** A delegate of `memberState` withdraws its co-sponsorship. */
  withdrawCoSponsorship(proposalId: string, memberState: string): Observable<unknown> {
    return this.http.delete(`${proposalUrl(proposalId)}/co-sponsors/${encodeURIComponent(memberState)}`);
  }

  /** A chair circulates `revision` (the current one) until `deadline` (ISO date-time): a silence procedure. */
  startSilence(proposalId: string, request: StartSilenceRequest): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/silence`, request);
  }

  /** A delegate breaks silence with a reason. */
  objectToSilence(proposalId: string, reason: string): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/silence/objections`, { reason });
  }

  /** A chair withdraws the running silence procedure. */
  voidSilence(proposalId: string, reason?: string): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/silence/void`, reason ? { reason } : {});
  }

  withdraw(proposalId: string): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/withdraw`, {});
  }

  nameVersion(proposalId: string, request: NameVersionRequest): Observable<unknown> {
    return this.http.post(`${proposalUrl(proposalId)}/versions`, request);
  }

  /** The text of one revision with its content hash (`GET /revisions/<rev>`). */
  revision(proposalId: string, revision: number): Observable<RevisionDto> {
    return this.http.get<RevisionDto>(`${proposalUrl(proposalId)}/revisions/${revision}`);
  }

  /** The submission's paragraph numbers (`GET /api/submissions/<id>/paragraphs`): "para 3.4" by block id. */
  paragraphNumbers(submissionId: string): Observable<ParagraphNumbersDto> {
    return this.http.get<ParagraphNumbersDto>(`/api/submissions/${encodeURIComponent(submissionId)}/paragraphs`);
  }
}

function proposalUrl(proposalId: string): string {
  return `/api/proposals/${encodeURIComponent(proposalId)}`;
}
