import { specificationFor } from '../../testing/decider-specification';
import type { Principal } from '../shared/actor';
import type { SealedSecret } from '../user/user.messages';
import { DOMAIN_EVENT_TYPES } from '../domain-events';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_EVENT_OF_TYPE, webhookEventOf } from './webhook-events';
import { MAX_WEBHOOKS_PER_WORKSPACE, webhookUrlProblem, workspaceDecider } from './workspace.decider';
import type { WebhookRegistered, WorkspaceEvent } from './workspace.messages';

const workspaceAdmin: Principal = { userId: 'ws-admin', isAdmin: false };
const platformAdmin: Principal = { userId: 'root', isAdmin: true };
const chair: Principal = { userId: 'chair-1', isAdmin: false };
const secret: SealedSecret = { keyId: 'k1', iv: 'iv', ciphertext: 'c', tag: 't' };

const workspace: WorkspaceEvent[] = [
  { type: 'WorkspaceRegistered', data: { iscmId: 'add', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'IRF' } },
  { type: 'MemberAdded', data: { iscmId: 'add', userId: 'ws-admin', role: 'admin' } },
  { type: 'MemberAdded', data: { iscmId: 'add', userId: 'chair-1', role: 'chair' } },
];
const registered = (webhookId = 'w1'): WebhookRegistered => ({
  type: 'WebhookRegistered',
  data: { iscmId: 'add', webhookId, url: 'https://hooks.example.org/c', events: ['proposal.approved', 'silence.adopted'], secret, registeredBy: 'ws-admin' },
});
const register = (overrides: Record<string, unknown> = {}) =>
  ({
    type: 'RegisterWebhook',
    data: {
      iscmId: 'add', webhookId: 'w1', url: 'https://hooks.example.org/c', events: ['silence.adopted', 'proposal.approved'], secret, actor: workspaceAdmin,
      ...overrides,
    },
  }) as const;

describe('Workspace webhooks', () => {
  const { given } = specificationFor(workspaceDecider);

  it('registers a webhook with its events in catalog order and the sealed secret', () =>
    given(workspace).when(register()).then([registered()]));
  it('lets a platform administrator register one', () =>
    given(workspace).when(register({ actor: platformAdmin })).then([{ ...registered(), data: { ...registered().data, registeredBy: 'root' } }]));
  it('refuses anyone who is not an administrator', () => given(workspace).when(register({ actor: chair })).thenThrows('forbidden'));
  it('refuses a URL that is not http(s)', () =>
    given(workspace).when(register({ url: 'ftp://hooks.example.org/' })).thenThrows('invalid', /https:\/\/ or http:\/\//));
  it('refuses a URL with credentials', () =>
    given(workspace).when(register({ url: 'https://u:p@hooks.example.org/' })).thenThrows('invalid', /user name or password/));
  it('refuses no events and unknown events', () => {
    given(workspace).when(register({ events: [] })).thenThrows('invalid', /at least one event/);
    given(workspace).when(register({ events: ['proposal.exploded'] })).thenThrows('invalid', /"proposal.exploded" is not a webhook event/);
  });
  it('refuses a second webhook under the same id, even once removed', () => {
    given([...workspace, registered()]).when(register()).thenThrows('conflict');
    given([...workspace, registered(), { type: 'WebhookRemoved', data: { iscmId: 'add', webhookId: 'w1' } }]).when(register()).thenThrows('conflict');
  });
  it(`allows at most ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks at once`, () => {
    const many = Array.from({ length: MAX_WEBHOOKS_PER_WORKSPACE }, (_, i) => registered(`w${i + 10}`));
    given([...workspace, ...many]).when(register()).thenThrows('conflict', /at most/);
  });
  it('removes a webhook once', () => {
    const remove = { type: 'RemoveWebhook', data: { iscmId: 'add', webhookId: 'w1', actor: workspaceAdmin } } as const;
    given([...workspace, registered()]).when(remove).then([{ type: 'WebhookRemoved', data: { iscmId: 'add', webhookId: 'w1' } }]);
    given([...workspace, registered(), { type: 'WebhookRemoved', data: { iscmId: 'add', webhookId: 'w1' } }]).when(remove).thenThrows('not_found');
    given([...workspace, registered()]).when({ ...remove, data: { ...remove.data, actor: chair } }).thenThrows('forbidden');
  });
});

describe('webhookUrlProblem', () => {
  it('accepts http and https URLs', () => {
    expect(webhookUrlProblem('https://hooks.example.org/concord?x=1')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/')).toBeNull();
  });
  it('says why anything else is refused', () => {
    expect(webhookUrlProblem('')).toMatch(/needs the URL/);
    expect(webhookUrlProblem('hooks.example.org')).toMatch(/not an absolute URL/);
    expect(webhookUrlProblem('javascript:alert(1)')).toMatch(/https:\/\//);
    expect(webhookUrlProblem(`https://x.org/${'a'.repeat(2000)}`)).toMatch(/at most 2000/);
  });
});

describe('the webhook event catalog', () => {
  it('names only recorded domain event types', () => {
    for (const type of Object.keys(WEBHOOK_EVENT_OF_TYPE)) expect(DOMAIN_EVENT_TYPES).toContain(type);
  });
  it('maps the procedure to stable public names', () => {
    expect(webhookEventOf('ProposalApproved')).toBe('proposal.approved');
    expect(webhookEventOf('SilenceAdopted')).toBe('silence.adopted');
    expect(webhookEventOf('SuggestionRejected')).toBe('suggestion.decided');
    expect(webhookEventOf('ContentUpdated')).toBeUndefined();
    expect(webhookEventOf('constructor')).toBeUndefined();
    expect(new Set(WEBHOOK_EVENT_NAMES).size).toBe(WEBHOOK_EVENT_NAMES.length);
    expect(WEBHOOK_EVENT_NAMES).toContain('member.invited');
  });
});
