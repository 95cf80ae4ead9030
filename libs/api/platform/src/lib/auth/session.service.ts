import {
  ConflictException,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError, SessionEndReason, sessionDecider, sessionStream, SYSTEM_ACTOR } from '@concord/domain';
import { CommandExecutor } from '../commands/command-executor';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import { rootLogger } from '../logging/logger';
import { ProjectionRegistry } from '../read-model/projection-registry';
import { READ_MODEL_DATABASE, ReadModelDatabase, sql } from '../read-model/read-model-database';
import type { Principal } from './principal';
import { sessionsProjection } from './sessions.projection';
import { TokenService } from './token.service';
import { UserDirectory, type DirectoryUser } from './user-directory';

const log = rootLogger.child({ context: 'Sessions' });

/** Two refreshes with the same token this close together are a race between tabs, not a theft. */
export const REFRESH_RACE_GRACE_MS = 10_000;
/** Activity is written at most this often per session and node (not on every request). */
const TOUCH_EVERY_MS = 15_000;

/** What a sign-in or a refresh hands out. */
export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** The refresh token, for the HttpOnly cookie only. */
  refreshToken: string;
  /** Seconds until the session's absolute end (the cookie's Max-Age). */
  refreshMaxAge: number;
  user: DirectoryUser;
}

export interface SessionSummary {
  id: string;
  startedAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  current: boolean;
}

/** `active` with its absolute end, or why it may not be used. */
export type SessionCheck =
  | { readonly active: true; readonly userId: string; readonly expiresAt: number }
  | { readonly active: false; readonly reason: SessionEndReason | 'unknown' };

interface SessionRow {
  session_id: string;
  user_id: string;
  user_agent: string;
  started_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: SessionEndReason | null;
  generation: number | string | null;
  last_seen_at: string | null;
  rotated_at: string | null;
}

const SESSION_SELECT = `SELECT s.session_id, s.user_id, s.user_agent, s.started_at, s.expires_at, s.ended_at, s.end_reason,
  a.generation, a.last_seen_at, a.rotated_at
  FROM rm_sessions s LEFT JOIN auth_session_activity a ON a.session_id = s.session_id`;

/** Told to the user when a refresh or request is refused, by why the session ended. */
export const SESSION_END_MESSAGES: Record<SessionEndReason | 'unknown', string> = {
  'signed-out': 'You signed out. Sign in again.',
  'signed-out-everywhere': 'You signed out on every device. Sign in again.',
  revoked: 'This session was ended from another device. Sign in again.',
  'password-changed': 'Your password was changed. Sign in again.',
  'user-disabled': 'This account is disabled.',
  expired: 'Your session has expired. Sign in again.',
  'refresh-token-reused': 'This session was ended because its sign-in was used twice (possibly stolen). Sign in again.',
  unknown: 'There is no such session. Sign in again.',
};

/**
 * Revocable server-side sessions. Start and end are events (`session-<id>`: SessionStarted,
 * SessionEnded {reason}), so the log says who was signed in when and why it ended, and every node
 * (and the co-editing sockets, through the AccessWatcher) follows them. Refresh rotation and last
 * activity change on every refresh and many requests: they are kept in `auth_session_activity`,
 * a plain table next to the read models (not rebuilt from the log — losing it only signs people out).
 *
 * Refresh tokens are `<sessionId>.<generation>.<HMAC>`: nothing secret is stored, and a valid token
 * of an older generation proves reuse (the session is ended), while a forged one proves nothing
 * and is merely refused.
 */
@Injectable()
export class SessionService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly refreshKey: Buffer;
  private readonly touchedAt = new Map<string, number>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(CONCORD_CONFIG) private readonly config: ConcordConfig,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly commands: CommandExecutor,
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly projections: ProjectionRegistry,
  ) {
    this.refreshKey = createHmac('sha256', config.jwtSecret).update('concord refresh tokens v1').digest();
  }

  onModuleInit(): void {
    this.projections.register(sessionsProjection);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.execute([
      sql(`CREATE TABLE IF NOT EXISTS auth_session_activity (session_id TEXT PRIMARY KEY, generation INTEGER NOT NULL,
        last_seen_at TEXT NOT NULL, rotated_at TEXT NOT NULL)`),
    ]);
    // Ends idle and over-age sessions (so that their open sockets close too); a few times per idle period.
    const every = Math.min(60_000, Math.max(1_000, (this.config.sessionIdleTimeoutSeconds * 1000) / 3));
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error) => log.error({ err: error }, 'could not end expired sessions'))
        .finally(() => (this.sweeping = undefined));
    }, every);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
  }

  /** Signs a user in: a SessionStarted event, its first refresh generation, and the tokens. */
  async start(user: DirectoryUser, userAgent: string | undefined): Promise<IssuedSession> {
    const sessionId = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionMaxAgeSeconds * 1000);
    await this.db.execute([
      sql('INSERT INTO auth_session_activity (session_id, generation, last_seen_at, rotated_at) VALUES (?, ?, ?, ?)', sessionId, 0, now.toISOString(), now.toISOString()),
    ]);
    await this.commands.execute(
      sessionStream(sessionId),
      sessionDecider,
      { type: 'StartSession', data: { sessionId, userId: user.id, userAgent: userAgent ?? '', now: now.toISOString(), expiresAt: expiresAt.toISOString() } },
      user.id,
    );
    log.info({ userId: user.id, sessionId }, 'session started');
    return this.issue(user, sessionId, 0, expiresAt.getTime());
  }

  /**
   * Rotates the refresh token: the presented generation must be the current one. An older
   * generation ends the session (reuse), except a race of two tabs within REFRESH_RACE_GRACE_MS,
   * which gets 409 (retry: the browser now holds the new cookie).
   */
  async refresh(refreshToken: string | undefined): Promise<IssuedSession> {
    const presented = this.parseRefreshToken(refreshToken);
    if (!presented) throw new UnauthorizedException('No valid refresh token: sign in again');
    const row = await this.row(presented.sessionId);
    const check = row ? await this.checkRow(row, Date.now()) : ({ active: false, reason: 'unknown' } as const);
    if (!row || !check.active) throw new UnauthorizedException(SESSION_END_MESSAGES[check.active ? 'unknown' : check.reason]);
    const current = Number(row.generation ?? 0);
    const now = new Date();
    if (presented.generation < current) {
      const rotatedAt = Date.parse(row.rotated_at ?? '');
      if (presented.generation === current - 1 && now.getTime() - rotatedAt < REFRESH_RACE_GRACE_MS) {
        throw new ConflictException('This session was refreshed a moment ago by another request: retry');
      }
      log.warn({ sessionId: row.session_id, userId: row.user_id, presented: presented.generation, current }, 'refresh token reused: ending the session');
      await this.end(row.session_id, 'refresh-token-reused', SYSTEM_ACTOR);
      throw new UnauthorizedException(SESSION_END_MESSAGES['refresh-token-reused']);
    }
    if (presented.generation > current) throw new UnauthorizedException('No valid refresh token: sign in again');
    const rotated = await this.db.query<{ generation: number | string }>(
      `UPDATE auth_session_activity SET generation = generation + 1, rotated_at = ?, last_seen_at = ?
       WHERE session_id = ? AND generation = ? RETURNING generation`,
      [now.toISOString(), now.toISOString(), row.session_id, current],
    );
    if (rotated.length === 0) throw new ConflictException('This session was refreshed a moment ago by another request: retry');
    const user = await this.users.byId(row.user_id);
    if (!user || user.disabled) {
      await this.end(row.session_id, 'user-disabled', SYSTEM_ACTOR);
      throw new UnauthorizedException(SESSION_END_MESSAGES['user-disabled']);
    }
    this.touchedAt.set(row.session_id, now.getTime());
    return this.issue(user, row.session_id, Number(rotated[0].generation), Date.parse(row.expires_at));
  }

  /**
   * Is this session usable now? Ends it (reason `expired`) when it is past its idle or absolute
   * limit, and records activity (at most every few seconds) when it is.
   */
  async check(sessionId: string, userId?: string): Promise<SessionCheck> {
    const row = await this.row(sessionId);
    if (!row || (userId !== undefined && row.user_id !== userId)) return { active: false, reason: 'unknown' };
    const check = await this.checkRow(row, Date.now());
    if (check.active) await this.touch(sessionId);
    return check;
  }

  /** Records activity on a session (REST request, co-editing edit), throttled per node. */
  async touch(sessionId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(sessionId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touchedAt.set(sessionId, now);
    if (this.touchedAt.size > 10_000) this.touchedAt.clear();
    await this.db.execute([sql('UPDATE auth_session_activity SET last_seen_at = ? WHERE session_id = ?', new Date(now).toISOString(), sessionId)]);
  }

  /**
   * Ends one session (a SessionEnded event). `actor` is the user asking (owner or administrator) or
   * SYSTEM_ACTOR. False when it had already ended.
   */
  async end(sessionId: string, reason: SessionEndReason, actor: Pick<Principal, 'userId' | 'isAdmin'> | typeof SYSTEM_ACTOR): Promise<boolean> {
    const actorUserId = actor === SYSTEM_ACTOR ? SYSTEM_ACTOR : actor.userId;
    try {
      await this.commands.execute(
        sessionStream(sessionId),
        sessionDecider,
        { type: 'EndSession', data: { sessionId, reason, actorUserId, actorIsAdmin: actor !== SYSTEM_ACTOR && actor.isAdmin, now: new Date().toISOString() } },
        actorUserId,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_state') return false;
      throw error;
    }
    this.touchedAt.delete(sessionId);
    log.info({ sessionId, reason, actor: actorUserId }, 'session ended');
    return true;
  }

  /** Ends every open session of a user (sign out everywhere, password changed, user disabled), but `except`. */
  async endAllFor(userId: string, reason: SessionEndReason, options: { except?: string; actor?: Pick<Principal, 'userId' | 'isAdmin'> } = {}): Promise<number> {
    const rows = await this.db.query<{ session_id: string }>('SELECT session_id FROM rm_sessions WHERE user_id = ? AND ended_at IS NULL', [userId]);
    let ended = 0;
    for (const { session_id } of rows) {
      if (session_id === options.except) continue;
      if (await this.end(session_id, reason, options.actor ?? SYSTEM_ACTOR)) ended += 1;
    }
    log.info({ userId, reason, ended }, 'sessions of a user ended');
    return ended;
  }

  /** The user's open sessions, newest first. */
  async list(userId: string, currentSessionId: string): Promise<SessionSummary[]> {
    const rows = await this.db.query<SessionRow>(`${SESSION_SELECT} WHERE s.user_id = ? AND s.ended_at IS NULL ORDER BY s.started_at DESC`, [userId]);
    const now = Date.now();
    const open = rows.filter((row) => this.liveness(row, now) === null);
    return open.map((row) => ({
      id: row.session_id,
      startedAt: row.started_at,
      lastSeenAt: row.last_seen_at ?? row.started_at,
      expiresAt: row.expires_at,
      userAgent: row.user_agent,
      current: row.session_id === currentSessionId,
    }));
  }

  /** Owner of a session (null when unknown), for DELETE /api/auth/sessions/:id. */
  async ownerOf(sessionId: string): Promise<string | null> {
    const [row] = await this.db.query<{ user_id: string }>('SELECT user_id FROM rm_sessions WHERE session_id = ?', [sessionId]);
    return row?.user_id ?? null;
  }

  /** Ends the sessions past their idle or absolute limit. */
  async sweep(now = Date.now()): Promise<number> {
    const idleBefore = new Date(now - this.config.sessionIdleTimeoutSeconds * 1000).toISOString();
    const rows = await this.db.query<{ session_id: string }>(
      `SELECT s.session_id FROM rm_sessions s LEFT JOIN auth_session_activity a ON a.session_id = s.session_id
       WHERE s.ended_at IS NULL AND (s.expires_at <= ? OR COALESCE(a.last_seen_at, s.started_at) <= ?)`,
      [new Date(now).toISOString(), idleBefore],
    );
    let ended = 0;
    for (const { session_id } of rows) if (await this.end(session_id, 'expired', SYSTEM_ACTOR)) ended += 1;
    return ended;
  }

  private issue(user: DirectoryUser, sessionId: string, generation: number, expiresAt: number): IssuedSession {
    const { accessToken, expiresIn } = this.tokens.issue({ userId: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, sessionId });
    return {
      sessionId,
      accessToken,
      expiresIn,
      refreshToken: `${sessionId}.${generation}.${this.mac(sessionId, generation)}`,
      refreshMaxAge: Math.max(1, Math.floor((expiresAt - Date.now()) / 1000)),
      user,
    };
  }

  private mac(sessionId: string, generation: number): string {
    return createHmac('sha256', this.refreshKey).update(`${sessionId}.${generation}`).digest('base64url');
  }

  private parseRefreshToken(token: string | undefined): { sessionId: string; generation: number } | null {
    if (!token || token.length > 200) return null;
    const [sessionId, generationText, mac, ...rest] = token.split('.');
    if (rest.length > 0 || !sessionId || !mac || !/^\d{1,9}$/.test(generationText ?? '')) return null;
    const generation = Number(generationText);
    const expected = Buffer.from(this.mac(sessionId, generation));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { sessionId, generation };
  }

  private row(sessionId: string): Promise<SessionRow | undefined> {
    return this.db.query<SessionRow>(`${SESSION_SELECT} WHERE s.session_id = ?`, [sessionId]).then(([row]) => row);
  }

  /** Why a not-yet-ended session is no longer usable (null: it is). */
  private liveness(row: SessionRow, now: number): 'expired' | null {
    if (Date.parse(row.expires_at) <= now) return 'expired';
    const lastSeen = Date.parse(row.last_seen_at ?? row.started_at);
    if (lastSeen + this.config.sessionIdleTimeoutSeconds * 1000 <= now) return 'expired';
    return null;
  }

  private async checkRow(row: SessionRow, now: number): Promise<SessionCheck> {
    if (row.ended_at) return { active: false, reason: row.end_reason ?? 'unknown' };
    if (this.liveness(row, now)) {
      await this.end(row.session_id, 'expired', SYSTEM_ACTOR);
      return { active: false, reason: 'expired' };
    }
    return { active: true, userId: row.user_id, expiresAt: Date.parse(row.expires_at) };
  }
}
