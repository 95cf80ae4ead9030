import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AmendmentDto } from '@concord/contracts';
import { amendmentMemberStates, amendmentsShown, coSponsorsLabel, historyLink, textLink } from './amendment-filters';
import { AmendmentTable } from './amendment-table';

const INDIA = { code: 'IN', name: 'India' };
const UAE = { code: 'AE', name: 'United Arab Emirates' };

function amendment(overrides: Partial<AmendmentDto>): AmendmentDto {
  return {
    id: 's-1',
    proposalId: 'p-1',
    proposalTitle: 'Employer pays',
    proposalCoSponsors: [],
    kind: 'insertion',
    author: { userId: 'u-priya', name: 'Priya Sharma (India)', memberState: INDIA },
    textBefore: '',
    textAfter: 'all ',
    madeRevision: 7,
    lastRevision: 7,
    madeAt: '2026-12-06T10:00:00Z',
    status: 'open',
    decidedBy: null,
    decidedAt: null,
    decidedRevision: null,
    ...overrides,
  };
}

const INSERTION = amendment({});
const DELETION = amendment({
  id: 's-2',
  kind: 'deletion',
  author: { userId: 'u-khalid', name: 'Khalid Al Hammadi (United Arab Emirates)', memberState: UAE },
  textBefore: 'where possible',
  textAfter: '',
  madeRevision: 9,
  lastRevision: 9,
  status: 'rejected',
  decidedBy: { userId: 'u-drafter', name: 'Dana Drafter', memberState: null },
  decidedAt: '2026-12-06T11:00:00Z',
  decidedRevision: 12,
});
const REPLACEMENT = amendment({ id: 's-3', kind: 'replacement', textBefore: 'may', textAfter: 'shall', madeRevision: 1, status: 'accepted' });

describe('amendment filters', () => {
  it('lists the authors’ member states once each, by name', () => {
    expect(amendmentMemberStates([DELETION, INSERTION, REPLACEMENT])).toEqual([INDIA, UAE]);
  });

  it("names the proposal's co-sponsoring member states, or nothing when there are none", () => {
    expect(coSponsorsLabel(amendment({ proposalCoSponsors: [INDIA, UAE] }))).toBe('Co-sponsored by India, United Arab Emirates');
    expect(coSponsorsLabel(INSERTION)).toBe('');
  });

  it('filters by status and by member state, together', () => {
    const all = [INSERTION, DELETION, REPLACEMENT];
    expect(amendmentsShown(all, { status: 'all', memberState: '' })).toEqual(all);
    expect(amendmentsShown(all, { status: 'open', memberState: '' })).toEqual([INSERTION]);
    expect(amendmentsShown(all, { status: 'all', memberState: 'IN' })).toEqual([INSERTION, REPLACEMENT]);
    expect(amendmentsShown(all, { status: 'rejected', memberState: 'IN' })).toEqual([]);
  });

  it('links to the words in the text and to the revision that made the suggestion in the history', () => {
    expect(textLink(DELETION)).toEqual({ commands: ['/proposals', 'p-1'], queryParams: { suggestion: 's-2' } });
    expect(historyLink(DELETION)).toEqual({ commands: ['/proposals', 'p-1', 'history'], queryParams: { from: 8, to: 9 } });
    expect(historyLink(amendment({ madeRevision: 0, lastRevision: 0 })).queryParams).toEqual({ from: 0, to: 0 });
    expect(historyLink(amendment({ madeRevision: 4, lastRevision: 12 })).queryParams).toEqual({ from: 3, to: 12 });
  });
});

describe('AmendmentTable', () => {
  let fixture: ComponentFixture<AmendmentTable>;

  async function render(amendments: AmendmentDto[], showProposal = false): Promise<HTMLElement> {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(AmendmentTable);
    fixture.componentRef.setInput('amendments', amendments);
    fixture.componentRef.setInput('caption', 'Amendments to Employer pays');
    fixture.componentRef.setInput('showProposal', showProposal);
    await fixture.whenStable();
    return fixture.nativeElement;
  }

  const rows = (page: HTMLElement) => [...page.querySelectorAll<HTMLElement>('[data-testid="amendment-row"]')];
  const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim());

  async function choose(page: HTMLElement, testId: string, value: string): Promise<void> {
    const select = page.querySelector<HTMLSelectElement>(`[data-testid="${testId}"]`) as HTMLSelectElement;
    select.value = value;
    select.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  it('is a captioned table with header cells, and names each change for screen readers', async () => {
    const page = await render([INSERTION, DELETION, REPLACEMENT]);
    expect(page.querySelector('caption')?.textContent).toBe('Amendments to Employer pays');
    expect([...page.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual([
      'Member state', 'Author', 'Change', 'Made at revision', 'Status', 'Decided by', 'Links',
    ]);
    expect(cells(rows(page)[1]).slice(0, 6)).toEqual([
      'United Arab Emirates', 'Khalid Al Hammadi (United Arab Emirates)', 'deletes: where possible', '9', 'Rejected', expect.stringContaining('Dana Drafter'),
    ]);
    expect(rows(page)[2].querySelector('del')?.textContent).toBe('deletes: may');
    expect(rows(page)[2].querySelector('ins')?.textContent).toBe('inserts: shall');
    expect(cells(rows(page)[0])[5]).toBe('—not decided');
  });

  it('filters by status and member state, and says when nothing matches', async () => {
    const page = await render([INSERTION, DELETION, REPLACEMENT]);
    const options = [...page.querySelectorAll('[data-testid="amendment-member-state-filter"] option')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['All member states', 'India', 'United Arab Emirates']);

    await choose(page, 'amendment-member-state-filter', 'IN');
    expect(rows(page).map((row) => row.dataset['amendmentId'])).toEqual(['s-1', 's-3']);
    expect(page.querySelector('[data-testid="amendment-count"]')?.textContent?.trim()).toBe('Showing 2 of 3');

    await choose(page, 'amendment-status-filter', 'accepted');
    expect(rows(page).map((row) => row.dataset['amendmentId'])).toEqual(['s-3']);

    await choose(page, 'amendment-status-filter', 'rejected');
    expect(rows(page)).toEqual([]);
    expect(page.querySelector('[data-testid="amendments-none-shown"]')?.textContent).toContain('No amendments match these filters.');
  });

  it('links each row to the words in the text and to its change in the history', async () => {
    const page = await render([DELETION]);
    const text = page.querySelector<HTMLAnchorElement>('[data-testid="amendment-show-in-text"]');
    const history = page.querySelector<HTMLAnchorElement>('[data-testid="amendment-show-in-history"]');
    expect(text?.getAttribute('href')).toBe('/proposals/p-1?suggestion=s-2');
    expect(history?.getAttribute('href')).toBe('/proposals/p-1/history?from=8&to=9');
  });

  it('names the proposal of each row in a submission’s list', async () => {
    const page = await render([INSERTION], true);
    expect(page.querySelector('thead th')?.textContent?.trim()).toBe('Proposal');
    expect(cells(rows(page)[0])[0]).toBe('Employer pays');
  });
});
