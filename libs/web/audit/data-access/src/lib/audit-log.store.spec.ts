import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, type TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AuditLogStore } from './audit-log.store';
import { AUDITOR, WORKSPACES, auditEvent, sessionStorageFor } from './testing/audit-fixtures';

describe('AuditLogStore', () => {
  let http: HttpTestingController;
  let store: AuditLogStore;

  function settle(): Promise<void> {
    TestBed.tick();
    return Promise.resolve().then(() => TestBed.tick());
  }

  function expectEvents(): TestRequest {
    return http.expectOne((request) => request.url === '/api/audit/events');
  }

  function queryOf(request: TestRequest): Record<string, string> {
    const params = request.request.params;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [AuditLogStore, provideHttpClient(), provideHttpClientTesting(), sessionStorageFor(AUDITOR)],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuditLogStore);
    await settle();
    http.expectOne('/api/workspaces').flush(WORKSPACES);
    await settle();
  });

  afterEach(() => http.verify());

  it('loads the first page unfiltered, then shows its events with the names of their users', () => {
    store.applyFilters({});
    const request = expectEvents();
    expect(queryOf(request)).toEqual({ limit: '50' });
    expect(store.isLoading()).toBe(true);

    request.flush({
      items: [auditEvent(11, { userId: 'system' }), auditEvent(12), auditEvent(13, { userId: 'u-gone' })],
      next: null,
    });

    expect(store.isLoading()).toBe(false);
    expect(store.events().map((e) => [e.position, e.userName])).toEqual([
      [11, 'System'],
      [12, 'Amina Rahman'],
      [13, 'u-gone'],
    ]);
    expect(store.hasMore()).toBe(false);
    expect(store.isEmpty()).toBe(false);
  });

  it('turns the filters into query parameters, trimmed, leaving out those not set', () => {
    store.applyFilters({ iscmId: 'add', stream: ' proposal-* ', type: 'ProposalApproved', userId: '', from: '2026-01-01T00:00:00.000Z', to: '' });

    expect(queryOf(expectEvents())).toEqual({
      iscmId: 'add',
      stream: 'proposal-*',
      type: 'ProposalApproved',
      from: '2026-01-01T00:00:00.000Z',
      limit: '50',
    });
    expect(store.filters()).toEqual({ iscmId: 'add', stream: 'proposal-*', type: 'ProposalApproved', userId: '', from: '2026-01-01T00:00:00.000Z', to: '' });
  });

  it('loads more after the server’s cursor, with the same filters, and appends the page', () => {
    store.applyFilters({ stream: 'iscm-add' });
    expectEvents().flush({ items: [auditEvent(11), auditEvent(12)], next: 12 });
    expect(store.hasMore()).toBe(true);

    store.loadMore();
    const more = expectEvents();
    expect(queryOf(more)).toEqual({ stream: 'iscm-add', after: '12', limit: '50' });
    expect(store.isLoadingMore()).toBe(true);
    more.flush({ items: [auditEvent(14)], next: null });

    expect(store.events().map((e) => e.position)).toEqual([11, 12, 14]);
    expect(store.isLoadingMore()).toBe(false);
    expect(store.hasMore()).toBe(false);

    store.loadMore();
    http.expectNone((request) => request.url === '/api/audit/events');
  });

  it('starts again from the first page when the filters change, dropping a page still in flight', () => {
    store.applyFilters({});
    expectEvents().flush({ items: [auditEvent(11)], next: 11 });
    store.loadMore();
    const stale = expectEvents();

    store.applyFilters({ type: 'MemberAdded' });

    expect(stale.cancelled).toBe(true);
    expect(store.events()).toEqual([]);
    const fresh = expectEvents();
    expect(queryOf(fresh)).toEqual({ type: 'MemberAdded', limit: '50' });
    fresh.flush({ items: [], next: null });
    expect(store.isEmpty()).toBe(true);
  });

  it('clears the filters on reset', () => {
    store.applyFilters({ userId: 'u-drafter' });
    expectEvents().flush({ items: [], next: null });

    store.resetFilters();

    expect(queryOf(expectEvents())).toEqual({ limit: '50' });
  });

  it('shows the server’s reason when the first page fails', () => {
    store.applyFilters({ from: 'yesterday' });
    expectEvents().flush(
      { statusCode: 400, error: 'Bad Request', message: ['from must be an ISO-8601 time'] },
      { status: 400, statusText: 'Bad Request' },
    );

    expect(store.error()?.message).toBe('from must be an ISO-8601 time');
    expect(store.isLoading()).toBe(false);
    expect(store.isEmpty()).toBe(false);
  });

  it('keeps the events shown when loading more fails, and can try again', () => {
    store.applyFilters({});
    expectEvents().flush({ items: [auditEvent(11)], next: 11 });
    store.loadMore();
    expectEvents().flush({ statusCode: 503, error: 'Service Unavailable', message: 'The event store is busy' }, { status: 503, statusText: 'Service Unavailable' });

    expect(store.events().map((e) => e.position)).toEqual([11]);
    expect(store.loadMoreError()?.message).toBe('The event store is busy');
    expect(store.hasMore()).toBe(true);

    store.loadMore();
    expect(queryOf(expectEvents())).toEqual({ after: '11', limit: '50' });
    expect(store.loadMoreError()).toBeNull();
  });

  it('offers the visible workspaces with their members, and everyone in them', () => {
    expect(store.workspaceOptions().map((w) => [w.id, w.members.map((m) => m.name)])).toEqual([
      ['add', ['Amina Rahman', 'Jonas Lindqvist']],
      ['bp', ['Fatima Al Mansoori']],
    ]);
    expect(store.allMembers().map((u) => u.name)).toEqual(['Amina Rahman', 'Fatima Al Mansoori', 'Jonas Lindqvist']);
  });
});
