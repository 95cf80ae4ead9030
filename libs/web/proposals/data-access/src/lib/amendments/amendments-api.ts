import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AmendmentDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

/** Whose suggestions to list: one proposal's, or those of every proposal of a submission. */
export interface AmendmentSource {
  readonly kind: 'proposal' | 'submission';
  readonly id: string;
}

/** The suggestions of a text as the log tells them (`GET /api/proposals|submissions/<id>/amendments`). */
@Injectable({ providedIn: 'root' })
export class AmendmentsApi {
  private readonly http = inject(HttpClient);

  list(source: AmendmentSource): Observable<AmendmentDto[]> {
    const collection = source.kind === 'proposal' ? 'proposals' : 'submissions';
    return this.http.get<AmendmentDto[]>(`/api/${collection}/${encodeURIComponent(source.id)}/amendments`);
  }
}
