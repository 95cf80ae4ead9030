import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, type TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { AuditEventDto, ChainVerificationDto, UserDto, WorkspaceDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { AuditPage } from './audit-page';

const AUDITOR: UserDto = {
  id: 'u-auditor',
  email: 'auditor@concord.demo',
  name: 'Jonas Lindqvist',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['auditor'] }],
};

const WORKSPACES: WorkspaceDto[] = [
  {
    id: 'add',
    abbreviation: 'ADD',
    name: 'Abu Dhabi Dialogue',
    type: 'IRF',
    members: [{ userId: 'u-drafter', name: 'Amina Rahman', email: 'drafter1@concord.demo', roles: ['drafter'], memberState: null }],
  },
];

const VERIFIED: ChainVerificationDto = { ok: true, streamsChecked: 2, eventsChecked: 3, checkedAt: '2026-01-05T10:30:00.000Z', firstBreak: null };

function event(position: number, extra: Partial<AuditEventDto> = {}): AuditEventDto {
  const at = '2026-01-05T10:00:00.000Z';
  return {
    position,
    stream: 'proposal-p1',
    revision: position - 11,
    type: 'ProposalCreated',
    userId: 'u-drafter',
    at,
    data: { title: 'Skills passports' },
    metadata: { userId: 'u-drafter', at, eventId: `e-${position}`, prevHash: '0'.repeat(64), hash: `${position}`.padEnd(64, 'f') },
    ...extra,
  };
}

describe('AuditPage', () => {
  let fixture: ComponentFixture<AuditPage>;
  let http: HttpTestingController;
  let page: HTMLElement;

  async function settle(): Promise<void> {
    // Not whenStable(): HTTP requests left open on purpose keep the app from being stable.
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  function expectEvents(): TestRequest {
    return http.expectOne((request) => request.url === '/api/audit/events');
  }

  function button(text: string, root: ParentNode = page): HTMLButtonElement {
    const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);
    if (!found) throw new Error(`no button "${text}"`);
    return found;
  }

  beforeEach(async () => {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: AUDITOR });
    TestBed.configureTestingModule({
      imports: [AuditPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        {
          provide: SESSION_STORAGE,
          useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AuditPage);
    page = fixture.nativeElement;
    await settle();
    http.expectOne('/api/audit/verify?cached=true').flush(VERIFIED);
    http.expectOne('/api/workspaces').flush(WORKSPACES);
    expectEvents().flush({
      items: [event(11, { userId: 'system', type: 'WorkspaceRegistered', stream: 'iscm-add', revision: 0 }), event(12)],
      next: 12,
    });
    await settle();
  });

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => overlay.remove());
  });

  it('shows the verification result and a row per event with the name of its user', () => {
    expect(page.querySelector('h1')?.textContent).toBe('Audit');
    expect(page.querySelector('cc-chain-verification-status')?.textContent).toContain('2 streams / 3 events checked');
    const rows = [...page.querySelectorAll('tr.mat-mdc-row')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim()),
    );
    expect(rows.map((cells) => [cells[0], cells[2], cells[3], cells[4], cells[5]])).toEqual([
      ['11', 'iscm-add', '0', 'WorkspaceRegistered', 'System'],
      ['12', 'proposal-p1', '1', 'ProposalCreated', 'Amina Rahman'],
    ]);
    expect(page.textContent).toContain('Showing 2 events');
  });

  it('loads more events after the last one shown', async () => {
    button('Load more').click();
    const more = expectEvents();
    expect(more.request.params.get('after')).toBe('12');
    more.flush({ items: [event(13)], next: null });
    await settle();

    expect(page.querySelectorAll('tr.mat-mdc-row')).toHaveLength(3);
    expect(page.textContent).toContain('End of the log for these filters.');
  });

  it('filters by a stream prefix', async () => {
    const stream = page.querySelector<HTMLInputElement>('input[formcontrolname="stream"]');
    if (!stream) throw new Error('no stream field');
    stream.value = 'iscm-*';
    stream.dispatchEvent(new Event('input'));
    page.querySelector('form')?.dispatchEvent(new Event('submit'));

    const filtered = expectEvents();
    expect(filtered.request.params.get('stream')).toBe('iscm-*');
    expect(filtered.request.params.has('after')).toBe(false);
    filtered.flush({ items: [], next: null });
    await settle();

    expect(page.textContent).toContain('No recorded event matches these filters.');
  });

  it('opens an event’s details with its data and both hashes', async () => {
    const details = page.querySelector<HTMLButtonElement>('button[aria-label="Details of the event at position 12"]');
    details?.click();
    await settle();

    const dialog = document.querySelector('cc-event-details-dialog') as HTMLElement;
    expect(dialog.querySelector('h2')?.textContent).toBe('Event at position 12');
    expect(dialog.querySelector('[data-testid="prev-hash"]')?.textContent).toBe('0'.repeat(64));
    expect(dialog.querySelector('[data-testid="hash"]')?.textContent).toBe('12'.padEnd(64, 'f'));
    expect(dialog.textContent).toContain('"title": "Skills passports"');
    expect(dialog.textContent).toContain('"eventId": "e-12"');

    button('Show only this stream', dialog).click();
    await settle();
    expect(expectEvents().request.params.get('stream')).toBe('proposal-p1');
  });

  it('shows a binary payload as its size', async () => {
    button('Load more').click();
    expectEvents().flush({ items: [event(13, { type: 'ContentUpdated', data: { binary: true, bytes: 1311 } })], next: null });
    await settle();

    page.querySelector<HTMLButtonElement>('button[aria-label="Details of the event at position 13"]')?.click();
    await settle();

    const dialog = document.querySelector('cc-event-details-dialog') as HTMLElement;
    expect(dialog.textContent).toContain('Binary payload, 1,311 bytes (not shown)');
  });

  it('re-runs the verification and marks the first broken event', async () => {
    button('Re-run verification').click();
    await settle();
    http.expectOne('/api/audit/verify?cached=false').flush({
      ...VERIFIED,
      ok: false,
      firstBreak: { stream: 'proposal-p1', revision: 1, reason: 'hash mismatch' },
    });
    await settle();

    expect(page.querySelector('.cc-verification__result--broken')).not.toBeNull();
    const brokenRows = page.querySelectorAll('tr.cc-row--broken');
    expect(brokenRows).toHaveLength(1);
    expect(brokenRows[0].textContent).toContain('Chain broken here');
  });
});
