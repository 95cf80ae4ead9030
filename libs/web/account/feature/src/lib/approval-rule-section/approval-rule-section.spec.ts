import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { WorkspaceDto } from '@concord/contracts';
import { ApprovalRuleSection, describeRule } from './approval-rule-section';

describe('describeRule', () => {
  const approvers = [
    { userId: 'a', name: 'Fatima Al Mansoori' },
    { userId: 'b', name: 'Maria Santos' },
    { userId: 'c', name: 'Kenji Watanabe' },
  ];
  it('says any one chair approves without a rule', () => {
    expect(describeRule(null)).toBe('Any one chair approves a proposal.');
    expect(describeRule({ approvers: [], required: 0 })).toBe('Any one chair approves a proposal.');
  });
  it('names the approvers and the count', () => {
    expect(describeRule({ approvers, required: 2 })).toBe('2 of 3 approvers must approve the same revision: Fatima Al Mansoori, Maria Santos, Kenji Watanabe.');
    expect(describeRule({ approvers, required: 3 })).toBe('All 3 approvers must approve the same revision: Fatima Al Mansoori, Maria Santos, Kenji Watanabe.');
  });
});

describe('ApprovalRuleSection', () => {
  const chair = (userId: string, name: string) => ({ userId, name, email: `${userId}@example.org`, roles: ['chair' as const], memberState: null, disabled: false });
  const WORKSPACE: WorkspaceDto = {
    id: 'add',
    abbreviation: 'ADD',
    name: 'Abu Dhabi Dialogue',
    type: 'IRF',
    approvalNeedsClosedReview: false,
    chairCannotApproveOwnText: false,
    approvalRule: null,
    memberStates: [],
    members: [
      chair('c1', 'Fatima Al Mansoori'),
      chair('c2', 'Kenji Watanabe'),
      { userId: 'd1', name: 'Amina Rahman', email: 'amina@example.org', roles: ['drafter'], memberState: null, disabled: false },
    ],
  };
  let fixture: ComponentFixture<ApprovalRuleSection>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [ApprovalRuleSection], providers: [provideHttpClient(), provideHttpClientTesting()] });
    fixture = TestBed.createComponent(ApprovalRuleSection);
    fixture.componentRef.setInput('workspace', WORKSPACE);
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });

  afterEach(() => http.verify());

  const checkbox = (userId: string) => element.querySelector<HTMLInputElement>(`[data-testid="approver-${userId}"]`) as HTMLInputElement;
  const save = () => (element.querySelector('[data-testid="approval-rule-save"]') as HTMLButtonElement).click();

  it('offers the chairs only, none chosen while any one chair approves', () => {
    expect(element.querySelectorAll('input[type="checkbox"]')).toHaveLength(2);
    expect(checkbox('c1').checked).toBe(false);
    expect(element.textContent).toContain('Any one chair approves a proposal.');
  });

  it('saves the chosen chairs and the count, then shows the rule the server read back', async () => {
    checkbox('c1').click();
    checkbox('c2').click();
    const required = element.querySelector('[data-testid="approval-rule-required"]') as HTMLInputElement;
    required.value = '2';
    required.dispatchEvent(new Event('input'));
    save();
    const put = http.expectOne('/api/workspaces/add/approval-rule');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ approvers: ['c1', 'c2'], required: 2 });
    put.flush(null);
    await settle();
    const rule = { approvers: [{ userId: 'c1', name: 'Fatima Al Mansoori' }, { userId: 'c2', name: 'Kenji Watanabe' }], required: 2 };
    http.expectOne('/api/workspaces/add').flush({ ...WORKSPACE, approvalRule: rule });
    await settle();
    expect(element.querySelector('[data-testid="approval-rule-current"]')?.textContent).toContain('All 2 approvers must approve the same revision');
    expect(element.querySelector('[data-testid="approval-rule-notice"]')?.textContent).toContain('Approval rule saved.');
  });

  it('shows the server’s reason when it refuses', async () => {
    checkbox('c1').click();
    save();
    http
      .expectOne('/api/workspaces/add/approval-rule')
      .flush({ statusCode: 400, error: 'Bad Request', message: 'Approvers must be chairs of this workspace; c1 is not.' }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Approvers must be chairs of this workspace; c1 is not.');
  });
});
