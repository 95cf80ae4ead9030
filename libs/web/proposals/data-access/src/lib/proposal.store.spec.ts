import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ProposalDetailDto, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { NO_PERMISSIONS, proposalPermissions } from './proposal-permissions';
import { ProposalStore } from './proposal.store';

const CHAIR: UserDto = {
  id: 'u-chair',
  email: 'chair@concord.demo',
  name: 'Chidi Chair',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['chair'] }],
};

const IN_REVIEW: ProposalDetailDto = {
  id: 'p-1',
  title: 'Fair recruitment corridor',
  kind: 'agreement',
  status: 'in_review',
  submissionId: 's-1',
  iscmId: 'add',
  submissionStatus: 'review',
  gcmObjectives: [6],
  currentRevision: 42,
  approvedRevision: null,
  approvalStale: false,
  summary: '',
  createdAt: '2026-01-10T09:00:00Z',
  createdBy: 'u-drafter',
  reviewRevision: 42,
  approval: null,
  changeRequests: [],
  versions: [],
  silence: null,
  submissionSilence: null,
};

describe('proposalPermissions (from the domain access policy)', () => {
  it('lets a drafter send a draft for review, withdraw it, edit, restore and name versions', () => {
    expect(proposalPermissions('draft', ['drafter'], 'drafting')).toEqual({
      canSendForReview: true,
      canReview: false,
      canWithdraw: true,
      canEdit: true,
      canRestore: true,
      canNameVersion: true,
      canComment: true,
      canSuggest: false,
      canRunSilence: false,
      canObjectToSilence: false,
      canCoSponsor: false,
    });
  });

  it('lets a delegate co-sponsor while the proposal is not withdrawn and its submission not locked; nobody else', () => {
    expect(proposalPermissions('approved', ['delegate'], 'review').canCoSponsor).toBe(true);
    expect(proposalPermissions('draft', ['delegate'], 'submitted').canCoSponsor).toBe(false);
    expect(proposalPermissions('withdrawn', ['delegate'], 'drafting').canCoSponsor).toBe(false);
    for (const role of ['drafter', 'chair', 'auditor', 'admin'] as const) {
      expect(proposalPermissions('draft', [role], 'drafting').canCoSponsor).toBe(false);
    }
  });

  it('lets a chair run a silence procedure and a delegate break it, until the submission is locked', () => {
    expect(proposalPermissions('draft', ['chair'], 'drafting')).toMatchObject({ canRunSilence: true, canObjectToSilence: false });
    expect(proposalPermissions('approved', ['delegate'], 'review')).toMatchObject({ canRunSilence: false, canObjectToSilence: true });
    expect(proposalPermissions('draft', ['chair'], 'submitted').canRunSilence).toBe(false);
    expect(proposalPermissions('draft', ['delegate'], 'submitted').canObjectToSilence).toBe(false);
  });

  it('lets a chair and a drafter comment while the text is open, and nobody once it is locked; never an auditor', () => {
    expect(proposalPermissions('in_review', ['chair'], 'review').canComment).toBe(true);
    expect(proposalPermissions('draft', ['drafter'], 'submitted').canComment).toBe(false);
    expect(proposalPermissions('draft', ['auditor'], 'drafting').canComment).toBe(false);
  });

  it('lets a drafter edit, send again and withdraw an approved proposal (its approval becomes stale)', () => {
    expect(proposalPermissions('approved', ['drafter'], 'review')).toMatchObject({ canEdit: true, canSendForReview: true, canWithdraw: true });
  });

  it('does not offer to send for review what is already in review', () => {
    expect(proposalPermissions('in_review', ['drafter'], 'drafting')).toMatchObject({ canSendForReview: false, canEdit: true });
  });

  it('lets a chair name versions but not edit or restore', () => {
    expect(proposalPermissions('approved', ['chair'], 'drafting')).toMatchObject({ canEdit: false, canRestore: false, canNameVersion: true });
  });

  it('keeps a withdrawn proposal read-only for everyone', () => {
    expect(proposalPermissions('withdrawn', ['drafter', 'chair'], 'drafting')).toEqual(NO_PERMISSIONS);
  });

  it('offers nothing once the submission is submitted and locked', () => {
    expect(proposalPermissions('in_review', ['drafter', 'chair'], 'submitted')).toEqual(NO_PERMISSIONS);
  });

  it('offers no change while the submission is unknown', () => {
    expect(proposalPermissions('draft', ['drafter'], undefined)).toEqual(NO_PERMISSIONS);
  });

  it('lets a chair review only what is in review', () => {
    expect(proposalPermissions('in_review', ['chair'], 'review').canReview).toBe(true);
    expect(proposalPermissions('draft', ['chair'], 'review').canReview).toBe(false);
  });

  it('offers an auditor nothing', () => {
    expect(proposalPermissions('in_review', ['auditor'], 'review')).toEqual(NO_PERMISSIONS);
  });
});

describe('ProposalStore', () => {
  let http: HttpTestingController;
  let store: ProposalStore;

  function settle(): Promise<void> {
    TestBed.tick();
    return Promise.resolve().then(() => TestBed.tick());
  }

  beforeEach(async () => {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: CHAIR });
    TestBed.configureTestingModule({
      providers: [
        ProposalStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(ProposalStore);
    store.connect(signal('p-1'));
    await settle();
    http.expectOne('/api/proposals/p-1').flush(IN_REVIEW);
    http.expectOne('/api/workspaces').flush([]);
    http.match('/reference/practical-approach-types.json').forEach((r) => r.flush({ types: [{ id: 'agreement', label: 'Agreement / partnership arrangement', definition: '' }] }));
    http.match('/reference/gcm-objectives.json').forEach((r) => r.flush({ objectives: [] }));
    await settle();
  });

  /** The paragraph numbers the store reads with every proposal (and again on demand). */
  const flushNumbering = (paragraphs: unknown[] = []) =>
    http.match('/api/submissions/s-1/paragraphs').filter((request) => !request.cancelled).forEach((request) => request.flush({ submissionId: 's-1', paragraphs }));

  afterEach(() => {
    flushNumbering();
    http.verify();
  });

  it('reads this proposal’s paragraph numbers by block id once a view follows them, and again when asked', async () => {
    expect(http.match('/api/submissions/s-1/paragraphs')).toEqual([]);
    store.followParagraphNumbers();
    await settle();
    flushNumbering([
      { number: '3.1', blockId: 'b-other', proposalId: 'p-0', revision: 4, text: 'Before.' },
      { number: '3.2', blockId: 'b-1', proposalId: 'p-1', revision: 9, text: 'Ours.' },
      { number: '3.2(a)', blockId: 'b-2', proposalId: 'p-1', revision: 9, text: 'Item.' },
      { number: '3.3', blockId: null, proposalId: 'p-1', revision: 9, text: 'From before ids.' },
    ]);
    await settle();
    expect([...store.paragraphNumbers()]).toEqual([
      ['b-1', '3.2'],
      ['b-2', '3.2(a)'],
    ]);
    store.reloadParagraphNumbers();
    await settle();
    flushNumbering([{ number: '3.3', blockId: 'b-1', proposalId: 'p-1', revision: 10, text: 'Ours.' }]);
    await settle();
    expect([...store.paragraphNumbers()]).toEqual([['b-1', '3.3']]);
  });

  it('derives the chair permissions for the loaded proposal', () => {
    expect(store.proposal()?.title).toBe('Fair recruitment corridor');
    expect(store.roles()).toEqual(['chair']);
    expect(store.permissions().canReview).toBe(true);
    expect(store.kindLabel()).toBe('Agreement / partnership arrangement');
  });

  it('approves a revision and returns the recorded approval with its content hash', async () => {
    const approval = store.approveRevision(42, '  Agreed at the 12th meeting ');
    expect(store.pendingAction()).toBe('approve');
    const request = http.expectOne('/api/proposals/p-1/approvals');
    expect(request.request.body).toEqual({ revision: 42, comment: 'Agreed at the 12th meeting' });
    request.flush(null);
    await Promise.resolve();
    const approved: ProposalDetailDto = {
      ...IN_REVIEW,
      status: 'approved',
      approvedRevision: 42,
      approval: { revision: 42, contentHash: 'ab12', comment: 'Agreed at the 12th meeting', approvedBy: 'u-chair', at: '2026-01-11T10:00:00Z' },
    };
    http.expectOne('/api/proposals/p-1').flush(approved);

    await expect(approval).resolves.toMatchObject({ revision: 42, contentHash: 'ab12' });
    expect(store.proposal()?.status).toBe('approved');
    expect(store.pendingAction()).toBeNull();
    expect(store.memberName('u-chair')).toBe('Chidi Chair');
  });

  it('re-reads the proposal quietly, without a loading state, and keeps it when the read fails', async () => {
    const refreshed = store.refresh();
    expect(store.isLoading()).toBe(false);
    http.expectOne('/api/proposals/p-1').flush({ ...IN_REVIEW, currentRevision: 45, approvalStale: true });
    await refreshed;
    expect(store.proposal()?.currentRevision).toBe(45);

    const failed = store.refresh();
    http.expectOne('/api/proposals/p-1').flush(null, { status: 503, statusText: 'Unavailable' });
    await failed;
    expect(store.proposal()?.currentRevision).toBe(45);
    expect(store.loadError()).toBeNull();
  });

  it('re-reads the proposal shortly after the text changes, debounced, and once more later', async () => {
    jest.useFakeTimers();
    try {
      store.refreshSoon();
      jest.advanceTimersByTime(500);
      store.refreshSoon();
      jest.advanceTimersByTime(999);
      http.expectNone('/api/proposals/p-1');
      jest.advanceTimersByTime(1);
      http.expectOne('/api/proposals/p-1').flush({ ...IN_REVIEW, currentRevision: 50 });
      await Promise.resolve();
      jest.advanceTimersByTime(3_000);
      http.expectOne('/api/proposals/p-1').flush({ ...IN_REVIEW, currentRevision: 50, approvalStale: true });
    } finally {
      jest.useRealTimers();
    }
  });

  it('fetches one revision with its content hash', async () => {
    const revision = store.revision(42);
    http.expectOne('/api/proposals/p-1/revisions/42').flush({ revision: 42, contentHash: 'c0ffee', text: 'Text', doc: { type: 'doc' } });
    await expect(revision).resolves.toMatchObject({ revision: 42, contentHash: 'c0ffee' });
  });

  it('keeps the server reason when a command is refused', async () => {
    const request = store.requestChanges(42, 'Please cite the source');
    http
      .expectOne('/api/proposals/p-1/changes-requested')
      .flush({ statusCode: 409, error: 'Conflict', message: 'Revision 42 is no longer current' }, { status: 409, statusText: 'Conflict' });

    await expect(request).rejects.toMatchObject({ status: 409 });
    expect(store.actionError()?.message).toBe('Revision 42 is no longer current');
    expect(store.pendingAction()).toBeNull();
  });
});
