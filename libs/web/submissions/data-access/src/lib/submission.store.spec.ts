import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ProposalSummaryDto, SubmissionDto, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { SubmissionStore } from './submission.store';

const DRAFTER: UserDto = {
  id: 'u-drafter',
  email: 'drafter1@concord.demo',
  name: 'Dana Drafter',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['drafter'] }],
};

const SUBMISSION: SubmissionDto = {
  id: 's-1',
  iscmId: 'add',
  consultation: 'IMRF 2026',
  title: 'ADD input to the IMRF',
  dueDate: '2026-03-31',
  status: 'drafting',
  proposalCounts: { draft: 1 },
  consultationId: null,
  sections: [{ id: null, number: 1, question: 'Other contributions', proposalIds: [], introductionId: null }],
  silence: null,
};

function summary(id: string, submissionId: string, extra: Partial<ProposalSummaryDto> = {}): ProposalSummaryDto {
  return {
    id,
    title: `Proposal ${id}`,
    kind: 'policy',
    status: 'draft',
    submissionId,
    iscmId: 'add',
    gcmObjectives: [1, 6],
    currentRevision: 3,
    approvedRevision: null,
    approvalStale: false,
    ...extra,
  };
}

describe('SubmissionStore', () => {
  let http: HttpTestingController;
  let store: SubmissionStore;

  function settle(): Promise<void> {
    TestBed.tick();
    return Promise.resolve().then(() => TestBed.tick());
  }

  beforeEach(async () => {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: DRAFTER });
    TestBed.configureTestingModule({
      providers: [
        SubmissionStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SubmissionStore);
    store.connect(signal('s-1'));
    await settle();
    http.expectOne('/api/submissions/s-1').flush(SUBMISSION);
    http
      .expectOne('/api/proposals')
      .flush([
        summary('p-1', 's-1', { approvedRevision: 2, approvalStale: true }),
        summary('p-2', 's-other'),
      ]);
    http.expectOne('/reference/practical-approach-types.json').flush({ types: [{ id: 'policy', label: 'Policy / strategy', definition: '' }] });
    http.expectOne('/reference/gcm-objectives.json').flush({
      objectives: [
        { number: 1, short_label: 'Data and evidence', official_title: 'Collect and utilize data', summary: '' },
        { number: 6, short_label: 'Fair recruitment', official_title: 'Facilitate fair and ethical recruitment', summary: '' },
      ],
    });
    await settle();
  });

  afterEach(() => http.verify());

  it('lists only this submission’s proposals, with labels from the reference data', () => {
    expect(store.proposalRows()).toEqual([
      {
        id: 'p-1',
        title: 'Proposal p-1',
        kindLabel: 'Policy / strategy',
        objectives: [
          { number: 1, shortLabel: 'Data and evidence', officialTitle: 'Collect and utilize data', summary: '' },
          { number: 6, shortLabel: 'Fair recruitment', officialTitle: 'Facilitate fair and ethical recruitment', summary: '' },
        ],
        status: 'draft',
        approval: { approvedRevision: 2, approvalStale: true },
        currentRevision: 3,
        introduction: false,
      },
    ]);
  });

  it('lets a drafter of the workspace create proposals', () => {
    expect(store.canCreateProposal()).toBe(true);
  });

  it('creates a proposal in this submission and refreshes the list', async () => {
    const created = store.createProposal({ title: '  Skills passports ', kind: 'policy', gcmObjectives: [18] });
    const request = http.expectOne('/api/proposals');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ title: 'Skills passports', kind: 'policy', gcmObjectives: [18], submissionId: 's-1' });
    request.flush({ id: 'p-new' });

    await expect(created).resolves.toBe('p-new');
    await settle();
    http.expectOne('/api/proposals').flush([]);
  });

  it('rejects with every field reason the server gave', async () => {
    const created = store.createProposal({ title: 'x', kind: 'nonsense', gcmObjectives: [] });
    http
      .expectOne('/api/proposals')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: ['kind must be a practical approach type', 'gcmObjectives should not be empty'] },
        { status: 400, statusText: 'Bad Request' },
      );

    await expect(created).rejects.toMatchObject({
      reasons: ['kind must be a practical approach type', 'gcmObjectives should not be empty'],
    });
  });

  it('offers a drafter of a submission in drafting to send it for approval, and nothing else', () => {
    expect(store.permissions()).toEqual({ canSendForApproval: true, canApprove: false, canLock: false, canRunSilence: false, canObjectToSilence: false });
  });

  it('sends a step and shows the submission the server answers', async () => {
    const acted = store.act('send-for-approval');
    expect(store.acting()).toBe('send-for-approval');
    const request = http.expectOne('/api/submissions/s-1/send-for-approval');
    expect(request.request.method).toBe('POST');
    request.flush({ ...SUBMISSION, status: 'review' });
    await expect(acted).resolves.toBe(true);
    await settle();
    http.expectOne('/api/proposals').flush([]);
    expect(store.submission()?.status).toBe('review');
    expect(store.acting()).toBeNull();
    expect(store.actionError()).toBeNull();
    expect(store.permissions().canSendForApproval).toBe(false);
  });

  it('keeps the server’s reason for a refused step and reads the submission again', async () => {
    const acted = store.act('approve');
    http
      .expectOne('/api/submissions/s-1/approve')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'Only a chair of this workspace may approve a submission.' }, { status: 403, statusText: 'Forbidden' });
    await expect(acted).resolves.toBe(false);
    expect(store.actionError()).toBe('Only a chair of this workspace may approve a submission.');
    await settle();
    http.expectOne('/api/submissions/s-1').flush(SUBMISSION);
    http.expectOne('/api/proposals').flush([]);
    store.dismissActionError();
    expect(store.actionError()).toBeNull();
  });

  it("creates a section's introduction, answers its id, and shows it under its question, not among the proposals", async () => {
    const created = store.addIntroduction('q2');
    expect(store.addingIntroduction()).toBe('q2');
    const request = http.expectOne('/api/submissions/s-1/sections/q2/introduction');
    expect(request.request.method).toBe('POST');
    request.flush({ id: 'i-2' });
    await expect(created).resolves.toBe('i-2');
    expect(store.addingIntroduction()).toBeNull();
    await settle();
    http.expectOne('/api/submissions/s-1').flush({
      ...SUBMISSION,
      consultationId: 'gcm-ts3-2017',
      sections: [
        { id: 'q2', number: 2, question: 'Partnerships?', proposalIds: ['p-1'], introductionId: 'i-2' },
        { id: null, number: 3, question: 'Other contributions', proposalIds: [], introductionId: null },
      ],
    });
    http.expectOne('/api/proposals').flush([summary('p-1', 's-1'), summary('i-2', 's-1', { kind: 'introduction', gcmObjectives: [] })]);
    await settle();
    const [q2, other] = store.sections();
    expect(q2.introduction?.id).toBe('i-2');
    expect(q2.introduction?.kindLabel).toBe('Section introduction');
    expect(q2.rows.map((row) => row.id)).toEqual(['p-1']);
    expect(other.rows).toEqual([]);
    // Its first lines are read from its current revision.
    http.expectOne('/api/proposals/i-2/revisions/3').flush({ revision: 3, contentHash: 'h', text: 'Partnerships matter.\nTwo examples follow.', doc: {} });
    await settle();
    expect(store.introductionTexts().get('i-2')).toBe('Partnerships matter.\nTwo examples follow.');
  });

  it("rejects with the server's reason when the section has an introduction already", async () => {
    const created = store.addIntroduction('q2');
    http
      .expectOne('/api/submissions/s-1/sections/q2/introduction')
      .flush({ statusCode: 409, error: 'Conflict', message: 'Section q2 has an introduction already (proposal i-1); edit that one.' }, { status: 409, statusText: 'Conflict' });
    await expect(created).rejects.toMatchObject({ message: expect.stringContaining('has an introduction already') });
    await settle();
    http.expectOne('/api/submissions/s-1').flush(SUBMISSION);
  });
});
