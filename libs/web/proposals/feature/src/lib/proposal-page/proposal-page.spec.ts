import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProposalDetailDto, Role, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { ProposalPage } from './proposal-page';

const IN_REVIEW: ProposalDetailDto = {
  id: 'p-1',
  title: 'Fair recruitment corridor',
  kind: 'agreement',
  status: 'in_review',
  submissionId: 's-1',
  iscmId: 'add',
  gcmObjectives: [6],
  currentRevision: 42,
  approvedRevision: null,
  approvalStale: false,
  summary: 'A bilateral corridor with zero recruitment fees.',
  createdAt: '2026-01-10T09:00:00Z',
  createdBy: 'u-drafter',
  reviewRevision: 40,
  approval: null,
  changeRequests: [],
  versions: [],
};

function userWith(roles: Role[]): UserDto {
  return { id: 'u-1', email: 'x@concord.demo', name: 'Alex', isAdmin: false, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles }] };
}

describe('ProposalPage', () => {
  let fixture: ComponentFixture<ProposalPage>;
  let http: HttpTestingController;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  async function render(roles: Role[], proposal: ProposalDetailDto = IN_REVIEW): Promise<HTMLElement> {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: userWith(roles) });
    TestBed.configureTestingModule({
      imports: [ProposalPage],
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
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProposalPage);
    fixture.componentRef.setInput('id', 'p-1');
    fixture.detectChanges();
    http.expectOne('/api/proposals/p-1').flush(proposal);
    http.expectOne('/api/workspaces').flush([]);
    http.expectOne('/reference/practical-approach-types.json').flush({ types: [{ id: 'agreement', label: 'Agreement / partnership arrangement', definition: '' }] });
    http.expectOne('/reference/gcm-objectives.json').flush({ objectives: [{ number: 6, short_label: 'Fair recruitment', official_title: 'Facilitate fair and ethical recruitment', summary: '' }] });
    await settle();
    return fixture.nativeElement;
  }

  function buttonLabels(page: HTMLElement): string[] {
    return [...page.querySelectorAll('.cc-action-list button')].map((b) => b.textContent?.trim() ?? '');
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => overlay.remove());
  });

  it('shows the proposal’s details, with labels from the reference data, and the editor region', async () => {
    const page = await render(['auditor']);

    expect(page.querySelector('h1')?.textContent).toBe('Fair recruitment corridor');
    expect(page.textContent).toContain('Agreement / partnership arrangement');
    expect(page.textContent).toContain('6 · Fair recruitment');
    expect(page.querySelector('[data-testid="current-revision"]')?.textContent).toBe('42');
    expect(page.querySelector('[data-testid="editor-region"]')).not.toBeNull();
    expect(buttonLabels(page)).toEqual([]);
  });

  it('offers a chair Approve and Request changes', async () => {
    const page = await render(['chair']);

    expect(buttonLabels(page)).toEqual(['Approve this revision', 'Request changes']);
  });

  it('offers a drafter Send for review on a draft', async () => {
    const page = await render(['drafter'], { ...IN_REVIEW, status: 'draft', reviewRevision: null });

    expect(buttonLabels(page)).toEqual(['Send revision 42 for review', 'Withdraw']);
  });

  it('approves through the dialog, which shows the revision and then the content hash', async () => {
    const page = await render(['chair']);
    page.querySelector<HTMLButtonElement>('.cc-action-list button')?.click();
    await settle();

    const dialog = document.querySelector('cc-approve-revision-dialog') as HTMLElement;
    expect(dialog.querySelector('[data-testid="approve-revision"]')?.textContent).toBe('42');
    expect(dialog.textContent).toContain('sent for review at revision 40');

    dialog.querySelector('form')?.dispatchEvent(new Event('submit'));
    http.expectOne('/api/proposals/p-1/approvals').flush(null);
    await settle();
    http.expectOne('/api/proposals/p-1').flush({
      ...IN_REVIEW,
      status: 'approved',
      approvedRevision: 42,
      approval: { revision: 42, contentHash: '9f86d081884c7d65', comment: null, approvedBy: 'u-1', at: '2026-01-11T10:00:00Z' },
    });
    await settle();

    expect(dialog.querySelector('[data-testid="approval-hash"]')?.textContent).toBe('9f86d081884c7d65');
    expect(page.querySelector('[data-testid="approval-record"]')?.textContent).toContain('9f86d081884c7d65');
    expect(page.textContent).toContain('Approved at rev 42');
  });

  it('shows the server reason when sending for review is refused', async () => {
    const page = await render(['drafter'], { ...IN_REVIEW, status: 'draft', reviewRevision: null });
    page.querySelector<HTMLButtonElement>('.cc-action-list button')?.click();
    http
      .expectOne('/api/proposals/p-1/review')
      .flush({ statusCode: 409, error: 'Conflict', message: 'Revision 42 is not the latest' }, { status: 409, statusText: 'Conflict' });
    await settle();

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Revision 42 is not the latest');
  });
});
