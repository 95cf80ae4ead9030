/**
 * A real deployment starts without the demo: the API refuses DEMO under NODE_ENV=production, and
 * the first platform admin is created once with create-admin (dist/apps/api/create-admin.js, what
 * `npm run create-admin` runs after building), then signs in on a server started on that DATA_DIR.
 * Runs on SQLite, and on PostgreSQL too when DATABASE_URL is set.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { API_MAIN, ApiProcess, Env, freePort, ok, startApi, tempDir, WORKSPACE_ROOT } from './support/api-process';
import { DATABASE_URL, freshPostgres } from './support/postgres';

const CREATE_ADMIN_MAIN = join(WORKSPACE_ROOT, 'dist/apps/api/create-admin.js');

function run(script: string, args: string[], env: Env, input?: string) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, NODE_OPTIONS: undefined, CHECKPOINT_INTERVAL_MS: '0', ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

describe('no demo in production', () => {
  it('refuses to start with DEMO on and NODE_ENV=production, saying why', async () => {
    const result = run(API_MAIN, [], { DATA_DIR: tempDir(), PORT: String(await freePort()), HOST: '127.0.0.1', DEMO: '1', NODE_ENV: 'production' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stdout + result.stderr).toContain('DEMO is on while NODE_ENV=production');
  });
});

const stores: Array<[string, () => Promise<Env>]> = [['sqlite', async () => ({})]];
if (DATABASE_URL) {
  stores.push([
    'postgres',
    async () => {
      const pg = await freshPostgres();
      return { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema };
    },
  ]);
} else {
  process.stdout.write('SKIP create-admin on PostgreSQL: DATABASE_URL is not set\n');
}

describe.each(stores)('create-admin on %s', (_kind, storeEnv) => {
  let env: Env;
  let server: ApiProcess | undefined;

  beforeAll(async () => {
    env = { ...(await storeEnv()), DATA_DIR: tempDir() };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('creates the admin with the password from standard input, refuses the same email again, and generates a password when none is given', async () => {
    const created = run(CREATE_ADMIN_MAIN, ['--email', 'Chief@Example.org', '--name', 'Chief Admin'], env, 'a-strong-first-password\n');
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('Created the platform admin chief@example.org (Chief Admin');
    expect(created.stdout).not.toContain('a-strong-first-password');

    const again = run(CREATE_ADMIN_MAIN, ['--email', 'chief@example.org'], env, 'another-password-entirely');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('A user with the email chief@example.org already exists');

    const short = run(CREATE_ADMIN_MAIN, ['--email', 'short@example.org'], env, 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12');

    const generated = run(CREATE_ADMIN_MAIN, ['--email', 'second@example.org'], env);
    expect(generated.code).toBe(0);
    const password = /shown only this once[^:]*: (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const missing = run(CREATE_ADMIN_MAIN, [], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--email is required');

    // A real deployment: production mode, no demo.
    server = await startApi({ dataDir: env['DATA_DIR'], env: { ...env, DEMO: undefined, NODE_ENV: 'production' } });
    const login = ok(await server.api().post('/api/auth/login', { email: 'chief@example.org', password: 'a-strong-first-password' }), 'admin login');
    expect(login.user).toMatchObject({ email: 'chief@example.org', name: 'Chief Admin', isAdmin: true });
    ok(await server.api().post('/api/auth/login', { email: 'second@example.org', password }), 'login with the generated password');
    // The admin can act as one: list the users (and no demo account exists).
    const users = ok(await server.api(login.accessToken).get('/api/users'), 'GET /api/users');
    expect(JSON.stringify(users)).not.toContain('concord.demo');
    expect((await server.api().post('/api/auth/login', { email: 'admin@concord.demo', password: 'concord-demo' })).status).toBe(401);
  });
});
