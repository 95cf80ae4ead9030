import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, invalidState, notFound } from '../shared/domain-error';
import { requiredString } from '../shared/validation';
import {
  SESSION_END_REASONS,
  type EndSession,
  type SessionCommand,
  type SessionEnded,
  type SessionEvent,
  type SessionStarted,
  type StartSession,
} from './session.messages';

/** The user id the server acts as when it ends a session on its own (expiry, reuse, disabled user). */
export const SYSTEM_ACTOR = 'system';

export type SessionState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'ended'; readonly sessionId: string; readonly userId: string };

export const initialSessionState = (): SessionState => ({ status: 'none' });

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted':
      return { status: 'active', sessionId: event.data.sessionId, userId: event.data.userId };
    case 'SessionEnded':
      return state.status === 'none' ? state : { ...state, status: 'ended' };
  }
}

const MAX_USER_AGENT = 300;

function startSession({ data }: StartSession, state: SessionState): SessionStarted[] {
  if (state.status !== 'none') throw conflict(`Session ${data.sessionId} already exists.`);
  if (!(Date.parse(data.expiresAt) > Date.parse(data.now))) throw invalid('A session must end after it starts.');
  return [
    {
      type: 'SessionStarted',
      data: {
        sessionId: requiredString(data.sessionId, 'sessionId'),
        userId: requiredString(data.userId, 'userId'),
        userAgent: (data.userAgent ?? '').trim().slice(0, MAX_USER_AGENT),
        startedAt: data.now,
        expiresAt: data.expiresAt,
      },
    },
  ];
}

function endSession({ data }: EndSession, state: SessionState): SessionEnded[] {
  if (state.status === 'none') throw notFound(`There is no session ${data.sessionId}.`);
  if (state.status === 'ended') throw invalidState(`Session ${data.sessionId} has already ended.`);
  if (!SESSION_END_REASONS.includes(data.reason)) throw invalid(`"${String(data.reason)}" is not a reason to end a session.`);
  const mayEnd = data.actorUserId === state.userId || data.actorIsAdmin || data.actorUserId === SYSTEM_ACTOR;
  if (!mayEnd) throw forbidden('You may end only your own sessions.');
  return [{ type: 'SessionEnded', data: { sessionId: state.sessionId, userId: state.userId, reason: data.reason, endedAt: data.now } }];
}

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession':
      return startSession(command, state);
    case 'EndSession':
      return endSession(command, state);
    default:
      return unknownCommand(command);
  }
}

export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  initialState: initialSessionState,
  evolve: evolveSession,
  decide: decideSession,
};
