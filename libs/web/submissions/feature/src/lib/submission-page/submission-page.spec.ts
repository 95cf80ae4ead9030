import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import type { AmendmentDto, ProposalSummaryDto, Role, SubmissionDto, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { SubmissionPage } from './submission-page';

const SUBMISSION: SubmissionDto = {
  id: 's-1',
  iscmId: 'add',
  consultation: 'IMRF 2026',
  title: 'ADD input to the IMRF',
  dueDate: '2026-03-31',
  status: 'drafting',
  proposalCounts: { approved: 1 },
  consultationId: null,
  sections: [{ id: null, number: 1, question: 'Other contributions', proposalIds: ['p-1'] }],
};

const PROPOSAL: ProposalSummaryDto = {
  id: 'p-1',
  title: 'Fair recruitment corridor',
  kind: 'agreement',
  status: 'approved',
  submissionId: 's-1',
  iscmId: 'add',
  gcmObjectives: [6],
  currentRevision: 12,
  approvedRevision: 12,
  approvalStale: false,
};

const AMENDMENT: AmendmentDto = {
  id: 'sg-1',
  proposalId: 'p-1',
  proposalTitle: 'Fair recruitment corridor',
  kind: 'deletion',
  author: { userId: 'u-priya', name: 'Priya Sharma (India)', memberState: { code: 'IN', name: 'India' } },
  textBefore: 'where possible',
  textAfter: '',
  madeRevision: 4,
  lastRevision: 4,
  madeAt: '2026-12-06T10:00:00Z',
  status: 'open',
  decidedBy: null,
  decidedAt: null,
  decidedRevision: null,
};

const KINDS = { types: [{ id: 'agreement', label: 'Agreement / partnership arrangement', definition: '' }, { id: 'policy', label: 'Policy / strategy', definition: '' }] };
const OBJECTIVES = { objectives: [{ number: 6, short_label: 'Fair recruitment', official_title: 'Facilitate fair and ethical recruitment', summary: '' }] };

describe('SubmissionPage', () => {
  let fixture: ComponentFixture<SubmissionPage>;
  let http: HttpTestingController;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  async function render(roles: Role[], proposals: ProposalSummaryDto[] = [PROPOSAL], amendments: AmendmentDto[] = []): Promise<HTMLElement> {
    const user: UserDto = { id: 'u-1', email: 'x@concord.demo', name: 'Alex', isAdmin: false, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles }] };
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user });
    TestBed.configureTestingModule({
      imports: [SubmissionPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        provideHttpClientTesting(),
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SubmissionPage);
    fixture.componentRef.setInput('id', 's-1');
    fixture.detectChanges();
    http.expectOne('/api/submissions/s-1').flush(SUBMISSION);
    http.expectOne('/api/proposals').flush(proposals);
    http.expectOne('/reference/practical-approach-types.json').flush(KINDS);
    http.expectOne('/reference/gcm-objectives.json').flush(OBJECTIVES);
    await settle();
    http.expectOne('/api/submissions/s-1/amendments').flush(amendments);
    await settle();
    return fixture.nativeElement;
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => overlay.remove());
  });

  it('shows the submission and a row per proposal', async () => {
    const page = await render(['chair']);

    expect(page.querySelector('h1')?.textContent).toBe('ADD input to the IMRF');
    expect(page.textContent).toContain('IMRF 2026');
    expect(page.textContent).toContain('March 31, 2026');
    const cells = [...page.querySelectorAll('tr.mat-mdc-row td')].map((td) => td.textContent?.trim());
    expect(cells).toEqual(['Fair recruitment corridor', 'Agreement / partnership arrangement', '6 · Fair recruitment', 'Approved', 'Approved at rev 12']);
    expect(page.textContent).not.toContain('New proposal');
  });

  it('lists the suggestions on all its proposals, naming the proposal of each', async () => {
    const page = await render(['chair'], [PROPOSAL], [AMENDMENT]);

    const section = page.querySelector('[data-testid="submission-amendments"]') as HTMLElement;
    expect(section.querySelector('h2')?.textContent).toBe('Amendments');
    expect(section.querySelector('caption')?.textContent).toBe('Suggestions on the texts of this submission');
    const cells = [...section.querySelectorAll('[data-testid="amendment-row"] > *')].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim());
    expect(cells.slice(0, 6)).toEqual(['Fair recruitment corridor', 'India', 'Priya Sharma (India)', 'deletes: where possible', '4', 'Open']);
  });

  it('explains an empty submission', async () => {
    const page = await render(['drafter'], []);

    expect(page.textContent).toContain('No proposal has been drafted for this submission yet.');
  });

  it('lets a drafter create a proposal and opens it', async () => {
    const page = await render(['drafter']);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const newProposal = [...page.querySelectorAll('button')].find((b) => b.textContent?.includes('New proposal'));
    newProposal?.click();
    await settle();

    const dialog = document.querySelector('cc-new-proposal-dialog') as HTMLElement;
    expect(dialog.querySelector('h2')?.textContent).toBe('New proposal');
    const title = dialog.querySelector<HTMLInputElement>('input[formcontrolname="title"]');
    if (!title) throw new Error('no title field');
    title.value = 'Skills passports';
    title.dispatchEvent(new Event('input'));

    // Submitting without kind and objectives shows the reasons and sends nothing.
    dialog.querySelector('form')?.dispatchEvent(new Event('submit'));
    await settle();
    expect(dialog.textContent).toContain('Choose the kind of practical approach.');
    http.expectNone('/api/proposals');

    await choose(dialog, 'mat-select[formcontrolname="kind"]', 'Policy / strategy');
    await choose(dialog, 'mat-select[formcontrolname="gcmObjectives"]', '6 · Fair recruitment');
    dialog.querySelector('form')?.dispatchEvent(new Event('submit'));
    const create = http.expectOne({ method: 'POST', url: '/api/proposals' });
    expect(create.request.body).toEqual({ title: 'Skills passports', kind: 'policy', gcmObjectives: [6], submissionId: 's-1' });
    create.flush({ id: 'p-new' });
    await settle();
    http.expectOne({ method: 'GET', url: '/api/proposals' }).flush([PROPOSAL]);
    await settle();

    expect(navigate).toHaveBeenCalledWith(['/proposals', 'p-new']);
  });

  async function choose(dialog: HTMLElement, selectSelector: string, optionText: string): Promise<void> {
    dialog.querySelector<HTMLElement>(`${selectSelector} .mat-mdc-select-trigger`)?.click();
    await settle();
    const option = [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) => o.textContent?.trim() === optionText);
    if (!option) throw new Error(`no option ${optionText}`);
    option.click();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle();
  }
});
