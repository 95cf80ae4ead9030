import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { MentionableMemberDto, OpenThreadRequest, ReplyToThreadRequest, ThreadDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

/** Comment threads on a proposal's text (`/api/proposals/<id>/threads`). */
@Injectable({ providedIn: 'root' })
export class ThreadsApi {
  private readonly http = inject(HttpClient);

  list(proposalId: string, atRevision?: number): Observable<ThreadDto[]> {
    const query = atRevision === undefined ? '' : `?atRevision=${atRevision}`;
    return this.http.get<ThreadDto[]>(`${threadsUrl(proposalId)}${query}`);
  }

  open(proposalId: string, request: OpenThreadRequest): Observable<ThreadDto> {
    return this.http.post<ThreadDto>(threadsUrl(proposalId), request);
  }

  reply(proposalId: string, threadId: string, request: ReplyToThreadRequest): Observable<ThreadDto> {
    return this.http.post<ThreadDto>(`${threadsUrl(proposalId)}/${encodeURIComponent(threadId)}/replies`, request);
  }

  resolve(proposalId: string, threadId: string): Observable<ThreadDto> {
    return this.http.post<ThreadDto>(`${threadsUrl(proposalId)}/${encodeURIComponent(threadId)}/resolve`, {});
  }

  reopen(proposalId: string, threadId: string): Observable<ThreadDto> {
    return this.http.post<ThreadDto>(`${threadsUrl(proposalId)}/${encodeURIComponent(threadId)}/reopen`, {});
  }

  /** The members who can be mentioned with `@name`. */
  mentionable(proposalId: string): Observable<MentionableMemberDto[]> {
    return this.http.get<MentionableMemberDto[]>(`/api/proposals/${encodeURIComponent(proposalId)}/mentionable`);
  }
}

function threadsUrl(proposalId: string): string {
  return `/api/proposals/${encodeURIComponent(proposalId)}/threads`;
}

/** The members whose `@Full Name` appears in `body` (longest names first, so "@Ana Maria" wins over "@Ana"). */
export function mentionsIn(body: string, members: readonly MentionableMemberDto[]): string[] {
  const found: string[] = [];
  let rest = body;
  for (const member of [...members].sort((a, b) => b.name.length - a.name.length)) {
    const tag = `@${member.name}`;
    if (rest.includes(tag)) {
      found.push(member.userId);
      rest = rest.split(tag).join(' ');
    }
  }
  return found;
}
