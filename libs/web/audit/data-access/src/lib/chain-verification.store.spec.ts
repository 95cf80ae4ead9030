import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ChainVerificationDto } from '@concord/contracts';
import { ChainVerificationStore } from './chain-verification.store';

const OK: ChainVerificationDto = { ok: true, streamsChecked: 18, eventsChecked: 23, checkedAt: '2026-01-01T12:00:00.000Z', firstBreak: null };

describe('ChainVerificationStore', () => {
  let http: HttpTestingController;
  let store: ChainVerificationStore;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [ChainVerificationStore, provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(ChainVerificationStore);
  });

  afterEach(() => http.verify());

  it('reads the last run, then re-runs on demand while showing it as busy', () => {
    store.loadLast();
    expect(store.isLoading()).toBe(true);
    http.expectOne('/api/audit/verify?cached=true').flush(OK);
    expect(store.result()).toEqual(OK);

    store.rerun();
    expect(store.isRunning()).toBe(true);
    store.rerun();
    const rerun = http.expectOne('/api/audit/verify?cached=false');
    rerun.flush({ ...OK, eventsChecked: 24 });

    expect(store.isRunning()).toBe(false);
    expect(store.result()?.eventsChecked).toBe(24);
  });

  it('keeps the previous result when a re-run fails, with the server’s reason', () => {
    store.loadLast();
    http.expectOne('/api/audit/verify?cached=true').flush(OK);

    store.rerun();
    http
      .expectOne('/api/audit/verify?cached=false')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'Only auditors and administrators may read the event log' }, { status: 403, statusText: 'Forbidden' });

    expect(store.result()).toEqual(OK);
    expect(store.error()?.message).toBe('Only auditors and administrators may read the event log');
    expect(store.isBusy()).toBe(false);
  });
});
