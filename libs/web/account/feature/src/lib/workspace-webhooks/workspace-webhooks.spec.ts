import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { WebhookDeliveryDto, WebhookDto } from '@concord/contracts';
import { WorkspaceWebhooks } from './workspace-webhooks';

const HOOK: WebhookDto = { id: 'w1', url: 'https://hooks.example.org/c', events: ['proposal.approved'], registeredBy: 'u-9', registeredAt: '2026-12-01T10:00:00.000Z' };
const DELIVERED: WebhookDeliveryDto = {
  deliveryId: 'e1', event: 'proposal.approved', sourceEventType: 'ProposalApproved', createdAt: '2026-12-01T10:01:00.000Z', state: 'delivered',
  attempts: 3, nextAttemptAt: null, lastStatus: 200, lastError: null, deliveredAt: '2026-12-01T10:01:40.000Z', history: [],
};

describe('WorkspaceWebhooks', () => {
  let fixture: ComponentFixture<WorkspaceWebhooks>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  }
  const byTestId = <T extends HTMLElement>(id: string) => element.querySelector<T>(`[data-testid="${id}"]`) as T;
  async function flushList(webhooks: WebhookDto[], log: WebhookDeliveryDto[] = []): Promise<void> {
    http.expectOne('/api/workspaces/add/webhooks').flush(webhooks);
    await settle();
    for (const webhook of webhooks) http.expectOne(`/api/workspaces/add/webhooks/${webhook.id}/deliveries?limit=20`).flush(log);
    await settle();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [WorkspaceWebhooks], providers: [provideHttpClient(), provideHttpClientTesting()] });
    fixture = TestBed.createComponent(WorkspaceWebhooks);
    fixture.componentRef.setInput('iscmId', 'add');
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('lists the webhooks with their delivery log', async () => {
    await flushList([HOOK], [DELIVERED]);
    const row = byTestId('delivery-e1');
    expect(row.textContent).toContain('delivered');
    expect(row.textContent).toContain('HTTP 200');
    expect(row.textContent).toContain('3');
  });

  it('registers a webhook with the events chosen and shows its secret once', async () => {
    await flushList([]);
    const url = byTestId<HTMLInputElement>('webhook-url');
    url.value = 'https://hooks.example.org/c';
    url.dispatchEvent(new Event('input'));
    const approved = byTestId<HTMLInputElement>('webhook-event-proposal.approved');
    approved.click();
    await settle();
    byTestId<HTMLButtonElement>('webhook-add').click();
    const request = http.expectOne('/api/workspaces/add/webhooks');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ url: 'https://hooks.example.org/c', events: ['proposal.approved'] });
    request.flush({ ...HOOK, secret: 'whsec_abc' });
    await settle();
    await flushList([HOOK]);
    expect(byTestId<HTMLInputElement>('webhook-secret-value').value).toBe('whsec_abc');
    expect(byTestId('webhooks-notice').textContent).toContain('not shown again');
  });

  it('asks for a URL and an event before sending anything, and shows the server’s reason', async () => {
    await flushList([]);
    byTestId<HTMLButtonElement>('webhook-add').click();
    await settle();
    http.expectNone('/api/workspaces/add/webhooks');
    expect(byTestId('webhooks-failure').textContent).toContain('choose at least one event');

    const url = byTestId<HTMLInputElement>('webhook-url');
    url.value = 'http://127.0.0.1/x';
    url.dispatchEvent(new Event('input'));
    byTestId<HTMLInputElement>('webhook-event-silence.adopted').click();
    await settle();
    byTestId<HTMLButtonElement>('webhook-add').click();
    http.expectOne('/api/workspaces/add/webhooks').flush(
      { statusCode: 400, error: 'Bad Request', message: 'The webhook URL’s host 127.0.0.1 is a loopback, private or link-local address (127.0.0.1).' },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(byTestId('webhooks-failure').textContent).toContain('loopback, private or link-local');
  });
});
