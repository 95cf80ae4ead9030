import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';

/*
 * Just enough parsing of the deployment files (docker-compose.yml, deploy/nginx/nginx.conf,
 * Dockerfile) to check their structure without Docker or nginx, neither of which runs on the
 * development machines.
 */

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------

export interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: number | string }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  command?: string | string[];
  restart?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

/** Parses a compose file, resolving YAML anchors and `<<` merge keys as Compose does. */
export function parseCompose(text: string): ComposeFile {
  return parseYaml(text, { merge: true }) as ComposeFile;
}

/** A service's environment as a map, whichever of the two Compose forms it uses. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const index = entry.indexOf('=');
        return index === -1 ? [entry, ''] : [entry.slice(0, index), entry.slice(index + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

export interface Interpolated {
  /** The value with every `${VAR}`, `${VAR:-default}` and `${VAR:?message}` replaced (defaults, '' otherwise). */
  value: string;
  /** Variables the file demands (`${VAR:?message}`): Compose refuses to start without them. */
  required: string[];
}

/** Compose variable interpolation with an empty environment (what the file itself guarantees). */
export function interpolate(text: string): Interpolated {
  const required: string[] = [];
  // `$$` is a literal `$`; otherwise `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`.
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;
  const value = text.replace(pattern, (match: string, name?: string, operator?: string, argument?: string) => {
    if (match === '$$') return '$';
    if (operator === ':?' || operator === '?') {
      required.push(name as string);
      return '';
    }
    if (operator === ':-' || operator === '-') return argument ?? '';
    return '';
  });
  return { value, required };
}

/** Names of the services a service depends on, with the condition each waits for. */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, value]) => [name, value?.condition ?? 'service_started']));
}

/** Published host ports that forward to `target` in the container. */
export function publishedPorts(service: ComposeService, target: number): number[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object') return port.target === target && port.published !== undefined ? [Number(port.published)] : [];
    // [host-ip:]published:target[/protocol]
    const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
    if (parts.length < 2 || Number(parts[parts.length - 1]) !== target) return [];
    return [Number(parts[parts.length - 2])];
  });
}

/** Volume sources of a service that are named volumes (not host paths), with where they mount. */
export function namedVolumesOf(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).flatMap((volume) => {
    const [source, target] =
      typeof volume === 'string' ? volume.split(':') : [volume.type === 'bind' ? './' : (volume.source ?? ''), volume.target];
    if (!source || source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) return [];
    return [{ source, target }];
  });
}

// ---------------------------------------------------------------------------------------------
// nginx.conf
// ---------------------------------------------------------------------------------------------

export interface NginxDirective {
  name: string;
  args: string[];
  /** The block's directives, for block directives (`http { … }`, `location /x/ { … }`). */
  block?: NginxDirective[];
}

/** Parses nginx configuration syntax into a tree of directives (comments and quoting handled). */
export function parseNginxConf(text: string): NginxDirective[] {
  const tokens = tokenizeNginx(text);
  let index = 0;
  const parseBlock = (nested: boolean): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    let words: string[] = [];
    while (index < tokens.length) {
      const token = tokens[index++];
      if (token === ';') {
        if (words.length === 0) throw new Error('nginx.conf: empty directive');
        directives.push({ name: words[0], args: words.slice(1) });
        words = [];
      } else if (token === '{') {
        if (words.length === 0) throw new Error('nginx.conf: block without a name');
        directives.push({ name: words[0], args: words.slice(1), block: parseBlock(true) });
        words = [];
      } else if (token === '}') {
        if (!nested || words.length > 0) throw new Error('nginx.conf: unbalanced "}" or missing ";"');
        return directives;
      } else {
        words.push(token);
      }
    }
    if (nested || words.length > 0) throw new Error('nginx.conf: unexpected end (missing "}" or ";")');
    return directives;
  };
  return parseBlock(false);
}

function tokenizeNginx(text: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '#') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '{' || char === '}' || char === ';') {
      tokens.push(char);
      index += 1;
    } else if (char === '"' || char === "'") {
      let value = '';
      index += 1;
      while (index < text.length && text[index] !== char) {
        if (text[index] === '\\' && index + 1 < text.length) index += 1;
        value += text[index];
        index += 1;
      }
      if (index >= text.length) throw new Error('nginx.conf: unterminated string');
      index += 1;
      tokens.push(value);
    } else {
      let value = '';
      while (index < text.length && !/[\s{};#]/.test(text[index])) value += text[index++];
      tokens.push(value);
    }
  }
  return tokens;
}

/** Directives named `name` directly in `directives`. */
export function directivesNamed(directives: readonly NginxDirective[] | undefined, name: string): NginxDirective[] {
  return (directives ?? []).filter((directive) => directive.name === name);
}

/** The value of a directive as nginx resolves it for `path` (innermost level that sets it wins). */
export function inheritedDirective(path: readonly NginxDirective[], name: string): NginxDirective | undefined {
  for (let level = path.length - 1; level >= 0; level -= 1) {
    const found = directivesNamed(path[level].block, name);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

/** nginx time (e.g. `3600`, `60s`, `1h`, `1h30m`) in seconds. */
export function nginxSeconds(value: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d|w|M|y)?/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) throw new Error(`not an nginx time: ${value}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit ?? 's'], 0);
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

export interface DockerInstruction {
  instruction: string;
  /** The arguments with line continuations joined. */
  args: string;
}

export interface DockerStage {
  /** FROM's image, with build ARG defaults substituted. */
  image: string;
  name?: string;
  instructions: DockerInstruction[];
}

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
export function parseDockerfile(text: string): DockerStage[] {
  const logicalLines: string[] = [];
  let current = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (current === '' && /^\s*#/.test(line)) continue;
    if (current !== '' && /^\s*#/.test(line)) continue; // comment inside a continued instruction
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    current += line;
    if (current.trim() !== '') logicalLines.push(current.trim());
    current = '';
  }
  if (current.trim() !== '') logicalLines.push(current.trim());

  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of logicalLines) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const instruction = match[1].toUpperCase();
    const args = match[2].replace(/\s+/g, ' ').trim();
    if (instruction === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile: cannot read FROM ${args}`);
      const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => globalArgs[name] ?? '');
      stages.push({ image, name: from[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction !== 'ARG') throw new Error(`Dockerfile: ${instruction} before the first FROM`);
      const arg = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(args);
      if (arg) globalArgs[arg[1]] = (arg[2] ?? '').replace(/^"(.*)"$/, '$1');
    } else {
      stages[stages.length - 1].instructions.push({ instruction, args });
    }
  }
  return stages;
}

/** The JSON (exec) form of CMD / ENTRYPOINT / HEALTHCHECK CMD, or null for the shell form. */
export function execForm(args: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

/**
 * Every `npm ci` / `npm install` / `npm i` in a stage's RUN instructions, with whether it leaves
 * out devDependencies (`--omit=dev`, `--only=production`, `--production`).
 */
export function npmInstalls(stage: DockerStage): Array<{ command: string; omitsDev: boolean }> {
  return stage.instructions
    .filter((instruction) => instruction.instruction === 'RUN')
    .flatMap((instruction) => instruction.args.split(/&&|;|\|\|/).map((part) => part.trim()))
    .filter((command) => /\bnpm\s+(ci|install|i)\b/.test(command))
    .map((command) => ({
      command,
      omitsDev: /--omit[= ]dev\b|--only[= ]prod(uction)?\b|--production\b/.test(command),
    }));
}

/** Where COPY --from=<stage> puts `source` in a stage, resolved against its WORKDIR; null if it does not. */
export function copyDestination(stage: DockerStage, fromStage: string, source: string): string | null {
  let workdir = '/';
  for (const { instruction, args } of stage.instructions) {
    if (instruction === 'WORKDIR') workdir = posix.resolve(workdir, args);
    if (instruction !== 'COPY') continue;
    const words = args.split(' ');
    const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((word) => !word.startsWith('--'));
    if (from !== fromStage || paths.length < 2) continue;
    const destination = paths[paths.length - 1];
    if (paths.slice(0, -1).some((path) => posix.normalize(path).replace(/\/$/, '') === posix.normalize(source).replace(/\/$/, ''))) {
      return posix.resolve(workdir, destination);
    }
  }
  return null;
}

/** The stage's WORKDIR at its end ('/' when never set). */
export function workdirOf(stage: DockerStage): string {
  return stage.instructions
    .filter((instruction) => instruction.instruction === 'WORKDIR')
    .reduce((workdir, instruction) => posix.resolve(workdir, instruction.args), '/');
}
