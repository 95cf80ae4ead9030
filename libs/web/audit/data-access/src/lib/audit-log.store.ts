import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { AuditEventDto, AuditEventPage, WorkspaceDto } from '@concord/contracts';
import { type ApiError, WorkspacesApi, toApiError } from '@concord/web/core/data-access';
import type { Subscription } from 'rxjs';
import { AuditApi } from './audit-api';
import { AUDIT_PAGE_SIZE, type AuditLogFilters, NO_FILTERS, auditQueryParams, normalizeFilters } from './audit-query';
import { type UserOption, membersOf, userNameResolver } from './member-names';

/** One recorded event, with the name of the user who caused it. */
export interface AuditEventRow extends AuditEventDto {
  userName: string;
}

/** A workspace the auditor may filter by, with its members for the user filter. */
export interface WorkspaceOption {
  id: string;
  name: string;
  abbreviation: string;
  members: readonly UserOption[];
}

type LogStatus = 'idle' | 'loading' | 'loaded' | 'loading-more' | 'error';

interface LogState {
  filters: AuditLogFilters;
  events: readonly AuditEventDto[];
  next: number | null;
  status: LogStatus;
  error: ApiError | null;
  loadMoreError: ApiError | null;
}

const INITIAL: LogState = { filters: NO_FILTERS, events: [], next: null, status: 'idle', error: null, loadMoreError: null };

/**
 * The event log as the auditor filters and pages through it. Pages are appended in log order,
 * following the server's `next` cursor; changing the filters starts again from the first page.
 * Provided by the audit page, so it lives as long as the page.
 */
@Injectable()
export class AuditLogStore {
  private readonly api = inject(AuditApi);
  private readonly workspacesApi = inject(WorkspacesApi);
  private readonly state = signal<LogState>(INITIAL);
  private inFlight: Subscription | null = null;

  private readonly workspacesResource = rxResource({ stream: () => this.workspacesApi.listMine() });
  private readonly workspaces = computed<readonly WorkspaceDto[]>(() =>
    this.workspacesResource.hasValue() ? this.workspacesResource.value() : [],
  );

  readonly filters = computed(() => this.state().filters);
  readonly isLoading = computed(() => this.state().status === 'loading');
  readonly isLoadingMore = computed(() => this.state().status === 'loading-more');
  readonly error = computed(() => this.state().error);
  readonly loadMoreError = computed(() => this.state().loadMoreError);
  readonly hasMore = computed(() => this.state().next !== null);
  readonly isEmpty = computed(() => this.state().status === 'loaded' && this.state().events.length === 0);

  /** Workspaces the filter offers: those the user can see (every workspace for a platform admin). */
  readonly workspaceOptions = computed<readonly WorkspaceOption[]>(() =>
    this.workspaces()
      .map((workspace) => ({
        id: workspace.id,
        name: workspace.name,
        abbreviation: workspace.abbreviation,
        members: membersOf([workspace]),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  /** Everyone in the visible workspaces, for the user filter when no workspace is chosen. */
  readonly allMembers = computed<readonly UserOption[]>(() => membersOf(this.workspaces()));
  readonly membersError = computed(() => {
    const error = this.workspacesResource.error();
    return error ? toApiError(error) : null;
  });

  readonly userName = computed(() => userNameResolver(this.allMembers()));
  readonly events = computed<readonly AuditEventRow[]>(() => {
    const nameOf = this.userName();
    return this.state().events.map((event) => ({ ...event, userName: nameOf(event.userId) }));
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.inFlight?.unsubscribe());
  }

  /** Shows the first page of events matching the filters. */
  applyFilters(filters: Partial<AuditLogFilters>): void {
    this.loadFirstPage(normalizeFilters(filters));
  }

  resetFilters(): void {
    this.loadFirstPage(NO_FILTERS);
  }

  reload(): void {
    this.loadFirstPage(this.filters());
  }

  /** Appends the next page after the last event shown. */
  loadMore(): void {
    const { next, status, filters } = this.state();
    if (next === null || status === 'loading' || status === 'loading-more') {
      return;
    }
    this.state.update((s) => ({ ...s, status: 'loading-more', loadMoreError: null }));
    this.fetch(filters, next, (page) =>
      this.state.update((s) => ({ ...s, events: [...s.events, ...page.items], next: page.next, status: 'loaded' })),
      (error) => this.state.update((s) => ({ ...s, status: 'loaded', loadMoreError: error })),
    );
  }

  reloadMembers(): void {
    this.workspacesResource.reload();
  }

  private loadFirstPage(filters: AuditLogFilters): void {
    this.state.set({ ...INITIAL, filters, status: 'loading' });
    this.fetch(filters, null, (page) =>
      this.state.update((s) => ({ ...s, events: page.items, next: page.next, status: 'loaded' })),
      (error) => this.state.update((s) => ({ ...s, status: 'error', error })),
    );
  }

  /** Only the latest request counts: starting another cancels the one in flight. */
  private fetch(filters: AuditLogFilters, after: number | null, onPage: (page: AuditEventPage) => void, onError: (error: ApiError) => void): void {
    this.inFlight?.unsubscribe();
    this.inFlight = this.api.events(auditQueryParams(filters, after, AUDIT_PAGE_SIZE)).subscribe({
      next: onPage,
      error: (error: unknown) => onError(toApiError(error)),
    });
  }
}
