import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProposalDetailDto, Role, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { COLLAB_CONNECTOR, FakeCollabConnector, ProposalDocumentSession } from '@concord/web/proposals/data-access';
import { ProposalPage } from './proposal-page';

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
  summary: 'A bilateral corridor with zero recruitment fees.',
  createdAt: '2026-01-10T09:00:00Z',
  createdBy: 'u-drafter',
  reviewRevision: 40,
  approval: null,
  changeRequests: [],
  versions: [],
  silence: null,
  submissionSilence: null,
};

function userWith(roles: Role[]): UserDto {
  return { id: 'u-1', email: 'x@concord.demo', name: 'Alex', isAdmin: false, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles }] };
}

describe('ProposalPage', () => {
  let fixture: ComponentFixture<ProposalPage>;
  let http: HttpTestingController;
  let connector: FakeCollabConnector;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  async function render(roles: Role[], proposal: ProposalDetailDto = IN_REVIEW): Promise<HTMLElement> {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: userWith(roles) });
    connector = new FakeCollabConnector();
    TestBed.configureTestingModule({
      imports: [ProposalPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: COLLAB_CONNECTOR, useValue: connector },
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
    // The paragraph numbers the page reads with the proposal (the store's own spec checks them).
    http.match((request) => request.url.endsWith('/paragraphs')).filter((request) => !request.cancelled).forEach((request) => request.flush({ submissionId: 's', paragraphs: [] }));
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

  it('offers a chair Approve and Request changes, and a silence procedure', async () => {
    const page = await render(['chair']);

    expect(buttonLabels(page)).toEqual(['Approve this revision', 'Request changes', 'Start silence procedure']);
  });

  it('shows a running silence with its deadline in UTC, offers a delegate to break it and a chair to withdraw it', async () => {
    const silence = {
      status: 'running' as const,
      deadline: '2027-03-08T17:00:00.000Z',
      revision: 42,
      contentHash: 'a'.repeat(64),
      startedBy: 'u-chair',
      startedAt: '2027-03-01T12:00:00.000Z',
      objections: [],
      endedAt: null,
      voidedBy: null,
      voidReason: null,
    };
    const asDelegate = await render(['delegate'], { ...IN_REVIEW, silence });
    const banner = asDelegate.querySelector('[data-testid="silence-banner"]') as HTMLElement;
    expect(banner.textContent).toContain('Silence procedure running');
    expect(banner.textContent).toContain('2027-03-08 17:00 UTC');
    expect(buttonLabels(asDelegate)).toContain('Break silence (object)');
  });

  it('shows a broken silence with the objection of its member state', async () => {
    const silence = {
      status: 'broken' as const,
      deadline: '2027-03-08T17:00:00.000Z',
      revision: 42,
      contentHash: 'a'.repeat(64),
      startedBy: 'u-chair',
      startedAt: '2027-03-01T12:00:00.000Z',
      objections: [{ by: 'u-delegate', memberState: 'IN', reason: 'Paragraph 2 goes too far.', at: '2027-03-02T09:00:00.000Z' }],
      endedAt: '2027-03-02T09:00:00.000Z',
      voidedBy: null,
      voidReason: null,
    };
    const page = await render(['chair'], { ...IN_REVIEW, silence });
    const banner = page.querySelector('[data-testid="silence-banner"]') as HTMLElement;
    expect(banner.textContent).toContain('Silence broken');
    expect(banner.querySelector('[data-testid="silence-objection"]')?.textContent).toContain('IN');
    expect(banner.querySelector('[data-testid="silence-objection"]')?.textContent).toContain('Paragraph 2 goes too far.');
    expect(buttonLabels(page)).toContain('Start silence procedure');
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
    expect(dialog.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);

    // The content hash of revision 42 is fetched and shown before the chair may approve.
    http
      .expectOne('/api/proposals/p-1/revisions/42')
      .flush({
        revision: 42,
        contentHash: '9f86d081884c7d65',
        text: 'Zero recruitment fees for workers.',
        doc: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Zero', marks: [{ type: 'suggestionInsert', attrs: { id: 's1', authorId: 'u-9', at: '2026-01-11T09:00:00.000Z' } }] }] }],
        },
      });
    // And the unresolved comments: one open, one resolved; the workspace lets chairs approve with them open.
    http.expectOne('/api/proposals/p-1/threads').flush([{ id: 't1', status: 'open' }, { id: 't2', status: 'resolved' }]);
    http.expectOne('/api/workspaces/add').flush({ id: 'add', approvalNeedsClosedReview: false });
    await settle();
    expect(dialog.querySelector('[data-testid="approve-hash"]')?.textContent).toBe('9f86d081884c7d65');
    expect(dialog.textContent).toContain('5 words');
    expect(dialog.querySelector('[data-testid="approve-open-suggestions"]')?.textContent).toBe('1');
    expect(dialog.querySelector('[data-testid="approve-open-threads"]')?.textContent).toBe('1');
    expect(dialog.querySelector('[data-testid="approve-open-review"]')).not.toBeNull();
    expect(dialog.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(false);

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
    expect(dialog.textContent).not.toContain('different content hash');
  });

  it('does not let the chair approve when the revision cannot be fetched, and says why', async () => {
    await render(['chair']);
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('.cc-action-list button')?.click();
    await settle();
    http
      .expectOne('/api/proposals/p-1/revisions/42')
      .flush({ statusCode: 404, error: 'Not Found', message: 'Proposal p-1 has no revision 42' }, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/proposals/p-1/threads').flush([]);
    http.expectOne('/api/workspaces/add').flush({ id: 'add', approvalNeedsClosedReview: false });
    await settle();

    const dialog = document.querySelector('cc-approve-revision-dialog') as HTMLElement;
    expect(dialog.querySelector('[role="alert"]')?.textContent).toContain('Proposal p-1 has no revision 42');
    expect(dialog.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
  });

  it('does not let the chair approve while the review is open when the workspace requires it finished, and says so', async () => {
    await render(['chair']);
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('.cc-action-list button')?.click();
    await settle();
    http.expectOne('/api/proposals/p-1/revisions/42').flush({ revision: 42, contentHash: '9f86d081884c7d65', text: 'Zero fees.', doc: { type: 'doc', content: [] } });
    http.expectOne('/api/proposals/p-1/threads').flush([{ id: 't1', status: 'open' }]);
    http.expectOne('/api/workspaces/add').flush({ id: 'add', approvalNeedsClosedReview: true });
    await settle();
    const dialog = document.querySelector('cc-approve-revision-dialog') as HTMLElement;
    expect(dialog.querySelector('[data-testid="approve-open-review"]')?.textContent).toContain('This workspace approves a text only when its review is finished');
    expect(dialog.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
    dialog.querySelector('form')?.dispatchEvent(new Event('submit'));
    http.expectNone('/api/proposals/p-1/approvals');
  });

  it('shows the server reason when sending for review is refused', async () => {
    const page = await render(['drafter'], { ...IN_REVIEW, status: 'draft', reviewRevision: null });
    page.querySelector<HTMLButtonElement>('.cc-action-list button')?.click();
    // The current revision is re-read first, so the request names the latest text.
    http.expectOne('/api/proposals/p-1').flush({ ...IN_REVIEW, status: 'draft', reviewRevision: null, currentRevision: 43 });
    await settle();
    const send = http.expectOne('/api/proposals/p-1/review');
    expect(send.request.body).toEqual({ revision: 43 });
    send
      .flush({ statusCode: 409, error: 'Conflict', message: 'Revision 42 is not the latest' }, { status: 409, statusText: 'Conflict' });
    await settle();

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Revision 42 is not the latest');
  });

  it('opens the live document read-only for a chair, and for editing for a drafter', async () => {
    await render(['chair']);
    expect(connector.provider.room).toBe('p-1');
    expect(typeof connector.provider.nextTicket).toBe('function');
    expect(connector.persistences[0].name).toBe('concord:p-1:u-1');
    expect(fixture.debugElement.injector.get(ProposalDocumentSession).binding()?.readOnly).toBe(true);

    TestBed.resetTestingModule();
    await render(['drafter'], { ...IN_REVIEW, status: 'draft' });
    expect(fixture.debugElement.injector.get(ProposalDocumentSession).binding()?.readOnly).toBe(false);
  });

  it('closes the live document when the page is left', async () => {
    await render(['drafter']);
    fixture.destroy();
    expect(connector.provider.destroyed).toBe(true);
    expect(connector.persistences[0].destroyed).toBe(true);
  });

  it('tells that the approved text has changed, with a link to the changes since the approved revision', async () => {
    const page = await render(['chair'], {
      ...IN_REVIEW,
      status: 'approved',
      currentRevision: 57,
      approvedRevision: 42,
      approvalStale: true,
      approval: { revision: 42, contentHash: 'ab12', comment: null, approvedBy: 'u-1', at: '2026-01-11T10:00:00Z' },
    });

    const banner = page.querySelector('[data-testid="stale-banner"]') as HTMLElement;
    expect(banner.textContent).toContain('The approved text has changed since revision 42.');
    expect(banner.querySelector('a')?.getAttribute('href')).toBe('/history?from=42&to=57');
  });

  it('shows no banner while the approved text is unchanged', async () => {
    const page = await render(['chair'], { ...IN_REVIEW, status: 'approved', approvedRevision: 42, approvalStale: false });
    expect(page.querySelector('[data-testid="stale-banner"]')).toBeNull();
  });

  it('says the proposal is not available to someone without a role in its workspace, and opens no document', async () => {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: userWith([]) });
    connector = new FakeCollabConnector();
    TestBed.configureTestingModule({
      imports: [ProposalPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: COLLAB_CONNECTOR, useValue: connector },
        { provide: SESSION_STORAGE, useValue: { getItem: () => session, setItem: jest.fn(), removeItem: jest.fn() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProposalPage);
    fixture.componentRef.setInput('id', 'p-1');
    fixture.detectChanges();
    http
      .expectOne('/api/proposals/p-1')
      .flush({ statusCode: 404, error: 'Not found', message: 'Proposal p-1 does not exist or you have no role in its workspace' }, { status: 404, statusText: 'Not Found' });
    http.match(() => true).forEach((request) => request.flush([]));
    await settle();

    const page: HTMLElement = fixture.nativeElement;
    expect(page.querySelector('[data-testid="proposal-not-found"] h1')?.textContent).toBe('Proposal not available');
    expect(page.textContent).toContain('you have no role in its workspace');
    expect(page.querySelector('[role="alert"] button')).toBeNull();
    expect(connector.providers).toHaveLength(0);
  });
});
