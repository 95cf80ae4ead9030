import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { ProposalDetailDto, RevisionItemDto, Role, ThreadDto, UserDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';
import { ProposalStore, authorColor } from '@concord/web/proposals/data-access';
import { HistoryPanel } from './history-panel';

const PROPOSAL: ProposalDetailDto = {
  id: 'p-1',
  title: 'Fair recruitment corridor',
  kind: 'policy',
  status: 'in_review',
  submissionId: 's-1',
  iscmId: 'add',
  submissionStatus: 'review',
  gcmObjectives: [6],
  currentRevision: 6,
  approvedRevision: null,
  approvalStale: false,
  summary: '',
  createdAt: '2026-11-30T09:00:00Z',
  createdBy: 'u-amina',
  reviewRevision: 6,
  approval: null,
  changeRequests: [],
  versions: [{ revision: 3, label: 'First full draft', namedBy: 'u-amina', at: '2026-11-30T09:30:00Z' }],
};

const REVISIONS: RevisionItemDto[] = [
  { revision: 1, userId: 'u-amina', userName: 'Amina Rahman', at: '2026-11-30T09:00:00Z', kind: 'seed' },
  { revision: 2, userId: 'u-amina', userName: 'Amina Rahman', at: '2026-11-30T09:01:00Z', kind: 'edit' },
  { revision: 3, userId: 'u-amina', userName: 'Amina Rahman', at: '2026-11-30T09:02:00Z', kind: 'edit' },
  { revision: 4, userId: 'u-rohan', userName: 'Rohan Perera', at: '2026-11-30T09:03:00Z', kind: 'edit' },
  { revision: 5, userId: 'u-rohan', userName: 'Rohan Perera', at: '2026-11-30T09:04:00Z', kind: 'edit' },
  { revision: 6, userId: 'u-rohan', userName: 'Rohan Perera', at: '2026-11-30T09:05:00Z', kind: 'edit' },
];

/** A delegate's thread as it stood at revision 3: open, her comment only (the reply came later). */
const THREAD_AT_3: ThreadDto = {
  id: 't-1',
  proposalId: 'p-1',
  anchor: { from: 'AQ==', to: 'Ag==' },
  quote: 'Zero fees',
  status: 'open',
  openedBy: 'u-priya',
  openedByName: 'Priya Sharma (India)',
  openedAt: '2026-11-30T09:02:30Z',
  revision: 3,
  resolvedBy: null,
  resolvedByName: null,
  resolvedAt: null,
  messages: [
    {
      id: 't-1',
      authorId: 'u-priya',
      authorName: 'Priya Sharma (India)',
      authorMemberState: { code: 'IN', name: 'India' },
      body: 'Zero for whom?',
      mentions: [],
      at: '2026-11-30T09:02:30Z',
      revision: 3,
    },
  ],
};

function userWith(roles: Role[]): UserDto {
  return { id: 'u-me', email: 'me@concord.demo', name: 'Me', isAdmin: false, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles }] };
}

// Rendering the panel with Material and a ProseMirror view takes seconds on a loaded 2-core CI machine.
jest.setTimeout(20_000);

describe('HistoryPanel', () => {
  let fixture: ComponentFixture<HistoryPanel>;
  let http: HttpTestingController;

  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve));
      fixture.detectChanges();
    }
  }

  async function render(roles: Role[], query: { rev?: string; from?: string; to?: string } = {}, timeline: RevisionItemDto[] = REVISIONS): Promise<HTMLElement> {
    const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: userWith(roles) });
    TestBed.configureTestingModule({
      imports: [HistoryPanel],
      providers: [
        ProposalStore,
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE, useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: jest.fn(), removeItem: jest.fn() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(ProposalStore).connect(signal('p-1'));
    fixture = TestBed.createComponent(HistoryPanel);
    for (const [name, value] of Object.entries(query)) {
      fixture.componentRef.setInput(name, value);
    }
    fixture.detectChanges();
    await settle();
    http.expectOne('/api/proposals/p-1').flush(PROPOSAL);
    http.match('/api/workspaces').forEach((request) => request.flush([]));
    http.match((request) => request.url.startsWith('/reference/')).forEach((request) => request.flush({ types: [], objectives: [] }));
    await settle();
    http.expectOne((request) => request.url === '/api/proposals/p-1/revisions').flush({ items: timeline, next: null });
    await settle();
    return fixture.nativeElement;
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => overlay.remove());
  });

  it('shows the editing sessions newest first, with authors, revisions and named versions', async () => {
    const page = await render(['auditor']);

    const sessions = [...page.querySelectorAll('[data-testid="timeline-session"]')].map((s) => s.textContent?.replace(/\s+/g, ' ').trim());
    expect(sessions).toHaveLength(3);
    expect(sessions[0]).toContain('Rohan Perera');
    expect(sessions[0]).toContain('Revisions 4–6 · 3 edits');
    expect(sessions[1]).toContain('Amina Rahman');
    expect(sessions[1]).toContain('Revisions 2–3');
    expect(sessions[1]).toContain('★ “First full draft” at revision 3');
    expect(sessions[2]).toContain('first text');
    expect(page.querySelector('[data-testid="named-version"]')?.textContent).toContain('First full draft');
    const swatch = page.querySelector('[data-testid="timeline-session"] .cc-swatch') as HTMLElement;
    expect(swatch.style.backgroundColor).toBe(hexToRgb(authorColor('u-rohan')));
  });

  it('opens a revision read-only, without restore or naming for an auditor', async () => {
    const page = await render(['auditor'], { rev: '3' });
    http.expectOne('/api/proposals/p-1/revisions/3').flush({
      revision: 3,
      contentHash: 'a'.repeat(64),
      text: 'Zero fees.',
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Zero fees.' }] }] },
    });
    http.expectOne('/api/proposals/p-1/threads?atRevision=3').flush([THREAD_AT_3]);
    await settle();

    const view = page.querySelector('[data-testid="revision-view"]') as HTMLElement;
    expect(view.querySelector('h4')?.textContent).toContain('Revision 3');
    expect(view.textContent).toContain('Amina Rahman');
    expect(view.querySelector('[data-testid="revision-hash"]')?.textContent).toBe('a'.repeat(64));
    const text = view.querySelector('.ProseMirror') as HTMLElement;
    expect(text.textContent).toBe('Zero fees.');
    expect(text.getAttribute('contenteditable')).toBe('false');
    const buttons = [...view.querySelectorAll('button')].map((b) => b.textContent?.trim());
    // Reading is all an auditor does here: the revision as a document is the only thing offered.
    expect(buttons).toEqual(['Download revision 3 (DOCX)', 'Download revision 3 (PDF)']);
    // Beside the text, the comments as they stood at revision 3, read-only.
    const threads = view.querySelector('[data-testid="revision-threads"]') as HTMLElement;
    expect(threads.querySelector('h5')?.textContent).toContain('Comments at revision 3');
    const thread = threads.querySelector('[data-testid="revision-thread"]') as HTMLElement;
    expect(thread.querySelector('q')?.textContent).toBe('Zero fees');
    expect(thread.querySelector('[data-testid="revision-thread-status"]')?.textContent?.trim()).toBe('Open');
    expect(thread.querySelector('[data-testid="revision-thread-message"]')?.textContent).toContain('Priya Sharma (India)');
    expect(thread.textContent).toContain('Zero for whom?');
    expect(threads.querySelectorAll('textarea, input').length).toBe(0);
  });

  it('lets a drafter restore an older revision after confirming, and offers naming', async () => {
    const page = await render(['drafter'], { rev: '3' });
    http.expectOne('/api/proposals/p-1/revisions/3').flush({ revision: 3, contentHash: 'b'.repeat(64), text: 'x', doc: { type: 'doc', content: [] } });
    http.expectOne('/api/proposals/p-1/threads?atRevision=3').flush([]);
    await settle();

    const buttons = [...page.querySelectorAll<HTMLButtonElement>('[data-testid="revision-view"] button')];
    expect(buttons.map((b) => b.textContent?.trim())).toEqual(['Download revision 3 (DOCX)', 'Download revision 3 (PDF)', 'Name this version', 'Restore this revision']);
    buttons[3].click();
    await settle();
    const dialog = document.querySelector('cc-restore-dialog') as HTMLElement;
    expect(dialog.textContent).toContain('Restore revision 3?');
    [...dialog.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes('Restore revision 3'))?.click();
    await settle();

    const restore = http.expectOne('/api/proposals/p-1/restore');
    expect(restore.request.body).toEqual({ revision: 3 });
    restore.flush({ revision: 7 });
    await settle();
    http.match((request) => request.url.startsWith('/reference/')).forEach((request) => request.flush({ types: [], objectives: [] }));
    http.expectOne('/api/proposals/p-1').flush({ ...PROPOSAL, currentRevision: 7 });
    await settle();
    http
      .expectOne((request) => request.url === '/api/proposals/p-1/revisions')
      .flush({ items: [{ revision: 7, userId: 'u-me', userName: 'Me', at: '2026-11-30T10:00:00Z', kind: 'restore' }], next: null });
    await settle();
    expect(page.querySelector('[data-testid="timeline-session"]')?.textContent).toContain('restore');
  });

  it('offers a chair naming but no restore', async () => {
    const page = await render(['chair'], { rev: '3' });
    http.expectOne('/api/proposals/p-1/revisions/3').flush({ revision: 3, contentHash: 'c'.repeat(64), text: 'x', doc: { type: 'doc', content: [] } });
    http.expectOne('/api/proposals/p-1/threads?atRevision=3').flush([]);
    await settle();
    const buttons = [...page.querySelectorAll('[data-testid="revision-view"] button')].map((b) => b.textContent?.trim());
    expect(buttons).toEqual(['Download revision 3 (DOCX)', 'Download revision 3 (PDF)', 'Name this version']);
    expect(page.querySelector('[data-testid="revision-threads-empty"]')?.textContent).toContain('No comments at this revision.');
  });

  it('compares two revisions: insertions and deletions in their authors’ colours, with a legend', async () => {
    const page = await render(['auditor'], { from: '3', to: '6' });
    http.expectOne((request) => request.url === '/api/proposals/p-1/diff' && request.params.get('from') === '3').flush({
      from: 3,
      to: 6,
      spans: [
        { type: 'equal', text: 'Workers pay ' },
        { type: 'delete', text: 'high', userId: 'u-amina' },
        { type: 'insert', text: 'no', userId: 'u-rohan' },
        { type: 'equal', text: ' fees' },
        { type: 'insert', text: ' at all', userId: 'u-priya', suggestion: 'insert' },
        { type: 'equal', text: ' anywhere', suggestion: 'delete' },
        { type: 'equal', text: '.' },
      ],
      authors: [
        { userId: 'u-amina', userName: 'Amina Rahman' },
        { userId: 'u-rohan', userName: 'Rohan Perera' },
        { userId: 'u-priya', userName: 'Priya Sharma (India)' },
      ],
    });
    http.expectOne('/api/proposals/p-1/amendments').flush([
      {
        id: 's-1',
        status: 'accepted',
        textBefore: '',
        textAfter: 'no',
        madeRevision: 4,
        lastRevision: 4,
        author: { userId: 'u-priya', name: 'Priya Sharma (India)', memberState: { code: 'IN', name: 'India' } },
        decidedBy: { userId: 'u-rohan', name: 'Rohan Perera', memberState: null },
        decidedRevision: 5,
      },
    ]);
    await settle();

    const legend = [...page.querySelectorAll('[data-testid="legend-author"]')].map((item) => [
      item.textContent?.replace(/\s+/g, ' ').trim(),
      item.getAttribute('data-color'),
    ]);
    expect(legend).toEqual([
      ['Amina Rahman +0 / −4 characters', authorColor('u-amina')],
      ['Rohan Perera +2 / −0 characters', authorColor('u-rohan')],
      ['Priya Sharma (India) +7 / −0 characters', authorColor('u-priya')],
    ]);
    const inserted = page.querySelector('[data-testid="diff"] ins') as HTMLElement;
    const deleted = page.querySelector('[data-testid="diff"] del') as HTMLElement;
    expect(inserted.textContent).toBe('[inserted by Rohan Perera:]no');
    expect(inserted.style.borderBottomColor).toBe(hexToRgb(authorColor('u-rohan')));
    expect(deleted.style.color).toBe(hexToRgb(authorColor('u-amina')));
    expect((page.querySelector('[data-testid="compare-form"] input') as HTMLInputElement).value).toBe('3');
    // Suggestions apart from plain edits: suggested words, and open suggestions on unchanged words.
    const suggested = page.querySelector('[data-testid="diff"] ins[data-suggestion="insert"]') as HTMLElement;
    expect(suggested.textContent).toBe('[suggested by Priya Sharma (India):] at all');
    expect(suggested.classList).toContain('cc-diff--suggested');
    expect(page.querySelector('[data-testid="diff"] span[data-suggestion="delete"]')?.textContent).toBe('[open suggestion to delete:] anywhere');
    // And their outcomes in the range.
    const outcome = page.querySelector('[data-testid="range-suggestions"] li[data-status="accepted"]')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(outcome).toBe('Acceptedinserts:no— Priya Sharma (India), revision 4; decided by Rohan Perera at revision 5');
  });

  it('says when there is no history yet', async () => {
    const empty = await render(['auditor'], {}, []);
    expect(empty.textContent).toContain('No revisions yet.');
  });

  it('gives the server reason when the comparison is refused', async () => {
    const page = await render(['auditor'], { from: '3', to: '60' });
    http
      .expectOne((request) => request.url === '/api/proposals/p-1/diff')
      .flush({ statusCode: 404, error: 'Not Found', message: 'Proposal p-1 has no revision 60 yet (newest is 6)' }, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/proposals/p-1/amendments').flush([]);
    await settle();
    expect(page.querySelector('[data-testid="diff-view"] [role="alert"]')?.textContent).toContain('has no revision 60 yet (newest is 6)');
  });
});

function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
