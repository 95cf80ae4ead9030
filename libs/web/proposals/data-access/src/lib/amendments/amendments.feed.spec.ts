import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AmendmentDto } from '@concord/contracts';
import type { AmendmentSource } from './amendments-api';
import { AMENDMENTS_REFRESH_MS, AmendmentsFeed } from './amendments.feed';

const INSERTION: AmendmentDto = {
  id: 's-1',
  proposalId: 'p-1',
  proposalTitle: 'Employer pays',
  proposalCoSponsors: [],
  kind: 'insertion',
  author: { userId: 'u-priya', name: 'Priya Sharma (India)', memberState: { code: 'IN', name: 'India' } },
  textBefore: '',
  textAfter: 'all ',
  madeRevision: 7,
  lastRevision: 7,
  madeAt: '2026-12-06T10:00:00Z',
  status: 'open',
  decidedBy: null,
  decidedAt: null,
  decidedRevision: null,
};

describe('AmendmentsFeed', () => {
  let http: HttpTestingController;
  let source: ReturnType<typeof signal<AmendmentSource | null>>;
  let feed: AmendmentsFeed;

  beforeEach(() => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({ providers: [AmendmentsFeed, provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    feed = TestBed.inject(AmendmentsFeed);
    source = signal<AmendmentSource | null>({ kind: 'proposal', id: 'p-1' });
    feed.connect(source);
    TestBed.tick();
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  async function answer(url: string, body: AmendmentDto[]): Promise<void> {
    http.expectOne(url).flush(body);
    await Promise.resolve();
    await Promise.resolve();
  }

  it('reads the proposal’s amendments: loading, then the list, then empty when there are none', async () => {
    expect(feed.state()).toBe('loading');
    await answer('/api/proposals/p-1/amendments', [INSERTION]);
    expect(feed.state()).toBe('ready');
    expect(feed.amendments()).toEqual([INSERTION]);

    source.set({ kind: 'submission', id: 's 9' });
    TestBed.tick();
    expect(feed.state()).toBe('loading');
    await answer('/api/submissions/s%209/amendments', []);
    expect(feed.state()).toBe('empty');
  });

  it('asks again every few seconds and keeps the same array when nothing changed', async () => {
    await answer('/api/proposals/p-1/amendments', [INSERTION]);
    const shown = feed.amendments();

    jest.advanceTimersByTime(AMENDMENTS_REFRESH_MS);
    await answer('/api/proposals/p-1/amendments', [{ ...INSERTION }]);
    expect(feed.amendments()).toBe(shown);

    jest.advanceTimersByTime(AMENDMENTS_REFRESH_MS);
    await answer('/api/proposals/p-1/amendments', [{ ...INSERTION, status: 'accepted' }]);
    expect(feed.amendments()[0].status).toBe('accepted');
  });

  it('shows a failed first read as an error with the server’s reason, and reads again on retry', async () => {
    http.expectOne('/api/proposals/p-1/amendments').flush({ message: 'The log is being rebuilt.' }, { status: 503, statusText: 'Unavailable' });
    await Promise.resolve();
    await Promise.resolve();
    expect(feed.state()).toBe('error');
    expect(feed.error()?.message).toContain('The log is being rebuilt.');

    feed.retry();
    await answer('/api/proposals/p-1/amendments', [INSERTION]);
    expect(feed.state()).toBe('ready');
  });

  it('keeps what is shown when a background read fails', async () => {
    await answer('/api/proposals/p-1/amendments', [INSERTION]);
    jest.advanceTimersByTime(AMENDMENTS_REFRESH_MS);
    http.expectOne('/api/proposals/p-1/amendments').flush(null, { status: 500, statusText: 'Error' });
    await Promise.resolve();
    await Promise.resolve();
    expect(feed.state()).toBe('ready');
    expect(feed.error()).toBeNull();
  });
});
