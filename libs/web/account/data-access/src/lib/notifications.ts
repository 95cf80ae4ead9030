import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import type { NotificationListDto, NotificationPreferencesDto } from '@concord/contracts';
import { AuthStore } from '@concord/web/core/data-access';
import { firstValueFrom } from 'rxjs';

/** The signed-in user's notifications over REST (`/api/notifications`). */
@Injectable({ providedIn: 'root' })
export class NotificationsApi {
  private readonly http = inject(HttpClient);

  list(options: { unread?: boolean; limit?: number; before?: string } = {}): Promise<NotificationListDto> {
    const params: Record<string, string> = {};
    if (options.unread) params['unread'] = '1';
    if (options.limit !== undefined) params['limit'] = String(options.limit);
    if (options.before) params['before'] = options.before;
    return firstValueFrom(this.http.get<NotificationListDto>('/api/notifications', { params }));
  }

  markRead(request: { ids?: string[]; all?: boolean }): Promise<{ unreadCount: number }> {
    return firstValueFrom(this.http.post<{ unreadCount: number }>('/api/notifications/read', request));
  }

  preferences(): Promise<NotificationPreferencesDto> {
    return firstValueFrom(this.http.get<NotificationPreferencesDto>('/api/notifications/preferences'));
  }

  savePreferences(preferences: NotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return firstValueFrom(this.http.put<NotificationPreferencesDto>('/api/notifications/preferences', preferences));
  }
}

/** How often the bell asks for the unread count while the page is visible. */
export const BELL_POLL_MS = 3_000;

/**
 * The bell's unread count, kept by short polling of `GET /api/notifications?limit=0` every 3 s
 * while someone is signed in, the page is visible and the browser online (and at once when it
 * becomes visible or online again).
 * Polling, not a push channel: every request passes the server's session check (a user signed
 * out or disabled elsewhere stops at once), it works behind any proxy and on any node — the
 * projection that writes notifications runs on one node, a socket may be held by another — and the
 * app reads its other live lists the same way.
 */
@Injectable({ providedIn: 'root' })
export class NotificationsFeed {
  private readonly api = inject(NotificationsApi);
  private readonly auth = inject(AuthStore);
  private readonly document = inject(DOCUMENT);
  /** null until first read (and while signed out). */
  readonly unreadCount = signal<number | null>(null);
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading = false;

  constructor() {
    effect(() => {
      if (this.auth.isAuthenticated()) {
        this.start();
      } else {
        this.stop();
        this.unreadCount.set(null);
      }
    });
    const onVisible = () => {
      if (this.document.visibilityState === 'visible' && this.auth.isAuthenticated()) void this.refresh();
    };
    this.document.addEventListener('visibilitychange', onVisible);
    this.document.defaultView?.addEventListener('online', onVisible);
    inject(DestroyRef).onDestroy(() => {
      this.stop();
      this.document.removeEventListener('visibilitychange', onVisible);
      this.document.defaultView?.removeEventListener('online', onVisible);
    });
  }

  /** Reads the count now (also after the user read or marked something). */
  async refresh(): Promise<void> {
    // Offline, a request would only fail (and the browser log it): the count waits for the network.
    if (this.reading || !this.auth.isAuthenticated() || this.document.defaultView?.navigator.onLine === false) return;
    this.reading = true;
    try {
      this.unreadCount.set((await this.api.list({ limit: 0 })).unreadCount);
    } catch {
      // A failed background read keeps the last count; the next poll tries again.
    } finally {
      this.reading = false;
    }
  }

  /** Sets the count an answer of the server gave (marking read answers it). */
  set(count: number): void {
    this.unreadCount.set(count);
  }

  private start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => {
      if (this.document.visibilityState === 'visible') void this.refresh();
    }, BELL_POLL_MS);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
