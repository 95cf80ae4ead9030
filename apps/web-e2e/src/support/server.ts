/**
 * The real Concord server for browser tests: the BUILT api (dist/apps/api/main.js, which also
 * serves dist/apps/web at /) on a free port and a fresh DATA_DIR, with the demo workspace seeded.
 */
import type { ProposalDetailDto, ProposalSummaryDto, UserDto } from '@concord/contracts';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { WORKSPACE_ROOT, onFileTeardown, sleep, tempDir } from './lifecycle';

export const API_MAIN = join(WORKSPACE_ROOT, 'dist/apps/api/main.js');
export const WEB_INDEX = join(WORKSPACE_ROOT, 'dist/apps/web/browser/index.html');
export const DEMO_PASSWORD = 'concord-demo';

/** `drafter1` → `drafter1@concord.demo`; full addresses pass through. */
export function qualify(email: string): string {
  return email.includes('@') ? email : `${email}@concord.demo`;
}

export interface ApiResponse<T = unknown> {
  status: number;
  text: string;
  body: T;
}

/** Minimal JSON REST client; `token` becomes `Authorization: Bearer`. Never throws on a status. */
export interface ApiClient {
  get<T = unknown>(path: string): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
}

export function apiClient(baseUrl: string, token?: string): ApiClient {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, text, body: parsed as T };
  };
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
  };
}

/** The body of a 2xx response; otherwise an error quoting the status and the server's reason. */
export function ok<T>(response: ApiResponse<T>, what = 'request'): T {
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${what} answered ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return response.body;
}

export interface StartServerOptions {
  /** Extra environment for the server (DEMO=1 is always set unless overridden). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface ConcordServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:41234 — the web app is at `${baseUrl}/`. */
  readonly baseUrl: string;
  /** What a WebsocketProvider takes as its server URL: ws://127.0.0.1:<port>/collab */
  readonly collabUrl: string;
  readonly dataDir: string;
  api(token?: string): ApiClient;
  /** Signs in through the REST API (demo password by default); returns the access token. */
  login(email: string, password?: string): Promise<string>;
  /** The signed-in user (`GET /api/auth/me`). */
  me(token: string): Promise<UserDto>;
  /** Proposals visible to `token`'s user. */
  proposals(token: string): Promise<ProposalSummaryDto[]>;
  proposal(token: string, id: string): Promise<ProposalDetailDto>;
  /** The server's recent output (its log is also printed when start-up fails). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `node dist/apps/api/main.js` with DEMO=1 on a free port and a fresh DATA_DIR and waits
 * for `/api/health`. Stopped (and its DATA_DIR removed) after the spec file.
 */
export async function startServer(options: StartServerOptions = {}): Promise<ConcordServer> {
  for (const required of [API_MAIN, WEB_INDEX]) {
    if (!existsSync(required)) {
      throw new Error(`${required} is missing: build first (nx test web-e2e builds api and web)`);
    }
  }
  const port = await freePort();
  const dataDir = tempDir();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO: '1',
    LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'warn',
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
  };
  delete env['NODE_OPTIONS'];

  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], { cwd: WORKSPACE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const record = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      done();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };
  onFileTeardown(stop);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  onFileTeardown(() => void process.off('exit', killOnExit));

  const logTail = (count = 60) => lines.slice(-count).join('\n');
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up:\n${logTail(80)}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /api/health in time:\n${logTail(80)}`);
    }
    await sleep(100);
  }

  const api = (token?: string) => apiClient(baseUrl, token);
  return {
    port,
    baseUrl,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    dataDir,
    api,
    async login(email, password = DEMO_PASSWORD) {
      const response = await api().post<{ accessToken: string }>('/api/auth/login', { email: qualify(email), password });
      return ok(response, `sign-in as ${email}`).accessToken;
    },
    async me(token) {
      return ok(await api(token).get<UserDto>('/api/auth/me'), 'GET /api/auth/me');
    },
    async proposals(token) {
      return ok(await api(token).get<ProposalSummaryDto[]>('/api/proposals'), 'GET /api/proposals');
    },
    async proposal(token, id) {
      return ok(await api(token).get<ProposalDetailDto>(`/api/proposals/${id}`), `GET /api/proposals/${id}`);
    },
    logTail,
    stop,
  };
}

/** The demo proposal with this title (as drafter1 sees it); throws listing the titles otherwise. */
export async function findProposal(server: ConcordServer, title: string, token?: string): Promise<ProposalSummaryDto> {
  const list = await server.proposals(token ?? (await server.login('drafter1')));
  const found = list.find((proposal) => proposal.title === title);
  if (!found) throw new Error(`no proposal titled "${title}"; there are: ${list.map((p) => `"${p.title}"`).join(', ')}`);
  return found;
}

export interface NewProposal {
  title: string;
  kind?: string;
  gcmObjectives?: number[];
  summary?: string;
  /** Defaults to the submission of the first demo proposal. */
  submissionId?: string;
}

/**
 * Creates a proposal as `drafterToken`'s user (a drafter), so a test owns a document nobody else
 * edits. The server seeds its text; returns its detail.
 */
export async function createProposal(server: ConcordServer, drafterToken: string, proposal: NewProposal): Promise<ProposalDetailDto> {
  const submissionId = proposal.submissionId ?? (await server.proposals(drafterToken))[0]?.submissionId;
  if (!submissionId) throw new Error('no submission to create the proposal in');
  const response = await server.api(drafterToken).post<ProposalDetailDto>('/api/proposals', {
    submissionId,
    title: proposal.title,
    kind: proposal.kind ?? 'policy',
    gcmObjectives: proposal.gcmObjectives ?? [6],
    summary: proposal.summary ?? '',
  });
  return ok(response, `create proposal "${proposal.title}"`);
}

/** Registers a user as the demo admin (`POST /api/users`); returns its id. */
export async function registerUser(
  server: ConcordServer,
  user: { email: string; name: string; password: string },
): Promise<string> {
  const admin = await server.login('admin');
  const response = await server.api(admin).post<{ userId: string }>('/api/users', user);
  return ok(response, `register ${user.email}`).userId;
}
