import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ProposalSummaryDto, RevisionDto } from '@concord/contracts';
import { ProposalReplayStore, REPLAY_DEBOUNCE_MS } from './proposal-replay.store';

const PROPOSAL: ProposalSummaryDto = {
  id: 'p-1',
  title: 'Skills passports',
  kind: 'policy',
  status: 'draft',
  submissionId: 's-1',
  iscmId: 'add',
  gcmObjectives: [18],
  currentRevision: 3,
  approvedRevision: null,
  approvalStale: false,
};

function revision(rev: number, text: string): RevisionDto {
  return { revision: rev, contentHash: `hash-${rev}`, text, doc: { type: 'doc' } };
}

describe('ProposalReplayStore', () => {
  let http: HttpTestingController;
  let store: ProposalReplayStore;

  async function settle(ms = 0): Promise<void> {
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(ms);
    TestBed.tick();
  }

  beforeEach(async () => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [ProposalReplayStore, provideHttpClient(), provideHttpClientTesting(), { provide: REPLAY_DEBOUNCE_MS, useValue: 200 }],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(ProposalReplayStore);
    await settle();
    http.expectNone('/api/proposals');

    store.start();
    await settle();
    http.expectOne('/api/proposals').flush([PROPOSAL, { ...PROPOSAL, id: 'p-0', title: 'Employer pays' }]);
    await settle();
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('lists the proposals by title and opens one at its newest revision, with its author', async () => {
    expect(store.proposals().map((p) => p.id)).toEqual(['p-0', 'p-1']);

    store.selectProposal('p-1');
    await settle(200);

    expect(store.revision()).toBe(3);
    expect(store.latestRevision()).toBe(3);
    http.expectOne('/api/proposals/p-1/revisions/3').flush(revision(3, 'Skills passports for all'));
    http
      .expectOne('/api/proposals/p-1/revisions?after=2&limit=1')
      .flush({ items: [{ revision: 3, userId: 'u-1', userName: 'Amina Rahman', at: '2026-01-01T00:00:00.000Z', kind: 'edit' }], next: null });
    await settle();

    expect(store.snapshot()).toMatchObject({ proposalId: 'p-1', revision: 3, contentHash: 'hash-3', text: 'Skills passports for all' });
    expect(store.snapshot()?.update?.userName).toBe('Amina Rahman');
  });

  it('fetches only the revision the slider rests on, keeping the last text meanwhile', async () => {
    store.selectProposal('p-1');
    await settle(200);
    http.expectOne('/api/proposals/p-1/revisions/3').flush(revision(3, 'three'));
    http.expectOne('/api/proposals/p-1/revisions?after=2&limit=1').flush({ items: [], next: null });
    await settle();

    store.setRevision(2);
    await settle(100);
    store.setRevision(1);
    await settle(100);
    store.setRevision(0);
    await settle(100);

    http.expectNone((request) => request.url.includes('/revisions/'));
    expect(store.snapshot()?.text).toBe('three');
    expect(store.snapshotLoading()).toBe(true);

    await settle(100);
    // Revision 0 is the empty document: no update produced it, so there is no timeline entry to read.
    http.expectOne('/api/proposals/p-1/revisions/0').flush(revision(0, ''));
    await settle();
    expect(store.snapshot()).toMatchObject({ revision: 0, text: '', update: null });
  });

  it('keeps the slider within 0 and the newest revision', () => {
    store.selectProposal('p-1');
    store.setRevision(9);
    expect(store.revision()).toBe(3);
    store.setRevision(-2);
    expect(store.revision()).toBe(0);
  });

  it('shows the server’s reason when a revision cannot be read', async () => {
    store.selectProposal('p-1');
    await settle(200);
    http
      .expectOne('/api/proposals/p-1/revisions/3')
      .flush({ statusCode: 404, error: 'Not Found', message: 'Proposal p-1 has no content revision 3' }, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/proposals/p-1/revisions?after=2&limit=1');
    await settle();

    expect(store.snapshotError()?.message).toBe('Proposal p-1 has no content revision 3');
  });
});
