import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ProposalSummaryDto, SubmissionDto, UserDto, WorkspaceDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { awaitingReview, chairWorkspaceIds } from './awaiting-review';
import { DashboardStore } from './dashboard.store';

function proposal(id: string, iscmId: string, status: ProposalSummaryDto['status']): ProposalSummaryDto {
  return {
    id,
    title: `Proposal ${id}`,
    kind: 'policy',
    status,
    submissionId: `sub-${iscmId}`,
    iscmId,
    gcmObjectives: [6],
    currentRevision: 7,
    approvedRevision: null,
    approvalStale: false,
  };
}

const CHAIR: UserDto = {
  id: 'u-chair',
  email: 'chair@concord.demo',
  name: 'Chidi Chair',
  isAdmin: false,
  memberships: [
    { iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['chair'] },
    { iscmId: 'bp', iscmName: 'Bali Process', roles: ['drafter'] },
  ],
};

const PROPOSALS = [
  proposal('p1', 'add', 'in_review'),
  proposal('p2', 'add', 'draft'),
  proposal('p3', 'bp', 'in_review'),
  proposal('p4', 'add', 'approved'),
  proposal('p5', 'add', 'in_review'),
];

describe('awaiting my review', () => {
  it('keeps the proposals in review in the workspaces I chair', () => {
    const chaired = chairWorkspaceIds(CHAIR, []);

    expect([...chaired]).toEqual(['add']);
    expect(awaitingReview(PROPOSALS, chaired).map((p) => p.id)).toEqual(['p1', 'p5']);
  });

  it('is empty for someone who chairs nothing', () => {
    const drafter = { ...CHAIR, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles: ['drafter' as const] }] };

    expect(awaitingReview(PROPOSALS, chairWorkspaceIds(drafter, []))).toEqual([]);
  });

  it('also counts a chair role known only from the workspace member list', () => {
    const workspace: WorkspaceDto = {
      id: 'bp',
      abbreviation: 'BP',
      name: 'Bali Process',
      type: 'RCP',
      members: [{ userId: 'u-chair', name: 'Chidi Chair', email: CHAIR.email, roles: ['chair'], memberState: null }],
    };

    expect(awaitingReview(PROPOSALS, chairWorkspaceIds(CHAIR, [workspace])).map((p) => p.id)).toEqual(['p1', 'p3', 'p5']);
  });
});

describe('DashboardStore', () => {
  const workspaces: WorkspaceDto[] = [
    {
      id: 'add',
      abbreviation: 'ADD',
      name: 'Abu Dhabi Dialogue',
      type: 'RCP',
      members: [{ userId: 'u-chair', name: 'Chidi Chair', email: CHAIR.email, roles: ['chair'], memberState: null }],
    },
    { id: 'bp', abbreviation: 'BP', name: 'Bali Process', type: 'RCP', members: [] },
  ];
  const submission = (id: string, iscmId: string): SubmissionDto => ({
    id,
    iscmId,
    consultation: 'IMRF 2026',
    title: `Input ${id}`,
    dueDate: '2026-03-31',
    status: 'drafting',
    proposalCounts: { draft: 2, in_review: 1 },
    consultationId: null,
    sections: [],
  });

  let http: HttpTestingController;
  let store: DashboardStore;

  /** Runs the resources' effects and lets their responses arrive (whenStable would wait for open requests). */
  async function settle(): Promise<void> {
    TestBed.tick();
    await Promise.resolve();
    TestBed.tick();
  }

  beforeEach(() => {
    const storage = new Map<string, string>([
      [SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: CHAIR })],
    ]);
    TestBed.configureTestingModule({
      providers: [
        DashboardStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (k: string) => storage.get(k) ?? null, setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(DashboardStore);
  });

  afterEach(() => http.verify());

  it('lists the in-review proposals of the workspaces I chair, with their context', async () => {
    TestBed.tick();
    http.expectOne('/api/workspaces').flush(workspaces);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([submission('sub-add', 'add')]);
    http.expectOne('/api/submissions?iscmId=bp').flush([submission('sub-bp', 'bp')]);
    http.expectOne('/api/proposals').flush(PROPOSALS);
    await settle();

    expect(store.isChair()).toBe(true);
    expect(store.awaitingMyReview()).toEqual([
      { id: 'p1', title: 'Proposal p1', currentRevision: 7, workspaceName: 'Abu Dhabi Dialogue', submissionTitle: 'Input sub-add' },
      { id: 'p5', title: 'Proposal p5', currentRevision: 7, workspaceName: 'Abu Dhabi Dialogue', submissionTitle: 'Input sub-add' },
    ]);
  });

  it('builds one card per workspace with my roles and proposal counts per status', async () => {
    TestBed.tick();
    http.expectOne('/api/workspaces').flush(workspaces);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([submission('sub-add', 'add')]);
    http.expectOne('/api/submissions?iscmId=bp').flush([]);
    http.expectOne('/api/proposals').flush([]);
    await settle();

    const [add, bp] = store.workspaceCards();
    expect(add.myRoles).toEqual(['chair']);
    expect(add.submissions[0].proposalCounts).toEqual([
      { status: 'draft', count: 2 },
      { status: 'in_review', count: 1 },
    ]);
    expect(add.submissions[0].totalProposals).toBe(3);
    expect(bp.myRoles).toEqual(['drafter']);
    expect(bp.submissions).toEqual([]);
  });

  it('reports a failure to load workspaces with the server reason', async () => {
    TestBed.tick();
    http
      .expectOne('/api/workspaces')
      .flush({ statusCode: 503, error: 'Service Unavailable', message: 'Event store is catching up' }, { status: 503, statusText: 'Service Unavailable' });
    http.expectOne('/api/proposals').flush([]);
    await settle();

    expect(store.workspacesError()?.message).toBe('Event store is catching up');
    expect(store.workspaceCards()).toEqual([]);
  });
});
