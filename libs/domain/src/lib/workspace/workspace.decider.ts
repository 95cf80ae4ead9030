import type { Role } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import { isRole, ROLES_IN_WORDS } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import { isWebhookEventName, WEBHOOK_EVENT_NAMES } from './webhook-events';
import type {
  AcceptInvitation,
  ApprovalRule,
  ApprovalRuleChanged,
  ChangeApprovalRule,
  AddMember,
  ChangeSeparationOfDuties,
  InvitationAccepted,
  InvitationIssued,
  InvitationRevoked,
  IssueInvitation,
  RegisterWebhook,
  RemoveWebhook,
  WebhookRegistered,
  WebhookRemoved,
  RevokeInvitation,
  SeparationOfDutiesChanged,
  ChangeMemberRole,
  ChangeReviewPolicy,
  MemberStateChoice,
  MemberAdded,
  MemberRemoved,
  MemberRoleChanged,
  RegisterWorkspace,
  RemoveMember,
  ReviewPolicyChanged,
  WorkspaceCommand,
  WorkspaceEvent,
  WorkspaceRegistered,
  WorkspaceType,
} from './workspace.messages';

type Members = Readonly<Record<string, readonly Role[]>>;
/** The member state (ISO 3166-1 alpha-2) each delegate represents, by user id. */
type MemberStates = Readonly<Record<string, string>>;

export type WorkspaceState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly iscmId: string;
      readonly members: Members;
      readonly memberStates: MemberStates;
      /** Approval refused while suggestions or comment threads are open (ReviewPolicyChanged). */
      readonly approvalNeedsClosedReview: boolean;
      /** Separation of duties (SeparationOfDutiesChanged): a chair may not approve a text they alone wrote. */
      readonly chairCannotApproveOwnText: boolean;
      /** Who approves (ApprovalRuleChanged); null: any one chair. */
      readonly approvalRule: ApprovalRule | null;
      readonly invitations: Readonly<Record<string, WorkspaceInvitation>>;
      /** Webhooks by id: registered, or removed for good (an id is never reused). */
      readonly webhooks: Readonly<Record<string, 'active' | 'removed'>>;
    };

/** An invitation by one-time link, as the workspace remembers it (the token itself is never known). */
export interface WorkspaceInvitation {
  readonly invitationId: string;
  readonly email: string;
  readonly role: Role;
  readonly memberState?: string;
  readonly tokenHash: string;
  readonly expiresAt: string;
  readonly status: 'pending' | 'accepted' | 'revoked';
}

/** Why an invitation link cannot be used any more (the API answers 410 Gone with these). */
export const INVITATION_ACCEPTED = 'This invitation has already been used to create an account; sign in with it instead.';
export const INVITATION_EXPIRED = 'This invitation has expired; ask the administrator who invited you for a new one.';
export const INVITATION_REVOKED = 'This invitation was withdrawn by an administrator; ask them for a new one if you still need access.';
/** Separation of duties: refused always, whatever the workspace's policy. */
export const SELF_CHAIR_REFUSED =
  'Separation of duties: an administrator cannot make themselves chair; another administrator must grant the chair role.';

type RegisteredWorkspace = Extract<WorkspaceState, { status: 'registered' }>;

export const initialWorkspaceState = (): WorkspaceState => ({ status: 'unregistered' });

function withRoles(members: Members, userId: string, roles: readonly Role[]): Members {
  const others = Object.fromEntries(Object.entries(members).filter(([memberId]) => memberId !== userId));
  return roles.length === 0 ? others : { ...others, [userId]: roles };
}

export const rolesOf = (state: WorkspaceState, userId: string): readonly Role[] =>
  state.status === 'registered' && Object.hasOwn(state.members, userId) ? state.members[userId] : [];

/** The member state a delegate represents; undefined for anyone who is not a delegate. */
export const memberStateOf = (state: WorkspaceState, userId: string): string | undefined =>
  state.status === 'registered' && Object.hasOwn(state.memberStates, userId) ? state.memberStates[userId] : undefined;

function withMemberState(memberStates: MemberStates, userId: string, memberState: string | undefined): MemberStates {
  const others = Object.fromEntries(Object.entries(memberStates).filter(([memberId]) => memberId !== userId));
  return memberState === undefined ? others : { ...others, [userId]: memberState };
}

export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  if (event.type === 'WorkspaceRegistered') {
    return {
      status: 'registered',
      iscmId: event.data.iscmId,
      members: {},
      memberStates: {},
      approvalNeedsClosedReview: false,
      chairCannotApproveOwnText: false,
      approvalRule: null,
      invitations: {},
      webhooks: {},
    };
  }
  if (state.status === 'unregistered') {
    return state;
  }
  if (event.type === 'ReviewPolicyChanged') return { ...state, approvalNeedsClosedReview: event.data.approvalNeedsClosedReview };
  if (event.type === 'SeparationOfDutiesChanged') return { ...state, chairCannotApproveOwnText: event.data.chairCannotApproveOwnText };
  if (event.type === 'ApprovalRuleChanged') {
    const { approvers, required } = event.data;
    return { ...state, approvalRule: approvers.length === 0 ? null : { approvers: [...approvers], required } };
  }
  if (event.type === 'InvitationIssued') {
    const { invitationId, email, role, memberState, tokenHash, expiresAt } = event.data;
    const invitation: WorkspaceInvitation = { invitationId, email, role, tokenHash, expiresAt, status: 'pending', ...(memberState ? { memberState } : {}) };
    return { ...state, invitations: { ...state.invitations, [invitationId]: invitation } };
  }
  if (event.type === 'WebhookRegistered' || event.type === 'WebhookRemoved') {
    return { ...state, webhooks: { ...state.webhooks, [event.data.webhookId]: event.type === 'WebhookRegistered' ? 'active' : 'removed' } };
  }
  if (event.type === 'InvitationAccepted' || event.type === 'InvitationRevoked') {
    const invitation = state.invitations[event.data.invitationId];
    if (!invitation) return state;
    const status = event.type === 'InvitationAccepted' ? 'accepted' : 'revoked';
    return { ...state, invitations: { ...state.invitations, [invitation.invitationId]: { ...invitation, status } } };
  }
  const { userId } = event.data;
  const held = rolesOf(state, userId);
  switch (event.type) {
    case 'MemberAdded':
      return {
        ...state,
        members: withRoles(state.members, userId, [...held, event.data.role]),
        memberStates: event.data.role === 'delegate' ? withMemberState(state.memberStates, userId, event.data.memberState) : state.memberStates,
      };
    case 'MemberRoleChanged': {
      const { from, to, memberState } = event.data;
      const memberStates =
        to === 'delegate'
          ? withMemberState(state.memberStates, userId, memberState)
          : from === 'delegate'
            ? withMemberState(state.memberStates, userId, undefined)
            : state.memberStates;
      return { ...state, members: withRoles(state.members, userId, [...held.filter((role) => role !== from), to]), memberStates };
    }
    case 'MemberRemoved':
      return {
        ...state,
        members: withRoles(state.members, userId, held.filter((role) => !event.data.roles.includes(role))),
        memberStates: event.data.roles.includes('delegate') ? withMemberState(state.memberStates, userId, undefined) : state.memberStates,
      };
  }
}

const WORKSPACE_TYPES: readonly WorkspaceType[] = ['RCP', 'IRF', 'global'];

function registerWorkspace({ data }: RegisterWorkspace, state: WorkspaceState): WorkspaceRegistered[] {
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may register an ISCM workspace.');
  }
  if (state.status === 'registered') {
    throw conflict(`Workspace ${data.iscmId} is already registered.`);
  }
  if (!WORKSPACE_TYPES.includes(data.type)) {
    throw invalid(`Workspace type must be one of ${WORKSPACE_TYPES.join(', ')}, got ${JSON.stringify(data.type)}.`);
  }
  return [
    {
      type: 'WorkspaceRegistered',
      data: {
        iscmId: requiredString(data.iscmId, 'iscmId'),
        abbreviation: boundedText(data.abbreviation, 'Abbreviation', 20),
        name: boundedText(data.name, 'Name', 200),
        type: data.type,
      },
    },
  ];
}

function requireMemberManager(state: WorkspaceState, iscmId: string, actor: Principal): RegisteredWorkspace {
  if (state.status === 'unregistered') {
    throw notFound(`There is no workspace ${iscmId}.`);
  }
  if (!actor.isAdmin && !rolesOf(state, actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may manage its members.');
  }
  return state;
}

function knownRole(role: unknown): Role {
  if (!isRole(role)) {
    throw invalid(`${JSON.stringify(role)} is not a role; roles are ${ROLES_IN_WORDS}.`);
  }
  return role;
}

/**
 * The member state a new `role` holder comes with: required for a delegate, who speaks for one member
 * state of the ISCM; refused for every other role, which speaks for no State.
 */
function memberStateFor(role: Role, { memberState, memberStatesOfIscm = [] }: MemberStateChoice): { memberState?: string } {
  if (role !== 'delegate') {
    if (memberState !== undefined) {
      throw invalid(`Only a delegate represents a member state; a ${role} is given none.`);
    }
    return {};
  }
  if (memberStatesOfIscm.length === 0) {
    throw invalid('The reference data lists no member states of this ISCM, so it cannot have delegates yet.');
  }
  if (memberState === undefined || memberState === '') {
    throw invalid(
      'A delegate represents a member state: give memberState, the ISO 3166-1 alpha-2 code of a member state of this ISCM.',
    );
  }
  if (!memberStatesOfIscm.includes(memberState)) {
    throw invalid(
      `${JSON.stringify(memberState)} is not a member state of this ISCM; its member states are ${memberStatesOfIscm.join(', ')}.`,
    );
  }
  return { memberState };
}

/** Separation of duties: nobody grants themselves the chair (a platform administrator neither). */
function refuseSelfChair(role: Role, userId: string, actor: Principal): void {
  if (role === 'chair' && userId === actor.userId) throw forbidden(SELF_CHAIR_REFUSED);
}

function addMember({ data }: AddMember, state: WorkspaceState): MemberAdded[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const role = knownRole(data.role);
  refuseSelfChair(role, data.userId, data.actor);
  if (rolesOf(workspace, data.userId).includes(role)) {
    throw conflict(`User ${data.userId} is already ${role} of this workspace.`);
  }
  const userId = requiredString(data.userId, 'userId');
  return [{ type: 'MemberAdded', data: { iscmId: workspace.iscmId, userId, role, ...memberStateFor(role, data) } }];
}

function changeMemberRole({ data }: ChangeMemberRole, state: WorkspaceState): MemberRoleChanged[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const [from, to] = [knownRole(data.from), knownRole(data.to)];
  refuseSelfChair(to, data.userId, data.actor);
  const held = rolesOf(workspace, data.userId);
  if (!held.includes(from)) {
    throw notFound(`User ${data.userId} is not ${from} of this workspace.`);
  }
  if (held.includes(to)) {
    throw conflict(`User ${data.userId} is already ${to} of this workspace.`);
  }
  return [{ type: 'MemberRoleChanged', data: { iscmId: workspace.iscmId, userId: data.userId, from, to, ...memberStateFor(to, data) } }];
}

function removeMember({ data }: RemoveMember, state: WorkspaceState): MemberRemoved[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const held = rolesOf(workspace, data.userId);
  const role = data.role === undefined ? undefined : knownRole(data.role);
  if (held.length === 0) {
    throw notFound(`User ${data.userId} is not a member of this workspace.`);
  }
  if (role !== undefined && !held.includes(role)) {
    throw notFound(`User ${data.userId} is not ${role} of this workspace.`);
  }
  const roles = role === undefined ? [...held] : [role];
  return [{ type: 'MemberRemoved', data: { iscmId: workspace.iscmId, userId: data.userId, roles } }];
}

function changeReviewPolicy({ data }: ChangeReviewPolicy, state: WorkspaceState): ReviewPolicyChanged[] {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${data.iscmId}.`);
  if (!data.actor.isAdmin && !rolesOf(state, data.actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may change its review policy.');
  }
  if (typeof data.approvalNeedsClosedReview !== 'boolean') throw invalid('approvalNeedsClosedReview must be true or false.');
  if (data.approvalNeedsClosedReview === state.approvalNeedsClosedReview) {
    throw conflict(
      data.approvalNeedsClosedReview
        ? 'This workspace already approves only texts whose review is finished.'
        : 'This workspace already lets chairs approve while suggestions or comments are open.',
    );
  }
  return [{ type: 'ReviewPolicyChanged', data: { iscmId: state.iscmId, approvalNeedsClosedReview: data.approvalNeedsClosedReview } }];
}

function changeSeparationOfDuties({ data }: ChangeSeparationOfDuties, state: WorkspaceState): SeparationOfDutiesChanged[] {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${data.iscmId}.`);
  if (!data.actor.isAdmin && !rolesOf(state, data.actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may change its separation of duties.');
  }
  if (typeof data.chairCannotApproveOwnText !== 'boolean') throw invalid('chairCannotApproveOwnText must be true or false.');
  if (data.chairCannotApproveOwnText === state.chairCannotApproveOwnText) {
    throw conflict(
      data.chairCannotApproveOwnText
        ? 'This workspace already refuses a chair’s approval of a text they wrote alone.'
        : 'This workspace already lets a chair approve a text they wrote alone.',
    );
  }
  return [{ type: 'SeparationOfDutiesChanged', data: { iscmId: state.iscmId, chairCannotApproveOwnText: data.chairCannotApproveOwnText } }];
}

/** "2 of 3" / "all 3" / "any one chair", for sentences. */
export function describeApprovalRule(rule: ApprovalRule | null): string {
  if (!rule || rule.approvers.length === 0) return 'any one chair';
  return rule.required === rule.approvers.length ? `all ${rule.approvers.length} approvers` : `${rule.required} of ${rule.approvers.length} approvers`;
}

function changeApprovalRule({ data }: ChangeApprovalRule, state: WorkspaceState): ApprovalRuleChanged[] {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${data.iscmId}.`);
  if (!data.actor.isAdmin && !rolesOf(state, data.actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may change who approves its proposals.');
  }
  if (!Array.isArray(data.approvers) || data.approvers.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw invalid('approvers must be a list of user ids (an empty list: any one chair approves).');
  }
  const approvers = [...data.approvers];
  if (new Set(approvers).size !== approvers.length) throw invalid('An approver is listed twice; list each chair once.');
  if (approvers.length > 50) throw invalid('An approval rule names at most 50 approvers.');
  const notChairs = approvers.filter((id) => !rolesOf(state, id).includes('chair'));
  if (notChairs.length > 0) {
    throw invalid(`Approvers must be chairs of this workspace; ${notChairs.join(', ')} ${notChairs.length === 1 ? 'is' : 'are'} not.`);
  }
  let required = 0;
  if (approvers.length > 0) {
    required = data.required as number;
    if (!Number.isInteger(required) || required < 1 || required > approvers.length) {
      throw invalid(`required must be a whole number from 1 to ${approvers.length} (the number of approvers); got ${JSON.stringify(data.required)}.`);
    }
  }
  const current = state.approvalRule;
  const same = current
    ? current.required === required && current.approvers.length === approvers.length && current.approvers.every((id) => approvers.includes(id))
    : approvers.length === 0;
  if (same) throw conflict(`This workspace's proposals are already approved by ${describeApprovalRule(current)}.`);
  return [{ type: 'ApprovalRuleChanged', data: { iscmId: state.iscmId, approvers, required } }];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function issueInvitation({ data }: IssueInvitation, state: WorkspaceState): InvitationIssued[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const role = knownRole(data.role);
  const email = typeof data.email === 'string' ? data.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 320) throw invalid('An invitation needs the email address of the person invited.');
  const invitationId = requiredString(data.invitationId, 'invitationId');
  if (Object.hasOwn(workspace.invitations, invitationId)) throw conflict(`Invitation ${invitationId} already exists.`);
  return [
    {
      type: 'InvitationIssued',
      data: {
        invitationId,
        iscmId: workspace.iscmId,
        email,
        role,
        ...memberStateFor(role, data),
        tokenHash: requiredString(data.tokenHash, 'tokenHash'),
        expiresAt: requiredString(data.expiresAt, 'expiresAt'),
        invitedBy: data.actor.userId,
      },
    },
  ];
}

/** The invitation a token hash opens, and whether it can still be used at `now`. */
export function invitationByTokenHash(state: WorkspaceState, tokenHash: string): WorkspaceInvitation | undefined {
  if (state.status === 'unregistered') return undefined;
  return Object.values(state.invitations).find((invitation) => invitation.tokenHash === tokenHash);
}

/** Why the invitation cannot be accepted at `now` (one of the INVITATION_… reasons), or null. */
export function invitationUnusable(invitation: WorkspaceInvitation, now: string): string | null {
  if (invitation.status === 'accepted') return INVITATION_ACCEPTED;
  if (invitation.status === 'revoked') return INVITATION_REVOKED;
  if (invitation.expiresAt <= now) return INVITATION_EXPIRED;
  return null;
}

function acceptInvitation({ data }: AcceptInvitation, state: WorkspaceState): Array<InvitationAccepted | MemberAdded> {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${data.iscmId}.`);
  const invitation = invitationByTokenHash(state, data.tokenHash);
  if (!invitation) throw notFound('This is not an invitation Concord issued; check that the link was copied whole.');
  const unusable = invitationUnusable(invitation, data.now);
  if (unusable) throw invalidState(unusable);
  const userId = requiredString(data.userId, 'userId');
  if (rolesOf(state, userId).includes(invitation.role)) throw conflict(`User ${userId} is already ${invitation.role} of this workspace.`);
  return [
    { type: 'InvitationAccepted', data: { invitationId: invitation.invitationId, iscmId: state.iscmId, userId, email: invitation.email } },
    {
      type: 'MemberAdded',
      data: { iscmId: state.iscmId, userId, role: invitation.role, ...(invitation.memberState ? { memberState: invitation.memberState } : {}) },
    },
  ];
}

function revokeInvitation({ data }: RevokeInvitation, state: WorkspaceState): InvitationRevoked[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const invitation = Object.hasOwn(workspace.invitations, data.invitationId) ? workspace.invitations[data.invitationId] : undefined;
  if (!invitation) throw notFound(`There is no invitation ${data.invitationId} in this workspace.`);
  if (invitation.status === 'accepted') throw conflict('This invitation has already been accepted; remove the member instead.');
  if (invitation.status === 'revoked') throw conflict('This invitation is already revoked.');
  return [{ type: 'InvitationRevoked', data: { invitationId: invitation.invitationId, iscmId: workspace.iscmId } }];
}

/** How many webhooks one workspace may have at once (each costs a request per event). */
export const MAX_WEBHOOKS_PER_WORKSPACE = 10;
const MAX_WEBHOOK_URL = 2000;

function requireWebhookManager(state: WorkspaceState, iscmId: string, actor: Principal): RegisteredWorkspace {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${iscmId}.`);
  if (!actor.isAdmin && !rolesOf(state, actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may manage its webhooks.');
  }
  return state;
}

/** An absolute http(s) URL without credentials; whether its host may be reached is the API's to check (DNS). */
export function webhookUrlProblem(url: unknown): string | null {
  if (typeof url !== 'string' || url.trim() === '') return 'A webhook needs the URL its deliveries are posted to.';
  if (url.length > MAX_WEBHOOK_URL) return `A webhook URL may be at most ${MAX_WEBHOOK_URL} characters long.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL (e.g. https://hooks.example.org/concord).`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `A webhook URL must start with https:// or http://, not ${parsed.protocol}//.`;
  if (parsed.username || parsed.password) return 'A webhook URL may not carry a user name or password; the signature authenticates Concord.';
  return null;
}

/** Why a webhook's list of events is refused (none, or names that are not webhook events), or null. */
export function webhookEventsProblem(events: unknown): string | null {
  if (!Array.isArray(events) || events.length === 0) return `Choose at least one event for the webhook: ${WEBHOOK_EVENT_NAMES.join(', ')}.`;
  const unknown = events.filter((name) => !isWebhookEventName(name));
  return unknown.length
    ? `${unknown.map((name) => JSON.stringify(name)).join(', ')} is not a webhook event; events are ${WEBHOOK_EVENT_NAMES.join(', ')}.`
    : null;
}

function registerWebhook({ data }: RegisterWebhook, state: WorkspaceState): WebhookRegistered[] {
  const workspace = requireWebhookManager(state, data.iscmId, data.actor);
  const urlProblem = webhookUrlProblem(data.url);
  if (urlProblem) throw invalid(urlProblem);
  const eventsProblem = webhookEventsProblem(data.events);
  if (eventsProblem) throw invalid(eventsProblem);
  const webhookId = requiredString(data.webhookId, 'webhookId');
  if (Object.hasOwn(workspace.webhooks, webhookId)) throw conflict(`Webhook ${webhookId} already exists.`);
  if (Object.values(workspace.webhooks).filter((status) => status === 'active').length >= MAX_WEBHOOKS_PER_WORKSPACE) {
    throw conflict(`A workspace may have at most ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks; remove one first.`);
  }
  const events = WEBHOOK_EVENT_NAMES.filter((name) => data.events.includes(name));
  return [
    {
      type: 'WebhookRegistered',
      data: { iscmId: workspace.iscmId, webhookId, url: data.url, events, secret: data.secret, registeredBy: data.actor.userId },
    },
  ];
}

function removeWebhook({ data }: RemoveWebhook, state: WorkspaceState): WebhookRemoved[] {
  const workspace = requireWebhookManager(state, data.iscmId, data.actor);
  const status = Object.hasOwn(workspace.webhooks, data.webhookId) ? workspace.webhooks[data.webhookId] : undefined;
  if (status !== 'active') throw notFound(`There is no webhook ${data.webhookId} in this workspace.`);
  return [{ type: 'WebhookRemoved', data: { iscmId: workspace.iscmId, webhookId: data.webhookId } }];
}

export function decideWorkspace(command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] {
  switch (command.type) {
    case 'RegisterWorkspace':
      return registerWorkspace(command, state);
    case 'AddMember':
      return addMember(command, state);
    case 'ChangeMemberRole':
      return changeMemberRole(command, state);
    case 'RemoveMember':
      return removeMember(command, state);
    case 'ChangeReviewPolicy':
      return changeReviewPolicy(command, state);
    case 'ChangeSeparationOfDuties':
      return changeSeparationOfDuties(command, state);
    case 'ChangeApprovalRule':
      return changeApprovalRule(command, state);
    case 'IssueInvitation':
      return issueInvitation(command, state);
    case 'AcceptInvitation':
      return acceptInvitation(command, state);
    case 'RevokeInvitation':
      return revokeInvitation(command, state);
    case 'RegisterWebhook':
      return registerWebhook(command, state);
    case 'RemoveWebhook':
      return removeWebhook(command, state);
    default:
      return unknownCommand(command);
  }
}

export const workspaceDecider: Decider<WorkspaceState, WorkspaceCommand, WorkspaceEvent> = {
  initialState: initialWorkspaceState,
  evolve: evolveWorkspace,
  decide: decideWorkspace,
};
