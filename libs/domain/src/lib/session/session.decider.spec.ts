import { specificationFor } from '../../testing/decider-specification';
import { sessionDecider, SYSTEM_ACTOR } from './session.decider';
import type { EndSession, SessionEndReason, SessionStarted } from './session.messages';

const now = '2026-12-07T10:00:00.000Z';
const started: SessionStarted = {
  type: 'SessionStarted',
  data: { sessionId: 's-1', userId: 'user-1', userAgent: 'Firefox', startedAt: now, expiresAt: '2026-12-07T22:00:00.000Z' },
};
const end = (actorUserId: string, reason: SessionEndReason = 'signed-out', actorIsAdmin = false): EndSession => ({
  type: 'EndSession',
  data: { sessionId: 's-1', reason, actorUserId, actorIsAdmin, now },
});

describe('Session', () => {
  const { given } = specificationFor(sessionDecider);
  const start = (overrides: Record<string, unknown> = {}) =>
    ({
      type: 'StartSession',
      data: { sessionId: 's-1', userId: 'user-1', userAgent: '  Firefox ', now, expiresAt: '2026-12-07T22:00:00.000Z', ...overrides },
    }) as const;

  it('starts a session with a trimmed user agent', () => given([]).when(start()).then([started]));
  it('bounds the user agent', () =>
    given([]).when(start({ userAgent: 'x'.repeat(1000) })).then([{ ...started, data: { ...started.data, userAgent: 'x'.repeat(300) } }]));
  it('refuses to start a session twice', () => given([started]).when(start()).thenThrows('conflict'));
  it('refuses a session that ends before it starts', () =>
    given([]).when(start({ expiresAt: now })).thenThrows('invalid', /end after it starts/));

  it('lets its owner end it, with the reason', () =>
    given([started])
      .when(end('user-1'))
      .then([{ type: 'SessionEnded', data: { sessionId: 's-1', userId: 'user-1', reason: 'signed-out', endedAt: now } }]));
  it('lets an administrator or the server end it', () => {
    given([started]).when(end('admin-1', 'user-disabled', true)).then([
      { type: 'SessionEnded', data: { sessionId: 's-1', userId: 'user-1', reason: 'user-disabled', endedAt: now } },
    ]);
    given([started]).when(end(SYSTEM_ACTOR, 'expired')).then([
      { type: 'SessionEnded', data: { sessionId: 's-1', userId: 'user-1', reason: 'expired', endedAt: now } },
    ]);
  });
  it('refuses anyone else', () => given([started]).when(end('user-2')).thenThrows('forbidden', /your own sessions/));
  it('ends a session once', () =>
    given([started, { type: 'SessionEnded', data: { sessionId: 's-1', userId: 'user-1', reason: 'signed-out', endedAt: now } }])
      .when(end('user-1'))
      .thenThrows('invalid_state', /already ended/));
  it('rejects an unknown session', () => given([]).when(end('user-1')).thenThrows('not_found'));
  it('rejects an unknown reason', () =>
    given([started]).when(end('user-1', 'bored' as SessionEndReason)).thenThrows('invalid', /not a reason/));
});
