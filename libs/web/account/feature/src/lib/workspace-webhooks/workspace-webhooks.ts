import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal, viewChild } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { WebhookDeliveryDto, WebhookDto } from '@concord/contracts';
import { WEBHOOK_EVENTS, WebhooksApi } from '@concord/web/account/data-access';
import { toApiError } from '@concord/web/core/data-access';

interface ShownSecret {
  webhookId: string;
  url: string;
  secret: string;
}

/**
 * The "Webhooks" section of `/admin/workspaces/<iscmId>`: add a webhook (URL and the events it is
 * told of), its signing secret shown once with Copy, the list with "Send test" and "Remove", and
 * each webhook's delivery log (state, attempts, last answer). The server's reasons are shown as
 * they come.
 */
@Component({
  selector: 'cc-workspace-webhooks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './workspace-webhooks.html',
  styleUrl: './workspace-webhooks.scss',
})
export class WorkspaceWebhooks {
  private readonly api = inject(WebhooksApi);

  readonly iscmId = input.required<string>();

  protected readonly eventNames = WEBHOOK_EVENTS;
  protected readonly webhooks = signal<readonly WebhookDto[]>([]);
  protected readonly deliveries = signal<Readonly<Record<string, readonly WebhookDeliveryDto[]>>>({});
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly secret = signal<ShownSecret | null>(null);
  protected readonly url = signal('');
  protected readonly chosen = signal<ReadonlySet<string>>(new Set());
  /** Reset after a registration, so the emptied URL does not show as an error of a submitted form. */
  private readonly form = viewChild(NgForm);

  constructor() {
    effect(() => {
      void this.load(this.iscmId());
    });
  }

  protected setUrl(value: string | null): void {
    this.url.set(value ?? '');
  }

  protected toggleEvent(name: string, on: boolean): void {
    this.chosen.update((chosen) => {
      const next = new Set(chosen);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }

  protected async addWebhook(): Promise<void> {
    const url = this.url().trim();
    const events = this.eventNames.filter((name) => this.chosen().has(name));
    if (!url || events.length === 0) {
      this.failure.set($localize`:@@webhooks.addInvalid:Give the URL deliveries are posted to and choose at least one event.`);
      return;
    }
    await this.act('add', async () => {
      const registered = await this.api.register(this.iscmId(), { url, events });
      this.secret.set({ webhookId: registered.id, url: registered.url, secret: registered.secret });
      this.form()?.resetForm();
      this.url.set('');
      this.chosen.set(new Set());
    }, $localize`:@@webhooks.added:The webhook for ${url}:url: is registered. Copy its signing secret below: it is not shown again.`);
  }

  protected remove(webhook: WebhookDto): Promise<void> {
    return this.act(webhook.id, async () => {
      await this.api.remove(this.iscmId(), webhook.id);
      if (this.secret()?.webhookId === webhook.id) this.secret.set(null);
    }, $localize`:@@webhooks.removed:The webhook for ${webhook.url}:url: is removed; nothing more is sent to it.`);
  }

  protected sendTest(webhook: WebhookDto): Promise<void> {
    return this.act(webhook.id, async () => {
      await this.api.sendTest(this.iscmId(), webhook.id);
    }, $localize`:@@webhooks.tested:A test delivery to ${webhook.url}:url: is on its way; refresh its delivery log to see how it went.`);
  }

  protected async refreshLog(webhook: WebhookDto): Promise<void> {
    try {
      const log = await this.api.deliveries(this.iscmId(), webhook.id);
      this.deliveries.update((all) => ({ ...all, [webhook.id]: log }));
    } catch (error) {
      this.failure.set(toApiError(error).message);
    }
  }

  protected async copySecret(secret: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      this.notice.set($localize`:@@webhooks.copied:The signing secret is copied.`);
    } catch {
      this.notice.set($localize`:@@webhooks.copyFailed:The browser did not allow copying; select the secret and copy it.`);
    }
  }

  protected answerOf(delivery: WebhookDeliveryDto): string {
    if (delivery.lastStatus !== null) return `HTTP ${delivery.lastStatus}`;
    return delivery.lastError ?? '—';
  }

  private async act(key: string, action: () => Promise<void>, done: string): Promise<void> {
    this.busy.set(key);
    this.failure.set(null);
    this.notice.set(null);
    try {
      await action();
      this.notice.set(done);
      await this.load(this.iscmId());
    } catch (error) {
      this.failure.set(toApiError(error).message);
    } finally {
      this.busy.set(null);
    }
  }

  private async load(iscmId: string): Promise<void> {
    try {
      const webhooks = await this.api.list(iscmId);
      this.webhooks.set(webhooks);
      const logs = await Promise.all(webhooks.map(async (webhook) => [webhook.id, await this.api.deliveries(iscmId, webhook.id)] as const));
      this.deliveries.set(Object.fromEntries(logs));
    } catch (error) {
      this.failure.set(toApiError(error).message);
    }
  }
}
