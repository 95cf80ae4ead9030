/**
 * The authorization matrix (issue 9, acceptance): role × endpoint × workspace × state, REST and the
 * co-editing socket, against ONE real server (SQLite, demo data) and the STOCK y-websocket client.
 *
 * The expected outcome of every case comes from the hand-written rules below (ARCHITECTURE "Access
 * policy", PROTOCOL "One access policy"), never from `decideAccess`: if the policy and this table
 * disagree, one of them is wrong and a case says which. Refusals must record nothing: the events of
 * the affected streams are counted in the server's SQLite file (opened read-only) before and after.
 *
 * Every REST route the server describes in /api/docs-json must have a row in ROUTES: a new endpoint
 * fails the "covers every route" case until its rules are written here.
 *
 * Fixtures are built through the API in beforeAll. Refusals run against shared canonical fixtures
 * (a refusal changes nothing, which each case checks); a case expected to change a status runs on a
 * fresh fixture of the same state, made when the case runs.
 */
import Database from 'better-sqlite3';
import { Document, Packer, Paragraph } from 'docx';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, ApiResponse, eventually, ok, onTeardown, sleep, startApi } from './support/api-process';
import { authenticator } from 'otplib';
import { connectClient, fetchTicket } from './support/collab-client';

// ---------------------------------------------------------------------------------------------
// Dimensions

const PROPOSAL_STATES = ['draft', 'in_review', 'approved', 'changes_requested', 'withdrawn'] as const;
const SUBMISSION_STATES = ['drafting', 'review', 'approved', 'submitted'] as const;
type PState = (typeof PROPOSAL_STATES)[number];
type SState = (typeof SUBMISSION_STATES)[number];
/** Submission fixtures for submission-level routes: `review-ready` is in review with nothing unapproved. */
const SUBMISSION_FIXTURES = ['drafting', 'review', 'review-ready', 'approved', 'submitted'] as const;
type SFixture = (typeof SUBMISSION_FIXTURES)[number];
type Role = 'drafter' | 'chair' | 'auditor' | 'admin' | 'delegate';

interface Who {
  readonly name: string;
  /** Roles in workspace A (the demo workspace whose objects every case acts on). */
  readonly rolesInA: readonly Role[];
  readonly platformAdmin: boolean;
  /** Roles in workspace B (a second workspace); used only to describe the case. */
  readonly rolesInB: readonly Role[];
  readonly anonymous?: boolean;
}

const WHO: readonly Who[] = [
  { name: 'anonymous', rolesInA: [], rolesInB: [], platformAdmin: false, anonymous: true },
  { name: 'drafter', rolesInA: ['drafter'], rolesInB: [], platformAdmin: false },
  { name: 'chair', rolesInA: ['chair'], rolesInB: [], platformAdmin: false },
  { name: 'auditor', rolesInA: ['auditor'], rolesInB: [], platformAdmin: false },
  /** The demo delegate1 (India): reads, and nothing else. */
  { name: 'delegate', rolesInA: ['delegate'], rolesInB: [], platformAdmin: false },
  /** The demo admin: admin of A and platform administrator. */
  { name: 'admin', rolesInA: ['admin'], rolesInB: [], platformAdmin: true },
  { name: 'workspace-admin', rolesInA: ['admin'], rolesInB: [], platformAdmin: false },
  { name: 'platform-admin', rolesInA: [], rolesInB: [], platformAdmin: true },
  { name: 'no-role', rolesInA: [], rolesInB: [], platformAdmin: false },
  { name: 'B-drafter', rolesInA: [], rolesInB: ['drafter'], platformAdmin: false },
  { name: 'B-chair', rolesInA: [], rolesInB: ['chair'], platformAdmin: false },
  { name: 'B-auditor', rolesInA: [], rolesInB: ['auditor'], platformAdmin: false },
  { name: 'B-admin', rolesInA: [], rolesInB: ['admin'], platformAdmin: false },
];
const whoNamed = (name: string) => WHO.find((who) => who.name === name) as Who;
/** Who may see workspace A's objects at all (any role there, or platform administrator). */
const seesA = (who: Who) => who.platformAdmin || who.rolesInA.length > 0;
/** The roles the rules see in A: a platform administrator counts as an admin of every workspace. */
const rolesA = (who: Who): readonly Role[] => (who.platformAdmin ? [...new Set<Role>([...who.rolesInA, 'admin'])] : who.rolesInA);
const holds = (who: Who, allowed: readonly Role[]) => rolesA(who).some((role) => allowed.includes(role));
const audits = (who: Who, roles: readonly Role[]) => roles.some((role) => role === 'auditor' || role === 'admin');


interface PFixture {
  readonly p: PState;
  readonly s: SState;
}
const ALL_PROPOSAL_FIXTURES: readonly PFixture[] = SUBMISSION_STATES.flatMap((s) => PROPOSAL_STATES.map((p) => ({ p, s })));
const REPRESENTATIVE: readonly PFixture[] = [
  { p: 'draft', s: 'drafting' },
  { p: 'in_review', s: 'review' },
  { p: 'approved', s: 'approved' },
  { p: 'withdrawn', s: 'submitted' },
];
const key = (f: PFixture) => `${f.p}@${f.s}`;

// ---------------------------------------------------------------------------------------------
// The rules, written by hand from ARCHITECTURE "Access policy" (independent of decideAccess)

type ProposalAction =
  | 'change-details'
  | 'send-for-review'
  | 'approve'
  | 'request-changes'
  | 'name-version'
  | 'withdraw'
  | 'restore'
  | 'comment'
  | 'settle-thread'
  | 'start-silence'
  | 'object-to-silence'
  | 'void-silence'
  | 'co-sponsor'
  | 'withdraw-co-sponsorship';

const PROPOSAL_RULES: Record<ProposalAction, { roles: readonly Role[]; stateAllows: (f: PFixture) => boolean }> = {
  'change-details': { roles: ['drafter'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  'send-for-review': { roles: ['drafter'], stateAllows: (f) => f.p !== 'withdrawn' && f.p !== 'in_review' && f.s !== 'submitted' },
  approve: { roles: ['chair'], stateAllows: (f) => f.p === 'in_review' && f.s !== 'submitted' },
  'request-changes': { roles: ['chair'], stateAllows: (f) => f.p === 'in_review' && f.s !== 'submitted' },
  'name-version': { roles: ['drafter', 'chair'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  withdraw: { roles: ['drafter'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  restore: { roles: ['drafter'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  comment: { roles: ['drafter', 'chair', 'delegate'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  // Resolving or reopening a thread the drafter opened: a drafter or a chair (or its author).
  'settle-thread': { roles: ['drafter', 'chair'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  // Silence procedures: any proposal that is not withdrawn, in a submission not locked (objecting
  // and withdrawing need a running one: the accepted cases start it first, as the chair).
  'start-silence': { roles: ['chair'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  'object-to-silence': { roles: ['delegate'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  'void-silence': { roles: ['chair'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  // Co-sponsorship: a delegate, for their member state, while the proposal is not withdrawn and its submission not locked.
  'co-sponsor': { roles: ['delegate'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
  'withdraw-co-sponsorship': { roles: ['delegate'], stateAllows: (f) => f.p !== 'withdrawn' && f.s !== 'submitted' },
};

/** Acting on a proposal: 401 anonymous; 404 it is hidden from non-members; 403 the role; 409 the state. */
function expectProposalAction(action: ProposalAction, who: Who, f: PFixture): number {
  if (who.anonymous) return 401;
  if (!seesA(who)) return 404;
  const rule = PROPOSAL_RULES[action];
  if (!holds(who, rule.roles)) return 403;
  return rule.stateAllows(f) ? 200 : 409;
}

/** Reading a proposal or a submission of A: every member and the platform administrator; hidden from others. */
function expectRead(who: Who): number {
  if (who.anonymous) return 401;
  return seesA(who) ? 200 : 404;
}

type SubmissionAction = 'send-submission-for-approval' | 'approve-submission' | 'lock-submission';
const SUBMISSION_RULES: Record<SubmissionAction, { roles: readonly Role[]; from: SFixture }> = {
  'send-submission-for-approval': { roles: ['drafter'], from: 'drafting' },
  // Only a submission in review whose live proposals are all approved for their current text.
  'approve-submission': { roles: ['chair'], from: 'review-ready' },
  'lock-submission': { roles: ['chair', 'admin'], from: 'approved' },
};

function expectSubmissionAction(action: SubmissionAction, who: Who, s: SFixture): number {
  if (who.anonymous) return 401;
  if (!seesA(who)) return 404;
  const rule = SUBMISSION_RULES[action];
  if (!holds(who, rule.roles)) return 403;
  return s === rule.from ? 200 : 409;
}

/** Creating in A (a proposal in a submission of A, or a submission of A): no hiding, the role decides. */
function expectCreateIn(who: Who, roles: readonly Role[], stateAllows: boolean, created = 201): number {
  if (who.anonymous) return 401;
  if (!holds(who, roles)) return 403;
  return stateAllows ? created : 409;
}

// ---------------------------------------------------------------------------------------------
// Cases

interface Ctx {
  server: ApiProcess;
  api(who: Who): ApiClient;
  proposal(f: PFixture): string;
  freshProposal(f: PFixture): Promise<string>;
  submission(s: SFixture): string;
  freshSubmission(s: SFixture): Promise<string>;
  userId(who: Who): string;
  freshUser(): Promise<string>;
  /** A member of A added for a removal case. */
  freshMemberOfA(role: Role): Promise<string>;
  /** A new account (password PASSWORD, no role) with its second factor on. */
  freshMfaUser(): Promise<{ userId: string; email: string; recoveryCodes: string[] }>;
  userEmail(userId: string): Promise<string>;
  workspaceA: string;
  auditPositionInA: number;
  checkpointPosition: number;
  countEvents(streams: readonly string[]): number;
  unique(): string;
  /** A new sign-in of `who` (its own session, token and refresh cookie), apart from the shared one. */
  freshSession(who: Who): Promise<FreshSession>;
  /** The shared client of `who` (never marks the moment of a case's request, unlike `api`). */
  shared(who: Who): ApiClient;
  /** Signs `who` in again for the cases that follow (after a case ended all of their sessions). */
  renewShared(who: Who): Promise<void>;
}

interface FreshSession {
  readonly accessToken: string;
  readonly sessionId: string;
  /** `concord_refresh=<value>`, as the browser sends it back to /api/auth. */
  readonly cookie: string;
}

interface RestCase {
  readonly route: string;
  readonly who: Who;
  readonly state: string;
  readonly expected: number;
  /** Sends the request; returns the response and the streams a refusal must leave alone. */
  readonly send: (ctx: Ctx, fresh: boolean) => Promise<{ response: ApiResponse; streams: readonly string[] }>;
  /** True when a 2xx changes the fixture's state (so a 2xx case uses a fresh fixture). */
  readonly consumes: boolean;
  /** A 2xx must record an event in `streams` (a mutation). */
  readonly mutation: boolean;
  /** Content checks of a 2xx (what a caller may see). */
  readonly check?: (response: ApiResponse, ctx: Ctx) => void;
}

const proposalStreams = (id: string) => [`proposal-${id}`, `proposal-${id}-content`, `proposal-${id}-threads`, `proposal-${id}-suggestions`];
const ROUTES: Record<string, { cases: RestCase[] }> = {};
const add = (route: string, cases: RestCase[]) => {
  ROUTES[route] = { cases: [...(ROUTES[route]?.cases ?? []), ...cases] };
};

function proposalMutation(
  route: string,
  action: ProposalAction,
  consumes: boolean,
  request: (api: ApiClient, id: string, ctx: Ctx) => Promise<ApiResponse>,
  /** The status of an accepted request (201 where it creates something). */
  accepted = 200,
): void {
  const cases: RestCase[] = [];
  for (const who of WHO) {
    for (const f of seesA(who) ? ALL_PROPOSAL_FIXTURES : REPRESENTATIVE) {
      const decided = expectProposalAction(action, who, f);
      const expected = decided === 200 ? accepted : decided;
      cases.push({
        route,
        who,
        state: `proposal ${f.p}, submission ${f.s}`,
        expected,
        consumes,
        mutation: true,
        send: async (ctx, fresh) => {
          const id = fresh ? await ctx.freshProposal(f) : ctx.proposal(f);
          return { response: await request(ctx.api(who), id, ctx), streams: proposalStreams(id) };
        },
      });
    }
  }
  add(route, cases);
}

/** The proposal's newest revision, read as the chair (who sees it). */
async function currentRevision(ctx: Ctx, id: string): Promise<number> {
  return ok(await ctx.api(whoNamed('chair')).get<{ currentRevision: number }>(`/api/proposals/${id}`)).currentRevision;
}

proposalMutation('PATCH /api/proposals/{id}', 'change-details', false, (api, id, ctx) =>
  api.patch(`/api/proposals/${id}`, { title: `Retitled ${ctx.unique()}` }),
);
proposalMutation('POST /api/proposals/{id}/review', 'send-for-review', true, async (api, id, ctx) =>
  api.post(`/api/proposals/${id}/review`, { revision: await currentRevision(ctx, id) }),
);
proposalMutation('POST /api/proposals/{id}/approvals', 'approve', true, async (api, id, ctx) =>
  api.post(`/api/proposals/${id}/approvals`, { revision: await currentRevision(ctx, id) }),
);
proposalMutation('POST /api/proposals/{id}/changes-requested', 'request-changes', true, async (api, id, ctx) =>
  api.post(`/api/proposals/${id}/changes-requested`, { revision: await currentRevision(ctx, id), comment: 'Please shorten.' }),
);
proposalMutation('POST /api/proposals/{id}/versions', 'name-version', false, async (api, id, ctx) =>
  api.post(`/api/proposals/${id}/versions`, { revision: await currentRevision(ctx, id), label: `v-${ctx.unique()}` }),
);
proposalMutation('POST /api/proposals/{id}/withdraw', 'withdraw', true, (api, id) => api.post(`/api/proposals/${id}/withdraw`));
// Every canonical proposal has two revisions of text: restoring the first changes the text.
proposalMutation('POST /api/proposals/{id}/restore', 'restore', false, (api, id) => api.post(`/api/proposals/${id}/restore`, { revision: 1 }));

/** A silence deadline well ahead of any case. */
const silenceDeadline = () => new Date(Date.now() + 3_600_000).toISOString();
proposalMutation('POST /api/proposals/{id}/silence', 'start-silence', true, async (api, id, ctx) =>
  api.post(`/api/proposals/${id}/silence`, { revision: await currentRevision(ctx, id), deadline: silenceDeadline() }),
);
/** Objecting and withdrawing act on a running silence: an accepted case starts one first (unmarked, as the chair). */
async function withRunningSilence(ctx: Ctx, id: string, fresh: boolean): Promise<void> {
  if (!fresh) return;
  const chair = ctx.shared(whoNamed('chair'));
  const revision = ok(await chair.get<{ currentRevision: number }>(`/api/proposals/${id}`)).currentRevision;
  ok(await chair.post(`/api/proposals/${id}/silence`, { revision, deadline: silenceDeadline() }), 'start a silence');
}
for (const [route, action, body] of [
  ['POST /api/proposals/{id}/silence/objections', 'object-to-silence', { reason: 'Paragraph 2 goes too far.' }],
  ['POST /api/proposals/{id}/silence/void', 'void-silence', { reason: 'Circulated by mistake.' }],
] as const) {
  const cases: RestCase[] = [];
  for (const who of WHO) {
    for (const f of seesA(who) ? ALL_PROPOSAL_FIXTURES : REPRESENTATIVE) {
      cases.push({
        route,
        who,
        state: `proposal ${f.p}, submission ${f.s}`,
        expected: expectProposalAction(action, who, f),
        consumes: true,
        mutation: true,
        send: async (ctx, fresh) => {
          const id = fresh ? await ctx.freshProposal(f) : ctx.proposal(f);
          await withRunningSilence(ctx, id, fresh);
          const path = route.replace('{id}', id).replace(/^POST /, '');
          return { response: await ctx.api(who).post(path, body), streams: proposalStreams(id) };
        },
      });
    }
  }
  add(route, cases);
}

// Co-sponsorship (the demo delegate represents India). Withdrawing acts on a co-sponsorship: an
// accepted case has the delegate co-sponsor first (unmarked, through the shared client).
proposalMutation('POST /api/proposals/{id}/co-sponsors', 'co-sponsor', true, (api, id) => api.post(`/api/proposals/${id}/co-sponsors`));
{
  const route = 'DELETE /api/proposals/{id}/co-sponsors/{memberState}';
  const cases: RestCase[] = [];
  for (const who of WHO) {
    for (const f of seesA(who) ? ALL_PROPOSAL_FIXTURES : REPRESENTATIVE) {
      cases.push({
        route,
        who,
        state: `proposal ${f.p}, submission ${f.s}`,
        expected: expectProposalAction('withdraw-co-sponsorship', who, f),
        consumes: true,
        mutation: true,
        send: async (ctx, fresh) => {
          const id = fresh ? await ctx.freshProposal(f) : ctx.proposal(f);
          if (fresh) ok(await ctx.shared(whoNamed('delegate')).post(`/api/proposals/${id}/co-sponsors`), 'co-sponsor first');
          return { response: await ctx.api(who).delete(`/api/proposals/${id}/co-sponsors/IN`), streams: proposalStreams(id) };
        },
      });
    }
  }
  add(route, cases);
}

function proposalRead(route: string, path: (id: string) => string): void {
  const cases: RestCase[] = [];
  for (const who of WHO) {
    for (const f of REPRESENTATIVE) {
      cases.push({
        route,
        who,
        state: `proposal ${f.p}, submission ${f.s}`,
        expected: expectRead(who),
        consumes: false,
        mutation: false,
        send: async (ctx) => {
          const id = ctx.proposal(f);
          return { response: await ctx.api(who).get(path(id)), streams: proposalStreams(id) };
        },
      });
    }
  }
  add(route, cases);
}

proposalRead('GET /api/proposals/{id}', (id) => `/api/proposals/${id}`);
proposalRead('GET /api/proposals/{id}/revisions', (id) => `/api/proposals/${id}/revisions`);
proposalRead('GET /api/proposals/{id}/revisions/{revision}', (id) => `/api/proposals/${id}/revisions/1`);
proposalRead('GET /api/proposals/{id}/diff', (id) => `/api/proposals/${id}/diff?from=0&to=1`);
proposalRead('GET /api/proposals/{id}/threads', (id) => `/api/proposals/${id}/threads`);
proposalRead('GET /api/proposals/{id}/mentionable', (id) => `/api/proposals/${id}/mentionable`);
proposalRead('GET /api/proposals/{id}/amendments', (id) => `/api/proposals/${id}/amendments`);
// Exports are for every member of the workspace (each is recorded as DocumentExported, no proposal stream changes).
proposalRead('GET /api/proposals/{id}/export', (id) => `/api/proposals/${id}/export?format=docx&revision=1`);
proposalRead('GET /api/proposals/{id}/redline', (id) => `/api/proposals/${id}/redline?from=0&to=1&format=docx`);

// Comment threads. An anchor is any encoded Yjs relative position (the server checks it decodes).
const ANCHOR_POSITION = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment('content'), 0))).toString('base64');
const threadBody = (ctx: Ctx) => ({ anchor: { from: ANCHOR_POSITION, to: ANCHOR_POSITION }, quote: 'the words', body: `Comment ${ctx.unique()}` });
proposalMutation('POST /api/proposals/{id}/threads', 'comment', false, (api, id, ctx) => api.post(`/api/proposals/${id}/threads`, threadBody(ctx)), 201);

/**
 * A thread action on a thread the drafter opened before the case's request (on a proposal whose
 * state refuses comments no thread can be opened: the case then names an unknown thread, which the
 * role and state checks answer before the thread's existence is).
 */
function threadMutation(
  route: string,
  action: ProposalAction,
  resolvedFirst: boolean,
  path: (id: string, threadId: string) => string,
  body: (ctx: Ctx) => unknown,
  accepted = 200,
): void {
  const cases: RestCase[] = [];
  for (const who of WHO) {
    for (const f of seesA(who) ? ALL_PROPOSAL_FIXTURES : REPRESENTATIVE) {
      cases.push({
        route,
        who,
        state: `proposal ${f.p}, submission ${f.s}`,
        expected: expectProposalAction(action, who, f) === 200 ? accepted : expectProposalAction(action, who, f),
        consumes: false,
        mutation: true,
        send: async (ctx) => {
          const id = ctx.proposal(f);
          const drafter = ctx.shared(whoNamed('drafter'));
          const opened = await drafter.post(`/api/proposals/${id}/threads`, threadBody(ctx));
          const threadId: string = opened.status === 201 ? opened.body.id : '7d0c7a4e-0000-4000-8000-000000000001';
          if (opened.status === 201 && resolvedFirst) ok(await drafter.post(`/api/proposals/${id}/threads/${threadId}/resolve`, {}), 'resolve first');
          return { response: await ctx.api(who).post(path(id, threadId), body(ctx)), streams: proposalStreams(id) };
        },
      });
    }
  }
  add(route, cases);
}
threadMutation('POST /api/proposals/{id}/threads/{threadId}/replies', 'comment', false, (id, t) => `/api/proposals/${id}/threads/${t}/replies`, (ctx) => ({ body: `Reply ${ctx.unique()}` }), 201);
threadMutation('POST /api/proposals/{id}/threads/{threadId}/resolve', 'settle-thread', false, (id, t) => `/api/proposals/${id}/threads/${t}/resolve`, () => ({}));
threadMutation('POST /api/proposals/{id}/threads/{threadId}/reopen', 'settle-thread', true, (id, t) => `/api/proposals/${id}/threads/${t}/reopen`, () => ({}));

/** Lists answer every signed-in caller, but show A's objects only to those who see A. */
function listRoute(route: string, path: string, contains: (body: unknown, ctx: Ctx) => boolean): void {
  add(
    route,
    WHO.map((who) => ({
      route,
      who,
      state: 'workspace A',
      expected: who.anonymous ? 401 : 200,
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).get(path), streams: [] }),
      check: (response, ctx) => expect({ showsA: contains(response.body, ctx) }).toEqual({ showsA: seesA(who) }),
    })),
  );
}

const ids = (body: unknown) => (body as Array<{ id: string }>).map((item) => item.id);
listRoute('GET /api/proposals', '/api/proposals', (body, ctx) => ids(body).includes(ctx.proposal(REPRESENTATIVE[0])));
listRoute('GET /api/submissions', '/api/submissions', (body, ctx) => ids(body).includes(ctx.submission('drafting')));
listRoute('GET /api/workspaces', '/api/workspaces', (body, ctx) => ids(body).includes(ctx.workspaceA));

add(
  'POST /api/proposals',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'POST /api/proposals',
      who,
      state: `submission ${s}`,
      expected: expectCreateIn(who, ['drafter'], s !== 'submitted'),
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const submissionId = ctx.submission(s);
        const body = { submissionId, title: `Created ${ctx.unique()}`, kind: 'policy', gcmObjectives: [5] };
        return { response: await ctx.api(who).post('/api/proposals', body), streams: ['proposal-%'] };
      },
    })),
  ),
);

// A proposal started from a Word document: the rules of creating one (drafters, not in a locked submission).
let smallDocx: Promise<Uint8Array> | undefined;
const aSmallDocx = () =>
  (smallDocx ??= Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Imported words.')] }] })).then((buffer) => new Uint8Array(buffer)));
add(
  'POST /api/submissions/{id}/proposals/import',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'POST /api/submissions/{id}/proposals/import',
      who,
      state: `submission ${s}`,
      expected: expectCreateIn(who, ['drafter'], s !== 'submitted'),
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const query = `title=${encodeURIComponent(`Imported ${ctx.unique()}`)}&kind=policy&gcmObjectives=5&filename=import.docx`;
        const path = `/api/submissions/${ctx.submission(s)}/proposals/import?${query}`;
        const response = await ctx.api(who).request('POST', path, await aSmallDocx(), { 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
        return { response, streams: ['proposal-%'] };
      },
    })),
  ),
);

add(
  'GET /api/submissions/{id}',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'GET /api/submissions/{id}',
      who,
      state: `submission ${s}`,
      expected: expectRead(who),
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).get(`/api/submissions/${ctx.submission(s)}`), streams: [] }),
    })),
  ),
);

add(
  'GET /api/submissions/{id}/amendments',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'GET /api/submissions/{id}/amendments',
      who,
      state: `submission ${s}`,
      expected: expectRead(who),
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).get(`/api/submissions/${ctx.submission(s)}/amendments`), streams: [] }),
    })),
  ),
);

add(
  'GET /api/submissions/{id}/export',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'GET /api/submissions/{id}/export',
      who,
      state: `submission ${s}`,
      expected: expectRead(who),
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).get(`/api/submissions/${ctx.submission(s)}/export?format=docx`), streams: [] }),
    })),
  ),
);

add(
  'GET /api/submissions/{id}/paragraphs',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'GET /api/submissions/{id}/paragraphs',
      who,
      state: `submission ${s}`,
      expected: expectRead(who),
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).get(`/api/submissions/${ctx.submission(s)}/paragraphs`), streams: [] }),
    })),
  ),
);

add(
  'POST /api/submissions',
  WHO.map((who) => ({
    route: 'POST /api/submissions',
    who,
    state: 'workspace A',
    expected: expectCreateIn(who, ['drafter'], true),
    consumes: false,
    mutation: true,
    send: async (ctx) => {
      const body = { iscmId: ctx.workspaceA, consultation: 'Authorization matrix', title: `Opened ${ctx.unique()}`, dueDate: '2030-01-01' };
      return { response: await ctx.api(who).post('/api/submissions', body), streams: ['submission-%'] };
    },
  })),
);

for (const [route, action, verb] of [
  ['POST /api/submissions/{id}/send-for-approval', 'send-submission-for-approval', 'send-for-approval'],
  ['POST /api/submissions/{id}/approve', 'approve-submission', 'approve'],
  ['POST /api/submissions/{id}/lock', 'lock-submission', 'lock'],
] as const) {
  add(
    route,
    WHO.flatMap((who) =>
      SUBMISSION_FIXTURES.map<RestCase>((s) => ({
        route,
        who,
        state: `submission ${s}`,
        expected: expectSubmissionAction(action, who, s),
        consumes: true,
        mutation: true,
        send: async (ctx, fresh) => {
          const id = fresh ? await ctx.freshSubmission(s) : ctx.submission(s);
          return { response: await ctx.api(who).post(`/api/submissions/${id}/${verb}`), streams: [`submission-${id}`] };
        },
      })),
    ),
  );
}

// The whole submission circulated under silence (issue 14): chairs start and withdraw, delegates
// object. `review` holds a proposal to circulate; approved and locked ones refuse (409). The empty
// fixtures are left out: other routes' cases add proposals to them, so whether there is anything to
// circulate depends on the order of cases. Objecting and withdrawing need a running procedure, which
// an accepted case starts first as the chair.
const SILENCE_FIXTURES = ['review', 'approved', 'submitted'] as const;
const submissionSilenceExpected = (who: Who, s: SFixture, roles: readonly Role[]) =>
  who.anonymous ? 401 : !seesA(who) ? 404 : !holds(who, roles) ? 403 : s === 'review' ? 200 : 409;
add(
  'POST /api/submissions/{id}/silence',
  WHO.flatMap((who) =>
    SILENCE_FIXTURES.map<RestCase>((s) => ({
      route: 'POST /api/submissions/{id}/silence',
      who,
      state: `submission ${s}`,
      expected: submissionSilenceExpected(who, s, ['chair']),
      consumes: true,
      mutation: true,
      send: async (ctx, fresh) => {
        const id = fresh ? await ctx.freshSubmission(s) : ctx.submission(s);
        return { response: await ctx.api(who).post(`/api/submissions/${id}/silence`, { deadline: silenceDeadline() }), streams: [`submission-${id}`] };
      },
    })),
  ),
);
for (const [route, verb, roles, body] of [
  ['POST /api/submissions/{id}/silence/objections', 'objections', ['delegate'], { reason: 'Section 2 goes too far.' }],
  ['POST /api/submissions/{id}/silence/void', 'void', ['chair'], { reason: 'Circulated by mistake.' }],
] as const) {
  add(
    route,
    WHO.flatMap((who) =>
      SILENCE_FIXTURES.map<RestCase>((s) => ({
        route,
        who,
        state: `submission ${s}`,
        expected: submissionSilenceExpected(who, s, roles),
        consumes: true,
        mutation: true,
        send: async (ctx, fresh) => {
          const id = fresh ? await ctx.freshSubmission(s) : ctx.submission(s);
          if (fresh) ok(await ctx.shared(whoNamed('chair')).post(`/api/submissions/${id}/silence`, { deadline: silenceDeadline() }), 'circulate the submission');
          return { response: await ctx.api(who).post(`/api/submissions/${id}/silence/${verb}`, body), streams: [`submission-${id}`] };
        },
      })),
    ),
  );
}

// Placing a proposal in a section of its submission (issue 13): drafters, until the submission is
// locked; it changes no status, so the canonical fixtures serve (each 2xx records a ProposalPlaced).
add(
  'POST /api/submissions/{id}/placements',
  WHO.flatMap((who) =>
    SUBMISSION_STATES.map<RestCase>((s) => ({
      route: 'POST /api/submissions/{id}/placements',
      who,
      state: `submission ${s}`,
      expected: who.anonymous ? 401 : !seesA(who) ? 404 : !holds(who, ['drafter']) ? 403 : s === 'submitted' ? 409 : 200,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const id = ctx.submission(s);
        const body = { proposalId: ctx.proposal({ p: 'draft', s }), sectionId: null, index: 0 };
        return { response: await ctx.api(who).post(`/api/submissions/${id}/placements`, body), streams: [`submission-${id}`] };
      },
    })),
  ),
);

// A section's introduction (issue 13): drafters, until the submission is locked; a 2xx claims the
// section (a second is 409), so 2xx cases take a fresh submission, which names a consultation.
add(
  'POST /api/submissions/{id}/sections/{sectionId}/introduction',
  WHO.flatMap((who) =>
    SUBMISSION_FIXTURES.map<RestCase>((s) => ({
      route: 'POST /api/submissions/{id}/sections/{sectionId}/introduction',
      who,
      state: `submission ${s}`,
      expected: who.anonymous ? 401 : !seesA(who) ? 404 : !holds(who, ['drafter']) ? 403 : s === 'submitted' ? 409 : 201,
      consumes: true,
      mutation: true,
      send: async (ctx, fresh) => {
        const id = fresh ? await ctx.freshSubmission(s) : ctx.submission(s);
        return { response: await ctx.api(who).post(`/api/submissions/${id}/sections/q1/introduction`), streams: [`submission-${id}`, 'proposal-%'] };
      },
    })),
  ),
);

// Workspaces: registering one is for platform administrators; members are managed by admins of the
// workspace (and platform administrators). A member list is hidden from non-members.
const simple = (
  route: string,
  expected: (who: Who) => number,
  send: (api: ApiClient, ctx: Ctx, who: Who, prepared: string) => Promise<ApiResponse>,
  streams: (ctx: Ctx) => readonly string[],
  options: { mutation?: boolean; check?: (who: Who) => RestCase['check']; prepare?: (ctx: Ctx) => Promise<string> } = {},
) =>
  add(
    route,
    WHO.map((who) => ({
      route,
      who,
      state: 'workspace A',
      expected: expected(who),
      consumes: false,
      mutation: options.mutation ?? false,
      check: options.check?.(who),
      send: async (ctx) => {
        // The target is made first: `ctx.api` marks the moment the case's own request goes out.
        const prepared = options.prepare ? await options.prepare(ctx) : '';
        return { response: await send(ctx.api(who), ctx, who, prepared), streams: streams(ctx) };
      },
    })),
  );

const signedIn = (who: Who, allowed: boolean, status = 200) => (who.anonymous ? 401 : allowed ? status : 403);
const workspaceAdmin = (who: Who) => holds(who, ['admin']);
const auditorAnywhere = (who: Who) => who.platformAdmin || audits(who, who.rolesInA) || audits(who, who.rolesInB);

simple('GET /api/workspaces/{iscmId}', (who) => expectRead(who), (api, ctx) => api.get(`/api/workspaces/${ctx.workspaceA}`), () => []);
simple(
  'POST /api/workspaces',
  (who) => signedIn(who, who.platformAdmin, 201),
  (api, ctx) => {
    const suffix = ctx.unique();
    return api.post('/api/workspaces', { id: `ws-${suffix}`, abbreviation: `W${suffix}`.slice(0, 20), name: `Workspace ${suffix}`, type: 'RCP' });
  },
  () => ['iscm-%'],
  { mutation: true },
);
simple(
  'POST /api/workspaces/{iscmId}/members',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  (api, ctx, _who, userId) => api.post(`/api/workspaces/${ctx.workspaceA}/members`, { userId, role: 'drafter' }),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: (ctx) => ctx.freshUser() },
);
simple(
  'PUT /api/workspaces/{iscmId}/review-policy',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  async (api, ctx) => {
    // Set the opposite of what holds (the same value again is a 409), as far as the caller can see it.
    const current = await api.get(`/api/workspaces/${ctx.workspaceA}`);
    const required = current.status === 200 ? Boolean(current.body.approvalNeedsClosedReview) : false;
    return api.put(`/api/workspaces/${ctx.workspaceA}/review-policy`, { approvalNeedsClosedReview: !required });
  },
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true },
);
simple(
  'DELETE /api/workspaces/{iscmId}/members/{userId}',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  (api, ctx, _who, userId) => api.delete(`/api/workspaces/${ctx.workspaceA}/members/${userId}?role=auditor`),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: (ctx) => ctx.freshMemberOfA('auditor') },
);

simple(
  'PUT /api/workspaces/{iscmId}/separation-of-duties',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  async (api, ctx) => {
    // Set the opposite of what holds (the same value again is a 409), as far as the caller can see it.
    const current = await api.get(`/api/workspaces/${ctx.workspaceA}`);
    const refused = current.status === 200 ? Boolean(current.body.chairCannotApproveOwnText) : false;
    return api.put(`/api/workspaces/${ctx.workspaceA}/separation-of-duties`, { chairCannotApproveOwnText: !refused });
  },
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true },
);
simple(
  'PUT /api/workspaces/{iscmId}/approval-rule',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  async (api, ctx) => {
    // Toggle between "any one chair" and "1 of every chair of A" (the same value again is a 409); either
    // lets every chair of A approve alone, so the approval rows keep their meaning.
    const workspace = ok(await ctx.shared(whoNamed('admin')).get(`/api/workspaces/${ctx.workspaceA}`), 'read A');
    const chairs = (workspace.members as Array<{ userId: string; roles: string[] }>).filter((m) => m.roles.includes('chair')).map((m) => m.userId);
    const body = workspace.approvalRule ? { approvers: [] } : { approvers: chairs, required: 1 };
    return api.put(`/api/workspaces/${ctx.workspaceA}/approval-rule`, body);
  },
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true },
);
simple(
  'PUT /api/workspaces/{iscmId}/members/{userId}/role',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  (api, ctx, _who, userId) => api.put(`/api/workspaces/${ctx.workspaceA}/members/${userId}/role`, { from: 'auditor', to: 'drafter' }),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: (ctx) => ctx.freshMemberOfA('auditor') },
);

// Webhooks (issue 14 §5): workspace and platform administrators only. The URL is an address of
// TEST-NET-1 (public, never routed: no DNS, nothing reached); a fresh webhook first removes the
// ones earlier cases left, as a workspace may have at most 10.
const WEBHOOK_URL = 'http://192.0.2.10/concord-hook';
const freshWebhook = async (ctx: Ctx) => {
  const admin = ctx.shared(whoNamed('admin'));
  for (const webhook of ok(await admin.get<Array<{ id: string }>>(`/api/workspaces/${ctx.workspaceA}/webhooks`), 'list webhooks')) {
    ok(await admin.delete(`/api/workspaces/${ctx.workspaceA}/webhooks/${webhook.id}`), 'remove a webhook');
  }
  return ok(await admin.post<{ id: string }>(`/api/workspaces/${ctx.workspaceA}/webhooks`, { url: WEBHOOK_URL, events: ['submission.locked'] }), 'register a webhook').id;
};
simple(
  'POST /api/workspaces/{iscmId}/webhooks',
  (who) => signedIn(who, workspaceAdmin(who), 201),
  async (api, ctx) => api.post(`/api/workspaces/${ctx.workspaceA}/webhooks`, { url: WEBHOOK_URL, events: ['submission.locked'] }),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: async (ctx) => (await freshWebhook(ctx)) && '' },
);
simple('GET /api/workspaces/{iscmId}/webhooks', (who) => signedIn(who, workspaceAdmin(who)), (api, ctx) => api.get(`/api/workspaces/${ctx.workspaceA}/webhooks`), () => []);
simple(
  'DELETE /api/workspaces/{iscmId}/webhooks/{webhookId}',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  (api, ctx, _who, webhookId) => api.delete(`/api/workspaces/${ctx.workspaceA}/webhooks/${webhookId}`),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: freshWebhook },
);
simple(
  'POST /api/workspaces/{iscmId}/webhooks/{webhookId}/test',
  (who) => signedIn(who, workspaceAdmin(who), 202),
  (api, ctx, _who, webhookId) => api.post(`/api/workspaces/${ctx.workspaceA}/webhooks/${webhookId}/test`),
  () => [],
  { prepare: freshWebhook },
);
simple(
  'GET /api/workspaces/{iscmId}/webhooks/{webhookId}/deliveries',
  (who) => signedIn(who, workspaceAdmin(who)),
  (api, ctx, _who, webhookId) => api.get(`/api/workspaces/${ctx.workspaceA}/webhooks/${webhookId}/deliveries?limit=5`),
  () => [],
  { prepare: freshWebhook },
);

// Invitations by one-time link: issued, listed and revoked by admins of the workspace; opened and
// accepted by whoever holds the link, signed in or not.
const issueInvitation = async (ctx: Ctx) =>
  ok(
    await ctx.shared(whoNamed('admin')).post<{ invitationId: string; token: string }>(`/api/workspaces/${ctx.workspaceA}/invitations`, {
      email: `invited.${ctx.unique()}@example.org`,
      role: 'drafter',
    }),
    'issue an invitation',
  );
simple(
  'POST /api/workspaces/{iscmId}/invitations',
  (who) => signedIn(who, workspaceAdmin(who), 201),
  (api, ctx) => api.post(`/api/workspaces/${ctx.workspaceA}/invitations`, { email: `invitee.${ctx.unique()}@example.org`, role: 'auditor' }),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true },
);
simple(
  'GET /api/workspaces/{iscmId}/invitations',
  (who) => signedIn(who, workspaceAdmin(who)),
  (api, ctx) => api.get(`/api/workspaces/${ctx.workspaceA}/invitations`),
  () => [],
);
simple(
  'DELETE /api/workspaces/{iscmId}/invitations/{invitationId}',
  (who) => signedIn(who, workspaceAdmin(who), 204),
  (api, ctx, _who, invitationId) => api.delete(`/api/workspaces/${ctx.workspaceA}/invitations/${invitationId}`),
  (ctx) => [`iscm-${ctx.workspaceA}`],
  { mutation: true, prepare: async (ctx) => (await issueInvitation(ctx)).invitationId },
);
simple(
  'GET /api/invitations/{token}',
  () => 200,
  (api, _ctx, _who, token) => api.get(`/api/invitations/${token}`),
  () => [],
  { prepare: async (ctx) => (await issueInvitation(ctx)).token },
);
add(
  'POST /api/invitations/{token}/accept',
  WHO.flatMap<RestCase>((who) => {
    const accept = (state: string, expected: number, link: (ctx: Ctx) => Promise<string>): RestCase => ({
      route: 'POST /api/invitations/{token}/accept',
      who,
      state,
      expected,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const token = await link(ctx);
        const response = await ctx.api(who).post(`/api/invitations/${token}/accept`, { name: `Invitee ${ctx.unique()}`, password: CHANGED_PASSWORD });
        return { response, streams: [`iscm-${ctx.workspaceA}`, 'user-%'] };
      },
    });
    return [
      accept('a link not issued by Concord', 400, async () => 'not-an-invitation'),
      accept('a fresh link', 201, async (ctx) => (await issueInvitation(ctx)).token),
      accept('a link used once already', 410, async (ctx) => {
        const { token } = await issueInvitation(ctx);
        ok(await ctx.server.api().post(`/api/invitations/${token}/accept`, { name: 'First taker', password: CHANGED_PASSWORD }), 'accept once');
        return token;
      }),
    ];
  }),
);

// Users: platform administrators only.
simple('GET /api/users', (who) => signedIn(who, who.platformAdmin), (api) => api.get('/api/users'), () => []);
simple(
  'POST /api/users',
  (who) => signedIn(who, who.platformAdmin, 201),
  (api, ctx) => {
    const suffix = ctx.unique();
    return api.post('/api/users', { email: `made.${suffix}@example.org`, name: `Made ${suffix}`, password: 'a-long-password-1' });
  },
  () => ['user-%'],
  { mutation: true },
);
simple(
  'POST /api/users/{userId}/disable',
  (who) => signedIn(who, who.platformAdmin, 204),
  (api, _ctx, _who, userId) => api.post(`/api/users/${userId}/disable`),
  () => ['user-%'],
  { mutation: true, prepare: (ctx) => ctx.freshUser() },
);

// A received document checked against the log: what is sent here is no document (400 with the reason, to anyone signed in).
simple(
  'POST /api/documents/verify',
  (who) => (who.anonymous ? 401 : 400),
  (api) => api.request('POST', '/api/documents/verify', 'not a document', { 'content-type': 'application/octet-stream' }),
  () => [],
);

// Reference data: the GCM consultations, for every signed-in user.
simple('GET /api/consultations', (who) => (who.anonymous ? 401 : 200), (api) => api.get('/api/consultations'), () => []);

// Auth and health.
simple('GET /api/health', () => 200, (api) => api.get('/api/health'), () => []);
simple('GET /api/auth/me', (who) => (who.anonymous ? 401 : 200), (api) => api.get('/api/auth/me'), () => [], {
  check: (who) => (response, ctx) => expect(response.body.id).toBe(ctx.userId(who)),
});
simple(
  'POST /api/auth/login',
  // Each signs in with their own password; "anonymous" tries a wrong one.
  (who) => (who.anonymous ? 401 : 200),
  (api, _ctx, who) =>
    who.anonymous
      ? api.post('/api/auth/login', { email: 'drafter1@concord.demo', password: 'not-the-password' })
      : api.post('/api/auth/login', { email: emailOf(who), password: passwordOf(who) }),
  () => [],
);

// Sessions (issue 9 point 2). Cases that end a session act on a fresh sign-in of the same person,
// so the shared sessions the other cases use live on (but for sign-out everywhere, which ends those
// too: the shared session is renewed after it). The refusal streams are `session-%`: a refused
// case may start or end no session.
const refusedAnonymously = (who: Who, status: number) => (who.anonymous ? 401 : status);
/**
 * A case on a fresh sign-in of `who` (none for anonymous): made before the case's request is
 * marked (`ctx.api`), so the streams counted are those the request itself may change.
 */
function onFreshSession(
  route: string,
  expected: (who: Who) => number,
  act: (ctx: Ctx, who: Who, fresh: FreshSession | null, marked: ApiClient) => Promise<ApiResponse>,
  options: { mutation: boolean; check?: (who: Who) => RestCase['check'] },
): void {
  add(
    route,
    WHO.map<RestCase>((who) => ({
      route,
      who,
      state: 'a fresh sign-in',
      expected: expected(who),
      consumes: false,
      mutation: options.mutation,
      check: options.check?.(who),
      send: async (ctx) => {
        const fresh = who.anonymous ? null : await ctx.freshSession(who);
        const response = await act(ctx, who, fresh, ctx.api(who));
        return { response, streams: fresh ? [`session-${fresh.sessionId}`] : ['session-%'] };
      },
    })),
  );
}
onFreshSession(
  'POST /api/auth/refresh',
  // No refresh cookie (anonymous) → 401; a signed-in browser's cookie → a new access token.
  (who) => refusedAnonymously(who, 200),
  (ctx, _who, fresh, marked) =>
    fresh ? ctx.server.api().request('POST', '/api/auth/refresh', undefined, { cookie: fresh.cookie }) : marked.post('/api/auth/refresh'),
  { mutation: false, check: (who) => (response, ctx) => expect(response.body.user.id).toBe(ctx.userId(who)) },
);
onFreshSession(
  'POST /api/auth/logout',
  (who) => refusedAnonymously(who, 204),
  async (ctx, who, fresh, marked) => {
    if (!fresh) return marked.post('/api/auth/logout');
    const response = await ctx.server.api(fresh.accessToken).post('/api/auth/logout');
    // The ended session's token is refused at once; the shared session of the same person is not.
    expect((await ctx.server.api(fresh.accessToken).get('/api/auth/me')).status).toBe(401);
    expect((await ctx.shared(who).get('/api/auth/me')).status).toBe(200);
    return response;
  },
  { mutation: true },
);
onFreshSession(
  'POST /api/auth/logout-all',
  (who) => refusedAnonymously(who, 200),
  async (ctx, who, fresh, marked) => {
    if (!fresh) return marked.post('/api/auth/logout-all');
    const response = await ctx.server.api(fresh.accessToken).post('/api/auth/logout-all');
    // Every session of that person ended, the shared one too: renewed for the cases that follow.
    expect((await ctx.shared(who).get('/api/auth/me')).status).toBe(401);
    await ctx.renewShared(who);
    return response;
  },
  { mutation: true, check: () => (response) => expect(response.body.ended).toBeGreaterThanOrEqual(2) },
);
simple(
  'GET /api/auth/sessions',
  (who) => refusedAnonymously(who, 200),
  (api) => api.get('/api/auth/sessions'),
  () => [],
  // Only my own sessions, the one asking marked current.
  { check: () => (response) => expect((response.body as Array<{ current: boolean }>).filter((s) => s.current)).toHaveLength(1) },
);
add('DELETE /api/auth/sessions/{id}', [
  ...WHO.map<RestCase>((who) => ({
    route: 'DELETE /api/auth/sessions/{id}',
    who,
    state: 'another session of mine',
    expected: refusedAnonymously(who, 204),
    consumes: false,
    mutation: true,
    send: async (ctx) => {
      // Anonymous names the drafter's session: still 401.
      const target = await ctx.freshSession(who.anonymous ? whoNamed('drafter') : who);
      const response = await ctx.api(who).delete(`/api/auth/sessions/${target.sessionId}`);
      if (response.status === 204) expect((await ctx.server.api(target.accessToken).get('/api/auth/me')).status).toBe(401);
      else expect((await ctx.server.api(target.accessToken).get('/api/auth/me')).status).toBe(200);
      return { response, streams: [`session-${target.sessionId}`] };
    },
  })),
  // Someone else's session is not mine to end, whatever my role (a platform admin included).
  ...WHO.map<RestCase>((who) => ({
    route: 'DELETE /api/auth/sessions/{id}',
    who,
    state: "someone else's session",
    expected: refusedAnonymously(who, 404),
    consumes: false,
    mutation: true,
    send: async (ctx) => {
      const target = await ctx.freshSession(whoNamed(who.name === 'chair' ? 'drafter' : 'chair'));
      const response = await ctx.api(who).delete(`/api/auth/sessions/${target.sessionId}`);
      expect((await ctx.server.api(target.accessToken).get('/api/auth/me')).status).toBe(200);
      return { response, streams: [`session-${target.sessionId}`] };
    },
  })),
]);

// Socket tickets (issue 9 point 5): any signed-in session may ask; what the socket then allows is
// the socket matrix below (a ticket carries no right of its own).
simple(
  'POST /api/collab/tickets',
  (who) => refusedAnonymously(who, 200),
  (api, ctx) => api.post('/api/collab/tickets', { proposalId: ctx.proposal(REPRESENTATIVE[0]) }),
  () => [],
  { check: () => (response) => expect(response.body).toEqual({ ticket: expect.any(String), expiresIn: 60 }) },
);

// Audit: auditors and admins of a workspace read ITS events; platform administrators all of them.
simple(
  'GET /api/audit/events',
  (who) => signedIn(who, auditorAnywhere(who)),
  (api, ctx) => api.get(`/api/audit/events?stream=${encodeURIComponent(`proposal-${ctx.proposal(REPRESENTATIVE[0])}`)}&limit=50`),
  () => [],
  // Those who audit only workspace B get an empty page for A's stream.
  { check: (who) => (response) => expect({ seesEvents: (response.body.items as unknown[]).length > 0 }).toEqual({ seesEvents: seesA(who) }) },
);
simple(
  'GET /api/audit/events/{position}',
  (who) => (who.anonymous ? 401 : !auditorAnywhere(who) ? 403 : seesA(who) ? 200 : 404),
  (api, ctx) => api.get(`/api/audit/events/${ctx.auditPositionInA}`),
  () => [],
);
simple('GET /api/audit/verify', (who) => signedIn(who, auditorAnywhere(who)), (api) => api.get('/api/audit/verify?cached=true'), () => []);
simple('GET /api/audit/checkpoints', (who) => signedIn(who, auditorAnywhere(who)), (api) => api.get('/api/audit/checkpoints?limit=5'), () => []);
simple(
  'GET /api/audit/checkpoints/{globalPosition}',
  (who) => signedIn(who, auditorAnywhere(who)),
  (api, ctx) => api.get(`/api/audit/checkpoints/${ctx.checkpointPosition}`),
  () => [],
);

// ---------------------------------------------------------------------------------------------
// Accounts and sign-in

const PASSWORD = 'authz-matrix-password';
const emailOf = (who: Who) =>
  ({ drafter: 'drafter1@concord.demo', chair: 'chair@concord.demo', auditor: 'auditor@concord.demo', delegate: 'delegate1@concord.demo', admin: 'admin@concord.demo' })[
    who.name
  ] ??
  `${who.name}@authz.example.org`;
const passwordOf = (who: Who) => (emailOf(who).endsWith('@concord.demo') ? 'concord-demo' : PASSWORD);

/**
 * A TOTP code of `secret` for a time step this user has not used yet (the server refuses a step's
 * code twice per user, whatever the secret; it accepts the steps either side of now).
 */
const usedSteps = new Map<string, Set<number>>();
function unusedCode(userId: string, secret: string): string {
  const used = usedSteps.get(userId) ?? new Set<number>();
  usedSteps.set(userId, used);
  for (const offset of [0, 1, -1]) {
    const at = Date.now() + offset * 30_000;
    const step = Math.floor(at / 30_000);
    if (!used.has(step)) {
      used.add(step);
      return authenticator.clone({ epoch: at }).generate(secret);
    }
  }
  throw new Error(`no unused TOTP step left for ${userId}: wait 30 s`);
}

/** A 6-digit code that is valid for none of the steps the server accepts now. */
function wrongCodeFor(secret: string): string {
  const valid = [-1, 0, 1].map((offset) => authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) as string;
}

/** Turns on `who`'s second factor through their shared session; returns the recovery codes. */
async function enrol(ctx: Ctx, who: Who): Promise<string[]> {
  const me = ctx.shared(who);
  const setup = ok(await me.post<{ secret: string; enrolmentToken: string }>('/api/account/mfa/setup'), `set-up for ${who.name}`);
  const confirmed = ok(
    await me.post<{ recoveryCodes: string[] }>('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: unusedCode(ctx.userId(who), setup.secret) }),
    `enrol ${who.name}`,
  );
  return confirmed.recoveryCodes;
}

// Own account (issue 9 points 3 and 4): every signed-in person, whatever their role, and only for
// themselves (no route takes a user id). What changes a shared account is undone in the same case:
// the demo accounts keep `concord-demo` and no second factor.
const CHANGED_PASSWORD = 'authz-matrix-changed-7';
const ownAccount = (who: Who, ctx: Ctx) => (who.anonymous ? ['user-%'] : [`user-${ctx.userId(who)}`]);
add(
  'POST /api/account/password',
  WHO.flatMap<RestCase>((who) => [
    {
      route: 'POST /api/account/password',
      who,
      state: 'wrong current password',
      expected: refusedAnonymously(who, 400),
      consumes: false,
      mutation: true,
      send: async (ctx) => ({
        response: await ctx.api(who).post('/api/account/password', { currentPassword: 'not-my-password-at-all', newPassword: CHANGED_PASSWORD }),
        streams: ownAccount(who, ctx),
      }),
    },
    {
      route: 'POST /api/account/password',
      who,
      state: 'a common new password',
      expected: refusedAnonymously(who, 400),
      consumes: false,
      mutation: true,
      send: async (ctx) => ({
        response: await ctx.api(who).post('/api/account/password', { currentPassword: passwordOf(who), newPassword: 'password1234' }),
        streams: ownAccount(who, ctx),
      }),
    },
    {
      route: 'POST /api/account/password',
      who,
      state: 'right current password (another session open)',
      expected: refusedAnonymously(who, 204),
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const other = who.anonymous ? null : await ctx.freshSession(who);
        const response = await ctx.api(who).post('/api/account/password', { currentPassword: passwordOf(who), newPassword: CHANGED_PASSWORD });
        if (other && response.status === 204) {
          // My other session ended; the one that changed the password goes on. Then the password is put back.
          expect((await ctx.server.api(other.accessToken).get('/api/auth/me')).status).toBe(401);
          expect((await ctx.shared(who).get('/api/auth/me')).status).toBe(200);
          ok(await ctx.shared(who).post('/api/account/password', { currentPassword: CHANGED_PASSWORD, newPassword: passwordOf(who) }), 'put the password back');
        }
        return { response, streams: ownAccount(who, ctx) };
      },
    },
  ]),
);
simple('GET /api/account/mfa', (who) => refusedAnonymously(who, 200), (api) => api.get('/api/account/mfa'), () => [], {
  check: () => (response) => expect(response.body).toEqual({ enabled: false, recoveryCodesLeft: 0, required: false }),
});
// Notifications (issue 14 §5): every signed-in person, only their own (no route takes a user id).
simple('GET /api/notifications', (who) => refusedAnonymously(who, 200), (api) => api.get('/api/notifications?limit=5'), () => [], {
  check: () => (response) => expect(response.body).toMatchObject({ items: expect.any(Array), unreadCount: expect.any(Number) }),
});
// An id read is recorded whether or not it names one of the caller's notifications (others' stay unread).
simple(
  'POST /api/notifications/read',
  (who) => refusedAnonymously(who, 200),
  (api) => api.post('/api/notifications/read', { ids: ['0123456789abcdef0123456789abcdef'] }),
  () => ['notifications-%'],
  { mutation: true, check: () => (response) => expect(response.body).toEqual({ unreadCount: expect.any(Number) }) },
);
simple('GET /api/notifications/preferences', (who) => refusedAnonymously(who, 200), (api) => api.get('/api/notifications/preferences'), () => [], {
  check: () => (response) => expect(response.body['review-requested']).toEqual({ inApp: expect.any(Boolean), email: expect.any(String) }),
});
simple(
  'PUT /api/notifications/preferences',
  (who) => refusedAnonymously(who, 200),
  (api) => api.put('/api/notifications/preferences', { 'thread-reply': { inApp: true, email: 'off' } }),
  () => ['notifications-%'],
  { mutation: true, check: () => (response) => expect(response.body['thread-reply']).toEqual({ inApp: true, email: 'off' }) },
);
simple('POST /api/account/mfa/setup', (who) => refusedAnonymously(who, 200), (api) => api.post('/api/account/mfa/setup'), () => ['user-%'], {
  // Nothing is recorded until the first code confirms it.
  check: () => (response) =>
    expect(response.body).toEqual({ secret: expect.any(String), otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//), qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/), enrolmentToken: expect.any(String) }),
});
add(
  'POST /api/account/mfa/confirm',
  WHO.flatMap<RestCase>((who) => {
    const confirm = (state: string, expected: number, enrolmentOf: (ctx: Ctx) => Who, code: (ctx: Ctx, secret: string) => string): RestCase => ({
      route: 'POST /api/account/mfa/confirm',
      who,
      state,
      expected,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const owner = enrolmentOf(ctx);
        const setup = ok(await ctx.shared(owner).post<{ secret: string; enrolmentToken: string }>('/api/account/mfa/setup'), 'set-up');
        const response = await ctx.api(who).post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: code(ctx, setup.secret) });
        if (response.status === 200) {
          // Turned off again with the password and a recovery code, as the user would.
          const off = { password: passwordOf(who), code: (response.body.recoveryCodes as string[])[0] };
          expect((await ctx.shared(who).post('/api/account/mfa/disable', off)).status).toBe(204);
        }
        return { response, streams: ownAccount(who, ctx) };
      },
    });
    // Anonymous callers present the drafter's set-up (still 401).
    const self = () => (who.anonymous ? whoNamed('drafter') : who);
    const someoneElse = () => whoNamed(who.name === 'chair' ? 'drafter' : 'chair');
    return [
      confirm('my enrolment, wrong code', refusedAnonymously(who, 400), self, (_ctx, secret) => wrongCodeFor(secret)),
      confirm('my enrolment, right code', refusedAnonymously(who, 200), self, (ctx, secret) => unusedCode(ctx.userId(self()), secret)),
      // Someone else's set-up, with its right code: refused before the code is even looked at.
      confirm("someone else's enrolment, right code", refusedAnonymously(who, 400), someoneElse, (_ctx, secret) => authenticator.generate(secret)),
    ];
  }),
);
add(
  'POST /api/account/mfa/disable',
  WHO.flatMap<RestCase>((who) => [
    {
      route: 'POST /api/account/mfa/disable',
      who,
      state: 'second factor on',
      expected: refusedAnonymously(who, 204),
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const codes = who.anonymous ? ['aaaaa-aaaaa'] : await enrol(ctx, who);
        return {
          response: await ctx.api(who).post('/api/account/mfa/disable', { password: passwordOf(who), code: codes[0] }),
          streams: ownAccount(who, ctx),
        };
      },
    },
    {
      route: 'POST /api/account/mfa/disable',
      who,
      state: 'second factor off',
      expected: refusedAnonymously(who, 409),
      consumes: false,
      mutation: true,
      send: async (ctx) => ({
        response: await ctx.api(who).post('/api/account/mfa/disable', { password: passwordOf(who), code: '123456' }),
        streams: ownAccount(who, ctx),
      }),
    },
  ]),
);

// The second sign-in step and reset links need no session: whoever calls, the challenge or the link
// decides. Each case signs in (or resets) an account of its own, made for it.
add(
  'POST /api/auth/mfa',
  WHO.flatMap<RestCase>((who) => [
    {
      route: 'POST /api/auth/mfa',
      who,
      state: 'a forged challenge',
      expected: 401,
      consumes: false,
      mutation: false,
      send: async (ctx) => ({ response: await ctx.api(who).post('/api/auth/mfa', { mfaToken: 'v1.forged.challenge', code: '123456' }), streams: ['session-%'] }),
    },
    {
      route: 'POST /api/auth/mfa',
      who,
      state: 'a challenge answered with a recovery code',
      expected: 200,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const account = await ctx.freshMfaUser();
        const { mfaToken } = ok(await ctx.server.api().post('/api/auth/login', { email: account.email, password: PASSWORD }), 'password step');
        const response = await ctx.api(who).post('/api/auth/mfa', { mfaToken, code: account.recoveryCodes[0] });
        if (response.status === 200) {
          // A session of that account (not of the caller), whose token works.
          expect(response.body).toMatchObject({ sessionId: expect.any(String), user: { id: account.userId } });
          expect(ok(await ctx.server.api(response.body.accessToken).get('/api/auth/me')).id).toBe(account.userId);
        }
        return { response, streams: [`user-${account.userId}`, 'session-%'] };
      },
    },
    {
      route: 'POST /api/auth/mfa',
      who,
      state: 'a recovery code already used',
      expected: 401,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const account = await ctx.freshMfaUser();
        const anonymous = ctx.server.api();
        const first = ok(await anonymous.post('/api/auth/login', { email: account.email, password: PASSWORD }), 'password step');
        ok(await anonymous.post('/api/auth/mfa', { mfaToken: first.mfaToken, code: account.recoveryCodes[0] }), 'first use');
        const second = ok(await anonymous.post('/api/auth/login', { email: account.email, password: PASSWORD }), 'password step again');
        const response = await ctx.api(who).post('/api/auth/mfa', { mfaToken: second.mfaToken, code: account.recoveryCodes[0] });
        return { response, streams: [`user-${account.userId}`, 'session-%'] };
      },
    },
  ]),
);
add(
  'POST /api/auth/reset',
  WHO.flatMap<RestCase>((who) => {
    const reset = (state: string, expected: number, link: (ctx: Ctx) => Promise<{ token: string; userId: string; accessToken?: string }>): RestCase => ({
      route: 'POST /api/auth/reset',
      who,
      state,
      expected,
      consumes: false,
      mutation: true,
      send: async (ctx) => {
        const { token, userId, accessToken } = await link(ctx);
        const response = await ctx.api(who).post('/api/auth/reset', { token, newPassword: CHANGED_PASSWORD });
        // A reset ends every session the account had; a refused one ends none.
        if (accessToken) expect((await ctx.server.api(accessToken).get('/api/auth/me')).status).toBe(response.status === 204 ? 401 : 200);
        return { response, streams: [`user-${userId}`, 'session-%'] };
      },
    });
    const issued = async (ctx: Ctx, uses: number) => {
      const userId = await ctx.freshUser();
      const { accessToken } = ok(await ctx.server.api().post('/api/auth/login', { email: (await ctx.userEmail(userId)), password: PASSWORD }), 'sign in');
      const { token } = ok(await ctx.shared(whoNamed('admin')).post<{ token: string }>(`/api/admin/users/${userId}/password-reset`), 'issue a link');
      for (let i = 0; i < uses; i++) ok(await ctx.server.api().post('/api/auth/reset', { token, newPassword: `used-before-${i}-${ctx.unique()}` }), 'use the link');
      return { token, userId, accessToken: uses === 0 ? accessToken : undefined };
    };
    return [
      reset('a link not issued by Concord', 400, async () => ({ token: 'not-a-reset-token', userId: 'none' })),
      reset('a fresh link', 204, (ctx) => issued(ctx, 0)),
      reset('a link used once already', 410, (ctx) => issued(ctx, 1)),
    ];
  }),
);

// Users, as platform administrators manage them (disabling is POST /api/users/{userId}/disable).
simple('GET /api/admin/users', (who) => signedIn(who, who.platformAdmin), (api) => api.get('/api/admin/users'), () => [], {
  check: () => (response, ctx) => expect((response.body as Array<{ id: string }>).map((user) => user.id)).toContain(ctx.userId(whoNamed('drafter'))),
});
simple(
  'POST /api/admin/users/{userId}/reenable',
  (who) => signedIn(who, who.platformAdmin, 204),
  (api, _ctx, _who, userId) => api.post(`/api/admin/users/${userId}/reenable`),
  () => ['user-%'],
  {
    mutation: true,
    prepare: async (ctx) => {
      const userId = await ctx.freshUser();
      expect((await ctx.shared(whoNamed('admin')).post(`/api/users/${userId}/disable`)).status).toBe(204);
      return userId;
    },
  },
);
simple(
  'POST /api/admin/users/{userId}/password-reset',
  (who) => signedIn(who, who.platformAdmin, 201),
  (api, _ctx, _who, userId) => api.post(`/api/admin/users/${userId}/password-reset`),
  () => ['user-%'],
  {
    mutation: true,
    prepare: (ctx) => ctx.freshUser(),
    check: () => (response) => expect(response.body).toEqual({ resetPath: `/reset/${response.body.token}`, token: expect.any(String), expiresAt: expect.any(String) }),
  },
);
simple(
  'POST /api/admin/users/{userId}/mfa/disable',
  (who) => signedIn(who, who.platformAdmin, 204),
  (api, _ctx, _who, userId) => api.post(`/api/admin/users/${userId}/mfa/disable`),
  () => ['user-%'],
  { mutation: true, prepare: async (ctx) => (await ctx.freshMfaUser()).userId },
);


// ---------------------------------------------------------------------------------------------
// Sockets

type SocketExpected = 'read-write' | 'suggest-only' | 'read-only' | 4401 | 4403 | 4404;

/**
 * Hand-written: drafters write and delegates suggest unless withdrawn or locked; anyone else who
 * sees A reads; others are refused.
 */
function expectSocket(who: Who, f: PFixture | 'unknown'): SocketExpected {
  if (who.anonymous) return 4401;
  if (f === 'unknown') return 4404;
  if (!seesA(who)) return 4403;
  const open = f.p !== 'withdrawn' && f.s !== 'submitted';
  if (holds(who, ['drafter']) && open) return 'read-write';
  if (holds(who, ['delegate']) && open) return 'suggest-only';
  return 'read-only';
}

interface SocketSession {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly refusals: string[];
  readonly closeCodes: number[];
  synced: boolean;
  close(): void;
}

/**
 * THE one place that knows how a socket authenticates: a single-use ticket from
 * `POST /api/collab/tickets` (bound to the proposal) in `?ticket=`; anonymous callers have none.
 * `credential: 'access-token'` instead puts the caller's access token in `?token=` (refused 4401).
 * Stock WebsocketProvider, no reconnect.
 */
async function openSocketAs(
  ctx: Ctx,
  who: Who,
  proposalId: string,
  tokens: Map<string, string>,
  credential: 'ticket' | 'access-token' = 'ticket',
): Promise<SocketSession> {
  const params: Record<string, string> = {};
  if (!who.anonymous && credential === 'ticket') params['ticket'] = await fetchTicket(ctx.server.collabUrl, tokens.get(who.name) as string, proposalId);
  if (!who.anonymous && credential === 'access-token') params['token'] = tokens.get(who.name) as string;
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(ctx.server.collabUrl, proposalId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const session: SocketSession = {
    doc,
    provider,
    refusals: [],
    closeCodes: [],
    synced: false,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) session.refusals.push(decoding.readVarString(decoder));
  };
  provider.on('connection-close', (event: { code?: number } | null) => {
    if (event && typeof event.code === 'number') session.closeCodes.push(event.code);
    provider.shouldConnect = false;
  });
  provider.on('sync', (isSynced: boolean) => {
    if (isSynced) session.synced = true;
  });
  onTeardown(() => session.close());
  await eventually(() => session.synced || session.closeCodes.length > 0, { timeoutMs: 15_000, what: `${who.name}'s socket syncs or closes` });
  return session;
}

function newParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText();
  doc.transact(() => {
    paragraph.insert(0, [content]);
    doc.getXmlFragment('content').insert(0, [paragraph]);
  });
  content.insert(0, text);
}

// ---------------------------------------------------------------------------------------------

describe('authorization matrix: role × endpoint × workspace × state (sqlite, demo)', () => {
  let server: ApiProcess;
  let store: Database.Database;
  const tokens = new Map<string, string>();
  const clients = new Map<string, ApiClient>();
  const userIds = new Map<string, string>();
  const proposals = new Map<string, string>();
  const submissions = new Map<SFixture, string>();
  const B = 'authz-second-workspace';
  let counter = 0;
  let ctx: Ctx;

  const as = (name: string) => clients.get(name) as ApiClient;

  /** Types two revisions into a proposal as drafter1, each waited for (so revision 1 and 2 exist). */
  async function writeTwoRevisions(proposalId: string): Promise<void> {
    const writer = connectClient(server.collabUrl, proposalId, tokens.get('drafter') as string);
    await writer.synced;
    for (const text of ['First paragraph.', 'Second paragraph.']) {
      const before = ctx.countEvents([`proposal-${proposalId}-content`]);
      newParagraph(writer.doc, text);
      await eventually(() => ctx.countEvents([`proposal-${proposalId}-content`]) > before, { what: 'the text is recorded' });
    }
    await eventually(async () => (await currentRevision(ctx, proposalId)) >= 2, { what: 'the read model shows revision 2' });
    writer.close();
  }

  async function createProposal(submissionId: string, withText: boolean): Promise<string> {
    const created = ok(
      await as('drafter').post<{ id: string }>('/api/proposals', { submissionId, title: `Fixture ${++counter}`, kind: 'policy', gcmObjectives: [7] }),
      'create a fixture proposal',
    );
    if (withText) await writeTwoRevisions(created.id);
    return created.id;
  }

  /** Takes a draft proposal to `p` through the API, as drafter1 and the chair. */
  async function drive(id: string, p: PState): Promise<void> {
    const revision = await currentRevision(ctx, id);
    if (p === 'withdrawn') ok(await as('drafter').post(`/api/proposals/${id}/withdraw`), 'withdraw');
    if (p === 'draft' || p === 'withdrawn') return;
    ok(await as('drafter').post(`/api/proposals/${id}/review`, { revision }), 'send for review');
    if (p === 'approved') ok(await as('chair').post(`/api/proposals/${id}/approvals`, { revision }), 'approve');
    if (p === 'changes_requested') ok(await as('chair').post(`/api/proposals/${id}/changes-requested`, { revision, comment: 'More, please.' }), 'request changes');
  }

  /** An empty submission of A in state `s` (`review` holds an unapproved draft; `review-ready` holds nothing). */
  async function submissionIn(s: SFixture): Promise<string> {
    const opened = ok(
      await as('drafter').post<{ id: string }>('/api/submissions', {
        iscmId: ctx.workspaceA,
        consultation: 'Authorization matrix',
        // Its questions are sections that take an introduction.
        consultationId: 'gcm-ts3-2017',
        title: `Submission ${++counter}`,
        dueDate: '2030-01-01',
      }),
      'open a submission',
    );
    if (s === 'review') await createProposal(opened.id, false);
    if (s !== 'drafting') ok(await as('drafter').post(`/api/submissions/${opened.id}/send-for-approval`), 'send for approval');
    if (s === 'approved' || s === 'submitted') ok(await as('chair').post(`/api/submissions/${opened.id}/approve`), 'approve submission');
    if (s === 'submitted') ok(await as('chair').post(`/api/submissions/${opened.id}/lock`), 'lock');
    return opened.id;
  }

  /**
   * Five proposals (one per state) in a submission in state `s`. An approved or locked submission
   * holds only approved or withdrawn proposals when it is approved; the others are added after its
   * approval (allowed until it is locked).
   */
  async function buildSubmission(s: SState, canonical: boolean): Promise<void> {
    const opened = ok(
      await as('drafter').post<{ id: string }>('/api/submissions', { iscmId: ctx.workspaceA, consultation: 'Authorization matrix', title: `Canonical ${s}`, dueDate: '2030-01-01' }),
      'open',
    );
    const id = opened.id;
    const early: PState[] = s === 'approved' || s === 'submitted' ? ['approved', 'withdrawn'] : [...PROPOSAL_STATES];
    const late = PROPOSAL_STATES.filter((p) => !early.includes(p));
    const make = async (states: readonly PState[]) => {
      const made = await Promise.all(states.map(async (p) => [p, await createProposal(id, canonical)] as const));
      for (const [p, proposalId] of made) {
        await drive(proposalId, p);
        proposals.set(key({ p, s }), proposalId);
      }
    };
    await make(early);
    if (s !== 'drafting') ok(await as('drafter').post(`/api/submissions/${id}/send-for-approval`), 'send for approval');
    if (s === 'approved' || s === 'submitted') ok(await as('chair').post(`/api/submissions/${id}/approve`), 'approve submission');
    await make(late);
    if (s === 'submitted') ok(await as('chair').post(`/api/submissions/${id}/lock`), 'lock');
    submissions.set(s, id);
  }

  beforeAll(async () => {
    // The suite runs longer than an access token lives by default (10 min): the shared sign-ins must last it.
    server = await startApi({ name: 'authorization', env: { CHECKPOINT_INTERVAL_MS: '1000', ACCESS_TOKEN_TTL: '3h', SESSION_IDLE_TIMEOUT: '3h', SESSION_MAX_AGE: '6h' } });
    store = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true, fileMustExist: true });
    onTeardown(() => {
      store.close();
    });
    const countStatement = store.prepare('SELECT COUNT(*) AS n FROM events WHERE stream = ?');
    const likeStatement = store.prepare('SELECT COUNT(*) AS n FROM events WHERE stream LIKE ?');

    const client = (who: Who, token?: string) => {
      const api = server.api(token);
      clients.set(who.name, api);
      if (token) tokens.set(who.name, token);
    };
    // Demo accounts of workspace A.
    for (const name of ['drafter', 'chair', 'auditor', 'delegate', 'admin']) {
      const who = whoNamed(name);
      client(who, await server.login(emailOf(who), passwordOf(who)));
      userIds.set(name, ok(await as(name).get('/api/auth/me')).id);
    }
    client(whoNamed('anonymous'));
    const platform = as('admin');
    const workspaceA = ok(await as('chair').get<Array<{ id: string }>>('/api/workspaces'))[0].id;
    ok(await platform.post('/api/workspaces', { id: B, abbreviation: 'AUTHZ-B', name: 'Second workspace (authorization matrix)', type: 'RCP' }), 'register B');
    // Accounts registered through the API, with roles in A, in B or nowhere.
    for (const who of WHO.filter((w) => !w.anonymous && !userIds.has(w.name))) {
      const { userId } = ok(
        await platform.post('/api/users', { email: emailOf(who), name: who.name, password: PASSWORD, isAdmin: who.platformAdmin }),
        `register ${who.name}`,
      );
      userIds.set(who.name, userId);
      for (const role of who.rolesInA) ok(await platform.post(`/api/workspaces/${workspaceA}/members`, { userId, role }), `${who.name} in A`);
      for (const role of who.rolesInB) ok(await platform.post(`/api/workspaces/${B}/members`, { userId, role }), `${who.name} in B`);
      client(who, await server.login(emailOf(who), PASSWORD));
    }

    ctx = {
      server,
      workspaceA,
      auditPositionInA: 0,
      checkpointPosition: 0,
      api: (who) => clients.get(who.name) as ApiClient,
      proposal: (f) => proposals.get(key(f)) as string,
      submission: (s) => submissions.get(s) as string,
      userId: (who) => userIds.get(who.name) as string,
      unique: () => `${Date.now().toString(36)}${++counter}`,
      countEvents: (streams) =>
        streams.reduce(
          (sum, stream) => sum + (stream.endsWith('%') ? (likeStatement.get(stream) as { n: number }).n : (countStatement.get(stream) as { n: number }).n),
          0,
        ),
      freshProposal: async ({ p, s }) => {
        // Drafting, review and approved submissions take new proposals; a locked one never changes.
        if (s === 'submitted') throw new Error('no fresh proposal in a locked submission');
        const id = await createProposal(submissions.get(s) as string, false);
        await drive(id, p);
        return id;
      },
      freshSubmission: (s) => submissionIn(s),
      freshUser: async () => {
        const suffix = ctx.unique();
        return ok(await as('admin').post('/api/users', { email: `victim.${suffix}@example.org`, name: `Victim ${suffix}`, password: PASSWORD })).userId as string;
      },
      freshSession: async (who) => {
        const response = await fetch(`${server.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: emailOf(who), password: passwordOf(who) }),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`fresh sign-in of ${who.name} answered ${response.status}: ${text}`);
        const body = JSON.parse(text) as { accessToken: string; sessionId: string };
        const cookie = (response.headers.getSetCookie().find((line) => line.startsWith('concord_refresh=')) ?? '').split(';')[0];
        return { accessToken: body.accessToken, sessionId: body.sessionId, cookie };
      },
      shared: (who) => clients.get(who.name) as ApiClient,
      renewShared: async (who) => client(who, await server.login(emailOf(who), passwordOf(who))),
      freshMfaUser: async () => {
        const userId = await ctx.freshUser();
        const email = await ctx.userEmail(userId);
        const me = server.api(await server.login(email, PASSWORD));
        const setup = ok(await me.post<{ secret: string; enrolmentToken: string }>('/api/account/mfa/setup'), 'set-up');
        const { recoveryCodes } = ok(
          await me.post<{ recoveryCodes: string[] }>('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: unusedCode(userId, setup.secret) }),
          'enrol',
        );
        return { userId, email, recoveryCodes };
      },
      userEmail: async (userId) => {
        const users = ok(await as('admin').get<Array<{ id: string; email: string }>>('/api/users'));
        return (users.find((user) => user.id === userId) as { email: string }).email;
      },
      freshMemberOfA: async (role) => {
        const userId = await ctx.freshUser();
        ok(await as('admin').post(`/api/workspaces/${workspaceA}/members`, { userId, role }), 'add a member to remove');
        return userId;
      },
    };

    for (const s of SUBMISSION_STATES) await buildSubmission(s, true);
    submissions.set('review-ready', await submissionIn('review-ready'));
    const draft = ctx.proposal(REPRESENTATIVE[0]);
    ctx.auditPositionInA = (store.prepare('SELECT MIN(position) AS p FROM events WHERE stream = ?').get(`proposal-${draft}`) as { p: number }).p;
    const checkpoints = await eventually(async () => {
      const list = ok(await platform.get<{ items: Array<{ globalPosition: number }> }>('/api/audit/checkpoints?limit=1'));
      return list.items[0];
    }, { timeoutMs: 20_000, what: 'a signed checkpoint' });
    ctx.checkpointPosition = checkpoints.globalPosition;
    // The audit read model has caught up with the fixtures.
    await eventually(async () => {
      const health = await server.health();
      return health.readModelPosition >= ctx.auditPositionInA;
    });
  }, 300_000);

  it('covers every REST route the server describes (a new endpoint needs rows here)', async () => {
    const openApi = ok(await server.api().get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs-json'));
    const described = Object.entries(openApi.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.filter((route) => !ROUTES[route]).sort()).toEqual([]);
    expect(Object.keys(ROUTES).filter((route) => !described.includes(route)).sort()).toEqual([]);
  });

  const restCases = Object.values(ROUTES).flatMap((route) => route.cases);

  it.each(restCases.map((c) => [`${c.route} · ${c.who.name} · ${c.state} → ${c.expected}`, c] as const))('REST %s', async (_name, c) => {
    const fresh = c.consumes && c.expected >= 200 && c.expected < 300;
    // The affected streams are counted when the case's own request goes out (after any fresh
    // fixture is made): `api(...)` is asked for exactly then.
    let before = new Map<string, number>();
    const marking: Ctx = {
      ...ctx,
      api: (who) => {
        const rows = store.prepare('SELECT stream, COUNT(*) AS n FROM events GROUP BY stream').all() as Array<{ stream: string; n: number }>;
        before = new Map(rows.map((row) => [row.stream, row.n]));
        return ctx.api(who);
      },
    };
    const beforeCount = (streams: readonly string[]) =>
      streams.reduce(
        (sum, stream) =>
          sum +
          (stream.endsWith('%')
            ? [...before.entries()].filter(([name]) => name.startsWith(stream.slice(0, -1))).reduce((n, [, count]) => n + count, 0)
            : (before.get(stream) ?? 0)),
        0,
      );
    const sent = await c.send(marking, fresh);
    const status = sent.response.status;
    expect({ status, body: status === c.expected ? undefined : sent.response.text.slice(0, 300) }).toEqual({ status: c.expected, body: undefined });
    if (status >= 400) {
      expect(sent.response.body).toMatchObject({ statusCode: status, message: expect.anything() });
      expect({ recorded: ctx.countEvents(sent.streams) - beforeCount(sent.streams) }).toEqual({ recorded: 0 });
    } else if (c.mutation) {
      expect(ctx.countEvents(sent.streams)).toBeGreaterThan(beforeCount(sent.streams));
    }
    if (status < 300) c.check?.(sent.response, ctx);
  });

  // -------------------------------------------------------------------------------------------
  // Sockets: role × proposal state × submission state

  const socketCases: Array<readonly [string, Who, PFixture | 'unknown', SocketExpected]> = [];
  for (const who of WHO) {
    for (const f of seesA(who) ? ALL_PROPOSAL_FIXTURES : REPRESENTATIVE) {
      socketCases.push([`${who.name} · proposal ${f.p}, submission ${f.s} → ${expectSocket(who, f)}`, who, f, expectSocket(who, f)]);
    }
    socketCases.push([`${who.name} · unknown proposal → ${expectSocket(who, 'unknown')}`, who, 'unknown', expectSocket(who, 'unknown')]);
  }

  it.each(socketCases)('socket %s', async (_name, who, f, expected) => {
    const proposalId = f === 'unknown' ? '7a4c3c9e-5d0b-4f7e-9a49-3f1c2b6d8e10' : ctx.proposal(f);
    const content = `proposal-${proposalId}-content`;
    const session = await openSocketAs(ctx, who, proposalId, tokens);
    try {
      if (typeof expected === 'number') {
        // Refused before any document byte: never synced, nothing of the text arrived.
        expect({ closeCodes: session.closeCodes, synced: session.synced }).toEqual({ closeCodes: [expected], synced: false });
        expect(session.doc.getXmlFragment('content').length).toBe(0);
        return;
      }
      expect({ synced: session.synced, closeCodes: session.closeCodes }).toEqual({ synced: true, closeCodes: [] });
      expect(session.doc.getXmlFragment('content').length).toBeGreaterThan(0);
      const before = ctx.countEvents([content]);
      newParagraph(session.doc, `${who.name} writes`);
      if (expected === 'read-only' || expected === 'suggest-only') {
        // A plain paragraph is no suggestion: a suggest-only connection refuses it too.
        await eventually(() => session.refusals.length > 0, { what: `${who.name} is told ${expected}` });
        expect(session.refusals[0]).toMatch(expected === 'read-only' ? /^read-only: / : /^invalid: Only suggestions are recorded for you/);
        await sleep(150);
        expect({ recorded: ctx.countEvents([content]) - before }).toEqual({ recorded: 0 });
        expect(session.provider.wsconnected).toBe(true);
      } else {
        await eventually(() => ctx.countEvents([content]) > before, { what: `${who.name}'s write is recorded` });
        expect(session.refusals).toEqual([]);
      }
    } finally {
      session.close();
    }
  });

  // The long-lived access token is no credential in the URL, whoever holds it: refused 4401
  // before any document byte, however wide the holder's rights.
  const tokenInUrlCases = WHO.filter((who) => !who.anonymous).map((who) => [`${who.name} · ?token=<access token> → 4401`, who] as const);

  it.each(tokenInUrlCases)('socket %s', async (_name, who) => {
    const session = await openSocketAs(ctx, who, ctx.proposal(REPRESENTATIVE[0]), tokens, 'access-token');
    try {
      expect({ closeCodes: session.closeCodes, synced: session.synced }).toEqual({ closeCodes: [4401], synced: false });
      expect(session.doc.getXmlFragment('content').length).toBe(0);
    } finally {
      session.close();
    }
  });

  it('has at least 200 cases', () => {
    expect(restCases.length + socketCases.length + tokenInUrlCases.length).toBeGreaterThanOrEqual(200);
    process.stdout.write(`[authorization] ${restCases.length} REST cases, ${socketCases.length + tokenInUrlCases.length} socket cases\n`);
  });
});
