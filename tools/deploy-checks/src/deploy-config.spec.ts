import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  ComposeFile,
  ComposeService,
  copyDestination,
  dependenciesOf,
  directivesNamed,
  DockerStage,
  environmentOf,
  execForm,
  inheritedDirective,
  interpolate,
  namedVolumesOf,
  NginxDirective,
  nginxSeconds,
  npmInstalls,
  parseCompose,
  parseDockerfile,
  parseNginxConf,
  publishedPorts,
  workdirOf,
} from './deploy-files';

/*
 * The production stack cannot be started on the development machines (no Docker engine), so these
 * checks are what stands between a typo and a broken deployment: they parse docker-compose.yml,
 * deploy/nginx/nginx.conf and the Dockerfile and check the properties the architecture relies on
 * (ARCHITECTURE §5: several API nodes behind a load balancer without sticky sessions, sharing
 * KurrentDB, PostgreSQL read models and Redis).
 */

const workspaceRoot = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(workspaceRoot, path), 'utf8');

describe('docker-compose.yml', () => {
  const compose: ComposeFile = parseCompose(read('docker-compose.yml'));
  const services = compose.services;
  const service = (name: string): ComposeService => {
    const found = services[name];
    if (!found) throw new Error(`service ${name} is missing`);
    return found;
  };
  const apiNodes = ['api-1', 'api-2'];

  it('has the whole stack: KurrentDB, PostgreSQL, Redis, two API nodes and the proxy', () => {
    for (const name of ['kurrentdb', 'postgres', 'redis', 'api-1', 'api-2', 'proxy']) expect(services).toHaveProperty([name]);
    expect(service('kurrentdb').image).toMatch(/kurrentdb/);
    expect(service('postgres').image).toMatch(/^postgres:/);
    expect(service('redis').image).toMatch(/^redis:/);
    expect(service('proxy').image).toMatch(/^nginx:/);
  });

  it('runs one KurrentDB node by default and a three-node cluster in the `cluster` profile', () => {
    expect(service('kurrentdb').profiles ?? []).toEqual([]);
    expect(environmentOf(service('kurrentdb'))['KURRENTDB_CLUSTER_SIZE']).toBe('1');

    const clusterNodes = Object.entries(services).filter(([, definition]) => (definition.profiles ?? []).includes('cluster'));
    expect(clusterNodes.map(([name]) => name).sort()).toEqual(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']);
    const addressOf = (definition: ComposeService): string | undefined => {
      const networks = definition.networks;
      if (!networks || Array.isArray(networks)) return undefined;
      return Object.values(networks).find((network) => network?.ipv4_address)?.ipv4_address;
    };
    const addresses = Object.fromEntries(clusterNodes.map(([name, definition]) => [name, addressOf(definition)]));
    for (const [name, definition] of clusterNodes) {
      expect(definition.image).toBe(service('kurrentdb').image);
      const environment = environmentOf(definition);
      expect(environment['KURRENTDB_CLUSTER_SIZE']).toBe('3');
      expect(environment['KURRENTDB_REPLICATION_IP']).toBe(addresses[name]);
      expect(environment['KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS']).toBe(name);
      // Gossip seeds: the two other nodes, by the addresses they replicate on.
      const seeds = (environment['KURRENTDB_GOSSIP_SEED'] ?? '').split(',').map((seed) => seed.trim().replace(/:2113$/, ''));
      const others = clusterNodes.filter(([other]) => other !== name).map(([other]) => addresses[other]);
      expect(seeds.sort()).toEqual([...others].sort());
      expect(namedVolumesOf(definition)).toEqual([{ source: `${name}-data`, target: '/var/lib/kurrentdb' }]);
    }
    expect(new Set(Object.values(addresses)).size).toBe(3);
  });

  it('gives every long-running service a health check', () => {
    for (const [name, definition] of Object.entries(services)) {
      const test = definition.healthcheck?.test;
      expect({ name, disabled: definition.healthcheck?.disable ?? false }).toEqual({ name, disabled: false });
      expect({ name, test: Array.isArray(test) ? test.length > 1 && test[0] !== 'NONE' : Boolean(test) }).toEqual({ name, test: true });
    }
  });

  it('publishes the proxy on 8080 and starts it after both API nodes are healthy', () => {
    const proxy = service('proxy');
    expect(publishedPorts(proxy, 8080)).toEqual([8080]);
    expect(dependenciesOf(proxy)).toMatchObject({ 'api-1': 'service_healthy', 'api-2': 'service_healthy' });
    expect(proxy.volumes).toContainEqual(expect.stringMatching(/^\.\/deploy\/nginx\/nginx\.conf:\/etc\/nginx\/nginx\.conf(:ro)?$/));
    // Nothing else is published on all interfaces: the API nodes are reached through the proxy only.
    for (const [name, definition] of Object.entries(services)) {
      if (name === 'proxy') continue;
      for (const port of definition.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
  });

  it.each(apiNodes)('configures %s for KurrentDB, PostgreSQL read models, Redis and a required JWT secret', (name) => {
    const api = service(name);
    const environment = environmentOf(api);
    expect(environment['EVENT_STORE']).toBe('kurrentdb');

    const hostOf = (variable: string, scheme: string) => {
      const { value } = interpolate(environment[variable] ?? '');
      const url = new URL(value);
      expect(url.protocol).toBe(`${scheme}:`);
      return url.hostname;
    };
    expect(hostOf('KURRENTDB_URL', 'kurrentdb')).toBe('kurrentdb');
    expect(new URL(interpolate(environment['KURRENTDB_URL']).value).searchParams.get('tls')).toBe('false');
    expect(hostOf('DATABASE_URL', 'postgres')).toBe('postgres');
    expect(hostOf('REDIS_URL', 'redis')).toBe('redis');
    for (const host of ['kurrentdb', 'postgres', 'redis']) expect(services).toHaveProperty([host]);

    // Compose refuses to start without it, and there is no default to fall back on.
    const secret = interpolate(environment['JWT_SECRET'] ?? '');
    expect(secret.required).toEqual(['JWT_SECRET']);
    expect(secret.value).toBe('');
    // The same for the stream key: nodes with different keys would not see each other's email reservations.
    const streamKey = interpolate(environment['STREAM_KEY'] ?? '');
    expect(streamKey.required).toEqual(['STREAM_KEY']);
    expect(streamKey.value).toBe('');

    expect(environment['NODE_ID']).toBe(name);
    expect(dependenciesOf(api)).toMatchObject({
      kurrentdb: 'service_healthy',
      postgres: 'service_healthy',
      redis: 'service_healthy',
    });
    expect(namedVolumesOf(api)).toEqual([{ source: `${name}-data`, target: environment['DATA_DIR'] }]);
    expect(typeof api.build === 'string' ? api.build : api.build?.context).toBe('.');
  });

  it('gives the API nodes distinct node ids and volumes', () => {
    const environments = apiNodes.map((name) => environmentOf(service(name)));
    expect(new Set(environments.map((environment) => environment['NODE_ID'])).size).toBe(apiNodes.length);
  });

  it('never seeds the demo (its admin password is published) and runs the API in production mode', () => {
    for (const [name, definition] of Object.entries(services)) {
      const environment = environmentOf(definition);
      expect({ name, DEMO: environment['DEMO'] }).toEqual({ name, DEMO: undefined });
    }
    for (const name of apiNodes) expect(environmentOf(service(name))['NODE_ENV']).toBe('production');
  });

  it('declares every named volume it mounts', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = Object.values(services).flatMap((definition) => namedVolumesOf(definition).map((volume) => volume.source));
    expect(used.length).toBeGreaterThan(0);
    for (const volume of used) expect(declared).toContain(volume);
    // Stateful services keep their data in a volume.
    for (const name of ['kurrentdb', 'postgres']) expect(namedVolumesOf(service(name))).toHaveLength(1);
  });

  it('says in its header that it has not been run here', () => {
    const header = read('docker-compose.yml').split('\n').filter((line) => line.startsWith('#')).join('\n');
    expect(header).toMatch(/NOT RUN/);
    expect(header).toMatch(/no Docker engine/);
    expect(header).not.toMatch(/not yet complete/i);
  });
});

describe('deploy/nginx/nginx.conf', () => {
  const conf = parseNginxConf(read('deploy/nginx/nginx.conf'));
  const [http] = directivesNamed(conf, 'http');
  const upstreams = directivesNamed(http?.block, 'upstream');
  const servers = directivesNamed(http?.block, 'server');
  const server = servers.find((candidate) => directivesNamed(candidate.block, 'listen').some((listen) => listen.args[0] === '8080'));
  const location = (path: string): NginxDirective | undefined =>
    directivesNamed(server?.block, 'location').find((candidate) => candidate.args[candidate.args.length - 1] === path);
  const upstreamOf = (block: NginxDirective | undefined): string | undefined =>
    directivesNamed(block?.block, 'proxy_pass')[0]?.args[0]?.replace(/^http:\/\//, '');
  const headers = (block: NginxDirective | undefined): Record<string, string> =>
    Object.fromEntries(directivesNamed(block?.block, 'proxy_set_header').map((directive) => [directive.args[0].toLowerCase(), directive.args[1]]));

  it('listens on 8080', () => {
    expect(server).toBeDefined();
  });

  it('balances both API nodes, without sticky sessions', () => {
    const collabUpstream = upstreamOf(location('/collab/'));
    const upstream = upstreams.find((candidate) => candidate.args[0] === collabUpstream);
    expect(upstream).toBeDefined();
    const members = directivesNamed(upstream?.block, 'server').map((directive) => directive.args[0]);
    expect(members.sort()).toEqual(['api-1:3000', 'api-2:3000']);
    for (const sticky of ['ip_hash', 'hash', 'sticky', 'least_conn_sticky']) expect(directivesNamed(upstream?.block, sticky)).toEqual([]);
    expect(upstreamOf(location('/'))).toBe(collabUpstream);
  });

  it('passes WebSocket upgrades on /collab/ with long read timeouts', () => {
    const collab = location('/collab/');
    expect(collab).toBeDefined();
    const collabHeaders = headers(collab);
    expect(collabHeaders['upgrade']).toBe('$http_upgrade');
    expect(collabHeaders['connection']).toMatch(/^(\$connection_upgrade|upgrade)$/);
    // The map turning a client's Upgrade header into "Connection: upgrade".
    if (collabHeaders['connection'] === '$connection_upgrade') {
      const map = directivesNamed(http?.block, 'map').find((directive) => directive.args[1] === '$connection_upgrade');
      expect(map?.args[0]).toBe('$http_upgrade');
      expect(directivesNamed(map?.block, 'default')[0]?.args).toEqual(['upgrade']);
    }
    expect(inheritedDirective([{ name: 'root', args: [], block: conf }, http, server, collab] as NginxDirective[], 'proxy_http_version')?.args).toEqual(['1.1']);
    const readTimeout = directivesNamed(collab?.block, 'proxy_read_timeout')[0]?.args[0] ?? '60s';
    expect(nginxSeconds(readTimeout)).toBeGreaterThanOrEqual(600);
    // The API accepts a browser's socket only when Origin names the host it was served from.
    expect(collabHeaders['host']).toBe('$http_host');
  });

  it('forwards the original host to the API for every request', () => {
    expect(headers(location('/'))['host']).toBe('$http_host');
  });
});

describe('Dockerfile', () => {
  const stages: DockerStage[] = parseDockerfile(read('Dockerfile'));
  const runtime = stages[stages.length - 1];
  const build = stages.find((stage) => stage.name === 'build');
  const instructions = (stage: DockerStage, name: string) => stage.instructions.filter((instruction) => instruction.instruction === name);

  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-bookworm-slim');
    expect(build).toBeDefined();
  });

  it('builds the API and the web app in the build stage from a clean install', () => {
    const runs = instructions(build as DockerStage, 'RUN').map((instruction) => instruction.args);
    expect(runs.some((run) => /\bnpm ci\b/.test(run))).toBe(true);
    expect(runs.some((run) => /nx run-many -t build -p api web\b/.test(run))).toBe(true);
  });

  it('installs production dependencies only in the runtime stage, and copies no dev node_modules', () => {
    const installs = npmInstalls(runtime);
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toEqual({ command: install.command, omitsDev: true });
    for (const copy of instructions(runtime, 'COPY')) expect(copy.args).not.toMatch(/node_modules/);
    // From the API's generated manifest and lock file.
    expect(copyDestination(runtime, 'build', '/workspace/dist/apps/api/package-lock.json')).not.toBeNull();
  });

  it('lays out the image so that the API finds the web app at ../web/browser', () => {
    const api = copyDestination(runtime, 'build', '/workspace/dist/apps/api');
    const web = copyDestination(runtime, 'build', '/workspace/dist/apps/web');
    expect(api).not.toBeNull();
    expect(web).not.toBeNull();
    // apps/api/src/app/serve-web.ts: join(__dirname, '../web/browser').
    expect(posix.join(api as string, '../web/browser')).toBe(posix.join(web as string, 'browser'));
    const cmd = execForm(instructions(runtime, 'CMD').at(-1)?.args ?? '');
    expect(cmd).toEqual(['node', 'apps/api/main.js']);
    expect(posix.resolve(workdirOf(runtime), 'apps/api/main.js')).toBe(posix.join(api as string, 'main.js'));
  });

  it('runs as a non-root user, exposes 3000 and has a health check', () => {
    const users = instructions(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].args.split(':')[0];
    expect(['root', '0']).not.toContain(user);
    // No instruction after the last USER switches back (a later USER would be the last one).
    const lastUserIndex = runtime.instructions.lastIndexOf(users[users.length - 1]);
    expect(runtime.instructions.slice(lastUserIndex + 1).map((instruction) => instruction.instruction)).not.toContain('RUN');
    expect(instructions(runtime, 'EXPOSE').map((instruction) => instruction.args)).toContain('3000');
    expect(instructions(runtime, 'HEALTHCHECK').at(-1)?.args).toMatch(/\/api\/health/);
  });
});

describe('.dockerignore', () => {
  it('keeps local dependencies, builds, runtime data and secrets out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['**/node_modules', 'dist', 'data', '.git', '.env']) expect(entries).toContain(entry);
  });
});
