import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuditEventDto,
  AuditEventPage,
  ChainVerificationDto,
  CheckpointDto,
  CheckpointListDto,
  ProposalSummaryDto,
  RevisionDto,
  RevisionPage,
} from '@concord/contracts';
import type { Observable } from 'rxjs';
import type { AuditQueryParams } from './audit-query';

/** The audit REST API, and the read-only proposal history endpoints the replay uses. */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  events(params: AuditQueryParams): Observable<AuditEventPage> {
    return this.http.get<AuditEventPage>('/api/audit/events', { params: { ...params } });
  }

  event(position: number): Observable<AuditEventDto> {
    return this.http.get<AuditEventDto>(`/api/audit/events/${position}`);
  }

  /** `cached`: the last run's result when the server has one; otherwise every chain is re-checked. */
  verify(cached: boolean): Observable<ChainVerificationDto> {
    return this.http.get<ChainVerificationDto>('/api/audit/verify', { params: { cached } });
  }

  /** The newest signed checkpoints, with the public key they verify against. */
  checkpoints(limit: number): Observable<CheckpointListDto> {
    return this.http.get<CheckpointListDto>('/api/audit/checkpoints', { params: { limit } });
  }

  /** One checkpoint with the stream heads it covers: the file an auditor keeps. */
  checkpoint(globalPosition: number): Observable<CheckpointDto> {
    return this.http.get<CheckpointDto>(`/api/audit/checkpoints/${globalPosition}`);
  }

  proposals(): Observable<ProposalSummaryDto[]> {
    return this.http.get<ProposalSummaryDto[]>('/api/proposals');
  }

  revisionTimeline(proposalId: string, after: number, limit: number): Observable<RevisionPage> {
    return this.http.get<RevisionPage>(`${proposalUrl(proposalId)}/revisions`, { params: { after, limit } });
  }

  revision(proposalId: string, revision: number): Observable<RevisionDto> {
    return this.http.get<RevisionDto>(`${proposalUrl(proposalId)}/revisions/${revision}`);
  }
}

function proposalUrl(proposalId: string): string {
  return `/api/proposals/${encodeURIComponent(proposalId)}`;
}
