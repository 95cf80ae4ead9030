import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { DatePipe } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { NOTIFICATION_KIND_LABELS, type NotificationDto } from '@concord/contracts';
import { NotificationsApi, NotificationsFeed } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

const PAGE = 30;

/** The inbox: my in-app notifications, newest first, unread marked; each links to what it is about. */
@Component({
  selector: 'cc-inbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, DatePipe],
  template: `
    <section class="cc-inbox" aria-labelledby="inbox-title">
      <div class="cc-inbox__head">
        <h1 id="inbox-title" i18n="@@inbox.title">Notifications</h1>
        <button mat-stroked-button type="button" (click)="markAll()" [disabled]="busy() || unread() === 0" data-testid="mark-all-read" i18n="@@inbox.markAll">
          Mark all read
        </button>
      </div>
      <p class="cc-inbox__summary" role="status" data-testid="inbox-summary">{{ summary() }}</p>
      @if (error(); as message) {
        <p class="cc-inbox__error" role="alert">{{ message }}</p>
      }
      @if (items().length) {
        <ul class="cc-inbox__list" #list>
          @for (item of items(); track item.id) {
            <li class="cc-inbox__item" [class.cc-inbox__item--unread]="!item.read" data-testid="notification">
              <div class="cc-inbox__text">
                <span class="cc-inbox__kind">
                  @if (!item.read) {
                    <span class="cc-inbox__dot" aria-hidden="true"></span><span class="cc-visually-hidden" i18n="@@inbox.unread">Unread:</span>
                  }
                  {{ kindLabel(item) }} · <time [attr.datetime]="item.at">{{ item.at | date: 'medium' }}</time>
                </span>
                <a class="cc-inbox__title" [routerLink]="path(item)" [queryParams]="query(item)" (click)="open(item)">{{ item.title }}</a>
                <span class="cc-inbox__body">{{ item.body }}</span>
              </div>
              @if (!item.read) {
                <button mat-button type="button" (click)="markRead(item)" [disabled]="busy()" [attr.aria-label]="markLabel(item)" data-testid="mark-read"
                  i18n="@@inbox.markRead">Mark read</button>
              }
            </li>
          }
        </ul>
        @if (next()) {
          <button mat-stroked-button type="button" (click)="more()" [disabled]="busy()" i18n="@@inbox.more">Show older</button>
        }
      } @else if (loaded()) {
        <p i18n="@@inbox.empty">Nothing yet. You will be told here when someone needs you: a review, a mention, a silence procedure…</p>
      }
    </section>
  `,
  styles: `
    .cc-inbox { max-width: 880px; margin: 0 auto; padding: 24px 16px; }
    .cc-inbox__head { display: flex; align-items: center; justify-content: space-between; gap: 16px; }
    .cc-inbox__summary { color: var(--mat-sys-on-surface-variant); }
    .cc-inbox__error { color: var(--mat-sys-error); }
    .cc-inbox__list { list-style: none; margin: 0 0 16px; padding: 0; border-top: 1px solid var(--mat-sys-outline-variant); }
    .cc-inbox__item { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; padding: 12px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .cc-inbox__item--unread { background: var(--mat-sys-surface-container-low); }
    .cc-inbox__item--unread .cc-inbox__title { font-weight: 700; }
    .cc-inbox__text { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
    .cc-inbox__kind { font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); }
    .cc-inbox__dot { display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: var(--mat-sys-primary); }
    .cc-inbox__title { color: var(--mat-sys-primary); font: var(--mat-sys-title-small); }
    .cc-inbox__body { overflow-wrap: anywhere; }
    .cc-inbox__item button { flex: none; white-space: nowrap; }
  `,
})
export class InboxPage {
  private readonly api = inject(NotificationsApi);
  private readonly feed = inject(NotificationsFeed);
  private readonly list = viewChild<ElementRef<HTMLElement>>('list');

  protected readonly items = signal<NotificationDto[]>([]);
  protected readonly unread = signal(0);
  protected readonly next = signal<string | null>(null);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly summary = computed(() =>
    this.loaded() ? $localize`:@@inbox.summary:${this.unread()}:count: unread` : $localize`:@@inbox.loading:Loading notifications…`,
  );

  constructor() {
    void this.load();
  }

  protected kindLabel(item: NotificationDto): string {
    return NOTIFICATION_KIND_LABELS[item.kind] ?? item.kind;
  }

  protected markLabel(item: NotificationDto): string {
    return $localize`:@@inbox.markReadLabel:Mark read: ${item.title}:title:`;
  }

  protected path(item: NotificationDto): string {
    return item.link.split('?')[0] ?? '/';
  }

  protected query(item: NotificationDto): Record<string, string> | null {
    const search = item.link.split('?')[1];
    if (!search) return null;
    const params: Record<string, string> = {};
    new URLSearchParams(search).forEach((value, key) => (params[key] = value));
    return params;
  }

  protected open(item: NotificationDto): void {
    if (!item.read) void this.mark({ ids: [item.id] });
  }

  protected markRead(item: NotificationDto): void {
    void this.mark({ ids: [item.id] });
  }

  protected markAll(): void {
    void this.mark({ all: true });
  }

  protected async more(): Promise<void> {
    const before = this.next();
    if (!before) return;
    await this.load(before);
  }

  private async load(before?: string): Promise<void> {
    this.busy.set(true);
    try {
      const page = await this.api.list({ limit: PAGE, before });
      this.items.set(before ? [...this.items(), ...page.items] : page.items);
      this.unread.set(page.unreadCount);
      this.feed.set(page.unreadCount);
      this.next.set(page.next);
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
      this.loaded.set(true);
    }
  }

  private async mark(request: { ids?: string[]; all?: boolean }): Promise<void> {
    this.busy.set(true);
    try {
      const { unreadCount } = await this.api.markRead(request);
      const read = new Set(request.ids ?? []);
      this.items.set(this.items().map((item) => (request.all || read.has(item.id) ? { ...item, read: true } : item)));
      this.unread.set(unreadCount);
      this.feed.set(unreadCount);
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
    // The button pressed is gone: keep the keyboard in the list.
    if (request.ids) this.list()?.nativeElement.querySelector<HTMLElement>('a, button')?.focus();
  }
}
