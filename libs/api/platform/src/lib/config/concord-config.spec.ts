import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseTrustProxy } from './concord-config';

describe('loadConfig: EVENT_STORE', () => {
  let dataDir: string;
  const env = (values: Record<string, string>): NodeJS.ProcessEnv => ({ DATA_DIR: dataDir, JWT_SECRET: 'test-secret', ...values });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-config-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts kurrentdb with KURRENTDB_URL for the log and DATABASE_URL for the read models', () => {
    const config = loadConfig(
      env({
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_URL: 'kurrentdb://kurrentdb:2113?tls=false',
        DATABASE_URL: 'postgres://concord@postgres:5432/concord',
      }),
    );
    expect(config).toMatchObject({
      eventStore: 'kurrentdb',
      kurrentDbUrl: 'kurrentdb://kurrentdb:2113?tls=false',
      databaseUrl: 'postgres://concord@postgres:5432/concord',
    });
  });

  it('needs KURRENTDB_URL for kurrentdb', () => {
    expect(() => loadConfig(env({ EVENT_STORE: 'kurrentdb', DATABASE_URL: 'postgres://x@y/z' }))).toThrow(
      /EVENT_STORE=kurrentdb needs KURRENTDB_URL/,
    );
  });

  it('needs DATABASE_URL for kurrentdb, and says the read models live in PostgreSQL', () => {
    expect(() => loadConfig(env({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113?tls=false' }))).toThrow(
      /needs DATABASE_URL too: the read models are kept in PostgreSQL/,
    );
  });

  it('still refuses a store it does not know', () => {
    expect(() => loadConfig(env({ EVENT_STORE: 'mongo' }))).toThrow(/use sqlite \(default\), postgres, kurrentdb or memory/);
  });

  it('keeps sqlite as the default', () => {
    expect(loadConfig(env({}))).toMatchObject({ eventStore: 'sqlite', kurrentDbUrl: undefined });
  });

  it('reads session durations as seconds or with a unit, with safe defaults', () => {
    expect(loadConfig(env({}))).toMatchObject({ accessTokenTtlSeconds: 600, sessionIdleTimeoutSeconds: 1800, sessionMaxAgeSeconds: 43200, cookieSecure: true });
    expect(loadConfig(env({ ACCESS_TOKEN_TTL: '90', SESSION_IDLE_TIMEOUT: '15m', SESSION_MAX_AGE: '8h', COOKIE_SECURE: 'off' }))).toMatchObject({
      accessTokenTtlSeconds: 90,
      sessionIdleTimeoutSeconds: 900,
      sessionMaxAgeSeconds: 28800,
      cookieSecure: false,
    });
    expect(() => loadConfig(env({ SESSION_MAX_AGE: 'forever' }))).toThrow(/SESSION_MAX_AGE=forever is not a duration/);
    expect(() => loadConfig(env({ ACCESS_TOKEN_TTL: '0' }))).toThrow(/ACCESS_TOKEN_TTL/);
  });

  it('keeps a socket ticket good for 60 s by default, shorter on request, never longer', () => {
    expect(loadConfig(env({})).collabTicketTtlSeconds).toBe(60);
    expect(loadConfig(env({ COLLAB_TICKET_TTL: '2s' })).collabTicketTtlSeconds).toBe(2);
    expect(() => loadConfig(env({ COLLAB_TICKET_TTL: '5m' }))).toThrow(/longer than 60 s/);
  });
});

describe('loadConfig: limits, HTTP hardening, DEMO and the read-model lag bound', () => {
  let dataDir: string;
  const env = (values: Record<string, string>): NodeJS.ProcessEnv => ({ DATA_DIR: dataDir, JWT_SECRET: 'test-secret', ...values });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-config-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trusts no proxy by default; TRUST_PROXY takes a hop count, on/off or a list of addresses', () => {
    expect(loadConfig(env({})).trustProxy).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('serves /api/docs unless NODE_ENV=production, and API_DOCS decides when set', () => {
    expect(loadConfig(env({})).apiDocs).toBe(true);
    expect(loadConfig(env({ NODE_ENV: 'production' })).apiDocs).toBe(false);
    expect(loadConfig(env({ NODE_ENV: 'production', API_DOCS: 'on' })).apiDocs).toBe(true);
    expect(loadConfig(env({ API_DOCS: 'off' })).apiDocs).toBe(false);
  });

  it('has the public sign-in contract as its default: the 20th failure in a row locks the account', () => {
    const config = loadConfig(env({}));
    expect(config.loginThrottle.freeFailures).toBe(20);
    expect(config.bodyLimitBytes).toBe(100 * 1024);
    expect(config.jsonMaxDepth).toBe(32);
  });

  it('refuses nonsense limits, naming the variable', () => {
    expect(() => loadConfig(env({ LOGIN_HASH_CONCURRENCY: '0' }))).toThrow(/LOGIN_HASH_CONCURRENCY=0/);
    expect(() => loadConfig(env({ JSON_MAX_DEPTH: 'deep' }))).toThrow(/JSON_MAX_DEPTH=deep/);
    expect(loadConfig(env({ LOGIN_HASH_QUEUE: '0' })).passwordHashing.queue).toBe(0);
  });

  it('refuses the demo in production, saying why and what to do instead', () => {
    expect(() => loadConfig(env({ DEMO: '1', NODE_ENV: 'production' }))).toThrow(/DEMO is on while NODE_ENV=production.*create-admin/);
  });

  it('allows the demo outside production, and production without the demo', () => {
    expect(loadConfig(env({ DEMO: '1' })).demo).toBe(true);
    expect(loadConfig(env({ DEMO: '1', NODE_ENV: 'development' })).demo).toBe(true);
    expect(loadConfig(env({ NODE_ENV: 'production' })).demo).toBe(false);
  });

  it('bounds the read-model lag at 5 s unless PROJECTION_MAX_LAG_MS says otherwise', () => {
    expect(loadConfig(env({})).projectionMaxLagMs).toBe(5_000);
    expect(loadConfig(env({ PROJECTION_MAX_LAG_MS: '750' })).projectionMaxLagMs).toBe(750);
    expect(() => loadConfig(env({ PROJECTION_MAX_LAG_MS: 'soon' }))).toThrow(/PROJECTION_MAX_LAG_MS=soon must be a positive/);
    expect(() => loadConfig(env({ PROJECTION_MAX_LAG_MS: '-1' }))).toThrow(/PROJECTION_MAX_LAG_MS/);
  });
});
