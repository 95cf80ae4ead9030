/**
 * Webhooks in Chromium against the real server (issue 14 §5): the demo admin adds a webhook on the
 * workspace's administration page with the keyboard (URL, an event's checkbox, Enter), is shown the
 * signing secret once, and sees the server's reason for a URL it refuses; a drafter sends a proposal
 * for review and the chair approves it (REST), and a receiver in the test gets one delivery of
 * `proposal.approved` whose HMAC-SHA256 signature, under the secret read from the page, is right;
 * the page's delivery log shows it delivered. Checked with axe; screenshot admin-webhooks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import {
  allowConsoleErrors, type ConcordServer, createProposal, expectAccessible, LAPTOP_VIEWPORT, loginAs, newBrowser, newPage, ok, screenshot, startServer,
} from './support';

const ISCM = 'abu-dhabi-dialogue';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; iscmId: string; data: Record<string, unknown> };
}

describe('webhooks on the administration page', () => {
  let server: ConcordServer;
  let browser: Browser;
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
      response.statusCode = 204;
      response.end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    [server, browser] = await Promise.all([startServer({ env: { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_POLL_MS: '200' } }), newBrowser()]);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('an admin adds a webhook; an approval reaches the receiver signed, and the delivery log shows it', async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/concord`;
    const admin = await newPage(browser, server, { label: 'admin', viewport: LAPTOP_VIEWPORT });
    // The refused URL below is the server's 400, which the browser logs as a failed load.
    allowConsoleErrors(admin, /status of 400/);
    await loginAs(admin, 'admin');
    await admin.goto(`/admin/workspaces/${ISCM}`);
    await admin.getByTestId('webhooks-empty').waitFor();

    // A URL the server refuses: its reason is shown.
    await admin.getByTestId('webhook-url').fill('ftp://files.example.org/drop');
    await admin.getByTestId('webhook-event-proposal.approved').check();
    await admin.getByTestId('webhook-add').click();
    await admin.getByTestId('webhooks-failure').filter({ hasText: 'must start with https:// or http://' }).waitFor();

    // With the keyboard: the URL, Tab to the first event (proposal.created) and past it, Space on proposal.approved… then Enter on "Add webhook".
    await admin.getByTestId('webhook-url').fill('');
    await admin.getByTestId('webhook-url').focus();
    await admin.keyboard.type(receiverUrl);
    await admin.getByTestId('webhook-event-proposal.approved').focus();
    await admin.keyboard.press('Space'); // unchecks what the refused attempt left checked
    await admin.keyboard.press('Space');
    expect(await admin.getByTestId('webhook-event-proposal.approved').isChecked()).toBe(true);
    await admin.getByTestId('webhook-add').focus();
    await admin.keyboard.press('Enter');
    const secret = await admin.getByTestId('webhook-secret-value').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await admin.getByTestId(`webhook-${receiverUrl}`).waitFor();
    await admin.getByTestId('webhook-copy-secret').click();
    await admin.getByTestId('webhooks-notice').filter({ hasText: /copied|did not allow copying/ }).waitFor();
    await expectAccessible(admin, 'the webhooks section with a new secret');

    // The procedure, through the API: sent for review, approved by the chair.
    const drafterToken = await server.login('drafter1');
    const chairToken = await server.login('chair');
    const proposal = await createProposal(server, drafterToken, { title: `Webhook approval ${Date.now()}` });
    let revision = proposal.currentRevision;
    for (let i = 0; i < 50 && revision < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      revision = (await server.proposal(drafterToken, proposal.id)).currentRevision;
    }
    ok(await server.api(drafterToken).post(`/api/proposals/${proposal.id}/review`, { revision }), 'send for review');
    ok(await server.api(chairToken).post(`/api/proposals/${proposal.id}/approvals`, { revision }), 'approve');

    for (let i = 0; i < 75 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery.body).toMatchObject({ type: 'proposal.approved', iscmId: ISCM, data: { proposalId: proposal.id, revision } });
    expect(delivery.headers['x-concord-event']).toBe('proposal.approved');
    const timestamp = String(delivery.headers['x-concord-timestamp']);
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.raw}`).digest('hex')}`;
    const given = String(delivery.headers['x-concord-signature']);
    expect(given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))).toBe(true);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);

    // The delivery log on the page.
    await admin.getByTestId('webhook-refresh-log').focus();
    await admin.keyboard.press('Enter');
    const row = admin.getByTestId(`delivery-${delivery.body.id}`);
    await row.filter({ hasText: 'delivered' }).filter({ hasText: 'HTTP 204' }).waitFor();
    await expectAccessible(admin, 'the webhooks section with its delivery log');
    await admin.getByTestId('webhooks-section').scrollIntoViewIfNeeded();
    await screenshot(admin, 'admin-webhooks', { fullPage: true });
  });
});
