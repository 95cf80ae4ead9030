import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { ConsultationDto, SubmissionDto } from '@concord/contracts';
import { OpenSubmissionDialog } from './open-submission-dialog';

const CONSULTATIONS: ConsultationDto[] = [
  {
    id: 'gcm-ts1-2017',
    number: 1,
    title: 'First informal thematic session',
    theme: 'Human rights',
    venue: 'Geneva',
    startDate: '2017-05-08',
    endDate: '2017-05-09',
    questions: [],
  },
  {
    id: 'gcm-ts3-2017',
    number: 3,
    title: 'Third informal thematic session',
    theme: 'International cooperation',
    venue: 'Geneva',
    startDate: '2017-06-19',
    endDate: '2017-06-20',
    questions: [
      { id: 'q1', question: 'What tools and frameworks?' },
      { id: 'q2', question: 'How were MiGOF and the MGI used?' },
    ],
  },
];

const OPENED: SubmissionDto = {
  id: 's-new',
  iscmId: 'add',
  consultation: 'Third informal thematic session',
  title: 'ADD input',
  dueDate: '2026-03-31',
  status: 'drafting',
  proposalCounts: {},
  consultationId: 'gcm-ts3-2017',
  sections: [],
};

describe('OpenSubmissionDialog', () => {
  let fixture: ComponentFixture<OpenSubmissionDialog>;
  let http: HttpTestingController;
  let dialogRef: { close: jest.Mock; disableClose: boolean };
  let root: HTMLElement;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  beforeEach(async () => {
    dialogRef = { close: jest.fn(), disableClose: false };
    TestBed.configureTestingModule({
      imports: [OpenSubmissionDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: MAT_DIALOG_DATA, useValue: { iscmId: 'add', workspaceName: 'Abu Dhabi Dialogue' } },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OpenSubmissionDialog);
    fixture.detectChanges();
    http.expectOne('/api/consultations').flush(CONSULTATIONS);
    await settle();
    root = fixture.nativeElement;
  });

  afterEach(() => http.verify());

  const type = (selector: string, value: string) => {
    const input = root.querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no ${selector}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const chooseRadio = async (text: string) => {
    const radio = [...root.querySelectorAll<HTMLElement>('mat-radio-button')].find((r) => r.textContent?.includes(text));
    radio?.querySelector<HTMLInputElement>('input')?.click();
    await settle();
  };
  const submit = async () => {
    root.querySelector('form')?.dispatchEvent(new Event('submit'));
    await settle();
  };

  it('lists the consultations with number, title and dates, and "Other consultation"', () => {
    const choices = [...root.querySelectorAll('mat-radio-button')].map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    expect(choices).toEqual([
      '1. First informal thematic session May 8, 2017 – May 9, 2017 · Geneva',
      '3. Third informal thematic session Jun 19, 2017 – Jun 20, 2017 · Geneva',
      'Other consultation',
    ]);
  });

  it('previews the guiding questions of the consultation chosen', async () => {
    await chooseRadio('Third informal');
    const preview = root.querySelector('[data-testid="consultation-preview"]');
    expect([...(preview?.querySelectorAll('li') ?? [])].map((li) => li.textContent?.trim())).toEqual([
      'What tools and frameworks?',
      'How were MiGOF and the MGI used?',
    ]);
    await chooseRadio('First informal');
    expect(root.querySelector('[data-testid="consultation-preview"]')?.textContent).toContain('No guiding questions are recorded');
  });

  it('says what is missing, tied to each field, and sends nothing', async () => {
    await submit();
    http.expectNone('/api/submissions');
    const title = root.querySelector('input[formcontrolname="title"]');
    expect(title?.getAttribute('aria-invalid')).toBe('true');
    const titleError = root.querySelector('mat-error');
    expect(titleError?.textContent).toContain('Give the submission a title.');
    expect(title?.getAttribute('aria-describedby')).toContain(titleError?.id);
    const group = root.querySelector('mat-radio-group');
    expect(group?.getAttribute('aria-invalid')).toBe('true');
    expect(group?.getAttribute('aria-describedby')).toBe('cc-consultation-error');
    expect(root.querySelector('#cc-consultation-error')?.textContent).toContain('Choose the consultation');
    expect(root.textContent).toContain('Give the date the submission is due.');
    expect(root.querySelector('input[formcontrolname="dueDate"]')?.getAttribute('aria-invalid')).toBe('true');

    await chooseRadio('Other consultation');
    type('input[formcontrolname="title"]', 'ADD input');
    type('input[formcontrolname="dueDate"]', '2026-03-31');
    await submit();
    http.expectNone('/api/submissions');
    expect(root.querySelector('input[formcontrolname="otherConsultation"]')?.getAttribute('aria-describedby')).toContain('cc-other-error');
    expect(root.querySelector('#cc-other-error')?.textContent).toContain('Name the consultation.');
  });

  it('opens the submission for the consultation chosen and closes with its id', async () => {
    type('input[formcontrolname="title"]', '  ADD input ');
    await chooseRadio('Third informal');
    type('input[formcontrolname="dueDate"]', '2026-03-31');
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/submissions' });
    expect(request.request.body).toEqual({ iscmId: 'add', title: 'ADD input', consultationId: 'gcm-ts3-2017', dueDate: '2026-03-31' });
    request.flush(OPENED);
    await settle();
    await fixture.whenStable();
    expect(dialogRef.close).toHaveBeenCalledWith('s-new');
  });

  it('sends a consultation named in free text, and shows the server’s reason when it refuses', async () => {
    type('input[formcontrolname="title"]', 'ADD input');
    await chooseRadio('Other consultation');
    type('input[formcontrolname="otherConsultation"]', 'IMRF 2026');
    type('input[formcontrolname="dueDate"]', '2026-03-31');
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/submissions' });
    expect(request.request.body).toEqual({ iscmId: 'add', title: 'ADD input', consultation: 'IMRF 2026', dueDate: '2026-03-31' });
    request.flush(
      { statusCode: 403, error: 'Forbidden', message: 'Only a drafter of this workspace may open a submission.' },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();
    await fixture.whenStable();
    await settle();
    const alert = root.querySelector('[role="alert"][data-testid="open-submission-failure"]');
    expect(alert?.textContent).toContain('The submission was not opened. Only a drafter of this workspace may open a submission.');
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
