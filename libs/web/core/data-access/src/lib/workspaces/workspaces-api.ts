import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { WorkspaceDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class WorkspacesApi {
  private readonly http = inject(HttpClient);

  /** The ISCM workspaces the signed-in user is a member of. */
  listMine(): Observable<WorkspaceDto[]> {
    return this.http.get<WorkspaceDto[]>('/api/workspaces');
  }
}
