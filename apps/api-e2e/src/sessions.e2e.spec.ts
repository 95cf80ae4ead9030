/**
 * Revocable sessions and socket tickets against the built API: sign-out (here, everywhere, one
 * device), refresh rotation with reuse detection, idle and absolute timeouts, and single-use
 * tickets for the co-editing socket, with the stock y-websocket client.
 */
import * as decoding from 'lib0/decoding';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ApiProcess, DEMO_PASSWORD, eventually, ok, onTeardown, sleep, startApi, WORKSPACE_ROOT } from './support/api-process';
import { CollabClient, connectClient, fetchTicket, probeSocket } from './support/collab-client';

interface Signed {
  accessToken: string;
  sessionId: string;
  /** `concord_refresh=<value>` as the browser would send it back. */
  cookie: string;
  setCookie: string;
}

async function signIn(server: ApiProcess, who: string, userAgent = 'e2e-browser-A'): Promise<Signed> {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ email: `${who}@concord.demo`, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { accessToken: string; sessionId: string };
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('concord_refresh=')) ?? '';
  return { accessToken: body.accessToken, sessionId: body.sessionId, cookie: setCookie.split(';')[0], setCookie };
}

async function refresh(server: ApiProcess, cookie: string): Promise<{ status: number; body: { accessToken?: string; message?: string }; cookie: string | null }> {
  const response = await fetch(`${server.baseUrl}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
  const set = response.headers.getSetCookie().find((line) => line.startsWith('concord_refresh='));
  const fresh = set && !set.startsWith('concord_refresh=;') ? set.split(';')[0] : null;
  return { status: response.status, body: (await response.json()) as { accessToken?: string; message?: string }, cookie: fresh };
}

/** Permission-denied reasons and the terminal close the stock client hears. */
function listen(client: CollabClient) {
  const refusals: string[] = [];
  let closed: { code: number; reason: string; at: number } | null = null;
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
  };
  client.provider.on('closed', (event) => {
    closed = { ...event, at: Date.now() };
  });
  return {
    refusals,
    get closed(): { code: number; reason: string; at: number } | null {
      return closed;
    },
  };
}

async function firstProposal(server: ApiProcess, token: string): Promise<string> {
  return ok(await server.api(token).get<{ id: string }[]>('/api/proposals'))[0].id;
}

describe('revocable sessions and socket tickets (sqlite, demo)', () => {
  let server: ApiProcess;
  let proposalId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'sessions' });
    proposalId = await firstProposal(server, (await signIn(server, 'chair')).accessToken);
  });

  it('signs in with a short access token carrying the session, and an HttpOnly Secure SameSite=Strict refresh cookie on /api/auth', async () => {
    const signed = await signIn(server, 'drafter1');
    expect(signed.setCookie).toMatch(/^concord_refresh=[^;]+;/);
    expect(signed.setCookie).toMatch(/; HttpOnly/);
    expect(signed.setCookie).toMatch(/; Secure/);
    expect(signed.setCookie).toMatch(/; SameSite=Strict/);
    expect(signed.setCookie).toMatch(/; Path=\/api\/auth/);
    const claims = JSON.parse(Buffer.from(signed.accessToken.split('.')[1], 'base64url').toString()) as { sid: string; exp: number; iat: number };
    expect(claims.sid).toBe(signed.sessionId);
    expect(claims.exp - claims.iat).toBe(600);
  });

  it('signs out: REST answers 401 at once and the open socket closes 4401 (session-ended) within 1 s', async () => {
    const signed = await signIn(server, 'drafter1');
    const client = connectClient(server.collabUrl, proposalId, signed.accessToken);
    const heard = listen(client);
    await client.synced;
    const started = Date.now();
    expect((await server.api(signed.accessToken).post('/api/auth/logout')).status).toBe(204);
    const after = await server.api(signed.accessToken).get('/api/proposals');
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/signed out/i);
    await eventually(() => heard.closed !== null, { timeoutMs: 5_000, what: 'the socket closes' });
    const closedAfterMs = (heard.closed?.at ?? 0) - started;
    process.stdout.write(`[sessions] socket closed ${closedAfterMs} ms after the sign-out request\n`);
    expect(heard.closed).toMatchObject({ code: 4401 });
    expect(heard.refusals).toContainEqual(expect.stringMatching(/^session-ended: /));
    expect(closedAfterMs).toBeLessThan(1_500);
    expect((await refresh(server, signed.cookie)).status).toBe(401);
    // No ticket either.
    expect((await server.api(signed.accessToken).post('/api/collab/tickets', {})).status).toBe(401);
    client.close();
  });

  it('signs out everywhere from another browser: both sessions and both sockets end', async () => {
    const a = await signIn(server, 'drafter2', 'browser A');
    const b = await signIn(server, 'drafter2', 'browser B');
    const onA = connectClient(server.collabUrl, proposalId, a.accessToken);
    const onB = connectClient(server.collabUrl, proposalId, b.accessToken);
    const [heardA, heardB] = [listen(onA), listen(onB)];
    await Promise.all([onA.synced, onB.synced]);
    const listed = ok(await server.api(b.accessToken).get<{ id: string; current: boolean; userAgent: string }[]>('/api/auth/sessions'));
    expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([a.sessionId, b.sessionId]));
    expect(listed.find((s) => s.id === b.sessionId)).toMatchObject({ current: true, userAgent: 'browser B' });
    expect(listed.find((s) => s.id === a.sessionId)).toMatchObject({ current: false, userAgent: 'browser A' });

    const ended = ok(await server.api(b.accessToken).post<{ ended: number }>('/api/auth/logout-all'));
    expect(ended.ended).toBeGreaterThanOrEqual(2);
    await eventually(() => heardA.closed !== null && heardB.closed !== null, { timeoutMs: 5_000, what: 'both sockets close' });
    expect(heardA.closed).toMatchObject({ code: 4401 });
    expect(heardB.closed).toMatchObject({ code: 4401 });
    for (const token of [a.accessToken, b.accessToken]) {
      const response = await server.api(token).get('/api/auth/me');
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/every device/);
    }
    expect((await refresh(server, a.cookie)).status).toBe(401);
    onA.close();
    onB.close();
  });

  it('ends one other session of mine; another user’s session is not mine to end', async () => {
    const mine = await signIn(server, 'auditor', 'laptop');
    const other = await signIn(server, 'auditor', 'phone');
    const stranger = await signIn(server, 'chair');
    expect((await server.api(mine.accessToken).delete(`/api/auth/sessions/${stranger.sessionId}`)).status).toBe(404);
    expect((await server.api(mine.accessToken).delete('/api/auth/sessions/not-a-uuid')).status).toBe(400);
    expect((await server.api(mine.accessToken).delete(`/api/auth/sessions/${other.sessionId}`)).status).toBe(204);
    expect((await server.api(other.accessToken).get('/api/auth/me')).status).toBe(401);
    expect((await server.api(mine.accessToken).get('/api/auth/me')).status).toBe(200);
    expect((await server.api(stranger.accessToken).get('/api/auth/me')).status).toBe(200);
  });

  it('rotates the refresh token on each use; a reused old one ends the session, a two-tab race only gets 409', async () => {
    const signed = await signIn(server, 'admin');
    const first = await refresh(server, signed.cookie);
    expect(first.status).toBe(200);
    expect(first.cookie).not.toBeNull();
    expect(first.cookie).not.toBe(signed.cookie);
    expect((await server.api(first.body.accessToken).get('/api/auth/me')).status).toBe(200);
    const second = await refresh(server, first.cookie as string);
    expect(second.status).toBe(200);
    // The previous token again, a moment after it was rotated: a race between tabs, not a theft.
    const race = await refresh(server, first.cookie as string);
    expect(race.status).toBe(409);
    expect((await server.api(second.body.accessToken).get('/api/auth/me')).status).toBe(200);
    // A forged token proves nothing: refused, and the session lives on.
    expect((await refresh(server, `concord_refresh=${signed.sessionId}.0.forged`)).status).toBe(401);
    expect((await server.api(second.body.accessToken).get('/api/auth/me')).status).toBe(200);
    // The very first token, two rotations old: reuse. The session ends, for the thief and the owner.
    const reuse = await refresh(server, signed.cookie);
    expect(reuse.status).toBe(401);
    expect(reuse.body.message).toMatch(/used twice/);
    const after = await server.api(second.body.accessToken).get('/api/auth/me');
    expect(after.status).toBe(401);
    expect((await refresh(server, second.cookie as string)).status).toBe(401);
  });

  it('takes socket tickets once, for their proposal, and refuses an access token in the URL with 4401', async () => {
    const signed = await signIn(server, 'drafter1');
    const ticket = await fetchTicket(server.collabUrl, signed.accessToken, proposalId);
    const once = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=${ticket}`, 300);
    expect(once.status).toBe(101);
    expect(once.closeCode).toBeNull();
    expect(once.messages.length).toBeGreaterThan(0);
    const twice = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=${ticket}`, 300);
    expect(twice).toMatchObject({ status: 101, closeCode: 4401, messages: [] });

    const proposals = ok(await server.api(signed.accessToken).get<{ id: string }[]>('/api/proposals'));
    const bound = await fetchTicket(server.collabUrl, signed.accessToken, proposals[0].id);
    const elsewhere = await probeSocket(`${server.collabUrl}/${proposals[1].id}?ticket=${bound}`, 300);
    expect(elsewhere).toMatchObject({ closeCode: 4401, messages: [] });

    const withToken = await probeSocket(`${server.collabUrl}/${proposalId}?token=${signed.accessToken}`, 300);
    expect(withToken).toMatchObject({ closeCode: 4401, messages: [] });
    const forged = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=forged`, 300);
    expect(forged).toMatchObject({ closeCode: 4401, messages: [] });

    const badBody = await server.api(signed.accessToken).post('/api/collab/tickets', { proposalId: 'x' });
    expect(badBody.status).toBe(400);
    expect((await server.api().post('/api/collab/tickets', {})).status).toBe(401);
  });

  it('a stock client that reconnects gets a fresh ticket and is admitted again', async () => {
    const signed = await signIn(server, 'drafter2');
    const client = connectClient(server.collabUrl, proposalId, signed.accessToken, { reconnect: true });
    await client.synced;
    // Drop the socket from the client side: the provider reconnects, which needs a new ticket.
    client.provider.ws?.close();
    await eventually(() => client.provider.wsconnected && client.provider.synced && client.closeCodes.length > 0, { what: 'reconnected' });
    expect(client.closeCodes).not.toContain(4401);
    client.close();
  });

  it("runs the README's stock-client example as written: it connects with a ticket, and a reconnect asks for a fresh one", async () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Co-editing from your own client'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    if (!code) throw new Error('README: no js example under "Co-editing from your own client"');
    expect(code).toContain("params = { ticket:");
    const body = code
      .replace(/^import .*$/gm, '')
      .replaceAll('http://localhost:3000', server.baseUrl)
      .replaceAll('ws://localhost:3000', server.baseUrl.replace(/^http/, 'ws'));
    const ticketRequests: number[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/api/collab/tickets')) ticketRequests.push(Date.now());
      return fetch(input, init);
    };
    // The example is for a browser (or Node 22), where WebSocket is global.
    const globals = globalThis as { WebSocket?: unknown };
    const hadWebSocket = globals.WebSocket;
    globals.WebSocket = WebSocket;
    onTeardown(() => {
      globals.WebSocket = hadWebSocket;
    });
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<{ provider: WebsocketProvider; doc: Y.Doc }>;
    const example = new AsyncFunction('WebsocketProvider', 'Y', 'proposalId', 'fetch', `${body}\nreturn { provider, doc };`);
    const { provider, doc } = await example(WebsocketProvider, Y, proposalId, countingFetch);
    const closes: number[] = [];
    provider.on('connection-close', (event: { code?: number } | null) => closes.push(event?.code ?? 0));
    onTeardown(() => provider.destroy());
    await eventually(() => provider.synced && doc.getXmlFragment('content').length > 0, { what: 'the example syncs the proposal' });
    expect(ticketRequests).toHaveLength(1);

    // The connection drops (not a refusal): the provider reconnects through a new ticket.
    provider.synced = false;
    provider.ws?.close();
    await eventually(() => closes.length > 0 && provider.wsconnected && provider.synced, { what: 'the example reconnects and syncs again' });
    expect(ticketRequests).toHaveLength(2);
    expect(closes).not.toContain(4401);
    provider.destroy();
  });

  it('ends the sessions of a disabled user (user-disabled)', async () => {
    const admin = await signIn(server, 'admin');
    ok(await server.api(admin.accessToken).post('/api/users', { email: 'temp.user@example.org', name: 'Temp User', password: 'a-long-password-9' }));
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'temp.user@example.org', password: 'a-long-password-9' }),
    });
    const temp = (await login.json()) as { accessToken: string; user: { id: string } };
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0];
    expect((await server.api(admin.accessToken).post(`/api/users/${temp.user.id}/disable`)).status).toBe(204);
    expect((await server.api(temp.accessToken).get('/api/auth/me')).status).toBe(401);
    const refused = await refresh(server, cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/disabled/);
  });
});

describe('session timeouts (small configured values)', () => {
  let server: ApiProcess;
  let proposalId: string;

  beforeAll(async () => {
    server = await startApi({
      name: 'sessions-timeouts',
      env: { ACCESS_TOKEN_TTL: '2s', SESSION_IDLE_TIMEOUT: '4s', SESSION_MAX_AGE: '12s', COLLAB_TICKET_TTL: '2s' },
    });
    proposalId = await firstProposal(server, (await signIn(server, 'chair')).accessToken);
  });

  it('refuses a socket ticket after its time (COLLAB_TICKET_TTL=2s), before any document byte; a fresh one opens', async () => {
    const signed = await signIn(server, 'drafter1');
    const issued = ok(await server.api(signed.accessToken).post<{ ticket: string; expiresIn: number }>('/api/collab/tickets', { proposalId }));
    expect(issued.expiresIn).toBe(2);
    await sleep(2_300);
    const late = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=${issued.ticket}`, 300);
    expect(late).toMatchObject({ status: 101, closeCode: 4401, messages: [] });
    await eventually(() => server.log().some((line) => line.includes('collab ticket refused') && line.includes('"refused":"expired"')), {
      what: 'the refusal is logged as expired',
    });
    // (The access token lives 2 s here too: a new sign-in asks for the fresh ticket.)
    const fresh = await fetchTicket(server.collabUrl, (await signIn(server, 'drafter1')).accessToken, proposalId);
    const opened = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=${fresh}`, 300);
    expect(opened).toMatchObject({ status: 101, closeCode: null });
    expect(opened.messages.length).toBeGreaterThan(0);
  });

  it('refreshes an expired access token while the session is in use', async () => {
    const signed = await signIn(server, 'drafter1');
    await sleep(2_600);
    expect((await server.api(signed.accessToken).get('/api/auth/me')).status).toBe(401);
    const renewed = await refresh(server, signed.cookie);
    expect(renewed.status).toBe(200);
    expect((await server.api(renewed.body.accessToken).get('/api/auth/me')).status).toBe(200);
  });

  it('ends an idle session: refresh refused as expired, its socket closed 4401', async () => {
    const signed = await signIn(server, 'drafter2');
    const client = connectClient(server.collabUrl, proposalId, signed.accessToken);
    const heard = listen(client);
    await client.synced;
    await eventually(() => heard.closed !== null, { timeoutMs: 10_000, what: 'the idle session’s socket closes' });
    expect(heard.closed).toMatchObject({ code: 4401 });
    const refused = await refresh(server, signed.cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/expired/);
    client.close();
  });
});

describe('the absolute end of a session in use', () => {
  const MAX_AGE_MS = 10_000;
  let server: ApiProcess;

  beforeAll(async () => {
    // Idle timeout and access-token lifetime far above the absolute end, so only the absolute end can
    // end this session, however slowly a loaded machine answers.
    server = await startApi({ name: 'sessions-absolute', env: { ACCESS_TOKEN_TTL: '60s', SESSION_IDLE_TIMEOUT: '60s', SESSION_MAX_AGE: '10s' } });
  });

  it('renews a session in use until its absolute end, then refuses the renewal and the access token it had', async () => {
    const before = Date.now();
    const signed = await signIn(server, 'auditor');
    const signedAt = Date.now();
    let { cookie } = signed;
    let token = signed.accessToken;
    let renewals = 0;
    let refused: { sentAt: number; answeredAt: number } | null = null;
    while (!refused && Date.now() - before < 40_000) {
      await sleep(1_000);
      const sentAt = Date.now();
      const renewed = await refresh(server, cookie);
      if (renewed.status === 200) {
        // Answered 200, so the server took it before the end, which is at least MAX_AGE after signedAt.
        expect(sentAt).toBeLessThan(signedAt + MAX_AGE_MS);
        renewals += 1;
        cookie = renewed.cookie as string;
        token = renewed.body.accessToken as string;
        continue;
      }
      expect(renewed.status).toBe(401);
      expect(renewed.body.message).toMatch(/expired/);
      refused = { sentAt, answeredAt: Date.now() };
    }
    expect(refused).not.toBeNull();
    // Not before the end (the session began after `before`) …
    expect(refused!.answeredAt).toBeGreaterThanOrEqual(before + MAX_AGE_MS);
    // … and the renewals kept it in use until then.
    expect(renewals).toBeGreaterThanOrEqual(3);
    // The access token of the ended session is refused too, though its own lifetime (60 s) is not over.
    expect((await server.api(token).get('/api/auth/me')).status).toBe(401);
  });

});
