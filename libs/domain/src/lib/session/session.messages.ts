import type { Command, Event } from '../shared/decider';

/** Why a session ended; told to the user and kept in the log. */
export const SESSION_END_REASONS = [
  'signed-out',
  'signed-out-everywhere',
  'revoked',
  'password-changed',
  'user-disabled',
  'expired',
  'refresh-token-reused',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export type StartSession = Command<
  'StartSession',
  {
    sessionId: string;
    userId: string;
    /** The browser or client that signed in, as it said (trimmed, bounded). */
    userAgent: string;
    now: string;
    /** Absolute end, whatever the activity (ISO time). */
    expiresAt: string;
  }
>;
/** `actorUserId` is who asked: the session's owner, an administrator, or the server itself (`system`). */
export type EndSession = Command<
  'EndSession',
  { sessionId: string; reason: SessionEndReason; actorUserId: string; actorIsAdmin: boolean; now: string }
>;
export type SessionCommand = StartSession | EndSession;

export type SessionStarted = Event<
  'SessionStarted',
  { sessionId: string; userId: string; userAgent: string; startedAt: string; expiresAt: string }
>;
export type SessionEnded = Event<'SessionEnded', { sessionId: string; userId: string; reason: SessionEndReason; endedAt: string }>;
export type SessionEvent = SessionStarted | SessionEnded;
