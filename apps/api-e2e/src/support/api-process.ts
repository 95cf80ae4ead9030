/**
 * Harness for the e2e specs: runs the BUILT api (dist/apps/api/main.js) as a real child process on
 * a port picked here and a fresh DATA_DIR, waits until /api/health answers, keeps its output (the
 * tail is printed when a test of the file fails), and tears everything down after the file.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
export const API_MAIN = join(WORKSPACE_ROOT, 'dist/apps/api/main.js');
export const REBUILD_PROJECTIONS_MAIN = join(WORKSPACE_ROOT, 'dist/apps/api/rebuild-projections.js');
export const DEMO_PASSWORD = 'concord-demo';

export type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------
// Teardown and failure reporting (hooks attach to the root block of the spec importing this file)

const liveProcesses = new Set<ApiProcess>();
/** Processes started in this file, for the log tails after a failure. */
const startedProcesses: ApiProcess[] = [];
const tempDirs: string[] = [];
const teardowns: Array<() => Promise<void> | void> = [];
let failuresReported = 0;

function failures(): string[] {
  return ((globalThis as { __e2eFailures?: string[] }).__e2eFailures ??= []);
}

function reportFailures(): void {
  const list = failures();
  if (list.length === failuresReported) return;
  const names = list.slice(failuresReported);
  failuresReported = list.length;
  for (const server of startedProcesses) {
    process.stderr.write(
      `\n----- [api-e2e] after failure of ${JSON.stringify(names)}: log tail of ${server.describe()} -----\n` +
        `${server.logTail(60)}\n----- end of ${server.name} log (E2E_KEEP=1 keeps its DATA_DIR) -----\n`,
    );
  }
}

/** Runs after the file's other afterAll hooks that were registered before it; also usable directly. */
export function onTeardown(teardown: () => Promise<void> | void): void {
  teardowns.push(teardown);
}

afterEach(() => reportFailures());

afterAll(async () => {
  reportFailures();
  while (teardowns.length > 0) {
    const teardown = teardowns.pop() as () => Promise<void> | void;
    await Promise.resolve()
      .then(teardown)
      .catch((error) => process.stderr.write(`[api-e2e] teardown failed: ${String(error)}\n`));
  }
  await Promise.all([...liveProcesses].map((server) => server.kill()));
  // E2E_KEEP=1 keeps the DATA_DIRs of a file with a failure for inspection.
  const keep = failures().length > 0 && process.env['E2E_KEEP'] === '1';
  for (const dir of tempDirs) {
    if (keep) process.stderr.write(`[api-e2e] kept ${dir} for inspection\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

// Last resort if Jest is torn down abruptly: never leave a server behind.
process.once('exit', () => {
  for (const server of liveProcesses) server.killNow();
});

// ---------------------------------------------------------------------------------------------

export function tempDir(prefix = 'concord-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** Polls until `check` returns something truthy without throwing; rethrows the last error at the deadline. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = new Error(`${what}: not met within ${timeoutMs} ms`);
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== null && result !== undefined) return result as Exclude<T, false | null | undefined>;
      lastError = new Error(`${what}: not met within ${timeoutMs} ms`);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON whose shape the tests assert */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface ApiClient {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/* eslint-enable @typescript-eslint/no-explicit-any */

export function apiClient(baseUrl: string, token?: string): ApiClient {
  const request = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? (body as unknown as BodyInit) : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  };
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body ?? {}),
    put: (path, body) => request('PUT', path, body ?? {}),
    delete: (path) => request('DELETE', path),
  };
}

/** Asserts a 2xx status, with the response in the message when it is not. */
export function ok<T>(response: ApiResponse<T>, what = 'request'): T {
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${what} answered ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return response.body;
}

// ---------------------------------------------------------------------------------------------
// The server process

export interface StartApiOptions {
  /** Reuse a DATA_DIR (default: a fresh temp dir). */
  dataDir?: string;
  /** Extra environment; DEMO defaults to 1, LOG_LEVEL to info. */
  env?: Env;
  /** Name in log tails (default api-<n>). */
  name?: string;
  readyTimeoutMs?: number;
}

const MAX_LOG_LINES = 2_000;
const STARTUP_CHATTER = /"context":"(RouterExplorer|RoutesResolver|InstanceLoader)"/;
let processCounter = 0;

export class ApiProcess {
  readonly name: string;
  readonly dataDir: string;
  readonly port: number;
  readonly baseUrl: string;
  /** What a WebsocketProvider takes as its server URL (the room is the proposal id). */
  readonly collabUrl: string;
  env: Env;
  private child: ChildProcess | null = null;
  private exited: Promise<ExitStatus> | null = null;
  private readonly lines: string[] = [];
  private partial = '';
  private readonly readyTimeoutMs: number;
  private generation = 0;
  private forcedKill = false;

  constructor(port: number, options: StartApiOptions) {
    this.name = options.name ?? `api-${++processCounter}`;
    this.dataDir = options.dataDir ?? tempDir();
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.collabUrl = `ws://127.0.0.1:${port}/collab`;
    // Checkpoint signing off unless a test asks: it appends events on a timer, which would move
    // the head position under tests that check nothing was appended.
    this.env = { DEMO: '1', LOG_LEVEL: 'info', CHECKPOINT_INTERVAL_MS: '0', ...options.env };
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  describe(): string {
    return `${this.name} (port ${this.port}, DATA_DIR ${this.dataDir}, EVENT_STORE ${this.env['EVENT_STORE'] ?? 'sqlite'})`;
  }

  /** The full environment the server runs with (also what the CLI tools need). */
  processEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir, HOST: '127.0.0.1' };
    for (const [key, value] of Object.entries(this.env)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    // Not inherited from whoever runs Jest.
    delete env['NODE_OPTIONS'];
    return env;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run nx build api (nx test api-e2e does)`);
    const generation = ++this.generation;
    this.forcedKill = false;
    this.record(`[harness] starting ${this.describe()} (start #${generation})`);
    const child = spawn(process.execPath, [API_MAIN], { cwd: WORKSPACE_ROOT, env: this.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    liveProcesses.add(this);
    if (!startedProcesses.includes(this)) startedProcesses.push(this);
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.record(`[harness] ${this.name} exited (code ${code}, signal ${signal})`);
        if (this.child === child) {
          this.child = null;
          liveProcesses.delete(this);
        }
        resolveExit({ code, signal, forced: this.forcedKill });
      });
    });
    try {
      await this.waitUntilReady(child);
    } catch (error) {
      this.killNow();
      throw new Error(`${this.name} did not become ready: ${(error as Error).message}\n--- log tail ---\n${this.logTail(80)}`);
    }
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let bannerSeen = false;
    while (Date.now() < deadline) {
      if (this.child !== child) throw new Error('the process exited during start-up');
      bannerSeen ||= this.lines.some((line) => line.includes('Concord is running at'));
      if (bannerSeen) {
        try {
          const response = await fetch(`${this.baseUrl}/api/health`);
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
      }
      await sleep(50);
    }
    throw new Error(`no healthy /api/health within ${this.readyTimeoutMs} ms`);
  }

  /**
   * SIGTERM, then wait for the exit (SIGKILL after `timeoutMs`). Resolves with how it ended; a clean
   * stop is `gracefulStop(status)` (Nest's shutdown hooks re-raise SIGTERM once they are done).
   */
  async stop(timeoutMs = 15_000): Promise<ExitStatus | null> {
    const child = this.child;
    if (!child || !this.exited) return null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.record(`[harness] ${this.name} ignored SIGTERM for ${timeoutMs} ms: SIGKILL`);
      this.forcedKill = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: the process gets no chance to flush or close anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  /** Stops (SIGTERM) if running and starts again on the same DATA_DIR and port; `env` is merged in. */
  async restart(env: Env = {}): Promise<void> {
    await this.stop();
    this.env = { ...this.env, ...env };
    await this.start();
  }

  /** The last lines of output, without Nest's start-up chatter (module and route listing). */
  logTail(lines = 60): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all
      .filter((line) => !STARTUP_CHATTER.test(line))
      .slice(-lines)
      .join('\n');
  }

  log(): string[] {
    return [...this.lines];
  }

  api(token?: string): ApiClient {
    return apiClient(this.baseUrl, token);
  }

  async health(): Promise<{ status: string; eventStore: string; headPosition: number; readModelPosition: number; readModels: { role: string } }> {
    return ok(await this.api().get('/api/health'), 'GET /api/health');
  }

  /** Signs in (demo password by default) and returns the access token. */
  async login(email: string, password = DEMO_PASSWORD): Promise<string> {
    const response = await this.api().post<{ accessToken: string }>('/api/auth/login', { email: qualify(email), password });
    return ok(response, `login as ${email}`).accessToken;
  }

  private append(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.record(line);
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
  }
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The harness had to SIGKILL it after SIGTERM was ignored. */
  forced: boolean;
}

/** Ended by itself after SIGTERM: exit code 0, or the re-raised SIGTERM, never the SIGKILL fallback. */
export function gracefulStop(status: ExitStatus | null): boolean {
  return status !== null && !status.forced && (status.code === 0 || status.signal === 'SIGTERM');
}

/** `drafter1` → `drafter1@concord.demo`; full addresses pass through. */
export function qualify(email: string): string {
  return email.includes('@') ? email : `${email}@concord.demo`;
}

/** Starts the built API and waits until it is healthy. Killed after the spec file at the latest. */
export async function startApi(options: StartApiOptions = {}): Promise<ApiProcess> {
  const port = Number(options.env?.['PORT']) || (await freePort());
  const server = new ApiProcess(port, options);
  await server.start();
  return server;
}

/** Signs in against any server; returns the token. */
export async function login(server: ApiProcess, email: string, password = DEMO_PASSWORD): Promise<string> {
  return server.login(email, password);
}

export interface CommandResult {
  exitCode: number | null;
  output: string;
  stdout: string;
  stderr: string;
}

/** Runs a Node script to completion (tools such as rebuild-projections), capturing its output. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): CommandResult {
  return runCommand(process.execPath, args, env, timeoutMs);
}

/** Runs a command in the workspace root to completion, capturing its output. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): CommandResult {
  const result = spawnSync(command, args, { cwd: WORKSPACE_ROOT, env, encoding: 'utf8', timeout: timeoutMs });
  return {
    exitCode: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n[spawn error] ${result.error.message}` : ''}`,
  };
}
