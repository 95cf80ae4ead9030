import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  EMAIL_MODES,
  NOTIFICATION_KINDS,
  type NotificationDto,
  type NotificationKind,
  type NotificationListDto,
  type NotificationPreferencesDto,
} from '@concord/contracts';
import { notificationsStream } from '@concord/domain';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { Principal, READ_MODEL_DATABASE, ReadModelDatabase, ReadModels } from '@concord/api/platform';
import { preferencesFrom } from './notifications.projection';

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  iscm_id: string;
  proposal_id: string | null;
  submission_id: string | null;
  thread_id: string | null;
  title: string;
  body: string;
  link: string;
  at: string;
  position: number | string;
  is_read: number;
}

export const toNotificationDto = (row: NotificationRow): NotificationDto => ({
  id: row.id,
  kind: row.kind,
  iscmId: row.iscm_id,
  proposalId: row.proposal_id,
  submissionId: row.submission_id,
  threadId: row.thread_id,
  title: row.title,
  body: row.body,
  link: row.link,
  at: row.at,
  read: Number(row.is_read) === 1,
});

const MAX_LIMIT = 100;

/**
 * A user's inbox (their in-app notifications, newest first) and what they do with it: reading and
 * choosing are events of their own stream `notifications-<userId>`, projected into the same
 * read model; each command answers once the read models show it.
 */
@Injectable()
export class Notifications {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  async list(principal: Principal, options: { unreadOnly: boolean; limit: number; before?: string }): Promise<NotificationListDto> {
    const limit = Math.min(Math.max(options.limit, 0), MAX_LIMIT);
    const params: unknown[] = [principal.userId];
    let where = 'recipient_id = ? AND in_app = 1';
    if (options.unreadOnly) where += ' AND is_read = 0';
    if (options.before !== undefined) {
      const [position, id] = options.before.split(':');
      if (!/^\d+$/.test(position ?? '') || !id) throw new BadRequestException('before must be the `next` of an earlier page.');
      where += ' AND (position < ? OR (position = ? AND id < ?))';
      params.push(Number(position), Number(position), id);
    }
    const rows = limit
      ? await this.db.query<NotificationRow>(
          `SELECT id, kind, iscm_id, proposal_id, submission_id, thread_id, title, body, link, at, position, is_read
           FROM rm_notifications WHERE ${where} ORDER BY position DESC, id DESC LIMIT ?`,
          [...params, limit + 1],
        )
      : [];
    const [count] = await this.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM rm_notifications WHERE recipient_id = ? AND in_app = 1 AND is_read = 0',
      [principal.userId],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toNotificationDto),
      unreadCount: Number(count?.n ?? 0),
      next: rows.length > limit && last ? `${last.position}:${last.id}` : null,
    };
  }

  async unreadCount(principal: Principal): Promise<number> {
    return (await this.list(principal, { unreadOnly: true, limit: 0 })).unreadCount;
  }

  /** Marks the given notifications (of this user; others' ids change nothing) or all of them read. */
  async markRead(principal: Principal, body: { ids?: string[]; all?: boolean }): Promise<{ unreadCount: number }> {
    if (!body.all && !(body.ids && body.ids.length)) throw new BadRequestException('Give the ids of the notifications read, or all: true.');
    let upToPosition: number | undefined;
    if (body.all) {
      const [row] = await this.db.query<{ p: number | string | null }>('SELECT MAX(position) AS p FROM rm_notifications WHERE recipient_id = ?', [principal.userId]);
      if (row?.p === null || row?.p === undefined) return { unreadCount: 0 };
      upToPosition = Number(row.p);
    }
    await this.append(principal, 'NotificationsRead', {
      userId: principal.userId,
      ...(body.ids?.length ? { ids: body.ids } : {}),
      ...(upToPosition !== undefined ? { upToPosition } : {}),
    });
    return { unreadCount: await this.unreadCount(principal) };
  }

  async preferences(principal: Principal): Promise<NotificationPreferencesDto> {
    const [row] = await this.db.query<{ preferences: string }>('SELECT preferences FROM rm_notify_preferences WHERE user_id = ?', [principal.userId]);
    return preferencesFrom(row?.preferences);
  }

  async setPreferences(principal: Principal, body: unknown): Promise<NotificationPreferencesDto> {
    const preferences = { ...(await this.preferences(principal)), ...validPreferences(body) };
    await this.append(principal, 'NotificationPreferencesChanged', { userId: principal.userId, preferences });
    return this.preferences(principal);
  }

  private async append(principal: Principal, type: string, data: Record<string, unknown>): Promise<void> {
    const { position } = await this.store.append(notificationsStream(principal.userId), [
      { id: randomUUID(), type, data: data as never, metadata: { userId: principal.userId } },
    ]);
    await this.readModels.waitFor(position);
  }
}

/** `{<kind>: {inApp, email}}` for some or all kinds (the others keep theirs); anything else is 400 with the reason. */
export function validPreferences(body: unknown): Partial<NotificationPreferencesDto> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('Send an object of kinds: {"mention": {"inApp": true, "email": "digest"}, …}.');
  const chosen: Partial<NotificationPreferencesDto> = {};
  for (const [kind, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
      throw new BadRequestException(`Unknown notification kind "${kind}"; the kinds are ${NOTIFICATION_KINDS.join(', ')}.`);
    }
    const choice = value as { inApp?: unknown; email?: unknown } | null;
    if (!choice || typeof choice !== 'object' || typeof choice.inApp !== 'boolean' || !(EMAIL_MODES as readonly unknown[]).includes(choice.email)) {
      throw new BadRequestException(`${kind} needs {"inApp": true|false, "email": "${EMAIL_MODES.join('" | "')}"}.`);
    }
    chosen[kind as NotificationKind] = { inApp: choice.inApp, email: choice.email as (typeof EMAIL_MODES)[number] };
  }
  return chosen;
}
