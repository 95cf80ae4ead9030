/**
 * REST fuzz: every route of the running API (from its own OpenAPI description) × junk bodies, junk
 * path parameters and junk query strings × roles (anonymous, a forged token, drafter, chair,
 * auditor, admin). Nothing may answer 5xx, every 4xx must be in the error shape, and the server
 * must keep serving. The PRNG is seeded: the seed is printed, and FUZZ_SEED=<seed> replays a run.
 */
import { randomBytes } from 'node:crypto';
import { ApiProcess, Env, ok, startApi } from './support/api-process';
import { DATABASE_URL, freshPostgres } from './support/postgres';
import { mulberry32 as prng } from '@concord/content/testing';

const SEED = Number(process.env['FUZZ_SEED'] ?? randomBytes(4).readUInt32BE());
/** Cases per route, role and store; 34 routes × 6 roles × 4 ≈ 800 requests per store. */
const CASES_PER_ROUTE_AND_ROLE = Number(process.env['FUZZ_CASES'] ?? 4);
const CONCURRENCY = 4;


interface Route {
  method: string;
  template: string;
  /** Property names of the JSON body the route declares, if any: junk aimed at validation. */
  bodyFields: string[];
  queryNames: string[];
}

interface FuzzCase {
  kind: string;
  body?: string | Buffer;
  contentType?: string;
}

interface Outcome {
  method: string;
  path: string;
  role: string;
  kind: string;
  status: number;
  /** A 4xx/5xx body is `{statusCode, error, message}` with the response's status. */
  errorShape: boolean;
  text: string;
}

function hasErrorShape(status: number, text: string): boolean {
  try {
    const body = JSON.parse(text);
    return body.statusCode === status && typeof body.error === 'string' && body.message !== undefined;
  } catch {
    return false;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document is read loosely
type OpenApi = any;

function routesOf(openApi: OpenApi): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries<Record<string, OpenApi>>(openApi.paths)) {
    for (const [method, operation] of Object.entries<OpenApi>(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? openApi.components.schemas[ref.split('/').pop() as string] : undefined;
      routes.push({
        method: method.toUpperCase(),
        template,
        bodyFields: Object.keys(schema?.properties ?? {}),
        queryNames: (operation.parameters ?? []).filter((p: OpenApi) => p.in === 'query').map((p: OpenApi) => p.name),
      });
    }
  }
  return routes;
}

class Junk {
  constructor(private readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(): string {
    return this.pick([
      '',
      ' ',
      'x'.repeat(1 + this.int(5000)),
      '\u0000\u202e\ud800',
      '<script>alert(1)</script>',
      "'; DROP TABLE events; --",
      '../../../../etc/passwd',
      '%00%ff',
      '1e309',
      'NaN',
      'null',
      'not-an-email@',
      '😀'.repeat(200),
      randomBytes(16).toString('latin1'),
    ]);
  }

  value(depth = 0): unknown {
    const scalars: Array<() => unknown> = [
      () => null,
      () => this.random() < 0.5,
      () => this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 2]),
      () => this.string(),
    ];
    if (depth > 3 || this.random() < 0.5) return this.pick(scalars)();
    if (this.random() < 0.5) return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
    return this.object(['a', '__proto__', 'constructor', 'prototype', 'id', 'revision', 'label'], depth + 1);
  }

  object(fields: string[], depth = 0): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const field of fields) if (this.random() < 0.7) result[field] = this.value(depth);
    return result;
  }

  nested(levels: number): string {
    return this.random() < 0.5 ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  }

  case(route: Route): FuzzCase {
    const fields = route.bodyFields.length > 0 ? route.bodyFields : ['a', 'b'];
    const json = (kind: string, value: unknown): FuzzCase => ({ kind, body: JSON.stringify(value), contentType: 'application/json' });
    const cases: Array<() => FuzzCase> = [
      () => json('fields of wrong types', this.object(fields)),
      () => json('random JSON', this.value()),
      () => json('huge string', { [this.pick(fields)]: 'x'.repeat(100 * 1024 + this.int(200_000)) }),
      () => json('long string under the limit', { [this.pick(fields)]: 'y'.repeat(90 * 1024) }),
      () => ({ kind: 'deep nesting', body: this.nested(33 + this.int(8000)), contentType: 'application/json' }),
      () => ({ kind: 'random bytes as JSON', body: randomBytes(1 + this.int(4000)), contentType: 'application/json' }),
      () => ({ kind: 'empty JSON body', body: '', contentType: 'application/json' }),
      () => ({ kind: 'no body' }),
      () => ({ kind: 'truncated JSON', body: JSON.stringify(this.object(fields)).slice(0, -1) || '{', contentType: 'application/json' }),
      () => ({
        kind: 'wrong content type',
        body: JSON.stringify(this.object(fields)),
        contentType: this.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png']),
      }),
      () => ({ kind: 'JSON with a bad charset', body: '{}', contentType: 'application/json; charset=ebcdic' }),
    ];
    return this.pick(cases)();
  }

  pathParameter(known: string[]): string {
    return this.pick([
      ...known,
      '7a4c3c9e-5d0b-4f7e-9a49-3f1c2b6d8e10',
      'not-a-uuid',
      '0',
      '-1',
      '1e309',
      'x'.repeat(300),
      '%00',
      '%2e%2e%2f%2e%2e',
      '%E0%A4%A',
      '%zz',
      encodeURIComponent("' OR 1=1 --"),
      '00000000-0000-0000-0000-000000000000',
    ]);
  }

  query(route: Route): string {
    if (route.queryNames.length === 0 || this.random() < 0.3) return '';
    const values = ['-1', 'abc', '1e309', '', '99999999999999999999', '0', '1.5', '%00', 'x'.repeat(2000)];
    const parts = route.queryNames.filter(() => this.random() < 0.8).map((name) => `${name}=${this.pick(values)}`);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }
}

// SQLite always; PostgreSQL too when DATABASE_URL is set (it refuses text SQLite keeps, e.g. NUL).
const stores: Array<{ name: string; env: () => Promise<Env> }> = [{ name: 'sqlite', env: async () => ({}) }];
if (DATABASE_URL) {
  stores.push({
    name: 'postgres',
    env: async () => {
      const pg = await freshPostgres();
      return { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema };
    },
  });
} else {
  process.stdout.write('[api-e2e] SKIP REST fuzz on PostgreSQL: DATABASE_URL is not set\n');
}

describe.each(stores)(`REST fuzz on $name (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`, ({ name, env }) => {
  let server: ApiProcess;
  let routes: Route[];
  const roles: Record<string, string | undefined> = {};
  const knownIds: string[] = [];
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    process.stdout.write(`[api-e2e] REST fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)\n`);
    server = await startApi({ name: `fuzz-${name}`, env: await env() });
    const openApi = ok(await server.api().get('/api/docs-json'), 'GET /api/docs-json');
    routes = routesOf(openApi);
    roles['anonymous'] = undefined;
    roles['forged token'] = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    for (const who of ['drafter1', 'chair', 'auditor', 'admin']) roles[who] = await server.login(who);
    const proposals = ok(await server.api(roles['drafter1']).get<Array<{ id: string; submissionId: string }>>('/api/proposals'));
    knownIds.push(...proposals.flatMap((p) => [p.id, p.submissionId]), 'abu-dhabi-dialogue');
  });

  it('finds the API routes in the OpenAPI description', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.some((r) => r.method === 'POST' && r.template === '/api/auth/login')).toBe(true);
  });

  it('answers every junk request with a 2xx–4xx, never a 5xx, and 4xx in the error shape', async () => {
    const junk = new Junk(prng(SEED));
    const requests: Array<() => Promise<void>> = [];
    // Routes that can end the roles' sessions go last, so every other route is fuzzed signed in.
    const endsSessions = (route: Route) => /^\/api\/auth\/(logout|sessions\/)/.test(route.template) && route.method !== 'GET';
    for (const route of [...routes.filter((r) => !endsSessions(r)), ...routes.filter(endsSessions)]) {
      for (const [role, token] of Object.entries(roles)) {
        for (let i = 0; i < CASES_PER_ROUTE_AND_ROLE; i++) {
          const fuzzCase = junk.case(route);
          const path = route.template.replace(/\{[^}]+\}/g, () => junk.pathParameter(knownIds)) + junk.query(route);
          requests.push(async () => {
            const headers: Record<string, string> = {};
            if (token) headers['authorization'] = `Bearer ${token}`;
            if (fuzzCase.contentType) headers['content-type'] = fuzzCase.contentType;
            const hasBody = fuzzCase.body !== undefined && route.method !== 'GET';
            const response = await fetch(`${server.baseUrl}${path}`, {
              method: route.method,
              headers,
              body: !hasBody ? undefined : typeof fuzzCase.body === 'string' ? fuzzCase.body : new Blob([new Uint8Array(fuzzCase.body as Buffer)]),
            });
            const text = await response.text();
            outcomes.push({
              method: route.method,
              path: path.slice(0, 120),
              role,
              kind: fuzzCase.kind,
              status: response.status,
              errorShape: response.status < 400 || hasErrorShape(response.status, text),
              text: text.slice(0, 300),
            });
          });
        }
      }
    }
    const queue = [...requests];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await next();
      }),
    );

    const byStatus = outcomes.reduce<Record<number, number>>((counts, o) => ({ ...counts, [o.status]: (counts[o.status] ?? 0) + 1 }), {});
    process.stdout.write(`[api-e2e] REST fuzz: ${outcomes.length} requests over ${routes.length} routes; by status ${JSON.stringify(byStatus)}\n`);
    expect(outcomes.length).toBe(requests.length);
    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    const badShape = outcomes.filter((o) => !o.errorShape);
    expect(badShape).toEqual([]);
  });

  it('keeps serving: health answers 200, a drafter signs in and reads', async () => {
    expect(server.running).toBe(true);
    expect((await server.health()).status).toBe('ok');
    const drafter = server.api(await server.login('drafter1'));
    expect(ok(await drafter.get<unknown[]>('/api/proposals')).length).toBeGreaterThan(0);
  });
});
