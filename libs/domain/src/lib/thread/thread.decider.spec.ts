import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Actor } from '../shared/actor';
import { THREAD_LIMITS, threadsDecider } from './thread.decider';
import type { ThreadCommand, ThreadEvent, ThreadOpened } from './thread.messages';

const as = (userId: string, roles: Role[], isAdmin = false): Actor => ({ userId, isAdmin, roles });
const drafter = as('u-drafter', ['drafter']);
const chair = as('u-chair', ['chair']);
const otherDrafter = as('u-drafter2', ['drafter']);
const auditor = as('u-auditor', ['auditor']);
const commenterChair = as('u-chair2', ['chair']);
const MEMBERS = ['u-drafter', 'u-chair', 'u-drafter2', 'u-auditor', 'u-chair2'];
const ANCHOR = { from: 'AQLK2ZvYAwA=', to: 'AQLK2ZvYAwU=' };

const opened: ThreadOpened = {
  type: 'ThreadOpened',
  data: {
    proposalId: 'p1',
    threadId: 't1',
    anchor: ANCHOR,
    quote: 'free of charge',
    body: 'Which costs does this cover?',
    mentions: [],
    openedBy: 'u-chair2',
    revision: 12,
  },
};
const resolved = { type: 'ThreadResolved', data: { proposalId: 'p1', threadId: 't1', revision: 12 } } as const;

type DataOf<T extends ThreadCommand['type']> = Extract<ThreadCommand, { type: T }>['data'];
const command = <T extends ThreadCommand['type']>(type: T, data: Partial<DataOf<T>> & Record<string, unknown>) =>
  ({
    type,
    data: {
      proposalId: 'p1',
      actor: commenterChair,
      proposalStatus: 'draft',
      submissionStatus: 'drafting',
      currentRevision: 12,
      members: MEMBERS,
      mentions: [],
      ...data,
    },
  }) as unknown as Extract<ThreadCommand, { type: T }>;

const open = (data: Record<string, unknown> = {}) =>
  command('OpenThread', { threadId: 't1', anchor: ANCHOR, quote: ' free of charge ', body: ' Which costs does this cover? ', ...data });
const reply = (data: Record<string, unknown> = {}) => command('ReplyToThread', { threadId: 't1', replyId: 'r1', body: 'Fees and travel.', ...data });

describe('Threads', () => {
  const { given } = specificationFor(threadsDecider);

  describe('OpenThread', () => {
    it('opens a thread on quoted words, trimmed, recording its author and the revision', () => given([]).when(open()).then([opened]));
    it('keeps mentions of members, once each', () =>
      given([])
        .when(open({ mentions: ['u-drafter', 'u-drafter'] }))
        .then([{ ...opened, data: { ...opened.data, mentions: ['u-drafter'] } }]));
    it('refuses a mention of someone outside the workspace', () =>
      given([]).when(open({ mentions: ['stranger'] })).thenThrows('invalid', /stranger/));
    it('refuses an auditor', () => given([]).when(open({ actor: auditor })).thenThrows('forbidden', /comment/));
    it('refuses a withdrawn proposal', () => given([]).when(open({ proposalStatus: 'withdrawn' })).thenThrows('invalid_state', /withdrawn/));
    it('refuses a locked submission', () => given([]).when(open({ submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/));
    it('refuses a thread id that exists', () => given([opened]).when(open()).thenThrows('conflict'));
    it('refuses an empty comment', () => given([]).when(open({ body: '   ' })).thenThrows('invalid', /comment/));
    it('refuses a comment over the limit', () =>
      given([]).when(open({ body: 'x'.repeat(THREAD_LIMITS.body + 1) })).thenThrows('invalid'));
    it('refuses an anchor that is not base64', () =>
      given([]).when(open({ anchor: { from: 'not base64!', to: ANCHOR.to } })).thenThrows('invalid', /anchor.from/));
    it('refuses a missing anchor', () => given([]).when(open({ anchor: null })).thenThrows('invalid', /anchor/));
    it('refuses a thread id with odd characters', () => given([]).when(open({ threadId: '../x' })).thenThrows('invalid', /threadId/));
  });

  describe('ReplyToThread', () => {
    it('adds a reply', () =>
      given([opened])
        .when(reply({ actor: drafter, mentions: ['u-chair2'] }))
        .then([
          {
            type: 'ThreadReplied',
            data: { proposalId: 'p1', threadId: 't1', replyId: 'r1', body: 'Fees and travel.', mentions: ['u-chair2'], revision: 12 },
          },
        ]));
    it('refuses a reply to no thread', () => given([]).when(reply()).thenThrows('not_found'));
    it('refuses a reply id used before', () =>
      given([opened, { type: 'ThreadReplied', data: { proposalId: 'p1', threadId: 't1', replyId: 'r1', body: 'a', mentions: [], revision: 1 } }])
        .when(reply())
        .thenThrows('conflict'));
    it('accepts a reply on a resolved thread (the discussion may go on)', () =>
      given([opened, resolved]).when(reply()).then([
        { type: 'ThreadReplied', data: { proposalId: 'p1', threadId: 't1', replyId: 'r1', body: 'Fees and travel.', mentions: [], revision: 12 } },
      ]));
  });

  describe('ResolveThread and ReopenThread', () => {
    const resolve = (actor: Actor) => command('ResolveThread', { threadId: 't1', actor });
    const reopen = (actor: Actor) => command('ReopenThread', { threadId: 't1', actor });

    it('lets the author resolve', () => given([opened]).when(resolve(commenterChair)).then([resolved]));
    it('lets a drafter resolve', () => given([opened]).when(resolve(otherDrafter)).then([resolved]));
    it('lets a chair resolve another’s thread', () => given([opened]).when(resolve(chair)).then([resolved]));
    it('changes nothing when resolved twice', () => given([opened, resolved]).when(resolve(drafter)).thenNothingHappens());
    it('reopens', () =>
      given([opened, resolved]).when(reopen(drafter)).then([{ type: 'ThreadReopened', data: { proposalId: 'p1', threadId: 't1', revision: 12 } }]));
    it('changes nothing when reopening an open thread', () => given([opened]).when(reopen(drafter)).thenNothingHappens());
    it('refuses an auditor', () => given([opened]).when(resolve(auditor)).thenThrows('forbidden'));
    it('refuses a delegate who did not open the thread, whatever the state', () => {
      const delegate = as('u-delegate', ['delegate']);
      given([opened]).when(resolve(delegate)).thenThrows('forbidden', /author of a thread/);
      given([opened]).when(command('ResolveThread', { threadId: 't1', actor: delegate, submissionStatus: 'submitted' })).thenThrows('forbidden');
    });
    it('lets a delegate resolve their own thread', () => {
      const delegate = as('u-chair2', ['delegate']);
      given([opened]).when(resolve(delegate)).then([resolved]);
    });
    it('refuses an unknown thread', () => given([]).when(resolve(drafter)).thenThrows('not_found'));
    it('refuses after the submission is locked', () =>
      given([opened]).when(command('ResolveThread', { threadId: 't1', actor: drafter, submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  it('folds a whole discussion', () => {
    const events: ThreadEvent[] = [opened, resolved, { type: 'ThreadReopened', data: { proposalId: 'p1', threadId: 't1', revision: 13 } }];
    const state = events.reduce(threadsDecider.evolve, threadsDecider.initialState());
    expect(state.threads['t1']).toEqual({ status: 'open', openedBy: 'u-chair2', replies: 0 });
  });
});
