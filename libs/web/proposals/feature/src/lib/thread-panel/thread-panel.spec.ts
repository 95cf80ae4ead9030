import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ThreadPanel } from './thread-panel';

describe('ThreadPanel', () => {
  afterEach(() => jest.useRealTimers());

  it('stops asking for threads once the server says the reader lost access, and says so', async () => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ThreadPanel);
    fixture.componentRef.setInput('proposalId', 'p-1');
    fixture.detectChanges();
    http.expectOne('/api/proposals/p-1/mentionable').flush([]);
    http.expectOne('/api/proposals/p-1/threads').flush([]);
    await Promise.resolve();

    // Removed from the workspace meanwhile: the next refresh is answered 404.
    jest.advanceTimersByTime(4_000);
    http
      .expectOne('/api/proposals/p-1/threads')
      .flush({ statusCode: 404, error: 'Not Found', message: 'Proposal p-1 does not exist or you have no role in its workspace' }, { status: 404, statusText: 'Not Found' });
    await Promise.resolve();
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="thread-error"]')?.textContent).toContain('your access to it has ended');

    // No more requests, however long the page stays open.
    jest.advanceTimersByTime(40_000);
    http.expectNone('/api/proposals/p-1/threads');
    http.verify();
  });
});
