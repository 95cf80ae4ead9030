import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Principal } from '../shared/actor';
import { stateFrom } from '../shared/decider';
import { describeApprovalRule, workspaceDecider } from './workspace.decider';
import type { ApprovalRuleChanged, ChangeApprovalRule, MemberAdded, WorkspaceEvent } from './workspace.messages';

// The workspace's approval rule (issue 14 §2): which chairs approve, and how many of them.
const platformAdmin: Principal = { userId: 'root', isAdmin: true };
const workspaceAdmin: Principal = { userId: 'ws-admin', isAdmin: false };
const chairPrincipal: Principal = { userId: 'chair-a', isAdmin: false };
const added = (userId: string, role: Role): MemberAdded => ({ type: 'MemberAdded', data: { iscmId: 'add', userId, role } });
const workspace: WorkspaceEvent[] = [
  { type: 'WorkspaceRegistered', data: { iscmId: 'add', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'IRF' } },
  added('ws-admin', 'admin'),
  added('chair-a', 'chair'),
  added('chair-b', 'chair'),
  added('chair-c', 'chair'),
  added('drafter-1', 'drafter'),
];
const change = (approvers: unknown, required?: unknown, actor: Principal = workspaceAdmin): ChangeApprovalRule =>
  ({ type: 'ChangeApprovalRule', data: { iscmId: 'add', approvers, required, actor } }) as ChangeApprovalRule;
const changed = (approvers: string[], required: number): ApprovalRuleChanged => ({
  type: 'ApprovalRuleChanged',
  data: { iscmId: 'add', approvers, required },
});
const TROIKA = ['chair-a', 'chair-b', 'chair-c'];

describe('Workspace approval rule', () => {
  const { given } = specificationFor(workspaceDecider);

  it('lets a workspace administrator set the troika, 2 of 3', () => given(workspace).when(change(TROIKA, 2)).then([changed(TROIKA, 2)]));
  it('lets a platform administrator set all of 3', () => given(workspace).when(change(TROIKA, 3, platformAdmin)).then([changed(TROIKA, 3)]));
  it('refuses anyone but an administrator (a chair too)', () =>
    given(workspace).when(change(TROIKA, 2, chairPrincipal)).thenThrows('forbidden', /administrator/));
  it('refuses an approver who is not a chair of the workspace, naming them', () =>
    given(workspace).when(change(['chair-a', 'drafter-1'], 1)).thenThrows('invalid', /chairs of this workspace; drafter-1 is not/));
  it('refuses a required count of 0, above the approvers, or not whole', () => {
    given(workspace).when(change(TROIKA, 0)).thenThrows('invalid', /from 1 to 3/);
    given(workspace).when(change(TROIKA, 4)).thenThrows('invalid', /from 1 to 3/);
    given(workspace).when(change(TROIKA, 1.5)).thenThrows('invalid', /from 1 to 3/);
    given(workspace).when(change(TROIKA)).thenThrows('invalid', /from 1 to 3/);
  });
  it('refuses an approver listed twice, and a list that is not of ids', () => {
    given(workspace).when(change(['chair-a', 'chair-a'], 1)).thenThrows('invalid', /twice/);
    given(workspace).when(change('chair-a', 1)).thenThrows('invalid', /list of user ids/);
  });
  it('empty approvers go back to any one chair (required is not asked)', () =>
    given([...workspace, changed(TROIKA, 2)]).when(change([])).then([changed([], 0)]));
  it('refuses a change that changes nothing (409), in any order of the approvers', () => {
    given(workspace).when(change([])).thenThrows('conflict', /any one chair/);
    given([...workspace, changed(TROIKA, 2)]).when(change(['chair-c', 'chair-a', 'chair-b'], 2)).thenThrows('conflict', /2 of 3/);
  });
  it('refuses an unknown workspace', () => given([]).when(change(TROIKA, 2)).thenThrows('not_found'));
  it('folds the rule: set, then back to none', () => {
    const state = stateFrom(workspaceDecider, [...workspace, changed(TROIKA, 3)]);
    expect(state.status === 'registered' && state.approvalRule).toEqual({ approvers: TROIKA, required: 3 });
    const back = stateFrom(workspaceDecider, [...workspace, changed(TROIKA, 3), changed([], 0)]);
    expect(back.status === 'registered' && back.approvalRule).toBeNull();
  });
  it('describes a rule in words', () => {
    expect(describeApprovalRule(null)).toBe('any one chair');
    expect(describeApprovalRule({ approvers: TROIKA, required: 3 })).toBe('all 3 approvers');
    expect(describeApprovalRule({ approvers: TROIKA, required: 2 })).toBe('2 of 3 approvers');
  });
});
