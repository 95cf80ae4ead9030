import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProposalSummaryDto, UserDto, WorkspaceDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { DashboardPage } from './dashboard-page';

const WORKSPACE: WorkspaceDto = { id: 'add', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'RCP', members: [] };

function user(roles: ('chair' | 'drafter' | 'delegate')[]): UserDto {
  return {
    id: 'u-1',
    email: 'someone@concord.demo',
    name: 'Someone',
    isAdmin: false,
    memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles }],
  };
}

const IN_REVIEW: ProposalSummaryDto = {
  id: 'p-9',
  title: 'Skills recognition scheme',
  kind: 'policy',
  status: 'in_review',
  submissionId: 's-1',
  iscmId: 'add',
  gcmObjectives: [18],
  currentRevision: 12,
  approvedRevision: null,
  approvalStale: false,
};

describe('DashboardPage', () => {
  let fixture: ComponentFixture<DashboardPage>;
  let http: HttpTestingController;

  async function render(signedIn: UserDto): Promise<HTMLElement> {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: signedIn });
    TestBed.configureTestingModule({
      imports: [DashboardPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    fixture = TestBed.createComponent(DashboardPage);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    return fixture.nativeElement;
  }

  async function settle(): Promise<void> {
    await Promise.resolve();
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  it('shows a chair what awaits their review, with a link to each proposal', async () => {
    const page = await render(user(['chair']));
    expect(page.textContent).toContain('Loading your workspaces…');

    http.expectOne('/api/workspaces').flush([WORKSPACE]);
    http.expectOne('/api/proposals').flush([IN_REVIEW, { ...IN_REVIEW, id: 'p-1', status: 'draft' }]);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([
      { id: 's-1', iscmId: 'add', consultation: 'IMRF 2026', title: 'ADD input', dueDate: '2026-03-31', status: 'drafting', proposalCounts: { in_review: 1, draft: 1 } },
    ]);
    await settle();

    const heading = page.querySelector('#cc-review-heading');
    expect(heading?.textContent).toContain('Awaiting my review');
    const links = [...page.querySelectorAll<HTMLAnchorElement>('.cc-review__link')];
    expect(links.map((a) => a.textContent)).toEqual(['Skills recognition scheme']);
    expect(links[0].getAttribute('href')).toBe('/proposals/p-9');
    expect(page.querySelector('.cc-review__meta')?.textContent).toContain('ADD input');
    expect(page.querySelector('.cc-submission__title')?.textContent).toBe('ADD input');
    expect(page.querySelector('.cc-workspace__name')?.textContent).toContain('Abu Dhabi Dialogue');
  });

  it('does not show the review list to someone who chairs nothing', async () => {
    const page = await render(user(['drafter']));
    http.expectOne('/api/workspaces').flush([WORKSPACE]);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([]);
    await settle();

    expect(page.querySelector('#cc-review-heading')).toBeNull();
    expect(page.textContent).toContain('No submission is open in this workspace.');
  });

  it('offers "Open a submission" to drafters only, and opens its dialog', async () => {
    const chairPage = await render(user(['chair']));
    http.expectOne('/api/workspaces').flush([WORKSPACE]);
    http.expectOne('/api/proposals').flush([]);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([]);
    await settle();
    expect(chairPage.querySelector('button[aria-label="Open a submission in ADD"]')).toBeNull();

    TestBed.resetTestingModule();
    const page = await render(user(['drafter']));
    http.expectOne('/api/workspaces').flush([WORKSPACE]);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([]);
    await settle();
    const open = page.querySelector<HTMLButtonElement>('button[aria-label="Open a submission in ADD"]');
    expect(open?.textContent?.trim()).toBe('Open a submission');
    open?.click();
    await settle();
    http.expectOne('/api/consultations').flush([]);
    await settle();
    expect(document.querySelector('cc-open-submission-dialog h2')?.textContent).toBe('Open a submission');
    expect(document.querySelector('cc-open-submission-dialog')?.textContent).toContain('The written input of Abu Dhabi Dialogue');
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => overlay.remove());
  });

  it('lists the members with their roles, a delegate with the member state they represent', async () => {
    const page = await render(user(['delegate']));
    http.expectOne('/api/workspaces').flush([
      {
        ...WORKSPACE,
        members: [
          { userId: 'u-1', name: 'Someone (India)', email: 'someone@concord.demo', roles: ['delegate'], memberState: { code: 'IN', name: 'India' } },
          { userId: 'u-2', name: 'Amina Rahman', email: 'drafter1@concord.demo', roles: ['drafter'], memberState: null },
        ],
      } satisfies WorkspaceDto,
    ]);
    await settle();
    http.expectOne('/api/submissions?iscmId=add').flush([]);
    await settle();

    const members = [...page.querySelectorAll('.cc-member')];
    expect(members.map((m) => [m.querySelector('.cc-member__name')?.textContent, m.querySelector('mat-chip')?.textContent?.trim()])).toEqual([
      ['Someone (India)', 'Delegate'],
      ['Amina Rahman', 'Drafter'],
    ]);
    expect(members[0].querySelector('mat-chip-set')?.getAttribute('aria-label')).toBe('Roles of Someone (India)');
    expect(page.querySelector('[aria-label="Your roles in ADD"]')?.textContent).toContain('Delegate');
  });

  it('explains an empty dashboard', async () => {
    const page = await render(user(['drafter']));
    http.expectOne('/api/workspaces').flush([]);
    await settle();

    expect(page.textContent).toContain('You are not a member of any ISCM workspace yet.');
  });

  it('shows the server reason when the workspaces cannot be loaded', async () => {
    const page = await render(user(['drafter']));
    http
      .expectOne('/api/workspaces')
      .flush({ statusCode: 500, error: 'Internal Server Error', message: 'Projection is rebuilding' }, { status: 500, statusText: 'Internal Server Error' });
    await settle();

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Projection is rebuilding');
  });
});
