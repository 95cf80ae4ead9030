import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ProposalDetailDto, RevisionItemDto, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { ProposalStore } from '@concord/web/proposals/data-access';
import { HistoryStore, TIMELINE_PAGE } from './history.store';

const DRAFTER: UserDto = {
  id: 'u-amina',
  email: 'drafter1@concord.demo',
  name: 'Amina Rahman',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'ADD', roles: ['drafter'] }],
};

const PROPOSAL: ProposalDetailDto = {
  id: 'p-1',
  title: 'Fair recruitment corridor',
  kind: 'policy',
  status: 'draft',
  submissionId: 's-1',
  iscmId: 'add',
  submissionStatus: 'review',
  gcmObjectives: [6],
  currentRevision: 450,
  approvedRevision: null,
  approvalStale: false,
  summary: '',
  createdAt: '2026-11-30T09:00:00Z',
  createdBy: 'u-amina',
  reviewRevision: null,
  approval: null,
  changeRequests: [],
  versions: [{ revision: 440, label: 'Sent to chair', namedBy: 'u-amina', at: '2026-11-30T10:00:00Z' }],
};

function items(from: number, to: number): RevisionItemDto[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    revision: from + i,
    userId: 'u-amina',
    userName: 'Amina Rahman',
    at: new Date(Date.parse('2026-11-30T09:00:00Z') + (from + i) * 1000).toISOString(),
    kind: 'edit' as const,
  }));
}

describe('HistoryStore', () => {
  let http: HttpTestingController;
  let store: HistoryStore;
  let proposalStore: ProposalStore;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      TestBed.tick();
      await Promise.resolve();
    }
  }

  beforeEach(async () => {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: DRAFTER });
    TestBed.configureTestingModule({
      providers: [
        ProposalStore,
        HistoryStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE, useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    proposalStore = TestBed.inject(ProposalStore);
    store = TestBed.inject(HistoryStore);
    proposalStore.connect(signal('p-1'));
    await settle();
    http.expectOne('/api/proposals/p-1').flush(PROPOSAL);
    http.match(() => true).forEach((request) => request.flush(request.request.url.endsWith('workspaces') ? [] : {}));
    await settle();
  });

  afterEach(() => http.verify());

  function expectTimeline(after: number, limit: number) {
    return http.expectOne((request) => request.url === '/api/proposals/p-1/revisions' && request.params.get('after') === String(after) && request.params.get('limit') === String(limit));
  }

  it('loads the newest page first and groups it into sessions with the named versions', async () => {
    expect(store.timelineLoading()).toBe(true);
    expectTimeline(450 - TIMELINE_PAGE, 1000).flush({ items: items(251, 450), next: null });
    await settle();

    expect(store.timelineLoading()).toBe(false);
    expect(store.sessions()).toHaveLength(1);
    expect(store.sessions()[0]).toMatchObject({ fromRevision: 251, toRevision: 450, revisionCount: 200 });
    expect(store.sessions()[0].versions.map((v) => v.label)).toEqual(['Sent to chair']);
    expect(store.hasOlder()).toBe(true);
  });

  it('pages back through older revisions until the first', async () => {
    expectTimeline(250, 1000).flush({ items: items(251, 450), next: null });
    await settle();

    void store.loadOlder();
    expectTimeline(50, 200).flush({ items: items(51, 250), next: 250 });
    await settle();
    void store.loadOlder();
    expectTimeline(0, 50).flush({ items: items(1, 50), next: 50 });
    await settle();

    expect(store.oldestLoaded()).toBe(1);
    expect(store.hasOlder()).toBe(false);
  });

  it('follows revisions written after it was opened', async () => {
    expectTimeline(250, 1000).flush({ items: items(251, 450), next: null });
    await settle();

    void proposalStore.refresh();
    http.expectOne('/api/proposals/p-1').flush({ ...PROPOSAL, currentRevision: 455 });
    await settle();
    expectTimeline(450, 1000).flush({ items: items(451, 455), next: null });
    await settle();

    expect(store.newestLoaded()).toBe(455);
  });

  it('keeps the server reason when the timeline cannot be read', async () => {
    expectTimeline(250, 1000).flush({ statusCode: 403, error: 'Forbidden', message: 'No role in this workspace' }, { status: 403, statusText: 'Forbidden' });
    await settle();
    expect(store.timelineError()?.message).toBe('No role in this workspace');
  });

  it('opens one revision, with the threads as they stood then, and compares two, with authors coloured', async () => {
    expectTimeline(250, 1000).flush({ items: items(251, 450), next: null });
    store.view(300);
    store.compare({ from: 299, to: 300 });
    await settle();
    http.expectOne('/api/proposals/p-1/revisions/300').flush({ revision: 300, contentHash: 'abc', text: 'T', doc: { type: 'doc' } });
    http.expectOne('/api/proposals/p-1/threads?atRevision=300').flush([{ id: 't-1', status: 'open', messages: [] }]);
    http
      .expectOne((request) => request.url === '/api/proposals/p-1/diff' && request.params.get('from') === '299' && request.params.get('to') === '300')
      .flush({ from: 299, to: 300, spans: [{ type: 'insert', text: 'T', userId: 'u-amina' }], authors: [{ userId: 'u-amina', userName: 'Amina Rahman' }] });
    // The amendment list, cut to the compared range: made at 300 is in, made and decided before 299 is not.
    const suggestion = (id: string, madeRevision: number, decidedRevision: number | null) => ({ id, madeRevision, decidedRevision, status: decidedRevision ? 'accepted' : 'open' });
    http.expectOne('/api/proposals/p-1/amendments').flush([suggestion('s-old', 10, 20), suggestion('s-new', 300, null), suggestion('s-decided', 5, 300)]);
    await settle();

    expect(store.revision()?.contentHash).toBe('abc');
    expect(store.viewedItem()?.userName).toBe('Amina Rahman');
    expect(store.revisionThreads()?.map((thread) => thread.id)).toEqual(['t-1']);
    expect(store.diff()?.authors.map((a) => a.userName)).toEqual(['Amina Rahman']);
    expect(store.suggestionsInRange().map((amendment) => amendment.id)).toEqual(['s-new', 's-decided']);
  });

  it('restores a revision, then re-reads the proposal and the new revisions', async () => {
    expectTimeline(250, 1000).flush({ items: items(251, 450), next: null });
    await settle();

    const restored = store.restore(300);
    expect(store.pendingAction()).toBe('restore');
    const request = http.expectOne('/api/proposals/p-1/restore');
    expect(request.request.body).toEqual({ revision: 300 });
    request.flush({ revision: 451 });
    await settle();
    http.expectOne('/api/proposals/p-1').flush({ ...PROPOSAL, currentRevision: 451 });
    await settle();
    expectTimeline(450, 1000).flush({ items: [{ ...items(451, 451)[0], kind: 'restore' }], next: null });

    await expect(restored).resolves.toBe(451);
    expect(store.sessions()[0].kinds).toEqual(['restore']);
    expect(store.pendingAction()).toBeNull();
  });

  it('names a version and keeps the reason when refused', async () => {
    expectTimeline(250, 1000).flush({ items: items(251, 450), next: null });
    await settle();

    const naming = store.nameVersion(300, '  Sent to chair  ');
    const request = http.expectOne('/api/proposals/p-1/versions');
    expect(request.request.body).toEqual({ revision: 300, label: 'Sent to chair' });
    request.flush({ statusCode: 403, error: 'Forbidden', message: 'Only a drafter or a chair may name a version.' }, { status: 403, statusText: 'Forbidden' });

    await expect(naming).rejects.toMatchObject({ status: 403 });
    expect(store.actionError()?.message).toBe('Only a drafter or a chair may name a version.');
  });
});
