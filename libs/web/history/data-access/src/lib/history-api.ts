import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { DiffDto, RevisionPage } from '@concord/contracts';
import type { Observable } from 'rxjs';

/**
 * The history endpoints of a proposal's text (ARCHITECTURE §6). One revision's text is
 * `ProposalsApi.revision` (the approval dialog needs it too); named versions are
 * `ProposalsApi.nameVersion`.
 */
@Injectable({ providedIn: 'root' })
export class HistoryApi {
  private readonly http = inject(HttpClient);

  /** Revisions after `after`, oldest first, at most `limit`; `next` is the `after` of the next page. */
  timeline(proposalId: string, after: number, limit: number): Observable<RevisionPage> {
    const params = new HttpParams().set('after', after).set('limit', limit);
    return this.http.get<RevisionPage>(`${proposalUrl(proposalId)}/revisions`, { params });
  }

  /** What changed from revision `from` to revision `to`, with the author of every span. */
  diff(proposalId: string, from: number, to: number): Observable<DiffDto> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.http.get<DiffDto>(`${proposalUrl(proposalId)}/diff`, { params });
  }

  /** Makes the text of `revision` the current text again, as a new revision. */
  restore(proposalId: string, revision: number): Observable<{ revision: number }> {
    return this.http.post<{ revision: number }>(`${proposalUrl(proposalId)}/restore`, { revision });
  }
}

function proposalUrl(proposalId: string): string {
  return `/api/proposals/${encodeURIComponent(proposalId)}`;
}
