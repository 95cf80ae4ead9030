import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AmendmentDto } from '@concord/contracts';
import { ProposalStore } from '@concord/web/proposals/data-access';
import { AmendmentsPanel } from './amendments-panel';

const ACCEPTED: AmendmentDto = {
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
  status: 'accepted',
  decidedBy: { userId: 'u-dana', name: 'Dana Drafter', memberState: null },
  decidedAt: '2026-12-06T11:00:00Z',
  decidedRevision: 9,
};

describe('AmendmentsPanel', () => {
  let fixture: ComponentFixture<AmendmentsPanel>;
  let http: HttpTestingController;

  async function render(): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: ProposalStore, useValue: { proposalId: signal('p-1'), proposal: signal({ title: 'Employer pays' }) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AmendmentsPanel);
    await fixture.whenStable();
    return fixture.nativeElement;
  }

  async function settle(): Promise<void> {
    await Promise.resolve();
    await Promise.resolve();
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    fixture.destroy();
  });

  it('loads the proposal’s amendments and shows them in a captioned table', async () => {
    const page = await render();
    expect(page.textContent).toContain('Loading the amendments…');
    http.expectOne('/api/proposals/p-1/amendments').flush([ACCEPTED]);
    await settle();
    expect(page.querySelector('caption')?.textContent).toBe('Suggestions on “Employer pays”');
    expect(page.querySelector('[data-testid="amendment-status"]')?.textContent).toBe('Accepted');
    expect(page.querySelector('[data-testid="amendment-decided"]')?.textContent).toContain('Dana Drafter');
  });

  it('says when there are no suggestions yet', async () => {
    const page = await render();
    http.expectOne('/api/proposals/p-1/amendments').flush([]);
    await settle();
    expect(page.textContent).toContain('No suggestions have been made on this text yet.');
    expect(page.querySelector('table')).toBeNull();
  });

  it('shows why the list could not be read, and tries again', async () => {
    const page = await render();
    http.expectOne('/api/proposals/p-1/amendments').flush({ message: 'You have no role in this workspace.' }, { status: 403, statusText: 'Forbidden' });
    await settle();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('You have no role in this workspace.');
    (page.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    http.expectOne('/api/proposals/p-1/amendments').flush([ACCEPTED]);
    await settle();
    expect(page.querySelectorAll('[data-testid="amendment-row"]').length).toBe(1);
  });
});
