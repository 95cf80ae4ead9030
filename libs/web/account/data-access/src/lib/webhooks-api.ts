import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { RegisteredWebhookDto, RegisterWebhookRequest, WebhookDeliveryDto, WebhookDto } from '@concord/contracts';
import { WEBHOOK_EVENT_NAMES } from '@concord/domain';
import { firstValueFrom } from 'rxjs';

/** The public event names a webhook may subscribe to (the server's catalog). */
export const WEBHOOK_EVENTS: readonly string[] = WEBHOOK_EVENT_NAMES;

/** A workspace's webhooks (`/api/workspaces/<iscmId>/webhooks`): workspace and platform administrators. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  private base(iscmId: string): string {
    return `/api/workspaces/${encodeURIComponent(iscmId)}/webhooks`;
  }

  list(iscmId: string): Promise<WebhookDto[]> {
    return firstValueFrom(this.http.get<WebhookDto[]>(this.base(iscmId)));
  }

  register(iscmId: string, request: RegisterWebhookRequest): Promise<RegisteredWebhookDto> {
    return firstValueFrom(this.http.post<RegisteredWebhookDto>(this.base(iscmId), request));
  }

  remove(iscmId: string, webhookId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`${this.base(iscmId)}/${encodeURIComponent(webhookId)}`));
  }

  sendTest(iscmId: string, webhookId: string): Promise<{ deliveryId: string }> {
    return firstValueFrom(this.http.post<{ deliveryId: string }>(`${this.base(iscmId)}/${encodeURIComponent(webhookId)}/test`, {}));
  }

  deliveries(iscmId: string, webhookId: string, limit = 20): Promise<WebhookDeliveryDto[]> {
    return firstValueFrom(this.http.get<WebhookDeliveryDto[]>(`${this.base(iscmId)}/${encodeURIComponent(webhookId)}/deliveries?limit=${limit}`));
  }
}
