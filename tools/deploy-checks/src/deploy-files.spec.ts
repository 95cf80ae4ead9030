import {
  copyDestination,
  dependenciesOf,
  directivesNamed,
  environmentOf,
  execForm,
  interpolate,
  namedVolumesOf,
  nginxSeconds,
  npmInstalls,
  parseCompose,
  parseDockerfile,
  parseNginxConf,
  publishedPorts,
  workdirOf,
} from './deploy-files';

/** The parsers behind deploy-config.spec.ts, on small inputs, including the mistakes they must catch. */
describe('deploy file parsers', () => {
  describe('compose', () => {
    it('resolves anchors and merge keys, and both environment forms', () => {
      const compose = parseCompose(`
x-base: &base
  environment: &env
    A: "1"
    B: two
services:
  one:
    <<: *base
    environment: { <<: *env, B: three, C: 4 }
  two:
    environment: ["X=1", "Y=a=b", "Z"]
    depends_on: [one]
`);
      expect(environmentOf(compose.services['one'])).toEqual({ A: '1', B: 'three', C: '4' });
      expect(environmentOf(compose.services['two'])).toEqual({ X: '1', Y: 'a=b', Z: '' });
      expect(dependenciesOf(compose.services['two'])).toEqual({ one: 'service_started' });
    });

    it('interpolates like Compose with an empty environment', () => {
      expect(interpolate('kurrentdb://${HOST:-kurrentdb}:2113?tls=false')).toEqual({
        value: 'kurrentdb://kurrentdb:2113?tls=false',
        required: [],
      });
      expect(interpolate('${JWT_SECRET:?set it}')).toEqual({ value: '', required: ['JWT_SECRET'] });
      expect(interpolate('${JWT_SECRET:-insecure-default}').required).toEqual([]);
      expect(interpolate('$${NOT_A_VARIABLE}').value).toBe('${NOT_A_VARIABLE}');
    });

    it('reads published ports and named volumes in short and long syntax', () => {
      expect(publishedPorts({ ports: ['8080:8080', '127.0.0.1:2113:2113', '9000:80/tcp'] }, 8080)).toEqual([8080]);
      expect(publishedPorts({ ports: ['127.0.0.1:2113:2113'] }, 2113)).toEqual([2113]);
      expect(publishedPorts({ ports: [{ target: 8080, published: '8081' }] }, 8080)).toEqual([8081]);
      expect(publishedPorts({ ports: ['8080'] }, 8080)).toEqual([]);
      expect(
        namedVolumesOf({ volumes: ['data:/data', './conf:/etc/conf:ro', '/abs:/x', { type: 'volume', source: 'v', target: '/v' }] }),
      ).toEqual([
        { source: 'data', target: '/data' },
        { source: 'v', target: '/v' },
      ]);
    });
  });

  describe('nginx.conf', () => {
    it('parses nested blocks, quoted arguments and comments', () => {
      const conf = parseNginxConf(`
# comment
http {
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  server { listen 8080; location /collab/ { proxy_set_header Connection "upgrade; really"; } # trailing
  }
}`);
      const [http] = directivesNamed(conf, 'http');
      const [map] = directivesNamed(http.block, 'map');
      expect(map.block).toEqual([
        { name: 'default', args: ['upgrade'] },
        { name: '', args: [''] },
      ]);
      const [server] = directivesNamed(http.block, 'server');
      const [location] = directivesNamed(server.block, 'location');
      expect(location.args).toEqual(['/collab/']);
      expect(location.block).toEqual([{ name: 'proxy_set_header', args: ['Connection', 'upgrade; really'] }]);
    });

    it('refuses broken syntax', () => {
      expect(() => parseNginxConf('http { server { listen 80; }')).toThrow(/missing "}"/);
      expect(() => parseNginxConf('listen 80')).toThrow(/unexpected end/);
      expect(() => parseNginxConf('}')).toThrow(/unbalanced/);
    });

    it('reads nginx times', () => {
      expect(nginxSeconds('90')).toBe(90);
      expect(nginxSeconds('60s')).toBe(60);
      expect(nginxSeconds('1h')).toBe(3600);
      expect(nginxSeconds('1h30m')).toBe(5400);
      expect(() => nginxSeconds('soon')).toThrow(/not an nginx time/);
    });
  });

  describe('Dockerfile', () => {
    const dockerfile = `
ARG BASE=node:20-bookworm-slim
FROM \${BASE} AS build
WORKDIR /w
# a comment
RUN npm ci \\
 && npx nx build api
FROM $BASE
WORKDIR /app
COPY --from=build /w/dist/apps/api ./apps/api
RUN apt-get update && npm ci --omit=dev && npm i left-pad
USER node
CMD ["node", "apps/api/main.js"]
`;

    it('splits stages, substitutes ARG defaults and joins continued lines', () => {
      const stages = parseDockerfile(dockerfile);
      expect(stages.map((stage) => [stage.image, stage.name])).toEqual([
        ['node:20-bookworm-slim', 'build'],
        ['node:20-bookworm-slim', undefined],
      ]);
      expect(stages[0].instructions.map((instruction) => instruction.instruction)).toEqual(['WORKDIR', 'RUN']);
      expect(stages[0].instructions[1].args).toBe('npm ci && npx nx build api');
      expect(workdirOf(stages[1])).toBe('/app');
    });

    it('finds every npm install and whether it leaves devDependencies out', () => {
      const [build, runtime] = parseDockerfile(dockerfile);
      expect(npmInstalls(build)).toEqual([{ command: 'npm ci', omitsDev: false }]);
      expect(npmInstalls(runtime)).toEqual([
        { command: 'npm ci --omit=dev', omitsDev: true },
        { command: 'npm i left-pad', omitsDev: false },
      ]);
    });

    it('resolves where a COPY --from puts things', () => {
      const [, runtime] = parseDockerfile(dockerfile);
      expect(copyDestination(runtime, 'build', '/w/dist/apps/api')).toBe('/app/apps/api');
      expect(copyDestination(runtime, 'build', '/w/dist/apps/web')).toBeNull();
      expect(execForm('["node", "apps/api/main.js"]')).toEqual(['node', 'apps/api/main.js']);
      expect(execForm('node apps/api/main.js')).toBeNull();
    });
  });
});
