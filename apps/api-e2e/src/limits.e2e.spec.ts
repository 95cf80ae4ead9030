/**
 * Abuse limits of the built API: sign-in throttling (ARCHITECTURE §6: after 20 wrong passwords in a
 * row for one account, further attempts get 429 with Retry-After — for unknown accounts too), the
 * per-address limit, security headers, and bad request bodies answered 4xx in the error shape.
 *
 * The servers trust one proxy (TRUST_PROXY=1), so each test speaks from its own X-Forwarded-For
 * address and no counter is shared between tests, nor with other suites sharing the CI's Redis.
 */
import { randomBytes } from 'node:crypto';
import { ApiProcess, DEMO_PASSWORD, eventually, ok, startApi } from './support/api-process';
import { DATABASE_URL, freshPostgres } from './support/postgres';

const REDIS_URL = process.env['REDIS_URL'] || undefined;
const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.anything() };

interface Attempt {
  status: number;
  retryAfter: string | null;
  body: { statusCode: number; error: string; message: string };
}

async function signIn(server: ApiProcess, email: string, password: string, address: string): Promise<Attempt> {
  const response = await server.api().request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': address });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: response.body };
}

const stores: Array<{ name: string; skip?: string; env: () => Promise<Record<string, string | undefined>> }> = [
  { name: 'sqlite', env: async () => ({ REDIS_URL: undefined }) },
  {
    name: 'postgres',
    skip: DATABASE_URL ? undefined : 'DATABASE_URL is not set',
    env: async () => {
      const pg = await freshPostgres();
      return { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema, REDIS_URL: undefined };
    },
  },
  { name: 'redis', skip: REDIS_URL ? undefined : 'REDIS_URL is not set', env: async () => ({ REDIS_URL }) },
];

describe.each(stores)('sign-in throttling with counters in $name', ({ name, skip, env }) => {
  if (skip) {
    process.stdout.write(`[api-e2e] SKIP sign-in throttling in ${name}: ${skip}\n`);
    it.skip(`throttles sign-ins (${skip})`, () => undefined);
    return;
  }
  let server: ApiProcess;
  // Two addresses per store and run: unique, so a shared Redis never carries counts across runs.
  const runTag = randomBytes(3).readUIntBE(0, 3) % 250;
  const address = (n: number) => `203.0.113.${(runTag + n) % 250}, 10.0.0.${n}`;

  beforeAll(async () => {
    server = await startApi({ name: `limits-${name}`, env: { TRUST_PROXY: '1', ...(await env()) } });
  });

  it('stores its counters where the configuration says', () => {
    expect(server.log().some((line) => line.includes('sign-in throttling ready') && line.includes(`"store":"${name}"`))).toBe(true);
  });

  it('answers 401 to 20 wrong passwords in a row, then 429 with Retry-After — even to the right password', async () => {
    const email = `lockout-${randomBytes(4).toString('hex')}@example.org`;
    const admin = server.api(await server.login('admin'));
    ok(await admin.post('/api/users', { email, name: 'Lockout Test', password: 'a-long-enough-password' }), 'register');
    const from = address(1);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signIn(server, email, `wrong-${i}`, from)).status);
    expect(statuses).toEqual(Array(20).fill(401));

    const refused = await signIn(server, email, 'wrong-again', from);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ statusCode: 429, error: 'Too many requests', message: expect.stringMatching(/too many sign-in attempts/i) });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);

    const rightPassword = await signIn(server, email, 'a-long-enough-password', address(2));
    expect(rightPassword.status).toBe(429);
    // The log line is written asynchronously: wait for it rather than race it.
    await eventually(() => server.log().some((line) => line.includes('sign-in refused: throttled') && line.includes(email)), {
      timeoutMs: 5_000,
      what: 'the throttling refusal in the log',
    });
  });

  it('treats an unknown account exactly like a known one', async () => {
    const email = `nobody-${randomBytes(4).toString('hex')}@example.org`;
    const from = address(3);
    const statuses: number[] = [];
    const messages = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const attempt = await signIn(server, email, `wrong-${i}`, from);
      statuses.push(attempt.status);
      messages.add(attempt.body.message);
    }
    expect(statuses).toEqual(Array(20).fill(401));
    expect([...messages]).toEqual(['Email or password is incorrect']);
    const refused = await signIn(server, email, 'wrong-again', from);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many sign-in attempts/i);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('resets the count of an account on a successful sign-in', async () => {
    const email = `reset-${randomBytes(4).toString('hex')}@example.org`;
    const admin = server.api(await server.login('admin'));
    ok(await admin.post('/api/users', { email, name: 'Reset Test', password: 'a-long-enough-password' }), 'register');
    const from = address(4);
    for (let i = 0; i < 19; i++) expect((await signIn(server, email, `wrong-${i}`, from)).status).toBe(401);
    expect((await signIn(server, email, 'a-long-enough-password', from)).status).toBe(200);
    for (let i = 0; i < 19; i++) expect((await signIn(server, email, `wrong-${i}`, from)).status).toBe(401);
    expect((await signIn(server, email, 'a-long-enough-password', from)).status).toBe(200);
  });
});

describe('per-address limit, proxy trust and headers', () => {
  let server: ApiProcess;
  let direct: ApiProcess;

  beforeAll(async () => {
    [server, direct] = await Promise.all([
      startApi({ name: 'limits-address', env: { TRUST_PROXY: '1', LOGIN_ADDRESS_FAILURES: '5', REDIS_URL: undefined } }),
      // No TRUST_PROXY: X-Forwarded-* headers are the client's word and count for nothing.
      startApi({ name: 'limits-direct', env: { REDIS_URL: undefined, LOGIN_ADDRESS_FAILURES: '5' } }),
    ]);
  });

  it('refuses every sign-in from an address after LOGIN_ADDRESS_FAILURES failures, whatever the account', async () => {
    const from = '192.0.2.77';
    for (let i = 0; i < 5; i++) {
      expect((await signIn(server, `spray-${i}@example.org`, 'wrong', from)).status).toBe(401);
    }
    const refused = await signIn(server, 'chair@concord.demo', DEMO_PASSWORD, from);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(1);
    // Another address is not affected, nor is the account itself.
    expect((await signIn(server, 'chair@concord.demo', DEMO_PASSWORD, '192.0.2.78')).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set: spoofed addresses do not escape the limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn(direct, `spray-${i}@example.org`, 'wrong', `192.0.2.${i}`)).status).toBe(401);
    }
    expect((await signIn(direct, 'chair@concord.demo', DEMO_PASSWORD, '192.0.2.200')).status).toBe(429);
  });

  it('sends the CSP, nosniff, frame and referrer headers on /, /api/health and errors', async () => {
    for (const path of ['/', '/api/health', '/api/proposals', '/no/such/page.js']) {
      const response = await fetch(`${server.baseUrl}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("default-src 'self'") });
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`);
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('sends HSTS only over TLS, as told by a trusted proxy', async () => {
    const plain = await fetch(`${server.baseUrl}/api/health`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const viaTls = await fetch(`${server.baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaTls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const untrusted = await fetch(`${direct.baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
  });

  it('switches /api/docs off with API_DOCS=off', async () => {
    expect((await fetch(`${server.baseUrl}/api/docs-json`)).status).toBe(200);
    const noDocs = await startApi({ name: 'limits-no-docs', env: { API_DOCS: 'off', REDIS_URL: undefined } });
    expect((await fetch(`${noDocs.baseUrl}/api/docs-json`)).status).toBe(404);
    expect((await fetch(`${noDocs.baseUrl}/api/docs`)).status).toBe(404);
    await noDocs.stop();
  });
});

describe('bad request bodies get a 4xx in the error shape, never a 5xx', () => {
  let server: ApiProcess;
  let token: string;

  beforeAll(async () => {
    server = await startApi({ name: 'limits-bodies', env: { REDIS_URL: undefined } });
    token = await server.login('drafter1');
  });

  const send = (path: string, body: string | Uint8Array, contentType = 'application/json') =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  it('answers 413 with the limit to a body over 100 kB', async () => {
    const huge = JSON.stringify({ email: 'a@b.org', password: 'x'.repeat(200_000) });
    const response = await send('/api/auth/login', huge);
    expect(response).toEqual({ status: 413, body: { statusCode: 413, error: 'Payload too large', message: expect.stringContaining('102400 bytes') } });
  });

  it('answers 400 to deeply nested JSON before validation runs', async () => {
    for (const path of ['/api/auth/login', '/api/proposals']) {
      const response = await send(path, '['.repeat(5000) + ']'.repeat(5000));
      expect(response).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad request', message: expect.stringMatching(/deeper than 32 levels/) } });
      const inObject = await send(path, '{"title":'.repeat(3000) + '1' + '}'.repeat(3000));
      expect(inObject.status).toBe(400);
    }
  });

  it('answers 400 to malformed JSON and 415 to bodies that are not JSON', async () => {
    const malformed = await send('/api/auth/login', '{"email": "a@b.org", ');
    expect(malformed).toEqual({ status: 400, body: ERROR_SHAPE });
    const text = await send('/api/auth/login', 'email=a@b.org&password=x', 'application/x-www-form-urlencoded');
    expect(text).toEqual({ status: 415, body: { ...ERROR_SHAPE, statusCode: 415, message: expect.stringMatching(/must be JSON/) } });
    const bytes = await send('/api/proposals', randomBytes(2000), 'application/octet-stream');
    expect(bytes.status).toBe(415);
  });

  it('answers 400 to text no store can keep (NUL, unpaired surrogates) and to malformed %-escapes', async () => {
    const api = server.api(token);
    // PostgreSQL refuses NUL in text: this was a 500 there; refused at the door for every store.
    const nulQuery = await api.get('/api/submissions?iscmId=%00');
    expect(nulQuery).toMatchObject({ status: 400, body: { statusCode: 400, message: expect.stringMatching(/NUL/) } });
    const nulBody = await send('/api/auth/login', JSON.stringify({ email: 'a@b.org', password: 'x\u0000y' }));
    expect(nulBody.status).toBe(400);
    const surrogate = await send('/api/auth/login', '{"email": "a@b.org", "password": "\\ud800"}');
    expect(surrogate.status).toBe(400);
    const malformedEscape = await api.get('/api/proposals/%E0%A4%A');
    expect(malformedEscape).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad request' } });
  });

  it('still serves afterwards', async () => {
    expect((await server.health()).status).toBe('ok');
    expect((await server.api(token).get('/api/proposals')).status).toBe(200);
  });
});
