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
  sections: [{ id: null, number: 1, question: 'Other contributions', proposalIds: ['p-1'], introductionId: null }],
  silence: null,
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
  proposalCoSponsors: [],
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

  async function render(
    roles: Role[],
    proposals: ProposalSummaryDto[] = [PROPOSAL],
    amendments: AmendmentDto[] = [],
    submission: SubmissionDto = SUBMISSION,
  ): Promise<HTMLElement> {
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
    http.expectOne('/api/submissions/s-1').flush(submission);
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

  describe('sections', () => {
    const SECOND: ProposalSummaryDto = { ...PROPOSAL, id: 'p-2', title: 'Skills passport', status: 'draft', approvedRevision: null };
    const THIRD: ProposalSummaryDto = { ...PROPOSAL, id: 'p-3', title: 'Return fund', status: 'draft', approvedRevision: null };
    const SECTIONED: SubmissionDto = {
      ...SUBMISSION,
      consultationId: 'gcm-ts3-2017',
      sections: [
        { id: 'q1', number: 1, question: 'What tools and frameworks?', proposalIds: ['p-2', 'p-1'], introductionId: null },
        { id: 'q2', number: 2, question: 'How were MiGOF and the MGI used?', proposalIds: [], introductionId: null },
        { id: null, number: 3, question: 'Other contributions', proposalIds: ['p-3'], introductionId: null },
      ],
    };
    const headings = (page: HTMLElement) => [...page.querySelectorAll('.cc-section-question')].map((h) => h.textContent?.replace(/\s+/g, ' ').trim());
    const titlesIn = (page: HTMLElement) =>
      [...page.querySelectorAll('[data-testid="submission-section"]')].map((section) =>
        [...section.querySelectorAll('.cc-proposal-link')].map((a) => a.textContent?.trim()),
      );
    const button = (page: HTMLElement, label: string) => page.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`) as HTMLButtonElement;

    it('shows numbered questions with their proposals in order, and no controls for a chair', async () => {
      const page = await render(['chair'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      expect(headings(page)).toEqual(['1. What tools and frameworks?', '2. How were MiGOF and the MGI used?', '3. Other contributions']);
      expect(titlesIn(page)).toEqual([['Skills passport', 'Fair recruitment corridor'], [], ['Return fund']]);
      expect(page.textContent).toContain('No proposal in this section yet.');
      expect(page.querySelector('[data-action]')).toBeNull();
    });

    it('lets a drafter move a proposal down, into the next section, and shows the order the server answers', async () => {
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      expect(button(page, 'Move up “Skills passport”').disabled).toBe(true);
      expect(button(page, 'Move down “Return fund”').disabled).toBe(true);

      button(page, 'Move down “Fair recruitment corridor”').click();
      const placement = http.expectOne({ method: 'POST', url: '/api/submissions/s-1/placements' });
      expect(placement.request.body).toEqual({ proposalId: 'p-1', sectionId: 'q2', index: 0 });
      placement.flush({
        ...SECTIONED,
        sections: [
          { ...SECTIONED.sections[0], proposalIds: ['p-2'] },
          { ...SECTIONED.sections[1], proposalIds: ['p-1'] },
          SECTIONED.sections[2],
        ],
      });
      await settle();
      expect(titlesIn(page)).toEqual([['Skills passport'], ['Fair recruitment corridor'], ['Return fund']]);
      expect(page.querySelector('[data-testid="placement-status"]')?.textContent).toBe('“Fair recruitment corridor” is now number 1 in section 2.');
    });

    it('moves a proposal to the end of the section chosen only when "Move" is pressed (choosing alone changes nothing, WCAG 3.2.2)', async () => {
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      const select = page.querySelector<HTMLSelectElement>('select[aria-label="Section of “Return fund”"]') as HTMLSelectElement;
      expect([...select.options].map((o) => o.textContent?.trim())).toEqual(['1. What tools and frameworks?', '2. How were MiGOF and the MGI used?', '3. Other contributions']);
      // Arrow keys in a select change its value step by step: none of these steps may move anything.
      for (const value of ['1', '0']) {
        select.value = value;
        select.dispatchEvent(new Event('change'));
        select.dispatchEvent(new Event('input'));
      }
      await settle();
      http.expectNone({ method: 'POST', url: '/api/submissions/s-1/placements' });

      button(page, 'Move “Return fund” to the section chosen').click();
      const placement = http.expectOne({ method: 'POST', url: '/api/submissions/s-1/placements' });
      expect(placement.request.body).toEqual({ proposalId: 'p-3', sectionId: 'q1', index: 2 });
      placement.flush({
        ...SECTIONED,
        sections: [{ ...SECTIONED.sections[0], proposalIds: ['p-2', 'p-1', 'p-3'] }, SECTIONED.sections[1], { ...SECTIONED.sections[2], proposalIds: [] }],
      });
      await settle();
      expect(titlesIn(page)).toEqual([['Skills passport', 'Fair recruitment corridor', 'Return fund'], [], []]);
      expect(page.querySelector('[data-testid="placement-status"]')?.textContent).toBe('“Return fund” is now number 3 in section 1.');
    });

    it('says so, and sends nothing, when "Move" is pressed with the section the proposal is already in', async () => {
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      button(page, 'Move “Return fund” to the section chosen').click();
      await settle();
      http.expectNone({ method: 'POST', url: '/api/submissions/s-1/placements' });
      expect(page.querySelector('[data-testid="placement-status"]')?.textContent).toBe(
        '“Return fund” is already in section 3. Choose another section, then Move.',
      );
    });

    it('places a row dropped by mouse at the index it was dropped at, in the section it was dropped on', async () => {
      await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      const page = fixture.componentInstance;
      // What CdkDropList emits when the row is dropped on the second section (data: the section's index).
      page['dropped']({ item: { data: 'p-3' }, container: { data: 1 }, previousContainer: { data: 2 }, currentIndex: 0, previousIndex: 0 } as never);
      const placement = http.expectOne({ method: 'POST', url: '/api/submissions/s-1/placements' });
      expect(placement.request.body).toEqual({ proposalId: 'p-3', sectionId: 'q2', index: 0 });
      placement.flush(SECTIONED);
      await settle();
      // Dropped where it was: nothing is sent.
      page['dropped']({ item: { data: 'p-1' }, container: { data: 0 }, previousContainer: { data: 0 }, currentIndex: 1, previousIndex: 1 } as never);
      http.expectNone({ method: 'POST', url: '/api/submissions/s-1/placements' });
      expect(page).toBeTruthy();
      expect(fixture.nativeElement.querySelectorAll('tr.cdk-drag').length).toBe(3);
    });

    it("offers a drafter to add a question's introduction, creates it and opens its editor", async () => {
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
      expect([...page.querySelectorAll('[data-action="add-introduction"]')].map((b) => b.getAttribute('aria-label'))).toEqual([
        'Add an introduction to section 1',
        'Add an introduction to section 2',
      ]);
      button(page, 'Add an introduction to section 2').click();
      http.expectOne({ method: 'POST', url: '/api/submissions/s-1/sections/q2/introduction' }).flush({ ...PROPOSAL, id: 'i-2', kind: 'introduction' });
      await settle();
      http.expectOne('/api/submissions/s-1').flush(SECTIONED);
      http.expectOne({ method: 'GET', url: '/api/proposals' }).flush([PROPOSAL, SECOND, THIRD]);
      await settle();
      expect(navigate).toHaveBeenCalledWith(['/proposals', 'i-2']);
    });

    it('shows an introduction under its question, its first words and a link, never as a proposal row', async () => {
      const INTRO: ProposalSummaryDto = { ...PROPOSAL, id: 'i-2', title: 'Introduction to section 2', kind: 'introduction', gcmObjectives: [], status: 'draft', currentRevision: 4 };
      const withIntro: SubmissionDto = { ...SECTIONED, sections: SECTIONED.sections.map((section) => (section.id === 'q2' ? { ...section, introductionId: 'i-2' } : section)) };
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD, INTRO], [], withIntro);
      http.expectOne('/api/proposals/i-2/revisions/4').flush({ revision: 4, contentHash: 'h', text: 'The MiGOF guides our reviews.\nSecond line.', doc: {} });
      await settle();
      const intro = page.querySelectorAll('[data-testid="submission-section"]')[1].querySelector('[data-testid="section-introduction"]') as HTMLElement;
      expect(intro.querySelector('[data-testid="introduction-text"]')?.textContent?.trim()).toBe('The MiGOF guides our reviews. Second line.');
      expect(intro.querySelector('a')?.getAttribute('href')).toBe('/proposals/i-2');
      expect(intro.querySelector('a')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Introduction — open to edit (section 2)');
      expect(titlesIn(page)).toEqual([['Skills passport', 'Fair recruitment corridor'], [], ['Return fund']]);
      expect(button(page, 'Add an introduction to section 2')).toBeNull();
    });

    it('tells the drafter why a move failed and shows the submission as recorded', async () => {
      const page = await render(['drafter'], [PROPOSAL, SECOND, THIRD], [], SECTIONED);
      button(page, 'Move up “Fair recruitment corridor”').click();
      http
        .expectOne({ method: 'POST', url: '/api/submissions/s-1/placements' })
        .flush({ statusCode: 409, message: 'The submission has been submitted and is locked.' }, { status: 409, statusText: 'Conflict' });
      await settle();
      http.expectOne('/api/submissions/s-1').flush(SECTIONED);
      await settle();
      const alert = page.querySelector('[role="alert"][data-testid="placement-error"]');
      expect(alert?.textContent).toContain('Could not move the proposal: The submission has been submitted and is locked.');
    });
  });

  describe('life cycle', () => {
    const stepButtons = (page: HTMLElement) =>
      [...page.querySelectorAll<HTMLButtonElement>('[data-testid="submission-lifecycle"] .cc-lifecycle__actions button')].map((b) => b.textContent?.trim());
    const stepButton = (page: HTMLElement, name: string) =>
      [...page.querySelectorAll<HTMLButtonElement>('[data-testid="submission-lifecycle"] button')].find((b) => b.textContent?.trim() === name) as HTMLButtonElement;
    const confirmButton = () => document.querySelector<HTMLButtonElement>('[data-testid="confirm-step"]');

    it('shows the status and offers each role only the step it may take in that status', async () => {
      const cases: Array<[Role[], SubmissionDto['status'], string[]]> = [
        [['drafter'], 'drafting', ['Send for approval']],
        [['chair'], 'drafting', ['Circulate under silence']],
        [['drafter'], 'review', []],
        [['chair'], 'review', ['Approve submission', 'Circulate under silence']],
        [['chair'], 'approved', ['Lock (submitted)']],
        [['admin'], 'approved', ['Lock (submitted)']],
        [['drafter'], 'approved', []],
        [['chair'], 'submitted', []],
        // A delegate breaks silence only while the submission is circulated.
        [['delegate'], 'review', []],
      ];
      for (const [roles, status, expected] of cases) {
        TestBed.resetTestingModule();
        const page = await render(roles, [PROPOSAL], [], { ...SUBMISSION, status });
        expect({ roles, status, steps: stepButtons(page) }).toEqual({ roles, status, steps: expected });
        expect(page.querySelector('[data-testid="submission-lifecycle"]')?.getAttribute('data-status')).toBe(status);
      }
      expect(fixture.nativeElement.querySelector('[data-testid="submission-status"]')?.textContent?.trim()).toBe('In review');
      expect(fixture.nativeElement.querySelector('[aria-current="step"]')?.textContent?.trim()).toBe('In review');
    });

    it('sends the submission for approval and shows it as the server answers', async () => {
      const page = await render(['drafter']);
      stepButton(page, 'Send for approval').click();
      const request = http.expectOne({ method: 'POST', url: '/api/submissions/s-1/send-for-approval' });
      request.flush({ ...SUBMISSION, status: 'review' });
      await settle();
      http.expectOne('/api/proposals').flush([PROPOSAL]);
      await settle();
      expect(page.querySelector('[data-testid="submission-status"]')?.textContent?.trim()).toBe('In review');
      expect(stepButtons(page)).toEqual([]);
      expect(page.querySelector('[data-testid="lifecycle-status"]')?.textContent).toBe('The submission was sent to the chair for approval.');
    });

    it('asks before approving, sends nothing when cancelled, and shows the server’s reason for a refusal', async () => {
      const page = await render(['chair'], [PROPOSAL], [], { ...SUBMISSION, status: 'review' });
      stepButton(page, 'Approve submission').click();
      await settle();
      expect(document.querySelector('cc-confirm-step-dialog h2')?.textContent).toBe('Approve the submission?');
      document.querySelector<HTMLButtonElement>('cc-confirm-step-dialog button:not([data-testid])')?.click();
      await settle();
      await fixture.whenStable();
      http.expectNone({ method: 'POST', url: '/api/submissions/s-1/approve' });

      stepButton(page, 'Approve submission').click();
      await settle();
      confirmButton()?.click();
      await fixture.whenStable();
      await settle();
      const reason = 'A submission can be approved only when the chair has approved the current text of each of its proposals; not approved: “Fair recruitment corridor”.';
      http
        .expectOne({ method: 'POST', url: '/api/submissions/s-1/approve' })
        .flush({ statusCode: 409, error: 'Conflict', message: reason }, { status: 409, statusText: 'Conflict' });
      await settle();
      http.expectOne('/api/submissions/s-1').flush({ ...SUBMISSION, status: 'review' });
      http.expectOne('/api/proposals').flush([PROPOSAL]);
      await settle();
      const alert = page.querySelector('[role="alert"][data-testid="lifecycle-error"]');
      expect(alert?.textContent).toContain(`The server refused: ${reason}`);
      expect(page.querySelector('[data-testid="submission-status"]')?.textContent?.trim()).toBe('In review');
    });

    it('locks an approved submission after the chair confirms', async () => {
      const page = await render(['chair'], [PROPOSAL], [], { ...SUBMISSION, status: 'approved' });
      stepButton(page, 'Lock (submitted)').click();
      await settle();
      expect(document.querySelector('[data-testid="confirm-consequence"]')?.textContent).toContain('This cannot be undone.');
      confirmButton()?.click();
      await fixture.whenStable();
      await settle();
      http.expectOne({ method: 'POST', url: '/api/submissions/s-1/lock' }).flush({ ...SUBMISSION, status: 'submitted' });
      await settle();
      http.expectOne('/api/proposals').flush([PROPOSAL]);
      await settle();
      expect(page.querySelector('[data-testid="submission-status"]')?.textContent?.trim()).toBe('Submitted');
      expect(page.querySelector('[data-testid="lifecycle-status"]')?.textContent).toBe('The submission is submitted and locked.');
    });
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
