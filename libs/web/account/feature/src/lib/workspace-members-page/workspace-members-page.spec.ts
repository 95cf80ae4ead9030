import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { InvitationDto, WorkspaceDto } from '@concord/contracts';
import { WorkspaceMembersPage } from './workspace-members-page';

const WORKSPACE: WorkspaceDto = {
  id: 'add',
  abbreviation: 'ADD',
  name: 'Abu Dhabi Dialogue',
  type: 'IRF',
  approvalNeedsClosedReview: false,
  chairCannotApproveOwnText: false,
  memberStates: [{ code: 'IN', name: 'India' }],
  members: [
    { userId: 'u-1', name: 'Amina Rahman', email: 'amina@example.org', roles: ['drafter'], memberState: null, disabled: false },
    { userId: 'u-2', name: 'Priya Sharma (India)', email: 'priya@example.org', roles: ['delegate'], memberState: { code: 'IN', name: 'India' }, disabled: true },
  ],
};
const PENDING: InvitationDto = {
  invitationId: 'inv-1',
  email: 'new@example.org',
  role: 'auditor',
  memberState: null,
  expiresAt: '2026-12-14T00:00:00.000Z',
  invitedBy: 'Grace Mwangi',
  status: 'pending',
};

describe('WorkspaceMembersPage', () => {
  let fixture: ComponentFixture<WorkspaceMembersPage>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  }

  async function flushLoad(): Promise<void> {
    http.expectOne('/api/workspaces/add').flush(WORKSPACE);
    http.expectOne('/api/workspaces/add/invitations').flush([PENDING]);
    await settle();
    // The Webhooks section (its own component) loads once, when the page first shows the workspace.
    for (const request of http.match('/api/workspaces/add/webhooks')) request.flush([]);
    await settle();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [WorkspaceMembersPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    fixture = TestBed.createComponent(WorkspaceMembersPage);
    fixture.componentRef.setInput('iscmId', 'add');
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    await flushLoad();
  });

  afterEach(() => http.verify());

  const byTestId = <T extends HTMLElement>(id: string) => element.querySelector<T>(`[data-testid="${id}"]`) as T;

  it('lists one row per member and role with the account status, and the pending invitations', () => {
    expect(byTestId('member-amina@example.org-drafter').textContent).toContain('Active');
    expect(byTestId('member-priya@example.org-delegate').textContent).toContain('Disabled');
    expect(byTestId('member-priya@example.org-delegate').textContent).toContain('India');
    expect(byTestId('invitation-new@example.org').textContent).toContain('Grace Mwangi');
  });

  it('changes nothing when a role is chosen, and changes the role with the button (WCAG 3.2.2)', async () => {
    const select = byTestId<HTMLSelectElement>('role-select-amina@example.org-drafter');
    select.value = 'chair';
    select.dispatchEvent(new Event('change'));
    await settle();
    http.expectNone(() => true);

    byTestId<HTMLButtonElement>('change-role-amina@example.org-drafter').click();
    const request = http.expectOne('/api/workspaces/add/members/u-1/role');
    expect(request.request.method).toBe('PUT');
    expect(request.request.body).toEqual({ from: 'drafter', to: 'chair', memberState: undefined });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await flushLoad();
    expect(byTestId('members-notice').textContent).toContain('Amina Rahman is now chair instead of drafter');
  });

  it('shows the server’s reason when a change is refused', async () => {
    byTestId<HTMLButtonElement>('revoke-new@example.org').click();
    http
      .expectOne('/api/workspaces/add/invitations/inv-1')
      .flush({ statusCode: 409, error: 'Conflict', message: 'This invitation is already revoked.' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(byTestId('members-failure').textContent).toContain('This invitation is already revoked.');
  });
});
