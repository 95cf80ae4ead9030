/**
 * Account endpoints of the built API (issue #9 points 3 and 4): change password, administrators
 * re-enabling users and issuing one-time reset links, TOTP second factor with recovery codes, its
 * throttling, and the MFA_REQUIRED_ROLES policy. Each test registers its own users and speaks from
 * its own X-Forwarded-For address (TRUST_PROXY=1), so no throttle counter is shared between tests.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticator } from 'otplib';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { connectClient } from './support/collab-client';

const GOOD_PASSWORD = 'river-lantern-harbour-42';
let addressCounter = 1;
const nextAddress = () => `198.51.100.${addressCounter++}, 10.0.0.1`;

interface TestUser {
  id: string;
  email: string;
  password: string;
}

async function registerUser(server: ApiProcess, admin: ApiClient, prefix = 'account'): Promise<TestUser> {
  const email = `${prefix}-${randomBytes(4).toString('hex')}@example.org`;
  const { userId } = ok(await admin.post<{ userId: string }>('/api/users', { email, name: `Test ${prefix}`, password: GOOD_PASSWORD }), 'register');
  return { id: userId, email, password: GOOD_PASSWORD };
}

function signIn(server: ApiProcess, email: string, password: string, address: string) {
  return server.api().request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': address });
}

/** A TOTP code for a time step not used yet (the server refuses a step's code twice). */
function freshCode(secret: string, used: Set<number>): string {
  const now = Date.now();
  for (const offset of [0, 1, -1]) {
    const at = now + offset * 30_000;
    const step = Math.floor(at / 30_000);
    if (!used.has(step)) {
      used.add(step);
      return authenticator.clone({ epoch: at }).generate(secret);
    }
  }
  throw new Error('no unused step left in the window; wait 30 s');
}

/** A 6-digit code valid for none of the steps the server accepts now. */
function wrongCodeFor(secret: string): string {
  const valid = [-1, 0, 1].map((offset) => authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) as string;
}

async function auditEvents(admin: ApiClient, userId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return ok(await admin.get(`/api/audit/events?stream=user-${userId}&limit=100`), 'audit').items;
}

describe('account endpoints', () => {
  let server: ApiProcess;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startApi({ name: 'account', env: { TRUST_PROXY: '1', LOGIN_FREE_FAILURES: '5', REDIS_URL: undefined } });
    admin = server.api(await server.login('admin'));
  });

  describe('change password', () => {
    it('needs the right current password and a new one that is long and not common; then only the new one works', async () => {
      const user = await registerUser(server, admin);
      const me = server.api(ok(await signIn(server, user.email, user.password, nextAddress())).accessToken);

      const wrongCurrent = await me.post('/api/account/password', { currentPassword: 'not-my-password', newPassword: 'a-brand-new-passphrase' });
      expect(wrongCurrent.status).toBe(400);
      expect(wrongCurrent.body.message).toMatch(/current password is not correct/i);

      const breached = await me.post('/api/account/password', { currentPassword: user.password, newPassword: 'qwerty123456' });
      expect(breached.status).toBe(400);
      expect(breached.body.message).toMatch(/most common passwords/i);

      const short = await me.post('/api/account/password', { currentPassword: user.password, newPassword: 'short-one' });
      expect(short.status).toBe(400);
      expect(short.body.message).toMatch(/at least 12 characters/);

      expect((await me.post('/api/account/password', { currentPassword: user.password, newPassword: 'a-brand-new-passphrase' })).status).toBe(204);
      expect((await signIn(server, user.email, user.password, nextAddress())).status).toBe(401);
      expect((await signIn(server, user.email, 'a-brand-new-passphrase', nextAddress())).status).toBe(200);

      const events = await auditEvents(admin, user.id);
      expect(events.map((event) => event.type)).toEqual(['UserRegistered', 'PasswordChanged']);
      expect(events[1].data['passwordHash']).toBe('[redacted]');
    });

    it('counts wrong current passwords with the sign-in throttle (429 after the limit)', async () => {
      const user = await registerUser(server, admin);
      const me = server.api(ok(await signIn(server, user.email, user.password, nextAddress())).accessToken);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await me.post('/api/account/password', { currentPassword: `wrong-${i}`, newPassword: 'a-brand-new-passphrase' })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    });
  });

  describe('administrators', () => {
    it('refuse everyone else (403)', async () => {
      const drafter = server.api(await server.login('drafter1'));
      const user = await registerUser(server, admin);
      for (const response of [
        await drafter.get('/api/admin/users'),
        await drafter.post(`/api/admin/users/${user.id}/reenable`),
        await drafter.post(`/api/admin/users/${user.id}/password-reset`),
        await drafter.post(`/api/admin/users/${user.id}/mfa/disable`),
        await drafter.post(`/api/users/${user.id}/disable`),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body.message).toMatch(/administrator/);
      }
    });

    it('disable and re-enable a user, recorded in the log', async () => {
      const user = await registerUser(server, admin);
      expect((await admin.post(`/api/users/${user.id}/disable`)).status).toBe(204);
      expect((await signIn(server, user.email, user.password, nextAddress())).status).toBe(401);
      const listed = ok(await admin.get('/api/admin/users')).find((row: { id: string }) => row.id === user.id);
      expect(listed).toMatchObject({ email: user.email, disabled: true, mfaEnabled: false });

      expect((await admin.post(`/api/admin/users/${user.id}/reenable`)).status).toBe(204);
      const again = await admin.post(`/api/admin/users/${user.id}/reenable`);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/not disabled/);
      expect((await signIn(server, user.email, user.password, nextAddress())).status).toBe(200);
      expect((await auditEvents(admin, user.id)).map((event) => event.type)).toEqual(['UserRegistered', 'UserDisabled', 'UserReenabled']);
      expect((await admin.post('/api/admin/users/no-such-user/reenable')).status).toBe(404);
    });

    it('issue a one-time reset link that works once and only the newest', async () => {
      const user = await registerUser(server, admin);
      const first = ok(await admin.post(`/api/admin/users/${user.id}/password-reset`));
      const link = ok(await admin.post(`/api/admin/users/${user.id}/password-reset`));
      expect(link.resetPath).toBe(`/reset/${link.token}`);
      expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
      const listed = ok(await admin.get('/api/admin/users')).find((row: { id: string }) => row.id === user.id);
      expect(listed.resetLinkExpiresAt).toBe(link.expiresAt);

      const anonymous = server.api();
      const replaced = await anonymous.post('/api/auth/reset', { token: first.token, newPassword: 'fresh-start-password' });
      expect(replaced.status).toBe(410);
      expect(replaced.body.message).toMatch(/invalid, expired or already used/);
      const breached = await anonymous.post('/api/auth/reset', { token: link.token, newPassword: '1qaz2wsx3edc' });
      expect(breached.status).toBe(400);
      expect(breached.body.message).toMatch(/most common passwords/);
      const malformed = await anonymous.post('/api/auth/reset', { token: 'not-a-token', newPassword: 'fresh-start-password' });
      expect(malformed.status).toBe(400);

      expect((await anonymous.post('/api/auth/reset', { token: link.token, newPassword: 'fresh-start-password' })).status).toBe(204);
      const reused = await anonymous.post('/api/auth/reset', { token: link.token, newPassword: 'another-fresh-password' });
      expect(reused.status).toBe(410);
      expect((await signIn(server, user.email, 'fresh-start-password', nextAddress())).status).toBe(200);
      expect((await signIn(server, user.email, 'another-fresh-password', nextAddress())).status).toBe(401);

      const events = await auditEvents(admin, user.id);
      expect(events.map((event) => event.type)).toEqual(['UserRegistered', 'PasswordResetIssued', 'PasswordResetIssued', 'PasswordReset']);
      expect(events[2].data['tokenHash']).toBe('[redacted]');
      expect(JSON.stringify(events)).not.toContain(link.token);
    });
  });

  describe('second factor', () => {
    async function enrol(me: ApiClient, used: Set<number>) {
      const setup = ok(await me.post('/api/account/mfa/setup'));
      expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
      expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
      const wrong = await me.post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: wrongCodeFor(setup.secret) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/code is not correct/);
      const { recoveryCodes } = ok(await me.post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: freshCode(setup.secret, used) }));
      return { secret: setup.secret as string, recoveryCodes: recoveryCodes as string[] };
    }

    it('enrols, then a sign-in needs a code or a single-use recovery code; the secret is never stored in clear', async () => {
      const user = await registerUser(server, admin);
      const address = nextAddress();
      const me = server.api(ok(await signIn(server, user.email, user.password, address)).accessToken);
      const used = new Set<number>();
      const { secret, recoveryCodes } = await enrol(me, used);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(ok(await me.get('/api/account/mfa'))).toEqual({ enabled: true, recoveryCodesLeft: 10, required: false });
      expect((await me.post('/api/account/mfa/setup')).status).toBe(409);

      const first = ok(await signIn(server, user.email, user.password, address));
      expect(first).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
      const anonymous = server.api();
      const wrong = await anonymous.post('/api/auth/mfa', { mfaToken: first.mfaToken, code: 'zzzzz-zzzzz' });
      expect(wrong.status).toBe(401);
      const code = freshCode(secret, used);
      const signedIn = ok(await anonymous.post('/api/auth/mfa', { mfaToken: first.mfaToken, code }));
      expect(signedIn).toMatchObject({ accessToken: expect.any(String), user: { email: user.email } });
      expect((await server.api(signedIn.accessToken).get('/api/auth/me')).status).toBe(200);
      const replayed = await anonymous.post('/api/auth/mfa', { mfaToken: first.mfaToken, code });
      expect(replayed.status).toBe(401);
      expect(replayed.body.message).toMatch(/already been used/);

      const second = ok(await signIn(server, user.email, user.password, address));
      const recovered = await anonymous.post('/api/auth/mfa', { mfaToken: second.mfaToken, code: recoveryCodes[3].toUpperCase() });
      expect(recovered.status).toBe(200);
      expect((await anonymous.post('/api/auth/mfa', { mfaToken: second.mfaToken, code: recoveryCodes[3] })).status).toBe(401);
      expect(ok(await me.get('/api/account/mfa')).recoveryCodesLeft).toBe(9);
      expect((await anonymous.post('/api/auth/mfa', { mfaToken: 'forged.token.value', code })).status).toBe(401);

      const events = await auditEvents(admin, user.id);
      expect(events.map((event) => event.type)).toEqual(['UserRegistered', 'TotpEnabled', 'RecoveryCodeUsed']);
      expect(events[1].data['secret']).toBe('[redacted]');
      const log = readFileSync(join(server.dataDir, 'concord.sqlite'));
      expect(log.includes(Buffer.from(secret))).toBe(false);
      for (const recoveryCode of recoveryCodes) expect(log.includes(Buffer.from(recoveryCode))).toBe(false);

      const disableWrong = await me.post('/api/account/mfa/disable', { password: 'wrong-password', code: freshCode(secret, used) });
      expect(disableWrong.status).toBe(400);
      expect((await me.post('/api/account/mfa/disable', { password: user.password, code: recoveryCodes[0] })).status).toBe(204);
      expect(ok(await signIn(server, user.email, user.password, address)).accessToken).toEqual(expect.any(String));
    });

    it('throttles wrong codes like passwords: 429 with Retry-After after the limit, even for the right code', async () => {
      const user = await registerUser(server, admin);
      const address = nextAddress();
      const me = server.api(ok(await signIn(server, user.email, user.password, address)).accessToken);
      const used = new Set<number>();
      const { secret } = await enrol(me, used);
      const { mfaToken } = ok(await signIn(server, user.email, user.password, address));
      const statuses: number[] = [];
      // One wrong code was already counted by the enrolment (then reset by the right one).
      for (let i = 0; i < 5; i++) {
        statuses.push((await server.api().post('/api/auth/mfa', { mfaToken, code: `wrong-code-${i}` })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const refused = await server.api().post('/api/auth/mfa', { mfaToken, code: freshCode(secret, used) });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it('can be turned off by an administrator for a user who lost it', async () => {
      const user = await registerUser(server, admin);
      const me = server.api(ok(await signIn(server, user.email, user.password, nextAddress())).accessToken);
      await enrol(me, new Set());
      expect((await admin.post(`/api/admin/users/${user.id}/mfa/disable`)).status).toBe(204);
      expect(ok(await signIn(server, user.email, user.password, nextAddress())).accessToken).toEqual(expect.any(String));
      expect((await auditEvents(admin, user.id)).at(-1)).toMatchObject({ type: 'TotpDisabled', data: { byAdmin: true } });
    });
  });
});

describe('MFA_REQUIRED_ROLES=chair,admin', () => {
  let server: ApiProcess;

  beforeAll(async () => {
    server = await startApi({ name: 'account-policy', env: { TRUST_PROXY: '1', MFA_REQUIRED_ROLES: 'chair,admin', REDIS_URL: undefined } });
  });

  it('lets a chair without a second factor do nothing but enrol; drafters are unaffected', async () => {
    const chair = server.api(await server.login('chair'));
    const refused = await chair.get('/api/proposals');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^mfa-enrolment-required: /);
    expect((await chair.get('/api/auth/me')).status).toBe(200);
    expect(ok(await chair.get('/api/account/mfa'))).toEqual({ enabled: false, recoveryCodesLeft: 0, required: true });
    const drafter = server.api(await server.login('drafter1'));
    expect((await drafter.get('/api/proposals')).status).toBe(200);

    const setup = ok(await chair.post('/api/account/mfa/setup'));
    ok(await chair.post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: authenticator.generate(setup.secret) }));
    expect((await chair.get('/api/proposals')).status).toBe(200);
  });
});

/**
 * The default limits (20 wrong in a row, as ARCHITECTURE §6 says for passwords) and what account
 * changes do to sessions and open sockets: the session-ended close (4401) comes through the
 * AccessWatcher, which follows the SessionEnded events; refresh cookies stop working.
 */
describe('adversarial: default limits, sessions and sockets', () => {
  let server: ApiProcess;
  let admin: ApiClient;
  let proposalId: string;
  let workspaceId: string;

  beforeAll(async () => {
    // A reset link lives 5 s here (PASSWORD_RESET_TTL_HOURS is in hours).
    server = await startApi({ name: 'account-adversarial', env: { TRUST_PROXY: '1', PASSWORD_RESET_TTL_HOURS: String(5 / 3600), REDIS_URL: undefined } });
    admin = server.api(await server.login('admin'));
    proposalId = ok(await admin.get<Array<{ id: string }>>('/api/proposals'))[0].id;
    workspaceId = ok(await admin.get<Array<{ id: string }>>('/api/workspaces'))[0].id;
  });

  /** A drafter of the demo workspace, signed in twice (two devices): tokens and refresh cookies. */
  async function drafterWithTwoSessions(): Promise<{ user: TestUser; sessions: Array<{ accessToken: string; cookie: string }> }> {
    const user = await registerUser(server, admin, 'sockets');
    ok(await admin.post(`/api/workspaces/${workspaceId}/members`, { userId: user.id, role: 'drafter' }), 'drafter of the demo workspace');
    const sessions = [];
    for (let i = 0; i < 2; i++) {
      const response = await signIn(server, user.email, user.password, nextAddress());
      const cookie = (response.headers.getSetCookie().find((line) => line.startsWith('concord_refresh=')) ?? '').split(';')[0];
      expect(cookie).not.toBe('');
      sessions.push({ accessToken: ok(response).accessToken as string, cookie });
    }
    return { user, sessions };
  }

  const refresh = (cookie: string) => server.api().request('POST', '/api/auth/refresh', undefined, { cookie });

  it('answers 20 wrong second-factor codes with 401, then refuses even the right code with 429 and Retry-After', async () => {
    const user = await registerUser(server, admin, 'totp-limit');
    const address = nextAddress();
    const me = server.api(ok(await signIn(server, user.email, user.password, address)).accessToken);
    const used = new Set<number>();
    const setup = ok(await me.post('/api/account/mfa/setup'));
    ok(await me.post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: freshCode(setup.secret, used) }));
    const { mfaToken } = ok(await signIn(server, user.email, user.password, address));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await server.api().post('/api/auth/mfa', { mfaToken, code: wrongCodeFor(setup.secret) })).status);
    expect(statuses).toEqual(Array(20).fill(401));
    const refused = await server.api().post('/api/auth/mfa', { mfaToken, code: freshCode(setup.secret, used) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The password step is still open (a separate counter), but the second step stays locked.
    expect(ok(await signIn(server, user.email, user.password, address))).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
  });

  it('a second-factor sign-in starts a session like a password one: refresh cookie, sid checked, sign-out ends it', async () => {
    const user = await registerUser(server, admin, 'totp-session');
    const address = nextAddress();
    const me = server.api(ok(await signIn(server, user.email, user.password, address)).accessToken);
    const setup = ok(await me.post('/api/account/mfa/setup'));
    const { recoveryCodes } = ok(await me.post('/api/account/mfa/confirm', { enrolmentToken: setup.enrolmentToken, code: freshCode(setup.secret, new Set()) }));
    const { mfaToken } = ok(await signIn(server, user.email, user.password, address));
    const answered = await server.api().post('/api/auth/mfa', { mfaToken, code: recoveryCodes[1] });
    const body = ok(answered);
    expect(body).toMatchObject({ sessionId: expect.any(String), expiresIn: expect.any(Number), user: { id: user.id } });
    const cookie = (answered.headers.getSetCookie().find((line) => line.startsWith('concord_refresh=')) ?? '').split(';')[0];
    expect(ok(await refresh(cookie)).user.id).toBe(user.id);
    const sessions = ok(await server.api(body.accessToken).get('/api/auth/sessions'));
    expect(sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
    expect((await server.api(body.accessToken).post('/api/auth/logout')).status).toBe(204);
    expect((await server.api(body.accessToken).get('/api/auth/me')).status).toBe(401);
  });

  it('changing my password ends my other sessions and closes their sockets (4401); this one goes on', async () => {
    const { user, sessions } = await drafterWithTwoSessions();
    const [here, elsewhere] = sessions;
    const mine = connectClient(server.collabUrl, proposalId, here.accessToken);
    const theirs = connectClient(server.collabUrl, proposalId, elsewhere.accessToken);
    await Promise.all([mine.synced, theirs.synced]);

    expect((await server.api(here.accessToken).post('/api/account/password', { currentPassword: user.password, newPassword: 'a-brand-new-passphrase' })).status).toBe(204);
    await eventually(() => theirs.closeCodes.includes(4401), { timeoutMs: 5_000, what: 'the other session’s socket is closed' });
    const refused = await refresh(elsewhere.cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/password was changed/);
    expect((await server.api(elsewhere.accessToken).get('/api/auth/me')).status).toBe(401);

    await sleep(500);
    expect(mine.closeCodes).toEqual([]);
    expect((await server.api(here.accessToken).get('/api/auth/me')).status).toBe(200);
    expect(ok(await refresh(here.cookie)).user.id).toBe(user.id);
    mine.close();
    theirs.close();

    const ended = (await auditEvents(admin, user.id)).map((event) => event.type);
    expect(ended).toContain('PasswordChanged');
  });

  it('a reset link ends every session of the account and closes its sockets; it expires and works once', async () => {
    const { user, sessions } = await drafterWithTwoSessions();
    const socket = connectClient(server.collabUrl, proposalId, sessions[0].accessToken);
    await socket.synced;

    const expiring = ok(await admin.post(`/api/admin/users/${user.id}/password-reset`));
    await sleep(5_500);
    const expired = await server.api().post('/api/auth/reset', { token: expiring.token, newPassword: 'fresh-start-password' });
    expect(expired.status).toBe(410);
    expect(socket.closeCodes).toEqual([]);

    const link = ok(await admin.post(`/api/admin/users/${user.id}/password-reset`));
    expect((await server.api().post('/api/auth/reset', { token: link.token, newPassword: 'fresh-start-password' })).status).toBe(204);
    expect((await server.api().post('/api/auth/reset', { token: link.token, newPassword: 'another-fresh-password' })).status).toBe(410);
    await eventually(() => socket.closeCodes.includes(4401), { timeoutMs: 5_000, what: 'the socket is closed' });
    for (const session of sessions) {
      expect((await refresh(session.cookie)).status).toBe(401);
      expect((await server.api(session.accessToken).get('/api/auth/me')).status).toBe(401);
    }
    socket.close();
    expect((await signIn(server, user.email, 'fresh-start-password', nextAddress())).status).toBe(200);
  });

  it('disabling a user closes their open socket and their refresh fails', async () => {
    const { user, sessions } = await drafterWithTwoSessions();
    const socket = connectClient(server.collabUrl, proposalId, sessions[0].accessToken);
    await socket.synced;
    expect((await admin.post(`/api/users/${user.id}/disable`)).status).toBe(204);
    await eventually(() => socket.closeCodes.includes(4401), { timeoutMs: 5_000, what: 'the socket is closed' });
    const refused = await refresh(sessions[1].cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/disabled/);
    socket.close();
    // Re-enabled, they sign in again; no old session comes back.
    expect((await admin.post(`/api/admin/users/${user.id}/reenable`)).status).toBe(204);
    expect((await refresh(sessions[0].cookie)).status).toBe(401);
    expect((await signIn(server, user.email, user.password, nextAddress())).status).toBe(200);
  });
});
