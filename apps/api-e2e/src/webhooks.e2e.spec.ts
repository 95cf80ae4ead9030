/**
 * Webhooks per workspace (issue 14 §5) against the built API: a real HTTP receiver in the test
 * checks the HMAC-SHA256 signature and the signed timestamp of every delivery; a procedure action
 * gives exactly one signed delivery; a receiver failing twice gets it on the third attempt, after
 * the back-off, and the delivery log shows the three attempts; a removed webhook gets nothing;
 * bad input is 400 with the reason; only administrators manage webhooks. The two-node part (each
 * event delivered exactly once by two API nodes on one PostgreSQL) runs only when DATABASE_URL is set.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiProcess, eventually, ok, onTeardown, sleep, startApi } from './support/api-process';
import { DATABASE_URL, FreshPostgres, freshPostgres } from './support/postgres';

const ISCM = 'abu-dhabi-dialogue';
const RETRY_BASE_MS = 400;
const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), WEBHOOK_POLL_MS: '100' };

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; occurredAt: string; iscmId: string; data: Record<string, unknown> };
  at: number;
}

/** An HTTP receiver: records every request; answers what `answer(path, n)` says (n = how many that path got). */
async function startReceiver(answer: (path: string, n: number) => number = () => 204): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, raw, body: JSON.parse(raw), at: Date.now() });
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      response.statusCode = answer(path, n);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

/** The receiver's side of the contract (docs/ARCHITECTURE.md, "Webhooks"): HMAC over "<timestamp>.<raw body>", timestamp within 5 minutes. */
function verify(secret: string, delivery: Received): boolean {
  const timestamp = String(delivery.headers['x-concord-timestamp'] ?? '');
  const given = String(delivery.headers['x-concord-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.raw}`).digest('hex')}`;
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

interface Registered {
  id: string;
  url: string;
  events: string[];
  secret: string;
}

describe('webhooks (sqlite, demo)', () => {
  let server: ApiProcess;
  let admin: ApiClient;
  let drafter: ApiClient;
  let submissionId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'webhooks', env: WEBHOOK_ENV });
    admin = server.api(await server.login('admin'));
    drafter = server.api(await server.login('drafter1'));
    submissionId = ok(await drafter.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
  });

  const register = async (url: string, events: string[]) => ok(await admin.post<Registered>(`/api/workspaces/${ISCM}/webhooks`, { url, events }), 'register');
  const createProposal = async (title: string) =>
    ok(await drafter.post<{ id: string }>('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [5] }), 'create proposal').id;
  const deliveriesOf = async (webhookId: string) => ok(await admin.get(`/api/workspaces/${ISCM}/webhooks/${webhookId}/deliveries?limit=50`), 'deliveries');

  it('delivers one signed JSON delivery per procedure event, and logs it', async () => {
    const receiver = await startReceiver();
    const hook = await register(`${receiver.url}/signed`, ['proposal.created']);
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.events).toEqual(['proposal.created']);
    // The secret is shown once: neither the list nor the audit shows it.
    const listed = ok(await admin.get(`/api/workspaces/${ISCM}/webhooks`));
    expect(listed.find((w: { id: string }) => w.id === hook.id)).toEqual({ id: hook.id, url: hook.url, events: ['proposal.created'], registeredBy: expect.any(String), registeredAt: expect.any(String) });
    const audit = ok(await admin.get(`/api/audit/events?stream=iscm-${ISCM}&limit=500`)).items;
    const recorded = audit.find((event: { type: string; data: Record<string, unknown> }) => event.type === 'WebhookRegistered' && event.data['webhookId'] === hook.id);
    expect(recorded).toBeDefined();
    expect(JSON.stringify(recorded)).not.toContain(hook.secret);
    expect(JSON.stringify(recorded)).not.toContain(hook.secret.slice(6));

    const title = 'A text whose title never leaves Concord';
    const proposalId = await createProposal(title);
    await eventually(async () => (receiver.received.length >= 1 ? true : null), { what: 'the delivery', timeoutMs: 15_000 });
    await sleep(1_000); // nothing more comes
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(verify(hook.secret, delivery)).toBe(true);
    expect(verify('whsec_someone-else', delivery)).toBe(false);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['x-concord-event']).toBe('proposal.created');
    expect(delivery.headers['x-concord-delivery']).toBe(delivery.body.id);
    expect(delivery.body).toMatchObject({ type: 'proposal.created', iscmId: ISCM, data: { proposalId, submissionId, actor: expect.any(String) } });
    expect(delivery.raw).not.toContain(title);
    const log = await eventually(async () => {
      const entries = await deliveriesOf(hook.id);
      return entries[0]?.state === 'delivered' ? entries : null;
    }, { what: 'the delivery log' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ deliveryId: delivery.body.id, event: 'proposal.created', attempts: 1, lastStatus: 204, nextAttemptAt: null });
    expect(log[0].history).toEqual([expect.objectContaining({ attempt: 1, status: 204, error: null })]);
    ok(await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`));
  });

  it('retries a receiver answering 500 twice with back-off, delivers once, and logs the attempts', async () => {
    const receiver = await startReceiver((_path, n) => (n <= 2 ? 500 : 200));
    const hook = await register(`${receiver.url}/flaky`, ['proposal.created']);
    await createProposal('Retried');
    await eventually(async () => (receiver.received.length >= 3 ? true : null), { what: 'three attempts', timeoutMs: 30_000 });
    await sleep(RETRY_BASE_MS * 8); // a fourth would have come by now
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(1);
    for (const attempt of receiver.received) expect(verify(hook.secret, attempt)).toBe(true);
    const gaps = [receiver.received[1].at - receiver.received[0].at, receiver.received[2].at - receiver.received[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS - 50);
    expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 6 - 50);
    const [entry] = await deliveriesOf(hook.id);
    expect(entry).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200 });
    expect(entry.history.map((a: { attempt: number; status: number }) => [a.attempt, a.status])).toEqual([[3, 200], [2, 500], [1, 500]]);
    expect(entry.history[2].error).toMatch(/HTTP 500/);
    ok(await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`));
  });

  it('gives up at once on a 4xx other than 408 and 429', async () => {
    const receiver = await startReceiver(() => 410);
    const hook = await register(`${receiver.url}/gone`, ['proposal.created']);
    await createProposal('Refused by the receiver');
    const [entry] = await eventually(async () => {
      const entries = await deliveriesOf(hook.id);
      return entries[0]?.state === 'failed' ? entries : null;
    }, { what: 'the delivery failed' });
    await sleep(RETRY_BASE_MS * 3);
    expect(receiver.received).toHaveLength(1);
    expect(entry).toMatchObject({ attempts: 1, lastStatus: 410, nextAttemptAt: null });
    ok(await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`));
  });

  it('sends a removed webhook nothing more, and cancels its pending retries', async () => {
    const receiver = await startReceiver(() => 503);
    const hook = await register(`${receiver.url}/removed`, ['proposal.created']);
    await createProposal('Before removal');
    await eventually(async () => (receiver.received.length >= 1 ? true : null), { what: 'the first attempt' });
    expect((await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`)).status).toBe(204);
    const countAtRemoval = receiver.received.length;
    await createProposal('After removal');
    await sleep(RETRY_BASE_MS * 8);
    expect(receiver.received).toHaveLength(countAtRemoval);
    const [entry] = await deliveriesOf(hook.id);
    expect(entry.state).toBe('cancelled');
    expect(ok(await admin.get(`/api/workspaces/${ISCM}/webhooks`)).some((w: { id: string }) => w.id === hook.id)).toBe(false);
    expect((await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await admin.post(`/api/workspaces/${ISCM}/webhooks/${hook.id}/test`)).status).toBe(404);
  });

  it('sends a signed ping on "Send test"', async () => {
    const receiver = await startReceiver();
    const hook = await register(`${receiver.url}/ping`, ['silence.adopted']);
    const { deliveryId } = ok(await admin.post(`/api/workspaces/${ISCM}/webhooks/${hook.id}/test`));
    await eventually(async () => (receiver.received.length ? true : null), { what: 'the ping' });
    expect(receiver.received[0].body).toMatchObject({ id: deliveryId, type: 'ping', iscmId: ISCM });
    expect(verify(hook.secret, receiver.received[0])).toBe(true);
    ok(await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`));
  });

  it('refuses bad input with the reason (400)', async () => {
    const bad = async (body: unknown, reason: RegExp) => {
      const response = await admin.post(`/api/workspaces/${ISCM}/webhooks`, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(reason);
    };
    await bad({ url: 'ftp://example.org/hook', events: ['proposal.approved'] }, /https:\/\/ or http:\/\//);
    await bad({ url: 'not a url', events: ['proposal.approved'] }, /not an absolute URL/);
    await bad({ url: 'http://127.0.0.1:9/hook', events: [] }, /at least one event/);
    await bad({ url: 'http://127.0.0.1:9/hook', events: ['proposal.exploded'] }, /not a webhook event/);
    await bad({ url: 'http://127.0.0.1:9/hook' }, /events must be a list/);
    await bad({ url: 'https://user:pw@127.0.0.1:9/hook', events: ['proposal.approved'] }, /user name or password/);
    await bad({ url: 'http://no-such-host.invalid/hook', events: ['proposal.approved'] }, /could not be resolved/);
    expect((await admin.get(`/api/workspaces/${ISCM}/webhooks/x/deliveries?limit=0`)).status).toBe(400);
  });

  it('lets only administrators of the workspace (and platform administrators) manage webhooks', async () => {
    const receiver = await startReceiver();
    const hook = await register(`${receiver.url}/rights`, ['proposal.approved']);
    for (const who of ['drafter1', 'chair', 'auditor', 'delegate1']) {
      const client = server.api(await server.login(who));
      expect([who, (await client.post(`/api/workspaces/${ISCM}/webhooks`, { url: `${receiver.url}/x`, events: ['proposal.approved'] })).status]).toEqual([who, 403]);
      expect([who, (await client.get(`/api/workspaces/${ISCM}/webhooks`)).status]).toEqual([who, 403]);
      expect([who, (await client.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`)).status]).toEqual([who, 403]);
      expect([who, (await client.post(`/api/workspaces/${ISCM}/webhooks/${hook.id}/test`)).status]).toEqual([who, 403]);
      expect([who, (await client.get(`/api/workspaces/${ISCM}/webhooks/${hook.id}/deliveries`)).status]).toEqual([who, 403]);
    }
    expect((await server.api().get(`/api/workspaces/${ISCM}/webhooks`)).status).toBe(401);
    ok(await admin.delete(`/api/workspaces/${ISCM}/webhooks/${hook.id}`));
  });
});

describe('webhooks refuse private addresses unless WEBHOOK_ALLOW_PRIVATE=1', () => {
  it('answers 400 naming the address', async () => {
    const server = await startApi({ name: 'webhooks-public', env: { WEBHOOK_POLL_MS: '1000' } });
    const admin = server.api(await server.login('admin'));
    for (const url of ['http://127.0.0.1:9/hook', 'http://[::1]:9/hook', 'http://169.254.169.254/latest', 'http://localhost/hook', 'http://10.0.0.7/hook']) {
      const response = await admin.post(`/api/workspaces/${ISCM}/webhooks`, { url, events: ['proposal.approved'] });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(response.body.message).toMatch(/loopback, private or link-local/);
    }
  });
});

if (!DATABASE_URL) process.stdout.write('[api-e2e] SKIP webhooks on two nodes: DATABASE_URL is not set\n');

/**
 * `shared`: both nodes keep their read models in one DATABASE_SCHEMA (one projecting node, the
 * other following); `per-node`: a schema each, so both nodes project every event — the outbox is in
 * the log's schema either way, and each delivery is claimed by one node.
 */
(DATABASE_URL ? describe.each(['shared', 'per-node'] as const) : describe.skip.each(['shared', 'per-node'] as const))(
  'webhooks on two API nodes on PostgreSQL (%s read models)',
  (mode) => {
    let pg: FreshPostgres;
    let nodeA: ApiProcess;
    let nodeB: ApiProcess;

    beforeAll(async () => {
      pg = await freshPostgres();
      // Every node must derive the same sealing key: they share WEBHOOK_SECRET_KEY (or JWT_SECRET).
      const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, ...WEBHOOK_ENV, WEBHOOK_SECRET_KEY: 'a-cluster-wide-webhook-key-for-tests', JWT_SECRET: 'a-cluster-wide-jwt-secret-for-the-tests' };
      const schemaOf = (node: string) => (mode === 'shared' ? pg.schema : `${pg.schema}_${node}`);
      nodeA = await startApi({ name: `webhooks-a-${mode}`, env: { ...env, DATABASE_SCHEMA: schemaOf('a'), DEMO: '1', NODE_ID: 'node-a' } });
      nodeB = await startApi({ name: `webhooks-b-${mode}`, env: { ...env, DATABASE_SCHEMA: schemaOf('b'), DEMO: '0', NODE_ID: 'node-b' } });
    }, 120_000);

    it('delivers each event exactly once, whichever node sends it', async () => {
      // Every third request fails: those deliveries are retried, by either node.
      const receiver = await startReceiver((_path, n) => (n % 3 === 1 ? 500 : 204));
      const adminA = nodeA.api(await nodeA.login('admin'));
      const hook = ok(await adminA.post<Registered>(`/api/workspaces/${ISCM}/webhooks`, { url: `${receiver.url}/cluster`, events: ['proposal.created'] }));
      const drafterA = nodeA.api(await nodeA.login('drafter1'));
      const drafterB = nodeB.api(await nodeB.login('drafter1'));
      const submissionId = ok(await drafterA.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
      const created: string[] = [];
      for (let i = 0; i < 10; i++) {
        const client = i % 2 ? drafterB : drafterA;
        created.push(ok(await client.post<{ id: string }>('/api/proposals', { submissionId, title: `Cluster ${i}`, kind: 'policy', gcmObjectives: [5] })).id);
      }
      const answered2xx = () => {
        const ids = new Map<string, number>();
        receiver.received.forEach((r, i) => {
          if ((i + 1) % 3 !== 1) ids.set(r.body.data['proposalId'] as string, (ids.get(r.body.data['proposalId'] as string) ?? 0) + 1);
        });
        return ids;
      };
      await eventually(async () => (created.every((id) => answered2xx().has(id)) ? true : null), { what: 'every proposal delivered', timeoutMs: 60_000 });
      await sleep(RETRY_BASE_MS * 10);
      for (const attempt of receiver.received) expect(verify(hook.secret, attempt)).toBe(true);
      // Each event answered 2xx exactly once, and never sent again after that.
      expect([...answered2xx().entries()].sort()).toEqual(created.map((id) => [id, 1] as const).sort());
      expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(10);
      const rows = await pg.query<{ state: string; delivered: number }>(
        `SELECT d.state, (SELECT count(*) FROM public.webhook_attempts a WHERE a.delivery_id = d.id AND a.status BETWEEN 200 AND 299)::int AS delivered
         FROM public.webhook_deliveries d WHERE d.webhook_id = $1`,
        [hook.id],
      );
      expect(rows).toHaveLength(10);
      for (const row of rows) expect(row).toEqual({ state: 'delivered', delivered: 1 });
      const nodes = await pg.query<{ node_id: string }>('SELECT DISTINCT node_id FROM public.webhook_attempts ORDER BY node_id');
      process.stdout.write(`[webhooks ${mode}] attempts made by: ${nodes.map((n) => n.node_id).join(', ')}\n`);
    });
  },
);
